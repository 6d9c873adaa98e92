//! Forms generated from a kind's JSON Schema, and the posted fields read back into a record's
//! value through the same schema. Nothing here knows the fields of a member or an action: titles,
//! descriptions, which values are required, closed lists and their labels, dates, Markdown texts
//! all come from the schema. Widgets: a text box (date, time, e-mail, web address, phone when the
//! key says so), a list to choose from, a check box for a yes/no with a default, three choices
//! (oui / non / non renseigné) for a fact that may be unknown, a group for a nested block, a
//! repeatable group for a list, a text area for Markdown (with a preview) and, for shapes a form
//! cannot show, the value as YAML in a text area.
//!
//! Field names are the value's path with dots (`lieux.0.telephone`); the same path names the
//! field's container (`c-…`), its control (`f-…`), its help (`a-…`) and its messages (`e-…`).

use crate::render::escape::escape_html as esc;
use crate::source::yaml_edit::{self, Step, dotted};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// The fields of a posted form, by name, in order.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    values: HashMap<String, Vec<String>>,
}

impl Fields {
    /// Reads an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> Fields {
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in form_urlencoded::parse(body) {
            values.entry(k.into_owned()).or_default().push(v.into_owned());
        }
        Fields { values }
    }

    /// The first value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    /// The indices of list `path`'s items present in the form (`path.3`, `path.3.x`), sorted.
    fn indices(&self, path: &str) -> Vec<usize> {
        let prefix = format!("{path}.");
        let mut out: Vec<usize> = self
            .values
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter_map(|rest| rest.split('.').next()?.parse().ok())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// What a schema node asks for, as a form shows it.
#[derive(Debug, Clone)]
enum Widget<'a> {
    Object {
        props: Vec<(&'a str, &'a Value)>,
        required: Vec<&'a str>,
    },
    List {
        items: &'a Value,
    },
    /// A list of exactly `len` scalars (`[latitude, longitude]`): one box each.
    Tuple {
        items: &'a Value,
        len: usize,
    },
    Text {
        format: Option<&'a str>,
        time: bool,
        choices: Option<Vec<(String, String)>>,
        markdown: bool,
    },
    Integer,
    Number,
    Bool,
    TriState,
    Raw,
}

/// A schema node with what its property says about it.
#[derive(Debug, Clone)]
struct Field<'a> {
    widget: Widget<'a>,
    /// Names another record (a commune, a member…): the list says it all.
    reference: bool,
    nullable: bool,
    title: Option<&'a str>,
    description: Option<&'a str>,
    default: Option<&'a Value>,
}

/// A kind's schema, read as forms need it.
#[derive(Debug, Clone, Copy)]
pub struct Schema<'a> {
    root: &'a Value,
}

fn str_of<'a>(s: &'a Value, key: &str) -> Option<&'a str> {
    s.get(key).and_then(Value::as_str).filter(|t| !t.trim().is_empty())
}

impl<'a> Schema<'a> {
    /// A schema as `crate::schema::for_kind` gives it (draft 2020-12, `$defs`).
    pub fn new(root: &'a Value) -> Schema<'a> {
        Schema { root }
    }

    /// Follows `$ref: #/$defs/X` (or `#/definitions/X`).
    fn resolve(&self, mut s: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(r) = s.get("$ref").and_then(Value::as_str) else { return s };
            let target = r
                .strip_prefix("#/")
                .map(|p| p.split('/').try_fold(self.root, |v, seg| v.get(seg.replace("~1", "/").replace("~0", "~"))));
            match target.flatten() {
                Some(t) => s = t,
                None => return s,
            }
        }
        s
    }

