//! The CPTS's results (`indicateurs.yaml`): the page `/la-cpts/resultats/` (key figures in words,
//! a chart per indicator with its table), the open-data files, the links to them, and every
//! mistake of the file reported at its line and column, all at once.

mod common;

use common::*;
use maillage::diagnostic::Severity;
use serde_json::{Value, json};

const RESULTS: &str = r#"introduction: Ce que la CPTS a fait, **année par année**.
annees:
  - annee: 2025
    commentaire: Le taux de 2025 arrive au printemps.
    indicateurs:
      - id: medecin-traitant
        mission: acces-aux-soins
        aci: true
        libelle: Patients sans médecin traitant qui en ont trouvé un
        unite: patient
        objectif: 1200
        realise: 1342
        source: Liste partagée, CPTS et CPAM
      - id: rehospitalisation
        mission: parcours
        libelle: Réhospitalisations dans les 30 jours
        unite: "%"
        sens: baisse
        objectif: 13
      - id: actions
        mission: prevention
        aci: true
        libelle: Actions de prévention
        unite: action de prévention
        objectif: 8
        realise: 1
  - annee: 2024
    indicateurs:
      - id: medecin-traitant
        mission: acces-aux-soins
        aci: true
        libelle: Patients sans médecin traitant qui en ont trouvé un
        unite: patient
        objectif: 1000
        realise: 912
        source: Liste partagée, CPTS et CPAM
      - id: rehospitalisation
        mission: parcours
        libelle: Réhospitalisations dans les 30 jours
        unite: "%"
        sens: baisse
        objectif: 14
        realise: 14.6
"#;

/// The text of an HTML page with its tags removed and its entities decoded, spaces kept as
/// they are (no-break ones included).
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
}

