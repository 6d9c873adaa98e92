//! What a destination holds: the manifest Maillage keeps there (`.maillage-publication`), and the
//! same list made from the local output folder. Comparing the two says what to send and what to
//! delete.
//!
//! The manifest is JSON: every file Maillage put there, with its SHA-256 and size, and a check
//! (the SHA-256 of the file list) that tells a whole manifest from a damaged or hand-edited one.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Name of the manifest at the root of a destination.
pub const MANIFEST: &str = ".maillage-publication";

/// Ending of the temporary names files are sent under before they are renamed into place.
pub const TEMP_SUFFIX: &str = ".maillage-envoi";

/// One file: its SHA-256 (hexadecimal) and size in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// SHA-256 of the content, lower-case hexadecimal.
    pub hash: String,
    /// Size in bytes.
    pub size: u64,
}

/// Files by path (relative, `/`-separated).
pub type Files = BTreeMap<String, Entry>;

/// The manifest as stored.
#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    version: u32,
    /// SHA-256 of the JSON of `fichiers`.
    controle: String,
    fichiers: Files,
}

const FORMAT: &str = "maillage-publication";

/// Hexadecimal SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// The manifest's text for `files`.
pub fn to_text(files: &Files) -> String {
    let list = serde_json::to_string(files).unwrap_or_default();
    let stored =
        Stored { format: FORMAT.into(), version: 1, controle: sha256_hex(list.as_bytes()), fichiers: files.clone() };
    serde_json::to_string_pretty(&stored).unwrap_or_default() + "\n"
}

/// Why a manifest found on a destination cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Not JSON of the expected shape (truncated, or not ours).
    #[error("illisible")]
    Unreadable,
    /// A later version of Maillage wrote it.
    #[error("écrit par une version plus récente de Maillage (format {0})")]
    Newer(u32),
    /// The list does not match its check: edited by hand or damaged.
    #[error("modifié ou abîmé (contrôle incorrect)")]
    Tampered,
}

/// Reads a manifest's text and verifies its check.
pub fn parse(text: &[u8]) -> Result<Files, ManifestError> {
    let stored: Stored = serde_json::from_slice(text).map_err(|_| ManifestError::Unreadable)?;
    if stored.format != FORMAT {
        return Err(ManifestError::Unreadable);
    }
    if stored.version != 1 {
        return Err(ManifestError::Newer(stored.version));
    }
    let list = serde_json::to_string(&stored.fichiers).map_err(|_| ManifestError::Unreadable)?;
    if sha256_hex(list.as_bytes()) != stored.controle {
        return Err(ManifestError::Tampered);
    }
    if stored.fichiers.keys().any(|p| !is_safe_path(p)) {
        return Err(ManifestError::Unreadable);
    }
    Ok(stored.fichiers)
}

/// Whether `path` stays inside the destination: relative, no `.` or `..` part, no empty part.
pub fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Whether a local output file is Maillage's bookkeeping rather than part of the site.
fn is_bookkeeping(name: &str) -> bool {
    name.starts_with(".maillage")
}

/// Problems reading the local output folder.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// A file or folder could not be read.
    #[error("lecture de {path} impossible : {message}")]
    Read {
        /// Which path.
        path: String,
        /// Why.
        message: String,
    },
    /// A file name is not valid UTF-8, or would not be a safe remote path.
    #[error("nom de fichier refusé : {0}")]
    Name(String),
}

/// Every file of the output folder `dir` (but Maillage's bookkeeping), hashed in parallel.
pub fn scan(dir: &Path) -> Result<Files, ScanError> {
    let read_err = |path: &Path, e: &dyn std::fmt::Display| ScanError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| !e.file_name().to_str().is_some_and(is_bookkeeping)) {
        let entry = entry.map_err(|e| read_err(dir, &e))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).map_err(|e| read_err(entry.path(), &e))?;
        let Some(rel) = rel.to_str().map(|s| s.replace(std::path::MAIN_SEPARATOR, "/")) else {
            return Err(ScanError::Name(entry.path().display().to_string()));
        };
        if !is_safe_path(&rel) || rel.contains(['\n', '\r']) {
            return Err(ScanError::Name(rel));
        }
        paths.push(rel);
    }
    paths
        .into_par_iter()
        .map(|rel| {
            let full = dir.join(&rel);
            let bytes = fs::read(&full).map_err(|e| read_err(&full, &e))?;
            Ok((rel, Entry { hash: sha256_hex(&bytes), size: bytes.len() as u64 }))
        })
        .collect()
}

/// The temporary name a file is sent under, next to its final place: hidden, and naming the
/// content, so that a resumed publication finds what already arrived.
pub fn temp_name(path: &str, hash: &str) -> String {
    let (dir, name) = match path.rsplit_once('/') {
        Some((dir, name)) => (format!("{dir}/"), name),
        None => (String::new(), path),
    };
    let short = hash.get(..16).unwrap_or(hash);
    format!("{dir}.{name}.{short}{TEMP_SUFFIX}")
}

/// Folders holding `path`, from the top: `a/b/c.html` → `a`, `a/b`.
pub fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        let mut f = Files::new();
        f.insert("index.html".into(), Entry { hash: sha256_hex(b"a"), size: 1 });
        f.insert("annuaire/é x/index.html".into(), Entry { hash: sha256_hex(b"bb"), size: 2 });
        f
    }

    #[test]
    fn manifest_round_trips_and_detects_edits() {
        let text = to_text(&files());
        assert_eq!(parse(text.as_bytes()), Ok(files()));
        let edited = text.replace("\"size\": 2", "\"size\": 3");
        assert_ne!(edited, text);
        assert_eq!(parse(edited.as_bytes()), Err(ManifestError::Tampered));
        assert_eq!(parse(&text.as_bytes()[..text.len() / 2]), Err(ManifestError::Unreadable));
        assert_eq!(parse(b"<html>"), Err(ManifestError::Unreadable));
        let newer = text.replace("\"version\": 1", "\"version\": 2");
        assert_eq!(parse(newer.as_bytes()), Err(ManifestError::Newer(2)));
    }

    #[test]
    fn manifest_paths_leaving_the_destination_are_refused() {
        let mut f = files();
        f.insert("../etc/passwd".into(), Entry { hash: sha256_hex(b""), size: 0 });
        assert_eq!(parse(to_text(&f).as_bytes()), Err(ManifestError::Unreadable));
        assert!(!is_safe_path("/abs"));
        assert!(!is_safe_path("a//b"));
        assert!(is_safe_path("a/b.c"));
    }

    #[test]
    fn temp_names_sit_next_to_the_file_and_name_its_content() {
        let h = sha256_hex(b"x");
        assert_eq!(temp_name("a/b/index.html", &h), format!("a/b/.index.html.{}{TEMP_SUFFIX}", &h[..16]));
        assert_eq!(temp_name("style.css", &h), format!(".style.css.{}{TEMP_SUFFIX}", &h[..16]));
        assert_eq!(parents("a/b/c.html").collect::<Vec<_>>(), ["a", "a/b"]);
        assert_eq!(parents("c.html").count(), 0);
    }

    #[test]
    fn scan_skips_maillage_bookkeeping() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/.maillage-pending")).unwrap();
        fs::write(dir.path().join(".maillage-build"), "x").unwrap();
        fs::write(dir.path().join("a/.maillage-pending/x"), "x").unwrap();
        fs::write(dir.path().join("a/index.html"), "hello").unwrap();
        let files = scan(dir.path()).unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["a/index.html"]);
        assert_eq!(files["a/index.html"], Entry { hash: sha256_hex(b"hello"), size: 5 });
    }
}
