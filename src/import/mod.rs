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
    merge::merge(source, candidates, &seen, opts, &mut report)?;
    if !report.rows.balanced() {
        // Never expected (the tests hold every fixture to it), but never hidden either.
        report.notes.push(format!(
            "décompte incohérent : {} lignes lues, {} comptées ; signalez-le",
            report.rows.read,
            report.rows.accounted()
        ));
    }
    if !opts.dry_run {
        // The editor's schemas list the members as they now are.
        let (site, _) = crate::model::parse(crate::source::load(&opts.root).0);
        crate::schema::refresh_site(&opts.root, site.as_ref())
            .map_err(|e| reader::io_err(&opts.root.join(crate::schema::SITE_DIR), e))?;
    }
    Ok(report)
}
