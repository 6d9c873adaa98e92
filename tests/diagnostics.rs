//! Every mistake of a site is reported at once, each with its file, line and code.

mod common;

use common::*;
use maillage::diagnostic::Severity;

#[test]
fn every_mistake_is_reported_at_once() {
    let (s, expected) = faulty_site();
    let diagnostics = maillage::check_site(&opts(s.path(), &public(s.path())));
    let found: Vec<_> = diagnostics.iter().map(|d| (d.file.as_str(), d.line, d.column, d.code)).collect();
    assert_eq!(found, expected, "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d.severity == Severity::Error));

    let by_code = |code: &str| diagnostics.iter().find(|d| d.code == code).unwrap();
    assert_eq!(by_code("M052").message, "profession « plombier » inconnue");
    assert_eq!(by_code("M040").message, "la commune « 83050 » n’est pas dans le territoire");
    assert!(by_code("M030").message.contains("10000000001"), "{}", by_code("M030").message);
    assert!(by_code("M030").message.contains("clé"), "{}", by_code("M030").message);
    assert_eq!(by_code("M014").message, "la clé obligatoire « publie » manque");
    assert_eq!(by_code("M015").message, "date invalide");
    assert_eq!(by_code("M041").message, "aucun membre « claire-exempel »");
    assert_eq!(by_code("M041").hint.as_deref(), Some("vouliez-vous dire « claire-exemple » ?"));
}

#[test]
fn a_faulty_site_is_not_built() {
    let (s, expected) = faulty_site();
    let out = public(s.path());
    match maillage::build(&opts(s.path(), &out)) {
        Err(maillage::BuildError::Content(d)) => assert_eq!(d.len(), expected.len(), "{d:#?}"),
        other => panic!("attendu une erreur de contenu, obtenu {other:?}"),
    }
    assert!(!out.exists());
}

#[test]
fn the_clean_site_has_no_diagnostic() {
    let s = site(&[]);
    assert_eq!(maillage::check_site(&opts(s.path(), &public(s.path()))), vec![]);
    assert!(!public(s.path()).exists(), "check_site n’écrit rien");
}

/// Values of a Markdown file's front matter are checked with positions counted from the first
/// line of the YAML; the diagnostic must count the opening `---` too, like decode errors do.
#[test]

fn check_positions_in_front_matter_count_the_opening_line() {
    let action = "---\ntitre: Vaccination\nresume: Une campagne.\nreferents:\n  - claire-exempel\nseances:\n  - date: 2027-01-15\n    lieu: Salle des fêtes\n    commune: \"99999\"\n---\nCorps.\n";
    let offer = "---\ntitre: Remplacement\ntype: remplacement\nresume: Une offre.\nprofession: plombier\ncommunes: [\"83073\"]\ndate_publication: 2026-06-01\nvalide_jusqu_au: 2027-06-30\ncontact:\n  courriel: offres@cpts-test.fr\n---\nCorps.\n";
    let s = site(&[("content/actions/vaccination.md", action), ("content/offres/remplacement.md", offer)]);
    let diagnostics = maillage::check_site(&opts(s.path(), &public(s.path())));
    let found: Vec<_> = diagnostics.iter().map(|d| (d.file.as_str(), d.line, d.column, d.code)).collect();
    assert_eq!(
        found,
        vec![
            ("content/actions/vaccination.md", 5, 5, "M041"),
            ("content/actions/vaccination.md", 9, 14, "M040"),
            ("content/offres/remplacement.md", 5, 13, "M052"),
        ],
        "{diagnostics:#?}"
    );
}
