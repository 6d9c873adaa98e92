//! `maillage import csv` streams its file: the memory an import takes does not grow with the
//! rows it reads outside the territory. An allocator that counts the bytes held proves it (a
//! test binary of its own, so that no other test allocates meanwhile): ten times more rows take
//! no more memory, and far less than the file. No clock is involved.

mod common;

use maillage::import::{ImportKind, ImportOptions, import};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes held now and the most held since the last reset.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Writes a CSV of `rows` members: the first hundred in the territory, the others in Paris,
/// Lyon or Nantes (and one in a thousand without an address, refused).
fn spreadsheet(path: &Path, rows: usize) -> u64 {
    let mut csv = String::from("Nom;Prénom;Profession;Adresse;Code postal;Commune\n");
    let cities = [("75012", "Paris"), ("69003", "Lyon"), ("44000", "Nantes")];
    for i in 0..rows {
        let (cp, commune) = if i < 100 { ("83340", "Le Luc") } else { cities[i % 3] };
        let address = if i % 1000 == 7 { String::new() } else { format!("{} rue Haute", i % 90 + 1) };
        csv.push_str(&format!("NOM{i};Claire;Infirmière;{address};{cp};{commune}\n"));
    }
    fs::write(path, &csv).unwrap();
    csv.len() as u64
}

/// The most bytes held during a dry-run import of `file`, above what was held before it.
fn peak_of_import(root: &Path, file: &Path) -> (usize, u64) {
    let opts = ImportOptions {
        root: root.to_path_buf(),
        today: common::TODAY,
        dry_run: true,
        progress: false,
        map: Vec::new(),
    };
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let report = import(ImportKind::Csv, file, &opts).unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert!(report.rows.balanced(), "{}", report.render());
    (peak, report.rows.read)
}

#[test]
fn a_csv_import_holds_the_territory_and_the_first_rows_of_the_report_not_the_file() {
    let site = common::site(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (dir.path().join("petit.csv"), dir.path().join("grand.csv"));
    spreadsheet(&small, 10_000);
    let size = spreadsheet(&large, 100_000);
    // The first import loads what every import shares (the official communes table).
    peak_of_import(site.path(), &small);
    let (peak_small, read_small) = peak_of_import(site.path(), &small);
    let (peak_large, read_large) = peak_of_import(site.path(), &large);
    assert_eq!((read_small, read_large), (10_000, 100_000));
    // Both files have the same hundred members in the territory: the 90 000 more rows outside
    // (4 MB of the file) add nothing but noise.
    let growth = peak_large.saturating_sub(peak_small);
    assert!(
        growth < 512 * 1024,
        "100 000 rows took {peak_large} bytes at most, 10 000 rows {peak_small}, for a file of {size} bytes: the rows are held"
    );
}
