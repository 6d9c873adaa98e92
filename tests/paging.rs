//! The directory's long lists, by profession and by commune, split into numbered pages: where
//! the pages are cut, how they link to each other, their pager, titles, canonical addresses and
//! the sitemap.

mod common;

use common::*;
use maillage::render::pages::PAGE_SIZE;
use std::path::Path;

/// The minimal site (Claire Exemple, a GP in Le Luc) with `count` nurses in Le Luc, built.
fn with_nurses(count: usize) -> tempfile::TempDir {
    let files = nurses(count);
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&borrowed);
    build(dir.path());
    dir
}

/// The member pages a list page links to, in the order of its cards.
fn cards(out: &Path, page: &str) -> Vec<String> {
    let html = read(out, page);
    let list = &html[html.find("<ul class=\"cards\">").unwrap_or(0)..];
    attr_values(list, "href").into_iter().filter(|h| h.starts_with("/annuaire/infirmier-")).collect()
}

/// The text of the one `<title>` of a page.
fn title(html: &str) -> &str {
    let start = html.find("<title>").unwrap() + "<title>".len();
    &html[start..start + html[start..].find("</title>").unwrap()]
}

/// The `<nav aria-label="Pagination">` of a page, if it has one.
fn pager(html: &str) -> Option<&str> {
    let start = html.find("<nav class=\"pager\" aria-label=\"Pagination\">")?;
    Some(&html[start..start + html[start..].find("</nav>").unwrap()])
}

#[test]
fn the_rpps_of_the_test_nurses_are_valid() {
    for (_, yaml) in nurses(3) {
        let rpps = yaml.split("rpps: \"").nth(1).unwrap().split('"').next().unwrap().to_string();
        assert!(maillage::domain::ids::luhn(&rpps), "{rpps}");
    }
}

#[test]
fn a_list_of_exactly_one_page_has_no_pager_and_one_more_card_makes_a_second_page() {
    // PAGE_SIZE nurses: their list holds on one page. Le Luc lists them and Claire: one more.
    let dir = with_nurses(PAGE_SIZE);
    let out = public(dir.path());
    let nurses_page = read(&out, "annuaire/profession/infirmier/index.html");
    assert!(pager(&nurses_page).is_none(), "{nurses_page}");
    assert!(!nurses_page.contains("pager-position"));
    assert_eq!(cards(&out, "annuaire/profession/infirmier/index.html").len(), PAGE_SIZE);
    assert!(!out.join("annuaire/profession/infirmier/page").exists());
    assert_eq!(title(&nurses_page), "Infirmiers – CPTS Tests");

    let luc = read(&out, "annuaire/commune/le-luc/index.html");
    assert!(pager(&luc).is_some(), "{luc}");
    let second = read(&out, "annuaire/commune/le-luc/page/2/index.html");
    // Claire's group comes first: the last nurse is alone on page 2, her group continued.
    assert_eq!(cards(&out, "annuaire/commune/le-luc/page/2/index.html"), ["/annuaire/infirmier-049/"]);
    assert!(second.contains(">Infirmières (suite)</h2>"), "{second}");
    assert!(!second.contains("Médecin généraliste</h2>"), "{second}");
    assert!(second.contains("<p>51 professionnels et structures membres"), "{second}");
    assert!(second.contains("Page 2 sur 2&nbsp;: fiches 51 à 51 sur 51."), "{second}");
    assert!(!out.join("annuaire/commune/le-luc/page/3").exists());
    // The commune's map and actions are on its first page only.
    assert!(luc.contains("class=\"map-figure"), "{luc}");
    assert!(!second.contains("class=\"map-figure"), "{second}");

    // An empty list, Vidauban's: one page, no pager.
    let vidauban = read(&out, "annuaire/commune/vidauban/index.html");
    assert!(vidauban.contains("n’exerce encore dans cette commune."), "{vidauban}");
    assert!(pager(&vidauban).is_none() && !out.join("annuaire/commune/vidauban/page").exists());

    // One more nurse: a second page with her alone.
    let dir = with_nurses(PAGE_SIZE + 1);
    let out = public(dir.path());
    let first = cards(&out, "annuaire/profession/infirmier/index.html");
    let last = cards(&out, "annuaire/profession/infirmier/page/2/index.html");
    assert_eq!(first.len(), PAGE_SIZE);
    assert_eq!(last, [format!("/annuaire/infirmier-{PAGE_SIZE:03}/")]);
    assert!(!out.join("annuaire/profession/infirmier/page/3").exists());
    assert!(!out.join("annuaire/profession/infirmier/page/1").exists());
}

