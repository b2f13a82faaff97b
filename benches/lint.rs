//! Lint throughput against the parse alone and against tree-sitter-powershell, on the same text
//! in the same run.
//!
//! `cargo bench --bench lint` lints (every rule, as `xprem lint` runs them) the samples, the
//! parse fixtures and a large generated admin-style script, and prints for each set: MB/s of the
//! lint, of xprem's parse alone and of tree-sitter's parse, timed in alternation, and the ratios
//! (lint time over parse time: what the rules cost; tree-sitter's parse time over lint time).
//!
//! With `XPREM_BENCH_CORPUS=DIR` (the public corpus, rebuilt by `shared/corpus/rebuild.sh`) it
//! also measures the target on every script under DIR: the wall time of linting all of
//! them as `xprem lint DIR` does (in parallel on every core) against tree-sitter parsing the same
//! texts one after the other, as its CLI does. The target is a ratio of 0.5 or less.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

mod inputs;
mod timing;

/// The allocator of the `xprem` binary (src/main.rs), so that the bench measures what it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use timing::{
    interleaved_medians, interleaved_medians_of, parse_all, tree_sitter_all, tree_sitter_parser,
};

fn options() -> xprem::lint::Options<'static> {
    xprem::lint::Options {
        selection: xprem::lint::Selection::all(),
        as_of: time::macros::datetime!(2026-07-01 00:00 UTC),
        config: None,
    }
}

fn lint_all(texts: &[String], options: &xprem::lint::Options<'_>) -> usize {
    texts
        .iter()
        .map(|t| xprem::lint::lint(Path::new("bench.ps1"), black_box(t), None, options).len())
        .sum()
}

fn summary(name: &str, texts: &[String]) {
    let options = options();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let (lint, parse) = interleaved_medians(
        Duration::from_secs(4),
        || {
            black_box(lint_all(texts, &options));
        },
        || {
            black_box(parse_all(texts));
        },
    );
    let mut ts = tree_sitter_parser();
    let (lint2, tree_sitter) = interleaved_medians(
        Duration::from_secs(4),
        || {
            black_box(lint_all(texts, &options));
        },
        || {
            black_box(tree_sitter_all(&mut ts, texts));
        },
    );
    println!(
        "{name}: lint {:.2} MB/s, parse {:.2} MB/s, tree-sitter {:.2} MB/s; lint/parse time {:.2}, tree-sitter time/lint time {:.2}",
        mb / lint,
        mb / parse,
        mb / tree_sitter,
        lint / parse,
        tree_sitter / lint2,
    );
}

/// The target: `xprem lint` of the corpus (parallel) against tree-sitter's parse of it
/// (one file after the other).
fn corpus(dir: &Path) {
    let paths: Vec<_> = xprem::script_files::collect(&[dir.to_path_buf()])
        .into_iter()
        .filter_map(|i| match i {
            xprem::script_files::Input::File(p) => Some(p),
            _ => None,
        })
        .collect();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| xprem::powershell::decode(&std::fs::read(p).unwrap()).text)
        .collect();
    let options = options();
    let mut ts = tree_sitter_parser();
    let mut lint = || {
        let found: usize = texts
            .par_iter()
            .map(|t| xprem::lint::lint(Path::new("c.ps1"), t, None, &options).len())
            .sum();
        black_box(found);
    };
    let mut parse_parallel = || {
        black_box(
            texts
                .par_iter()
                .filter(|t| xprem::powershell::parse(t).is_ok())
                .count(),
        );
    };
    // Every file, those that do not parse too (`parse_all` stops at the first of them).
    let mut parse_one_core = || {
        black_box(
            texts
                .iter()
                .filter(|t| xprem::powershell::parse(black_box(t)).is_ok())
                .count(),
        );
    };
    let mut tree_sitter = || {
        black_box(tree_sitter_all(&mut ts, &texts));
    };
    let m = interleaved_medians_of(
        Duration::from_secs(30),
        &mut [
            &mut lint,
            &mut parse_parallel,
            &mut parse_one_core,
            &mut tree_sitter,
        ],
    );
    let (lint, parse_parallel, parse_one_core, tree_sitter) = (m[0], m[1], m[2], m[3]);
    println!(
        "corpus: {} files, {:.1} MB; lint (parallel, {} threads) {:.3} s, parse (parallel) {:.3} s, parse (one core) {:.3} s, tree-sitter parse {:.3} s",
        texts.len(),
        texts.iter().map(String::len).sum::<usize>() as f64 / 1e6,
        rayon::current_num_threads(),
        lint,
        parse_parallel,
        parse_one_core,
        tree_sitter,
    );
    println!(
        "corpus: lint/parse (parallel) {:.2}; parse (one core)/tree-sitter {:.2}; lint/tree-sitter wall time {:.2} (target <= 0.50)",
        lint / parse_parallel,
        parse_one_core / tree_sitter,
        lint / tree_sitter
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
    for (name, texts) in &sets {
        summary(name, texts);
    }
    if let Some(dir) = std::env::var_os("XPREM_BENCH_CORPUS") {
        corpus(Path::new(&dir));
    }
    let options = options();
    let mut group = c.benchmark_group("lint");
    for (name, texts) in &sets {
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("lint/{name}"), |b| {
            b.iter(|| lint_all(texts, &options))
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
