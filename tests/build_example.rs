//! The bundled example site (`content/`) builds, and its output holds together: member pages,
//! language, internal links, sitemap, no third-party requests, nothing unpublished, and one
//! page of every kind.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn content(rel: &str) -> String {
    fs::read_to_string(root().join("content").join(rel)).unwrap_or_else(|e| panic!("lecture de content/{rel} : {e}"))
}

/// Builds the example for [`TODAY`] into a temporary folder.
fn build_example() -> (tempfile::TempDir, maillage::BuildReport) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let report = maillage::build(&opts(&root(), &out)).unwrap_or_else(|e| match e {
        maillage::BuildError::Content(d) => panic!("l’exemple ne se construit pas :\n{d:#?}"),
        e => panic!("l’exemple ne se construit pas : {e}"),
    });
    (tmp, report)
}

/// The value of the first line `key: value` at the start of a line (quotes removed).
fn yaml_value(text: &str, key: &str) -> Option<String> {
    let prefix = format!("{key}:");
    text.lines().find_map(|l| {
        let v = l.strip_prefix(&prefix)?.trim();
        let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// Whether a YAML line, comment removed, reads `key: value`.
fn has_line(text: &str, key: &str, value: &str) -> bool {
    text.lines().any(|l| {
        let l = l.split(" #").next().unwrap_or("").trim_end();
        l == format!("{key}: {value}")
    })
}

/// Members of the example: (slug, text of the file).
fn member_files() -> Vec<(String, String)> {
    let dir = root().join("content/membres");
    let mut out: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// Text for comparisons: entities decoded, typographic apostrophes and no-break spaces made
/// plain, white space collapsed.
fn plain(s: &str) -> String {
    let decoded = decode_entities(s).replace('’', "'").replace(['\u{a0}', '\u{202f}'], " ");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the first `<h1>` of a page, tags removed.
fn h1(html: &str) -> String {
    let start = html.find("<h1").expect("pas de <h1>");
    let inner_start = start + html[start..].find('>').unwrap() + 1;
    let inner_end = inner_start + html[inner_start..].find("</h1>").unwrap();
    let inner = &html[inner_start..inner_end];
    let text: String = tags(inner).iter().fold(inner.to_string(), |acc, t| acc.replace(t, ""));
    plain(&text)
}

/// The site's public address, from the `site:` block of cpts.yaml.
fn site_url() -> String {
    let cpts = content("cpts.yaml");
    let block = cpts.split("\nsite:\n").nth(1).expect("bloc site: dans cpts.yaml");
    let url = block.lines().find_map(|l| l.trim().strip_prefix("url:")).expect("site.url");
    url.trim().trim_matches('"').trim_end_matches('/').to_string()
}

#[test]
fn example_builds_one_page_per_published_member() {
    let (tmp, report) = build_example();
    let out = tmp.path().join("public");
    let tree = read_tree(&out);
    let published: BTreeSet<String> =
        member_files().into_iter().filter(|(_, text)| has_line(text, "publie", "true")).map(|(slug, _)| slug).collect();
    assert!(published.len() > 10, "l’exemple devrait compter des dizaines de membres publiés");
    let pages: BTreeSet<String> = tree
        .keys()
        .filter_map(|k| {
            let parts: Vec<&str> = k.split('/').collect();
            (parts.len() == 3 && parts[0] == "annuaire" && parts[2] == "index.html").then(|| parts[1].to_string())
        })
        .collect();
    assert_eq!(pages.len(), published.len());
    assert_eq!(pages, published);
    assert_eq!(report.pages, html_files(&tree).len());
    // Every file of the output but the marker was written by this first build.
    assert_eq!(report.stats.written, tree.len() - 1);
    assert!(tree.contains_key(maillage::output::MARKER));
}

#[test]
fn example_pages_are_in_french() {
    let (tmp, _) = build_example();
    let out = tmp.path().join("public");
    let tree = read_tree(&out);
    let html = html_files(&tree);
    assert!(html.len() > 100);
    for page in &html {
        let text = String::from_utf8(tree[page].clone()).unwrap();
        assert!(text.contains("<html lang=\"fr\">"), "{page} n’a pas <html lang=\"fr\">");
    }
}

#[test]
fn example_internal_links_resolve() {
    let (tmp, _) = build_example();
    let out = tmp.path().join("public");
    let tree = read_tree(&out);
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in html_files(&tree) {
        let text = String::from_utf8(tree[&page].clone()).unwrap();
        for link in internal_links(&text) {
            checked += 1;
            if !tree.contains_key(&link_target(&link)) {
                broken.push(format!("{page} → {link}"));
            }
        }
    }
    assert!(checked > 1000, "trop peu de liens vérifiés : {checked}");
    assert!(broken.is_empty(), "liens internes cassés :\n{}", broken.join("\n"));
}

#[test]
fn example_sitemap_lists_every_page_but_404() {
    let (tmp, _) = build_example();
    let out = tmp.path().join("public");
    let tree = read_tree(&out);
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    ));
    let base = format!("{}/", site_url());
    let locs: Vec<String> =
        sitemap.split("<loc>").skip(1).map(|s| decode_entities(&s[..s.find("</loc>").unwrap()])).collect();
    let listed: BTreeSet<String> = locs
        .iter()
        .map(|l| {
            link_target(&format!("/{}", l.strip_prefix(&base).unwrap_or_else(|| panic!("{l} n’est pas sous {base}"))))
        })
        .collect();
    assert_eq!(listed.len(), locs.len(), "adresses en double dans le sitemap");
    let mut expected = html_files(&tree);
    assert!(expected.remove("404.html"));
    // Archived offers stay reachable from the archive page but are not indexed.
    let noindex = "<meta name=\"robots\" content=\"noindex\">";
    expected.retain(|p| !String::from_utf8_lossy(&tree[p]).contains(noindex));
    assert_eq!(listed, expected);
}

#[test]
fn example_makes_no_third_party_request() {
    let (tmp, _) = build_example();
    let out = tmp.path().join("public");
    let tree = read_tree(&out);
    let own = host_of(&site_url()).unwrap();
    let mut offenders = Vec::new();
    for (path, bytes) in &tree {
        let Ok(text) = std::str::from_utf8(bytes) else { continue };
        let loaded = attr_values(text, "src").into_iter().chain(link_tag_hrefs(text));
        for url in loaded {
            if let Some(host) = host_of(&url).filter(|h| *h != own) {
                offenders.push(format!("{path} : {url} ({host})"));
            }
        }
        if path.ends_with(".css") {
            for bad in ["@import", "url(http", "url(//", "url(\"http", "url('http", "url(\"//", "url('//"] {
                if text.contains(bad) {
                    offenders.push(format!("{path} : {bad}"));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "ressources chargées depuis un autre site :\n{}", offenders.join("\n"));
}

#[test]
fn example_unpublished_members_appear_nowhere() {
    let (tmp, _) = build_example();
    let out = tmp.path().join("public");
    let tree = read_tree(&out);
    let hidden: Vec<(String, String)> = member_files()
        .into_iter()
        .filter(|(_, text)| has_line(text, "publie", "false"))
        .map(|(slug, text)| {
            let name =
                match (yaml_value(&text, "prenom"), yaml_value(&text, "nom"), yaml_value(&text, "raison_sociale")) {
                    (Some(p), Some(n), _) => format!("{p} {n}"),
                    (_, _, Some(r)) => r,
                    _ => panic!("{slug} : ni prénom et nom, ni raison sociale"),
                };
            (slug, name)
        })
        .collect();
    assert!(!hidden.is_empty(), "l’exemple devrait compter au moins un membre non publié");
    let mut leaks = Vec::new();
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        let text_plain = plain(&text);
        for (slug, name) in &hidden {
            if path.contains(slug.as_str()) || text.contains(slug.as_str()) {
                leaks.push(format!("{path} : {slug}"));
            }
            if text_plain.contains(&plain(name)) {
                leaks.push(format!("{path} : {name}"));
            }
        }
    }
    assert!(leaks.is_empty(), "membres non publiés visibles :\n{}", leaks.join("\n"));
}

/// Front matter title of the first published file of a folder of `.md` content: (slug, title).
fn first_md(folder: &str) -> (String, String) {
    let dir = root().join("content").join(folder);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .iter()
        .find_map(|p| {
            let text = fs::read_to_string(p).unwrap();
            let front = text.split("\n---").next().unwrap();
            if has_line(front, "brouillon", "true") {
                return None;
            }
            Some((p.file_stem().unwrap().to_string_lossy().into_owned(), yaml_value(front, "titre")?))
        })
        .unwrap_or_else(|| panic!("aucun fichier publié dans content/{folder}"))
}

fn check_h1(out: &Path, page: &str, expected: &str) {
    let html = read(out, page);
    assert_eq!(h1(&html), plain(expected), "titre de {page}");
}

#[test]
fn example_renders_every_kind_of_page() {
    let (tmp, _) = build_example();
    let out = tmp.path().join("public");
    let cpts = content("cpts.yaml");
    let nom = yaml_value(&cpts, "nom").unwrap();
    let nom_court = yaml_value(&cpts, "nom_court").unwrap_or_else(|| nom.clone());

    check_h1(&out, "index.html", &nom);
    check_h1(&out, "annuaire/index.html", "Annuaire des professionnels de santé");
    check_h1(&out, "annuaire/profession/medecin-generaliste/index.html", "Médecins généralistes");
    check_h1(&out, "annuaire/commune/vidauban/index.html", "Professionnels de santé à Vidauban");
    check_h1(&out, "soins/index.html", "Se soigner");
    check_h1(&out, "prevention/index.html", "Prévention et dépistage");
    check_h1(&out, "prevention/archives/index.html", "Actions de prévention passées");
    let (action, action_title) = first_md("actions");
    check_h1(&out, &format!("prevention/{action}/index.html"), &action_title);
    check_h1(&out, "offres/index.html", "Offres : stages, installation, remplacements");
    check_h1(&out, "offres/archives/index.html", "Offres pourvues ou expirées");
    let (offer, offer_title) = first_md("offres");
    check_h1(&out, &format!("offres/{offer}/index.html"), &offer_title);
    check_h1(&out, "la-cpts/index.html", &format!("La {nom_court}"));
    check_h1(&out, "actualites/index.html", "Actualités");
    let (news, news_title) = first_md("actualites");
    check_h1(&out, &format!("actualites/{news}/index.html"), &news_title);
    check_h1(&out, "contacts/index.html", "Numéros utiles et urgences");
    check_h1(&out, "professionnels/index.html", "Espace professionnels");
    check_h1(&out, "thematiques/sante-mentale/index.html", "Santé mentale");
    let (page, page_title) = first_md("pages");
    check_h1(&out, &format!("{page}/index.html"), &page_title);
    check_h1(&out, "mentions-legales/index.html", "Mentions légales");
    check_h1(&out, "accessibilite/index.html", "Déclaration d’accessibilité");
    check_h1(&out, "plan-du-site/index.html", "Plan du site");
    check_h1(&out, "404.html", "Page introuvable");

    let robots = read(&out, "robots.txt");
    assert_eq!(robots, format!("User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n", site_url()));
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains(&format!("<url><loc>{}/</loc></url>", site_url())), "{sitemap}");
    assert!(sitemap.trim_end().ends_with("</urlset>"));

    // The accessibility status of cpts.yaml, in words, in the footer of every page and on the
    // accessibility statement.
    let statut = cpts
        .split("\naccessibilite:\n")
        .nth(1)
        .and_then(|b| b.lines().find_map(|l| l.trim().strip_prefix("statut:")))
        .unwrap()
        .trim()
        .to_string();
    let words = match statut.as_str() {
        "non-conforme" => "non conforme",
        "partiellement-conforme" => "partiellement conforme",
        "totalement-conforme" => "totalement conforme",
        other => panic!("statut inattendu {other}"),
    };
    let footer = format!("Accessibilité : {words}");
    let tree = read_tree(&out);
    for page in html_files(&tree) {
        let text = plain(&String::from_utf8(tree[&page].clone()).unwrap());
        assert!(text.contains(&footer), "{page} : « {footer} » absent du pied de page");
    }
    assert!(plain(&read(&out, "accessibilite/index.html")).contains(words));
}

/// Time passing archives and warns, it never breaks a build: the example, valid today, still
/// builds for a day far in the future. And it is ready to go online: no placeholder left.
#[test]
fn example_builds_far_in_the_future_and_for_production() {
    for today in [jiff::civil::date(2099, 1, 1), jiff::civil::date(2226, 6, 30)] {
        let tmp = tempfile::tempdir().unwrap();
        let mut o = opts(&root(), &tmp.path().join("public"));
        o.today = today;
        let report = maillage::build(&o).unwrap_or_else(|e| match e {
            maillage::BuildError::Content(d) => panic!("l’exemple ne se construit plus le {today} :\n{d:#?}"),
            e => panic!("{e}"),
        });
        assert!(report.warnings.iter().all(|d| !d.is_error()));
        // Everything is in the archives by then.
        let offers = read(&tmp.path().join("public"), "offres/archives/index.html");
        assert!(!offers.contains("Aucune offre archivée"), "les offres passent aux archives");
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut o = opts(&root(), &tmp.path().join("public"));
    o.production = true;
    let report =
        maillage::build(&o).unwrap_or_else(|e| panic!("l’exemple ne se construit pas pour la production : {e:?}"));
    assert!(report.warnings.iter().all(|d| d.code != "M064"), "{:#?}", report.warnings);
}

/// The example's communes whose name begins with an article (Le Luc, Les Arcs) are never written
/// « à Le Luc », « de Les Arcs » in any page, feed, index or structured data: the article contracts
/// (au Luc, des Arcs), and the commune pages say so in their titles.
#[test]
fn example_commune_names_take_their_article_everywhere() {
    let (tmp, _) = build_example();
    let out = tmp.path().join("public");
    let cpts = content("cpts.yaml");
    let names: Vec<&str> = cpts
        .lines()
        .filter_map(|l| l.trim().strip_prefix("nom: "))
        .filter(|n| n.starts_with("Le ") || n.starts_with("Les "))
        .collect();
    assert!(names.len() >= 5, "{names:?}");
    let mut wrong = Vec::new();
    for (path, bytes) in read_tree(&out) {
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let text = text.replace(['\u{a0}', '\u{202f}'], " ");
        for name in &names {
            for before in ["à ", "de ", "À ", "De "] {
                if text.contains(&format!(" {before}{name}")) || text.contains(&format!(">{before}{name}")) {
                    wrong.push(format!("{path} : « {before}{name} »"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "articles non contractés :\n{}", wrong.join("\n"));
    check_h1(&out, "annuaire/commune/le-luc/index.html", "Professionnels de santé au Luc");
    check_h1(&out, "annuaire/commune/les-arcs/index.html", "Professionnels de santé aux Arcs");
    // A group of one member is named in the singular and in that person's gender; of several, in
    // the plural.
    let cabasse = read(&out, "annuaire/commune/cabasse/index.html");
    assert!(cabasse.contains(">Infirmière</h2>") && cabasse.contains(">Médecin généraliste</h2>"), "{cabasse}");
    let le_luc = read(&out, "annuaire/commune/le-luc/index.html");
    assert!(le_luc.contains(">Médecins généralistes</h2>") && le_luc.contains(">Sage-femme</h2>"));
    // Several women only: the feminine plural; men and women together: the masculine plural.
    let gonfaron = read(&out, "annuaire/commune/gonfaron/index.html");
    assert!(gonfaron.contains(">Infirmières</h2>"), "{gonfaron}");
    assert!(le_luc.contains(">Infirmiers</h2>"), "{le_luc}");
}
