//! Coordinators' spreadsheets, as they make them: CSV (`;`, `,`, tab or `|`, detected; UTF-8 with
//! or without a mark, UTF-16, Windows-1252, detected), XLSX, XLS and ODS (the first sheet that has
//! a header Maillage recognises). The header row is found among the first rows (a title above it
//! is fine); its headings are recognised by their usual French names and variants, without regard
//! to case, accents or punctuation ([`KEYS`]); `--map` names the others. Missing optional columns
//! are fine: only a name, an address and a commune (or a postal code) are needed.
//!
//! Values are read as people type them: `Dr`, `Docteur`, `Mme`, `Madame`, `M.`, `Monsieur`,
//! `Mlle` (in a Civilité or a Titre column, or both in one), `Kiné`, `IDE`, `Cardiologue`,
//! `oui`/`non`/`x`, a phone number a spreadsheet turned into a number (`494123456`), a postal
//! code that lost its 0. A value that would not pass `maillage check` is left out (the row is
//! imported without it, and the report says why), or the row is refused when it cannot do
//! without it (an identifier, the profession, the name, the place).

use super::archive;
use super::encoding::{Encoding, has_controls, open_stream, unreadable};
use super::reader::{Candidate, Facts, ImportError, ImportOptions, Place, Read, io_err, progress_bar};
use super::report::{RowError, count};
use super::territory::{Placement, Territory};
use super::tidy::{heading_key, tidy_case, tidy_person, tidy_phone};
use crate::diagnostic::printable;
use crate::domain::ids;
use crate::domain::text::{fold, slugify};
use crate::limits;
use crate::model::vocab;
use encoding_rs::WINDOWS_1252;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read as _};
use std::path::Path;

/// Keys a column can map to, with the headings recognised for each (compared by
/// [`heading_key`]: `N° RPPS` and `no rpps` are the same heading). A heading that is none of
/// these but starts with one of at least four letters (`Téléphone du cabinet`) maps to the
/// longest such.
pub const KEYS: &[(&str, &[&str])] = &[
    ("civilite", &["civilite", "civ", "genre", "sexe", "civilite titre", "titre civilite", "civilite/titre"]),
    ("titre", &["titre", "titre d'exercice", "titre d exercice"]),
    ("prenom", &["prenom", "prenom d'exercice", "prenom usuel"]),
    ("nom", &["nom", "nom d'exercice", "nom de famille", "nom d'usage", "nom usuel", "patronyme"]),
    (
        "nom_complet",
        &[
            "nom prenom",
            "nom et prenom",
            "nom, prenom",
            "prenom nom",
            "prenom et nom",
            "nom complet",
            "identite",
            "professionnel",
            "praticien",
        ],
    ),
    (
        "raison_sociale",
        &[
            "raison sociale",
            "etablissement",
            "nom de l'etablissement",
            "nom de la structure",
            "denomination",
            "structure (nom)",
        ],
    ),
    (
        "profession",
        &["profession", "metier", "profession de sante", "fonction", "qualification", "categorie professionnelle"],
    ),
    ("structure", &["structure", "type de structure", "type d'etablissement", "categorie d'etablissement"]),
    ("specialite", &["specialite", "specialites", "specialite medicale", "savoir-faire", "discipline"]),
    ("rpps", &["rpps", "n° rpps", "no rpps", "numero rpps", "identifiant rpps", "n rpps", "num rpps"]),
    ("adeli", &["adeli", "n° adeli", "no adeli", "numero adeli", "identifiant adeli", "n adeli", "num adeli"]),
    (
        "identifiant",
        &["rpps/adeli", "rpps ou adeli", "rpps adeli", "identifiant", "n° d'identification", "identifiant national"],
    ),
    ("finess", &["finess", "n° finess", "no finess", "numero finess", "finess et", "n finess"]),
    ("siret", &["siret", "n° siret", "no siret", "numero siret", "n siret"]),
    ("exercice", &["exercice", "mode d'exercice", "mode exercice", "type d'exercice", "statut"]),
    ("lieu", &["lieu", "nom du lieu", "cabinet", "lieu d'exercice", "site", "nom du cabinet"]),
    (
        "adresse",
        &[
            "adresse",
            "adresse postale",
            "rue",
            "voie",
            "adresse 1",
            "adresse ligne 1",
            "numero et rue",
            "adresse du cabinet",
            "adresse professionnelle",
        ],
    ),
    (
        "complement",
        &["complement", "complement d'adresse", "complement adresse", "adresse 2", "adresse ligne 2", "batiment"],
    ),
    ("distribution", &["bp", "boite postale", "lieu-dit", "lieu dit", "mention distribution", "adresse 3"]),
    ("code_postal", &["code postal", "cp", "c.p.", "code post", "postal"]),
    ("commune", &["commune", "ville", "localite", "commune d'exercice", "ville d'exercice"]),
    ("code_commune", &["code commune", "code insee", "insee", "code insee commune", "commune (code insee)"]),
    (
        "telephone",
        &[
            "telephone",
            "tel",
            "tel.",
            "telephone fixe",
            "tel fixe",
            "telephone du cabinet",
            "tel cabinet",
            "telephone professionnel",
            "tel pro",
            "numero de telephone",
            "n° de telephone",
        ],
    ),
    (
        "portable",
        &["portable", "mobile", "tel portable", "telephone portable", "telephone mobile", "tel mobile", "gsm"],
    ),
    (
        "courriel",
        &[
            "courriel",
            "email",
            "e-mail",
            "mail",
            "mel",
            "adresse e-mail",
            "adresse email",
            "adresse mail",
            "adresse electronique",
            "courriel professionnel",
        ],
    ),
    (
        "accepte_nouveaux_patients",
        &[
            "nouveaux patients",
            "accepte nouveaux patients",
            "accepte de nouveaux patients",
            "accueille de nouveaux patients",
            "prend de nouveaux patients",
            "patientele ouverte",
        ],
    ),
    ("soins_non_programmes", &["soins non programmes", "snp", "participe aux soins non programmes"]),
    ("teleconsultation", &["teleconsultation", "teleconsultations", "telesante", "teleconsult"]),
    (
        "visites_domicile",
        &["visites a domicile", "visite a domicile", "visites domicile", "domicile", "se deplace a domicile"],
    ),
    ("langues", &["langues", "langues parlees", "langue", "langues etrangeres"]),
    (
        "accessible_pmr",
        &["accessible pmr", "accessibilite", "pmr", "acces pmr", "accessibilite pmr", "accessible fauteuil roulant"],
    ),
];

