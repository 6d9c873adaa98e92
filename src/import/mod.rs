//! `maillage import`: members from the Annuaire Santé (RPPS), FINESS and coordinators'
//! spreadsheets, merged into `content/membres/*.yaml`.
//!
//! Every source is read into [`Candidate`]s; [`merge`] then applies the same rules to all of them:
//! a member is found by RPPS, ADELI, FINESS or SIRET; the fields the source owns are updated, the
//! ones the coordinator owns (flags, texts, booking links, hours, images, languages, `publie`) are
//! never touched; new people are written unpublished; people missing from the source are reported,
//! never deleted. Existing files are edited at the text level ([`yaml_edit`]) so that comments and
//! layout survive, and every file is written atomically.

pub mod finess;
pub mod rpps;
pub mod spreadsheet;
pub mod yaml_edit;

use crate::domain::ids;
use crate::domain::text::{fold, slugify};
use crate::model::{Cpts, MemberFile};
use crate::source::decode_yaml;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use yaml_edit::{MemberText, coordinates, quoted, scalar};

/// Top-level keys of a member file, in the order Maillage writes them.
pub const KEY_ORDER: &[&str] = &[
    "civilite",
    "titre",
    "prenom",
    "nom",
    "raison_sociale",
    "profession",
    "structure",
    "specialite",
    "rpps",
    "adeli",
    "finess",
    "siret",
    "exercice",
    "lieux",
    "accepte_nouveaux_patients",
    "soins_non_programmes",
    "teleconsultation",
    "langues",
    "presentation",
    "image",
    "membres",
    "maitre_de_stage",
    "publie",
];

/// Keys of a place, in the order Maillage writes them.
pub const PLACE_ORDER: &[&str] = &[
    "nom",
    "adresse",
    "code_postal",
    "commune",
    "coordonnees",
    "telephone",
    "courriel",
    "prise_rdv",
    "horaires",
    "accessible_pmr",
];

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

    fn command(self) -> &'static str {
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
    /// Compute the report, write nothing.
    pub dry_run: bool,
    /// Show a progress bar (only when stderr is a terminal).
    pub progress: bool,
    /// Extra column mappings for spreadsheets: header → key.
    pub map: Vec<(String, String)>,
}

/// Why an import could not run at all. Problems with single rows go in the [`Report`] instead.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read or written.
    #[error("{path} : {source}")]
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
        if !self.lieux.iter().any(|q| same_place(q.commune.as_str(), &q.adresse, &p.commune, &p.adresse)) {
            self.lieux.push(p);
        }
    }
}

fn same_place(c1: &str, a1: &str, c2: &str, a2: &str) -> bool {
    c1 == c2 && slugify(a1) == slugify(a2)
}

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

/// One commune of the territory, with what is needed to recognise it in a source.
#[derive(Debug, Clone)]
pub struct TerritoryCommune {
    /// INSEE code.
    pub insee: String,
    /// Name as written in cpts.yaml.
    pub nom: String,
    /// Postal codes.
    pub codes_postaux: Vec<String>,
    /// Centre `[lat, lon]`.
    pub centre: [f64; 2],
}

/// The territory's communes, read from `content/cpts.yaml`.
#[derive(Debug, Clone)]
pub struct Territory {
    /// The communes.
    pub communes: Vec<TerritoryCommune>,
    /// Département of the CPTS.
    pub departement: String,
    insee: HashSet<String>,
    postal: HashSet<String>,
}

impl Territory {
    /// Reads `ROOT/content/cpts.yaml`.
    pub fn load(root: &Path) -> Result<Territory, ImportError> {
        let path = root.join("content").join("cpts.yaml");
        let rel = "content/cpts.yaml";
        let text = fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
        let cpts: Cpts = decode_yaml(rel, &text)
            .map_err(|d| ImportError::Territory(format!("{rel} (ligne {}) : {}", d.line, d.message)))?;
        let communes = cpts
            .territoire
            .communes
            .iter()
            .map(|c| TerritoryCommune {
                insee: c.insee.value.clone(),
                nom: c.nom.clone(),
                codes_postaux: c.codes_postaux.iter().map(|p| p.value.clone()).collect(),
                centre: c.centre.value,
            })
            .collect();
        Ok(Territory::new(communes, cpts.territoire.departement.value))
    }

