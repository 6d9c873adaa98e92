//! The outline of a YAML text: where each mapping entry, sequence item and scalar sits, line by
//! line, so that an edit can rewrite exactly the lines of one value. Only block mappings and
//! sequences are walked into; scalars (plain, quoted, block `|` `>`) and flow collections (`[…]`,
//! `{…}`) are leaves, rewritten whole. Anything this reader does not understand for sure (anchors,
//! aliases, tags, complex keys, tabs in indentation, documents markers, a sequence opened on a
//! sequence item's line) is a [`Shape`] error: the caller then refuses to edit rather than guess.

/// One line of the text, without its line ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// The text, without `\r\n` or `\n`.
    pub(super) text: String,
    /// Whether the line ended with `\r\n`.
    pub(super) cr: bool,
}

/// Why a text cannot be edited safely, at which line (0-based, in the YAML text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Shape {
    pub(super) line: usize,
    pub(super) reason: &'static str,
}

type Parsed<T> = Result<T, Shape>;

/// How a scalar leaf is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    Double,
    Single,
    Literal,
    Folded,
    Flow,
}

/// A node of the outline.
#[derive(Debug, Clone)]
pub(super) enum Node {
    Map(Map),
    Seq(Seq),
    Leaf(Leaf),
    /// Nothing written (`key:` alone, `-` alone, an empty text): null.
    Empty,
}

/// A block mapping: its keys' column and its entries in file order.
#[derive(Debug, Clone)]
pub(super) struct Map {
    pub(super) indent: usize,
    pub(super) entries: Vec<Entry>,
}

/// One `key: value` of a block mapping.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) key: String,
    /// Line of the key.
    pub(super) line: usize,
    /// Byte just after the `:` on the key's line.
    pub(super) colon: usize,
    pub(super) value: Node,
    /// First line after the value (trailing blank and comment lines are not the value's).
    pub(super) end: usize,
    /// A comment after the value on its last line, or after the key when the value is below it.
    pub(super) comment: Option<String>,
}

/// A block sequence: its dashes' column and its items.
#[derive(Debug, Clone)]
pub(super) struct Seq {
    pub(super) indent: usize,
    pub(super) items: Vec<Item>,
}

/// One `- value` of a block sequence.
#[derive(Debug, Clone)]
pub(super) struct Item {
    /// Line of the dash.
    pub(super) line: usize,
    pub(super) value: Node,
    /// First line after the item.
    pub(super) end: usize,
    /// A comment after a one-line value, or after the dash when the value is below it.
    pub(super) comment: Option<String>,
}

/// A scalar or a flow collection, rewritten whole.
#[derive(Debug, Clone)]
pub(super) struct Leaf {
    pub(super) style: Style,
    /// Column of the first content line of a block scalar.
    pub(super) block_indent: Option<usize>,
    /// Longest line of a block scalar, to wrap a folded text as it was.
    pub(super) width: usize,
}

/// Deepest nesting walked; content files nest four or five levels.
const MAX_DEPTH: usize = 64;

/// Spaces at the start of a line; an error when a tab indents it.
fn indent_of(line: &Line, at: usize) -> Parsed<usize> {
    let spaces = line.text.len() - line.text.trim_start_matches(' ').len();
    if line.text[spaces..].starts_with('\t') && !line.text.trim().is_empty() {
        return Err(Shape { line: at, reason: "une tabulation sert d’indentation" });
    }
    Ok(spaces)
}

/// Whether a line holds nothing but spaces or a comment.
pub(super) fn is_blank_or_comment(text: &str) -> bool {
    let t = text.trim_start_matches([' ', '\t']);
    t.is_empty() || t.starts_with('#')
}

/// Whether `text` has a block-sequence dash at byte `col`.
fn is_dash(text: &str, col: usize) -> bool {
    let b = text.as_bytes();
    b.get(col) == Some(&b'-') && matches!(b.get(col + 1), None | Some(b' '))
}

/// The key of a `key:` written at byte `col`, and the byte after its colon.
pub(super) fn key_at(text: &str, col: usize) -> Option<(String, usize)> {
    let rest = text.get(col..)?;
    let followed = |after: usize| matches!(text.as_bytes().get(after), None | Some(b' '));
    match rest.as_bytes().first()? {
        q @ (b'"' | b'\'') => {
            let (key, len) = quoted_key(rest, *q)?;
            let colon = col + len;
            (text.as_bytes().get(colon) == Some(&b':') && followed(colon + 1)).then_some((key, colon + 1))
        }
        _ => {
            let mut search = 0;
            let colon = loop {
                let i = rest[search..].find(':')? + search;
                if followed(col + i + 1) {
                    break i;
                }
                search = i + 1;
            };
            let key = &rest[..colon];
            let plain = key
                .chars()
                .enumerate()
                .all(|(i, c)| c.is_alphanumeric() || c == '_' || (i > 0 && (c == '-' || c == '.' || c == ' ')));
            (plain && !key.ends_with(' ')).then(|| (key.to_string(), col + colon + 1))
        }
    }
}