/// The key a heading maps to, the heading made comparable ([`heading_key`]): exact, else the
/// longest known heading of at least four letters it starts with.
fn key_of_heading(hk: &str) -> Option<&'static str> {
    if hk.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for (nk, key) in known_headings() {
        if nk == hk {
            return Some(key);
        }
        if nk.len() >= 4 && hk.starts_with(nk.as_str()) && best.is_none_or(|(l, _)| nk.len() > l) {
            best = Some((nk.len(), key));
        }
    }
    best.map(|(_, k)| k)
}

/// Every known heading of [`KEYS`] made comparable ([`heading_key`]) with its key, in the order
/// of [`KEYS`]: folded once, not for each heading of each file.
fn known_headings() -> &'static [(String, &'static str)] {
    static KNOWN: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| KEYS.iter().flat_map(|(key, names)| names.iter().map(|n| (heading_key(n), *key))).collect())
}

/// Reads a CSV file, streamed: a record is decoded, placed and mapped before the next one is
/// read, so memory holds the territory's members and the report's first rows, never the file.
/// The file is measured first ([`limits::MAX_SPREADSHEET_BYTES`]).
pub fn read_csv(file: &Path, territory: &Territory, opts: &ImportOptions) -> Result<Read, ImportError> {
    let name = file.display().to_string();
    let meta = std::fs::metadata(file).map_err(|e| io_err(file, e))?;
    if !meta.is_file() {
        return Err(ImportError::Format(format!("{name} : {}", limits::ReadError::NotAFile)));
    }
    if meta.len() > limits::MAX_SPREADSHEET_BYTES {
        let too_big = limits::ReadError::TooBig { size: meta.len(), limit: limits::MAX_SPREADSHEET_BYTES };
        return Err(ImportError::Format(format!("{name} : {too_big}")));
    }
    let (encoding, len, stream) = open_stream(file)?;
    let pb = progress_bar(len, opts.progress);
    // The CSV reader numbers a record by the `\n` before it, but a `\r\n` ends a record one
    // step early: Windows line ends become `\n`, so that the numbers are the editor's.
    let mut reader = BufReader::with_capacity(1 << 16, WindowsLineEnds::new(pb.wrap_read(stream)));
    // Excel's hint line `sep=;` names the delimiter; otherwise the most frequent one in the first
    // lines (`;` on a tie: French Excel's). Those lines are read ahead, then given to the CSV
    // reader before the rest.
    let mut head: Vec<u8> = Vec::new();
    let mut lines: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut skipped, mut hinted) = (0, None);
    while lines.len() < 10 && head.len() < 64 * 1024 {
        let start = head.len();
        if reader.read_until(b'\n', &mut head).map_err(|e| io_err(file, e))? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&head[start..]);
        if start == 0 && line.trim().starts_with("sep=") {
            hinted = line.trim()[4..].bytes().next().filter(u8::is_ascii_punctuation);
            skipped = 1;
            head.clear();
            continue;
        }
        lines.push(start..head.len());
    }
    let delimiter = hinted.unwrap_or_else(|| {
        [b';', b',', b'\t', b'|']
            .into_iter()
            .max_by_key(|d| {
                let n: usize = lines.iter().map(|l| head[l.clone()].iter().filter(|b| *b == d).count()).sum();
                (n, d == &b';')
            })
            .unwrap_or(b';')
    });
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::Cursor::new(head).chain(reader));
    let mut decoder = RecordDecoder { name: &name, encoding };
    let mut record = csv::ByteRecord::new();
    let mut read = 0usize;
    let rows = std::iter::from_fn(|| {
        let more = csv.read_byte_record(&mut record).map_err(|e| match e.kind() {
            csv::ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => unreadable(&name, &e.to_string()),
            csv::ErrorKind::Io(e) => ImportError::Format(format!("{name} : {e}")),
            _ => ImportError::Format(format!("{name} : CSV illisible ({e})")),
        });
        match more {
            Ok(false) => None,
            Err(e) => Some(Err(e)),
            Ok(true) => {
                read += 1;
                if read.is_multiple_of(4096) {
                    pb.set_message(format!("{} lues", count(read as u64, "ligne", "lignes")));
                }
                let line = record.position().map_or(read, |p| p.line() as usize) + skipped;
                Some(decoder.decode(line, &record).map(|cells| (line, cells)))
            }
        }
    });
    let mut out = from_rows(&name, rows, territory, opts)?;
    pb.finish_and_clear();
    out.report.encoding = decoder.encoding.label().to_string();
    Ok(out)
}

/// A reader giving its inner reader's bytes with every `\r\n` as `\n`.
struct WindowsLineEnds<R> {
    inner: R,
    raw: Vec<u8>,
    data: Vec<u8>,
    /// Bytes of `data` already given.
    given: usize,
    /// A `\r` was read last: whether it is kept depends on the next byte.
    pending_cr: bool,
}

impl<R: std::io::Read> WindowsLineEnds<R> {
    fn new(inner: R) -> Self {
        WindowsLineEnds { inner, raw: vec![0; 1 << 16], data: Vec::new(), given: 0, pending_cr: false }
    }
}

