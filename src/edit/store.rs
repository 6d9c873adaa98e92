//! The editor's reads and writes on disk, all inside the site's `content/` folder and its bin
//! (`.maillage/corbeille/`): paths are built from known records and safe names only, never taken
//! from a request; every path is checked again before use (no `..`, no absolute path, no
//! backslash or drive letter, no reserved Windows name, no symbolic link on the way). Writes go
//! through a temporary file renamed over the target, so a reader never sees half a file. Nothing
//! is ever deleted: records go to the bin, with their path, and come back from it.

use crate::limits;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The bin, relative to the site root.
pub const BIN_DIR: &str = ".maillage/corbeille";

/// Why the editor refuses to touch a path, or failed to.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The path is not a plain path inside the content folder.
    #[error("chemin refusé : {0}")]
    Unsafe(String),
    /// A symbolic link lies on the way: the editor does not follow them.
    #[error("chemin refusé : {0} passe par un lien symbolique")]
    Link(String),
    /// The target exists and would be overwritten.
    #[error("le fichier {0} existe déjà")]
    Exists(String),
    /// The file is not there.
    #[error("le fichier {0} est introuvable")]
    Missing(String),
    /// The file is bigger than a build reads, or not a regular file: not read.
    #[error("le fichier {path} n’est pas lu : {why}")]
    Unreadable {
        /// The file (relative to the root).
        path: String,
        /// Why, in French.
        why: String,
    },
    /// The system refused.
    #[error("{action} {path} impossible : {}", crate::french::io_error(.source))]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path (relative to the root).
        path: String,
        /// The system's error.
        source: std::io::Error,
    },
}

/// Names Windows keeps for devices, whatever the extension: a file so named cannot be opened
/// there.
const RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Whether a file stem would be a device on Windows.
pub fn is_reserved_name(stem: &str) -> bool {
    let base = stem.split('.').next().unwrap_or(stem).trim_end().to_ascii_lowercase();
    RESERVED.contains(&base.as_str())
}

/// Whether `rel` is a plain relative path under `content/`: `/`-separated normal components,
/// none hidden, none reserved, no backslash, colon or control character.
pub fn is_content_path(rel: &str) -> bool {
    let clean = !rel.is_empty()
        && rel.len() <= 400
        && !rel.contains(['\\', ':', '\0'])
        && !rel.chars().any(char::is_control)
        && Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)));
    clean
        && rel.starts_with("content/")
        && rel.split('/').all(|seg| {
            let stem = seg.rsplit_once('.').map_or(seg, |(s, _)| s);
            !seg.is_empty() && !seg.starts_with('.') && !is_reserved_name(stem) && !seg.ends_with([' ', '.'])
        })
}

/// The absolute path of `rel` under `root`, after checking that it is a content path and that no
/// symbolic link lies between the root and it.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, StoreError> {
    if !is_content_path(rel) {
        return Err(StoreError::Unsafe(rel.to_string()));
    }
    no_links(root, rel)?;
    Ok(root.join(rel))
}

