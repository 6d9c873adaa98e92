//! Real campaigns fit the content model: the example's Octobre rose programme (transcribed from
//! the structure of published CPTS programmes: pharmacies all month, market stands, a workshop
//! with limited places, a paid walk, a stand in a hospital just outside the territory, several
//! partners with logos, images, a video and a table), a training for professionals with places,
//! an action that runs all year, useful contacts with several numbers or only a link; and what a
//! page cannot publish is reported, never dropped in silence.

mod common;

use common::*;
use std::path::Path;
use std::sync::OnceLock;

/// The example built for 31 October 2026, the last day of Octobre rose (and the day of the
/// example's latest confirmations, none of which may lie in the future), once for every test here.
fn example() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut o = opts(root, &tmp.path().join("public"));
        o.today = jiff::civil::date(2026, 10, 31);
        let report = maillage::build(&o).unwrap_or_else(|e| panic!("l’exemple ne se construit pas : {e:?}"));
        // The example keeps a few stale facts on purpose (M066); nothing else is reported.
        assert!(report.warnings.iter().all(|d| d.code == "M066"), "{:#?}", report.warnings);
        tmp
    })
    .path()
}

fn page(rel: &str) -> String {
    read(&example().join("public"), rel)
}

/// The session of a page (an `li.session`) that mentions `needle`.
fn session<'a>(html: &'a str, needle: &str) -> &'a str {
    html.split("<li class=\"session")
        .skip(1)
        .map(|s| s.split("</li>").next().unwrap())
        .find(|s| s.contains(needle))
        .unwrap_or_else(|| panic!("aucune séance « {needle} »"))
}

#[test]
fn a_session_in_a_hospital_outside_the_territory_is_shown_as_such_and_counts_nowhere() {
    let html = page("prevention/octobre-rose-2026/index.html");
    let s = session(&html, "centre hospitalier de la Dracénie");
    assert!(s.contains("Draguignan <span class=\"tag\">hors territoire</span>"), "{s}");
    // No directory page to link to: Draguignan is not a commune of the territory.
    assert!(!s.contains("/annuaire/commune/draguignan/"), "{s}");
    assert!(!example().join("public/annuaire/commune/draguignan").exists());
    let about = page("la-cpts/index.html");
    assert!(!about.contains("Draguignan"), "{about}");
    // The territory's population and size are those of its 13 communes.
    assert!(about.contains("Les 13 communes du territoire (73\u{202f}427 habitants"), "{about}");
    // Calendars and structured data locate it in Draguignan, with its postcode.
    let ics = page("prevention/octobre-rose-2026/seances.ics").replace("\r\n ", "");
    assert!(ics.contains("Route de Montferrat\\, Draguignan"), "{ics}");
    assert!(html.contains("\"addressLocality\":\"Draguignan\""), "{html}");
    assert!(html.contains("\"postalCode\":\"83300\""), "{html}");
    // The card lists it with the territory's communes.
    let prevention = page("prevention/index.html");
    assert!(prevention.contains("Draguignan (hors territoire)"), "{prevention}");
}

#[test]
fn free_paid_and_unstated_prices_and_places_are_shown_as_written() {
    let html = page("prevention/octobre-rose-2026/index.html");
    let walk = session(&html, "Marche rose");
    assert!(walk.contains("<dt>Tarif</dt><dd>5\u{202f}€ reversés à la Ligue contre le cancer"), "{walk}");
    let market = session(&html, "Marché de Lorgues");
    assert!(market.contains("<dt>Tarif</dt><dd>Gratuit</dd>"), "{market}");
    // Nobody said whether Gonfaron's stand is free: nothing is printed.
    let gonfaron = session(&html, "Salle polyvalente de Gonfaron");
    assert!(!gonfaron.contains("Tarif") && !gonfaron.contains("Gratuit") && !gonfaron.contains("Payant"), "{gonfaron}");
    let ics = page("prevention/octobre-rose-2026/seances.ics");
    let gonfaron_event = ics.split("BEGIN:VEVENT").find(|e| e.contains("Gonfaron")).unwrap();
    assert!(!gonfaron_event.contains("Gratuit") && !gonfaron_event.contains("Payant"), "{gonfaron_event}");
    let workshop = session(&html, "Maison des associations");
    assert!(workshop.contains("<dt>Places</dt><dd>5\u{a0}places restantes sur 24</dd>"), "{workshop}");
    // A session over the whole month, with its hours in words.
    let pharmacy = session(&html, "Pharmacie des Maures");
    assert!(
        pharmacy.contains("au samedi 31 octobre 2026</time> – aux heures d’ouverture de la pharmacie"),
        "{pharmacy}"
    );
}

