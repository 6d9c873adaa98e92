//! Surgical edits of member files at the text level: replace the value of one key, add a key,
//! append a place. Everything else — comments, blank lines, key order, block texts — stays as the
//! coordinator wrote it.
//!
//! Only the shapes Maillage writes and documents are understood: top-level `key: value` lines at
//! column 0 and a `lieux:` block list whose items are `- key: value` maps. Anything else makes
//! [`MemberText::parse`] fail, and the importer then reports the file instead of touching it.

/// Top-level keys of a member file, in the order Maillage writes them.
pub const KEY_ORDER: &[&str] = &[
    "civilite",
    "titre",
    "prenom",
    "nom",
    "raison_sociale",
    "profession",
    "structure",
    "specialite",
    "rpps",
    "adeli",
    "finess",
    "siret",
    "exercice",
    "lieux",
    "accepte_nouveaux_patients",
    "soins_non_programmes",
    "teleconsultation",
    "visites_domicile",
    "langues",
    "presentation",
    "image",
    "membres",
    "maitre_de_stage",
    "verifie_le",
    "verifications",
    "releve",
    "publie",
];

/// Keys of a place, in the order Maillage writes them.
pub const PLACE_ORDER: &[&str] = &[
    "nom",
    "adresse",
    "code_postal",
    "commune",
    "coordonnees",
    "telephone",
    "courriel",
    "prise_rdv",
    "horaires",
    "accessible_pmr",
    "verifie_le",
    "releve",
];

/// A member file split into lines, with the positions of its keys.
#[derive(Debug, Clone)]
pub struct MemberText {
    lines: Vec<String>,
    trailing_newline: bool,
}

/// A key and the lines its value spans (`start` is the key's line, `end` is exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: String,
    start: usize,
    end: usize,
}

/// A block of `key: value` lines: the whole file, or one item of `lieux`.
#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    end: usize,
    /// Column of the keys.
    indent: usize,
    /// Whether the first line starts with `- ` two columns before the keys.
    dash: bool,
}

/// Why a file cannot be edited surgically.
pub type ShapeError = &'static str;

impl MemberText {
    /// Splits a file's text into lines.
    pub fn parse(text: &str) -> Self {
        let trailing_newline = text.ends_with('\n') || text.is_empty();
        let lines = text.lines().map(str::to_string).collect();
        MemberText { lines, trailing_newline }
    }

    /// The text, with the original final newline.
    pub fn text(&self) -> String {
        let mut out = self.lines.join("\n");
        if self.trailing_newline {
            out.push('\n');
        }
        out
    }

    fn top(&self) -> Block {
        Block { start: 0, end: self.lines.len(), indent: 0, dash: false }
    }

