//! The reader: the lines of a YAML text to a tree of [`Node`]s with their places, or nothing when
//! the text is not in the subset this reader knows.

use std::borrow::Cow;

/// A node with the place where it starts (1-based line and column, as serde-saphyr counts them:
/// in characters).
#[derive(Debug)]
pub(super) struct Node<'a> {
    pub(super) line: u32,
    pub(super) column: u32,
    pub(super) kind: Kind<'a>,
}

#[derive(Debug)]
pub(super) enum Kind<'a> {
    /// A scalar; `plain` when written without quotes nor block indicator (then `null`, `true`,
    /// numbers… have their YAML meaning). An empty value is a plain empty scalar.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Seq(Vec<Node<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// The reader's state: the lines of the text and the one it is at.
pub(super) struct Reader<'a> {
    /// Each line: its indentation (spaces) and its text after them. A sequence entry holding a
    /// mapping (`- nom: …`) is read by replacing its line with the mapping's first line.
    lines: Vec<(usize, &'a str)>,
    /// Where each line starts in the text, to count columns in characters.
    starts: Vec<usize>,
    text: &'a str,
    at: usize,
    /// Nesting of the node being read, bounded by [`MAX_DEPTH`].
    depth: usize,
}

/// Deepest nesting read (content files nest three or four levels); deeper is left to the full
/// decoder and its limits.
pub(super) const MAX_DEPTH: usize = 32;

/// Most entries in one mapping (duplicate keys are looked for one by one).
pub(super) const MAX_ENTRIES: usize = 512;

impl<'a> Reader<'a> {
    /// A reader over `text`; `None` for characters the reader leaves to the full decoder.
    pub(super) fn new(text: &'a str) -> Option<Reader<'a>> {
        // Tabs, lone carriage returns, a byte-order mark, control characters (C0, DEL, C1) or the
        // non-characters U+FFFE and U+FFFF, all outside YAML's printable set even in a comment:
        // the full decoder, which reports them.
        let bytes = text.as_bytes();
        let odd = |(i, &b): (usize, &u8)| {
            let next = |n: usize| bytes.get(i + n).copied().unwrap_or(0);
            (b < b' ' && b != b'\n' && !(b == b'\r' && next(1) == b'\n'))
                || b == 0x7f
                || (b == 0xc2 && (0x80..=0x9f).contains(&next(1)))
                || (b == 0xef && next(1) == 0xbf && (0xbe..=0xbf).contains(&next(2)))
        };
        if bytes.iter().enumerate().any(odd) || text.starts_with('\u{feff}') {
            return None;
        }
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        let mut start = 0;
        for line in text.split('\n') {
            let body = line.strip_suffix('\r').unwrap_or(line).trim_start_matches(' ');
            lines.push((line.len() - line.trim_start_matches(' ').len(), body));
            starts.push(start);
            start += line.len() + 1;
        }
        Some(Reader { lines, starts, text, at: 0, depth: 0 })
    }

    /// Skips blank and comment lines; the indentation of the line it stops at, `None` at the end.
    fn next_content(&mut self) -> Option<usize> {
        while let Some(&(indent, body)) = self.lines.get(self.at) {
            if !(body.is_empty() || body.starts_with('#')) {
                return Some(indent);
            }
            self.at += 1;
        }
        None
    }

    /// 1-based line and character column of byte `offset` of line `line` (0-based).
    fn place(&self, line: usize, byte_column: usize) -> (u32, u32) {
        let start = self.starts[line];
        let column = self.text.get(start..start + byte_column).map_or(byte_column, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
    }

    /// The place where `within`, a part of the current line's text, starts.
    fn place_of(&self, within: &str) -> (u32, u32) {
        let (indent, body) = self.lines[self.at];
        self.place(self.at, indent + (within.as_ptr() as usize - body.as_ptr() as usize))
    }

    /// The whole text as one node, when it is all in the subset this reader knows.
    pub(super) fn document(mut self) -> Option<Node<'a>> {
        let indent = self.next_content()?;
        let first = self.lines[self.at].1;
        if indent != 0 || first.starts_with("---") || first.starts_with("...") || first.starts_with('%') {
            return None;
        }
        let root = self.block(0)?;
        // Anything left at a smaller indentation than expected: not ours.
        if self.next_content().is_some() {
            return None;
        }
        Some(root)
    }

    /// The block node whose first line (at `indent`) is the current line.
    fn block(&mut self, indent: usize) -> Option<Node<'a>> {
        let body = self.lines[self.at].1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let node = if is_entry(body) { self.sequence(indent) } else { self.mapping(indent) };
        self.depth -= 1;
        node
    }