impl<R: std::io::Read> std::io::Read for WindowsLineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.given == self.data.len() {
            self.data.clear();
            self.given = 0;
            let n = self.inner.read(&mut self.raw)?;
            if n == 0 {
                if std::mem::take(&mut self.pending_cr) {
                    self.data.push(b'\r');
                    break;
                }
                return Ok(0);
            }
            for &b in &self.raw[..n] {
                if std::mem::take(&mut self.pending_cr) && b != b'\n' {
                    self.data.push(b'\r');
                }
                if b == b'\r' {
                    self.pending_cr = true;
                } else {
                    self.data.push(b);
                }
            }
        }
        let n = buf.len().min(self.data.len() - self.given);
        buf[..n].copy_from_slice(&self.data[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

/// Decodes the records of a streamed CSV file in the encoding its start showed: UTF-8 falls back
/// to Windows-1252 at the first record that is not UTF-8 (the file's earlier records are ASCII,
/// or were UTF-8 indeed), unless a byte order mark said UTF-8.
struct RecordDecoder<'a> {
    name: &'a str,
    encoding: Encoding,
}

impl RecordDecoder<'_> {
    /// The cells of the record at `line`; an error (the file is not text) for a record that is
    /// not in the file's encoding or holds control characters.
    fn decode(&mut self, line: usize, record: &csv::ByteRecord) -> Result<Vec<String>, ImportError> {
        let utf8 = || record.iter().map(|f| std::str::from_utf8(f).map(str::to_string)).collect::<Result<Vec<_>, _>>();
        let cells = match self.encoding {
            Encoding::Windows1252 => None,
            _ => match utf8() {
                Ok(cells) => Some(cells),
                Err(_) if self.encoding == Encoding::Utf8 => {
                    self.encoding = Encoding::Windows1252;
                    None
                }
                Err(_) => {
                    let why = format!("il annonce {} mais la ligne {line} ne l’est pas", self.encoding.label());
                    return Err(unreadable(self.name, &why));
                }
            },
        };
        let mut cells = cells.unwrap_or_else(|| {
            record.iter().map(|f| WINDOWS_1252.decode_without_bom_handling(f).0.into_owned()).collect()
        });
        if cells.iter().any(|c| has_controls(c)) {
            let why = if self.encoding == Encoding::Windows1252 {
                format!("ce n’est ni de l’UTF-8 ni du Windows-1252, ligne {line} (fichier binaire ou encodage inconnu)")
            } else {
                format!("il contient des caractères de contrôle, ligne {line} (fichier binaire ou encodage inconnu)")
            };
            return Err(unreadable(self.name, &why));
        }
        // A line break inside a quoted cell is the same whatever system wrote the file.
        for cell in cells.iter_mut().filter(|c| c.contains('\r')) {
            *cell = cell.replace("\r\n", "\n");
        }
        Ok(cells)
    }
}

/// Reads a workbook (XLSX, XLS, ODS): the first sheet with a recognisable header. The file is
/// measured first ([`archive::check_workbook`]); an XLSX sheet is read cell by cell, so a value
/// far down or far right does not make a grid of every cell before it.
pub fn read_workbook(file: &Path, territory: &Territory, opts: &ImportOptions) -> Result<Read, ImportError> {
    use calamine::Reader;
    let name = file.display().to_string();
    let meta = std::fs::metadata(file).map_err(|e| io_err(file, e))?;
    if meta.len() == 0 {
        return Err(ImportError::Format(format!("{name} est vide")));
    }
    archive::check_workbook(file)?;
    // calamine's messages are in English: the coordinator gets what matters, in French.
    let mut wb = calamine::open_workbook_auto(file).map_err(|_| {
        ImportError::Format(format!("{name} : classeur illisible ; est-ce bien un fichier XLSX, XLS ou ODS ?"))
    })?;
    let sheets = wb.sheet_names().to_vec();
    let mut first_error = None;
    for sheet in &sheets {
        // calamine may panic on a damaged file (an overflowing cell reference, found by fuzzing):
        // that sheet is then unreadable, as any other damage.
        let read = crate::contained::contain(|| sheet_rows(&mut wb, sheet));
        let rows = match read.unwrap_or_else(|| Err(unreadable_sheet(sheet))) {
            Ok(rows) => rows,
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        if find_header(&rows, opts).is_some() || sheets.len() == 1 {
            let rows = rows.into_iter().map(Ok);
            let mut out = from_rows(&format!("{name} (feuille « {sheet} »)"), rows, territory, opts)?;
            out.report.encoding = String::new();
            return Ok(out);
        }
    }
    Err(ImportError::Format(match first_error {
        Some(e) if sheets.len() <= 1 => format!("{name} : {e}"),
        _ => format!(
            "{name} : aucune feuille n’a de ligne d’en-tête reconnue (il faut au moins « Nom » et « Commune » ou « Code postal ») ; feuilles lues : {}",
            sheets.join(", ")
        ),
    }))
}

/// The error of a sheet that cannot be read, whatever the damage.
fn unreadable_sheet(sheet: &str) -> String {
    format!("feuille « {sheet} » illisible")
}

/// The rows of a sheet that hold something, numbered from 1 as the spreadsheet shows them; an
/// error (in French) when the sheet cannot be read or has a value beyond
/// [`limits::MAX_SHEET_COLUMNS`].
fn sheet_rows<R: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<R>,
    sheet: &str,
) -> Result<Vec<(usize, Vec<String>)>, String> {
    use calamine::Reader;
    let unreadable = || unreadable_sheet(sheet);
    let too_wide = |row: u32| {
        format!(
            "feuille « {sheet} » : une valeur ligne {} est au-delà de la colonne {} ; un tableau de membres n’a pas tant de colonnes",
            u64::from(row) + 1,
            limits::MAX_SHEET_COLUMNS
        )
    };
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    if let calamine::Sheets::Xlsx(xlsx) = wb {
        let mut cells = xlsx.worksheet_cells_reader(sheet).map_err(|_| unreadable())?;
        while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
            let (row, column) = cell.get_position();
            let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
            if text.is_empty() {
                continue;
            }
            if column >= limits::MAX_SHEET_COLUMNS {
                return Err(too_wide(row));
            }
            let cells = rows.entry(row).or_default();
            if cells.len() <= column as usize {
                cells.resize(column as usize + 1, String::new());
            }
            cells[column as usize] = text;
        }
    } else {
        let range = wb.worksheet_range(sheet).map_err(|_| unreadable())?;
        let (top, left) = range.start().unwrap_or((0, 0));
        if range.end().is_some_and(|(_, right)| right >= limits::MAX_SHEET_COLUMNS) {
            let beyond = range.used_cells().find(|(_, c, _)| left + *c as u32 >= limits::MAX_SHEET_COLUMNS);
            return Err(too_wide(beyond.map_or(top, |(r, ..)| top + r as u32)));
        }
        for (i, r) in range.rows().enumerate() {
            let padding = (0..left).map(|_| String::new());
            rows.insert(top + i as u32, padding.chain(r.iter().map(cell_text)).collect());
        }
    }
    Ok(rows.into_iter().map(|(row, cells)| (row as usize + 1, cells)).collect())
}

/// A cell as text, the way the coordinator reads it in the spreadsheet.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "oui" } else { "non" }.to_string(),
        other => other.to_string(),
    }
}

/// The columns a header maps, from the headings and `--map`.
struct Header {
    /// Row index (in the rows given) of the header.
    at: usize,
    columns: HashMap<&'static str, usize>,
    /// Headings as written, by key.
    names: HashMap<&'static str, String>,
    unused: Vec<String>,
}

