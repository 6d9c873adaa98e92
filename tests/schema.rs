//! The content schemas (`maillage schema`) and the parser agree on every key, and say it in French.
//!
//! Agreement is proved from both sides: for every object the schema describes, a file holding an
//! unknown key at that place is refused by the parser as an unknown key, and serde's list of the
//! keys it knows there (carried by the error) is exactly the schema's `properties`; every other
//! property, given a block with an unknown key, is not refused as an unknown key of its own (it is
//! not a record for the parser either). The walk reaches every record the parser knows, since a
//! record the schema missed would be a property the parser answers with an unknown key.

use maillage::model::{
    ActionMeta, ContactsFile, Cpts, DocumentFile, IndicatorsFile, MemberFile, NewsMeta, OfferMeta, PageMeta,
    ResourceFile,
};
use maillage::schema::{Kind, for_kind};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

const UNKNOWN: &str = "cle_inconnue_du_test";

/// One step from a file's top to a value: a key, or the first item of a list.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Item,
}

/// A document holding `leaf` at `path` and nothing else.
fn document(path: &[Step], leaf: Value) -> String {
    let value = path.iter().rev().fold(leaf, |inner, step| match step {
        Step::Key(k) => json!({ k.clone(): inner }),
        Step::Item => json!([inner]),
    });
    // JSON is YAML: the parser reads it as a coordinator's file.
    value.to_string()
}

/// What the parser says of `yaml` for `kind`: the keys it knows where it met an unknown one, or
/// `Ok(())` when the error (if any) is not about an unknown key.
fn unknown_key(kind: Kind, yaml: &str) -> Result<(), (String, BTreeSet<String>)> {
    fn read<T: serde::de::DeserializeOwned>(yaml: &str) -> Result<(), (String, BTreeSet<String>)> {
        match serde_saphyr::from_str::<T>(yaml) {
            Ok(_) => Ok(()),
            Err(e) => match innermost(&e) {
                serde_saphyr::Error::SerdeUnknownField { field, expected, .. } => {
                    Err((field.clone(), expected.iter().map(|s| s.to_string()).collect()))
                }
                _ => Ok(()),
            },
        }
    }
    match kind {
        Kind::Cpts => read::<Cpts>(yaml),
        Kind::Contacts => read::<ContactsFile>(yaml),
        Kind::Indicators => read::<IndicatorsFile>(yaml),
        Kind::Member => read::<MemberFile>(yaml),
        Kind::Action => read::<ActionMeta>(yaml),
        Kind::Offer => read::<OfferMeta>(yaml),
        Kind::News => read::<NewsMeta>(yaml),
        Kind::Page => read::<PageMeta>(yaml),
        Kind::Resource => read::<ResourceFile>(yaml),
        Kind::Document => read::<DocumentFile>(yaml),
    }
}

fn innermost(e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    match e {
        serde_saphyr::Error::WithSnippet { error, .. } => innermost(error),
        other => other,
    }
}

/// The diagnostic code the whole decoding path (quick reader, then serde-saphyr) gives `yaml`.
fn decode_code(kind: Kind, yaml: &str) -> Option<&'static str> {
    use maillage::source::decode_yaml;
    let r = match kind {
        Kind::Cpts => decode_yaml::<Cpts>("f", yaml).map(drop),
        Kind::Contacts => decode_yaml::<ContactsFile>("f", yaml).map(drop),
        Kind::Indicators => decode_yaml::<IndicatorsFile>("f", yaml).map(drop),
        Kind::Member => decode_yaml::<MemberFile>("f", yaml).map(drop),
        Kind::Action => decode_yaml::<ActionMeta>("f", yaml).map(drop),
        Kind::Offer => decode_yaml::<OfferMeta>("f", yaml).map(drop),
        Kind::News => decode_yaml::<NewsMeta>("f", yaml).map(drop),
        Kind::Page => decode_yaml::<PageMeta>("f", yaml).map(drop),
        Kind::Resource => decode_yaml::<ResourceFile>("f", yaml).map(drop),
        Kind::Document => decode_yaml::<DocumentFile>("f", yaml).map(drop),
    };
    r.err().map(|d| d.code)
}

/// Follows `$ref`s into `$defs`.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(name) => resolve(root, &root["$defs"][name]),
        None => node,
    }
}

