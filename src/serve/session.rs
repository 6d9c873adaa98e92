//! The pipeline behind a cache: the same stages as [`crate::render_site`], but parsed files are
//! kept by path and content hash, pages by the hash of their inputs ([`PageKeys`]), and the
//! output is updated file by file. A save re-reads and re-parses one file, re-renders the pages
//! whose inputs changed, and rewrites only the files whose bytes changed.

use super::disk;
use super::memo::PageKeys;
use crate::BuildOptions;
use crate::diagnostic::{self, Diagnostic, display_path};
use crate::model::{
    self, ActionMeta, Asset, ContactsFile, Cpts, DocumentFile, MemberFile, NewsMeta, OfferMeta, PageMeta, Record,
    ResourceFile, Site,
};
use crate::output::{self, OutputFile, WriteError};
use crate::render::{self, theme::Theme};
use crate::routes::{Route, Urls};
use crate::source::{self, SourceFile, SourceKind, utf8_text};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The bytes of one output file, shared between the session and the server.
pub type Bytes = Arc<Vec<u8>>;

/// Every output file of the last good build, by path relative to the output folder.
pub type OutputMap = BTreeMap<String, Bytes>;

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
    /// Warnings of the content.
    pub warnings: Vec<Diagnostic>,
    /// Time the rebuild took, writing included.
    pub duration: Duration,
    /// Time of each stage, in order.
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

/// A parsed file, kept until its bytes change.
#[derive(Debug, Clone)]
enum Decoded {
    Cpts(Box<Record<Cpts>>),
    Contacts(Box<Record<ContactsFile>>),
    Geojson(String),
    Member(Box<model::Member>),
    Action(Box<model::Action>),
    Offer(Box<model::Offer>),
    News(Box<model::News>),
    Page(Box<model::Page>),
    Resource(Box<model::Resource>),
    Document(Box<model::Document>),
    Asset(Asset),
}

/// One content file in the cache.
#[derive(Debug, Clone)]
struct Entry {
    kind: SourceKind,
    within: String,
    hash: u64,
    decoded: Result<Decoded, Diagnostic>,
}

/// The incremental pipeline of one site, kept alive between rebuilds.
pub struct Session {
    opts: BuildOptions,
    /// Parsed content files by path relative to the root (`content/membres/x.yaml`).
    files: BTreeMap<String, Entry>,
    /// Diagnostics of the last full walk (unknown or unreadable files).
    load_diagnostics: Vec<Diagnostic>,
    theme: Option<(Option<String>, Theme)>,
    keys: PageKeys,
    outputs: Arc<OutputMap>,
    /// Whether [`Self::outputs`] is on disk (the first good build writes everything).
    written_once: bool,
    /// Result of the last rebuild, returned again when nothing changed.
    last_error: Option<Vec<Diagnostic>>,
    built_once: bool,
    prefix: String,
    /// Encoded images, kept across rebuilds (and on disk across sessions).
    images: render::images::ImageCache,
}

/// Hidden files, editor backups and swap files: never content (the same rule as the load stage).
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

