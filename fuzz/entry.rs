//! The entry points of the fuzz targets: one function per parser or loader, taking the fuzzer's
//! bytes through the same path Maillage takes a file through. Shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/`) and by `tests/fuzz_corpus.rs`, which replays the seeds and the corpus
//! through them in every `cargo test`. Each function panics when Maillage misbehaves: a panic
//! of its own, a diagnostic without a place or a French message, unsafe HTML, or the quick YAML
//! reader reading something else than serde-saphyr.
#![allow(dead_code)]

use maillage::diagnostic::Diagnostic;
use maillage::model::{
    ActionMeta, ContactsFile, Cpts, DecodedFile, DocumentFile, IndicatorsFile, MemberFile, NewsMeta, OfferMeta,
    PageMeta, ResourceFile,
};
use maillage::source::{SourceFile, SourceKind, quick_yaml, split_front_matter, utf8_text};
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::path::Path;
use std::sync::LazyLock;

/// The day every check runs for.
const TODAY: jiff::civil::Date = jiff::civil::date(2026, 11, 22);

/// The example's cpts.yaml and contacts.yaml, decoded once: the site a fuzzed file joins.
static BASE: LazyLock<Vec<DecodedFile>> = LazyLock::new(|| {
    vec![
        decoded(SourceKind::Cpts, "content/cpts.yaml", include_bytes!("../content/cpts.yaml")),
        decoded(SourceKind::Contacts, "content/contacts.yaml", include_bytes!("../content/contacts.yaml")),
    ]
});

fn decoded(kind: SourceKind, rel: &str, bytes: &[u8]) -> DecodedFile {
    let within = rel.split_once('/').map_or(rel, |(_, w)| w.split_once('/').map_or(w, |(_, w)| w));
    DecodedFile::new(SourceFile { kind, rel: rel.to_string(), within: within.to_string(), bytes: bytes.to_vec() })
}

/// Every diagnostic must be usable: a code, a French message, a place on a line of the file.
fn assert_sound(d: &Diagnostic, bytes: &[u8]) {
    assert!(d.code.len() == 4 && d.code.starts_with('M'), "{d:?}");
    assert!(!d.message.trim().is_empty(), "{d:?}");
    // Lines as editors count them: a line feed, or a carriage return no line feed follows.
    let lone_cr =
        bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count() + usize::from(bytes.last() == Some(&b'\r'));
    let lines = (bytes.split(|&b| b == b'\n').count() + lone_cr) as u32;
    assert!(d.line <= lines + 1, "ligne {} sur {lines} : {d:?}", d.line);
}

/// Decodes `bytes` as a file of `kind` at `rel`; when it decodes, checks a site made of it and
/// the example's cpts.yaml and contacts.yaml (replaced by it when it is one of them).
fn file_in_a_site(kind: SourceKind, rel: &str, bytes: &[u8]) {
    let file = decoded(kind, rel, bytes);
    match &file.decoded {
        Err(d) => assert_sound(d, bytes),
        Ok(_) => {
            let mut files: Vec<DecodedFile> = BASE.iter().filter(|b| b.kind != kind).cloned().collect();
            files.push(file);
            let (site, diagnostics) = maillage::model::assemble(files);
            for d in diagnostics.iter().filter(|d| d.file == rel) {
                assert_sound(d, bytes);
            }
            if let Some(site) = site {
                // Drafts and production too: every check, placeholders as errors.
                let scope = maillage::check::Scope { today: TODAY, drafts: true, production: true };
                for d in maillage::check::check(&site, &scope).iter().filter(|d| d.file == rel) {
                    assert_sound(d, bytes);
                }
            }
        }
    }
}

/// `content/cpts.yaml`.
pub(crate) fn cpts(bytes: &[u8]) {
    file_in_a_site(SourceKind::Cpts, "content/cpts.yaml", bytes);
}

/// A member file.
pub(crate) fn member(bytes: &[u8]) {
    file_in_a_site(SourceKind::Member, "content/membres/fuzz.yaml", bytes);
}

/// An action: front matter and Markdown.
pub(crate) fn action(bytes: &[u8]) {
    file_in_a_site(SourceKind::Action, "content/actions/fuzz.md", bytes);
}

/// An offer: front matter and Markdown.
pub(crate) fn offer(bytes: &[u8]) {
    file_in_a_site(SourceKind::Offer, "content/offres/fuzz.md", bytes);
}