#[test]
fn the_results_page_says_the_figures_in_words_and_draws_each_indicator() {
    let s = site(&[("content/indicateurs.yaml", RESULTS)]);
    build(s.path());
    let out = public(s.path());
    let html = read(&out, "la-cpts/resultats/index.html");
    let text = text_of(&html);
    // Key figures: the latest year with a known result, the ACI's indicators, in words.
    assert!(text.contains("L’essentiel en 2025"), "{text}");
    assert!(
        text.contains("En 2025, 1 objectif chiffré sur 2 est atteint\u{202f}; 1 résultat n’est pas encore connu."),
        "{text}"
    );
    assert!(text.contains("1\u{202f}342\u{a0}patients"), "{text}");
    assert!(text.contains("Objectif de 1\u{202f}200\u{a0}patients atteint (112\u{202f}% de l’objectif)."), "{text}");
    // One action: the unit in the singular; the target in the plural.
    assert!(text.contains("1\u{a0}action de prévention"), "{text}");
    assert!(
        text.contains("Objectif de 8\u{a0}actions de prévention non atteint (13\u{202f}% de l’objectif)."),
        "{text}"
    );
    // The indicator that is not the ACI's is not a key figure, but has its chart.
    let essentials = &text[text.find("L’essentiel").unwrap()..text.find("Par mission").unwrap()];
    assert!(!essentials.contains("Réhospitalisations"), "{essentials}");
    // Missions in the official order, each indicator with an accessible chart and its table.
    let order: Vec<usize> = ["Accès aux soins", "Parcours pluriprofessionnels", "Prévention"]
        .iter()
        .map(|m| html.find(&format!(">{m}</h2>")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(html.matches("<svg class=\"chart chart-years\" role=\"img\"").count(), 3);
    assert!(html.contains(
        "<desc id=\"graphique-medecin-traitant-desc\">2024\u{a0}: 912\u{a0}patients, objectif 1\u{202f}000\u{a0}patients. \
         2025\u{a0}: 1\u{202f}342\u{a0}patients, objectif 1\u{202f}200\u{a0}patients.</desc>"
    ));
    // The unknown result is said, in the chart and its table, never drawn as zero.
    assert!(html.contains(
        "<desc id=\"graphique-rehospitalisation-desc\">2024\u{a0}: 14,6\u{202f}%, objectif 14\u{202f}%. \
         2025\u{a0}: résultat inconnu, objectif 13\u{202f}%.</desc>"
    ));
    let chart = &html[html.find("graphique-rehospitalisation-titre").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let bars = chart.split("class=\"chart-done\" d=\"").nth(1).and_then(|d| d.split('"').next()).unwrap();
    assert_eq!(bars.matches('z').count(), 1, "{chart}");
    assert!(chart.contains(">inconnu</text>"));
    assert!(html.contains(
        "<tr><th scope=\"row\">2024</th><td>14\u{202f}%</td><td>14,6\u{202f}%</td><td class=\"result-missed\">non atteint</td></tr>\
         <tr><th scope=\"row\">2025</th><td>13\u{202f}%</td><td>inconnu</td><td class=\"result-unknown\">pas encore connu</td></tr>"
    ), "{html}");
    // A unit in words stays out of the cells.
    assert!(html.contains("<tr><th scope=\"row\">2025</th><td>1\u{202f}200</td><td>1\u{202f}342</td><td class=\"result-reached\">atteint</td></tr>"));
    assert!(text.contains("l’objectif est un maximum à ne pas dépasser"));
    // A unit in words is said once, in the table's caption; sources once; comments by year.
    assert!(text.contains("Objectif et réalisé, année par année, en patients"), "{text}");
    assert_eq!(text.matches("Source\u{a0}: Liste partagée, CPTS et CPAM.").count(), 1, "{text}");
    assert!(text.contains("Le taux de 2025 arrive au printemps."));
    assert!(html.contains("<strong>année par année</strong>"));
    // French typography: no ordinary space before a sign or inside a number.
    for bad in [" %", " €", " :", " ;", "1 342", "1 200"] {
        assert!(!text.contains(bad), "« {bad} » dans :\n{text}");
    }
}

#[test]
fn the_results_are_open_data_exactly() {
    let s = site(&[("content/indicateurs.yaml", RESULTS)]);
    build(s.path());
    let out = public(s.path());
    assert_eq!(
        read(&out, "donnees/indicateurs.csv"),
        "annee,identifiant,libelle,mission,mission_libelle,aci,unite,sens,objectif,realise,atteint,source,commentaire\r\n\
         2024,medecin-traitant,Patients sans médecin traitant qui en ont trouvé un,acces-aux-soins,Accès aux soins,oui,patient,hausse,1000,912,non,\"Liste partagée, CPTS et CPAM\",\r\n\
         2024,rehospitalisation,Réhospitalisations dans les 30 jours,parcours,Parcours pluriprofessionnels,non,%,baisse,14,14.6,non,,\r\n\
         2025,medecin-traitant,Patients sans médecin traitant qui en ont trouvé un,acces-aux-soins,Accès aux soins,oui,patient,hausse,1200,1342,oui,\"Liste partagée, CPTS et CPAM\",\r\n\
         2025,rehospitalisation,Réhospitalisations dans les 30 jours,parcours,Parcours pluriprofessionnels,non,%,baisse,13,,,,\r\n\
         2025,actions,Actions de prévention,prevention,Prévention,oui,action de prévention,hausse,8,1,non,,\r\n"
    );
    let json: Value = serde_json::from_str(&read(&out, "donnees/indicateurs.json")).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(5));
    assert_eq!(
        json[1],
        json!({
            "annee": 2024, "identifiant": "rehospitalisation", "libelle": "Réhospitalisations dans les 30 jours",
            "mission": "parcours", "mission_libelle": "Parcours pluriprofessionnels", "aci": false, "unite": "%",
            "sens": "baisse", "objectif": 14, "realise": 14.6, "atteint": false, "source": null, "commentaire": null
        })
    );
    // Unknown stays unknown: null, never 0.
    assert_eq!(json[3]["realise"], Value::Null);
    assert_eq!(json[3]["atteint"], Value::Null);
    assert!(read(&out, "donnees/indicateurs.json").contains("\"realise\": 1342,"));
    // The open-data page lists them and their columns; the page is linked from /la-cpts/, from
    // every page's footer, and is in the sitemap and the search index.
    let open = read(&out, "donnees/index.html");
    assert!(open.contains("href=\"/donnees/indicateurs.csv\"") && open.contains("href=\"/donnees/indicateurs.json\""));
    assert!(open.contains("<code>realise</code>"));
    for page in ["la-cpts/index.html", "index.html", "annuaire/index.html"] {
        assert!(read(&out, page).contains("href=\"/la-cpts/resultats/\""), "{page}");
    }
    assert!(read(&out, "sitemap.xml").contains("<loc>https://www.cpts-test.fr/la-cpts/resultats/</loc>"));
    assert!(read(&out, "recherche/index.json").contains("/la-cpts/resultats/"));
}

#[test]
fn without_results_there_is_no_page_no_file_and_no_link() {
    for extra in [None, Some("annees: []\n")] {
        let s = match extra {
            Some(yaml) => site(&[("content/indicateurs.yaml", yaml)]),
            None => site(&[]),
        };
        build(s.path());
        let out = public(s.path());
        assert!(!out.join("la-cpts/resultats").exists());
        assert!(!out.join("donnees/indicateurs.csv").exists() && !out.join("donnees/indicateurs.json").exists());
        assert!(!read(&out, "index.html").contains("/la-cpts/resultats/"));
        assert!(!read(&out, "donnees/index.html").contains("indicateurs.csv"));
    }
}

#[test]
fn every_mistake_of_the_file_is_reported_at_its_place() {
    let broken = r#"annees:
  - annee: 2025
    indicateurs:
      - id: medecin-traitant
        mission: acces-aux-soins
        libelle: Patients
        objectif: 300
      - id: medecin-traitant
        mission: acces-au-soins
        libelle: Doublon
        unite: patient
      - id: part
        mission: parcours
        libelle: Part
        unite: "%"
        realise: 112
      - id: Mauvais Id
        mission: prevention
        libelle: Actions
        unite: séance
  - annee: 2024
    indicateurs:
      - id: part
        mission: parcours
        libelle: Part
        unite: patient
  - annee: 2024
    indicateurs: []
  - annee: 1999
    indicateurs: []
  - annee: 2027
    indicateurs:
      - id: futur
        mission: prevention
        libelle: Plus tard
        unite: action
        realise: 3
"#;
    let s = site(&[("content/indicateurs.yaml", broken)]);
    let d = maillage::check_site(&opts(s.path(), &public(s.path())));
    let f = "content/indicateurs.yaml";
    let found: Vec<(u32, u32, &str, Severity)> =
        d.iter().filter(|d| d.file == f).map(|d| (d.line, d.column, d.code, d.severity)).collect();
    use Severity::{Error, Warning};
    assert_eq!(
        found,
        [
            (7, 19, "M212", Error),
            (8, 13, "M211", Error),
            (9, 18, "M052", Error),
            (16, 18, "M213", Error),
            (17, 13, "M050", Error),
            (26, 16, "M214", Warning),
            (27, 12, "M210", Error),
            (29, 12, "M210", Error),
            (37, 18, "M215", Warning),
        ],
        "{d:#?}"
    );
    let all = |code: &str| d.iter().filter(|d| d.code == code).map(|d| d.message.as_str()).collect::<Vec<_>>();
    assert_eq!(all("M210"), ["l’année 2024 est déjà décrite à la ligne 21", "année 1999 impossible"]);
    let message = |code: &str| d.iter().find(|d| d.code == code).map(|d| (d.message.clone(), d.hint.clone())).unwrap();
    assert_eq!(message("M211").0, "l’indicateur « medecin-traitant » figure deux fois en 2025 (déjà à la ligne 4)");
    assert_eq!(message("M052").1.as_deref(), Some("vouliez-vous dire « acces-aux-soins » ?"));
    assert_eq!(message("M213").0, "le réalisé vaut 112 %, hors de 0 à 100");
    assert!(message("M212").1.unwrap().contains("au singulier"));
    assert_eq!(message("M214").0, "l’indicateur « part » change d’unité : « patient » en 2024, « % » en 2025");
    // A misspelt key is refused by the decoder, at its place, with the key it meant.
    let s = site(&[(
        "content/indicateurs.yaml",
        "annees:\n  - annee: 2025\n    indicateurs:\n      - id: a\n        mision: parcours\n",
    )]);
    let d = maillage::check_site(&opts(s.path(), &public(s.path())));
    let d = d.iter().find(|d| d.file == f).unwrap();
    assert_eq!((d.code, d.line, d.column), ("M013", 5, 9), "{d:#?}");
    assert!(d.hint.as_deref().unwrap_or("").contains("mission"), "{d:#?}");
}