/// A quoted key at the start of `s`: its text and the bytes it spans, quotes included.
fn quoted_key(s: &str, q: u8) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if q == b'"' => match chars.next()?.1 {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                _ => return None,
            },
            '\'' if q == b'\'' => {
                if s[i + 1..].starts_with('\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    return Some((out, i + 1));
                }
            }
            '"' if q == b'"' => return Some((out, i + 1)),
            c => out.push(c),
        }
    }
    None
}

/// The comment that ends `text` from byte `from` on: what follows ` #`, outside quotes (the caller
/// passes the byte after any quoted or flow part).
fn comment_after(text: &str, from: usize) -> Result<Option<String>, ()> {
    let rest = &text[from.min(text.len())..];
    let t = rest.trim_start_matches(' ');
    if t.is_empty() {
        Ok(None)
    } else if t.starts_with('#') && (t.len() < rest.len() || from == 0) {
        Ok(Some(t.trim_end().to_string()))
    } else {
        Err(())
    }
}

/// The comment at the end of a plain scalar's line, if any: from the first ` #`.
fn plain_comment(text: &str, from: usize) -> Option<String> {
    text[from..].find(" #").map(|i| text[from + i + 1..].trim_end().to_string())
}

struct Reader<'a> {
    lines: &'a [Line],
    depth: usize,
}

/// The outline of the whole text.
pub(super) fn parse(lines: &[Line]) -> Parsed<Node> {
    let mut r = Reader { lines, depth: 0 };
    let Some(first) = r.next_content(0) else { return Ok(Node::Empty) };
    let text = &lines[first].text;
    if text.starts_with("---") || text.starts_with("...") || text.starts_with('%') {
        return Err(Shape { line: first, reason: "marque de document YAML (---, ...) ou directive" });
    }
    if indent_of(&lines[first], first)? != 0 {
        return Err(Shape { line: first, reason: "la première clé n’est pas au début de la ligne" });
    }
    let (node, end) = r.block(first, 0)?;
    if let Some(extra) = r.next_content(end) {
        return Err(Shape { line: extra, reason: "indentation inattendue" });
    }
    Ok(node)
}

