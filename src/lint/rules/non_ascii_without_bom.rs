//! `non-ascii-without-bom`: non-ASCII code in a file Windows PowerShell misreads.

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::lint::context::FileContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::TextEncoding;

pub const RULE: Rule = Rule {
    code: "non-ascii-without-bom",
    group: Group::Encoding,
    severity: Severity::Warning,
    summary: "Non-ASCII text in a file without a byte order mark: Windows PowerShell 5.1 reads it in the ANSI code page and gets other characters.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Text(check),
};

const DOC: &str = r#"## What it does
Reports the first non-ASCII character outside comments in a file saved as UTF-8 without a byte
order mark, or in a legacy 8-bit encoding (Windows-1252).

## Why it matters
Windows PowerShell 5.1 reads a file without a byte order mark in the machine's ANSI code page;
PowerShell 7 reads it as UTF-8. So the same file means two things: a UTF-8 `ü` in a display name
becomes `Ã¼` under 5.1, a typographic dash in a parameter name stops being a dash, and a
Windows-1252 file read by PowerShell 7 gets replacement characters. The script runs, with other
values than the ones written. Comments are not reported: what they hold does not change what runs.

## Example
```powershell
Set-CsOAuthServer -Identity microsoft.sts -Realm 'contoso.com' # Büro
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full -ApplicationIdentifier 'Büro'
```

## Use instead
```powershell
Set-CsOAuthServer -Identity microsoft.sts -Realm 'contoso.com' # Büro
New-CsPartnerApplication -Identity microsoft.exchange -ApplicationTrustLevel Full -ApplicationIdentifier "B$([char]0x00FC)ro"
```

## Fix safety
No fix: save the file as UTF-8 with a byte order mark (PowerShell's own `Set-Content -Encoding
UTF8` does so on 5.1; in VS Code, "Save with Encoding" → "UTF-8 with BOM"), or write the
characters as `[char]` codes.
"#;

fn check(file: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
    let reader = match file.encoding {
        Some(TextEncoding::Utf8) => {
            "Windows PowerShell 5.1 reads this UTF-8 file in the ANSI code page"
        }
        Some(TextEncoding::Windows1252) => "PowerShell 7 reads this Windows-1252 file as UTF-8",
        _ => return,
    };
    let mut at = 0;
    while let Some(i) = file.text[at..].find(|c: char| !c.is_ascii()) {
        let offset = at + i;
        let c = file.text[offset..].chars().next().unwrap_or('\u{FFFD}');
        if !file.in_comment(offset) {
            out.push(RULE.at(
                Span::new(offset, offset + c.len_utf8()),
                format!("`{c}` (U+{:04X}) is not ASCII and the file has no byte order mark: {reader}, so it runs with other characters than the ones written.", c as u32),
                "save the file as UTF-8 with a byte order mark, or write the character as `[char]0x....`.",
            ));
            return;
        }
        at = offset + c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::lint::{Options, lint};
    use crate::powershell::TextEncoding;

    fn found(text: &str, encoding: Option<TextEncoding>) -> usize {
        lint(Path::new("x.ps1"), text, encoding, &Options::now())
            .iter()
            .filter(|d| d.code == "non-ascii-without-bom")
            .count()
    }

    #[test]
    fn only_code_in_files_without_a_bom() {
        let text = "<# Grüße #>\n# Grüße\n$a = 'Grüße'\n$b = 'ö'\n";
        assert_eq!(found(text, Some(TextEncoding::Utf8)), 1);
        assert_eq!(found(text, Some(TextEncoding::Windows1252)), 1);
        assert_eq!(found(text, Some(TextEncoding::Utf8Bom)), 0);
        assert_eq!(found(text, Some(TextEncoding::Utf16LeBom)), 0);
        assert_eq!(found(text, None), 0);
        assert_eq!(
            found("# Grüße\n$a = 1 <# ö #>\n", Some(TextEncoding::Utf8)),
            0
        );
    }
}
