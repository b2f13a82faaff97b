//! The texts the parser is measured on, shared by `benches/parse.rs` and
//! `examples/parse_profile.rs`: the samples, the valid fixtures and a large generated script.

use std::path::{Path, PathBuf};

/// The files of a folder of the repository that `keep` accepts, sorted by name.
fn files_in(dir: &str, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
    paths.retain(|p| keep(p));
    paths.sort();
    paths
}

/// The `.ps1` files of a folder of the repository, sorted by name.
fn scripts_in(dir: &str) -> Vec<PathBuf> {
    files_in(dir, |p| p.extension().is_some_and(|e| e == "ps1"))
}

/// A script file as text, decoded as `xprem parse` decodes it.
pub fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    xprem::powershell::decode(&bytes).text
}

/// The valid fixture snippets, each a complete script: (name, text).
pub fn fixtures() -> Vec<(String, String)> {
    scripts_in("tests/fixtures/parse/valid")
        .iter()
        .map(|p| (p.display().to_string(), read(p)))
        .collect()
}

/// The sample scripts admins paste (`samples/scripts`) and the scripts xprem generates for every
/// sample config: (name, text).
pub fn samples() -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = scripts_in("samples/scripts")
        .iter()
        .map(|p| (p.display().to_string(), read(p)))
        .collect();
    // A fixed date, so that the sample certificates are inside their validity whenever this runs.
    let as_of = time::macros::datetime!(2026-01-01 0:00 UTC);
    let configs = files_in("samples", |p| {
        // Every config, not the JSON Schemas published beside them (*.schema.json).
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        (name.ends_with(".json") || name.ends_with(".toml")) && !name.ends_with(".schema.json")
    });
    for config in configs {
        let valid = xprem::config::check(&config, as_of)
            .and_then(|c| c.into_valid())
            .unwrap_or_else(|e| panic!("sample {} is valid: {e}", config.display()));
        let bundle = xprem::bundle::Bundle::build(&xprem::model::Model::new(&valid))
            .unwrap_or_else(|e| panic!("sample {} renders: {e}", config.display()));
        for file in bundle.files.iter().filter(|f| f.name.ends_with(".ps1")) {
            let name = format!("{}: {}", config.display(), file.name);
            texts.push((name, xprem::powershell::decode(&file.bytes).text));
        }
    }
    texts
}

/// The size of the large generated script.
pub const GENERATED_BYTES: usize = 2_000_000;

/// A large script in the style admins write: functions with param blocks, pipelines,
/// hashtables, splatting, here-strings, comments, loops and error handling.
pub fn generated(target_bytes: usize) -> String {
    let mut out = String::from(
        "#Requires -Version 3.0\r\n<#\r\n.SYNOPSIS\r\nGenerated benchmark script.\r\n#>\r\n\
         [CmdletBinding(SupportsShouldProcess = $true)]\r\nparam(\r\n    [Parameter(Mandatory = $true)]\r\n    \
         [string]$TenantName,\r\n    [int]$Retries = 3\r\n)\r\n$ErrorActionPreference = 'Stop'\r\n\r\n",
    );
    let mut i = 0usize;
    while out.len() < target_bytes {
        out.push_str(&format!(
            r#"function Set-Pool{i}Configuration {{
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, ValueFromPipeline = $true)]
        [ValidateNotNullOrEmpty()]
        [string]$Fqdn,
        [ValidateSet('Full', 'None')]
        [string]$TrustLevel = 'Full',
        [switch]$Force
    )
    begin {{ $count = 0 }}
    process {{
        # Compare what is configured with what is wanted, change only the difference.
        $current = Get-CsPartnerApplication -Identity "pool{i}" -ErrorAction SilentlyContinue
        $wanted = @{{
            Identity = "pool{i}"
            ApplicationIdentifier = '00000002-0000-0ff1-ce00-000000000000'
            ApplicationTrustLevel = $TrustLevel
            MetadataUrl = "https://$($Fqdn):443/metadata/json/1"
        }}
        if ($null -eq $current) {{
            if ($PSCmdlet.ShouldProcess($Fqdn, 'New-CsPartnerApplication')) {{
                New-CsPartnerApplication @wanted -Verbose:$false | Out-Null
            }}
        }} elseif ($current.ApplicationTrustLevel -ne $TrustLevel -or $Force) {{
            Set-CsPartnerApplication -Identity $wanted.Identity -ApplicationTrustLevel $TrustLevel
        }} else {{
            Write-Verbose ("Pool {{0}} is already configured ({{1}} items)" -f $Fqdn, $count)
        }}
        foreach ($spn in @("00000004-0000-0ff1-ce00-000000000000/$Fqdn", 'microsoft.sts')) {{
            $count += 1
            try {{
                $sp = Get-MsolServicePrincipal -AppPrincipalId $spn | Where-Object {{ $_.DisplayName -like '*Lync*' }}
                [void]$sp.ServicePrincipalNames.Add([string]::Format('{{0}}/{{1}}', $spn, $i))
            }} catch [System.Exception] {{
                Write-Warning "Could not update ${{spn}}: $($_.Exception.Message)"
                throw
            }} finally {{
                $sp = $null
            }}
        }}
    }}
    end {{
        $report = @"
Pool {i}: $count service principal names checked.
"@
        Write-Output $report
        return [pscustomobject]@{{ Pool = $Fqdn; Checked = $count; At = (Get-Date).ToUniversalTime() }}
    }}
}}

$results = 1..5 | ForEach-Object {{ Set-Pool{i}Configuration -Fqdn "lyncweb$_.fabrikam.com" -TrustLevel Full }}
switch -regex ($results.Count) {{ '^0$' {{ Write-Host 'none' }} default {{ Write-Host "$($results.Count) results" }} }}

"#
        ));
        i += 1;
    }
    out
}
