//! What `parse` gives for the constructs xprem relies on: commands with their parameters, the
//! walk over every nested command, named blocks, `#requires`, positions.

use super::ast::{
    Body, CommandElement, Expression, InvocationOperator, PipelineElement, QuoteKind, Statement,
};
use super::{LineIndex, parse};

fn names(text: &str) -> Vec<String> {
    let script = parse(text).unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
    script
        .commands()
        .iter()
        .map(|c| {
            c.name()
                .map_or_else(|| format!("<{}>", c.name.span().text(text)), str::to_string)
        })
        .collect()
}

#[test]
fn commands_are_found_everywhere_in_source_order() {
    let text = r#"
function Set-Trust {
    [CmdletBinding()]
    param([ValidateScript({ Test-Path $_ })] [string]$Path = (Get-Location))
    begin { Write-Verbose 'begin' }
    process {
        $h = @{ Key = (Get-Date); Other = { Get-Item x } }
        if (Test-One) { Invoke-Two } elseif ($(Test-Three)) { } else { Invoke-Four }
        foreach ($x in (Get-Five)) { switch ($x) { 1 { Invoke-Six } default { Invoke-Seven } } }
        try { Invoke-Eight "text $(Get-Nine) more" } catch [System.Exception] { Write-Ten } finally { Write-Eleven }
        $s = @"
here $(Get-Twelve)
"@
        Get-Thirteen | Where-Object { Test-Fourteen $_ } | ForEach-Object -Process { & $tool; . .\x.ps1 }
    }
}
class Pool { [string] Name() { return (Get-Fifteen) } }
"#;
    assert_eq!(
        names(text),
        [
            "Test-Path",
            "Get-Location",
            "Write-Verbose",
            "Get-Date",
            "Get-Item",
            "Test-One",
            "Invoke-Two",
            "Test-Three",
            "Invoke-Four",
            "Get-Five",
            "Invoke-Six",
            "Invoke-Seven",
            "Invoke-Eight",
            "Get-Nine",
            "Write-Ten",
            "Write-Eleven",
            "Get-Twelve",
            "Get-Thirteen",
            "Where-Object",
            "Test-Fourteen",
            "ForEach-Object",
            "<$tool>",
            ".\\x.ps1",
            "Get-Fifteen",
        ]
    );
}

