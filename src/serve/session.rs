//! The pipeline behind a cache: the same stages as [`crate::build::render_site`], but parsed files are
//! kept by path and content hash, pages by the hash of their inputs ([`PageKeys`]), and the
//! output is updated file by file. A save re-reads and re-parses one file, re-renders the pages
//! whose inputs changed, and rewrites only the files whose bytes changed.

use super::memo::PageKeys;
use crate::build::BuildOptions;
use crate::diagnostic::{self, Diagnostic, display_path};
use crate::fingerprint::FastHasher;
use crate::model::{self, DecodedFile, Site};
use crate::output::{self, WriteError};
use crate::render::depends::Changed;
use crate::render::{self, theme::Theme};
use crate::routes::{Route, Urls};
use crate::source::{self, SourceFile};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::BuildHasherDefault;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The bytes of one output file, shared between the session and the server.
pub type Bytes = Arc<Vec<u8>>;

/// Every output file of the last good build, by path relative to the output folder.
pub type OutputMap = BTreeMap<String, Bytes>;

/// A change to the output map: a path and its new bytes, or `None` when it was removed.
type OutputChange = (String, Option<Bytes>);

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Unknown: walk the whole site again (first build, watcher overflow). Unchanged files are
    /// still not parsed again.
    All,
    /// These paths (absolute, or relative to the current folder) were created, modified, removed
    /// or renamed.
    Paths(Vec<PathBuf>),
}

/// The content files a session's copy may have changed since someone who keeps their own copy
/// (the editor) last took them: see [`Session::take_touched`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touched {
    /// Any file may have changed: nothing taken yet, or the whole tree was walked again.
    All,
    /// Only these files (relative to the root) may have changed, appeared or gone; the others
    /// are as they were.
    Files(BTreeSet<String>),
}

/// What a successful rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// Site files whose content changed, relative to the site root (`templates` for any template
    /// or theme change).
    pub changed: Vec<String>,
    /// Pages rendered this time (output paths).
    pub rendered: Vec<String>,
    /// Pages of the site in all.
    pub pages: usize,
    /// Output files written (new or changed bytes).
    pub written: Vec<String>,
    /// Output files removed.
    pub removed: Vec<String>,
    /// Warnings of the content, sorted; the parts of files a save did not touch are those of
    /// the rebuild before.
    pub warnings: diagnostic::sorted::Sorted,
    /// Time the rebuild took, writing included.
    pub duration: Duration,
    /// Time of each stage, in order; the steps of rendering (`plan`, `paths`, `pages`, `files`)
    /// come just before `render`, which counts them.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Rebuild {
    /// Whether only stylesheets changed among the sources (the browser can swap them in place).
    pub fn css_only(&self) -> bool {
        !self.changed.is_empty() && self.changed.iter().all(|c| c.ends_with(".css"))
    }
}

/// Why a rebuild failed; the previous output and the last good build stay as they were.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    /// The content has errors.
    #[error("le contenu comporte des erreurs")]
    Content(Vec<Diagnostic>),
    /// Writing the output failed.
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl RebuildError {
    /// The content's errors, when that is why the rebuild failed.
    pub fn content(&self) -> Option<&[Diagnostic]> {
        match self {
            RebuildError::Content(d) => Some(d),
            RebuildError::Write(_) => None,
        }
    }
}

/// One content file in the cache.
#[derive(Debug, Clone)]
struct Entry {
    within: String,
    hash: u64,
    decoded: DecodedFile,
}

