//! A region's tree (`region.yaml`, [`crate::model::region`]): every CPTS's site built by the
//! ordinary [`crate::build()`], each under its own path of the output, and the region's portal
//! ([`portal`]): the map of the territories, a directory and search across them, a page per
//! commune, the prevention calendar. `maillage check` on the region checks every CPTS at once.
//!
//! Each CPTS's site is exactly what `maillage build` makes of its folder alone (with the same
//! address): the region only chooses the address and the output folder. A region's build takes
//! the options of a site's ([`BuildOptions`]): `root` holds region.yaml, `output` receives the
//! portal and, in the folder of each CPTS's name, its site; `base_url` replaces the portal's
//! address (and so that of each CPTS published under it).

pub mod portal;
pub mod serve;

use crate::build::{self, BuildError, BuildOptions, BuildReport};
use crate::diagnostic::{self, Diagnostic};
use crate::model::region::{Region, RegionCpts, UP};
use crate::output::{self, OutputSink};
use crate::routes::Urls;
use crate::{check, model};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a region's build did.
#[derive(Debug, Clone)]
pub struct RegionReport {
    /// Each CPTS's folder and what its build did, in the order of region.yaml.
    pub sites: Vec<(String, BuildReport)>,
    /// Files of the portal.
    pub portal_files: usize,
    /// What writing the portal did.
    pub portal_stats: output::WriteStats,
    /// Warnings of every CPTS and of the region, their files named from the region's root.
    pub warnings: Vec<Diagnostic>,
}

/// What to tell someone who runs, on a region's root, a command that works on one CPTS's site
/// (`import`, `new`, `publier`, `schema`): which folder to name instead. `None` when `root` is
/// no region's.
pub fn one_cpts_only(root: &std::path::Path, command: &str) -> Option<String> {
    if !crate::model::region::is_region(root) {
        return None;
    }
    let folders: Vec<String> = match crate::model::region::RegionFile::read(root, crate::model::region::REGION_FILE) {
        Ok(f) => f.cpts.iter().map(|c| c.dossier.value.clone()).collect(),
        Err(_) => Vec::new(),
    };
    let example = root.join(folders.first().map_or("DOSSIER", String::as_str));
    let listed = if folders.is_empty() {
        String::new()
    } else {
        let named: Vec<String> = folders.iter().map(|f| format!("«\u{a0}{f}\u{a0}»")).collect();
        format!(" Les CPTS de la région\u{a0}: {}.", named.join(", "))
    };
    Some(format!(
        "{} contient region.yaml\u{a0}: c’est une région, et «\u{a0}maillage {command}\u{a0}» travaille sur le site d’une seule CPTS. Donnez le dossier de la CPTS, par exemple «\u{a0}--root {}\u{a0}».{listed} Une fiche commune se modifie dans commun/membres/, avec un éditeur de texte.",
        crate::diagnostic::printable(&root.display().to_string()),
        crate::diagnostic::printable(&example.display().to_string()),
    ))
}

/// The options of the build of one CPTS of the region.
fn cpts_options(region: &Region, opts: &BuildOptions, c: &RegionCpts) -> BuildOptions {
    BuildOptions {
        root: region.cpts_root(c),
        output: opts.output.join(&c.dossier.value),
        base_url: Some(cpts_base_url(region, opts, c)),
        drafts: opts.drafts,
        today: opts.today,
        production: opts.production,
    }
}

/// The address of a CPTS's site: its own, else the portal's (as given by `--base-url`, else by
/// region.yaml) followed by its folder.
fn cpts_base_url(region: &Region, opts: &BuildOptions, c: &RegionCpts) -> String {
    match (&c.url, &opts.base_url) {
        (None, Some(base)) => format!("{}/{}/", base.trim().trim_end_matches('/'), c.dossier.value),
        _ => region.cpts_base_url(c),
    }
}

/// The portal's address.
fn portal_base_url(region: &Region, opts: &BuildOptions) -> String {
    opts.base_url.clone().unwrap_or_else(|| region.file.url.value.clone())
}

