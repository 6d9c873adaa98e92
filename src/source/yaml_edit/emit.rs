//! Writing values as YAML the way content files are written: block mappings and sequences, plain
//! scalars when they read back as the same text, double quotes otherwise, `|` blocks for texts of
//! several lines; and, when a value replaces another, in the style the old one had.

use super::outline::Style;
use serde_json::Value;

/// How a value is written after `key:` or `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Emitted {
    /// On the same line (`key: value`); empty for null.
    Inline(String),
    /// Below: `header` follows the colon or dash (` |-` for a block text, empty for a block
    /// collection), then `lines`, already indented.
    Block { header: String, lines: Vec<String> },
}

/// The layout choices of a file: its indentation step and where it puts a sequence's dashes
/// under a key.
#[derive(Debug, Clone, Copy)]
pub(super) struct Layout {
    /// Columns a nested mapping is indented by.
    pub(super) step: usize,
    /// Columns a sequence's dashes are indented by under their key (0: at the key's column).
    pub(super) seq_shift: usize,
    /// Column where folded texts are wrapped.
    pub(super) width: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Layout { step: 2, seq_shift: 2, width: 100 }
    }
}

/// Preferred order of keys: for the mapping at a path, its keys in the order to write them.
pub type KeyOrder<'a> = &'a dyn Fn(&[super::path::Step]) -> Vec<String>;

/// Whether a plain scalar `s` is read back by the YAML decoder as the text `s`.
fn reads_back_plain(s: &str) -> bool {
    let doc = format!("k: {s}\n");
    match serde_saphyr::from_str::<Value>(&doc) {
        Ok(Value::Object(o)) => o.get("k").and_then(Value::as_str) == Some(s),
        _ => false,
    }
}

/// Whether `s` is `AAAA-MM-JJ`.
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// Whether `s` may be written without quotes. Besides reading back as itself, texts that start
/// with a digit are quoted (codes, phone numbers, times), as the content guide asks, except dates
/// and addresses ("18 avenue de la Gare").
pub(super) fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let digit_ok = is_iso_date(s) || (s.contains(' ') && s.chars().any(char::is_alphabetic));
    if first.is_ascii_digit() && !digit_ok {
        return false;
    }
    let risky_start = "-?:,[]{}#&*!|>'\"%@`~ +.".contains(first);
    !risky_start
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains(['\n', '\r', '\t'])
        && !s.chars().any(char::is_control)
        && reads_back_plain(s)
}

/// `s` between double quotes, escaped as YAML reads it back.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` between single quotes, when that can hold it.
fn single_quoted(s: &str) -> Option<String> {
    let fits = !s.chars().any(|c| c.is_control() || c == '\u{feff}') && !s.starts_with(' ') && !s.ends_with(' ');
    fits.then(|| format!("'{}'", s.replace('\'', "''")))
}

/// A text on one line, in `style` when it can be.
fn inline_text(s: &str, style: Option<Style>) -> String {
    match style {
        Some(Style::Double) => double_quoted(s),
        Some(Style::Single) => single_quoted(s).unwrap_or_else(|| double_quoted(s)),
        _ if plain_ok(s) => s.to_string(),
        _ => double_quoted(s),
    }
}