/// `content/contacts.yaml`.
pub(crate) fn contacts(bytes: &[u8]) {
    file_in_a_site(SourceKind::Contacts, "content/contacts.yaml", bytes);
}

/// `content/indicateurs.yaml`: the CPTS's results.
pub(crate) fn indicators(bytes: &[u8]) {
    file_in_a_site(SourceKind::Indicators, "content/indicateurs.yaml", bytes);
}

/// The front-matter splitter, then the news and page files built on it.
pub(crate) fn front_matter(bytes: &[u8]) {
    if let Ok(text) = utf8_text("x.md", bytes)
        && let Ok(fm) = split_front_matter("x.md", &text)
    {
        let padded = fm.padded_yaml();
        assert_eq!(padded.lines().count(), (fm.yaml_line as usize - 1) + fm.yaml.lines().count());
        assert!(text.ends_with(fm.body));
    }
    file_in_a_site(SourceKind::News, "content/actualites/fuzz.md", bytes);
    file_in_a_site(SourceKind::Page, "content/pages/fuzz.md", bytes);
}

/// The Markdown renderer and the link finder: whatever the text, the HTML carries no script,
/// no event handler, no style and no dangerous link, and every link found has a place in it.
pub(crate) fn markdown(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let html = maillage::render::markdown::to_html(&text);
    assert_safe_html(&html);
    let lines = text.lines().count().max(1) as u32;
    for link in maillage::model::links::in_markdown(&text, 1) {
        assert!(link.line >= 1 && link.line <= lines + 1 && link.column >= 1, "{link:?}");
    }
}

/// The tag at the start of `html` (from `<`) as a browser reads it: the tag's text, its
/// attributes (name, raw value) and its length in bytes. A quoted value may hold spaces and `>`
/// (found by fuzzing: `aria-label="…, onnels…"` is one attribute, not an `onnels` handler).
fn read_tag(html: &str) -> (&str, Vec<(&str, &str)>, usize) {
    let bytes = html.as_bytes();
    let mut i = 1;
    let skip = |i: &mut usize, stop: &dyn Fn(u8) -> bool| {
        while *i < bytes.len() && !stop(bytes[*i]) {
            *i += 1;
        }
    };
    skip(&mut i, &|b| b.is_ascii_whitespace() || b == b'>' || b == b'/');
    let mut attrs = Vec::new();
    loop {
        skip(&mut i, &|b| !(b.is_ascii_whitespace() || b == b'/'));
        if i >= bytes.len() || bytes[i] == b'>' {
            break;
        }
        let name_start = i;
        skip(&mut i, &|b| b.is_ascii_whitespace() || b == b'=' || b == b'>' || b == b'/');
        let name = &html[name_start..i];
        skip(&mut i, &|b| !b.is_ascii_whitespace());
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            skip(&mut i, &|b| !b.is_ascii_whitespace());
            match bytes.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let start = i + 1;
                    i = html[start..].find(q as char).map_or(html.len(), |e| start + e);
                    value = &html[start..i];
                    i = (i + 1).min(html.len());
                }
                _ => {
                    let start = i;
                    skip(&mut i, &|b| b.is_ascii_whitespace() || b == b'>');
                    value = &html[start..i];
                }
            }
        }
        attrs.push((name, value));
    }
    let end = (i + 1).min(html.len());
    (&html[..end], attrs, end)
}

/// No element or attribute that runs code or loads from elsewhere survives in rendered Markdown.
pub(crate) fn assert_safe_html(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "<style", "<iframe", "<object", "<embed", "<form", "<img", "<svg", "<math"] {
        assert!(!lower.contains(bad), "« {bad} » dans :\n{html}");
    }
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let (tag, attrs, len) = read_tag(&rest[start..]);
        for (name, value) in attrs {
            assert!(!name.starts_with("on") && name != "style", "attribut {name} dans {tag}");
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            for scheme in ["javascript:", "data:", "vbscript:"] {
                assert!(!value.starts_with(scheme), "lien {scheme} dans {tag}");
            }
        }
        rest = &rest[start + len.max(1)..];
    }
}

/// `content/communes.geojson`: outlines or one diagnostic, then the checks of places against
/// them in a site.
pub(crate) fn geojson(bytes: &[u8]) {
    if let Ok(text) = utf8_text("content/communes.geojson", bytes)
        && let Err(d) = maillage::domain::geo::outlines(&text, "content/communes.geojson")
    {
        assert_sound(&d, bytes);
    }
    file_in_a_site(SourceKind::CommunesGeojson, "content/communes.geojson", bytes);
}

