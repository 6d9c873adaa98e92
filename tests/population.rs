//! The population's outputs: the exact iCalendar of an action, JSON-LD of members and sessions,
//! Atom feeds, open data, the map and page weight.

mod common;

use common::*;
use serde_json::Value;

const ACTION: &str = "---
titre: Dépistage du diabète
resume: Un test gratuit, sans rendez-vous.
seances:
  - date: 2026-12-05
    debut: \"09:00\"
    fin: \"12:30\"
    lieu: Marché couvert
    adresse: place de la Liberté
    commune: \"83073\"
    organisateur: Pharmacie de la Place
    gratuit: true
  - date: 2027-01-16
    lieu: Salle des fêtes
    commune: \"83148\"
    gratuit: false
    prix: 5 €
---
Corps.
";

fn action_site() -> tempfile::TempDir {
    site(&[("content/actions/diabete.md", ACTION)])
}

#[test]
fn the_calendar_of_an_action_is_exact() {
    let s = action_site();
    build(s.path());
    let ics = read(&public(s.path()), "prevention/diabete/seances.ics");
    let expected = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Maillage//CPTS//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Dépistage du diabète – CPTS des Tests",
        "X-WR-TIMEZONE:Europe/Paris",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Paris",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:diabete-20261205-0900@www.cpts-test.fr",
        "DTSTAMP:20261122T000000Z",
        "DTSTART;TZID=Europe/Paris:20261205T090000",
        "DTEND;TZID=Europe/Paris:20261205T123000",
        "SUMMARY:Dépistage du diabète",
        "LOCATION:Marché couvert\\, place de la Liberté\\, Le Luc",
        "DESCRIPTION:Un test gratuit\\, sans rendez-vous.\\nOrganisé par : Pharmacie de la Place\\nGratuit\\nhttps://www.cpts-test.fr/prevention/diabete/",
        "URL:https://www.cpts-test.fr/prevention/diabete/",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:diabete-20270116-journee@www.cpts-test.fr",
        "DTSTAMP:20261122T000000Z",
        "DTSTART;VALUE=DATE:20270116",
        "DTEND;VALUE=DATE:20270117",
        "SUMMARY:Dépistage du diabète",
        "LOCATION:Salle des fêtes\\, Vidauban",
        "DESCRIPTION:Un test gratuit\\, sans rendez-vous.\\nTarif : 5 €\\nhttps://www.cpts-test.fr/prevention/diabete/",
        "URL:https://www.cpts-test.fr/prevention/diabete/",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n");
    // Physical lines end with CRLF and hold at most 75 octets; unfolded, the content is exact.
    assert!(ics.ends_with("\r\n") && !ics.replace("\r\n", "").contains('\n'));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}: {} octets", line.len());
    }
    assert_eq!(ics.replace("\r\n ", ""), expected);
    let agenda = read(&public(s.path()), "agenda.ics");
    assert_eq!(agenda.matches("BEGIN:VEVENT").count(), 2);
}

#[test]
fn members_and_sessions_carry_structured_data() {
    let s = action_site();
    build(s.path());
    let out = public(s.path());
    let member = jsonld_objects(&read(&out, "annuaire/claire-exemple/index.html"));
    let physician = member.iter().find(|b| b["@type"] == "Physician").expect("Physician");
    assert_eq!(physician["name"], "Dr Claire Exemple");
    assert_eq!(physician["telephone"], "+33494000001");
    assert_eq!(physician["isAcceptingNewPatients"], true);
    assert_eq!(physician["address"]["postalCode"], "83340");
    assert_eq!(physician["address"]["addressLocality"], "Le Luc");
    assert!(
        member.iter().any(|b| b["@type"] == "BreadcrumbList" && b["itemListElement"].as_array().unwrap().len() == 4)
    );

    let action = jsonld_objects(&read(&out, "prevention/diabete/index.html"));
    let events: Vec<&Value> = action.iter().filter(|b| b["@type"] == "Event").collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["startDate"], "2026-12-05T09:00:00+01:00");
    assert_eq!(events[0]["endDate"], "2026-12-05T12:30:00+01:00");
    assert_eq!(events[0]["isAccessibleForFree"], true);
    assert_eq!(events[0]["organizer"]["name"], "Pharmacie de la Place");
    assert_eq!(events[0]["eventAttendanceMode"], "https://schema.org/OfflineEventAttendanceMode");
    assert_eq!(events[1]["startDate"], "2027-01-16");
    assert_eq!(events[1]["isAccessibleForFree"], false);

    let home = jsonld_objects(&read(&out, "index.html"));
    let org = home.iter().find(|b| b["@type"] == "MedicalOrganization").expect("MedicalOrganization");
    let served: Vec<&str> = org["areaServed"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(served, ["Le Luc", "Vidauban"]);
}

