//! Shared helpers for the integration tests: small sites declared inline (like Hugo's
//! integration tests), builds with a fixed date, and readers for the generated output.
//!
//! Each test binary uses only part of this module.
#![allow(dead_code)]

use jiff::civil::Date;
use maillage::{BuildError, BuildOptions, BuildReport};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The day every test builds for.
pub(crate) const TODAY: Date = jiff::civil::date(2026, 11, 22);

/// Public address of the minimal site.
pub(crate) const SITE_URL: &str = "https://www.cpts-test.fr";

/// `content/cpts.yaml` of the minimal site: two communes (Le Luc 83073, Vidauban 83148). Its
/// undated facts count as current (`fraicheur.sans_date: a_jour`), so that tests of other things
/// need no dates; tests/freshness.rs dates its own.
pub(crate) const CPTS_YAML: &str = r#"nom: CPTS des Tests
nom_court: CPTS Tests
description: Une CPTS minimale pour les tests.
association:
  rna: "W831000001"
  siege: 1 place de la Mairie, 83340 Le Luc
  directeur_publication: Présidente de la CPTS
contact:
  adresse: 1 place de la Mairie, 83340 Le Luc
  telephone: "04 94 00 00 00"
  courriel: contact@cpts-test.fr
territoire:
  departement: "83"
  communes:
    - insee: "83073"
      nom: Le Luc
      centre: [43.3947, 6.3131]
    - insee: "83148"
      nom: Vidauban
      centre: [43.4272, 6.4325]
hebergeur:
  nom: Hébergeur Test
  adresse: 2 rue du Serveur, 75000 Paris
  telephone: "01 45 00 12 34"
accessibilite:
  statut: non-conforme
fraicheur:
  sans_date: a_jour
site:
  url: https://www.cpts-test.fr
"#;

/// `content/contacts.yaml` of the minimal site.
pub(crate) const CONTACTS_YAML: &str = r#"categories:
  - nom: Urgences vitales
    urgent: true
    numeros:
      - nom: SAMU
        numero: "15"
      - nom: Numéro d'urgence européen
        numero: "112"
"#;

/// The one member of the minimal site, `content/membres/claire-exemple.yaml`.
pub(crate) const MEMBER_PATH: &str = "content/membres/claire-exemple.yaml";
/// Its content; the phone is on line 12.
pub(crate) const MEMBER_YAML: &str = r#"civilite: Mme
titre: Dr
prenom: Claire
nom: Exemple
profession: medecin-generaliste
rpps: "10000000009"
exercice: liberal
lieux:
  - adresse: 2 rue des Écoles
    code_postal: "83340"
    commune: "83073"
    telephone: "04 94 00 00 01"
accepte_nouveaux_patients: true
publie: true
"#;

/// The files of the minimal valid site.
pub(crate) fn base_files() -> Vec<(&'static str, &'static str)> {
    vec![("content/cpts.yaml", CPTS_YAML), ("content/contacts.yaml", CONTACTS_YAML), (MEMBER_PATH, MEMBER_YAML)]
}

/// Writes a file under `root`, creating its folders.
pub(crate) fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
}

/// A minimal valid site in a temporary folder, with `files` (path relative to the site root,
/// content) added or replacing the base ones.
pub(crate) fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut all: BTreeMap<&str, &str> = base_files().into_iter().collect();
    for (path, text) in files {
        all.insert(path, text);
    }
    for (path, text) in all {
        write(dir.path(), path, text);
    }
    dir
}

/// `text` with `from` replaced by `to`, checking `from` occurs exactly once.
pub(crate) fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "« {from} » doit apparaître une fois dans :\n{text}");
    text.replacen(from, to, 1)
}

/// Build options for a site root and an output folder, built for [`TODAY`].
pub(crate) fn opts(root: &Path, output: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        base_url: None,
        drafts: false,
        today: TODAY,
        production: false,
    }
}

/// The default output folder of a site: `ROOT/public`.
pub(crate) fn public(root: &Path) -> PathBuf {
    root.join("public")
}

/// Builds `root` into `ROOT/public` for `today`, panicking with the diagnostics on failure.
pub(crate) fn build_at(root: &Path, today: Date) -> BuildReport {
    let mut o = opts(root, &public(root));
    o.today = today;
    match maillage::build(&o) {
        Ok(r) => r,
        Err(BuildError::Content(d)) => panic!("la construction a échoué :\n{d:#?}"),
        Err(e) => panic!("la construction a échoué : {e}"),
    }
}

/// Builds `root` into `ROOT/public` for [`TODAY`].
pub(crate) fn build(root: &Path) -> BuildReport {
    build_at(root, TODAY)
}

