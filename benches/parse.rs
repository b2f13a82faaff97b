//! Parser throughput against tree-sitter-powershell, and peak memory.
//!
//! `cargo bench --bench parse` parses (1) each valid fixture snippet of `tests/fixtures/parse/valid`
//! and (2) a large generated admin-style script, with xprem's parser and
//! with the `tree-sitter-powershell` grammar, on the same text in the same run. Before criterion's
//! own report it prints a summary: MB/s for both parsers (medians of runs timed in alternation,
//! so that other load on the machine hits both alike), their ratio (xprem's speed over
//! tree-sitter's), and xprem's peak heap during one parse as a multiple of the input size
//! (measured with a counting allocator).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The valid fixture snippets, each a complete script.
fn fixtures() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/parse/valid");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "ps1"));
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect()
}

/// A large script in the style admins write: functions with param blocks, pipelines,
/// hashtables, splatting, here-strings, comments, loops and error handling.
fn generated(target_bytes: usize) -> String {
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

/// Median seconds per call of `a` and of `b`, timed in alternation (a, b, a, b, ...) for at
/// least `min` in all, so that a change in machine load hits both alike.
fn interleaved_medians(min: Duration, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    a();
    b();
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    let start = Instant::now();
    while start.elapsed() < min || ta.len() < 5 {
        let t = Instant::now();
        a();
        ta.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        b();
        tb.push(t.elapsed().as_secs_f64());
    }
    (median(&mut ta), median(&mut tb))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn tree_sitter_parser() -> tree_sitter::Parser {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .expect("tree-sitter-powershell loads");
    parser
}

/// Parses every text with xprem.
fn parse_all(texts: &[String]) -> bool {
    texts
        .iter()
        .all(|t| xprem::powershell::parse(black_box(t)).is_ok())
}

/// Parses every text with tree-sitter.
fn tree_sitter_all(parser: &mut tree_sitter::Parser, texts: &[String]) -> bool {
    texts
        .iter()
        .all(|t| parser.parse(black_box(t), None).is_some())
}

/// Prints MB/s of both parsers, the ratio (xprem's speed over tree-sitter's), and the peak heap
/// of xprem's parse of the largest text, as a multiple of its size.
fn summary(name: &str, texts: &[String]) {
    for t in texts {
        if let Err(e) = xprem::powershell::parse(t) {
            panic!("every {name} input must parse: {e}");
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    let mut ts = tree_sitter_parser();
    let (ours, theirs) = interleaved_medians(
        Duration::from_secs(6),
        || {
            black_box(parse_all(texts));
        },
        || {
            black_box(tree_sitter_all(&mut ts, texts));
        },
    );
    let largest = texts
        .iter()
        .max_by_key(|t| t.len())
        .map_or("", String::as_str);
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let script = xprem::powershell::parse(largest);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let kept = LIVE.load(Ordering::Relaxed) - base;
    drop(script);
    println!(
        "{name}: {} text(s), {:.0} KB; xprem {:.2} MB/s, tree-sitter {:.2} MB/s, ratio {:.2}",
        texts.len(),
        bytes as f64 / 1e3,
        mb / ours,
        mb / theirs,
        theirs / ours,
    );
    println!(
        "{name}: largest text {:.0} KB: xprem peak heap {:.1} x its size, syntax tree {:.1} x",
        largest.len() as f64 / 1e3,
        peak as f64 / largest.len().max(1) as f64,
        kept as f64 / largest.len().max(1) as f64
    );
}

fn bench(c: &mut Criterion) {
    let inputs = [
        ("fixtures", fixtures()),
        ("generated", vec![generated(2_000_000)]),
    ];
    // `XPREM_BENCH_DUMP=path` writes the generated script out, to profile it with `xprem parse`.
    if let Ok(path) = std::env::var("XPREM_BENCH_DUMP") {
        let _ = std::fs::write(path, &inputs[1].1[0]);
    }
    for (name, text) in &inputs {
        summary(name, text);
    }
    let mut group = c.benchmark_group("parse");
    for (name, texts) in &inputs {
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("xprem/{name}"), |b| b.iter(|| parse_all(texts)));
        let mut ts = tree_sitter_parser();
        group.bench_function(format!("tree-sitter/{name}"), |b| {
            b.iter(|| tree_sitter_all(&mut ts, texts))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
