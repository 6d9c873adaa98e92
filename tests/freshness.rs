//! Facts that stay true: confirmation dates read and checked, stale facts never asserted
//! (/soins/, the directory's filters, JSON-LD, open data), the review round, and a rebuild a day
//! later that changes only the pages whose facts crossed a limit.

mod common;

use common::*;
use jiff::civil::date;
use std::collections::BTreeSet;
use std::path::Path;

/// The minimal site's cpts.yaml with the default rules: an undated fact is « à confirmer ».
fn cpts_default_rules() -> String {
    replace_once(CPTS_YAML, "fraicheur:\n  sans_date: a_jour\n", "")
}

/// A GP accepting new patients, confirmed on `confirmed` (`None`: no date), with `extra` lines.
fn gp(prenom: &str, confirmed: Option<&str>, extra: &str) -> String {
    let date = confirmed.map_or(String::new(), |d| format!("verifie_le: {d}\n"));
    format!(
        "titre: Dr\nprenom: {prenom}\nnom: Généraliste\nprofession: medecin-generaliste\nlieux:\n  - adresse: 1 rue A\n    code_postal: \"83340\"\n    commune: \"83073\"\n    telephone: \"04 94 00 00 07\"\n    horaires: Lundi au vendredi\naccepte_nouveaux_patients: true\nsoins_non_programmes: true\nlangues: [arabe]\n{extra}{date}publie: true\n"
    )
}

/// A site whose only members are `members` (slug, text), with the default rules.
fn site_with(members: &[(&str, String)]) -> tempfile::TempDir {
    let cpts = cpts_default_rules();
    let dir = site(&[("content/cpts.yaml", cpts.as_str()), ("content/contacts.yaml", CONTACTS_YAML)]);
    std::fs::remove_file(dir.path().join(MEMBER_PATH)).unwrap();
    for (slug, text) in members {
        write(dir.path(), &format!("content/membres/{slug}.yaml"), text);
    }
    dir
}

fn diagnostics(root: &Path) -> Vec<maillage::diagnostic::Diagnostic> {
    maillage::check_site(&opts(root, &root.join("public")))
}

#[test]
fn dates_in_the_future_or_malformed_are_errors_and_undated_facts_warnings_at_their_line() {
    let dir = site_with(&[
        ("futur", gp("Futur", Some("2026-12-01"), "")),
        ("mal-ecrit", gp("Mal", Some("2026-13-45"), "")),
        ("sans-date", gp("Sans", None, "")),
        (
            "lieu-futur",
            gp("Lieu", Some("2026-11-01"), "").replace(
                "    horaires: Lundi au vendredi\n",
                "    horaires: Lundi au vendredi\n    verifie_le: 2027-01-01\n",
            ),
        ),
    ]);
    let d = diagnostics(dir.path());
    let at = |file: &str, code: &str| -> Vec<(u32, u32)> {
        d.iter()
            .filter(|x| x.file.ends_with(&format!("/{file}")) && x.code == code)
            .map(|x| (x.line, x.column))
            .collect()
    };
    // The future: an error at the date itself, with a hint.
    assert_eq!(at("futur.yaml", "M065"), vec![(14, 13)], "{d:#?}");
    assert_eq!(at("lieu-futur.yaml", "M065"), vec![(11, 17)], "{d:#?}");
    let future = d.iter().find(|x| x.code == "M065").unwrap();
    assert!(future.is_error() && future.hint.as_deref().is_some_and(|h| h.contains("aujourd’hui")), "{future:?}");
    // Malformed: refused where it is written.
    let bad = d.iter().find(|x| x.file.ends_with("mal-ecrit.yaml")).expect("date mal écrite");
    assert!(bad.is_error() && (bad.line, bad.column) == (14, 13), "{bad:?}");
    // No date: every stated volatile fact is a warning at its own line (never an error).
    let undated = at("sans-date.yaml", "M066");
    assert_eq!(undated, vec![(9, 16), (10, 15), (11, 28), (12, 23), (13, 10)], "{d:#?}");
    assert!(d.iter().filter(|x| x.code == "M066").all(|x| !x.is_error()));
}