/// Every file under `dir` (the `.maillage-build` marker included), by `/`-separated relative
/// path, with its bytes.
pub(crate) fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                out.insert(rel(dir, &path), fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Modification times of every file under `dir`.
pub(crate) fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    read_tree(dir)
        .into_keys()
        .map(|k| {
            let t = fs::metadata(dir.join(&k)).unwrap().modified().unwrap();
            (k, t)
        })
        .collect()
}

/// Sets the modification time of every file under `dir` to a fixed day in the past, so that
/// any rewrite is visible whatever the file system's timestamp granularity.
pub(crate) fn age_files(dir: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    for k in read_tree(dir).into_keys() {
        let f = fs::OpenOptions::new().write(true).open(dir.join(&k)).unwrap();
        f.set_modified(old).unwrap();
    }
    old
}

fn rel(root: &Path, path: &Path) -> String {
    let r = path.strip_prefix(root).unwrap();
    r.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Reads an output file as text.
pub(crate) fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("lecture de {rel} : {e}"))
}

/// The HTML files of an output tree.
pub(crate) fn html_files(tree: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    tree.keys().filter(|k| k.ends_with(".html")).cloned().collect()
}

/// Decodes the character references MiniJinja and pulldown-cmark write in attributes
/// (`&#x2f;`, `&amp;`…).
pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ if name.starts_with("#x") || name.starts_with("#X") => {
                u32::from_str_radix(&name[2..], 16).ok().and_then(char::from_u32)
            }
            _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The decoded values of every `attr="…"` (or `attr='…'`) in an HTML text.
pub(crate) fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!("{attr}={quote}");
        let mut from = 0;
        while let Some(i) = html[from..].find(&needle) {
            let start = from + i;
            let value_start = start + needle.len();
            from = value_start;
            // Only real attributes: preceded by white space inside a tag.
            if !html[..start].ends_with(|c: char| c.is_whitespace()) {
                continue;
            }
            if let Some(len) = html[value_start..].find(quote) {
                out.push(decode_entities(&html[value_start..value_start + len]));
            }
        }
    }
    out
}

/// Every tag (`<…>`) of an HTML text, as written.
pub(crate) fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The decoded `href` of every `<link>` tag.
pub(crate) fn link_tag_hrefs(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|t| t.starts_with("<link ") || t.starts_with("<link\n"))
        .flat_map(|t| attr_values(t, "href"))
        .collect()
}

/// Root-relative links (`/…`, not `//…`) of every `href` and `src`, query and fragment removed.
pub(crate) fn internal_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for v in attr_values(html, "href").into_iter().chain(attr_values(html, "src")) {
        if v.starts_with('/') && !v.starts_with("//") {
            let end = v.find(['?', '#']).unwrap_or(v.len());
            out.push(v[..end].to_string());
        }
    }
    out
}

/// The output file a root-relative link resolves to (`/x/` → `x/index.html`).
pub(crate) fn link_target(link: &str) -> String {
    let rel = link.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
}

/// Host of an absolute or protocol-relative URL, if it has one.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = if let Some(r) = url.strip_prefix("//") {
        r
    } else {
        let (scheme, r) = url.split_once("://")?;
        if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
            return None;
        }
        r
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(rest[..end].to_ascii_lowercase())
}

/// Root-relative internal links of a page (decoded), for "is X listed on this page".
pub(crate) fn links_of(dir: &Path, page: &str) -> BTreeSet<String> {
    internal_links(&read(dir, page)).into_iter().collect()
}

/// A tag's name and attributes (names lower-cased, values decoded), read the way a browser
/// would: quoted values may hold anything.
pub(crate) fn parse_tag(tag: &str) -> (String, Vec<(String, String)>) {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let chars: Vec<char> = inner.chars().collect();
    let mut i = 0;
    let mut name = String::new();
    while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '/' {
        name.push(chars[i].to_ascii_lowercase());
        i += 1;
    }
    let mut attrs = Vec::new();
    loop {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut attr = String::new();
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            attr.push(chars[i].to_ascii_lowercase());
            i += 1;
        }
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let q = chars[i];
                i += 1;
                while i < chars.len() && chars[i] != q {
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && !chars[i].is_whitespace() {
                    value.push(chars[i]);
                    i += 1;
                }
            }
        }
        attrs.push((attr, decode_entities(&value)));
    }
    (name, attrs)
}

