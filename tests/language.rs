//! One language for the coordinator: every command's help, the command line's own errors, the
//! diagnostics and the summaries are French, with French typography (no-break spaces before
//! `: ; ! ?` and inside « »), and `--quiet` and `NO_COLOR` are honoured everywhere.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

/// Runs maillage; exit code, standard output, error output.
fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_maillage"));
    cmd.args(args).env_remove("NO_COLOR").env("COLUMNS", "100");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("lancement de maillage");
    (o.status.code().unwrap_or(-1), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// English words and English typography a coordinator must never read. Flags (`--help`) and
/// the JSON keys are not words of the text.
fn english(text: &str) -> Vec<String> {
    const WORDS: &[&str] = &[
        "error",
        "warning",
        "help",
        "usage",
        "commands",
        "command",
        "subcommand",
        "print",
        "not found",
        "invalid",
        "expected",
        "found",
        "possible values",
        "default",
        "required",
        "unexpected",
        "provided",
        "such file",
        "denied",
        "permission",
        "failed",
        "unknown",
        "missing",
        "value",
        "the",
        "for",
        "and",
    ];
    let mut found = Vec::new();
    let words: Vec<(usize, &str)> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '[' || c == ']'))
        .filter(|w| !w.is_empty() && !w.starts_with('-'))
        .enumerate()
        .collect();
    let lower: Vec<String> = words.iter().map(|(_, w)| w.to_lowercase()).collect();
    for w in WORDS {
        let parts: Vec<&str> = w.split(' ').collect();
        for i in 0..lower.len() {
            if lower[i..].len() >= parts.len() && lower[i..i + parts.len()].iter().zip(&parts).all(|(a, b)| a == b) {
                found.push(format!("« {w} » dans : …{}…", context(text, words[i].1)));
            }
        }
    }
    for bad in ["Options:", "Arguments:", "Commands:", "Usage:", " :", " ;", " ?", " !", "« ", " »"] {
        if let Some(i) = text.find(bad) {
            found.push(format!(
                "« {bad} » dans : …{}…",
                &text[i.saturating_sub(30)..(i + 30).min(text.len())].replace('\n', "⏎")
            ));
        }
    }
    found
}

fn context<'a>(text: &'a str, word: &str) -> &'a str {
    let i = text.find(word).unwrap_or(0);
    let start = text[..i].char_indices().rev().nth(30).map_or(0, |(j, _)| j);
    let end = text[i..].char_indices().nth(40).map_or(text.len(), |(j, _)| i + j);
    &text[start..end]
}

#[test]
fn the_detector_sees_english() {
    assert!(english("error: unexpected argument '--x' found\n\nUsage: maillage build").len() >= 3);
    assert!(english("Options:\n  -h, --help  Print help").len() >= 2);
    assert!(english("erreur\u{a0}: option inconnue «\u{a0}--x\u{a0}»\naide\u{a0}: maillage build --help").is_empty());
}

#[test]
fn every_help_is_french() {
    let commands: &[&[&str]] = &[
        &[],
        &["build"],
        &["serve"],
        &["check"],
        &["aide"],
        &["init"],
        &["new"],
        &["publier"],
        &["import"],
        &["schema"],
        &["completions"],
    ];
    for command in commands {
        for flag in ["--help", "-h", "--aide"] {
            let mut args = command.to_vec();
            args.push(flag);
            let (code, out, err) = run(&args, &[]);
            assert_eq!(code, 0, "{args:?}\n{err}");
            assert!(out.contains("Utilisation\u{a0}: maillage"), "{args:?}\n{out}");
            assert!(out.contains("-h, --aide"), "{args:?}\n{out}");
            let found = english(&out);
            assert!(found.is_empty(), "{args:?} :\n{}\n---\n{out}", found.join("\n"));
        }
    }
    let (code, out, _) = run(&["--version"], &[]);
    assert_eq!(code, 0);
    assert!(out.starts_with("maillage "), "{out}");
    // Without a command: the help, and a failure.
    let (code, _, err) = run(&[], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("Commandes\u{a0}:") && english(&err).is_empty(), "{err}");
}

