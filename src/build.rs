//! The pipeline run once, for `maillage build` and `maillage check`: load, parse, check, render
//! and write, timed stage by stage. A build with nothing changed since the previous one stops
//! after loading, by the fingerprint of everything it reads.

use crate::diagnostic::{self, Diagnostic};
use crate::fingerprint::{FastHasher, nanos, of_bytes};
use crate::output::{self, OutputSink};
use crate::render::{self, RenderError};
use crate::source::{self, Sources};
use crate::{check, model, routes};
use jiff::civil::Date;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a build needs to know besides the content.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root: holds `content/`, and optionally `templates/` and `themes/`.
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Public address, replacing `site.url` of cpts.yaml.
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// The day the site is built for: archives and "upcoming" lists depend on it.
    pub today: Date,
    /// A build to put online (`build --production`, and the build `publier` runs): placeholders
    /// left from `init` or `new` are errors instead of warnings.
    pub production: bool,
}

impl BuildOptions {
    /// What the checks need to know of these options.
    pub fn scope(&self) -> check::Scope {
        check::Scope { today: self.today, drafts: self.drafts, production: self.production }
    }
}

/// Today in Europe/Paris, by the clock.
pub fn today_in_paris() -> Date {
    jiff::Zoned::now().in_tz("Europe/Paris").map_or_else(|_| jiff::Zoned::now().date(), |z| z.date())
}

/// The day to build for when `--today` is not given: the day of `SOURCE_DATE_EPOCH` in
/// Europe/Paris when the environment sets it (reproducible builds), else [`today_in_paris`].
pub fn today() -> Date {
    std::env::var("SOURCE_DATE_EPOCH").ok().as_deref().and_then(day_of_epoch).unwrap_or_else(today_in_paris)
}

/// Whether the day the site is built for follows the clock: neither `--today` nor
/// `SOURCE_DATE_EPOCH` fixes it (the dev server then starts a new day at midnight).
pub fn today_follows_clock() -> bool {
    std::env::var("SOURCE_DATE_EPOCH").ok().as_deref().and_then(day_of_epoch).is_none()
}

/// The day in Europe/Paris of a `SOURCE_DATE_EPOCH` value (seconds since 1970 UTC).
pub fn day_of_epoch(seconds: &str) -> Option<Date> {
    let ts = jiff::Timestamp::from_second(seconds.trim().parse().ok()?).ok()?;
    Some(ts.in_tz("Europe/Paris").map_or_else(|_| ts.to_zoned(jiff::tz::TimeZone::UTC).date(), |z| z.date()))
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// HTML pages rendered (or, when [`Self::up_to_date`], those of the previous build).
    pub pages: usize,
    /// What the write stage did.
    pub stats: output::WriteStats,
    /// Nothing the build reads changed since the previous build, whose output is intact: nothing
    /// was rendered nor written.
    pub up_to_date: bool,
    /// Warnings found along the way.
    pub warnings: Vec<Diagnostic>,
    /// Time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Images published, and how many had to be encoded (the others came from the cache); none
    /// when [`Self::up_to_date`].
    pub images: render::images::ImageStats,
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content or a template has errors (warnings may be listed too); the previous output is
    /// left as it was.
    #[error("le contenu comporte des erreurs")]
    Content(Vec<Diagnostic>),
    /// Writing the output failed; the previous output is left as it was.
    #[error(transparent)]
    Write(#[from] output::WriteError),
}

/// What [`render_site`] did.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// HTML pages given to the sink.
    pub pages: usize,
    /// Warnings found along the way.
    pub warnings: Vec<Diagnostic>,
    /// Time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Images published, and how many had to be encoded (the others came from the cache).
    pub images: render::images::ImageStats,
}

