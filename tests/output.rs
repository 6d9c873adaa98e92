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
    // The marker is the manifest of the output: it changes with it.
    let changed: Vec<&String> = after.keys().filter(|k| *k != MARKER && before.get(*k) != after.get(*k)).collect();
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

/// A member like the base one, named `prenom` (file `content/membres/<slug>.yaml`).
fn member(prenom: &str) -> (String, String) {
    let yaml = replace_once(
        &replace_once(MEMBER_YAML, "prenom: Claire", &format!("prenom: {prenom}")),
        "rpps: \"10000000009\"\n",
        "",
    );
    (format!("content/membres/{}-exemple.yaml", prenom.to_lowercase()), yaml)
}

/// Every file of an output folder with its bytes and date.
fn snapshot(out: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let times = mtimes(out);
    read_tree(out).into_iter().map(|(k, v)| (k.clone(), v, times[&k])).collect()
}

#[test]
fn a_template_error_in_the_middle_of_rendering_leaves_the_previous_output_untouched() {
    let names = ["Anne", "Bruno", "Chloe", "David", "Emma", "Fabien", "Gaelle", "Hugo", "Ines", "Jules", "Marc"];
    let members: Vec<(String, String)> = names.iter().map(|n| member(n)).collect();
    let files: Vec<(&str, &str)> = members.iter().map(|(p, y)| (p.as_str(), y.as_str())).collect();
    let s = site(&files);
    build(s.path());
    let out = public(s.path());
    age_files(&out);
    let before = snapshot(&out);

    // Fails for one member only; every other member page changes and is rendered first or after.
    let template = "<p>{{ page.title }}</p>{% if \"Marc\" in page.title %}{% include \"absent.html\" %}{% endif %}";
    write(s.path(), "templates/member.html", template);
    match maillage::build(&opts(s.path(), &out)) {
        Err(BuildError::Content(d)) => {
            let errors: Vec<_> = d.iter().filter(|d| d.is_error()).map(|d| (d.code, d.file.as_str())).collect();
            assert_eq!(errors, vec![("M072", "templates/member.html")], "{d:#?}");
        }
        other => panic!("attendu une erreur de gabarit, obtenu {other:?}"),
    }
    assert!(before == snapshot(&out), "la sortie précédente a changé");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));

    // The same failure on a first build leaves no output at all.
    let first = s.path().join("neuf");
    assert!(matches!(maillage::build(&opts(s.path(), &first)), Err(BuildError::Content(_))));
    assert!(!first.exists());
    assert!(leftovers(&first).is_empty(), "{:?}", leftovers(&first));

    // Fixed, the template is used for every member.
    write(s.path(), "templates/member.html", "<p>{{ page.title }}</p>");
    let report = build(s.path());
    assert_eq!(report.stats.written, names.len() + 1, "{:?}", report.stats);
    assert!(read(&out, "annuaire/marc-exemple/index.html").starts_with("<p>"));
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing() {
    let s = site(&[]);
    let first = build(s.path());
    assert!(!first.up_to_date);
    let out = public(s.path());
    let before = snapshot(&out);

    let second = build(s.path());
    assert!(second.up_to_date, "{:?}", second.stats);
    let files = before.len() - 1; // without the marker
    assert_eq!(second.stats, maillage::output::WriteStats { written: 0, unchanged: files, removed: 0, kept: 0 });
    assert_eq!(second.pages, first.pages);
    assert!(before == snapshot(&out), "rien ne doit être écrit, pas même le marqueur");
}

#[test]
fn a_second_build_with_nothing_changed_shows_the_warnings_without_checking_again() {
    // Confirmed eight months before the build: « accepte_nouveaux_patients » is to be confirmed
    // (M066), and its line and column are kept.
    let stale = replace_once(MEMBER_YAML, "publie: true\n", "verifie_le: 2026-03-17\npublie: true\n");
    let s = site(&[(MEMBER_PATH, &stale)]);
    let first = build(s.path());
    assert!(first.warnings.iter().any(|w| w.code == "M066" && w.line > 0 && w.hint.is_some()), "{:#?}", first.warnings);
    let checked = |r: &maillage::BuildReport| r.timings.iter().any(|(stage, _)| *stage == "check");
    assert!(checked(&first));

    let second = build(s.path());
    assert!(second.up_to_date);
    assert_eq!(second.warnings, first.warnings);
    assert!(!checked(&second), "{:?}", second.timings);

    // They are kept in the site's folder, never in the output, which is published.
    let kept = s.path().join(".maillage/cache/avertissements.txt");
    let text = fs::read_to_string(&kept).unwrap();
    let message = &first.warnings[0].message;
    assert!(text.contains(message.as_str()));
    assert!(!read_tree(&public(s.path())).values().any(|b| String::from_utf8_lossy(b).contains(message.as_str())));

    // Warnings that cannot be read back (a code this program does not know), kept for other
    // inputs, or one missing: found again by checking, the same ones.
    let one_missing: String = text.lines().take(text.lines().count() - 1).map(|l| format!("{l}\n")).collect();
    for damaged in
        [replace_once(&text, "\"code\":\"M066\"", "\"code\":\"M999\""), text.replacen(' ', " 0", 2), one_missing]
    {
        fs::write(&kept, damaged).unwrap();
        let third = build(s.path());
        assert!(third.up_to_date);
        assert_eq!(third.warnings, first.warnings);
        assert!(checked(&third), "{:?}", third.timings);
    }

    // Once the fact is confirmed, the next build has no warning, and neither has the one after.
    let confirmed = replace_once(&stale, "2026-03-17", "2026-11-20");
    write(s.path(), MEMBER_PATH, &confirmed);
    assert!(build(s.path()).warnings.is_empty());
    assert!(!kept.exists());
    let again = build(s.path());
    assert!(again.up_to_date && again.warnings.is_empty(), "{:#?}", again.warnings);
}

