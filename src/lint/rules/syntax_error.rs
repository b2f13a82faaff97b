//! `syntax-error`: the script does not parse.

use crate::diagnostic::Severity;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

pub const RULE: Rule = Rule {
    code: "syntax-error",
    group: Group::Syntax,
    severity: Severity::Error,
    summary: "The script does not parse: PowerShell would refuse to run any of it.",
    doc: DOC,
    fix: FixSafety::None,
    // Reported by the linter from the parser's error; the other code rules do not run on a file
    // that does not parse (the text rules still do).
    check: Check::Builtin,
};

const DOC: &str = r#"## What it does
Reports the first place where the script is not valid PowerShell: an unclosed bracket or string,
a missing operand, a keyword without its block. The message says what PowerShell expected there.

## Why it matters
PowerShell parses the whole file before it runs any of it: a script with a syntax error does
nothing at all, and in a change window that is found out too late. The other code rules need the
syntax tree, so they are not run on a file that does not parse (the encoding rules still are).

## Example
```powershell
Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000 -Realm (
```

## Use instead
```powershell
Set-CsOAuthConfiguration -ServiceName 00000004-0000-0ff1-ce00-000000000000
```

## Fix safety
No fix: what was meant is for a person to say.
"#;
