//! A Decap CMS / Sveltia CMS configuration (`config.yml`) made from the same schemas: one
//! collection per kind of content file (`cpts.yaml` and `contacts.yaml` as single files), one
//! field per property, with the widget, the required flag, the choices and the pattern the
//! schema gives; images go to `content/static/images/`, documents to `content/documents/`.
//! `maillage schema --cms DIR` writes it with an `index.html` that loads the CMS from the same
//! folder (no third-party host: the coordinator puts the CMS's script there, docs/guide/schemas.md).

use super::files::write_if_changed;
use super::generate::for_kind;
use super::kind::Kind;
use crate::model::Site;
use crate::model::json_schema::{ENUM_LABELS, FILE, MARKDOWN};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// Where images uploaded through the CMS go, relative to the repository's root.
pub const MEDIA_FOLDER: &str = "content/static/images";
/// How content files name those images (relative to `content/static/`).
pub const PUBLIC_FOLDER: &str = "images";
/// The script `index.html` loads, next to it.
pub const SCRIPT: &str = "cms.js";
/// Name of the field holding a Markdown file's body.
pub const BODY: &str = "body";

/// The message shown when a value does not match its pattern.
const PATTERN_MESSAGE: &str = "Format inattendu : voir l’aide sous le champ.";

/// The CMS configuration, as data (written as YAML by [`to_yaml`]).
pub fn config(site: Option<&Site>) -> Value {
    let mut collections = Vec::new();
    let single: Vec<Value> = Kind::ALL
        .into_iter()
        .filter(|k| k.single_file())
        .map(|kind| {
            let schema = for_kind(kind, site);
            json!({
                "name": kind.name(),
                "label": kind.label(),
                "file": kind.folder(),
                "fields": fields(&schema, &schema),
            })
        })
        .collect();
    collections.push(json!({ "name": "reglages", "label": "Réglages de la CPTS", "files": single }));
    for kind in Kind::ALL.into_iter().filter(|k| !k.single_file()) {
        let schema = for_kind(kind, site);
        let mut fields = fields(&schema, &schema);
        let mut collection = json!({
            "name": kind.name(),
            "label": kind.label(),
            "folder": kind.folder(),
            "extension": kind.extensions()[0],
            "create": true,
            "slug": "{{slug}}",
        });
        // The file name comes from the name (members, resources) or the title.
        let identifier = if matches!(kind, Kind::Member | Kind::Resource) { "nom" } else { "titre" };
        collection["identifier_field"] = identifier.into();
        if kind.front_matter() {
            collection["format"] = "frontmatter".into();
            fields.push(json!({ "name": BODY, "label": "Texte", "widget": "markdown", "required": false }));
        } else {
            collection["format"] = "yaml".into();
        }
        collection["fields"] = fields.into();
        collections.push(collection);
    }
    json!({
        "backend": { "name": "github", "repo": "ORGANISATION/DEPOT", "branch": "main" },
        "local_backend": true,
        "locale": "fr",
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "collections": collections,
    })
}

/// Follows `$ref`s into `$defs`.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(name) => resolve(root, &root["$defs"][name]),
        None => node,
    }
}

/// The non-null branch of an optional value (`anyOf: [X, null]`), or the value itself.
fn present<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let node = resolve(root, node);
    match node.get("anyOf").and_then(Value::as_array) {
        Some(branches) => {
            branches.iter().map(|b| resolve(root, b)).find(|b| b.get("type") != Some(&json!("null"))).unwrap_or(node)
        }
        None => node,
    }
}

/// The type of a value, without `null`.
fn type_of(node: &Value) -> &str {
    match node.get("type") {
        Some(Value::String(t)) => t,
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("string"),
        _ => "object",
    }
}

/// The fields of a record's properties.
fn fields(root: &Value, record: &Value) -> Vec<Value> {
    let record = present(root, record);
    let required: Vec<&str> = record
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = record.get("properties").and_then(Value::as_object) else { return Vec::new() };
    properties.iter().map(|(name, p)| field(root, name, p, required.contains(&name.as_str()))).collect()
}

/// One field: its label, hint and required flag, then what its widget needs.
fn field(root: &Value, name: &str, property: &Value, required: bool) -> Value {
    let mut f = Map::new();
    f.insert("name".into(), name.into());
    let text = |key: &str| property.get(key).and_then(Value::as_str).unwrap_or(name).to_string();
    f.insert("label".into(), text("title").into());
    if property.get("description").is_some() {
        f.insert("hint".into(), text("description").into());
    }
    f.insert("required".into(), required.into());
    widget(root, present(root, property), &mut f);
    Value::Object(f)
}

