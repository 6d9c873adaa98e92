//! A region's tree (region.yaml): two CPTS folders and shared data (a member who practises in
//! both territories, a shared template). The region's build makes each CPTS's site exactly as the
//! folder built alone (in the region, and copied out with the shared data made its own), and a
//! portal across them; `check` reports every CPTS's problems at once, named from the region's
//! root.

mod common;

use common::{CONTACTS_YAML, CPTS_YAML, read, read_tree, replace_once, write};
use maillage::diagnostic::Diagnostic;
use maillage::region::{build_region, check_region};
use maillage::{BuildError, BuildOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const REGION_YAML: &str = r#"nom: CPTS du Centre-Var
description: Les CPTS du centre du Var, leurs professionnels et leurs actions.
url: https://portail.cpts-test.fr
cpts:
  - dossier: nord
    membres_communs: [paul-partage]
  - dossier: sud
    membres_communs:
      - paul-partage
"#;

/// Practises in Le Luc (the north's territory) and in Vidauban (the south's).
const SHARED_MEMBER: &str = r#"civilite: M.
titre: Dr
prenom: Paul
nom: Partagé
profession: medecin-generaliste
rpps: "10000000017"
exercice: liberal
lieux:
  - adresse: 5 place Verdun
    code_postal: "83340"
    commune: "83073"
    hors_territoire: true
  - adresse: 3 rue Sainte-Brigitte
    code_postal: "83550"
    commune: "83148"
    hors_territoire: true
accepte_nouveaux_patients: true
publie: true
"#;

const SOUTH_MEMBER: &str = r#"civilite: Mme
prenom: Inès
nom: Sudre
profession: infirmier
rpps: "10000000025"
exercice: liberal
lieux:
  - adresse: 1 avenue de la Gare
    code_postal: "83550"
    commune: "83148"
accepte_nouveaux_patients: false
publie: true
"#;

const SOUTH_ACTION: &str = r#"---
titre: Dépistage du diabète
resume: Une matinée de dépistage gratuit du diabète.
seances:
  - date: 2027-01-15
    debut: "09:00"
    fin: "12:00"
    lieu: Salle des fêtes
    commune: "83148"
    gratuit: true
---

Venez à jeun.
"#;

const SHARED_404: &str = r#"{% extends "base.html" %}
{% block content %}<p class="lead">Page introuvable sur les sites des CPTS du Centre-Var.</p>{% endblock %}
"#;

const NORTH_404: &str = r#"{% extends "base.html" %}
{% block content %}<p class="lead">Page introuvable sur le site de la CPTS du Nord.</p>{% endblock %}
"#;

/// cpts.yaml of one CPTS of the region: the minimal site's, with one commune and its own name.
fn cpts_yaml(name: &str, keep: &str) -> String {
    let text = replace_once(CPTS_YAML, "nom: CPTS des Tests", &format!("nom: CPTS {name}"));
    let text = replace_once(&text, "nom_court: CPTS Tests", &format!("nom_court: CPTS {name}"));
    let (luc, vidauban) = (
        "    - insee: \"83073\"\n      nom: Le Luc\n      centre: [43.3947, 6.3131]\n",
        "    - insee: \"83148\"\n      nom: Vidauban\n      centre: [43.4272, 6.4325]\n",
    );
    replace_once(&text, if keep == "83073" { vidauban } else { luc }, "")
}

/// The region: `nord` (Le Luc, its own member, its own 404 template), `sud` (Vidauban, a
/// member, an action), the shared member and the shared 404 template.
fn region() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "region.yaml", REGION_YAML);
    write(r, "commun/membres/paul-partage.yaml", SHARED_MEMBER);
    write(r, "commun/templates/404.html", SHARED_404);
    write(r, "nord/content/cpts.yaml", &cpts_yaml("du Nord", "83073"));
    write(r, "nord/content/contacts.yaml", CONTACTS_YAML);
    write(r, "nord/content/membres/claire-exemple.yaml", common::MEMBER_YAML);
    write(r, "nord/templates/404.html", NORTH_404);
    write(r, "sud/content/cpts.yaml", &cpts_yaml("du Sud", "83148"));
    write(r, "sud/content/contacts.yaml", CONTACTS_YAML);
    write(r, "sud/content/membres/ines-sudre.yaml", SOUTH_MEMBER);
    write(r, "sud/content/actions/depistage-diabete.md", SOUTH_ACTION);
    dir
}

fn built(root: &Path, output: &Path) -> maillage::region::RegionReport {
    match build_region(&common::opts(root, output)) {
        Ok(r) => r,
        Err(BuildError::Content(d)) => panic!("la construction de la région a échoué :\n{d:#?}"),
        Err(e) => panic!("la construction de la région a échoué : {e}"),
    }
}

/// Builds one site alone, as `maillage build --root ROOT --base-url URL` does.
fn build_alone(root: &Path, output: &Path, url: &str) {
    let opts = BuildOptions { base_url: Some(url.to_string()), ..common::opts(root, output) };
    if let Err(e) = maillage::build(&opts) {
        match e {
            BuildError::Content(d) => panic!("construction seule :\n{d:#?}"),
            e => panic!("construction seule : {e}"),
        }
    }
}

/// A built tree without Maillage's marker (which records the fingerprint of the inputs, and the
/// inputs' place differs between a region and a copy).
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut tree = read_tree(dir);
    tree.remove(maillage::output::MARKER);
    tree
}

fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let (ka, kb): (Vec<_>, Vec<_>) = (a.keys().collect(), b.keys().collect());
    assert_eq!(ka, kb, "{what} : les fichiers diffèrent");
    for (path, bytes) in a {
        assert!(bytes == &b[path], "{what} : {path} diffère");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for (rel, bytes) in read_tree(from) {
        let path = to.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

#[test]
fn each_site_of_the_region_is_the_site_its_folder_makes_alone() {
    let region = region();
    let out = tempfile::tempdir().unwrap();
    let report = built(region.path(), out.path());
    assert_eq!(report.sites.len(), 2);
    for dossier in ["nord", "sud"] {
        let in_region = site_files(&out.path().join(dossier));
        assert!(in_region.contains_key("index.html"), "{dossier} : pas de page d’accueil");
        let url = format!("https://portail.cpts-test.fr/{dossier}/");

        // The folder alone, in the region's tree: `maillage build --root nord`.
        let alone = tempfile::tempdir().unwrap();
        build_alone(&region.path().join(dossier), alone.path(), &url);
        assert_same_tree(&in_region, &site_files(alone.path()), &format!("{dossier} seul dans la région"));

        // The folder copied out of the region, the shared data made its own: the shared member
        // in its members, the shared template under its own templates (which win).
        let copy = tempfile::tempdir().unwrap();
        copy_dir(&region.path().join(dossier), copy.path());
        write(copy.path(), "content/membres/paul-partage.yaml", SHARED_MEMBER);
        if !copy.path().join("templates/404.html").exists() {
            write(copy.path(), "templates/404.html", SHARED_404);
        }
        let copied = tempfile::tempdir().unwrap();
        build_alone(copy.path(), copied.path(), &url);
        assert_same_tree(&in_region, &site_files(copied.path()), &format!("{dossier} copié hors de la région"));
    }
    // Shared templates are inherited unless the CPTS has its own.
    assert!(read(&out.path().join("sud"), "404.html").contains("Page introuvable sur les sites"));
    assert!(read(&out.path().join("nord"), "404.html").contains("Page introuvable sur le site de la"));
    // Links of a site under the portal carry its folder.
    assert!(read(&out.path().join("nord"), "index.html").contains("href=\"/nord/annuaire/\""));
}

#[test]
fn the_shared_member_is_one_record_shown_in_both_sites() {
    let region = region();
    let out = tempfile::tempdir().unwrap();
    built(region.path(), out.path());
    for dossier in ["nord", "sud"] {
        let page = read(&out.path().join(dossier), "annuaire/paul-partage/index.html");
        assert!(page.contains("Le Luc") && page.contains("Vidauban"), "{dossier} : les deux lieux manquent");
    }
    // In the portal's index (one per département: both CPTS are in the Var), one entry with
    // both communes.
    let index: serde_json::Value = serde_json::from_str(&read(out.path(), "annuaire/83/index.json")).unwrap();
    let members = index["m"].as_array().unwrap();
    let paul: Vec<_> = members.iter().filter(|m| m[0].as_str().unwrap().contains("Partagé")).collect();
    assert_eq!(paul.len(), 1, "{members:?}");
    assert_eq!(paul[0][3].as_array().unwrap().len(), 2);
    assert_eq!(members.len(), 3);
}

#[test]
fn the_portal_finds_a_gp_accepting_patients_in_a_commune_whatever_the_cpts() {
    let region = region();
    let out = tempfile::tempdir().unwrap();
    built(region.path(), out.path());
    let home = read(out.path(), "index.html");
    assert!(home.contains("CPTS du Nord") && home.contains("CPTS du Sud"));
    assert!(home.contains("<svg"), "la carte des territoires manque");
    assert!(home.contains("href=\"/nord/\"") && home.contains("href=\"/sud/\""));
    // Without JavaScript: the commune's page says how many GPs accept new patients, and its
    // list begins with them.
    let luc = read(out.path(), "communes/le-luc-83073/index.html");
    let gps = luc.split("id=\"medecin-traitant\"").nth(1).unwrap().split("id=\"tous\"").next().unwrap();
    assert!(gps.contains("2\u{a0}médecins généralistes de la commune indiquent accepter"), "{gps}");
    assert!(gps.contains("href=\"/communes/le-luc-83073/#groupe-medecin-generaliste\""), "{gps}");
    let rows = commune_rows(&luc);
    assert_eq!(rows, ["/nord/annuaire/claire-exemple/", "/nord/annuaire/paul-partage/"]);
    assert!(luc.contains("<h1>Professionnels de santé au Luc</h1>"), "{luc}");
    // One page: no pager, no summary by profession.
    assert!(!luc.contains("aria-label=\"Pagination\"") && !luc.contains("id=\"par-profession\""), "{luc}");
    let vidauban = read(out.path(), "communes/vidauban-83148/index.html");
    let gps = vidauban.split("id=\"medecin-traitant\"").nth(1).unwrap().split("id=\"tous\"").next().unwrap();
    assert!(gps.contains("1\u{a0}médecin généraliste de la commune indique accepter"), "{gps}");
    let all = vidauban.split("id=\"tous\"").nth(1).unwrap();
    let (gps, nurses) = all.split_once("id=\"groupe-infirmier\"").unwrap();
    assert!(gps.contains("id=\"groupe-medecin-generaliste\"") && gps.contains("Paul") && !gps.contains("Inès"));
    assert!(nurses.contains("Inès"), "{vidauban}");
    // The directory lists the départements; each uses the site's script over an index of the
    // same format, its own.
    let directory = read(out.path(), "annuaire/index.html");
    assert!(directory.contains("href=\"/annuaire/83/\">Var (83)</a>"), "{directory}");
    let var = read(out.path(), "annuaire/83/index.html");
    assert!(var.contains("annuaire.js") && var.contains("id=\"filtre-annuaire\""));
    assert!(var.contains("data-index=\"/annuaire/83/index.json\""));
    // The menu shows where the reader is: the directory's section, not its home.
    assert!(directory.contains("<a href=\"/annuaire/\" aria-current=\"page\">Annuaire</a>"), "{directory}");
    assert!(var.contains("<a href=\"/annuaire/\" aria-current=\"true\">Annuaire</a>"), "{var}");
    assert!(var.contains("<a href=\"/\">Accueil</a>") && var.contains("<a href=\"/prevention/\">Prévention</a>"));
    // Without script, the département's communes.
    assert!(var.contains("href=\"/communes/le-luc-83073/\"") && var.contains("href=\"/communes/vidauban-83148/\""));
    assert!(out.path().join("annuaire.js").is_file() && out.path().join("texte.js").is_file());
    // The region's calendar: the south's session, in the page and in the ICS.
    let prevention = read(out.path(), "prevention/index.html");
    assert!(prevention.contains("Dépistage du diabète") && prevention.contains("/sud/prevention/depistage-diabete/"));
    let ics = read(out.path(), "agenda.ics");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
}

/// `count` members of the north practising in Le Luc, of `profession`, named after it and
/// numbered from `from` (`Infirmier 000`…); the first `accepting` accept new patients: their
/// paths and YAML.
fn luc_members(profession: &str, count: usize, accepting: usize, from: usize) -> Vec<(String, String)> {
    (from..from + count)
        .map(|i| {
            let path = format!("nord/content/membres/{profession}-{i:03}.yaml");
            let yaml = format!(
                "civilite: Mme\nprenom: Alice\nnom: {} {i:03}\nprofession: {profession}\nrpps: \"{}\"\nexercice: liberal\nlieux:\n  - adresse: {} rue des Soins\n    code_postal: \"83340\"\n    commune: \"83073\"\n    telephone: \"04 94 20 {:02} {:02}\"\naccepte_nouveaux_patients: {}\npublie: true\n",
                profession.split('-').next().unwrap(),
                common::rpps(30_000_000 + i as u64),
                i + 1,
                i / 100,
                i % 100,
                i < from + accepting
            );
            (path, yaml)
        })
        .collect()
}

/// The member pages a commune page of the portal lists, in order: the links of its rows, after
/// « Tous les professionnels et structures » and before the pager.
fn commune_rows(html: &str) -> Vec<String> {
    let list = html.split("id=\"tous\"").nth(1).unwrap();
    let list = list.split("<nav class=\"pager\"").next().unwrap();
    common::attr_values(list, "href").into_iter().filter(|h| !h.starts_with("tel:")).collect()
}

#[test]
fn a_commune_of_more_than_a_page_is_listed_on_pages_of_fifty() {
    use maillage::render::pages::PAGE_SIZE;
    let region = region();
    let r = region.path();
    // Le Luc: Claire and Paul (GPs accepting new patients), 40 more GPs (10 accepting), 60 nurses
    // and 20 physiotherapists (5 accepting): 122 rows, on pages of 50, 50 and 22.
    let members: Vec<(String, String)> = luc_members("medecin-generaliste", 40, 10, 0)
        .into_iter()
        .chain(luc_members("infirmier", 60, 0, 100))
        .chain(luc_members("masseur-kinesitherapeute", 20, 5, 200))
        .collect();
    for (path, yaml) in &members {
        write(r, path, yaml);
    }
    let out = tempfile::tempdir().unwrap();
    built(r, out.path());
    let o = out.path();
    let luc = "communes/le-luc-83073/";
    let files = [format!("{luc}index.html"), format!("{luc}page/2/index.html"), format!("{luc}page/3/index.html")];
    let html: Vec<String> = files.iter().map(|f| read(o, f)).collect();
    assert!(!o.join(format!("{luc}page/4")).exists() && !o.join(format!("{luc}page/1")).exists());

    // Every row once, on pages of at most 50, the last with the rest.
    let rows: Vec<Vec<String>> = html.iter().map(|h| commune_rows(h)).collect();
    assert_eq!(rows.iter().map(Vec::len).collect::<Vec<_>>(), [PAGE_SIZE, PAGE_SIZE, 22]);
    let mut expected: Vec<String> = members
        .iter()
        .map(|(path, _)| format!("/nord/annuaire/{}/", path.rsplit('/').next().unwrap().trim_end_matches(".yaml")))
        .chain(["/nord/annuaire/claire-exemple/".to_string(), "/nord/annuaire/paul-partage/".to_string()])
        .collect();
    expected.sort();
    let mut listed: Vec<String> = rows.iter().flatten().cloned().collect();
    listed.sort();
    assert_eq!(listed, expected, "chaque membre de la commune une fois");
    // The GPs accepting new patients open the list, then the other GPs, the nurses and the
    // physiotherapists, each by name.
    let accepting: std::collections::BTreeSet<&str> = rows[0][..12].iter().map(String::as_str).collect();
    assert!(accepting.contains("/nord/annuaire/claire-exemple/") && accepting.contains("/nord/annuaire/paul-partage/"));
    assert!((0..10).all(|i| accepting.contains(format!("/nord/annuaire/medecin-generaliste-{i:03}/").as_str())));
    assert_eq!(rows[0][12], "/nord/annuaire/medecin-generaliste-010/");
    assert_eq!(rows[0][42], "/nord/annuaire/infirmier-100/");
    assert_eq!(rows[2][2], "/nord/annuaire/masseur-kinesitherapeute-200/");

    // Page 1: the GPs accepting new patients, then where each profession begins.
    let first = &html[0];
    assert!(first.contains("12\u{a0}médecins généralistes de la commune indiquent accepter"), "{first}");
    let summary = first.split("id=\"par-profession\"").nth(1).unwrap().split("id=\"tous\"").next().unwrap();
    for (href, label, meta) in [
        (
            "/communes/le-luc-83073/#groupe-medecin-generaliste",
            "Médecins généralistes",
            "42, dont 12\u{a0}acceptent de nouveaux patients · page 1",
        ),
        ("/communes/le-luc-83073/#groupe-infirmier", "Infirmiers", "60 · page 1"),
        (
            "/communes/le-luc-83073/page/3/#groupe-masseur-kinesitherapeute",
            "Masseurs-kinésithérapeutes",
            "20, dont 5\u{a0}acceptent de nouveaux patients · page 3",
        ),
    ] {
        let row = format!("<a href=\"{href}\">{label}</a> <span class=\"row-meta\">{meta}</span>");
        assert!(summary.contains(&row), "{row} absent de :\n{summary}");
    }
    assert!(summary.contains("href=\"/annuaire/83/?commune=le-luc-83073\""), "{summary}");
    // The anchors the summary links to, where each group begins; a group that goes on says so.
    assert!(first.contains("<h3 id=\"groupe-infirmier\">Infirmiers <span"));
    assert!(html[1].contains("<h3>Infirmiers (suite) <span") && !html[1].contains("id=\"groupe-infirmier\""));
    assert!(html[2].contains("<h3 id=\"groupe-masseur-kinesitherapeute\">"));
    assert!(!html[1].contains("id=\"par-profession\"") && !html[1].contains("id=\"medecin-traitant\""));

    // Titles, canonical addresses, pager and breadcrumbs say which page each is.
    let pager = |h: &str| -> String {
        let start = h.find("<nav class=\"pager\" aria-label=\"Pagination\">").expect("pas de pagination");
        h[start..start + h[start..].find("</nav>").unwrap()].to_string()
    };
    for (i, h) in html.iter().enumerate() {
        let n = i + 1;
        let (title, address) = if n == 1 {
            ("Professionnels de santé au Luc, page 1 sur 3".to_string(), luc.to_string())
        } else {
            (format!("Professionnels de santé au Luc, page {n} sur 3"), format!("{luc}page/{n}/"))
        };
        assert!(h.contains(&format!("<title>{title} – CPTS du Centre-Var</title>")), "{h}");
        assert!(h.contains(&format!("<h1>{title}</h1>")));
        assert!(h.contains(&format!("<link rel=\"canonical\" href=\"https://portail.cpts-test.fr/{address}\">")));
        let nav = pager(h);
        assert!(nav.contains(&format!("<a href=\"/{address}\" aria-current=\"page\">")), "{nav}");
        assert_eq!(nav.matches("aria-current").count(), 1, "{nav}");
        assert!(nav.contains(&format!("<p class=\"pager-position\">Page {n} sur 3</p>")), "{nav}");
    }
    let (p1, p2, p3) = (pager(&html[0]), pager(&html[1]), pager(&html[2]));
    assert!(!p1.contains("rel=\"prev\"") && p1.contains("<a href=\"/communes/le-luc-83073/page/2/\" rel=\"next\">"));
    assert!(p2.contains("<a href=\"/communes/le-luc-83073/\" rel=\"prev\">"), "{p2}");
    assert!(p2.contains("<a href=\"/communes/le-luc-83073/page/3/\" rel=\"next\">"), "{p2}");
    assert!(p3.contains("<a href=\"/communes/le-luc-83073/page/2/\" rel=\"prev\">") && !p3.contains("rel=\"next\""));
    assert!(html[2].contains("Page 3 sur 3&nbsp;: fiches 101 à 122 sur 122."), "{}", html[2]);
    assert!(html[1].contains("<li><a href=\"/communes/le-luc-83073/\">Professionnels de santé au Luc</a></li>"));
    let sitemap = read(o, "sitemap.xml");
    for address in [luc.to_string(), format!("{luc}page/2/"), format!("{luc}page/3/")] {
        assert!(sitemap.contains(&format!("<loc>https://portail.cpts-test.fr/{address}</loc>")), "{sitemap}");
    }
    // Other pages link to page 1, with the commune's whole count.
    for page in ["annuaire/83/index.html", "territoires/nord/index.html"] {
        let h = read(o, page);
        assert!(
            h.contains(
                "<a href=\"/communes/le-luc-83073/\">Le Luc</a> <span class=\"row-meta\">122\u{a0}professionnels"
            ),
            "{page} : {h}"
        );
        assert!(!h.contains("/communes/le-luc-83073/page/"), "{page}");
    }
    // Vidauban holds on one page.
    assert!(!o.join("communes/vidauban-83148/page").exists());
}

#[test]
fn the_regions_coming_sessions_are_listed_on_pages_of_fifty() {
    let region = region();
    let r = region.path();
    // 60 more sessions in the north, after the south's one (15 January 2027): 61 in all.
    let seances: String = (0..60)
        .map(|i| {
            format!(
                "  - date: 2027-{:02}-{:02}\n    debut: \"09:00\"\n    fin: \"12:00\"\n    lieu: Salle {i}\n    commune: \"83073\"\n    gratuit: true\n",
                3 + i / 28,
                1 + i % 28
            )
        })
        .collect();
    let action = format!(
        "---\ntitre: Marche santé\nresume: Une marche chaque semaine.\nseances:\n{seances}---\n\nVenez marcher.\n"
    );
    write(r, "nord/content/actions/marche-sante.md", &action);
    let out = tempfile::tempdir().unwrap();
    built(r, out.path());
    let (first, second) = (read(out.path(), "prevention/index.html"), read(out.path(), "prevention/page/2/index.html"));
    assert!(!out.path().join("prevention/page/3").exists());
    assert_eq!((first.matches("<time datetime").count(), second.matches("<time datetime").count()), (50, 11));
    assert!(first.contains("<time datetime=\"2027-01-15\">"), "la première séance en tête");
    assert!(second.contains("<title>Prévention, page 2 sur 2 – CPTS du Centre-Var</title>"), "{second}");
    assert!(second.contains("<link rel=\"canonical\" href=\"https://portail.cpts-test.fr/prevention/page/2/\">"));
    assert!(
        second.contains("<a href=\"/prevention/\" rel=\"prev\">")
            && first.contains("<a href=\"/prevention/page/2/\" rel=\"next\">")
    );
    assert!(second.contains("<a href=\"/prevention/page/2/\" aria-current=\"page\">"), "{second}");
    // The menu marks the section on every page of it.
    assert!(second.contains("<a href=\"/prevention/\" aria-current=\"true\">Prévention</a>"), "{second}");
    assert!(read(out.path(), "sitemap.xml").contains("<loc>https://portail.cpts-test.fr/prevention/page/2/</loc>"));
}

/// Follows the saves of `paths` as the server does: in memory first (what it serves meanwhile
/// is the output folder with the files not written yet), then written. Gives the update and
/// the files served before the write.
fn follow_then_write(
    session: &mut maillage::region::serve::RegionSession,
    opts: &BuildOptions,
    paths: &[PathBuf],
) -> (maillage::region::serve::RegionUpdate, BTreeMap<String, Vec<u8>>) {
    let update = session.follow_in_memory(paths).unwrap();
    let mut served = output_files(&opts.output);
    for (path, bytes) in session.unwritten() {
        match bytes {
            Some(b) => served.insert(path.clone(), b.to_vec()),
            None => served.remove(path),
        };
    }
    session.write_output().unwrap();
    assert!(session.unwritten().is_empty());
    (update, served)
}

/// Follows the saves of `paths` (relative to `root`) as the server does, and checks that what
/// it serves before writing and what it writes are the files a full build of the region gives:
/// the update, and the files served.
fn follow_as_built(
    session: &mut maillage::region::serve::RegionSession,
    opts: &BuildOptions,
    root: &Path,
    paths: &[&str],
    what: &str,
) -> (maillage::region::serve::RegionUpdate, BTreeMap<String, Vec<u8>>) {
    let (update, served) = follow_then_write(session, opts, &paths.iter().map(|p| root.join(p)).collect::<Vec<_>>());
    assert!(session.errors().is_empty(), "{what} : {:#?}", session.errors());
    let built = full_build(root);
    assert_same_tree(&served, &built, &format!("{what}, servi avant l’écriture"));
    assert_same_tree(&output_files(&opts.output), &built, &format!("{what}, écrit"));
    (update, served)
}

#[test]
fn serve_keeps_a_communes_pages_as_a_full_build_makes_them() {
    let region = region();
    let r = region.path();
    // Le Luc: Claire, Paul and 48 nurses: 50 rows, one page.
    for (path, yaml) in luc_members("infirmier", 48, 0, 0) {
        write(r, &path, &yaml);
    }
    let out = tempfile::tempdir().unwrap();
    let opts = common::opts(r, &out.path().join("public"));
    let (mut session, _) = maillage::region::serve::RegionSession::start(&opts).unwrap();
    let (page1, page2) = ("communes/le-luc-83073/index.html", "communes/le-luc-83073/page/2/index.html");
    assert!(opts.output.join(page1).is_file() && !opts.output.join(page2).exists());

    // One more nurse: a second page.
    let (path, yaml) = luc_members("infirmier", 1, 0, 48).remove(0);
    write(r, &path, &yaml);
    let (update, served) =
        follow_as_built(&mut session, &opts, r, &["nord/content/membres/infirmier-048.yaml"], "une fiche de plus");
    assert!(served.contains_key(page2) && update.written.iter().any(|w| w == page2), "{:?}", update.written);
    assert!(read(&opts.output, page1).contains("id=\"par-profession\""));

    // The first nurse renamed to sort last: she moves from page 1 to page 2, both change.
    let first = "nord/content/membres/infirmier-000.yaml";
    write(r, first, &replace_once(&read(r, first), "nom: infirmier 000", "nom: Zola"));
    let (update, _) = follow_as_built(&mut session, &opts, r, &[first], "une fiche passe à la page 2");
    for page in [page1, page2] {
        assert!(update.written.iter().any(|w| w == page), "{page} absent de {:?}", update.written);
    }
    assert!(commune_rows(&read(&opts.output, page2)).last().is_some_and(|l| l == "/nord/annuaire/infirmier-000/"));

    // Her phone: only page 2 shows it, only page 2 is rendered again.
    write(r, first, &replace_once(&read(r, first), "04 94 20 00 00", "04 94 20 99 99"));
    let (update, _) = follow_as_built(&mut session, &opts, r, &[first], "un téléphone de la page 2");
    let rendered = &update.portal_rendered;
    assert!(rendered.iter().any(|p| p == page2) && !rendered.iter().any(|p| p == page1), "{rendered:?}");
    assert!(!rendered.iter().any(|p| p.starts_with("communes/vidauban")), "{rendered:?}");

    // A nurse becomes a physiotherapist: a new group, page 1's summary names it.
    let other = "nord/content/membres/infirmier-010.yaml";
    write(r, other, &replace_once(&read(r, other), "profession: infirmier", "profession: masseur-kinesitherapeute"));
    let (update, _) = follow_as_built(&mut session, &opts, r, &[other], "une fiche change de profession");
    assert!(update.written.iter().any(|w| w == page1), "{:?}", update.written);
    let summary = read(&opts.output, page1);
    assert!(
        summary.contains("<a href=\"/communes/le-luc-83073/page/2/#groupe-masseur-kinesitherapeute\">"),
        "{summary}"
    );

    // A nurse leaves: 50 rows again, page 2 is gone from what is served and written.
    std::fs::remove_file(r.join("nord/content/membres/infirmier-048.yaml")).unwrap();
    let (update, served) =
        follow_as_built(&mut session, &opts, r, &["nord/content/membres/infirmier-048.yaml"], "une fiche de moins");
    assert!(update.removed.iter().any(|p| p == page2), "{:?}", update.removed);
    assert!(!served.contains_key(page2) && !opts.output.join(page2).exists());
    let luc = read(&opts.output, page1);
    assert!(!luc.contains("aria-label=\"Pagination\"") && commune_rows(&luc).len() == 50, "{luc}");
}

#[test]
fn a_second_build_keeps_the_output_and_the_sites_inside_it() {
    let region = region();
    let out = tempfile::tempdir().unwrap();
    let first = site_files(out.path());
    assert!(first.is_empty());
    built(region.path(), out.path());
    let once = site_files(out.path());
    let again = built(region.path(), out.path());
    assert!(again.sites.iter().all(|(_, r)| r.up_to_date));
    assert_eq!(again.portal_stats.written, 0);
    let twice = site_files(out.path());
    assert_same_tree(&once, &twice, "deuxième construction");
}

fn find<'a>(d: &'a [Diagnostic], code: &str, file: &str) -> &'a Diagnostic {
    d.iter().find(|x| x.code == code && x.file == file).unwrap_or_else(|| panic!("{code} {file} absent : {d:#?}"))
}