impl Reader<'_> {
    fn next_content(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&i| !is_blank_or_comment(&self.lines[i].text))
    }

    fn deeper(&mut self, line: usize) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Shape { line, reason: "imbrication trop profonde" });
        }
        Ok(())
    }

    /// The block node whose first content (a key or a dash) is at byte `col` of line `i`.
    fn block(&mut self, i: usize, col: usize) -> Parsed<(Node, usize)> {
        self.deeper(i)?;
        let text = &self.lines[i].text;
        let out = if is_dash(text, col) {
            self.seq(i, col).map(|(s, e)| (Node::Seq(s), e))
        } else if key_at(text, col).is_some() {
            self.map(i, col).map(|(m, e)| (Node::Map(m), e))
        } else {
            Err(Shape { line: i, reason: "ni clé ni tiret là où un bloc est attendu" })
        };
        self.depth -= 1;
        out
    }

    fn map(&mut self, first: usize, indent: usize) -> Parsed<(Map, usize)> {
        let mut entries = Vec::new();
        let mut i = first;
        loop {
            let text = &self.lines[i].text;
            let (key, colon) = key_at(text, indent).ok_or(Shape { line: i, reason: "clé illisible" })?;
            let (value, end, comment) = self.value_after(i, colon, indent, true)?;
            entries.push(Entry { key, line: i, colon, value, end, comment });
            let Some(j) = self.next_content(end) else { break };
            let at = indent_of(&self.lines[j], j)?;
            if at < indent {
                break;
            }
            if at > indent || is_dash(&self.lines[j].text, at) {
                return Err(Shape { line: j, reason: "indentation inattendue" });
            }
            i = j;
        }
        let end = entries.last().map_or(first + 1, |e| e.end);
        Ok((Map { indent, entries }, end))
    }

    fn seq(&mut self, first: usize, indent: usize) -> Parsed<(Seq, usize)> {
        let mut items = Vec::new();
        let mut i = first;
        loop {
            let (value, end, comment) = self.value_after(i, indent + 1, indent, false)?;
            items.push(Item { line: i, value, end, comment });
            let Some(j) = self.next_content(end) else { break };
            let at = indent_of(&self.lines[j], j)?;
            let dash = is_dash(&self.lines[j].text, at);
            if at < indent || (at == indent && !dash) {
                break;
            }
            if at > indent {
                return Err(Shape { line: j, reason: "indentation inattendue" });
            }
            i = j;
        }
        let end = items.last().map_or(first + 1, |it| it.end);
        Ok((Seq { indent, items }, end))
    }

    /// The value written after byte `after` of line `i` (after a key's colon or an item's dash),
    /// in a block whose keys or dashes are at column `indent`; a mapping value may be a sequence
    /// whose dashes are at the key's own column.
    fn value_after(
        &mut self,
        i: usize,
        after: usize,
        indent: usize,
        of_key: bool,
    ) -> Parsed<(Node, usize, Option<String>)> {
        let text = &self.lines[i].text;
        let rest = &text[after.min(text.len())..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let col = after + spaces;
        if rest.trim().is_empty() || (spaces > 0 && rest.trim_start().starts_with('#')) {
            let comment = comment_after(text, after).ok().flatten();
            let below =
                self.next_content(i + 1).map(|j| (j, indent_of(&self.lines[j], j))).map(|(j, a)| a.map(|a| (j, a)));
            return match below.transpose()? {
                Some((j, at)) if at > indent || (of_key && at == indent && is_dash(&self.lines[j].text, at)) => {
                    let (node, end) = self.block(j, at)?;
                    Ok((node, end, comment))
                }
                _ => Ok((Node::Empty, i + 1, comment)),
            };
        }
        if spaces == 0 && !of_key {
            return Err(Shape { line: i, reason: "tiret sans espace" });
        }
        if !of_key && key_at(text, col).is_some() {
            let (m, end) = self.map(i, col)?;
            return Ok((Node::Map(m), end, None));
        }
        self.leaf(i, col, indent)
    }

    /// A scalar or flow collection starting at byte `col` of line `i`, inside a block at column
    /// `indent` (continuation lines are deeper).
    fn leaf(&self, i: usize, col: usize, indent: usize) -> Parsed<(Node, usize, Option<String>)> {
        let text = &self.lines[i].text;
        let first = text.as_bytes()[col];
        let shape = |line, reason| Shape { line, reason };
        let leaf = |style, end, comment| Ok((Node::Leaf(Leaf { style, block_indent: None, width: 0 }), end, comment));
        match first {
            b'"' | b'\'' => {
                let (line, byte) = self.close_quote(i, col, first).ok_or(shape(i, "guillemet non refermé"))?;
                let comment = comment_after(&self.lines[line].text, byte)
                    .map_err(|()| shape(line, "texte après un guillemet fermant"))?;
                let style = if first == b'"' { Style::Double } else { Style::Single };
                leaf(style, line + 1, comment)
            }
            b'[' | b'{' => {
                let (line, byte) = self.close_flow(i, col).ok_or(shape(i, "crochet ou accolade non refermé"))?;
                let comment = comment_after(&self.lines[line].text, byte)
                    .map_err(|()| shape(line, "texte après une liste entre crochets"))?;
                leaf(Style::Flow, line + 1, comment)
            }
            b'|' | b'>' => {
                let header = &text[col + 1..];
                let (indicators, comment) = match header.find(" #") {
                    Some(p) => (&header[..p], Some(header[p + 1..].trim_end().to_string())),
                    None => (header, None),
                };
                let indicators = indicators.trim_end();
                if indicators.len() > 2 || !indicators.chars().all(|c| c == '-' || c == '+') {
                    return Err(shape(i, "indicateur de bloc de texte inhabituel"));
                }
                let mut end = i + 1;
                let mut block_indent = None;
                let mut width = 0;
                for j in i + 1..self.lines.len() {
                    let l = &self.lines[j].text;
                    if l.trim().is_empty() {
                        continue;
                    }
                    let at = l.len() - l.trim_start_matches(' ').len();
                    if at <= indent {
                        break;
                    }
                    block_indent.get_or_insert(at);
                    width = width.max(l.chars().count());
                    end = j + 1;
                }
                let style = if first == b'|' { Style::Literal } else { Style::Folded };
                Ok((Node::Leaf(Leaf { style, block_indent, width }), end, comment))
            }
            b'&' | b'*' | b'!' => Err(shape(i, "ancre, alias ou étiquette YAML (&, *, !)")),
            b'%' | b'@' | b'`' | b'?' | b',' | b']' | b'}' => Err(shape(i, "caractère réservé en début de valeur")),
            b'-' if is_dash(text, col) => Err(shape(i, "liste ouverte sur la ligne d’un tiret")),
            _ => {
                if key_at(text, col).is_some() {
                    return Err(shape(i, "bloc de clés sur la ligne d’une clé"));
                }
                let comment = plain_comment(text, col);
                // Continuation lines: deeper, not comments; blank lines only between them.
                let mut end = i + 1;
                if comment.is_none() {
                    for j in i + 1..self.lines.len() {
                        let l = &self.lines[j].text;
                        if l.trim().is_empty() {
                            continue;
                        }
                        let at = l.len() - l.trim_start_matches(' ').len();
                        if at <= indent || l.trim_start().starts_with('#') {
                            break;
                        }
                        end = j + 1;
                    }
                }
                leaf(Style::Plain, end, comment)
            }
        }
    }

    /// The line and byte after the quote closing the one at byte `col` of line `i`.
    fn close_quote(&self, i: usize, col: usize, q: u8) -> Option<(usize, usize)> {
        let mut start = col + 1;
        for line in i..self.lines.len() {
            let b = self.lines[line].text.as_bytes();
            let mut k = if line == i { start } else { 0 };
            while k < b.len() {
                match b[k] {
                    b'\\' if q == b'"' => k += 2,
                    c if c == q => {
                        if q == b'\'' && b.get(k + 1) == Some(&b'\'') {
                            k += 2;
                        } else {
                            return Some((line, k + 1));
                        }
                    }
                    _ => k += 1,
                }
            }
            start = 0;
        }
        None
    }

    /// The line and byte after the bracket closing the flow collection opened at byte `col`.
    fn close_flow(&self, i: usize, col: usize) -> Option<(usize, usize)> {
        let mut depth = 0usize;
        let mut quote: Option<u8> = None;
        for line in i..self.lines.len() {
            let b = self.lines[line].text.as_bytes();
            let mut k = if line == i { col } else { 0 };
            while k < b.len() {
                let c = b[k];
                match quote {
                    Some(b'"') if c == b'\\' => k += 1,
                    Some(q) if c == q => {
                        if q == b'\'' && b.get(k + 1) == Some(&b'\'') {
                            k += 1;
                        } else {
                            quote = None;
                        }
                    }
                    Some(_) => {}
                    None => match c {
                        b'"' | b'\'' => quote = Some(c),
                        b'[' | b'{' => depth += 1,
                        b']' | b'}' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                return Some((line, k + 1));
                            }
                        }
                        b'#' if k > 0 && b[k - 1] == b' ' => break,
                        b'&' | b'*' | b'!' if k > 0 && matches!(b[k - 1], b'[' | b'{' | b',' | b' ') => return None,
                        _ => {}
                    },
                }
                k += 1;
            }
        }
        None
    }
}