#[test]
fn partners_audiences_images_video_and_tables_of_a_campaign() {
    let html = page("prevention/octobre-rose-2026/index.html");
    assert!(
        html.contains("Pour qui&nbsp;: Femmes de 50 à 74\u{a0}ans, et toutes celles qui se posent des questions"),
        "{html}"
    );
    // Several partners, with logos (sanitised SVG, published under /images/) and links.
    let partners = html.split("<ul class=\"partners\">").nth(1).unwrap().split("</ul>").next().unwrap();
    assert_eq!(partners.matches("<li>").count(), 5, "{partners}");
    assert!(
        partners
            .contains("<a href=\"https://www.ameli.fr/var\"><img class=\"partner-logo\" src=\"/images/cpam-du-var-"),
        "{partners}"
    );
    assert!(partners.contains("alt=\"\""), "the name is written next to the logo: {partners}");
    let logo = attr_values(partners, "src").into_iter().find(|s| s.contains("cpam-du-var")).unwrap();
    assert!(example().join("public").join(logo.trim_start_matches('/')).is_file());
    // Images of the text: a raster one in several widths, an SVG with its caption.
    assert!(
        html.contains(
            "<figure class=\"prose-image\"><picture><source type=\"image/webp\" srcset=\"/images/stand-octobre-rose-"
        ),
        "{html}"
    );
    assert!(html.contains("<figcaption>Le stand du marché de Vidauban, en 2025</figcaption>"), "{html}");
    assert!(html.contains("<img src=\"/images/parcours-depistage-sein-"), "{html}");
    // The video is a link with a local poster: no frame, no request elsewhere.
    assert!(
        html.contains("<a class=\"video-link\" href=\"https://tube.cpts-pays-argens.fr/w/autopalpation-octobre-rose\""),
        "{html}"
    );
    assert!(html.contains("Voir la vidéo sur tube.cpts-pays-argens.fr"), "{html}");
    assert!(!html.contains("<iframe"), "{html}");
    // The table scrolls sideways in a focusable, named region.
    assert!(
        html.contains("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Tableau\u{a0}: Quand, Où, Quoi\"><table>"),
        "{html}"
    );
    // The original images are not published, their variants are.
    assert!(!example().join("public/images/stand-octobre-rose.png").exists());
}

#[test]
fn trainings_for_professionals_are_shown_apart_with_duration_and_places() {
    let slug = "formation-depistage-cancers-feminins-2026";
    let html = page(&format!("prevention/{slug}/index.html"));
    assert!(html.contains("<li>Formation pour les professionnels de santé</li>"), "{html}");
    assert!(html.contains("<li>Durée&nbsp;: 3\u{a0}heures, en soirée</li>"), "{html}");
    assert!(html.contains("Pour qui&nbsp;: Professionnels de santé\u{a0}: sages-femmes, pharmaciens, infirmiers et médecins généralistes"), "{html}");
    assert!(session(&html, "Espace santé").contains("3\u{a0}places restantes sur 16"), "{html}");
    let full = session(&html, "Maison de santé pluriprofessionnelle");
    assert!(
        full.contains("<span class=\"tag tag-full\">complet</span>") && full.contains("<dd>Complet</dd>"),
        "{full}"
    );
    assert!(html.contains("\"availability\":\"https://schema.org/SoldOut\""), "{html}");
    // Apart from public prevention: its own section, not the public calendar nor the home page.
    let prevention = page("prevention/index.html");
    let (public, pros) = prevention.split_once("id=\"formations\"").unwrap();
    assert!(!public.contains(slug), "la formation est listée avec la prévention grand public");
    assert!(pros.contains(&format!("/prevention/{slug}/")), "{pros}");
    assert!(!page("index.html").contains(slug));
    assert!(page("professionnels/index.html").contains(&format!("/prevention/{slug}/")));
}