#[test]
fn check_reports_every_cpts_at_once_with_paths_from_the_region() {
    let region = region();
    let r = region.path();
    // An unknown key in the north's member, a commune outside the south's territory, and a
    // shared member listed that does not exist.
    write(r, "nord/content/membres/claire-exemple.yaml", &format!("{}couleur: bleu\n", common::MEMBER_YAML));
    write(r, "sud/content/membres/ines-sudre.yaml", &replace_once(SOUTH_MEMBER, "\"83148\"", "\"83073\""));
    write(
        r,
        "region.yaml",
        &replace_once(REGION_YAML, "      - paul-partage\n", "      - paul-partage\n      - paul-partag\n"),
    );
    let d = check_region(&common::opts(r, &r.join("public")));
    find(&d, "M013", "nord/content/membres/claire-exemple.yaml");
    find(&d, "M040", "sud/content/membres/ines-sudre.yaml");
    let dangling = find(&d, "M112", "region.yaml");
    assert_eq!(dangling.line, 10);
    assert!(dangling.hint.as_deref().unwrap_or("").contains("paul-partage"), "{dangling:?}");
    // The build refuses the same, and writes nothing.
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    match build_region(&common::opts(r, &target)) {
        Err(BuildError::Content(e)) => assert!(e.iter().any(|x| x.code == "M112")),
        other => panic!("{other:?}"),
    }
    assert!(!target.exists());
}

