//! `maillage import`: the public formats in tests/fixtures/import/ (written by make_fixtures.py
//! there) merged into a small site, with the resulting YAML asserted exactly.

mod common;

use maillage::import::{ImportKind, ImportOptions, Report, import};
use std::fs;
use std::path::{Path, PathBuf};

/// The minimal site's territory plus Le Cannet-des-Maures (83340, shared with Le Luc) and Ajaccio
/// (Corse-du-Sud, INSEE 2A004).
fn cpts_yaml() -> String {
    common::replace_once(
        common::CPTS_YAML,
        "      centre: [43.4272, 6.4325]\n",
        "      centre: [43.4272, 6.4325]\n    - insee: \"83031\"\n      nom: Le Cannet-des-Maures\n      codes_postaux: [\"83340\"]\n      population: 5140\n      centre: [43.3920, 6.3385]\n    - insee: \"2A004\"\n      nom: Ajaccio\n      codes_postaux: [\"20000\", \"20090\"]\n      population: 73000\n      centre: [41.9267, 8.7369]\n",
    )
}

fn site() -> tempfile::TempDir {
    let cpts = cpts_yaml();
    common::site(&[("content/cpts.yaml", &cpts)])
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn opts(root: &Path) -> ImportOptions {
    ImportOptions { root: root.to_path_buf(), dry_run: false, progress: false, map: Vec::new() }
}

fn run(root: &Path, kind: ImportKind, file: &Path) -> Report {
    import(kind, file, &opts(root)).unwrap()
}

fn member(root: &Path, slug: &str) -> String {
    common::read(root, &format!("content/membres/{slug}.yaml"))
}

fn files(r: &Report) -> (Vec<&str>, Vec<&str>, Vec<&str>) {
    (
        r.added.iter().map(|c| c.file.as_str()).collect(),
        r.updated.iter().map(|c| c.file.as_str()).collect(),
        r.gone.iter().map(|c| c.file.as_str()).collect(),
    )
}

const HEADER: &str = "# Fiche créée par « maillage import rpps » à partir de l’Annuaire Santé.\n# Vérifiez-la et complétez-la (horaires, prise de rendez-vous, présentation…) ;\n# ne passez « publie » à true qu’avec l’accord de la personne ou de la structure.\n";

const MARTIN: &str = "civilite: Mme
titre: Dr
prenom: Claire
nom: Martin
profession: medecin-generaliste
rpps: \"10001234565\"
exercice: mixte
lieux:
  - nom: Maison de Sante de l Argens
    adresse: 18 avenue de la Resistance
    code_postal: \"83550\"
    commune: \"83148\"
    telephone: \"04 94 00 10 10\"
    courriel: cabinet.martin@example.fr
  - adresse: 2 rue des Ecoles
    code_postal: \"83340\"
    commune: \"83073\"
    telephone: \"04 94 00 10 11\"
  - nom: Centre de Soins Non Programmes
    adresse: 1 place de la Mairie
    code_postal: \"83340\"
    commune: \"83031\"
publie: false
";

#[test]
fn rpps_extraction_becomes_member_files() {
    let s = site();
    let r = run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    let (added, updated, gone) = files(&r);
    assert_eq!(
        added,
        [
            "content/membres/claire-martin.yaml",
            "content/membres/jean-pierre-dupont.yaml",
            "content/membres/paul-antoine-santoni.yaml",
            "content/membres/helene-berenger.yaml"
        ]
    );
    assert!(updated.is_empty());
    // The minimal site's member has an RPPS number the extraction does not list.
    assert_eq!(gone, ["content/membres/claire-exemple.yaml"]);
    assert_eq!((r.rows, r.kept), (10, 8));
    // Three sites in the territory, the fourth (Draguignan) left out; one commune code was empty.
    assert_eq!(member(s.path(), "claire-martin"), format!("{HEADER}{MARTIN}"));
    // Empty commune code, CEDEX commune name: found by postal code and name; ADELI identifier.
    assert_eq!(
        member(s.path(), "jean-pierre-dupont"),
        format!(
            "{HEADER}civilite: M.\nprenom: Jean-Pierre\nnom: Dupont\nprofession: infirmier\nadeli: \"837001239\"\nexercice: liberal\nlieux:\n  - adresse: 7 chemin des Vignes\n    code_postal: \"83340\"\n    commune: \"83031\"\n    telephone: \"06 12 34 56 78\"\npublie: false\n"
        )
    );
    // Corsica: INSEE 2A004, postal code 20000; a specialist with the savoir-faire as specialty.
    assert_eq!(
        member(s.path(), "paul-antoine-santoni"),
        format!(
            "{HEADER}civilite: M.\ntitre: Dr\nprenom: Paul-Antoine\nnom: Santoni\nprofession: medecin-specialiste\nspecialite: Cardiologie et maladies vasculaires\nrpps: \"10007654329\"\nexercice: salarie\nlieux:\n  - nom: Centre Hospitalier de la Misericorde\n    adresse: 27 avenue Imperatrice Eugenie\n    code_postal: \"20000\"\n    commune: \"2A004\"\npublie: false\n"
        )
    );
    assert!(member(s.path(), "helene-berenger").contains("prenom: Hélène\nnom: Bérenger\nprofession: pharmacien\n"));
    // The broken RPPS row, with its line, column, value and reason.
    assert_eq!(r.rejected.len(), 1);
    let e = &r.rejected[0];
    assert_eq!((e.row, e.column.as_deref(), e.value.as_str()), (11, Some("Identifiant PP"), "10001234566"));
    assert!(e.reason.contains("Luhn") && e.dropped, "{e:?}");
    assert_eq!(r.ignored.values().sum::<u64>(), 1, "le préparateur en pharmacie : {:?}", r.ignored);
    let text = r.render();
    assert!(text.contains("ligne 11, colonne «\u{a0}Identifiant PP\u{a0}»"), "{text}");
}

#[test]
fn bom_crlf_and_reordered_columns_give_the_same_files() {
    let a = site();
    let b = site();
    run(a.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    run(b.path(), ImportKind::Rpps, &fixture("rpps_bom_reordered.txt"));
    assert_eq!(common::read_tree(&a.path().join("content")), common::read_tree(&b.path().join("content")));
}

#[test]
fn latin1_extraction_is_decoded() {
    let s = site();
    let r = run(s.path(), ImportKind::Rpps, &fixture("rpps_latin1.txt"));
    assert_eq!(files(&r).0, ["content/membres/francoise-lefevre.yaml"]);
    assert_eq!(
        member(s.path(), "francoise-lefevre"),
        format!(
            "{HEADER}civilite: Mme\nprenom: Françoise\nnom: Lefèvre\nprofession: sage-femme\nrpps: \"10002221116\"\nexercice: liberal\nlieux:\n  - adresse: 12 allée des Pinèdes\n    code_postal: \"83340\"\n    commune: \"83073\"\npublie: false\n"
        )
    );
}

#[test]
fn importing_twice_changes_nothing() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    run(s.path(), ImportKind::Finess, &fixture("finess_latin1.csv"));
    let before = common::read_tree(s.path());
    for (kind, f) in [(ImportKind::Rpps, "rpps_utf8.txt"), (ImportKind::Finess, "finess_latin1.csv")] {
        let r = run(s.path(), kind, &fixture(f));
        assert!(r.added.is_empty() && r.updated.is_empty(), "{}", r.render());
    }
    assert_eq!(common::read_tree(s.path()), before);
}

#[test]
fn hand_edits_survive_and_source_fields_are_updated() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    // The coordinator publishes with consent, adds flags, hours, a comment, a presentation, and
    // rewrites the address of the Le Luc practice (accents alone would still match).
    let edited = common::replace_once(
        &common::replace_once(
            &common::replace_once(
                MARTIN,
                "publie: false\n",
                "accepte_nouveaux_patients: true\nsoins_non_programmes: true\npresentation: >-\n  Médecin de famille.\n# Accord recueilli le 3 mars.\npublie: true\n",
            ),
            "    telephone: \"04 94 00 10 10\"\n",
            "    telephone: \"04 94 00 10 10\"\n    horaires: Lundi au vendredi # sauf jours fériés\n    prise_rdv: https://rdv.example.fr/martin\n",
        ),
        "2 rue des Ecoles",
        "2 rue des Écoles, 1er étage",
    );
    common::write(s.path(), "content/membres/claire-martin.yaml", &edited);
    // The source changes: a new phone on the first site.
    let src = fs::read_to_string(fixture("rpps_utf8.txt")).unwrap().replace("0494001010", "0494001099");
    let changed = s.path().join("rpps_modifie.txt");
    fs::write(&changed, src).unwrap();
    let r = run(s.path(), ImportKind::Rpps, &changed);
    assert_eq!(files(&r).1, ["content/membres/claire-martin.yaml"]);
    assert_eq!(r.updated[0].fields, ["telephone (lieu 1)"]);
    assert_eq!(member(s.path(), "claire-martin"), edited.replace("04 94 00 10 10", "04 94 00 10 99"));
    assert!(r.notes.iter().any(|n| n.contains("lieu 2") && n.contains("2 rue des Ecoles")), "{:?}", r.notes);
}

