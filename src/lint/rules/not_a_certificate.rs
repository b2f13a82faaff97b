//! `not-a-certificate`: a certificate credential whose value is not an X.509 certificate, or any
//! credential value that is a private key or a PFX.

use crate::cert::{CertErrorKind, PrivateKeyForm};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};

use crate::semantic::certificates::{decode, embedded_secrets, written_at};
use crate::semantic::credentials::credentials;

pub const RULE: Rule = Rule {
    code: "not-a-certificate",
    group: Group::Credentials,
    severity: Severity::Error,
    summary: "A certificate credential whose value is not a certificate, or a private key or PFX written in the script.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Decodes the value of each key credential the script creates, when it is known (the `-Value` of
`New-MsolServicePrincipalCredential -Type Asymmetric`, the `key` of a Graph `AsymmetricX509Cert`
key credential), and reports one that is not an X.509 certificate: a private key, a PFX
(PKCS#12) archive, a .p7b bundle, a certificate request, a thumbprint, a file path, damaged or
truncated Base64. A private key or a PFX is reported in any credential, whatever its type, and
anywhere else in the script too: a PEM block (`-----BEGIN PRIVATE KEY-----`, `RSA`, `EC`,
`ENCRYPTED PRIVATE KEY`) with its Base64 in a string or here-string, or one line of Base64 that
decodes to a PKCS#8 or PKCS#1 key or a PFX. A public certificate is not reported, nor a BEGIN
line alone (a script that looks for one: `$pem -match '-----BEGIN PRIVATE KEY-----'`).

## Why it matters
Office 365 needs the public certificate, Base64 of its DER bytes
(`[Convert]::ToBase64String($cert.GetRawCertData())`). Anything else is refused, or registers a
key that verifies nothing. A private key or a PFX in a script is worse: the secret that signs
every token of the deployment is in a file that is copied, mailed and versioned. Treat it as
compromised.

## Example
```powershell
$credValue = 'C:\Certificates\Office365.cer'
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue
```

## Use instead
```powershell
$certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('C:\Certificates\Office365.cer')
$credValue = [System.Convert]::ToBase64String($certificate.GetRawCertData())
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue
```

## Fix safety
No fix. For a private key or PFX: remove it from the script and from its history, renew the
certificate (its key is exposed), and upload only the public part of the new one.
"#;

/// What the value is, in words, and whether it is a secret.
fn describe(kind: &CertErrorKind, text: &str) -> (String, bool) {
    let t = text.trim();
    match kind {
        CertErrorKind::PrivateKey { form } => (format!("a private key ({form})"), true),
        CertErrorKind::Pfx => (
            "a PFX (PKCS#12) archive, a certificate with its private key".into(),
            true,
        ),
        CertErrorKind::Pkcs7 => ("a PKCS#7 bundle (.p7b), not one certificate".into(), false),
        CertErrorKind::CertificateRequest => ("a certificate request (CSR)".into(), false),
        CertErrorKind::Crl => ("a certificate revocation list".into(), false),
        CertErrorKind::PublicKeyOnly => {
            ("a bare public key, without its certificate".into(), false)
        }
        CertErrorKind::MultipleCertificates { certificates } => (
            format!("{} certificates where one belongs", certificates.len()),
            false,
        ),
        CertErrorKind::Thumbprint { digits } => (
            format!("a {digits}-digit thumbprint, not the certificate"),
            false,
        ),
        CertErrorKind::Truncated { .. } => (
            "a certificate cut short (a line lost in a copy or paste?)".into(),
            false,
        ),
        CertErrorKind::Empty | CertErrorKind::Blank => ("empty".into(), false),
        _ if t.contains('\\') || t.to_ascii_lowercase().ends_with(".cer") => (
            "a file path, not the certificate's Base64 text".into(),
            false,
        ),
        CertErrorKind::InvalidBase64 { .. }
        | CertErrorKind::InvalidBase64Char { .. }
        | CertErrorKind::NotCertificateText { .. } => ("not Base64 text".into(), false),
        _ => ("Base64 that is not an X.509 certificate".into(), false),
    }
}

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut reported = Vec::new();
    for c in credentials(cx) {
        let Some(value) = &c.value else { continue };
        let Some(text) = value.text.as_deref() else {
            continue;
        };
        let asymmetric = c.is_asymmetric() == Some(true);
        let Err(kind) = decode(text) else { continue };
        let (what, secret) = describe(&kind, text);
        if !asymmetric && !secret {
            continue;
        }
        let span = value
            .expression
            .and_then(|e| written_at(cx, e))
            .unwrap_or(value.span);
        let d = if secret {
            RULE.at(
                span,
                format!("this credential value is {what}: a secret written in the script, and not what Office 365 takes (the public certificate)."),
                "remove it from the script and its history, renew the certificate (its private key is exposed), and give only the public part: [Convert]::ToBase64String($certificate.GetRawCertData()).",
            )
        } else {
            RULE.at(
                span,
                format!("this certificate credential's value is {what}: Office 365 takes the Base64 of the certificate's DER bytes."),
                "read the certificate and pass [System.Convert]::ToBase64String($certificate.GetRawCertData()).",
            )
        };
        reported.push(span);
        out.push(d);
    }
    // A private key or PFX anywhere else in the script.
    for secret in embedded_secrets(cx) {
        if reported
            .iter()
            .any(|r| r.start < secret.span.end && secret.span.start < r.end)
        {
            continue;
        }
        // The line of a PEM block counts in the string, not the file: not said.
        let what = match &secret.kind {
            CertErrorKind::PrivateKey {
                form: PrivateKeyForm::PemBlock { label, .. },
            } => format!("a private key (a PEM block labelled \"{label}\")"),
            kind => describe(kind, "").0,
        };
        out.push(RULE.at(
            secret.span,
            format!("this string is {what}: a secret written in the script, readable by anyone who gets a copy of it."),
            "remove it from the script and its history, renew the certificate (its private key is exposed), and load the key at run time from a certificate store, a protected file or a vault.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;
    use crate::semantic::certificates::test_certs::{oauth, pfx, private_key};

    fn found(text: &str) -> Vec<crate::diagnostic::Diagnostic> {
        codes_found("not-a-certificate", text)
    }

    fn msol(kind: &str, value: &str) -> String {
        format!(
            "New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type {kind} -Usage Verify -Value '{value}'"
        )
    }

    #[test]
    fn keys_pfx_and_other_values_are_found() {
        let key = private_key();
        let f = found(&msol("Asymmetric", &key));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("private key") && f[0].message.contains("secret"));
        assert!(
            !f[0].message.contains(&key[..16]),
            "the key is never quoted"
        );
        // A secret in any credential, whatever its type.
        assert_eq!(found(&msol("Symmetric", &pfx())).len(), 1);
        assert!(
            found(&msol("Asymmetric", "C:\\Certificates\\Office365.cer"))[0]
                .message
                .contains("file path")
        );
        assert_eq!(
            found(&msol(
                "Asymmetric",
                "54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51"
            ))
            .len(),
            1
        );
        assert_eq!(found(&msol("Asymmetric", &oauth()[..400])).len(), 1);
        // Graph forms.
        assert_eq!(
            found(&format!("$k = @{{ Type = 'AsymmetricX509Cert'; Usage = 'Verify'; Key = [System.Convert]::FromBase64String('{}') }}", pfx())).len(),
            1
        );
        assert_eq!(
            found(&format!(
                "$b = '{{\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\",\"key\":\"{}\"}}'",
                private_key()
            ))
            .len(),
            1
        );
        // Reported where the text is written.
        let text = format!(
            "$v = '{}'\nNew-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric -Value $v",
            pfx()
        );
        let f = found(&text);
        assert_eq!(f[0].location.span.unwrap().start, 5);
    }

    /// `body` as a PEM block labelled `label`, in lines of 64 characters.
    fn pem(label: &str, body: &str) -> String {
        let lines: Vec<String> = body
            .as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----",
            lines.join("\n")
        )
    }

    #[test]
    fn private_keys_and_pfx_written_anywhere_are_found() {
        let key = private_key();
        for label in [
            "PRIVATE KEY",
            "RSA PRIVATE KEY",
            "EC PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
        ] {
            let text = format!(
                "$privateKey = @'\n{}\n'@\nWrite-Output $privateKey",
                pem(label, &key)
            );
            let f = found(&text);
            assert_eq!(f.len(), 1, "{label}: {f:?}");
            assert!(f[0].message.contains("private key"), "{}", f[0].message);
            assert!(
                !f[0].message.contains(&key[..16]),
                "the key is never quoted"
            );
            assert_eq!(f[0].location.span.unwrap().start, 14);
        }
        let text = format!(
            "$pem = \"{}\"",
            pem("PRIVATE KEY", &key).replace('\n', "`n")
        );
        assert_eq!(found(&text).len(), 1, "{text}");
        assert_eq!(found(&format!("$pk = '{key}'\nWrite-Output $pk")).len(), 1);
        // The outline of a PFX, as long as a small real one's first line.
        let long_pfx = {
            use base64::Engine as _;
            let engine = base64::engine::general_purpose::STANDARD;
            let mut der = engine.decode(pfx()).unwrap();
            der.extend([0u8; 96]);
            engine.encode(der)
        };
        assert_eq!(
            found(&format!("Set-Content key.txt -Value '{long_pfx}'")).len(),
            1
        );
        // A credential's value is reported once.
        assert_eq!(
            found(&format!(
                "$v = '{key}'\n{}",
                msol("Asymmetric", "x").replace("'x'", "$v")
            ))
            .len(),
            1
        );
    }

    #[test]
    fn public_certificates_and_key_labels_are_fine() {
        let cert = oauth();
        for text in [
            format!("$cer = '{cert}'"),
            format!("$pem = @'\n{}\n'@", pem("CERTIFICATE", &cert)),
            "if ($pem -match '-----BEGIN PRIVATE KEY-----') { throw 'no keys here' }".to_string(),
            "$body = $pem.Replace('-----BEGIN RSA PRIVATE KEY-----', '').Replace('-----END RSA PRIVATE KEY-----', '')".to_string(),
            "$template = @'\n-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n'@".to_string(),
            format!("$notKey = '{}'", "MIIB".repeat(60)),
        ] {
            let f = found(&text);
            assert!(f.is_empty(), "{text}\n{f:?}");
        }
    }

    #[test]
    fn certificates_and_other_credentials_are_fine() {
        for text in [
            msol("Asymmetric", &oauth()),
            msol("Symmetric", "c2VjcmV0IGtleSBmb3IgdGVzdHMgb25seQ=="),
            msol("Password", "not base64 at all"),
            "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric -Value $credValue".to_string(),
            "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type $t -Value 'C:\\x.cer'".to_string(),
            "New-MsolServicePrincipalCredential -AppPrincipalId $id -Value 'c2VjcmV0'".to_string(),
        ] {
            assert!(found(&text).is_empty(), "{text}");
        }
    }
}