/// Differential: what the quick YAML reader accepts, serde-saphyr reads the same, values and
/// places alike. The first byte picks the record type; the rest is the YAML.
pub(crate) fn quick_yaml(bytes: &[u8]) {
    let Some((&pick, rest)) = bytes.split_first() else { return };
    let Ok(yaml) = std::str::from_utf8(rest) else { return };
    match pick % 10 {
        0 => same_as_full::<MemberFile>(yaml),
        1 => same_as_full::<ActionMeta>(yaml),
        2 => same_as_full::<OfferMeta>(yaml),
        3 => same_as_full::<NewsMeta>(yaml),
        4 => same_as_full::<PageMeta>(yaml),
        5 => same_as_full::<ResourceFile>(yaml),
        6 => same_as_full::<DocumentFile>(yaml),
        7 => same_as_full::<Cpts>(yaml),
        8 => same_as_full::<ContactsFile>(yaml),
        _ => same_as_full::<IndicatorsFile>(yaml),
    }
}

fn same_as_full<T: DeserializeOwned + Debug>(yaml: &str) {
    let Some(quick) = quick_yaml::decode::<T>(yaml) else { return };
    match serde_saphyr::from_str::<T>(yaml) {
        Ok(full) => assert_eq!(format!("{quick:#?}"), format!("{full:#?}"), "lecture différente :\n{yaml}"),
        Err(e) => panic!("accepté par la lecture rapide, refusé par serde-saphyr ({e}) :\n{yaml}"),
    }
}

/// A site made of the example's cpts.yaml, in a folder of its own: the territory the import
/// readers place rows in, and where each input is written (the readers read a file).
static IMPORT_SITE: LazyLock<std::path::PathBuf> = LazyLock::new(|| {
    let root = import_site();
    std::fs::create_dir_all(root.join("content")).expect("dossier temporaire");
    std::fs::write(root.join("content/cpts.yaml"), include_bytes!("../content/cpts.yaml")).expect("cpts.yaml");
    root
});

/// The example's territory, read once: what the import targets place rows in, not what they fuzz.
static TERRITORY: LazyLock<maillage::import::territory::Territory> = LazyLock::new(|| {
    maillage::import::territory::Territory::load(IMPORT_SITE.as_path()).expect("territoire de l’exemple")
});

fn import_site() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("maillage-fuzz-{}", std::process::id()))
}

/// Removes the folder the import targets read their inputs from, once they are done.
pub(crate) fn remove_import_site() {
    let _ = std::fs::remove_dir_all(import_site());
}

/// Reads `bytes` as the file `name` with `read`, in the example's territory: whatever the bytes,
/// no panic, and nothing the report prints or a member file would hold carries a control
/// character.
fn import_file(
    name: &str,
    bytes: &[u8],
    read: fn(
        &Path,
        &maillage::import::territory::Territory,
        &maillage::import::ImportOptions,
    ) -> Result<maillage::import::Read, maillage::import::ImportError>,
) {
    let root = IMPORT_SITE.as_path();
    let opts = maillage::import::ImportOptions {
        root: root.to_path_buf(),
        today: TODAY,
        dry_run: true,
        progress: false,
        map: Vec::new(),
    };
    let path = root.join(name);
    std::fs::write(&path, bytes).expect("fichier d’entrée");
    let no_controls = |text: &str| !text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    match read(&path, &TERRITORY, &opts) {
        Err(e) => assert!(!e.to_string().trim().is_empty()),
        Ok(read) => {
            for c in &read.candidates {
                assert!(no_controls(&c.display_name()), "{:?}", c.display_name());
            }
            let report = read.report.render();
            assert!(no_controls(&report), "{report:?}");
        }
    }
}

/// `maillage import csv`: a coordinator's CSV (any encoding, any delimiter).
pub(crate) fn csv(bytes: &[u8]) {
    import_file("membres.csv", bytes, maillage::import::spreadsheet::read_csv);
}

/// `maillage import xlsx`: a workbook (XLSX, ODS, XLS: calamine tells them apart by their bytes).
pub(crate) fn workbook(bytes: &[u8]) {
    import_file("membres.xlsx", bytes, maillage::import::spreadsheet::read_workbook);
}

/// `maillage import rpps`: an Annuaire Santé extraction.
pub(crate) fn rpps(bytes: &[u8]) {
    import_file("annuaire.txt", bytes, maillage::import::rpps::read);
}

