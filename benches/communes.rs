//! The official commune table (`data/communes.tsv`): the parse paid once, on first use, and the
//! lookups `maillage init` makes.
//!
//! `cargo bench --bench communes` (divan prints the median and spread of each).

use maillage::domain::communes::{Table, table};

fn main() {
    divan::main();
}

/// Parsing the whole table and building its indexes.
#[divan::bench(sample_count = 20)]
fn parse() -> Table {
    Table::parse(include_str!("../data/communes.tsv")).unwrap_or_else(|e| panic!("{e}"))
}

/// An exact name, the French way.
#[divan::bench]
fn by_name(bencher: divan::Bencher) {
    let t = table();
    bencher.bench(|| t.by_name(divan::black_box("Cannet-des-Maures (Le)")).len());
}

/// The closest official names to a misspelt one, over every commune.
#[divan::bench]
fn closest(bencher: divan::Bencher) {
    let t = table();
    bencher.bench(|| t.closest(divan::black_box("Le Canet des Maures"), Some("83"), 6).len());
}
