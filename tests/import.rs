//! `maillage import`: the public formats and coordinators' spreadsheets in tests/fixtures/import/
//! (written by make_fixtures.py there, which says what each row is for) merged into a small
//! site. Every test holds the report to its arithmetic (each row read has exactly one outcome),
//! asserts its counts, and most look at the files written and the pages built from them.

mod common;

use maillage::import::{ImportKind, ImportOptions, Report, RowCounts, import};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The minimal site's territory (Le Luc, Vidauban) plus the five other communes of Le Luc's
/// postal code 83340 — six communes on one code, as in the example CPTS — and Ajaccio (2A004).
fn cpts_yaml() -> String {
    let mut extra = String::new();
    for (insee, nom, codes, centre) in [
        ("83031", "Le Cannet-des-Maures", "\"83340\"", "43.3920, 6.3385"),
        ("83057", "Flassans-sur-Issole", "\"83340\"", "43.3683, 6.2208"),
        ("83136", "Le Thoronet", "\"83340\"", "43.4514, 6.3039"),
        ("83026", "Cabasse", "\"83340\"", "43.4256, 6.2231"),
        ("83075", "Les Mayons", "\"83340\"", "43.3117, 6.3586"),
        ("2A004", "Ajaccio", "\"20000\", \"20090\"", "41.9267, 8.7369"),
    ] {
        extra.push_str(&format!(
            "    - insee: \"{insee}\"\n      nom: {nom}\n      codes_postaux: [{codes}]\n      population: 3000\n      centre: [{centre}]\n"
        ));
    }
    common::replace_once(
        common::CPTS_YAML,
        "      centre: [43.4272, 6.4325]\n",
        &format!("      centre: [43.4272, 6.4325]\n{extra}"),
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
    ImportOptions { root: root.to_path_buf(), today: common::TODAY, dry_run: false, progress: false, map: Vec::new() }
}

/// Runs an import and holds its report to the arithmetic of rows.
fn run_with(kind: ImportKind, file: &Path, o: &ImportOptions) -> Report {
    let r = import(kind, file, o).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(r.rows.balanced(), "{:?} ≠ read\n{}", r.rows, r.render());
    assert!(!r.notes.iter().any(|n| n.contains("signalez")), "{}", r.render());
    r
}

fn run(root: &Path, kind: ImportKind, file: &Path) -> Report {
    run_with(kind, file, &opts(root))
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

/// read = imported + updated + unchanged + outside + rejected + ambiguous.
fn rows(
    read: u64,
    imported: u64,
    updated: u64,
    unchanged: u64,
    outside: u64,
    rejected: u64,
    ambiguous: u64,
) -> RowCounts {
    RowCounts { read, imported, updated, unchanged, outside, rejected, ambiguous }
}

/// Errors `maillage check` finds in the site.
fn check_errors(root: &Path) -> Vec<String> {
    let out = root.join("public");
    maillage::check_site(&common::opts(root, &out))
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}:{} {} {}", d.file, d.line, d.code, d.message))
        .collect()
}

/// Gives every member its consent to publication, as a coordinator would once they agreed.
fn publish_all(root: &Path) {
    for e in fs::read_dir(root.join("content/membres")).unwrap() {
        let path = e.unwrap().path();
        let text = fs::read_to_string(&path).unwrap().replace("publie: false", "publie: true");
        fs::write(path, text).unwrap();
    }
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
  - nom: Maison de santé de l’Argens
    adresse: 18 avenue de la Résistance, BP 12
    code_postal: \"83550\"
    commune: \"83148\"
    telephone: \"04 94 00 10 10\"
    courriel: cabinet.martin@example.fr
  - adresse: 2 rue des Écoles
    code_postal: \"83340\"
    commune: \"83073\"
    telephone: \"04 94 00 10 11\"
  - nom: Centre de soins non programmés
    adresse: 1 place de la Mairie
    code_postal: \"83340\"
    commune: \"83031\"
publie: false
";

#[test]
fn every_row_of_an_extraction_is_accounted_for() {
    let s = site();
    let r = run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    // 16 rows: 10 for 8 new members, 2 outside (Draguignan), 2 refused (a préparateur, a wrong
    // RPPS key), 2 ambiguous (83340 without a commune, and with a name none of its communes has).
    assert_eq!(r.rows, rows(16, 10, 0, 0, 2, 2, 2));
    assert_eq!(r.encoding, "UTF-8");
    let (added, updated, gone) = files(&r);
    assert_eq!(
        added,
        [
            "content/membres/claire-martin.yaml",
            "content/membres/jean-pierre-dupont.yaml",
            "content/membres/paul-antoine-santoni.yaml",
            "content/membres/helene-berenger.yaml",
            "content/membres/alex-giraud.yaml",
            "content/membres/jean-de-la-fontaine.yaml",
            "content/membres/kate-mcdonald.yaml",
            "content/membres/yves-blanc.yaml",
        ]
    );
    assert!(updated.is_empty());
    // The minimal site's GP of Le Luc is not in an extraction that covers GPs and Le Luc.
    assert_eq!(gone, ["content/membres/claire-exemple.yaml"]);
    let refused: Vec<(usize, Option<&str>, &str, bool)> =
        r.rejected.iter().map(|e| (e.row, e.column.as_deref(), e.value.as_str(), e.dropped)).collect();
    assert_eq!(
        refused,
        [
            (11, Some("Identifiant PP"), "10001234566", true),
            (12, Some("Adresse e-mail (coord. structure)"), "giraud@", false)
        ]
    );
    assert!(r.rejected[0].reason.contains("Luhn"), "{:?}", r.rejected[0]);
    assert_eq!(
        r.ignored,
        BTreeMap::from([(
            "profession «\u{a0}Préparateur en pharmacie\u{a0}» hors du vocabulaire".to_string(),
            vec![10]
        )])
    );
    let ambiguous: Vec<(usize, &str)> = r.ambiguous.iter().map(|e| (e.row, e.value.as_str())).collect();
    assert_eq!(ambiguous, [(13, "83340"), (14, "83340 LE LUC EN PROVINCE")]);
    assert!(r.ambiguous[0].reason.contains("Sophie Roux (RPPS 10006667777)"), "{:?}", r.ambiguous[0]);
    assert!(r.ambiguous[0].reason.contains("6 communes (Le Luc, Le Cannet-des-Maures"), "{:?}", r.ambiguous[0]);
    assert!(r.ambiguous[1].reason.contains("«\u{a0}LE LUC EN PROVINCE\u{a0}» introuvable"), "{:?}", r.ambiguous[1]);
    let text = r.render();
    for part in [
        "Import de l’Annuaire Santé (RPPS), fichier rpps_utf8.txt, encodage UTF-8.\n",
        "16\u{a0}lignes lues\u{a0}: 10\u{a0}importées, 0\u{a0}mise à jour, 0\u{a0}inchangée, 2\u{a0}hors du territoire, 2\u{a0}refusées, 2\u{a0}ambiguës.\n",
        "Membres\u{a0}: 8\u{a0}ajoutés, 0\u{a0}mis à jour, 0\u{a0}inchangé.\n",
        "ligne 11, colonne «\u{a0}Identifiant PP\u{a0}», valeur «\u{a0}10001234566\u{a0}»",
        "Préparateur en pharmacie\u{a0}» hors du vocabulaire\u{a0}: ligne 10\n",
        "Lignes ambiguës — la commune n’est pas sûre, rien n’a été deviné (2)",
        "Valeurs laissées de côté — la ligne est importée sans elles (1)",
    ] {
        assert!(text.contains(part), "{part}\n{text}");
    }
}

#[test]
fn extraction_rows_are_written_as_french_writes_them() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    // Three places in the territory: a BP kept; Le Luc by its name among the six communes of
    // 83340; the site's name in French casing.
    assert_eq!(member(s.path(), "claire-martin"), format!("{HEADER}{MARTIN}"));
    // No commune code or name: the CEDEX office; an ADELI number.
    assert_eq!(
        member(s.path(), "jean-pierre-dupont"),
        format!(
            "{HEADER}civilite: M.\nprenom: Jean-Pierre\nnom: Dupont\nprofession: infirmier\nadeli: \"837001239\"\nexercice: liberal\nlieux:\n  - adresse: 7 chemin des Vignes\n    code_postal: \"83340\"\n    commune: \"83031\"\n    telephone: \"06 12 34 56 78\"\npublie: false\n"
        )
    );
    // Corsica; a specialist with the savoir-faire as specialty.
    assert_eq!(
        member(s.path(), "paul-antoine-santoni"),
        format!(
            "{HEADER}civilite: M.\ntitre: Dr\nprenom: Paul-Antoine\nnom: Santoni\nprofession: medecin-specialiste\nspecialite: Cardiologie et maladies vasculaires\nrpps: \"10007654329\"\nexercice: salarie\nlieux:\n  - nom: Centre hospitalier de la Miséricorde\n    adresse: 27 avenue Imperatrice Eugenie\n    code_postal: \"20000\"\n    commune: \"2A004\"\npublie: false\n"
        )
    );
    // The site's name is a company (SELARL); the building goes before the street.
    assert!(member(s.path(), "helene-berenger").contains(
        "prenom: Hélène\nnom: Bérenger\nprofession: pharmacien\nrpps: \"10005550008\"\nexercice: liberal\nlieux:\n  - nom: SELARL Pharmacie du Cours\n    adresse: Centre commercial Les Platanes, 3 cours Gambetta\n"
    ));
    // No civilité in the source: none written, nothing derived; the invalid e-mail left out.
    assert_eq!(
        member(s.path(), "alex-giraud"),
        format!(
            "{HEADER}prenom: Alex\nnom: Giraud\nprofession: masseur-kinesitherapeute\nrpps: \"10003334447\"\nexercice: liberal\nlieux:\n  - adresse: 4 rue du Four\n    code_postal: \"83340\"\n    commune: \"83136\"\npublie: false\n"
        )
    );
    // A particle; the maison de santé of « Complément point géographique » names the place; an
    // elision restored; Flassans-sur-Issole found by its name among the six.
    assert!(member(s.path(), "jean-de-la-fontaine").contains(
        "prenom: Jean\nnom: de La Fontaine\nprofession: medecin-generaliste\nrpps: \"10008889999\"\nexercice: liberal\nlieux:\n  - nom: Maison de santé pluriprofessionnelle Les Oliviers\n    adresse: 10 rue d’Artagnan\n    code_postal: \"83340\"\n    commune: \"83057\"\n"
    ));
    // A CEDEX code that is no postal code: Le Luc, with Le Luc's postal code; the BP kept.
    assert!(member(s.path(), "kate-mcdonald").contains(
        "nom: McDonald\nprofession: orthoptiste\nrpps: \"10001112225\"\nexercice: liberal\nlieux:\n  - adresse: 6 boulevard Jean Jaurès, BP 210\n    code_postal: \"83340\"\n    commune: \"83073\"\n"
    ));
    assert!(member(s.path(), "yves-blanc").contains("  - nom: SESSAD Les Cigales\n    adresse: 2 allée des Cigales\n"));
}

#[test]
fn bom_crlf_utf16_and_reordered_columns_give_the_same_files() {
    let mut trees = Vec::new();
    for (f, encoding) in
        [("rpps_utf8.txt", "UTF-8"), ("rpps_bom_reordered.txt", "UTF-8 avec BOM"), ("rpps_utf16le.txt", "UTF-16 LE")]
    {
        let s = site();
        let r = run(s.path(), ImportKind::Rpps, &fixture(f));
        assert_eq!((r.rows, r.encoding.as_str()), (rows(16, 10, 0, 0, 2, 2, 2), encoding), "{f}");
        trees.push(common::read_tree(&s.path().join("content")));
    }
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
}

#[test]
fn latin1_extraction_is_decoded() {
    let s = site();
    let r = run(s.path(), ImportKind::Rpps, &fixture("rpps_latin1.txt"));
    assert_eq!((r.rows, r.encoding.as_str()), (rows(1, 1, 0, 0, 0, 0, 0), "Windows-1252"));
    assert_eq!(
        member(s.path(), "francoise-lefevre"),
        format!(
            "{HEADER}civilite: Mme\nprenom: Françoise\nnom: Lefèvre\nprofession: sage-femme\nrpps: \"10002221116\"\nexercice: liberal\nlieux:\n  - adresse: 12 allée des Pinèdes\n    code_postal: \"83340\"\n    commune: \"83073\"\npublie: false\n"
        )
    );
}

#[test]
fn finess_establishments_with_their_complements_and_coordinates() {
    let s = site();
    let r = run(s.path(), ImportKind::Finess, &fixture("finess_latin1.csv"));
    // 8 `structureet` lines: 4 new, 1 outside (Draguignan), 3 refused (a crèche and a SESSAD
    // outside the vocabulary, a wrong FINESS key).
    assert_eq!(r.rows, rows(8, 4, 0, 0, 1, 3, 0));
    assert_eq!(
        files(&r).0,
        [
            "content/membres/ehpad-les-restanques.yaml",
            "content/membres/pharmacie-du-centre-selarl.yaml",
            "content/membres/pharmacie-du-diamant.yaml",
            "content/membres/maison-de-sante-pluriprofessionnelle-du-thoronet.yaml"
        ]
    );
    assert_eq!(r.ignored.values().flatten().copied().collect::<Vec<_>>(), [4, 8]);
    assert_eq!(r.rejected.iter().map(|e| (e.row, e.value.as_str())).collect::<Vec<_>>(), [(9, "830009875")]);
    let head = "# Fiche créée par « maillage import finess » à partir du fichier FINESS.\n# Vérifiez-la et complétez-la (horaires, prise de rendez-vous, présentation…) ;\n# ne passez « publie » à true qu’avec l’accord de la personne ou de la structure.\n";
    // E.H.P.A.D. becomes EHPAD; the building (compldistrib) kept; Lambert-93 to WGS84.
    assert_eq!(
        member(s.path(), "ehpad-les-restanques"),
        format!(
            "{head}raison_sociale: EHPAD Les Restanques\nstructure: ehpad\nfiness: \"830001236\"\nsiret: \"77889900112230\"\nlieux:\n  - adresse: Bâtiment B, 12 chemin des Pailles\n    code_postal: \"83550\"\n    commune: \"83148\"\n    coordonnees: [43.42900, 6.42640]\n    telephone: \"04 94 00 64 93\"\npublie: false\n"
        )
    );
    // Quoted field with "" escapes and a ; inside; the BP of « lieuditbp »; a CEDEX routing
    // line, the commune's postal code.
    let pharmacie = member(s.path(), "pharmacie-du-centre-selarl");
    assert!(pharmacie.contains("raison_sociale: Pharmacie \"du Centre\"; SELARL\n"), "{pharmacie}");
    assert!(
        pharmacie.contains("  - adresse: 4 place de la Libération, BP 45\n    code_postal: \"83340\"\n"),
        "{pharmacie}"
    );
    assert!(member(s.path(), "pharmacie-du-diamant").contains("finess: \"2A0000123\"\n"));
    assert!(member(s.path(), "pharmacie-du-diamant").contains("commune: \"2A004\"\n"));
    // The complement of the name names the site; the lieu-dit is its address.
    assert!(
        member(s.path(), "maison-de-sante-pluriprofessionnelle-du-thoronet")
            .contains("  - nom: Site des Vignes\n    adresse: Lieu-dit Les Vignes\n    code_postal: \"83340\"\n    commune: \"83136\"\n")
    );
}

/// One coordinator's list, saved every way a spreadsheet saves it.
const SHEETS: [(ImportKind, &str, &str); 7] = [
    (ImportKind::Csv, "membres_excel.csv", "Windows-1252"),
    (ImportKind::Csv, "membres_bom.csv", "UTF-8 avec BOM"),
    (ImportKind::Csv, "membres_virgules.csv", "UTF-8"),
    (ImportKind::Csv, "membres_utf16le.csv", "UTF-16 LE"),
    (ImportKind::Csv, "membres_utf16be.csv", "UTF-16 BE"),
    (ImportKind::Xlsx, "membres.xlsx", ""),
    (ImportKind::Xlsx, "membres.ods", ""),
];

#[test]
fn spreadsheets_in_every_encoding_and_format_agree() {
    let mut trees = Vec::new();
    for (kind, f, encoding) in SHEETS {
        let s = site();
        let r = run(s.path(), kind, &fixture(f));
        // 8 rows: 4 new, the existing member updated, Draguignan outside, a plumber refused,
        // 83340 without a commune ambiguous.
        assert_eq!((r.rows, r.encoding.as_str()), (rows(8, 4, 1, 0, 1, 1, 1), encoding), "{f}");
        let (added, updated, gone) = files(&r);
        assert_eq!(
            added,
            [
                "content/membres/marc-rossi.yaml",
                "content/membres/lan-nguyen.yaml",
                "content/membres/paul-durand.yaml",
                "content/membres/luc-blanc.yaml"
            ],
            "{f}"
        );
        assert_eq!(updated, ["content/membres/claire-exemple.yaml"], "{f}");
        assert!(gone.is_empty(), "a spreadsheet is often partial: no departures");
        assert_eq!(r.updated[0].fields, ["telephone (lieu 1)"]);
        let errors: Vec<(usize, Option<&str>, &str, bool)> =
            r.rejected.iter().map(|e| (e.row, e.column.as_deref(), e.value.as_str(), e.dropped)).collect();
        assert_eq!(
            errors,
            [
                (3, Some("Courriel"), "marc@", false),
                (4, Some("Téléphone"), "12 34", false),
                (5, Some("Profession"), "Plombier", true)
            ],
            "{f}"
        );
        assert_eq!(r.outside.iter().map(|e| (e.row, e.value.as_str())).collect::<Vec<_>>(), [(6, "Draguignan")]);
        assert_eq!(r.ambiguous.iter().map(|e| (e.row, e.value.as_str())).collect::<Vec<_>>(), [(8, "83340")]);
        assert_eq!(r.unused_columns, ["Remarque"]);
        let existing = member(s.path(), "claire-exemple");
        // The new number says where it comes from: never the member's confirmation.
        let source = if kind == ImportKind::Xlsx { "classeur" } else { "tableau CSV" };
        assert_eq!(
            existing,
            common::MEMBER_YAML.replace(
                "    telephone: \"04 94 00 00 01\"\n",
                &format!(
                    "    telephone: \"04 94 00 00 99\"\n    releve: {{source: \"{source}\", importe_le: 2026-11-22}}\n"
                )
            ),
            "« oui » is what it said"
        );
        trees.push(common::read_tree(&s.path().join("content/membres")));
    }
    // The header comment and the source of a changed number name the command; the rest is
    // identical.
    let strip = |t: &BTreeMap<String, Vec<u8>>| {
        t.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    String::from_utf8_lossy(v)
                        .replace("import xlsx", "import csv")
                        .replace("\"classeur\"", "\"tableau CSV\""),
                )
            })
            .collect::<Vec<_>>()
    };
    for t in &trees[1..] {
        assert_eq!(strip(&trees[0]), strip(t));
    }
    let tree = strip(&trees[0]);
    let file = |slug: &str| tree.iter().find(|(k, _)| k == &format!("{slug}.yaml")).map(|(_, v)| v.clone()).unwrap();
    let body =
        |slug: &str| file(slug).split_once("l’accord de la personne ou de la structure.\n").unwrap().1.to_string();
    // The number a spreadsheet stripped of its 0 gets it back; the invalid e-mail is left out.
    assert_eq!(
        body("marc-rossi"),
        "civilite: M.\nprenom: Marc\nnom: Rossi\nprofession: masseur-kinesitherapeute\nlieux:\n  - adresse: 9 avenue de la Gare\n    code_postal: \"83550\"\n    commune: \"83148\"\n    telephone: \"04 94 00 00 11\"\npublie: false\n"
    );
    assert!(body("lan-nguyen").ends_with("commune: \"83148\"\naccepte_nouveaux_patients: false\npublie: false\n"));
    // « Dr » in the Civilité column is a title: no civilité is made up.
    assert!(body("paul-durand").starts_with("titre: Dr\nprenom: Paul\nnom: Durand\nprofession: medecin-generaliste\n"));
    // Cabasse has one postal code: the missing one is filled.
    assert!(
        body("luc-blanc")
            .contains("  - adresse: Rue de l'Église\n    code_postal: \"83340\"\n    commune: \"83026\"\n")
    );
}