/// Fails when a component of `rel` (that exists) is a symbolic link.
fn no_links(root: &Path, rel: &str) -> Result<(), StoreError> {
    let mut at = root.to_path_buf();
    for seg in rel.split('/') {
        at.push(seg);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => return Err(StoreError::Link(rel.to_string())),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

fn io<'p>(action: &'static str, path: &'p str) -> impl FnOnce(std::io::Error) -> StoreError + 'p {
    move |source| StoreError::Io { action, path: path.to_string(), source }
}

/// Reads a content file.
pub fn read(root: &Path, rel: &str) -> Result<Vec<u8>, StoreError> {
    let path = resolve(root, rel)?;
    // The limits a build reads within: a record's text, or a file published as it is.
    let text = [".yaml", ".yml", ".md", ".geojson"].iter().any(|end| rel.ends_with(end));
    let limit = if text { limits::MAX_TEXT_BYTES } else { limits::MAX_ASSET_BYTES };
    match limits::read_file(&path, limit) {
        Ok(b) => Ok(b),
        Err(limits::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(StoreError::Missing(rel.to_string()))
        }
        Err(limits::ReadError::Io(e)) => Err(io("lecture de", rel)(e)),
        Err(e) => Err(StoreError::Unreadable { path: rel.to_string(), why: e.to_string() }),
    }
}

/// Writes a content file whole: a temporary file next to it, then renamed over it. With `fresh`,
/// refuses to replace an existing file.
pub fn write(root: &Path, rel: &str, bytes: &[u8], fresh: bool) -> Result<(), StoreError> {
    let path = resolve(root, rel)?;
    let parent = path.parent().ok_or_else(|| StoreError::Unsafe(rel.to_string()))?;
    fs::create_dir_all(parent).map_err(io("création du dossier de", rel))?;
    no_links(root, rel)?;
    if fresh && fs::symlink_metadata(&path).is_ok() {
        return Err(StoreError::Exists(rel.to_string()));
    }
    crate::source::atomic::write_atomic(&path, bytes).map_err(io("écriture de", rel))
}

/// An entry of the bin: what was removed together, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinEntry {
    /// Its name in the bin: the moment (`2026-11-22T14-03-07`) and the record's name.
    pub id: String,
    /// The files, relative to the root, where they were.
    pub files: Vec<String>,
}

impl BinEntry {
    /// When it was removed, as written in its name (`2026-11-22 14:03:07`).
    pub fn when(&self) -> String {
        let stamp = self.id.get(..19).unwrap_or("");
        match stamp.split_once('T') {
            Some((day, time)) => format!("{day} {}", time.replace('-', ":")),
            None => String::new(),
        }
    }
}

/// Whether `id` can name an entry of the bin.
fn is_bin_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 160 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Moves `rels` into one new entry of the bin, named after `stamp` and `name`; they keep their
/// path inside it. Returns the entry's name.
pub fn to_bin(root: &Path, rels: &[String], stamp: &str, name: &str) -> Result<String, StoreError> {
    let mut id = format!("{stamp}-{name}");
    let mut n = 2;
    while root.join(BIN_DIR).join(&id).exists() {
        id = format!("{stamp}-{name}-{n}");
        n += 1;
    }
    if !is_bin_id(&id) {
        return Err(StoreError::Unsafe(id));
    }
    let entry = root.join(BIN_DIR).join(&id);
    for rel in rels {
        let from = resolve(root, rel)?;
        if fs::symlink_metadata(&from).is_err() {
            return Err(StoreError::Missing(rel.clone()));
        }
    }
    for rel in rels {
        let from = resolve(root, rel)?;
        let to = entry.join(rel);
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(io("création de la corbeille pour", rel))?;
        }
        fs::rename(&from, &to).map_err(io("mise à la corbeille de", rel))?;
    }
    Ok(id)
}

/// The entries of the bin, most recent first.
pub fn bin(root: &Path) -> Vec<BinEntry> {
    let dir = root.join(BIN_DIR);
    let Ok(read) = fs::read_dir(&dir) else { return Vec::new() };
    let mut out: Vec<BinEntry> = read
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let id = e.file_name().to_str()?.to_string();
            is_bin_id(&id).then(|| BinEntry { files: files_in(&e.path()), id })
        })
        .filter(|e| !e.files.is_empty())
        .collect();
    out.sort_by(|a, b| b.id.cmp(&a.id));
    out
}

/// The content files kept in a bin entry's folder, as paths relative to the site root.
fn files_in(entry: &Path) -> Vec<String> {
    walkdir::WalkDir::new(entry)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(entry).ok().map(crate::diagnostic::display_path))
        .filter(|rel| is_content_path(rel))
        .collect()
}

/// Puts the files of bin entry `id` back where they were. Refuses, moving nothing, when one of
/// them exists again.
pub fn restore(root: &Path, id: &str) -> Result<Vec<String>, StoreError> {
    if !is_bin_id(id) {
        return Err(StoreError::Unsafe(id.to_string()));
    }
    let entry = root.join(BIN_DIR).join(id);
    if fs::symlink_metadata(&entry).map(|m| m.file_type().is_symlink()).unwrap_or(true) {
        return Err(StoreError::Missing(id.to_string()));
    }
    let files = files_in(&entry);
    if files.is_empty() {
        return Err(StoreError::Missing(id.to_string()));
    }
    for rel in &files {
        let to = resolve(root, rel)?;
        if fs::symlink_metadata(&to).is_ok() {
            return Err(StoreError::Exists(rel.clone()));
        }
    }
    for rel in &files {
        let to = resolve(root, rel)?;
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(io("création du dossier de", rel))?;
        }
        fs::rename(entry.join(rel), &to).map_err(io("restauration de", rel))?;
    }
    let _ = remove_empty_dirs(&entry);
    Ok(files)
}

