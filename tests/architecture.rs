//! The crate's layering, as ARCHITECTURE.md draws it, checked on the code itself.
//!
//! ARCHITECTURE.md holds a table of floors (between the markers `<!-- floors: begin -->` and
//! `<!-- floors: end -->`): each row a floor number and the files and folders under `src/` that
//! stand on it. This test reads that table and every `src/**/*.rs`, finds each file's references
//! to the crate's modules (`use` trees, `crate::`, `super::`, `self::` and child-module paths in
//! the code, `maillage::` in `main.rs`; comments and string literals are skipped), and fails:
//! - on an import from a file to one standing on a higher floor (a stage reaching a later one);
//! - on any cycle between files (a folder's `mod.rs` re-exporting a child counts as an import, so
//!   a child imports its siblings by their own path, never through the folder's face);
//! - when a file stands on no floor, or the table names something that does not exist.
//!
//! The table is the single statement of the rule: the document cannot drift from the test.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

/// Marks around the floor table in ARCHITECTURE.md.
const BEGIN: &str = "<!-- floors: begin -->";
const END: &str = "<!-- floors: end -->";

/// One floor: its number and the paths under `src/` standing on it (`model/`, `routes.rs`).
#[derive(Debug, Clone, PartialEq)]
struct Floor {
    number: u32,
    places: Vec<String>,
}

/// Reads the floor table: rows `| N | `a/` `b.rs` | … |` between the markers, floors ascending.
fn floors(doc: &str) -> Result<Vec<Floor>, String> {
    let start = doc.find(BEGIN).ok_or(format!("ARCHITECTURE.md has no {BEGIN}"))?;
    let end = doc[start..].find(END).ok_or(format!("ARCHITECTURE.md has no {END} after {BEGIN}"))? + start;
    let mut out: Vec<Floor> = Vec::new();
    for row in doc[start + BEGIN.len()..end].lines().map(str::trim).filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let Some(Ok(number)) = cells.first().map(|c| c.parse::<u32>()) else { continue };
        let places: Vec<String> =
            cells.get(1).unwrap_or(&"").split('`').skip(1).step_by(2).map(str::to_string).collect();
        if places.is_empty() {
            return Err(format!("floor {number} of ARCHITECTURE.md names no file or folder"));
        }
        if out.last().is_some_and(|f| f.number >= number) {
            return Err(format!("the floors of ARCHITECTURE.md must be listed from the ground up (floor {number})"));
        }
        out.push(Floor { number, places });
    }
    if out.is_empty() {
        return Err("the floor table of ARCHITECTURE.md has no rows".to_string());
    }
    Ok(out)
}

/// A token of Rust source, as far as paths are concerned.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Sep,
    Open,
    Close,
    Comma,
    Semi,
    Star,
    Other,
}

/// Splits Rust source into tokens with their line, skipping comments, string, byte-string, raw
/// string and character literals (a lifetime is not a character literal).
fn tokenize(src: &str) -> Vec<(Tok, u32)> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let (mut i, mut line, mut out) = (0, 1u32, Vec::new());
    // Skips a quoted literal opening at `i` (escapes honoured); returns the index after it.
    let quoted = |mut i: usize, line: &mut u32| {
        i += 1;
        while i < c.len() && c[i] != '"' {
            if c[i] == '\\' {
                i += 1;
            }
            if at(i) == '\n' {
                *line += 1;
            }
            i += 1;
        }
        i + 1
    };
    // Skips a raw string whose `#`s start at `i`; returns the index after it.
    let raw = |mut i: usize, line: &mut u32| {
        let mut hashes = 0;
        while at(i) == '#' {
            hashes += 1;
            i += 1;
        }
        i += 1; // the opening quote
        loop {
            if i >= c.len() {
                return i;
            }
            if c[i] == '\n' {
                *line += 1;
            }
            if c[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                return i + 1 + hashes;
            }
            i += 1;
        }
    };
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = quoted(i, &mut line);
        } else if ch == '\'' {
            if at(i + 1) == '\\' {
                i += 3; // the quote, the backslash and the escaped character
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1; // a lifetime or a label: its name follows as an identifier
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            match (word.as_str(), at(i)) {
                ("r" | "br" | "cr", '"') => i = raw(i, &mut line),
                ("r" | "br" | "cr", '#') if matches!(at(i + 1), '#' | '"') => i = raw(i, &mut line),
                ("r", '#') => {
                    // A raw identifier: r#type.
                    let from = i + 1;
                    i = from;
                    while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                        i += 1;
                    }
                    out.push((Tok::Ident(c[from..i].iter().collect()), line));
                }
                ("b" | "c", '"') => i = quoted(i, &mut line),
                ("b", '\'') => {
                    i += if at(i + 1) == '\\' { 3 } else { 1 };
                    while i < c.len() && c[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                }
                _ => out.push((Tok::Ident(word), line)),
            }
        } else if ch.is_ascii_digit() {
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
        } else {
            let tok = match ch {
                ':' if at(i + 1) == ':' => {
                    i += 1;
                    Tok::Sep
                }
                '{' => Tok::Open,
                '}' => Tok::Close,
                ',' => Tok::Comma,
                ';' => Tok::Semi,
                '*' => Tok::Star,
                _ => Tok::Other,
            };
            out.push((tok, line));
            i += 1;
        }
    }
    out
}

