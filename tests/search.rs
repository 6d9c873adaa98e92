//! The search indexes: `/annuaire/index.json` (members, for the directory's filters) and
//! `/recherche/index.json` (every other page), and the pages that read them.

mod common;

use common::*;
use serde_json::Value;

const SECOND_MEMBER: &str = r#"civilite: M.
prenom: Étienne
nom: Lefèvre
profession: infirmier
specialite: Plaies chroniques
exercice: liberal
lieux:
  - nom: Cabinet de l’Église
    adresse: 5 avenue des Thermes
    code_postal: "83550"
    commune: "83148"
    telephone: "04 94 00 00 02"
    accessible_pmr: true
soins_non_programmes: true
teleconsultation: true
langues: [Anglais, arabe]
publie: true
"#;

const HIDDEN_MEMBER: &str = r#"civilite: Mme
prenom: Discrète
nom: Cachée
profession: sage-femme
exercice: liberal
lieux:
  - adresse: 1 rue Secrète
    code_postal: "83340"
    commune: "83073"
publie: false
"#;

const ACTION: &str = "---
titre: Journées de dépistage du diabète
resume: Un test gratuit, sans rendez-vous.
theme: Maladies chroniques
seances:
  - date: 2026-12-05
    lieu: Marché couvert
    commune: \"83073\"
---
Les pharmaciens proposent une glycémie capillaire aux adultes.
";

fn built() -> (tempfile::TempDir, Value, Value) {
    let s = site(&[
        ("content/membres/etienne-lefevre.yaml", SECOND_MEMBER),
        ("content/membres/discrete-cachee.yaml", HIDDEN_MEMBER),
        ("content/actions/diabete.md", ACTION),
    ]);
    build(s.path());
    let out = public(s.path());
    let dir: Value = serde_json::from_str(&read(&out, "annuaire/index.json")).unwrap();
    let pages: Value = serde_json::from_str(&read(&out, "recherche/index.json")).unwrap();
    (s, dir, pages)
}

fn member<'a>(dir: &'a Value, slug: &str) -> Option<&'a Value> {
    dir["m"].as_array().unwrap().iter().find(|m| m[1] == slug)
}

#[test]
fn the_directory_index_holds_published_members_only() {
    let (_s, dir, _) = built();
    let slugs: Vec<&str> = dir["m"].as_array().unwrap().iter().map(|m| m[1].as_str().unwrap()).collect();
    assert_eq!(slugs, ["claire-exemple", "etienne-lefevre"], "triés par nom, sans la fiche non publiée");
    assert!(!dir.to_string().contains("Cach"), "{dir}");
    // Only kinds with published members are offered.
    let kinds: Vec<&str> = dir["kinds"].as_array().unwrap().iter().map(|k| k[0].as_str().unwrap()).collect();
    assert_eq!(kinds, ["medecin-generaliste", "infirmier"]);
}

#[test]
fn a_member_entry_carries_every_filtered_field() {
    let (_s, dir, _) = built();
    assert_eq!(dir["base"], "/annuaire/");
    let e = member(&dir, "etienne-lefevre").unwrap();
    assert_eq!(e[0], "Étienne Lefèvre");
    assert_eq!(dir["kinds"][e[2].as_u64().unwrap() as usize][1], "Infirmiers");
    assert_eq!(dir["kinds"][e[2].as_u64().unwrap() as usize][2], "/annuaire/profession/infirmier/");
    let communes: Vec<&str> = e[3]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| dir["communes"][i.as_u64().unwrap() as usize][1].as_str().unwrap())
        .collect();
    assert_eq!(communes, ["Vidauban"]);
    // Same-day care, teleconsultation and wheelchair access; not accepting new patients.
    assert_eq!(e[4], 2 | 4 | 8);
    let langues: Vec<&str> = e[5]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| dir["langues"][i.as_u64().unwrap() as usize].as_str().unwrap())
        .collect();
    assert_eq!(langues, ["anglais", "arabe"]);
    assert_eq!(dir["langues"], serde_json::json!(["anglais", "arabe"]));
    assert_eq!(e[6], "Plaies chroniques");
    assert_eq!(e[7], "04\u{a0}94\u{a0}00\u{a0}00\u{a0}02");
    let claire = member(&dir, "claire-exemple").unwrap();
    assert_eq!(claire[4], 1, "accepte de nouveaux patients");
}

