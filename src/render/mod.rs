//! Rendering documents from the templates under `templates/`. The only module that knows
//! minijinja.
//!
//! Templates are compiled into the binary, so xprem needs no files at run time. In a `.ps1`
//! template every `{{ value }}` prints a PowerShell literal (see `quote`); there is deliberately no
//! way to print a value as raw code. Undefined variables are errors.

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

pub mod markdown;
pub mod quote;

/// Every template, by name. A test checks that this list and the folder agree.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "bundle/README.txt.j2",
        include_str!("../../templates/bundle/README.txt.j2"),
    ),
    (
        "bundle/Verify-Bundle.ps1.j2",
        include_str!("../../templates/bundle/Verify-Bundle.ps1.j2"),
    ),
    (
        "common/write-check.ps1.j2",
        include_str!("../../templates/common/write-check.ps1.j2"),
    ),
    (
        "cloud/graph/values.ps1.j2",
        include_str!("../../templates/cloud/graph/values.ps1.j2"),
    ),
    (
        "cloud/graph/functions.ps1.j2",
        include_str!("../../templates/cloud/graph/functions.ps1.j2"),
    ),
    (
        "cloud/graph/configure.ps1.j2",
        include_str!("../../templates/cloud/graph/configure.ps1.j2"),
    ),
    (
        "cloud/graph/remove-credential.ps1.j2",
        include_str!("../../templates/cloud/graph/remove-credential.ps1.j2"),
    ),
    (
        "cloud/msonline/values.ps1.j2",
        include_str!("../../templates/cloud/msonline/values.ps1.j2"),
    ),
    (
        "cloud/msonline/functions.ps1.j2",
        include_str!("../../templates/cloud/msonline/functions.ps1.j2"),
    ),
    (
        "cloud/msonline/configure.ps1.j2",
        include_str!("../../templates/cloud/msonline/configure.ps1.j2"),
    ),
    (
        "cloud/msonline/remove-credential.ps1.j2",
        include_str!("../../templates/cloud/msonline/remove-credential.ps1.j2"),
    ),
    (
        "lync/onpremises.ps1.j2",
        include_str!("../../templates/lync/onpremises.ps1.j2"),
    ),
    (
        "review/review.html.j2",
        include_str!("../../templates/review/review.html.j2"),
    ),
    (
        "review/review.md.j2",
        include_str!("../../templates/review/review.md.j2"),
    ),
    (
        "state/export-state.ps1.j2",
        include_str!("../../templates/state/export-state.ps1.j2"),
    ),
    (
        "state/onpremises.ps1.j2",
        include_str!("../../templates/state/onpremises.ps1.j2"),
    ),
    (
        "state/cloud-graph.ps1.j2",
        include_str!("../../templates/state/cloud-graph.ps1.j2"),
    ),
    (
        "state/cloud-msonline.ps1.j2",
        include_str!("../../templates/state/cloud-msonline.ps1.j2"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed: a bug in xprem, not in the user's input.
    #[error(
        "internal error while writing {name}: {detail}. Please report it to the xprem maintainers."
    )]
    Template { name: String, detail: String },
}

const POWERSHELL: &str = "powershell";
const MARKDOWN: &str = "markdown";