    fn sequence(&mut self, indent: usize) -> Option<Node<'a>> {
        let (line, column) = self.place(self.at, indent);
        let mut items = Vec::new();
        while self.next_content() == Some(indent) && is_entry(self.lines[self.at].1) {
            let body = self.lines[self.at].1;
            let rest = body[1..].trim_start_matches(' ');
            let rest_indent = indent + (body.len() - rest.len());
            if rest.is_empty() || rest.starts_with('#') {
                self.at += 1;
                match self.next_content() {
                    Some(inner) if inner > indent => items.push(self.block(inner)?),
                    _ => return None,
                }
            } else if key_of(rest).is_some() || is_entry(rest) {
                // `- nom: …`: a mapping (or a sequence) whose first line starts after the dash.
                self.lines[self.at] = (rest_indent, rest);
                items.push(self.block(rest_indent)?);
            } else {
                items.push(self.inline(rest)?);
            }
            if self.next_content().is_some_and(|i| i > indent) {
                return None;
            }
        }
        Some(Node { line, column, kind: Kind::Seq(items) })
    }

    fn mapping(&mut self, indent: usize) -> Option<Node<'a>> {
        let (line, column) = self.place(self.at, indent);
        let mut entries: Vec<(&'a str, Node<'a>)> = Vec::new();
        while self.next_content() == Some(indent) {
            let body = self.lines[self.at].1;
            let (key, rest) = key_of(body)?;
            if entries.len() == MAX_ENTRIES || entries.iter().any(|(k, _)| *k == key) {
                return None;
            }
            let value = if rest.is_empty() || rest.starts_with('#') {
                let (line, column) = self.place_of(&body[key.len() + 1..]);
                self.at += 1;
                match self.next_content() {
                    Some(inner) if inner > indent => self.block(inner)?,
                    Some(inner) if inner == indent && is_entry(self.lines[self.at].1) => self.sequence(indent)?,
                    _ => Node { line, column, kind: Kind::Scalar { text: Cow::Borrowed(""), plain: true } },
                }
            } else if rest.starts_with(['|', '>']) {
                self.block_scalar(rest, indent)?
            } else {
                self.inline(rest)?
            };
            entries.push((key, value));
            if self.next_content().is_some_and(|i| i > indent) {
                return None;
            }
        }
        Some(Node { line, column, kind: Kind::Map(entries) })
    }

    /// A value written on the current line after its key or dash; moves to the next line.
    fn inline(&mut self, rest: &'a str) -> Option<Node<'a>> {
        let (line, column) = self.place_of(rest);
        let kind = if let Some(inner) = rest.strip_prefix('[') {
            let mut items = Vec::new();
            let mut s = inner.trim_start_matches(' ');
            if let Some(after) = s.strip_prefix(']') {
                s = after;
            } else {
                loop {
                    let (item, after) = flow_scalar(s)?;
                    let (line, column) = self.place_of(s);
                    items.push(Node { line, column, kind: item });
                    let after = after.trim_start_matches(' ');
                    if let Some(next) = after.strip_prefix(',') {
                        s = next.trim_start_matches(' ');
                        if s.starts_with(']') {
                            return None;
                        }
                    } else if let Some(end) = after.strip_prefix(']') {
                        s = end;
                        break;
                    } else {
                        return None;
                    }
                }
            }
            if !is_line_end(s) {
                return None;
            }
            Kind::Seq(items)
        } else if rest.starts_with(['"', '\'']) {
            let (text, after) = quoted(rest)?;
            if !is_line_end(after) {
                return None;
            }
            Kind::Scalar { text, plain: false }
        } else {
            Kind::Scalar { text: Cow::Borrowed(plain_in_block(rest)?), plain: true }
        };
        self.at += 1;
        Some(Node { line, column, kind })
    }

    /// A literal (`|`) or folded (`>`) scalar whose indicator is `header`, under a key at
    /// `indent`; moves past its lines.
    fn block_scalar(&mut self, header: &'a str, indent: usize) -> Option<Node<'a>> {
        let literal = header.starts_with('|');
        let (chomp, after) = match header[1..].chars().next() {
            Some('-') => ('-', &header[2..]),
            Some('+') => ('+', &header[2..]),
            _ => (' ', &header[1..]),
        };
        if !is_line_end(after) {
            return None;
        }
        self.at += 1;
        // The first line with text sets the indentation; no blank line may come before it.
        let &(block_indent, first) = self.lines.get(self.at)?;
        if first.is_empty() || block_indent <= indent {
            return None;
        }
        // serde-saphyr places a block scalar at its text, not at its indicator.
        let (line, column) = self.place(self.at, block_indent);
        let mut text = String::new();
        let mut pending_breaks = 0usize;
        while let Some(&(line_indent, line_body)) = self.lines.get(self.at) {
            if line_body.is_empty() {
                // Spaces beyond the block's indentation on a blank line are text: not ours.
                if line_indent > block_indent {
                    return None;
                }
                pending_breaks += 1;
                self.at += 1;
                continue;
            }
            if line_indent < block_indent {
                break;
            }
            if line_indent > block_indent && !literal {
                return None;
            }
            // The first line sets the text going; the next ones are joined to it.
            if !text.is_empty() {
                if literal {
                    text.push_str(&"\n".repeat(pending_breaks + 1));
                } else if pending_breaks == 0 {
                    text.push(' ');
                } else {
                    text.push_str(&"\n".repeat(pending_breaks));
                }
            }
            pending_breaks = 0;
            text.push_str(&" ".repeat(line_indent - block_indent));
            text.push_str(line_body);
            self.at += 1;
        }
        if self.at == self.lines.len() {
            // Lines are split at line breaks: after the file's last one comes an empty "line",
            // not a blank line of the text. Without it, the text ended the file without a line
            // break: not ours.
            if pending_breaks == 0 {
                return None;
            }
            pending_breaks -= 1;
        }
        match chomp {
            '-' => {}
            '+' => text.push_str(&"\n".repeat(pending_breaks + 1)),
            _ => text.push('\n'),
        }
        // The lines that ended the scalar are read again as what follows it.
        Some(Node { line, column, kind: Kind::Scalar { text: Cow::Owned(text), plain: false } })
    }
}

/// Whether a line's text is a sequence entry (`-` then a space, or alone).
pub(super) fn is_entry(body: &str) -> bool {
    body == "-" || body.starts_with("- ")
}

/// Whether what is left of a line is nothing, spaces, or a comment.
pub(super) fn is_line_end(s: &str) -> bool {
    let t = s.trim_start_matches(' ');
    t.is_empty() || (t.starts_with('#') && t.len() < s.len())
}

/// `key: rest` with a plain key of letters, digits, `_` and `-`: the key and the rest, spaces
/// skipped.
pub(super) fn key_of(body: &str) -> Option<(&str, &str)> {
    let end = body.find(':')?;
    let key = &body[..end];
    let well_formed = !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !key.starts_with('-');
    let after = &body[end + 1..];
    if !well_formed || !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((key, after.trim_start_matches(' ')))
}

/// Characters that may not start a plain scalar here (YAML's indicators).
pub(super) const INDICATORS: &str = "&*!|>%@`{}[],?:#\"'";

/// A plain scalar taking the rest of a line in block context; `None` for what it may not hold.
pub(super) fn plain_in_block(rest: &str) -> Option<&str> {
    let first = rest.chars().next()?;
    if INDICATORS.contains(first) || is_entry(rest) {
        return None;
    }
    let text = match rest.find(" #") {
        Some(i) => &rest[..i],
        None => rest,
    }
    .trim_end_matches(' ');
    if text.contains(": ") || text.ends_with(':') {
        return None;
    }
    Some(text)
}

/// A scalar inside a flow sequence, and what follows it.
pub(super) fn flow_scalar(s: &str) -> Option<(Kind<'_>, &str)> {
    if s.starts_with(['"', '\'']) {
        let (text, after) = quoted(s)?;
        return Some((Kind::Scalar { text, plain: false }, after));
    }
    let end = s.find([',', ']'])?;
    let text = s[..end].trim_end_matches(' ');
    let first = text.chars().next()?;
    if INDICATORS.contains(first) || first == '-' || text.contains([':', '#', '{', '}', '[']) {
        return None;
    }
    Some((Kind::Scalar { text: Cow::Borrowed(text), plain: true }, &s[end..]))
}

/// A single- or double-quoted scalar closed on the same line, and what follows it.
pub(super) fn quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let quote = s.chars().next()?;
    let inner = &s[1..];
    if quote == '\'' {
        let mut text = String::new();
        let mut rest = inner;
        loop {
            let i = rest.find('\'')?;
            text.push_str(&rest[..i]);
            if rest[i + 1..].starts_with('\'') {
                text.push('\'');
                rest = &rest[i + 2..];
            } else {
                return Some((Cow::Owned(text), &rest[i + 1..]));
            }
        }
    }
    let end = inner.find(['"', '\\'])?;
    if inner.as_bytes()[end] == b'"' {
        return Some((Cow::Borrowed(&inner[..end]), &inner[end + 1..]));
    }
    let mut text = String::from(&inner[..end]);
    let mut chars = inner[end..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(text), &inner[end + i + 1..])),
            '\\' => text.push(match chars.next()?.1 {
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                'n' => '\n',
                't' => '\t',
                _ => return None,
            }),
            c => text.push(c),
        }
    }
    None
}