/// Removes a bin entry's folders once they are empty (never a file).
fn remove_empty_dirs(dir: &Path) -> std::io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            remove_empty_dirs(&e.path())?;
        }
    }
    fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_content_paths_pass() {
        for ok in ["content/membres/a.yaml", "content/static/images/x-1.png", "content/cpts.yaml"] {
            assert!(is_content_path(ok), "{ok}");
        }
        for bad in [
            "content/../x",
            "/etc/passwd",
            "content/membres/../../x",
            "content\\membres\\a.yaml",
            "C:/x",
            "content/membres/a.yaml:flux",
            "content/membres/con.yaml",
            "content/membres/LPT1.txt",
            "content/membres/.cache",
            "content/./a",
            "content//a",
            "membres/a.yaml",
            "content/membres/a. ",
            "",
        ] {
            assert!(!is_content_path(bad), "{bad}");
        }
    }

    #[test]
    fn the_bin_keeps_paths_and_gives_them_back() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "content/documents/a.yaml", b"titre: a\n", true).unwrap();
        write(root, "content/documents/a.pdf", b"%PDF-1.4", true).unwrap();
        assert!(matches!(write(root, "content/documents/a.pdf", b"x", true), Err(StoreError::Exists(_))));
        let rels = vec!["content/documents/a.yaml".to_string(), "content/documents/a.pdf".to_string()];
        let id = to_bin(root, &rels, "2026-11-22T14-03-07", "a").unwrap();
        assert!(!root.join("content/documents/a.yaml").exists());
        let entries = bin(root);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].when(), "2026-11-22 14:03:07");
        let mut files = entries[0].files.clone();
        files.sort();
        assert_eq!(files, ["content/documents/a.pdf", "content/documents/a.yaml"]);
        // Taken again meanwhile: nothing moves.
        write(root, "content/documents/a.pdf", b"autre", true).unwrap();
        assert!(matches!(restore(root, &id), Err(StoreError::Exists(_))));
        assert!(root.join(BIN_DIR).join(&id).join("content/documents/a.yaml").exists());
        fs::remove_file(root.join("content/documents/a.pdf")).unwrap();
        restore(root, &id).unwrap();
        assert_eq!(fs::read(root.join("content/documents/a.pdf")).unwrap(), b"%PDF-1.4");
        assert!(bin(root).is_empty());
        assert!(restore(root, "../../etc").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn files_above_what_a_build_reads_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content/pages")).unwrap();
        fs::create_dir_all(root.join("content/documents")).unwrap();
        fs::File::create(root.join("content/pages/enorme.md")).unwrap().set_len(limits::MAX_TEXT_BYTES + 1).unwrap();
        fs::File::create(root.join("content/documents/a.pdf")).unwrap().set_len(limits::MAX_TEXT_BYTES + 1).unwrap();
        let e = read(root, "content/pages/enorme.md").unwrap_err();
        assert_eq!(
            e.to_string(),
            "le fichier content/pages/enorme.md n’est pas lu : fichier trop gros : 10,0 Mo, au-delà de la limite de 10 Mo"
        );
        // A document may weigh more than a text, up to what a build publishes.
        assert_eq!(read(root, "content/documents/a.pdf").unwrap().len() as u64, limits::MAX_TEXT_BYTES + 1);
    }

    #[test]
    fn symbolic_links_are_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::os::unix::fs::symlink(outside.path(), tmp.path().join("content/membres")).unwrap();
        assert!(matches!(write(tmp.path(), "content/membres/x.yaml", b"x", true), Err(StoreError::Link(_))));
        assert!(fs::read_dir(outside.path()).unwrap().next().is_none());
        fs::write(outside.path().join("secret.yaml"), "x").unwrap();
        assert!(matches!(read(tmp.path(), "content/membres/secret.yaml"), Err(StoreError::Link(_))));
    }
}
