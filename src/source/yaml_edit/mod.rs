//! Format-preserving edits of YAML files and of Markdown files' front matter: give the new value
//! of the whole record, and only the lines of what changed are rewritten. Comments, blank lines,
//! key order, quoting and block texts stay as the coordinator wrote them.
//!
//! [`EditableFile::parse`] reads the text twice: with the YAML decoder (the value), and line by
//! line into an outline of where each entry and item sits. The two must agree, and the text must
//! use only shapes the outline reader knows for sure (no anchors, aliases, tags, complex keys, tabs
//! in indentation…): otherwise the file is refused, never guessed at. [`EditableFile::set`] then
//! compares the old value with the new one and applies the smallest edits, one at a time: a value
//! replaced in the style it had, a key removed with its lines, a key added after the one that
//! precedes it in the preferred order, an item added or removed at its place. Finally the new text
//! is read again by the YAML decoder and must give exactly the new value, or nothing is changed.

mod emit;
mod outline;
mod path;

pub use emit::{KeyOrder, double_quoted};
pub use path::{Step, dotted};

use emit::{Emitted, Layout};
use outline::{Line, Node, Style};
use serde_json::Value;

/// Why a file cannot be edited in place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The YAML cannot be read at all (the decoder's own error is reported by the check).
    #[error("le YAML est illisible : {0}")]
    Unreadable(String),
    /// The file uses a construction the editor does not change safely.
    #[error(
        "ligne {line} : {reason} ; le formulaire ne sait pas modifier ce fichier sans risque, modifiez-le en mode texte"
    )]
    Shape {
        /// 1-based line in the file.
        line: u32,
        /// What was found, in French.
        reason: &'static str,
    },
    /// The edit did not give the expected value when read back (nothing was changed).
    #[error("la modification n’a pas pu être écrite sans risque ({0}) ; modifiez ce fichier en mode texte")]
    Mismatch(String),
}

/// A YAML file, or a Markdown file with a YAML front matter, ready for edits.
#[derive(Debug, Clone)]
pub struct EditableFile {
    bom: bool,
    /// The YAML lines (the front matter's, for Markdown).
    lines: Vec<Line>,
    /// Whether the text (the YAML, for a plain YAML file) ends with a line ending.
    final_newline: bool,
    /// `\r\n` when the file's lines mostly end so.
    crlf: bool,
    /// For Markdown: the opening and closing `---` lines, and the body after them.
    front: Option<Front>,
    outline: Node,
    value: Value,
    layout: Layout,
}

#[derive(Debug, Clone)]
struct Front {
    open: Line,
    close: Line,
    body: String,
}

/// Splits text into lines, keeping whether each ended with `\r\n`; also whether it ended with a
/// line ending.
fn split_lines(text: &str) -> (Vec<Line>, bool) {
    let final_newline = text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return (Vec::new(), false);
    }
    let lines = body
        .split('\n')
        .map(|l| match l.strip_suffix('\r') {
            Some(t) => Line { text: t.to_string(), cr: true },
            None => Line { text: l.to_string(), cr: false },
        })
        .collect();
    (lines, final_newline)
}

fn join_lines(lines: &[Line], final_newline: bool, out: &mut String) {
    for (i, l) in lines.iter().enumerate() {
        out.push_str(&l.text);
        if i + 1 < lines.len() || final_newline {
            out.push_str(if l.cr { "\r\n" } else { "\n" });
        }
    }
}