/// The incremental pipeline of one site, kept alive between rebuilds.
pub struct Session {
    opts: BuildOptions,
    /// Parsed content files by path relative to the root (`content/membres/x.yaml`).
    files: BTreeMap<String, Entry>,
    /// The site assembled from [`Self::files`], kept up to date file by file
    /// ([`model::reassemble`]); `None` until assembled, or when it has no `cpts.yaml`.
    site: Option<Site>,
    /// What render sees of [`Self::site`]: published records only, stale facts withheld for
    /// the session's day; kept up to date file by file too.
    published: Option<Site>,
    /// Files changed since [`Self::site`] was last brought up to date, with what they gave
    /// before (`None`: new).
    pending: Vec<(String, Option<DecodedFile>)>,
    /// Fingerprint of what the editor's schemas list, when they were last written for it.
    schema_key: Option<u64>,
    /// [`Self::published`] must be made again from [`Self::site`] (a new day, new rules).
    republish: bool,
    /// Files of [`Self::files`] that may have changed since [`Session::take_touched`].
    touched: Touched,
    /// Diagnostics of the last full walk (unknown or unreadable files).
    load_diagnostics: Vec<Diagnostic>,
    /// Files of [`Self::files`] that could not be decoded, kept up to date with the changes
    /// [`Self::assemble`] takes in, so that a save does not look through every file for them.
    undecodable: BTreeSet<String>,
    /// The check's findings, kept between rebuilds.
    check: crate::check::kept::KeptCheck,
    theme: Option<(Option<String>, Theme)>,
    keys: PageKeys,
    /// The output files of the last good render other than its pages (site-wide files, static
    /// files, images…): with the pages the memo knows, the paths of [`Self::outputs`].
    made_files: HashSet<String, BuildHasherDefault<FastHasher>>,
    outputs: Arc<OutputMap>,
    /// The output map before the last rebuild, and what that rebuild changed in it (new bytes,
    /// or `None`: removed). Once the server has let go of it, the next rebuild brings it up to
    /// date in place rather than copying the whole map (100 000 paths on a large site).
    spare: Option<(Arc<OutputMap>, Vec<OutputChange>)>,
    /// The output folder once [`Self::outputs`] is on disk (the first good build writes
    /// everything), with its manifest kept in memory.
    updater: Option<output::Updater>,
    /// Output paths changed in [`Self::outputs`] (written or removed) since the output folder was
    /// last brought up to date.
    unwritten: BTreeSet<String>,
    /// [`Self::outputs`] is ahead of the output folder: [`Session::write_output`] has work.
    dirty: bool,
    /// Result of the last rebuild, returned again when nothing changed.
    last_error: Option<Vec<Diagnostic>>,
    built_once: bool,
    prefix: String,
    /// Encoded images, kept across rebuilds (and on disk across sessions).
    images: render::images::ImageCache,
}

/// What [`Session::apply`] found.
#[derive(Default)]
struct Applied {
    changed: Vec<String>,
    templates: bool,
}

impl Session {
    /// A session for a site; nothing is read before the first [`Session::rebuild`].
    pub fn new(opts: BuildOptions) -> Session {
        let images = render::images::ImageCache::for_site(&opts.root);
        Session {
            opts,
            files: BTreeMap::new(),
            site: None,
            published: None,
            pending: Vec::new(),
            republish: false,
            schema_key: None,
            touched: Touched::All,
            load_diagnostics: Vec::new(),
            undecodable: BTreeSet::new(),
            check: crate::check::kept::KeptCheck::default(),
            theme: None,
            keys: PageKeys::default(),
            made_files: HashSet::default(),
            outputs: Arc::new(OutputMap::new()),
            spare: None,
            updater: None,
            unwritten: BTreeSet::new(),
            dirty: false,
            last_error: None,
            built_once: false,
            prefix: String::new(),
            images,
        }
    }

    /// The build options.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// Every output file of the last good build.
    pub fn outputs(&self) -> Arc<OutputMap> {
        Arc::clone(&self.outputs)
    }

    /// Path prefix of the site's URLs (`/cpts` when the site lives under a sub-path), else empty.
    pub fn url_prefix(&self) -> &str {
        &self.prefix
    }

    /// Every content file decoded, with the fingerprint of its bytes (the editor checks its
    /// candidates against them).
    pub fn files(&self) -> impl Iterator<Item = (&str, u64, &DecodedFile)> {
        self.files.iter().map(|(rel, e)| (rel.as_str(), e.hash, &e.decoded))
    }

    /// The content file at `rel` (relative to the root) decoded, with the fingerprint of its
    /// bytes.
    pub fn file(&self, rel: &str) -> Option<(u64, &DecodedFile)> {
        self.files.get(rel).map(|e| (e.hash, &e.decoded))
    }