/// A site with one mistake in each of six files. Returns the site and the expected
/// `(file, line, column, code)` of every diagnostic, sorted as Maillage sorts them.
pub(crate) fn faulty_site() -> (tempfile::TempDir, Vec<(&'static str, u32, u32, &'static str)>) {
    // Line 5: a profession that does not exist.
    let profession = replace_once(
        &replace_once(MEMBER_YAML, "profession: medecin-generaliste", "profession: plombier"),
        "rpps: \"10000000009\"\n",
        "rpps: \"10000000017\"\n",
    );
    // Line 11: a commune outside the territory (Draguignan).
    let commune = replace_once(
        &replace_once(MEMBER_YAML, "commune: \"83073\"", "commune: \"83050\""),
        "rpps: \"10000000009\"\n",
        "rpps: \"10000000025\"\n",
    );
    // Line 6: a RPPS number whose Luhn key is wrong.
    let rpps = replace_once(MEMBER_YAML, "rpps: \"10000000009\"", "rpps: \"10000000001\"");
    // No `publie`: required. The position given is the first line of the block (line 1).
    let missing = replace_once(&replace_once(MEMBER_YAML, "publie: true\n", ""), "rpps: \"10000000009\"\n", "");
    // Line 6 of the file (line 5 of the front matter): 30 February.
    let date = "---\ntitre: Dépistage\nresume: Un dépistage.\nseances:\n  - lieu: Salle des fêtes\n    date: 2027-02-30\n    commune: \"83073\"\n---\nCorps.\n";
    // Line 5: a referent with no member file.
    let referent = "---\ntitre: Vaccination\nresume: Une campagne.\nreferents:\n  - claire-exempel\nseances:\n  - date: 2027-01-15\n    lieu: Salle des fêtes\n    commune: \"83073\"\n---\nCorps.\n";
    let s = site(&[
        ("content/membres/a-profession.yaml", &profession),
        ("content/membres/b-commune.yaml", &commune),
        ("content/membres/c-rpps.yaml", &rpps),
        ("content/membres/d-manque.yaml", &missing),
        ("content/actions/date.md", date),
        ("content/actions/referent.md", referent),
    ]);
    let expected = vec![
        ("content/actions/date.md", 6, 11, "M015"),
        ("content/actions/referent.md", 5, 5, "M041"),
        ("content/membres/a-profession.yaml", 5, 13, "M052"),
        ("content/membres/b-commune.yaml", 11, 14, "M040"),
        ("content/membres/c-rpps.yaml", 6, 7, "M030"),
        ("content/membres/d-manque.yaml", 1, 1, "M014"),
    ];
    (s, expected)
}

/// Every JSON-LD object of a page, parsed: a page writes its objects in one block, in `@graph`;
/// each is given the graph's `@context`, which applies to all of them.
pub(crate) fn jsonld_objects(html: &str) -> Vec<serde_json::Value> {
    let blocks =
        html.split("<script type=\"application/ld+json\">").skip(1).filter_map(|s| s.split("</script>").next());
    let mut objects = Vec::new();
    for text in blocks {
        let block: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON-LD illisible ({e}) : {text}"));
        match block.get("@graph").and_then(|g| g.as_array()) {
            Some(graph) => objects.extend(graph.iter().map(|o| {
                let mut o = o.clone();
                if let (Some(map), Some(context)) = (o.as_object_mut(), block.get("@context")) {
                    map.insert("@context".to_string(), context.clone());
                }
                o
            })),
            None => objects.push(block),
        }
    }
    objects
}

/// `count` nurses practising in Le Luc, `content/membres/infirmier-NNN.yaml` named
/// « Inès Infirmier NNN » (so they sort by NNN, after Claire Exemple's group), each with its
/// own valid RPPS: enough of them to fill the directory's list pages.
pub(crate) fn nurses(count: usize) -> Vec<(String, String)> {
    (0..count)
        .map(|i| {
            let path = format!("content/membres/infirmier-{i:03}.yaml");
            let yaml = format!(
                "civilite: Mme\nprenom: Inès\nnom: Infirmier {i:03}\nprofession: infirmier\nrpps: \"{}\"\nexercice: liberal\nlieux:\n  - adresse: {} rue des Soins\n    code_postal: \"83340\"\n    commune: \"83073\"\n    telephone: \"04 94 10 {:02} {:02}\"\npublie: true\n",
                rpps(20_000_000 + i as u64),
                i + 1,
                i / 100,
                i % 100
            );
            (path, yaml)
        })
        .collect()
}

/// The RPPS number `8000…` + `serial` with its Luhn check digit (11 digits).
pub(crate) fn rpps(serial: u64) -> String {
    let body = format!("{:010}", 8_000_000_000 + serial);
    // Luhn: from the right of the full number, every second digit doubled, the check digit first.
    let sum: u32 = body
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap_or(0);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}
