//! The report of an import, the same for every source, rendered in French for the coordinator.
//!
//! Every data row of the file ends in exactly one place ([`RowCounts`]): imported into a new
//! member, into a member updated, into a member already up to date, outside the territory,
//! refused (with its line and why), or ambiguous (in the territory perhaps, but which commune the
//! row does not say). `read` is their sum: nothing is dropped in silence ([`RowCounts::balanced`]).

use crate::diagnostic::printable_line;
use crate::render::text::grouped;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

/// How many rows of each list the terminal shows; the others are counted, and listed in the full
/// report file ([`Report::write_full`]).
pub const SHOWN_ROWS: usize = 20;

/// A row, or one value of a row, the import could not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line (text files) or row (spreadsheets) number, 1-based, header included.
    pub row: usize,
    /// Column name, when one value is at fault.
    pub column: Option<String>,
    /// The value at fault.
    pub value: String,
    /// Why, in French.
    pub reason: String,
    /// Whether the whole row was dropped (otherwise only the value was left out).
    pub dropped: bool,
}

impl RowError {
    /// A row error; `dropped` when the whole row is not imported.
    pub fn new(row: usize, column: Option<&str>, value: &str, reason: String, dropped: bool) -> RowError {
        RowError { row, column: column.map(str::to_string), value: value.to_string(), reason, dropped }
    }
}

/// One line of a list of rows, as the report writes it.
fn row_line(e: &RowError) -> String {
    // Column names and values come from the file, and reasons may quote them (a header in an
    // ambiguous commune's reason): control characters are shown as their codes.
    let col = e.column.as_ref().map(|c| format!(", colonne «\u{a0}{}\u{a0}»", printable_line(c))).unwrap_or_default();
    let value = if e.value.is_empty() {
        String::new()
    } else {
        format!(", valeur «\u{a0}{}\u{a0}»", printable_line(&e.value))
    };
    format!("  ligne {}{col}{value}\u{a0}: {}", e.row, printable_line(&e.reason))
}

/// The two kinds of entries a list holds: a row refused (or ambiguous, or outside), or a value
/// left out of a row imported without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dropped,
    LeftOut,
}

impl Kind {
    fn of(e: &RowError) -> Kind {
        if e.dropped { Kind::Dropped } else { Kind::LeftOut }
    }

    /// The mark of the kind at the start of a line of the spill file.
    fn mark(self) -> char {
        match self {
            Kind::Dropped => 'R',
            Kind::LeftOut => 'V',
        }
    }
}

/// Entries of a list beyond what the terminal shows, in a temporary file removed when the list
/// is dropped: a million rows outside the territory take no memory.
#[derive(Debug)]
struct Spill {
    path: PathBuf,
    out: BufWriter<fs::File>,
}

impl Spill {
    fn create() -> io::Result<Spill> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("maillage-rapport-{}-{n}.txt", std::process::id()));
        let file = fs::File::options().write(true).read(true).create_new(true).open(&path)?;
        Ok(Spill { path, out: BufWriter::new(file) })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// A list of rows of the report, in the order they came: every entry counted, the first
/// [`SHOWN_ROWS`] of each kind kept for the terminal, the others written to a temporary file
/// for the full report. Reads as the slice of the entries kept.
#[derive(Debug, Default)]
pub struct RowList {
    shown: Vec<RowError>,
    /// Entries and distinct rows, of rows dropped and of values left out.
    entries: [u64; 2],
    rows: [u64; 2],
    last_row: [Option<usize>; 2],
    shown_of: [usize; 2],
    spill: Option<Spill>,
}

