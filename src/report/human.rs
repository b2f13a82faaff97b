//! The human form: rustc's own renderer (annotate-snippets), the same for every command.
//!
//! ```text
//! error[config-tenant-id]: tenant.id: "6f2c-1c8e" is not a GUID.
//!  --> c.json:2:28
//!   |
//! 2 |   "tenant": { "name": "x", "id": "6f2c-1c8e" },
//!   |                                  ^^^^^^^^^^^
//!   = fix: copy the Tenant ID from the Microsoft Entra admin center.
//! ```

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::FileReport;
use crate::diagnostic::{Diagnostic, Severity};

pub fn render(files: &[FileReport<'_>]) -> String {
    render_with(files, false)
}

pub fn render_with(files: &[FileReport<'_>], styled: bool) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for file in files {
        let path = file.shown_path();
        let regions = file.regions();
        for (diagnostic, region) in file.diagnostics.iter().zip(regions) {
            let title_text = title(diagnostic);
            let title = level(diagnostic.severity)
                .primary_title(title_text.as_str())
                .id(diagnostic.code);
            let mut group: Group<'_> = match (file.text, diagnostic.location.span, region) {
                (Some(text), Some(span), Some(_)) => {
                    // An empty span (the end of the file) still gets a caret.
                    let end = if span.end > span.start {
                        span.end
                    } else {
                        next_char_end(text, span.start)
                    };
                    title.element(
                        Snippet::source(text)
                            .path(path.as_str())
                            .annotation(AnnotationKind::Primary.span(span.start..end)),
                    )
                }
                _ => title.element(Origin::path(path.as_str())),
            };
            if !diagnostic.help.is_empty() {
                group = group.element(
                    Level::HELP
                        .with_name("fix")
                        .message(diagnostic.help.as_str()),
                );
            }
            if let Some(fix) = &diagnostic.fix
                && !fix.description.is_empty()
            {
                // Say what `--fix` does with it, so "fix" (the help above) and the edit the tool
                // can make are not read as two fixes.
                let (name, how) = match fix.applicability {
                    crate::diagnostic::Applicability::Safe => {
                        ("autofix", "`xprem lint --fix` applies it")
                    }
                    crate::diagnostic::Applicability::Unsafe => (
                        "suggested edit",
                        "review it first: `--fix` does not apply it",
                    ),
                };
                group = group.element(
                    Level::NOTE
                        .with_name(name)
                        .message(format!("{} ({how})", fix.description)),
                );
            }
            out.push_str(&renderer.render(&[group]));
            out.push_str("\n\n");
        }
    }
    out
}

/// The title: the config field (when there is one) and the message, on one line.
fn title(diagnostic: &Diagnostic) -> String {
    match &diagnostic.location.field {
        Some(field) => format!("{field}: {}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}
