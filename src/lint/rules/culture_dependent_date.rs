//! `culture-dependent-date`: a date written as `6/1/2012` or `01.06.2012`, which PowerShell reads
//! in a culture: the day meant depends on the machine, or on who reads the script.

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::lint::context::ScriptContext;
use crate::lint::rule::{Check, FixSafety, Group, Rule};
use crate::powershell::NodeRef;
use crate::powershell::ast::{Expression, QuoteKind, Statement};

use crate::semantic::dates::{
    DateText, NumericDate, Order, Reading, iso_text, local_text, parse_date_text,
};

pub const RULE: Rule = Rule {
    code: "culture-dependent-date",
    group: Group::Credentials,
    severity: Severity::Warning,
    summary: "A date written with the day and month as numbers, which PowerShell reads in a culture.",
    doc: DOC,
    fix: FixSafety::Safe,
    check: Check::Script(check),
};

const DOC: &str = r#"## What it does
Reports a date written as numbers with the year last (`6/1/2012`, `01.06.2012`, `5/31/2013
8:00 AM`) where PowerShell turns it into a `DateTime`: a parameter of type DateTime of a compiled
cmdlet (`New-MsolServicePrincipalCredential -StartDate`/`-EndDate`, `Set-CsCertificate
-EffectiveDate`, `Get-Date -Date`, `New-CsRgsHoliday`...), `[datetime]::Parse('...')`,
`[Convert]::ToDateTime('...')`, and a cast `[datetime]'...'`. Also through a variable assigned the text once.

## Why it matters
A string given to a compiled cmdlet's DateTime parameter is read in the current culture of the
session (PowerShell issues #3348 and #6989, kept by design): `-StartDate 6/1/2012` is 1 June on
an en-US machine, 6 January on an en-GB, de-DE or fr-FR one, and `-EndDate 5/31/2013` fails there
("Cannot convert value"). Microsoft's Lync 2013 page writes its credential dates this way
(`-StartDate 6/1/2012 -EndDate 5/31/2013`). A
cast reads the text in the invariant culture, month first, on every machine: the script is
stable, but an admin in a day-first country reads `[datetime]'6/1/2012'` as 6 January.

## Example
```powershell
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credentialsValue -StartDate 6/30/2025 -EndDate 6/29/2026
```

```powershell
$rollDate = [datetime]'11/30/2026 22:00'
Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $thumbprint -Roll -EffectiveDate $rollDate
```

## Use instead
```powershell
$certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('C:\Certificates\Office365.cer')
$credentialsValue = [System.Convert]::ToBase64String($certificate.GetRawCertData())
New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $credentialsValue -StartDate $certificate.NotBefore -EndDate $certificate.NotAfter
```

```powershell
Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $thumbprint -Roll -EffectiveDate '2026-11-30T22:00:00'
```

## Fix safety
The fix writes the date year first (ISO 8601: `'2013-05-31'`, `'2026-11-30T22:00:00'`), which
every culture reads the same. It is offered only when the meaning is certain: for a cast, the
invariant culture's reading (month first); elsewhere, when only one reading is a valid date
(`5/31/2013`). A date whose day and month are the same number (`1/1/2012`) means one day
everywhere and is not reported. `6/1/2012` given to a cmdlet has
two meanings: no fix, a person must say which day was meant. A two-digit year (`09/24/24`) is
completed by a Windows setting: no fix either.
"#;

/// Compiled cmdlets outside the catalog whose DateTime parameters scripts of this domain pass
/// text to, and the position of their first positional DateTime parameter (`Get-Date '...'`).
const DATE_PARAMETERS: &[(&str, &[&str], Option<usize>)] = &[
    ("Get-Date", &["Date"], Some(0)),
    ("Set-Date", &["Date"], Some(0)),
    ("New-TimeSpan", &["Start", "End"], Some(0)),
    ("Get-EventLog", &["After", "Before"], None),
    ("New-CsRgsHoliday", &["StartDate", "EndDate"], None),
];

fn check(cx: &ScriptContext<'_>, out: &mut Vec<Diagnostic>) {
    for u in &cx.commands {
        let b = &u.binding;
        if b.cmdlet.is_some() {
            for p in &b.parameters {
                let is_date = p
                    .resolved
                    .parameter()
                    .is_some_and(|q| q.type_name.eq_ignore_ascii_case("DateTime"));
                if is_date && let Some(value) = p.value {
                    report(cx, value, Reading::Culture, out);
                }
            }
            continue;
        }
        let Some(&(_, names, position)) = DATE_PARAMETERS.iter().find(|(name, _, _)| u.is(name))
        else {
            continue;
        };
        let mut named = false;
        for p in &b.parameters {
            if names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(p.name_as_written))
            {
                named = true;
                if let Some(value) = p.value {
                    report(cx, value, Reading::Culture, out);
                }
            }
        }
        if !named
            && let Some(i) = position
            && let Some(arg) = b.positionals.get(i)
            && !arg.from_splat
        {
            report(cx, arg.value, Reading::Culture, out);
        }
    }
    cx.nodes.iter().copied().for_each(|node| match node {
        NodeRef::Expression(Expression::Convert(c)) if is_datetime(&c.type_name) => {
            report(cx, &c.operand, Reading::Invariant, out);
        }
        NodeRef::Expression(Expression::Invoke(i))
            if i.is_static
                && i.arguments.len() == 1
                && i.member
                    .as_str()
                    .is_some_and(|m| m.eq_ignore_ascii_case("Parse"))
                && matches!(&i.target, Expression::Type(t) if is_datetime(&t.type_name)) =>
        {
            report(cx, &i.arguments[0], Reading::Culture, out);
        }
        // `[Convert]::ToDateTime('6/1/2012')`: the current culture too.
        NodeRef::Expression(Expression::Invoke(i))
            if i.is_static
                && i.arguments.len() == 1
                && i.member
                    .as_str()
                    .is_some_and(|m| m.eq_ignore_ascii_case("ToDateTime"))
                && matches!(&i.target, Expression::Type(t) if is_convert(&t.type_name)) =>
        {
            report(cx, &i.arguments[0], Reading::Culture, out);
        }
        NodeRef::Statement(Statement::Assignment(a)) => {
            if let Expression::Convert(c) = &a.target
                && is_datetime(&c.type_name)
                && let Some(value) = crate::semantic::values::single_expression(&a.value)
            {
                report(cx, value, Reading::Invariant, out);
            }
        }
        _ => {}
    });
}