/// A path the code names, as written, with its line.
#[derive(Debug, Clone, PartialEq)]
struct Mention {
    line: u32,
    /// The module the mention is made in (inline `mod` blocks included), from the crate root.
    module: Vec<String>,
    /// The path's segments (`super`, `model`, `Site`), a `use` tree expanded.
    path: Vec<String>,
}

/// Expands the `use` tree starting at `toks[*i]` under `prefix`; leaves `*i` after the tree.
fn use_tree(toks: &[(Tok, u32)], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    loop {
        match toks.get(*i).map(|t| &t.0) {
            Some(Tok::Ident(s)) if s == "as" => {
                *i += 2;
                out.push(path);
                return;
            }
            Some(Tok::Ident(s)) if s == "self" && !path.is_empty() => *i += 1,
            Some(Tok::Ident(s)) => {
                path.push(s.clone());
                *i += 1;
            }
            Some(Tok::Sep) => *i += 1,
            Some(Tok::Star) => {
                *i += 1;
                out.push(path);
                return;
            }
            Some(Tok::Open) => {
                *i += 1;
                while !matches!(toks.get(*i).map(|t| &t.0), Some(Tok::Close) | None) {
                    use_tree(toks, i, path.clone(), out);
                    if matches!(toks.get(*i).map(|t| &t.0), Some(Tok::Comma)) {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            _ => {
                out.push(path);
                return;
            }
        }
    }
}

/// Every path of `src` that may name a module of the crate, with the child modules declared
/// (`mod x;` and inline `mod x { … }`) by module. `module` is the file's module path.
fn mentions(src: &str, module: &[String]) -> (Vec<Mention>, BTreeMap<Vec<String>, BTreeSet<String>>) {
    let toks = tokenize(src);
    let ident = |i: usize| match toks.get(i) {
        Some((Tok::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let tok = |i: usize| toks.get(i).map(|t| &t.0);
    let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    // The inline modules open at this point, with the brace depth at which each closes.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let line = toks[i].1;
        let current: Vec<String> = module.iter().cloned().chain(stack.iter().map(|(m, _)| m.clone())).collect();
        match &toks[i].0 {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.saturating_sub(1);
                if stack.last().is_some_and(|(_, d)| *d > depth) {
                    stack.pop();
                }
            }
            Tok::Ident(s) if s == "mod" => {
                if let Some(name) = ident(i + 1) {
                    children.entry(current.clone()).or_default().insert(name.to_string());
                    if tok(i + 2) == Some(&Tok::Open) {
                        depth += 1;
                        stack.push((name.to_string(), depth));
                        i += 3;
                        continue;
                    }
                }
            }
            Tok::Ident(s) if s == "use" && tok(i.wrapping_sub(1)) != Some(&Tok::Sep) => {
                let mut paths = Vec::new();
                i += 1;
                if tok(i) == Some(&Tok::Sep) {
                    i += 1; // `use ::name`: another crate
                    use_tree(&toks, &mut i, vec!["::".to_string()], &mut paths);
                } else {
                    use_tree(&toks, &mut i, Vec::new(), &mut paths);
                }
                out.extend(paths.into_iter().map(|path| Mention { line, module: current.clone(), path }));
                continue;
            }
            Tok::Ident(first) if tok(i + 1) == Some(&Tok::Sep) && tok(i.wrapping_sub(1)) != Some(&Tok::Sep) => {
                let mut path = vec![first.clone()];
                let mut j = i + 1;
                while tok(j) == Some(&Tok::Sep) {
                    match ident(j + 1) {
                        Some(s) => path.push(s.to_string()),
                        None => break,
                    }
                    j += 2;
                }
                out.push(Mention { line, module: current, path });
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (out, children)
}

/// The module path of a file under `src/` (`model/site.rs` → `model::site`), `None` for
/// `main.rs`, the binary's root.
fn module_of(rel: &str) -> Option<Vec<String>> {
    if rel == "main.rs" {
        return None;
    }
    let stem = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    Some(parts)
}

/// An import of one file by another.
#[derive(Debug, Clone)]
struct Edge {
    from: String,
    to: String,
    line: u32,
    written: String,
}

/// The imports between the files of `sources` (paths under `src/` and their text).
fn edges(sources: &BTreeMap<String, String>) -> Vec<Edge> {
    let files: HashMap<Vec<String>, &str> =
        sources.keys().filter_map(|rel| Some((module_of(rel)?, rel.as_str()))).collect();
    let mut out = Vec::new();
    for (rel, text) in sources {
        let module = module_of(rel);
        let (found, children) = mentions(text, module.as_deref().unwrap_or(&[]));
        for m in found {
            let Some(first) = m.path.first() else { continue };
            let rest = || m.path[1..].to_vec();
            let absolute: Vec<String> = match (first.as_str(), module.is_some()) {
                ("crate", true) | ("maillage", false) => rest(),
                ("self", true) => m.module.iter().cloned().chain(rest()).collect(),
                ("super", true) => {
                    let ups = m.path.iter().take_while(|s| *s == "super").count();
                    let base = &m.module[..m.module.len().saturating_sub(ups)];
                    base.iter().cloned().chain(m.path[ups..].iter().cloned()).collect()
                }
                (name, true) if children.get(&m.module).is_some_and(|c| c.contains(name)) => {
                    m.module.iter().cloned().chain(m.path.iter().cloned()).collect()
                }
                _ => continue,
            };
            // The longest leading part of the path that is a file's module.
            let target = (0..=absolute.len()).rev().find_map(|k| files.get(&absolute[..k]).copied());
            if let Some(to) = target.filter(|to| *to != rel) {
                out.push(Edge { from: rel.clone(), to: to.to_string(), line: m.line, written: m.path.join("::") });
            }
        }
    }
    out
}

/// The floor a file stands on: the row naming it, or the folder holding it.
fn floor_of(rel: &str, floors: &[Floor]) -> Option<u32> {
    floors
        .iter()
        .find(|f| f.places.iter().any(|p| rel == p || (p.ends_with('/') && rel.starts_with(p.as_str()))))
        .map(|f| f.number)
}

/// Groups of files that import each other in a loop (Tarjan's strongly connected components).
fn cycles(files: &[&str], edges: &[Edge]) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        next: HashMap<&'a str, Vec<&'a str>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.next.get(v).cloned().unwrap_or_default() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in edges {
        next.entry(e.from.as_str()).or_default().push(e.to.as_str());
    }
    let mut t = Tarjan {
        next,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for f in files {
        if !t.index.contains_key(f) {
            t.visit(f);
        }
    }
    t.found.sort();
    t.found
}

/// Every breach of the layering by `sources` (paths under `src/` and their text), one line each.
fn breaches(sources: &BTreeMap<String, String>, floors: &[Floor]) -> Vec<String> {
    let mut out = Vec::new();
    for f in floors {
        for p in &f.places {
            let exists = sources.keys().any(|k| k == p || (p.ends_with('/') && k.starts_with(p.as_str())));
            if !exists {
                out.push(format!("ARCHITECTURE.md puts `{p}` on floor {} but there is no src/{p}", f.number));
            }
        }
    }
    for rel in sources.keys().filter(|r| floor_of(r, floors).is_none()) {
        out.push(format!("src/{rel} stands on no floor of ARCHITECTURE.md: add it (or its folder) to the table"));
    }
    let edges = edges(sources);
    for e in &edges {
        if let (Some(from), Some(to)) = (floor_of(&e.from, floors), floor_of(&e.to, floors))
            && to > from
        {
            out.push(format!(
                "src/{}:{} imports `{}` (src/{}, floor {to}) from floor {from}: a module imports only from its \
                 floor or below",
                e.from, e.line, e.written, e.to
            ));
        }
    }
    let files: Vec<&str> = sources.keys().map(String::as_str).collect();
    for group in cycles(&files, &edges) {
        let mut text =
            format!("cycle between {}:", group.iter().map(|g| format!("src/{g}")).collect::<Vec<_>>().join(", "));
        // One line per import statement: the names it takes, together.
        let mut lines: BTreeMap<(&str, u32, &str), Vec<&str>> = BTreeMap::new();
        for e in edges.iter().filter(|e| group.contains(&e.from) && group.contains(&e.to)) {
            lines.entry((e.from.as_str(), e.line, e.to.as_str())).or_default().push(e.written.as_str());
        }
        for ((from, line, to), names) in lines {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let _ = write!(text, "\n    src/{from}:{line} imports {} (src/{to})", names.join(", "));
        }
        text.push_str("\n    (inside a folder, import a sibling by its own path, not through the folder's mod.rs)");
        out.push(text);
    }
    out
}

/// Every `.rs` file under `src/`, by path relative to it.
fn read_sources() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("src/ is readable").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&src).expect("under src/").to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).expect("source files are UTF-8"));
            }
        }
    }
    out
}

