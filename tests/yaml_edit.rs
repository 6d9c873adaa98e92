//! Format-preserving edits on the example site: every value of every YAML and Markdown file is
//! changed in turn, and only that value's lines may differ from the original text. The body of
//! every Markdown file too. Every file of the example must be editable.

use maillage::source::yaml_edit::{EditableFile, Step};
use serde_json::{Value, json};
use std::path::Path;

fn no_order(_: &[Step]) -> Vec<String> {
    Vec::new()
}

/// Paths of every scalar (and flow collection) of a value.
fn leaves(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(o) if !o.is_empty() => {
            for (k, c) in o {
                path.push(Step::Key(k.clone()));
                leaves(c, path, out);
                path.pop();
            }
        }
        Value::Array(a) if !a.is_empty() && !a.iter().all(Value::is_number) => {
            for (i, c) in a.iter().enumerate() {
                path.push(Step::Index(i));
                leaves(c, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at<'v>(v: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// Another value of the same kind.
fn changed(v: &Value) -> Value {
    match v {
        Value::String(s) if s.contains('\n') => Value::String(s.replacen('\n', " modifié\n", 1)),
        Value::String(s) => Value::String(format!("{s} modifié")),
        Value::Bool(b) => Value::Bool(!b),
        Value::Number(n) if n.is_f64() => json!(n.as_f64().unwrap_or(0.0) + 0.5),
        Value::Number(n) => json!(n.as_i64().unwrap_or(0) + 1),
        Value::Array(a) => Value::Array(a.iter().map(changed).collect()),
        Value::Object(_) => json!({"cle": "valeur"}),
        Value::Null => json!("rempli"),
    }
}

/// Every YAML and Markdown file of the example: its name under content/, its text, whether it
/// has front matter.
fn example_files() -> Vec<(String, String, bool)> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "yaml" | "md") {
            let name = path.strip_prefix(&content).unwrap().display().to_string();
            out.push((name, std::fs::read_to_string(path).unwrap(), ext == "md"));
        }
    }
    out
}

/// The lines (0-based, in the old text) where `old` and `new` differ: between their common
/// first and last lines.
fn changed_lines(old: &str, new: &str) -> (usize, usize) {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.split('\n').collect(), new.split('\n').collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count().min(a.len() - prefix);
    (prefix, a.len() - suffix)
}

#[test]
fn every_value_of_every_example_file_is_edited_alone() {
    let mut files = 0;
    let mut edits = 0;
    for (name, text, front) in example_files() {
        let file = EditableFile::parse(&text, front).unwrap_or_else(|e| panic!("{name}: {e}"));
        files += 1;
        let mut paths = Vec::new();
        leaves(file.value(), &mut Vec::new(), &mut paths);
        for p in paths {
            let (first, last) = file.lines_of(&p).unwrap_or_else(|| panic!("{name}: no lines for {p:?}"));
            let mut value = file.value().clone();
            let target = at(&mut value, &p);
            *target = changed(target);
            let mut edited = file.clone();
            edited.set(&value, &no_order).unwrap_or_else(|e| panic!("{name} {p:?}: {e}"));
            let out = edited.text();
            let (from, to) = changed_lines(&text, &out);
            assert!(
                from + 1 >= first as usize && to <= last as usize,
                "{name}: editing {p:?} (lines {first}–{last}) changed lines {}–{to}:\n{out}",
                from + 1
            );
            // And it reads back as intended, the untouched values included.
            let again = EditableFile::parse(&out, front).unwrap();
            assert_eq!(again.value(), &value, "{name} {p:?}");
            edits += 1;
        }
        if let Some(body) = file.body() {
            let mut edited = file.clone();
            edited.set_body(&format!("{body}\nUn paragraphe ajouté.\n"));
            let out = edited.text();
            let (from, _) = changed_lines(&text, &out);
            let body_line = file.body_line().unwrap() as usize;
            assert!(from + 1 >= body_line, "{name}: the body edit changed line {}", from + 1);
            assert!(out.starts_with(&text[..text.len() - body.len()]), "{name}: front matter changed");
        }
    }
    assert!(files > 150, "only {files} files");
    assert!(edits > 2000, "only {edits} edits");
}

#[test]
fn keys_and_items_are_added_and_removed_in_every_example_file() {
    for (name, text, front) in example_files() {
        let file = EditableFile::parse(&text, front).unwrap();
        let Value::Object(top) = file.value() else { panic!("{name}") };
        // Removing the last key removes exactly its lines.
        let Some(last) = top.keys().next_back().cloned().filter(|_| top.len() > 1) else { continue };
        let (first, end) = file.lines_of(&[Step::Key(last.clone())]).unwrap();
        let mut value = file.value().clone();
        value.as_object_mut().unwrap().remove(&last);
        let mut edited = file.clone();
        edited.set(&value, &no_order).unwrap_or_else(|e| panic!("{name}: removing {last}: {e}"));
        let lines: Vec<&str> = text.split('\n').collect();
        let mut expected: Vec<&str> = lines.clone();
        expected.drain(first as usize - 1..end as usize);
        assert_eq!(edited.text(), expected.join("\n"), "{name}: removing {last}");
        // Every list of mappings gets one more item at its end, and loses its first.
        for (k, v) in top {
            let Value::Array(items) = v else { continue };
            if !items.first().is_some_and(Value::is_object) {
                continue;
            }
            let mut value = file.value().clone();
            let list = value[k.as_str()].as_array_mut().unwrap();
            let copy = list[0].clone();
            list.push(copy);
            list.remove(0);
            let mut edited = file.clone();
            edited.set(&value, &no_order).unwrap_or_else(|e| panic!("{name} {k}: {e}"));
            assert_eq!(EditableFile::parse(&edited.text(), front).unwrap().value(), &value, "{name} {k}");
        }
    }
}
