//! `region.yaml`: several CPTS kept in one tree (a federation, a URPS, an ARS), each in its own
//! folder, an ordinary site root with its `content/`, and what they share in `commun/`: members
//! who practise in several territories (`commun/membres/`, one file each, listed by the CPTS that
//! show them) and theme overrides (`commun/templates/`, `commun/themes/`).
//!
//! A CPTS folder of a region is built the same way whether the region is built or the folder
//! alone: [`load_sources`] adds the shared members its entry lists to its own content, whoever
//! calls it, and the theme reads the shared overrides ([`shared_theme_dirs`]).

use super::common::S;
use crate::diagnostic::Diagnostic;
use crate::domain::{ids, text::is_valid_slug};
use crate::source::{self, SourceFile, SourceKind, Sources};
use serde::Deserialize;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The region's file, at the root of the region's tree.
pub const REGION_FILE: &str = "region.yaml";

/// The folder of what the CPTS of a region share.
pub const SHARED_DIR: &str = "commun";

/// The folder of the shared members, under the region's root.
pub const SHARED_MEMBERS_DIR: &str = "commun/membres";

/// Folder names a CPTS cannot take: the folders of the region's portal, beside the CPTS's sites
/// in the output.
pub const RESERVED: &[&str] = &["annuaire", "communes", "territoires", "prevention", SHARED_DIR];

/// The whole content of `region.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionFile {
    /// The region's name, as its portal shows it ("CPTS de Provence-Alpes-Côte d'Azur").
    pub nom: S<String>,
    /// One sentence under the name on the portal's home page.
    #[serde(default)]
    pub description: Option<String>,
    /// Public address of the portal; a CPTS without its own address is published under it, in
    /// the folder of its name.
    pub url: S<String>,
    /// The CPTS of the region, in the order the portal lists them.
    pub cpts: Vec<RegionCpts>,
}

/// One CPTS of `region.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionCpts {
    /// Its folder, next to `region.yaml`: an ordinary site root holding `content/`. Also the
    /// path of its site under the portal's address when it has no address of its own.
    pub dossier: S<String>,
    /// Its own public address, when its site is not published under the portal's.
    #[serde(default)]
    pub url: Option<S<String>>,
    /// The shared members (file names of `commun/membres/`, without `.yaml`) its site shows.
    #[serde(default)]
    pub membres_communs: Vec<S<String>>,
}

/// A region's tree: its root and its file, checked.
#[derive(Debug, Clone)]
pub struct Region {
    /// The folder holding `region.yaml`.
    pub root: PathBuf,
    /// What `region.yaml` says.
    pub file: RegionFile,
}

/// Whether `root` is the root of a region (it holds `region.yaml`).
pub fn is_region(root: &Path) -> bool {
    root.join(REGION_FILE).is_file()
}

impl RegionFile {
    /// Reads and decodes `region.yaml` of the region at `root`; `rel` is the file's name as
    /// diagnostics give it.
    pub fn read(root: &Path, rel: &str) -> Result<RegionFile, Diagnostic> {
        let bytes = crate::limits::read_file(&root.join(REGION_FILE), crate::limits::MAX_TEXT_BYTES)
            .map_err(|e| Diagnostic::error("M002", rel, 0, 0, format!("lecture impossible : {e}")))?;
        let text = source::utf8_text(rel, &bytes)?;
        source::decode_yaml::<RegionFile>(rel, &text)
    }

    /// The entry of the CPTS in folder `dossier`.
    pub fn entry(&self, dossier: &str) -> Option<&RegionCpts> {
        self.cpts.iter().find(|c| c.dossier.value == dossier)
    }
}

impl Region {
    /// Reads `region.yaml` at `root` and checks it whole: addresses, folders, and every shared
    /// member each CPTS lists. Every problem at once.
    pub fn load(root: &Path) -> Result<Region, Vec<Diagnostic>> {
        match Region::read(root) {
            (Some(region), diagnostics) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(region),
            (_, diagnostics) => Err(diagnostics),
        }
    }

    /// Reads `region.yaml` at `root` and checks it whole, like [`Region::load`], giving the region
    /// even when it has problems, as long as it could be read (`check` then checks its CPTS too).
    pub fn read(root: &Path) -> (Option<Region>, Vec<Diagnostic>) {
        let file = match RegionFile::read(root, REGION_FILE) {
            Ok(f) => f,
            Err(d) => return (None, vec![d]),
        };
        let mut diagnostics = Vec::new();
        let region = Region { root: root.to_path_buf(), file };
        region.check(&mut diagnostics);
        (Some(region), diagnostics)
    }