    fn field(&self, s: &'a Value) -> Field<'a> {
        let mut f = self.field_inner(s, 0);
        f.title = str_of(s, "title").or(f.title);
        f.description = str_of(s, "description").or(f.description);
        f.default = s.get("default").or(f.default);
        f
    }

    fn field_inner(&self, s: &'a Value, depth: usize) -> Field<'a> {
        let raw = |s: &'a Value| Field {
            widget: Widget::Raw,
            reference: false,
            nullable: false,
            title: str_of(s, "title"),
            description: str_of(s, "description"),
            default: s.get("default"),
        };
        if depth > 8 {
            return raw(s);
        }
        let outer = s;
        let s = self.resolve(s);
        let mut f = Field {
            widget: Widget::Raw,
            reference: s.get("x-maillage-reference").is_some(),
            nullable: false,
            title: str_of(outer, "title").or_else(|| str_of(s, "title")),
            description: str_of(outer, "description").or_else(|| str_of(s, "description")),
            default: outer.get("default").or_else(|| s.get("default")),
        };
        let variants = s.get("anyOf").or_else(|| s.get("oneOf")).and_then(Value::as_array);
        if let Some(variants) = variants {
            let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
            let others: Vec<&Value> = variants.iter().filter(|v| !is_null(v)).collect();
            let nullable = others.len() < variants.len();
            if let [one] = others.as_slice() {
                let inner = self.field_inner(one, depth + 1);
                return Field {
                    reference: inner.reference,
                    nullable: nullable || inner.nullable,
                    title: f.title.or(inner.title),
                    description: f.description.or(inner.description),
                    default: f.default.or(inner.default),
                    widget: match inner.widget {
                        Widget::Bool if nullable => Widget::TriState,
                        w => w,
                    },
                };
            }
            let consts: Option<Vec<(String, String)>> = others
                .iter()
                .map(|v| {
                    let v = self.resolve(v);
                    let c = v.get("const").and_then(Value::as_str)?;
                    let label = str_of(v, "title").or_else(|| str_of(v, "description")).unwrap_or(c);
                    Some((c.to_string(), label.to_string()))
                })
                .collect();
            return match consts {
                Some(choices) => Field {
                    widget: Widget::Text { format: None, time: false, choices: Some(choices), markdown: false },
                    nullable,
                    ..f
                },
                None => Field { nullable, ..raw(outer) },
            };
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ if s.get("properties").is_some() => vec!["object"],
            _ if s.get("enum").is_some() => vec!["string"],
            _ => Vec::new(),
        };
        f.nullable = types.contains(&"null");
        let real: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            f.nullable |= values.iter().any(Value::is_null);
            let labels = s
                .get("enumDescriptions")
                .or_else(|| s.get("x-enumDescriptions"))
                .or_else(|| s.get("enumLabels"))
                .and_then(Value::as_array);
            let choices = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let key = match v {
                        Value::String(k) => k.clone(),
                        Value::Null => return None,
                        other => other.to_string(),
                    };
                    let label = labels.and_then(|l| l.get(i)).and_then(Value::as_str).unwrap_or(&key).to_string();
                    Some((key, label))
                })
                .collect();
            f.widget = Widget::Text { format: None, time: false, choices: Some(choices), markdown: false };
            return f;
        }
        f.widget = match real.as_slice() {
            ["object"] => match s.get("properties").and_then(Value::as_object) {
                Some(props) => Widget::Object {
                    props: props.iter().map(|(k, v)| (k.as_str(), v)).collect(),
                    required: s
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default(),
                },
                None => Widget::Raw,
            },
            ["array"] => match s.get("items") {
                Some(items)
                    if items.is_object()
                        && s.get("minItems").and_then(Value::as_u64).is_some_and(|n| (1..=4).contains(&n))
                        && s.get("minItems") == s.get("maxItems")
                        && matches!(
                            self.field_inner(items, depth + 1).widget,
                            Widget::Integer | Widget::Number | Widget::Text { choices: None, .. }
                        ) =>
                {
                    Widget::Tuple { items, len: s.get("minItems").and_then(Value::as_u64).unwrap_or(2) as usize }
                }
                Some(items) if items.is_object() => {
                    let inner = self.field_inner(items, depth + 1);
                    if matches!(inner.widget, Widget::List { .. } | Widget::Raw) {
                        Widget::Raw
                    } else {
                        Widget::List { items }
                    }
                }
                _ => Widget::Raw,
            },
            ["string"] => {
                let format = str_of(s, "format");
                let pattern = str_of(s, "pattern").unwrap_or("");
                let time = matches!(format, Some("time" | "partial-time")) || pattern.contains("[0-5]");
                let markdown = s.get("x-maillage-markdown").and_then(Value::as_bool).unwrap_or(false);
                Widget::Text { format, time, choices: None, markdown }
            }
            ["integer"] => Widget::Integer,
            ["number"] => Widget::Number,
            ["boolean"] if f.nullable => Widget::TriState,
            ["boolean"] => Widget::Bool,
            _ => Widget::Raw,
        };
        f
    }

    /// The preferred order of keys of the mapping at `path`: its schema's properties.
    pub fn key_order(&self, path: &[Step]) -> Vec<String> {
        let mut node = self.field(self.root);
        for step in path {
            node = match (&node.widget, step) {
                (Widget::Object { props, .. }, Step::Key(k)) => match props.iter().find(|(p, _)| p == k) {
                    Some((_, s)) => self.field(s),
                    None => return Vec::new(),
                },
                (Widget::List { items }, Step::Index(_)) => self.field(items),
                _ => return Vec::new(),
            };
        }
        match node.widget {
            Widget::Object { props, .. } => props.iter().map(|(k, _)| k.to_string()).collect(),
            _ => Vec::new(),
        }
    }
}

/// A message shown at a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// An error (else a warning).
    pub error: bool,
    /// What is wrong.
    pub message: String,
    /// What to do, if known.
    pub hint: Option<String>,
    /// The diagnostic's code (`M013`), whose explanation the guide has.
    pub code: Option<&'static str>,
}

impl Note {
    /// The link to the guide's section on the note's code (with a leading space), or nothing.
    pub fn guide_link(&self) -> String {
        self.code.and_then(|c| crate::guide::code_address(c).map(|a| (c, a))).map_or(String::new(), |(code, a)| {
            format!(" <a class=\"guide\" href=\"{}\">Comprendre ce message ({code})</a>", esc(&a))
        })
    }
}

/// Everything a form is rendered with besides the schema and the value.
#[derive(Debug)]
pub struct Context<'n> {
    /// Messages by field path (dotted).
    pub notes: &'n BTreeMap<String, Vec<Note>>,
    /// Whether upload controls may be shown (a document's file, an image's `src`).
    pub document_file_key: Option<&'n str>,
}

static NO_NOTES: BTreeMap<String, Vec<Note>> = BTreeMap::new();

impl Default for Context<'_> {
    fn default() -> Self {
        Context { notes: &NO_NOTES, document_file_key: None }
    }
}

/// Names of the parts of a fixed-length list: from a description that starts with them
/// (`[latitude, longitude] en degrés…`), else « Valeur 1 », « Valeur 2 »…
fn tuple_names(description: Option<&str>, len: usize) -> Vec<String> {
    let named: Option<Vec<String>> = description
        .and_then(|d| d.strip_prefix('['))
        .and_then(|d| d.split_once(']'))
        .map(|(inside, _)| inside.split(',').map(|n| humanize(n.trim())).collect())
        .filter(|n: &Vec<String>| n.len() == len && n.iter().all(|x| !x.is_empty() && x.len() < 30));
    named.unwrap_or_else(|| (1..=len).map(|i| format!("Valeur {i}")).collect())
}

