//! Byte offsets to line and column.

/// The start of every line of a text, to turn byte offsets into 1-based line and column numbers.
/// A line ends at LF, CRLF or a lone CR; columns count characters (not bytes).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// The 1-based line and column of `offset` in `text` (the text this index was built from).
    /// Offsets past the end are clamped to the end; offsets inside a character count as that
    /// character.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let column = text.get(start..).map_or(0, |rest| {
            rest.char_indices()
                .take_while(|(i, _)| start + i < offset)
                .count()
        });
        (line + 1, column + 1)
    }

    /// The text of the 1-based line `line`, without its line break ("" past the end).
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = line.checked_sub(1).and_then(|i| self.starts.get(i)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// The line index of the script, built only when an error needs a line and column (a parse that
/// succeeds never does).
pub(crate) struct LazyLines<'t> {
    text: &'t str,
    index: std::cell::OnceCell<LineIndex>,
}

impl<'t> LazyLines<'t> {
    pub(crate) fn new(text: &'t str) -> LazyLines<'t> {
        LazyLines {
            text,
            index: std::cell::OnceCell::new(),
        }
    }

    pub(crate) fn get(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lf_crlf_and_cr_all_end_lines() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 2), (2, 1));
        assert_eq!(index.line_col(text, 5), (3, 1));
        assert_eq!(index.line_col(text, 7), (4, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "$é = 'ü'";
        let index = LineIndex::new(text);
        // `=` is the 4th character but the 5th byte.
        assert_eq!(index.line_col(text, text.find('=').unwrap()), (1, 4));
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let text = "ab\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 99), (2, 1));
    }
}