#[test]
fn an_action_all_year_has_sessions_without_dates_and_is_never_archived() {
    let slug = "depistage-col-uterus-sages-femmes";
    for today in ["2026-10-31", "2031-01-01"] {
        let tmp = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut o = opts(root, &tmp.path().join("public"));
        o.today = today.parse().unwrap();
        maillage::build(&o).unwrap_or_else(|e| panic!("{e:?}"));
        let prevention = read(&tmp.path().join("public"), "prevention/index.html");
        let all_year = prevention.split("id=\"toute-l-annee\"").nth(1).unwrap().split("</section>").next().unwrap();
        assert!(all_year.contains(&format!("/prevention/{slug}/")), "{today}: {all_year}");
        assert!(!read(&tmp.path().join("public"), "prevention/archives/index.html").contains(slug));
    }
    let html = page(&format!("prevention/{slug}/index.html"));
    assert!(html.contains("<li>Quand&nbsp;: Toute l’année, sur rendez-vous</li>"), "{html}");
    assert!(html.contains("<h2 id=\"seances\">Où et quand</h2>"), "{html}");
    let s = session(&html, "Cabinet de sages-femmes du Muy");
    assert!(s.contains("<p class=\"session-when\">Le mardi et le jeudi, sur rendez-vous"), "{s}");
    assert!(!s.contains("<time"), "{s}");
    // Nothing to add to a calendar, no date invented.
    assert!(!html.contains("à mon agenda"), "{html}");
    assert!(!page(&format!("prevention/{slug}/seances.ics")).contains("BEGIN:VEVENT"));
}

#[test]
fn useful_contacts_with_several_numbers_or_only_a_link() {
    let html = page("contacts/index.html");
    assert!(html.contains("Ligne réservée aux professionnels de santé&nbsp;: <a href=\"tel:+33465712791\">"), "{html}");
    let sante = html.split("<strong>Santé.fr</strong>").nth(1).unwrap().split("</li>").next().unwrap();
    assert!(sante.contains("<a href=\"https://www.sante.fr\">Accéder au service"), "{sante}");
}

const ACTION: &str = "content/actions/atelier.md";

/// An action whose front matter ends with `extra` (sessions included) and whose body is `body`.
fn action(extra: &str, body: &str) -> String {
    format!("---\ntitre: Atelier\nresume: Un atelier.\n{extra}---\n{body}")
}

const SESSION: &str = "seances:\n  - date: 2026-12-01\n    lieu: Salle\n    commune: \"83073\"\n";

fn diagnostics(files: &[(&str, &str)]) -> Vec<(String, u32, &'static str, String, String)> {
    let s = site(files);
    maillage::check_site(&opts(s.path(), &public(s.path())))
        .into_iter()
        .map(|d| (d.file, d.line, d.code, d.message, d.hint.unwrap_or_default()))
        .collect()
}

#[test]
fn what_markdown_cannot_publish_is_reported_with_its_line() {
    let body = "Intro.\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n\n\
                ![Bannière](https://cdn.autre-site.fr/banniere.png)\n\n![](images/sans-alt.png)\n\n\
                ![Affiche](images/absente.png)\n\n<p style=\"color:red\">Rouge</p>\n";
    let png = "content/static/images/sans-alt.png";
    let found = diagnostics(&[(ACTION, &action(SESSION, body)), (png, "")]);
    let got: Vec<(&str, u32, &str)> = found.iter().map(|(f, l, c, _, _)| (f.as_str(), *l, *c)).collect();
    // The body starts on line 9 of the file.
    assert_eq!(
        got,
        [(ACTION, 11, "M086"), (ACTION, 13, "M086"), (ACTION, 15, "M044"), (ACTION, 17, "M043"), (ACTION, 19, "M086")],
        "{found:#?}"
    );
    assert!(found[0].3.contains("<iframe>") && found[0].4.contains("[![Affiche de la vidéo]"), "{found:#?}");
    assert!(found[1].3.contains("https://cdn.autre-site.fr/banniere.png"), "{found:#?}");
    assert!(found[4].3.contains("attribut style de <p>"), "{found:#?}");
}