/// Times the stages one after the other.
struct Clock {
    timings: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Clock {
    fn start() -> Clock {
        Clock { timings: Vec::new(), last: Instant::now() }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.push((stage, now - self.last));
        self.last = now;
    }
}

/// What rendering needs: the checked site, its theme and its addresses.
struct Prepared {
    site: model::Site,
    theme: render::theme::Theme,
    urls: routes::Urls,
    /// Warnings so far, sorted.
    warnings: Vec<Diagnostic>,
}

/// Parses, checks and loads the theme; every diagnostic, sorted, when there is an error.
fn prepare(
    opts: &BuildOptions,
    sources: source::Sources,
    mut diagnostics: Vec<Diagnostic>,
    clock: &mut Clock,
) -> Result<Prepared, Vec<Diagnostic>> {
    let (site, parse_diags) = model::parse(sources);
    diagnostics.extend(parse_diags);
    clock.lap("parse");
    let Some(mut site) = site else {
        diagnostic::sort(&mut diagnostics);
        return Err(diagnostics);
    };
    diagnostics.extend(check::check(&site, &opts.scope()));
    clock.lap("check");
    let theme_name = site.cpts.data.site.theme.as_ref().map(|t| t.value.clone());
    let theme = match render::theme::Theme::load(&opts.root, theme_name.as_deref()) {
        Ok(t) => Some(t),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    diagnostic::sort(&mut diagnostics);
    let Some(theme) = theme.filter(|_| !diagnostics.iter().any(Diagnostic::is_error)) else {
        return Err(diagnostics);
    };
    site.retain_published(opts.drafts);
    site.withhold_stale_facts(opts.today);
    let base = opts.base_url.clone().unwrap_or_else(|| site.cpts.data.site.url.value.clone());
    let urls = routes::Urls::new(&base);
    clock.lap("theme");
    Ok(Prepared { site, theme, urls, warnings: diagnostics })
}

/// What [`render_prepared`] did.
struct RenderedPages {
    pages: usize,
    warnings: Vec<Diagnostic>,
    images: render::images::ImageStats,
}

/// Processes the images and renders a prepared site into `sink`; on an image or template error,
/// every diagnostic, sorted.
fn render_prepared<S: OutputSink>(
    opts: &BuildOptions,
    prepared: Prepared,
    sink: &S,
    clock: &mut Clock,
) -> Result<RenderedPages, RenderError<S::Error>> {
    let Prepared { site, theme, urls, warnings: mut diagnostics } = prepared;
    let (images, image_diags) = render::images::process(&site, &render::images::ImageCache::for_site(&opts.root));
    clock.lap("images");
    if !image_diags.is_empty() {
        diagnostics.extend(image_diags);
        diagnostic::sort(&mut diagnostics);
        return Err(RenderError::Content(diagnostics));
    }
    match render::render(&site, &theme, &urls, opts.today, &images, sink) {
        Ok(pages) => Ok(RenderedPages { pages, warnings: diagnostics, images: images.stats }),
        Err(RenderError::Content(d)) => {
            diagnostics.extend(d);
            diagnostic::sort(&mut diagnostics);
            Err(RenderError::Content(diagnostics))
        }
        Err(RenderError::Output(e)) => Err(RenderError::Output(e)),
    }
}

/// Loads, parses, checks and renders, giving every file to `sink`: everything but writing.
/// On a content or template error, every diagnostic.
pub fn render_site<S: OutputSink>(opts: &BuildOptions, sink: &S) -> Result<Rendered, RenderError<S::Error>> {
    let mut clock = Clock::start();
    let (sources, diagnostics) = model::region::load_sources(&opts.root);
    clock.lap("load");
    let prepared = prepare(opts, sources, diagnostics, &mut clock).map_err(RenderError::Content)?;
    let RenderedPages { pages, warnings, images } = render_prepared(opts, prepared, sink, &mut clock)?;
    clock.lap("render");
    Ok(Rendered { pages, warnings, timings: clock.timings, images })
}

/// Runs every check and renders in memory, writing nothing. Returns all diagnostics.
pub fn check_site(opts: &BuildOptions) -> Vec<Diagnostic> {
    match render_site(opts, &output::Discard) {
        Ok(rendered) => rendered.warnings,
        Err(RenderError::Content(diagnostics)) => diagnostics,
        Err(RenderError::Output(never)) => match never {},
    }
}

/// Builds the site into `opts.output`. When the fingerprint of everything the build reads
/// (`inputs_fingerprint`) is the one the output folder's manifest records and its files
/// are intact, stops after loading: nothing changed. Otherwise pages are written as they are
/// rendered, and the new output replaces the previous one only once everything succeeded.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_staged(opts, None)?.commit()
}

/// The checked, published site and its addresses, as a build renders them.
pub type Inspector<'a> = &'a mut dyn FnMut(&model::Site, &routes::Urls);

/// A build done but for its commit: its pages are written beside the previous output, which
/// stays as it was until [`StagedBuild::commit`]; dropped, it removes what it wrote. A region's
/// build holds each CPTS's until every CPTS succeeded, so that an error anywhere writes nothing,
/// and each CPTS is read and checked once.
pub struct StagedBuild {
    writer: Option<output::Writer>,
    info: output::BuildInfo,
    report: BuildReport,
}

impl StagedBuild {
    /// Makes the new output visible (nothing to do when it was up to date).
    pub fn commit(self) -> Result<BuildReport, BuildError> {
        let StagedBuild { writer, info, mut report } = self;
        if let Some(writer) = writer {
            let start = Instant::now();
            report.stats = writer.commit(info)?;
            report.timings.push(("commit", start.elapsed()));
        }
        Ok(report)
    }
}

/// [`build`] up to its commit. `inspect`, when given, sees the checked, published site before
/// it is rendered, even when the output is up to date (the site is then parsed and checked,
/// not rendered).
pub fn build_staged(opts: &BuildOptions, inspect: Option<Inspector>) -> Result<StagedBuild, BuildError> {
    output::check_layout(&opts.root, &opts.output)?;
    let mut clock = Clock::start();
    let (sources, diagnostics) = model::region::load_sources(&opts.root);
    clock.lap("load");
    let fingerprint = inputs_fingerprint(opts, &sources, &diagnostics);
    let previous = output::Manifest::read(&opts.output);
    if let Some(f) = fingerprint
        && previous.is_current(f, &opts.output)
    {
        clock.lap("compare");
        // The same inputs give the same warnings, which the previous build kept in the site's
        // cache. They are found again by checking only to show the site, or when the cache's
        // cannot be read back.
        let warnings = match inspect {
            Some(inspect) => {
                let prepared = prepare(opts, sources, diagnostics, &mut clock).map_err(BuildError::Content)?;
                inspect(&prepared.site, &prepared.urls);
                prepared.warnings
            }
            None if previous.warnings == 0 => Vec::new(),
            None => match fingerprint.and_then(|f| kept_warnings(&opts.root, f, previous.warnings)) {
                Some(warnings) => warnings,
                None => prepare(opts, sources, diagnostics, &mut clock).map_err(BuildError::Content)?.warnings,
            },
        };
        let stats = output::WriteStats { unchanged: previous.files(), ..output::WriteStats::default() };
        let report = BuildReport {
            pages: previous.pages,
            stats,
            up_to_date: true,
            warnings,
            timings: clock.timings,
            images: render::images::ImageStats::default(),
        };
        let info = output::BuildInfo { fingerprint, pages: report.pages, warnings: report.warnings.len() };
        return Ok(StagedBuild { writer: None, info, report });
    }
    clock.lap("compare");
    let mut prepared = prepare(opts, sources, diagnostics, &mut clock).map_err(BuildError::Content)?;
    if let Some(inspect) = inspect {
        inspect(&prepared.site, &prepared.urls);
    }
    // The editor's schemas follow the site (its communes and members): written when they change.
    if let Err(e) = crate::schema::refresh_site(&opts.root, Some(&prepared.site)) {
        prepared.warnings.push(
            Diagnostic::warning("M005", crate::schema::SITE_DIR, 0, 0, format!("schémas de l’éditeur non écrits : {}", crate::french::io_error(&e)))
                .with_hint("la complétion dans l’éditeur de texte peut être en retard sur le site ; le site lui-même est construit"),
        );
    }
    clock.lap("schemas");
    let writer = output::Writer::open(&opts.output, previous)?;
    let RenderedPages { pages, warnings, images } =
        render_prepared(opts, prepared, &writer, &mut clock).map_err(|e| match e {
            RenderError::Content(d) => BuildError::Content(d),
            RenderError::Output(e) => BuildError::Write(e),
        })?;
    // Writing happens on the rendering threads, as each page is ready.
    clock.lap("render+write");
    if let Some(f) = fingerprint {
        keep_warnings(&opts.root, f, &warnings);
    }
    let info = output::BuildInfo { fingerprint, pages, warnings: warnings.len() };
    let report = BuildReport {
        pages,
        stats: output::WriteStats::default(),
        up_to_date: false,
        warnings,
        timings: clock.timings,
        images,
    };
    Ok(StagedBuild { writer: Some(writer), info, report })
}

/// Where a build keeps its warnings for the next one, in the site's own folder: never in the
/// output, which is published, since a warning may name what is not (an unpublished member).
const WARNINGS_FILE: &str = ".maillage/cache/avertissements.txt";

/// First line of [`WARNINGS_FILE`], before the fingerprint of the build's inputs.
const WARNINGS_TAG: &str = "avertissements-maillage 1";

/// Keeps the warnings of a build whose inputs have `fingerprint`: the same inputs give the same
/// warnings, which a next build with nothing changed shows without checking again. A cache: when
/// it cannot be written, the next build checks again, as it would without it.
fn keep_warnings(root: &Path, fingerprint: u64, warnings: &[Diagnostic]) {
    let path = root.join(WARNINGS_FILE);
    if warnings.is_empty() {
        let _ = std::fs::remove_file(&path);
        return;
    }
    let mut text = format!("{WARNINGS_TAG} {fingerprint:016x}\n");
    for w in warnings {
        // One line of JSON each: serde_json escapes line breaks inside strings.
        text.push_str(&serde_json::to_string(w).unwrap_or_default());
        text.push('\n');
    }
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = source::atomic::write_atomic(&path, text.as_bytes());
}

/// A warning as [`keep_warnings`] writes it.
#[derive(serde::Deserialize)]
struct KeptWarning {
    severity: diagnostic::Severity,
    code: String,
    file: String,
    line: u32,
    column: u32,
    message: String,
    hint: Option<String>,
}

/// The `count` warnings kept by the build whose inputs had `fingerprint`, in their order; `None`
/// when there are none for it, not as many, or one of them cannot be read back (a damaged line, a
/// code the program's guide does not document).
fn kept_warnings(root: &Path, fingerprint: u64, count: usize) -> Option<Vec<Diagnostic>> {
    let text = crate::limits::read_text(&root.join(WARNINGS_FILE), crate::limits::MAX_WARNINGS_BYTES)?;
    let mut lines = text.lines();
    let head = lines.next()?.strip_prefix(WARNINGS_TAG)?.strip_prefix(' ')?;
    if u64::from_str_radix(head, 16).ok()? != fingerprint {
        return None;
    }
    let kept: Vec<Diagnostic> = lines
        .map(|line| {
            let w: KeptWarning = serde_json::from_str(line).ok()?;
            Some(Diagnostic {
                severity: w.severity,
                code: crate::guide::known_code(&w.code)?,
                file: w.file,
                line: w.line,
                column: w.column,
                message: w.message,
                hint: w.hint,
            })
        })
        .collect::<Option<_>>()?;
    (kept.len() == count).then_some(kept)
}

/// Fingerprint of everything a build reads: the content files (path and bytes), what the load
/// stage reported, the site's `templates/` and `themes/` folders, the embedded theme, the program
/// itself (version, and size and date of the executable, so a rebuilt binary never reuses an
/// output) and the options (address, drafts, the day the site is built for). Two builds with the
/// same fingerprint write the same output. `None` when part of it cannot be read: the build then
/// runs in full.
fn inputs_fingerprint(opts: &BuildOptions, sources: &Sources, load_diagnostics: &[Diagnostic]) -> Option<u64> {
    let mut h = FastHasher::default();
    h.write(b"maillage");
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    let exe = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    h.write_u64(exe.len());
    nanos(exe.modified().ok()?).hash(&mut h);
    h.write_u64(render::theme::embedded_fingerprint());
    for folder in ["templates", "themes"] {
        add_folder(&mut h, &opts.root, &opts.root.join(folder))?;
    }
    // A CPTS of a region also reads the region's shared templates and themes.
    if let Some((templates, themes, region_root)) = model::region::shared_theme_dirs(&opts.root) {
        add_folder(&mut h, &region_root, &templates)?;
        add_folder(&mut h, &region_root, &themes)?;
    }
    opts.base_url.hash(&mut h);
    opts.drafts.hash(&mut h);
    opts.production.hash(&mut h);
    h.write(opts.today.to_string().as_bytes());
    h.write_usize(sources.files.len());
    for file in &sources.files {
        h.write(file.rel.as_bytes());
        h.write_u64(of_bytes(&file.bytes));
    }
    for d in load_diagnostics {
        h.write(d.code.as_bytes());
        h.write(d.file.as_bytes());
        h.write(d.message.as_bytes());
    }
    Some(h.finish())
}

/// Every file under `dir` (path and bytes), in a fixed order, as the theme loader walks it;
/// nothing when `dir` is absent. `None` when a file cannot be read within its limit or the walk
/// reports a problem: the build then runs in full, and reports it.
fn add_folder(h: &mut FastHasher, root: &Path, dir: &Path) -> Option<()> {
    if !dir.exists() {
        h.write_u8(0);
        return Some(());
    }
    let walked = source::walk::walk(root, dir, "", |_| false);
    if !walked.problems.is_empty() {
        return None;
    }
    for found in walked.files {
        h.write(found.within.as_bytes());
        h.write_u64(of_bytes(&crate::limits::read_file(&found.path, crate::limits::MAX_ASSET_BYTES).ok()?));
    }
    Some(())
}
