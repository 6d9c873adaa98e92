//! Decoding helpers: UTF-8 with a precise position, front-matter splitting, and YAML into typed
//! records with French diagnostics that keep the file, line and column.

use crate::diagnostic::{Diagnostic, is_forbidden_control};
use crate::limits::{megabytes, whole_megabytes};
use serde::de::DeserializeOwned;
use serde_saphyr::Error as YamlError;
use std::borrow::Cow;

pub(super) use crate::limits::MAX_TEXT_BYTES;

/// The error of a content text file bigger than [`MAX_TEXT_BYTES`] (`size` in bytes).
pub(super) fn too_big(rel: &str, size: u64) -> Diagnostic {
    Diagnostic::error(
        "M100",
        rel,
        0,
        0,
        format!(
            "fichier trop gros : {} Mo, alors qu’un fichier de contenu ne dépasse pas {} Mo",
            megabytes(size),
            whole_megabytes(MAX_TEXT_BYTES)
        ),
    )
    .with_hint(
        "un fichier de contenu ne contient que du texte : vérifiez qu’il n’a pas été rempli ou remplacé par erreur ; les images et documents vont dans content/static/ ou content/documents/",
    )
}

/// Checks that a file is not too big for a content file, is UTF-8 (a leading BOM is dropped) and
/// holds no control character (see [`is_forbidden_control`]); reports the first bad byte or
/// character with its line and column. A lone carriage return (an old Mac line end) becomes a
/// line feed, as YAML, Markdown and editors all read it: every line number given from then on is
/// the one the coordinator's editor shows.
pub fn utf8_text<'a>(rel: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, Diagnostic> {
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(too_big(rel, bytes.len() as u64));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        Diagnostic::error(
            "M010",
            rel,
            line,
            column,
            format!("le fichier n’est pas en UTF-8 (octet invalide à la position {})", e.valid_up_to()),
        )
        .with_hint("enregistrez le fichier en UTF-8 depuis votre éditeur (« Enregistrer sous… », encodage UTF-8)")
    })?;
    match text.char_indices().find(|(_, c)| is_forbidden_control(*c)) {
        None => Ok(unify_line_breaks(text)),
        Some((at, c)) => {
            let (line, column) = line_column(bytes, at);
            Err(control_character(rel, line, column, c))
        }
    }
}

/// Line and column (1-based, the column in characters) of byte `at` of `bytes`, valid UTF-8 up
/// to `at`.
fn line_column(bytes: &[u8], at: usize) -> (u32, u32) {
    let good = &bytes[..at];
    // A line ends at a line feed, or at a carriage return that no line feed follows.
    let ends_line = |i: usize| bytes[i] == b'\n' || is_lone_cr(bytes, i);
    let line = (0..at).filter(|&i| ends_line(i)).count() as u32 + 1;
    let line_start = (0..at).rev().find(|&i| ends_line(i)).map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&good[line_start..]).chars().count() as u32 + 1;
    (line, column)
}

/// Whether byte `i` of `bytes` is a carriage return no line feed follows: an old Mac line end.
fn is_lone_cr(bytes: &[u8], i: usize) -> bool {
    bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')
}

/// `text` with each lone carriage return turned into a line feed (a carriage return followed by
/// a line feed stays): the same lines, now counted the same way by every reader.
fn unify_line_breaks(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| is_lone_cr(bytes, i);
    if !(0..bytes.len()).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        out.push(if lone(i) { '\n' } else { c });
    }
    Cow::Owned(out)
}

/// The error of a control character in a content file, written as it is or as a YAML escape.
fn control_character(rel: &str, line: u32, column: u32, c: char) -> Diagnostic {
    Diagnostic::error("M017", rel, line, column, format!("caractère de contrôle invisible (U+{:04X}) dans le texte", c as u32))
        .with_hint(
            "supprimez-le : ces caractères ne s’affichent pas, rendent les pages et les flux invalides et peuvent piéger un terminal ; il vient souvent d’un copier-coller",
        )
}

