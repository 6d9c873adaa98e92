//! Recruiting: offers archived by date (and out of the feed and sitemap), static filter pages,
//! JSON-LD job postings, the demography of `/s-installer/`, `/stages/`, and `maillage new`.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};

/// An offer of the minimal site. `communes` are INSEE codes (83073 Le Luc, 83148 Vidauban).
fn offer(title: &str, kind: &str, profession: &str, communes: &[&str], until: &str) -> String {
    let communes: String = communes.iter().map(|c| format!("  - \"{c}\"\n")).collect();
    format!(
        "---\ntitre: {title}\ntype: {kind}\nresume: Résumé de « {title} ».\nprofession: {profession}\n\
         communes:\n{communes}date_publication: 2026-10-01\nvalide_jusqu_au: {until}\n\
         contact:\n  courriel: recrutement@cpts-test.fr\n---\n\nCorps de l’offre.\n"
    )
}

/// The minimal site with four offers: two open internships, an open installation, and a
/// locum that closed the day before [`TODAY`]; plus one that closes on [`TODAY`] itself.
fn offers_site() -> tempfile::TempDir {
    let files = [
        (
            "content/offres/stage-luc.md",
            offer("Stage au Luc", "stage", "medecin-generaliste", &["83073"], "2027-01-31"),
        ),
        ("content/offres/stage-ifsi.md", offer("Stage IFSI", "stage", "infirmier", &["83073", "83148"], "2026-12-31")),
        (
            "content/offres/installation-vidauban.md",
            offer("Installation à Vidauban", "installation", "medecin-generaliste", &["83148"], "2027-06-30"),
        ),
        (
            "content/offres/remplacement-hier.md",
            offer("Remplacement fini", "remplacement", "masseur-kinesitherapeute", &["83148"], "2026-11-21"),
        ),
        (
            "content/offres/salariat-aujourdhui.md",
            offer("Poste jusqu’à ce soir", "salariat", "infirmier", &["83148"], "2026-11-22"),
        ),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    site(&refs)
}

/// An HTML page of the output, with MiniJinja's character references decoded.
fn html(dir: &Path, rel: &str) -> String {
    decode_entities(&read(dir, rel))
}

fn sitemap_locs(dir: &Path) -> Vec<String> {
    let xml = read(dir, "sitemap.xml");
    xml.split("<loc>").skip(1).filter_map(|s| s.split("</loc>").next()).map(str::to_string).collect()
}

fn feed_ids(dir: &Path) -> Vec<String> {
    let xml = read(dir, "offres/atom.xml");
    xml.split("<entry>")
        .skip(1)
        .filter_map(|e| e.split("<id>").nth(1)?.split("</id>").next())
        .map(str::to_string)
        .collect()
}

fn offer_url(slug: &str) -> String {
    format!("{SITE_URL}/offres/{slug}/")
}

#[test]
fn expired_offers_are_archived_and_leave_the_feed_and_sitemap() {
    let dir = offers_site();
    build(dir.path());
    let out = public(dir.path());
    let locs = sitemap_locs(&out);
    let ids = feed_ids(&out);
    for open in ["stage-luc", "stage-ifsi", "installation-vidauban", "salariat-aujourdhui"] {
        assert!(locs.contains(&offer_url(open)), "{open} manque au plan du site");
        assert!(ids.contains(&offer_url(open)), "{open} manque au flux");
    }
    assert!(!locs.contains(&offer_url("remplacement-hier")), "offre expirée dans sitemap.xml");
    assert!(!ids.contains(&offer_url("remplacement-hier")), "offre expirée dans le flux");
    assert!(!locs.iter().any(|l| l.ends_with("atom.xml")), "le flux n’est pas une page");
    // Still reachable from the archive page, marked as closed and not indexed.
    let archived = html(&out, "offres/remplacement-hier/index.html");
    assert!(archived.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(archived.contains("n’est plus ouverte"));
    assert!(!archived.contains("\"JobPosting\""), "une offre archivée n’est plus une offre d’emploi");
    assert!(html(&out, "offres/archives/index.html").contains("/offres/remplacement-hier/"));
    assert!(!html(&out, "offres/index.html").contains("/offres/remplacement-hier/"));

    // A week later, the two offers closing in 2026 are archived too.
    build_at(dir.path(), jiff::civil::date(2027, 1, 5));
    let locs = sitemap_locs(&out);
    let ids = feed_ids(&out);
    for gone in ["stage-ifsi", "salariat-aujourdhui", "remplacement-hier"] {
        assert!(!locs.contains(&offer_url(gone)) && !ids.contains(&offer_url(gone)), "{gone} devrait être archivée");
    }
    assert_eq!(ids, vec![offer_url("installation-vidauban"), offer_url("stage-luc")]);
}

#[test]
fn feed_is_atom_and_linked_from_every_page() {
    let dir = offers_site();
    build(dir.path());
    let out = public(dir.path());
    let xml = read(&out, "offres/atom.xml");
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(
        xml.contains(&format!(
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"{SITE_URL}/offres/atom.xml\"/>"
        ))
    );
    assert!(xml.contains("<updated>2026-10-01T00:00:00+02:00</updated>"));
    assert_eq!(xml.matches("<published>").count(), 4);
    let tree = read_tree(&out);
    for page in html_files(&tree) {
        let html = html(&out, &page);
        assert!(
            html.contains("<link rel=\"alternate\" type=\"application/atom+xml\"")
                && html.contains("href=\"/offres/atom.xml\""),
            "{page} n’annonce pas le flux des offres"
        );
    }
}

/// The offer slugs a listing page links to, in order.
fn listed(dir: &Path, page: &str) -> Vec<String> {
    let html = html(dir, page);
    let Some(list) = html.split("id=\"liste-offres\"").nth(1) else { return vec![] };
    let list = list.split("</ul>").next().unwrap_or("");
    let mut slugs: Vec<String> =
        list.split("href=\"/offres/").skip(1).filter_map(|s| s.split('/').next()).map(str::to_string).collect();
    slugs.sort();
    slugs
}

#[test]
fn static_filter_pages_list_the_matching_open_offers() {
    let dir = offers_site();
    build(dir.path());
    let out = public(dir.path());
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        listed(&out, "offres/index.html"),
        s(&["installation-vidauban", "salariat-aujourdhui", "stage-ifsi", "stage-luc"])
    );
    assert_eq!(listed(&out, "offres/type/stage/index.html"), s(&["stage-ifsi", "stage-luc"]));
    assert_eq!(listed(&out, "offres/type/installation/index.html"), s(&["installation-vidauban"]));
    assert_eq!(listed(&out, "offres/type/salariat/index.html"), s(&["salariat-aujourdhui"]));
    assert_eq!(listed(&out, "offres/profession/infirmier/index.html"), s(&["salariat-aujourdhui", "stage-ifsi"]));
    assert_eq!(
        listed(&out, "offres/profession/medecin-generaliste/index.html"),
        s(&["installation-vidauban", "stage-luc"])
    );
    assert_eq!(listed(&out, "offres/commune/le-luc/index.html"), s(&["stage-ifsi", "stage-luc"]));
    assert_eq!(
        listed(&out, "offres/commune/vidauban/index.html"),
        s(&["installation-vidauban", "salariat-aujourdhui", "stage-ifsi"])
    );
    // Only the expired offer was a locum or for a physiotherapist: no empty filter page.
    assert!(!out.join("offres/type/remplacement").exists());
    assert!(!out.join("offres/profession/masseur-kinesitherapeute").exists());
    // The pages link to each other, with the current one marked, and say how many they show.
    let stage = html(&out, "offres/type/stage/index.html");
    assert!(stage.contains("href=\"/offres/type/stage/\" aria-current=\"page\""));
    assert!(stage.contains("href=\"/offres/commune/vidauban/\""));
    assert!(stage.contains("href=\"/offres/profession/infirmier/\""));
    assert!(stage.contains("2 offres ouvertes"));
    // The instant filter is an enhancement: hidden without JavaScript, script deferred, only on /offres/.
    let index = html(&out, "offres/index.html");
    assert!(index.contains("<form id=\"filtre-offres\" class=\"filter-form\" hidden>"));
    assert!(index.contains("<script src=\"/offres.js\" defer></script>"));
    assert!(index.contains("aria-live=\"polite\""));
    assert!(!stage.contains("offres.js"));
    assert!(out.join("offres.js").exists());
}

fn job_postings(html: &str) -> Vec<serde_json::Value> {
    jsonld_objects(html).into_iter().filter(|v| v["@type"] == "JobPosting").collect()
}

fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    if let Err(e) = maillage::build(&opts(&example_root(), &out)) {
        panic!("l’exemple ne se construit pas : {e:?}");
    }
    (tmp, out)
}