    fn check(&self, diagnostics: &mut Vec<Diagnostic>) {
        let f = &self.file;
        if f.nom.value.trim().is_empty() {
            diagnostics.push(
                Diagnostic::error("M110", REGION_FILE, f.nom.line, f.nom.column, "la région n’a pas de nom")
                    .with_hint("écrivez le nom que le portail affiche, par exemple « nom: CPTS du Var »"),
            );
        }
        check_url(&f.url, REGION_FILE, diagnostics);
        if f.cpts.is_empty() {
            diagnostics.push(
                Diagnostic::error("M111", REGION_FILE, 0, 0, "la région ne compte aucune CPTS")
                    .with_hint("listez les dossiers des CPTS sous « cpts: », un « - dossier: nom-du-dossier » chacun"),
            );
        }
        let mut seen = HashSet::new();
        for c in &f.cpts {
            let d = &c.dossier;
            let problem = if !is_valid_slug(&d.value) {
                Some((
                    format!("nom de dossier « {} » invalide", d.value),
                    "le dossier d’une CPTS est à côté de region.yaml et son nom s’écrit en minuscules sans accents, avec des chiffres et des tirets (« coeur-du-var ») : il devient l’adresse de son site sous le portail".to_string(),
                ))
            } else if RESERVED.contains(&d.value.as_str()) || !seen.insert(d.value.as_str()) {
                let why = if d.value == SHARED_DIR {
                    "est celui des données communes"
                } else if RESERVED.contains(&d.value.as_str()) {
                    "est réservé aux pages du portail"
                } else {
                    "est déjà listé"
                };
                Some((
                    format!("le dossier « {} » {why}", d.value),
                    "chaque CPTS a son propre dossier, listé une seule fois".to_string(),
                ))
            } else if !self.root.join(&d.value).join(source::CONTENT_DIR).is_dir() {
                Some((
                    format!("le dossier « {}/content » est introuvable", d.value),
                    format!(
                        "créez le site de la CPTS avec « maillage init {} », ou corrigez le nom du dossier",
                        d.value
                    ),
                ))
            } else {
                None
            };
            if let Some((message, hint)) = problem {
                diagnostics.push(Diagnostic::error("M111", REGION_FILE, d.line, d.column, message).with_hint(hint));
            }
            if let Some(url) = &c.url {
                check_url(url, REGION_FILE, diagnostics);
            }
            diagnostics.extend(shared_member_refs(&self.root, c, REGION_FILE));
        }
        // A shared member no CPTS lists is published nowhere: say so rather than drop it.
        let listed: BTreeSet<&str> =
            f.cpts.iter().flat_map(|c| c.membres_communs.iter().map(|m| m.value.as_str())).collect();
        for stem in shared_member_stems(&self.root) {
            if !listed.contains(stem.as_str()) {
                diagnostics.push(
                    Diagnostic::warning(
                        "M113",
                        &format!("{SHARED_MEMBERS_DIR}/{stem}.yaml"),
                        0,
                        0,
                        format!(
                            "le membre commun « {stem} » n’est listé par aucune CPTS : il n’est publié sur aucun site"
                        ),
                    )
                    .with_hint(format!(
                        "ajoutez « {stem} » à « membres_communs » de chaque CPTS où il exerce, dans region.yaml"
                    )),
                );
            }
        }
    }

    /// Whether a CPTS's entry names a folder that can be built: a valid name, not reserved,
    /// holding `content/`.
    pub fn is_usable(&self, c: &RegionCpts) -> bool {
        let d = c.dossier.value.as_str();
        is_valid_slug(d) && !RESERVED.contains(&d) && self.cpts_root(c).join(source::CONTENT_DIR).is_dir()
    }

    /// The folder of a CPTS of the region.
    pub fn cpts_root(&self, c: &RegionCpts) -> PathBuf {
        self.root.join(&c.dossier.value)
    }

    /// The public address of a CPTS's site: its own, else the portal's followed by its folder.
    pub fn cpts_base_url(&self, c: &RegionCpts) -> String {
        match &c.url {
            Some(u) => u.value.clone(),
            None => format!("{}/{}/", self.file.url.value.trim().trim_end_matches('/'), c.dossier.value),
        }
    }
}

fn check_url(url: &S<String>, rel: &str, diagnostics: &mut Vec<Diagnostic>) {
    if let Err(e) = ids::url(url.value.trim()) {
        diagnostics.push(
            Diagnostic::error("M110", rel, url.line, url.column, format!("adresse « {} » invalide", url.value))
                .with_hint(format!("{e} (https://portail.exemple.fr/)")),
        );
    }
}

/// The file names (without `.yaml`) of `commun/membres/` in the region at `region_root`, sorted.
fn shared_member_stems(region_root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(region_root.join(SHARED_MEMBERS_DIR)) else { return Vec::new() };
    let mut stems: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !source::is_ignored(n))
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
        .collect();
    stems.sort();
    stems
}

