//! No input makes Maillage panic or hang, and hostile inputs get a clear French diagnostic.
//!
//! Property tests with a small deterministic generator (no dependency): random bytes, random
//! mutations of the example's real content files, structure-aware YAML built from the real keys,
//! and random Markdown mixing allowed and forbidden HTML. Each input goes through the UTF-8
//! check, the front-matter splitter, the YAML decoder into every record type, and the Markdown
//! renderer; some go through a whole `check` of a site.
//!
//! `MAILLAGE_PROPTEST_CASES` sets the number of inputs of each of the four families (default
//! 250, so `cargo test` stays fast); `MAILLAGE_PROPTEST_SEED` replays a run. The full run of
//! 100 000 inputs:
//!
//! ```sh
//! MAILLAGE_PROPTEST_CASES=25000 cargo test --release --test robustness -- --nocapture
//! ```

mod common;
#[path = "../fuzz/entry.rs"]
mod entry;

use common::*;
use maillage::diagnostic::Diagnostic;
use maillage::model::{
    ActionMeta, ContactsFile, Cpts, DocumentFile, IndicatorsFile, MemberFile, NewsMeta, OfferMeta, PageMeta,
    ResourceFile,
};
use maillage::render::markdown::to_html;
use maillage::source::{decode_yaml, split_front_matter, utf8_text};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

/// A small xorshift generator: deterministic, seedable, enough for fuzzing.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn cases() -> usize {
    std::env::var("MAILLAGE_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(250)
}

fn seed() -> u64 {
    std::env::var("MAILLAGE_PROPTEST_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20261122)
}

/// Decodes `yaml` into every record type; returns the diagnostics (any outcome is fine as long
/// as nothing panics).
fn decode_everything(yaml: &str) -> Vec<Option<Diagnostic>> {
    vec![
        decode_yaml::<MemberFile>("x.yaml", yaml).err(),
        decode_yaml::<ActionMeta>("x.md", yaml).err(),
        decode_yaml::<OfferMeta>("x.md", yaml).err(),
        decode_yaml::<NewsMeta>("x.md", yaml).err(),
        decode_yaml::<PageMeta>("x.md", yaml).err(),
        decode_yaml::<Cpts>("x.yaml", yaml).err(),
        decode_yaml::<ContactsFile>("x.yaml", yaml).err(),
        decode_yaml::<IndicatorsFile>("x.yaml", yaml).err(),
        decode_yaml::<ResourceFile>("x.yaml", yaml).err(),
        decode_yaml::<DocumentFile>("x.yaml", yaml).err(),
    ]
}

/// Every diagnostic must be usable: a code, a French message, a position on an existing line.
fn assert_sound(d: &Diagnostic, text: &str) {
    assert!(d.code.starts_with('M') && d.code.len() == 4, "{d:?}");
    assert!(!d.message.is_empty(), "{d:?}");
    let lines = text.lines().count().max(1) as u32;
    assert!(d.line <= lines + 1, "ligne {} sur {lines} : {d:?}", d.line);
}

/// The whole per-file path of Maillage on one input.
fn exercise(bytes: &[u8]) {
    let Ok(text) = utf8_text("x", bytes) else { return };
    let text = text.as_ref();
    for d in decode_everything(text).into_iter().flatten() {
        assert_sound(&d, text);
    }
    if let Ok(fm) = split_front_matter("x.md", text) {
        let padded = fm.padded_yaml();
        for d in decode_everything(&padded).into_iter().flatten() {
            assert_sound(&d, text);
        }
        assert_safe_html(&to_html(fm.body));
    }
    assert_safe_html(&to_html(text));
}

/// Rendered Markdown never carries a script, an event handler, a `javascript:` link, a style
/// or a frame, whatever the input (as text, escaped, these words are harmless).
fn assert_safe_html(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "<style", "<iframe", "<object", "<embed", "<form", "<img", "<svg", "<math"] {
        assert!(!lower.contains(bad), "« {bad} » dans :\n{html}");
    }
    for tag in tags(html) {
        let (_, attrs) = parse_tag(tag);
        for (name, value) in attrs {
            assert!(!name.starts_with("on") && name != "style", "attribut {name} dans {tag}");
            let v: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            for scheme in ["javascript:", "data:", "vbscript:"] {
                assert!(!v.starts_with(scheme), "lien {scheme} dans {tag}");
            }
        }
    }
}