fn decode(f: &SourceFile) -> Result<Decoded, Diagnostic> {
    use model::decode_file as d;
    Ok(match f.kind {
        SourceKind::Cpts => Decoded::Cpts(Box::new(d(f, false)?)),
        SourceKind::Contacts => Decoded::Contacts(Box::new(d(f, false)?)),
        SourceKind::CommunesGeojson => Decoded::Geojson(utf8_text(&f.rel, &f.bytes)?.to_string()),
        SourceKind::Member => Decoded::Member(Box::new(d::<MemberFile>(f, false)?)),
        SourceKind::Resource => Decoded::Resource(Box::new(d::<ResourceFile>(f, false)?)),
        SourceKind::DocumentSidecar => Decoded::Document(Box::new(d::<DocumentFile>(f, false)?)),
        SourceKind::Action => Decoded::Action(Box::new(d::<ActionMeta>(f, true)?)),
        SourceKind::Offer => Decoded::Offer(Box::new(d::<OfferMeta>(f, true)?)),
        SourceKind::News => Decoded::News(Box::new(d::<NewsMeta>(f, true)?)),
        SourceKind::Page => Decoded::Page(Box::new(d::<PageMeta>(f, true)?)),
        SourceKind::Static | SourceKind::Document => Decoded::Asset(Asset {
            within: f.within.clone(),
            file: f.rel.clone(),
            is_document: f.kind == SourceKind::Document,
            bytes: f.bytes.clone(),
        }),
    })
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
            load_diagnostics: Vec::new(),
            theme: None,
            keys: PageKeys::default(),
            outputs: Arc::new(OutputMap::new()),
            written_once: false,
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

    /// Pages known to the dependency map.
    pub fn known_pages(&self) -> usize {
        self.keys.len()
    }

    /// Rebuilds after `changes`. On error the last good build stays as it is, in memory and on
    /// disk.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuild, RebuildError> {
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
        match self.render(start, changed) {
            Ok(r) => {
                self.last_error = None;
                Ok(r)
            }
            Err(RebuildError::Content(d)) => {
                self.last_error = Some(d.clone());
                Err(RebuildError::Content(d))
            }
            Err(e) => Err(e),
        }
    }

    /// Walks the whole content tree; only files whose bytes changed are parsed again.
    fn reload_all(&mut self) -> Applied {
        let (sources, diagnostics) = source::load(&self.opts.root);
        self.load_diagnostics = diagnostics;
        let mut applied = Applied::default();
        let mut seen = HashSet::new();
        let fresh: Vec<(String, Entry)> = {
            use rayon::prelude::*;
            sources
                .files
                .par_iter()
                .filter_map(|f| {
                    let hash = crate::fingerprint::of_bytes(&f.bytes);
                    if self.files.get(&f.rel).is_some_and(|e| e.hash == hash && e.kind == f.kind) {
                        return None;
                    }
                    let entry = Entry { kind: f.kind, within: f.within.clone(), hash, decoded: decode(f) };
                    Some((f.rel.clone(), entry))
                })
                .collect()
        };
        for f in &sources.files {
            seen.insert(f.rel.clone());
        }
        for (rel, entry) in fresh {
            applied.changed.push(rel.clone());
            self.files.insert(rel, entry);
        }
        let gone: Vec<String> = self.files.keys().filter(|k| !seen.contains(*k)).cloned().collect();
        for rel in gone {
            self.files.remove(&rel);
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
            let name = rel.rsplit('/').next().unwrap_or("");
            let full = root.join(&rel);
            match self.files.get(&rel) {
                Some(entry) => match std::fs::read(&full) {
                    Ok(bytes) => {
                        let hash = crate::fingerprint::of_bytes(&bytes);
                        if hash != entry.hash {
                            let f =
                                SourceFile { kind: entry.kind, rel: rel.clone(), within: entry.within.clone(), bytes };
                            let decoded = decode(&f);
                            self.files.insert(rel.clone(), Entry { kind: f.kind, within: f.within, hash, decoded });
                            applied.changed.push(rel);
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        self.files.remove(&rel);
                        applied.changed.push(rel);
                    }
                    Err(e) if full.is_dir() => {
                        let _ = e;
                        walk = true;
                    }
                    Err(e) => {
                        let d = Diagnostic::error("M002", &rel, 0, 0, format!("lecture impossible : {e}"));
                        if let Some(entry) = self.files.get_mut(&rel) {
                            entry.decoded = Err(d);
                            entry.hash = 0;
                        }
                        applied.changed.push(rel);
                    }
                },
                None => {
                    let prefix = format!("{rel}/");
                    let had_children =
                        self.files.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix));
                    if had_children || (full.exists() && !is_ignored_name(name)) {
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

    /// The site from the cache, as [`crate::model::parse`] builds it.
    fn assemble(&self) -> (Option<Site>, Vec<Diagnostic>) {
        let mut diagnostics = self.load_diagnostics.clone();
        let mut cpts = None;
        let mut contacts = None;
        let mut communes_geojson = None;
        let (mut members, mut actions, mut offers, mut news, mut pages) = (vec![], vec![], vec![], vec![], vec![]);
        let (mut resources, mut documents, mut assets) = (vec![], vec![], vec![]);
        let mut has_cpts_file = false;
        for entry in self.files.values() {
            has_cpts_file |= entry.kind == SourceKind::Cpts;
            match &entry.decoded {
                Err(d) => diagnostics.push(d.clone()),
                Ok(Decoded::Cpts(r)) => cpts = Some((**r).clone()),
                Ok(Decoded::Contacts(r)) => contacts = Some((**r).clone()),
                Ok(Decoded::Geojson(t)) => communes_geojson = Some(t.clone()),
                Ok(Decoded::Member(r)) => members.push((**r).clone()),
                Ok(Decoded::Action(r)) => actions.push((**r).clone()),
                Ok(Decoded::Offer(r)) => offers.push((**r).clone()),
                Ok(Decoded::News(r)) => news.push((**r).clone()),
                Ok(Decoded::Page(r)) => pages.push((**r).clone()),
                Ok(Decoded::Resource(r)) => resources.push((**r).clone()),
                Ok(Decoded::Document(r)) => documents.push((**r).clone()),
                Ok(Decoded::Asset(a)) => assets.push(a.clone()),
            }
        }
        fn by_slug<T>(v: &mut [Record<T>]) {
            v.sort_by(|a, b| a.slug.cmp(&b.slug));
        }
        by_slug(&mut members);
        by_slug(&mut actions);
        by_slug(&mut offers);
        by_slug(&mut news);
        by_slug(&mut pages);
        by_slug(&mut resources);
        by_slug(&mut documents);
        if !has_cpts_file {
            diagnostics.push(crate::model::missing_cpts());
        }
        let site = cpts.map(|cpts| Site {
            cpts,
            contacts,
            communes_geojson,
            members,
            actions,
            offers,
            news,
            pages,
            resources,
            documents,
            assets,
        });
        (site, diagnostics)
    }

    fn render(&mut self, start: Instant, changed: Vec<String>) -> Result<Rebuild, RebuildError> {
        let mut timings = vec![("read", start.elapsed())];
        let mut clock = Instant::now();
        let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
            timings.push((name, clock.elapsed()));
            clock = Instant::now();
        };
        let (site, mut diagnostics) = self.assemble();
        lap("assemble", &mut timings);
        let Some(mut site) = site else {
            diagnostic::sort(&mut diagnostics);
            return Err(RebuildError::Content(diagnostics));
        };
        diagnostics.extend(crate::check::check(&site, self.opts.today));
        lap("check", &mut timings);
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
        diagnostic::sort(&mut diagnostics);
        let theme = match &self.theme {
            Some((_, t)) if !diagnostics.iter().any(Diagnostic::is_error) => t,
            _ => return Err(RebuildError::Content(diagnostics)),
        };
        site.retain_published(self.opts.drafts);
        let base = self.opts.base_url.clone().unwrap_or_else(|| site.cpts.data.site.url.value.clone());
        let urls = Urls::new(&base);
        lap("theme", &mut timings);
        let (images, image_diags) = render::images::process(&site, &self.images);
        if !image_diags.is_empty() {
            diagnostics.extend(image_diags);
            diagnostic::sort(&mut diagnostics);
            return Err(RebuildError::Content(diagnostics));
        }
        lap("images", &mut timings);
        let sink = output::Collect::default();
        let out = match render::render_with(&site, theme, &urls, self.opts.today, &images, Some(&self.keys), &sink) {
            Ok(o) => o,
            Err(render::RenderError::Content(d)) => {
                diagnostics.extend(d);
                diagnostic::sort(&mut diagnostics);
                return Err(RebuildError::Content(diagnostics));
            }
            Err(render::RenderError::Output(never)) => match never {},
        };
        let outputs = sink.into_files();

        lap("render", &mut timings);
        // The new output: what was rendered, plus the pages the memo had fresh.
        let mut present: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        present.extend(out.page_keys.iter().map(|(p, _, _)| p.as_str()));
        let mut next: OutputMap = (*self.outputs).clone();
        let removed: Vec<String> = next.keys().filter(|k| !present.contains(k.as_str())).cloned().collect();
        for r in &removed {
            next.remove(r);
        }
        let mut written = Vec::new();
        for o in &outputs {
            if next.get(&o.path).is_none_or(|old| **old != o.bytes) {
                written.push(o.path.clone());
                next.insert(o.path.clone(), Arc::new(o.bytes.clone()));
            }
        }
        lap("diff", &mut timings);
        let out_dir = &self.opts.output;
        if !self.written_once || !out_dir.join(output::MARKER).is_file() {
            let all: Vec<OutputFile> =
                next.iter().map(|(path, bytes)| OutputFile { path: path.clone(), bytes: bytes.to_vec() }).collect();
            output::write(&all, out_dir)?;
            self.written_once = true;
        } else {
            let files: Vec<(&str, &[u8])> = written.iter().map(|p| (p.as_str(), next[p].as_slice())).collect();
            disk::apply(out_dir, &files, &removed)?;
        }
        lap("write", &mut timings);
        let rendered: Vec<String> =
            out.page_keys.iter().filter(|(_, _, rendered)| *rendered).map(|(p, _, _)| p.clone()).collect();
        self.keys.record(&out.page_keys);
        self.outputs = Arc::new(next);
        self.prefix = urls.link(&Route::Home).trim_end_matches('/').to_string();
        Ok(Rebuild {
            changed,
            rendered,
            pages: out.page_keys.len(),
            written,
            removed,
            warnings: diagnostics,
            duration: start.elapsed(),
            timings,
        })
    }
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
