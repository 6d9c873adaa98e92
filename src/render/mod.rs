//! Render stage: pages from templates (in parallel), plus the sitemap, robots.txt, the theme's
//! static files and the site's own files — each handed to an [`OutputSink`] as soon as it is ready.

pub mod abbr;
pub mod charts;
pub mod depends;
pub mod escape;
pub mod feeds;
pub mod ics;
pub mod images;
pub mod jsonld;
mod links;
pub mod map;
pub mod markdown;
pub mod opendata;
pub mod pages;
pub mod rows;
pub mod search;
pub mod text;
pub mod theme;
pub mod views;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::{OutputFile, OutputSink};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use minijinja::{Value, context};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use theme::Theme;

// Hash maps keyed by output paths use our fast hasher rather than SipHash.
use crate::fingerprint::Fast;

/// Renders the whole site into `sink`; returns the number of HTML pages. Fails with diagnostics
/// when a template fails or two files would be written at the same path.
pub fn render<S: OutputSink>(
    site: &Site,
    theme: &Theme,
    urls: &Urls,
    today: Date,
    images: &images::Images,
    sink: &S,
) -> Result<usize, RenderError<S::Error>> {
    render_with(site, theme, urls, today, images, None, sink).map(|r| r.pages)
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError<E> {
    /// A template failed, or two files would have the same path.
    Content(Vec<Diagnostic>),
    /// The sink refused a file.
    Output(E),
}

/// Pages rendered by an earlier build, known by the hash of their inputs (template, page context,
/// site context, [`PageMemo::seed`]). The dev server's dependency tracking goes through this.
pub trait PageMemo: Sync {
    /// Mixed into every page key: changes whenever the templates change.
    fn seed(&self) -> u64;
    /// Whether the page at `path` was already rendered from inputs hashing to `key`; it is then
    /// skipped and not given to the sink.
    fn is_fresh(&self, path: &str, key: u64) -> bool;
    /// What the previous render kept for this one ([`RenderOutput::carried`]), if anything:
    /// the parts whose inputs did not change are used again.
    fn take_carried(&self) -> Carried {
        Carried::default()
    }
    /// The records changed since the last render this memo recorded: with its
    /// [`Carried::graph`], the member pages to plan again ([`depends::Graph::update`]).
    fn changed(&self) -> depends::Changed {
        depends::Changed::Unknown
    }
    /// Whether the last render recorded had a member page at `path`: those a render does not
    /// plan again are still there.
    fn is_member_page(&self, path: &str) -> bool;
    /// Whether the last render recorded had a page at `path`: when a render plans only some
    /// sections ([`depends::Sections::Lists`]), the pages it does not plan again are still there.
    fn knows(&self, path: &str) -> bool;
    /// Memory of earlier versions of the directory's site-wide files the server no longer
    /// holds, to write their next versions into: tens of megabytes at 100 000 members, whose
    /// pages the system would otherwise fault in again on every save.
    fn take_buffers(&self) -> Vec<Vec<u8>> {
        Vec::new()
    }
}

/// What a render of the dev server keeps for the next one, each part known by the fingerprints
/// of what it is made from.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    /// The member cards, and the order of the members by name.
    pub cards: Option<pages::Cards>,
    /// Each member's part of the site-wide files.
    pub rows: Option<rows::SiteRows>,
    /// The maps drawn.
    pub maps: map::Drawn,
    /// `sitemap.xml`, with the fingerprints of the addresses it lists.
    pub sitemap: Option<Sitemap>,
    /// The references between records member pages follow.
    pub graph: Option<depends::Graph>,
    /// The paths of the site-wide files that read no member.
    pub site_files: Option<Vec<String>>,
    /// What the directory's lists hold and share, for a render that plans only some of them.
    pub lists: Option<pages::Lists>,
}

/// `sitemap.xml` as a render made it, known by the fingerprints of the addresses it lists:
/// those of the sections, and those of the member pages.
#[derive(Debug, Clone)]
pub struct Sitemap {
    sections: u64,
    members: u64,
    text: String,
}

/// One page of a render with a memo.
#[derive(Debug, Clone)]
pub struct PageKey {
    /// Output path.
    pub path: String,
    /// Fingerprint of its inputs.
    pub key: u64,
    /// Rendered this time (else the memo had it).
    pub rendered: bool,
    /// A member's page (the dev server plans again only those a save touched).
    pub member: bool,
}