#[test]
fn mistakes_on_the_command_line_are_told_in_french() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["biuld"],
            "commande inconnue «\u{a0}biuld\u{a0}»\naide\u{a0}: vouliez-vous dire «\u{a0}build\u{a0}»\u{202f}?",
        ),
        (
            &["build", "--roto", "x"],
            "option inconnue «\u{a0}--roto\u{a0}»\naide\u{a0}: vouliez-vous dire «\u{a0}--root\u{a0}»\u{202f}?",
        ),
        (&["init"], "il manque <DOSSIER>"),
        (
            &["check", "--format", "xml"],
            "valeur «\u{a0}xml\u{a0}» invalide pour «\u{a0}--format <FORMAT>\u{a0}»\naide\u{a0}: valeurs possibles\u{a0}: human, json",
        ),
        (
            &["build", "--today", "2026-13-01"],
            "valeur «\u{a0}2026-13-01\u{a0}» invalide pour «\u{a0}--today <DATE>\u{a0}»\naide\u{a0}: écrivez la date",
        ),
        (&["serve", "--port", "99999"], "aide\u{a0}: un port est un nombre de 0 à 65535"),
        (&["serve", "--bind", "ici"], "aide\u{a0}: écrivez une adresse IP"),
        (&["init", "x", "--nom", "CPTS", "--interactif"], "ne peut pas être employé avec"),
        (&["new", "offre", "Un", "Deux"], "argument inattendu «\u{a0}Deux\u{a0}»"),
        (&["import", "tableur", "f.csv"], "valeur «\u{a0}tableur\u{a0}» invalide"),
    ];
    for (args, expected) in cases {
        let (code, out, err) = run(args, &[]);
        assert_eq!(code, 2, "{args:?}\n{err}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.starts_with("erreur\u{a0}: "), "{args:?}\n{err}");
        assert!(err.contains(expected), "{args:?} : attendu {expected:?}\n{err}");
        assert!(err.contains("Pour en savoir plus\u{a0}: maillage"), "{args:?}\n{err}");
        let found = english(&err);
        assert!(found.is_empty(), "{args:?} :\n{}\n---\n{err}", found.join("\n"));
    }
}

#[test]
fn diagnostics_summaries_and_failures_are_french() {
    // An unknown key (error), a far date (warning): the rendering, the summary.
    let s = site(&[(MEMBER_PATH, &format!("{MEMBER_YAML}specialitee: Cardiologie\n"))]);
    let (code, out, err) = run(&["check", "--root", path(s.path()), "--today", "2026-11-22"], &[]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.starts_with("erreur[M013]\u{a0}: clé inconnue «\u{a0}specialitee\u{a0}»\n"), "{err}");
    assert!(err.contains("\naide\u{a0}: vouliez-vous dire «\u{a0}specialite\u{a0}»\u{202f}?\n"), "{err}");
    assert!(err.ends_with("Vérification terminée\u{a0}: 1 erreur, 0 avertissement.\n"), "{err}");
    assert!(english(&err).is_empty(), "{:?}\n{err}", english(&err));
    let (code, _, err) = run(&["build", "--root", path(s.path()), "--today", "2026-11-22"], &[]);
    assert_eq!(code, 1);
    assert!(
        err.ends_with(
            "Construction interrompue\u{a0}: 1 erreur, 0 avertissement. Le site précédent n’a pas été modifié.\n"
        ),
        "{err}"
    );
    // A site that is not one.
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["check", "--root", path(empty.path())], &[]);
    assert_eq!(code, 1);
    assert!(err.starts_with("erreur[M001]\u{a0}: "), "{err}");
    assert!(english(&err).is_empty(), "{:?}\n{err}", english(&err));
    // Publishing without a destination; importing a missing file; a topic that does not exist.
    let clean = site(&[]);
    for args in [
        vec!["publier", "--root", path(clean.path()), "--today", "2026-11-22"],
        vec!["import", "csv", "absent.csv", "--root", path(clean.path())],
        vec!["aide", "zzzzzz"],
        vec!["new", "page", "Nous rejoindre", "--root", path(empty.path())],
    ] {
        let (code, _, err) = run(&args, &[]);
        assert_eq!(code, 2, "{args:?}\n{err}");
        assert!(err.starts_with("erreur\u{a0}: "), "{args:?}\n{err}");
        assert!(english(&err).is_empty(), "{args:?} : {:?}\n{err}", english(&err));
    }
}