#[test]
fn check_warns_on_stale_facts_and_never_fails_on_them() {
    let dir = site_with(&[("perime", gp("Périmé", Some("2026-06-01"), ""))]);
    let d = diagnostics(dir.path());
    assert!(!d.iter().any(|x| x.is_error()), "{d:#?}");
    let stale: Vec<(u32, &str)> = d.iter().filter(|x| x.code == "M066").map(|x| (x.line, x.message.as_str())).collect();
    // Three months for new patients and same-day care; twelve for the rest.
    assert_eq!(stale.len(), 2, "{stale:#?}");
    assert!(stale[0].1.contains("accepte_nouveaux_patients") && stale[0].1.contains("2026-06-01"), "{stale:#?}");
    assert!(stale[1].1.contains("soins_non_programmes"), "{stale:#?}");
    maillage::build(&opts(dir.path(), &dir.path().join("public"))).expect("le site se construit");
}

#[test]
fn impossible_rules_are_errors() {
    let cpts = cpts_default_rules()
        .replace("site:\n", "fraicheur:\n  accepte_nouveaux_patients: 0\n  sans_date: jamais\nsite:\n");
    let dir = site(&[("content/cpts.yaml", cpts.as_str()), ("content/contacts.yaml", CONTACTS_YAML)]);
    let d = diagnostics(dir.path());
    let codes: Vec<&str> = d.iter().filter(|x| x.file == "content/cpts.yaml").map(|x| x.code).collect();
    assert_eq!(codes, ["M067", "M051"], "{d:#?}");
}

/// The flags of a member in the directory's index (`annuaire/index.json`).
fn index_flags(public: &Path, slug: &str) -> u64 {
    let index: serde_json::Value = serde_json::from_str(&read(public, "annuaire/index.json")).unwrap();
    let entry = index["m"].as_array().unwrap().iter().find(|e| e[1] == slug).unwrap_or_else(|| panic!("{slug} absent"));
    entry[4].as_u64().unwrap()
}

