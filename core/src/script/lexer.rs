//! Splitting one line of a `.zks` script (or one console command) into words.
//!
//! The rules (docs/scenario-script.md, "Lexical rules"):
//! * words are separated by blanks (space, tab; a carriage return counts as a blank, so CRLF
//!   files work);
//! * in a script, `#` outside quotes starts a comment that runs to the end of the line;
//! * a word may be double-quoted: `"a b"`; inside the quotes `\"` is a quote and `\\` a
//!   backslash, and any other backslash is an error. A quote may only start a word, and a
//!   closing quote must be followed by a blank, a comment or the end of the line;
//! * the console ([`QuoteStyle::Console`]) follows zkCli.sh more closely: it also accepts
//!   single-quoted words (`'a b'`, no escapes inside), has no comments (`#` is an ordinary
//!   character, as in zkCli), and a quote in the middle of a word is an ordinary character.
//!
//! Columns are 1-based and count characters (not bytes).

use super::parser::ScriptError;

/// Which quoting rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteStyle {
    /// A line of a `.zks` script: double quotes with `\"` / `\\` escapes, `#` comments.
    Script,
    /// A command typed into the page's console: double quotes as in a script, plus zkCli's
    /// single quotes; no comments.
    Console,
}

/// One word of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word with its quotes removed and escapes resolved.
    pub text: String,
    /// 1-based column (in characters) of the word's first character (its opening quote if quoted).
    pub col: u32,
    /// 1-based column just past the word's last character.
    pub end_col: u32,
    /// Byte offset of the word's first character in the line.
    pub start: usize,
    /// Byte offset just past the word in the line.
    pub end: usize,
    /// Whether the word was written in quotes.
    pub quoted: bool,
}

/// A line split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexedLine {
    /// The words, in order.
    pub words: Vec<Word>,
    /// Byte offset where the line's content ends: where its comment starts, or its length.
    pub content_end: usize,
    /// 1-based column just past the last word (1 when there is none): where an error about
    /// a missing word points.
    pub end_col: u32,
}

/// Whether `c` separates words.
pub fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The lines of a script with their 1-based numbers (a leading byte-order mark is skipped).
pub fn lines(src: &str) -> impl Iterator<Item = (u32, &str)> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    src.split('\n')
        .enumerate()
        .map(|(i, l)| (u32::try_from(i.saturating_add(1)).unwrap_or(u32::MAX), l))
}