#[test]
fn counts_agree_with_their_number() {
    let s = site(&[]);
    let out_dir = s.path().join("public");
    let (code, out, _) = run(&["build", "--root", path(s.path()), "--today", "2026-11-22"], &[]);
    assert_eq!(code, 0);
    assert!(out.contains(" fichiers écrits, 0 inchangé, 0 supprimé, en "), "{out}");
    assert!(english(&out).is_empty(), "{out}");
    let (_, again, _) = run(&["build", "--root", path(s.path()), "--today", "2026-11-22"], &[]);
    assert!(again.contains("fichiers inchangés"), "{again}");
    assert!(out_dir.is_dir());
}

#[test]
fn quiet_prints_only_errors() {
    let s = site(&[]);
    let root = path(s.path());
    for args in [
        vec!["build", "--root", root, "--today", "2026-11-22", "--quiet"],
        vec!["-q", "check", "--root", root, "--today", "2026-11-22"],
        vec!["new", "page", "Horaires", "--root", root, "-q"],
        vec!["init", path(&s.path().join("autre")), "--quiet"],
    ] {
        let (code, out, err) = run(&args, &[]);
        assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""), "{args:?}");
    }
    // Warnings are left out, errors are not.
    let warned = site(&[(
        MEMBER_PATH,
        &MEMBER_YAML.replace("commune: \"83073\"", "commune: \"83073\"\n    prise_rdv: http://rdv.cpts-test.fr"),
    )]);
    let (code, _, err) = run(&["check", "--root", path(warned.path()), "--today", "2026-11-22"], &[]);
    assert_eq!(code, 0);
    assert!(err.contains("attention[M034]"), "{err}");
    let (code, out, err) = run(&["check", "--root", path(warned.path()), "--today", "2026-11-22", "--quiet"], &[]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let broken = site(&[(MEMBER_PATH, &format!("{MEMBER_YAML}specialitee: x\n"))]);
    let (code, _, err) = run(&["build", "--root", path(broken.path()), "--today", "2026-11-22", "-q"], &[]);
    assert_eq!(code, 1);
    assert!(err.starts_with("erreur[M013]"), "{err}");
    assert!(err.contains("Construction interrompue"), "{err}");
}

#[test]
fn no_color_is_honoured_and_colours_need_a_terminal() {
    // Not a terminal here: never a colour, whatever NO_COLOR says.
    let s = site(&[(MEMBER_PATH, &format!("{MEMBER_YAML}specialitee: x\n"))]);
    for env in [&[][..], &[("NO_COLOR", "1")][..]] {
        let (_, _, err) = run(&["check", "--root", path(s.path()), "--today", "2026-11-22"], env);
        assert!(!err.contains('\u{1b}'), "{env:?}\n{err}");
    }
    // In a terminal (script(1) gives one), colours unless NO_COLOR has a value.
    if Command::new("script").arg("--version").output().is_err() {
        panic!("le programme script (util-linux) manque : il donne un terminal au test");
    }
    let in_terminal = |no_color: Option<&str>| {
        let command = format!("{} check --root {} --today 2026-11-22", env!("CARGO_BIN_EXE_maillage"), path(s.path()));
        let mut cmd = Command::new("script");
        cmd.args(["-q", "-e", "-c", &command, "/dev/null"]).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    };
    assert!(in_terminal(None).contains('\u{1b}'), "couleurs attendues dans un terminal");
    assert!(!in_terminal(Some("1")).contains('\u{1b}'), "NO_COLOR=1 : aucune couleur");
    assert!(in_terminal(Some("")).contains('\u{1b}'), "NO_COLOR vide ne compte pas");
}

/// A reader that went away (`maillage aide | head -1`, `maillage serve | head -1`) loses the
/// rest of the text, nothing more: no panic, no English, the command ends as it would have.
#[test]
fn a_closed_output_is_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    for args in [&["aide", "membres"][..], &["init", path(&site)], &["build", "--root", path(&site)]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_maillage"))
            .args(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?} : {err}");
        assert!(english(&err).is_empty() && !err.contains("panicked"), "{args:?} : {err}");
    }
}
