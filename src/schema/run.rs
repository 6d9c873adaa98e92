//! `maillage schema`, and the refresh of a site's schemas and editor settings that `init`,
//! `build`, `serve`, `new` and `import` call.

use super::cms;
use super::editor;
use super::files::{SITE_DIR, to_bytes, write_if_changed};
use super::generate::for_kind;
use super::kind::Kind;
use crate::model::Site;
use std::path::{Path, PathBuf};

/// Writes the schema of every kind into `dir` (created when missing), rewriting only the files
/// whose bytes changed. Returns the files written.
pub fn write_all(dir: &Path, site: Option<&Site>) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for kind in Kind::ALL {
        let path = dir.join(kind.file_name());
        if write_if_changed(&path, &to_bytes(&for_kind(kind, site)))? {
            written.push(path);
        }
    }
    Ok(written)
}

/// Keeps a site's editor support fresh: its schemas in `<root>/.maillage/schemas/` (with `site`,
/// its own communes and members listed) and the editor settings that map its files to them
/// ([`editor::ensure_settings`]). What `init`, `build`, `serve`, `new` and `import` call.
pub fn refresh_site(root: &Path, site: Option<&Site>) -> std::io::Result<editor::Settings> {
    write_all(&root.join(SITE_DIR), site)?;
    editor::ensure_settings(root)
}

/// What `maillage schema` is asked.
#[derive(Debug, Clone)]
pub struct SchemaOptions {
    /// The site's folder; its communes, members, documents and thematic pages are listed when it
    /// has a readable `content/cpts.yaml`.
    pub root: PathBuf,
    /// Where to write the schemas; `<root>/.maillage/schemas` (and the editor settings) when absent.
    pub output: Option<PathBuf>,
    /// Where to write a Decap / Sveltia CMS configuration, if wanted.
    pub cms: Option<PathBuf>,
}

/// What `maillage schema` did.
#[derive(Debug, Clone)]
pub struct SchemaReport {
    /// The folder the schemas are in.
    pub dir: PathBuf,
    /// How many schema files were written (the others were up to date).
    pub written: usize,
    /// Whether the site's own values are listed (false: no readable site at the root).
    pub site_listed: bool,
    /// What became of the editor settings, when written into the site.
    pub settings: Option<editor::Settings>,
    /// The CMS configuration file written, if asked.
    pub cms: Option<PathBuf>,
}

/// Runs `maillage schema`.
pub fn run(opts: &SchemaOptions) -> std::io::Result<SchemaReport> {
    let site = if opts.root.join(crate::source::CONTENT_DIR).is_dir() {
        crate::model::parse(crate::source::load(&opts.root).0).0
    } else {
        None
    };
    let site = site.as_ref();
    let (dir, settings) = match &opts.output {
        Some(dir) => (dir.clone(), None),
        None => (opts.root.join(SITE_DIR), Some(editor::ensure_settings(&opts.root)?)),
    };
    let written = write_all(&dir, site)?.len();
    let cms = match &opts.cms {
        Some(cms_dir) => Some(cms::write(cms_dir, site)?),
        None => None,
    };
    Ok(SchemaReport { dir, written, site_listed: site.is_some(), settings, cms })
}
