//! `file:line:column: severity: message [code]`, the form compilers print and editors jump to
//! (Vim's and Emacs's default error formats read it). The fix follows as a `note:` line at the same
//! place. Without a span the place is the field path, or the file alone.

use std::fmt::Write as _;

use super::FileReport;

pub fn render(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for file in files {
        let path = file.shown_path();
        for (d, region) in file.diagnostics.iter().zip(file.regions()) {
            let place = match region {
                Some(r) => format!("{path}:{}:{}", r.line, r.column),
                None => path.clone(),
            };
            let field = d
                .location
                .field
                .as_deref()
                .map(|f| format!("{f}: "))
                .unwrap_or_default();
            let message = one_line(&d.message);
            let _ = writeln!(
                out,
                "{place}: {}: {field}{message} [{}]",
                d.severity, d.code
            );
            if !d.help.is_empty() {
                let _ = writeln!(out, "{place}: note: fix: {}", one_line(&d.help));
            }
        }
    }
    out
}

/// Messages are one line in this form: a line break would start what reads as a new finding.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
