//! The build benchmark's generator still produces a site Maillage builds:
//! `bench/gen_territory.py` at N = 200 (Hugo is not needed here; `bench/compare.sh` runs it).

use std::path::Path;
use std::process::Command;

#[test]
fn the_synthetic_territory_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_territory.py");
    let status = Command::new("python3").arg(&script).arg("200").arg(&out).status().expect("python3 est nécessaire");
    assert!(status.success(), "gen_territory.py a échoué");
    let root = out.join("maillage");
    let opts = maillage::BuildOptions {
        root: root.clone(),
        output: root.join("public"),
        base_url: None,
        drafts: false,
        today: jiff::civil::date(2026, 11, 1),
        production: false,
    };
    let report = maillage::build(&opts).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.stats.written > 400, "{:?}", report.stats);
    assert!(
        root.join("public/annuaire/membre-000001/index.html").is_file()
            || root.join("public/annuaire/structure-000001/index.html").is_file()
    );
    // The Hugo twin carries the same members.
    let hugo = out.join("hugo/content/membres");
    assert_eq!(std::fs::read_dir(hugo).unwrap().count(), 200 + 1, "200 membres et _index.md");

    // Past 13 communes, a commune page shows (and maps) its 12 nearest neighbours only, so that
    // its weight does not grow with the territory.
    let communes = root.join("public/annuaire/commune");
    let pages: Vec<_> = std::fs::read_dir(&communes).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(pages.len() > 13, "{} communes", pages.len());
    for page in pages {
        let html = std::fs::read_to_string(page.join("index.html")).unwrap();
        assert!(html.contains("<h2>Communes voisines</h2>"), "{}", page.display());
        let nav = html.split(r#"aria-label="Communes voisines""#).nth(1).expect("liste des communes voisines");
        let nav = &nav[..nav.find("</nav>").unwrap()];
        assert_eq!(nav.matches("<li>").count(), 12, "{}", page.display());
        let map = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
        assert_eq!(map.matches("<a href=").count(), 13, "la commune et ses voisines : {}", page.display());
    }
}

/// `bench/gen_region.py` makes a region Maillage builds: CPTS over real communes of two
/// départements, shared members listed by neighbouring CPTS, a portal over them.
#[test]
fn the_synthetic_region_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("r");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_region.py");
    let status = Command::new("python3")
        .arg(&script)
        .args(["4", "300", root.to_str().unwrap(), "--departements", "83,04"])
        .status()
        .expect("python3 est nécessaire");
    assert!(status.success(), "gen_region.py a échoué");
    let opts = maillage::BuildOptions {
        root: root.clone(),
        output: tmp.path().join("public"),
        base_url: None,
        drafts: false,
        today: jiff::civil::date(2026, 11, 22),
        production: false,
    };
    let report = maillage::region::build_region(&opts).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(report.sites.len(), 4);
    let region = std::fs::read_to_string(root.join("region.yaml")).unwrap();
    assert!(region.contains("membres_communs: [partage-00001, partage-00002]"), "{region}");
    // One file, shown by the two neighbouring CPTS that list it.
    for cpts in ["cpts-002", "cpts-003"] {
        assert!(tmp.path().join(format!("public/{cpts}/annuaire/partage-00001/index.html")).is_file(), "{cpts}");
    }
    assert!(tmp.path().join("public/communes").read_dir().unwrap().count() > 100);
}
