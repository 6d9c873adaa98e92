//! The merge every import shares. A member is found by RPPS, ADELI, FINESS or SIRET (by file name
//! for a spreadsheet row without any); the fields the source owns are updated, the ones the
//! coordinator owns (flags, texts, booking links, hours, images, languages, `publie`) are never
//! changed — a spreadsheet only fills them where the file says nothing; new people are written
//! unpublished; people missing from the source are reported, never deleted, and only when the
//! source can tell ([`departures`]). Existing files are edited at the text level
//! ([`super::yaml_edit`]) so that comments and layout survive.
//!
//! Nothing is written before the whole site, as it would be after the import, has passed the
//! same checks as `maillage check` ([`crate::check::findings`]): a file the import would make
//! fail a check is left as it was and its rows are refused, with the reason. Every file is
//! written atomically.

use super::reader::{Candidate, ImportError, ImportOptions, Place, Seen, SourceKind, io_err, same_place};
use super::report::{FileChange, Report, RowError};
use super::tidy::tidy_phone;
use super::yaml_edit::{self, KEY_ORDER, MemberText, PLACE_ORDER, coordinates, quoted, scalar};
use crate::diagnostic::Diagnostic;
use crate::domain::text::slugify;
use crate::limits;
use crate::model::MemberFile;
use crate::source::{self, SourceFile, decode_yaml};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// An existing member file.
struct Existing {
    rel: String,
    path: PathBuf,
    slug: String,
    text: String,
    data: MemberFile,
}

/// The member files of the site: those that decode, and the identifiers of those that do not
/// (so that the import never makes a second file for a member whose file is broken).
struct Members {
    files: Vec<Existing>,
    /// `rpps:…` → file, for the files that could not be decoded.
    unreadable: HashMap<String, String>,
    slugs: HashSet<String>,
}

/// Reads every `content/membres/*.yaml`. Files that do not decode are reported and left alone.
fn read_members(root: &Path, report: &mut Report) -> Result<Members, ImportError> {
    let dir = root.join("content").join("membres");
    let mut m = Members { files: Vec::new(), unreadable: HashMap::new(), slugs: HashSet::new() };
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(m),
        Err(e) => return Err(io_err(&dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        let Some(slug) = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml")).map(str::to_string) else {
            continue;
        };
        if source::is_ignored(&name) {
            continue;
        }
        m.slugs.insert(slug.clone());
        let rel = format!("content/membres/{name}");
        let bytes = match limits::read_file(&path, limits::MAX_TEXT_BYTES) {
            Ok(bytes) => bytes,
            Err(limits::ReadError::Io(e)) => return Err(io_err(&path, e)),
            Err(e) => {
                report.notes.push(format!("{rel} n’a pas été lu ({e}) : l’import ne l’a pas modifié"));
                continue;
            }
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match decode_yaml::<MemberFile>(&rel, &text) {
            Ok(data) => m.files.push(Existing { rel, path, slug, text, data }),
            Err(d) => {
                report.notes.push(format!(
                    "{rel} n’a pas pu être lu (ligne {}\u{a0}: {}) : corrigez-le ; l’import ne l’a pas modifié",
                    d.line, d.message
                ));
                for (k, v) in raw_ids(&text) {
                    m.unreadable.insert(format!("{k}:{v}"), rel.clone());
                }
            }
        }
    }
    Ok(m)
}

/// The identifiers a file writes at the start of its lines (`rpps: "…"`), read without decoding
/// it: enough to recognise the member of a broken file.
fn raw_ids(text: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        for key in ["rpps", "adeli", "finess", "siret"] {
            if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
                let v = rest.split(" #").next().unwrap_or("").trim().trim_matches(['"', '\'']);
                if !v.is_empty() {
                    out.push((key, v.to_string()));
                }
            }
        }
    }
    out
}

/// Writes a file atomically: a locked temporary file in the same folder, then a rename
/// ([`crate::source::atomic`]); a killed import's temporary file goes at the next command.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), ImportError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    crate::source::atomic::write_atomic(path, text.as_bytes()).map_err(|e| io_err(path, e))
}

/// A file the import would write, waiting for the checks.
struct Pending {
    rel: String,
    path: PathBuf,
    text: String,
    change: FileChange,
    /// Whether the file is new.
    new: bool,
}