#[test]
fn dry_run_writes_nothing() {
    let s = site();
    let before = common::read_tree(s.path());
    let mut o = opts(s.path());
    o.dry_run = true;
    let r = import(ImportKind::Rpps, &fixture("rpps_utf8.txt"), &o).unwrap();
    assert_eq!(r.added.len(), 4);
    assert!(r.render().contains("aucun fichier n’a été écrit"));
    assert_eq!(common::read_tree(s.path()), before);
}

#[test]
fn finess_establishments_with_lambert93_coordinates() {
    let s = site();
    let r = run(s.path(), ImportKind::Finess, &fixture("finess_latin1.csv"));
    assert_eq!(
        files(&r).0,
        [
            "content/membres/ehpad-les-restanques.yaml",
            "content/membres/pharmacie-du-centre-selarl.yaml",
            "content/membres/pharmacie-du-diamant.yaml"
        ]
    );
    assert_eq!((r.rows, r.kept), (5, 4));
    assert_eq!(r.ignored.len(), 1, "la crèche");
    let head = "# Fiche créée par « maillage import finess » à partir du fichier FINESS.\n# Vérifiez-la et complétez-la (horaires, prise de rendez-vous, présentation…) ;\n# ne passez « publie » à true qu’avec l’accord de la personne ou de la structure.\n";
    assert_eq!(
        member(s.path(), "ehpad-les-restanques"),
        format!(
            "{head}raison_sociale: EHPAD les Restanques\nstructure: ehpad\nfiness: \"830001236\"\nsiret: \"77889900112230\"\nlieux:\n  - adresse: 12 chemin des Pailles\n    code_postal: \"83550\"\n    commune: \"83148\"\n    coordonnees: [43.42900, 6.42640]\n    telephone: \"04 94 00 64 93\"\npublie: false\n"
        )
    );
    // Quoted field with "" escapes and a ; inside.
    assert!(
        member(s.path(), "pharmacie-du-centre-selarl").contains("raison_sociale: Pharmacie \"du Centre\"; SELARL\n")
    );
    assert!(member(s.path(), "pharmacie-du-diamant").contains("finess: \"2A0000123\"\n"));
    assert!(member(s.path(), "pharmacie-du-diamant").contains("commune: \"2A004\"\n"));
}

