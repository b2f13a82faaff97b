//! The parser never panics, overflows its stack or hangs: deep nesting, long operator chains
//! (which parse: they are not nesting), arbitrary bytes and mutated scripts. The fixtures under
//! `tests/fixtures/parse` seed the mutations (never corpus files).

use proptest::prelude::*;

use super::ast::Body;
use super::{MAX_DEPTH, decode, parse};

/// Runs `f` on a thread with a 2 MiB stack (the default for Rust test and spawned threads), so a
/// pass does not depend on the 8 MiB main thread.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn thread")
        .join()
        .expect("the parse thread did not panic or overflow")
}

/// Scripts that nest `n` levels deep in every way PowerShell can nest.
fn nested(n: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "parentheses",
            format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        ),
        (
            "script blocks",
            format!("{}{}", "{".repeat(n), "}".repeat(n)),
        ),
        (
            "array subexpressions",
            format!("{}{}", "@(".repeat(n), ")".repeat(n)),
        ),
        (
            "subexpressions",
            format!("{}{}", "$(".repeat(n), ")".repeat(n)),
        ),
        (
            "hashtables",
            format!("{}1{}", "@{a=".repeat(n), "}".repeat(n)),
        ),
        (
            "strings in subexpressions",
            format!("{}{}", "\"$(".repeat(n), ")\"".repeat(n)),
        ),
        (
            "if blocks",
            format!("{}{}", "if(1){".repeat(n), "}".repeat(n)),
        ),
        (
            "functions",
            format!("{}{}", "function f{".repeat(n), "}".repeat(n)),
        ),
        (
            "command arguments",
            format!("{}1{}", "a (".repeat(n), ")".repeat(n)),
        ),
        (
            "script block arguments",
            format!("{}{}", "a {".repeat(n), "}".repeat(n)),
        ),
        ("indexes", format!("$a{}", "[0]".repeat(n))),
        (
            "nested indexes",
            format!("{}0{}", "$a[".repeat(n), "]".repeat(n)),
        ),
        ("members", format!("$a{}", ".b".repeat(n))),
        ("method calls", format!("$a{}", ".b()".repeat(n))),
        ("static members", format!("[a]{}", "::b".repeat(n))),
        ("casts", format!("{}1", "[int]".repeat(n))),
        (
            "negated parentheses",
            format!("{}1{}", "-(".repeat(n), ")".repeat(n)),
        ),
        ("spaced unary minus", format!("{}1", "- ".repeat(n))),
        ("not", format!("{}1", "!".repeat(n))),
        ("unary commas", format!("{}1", ",".repeat(n))),
        ("-not", format!("{}1", "-not ".repeat(n))),
        ("assignments", format!("{}1", "$a=".repeat(n))),
        ("ternaries", format!("{}2", "$a ? 1 : ".repeat(n))),
        (
            "generic type names",
            format!("[a{}]", "[b".repeat(n) + &"]".repeat(n)),
        ),
        (
            "attribute arguments",
            format!("param([a({}1{})]$x)", "(".repeat(n), ")".repeat(n)),
        ),
        (
            "here-string subexpressions",
            format!("@\"\n{}{}\n\"@", "$(".repeat(n), ")".repeat(n)),
        ),
    ]
}

#[test]
fn a_hundred_thousand_levels_give_a_clean_error() {
    for (what, text) in nested(100_000) {
        let result = on_small_stack(move || parse(&text).map(|_| ()));
        let e = match result {
            Ok(()) => panic!("{what}: 100,000 levels were accepted"),
            Err(e) => e,
        };
        assert!(
            e.message.contains("too deeply")
                || e.message.contains("too deeply for xprem")
                || e.message.contains("too complex"),
            "{what}: {e}"
        );
    }
}

#[test]
fn nesting_up_to_the_limit_never_crashes_and_moderate_nesting_parses() {
    for depth in [20, MAX_DEPTH / 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1] {
        for (what, text) in nested(depth) {
            let result = on_small_stack(move || {
                // Building, walking, serializing and dropping all happen on the small stack.
                parse(&text).map(|script| {
                    let commands = script.commands().len();
                    let json = serde_json::to_string(&script).map(|j| j.len());
                    (commands, json.is_ok())
                })
            });
            match result {
                Ok((_, serialized)) => assert!(serialized, "{what} at depth {depth}: JSON"),
                Err(e) => {
                    assert!(depth > 20, "{what} at depth {depth}: {e}");
                    assert!(
                        e.message.contains("too deeply")
                            || e.message.contains("too deeply for xprem")
                            || e.message.contains("too complex"),
                        "{what} at depth {depth}: {e}"
                    );
                }
            }
        }
    }
}

