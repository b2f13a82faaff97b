//! `config-certificate-mismatch`: a certificate or thumbprint in the script that is not the
//! config's certificate.

use crate::cert::printable;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{Expression, Statement};

use crate::semantic::certificates::credential_certificates;

pub const RULE: Rule = Rule {
    code: "config-certificate-mismatch",
    group: Group::Config,
    severity: Severity::Error,
    summary: "A certificate or thumbprint in the script that is not the config's certificate.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Runs only with `xprem lint --config CONFIG`. Reports a certificate written in the script (a
Base64 credential value or Graph key, a string or variable holding one) whose SHA-1 thumbprint is
not the config's certificate's, and a thumbprint that is not it: `Set-CsCertificate -Thumbprint`,
and a variable named `...Thumbprint` assigned a 40-digit hex value.

## Why it matters
Office 365 validates the tokens of the on-premises servers with the certificate uploaded for
them. Uploading another one (an old export, another pool's, Exchange's), or assigning another
OAuthTokenIssuer certificate on premises, breaks the trust the config describes.

## Example
```powershell
Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 4D9E07E366BC42961686FEF9677512826F90778F
```

## Use instead
```powershell
Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint 54C5F8A84E0C62B8C0DABB7E6843C48E06C64D51
```

## Fix safety
No fix: decide which certificate is the OAuthTokenIssuer, and make the config and the script
name the same one.
"#;

/// A thumbprint as written (`54 c5 f8...` or `54C5F8...`), normalised, when it is one.
fn thumbprint(text: &str) -> Option<String> {
    let hex: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    (hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_uppercase())
}

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    let Some(model) = cx.file.config else { return };
    let wanted = model.certificate.sha1_thumbprint.to_ascii_uppercase();
    for e in credential_certificates(cx) {
        let c = &e.certificate;
        if !c.sha1_thumbprint.eq_ignore_ascii_case(&wanted) {
            out.push(RULE.at(
                e.span,
                format!(
                    "this certificate ({}, thumbprint {}) is not the config's ({}, thumbprint {wanted}).",
                    printable(&c.subject),
                    c.sha1_thumbprint,
                    printable(&model.certificate.subject)
                ),
                "upload the config's OAuthTokenIssuer certificate, or lint against the config this script belongs to.",
            ));
        }
    }
    let report = |e: &Expression, out: &mut Vec<Diagnostic>| {
        if let Some(found) = cx.values.string_value(e).as_deref().and_then(thumbprint)
            && found != wanted
        {
            out.push(RULE.at(
                e.span(),
                format!("the thumbprint {found} is not the config's certificate's ({wanted})."),
                "use the config's certificate, or lint against the config this script belongs to.",
            ));
        }
    };
    for u in &cx.commands {
        if u.is("Set-CsCertificate")
            && let Some(v) = u.binding.value("Thumbprint")
        {
            report(v, out);
        }
    }
    cx.nodes.iter().copied().for_each(|node| {
        if let NodeRef::Statement(Statement::Assignment(a)) = node
            && let Expression::Variable(v) = &a.target
            && v.unqualified().to_ascii_lowercase().ends_with("thumbprint")
            && let Some(value) = crate::semantic::values::single_expression(&a.value)
            && matches!(value, Expression::String(_))
        {
            report(value, out);
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{codes_found, lint_with};
    use crate::semantic::certificates::test_certs::{expired, joined, oauth};

    fn found(text: &str) -> usize {
        codes_found("config-certificate-mismatch", text).len()
    }

    #[test]
    fn other_certificates_and_thumbprints_are_found() {
        assert_eq!(
            found(&format!(
                "$CertificateBase64 = {}\nNew-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric -Value $CertificateBase64",
                joined(&expired())
            )),
            1
        );
        assert_eq!(
            found(&format!(
                "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric -Value '{}'",
                expired()
            )),
            1
        );
        assert_eq!(
            found("$CertificateThumbprint = '4D9E07E366BC42961686FEF9677512826F90778F'"),
            1
        );
        assert_eq!(
            found(
                "$t = '4d 9e 07 e3 66 bc 42 96 16 86 fe f9 67 75 12 82 6f 90 77 8f'\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $t"
            ),
            1
        );
    }

    #[test]
    fn the_configs_certificate_and_unknown_values_are_fine() {
        for text in [
            format!("$CertificateBase64 = {}", joined(&oauth())),
            "$CertificateThumbprint = '54c5f8a84e0c62b8c0dabb7e6843c48e06c64d51'".to_string(),
            "Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $thumbprint"
                .to_string(),
            "$objectId = '4D9E07E366BC42961686FEF9677512826F90778F'".to_string(),
        ] {
            assert_eq!(found(&text), 0, "{text}");
        }
        assert!(lint_with(&["config"], &format!("$c = '{}'", expired())).is_empty());
    }
}
