//! `maillage serve` on a region: the whole region built once ([`super::build_region`]), its
//! output folder served on 127.0.0.1 with live reload, and each save rebuilding what it touches:
//!
//! - a file of a CPTS's folder: that CPTS's incremental [`Session`] (the one `maillage serve`
//!   keeps for a site; made at the CPTS's first save), then the portal's parts that depend on
//!   that CPTS ([`Portal::update`]: its départements' directory and commune pages, its page, the
//!   pages across the region);
//! - a shared member (`commun/membres/`): the CPTS that list it, and the portal as above;
//! - a shared template or theme (`commun/`): every CPTS, and the portal;
//! - region.yaml: the CPTS whose shared members changed and the whole portal, or, when the list
//!   of CPTS or their addresses changed, the whole region.
//!
//! A save with an error keeps the last good pages served, and shows the errors over the page.
//!
//! The files a save changed are served from memory as soon as they are rendered
//! ([`RegionSession::unwritten`]): the browsers reload first, and the output folder is brought up
//! to date after ([`RegionSession::write_output`]), as a site's server does.

use super::portal::{CptsSummary, Portal};
use super::{Built, RegionReport, build_region_kept, cpts_options, from_region_root, in_region, portal_base_url};
use crate::build::{BuildError, BuildOptions};
use crate::diagnostic::{self, Diagnostic};
use crate::model::region::{REGION_FILE, Region, RegionCpts, SHARED_DIR, SHARED_MEMBERS_DIR};
use crate::routes::Urls;
use crate::serve::http::{self, Live, LiveEvent};
use crate::serve::session::Bytes;
use crate::serve::{Changes, RebuildError, ServeError, Session};
use axum::Router;
use axum::body::Body;
use axum::http::{Response, StatusCode, Uri, header};
use notify::RecursiveMode;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

/// What `maillage serve` on a region needs.
#[derive(Debug, Clone)]
pub struct RegionServeOptions {
    /// The region's build.
    pub region: BuildOptions,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port (0: any free one).
    pub port: u16,
}

