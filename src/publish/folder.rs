//! A folder destination (a mounted share): the same steps as SFTP, with the file system's own
//! rename, which replaces the old file in one step.

use super::remote::{Done, Listing, Remote, RemoteError, Upload};
use std::fs;
use std::io;
use std::path::PathBuf;

/// A folder of this computer, which must exist (an absent one is often a share not mounted).
#[derive(Debug)]
pub struct FolderRemote {
    root: PathBuf,
}

impl FolderRemote {
    /// Opens the folder `root`; a French message when it does not exist.
    pub fn open(root: PathBuf) -> Result<FolderRemote, String> {
        match fs::metadata(&root) {
            Ok(m) if m.is_dir() => Ok(FolderRemote { root }),
            Ok(_) => Err(format!("la destination {} n’est pas un dossier", root.display())),
            Err(_) => Err(format!(
                "le dossier de destination {} n’existe pas (partage réseau non monté ?) : créez-le ou corrigez la destination",
                root.display()
            )),
        }
    }

    fn full(&self, path: &str) -> PathBuf {
        if path.is_empty() { self.root.clone() } else { self.root.join(path) }
    }
}

fn err(action: &'static str, path: &str, e: &io::Error) -> RemoteError {
    RemoteError { action, path: path.to_string(), message: e.to_string() }
}

impl Remote for FolderRemote {
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        match fs::read(self.full(path)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(err("lecture de", path, &e)),
        }
    }

    fn list(&mut self, dirs: &[String]) -> Result<Listing, RemoteError> {
        let mut listing = Listing::default();
        for dir in dirs {
            let Ok(entries) = fs::read_dir(self.full(dir)) else { continue };
            listing.dirs.insert(dir.clone());
            for entry in entries.flatten() {
                let (Ok(meta), Some(name)) = (entry.metadata(), entry.file_name().to_str().map(str::to_string)) else {
                    continue;
                };
                if meta.is_file() {
                    let path = if dir.is_empty() { name } else { format!("{dir}/{name}") };
                    listing.files.insert(path, meta.len());
                }
            }
        }
        Ok(listing)
    }

    fn make_dirs(&mut self, dirs: &[String]) -> Result<(), RemoteError> {
        for dir in dirs {
            match fs::create_dir(self.full(dir)) {
                Err(e) if !(e.kind() == io::ErrorKind::AlreadyExists && self.full(dir).is_dir()) => {
                    return Err(err("création du dossier", dir, &e));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn send(&mut self, files: &[Upload], done: &mut Done<'_>) -> Result<(), RemoteError> {
        for (i, f) in files.iter().enumerate() {
            let target = self.full(&f.remote);
            fs::copy(&f.local, &target).map_err(|e| err("copie vers", &f.remote, &e))?;
            fs::File::open(&target).and_then(|t| t.sync_all()).map_err(|e| err("écriture de", &f.remote, &e))?;
            done(i)?;
        }
        Ok(())
    }

    fn rename(&mut self, moves: &[(String, String)], done: &mut Done<'_>) -> Result<(), RemoteError> {
        for (i, (from, to)) in moves.iter().enumerate() {
            fs::rename(self.full(from), self.full(to)).map_err(|e| err("mise en place de", to, &e))?;
            done(i)?;
        }
        Ok(())
    }

    fn remove(&mut self, paths: &[String], done: &mut Done<'_>) -> Result<(), RemoteError> {
        for (i, path) in paths.iter().enumerate() {
            match fs::remove_file(self.full(path)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err("suppression de", path, &e)),
                _ => done(i)?,
            }
        }
        Ok(())
    }

    fn remove_empty_dirs(&mut self, dirs: &[String]) {
        for dir in dirs {
            // Fails, as it should, when the folder still holds something.
            let _ = fs::remove_dir(self.full(dir));
        }
    }
}
