//! Small sites declared inline: escaping, archives relative to the build date, and themes.

mod common;

use common::*;
use maillage::BuildError;

// ---------------------------------------------------------------------------------------------
// The helpers themselves: a link checker that finds nothing proves nothing.

#[test]
fn helpers_decode_and_find_links() {
    let html = r#"<a href="&#x2f;annuaire&#x2f;x&#x2f;?q=1#f">x</a><img src="/images/a.svg" alt=""><a href="tel:15">15</a><a data-href="/non/">n</a><link rel="stylesheet" href="https:&#x2f;&#x2f;cdn.example.com&#x2f;a.css">"#;
    assert_eq!(internal_links(html), vec!["/annuaire/x/".to_string(), "/images/a.svg".to_string()]);
    assert_eq!(link_target("/annuaire/x/"), "annuaire/x/index.html");
    assert_eq!(link_target("/"), "index.html");
    assert_eq!(link_target("/style.css"), "style.css");
    assert_eq!(link_tag_hrefs(html), vec!["https://cdn.example.com/a.css".to_string()]);
    assert_eq!(host_of("https://CDN.example.com/a.css").as_deref(), Some("cdn.example.com"));
    assert_eq!(host_of("//cdn.example.com/a.css").as_deref(), Some("cdn.example.com"));
    assert_eq!(host_of("/local.css"), None);
    assert_eq!(decode_entities("a&amp;b&lt;&#233;&nbsp;&x"), "a&b<é\u{a0}&x");
    let (name, attrs) = parse_tag(r#"<IMG src=x onerror=alert(1) alt="a &gt; b onclick=x">"#);
    assert_eq!(name, "img");
    let names: Vec<&str> = attrs.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(names, ["src", "onerror", "alt"]);
    assert_eq!(attrs[2].1, "a > b onclick=x");
}

#[test]
fn minimal_site_builds_without_warnings() {
    let s = site(&[]);
    let report = build(s.path());
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let out = public(s.path());
    let page = read(&out, "annuaire/claire-exemple/index.html");
    assert!(page.contains("Claire"), "{page}");
    assert!(page.contains("<html lang=\"fr\">"));
}

// ---------------------------------------------------------------------------------------------
// 2. Escaping: content can never inject markup.

const PIRATE_YAML: &str = r#"civilite: M.
prenom: Jean
nom: "<script>alert(1)</script>"
profession: infirmier
lieux:
  - adresse: 3 rue du Port
    code_postal: "83550"
    commune: "83148"
publie: true
"#;

const PIRATE_ACTION: &str = r#"---
titre: "Atelier <script>alert(2)</script>"
resume: "Résumé <b onmouseover=alert(3)>gras</b>"
seances:
  - date: 2027-01-15
    lieu: Salle des fêtes
    commune: "83073"
---
Texte <script>alert(1)</script> au milieu.

<img src=x onerror=alert(1)>

<script>
alert(4)
</script>
"#;

#[test]
fn content_cannot_inject_markup() {
    let s = site(&[("content/membres/pirate.yaml", PIRATE_YAML), ("content/actions/atelier.md", PIRATE_ACTION)]);
    build(s.path());
    let out = public(s.path());
    let tree = read_tree(&out);
    let mut found = Vec::new();
    // Files a browser interprets as markup; calendars (.ics) and data files carry titles as
    // plain text.
    let markup = |p: &str| [".html", ".xml", ".svg", ".atom"].iter().any(|e| p.ends_with(e));
    // The only scripts allowed: JSON-LD blocks and the theme's own deferred files.
    let own_script = |tag: &str| {
        let (name, attrs) = parse_tag(tag);
        let ld = attrs.len() == 1 && attrs[0].0 == "type" && attrs[0].1 == "application/ld+json";
        let theme = attrs.len() == 2
            && attrs.iter().any(|(a, v)| a == "src" && decode_entities(v).starts_with('/') && v.ends_with(".js"))
            && attrs.iter().any(|(a, _)| a == "defer");
        name == "script" && (ld || theme)
    };
    for (path, bytes) in tree.iter().filter(|(p, _)| markup(p)) {
        let text = String::from_utf8_lossy(bytes);
        let own = tags(&text).into_iter().filter(|t| own_script(t)).count();
        if text.to_ascii_lowercase().matches("<script").count() != own {
            found.push(format!("{path} : <script"));
        }
        // « onerror= » may only appear as escaped text, never as an attribute of a real tag.
        for tag in tags(&text) {
            let (name, attrs) = parse_tag(tag);
            let handler = attrs.iter().any(|(a, _)| a.starts_with("on"));
            let injected_img = name == "img" && attrs.iter().any(|(a, v)| a == "src" && v == "x");
            if (name == "script" && !own_script(tag)) || handler || injected_img || name == "b" {
                found.push(format!("{path} : {tag}"));
            }
        }
    }
    assert!(found.is_empty(), "balisage injecté :\n{}", found.join("\n"));

    let member = read(&out, "annuaire/pirate/index.html");
    assert!(member.contains("&lt;script&gt;alert(1)&lt;"), "nom non échappé sur la fiche :\n{member}");
    // Raw HTML in Markdown goes through the allow-list: scripts vanish with their content,
    // the image and its handler too, the text around them stays.
    let action = read(&out, "prevention/atelier/index.html");
    assert!(action.contains("Texte  au milieu."), "{action}");
    for gone in ["alert(1)", "alert(4)", "onerror", "src=x"] {
        assert!(!action.contains(gone), "{gone} encore présent :\n{action}");
    }
    assert!(action.contains("&lt;script&gt;alert(2)&lt;"), "titre non échappé :\n{action}");
}

// ---------------------------------------------------------------------------------------------
// 3. Archives relative to the build date.

fn action(titre: &str, dates: &[&str]) -> String {
    let mut s = format!("---\ntitre: {titre}\nresume: Une action.\nseances:\n");
    for d in dates {
        s.push_str(&format!("  - date: {d}\n    lieu: Salle des fêtes\n    commune: \"83073\"\n"));
    }
    s.push_str("---\nCorps.\n");
    s
}

fn offer(titre: &str, until: &str) -> String {
    format!(
        "---\ntitre: {titre}\ntype: remplacement\nresume: Une offre.\nprofession: medecin-generaliste\ncommunes: [\"83073\"]\ndate_publication: 2026-06-01\nvalide_jusqu_au: {until}\ncontact:\n  courriel: offres@cpts-test.fr\n---\nCorps.\n"
    )
}

fn archive_site() -> tempfile::TempDir {
    let passee = action("Action passée", &["2026-10-03", "2026-10-17"]);
    let future = action("Action future", &["2026-10-03", "2027-01-15"]);
    let du_jour = action("Action du jour", &["2026-11-22"]);
    let expiree = offer("Offre expirée", "2026-11-01");
    let ouverte = offer("Offre ouverte", "2027-06-30");
    let dernier_jour = offer("Offre au dernier jour", "2026-11-22");
    site(&[
        ("content/actions/passee.md", &passee),
        ("content/actions/future.md", &future),
        ("content/actions/du-jour.md", &du_jour),
        ("content/offres/expiree.md", &expiree),
        ("content/offres/ouverte.md", &ouverte),
        ("content/offres/dernier-jour.md", &dernier_jour),
    ])
}

#[test]
fn past_actions_and_expired_offers_go_to_the_archives() {
    let s = archive_site();
    build(s.path());
    let out = public(s.path());
    let prevention = links_of(&out, "prevention/index.html");
    let prevention_archive = links_of(&out, "prevention/archives/index.html");
    let offers = links_of(&out, "offres/index.html");
    let offers_archive = links_of(&out, "offres/archives/index.html");
    let home = links_of(&out, "index.html");

    assert!(prevention_archive.contains("/prevention/passee/"));
    assert!(!prevention.contains("/prevention/passee/"));
    assert!(!home.contains("/prevention/passee/"));
    assert!(prevention.contains("/prevention/future/"));
    assert!(!prevention_archive.contains("/prevention/future/"));
    // A session held today is not over yet.
    assert!(prevention.contains("/prevention/du-jour/"));
    assert!(!prevention_archive.contains("/prevention/du-jour/"));

    assert!(offers_archive.contains("/offres/expiree/"));
    assert!(!offers.contains("/offres/expiree/"));
    assert!(offers.contains("/offres/ouverte/"));
    assert!(!offers_archive.contains("/offres/ouverte/"));
    // The last day of an offer is still a day it is open.
    assert!(offers.contains("/offres/dernier-jour/"));
    assert!(!offers_archive.contains("/offres/dernier-jour/"));

    // Archived items keep their own page.
    assert!(out.join("prevention/passee/index.html").is_file());
    assert!(out.join("offres/expiree/index.html").is_file());
}

#[test]
fn an_earlier_build_date_brings_them_back() {
    let s = archive_site();
    build(s.path());
    build_at(s.path(), jiff::civil::date(2026, 9, 1));
    let out = public(s.path());
    let prevention = links_of(&out, "prevention/index.html");
    let prevention_archive = links_of(&out, "prevention/archives/index.html");
    let offers = links_of(&out, "offres/index.html");
    let offers_archive = links_of(&out, "offres/archives/index.html");
    for slug in ["passee", "future", "du-jour"] {
        let url = format!("/prevention/{slug}/");
        assert!(prevention.contains(&url), "{url} absent de /prevention/");
        assert!(!prevention_archive.contains(&url), "{url} dans les archives");
    }
    for slug in ["expiree", "ouverte", "dernier-jour"] {
        let url = format!("/offres/{slug}/");
        assert!(offers.contains(&url), "{url} absent de /offres/");
        assert!(!offers_archive.contains(&url), "{url} dans les archives");
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Themes and template overrides.

const MY_404: &str =
    "{% extends \"base.html\" %}\n{% block content %}<p>Perdu dans les collines du test.</p>{% endblock %}\n";

const MY_BASE: &str = r#"<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ page.title }} · thème maison</title></head>
<body class="mon-theme">
{% block main %}<h1>{{ page.title }}</h1>{% block content %}{% endblock %}{% endblock %}
<footer>Pied de page du thème maison</footer>
</body>
</html>
"#;

fn with_theme(name: &str) -> String {
    replace_once(
        CPTS_YAML,
        "site:\n  url: https://www.cpts-test.fr\n",
        &format!("site:\n  url: https://www.cpts-test.fr\n  theme: {name}\n"),
    )
}

#[test]
fn site_templates_override_the_default_theme() {
    let s = site(&[("templates/404.html", MY_404)]);
    build(s.path());
    let out = public(s.path());
    let page = read(&out, "404.html");
    assert!(page.contains("<p>Perdu dans les collines du test.</p>"), "{page}");
    assert!(!page.contains("La page demandée n’existe pas"), "{page}");
    // The rest still comes from the default theme.
    assert!(page.contains("class=\"site-footer\""), "{page}");
    assert!(!read(&out, "index.html").contains("Perdu dans les collines"));
}

#[test]
fn a_theme_folder_replaces_the_base_template() {
    let cpts = with_theme("mon-theme");
    let s = site(&[("content/cpts.yaml", &cpts), ("themes/mon-theme/templates/base.html", MY_BASE)]);
    build(s.path());
    let out = public(s.path());
    for page in ["index.html", "annuaire/index.html", "annuaire/claire-exemple/index.html", "404.html"] {
        let html = read(&out, page);
        assert!(html.contains("<body class=\"mon-theme\">"), "{page} :\n{html}");
        assert!(html.contains("Pied de page du thème maison"), "{page}");
        assert!(!html.contains("class=\"site-footer\""), "{page} utilise encore le thème par défaut");
    }
    // Templates the theme does not provide come from the default theme, within its base.
    let annuaire = read(&out, "annuaire/index.html");
    assert!(annuaire.contains("<h1>Annuaire des professionnels de santé</h1>"), "{annuaire}");
}

#[test]
fn site_templates_win_over_the_theme() {
    let cpts = with_theme("mon-theme");
    let s = site(&[
        ("content/cpts.yaml", &cpts),
        ("themes/mon-theme/templates/base.html", MY_BASE),
        ("templates/404.html", MY_404),
    ]);
    build(s.path());
    let page = read(&public(s.path()), "404.html");
    assert!(page.contains("Perdu dans les collines du test."), "{page}");
    assert!(page.contains("Pied de page du thème maison"), "{page}");
}

#[test]
fn an_unknown_theme_is_an_error() {
    let cpts = with_theme("inexistant");
    let s = site(&[("content/cpts.yaml", &cpts)]);
    let out = public(s.path());
    let diagnostics = maillage::check_site(&opts(s.path(), &out));
    let found: Vec<_> = diagnostics.iter().map(|d| (d.code, d.file.as_str(), d.is_error())).collect();
    assert_eq!(found, vec![("M070", "content/cpts.yaml", true)], "{diagnostics:#?}");
    assert!(diagnostics[0].message.contains("inexistant"), "{}", diagnostics[0].message);
    match maillage::build(&opts(s.path(), &out)) {
        Err(BuildError::Content(d)) => assert_eq!(d.len(), 1, "{d:#?}"),
        other => panic!("attendu une erreur de contenu, obtenu {other:?}"),
    }
    assert!(!out.exists(), "rien ne doit être écrit");
}

#[test]
fn a_broken_template_is_reported_with_its_file() {
    let s = site(&[("templates/404.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ oups </p>\n")]);
    let diagnostics = maillage::check_site(&opts(s.path(), &public(s.path())));
    assert!(
        diagnostics.iter().any(|d| d.code == "M071" && d.file == "templates/404.html" && d.is_error()),
        "{diagnostics:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Publication: drafts and members without consent.

const HIDDEN_MEMBER: &str = r#"civilite: Mme
prenom: Zoé
nom: Cachée
profession: sage-femme
lieux:
  - adresse: 9 rue Discrète
    code_postal: "83550"
    commune: "83148"
    telephone: "04 94 99 99 99"
publie: false
"#;

const STRUCTURE: &str = r#"raison_sociale: Maison de santé du Test
structure: msp
membres: [claire-exemple, zoe-cachee]
lieux:
  - adresse: 1 rue de la Santé
    code_postal: "83340"
    commune: "83073"
publie: true
"#;

#[test]
fn members_without_consent_appear_nowhere_even_when_referenced() {
    let action = "---\ntitre: Atelier\nresume: Un atelier.\nreferents: [zoe-cachee, claire-exemple]\nseances:\n  - date: 2027-01-15\n    lieu: Salle des fêtes\n    commune: \"83148\"\n---\nCorps.\n";
    let offer = "---\ntitre: Stage\ntype: stage\nresume: Un stage.\nprofession: sage-femme\ncommunes: [\"83148\"]\ndate_publication: 2026-06-01\nvalide_jusqu_au: 2027-06-30\nmaitre_de_stage: zoe-cachee\ncontact:\n  membre: zoe-cachee\n  courriel: stages@cpts-test.fr\n---\nCorps.\n";
    let s = site(&[
        ("content/membres/zoe-cachee.yaml", HIDDEN_MEMBER),
        ("content/membres/msp-test.yaml", STRUCTURE),
        ("content/actions/atelier.md", action),
        ("content/offres/stage.md", offer),
    ]);
    let report = build(s.path());
    let warned: Vec<_> = report.warnings.iter().map(|d| (d.code, d.file.as_str())).collect();
    assert_eq!(
        warned,
        vec![
            ("M042", "content/actions/atelier.md"),
            ("M042", "content/membres/msp-test.yaml"),
            ("M042", "content/offres/stage.md"),
            ("M042", "content/offres/stage.md"),
        ],
        "{:#?}",
        report.warnings
    );
    let out = public(s.path());
    let mut leaks = Vec::new();
    for (path, bytes) in read_tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for needle in ["zoe-cachee", "Zoé", "Cachée", "Discrète", "99\u{a0}99\u{a0}99", "+33494999999"] {
            if path.contains(needle) || text.contains(needle) {
                leaks.push(format!("{path} : {needle}"));
            }
        }
    }
    assert!(leaks.is_empty(), "membre non publié visible :\n{}", leaks.join("\n"));
    // The published referent is still shown.
    assert!(links_of(&out, "prevention/atelier/index.html").contains("/annuaire/claire-exemple/"));
    assert!(links_of(&out, "annuaire/msp-test/index.html").contains("/annuaire/claire-exemple/"));
}

#[test]
fn drafts_are_published_only_on_request() {
    let draft = "---\ntitre: Brouillon d’action\nresume: Pas encore prête.\nbrouillon: true\nseances:\n  - date: 2027-01-15\n    lieu: Salle des fêtes\n    commune: \"83073\"\n---\nCorps.\n";
    let page = "---\ntitre: Page en chantier\nbrouillon: true\nmenu: 1\n---\nCorps.\n";
    let s = site(&[("content/actions/brouillon.md", draft), ("content/pages/chantier.md", page)]);
    build(s.path());
    let out = public(s.path());
    assert!(!out.join("prevention/brouillon").exists());
    assert!(!out.join("chantier").exists());
    for (path, bytes) in read_tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("/prevention/brouillon/") && !text.contains("Brouillon d’action"), "{path}");
        assert!(!text.contains("/chantier/") && !text.contains("Page en chantier"), "{path}");
    }

    let mut o = opts(s.path(), &out);
    o.drafts = true;
    maillage::build(&o).unwrap();
    assert!(out.join("prevention/brouillon/index.html").is_file());
    assert!(links_of(&out, "prevention/index.html").contains("/prevention/brouillon/"));
    assert!(links_of(&out, "index.html").contains("/chantier/"), "page du menu absente de la navigation");
    assert!(read(&out, "sitemap.xml").contains("<loc>https://www.cpts-test.fr/chantier/</loc>"));
}

// ---------------------------------------------------------------------------------------------
// Outputs: one file per path.

#[test]
fn pages_and_files_at_the_same_address_are_refused() {
    let page = "---\ntitre: Autre annuaire\n---\nCorps.\n";
    let s = site(&[("content/pages/annuaire.md", page)]);
    let diagnostics = maillage::check_site(&opts(s.path(), &public(s.path())));
    let found: Vec<_> = diagnostics.iter().map(|d| (d.code, d.file.as_str(), d.is_error())).collect();
    assert_eq!(found, vec![("M073", "content/pages/annuaire.md", true)], "{diagnostics:#?}");

    let s = site(&[("content/static/index.html", "<p>accueil</p>")]);
    let diagnostics = maillage::check_site(&opts(s.path(), &public(s.path())));
    let found: Vec<_> = diagnostics.iter().map(|d| (d.code, d.file.as_str(), d.is_error())).collect();
    assert_eq!(found, vec![("M073", "content/static/index.html", true)], "{diagnostics:#?}");
}

/// The `?v=` version of a stylesheet: the low 32 bits of its fingerprint.
fn version(bytes: &[u8]) -> String {
    format!("{:x}", maillage::fingerprint::of_bytes(bytes) & 0xffff_ffff)
}

#[test]
fn the_stylesheet_version_follows_its_content() {
    let s = site(&[]);
    build(s.path());
    let out = public(s.path());
    let css = std::fs::read(out.join("style.css")).unwrap();
    assert!(read(&out, "index.html").contains(&format!("href=\"/style.css?v={}\"", version(&css))));
}

/// A file of `content/static/` at the path of a theme file (`style.css`) replaces the theme's
/// file: one output, and the `?v=` of the stylesheet link follows the file actually served.
#[test]
fn a_static_file_shadowing_a_theme_file_gives_one_output() {
    let mine = "body { color: #123456; }\n";
    let s = site(&[("content/static/style.css", mine)]);
    let o = opts(s.path(), &public(s.path()));
    let sink = maillage::output::Collect::default();
    match maillage::render_site(&o, &sink) {
        Err(e) => panic!("the site's style.css should replace the theme's: {e:#?}"),
        Ok(_) => {
            let outputs = sink.into_files();
            let mut paths: Vec<&str> = outputs.iter().map(|f| f.path.as_str()).collect();
            let n = paths.len();
            paths.sort_unstable();
            paths.dedup();
            assert_eq!(paths.len(), n, "plusieurs sorties au même chemin");
            let first = build(s.path());
            let out = public(s.path());
            assert_eq!(first.stats.written, read_tree(&out).len() - 1);
            assert_eq!(read(&out, "style.css"), mine);
            assert!(read(&out, "index.html").contains(&format!("style.css?v={}\"", version(mine.as_bytes()))));
            let second = build(s.path());
            assert_eq!(second.stats.written, 0, "{:?}", second.stats);
        }
    }
}