#[test]
fn pages_keep_the_order_by_name_link_to_each_other_and_have_their_own_title_and_address() {
    let count = 2 * PAGE_SIZE + 3;
    let dir = with_nurses(count);
    let out = public(dir.path());
    let paths: Vec<String> = (1..=3)
        .map(|n| match n {
            1 => "annuaire/profession/infirmier/index.html".to_string(),
            n => format!("annuaire/profession/infirmier/page/{n}/index.html"),
        })
        .collect();
    let urls = [
        "/annuaire/profession/infirmier/",
        "/annuaire/profession/infirmier/page/2/",
        "/annuaire/profession/infirmier/page/3/",
    ];
    // Every card once, in the order by name, across the pages.
    let all: Vec<String> = paths.iter().flat_map(|p| cards(&out, p)).collect();
    let expected: Vec<String> = (0..count).map(|i| format!("/annuaire/infirmier-{i:03}/")).collect();
    assert_eq!(all, expected);
    assert!(!out.join("annuaire/profession/infirmier/page/4").exists());

    let mut titles = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let html = read(&out, path);
        let n = i + 1;
        titles.push(title(&html).to_string());
        assert_eq!(title(&html), format!("Infirmiers, page {n} sur 3 – CPTS Tests"));
        assert!(html.contains(&format!("<h1>Infirmiers, page {n} sur 3</h1>")), "{html}");
        assert!(html.contains("103 infirmières sur le territoire."), "{html}");
        let canonical = format!("<link rel=\"canonical\" href=\"{SITE_URL}{}\">", urls[i]);
        assert!(html.contains(&canonical), "{path} : {canonical}");
        let nav = pager(&html).unwrap_or_else(|| panic!("{path} sans pagination"));
        assert!(nav.contains(&format!("<p class=\"pager-position\">Page {n} sur 3</p>")), "{nav}");
        // The current page is named as such, and every page is reachable from every other.
        let current: Vec<&str> = tags(nav).into_iter().filter(|t| t.contains("aria-current=\"page\"")).collect();
        assert_eq!(current, [format!("<a href=\"{}\" aria-current=\"page\">", urls[i]).as_str()], "{nav}");
        for url in urls {
            assert!(attr_values(nav, "href").contains(&url.to_string()), "{path} ne mène pas à {url} : {nav}");
        }
        let step = |rel: &str| {
            tags(nav).into_iter().find(|t| t.contains(&format!("rel=\"{rel}\""))).map(|t| attr_values(t, "href"))
        };
        assert_eq!(step("prev"), (n > 1).then(|| vec![urls[i - 1].to_string()]), "{nav}");
        assert_eq!(step("next"), (n < 3).then(|| vec![urls[i + 1].to_string()]), "{nav}");
        assert_eq!(nav.contains(">Page précédente</a>"), n > 1);
        assert_eq!(nav.contains(">Page suivante<"), n < 3);
        // Each number has an accessible name: « Page 2 ».
        assert!(nav.contains(&format!("<span class=\"sr-only\">Page </span>{n}</a>")), "{nav}");
        // Pages after the first lead back to it in their breadcrumbs.
        let crumb = html.contains("<a href=\"/annuaire/profession/infirmier/\">Infirmiers</a>");
        assert_eq!(crumb, n > 1, "{path}");
    }
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), 3, "un titre par page");
    assert!(read(&out, &paths[1]).contains("Page 2 sur 3&nbsp;: fiches 51 à 100 sur 103."));

    // The sitemap lists every page; the site map page names the list once, by its first page.
    let sitemap = read(&out, "sitemap.xml");
    for url in urls {
        assert!(sitemap.contains(&format!("<loc>{SITE_URL}{url}</loc>")), "{url} : {sitemap}");
    }
    let plan = links_of(&out, "plan-du-site/index.html");
    assert!(plan.contains(urls[0]) && !plan.contains(urls[1]), "{plan:?}");
    // The directory's other ways in are unchanged: its page links to the list's address.
    assert!(links_of(&out, "annuaire/index.html").contains(urls[0]));
    assert!(links_of(&out, &format!("annuaire/infirmier-{:03}/index.html", count - 1)).contains(urls[0]));
}

#[test]
fn a_theme_that_overrides_the_list_template_keeps_working() {
    // A list template written before pages existed: it shows the page's cards.
    let old = "{% extends \"base.html\" %}{% block content %}<p>{{ data.groupe.members | length }} fiches</p>{% for m in data.groupe.members %}<a href=\"{{ m.url }}\">{{ m.name }}</a>{% endfor %}{% endblock %}";
    let mut files = nurses(PAGE_SIZE + 2);
    files.push(("templates/profession.html".to_string(), old.to_string()));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&borrowed);
    build(dir.path());
    let out = public(dir.path());
    assert!(read(&out, "annuaire/profession/infirmier/index.html").contains(&format!("<p>{PAGE_SIZE} fiches</p>")));
    assert!(read(&out, "annuaire/profession/infirmier/page/2/index.html").contains("<p>2 fiches</p>"));
}

#[test]
fn counts_of_a_thousand_and_more_are_grouped_in_the_navigation_and_the_map_legend() {
    let dir = with_nurses(1000);
    let out = public(dir.path());
    // « 1 000 », with a narrow no-break space, as everywhere else on the site.
    let (nurses, in_luc) = (maillage::domain::text::grouped(1000), maillage::domain::text::grouped(1001));
    assert_ne!(nurses, "1000");
    let gp = read(&out, "annuaire/profession/medecin-generaliste/index.html");
    assert!(gp.contains(&format!("<span class=\"count\">({nurses})</span>")), "{gp}");
    let map = read(&out, "carte/index.html");
    assert!(map.contains(&format!("</a> ({in_luc})</li>")), "{map}");
}