    /// A territory from its communes.
    pub fn new(communes: Vec<TerritoryCommune>, departement: String) -> Territory {
        let insee = communes.iter().map(|c| c.insee.clone()).collect();
        let postal = communes.iter().flat_map(|c| c.codes_postaux.iter().cloned()).collect();
        Territory { communes, departement, insee, postal }
    }

    /// Whether an INSEE code belongs to the territory.
    pub fn has_insee(&self, code: &str) -> bool {
        self.insee.contains(code)
    }

    /// Whether a postal code is one of the territory's.
    pub fn has_postal(&self, code: &str) -> bool {
        self.postal.contains(code)
    }

    /// The commune with this INSEE code.
    pub fn commune(&self, insee: &str) -> Option<&TerritoryCommune> {
        self.communes.iter().find(|c| c.insee == insee)
    }

    /// Finds a commune from a postal code and a name as sources write them ("ST ANTONIN DU VAR",
    /// "LE LUC CEDEX"). With no name, a postal code that belongs to one commune only is enough.
    pub fn resolve(&self, postal: &str, name: &str) -> Option<&TerritoryCommune> {
        let key = commune_key(name);
        let with_postal =
            || self.communes.iter().filter(|c| postal.is_empty() || c.codes_postaux.iter().any(|p| p == postal));
        if key.is_empty() {
            let mut it = with_postal();
            let first = it.next()?;
            return (it.next().is_none() && !postal.is_empty()).then_some(first);
        }
        with_postal().find(|c| commune_key(&c.nom) == key)
    }

    /// Finds a commune from an INSEE code or a name (spreadsheets accept both).
    pub fn find(&self, value: &str, postal: &str) -> Option<&TerritoryCommune> {
        let v = value.trim();
        self.commune(v).or_else(|| self.resolve(postal, v)).or_else(|| self.resolve("", v))
    }
}

/// Comparable form of a commune name: no accents, case, punctuation, `CEDEX`, and `ST`/`STE` for
/// `Saint`/`Sainte`.
pub fn commune_key(name: &str) -> String {
    let folded = fold(name);
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "cedex" && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(|w| match w {
            "saint" => "st",
            "sainte" => "ste",
            w => w,
        })
        .collect()
}

/// Decodes bytes as UTF-8 (without BOM), or Windows-1252 (a superset of Latin-1 for the
/// printable characters) when they are not.
pub fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Writes a name or label that a source gives in capitals ("JEAN-PIERRE", "MAISON DE SANTE DE
/// L ARGENS") in ordinary case; text already in mixed case is kept.
pub fn tidy_case(s: &str) -> String {
    tidy(s, true)
}

/// Like [`tidy_case`], for the end of a phrase: small words stay lower case even first ("DE LA
/// RESISTANCE" after "avenue" → "de la Resistance").
pub fn tidy_case_tail(s: &str) -> String {
    tidy(s, false)
}

fn tidy(s: &str, capitalise_first: bool) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().any(char::is_lowercase) {
        return s;
    }
    const ACRONYMS: &[&str] = &[
        "EHPAD", "SSIAD", "CMP", "MSP", "HAD", "SMR", "USLD", "CH", "CHU", "SAS", "SELARL", "SCM", "SCP", "SISA", "DAC",
    ];
    const SMALL: &[&str] =
        &["de", "du", "des", "la", "le", "les", "et", "en", "sur", "sous", "aux", "au", "à", "d", "l"];
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let mut first_word = capitalise_first;
    let flush = |word: &mut String, out: &mut String, first_word: &mut bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let keep_small = !*first_word && SMALL.contains(&lower.as_str());
        if ACRONYMS.contains(&word.as_str()) {
            out.push_str(word);
        } else if keep_small {
            out.push_str(&lower);
        } else {
            let mut cs = lower.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_uppercase());
                out.push_str(cs.as_str());
            }
        }
        *first_word = false;
        word.clear();
    };
    for c in s.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut first_word);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut first_word);
    out
}

/// A phone number as Maillage writes it, or `None` when it is not a French number.
pub fn tidy_phone(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    ids::phone(t).ok().filter(|p| p.tel.starts_with("+33")).map(|p| p.display)
}

/// An existing member file.
struct Existing {
    rel: String,
    path: PathBuf,
    slug: String,
    text: String,
    data: MemberFile,
}