/// What [`render_with`] did, besides giving the files to the sink.
#[derive(Debug, Clone, Default)]
pub struct RenderOutput {
    /// HTML files given to the sink.
    pub pages: usize,
    /// With a memo: each page planned, with the hash of its inputs and whether it was rendered.
    /// Every page of the site, unless `retired` says otherwise.
    pub page_keys: Vec<PageKey>,
    /// `None` when every page was planned; else the member pages of the last render that are
    /// gone (the other member pages not in `page_keys` are still those of the last render).
    pub retired: Option<Vec<String>>,
    /// Only the directory's lists holding the changed cards were planned besides member pages
    /// ([`depends::Sections::Lists`]): the other pages not in `page_keys` are still those of the
    /// last render.
    pub partial: bool,
    /// Files of the last render not made again, because nothing they read changed: they are
    /// still part of the output.
    pub kept: Vec<String>,
    /// Time of each step, in order: planning the pages (with the site-wide files meanwhile),
    /// checking their addresses and links, rendering them, the other files.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// With a memo: what this render keeps for the next one, to give back through
    /// [`PageMemo::take_carried`].
    pub carried: Carried,
}

/// [`render`], skipping the pages `memo` already has with the same inputs. Each file goes to
/// `sink` as soon as it is rendered. Two files at the same path are found before any page is
/// rendered (the site-wide files, made while the pages are planned, may already be in the sink:
/// an error discards the whole output); after a template error, rendering goes on to report every
/// error but nothing more goes to the sink.
pub fn render_with<S: OutputSink>(
    site: &Site,
    theme: &Theme,
    urls: &Urls,
    today: Date,
    images: &images::Images,
    memo: Option<&dyn PageMemo>,
    sink: &S,
) -> Result<RenderOutput, RenderError<S::Error>> {
    let mut clock = std::time::Instant::now();
    let mut timings = Vec::new();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    let pages = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let put = |file: OutputFile| {
        if failed.load(Ordering::Relaxed) {
            return Ok(());
        }
        if file.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        sink.put(file).map_err(RenderError::Output)
    };

    let Carried { cards, rows, maps, sitemap, graph, site_files: kept_files, lists } =
        memo.map(PageMemo::take_carried).unwrap_or_default();
    // Without a memo, nothing is kept for a next render: maps are drawn when their page renders.
    let maps = if memo.is_some() { maps } else { map::Drawn::once() };
    let mut diagnostics = Vec::new();

    // Files copied as they are: the theme's, then the site's, which replace the theme's
    // (a site may ship its own style.css). Documents live under /documents/.
    let mut files: BTreeMap<String, (Cow<[u8]>, String)> = BTreeMap::new();
    for (path, bytes) in &theme.statics {
        files.insert(Route::Static(path.clone()).output_path(), (Cow::Borrowed(bytes.as_slice()), String::new()));
    }
    let described: std::collections::HashSet<&str> =
        site.documents.iter().map(|d| d.data.fichier.value.as_str()).collect();
    // A document without its description is not published (warning M049): it may not be meant to be.
    // A processed image is published as its variants only: the original may be heavy and carry
    // metadata (the GPS position of the shot).
    // The photo of a testimony without consent is not published at all.
    let withheld = site.cpts.data.installation.as_ref().map(|i| i.withheld_photos()).unwrap_or_default();
    let published = |a: &&crate::model::Asset| {
        if a.is_document {
            described.contains(a.within.as_str())
        } else {
            images.get(&a.within).is_none() && !withheld.contains(&a.within.as_str())
        }
    };
    for asset in site.assets.iter().filter(published) {
        let route =
            if asset.is_document { Route::Document(asset.within.clone()) } else { Route::Static(asset.within.clone()) };
        // An SVG of static/ is published sanitised, like the SVG images pages show (what is
        // removed, `check` reports; one it cannot read is not published).
        let bytes = if !asset.is_document && asset.within.to_ascii_lowercase().ends_with(".svg") {
            let text = asset.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&asset.bytes);
            match std::str::from_utf8(text).ok().and_then(|t| crate::domain::svg::sanitize(t).ok()) {
                Some(clean) => Cow::Owned(clean.svg.into_bytes()),
                None => continue,
            }
        } else {
            Cow::Borrowed(asset.bytes.as_slice())
        };
        if let Some((_, first)) = files.insert(route.output_path(), (bytes, asset.file.clone()))
            && !first.is_empty()
        {
            diagnostics.push(
                Diagnostic::error(
                    "M073",
                    &asset.file,
                    0,
                    0,
                    format!("ce fichier remplacerait {first} à l’adresse {}", urls.link(&route)),
                )
                .with_hint("renommez l’un des deux fichiers"),
            );
        }
    }
    let css_hash = files.get("style.css").map_or(0, |(b, _)| crate::fingerprint::of_bytes(b));
    let site_ctx = match with_footer(theme, site_context(site, urls, css_hash, images)) {
        Ok(ctx) => ctx,
        Err(d) => return Err(RenderError::Content(vec![d])),
    };
    let site_key = memo.map(|m| crate::fingerprint::of(&(m.seed(), &site_ctx)));
    // Which member pages to plan: with a memo, those that read the records the changes touched,
    // unless what every page reads changed too.
    let changed = memo.map_or(depends::Changed::Unknown, PageMemo::changed);
    let (mut graph, scope, sections) = match site_key {
        Some(key) => {
            let shared = crate::fingerprint::of(&(key, site.cpts.hash, today, urls.base()));
            let (graph, scope, sections) = depends::Graph::update(graph, site, shared, &changed);
            (Some(graph), scope, sections)
        }
        None => (None, depends::Scope::Whole, depends::Sections::All),
    };
    // Only some lists when the last render left what they hold and the sitemap, which lists
    // the same pages.
    let sections = match (&lists, &sitemap) {
        (Some(_), Some(_)) => sections,
        _ => depends::Sections::All,
    };
    // A member's card reads its record, cpts.yaml and the address: with the pages' scope, only
    // those of the members changed are made again.
    let cards = match (&scope, &changed) {
        (depends::Scope::Members(_), depends::Changed::Records { members, .. }) => {
            pages::Cards::patching(site, urls, cards, members)
        }
        _ => pages::Cards::reusing(site, urls, cards),
    };
    // Planning is serial; the files made from the whole site (calendars, open data, search
    // indexes, feeds) need no page, so they are made and handed over meanwhile.
    let site_paths = std::sync::Mutex::new(Vec::new());
    let put_site_file = |file: OutputFile| {
        site_paths.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(file.path.clone());
        put(file)
    };
    let put_site_parts = |path: String, parts: Parts<'_>| {
        if failed.load(Ordering::Relaxed) {
            return Ok(());
        }
        site_paths.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(path.clone());
        sink.put_parts(path, parts).map_err(RenderError::Output)
    };
    let out = SiteFilesOut { put: &put_site_file, put_parts: &put_site_parts };
    // The site-wide files that read no member, when only members changed: those of the last render.
    let kept_files = kept_files.filter(|_| scope != depends::Scope::Whole && changed.only_members());
    let directory_only = kept_files.is_some();
    // The dev server keeps each member's part of the site-wide files between saves.
    let ((jobs, maps, lists, shown), site_files) = rayon::join(
        || {
            let (jobs, maps, lists) =
                pages::plan(site, urls, today, &cards, images, maps, &scope, sections, lists, graph.as_ref());
            // A plan of every section finds the members other sections show.
            let shown = match (sections, &graph) {
                (depends::Sections::All, Some(g)) => Some(pages::shown_elsewhere(site, g)),
                _ => None,
            };
            (jobs, maps, lists, shown)
        },
        || {
            let rows = memo.map(|_| match (&scope, &changed) {
                (depends::Scope::Members(_), depends::Changed::Records { members, .. }) => {
                    let same_facts = sections == depends::Sections::Lists;
                    rows::SiteRows::patching(site, urls, today, rows, members, same_facts)
                }
                _ => rows::SiteRows::reusing(site, urls, today, rows),
            });
            let by_name = cards.by_name();
            let rows_and_order = rows.as_ref().map(|r| (r, by_name));
            let buffers = memo.map(PageMemo::take_buffers).unwrap_or_default();
            site_files(site, urls, today, rows_and_order, directory_only, buffers, &out).map(|()| rows)
        },
    );
    let rows = site_files?;
    if let (Some(g), Some(shown)) = (&mut graph, shown) {
        g.set_shown(shown);
    }
    lap("plan");
    let mut site_paths: std::collections::HashSet<String, Fast> =
        site_paths.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).into_iter().collect();
    // The directory's files not made again, their rows unchanged: the last render's.
    let same_directory = match (&rows, directory_only) {
        (Some(rows), true) => rows.unchanged_files(),
        _ => Vec::new(),
    };
    site_paths.extend(same_directory.iter().cloned());
    // The paths of the site-wide files that read no member, for the next render.
    let kept_files = match kept_files {
        Some(kept) => {
            site_paths.extend(kept.iter().cloned());
            kept
        }
        None => {
            let directory = rows::directory_files();
            site_paths.iter().filter(|p| !directory.contains(p)).cloned().collect()
        }
    };

    // Every path is known before rendering: clashes stop the build before anything is written.
    // One entry per page planned (tens of thousands on a large site's first render).
    let paths: Vec<String> = jobs.iter().map(|job| job.route.output_path()).collect();
    let source_of = |job: &pages::Job| {
        job.source
            .as_deref()
            .map_or_else(|| format!("(page {} générée par Maillage)", urls.link(&job.route)), str::to_string)
    };
    let mut origin: HashMap<&str, &pages::Job, Fast> = HashMap::default();
    for (job, path) in jobs.iter().zip(&paths) {
        if let Some(first) = origin.insert(path, job) {
            diagnostics.push(
                Diagnostic::error(
                    "M073",
                    &source_of(job),
                    0,
                    0,
                    format!(
                        "deux pages auraient la même adresse {} (l’autre vient de {})",
                        urls.link(&job.route),
                        source_of(first)
                    ),
                )
                .with_hint("renommez l’un des deux fichiers : son nom donne l’adresse de la page"),
            );
        }
    }
    // The member pages of the last render that this one did not plan again are still there,
    // but those of the members the changes touched that no longer have one.
    let retired: Vec<String> = match &scope {
        depends::Scope::Whole => Vec::new(),
        depends::Scope::Members(slugs) => slugs
            .iter()
            .map(|slug| Route::Member(slug.clone()).output_path())
            .filter(|path| !origin.contains_key(path.as_str()) && memo.is_some_and(|m| m.is_member_page(path)))
            .collect(),
    };
    let kept = |path: &str| {
        let of_last_render = match sections {
            depends::Sections::Lists => memo.is_some_and(|m| m.knows(path)),
            depends::Sections::All => scope != depends::Scope::Whole && memo.is_some_and(|m| m.is_member_page(path)),
        };
        of_last_render && !retired.iter().any(|r| r == path)
    };
    let page_source = |path: &str| match origin.get(path) {
        Some(job) => source_of(job),
        // A member page kept from the last render: its member's file.
        None => site
            .members
            .iter()
            .find(|m| Route::Member(m.slug.clone()).output_path() == path)
            .map_or_else(|| path.to_string(), |m| m.file.clone()),
    };
    for (path, (_, source)) in &files {
        if origin.contains_key(path.as_str()) || kept(path) {
            let from = if source.is_empty() { "(thème)" } else { source };
            diagnostics.push(
                Diagnostic::error(
                    "M073",
                    from,
                    0,
                    0,
                    format!("ce fichier remplacerait une page du site : {}", page_source(path)),
                )
                .with_hint("renommez ou déplacez le fichier dans content/static/"),
            );
        }
    }
    let image_files = images.outputs();
    for o in &image_files {
        if origin.contains_key(o.path.as_str()) || kept(&o.path) || files.contains_key(&o.path) {
            diagnostics.push(
                Diagnostic::error(
                    "M073",
                    "(images)",
                    0,
                    0,
                    format!("une image redimensionnée remplacerait {}", o.path),
                )
                .with_hint("renommez le fichier de content/static/ qui porte ce nom"),
            );
        }
    }
    // Links of the content to the site's own files: known now, before anything is rendered.
    let fixed = [Route::Sitemap.output_path(), Route::Robots.output_path()];
    diagnostics.extend(links::broken(site, urls, |path| {
        origin.contains_key(path)
            || kept(path)
            || files.contains_key(path)
            || site_paths.contains(path)
            || image_files.iter().any(|o| o.path == path)
            || fixed.iter().any(|f| f == path)
    }));
    // The member pages are the same ones as in the last render when none was added or removed.
    let same_members = scope != depends::Scope::Whole
        && retired.is_empty()
        && jobs
            .iter()
            .zip(&paths)
            .all(|(job, path)| !matches!(job.route, Route::Member(_)) || memo.is_some_and(|m| m.is_member_page(path)));
    drop(origin);
    if !diagnostics.is_empty() {
        return Err(RenderError::Content(diagnostics));
    }
    lap("paths");

    // What the sitemap needs from the jobs; each job is then dropped as soon as its page is written.
    // A plan of only some lists lists the same pages as the last.
    let sitemap = match (sections, sitemap) {
        (depends::Sections::Lists, Some(kept)) => kept,
        (_, sitemap) => sitemap_reusing(&jobs, site, urls, sitemap, same_members),
    };
    let headers = Headers::new(theme, &site_ctx);
    type Page = Option<PageKey>;
    let rendered: Vec<Result<Page, Diagnostic>> = jobs
        .into_par_iter()
        .zip(paths)
        .map_init(Vec::new, |buffer, (job, path)| {
            let member = matches!(job.route, Route::Member(_));
            // A lazy context is known by its fingerprint, so a memo needs it built first.
            let ctx = match (site_key, job.ctx) {
                (Some(_), pages::Ctx::Lazy(build)) => pages::Ctx::Ready(build()),
                (_, ctx) => ctx,
            };
            let key = match (site_key, &ctx) {
                (Some(s), pages::Ctx::Ready(v)) => crate::fingerprint::of(&(s, job.template, v)),
                (Some(s), pages::Ctx::Deferred { inputs, .. }) => crate::fingerprint::of(&(s, job.template, inputs)),
                // Without a memo, pages are not known by keys.
                _ => 0,
            };
            if memo.is_some_and(|m| m.is_fresh(&path, key)) {
                return Ok(Ok(Some(PageKey { path, key, rendered: false, member })));
            }
            let page = ctx.value();
            let html = match headers
                .of(&page.page)
                .and_then(|header| theme.render_into(job.template, &page.with_site(site_ctx.clone(), header), buffer))
            {
                Ok(()) => abbr::mark_first_uses(&String::from_utf8_lossy(buffer)),
                Err(d) => {
                    failed.store(true, Ordering::Relaxed);
                    return Ok(Err(d));
                }
            };
            let page = memo.is_some().then(|| PageKey { path: path.clone(), key, rendered: true, member });
            put(OutputFile { path, bytes: html })?;
            Ok(Ok(page))
        })
        .collect::<Result<_, _>>()?;
    let mut page_keys = Vec::new();
    for r in rendered {
        match r {
            Ok(page) => page_keys.extend(page),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(RenderError::Content(diagnostics));
    }
    lap("pages");

    for (path, (bytes, _)) in files {
        put(OutputFile { path, bytes: bytes.into_owned() })?;
    }
    for file in image_files {
        put(file)?;
    }
    put(OutputFile { path: Route::Sitemap.output_path(), bytes: sitemap.text.clone().into_bytes() })?;
    put(OutputFile {
        path: Route::Robots.output_path(),
        bytes: format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls.absolute(&Route::Sitemap)).into_bytes(),
    })?;

    lap("files");
    let retired = (scope != depends::Scope::Whole).then_some(retired);
    let kept = if directory_only { kept_files.iter().cloned().chain(same_directory).collect() } else { Vec::new() };
    let carried = match memo {
        Some(_) => {
            let site_files = Some(kept_files);
            Carried { cards: Some(cards), rows, maps, sitemap: Some(sitemap), graph, site_files, lists }
        }
        None => Carried::default(),
    };
    let partial = sections == depends::Sections::Lists;
    Ok(RenderOutput { pages: pages.into_inner(), page_keys, retired, partial, kept, timings, carried })
}