/// A word (or any text) as an error message shows it: in double quotes, with quotes,
/// backslashes and control characters escaped, and cut short when it is long.
pub fn show(text: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::from("\"");
    for (n, c) in text.chars().enumerate() {
        if n == MAX {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Splits one line (without its `\n`) into words. `line_no` only goes into errors.
pub fn lex_line(line: &str, line_no: u32, style: QuoteStyle) -> Result<LexedLine, ScriptError> {
    let comments = style == QuoteStyle::Script;
    let is_quote = |c: char| c == '"' || (c == '\'' && style == QuoteStyle::Console);
    let ends_word = |c: char| is_blank(c) || (comments && c == '#');

    let mut words = Vec::new();
    let mut it = line.char_indices().peekable();
    // Column of the character `it.peek()` would return.
    let mut col: u32 = 1;
    let mut content_end = line.len();
    let mut end_col: u32 = 1;

    while let Some(&(start, c)) = it.peek() {
        if is_blank(c) {
            it.next();
            col = col.saturating_add(1);
            continue;
        }
        if comments && c == '#' {
            content_end = start;
            break;
        }
        let start_col = col;
        let (text, quoted) = if is_quote(c) {
            it.next();
            col = col.saturating_add(1);
            let mut text = String::new();
            loop {
                let Some((_, ch)) = it.next() else {
                    return Err(ScriptError::new(
                        line_no,
                        start_col,
                        format!(
                            "unterminated quoted word: expected a closing {c}, found end of line"
                        ),
                    ));
                };
                let ch_col = col;
                col = col.saturating_add(1);
                if ch == '\\' && c == '"' {
                    match it.next() {
                        Some((_, e @ ('"' | '\\'))) => {
                            col = col.saturating_add(1);
                            text.push(e);
                        }
                        Some((_, other)) => {
                            return Err(ScriptError::new(
                                line_no,
                                ch_col,
                                format!(
                                    "expected \\\" or \\\\ after a backslash inside quotes, found {}",
                                    show(&format!("\\{other}"))
                                ),
                            ));
                        }
                        None => {
                            return Err(ScriptError::new(
                                line_no,
                                ch_col,
                                "expected \\\" or \\\\ after a backslash inside quotes, found end of line",
                            ));
                        }
                    }
                    continue;
                }
                if ch == c {
                    break;
                }
                text.push(ch);
            }
            if let Some(&(_, next)) = it.peek()
                && !ends_word(next)
            {
                return Err(ScriptError::new(
                    line_no,
                    col,
                    format!(
                        "expected a space after a quoted word, found {}",
                        show(&next.to_string())
                    ),
                ));
            }
            (text, true)
        } else {
            while let Some(&(_, ch)) = it.peek() {
                if ends_word(ch) {
                    break;
                }
                if ch == '"' && style == QuoteStyle::Script {
                    return Err(ScriptError::new(
                        line_no,
                        col,
                        "expected a space before a quote, found a quote inside a word (a quote may only start a word)",
                    ));
                }
                it.next();
                col = col.saturating_add(1);
            }
            (String::new(), false)
        };
        let end = it.peek().map_or(line.len(), |&(j, _)| j);
        let text = if quoted {
            text
        } else {
            line.get(start..end).unwrap_or_default().to_string()
        };
        words.push(Word {
            text,
            col: start_col,
            end_col: col,
            start,
            end,
            quoted,
        });
        end_col = col;
    }
    Ok(LexedLine {
        words,
        content_end,
        end_col,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str, style: QuoteStyle) -> Vec<String> {
        match lex_line(line, 1, style) {
            Ok(l) => l.words.into_iter().map(|w| w.text).collect(),
            Err(e) => panic!("{line:?}: {e}"),
        }
    }

    fn err(line: &str, style: QuoteStyle) -> (u32, String) {
        match lex_line(line, 7, style) {
            Ok(l) => panic!("{line:?} lexed as {:?}", l.words),
            Err(e) => {
                assert_eq!(e.line, 7);
                (e.col, e.message)
            }
        }
    }

    #[test]
    fn splits_on_blanks_and_drops_comments() {
        let s = QuoteStyle::Script;
        assert_eq!(texts("  start 1\t2  3 ", s), ["start", "1", "2", "3"]);
        assert_eq!(texts("start 1 # 2 3", s), ["start", "1"]);
        assert_eq!(texts("start 1# 2 3", s), ["start", "1"]);
        assert_eq!(texts("# only a comment", s), Vec::<String>::new());
        assert_eq!(texts("", s), Vec::<String>::new());
        assert_eq!(texts("status\r", s), ["status"]);
        assert_eq!(texts("a\u{a0}b", s), ["a\u{a0}b"]);
    }

    #[test]
    fn quotes_and_escapes() {
        let s = QuoteStyle::Script;
        assert_eq!(
            texts(r#"c1: create /a "two words""#, s),
            ["c1:", "create", "/a", "two words"]
        );
        assert_eq!(texts(r#""say \"hi\" \\ bye""#, s), [r#"say "hi" \ bye"#]);
        assert_eq!(texts(r#""""#, s), [""]);
        assert_eq!(texts(r##""#not-a-comment" # real"##, s), ["#not-a-comment"]);
        assert_eq!(texts(r##""x"# comment"##, s), ["x"]);
        assert_eq!(texts("'a b'", s), ["'a", "b'"]);
        assert_eq!(texts("it's", s), ["it's"]);
        assert_eq!(texts("\"😀 emoji and 汉字\"", s), ["😀 emoji and 汉字"]);
    }

    #[test]
    fn console_quotes() {
        let c = QuoteStyle::Console;
        assert_eq!(texts("set /a 'x y'", c), ["set", "/a", "x y"]);
        assert_eq!(texts(r#"set /a 'x\y'"#, c), ["set", "/a", r"x\y"]);
        assert_eq!(texts(r#"set /a "x \"y\"""#, c), ["set", "/a", r#"x "y""#]);
        assert_eq!(texts("set /a#b don't", c), ["set", "/a#b", "don't"]);
        assert_eq!(texts("set /a ''", c), ["set", "/a", ""]);
        assert_eq!(texts("set /a x\ny", c), ["set", "/a", "x", "y"]);
    }

    #[test]
    fn positions_count_characters() {
        let l = lex_line("汉字 \"a b\" x", 1, QuoteStyle::Script).unwrap_or_else(|e| panic!("{e}"));
        let cols: Vec<(u32, u32)> = l.words.iter().map(|w| (w.col, w.end_col)).collect();
        assert_eq!(cols, [(1, 3), (4, 9), (10, 11)]);
        assert_eq!(l.end_col, 11);
        let l = lex_line("c1: ls /  # c", 1, QuoteStyle::Script).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.content_end, 10);
        assert_eq!(&"c1: ls /  # c"[l.words[1].start..l.content_end], "ls /  ");
    }

    #[test]
    fn lexical_errors() {
        let s = QuoteStyle::Script;
        let (col, msg) = err(r#"c1: set /a "abc"#, s);
        assert_eq!(col, 12);
        assert!(msg.starts_with("unterminated quoted word"), "{msg}");
        let (col, msg) = err(r#"c1: set /a "a\nb""#, s);
        assert_eq!(col, 14);
        assert!(msg.contains(r#"found "\\n""#), "{msg}");
        let (col, _) = err(r#"c1: set /a "ab"cd"#, s);
        assert_eq!(col, 16);
        let (col, msg) = err(r#"c1: set /a ab"cd""#, s);
        assert_eq!(col, 14);
        assert!(msg.contains("quote may only start a word"), "{msg}");
        let (col, _) = err("c1: set /a 'ab", QuoteStyle::Console);
        assert_eq!(col, 12);
        let (col, _) = err(r#"x "\"#, s);
        assert_eq!(col, 4);
    }

    #[test]
    fn line_numbers_and_bom() {
        let v: Vec<(u32, &str)> = lines("\u{feff}a\r\nb\n\nc").collect();
        assert_eq!(v, [(1, "a\r"), (2, "b"), (3, ""), (4, "c")]);
    }

    #[test]
    fn show_escapes_and_truncates() {
        assert_eq!(show("x"), "\"x\"");
        assert_eq!(show("a\"b\\c\u{7}"), "\"a\\\"b\\\\c\\u{7}\"");
        assert_eq!(show(&"y".repeat(100)).chars().count(), 43);
    }
}
