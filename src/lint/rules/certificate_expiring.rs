//! `certificate-expiring`: a certificate written in the script that has expired, or expires
//! within 60 days.

use time::Duration;

use crate::cert::{EXPIRY_WARNING_DAYS, printable, utc_text};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use crate::semantic::certificates::credential_certificates;

pub const RULE: Rule = Rule {
    code: "certificate-expiring",
    group: Group::Credentials,
    severity: Severity::Warning,
    summary: "A certificate written in the script has expired (error) or expires within 60 days (warning).",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Decodes every certificate written in a script that creates key credentials or writes a
principal's keys (a Base64 `-Value` or Graph `key`, a string or a variable that holds one, a PEM
block) and reports one that has expired, as an error, or that expires within 60 days of the date
of the check (`--as-of`, else today), as a warning. Certificates in other scripts (a test
suite's code-signing certificate) are not judged.

## Why it matters
Office 365 validates the tokens Lync/Skype for Business Server signs against the certificate
registered on the service principal. A script that uploads an expired certificate configures a
trust that cannot work; one that uploads a certificate about to expire sets up an outage. The
renewal needs lead time: stage the new OAuthTokenIssuer certificate on premises and upload its
public part before it takes effect.

## Example
```powershell
$credValue = -join @(
    'MIIDeTCCAmGgAwIBAgICDg8wDQYJKoZIhvcNAQELBQAwPzELMAkGA1UEBhMCVVMx',
    'ETAPBgNVBAoMCEZhYnJpa2FtMR0wGwYDVQQDDBRleHBpcmVkLmZhYnJpa2FtLmNv',
    'bTAeFw0xNTAxMDEwMDAwMDBaFw0yMDEyMzEyMzU5NTlaMD8xCzAJBgNVBAYTAlVT',
    'MREwDwYDVQQKDAhGYWJyaWthbTEdMBsGA1UEAwwUZXhwaXJlZC5mYWJyaWthbS5j',
    'b20wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC/ziHbiXwnzx8Df5Pe',
    'ey3Ku+IXoyV5hpXLI1bDjqDKVa4YP3KfTPwlUeCeL7QkFtsdIXFDrZ/v9cvgf6ek',
    '+oA96jKyGqnxJHQIWwIbsovZku3GWU2IColuE6uu3otJNIGHWNvQtyafeohc+VKr',
    '99m8blXh+k9aXHN8NM8DUupFLG7LV/eislJ8VfZfIch3kaPtn8EeH4kS3w4h+tgt',
    '0udsqkmcYsYa8RLs+5h2Flr1q/ue4rd2rCmrXlY8WJGvmcEQ8Pnq81zCfnXHuxwu',
    'v5/4iml0/ynixFht/QhF28a64t8QnwUdGTYUnXT4icJhvuCVO9dwrH++8F6fKiCA',
    'YwiRAgMBAAGjfzB9MAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgWgMB0GA1Ud',
    'JQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjAfBgNVHREEGDAWghRleHBpcmVkLmZh',
    'YnJpa2FtLmNvbTAdBgNVHQ4EFgQURfrHvK952MPlPPHFIfXk+1kiAmgwDQYJKoZI',
    'hvcNAQELBQADggEBACF9yGwIj1y2UpKH/iD/KvxFx5IESNpQ9o2rspaQTD67apQq',
    'RD2+uHFE+/vCITFYZdt5dYmQD263TS+1Ka067RFnVaJhAmqU8KaTRoHGB++NizJs',
    'biuK35kqSVeUfKh2Lq7BaPBlxnyJP13Shivo38wTFUz8dSFdMi9fZJz6CrEB0uXJ',
    'U621YIfRabX5UucLoyvL6+39UHSDzxFAU6Q5CJzcGDtaWb+cWf0/iYPat/r3/gkJ',
    'YJ/iMr+9n/hPIRq98HlDzz7o9V7qCrXnDc04iDmRDO9WjrSfF3JVDuKKt9DpPKYY',
    '4lpiKUQg+TNDDdrz9C4XYZTm5MUJarhSm4hAEdU='
)
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue
```

## Use instead
```powershell
$certificate = Get-ChildItem Cert:\LocalMachine\My | Where-Object { $_.Thumbprint -eq (Get-CsCertificate -Type OAuthTokenIssuer).Thumbprint }
$credValue = [System.Convert]::ToBase64String($certificate.GetRawCertData())
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter
```

## Fix safety
No fix: renew the OAuthTokenIssuer certificate (`Set-CsCertificate -Identity global -Type
OAuthTokenIssuer -Thumbprint <new> -Roll -EffectiveDate <date>`), then upload its public part.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let as_of = cx.file.as_of;
    for embedded in credential_certificates(cx) {
        let cert = &embedded.certificate;
        let subject = printable(&cert.subject);
        if cert.not_after < as_of {
            let mut d = RULE.at(
                embedded.span,
                format!(
                    "the certificate {subject} (thumbprint {}) expired on {}, before the check date {}: Office 365 cannot validate tokens signed with it.",
                    cert.sha1_thumbprint,
                    utc_text(cert.not_after),
                    utc_text(as_of)
                ),
                "renew the OAuthTokenIssuer certificate and upload the public part of the new one.",
            );
            d.severity = Severity::Error;
            out.push(d);
        } else if cert.not_after - as_of < Duration::days(EXPIRY_WARNING_DAYS) {
            out.push(RULE.at(
                embedded.span,
                format!(
                    "the certificate {subject} (thumbprint {}) expires on {}, within {EXPIRY_WARNING_DAYS} days of the check date {}.",
                    cert.sha1_thumbprint,
                    utc_text(cert.not_after),
                    utc_text(as_of)
                ),
                "plan the renewal now: stage the new certificate with Set-CsCertificate -Roll -EffectiveDate and upload its public part before that date.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::lint::tests::codes_found;
    use crate::semantic::certificates::test_certs::{expired, joined, made, oauth};

    fn found(text: &str) -> Vec<crate::diagnostic::Diagnostic> {
        codes_found("certificate-expiring", text)
    }

    #[test]
    fn expired_and_expiring_certificates_are_found() {
        let f = found(&format!(
            "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type asymmetric -Value '{}'",
            expired()
        ));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].message.contains("2020-12-31 23:59:59 UTC"),
            "{}",
            f[0].message
        );
        // Checked as of 2026-07-01: 2026-08-01 is within 60 days.
        let soon = made((2025, 1, 1), (2026, 8, 1));
        let f = found(&format!("$CertificateBase64 = {}\n{UPLOAD}", joined(&soon)));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        // A PEM block in a here-string, and a JSON body; each certificate once.
        let pem = crate::semantic::certificates::test_certs::EXPIRED_PEM;
        assert_eq!(
            found(&format!(
                "$pem = @'\n{pem}'@\n$again = @'\n{pem}'@\n{UPLOAD}"
            ))
            .len(),
            1
        );
        let json = format!(
            "$body = '{{\"keyCredentials\":[{{\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\",\"key\":\"{}\"}}]}}'",
            expired()
        );
        assert_eq!(found(&json).len(), 1);
    }

    const UPLOAD: &str = "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric -Usage Verify -Value $CertificateBase64";

    #[test]
    fn valid_certificates_and_other_text_are_fine() {
        for text in [
            // Not a script that uploads credentials.
            format!("$codeSigningCert = '{}'", expired()),
            format!("$CertificateBase64 = {}", joined(&oauth())),
            format!("$c = '{}'", made((2025, 1, 1), (2026, 9, 30))),
            "$credValue = [System.Convert]::ToBase64String($cer.GetRawCertData())".to_string(),
            "$x = 'MIIsomething that is not a certificate at all'".to_string(),
        ] {
            assert!(found(&text).is_empty(), "{text}");
        }
    }
}