#[test]
fn search_text_is_folded_and_stemmed() {
    let (_s, dir, pages) = built();
    let text = member(&dir, "etienne-lefevre").unwrap()[8].as_str().unwrap();
    let words: Vec<&str> = text.split(' ').collect();
    for w in ["plai", "chroniqu", "eglis", "therm", "83550", "anglai"] {
        assert!(words.contains(&w), "« {w} » absent de « {text} »");
    }
    assert!(!text.chars().any(|c| c.is_uppercase() || !c.is_ascii()), "{text}");
    // The name, the kind and the communes are added back by the scripts: not repeated per member.
    for w in ["etienn", "lefevr", "infirmier", "vidauban"] {
        assert!(!words.contains(&w), "« {w} » répété dans « {text} »");
    }
    let kind = &dir["kinds"][1];
    assert_eq!(kind[0], "infirmier");
    assert_eq!(kind[3], "infirmier", "masculin, féminin et pluriel : une seule racine");
    let vidauban = dir["communes"].as_array().unwrap().iter().find(|c| c[1] == "Vidauban").unwrap();
    assert_eq!(vidauban[3], "vidauban");
    let action = pages["p"].as_array().unwrap().iter().find(|p| p[1] == "/prevention/diabete/").unwrap();
    assert_eq!(action[0], "Journées de dépistage du diabète");
    assert_eq!(action[2], "Prévention");
    let text = action[4].as_str().unwrap();
    for w in ["journe", "depistag", "diabet", "pharmacien", "glycemi", "march", "luc", "maladi"] {
        assert!(text.split(' ').any(|x| x == w), "« {w} » absent de « {text} »");
    }
    assert_eq!(pages["annuaire"], "/annuaire/index.json");
    // Members are in the directory index only.
    assert!(!pages.to_string().contains("Lefèvre"));
}

/// The page loads the shared text helpers, then its own script, both deferred (so in that order).
fn assert_scripts_in_order(html: &str, own: &str) {
    let shared = html.find(r#"<script src="/texte.js" defer></script>"#).expect("texte.js chargé");
    let page = html.find(&format!(r#"<script src="{own}" defer></script>"#)).expect("script de la page chargé");
    assert!(shared < page, "texte.js doit précéder {own}");
}

#[test]
fn directory_and_search_pages_load_their_scripts_and_work_without_them() {
    let (s, _, _) = built();
    let out = public(s.path());
    let annuaire = read(&out, "annuaire/index.html");
    assert_scripts_in_order(&annuaire, "/annuaire.js");
    assert!(annuaire.contains(r#"data-index="/annuaire/index.json""#));
    assert!(
        annuaire.contains(r#"<form id="filtre-annuaire""#) && annuaire.contains(" hidden>"),
        "formulaire masqué sans JS"
    );
    assert!(annuaire.contains(r#"aria-live="polite""#));
    assert!(annuaire.contains(r#"<label for="f-langue">"#));
    // A small site lists its members on /annuaire/ itself.
    assert!(annuaire.contains(r#"href="/annuaire/etienne-lefevre/""#));
    let recherche = read(&out, "recherche/index.html");
    assert_scripts_in_order(&recherche, "/recherche.js");
    assert!(recherche.contains(r#"action="/recherche/" method="get""#));
    assert!(
        recherche.contains(r#"id="recherche-sans-js""#)
            && recherche.contains(r#"href="/annuaire/profession/infirmier/""#)
    );
    // Every other page has the header search field.
    let home = read(&out, "index.html");
    assert!(home.contains(r#"<form class="header-search" role="search" action="/recherche/""#));
    assert!(!recherche.contains("header-search"), "pas deux champs de recherche sur /recherche/");
}

#[test]
fn a_big_directory_lists_groups_not_rows() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..=maillage::render::pages::DIRECTORY_ROWS_MAX {
        let yaml = replace_once(
            &replace_once(MEMBER_YAML, "nom: Exemple", &format!("nom: Exemple{i}")),
            "rpps: \"10000000009\"\n",
            "",
        );
        files.push((format!("content/membres/m{i}.yaml"), yaml));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let s = site(&refs);
    build(s.path());
    let annuaire = read(&public(s.path()), "annuaire/index.html");
    assert!(!annuaire.contains(r#"href="/annuaire/m1/""#), "pas de liste complète au-delà du seuil");
    assert!(annuaire.contains(r#"href="/annuaire/profession/medecin-generaliste/""#));
    let dir: Value = serde_json::from_str(&read(&public(s.path()), "annuaire/index.json")).unwrap();
    assert_eq!(dir["m"].as_array().unwrap().len(), maillage::render::pages::DIRECTORY_ROWS_MAX + 2);
}

#[test]
fn each_language_is_offered_once_by_the_directory_filter() {
    // Three spellings of one language, the same one twice around an accented variant: the
    // directory's filter once listed « creole » twice (it only removed adjacent duplicates).
    let mut files: Vec<(String, String)> = Vec::new();
    for (i, langue) in ["creole", "créole", "Creole "].iter().enumerate() {
        let yaml = replace_once(
            &replace_once(MEMBER_YAML, "nom: Exemple", &format!("nom: Exemple{i}")),
            "rpps: \"10000000009\"\n",
            &format!("langues: [\"{langue}\"]\n"),
        );
        files.push((format!("content/membres/m{i}.yaml"), yaml));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let s = site(&refs);
    build(s.path());
    let out = public(s.path());
    let annuaire = read(&out, "annuaire/index.html");
    assert_eq!(annuaire.matches(r#"<option value="creole">"#).count(), 1, "{annuaire}");
    assert_eq!(annuaire.matches(r#"<option value="créole">"#).count(), 1, "{annuaire}");
    let recherche = read(&out, "annuaire/index.json");
    assert_eq!(recherche.matches(r#""creole""#).count(), 1, "{recherche}");
}