/// Reads every `content/membres/*.yaml`. Files that do not parse are reported and left alone.
fn read_members(root: &Path, report: &mut Report) -> Result<(Vec<Existing>, HashSet<String>), ImportError> {
    let dir = root.join("content").join("membres");
    let mut out = Vec::new();
    let mut slugs = HashSet::new();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((out, slugs)),
        Err(e) => return Err(io_err(&dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        let Some(slug) = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml")).map(str::to_string) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        slugs.insert(slug.clone());
        let rel = format!("content/membres/{name}");
        let text = fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
        match decode_yaml::<MemberFile>(&rel, &text) {
            Ok(data) => out.push(Existing { rel, path, slug, text, data }),
            Err(d) => report.notes.push(format!(
                "{rel} n’a pas pu être lu ({}) : corrigez-le ; l’import ne l’a pas pris en compte",
                d.message
            )),
        }
    }
    Ok((out, slugs))
}

/// Writes a file atomically: a temporary file in the same folder, then a rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), ImportError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("membre.yaml");
    let tmp = dir.join(format!(".{name}.import-{}", std::process::id()));
    fs::write(&tmp, text).map_err(|e| io_err(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err(path, e)
    })
}

/// What the source says about the members it covers, for the "gone" list: the identifiers it
/// lists in the territory (rows refused or out of the vocabulary included).
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// RPPS and ADELI numbers.
    pub people: HashSet<String>,
    /// FINESS numbers.
    pub structures: HashSet<String>,
}