impl RowList {
    /// Adds an entry.
    pub fn push(&mut self, e: RowError) {
        let kind = Kind::of(&e);
        let k = kind as usize;
        self.entries[k] += 1;
        if self.last_row[k] != Some(e.row) {
            self.rows[k] += 1;
            self.last_row[k] = Some(e.row);
        }
        if self.shown_of[k] < SHOWN_ROWS {
            self.shown_of[k] += 1;
            self.shown.push(e);
            return;
        }
        if self.spill.is_none() {
            self.spill = Spill::create().ok();
        }
        let written = self.spill.as_mut().is_some_and(|s| writeln!(s.out, "{}{}", kind.mark(), row_line(&e)).is_ok());
        if !written {
            // No room for a temporary file: the entry stays in memory rather than being lost.
            self.spill = None;
            self.shown_of[k] += 1;
            self.shown.push(e);
        }
    }

    /// Rows with an entry of this kind (a row may have several).
    fn rows_of(&self, kind: Kind) -> u64 {
        self.rows[kind as usize]
    }

    /// Entries of this kind not kept in memory.
    fn hidden_of(&self, kind: Kind) -> u64 {
        self.entries[kind as usize] - self.shown.iter().filter(|e| Kind::of(e) == kind).count() as u64
    }
}

impl std::ops::Deref for RowList {
    type Target = [RowError];
    fn deref(&self) -> &[RowError] {
        &self.shown
    }
}

impl Extend<RowError> for RowList {
    fn extend<I: IntoIterator<Item = RowError>>(&mut self, iter: I) {
        for e in iter {
            self.push(e);
        }
    }
}

/// What one file of the content became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the site root.
    pub file: String,
    /// Name and identifier, for the report.
    pub who: String,
    /// Fields changed (`telephone (lieu 1)`); empty for a new file.
    pub fields: Vec<String>,
}

/// Where the data rows of the file went. Each row is counted once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    /// Data rows read (blank lines and the header aside).
    pub read: u64,
    /// Rows of members added by this import.
    pub imported: u64,
    /// Rows of existing members this import updated.
    pub updated: u64,
    /// Rows of existing members already up to date.
    pub unchanged: u64,
    /// Rows outside the territory.
    pub outside: u64,
    /// Rows refused: invalid, outside the directory's scope, or kept from being written.
    pub rejected: u64,
    /// Rows perhaps in the territory, whose commune cannot be told.
    pub ambiguous: u64,
}

impl RowCounts {
    /// The rows accounted for by an outcome.
    pub fn accounted(&self) -> u64 {
        self.imported + self.updated + self.unchanged + self.outside + self.rejected + self.ambiguous
    }

    /// Whether every row read has exactly one outcome.
    pub fn balanced(&self) -> bool {
        self.read == self.accounted()
    }
}

/// The outcome of an import.
#[derive(Debug, Default)]
pub struct Report {
    /// The source, for the report's title.
    pub source: String,
    /// The imported file name.
    pub file: String,
    /// The file's encoding, as detected.
    pub encoding: String,
    /// Where the rows went.
    pub rows: RowCounts,
    /// New member files.
    pub added: Vec<FileChange>,
    /// Updated member files, with the fields.
    pub updated: Vec<FileChange>,
    /// Member files matched and already up to date.
    pub unchanged: Vec<String>,
    /// Members the source no longer lists (never deleted).
    pub gone: Vec<FileChange>,
    /// Why departures were not looked for, when they were not.
    pub gone_skipped: Option<String>,
    /// Rows refused (`dropped`), and values left out of rows that were imported.
    pub rejected: RowList,
    /// Rows outside the directory's scope, by reason (profession or category outside the
    /// vocabulary), with their lines: counted among the refused rows.
    pub ignored: BTreeMap<String, Vec<usize>>,
    /// Rows whose commune cannot be told.
    pub ambiguous: RowList,
    /// Rows outside the territory, listed (spreadsheets: a coordinator wants to see them;
    /// national extracts only count them).
    pub outside: RowList,
    /// Points to check by hand (differences kept, files that could not be edited).
    pub notes: Vec<String>,
    /// Columns of a spreadsheet that were not used.
    pub unused_columns: Vec<String>,
    /// Nothing was written.
    pub dry_run: bool,
    /// Where the full report went, when the terminal's lists are cut short.
    pub full_report: Option<PathBuf>,
}

