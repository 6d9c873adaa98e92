//! The `maillage` command: init, build and check, their output and exit codes.

mod common;

use common::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// 2026-11-22 at noon UTC, as SOURCE_DATE_EPOCH: the day every test builds for, also for the
/// commands that take no --today (init dates its example members with it).
const EPOCH_OF_TODAY: &str = "1795348800";

fn maillage(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH_OF_TODAY)
        .output()
        .expect("lancement de maillage")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("chemin UTF-8")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn init_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ma-cpts");
    let init = maillage(&["init", path(&dir)]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    assert!(stdout(&init).starts_with(&format!("Site créé dans {}", dir.display())), "{}", stdout(&init));
    assert!(dir.join("content/cpts.yaml").is_file());
    let gitignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(gitignore.contains("/public/") && gitignore.contains("/.maillage/"), "{gitignore}");

    let build = maillage(&["build", "--root", path(&dir), "--today", "2026-11-22"]);
    assert_eq!(build.status.code(), Some(0), "{}\n{}", stdout(&build), stderr(&build));
    // The model builds, and says what is left to fill before going online; a production build
    // refuses it until then, and writes nothing.
    let err = stderr(&build);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("attention[") || l.starts_with("erreur[")).collect();
    assert_eq!(warnings.len(), 5, "{}", stderr(&build));
    assert!(warnings.iter().all(|w| w.starts_with("attention[M064]")), "{}", stderr(&build));
    let production = dir.join("en-ligne");
    let refused =
        maillage(&["build", "--root", path(&dir), "--today", "2026-11-22", "--production", "-o", path(&production)]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("erreur[M064]\u{a0}: texte «\u{a0}à compléter\u{a0}» laissé\u{a0}: le site ne peut pas être mis en ligne ainsi"), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("Construction interrompue\u{a0}: 5 erreurs, 0 avertissement."),
        "{}",
        stderr(&refused)
    );
    assert!(!production.exists());
    assert!(
        stdout(&build).starts_with(&format!("Site construit dans {}", dir.join("public").display())),
        "{}",
        stdout(&build)
    );
    let again = maillage(&["build", "--root", path(&dir), "--today", "2026-11-22"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(stdout(&again).contains("rien n’a changé depuis la construction précédente"), "{}", stdout(&again));
    let index = read(&dir.join("public"), "index.html");
    assert!(index.contains("<html lang=\"fr\">"));
    assert!(index.contains("CPTS des Collines"), "{index}");
    assert!(dir.join("public/annuaire/exemple-medecin/index.html").is_file());
    assert!(dir.join("public").join(maillage::output::MARKER).is_file());

    let check = maillage(&["check", "--root", path(&dir), "--today", "2026-11-22", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&check)).expect("JSON valide");
    let codes: Vec<&str> = json.as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["M064"; 5]);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "à garder").unwrap();
    let init = maillage(&["init", path(tmp.path())]);
    assert_eq!(init.status.code(), Some(2));
    assert!(stderr(&init).contains("n’est pas vide"), "{}", stderr(&init));
    let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("notes.txt")]);
}

#[test]
fn check_json_lists_every_diagnostic_and_fails() {
    let (s, expected) = faulty_site();
    let o = maillage(&["check", "--root", path(s.path()), "--today", "2026-11-22", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON valide");
    let items = json.as_array().expect("un tableau JSON");
    assert_eq!(items.len(), expected.len(), "{json:#}");
    for (item, (file, line, column, code)) in items.iter().zip(&expected) {
        assert_eq!(item["severity"], "error", "{item}");
        assert_eq!(item["code"], *code, "{item}");
        assert_eq!(item["file"], *file, "{item}");
        assert_eq!(item["line"], *line, "{item}");
        assert_eq!(item["column"], *column, "{item}");
        assert!(item["message"].as_str().is_some_and(|m| !m.is_empty()), "{item}");
        assert!(item["hint"].is_string(), "{item}");
    }
    assert!(!public(s.path()).exists(), "check n’écrit rien");
}

#[test]
fn check_of_a_clean_site_succeeds() {
    let s = site(&[]);
    let o = maillage(&["check", "--root", path(s.path()), "--today", "2026-11-22", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "[]");
    let human = maillage(&["check", "--root", path(s.path()), "--today", "2026-11-22"]);
    assert_eq!(human.status.code(), Some(0));
    assert_eq!(stderr(&human), "Vérification terminée\u{a0}: 0 erreur, 0 avertissement.\n");
}

#[test]
fn check_human_output_shows_the_file_and_line() {
    let s = site(&[(MEMBER_PATH, &format!("{MEMBER_YAML}specialitee: Cardiologie\n"))]);
    let o = maillage(&["check", "--root", path(s.path()), "--today", "2026-11-22"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("erreur[M013]\u{a0}: clé inconnue «\u{a0}specialitee\u{a0}»"), "{err}");
    assert!(err.contains(&format!("{MEMBER_PATH}:15:1")), "{err}");
    assert!(err.contains("specialitee: Cardiologie"), "{err}");
    assert!(err.ends_with("Vérification terminée\u{a0}: 1 erreur, 0 avertissement.\n"), "{err}");
}

#[test]
fn build_with_errors_exits_1_and_writes_nothing() {
    let (s, _) = faulty_site();
    let out = s.path().join("sortie");
    let o = maillage(&["build", "--root", path(s.path()), "--today", "2026-11-22", "-o", path(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Construction interrompue\u{a0}: 6 erreurs, 0 avertissement."), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn build_refuses_a_folder_it_did_not_create() {
    let s = site(&[]);
    let out = s.path().join("docs");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "<p>mon site à moi</p>").unwrap();
    let o = maillage(&["build", "--root", path(s.path()), "--today", "2026-11-22", "--output", path(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("n’a pas été créé par Maillage"), "{}", stderr(&o));
    assert_eq!(read(&out, "index.html"), "<p>mon site à moi</p>");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn build_base_url_replaces_the_site_url() {
    let s = site(&[]);
    let o = maillage(&[
        "build",
        "--root",
        path(s.path()),
        "--today",
        "2026-11-22",
        "--base-url",
        "https://exemple.org/cpts/",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = public(s.path());
    assert!(read(&out, "sitemap.xml").contains("<loc>https://exemple.org/cpts/annuaire/</loc>"));
    assert_eq!(read(&out, "robots.txt"), "User-agent: *\nAllow: /\n\nSitemap: https://exemple.org/cpts/sitemap.xml\n");
    // Links keep the sub-path, and files stay at the root of the output.
    assert!(links_of(&out, "index.html").contains("/cpts/annuaire/"));
    assert!(out.join("annuaire/index.html").is_file());
}

#[test]
fn a_bad_today_is_refused() {
    let s = site(&[]);
    let o = maillage(&["check", "--root", path(s.path()), "--today", "22/11/2026"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("valeur «\u{a0}22/11/2026\u{a0}» invalide pour «\u{a0}--today <DATE>\u{a0}»"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("écrivez la date sous la forme 2026-10-14"), "{}", stderr(&o));
}