#[test]
fn a_list_without_civilite_keeps_every_row() {
    let s = site();
    let r = run(s.path(), ImportKind::Csv, &fixture("membres_sans_civilite.csv"));
    assert_eq!(r.rows, rows(7, 7, 0, 0, 0, 0, 0), "{}", r.render());
    // The header is on line 4 (under `sep=;`, a title and a blank line): rows are numbered as a
    // spreadsheet shows them.
    assert_eq!(
        r.rejected.iter().map(|e| (e.row, e.column.as_deref(), e.dropped)).collect::<Vec<_>>(),
        [(7, Some("Mail"), false)]
    );
    let body = |slug: &str| member(s.path(), slug).split_once("structure.\n").unwrap().1.to_string();
    assert_eq!(
        body("julie-arnaud"),
        "titre: Dr\nprenom: Julie\nnom: Arnaud\nprofession: medecin-generaliste\nlieux:\n  - adresse: 12 rue de la Paix\n    code_postal: \"83550\"\n    commune: \"83148\"\n    telephone: \"04 94 11 22 33\"\n    courriel: j.arnaud@example.fr\naccepte_nouveaux_patients: true\nsoins_non_programmes: true\nlangues: [anglais]\npublie: false\n"
    );
    // Empty cells are not « no »: nothing written.
    assert!(!body("thomas-boyer").contains("soins_non_programmes") && !body("thomas-boyer").contains("civilite"));
    assert!(
        body("ines-costa").starts_with("titre: Dr\n")
            && body("ines-costa").contains("langues: [espagnol, portugais]\n")
    );
    assert!(body("henri-delmas").starts_with(
        "titre: Pr\nprenom: Henri\nnom: Delmas\nprofession: medecin-specialiste\nspecialite: Cardiologie\n"
    ));
    assert!(
        body("rose-eymard").starts_with("civilite: Mme\n")
            && body("rose-eymard").contains("soins_non_programmes: false\nlangues: []\n")
    );
    assert!(body("lou-gay").starts_with("civilite: Mme\n"), "Mlle");
    assert!(body("lou-gay").contains("code_postal: \"83340\"\n    commune: \"83075\"\n"));
    assert!(check_errors(s.path()).is_empty());
}

