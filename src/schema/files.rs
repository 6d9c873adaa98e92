//! Schema files on disk: their bytes, and writes that leave unchanged files alone.

use std::path::Path;

/// Where a site keeps its schemas, relative to its root (with the build cache, out of git).
pub const SITE_DIR: &str = ".maillage/schemas";

/// The bytes of a schema file: pretty JSON and a final newline.
pub fn to_bytes(schema: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(schema).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Writes `bytes` to `path` unless it already holds them; true when written. The new content
/// goes to a temporary file first, then replaces the old one: an editor never reads half a file.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.maillage-tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
        .map(|()| true)
}