/// Maps the extra `--map "Heading=key"` options: heading key → key.
fn extra_headings(opts: &ImportOptions) -> Result<HashMap<String, &'static str>, ImportError> {
    let mut extra = HashMap::new();
    for (col, key) in &opts.map {
        let Some((k, _)) = KEYS.iter().find(|(k, _)| *k == key.trim()) else {
            let keys: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
            return Err(ImportError::Format(format!(
                "--map « {col}={key} » : clé inconnue ; clés possibles : {}",
                keys.join(", ")
            )));
        };
        extra.insert(heading_key(col), *k);
    }
    Ok(extra)
}

/// How many rows from the top the header is looked for in (a title above it is fine).
const HEADER_SEARCH_ROWS: usize = 20;

/// The header among the first rows: the first with a name column and a place column (commune,
/// its code or a postal code).
fn find_header(rows: &[(usize, Vec<String>)], opts: &ImportOptions) -> Option<Header> {
    let extra = extra_headings(opts).ok()?;
    rows.iter().take(HEADER_SEARCH_ROWS).enumerate().find_map(|(at, (_, cells))| {
        let mut columns: HashMap<&'static str, usize> = HashMap::new();
        let mut names = HashMap::new();
        let mut unused = Vec::new();
        for (i, h) in cells.iter().enumerate() {
            if h.trim().is_empty() {
                continue;
            }
            let hk = heading_key(h);
            let key = extra.get(&hk).copied().or_else(|| key_of_heading(&hk));
            match key {
                Some(k) if !columns.contains_key(k) => {
                    columns.insert(k, i);
                    names.insert(k, h.trim().to_string());
                }
                _ => unused.push(h.trim().to_string()),
            }
        }
        let has = |k: &str| columns.contains_key(k);
        let named = has("nom") || has("raison_sociale") || has("nom_complet");
        let placed = has("commune") || has("code_commune") || has("code_postal");
        (named && placed).then_some(Header { at, columns, names, unused })
    })
}

/// Whether a row holds nothing.
fn is_blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// Finds the header among the first rows, then maps every row, one at a time: only the first
/// rows (where the header may be) are held together.
fn from_rows(
    name: &str,
    rows: impl Iterator<Item = Result<(usize, Vec<String>), ImportError>>,
    territory: &Territory,
    opts: &ImportOptions,
) -> Result<Read, ImportError> {
    extra_headings(opts)?;
    let mut rows = rows;
    let head = rows.by_ref().take(HEADER_SEARCH_ROWS).collect::<Result<Vec<_>, _>>()?;
    let Some(header) = find_header(&head, opts) else {
        // Empty, or no header: the first row that holds something tells which.
        let first = match head.iter().find(|(_, r)| !is_blank(r)) {
            Some((_, r)) => Some(r.clone()),
            None => rows.find_map(|r| r.map(|(_, r)| (!is_blank(&r)).then_some(r)).transpose()).transpose()?,
        };
        let Some(first) = first else {
            return Err(ImportError::Format(format!("{name} : le tableau est vide")));
        };
        let read = first.iter().map(|c| c.trim()).collect::<Vec<_>>().join(" | ");
        return Err(ImportError::Format(format!(
            "{name} : en-tête introuvable ; il faut au moins une colonne « Nom » (ou « Raison sociale », « Nom et prénom ») et une colonne « Commune » (ou « Code postal », « Code INSEE ») ; première ligne lue : {read}"
        )));
    };
    if !header.columns.contains_key("adresse") {
        return Err(ImportError::Format(format!(
            "{name} : colonne « Adresse » absente : chaque membre a au moins un lieu d’exercice avec son adresse"
        )));
    }
    let at = header.at;
    let mut head = head.into_iter().skip(at);
    let headings = head.next().map(|(_, cells)| cells).unwrap_or_default();
    let mut out = Read::default();
    out.report.unused_columns = header.unused.clone();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in head.map(Ok).chain(rows) {
        let (line, row) = r?;
        let (line, row) = (&line, &row);
        if is_blank(row) {
            continue;
        }
        out.report.rows.read += 1;
        if let Some(refusal) = unsafe_cell(&headings, *line, row) {
            out.report.rejected.push(refusal);
            out.report.rows.rejected += 1;
            continue;
        }
        let cells = Cells { columns: &header.columns, row };
        let mut errors: Vec<RowError> = Vec::new();
        let outcome = {
            let mut err = |k: &str, value: &str, reason: String, dropped: bool| {
                let column = header.names.get(k).cloned();
                errors.push(RowError { row: *line, column, value: value.to_string(), reason, dropped });
            };
            parse_row(&cells, territory, &mut err)
        };
        let refused = errors.iter().any(|e| e.dropped);
        if refused || matches!(outcome, Row::Candidate(_)) {
            // Values left out of a row outside the territory do not matter.
            out.report.rejected.extend(errors);
        }
        let c = match outcome {
            _ if refused => {
                out.report.rows.rejected += 1;
                continue;
            }
            Row::Candidate(c) => c,
            Row::Outside(column, value) => {
                out.report.rows.outside += 1;
                let column = header.names.get(column).cloned();
                out.report.outside.push(RowError {
                    row: *line,
                    column,
                    value,
                    reason: "commune hors du territoire de la CPTS".into(),
                    dropped: true,
                });
                continue;
            }
            Row::Ambiguous(column, value, why) => {
                let column = header.names.get(column).map(String::as_str);
                out.report.ambiguous(*line, column, &value, why);
                continue;
            }
            Row::Refused => {
                out.report.rows.rejected += 1;
                continue;
            }
        };
        let mut c = *c;
        c.rows.push(*line);
        if let Some(p) = &c.profession {
            out.seen.kinds.insert(p.clone());
        }
        let key = [("rpps", &c.rpps), ("adeli", &c.adeli), ("finess", &c.finess), ("siret", &c.siret)]
            .iter()
            .find_map(|(k, v)| v.as_ref().map(|v| format!("{k}:{v}")))
            .unwrap_or_else(|| format!("nom:{}", slugify(&c.display_name())));
        match index.get(&key) {
            Some(&i) => {
                let first = &mut out.candidates[i];
                first.rows.extend(c.rows);
                for p in c.lieux {
                    first.add_place(p);
                }
            }
            None => {
                index.insert(key, out.candidates.len());
                out.candidates.push(c);
            }
        }
    }
    if out.report.rows.read == 0 {
        return Err(ImportError::Format(format!("{name} : l’en-tête est là, mais aucune ligne ne le suit")));
    }
    Ok(out)
}

