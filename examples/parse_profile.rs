//! A small driver for profiling the parser (`valgrind --tool=callgrind`, `perf`): parses the given
//! files a number of times with xprem's parser, or with tree-sitter-powershell (`--tree-sitter`),
//! and prints the time taken.
//!
//! ```text
//! cargo build --release --example parse_profile
//! valgrind --tool=callgrind target/release/examples/parse_profile --reps 1 big.ps1
//! target/release/examples/parse_profile --reps 20 --tree-sitter tests/fixtures/parse/valid/*.ps1
//! ```
//!
//! `@fixtures`, `@samples` and `@generated` stand for the bench's inputs (`benches/inputs`): the
//! valid fixture snippets; `samples/scripts/*.ps1` and the scripts xprem generates for every
//! sample config; the 2 MB generated script.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

#[path = "../benches/inputs/mod.rs"]
mod inputs;

fn main() {
    let mut reps = 1usize;
    let mut tree_sitter = false;
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reps" => reps = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            "--tree-sitter" => tree_sitter = true,
            "@fixtures" => texts.extend(inputs::fixtures()),
            "@samples" => texts.extend(inputs::samples()),
            "@generated" => texts.push((
                "generated".to_string(),
                inputs::generated(inputs::GENERATED_BYTES),
            )),
            path => texts.push((path.to_string(), inputs::read(Path::new(path)))),
        }
    }
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let start = Instant::now();
    let mut failed = 0;
    if tree_sitter {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_powershell::LANGUAGE.into())
            .expect("tree-sitter-powershell loads");
        for _ in 0..reps {
            for (_, t) in &texts {
                tree_sitter_parse(&mut parser, t);
            }
        }
    } else {
        for _ in 0..reps {
            for (name, t) in &texts {
                if let Err(e) = xprem_parse(t) {
                    failed += 1;
                    if failed < 5 {
                        eprintln!("{name}: {e}");
                    }
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} text(s), {} bytes, {reps} rep(s): {:.3} s, {:.2} MB/s{}",
        texts.len(),
        bytes,
        secs,
        (bytes * reps) as f64 / 1e6 / secs,
        if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        }
    );
}

/// One parse and the drop of its result (a function of its own, for
/// `valgrind --tool=callgrind --toggle-collect=parse_profile::xprem_parse`).
#[inline(never)]
fn xprem_parse(text: &str) -> Result<(), xprem::powershell::ParseError> {
    black_box(xprem::powershell::parse(black_box(text))).map(drop)
}

/// One tree-sitter parse and the drop of its tree.
#[inline(never)]
fn tree_sitter_parse(parser: &mut tree_sitter::Parser, text: &str) {
    black_box(parser.parse(black_box(text), None));
}