#[test]
fn job_postings_only_on_open_job_offers_with_every_required_property() {
    let (_tmp, out) = build_example();
    let mut seen = 0;
    for entry in fs::read_dir(example_root().join("content/offres")).unwrap() {
        let path = entry.unwrap().path();
        let slug = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&path).unwrap();
        let field = |k: &str| {
            text.lines().find_map(|l| l.strip_prefix(&format!("{k}: ")).map(|v| v.trim().trim_matches('"').to_string()))
        };
        let kind = field("type").unwrap();
        let until: jiff::civil::Date = field("valide_jusqu_au").unwrap().parse().unwrap();
        let html = html(&out, &format!("offres/{slug}/index.html"));
        let postings = job_postings(&html);
        if kind == "installation" || until < TODAY {
            assert!(postings.is_empty(), "{slug} ({kind}) ne doit pas être une offre d’emploi");
            continue;
        }
        assert_eq!(postings.len(), 1, "{slug} : une JobPosting attendue");
        let p = &postings[0];
        seen += 1;
        assert_eq!(p["@context"], "https://schema.org");
        assert_eq!(p["title"].as_str().unwrap(), field("titre").unwrap());
        assert!(p["description"].as_str().unwrap().len() > 50);
        assert_eq!(p["datePosted"].as_str().unwrap(), field("date_publication").unwrap());
        assert!(p["validThrough"].as_str().unwrap().starts_with(&format!("{until}T23:59:59+0")));
        let expected: &[&str] = match kind.as_str() {
            "stage" => &["INTERN"],
            "remplacement" => &["TEMPORARY", "CONTRACTOR"],
            "salariat" => &["FULL_TIME"],
            _ => &["CONTRACTOR"],
        };
        assert_eq!(p["employmentType"], serde_json::json!(expected), "{slug}");
        assert!(!p["hiringOrganization"]["name"].as_str().unwrap().is_empty());
        let places = p["jobLocation"].as_array().unwrap();
        assert!(!places.is_empty());
        for place in places {
            let a = &place["address"];
            assert_eq!(a["@type"], "PostalAddress");
            assert_eq!(a["addressCountry"], "FR");
            assert!(!a["addressLocality"].as_str().unwrap().is_empty());
            assert_eq!(a["postalCode"].as_str().unwrap().len(), 5);
        }
    }
    assert!(seen >= 5, "l’exemple doit contenir des offres d’emploi ouvertes ({seen})");
}

