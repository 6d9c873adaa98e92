//! Write stage. A first build goes into a staging folder next to the output folder, which is then
//! swapped in. Later builds update Maillage's own output folder in place: every file is compared
//! with the previous build's, only new or changed files are written (each to a temporary name
//! then renamed, so a reader never sees half a file) and files the site no longer has are
//! removed; unchanged files are not touched and keep their date. Rebuilding the whole tree in a
//! staging folder (one directory and one link per page, then deleting the old tree) cost a
//! second build of 10 000 members several times the first one on ext4. A build that fails on
//! content never reaches this stage, so it never touches the previous output; Maillage never
//! deletes a folder it did not create (it marks its own).

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// One file of the generated site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Name of the file marking an output folder as Maillage's own.
pub const MARKER: &str = ".maillage-build";

/// Problems writing the output.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output folder holds files Maillage did not write.
    #[error("le dossier de sortie {0} existe et n’a pas été créé par Maillage : il n’est pas modifié")]
    NotOurs(PathBuf),
    /// An output path would leave the output folder.
    #[error("chemin de sortie refusé : {0}")]
    UnsafePath(String),
    /// A file-system operation failed.
    #[error("{action} {path} : {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The system error.
        source: io::Error,
    },
}

/// What the write stage did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written because new or changed.
    pub written: usize,
    /// Files identical to the previous build, kept as they were.
    pub unchanged: usize,
    /// Files of the previous build that are gone.
    pub removed: usize,
}

fn io_err<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> WriteError + 'p {
    move |source| WriteError::Io { action, path: path.to_path_buf(), source }
}

/// Whether a folder is absent, empty, or marked as a Maillage output.
fn is_ours_or_empty(dir: &Path) -> Result<bool, WriteError> {
    if !dir.exists() {
        return Ok(true);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).map_err(io_err("lecture de", dir))?;
    Ok(entries.next().is_none())
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!(".{name}.{suffix}"))
}

fn check_relative(path: &str) -> Result<(), WriteError> {
    let p = Path::new(path);
    let safe = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if safe { Ok(()) } else { Err(WriteError::UnsafePath(path.to_string())) }
}

/// Writes the site into `out_dir` through a staging folder and a swap.
pub fn write(outputs: &[OutputFile], out_dir: &Path) -> Result<WriteStats, WriteError> {
    if !is_ours_or_empty(out_dir)? {
        return Err(WriteError::NotOurs(out_dir.to_path_buf()));
    }
    for o in outputs {
        check_relative(&o.path)?;
    }
    if out_dir.join(MARKER).is_file() {
        return update_in_place(outputs, out_dir);
    }
    if let Some(parent) = out_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
    }
    let staging = sibling(out_dir, "maillage-staging");
    let backup = sibling(out_dir, "maillage-previous");
    for leftover in [&staging, &backup] {
        // Only folders we marked are removed: a crash may have left them behind.
        if leftover.join(MARKER).is_file() {
            fs::remove_dir_all(leftover).map_err(io_err("suppression de", leftover))?;
        } else if leftover.exists() {
            return Err(WriteError::NotOurs(leftover.clone()));
        }
    }
    fs::create_dir_all(&staging).map_err(io_err("création de", &staging))?;
    fs::write(staging.join(MARKER), b"Dossier produit par Maillage ; il peut le remplacer.\n")
        .map_err(io_err("écriture de", &staging))?;

    let dirs: BTreeSet<PathBuf> =
        outputs.iter().filter_map(|o| Path::new(&o.path).parent().map(Path::to_path_buf)).collect();
    for d in &dirs {
        let full = staging.join(d);
        fs::create_dir_all(&full).map_err(io_err("création de", &full))?;
    }
    let kept: Vec<Result<bool, WriteError>> = outputs
        .par_iter()
        .map(|o| {
            let target = staging.join(&o.path);
            let previous = out_dir.join(&o.path);
            if fs::read(&previous).is_ok_and(|old| old == o.bytes) && fs::hard_link(&previous, &target).is_ok() {
                return Ok(true);
            }
            fs::write(&target, &o.bytes).map_err(io_err("écriture de", &target))?;
            Ok(false)
        })
        .collect();
    let mut stats = WriteStats::default();
    for k in kept {
        if k? {
            stats.unchanged += 1;
        } else {
            stats.written += 1;
        }
    }
    if out_dir.exists() {
        stats.removed = count_stale(outputs, out_dir);
        fs::rename(out_dir, &backup).map_err(io_err("déplacement de", out_dir))?;
        if let Err(source) = fs::rename(&staging, out_dir) {
            // Put the previous output back before reporting.
            let _ = fs::rename(&backup, out_dir);
            return Err(WriteError::Io { action: "remplacement de", path: out_dir.to_path_buf(), source });
        }
        fs::remove_dir_all(&backup).map_err(io_err("suppression de", &backup))?;
    } else {
        fs::rename(&staging, out_dir).map_err(io_err("création de", out_dir))?;
    }
    Ok(stats)
}