/// The record a value is, when it is one (through `$ref`, and the branches of an optional value).
fn record<'a>(root: &'a Value, node: &'a Value) -> Option<&'a Map<String, Value>> {
    let node = resolve(root, node);
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        return Some(props);
    }
    node.get("anyOf")?.as_array()?.iter().find_map(|branch| record(root, branch))
}

/// The items of a list value, when it is one.
fn items<'a>(root: &'a Value, node: &'a Value) -> Option<&'a Value> {
    let node = resolve(root, node);
    node.get("items")
        .map(|i| resolve(root, i))
        .or_else(|| node.get("anyOf")?.as_array()?.iter().find_map(|b| items(root, b)))
}

/// Walks every record of `kind`'s schema; returns how many records and keys it checked.
fn walk(kind: Kind, root: &Value, props: &Map<String, Value>, path: &mut Vec<Step>, seen: &mut (usize, usize)) {
    seen.0 += 1;
    let yaml = document(path, json!({ UNKNOWN: 1 }));
    let schema_keys: BTreeSet<String> = props.keys().cloned().collect();
    match unknown_key(kind, &yaml) {
        Err((field, parser_keys)) => {
            assert_eq!(field, UNKNOWN, "{kind:?} at {path:?}");
            assert_eq!(
                parser_keys, schema_keys,
                "{kind:?} at {path:?}: the parser's keys (left) and the schema's (right)"
            );
        }
        Ok(()) => panic!("{kind:?} at {path:?}: the parser took the unknown key {UNKNOWN}: {yaml}"),
    }
    assert_eq!(decode_code(kind, &yaml), Some("M013"), "{kind:?} at {path:?}: reported as an unknown key");
    for (key, value) in props {
        seen.1 += 1;
        path.push(Step::Key(key.clone()));
        if let Some(inner) = record(root, value) {
            walk(kind, root, inner, path, seen);
        } else if let Some(inner) = items(root, value).and_then(|i| record(root, i)) {
            path.push(Step::Item);
            walk(kind, root, inner, path, seen);
            path.pop();
        } else {
            // Not a record in the schema: nor for the parser, which must not ask for its keys.
            let yaml = document(path, json!({ UNKNOWN: 1 }));
            if let Err((field, expected)) = unknown_key(kind, &yaml) {
                panic!(
                    "{kind:?} at {path:?}: the schema has no record here, the parser has one ({field}; {expected:?})"
                );
            }
            let as_list = document(path, json!([{ UNKNOWN: 1 }]));
            if let Err((field, expected)) = unknown_key(kind, &as_list) {
                panic!(
                    "{kind:?} at {path:?}: the schema has no list of records here, the parser has one ({field}; {expected:?})"
                );
            }
        }
        path.pop();
    }
}

#[test]
fn schema_and_parser_agree_on_every_key() {
    let mut seen = (0, 0);
    for kind in Kind::ALL {
        let schema = for_kind(kind, None);
        let props = schema["properties"].as_object().unwrap_or_else(|| panic!("{kind:?} has no properties"));
        walk(kind, &schema, props, &mut Vec::new(), &mut seen);
    }
    // The walk went everywhere: 9 files, and records inside them (places, sessions, communes…).
    assert!(seen.0 > 30 && seen.1 > 150, "records and keys checked: {seen:?}");
}