/// A schema description as help under a form field. Descriptions are written for people who edit
/// the YAML files; in a form, what is about writing YAML goes (quotes, `true`/`false`, the check
/// command), and closed lists are not listed again.
fn form_help(description: &str, widget: &Widget) -> Option<String> {
    let mut sentences: Vec<String> = Vec::new();
    for s in description.split_inclusive(". ") {
        if s.contains("maillage check") || s.contains("--") {
            continue;
        }
        sentences.push(s.to_string());
    }
    let mut text = sentences.concat().trim().to_string();
    // ", entre guillemets" and the example in quotes that follows it.
    while let Some(i) = text.find(" entre guillemets") {
        let start = if text[..i].ends_with(',') { i - 1 } else { i };
        let mut end = i + " entre guillemets".len();
        if text[end..].starts_with(" (\"")
            && let Some(close) = text[end..].find(')')
        {
            end += close + 1;
        }
        text.replace_range(start..end, "");
    }
    // « publie: true » (with ordinary or no-break spaces).
    if let Some(at) = text.find(": true") {
        let open = text[..at].rfind('«');
        let close = text[at..].find('»').map(|c| at + c + '»'.len_utf8());
        if let (Some(open), Some(close)) = (open, close) {
            text.replace_range(open..close, "cette case cochée");
        }
    }
    if let Some(i) = text.find(", false sinon") {
        text.truncate(i);
        text.push('.');
    }
    match widget {
        Widget::Bool => {
            if let Some(rest) = text.strip_prefix("true ") {
                text = format!("Cochez {rest}");
            }
        }
        Widget::TriState => {
            if let Some(rest) = text.strip_prefix("true ") {
                text = format!("Oui {rest} Choisissez « Non renseigné » si vous ne savez pas.");
            }
        }
        Widget::Text { choices: Some(choices), .. } => {
            let listed = choices.iter().filter(|(k, _)| text.contains(k.as_str())).count();
            if listed >= 2 {
                return None;
            }
        }
        _ => {}
    }
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// Turns a key into a label when the schema gives none (`code_postal` → `Code postal`).
fn humanize(key: &str) -> String {
    let words = key.replace(['_', '-'], " ");
    let mut c = words.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A text as the content of a `<textarea>`, escaped: a first line ending is doubled, since HTML
/// drops one right after the opening tag.
pub fn textarea_text(s: &str) -> String {
    if s.starts_with('\n') || s.starts_with("\r\n") { format!("\n{}", esc(s)) } else { esc(s) }
}

/// The text shown in a control for a scalar value.
fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Keys whose texts are long: a text area rather than a line.
fn is_long_text(key: &str, v: Option<&Value>) -> bool {
    matches!(key, "description" | "resume" | "presentation" | "introduction" | "accueil" | "logement" | "pourquoi")
        || v.and_then(Value::as_str).is_some_and(|s| s.contains('\n') || s.chars().count() > 60)
}

/// The HTML type and input mode of a text box.
fn input_type(key: &str, format: Option<&str>, time: bool) -> (&'static str, Option<&'static str>) {
    match format {
        Some("date") => ("date", None),
        Some("email") => ("email", None),
        Some("uri" | "url" | "iri") => ("url", None),
        _ if time => ("time", None),
        _ if matches!(key, "telephone" | "numero" | "fax") => ("tel", Some("tel")),
        _ if key == "courriel" => ("email", None),
        _ if matches!(key, "lien" | "url" | "prise_rdv" | "site_web") => ("url", None),
        _ => ("text", None),
    }
}

/// Renders forms.
struct Renderer<'a, 'n> {
    schema: Schema<'a>,
    ctx: &'n Context<'n>,
    out: String,
    /// Paths of the fields rendered (to place messages about paths deeper than a field).
    paths: HashSet<String>,
}

/// The HTML of a record's fields, for `value` (the fields the schema does not describe are not
/// shown, and kept by [`read`]). Also returns the paths of the fields rendered.
pub fn render(schema: Schema, value: &Value, ctx: &Context) -> (String, HashSet<String>) {
    let mut r = Renderer { schema, ctx, out: String::new(), paths: HashSet::new() };
    let root = schema.field(schema.root);
    if let Widget::Object { props, required } = &root.widget {
        r.object_fields(props, required, "", Some(value), false);
    } else {
        r.raw("", "Contenu", None, Some(value), true);
    }
    (r.out, r.paths)
}

/// The messages of a field, as HTML (what goes inside its `e-…` container).
pub fn notes_inner(notes: &[Note]) -> String {
    let mut out = String::new();
    for n in notes {
        let (class, word) = if n.error { ("erreur", "Erreur") } else { ("alerte", "Attention") };
        let _ = write!(out, "<p class=\"{class}\"><strong>{word}\u{a0}:</strong> {}", esc(&n.message));
        if let Some(h) = &n.hint {
            let _ = write!(out, "<br><span class=\"conseil\">Conseil\u{a0}: {}</span>", esc(h));
        }
        out.push_str(&n.guide_link());
        out.push_str("</p>");
    }
    out
}

impl Renderer<'_, '_> {
    fn notes_html(&mut self, path: &str) -> String {
        let inner = self.ctx.notes.get(path).map(|n| notes_inner(n)).unwrap_or_default();
        format!("<div class=\"messages\" id=\"e-{}\">{inner}</div>", esc(path))
    }

    fn has_error(&self, path: &str) -> bool {
        self.ctx.notes.get(path).is_some_and(|n| n.iter().any(|n| n.error))
    }

    fn label_suffix(required: bool) -> &'static str {
        if required { " <span class=\"obligatoire\">(obligatoire)</span>" } else { "" }
    }

    fn help(&mut self, path: &str, description: Option<&str>) -> (String, String) {
        match description {
            Some(d) => (
                format!("<p class=\"aide\" id=\"a-{}\">{}</p>", esc(path), esc(d)),
                format!("a-{} e-{}", esc(path), esc(path)),
            ),
            None => (String::new(), format!("e-{}", esc(path))),
        }
    }

    /// The fields of a block of keys; in an optional block (`optional`), none is marked
    /// required: they are only when the block is filled.
    fn object_fields(
        &mut self,
        props: &[(&str, &Value)],
        required: &[&str],
        prefix: &str,
        value: Option<&Value>,
        optional: bool,
    ) {
        for (key, s) in props {
            let path = if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") };
            let f = self.schema.field(s);
            let v = value.and_then(|v| v.get(*key));
            let req = required.contains(key) && !f.nullable && f.default.is_none() && !optional;
            self.field(&f, key, &path, v, req);
        }
    }

    fn field(&mut self, f: &Field, key: &str, path: &str, v: Option<&Value>, required: bool) {
        self.paths.insert(path.to_string());
        let help = if f.reference { None } else { f.description.and_then(|d| form_help(d, &f.widget)) };
        let f = &Field { description: help.as_deref(), ..f.clone() };
        let title = f.title.map_or_else(|| humanize(key), str::to_string);
        let p = esc(path);
        match &f.widget {
            Widget::Object { props, required: req } => {
                self.group_start("groupe", path, &title, required, f.description);
                self.object_fields(props, req, path, v, f.nullable);
                self.out.push_str("</fieldset>");
            }
            Widget::List { items } => self.list(f, items, key, path, &title, v, required),
            Widget::Tuple { items, len } => self.tuple(f, items, *len, key, path, &title, v, required),
            Widget::Bool => {
                let checked = match v {
                    Some(Value::Bool(b)) => *b,
                    Some(_) => false,
                    None => f.default.and_then(Value::as_bool).unwrap_or(false),
                };
                let (help, described) = self.help(path, f.description);
                let invalid = if self.has_error(path) { " aria-invalid=\"true\"" } else { "" };
                let _ = write!(
                    self.out,
                    "<div class=\"champ case\" id=\"c-{p}\" data-chemin=\"{p}\"><input type=\"checkbox\" id=\"f-{p}\" name=\"{p}\" value=\"oui\"{}{invalid} aria-describedby=\"{described}\"> <label for=\"f-{p}\">{}</label>{help}",
                    if checked { " checked" } else { "" },
                    esc(&title)
                );
                let notes = self.notes_html(path);
                self.out.push_str(&notes);
                self.out.push_str("</div>");
            }
            Widget::TriState => {
                let current = match v {
                    Some(Value::Bool(true)) => "oui",
                    Some(Value::Bool(false)) => "non",
                    _ => "",
                };
                let (help, described) = self.help(path, f.description);
                let _ = write!(
                    self.out,
                    "<fieldset class=\"champ trois\" id=\"c-{p}\" data-chemin=\"{p}\" aria-describedby=\"{described}\"><legend>{}</legend>{help}<div class=\"choix\">",
                    esc(&title)
                );
                for (value, label) in [("oui", "Oui"), ("non", "Non"), ("", "Non renseigné")] {
                    let id = if value.is_empty() { format!("f-{p}") } else { format!("f-{p}-{value}") };
                    let _ = write!(
                        self.out,
                        "<span class=\"option\"><input type=\"radio\" id=\"{id}\" name=\"{p}\" value=\"{value}\"{}> <label for=\"{id}\">{label}</label></span>",
                        if current == value { " checked" } else { "" }
                    );
                }
                self.out.push_str("</div>");
                let notes = self.notes_html(path);
                self.out.push_str(&notes);
                self.out.push_str("</fieldset>");
            }
            Widget::Raw => self.raw(path, &title, f.description, v, required),
            Widget::Integer | Widget::Number | Widget::Text { .. } => self.text(f, key, path, &title, v, required),
        }
    }

    fn control_start(
        &mut self,
        path: &str,
        title: &str,
        required: bool,
        description: Option<&str>,
        class: &str,
    ) -> String {
        let p = esc(path);
        let (help, described) = self.help(path, description);
        let _ = write!(
            self.out,
            "<div class=\"champ{class}\" id=\"c-{p}\" data-chemin=\"{p}\"><label for=\"f-{p}\">{}{}</label>{help}",
            esc(title),
            Self::label_suffix(required)
        );
        let invalid = if self.has_error(path) { " aria-invalid=\"true\"" } else { "" };
        format!(
            "id=\"f-{p}\" name=\"{p}\" aria-describedby=\"{described}\"{}{invalid}",
            if required { " required" } else { "" }
        )
    }

    fn control_end(&mut self, path: &str) {
        let notes = self.notes_html(path);
        self.out.push_str(&notes);
        self.out.push_str("</div>");
    }

    fn text(&mut self, f: &Field, key: &str, path: &str, title: &str, v: Option<&Value>, required: bool) {
        let current = shown(v);
        match &f.widget {
            Widget::Text { choices: Some(choices), .. } => {
                let attrs = self.control_start(path, title, required, f.description, "");
                let _ = write!(
                    self.out,
                    "<select {attrs}><option value=\"\">{}</option>",
                    if required { "— Choisir —" } else { "— Aucun —" }
                );
                let known = choices.iter().any(|(k, _)| *k == current);
                if !known && !current.is_empty() {
                    let _ = write!(
                        self.out,
                        "<option value=\"{0}\" selected>{0} (valeur inconnue)</option>",
                        esc(&current)
                    );
                }
                for (k, label) in choices {
                    let sel = if *k == current { " selected" } else { "" };
                    let _ = write!(self.out, "<option value=\"{}\"{sel}>{}</option>", esc(k), esc(label));
                }
                self.out.push_str("</select>");
            }
            Widget::Text { markdown, format, time, .. }
                if *markdown || (format.is_none() && !time && is_long_text(key, v)) =>
            {
                let attrs = self.control_start(path, title, required, f.description, " long");
                let rows = (current.lines().count() + 2).clamp(3, 20);
                let _ = write!(self.out, "<textarea {attrs} rows=\"{rows}\">{}</textarea>", textarea_text(&current));
                if *markdown {
                    let p = esc(path);
                    let _ = write!(
                        self.out,
                        "<p class=\"md-aide\">Mise en forme Markdown\u{a0}: **gras**, [lien](https://…), listes avec « - ».</p><button type=\"button\" class=\"secondaire apercu\" data-source=\"f-{p}\" aria-controls=\"p-{p}\" aria-expanded=\"false\" hidden>Afficher l’aperçu</button><div class=\"rendu\" id=\"p-{p}\" role=\"region\" aria-label=\"Aperçu de « {} »\" hidden></div>",
                        esc(title)
                    );
                }
            }
            Widget::Text { format, time, .. } => {
                let (ty, mode) = input_type(key, *format, *time);
                let attrs = self.control_start(path, title, required, f.description, "");
                let mode = mode.map(|m| format!(" inputmode=\"{m}\"")).unwrap_or_default();
                let auto = if ty == "text" || ty == "url" || ty == "email" || ty == "tel" {
                    " autocomplete=\"off\""
                } else {
                    ""
                };
                let _ = write!(self.out, "<input type=\"{ty}\" {attrs}{mode}{auto} value=\"{}\">", esc(&current));
                let upload = (key == "src" && path.contains('.'))
                    .then_some(("images", "image/png,image/jpeg,image/webp,image/gif"))
                    .or_else(|| {
                        (self.ctx.document_file_key == Some(path))
                            .then_some(("documents", "application/pdf,image/png,image/jpeg,image/webp,image/gif"))
                    });
                if let Some((dest, accept)) = upload {
                    let p = esc(path);
                    let _ = write!(
                        self.out,
                        "<div class=\"televersement\" hidden><label for=\"u-{p}\">Ou choisir un fichier sur cet ordinateur</label><input type=\"file\" id=\"u-{p}\" accept=\"{accept}\" data-televersement=\"{dest}\" data-cible=\"f-{p}\"><p class=\"etat-envoi\" id=\"s-{p}\" role=\"status\"></p></div>"
                    );
                }
            }
            Widget::Integer | Widget::Number => {
                let attrs = self.control_start(path, title, required, f.description, " court");
                let mode = if matches!(f.widget, Widget::Integer) { "numeric" } else { "decimal" };
                let _ =
                    write!(self.out, "<input type=\"text\" {attrs} inputmode=\"{mode}\" value=\"{}\">", esc(&current));
            }
            _ => {}
        }
        self.control_end(path);
    }

    #[allow(clippy::too_many_arguments)]
    fn tuple(
        &mut self,
        f: &Field,
        items: &Value,
        len: usize,
        key: &str,
        path: &str,
        title: &str,
        v: Option<&Value>,
        required: bool,
    ) {
        self.group_start("groupe ligne-valeurs", path, title, required, f.description);
        let names = tuple_names(f.description, len);
        let item = self.schema.field(items);
        for (i, name) in names.iter().enumerate() {
            let ip = format!("{path}.{i}");
            let sub = Field { title: Some(name), description: None, ..item.clone() };
            self.field(&sub, key, &ip, v.and_then(|v| v.get(i)), false);
        }
        self.out.push_str("</fieldset>");
    }

    fn raw(&mut self, path: &str, title: &str, description: Option<&str>, v: Option<&Value>, required: bool) {
        let text = match v {
            None | Some(Value::Null) => String::new(),
            Some(v) => yaml_edit::to_yaml(v),
        };
        let attrs = self.control_start(path, title, required, description, " long brut");
        let rows = (text.lines().count() + 1).clamp(3, 20);
        let _ = write!(
            self.out,
            "<p class=\"md-aide\">Saisie avancée, au format YAML.</p><textarea {attrs} rows=\"{rows}\" spellcheck=\"false\">{}</textarea>",
            textarea_text(&text)
        );
        self.control_end(path);
    }

    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        f: &Field,
        items: &Value,
        key: &str,
        path: &str,
        title: &str,
        v: Option<&Value>,
        required: bool,
    ) {
        let p = esc(path);
        let item = self.schema.field(items);
        let blocks = matches!(item.widget, Widget::Object { .. });
        // Items named by their own title (« Lieu 2 »), or lines of the list (« Langues, ligne 2 »).
        let noun = item.title.filter(|_| blocks).map(str::to_string);
        self.group_start("liste", path, title, required, f.description);
        let values = v.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        if !values.is_empty() {
            self.out.push_str("<ol class=\"elements\">");
        }
        for (i, iv) in values.iter().enumerate() {
            let ip = format!("{path}.{i}");
            let label = match &noun {
                Some(n) => format!("{n} {}", i + 1),
                None => format!("{title}, ligne {}", i + 1),
            };
            let _ = write!(self.out, "<li class=\"element\" id=\"i-{}\">", esc(&ip));
            match &item.widget {
                Widget::Object { props, required } => {
                    self.paths.insert(ip.clone());
                    let _ = write!(
                        self.out,
                        "<fieldset class=\"groupe\" id=\"c-{0}\" data-chemin=\"{0}\"><legend>{1}</legend>",
                        esc(&ip),
                        esc(&label)
                    );
                    let notes = self.notes_html(&ip);
                    self.out.push_str(&notes);
                    self.object_fields(props, required, &ip, Some(iv), false);
                    self.remove_button(&ip, &label);
                    self.out.push_str("</fieldset>");
                }
                _ => {
                    let sub = Field { title: Some(&label), description: None, ..item.clone() };
                    self.field(&sub, key, &ip, Some(iv), false);
                    self.remove_button(&ip, &label);
                }
            }
            self.out.push_str("</li>");
        }
        if !values.is_empty() {
            self.out.push_str("</ol>");
        } else {
            self.out.push_str("<p class=\"vide\">Rien pour l’instant.</p>");
        }
        let add = match &noun {
            Some(n) => format!("Ajouter\u{a0}: {}", esc(&n.to_lowercase())),
            None => {
                format!("Ajouter une ligne<span class=\"visuellement-cache\"> à «\u{a0}{}\u{a0}»</span>", esc(title))
            }
        };
        let _ = write!(
            self.out,
            "<button type=\"submit\" class=\"secondaire ajouter\" name=\"_action\" value=\"ajouter:{p}\" formnovalidate>{add}</button></fieldset>"
        );
    }

    /// Opens the fieldset of a group (its legend, help and messages).
    fn group_start(&mut self, class: &str, path: &str, title: &str, required: bool, description: Option<&str>) {
        let p = esc(path);
        let (help, _) = self.help(path, description);
        let _ = write!(
            self.out,
            "<fieldset class=\"{class}\" id=\"c-{p}\" data-chemin=\"{p}\"><legend>{}{}</legend>{help}",
            esc(title),
            Self::label_suffix(required)
        );
        let notes = self.notes_html(path);
        self.out.push_str(&notes);
    }

    fn remove_button(&mut self, path: &str, label: &str) {
        let _ = write!(
            self.out,
            "<div class=\"actions-element\"><button type=\"submit\" class=\"secondaire retirer\" name=\"_action\" value=\"retirer:{}\" formnovalidate>Retirer «\u{a0}{}\u{a0}»</button></div>",
            esc(path),
            esc(label)
        );
    }
}