#[test]
fn a_workbook_fills_what_the_coordinator_owns_and_never_overwrites_it() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    let before = member(s.path(), "claire-martin");
    // The list is on the second sheet; « NOM Prénom » in one column, the profession in
    // « Spécialité », « RPPS/ADELI » told apart by length, « Mme le Dr ».
    let r = run(s.path(), ImportKind::Xlsx, &fixture("membres_nom_prenom.xlsx"));
    assert_eq!(r.rows, rows(4, 1, 2, 0, 0, 1, 0), "{}", r.render());
    assert_eq!(files(&r).0, ["content/membres/marc-legrand.yaml"]);
    assert_eq!(r.updated[0].fields, ["visites_domicile", "telephone (lieu 1)", "accessible_pmr (lieu 1)"]);
    assert_eq!(r.updated[1].fields, ["visites_domicile"]);
    assert_eq!((r.rejected[0].row, r.rejected[0].value.as_str()), (4, "Paul Santoni"));
    assert_eq!(
        member(s.path(), "claire-martin"),
        before
            .replace("    telephone: \"04 94 00 10 10\"\n", "    telephone: \"06 12 34 56 78\"\n")
            .replace(
                "    courriel: cabinet.martin@example.fr\n",
                "    courriel: cabinet.martin@example.fr\n    accessible_pmr: true\n    releve: {source: \"classeur\", importe_le: 2026-11-22}\n"
            )
            .replace("publie: false\n", "visites_domicile: true\npublie: false\n")
    );
    assert!(member(s.path(), "marc-legrand").contains("profession: medecin-specialiste\nspecialite: Pédiatrie\n"));
    // The coordinator says otherwise in the file: the file wins, the difference is noted.
    let edited = member(s.path(), "claire-martin").replace("visites_domicile: true", "visites_domicile: false");
    common::write(s.path(), "content/membres/claire-martin.yaml", &edited);
    let r = run(s.path(), ImportKind::Xlsx, &fixture("membres_nom_prenom.xlsx"));
    assert_eq!(r.rows, rows(4, 0, 0, 3, 0, 1, 0), "{}", r.render());
    assert_eq!(member(s.path(), "claire-martin"), edited);
    assert!(
        r.notes.iter().any(|n| n.contains("« visites_domicile » vaut non dans la fiche et oui dans le fichier")),
        "{:?}",
        r.notes
    );
}

