//! The report of an import, the same for every source, rendered in French for the coordinator.
//!
//! Every data row of the file ends in exactly one place ([`RowCounts`]): imported into a new
//! member, into a member updated, into a member already up to date, outside the territory,
//! refused (with its line and why), or ambiguous (in the territory perhaps, but which commune the
//! row does not say). `read` is their sum: nothing is dropped in silence ([`RowCounts::balanced`]).

use crate::render::text::grouped;
use std::collections::BTreeMap;
use std::fmt::Write as _;

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
#[derive(Debug, Clone, Default)]
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
    pub rejected: Vec<RowError>,
    /// Rows outside the directory's scope, by reason (profession or category outside the
    /// vocabulary), with their lines: counted among the refused rows.
    pub ignored: BTreeMap<String, Vec<usize>>,
    /// Rows whose commune cannot be told.
    pub ambiguous: Vec<RowError>,
    /// Rows outside the territory, listed (spreadsheets: a coordinator wants to see them;
    /// national extracts only count them).
    pub outside: Vec<RowError>,
    /// Points to check by hand (differences kept, files that could not be edited).
    pub notes: Vec<String>,
    /// Columns of a spreadsheet that were not used.
    pub unused_columns: Vec<String>,
    /// Nothing was written.
    pub dry_run: bool,
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

    /// The report in French, for the terminal.
    pub fn render(&self) -> String {
        let mut o = String::new();
        let r = &self.rows;
        let encoding = if self.encoding.is_empty() { String::new() } else { format!(", encodage {}", self.encoding) };
        let _ = writeln!(o, "Import {}, fichier {}{encoding}.", de(&self.source), self.file);
        let _ = writeln!(
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
        );
        let _ = writeln!(
            o,
            "Membres\u{a0}: {}, {}, {}.",
            count(self.added.len() as u64, "ajouté", "ajoutés"),
            count(self.updated.len() as u64, "mis à jour", "mis à jour"),
            count(self.unchanged.len() as u64, "inchangé", "inchangés"),
        );
        let section = |o: &mut String, title: &str, items: &[FileChange], mark: &str| {
            if items.is_empty() {
                return;
            }
            let (head, tail) = title.split_once(" — ").unwrap_or((title, ""));
            let tail = if tail.is_empty() { String::new() } else { format!(" — {tail}") };
            let _ = writeln!(o, "{head} ({}){tail}\u{a0}:", items.len());
            for c in items {
                if c.fields.is_empty() {
                    let _ = writeln!(o, "  {mark} {} — {}", c.file, c.who);
                } else {
                    let _ = writeln!(o, "  {mark} {} — {}\u{a0}: {}", c.file, c.who, c.fields.join(", "));
                }
            }
        };
        section(&mut o, "Ajoutés — non publiés en attendant l’accord de chacun", &self.added, "+");
        section(&mut o, "Mis à jour", &self.updated, "~");
        section(&mut o, "Absents du fichier — rien n’est supprimé, vérifiez-les à la main", &self.gone, "?");
        if let Some(why) = &self.gone_skipped {
            let _ = writeln!(o, "Départs non recherchés\u{a0}: {why}");
        }
        // Titled with the number of rows (a row may be refused for several reasons).
        let rows = |o: &mut String, title: &str, list: &[&RowError]| {
            if list.is_empty() {
                return;
            }
            let distinct: std::collections::BTreeSet<usize> = list.iter().map(|e| e.row).collect();
            let _ = writeln!(o, "{title} ({})\u{a0}:", distinct.len());
            for e in list {
                let col = e.column.as_ref().map(|c| format!(", colonne «\u{a0}{c}\u{a0}»")).unwrap_or_default();
                let value =
                    if e.value.is_empty() { String::new() } else { format!(", valeur «\u{a0}{}\u{a0}»", e.value) };
                let _ = writeln!(o, "  ligne {}{col}{value}\u{a0}: {}", e.row, e.reason);
            }
        };
        let dropped: Vec<&RowError> = self.rejected.iter().filter(|e| e.dropped).collect();
        rows(&mut o, "Lignes refusées", &dropped);
        if !self.ignored.is_empty() {
            let n: usize = self.ignored.values().map(Vec::len).sum();
            let _ = writeln!(o, "Lignes hors du champ de l’annuaire, comptées parmi les refusées ({n})\u{a0}:");
            for (why, lines) in &self.ignored {
                let list: Vec<String> = lines.iter().map(usize::to_string).collect();
                let _ = writeln!(
                    o,
                    "  {why}\u{a0}: {} {}",
                    if lines.len() >= 2 { "lignes" } else { "ligne" },
                    list.join(", ")
                );
            }
        }
        let ambiguous: Vec<&RowError> = self.ambiguous.iter().collect();
        rows(&mut o, "Lignes ambiguës — la commune n’est pas sûre, rien n’a été deviné", &ambiguous);
        let outside: Vec<&RowError> = self.outside.iter().collect();
        rows(&mut o, "Lignes hors du territoire", &outside);
        let left_out: Vec<&RowError> = self.rejected.iter().filter(|e| !e.dropped).collect();
        rows(&mut o, "Valeurs laissées de côté — la ligne est importée sans elles", &left_out);
        if !self.unused_columns.is_empty() {
            let _ = writeln!(
                o,
                "Colonnes non reprises\u{a0}: {} (associez-les avec --map \"Colonne=cle\")",
                self.unused_columns.join(", ")
            );
        }
        if !self.notes.is_empty() {
            let _ = writeln!(o, "À vérifier\u{a0}:");
            for n in &self.notes {
                let _ = writeln!(o, "  - {n}");
            }
        }
        if self.dry_run {
            let _ = writeln!(o, "Simulation (--dry-run)\u{a0}: aucun fichier n’a été écrit.");
        }
        o
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
}