/// How list items of the value map to the form's items: for each list (dotted path in the
/// value), the form index of each item kept.
pub type IndexMap = HashMap<String, Vec<usize>>;

/// Reads the posted fields into a record's value, through the schema. `original` is the record
/// as it is on disk: keys the schema does not describe are kept from it, and a field whose text
/// reads the same as the original value keeps the original (so `83340` written without quotes
/// stays so). Empty fields leave optional keys out. With `keep_blank`, list items left blank stay
/// (the form is shown again); without, they go (the record is checked or saved).
pub fn read(schema: Schema, fields: &Fields, original: Option<&Value>, keep_blank: bool) -> (Value, IndexMap) {
    let mut reader = Reader { schema, fields, keep_blank, index: IndexMap::new() };
    let root = schema.field(schema.root);
    let value = reader.value(&root, "", "", original, true).unwrap_or_else(|| Value::Object(Map::new()));
    (value, reader.index)
}

struct Reader<'a, 'f> {
    schema: Schema<'a>,
    fields: &'f Fields,
    keep_blank: bool,
    index: IndexMap,
}

/// Whether two values say the same for a form: equal, or scalars written the same, or both empty.
fn same_for_form(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.replace("\r\n", "\n").trim().to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    a == b || (!a.is_object() && !a.is_array() && !b.is_object() && !b.is_array() && text(a) == text(b))
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

impl Reader<'_, '_> {
    /// The value of field `f` at `path` (`vpath`: the same path with the value's own indices),
    /// `None` for absent.
    fn value(&mut self, f: &Field, key: &str, path: &str, original: Option<&Value>, required: bool) -> Option<Value> {
        let new = self.value_inner(f, key, path, original, required);
        // The original, when the form says the same thing.
        match (new, original) {
            (Some(n), Some(o)) if same_for_form(&n, o) => Some(o.clone()),
            (None, Some(o)) if is_empty(o) || (matches!(f.widget, Widget::Bool) && o == &Value::Bool(false)) => {
                Some(o.clone())
            }
            (Some(n), None) if matches!(f.widget, Widget::Bool) && !required => {
                let default = f.default.and_then(Value::as_bool).unwrap_or(false);
                (n != Value::Bool(default)).then_some(n)
            }
            (n, _) => n,
        }
    }

    fn value_inner(
        &mut self,
        f: &Field,
        key: &str,
        path: &str,
        original: Option<&Value>,
        required: bool,
    ) -> Option<Value> {
        let text = || self.fields.get(path).map(|s| s.replace("\r\n", "\n"));
        match &f.widget {
            Widget::Object { props, required: req } => {
                let mut out = Map::new();
                for (k, s) in props {
                    let sub = self.schema.field(s);
                    let p = if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
                    let o = original.and_then(|o| o.get(*k));
                    let r = req.contains(k) && !sub.nullable && sub.default.is_none();
                    if let Some(v) = self.value(&sub, k, &p, o, r) {
                        out.insert(k.to_string(), v);
                    }
                }
                // Keys the schema does not describe stay as they were.
                if let Some(Value::Object(o)) = original {
                    for (k, v) in o {
                        if !props.iter().any(|(p, _)| p == k) {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                }
                if out.is_empty() && !required && !path.is_empty() { None } else { Some(Value::Object(out)) }
            }
            Widget::List { items } => {
                let item = self.schema.field(items);
                let originals = original.and_then(Value::as_array);
                let mut out = Vec::new();
                let mut kept = Vec::new();
                for i in self.fields.indices(path) {
                    let p = format!("{path}.{i}");
                    let o = originals.and_then(|a| a.get(i));
                    let v = self.value(&item, key, &p, o, false);
                    match v {
                        Some(v) if !is_empty(&v) => {
                            out.push(v);
                            kept.push(i);
                        }
                        _ if self.keep_blank => {
                            out.push(match item.widget {
                                Widget::Object { .. } => Value::Object(Map::new()),
                                _ => Value::String(String::new()),
                            });
                            kept.push(i);
                        }
                        _ => {}
                    }
                }
                self.index.insert(path.to_string(), kept);
                if out.is_empty() && !required { None } else { Some(Value::Array(out)) }
            }
            Widget::Tuple { items, len } => {
                let item = self.schema.field(items);
                let parts: Vec<Option<Value>> =
                    (0..*len).map(|i| self.value(&item, key, &format!("{path}.{i}"), None, false)).collect();
                if parts.iter().all(Option::is_none) {
                    return None;
                }
                Some(Value::Array(parts.into_iter().map(|p| p.unwrap_or(Value::Null)).collect()))
            }
            Widget::Bool => Some(Value::Bool(self.fields.get(path) == Some("oui"))),
            Widget::TriState => match self.fields.get(path) {
                Some("oui") => Some(Value::Bool(true)),
                Some("non") => Some(Value::Bool(false)),
                _ => None,
            },
            Widget::Integer | Widget::Number => {
                let t: String = text()?.chars().filter(|c| !c.is_whitespace()).collect();
                if t.is_empty() {
                    return None;
                }
                let decimal = t.replace(',', ".");
                if let Ok(i) = decimal.parse::<i64>() {
                    return Some(Value::from(i));
                }
                match decimal.parse::<f64>() {
                    Ok(x) if matches!(f.widget, Widget::Number) && x.is_finite() => Some(Value::from(x)),
                    // Left as written: the check says what is wrong with it.
                    _ => Some(Value::String(t)),
                }
            }
            Widget::Text { .. } => {
                let t = text()?;
                let t = if t.contains('\n') {
                    let body = t.trim_end();
                    if body.is_empty() { String::new() } else { format!("{}\n", body.trim_start_matches('\n')) }
                } else {
                    t.trim().to_string()
                };
                (!t.is_empty()).then_some(Value::String(t))
            }
            Widget::Raw => {
                let t = text()?;
                if t.trim().is_empty() {
                    return None;
                }
                Some(yaml_edit::yaml_value(&t).unwrap_or(Value::String(t)))
            }
        }
    }
}

/// A form action (`ajouter:lieux`, `retirer:lieux.1`) applied to a value: an empty item added
/// at the end of the list, or an item removed. Returns the path of the field to focus next.
pub fn apply_action(schema: Schema, value: &mut Value, action: &str) -> Option<String> {
    let (verb, path) = action.split_once(':')?;
    let steps: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    match verb {
        "ajouter" => {
            let order = steps.iter().map(|s| Step::Key((*s).to_string())).collect::<Vec<_>>();
            let blank = match schema.item_is_object(&order) {
                Some(true) => Value::Object(Map::new()),
                Some(false) => Value::String(String::new()),
                None => return None,
            };
            let list = at_path(value, &steps, true)?;
            if list.is_null() {
                *list = Value::Array(Vec::new());
            }
            let a = list.as_array_mut()?;
            a.push(blank);
            Some(format!("{path}.{}", a.len() - 1))
        }
        "retirer" => {
            let (last, parent) = steps.split_last()?;
            let i: usize = last.parse().ok()?;
            let list = at_path(value, parent, false)?.as_array_mut()?;
            (i < list.len()).then(|| list.remove(i))?;
            Some(parent.join("."))
        }
        _ => None,
    }
}

impl Schema<'_> {
    /// Whether the items of the list at `path` (keys only) are blocks of keys; `None` when the
    /// path is not a list.
    fn item_is_object(&self, path: &[Step]) -> Option<bool> {
        let mut node = self.field(self.root);
        for step in path {
            let Step::Key(k) = step else { return None };
            node = match &node.widget {
                Widget::Object { props, .. } => self.field(props.iter().find(|(p, _)| p == k)?.1),
                Widget::List { items } => {
                    // A numeric step inside a list path.
                    let item = self.field(items);
                    match (&item.widget, k.parse::<usize>()) {
                        (_, Ok(_)) => item,
                        _ => return None,
                    }
                }
                _ => return None,
            };
        }
        match node.widget {
            Widget::List { items } => Some(matches!(self.field(items).widget, Widget::Object { .. })),
            _ => None,
        }
    }
}

/// The value at a dotted path's steps, created as an empty map on the way when `create`.
fn at_path<'v>(value: &'v mut Value, steps: &[&str], create: bool) -> Option<&'v mut Value> {
    let mut v = value;
    for s in steps {
        if create && v.is_null() {
            *v = Value::Object(Map::new());
        }
        v = match v {
            Value::Array(a) => a.get_mut(s.parse::<usize>().ok()?)?,
            Value::Object(o) => {
                if create {
                    o.entry(s.to_string()).or_insert(Value::Null)
                } else {
                    o.get_mut(*s)?
                }
            }
            _ => return None,
        };
    }
    Some(v)
}