/// Updates an output folder Maillage made: stale files go first (a stale file may stand where a
/// folder is now needed), then new and changed files are written; identical ones are left alone.
fn update_in_place(outputs: &[OutputFile], out_dir: &Path) -> Result<WriteStats, WriteError> {
    let fresh: BTreeSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let stale: Vec<PathBuf> = walkdir::WalkDir::new(out_dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir() && e.file_name() != MARKER)
        .filter(|e| {
            e.path()
                .strip_prefix(out_dir)
                .is_ok_and(|p| !fresh.contains(crate::check::diagnostic::display_path(p).as_str()))
        })
        .map(walkdir::DirEntry::into_path)
        .collect();
    for path in &stale {
        fs::remove_file(path).map_err(io_err("suppression de", path))?;
        // Folders left empty go too (a removed member's folder).
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != out_dir && d.starts_with(out_dir)) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    let kept: Vec<Result<bool, WriteError>> = outputs
        .par_iter()
        .map(|o| {
            let target = out_dir.join(&o.path);
            if fs::read(&target).is_ok_and(|old| old == o.bytes) {
                return Ok(true);
            }
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
            }
            let name = target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let tmp = target.with_file_name(format!(".{name}.maillage-tmp"));
            fs::write(&tmp, &o.bytes).map_err(io_err("écriture de", &tmp))?;
            fs::rename(&tmp, &target).map_err(io_err("remplacement de", &target))?;
            Ok(false)
        })
        .collect();
    let mut stats = WriteStats { removed: stale.len(), ..WriteStats::default() };
    for k in kept {
        if k? {
            stats.unchanged += 1;
        } else {
            stats.written += 1;
        }
    }
    Ok(stats)
}

/// Files of the previous output that the new one no longer has.
fn count_stale(outputs: &[OutputFile], out_dir: &Path) -> usize {
    let fresh: BTreeSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    walkdir::WalkDir::new(out_dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
        .filter_map(|e| e.path().strip_prefix(out_dir).ok().map(crate::check::diagnostic::display_path))
        .filter(|p| !fresh.contains(p.as_str()))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn unchanged_files_are_kept_and_stale_ones_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let first = write(&[out("index.html", "a"), out("x/index.html", "b"), out("old.txt", "c")], &dir).unwrap();
        assert_eq!(first, WriteStats { written: 3, unchanged: 0, removed: 0 });
        let second = write(&[out("index.html", "a"), out("x/index.html", "B")], &dir).unwrap();
        assert_eq!(second, WriteStats { written: 1, unchanged: 1, removed: 1 });
        assert_eq!(fs::read_to_string(dir.join("x/index.html")).unwrap(), "B");
        assert!(!dir.join("old.txt").exists());
        assert!(!sibling(&dir, "maillage-staging").exists());
    }

    #[test]
    fn a_folder_we_did_not_create_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("docs");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("precieux.txt"), "à garder").unwrap();
        let err = write(&[out("index.html", "a")], &dir).unwrap_err();
        assert!(matches!(err, WriteError::NotOurs(_)));
        assert_eq!(fs::read_to_string(dir.join("precieux.txt")).unwrap(), "à garder");
    }

    #[test]
    fn paths_cannot_escape() {
        let tmp = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", ""] {
            assert!(matches!(write(&[out(bad, "x")], &tmp.path().join("p")), Err(WriteError::UnsafePath(_))), "{bad}");
        }
    }
}