#[test]
fn empty_undecodable_and_wrong_files_are_refused_in_french() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    let before = common::read_tree(s.path());
    let header = fs::read_to_string(fixture("rpps_utf8.txt")).unwrap().lines().next().unwrap().to_string();
    let cases: Vec<(ImportKind, &str, Vec<u8>, &str)> = vec![
        (ImportKind::Rpps, "vide.txt", vec![], "est vide"),
        (ImportKind::Rpps, "entete.txt", format!("{header}\n").into_bytes(), "aucune ligne de données"),
        (ImportKind::Rpps, "autre.txt", b"a|b|c|\n1|2|3|\n".to_vec(), "colonnes absentes de l’en-tête"),
        (ImportKind::Rpps, "binaire.txt", b"\x00\x01\x02\xff\x00\x10abc".to_vec(), "ce n’est pas un fichier texte"),
        (ImportKind::Finess, "vide.csv", b"\xef\xbb\xbf".to_vec(), "est vide"),
        (ImportKind::Finess, "autre.csv", b"a;b\n".to_vec(), "est-ce bien le fichier etalab"),
        (ImportKind::Finess, "meta.csv", b"finess;etalab;111;2026-05-12\n".to_vec(), "aucune ligne « structureet »"),
        (ImportKind::Csv, "vide.csv", b"\r\n\r\n".to_vec(), "est vide"),
        (ImportKind::Csv, "entete.csv", "Nom;Prénom;Adresse;Commune\n".as_bytes().to_vec(), "aucune ligne ne le suit"),
        (ImportKind::Csv, "autre.csv", b"a;b;c\n1;2;3\n".to_vec(), "en-tête introuvable"),
        (ImportKind::Csv, "controles.csv", b"Nom;Commune\x01\x02\nA;B\n".to_vec(), "caractères de contrôle"),
        (ImportKind::Csv, "inconnu.csv", b"Nom;Commune\n\x81\x8d\x8f;x\n".to_vec(), "ni de l’UTF-8 ni du Windows-1252"),
        (
            ImportKind::Csv,
            "classeur.csv",
            fs::read(fixture("membres.xlsx")).unwrap(),
            "importez-le avec « maillage import xlsx »",
        ),
        (ImportKind::Xlsx, "vide.xlsx", vec![], "est vide"),
        (ImportKind::Xlsx, "faux.xlsx", b"Nom;Commune\n".to_vec(), "classeur illisible"),
    ];
    for (kind, name, bytes, expected) in cases {
        let file = s.path().join(name);
        fs::write(&file, &bytes).unwrap();
        let e = import(kind, &file, &opts(s.path())).map(|r| r.render()).expect_err(name).to_string();
        assert!(e.contains(expected), "{name}: {e}");
        fs::remove_file(&file).unwrap();
    }
    assert_eq!(common::read_tree(s.path()), before, "nothing written, nobody marked as gone");
}