/// `key: value` lines of a YAML text, at any indentation.
fn values<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    let prefix = format!("{key}:");
    text.lines().filter_map(|l| l.trim_start().strip_prefix(&prefix)).map(|v| v.trim().trim_matches('"')).collect()
}

#[test]
fn example_densities_are_computed_from_the_directory() {
    // Counted here from the files, independently of the code under test.
    // The example names its communes by code or name: their populations are read from the
    // official table's file.
    let cpts = fs::read_to_string(example_root().join("content/cpts.yaml")).unwrap();
    let communes = cpts.split("\n  communes:\n").nth(1).unwrap().split("\n\n").next().unwrap();
    let table = fs::read_to_string(example_root().join("data/communes.tsv")).unwrap();
    let strip = |v: &str| v.split('#').next().unwrap().trim().trim_matches('"').to_string();
    let codes: Vec<String> = values(communes, "- insee").iter().map(|v| strip(v)).collect();
    let names: Vec<String> = values(communes, "- nom").iter().map(|v| strip(v)).collect();
    let population: u64 = table
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f.len() == 7 && f[2] == "COM" && f[0].starts_with("83"))
        .filter(|f| codes.iter().any(|c| c == f[0]) || names.iter().any(|n| n == f[1]))
        .map(|f| f[4].parse::<u64>().unwrap())
        .sum();
    assert_eq!(codes.len() + names.len(), 13);
    assert_eq!(population, 73_427);
    let mut by_profession: std::collections::BTreeMap<String, (usize, usize, usize)> = Default::default();
    for entry in fs::read_dir(example_root().join("content/membres")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        if values(&text, "publie") != ["true"] {
            continue;
        }
        let Some(p) = values(&text, "profession").first().map(|s| s.to_string()) else { continue };
        let e = by_profession.entry(p).or_default();
        e.0 += 1;
        if let Some(y) = values(&text, "annee_naissance").first() {
            e.1 += 1;
            if 2026 - y.parse::<i32>().unwrap() >= 60 {
                e.2 += 1;
            }
        }
    }
    let (_tmp, out) = build_example();
    let html = html(&out, "s-installer/index.html");
    let row = |key: &str| {
        let start = html.find(&format!("<tr id=\"densite-{key}\">")).unwrap_or_else(|| panic!("ligne {key} absente"));
        let end = start + html[start..].find("</tr>").unwrap();
        let cells: Vec<String> = html[start..end]
            .split("<td class=\"num\">")
            .skip(1)
            .map(|c| c.split("</td>").next().unwrap().to_string())
            .collect();
        cells
    };
    for (key, (count, known, over)) in &by_profession {
        let density = format!("{:.1}", *count as f64 / population as f64 * 10_000.0).replace('.', ",");
        let cells = row(key);
        assert_eq!(cells[0], count.to_string(), "{key}");
        assert_eq!(cells[1], density, "{key}");
        if *known > 0 {
            assert!(cells[4].starts_with(&format!("{over} sur {known}")), "{key} : {}", cells[4]);
        }
    }
    // Checked by hand: 22 published GPs (one of the 23 files is unpublished) out of 73 427
    // inhabitants = 2,996 per 10 000; 23 published nurses = 3,132; the national references
    // come from cpts.yaml; 8 GPs were born in 1966 or before.
    assert_eq!(row("medecin-generaliste"), ["22", "3,0", "8,4", "−64\u{a0}%", "8 sur 22 (36\u{a0}%)"]);
    assert_eq!(row("infirmier")[..4], ["23", "3,1", "14,3", "−78\u{a0}%"]);
    // The chart draws the same figures, labelled and accessible.
    assert!(html.contains("<svg class=\"chart\" role=\"img\" aria-labelledby=\"densites-titre densites-desc\""));
    assert!(html.contains("Médecins généralistes : 3,0 sur le territoire, 8,4 en France."));
    // Zoning of each commune, derived from cpts.yaml.
    assert!(html.contains("<abbr title=\"zone d’intervention prioritaire (ZIP)\">ZIP</abbr>"));
    // In the main navigation.
    assert!(html.contains("href=\"/s-installer/\" aria-current=\"page\""));
}

