//! `credential-outside-certificate`: a key credential valid before or after the certificate it
//! holds.

use crate::cert::utc_text;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use crate::semantic::certificates::decode;
use crate::semantic::credentials::credentials;
use crate::semantic::dates::{certainly_after_moment, certainly_before_moment};

pub const RULE: Rule = Rule {
    code: "credential-outside-certificate",
    group: Group::Credentials,
    severity: Severity::Error,
    summary: "A key credential whose dates reach outside the validity of the certificate it holds.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a key credential whose start date is before the `NotBefore` of the certificate it holds,
or whose end date is after its `NotAfter`, when the certificate is written in the script (the
Base64 `-Value` of `New-MsolServicePrincipalCredential`, the `key` of a Graph key credential,
directly or through a variable) and the dates are known. A value computed at run time
(`[Convert]::ToBase64String($cer.GetRawCertData())`) is not judged.

## Why it matters
The MSOnline reference says it plainly: for an asymmetric key the dates must lie within the
certificate's validity, "otherwise an OAuth token will not be issued for this application".
The credential is accepted, and server-to-server authentication fails later, far from the cause.
Microsoft's Lync 2013 page hard-codes example dates, which match no one's certificate.

## Example
```powershell
$credValue = -join @(
    'MIIDsDCCApigAwIBAgIQXzqcDnsh1EaKCxwtPk9QYTANBgkqhkiG9w0BAQsFADBA',
    'MQswCQYDVQQGEwJVUzERMA8GA1UECgwIRmFicmlrYW0xHjAcBgNVBAMMFWx5bmNw',
    'b29sLmZhYnJpa2FtLmNvbTAeFw0yNTAxMDEwMDAwMDBaFw00NTEyMzEyMzU5NTla',
    'MEAxCzAJBgNVBAYTAlVTMREwDwYDVQQKDAhGYWJyaWthbTEeMBwGA1UEAwwVbHlu',
    'Y3Bvb2wuZmFicmlrYW0uY29tMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC',
    'AQEAzg0lfm9HXXZUWZmwP9yVnsafC9YS37eesUfkHfxa3JhUuBMvqpVin3ZG0j91',
    'dgqaXfijY3pZBy9+KHVuDTAugYM18NfKPo7SgsgakH02V8bsGvruX5MBBCpg6e2y',
    'wT83JxAUpvK3ZsXCDYTF0bl8MLMW8337Xg5/LQBs45iYfhlq3EB2jp7ZJldWJly8',
    'LPknZWU3bTKFJqbt24ftTfyCbKtvnbN/BVDiZiPMlPHzxDvfcRz9Uz4L3NFl6JSE',
    'Kf1SEdXaw1V31vi5kKG+flBOR7A11sycoAPmvvu4YMs7dWbWyy60mCa9+aO57fmx',
    '5yDnWDvbkni9vwkPQycgUyXIRwIDAQABo4GlMIGiMAwGA1UdEwEB/wQCMAAwDgYD',
    'VR0PAQH/BAQDAgWgMB0GA1UdJQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjBEBgNV',
    'HREEPTA7ghVseW5jcG9vbC5mYWJyaWthbS5jb22CFGx5bmN3ZWIuZmFicmlrYW0u',
    'Y29tggxmYWJyaWthbS5jb20wHQYDVR0OBBYEFAQQVLI5fO4KhYZrcsEnX7AgzuWL',
    'MA0GCSqGSIb3DQEBCwUAA4IBAQCon80AcHuk3+/lNB0CT4c45oFfxYK5COjyfJ95',
    'hdSAT0JR2RluDvicx4lCNcxQVZ98hCURS2OovtjaYOBsRNVgqYrsGg6f4tnN+DeU',
    'wJls4op+HOdS+Fn3b6ynpc9Un4++a4MXebMe1A7Y8Uiu4yziOt3+LVAXxyLA/2fV',
    'qutWF6yXsO9jswlsTD/cenr5ZxfiwcCJYpKcRrmoYRklqYfRPJNab6j6sVA75exy',
    '0u+sbLZM2rTdWD1+ivJkAyA1W1p+ONEvJvwd4PrOPhMnvt3eA+ujGFm67vTthhTE',
    'FV9B0CQ+mQ5MRCSLY1l2AvfGY6y0SeQ+zyK7DbvGEG6XRj+9'
)
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue -StartDate '2024-06-01' -EndDate '2046-05-31'
```

## Use instead
```powershell
$certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('C:\Certificates\Office365.cer')
$credValue = [System.Convert]::ToBase64String($certificate.GetRawCertData())
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter
```

## Fix safety
No fix: the dates to use are the certificate's own (`NotBefore`, `NotAfter`), best read from
the certificate at run time rather than written out.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for c in credentials(cx) {
        if c.is_asymmetric() == Some(false) {
            continue;
        }
        let Some(text) = c.value.as_ref().and_then(|v| v.text.as_deref()) else {
            continue;
        };
        let Ok(cert) = decode(text) else {
            continue;
        };
        let help = "use the certificate's own window: -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter (Graph: StartDateTime and EndDateTime).";
        if let Some(start) = &c.start
            && let Some(s) = &start.value
            && certainly_before_moment(s, cert.not_before)
        {
            out.push(RULE.at(
                start.span,
                format!(
                    "the credential starts on {}, before the certificate it holds is valid (NotBefore {}): Office 365 issues no OAuth token with it.",
                    s.describe(),
                    utc_text(cert.not_before)
                ),
                help,
            ));
        }
        if let Some(end) = &c.end
            && let Some(e) = &end.value
            && certainly_after_moment(e, cert.not_after)
        {
            out.push(RULE.at(
                end.span,
                format!(
                    "the credential ends on {}, after the certificate it holds expires (NotAfter {}): Office 365 issues no OAuth token with it.",
                    e.describe(),
                    utc_text(cert.not_after)
                ),
                help,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;
    use crate::semantic::certificates::test_certs::{joined, oauth};

    fn found(text: &str) -> Vec<crate::diagnostic::Diagnostic> {
        codes_found("credential-outside-certificate", text)
    }

    fn msol(value: &str, dates: &str) -> String {
        format!(
            "$credValue = {value}\nNew-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue {dates}"
        )
    }

    #[test]
    fn dates_outside_the_embedded_certificate_are_found() {
        let b64 = format!("'{}'", oauth());
        let f = found(&msol(&b64, "-StartDate 2024-06-01 -EndDate 2046-05-31"));
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f[0].message.contains("2025-01-01 00:00:00 UTC"));
        assert_eq!(
            found(&msol(&joined(&oauth()), "-StartDate 6/1/2012")).len(),
            1
        );
        // Graph hashtable with the key as ASCII bytes of the Base64 text, and a JSON body.
        let table = format!(
            "$key = '{}'\nUpdate-MgServicePrincipal -ServicePrincipalId $id -KeyCredentials @{{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = [System.Text.Encoding]::ASCII.GetBytes($key); StartDateTime = '2024-01-01T00:00:00Z'; EndDateTime = '2030-01-01T00:00:00Z' }}",
            oauth()
        );
        assert_eq!(found(&table).len(), 1);
        let json = format!(
            "$body = '{{\"keyCredentials\":[{{\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\",\"key\":\"{}\",\"startDateTime\":\"2025-01-01T00:00:00Z\",\"endDateTime\":\"2046-01-01T00:00:00Z\"}}]}}'",
            oauth()
        );
        assert_eq!(found(&json).len(), 1);
    }

    #[test]
    fn dates_inside_or_unknown_are_fine() {
        let b64 = format!("'{}'", oauth());
        for text in [
            msol(&b64, "-StartDate 2025-01-01 -EndDate 2045-12-31"),
            msol(
                &b64,
                "-StartDate '2025-01-01T00:00:00Z' -EndDate '2045-12-31T23:59:59Z'",
            ),
            msol(&b64, ""),
            msol(&b64, "-StartDate $cert.NotBefore -EndDate $cert.NotAfter"),
            // A local midnight on the first day may be a few hours before NotBefore: not certain.
            msol(&b64, "-StartDate '2025-01-01 00:00:00'"),
            msol(
                "[System.Convert]::ToBase64String($cer.GetRawCertData())",
                "-StartDate 2012-01-01",
            ),
            // A symmetric key is not a certificate.
            format!(
                "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Symmetric -Value {b64} -StartDate 2012-01-01"
            ),
        ] {
            assert!(found(&text).is_empty(), "{text}");
        }
    }
}
