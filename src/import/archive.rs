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
/// more than [`limits::MAX_ARCHIVE_ENTRIES`] entries; an ODS file whose sheets would make grids
/// of more than [`limits::MAX_SHEET_CELLS`] cells is refused too. Other files (XLS) are only
/// measured.
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
    if magic[..] == XLS_MAGIC[..4] {
        // An XLS file is read whole by the spreadsheet reader anyway; its size is bounded above.
        let bytes = limits::read_file(path, limits::MAX_SPREADSHEET_BYTES).map_err(|e| match e {
            limits::ReadError::Io(e) => io_err(path, e),
            e => refused(format!("{name} : {e}")),
        })?;
        if let Some(cells) = xls_grid_cells(&bytes).filter(|c| *c > limits::MAX_SHEET_CELLS) {
            return Err(refused(format!(
                "{name} : {} ; ce n’est pas un tableau de membres et il n’est pas lu",
                too_many_cells(cells)
            )));
        }
        return Ok(());
    }
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
        let is_ods_content = entry_name == "content.xml";
        let mut counted = Counted { inner: entry.take(room + 1), bytes: 0 };
        // An ODS sheet's grid is measured as its XML goes by: the spreadsheet reader would build
        // it whole, and a few repeated rows and columns declare billions of cells.
        let grid = if is_ods_content { ods_grid_cells(&mut counted) } else { Ok(0) };
        let inflated = match grid.and_then(|_| io::copy(&mut counted, &mut io::sink())) {
            Ok(_) => counted.bytes,
            // A damaged entry: the spreadsheet reader reports the file as unreadable.
            Err(e) if e.kind() != io::ErrorKind::FileTooLarge => return Ok(()),
            Err(e) => {
                return Err(refused(format!("{name} : {e} ; ce n’est pas un tableau de membres et il n’est pas lu")));
            }
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

/// A reader counting the bytes it gives.
struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// The cells of the grids a spreadsheet reader builds from an ODS `content.xml`, read from the
/// XML without building them: for each table, the rows from its first to its last row holding
/// a value, times the columns up to its rightmost value, with the rows and cells written once
/// and repeated (`table:number-rows-repeated`, `table:number-columns-repeated`) counted as many
/// times as they are repeated. Stops with an error of kind `FileTooLarge` (its message in
/// French) past [`limits::MAX_SHEET_CELLS`], and with another error on XML it cannot read.
fn ods_grid_cells(xml: impl Read) -> io::Result<u64> {
    use quick_xml::events::{BytesStart, Event};
    let repeats = |e: &BytesStart<'_>, key: &str| -> u64 {
        let value = e.try_get_attribute(key).ok().flatten();
        value.and_then(|a| a.value.trim().parse().ok()).unwrap_or(1)
    };
    let holds_value = |e: &BytesStart<'_>| {
        ["office:value-type", "table:formula"].iter().any(|k| e.try_get_attribute(k).ok().flatten().is_some())
    };
    let mut reader = quick_xml::Reader::from_reader(io::BufReader::new(xml));
    let mut buf = Vec::new();
    let (mut total, mut row, mut row_repeats, mut column, mut row_width) = (0u64, 0u64, 1u64, 0u64, 0u64);
    // The current table's rows holding a value (first, end) and its widest such row.
    let (mut first, mut end, mut width): (Option<u64>, u64, u64) = (None, 0, 0);
    let grid = |first: Option<u64>, end: u64, width: u64| first.map_or(0, |f| (end - f).saturating_mul(width));
    loop {
        let event = reader.read_event_into(&mut buf).map_err(io::Error::other)?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" if !empty => {
                    total = total.saturating_add(grid(first, end, width));
                    (row, first, end, width) = (0, None, 0, 0);
                }
                "table:table-row" => {
                    (row_repeats, column, row_width) = (repeats(e, "table:number-rows-repeated"), 0, 0);
                    if empty {
                        row = row.saturating_add(row_repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    column = column.saturating_add(repeats(e, "table:number-columns-repeated"));
                    if !empty || holds_value(e) {
                        row_width = column;
                    }
                }
                _ => {}
            }
        }
        match &event {
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if row_width > 0 {
                    first.get_or_insert(row);
                    end = row.saturating_add(row_repeats);
                    width = width.max(row_width);
                }
                row = row.saturating_add(row_repeats);
            }
            Event::Eof => break,
            _ => {}
        }
        let cells = total.saturating_add(grid(first, end, width));
        if cells > limits::MAX_SHEET_CELLS {
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, too_many_cells(cells)));
        }
        buf.clear();
    }
    Ok(total.saturating_add(grid(first, end, width)))
}