#[test]
fn spreadsheets_csv_cp1252_csv_utf8_and_xlsx_agree() {
    let mut trees = Vec::new();
    for (kind, f) in [
        (ImportKind::Csv, "membres_excel.csv"),
        (ImportKind::Csv, "membres_virgules.csv"),
        (ImportKind::Xlsx, "membres.xlsx"),
    ] {
        let s = site();
        let r = run(s.path(), kind, &fixture(f));
        let (added, updated, _) = files(&r);
        assert_eq!(added, ["content/membres/marc-rossi.yaml", "content/membres/lan-nguyen.yaml"], "{f}");
        assert_eq!(updated, ["content/membres/claire-exemple.yaml"], "{f}");
        assert_eq!(r.updated[0].fields, ["telephone (lieu 1)"]);
        let errors: Vec<(usize, Option<&str>, &str, bool)> =
            r.rejected.iter().map(|e| (e.row, e.column.as_deref(), e.value.as_str(), e.dropped)).collect();
        assert_eq!(
            errors,
            [
                (4, Some("Téléphone"), "12 34", false),
                (5, Some("Profession"), "Plombier", true),
                (6, Some("Commune"), "Draguignan", true)
            ],
            "{f}"
        );
        assert_eq!(r.unused_columns, ["Remarque"]);
        let existing = member(s.path(), "claire-exemple");
        assert_eq!(existing, common::MEMBER_YAML.replace("04 94 00 00 01", "04 94 00 00 99"));
        trees.push(common::read_tree(&s.path().join("content/membres")));
    }
    // The header comment names the command; the rest is identical.
    let strip = |t: &std::collections::BTreeMap<String, Vec<u8>>| {
        t.iter()
            .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).replace("import xlsx", "import csv")))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&trees[0]), strip(&trees[1]));
    assert_eq!(strip(&trees[0]), strip(&trees[2]));
    let rossi = String::from_utf8_lossy(&trees[2]["marc-rossi.yaml"]).into_owned();
    assert!(rossi.contains("    telephone: \"04 94 00 00 11\"\n"), "the number Excel stripped of its 0:\n{rossi}");
}

