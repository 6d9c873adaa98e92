//! Decap CMS / Sveltia CMS configuration (filled in a later commit).

use crate::model::Site;
use std::path::{Path, PathBuf};

/// Writes `config.yml` into `dir`; returns its path.
pub fn write(dir: &Path, _site: Option<&Site>) -> std::io::Result<PathBuf> {
    let path = dir.join("config.yml");
    super::files::write_if_changed(&path, b"")?;
    Ok(path)
}