/// `n` and a word that agrees with it: French puts the plural from 2 on (`0 inchangé`,
/// `1 ligne`, `2 lignes`), and groups the digits (`1 800 000 lignes`).
pub fn count(n: u64, singular: &str, plural: &str) -> String {
    format!("{}\u{a0}{}", grouped(n), if n >= 2 { plural } else { singular })
}

impl Report {
    /// Adds a refused row.
    pub fn refuse(&mut self, row: usize, column: Option<&str>, value: &str, reason: impl Into<String>) {
        self.rows.rejected += 1;
        self.rejected.push(RowError::new(row, column, value, reason.into(), true));
    }

    /// Adds a value left out of a row that is imported without it.
    pub fn leave_out(&mut self, row: usize, column: &str, value: &str, reason: impl Into<String>) {
        self.rejected.push(RowError::new(row, Some(column), value, reason.into(), false));
    }

    /// Adds a row outside the directory's scope (a profession or category it does not list).
    pub fn ignore(&mut self, row: usize, reason: String) {
        self.rows.rejected += 1;
        self.ignored.entry(reason).or_default().push(row);
    }

    /// Adds an ambiguous row.
    pub fn ambiguous(&mut self, row: usize, column: Option<&str>, value: &str, reason: impl Into<String>) {
        self.rows.ambiguous += 1;
        self.ambiguous.push(RowError::new(row, column, value, reason.into(), true));
    }

    /// The report in French, for the terminal: each list of rows cut after [`SHOWN_ROWS`] of
    /// each kind, with the number of rows left and the full report's file.
    pub fn render(&self) -> String {
        let mut o = Vec::new();
        // Writing to memory does not fail; a spill file that cannot be read is only for `write_full`.
        let _ = self.render_to(&mut o, false);
        String::from_utf8_lossy(&o).into_owned()
    }