    /// Keys of a block, each with the lines its value spans (trailing blank and comment lines
    /// excluded).
    fn entries(&self, b: Block) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for i in b.start..b.end {
            let line = &self.lines[i];
            let content = if i == b.start && b.dash {
                Some(&line[b.indent.min(line.len())..])
            } else {
                let lead = leading_spaces(line);
                let rest = &line[lead..];
                // A line at or left of the keys' column ends the previous value (a dash at the
                // keys' column continues it: a block list).
                let boundary = !rest.is_empty() && (lead < b.indent || (lead == b.indent && !rest.starts_with("- ")));
                if boundary
                    && let Some(last) = out.last_mut()
                    && last.end == b.end
                {
                    last.end = i;
                }
                (boundary && lead == b.indent && !rest.starts_with('#')).then_some(rest)
            };
            if let Some(key) = content.and_then(key_of) {
                if let Some(last) = out.last_mut()
                    && last.end == b.end
                {
                    last.end = i;
                }
                out.push(Entry { key: key.to_string(), start: i, end: b.end });
            }
        }
        for e in &mut out {
            while e.end > e.start + 1 && is_blank_or_comment(&self.lines[e.end - 1]) {
                e.end -= 1;
            }
        }
        out
    }

    /// The items of `lieux`, in order.
    fn places(&self) -> Result<Vec<Block>, ShapeError> {
        let Some(lieux) = self.entries(self.top()).into_iter().find(|e| e.key == "lieux") else {
            return Ok(Vec::new());
        };
        if !value_of(&self.lines[lieux.start]).trim().is_empty() && !value_of(&self.lines[lieux.start]).starts_with('#')
        {
            return Err("« lieux » n’est pas écrit comme une liste à tirets");
        }
        let mut items: Vec<Block> = Vec::new();
        let mut item_indent = None;
        for i in lieux.start + 1..lieux.end {
            let line = &self.lines[i];
            if is_blank_or_comment(line) {
                continue;
            }
            let lead = leading_spaces(line);
            let rest = &line[lead..];
            let indent = *item_indent.get_or_insert(lead);
            if lead == indent && rest.starts_with("- ") {
                if key_of(&rest[2..]).is_none() {
                    return Err("un lieu n’est pas écrit « - clé: valeur »");
                }
                if let Some(last) = items.last_mut() {
                    last.end = i;
                }
                items.push(Block { start: i, end: lieux.end, indent: indent + 2, dash: true });
            } else if items.is_empty() || lead < indent + 2 {
                return Err("la liste « lieux » a une forme inattendue");
            }
        }
        for it in &mut items {
            while it.end > it.start + 1 && is_blank_or_comment(&self.lines[it.end - 1]) {
                it.end -= 1;
            }
        }
        Ok(items)
    }

    /// Number of places, or why the list cannot be edited.
    pub fn place_count(&self) -> Result<usize, ShapeError> {
        self.places().map(|p| p.len())
    }

    /// Sets a top-level key to an already rendered YAML value, replacing its old value or
    /// inserting it after the closest key that precedes it in `order`.
    pub fn set_top(&mut self, key: &str, value: &str, order: &[&str]) {
        let b = self.top();
        self.set_in(b, key, value, order);
    }

    /// Sets a key of place `index` (0-based).
    pub fn set_place(&mut self, index: usize, key: &str, value: &str, order: &[&str]) -> Result<(), ShapeError> {
        let places = self.places()?;
        let b = *places.get(index).ok_or("lieu introuvable")?;
        self.set_in(b, key, value, order);
        Ok(())
    }

    /// Appends a place given as `(key, rendered value)` pairs at the end of `lieux`.
    pub fn append_place(&mut self, fields: &[(&str, String)]) -> Result<(), ShapeError> {
        let places = self.places()?;
        let (at, indent) = match places.last() {
            Some(last) => (last.end, last.indent - 2),
            None => {
                let lieux = self.entries(self.top()).into_iter().find(|e| e.key == "lieux");
                match lieux {
                    Some(e) => {
                        // `lieux: []` or an empty `lieux:`: rewrite the key line.
                        self.lines[e.start] = "lieux:".to_string();
                        (e.end, 2)
                    }
                    None => {
                        let b = self.top();
                        self.set_in(b, "lieux", "", KEY_ORDER);
                        let e = self.entries(self.top()).into_iter().find(|e| e.key == "lieux").ok_or("lieux")?;
                        (e.end, 2)
                    }
                }
            }
        };
        let lines = place_lines(fields, indent);
        self.lines.splice(at..at, lines);
        Ok(())
    }

    fn set_in(&mut self, b: Block, key: &str, value: &str, order: &[&str]) {
        let entries = self.entries(b);
        let prefix = |first: bool| {
            if first && b.dash { format!("{}- ", " ".repeat(b.indent - 2)) } else { " ".repeat(b.indent) }
        };
        let render = |first: bool, comment: &str| {
            let sep = if value.is_empty() { "" } else { " " };
            format!("{}{key}:{sep}{value}{comment}", prefix(first))
        };
        if let Some(e) = entries.iter().find(|e| e.key == key) {
            let comment = trailing_comment(value_of(&self.lines[e.start])).map(|c| format!(" {c}")).unwrap_or_default();
            let line = render(e.start == b.start, &comment);
            self.lines.splice(e.start..e.end, [line]);
            return;
        }
        let pos = order.iter().position(|k| *k == key).unwrap_or(order.len());
        let before = order[..pos].iter().rev().find_map(|k| entries.iter().find(|e| e.key == *k));
        let at = match before {
            Some(e) => e.end,
            None => match order[pos..].iter().find_map(|k| entries.iter().find(|e| e.key == *k)) {
                Some(e) => e.start,
                None => entries.last().map_or(b.end, |e| e.end),
            },
        };
        if b.dash && at == b.start {
            // The new key opens the item: the dash moves to its line.
            let old = &self.lines[at];
            self.lines[at] = format!("{}{}", " ".repeat(b.indent), &old[b.indent.min(old.len())..]);
            self.lines.insert(at, render(true, ""));
        } else {
            self.lines.insert(at, render(false, ""));
        }
    }
}

/// The lines of a new place, items indented by `indent` columns.
pub fn place_lines(fields: &[(&str, String)], indent: usize) -> Vec<String> {
    fields
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let lead = if i == 0 { format!("{}- ", " ".repeat(indent)) } else { " ".repeat(indent + 2) };
            format!("{lead}{k}: {v}")
        })
        .collect()
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The key of a `key: value` or `key:` line.
fn key_of(content: &str) -> Option<&str> {
    let colon = content.find(':')?;
    let key = &content[..colon];
    let after = &content[colon + 1..];
    let valid = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (valid && (after.is_empty() || after.starts_with(' '))).then_some(key)
}

/// What follows `key:` on a line.
fn value_of(line: &str) -> &str {
    line.find(':').map_or("", |c| line[c + 1..].trim_start())
}