/// What became of one candidate before the checks.
enum Outcome {
    /// A file to write (index in the pending list).
    Pending(usize),
    /// A matched file, already up to date.
    Unchanged(String),
    /// The candidate's rows are refused, for this reason.
    Refused(String),
}

/// Where an import's values come from, recorded (`releve`) next to the volatile facts it changes
/// in a member's file, so that they are never taken for the member's confirmation and never look
/// fresher than their extract.
#[derive(Debug, Clone, Copy)]
pub struct Provenance {
    /// The source.
    pub source: SourceKind,
    /// The date of the extract, when the source gives one.
    pub extract: Option<jiff::civil::Date>,
    /// The day of the import.
    pub today: jiff::civil::Date,
}

impl Provenance {
    /// The `releve` flow mapping, covering `informations` (none: a place's phone and hours).
    fn releve(&self, informations: &[String]) -> String {
        let mut fields = vec![format!("source: {}", quoted(self.source.label()))];
        if let Some(d) = self.extract {
            fields.push(format!("extrait_du: {d}"));
        }
        fields.push(format!("importe_le: {}", self.today));
        if !informations.is_empty() {
            fields.push(format!("informations: {}", flow_list(informations)));
        }
        format!("{{{}}}", fields.join(", "))
    }
}

/// Applies the candidates to `content/membres/` and completes the report.
pub fn merge(
    kind: SourceKind,
    candidates: Vec<Candidate>,
    seen: &Seen,
    opts: &ImportOptions,
    provenance: &Provenance,
    report: &mut Report,
) -> Result<(), ImportError> {
    report.dry_run = opts.dry_run;
    let Members { files: existing, unreadable, mut slugs } = read_members(&opts.root, report)?;
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    for (i, e) in existing.iter().enumerate() {
        let d = &e.data;
        for (k, v) in [("rpps", &d.rpps), ("adeli", &d.adeli), ("finess", &d.finess), ("siret", &d.siret)] {
            if let Some(v) = v {
                by_id.entry(format!("{k}:{}", v.value.trim())).or_insert(i);
            }
        }
        by_slug.insert(e.slug.clone(), i);
    }
    let mut matched: HashSet<usize> = HashSet::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut outcomes: Vec<(Vec<usize>, Outcome)> = Vec::new();
    for c in candidates {
        let ids = [("rpps", &c.rpps), ("adeli", &c.adeli), ("finess", &c.finess), ("siret", &c.siret)];
        let keys: Vec<String> = ids.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}:{v}"))).collect();
        let mut found = keys.iter().find_map(|k| by_id.get(k).copied());
        if found.is_none() && keys.is_empty() {
            // No identifier (spreadsheets): the file named after the person or structure.
            found = by_slug.get(&slugify(&c.display_name())).copied();
        }
        let broken = keys.iter().find_map(|k| unreadable.get(k));
        // Found by one number, but another one differs: not the same member, or a typing error.
        let conflict = found.and_then(|i| {
            let d = &existing[i].data;
            let theirs = [("RPPS", &d.rpps), ("ADELI", &d.adeli), ("FINESS", &d.finess), ("SIRET", &d.siret)];
            ids.iter().zip(theirs).find_map(|((_, mine), (label, theirs))| match (mine, theirs) {
                (Some(a), Some(b)) if a.trim() != b.value.trim() => {
                    Some(format!("{} a le numéro {label} {}, la source {a}", existing[i].rel, b.value))
                }
                _ => None,
            })
        });
        let outcome = match (found, broken, conflict) {
            (Some(_), _, Some(why)) => Outcome::Refused(format!(
                "{} ({}) : les numéros ne concordent pas ({why}) ; rien n’est modifié, vérifiez à la main",
                c.display_name(),
                c.display_id(),
            )),
            (None, Some(rel), _) => Outcome::Refused(format!(
                "{} ({}) a déjà une fiche, {rel}, qui ne peut pas être lue : corrigez-la, puis relancez l’import",
                c.display_name(),
                c.display_id()
            )),
            (Some(i), _, _) if matched.contains(&i) => Outcome::Refused(format!(
                "{} ({}) : la fiche {} a déjà été mise à jour par d’autres lignes de ce fichier (doublon dans la source ?)",
                c.display_name(),
                c.display_id(),
                existing[i].rel
            )),
            (Some(i), _, None) => {
                matched.insert(i);
                let e = &existing[i];
                match update(kind, provenance, e, &c, report) {
                    Err(why) => Outcome::Refused(why),
                    Ok(None) => Outcome::Unchanged(e.rel.clone()),
                    Ok(Some((text, fields))) => {
                        pending.push(Pending {
                            rel: e.rel.clone(),
                            path: e.path.clone(),
                            text,
                            change: FileChange {
                                file: e.rel.clone(),
                                who: format!("{} ({})", c.display_name(), c.display_id()),
                                fields,
                            },
                            new: false,
                        });
                        Outcome::Pending(pending.len() - 1)
                    }
                }
            }
            (None, None, _) => {
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
                pending.push(Pending {
                    path: opts.root.join(&rel),
                    text: new_file(kind, &c),
                    change: FileChange {
                        file: rel.clone(),
                        who: format!("{} ({})", c.display_name(), c.display_id()),
                        fields: Vec::new(),
                    },
                    rel,
                    new: true,
                });
                Outcome::Pending(pending.len() - 1)
            }
        };
        outcomes.push((c.rows, outcome));
    }
    let refused = verify(opts, &pending, report);
    for (rows, outcome) in outcomes {
        let n = rows.len() as u64;
        let why = match outcome {
            Outcome::Unchanged(rel) => {
                report.rows.unchanged += n;
                report.unchanged.push(rel);
                continue;
            }
            Outcome::Pending(i) => match refused.get(&pending[i].rel) {
                Some(why) => why.clone(),
                None => {
                    let p = &pending[i];
                    if !opts.dry_run {
                        write_atomic(&p.path, &p.text)?;
                    }
                    if p.new {
                        report.rows.imported += n;
                        report.added.push(p.change.clone());
                    } else {
                        report.rows.updated += n;
                        report.updated.push(p.change.clone());
                    }
                    continue;
                }
            },
            Outcome::Refused(why) => why,
        };
        report.rows.rejected += n;
        for row in rows {
            report.rejected.push(RowError {
                row,
                column: None,
                value: String::new(),
                reason: why.clone(),
                dropped: true,
            });
        }
    }
    departures(kind, &existing, &matched, seen, report);
    Ok(())
}