/// Applies the candidates to `content/membres/` and completes the report.
pub fn merge(
    kind: SourceKind,
    candidates: Vec<Candidate>,
    seen: &Seen,
    opts: &ImportOptions,
    report: &mut Report,
) -> Result<(), ImportError> {
    report.dry_run = opts.dry_run;
    let (mut existing, mut slugs) = read_members(&opts.root, report)?;
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    for (i, e) in existing.iter().enumerate() {
        let d = &e.data;
        for (k, v) in [("rpps", &d.rpps), ("adeli", &d.adeli), ("finess", &d.finess), ("siret", &d.siret)] {
            if let Some(v) = v {
                by_id.entry(format!("{k}:{}", v.value)).or_insert(i);
            }
        }
        by_slug.insert(e.slug.clone(), i);
    }
    let mut matched: HashSet<usize> = HashSet::new();
    for c in candidates {
        let ids = [("rpps", &c.rpps), ("adeli", &c.adeli), ("finess", &c.finess), ("siret", &c.siret)];
        let mut found = ids.iter().find_map(|(k, v)| v.as_ref().and_then(|v| by_id.get(&format!("{k}:{v}")).copied()));
        if found.is_none() && ids.iter().all(|(_, v)| v.is_none()) {
            // No identifier (spreadsheets): the file named after the person or structure.
            found = by_slug.get(&slugify(&c.display_name())).copied();
        }
        match found {
            Some(i) if matched.contains(&i) => {
                report.notes.push(format!(
                    "{} ({}) correspond à une fiche déjà mise à jour par cet import, {} : doublon dans la source ?",
                    c.display_name(),
                    c.display_id(),
                    existing[i].rel
                ));
            }
            Some(i) => {
                matched.insert(i);
                update(kind, &mut existing[i], &c, opts, report)?;
            }
            None => {
                let base = slugify(&c.display_name());
                let base = if base.is_empty() { "membre".to_string() } else { base };
                let mut slug = base.clone();
                let mut n = 2;
                while slugs.contains(&slug) {
                    slug = format!("{base}-{n}");
                    n += 1;
                }
                slugs.insert(slug.clone());
                let rel = format!("content/membres/{slug}.yaml");
                let text = new_file(kind, &c);
                if let Err(d) = decode_yaml::<MemberFile>(&rel, &text) {
                    report.notes.push(format!("{rel} n’a pas été créé : {} (signalez-le)", d.message));
                    continue;
                }
                if !opts.dry_run {
                    write_atomic(&opts.root.join(&rel), &text)?;
                }
                report.added.push(FileChange {
                    file: rel,
                    who: format!("{} ({})", c.display_name(), c.display_id()),
                    fields: Vec::new(),
                });
            }
        }
    }
    for (i, e) in existing.iter().enumerate() {
        if matched.contains(&i) {
            continue;
        }
        let d = &e.data;
        let gone_id = match kind {
            SourceKind::Rpps => d
                .rpps
                .as_ref()
                .map(|v| ("RPPS", &v.value))
                .or(d.adeli.as_ref().map(|v| ("ADELI", &v.value)))
                .filter(|(_, v)| !seen.people.contains(*v)),
            SourceKind::Finess => d
                .finess
                .as_ref()
                .filter(|_| d.structure.is_some())
                .map(|v| ("FINESS", &v.value))
                .filter(|(_, v)| !seen.structures.contains(*v)),
            SourceKind::Csv | SourceKind::Workbook => None,
        };
        if let Some((k, v)) = gone_id {
            let name = d.raison_sociale.clone().unwrap_or_else(|| {
                [d.prenom.as_deref(), d.nom.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
            });
            report.gone.push(FileChange { file: e.rel.clone(), who: format!("{name} ({k} {v})"), fields: Vec::new() });
        }
    }
    Ok(())
}

fn opt_s(v: &Option<crate::model::S<String>>) -> Option<&str> {
    v.as_ref().map(|s| s.value.as_str())
}

/// Updates one existing member from a candidate, editing its text surgically.
fn update(
    kind: SourceKind,
    e: &mut Existing,
    c: &Candidate,
    opts: &ImportOptions,
    report: &mut Report,
) -> Result<(), ImportError> {
    let who = format!("{} ({})", c.display_name(), c.display_id());
    let mut t = MemberText::parse(&e.text);
    let places_in_text = match t.place_count() {
        Ok(n) if n == e.data.lieux.len() => n,
        Ok(_) | Err(_) => {
            report.notes.push(format!(
                "{} : la liste « lieux » n’a pas la forme attendue (« - adresse: … ») ; fiche non mise à jour",
                e.rel
            ));
            report.unchanged.push(e.rel.clone());
            return Ok(());
        }
    };
    let d = &e.data;
    let mut fields = Vec::new();
    let is_structure = d.structure.is_some();
    let top: [(&str, Option<&str>, Option<&str>, bool); 13] = [
        ("civilite", c.civilite.as_deref(), opt_s(&d.civilite), false),
        ("titre", c.titre.as_deref(), opt_s(&d.titre), false),
        ("prenom", c.prenom.as_deref(), d.prenom.as_deref(), false),
        ("nom", c.nom.as_deref(), d.nom.as_deref(), false),
        ("raison_sociale", c.raison_sociale.as_deref(), d.raison_sociale.as_deref(), false),
        ("profession", c.profession.as_deref().filter(|_| !is_structure), opt_s(&d.profession), false),
        ("structure", c.structure.as_deref().filter(|_| d.profession.is_none()), opt_s(&d.structure), false),
        ("specialite", c.specialite.as_deref(), d.specialite.as_deref(), false),
        ("rpps", c.rpps.as_deref(), opt_s(&d.rpps), true),
        ("adeli", c.adeli.as_deref(), opt_s(&d.adeli), true),
        ("finess", c.finess.as_deref(), opt_s(&d.finess), true),
        ("siret", c.siret.as_deref(), opt_s(&d.siret), true),
        ("exercice", c.exercice.as_deref(), opt_s(&d.exercice), false),
    ];
    for (key, new, old, quote) in top {
        if let Some(new) = new
            && Some(new) != old
        {
            t.set_top(key, &if quote { quoted(new) } else { scalar(new) }, KEY_ORDER);
            fields.push(key.to_string());
        }
    }
    // Places: matched by commune and address, or by commune alone when each side has one place
    // there (the coordinator may have rewritten the address).
    let mut used = vec![false; places_in_text];
    let mut appended = Vec::new();
    for p in &c.lieux {
        let exact = d
            .lieux
            .iter()
            .enumerate()
            .position(|(i, l)| !used[i] && same_place(&l.commune.value, &l.adresse, &p.commune, &p.adresse));
        let by_commune = || {
            let mine: Vec<usize> = (0..d.lieux.len()).filter(|&i| d.lieux[i].commune.value == p.commune).collect();
            let theirs = c.lieux.iter().filter(|q| q.commune == p.commune).count();
            (mine.len() == 1 && theirs == 1 && !used[mine[0]]).then(|| mine[0])
        };
        let Some(i) = exact.or_else(by_commune) else {
            appended.push(p);
            continue;
        };
        used[i] = true;
        let l = &d.lieux[i];
        if exact.is_none() {
            report.notes.push(format!(
                "{} : l’adresse du lieu {} diffère de la source («\u{a0}{}\u{a0}») ; celle de la fiche est gardée",
                e.rel,
                i + 1,
                p.adresse
            ));
        }
        let cp_ok = l.code_postal.value == p.code_postal;
        let phone_same = match (&p.telephone, &l.telephone) {
            (Some(a), Some(b)) => tidy_phone(&b.value).as_deref() == Some(a.as_str()),
            (None, _) => true,
            (Some(_), None) => false,
        };
        let changes: [(&str, Option<String>, bool); 5] = [
            ("nom", p.nom.as_ref().map(|v| scalar(v)), p.nom.is_none() || p.nom.as_deref() == l.nom.as_deref()),
            ("code_postal", Some(quoted(&p.code_postal)), cp_ok),
            (
                "coordonnees",
                p.coordonnees.map(coordinates),
                p.coordonnees.is_none()
                    || l.coordonnees.as_ref().is_some_and(|o| {
                        p.coordonnees
                            .is_some_and(|n| (o.value[0] - n[0]).abs() < 1e-5 && (o.value[1] - n[1]).abs() < 1e-5)
                    }),
            ),
            ("telephone", p.telephone.as_ref().map(|v| quoted(v)), phone_same),
            (
                "courriel",
                p.courriel.as_ref().map(|v| scalar(v)),
                p.courriel.is_none() || p.courriel.as_deref() == opt_s(&l.courriel),
            ),
        ];
        for (key, value, same) in changes {
            if let (false, Some(v)) = (same, value) {
                t.set_place(i, key, &v, PLACE_ORDER).map_err(|m| ImportError::Format(format!("{} : {m}", e.rel)))?;
                fields.push(format!("{key} (lieu {})", i + 1));
            }
        }
    }
    for p in appended {
        t.append_place(&place_fields(p)).map_err(|m| ImportError::Format(format!("{} : {m}", e.rel)))?;
        fields.push(format!("lieu ajouté ({})", p.adresse));
    }
    for (i, l) in d.lieux.iter().enumerate() {
        if !used[i] && !matches!(kind, SourceKind::Csv | SourceKind::Workbook) {
            report.notes.push(format!(
                "{} : le lieu {} ({}) n’est plus dans la source ; il est gardé",
                e.rel,
                i + 1,
                l.adresse
            ));
        }
    }
    if fields.is_empty() {
        report.unchanged.push(e.rel.clone());
        return Ok(());
    }
    let text = t.text();
    if let Err(dg) = decode_yaml::<MemberFile>(&e.rel, &text) {
        report.notes.push(format!(
            "{} : la mise à jour donnerait un fichier invalide ({}) ; fiche non modifiée",
            e.rel, dg.message
        ));
        report.unchanged.push(e.rel.clone());
        return Ok(());
    }
    if !opts.dry_run {
        write_atomic(&e.path, &text)?;
    }
    e.text = text;
    report.updated.push(FileChange { file: e.rel.clone(), who, fields });
    Ok(())
}

fn place_fields(p: &Place) -> Vec<(&'static str, String)> {
    let mut f = Vec::new();
    if let Some(n) = &p.nom {
        f.push(("nom", scalar(n)));
    }
    f.push(("adresse", scalar(&p.adresse)));
    f.push(("code_postal", quoted(&p.code_postal)));
    f.push(("commune", quoted(&p.commune)));
    if let Some(c) = p.coordonnees {
        f.push(("coordonnees", coordinates(c)));
    }
    if let Some(t) = &p.telephone {
        f.push(("telephone", quoted(t)));
    }
    if let Some(m) = &p.courriel {
        f.push(("courriel", scalar(m)));
    }
    f
}

/// The text of a new member file.
fn new_file(kind: SourceKind, c: &Candidate) -> String {
    let mut o = String::new();
    let origin = match kind {
        SourceKind::Rpps => "de l’Annuaire Santé",
        SourceKind::Finess => "du fichier FINESS",
        SourceKind::Csv | SourceKind::Workbook => "d’un tableau",
    };
    let _ = writeln!(o, "# Fiche créée par « maillage import {} » à partir {origin}.", kind.command());
    o.push_str("# Vérifiez-la et complétez-la (horaires, prise de rendez-vous, présentation…) ;\n");
    o.push_str("# ne passez « publie » à true qu’avec l’accord de la personne ou de la structure.\n");
    let fields = [
        ("civilite", &c.civilite, false),
        ("titre", &c.titre, false),
        ("prenom", &c.prenom, false),
        ("nom", &c.nom, false),
        ("raison_sociale", &c.raison_sociale, false),
        ("profession", &c.profession, false),
        ("structure", &c.structure, false),
        ("specialite", &c.specialite, false),
        ("rpps", &c.rpps, true),
        ("adeli", &c.adeli, true),
        ("finess", &c.finess, true),
        ("siret", &c.siret, true),
        ("exercice", &c.exercice, false),
    ];
    for (k, v, q) in fields {
        if let Some(v) = v {
            let _ = writeln!(o, "{k}: {}", if q { quoted(v) } else { scalar(v) });
        }
    }
    o.push_str("lieux:\n");
    for p in &c.lieux {
        for line in yaml_edit::place_lines(&place_fields(p), 2) {
            o.push_str(&line);
            o.push('\n');
        }
    }
    o.push_str("publie: false\n");
    o
}

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
    merge(source, candidates, &seen, opts, &mut report)?;
    Ok(report)
}

