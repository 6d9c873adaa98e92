//! The territory from the official geographic code: communes listed by INSEE code or by name
//! alone are completed from the table the binary carries; the population, its year and the ACI
//! size follow from it; the legal notice credits the table.

mod common;

use common::*;

/// The minimal site's territory, written with a code alone and a name alone.
fn by_code_and_by_name() -> String {
    replace_once(
        CPTS_YAML,
        "    - insee: \"83073\"\n      nom: Le Luc\n      centre: [43.3947, 6.3131]\n    - insee: \"83148\"\n      nom: Vidauban\n",
        "    - insee: \"83073\"\n      centre: [43.3947, 6.3131]\n    - nom: vidauban\n",
    )
}

#[test]
fn communes_by_code_or_name_alone_are_completed_from_the_table() {
    let s = site(&[("content/cpts.yaml", &by_code_and_by_name())]);
    let report = build(s.path());
    // The name written in lower case is shown as written, with a warning giving the official one.
    let warnings: Vec<_> = report.warnings.iter().map(|d| (d.code, d.line, d.message.as_str())).collect();
    assert_eq!(warnings, [("M082", 17, "orthographe officielle : « Vidauban »")]);
    let out = public(s.path());
    let luc = read(&out, "annuaire/commune/le-luc/index.html");
    assert!(luc.contains("Le Luc (83340) compte 11\u{202f}310 habitants"), "{luc}");
    let about = read(&out, "la-cpts/index.html");
    // 11 310 + 12 608 official inhabitants, with the year of the table.
    assert!(about.contains("23\u{202f}918 habitants, populations légales 2023 de l’INSEE"), "{about}");
    assert!(
        about.contains(
            "Avec 23\u{202f}918 habitants (populations légales 2023), la CPTS relève de la <strong>taille 1</strong>"
        ),
        "{about}"
    );
    assert!(
        about.contains("CC Coeur du Var (1\u{a0}commune), CA Dracénie Provence Verdon Agglomération (1\u{a0}commune)"),
        "{about}"
    );
    let home = read(&out, "index.html");
    assert!(home.contains("habitants sur le territoire (populations légales 2023)"), "{home}");
    let legal = read(&out, "mentions-legales/index.html");
    assert!(legal.contains("INSEE, Code officiel géographique 2026 et populations légales 2023"), "{legal}");
    assert!(legal.contains("Licence Ouverte"), "{legal}");
}

#[test]
fn written_values_win_and_their_year_is_shown() {
    let cpts = replace_once(
        CPTS_YAML,
        "  communes:\n    - insee: \"83073\"\n      nom: Le Luc\n",
        "  annee_population: 2021\n  communes:\n    - insee: \"83073\"\n      nom: Le Luc\n      population: 11000\n",
    );
    let s = site(&[("content/cpts.yaml", &cpts)]);
    let report = build(s.path());
    let codes: Vec<_> = report.warnings.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["M082"]);
    let out = public(s.path());
    let about = read(&out, "la-cpts/index.html");
    // 11 000 as written + 12 608 from the table; the year is the file's.
    assert!(about.contains("23\u{202f}608 habitants, populations légales 2021 de l’INSEE"), "{about}");
    // Nothing came from the table but Vidauban's population: the table is still credited.
    let legal = read(&out, "mentions-legales/index.html");
    assert!(legal.contains("Code officiel géographique 2026"), "{legal}");
}

#[test]
fn a_misspelt_name_stops_the_build_with_the_closest_names() {
    let cpts = replace_once(&by_code_and_by_name(), "- nom: vidauban", "- nom: Vidaubant");
    let s = site(&[("content/cpts.yaml", &cpts)]);
    let found = maillage::check_site(&opts(s.path(), &public(s.path())));
    let m083 = found.iter().find(|d| d.code == "M083").expect("M083");
    assert_eq!((m083.file.as_str(), m083.line, m083.column), ("content/cpts.yaml", 17, 12));
    assert!(m083.hint.as_deref().unwrap_or("").contains("Vidauban (83148, Var)"), "{m083:?}");
}

/// The outlines of the whole Var, as the example ships them.
fn var_outlines() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/communes.geojson")).unwrap()
}

#[test]
fn a_departement_file_draws_a_small_map_fitted_to_the_territory() {
    let geojson = var_outlines();
    let s = site(&[("content/cpts.yaml", &by_code_and_by_name()), ("content/communes.geojson", &geojson)]);
    build(s.path());
    let out = public(s.path());
    let map = read(&out, "carte/index.html");
    let svg = map.split("<svg class=\"map\"").nth(1).unwrap().split("</svg>").next().unwrap();
    // The two communes are outlines, each in its link; the Var's others are one faint path.
    let links: Vec<&str> = svg.split("<a href=").skip(1).collect();
    assert_eq!(links.len(), 2);
    assert!(links.iter().all(|a| a.split_once('>').unwrap().1.starts_with("<path d=\"M")), "{svg}");
    assert_eq!(svg.matches(r##"fill="#eceeef""##).count(), 1);
    // Fitted to the two communes: the neighbours are clipped to the frame, whole coordinates.
    let height: f64 = svg.split("viewBox=\"0 0 640 ").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let context = svg.split(r##"fill="#eceeef""##).next().unwrap().rsplit("<path d=\"").next().unwrap();
    let context = context.trim_end_matches(['"', ' ']);
    let (mut x, mut y) = (0i64, 0i64);
    for ring in context.split('Z').filter(|r| !r.is_empty()) {
        let (start, rest) = ring.trim_start_matches('M').split_once('l').unwrap_or((ring.trim_start_matches('M'), ""));
        let mut start = start.split(' ').map(|n| n.parse::<i64>().unwrap());
        (x, y) = (start.next().unwrap(), start.next().unwrap());
        let numbers: Vec<i64> = rest.replace('-', " -").split_whitespace().map(|n| n.parse().unwrap()).collect();
        for d in numbers.chunks(2) {
            (x, y) = (x + d[0], y + d[1]);
            assert!((-3..=643).contains(&x) && (-3..=height as i64 + 3).contains(&y), "({x}, {y}) hors du cadre");
        }
    }
    assert!(x != 0 || y != 0);
    // Names and counts on the wide layout, numbers and the legend for the narrow one.
    assert!(svg.contains("Le Luc <tspan font-weight=\"700\">(1)</tspan>"), "{svg}");
    assert!(svg.contains("class=\"map-narrow\""));
    assert!(map.contains("<ol class=\"map-legend map-legend-named\">"), "{map}");
    // The whole Var weighs 280 KB; the page, a few tens.
    assert!(geojson.len() > 250_000);
    assert!(map.len() < 24 * 1024, "{} octets", map.len());
    // A commune's page shows where it lies, named, without legend.
    let luc = read(&out, "annuaire/commune/le-luc/index.html");
    assert!(luc.contains(">Le Luc</text>") && !luc.contains("map-legend"), "{luc}");
    assert!(luc.contains("<h1>Professionnels de santé au Luc</h1>"), "{luc}");
    assert!(luc.len() < 40 * 1024, "{} octets", luc.len());
}