#[test]
fn a_cpts_alone_reports_the_regions_problems_that_concern_it() {
    let region = region();
    let r = region.path();
    write(r, "region.yaml", &replace_once(REGION_YAML, "membres_communs: [paul-partage]", "membres_communs: [pierre]"));
    write(r, "nord/content/membres/paul-partage.yaml", SHARED_MEMBER);
    let opts = common::opts(&r.join("nord"), &r.join("nord/public"));
    let d = maillage::check_site(&opts);
    let dangling = find(&d, "M112", "../region.yaml");
    assert_eq!(dangling.line, 6);
    // The south still shows the shared member; its copy in the north is its own file there.
    assert!(!d.iter().any(|x| x.code == "M114"));
    write(r, "region.yaml", REGION_YAML);
    let d = maillage::check_site(&opts);
    find(&d, "M114", "content/membres/paul-partage.yaml");
}

/// GET `path` from `addr`: the status and the body.
fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

#[test]
fn serve_builds_the_region_serves_it_and_rebuilds_it_on_a_save() {
    use maillage::region::serve::{RegionEvent, RegionServeOptions, serve_region};
    use std::sync::mpsc;
    use std::time::Duration;
    let region = region();
    let root = region.path().to_path_buf();
    let out = tempfile::tempdir().unwrap();
    let (tx, rx) = mpsc::channel::<Result<Option<std::net::SocketAddr>, String>>();
    let opts = RegionServeOptions {
        region: common::opts(&root, &out.path().join("public")),
        bind: std::net::Ipv4Addr::LOCALHOST.into(),
        port: 0,
    };
    // The server runs until the test process ends.
    std::thread::spawn(move || {
        let _ = serve_region(opts, move |event| {
            let _ = tx.send(match event {
                RegionEvent::Listening(addr) => Ok(Some(addr)),
                RegionEvent::Built(_) | RegionEvent::Updated(_) => Ok(None),
                RegionEvent::Failed(d) => Err(format!("{d:?}")),
                RegionEvent::WriteFailed(e) => Err(e),
            });
        });
    });
    let wait = || rx.recv_timeout(Duration::from_secs(60)).expect("le serveur ne répond pas");
    assert_eq!(wait(), Ok(None), "première construction");
    let addr = wait().unwrap().expect("adresse d’écoute");
    let (status, page) = get(addr, "/communes/vidauban-83148/");
    assert_eq!(status, 200);
    assert!(page.contains("Inès Sudre"));
    assert_eq!(get(addr, "/sud/annuaire/ines-sudre/").0, 200);
    assert_eq!(get(addr, "/../region.yaml").0, 400);
    // No editor for a whole region: it says which folder to serve instead.
    let (status, page) = get(addr, "/_edition/");
    assert_eq!(status, 404);
    assert!(page.contains("maillage serve --root DOSSIER"), "{page}");
    // The pages carry the live-reload script.
    assert!(get(addr, "/").1.contains("/__maillage/events"));
    assert!(get(addr, "/sud/").1.contains("/__maillage/events"));
    // Browsers listen to the server's events.
    let mut events = std::net::TcpStream::connect(addr).unwrap();
    {
        use std::io::Write;
        write!(events, "GET /__maillage/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    }
    events.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut said = String::new();
    let mut listen = |until: &dyn Fn(&str) -> bool| {
        use std::io::Read;
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while !until(&said) {
            assert!(std::time::Instant::now() < deadline, "événement attendu absent : {said}");
            let mut buf = [0u8; 4096];
            let n = events.read(&mut buf).expect("flux d’événements interrompu");
            assert!(n > 0, "flux d’événements fermé : {said}");
            said.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        std::mem::take(&mut said)
    };
    listen(&|s| s.contains("event: hello"));
    // A save in a CPTS rebuilds it, and the portal's pages that show it.
    write(
        &root,
        "sud/content/membres/ines-sudre.yaml",
        &replace_once(SOUTH_MEMBER, "prenom: Inès", "prenom: Inès-Marie"),
    );
    assert_eq!(wait(), Ok(None), "reconstruction");
    // The browsers are told to reload: the member's page and the commune's by name, or every
    // page when data files changed too (the directory's index), as for a site.
    let said = listen(&|s| s.split("event: reload").nth(1).is_some_and(|rest| rest.contains("\n\n")));
    let named =
        said.contains("communes/vidauban-83148/index.html") && said.contains("sud/annuaire/ines-sudre/index.html");
    assert!(named || said.contains("\"pages\":null"), "{said}");
    assert!(get(addr, "/sud/annuaire/ines-sudre/").1.contains("Inès-Marie"));
    assert!(get(addr, "/communes/vidauban-83148/").1.contains("Inès-Marie Sudre"));
}

#[test]
fn region_yaml_problems_are_each_reported_with_their_line() {
    let region = region();
    let r = region.path();
    write(
        r,
        "region.yaml",
        "nom: Région\nurl: portail.example.org\ncpts:\n  - dossier: nord\n  - dossier: nord\n  - dossier: annuaire\n  - dossier: Ouest\n  - dossier: est\n",
    );
    let d = check_region(&common::opts(r, &r.join("public")));
    let at = |code: &str, line: u32| d.iter().any(|x| x.code == code && x.file == "region.yaml" && x.line == line);
    assert!(at("M110", 2), "{d:#?}");
    for line in [5, 6, 7, 8] {
        assert!(at("M111", line), "ligne {line} : {d:#?}");
    }
    // The shared member no CPTS lists any more is published nowhere: said, not dropped.
    find(&d, "M113", "commun/membres/paul-partage.yaml");
    // The north is still checked, and the shared template still read.
    assert!(!d.iter().any(|x| x.file.starts_with("nord/") && x.is_error()), "{d:#?}");
}

/// A change on disk, and the paths the watcher reports for it (relative to the region's root).
enum Edit {
    /// Writes a file (created or replaced).
    Write(&'static str, String),
    /// Replaces the one occurrence of a text in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Deletes a file.
    Remove(&'static str),
    /// Renames a file.
    Rename(&'static str, &'static str),
    /// An edit that leaves an error in the content.
    Broken(Box<Edit>),
}

impl Edit {
    fn apply(&self, root: &Path) -> Vec<&'static str> {
        match self {
            Edit::Write(rel, text) => {
                write(root, rel, text);
                vec![rel]
            }
            Edit::Replace(rel, from, to) => {
                write(root, rel, &replace_once(&std::fs::read_to_string(root.join(rel)).unwrap(), from, to));
                vec![rel]
            }
            Edit::Remove(rel) => {
                std::fs::remove_file(root.join(rel)).unwrap();
                vec![rel]
            }
            Edit::Rename(from, to) => {
                std::fs::rename(root.join(from), root.join(to)).unwrap();
                vec![from, to]
            }
            Edit::Broken(edit) => edit.apply(root),
        }
    }
}

/// Every file of a region's output but Maillage's markers (which record how each folder was
/// written, by a build or by the server).
fn output_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut tree = read_tree(dir);
    tree.retain(|path, _| !path.ends_with(maillage::output::MARKER));
    tree
}

/// The region of [`region`] built, and the session a server follows its saves with: the
/// region's folder, the output's, the options, the session.
fn region_session() -> (tempfile::TempDir, tempfile::TempDir, BuildOptions, maillage::region::serve::RegionSession) {
    let region = region();
    let out = tempfile::tempdir().unwrap();
    let opts = common::opts(region.path(), &out.path().join("public"));
    let (session, _) = maillage::region::serve::RegionSession::start(&opts).unwrap();
    (region, out, opts, session)
}

#[test]
fn every_kind_of_region_edit_gives_what_a_full_build_gives() {
    use Edit::*;
    let (region, _out, opts, mut session) = region_session();
    let root = region.path();
    // Outlines for the north's commune, then another shape for it: the region's map follows.
    let var_outlines =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/communes.geojson")).unwrap();
    let moved_outline = {
        let mut all: serde_json::Value = serde_json::from_str(&var_outlines).unwrap();
        let features = all["features"].as_array_mut().unwrap();
        features.retain(|f| f["properties"]["code"].as_str() == Some("83148"));
        assert_eq!(features.len(), 1);
        features[0]["properties"]["code"] = "83073".into();
        all.to_string()
    };
    let edits = [
        // A member of one CPTS: changed, added, renamed, removed.
        Replace("nord/content/membres/claire-exemple.yaml", "04 94 00 00 01", "04 94 00 00 09"),
        Write(
            "sud/content/membres/zoe-sud.yaml",
            SOUTH_MEMBER.replace("Inès", "Zoé").replace("10000000025", "10000000033"),
        ),
        Rename("sud/content/membres/zoe-sud.yaml", "sud/content/membres/zoe-vidauban.yaml"),
        Remove("sud/content/membres/zoe-vidauban.yaml"),
        // An error in a CPTS: its last good pages stay; then repaired.
        Broken(Box::new(Replace("sud/content/membres/ines-sudre.yaml", "publie: true", "publie: true\ncouleur: bleu"))),
        Replace("sud/content/membres/ines-sudre.yaml", "\ncouleur: bleu", ""),
        // The shared member: changed (both sites, the portal), then no longer accepting patients.
        Replace("commun/membres/paul-partage.yaml", "5 place Verdun", "7 place Verdun"),
        Replace(
            "commun/membres/paul-partage.yaml",
            "accepte_nouveaux_patients: true",
            "accepte_nouveaux_patients: false",
        ),
        // region.yaml: the south no longer shows the shared member, then shows it again; the
        // region's name (every page of the portal); a CPTS's own address (the whole region).
        Replace("region.yaml", "    membres_communs:\n      - paul-partage\n", ""),
        Replace("region.yaml", "  - dossier: sud\n", "  - dossier: sud\n    membres_communs:\n      - paul-partage\n"),
        Replace("region.yaml", "nom: CPTS du Centre-Var", "nom: CPTS du cœur du Var"),
        Broken(Box::new(Replace("region.yaml", "url: https://portail.cpts-test.fr", "url: portail"))),
        Replace("region.yaml", "url: portail", "url: https://portail.cpts-test.fr"),
        // A shared template: changed, then a new one.
        Replace("commun/templates/404.html", "Page introuvable sur les sites", "Cette page n’existe pas sur les sites"),
        Write(
            "commun/templates/member.html",
            format!(
                "{{# shared #}}{}",
                std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/member.html")
                )
                .unwrap()
            ),
        ),
        // A CPTS's cpts.yaml and an action (the portal's home and prevention pages).
        Replace("nord/content/cpts.yaml", "nom: CPTS du Nord", "nom: CPTS du Haut-Var"),
        Replace(
            "sud/content/actions/depistage-diabete.md",
            "titre: Dépistage du diabète",
            "titre: Dépistage du diabète de type 2",
        ),
        Replace("region.yaml", "  - dossier: sud\n", "  - dossier: sud\n    url: https://sud.cpts-test.fr\n"),
        Write("nord/content/communes.geojson", var_outlines),
        Write("nord/content/communes.geojson", moved_outline),
        Remove("nord/content/communes.geojson"),
    ];
    for (i, edit) in edits.iter().enumerate() {
        let paths = edit.apply(root);
        let what = format!("étape {i} ({paths:?})");
        let (update, served) =
            follow_then_write(&mut session, &opts, &paths.iter().map(|p| root.join(p)).collect::<Vec<_>>());
        let broken = matches!(edit, Broken(_));
        assert_eq!(!session.errors().is_empty(), broken, "{what} : {:#?}", session.errors());
        if i == 0 {
            // Live reload: the member's page and the portal's pages that list it.
            for page in ["nord/annuaire/claire-exemple/index.html", "communes/le-luc-83073/index.html"] {
                assert!(update.written.iter().any(|w| w == page), "{what} : {page} absent de {:?}", update.written);
            }
            assert!(!update.written.iter().any(|w| w.starts_with("sud/")), "{what} : {:?}", update.written);
            // The département's other commune lists nobody who changed: not rendered again.
            let rendered = &update.portal_rendered;
            assert!(rendered.iter().any(|p| p == "communes/le-luc-83073/index.html"), "{what} : {rendered:?}");
            assert!(!rendered.iter().any(|p| p == "communes/vidauban-83148/index.html"), "{what} : {rendered:?}");
            assert_eq!(session.sessions(), 1, "{what} : une session pour la seule CPTS modifiée");
        }
        let full = tempfile::tempdir().unwrap();
        let full_out = full.path().join("public");
        match build_region(&common::opts(root, &full_out)) {
            Ok(_) if !broken => {
                let built = output_files(&full_out);
                for (tree, when) in [(&served, "servi avant l’écriture"), (&output_files(&opts.output), "écrit")] {
                    assert_eq!(tree.keys().collect::<Vec<_>>(), built.keys().collect::<Vec<_>>(), "{what}, {when}");
                    for (path, bytes) in tree {
                        assert!(built[path] == *bytes, "{what}, {when} : {path} diffère d’une construction complète");
                    }
                }
            }
            Err(BuildError::Content(d)) if broken => {
                // The same errors, in the same files.
                let errors = |d: &[Diagnostic]| -> Vec<(String, String)> {
                    d.iter().filter(|d| d.is_error()).map(|d| (d.code.to_string(), d.file.clone())).collect()
                };
                assert_eq!(errors(&session.errors()), errors(&d), "{what}");
            }
            other => panic!("{what} : le serveur ({broken}) et la construction ({:?}) divergent", other.err()),
        }
    }
}

/// Every file of the full build of the region at `root`, built apart.
fn full_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let full = tempfile::tempdir().unwrap();
    let out = full.path().join("public");
    built(root, &out);
    output_files(&out)
}

#[test]
fn a_session_made_ahead_follows_the_saves_as_one_made_by_them() {
    let (region, _out, opts, mut session) = region_session();
    let root = region.path();
    // A save in the south after the build and before its session is made: the session reads
    // it, the portal has not yet.
    let member = "sud/content/membres/ines-sudre.yaml";
    write(root, member, &replace_once(SOUTH_MEMBER, "prenom: Inès", "prenom: Inès-Marie"));
    let warming = session.warm().unwrap();
    assert_eq!(warming.dossier(), "sud", "la CPTS modifiée en dernier");
    assert!(session.adopt(warming));
    assert_eq!(session.sessions(), 1);
    let south_pages =
        output_files(&opts.output).keys().filter(|p| p.starts_with("sud/") && p.ends_with(".html")).count();
    let saves = [
        // The save the session already read, then one it has not.
        (member, "prenom: Inès-Marie", "prenom: Inès-Marie"),
        (member, "1 avenue de la Gare", "3 avenue de la Gare"),
        ("nord/content/membres/claire-exemple.yaml", "04 94 00 00 01", "04 94 00 00 09"),
    ];
    for (i, (rel, from, to)) in saves.into_iter().enumerate() {
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        write(root, rel, &replace_once(&text, from, to));
        let update = session.follow(&[root.join(rel)]).unwrap();
        assert!(session.errors().is_empty(), "{:#?}", session.errors());
        assert_same_tree(&output_files(&opts.output), &full_build(root), &format!("enregistrement {i} ({rel})"));
        if i == 1 {
            assert!(
                update.rendered < south_pages,
                "{} pages sur {south_pages} : la session n’était pas prête",
                update.rendered
            );
        }
    }
}

#[test]
fn an_error_in_one_cpts_writes_nothing_of_any() {
    let region = region();
    let r = region.path();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let good = SOUTH_MEMBER.to_string();
    let bad = format!("{SOUTH_MEMBER}couleur: bleu\n");
    // A first build: the north is fine, the south (built after it) is not; no folder at all.
    write(r, "sud/content/membres/ines-sudre.yaml", &bad);
    match build_region(&common::opts(r, &target)) {
        Err(BuildError::Content(d)) => {
            find(&d, "M013", "sud/content/membres/ines-sudre.yaml");
        }
        other => panic!("{other:?}"),
    }
    assert!(!target.exists(), "{:?}", read_tree(out.path()).keys().collect::<Vec<_>>());
    // Built once, then a change in the north and an error in the south: the previous output
    // stays as it was, whole, with nothing left beside it.
    write(r, "sud/content/membres/ines-sudre.yaml", &good);
    built(r, &target);
    let before = read_tree(out.path());
    write(
        r,
        "nord/content/membres/claire-exemple.yaml",
        &replace_once(common::MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 07"),
    );
    write(r, "sud/content/membres/ines-sudre.yaml", &bad);
    assert!(matches!(build_region(&common::opts(r, &target)), Err(BuildError::Content(_))));
    assert_same_tree(&before, &read_tree(out.path()), "après une erreur dans une CPTS");
    // An error in each CPTS, which are built side by side: the same build reports both.
    write(r, "nord/content/membres/claire-exemple.yaml", &format!("{}couleur: rouge\n", common::MEMBER_YAML));
    match build_region(&common::opts(r, &target)) {
        Err(BuildError::Content(d)) => {
            find(&d, "M013", "nord/content/membres/claire-exemple.yaml");
            find(&d, "M013", "sud/content/membres/ines-sudre.yaml");
        }
        other => panic!("{other:?}"),
    }
    assert_same_tree(&before, &read_tree(out.path()), "après une erreur dans chaque CPTS");
}

#[test]
fn commands_for_one_site_name_the_cpts_folders_on_a_region() {
    let region = region();
    let r = region.path();
    write(r, "import.csv", "nom;prenom\nExemple;Claire\n");
    for args in [
        vec!["import", "csv", "import.csv"],
        vec!["new", "member", "Claire Exemple"],
        vec!["publier", "--destination", "/tmp/ailleurs"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_maillage"))
            .args(&args)
            .arg("--root")
            .arg(r)
            .current_dir(r)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?} : {said}");
        assert!(
            said.contains("region.yaml") && said.contains("«\u{a0}nord\u{a0}», «\u{a0}sud\u{a0}»"),
            "{args:?} : {said}"
        );
        assert!(said.contains(&format!("--root {}", r.join("nord").display())), "{args:?} : {said}");
    }
    // Nothing was written in the region.
    assert!(!r.join("content").exists());
}

/// A region keeps one locked file per CPTS open until every site is built: with more CPTS than
/// the soft limit of open files (macOS's default is 256), the build must still succeed, the
/// program raising its limit to the hard one.
#[cfg(unix)]
#[test]
fn a_region_of_more_cpts_than_the_soft_limit_of_open_files_builds() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let mut yaml = String::from("nom: CPTS du Centre-Var\nurl: https://portail.cpts-test.fr\ncpts:\n");
    for i in 0..12 {
        let folder = format!("cpts-{i:02}");
        yaml.push_str(&format!("  - dossier: {folder}\n"));
        let commune = if i % 2 == 0 { "83073" } else { "83148" };
        write(r, &format!("{folder}/content/cpts.yaml"), &cpts_yaml(&format!("n° {i}"), commune));
        write(r, &format!("{folder}/content/contacts.yaml"), CONTACTS_YAML);
    }
    write(r, "region.yaml", &yaml);
    let out = r.join("public");
    let bin = env!("CARGO_BIN_EXE_maillage");
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -Sn 12 && exec \"$0\" build --root \"$1\" --output \"$2\"")
        .arg(bin)
        .arg(r)
        .arg(&out)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{said}");
    for i in [0, 11] {
        assert!(out.join(format!("cpts-{i:02}/index.html")).is_file(), "cpts-{i:02} : {said}");
    }
}
