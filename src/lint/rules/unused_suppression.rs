//! `unused-suppression`: a suppression that silences nothing.

use crate::diagnostic::Severity;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

pub const RULE: Rule = Rule {
    code: "unused-suppression",
    group: Group::Suppressions,
    severity: Severity::Warning,
    summary: "A suppression whose rule finds nothing where it applies.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Builtin,
};

const DOC: &str = r#"## What it does
Reports each code of a `# xprem: ignore[...]`, `# xprem: ignore-file[...]` or
`SuppressMessageAttribute('xprem/...')` that silenced no finding in this run. Codes of rules that
did not run (deselected with `--select` or `--ignore`) are not reported.

## Why it matters
Suppressions outlive the code they were written for. One left behind after the line was fixed
hides the next real problem on that line without anyone deciding to.

## Example
```powershell
Get-CsOAuthServer # xprem: ignore[syntax-error]
```

## Use instead
```powershell
Get-CsOAuthServer
```

## Fix safety
No fix: removing a suppression is easy, but whether the finding moved elsewhere is for a person
to check.
"#;
