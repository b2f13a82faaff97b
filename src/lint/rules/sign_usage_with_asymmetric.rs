//! `sign-usage-with-asymmetric`: an asymmetric (certificate) key credential with the usage `Sign`.

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::ast::{Expression, QuoteKind};

use crate::semantic::credentials::credentials;

pub const RULE: Rule = Rule {
    code: "sign-usage-with-asymmetric",
    group: Group::Credentials,
    severity: Severity::Error,
    summary: "A certificate key credential with the usage Sign: the OAuth certificate must be Verify.",
    doc: DOC,
    fix: FixSafety::Unsafe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports `-Usage Sign` with `-Type Asymmetric` (`New-MsolServicePrincipalCredential`,
`New-MsolServicePrincipal`), and `usage = 'Sign'` with `type = 'AsymmetricX509Cert'` in a Graph
key credential (hashtable or JSON), when both values are known.

## Why it matters
The certificate registered on the Office 365 service principal is the public part of the
OAuthTokenIssuer certificate: Office 365 uses it to verify the tokens Lync/Skype for Business
Server signs, so its usage is `Verify`. The MSOnline reference allows `Sign` only for symmetric
keys, and a Graph `Sign` key must carry a private key, which must never leave the Front End.

## Example
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Sign -Value $credValue
```

## Use instead
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credValue
```

## Fix safety
Unsafe fix: writes `Verify`. It changes what is registered, which is the point; review it.
"#;

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for c in credentials(cx) {
        if c.is_asymmetric() != Some(true) {
            continue;
        }
        let Some(usage) = &c.usage else { continue };
        if !usage
            .text
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case("Sign"))
        {
            continue;
        }
        let mut d = RULE.at(
            usage.span,
            "a certificate (asymmetric) key credential with the usage Sign: Office 365 verifies the tokens Lync/Skype for Business Server signs with this certificate, so its usage must be Verify (MSOnline allows Sign only for symmetric keys).",
            "write the usage Verify.",
        );
        if let Some(Expression::String(s)) = usage.expression {
            let replacement = match s.quote {
                QuoteKind::Bare => "Verify".to_string(),
                QuoteKind::Double | QuoteKind::HereDouble => "\"Verify\"".to_string(),
                _ => "'Verify'".to_string(),
            };
            d = d.with_fix(Fix::replace(
                Applicability::Unsafe,
                "write the usage Verify",
                usage.span,
                replacement,
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("sign-usage-with-asymmetric", text).len()
    }

    #[test]
    fn sign_with_a_certificate_is_found() {
        assert_eq!(
            found(
                "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type asymmetric -Usage sign -Value $v"
            ),
            1
        );
        assert_eq!(
            found(
                "$u = 'Sign'\nNew-MsolServicePrincipalCredential -AppPrincipalId $id -Type:Asymmetric -Usage:$u -Value $v"
            ),
            1
        );
        assert_eq!(
            found(
                "$p = @{ AppPrincipalId = $id; Type = 'Asymmetric'; Usage = 'Sign'; Value = $v }\nNew-MsolServicePrincipalCredential @p"
            ),
            1
        );
        assert_eq!(
            found("$k = @{ Type = 'AsymmetricX509Cert'; Usage = 'Sign'; Key = $bytes }"),
            1
        );
        assert_eq!(
            found("$b = '{\"type\":\"AsymmetricX509Cert\",\"usage\":\"Sign\",\"key\":\"x\"}'"),
            1
        );
    }

    #[test]
    fn verify_symmetric_and_unknown_are_fine() {
        for text in [
            "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Asymmetric -Usage Verify -Value $v",
            "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type Symmetric -Usage Sign",
            "New-MsolServicePrincipalCredential -AppPrincipalId $id -Usage Sign",
            "New-MsolServicePrincipalCredential -AppPrincipalId $id -Type $t -Usage Sign -Value $v",
            "$k = @{ Type = 'X509CertAndPassword'; Usage = 'Sign'; Key = $bytes }",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
    }
}
