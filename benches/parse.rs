//! Parser throughput against tree-sitter-powershell, and peak memory.
//!
//! `cargo bench --bench parse` parses (1) the samples: the scripts in `samples/scripts` and every
//! script `xprem generate` writes for the sample configs, (2) each valid fixture snippet of
//! `tests/fixtures/parse/valid` and (3) a large generated admin-style script, with xprem's parser and
//! with the `tree-sitter-powershell` grammar, on the same text in the same run. Before criterion's
//! own report it prints a summary: MB/s for both parsers (medians of runs timed in alternation,
//! so that other load on the machine hits both alike), their ratio (xprem's speed over
//! tree-sitter's), and xprem's peak heap during one parse as a multiple of the input size
//! (measured with a counting allocator over mimalloc, the binary's allocator).

use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod inputs;
mod timing;

use timing::{interleaved_medians, parse_all, tree_sitter_all, tree_sitter_parser};

/// Counts live heap bytes and their peak, over the allocator of the `xprem` binary
/// (src/main.rs), so that the speed measured is the binary's.
struct Counting;

static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { INNER.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { INNER.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { INNER.realloc(ptr, layout, new_size) };
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
    let texts = |named: Vec<(String, String)>| named.into_iter().map(|(_, t)| t).collect();
    let sets: [(&str, Vec<String>); 3] = [
        ("samples", texts(inputs::samples())),
        ("fixtures", texts(inputs::fixtures())),
        (
            "generated",
            vec![inputs::generated(inputs::GENERATED_BYTES)],
        ),
    ];
    for (name, text) in &sets {
        summary(name, text);
    }
    let mut group = c.benchmark_group("parse");
    for (name, texts) in &sets {
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
