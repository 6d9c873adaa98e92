//! The limits on what Maillage reads. Every file it takes from a site (content, theme,
//! templates), from an import or from its own earlier runs is measured before it is read and
//! refused above its limit; it is then read through a reader that stops one byte past the limit,
//! so a file that grows while it is read is refused too. Memory stays bounded whatever the input.
//! docs/guide/fichiers.md and docs/guide/import.md give these limits to coordinators.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Largest text file of a site Maillage reads (YAML, Markdown, GeoJSON, templates): 10 MiB. The
/// biggest real content file is a few kilobytes; anything near this is a mistake (a wrong export,
/// a PDF renamed), and refusing it keeps every later stage fast.
pub const MAX_TEXT_BYTES: u64 = 10 * 1024 * 1024;

/// Largest file published as it is (`content/static/`, `content/documents/`, a theme's
/// `static/`): 100 MiB. Such files are held in memory during a build; a poster or a protocol in
/// PDF weighs a few megabytes, a short video a few tens.
pub const MAX_ASSET_BYTES: u64 = 100 * 1024 * 1024;

/// Largest manifest of an output folder (`.maillage-build`) read back: 256 MiB, room for
/// millions of files. A bigger one is not Maillage's and reads as no manifest.
pub const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;

/// Largest file of warnings a build keeps for the next one (`.maillage/cache/avertissements.txt`)
/// read back: 256 MiB, about 700 000 warnings. A bigger one is ignored: the next build checks again.
pub const MAX_WARNINGS_BYTES: u64 = 256 * 1024 * 1024;

/// Largest spreadsheet `maillage import csv|xlsx` reads (CSV, XLSX, XLS, ODS): 50 MiB, checked
/// before reading. A CPTS's list of members weighs a few hundred kilobytes; national extracts
/// go through `import rpps` and `import finess`, which stream their file whatever its size.
pub const MAX_SPREADSHEET_BYTES: u64 = 50 * 1024 * 1024;

/// Largest entry of a zip archive (XLSX, ODS) once inflated: 100 MiB.
pub const MAX_ARCHIVE_ENTRY_BYTES: u64 = 100 * 1024 * 1024;

/// Largest zip archive (XLSX, ODS) once inflated, all entries together: 200 MiB.
pub const MAX_ARCHIVE_BYTES: u64 = 200 * 1024 * 1024;

/// Most an entry of a zip archive may grow when inflated, above its first MiB: 100 times. A
/// spreadsheet's XML grows ten to thirty times; a zip bomb a thousand.
pub const MAX_ARCHIVE_RATIO: u64 = 100;

/// Most entries a zip archive (XLSX, ODS) may hold: 10 000 (a workbook has a few dozen).
pub const MAX_ARCHIVE_ENTRIES: usize = 10_000;

/// Rightmost column of a spreadsheet an import reads: the 256th (`IV`). A list of members has
/// a few dozen columns; a value far to the right would make the sheet's grid enormous.
pub const MAX_SHEET_COLUMNS: u32 = 256;

/// Most cells the grids of an ODS workbook's sheets may hold together, counted from the first
/// to the last row holding a value and up to the rightmost one, repeated rows and columns
/// included: 1 000 000 (25 000 rows of 40 columns). The spreadsheet reader builds each grid
/// whole, about 60 bytes a cell; a few bytes of XML repeating a row a million times would
/// otherwise declare billions.
pub const MAX_SHEET_CELLS: u64 = 1_000_000;

/// Longest cell of a spreadsheet an import takes, in characters: 1 000. A name, an address or a
/// list of opening hours is far shorter; a longer cell is a pasted document, and its row is
/// refused rather than written into a member file.
pub const MAX_CELL_CHARS: usize = 1000;

/// Why a bounded read gave nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file is bigger than the limit (`size` is what was seen: its length, or more than the
    /// limit when it grew while being read).
    #[error("fichier trop gros : {} Mo, au-delà de la limite de {} Mo", megabytes(*size), whole_megabytes(*limit))]
    TooBig {
        /// Size seen, in bytes.
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// Not a regular file (a folder, a pipe, a device): it is not opened, since opening a pipe
    /// would wait for a writer forever.
    #[error("ce n’est pas un fichier ordinaire")]
    NotAFile,
    /// The system refused the read.
    #[error("{}", crate::french::io_error(.0))]
    Io(#[from] io::Error),
}

/// Reads the whole file at `path` (following symbolic links) if it holds at most `limit` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooBig { size: meta.len(), limit });
    }
    let file = fs::File::open(path)?;
    read_at_most(file, meta.len(), limit)
}

/// Reads `reader` to its end if it gives at most `limit` bytes; `expected` sizes the buffer
/// (capped at the limit).
pub fn read_at_most(reader: impl Read, expected: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(expected.min(limit) as usize);
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// Reads a text file of at most `limit` bytes; `None` when it cannot be read, is too big or is
/// not UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Option<String> {
    read_file(path, limit).ok().and_then(|b| String::from_utf8(b).ok())
}

/// A size in megabytes (MiB) with one decimal and a decimal comma (`52,4`).
pub fn megabytes(bytes: u64) -> String {
    let tenths = (u128::from(bytes) * 10 + 512 * 1024) / (1024 * 1024);
    format!("{},{}", tenths / 10, tenths % 10)
}

/// A limit in whole megabytes (MiB), as the messages and the documentation state them (`10`).
pub fn whole_megabytes(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked_before_and_while_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_file(&path, 10).unwrap(), b"0123456789");
        assert!(matches!(read_file(&path, 9), Err(ReadError::TooBig { size: 10, limit: 9 })));
        // A reader that gives more than announced is cut one byte past the limit.
        let endless = io::repeat(b'x');
        assert!(matches!(read_at_most(endless, 0, 1000), Err(ReadError::TooBig { size: 1001, limit: 1000 })));
        assert!(matches!(read_file(dir.path(), 10), Err(ReadError::NotAFile)));
        assert!(matches!(read_file(&dir.path().join("absent"), 10), Err(ReadError::Io(_))));
    }

    #[test]
    fn megabytes_with_a_decimal_comma() {
        assert_eq!(megabytes(52 * 1024 * 1024 + 400 * 1024), "52,4");
        assert_eq!(megabytes(3 * 1024 * 1024 * 1024), "3072,0");
        assert_eq!(megabytes(u64::MAX), "17592186044416,0");
    }
}