/// The first string of `yaml` (key or value) holding a control character once decoded, with its
/// place: YAML's escapes (`"\e"`, `"\x1b"`, `"\u0007"`) write them without the character itself
/// being in the file. Only text holding a backslash can have one; it is then read a second time,
/// by serde-saphyr, into a walk of its values.
fn escaped_control(yaml: &str) -> Option<(char, u32, u32)> {
    if !yaml.contains('\\') {
        return None;
    }
    serde_saphyr::from_str::<ControlScan>(yaml).ok().and_then(|scan| scan.0)
}

/// What [`escaped_control`] finds in a value and everything under it: the first forbidden control
/// character and where (0, 0 until the enclosing collection names the place).
struct ControlScan(Option<(char, u32, u32)>);

impl<'de> serde::Deserialize<'de> for ControlScan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ControlVisitor)
    }
}

/// Walks any YAML value for [`ControlScan`].
struct ControlVisitor;

/// The scan of one spanned item: its own place unless something deeper has one.
fn placed(item: serde_saphyr::Spanned<ControlScan>) -> Option<(char, u32, u32)> {
    let (line, column) = (item.referenced.line() as u32, item.referenced.column() as u32);
    item.value.0.map(|(c, l, col)| if l == 0 { (c, line, column) } else { (c, l, col) })
}

impl<'de> serde::de::Visitor<'de> for ControlVisitor {
    type Value = ControlScan;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_str<E>(self, v: &str) -> Result<ControlScan, E> {
        Ok(ControlScan(v.chars().find(|c| is_forbidden_control(*c)).map(|c| (c, 0, 0))))
    }

