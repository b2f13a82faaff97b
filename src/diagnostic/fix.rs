//! Fixes as data: the edits that correct a finding, and whether applying them unattended is safe.
//! One engine applies them, and refuses edits that overlap, so two fixes can never corrupt a file
//! between them.

use serde::Serialize;

use super::Span;

/// Whether a fix may be applied without a person reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps what the script means (it only corrects what was plainly meant).
    Safe,
    /// Changes what the script does: offered, applied only when asked for.
    Unsafe,
}

/// Replace the text at `span` with `replacement` (an empty span inserts, an empty replacement
/// deletes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, in words ("write -KeyIds").
    pub description: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix of one edit: `replacement` in place of the text at `span`.
    pub fn replace(
        applicability: Applicability,
        description: impl Into<String>,
        span: impl Into<Span>,
        replacement: impl Into<String>,
    ) -> Fix {
        Fix {
            applicability,
            description: description.into(),
            edits: vec![Edit {
                span: span.into(),
                replacement: replacement.into(),
            }],
        }
    }
}

/// Two edits that touch the same text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the edits at {}..{} and {}..{} overlap", first.start, first.end, second.start, second.end)]
pub struct Overlap {
    pub first: Span,
    pub second: Span,
}

/// Applies the edits of `fixes` to `text`, all or none. Fixes whose edits overlap an edit already
/// taken are skipped and returned (run again to apply them to the new text), so the result is
/// always the text with a consistent set of fixes applied. Edits out of the text's bounds or
/// inside a UTF-8 character are an error.
pub fn apply<'a>(
    text: &str,
    fixes: impl IntoIterator<Item = &'a Fix>,
) -> Result<(String, Vec<&'a Fix>), Overlap> {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut skipped = Vec::new();
    for fix in fixes {
        let mut edits: Vec<&Edit> = fix.edits.iter().collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        // The edits of one fix must not overlap each other: that fix is malformed.
        for pair in edits.windows(2) {
            if overlaps(pair[0].span, pair[1].span) {
                return Err(Overlap {
                    first: pair[0].span,
                    second: pair[1].span,
                });
            }
        }
        if edits
            .iter()
            .any(|e| taken.iter().any(|t| overlaps(t.span, e.span)))
        {
            skipped.push(fix);
            continue;
        }
        taken.extend(edits);
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in taken {
        let (start, end) = (edit.span.start, edit.span.end);
        if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(Overlap {
                first: edit.span,
                second: Span::new(text.len(), text.len()),
            });
        }
        out.push_str(&text[at..start]);
        out.push_str(&edit.replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    Ok((out, skipped))
}

/// Whether two edits touch the same text. Two insertions at the same place overlap too (their
/// order would be arbitrary); an insertion at the end of a replaced range does not.
fn overlaps(a: Span, b: Span) -> bool {
    if a.start == a.end && b.start == b.end {
        return a.start == b.start;
    }
    a.start < b.end && b.start < a.end
        || (a.start == a.end && b.start < a.start && a.start < b.end)
        || (b.start == b.end && a.start < b.start && b.start < a.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: &[(usize, usize, &str)]) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            description: String::new(),
            edits: edits
                .iter()
                .map(|&(s, e, r)| Edit {
                    span: Span::new(s, e),
                    replacement: r.to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn applies_edits_in_text_order_whatever_their_order() {
        let fixes = [fix(&[(7, 13, "-KeyIds")]), fix(&[(0, 0, "# x\n")])];
        let (text, skipped) = apply("Remove -KeyId 1", &fixes).unwrap();
        assert_eq!(text, "# x\nRemove -KeyIds 1");
        assert!(skipped.is_empty());
    }

    #[test]
    fn a_fix_that_overlaps_one_already_taken_is_skipped_whole() {
        let fixes = [fix(&[(0, 3, "abc")]), fix(&[(2, 4, "x"), (6, 7, "y")])];
        let (text, skipped) = apply("0123456789", &fixes).unwrap();
        assert_eq!(text, "abc3456789");
        assert_eq!(skipped.len(), 1);
        // Adjacent edits do not overlap.
        let fixes = [fix(&[(0, 2, "a")]), fix(&[(2, 4, "b")])];
        assert_eq!(apply("0123", &fixes).unwrap().0, "ab");
        // Two insertions at one place do.
        let fixes = [fix(&[(1, 1, "a")]), fix(&[(1, 1, "b")])];
        assert_eq!(
            apply("01", &fixes).unwrap(),
            ("0a1".to_owned(), vec![&fixes[1]])
        );
    }

    #[test]
    fn a_fix_whose_own_edits_overlap_or_leave_the_text_is_an_error() {
        assert!(apply("0123", &[fix(&[(0, 2, "a"), (1, 3, "b")])]).is_err());
        assert!(apply("0123", &[fix(&[(3, 9, "a")])]).is_err());
        assert!(apply("é", &[fix(&[(1, 2, "a")])]).is_err());
    }
}
