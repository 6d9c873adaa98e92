//! The local journal of a publication in progress, so that an interrupted one resumes without
//! sending again what arrived. It lives in the site's `.maillage/publication/` folder (never
//! published), one file per destination, and is deleted when a publication completes.
//!
//! One JSON array a line, appended and flushed as each step completes:
//! `["envoye", hash, path]` (the file is whole under its temporary name),
//! `["place", hash, path]` (renamed into place), `["supprime", path]`.
//! A line cut short by a crash is ignored: at worst one file is sent again.

use super::manifest::{Entry, Files};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// First line of a journal: what it is, and for which destination.
const HEADER: &str = "journal-publication-maillage 1";

/// What a previous, unfinished publication to the same destination did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// Files sent whole under their temporary name, not yet renamed: path → hash.
    pub sent: BTreeMap<String, String>,
    /// Files renamed into place: path → hash.
    pub placed: BTreeMap<String, String>,
    /// Files deleted.
    pub removed: Vec<String>,
}

impl Recovered {
    /// Whether nothing was recovered.
    pub fn is_empty(&self) -> bool {
        self.sent.is_empty() && self.placed.is_empty() && self.removed.is_empty()
    }

    /// What the destination holds, given what its manifest says and what this journal records
    /// since: sizes of placed files come from `local` (they are the local files' bytes).
    pub fn apply(&self, manifest: &mut Files, local: &Files) {
        for (path, hash) in &self.placed {
            match local.get(path).filter(|e| &e.hash == hash) {
                Some(e) => manifest.insert(path.clone(), e.clone()),
                // Placed from a build since replaced: content unknown here, send it again.
                None => manifest.insert(path.clone(), Entry { hash: hash.clone(), size: u64::MAX }),
            };
        }
        for path in &self.removed {
            manifest.remove(path);
        }
    }
}

/// An open journal, appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
}

/// The journal's file for `destination` in the site `root`.
fn journal_path(root: &Path, destination: &str) -> PathBuf {
    let id = super::manifest::sha256_hex(destination.as_bytes());
    root.join(".maillage").join("publication").join(format!("{}.journal", &id[..16]))
}

/// What the journal for `destination` recorded, if a publication there did not finish.
pub fn recover(root: &Path, destination: &str) -> Recovered {
    let Ok(text) = fs::read_to_string(journal_path(root, destination)) else { return Recovered::default() };
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) || lines.next() != Some(destination) {
        return Recovered::default();
    }
    let mut out = Recovered::default();
    for line in lines {
        let Ok(fields) = serde_json::from_str::<Vec<String>>(line) else { continue };
        match fields.as_slice() {
            [tag, hash, path] if tag == "envoye" => {
                out.sent.insert(path.clone(), hash.clone());
            }
            [tag, hash, path] if tag == "place" => {
                out.sent.remove(path);
                out.placed.insert(path.clone(), hash.clone());
            }
            [tag, path] if tag == "supprime" => {
                out.placed.remove(path);
                out.removed.push(path.clone());
            }
            _ => {}
        }
    }
    out
}

impl Journal {
    /// Opens the journal for `destination`, keeping what it already holds.
    pub fn open(root: &Path, destination: &str) -> io::Result<Journal> {
        let path = journal_path(root, destination);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let fresh = !path.is_file()
            || fs::read_to_string(&path).map_or(true, |t| !t.starts_with(&format!("{HEADER}\n{destination}\n")));
        if fresh {
            fs::write(&path, format!("{HEADER}\n{destination}\n"))?;
        }
        let file = OpenOptions::new().append(true).open(&path)?;
        Ok(Journal { path, file })
    }

    fn line(&mut self, fields: &[&str]) -> io::Result<()> {
        let mut text = serde_json::to_string(fields).map_err(io::Error::other)?;
        text.push('\n');
        self.file.write_all(text.as_bytes())?;
        self.file.flush()
    }

    /// Records that `path` (content `hash`) is whole under its temporary name.
    pub fn sent(&mut self, path: &str, hash: &str) -> io::Result<()> {
        self.line(&["envoye", hash, path])
    }

    /// Records that `path` (content `hash`) is in place.
    pub fn placed(&mut self, path: &str, hash: &str) -> io::Result<()> {
        self.line(&["place", hash, path])
    }

    /// Records that `path` was deleted.
    pub fn removed(&mut self, path: &str) -> io::Result<()> {
        self.line(&["supprime", path])
    }

    /// Makes sure what was recorded so far survives a crash of the machine.
    pub fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }

    /// The publication is complete: the journal goes.
    pub fn finish(self) -> io::Result<()> {
        drop(self.file);
        fs::remove_file(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_replays_what_was_done_and_ignores_a_torn_line() {
        let root = tempfile::tempdir().unwrap();
        let dest = "sftp://u@h:22/~/www";
        let mut j = Journal::open(root.path(), dest).unwrap();
        j.sent("a.css", "h1").unwrap();
        j.sent("index.html", "h2").unwrap();
        j.placed("a.css", "h1").unwrap();
        j.removed("old.html").unwrap();
        drop(j);
        let path = journal_path(root.path(), dest);
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str("[\"envoye\",\"h3\",\"cut");
        fs::write(&path, text).unwrap();
        let r = recover(root.path(), dest);
        assert_eq!(r.sent.into_iter().collect::<Vec<_>>(), [("index.html".to_string(), "h2".to_string())]);
        assert_eq!(r.placed.into_iter().collect::<Vec<_>>(), [("a.css".to_string(), "h1".to_string())]);
        assert_eq!(r.removed, ["old.html"]);
        // Another destination has no journal; the finished one leaves none.
        assert!(recover(root.path(), "/mnt/partage").is_empty());
        Journal::open(root.path(), dest).unwrap().finish().unwrap();
        assert!(recover(root.path(), dest).is_empty());
    }
}