    /// Writes the full report to `path`: the terminal's, with every row of every list.
    pub fn write_full(&mut self, path: &Path) -> io::Result<()> {
        for list in [&mut self.rejected, &mut self.ambiguous, &mut self.outside] {
            if let Some(spill) = list.spill.as_mut() {
                spill.out.flush()?;
            }
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut out = BufWriter::new(fs::File::create(path)?);
        self.render_to(&mut out, true)?;
        out.flush()
    }

    /// Whether some list is longer than the terminal shows.
    pub fn is_cut(&self) -> bool {
        [&self.rejected, &self.ambiguous, &self.outside].iter().any(|l| l.spill.is_some())
    }

    fn render_to(&self, o: &mut dyn Write, full: bool) -> io::Result<()> {
        let r = &self.rows;
        let encoding = if self.encoding.is_empty() { String::new() } else { format!(", encodage {}", self.encoding) };
        writeln!(o, "Import {}, fichier {}{encoding}.", de(&self.source), self.file)?;
        writeln!(
            o,
            "{} {}\u{a0}: {}, {}, {}, {}\u{a0}hors du territoire, {}, {}.",
            count(r.read, "ligne", "lignes"),
            if r.read >= 2 { "lues" } else { "lue" },
            count(r.imported, "importée", "importées"),
            count(r.updated, "mise à jour", "mises à jour"),
            count(r.unchanged, "inchangée", "inchangées"),
            grouped(r.outside),
            count(r.rejected, "refusée", "refusées"),
            count(r.ambiguous, "ambiguë", "ambiguës"),
        )?;
        writeln!(
            o,
            "Membres\u{a0}: {}, {}, {}.",
            count(self.added.len() as u64, "ajouté", "ajoutés"),
            count(self.updated.len() as u64, "mis à jour", "mis à jour"),
            count(self.unchanged.len() as u64, "inchangé", "inchangés"),
        )?;
        let section = |o: &mut dyn Write, title: &str, items: &[FileChange], mark: &str| -> io::Result<()> {
            if items.is_empty() {
                return Ok(());
            }
            let (head, tail) = title.split_once(" — ").unwrap_or((title, ""));
            let tail = if tail.is_empty() { String::new() } else { format!(" — {tail}") };
            writeln!(o, "{head} ({}){tail}\u{a0}:", items.len())?;
            for c in items {
                if c.fields.is_empty() {
                    writeln!(o, "  {mark} {} — {}", c.file, c.who)?;
                } else {
                    writeln!(o, "  {mark} {} — {}\u{a0}: {}", c.file, c.who, c.fields.join(", "))?;
                }
            }
            Ok(())
        };
        section(o, "Ajoutés — non publiés en attendant l’accord de chacun", &self.added, "+")?;
        section(o, "Mis à jour", &self.updated, "~")?;
        section(o, "Absents du fichier — rien n’est supprimé, vérifiez-les à la main", &self.gone, "?")?;
        if let Some(why) = &self.gone_skipped {
            writeln!(o, "Départs non recherchés\u{a0}: {why}")?;
        }
        // Titled with the number of rows (a row may be refused for several reasons).
        let full_report = self.full_report.as_ref().map(|p| p.display().to_string());
        let rows = |o: &mut dyn Write, title: &str, list: &RowList, kind: Kind| -> io::Result<()> {
            if list.rows_of(kind) == 0 {
                return Ok(());
            }
            writeln!(o, "{title} ({})\u{a0}:", grouped(list.rows_of(kind)))?;
            for e in list.iter().filter(|e| Kind::of(e) == kind) {
                writeln!(o, "{}", row_line(e))?;
            }
            let hidden = list.hidden_of(kind);
            if hidden == 0 {
                return Ok(());
            }
            if full {
                let spill = list.spill.as_ref().map(|s| s.path.clone());
                let reader = io::BufReader::new(fs::File::open(spill.unwrap_or_default())?);
                for line in reader.lines() {
                    if let Some(text) = line?.strip_prefix(kind.mark()) {
                        writeln!(o, "{text}")?;
                    }
                }
                return Ok(());
            }
            let whole = match &full_report {
                Some(file) => format!(" ; la liste complète est dans {file}"),
                None => String::new(),
            };
            writeln!(o, "  … et {}{whole}", count(hidden, "autre", "autres"))
        };
        rows(o, "Lignes refusées", &self.rejected, Kind::Dropped)?;
        if !self.ignored.is_empty() {
            let n: usize = self.ignored.values().map(Vec::len).sum();
            writeln!(o, "Lignes hors du champ de l’annuaire, comptées parmi les refusées ({n})\u{a0}:")?;
            for (why, lines) in &self.ignored {
                let list: Vec<String> = lines.iter().map(usize::to_string).collect();
                writeln!(
                    o,
                    "  {}\u{a0}: {} {}",
                    printable_line(why),
                    if lines.len() >= 2 { "lignes" } else { "ligne" },
                    list.join(", ")
                )?;
            }
        }
        rows(o, "Lignes ambiguës — la commune n’est pas sûre, rien n’a été deviné", &self.ambiguous, Kind::Dropped)?;
        rows(o, "Lignes hors du territoire", &self.outside, Kind::Dropped)?;
        rows(o, "Valeurs laissées de côté — la ligne est importée sans elles", &self.rejected, Kind::LeftOut)?;
        if !self.unused_columns.is_empty() {
            writeln!(
                o,
                "Colonnes non reprises\u{a0}: {} (associez-les avec --map \"Colonne=cle\")",
                printable_line(&self.unused_columns.join(", "))
            )?;
        }
        if !self.notes.is_empty() {
            writeln!(o, "À vérifier\u{a0}:")?;
            for n in &self.notes {
                writeln!(o, "  - {n}")?;
            }
        }
        if self.dry_run {
            match &full_report {
                Some(file) => writeln!(
                    o,
                    "Simulation (--dry-run)\u{a0}: aucun fichier du site n’a été écrit, seulement ce rapport complet dans {file}."
                )?,
                None => writeln!(o, "Simulation (--dry-run)\u{a0}: aucun fichier n’a été écrit.")?,
            }
        }
        Ok(())
    }
}

fn de(source: &str) -> String {
    if source.starts_with(['A', 'a', 'E', 'e', 'I', 'i', 'O', 'o', 'U', 'u']) {
        format!("de l’{source}")
    } else if source.starts_with("tableau") || source.starts_with("classeur") {
        format!("du {source}")
    } else {
        format!("de {source}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_in_french() {
        assert_eq!(count(0, "inchangé", "inchangés"), "0\u{a0}inchangé");
        assert_eq!(count(1, "membre", "membres"), "1\u{a0}membre");
        assert_eq!(count(2, "membre", "membres"), "2\u{a0}membres");
        assert_eq!(count(1_800_000, "ligne", "lignes"), "1\u{202f}800\u{202f}000\u{a0}lignes");
    }

    #[test]
    fn the_summary_adds_up_and_agrees() {
        let mut r = Report { source: "tableau CSV".into(), file: "a.csv".into(), ..Report::default() };
        r.rows = RowCounts { read: 1, imported: 1, ..RowCounts::default() };
        r.added.push(FileChange { file: "content/membres/a-b.yaml".into(), who: "A B".into(), fields: vec![] });
        assert!(r.rows.balanced());
        let text = r.render();
        assert!(text.starts_with("Import du tableau CSV, fichier a.csv.\n"), "{text}");
        assert!(
            text.contains(
                "1\u{a0}ligne lue\u{a0}: 1\u{a0}importée, 0\u{a0}mise à jour, 0\u{a0}inchangée, 0\u{a0}hors du territoire, 0\u{a0}refusée, 0\u{a0}ambiguë.\n"
            ),
            "{text}"
        );
        assert!(text.contains("Membres\u{a0}: 1\u{a0}ajouté, 0\u{a0}mis à jour, 0\u{a0}inchangé.\n"), "{text}");
        r.refuse(3, Some("RPPS"), "123", "clé de Luhn fausse");
        r.rows.read += 1;
        assert!(r.rows.balanced());
        assert!(r.render().contains("Lignes refusées (1)\u{a0}:\n  ligne 3, colonne «\u{a0}RPPS\u{a0}», valeur «\u{a0}123\u{a0}»\u{a0}: clé de Luhn fausse\n"));
    }

    #[test]
    fn column_names_from_the_file_reach_the_report_without_control_characters() {
        // Found by fuzzing: a form feed in an unused column's heading was written as it was.
        let mut r = Report { source: "tableau CSV".into(), file: "a.csv".into(), ..Report::default() };
        r.unused_columns = vec!["C\u{c}vilité".into(), "Remarque".into()];
        r.refuse(2, Some("Pro\u{1b}[2Jfession"), "x\u{7}", "profession inconnue");
        r.ignored.insert("profession «\u{a0}A\u{c}ncien\u{a0}» hors du vocabulaire".into(), vec![11]);
        r.ambiguous(3, Some("Commune"), "E LUC", "colonne (ADELI A\u{c}ncien) : commune introuvable");
        let text = r.render();
        assert!(text.contains("Colonnes non reprises\u{a0}: C<U+000C>vilité, Remarque ("), "{text}");
        assert!(
            text.contains("profession «\u{a0}A<U+000C>ncien\u{a0}» hors du vocabulaire\u{a0}: ligne 11\n"),
            "{text}"
        );
        assert!(text.contains("valeur «\u{a0}E LUC\u{a0}»\u{a0}: colonne (ADELI A<U+000C>ncien) : commune"), "{text}");
        assert!(text.contains("colonne «\u{a0}Pro<U+001B>[2Jfession\u{a0}», valeur «\u{a0}x<U+0007>\u{a0}»"), "{text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    }
}
