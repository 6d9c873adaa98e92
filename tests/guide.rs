//! The coordinator's guide (docs/guide/, embedded in the binary): every key of every content file
//! and every diagnostic code is documented in it, its links hold, and `maillage aide` shows it.
//!
//! The keys come from the JSON Schema of each kind of content file (`maillage::schema`, derived
//! from the very types that parse the files): a key added to the model without a line in the
//! guide fails here.

use maillage::guide::{self, TOPICS};
use maillage::model::keys::{self, Block};
use maillage::schema::{Kind, for_kind};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn topic(slug: &str) -> &'static str {
    TOPICS.iter().find(|t| t.slug == slug).unwrap_or_else(|| panic!("sujet {slug} absent")).markdown
}

/// The keys documented by a topic: the first cell of each table row (`telephone`,
/// `densites_reference.source`), without backticks.
fn documented(markdown: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in markdown.lines().filter(|l| l.starts_with("| `")) {
        let first = line.trim_start_matches('|').split('|').next().unwrap_or("");
        for part in first.split(',') {
            let key = part.trim().trim_matches('`').to_string();
            for piece in key.split('.') {
                out.insert(piece.to_string());
            }
            out.insert(key);
        }
    }
    out
}

/// Every key of `block` that none of `topics` documents, with its path.
fn undocumented(block: &Block, topics: &[&str]) -> Vec<String> {
    let mut known = BTreeSet::new();
    for t in topics {
        known.extend(documented(topic(t)));
    }
    block
        .all()
        .into_iter()
        .filter(|(_, key)| !known.contains(*key))
        .map(|(path, key)| if path.is_empty() { key.to_string() } else { format!("{}.{key}", path.join(".")) })
        .collect()
}

#[test]
fn every_key_of_every_content_file_is_documented() {
    let mut missing = Vec::new();
    for kind in Kind::ALL {
        let topics: &[&str] = match kind {
            Kind::Cpts => &["cpts", "blocs"],
            Kind::Member => &["membres", "blocs"],
            Kind::Action => &["actions", "blocs"],
            Kind::Offer => &["offres", "blocs"],
            Kind::News => &["actualites", "blocs"],
            Kind::Page => &["pages", "blocs"],
            Kind::Resource => &["ressources", "blocs"],
            Kind::Document => &["documents"],
            Kind::Contacts => &["contacts"],
            Kind::Indicators => &["indicateurs"],
        };
        let block = keys::from_schema(&for_kind(kind, None));
        let file = kind.name();
        assert!(block.all().len() >= 3, "{file} : le schéma n’a pas de clés ({block:?})");
        for key in undocumented(&block, topics) {
            missing.push(format!("{file} {key} (sujets {})", topics.join(", ")));
        }
    }
    assert!(missing.is_empty(), "clés absentes du guide :\n{}", missing.join("\n"));
}

#[test]
fn the_check_finds_a_key_the_guide_forgets() {
    let block = keys::from_schema(&for_kind(Kind::Member, None));
    let without_lieux = topic("membres").replace("| `telephone`", "| telephone");
    let mut known = documented(&without_lieux);
    known.extend(documented(topic("membres")).into_iter().filter(|k| k != "telephone"));
    let blocs = topic("blocs").replace("| `telephone`", "| telephone");
    known.extend(documented(&blocs));
    let forgotten: Vec<String> =
        block.all().into_iter().filter(|(_, k)| !known.contains(*k)).map(|(_, k)| k.to_string()).collect();
    assert_eq!(forgotten, ["telephone"]);
}

/// Every code `"M…"` written in the sources.
fn codes_in_sources() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in walkdir::WalkDir::new(src).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (i, _) in text.match_indices("\"M") {
            let code = &text.as_bytes()[i + 1..];
            if code.len() > 5 && code[1..4].iter().all(u8::is_ascii_digit) && code[4] == b'"' {
                out.insert(String::from_utf8_lossy(&code[..4]).into_owned());
            }
        }
    }
    out
}

