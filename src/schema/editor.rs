//! What a text editor needs for completion, hover help and red squiggles in a site's YAML files:
//! `.vscode/settings.json` maps each kind's files to its schema in [`super::SITE_DIR`]
//! (`yaml.schemas`, read by the YAML language server: VS Code's YAML extension, and any editor
//! that runs the server), and `.vscode/extensions.json` recommends that extension.
//!
//! One settings file rather than a `# yaml-language-server: $schema=…` line in every file: files
//! made by hand, copied or written by a CMS are covered too, and content files stay free of
//! tooling. The language server reads YAML files only: the front matter of Markdown files
//! (actions, offers, news, pages) gets no completion there; `maillage serve`'s editor and the CMS
//! use the same schemas for those.

use super::files::{SITE_DIR, to_bytes, write_if_changed};
use super::kind::Kind;
use serde_json::{Map, Value, json};
use std::path::Path;

/// The settings file, relative to the site root.
pub const SETTINGS: &str = ".vscode/settings.json";
/// The recommended extensions file, relative to the site root.
pub const EXTENSIONS: &str = ".vscode/extensions.json";
/// The settings key the YAML language server reads.
pub const SCHEMAS_KEY: &str = "yaml.schemas";
/// VS Code's YAML extension (Red Hat), which runs the YAML language server.
pub const YAML_EXTENSION: &str = "redhat.vscode-yaml";

/// What [`ensure_settings`] did with the settings file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settings {
    /// Written (created, or our mapping added or updated in it).
    Written,
    /// Already up to date.
    Unchanged,
    /// Left alone: it exists but is not plain JSON (comments, trailing commas), so it cannot be
    /// edited without losing them. The caller tells the coordinator what to add.
    NotJson,
}

/// The kinds the YAML language server can help with: plain YAML files.
pub fn yaml_kinds() -> impl Iterator<Item = Kind> {
    Kind::ALL.into_iter().filter(|k| !k.front_matter())
}

/// The `yaml.schemas` mapping: schema path (relative to the site root) → globs of its files.
pub fn schema_mapping() -> Map<String, Value> {
    yaml_kinds().map(|k| (format!("./{SITE_DIR}/{}", k.file_name()), json!(k.globs()))).collect()
}

/// Makes `<root>/.vscode/settings.json` map every YAML kind to its schema, keeping every other
/// setting (and other schemas) it holds; writes `.vscode/extensions.json` when missing.
pub fn ensure_settings(root: &Path) -> std::io::Result<Settings> {
    let extensions = root.join(EXTENSIONS);
    if !extensions.exists() {
        write_if_changed(&extensions, &pretty(&json!({ "recommendations": [YAML_EXTENSION] })))?;
    }
    let path = root.join(SETTINGS);
    let mut settings = match std::fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => map,
            _ => return Ok(Settings::NotJson),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Map::new(),
        Err(e) => return Err(e),
    };
    let schemas = settings.entry(SCHEMAS_KEY).or_insert_with(|| json!({}));
    let Some(schemas) = schemas.as_object_mut() else { return Ok(Settings::NotJson) };
    schemas.extend(schema_mapping());
    let written = write_if_changed(&path, &pretty(&Value::Object(settings)))?;
    Ok(if written { Settings::Written } else { Settings::Unchanged })
}

fn pretty(value: &Value) -> Vec<u8> {
    to_bytes(value)
}