/// The files made from the whole site rather than from one page: each action's calendar, the
/// agenda, the open data, the search indexes and the feeds; the directory's from `rows` (with the
/// order of the members by name) when the dev server keeps them. With `directory_only`, only the
/// directory's (its open data and search index): the others read no member, and the dev server
/// keeps those of its last render when a save changed only members. The directory's files made
/// from `rows` are written into `buffers` (see [`PageMemo::take_buffers`]), the largest for the
/// largest file.
fn site_files<E: Send>(
    site: &Site,
    urls: &Urls,
    today: Date,
    rows: Option<(&rows::SiteRows, &[usize])>,
    directory_only: bool,
    mut buffers: Vec<Vec<u8>>,
    out: &SiteFilesOut<'_, E>,
) -> Result<(), RenderError<E>> {
    let SiteFilesOut { put, put_parts } = *out;
    // annuaire.json, annuaire.csv, then the directory index: largest first.
    buffers.sort_by_key(|b| std::cmp::Reverse(b.capacity()));
    let mut buffers = buffers.into_iter();
    let (json_buffer, csv_buffer, index_buffer) =
        (buffers.next().unwrap_or_default(), buffers.next().unwrap_or_default(), buffers.next().unwrap_or_default());
    let data_file = |name: &str, bytes: Vec<u8>| OutputFile { path: Route::DataFile(name.into()).output_path(), bytes };
    let calendars = || {
        if directory_only {
            return Ok(());
        }
        for a in &site.actions {
            let route = Route::ActionCalendar(a.slug.clone());
            put(OutputFile {
                path: route.output_path(),
                bytes: ics::action_calendar(site, urls, a, today).into_bytes(),
            })?;
        }
        put(OutputFile { path: Route::Agenda.output_path(), bytes: ics::agenda(site, urls, today).into_bytes() })
    };
    let open_data = move || {
        match rows {
            // The last render's, when only members changed and none of their rows.
            Some((rows, _)) if directory_only && rows.same_directory => {}
            Some((rows, _)) => {
                let (csv, json) = rows.directory(csv_buffer, json_buffer);
                put(data_file("annuaire.csv", csv))?;
                put(data_file("annuaire.json", json))?;
            }
            // Part after part, one file after the other.
            None => {
                for (name, file) in
                    [("annuaire.csv", opendata::DirectoryFile::Csv), ("annuaire.json", opendata::DirectoryFile::Json)]
                {
                    put_parts(
                        Route::DataFile(name.into()).output_path(),
                        &mut opendata::directory_parts(site, urls, file),
                    )?;
                }
            }
        }
        if directory_only {
            return Ok(());
        }
        put(data_file("actions.json", opendata::actions_json(site, urls).into_bytes()))?;
        if let Some((csv, json)) = opendata::results(site) {
            put(data_file(opendata::RESULTS_CSV, csv))?;
            put(data_file(opendata::RESULTS_JSON, json))?;
        }
        Ok(())
    };
    let indexes_and_feeds = move || {
        if let (true, Some((rows, by_name))) = (directory_only, rows) {
            let path = Route::DirectoryIndex.output_path();
            if rows.same_index {
                return Ok(());
            }
            return put(OutputFile { path, bytes: rows.directory_index(urls, by_name, index_buffer) });
        }
        for file in
            search::outputs(site, urls, today, rows.map(|(r, by_name)| r.directory_index(urls, by_name, index_buffer)))
                .into_iter()
                .chain(feeds::outputs(site, urls, today))
        {
            put(file)?;
        }
        Ok(())
    };
    let ((a, b), c) = rayon::join(|| rayon::join(calendars, open_data), indexes_and_feeds);
    a.and(b).and(c)
}