/// What a reader hands to [`merge`].
#[derive(Debug, Default)]
pub struct Read {
    /// Members found, in source order.
    pub candidates: Vec<Candidate>,
    /// Identifiers the source lists in the territory.
    pub seen: Seen,
    /// The report so far (rows, rejected, ignored).
    pub report: Report,
}

/// A progress bar on stderr over `len` bytes, hidden unless asked for.
pub(crate) fn progress_bar(len: u64, show: bool) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} [{bar:40}] {percent} % — reste {eta}")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    pb
}

#[cfg(test)]
mod tests {
    use super::*;

    fn territory() -> Territory {
        let c = |insee: &str, nom: &str, cp: &str| TerritoryCommune {
            insee: insee.into(),
            nom: nom.into(),
            codes_postaux: vec![cp.into()],
            centre: [0.0, 0.0],
        };
        Territory::new(
            vec![
                c("83073", "Le Luc", "83340"),
                c("83136", "Le Thoronet", "83340"),
                c("83148", "Vidauban", "83550"),
                c("83119", "Saint-Antonin-du-Var", "83510"),
            ],
            "83".into(),
        )
    }

    #[test]
    fn communes_are_found_by_postal_code_and_name() {
        let t = territory();
        assert_eq!(t.resolve("83340", "LE LUC CEDEX").map(|c| c.insee.as_str()), Some("83073"));
        assert_eq!(t.resolve("83340", "le thoronet").map(|c| c.insee.as_str()), Some("83136"));
        assert_eq!(t.resolve("83510", "ST ANTONIN DU VAR").map(|c| c.insee.as_str()), Some("83119"));
        assert_eq!(t.resolve("83550", "").map(|c| c.insee.as_str()), Some("83148"));
        assert!(t.resolve("83340", "").is_none(), "83340 is shared");
        assert!(t.resolve("83340", "DRAGUIGNAN").is_none());
    }

    #[test]
    fn capitals_are_tidied() {
        assert_eq!(tidy_case("JEAN-PIERRE"), "Jean-Pierre");
        assert_eq!(tidy_case("MAISON DE SANTE DE L ARGENS"), "Maison de Sante de l Argens");
        assert_eq!(tidy_case("EHPAD LES RESTANQUES"), "EHPAD les Restanques");
        assert_eq!(tidy_case("McDonald"), "McDonald");
        assert_eq!(tidy_case_tail("DE LA RESISTANCE"), "de la Resistance");
        assert_eq!(tidy_phone("0494123456").as_deref(), Some("04 94 12 34 56"));
        assert_eq!(tidy_phone("15"), None);
    }

    #[test]
    fn latin1_is_decoded() {
        assert_eq!(decode_text(b"Fr\xe9jus"), "Fréjus");
        assert_eq!(decode_text("\u{feff}Fréjus".as_bytes()), "Fréjus");
    }
}