/// Flat chains of binary operators, `n` operands long: not nesting, however long.
fn chains(n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("strings added", format!("'a'{}", " + 'a'".repeat(n - 1))),
        ("numbers added", format!("1{}", "+1".repeat(n - 1))),
        ("-and", format!("$true{}", " -and $true".repeat(n - 1))),
        ("ranges", format!("1{}", "..1".repeat(n - 1))),
        ("format operators", format!("'x'{}", " -f 1".repeat(n - 1))),
        (
            "mixed precedence",
            format!("1{}", " -eq 1 + 2 * 3 -and 4".repeat((n - 1) / 4)),
        ),
    ]
}

#[test]
fn six_hundred_operands_are_not_too_deep() {
    for (what, text) in chains(600) {
        let script = parse(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(serde_json::to_string(&script).is_ok(), "{what}");
        let copy = script.clone();
        assert_eq!(copy, script, "{what}");
    }
    // In a command argument and a condition too.
    let text = format!(
        "if ($a{}) {{ Write-Output ('a'{}) }}",
        " -and $a".repeat(599),
        " + 'a'".repeat(599)
    );
    assert_eq!(parse(&text).map(|s| s.commands().len()), Ok(1));
}

#[test]
fn a_hundred_thousand_operands_parse_and_drop() {
    // On the test thread: building is a loop and dropping is iterative, so no stack grows with
    // the chain.
    for (what, text) in chains(100_000) {
        let script = parse(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(script.commands().len(), 0, "{what}");
        let Body::Statements(list) = &script.body else {
            panic!("{what}: statements expected");
        };
        assert_eq!(list.statements.len(), 1, "{what}");
        drop(script);
    }
}

#[test]
fn a_long_chain_serializes_clones_and_compares() {
    let text = format!("$x = 1{}", " + 1".repeat(20_000));
    let script = parse(&text).unwrap();
    let json = serde_json::to_string(&script).unwrap();
    assert_eq!(json.matches("\"operator\":\"+\"").count(), 20_000);
    assert_eq!(script.clone(), script);
    assert!(format!("{script:?}").len() > 20_000);
}

#[test]
fn real_nesting_past_the_limit_is_still_an_error() {
    let builder_limit = format!(
        "the script nests brackets, blocks or operators too deeply for xprem \
         (more than {MAX_DEPTH} levels of the syntax tree)"
    );
    // pest's own limit (on its stack of rule calls) may come first.
    let grammar_limit = "the script nests brackets or blocks too deeply to parse";
    let deep = MAX_DEPTH / 2 + 1;
    for (text, builder) in [
        (format!("{}1{}", "(".repeat(deep), ")".repeat(deep)), true),
        (
            format!("{}{}", "{".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH)),
            false,
        ),
        (
            format!("{}1 + 1{}", "(1 + ".repeat(deep), ")".repeat(deep)),
            false,
        ),
    ] {
        let e = parse(&text).unwrap_err();
        if builder {
            assert_eq!(e.message, builder_limit, "{text}");
        } else {
            assert!(
                e.message == builder_limit || e.message == grammar_limit,
                "{e}"
            );
        }
    }
}

#[test]
fn long_flat_scripts_parse() {
    let n = 20_000;
    for text in [
        "Get-Thing -Name x\n".repeat(n),
        format!("a{}", " | b".repeat(n)),
        format!("a{}", " && b".repeat(n)),
        format!("$a = 1{}", ", 1".repeat(n)),
        format!("Write-Output{}", " x".repeat(n)),
        format!(
            "@{{{}}}",
            (0..n).map(|i| format!("a{i} = 1\n")).collect::<String>()
        ),
        format!("\"{}\"", "$a ".repeat(n)),
    ] {
        // Speed is measured by `cargo bench`, never here: a timed test fails on a busy machine.
        let result = on_small_stack(move || parse(&text).map(|s| s.commands().len()));
        assert!(result.is_ok(), "{result:?}");
    }
}

/// A hundred thousand names in one list, and the same list with a duplicate (in another case)
/// at its end: the duplicate checks are linear (they were quadratic: an 889 KB hashtable took over
/// a minute). No timing is asserted; `cargo bench` measures speed.
const MANY: usize = 100_000;

/// The error of `text`, which must be on its last line.
fn last_line_error(text: &str) -> String {
    let e = parse(text).unwrap_err();
    assert_eq!(e.line, text.lines().count(), "{e}");
    e.message
}

#[test]
fn a_hundred_thousand_hashtable_keys() {
    let entries: String = (0..MANY).map(|i| format!("  Key{i} = {i}\n")).collect();
    let script = parse(&format!("$h = @{{\n{entries}}}")).unwrap();
    assert_eq!(script.body.statements().len(), 1);
    assert_eq!(
        last_line_error(&format!("$h = @{{\n{entries}  KEY7 = 1 }}")),
        "the key `KEY7` appears twice in the hashtable"
    );
}

#[test]
fn a_hundred_thousand_parameters() {
    let parameters: Vec<String> = (0..MANY).map(|i| format!("$P{i}")).collect();
    let list = parameters.join(",\n");
    let script = parse(&format!("param(\n{list}\n)\n")).unwrap();
    assert_eq!(script.param_block.unwrap().parameters.len(), MANY);
    assert_eq!(
        last_line_error(&format!("param(\n{list},\n$p99999)")),
        "the parameter `$p99999` is declared twice"
    );
}

#[test]
fn a_hundred_thousand_named_attribute_arguments() {
    let arguments: Vec<String> = (0..MANY).map(|i| format!("N{i} = {i}")).collect();
    let list = arguments.join(",\n");
    let script = parse(&format!("param([A(\n{list})]$x)")).unwrap();
    assert_eq!(script.param_block.unwrap().parameters.len(), 1);
    assert_eq!(
        last_line_error(&format!("param([A(\n{list},\nn5 = 1)]$x)")),
        "the named argument `n5` is given twice in the attribute"
    );
}

#[test]
fn a_hundred_thousand_splats() {
    let lines = "a @x\n".repeat(MANY);
    assert_eq!(parse(&lines).unwrap().commands().len(), MANY);
    assert!(
        last_line_error(&format!("{lines}$y = @x"))
            .starts_with("splatting (`@name`) can only pass")
    );
}

/// Every fixture script, valid and invalid, as mutation seeds (read once).
fn seeds() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parse");
    let mut out = Vec::new();
    for dir in ["valid", "invalid"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if let Ok(bytes) = std::fs::read(&p) {
                out.push(decode(&bytes).text);
            }
        }
    }
    out
}