#[test]
fn internships_page_lists_supervisors_by_profession_and_open_internships() {
    let supervisor = replace_once(MEMBER_YAML, "publie: true", "maitre_de_stage: true\npublie: true");
    let mut files = vec![(MEMBER_PATH.to_string(), supervisor)];
    files.push((
        "content/offres/stage-luc.md".into(),
        offer("Stage au Luc", "stage", "medecin-generaliste", &["83073"], "2027-01-31"),
    ));
    files.push((
        "content/offres/installation.md".into(),
        offer("Installation", "installation", "medecin-generaliste", &["83073"], "2027-01-31"),
    ));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&refs);
    build(dir.path());
    let html = html(&public(dir.path()), "stages/index.html");
    assert!(html.contains("id=\"mds-medecin-generaliste\""));
    assert!(html.contains("/annuaire/claire-exemple/"));
    assert!(html.contains("/offres/stage-luc/"));
    assert!(!html.contains("/offres/installation/"));
    assert!(html.contains("1 maître de stage vous"));
}

#[test]
fn new_files_pass_the_check_and_are_never_overwritten() {
    let dir = site(&[]);
    let kinds = [
        (maillage::new::Kind::Offer, "Stage d’interne : été 2027", "content/offres/stage-d-interne-ete-2027.md"),
        (maillage::new::Kind::Member, "Jeanne Dupont-Martin", "content/membres/jeanne-dupont-martin.yaml"),
        (maillage::new::Kind::Action, "Octobre rose", "content/actions/octobre-rose.md"),
        (maillage::new::Kind::Page, "Nous rejoindre", "content/pages/nous-rejoindre.md"),
    ];
    for (kind, title, rel) in kinds {
        let path = maillage::new::create(dir.path(), kind, title, TODAY).unwrap();
        assert_eq!(path, dir.path().join(rel));
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("# "), "{rel} : pas de commentaires");
        // Drafts are checked too.
        let mut o = opts(dir.path(), &dir.path().join("public"));
        o.drafts = true;
        let diagnostics = maillage::check_site(&o);
        assert!(!diagnostics.iter().any(|d| d.is_error()), "{rel} :\n{diagnostics:#?}");
        // A second time: refused, and the file is untouched.
        fs::write(&path, "modifié à la main").unwrap();
        assert!(matches!(
            maillage::new::create(dir.path(), kind, title, TODAY),
            Err(maillage::new::NewError::Exists(_))
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), "modifié à la main");
        fs::write(&path, text).unwrap();
    }
    // The offer, once out of draft, is published with the site's commune and contact.
    let offer_path = dir.path().join("content/offres/stage-d-interne-ete-2027.md");
    let text = fs::read_to_string(&offer_path).unwrap();
    fs::write(&offer_path, replace_once(&text, "brouillon: true", "brouillon: false")).unwrap();
    build(dir.path());
    let html = html(&public(dir.path()), "offres/stage-d-interne-ete-2027/index.html");
    assert!(html.contains("Stage d’interne"));
    assert!(html.contains("contact@cpts-test.fr"));
    assert!(matches!(
        maillage::new::create(dir.path(), maillage::new::Kind::Page, "« ? »", TODAY),
        Err(maillage::new::NewError::EmptySlug(_))
    ));
}

