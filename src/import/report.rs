//! The report of an import, the same for every source: rows read, members added, updated and
//! gone, rows refused, notes; rendered in French for the coordinator.

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

/// The outcome of an import.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The source, for the report's title.
    pub source: String,
    /// The imported file name.
    pub file: String,
    /// Data lines read.
    pub rows: u64,
    /// Lines kept (in the territory, usable).
    pub kept: u64,
    /// New member files.
    pub added: Vec<FileChange>,
    /// Updated member files, with the fields.
    pub updated: Vec<FileChange>,
    /// Member files matched and already up to date.
    pub unchanged: Vec<String>,
    /// Members the source no longer lists (never deleted).
    pub gone: Vec<FileChange>,
    /// Rows or values refused.
    pub rejected: Vec<RowError>,
    /// Rows skipped on purpose, by reason (profession or category outside the vocabulary).
    pub ignored: BTreeMap<String, u64>,
    /// Points to check by hand (differences kept, files that could not be edited).
    pub notes: Vec<String>,
    /// Columns of a spreadsheet that were not used.
    pub unused_columns: Vec<String>,
    /// Nothing was written.
    pub dry_run: bool,
}

impl Report {
    /// The report in French, for the terminal.
    pub fn render(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "Import {}, fichier {}\u{a0}: {} {} lue{}, {} retenue{} sur le territoire.",
            de(&self.source),
            self.file,
            self.rows,
            if self.kept > 1 || self.rows > 1 { "lignes" } else { "ligne" },
            if self.rows > 1 { "s" } else { "" },
            self.kept,
            if self.kept > 1 { "s" } else { "" },
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
        let _ = writeln!(o, "Inchangés\u{a0}: {}", self.unchanged.len());
        section(&mut o, "Absents de la source — rien n’est supprimé, vérifiez-les à la main", &self.gone, "?");
        if !self.rejected.is_empty() {
            let _ = writeln!(o, "Lignes ou valeurs refusées ({})\u{a0}:", self.rejected.len());
            for r in &self.rejected {
                let col = r.column.as_ref().map(|c| format!(", colonne «\u{a0}{c}\u{a0}»")).unwrap_or_default();
                let what = if r.dropped { "ligne ignorée" } else { "valeur laissée de côté" };
                let _ = writeln!(
                    o,
                    "  ligne {}{col}, valeur «\u{a0}{}\u{a0}»\u{a0}: {} ({what})",
                    r.row, r.value, r.reason
                );
            }
        }
        if !self.ignored.is_empty() {
            let n: u64 = self.ignored.values().sum();
            let _ = writeln!(o, "Lignes du territoire hors du champ de l’annuaire ({n})\u{a0}:");
            for (why, n) in &self.ignored {
                let _ = writeln!(o, "  {why}\u{a0}: {n}");
            }
        }
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