    /// The content files that may have changed, appeared or gone since the last call (every file
    /// at the first, and after a walk of the whole tree): what a copy of [`Session::files`] must
    /// look at again to stay up to date, whether the rebuilds since succeeded or not. Files the
    /// watcher or the editor reported count even when their bytes did not change (the editor's
    /// copy may hold other bytes than the session's).
    pub fn take_touched(&mut self) -> Touched {
        std::mem::replace(&mut self.touched, Touched::Files(BTreeSet::new()))
    }

    /// The site as the last good build rendered it: published records only, stale facts
    /// withheld (a region's portal reads its summary of the CPTS from it).
    pub fn published(&self) -> Option<&Site> {
        if self.last_error.is_some() { None } else { self.published.as_ref() }
    }

    /// Pages known to the dependency map.
    pub fn known_pages(&self) -> usize {
        self.keys.len()
    }

    /// Rebuilds after `changes` and brings the output folder up to date. On error the last good
    /// build stays as it is, in memory and on disk.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuild, RebuildError> {
        let mut rebuild = self.rebuild_in_memory(changes)?;
        let start = Instant::now();
        self.write_output()?;
        rebuild.timings.push(("write", start.elapsed()));
        rebuild.duration += start.elapsed();
        Ok(rebuild)
    }

    /// [`Session::rebuild`] without writing: [`Session::outputs`] holds the new site, and the
    /// output folder is brought up to date by the next [`Session::write_output`] (the dev server
    /// serves from memory, so it writes after telling the browsers). On error the last good
    /// build stays as it is.
    pub fn rebuild_in_memory(&mut self, changes: &Changes) -> Result<Rebuild, RebuildError> {
        let start = Instant::now();
        let applied = match changes {
            Changes::All => Applied { templates: true, ..self.reload_all() },
            Changes::Paths(paths) => self.apply(paths),
        };
        if applied.templates {
            self.theme = None;
        }
        if self.built_once && applied.changed.is_empty() && !applied.templates {
            return match &self.last_error {
                Some(d) => Err(RebuildError::Content(d.clone())),
                None => Ok(Rebuild { pages: self.keys.len(), duration: start.elapsed(), ..Rebuild::default() }),
            };
        }
        self.built_once = true;
        let mut changed = applied.changed;
        if applied.templates {
            changed.push("templates".to_string());
        }
        self.render_and_remember(start, changed)
    }

    /// Renders, remembering the content errors (or their absence) for the next rebuild.
    fn render_and_remember(&mut self, start: Instant, changed: Vec<String>) -> Result<Rebuild, RebuildError> {
        let result = self.render(start, changed);
        match &result {
            Ok(_) => self.last_error = None,
            Err(RebuildError::Content(d)) => self.last_error = Some(d.clone()),
            Err(_) => {}
        }
        result
    }

    /// Rebuilds for a new day (`today`), nothing else changed, and brings the output folder up
    /// to date: the facts that crossed their limit, the actions that became past and the offers
    /// that expired re-render their pages, and only those (the others' keys do not depend on the
    /// day itself).
    pub fn new_day(&mut self, today: jiff::civil::Date) -> Result<Rebuild, RebuildError> {
        let start = Instant::now();
        self.opts.today = today;
        self.republish = true;
        if !self.built_once {
            return self.rebuild(&Changes::All);
        }
        let rebuild = self.render_and_remember(start, vec![format!("nouveau jour ({today})")])?;
        self.write_output()?;
        Ok(rebuild)
    }

    /// Walks the whole content tree; only files whose bytes changed are parsed again.
    fn reload_all(&mut self) -> Applied {
        let (sources, diagnostics) = crate::model::region::load_sources(&self.opts.root);
        self.load_diagnostics = diagnostics;
        self.touched = Touched::All;
        let mut applied = Applied::default();
        let seen: HashSet<String> = sources.files.iter().map(|f| f.rel.clone()).collect();
        let fresh: Vec<(String, Entry)> = {
            use rayon::prelude::*;
            sources
                .files
                .into_par_iter()
                .filter_map(|f| {
                    let hash = crate::fingerprint::of_bytes(&f.bytes);
                    if self.files.get(&f.rel).is_some_and(|e| e.hash == hash && e.decoded.kind == f.kind) {
                        return None;
                    }
                    let (rel, within) = (f.rel.clone(), f.within.clone());
                    Some((rel, Entry { within, hash, decoded: DecodedFile::new(f) }))
                })
                .collect()
        };
        for (rel, entry) in fresh {
            applied.changed.push(rel.clone());
            let old = self.files.insert(rel.clone(), entry).map(|e| e.decoded);
            self.pending.push((rel, old));
        }
        let gone: Vec<String> = self.files.keys().filter(|k| !seen.contains(*k)).cloned().collect();
        for rel in gone {
            let old = self.files.remove(&rel).map(|e| e.decoded);
            self.pending.push((rel.clone(), old));
            applied.changed.push(rel);
        }
        applied.changed.sort();
        applied
    }

    /// Re-reads the files that changed. A file the cache does not know yet (a new file, a
    /// folder) makes it walk the whole tree again, to classify it as the load stage does.
    fn apply(&mut self, paths: &[PathBuf]) -> Applied {
        let mut applied = Applied::default();
        let mut walk = false;
        let root = self.opts.root.clone();
        for path in paths {
            let Some(rel) = rel_to_root(&root, path) else { continue };
            let first = rel.split('/').next().unwrap_or("");
            match first {
                "templates" | "themes" => {
                    applied.templates = true;
                    continue;
                }
                source::CONTENT_DIR => {}
                _ => continue,
            }
            if rel == source::CONTENT_DIR {
                walk = true;
                continue;
            }
            if let Touched::Files(touched) = &mut self.touched {
                touched.insert(rel.clone());
            }
            let name = rel.rsplit('/').next().unwrap_or("");
            let full = root.join(&rel);
            match self.files.get(&rel) {
                Some(entry) => match full.symlink_metadata() {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        let old = self.files.remove(&rel).map(|e| e.decoded);
                        self.pending.push((rel.clone(), old));
                        applied.changed.push(rel);
                    }
                    // A folder now, or a link: the walk decides (a link may lead outside the site).
                    Ok(m) if m.is_dir() || m.is_symlink() => walk = true,
                    _ => match source::read_source(&full, entry.decoded.kind, &rel) {
                        Ok(bytes) => {
                            let hash = crate::fingerprint::of_bytes(&bytes);
                            if hash != entry.hash {
                                let within = entry.within.clone();
                                let f = SourceFile {
                                    kind: entry.decoded.kind,
                                    rel: rel.clone(),
                                    within: within.clone(),
                                    bytes,
                                };
                                let entry = Entry { within, hash, decoded: DecodedFile::new(f) };
                                let old = self.files.insert(rel.clone(), entry).map(|e| e.decoded);
                                self.pending.push((rel.clone(), old));
                                applied.changed.push(rel);
                            }
                        }
                        Err(d) => {
                            if let Some(entry) = self.files.get_mut(&rel) {
                                let old = std::mem::replace(&mut entry.decoded.decoded, Err(d));
                                let old = DecodedFile { decoded: old, ..entry.decoded.clone() };
                                entry.hash = 0;
                                self.pending.push((rel.clone(), Some(old)));
                            }
                            applied.changed.push(rel);
                        }
                    },
                },
                None => {
                    let prefix = format!("{rel}/");
                    let had_children =
                        self.files.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix));
                    if had_children || (full.exists() && !source::is_ignored(name)) {
                        walk = true;
                    }
                }
            }
        }
        if walk {
            let all = self.reload_all();
            applied.changed.extend(all.changed);
            applied.changed.sort();
            applied.changed.dedup();
        }
        applied
    }

    /// Brings the assembled and published sites up to date with the files changed since, one
    /// file at a time ([`model::reassemble`], [`DecodedFile::published`]); the whole assembly
    /// runs only when there is no site yet or the change leaves none. Returns the diagnostics
    /// of loading and decoding, as a full assembly gives them.
    fn assemble(&mut self) -> Vec<Diagnostic> {
        let pending = std::mem::take(&mut self.pending);
        let (drafts, today) = (self.opts.drafts, self.opts.today);
        let mut whole = self.site.is_none();
        if let Some(site) = &mut self.site {
            for (rel, old) in &pending {
                let new = self.files.get(rel).map(|e| e.decoded.clone());
                if !model::reassemble(site, rel, old.as_ref(), new) {
                    whole = true;
                    break;
                }
            }
        }
        for (rel, _) in &pending {
            if self.files.get(rel).is_some_and(|e| e.decoded.decoded.is_err()) {
                self.undecodable.insert(rel.clone());
            } else {
                self.undecodable.remove(rel);
            }
        }
        let mut diagnostics = self.load_diagnostics.clone();
        if whole {
            let (site, decoding) = model::assemble(self.files.values().map(|e| e.decoded.clone()).collect());
            diagnostics.extend(decoding);
            self.site = site;
            self.published = None;
        } else {
            // In the order of the files, as a whole assembly gives them.
            let decoding =
                self.undecodable.iter().filter_map(|rel| self.files.get(rel)?.decoded.decoded.as_ref().err());
            diagnostics.extend(decoding.cloned());
        }
        let Some(site) = &self.site else {
            self.published = None;
            return diagnostics;
        };
        // New freshness rules (cpts.yaml) or a new day: every member is assessed again.
        let rules_changed = pending.iter().any(|(rel, old)| {
            old.as_ref().is_some_and(|o| o.kind == source::SourceKind::Cpts)
                || self.files.get(rel).is_some_and(|e| e.decoded.kind == source::SourceKind::Cpts)
        });
        match &mut self.published {
            Some(published) if !self.republish && !rules_changed => {
                for (rel, old) in &pending {
                    let new = self.files.get(rel).and_then(|e| e.decoded.clone().published(site, drafts, today));
                    let old = old.clone().and_then(|o| o.published(site, drafts, today));
                    model::reassemble(published, rel, old.as_ref(), new);
                }
            }
            _ => {
                let mut published = site.clone();
                published.retain_published(drafts);
                published.withhold_stale_facts(today);
                self.published = Some(published);
            }
        }
        self.republish = false;
        diagnostics
    }

    fn render(&mut self, start: Instant, changed: Vec<String>) -> Result<Rebuild, RebuildError> {
        // Noted first: a render that stops on an error leaves them to the next one.
        self.keys.changes(changed_records(&changed));
        let mut timings = vec![("read", start.elapsed())];
        let mut clock = Instant::now();
        let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
            timings.push((name, clock.elapsed()));
            clock = Instant::now();
        };
        let mut diagnostics = self.assemble();
        lap("assemble", &mut timings);
        let (Some(site), Some(published)) = (&self.site, &self.published) else {
            diagnostic::sort(&mut diagnostics);
            return Err(RebuildError::Content(diagnostics));
        };
        let findings = self.check.update(site, &self.opts.scope());
        lap("check", &mut timings);
        // In the order a build gives them: loading and decoding, the check, then the rest.
        let before = std::mem::take(&mut diagnostics);
        // The editor's schemas follow the published site as a build's do (files rewritten only
        // when changed), made again only when what they list changed.
        let schema_key = crate::schema::site_values_key(published);
        if self.schema_key != Some(schema_key) {
            match crate::schema::refresh_site(&self.opts.root, Some(published)) {
                Ok(_) => self.schema_key = Some(schema_key),
                Err(e) => {
                    self.schema_key = None;
                    diagnostics.push(
                        Diagnostic::warning("M005", crate::schema::SITE_DIR, 0, 0, format!("schémas de l’éditeur non écrits : {}", crate::french::io_error(&e)))
                            .with_hint("la complétion dans l’éditeur de texte peut être en retard sur le site ; le site lui-même est construit"),
                    );
                }
            }
        }
        lap("schemas", &mut timings);
        let theme_name = site.cpts.data.site.theme.as_ref().map(|t| t.value.clone());
        if self.theme.as_ref().is_some_and(|(name, _)| *name != theme_name) {
            self.theme = None;
        }
        if self.theme.is_none() {
            match Theme::load(&self.opts.root, theme_name.as_deref()) {
                Ok(t) => {
                    self.theme = Some((theme_name, t));
                    self.keys.templates_changed();
                }
                Err(d) => diagnostics.extend(d),
            }
        }
        let warnings = diagnostic::sorted::Sorted::around(before, &findings, diagnostics);
        drop(findings);
        let theme = match &self.theme {
            Some((_, t)) if !warnings.has_error() => t,
            _ => return Err(RebuildError::Content(warnings.to_vec())),
        };
        let site = published;
        let base = self.opts.base_url.clone().unwrap_or_else(|| site.cpts.data.site.url.value.clone());
        let urls = Urls::new(&base);
        lap("theme", &mut timings);
        let (images, image_diags) = render::images::process(site, &self.images);
        if !image_diags.is_empty() {
            return Err(RebuildError::Content(with(&warnings, image_diags)));
        }
        lap("images", &mut timings);
        let sink = output::Collect::default();
        let out = match render::render_with(site, theme, &urls, self.opts.today, &images, Some(&self.keys), &sink) {
            Ok(o) => o,
            Err(render::RenderError::Content(d)) => return Err(RebuildError::Content(with(&warnings, d))),
            Err(render::RenderError::Output(never)) => match never {},
        };
        let outputs = sink.into_files();
        timings.extend(out.timings.iter().map(|(name, d)| (*name, *d)));
        lap("render", &mut timings);
        let rendered: Vec<String> = out.page_keys.iter().filter(|p| p.rendered).map(|p| p.path.clone()).collect();
        // What is gone: the pages the memo no longer has, and the other files of the last render
        // this one did not make again (neither goes over every page of the site).
        let pages_gone = self.keys.record(out.page_keys, out.retired, out.partial);
        let pages = self.keys.len();
        let made: HashSet<&str, BuildHasherDefault<FastHasher>> = outputs.iter().map(|o| o.path.as_str()).collect();
        let page_paths: HashSet<&str, BuildHasherDefault<FastHasher>> = rendered.iter().map(String::as_str).collect();
        let mut files: HashSet<String, BuildHasherDefault<FastHasher>> =
            made.iter().filter(|p| !page_paths.contains(*p)).map(|p| p.to_string()).collect();
        files.extend(out.kept);
        let (mut next, buffers) = self.next_outputs();
        self.keys.recycle(buffers);
        let removed: Vec<String> = pages_gone
            .into_iter()
            .chain(self.made_files.iter().filter(|p| !files.contains(*p)).cloned())
            .filter(|p| !made.contains(p.as_str()) && next.contains_key(p))
            .collect();
        let mut delta: Vec<OutputChange> = Vec::with_capacity(removed.len());
        for r in &removed {
            next.remove(r);
            delta.push((r.clone(), None));
        }
        drop((made, page_paths));
        self.made_files = files;
        let mut written = Vec::new();
        for o in outputs {
            if next.get(&o.path).is_none_or(|old| **old != o.bytes) {
                let bytes = Arc::new(o.bytes);
                written.push(o.path.clone());
                delta.push((o.path.clone(), Some(Arc::clone(&bytes))));
                next.insert(o.path, bytes);
            }
        }
        lap("diff", &mut timings);
        // On disk after the browsers are told ([`Session::write_output`]): the server serves
        // from memory.
        self.unwritten.extend(written.iter().chain(&removed).cloned());
        self.dirty = true;
        self.keys.keep(out.carried);
        let previous = std::mem::replace(&mut self.outputs, Arc::new(next));
        self.spare = Some((previous, delta));
        self.prefix = urls.link(&Route::Home).trim_end_matches('/').to_string();
        Ok(Rebuild { changed, rendered, pages, written, removed, warnings, duration: start.elapsed(), timings })
    }
}