/// Every title and description a coordinator reads is French text, written next to its field:
/// each property and each record has both, and none is the English doc comment.
#[test]
fn every_key_is_described_in_french() {
    fn check(node: &Value, at: &str, problems: &mut Vec<String>) {
        match node {
            Value::Object(o) => {
                if let Some(Value::Object(props)) = o.get("properties") {
                    for (key, p) in props {
                        for word in ["title", "description"] {
                            match p.get(word).and_then(Value::as_str) {
                                Some(t) if !t.trim().is_empty() => {
                                    if looks_english(t) {
                                        problems.push(format!("{at}.{key}: {word} in English? {t}"));
                                    }
                                }
                                _ => problems.push(format!("{at}.{key}: no {word}")),
                            }
                        }
                    }
                }
                if o.contains_key("properties") && (o.get("title").is_none() || o.get("description").is_none()) {
                    problems.push(format!("{at}: record without title or description"));
                }
                for (k, v) in o {
                    check(v, &format!("{at}/{k}"), problems);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| check(v, at, problems)),
            _ => {}
        }
    }
    fn looks_english(t: &str) -> bool {
        let words: Vec<String> = t.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase).collect();
        ["the", "of", "when", "with", "which", "shown", "whether"].iter().any(|w| words.iter().any(|x| x == w))
    }
    let mut problems = Vec::new();
    for kind in Kind::ALL {
        check(&for_kind(kind, None), kind.name(), &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The site's own communes, members, documents and thematic pages become lists of values, with
/// their names as labels; without a site, the references keep a pattern.
#[test]
fn a_site_lists_its_own_communes_and_members() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = maillage::model::parse(maillage::source::load(root).0);
    let site = site.expect("the example site");
    let member = for_kind(Kind::Member, Some(&site));
    let commune = &member["$defs"]["Lieu"]["properties"]["commune"];
    let codes: Vec<&str> = commune["enum"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    let expected: Vec<&str> = site.cpts.data.territoire.communes.iter().map(|c| c.insee.value.as_str()).collect();
    assert_eq!(codes, expected);
    let le_luc = codes.iter().position(|c| *c == "83073").unwrap();
    assert_eq!(commune["enumDescriptions"][le_luc], "Le Luc");
    let structure_members = &member["properties"]["membres"]["items"]["enum"];
    assert_eq!(structure_members.as_array().unwrap().len(), site.members.len());

    let action = for_kind(Kind::Action, Some(&site));
    let referents = action["properties"]["referents"]["items"]["enum"].as_array().unwrap();
    assert!(referents.iter().any(|v| v == "claire-martin"), "{referents:?}");
    let documents = action["properties"]["documents"]["items"]["enum"].as_array().unwrap();
    assert_eq!(documents.len(), site.documents.len());
    // A session may be held outside the territory: its communes come first, then the rest of
    // the Var (Draguignan's hospital, where Octobre rose holds one), each labelled so.
    let held = &action["$defs"]["Seance"]["properties"]["commune"];
    assert_eq!(held["x-maillage-reference"], "commune-seance");
    let codes: Vec<&str> = held["enum"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(codes[..expected.len()], expected[..]);
    let var = maillage::domain::communes::table()
        .communes()
        .iter()
        .filter(|c| c.kind.is_current() && c.departement() == "83")
        .count();
    assert_eq!(codes.len(), var, "every commune of the Var, once");
    let draguignan = codes.iter().position(|c| *c == "83050").unwrap();
    assert!(draguignan >= expected.len());
    assert_eq!(held["enumDescriptions"][draguignan], "Draguignan (hors territoire)");
    assert_eq!(held["enumDescriptions"][le_luc], "Le Luc");

    let generic = for_kind(Kind::Member, None);
    let commune = &generic["$defs"]["Lieu"]["properties"]["commune"];
    assert!(commune.get("enum").is_none());
    assert_eq!(commune["pattern"], maillage::domain::ids::patterns::INSEE_COMMUNE);
    assert_eq!(commune["x-maillage-reference"], "commune");
}

/// The Node.js tools of `tests/schema/` (ajv, yaml, yaml-language-server), installed by
/// `scripts/test-deps.sh`.
fn node_tools() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema");
    for package in ["ajv", "ajv-formats", "yaml", "yaml-language-server"] {
        assert!(
            dir.join("node_modules").join(package).join("package.json").is_file(),
            "{package} manque dans tests/schema/node_modules : lancez scripts/test-deps.sh — \
             {package} is missing: run scripts/test-deps.sh"
        );
    }
    dir
}

/// Every file of `content/` of a kind, by the kind's folder and extensions.
fn files_of(root: &std::path::Path, kind: Kind) -> Vec<std::path::PathBuf> {
    let at = root.join(kind.folder());
    if kind.single_file() {
        return vec![at];
    }
    let mut files: Vec<_> = std::fs::read_dir(&at)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| kind.extensions().iter().any(|x| e == *x)))
        .collect();
    files.sort();
    files
}

/// Runs tests/schema/validate.mjs on `(kind, file)` pairs with the schemas in `schemas`.
fn validate(schemas: &std::path::Path, files: &[(Kind, std::path::PathBuf)]) -> Vec<Value> {
    let tools = node_tools();
    let jobs: Vec<Value> = files
        .iter()
        .map(|(kind, file)| json!({ "schema": schemas.join(kind.file_name()), "file": file, "frontMatter": kind.front_matter() }))
        .collect();
    serde_json::from_value(run_node(&tools.join("validate.mjs"), &Value::from(jobs))).unwrap()
}

/// Runs a Node.js script with `input` as JSON on its standard input; returns what it prints.
fn run_node(script: &std::path::Path, input: &Value) -> Value {
    use std::io::Write;
    let mut child = std::process::Command::new("node")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node (Node.js) lancé — node started");
    child.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{} failed", script.display());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every file of the example validates with ajv against the example's own schemas; each file of
/// tests/fixtures/schema/ fails, at the place and for the reason its first comment states
/// (`# erreur attendue : /lieux/0/commune pattern`), and for no other.
#[test]
fn an_independent_validator_takes_the_example_and_refuses_the_bad_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = maillage::model::parse(maillage::source::load(root).0);
    let schemas = tempfile::tempdir().unwrap();
    maillage::schema::write_all(schemas.path(), site.as_ref()).unwrap();

    let example: Vec<(Kind, std::path::PathBuf)> =
        Kind::ALL.into_iter().flat_map(|k| files_of(root, k).into_iter().map(move |f| (k, f))).collect();
    assert!(example.len() > 100, "{} files", example.len());
    for kind in Kind::ALL {
        assert!(example.iter().any(|(k, _)| *k == kind), "no example file of {kind:?}");
    }
    let results = validate(schemas.path(), &example);
    let refused: Vec<&Value> = results.iter().filter(|r| r["valid"] != true).collect();
    assert!(refused.is_empty(), "example files refused: {refused:#?}");
    assert_eq!(results.len(), example.len());

    let fixtures = root.join("tests/fixtures/schema");
    let mut bad = Vec::new();
    for kind in Kind::ALL {
        let dir = fixtures.join(kind.name());
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        bad.extend(entries.filter_map(|e| e.ok()).map(|e| (kind, e.path())));
    }
    assert!(bad.len() >= 15, "{} bad files", bad.len());
    let results = validate(schemas.path(), &bad);
    for ((_, file), result) in bad.iter().zip(&results) {
        let text = std::fs::read_to_string(file).unwrap();
        let expected =
            text.lines().find_map(|l| l.strip_prefix("# erreur attendue : ")).expect("expected error comment");
        let (path, keyword) = expected.rsplit_once(' ').unwrap();
        assert_eq!(result["valid"], false, "{}: accepted", file.display());
        let errors = result["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e["path"] == path && e["keyword"] == keyword),
            "{}: expected {expected}, got {errors:#?}",
            file.display()
        );
        // Only that value is wrong (an optional value's schema may say so twice: type and enum).
        assert!(errors.iter().all(|e| e["path"] == path), "{}: other errors: {errors:#?}", file.display());
    }
}

/// What a coordinator gets in VS Code: `maillage init` leaves the schemas and the settings, and
/// the real yaml-language-server, driven over LSP with those settings, completes a member's keys
/// where they belong, explains them in French, and flags a wrong key.
#[test]
fn the_yaml_language_server_completes_explains_and_flags_a_member() {
    let tools = node_tools();
    // Not tempdir()'s hidden `.tmpXXXX`: the server's globs do not match below a hidden folder.
    let dir = tempfile::Builder::new().prefix("maillage-lsp-").tempdir().unwrap();
    let site = dir.path().join("site");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_maillage"))
        .arg("init")
        .arg(&site)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let settings: Value = serde_json::from_slice(
        &std::fs::read(site.join(".vscode/settings.json")).expect("init writes .vscode/settings.json"),
    )
    .unwrap();
    let mapping = settings["yaml.schemas"].as_object().unwrap();
    let member_schema = mapping
        .iter()
        .find(|(_, globs)| globs.as_array().unwrap().iter().any(|g| g == "content/membres/*.yaml"))
        .map(|(schema, _)| site.join(schema))
        .expect("a schema for members");
    let schema: Value =
        serde_json::from_slice(&std::fs::read(&member_schema).expect("init writes the schemas")).unwrap();

    // Line 2 is a wrong key; line 6 is inside a place; line 8 is at the member's top level.
    let text = "civilite: Mme\nprenom: Ana\ntelefone: \"04 94 12 34 56\"\nnom: Vidal\nlieux:\n  - adresse: 1 rue de la Paix\n    \npublie: true\n\n";
    let file = site.join("content/membres/ana-vidal.yaml");
    let input = json!({
        "root": site,
        "settings": settings,
        "file": file,
        "text": text,
        "completions": [{ "line": 8, "character": 0 }, { "line": 6, "character": 4 }],
        "hovers": [{ "line": 7, "character": 2 }],
    });
    let out = run_node(&tools.join("lsp.mjs"), &input);
    let labels = |i: usize| -> Vec<String> {
        out["completions"][i].as_array().unwrap().iter().filter_map(|l| l.as_str().map(String::from)).collect()
    };
    let top = labels(0);
    for key in ["profession", "structure", "rpps", "accepte_nouveaux_patients", "visites_domicile"] {
        assert!(top.contains(&key.to_string()), "top level offers {key}: {top:?}");
    }
    assert!(!top.contains(&"telephone".to_string()), "telephone is a place's, not the member's: {top:?}");
    assert!(!top.contains(&"prenom".to_string()), "keys already written are not offered again: {top:?}");
    let place = labels(1);
    for key in ["telephone", "code_postal", "commune", "horaires", "accessible_pmr"] {
        assert!(place.contains(&key.to_string()), "a place offers {key}: {place:?}");
    }
    assert!(!place.contains(&"profession".to_string()), "{place:?}");

    let hover = out["hovers"][0].as_str().unwrap();
    let description = schema["properties"]["publie"]["description"].as_str().unwrap();
    assert!(hover.contains(description), "hover on publie: {hover}");
    assert!(hover.contains("Publié"), "{hover}");

    let diagnostics = out["diagnostics"].as_array().unwrap();
    let flagged: Vec<&Value> = diagnostics.iter().filter(|d| d["line"] == 2).collect();
    assert!(
        flagged.iter().any(|d| d["message"].as_str().unwrap().contains("telefone")),
        "the wrong key is flagged: {diagnostics:#?}"
    );
}

/// The Decap / Sveltia CMS configuration matches the schemas: one collection per kind, at the
/// kind's place; one field per property and no other (plus the body of Markdown files); each
/// field required exactly when the schema requires it, with a widget fit for the value's type,
/// the schema's choices and pattern. Read back from the YAML written, so the writer is tested too.
#[test]
fn the_cms_configuration_matches_the_schemas() {
    use maillage::schema::cms;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = maillage::model::parse(maillage::source::load(root).0);
    let site = site.expect("the example site");
    let yaml = cms::to_yaml(&cms::config(Some(&site)));
    let config: Value = serde_saphyr::from_str(&yaml).expect("config.yml reads back as YAML");
    assert_eq!(config, cms::config(Some(&site)), "the YAML written says what the configuration says");

    fn check_fields(root: &Value, record: &Value, fields: &Value, at: &str, count: &mut usize) {
        let record = present(root, record);
        let props = record["properties"].as_object().unwrap_or_else(|| panic!("{at}: not a record"));
        let required: BTreeSet<&str> = record
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let fields = fields.as_array().unwrap_or_else(|| panic!("{at}: no fields"));
        let names: BTreeSet<&str> = fields.iter().filter_map(|f| f["name"].as_str()).collect();
        let keys: BTreeSet<&str> = props.keys().map(String::as_str).collect();
        assert_eq!(names, keys, "{at}: fields (left) and properties (right)");
        for f in fields {
            *count += 1;
            let name = f["name"].as_str().unwrap();
            let at = format!("{at}.{name}");
            let p = present(root, &props[name]);
            assert_eq!(f["required"], required.contains(name), "{at}: required");
            assert_eq!(f["label"], props[name]["title"], "{at}: label");
            check_widget(root, p, f, &at, count);
        }
    }
    fn check_widget(root: &Value, p: &Value, f: &Value, at: &str, count: &mut usize) {
        let widget = f["widget"].as_str().unwrap_or_else(|| panic!("{at}: no widget"));
        let ty = match &p["type"] {
            Value::String(t) => t.as_str(),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap(),
            _ => "object",
        };
        let fits: &[&str] = match ty {
            "string" => &["string", "markdown", "select", "datetime", "image", "file"],
            "boolean" => &["boolean"],
            "integer" | "number" => &["number"],
            "array" => &["list"],
            "object" => &["object"],
            other => panic!("{at}: type {other}"),
        };
        assert!(fits.contains(&widget), "{at}: widget {widget} for {ty}");
        let choices: Vec<&Value> = p
            .get("enum")
            .and_then(Value::as_array)
            .map(|e| e.iter().filter(|v| !v.is_null()).collect())
            .unwrap_or_default();
        if widget == "select" || !choices.is_empty() {
            let options: Vec<&Value> = f["options"].as_array().unwrap().iter().map(|o| &o["value"]).collect();
            assert_eq!(options, choices, "{at}: choices");
        }
        match p.get("pattern") {
            Some(pattern) if choices.is_empty() => assert_eq!(&f["pattern"][0], pattern, "{at}: pattern"),
            _ => assert!(f.get("pattern").is_none(), "{at}: a pattern the schema has not"),
        }
        if p.get("format") == Some(&json!("date")) {
            assert_eq!((widget, &f["format"]), ("datetime", &json!("YYYY-MM-DD")), "{at}: date");
        }
        if p.get("x-maillage-markdown") == Some(&json!(true)) {
            assert_eq!(widget, "markdown", "{at}");
        }
        match widget {
            "object" if p.get("properties").is_some() => check_fields(root, p, &f["fields"], at, count),
            "object" => {
                let keys = p["propertyNames"]["enum"].as_array().unwrap();
                let names: Vec<&Value> = f["fields"].as_array().unwrap().iter().map(|s| &s["name"]).collect();
                assert_eq!(names, keys.iter().collect::<Vec<_>>(), "{at}: one field per key");
            }
            "list" => {
                let items = present(root, &p["items"]);
                if items.get("properties").is_some() {
                    check_fields(root, items, &f["fields"], at, count);
                } else {
                    check_widget(root, items, &f["field"], &format!("{at}[]"), count);
                }
                assert_eq!(f.get("min"), p.get("minItems"), "{at}: min");
                assert_eq!(f.get("max"), p.get("maxItems"), "{at}: max");
            }
            _ => {}
        }
    }
    fn present<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
        let node = resolve(root, node);
        match node.get("anyOf").and_then(Value::as_array) {
            Some(b) => b.iter().map(|b| resolve(root, b)).find(|b| b["type"] != "null").unwrap(),
            None => node,
        }
    }

    let collections = config["collections"].as_array().unwrap();
    let mut seen = Vec::new();
    let mut count = 0;
    for collection in collections {
        let entries: Vec<&Value> = match collection.get("files") {
            Some(files) => files.as_array().unwrap().iter().collect(),
            None => vec![collection],
        };
        for entry in entries {
            let kind = Kind::from_name(entry["name"].as_str().unwrap()).expect("a collection per kind");
            seen.push(kind);
            let schema = for_kind(kind, Some(&site));
            let mut fields = entry["fields"].clone();
            if kind.single_file() {
                assert_eq!(entry["file"], kind.folder());
            } else {
                assert_eq!(entry["folder"], kind.folder());
                assert_eq!(entry["extension"], kind.extensions()[0]);
                let format = if kind.front_matter() { "frontmatter" } else { "yaml" };
                assert_eq!(entry["format"], format);
                assert!(schema["properties"].get(entry["identifier_field"].as_str().unwrap()).is_some());
                if kind.front_matter() {
                    let list = fields.as_array_mut().unwrap();
                    let body = list.pop().unwrap();
                    assert_eq!((&body["name"], &body["widget"]), (&json!("body"), &json!("markdown")));
                }
            }
            check_fields(&schema, &schema, &fields, kind.name(), &mut count);
        }
    }
    seen.sort_by_key(|k| k.name());
    let mut all = Kind::ALL.to_vec();
    all.sort_by_key(|k| k.name());
    assert_eq!(seen, all, "one collection per kind");
    assert!(count > 150, "{count} fields checked");
    assert_eq!(config["media_folder"], "content/static/images");
    assert!(root.join(config["media_folder"].as_str().unwrap()).is_dir());
}