/// Runs `f` on each input, naming the input that panicked.
fn run_all(family: &str, inputs: impl Iterator<Item = Vec<u8>>) -> usize {
    let start = Instant::now();
    let mut n = 0;
    for input in inputs {
        n += 1;
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| exercise(&input))) {
            let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
            panic!(
                "{family} : panique sur l’entrée n° {n} (graine {}) : {}\nentrée : {:?}",
                seed(),
                msg.unwrap_or_default(),
                String::from_utf8_lossy(&input)
            );
        }
    }
    eprintln!("{family} : {n} entrées en {:.2?}", start.elapsed());
    n
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng::new(seed());
    let inputs = (0..cases()).map(move |_| {
        let len = rng.below(600);
        // Mostly ASCII with YAML's special characters, sometimes any byte.
        const ALPHABET: &[u8] = b"abc: -#&*!|>'\"[]{},\n\t  ---\r%@`?~0123456789.";
        (0..len).map(|_| if rng.chance(98) { *rng.pick(ALPHABET) } else { rng.next() as u8 }).collect::<Vec<u8>>()
    });
    assert_eq!(run_all("octets", inputs), cases());
}

/// Every YAML and Markdown file of the example CPTS.
fn real_files() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut out = Vec::new();
    for dir in ["", "membres", "actions", "offres", "actualites", "pages", "ressources", "documents"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "yaml" || x == "md") {
                out.push(std::fs::read(p).unwrap());
            }
        }
    }
    out.sort();
    out
}

/// Pieces that tend to break YAML and Markdown when inserted anywhere.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    " : ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "*b",
    "&b [*a, *a]",
    "\t",
    "\"",
    "'",
    "#",
    "---\n",
    "|\n",
    ">-\n",
    "\n",
    "\n  ",
    "    ",
    "!!str ",
    "!x ",
    "? ",
    "%YAML 1.2\n",
    "~",
    "null",
    "oui",
    "2026-02-30",
    "25:99",
    "\u{feff}",
    "é",
    "\u{202f}",
    "\u{0}",
    "\r\n",
    "<script>",
    "<a href=\"javascript:x\">",
    "](javascript:x)",
    "```",
    "<details>",
    "</span>",
    "&amp;",
    "&#0;",
    "\\",
    "%",
    "@",
    "*",
    "_",
    "<<: *a\n",
];

fn mutate(rng: &mut Rng, original: &[u8]) -> Vec<u8> {
    let mut b = original.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = if b.is_empty() { 0 } else { rng.below(b.len() + 1) };
        match rng.below(6) {
            0 => b.splice(at..at, rng.pick(TOKENS).bytes()).for_each(drop),
            1 if !b.is_empty() => {
                let end = (at + rng.below(40)).min(b.len());
                b.drain(at.min(end)..end);
            }
            2 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            3 if !b.is_empty() => {
                let start = rng.below(b.len());
                let end = (start + rng.below(200)).min(b.len());
                let chunk = b[start..end].to_vec();
                b.splice(at..at, chunk).for_each(drop);
            }
            4 => {
                // Swap two lines: breaks indentation and structure.
                let text = String::from_utf8_lossy(&b).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.len() > 2 {
                    let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(i, j);
                }
                b = lines.join("\n").into_bytes();
            }
            _ => b.truncate(at),
        }
    }
    b
}

/// Small images in every format the image pipeline reads: the seeds of the image mutations.
fn image_seeds() -> Vec<Vec<u8>> {
    use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};
    let rgba = RgbaImage::from_fn(48, 32, |x, y| Rgba([(x * 5) as u8, (y * 7) as u8, 90, if x < 4 { 0 } else { 255 }]));
    let rgb = DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba.clone()).to_rgb8());
    let mut out = Vec::new();
    for (img, format) in [
        (DynamicImage::ImageRgba8(rgba.clone()), ImageFormat::Png),
        (rgb.clone(), ImageFormat::Png),
        (rgb.clone(), ImageFormat::Jpeg),
        (rgb, ImageFormat::Gif),
        (DynamicImage::ImageRgba8(rgba), ImageFormat::WebP),
    ] {
        let mut bytes = std::io::Cursor::new(Vec::new());
        img.write_to(&mut bytes, format).unwrap();
        out.push(bytes.into_inner());
    }
    out
}

