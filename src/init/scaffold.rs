//! The embedded scaffold: the example site, written as it is.

use super::answers::InitError;
use crate::publish::forge::Forge;
use rust_embed::RustEmbed;
use std::path::Path;

/// The scaffold: a small but complete CPTS site.
#[derive(RustEmbed)]
#[folder = "scaffold/"]
pub(super) struct Scaffold;

/// Refuses a folder that exists and is not empty.
pub fn check_target(dir: &Path) -> Result<(), InitError> {
    let io = |source| InitError::Io { path: dir.display().to_string(), source };
    if dir.exists() && std::fs::read_dir(dir).map_err(io)?.next().is_some() {
        return Err(InitError::NotEmpty(dir.display().to_string()));
    }
    Ok(())
}

/// The confirmation date written in the scaffold's example members, replaced by the day of
/// `maillage init`: a new site's examples are current, not stale.
const EXAMPLE_CONFIRMED: &str = "verifie_le: 2026-11-02";

/// `text` with the examples' confirmation date set to `today`.
pub(super) fn date_examples(text: &str, today: jiff::civil::Date) -> String {
    text.replace(EXAMPLE_CONFIRMED, &format!("verifie_le: {today}"))
}

/// Writes the example site into `dir` (absent or empty), its example members confirmed on
/// `today`. Returns the number of files written.
pub fn init(dir: &Path, today: jiff::civil::Date) -> Result<usize, InitError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| InitError::Io { path, source }
    };
    check_target(dir)?;
    let mut count = 0;
    for file in Scaffold::iter() {
        let Some(data) = Scaffold::get(&file) else { continue };
        let target = dir.join(file.as_ref());
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        match std::str::from_utf8(&data.data) {
            Ok(text) => std::fs::write(&target, date_examples(text, today)),
            Err(_) => std::fs::write(&target, &data.data),
        }
        .map_err(io(&target))?;
        count += 1;
    }
    count += forge_workflows(dir)?;
    editor_support(dir)?;
    Ok(count)
}

/// Writes the workflows that publish the site on GitHub Pages and GitLab Pages: publishing on a
/// forge needs nothing more. Returns the number of files written.
pub(super) fn forge_workflows(dir: &Path) -> Result<usize, InitError> {
    let forges = [Forge::GitHub, Forge::GitLab];
    for forge in forges {
        crate::publish::forge::write(dir, forge)
            .map_err(|e| InitError::Io { path: forge.file().to_string(), source: std::io::Error::other(e) })?;
    }
    Ok(forges.len())
}

/// Leaves what a text editor needs for completion in the new site: its schemas (with its own
/// communes and members) and the settings that map its files to them.
pub(super) fn editor_support(dir: &Path) -> Result<(), InitError> {
    let (site, _) = crate::model::parse(crate::source::load(dir).0);
    crate::schema::refresh_site(dir, site.as_ref())
        .map(drop)
        .map_err(|source| InitError::Io { path: dir.join(crate::schema::SITE_DIR).display().to_string(), source })
}