#[test]
fn recruiting_data_is_checked() {
    let cpts = format!(
        "{CPTS_YAML}installation:\n  densites_reference:\n    source: DREES, 2023\n    valeurs:\n      medecin-generalist: 8.4\n      infirmier: -1\n"
    );
    let member = replace_once(MEMBER_YAML, "publie: true", "annee_naissance: 1850\npublie: true");
    let mut stage = offer("Stage", "stage", "medecin-generaliste", &["83073"], "2027-01-31");
    stage = replace_once(&stage, "contact:", "maitre_de_stage: claire-exemple\ncontact:");
    let dir = site(&[("content/cpts.yaml", &cpts), (MEMBER_PATH, &member), ("content/offres/stage.md", &stage)]);
    let diagnostics = maillage::check_site(&opts(dir.path(), &dir.path().join("public")));
    let codes: Vec<(&str, &str)> = diagnostics.iter().map(|d| (d.code, d.file.as_str())).collect();
    assert!(codes.contains(&("M200", "content/cpts.yaml")), "{diagnostics:#?}");
    assert!(codes.contains(&("M201", "content/cpts.yaml")), "{diagnostics:#?}");
    assert!(codes.contains(&("M202", MEMBER_PATH)), "{diagnostics:#?}");
    assert!(codes.contains(&("M203", "content/offres/stage.md")), "{diagnostics:#?}");
    let m200 = diagnostics.iter().find(|d| d.code == "M200").unwrap();
    assert!(m200.hint.as_deref().unwrap_or("").contains("medecin-generaliste"));
}