/// A value written as YAML on its own, block style (for a text area showing a value whole).
pub fn to_yaml(v: &Value) -> String {
    let no_order = |_: &[Step]| Vec::new();
    let layout = Layout::default();
    let lines = match v {
        Value::Object(o) if !o.is_empty() => emit::map_lines(o, 0, layout, &mut Vec::new(), &no_order),
        Value::Array(a) if !a.is_empty() => emit::seq_lines(a, 0, layout, &mut Vec::new(), &no_order),
        other => match emit::emit(other, 0, None, layout, &mut Vec::new(), &no_order) {
            Emitted::Inline(s) => vec![s],
            Emitted::Block { header, lines } => std::iter::once(header.trim_start().to_string()).chain(lines).collect(),
        },
    };
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Reads YAML text into a value, as the editor compares them.
pub fn yaml_value(yaml: &str) -> Result<Value, String> {
    serde_saphyr::from_str::<Value>(yaml).map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
}

impl EditableFile {
    /// Reads a file's text: plain YAML, or Markdown with front matter when `front_matter`.
    pub fn parse(text: &str, front_matter: bool) -> Result<EditableFile, EditError> {
        let bom = text.starts_with('\u{feff}');
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (mut lines, mut final_newline) = split_lines(text);
        let crlf = lines.iter().filter(|l| l.cr).count() * 2 > lines.len();
        let front = if front_matter {
            let shape = |line, reason| EditError::Shape { line, reason };
            if lines.first().map(|l| l.text.as_str()) != Some("---") {
                return Err(shape(1, "l’en-tête ne commence pas par une ligne « --- »"));
            }
            let close = lines
                .iter()
                .skip(1)
                .position(|l| l.text.trim_end() == "---")
                .map(|p| p + 1)
                .ok_or(shape(1, "l’en-tête n’est pas refermé par une ligne « --- »"))?;
            let mut body = String::new();
            join_lines(&lines[close + 1..], final_newline, &mut body);
            let close_line = lines[close].clone();
            let has_body_break = close + 1 < lines.len() || final_newline;
            lines.truncate(close);
            let open = lines.remove(0);
            final_newline = true;
            let close_line = Line { cr: close_line.cr && has_body_break, ..close_line };
            Some(Front { open, close: close_line, body })
        } else {
            None
        };
        let mut file = EditableFile {
            bom,
            lines,
            final_newline,
            crlf,
            front,
            outline: Node::Empty,
            value: Value::Null,
            layout: Layout::default(),
        };
        file.reread()?;
        file.layout = file.detect_layout();
        Ok(file)
    }

    /// A new, empty YAML file (or Markdown file with an empty front matter).
    pub fn empty(front_matter: bool) -> EditableFile {
        let front = front_matter.then(|| Front {
            open: Line { text: "---".into(), cr: false },
            close: Line { text: "---".into(), cr: false },
            body: String::new(),
        });
        EditableFile {
            bom: false,
            lines: Vec::new(),
            final_newline: true,
            crlf: false,
            front,
            outline: Node::Empty,
            value: Value::Null,
            layout: Layout::default(),
        }
    }

    /// The YAML text (the front matter's, for Markdown).
    fn yaml_text(&self) -> String {
        let mut s = String::new();
        join_lines(&self.lines, self.final_newline, &mut s);
        s
    }

    /// Reads the YAML again after a change: value, outline, and their agreement.
    fn reread(&mut self) -> Result<(), EditError> {
        let offset = u32::from(self.front.is_some());
        self.value = yaml_value(&self.yaml_text()).map_err(EditError::Unreadable)?;
        self.outline = outline::parse(&self.lines)
            .map_err(|s| EditError::Shape { line: s.line as u32 + 1 + offset, reason: s.reason })?;
        if !outline::agrees(&self.outline, &self.value) {
            return Err(EditError::Shape { line: 1 + offset, reason: "structure YAML inhabituelle" });
        }
        if !matches!(self.outline, Node::Map(_) | Node::Empty) {
            return Err(EditError::Shape { line: 1 + offset, reason: "le fichier n’est pas un bloc de clés" });
        }
        Ok(())
    }

    /// The indentation step and sequence placement the file already uses.
    fn detect_layout(&self) -> Layout {
        let mut layout = Layout::default();
        let (mut step, mut shift) = (None, None);
        fn walk(n: &Node, step: &mut Option<usize>, shift: &mut Option<usize>) {
            match n {
                Node::Map(m) => {
                    for e in &m.entries {
                        match &e.value {
                            Node::Map(c) if step.is_none() => *step = Some(c.indent.saturating_sub(m.indent)),
                            Node::Seq(s) if shift.is_none() => *shift = Some(s.indent.saturating_sub(m.indent)),
                            _ => {}
                        }
                        walk(&e.value, step, shift);
                    }
                }
                Node::Seq(s) => s.items.iter().for_each(|i| walk(&i.value, step, shift)),
                _ => {}
            }
        }
        walk(&self.outline, &mut step, &mut shift);
        if let Some(s) = step.filter(|s| (1..=8).contains(s)) {
            layout.step = s;
        }
        if let Some(s) = shift.filter(|s| *s <= 8) {
            layout.seq_shift = s;
        }
        layout
    }

    /// The record's value, as the YAML decoder reads it.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The Markdown body, for a file with front matter.
    pub fn body(&self) -> Option<&str> {
        self.front.as_ref().map(|f| f.body.as_str())
    }

    /// The whole text of the file.
    pub fn text(&self) -> String {
        let mut s = String::new();
        if self.bom {
            s.push('\u{feff}');
        }
        match &self.front {
            Some(f) => {
                join_lines(std::slice::from_ref(&f.open), true, &mut s);
                join_lines(&self.lines, true, &mut s);
                s.push_str(&f.close.text);
                if !f.body.is_empty() || f.close.cr {
                    s.push_str(if f.close.cr { "\r\n" } else { "\n" });
                }
                s.push_str(&f.body);
            }
            None => join_lines(&self.lines, self.final_newline, &mut s),
        }
        s
    }

    /// Replaces the Markdown body (line endings as the file has them); nothing happens when only
    /// line endings differ.
    pub fn set_body(&mut self, body: &str) {
        let crlf = self.crlf;
        if let Some(f) = &mut self.front {
            let unify = |s: &str| s.replace("\r\n", "\n");
            if unify(&f.body) == unify(body) {
                return;
            }
            let body = unify(body);
            f.body = if crlf { body.replace('\n', "\r\n") } else { body };
            if !f.body.is_empty() && !f.close.cr && crlf {
                f.close.cr = true;
            }
        }
    }

    /// The path of the value written at `line` (1-based, in the file), as deep as the outline
    /// goes; empty for the top of the file or outside the YAML.
    pub fn path_at(&self, line: u32) -> Vec<Step> {
        let offset = usize::from(self.front.is_some());
        let mut path = Vec::new();
        let Some(at) = (line as usize).checked_sub(1 + offset) else { return path };
        let mut node = &self.outline;
        loop {
            match node {
                Node::Map(m) => match m.entries.iter().find(|e| e.line <= at && at < e.end) {
                    Some(e) => {
                        path.push(Step::Key(e.key.clone()));
                        node = &e.value;
                    }
                    None => return path,
                },
                Node::Seq(s) => match s.items.iter().position(|i| i.line <= at && at < i.end) {
                    Some(i) => {
                        path.push(Step::Index(i));
                        node = &s.items[i].value;
                    }
                    None => return path,
                },
                _ => return path,
            }
        }
    }

    /// The 1-based file lines the value at `path` spans, its key's or dash's line included
    /// (`first..=last`), if the path exists.
    pub fn lines_of(&self, path: &[Step]) -> Option<(u32, u32)> {
        let offset = u32::from(self.front.is_some());
        let mut node = &self.outline;
        let mut span = None;
        for step in path {
            match (node, step) {
                (Node::Map(m), Step::Key(k)) => {
                    let e = m.entries.iter().find(|e| &e.key == k)?;
                    span = Some((e.line, e.end));
                    node = &e.value;
                }
                (Node::Seq(s), Step::Index(i)) => {
                    let it = s.items.get(*i)?;
                    span = Some((it.line, it.end));
                    node = &it.value;
                }
                // Inside a flow collection or a text: the lines of the whole value.
                (Node::Leaf(_), _) if span.is_some() => break,
                _ => return None,
            }
        }
        span.map(|(a, b)| (a as u32 + 1 + offset, b as u32 + offset))
    }

    /// The 1-based file line where the value at `path` starts (its key's or dash's line).
    pub fn line_of(&self, path: &[Step]) -> Option<u32> {
        self.lines_of(path).map(|(first, _)| first)
    }

    /// The line of the file where the Markdown body starts (1-based), for a file with front
    /// matter.
    pub fn body_line(&self) -> Option<u32> {
        self.front.as_ref().map(|_| self.lines.len() as u32 + 3)
    }

    /// Changes the record to `new`, editing only what differs. `order` gives, for the mapping at a
    /// path, the order its keys are written in (new keys go after the closest one before them).
    /// On error, the file is left as it was.
    pub fn set(&mut self, new: &Value, order: KeyOrder) -> Result<(), EditError> {
        let before = self.clone();
        let old = self.value.clone();
        let result = self.reconcile(&mut Vec::new(), &old, new, order).and_then(|()| {
            if &self.value == new {
                Ok(())
            } else {
                Err(EditError::Mismatch("la valeur relue diffère de la valeur voulue".into()))
            }
        });
        if result.is_err() {
            *self = before;
        }
        result
    }

    fn reconcile(&mut self, path: &mut Vec<Step>, old: &Value, new: &Value, order: KeyOrder) -> Result<(), EditError> {
        if old == new {
            return Ok(());
        }
        let kind = self.node_at(path).map(|n| match n {
            Node::Map(_) => 1,
            Node::Seq(_) => 2,
            _ => 0,
        });
        match (kind, old, new) {
            (Some(1), Value::Object(o), Value::Object(n)) if !n.is_empty() => {
                for k in o.keys().filter(|k| !n.contains_key(*k)) {
                    self.remove_entry(path, k)?;
                }
                for (k, nv) in n {
                    if let Some(ov) = o.get(k) {
                        path.push(Step::Key(k.clone()));
                        self.reconcile(path, ov, nv, order)?;
                        path.pop();
                    }
                }
                for k in emit::ordered_keys(n, path, order) {
                    if !o.contains_key(k) {
                        self.insert_entry(path, k, &n[k], order)?;
                    }
                }
                Ok(())
            }
            (Some(2), Value::Array(o), Value::Array(n)) if !n.is_empty() => {
                let mut at = 0;
                for op in align(o, n) {
                    match op {
                        Align::Keep => at += 1,
                        Align::Change(i, j) => {
                            path.push(Step::Index(at));
                            self.reconcile(path, &o[i], &n[j], order)?;
                            path.pop();
                            at += 1;
                        }
                        Align::Remove => self.remove_item(path, at)?,
                        Align::Insert(j) => {
                            self.insert_item(path, at, &n[j], order)?;
                            at += 1;
                        }
                    }
                }
                Ok(())
            }
            _ => self.replace(path, new, order),
        }
    }

    fn node_at(&self, path: &[Step]) -> Option<&Node> {
        let mut node = &self.outline;
        for step in path {
            node = match (node, step) {
                (Node::Map(m), Step::Key(k)) => &m.entries.iter().find(|e| &e.key == k)?.value,
                (Node::Seq(s), Step::Index(i)) => &s.items.get(*i)?.value,
                _ => return None,
            };
        }
        Some(node)
    }

    fn lost(path: &[Step]) -> EditError {
        EditError::Mismatch(format!("« {} » introuvable dans le fichier", dotted(path)))
    }

    /// Replaces lines `start..end` of the YAML with `new`, then reads everything again.
    fn splice(&mut self, start: usize, end: usize, new: Vec<String>) -> Result<(), EditError> {
        let cr = self.crlf;
        self.lines.splice(start..end, new.into_iter().map(|text| Line { text, cr }));
        if self.front.is_none() && !self.lines.is_empty() {
            self.final_newline = true;
        }
        self.reread()
    }

    /// The style of a leaf, as `emit` wants it.
    fn old_style(node: &Node) -> Option<(Style, Option<usize>, usize)> {
        match node {
            Node::Leaf(l) => Some((l.style, l.block_indent, l.width)),
            _ => None,
        }
    }

    /// Rewrites the value at `path` whole.
    fn replace(&mut self, path: &mut Vec<Step>, new: &Value, order: KeyOrder) -> Result<(), EditError> {
        let Some((last, parent)) = path.split_last() else {
            let lines = match new {
                Value::Object(o) => emit::map_lines(o, 0, self.layout, &mut Vec::new(), order),
                Value::Null => Vec::new(),
                _ => return Err(EditError::Mismatch("un fichier de contenu est un bloc de clés".into())),
            };
            let end = self.lines.len();
            // Comments before and after the keys stay.
            let (start, stop) = match &self.outline {
                Node::Map(m) => (m.entries.first().map_or(end, |e| e.line), m.entries.last().map_or(end, |e| e.end)),
                _ => (end, end),
            };
            return self.splice(start, stop, lines);
        };
        let (last, parent) = (last.clone(), parent.to_vec());
        let layout = self.layout;
        let (line, end, prefix, comment, indent, old) = match (self.node_at(&parent), &last) {
            (Some(Node::Map(m)), Step::Key(k)) => {
                let e = m.entries.iter().find(|e| &e.key == k).ok_or_else(|| Self::lost(path))?;
                let prefix = self.lines[e.line].text[..e.colon].to_string();
                (e.line, e.end, prefix, e.comment.clone(), m.indent, Self::old_style(&e.value))
            }
            (Some(Node::Seq(s)), Step::Index(i)) => {
                let it = s.items.get(*i).ok_or_else(|| Self::lost(path))?;
                let prefix = self.lines[it.line].text[..s.indent + 1].to_string();
                (it.line, it.end, prefix, it.comment.clone(), s.indent, Self::old_style(&it.value))
            }
            _ => return Err(Self::lost(path)),
        };
        let comment = comment.map(|c| format!(" {c}")).unwrap_or_default();
        let in_item = matches!(last, Step::Index(_));
        let lines = if in_item && matches!(new, Value::Object(o) if !o.is_empty()) {
            let mut lines = emit::item_lines(new, indent, layout, path, order);
            if let Some(first) = lines.first_mut() {
                first.push_str(&comment);
            }
            lines
        } else {
            // Under a dash, a nested sequence is indented like a mapping would be.
            let item_layout = if in_item { Layout { seq_shift: 2, ..layout } } else { layout };
            match emit::emit(new, indent, old, item_layout, path, order) {
                Emitted::Inline(s) if s.is_empty() => vec![format!("{prefix}{comment}")],
                Emitted::Inline(s) => vec![format!("{prefix} {s}{comment}")],
                Emitted::Block { header, lines } => {
                    let mut out = vec![format!("{prefix}{header}{comment}")];
                    out.extend(lines);
                    out
                }
            }
        };
        self.splice(line, end, lines)
    }

    fn remove_entry(&mut self, path: &[Step], key: &str) -> Result<(), EditError> {
        let Some(Node::Map(m)) = self.node_at(path) else { return Err(Self::lost(path)) };
        let pos = m.entries.iter().position(|e| e.key == key).ok_or_else(|| Self::lost(path))?;
        let e = &m.entries[pos];
        let (start, end, indent) = (e.line, e.end, m.indent);
        // The first key of a sequence item carries the dash: the next key takes it over.
        let opens_item = self.lines[start].text[..indent].trim_start().starts_with('-');
        let next = m.entries.get(pos + 1).map(|n| n.line);
        match (opens_item, next) {
            (true, Some(n)) => {
                // Comments between the two keys stay before the item's new first line.
                let dash = self.lines[start].text[..indent].to_string();
                let mut lines: Vec<String> = self.lines[end..n].iter().map(|l| l.text.clone()).collect();
                lines.push(format!("{dash}{}", &self.lines[n].text[indent..]));
                self.splice(start, n + 1, lines)
            }
            _ => self.splice(start, end, Vec::new()),
        }
    }

    fn insert_entry(&mut self, path: &mut Vec<Step>, key: &str, v: &Value, order: KeyOrder) -> Result<(), EditError> {
        let layout = self.layout;
        let Some(Node::Map(m)) = self.node_at(path) else { return Err(Self::lost(path)) };
        let preferred = order(path);
        let existing: Vec<&str> = m.entries.iter().map(|e| e.key.as_str()).collect();
        let pos = preferred.iter().position(|k| k == key);
        let after = pos.and_then(|p| preferred[..p].iter().rev().find(|k| existing.contains(&k.as_str())));
        let before = pos.and_then(|p| preferred[p + 1..].iter().find(|k| existing.contains(&k.as_str())));
        let indent = m.indent;
        let (at, first) = match (after, before) {
            (Some(a), _) => (m.entries.iter().find(|e| &e.key == a).map_or(0, |e| e.end), false),
            (None, Some(b)) => {
                let e = m.entries.iter().find(|e| &e.key == b).ok_or_else(|| Self::lost(path))?;
                (e.line, m.entries.first().is_some_and(|f| f.line == e.line))
            }
            (None, None) => (m.entries.last().map_or(0, |e| e.end), false),
        };
        let mut lines = emit::entry_lines(key, v, indent, layout, path, order);
        let opens_item = first && self.lines[at].text[..indent].trim_start().starts_with('-');
        if opens_item {
            // The new key opens the item: the dash moves to its line.
            let dash = self.lines[at].text[..indent].to_string();
            if let Some(l) = lines.first_mut() {
                *l = format!("{dash}{}", &l[indent..]);
            }
            let old = format!("{}{}", " ".repeat(indent), &self.lines[at].text[indent..]);
            lines.push(old);
            return self.splice(at, at + 1, lines);
        }
        self.splice(at, at, lines)
    }

    fn remove_item(&mut self, path: &[Step], index: usize) -> Result<(), EditError> {
        let Some(Node::Seq(s)) = self.node_at(path) else { return Err(Self::lost(path)) };
        let it = s.items.get(index).ok_or_else(|| Self::lost(path))?;
        let (start, end) = (it.line, it.end);
        self.splice(start, end, Vec::new())
    }

    fn insert_item(&mut self, path: &mut Vec<Step>, index: usize, v: &Value, order: KeyOrder) -> Result<(), EditError> {
        let layout = self.layout;
        let Some(Node::Seq(s)) = self.node_at(path) else { return Err(Self::lost(path)) };
        let at = match s.items.get(index) {
            Some(it) => it.line,
            None => s.items.last().map_or(0, |it| it.end),
        };
        let dash = s.indent;
        path.push(Step::Index(index));
        let lines = emit::item_lines(v, dash, layout, path, order);
        path.pop();
        self.splice(at, at, lines)
    }
}

/// One step of turning an old list into a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    /// The next old item stays as it is.
    Keep,
    /// Old item `.0` becomes new item `.1`.
    Change(usize, usize),
    /// The next old item goes.
    Remove,
    /// New item `.0` comes in here.
    Insert(usize),
}

/// Aligns two lists: equal items are kept (longest common subsequence); between them, old and
/// new items are paired in order as changes, the rest removed or inserted.
fn align(old: &[Value], new: &[Value]) -> Vec<Align> {
    let (n, m) = (old.len(), new.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut anchors = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if old[i] == new[j] {
            anchors.push((i, j));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    anchors.push((n, m));
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (ai, aj) in anchors {
        let (olds, news) = (ai - i, aj - j);
        for k in 0..olds.min(news) {
            ops.push(Align::Change(i + k, j + k));
        }
        for _ in news..olds {
            ops.push(Align::Remove);
        }
        for k in olds..news {
            ops.push(Align::Insert(j + k));
        }
        if ai < n {
            ops.push(Align::Keep);
        }
        i = ai + 1;
        j = aj + 1;
    }
    ops
}

#[cfg(test)]
mod tests;