#[test]
fn mutated_images_never_panic() {
    use maillage::render::images::{ImageError, encode};
    let seeds = image_seeds();
    let mut rng = Rng::new(seed());
    let start = Instant::now();
    let (mut decoded, mut refused) = (0, 0);
    for n in 0..cases() {
        let original = rng.pick(&seeds).clone();
        let input = mutate(&mut rng, &original);
        // A small pixel budget: a mutated header may claim a huge image.
        match catch_unwind(AssertUnwindSafe(|| encode(&input, 100_000))) {
            Err(_) => panic!("image n° {n} (graine {}) : panique sur {} octets", seed(), input.len()),
            Ok(Ok(e)) => {
                decoded += 1;
                assert!(e.variants.iter().all(|v| v.width <= e.width && !v.bytes.is_empty()));
            }
            Ok(Err(ImageError::Encode(m))) => {
                panic!("image n° {n} (graine {}) : décodée mais pas encodée : {m}", seed())
            }
            Ok(Err(_)) => refused += 1,
        }
    }
    eprintln!("images : {decoded} décodées, {refused} refusées, en {:.2?}", start.elapsed());
    assert_eq!(decoded + refused, cases());
    assert!(seeds.iter().all(|s| encode(s, 100_000).is_ok()));
}

#[test]
fn mutations_of_real_content_never_panic() {
    let files = real_files();
    assert!(files.len() > 100, "le contenu d’exemple est introuvable");
    let mut rng = Rng::new(seed() ^ 1);
    let inputs = (0..cases()).map(move |_| {
        let original = rng.pick(&files).clone();
        mutate(&mut rng, &original)
    });
    assert_eq!(run_all("mutations", inputs), cases());
}

/// Keys of the content files, so that generated documents reach deep into the decoders.
const KEYS: &[&str] = &[
    "civilite",
    "titre",
    "prenom",
    "nom",
    "raison_sociale",
    "profession",
    "structure",
    "specialite",
    "rpps",
    "adeli",
    "finess",
    "siret",
    "exercice",
    "lieux",
    "adresse",
    "code_postal",
    "commune",
    "coordonnees",
    "telephone",
    "courriel",
    "prise_rdv",
    "horaires",
    "accessible_pmr",
    "accepte_nouveaux_patients",
    "visites_domicile",
    "langues",
    "presentation",
    "image",
    "src",
    "alt",
    "decorative",
    "membres",
    "publie",
    "resume",
    "mission",
    "referents",
    "documents",
    "seances",
    "date",
    "date_fin",
    "debut",
    "fin",
    "lieu",
    "gratuit",
    "prix",
    "lien",
    "brouillon",
    "type",
    "communes",
    "date_publication",
    "valide_jusqu_au",
    "logement",
    "contact",
    "membre",
    "menu",
    "categories",
    "numeros",
    "numero",
    "thematiques",
    "fichier",
    "public",
    "association",
    "rna",
    "territoire",
    "departement",
    "insee",
    "codes_postaux",
    "population",
    "centre",
    "hebergeur",
    "accessibilite",
    "statut",
    "site",
    "url",
    "chiffres_cles",
    "valeur",
    "libelle",
    "inconnue",
];

const SCALARS: &[&str] = &[
    "Le Luc",
    "\"83073\"",
    "83073",
    "'Assemblée : bilan'",
    "true",
    "false",
    "oui",
    "~",
    "null",
    "",
    "2026-10-14",
    "2026-02-30",
    "\"09:30\"",
    "9h30",
    "-1",
    "4294967296",
    "43.39",
    "1e400",
    ".nan",
    "\"04 94 00 00 00\"",
    "https://exemple.fr",
    "javascript:alert(1)",
    "\"\\u00e9\\x00\"",
    "'It''s'",
    "*a",
    "!!binary aGVsbG8=",
    "[]",
    "{}",
];

