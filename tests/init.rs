//! `maillage init` with answers: from flags (no terminal), from a real terminal (a pseudo-terminal
//! made by `script`, from util-linux), and from answers piped with `--interactif`. Each new site
//! must build at once.

mod common;

use common::read;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_maillage");

/// 2026-11-22 at noon UTC, as SOURCE_DATE_EPOCH: the day every test builds for, also for the
/// commands that take no --today (init dates its example members with it).
const EPOCH_OF_TODAY: &str = "1795348800";

fn maillage(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("SOURCE_DATE_EPOCH", EPOCH_OF_TODAY).output().expect("lancement de maillage")
}

fn with_input(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH_OF_TODAY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lancement de maillage");
    child.stdin.take().expect("entrée").write_all(input.as_bytes()).expect("écriture des réponses");
    child.wait_with_output().expect("fin de maillage")
}

/// The output, no-break spaces read as spaces (tests/language.rs checks the typography).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\u{a0}', " ")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("chemin UTF-8")
}

/// Builds the site and returns the warnings' codes from `check`, apart from the texts left to
/// fill (M064): those must all be in `cpts.yaml`, where `init` leaves them (« À compléter »,
/// the host, an e-mail or address in example.fr), and stop a production build.
fn builds(dir: &Path) -> Vec<String> {
    let build = maillage(&["build", "--root", path(dir), "--today", "2026-11-22"]);
    assert_eq!(build.status.code(), Some(0), "{}\n{}", text(&build.stdout), text(&build.stderr));
    let check = maillage(&["check", "--root", path(dir), "--today", "2026-11-22", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    let json: serde_json::Value = serde_json::from_str(&text(&check.stdout)).expect("JSON");
    let mut codes = Vec::new();
    let mut placeholders = 0;
    for d in json.as_array().expect("tableau") {
        if d["code"] == "M064" {
            assert_eq!(d["file"], "content/cpts.yaml", "{d}");
            placeholders += 1;
        } else {
            codes.push(d["code"].as_str().unwrap_or_default().to_string());
        }
    }
    assert!(placeholders >= 5, "init laisse l’hébergeur, le siège, la direction de la publication à compléter");
    let production = maillage(&["check", "--root", path(dir), "--today", "2026-11-22", "--production"]);
    assert_eq!(production.status.code(), Some(1), "{}", text(&production.stderr));
    codes
}

#[test]
fn flags_without_a_terminal_make_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cpts");
    let o = maillage(&[
        "init",
        path(&dir),
        "--nom",
        "CPTS du Cœur du Var",
        "--communes",
        "Le Luc, 83031",
        "--communes",
        "Arcs (Les)",
        "--courriel",
        "contact@cpts-coeur-du-var.fr",
        "--telephone",
        "0494123456",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("Territoire : 3 communes, 24\u{202f}559 habitants (populations légales 2023"), "{out}");
    assert!(out.contains("taille 1 de l’ACI"), "{out}");

    let cpts = fs::read_to_string(dir.join("content/cpts.yaml")).unwrap();
    for expected in [
        "nom: CPTS du Cœur du Var",
        "telephone: \"04 94 12 34 56\"",
        "courriel: contact@cpts-coeur-du-var.fr",
        "departement: \"83\"",
        "- insee: \"83073\"\n      nom: Le Luc\n",
        "- insee: \"83004\"\n      nom: Les Arcs\n",
    ] {
        assert!(cpts.contains(expected), "{expected}\n---\n{cpts}");
    }
    // Postcodes, populations and their year come from the table at each build: one source.
    for absent in ["annee_population", "population: ", "codes_postaux"] {
        assert!(!cpts.contains(absent), "{absent}\n---\n{cpts}");
    }
    let lisezmoi = fs::read_to_string(dir.join("LISEZMOI.md")).unwrap();
    for step in [
        "## 1. Voir le site",
        "maillage serve --root",
        "## 2. Compléter le contenu",
        "## 3. Publier",
        "maillage aide",
        "/_guide/",
    ] {
        assert!(lisezmoi.contains(step), "{step}\n---\n{lisezmoi}");
    }
    // The examples are on the territory: the doctor in Le Luc, the pharmacy in Le Cannet.
    let member = fs::read_to_string(dir.join("content/membres/pharmacie-exemple.yaml")).unwrap();
    assert!(member.contains("commune: \"83031\""), "{member}");

    // No centres in the official table: the map is not drawn, and check says so, once.
    assert_eq!(builds(&dir), ["M081"]);
    let about = read(&dir.join("public"), "la-cpts/index.html");
    assert!(about.contains("populations légales 2023 de l’INSEE"), "{about}");
    assert!(about.contains("taille 1"), "{about}");
    assert!(about.contains("CC Coeur du Var (2\u{a0}communes)"), "{about}");
    let legal = read(&dir.join("public"), "mentions-legales/index.html");
    assert!(legal.contains("populations légales 2023, d’après le paquet @etalab/decoupage-administratif"), "{legal}");
    let map = read(&dir.join("public"), "carte/index.html");
    assert!(!map.contains("<svg class=\"map\""), "pas de carte sans centre ni contour");
}

#[test]
fn an_epci_gives_all_its_communes_and_the_size() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cpts");
    let o = maillage(&["init", path(&dir), "--nom", "CPTS Cœur du Var", "--epci", "248300550"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("11 communes"), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("taille 2 de l’ACI"), "{}", text(&o.stdout));
    let cpts = fs::read_to_string(dir.join("content/cpts.yaml")).unwrap();
    assert_eq!(cpts.matches("- insee:").count(), 11);
    // No e-mail given: a placeholder the coordinator is told to replace.
    assert!(cpts.contains("courriel: contact@cpts-coeur-du-var.example.fr"), "{cpts}");
    assert_eq!(builds(&dir), ["M081"]);
}

#[test]
fn a_typo_lists_the_closest_official_names_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cpts");
    let o = maillage(&["init", path(&dir), "--nom", "CPTS Test", "--communes", "Le Luc, Le Canet des Maures"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("« Le Canet des Maures » : commune inconnue"), "{err}");
    assert!(err.contains("Le Cannet-des-Maures (83031, Var)"), "{err}");
    assert!(!dir.exists(), "rien n’est écrit");
}

#[test]
fn an_unknown_epci_is_a_clear_french_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cpts");
    let o = maillage(&["init", path(&dir), "--nom", "CPTS Test", "--epci", "Communauté de communes Imaginaire"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.starts_with("erreur : « Communauté de communes Imaginaire » : aucune intercommunalité"), "{err}");
    let o = maillage(&["init", path(&dir), "--nom", "CPTS Test", "--epci", "123456789"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("aucune intercommunalité (EPCI) n’a le code SIREN « 123456789 »"));
    // A name without communes, and bad contacts: every problem at once.
    let o = maillage(&["init", path(&dir), "--nom", "CPTS Test", "--courriel", "marc@"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("2 problèmes") && err.contains("--communes") && err.contains("--courriel « marc@ »"), "{err}");
    assert!(!dir.exists());
}

#[test]
fn a_real_terminal_gets_the_questions() {
    // `script` (util-linux, on every Debian) runs maillage on a pseudo-terminal: its standard
    // input is a terminal, as for a person, and the answers are typed into it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cpts");
    let command = format!("'{BIN}' init '{}'", dir.display());
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("SOURCE_DATE_EPOCH", EPOCH_OF_TODAY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) est nécessaire à ce test");
    let answers =
        "CPTS des Trois Rivières\nLe Luc, Le Canet des Maures, Les Arcs\n1\n\ncontact@cpts-3r.fr\n04 94 12 34 56\n";
    child.stdin.take().expect("entrée").write_all(answers.as_bytes()).expect("réponses");
    let o = child.wait_with_output().expect("fin de script");
    let screen = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{screen}");
    assert!(screen.contains("Nom de la CPTS"), "{screen}");
    assert!(screen.contains("1. Le Cannet-des-Maures (83031, Var)"), "{screen}");
    assert!(screen.contains("Site créé dans"), "{screen}");
    let cpts = fs::read_to_string(dir.join("content/cpts.yaml")).unwrap();
    assert_eq!(cpts.matches("- insee:").count(), 3, "{cpts}");
    assert!(cpts.contains("nom: CPTS des Trois Rivières"));
    assert_eq!(builds(&dir), ["M081"]);
}

#[test]
fn piped_answers_with_interactif_and_an_early_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cpts");
    let o = with_input(
        &["init", path(&dir), "--interactif"],
        "CPTS de La Réunion Nord\nSaint-Denis\n1\n\ncontact@cpts-nord.re\n\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let screen = text(&o.stderr);
    assert!(screen.contains("Plusieurs communes s’appellent « Saint-Denis » : laquelle ?"), "{screen}");
    let cpts = fs::read_to_string(dir.join("content/cpts.yaml")).unwrap();
    assert!(cpts.contains("departement: \"974\""), "{cpts}");
    builds(&dir);

    let other = tmp.path().join("autre");
    let o = with_input(&["init", path(&other), "--interactif"], "CPTS Test\nLe Luc\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("saisie interrompue"), "{}", text(&o.stderr));
    assert!(!other.exists(), "rien n’est écrit");
}

#[test]
fn a_folder_that_is_not_empty_is_refused_before_any_question() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "à garder").unwrap();
    let o = with_input(&["init", path(tmp.path()), "--interactif"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("n’est pas vide"));
    assert!(!text(&o.stderr).contains("Nom de la CPTS"));
    let o = maillage(&["init", path(tmp.path()), "--nom", "CPTS Test", "--communes", "Le Luc"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("n’est pas vide"));
}
