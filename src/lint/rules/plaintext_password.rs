//! `plaintext-password`: a password written in the script.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{CommandElement, Expression, PipelineElement};

pub const RULE: Rule = Rule {
    code: "plaintext-password",
    group: Group::Security,
    severity: Severity::Error,
    summary: "A password written in the script, in plain text.",
    doc: DOC,
    fix: FixSafety::None,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a literal password: `ConvertTo-SecureString 'text' -AsPlainText` (also through a
variable the script assigns a literal, and `'text' | ConvertTo-SecureString -AsPlainText`), a
literal string given to a `-Password` parameter, and a `NetworkCredential` built with a literal
password (`[System.Net.NetworkCredential]::new('user', 'text')`, `New-Object`). A `PSCredential`
built from such a SecureString is found at the `ConvertTo-SecureString`.

## Why it matters
Scripts are copied to file shares, wikis, tickets and source control. A password in one is read
by everyone who ever sees the file, and stays in every copy and in the version history after it is
changed. The cross-premises scripts are run by a tenant administrator: that password opens the
whole tenant.

## Example
```powershell
$password = ConvertTo-SecureString 'Pa$$w0rd!' -AsPlainText -Force
$credential = New-Object System.Management.Automation.PSCredential ('admin@contoso.onmicrosoft.com', $password)
Connect-MsolService -Credential $credential
```

## Use instead
```powershell
$credential = Get-Credential -Message 'Tenant administrator'
Connect-MsolService -Credential $credential
```

## Fix safety
No fix: prompt for the credential (`Get-Credential`), read it from a vault
(`Microsoft.PowerShell.SecretManagement`), or sign in interactively; then change the password,
which has been exposed.
"#;

/// Parameters that take a password.
const PASSWORD_PARAMETERS: &[&str] = &["Password", "Passwd", "Pwd", "PlainTextPassword"];

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for u in &cx.commands {
        if u.is("ConvertTo-SecureString") {
            let plain = as_plain_text(u);
            let value = u
                .binding
                .value("String")
                .or_else(|| u.binding.positionals.first().map(|p| p.value))
                .or_else(|| u.command.arguments().next());
            if plain
                && let Some(value) = value
                && literal(value, cx)
            {
                out.push(RULE.at(
                    value.span(),
                    "this password is written in the script: everyone who sees the file, or a copy of it, has it.",
                    "prompt for it (`Get-Credential`, `Read-Host -AsSecureString`) or read it from a vault; then change the password.",
                ));
            }
            continue;
        }
        // `New-Object System.Net.NetworkCredential('user', 'password')`.
        if u.is("New-Object")
            && let Some(type_name) = u
                .binding
                .value("TypeName")
                .or_else(|| u.binding.positionals.first().map(|p| p.value))
                .and_then(|t| cx.values.string_value(t))
            && is_network_credential(&type_name)
            && let Some(arguments) = u
                .binding
                .value("ArgumentList")
                .or_else(|| u.binding.positionals.get(1).map(|p| p.value))
            && let Some(password) = second_argument(arguments)
            && literal(password, cx)
        {
            out.push(network_credential(password));
        }
        for p in &u.binding.parameters {
            let name = p
                .resolved
                .parameter()
                .map_or(p.name_as_written, |q| q.name.as_str());
            if !PASSWORD_PARAMETERS
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
            {
                continue;
            }
            if let Some(value) = p.value
                && literal(value, cx)
            {
                out.push(RULE.at(
                    value.span(),
                    format!("a password is written in the script, as `-{}`'s value.", p.name_as_written),
                    "pass a SecureString or PSCredential obtained at run time (`Get-Credential`, a vault); then change the password.",
                ));
            }
        }
    }
    for node in &cx.nodes {
        match node {
            // `'text' | ConvertTo-SecureString -AsPlainText -Force`.
            NodeRef::Pipeline(p) => {
                if let [
                    PipelineElement::Expression(first),
                    PipelineElement::Command(second),
                    ..,
                ] = p.elements.as_slice()
                    && second
                        .name()
                        .is_some_and(|n| n.eq_ignore_ascii_case("ConvertTo-SecureString"))
                    && second.arguments().next().is_none()
                    && literal(&first.expression, cx)
                    && second.elements.iter().any(|e| {
                        matches!(e, CommandElement::Parameter(p) if abbreviates_as_plain_text(&p.name))
                    })
                {
                    out.push(RULE.at(
                        first.expression.span(),
                        "this password is written in the script: everyone who sees the file, or a copy of it, has it.",
                        "prompt for it (`Get-Credential`, `Read-Host -AsSecureString`) or read it from a vault; then change the password.",
                    ));
                }
            }
            // `[System.Net.NetworkCredential]::new('user', 'password')`.
            NodeRef::Expression(Expression::Invoke(i))
                if i.is_static
                    && i.member
                        .as_str()
                        .is_some_and(|m| m.eq_ignore_ascii_case("new"))
                    && matches!(&i.target, Expression::Type(t) if is_network_credential(&t.type_name.name))
                    && i.arguments.len() >= 2
                    && literal(&i.arguments[1], cx) =>
            {
                out.push(network_credential(&i.arguments[1]));
            }
            _ => {}
        }
    }
}