/// A line of the Annuaire Santé extraction for a GP of Le Luc.
fn gp_line(header: &str, rpps: &str, nom: &str, code_commune: &str, cp: &str) -> String {
    let cols: Vec<&str> = header.trim_end_matches('|').split('|').collect();
    let value = |c: &str| match c {
        "Type d'identifiant PP" => "8".to_string(),
        "Identifiant PP" => rpps.to_string(),
        "Nom d'exercice" => nom.to_string(),
        "Prénom d'exercice" => "ANNE".to_string(),
        "Code profession" => "10".to_string(),
        "Numéro Voie (coord. structure)" => "1".to_string(),
        "Libellé Voie (coord. structure)" => "RUE HAUTE".to_string(),
        "Code postal (coord. structure)" => cp.to_string(),
        "Code commune (coord. structure)" => code_commune.to_string(),
        _ => String::new(),
    };
    cols.iter().map(|c| value(c)).collect::<Vec<_>>().join("|") + "|"
}

/// An 11-digit RPPS number with its Luhn key.
fn rpps(n: u64) -> String {
    let prefix = format!("{n:010}");
    (0..10)
        .map(|d| format!("{prefix}{d}"))
        .find(|c| {
            let sum: u32 = c
                .bytes()
                .rev()
                .enumerate()
                .map(|(i, b)| {
                    let x = u32::from(b - b'0') * if i % 2 == 1 { 2 } else { 1 };
                    if x > 9 { x - 9 } else { x }
                })
                .sum();
            sum.is_multiple_of(10)
        })
        .unwrap()
}

#[test]
fn departures_are_only_reported_from_an_extract_that_can_tell() {
    let s = site();
    let header = fs::read_to_string(fixture("rpps_utf8.txt")).unwrap().lines().next().unwrap().to_string();
    let extract = |lines: &[String]| {
        let file = s.path().join("extrait.txt");
        fs::write(&file, format!("{header}\n{}\n", lines.join("\n"))).unwrap();
        file
    };
    let gps: Vec<String> =
        (1..=7).map(|i| gp_line(&header, &rpps(1000 + i), &format!("MEDECIN{i}"), "83073", "83340")).collect();
    let r = run(s.path(), ImportKind::Rpps, &extract(&gps));
    assert_eq!(r.rows, rows(7, 7, 0, 0, 0, 0, 0));
    assert_eq!(files(&r).2, ["content/membres/claire-exemple.yaml"], "the one GP of Le Luc it does not list");
    // An extract with no row for the territory: nobody is gone.
    let r = run(s.path(), ImportKind::Rpps, &extract(&[gp_line(&header, &rpps(2000), "LOIN", "83050", "83300")]));
    assert_eq!(r.rows, rows(1, 0, 0, 0, 1, 0, 0));
    assert!(r.gone.is_empty());
    assert!(r.gone_skipped.as_deref().unwrap().contains("aucune ligne pour les communes du territoire"), "{r:?}");
    // Two of the eight GPs: an extract cut short, not six departures.
    let r = run(s.path(), ImportKind::Rpps, &extract(&gps[..2]));
    assert_eq!(r.rows, rows(2, 0, 0, 2, 0, 0, 0));
    assert!(r.gone.is_empty());
    assert!(
        r.gone_skipped.as_deref().unwrap().contains("6 des 8 membres que ce fichier couvre n’y sont pas"),
        "{:?}",
        r.gone_skipped
    );
    // Seven of eight: one departure, reported (never deleted).
    let r = run(s.path(), ImportKind::Rpps, &extract(&gps));
    assert_eq!(files(&r).2, ["content/membres/claire-exemple.yaml"]);
    assert!(s.path().join("content/membres/claire-exemple.yaml").exists());
    // An extract of nurses says nothing about GPs.
    let nurse = gp_line(&header, &rpps(3000), "INFIRMIER", "83073", "83340").replacen("|10|", "|60|", 1);
    let r = run(s.path(), ImportKind::Rpps, &extract(&[nurse]));
    assert_eq!(r.rows, rows(1, 1, 0, 0, 0, 0, 0));
    assert!(r.gone.is_empty());
    assert!(
        r.notes
            .iter()
            .any(|n| n
                .contains("8\u{a0}membres de professions, de types ou de communes dont ce fichier n’a aucune ligne")),
        "{:?}",
        r.notes
    );
}

