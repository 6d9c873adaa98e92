//! The quick YAML reader reads what it accepts exactly as serde-saphyr does (values, and the line
//! and column of every placed value), and accepts the plain YAML the content files are written in.

mod common;

use maillage::model::{
    ActionMeta, ContactsFile, Cpts, DocumentFile, IndicatorsFile, MemberFile, NewsMeta, OfferMeta, PageMeta,
};
use maillage::model::{ResourceFile, S};
use maillage::source::quick_yaml;
use maillage::source::split_front_matter;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::path::Path;

/// What the quick reader made of `yaml`: `Some(true)` when it read it as serde-saphyr does,
/// `None` when it gave up; panics when it read something else.
fn same_as_full<T: DeserializeOwned + Debug>(name: &str, yaml: &str) -> Option<bool> {
    let quick: T = quick_yaml::decode(yaml)?;
    let full: Result<T, _> = serde_saphyr::from_str(yaml);
    match full {
        Ok(full) => assert_eq!(format!("{quick:#?}"), format!("{full:#?}"), "{name}: quick reader differs:\n{yaml}"),
        Err(e) => panic!("{name}: quick reader accepted what serde-saphyr refuses ({e}):\n{yaml}"),
    }
    Some(true)
}

/// The YAML of a content file, padded as the model decodes it, and its record type's checker.
fn check_file(rel: &str, text: &str) -> Option<bool> {
    let front;
    let yaml = if rel.ends_with(".md") {
        front = split_front_matter(rel, text).ok()?.padded_yaml();
        front.as_str()
    } else {
        text
    };
    let dir = rel.split('/').nth(1).unwrap_or("");
    match dir {
        "membres" => same_as_full::<MemberFile>(rel, yaml),
        "actions" => same_as_full::<ActionMeta>(rel, yaml),
        "offres" => same_as_full::<OfferMeta>(rel, yaml),
        "actualites" => same_as_full::<NewsMeta>(rel, yaml),
        "pages" => same_as_full::<PageMeta>(rel, yaml),
        "ressources" => same_as_full::<ResourceFile>(rel, yaml),
        "documents" => same_as_full::<DocumentFile>(rel, yaml),
        "cpts.yaml" => same_as_full::<Cpts>(rel, yaml),
        "contacts.yaml" => same_as_full::<ContactsFile>(rel, yaml),
        "indicateurs.yaml" => same_as_full::<IndicatorsFile>(rel, yaml),
        _ => panic!("unexpected content file {rel}"),
    }
}

/// The example's YAML and Markdown content files (not `static/`), by path from the project.
fn content_files() -> Vec<(String, String)> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    common::read_tree(&content)
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with("static/") && (rel.ends_with(".yaml") || rel.ends_with(".md")))
        .map(|(rel, bytes)| (format!("content/{rel}"), String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

#[test]
fn every_content_file_of_the_example_reads_as_with_serde_saphyr() {
    let files = content_files();
    assert!(files.len() > 50, "the example has its content files");
    let mut accepted = 0;
    for (rel, text) in &files {
        if check_file(rel, text).is_some() {
            accepted += 1;
        } else {
            assert!(!rel.contains("/membres/"), "{rel}: the quick reader gave up on a member file");
        }
    }
    // Members, actions, offers, news: the bulk of any territory is plain YAML.
    assert!(accepted * 10 >= files.len() * 9, "only {accepted} of {} files read by the quick reader", files.len());
}

/// Values written in every way a coordinator might, put in place of the example's values: the
/// quick reader either gives up or reads them as serde-saphyr does.
#[test]
fn tricky_values_read_as_with_serde_saphyr_or_not_at_all() {
    let values = [
        "Dupont",
        "\"Dupont\"",
        "'Dupont'",
        "'l''Argens'",
        "\"dit \\\"le Doc\\\"\"",
        "\"a\\nb\"",
        "\"\\u00e9t\\u00e9\"",
        "''",
        "\"\"",
        "~",
        "null",
        "Null",
        "yes",
        "No",
        "on",
        "true",
        "True",
        "FALSE",
        "0",
        "06000",
        "83510",
        "-5",
        "+5",
        "1e3",
        "0x1F",
        "12.50",
        ".5",
        "1_000",
        ".inf",
        "2026-10-14",
        "14:30",
        "9 h 30 – 12 h",
        "a: b",
        "a:b",
        "fin:",
        "C# et F#",
        "texte # commentaire",
        "texte#pas un commentaire",
        "https://exemple.fr/a?b=c#d",
        "[a, b]",
        "[\"a, b\", 'c']",
        "[]",
        "[a, b,]",
        "{a: b}",
        "&ancre valeur",
        "*ancre",
        "!!str 12",
        "|\n  ligne un\n  ligne deux\n",
        "|-\n  ligne un\n\n  ligne deux\n\n",
        "|+\n  un\n\n",
        ">\n  plié\n  ici\n\n  second\n",
        ">-\n  un\n    plus retiré\n  deux\n",
        "|2\n  explicite\n",
        "- a\n  - b",
        "\"ouvert",
        "'ouvert",
        "« guillemets » français",
        "Émile – élève ; très « bien » !",
        "   espaces   ",
        "@arobase",
        "`accent`",
        "%pourcent",
        "- entrée",
        "?",
        "-",
    ];
    let base = content_files();
    let members: Vec<&(String, String)> = base.iter().filter(|(rel, _)| rel.contains("/membres/")).take(3).collect();
    let mut accepted = 0;
    let mut accepted_crlf = 0;
    let mut tried = 0;
    for (rel, text) in members {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some((key, _)) = line.split_once(": ") else { continue };
            for value in values {
                let mut doc: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                doc[i] = format!("{key}: {value}");
                let yaml = doc.join("\n") + "\n";
                tried += 1;
                if same_as_full::<MemberFile>(rel, &yaml).is_some() {
                    accepted += 1;
                }
                // Saved on Windows.
                if same_as_full::<MemberFile>(rel, &yaml.replace('\n', "\r\n")).is_some() {
                    accepted_crlf += 1;
                }
                // The same document decoded into generic values: types follow YAML's own rules.
                let _ = same_as_full::<std::collections::BTreeMap<String, Generic>>(rel, &yaml);
            }
        }
    }
    assert!(accepted > tried / 4, "{accepted} of {tried} variants read by the quick reader");
    assert_eq!(accepted_crlf, accepted, "line ends do not change what the quick reader reads");
}

/// A value of any YAML type, to check the reader's own typing of plain scalars.
#[derive(Debug, serde::Deserialize, PartialEq)]
#[serde(untagged)]
enum Generic {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Generic>),
    Map(std::collections::BTreeMap<String, Generic>),
    Null(()),
}