/// The problems of the shared members a CPTS lists: a name that is no file of `commun/membres/`,
/// or listed twice. `rel` is the name of `region.yaml` as diagnostics give it.
fn shared_member_refs(region_root: &Path, c: &RegionCpts, rel: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stems: Option<Vec<String>> = None;
    for m in &c.membres_communs {
        if !seen.insert(m.value.as_str()) {
            out.push(
                Diagnostic::error(
                    "M112",
                    rel,
                    m.line,
                    m.column,
                    format!("le membre commun « {} » est listé deux fois", m.value),
                )
                .with_hint("retirez la deuxième mention"),
            );
            continue;
        }
        let valid = is_valid_slug(&m.value);
        if valid && region_root.join(SHARED_MEMBERS_DIR).join(format!("{}.yaml", m.value)).is_file() {
            continue;
        }
        let stems = stems.get_or_insert_with(|| shared_member_stems(region_root));
        let hint = match source::closest_match(&m.value, stems) {
            Some(best) => format!(
                "vouliez-vous dire « {best} » ? Les membres communs sont les fichiers de {SHARED_MEMBERS_DIR}/, nommés sans « .yaml »"
            ),
            None => format!(
                "créez {SHARED_MEMBERS_DIR}/{}.yaml (une fiche de membre ordinaire), ou retirez ce nom de la liste",
                m.value
            ),
        };
        out.push(
            Diagnostic::error(
                "M112",
                rel,
                m.line,
                m.column,
                format!("le membre commun « {} » de la CPTS « {} » est introuvable", m.value, c.dossier.value),
            )
            .with_hint(hint),
        );
    }
    out
}

/// The region a site root belongs to: the folder above it, when it holds `region.yaml`.
pub fn enclosing(root: &Path) -> Option<(PathBuf, String)> {
    let absolute = std::path::absolute(root).ok()?;
    let name = absolute.file_name()?.to_str()?.to_string();
    let parent = absolute.parent()?;
    is_region(parent).then(|| (parent.to_path_buf(), name))
}

/// Path from a CPTS's root to the region's root, as diagnostics and source files name the
/// region's files (`../region.yaml`).
pub const UP: &str = "..";

/// Loads the content of the site at `root` ([`source::load`]) and, when it is a CPTS of a region,
/// the shared members its entry of `region.yaml` lists, named `../commun/membres/<name>.yaml`.
/// A problem of `region.yaml` that concerns this CPTS is reported with its content's.
pub fn load_sources(root: &Path) -> (Sources, Vec<Diagnostic>) {
    let (mut sources, mut diagnostics) = source::load(root);
    let Some((region_root, dossier)) = enclosing(root) else { return (sources, diagnostics) };
    let rel = format!("{UP}/{REGION_FILE}");
    let file = match RegionFile::read(&region_root, &rel) {
        Ok(f) => f,
        Err(d) => {
            diagnostics.push(d);
            return (sources, diagnostics);
        }
    };
    let Some(entry) = file.entry(&dossier) else { return (sources, diagnostics) };
    let problems = shared_member_refs(&region_root, entry, &rel);
    let refused: HashSet<(u32, u32)> = problems.iter().map(|d| (d.line, d.column)).collect();
    diagnostics.extend(problems);
    for m in entry.membres_communs.iter().filter(|m| !refused.contains(&(m.line, m.column))) {
        let within = format!("{}.yaml", m.value);
        let own = format!("{}/membres/{within}", source::CONTENT_DIR);
        let shared_rel = format!("{UP}/{SHARED_MEMBERS_DIR}/{within}");
        if sources.files.iter().any(|f| f.kind == SourceKind::Member && f.stem() == m.value) {
            diagnostics.push(
                Diagnostic::error(
                    "M114",
                    &own,
                    0,
                    0,
                    format!("le membre « {} » a aussi une fiche commune ({shared_rel})", m.value),
                )
                .with_hint("une personne n’a qu’une fiche : gardez la fiche commune (retirez celle-ci), ou retirez son nom de « membres_communs » dans region.yaml"),
            );
            continue;
        }
        let path = region_root.join(SHARED_MEMBERS_DIR).join(&within);
        match source::read_source(&path, SourceKind::Member, &shared_rel) {
            Ok(bytes) => sources.files.push(SourceFile { kind: SourceKind::Member, rel: shared_rel, within, bytes }),
            Err(d) => diagnostics.push(d),
        }
    }
    sources.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (sources, diagnostics)
}

/// The shared theme folders a CPTS of a region inherits (`commun/templates/`, and
/// `commun/themes/`), with the region's root: none for a site alone.
pub fn shared_theme_dirs(root: &Path) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let (region_root, _) = enclosing(root)?;
    let shared = region_root.join(SHARED_DIR);
    Some((shared.join("templates"), shared.join("themes"), region_root))
}
