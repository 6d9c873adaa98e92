//! `maillage import`: members from the Annuaire Santé (RPPS), FINESS and coordinators'
//! spreadsheets, merged into `content/membres/*.yaml`.
//!
//! Each source has its reader ([`rpps`], [`finess`], [`spreadsheet`]): it reads the file and maps
//! its rows to [`Candidate`]s of the territory ([`territory`], [`tidy`]). Every import then goes
//! through the same [`merge::merge`] and the same [`Report`].

pub mod archive;
pub mod encoding;
pub mod finess;
pub mod merge;
pub mod reader;
pub mod report;
pub mod rpps;
pub mod spreadsheet;
pub mod territory;
pub mod tidy;
pub mod yaml_edit;

pub use reader::{Candidate, ImportError, ImportOptions, Place, Read, Seen, SourceKind};
pub use report::{FileChange, Report, RowCounts, RowError};

use std::path::Path;
use territory::Territory;

/// Where the full report of an import goes when the terminal's lists are cut short, under the
/// site root: `import-rpps.txt`, `import-csv.txt`… (the last import of each source).
pub const FULL_REPORT_DIR: &str = ".maillage/rapports";

/// The kinds of file `maillage import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Annuaire Santé extraction.
    Rpps,
    /// etalab FINESS file.
    Finess,
    /// CSV spreadsheet.
    Csv,
    /// XLSX, XLS or ODS workbook.
    Xlsx,
}

/// The date of an extract, when its source gives one: in the name of an Annuaire Santé file
/// (`PS_LibreAcces_Personne_activite_202605121035.txt`), on the first line of a FINESS file
/// (`finess;etalab;111;2026-05-12`). A coordinator's spreadsheet has none.
fn extract_date(kind: ImportKind, file: &Path) -> Option<jiff::civil::Date> {
    match kind {
        ImportKind::Rpps => {
            let name = file.file_name()?.to_string_lossy().into_owned();
            let digits: String =
                name.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
            let (y, m, d) = (digits.get(0..4)?, digits.get(4..6)?, digits.get(6..8)?);
            jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
        }
        ImportKind::Finess => {
            use std::io::{BufRead, Read};
            let mut first = Vec::new();
            std::io::BufReader::new(std::fs::File::open(file).ok()?).take(4096).read_until(b'\n', &mut first).ok()?;
            let first = String::from_utf8_lossy(&first);
            let mut fields = first.trim().split(';');
            (fields.next()? == "finess" && fields.next()? == "etalab").then_some(())?;
            fields.nth(1)?.trim().parse().ok()
        }
        ImportKind::Csv | ImportKind::Xlsx => None,
    }
}

/// Runs an import: reads `file`, merges it into `opts.root`, returns the report.
pub fn import(kind: ImportKind, file: &Path, opts: &ImportOptions) -> Result<Report, ImportError> {
    let territory = Territory::load(&opts.root)?;
    let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let (source, read) = match kind {
        ImportKind::Rpps => (SourceKind::Rpps, rpps::read(file, &territory, opts)?),
        ImportKind::Finess => (SourceKind::Finess, finess::read(file, &territory, opts)?),
        ImportKind::Csv => (SourceKind::Csv, spreadsheet::read_csv(file, &territory, opts)?),
        ImportKind::Xlsx => (SourceKind::Workbook, spreadsheet::read_workbook(file, &territory, opts)?),
    };
    let Read { candidates, seen, mut report } = read;
    report.source = source.label().to_string();
    report.file = name;
    let provenance = merge::Provenance { source, extract: extract_date(kind, file), today: opts.today };
    merge::merge(source, candidates, &seen, opts, &provenance, &mut report)?;
    if !report.rows.balanced() {
        // Never expected (the tests hold every fixture to it), but never hidden either.
        report.notes.push(format!(
            "décompte incohérent : {} lignes lues, {} comptées ; signalez-le",
            report.rows.read,
            report.rows.accounted()
        ));
    }
    if report.is_cut() {
        // The terminal shows the first rows of each list; every row is in the full report.
        let path = opts.root.join(FULL_REPORT_DIR).join(format!("import-{}.txt", source.command()));
        report.full_report = Some(path.clone());
        if let Err(e) = report.write_full(&path) {
            report.full_report = None;
            report.notes.push(format!(
                "le rapport complet n’a pas pu être écrit dans {} ({e}) : seules les premières lignes de chaque liste sont montrées",
                path.display()
            ));
        }
    }
    if !opts.dry_run {
        // The editor's schemas list the members as they now are.
        let (site, _) = crate::model::parse(crate::source::load(&opts.root).0);
        crate::schema::refresh_site(&opts.root, site.as_ref())
            .map_err(|e| reader::io_err(&opts.root.join(crate::schema::SITE_DIR), e))?;
    }
    Ok(report)
}
