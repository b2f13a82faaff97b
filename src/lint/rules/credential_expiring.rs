//! `credential-expiring`: a key credential that ends before the date of the check, or within 60
//! days of it.

use time::Duration;

use crate::cert::{EXPIRY_WARNING_DAYS, utc_text};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use crate::semantic::credentials::credentials;
use crate::semantic::dates::certainly_before_moment;

pub const RULE: Rule = Rule {
    code: "credential-expiring",
    group: Group::Credentials,
    severity: Severity::Warning,
    summary: "A key credential the script creates has already ended (error) or ends within 60 days (warning).",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a key credential whose end date (`-EndDate`, Graph `endDateTime`) is known and lies
before the date of the check (`--as-of`, else today), as an error, or within 60 days of it, as a
warning. A date written as `6/1/2012` is judged in both orders of day and month.

## Why it matters
A credential that has already ended is registered for nothing: Office 365 rejects every token
it would validate. Example dates copied from a page (`-EndDate 5/31/2013` on Microsoft's Lync
2013 page) produce exactly that. One that ends within weeks sets up an outage.

## Example
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credentialsValue -StartDate '2012-06-01' -EndDate '2013-05-31'
```

## Use instead
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credentialsValue -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter
```

## Fix safety
No fix: the window is the certificate's validity, best read from the certificate at run time.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let as_of = cx.file.as_of;
    let soon = as_of + Duration::days(EXPIRY_WARNING_DAYS);
    for c in credentials(cx) {
        let Some(end) = &c.end else { continue };
        let Some(e) = &end.value else { continue };
        if certainly_before_moment(e, as_of) {
            let mut d = RULE.at(
                end.span,
                format!(
                    "this key credential ends on {}, before the check date {}: it is registered expired, and Office 365 accepts no token with it.",
                    e.describe(),
                    utc_text(as_of)
                ),
                "use the certificate's validity (-StartDate $certificate.NotBefore -EndDate $certificate.NotAfter) with a certificate that is valid now.",
            );
            d.severity = Severity::Error;
            out.push(d);
        } else if certainly_before_moment(e, soon) {
            out.push(RULE.at(
                end.span,
                format!(
                    "this key credential ends on {}, within {EXPIRY_WARNING_DAYS} days of the check date {}.",
                    e.describe(),
                    utc_text(as_of)
                ),
                "plan the renewal of the certificate now, and register the new one before this date.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<crate::diagnostic::Diagnostic> {
        codes_found("credential-expiring", text)
    }

    const CRED: &str = "New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $v";

    #[test]
    fn ended_and_ending_credentials_are_found() {
        // The page's dates, as of 2026-07-01, in either reading.
        let f = found(&format!("{CRED} -StartDate 6/1/2012 -EndDate 5/31/2013"));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        let f = found(&format!("{CRED} -EndDate 2026-08-15"));
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(
            found("$k = @{ type = 'AsymmetricX509Cert'; usage = 'Verify'; key = $bytes; endDateTime = '2020-01-01T00:00:00Z' }").len(),
            1
        );
    }

    #[test]
    fn later_or_unknown_ends_are_fine() {
        for text in [
            format!("{CRED} -EndDate 2030-01-01"),
            format!("{CRED} -EndDate $cert.NotAfter"),
            CRED.to_string(),
            // 1/9/2026 is 9 January (ended) or 1 September (fine): not certain.
            format!("{CRED} -EndDate 9/1/2026"),
        ] {
            assert!(found(&text).is_empty(), "{text}");
        }
    }
}
