//! What the benchmarks share: medians of runs timed in alternation, and the parse of a set of
//! texts by xprem and by tree-sitter.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Median seconds per call of `a` and of `b`, timed in alternation (a, b, a, b, ...) for at
/// least `min` in all, so that a change in machine load hits both alike.
pub fn interleaved_medians(min: Duration, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    let m = interleaved_medians_of(min, &mut [&mut a, &mut b]);
    (m[0], m[1])
}

/// Median seconds per call of each function, timed in turn (one call of each, then again) for at
/// least `min` in all and five rounds at least, after one call of each to warm up.
pub fn interleaved_medians_of(min: Duration, fs: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    for f in fs.iter_mut() {
        f();
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); fs.len()];
    let start = Instant::now();
    while start.elapsed() < min || times[0].len() < 5 {
        for (f, t) in fs.iter_mut().zip(times.iter_mut()) {
            let at = Instant::now();
            f();
            t.push(at.elapsed().as_secs_f64());
        }
    }
    times.iter_mut().map(|t| median(t)).collect()
}

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

pub fn tree_sitter_parser() -> tree_sitter::Parser {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .expect("tree-sitter-powershell loads");
    parser
}

/// Parses every text with xprem.
pub fn parse_all(texts: &[String]) -> bool {
    texts
        .iter()
        .all(|t| xprem::powershell::parse(black_box(t)).is_ok())
}

/// Parses every text with tree-sitter.
pub fn tree_sitter_all(parser: &mut tree_sitter::Parser, texts: &[String]) -> bool {
    texts
        .iter()
        .all(|t| parser.parse(black_box(t), None).is_some())
}