/// A random YAML value at `indent`, as block or flow text.
fn yaml_value(rng: &mut Rng, indent: usize, depth: usize) -> String {
    let pad = " ".repeat(indent);
    let kind = if depth > 6 { 0 } else { rng.below(8) };
    match kind {
        0..=2 => {
            let s = rng.pick(SCALARS).to_string();
            if rng.chance(10) { format!("&a {s}") } else { s }
        }
        3 => {
            let n = rng.below(4);
            let items: Vec<String> = (0..n).map(|_| rng.pick(SCALARS).to_string()).collect();
            format!("[{}]", items.join(", "))
        }
        4 => {
            let n = rng.below(3);
            let items: Vec<String> = (0..n).map(|_| format!("{}: {}", rng.pick(KEYS), rng.pick(SCALARS))).collect();
            format!("{{{}}}", items.join(", "))
        }
        5 => {
            let mut s = String::new();
            for _ in 0..1 + rng.below(3) {
                s.push('\n');
                s.push_str(&pad);
                s.push_str("- ");
                s.push_str(yaml_map(rng, indent + 2, depth + 1).trim_start());
            }
            s
        }
        6 => format!("|\n{pad}  ligne un : deux\n{pad}  ligne trois"),
        _ => {
            let mut s = String::from("\n");
            s.push_str(&yaml_map(rng, indent + 2, depth + 1));
            s.trim_end().to_string()
        }
    }
}

/// A random block mapping at `indent`.
fn yaml_map(rng: &mut Rng, indent: usize, depth: usize) -> String {
    let pad = " ".repeat(indent);
    let mut s = String::new();
    for _ in 0..1 + rng.below(6) {
        if rng.chance(5) {
            s.push_str(&format!("{pad}# commentaire\n"));
        }
        let key = rng.pick(KEYS);
        let value = yaml_value(rng, indent, depth);
        let sep = if value.starts_with('\n') { ":" } else { ": " };
        s.push_str(&format!("{pad}{key}{sep}{value}\n"));
    }
    s
}

#[test]
fn structured_yaml_never_panics() {
    let mut rng = Rng::new(seed() ^ 2);
    let inputs = (0..cases()).map(move |_| {
        let yaml = yaml_map(&mut rng, 0, 0);
        if rng.chance(30) { format!("---\n{yaml}---\nCorps *du* texte.\n").into_bytes() } else { yaml.into_bytes() }
    });
    assert_eq!(run_all("YAML structuré", inputs), cases());
}

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "`",
    "```\n",
    "> ",
    "- ",
    "1. ",
    "| a | b |\n|---|---|\n",
    "[lien](",
    ")",
    "](https://exemple.fr)",
    "](javascript:alert(1))",
    "](JAVASCRIPT:x)",
    "](data:text/html,x)",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:x\" onclick=\"y\">",
    "</a>",
    "<p style=\"x\">",
    "<abbr title=\"t\">",
    "</abbr>",
    "<details>",
    "<summary>",
    "<iframe src=//x>",
    "<svg onload=x>",
    "<!-- c -->",
    "<style>",
    "&lt;",
    "&#x3C;script&#x3E;",
    "<b onmouseover=x>",
    "texte : ",
    "« guillemets »",
    "!",
    "?",
    ";",
    "<table><tr><td onclick=x>",
    "<form action=x>",
    "<math><mi xlink:href=javascript:x>",
    "<a href=\" java\tscript:x\">",
];

#[test]
fn random_markdown_is_always_safe() {
    let mut rng = Rng::new(seed() ^ 3);
    let inputs = (0..cases()).map(move |_| {
        let n = rng.below(40);
        let mut s = String::new();
        for _ in 0..n {
            let piece: &&str = rng.pick(MARKDOWN);
            s.push_str(piece);
            if rng.chance(30) {
                s.push_str("mot ");
            }
        }
        s.into_bytes()
    });
    assert_eq!(run_all("Markdown", inputs), cases());
}

/// Mutated member and action files inside a whole site: check and render run on them too.
#[test]
fn mutated_files_in_a_whole_site_never_panic() {
    let mut rng = Rng::new(seed() ^ 4);
    let action = "---\ntitre: Vaccination\nresume: Une campagne.\nreferents: [claire-exemple]\nseances:\n  - date: 2027-01-15\n    debut: \"14:00\"\n    fin: \"16:00\"\n    lieu: Salle des fêtes\n    commune: \"83073\"\n---\n# Corps\n\nTexte <abbr title=\"x\">ici</abbr>.\n";
    let n = (cases() / 25).max(4);
    let start = Instant::now();
    for i in 0..n {
        let (path, original) =
            if i % 2 == 0 { (MEMBER_PATH, MEMBER_YAML) } else { ("content/actions/vaccination.md", action) };
        let mutated = mutate(&mut rng, original.as_bytes());
        let s = site(&[]);
        write_bytes(s.path(), path, &mutated);
        let result = catch_unwind(AssertUnwindSafe(|| maillage::check_site(&opts(s.path(), &public(s.path())))));
        assert!(result.is_ok(), "panique sur le site n° {i} : {path} =\n{:?}", String::from_utf8_lossy(&mutated));
    }
    eprintln!("sites entiers : {n} en {:.2?}", start.elapsed());
}