/// The widget of a value and its options.
fn widget(root: &Value, node: &Value, f: &mut Map<String, Value>) {
    if let Some(default) = node.get("default").filter(|d| !d.is_null() && !d.as_array().is_some_and(Vec::is_empty)) {
        f.insert("default".into(), default.clone());
    }
    match type_of(node) {
        "boolean" => {
            f.insert("widget".into(), "boolean".into());
        }
        "integer" | "number" => {
            f.insert("widget".into(), "number".into());
            let value_type = if type_of(node) == "integer" { "int" } else { "float" };
            f.insert("value_type".into(), value_type.into());
        }
        "array" => {
            f.insert("widget".into(), "list".into());
            let items = node.get("items").map(|i| present(root, i)).unwrap_or(&Value::Null);
            if items.get("properties").is_some() {
                f.insert("fields".into(), fields(root, items).into());
            } else {
                let mut item = Map::new();
                item.insert("name".into(), "valeur".into());
                item.insert("label".into(), f.get("label").cloned().unwrap_or_default());
                widget(root, items, &mut item);
                f.insert("field".into(), Value::Object(item));
            }
            for (bound, key) in [("minItems", "min"), ("maxItems", "max")] {
                if let Some(n) = node.get(bound) {
                    f.insert(key.into(), n.clone());
                }
            }
        }
        "object" => {
            f.insert("widget".into(), "object".into());
            let keyed = node.get("propertyNames").and_then(|p| p.get("enum")).and_then(Value::as_array);
            match keyed {
                // A map keyed by a closed list (profession → density): one optional field per key.
                Some(keys) => {
                    let value = node.get("additionalProperties").unwrap_or(&Value::Null);
                    let subfields: Vec<Value> = keys
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|k| {
                            let mut sub = Map::new();
                            sub.insert("name".into(), k.into());
                            sub.insert("label".into(), k.into());
                            sub.insert("required".into(), false.into());
                            widget(root, value, &mut sub);
                            Value::Object(sub)
                        })
                        .collect();
                    f.insert("fields".into(), subfields.into());
                }
                None => {
                    f.insert("fields".into(), fields(root, node).into());
                }
            }
        }
        _ => string_widget(node, f),
    }
}

fn string_widget(node: &Value, f: &mut Map<String, Value>) {
    let values: Vec<&Value> = node
        .get("enum")
        .and_then(Value::as_array)
        .map(|e| e.iter().filter(|v| !v.is_null()).collect())
        .unwrap_or_default();
    if !values.is_empty() {
        let labels = node.get(ENUM_LABELS).and_then(Value::as_array);
        let options: Vec<Value> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let label = labels.and_then(|l| l.get(i)).and_then(Value::as_str).unwrap_or_default();
                json!({ "label": format!("{label} ({})", v.as_str().unwrap_or_default()), "value": v })
            })
            .collect();
        f.insert("widget".into(), "select".into());
        f.insert("options".into(), options.into());
        return;
    }
    match (node.get("format").and_then(Value::as_str), node.get(FILE).and_then(Value::as_str)) {
        (Some("date"), _) => {
            f.insert("widget".into(), "datetime".into());
            f.insert("format".into(), "YYYY-MM-DD".into());
            f.insert("date_format".into(), "DD/MM/YYYY".into());
            f.insert("time_format".into(), false.into());
            f.insert("picker_utc".into(), true.into());
        }
        (_, Some("image")) => {
            f.insert("widget".into(), "image".into());
        }
        (_, Some("document")) => {
            f.insert("widget".into(), "file".into());
            f.insert("media_folder".into(), "/content/documents".into());
            f.insert("public_folder".into(), "".into());
        }
        _ => {
            let markdown = node.get(MARKDOWN).is_some_and(|m| m == true);
            f.insert("widget".into(), if markdown { "markdown" } else { "string" }.into());
        }
    }
    if let Some(pattern) = node.get("pattern") {
        f.insert("pattern".into(), json!([pattern, PATTERN_MESSAGE]));
    }
}

/// Writes a value as block YAML: every string double-quoted (JSON's escapes are YAML's), keys
/// plain when they are plain words.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::from(
        "# Configuration de Decap CMS / Sveltia CMS écrite par « maillage schema --cms » à partir des\n\
         # schémas du contenu : ne la modifiez pas à la main, relancez la commande (maillage aide schemas).\n\
         # Remplacez ORGANISATION/DEPOT par le dépôt du site avant de la publier.\n",
    );
    block(value, 0, &mut out);
    out
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(o) if o.is_empty() => "{}".into(),
        other => other.to_string(),
    }
}

fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_string()
    } else {
        scalar(&Value::String(k.to_string()))
    }
}

fn is_block(value: &Value) -> bool {
    matches!(value, Value::Object(o) if !o.is_empty()) || matches!(value, Value::Array(a) if !a.is_empty())
}

fn block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                if is_block(v) {
                    out.push_str(&format!("{pad}{}:\n", key(k)));
                    block(v, indent + 2, out);
                } else {
                    out.push_str(&format!("{pad}{}: {}\n", key(k), scalar(v)));
                }
            }
        }
        Value::Array(a) => {
            for v in a {
                if is_block(v) {
                    // The item's first line follows the dash; the rest is indented under it.
                    let mut inner = String::new();
                    block(v, indent + 2, &mut inner);
                    out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                } else {
                    out.push_str(&format!("{pad}- {}\n", scalar(v)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

/// The page that opens the CMS: it loads [`SCRIPT`] from its own folder.
pub fn index_html() -> String {
    format!(
        "<!doctype html>\n<html lang=\"fr\">\n<head>\n  <meta charset=\"utf-8\">\n  \
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n  \
         <meta name=\"robots\" content=\"noindex\">\n  <title>Édition du site</title>\n</head>\n<body>\n  \
         <!-- Decap CMS (decap-cms.js) ou Sveltia CMS (sveltia-cms.js), renommé {SCRIPT} et posé à côté de cette page : voir « maillage aide schemas ». -->\n  \
         <script src=\"{SCRIPT}\"></script>\n</body>\n</html>\n"
    )
}

/// Writes `config.yml` and `index.html` into `dir`; returns the configuration's path.
pub fn write(dir: &Path, site: Option<&Site>) -> std::io::Result<PathBuf> {
    let path = dir.join("config.yml");
    write_if_changed(&path, to_yaml(&config(site)).as_bytes())?;
    write_if_changed(&dir.join("index.html"), index_html().as_bytes())?;
    Ok(path)
}
