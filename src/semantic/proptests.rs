//! Binding, values and strings never panic on any script that parses: scripts are put together
//! from pieces that exercise them (assignments, splats, switches, prefixes, `--`, blocks) and
//! random words; the ones that do not parse are skipped.

use proptest::prelude::*;

use super::{Values, bind, splats};
use crate::powershell::ast::{CommandElement, Expression};
use crate::powershell::{NodeRef, parse, walk};

fn piece() -> impl Strategy<Value = String> {
    let fixed = prop_oneof![
        Just("$x = 'a'".to_owned()),
        Just("$x = \"v$y$($z)`$\"".to_owned()),
        Just("$p = @{ Identity = 'x'; UseOAuthServer = $true; 2 = $x }".to_owned()),
        Just("$p = [ordered]@{ A = Get-Date }".to_owned()),
        Just("$a = @('x', $y; 'z')".to_owned()),
        Just("$a = , $p".to_owned()),
        Just("$n = 1 + 2 + $n".to_owned()),
        Just("$j = -join @('a', $x)".to_owned()),
        Just("$f = '{0}{1}' -f $x, $j".to_owned()),
        Just("$x += 'b'".to_owned()),
        Just("$p.Key = 1".to_owned()),
        Just("$p.Add('k', 2)".to_owned()),
        Just("$OFS = ','".to_owned()),
        Just("New-CsPartnerApplication @p -UseOAuthServer x".to_owned()),
        Just("New-CsPartnerApplication -Appl x @a -ApplicationTrustLevel:Full".to_owned()),
        Just("Get-CsOAuthServer $x -ea 0 -Filter".to_owned()),
        Just("Get-Thing -A -B:$c @a -- -d @p".to_owned()),
        Just("Import-Module -Ver 1 MSOnline".to_owned()),
        Just("Remove-MsolServicePrincipalCredential -KeyId $k -App".to_owned()),
        Just("Update-MgServicePrincipal -AccountEnabled $true a b c".to_owned()),
        Just("& 'tool.exe' /x --% rest".to_owned()),
        Just(". .\\x.ps1".to_owned()),
        Just("Set-Variable -Name x 2".to_owned()),
        Just("Get-Item . -ov:+x".to_owned()),
        Just("Write-Output \"$x $a $p $n\"".to_owned()),
        Just("if ($c) {".to_owned()),
        Just("function f($x) {".to_owned()),
        Just("foreach ($x in $a) {".to_owned()),
        Just("& {".to_owned()),
        Just("}".to_owned()),
    ];
    prop_oneof![
        4 => fixed,
        1 => "[a-zA-Z-]{1,8}",
        1 => "-[A-Za-z]{1,6}",
        1 => "\\$[a-z]{1,3}",
        1 => "@[a-z]{1,2}",
        1 => "'[a-z$]{0,4}'",
        1 => "\"[a-z$() ]{0,6}\"",
    ]
}

fn script() -> impl Strategy<Value = String> {
    let separator = prop_oneof![Just(" "), Just("\n"), Just("; ")];
    prop::collection::vec((piece(), separator), 0..14)
        .prop_map(|parts| parts.into_iter().map(|(p, s)| format!("{p}{s}")).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn binding_and_values_never_panic(text in script()) {
        let Ok(script) = parse(&text) else {
            return Ok(());
        };
        let values = Values::new(&script, &text);
        for command in script.commands() {
            let binding = bind(command, &values);
            let _ = binding.unknown_parameters().count();
            let _ = binding.unbound_positionals().count();
            for p in &binding.parameters {
                prop_assert!(p.span.start <= p.span.end);
                if let Some(v) = p.value {
                    let _ = values.string_value(v);
                }
            }
            for variable in command.splats() {
                let _ = splats::resolve(variable, &values);
            }
            for element in &command.elements {
                if let CommandElement::Argument(a) = element {
                    let _ = values.evaluate(a);
                }
            }
        }
        let mut expressions: Vec<&Expression> = Vec::new();
        walk(&script, |node| {
            if let NodeRef::Expression(e) = node {
                expressions.push(e);
            }
        });
        for e in expressions {
            let _ = values.evaluate(e);
            if let Expression::Variable(v) = e {
                let _ = values.variable(v);
            }
        }
    }
}
