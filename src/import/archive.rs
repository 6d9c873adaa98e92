//! Measuring a workbook before it is opened. XLSX and ODS files are zip archives: a 40 KB file
//! can inflate to gigabytes (a zip bomb), and the spreadsheet reader would hold all of it. Every
//! entry is inflated here once, counting bytes and never keeping them, and the file is refused as
//! soon as one limit is passed; only then does the spreadsheet reader open it.

use super::reader::{ImportError, io_err};
use crate::limits;
use std::io::{self, Read};
use std::path::Path;

/// Why an archive is refused, in French (the file's name is added by the caller).
fn refused(why: String) -> ImportError {
    ImportError::Format(why)
}

/// Refuses the workbook at `path` when it is bigger than [`limits::MAX_SPREADSHEET_BYTES`], or,
/// when it is a zip archive (XLSX, ODS), when an entry inflates beyond
/// [`limits::MAX_ARCHIVE_ENTRY_BYTES`] or [`limits::MAX_ARCHIVE_RATIO`] times its compressed
/// size, when all of them together inflate beyond [`limits::MAX_ARCHIVE_BYTES`], or when it has
/// more than [`limits::MAX_ARCHIVE_ENTRIES`] entries. Other files (XLS) are only measured.
pub fn check_workbook(path: &Path) -> Result<(), ImportError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_err(path, e))?;
    if meta.len() > limits::MAX_SPREADSHEET_BYTES {
        return Err(refused(format!(
            "{name} : fichier trop gros ({} Mo, au-delà de la limite de {} Mo d’un tableau)",
            limits::megabytes(meta.len()),
            limits::whole_megabytes(limits::MAX_SPREADSHEET_BYTES)
        )));
    }
    let mut file = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let mut magic = [0u8; 4];
    let zipped = file.read_exact(&mut magic).is_ok() && magic == *b"PK\x03\x04";
    if !zipped {
        return Ok(());
    }
    // Unreadable archives are left to the spreadsheet reader, which says so in its words.
    let Ok(mut archive) = zip::ZipArchive::new(file) else { return Ok(()) };
    if archive.len() > limits::MAX_ARCHIVE_ENTRIES {
        return Err(refused(format!(
            "{name} : archive de {} fichiers, au-delà de la limite de {} (ce n’est pas un tableau ordinaire)",
            archive.len(),
            limits::MAX_ARCHIVE_ENTRIES
        )));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index(i) else { return Ok(()) };
        let entry_name = entry.name().map(|n| crate::diagnostic::printable(&n).into_owned()).unwrap_or_default();
        let compressed = entry.compressed_size();
        // Never more than one byte past what any limit allows.
        let room =
            limits::MAX_ARCHIVE_ENTRY_BYTES.min(limits::MAX_ARCHIVE_BYTES - total).min(ratio_allowance(compressed));
        let inflated = match io::copy(&mut entry.take(room + 1), &mut io::sink()) {
            Ok(n) => n,
            // A damaged entry: the spreadsheet reader reports the file as unreadable.
            Err(_) => return Ok(()),
        };
        if inflated > room {
            let why = if inflated > limits::MAX_ARCHIVE_ENTRY_BYTES {
                format!(
                    "{entry_name} y dépasse {} Mo une fois décompressé",
                    limits::whole_megabytes(limits::MAX_ARCHIVE_ENTRY_BYTES)
                )
            } else if total + inflated > limits::MAX_ARCHIVE_BYTES {
                format!(
                    "son contenu dépasse {} Mo une fois décompressé",
                    limits::whole_megabytes(limits::MAX_ARCHIVE_BYTES)
                )
            } else {
                format!("{entry_name} y grossit plus de {} fois à la décompression", limits::MAX_ARCHIVE_RATIO)
            };
            return Err(refused(format!(
                "{name} : {why} ; ce n’est pas un tableau ordinaire (bombe de décompression ?) et il n’est pas lu"
            )));
        }
        total += inflated;
    }
    Ok(())
}

/// How many bytes an entry of `compressed` bytes may inflate to: [`limits::MAX_ARCHIVE_RATIO`]
/// times its size, and never less than 1 MiB (small XML files compress very well).
fn ratio_allowance(compressed: u64) -> u64 {
    compressed.saturating_mul(limits::MAX_ARCHIVE_RATIO).max(1024 * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip archive of `entries` (name, bytes), deflated.
    pub(crate) fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    fn check(bytes: &[u8]) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("membres.xlsx");
        std::fs::write(&path, bytes).unwrap();
        check_workbook(&path).map_err(|e| e.to_string())
    }

    #[test]
    fn ordinary_archives_and_other_files_pass() {
        let xml = b"<row><c><v>1</v></c></row>".repeat(1000);
        assert_eq!(
            check(&zip_of(&[("xl/worksheets/sheet1.xml", xml), ("[Content_Types].xml", b"<x/>".to_vec())])),
            Ok(())
        );
        assert_eq!(check(b"\xd0\xcf\x11\xe0 an old XLS"), Ok(()));
    }

    #[test]
    fn a_bomb_is_refused_by_its_ratio_before_it_inflates() {
        // 20 MiB of zeros deflate to about 20 KB: a ratio near 1 000.
        let bomb = zip_of(&[("xl/worksheets/sheet1.xml", vec![0u8; 20 * 1024 * 1024])]);
        assert!(bomb.len() < 100 * 1024, "{}", bomb.len());
        let e = check(&bomb).unwrap_err();
        assert!(e.contains("xl/worksheets/sheet1.xml y grossit plus de 100 fois"), "{e}");
        assert!(e.contains("bombe de décompression"), "{e}");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let entries: Vec<(String, Vec<u8>)> =
            (0..=limits::MAX_ARCHIVE_ENTRIES).map(|i| (format!("f{i}"), Vec::new())).collect();
        let entries: Vec<(&str, Vec<u8>)> = entries.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let e = check(&zip_of(&entries)).unwrap_err();
        assert!(e.contains("au-delà de la limite de 10000"), "{e}");
    }
}
