//! Maillage: a static site generator for French CPTS.
//!
//! One pipeline of plain stages:
//! [`source::load`] → [`model::parse`] → [`check::check`] → [`routes`] → [`render::render`] →
//! [`output::write`]. [`build`] runs them all; [`check_site`] stops before writing.

pub mod check;
pub mod fingerprint;
pub mod import;
pub mod init;
pub mod model;
pub mod new;
pub mod output;
pub mod render;
pub mod routes;
pub mod serve;
pub mod source;

use check::diagnostic::{self, Diagnostic};
use jiff::civil::Date;
use std::path::PathBuf;
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
}

/// Today in Europe/Paris, the default for [`BuildOptions::today`].
pub fn today_in_paris() -> Date {
    jiff::Zoned::now().in_tz("Europe/Paris").map_or_else(|_| jiff::Zoned::now().date(), |z| z.date())
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// HTML pages rendered.
    pub pages: usize,
    /// What the write stage did.
    pub stats: output::WriteStats,
    /// Warnings found along the way.
    pub warnings: Vec<Diagnostic>,
    /// Time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Images published, and how many had to be encoded (the others came from the cache).
    pub images: render::images::ImageStats,
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content has errors (warnings may be listed too); nothing was written.
    #[error("le contenu comporte des erreurs")]
    Content(Vec<Diagnostic>),
    /// Writing the output failed; the previous output is left as it was.
    #[error(transparent)]
    Write(#[from] output::WriteError),
}

/// A site rendered in memory, ready to be written.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Every output file.
    pub outputs: Vec<output::OutputFile>,
    /// How many of them are HTML pages.
    pub pages: usize,
    /// Warnings found along the way.
    pub warnings: Vec<Diagnostic>,
    /// Time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Images published, and how many had to be encoded (the others came from the cache).
    pub images: render::images::ImageStats,
}

/// Loads, parses, checks and renders in memory: everything but writing.
/// Returns the rendered site, or every diagnostic when there is an error.
pub fn render_site(opts: &BuildOptions) -> Result<Rendered, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let (sources, mut diagnostics) = source::load(&opts.root);
    lap("load", &mut timings);
    let (site, parse_diags) = model::parse(sources);
    diagnostics.extend(parse_diags);
    lap("parse", &mut timings);
    let Some(mut site) = site else {
        diagnostic::sort(&mut diagnostics);
        return Err(diagnostics);
    };
    diagnostics.extend(check::check(&site, opts.today));
    lap("check", &mut timings);
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
    let base = opts.base_url.clone().unwrap_or_else(|| site.cpts.data.site.url.value.clone());
    let urls = routes::Urls::new(&base);
    lap("theme", &mut timings);
    let (images, image_diags) = render::images::process(&site, &render::images::ImageCache::for_site(&opts.root));
    lap("images", &mut timings);
    if !image_diags.is_empty() {
        diagnostics.extend(image_diags);
        diagnostic::sort(&mut diagnostics);
        return Err(diagnostics);
    }
    let outputs = match render::render(&site, &theme, &urls, opts.today, &images) {
        Ok(o) => o,
        Err(d) => {
            diagnostics.extend(d);
            diagnostic::sort(&mut diagnostics);
            return Err(diagnostics);
        }
    };
    lap("render", &mut timings);
    let pages = outputs.iter().filter(|o| o.path.ends_with(".html")).count();
    Ok(Rendered { outputs, pages, warnings: diagnostics, timings, images: images.stats })
}

/// Runs every check and renders in memory, writing nothing. Returns all diagnostics.
pub fn check_site(opts: &BuildOptions) -> Vec<Diagnostic> {
    match render_site(opts) {
        Ok(rendered) => rendered.warnings,
        Err(diagnostics) => diagnostics,
    }
}

/// Builds the site into `opts.output`.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let Rendered { outputs, pages, warnings, mut timings, images } = render_site(opts).map_err(BuildError::Content)?;
    let start = Instant::now();
    let stats = output::write(&outputs, &opts.output)?;
    timings.push(("write", start.elapsed()));
    Ok(BuildReport { pages, stats, warnings, timings, images })
}