/// The first cell of `row` no member file may hold: one longer than
/// [`limits::MAX_CELL_CHARS`] or with control characters (which would reach the terminal and the
/// pages); the row is refused with it, shown cut short and with its control characters as codes.
fn unsafe_cell(headings: &[String], line: usize, row: &[String]) -> Option<RowError> {
    let (i, cell, reason) = row.iter().enumerate().find_map(|(i, cell)| {
        let reason = if cell.chars().count() > limits::MAX_CELL_CHARS {
            format!("cellule trop longue (plus de {} caractères)", limits::MAX_CELL_CHARS)
        } else if has_controls(cell) {
            "caractères de contrôle dans la cellule".to_string()
        } else {
            return None;
        };
        Some((i, cell, reason))
    })?;
    let shown: String = cell.chars().take(80).collect();
    let shown = if shown.len() < cell.len() { format!("{shown}…") } else { shown };
    Some(RowError {
        row: line,
        column: headings.get(i).map(|h| h.trim().to_string()).filter(|h| !h.is_empty()),
        value: printable(&shown).into_owned(),
        reason,
        dropped: true,
    })
}

/// Medical specialists as people name them, with the specialty's name.
const SPECIALISTS: &[(&str, &str)] = &[
    ("addictologue", "Addictologie"),
    ("allergologue", "Allergologie"),
    ("anesthesiste", "Anesthésie-réanimation"),
    ("angiologue", "Médecine vasculaire"),
    ("cardiologue", "Cardiologie"),
    ("dermatologue", "Dermatologie"),
    ("endocrinologue", "Endocrinologie"),
    ("gastroenterologue", "Gastro-entérologie"),
    ("geriatre", "Gériatrie"),
    ("gynecologue", "Gynécologie"),
    ("hematologue", "Hématologie"),
    ("nephrologue", "Néphrologie"),
    ("neurologue", "Neurologie"),
    ("oncologue", "Oncologie"),
    ("ophtalmologue", "Ophtalmologie"),
    ("ophtalmologiste", "Ophtalmologie"),
    ("orl", "Oto-rhino-laryngologie"),
    ("pediatre", "Pédiatrie"),
    ("pneumologue", "Pneumologie"),
    ("psychiatre", "Psychiatrie"),
    ("radiologue", "Radiologie"),
    ("rhumatologue", "Rhumatologie"),
    ("urologue", "Urologie"),
];

/// Finds a vocabulary key from what a person would write ("Infirmière", "kiné", "MSP"): `true`
/// for a profession, `false` for a kind of structure, with a specialty for a specialist
/// ("Cardiologue").
fn match_vocab(value: &str) -> Option<(bool, &'static str, Option<&'static str>)> {
    let v = heading_key(value);
    if v.is_empty() {
        return None;
    }
    vocab_words().get(&v).copied()
}

/// What a word of [`match_vocab`] names.
type VocabWord = (bool, &'static str, Option<&'static str>);

/// Every word [`match_vocab`] knows, by its [`heading_key`], built once: a million rows each
/// look their profession up without folding the vocabulary again.
fn vocab_words() -> &'static HashMap<String, VocabWord> {
    static WORDS: std::sync::OnceLock<HashMap<String, VocabWord>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        const ALIASES: &[(&str, &str)] = &[
            ("medecin", "medecin-generaliste"),
            ("mg", "medecin-generaliste"),
            ("generaliste", "medecin-generaliste"),
            ("medecingeneral", "medecin-generaliste"),
            ("medecinedeneral", "medecin-generaliste"),
            ("ide", "infirmier"),
            ("idel", "infirmier"),
            ("infirmiere", "infirmier"),
            ("infirmierliberal", "infirmier"),
            ("infirmiereliberale", "infirmier"),
            ("ipa", "infirmier-pratique-avancee"),
            ("kine", "masseur-kinesitherapeute"),
            ("mk", "masseur-kinesitherapeute"),
            ("kinesitherapeute", "masseur-kinesitherapeute"),
            ("dentiste", "chirurgien-dentiste"),
            ("podologue", "pedicure-podologue"),
            ("sagefemme", "sage-femme"),
            ("opticien", "opticien-lunetier"),
            ("psychomotricienne", "psychomotricien"),
            ("dieteticienne", "dieteticien"),
            ("pharmacienne", "pharmacien"),
            ("pharmacientitulaire", "pharmacien"),
            ("specialiste", "medecin-specialiste"),
            ("assistantsocial", "assistant-service-social"),
            ("assistantesociale", "assistant-service-social"),
        ];
        // Inserted from the weakest to the strongest match: a later entry wins a shared word,
        // in the order the lookups were once tried (aliases, professions, specialists,
        // structures), first match winning within each.
        let mut words: HashMap<String, VocabWord> = HashMap::new();
        let add = |words: &mut HashMap<String, VocabWord>, word: &str, value: VocabWord| {
            words.insert(heading_key(word), value);
        };
        for s in vocab::STRUCTURES.iter().rev() {
            for l in [s.key, s.label, s.plural].iter().rev() {
                add(&mut words, l, (false, s.key, None));
            }
        }
        for (name, sp) in SPECIALISTS.iter().rev() {
            add(&mut words, &format!("{name}s"), (true, "medecin-specialiste", Some(sp)));
            add(&mut words, name, (true, "medecin-specialiste", Some(sp)));
        }
        for p in vocab::PROFESSIONS.iter().rev() {
            for l in [p.key, p.masculine, p.feminine, p.plural].iter().rev() {
                add(&mut words, l, (true, p.key, None));
            }
        }
        for (alias, key) in ALIASES.iter().rev() {
            add(&mut words, alias, (true, key, None));
        }
        words
    })
}

/// The cells of one row, by key.
struct Cells<'a> {
    columns: &'a HashMap<&'static str, usize>,
    row: &'a [String],
}

impl<'a> Cells<'a> {
    /// The trimmed value of a key's column, empty when absent.
    fn get(&self, key: &str) -> &'a str {
        self.columns.get(key).and_then(|&i| self.row.get(i)).map_or("", |s| s.trim())
    }
}

