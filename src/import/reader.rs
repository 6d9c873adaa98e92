//! What every reader shares and hands over: the options and errors of an import, the members a
//! source describes ([`Candidate`], [`Place`]), the identifiers it lists ([`Seen`]) and the
//! [`Read`] that goes to [`super::merge::merge`].

use super::report::Report;
use crate::domain::text::slugify;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Which source a file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// `PS_LibreAcces_Personne_activite` of the Annuaire Santé.
    Rpps,
    /// The etalab FINESS establishments file.
    Finess,
    /// A coordinator's CSV file.
    Csv,
    /// A coordinator's XLSX, XLS or ODS workbook.
    Workbook,
}

impl SourceKind {
    /// Name of the source in the report.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Rpps => "Annuaire Santé (RPPS)",
            SourceKind::Finess => "FINESS",
            SourceKind::Csv => "tableau CSV",
            SourceKind::Workbook => "classeur",
        }
    }

    /// The `maillage import` subcommand that reads this source.
    pub fn command(self) -> &'static str {
        match self {
            SourceKind::Rpps => "rpps",
            SourceKind::Finess => "finess",
            SourceKind::Csv => "csv",
            SourceKind::Workbook => "xlsx",
        }
    }
}

/// How to run an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Site root (holds `content/`).
    pub root: PathBuf,
    /// The day the import runs, for the checks run before anything is written.
    pub today: jiff::civil::Date,
    /// Compute the report, write nothing.
    pub dry_run: bool,
    /// Show a progress bar (only when stderr is a terminal and `--quiet` is not given).
    pub progress: bool,
    /// Extra column mappings for spreadsheets: header → key.
    pub map: Vec<(String, String)>,
}

/// Why an import could not run at all. Problems with single rows go in the [`Report`] instead.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read or written.
    #[error("{path} : {}", crate::french::io_error(.source))]
    Io {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// `content/cpts.yaml` is missing or invalid: the territory is unknown.
    #[error("impossible de lire le territoire dans {0}")]
    Territory(String),
    /// The file is not in the expected format.
    #[error("{0}")]
    Format(String),
}

/// Shortcut for I/O errors on a path.
pub(crate) fn io_err(path: &Path, source: std::io::Error) -> ImportError {
    ImportError::Io { path: path.display().to_string(), source }
}

/// A progress bar on stderr over `len` bytes, hidden unless asked for.
pub(crate) fn progress_bar(len: u64, show: bool) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new(len);
    if let Some(style) = crate::french::progress_style(
        "{spinner} {msg} {octets}/{total_octets} [{bar:40}] {percent}\u{a0}% — reste {reste}",
    ) {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message("lecture");
    pb
}

/// A place of practice read from a source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    /// Name of the place (cabinet, maison de santé).
    pub nom: Option<String>,
    /// Street address.
    pub adresse: String,
    /// Postal code.
    pub code_postal: String,
    /// INSEE code of the commune (a territory commune).
    pub commune: String,
    /// `[lat, lon]`.
    pub coordonnees: Option<[f64; 2]>,
    /// Phone, already written `04 94 12 34 56`.
    pub telephone: Option<String>,
    /// E-mail address.
    pub courriel: Option<String>,
    /// Accessible to wheelchair users, when the source says (spreadsheets only).
    pub accessible_pmr: Option<bool>,
}

/// What a coordinator's spreadsheet may state beyond what public sources know: facts the
/// coordinator owns, so the import only fills them where the member's file says nothing. `None`
/// is "not stated", never "no".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Accepts new patients.
    pub accepte_nouveaux_patients: Option<bool>,
    /// Takes part in same-day care.
    pub soins_non_programmes: Option<bool>,
    /// Offers teleconsultation.
    pub teleconsultation: Option<bool>,
    /// Visits patients at home.
    pub visites_domicile: Option<bool>,
    /// Languages spoken besides French (`Some([])`: French only).
    pub langues: Option<Vec<String>>,
}

/// A member as a source describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Candidate {
    /// `M.` or `Mme`.
    pub civilite: Option<String>,
    /// `Dr` or `Pr`.
    pub titre: Option<String>,
    /// First name.
    pub prenom: Option<String>,
    /// Last name.
    pub nom: Option<String>,
    /// Name of a structure.
    pub raison_sociale: Option<String>,
    /// Profession key.
    pub profession: Option<String>,
    /// Structure key.
    pub structure: Option<String>,
    /// Specialty.
    pub specialite: Option<String>,
    /// RPPS number.
    pub rpps: Option<String>,
    /// ADELI number.
    pub adeli: Option<String>,
    /// FINESS number.
    pub finess: Option<String>,
    /// SIRET.
    pub siret: Option<String>,
    /// `liberal`, `salarie` or `mixte`.
    pub exercice: Option<String>,
    /// Places in the territory.
    pub lieux: Vec<Place>,
    /// Facts the coordinator owns (spreadsheets).
    pub facts: Facts,
    /// The source lines (or spreadsheet rows) this member was read from, 1-based.
    pub rows: Vec<usize>,
    /// The keys of `lieux`, so that adding a place is not a walk through all of them.
    pub(super) place_keys: PlaceKeys,
}