/// Why a workbook whose grids hold `cells` cells is refused, in French.
fn too_many_cells(cells: u64) -> String {
    format!(
        "ses feuilles déclarent plus de {} cellules (lignes et colonnes répétées comprises), au-delà de la limite de {}",
        crate::render::text::grouped(cells),
        crate::render::text::grouped(limits::MAX_SHEET_CELLS)
    )
}

/// The first bytes of an OLE compound file, which an XLS workbook is.
const XLS_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A little-endian `u16` at `at`, 0 past the end.
fn u16_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 2).map_or(0, |x| u32::from(u16::from_le_bytes([x[0], x[1]])))
}

/// A little-endian `u32` at `at`, [`END_OF_CHAIN`] past the end.
fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).map_or(END_OF_CHAIN, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// The end of a chain of sectors in a compound file.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// The workbook stream of an XLS file (an OLE compound file: sectors chained by a table), or
/// `None` when the file is not one Maillage can follow (the spreadsheet reader then says it is
/// unreadable). Every chain stops at its end marker, a sector out of the file, or after as many
/// steps as the file has sectors (a loop).
fn xls_workbook_stream(file: &[u8]) -> Option<Vec<u8>> {
    if file.len() < 512 || file[..8] != XLS_MAGIC {
        return None;
    }
    let shift = u16_at(file, 0x1E);
    if shift != 9 && shift != 12 {
        return None;
    }
    let size = 1usize << shift;
    let sectors = file.len() / size;
    let sector = |i: u32| {
        let start = (i as usize).checked_add(1)?.checked_mul(size)?;
        file.get(start..start.checked_add(size)?)
    };
    // The sectors of the allocation table: 109 in the header, the others in a chain of lists.
    let mut fat_sectors: Vec<u32> = (0..109).map(|i| u32_at(file, 0x4C + 4 * i)).collect();
    let mut next = u32_at(file, 0x44);
    for _ in 0..sectors {
        let Some(list) = sector(next) else { break };
        fat_sectors.extend((0..size / 4 - 1).map(|i| u32_at(list, 4 * i)));
        next = u32_at(list, size - 4);
    }
    let fat: Vec<u32> = fat_sectors
        .iter()
        .take(u32_at(file, 0x2C) as usize)
        .filter_map(|&s| sector(s))
        .flat_map(|s| (0..size / 4).map(move |i| u32_at(s, 4 * i)))
        .collect();
    let directory = chain(u32_at(file, 0x30), sector, &fat);
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let named = |e: &[u8], name: &str| {
        let len = (u16_at(e, 64) as usize).min(64).saturating_sub(2);
        let units: Vec<u16> = e[..len].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units).eq_ignore_ascii_case(name)
    };
    let stream = entries.iter().find(|e| e[66] == 2 && (named(e, "Workbook") || named(e, "Book")))?;
    let (start, len) = (u32_at(stream, 116), u32_at(stream, 120) as usize);
    let mut bytes = if len < u32_at(file, 0x38) as usize {
        // A small stream lives in the mini stream (the root entry's), in units of 64 bytes.
        let root = entries.first()?;
        let mini = chain(u32_at(root, 116), sector, &fat);
        let mini_fat: Vec<u32> =
            chain(u32_at(file, 0x3C), sector, &fat).chunks_exact(4).map(|c| u32_at(c, 0)).collect();
        let unit = |i: u32| mini.get((i as usize).checked_mul(64)?..).and_then(|m| m.get(..64));
        chain(start, unit, &mini_fat)
    } else {
        chain(start, sector, &fat)
    };
    bytes.truncate(len);
    Some(bytes)
}

/// The bytes of a chain of units (sectors) of a compound file, from `start`, each unit's
/// successor in `table`; it stops at a unit out of the file or after as many steps as the table
/// has entries (a chain that loops).
fn chain<'a>(start: u32, unit: impl Fn(u32) -> Option<&'a [u8]>, table: &[u32]) -> Vec<u8> {
    let (mut out, mut at) = (Vec::new(), start);
    for _ in 0..table.len() {
        let Some(bytes) = unit(at) else { break };
        out.extend_from_slice(bytes);
        match table.get(at as usize) {
            Some(&n) => at = n,
            None => break,
        }
    }
    out
}