/// `maillage import finess`: an etalab FINESS file.
pub(crate) fn finess(bytes: &[u8]) {
    import_file("finess.csv", bytes, maillage::import::finess::read);
}

/// A fuzz target: takes any bytes, panics when Maillage misbehaves on them.
pub(crate) type Target = fn(&[u8]);

/// The fuzz targets by name, for the corpus replay.
pub(crate) const TARGETS: &[(&str, Target)] = &[
    ("cpts", cpts),
    ("member", member),
    ("action", action),
    ("offer", offer),
    ("front_matter", front_matter),
    ("markdown", markdown),
    ("contacts", contacts),
    ("indicators", indicators),
    ("geojson", geojson),
    ("quick_yaml", quick_yaml),
    ("csv", csv),
    ("workbook", workbook),
    ("rpps", rpps),
    ("finess", finess),
];

/// Where each target's seeds come from: folders of the project and how their files' names end.
/// Besides these, `fuzz/seeds/<target>/` and `fuzz/regressions/<target>/` (every crash found).
const SEED_FILES: &[(&str, &[(&str, &str)])] = &[
    ("cpts", &[("content", "cpts.yaml"), ("scaffold/content", "cpts.yaml"), ("tests/fixtures/schema/cpts", ".yaml")]),
    ("member", &[("content/membres", ".yaml"), ("tests/fixtures/schema/membre", ".yaml")]),
    ("action", &[("content/actions", ".md"), ("tests/fixtures/schema/action", ".md")]),
    ("offer", &[("content/offres", ".md"), ("tests/fixtures/schema/offre", ".md")]),
    ("front_matter", &[("content/actualites", ".md"), ("content/pages", ".md"), ("tests/fixtures/schema/page", ".md")]),
    ("markdown", &[("content/actions", ".md"), ("content/pages", ".md"), ("content/actualites", ".md")]),
    ("contacts", &[("content", "contacts.yaml"), ("tests/fixtures/schema/contacts", ".yaml")]),
    ("indicators", &[("content", "indicateurs.yaml")]),
    ("geojson", &[("content", ".geojson")]),
    ("csv", &[("tests/fixtures/import", ".csv")]),
    ("workbook", &[("tests/fixtures/import", ".xlsx"), ("tests/fixtures/import", ".ods")]),
    ("rpps", &[("tests/fixtures/import", ".txt")]),
    ("finess", &[("tests/fixtures/import", "finess_latin1.csv")]),
];

/// The quick reader's seeds: files of these targets, behind the byte that picks their type.
const QUICK_YAML_SEEDS: &[(&str, u8)] =
    &[("member", 0), ("action", 1), ("offer", 2), ("cpts", 7), ("contacts", 8), ("indicators", 9)];

/// Every seed of every target, read from the project at `root`: (target, name, bytes), sorted.
pub(crate) fn seeds(root: &Path) -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out = Vec::new();
    let files_of = |dir: &Path, end: &str| -> Vec<(String, Vec<u8>)> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut files: Vec<(String, Vec<u8>)> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                name.ends_with(end).then(|| std::fs::read(e.path()).ok().map(|b| (name, b)))?
            })
            .collect();
        files.sort();
        files
    };
    for (target, sources) in SEED_FILES {
        for (dir, end) in *sources {
            for (name, bytes) in files_of(&root.join(dir), end) {
                out.push((*target, format!("{}_{name}", dir.replace('/', "_")), bytes));
            }
        }
    }
    for (target, _) in TARGETS {
        for dir in ["fuzz/seeds", "fuzz/regressions"] {
            for (name, bytes) in files_of(&root.join(dir).join(target), "") {
                out.push((*target, name, bytes));
            }
        }
    }
    let quick: Vec<(&str, String, Vec<u8>)> = out
        .iter()
        .filter_map(|(target, name, bytes)| {
            let (_, pick) = QUICK_YAML_SEEDS.iter().find(|(t, _)| t == target)?;
            let yaml = if name.ends_with(".md") {
                let text = std::str::from_utf8(bytes).ok()?;
                split_front_matter("x.md", text).ok()?.padded_yaml().into_bytes()
            } else {
                bytes.clone()
            };
            Some(("quick_yaml", format!("{target}_{name}"), [vec![*pick], yaml].concat()))
        })
        .collect();
    out.extend(quick);
    out
}
