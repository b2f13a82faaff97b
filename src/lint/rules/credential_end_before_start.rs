//! `credential-end-before-start`: a key credential whose end date is not after its start date.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use crate::semantic::credentials::credentials;
use crate::semantic::dates::certainly_before;

pub const RULE: Rule = Rule {
    code: "credential-end-before-start",
    group: Group::Credentials,
    severity: Severity::Error,
    summary: "A key credential that ends at or before it starts.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a key credential whose end date is at or before its start date, when both are known:
`New-MsolServicePrincipalCredential -StartDate ... -EndDate ...`, and the `StartDateTime` and
`EndDateTime` of a Graph key credential (a hashtable given to `-KeyCredentials`, or a JSON body).
A date written as `6/1/2012` is judged in both orders of day and month, and only reported when
it is wrong in both.

## Why it matters
Office 365 refuses the credential ("Key credential end date is invalid"), so the certificate is
never registered and server-to-server authentication keeps failing. Swapped dates, a year typed
wrong, or a day-first date read month first (or the other way round) all end here.

## Example
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue -StartDate '2026-06-01' -EndDate '2025-05-31'
```

## Use instead
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter
```

## Fix safety
No fix: which date is wrong is for a person to say. The certificate's own `NotBefore` and
`NotAfter` are the window Office 365 expects.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for c in credentials(cx) {
        let (Some(start), Some(end)) = (&c.start, &c.end) else {
            continue;
        };
        let (Some(s), Some(e)) = (&start.value, &end.value) else {
            continue;
        };
        if certainly_before(e, s, true) {
            out.push(RULE.at(
                end.span,
                format!(
                    "this key credential ends on {} but starts on {}: Office 365 refuses it (\"Key credential end date is invalid\"), so the certificate is not registered.",
                    e.describe(),
                    s.describe()
                ),
                "give an end date after the start date: the certificate's NotAfter and NotBefore ($certificate.NotAfter, $certificate.NotBefore).",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("credential-end-before-start", text).len()
    }

    const CRED: &str = "New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $v";

    #[test]
    fn swapped_dates_are_found() {
        assert_eq!(
            found(&format!("{CRED} -StartDate 2013-05-31 -EndDate 2012-06-01")),
            1
        );
        assert_eq!(
            found(&format!("{CRED} -StartDate 2013-05-31 -EndDate 2013-05-31")),
            1
        );
        // Wrong in both readings.
        assert_eq!(
            found(&format!("{CRED} -StartDate 6/1/2013 -EndDate 5/31/2012")),
            1
        );
        // Through variables, casts and a splat.
        assert_eq!(
            found(&format!(
                "$s = [datetime]'2026-01-01'\n$e = [datetime]'2025-01-01'\n{CRED} -StartDate $s -EndDate $e"
            )),
            1
        );
        assert_eq!(
            found(
                "$p = @{ AppPrincipalId = $id; Type = 'Asymmetric'; Value = $v; StartDate = '2026-01-01'; EndDate = '2025-12-31' }\nNew-MsolServicePrincipalCredential @p"
            ),
            1
        );
        assert_eq!(
            found(
                "$s = New-Object DateTime 2026, 1, 1\n$e = New-Object DateTime 2025, 1, 1\nNew-MsolServicePrincipalCredential -AppPrincipalId $id -StartDate:$s -EndDate:$e"
            ),
            1
        );
        // Graph forms.
        assert_eq!(
            found(
                "Update-MgServicePrincipal -ServicePrincipalId $sp.Id -KeyCredentials @(@{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = $raw; StartDateTime = '2026-01-01T00:00:00Z'; EndDateTime = '2025-01-01T00:00:00Z' })"
            ),
            1
        );
        assert_eq!(
            found(
                "$body = '{\"keyCredentials\":[{\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\",\"key\":\"x\",\"startDateTime\":\"2026-01-01T00:00:00Z\",\"endDateTime\":\"2025-01-01T00:00:00Z\"}]}'\nInvoke-MgGraphRequest -Method PATCH -Uri $uri -Body $body"
            ),
            1
        );
    }

    #[test]
    fn ordered_or_unknown_dates_are_fine() {
        for text in [
            format!("{CRED} -StartDate 2012-06-01 -EndDate 2013-05-31"),
            format!("{CRED} -StartDate 6/1/2012 -EndDate 5/31/2013"),
            // 3/6/2013 vs 6/3/2013: one reading is in order.
            format!("{CRED} -StartDate 3/6/2013 -EndDate 6/3/2013"),
            format!("{CRED} -StartDate $cert.NotBefore -EndDate $cert.NotAfter"),
            format!("{CRED} -StartDate (Get-Date) -EndDate (Get-Date).AddYears(1)"),
            format!("{CRED} -EndDate 2013-05-31"),
            // A local time and a UTC moment a few hours apart: depends on the time zone.
            format!(
                "$e = New-Object DateTime 2025, 1, 1, 2, 0, 0, ([DateTimeKind]::Utc)\n{CRED} -StartDate '2025-01-01 00:00:00' -EndDate $e"
            ),
        ] {
            assert_eq!(found(&text), 0, "{text}");
        }
    }
}
