//! `broken-line-continuation`: a backtick at the end of a line with a space or a comment after
//! it, which does not continue the line.

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity, Span};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{Expression, QuoteKind};

pub const RULE: Rule = Rule {
    code: "broken-line-continuation",
    group: Group::Syntax,
    severity: Severity::Error,
    summary: "A backtick meant to continue a line, with a space or a comment after it: the command ends there and the next line runs on its own.",
    doc: DOC,
    fix: FixSafety::Unsafe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a backtick at the end of a line, outside strings and comments, that is followed by
spaces or tabs, or by a comment: the form of a line continuation that is not one.

## Why it matters
A backtick continues a line only when the line break comes right after it. Followed by a space
(invisible in an editor, and common in text copied from a web page), it escapes the space: the
command ends at the line break with an extra argument `' '`, and the next line runs as a command
of its own. `New-MsolServicePrincipalCredential ... -Type Asymmetric ` then runs without
`-Value` and `-Usage`, and the next line, `-Usage Verify -Value $value`, fails as "The term
'-Usage' is not recognized". PowerShell parses both lines without complaint, so nothing shows the
mistake before the script runs. A comment after the backtick has the same effect.

## Example
```powershell
New-CsPartnerApplication -Identity microsoft.exchange ` 
    -ApplicationTrustLevel Full -MetadataUrl $exchangeMetadataUrl
```

## Use instead
```powershell
New-CsPartnerApplication -Identity microsoft.exchange `
    -ApplicationTrustLevel Full -MetadataUrl $exchangeMetadataUrl
```

## Fix safety
Unsafe: removing what follows the backtick joins the two lines, which is almost always what was
meant, but it changes what the script runs; a comment has to move to a line of its own first.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = cx.text();
    // A cheap test first: no backtick followed by a blank or `#`, nothing to do.
    let bytes = text.as_bytes();
    if !bytes
        .windows(2)
        .any(|w| w[0] == b'`' && matches!(w[1], b' ' | b'\t' | b'#'))
    {
        return;
    }
    // Quoted strings, where a backtick is text: (start, end), sorted.
    let mut strings: Vec<(usize, usize)> = cx
        .nodes
        .iter()
        .filter_map(|n| match n {
            NodeRef::Expression(Expression::String(s)) if s.quote != QuoteKind::Bare => {
                Some((s.span.start, s.span.end))
            }
            NodeRef::Expression(Expression::ExpandableString(s)) if s.quote != QuoteKind::Bare => {
                Some((s.span.start, s.span.end))
            }
            _ => None,
        })
        .collect();
    // Strings nest (a string in a `$( )` of a string): merged into the outermost ranges, which
    // are apart and sorted, so one binary search answers.
    strings.sort_unstable();
    let mut outer: Vec<(usize, usize)> = Vec::with_capacity(strings.len());
    for (start, end) in strings {
        match outer.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => outer.push((start, end)),
        }
    }
    let in_string = |offset: usize| {
        let i = outer.partition_point(|&(start, _)| start <= offset);
        i > 0 && offset < outer[i - 1].1
    };
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let line_start = start;
        start += line.len();
        let Some(tick) = continuation_backtick(body) else {
            continue;
        };
        let at = line_start + tick;
        if in_string(at) || cx.file.in_comment(at) {
            continue;
        }
        let after = &body[tick + 1..];
        let comment = after.trim_start().starts_with('#');
        let next = text[start..]
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(str::trim);
        let runs_alone = match next {
            Some(n) => format!(
                ", and the next line (`{}`) runs as a command of its own",
                shorten(n)
            ),
            None => String::new(),
        };
        let message = if comment {
            format!(
                "a comment follows this backtick, so it does not continue the line: the command ends here{runs_alone}."
            )
        } else {
            format!(
                "a space follows this backtick, so it escapes the space instead of continuing the line: the command ends here{runs_alone}."
            )
        };
        let span = Span::new(at, line_start + body.len());
        let mut d = RULE.at(
            span,
            message,
            if comment {
                "put the comment on a line of its own (or use a splatted hashtable, where each line can carry one) and end this line with the backtick."
            } else {
                "delete what follows the backtick, so that the line ends with it."
            },
        );
        if !comment {
            d = d.with_fix(Fix::replace(
                Applicability::Unsafe,
                "delete the spaces after the backtick".to_owned(),
                Span::new(at + 1, line_start + body.len()),
                String::new(),
            ));
        }
        out.push(d);
    }
}

/// Where the backtick is, in a line that ends with one (not escaped: an odd run of them)
/// followed by spaces or tabs, or by spaces and a `#` comment.
fn continuation_backtick(line: &str) -> Option<usize> {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let candidate = match trimmed.strip_suffix('`') {
        Some(_) if trimmed.len() < line.len() => trimmed.len() - 1,
        Some(_) => return None,
        None => {
            // `... `  # note`: the first `#` after a backtick and blanks.
            let hash = line.find(" #").or_else(|| line.find("\t#"))?;
            // The blank of ` #` is the one after the backtick, or the last of them.
            let before = line[..hash].trim_end_matches([' ', '\t']);
            if !before.ends_with('`') {
                return None;
            }
            before.len() - 1
        }
    };
    let run = line[..=candidate]
        .bytes()
        .rev()
        .take_while(|&b| b == b'`')
        .count();
    (run % 2 == 1).then_some(candidate)
}

fn shorten(line: &str) -> String {
    match line.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &line[..i]),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<crate::diagnostic::Diagnostic> {
        codes_found("broken-line-continuation", text)
    }

    #[test]
    fn a_space_or_a_comment_after_the_backtick_is_found() {
        let text = "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric ` \n    -Usage Verify -Value $v\n";
        let f = found(text);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("`-Usage Verify -Value $v`"),
            "{}",
            f[0].message
        );
        assert!(f[0].fix.is_some());
        assert_eq!(found("Get-Item x `\t\r\n  -Force\r\n").len(), 1);
        let f = found("Get-Item x `  # the file\n  -Force\n");
        assert_eq!(f.len(), 1);
        assert_eq!(found("Get-Item x ` # the file\n  -Force\n").len(), 1);
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn real_continuations_strings_and_escaped_backticks_are_fine() {
        for text in [
            "Get-Item x `\n  -Force\n",
            "Get-Item x `\r\n  -Force\r\n",
            "$s = 'a ` \nb'\n",
            "$s = @\"\nline ` \n\"@\n",
            "# a comment ` \nGet-Item x\n",
            "<# block ` \n#>\nGet-Item x\n",
            "Write-Host a `` \n",
            "Get-Item x # a `  # note\n",
            "Get-Item x `-Force\n",
            // The backtick in a here-string after many strings nested in it.
            &format!("$s = @\"\n{}\nline ` \n\"@\n", "$('x') ".repeat(20)),
        ] {
            assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
        }
    }
}
