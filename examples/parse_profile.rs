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
//! `@fixtures` stands for the valid fixture snippets, `@samples` for `samples/scripts/*.ps1` and
//! the scripts xprem generates for `samples/fabrikam.json`.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn main() {
    let mut reps = 1usize;
    let mut tree_sitter = false;
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reps" => reps = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            "--tree-sitter" => tree_sitter = true,
            "@fixtures" => texts.extend(folder(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/parse/valid"
            ))),
            "@samples" => {
                texts.extend(folder(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/samples/scripts"
                )));
                texts.extend(generated_scripts());
            }
            path => texts.push((path.to_string(), read(Path::new(path)))),
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

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    xprem::powershell::decode(&bytes).text
}

fn folder(dir: &str) -> Vec<(String, String)> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "ps1"));
    paths.sort();
    paths
        .iter()
        .map(|p| (p.display().to_string(), read(p)))
        .collect()
}

fn generated_scripts() -> Vec<(String, String)> {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/fabrikam.json");
    let as_of = time::macros::datetime!(2026-11-26 0:00 UTC);
    let valid = xprem::config::check(&config, as_of)
        .expect("the sample config reads")
        .into_valid()
        .expect("the sample config is valid");
    let bundle = xprem::bundle::Bundle::build(&xprem::model::Model::new(&valid))
        .expect("the sample bundle builds");
    bundle
        .files
        .into_iter()
        .filter(|f| f.name.ends_with(".ps1"))
        .map(|f| (f.name, xprem::powershell::decode(&f.bytes).text))
        .collect()
}
