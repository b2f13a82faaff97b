//! `typographic-character`: curly quotes and long dashes used as PowerShell syntax.

use std::collections::HashSet;

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity, Span};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{Expression, QuoteKind};

pub const RULE: Rule = Rule {
    code: "typographic-character",
    group: Group::Encoding,
    severity: Severity::Warning,
    summary: "A typographic quote or dash used as a quote, dash or operator: PowerShell accepts it, but it breaks as soon as the file's encoding is misread.",
    doc: DOC,
    fix: FixSafety::Safe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports curly quotes (`‘ ’ ‚ ‛ “ ” „`) used as string quotes, and en and em dashes (`– — ―`)
used as the dash of a parameter or an operator, and replaces them with `'`, `"` and `-`.
Typographic characters inside a string's text or a comment are left alone.

## Why it matters
Scripts copied from a web page, a Word document or an e-mail come with the typography the editor
applied. PowerShell treats these characters as quotes and dashes, so the script runs, until the
file is saved without a byte order mark and read by Windows PowerShell 5.1 in the ANSI code page:
then `–ServiceName` is a string, not a parameter, and a curly quote is three other characters.
They also make the script hard to search and to compare.

## Example
```powershell
Set-CsOAuthConfiguration –ServiceName “00000004-0000-0ff1-ce00-000000000000”
```

## Use instead
```powershell
Set-CsOAuthConfiguration -ServiceName "00000004-0000-0ff1-ce00-000000000000"
```

## Fix safety
Safe: PowerShell reads each of these characters exactly as the ASCII one it is replaced with.
"#;

fn ascii(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' => Some('"'),
        '\u{2013}' | '\u{2014}' | '\u{2015}' => Some('-'),
        _ => None,
    }
}

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    if text.is_ascii() {
        return;
    }
    // Strings: their quotes are syntax, their text is not. Bare words are all text, except a
    // dash that starts a parameter, which the parser does not make a string.
    let mut quotes: HashSet<usize> = HashSet::new();
    let mut contents: Vec<(usize, usize)> = Vec::new();
    for &node in &cx.nodes {
        let NodeRef::Expression(e) = node else {
            continue;
        };
        let (span, quote) = match e {
            Expression::String(s) => (s.span, s.quote),
            Expression::ExpandableString(s) => (s.span, s.quote),
            _ => continue,
        };
        let written = span.text(text);
        let (open, close) = match quote {
            QuoteKind::Bare => {
                contents.push((span.start, span.end));
                continue;
            }
            QuoteKind::Single | QuoteKind::Double => (1, 1),
            QuoteKind::HereSingle | QuoteKind::HereDouble => (2, 2),
        };
        let mut chars = written.char_indices();
        let first: Vec<(usize, char)> = chars.by_ref().take(open).collect();
        let last: Vec<(usize, char)> = written.char_indices().rev().take(close).collect();
        for (i, _) in first.iter().chain(&last) {
            quotes.insert(span.start + i);
        }
        let inner_start = first
            .last()
            .map_or(span.start, |(i, c)| span.start + i + c.len_utf8());
        let inner_end = last.last().map_or(span.end, |(i, _)| span.start + i);
        if inner_start < inner_end {
            contents.push((inner_start, inner_end));
        }
    }
    contents.sort_unstable();
    // The largest end among the contents that start at or before each one: an offset is inside
    // some string's text when that maximum passes it (contents nest: a string in `$( )` inside a
    // string). One binary search per character looked at.
    let reach: Vec<usize> = contents
        .iter()
        .scan(0, |max, &(_, end)| {
            *max = (*max).max(end);
            Some(*max)
        })
        .collect();
    let in_content = |offset: usize| {
        let i = contents.partition_point(|&(s, _)| s <= offset);
        i > 0 && offset < reach[i - 1]
    };
    for (offset, c) in text.char_indices() {
        let Some(plain) = ascii(c) else { continue };
        if cx.file.in_comment(offset) || (!quotes.contains(&offset) && in_content(offset)) {
            continue;
        }
        let span = Span::new(offset, offset + c.len_utf8());
        let role = if plain == '-' { "dash" } else { "quote" };
        out.push(
            RULE.at(
                span,
                format!("`{c}` (U+{:04X}) is used as a {role}: PowerShell accepts it, but it is misread as soon as the file's encoding is.", c as u32),
                format!("write `{plain}`."),
            )
            .with_fix(Fix::replace(
                Applicability::Safe,
                format!("replace `{c}` with `{plain}`"),
                span,
                plain.to_string(),
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::fix;
    use crate::lint::tests::codes_found;

    #[test]
    fn syntax_is_fixed_and_text_is_left_alone() {
        let text = "# It’s “fine” – here\nWrite-Host “Don’t – stop” –ForegroundColor Red\nif ($a –eq ‘x’) { 'l’’s' }\n";
        let found = codes_found("typographic-character", text);
        let (fixed, _) = fix::apply(text, found.iter().filter_map(|d| d.fix.as_ref())).unwrap();
        assert_eq!(
            fixed,
            "# It’s “fine” – here\nWrite-Host \"Don’t – stop\" -ForegroundColor Red\nif ($a -eq 'x') { 'l’’s' }\n"
        );
        assert!(crate::powershell::parse(&fixed).is_ok());
    }

    #[test]
    fn ascii_and_typography_in_text_are_fine() {
        for text in [
            "Write-Host 'a - b'",
            "Write-Host \"It’s – ok\"",
            "Write-Host a–b",
            "@'\n“x”\n'@\n",
        ] {
            assert!(
                codes_found("typographic-character", text).is_empty(),
                "{text}"
            );
        }
    }
}