/// `[Convert]`, `[System.Convert]`.
fn is_convert(t: &crate::powershell::ast::TypeName) -> bool {
    t.generic_arguments.is_empty()
        && t.array_ranks.is_empty()
        && matches!(
            t.name.to_ascii_lowercase().as_str(),
            "convert" | "system.convert"
        )
}

fn is_datetime(t: &crate::powershell::ast::TypeName) -> bool {
    t.generic_arguments.is_empty()
        && t.array_ranks.is_empty()
        && matches!(
            t.name.to_ascii_lowercase().as_str(),
            "datetime" | "system.datetime"
        )
}

/// `$cer.GetEffectiveDateString()` / `GetExpirationDateString()`, directly or through a variable
/// assigned it once: the certificate's dates as text in the current culture and local time zone.
fn date_string_method<'e>(cx: &ScriptContext<'e>, value: &'e Expression) -> Option<&'e str> {
    let e = crate::semantic::lists::follow(cx, value);
    match e {
        Expression::Invoke(i) if i.arguments.is_empty() => i.member.as_str().filter(|m| {
            m.eq_ignore_ascii_case("GetEffectiveDateString")
                || m.eq_ignore_ascii_case("GetExpirationDateString")
        }),
        _ => None,
    }
}

fn report(cx: &ScriptContext<'_>, value: &Expression, reading: Reading, out: &mut Vec<Diagnostic>) {
    if reading == Reading::Culture
        && let Some(method) = date_string_method(cx, value)
    {
        out.push(RULE.at(
            value.span(),
            format!("{method}() writes the date as text in the current culture and the local time zone, and the parameter reads it back in a culture: where the two differ, or across a daylight-saving change, the date is wrong or refused (\"Invalid value for parameter. Parameter name: Credential.EndDate\")."),
            "pass the certificate's dates as DateTime values: $cer.NotBefore and $cer.NotAfter (X509Certificate2).",
        ));
        return;
    }
    let Some(text) = cx.values.string_value(value) else {
        return;
    };
    let Some(DateText::Numeric(n)) = parse_date_text(&text) else {
        return;
    };
    // Day and month the same (`1/1/2018`): every reading is the same day.
    if !n.short_year && n.first == n.second {
        return;
    }
    let written = text.trim();
    // A cast with dots or dashes is read month first too, but with less certainty of how the
    // invariant culture takes those separators: found, not fixed.
    let meant = match reading {
        Reading::Invariant if n.separator == '/' => {
            n.reading(Order::MonthFirst).or_else(|| n.only_reading())
        }
        _ => n.only_reading(),
    };
    let message = message(written, &n, reading);
    let help = match meant {
        Some(t) => format!(
            "write it year first, '{}', which every culture reads the same; better, pass a DateTime (the certificate's NotBefore/NotAfter, or [datetime]::new(...)).",
            iso_text(t)
        ),
        None => "write the day meant year first ('yyyy-MM-dd'), which every culture reads the same, or pass a DateTime (the certificate's NotBefore/NotAfter, or [datetime]::new(...)).".to_string(),
    };
    let mut d = RULE.at(value.span(), message, help);
    if let (Some(t), Expression::String(s)) = (meant, value) {
        let iso = iso_text(t);
        let replacement = match s.quote {
            QuoteKind::Double | QuoteKind::HereDouble => format!("\"{iso}\""),
            _ => format!("'{iso}'"),
        };
        d = d.with_fix(Fix::replace(
            Applicability::Safe,
            format!("write {replacement}"),
            value.span(),
            replacement,
        ));
    }
    out.push(d);
}

