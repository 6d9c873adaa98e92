//! What a destination must do for a publication: read, list, make folders, send files under
//! temporary names, rename them into place, delete. [`super::sftp`] and [`super::folder`] do it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

/// A step that failed on the destination.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{action} {path} : {message}")]
pub struct RemoteError {
    /// What was being done, in French (« envoi de », « suppression de »…).
    pub action: &'static str,
    /// On which path, relative to the destination.
    pub path: String,
    /// Why.
    pub message: String,
}

/// Called with the index of each item of a batch as soon as it is complete; an error stops the
/// batch (the journal could not record it).
pub type Done<'a> = dyn FnMut(usize) -> Result<(), RemoteError> + 'a;

/// One file to send: the local file and the temporary name it goes under.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The local file.
    pub local: PathBuf,
    /// Its temporary path on the destination.
    pub remote: String,
    /// Its size in bytes.
    pub size: u64,
}

/// What listing folders of the destination found.
#[derive(Debug, Default, Clone)]
pub struct Listing {
    /// Folders that exist (among those asked for).
    pub dirs: BTreeSet<String>,
    /// Files in them, with their sizes.
    pub files: HashMap<String, u64>,
}

/// A place a site can be published to. Paths are relative to the destination's root and
/// `/`-separated; `""` is the root. Each batch method calls `done(i)` as soon as item `i` is
/// complete, and stops at the first error.
pub trait Remote {
    /// The whole content of a file; `None` when it does not exist.
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError>;
    /// The files directly inside each of `dirs` (folders that do not exist are left out).
    fn list(&mut self, dirs: &[String]) -> Result<Listing, RemoteError>;
    /// Creates `dirs`, given parents first; folders that already exist are fine.
    fn make_dirs(&mut self, dirs: &[String]) -> Result<(), RemoteError>;
    /// Sends files, each whole under its temporary name.
    fn send(&mut self, files: &[Upload], done: &mut Done<'_>) -> Result<(), RemoteError>;
    /// Renames each `(from, to)`, replacing `to` in one step (in any order: all are done when
    /// it returns).
    fn rename(&mut self, moves: &[(String, String)], done: &mut Done<'_>) -> Result<(), RemoteError>;
    /// Deletes files; files already gone are fine.
    fn remove(&mut self, paths: &[String], done: &mut Done<'_>) -> Result<(), RemoteError>;
    /// Deletes the folders of `dirs` that are empty, deepest first; others stay, silently.
    fn remove_empty_dirs(&mut self, dirs: &[String]);
}