/// The form path of a value path: list indices mapped back to the form's (blank items the form
/// had are not in the value), then the deepest path the form shows.
pub fn form_path(value_path: &[Step], index: &IndexMap, shown: &HashSet<String>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for step in value_path {
        match step {
            Step::Key(k) => parts.push(k.clone()),
            Step::Index(i) => {
                let list = parts.join(".");
                let form_i = index.get(&list).and_then(|m| m.get(*i)).copied().unwrap_or(*i);
                parts.push(form_i.to_string());
            }
        }
    }
    while !parts.is_empty() && !shown.contains(&parts.join(".")) {
        parts.pop();
    }
    parts.join(".")
}

/// The path of a diagnostic's key: for "la clé obligatoire « x » manque" reported at a block, the
/// key inside it.
pub fn with_missing_key(path: Vec<Step>, message: &str) -> Vec<Step> {
    let key =
        message.strip_prefix("la clé obligatoire « ").and_then(|r| r.split_once(" »")).map(|(k, _)| k.to_string());
    match key {
        Some(k) if !k.is_empty() && path.last().is_none_or(|s| *s != Step::Key(k.clone())) => {
            let mut p = path;
            p.push(Step::Key(k));
            p
        }
        _ => path,
    }
}

/// A dotted path for messages (kept public for the HTTP layer).
pub fn path_text(path: &[Step]) -> String {
    dotted(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A schema shaped as schemars writes them: `$defs`, `$ref`, nullable types, `anyOf` with null.
    fn schema() -> Value {
        json!({
            "type": "object",
            "required": ["nom", "lieux", "publie"],
            "properties": {
                "nom": {"type": "string", "title": "Nom"},
                "profession": {"type": ["string", "null"], "title": "Profession", "enum": ["infirmier", "sage-femme", null], "enumDescriptions": ["Infirmier", "Sage-femme", "(vide)"]},
                "lieux": {"type": "array", "title": "Lieux", "items": {"$ref": "#/$defs/Lieu"}},
                "accepte_nouveaux_patients": {"type": ["boolean", "null"], "title": "Accepte de nouveaux patients"},
                "teleconsultation": {"type": "boolean", "default": false, "title": "Téléconsultation"},
                "langues": {"type": "array", "items": {"type": "string"}, "default": []},
                "image": {"anyOf": [{"$ref": "#/$defs/Image"}, {"type": "null"}]},
                "population": {"type": "integer"},
                "presentation": {"type": ["string", "null"], "x-maillage-markdown": true},
                "publie": {"type": "boolean", "title": "Publié"}
            },
            "$defs": {
                "Lieu": {"type": "object", "title": "Lieu", "required": ["adresse"], "properties": {
                    "adresse": {"type": "string", "title": "Adresse"},
                    "telephone": {"type": ["string", "null"]},
                    "date": {"type": "string", "format": "date"}
                }},
                "Image": {"type": "object", "properties": {"src": {"type": "string"}, "alt": {"type": ["string", "null"]}}}
            }
        })
    }

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        Fields::parse(body.as_bytes())
    }

    #[test]
    fn widgets_come_from_the_schema() {
        let s = schema();
        let notes = BTreeMap::from([(
            "lieux.0.adresse".to_string(),
            vec![Note { error: true, message: "vide".into(), hint: None, code: None }],
        )]);
        let ctx = Context { notes: &notes, document_file_key: None };
        let v = json!({"nom": "Martin", "profession": "infirmier", "lieux": [{"adresse": "1 rue A", "date": "2026-11-10"}], "accepte_nouveaux_patients": true, "publie": true});
        let (html, paths) = render(Schema::new(&s), &v, &ctx);
        assert!(
            html.contains("<label for=\"f-nom\">Nom <span class=\"obligatoire\">(obligatoire)</span></label>"),
            "{html}"
        );
        assert!(html.contains("<option value=\"infirmier\" selected>Infirmier</option>"), "{html}");
        assert!(html.contains("type=\"date\" id=\"f-lieux.0.date\""), "{html}");
        assert!(
            html.contains(
                "id=\"f-accepte_nouveaux_patients-oui\" name=\"accepte_nouveaux_patients\" value=\"oui\" checked"
            ),
            "{html}"
        );
        assert!(html.contains("Non renseigné"));
        assert!(html.contains("type=\"checkbox\" id=\"f-teleconsultation\""));
        assert!(html.contains("value=\"ajouter:lieux\""));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("<p class=\"erreur\"><strong>Erreur\u{a0}:</strong> vide"));
        assert!(html.contains("data-televersement=\"images\""));
        assert!(html.contains("<textarea id=\"f-presentation\""));
        assert!(paths.contains("lieux.0.adresse") && paths.contains("image.alt"));
    }

    #[test]
    fn posted_fields_read_back_through_the_schema() {
        let s = schema();
        let original = json!({"nom": "Martin", "lieux": [{"adresse": "1 rue A"}], "population": "12608", "inconnue": 1, "publie": true, "langues": []});
        let f = fields(&[
            ("nom", " Martin-Durand "),
            ("profession", ""),
            ("lieux.0.adresse", "1 rue A"),
            ("lieux.2.adresse", ""),
            ("lieux.3.adresse", "3 rue C"),
            ("lieux.3.telephone", "04 94 00 00 00"),
            ("accepte_nouveaux_patients", "non"),
            ("population", "12608"),
            ("presentation", "Ligne 1\r\nLigne 2\r\n\r\n"),
            ("publie", "oui"),
        ]);
        let (v, index) = read(Schema::new(&s), &f, Some(&original), false);
        assert_eq!(
            v,
            json!({"nom": "Martin-Durand", "lieux": [{"adresse": "1 rue A"}, {"adresse": "3 rue C", "telephone": "04 94 00 00 00"}],
                   "accepte_nouveaux_patients": false, "population": "12608", "presentation": "Ligne 1\nLigne 2\n",
                   "inconnue": 1, "publie": true, "langues": []})
        );
        assert_eq!(index["lieux"], vec![0, 3]);
        let shown: HashSet<String> = ["lieux.3.telephone".to_string(), "lieux.3".to_string()].into();
        let p = [Step::Key("lieux".into()), Step::Index(1), Step::Key("telephone".into())];
        assert_eq!(form_path(&p, &index, &shown), "lieux.3.telephone");
        let deeper = [Step::Key("lieux".into()), Step::Index(1), Step::Key("x".into())];
        assert_eq!(form_path(&deeper, &index, &shown), "lieux.3");
        // Unchecked without a default in the file: not written.
        let (v, _) = read(Schema::new(&s), &fields(&[("nom", "A"), ("publie", "")]), None, false);
        assert_eq!(v, json!({"nom": "A", "lieux": [], "publie": false}));
    }

    #[test]
    fn items_are_added_and_removed() {
        let s = schema();
        let mut v = json!({"nom": "A", "lieux": [{"adresse": "x"}]});
        assert_eq!(apply_action(Schema::new(&s), &mut v, "ajouter:lieux").as_deref(), Some("lieux.1"));
        assert_eq!(v["lieux"][1], json!({}));
        assert_eq!(apply_action(Schema::new(&s), &mut v, "ajouter:langues").as_deref(), Some("langues.0"));
        assert_eq!(v["langues"], json!([""]));
        assert_eq!(apply_action(Schema::new(&s), &mut v, "retirer:lieux.0").as_deref(), Some("lieux"));
        assert_eq!(v["lieux"], json!([{}]));
        assert_eq!(apply_action(Schema::new(&s), &mut v, "retirer:lieux.9"), None);
        assert_eq!(
            Schema::new(&s).key_order(&[Step::Key("lieux".into()), Step::Index(0)]),
            ["adresse", "telephone", "date"]
        );
    }

    #[test]
    fn help_speaks_of_the_form_not_of_yaml() {
        let text = Widget::Text { format: None, time: false, choices: None, markdown: false };
        assert_eq!(
            form_help("Numéro RPPS à 11 chiffres, entre guillemets. Le modèle ne vérifie que la forme du numéro : sa clé de contrôle est vérifiée par « maillage check ».", &text).as_deref(),
            Some("Numéro RPPS à 11 chiffres.")
        );
        assert_eq!(
            form_help("Code postal à 5 chiffres, entre guillemets (\"83340\").", &text).as_deref(),
            Some("Code postal à 5 chiffres.")
        );
        assert_eq!(
            form_help(
                "true s’il accepte de nouveaux patients, false sinon ; absent : non renseigné.",
                &Widget::TriState
            )
            .as_deref(),
            Some("Oui s’il accepte de nouveaux patients. Choisissez « Non renseigné » si vous ne savez pas.")
        );
        assert_eq!(
            form_help("true s’il propose la téléconsultation.", &Widget::Bool).as_deref(),
            Some("Cochez s’il propose la téléconsultation.")
        );
        assert_eq!(
            form_help("Accord pour paraître sur le site : rien n’est publié sans « publie: true ».", &Widget::Bool)
                .as_deref(),
            Some("Accord pour paraître sur le site : rien n’est publié sans cette case cochée.")
        );
        let choices = Widget::Text {
            format: None,
            time: false,
            choices: Some(vec![("liberal".into(), "Libéral".into()), ("mixte".into(), "Mixte".into())]),
            markdown: false,
        };
        assert_eq!(form_help("liberal, salarie ou mixte.", &choices), None);
    }

    #[test]
    fn missing_keys_point_at_their_field() {
        let p =
            with_missing_key(vec![Step::Key("lieux".into()), Step::Index(0)], "la clé obligatoire « adresse » manque");
        assert_eq!(path_text(&p), "lieux.0.adresse");
    }
}