/// What one row gives.
enum Row {
    /// A member of the territory.
    Candidate(Box<Candidate>),
    /// Outside the territory: the column and value that say so.
    Outside(&'static str, String),
    /// The commune cannot be told: column, value, why.
    Ambiguous(&'static str, String, String),
    /// Refused (the reasons went to the error list).
    Refused,
}

/// An identifier check of [`ids`].
type IdCheck = fn(&str) -> Result<(), ids::IdError>;

type ErrFn<'a> = dyn FnMut(&str, &str, String, bool) + 'a;

/// `M.`/`Mme` and `Dr`/`Pr` from what a Civilité or Titre cell holds ("Dr", "Mme le Dr",
/// "Monsieur", "Mlle"); `Err` with the words not understood.
fn civility(cell: &str) -> Result<(Option<&'static str>, Option<&'static str>), String> {
    let (mut civilite, mut titre) = (None, None);
    let mut unknown = Vec::new();
    for word in fold(cell).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        match word {
            "m" | "mr" | "monsieur" | "h" | "homme" | "masculin" => civilite = Some("M."),
            "mme" | "madame" | "mlle" | "melle" | "mademoiselle" | "f" | "femme" | "feminin" => civilite = Some("Mme"),
            "dr" | "docteur" | "docteure" => titre = Some("Dr"),
            "pr" | "professeur" | "professeure" => titre = Some("Pr"),
            "le" | "la" => {}
            w => unknown.push(w.to_string()),
        }
    }
    if unknown.is_empty() { Ok((civilite, titre)) } else { Err(unknown.join(" ")) }
}

/// Yes, no, or not stated, as people fill a column: `oui`, `x`, `1`, `vrai` / `non`, `0` /
/// empty, `?`, `NSP`. `Err` for anything else.
fn yes_no(cell: &str) -> Result<Option<bool>, ()> {
    let v = fold(cell);
    let v = v.trim().trim_end_matches(['.', '!']);
    match v {
        "oui" | "o" | "yes" | "y" | "x" | "vrai" | "true" | "1" | "ok" | "✓" | "✔" => Ok(Some(true)),
        "non" | "n" | "no" | "faux" | "false" | "0" => Ok(Some(false)),
        "" | "?" | "nsp" | "ne sait pas" | "inconnu" | "non renseigne" | "non precise" | "-" => Ok(None),
        _ => Err(()),
    }
}

/// "MARTIN Claire", "Claire MARTIN", "Dr Claire MARTIN": (civility words, first name, last name)
/// from the case of the words — the last name is the one in capitals.
fn split_full_name(cell: &str) -> Option<(String, String, String)> {
    let mut titles = Vec::new();
    let mut upper = Vec::new();
    let mut other = Vec::new();
    for w in cell.split_whitespace() {
        if civility(w).is_ok_and(|(c, t)| c.is_some() || t.is_some()) && upper.is_empty() && other.is_empty() {
            titles.push(w);
        } else if w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase) {
            upper.push(w);
        } else {
            other.push(w);
        }
    }
    (!upper.is_empty() && !other.is_empty()).then(|| (titles.join(" "), other.join(" "), upper.join(" ")))
}

