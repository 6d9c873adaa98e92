//! Micro-benchmarks of the build's stages on the example site: YAML decoding, Markdown with the
//! typography pass, the whole render in memory (templates), and writing the output.
//!
//! `cargo bench --bench stages` (divan prints the median and spread of each). Whole-site
//! comparisons with Hugo are in `bench/compare.sh`; nothing here runs in CI beyond compiling.

use maillage::model::{self, MemberFile};
use maillage::output::{self, Collect, Discard, OutputFile};
use maillage::source::{SourceFile, SourceKind};
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn options(output: PathBuf) -> maillage::BuildOptions {
    maillage::BuildOptions {
        root: example(),
        output,
        base_url: None,
        drafts: false,
        today: jiff::civil::date(2026, 11, 22),
        production: false,
    }
}

/// One member file decoded from YAML into the typed model.
#[divan::bench]
fn parse_member_yaml(bencher: divan::Bencher) {
    let rel = "content/membres/claire-martin.yaml";
    let file = SourceFile {
        kind: SourceKind::Member,
        rel: rel.to_string(),
        within: "claire-martin.yaml".to_string(),
        bytes: std::fs::read(example().join(rel)).expect("example member"),
    };
    bencher.bench(|| model::decode_file::<MemberFile>(divan::black_box(&file), false).is_ok());
}

/// The search for texts left to fill in the same member file, which decoding it includes: its
/// share of `parse_member_yaml`.
#[divan::bench]
fn placeholders_of_member(bencher: divan::Bencher) {
    let text = std::fs::read_to_string(example().join("content/membres/claire-martin.yaml")).expect("example member");
    bencher.bench(|| maillage::domain::placeholder::in_yaml(divan::black_box(&text), 1).len());
}

/// An action's Markdown body to HTML, then the French typography pass on a paragraph.
#[divan::bench]
fn markdown_and_typography(bencher: divan::Bencher) {
    let text = std::fs::read_to_string(example().join("content/actions/octobre-rose-2026.md")).expect("example action");
    let body = text.splitn(3, "---").nth(2).unwrap_or(&text).to_string();
    bencher.bench(|| {
        let html = maillage::render::markdown::to_html(divan::black_box(&body));
        maillage::render::text::typo(&html).len()
    });
}

/// The whole example (226 pages) loaded, checked and rendered in memory, nothing written:
/// mostly template rendering.
#[divan::bench(sample_count = 20)]
fn render_example_in_memory(bencher: divan::Bencher) {
    let opts = options(std::env::temp_dir().join("maillage-bench-unused"));
    bencher.bench(|| maillage::render_site(&opts, &Discard).map(|r| r.pages).unwrap_or(0));
}

/// Writing the example's 292 files into an empty folder (staging folder, then swapped in).
#[divan::bench(sample_count = 20)]
fn write_example(bencher: divan::Bencher) {
    let collect = Collect::default();
    let opts = options(std::env::temp_dir().join("maillage-bench-unused"));
    if let Err(e) = maillage::render_site(&opts, &collect) {
        panic!("example site: {e:?}");
    }
    let files: Vec<OutputFile> = collect.into_files();
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut run = 0;
    bencher.bench_local(|| {
        run += 1;
        let out = dir.path().join(run.to_string());
        output::write(&files, &out).map(|s| s.written).unwrap_or(0)
    });
}