/// Whether the command has `-AsPlainText` (or a prefix of it).
fn as_plain_text(u: &crate::semantic::CommandUse<'_>) -> bool {
    u.binding
        .parameters
        .iter()
        .any(|p| abbreviates_as_plain_text(p.name_as_written))
}

/// `-AsPlainText`, or a prefix of it that PowerShell takes for it.
fn abbreviates_as_plain_text(written: &str) -> bool {
    written.len() >= 2
        && "AsPlainText"
            .get(..written.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(written))
}

fn is_network_credential(name: &str) -> bool {
    let name = name.trim();
    name.eq_ignore_ascii_case("System.Net.NetworkCredential")
        || name.eq_ignore_ascii_case("Net.NetworkCredential")
}

/// The second of the arguments `('user', 'password')` or `'user', 'password'`.
fn second_argument(arguments: &Expression) -> Option<&Expression> {
    match arguments {
        Expression::Paren(p) => match crate::semantic::values::single_expression(&p.pipeline)? {
            Expression::Array(a) => a.elements.get(1),
            _ => None,
        },
        Expression::Array(a) => a.elements.get(1),
        _ => None,
    }
}

fn network_credential(password: &Expression) -> Diagnostic {
    RULE.at(
        password.span(),
        "this password is written in the script, as a NetworkCredential's: everyone who sees the file, or a copy of it, has it.",
        "prompt for the credential (`Get-Credential`, then `.GetNetworkCredential()`) or read it from a vault; then change the password.",
    )
}

/// A non-empty literal string, or a variable holding one.
fn literal(e: &Expression, cx: &ScriptContext<'_>) -> bool {
    match e {
        Expression::String(s) => !s.value.is_empty(),
        Expression::Variable(_) => cx.values.string_value(e).is_some_and(|s| !s.is_empty()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> usize {
        codes_found("plaintext-password", text).len()
    }

    #[test]
    fn literal_passwords_are_reported() {
        assert_eq!(found("ConvertTo-SecureString 'x' -AsPlainText -Force"), 1);
        assert_eq!(
            found("ConvertTo-SecureString -String \"Secret1\" -AsPlain -Force"),
            1
        );
        assert_eq!(
            found("$p = 'Secret1'\n$s = ConvertTo-SecureString $p -AsPlainText -Force"),
            1
        );
        assert_eq!(found("New-LocalUser -Name x -Password 'Secret1'"), 1);
        assert_eq!(
            found("$s = ('Winter2026!' | ConvertTo-SecureString -AsPlainText -Force)"),
            1
        );
        assert_eq!(
            found("$c = [System.Net.NetworkCredential]::new('svc', 'Winter2026!')"),
            1
        );
        assert_eq!(
            found("$c = New-Object System.Net.NetworkCredential('svc', 'Winter2026!')"),
            1
        );
        assert_eq!(
            found(
                "$c = New-Object -TypeName Net.NetworkCredential -ArgumentList 'svc', 'Winter2026!'"
            ),
            1
        );
    }

    #[test]
    fn passwords_from_elsewhere_are_fine() {
        assert_eq!(
            found("ConvertTo-SecureString $env:PASSWORD -AsPlainText -Force"),
            0
        );
        assert_eq!(
            found("ConvertTo-SecureString (Get-Content p.txt) -AsPlainText -Force"),
            0
        );
        assert_eq!(found("$enc | ConvertTo-SecureString"), 0);
        assert_eq!(found("ConvertTo-SecureString $encrypted"), 0);
        assert_eq!(found("New-LocalUser -Name x -Password $secure"), 0);
        assert_eq!(found("ConvertTo-SecureString '' -AsPlainText -Force"), 0);
        assert_eq!(
            found("$plain | ConvertTo-SecureString -AsPlainText -Force"),
            0
        );
        assert_eq!(found("'x' | ConvertTo-SecureString"), 0);
        assert_eq!(
            found("$c = [System.Net.NetworkCredential]::new('svc', $secure)"),
            0
        );
        assert_eq!(found("$c = New-Object System.Net.NetworkCredential"), 0);
    }
}