pub struct Renderer {
    env: Environment<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    pub fn new() -> Renderer {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_syntax(
            SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("the syntax settings are valid"),
        );
        env.set_auto_escape_callback(|name| {
            let name = name.trim_end_matches(".j2");
            if name.ends_with(".ps1") {
                AutoEscape::Custom(POWERSHELL.into())
            } else if name.ends_with(".html") {
                // minijinja's own HTML escaping: every value is text, never markup.
                AutoEscape::Html
            } else if name.ends_with(".md") {
                AutoEscape::Custom(MARKDOWN.into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| match state.auto_escape() {
            AutoEscape::Custom(name) if name == POWERSHELL => out
                .write_str(&quote::literal(value)?)
                .map_err(minijinja::Error::from),
            AutoEscape::Custom(name) if name == MARKDOWN => {
                if value.is_safe() {
                    // Only `code_line` makes a safe value: a line of a code block.
                    return out
                        .write_str(&value.to_string())
                        .map_err(minijinja::Error::from);
                }
                if value.is_none() || value.is_undefined() {
                    return Err(minijinja::Error::new(
                        minijinja::ErrorKind::UndefinedError,
                        "a missing value cannot be printed into a document",
                    ));
                }
                out.write_str(&markdown::escape(&value.to_string()))
                    .map_err(minijinja::Error::from)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        // A line of a Markdown code block, where backslash escapes would be shown as they are:
        // printed as it is, and refused if it holds a line break (the one way out of the block).
        env.add_filter(
            "code_line",
            |state: &minijinja::State,
             value: String|
             -> Result<minijinja::Value, minijinja::Error> {
                // Only in Markdown templates: anywhere else it would print a value unescaped.
                if !matches!(state.auto_escape(), AutoEscape::Custom(name) if name == MARKDOWN) {
                    return Err(minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        "code_line is for Markdown templates only",
                    ));
                }
                if value.contains(['\n', '\r']) {
                    return Err(minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        "a code line cannot hold a line break",
                    ));
                }
                Ok(minijinja::Value::from_safe_string(value))
            },
        );
        for (name, source) in TEMPLATES {
            // Templates are part of the binary; a syntax error in one is caught by the tests.
            env.add_template(name, source)
                .expect("embedded templates are valid");
        }
        Renderer { env }
    }

    /// Renders a template with `context`; the text has LF line ends.
    pub fn render<C: Serialize>(&self, name: &str, context: &C) -> Result<String, RenderError> {
        let error = |err: minijinja::Error| RenderError::Template {
            name: name.to_owned(),
            detail: format!("{err:#}"),
        };
        let template = self.env.get_template(name).map_err(error)?;
        template
            .render(minijinja::Value::from(minijinja::value::Serde(context)))
            .map_err(error)
    }
}

/// Text as Windows tools want it: CRLF line ends; ASCII, or UTF-8 with a byte order mark when it
/// cannot be ASCII (Windows PowerShell reads UTF-8 without a BOM as the ANSI code page).
pub fn windows_bytes(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len() + text.len() / 20 + 3);
    if !text.is_ascii() {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut previous = '\0';
    for c in text.chars() {
        if c == '\n' && previous != '\r' {
            bytes.push(b'\r');
        }
        let mut buffer = [0; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        previous = c;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "j2") {
                    on_disk.push(
                        path.strip_prefix(&root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        on_disk.sort();
        let mut embedded: Vec<&str> = TEMPLATES.iter().map(|(name, _)| *name).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn values_in_scripts_are_literals_and_undefined_is_an_error() {
        let mut renderer = Renderer::new();
        renderer
            .env
            .add_template(
                "t.ps1.j2",
                "$a = {{ a }}; $b = {{ b }}; $c = {{ c }}; $d = {{ d }}",
            )
            .unwrap();
        renderer
            .env
            .add_template("u.ps1.j2", "{{ missing }}")
            .unwrap();
        renderer.env.add_template("t.txt.j2", "{{ a }}").unwrap();
        let ctx = serde_json::json!({"a": "x'; Remove-Item C:\\ -Recurse; '", "b": true, "c": null, "d": ["1", "2"]});
        assert_eq!(
            renderer.render("t.ps1.j2", &ctx).unwrap(),
            "$a = 'x''; Remove-Item C:\\ -Recurse; '''; $b = $true; $c = $null; $d = @('1', '2')"
        );
        assert_eq!(
            renderer.render("t.txt.j2", &ctx).unwrap(),
            "x'; Remove-Item C:\\ -Recurse; '"
        );
        let err = renderer.render("u.ps1.j2", &ctx).unwrap_err().to_string();
        assert!(err.contains("undefined"), "{err}");
    }

    #[test]
    fn documents_escape_their_values_and_code_line_is_for_markdown_only() {
        let mut renderer = Renderer::new();
        for (name, source) in [
            ("d.html.j2", "{{ a }}"),
            ("d.md.j2", "{{ a }} / {{ b | code_line }}"),
            ("e.html.j2", "{{ a | code_line }}"),
            ("e.ps1.j2", "{{ a | code_line }}"),
            ("f.md.j2", "{{ c | code_line }}"),
        ] {
            renderer.env.add_template(name, source).unwrap();
        }
        let ctx =
            serde_json::json!({"a": "<b>x|y</b>", "b": ".\\Step.ps1 -Name 'a|b'", "c": "a\n# b"});
        assert_eq!(
            renderer.render("d.html.j2", &ctx).unwrap(),
            "&lt;b&gt;x|y&lt;&#x2f;b&gt;"
        );
        assert_eq!(
            renderer.render("d.md.j2", &ctx).unwrap(),
            "&lt;b&gt;x\\|y&lt;/b&gt; / .\\Step.ps1 -Name 'a|b'"
        );
        for refused in ["e.html.j2", "e.ps1.j2", "f.md.j2"] {
            assert!(renderer.render(refused, &ctx).is_err(), "{refused}");
        }
    }

    #[test]
    fn windows_bytes_use_crlf_and_a_bom_only_when_needed() {
        assert_eq!(windows_bytes("a\nb\r\n"), b"a\r\nb\r\n");
        assert_eq!(windows_bytes("é\n"), "\u{FEFF}é\r\n".as_bytes());
    }
}