/// The same checks as `maillage check`, on the site as it would be after the import: the files
/// the import would make fail a check, with why. Errors a file already had are not the import's.
fn verify(opts: &ImportOptions, pending: &[Pending], report: &mut Report) -> HashMap<String, String> {
    let mut refused = HashMap::new();
    if pending.is_empty() {
        return refused;
    }
    // A build reads no content file above its limit: such a file is not written.
    for p in pending.iter().filter(|p| p.text.len() as u64 > limits::MAX_TEXT_BYTES) {
        refused.insert(
            p.rel.clone(),
            format!(
                "{} ferait {} Mo, au-delà de la limite de {} Mo d’un fichier de contenu, et n’est pas écrit (des milliers de lignes pour une même personne ?)",
                p.rel,
                limits::megabytes(p.text.len() as u64),
                limits::whole_megabytes(limits::MAX_TEXT_BYTES)
            ),
        );
    }
    let (sources, _) = source::load(&opts.root);
    let errors = |sources: source::Sources| -> Option<HashMap<String, Vec<Diagnostic>>> {
        let (site, mut diagnostics) = crate::model::parse(sources);
        diagnostics.extend(crate::check::findings(&site?, &crate::check::Scope::writing(opts.today)));
        let mut by_file: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for d in diagnostics.into_iter().filter(Diagnostic::is_error) {
            by_file.entry(d.file.clone()).or_default().push(d);
        }
        Some(by_file)
    };
    let mut after = sources.clone();
    let texts: HashMap<&str, &str> =
        pending.iter().filter(|p| !refused.contains_key(&p.rel)).map(|p| (p.rel.as_str(), p.text.as_str())).collect();
    for f in &mut after.files {
        if let Some(text) = texts.get(f.rel.as_str()) {
            f.bytes = text.as_bytes().to_vec();
        }
    }
    for p in pending.iter().filter(|p| p.new && texts.contains_key(p.rel.as_str())) {
        let within = p.rel.trim_start_matches("content/membres/").to_string();
        after.files.push(SourceFile {
            kind: source::SourceKind::Member,
            rel: p.rel.clone(),
            within,
            bytes: p.text.as_bytes().to_vec(),
        });
    }
    let (Some(before), Some(after)) = (errors(sources), errors(after)) else {
        report.notes.push("le site n’a pas pu être vérifié avant l’écriture (content/cpts.yaml illisible ?)".into());
        return refused;
    };
    let key = |d: &Diagnostic| (d.code, d.message.clone());
    for (file, diagnostics) in &after {
        let mut known: Vec<(&str, String)> = before.get(file).map(|b| b.iter().map(key).collect()).unwrap_or_default();
        let new: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| match known.iter().position(|k| *k == key(d)) {
                Some(i) => {
                    known.swap_remove(i);
                    false
                }
                None => true,
            })
            .collect();
        if new.is_empty() {
            continue;
        }
        let why: Vec<String> = new.iter().map(|d| format!("{} ({})", d.message, d.code)).collect();
        if texts.contains_key(file.as_str()) {
            refused.insert(
                file.clone(),
                format!("{file} ne passerait pas la vérification et n’est pas écrit : {}", why.join(" ; ")),
            );
        } else {
            report
                .notes
                .push(format!("{file} : l’import y ferait apparaître une erreur ({}) ; signalez-le", why.join(" ; ")));
        }
    }
    refused
}

