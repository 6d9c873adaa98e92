//! Writing a content file whole, and cleaning what a killed writer left. A file is written to a
//! hidden temporary file next to it (`.dupont.yaml.4242.maillage-temp`), locked while its writer
//! runs, then renamed over the target: a reader never sees half a file. A writer killed before
//! the rename leaves its temporary file unlocked (a lock dies with its process), and the next
//! command of any kind removes it ([`clean_leftovers`]).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How every temporary file's name ends.
const TEMP_ENDING: &str = ".maillage-temp";

/// A temporary file younger than this is left alone even when unlocked: its writer may have
/// created it and not yet locked it.
const GRACE: Duration = Duration::from_secs(2);

/// Writes `bytes` to `path` whole: a locked temporary file in the same folder, synced, then
/// renamed over `path`. On failure the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}{TEMP_ENDING}", std::process::id()));
    let written = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.try_lock().map_err(io::Error::other)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Whether `name` is a temporary file of Maillage: its own, or the names earlier versions gave
/// them (`.x.yaml.import-4242` from imports, `.x.yaml.maillage-edition` from the editor).
fn is_temporary(name: &str) -> bool {
    let legacy_import =
        name.rsplit_once(".import-").is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
    name.starts_with('.') && (name.ends_with(TEMP_ENDING) || name.ends_with(".maillage-edition") || legacy_import)
}

/// Whether nobody writes the temporary file at `path` any more: no process holds its lock and
/// it is older than [`GRACE`].
fn is_abandoned(path: &Path) -> bool {
    let old = fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| SystemTime::now().duration_since(t).is_ok_and(|age| age > GRACE));
    old && fs::File::open(path).is_ok_and(|f| f.try_lock().is_ok())
}

/// Removes the temporary files killed writers left under `dir` (a site's `content/`), never
/// following a symbolic link. Returns what was removed.
pub fn clean_leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && is_temporary(&e.file_name().to_string_lossy()))
        .filter(|e| is_abandoned(e.path()))
        .filter_map(|e| fs::remove_file(e.path()).ok().map(|()| e.into_path()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn age(path: &Path) {
        let past = SystemTime::now() - Duration::from_secs(60);
        fs::File::options().write(true).open(path).unwrap().set_modified(past).unwrap();
    }

    #[test]
    fn a_file_is_written_whole_and_nothing_stays_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dupont.yaml");
        write_atomic(&path, b"nom: Dupont\n").unwrap();
        write_atomic(&path, b"nom: Durand\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"nom: Durand\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        // A folder that does not exist: an error, nothing left.
        assert!(write_atomic(&dir.path().join("absent/x.yaml"), b"x").is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn only_abandoned_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("membres");
        fs::create_dir(&sub).unwrap();
        let names = [
            ".dupont.yaml.77.maillage-temp",
            ".durand.yaml.import-4242",
            ".page.md.maillage-edition",
            "dupont.yaml",
            ".notes.import-",
            "x.maillage-temp",
        ];
        for name in names {
            fs::write(sub.join(name), b"x").unwrap();
            age(&sub.join(name));
        }
        // One is being written: its writer holds the lock.
        let busy = sub.join(".martin.yaml.78.maillage-temp");
        fs::write(&busy, b"x").unwrap();
        age(&busy);
        let held = fs::File::open(&busy).unwrap();
        held.lock().unwrap();
        // One was created a moment ago and is not locked yet.
        fs::write(sub.join(".leroy.yaml.79.maillage-temp"), b"x").unwrap();

        let mut removed: Vec<String> =
            clean_leftovers(dir.path()).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        removed.sort();
        assert_eq!(removed, [".dupont.yaml.77.maillage-temp", ".durand.yaml.import-4242", ".page.md.maillage-edition"]);
        let mut left: Vec<String> =
            fs::read_dir(&sub).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".leroy.yaml.79.maillage-temp",
                ".martin.yaml.78.maillage-temp",
                ".notes.import-",
                "dupont.yaml",
                "x.maillage-temp"
            ]
        );
        drop(held);
        assert_eq!(clean_leftovers(dir.path()).len(), 1);
    }
}