impl Session {
    /// Brings the output folder up to date with [`Session::outputs`]: the files the rebuilds
    /// since the last write changed are written or removed (every file after the first build or
    /// a failed write). A failure leaves the folder as the last write left it, and the next call
    /// writes everything again.
    pub fn write_output(&mut self) -> Result<(), WriteError> {
        if !self.dirty {
            return Ok(());
        }
        let unwritten = std::mem::take(&mut self.unwritten);
        let out_dir = &self.opts.output;
        let result = match &mut self.updater {
            Some(updater) if out_dir.join(output::MARKER).is_file() => {
                let (mut files, mut removed) = (Vec::new(), Vec::new());
                for path in &unwritten {
                    match self.outputs.get(path) {
                        Some(bytes) => files.push((path.as_str(), bytes.as_slice())),
                        None => removed.push(path.clone()),
                    }
                }
                updater.update(&files, &removed).map(drop)
            }
            _ => {
                self.updater = None;
                let files: Vec<(&str, &[u8])> =
                    self.outputs.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())).collect();
                output::Updater::write_all(&files, out_dir).map(|updater| self.updater = Some(updater))
            }
        };
        match result {
            Ok(()) => self.dirty = false,
            Err(_) => self.updater = None,
        }
        result
    }

    /// A copy of [`Self::outputs`] to change: the spare map brought up to date when the server
    /// no longer holds it, else a copy of the whole map; with the memory of the directory's
    /// site-wide files it replaced, which nothing else holds any more (for the next render to
    /// write their new versions into, see [`crate::render::PageMemo::take_buffers`]).
    fn next_outputs(&mut self) -> (OutputMap, Vec<Vec<u8>>) {
        let mut buffers = Vec::new();
        if let Some((spare, changes)) = self.spare.take()
            && let Ok(mut map) = Arc::try_unwrap(spare)
        {
            let directory = crate::render::rows::directory_files();
            for (path, bytes) in changes {
                let recycled = directory.contains(&path);
                let old = match bytes {
                    Some(b) => map.insert(path, b),
                    None => map.remove(&path),
                };
                if let Some(old) = old.filter(|_| recycled) {
                    buffers.extend(Arc::try_unwrap(old).ok());
                }
            }
            return (map, buffers);
        }
        ((*self.outputs).clone(), buffers)
    }
}