/// A short seeded run of every fuzz target (fuzz/, run for long with cargo-fuzz: see
/// fuzz/README.md): its seeds (the example's files and the test fixtures of its kind), the
/// inputs that once crashed it (fuzz/regressions/), and mutations of them, through the same entry
/// points. With `MAILLAGE_FUZZ_CORPUS=DIR`, the seeds are also written to `DIR/<target>/`, where
/// the fuzzer starts from.
#[test]
fn fuzz_targets_replay_their_seeds_and_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = entry::seeds(root);
    if let Ok(dir) = std::env::var("MAILLAGE_FUZZ_CORPUS") {
        for (target, name, bytes) in &seeds {
            let dir = Path::new(&dir).join(target);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    let start = Instant::now();
    for (i, (name, target)) in entry::TARGETS.iter().enumerate() {
        let mine: Vec<&Vec<u8>> = seeds.iter().filter(|(t, ..)| t == name).map(|(_, _, b)| b).collect();
        assert!(!mine.is_empty(), "{name} : aucune graine");
        let mut rng = Rng::new(seed() ^ (i as u64 + 10));
        let mut inputs: Vec<Vec<u8>> = mine.iter().map(|b| b.to_vec()).collect();
        for _ in 0..cases() / 5 {
            let original = rng.pick(&mine);
            let mutated = mutate(&mut rng, original);
            inputs.push(mutated);
        }
        for (n, input) in inputs.iter().enumerate() {
            if catch_unwind(AssertUnwindSafe(|| target(input))).is_err() {
                panic!("cible {name}, entrée n° {n} (graine {}) :\n{:?}", seed(), String::from_utf8_lossy(input));
            }
        }
    }
    entry::remove_import_site();
    eprintln!("cibles de fuzzing : {} graines rejouées, avec leurs mutations, en {:.2?}", seeds.len(), start.elapsed());
}

// ── Hostile files: each gives a clear French diagnostic, quickly.

/// Checks a minimal site with one extra file; returns its diagnostics for that file.
fn check_with(path: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    let s = site(&[]);
    write_bytes(s.path(), path, bytes);
    let start = Instant::now();
    let d = maillage::check_site(&opts(s.path(), &public(s.path())));
    eprintln!("{path} ({} octets) : vérifié en {:.2?}", bytes.len(), start.elapsed());
    d.into_iter().filter(|d| d.file == path).collect()
}

fn write_bytes(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn one(diagnostics: &[Diagnostic]) -> &Diagnostic {
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    &diagnostics[0]
}

#[test]
fn billion_laughs_is_refused() {
    let mut yaml = String::from("lol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    // At the top of a member file: the unknown key stops the decoder before any expansion.
    let d = check_with("content/membres/bombe.yaml", yaml.as_bytes());
    assert_eq!((one(&d).code, one(&d).message.as_str()), ("M013", "clé inconnue « lol »"));
    // The same anchors inside a list the member accepts: the nested list is refused at once.
    let anchors: Vec<&str> = yaml.lines().map(|l| l.split_once(": ").unwrap().1).collect();
    let hidden = format!("{MEMBER_YAML}langues: [{}]\n", anchors.join(", "));
    let d = check_with("content/membres/bombe.yaml", hidden.as_bytes());
    assert_eq!((one(&d).code, one(&d).line), ("M015", 15), "{d:#?}");
    assert_eq!(one(&d).message, "valeur de mauvais type : il faut ici un texte");
}

#[test]
fn alias_amplification_is_refused() {
    // 100 000 aliases of a 10 kB text: 1 GB once expanded, from a 400 kB file.
    let yaml = format!(
        "{}specialite: &a \"{}\"\nlangues: [{}]\n",
        MEMBER_YAML.replace("rpps: \"10000000009\"\n", ""),
        "x".repeat(10_000),
        "*a, ".repeat(100_000)
    );
    let d = check_with("content/membres/echo.yaml", yaml.as_bytes());
    let d = one(&d);
    assert_eq!(d.code, "M016");
    assert_eq!(d.message, "fichier YAML trop gros ou trop imbriqué (alias ou profondeur excessifs)");
    assert!(d.hint.as_deref().is_some_and(|h| h.contains("ancres")), "{d:?}");
}

#[test]
fn deep_nesting_is_refused() {
    let deep_seq = format!("{MEMBER_YAML}langues: {}\n", "[".repeat(10_000));
    let d = check_with("content/membres/profond.yaml", deep_seq.as_bytes());
    assert_eq!((one(&d).code, one(&d).line), ("M016", 15), "{d:#?}");
    assert_eq!(one(&d).message, "fichier YAML trop gros ou trop imbriqué (alias ou profondeur excessifs)");

    let deep_map = format!("{MEMBER_YAML}{}\n", "a: {".repeat(10_000));
    let d = check_with("content/membres/profond.yaml", deep_map.as_bytes());
    assert_eq!((one(&d).code, one(&d).message.as_str()), ("M013", "clé inconnue « a »"));

    // Block sequences nested 10 000 deep on one line, under a key that takes a list.
    let block = format!("{}lieux:\n  {}x\n", MEMBER_YAML.replace("publie: true\n", ""), "- ".repeat(10_000));
    let d = check_with("content/membres/profond.yaml", block.as_bytes());
    assert!(["M012", "M013", "M015", "M016"].contains(&one(&d).code), "{d:#?}");
    assert!(!one(&d).message.contains("expected"), "{d:#?}");

    // Markdown nesting: quotes, lists and HTML elements 10 000 deep.
    for body in ["> ".repeat(10_000), "- ".repeat(10_000), "<span>".repeat(10_000), "[".repeat(10_000)] {
        let page = format!("---\ntitre: Profond\n---\n{body}x\n");
        let d = check_with("content/pages/profond.md", page.as_bytes());
        assert!(d.is_empty(), "{d:#?}");
    }
}

#[test]
fn a_50_mb_file_is_refused_with_its_size() {
    let mut big = String::from("---\ntitre: Énorme\n---\n");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str("Une ligne de texte ordinaire, répétée jusqu’à cinquante mégaoctets.\n");
    }
    let d = check_with("content/pages/enorme.md", big.as_bytes());
    let d = one(&d);
    assert_eq!((d.code, d.line), ("M100", 0));
    assert_eq!(d.message, "fichier trop gros : 50,0 Mo, alors qu’un fichier de contenu ne dépasse pas 10 Mo");
}

#[test]
fn binary_garbage_is_reported_as_not_utf8() {
    let mut rng = Rng::new(7);
    let garbage: Vec<u8> = (0..1_000_000).map(|_| rng.next() as u8).collect();
    let d = check_with("content/membres/binaire.yaml", &garbage);
    let d = one(&d);
    assert_eq!(d.code, "M010");
    assert!(d.message.starts_with("le fichier n’est pas en UTF-8 (octet invalide à la position "), "{d:?}");

    // A PNG renamed .md: not UTF-8 either, and nothing else is reported about it.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let d = check_with("content/pages/image.md", png);
    assert_eq!((one(&d).code, one(&d).line, one(&d).column), ("M010", 1, 1));

    // Valid UTF-8 made of control characters: refused at the first one, with its place.
    let controls: String = (0..2000).map(|i| char::from(1 + (i % 8) as u8)).collect();
    let d = check_with("content/membres/controle.yaml", controls.as_bytes());
    assert_eq!((one(&d).code, one(&d).line, one(&d).column), ("M017", 1, 1), "{d:#?}");
}

#[test]
fn the_fuzz_targets_html_check_reads_attributes_as_a_browser_does() {
    let refused = |html: &str| catch_unwind(|| entry::assert_safe_html(html)).is_err();
    assert!(refused(r#"<p><a href="x" onclick="y">a</a></p>"#));
    assert!(refused(r#"<a title="a > b" href=" javascript:alert(1)">a</a>"#));
    assert!(refused("<a href=data:text/html,x>a</a>"));
    assert!(!refused(r#"<div aria-label="tableau : protocole, onnels concernés" tabindex="0">x</div>"#));
    assert!(!refused(r#"<a href="/soins/" title="on y va">a</a>"#));
}