#[test]
fn a_stale_fact_is_never_asserted_anywhere() {
    let dir = site_with(&[
        ("frais", gp("Frais", Some("2026-11-10"), "")),
        ("perime", gp("Périmé", Some("2026-06-01"), "")),
        (
            "nouveaux-seulement",
            gp("Récent", Some("2026-06-01"), "verifications:\n  accepte_nouveaux_patients: 2026-10-15\n"),
        ),
    ]);
    build(dir.path());
    let public = public(dir.path());
    let soins = read(&public, "soins/index.html");
    let section = &soins[soins.find("id=\"medecin-traitant\"").unwrap()..soins.find("id=\"telesante\"").unwrap()];
    assert!(section.contains("Frais Généraliste") && section.contains("Récent Généraliste"), "{section}");
    assert!(!section.contains("Périmé"), "un médecin périmé n’est jamais listé : {section}");
    assert!(section.contains("confirmé en novembre 2026") && section.contains("confirmé en octobre 2026"), "{section}");
    assert!(!soins.contains("actuellement"), "« actuellement » n’est jamais écrit sans date");
    // Same-day care: only the fresh one (the other two confirmed it in June).
    let snp = &soins[soins.find("id=\"sans-attendre\"").unwrap()..soins.find("id=\"ce-soir\"").unwrap()];
    assert!(snp.contains("Frais") && !snp.contains("Périmé") && !snp.contains("Récent"), "{snp}");

    // The directory's filters.
    assert_eq!(index_flags(&public, "frais") & 3, 3);
    assert_eq!(index_flags(&public, "perime") & 3, 0);
    assert_eq!(index_flags(&public, "nouveaux-seulement") & 3, 1);

    // The member page: « à confirmer » with the month, never the fact as current.
    let page = read(&public, "annuaire/perime/index.html");
    let facts = &page[page.find("<ul class=\"facts\">").unwrap()..];
    let facts = &facts[..facts.find("</ul>").unwrap()];
    assert!(facts.contains("Nouveaux patients&nbsp;: <strong class=\"to-confirm\">à confirmer</strong> <span class=\"fact-date\">(dernière confirmation en juin 2026)</span>"), "{facts}");
    assert!(!facts.contains("accepte de nouveaux patients"), "{facts}");
    // Twelve months for languages and the phone: still current, dated.
    assert!(facts.contains("arabe <span class=\"fact-date\">(confirmé en juin 2026)</span>"), "{facts}");
    let fresh = read(&public, "annuaire/frais/index.html");
    assert!(fresh.contains(
        "<strong>accepte de nouveaux patients</strong> <span class=\"fact-date\">(confirmé en novembre 2026)</span>"
    ));

    // JSON-LD: the stale fact is left out, the fresh one said; the page is dated.
    let ld = |html: &str| attr_free_jsonld(html);
    assert!(!ld(&page).contains("isAcceptingNewPatients"), "{}", ld(&page));
    assert!(ld(&page).contains("\"dateModified\":\"2026-06-01\""), "{}", ld(&page));
    assert!(ld(&fresh).contains("\"isAcceptingNewPatients\":true"), "{}", ld(&fresh));

    // Open data: stale yes/no left empty, named in `a_confirmer`, the date in `verifie_le`.
    let csv = read(&public, "donnees/annuaire.csv");
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row = rows.map(|r| r.split(',').collect::<Vec<_>>()).find(|r| r[0] == "perime").unwrap();
    assert_eq!(row[col("accepte_nouveaux_patients")], "");
    assert_eq!(row[col("verifie_le")], "2026-06-01");
    assert_eq!(row[col("a_confirmer")], "accepte_nouveaux_patients;soins_non_programmes");

    // The home page counts only the fresh, and says since when.
    let home = read(&public, "index.html");
    assert!(
        home.contains("2 médecins généralistes acceptent") && home.contains("confirmé depuis moins de 3&nbsp;mois"),
        "{home}"
    );
}

/// Every JSON-LD block of a page, joined.
fn attr_free_jsonld(html: &str) -> String {
    html.split("<script type=\"application/ld+json\">").skip(1).filter_map(|s| s.split("</script>").next()).collect()
}

#[test]
fn the_review_round_lists_the_oldest_first_with_what_to_confirm() {
    let dir = site_with(&[
        ("b-recent", gp("Récent", Some("2026-07-01"), "")),
        ("a-ancien", gp("Ancien", Some("2026-02-01"), "")),
        ("c-jamais", gp("Jamais", None, "")),
        ("d-frais", gp("Frais", Some("2026-11-01"), "")),
        ("e-non-publie", gp("Caché", None, "").replace("publie: true", "publie: false")),
    ]);
    let site = maillage::review::load(dir.path()).unwrap();
    let round = maillage::review::round(&site, TODAY);
    let order: Vec<&str> = round.iter().map(|r| r.slug.as_str()).collect();
    assert_eq!(order, ["c-jamais", "a-ancien", "b-recent"]);
    let ancien = &round[1];
    assert_eq!(ancien.phone.as_deref(), Some("04 94 00 00 07"));
    let what: Vec<String> = ancien.stale().map(|f| format!("{} ({})", f.what(), f.when)).collect();
    assert_eq!(
        what,
        [
            "l’accueil de nouveaux patients (dernière confirmation en février 2026)",
            "la participation aux soins non programmés (dernière confirmation en février 2026)"
        ]
    );
    let message = maillage::review::message(&site, ancien);
    assert!(message.starts_with("Objet\u{a0}: votre fiche sur le site de la CPTS Tests"), "{message}");
    assert!(message.contains("Bonjour Docteur Généraliste,"), "{message}");
    assert!(
        message.contains(
            "- Vous acceptez de nouveaux patients (à confirmer\u{a0}: dernière confirmation en février 2026)"
        ),
        "{message}"
    );
    // The facts still current are listed too: the member confirms or corrects the whole entry.
    assert!(message.contains("- Téléphone (1 rue A)\u{a0}: 04 94 00 00 07\n"), "{message}");
    assert!(message.contains(&format!("{SITE_URL}/annuaire/a-ancien/")), "{message}");

    // The command line: CSV with one row per member, in the same order.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["relances", "--today", "2026-11-22", "--format", "csv", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(
        files,
        ["content/membres/c-jamais.yaml", "content/membres/a-ancien.yaml", "content/membres/b-recent.yaml"]
    );
}

