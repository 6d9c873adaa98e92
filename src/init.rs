//! `maillage init`: a new site from the embedded scaffold, ready to build.

use rust_embed::RustEmbed;
use std::path::Path;

/// The scaffold: a small but complete CPTS site.
#[derive(RustEmbed)]
#[folder = "scaffold/"]
struct Scaffold;

/// Problems creating a new site.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder exists and is not empty.
    #[error("le dossier {0} existe et n’est pas vide : choisissez un dossier nouveau ou vide")]
    NotEmpty(String),
    /// Writing failed.
    #[error("écriture impossible dans {path} : {source}")]
    Io {
        /// Where.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes the scaffold into `dir` (absent or empty). Returns the number of files written.
pub fn init(dir: &Path) -> Result<usize, InitError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() && std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
        return Err(InitError::NotEmpty(dir.display().to_string()));
    }
    let mut count = 0;
    for file in Scaffold::iter() {
        let Some(data) = Scaffold::get(&file) else { continue };
        let target = dir.join(file.as_ref());
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&target, &data.data).map_err(io(&target))?;
        count += 1;
    }
    Ok(count)
}