#[test]
fn check_passes_after_every_import_of_every_file_even_once_all_are_published() {
    let all: Vec<(ImportKind, &str)> = [
        (ImportKind::Rpps, "rpps_utf8.txt"),
        (ImportKind::Rpps, "rpps_bom_reordered.txt"),
        (ImportKind::Rpps, "rpps_utf16le.txt"),
        (ImportKind::Rpps, "rpps_latin1.txt"),
        (ImportKind::Finess, "finess_latin1.csv"),
        (ImportKind::Csv, "membres_sans_civilite.csv"),
        (ImportKind::Xlsx, "membres_nom_prenom.xlsx"),
    ]
    .into_iter()
    .chain(SHEETS.iter().map(|(k, f, _)| (*k, *f)))
    .collect();
    // Each file alone, then all of them one after the other.
    let together = site();
    for (kind, f) in &all {
        let s = site();
        run(s.path(), *kind, &fixture(f));
        assert_eq!(check_errors(s.path()), Vec::<String>::new(), "{f}");
        run(together.path(), *kind, &fixture(f));
        assert_eq!(check_errors(together.path()), Vec::<String>::new(), "{f} after the others");
    }
    // Nothing the import wrote would stop the build once published.
    publish_all(together.path());
    assert_eq!(check_errors(together.path()), Vec::<String>::new());
    common::build(together.path());
}

#[test]
fn pages_built_from_imports_say_what_the_sources_say_and_nothing_more() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    run(s.path(), ImportKind::Finess, &fixture("finess_latin1.csv"));
    for slug in ["claire-martin", "alex-giraud", "ehpad-les-restanques", "jean-de-la-fontaine"] {
        let text = member(s.path(), slug).replace("publie: false", "publie: true");
        common::write(s.path(), &format!("content/membres/{slug}.yaml"), &text);
    }
    // An unpublished member with an error the coordinator typed: a warning, the site builds.
    let typo = member(s.path(), "kate-mcdonald").replace("civilite: Mme", "civilite: Madame");
    common::write(s.path(), "content/membres/kate-mcdonald.yaml", &typo);
    let report = common::build(s.path());
    assert!(
        report.warnings.iter().any(|w| w.code == "M053" && w.file.ends_with("kate-mcdonald.yaml")),
        "{:?}",
        report.warnings
    );
    let out = common::public(s.path());
    let page = |slug: &str| common::read(&out, &format!("annuaire/{slug}/index.html"));
    let martin = page("claire-martin");
    for part in ["Maison de santé de l’Argens", "18 avenue de la Résistance, BP 12", "Centre de soins non programmés"]
    {
        assert!(martin.contains(part), "{part}: {martin}");
    }
    for absent in ["Soins non programmés&nbsp;:", "Téléconsultation", "Langues parlées", "Visites à domicile"] {
        assert!(!martin.contains(absent), "{absent}: {martin}");
    }
    assert!(martin.contains("Nouveaux patients&nbsp;: non renseigné"), "{martin}");
    // No civilité: the profession's name, no title made up.
    let giraud = page("alex-giraud");
    assert!(giraud.contains(">Masseur-kinésithérapeute</a>") && giraud.contains("<h1>Alex Giraud</h1>"), "{giraud}");
    assert!(page("jean-de-la-fontaine").contains("<h1>Dr Jean de La Fontaine</h1>"));
    assert!(page("ehpad-les-restanques").contains("Bâtiment B, 12 chemin des Pailles"));
    // /soins/ lists nobody: no source said yes.
    let care = common::read(&out, "soins/index.html");
    for slug in ["claire-martin", "alex-giraud", "jean-de-la-fontaine"] {
        assert!(!care.contains(&format!("/annuaire/{slug}/")), "{slug}: {care}");
    }
    assert!(!out.join("annuaire/kate-mcdonald").exists(), "unpublished");
}

#[test]
fn round_trip_keeps_hand_edits_and_changes_nothing_else() {
    let s = site();
    let imports = [
        (ImportKind::Rpps, fixture("rpps_utf8.txt")),
        (ImportKind::Finess, fixture("finess_latin1.csv")),
        (ImportKind::Csv, fixture("membres_sans_civilite.csv")),
    ];
    for (kind, f) in &imports {
        run(s.path(), *kind, f);
    }
    // The coordinator publishes with consent, adds what only they know, a comment, hours, a
    // booking link, rewrites an address, reorders nothing else.
    let edited = common::replace_once(
        &common::replace_once(
            &common::replace_once(
                &format!("{HEADER}{MARTIN}"),
                "publie: false\n",
                "accepte_nouveaux_patients: true\nsoins_non_programmes: true\nteleconsultation: false\nlangues: [anglais]\npresentation: >-\n  Médecin de famille.\n# Accord recueilli le 3 mars.\npublie: true\n",
            ),
            "    telephone: \"04 94 00 10 10\"\n",
            "    telephone: \"04 94 00 10 10\"\n    horaires: Lundi au vendredi # sauf jours fériés\n    prise_rdv: https://rdv.example.fr/martin\n",
        ),
        "2 rue des Écoles",
        "2 rue des Écoles, 1er étage",
    );
    common::write(s.path(), "content/membres/claire-martin.yaml", &edited);
    let arnaud = member(s.path(), "julie-arnaud").replace("langues: [anglais]", "langues: [anglais, italien]");
    common::write(s.path(), "content/membres/julie-arnaud.yaml", &arnaud);
    let before = common::read_tree(s.path());
    // The same files again: nothing changes, every member is unchanged.
    for (kind, f) in &imports {
        let r = run(s.path(), *kind, f);
        assert!(r.added.is_empty() && r.updated.is_empty(), "{}", r.render());
        assert_eq!(r.rows.unchanged, r.rows.read - r.rows.outside - r.rows.rejected - r.rows.ambiguous);
    }
    assert_eq!(common::read_tree(s.path()), before);
    // The source changes one phone number: that line changes, and the place records where the
    // number comes from (an extract, not the member's confirmation); nothing else changes.
    let src = fs::read_to_string(fixture("rpps_utf8.txt")).unwrap().replace("0494001010", "0494001099");
    let changed = s.path().join("rpps_modifie.txt");
    fs::write(&changed, src).unwrap();
    let r = run(s.path(), ImportKind::Rpps, &changed);
    assert_eq!(files(&r).1, ["content/membres/claire-martin.yaml"]);
    assert_eq!(r.updated[0].fields, ["telephone (lieu 1)"]);
    assert_eq!(r.rows, rows(16, 0, 3, 7, 2, 2, 2));
    assert_eq!(
        member(s.path(), "claire-martin"),
        edited.replace("04 94 00 10 10", "04 94 00 10 99").replace(
            "    horaires: Lundi au vendredi # sauf jours fériés\n",
            "    horaires: Lundi au vendredi # sauf jours fériés\n    releve: {source: \"Annuaire Santé (RPPS)\", importe_le: 2026-11-22}\n"
        )
    );
    assert!(r.notes.iter().any(|n| n.contains("lieu 2") && n.contains("2 rue des Écoles")), "{:?}", r.notes);
    fs::remove_file(&changed).unwrap();
    let after = common::read_tree(s.path());
    let changed_files: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert_eq!(changed_files, ["content/membres/claire-martin.yaml"]);
    assert_eq!(check_errors(s.path()), Vec::<String>::new());
}