    fn visit_bool<E>(self, _: bool) -> Result<ControlScan, E> {
        Ok(ControlScan(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<ControlScan, E> {
        Ok(ControlScan(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<ControlScan, E> {
        Ok(ControlScan(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<ControlScan, E> {
        Ok(ControlScan(None))
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<ControlScan, E> {
        Ok(ControlScan(None))
    }

    fn visit_unit<E>(self) -> Result<ControlScan, E> {
        Ok(ControlScan(None))
    }

    fn visit_none<E>(self) -> Result<ControlScan, E> {
        Ok(ControlScan(None))
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<ControlScan, D::Error> {
        d.deserialize_any(ControlVisitor)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<ControlScan, A::Error> {
        let mut found = None;
        while let Some(item) = seq.next_element::<serde_saphyr::Spanned<ControlScan>>()? {
            found = found.or_else(|| placed(item));
        }
        Ok(ControlScan(found))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ControlScan, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<ControlScan>>()? {
            let value = map.next_value::<serde_saphyr::Spanned<ControlScan>>()?;
            found = found.or_else(|| placed(key)).or_else(|| placed(value));
        }
        Ok(ControlScan(found))
    }
}

/// A Markdown file split into its YAML front matter and its body.
#[derive(Debug, Clone, Copy)]
pub struct FrontMatter<'a> {
    /// The YAML between the two `---` lines.
    pub yaml: &'a str,
    /// Line number of the first YAML line in the file (1-based).
    pub yaml_line: u32,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
}

impl FrontMatter<'_> {
    /// The YAML preceded by empty lines in place of the opening `---`, so that every position
    /// the YAML decoder reports is a position in the Markdown file itself.
    pub fn padded_yaml(&self) -> String {
        let mut s = "\n".repeat(self.yaml_line.saturating_sub(1) as usize);
        s.push_str(self.yaml);
        s
    }
}

/// Splits `---\n<yaml>\n---\n<markdown>`.
pub fn split_front_matter<'a>(rel: &str, text: &'a str) -> Result<FrontMatter<'a>, Diagnostic> {
    let missing = || {
        Diagnostic::error("M011", rel, 1, 1, "l’en-tête YAML est absent")
            .with_hint("le fichier doit commencer par une ligne « --- », les champs (titre: …), puis une ligne « --- » avant le texte")
    };
    let Some(after_open) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return Err(missing());
    };
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return Ok(FrontMatter { yaml, yaml_line: 2, body });
        }
        offset += line.len();
    }
    let lines = text.lines().count() as u32;
    Err(Diagnostic::error("M011", rel, lines.max(1), 1, "l’en-tête YAML n’est pas refermé")
        .with_hint("ajoutez une ligne « --- » seule après le dernier champ de l’en-tête"))
}

/// Decodes YAML into a record. Positions, in errors and in spanned values alike, are those of
/// `yaml`: callers pass text whose lines match the file (see [`FrontMatter::padded_yaml`]).
/// Plain YAML is read by [`super::quick_yaml`]; anything else, and every error, by serde-saphyr.
/// A string holding a control character, even written as an escape, is refused (M017).
pub fn decode_yaml<T: DeserializeOwned>(rel: &str, yaml: &str) -> Result<T, Diagnostic> {
    let record = match super::quick_yaml::decode(yaml) {
        Some(record) => record,
        None => serde_saphyr::from_str::<T>(yaml).map_err(|err| yaml_diagnostic(rel, yaml, &err))?,
    };
    match escaped_control(yaml) {
        Some((c, line, column)) => Err(control_character(rel, line, column, c)),
        None => Ok(record),
    }
}

/// Turns a YAML or typing error into a French diagnostic. `yaml` is the text decoded, to read
/// back the line at fault.
fn yaml_diagnostic(rel: &str, yaml: &str, err: &YamlError) -> Diagnostic {
    let (line, column) = err.location().map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
    let error = |code, msg: String| Diagnostic::error(code, rel, line, column, msg);
    let too_much = || {
        error("M016", "fichier YAML trop gros ou trop imbriqué (alias ou profondeur excessifs)".to_string()).with_hint(
            "un fichier de contenu n’a pas besoin d’ancres (&) ni d’alias (*) : écrivez les valeurs en clair",
        )
    };
    if is_limit(&other_message(err)) {
        return too_much();
    }
    match innermost(err) {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            let d = error("M013", format!("clé inconnue « {field} »"));
            match closest(field, expected) {
                Some(best) => d.with_hint(format!("vouliez-vous dire « {best} » ?")),
                None => d.with_hint(format!("clés possibles ici : {}", expected.join(", "))),
            }
        }
        YamlError::SerdeMissingField { field, .. } => {
            // serde-saphyr points at the block's last key; the block's first line, under the key
            // that owns it, is where a coordinator looks.
            let (line, column, owner) = block_start(yaml, line, column).unwrap_or((line, column, None));
            let place = owner.map_or_else(String::new, |o| format!(" dans le bloc « {o} »"));
            Diagnostic::error("M014", rel, line, column, format!("la clé obligatoire « {field} » manque"))
                .with_hint(format!("ajoutez « {field}: … »{place} ; « maillage aide » décrit chaque clé"))
        }
        YamlError::SerdeInvalidType { unexpected, expected, .. } => error(
            "M015",
            format!("valeur de mauvais type : {} trouvé, {} attendu", french_kind(unexpected), french_kind(expected)),
        )
        .with_hint("vérifiez la valeur et son indentation ; « maillage aide » donne un exemple de chaque clé"),
        YamlError::SerdeInvalidValue { unexpected, expected, .. } => {
            error("M015", format!("valeur invalide : {}, {} attendu", french_value(unexpected), french_kind(expected)))
                .with_hint(value_hint(expected))
        }
        YamlError::SerdeUnknownVariant { variant, expected, .. } => {
            let d = error("M015", format!("valeur inconnue « {variant} »"));
            match closest(variant, expected) {
                Some(best) => d.with_hint(format!("vouliez-vous dire « {best} » ?")),
                None => d.with_hint(format!("valeurs possibles : {}", expected.join(", "))),
            }
        }
        YamlError::InvalidBooleanStrict { .. } => error("M015", "valeur invalide : oui ou non attendu".to_string())
            .with_hint("écrivez true (oui) ou false (non)"),
        YamlError::NullIntoString { .. } => error("M015", "valeur vide : un texte est attendu".to_string())
            .with_hint("écrivez le texte après les deux-points, ou retirez la clé si elle est facultative"),
        YamlError::InvalidScalar { .. } | YamlError::Message { .. } => {
            let msg = other_message(err);
            if msg.contains("invalid bool") {
                return error("M015", "valeur invalide : oui ou non attendu".to_string())
                    .with_hint("écrivez true (oui) ou false (non)");
            }
            if ["invalid u", "invalid i"].iter().any(|w| msg.contains(w)) {
                return error("M015", "valeur invalide : un nombre entier est attendu".to_string())
                    .with_hint("écrivez un nombre entier, sans espace ni unité (par exemple 12000)");
            }
            let what = if ["hour", "minute"].iter().any(|w| msg.contains(w)) {
                "heure invalide".to_string()
            } else if ["month", "year", "day", "date"].iter().any(|w| msg.contains(w)) {
                "date invalide".to_string()
            } else {
                "valeur invalide".to_string()
            };
            error("M015", what).with_hint(value_hint(&msg))
        }
        YamlError::DuplicateMappingKey { .. } => error("M012", "clé présente deux fois".to_string())
            .with_hint("gardez une seule fois chaque clé dans le même bloc"),
        YamlError::Budget { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => too_much(),
        _ => {
            let msg = other_message(err);
            if let Some(expected) = expected_shape(&msg) {
                return error("M015", format!("valeur de mauvais type : il faut ici {expected}")).with_hint(
                    "vérifiez la valeur et son indentation ; « maillage aide » donne un exemple de chaque clé",
                );
            }
            let tab = if msg.contains("tab") { first_indenting_tab(yaml, line) } else { None };
            let (line, column) = tab.unwrap_or((line, column));
            let d = Diagnostic::error(
                "M012",
                rel,
                line,
                column,
                format!("syntaxe YAML invalide : {}", french_syntax(&msg)),
            );
            match quoted_fix(yaml, line).filter(|_| msg.contains("mapping values are not allowed")) {
                Some(fixed) => d.with_hint(format!(
                    "le texte contient « : » : mettez-le entre guillemets, ainsi : {fixed}"
                )),
                None => d.with_hint(
                    "vérifiez l’indentation (des espaces, jamais de tabulations), les deux-points après chaque clé, et mettez entre guillemets les textes qui contiennent « : » ou « # »",
                ),
            }
        }
    }
}

/// The first tab used for indentation at or after line `from`: the decoder often reports the
/// end of the value before it.
fn first_indenting_tab(yaml: &str, from: u32) -> Option<(u32, u32)> {
    yaml.lines().enumerate().skip((from as usize).saturating_sub(1)).find_map(|(i, l)| {
        let indent = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
        indent.find('\t').map(|c| (i as u32 + 1, c as u32 + 1))
    })
}

/// The 1-based line `line` of `text`.
fn nth_line(text: &str, line: u32) -> Option<&str> {
    text.lines().nth((line as usize).checked_sub(1)?)
}

/// For a line `key: text : more` whose value holds « : », the same line with the value quoted
/// (double quotes, or single quotes when the text holds a double quote).
fn quoted_fix(yaml: &str, line: u32) -> Option<String> {
    let text = nth_line(yaml, line)?;
    let indent = text.len() - text.trim_start_matches([' ', '-']).len();
    let (key, value) = text[indent..].split_once(": ")?;
    let value = value.trim();
    let plain_key = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !plain_key || !value.contains(':') || value.starts_with(['"', '\'', '[', '{', '&', '*', '|', '>']) {
        return None;
    }
    let quoted = if value.contains('"') { format!("'{}'", value.replace('\'', "''")) } else { format!("\"{value}\"") };
    Some(format!("{}{key}: {quoted}", &text[..indent]))
}

/// Where the block mapping holding the key at (`line`, `column`) starts: its first key, and the
/// key that owns the block (`lieux` for a place's keys), if any. `None` when the position does
/// not point at a key of a block mapping (flow mappings `{…}` keep the decoder's position).
fn block_start(yaml: &str, line: u32, column: u32) -> Option<(u32, u32, Option<String>)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let col = column as usize;
    let at = lines.get((line as usize).checked_sub(1)?)?;
    // The reported line must hold a key starting at `column`.
    let indent_of = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len() + 1;
    if col == 0 || indent_of(at) != col || at.trim_start_matches([' ', '-']).starts_with(['{', '[', '#']) {
        return None;
    }
    let spaces_of = |l: &str| l.len() - l.trim_start_matches(' ').len() + 1;
    let mut first = line as usize;
    // A `- key:` line opens its block itself.
    let opens = at.trim_start().starts_with('-');
    for i in (1..if opens { 1 } else { line as usize }).rev() {
        let l = lines[i - 1];
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || spaces_of(l) > col {
            continue;
        }
        if spaces_of(l) == col {
            first = i;
            continue;
        }
        // Less indented: either `- key:` opening this very block, or the owning key.
        if trimmed.starts_with('-') && indent_of(l) == col {
            first = i;
        }
        break;
    }
    // The owner: the nearest line above the block that is less indented and names a key.
    let block_indent = spaces_of(lines[first - 1]);
    let owner = lines[..first - 1].iter().rev().find_map(|l| {
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || spaces_of(l) >= block_indent {
            return None;
        }
        Some(trimmed.trim_start_matches([' ', '-']).split_once(':').map(|(k, _)| k.trim().to_string()))
    });
    Some((first as u32, column, owner.flatten().filter(|k| !k.is_empty())))
}

/// Whether a decoder message is about one of the limits that protect against hostile files
/// (size budget, nesting depth, alias expansion).
fn is_limit(msg: &str) -> bool {
    ["budget breached", "recursion limit", "depth limit", "alias expansion", "too many"].iter().any(|w| msg.contains(w))
}

/// The first line of an error's own message, without its position suffix.
fn other_message(err: &YamlError) -> String {
    let msg = innermost(err).to_string();
    let first = msg.lines().next().unwrap_or("").to_string();
    match first.find(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first,
    }
}

/// Unwraps the snippet wrapper serde-saphyr puts around errors.
fn innermost(err: &YamlError) -> &YamlError {
    match err {
        YamlError::WithSnippet { error, .. } => innermost(error),
        other => other,
    }
}

/// Translates serde's names of kinds of values (`string "x"`, `a sequence`, `u32`, `struct Lieu`):
/// never lets the English through, the worst case is a vaguer French word.
fn french_kind(s: &str) -> String {
    let s = s.trim();
    let bare = s.strip_prefix("a ").or_else(|| s.strip_prefix("an ")).unwrap_or(s);
    let starts = |w: &str| bare.starts_with(w);
    let t = if bare.contains("Date") || bare.contains("date") {
        "une date AAAA-MM-JJ"
    } else if bare.contains("Time") || bare.contains("time") {
        "une heure HH:MM"
    } else if bare.contains("array of length 2") {
        "une paire [latitude, longitude]"
    } else if starts("string") || starts("borrowed str") || starts("char") {
        "un texte"
    } else if starts("bool") {
        "oui/non (true ou false)"
    } else if starts("sequence") || starts("array") || starts("tuple") {
        "une liste"
    } else if starts("map") || starts("mapping") || starts("struct") {
        "un bloc de clés"
    } else if ["integer", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"].iter().any(|w| starts(w)) {
        "un nombre entier"
    } else if starts("f32") || starts("f64") || starts("float") {
        "un nombre"
    } else if starts("unit") || starts("null") || starts("Option") {
        "une valeur vide"
    } else if starts("variant") || starts("enum") || starts("unit variant") {
        "une des valeurs possibles"
    } else {
        "une autre valeur"
    };
    t.to_string()
}

/// A value as serde shows it (`string "x"`, `integer `5``), in French: the value itself when
/// serde quotes it, else its kind.
fn french_value(s: &str) -> String {
    let quoted = s.split_once(['"', '`']).and_then(|(_, rest)| rest.rsplit_once(['"', '`'])).map(|(v, _)| v);
    match quoted {
        Some(v) => format!("« {v} »"),
        None => french_kind(s),
    }
}

/// Recognises serde-saphyr's messages about a value of the wrong shape.
fn expected_shape(msg: &str) -> Option<&'static str> {
    if msg.starts_with("expected string scalar") {
        Some("un texte")
    } else if msg.starts_with("expected sequence start") {
        Some("une liste")
    } else if msg.starts_with("expected mapping start") {
        Some("un bloc de clés")
    } else if msg.contains("expected an array of length 2") {
        Some("une paire [latitude, longitude]")
    } else {
        None
    }
}

/// Translates the most frequent YAML syntax messages.
fn french_syntax(msg: &str) -> String {
    let t = if msg.contains("unclosed quote") {
        "guillemet non refermé"
    } else if msg.contains("mapping values are not allowed") {
        "deux-points inattendu (indentation, ou texte contenant « : » à mettre entre guillemets)"
    } else if msg.contains("unknown anchor") {
        "alias vers une ancre inconnue"
    } else if msg.contains("tab") {
        "tabulation interdite : indentez avec des espaces"
    } else {
        // The parser's own words are English: the position and the hint say what to look at.
        "la structure n’est pas comprise à cet endroit"
    };
    t.to_string()
}

fn value_hint(expected: &str) -> String {
    let date_words = ["Date", "date", "month", "year", "day"];
    let time_words = ["Time", "time", "hour", "minute"];
    if time_words.iter().any(|w| expected.contains(w)) {
        "écrivez l’heure sous la forme \"09:30\" (entre guillemets)".to_string()
    } else if date_words.iter().any(|w| expected.contains(w)) {
        "écrivez la date sous la forme 2026-10-14 (année-mois-jour)".to_string()
    } else {
        "« maillage aide » donne un exemple de chaque clé".to_string()
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be a likely typo.
pub fn closest<'a, S: AsRef<str>>(word: &str, candidates: &'a [S]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (levenshtein(word, c.as_ref()), c.as_ref()))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance between two strings, in characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_lone_carriage_return_ends_a_line_for_every_reader() {
        // Found by fuzzing: YAML counted an old Mac line end as a line break, Maillage's own
        // places did not, so a diagnostic could name line 53 of a file of 12 lines.
        let text = utf8_text("x.yaml", b"nom: a\rprenom: b\r\nville: c\n").unwrap();
        assert_eq!(text, "nom: a\nprenom: b\r\nville: c\n");
        let d = utf8_text("x.yaml", b"a: 1\rb: 2\rc: \x1b\n").unwrap_err();
        assert_eq!((d.line, d.column), (3, 4));
        assert!(matches!(utf8_text("x.yaml", b"a: 1\r\n").unwrap(), Cow::Borrowed(_)));
    }
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        titre: String,
        publie: bool,
    }

    #[test]
    fn unknown_key_suggests_the_closest_one() {
        let d = decode_yaml::<Doc>("x.yaml", "titre: a\npubli: true\n").unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("M013", 2, 1));
        assert_eq!(d.hint.as_deref(), Some("vouliez-vous dire « publie » ?"));
    }

    #[test]
    fn positions_are_shifted_for_front_matter() {
        let fm = split_front_matter("x.md", "---\ntitre: a\npublie: peut-être\n---\n").unwrap();
        let d = decode_yaml::<Doc>("x.md", &fm.padded_yaml()).unwrap_err();
        assert_eq!((d.code, d.line), ("M015", 3));
    }

    #[test]
    fn missing_key_is_named() {
        let d = decode_yaml::<Doc>("x.yaml", "titre: a\n").unwrap_err();
        assert_eq!(d.message, "la clé obligatoire « publie » manque");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Place {
        adresse: String,
        commune: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Nested {
        titre: String,
        #[serde(default)]
        lieux: Vec<Place>,
        #[serde(default)]
        contact: Option<Place>,
    }

    #[test]
    fn missing_key_is_reported_at_the_first_line_of_its_block() {
        // Top level: the block starts at the first key; no owner.
        let d = decode_yaml::<Doc>(
            "x.yaml",
            "# Fiche
titre: a

# fin
",
        )
        .unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("M014", 2, 1), "{d:?}");
        assert_eq!(d.hint.as_deref(), Some("ajoutez « publie: … » ; « maillage aide » décrit chaque clé"));
        // Second item of a list: its `- ` line, not the first item's, and the owning key.
        let yaml = "titre: a
lieux:
  - adresse: 1 rue
    commune: x
  - adresse: 2 rue
    # note

";
        let d = decode_yaml::<Nested>("x.yaml", yaml).unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("M014", 5, 5), "{d:?}");
        assert_eq!(d.message, "la clé obligatoire « commune » manque");
        assert_eq!(
            d.hint.as_deref(),
            Some("ajoutez « commune: … » dans le bloc « lieux » ; « maillage aide » décrit chaque clé")
        );
        // A nested block.
        let yaml = "titre: a
contact:
  commune: x
  # pas d'adresse
";
        let d = decode_yaml::<Nested>("x.yaml", yaml).unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("M014", 3, 3), "{d:?}");
        assert!(d.hint.as_deref().unwrap_or("").contains("dans le bloc « contact »"), "{d:?}");
    }

