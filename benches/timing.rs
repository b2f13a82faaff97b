//! Timing shared by the benchmarks: medians of runs timed in alternation, and tree-sitter.

use std::time::{Duration, Instant};

/// Median seconds per call of `a` and of `b`, timed in alternation (a, b, a, b, ...) for at
/// least `min` in all, so that a change in machine load hits both alike.
pub fn interleaved_medians(min: Duration, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
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