/// The `# comment` at the end of a one-line value, if any.
fn trailing_comment(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    let mut i = 0;
    if let Some(&q) = bytes.first().filter(|b| **b == b'"' || **b == b'\'') {
        i = 1;
        while i < bytes.len() {
            if q == b'"' && bytes[i] == b'\\' {
                i += 2;
                continue;
            }
            if bytes[i] == q {
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
    }
    if value.starts_with('#') {
        return Some(value);
    }
    value.get(i..).and_then(|rest| rest.find(" #").map(|p| rest[p + 1..].trim_end()))
}

/// A string as a YAML scalar: plain when that reads back as the same string, double-quoted
/// otherwise. Codes made of digits are always quoted, as the content guide asks.
pub fn scalar(s: &str) -> String {
    // A leading digit is fine in "18 avenue de la Gare", not in "83340" or "2024-01-01".
    let digit_ok = s.contains(' ') && s.chars().any(char::is_alphabetic);
    let plain_ok = !s.is_empty()
        && !s.starts_with(|c: char| {
            "-?:,[]{}#&*!|>'\"%@`~ ".contains(c) || (c.is_ascii_digit() && !digit_ok) || c == '+' || c == '.'
        })
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(|c| c.is_control())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain_ok { s.to_string() } else { crate::source::yaml_edit::double_quoted(s) }
}

/// Always double-quoted (codes, phone numbers).
pub fn quoted(s: &str) -> String {
    let q = scalar(s);
    if q.starts_with('"') { q } else { format!("\"{q}\"") }
}

/// `[lat, lon]` with five decimals (about one metre).
pub fn coordinates(c: [f64; 2]) -> String {
    format!("[{:.5}, {:.5}]", c[0], c[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: &[&str] = &["civilite", "prenom", "nom", "profession", "rpps", "lieux", "presentation", "publie"];
    const LIEU: &[&str] = &["nom", "adresse", "code_postal", "commune", "telephone", "horaires"];

    const FILE: &str = "# En-tête gardé\ncivilite: Mme\nprenom: Claire\nnom: Martin # nom d’usage\nlieux:\n  - adresse: 1 rue A\n    code_postal: \"83340\"\n    commune: \"83073\"\n    horaires: Lundi\n\n  # second cabinet\n  - adresse: 2 rue B\n    code_postal: \"83550\"\n    commune: \"83148\"\npresentation: >-\n  Deux lignes\n  de texte.\npublie: true\n";

    #[test]
    fn replaces_a_value_and_keeps_its_comment() {
        let mut t = MemberText::parse(FILE);
        t.set_top("nom", "Martin-Durand", ORDER);
        assert_eq!(t.text(), FILE.replace("nom: Martin # nom", "nom: Martin-Durand # nom"));
    }

    #[test]
    fn inserts_a_missing_key_after_its_predecessor() {
        let mut t = MemberText::parse(FILE);
        t.set_top("rpps", "\"10000000009\"", ORDER);
        t.set_top("profession", "infirmier", ORDER);
        assert_eq!(
            t.text(),
            FILE.replace(
                "Martin # nom d’usage\n",
                "Martin # nom d’usage\nprofession: infirmier\nrpps: \"10000000009\"\n"
            )
        );
    }

    #[test]
    fn edits_places_and_appends_one() {
        let mut t = MemberText::parse(FILE);
        assert_eq!(t.place_count(), Ok(2));
        t.set_place(0, "telephone", "\"04 94 00 00 01\"", LIEU).unwrap();
        t.set_place(1, "nom", "Cabinet B", LIEU).unwrap();
        t.set_place(0, "adresse", "1 rue A bis", LIEU).unwrap();
        t.append_place(&[("adresse", "3 rue C".into()), ("commune", "\"83073\"".into())]).unwrap();
        let expected = FILE
            .replace(
                "    commune: \"83073\"\n    horaires",
                "    commune: \"83073\"\n    telephone: \"04 94 00 00 01\"\n    horaires",
            )
            .replace("- adresse: 1 rue A\n", "- adresse: 1 rue A bis\n")
            .replace("  - adresse: 2 rue B\n", "  - nom: Cabinet B\n    adresse: 2 rue B\n")
            .replace(
                "    commune: \"83148\"\n",
                "    commune: \"83148\"\n  - adresse: 3 rue C\n    commune: \"83073\"\n",
            );
        assert_eq!(t.text(), expected);
    }

    #[test]
    fn block_values_are_replaced_whole() {
        let mut t = MemberText::parse(FILE);
        t.set_top("presentation", "Court.", ORDER);
        assert_eq!(t.text(), FILE.replace(">-\n  Deux lignes\n  de texte.\n", "Court.\n"));
    }

    #[test]
    fn unusual_shapes_are_refused() {
        assert!(MemberText::parse("lieux: [{adresse: a}]\n").place_count().is_err());
    }

    #[test]
    fn scalars_read_back_as_written() {
        assert_eq!(scalar("Le Luc"), "Le Luc");
        assert_eq!(scalar("83340"), "\"83340\"");
        assert_eq!(scalar("18 avenue de la Gare"), "18 avenue de la Gare");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("Dr: \"x\""), "\"Dr: \\\"x\\\"\"");
        assert_eq!(scalar("- tiret"), "\"- tiret\"");
        assert_eq!(quoted("Le Luc"), "\"Le Luc\"");
        assert_eq!(coordinates([43.4, 6.0]), "[43.40000, 6.00000]");
    }
}