#[test]
fn places_are_those_of_the_values() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Placed {
        nom: S<String>,
        liste: S<Vec<S<String>>>,
        lieux: Vec<Inner>,
        texte: S<String>,
        suite: S<String>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        commune: S<String>,
        coordonnees: S<[f64; 2]>,
    }
    let yaml = "# en-tête\nnom: \"Élise\"   # commentaire\nliste: [un, 'deux', \"trois\"]\nlieux:\n  - commune: \"83148\"\n    coordonnees: [43.4, 6.4]\n  -   commune: Vidauban\n      coordonnees: [1, 2.5]\ntexte: >-\n  Ligne\n  suite\n\nsuite: fin\n";
    let quick: Placed = quick_yaml::decode(yaml).expect("plain YAML");
    assert_eq!((quick.nom.line, quick.nom.column), (2, 6));
    assert_eq!((quick.lieux[1].commune.line, quick.lieux[1].commune.column), (7, 16));
    assert_eq!(quick.texte.value, "Ligne suite");
    assert!(same_as_full::<Placed>("places", yaml).is_some());
}

#[test]
fn what_it_does_not_know_is_left_to_the_full_decoder() {
    for yaml in [
        "nom: a\nnom: b\n",
        "nom: &a x\nprenom: *a\n",
        "nom:\tx\n",
        "---\nnom: x\n",
        "nom: x\n  suite\n",
        "nom: \"ouvert\n  fermé\"\n",
        "  nom: x\n",
        "nom: {a: 1}\n",
        "nom: x\rprenom: y\n",
        // Outside YAML's printable set, even in a comment (found by fuzzing: U+0089).
        "# \u{89}crivez\nnom: x\n",
        "nom: x \u{9f}\n",
        "nom: x\u{fffe}\n",
        &format!("nom:\n{}x\n", "- ".repeat(100_000)),
    ] {
        assert!(quick_yaml::decode::<std::collections::BTreeMap<String, String>>(yaml).is_none(), "{yaml:?}");
    }
}

#[test]
fn a_pair_with_a_third_item_is_left_to_the_full_decoder() {
    // Found by fuzzing: the quick reader took the first two numbers of a three-number
    // `coordonnees` and dropped the third, where serde-saphyr refuses the file with its place.
    let three = "coordonnees: [43.3928, 6.3, 6.5647]\n";
    assert!(quick_yaml::decode::<std::collections::BTreeMap<String, (f64, f64)>>(three).is_none());
    let two = "coordonnees: [43.3928, 6.3]\n";
    assert_eq!(same_as_full::<std::collections::BTreeMap<String, (f64, f64)>>("pair", two), Some(true));
}