#[test]
fn feeds_list_news_and_upcoming_actions_and_are_linked_from_every_page() {
    let past = ACTION.replace("2026-12-05", "2026-06-05").replace("2027-01-16", "2026-06-16");
    let s = site(&[
        ("content/actions/diabete.md", ACTION),
        ("content/actions/ancienne.md", &past),
        (
            "content/actualites/ag.md",
            "---\ntitre: Assemblée générale\ndate: 2026-06-12\nresume: Le bilan.\n---\nTexte.\n",
        ),
    ]);
    build(s.path());
    let out = public(s.path());
    let actions = read(&out, "prevention/atom.xml");
    assert_eq!(actions.matches("<entry>").count(), 1, "{actions}");
    assert!(actions.contains("<id>https://www.cpts-test.fr/prevention/diabete/</id>"));
    let news = read(&out, "actualites/atom.xml");
    assert!(news.contains("<title>Assemblée générale</title>"), "{news}");
    for page in ["index.html", "annuaire/index.html", "prevention/diabete/index.html"] {
        let html = read(&out, page);
        for feed in ["/actualites/atom.xml", "/prevention/atom.xml", "/offres/atom.xml"] {
            assert!(html.contains("type=\"application/atom+xml\"") && html.contains(feed), "{page} {feed}");
        }
    }
}

#[test]
fn open_data_exports_only_published_members() {
    let hidden = MEMBER_YAML
        .replace("Claire", "Cachée")
        .replace("publie: true", "publie: false")
        .replace("rpps: \"10000000009\"\n", "");
    let s = site(&[("content/membres/cachee.yaml", &hidden)]);
    build(s.path());
    let out = public(s.path());
    let csv = read(&out, "donnees/annuaire.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("identifiant,nom,type,profession,"));
    assert!(lines[1].starts_with("claire-exemple,Dr Claire Exemple,professionnel,medecin-generaliste,"), "{csv}");
    assert!(!csv.contains("Cachée"));
    let json: Value = serde_json::from_str(&read(&out, "donnees/annuaire.json")).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["telephone"], "+33494000001");
    assert_eq!(json[0]["accepte_nouveaux_patients"], "oui");
}

#[test]
fn the_map_links_every_commune() {
    let s = site(&[]);
    build(s.path());
    let map = read(&public(s.path()), "carte/index.html");
    assert!(map.contains("aria-label=\"Le Luc : 1 professionnel\""), "{map}");
    assert!(map.contains("aria-label=\"Vidauban : 0 professionnel\""));
    // Without outlines, each commune is a circle, inside its link.
    let linked =
        map.split("<a href=").skip(1).filter(|a| a.split_once('>').is_some_and(|(_, r)| r.starts_with("<circle")));
    assert_eq!(linked.count(), 2);
    // Both are named on the wide layout, numbered on the narrow one, and listed in the legend.
    assert!(map.contains("Le Luc <tspan font-weight=\"700\">(1)</tspan>"), "{map}");
    // Vidauban, to the north, comes first in reading order.
    assert!(
        map.contains("<li value=\"2\" class=\"map-named\"><a href=\"/annuaire/commune/le-luc/\">Le Luc</a> (1)</li>"),
        "{map}"
    );
}