/// Whether the outline has the same shape as the value the YAML decoder read: the same keys in
/// each mapping, as many items in each sequence. A difference means the outline misread the
/// text, and the text must not be edited.
pub(super) fn agrees(node: &Node, value: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (node, value) {
        (Node::Map(m), V::Object(o)) => {
            m.entries.len() == o.len() && m.entries.iter().all(|e| o.get(&e.key).is_some_and(|v| agrees(&e.value, v)))
        }
        (Node::Seq(s), V::Array(a)) => {
            s.items.len() == a.len() && s.items.iter().zip(a).all(|(it, v)| agrees(&it.value, v))
        }
        (Node::Empty, V::Null) => true,
        (Node::Leaf(l), V::Object(_) | V::Array(_)) => l.style == Style::Flow,
        (Node::Leaf(l), _) => l.style != Style::Flow,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines().map(|l| Line { text: l.to_string(), cr: false }).collect()
    }

    #[test]
    fn entries_span_their_value_lines() {
        let l = lines("# tête\na: 1 # un\nb:\n  - x: 1\n    y: |\n      t\n\n      u\n  # note\n  - z\n\nc: >-\n  d\n");
        let Node::Map(m) = parse(&l).unwrap() else { panic!() };
        let spans: Vec<(&str, usize, usize)> = m.entries.iter().map(|e| (e.key.as_str(), e.line, e.end)).collect();
        assert_eq!(spans, [("a", 1, 2), ("b", 2, 10), ("c", 11, 13)]);
        assert_eq!(m.entries[0].comment.as_deref(), Some("# un"));
        let Node::Seq(s) = &m.entries[1].value else { panic!() };
        assert_eq!(s.items.iter().map(|i| (i.line, i.end)).collect::<Vec<_>>(), [(3, 8), (9, 10)]);
    }

    #[test]
    fn compact_sequences_and_quoted_keys() {
        let l = lines("a:\n- 1\n- 2\n\"b c\": 'x'\n");
        let Node::Map(m) = parse(&l).unwrap() else { panic!() };
        assert_eq!(m.entries[1].key, "b c");
        let Node::Seq(s) = &m.entries[0].value else { panic!() };
        assert_eq!(s.items.len(), 2);
    }

    #[test]
    fn unsure_shapes_are_refused() {
        for bad in ["a: &x 1\nb: *x\n", "a: !tag 1\n", "? a\n: b\n", "a:\n\t- 1\n", "---\na: 1\n", "a:\n  - - 1\n"] {
            assert!(parse(&lines(bad)).is_err(), "{bad:?}");
        }
    }
}