    #[test]
    fn unknown_nested_key_suggests_the_closest_one() {
        let yaml = "titre: a
lieux:
  - adresse: 1 rue
    comune: x
";
        let d = decode_yaml::<Nested>("x.yaml", yaml).unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("M013", 4, 5));
        assert_eq!(d.hint.as_deref(), Some("vouliez-vous dire « commune » ?"));
    }

    #[test]
    fn colon_in_a_text_shows_the_quoted_line() {
        let fm = split_front_matter(
            "x.md",
            "---
titre: Assemblée générale : bilan
publie: true
---
",
        )
        .unwrap();
        let d = decode_yaml::<Doc>("x.md", &fm.padded_yaml()).unwrap_err();
        assert_eq!((d.code, d.line), ("M012", 2));
        assert_eq!(
            d.hint.as_deref(),
            Some("le texte contient « : » : mettez-le entre guillemets, ainsi : titre: \"Assemblée générale : bilan\"")
        );
        let d = decode_yaml::<Nested>(
            "x.yaml",
            "titre: a
lieux:
  - adresse: Bât. \"A\" : rez
",
        )
        .unwrap_err();
        assert_eq!(
            d.hint.as_deref(),
            Some("le texte contient « : » : mettez-le entre guillemets, ainsi :   - adresse: 'Bât. \"A\" : rez'")
        );
    }

    #[test]
    fn too_big_files_are_refused_before_decoding() {
        let big = vec![b'a'; MAX_TEXT_BYTES as usize + 1];
        let d = utf8_text("content/pages/x.md", &big).unwrap_err();
        assert_eq!((d.code, d.line), ("M100", 0));
        assert_eq!(d.message, "fichier trop gros : 10,0 Mo, alors qu’un fichier de contenu ne dépasse pas 10 Mo");
        assert!(utf8_text("x.md", &big[..MAX_TEXT_BYTES as usize]).is_ok());
    }

    #[test]
    fn control_characters_are_refused_where_they_are() {
        let d = utf8_text("x.yaml", "titre: a\nnom: Du\u{1b}[2Jpont\n".as_bytes()).unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("M017", 2, 8));
        assert_eq!(d.message, "caractère de contrôle invisible (U+001B) dans le texte");
        let d = utf8_text("x.md", "a\u{85}".as_bytes()).unwrap_err();
        assert_eq!((d.code, d.line, d.column), ("M017", 1, 2));
        assert!(utf8_text("x.md", "tab\tet\r\nfin\n".as_bytes()).is_ok());
        // Written as YAML escapes, in a value or a key, at any depth.
        for (yaml, line, column) in [
            ("titre: \"\\e[31mrouge\"\npublie: true\n", 1, 8),
            ("titre: a\npublie: true\nliste:\n  - ok\n  - \"\\x07\"\n", 5, 5),
            ("titre: a\npublie: true\n\"\\u0085\": 1\n", 3, 1),
        ] {
            let d = decode_yaml::<serde::de::IgnoredAny>("x.yaml", yaml).unwrap_err();
            assert_eq!((d.code, d.line, d.column), ("M017", line, column), "{yaml}");
        }
        // A backslash that is not an escape of a control character is fine.
        assert!(decode_yaml::<Doc>("x.yaml", "titre: 'C:\\ecole \\e'\npublie: true\n").is_ok());
        assert!(decode_yaml::<Doc>("x.yaml", "titre: \"\\t \\u00e9\"\npublie: true\n").is_ok());
    }

    #[test]
    fn invalid_utf8_gives_line_and_byte() {
        let d = utf8_text("x.yaml", b"a: 1\nb: \xff\n").unwrap_err();
        assert_eq!((d.line, d.column), (2, 4));
        assert!(d.message.contains("position 8"));
    }

    #[test]
    fn front_matter_split() {
        let fm = split_front_matter("a.md", "---\ntitre: x\n---\n# Corps\n").unwrap();
        assert_eq!(fm.yaml, "titre: x\n");
        assert_eq!(fm.body, "# Corps\n");
        assert!(split_front_matter("a.md", "titre: x\n").is_err());
        assert!(split_front_matter("a.md", "---\ntitre: x\n").is_err());
    }

    #[test]
    fn levenshtein_basics() {
        assert_eq!(levenshtein("publi", "publie"), 1);
        assert_eq!(closest("zzzzzz", &["publie", "titre"]), None);
    }
}