/// The parts of a file, in order ([`OutputSink::put_parts`]).
type Parts<'p> = &'p mut dyn Iterator<Item = Vec<u8>>;

/// What handing a file over gives.
type Put<E> = Result<(), RenderError<E>>;

/// Where [`site_files`] hands its files over: whole, or in parts.
struct SiteFilesOut<'a, E> {
    put: &'a (dyn Fn(OutputFile) -> Put<E> + Sync),
    put_parts: &'a (dyn Fn(String, Parts<'_>) -> Put<E> + Sync),
}

impl<E> Clone for SiteFilesOut<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for SiteFilesOut<'_, E> {}

/// What every template receives as `site`.
fn site_context(site: &Site, urls: &Urls, css_hash: u64, images: &images::Images) -> Value {
    let c = &site.cpts.data;
    let mut nav = vec![
        ("Annuaire", Route::Directory, "annuaire"),
        ("Se soigner", Route::Care, "soins"),
        ("Prévention", Route::Prevention, "prevention"),
        ("Offres", Route::Offers, "offres"),
        ("S’installer", Route::Installer, "s-installer"),
        ("Actualités", Route::NewsIndex, "actualites"),
        ("La CPTS", Route::AboutCpts, "la-cpts"),
        ("Numéros utiles", Route::Contacts, "contacts"),
        ("Professionnels", Route::Professionals, "professionnels"),
    ]
    .into_iter()
    .map(|(label, route, section)| context! { label => label, url => urls.link(&route), section => section })
    .collect::<Vec<_>>();
    let mut menu_pages: Vec<_> = site.pages.iter().filter_map(|p| p.data.menu.map(|m| (m, p))).collect();
    menu_pages.sort_by_key(|(m, _)| *m);
    nav.extend(menu_pages.into_iter().map(|(_, p)| context! { label => text::typo(&p.data.titre), url => urls.link(&Route::Page(p.slug.clone())), section => "page" }));
    let urgent: Vec<Value> = site
        .contacts
        .iter()
        .flat_map(|c| c.data.categories.iter())
        .filter(|c| c.urgent)
        .flat_map(|c| c.numeros.iter())
        .filter_map(|n| Some((n, n.numero.as_ref().filter(|x| x.value.len() <= 4)?)))
        .take(4)
        .map(|(n, numero)| context! { nom => text::typo(&n.nom.value), numero => views::phone_str(&numero.value).map(|p| Value::from_serialize(&p)) })
        .collect();
    context! {
        nom => text::typo(&c.nom),
        nom_court => text::typo(c.nom_court.as_deref().unwrap_or(&c.nom)),
        description => text::typo(&c.description),
        slogan => c.site.slogan.as_deref().map(text::typo),
        image => c.site.image.as_ref().and_then(|i| images.get(&i.src.value)).and_then(|p| p.og().map(|v| context! { url => urls.absolute(&p.route(v)), width => v.width, height => v.height, mime => v.format.mime() })),
        image_alt => c.site.image.as_ref().and_then(|i| i.alt.as_ref()).map(|a| text::typo(&a.value)),
        images => images.context(urls),
        base_url => urls.base(),
        home_url => urls.link(&Route::Home),
        css_url => format!("{}?v={:x}", urls.link(&Route::Static("style.css".into())), css_hash & 0xffff_ffff),
        favicon_url => urls.link(&Route::Static("favicon.svg".into())),
        logo_url => site.assets.iter().any(|a| a.within == "images/logo.svg").then(|| urls.link(&Route::Static("images/logo.svg".into()))),
        nav => nav,
        urgences => urgent,
        contact => context! {
            telephone => views::phone(&c.contact.telephone).map(|p| Value::from_serialize(&p)),
            courriel => c.contact.courriel.value.clone(),
            adresse => c.contact.adresse.as_deref().map(text::typo),
            horaires => c.contact.horaires.as_deref().map(text::typo),
        },
        soins_non_programmes => c.contact.soins_non_programmes.as_ref().map(|l| context! {
            telephone => views::phone_str(&l.telephone.value).map(|p| Value::from_serialize(&p)),
            horaires => text::typo(&l.horaires),
            description => l.description.as_deref().map(text::typo),
        }),
        accessibilite => context! {
            statut => pages::accessibility_status(&c.accessibilite.statut.value),
            url => urls.link(&Route::Accessibility),
        },
        mentions_url => urls.link(&Route::LegalNotice),
        plan_url => urls.link(&Route::SiteMapPage),
        glossaire_url => urls.link(&Route::Glossary),
        donnees_url => urls.link(&Route::OpenData),
        resultats_url => site.indicators.as_ref().filter(|r| !r.data.annees.is_empty()).map(|_| urls.link(&Route::Results)),
        contacts_url => urls.link(&Route::Contacts),
        annuaire_url => urls.link(&Route::Directory),
        recherche_url => urls.link(&Route::Search),
        feeds => Value::from_serialize(feeds::links(site, urls)),
    }
}