/// Every diagnostic of `warnings` and `more`, sorted.
fn with(warnings: &diagnostic::sorted::Sorted, more: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut all = warnings.to_vec();
    all.extend(more);
    diagnostic::sort(&mut all);
    all
}

/// What the changed files (relative to the root, as [`Rebuild::changed`] lists them) touch of
/// the records member pages read: members and actions by slug, only whether other content files
/// changed (what they change of every page, the render finds from the site-wide context), and
/// [`Changed::Unknown`] for anything else (templates, a new day, a file outside `content/`).
fn changed_records(changed: &[String]) -> Changed {
    let mut records = Changed::nothing();
    for rel in changed {
        let Some((kind, within)) =
            rel.strip_prefix(source::CONTENT_DIR).and_then(|r| r.strip_prefix('/')).and_then(source::classify)
        else {
            return Changed::Unknown;
        };
        let name = within.rsplit('/').next().unwrap_or(&within);
        let slug = name.rsplit_once('.').map_or(name, |(stem, _)| stem).to_string();
        let (mut members, mut actions) = (BTreeSet::new(), BTreeSet::new());
        match kind {
            source::SourceKind::Member => members.insert(slug),
            source::SourceKind::Action => actions.insert(slug),
            _ => false,
        };
        let others = members.is_empty() && actions.is_empty();
        let one = Changed::Records { members, actions, others };
        records.merge(one);
    }
    records
}

/// `path` relative to `root`, `/`-separated, when it is inside.
fn rel_to_root(root: &Path, path: &Path) -> Option<String> {
    let abs_root = std::path::absolute(root).ok()?;
    let abs = std::path::absolute(path).ok()?;
    let rel = match abs.strip_prefix(&abs_root) {
        Ok(r) => r.to_path_buf(),
        // The watcher may report canonical paths (symlinked temporary folders on macOS).
        Err(_) => abs.strip_prefix(abs_root.canonicalize().ok()?).ok()?.to_path_buf(),
    };
    let s = display_path(&rel);
    (!s.is_empty()).then_some(s)
}