#[test]
fn dry_run_writes_nothing() {
    let s = site();
    let before = common::read_tree(s.path());
    let mut o = opts(s.path());
    o.dry_run = true;
    let r = run_with(ImportKind::Rpps, &fixture("rpps_utf8.txt"), &o);
    assert_eq!(r.added.len(), 8);
    assert!(r.render().contains("aucun fichier n’a été écrit"));
    assert_eq!(common::read_tree(s.path()), before);
}

#[test]
fn map_option_names_other_columns() {
    let s = site();
    let csv = "Civilité;Nom;Prénom;Métier;Identifiant national;Rue;CP;Ville\nMme;Durand;Léa;Orthophoniste;10001234565;5 rue Neuve;83340;Le Luc\n";
    let file = s.path().join("liste.csv");
    fs::write(&file, csv).unwrap();
    let mut o = opts(s.path());
    o.map = vec![("Identifiant national".into(), "rpps".into()), ("Rue".into(), "adresse".into())];
    let r = run_with(ImportKind::Csv, &file, &o);
    assert!(r.rejected.is_empty(), "{}", r.render());
    assert!(member(s.path(), "lea-durand").contains("rpps: \"10001234565\"\n"));
    o.map = vec![("Rue".into(), "rue".into())];
    assert!(import(ImportKind::Csv, &file, &o).is_err(), "unknown key");
}

#[test]
fn a_member_whose_file_is_broken_is_never_given_a_second_file() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    let broken = member(s.path(), "claire-martin").replace("lieux:\n", "lieux: [\n");
    common::write(s.path(), "content/membres/claire-martin.yaml", &broken);
    let r = run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    assert_eq!(r.rows, rows(16, 0, 0, 7, 2, 5, 2));
    assert!(r.added.is_empty());
    let martin: Vec<usize> =
        r.rejected.iter().filter(|e| e.reason.contains("claire-martin.yaml")).map(|e| e.row).collect();
    assert_eq!(martin, [2, 3, 4]);
    assert!(
        r.rejected.iter().filter(|e| e.row == 2).all(|e| e.reason.contains("qui ne peut pas être lue")),
        "{:?}",
        r.rejected
    );
    assert_eq!(member(s.path(), "claire-martin"), broken);
}

#[test]
fn numbers_that_disagree_are_not_merged() {
    let s = site();
    // The existing member's SIRET, with another person's RPPS.
    let member_with_siret =
        common::MEMBER_YAML.replace("exercice: liberal\n", "siret: \"77889900112230\"\nexercice: liberal\n");
    common::write(s.path(), common::MEMBER_PATH, &member_with_siret);
    let csv = "Nom;Prénom;Profession;RPPS;SIRET;Adresse;Commune\nAutre;Zoé;Infirmière;10001234565;77889900112230;1 rue A;Le Luc\n";
    let file = s.path().join("liste.csv");
    fs::write(&file, csv).unwrap();
    let r = run(s.path(), ImportKind::Csv, &file);
    assert_eq!(r.rows, rows(1, 0, 0, 0, 0, 1, 0));
    assert!(r.rejected[0].reason.contains("les numéros ne concordent pas"), "{:?}", r.rejected);
    assert_eq!(member(s.path(), "claire-exemple"), member_with_siret);
}

/// A small deterministic generator (no dependency): xorshift.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn the_rows_always_add_up() {
    let header = fs::read_to_string(fixture("rpps_utf8.txt")).unwrap().lines().next().unwrap().to_string();
    let cols: Vec<String> = header.trim_end_matches('|').split('|').map(str::to_string).collect();
    let at = |name: &str| cols.iter().position(|c| c == name).unwrap();
    let places: &[(&str, &str, &str, &str)] = &[
        ("83073", "83340", "LE LUC", ""),
        ("", "83340", "LE LUC", ""),
        ("", "83340", "", ""),
        ("", "83340", "CABASSE CEDEX", ""),
        ("", "83340", "NULLE PART", ""),
        ("", "", "", "83342 LE LUC CEDEX"),
        ("", "83550", "", ""),
        ("83050", "83300", "DRAGUIGNAN", ""),
        ("", "75015", "PARIS", ""),
        ("2A004", "20000", "AJACCIO", ""),
        ("", "83510", "LORGUES", ""),
    ];
    let professions = ["10", "60", "70", "39", "21", "50", ""];
    for seed in 1..=12u64 {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
        let s = site();
        let mut lines = vec![header.clone()];
        for _ in 0..40 {
            let mut v = vec![String::new(); cols.len()];
            let person = rng.next() % 25;
            let id = rpps(5000 + person);
            v[at("Type d'identifiant PP")] = "8".into();
            v[at("Identifiant PP")] = if rng.one_in(10) { format!("{}1", &id[..10]) } else { id };
            v[at("Nom d'exercice")] = if rng.one_in(15) { String::new() } else { format!("NOM{person}") };
            v[at("Prénom d'exercice")] = "ALEX".into();
            v[at("Code profession")] = (*rng.pick(&professions)).into();
            v[at("Numéro Voie (coord. structure)")] = (rng.next() % 3).to_string();
            v[at("Libellé Voie (coord. structure)")] = if rng.one_in(12) { String::new() } else { "RUE HAUTE".into() };
            let (code, cp, name, cedex) = *rng.pick(places);
            v[at("Code commune (coord. structure)")] = code.into();
            v[at("Code postal (coord. structure)")] = cp.into();
            v[at("Libellé commune (coord. structure)")] = name.into();
            v[at("Bureau cedex (coord. structure)")] = cedex.into();
            v[at("Adresse e-mail (coord. structure)")] = (*rng.pick(&["", "a@b.fr", "faux@"])).into();
            lines.push(v.join("|") + "|");
            if rng.one_in(8) {
                lines.push(String::new());
            }
        }
        let file = s.path().join("hasard.txt");
        fs::write(&file, lines.join("\n") + "\n").unwrap();
        // Twice: new members, then members unchanged or updated; always balanced (`run` holds
        // every report to it) and never a site `check` refuses.
        for _ in 0..2 {
            let r = run(s.path(), ImportKind::Rpps, &file);
            assert_eq!(r.rows.read, 40, "seed {seed}");
            assert_eq!(check_errors(s.path()), Vec::<String>::new(), "seed {seed}\n{}", r.render());
        }
    }
}