#[test]
fn every_code_has_its_section_and_its_line_in_the_table() {
    let errors = topic("erreurs");
    let codes = codes_in_sources();
    assert!(codes.len() > 40, "{codes:?}");
    for code in &codes {
        assert!(errors.contains(&format!("\n## {code} — ")), "{code} : pas de section « ## {code} — » dans erreurs.md");
        assert!(errors.contains(&format!("\n| {code} | ")), "{code} : absent du tableau récapitulatif d’erreurs.md");
        assert_eq!(
            guide::code_address(code).as_deref(),
            Some(format!("/_guide/erreurs/#{}", code.to_lowercase()).as_str())
        );
    }
}

#[test]
fn the_files_of_the_guide_are_its_topics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guide");
    let files: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .collect();
    let topics: BTreeSet<String> = TOPICS.iter().map(|t| t.slug.to_string()).collect();
    assert_eq!(files, topics);
}

#[test]
fn links_between_topics_lead_somewhere() {
    let anchors = |markdown: &str| -> BTreeSet<String> {
        let mut used = BTreeSet::new();
        let mut in_code = false;
        for line in markdown.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            if in_code || !line.starts_with('#') {
                continue;
            }
            let text = line.trim_start_matches('#').trim().replace('`', "");
            let mut anchor = guide::html::anchor(&text);
            let base = anchor.clone();
            let mut n = 0;
            while used.contains(&anchor) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
            used.insert(anchor);
        }
        used
    };
    let mut broken = Vec::new();
    for t in TOPICS {
        let links = pulldown_cmark::Parser::new_ext(t.markdown, pulldown_cmark::Options::ENABLE_TABLES).filter_map(
            |e| match e {
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
                _ => None,
            },
        );
        for target in links {
            let target = target.as_str();
            if target.starts_with("http") || target.starts_with("mailto:") || target.starts_with("../") {
                continue;
            }
            let (file, anchor) = target.split_once('#').map_or((target, None), |(f, a)| (f, Some(a)));
            let to = if file.is_empty() { Some(t) } else { TOPICS.iter().find(|o| format!("{}.md", o.slug) == file) };
            let is_code = |a: &str| a.len() == 4 && a.starts_with('m') && a[1..].bytes().all(|b| b.is_ascii_digit());
            let found = match (to, anchor) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(to), Some(a)) if is_code(a) => to.markdown.contains(&format!("\n## {} — ", a.to_uppercase())),
                (Some(to), Some(a)) => anchors(to.markdown).contains(a),
            };
            if !found {
                broken.push(format!("{} → {target}", t.slug));
            }
        }
    }
    assert!(broken.is_empty(), "liens cassés :\n{}", broken.join("\n"));
}

fn maillage(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_maillage")).args(args).env_remove("NO_COLOR").output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

#[test]
fn aide_lists_shows_finds_codes_and_suggests() {
    let (code, list, _) = maillage(&["aide"]);
    assert_eq!(code, 0);
    for t in TOPICS {
        assert!(list.contains(&format!("  {}", t.slug)), "{}\n{list}", t.slug);
    }
    let (code, members, _) = maillage(&["aide", "membres"]);
    assert_eq!(code, 0);
    assert!(members.starts_with("`membres/` — professionnels et structures\n"), "{members}");
    assert!(members.contains("• `accepte_nouveaux_patients`"), "{members}");
    assert!(members.contains("(maillage aide blocs)"), "{members}");
    let (code, section, _) = maillage(&["aide", "m064"]);
    assert_eq!(code, 0);
    assert!(section.starts_with("M064 — "), "{section}");
    assert!(!section.contains("M070"), "une seule section : {section}");
    let (code, out, err) = maillage(&["aide", "membrse"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "erreur\u{a0}: aucun sujet «\u{a0}membrse\u{a0}» dans le guide\nVouliez-vous dire «\u{a0}maillage aide membres\u{a0}» (membres/ — professionnels et structures)\u{202f}?\n"
    );
}
