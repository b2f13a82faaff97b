//! Feeds arbitrary bytes through decoding and parsing, then uses the result the way xprem does.
//! A crash, a hang (libFuzzer's -timeout) or a stack overflow is a bug; a syntax error is not.

#![no_main]

use libfuzzer_sys::fuzz_target;
use xprem::powershell::{LineIndex, decode, parse};

fuzz_target!(|data: &[u8]| {
    let decoded = decode(data);
    let text = &decoded.text;
    match parse(text) {
        Ok(script) => {
            for command in script.commands() {
                let _ = command.name();
                let _ = command.parameters().count();
            }
            serde_json::to_string(&script).expect("the syntax tree serializes");
        }
        Err(e) => {
            assert!(e.span.start <= e.span.end && e.span.end <= text.len());
            assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            assert_eq!(
                LineIndex::new(text).line_col(text, e.span.start),
                (e.line, e.column)
            );
            assert!(!e.message.contains("internal parser error"), "{e}");
        }
    }
});