#[test]
fn files_deleted_by_hand_are_restored_and_files_edited_by_hand_are_not_overwritten() {
    let s = site(&[]);
    build(s.path());
    let out = public(s.path());
    let good = read_tree(&out);
    fs::remove_file(out.join("style.css")).unwrap();
    fs::remove_dir_all(out.join("annuaire/claire-exemple")).unwrap();
    let report = build(s.path());
    assert!(!report.up_to_date);
    assert_eq!(report.stats.written, 2, "{:?}", report.stats);
    let restored = read_tree(&out);
    assert_eq!(good.keys().collect::<Vec<_>>(), restored.keys().collect::<Vec<_>>());
    assert!(good.iter().filter(|(k, _)| k.as_str() != MARKER).all(|(k, v)| restored[k] == *v));
    assert!(build(s.path()).up_to_date);

    // A page edited by hand is no longer Maillage's: the build stops, naming it, and changes
    // nothing; once it is moved away, the page is written again.
    fs::write(out.join("index.html"), "retouché à la main").unwrap();
    let before = read_tree(&out);
    let err = maillage::build(&opts(s.path(), &out)).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("index.html") && message.contains("n’a pas été écrit par Maillage"), "{message}");
    assert!(before == read_tree(&out), "rien ne doit changer");
    fs::remove_file(out.join("index.html")).unwrap();
    assert_eq!(build(s.path()).stats.written, 1);
    let again = read_tree(&out);
    assert!(restored.iter().filter(|(k, _)| k.as_str() != MARKER).all(|(k, v)| again[k] == *v));
}

#[test]
fn a_change_to_anything_the_build_reads_is_picked_up() {
    let files = [
        (
            "content/actualites/ouverture.md",
            "---\ntitre: Ouverture\ndate: 2026-10-01\nresume: Le site ouvre.\n---\nLe site ouvre.\n",
        ),
        ("content/pages/projet.md", "---\ntitre: Notre projet\n---\nUn texte.\n"),
        ("content/static/images/photo.txt", "pas vraiment une image"),
    ];
    let s = site(&files);
    let out = public(s.path());
    build(s.path());
    assert!(build(s.path()).up_to_date);

    // Every content file: a change that does not alter the site still makes a full build.
    let sources: Vec<String> =
        read_tree(&s.path().join("content")).into_keys().map(|k| format!("content/{k}")).collect();
    assert_eq!(sources.len(), 6, "{sources:?}");
    for rel in &sources {
        let mut bytes = fs::read(s.path().join(rel)).unwrap();
        bytes.extend_from_slice(b"\n");
        fs::write(s.path().join(rel), bytes).unwrap();
        let report = build(s.path());
        assert!(!report.up_to_date, "{rel} modifié mais la construction s’est arrêtée");
        assert!(build(s.path()).up_to_date, "{rel}");
    }

    // The day, the address, drafts, a template.
    let today = jiff::civil::date(2026, 11, 23);
    assert!(!build_at(s.path(), today).up_to_date);
    assert!(build_at(s.path(), today).up_to_date);
    let mut o = opts(s.path(), &out);
    o.today = today;
    o.base_url = Some("https://ailleurs.example.fr/cpts/".into());
    let report = maillage::build(&o).unwrap();
    assert!(!report.up_to_date && report.stats.written > 0, "{:?}", report.stats);
    assert!(read(&out, "sitemap.xml").contains("https://ailleurs.example.fr/cpts/"));
    assert!(maillage::build(&o).unwrap().up_to_date);
    o.drafts = true;
    assert!(!maillage::build(&o).unwrap().up_to_date);
    write(s.path(), "templates/404.html", "<!doctype html><title>Perdu</title><p>Rien ici.</p>");
    let report = maillage::build(&o).unwrap();
    assert!(!report.up_to_date);
    assert_eq!(report.stats.written, 1, "{:?}", report.stats);
    assert!(read(&out, "404.html").contains("Rien ici."));
    assert!(maillage::build(&o).unwrap().up_to_date);
}

#[test]
fn a_damaged_or_old_manifest_leads_to_a_normal_build() {
    let s = site(&[]);
    build(s.path());
    let out = public(s.path());
    let files = read_tree(&out).len() - 1;
    let marker = out.join(MARKER);
    let manifest = fs::read_to_string(&marker).unwrap();
    let old = age_files(&out);
    for damaged in [
        // The marker of earlier versions: no manifest.
        "Dossier produit par Maillage ; il peut le remplacer.\n".to_string(),
        manifest.replacen("manifeste-maillage 1 ", "manifeste-maillage 1 zz", 1),
        manifest[..manifest.len() / 2].to_string(),
        "\u{0}\u{1}n’importe quoi".to_string(),
    ] {
        fs::write(&marker, &damaged).unwrap();
        let report = build(s.path());
        assert!(!report.up_to_date, "{damaged}");
        // Files are compared by reading them: none is rewritten.
        assert_eq!(report.stats, maillage::output::WriteStats { written: 0, unchanged: files, removed: 0, kept: 0 });
        assert!(mtimes(&out).iter().filter(|(k, _)| k.as_str() != MARKER).all(|(_, t)| *t == old));
        assert!(build(s.path()).up_to_date, "le manifeste doit être refait");
    }
}