/// A scalar inside a flow collection (`[a, "b, c"]`).
fn flow_scalar(v: &Value) -> String {
    match v {
        Value::String(s) if plain_ok(s) && !s.contains([',', '[', ']', '{', '}']) => s.clone(),
        Value::String(s) => double_quoted(s),
        Value::Array(a) => format!("[{}]", a.iter().map(flow_scalar).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => {
            let parts: Vec<String> = o.iter().map(|(k, v)| format!("{}: {}", key_text(k), flow_scalar(v))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => scalar_text(other),
    }
}

/// Null, booleans and numbers as YAML writes them.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => double_quoted(s),
        Value::Array(_) | Value::Object(_) => flow_scalar(v),
    }
}

/// A key as written before its colon.
pub(super) fn key_text(k: &str) -> String {
    let plain = k.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
        && k.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        && reads_back_plain(k);
    if plain { k.to_string() } else { double_quoted(k) }
}

/// A text of several lines as a block (`|` or `>`), its lines indented by `indent`; `None` when
/// a block cannot hold it exactly (leading spaces on its first line, control characters).
fn block_text(s: &str, indent: usize, folded: bool, width: usize) -> Option<(String, Vec<String>)> {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    let first_line = body.lines().find(|l| !l.is_empty()).unwrap_or("");
    let bad = body.is_empty()
        || first_line.starts_with([' ', '\t'])
        || body.starts_with('\n')
        || s.contains('\r')
        || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
        || body.lines().any(|l| l.ends_with([' ', '\t']));
    if bad {
        return None;
    }
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let pad = " ".repeat(indent);
    let mut lines = Vec::new();
    if folded {
        if body.contains('\n') || body.contains("  ") || body.contains('\t') {
            return None;
        }
        let mut current = String::new();
        for word in body.split(' ') {
            if !current.is_empty() && indent + current.chars().count() + 1 + word.chars().count() > width {
                lines.push(format!("{pad}{current}"));
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        lines.push(format!("{pad}{current}"));
    } else {
        for l in body.split('\n') {
            lines.push(if l.is_empty() { String::new() } else { format!("{pad}{l}") });
        }
    }
    for _ in 1..trailing {
        lines.push(String::new());
    }
    let header = format!(" {}{chomp}", if folded { '>' } else { '|' });
    Some((header, lines))
}

/// How a value is written under a key at column `indent` (or in an item whose content starts at
/// `indent`), `old` being the style of the value it replaces, if any. `block_indent` is where the
/// old block text's lines were, to keep them there.
pub(super) fn emit(
    v: &Value,
    indent: usize,
    old: Option<(Style, Option<usize>, usize)>,
    layout: Layout,
    path: &mut Vec<super::path::Step>,
    order: KeyOrder,
) -> Emitted {
    let style = old.map(|o| o.0);
    let text_indent = old.and_then(|o| o.1).unwrap_or(indent + layout.step);
    match v {
        Value::String(s) => {
            let wants_block = matches!(style, Some(Style::Literal | Style::Folded));
            if s.contains('\n') || (wants_block && !s.is_empty()) {
                let folded_width = old.map_or(layout.width, |o| o.2.max(40));
                let attempts = [style == Some(Style::Folded), false];
                for folded in attempts {
                    if let Some((header, lines)) = block_text(s, text_indent, folded, folded_width) {
                        return Emitted::Block { header, lines };
                    }
                }
                return Emitted::Inline(double_quoted(s));
            }
            Emitted::Inline(inline_text(s, style.filter(|s| matches!(s, Style::Double | Style::Single))))
        }
        Value::Array(a) if a.is_empty() => Emitted::Inline("[]".to_string()),
        Value::Object(o) if o.is_empty() => Emitted::Inline("{}".to_string()),
        Value::Array(a) if style == Some(Style::Flow) || is_pair_of_numbers(a) => Emitted::Inline(flow_scalar(v)),
        Value::Object(_) if style == Some(Style::Flow) => Emitted::Inline(flow_scalar(v)),
        Value::Array(a) => {
            let dash = indent + layout.seq_shift;
            Emitted::Block { header: String::new(), lines: seq_lines(a, dash, layout, path, order) }
        }
        Value::Object(o) => {
            Emitted::Block { header: String::new(), lines: map_lines(o, indent + layout.step, layout, path, order) }
        }
        other => Emitted::Inline(scalar_text(other)),
    }
}

fn is_pair_of_numbers(a: &[Value]) -> bool {
    a.len() == 2 && a.iter().all(Value::is_number)
}

/// The keys of `o` in the preferred order for `path`, then the others in their own order.
pub(super) fn ordered_keys<'v>(
    o: &'v serde_json::Map<String, Value>,
    path: &[super::path::Step],
    order: KeyOrder,
) -> Vec<&'v String> {
    let preferred = order(path);
    let mut keys: Vec<&String> = preferred.iter().filter_map(|k| o.get_key_value(k).map(|(k, _)| k)).collect();
    keys.extend(o.keys().filter(|k| !preferred.contains(k)));
    keys
}

/// The lines of `key: value` at column `indent`.
pub(super) fn entry_lines(
    key: &str,
    v: &Value,
    indent: usize,
    layout: Layout,
    path: &mut Vec<super::path::Step>,
    order: KeyOrder,
) -> Vec<String> {
    path.push(super::path::Step::Key(key.to_string()));
    let pad = " ".repeat(indent);
    let k = key_text(key);
    let out = match emit(v, indent, None, layout, path, order) {
        Emitted::Inline(s) if s.is_empty() => vec![format!("{pad}{k}:")],
        Emitted::Inline(s) => vec![format!("{pad}{k}: {s}")],
        Emitted::Block { header, lines } => {
            let mut out = vec![format!("{pad}{k}:{header}")];
            out.extend(lines);
            out
        }
    };
    path.pop();
    out
}

/// The lines of a block mapping whose keys are at column `indent`.
pub(super) fn map_lines(
    o: &serde_json::Map<String, Value>,
    indent: usize,
    layout: Layout,
    path: &mut Vec<super::path::Step>,
    order: KeyOrder,
) -> Vec<String> {
    let mut out = Vec::new();
    for k in ordered_keys(o, path, order) {
        out.extend(entry_lines(k, &o[k], indent, layout, path, order));
    }
    out
}

/// The lines of one `- item` whose dash is at column `dash`.
pub(super) fn item_lines(
    v: &Value,
    dash: usize,
    layout: Layout,
    path: &mut Vec<super::path::Step>,
    order: KeyOrder,
) -> Vec<String> {
    let pad = " ".repeat(dash);
    let content = dash + 2;
    match v {
        Value::Object(o) if !o.is_empty() => {
            let mut lines = map_lines(o, content, layout, path, order);
            if let Some(first) = lines.first_mut() {
                *first = format!("{pad}- {}", &first[content..]);
            }
            lines
        }
        _ => {
            // A nested sequence or block text goes below the dash.
            let nested = Layout { seq_shift: 2, ..layout };
            match emit(v, dash, None, nested, path, order) {
                Emitted::Inline(s) if s.is_empty() => vec![format!("{pad}-")],
                Emitted::Inline(s) => vec![format!("{pad}- {s}")],
                Emitted::Block { header, lines } => {
                    let mut out = vec![format!("{pad}-{header}")];
                    out.extend(lines);
                    out
                }
            }
        }
    }
}

/// The lines of a block sequence whose dashes are at column `dash`.
pub(super) fn seq_lines(
    a: &[Value],
    dash: usize,
    layout: Layout,
    path: &mut Vec<super::path::Step>,
    order: KeyOrder,
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, v) in a.iter().enumerate() {
        path.push(super::path::Step::Index(i));
        out.extend(item_lines(v, dash, layout, path, order));
        path.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_only_when_it_reads_back() {
        for ok in ["Le Luc", "18 avenue de la Gare", "2026-11-10", "infirmier", "Soins 7 j/7"] {
            assert!(plain_ok(ok), "{ok}");
        }
        for quoted in
            ["83340", "08:30", "true", "y", "no", "null", "~", "- x", "a: b", "a #b", "", " x", "1e3", "0x1F", "Dr:"]
        {
            assert!(!plain_ok(quoted), "{quoted}");
        }
        assert_eq!(double_quoted("a\"b\\c\n"), r#""a\"b\\c\n""#);
    }

    #[test]
    fn block_texts_keep_their_kind() {
        let (h, l) = block_text("un\n\ndeux\n", 2, false, 100).unwrap();
        assert_eq!((h.as_str(), l), (" |", vec!["  un".to_string(), String::new(), "  deux".to_string()]));
        let (h, l) = block_text("a b c d", 2, true, 6).unwrap();
        assert_eq!((h.as_str(), l), (" >-", vec!["  a b".to_string(), "  c d".to_string()]));
        assert!(block_text(" indenté\n", 2, false, 100).is_none());
    }
}