#[test]
fn hostile_svgs_are_published_sanitised_and_what_goes_is_reported() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\">\n\
               <script>alert(2)</script>\n<image href=\"https://tracker.example/p.png\"/>\n\
               <rect width=\"10\" height=\"10\" fill=\"#c2185b\"/>\n</svg>\n";
    let body = "![Un carré rose](images/carre.svg)\n";
    // One SVG shown by a page (published as an image), one only copied from static/.
    let files = [
        (ACTION, action(SESSION, body)),
        ("content/static/images/carre.svg", svg.to_string()),
        ("content/static/images/autre.svg", svg.to_string()),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let found = diagnostics(&refs);
    let svg_notes: Vec<(u32, &str)> =
        found.iter().filter(|d| d.0 == "content/static/images/autre.svg").map(|d| (d.1, d.3.as_str())).collect();
    assert_eq!(
        svg_notes,
        [
            (1, "non publié dans l’image SVG : attribut onload (script)"),
            (2, "non publié dans l’image SVG : élément <script>"),
            (3, "non publié dans l’image SVG : référence externe href=\"https://tracker.example/p.png\""),
        ],
        "{found:#?}"
    );
    let s = site(&refs);
    build(s.path());
    let out = public(s.path());
    let tree = read_tree(&out);
    let published: Vec<&String> = tree.keys().filter(|k| k.ends_with(".svg") && k.starts_with("images/")).collect();
    assert_eq!(published.len(), 2, "{published:?}");
    assert!(published.iter().any(|k| k.starts_with("images/carre-")) && tree.contains_key("images/autre.svg"));
    assert!(!tree.contains_key("images/carre.svg"), "l’original d’une image publiée ne l’est pas");
    for k in published {
        let text = String::from_utf8_lossy(&tree[k]);
        for bad in ["alert", "onload", "tracker", "<script"] {
            assert!(!text.contains(bad), "{bad} dans {k} : {text}");
        }
        assert!(text.contains("<rect width=\"10\" height=\"10\" fill=\"#c2185b\"/>"), "{text}");
    }
}

#[test]
fn sessions_prices_places_and_communes_are_checked() {
    let cases: [(&str, &str, &str); 7] = [
        // A commune of the official table outside the territory, not declared so.
        ("    commune: \"83050\"\n", "M040", "hors_territoire: true"),
        // Declared outside, but the code is no commune.
        ("    commune: \"83999\"\n    hors_territoire: true\n", "M069", "code INSEE"),
        ("    commune: \"83073\"\n    gratuit: true\n    prix: 5 €\n", "M068", "retirez"),
        ("    commune: \"83073\"\n    places: 10\n    places_restantes: 12\n", "M068", "places restantes"),
        ("    commune: \"83073\"\n    complet: true\n    places_restantes: 2\n", "M068", "complet"),
        ("    commune: \"83073\"\n    gratuit: false\n", "M058", "prix"),
        ("    commune: \"83073\"\n    hors_territoire: true\n", "M069", "retirez « hors_territoire: true »"),
    ];
    for (tail, code, hint) in cases {
        let seances = format!("seances:\n  - date: 2026-12-01\n    lieu: Salle\n{tail}");
        let found = diagnostics(&[(ACTION, &action(&seances, ""))]);
        assert_eq!(found.len(), 1, "{tail}: {found:#?}");
        assert_eq!(found[0].2, code, "{tail}: {found:#?}");
        assert!(format!("{} {}", found[0].3, found[0].4).contains(hint), "{tail}: {found:#?}");
    }
    // A session without a date belongs to a permanent action only.
    let undated = "seances:\n  - lieu: Salle\n    commune: \"83073\"\n    horaires: Sur rendez-vous\n";
    let found = diagnostics(&[(ACTION, &action(undated, ""))]);
    assert_eq!(found.iter().map(|d| (d.1, d.2)).collect::<Vec<_>>(), [(6, "M057")], "{found:#?}");
    assert!(diagnostics(&[(ACTION, &action(&format!("permanente: true\n{undated}"), ""))]).is_empty());
    assert!(diagnostics(&[(ACTION, &action("permanente: true\n", ""))]).is_empty());
    // A useful contact needs a number or a link.
    let contacts = "categories:\n  - nom: Services\n    numeros:\n      - nom: Rien\n        description: Sans moyen de contact.\n";
    let found = diagnostics(&[("content/contacts.yaml", contacts)]);
    assert_eq!(found.iter().map(|d| (d.1, d.2)).collect::<Vec<_>>(), [(4, "M059")], "{found:#?}");
}

#[test]
fn images_and_frames_in_the_texts_of_yaml_files_are_reported_at_their_key() {
    let cpts = format!(
        "{CPTS_YAML}presentation: |\n  Bienvenue ![Logo](images/logo.png).\n\n  <iframe src=\"https://video.autre-site.fr\"></iframe>\n"
    );
    let found = diagnostics(&[("content/cpts.yaml", &cpts)]);
    // Reported where the text starts, the line after « presentation: | ».
    let line = CPTS_YAML.lines().count() as u32 + 2;
    let got: Vec<(u32, &str)> = found.iter().map(|d| (d.1, d.2)).collect();
    assert_eq!(got, [(line, "M086"), (line, "M086")], "{found:#?}");
    assert!(found[0].3.contains("l’image images/logo.png") && found[0].4.contains("texte d’une page"), "{found:#?}");
    assert!(found[1].3.contains("<iframe>"), "{found:#?}");
}