/// Members the source no longer lists, reported (never deleted) only where the source can tell:
/// it must have rows in the territory, cover the member's profession (or kind of structure) and
/// one of its communes — a partial extract says nothing of what it leaves out — and it must not
/// miss more than a third of the members it covers (at least five): that is an extract cut short,
/// not departures.
fn departures(kind: SourceKind, existing: &[Existing], matched: &HashSet<usize>, seen: &Seen, report: &mut Report) {
    let tracked: Vec<(usize, &'static str, &str, &str)> = existing
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let d = &e.data;
            let (label, id, group) = match kind {
                SourceKind::Rpps => {
                    let (label, id) = d
                        .rpps
                        .as_ref()
                        .map(|v| ("RPPS", v.value.as_str()))
                        .or(d.adeli.as_ref().map(|v| ("ADELI", v.value.as_str())))?;
                    (label, id, d.profession.as_ref()?.value.as_str())
                }
                SourceKind::Finess => {
                    ("FINESS", d.finess.as_ref()?.value.as_str(), d.structure.as_ref()?.value.as_str())
                }
                SourceKind::Csv | SourceKind::Workbook => return None,
            };
            Some((i, label, id, group))
        })
        .collect();
    if tracked.is_empty() {
        return;
    }
    if seen.communes.is_empty() {
        report.gone_skipped = Some(
            "le fichier n’a aucune ligne pour les communes du territoire ; aucun membre n’est signalé absent".into(),
        );
        return;
    }
    let ids = if kind == SourceKind::Finess { &seen.structures } else { &seen.people };
    let covered = |i: usize, group: &str| {
        seen.kinds.contains(group) && existing[i].data.lieux.iter().any(|l| seen.communes.contains(&l.commune.value))
    };
    let (considered, uncovered): (Vec<_>, Vec<_>) = tracked.iter().copied().partition(|(i, _, _, g)| covered(*i, g));
    let gone: Vec<(usize, &str, &str, &str)> =
        considered.iter().filter(|(i, _, id, _)| !matched.contains(i) && !ids.contains(id.trim())).copied().collect();
    if !uncovered.is_empty() {
        report.notes.push(format!(
            "{} de professions, de types ou de communes dont ce fichier n’a aucune ligne n’{} pas été recherché{} parmi les départs",
            super::report::count(uncovered.len() as u64, "membre", "membres"),
            if uncovered.len() >= 2 { "ont" } else { "a" },
            if uncovered.len() >= 2 { "s" } else { "" },
        ));
    }
    if gone.len() >= 5 && gone.len() * 3 > considered.len() {
        report.gone_skipped = Some(format!(
            "{} des {} membres que ce fichier couvre n’y sont pas : c’est trop pour de vrais départs (extraction partielle ou tronquée ?) ; aucun n’est signalé absent. Importez l’extraction complète.",
            gone.len(),
            considered.len()
        ));
        return;
    }
    for (i, label, id, _) in gone {
        let d = &existing[i].data;
        let name = d.raison_sociale.clone().unwrap_or_else(|| {
            [d.prenom.as_deref(), d.nom.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
        });
        report.gone.push(FileChange {
            file: existing[i].rel.clone(),
            who: format!("{name} ({label} {id})"),
            fields: Vec::new(),
        });
    }
}