/// The keys (commune, address folded) of a candidate's places, built as places are added: a
/// file repeating one member on a million rows adds each place in constant time. A cache, not
/// part of the candidate's value (two candidates with the same places are equal).
#[derive(Debug, Clone, Default)]
pub(super) struct PlaceKeys {
    keys: HashSet<(String, String)>,
    /// How many of the candidate's first places the keys cover (places can be pushed directly).
    covered: usize,
}

impl PartialEq for PlaceKeys {
    fn eq(&self, _: &PlaceKeys) -> bool {
        true
    }
}

/// A place's key: the places of a member are the same when this is.
fn place_key(p: &Place) -> (String, String) {
    (p.commune.clone(), slugify(&p.adresse))
}

impl Candidate {
    /// Name shown in the report.
    pub fn display_name(&self) -> String {
        match (&self.raison_sociale, &self.prenom, &self.nom) {
            (Some(r), _, _) => r.clone(),
            (None, p, n) => [p.as_deref(), n.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" "),
        }
    }

    /// The identifier shown in the report (`RPPS 10000000009`).
    pub fn display_id(&self) -> String {
        let ids = [("RPPS", &self.rpps), ("ADELI", &self.adeli), ("FINESS", &self.finess), ("SIRET", &self.siret)];
        ids.iter().find_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}"))).unwrap_or_else(|| "sans numéro".into())
    }

    /// Adds a place unless an equivalent one (same commune and address) is already there.
    pub fn add_place(&mut self, p: Place) {
        let cache = &mut self.place_keys;
        for q in &self.lieux[cache.covered.min(self.lieux.len())..] {
            cache.keys.insert(place_key(q));
        }
        if cache.keys.insert(place_key(&p)) {
            self.lieux.push(p);
        }
        cache.covered = self.lieux.len();
    }
}

/// A place's name and address from the parts sources give: the site's name, the address
/// complement (a building, a residence, a maison de santé: AFNOR line 3), the street (line 4)
/// and the distribution mention (a BP, a lieu-dit: line 5). Nothing is lost: the complement
/// names the place when nothing else does, and goes before the street otherwise; the mention
/// goes after it. `("Cabinet X", "Résidence A", "2 rue B", "BP 5")` →
/// `(Some("Cabinet X"), "Résidence A, 2 rue B, BP 5")`.
pub(crate) fn compose_address(
    name: Option<String>,
    complement: &str,
    street: &str,
    mention: &str,
) -> (Option<String>, String) {
    let mut parts: Vec<&str> = [street, mention].into_iter().filter(|s| !s.is_empty()).collect();
    let name = name.filter(|n| !n.is_empty());
    let name = match name {
        None if !complement.is_empty() && !parts.is_empty() => Some(complement.to_string()),
        name => {
            if !complement.is_empty() && name.as_deref() != Some(complement) {
                parts.insert(0, complement);
            }
            name
        }
    };
    (name, parts.join(", "))
}

pub(super) fn same_place(c1: &str, a1: &str, c2: &str, a2: &str) -> bool {
    c1 == c2 && slugify(a1) == slugify(a2)
}

/// What the source says about the members it covers, for the list of departures: the
/// identifiers it lists in the territory (rows refused, ambiguous or out of the vocabulary
/// included), and what it covers — the professions or kinds of structure and the communes it has
/// rows for. A member is only looked for in a source that covers its kind and one of its communes
/// (a partial extract says nothing about the rest).
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// RPPS and ADELI numbers.
    pub people: HashSet<String>,
    /// FINESS numbers.
    pub structures: HashSet<String>,
    /// Profession or structure keys the source has rows for in the territory.
    pub kinds: HashSet<String>,
    /// INSEE codes of the territory's communes the source has rows for.
    pub communes: HashSet<String>,
}

/// What a reader hands to [`super::merge::merge`].
#[derive(Debug, Default)]
pub struct Read {
    /// Members found, in source order.
    pub candidates: Vec<Candidate>,
    /// Identifiers the source lists in the territory.
    pub seen: Seen,
    /// The report so far (rows, rejected, ignored).
    pub report: Report,
}