#[test]
fn every_page_of_the_example_weighs_under_60_kb_with_its_css_and_js() {
    let out = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    maillage::build(&opts(root, &out.path().join("public"))).unwrap();
    let tree = read_tree(&out.path().join("public"));
    let css = tree["style.css"].len();
    for (path, bytes) in &tree {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let scripts: usize = attr_values(&html, "src")
            .iter()
            .filter(|s| s.ends_with(".js"))
            .map(|s| tree.get(s.trim_start_matches('/')).map_or(0, Vec::len))
            .sum();
        let total = bytes.len() + css + scripts;
        assert!(total < 60 * 1024, "{path}: {total} octets avec CSS et JS");
    }
}

/// Past 90 members, a list of `/soins/` gives their number and the directory's address with the
/// matching filter instead of every card: the page must not grow with the territory.
#[test]
fn long_care_lists_become_a_count_and_a_link_to_the_directory() {
    let member = |i: usize| {
        format!(
            "civilite: Mme\nprenom: Claire\nnom: Soin{i}\nprofession: infirmier\nexercice: liberal\nlieux:\n  \
             - adresse: {i} rue des Écoles\n    code_postal: \"83340\"\n    commune: \"83073\"\n\
             teleconsultation: true\npublie: true\n"
        )
    };
    for n in [90, 91] {
        let files: Vec<(String, String)> =
            (0..n).map(|i| (format!("content/membres/soin-{i:03}.yaml"), member(i))).collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let dir = site(&refs);
        build(dir.path());
        let html = std::fs::read_to_string(public(dir.path()).join("soins/index.html")).unwrap();
        let telehealth = &html[html.find(r#"id="telesante""#).unwrap()..html.find("</main>").unwrap()];
        // The doctors first, then where to write when none can take a new patient.
        let doctors = &html[html.find(r#"id="medecin-traitant""#).unwrap()..html.find(r#"id="telesante""#).unwrap()];
        let list_end = doctors.find("</ul>").expect(doctors);
        assert!(doctors.find("Si aucun ne peut vous recevoir").is_some_and(|i| i > list_end), "{doctors}");
        let rows = telehealth.matches(r#"<li><a href="/annuaire/soin-"#).count();
        if n == 90 {
            assert_eq!(rows, 90, "{telehealth}");
            assert!(!telehealth.contains("?teleconsultation=4"), "{telehealth}");
        } else {
            assert_eq!(rows, 0, "{telehealth}");
            assert!(telehealth.contains("91&nbsp;professionnels proposent la téléconsultation"), "{telehealth}");
            assert!(telehealth.contains(r#"href="/annuaire/?teleconsultation=4""#), "{telehealth}");
        }
    }
}

/// Home visits show on a member's page when the member's file states them, yes or no, and not
/// at all when it says nothing (unknown is not "no").
#[test]
fn home_visits_show_on_the_member_page_when_stated() {
    let member = |visits: &str| replace_once(MEMBER_YAML, "publie: true\n", &format!("{visits}publie: true\n"));
    for (visits, expected) in [
        ("visites_domicile: true\n", Some("Visites à domicile&nbsp;: oui")),
        ("visites_domicile: false\n", Some("Visites à domicile&nbsp;: non")),
        ("", None),
    ] {
        let dir = site(&[(MEMBER_PATH, &member(visits))]);
        build(dir.path());
        let page = read(&public(dir.path()), "annuaire/claire-exemple/index.html");
        match expected {
            Some(text) => assert!(page.contains(text), "{visits:?}: {page}"),
            None => assert!(!page.contains("domicile"), "{page}"),
        }
    }
}

/// What a member's file does not state stays unknown on every output: no line on the page, no
/// badge, not in the lists of /soins/, an empty cell in the open data, no language in the
/// JSON-LD. Only an explicit `true` counts as yes.
#[test]
fn unknown_facts_stay_unknown_on_every_output() {
    let other = |name: &str, rpps: &str, facts: &str| {
        replace_once(
            &replace_once(
                &replace_once(MEMBER_YAML, "prenom: Claire", &format!("prenom: {name}")),
                "10000000009",
                rpps,
            ),
            "accepte_nouveaux_patients: true\n",
            facts,
        )
    };
    let oui = other("Paul", "10000000017", "soins_non_programmes: true\nteleconsultation: true\nlangues: [anglais]\n");
    let non = other("Marc", "10000000025", "soins_non_programmes: false\nteleconsultation: false\nlangues: []\n");
    let dir = site(&[("content/membres/paul-oui.yaml", &oui), ("content/membres/marc-non.yaml", &non)]);
    build(dir.path());
    let out = public(dir.path());
    let page = |slug: &str| read(&out, &format!("annuaire/{slug}/index.html"));
    let unknown = page("claire-exemple");
    for absent in ["Soins non programmés", "Téléconsultation", "Langues parlées", "knowsLanguage"] {
        assert!(!unknown.contains(absent), "{absent}: {unknown}");
    }
    assert!(unknown.contains("Nouveaux patients&nbsp;: <strong>accepte"), "{unknown}");
    let yes = page("paul-oui");
    for present in [
        "Soins non programmés&nbsp;: oui",
        "Téléconsultation&nbsp;: oui",
        "Langues parlées&nbsp;: français, anglais</li>",
        "\"knowsLanguage\":[\"français\",\"anglais\"]",
    ] {
        assert!(yes.contains(present), "{present}: {yes}");
    }
    let no = page("marc-non");
    for present in
        ["Soins non programmés&nbsp;: non", "Téléconsultation&nbsp;: non", "Langues parlées&nbsp;: français</li>"]
    {
        assert!(no.contains(present), "{present}: {no}");
    }
    // /soins/ lists only the explicit yes.
    let care = read(&out, "soins/index.html");
    assert!(care.contains("/annuaire/paul-oui/"), "{care}");
    assert!(!care.contains("/annuaire/marc-non/"), "{care}");
    // Open data: empty when not stated, « aucune » for French only.
    let csv = read(&out, "donnees/annuaire.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row = |slug: &str| -> Vec<String> {
        let line = csv.lines().find(|l| l.starts_with(&format!("{slug},"))).unwrap();
        line.split(',').map(str::to_string).collect()
    };
    let facts = |slug: &str| {
        let r = row(slug);
        (r[col("soins_non_programmes")].clone(), r[col("teleconsultation")].clone(), r[col("langues")].clone())
    };
    assert_eq!(facts("claire-exemple"), (String::new(), String::new(), String::new()));
    assert_eq!(facts("paul-oui"), ("oui".into(), "oui".into(), "anglais".into()));
    assert_eq!(facts("marc-non"), ("non".into(), "non".into(), "aucune".into()));
}

#[test]
fn every_page_names_the_urgent_numbers_its_header_shows_bare() {
    // The header shows « 15 » and « 112 » alone (their names only for screen readers): the
    // footer of the same page says which is which.
    let s = site(&[]);
    build(s.path());
    let out = public(s.path());
    for page in ["index.html", "annuaire/index.html", "contacts/index.html"] {
        let html = read(&out, page);
        let footer = &html[html.find("<footer").unwrap_or_else(|| panic!("{page} sans pied de page"))..];
        assert!(footer.contains("SAMU&nbsp;: <a href=\"tel:15\">15</a>"), "{page}:\n{footer}");
        assert!(footer.contains("Numéro d’urgence européen&nbsp;: <a href=\"tel:112\">112</a>"), "{page}:\n{footer}");
    }
}
