//! `invalid-suppression`: a suppression comment that xprem cannot read, or that names no rule.

use crate::diagnostic::Severity;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

pub const RULE: Rule = Rule {
    code: "invalid-suppression",
    group: Group::Suppressions,
    severity: Severity::Warning,
    summary: "An `# xprem:` comment that is malformed, names no rule, or names a rule that does not exist.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Builtin,
};

const DOC: &str = r#"## What it does
Reports `# xprem:` comments that are not `ignore[CODE, ...]` or `ignore-file[CODE, ...]`, a
suppression without codes, and codes that are not xprem rules (with the closest code).

## Why it matters
A suppression that xprem cannot read silences nothing: the finding its author meant to accept is
still reported, or, worse, the author believes a rule is silenced when it is misspelt. A bare
`ignore` is refused because it would hide whatever any rule, present or future, finds on the line.

## Example
```powershell
Get-CsOAuthServer # xprem: ignore[unknwon-parameter]
```

## Use instead
```powershell
Get-CsOAuthServer
```

## Fix safety
No fix: which rule was meant is for a person to say.
"#;