/// A diagnostic of a CPTS's build, its file named from the region's root: `content/x` of folder
/// `d` becomes `d/content/x`, `../region.yaml` becomes `region.yaml`.
fn from_region_root(mut d: Diagnostic, dossier: &str) -> Diagnostic {
    d.file = match d.file.strip_prefix(&format!("{UP}/")) {
        Some(rest) => rest.to_string(),
        None => format!("{dossier}/{}", d.file),
    };
    d
}

/// Every diagnostic once, sorted: a problem of a shared file is found by each CPTS that reads it.
fn settle(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    diagnostics
}

/// Checks the region and every CPTS's site, rendering nothing to disk: all diagnostics, their
/// files named from the region's root.
pub fn check_region(opts: &BuildOptions) -> Vec<Diagnostic> {
    let (region, mut diagnostics) = Region::read(&opts.root);
    let Some(region) = region else { return settle(diagnostics) };
    for c in &region.file.cpts {
        // A folder region.yaml names wrongly is reported there (M111).
        if !region.is_usable(c) {
            continue;
        }
        let found = build::check_site(&cpts_options(&region, opts, c));
        diagnostics.extend(found.into_iter().map(|d| from_region_root(d, &c.dossier.value)));
    }
    settle(diagnostics)
}

/// What the portal shows of one CPTS, read from its checked and published site.
fn summarise(region: &Region, opts: &BuildOptions, c: &RegionCpts) -> Result<portal::CptsSummary, Vec<Diagnostic>> {
    let cpts = cpts_options(region, opts, c);
    let (sources, mut diagnostics) = model::region::load_sources(&cpts.root);
    let (site, parsed) = model::parse(sources);
    diagnostics.extend(parsed);
    let Some(mut site) = site else { return Err(diagnostics) };
    diagnostics.extend(check::check(&site, &cpts.scope()));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    site.retain_published(opts.drafts);
    site.withhold_stale_facts(opts.today);
    let base = cpts.base_url.clone().unwrap_or_default();
    let own_host = c.url.is_some();
    Ok(portal::CptsSummary::of(&site, &Urls::new(&base), own_host, c, opts.today))
}

/// Builds every CPTS's site, then the portal, into `opts.output`. The whole region is checked
/// first: on any error, nothing is written and every diagnostic is returned.
pub fn build_region(opts: &BuildOptions) -> Result<RegionReport, BuildError> {
    build_region_kept(opts).map(|built| built.report)
}

/// A region built, with what `serve` keeps to follow its changes.
pub(crate) struct Built {
    /// What the build did.
    pub(crate) report: RegionReport,
    /// The region's file, checked.
    pub(crate) region: Region,
    /// Each CPTS's summary, in the order of region.yaml.
    pub(crate) summaries: Vec<portal::CptsSummary>,
    /// The portal as written.
    pub(crate) portal: portal::Portal,
}