#[test]
fn a_number_an_import_changes_is_as_old_as_its_extract_until_the_member_confirms_it() {
    let s = site();
    run(s.path(), ImportKind::Rpps, &fixture("rpps_utf8.txt"));
    // Confirmed by the member in November, before the import.
    let rel = "content/membres/claire-martin.yaml";
    let dated = member(s.path(), "claire-martin").replace("publie: false\n", "verifie_le: 2026-11-10\npublie: true\n");
    common::write(s.path(), rel, &dated);
    // An extract of May 12th (its date is in its name) with a new number.
    let src = fs::read_to_string(fixture("rpps_utf8.txt")).unwrap().replace("0494001010", "0494001099");
    let extract = s.path().join("PS_LibreAcces_Personne_activite_202605121035.txt");
    fs::write(&extract, src).unwrap();
    run(s.path(), ImportKind::Rpps, &extract);
    let text = member(s.path(), "claire-martin");
    assert!(text.contains("    telephone: \"04 94 00 10 99\"\n"), "{text}");
    assert!(
        text.contains(
            "\n    releve: {source: \"Annuaire Santé (RPPS)\", extrait_du: 2026-05-12, importe_le: 2026-11-22}\n"
        ),
        "{text}"
    );
    assert!(text.contains("verifie_le: 2026-11-10\n"), "the member's date is left as it was: {text}");
    let phone = |text: &str| {
        common::write(s.path(), rel, text);
        let site = maillage::review::load(s.path()).unwrap();
        let m = site.member("claire-martin").unwrap();
        let a = m.data.assess(&site.cpts.data.fraicheur, common::TODAY);
        a.get(maillage::model::freshness::Fact::Telephone, Some(0)).cloned().unwrap()
    };
    // Not the member's November confirmation: the extract's May date, from its source.
    let imported = phone(&text);
    assert_eq!(
        (imported.confirmed, imported.source.as_deref()),
        (Some(jiff::civil::date(2026, 5, 12)), Some("Annuaire Santé (RPPS)"))
    );
    // The other place's number, which the import did not change, is still the member's.
    let site = maillage::review::load(s.path()).unwrap();
    let a = site.member("claire-martin").unwrap().data.assess(&site.cpts.data.fraicheur, common::TODAY);
    assert_eq!(
        a.get(maillage::model::freshness::Fact::Telephone, Some(1)).unwrap().confirmed,
        Some(jiff::civil::date(2026, 11, 10))
    );
    // Once the member confirms, from the day of the import on, the number is theirs again.
    let confirmed = phone(&text.replace("verifie_le: 2026-11-10", "verifie_le: 2026-11-22"));
    assert_eq!((confirmed.confirmed, confirmed.source), (Some(common::TODAY), None));
}

/// One member on thousands of rows, each with its own long address: the member file would pass
/// the 10 MB a build reads, so it is not written, and each of its rows says why; the other rows
/// are imported. The report shows the first refused rows and writes every one to its full file.
#[test]
fn a_member_file_beyond_the_content_limit_is_not_written_and_its_rows_say_why() {
    let s = site();
    let long = |i: usize, what: &str| format!("{i} {}", what.repeat(990 / what.len()));
    let id = rpps(4242);
    let mut csv = String::from("Nom;Prénom;Profession;RPPS;Lieu;Complément;Adresse;Code postal;Commune\n");
    let rows = 4000;
    for i in 0..rows {
        let (lieu, complement, adresse) =
            (long(i, "cabinet des oliviers "), long(i, "résidence les pins "), long(i, "chemin de la source "));
        csv.push_str(&format!("DURAND;Anne;Infirmière;{id};{lieu};{complement};{adresse};83340;Le Luc\n"));
    }
    csv.push_str("MARTIN;Paul;Infirmier;;;;2 rue Basse;83340;Le Luc\n");
    let file = s.path().join("enorme-fiche.csv");
    fs::write(&file, &csv).unwrap();
    let r = run(s.path(), ImportKind::Csv, &file);
    assert_eq!((r.rows.rejected, r.rows.imported), (rows as u64, 1), "{}", r.render());
    let first = &r.rejected[0];
    assert_eq!(first.row, 2);
    assert!(
        first.reason.starts_with("content/membres/anne-durand.yaml ferait ")
            && first.reason.contains(" Mo, au-delà de la limite de 10 Mo d’un fichier de contenu, et n’est pas écrit"),
        "{first:?}"
    );
    assert!(!s.path().join("content/membres/anne-durand.yaml").exists());
    assert!(s.path().join("content/membres/paul-martin.yaml").exists());
    let names: Vec<String> = fs::read_dir(s.path().join("content/membres"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with('.')), "no temporary file left: {names:?}");
    // The terminal shows the first rows and where the others are; the full report has them all.
    let text = r.render();
    let full = s.path().join(".maillage/rapports/import-csv.txt");
    assert!(
        text.contains(&format!("  … et 3\u{202f}980\u{a0}autres ; la liste complète est dans {}\n", full.display())),
        "{text}"
    );
    let whole = fs::read_to_string(&full).unwrap();
    let listed: Vec<&str> = whole.lines().filter(|l| l.contains("anne-durand.yaml ferait")).collect();
    assert_eq!(listed.len(), rows);
    assert!(listed[rows - 1].starts_with(&format!("  ligne {}\u{a0}: ", rows + 1)), "{}", listed[rows - 1]);
    common::build(s.path());
}
