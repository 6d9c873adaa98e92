//! Incremental writes into an output folder Maillage already owns: the dev server rewrites the
//! few files a save changed, in place, instead of staging and swapping the whole site (which
//! reads back every file). Each file is written to a temporary name then renamed, so a reader
//! never sees half a file.

use crate::output::{MARKER, WriteError};
use std::fs;
use std::path::{Component, Path};

fn io_err<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> WriteError + 'p {
    move |source| WriteError::Io { action, path: path.to_path_buf(), source }
}

/// Whether `path` stays inside the folder it is relative to.
pub(crate) fn is_safe_relative(path: &str) -> bool {
    !path.is_empty() && !path.contains('\\') && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `files` (path relative to `out_dir`, bytes) and removes `removed` from `out_dir`,
/// which must carry Maillage's marker.
pub fn apply(out_dir: &Path, files: &[(&str, &[u8])], removed: &[String]) -> Result<(), WriteError> {
    if !out_dir.join(MARKER).is_file() {
        return Err(WriteError::NotOurs(out_dir.to_path_buf()));
    }
    for (path, _) in files {
        if !is_safe_relative(path) {
            return Err(WriteError::UnsafePath((*path).to_string()));
        }
    }
    for (path, bytes) in files {
        let target = out_dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
        }
        let name = target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let tmp = target.with_file_name(format!(".{name}.maillage-tmp"));
        fs::write(&tmp, bytes).map_err(io_err("écriture de", &tmp))?;
        fs::rename(&tmp, &target).map_err(io_err("remplacement de", &target))?;
    }
    for path in removed.iter().filter(|p| is_safe_relative(p)) {
        let target = out_dir.join(path);
        match fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(WriteError::Io { action: "suppression de", path: target, source: e }),
        }
        // Folders left empty go too (a member's folder when the member is removed).
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| *d != out_dir && d.starts_with(out_dir)) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_in_place_and_removes_empty_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        fs::write(out.join(MARKER), "").unwrap();
        apply(out, &[("a/b/index.html", b"x"), ("c.css", b"y")], &[]).unwrap();
        assert_eq!(fs::read(out.join("a/b/index.html")).unwrap(), b"x");
        apply(out, &[("c.css", b"z")], &["a/b/index.html".to_string()]).unwrap();
        assert!(!out.join("a").exists(), "le dossier vidé doit disparaître");
        assert_eq!(fs::read(out.join("c.css")).unwrap(), b"z");
        let names: Vec<_> = fs::read_dir(out).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "aucun fichier temporaire ne doit rester : {names:?}");
    }

    #[test]
    fn refuses_unsafe_paths_and_folders_not_ours() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(matches!(apply(tmp.path(), &[("a", b"x")], &[]), Err(WriteError::NotOurs(_))));
        fs::write(tmp.path().join(MARKER), "").unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\..\\x", ""] {
            assert!(matches!(apply(tmp.path(), &[(bad, b"x")], &[]), Err(WriteError::UnsafePath(_))), "{bad}");
        }
    }
}
