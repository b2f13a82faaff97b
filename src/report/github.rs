//! GitHub Actions workflow commands: `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=T::M`.
//! GitHub shows them on the pull request's lines. Data and property values are escaped as the
//! runner expects (`%`, CR and LF everywhere; `:` and `,` in properties too), so a message can
//! never end the command early or inject another one.

use std::fmt::Write as _;

use super::FileReport;
use crate::diagnostic::Severity;

pub fn render(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    for file in files {
        let path = file.path.to_string_lossy().replace('\\', "/");
        for (d, region) in file.diagnostics.iter().zip(file.regions()) {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = vec![format!("file={}", property(&path))];
            if let Some(r) = region {
                properties.push(format!("line={}", r.line));
                properties.push(format!("col={}", r.column));
                properties.push(format!("endLine={}", r.end_line));
                properties.push(format!("endColumn={}", r.end_column));
            }
            properties.push(format!("title={}", property(&format!("xprem {}", d.code))));
            let mut message = match &d.location.field {
                Some(field) => format!("{field}: {}", d.message),
                None => d.message.clone(),
            };
            if !d.help.is_empty() {
                message.push_str("\nFix: ");
                message.push_str(&d.help);
            }
            let _ = writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                data(&message)
            );
        }
    }
    out
}

fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_would_end_the_command() {
        assert_eq!(super::data("50%\r\n::x"), "50%25%0D%0A::x");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