/// The cells of the grids the spreadsheet reader makes of an XLS file's sheets: for each
/// sheet, the box from its first to its last cell, or the box its dimensions record declares
/// when larger (the reader reserves that much). `None` when the file cannot be followed.
fn xls_grid_cells(file: &[u8]) -> Option<u64> {
    let stream = xls_workbook_stream(file)?;
    let (mut total, mut at) = (0u64, 0usize);
    // The box of the current sheet: first and last row and column.
    let mut rows: Option<(u32, u32)> = None;
    let mut cols = (u32::MAX, 0u32);
    let mut declared = 0u64;
    let grid = |rows: Option<(u32, u32)>, cols: (u32, u32)| {
        rows.map_or(0, |(a, b)| u64::from(b - a + 1) * u64::from(cols.1.saturating_sub(cols.0) + 1))
    };
    while at + 4 <= stream.len() {
        let (kind, len) = (u16_at(&stream, at), u16_at(&stream, at + 2) as usize);
        let data = stream.get(at + 4..at + 4 + len).unwrap_or(&[]);
        at += 4 + len;
        match kind {
            // The start of a sheet (or of the workbook's globals).
            0x0809 => {
                total = total.saturating_add(grid(rows, cols).max(declared));
                (rows, cols, declared) = (None, (u32::MAX, 0), 0);
            }
            // Dimensions: first row, row after the last, first column, column after the last.
            0x0200 => {
                let (r0, r1, c0, c1) = match len {
                    10 => (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4), u16_at(data, 6)),
                    14 | 16 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 8), u16_at(data, 10)),
                    _ => (0, 0, 0, 0),
                };
                declared = u64::from(r1.saturating_sub(r0)).saturating_mul(u64::from(c1.saturating_sub(c0)));
            }
            // Cells: number, label, rich label, boolean or error, RK, shared-string label,
            // formula, several RKs (their last column ends the record).
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00BD if len >= 4 => {
                let row = u16_at(data, 0);
                let last = if kind == 0x00BD { u16_at(data, len - 2) } else { u16_at(data, 2) };
                rows = Some(rows.map_or((row, row), |(a, b)| (a.min(row), b.max(row))));
                cols = (cols.0.min(u16_at(data, 2)), cols.1.max(last));
            }
            _ => {}
        }
        if total.saturating_add(grid(rows, cols).max(declared)) > limits::MAX_SHEET_CELLS {
            break;
        }
    }
    Some(total.saturating_add(grid(rows, cols).max(declared)))
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

    /// An ODS `content.xml` holding `rows` (the XML of each `table:table-row`), in one table.
    fn ods_content(rows: &str) -> Vec<u8> {
        format!(
            "<office:document-content><office:body><office:spreadsheet><table:table table:name=\"F\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
        )
        .into_bytes()
    }

    #[test]
    fn ods_grids_are_counted_with_their_repeats() {
        let value = r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
        let blank = r#"<table:table-cell table:number-columns-repeated="1000"/>"#;
        // Two columns of values, then blank cells that make no grid; a blank row repeated between.
        let rows = format!(
            "<table:table-row>{value}{value}{blank}</table:table-row><table:table-row table:number-rows-repeated=\"5\">{blank}</table:table-row><table:table-row>{blank}{value}</table:table-row><table:table-row table:number-rows-repeated=\"1048570\">{blank}</table:table-row>"
        );
        // Rows 0 to 6 (7 rows), up to column 1001 (the value after 1000 blank cells).
        assert_eq!(ods_grid_cells(ods_content(&rows).as_slice()).unwrap(), 7 * 1001);
        // A value repeated over 16 384 columns on a row repeated a million times.
        let bomb = r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>"#;
        let e = ods_grid_cells(ods_content(bomb).as_slice()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(e.to_string().contains("au-delà de la limite de 1\u{202f}000\u{202f}000"), "{e}");
        let archive = zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
            ("content.xml", ods_content(bomb)),
        ]);
        let e = check(&archive).unwrap_err();
        assert!(e.contains("ses feuilles déclarent plus de 17\u{202f}179\u{202f}869\u{202f}184 cellules"), "{e}");
        assert!(e.contains("ce n’est pas un tableau de membres et il n’est pas lu"), "{e}");
    }

    /// A BIFF record.
    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        [&kind.to_le_bytes()[..], &(data.len() as u16).to_le_bytes(), data].concat()
    }

    /// A number cell at (row, column).
    fn number(row: u16, column: u16) -> Vec<u8> {
        record(0x0203, &[&row.to_le_bytes()[..], &column.to_le_bytes(), &[0; 10]].concat())
    }

    /// An XLS file (a compound file of 512-byte sectors: the allocation table, the directory,
    /// then the stream) whose workbook stream is `records`, padded past the mini stream's 4 KiB.
    fn xls_of(records: &[Vec<u8>]) -> Vec<u8> {
        let mut stream = records.concat();
        stream.extend(record(0x0809, &[0; 16]));
        stream.extend(record(0x1234, &[0; 4096]));
        let n = stream.len().div_ceil(512);
        let mut file = vec![0u8; 512 * (3 + n)];
        file[..8].copy_from_slice(&XLS_MAGIC);
        let put16 = |f: &mut Vec<u8>, at: usize, v: u16| f[at..at + 2].copy_from_slice(&v.to_le_bytes());
        let put32 = |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put16(&mut file, 0x1A, 3);
        put16(&mut file, 0x1C, 0xFFFE);
        put16(&mut file, 0x1E, 9);
        put16(&mut file, 0x20, 6);
        put32(&mut file, 0x2C, 1);
        put32(&mut file, 0x30, 1);
        put32(&mut file, 0x38, 4096);
        put32(&mut file, 0x3C, END_OF_CHAIN);
        put32(&mut file, 0x44, END_OF_CHAIN);
        for i in 0..109 {
            put32(&mut file, 0x4C + 4 * i, if i == 0 { 0 } else { 0xFFFF_FFFF });
        }
        // The table (sector 0): itself, the directory's end, the stream's chain.
        let fat = 512;
        for i in 0..128u32 {
            let v = match i {
                0 => 0xFFFF_FFFD,
                1 => END_OF_CHAIN,
                i if i >= 2 && (i as usize) < 1 + n => i + 1,
                i if i as usize == 1 + n => END_OF_CHAIN,
                _ => 0xFFFF_FFFF,
            };
            put32(&mut file, fat + 4 * i as usize, v);
        }
        // The directory (sector 1): the root, then the workbook stream.
        let dir = 1024;
        for (k, (name, kind, start, len)) in
            [("Root Entry", 5u8, END_OF_CHAIN, 0u32), ("Workbook", 2, 2, stream.len() as u32)].into_iter().enumerate()
        {
            let e = dir + 128 * k;
            for (j, u) in name.encode_utf16().enumerate() {
                put16(&mut file, e + 2 * j, u);
            }
            put16(&mut file, e + 64, 2 * (name.len() as u16 + 1));
            file[e + 66] = kind;
            put32(&mut file, e + 116, start);
            put32(&mut file, e + 120, len);
        }
        file[1536..1536 + stream.len()].copy_from_slice(&stream);
        file
    }

    #[test]
    fn xls_grids_are_counted_before_the_reader_builds_them() {
        let bof = record(0x0809, &[0; 16]);
        let cells: Vec<Vec<u8>> = (0..100).flat_map(|r| (0..10).map(move |c| number(r, c))).collect();
        let ordinary = xls_of(&[vec![bof.clone()], cells].concat());
        assert_eq!(xls_grid_cells(&ordinary), Some(1000));
        assert_eq!(check(&ordinary), Ok(()));
        // Two cells, at A1 and at the last row and column an XLS sheet has: 16 777 216 cells.
        let corners = xls_of(&[bof.clone(), number(0, 0), number(65535, 255)]);
        assert_eq!(xls_grid_cells(&corners), Some(65536 * 256));
        let e = check(&corners).unwrap_err();
        assert!(e.contains("ses feuilles déclarent plus de 16\u{202f}777\u{202f}216 cellules"), "{e}");
        // Dimensions declaring four billion rows, for a reader that reserves what is declared.
        let dims = record(0x0200, &[&0u32.to_le_bytes()[..], &u32::MAX.to_le_bytes(), &[0, 0, 10, 0, 0, 0]].concat());
        assert!(check(&xls_of(&[bof, dims, number(0, 0)])).unwrap_err().contains("au-delà de la limite"));
        // Not a compound file Maillage can follow: left to the spreadsheet reader.
        assert_eq!(xls_grid_cells(b"\xd0\xcf\x11\xe0 an old XLS"), None);
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