/// One row to what it gives; problems go to `err` (`dropped` when the row cannot be used).
fn parse_row(cells: &Cells<'_>, territory: &Territory, err: &mut ErrFn<'_>) -> Row {
    let mut c = Candidate::default();
    let raison = cells.get("raison_sociale");
    let structure_cell = cells.get("structure");
    let profession_cell = cells.get("profession");
    let specialite_cell = cells.get("specialite");
    // Person or structure. Without a profession column, a "Spécialité" naming a profession or a
    // specialist ("Cardiologue") says it.
    let (kind_col, kind_value) = if !structure_cell.is_empty() {
        ("structure", structure_cell)
    } else if profession_cell.is_empty() && !specialite_cell.is_empty() && match_vocab(specialite_cell).is_some() {
        ("specialite", specialite_cell)
    } else if profession_cell.is_empty() && !raison.is_empty() && match_vocab(raison).is_some() {
        ("raison_sociale", raison)
    } else {
        ("profession", profession_cell)
    };
    let mut specialite_used = kind_col == "specialite";
    match match_vocab(kind_value) {
        Some((true, key, sp)) => {
            c.profession = Some(key.into());
            if let Some(sp) = sp {
                c.specialite = Some(sp.to_string());
                specialite_used |= !specialite_cell.is_empty() && kind_col != "specialite";
            }
        }
        Some((false, key, _)) => c.structure = Some(key.into()),
        None => {
            let keys: Vec<&str> = vocab::PROFESSIONS.iter().map(|p| p.masculine).collect();
            let reason = if kind_value.is_empty() {
                "profession ou type de structure manquant".to_string()
            } else {
                format!("profession ou structure inconnue ; professions reconnues : {}", keys.join(", "))
            };
            err(kind_col, kind_value, reason, true);
            return Row::Refused;
        }
    }
    if c.structure.is_some() {
        let name = [raison, cells.get("nom"), cells.get("lieu")].into_iter().find(|s| !s.is_empty()).unwrap_or("");
        if name.is_empty() {
            err("raison_sociale", "", "raison sociale manquante pour une structure".into(), true);
        }
        c.raison_sociale = Some(tidy_case(name));
    } else {
        let (mut prenom, mut nom) = (tidy_person(cells.get("prenom")), tidy_person(cells.get("nom")));
        let mut civility_cells: Vec<(&str, String)> =
            ["civilite", "titre"].into_iter().map(|k| (k, cells.get(k).to_string())).collect();
        let full = cells.get("nom_complet");
        if nom.is_empty() && !full.is_empty() {
            match split_full_name(full) {
                Some((titles, p, n)) => {
                    prenom = tidy_person(&p);
                    nom = tidy_person(&n);
                    civility_cells.push(("nom_complet", titles));
                }
                None => err(
                    "nom_complet",
                    full,
                    "nom et prénom impossibles à distinguer : écrivez le nom en capitales (MARTIN Claire), ou utilisez deux colonnes « Nom » et « Prénom »".into(),
                    true,
                ),
            }
        }
        if nom.is_empty() && full.is_empty() {
            err("nom", "", "nom manquant".into(), true);
        }
        if prenom.is_empty() && !nom.is_empty() {
            err("prenom", "", "prénom manquant".into(), true);
        }
        c.prenom = Some(prenom).filter(|s| !s.is_empty());
        c.nom = Some(nom).filter(|s| !s.is_empty());
        // Civilité and title: optional; whichever column holds them.
        for (k, cell) in civility_cells {
            match civility(&cell) {
                Ok((civilite, titre)) => {
                    c.civilite = c.civilite.take().or(civilite.map(str::to_string));
                    c.titre = c.titre.take().or(titre.map(str::to_string));
                }
                Err(words) => err(
                    k,
                    &cell,
                    format!("«\u{a0}{words}\u{a0}» n’est ni une civilité (M., Mme) ni un titre (Dr, Pr)"),
                    false,
                ),
            }
        }
        if !specialite_used && !specialite_cell.is_empty() && c.specialite.is_none() {
            c.specialite = Some(specialite_cell.to_string());
        }
    }
    // Identifiers: a wrong one refuses the row (it would attach the row to the wrong member).
    let checks: [(&str, IdCheck, usize); 4] =
        [("rpps", ids::rpps, 11), ("adeli", ids::adeli, 9), ("finess", ids::finess, 9), ("siret", ids::siret, 14)];
    let generic: String = cells.get("identifiant").chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    for (k, check, len) in checks {
        let raw = cells.get(k);
        let mut v: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        let mut column = k;
        if v.is_empty() && !generic.is_empty() && (k == "rpps" || k == "adeli") {
            // A column "RPPS/ADELI": the length tells.
            let fits = if k == "rpps" { generic.len() == 11 } else { generic.len() <= 9 };
            if !fits {
                continue;
            }
            v = generic.clone();
            column = "identifiant";
        }
        if v.is_empty() {
            continue;
        }
        // A spreadsheet drops the leading 0 of a number (ADELI and FINESS of the Ain: 01…).
        if v.len() + 1 == len && v.bytes().all(|b| b.is_ascii_digit()) && check(&format!("0{v}")).is_ok() {
            v.insert(0, '0');
        }
        if let Err(why) = check(&v) {
            err(column, if raw.is_empty() { cells.get("identifiant") } else { raw }, why.to_string(), true);
            continue;
        }
        match k {
            "rpps" => c.rpps = Some(v),
            "adeli" => c.adeli = Some(v),
            "finess" => c.finess = Some(v),
            _ => c.siret = Some(v),
        }
    }
    let ex = cells.get("exercice");
    c.exercice = match fold(ex).trim() {
        "" => None,
        "liberal" | "liberale" | "l" | "lib" => Some("liberal".into()),
        "salarie" | "salariee" | "s" | "sal" => Some("salarie".into()),
        "mixte" | "liberal et salarie" | "liberal/salarie" | "l+s" => Some("mixte".into()),
        _ => {
            err("exercice", ex, "mode d’exercice inconnu : libéral, salarié ou mixte".into(), false);
            None
        }
    };
    // Facts the coordinator owns.
    let mut fact = |k: &str| match yes_no(cells.get(k)) {
        Ok(v) => v,
        Err(()) => {
            err(k, cells.get(k), "réponse non comprise : oui, non, ou laissez vide si vous ne savez pas".into(), false);
            None
        }
    };
    c.facts = Facts {
        accepte_nouveaux_patients: fact("accepte_nouveaux_patients"),
        soins_non_programmes: fact("soins_non_programmes"),
        teleconsultation: fact("teleconsultation"),
        visites_domicile: fact("visites_domicile"),
        langues: languages(cells.get("langues")),
    };
    let accessible_pmr = fact("accessible_pmr");
    // The place.
    let adresse = [cells.get("complement"), cells.get("adresse"), cells.get("distribution")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(tidy_case)
        .collect::<Vec<_>>()
        .join(", ");
    if cells.get("adresse").is_empty() {
        err("adresse", "", "adresse manquante".into(), true);
    }
    let mut cp = cells.get("code_postal").to_string();
    if cp.len() == 4 && cp.bytes().all(|b| b.is_ascii_digit()) {
        cp.insert(0, '0');
    }
    if !cp.is_empty() && ids::postal_code(&cp).is_err() {
        err("code_postal", &cp, "un code postal compte 5 chiffres".into(), false);
        cp.clear();
    }
    let (commune_col, commune_cell) = if cells.get("code_commune").is_empty() {
        ("commune", cells.get("commune"))
    } else {
        ("code_commune", cells.get("code_commune"))
    };
    let placement = if commune_cell.is_empty() {
        if cp.is_empty() {
            err("commune", "", "commune manquante (ni commune, ni code INSEE, ni code postal)".into(), true);
            return Row::Refused;
        }
        territory.place(&cp, "", "")
    } else {
        territory.find(commune_cell, &cp)
    };
    let value = if commune_cell.is_empty() { cp.clone() } else { commune_cell.to_string() };
    let col = if commune_cell.is_empty() { "code_postal" } else { commune_col };
    let commune = match placement {
        Placement::Inside(c) => c,
        Placement::Outside => return Row::Outside(col, value),
        Placement::Ambiguous(why) => return Row::Ambiguous(col, value, why),
        Placement::Unknown(why) => {
            err(col, &value, why, true);
            return Row::Refused;
        }
    };
    if cp.is_empty() || !commune.codes_postaux.contains(&cp) {
        if commune.codes_postaux.len() != 1 {
            let reason = format!(
                "{} a plusieurs codes postaux ({}) : indiquez le bon",
                commune.nom,
                commune.codes_postaux.join(", ")
            );
            err("code_postal", &cp, reason, true);
            return Row::Refused;
        }
        if !cp.is_empty() {
            err(
                "code_postal",
                &cp,
                format!(
                    "ce n’est pas le code postal de {} : le sien ({}) est utilisé",
                    commune.nom, commune.codes_postaux[0]
                ),
                false,
            );
        }
        cp = commune.codes_postaux[0].clone();
    }
    let telephone = ["telephone", "portable"].into_iter().find_map(|k| {
        let tel = cells.get(k);
        let digits: String = tel.chars().filter(char::is_ascii_digit).collect();
        // Spreadsheets turn 0494123456 into the number 494123456.
        let fixed = if digits.len() == 9 && digits == tel && !tel.starts_with('0') {
            format!("0{tel}")
        } else {
            tel.to_string()
        };
        match tidy_phone(&fixed) {
            None if !tel.is_empty() => {
                err(k, tel, "numéro de téléphone français invalide (10 chiffres, ex. 04 94 12 34 56)".into(), false);
                None
            }
            t => t,
        }
    });
    let mail = cells.get("courriel");
    let courriel = match mail {
        "" => None,
        m => match ids::email(m) {
            Ok(()) => Some(m.to_string()),
            Err(why) => {
                err("courriel", m, why.to_string(), false);
                None
            }
        },
    };
    c.lieux.push(Place {
        nom: Some(cells.get("lieu")).filter(|s| !s.is_empty()).map(tidy_case),
        adresse,
        code_postal: cp,
        commune: commune.insee.clone(),
        coordonnees: None,
        telephone,
        courriel,
        accessible_pmr,
    });
    Row::Candidate(Box::new(c))
}

/// Languages besides French from a cell ("anglais, espagnol", "Anglais / Arabe"): `Some([])` when
/// the cell says French only, `None` when it is empty.
fn languages(cell: &str) -> Option<Vec<String>> {
    if cell.trim().is_empty() {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for l in cell.split([',', ';', '/', '+', '\n']).flat_map(|s| s.split(" et ")) {
        let l = l.trim().to_lowercase();
        if l.is_empty() || fold(&l) == "francais" {
            continue;
        }
        if !out.contains(&l) {
            out.push(l);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_line_ends_become_unix_ones_across_reads() {
        use std::io::Read as _;
        for text in ["a\r\nb\r\n", "a\rb\r", "\r\r\n\r", "", "abc"] {
            // One byte at a time: a `\r` and its `\n` in two reads.
            let bytes: Vec<u8> = text.bytes().collect();
            let mut out = String::new();
            WindowsLineEnds::new(bytes.as_slice().chain(&b""[..]).take(u64::MAX)).read_to_string(&mut out).unwrap();
            assert_eq!(out, text.replace("\r\n", "\n"));
            let mut out = String::new();
            let slow = bytes
                .iter()
                .map(|b| std::io::Cursor::new(vec![*b]))
                .fold(Box::new(std::io::empty()) as Box<dyn std::io::Read>, |acc, c| Box::new(acc.chain(c)));
            WindowsLineEnds::new(slow).read_to_string(&mut out).unwrap();
            assert_eq!(out, text.replace("\r\n", "\n"), "{text:?}");
        }
    }

    #[test]
    fn words_people_write_map_to_the_vocabulary() {
        assert_eq!(match_vocab("Infirmière"), Some((true, "infirmier", None)));
        assert_eq!(match_vocab("KINE"), Some((true, "masseur-kinesitherapeute", None)));
        assert_eq!(match_vocab("Médecin généraliste"), Some((true, "medecin-generaliste", None)));
        assert_eq!(match_vocab("Cardiologue"), Some((true, "medecin-specialiste", Some("Cardiologie"))));
        assert_eq!(match_vocab("Pharmacie"), Some((false, "pharmacie", None)));
        assert_eq!(match_vocab("EHPAD"), Some((false, "ehpad", None)));
        assert_eq!(match_vocab("Plombier"), None);
    }

    #[test]
    fn headings_and_their_variants() {
        for (heading, key) in [
            ("Civilité", "civilite"),
            ("TITRE", "titre"),
            ("Civilité / Titre", "civilite"),
            ("Prénom", "prenom"),
            ("Nom de famille", "nom"),
            ("NOM Prénom", "nom_complet"),
            ("Métier", "profession"),
            ("Spécialité", "specialite"),
            ("Tél.", "telephone"),
            ("Téléphone du cabinet", "telephone"),
            ("Portable", "portable"),
            ("Adresse", "adresse"),
            ("Complément d’adresse", "complement"),
            ("Ville", "commune"),
            ("CP", "code_postal"),
            ("Code postal", "code_postal"),
            ("N° RPPS", "rpps"),
            ("ADELI", "adeli"),
            ("E-mail", "courriel"),
            ("Mail", "courriel"),
            ("Courriel", "courriel"),
            ("Nouveaux patients ?", "accepte_nouveaux_patients"),
            ("Nouveaux patients (oui/non)", "accepte_nouveaux_patients"),
            ("Accessibilité PMR", "accessible_pmr"),
        ] {
            assert_eq!(key_of_heading(&heading_key(heading)), Some(key), "{heading}");
        }
        assert_eq!(key_of_heading(&heading_key("Remarque")), None);
        assert_eq!(key_of_heading(&heading_key("Nom du cabinet")), Some("lieu"));
    }

    #[test]
    fn civilities_and_titles() {
        assert_eq!(civility("Dr"), Ok((None, Some("Dr"))));
        assert_eq!(civility("Docteur"), Ok((None, Some("Dr"))));
        assert_eq!(civility("Pr."), Ok((None, Some("Pr"))));
        assert_eq!(civility("Mme"), Ok((Some("Mme"), None)));
        assert_eq!(civility("Madame"), Ok((Some("Mme"), None)));
        assert_eq!(civility("Mlle"), Ok((Some("Mme"), None)));
        assert_eq!(civility("M."), Ok((Some("M."), None)));
        assert_eq!(civility("Monsieur"), Ok((Some("M."), None)));
        assert_eq!(civility("Mme le Dr"), Ok((Some("Mme"), Some("Dr"))));
        assert_eq!(civility(""), Ok((None, None)));
        assert!(civility("Maître").is_err());
    }

    #[test]
    fn answers_and_languages() {
        assert_eq!(yes_no("Oui"), Ok(Some(true)));
        assert_eq!(yes_no("x"), Ok(Some(true)));
        assert_eq!(yes_no("NON"), Ok(Some(false)));
        assert_eq!(yes_no(""), Ok(None), "empty is not stated, never no");
        assert_eq!(yes_no("?"), Ok(None));
        assert!(yes_no("peut-être").is_err());
        assert_eq!(languages(""), None);
        assert_eq!(languages("Français"), Some(vec![]));
        assert_eq!(
            languages("Anglais, espagnol et arabe"),
            Some(vec!["anglais".into(), "espagnol".into(), "arabe".into()])
        );
    }

    #[test]
    fn full_names_split_by_case() {
        assert_eq!(split_full_name("MARTIN Claire"), Some(("".into(), "Claire".into(), "MARTIN".into())));
        assert_eq!(
            split_full_name("Dr Jean-Pierre DE LA FONTAINE"),
            Some(("Dr".into(), "Jean-Pierre".into(), "DE LA FONTAINE".into()))
        );
        assert_eq!(split_full_name("Claire Martin"), None);
    }
}