fn read_floors() -> Vec<Floor> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md at the repository's root");
    floors(&doc).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_crate_keeps_the_floors_of_architecture_md() {
    let found = breaches(&read_sources(), &read_floors());
    assert!(found.is_empty(), "the layering of ARCHITECTURE.md is broken:\n{}", found.join("\n"));
}

#[test]
fn an_import_from_a_later_stage_is_named_with_its_file_and_line() {
    let mut sources = read_sources();
    let model = sources.get_mut("model/mod.rs").expect("src/model/mod.rs");
    model.push_str("\nfn later() {\n    let _ = crate::render::text::typo(\"\");\n}\n");
    let line = model.lines().count() - 1;
    let found = breaches(&sources, &read_floors());
    let expected = format!("src/model/mod.rs:{line} imports `crate::render::text::typo` (src/render/text.rs, floor");
    assert!(found.iter().any(|f| f.starts_with(&expected)), "{expected}… not in {found:#?}");
}

#[test]
fn a_cycle_is_named_with_every_import_that_closes_it() {
    let sources: BTreeMap<String, String> = [
        ("lib.rs", "pub mod a;\npub mod b;\n"),
        ("a/mod.rs", "pub mod x;\npub use x::Thing;\npub struct Other;\n"),
        ("a/x.rs", "use super::Other;\npub struct Thing;\n"),
        ("b.rs", "// use crate::a::Thing;\nconst S: &str = \"crate::a::Thing\";\n"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let floors = vec![
        Floor { number: 1, places: vec!["a/".into(), "b.rs".into()] },
        Floor { number: 2, places: vec!["lib.rs".into()] },
    ];
    let found = breaches(&sources, &floors);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("cycle between src/a/mod.rs, src/a/x.rs:"), "{}", found[0]);
    assert!(found[0].contains("src/a/mod.rs:2 imports `x::Thing` (src/a/x.rs)"), "{}", found[0]);
    assert!(!found[0].contains("src/b.rs"), "{}", found[0]);
    assert!(found[0].contains("src/a/x.rs:1 imports `super::Other` (src/a/mod.rs)"), "{}", found[0]);
}

#[test]
fn paths_are_found_in_use_trees_and_code_but_not_in_comments_or_literals() {
    let src = r##"
use crate::model::{self, Site, vocab::{PROFESSIONS as P}};
use super::*;
mod inner {
    use super::sibling::Thing; // crate::not::this
}
fn f<'a>(x: &'a str) -> char {
    let _ = r#"crate::raw::string"#;
    let _ = b"crate::bytes";
    let _ = '"'; let _ = '\'';
    /* crate::block /* nested */ comment */
    crate::routes::Route::Home;
    'x'
}
"##;
    let (found, children) = mentions(src, &["render".to_string(), "pages".to_string()]);
    let paths: Vec<String> = found.iter().map(|m| format!("{}|{}", m.module.join("::"), m.path.join("::"))).collect();
    assert_eq!(
        paths,
        [
            "render::pages|crate::model",
            "render::pages|crate::model::Site",
            "render::pages|crate::model::vocab::PROFESSIONS",
            "render::pages|super",
            "render::pages::inner|super::sibling::Thing",
            "render::pages|crate::routes::Route::Home",
        ]
    );
    assert!(children[&vec!["render".to_string(), "pages".to_string()]].contains("inner"));
}

#[test]
fn the_floor_table_is_read_from_the_ground_up() {
    let doc = format!(
        "intro\n{BEGIN}\n| floor | where | what |\n|---|---|---|\n| 1 | `a/` `b.rs` | x |\n| 2 | `main.rs` | y |\n{END}\n"
    );
    let f = floors(&doc).unwrap();
    assert_eq!(f[0], Floor { number: 1, places: vec!["a/".into(), "b.rs".into()] });
    assert_eq!(floor_of("a/x.rs", &f), Some(1));
    assert_eq!(floor_of("main.rs", &f), Some(2));
    assert_eq!(floor_of("c.rs", &f), None);
    let reversed = doc.replace("| 1 |", "| 3 |");
    assert!(floors(&reversed).is_err());
}