#[test]
fn map_option_names_other_columns() {
    let s = site();
    let csv = "Civilité;Nom;Prénom;Métier;Identifiant national;Rue;CP;Ville\nMme;Durand;Léa;Orthophoniste;10001234565;5 rue Neuve;83340;Le Luc\n";
    let file = s.path().join("liste.csv");
    fs::write(&file, csv).unwrap();
    let mut o = opts(s.path());
    o.map = vec![("Identifiant national".into(), "rpps".into()), ("Rue".into(), "adresse".into())];
    let r = import(ImportKind::Csv, &file, &o).unwrap();
    assert!(r.rejected.is_empty(), "{}", r.render());
    assert!(member(s.path(), "lea-durand").contains("rpps: \"10001234565\"\n"));
    o.map = vec![("Rue".into(), "rue".into())];
    assert!(import(ImportKind::Csv, &file, &o).is_err(), "unknown key");
}

#[test]
fn imported_members_build_without_hand_edits() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    run(s.path(), ImportKind::Rpps, &fixture("rpps_latin1.txt"));
    run(s.path(), ImportKind::Finess, &fixture("finess_latin1.csv"));
    run(s.path(), ImportKind::Csv, &fixture("membres_excel.csv"));
    // Unpublished members are checked but not shown; publish two to render their pages.
    for slug in ["claire-martin", "ehpad-les-restanques"] {
        let text = member(s.path(), slug).replace("publie: false", "publie: true");
        common::write(s.path(), &format!("content/membres/{slug}.yaml"), &text);
    }
    common::build(s.path());
    let tree = common::read_tree(&common::public(s.path()));
    assert!(tree.keys().any(|k| k.contains("claire-martin") && k.ends_with(".html")));
    assert!(tree.keys().any(|k| k.contains("ehpad-les-restanques") && k.ends_with(".html")));
    assert!(!tree.keys().any(|k| k.contains("paul-antoine-santoni")), "unpublished");
}