fn opt_s(v: &Option<crate::model::S<String>>) -> Option<&str> {
    v.as_ref().map(|s| s.value.as_str())
}

fn yes(b: bool) -> &'static str {
    if b { "oui" } else { "non" }
}

/// A YAML flow list: `[anglais, espagnol]`, `[]`; items that a flow list would cut are quoted.
fn flow_list(items: &[String]) -> String {
    let item = |s: &String| if s.contains([',', '[', ']', '{', '}']) { quoted(s) } else { scalar(s) };
    format!("[{}]", items.iter().map(item).collect::<Vec<_>>().join(", "))
}

/// The new text of an existing member from a candidate, edited surgically, with the fields
/// changed; `None` when nothing changes; `Err` when the file cannot be edited.
fn update(
    kind: SourceKind,
    provenance: &Provenance,
    e: &Existing,
    c: &Candidate,
    report: &mut Report,
) -> Result<Option<(String, Vec<String>)>, String> {
    let mut t = MemberText::parse(&e.text);
    let places_in_text = match t.place_count() {
        Ok(n) if n == e.data.lieux.len() => n,
        Ok(_) | Err(_) => {
            return Err(format!(
                "{} : la liste « lieux » n’a pas la forme attendue (« - adresse: … ») ; fiche non mise à jour",
                e.rel
            ));
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
    // What the coordinator owns: filled where the file says nothing, a difference only noted.
    let facts = [
        ("accepte_nouveaux_patients", c.facts.accepte_nouveaux_patients, d.accepts_new_patients()),
        ("soins_non_programmes", c.facts.soins_non_programmes, d.same_day_care()),
        ("teleconsultation", c.facts.teleconsultation, d.offers_teleconsultation()),
        ("visites_domicile", c.facts.visites_domicile, d.visites_domicile),
    ];
    let mut filled: Vec<String> = Vec::new();
    for (key, new, old) in facts {
        match (new, old) {
            (Some(new), None) => {
                t.set_top(key, if new { "true" } else { "false" }, KEY_ORDER);
                fields.push(key.to_string());
                filled.push(key.to_string());
            }
            (Some(new), Some(old)) if new != old => report.notes.push(format!(
                "{} : « {key} » vaut {} dans la fiche et {} dans le fichier ; la fiche est gardée",
                e.rel,
                yes(old),
                yes(new)
            )),
            _ => {}
        }
    }
    match (&c.facts.langues, d.languages()) {
        (Some(new), None) => {
            t.set_top("langues", &flow_list(new), KEY_ORDER);
            fields.push("langues".to_string());
            filled.push("langues".to_string());
        }
        (Some(new), Some(old)) if new != old => report.notes.push(format!(
            "{} : les langues diffèrent ({} dans la fiche, {} dans le fichier) ; la fiche est gardée",
            e.rel,
            flow_list(old),
            flow_list(new)
        )),
        _ => {}
    }
    // Visits at home are not a volatile fact: only the others need their source.
    filled.retain(|k| k != "visites_domicile");
    if !filled.is_empty() {
        // Facts an earlier import filled stay covered, by the later import day.
        let mut covered: Vec<String> = d.releve.iter().flat_map(|r| r.informations.iter().cloned()).collect();
        covered.extend(filled);
        covered.sort();
        covered.dedup();
        let earlier = d.releve.as_ref().and_then(|r| r.extrait_du.as_ref()).map(|x| x.value);
        let releve = Provenance { extract: provenance.extract.min(earlier).or(provenance.extract), ..*provenance };
        t.set_top("releve", &releve.releve(&covered), KEY_ORDER);
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
        let changes: [(&str, Option<String>, bool); 6] = [
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
            // The coordinator's: only filled.
            (
                "accessible_pmr",
                p.accessible_pmr.map(|b| b.to_string()),
                p.accessible_pmr.is_none() || l.accessible_pmr.is_some(),
            ),
        ];
        for (key, value, same) in changes {
            if let (false, Some(v)) = (same, value) {
                t.set_place(i, key, &v, PLACE_ORDER).map_err(|m| format!("{} : {m}", e.rel))?;
                fields.push(format!("{key} (lieu {})", i + 1));
                if key == "telephone" {
                    t.set_place(i, "releve", &provenance.releve(&[]), PLACE_ORDER)
                        .map_err(|m| format!("{} : {m}", e.rel))?;
                }
            }
        }
        if let (Some(new), Some(old)) = (p.accessible_pmr, l.accessible_pmr)
            && new != old
        {
            report.notes.push(format!(
                "{} : « accessible_pmr » du lieu {} vaut {} dans la fiche et {} dans le fichier ; la fiche est gardée",
                e.rel,
                i + 1,
                yes(old),
                yes(new)
            ));
        }
    }
    for p in appended {
        t.append_place(&place_fields(p)).map_err(|m| format!("{} : {m}", e.rel))?;
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
    Ok((!fields.is_empty()).then(|| (t.text(), fields)))
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
    if let Some(a) = p.accessible_pmr {
        f.push(("accessible_pmr", a.to_string()));
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
    // In the order of KEY_ORDER.
    let f = &c.facts;
    let facts = [
        ("accepte_nouveaux_patients", f.accepte_nouveaux_patients),
        ("soins_non_programmes", f.soins_non_programmes),
        ("teleconsultation", f.teleconsultation),
        ("visites_domicile", f.visites_domicile),
    ];
    for (k, v) in facts {
        if let Some(v) = v {
            let _ = writeln!(o, "{k}: {v}");
        }
    }
    if let Some(l) = &f.langues {
        let _ = writeln!(o, "langues: {}", flow_list(l));
    }
    o.push_str("publie: false\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example's cpts.yaml (Le Luc is 83073, 83340) and one published member whose booking
    /// link is already wrong.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir_all(content.join("membres")).unwrap();
        fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cpts.yaml"), content.join("cpts.yaml")).unwrap();
        fs::write(content.join("membres/ancien.yaml"), OLD).unwrap();
        dir
    }

    const OLD: &str = "prenom: Ana\nnom: Ancien\nprofession: infirmier\nlieux:\n  - adresse: 1 rue A\n    code_postal: \"83340\"\n    commune: \"83073\"\n    prise_rdv: pas-une-adresse\npublie: true\n";

    fn pending(root: &Path, rel: &str, text: &str, new: bool) -> Pending {
        Pending {
            rel: rel.into(),
            path: root.join(rel),
            text: text.into(),
            change: FileChange { file: rel.into(), who: String::new(), fields: Vec::new() },
            new,
        }
    }

    #[test]
    fn nothing_a_check_would_refuse_is_written() {
        let dir = site();
        let opts = ImportOptions {
            root: dir.path().to_path_buf(),
            today: jiff::civil::date(2026, 1, 15),
            dry_run: false,
            progress: false,
            map: Vec::new(),
        };
        let good = OLD
            .replace("Ana", "Bea")
            .replace("    prise_rdv: pas-une-adresse\n", "")
            .replace("publie: true", "publie: false");
        let bad = good.replace("commune: \"83073\"\n", "commune: \"83073\"\n    telephone: \"04 94 00 00\"\n");
        // The old file's wrong booking link is not the import's: its new phone is fine.
        let updated = OLD.replace("    prise_rdv", "    telephone: \"04 94 00 00 01\"\n    prise_rdv");
        let files = [
            pending(dir.path(), "content/membres/bea.yaml", &good, true),
            pending(dir.path(), "content/membres/bad.yaml", &bad, true),
            pending(dir.path(), "content/membres/ancien.yaml", &updated, false),
        ];
        let mut report = Report::default();
        let refused = verify(&opts, &files, &mut report);
        assert_eq!(refused.keys().collect::<Vec<_>>(), ["content/membres/bad.yaml"], "{refused:?}");
        assert!(refused["content/membres/bad.yaml"].contains("M031"), "{refused:?}");
        assert!(report.notes.is_empty(), "{:?}", report.notes);
    }

    #[test]
    fn identifiers_of_a_broken_file() {
        let text = "nom: [oops\nrpps: \"10001234565\" # numéro\nadeli:\nfiness: '830001236'\n";
        assert_eq!(raw_ids(text), [("rpps", "10001234565".to_string()), ("finess", "830001236".to_string())]);
    }
}