/// Past 24 communes with open offers, a filter page of `/offres/` links to the list of communes
/// of `/offres/` instead of repeating it: thousands of commune filter pages must not each carry
/// thousands of links.
#[test]
fn filter_pages_of_a_large_territory_link_to_the_commune_list() {
    for extra in [22, 23] {
        // Le Luc and Vidauban have offers, plus `extra` communes with one offer each.
        let communes: String = (0..extra)
            .map(|i| {
                format!(
                    "    - insee: \"83{:03}\"\n      nom: Commune {i}\n      codes_postaux: [\"83{:03}\"]\n      \
                     population: 1000\n      centre: [43.{:02}, 6.3]\n",
                    200 + i,
                    600 + i,
                    10 + i
                )
            })
            .collect();
        let cpts = replace_once(CPTS_YAML, "  communes:\n", &format!("  communes:\n{communes}"));
        let mut files = vec![
            ("content/cpts.yaml".to_string(), cpts),
            (
                "content/offres/stage-luc.md".into(),
                offer("Stage au Luc", "stage", "infirmier", &["83073"], "2027-01-31"),
            ),
            (
                "content/offres/stage-vid.md".into(),
                offer("Stage à Vidauban", "stage", "infirmier", &["83148"], "2027-01-31"),
            ),
        ];
        for i in 0..extra {
            let insee = format!("83{:03}", 200 + i);
            files.push((
                format!("content/offres/poste-{i}.md"),
                offer(&format!("Poste {i}"), "salariat", "infirmier", &[insee.as_str()], "2027-01-31"),
            ));
        }
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let dir = site(&refs);
        build(dir.path());
        let out = public(dir.path());
        let with_offers = extra + 2;
        let all = html(&out, "offres/index.html");
        assert_eq!(all.matches(r#"<a href="/offres/commune/"#).count(), with_offers, "/offres/ les liste toutes");
        let filter = html(&out, "offres/commune/le-luc/index.html");
        let commune_links = filter.matches(r#"<a href="/offres/commune/"#).count();
        if with_offers <= 24 {
            assert_eq!(commune_links, with_offers);
        } else {
            assert_eq!(commune_links, 0);
            assert!(filter.contains(&format!(
                r#"<a href="/offres/#par-commune">Choisir parmi les {with_offers} communes qui ont des offres</a>"#
            )));
            assert!(all.contains(r#"<h3 id="par-commune">"#));
            // The other families are still listed in full.
            assert!(filter.contains(r#"<a href="/offres/type/salariat/""#), "{filter}");
        }
    }
}

/// The titles of the offer cards of a page, in page order.
fn offer_titles(html: &str, section: &str) -> Vec<String> {
    let start = html.find(section).unwrap_or_else(|| panic!("{section} absent"));
    let end = start + html[start..].find("</section>").unwrap();
    html[start..end]
        .split("<h3 class=\"card-title\"><a href=\"")
        .skip(1)
        .filter_map(|s| s.split_once("\">")?.1.split("</a>").next().map(str::to_string))
        .collect()
}

#[test]
fn offers_are_listed_by_priority_then_newest() {
    let with = |title: &str, kind: &str, extra: &str, date: &str| {
        replace_once(
            &offer(title, kind, "medecin-generaliste", &["83073"], "2027-06-30"),
            "date_publication: 2026-10-01\n",
            &format!("date_publication: {date}\n{extra}"),
        )
    };
    let files = [
        ("content/offres/ancienne.md", with("Ancienne", "remplacement", "", "2026-09-01")),
        ("content/offres/recente.md", with("Récente", "collaboration", "", "2026-11-01")),
        ("content/offres/seconde.md", with("Seconde", "salariat", "priorite: 2\n", "2026-08-01")),
        ("content/offres/phare.md", with("Phare", "installation", "priorite: 1\n", "2026-07-01")),
        ("content/offres/stage.md", with("Stage", "stage", "", "2026-11-10")),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let dir = site(&refs);
    build(dir.path());
    let out = public(dir.path());
    // The flagship first, then the other ranked one, then the others newest first; the
    // internship has its own page, /stages/, and /s-installer/ links to it.
    let installer = html(&out, "s-installer/index.html");
    assert_eq!(offer_titles(&installer, "<h2 id=\"offres\">"), ["Phare", "Seconde", "Récente", "Ancienne"]);
    assert!(installer.contains("1 stage ouvert et l’accueil des étudiants"), "{installer}");
    let offers = html(&out, "offres/index.html");
    let all = offer_titles(&offers, "<h2 id=\"titre-liste\">");
    assert_eq!(all, ["Phare", "Seconde", "Stage", "Récente", "Ancienne"], "{offers}");
}

/// `installation:` of the fixture: a contact person, an aid with its ceiling and one without a
/// known amount, a consented testimony with a photo and one without consent.
const INSTALLATION_YAML: &str = r#"installation:
  contact:
    nom: Sophie Roux
    fonction: coordinatrice
    telephone: "04 94 00 00 05"
    courriel: installation@cpts-test.fr
  aides:
    - titre: Contrat d’aide à l’installation
      montant: 50000
      jusqu_a: true
    - titre: Cabinet prêté par la commune
  temoignages:
    - nom: Maëlle
      civilite: Mme
      profession: medecin-generaliste
      commune: "83148"
      annee_installation: 2019
      texte: Je suis venue pour trois mois et je suis restée.
      photo:
        src: images/maelle.png
        alt: Maëlle dans son cabinet
      consentement: true
    - nom: Lucas
      profession: medecin-generaliste
      commune: "83073"
      annee_installation: 2022
      texte: Un témoignage dont l’accord n’est pas encore arrivé.
      photo:
        src: images/lucas.png
        alt: Lucas devant la maison de santé
"#;

#[test]
fn testimonies_are_published_with_consent_only() {
    let cpts = format!("{CPTS_YAML}{INSTALLATION_YAML}");
    let offer = offer("Installation au Luc", "installation", "medecin-generaliste", &["83073"], "2027-06-30");
    let dir = site(&[("content/cpts.yaml", &cpts), ("content/offres/installation.md", &offer)]);
    // Both photos are a PNG of the example.
    for name in ["maelle", "lucas"] {
        let path = dir.path().join(format!("content/static/images/{name}.png"));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::copy(example_root().join("content/static/images/temoignage-maelle.png"), &path).unwrap();
    }
    let diagnostics = maillage::check_site(&opts(dir.path(), &dir.path().join("public")));
    let unconsented: Vec<_> = diagnostics.iter().filter(|d| d.code == "M205").collect();
    assert_eq!(unconsented.len(), 1, "{diagnostics:#?}");
    let d = unconsented[0];
    assert!(!d.is_error(), "un témoignage non consenti n’arrête pas la construction");
    let line = cpts.lines().position(|l| l == "    - nom: Lucas").unwrap() as u32 + 1;
    assert_eq!((d.file.as_str(), d.line, d.column), ("content/cpts.yaml", line, 12), "{d:#?}");
    assert!(d.message.contains("Lucas") && d.hint.as_deref().unwrap_or("").contains("consentement: true"));

    build(dir.path());
    let out = public(dir.path());
    let installer = html(&out, "s-installer/index.html");
    // The contact person before anything else of the page.
    let contact = installer.find("Sophie Roux").unwrap();
    assert!(contact < installer.find("<h2").unwrap());
    assert!(installer[contact..].contains("href=\"tel:+33494000005\""));
    // The consented testimony, with its photo through the image pipeline (WebP variants).
    assert!(installer.contains("<strong>Maëlle</strong>, médecin généraliste à Vidauban depuis 2019"), "{installer}");
    assert!(installer.contains("alt=\"Maëlle dans son cabinet\""));
    assert!(installer.contains("type=\"image/webp\" srcset=\"/images/maelle-"), "{installer}");
    // The other one: nothing of it anywhere, not even its photo.
    let tree = read_tree(&out);
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("Lucas") && !text.contains("pas encore arrivé"),
            "{path} publie le témoignage sans accord"
        );
        assert!(!path.contains("lucas"), "{path} : photo d’un témoignage sans accord publiée");
    }
    // Aids: the ceiling with French spacing; an unknown amount stays unknown.
    assert!(installer.contains("<p class=\"aid-amount\">jusqu’à 50\u{202f}000\u{202f}€</p>"), "{installer}");
    let unknown = installer.find("Cabinet prêté par la commune").unwrap();
    let card_end = unknown + installer[unknown..].find("</article>").unwrap();
    assert!(!installer[unknown..card_end].contains('€'), "{}", &installer[unknown..card_end]);
    // An offer of the same profession shows the testimony.
    let page = html(&out, "offres/installation/index.html");
    assert!(page.contains("<strong>Maëlle</strong>"), "{page}");
}

#[test]
fn installation_and_offer_keys_are_checked_with_their_places() {
    let cpts = format!("{CPTS_YAML}{INSTALLATION_YAML}")
        .replacen("montant: 50000", "montant: 0", 1)
        .replacen("annee_installation: 2019", "annee_installation: 2031", 1)
        .replacen("        alt: Maëlle dans son cabinet\n", "", 1)
        .replacen(
            "        alt: Lucas devant la maison de santé\n",
            "        alt: Lucas\n      consentement: false\n",
            1,
        );
    let ranked = replace_once(
        &offer("Poste", "salariat", "infirmier", &["83073"], "2027-06-30"),
        "contact:",
        "priorite: 0\nsalaire:\n  minimum: 3400\n  maximum: 2900\n  periode: mensuel\ncontact:",
    );
    let both = replace_once(
        &offer("Autre poste", "salariat", "infirmier", &["83073"], "2027-06-30"),
        "contact:",
        "salaire:\n  montant: 3000\n  minimum: 2900\n  periode: mois\ncontact:",
    );
    let dir =
        site(&[("content/cpts.yaml", &cpts), ("content/offres/poste.md", &ranked), ("content/offres/autre.md", &both)]);
    let diagnostics = maillage::check_site(&opts(dir.path(), &dir.path().join("public")));
    let at = |code: &str, file: &str| -> Vec<(u32, u32)> {
        diagnostics.iter().filter(|d| d.code == code && d.file == file).map(|d| (d.line, d.column)).collect()
    };
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u32 + 1;
    let cpts_file = "content/cpts.yaml";
    assert_eq!(at("M204", "content/offres/poste.md"), [(line_of(&ranked, "priorite"), 11)], "{diagnostics:#?}");
    assert_eq!(at("M206", "content/offres/poste.md"), [(line_of(&ranked, "minimum"), 12)], "{diagnostics:#?}");
    assert_eq!(at("M052", "content/offres/poste.md"), [(line_of(&ranked, "periode"), 12)], "{diagnostics:#?}");
    assert_eq!(at("M206", "content/offres/autre.md"), [(line_of(&both, "montant"), 12)], "{diagnostics:#?}");
    assert_eq!(at("M208", cpts_file), [(line_of(&cpts, "montant: 0"), 16)], "{diagnostics:#?}");
    assert_eq!(at("M207", cpts_file), [(line_of(&cpts, "annee_installation: 2031"), 27)], "{diagnostics:#?}");
    assert_eq!(at("M044", cpts_file), [(line_of(&cpts, "src: images/maelle.png"), 14)], "{diagnostics:#?}");
    // Consent refused: the place of « consentement: false ».
    assert_eq!(at("M205", cpts_file), [(line_of(&cpts, "consentement: false"), 21)], "{diagnostics:#?}");
    for d in diagnostics.iter().filter(|d| d.code.starts_with("M20")) {
        assert!(d.hint.as_deref().is_some_and(|h| !h.is_empty()), "{d:#?}");
    }
    // A priority that is not a whole number is the decoder's error, with its place.
    let text = replace_once(&ranked, "priorite: 0", "priorite: premier");
    let dir = site(&[("content/offres/poste.md", &text)]);
    let diagnostics = maillage::check_site(&opts(dir.path(), &dir.path().join("public")));
    let decode = diagnostics.iter().find(|d| d.file == "content/offres/poste.md" && d.is_error()).unwrap();
    assert_eq!(decode.line, line_of(&text, "priorite"), "{decode:#?}");
}

#[test]
fn a_stated_salary_is_shown_and_becomes_base_salary() {
    let msp = "raison_sociale: Maison de santé du Luc\nstructure: msp\nlieux:\n  - adresse: 3 rue Haute\n    \
               code_postal: \"83340\"\n    commune: \"83073\"\n    telephone: \"04 94 00 00 09\"\npublie: true\n";
    let post = replace_once(
        &offer("Infirmière coordinatrice", "salariat", "infirmier", &["83073"], "2027-06-30"),
        "contact:\n  courriel: recrutement@cpts-test.fr",
        "salaire:\n  minimum: 2600\n  maximum: 3100\n  periode: mois\ncontact:\n  membre: msp-du-luc",
    );
    let hourly = replace_once(
        &offer("Remplacement", "remplacement", "infirmier", &["83073"], "2027-06-30"),
        "contact:",
        "salaire:\n  montant: 28\n  periode: heure\ncontact:",
    );
    let dir = site(&[
        ("content/membres/msp-du-luc.yaml", msp),
        ("content/offres/poste.md", &post),
        ("content/offres/remplacement.md", &hourly),
    ]);
    build(dir.path());
    let out = public(dir.path());
    let page = html(&out, "offres/poste/index.html");
    assert!(
        page.contains("<dt>Salaire</dt><dd>de 2\u{202f}600\u{202f}€ à 3\u{202f}100\u{202f}€ brut par mois</dd>"),
        "{page}"
    );
    let posting = &job_postings(&page)[0];
    assert_eq!(
        posting["baseSalary"],
        serde_json::json!({
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": { "@type": "QuantitativeValue", "minValue": 2600, "maxValue": 3100, "unitText": "MONTH" },
        })
    );
    // The MSP that hires is typed as a clinic.
    assert_eq!(posting["hiringOrganization"]["@type"], "MedicalClinic");
    assert_eq!(posting["hiringOrganization"]["name"], "Maison de santé du Luc");
    let locum = &job_postings(&html(&out, "offres/remplacement/index.html"))[0];
    assert_eq!(locum["baseSalary"]["value"]["value"], 28);
    assert_eq!(locum["baseSalary"]["value"]["unitText"], "HOUR");
    // Without a stated salary, none is invented.
    let dir = offers_site();
    build(dir.path());
    let ifsi = html(&public(dir.path()), "offres/stage-ifsi/index.html");
    assert!(job_postings(&ifsi)[0].get("baseSalary").is_none());
    assert!(!ifsi.contains("<dt>Salaire</dt>"));
}