/// [`build_region`], keeping the summaries and the portal. Each CPTS is read, checked and
/// rendered once, as many at a time as rayon has threads: its output waits beside the previous one
/// ([`build::StagedBuild`]) until every CPTS succeeded; after an error, the CPTS not yet started
/// are only checked (every content error is still found), and nothing is written.
pub(crate) fn build_region_kept(opts: &BuildOptions) -> Result<Built, BuildError> {
    let region = Region::load(&opts.root).map_err(|d| BuildError::Content(settle(d)))?;
    output::check_layout(&opts.root, &opts.output)?;
    // The sites wait inside the portal's folder: a first build makes it first, empty, and takes
    // it away again on error (it is then empty: a folder only rmdir removes).
    let first = !opts.output.join(output::MARKER).is_file();
    if first {
        output::write(&[], &opts.output)?;
    }
    let undo_first = || {
        if first {
            let _ = std::fs::remove_file(opts.output.join(output::MARKER));
            let _ = std::fs::remove_dir(&opts.output);
        }
    };
    // As many CPTS at a time as rayon has threads (two here): most CPTS are too small for their own
    // build to keep both cores busy. Each result keeps its place in region.yaml's order.
    let failed = AtomicBool::new(false);
    let results: Vec<CptsResult> = region
        .file
        .cpts
        .par_iter()
        .map(|c| {
            let dossier = &c.dossier.value;
            if failed.load(Ordering::Relaxed) {
                // Nothing will be written: the other CPTS are checked, for every problem at once.
                return match summarise(&region, opts, c) {
                    Ok(_) => CptsResult::Checked,
                    Err(d) => CptsResult::Problems(d.into_iter().map(|d| from_region_root(d, dossier)).collect()),
                };
            }
            let mut summary = None;
            let mut inspect = |site: &model::Site, urls: &Urls| {
                summary = Some(portal::CptsSummary::of(site, urls, c.url.is_some(), c, opts.today));
            };
            match build::build_staged(&cpts_options(&region, opts, c), Some(&mut inspect)) {
                Ok(s) => CptsResult::Built(Box::new((summary, dossier.clone(), s))),
                Err(BuildError::Content(d)) => {
                    if d.iter().any(Diagnostic::is_error) {
                        failed.store(true, Ordering::Relaxed);
                    }
                    CptsResult::Problems(d.into_iter().map(|d| from_region_root(d, dossier)).collect())
                }
                Err(e) => {
                    failed.store(true, Ordering::Relaxed);
                    CptsResult::Failed(e)
                }
            }
        })
        .collect();
    let mut summaries = Vec::new();
    let mut staged = Vec::new();
    let mut problems = Vec::new();
    let mut fatal = None;
    for result in results {
        match result {
            CptsResult::Built(built) => {
                let (summary, dossier, s) = *built;
                summaries.extend(summary);
                staged.push((dossier, s));
            }
            CptsResult::Checked => {}
            CptsResult::Problems(d) => problems.extend(d),
            CptsResult::Failed(e) => {
                fatal.get_or_insert(e);
            }
        }
    }
    if let Some(e) = fatal {
        drop(staged);
        undo_first();
        return Err(e);
    }
    if problems.iter().any(Diagnostic::is_error) {
        // Dropped, the staged builds remove what they wrote.
        drop(staged);
        undo_first();
        return Err(BuildError::Content(settle(problems)));
    }
    // The portal first: the output folder is its own, each site a folder inside.
    let mut portal = portal::Portal::default();
    let files = portal
        .update(&region, &Urls::new(&portal_base_url(&region, opts)), &summaries, opts.today, None)
        .map_err(|d| BuildError::Content(vec![d]))?
        .written;
    let writer = output::Writer::open(&opts.output, output::Manifest::read(&opts.output))?;
    let portal_files = files.len();
    for f in files {
        writer.put(f)?;
    }
    let portal_stats = writer.commit(output::BuildInfo { fingerprint: None, pages: portal_files, warnings: 0 })?;
    let mut sites = Vec::new();
    let mut warnings = Vec::new();
    for (dossier, s) in staged {
        let report = s.commit().map_err(|e| in_region(e, &dossier))?;
        warnings.extend(report.warnings.iter().cloned().map(|d| from_region_root(d, &dossier)));
        sites.push((dossier, report));
    }
    let report = RegionReport { sites, portal_files, portal_stats, warnings: settle(warnings) };
    Ok(Built { report, region, summaries, portal })
}

/// What became of one CPTS of a region's build.
enum CptsResult {
    /// Built, waiting to be committed, with its summary for the portal and its folder.
    Built(Box<(Option<portal::CptsSummary>, String, build::StagedBuild)>),
    /// Only checked, without a problem: another CPTS failed, so nothing is written.
    Checked,
    /// Its problems, files named from the region's root.
    Problems(Vec<Diagnostic>),
    /// Its build failed for another reason than its content (writing, reading its output).
    Failed(BuildError),
}

/// A CPTS's build error, its files named from the region's root.
fn in_region(e: BuildError, dossier: &str) -> BuildError {
    match e {
        BuildError::Content(d) => {
            BuildError::Content(settle(d.into_iter().map(|d| from_region_root(d, dossier)).collect()))
        }
        other => other,
    }
}