/// What the server reports, for the command line to print.
#[derive(Debug)]
pub enum RegionEvent<'a> {
    /// The whole region was built (at the start, or after region.yaml changed its CPTS).
    Built(&'a RegionReport),
    /// A save was followed: what it rebuilt.
    Updated(&'a RegionUpdate),
    /// The content has errors: the previous output stays served.
    Failed(&'a [Diagnostic]),
    /// Writing the output failed.
    WriteFailed(String),
    /// Listening, at this address.
    Listening(SocketAddr),
}

/// What one save rebuilt.
#[derive(Debug, Default)]
pub struct RegionUpdate {
    /// The CPTS rebuilt (folders).
    pub cpts: Vec<String>,
    /// Files new or changed, in the output folder (a CPTS's under its folder).
    pub written: Vec<String>,
    /// Files removed.
    pub removed: Vec<String>,
    /// Pages rendered again by the CPTS's sessions.
    pub rendered: usize,
    /// Pages of the portal rendered again (paths in the output), changed or not.
    pub portal_rendered: Vec<String>,
    /// Whether files changed that are not listed (a whole CPTS or the whole region built
    /// again): every page is to be reloaded.
    pub whole: bool,
    /// Time from the saves' arrival to the new files ready to serve (before they are written,
    /// when the save was followed in memory).
    pub duration: Duration,
}

/// What a batch of saved paths asks for.
#[derive(Debug, Default)]
struct Wanted {
    /// region.yaml changed.
    region: bool,
    /// Shared templates or themes changed: every CPTS.
    shared_theme: bool,
    /// The portal's own theme (the region root's `templates/`, `themes/`) changed.
    portal_theme: bool,
    /// Shared members changed (their names).
    shared_members: BTreeSet<String>,
    /// Paths changed in each CPTS's folder.
    cpts: BTreeMap<String, Vec<PathBuf>>,
}

/// Sorts saved paths by what they concern.
fn classify(root: &Path, region: &Region, paths: &[PathBuf], wanted: &mut Wanted) {
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else { continue };
        let rel = diagnostic::display_path(rel);
        let first = rel.split('/').next().unwrap_or("");
        if rel == REGION_FILE {
            wanted.region = true;
        } else if let Some(name) = rel.strip_prefix(&format!("{SHARED_MEMBERS_DIR}/")) {
            wanted.shared_members.insert(name.trim_end_matches(".yaml").to_string());
        } else if rel == SHARED_MEMBERS_DIR {
            wanted.region = true;
        } else if first == SHARED_DIR {
            wanted.shared_theme = true;
        } else if first == "templates" || first == "themes" {
            wanted.portal_theme = true;
        } else if region.file.entry(first).is_some() {
            wanted.cpts.entry(first.to_string()).or_default().push(path.clone());
        }
    }
}

/// The region kept between saves, as `maillage serve` follows it: its last good build, one
/// incremental [`Session`] per CPTS saved so far (made at its first save: a region's sessions
/// are not all held in memory), every CPTS's summary and the [`Portal`].
pub struct RegionSession {
    opts: BuildOptions,
    region: Region,
    /// Each CPTS's summary, in the order of region.yaml.
    summaries: Vec<CptsSummary>,
    portal: Portal,
    /// The portal's output folder, its manifest kept between saves.
    portal_out: crate::output::Updater,
    sessions: HashMap<String, Session>,
    /// The errors of each CPTS (by folder; `""`: region.yaml) that has some now.
    errors: BTreeMap<String, Vec<Diagnostic>>,
    /// Files of the output changed in memory and not yet written (`None`: removed), by path in
    /// the output folder; a CPTS's files under its folder.
    unwritten: BTreeMap<String, Option<Bytes>>,
    /// The CPTS whose session was made before its first save ([`Self::warm`]) and has not
    /// followed one yet: it may have read a save the portal has not seen.
    warmed: BTreeSet<String>,
}

/// A CPTS's session being made in the background, before its first save ([`RegionSession::warm`]).
pub struct Warming {
    dossier: String,
    handle: std::thread::JoinHandle<Option<Session>>,
}

impl Warming {
    /// The CPTS (its folder) whose session is being made.
    pub fn dossier(&self) -> &str {
        &self.dossier
    }
}

impl RegionSession {
    /// Builds the whole region ([`super::build_region`]), keeping what following its saves needs.
    pub fn start(opts: &BuildOptions) -> Result<(RegionSession, RegionReport), BuildError> {
        let Built { report, region, summaries, portal } = build_region_kept(opts)?;
        let session = RegionSession {
            opts: opts.clone(),
            region,
            summaries,
            portal,
            portal_out: crate::output::Updater::open(&opts.output),
            sessions: HashMap::new(),
            errors: BTreeMap::new(),
            unwritten: BTreeMap::new(),
            warmed: BTreeSet::new(),
        };
        Ok((session, report))
    }

    /// Every content error of the region now (empty when the output is what a build gives),
    /// its files named from the region's root, sorted.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.errors.values().flatten().cloned().collect();
        diagnostic::sort(&mut all);
        all.dedup();
        all
    }

    /// CPTS that have an incremental session (saved at least once, or made ahead by
    /// [`Self::warm`]).
    pub fn sessions(&self) -> usize {
        self.sessions.len()
    }

    /// Starts making, in the background, the session of the CPTS most likely saved next: among
    /// those without one, the CPTS whose files changed last (by their dates, read now). A CPTS's
    /// first save otherwise reads and renders the whole CPTS before the page it changed is
    /// served. Only that one session is made ahead: a region's sessions are not all held in
    /// memory. [`Self::adopt`] takes it; until then, nothing else may write into that CPTS's
    /// folder ([`Self::concerns`]). `None` when every CPTS has its session.
    pub fn warm(&self) -> Option<Warming> {
        let (dossier, opts) = self
            .region
            .file
            .cpts
            .iter()
            .filter(|c| self.region.is_usable(c) && !self.sessions.contains_key(&c.dossier.value))
            .map(|c| (c.dossier.value.clone(), cpts_options(&self.region, &self.opts, c)))
            .max_by_key(|(_, o)| last_change(&o.root))?;
        let handle = std::thread::spawn(move || {
            let mut session = Session::new(opts);
            // What it renders is what the region's build wrote: the write finds nothing to change
            // but a save made since, and takes the folder over.
            session.rebuild(&Changes::All).ok()?;
            Some(session)
        });
        Some(Warming { dossier, handle })
    }

    /// Takes the session [`Self::warm`] made, waiting for it: the CPTS's next save renders only
    /// what it changes. Whether it was taken (a CPTS with errors gets its session at its first
    /// save, as without [`Self::warm`]).
    pub fn adopt(&mut self, warming: Warming) -> bool {
        let Ok(Some(session)) = warming.handle.join() else { return false };
        let dossier = warming.dossier;
        if self.sessions.contains_key(&dossier) || self.region.file.entry(&dossier).is_none() {
            return false;
        }
        self.sessions.insert(dossier.clone(), session);
        self.warmed.insert(dossier);
        true
    }

    /// Whether following `paths` may read or write CPTS `dossier`: a file of its folder, a
    /// shared member it lists, a shared template, region.yaml.
    pub fn concerns(&self, paths: &[PathBuf], dossier: &str) -> bool {
        let Ok(root) = std::path::absolute(&self.opts.root) else { return true };
        let mut wanted = Wanted::default();
        classify(&root, &self.region, paths, &mut wanted);
        let lists = |name: &String| {
            self.region.file.entry(dossier).is_some_and(|c| c.membres_communs.iter().any(|m| &m.value == name))
        };
        wanted.region
            || wanted.shared_theme
            || wanted.cpts.contains_key(dossier)
            || wanted.shared_members.iter().any(lists)
    }

    /// Follows a batch of saved paths (absolute, or relative to the current folder): rebuilds
    /// what they touch and updates the output folder. The CPTS that have errors keep their last
    /// good pages ([`Self::errors`] lists them). A new list of CPTS (or new addresses) in
    /// region.yaml builds the whole region again.
    pub fn follow(&mut self, paths: &[PathBuf]) -> Result<RegionUpdate, BuildError> {
        let update = self.follow_in_memory(paths)?;
        self.write_output()?;
        Ok(update)
    }

    /// [`Self::follow`] without writing what changed: the files wait in [`Self::unwritten`]
    /// until [`Self::write_output`] (the server answers from there meanwhile). A whole CPTS or
    /// the whole region built again is written at once.
    pub fn follow_in_memory(&mut self, paths: &[PathBuf]) -> Result<RegionUpdate, BuildError> {
        let start = Instant::now();
        let mut update = RegionUpdate::default();
        if let Err(Whole) = self.follow_into(paths, &mut update)? {
            match RegionSession::start(&self.opts) {
                Ok((fresh, _)) => *self = fresh,
                Err(BuildError::Content(d)) => {
                    self.errors.insert(String::new(), d);
                    return Ok(update);
                }
                Err(e) => return Err(e),
            }
            update.whole = true;
        }
        update.duration = start.elapsed();
        Ok(update)
    }

    /// The files changed in memory and not yet in the output folder, by path in it (`None`:
    /// removed).
    pub fn unwritten(&self) -> &BTreeMap<String, Option<Bytes>> {
        &self.unwritten
    }

    /// Brings the output folder up to date with what the saves followed in memory changed: each
    /// CPTS's session writes its files, then the portal's are written. What could not be written
    /// stays in [`Self::unwritten`], and is tried again at the next call.
    pub fn write_output(&mut self) -> Result<(), BuildError> {
        if self.unwritten.is_empty() {
            return Ok(());
        }
        let mut failed = None;
        for (dossier, session) in &mut self.sessions {
            match session.write_output() {
                Ok(()) => {
                    let prefix = format!("{dossier}/");
                    self.unwritten.retain(|path, _| !path.starts_with(&prefix));
                }
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        let sites: BTreeSet<&str> = self.region.file.cpts.iter().map(|c| c.dossier.value.as_str()).collect();
        let is_portal = |path: &str| !path.split_once('/').is_some_and(|(first, _)| sites.contains(first));
        let (mut files, mut removed) = (Vec::new(), Vec::new());
        for (path, bytes) in self.unwritten.iter().filter(|(path, _)| is_portal(path)) {
            match bytes {
                Some(b) => files.push((path.as_str(), b.as_slice())),
                None => removed.push(path.clone()),
            }
        }
        if !files.is_empty() || !removed.is_empty() {
            match self.portal_out.update(&files, &removed) {
                Ok(_) => self.unwritten.retain(|path, _| !is_portal(path)),
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        match failed {
            Some(e) => Err(BuildError::Write(e)),
            None => Ok(()),
        }
    }

    /// Rebuilds CPTS `dossier` after `changes` with its session (made, and built whole, at its
    /// first save), and its summary; records its errors. Whether its pages changed.
    fn rebuild_cpts(&mut self, dossier: &str, changes: Changes, update: &mut RegionUpdate) -> Result<bool, BuildError> {
        let Some(entry) = self.region.file.entry(dossier).cloned() else { return Ok(false) };
        let session = self
            .sessions
            .entry(dossier.to_string())
            .or_insert_with(|| Session::new(cpts_options(&self.region, &self.opts, &entry)));
        // Its first rebuild reads the whole CPTS.
        let changes = if session.known_pages() > 0 { changes } else { Changes::All };
        let warmed = self.warmed.remove(dossier);
        match session.rebuild_in_memory(&changes) {
            Ok(r) => {
                self.errors.remove(dossier);
                if r.changed.is_empty() {
                    if !warmed {
                        return Ok(false);
                    }
                    // Made ahead, the session may have read this save already, and written its
                    // pages then: the portal follows, and the browsers reload.
                    update.whole = true;
                }
                update.cpts.push(dossier.to_string());
                update.rendered += r.rendered.len();
                let outputs = session.outputs();
                for p in &r.written {
                    let path = format!("{dossier}/{p}");
                    self.unwritten.insert(path.clone(), outputs.get(p).cloned());
                    update.written.push(path);
                }
                for p in &r.removed {
                    let path = format!("{dossier}/{p}");
                    self.unwritten.insert(path.clone(), None);
                    update.removed.push(path);
                }
                let Some(site) = session.published() else { return Ok(false) };
                let urls = Urls::new(&session.options().base_url.clone().unwrap_or_default());
                let summary = CptsSummary::of(site, &urls, entry.url.is_some(), &entry, self.opts.today);
                if let Some(at) = self.summaries.iter().position(|s| s.dossier == dossier) {
                    self.summaries[at] = summary;
                }
                Ok(true)
            }
            Err(RebuildError::Content(d)) => {
                self.errors.insert(dossier.to_string(), d.into_iter().map(|d| from_region_root(d, dossier)).collect());
                Ok(false)
            }
            Err(RebuildError::Write(w)) => Err(BuildError::Write(w)),
        }
    }

    /// A CPTS without a session, after a change of the shared theme: its ordinary build (its
    /// summary does not depend on templates).
    fn build_cpts(&mut self, dossier: &str, update: &mut RegionUpdate) -> Result<(), BuildError> {
        let Some(entry) = self.region.file.entry(dossier) else { return Ok(()) };
        match crate::build::build(&cpts_options(&self.region, &self.opts, entry)) {
            Ok(r) => {
                self.errors.remove(dossier);
                if r.stats.written > 0 || r.stats.removed > 0 {
                    update.cpts.push(dossier.to_string());
                    update.whole = true;
                }
                Ok(())
            }
            Err(e) => match in_region(e, dossier) {
                BuildError::Content(d) => {
                    self.errors.insert(dossier.to_string(), d);
                    Ok(())
                }
                other => Err(other),
            },
        }
    }

    /// [`Self::follow`], but for a new list of CPTS, which it leaves to its caller.
    fn follow_into(&mut self, paths: &[PathBuf], update: &mut RegionUpdate) -> Result<Result<(), Whole>, BuildError> {
        let root = std::path::absolute(&self.opts.root).map_err(|e| {
            BuildError::Write(crate::output::WriteError::Io {
                action: "lecture de",
                path: self.opts.root.clone(),
                source: e,
            })
        })?;
        let mut wanted = Wanted::default();
        classify(&root, &self.region, paths, &mut wanted);
        let mut whole_portal = false;
        let mut all_changes: BTreeSet<String> = BTreeSet::new();
        if wanted.region {
            let region = match Region::load(&self.opts.root) {
                Ok(r) => r,
                Err(d) => {
                    self.errors.insert(String::new(), d);
                    return Ok(Ok(()));
                }
            };
            self.errors.remove("");
            let same_sites = region.file.cpts.len() == self.region.file.cpts.len()
                && region.file.cpts.iter().zip(&self.region.file.cpts).all(|(a, b)| {
                    a.dossier.value == b.dossier.value
                        && a.url.as_ref().map(|u| &u.value) == b.url.as_ref().map(|u| &u.value)
                })
                && region.file.url.value == self.region.file.url.value;
            if !same_sites {
                return Ok(Err(Whole));
            }
            for (new, old) in region.file.cpts.iter().zip(&self.region.file.cpts) {
                let names =
                    |c: &RegionCpts| -> Vec<String> { c.membres_communs.iter().map(|m| m.value.clone()).collect() };
                if names(new) != names(old) {
                    all_changes.insert(new.dossier.value.clone());
                }
            }
            self.region = region;
            whole_portal = true;
        }
        for name in &wanted.shared_members {
            for c in &self.region.file.cpts {
                if c.membres_communs.iter().any(|m| &m.value == name) {
                    all_changes.insert(c.dossier.value.clone());
                }
            }
        }
        let mut changed = BTreeSet::new();
        if wanted.shared_theme {
            let folders: Vec<String> = self.region.file.cpts.iter().map(|c| c.dossier.value.clone()).collect();
            for d in folders {
                if self.sessions.contains_key(&d) {
                    if self.rebuild_cpts(&d, Changes::All, update)? {
                        changed.insert(d);
                    }
                } else {
                    self.build_cpts(&d, update)?;
                }
            }
        } else {
            for d in &all_changes {
                if self.rebuild_cpts(d, Changes::All, update)? {
                    changed.insert(d.clone());
                }
            }
            for (d, paths) in wanted.cpts {
                if !all_changes.contains(&d) && self.rebuild_cpts(&d, Changes::Paths(paths), update)? {
                    changed.insert(d);
                }
            }
        }
        if wanted.portal_theme {
            self.portal.theme_changed();
            whole_portal = true;
        }
        if !whole_portal && changed.is_empty() {
            return Ok(Ok(()));
        }
        let urls = Urls::new(&portal_base_url(&self.region, &self.opts));
        let parts = (!whole_portal).then_some(&changed);
        let p = match self.portal.update(&self.region, &urls, &self.summaries, self.opts.today, parts) {
            Ok(p) => p,
            Err(d) => {
                self.errors.insert(String::new(), vec![d]);
                return Ok(Ok(()));
            }
        };
        update.portal_rendered = p.rendered;
        for f in p.written {
            self.unwritten.insert(f.path.clone(), Some(Arc::new(f.bytes)));
            update.written.push(f.path);
        }
        for path in p.removed {
            self.unwritten.insert(path.clone(), None);
            update.removed.push(path);
        }
        Ok(Ok(()))
    }
}

/// The whole region is to be built again.
struct Whole;

/// When a file of the site at `root` last changed: the latest date of its files and folders,
/// Maillage's own (hidden, `public`) left out.
fn last_change(root: &Path) -> Option<std::time::SystemTime> {
    let mut latest = None;
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if crate::source::is_ignored(&name) || name == "public" {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            latest = latest.max(meta.modified().ok());
            if meta.is_dir() {
                folders.push(entry.path());
            }
        }
    }
    latest
}

/// Whether a changed path is one the region is made of: not the output, not Maillage's own
/// working files, not an editor's temporary file.
fn matters(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    !rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        crate::source::is_ignored(&name) || name == "public"
    })
}

/// The event that tells browsers what changed.
fn live_event(update: &RegionUpdate, was_failing: bool, version: u64) -> Option<LiveEvent> {
    if was_failing || update.whole {
        return Some(LiveEvent::Reload { version, pages: None });
    }
    if update.written.is_empty() && update.removed.is_empty() {
        return None;
    }
    const MAX_LISTED: usize = 500;
    let all = || update.written.iter().chain(&update.removed);
    let only_pages = all().all(|p| p.ends_with(".html") || p.ends_with(".css"));
    let pages: Vec<String> = all().filter(|p| p.ends_with(".html")).cloned().collect();
    let pages = (only_pages && pages.len() <= MAX_LISTED).then_some(pages);
    Some(LiveEvent::Reload { version, pages })
}

/// The response for a request: the output file it names (an HTML page with the live-reload
/// script), a redirection to the folder's address, or the CPTS's 404 page; a file a save changed
/// is taken from `served` until it is written.
fn respond(live: &Live, served: &Served, output: &Path, uri: &Uri) -> Response<Body> {
    let send = |status: StatusCode, rel: &str, bytes: Vec<u8>| {
        let ctype = http::content_type(rel);
        let bytes = if ctype.starts_with("text/html") {
            http::live_page(live, &bytes, rel, status == StatusCode::NOT_FOUND)
        } else {
            bytes
        };
        let mut r = Response::new(Body::from(bytes));
        *r.status_mut() = status;
        if let Ok(v) = header::HeaderValue::from_str(ctype) {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
        r.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
        r
    };
    let unwritten = served.get();
    let read = |rel: &str| match unwritten.get(rel) {
        Some(bytes) => bytes.as_ref().map(|b| b.to_vec()),
        None => crate::limits::read_file(&output.join(rel), crate::limits::MAX_ASSET_BYTES).ok(),
    };
    let is_file = |rel: &str| match unwritten.get(rel) {
        Some(bytes) => bytes.is_some(),
        None => output.join(rel).is_file(),
    };
    if uri.path().starts_with(EDITOR.trim_end_matches('/')) {
        let mut r = Response::new(Body::from(EDITOR_PAGE));
        *r.status_mut() = StatusCode::NOT_FOUND;
        r.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/html; charset=utf-8"));
        return r;
    }
    let Ok(rel) = http::output_path(uri.path(), "") else {
        let mut r = Response::new(Body::from("Chemin refusé.\n"));
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return r;
    };
    if let Some(bytes) = read(&rel) {
        return send(StatusCode::OK, &rel, bytes);
    }
    let folder_page = if rel.is_empty() { "index.html".to_string() } else { format!("{rel}/index.html") };
    if !rel.ends_with("index.html") && is_file(&folder_page) {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::PERMANENT_REDIRECT;
        if let Ok(v) = header::HeaderValue::from_str(&format!("{}/", uri.path())) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    // Inside a CPTS's site, its own 404 page.
    let folder = rel.split('/').next().unwrap_or("");
    let not_found = format!("{folder}/404.html");
    match read(&not_found).filter(|_| rel.contains('/')) {
        Some(bytes) => send(StatusCode::NOT_FOUND, &not_found, bytes),
        None => {
            let mut r = Response::new(Body::from("Page introuvable.\n"));
            *r.status_mut() = StatusCode::NOT_FOUND;
            r.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/plain; charset=utf-8"));
            r
        }
    }
}

/// Address of a site's editor, which a region's server does not have.
const EDITOR: &str = "/_edition/";

/// What a region's server answers at the editor's address.
const EDITOR_PAGE: &str = "<!doctype html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>L’éditeur travaille sur une CPTS à la fois</title></head>\n<body><main><h1>L’éditeur travaille sur une CPTS à la fois</h1><p>Ce serveur montre toute la région. Pour modifier les fiches d’une CPTS, lancez «\u{a0}maillage serve --root DOSSIER\u{a0}» sur le dossier de cette CPTS et ouvrez son éditeur. Une fiche commune se modifie dans commun/membres/, avec un éditeur de texte.</p><p><a href=\"/\">Retour au portail</a></p></main></body>\n</html>\n";

/// Shows the errors over the pages, or takes them away.
fn show_errors(live: &Live, errors: &[Diagnostic]) {
    if errors.is_empty() {
        live.update(|s| s.overlay = None, |_| None);
    } else {
        let html = http::overlay(errors);
        let shown = html.clone();
        live.update(|s| s.overlay = Some(shown), |version| Some(LiveEvent::Errors { version, html }));
    }
}

/// The watch-and-rebuild loop: follows each batch of saves, or builds the whole region when it
/// could not be built yet.
fn run(
    opts: BuildOptions,
    mut session: Option<RegionSession>,
    mut warming: Option<Warming>,
    rx: mpsc::Receiver<Vec<PathBuf>>,
    live: Arc<Live>,
    served: Arc<Served>,
    report: &mut impl FnMut(RegionEvent),
) {
    let mut failing = session.is_none();
    while let Ok(mut paths) = rx.recv() {
        // Saves that came meanwhile are followed together.
        while let Ok(more) = rx.try_recv() {
            paths.extend(more);
        }
        // The session made ahead is taken once ready, or when these saves need it.
        if let Some(s) = &mut session
            && let Some(w) = warming.take_if(|w| w.handle.is_finished() || s.concerns(&paths, w.dossier()))
        {
            s.adopt(w);
        }
        let outcome = match &mut session {
            Some(s) => s.follow_in_memory(&paths),
            None => match RegionSession::start(&opts) {
                Ok((s, r)) => {
                    report(RegionEvent::Built(&r));
                    session = Some(s);
                    Ok(RegionUpdate { whole: true, ..RegionUpdate::default() })
                }
                Err(e) => Err(e),
            },
        };
        match outcome {
            Ok(update) => {
                // The new files are served from memory before the browsers are told.
                if let Some(s) = &session {
                    served.set(s.unwritten());
                }
                let errors = session.as_ref().map(RegionSession::errors).unwrap_or_default();
                // What was rebuilt is shown, errors elsewhere or not; the overlay goes with the
                // last error.
                let was = failing && errors.is_empty();
                let overlay = (!errors.is_empty()).then(|| http::overlay(&errors));
                if was || update.whole || !update.written.is_empty() || !update.removed.is_empty() {
                    let shown = overlay.clone();
                    live.update(|s| s.overlay = shown, |v| live_event(&update, was, v));
                    report(RegionEvent::Updated(&update));
                }
                if let Some(html) = overlay {
                    let shown = html.clone();
                    live.update(|s| s.overlay = Some(shown), |version| Some(LiveEvent::Errors { version, html }));
                }
                failing = !errors.is_empty();
                if failing {
                    report(RegionEvent::Failed(&errors));
                }
            }
            Err(BuildError::Content(d)) => {
                show_errors(&live, &d);
                failing = true;
                report(RegionEvent::Failed(&d));
            }
            Err(BuildError::Write(e)) => {
                failing = true;
                report(RegionEvent::WriteFailed(e.to_string()));
            }
        }
        // Then written; what could not be stays served from memory, and is tried again.
        if let Some(s) = &mut session {
            let written = s.write_output();
            served.set(s.unwritten());
            if let Err(e) = written {
                failing = true;
                report(RegionEvent::WriteFailed(e.to_string()));
            }
        }
    }
}

/// The files saves changed that are not in the output folder yet ([`RegionSession::unwritten`]):
/// the server answers from them first (`None`: removed).
#[derive(Debug, Default)]
struct Served(RwLock<Arc<BTreeMap<String, Option<Bytes>>>>);

impl Served {
    fn set(&self, unwritten: &BTreeMap<String, Option<Bytes>>) {
        let now = Arc::new(unwritten.clone());
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = now;
    }

    fn get(&self) -> Arc<BTreeMap<String, Option<Bytes>>> {
        Arc::clone(&self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

/// Builds the region, serves its output with live reload and follows every save, until Ctrl-C.
pub fn serve_region(
    opts: RegionServeOptions,
    mut report: impl FnMut(RegionEvent) + Send + 'static,
) -> Result<(), ServeError> {
    crate::output::check_layout(&opts.region.root, &opts.region.output)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener =
        runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|source| ServeError::Bind { addr, source })?;
    let addr = listener.local_addr()?;
    let live = Live::new();
    let session = match RegionSession::start(&opts.region) {
        Ok((s, r)) => {
            report(RegionEvent::Built(&r));
            Some(s)
        }
        Err(BuildError::Content(d)) => {
            show_errors(&live, &d);
            report(RegionEvent::Failed(&d));
            None
        }
        Err(BuildError::Write(e)) => {
            report(RegionEvent::WriteFailed(e.to_string()));
            None
        }
    };

    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let root = std::path::absolute(&opts.region.root)?;
    let output = std::path::absolute(&opts.region.output)?;
    let (watch_root, watch_output) = (root.clone(), output.clone());
    let rescan_file = root.join(REGION_FILE);
    let mut watcher = crate::serve::watch::SystemWatcher::start(
        false,
        move |path| matters(&watch_root, &watch_output, path),
        move |batch| {
            // Lost track: region.yaml stands for "look at everything again".
            let paths = if batch.rescan { vec![rescan_file.clone()] } else { batch.paths };
            let _ = tx.send(paths);
        },
    )?;
    watcher.watch(&root, RecursiveMode::Recursive).map_err(ServeError::Watch)?;
    // Ready before the server says it listens (its files' dates read), made meanwhile.
    let warming = session.as_ref().and_then(RegionSession::warm);
    report(RegionEvent::Listening(addr));
    let region = opts.region.clone();
    let looper_live = Arc::clone(&live);
    let served = Arc::new(Served::default());
    let looper_served = Arc::clone(&served);
    std::thread::spawn(move || {
        let _keep = watcher;
        run(region, session, warming, rx, looper_live, looper_served, &mut report);
    });
    let served_dir: PathBuf = output;
    let site_live = Arc::clone(&live);
    // The server's event stream and guide, the region's output for everything else.
    let app: Router = http::router(Arc::clone(&live)).fallback(move |uri: Uri| {
        let (dir, live, served) = (served_dir.clone(), Arc::clone(&site_live), Arc::clone(&served));
        async move { respond(&live, &served, &dir, &uri) }
    });
    let result = runtime.block_on(async {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                live.bye();
            })
            .await
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    result.map_err(ServeError::Io)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The status, `Location` and body of the answer to `path`.
    fn get(served: &Served, output: &Path, path: &str) -> (StatusCode, Option<String>, String) {
        let live = Live::new();
        let uri: Uri = path.parse().unwrap();
        let r = respond(&live, served, output, &uri);
        let status = r.status();
        let location = r.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let body = runtime.block_on(axum::body::to_bytes(r.into_body(), usize::MAX)).unwrap();
        (status, location, String::from_utf8_lossy(&body).into_owned())
    }

    #[test]
    fn files_not_written_yet_are_served_from_memory_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        for (rel, text) in [("a/index.html", "ancienne"), ("b/index.html", "supprimée"), ("style.css", "p{}")] {
            std::fs::create_dir_all(out.join(rel).parent().unwrap()).unwrap();
            std::fs::write(out.join(rel), text).unwrap();
        }
        let served = Served::default();
        let mut unwritten = BTreeMap::new();
        unwritten.insert("a/index.html".to_string(), Some(Arc::new(b"<p>nouvelle</p>".to_vec())));
        unwritten.insert("b/index.html".to_string(), None);
        unwritten.insert("c/index.html".to_string(), Some(Arc::new("<p>ajoutée</p>".as_bytes().to_vec())));
        served.set(&unwritten);
        let (status, _, body) = get(&served, out, "/a/");
        assert_eq!(status, StatusCode::OK);
        assert!(body.starts_with("<p>nouvelle</p>") && body.contains("/__maillage/events"), "{body}");
        assert_eq!(get(&served, out, "/b/").0, StatusCode::NOT_FOUND);
        assert_eq!(get(&served, out, "/c/").2.split('<').nth(1), Some("p>ajoutée"));
        assert_eq!(get(&served, out, "/c").1.as_deref(), Some("/c/"));
        assert_eq!(get(&served, out, "/b").0, StatusCode::NOT_FOUND);
        // The rest from the folder; once written, everything from there again.
        assert_eq!(get(&served, out, "/style.css").2, "p{}");
        served.set(&BTreeMap::new());
        assert!(get(&served, out, "/a/").2.starts_with("ancienne"));
        assert!(get(&served, out, "/b/").2.starts_with("supprimée"));
    }
}