#[test]
fn a_day_later_only_the_pages_whose_facts_crossed_their_limit_change() {
    // Current until 2026-11-22 included: stale on the 23rd.
    let dir =
        site_with(&[("limite", gp("Limite", Some("2026-08-22"), "")), ("autre", gp("Autre", Some("2026-11-01"), ""))]);
    build_at(dir.path(), date(2026, 11, 22));
    let public = public(dir.path());
    let before = read_tree(&public);
    build_at(dir.path(), date(2026, 11, 23));
    let after = read_tree(&public);
    let changed: BTreeSet<&str> = before
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(String::as_str)
        // Pages and data files: feeds and calendars carry the day they are made for.
        .filter(|k| k.ends_with(".html") || k.ends_with(".json") || k.ends_with(".csv"))
        .collect();
    assert!(changed.contains("annuaire/limite/index.html") && changed.contains("soins/index.html"), "{changed:?}");
    assert!(!changed.contains("annuaire/autre/index.html"), "{changed:?}");
    // Every changed file shows the crossing member, but the home page, which counts them.
    for f in changed.iter().filter(|f| **f != "index.html") {
        let text = format!("{}{}", String::from_utf8_lossy(&before[*f]), String::from_utf8_lossy(&after[*f]));
        assert!(
            text.contains("Limite") || text.contains("limite"),
            "{f} a changé sans montrer le médecin qui a changé"
        );
    }
    assert!(changed.len() <= 12, "{changed:?}");

    // The dev server's session knows which pages those are: it renders only them.
    let mut session = maillage::serve::Session::new(opts(dir.path(), &dir.path().join("served")));
    session.new_day(date(2026, 11, 22)).unwrap();
    let next = session.new_day(date(2026, 11, 23)).unwrap();
    assert!(next.rendered.iter().any(|p| p == "annuaire/limite/index.html"), "{:?}", next.rendered);
    assert!(next.rendered.iter().any(|p| p == "soins/index.html"), "{:?}", next.rendered);
    assert!(
        !next.rendered.iter().any(|p| p == "annuaire/autre/index.html" || p == "mentions-legales/index.html"),
        "{:?}",
        next.rendered
    );
    let same = session.new_day(date(2026, 11, 24)).unwrap();
    // Nothing crossed a limit: no page is rendered again. (An empty feed is dated by the day it
    // is made for, as Atom requires a date: only those are written again.)
    assert!(same.rendered.is_empty(), "{:?}", same.rendered);
    assert!(same.written.iter().all(|p| p.ends_with("atom.xml")), "{:?}", same.written);
}

#[test]
fn today_comes_from_source_date_epoch_when_no_date_is_given() {
    assert_eq!(maillage::build::day_of_epoch("1795348800"), Some(date(2026, 11, 22)));
    // 23:30 UTC on 2026-11-22 is already the 23rd in Paris.
    assert_eq!(maillage::build::day_of_epoch("1795390200"), Some(date(2026, 11, 23)));
    assert_eq!(maillage::build::day_of_epoch("demain"), None);
    let dir = site_with(&[("perime", gp("Périmé", Some("2026-06-01"), ""))]);
    let check = |epoch: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_maillage"))
            .args(["check", "--format", "json", "--root"])
            .arg(dir.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // On 2026-07-01 (1782907200) the June confirmation is current; on 2026-11-22 it is not.
    assert!(!check("1782907200").contains("M066"));
    assert!(check("1795348800").contains("M066"));
}
