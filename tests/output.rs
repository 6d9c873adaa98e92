//! The write stage seen from outside: a failed build changes nothing, unchanged files are not
//! rewritten, and a folder Maillage did not create is never touched.

mod common;

use common::*;
use maillage::BuildError;
use maillage::output::{MARKER, WriteError};
use std::fs;
use std::path::Path;

/// Sibling folders the write stage uses (`.public.maillage-staging`…); none may outlive a build.
fn leftovers(out: &Path) -> Vec<String> {
    let parent = out.parent().unwrap();
    fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("maillage-"))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let s = site(&[]);
    build(s.path());
    let out = public(s.path());
    age_files(&out);
    let before = read_tree(&out);
    let times = mtimes(&out);
    assert!(before.len() > 20);

    // Line 15: a key the member format does not have.
    let broken = format!("{MEMBER_YAML}specialitee: Cardiologie\n");
    write(s.path(), MEMBER_PATH, &broken);
    match maillage::build(&opts(s.path(), &out)) {
        Err(BuildError::Content(d)) => {
            let errors: Vec<_> =
                d.iter().filter(|d| d.is_error()).map(|d| (d.file.as_str(), d.line, d.column, d.code)).collect();
            assert_eq!(errors, vec![(MEMBER_PATH, 15, 1, "M013")], "{d:#?}");
            assert_eq!(d[0].message, "clé inconnue « specialitee »");
            assert_eq!(d[0].hint.as_deref(), Some("vouliez-vous dire « specialite » ?"));
        }
        other => panic!("attendu une erreur de contenu, obtenu {other:?}"),
    }
    let after = read_tree(&out);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    assert!(before == after, "le contenu de la sortie a changé");
    assert_eq!(times, mtimes(&out), "des fichiers ont été réécrits");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let s = site(&[]);
    let first = build(s.path());
    let out = public(s.path());
    let files = read_tree(&out).len() - 1; // without the marker
    assert_eq!(first.stats.written, files);
    let old = age_files(&out);

    let second = build(s.path());
    assert_eq!(second.stats.written, 0, "{:?}", second.stats);
    assert_eq!(second.stats.unchanged, files);
    assert_eq!(second.stats.removed, 0);
    assert_eq!(fs::metadata(out.join("index.html")).unwrap().modified().unwrap(), old);
    assert!(mtimes(&out).iter().filter(|(k, _)| k.as_str() != MARKER).all(|(_, t)| *t == old));
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn changing_a_phone_rewrites_only_the_pages_that_show_it() {
    let s = site(&[]);
    build(s.path());
    let out = public(s.path());
    let files = read_tree(&out).len() - 1;
    let old = age_files(&out);
    let before = read_tree(&out);

    write(
        s.path(),
        MEMBER_PATH,
        &replace_once(MEMBER_YAML, "telephone: \"04 94 00 00 01\"", "telephone: 04.94.12.34.56"),
    );
    let report = build(s.path());
    let after = read_tree(&out);
    let changed: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert_eq!(report.stats.written, changed.len(), "{changed:?}");
    // The member's page, the lists that show its phone (directory, profession, commune, care),
    // the directory's search index, and the open-data exports of the directory.
    assert_eq!(
        changed,
        [
            "annuaire/claire-exemple/index.html",
            "annuaire/commune/le-luc/index.html",
            "annuaire/index.html",
            "annuaire/index.json",
            "annuaire/profession/medecin-generaliste/index.html",
            "donnees/annuaire.csv",
            "donnees/annuaire.json",
            "soins/index.html",
        ]
    );
    assert_eq!(report.stats.unchanged, files - report.stats.written);
    assert_eq!(report.stats.removed, 0);
    for k in ["404.html", "mentions-legales/index.html", "style.css", "sitemap.xml"] {
        assert!(!changed.iter().any(|c| c.as_str() == k), "{k} réécrit");
        assert_eq!(fs::metadata(out.join(k)).unwrap().modified().unwrap(), old, "{k}");
    }

    let page = read(&out, "annuaire/claire-exemple/index.html");
    assert!(page.contains("04\u{a0}94\u{a0}12\u{a0}34\u{a0}56"), "numéro mal affiché :\n{page}");
    assert!(page.contains("href=\"tel:+33494123456\""), "{page}");
    assert!(!page.contains("04\u{a0}94\u{a0}00\u{a0}00\u{a0}01"), "ancien numéro encore affiché");
    assert!(!page.contains("04.94.12.34.56"), "numéro non normalisé");
}

#[test]
fn a_removed_member_page_is_removed_from_the_output() {
    let second = "content/membres/marc-second.yaml";
    let yaml =
        replace_once(&replace_once(MEMBER_YAML, "prenom: Claire", "prenom: Marc"), "rpps: \"10000000009\"\n", "");
    let s = site(&[(second, &yaml)]);
    build(s.path());
    let out = public(s.path());
    assert!(out.join("annuaire/marc-second/index.html").is_file());
    fs::remove_file(s.path().join(second)).unwrap();
    let report = build(s.path());
    assert_eq!(report.stats.removed, 1, "{:?}", report.stats);
    assert!(!out.join("annuaire/marc-second").exists());
}

#[test]
fn a_folder_maillage_did_not_create_is_never_touched() {
    let s = site(&[]);
    let out = s.path().join("docs");
    fs::create_dir_all(out.join("sous-dossier")).unwrap();
    fs::write(out.join("precieux.txt"), "à garder").unwrap();
    fs::write(out.join("sous-dossier/notes.md"), "mes notes").unwrap();
    let before = read_tree(&out);

    match maillage::build(&opts(s.path(), &out)) {
        Err(BuildError::Write(WriteError::NotOurs(p))) => assert_eq!(p, out),
        other => panic!("attendu un refus d’écrire, obtenu {other:?}"),
    }
    assert!(before == read_tree(&out), "le dossier de l’utilisateur a changé");
    assert!(!out.join(MARKER).exists());
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn an_empty_folder_is_used_and_marked() {
    let s = site(&[]);
    let out = s.path().join("vide");
    fs::create_dir_all(&out).unwrap();
    build_into(s.path(), &out);
    assert!(out.join(MARKER).is_file());
    assert!(out.join("index.html").is_file());
}

fn build_into(root: &Path, out: &Path) {
    if let Err(e) = maillage::build(&opts(root, out)) {
        panic!("{e:?}");
    }
}