/// Characters that matter to PowerShell's tokenizer, for mutations.
const SPECIAL: &[&str] = &[
    "(", ")", "{", "}", "[", "]", "$(", "@(", "@{", "\"", "'", "`", "\n", "\r\n", "#", "<#", "#>",
    "@\"\n", "\n\"@", "|", ";", ",", "-", "--%", "&", ".", "::", "=", "$", "@", "<", ">", "2>&1",
    " ", "\u{201C}", "\u{2018}", "\u{2013}", "`u{", "${", "?", "?.", "..", "+", "!", "0x", "1e",
];

/// Applies `edits` (position fraction, what to do) to `text` on character boundaries.
fn mutate(text: &str, edits: &[(f64, u8, usize)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(at, kind, pick) in edits {
        let pos = ((chars.len() as f64) * at) as usize;
        let pos = pos.min(chars.len());
        match kind % 4 {
            0 => {
                let piece = SPECIAL[pick % SPECIAL.len()];
                chars.splice(pos..pos, piece.chars());
            }
            1 => {
                let end = (pos + 1 + pick % 8).min(chars.len());
                chars.drain(pos..end);
            }
            2 => {
                let end = (pos + 1 + pick % 40).min(chars.len());
                let copy: Vec<char> = chars[pos..end].to_vec();
                chars.splice(pos..pos, copy);
            }
            _ => {
                if pos < chars.len() {
                    let piece: Vec<char> = SPECIAL[pick % SPECIAL.len()].chars().collect();
                    chars.splice(pos..pos + 1, piece);
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// The error position lies inside the text and the message is words, not a rule name.
fn check_result(text: &str) {
    match parse(text) {
        Ok(script) => {
            let _ = script.commands();
            assert!(serde_json::to_string(&script).is_ok());
        }
        Err(e) => {
            assert!(
                e.span.start <= text.len() && e.span.end <= text.len(),
                "{e:?}"
            );
            assert!(text.is_char_boundary(e.span.start), "{e:?}");
            assert!(e.line >= 1 && e.column >= 1, "{e:?}");
            assert!(!e.message.is_empty());
            assert!(
                !e.message.contains("internal parser error"),
                "{e}\n---\n{text}"
            );
        }
    }
}

// 256 cases each by default; run more with `PROPTEST_CASES=20000 cargo test --release`.
proptest! {
    #[test]
    fn arbitrary_bytes_decode_and_parse_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let decoded = decode(&bytes);
        check_result(&decoded.text);
    }

    #[test]
    fn arbitrary_text_parses_without_panicking(text in "\\PC{0,300}") {
        check_result(&text);
    }

    #[test]
    fn tokenizer_soup_parses_without_panicking(
        picks in proptest::collection::vec(0usize..SPECIAL.len(), 0..120),
        words in proptest::collection::vec("[a-zA-Z0-9_:-]{0,6}", 0..120),
    ) {
        let mut text = String::new();
        for (i, p) in picks.iter().enumerate() {
            text.push_str(SPECIAL[*p]);
            if let Some(w) = words.get(i) {
                text.push_str(w);
            }
        }
        check_result(&text);
    }

    #[test]
    fn mutated_fixtures_parse_without_panicking(
        seed in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((0.0f64..1.0, any::<u8>(), any::<usize>()), 1..6),
    ) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let text = mutate(&seeds[seed.index(seeds.len())], &edits);
        check_result(&text);
    }
}

#[test]
fn the_fixture_seeds_are_there() {
    assert!(seeds().len() >= 100, "fixtures under tests/fixtures/parse");
}