#[test]
fn parameters_and_arguments_stay_as_written_and_only_the_colon_form_holds_a_value() {
    let text = "New-CsPartnerApplication -Identity Exchange -ApplicationTrustLevel:Full \
                -MetadataUrl https://autodiscover.contoso.com/metadata/json/1 -Verbose \
                positional @extra -Force 00000002-0000-0ff1-ce00-000000000000";
    let script = parse(text).unwrap();
    let command = script.commands()[0];
    assert_eq!(command.name(), Some("New-CsPartnerApplication"));
    // Which argument is a parameter's value depends on the command: the parser does not decide
    // (`crate::semantic::bind` does).
    let elements: Vec<String> = command
        .elements
        .iter()
        .map(|e| match e {
            CommandElement::Parameter(p) => match &p.value {
                Some(v) => format!("-{}:{}", p.name, v.span().text(text)),
                None => format!("-{}", p.name),
            },
            CommandElement::Argument(a) => a.span().text(text).to_string(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        elements,
        [
            "-Identity",
            "Exchange",
            "-ApplicationTrustLevel:Full",
            "-MetadataUrl",
            "https://autodiscover.contoso.com/metadata/json/1",
            "-Verbose",
            "positional",
            "@extra",
            "-Force",
            "00000002-0000-0ff1-ce00-000000000000"
        ]
    );
    assert!(command.parameter("applicationtrustlevel").unwrap().colon);
    assert_eq!(
        command.parameter("Identity").unwrap().span.text(text),
        "-Identity"
    );
    let arguments: Vec<&str> = command.arguments().filter_map(Expression::as_str).collect();
    assert_eq!(arguments.len(), 4);
    let splats: Vec<&str> = command.splats().map(|v| v.name.as_str()).collect();
    assert_eq!(splats, ["extra"]);
}

#[test]
fn bare_words_keep_their_text() {
    let text =
        r"Get-Thing microsoft.sts 6/1/2012 C:\Certificates\x.cer https://x.contoso.com/a?b=c 1MB";
    let script = parse(text).unwrap();
    let command = script.commands()[0];
    let words: Vec<String> = command
        .arguments()
        .map(|a| {
            a.as_str()
                .map_or_else(|| a.span().text(text).to_string(), str::to_string)
        })
        .collect();
    assert_eq!(
        words,
        [
            "microsoft.sts",
            "6/1/2012",
            r"C:\Certificates\x.cer",
            "https://x.contoso.com/a?b=c",
            "1MB"
        ]
    );
}

#[test]
fn a_line_starting_with_a_value_is_an_expression_and_with_a_word_a_command() {
    let script = parse("2 + 3\nWrite-Output 2 + 3").unwrap();
    let Body::Statements(list) = &script.body else {
        panic!("statements");
    };
    let Statement::Pipeline(first) = &list.statements[0] else {
        panic!("pipeline");
    };
    assert!(matches!(
        &first.elements[0],
        PipelineElement::Expression(e) if matches!(e.expression, Expression::Binary(_))
    ));
    let command = script.commands()[0];
    assert_eq!(command.arguments().count(), 3);
}

#[test]
fn invocation_operators_keep_the_command_expression() {
    let script = parse("& $exe /quiet\n. 'C:\\Program Files\\x.ps1'").unwrap();
    let commands = script.commands();
    assert_eq!(commands[0].invocation, Some(InvocationOperator::Call));
    assert!(matches!(&commands[0].name, Expression::Variable(v) if v.name == "exe"));
    assert_eq!(commands[1].invocation, Some(InvocationOperator::DotSource));
    assert_eq!(commands[1].name(), Some("C:\\Program Files\\x.ps1"));
    assert!(matches!(&commands[1].name, Expression::String(s) if s.quote == QuoteKind::Single));
}

#[test]
fn keywords_are_case_insensitive_and_not_keywords_inside_words() {
    let script = parse(
        "IF ($a) { 1 } ELSEIF ($b) { 2 } ELSE { 3 }\nForEach ($i In $list) { }\nifconfig /all",
    )
    .unwrap();
    let Body::Statements(list) = &script.body else {
        panic!("statements");
    };
    assert!(matches!(list.statements[0], Statement::If(_)));
    assert!(matches!(list.statements[1], Statement::Foreach(_)));
    assert_eq!(script.commands()[0].name(), Some("ifconfig"));
}

#[test]
fn script_level_named_blocks_and_param_block() {
    let script =
        parse("[CmdletBinding()]\nparam($Name)\nbegin { Get-A }\nprocess { Get-B }\nend { Get-C }")
            .unwrap();
    assert!(script.param_block.is_some());
    let Body::NamedBlocks(blocks) = &script.body else {
        panic!("named blocks");
    };
    assert_eq!(blocks.blocks.len(), 3);
    assert_eq!(script.commands().len(), 3);
    let e = parse("begin { }\nbegin { }").unwrap_err();
    assert!(e.message.contains("defined twice"), "{e}");
}

#[test]
fn requires_lines_are_read_and_checked() {
    let script = parse(
        "#Requires -Version 3.0 -Modules ActiveDirectory\n#requires -RunAsAdministrator\nGet-Date",
    )
    .unwrap();
    let names: Vec<&str> = script
        .requires
        .iter()
        .flat_map(|r| r.parameters.iter().map(|p| p.name.as_str()))
        .collect();
    assert_eq!(names, ["Version", "Modules", "RunAsAdministrator"]);
    // Inside a string or a block comment it is not a #requires line.
    assert!(parse("'#requires -Bogus'\n<#\n#requires -Bogus\n#>").is_ok());
    assert!(parse("#requires -Version three").is_err());
    // The last one is found after strings and here-strings that hold the word, and one in a
    // here-string that runs past the last real one is not read.
    let script = parse(
        "#requires -Version 3.0\n$a = @'\n#requires -Bogus\n'@\n$b = '#requires -Bogus'\n#Requires -Modules X\nGet-Date # #requires",
    )
    .unwrap();
    assert_eq!(script.requires.len(), 2);
    assert!(parse("#requires -Version 3.0\n$a = @'\n#requires -Bogus\n'@").is_ok());
}

#[test]
fn error_positions_are_lines_and_columns_in_characters() {
    // Two-byte characters before the error, CRLF line ends.
    let text = "$a = 'é'\r\n$b = 'ü' + (1 +\r\n";
    let e = parse(text).unwrap_err();
    assert_eq!(
        (e.line, e.column),
        LineIndex::new(text).line_col(text, e.span.start)
    );
    assert_eq!(e.line, 3, "{e}");
    let text = "Get-Thing -Identity <Identity>";
    let e = parse(text).unwrap_err();
    assert_eq!((e.line, e.column), (1, 21));
    assert!(e.message.contains("reserves the `<` operator"), "{e}");
}

#[test]
fn empty_and_blank_scripts_parse() {
    for text in ["", "\n\r\n", "   ", "# only a comment", "<# block #>", ";;"] {
        let script = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(script.commands().is_empty());
    }
}

#[test]
fn generated_style_script_parses() {
    let text = r#"#Requires -Version 3.0
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory = $true)]
    [ValidateNotNullOrEmpty()]
    [string]$SipDomain,
    [switch]$Force
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$metadata = 'https://{0}/metadata/json/1' -f $SipDomain
$params = @{
    Identity = 'Exchange'
    MetadataUrl = $metadata
}
if ($PSCmdlet.ShouldProcess($SipDomain, 'New-CsPartnerApplication')) {
    try {
        New-CsPartnerApplication @params -ApplicationTrustLevel Full
    } catch {
        Write-Error ("Failed: {0}" -f $_.Exception.Message)
        exit 1
    }
}
$cert = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2
$cert.Import("C:\Certificates\oauth.cer")
$note = @"
Configured $SipDomain at $(Get-Date -Format 'u').
"@
Write-Output $note
"#;
    assert_eq!(
        names(text),
        [
            "Set-StrictMode",
            "New-CsPartnerApplication",
            "Write-Error",
            "New-Object",
            "Get-Date",
            "Write-Output"
        ]
    );
    let script = parse(text).unwrap();
    let new_object = script.commands()[3];
    let argument = new_object.arguments().next().and_then(Expression::as_str);
    assert_eq!(
        argument,
        Some("System.Security.Cryptography.X509Certificates.X509Certificate2")
    );
    assert!(matches!(
        script.commands()[1].elements[0],
        CommandElement::Argument(Expression::Variable(ref v)) if v.splatted
    ));
}