/// The site context with `footer_html`: the theme's `footer.html`, the same on every page, rendered
/// once with `site` alone rather than once for each page.
fn with_footer(theme: &Theme, site_ctx: Value) -> Result<Value, Diagnostic> {
    let footer = theme.render(FOOTER_TEMPLATE, &context! { site => site_ctx.clone() })?;
    Ok(context! { footer_html => Value::from_safe_string(footer), ..site_ctx })
}

/// The template of the footer every page shows (see [`with_footer`]).
const FOOTER_TEMPLATE: &str = "footer.html";

/// The theme's `header.html`, rendered once for each section of the site rather than once for each
/// page: it sees `site`, `page.section`, and `page.url` only on the pages it names (the menu's
/// entries and the search page, which it marks as current), none elsewhere.
struct Headers<'t> {
    theme: &'t Theme,
    site: Value,
    /// The addresses of the pages the header names.
    named: std::collections::HashSet<String>,
    /// Each header rendered, by section and named address.
    rendered: std::sync::Mutex<HashMap<(String, Option<String>), Value>>,
}

impl<'t> Headers<'t> {
    fn new(theme: &'t Theme, site_ctx: &Value) -> Headers<'t> {
        let url = |v: &Value| v.get_attr("url").ok().and_then(|u| u.as_str().map(str::to_string));
        let nav = site_ctx.get_attr("nav").ok();
        let menu = nav.iter().filter_map(|n| n.try_iter().ok()).flatten().filter_map(|item| url(&item));
        let search = site_ctx.get_attr("recherche_url").ok().and_then(|u| u.as_str().map(str::to_string));
        Headers {
            theme,
            site: site_ctx.clone(),
            named: menu.chain(search).collect(),
            rendered: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The header of the page whose `page` variable is `page`.
    fn of(&self, page: &Value) -> Result<Value, Diagnostic> {
        let text = |key: &str| page.get_attr(key).ok().and_then(|v| v.as_str().map(str::to_string));
        let key = (text("section").unwrap_or_default(), text("url").filter(|u| self.named.contains(u)));
        let lock = || self.rendered.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(header) = lock().get(&key) {
            return Ok(header.clone());
        }
        let ctx =
            context! { site => self.site.clone(), page => context! { section => key.0.clone(), url => key.1.clone() } };
        let header = Value::from_safe_string(self.theme.render(HEADER_TEMPLATE, &ctx)?);
        lock().insert(key, header.clone());
        Ok(header)
    }
}

/// The template of the header every page shows (see [`Headers`]).
const HEADER_TEMPLATE: &str = "header.html";

/// [`sitemap`], taken from `previous` (that of an earlier render) when the addresses it lists
/// are the same: the dev server sorts and writes out every address of the site only when a save
/// adds or removes a page. The member pages listed are those of every member of `site` (all of
/// them have one; `jobs` may hold only some); `same_members` when they are known to be those of
/// `previous`.
fn sitemap_reusing(
    jobs: &[pages::Job],
    site: &Site,
    urls: &Urls,
    previous: Option<Sitemap>,
    same_members: bool,
) -> Sitemap {
    let listed = |j: &&pages::Job| j.in_sitemap && j.route.in_sitemap() && !matches!(j.route, Route::Member(_));
    let sections =
        crate::fingerprint::of(&(urls.base(), jobs.iter().filter(listed).map(|j| &j.route).collect::<Vec<_>>()));
    let members = match &previous {
        Some(p) if same_members => p.members,
        _ => crate::fingerprint::of(&site.members.iter().map(|m| m.slug.as_str()).collect::<Vec<_>>()),
    };
    if let Some(p) = previous.filter(|p| p.sections == sections && p.members == members) {
        return p;
    }
    let member_routes: Vec<Route> = site.members.iter().map(|m| Route::Member(m.slug.clone())).collect();
    let routes = jobs.iter().filter(listed).map(|j| &j.route).chain(member_routes.iter().filter(|r| r.in_sitemap()));
    Sitemap { sections, members, text: sitemap(routes, urls) }
}

/// The XML sitemap of `routes`, the public pages.
fn sitemap<'r>(routes: impl Iterator<Item = &'r Route>, urls: &Urls) -> String {
    let mut routes: Vec<&Route> = routes.collect();
    routes.sort();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for r in routes {
        out.push_str("  <url><loc>");
        out.push_str(&escape::xml_escape(&urls.absolute(r)));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