fn message(written: &str, n: &NumericDate, reading: Reading) -> String {
    let month_first = n.reading(Order::MonthFirst).map(local_text);
    let day_first = n.reading(Order::DayFirst).map(local_text);
    if n.short_year {
        return format!(
            "`{written}` has a two-digit year, which Windows completes by a setting of the machine, and its day and month are read in a culture."
        );
    }
    match reading {
        Reading::Invariant => match (month_first, day_first) {
            (Some(m), Some(d)) if m != d => format!(
                "a cast reads `{written}` month first on every machine ({m}), but a reader where the day comes first takes it for {d}."
            ),
            (Some(m), _) => format!(
                "a cast reads `{written}` month first ({m}); written this way it depends on the reader's habits."
            ),
            (None, _) => format!(
                "a cast reads `{written}` month first, and there is no such month: the cast fails on every machine."
            ),
        },
        _ => match (month_first, day_first) {
            (Some(m), Some(d)) => format!(
                "`{written}` is read in the culture of the session that runs the script: {m} where the month comes first (en-US), {d} where the day comes first (en-GB, de-DE, fr-FR...)."
            ),
            (Some(m), None) => format!(
                "`{written}` is read in the culture of the session that runs the script: {m} where the month comes first (en-US), and an error where the day comes first (en-GB, de-DE, fr-FR...)."
            ),
            (None, Some(d)) => format!(
                "`{written}` is read in the culture of the session that runs the script: {d} where the day comes first, and an error where the month comes first (en-US)."
            ),
            (None, None) => {
                format!("`{written}` is not a valid date in either order of day and month.")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::fix;
    use crate::lint::tests::codes_found;

    fn found(text: &str) -> Vec<crate::diagnostic::Diagnostic> {
        codes_found("culture-dependent-date", text)
    }

    fn fixed(text: &str) -> String {
        let found = found(text);
        let fixes: Vec<_> = found.iter().filter_map(|d| d.fix.as_ref()).collect();
        fix::apply(text, fixes).unwrap().0
    }

    const CRED: &str = "New-MsolServicePrincipalCredential -AppPrincipalId 00000004-0000-0ff1-ce00-000000000000 -Type Asymmetric -Usage Verify -Value $v";

    #[test]
    fn the_pages_dates_are_found_and_the_certain_one_fixed() {
        let text = format!("{CRED} -StartDate 6/1/2012 -EndDate 5/31/2013");
        let f = found(&text);
        assert_eq!(f.len(), 2);
        assert!(f[0].fix.is_none(), "6/1/2012 has two meanings");
        assert!(f[0].message.contains("2012-06-01") && f[0].message.contains("2012-01-06"));
        assert_eq!(
            fixed(&text),
            format!("{CRED} -StartDate 6/1/2012 -EndDate '2013-05-31'")
        );
    }

    #[test]
    fn other_styles_are_found() {
        // Quoted, colon form, mixed case, splat, variable, backtick continuation.
        assert_eq!(found(&format!("{CRED} -startdate:\"01.06.2012\"")).len(), 1);
        assert_eq!(
            found("$p = @{ AppPrincipalId = $id; StartDate = '31.05.2013'; EndDate = '2014-05-31' }\nNew-MsolServicePrincipalCredential @p").len(),
            1
        );
        assert_eq!(
            found(&format!("$end = '5/31/2013'\n{CRED} `\n  -EndDate $end")).len(),
            1
        );
        assert_eq!(found("Get-Date '6/1/2012'").len(), 1);
        // The MSOnline reference's example.
        assert_eq!(
            found(&format!("{CRED} -StartDate $cer.GetEffectiveDateString() -EndDate $cer.GetExpirationDateString()")).len(),
            2
        );
        assert_eq!(
            found(&format!(
                "$end = $cer.GetExpirationDateString()\n{CRED} -EndDate $end"
            ))
            .len(),
            1
        );
        assert_eq!(found("Get-Date -Date 6/1/2012 -Format o").len(), 1);
        assert_eq!(found("[DateTime]::Parse('6/1/2012')").len(), 1);
        assert_eq!(found("[System.Convert]::ToDateTime('6/1/2012')").len(), 1);
        assert!(found("[Convert]::ToDateTime('2012-06-01')").is_empty());
        // A cast is month first whatever the separator: `13.01.2026` fails on every machine.
        let cast = found("[datetime]'13.01.2026'");
        assert!(
            cast[0].message.contains("fails on every machine"),
            "{}",
            cast[0].message
        );
        assert_eq!(found("$d = [datetime]'6/1/2012'").len(), 1);
        assert_eq!(found("[datetime]$d = '6/1/2012 10:00 PM'").len(), 1);
        assert_eq!(
            found("New-CsRgsHoliday -Name \"New Year\" -StartDate \"1/1/2018 12:00 AM\" -EndDate \"1/2/2018 12:00 AM\"").len(),
            1
        );
        assert_eq!(found("Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $t -Roll -EffectiveDate '7/21/2026 1:00:00 PM'").len(), 1);
    }

    #[test]
    fn fixes_keep_the_quotes_and_the_time() {
        assert_eq!(
            fixed("$d = [datetime]'6/1/2012'"),
            "$d = [datetime]'2012-06-01'"
        );
        assert_eq!(
            fixed("$d = [datetime]\"11/30/2026 10:00 PM\""),
            "$d = [datetime]\"2026-11-30T22:00:00\""
        );
        assert_eq!(
            fixed("Get-Date -Date 13/1/2018"),
            "Get-Date -Date '2018-01-13'"
        );
        // Through a variable: found, not fixed (the text may be used elsewhere).
        let text = format!("$end = '5/31/2013'\n{CRED} -EndDate $end");
        assert_eq!(fixed(&text), text);
        // Two-digit years and dotted casts keep their text.
        let text = "Get-Date 09/24/24";
        assert_eq!(fixed(text), text);
        let text = "[datetime]'01.06.2012'";
        assert_eq!(fixed(text), text);
    }

    #[test]
    fn unambiguous_and_unknown_dates_are_fine() {
        for text in [
            &format!("{CRED} -StartDate '2012-06-01' -EndDate 2013-05-31") as &str,
            &format!("{CRED} -StartDate $cert.NotBefore -EndDate $cert.NotAfter"),
            &format!("{CRED} -StartDate (Get-Date) -EndDate (Get-Date).AddYears(1)"),
            &format!("{CRED} -StartDate $start"),
            "[datetime]'2026-11-30T22:00:00Z'",
            "[datetime]::ParseExact('01.06.2012', 'dd.MM.yyyy', [cultureinfo]::InvariantCulture)",
            "[datetime]::Parse('6/1/2012', [cultureinfo]::InvariantCulture)",
            "Get-Date -Format 'dd/MM/yyyy'",
            "Write-Host 'Valid from 6/1/2012'",
            "Get-Thing -StartDate 6/1/2012",
            "$version = [version]'1.2.3'",
            "Get-Date -Date 'June 1, 2012'",
            "New-CsRgsHoliday -Name x -StartDate $s",
            "$s = $cer.GetEffectiveDateString()\nWrite-Host $s",
            "Get-Date -Date 1/1/1970",
            "[datetime]'11/11/2019'",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
