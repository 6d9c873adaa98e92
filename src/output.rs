//! Write stage. Rendered files come one at a time, from the rendering threads, to an
//! [`OutputSink`]: a [`Writer`] puts them on disk as they come and keeps none in memory, the dev
//! server [`Collect`]s them to serve them, `maillage check` [`Discard`]s them.
//!
//! Nothing of the previous output changes until the build has succeeded ([`Writer::commit`]):
//!
//! - a first build writes into a staging folder next to the output folder, then swaps it in;
//!   a failure deletes the staging folder;
//! - later builds update Maillage's own output folder in place. New and changed files are written
//!   under temporary names into a pending folder inside it; at the commit, files the site no longer
//!   has are removed and the pending files renamed to their place (a reader never sees half a
//!   file). A failure deletes the pending folder. Unchanged files are not touched and keep their
//!   date. (Rebuilding the whole tree in a staging folder, one directory and one link per page,
//!   cost a second build of 10 000 members several times the first one on ext4.)
//!
//! The output folder's marker ([`MARKER`]) is also its [`Manifest`]: the fingerprint of what the
//! build read, and each file's size, date and hash. A file whose size and date are still those
//! of the manifest is compared through its hash, without reading it back; any other file is read
//! and compared. Maillage never deletes a folder it did not create (it marks its own).

use crate::fingerprint::{nanos, of_bytes};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// One file of the generated site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Name of the file marking an output folder as Maillage's own; it holds the [`Manifest`].
pub const MARKER: &str = ".maillage-build";

/// Folder inside the output folder holding the files of a build until its commit.
const PENDING: &str = ".maillage-pending";

/// First line of the marker, for whoever opens it.
const MARKER_HEADER: &str = "Dossier produit par Maillage ; il peut le remplacer.\n";

/// Second line of a marker holding a manifest, followed by its fields.
const MANIFEST_TAG: &str = "manifeste-maillage 1";

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

/// Where rendered files go, one at a time, from any rendering thread, as soon as each is ready.
pub trait OutputSink: Sync {
    /// What can go wrong taking a file.
    type Error: Send;
    /// Takes one file; an error stops the rendering.
    fn put(&self, file: OutputFile) -> Result<(), Self::Error>;
}

/// Keeps every file in memory (the dev server serves them from there).
#[derive(Debug, Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files collected, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(PoisonError::into_inner);
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl OutputSink for Collect {
    type Error = Infallible;
    fn put(&self, file: OutputFile) -> Result<(), Infallible> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(file);
        Ok(())
    }
}

/// Drops every file (`maillage check` renders everything and writes nothing).
#[derive(Debug, Clone, Copy, Default)]
pub struct Discard;

impl OutputSink for Discard {
    type Error = Infallible;
    fn put(&self, _: OutputFile) -> Result<(), Infallible> {
        Ok(())
    }
}

fn io_err<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> WriteError + 'p {
    move |source| WriteError::Io { action, path: path.to_path_buf(), source }
}

/// Size, date and hash of one output file, as the manifest records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileEntry {
    size: u64,
    /// Modification date, in nanoseconds from 1970.
    mtime: i128,
    hash: u64,
}

/// What a build records in its output folder's marker: the fingerprint of everything it read,
/// and each file it wrote or kept. An absent, old-format or damaged marker reads as an empty
/// manifest, which only makes the next build compare files by reading them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Fingerprint of what the build read (see [`crate::build::build`]); `None` when unknown.
    pub fingerprint: Option<u64>,
    /// HTML pages the build produced.
    pub pages: usize,
    /// Warnings the build reported.
    pub warnings: usize,
    files: HashMap<String, FileEntry>,
}

/// The facts about a build its manifest keeps besides its files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildInfo {
    /// Fingerprint of what the build read; `None` when unknown (the next build then runs in full).
    pub fingerprint: Option<u64>,
    /// HTML pages produced.
    pub pages: usize,
    /// Warnings reported.
    pub warnings: usize,
}

impl Manifest {
    /// The manifest of the output folder `out_dir`; empty when there is none or it cannot be read.
    pub fn read(out_dir: &Path) -> Manifest {
        fs::read_to_string(out_dir.join(MARKER)).ok().and_then(|t| Manifest::parse(&t)).unwrap_or_default()
    }

    fn parse(text: &str) -> Option<Manifest> {
        let mut lines = text.strip_prefix(MARKER_HEADER)?.lines();
        let mut head = lines.next()?.strip_prefix(MANIFEST_TAG)?.split(' ').skip(1);
        let fingerprint = match head.next()? {
            "-" => None,
            hex => Some(u64::from_str_radix(hex, 16).ok()?),
        };
        let pages = head.next()?.parse().ok()?;
        let warnings = head.next()?.parse().ok()?;
        let mut files = HashMap::new();
        for line in lines {
            let mut fields = line.splitn(4, ' ');
            let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
            let size = fields.next()?.parse().ok()?;
            let mtime = fields.next()?.parse().ok()?;
            files.insert(unescape(fields.next()?)?, FileEntry { size, mtime, hash });
        }
        Some(Manifest { fingerprint, pages, warnings, files })
    }

    fn to_text(info: BuildInfo, files: &mut [(String, FileEntry)]) -> String {
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let fingerprint = info.fingerprint.map_or_else(|| "-".to_string(), |f| format!("{f:016x}"));
        let mut text = format!("{MARKER_HEADER}{MANIFEST_TAG} {fingerprint} {} {}\n", info.pages, info.warnings);
        for (path, e) in files.iter() {
            text.push_str(&format!("{:016x} {} {} {}\n", e.hash, e.size, e.mtime, escape(path)));
        }
        text
    }

    /// Files recorded.
    pub fn files(&self) -> usize {
        self.files.len()
    }

    /// Whether the output folder holds what a build with this `fingerprint` would write: the
    /// manifest has the same fingerprint and every file it records still has its size and date.
    pub fn is_current(&self, fingerprint: u64, out_dir: &Path) -> bool {
        self.fingerprint == Some(fingerprint)
            && self.files.par_iter().all(|(path, e)| {
                fs::metadata(out_dir.join(path))
                    .is_ok_and(|m| m.is_file() && m.len() == e.size && m.modified().is_ok_and(|t| nanos(t) == e.mtime))
            })
    }
}

/// Paths are stored one per line: `\`, line feeds and carriage returns are escaped.
fn escape(path: &str) -> String {
    path.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r")
}

fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\\' => match chars.next()? {
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                _ => return None,
            },
            c => c,
        });
    }
    Some(out)
}

/// Writes the marker through a temporary file, so it is always whole.
fn write_marker(dir: &Path, text: &str) -> Result<(), WriteError> {
    let tmp = dir.join(format!("{MARKER}.tmp"));
    let target = dir.join(MARKER);
    fs::write(&tmp, text).map_err(io_err("écriture de", &tmp))?;
    fs::rename(&tmp, &target).map_err(io_err("remplacement de", &target))
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

/// Output paths stay inside the output folder and never clash with Maillage's own files.
fn check_relative(path: &str) -> Result<(), WriteError> {
    let p = Path::new(path);
    let safe = !path.is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && p.components().next().is_some_and(|c| c.as_os_str() != MARKER && c.as_os_str() != PENDING);
    if safe { Ok(()) } else { Err(WriteError::UnsafePath(path.to_string())) }
}

/// Writes a file and returns its modification date.
fn write_file(path: &Path, bytes: &[u8]) -> Result<i128, WriteError> {
    let mut file = fs::File::create(path).map_err(io_err("écriture de", path))?;
    file.write_all(bytes).map_err(io_err("écriture de", path))?;
    let modified = file.metadata().and_then(|m| m.modified()).map_err(io_err("lecture de la date de", path))?;
    Ok(nanos(modified))
}

/// What a [`Writer`] received so far.
#[derive(Debug, Default)]
struct Received {
    /// Every file of the new output, for the manifest.
    files: Vec<(String, FileEntry)>,
    /// In place: new or changed files, by temporary path in the pending folder and final path.
    pending: Vec<(PathBuf, String)>,
    /// Files identical to the previous build's.
    unchanged: usize,
}

/// The [`OutputSink`] of `maillage build`: writes each file as it comes, and makes the new
/// output visible only at [`Writer::commit`]. Dropped without a commit, it deletes what it wrote
/// and the previous output stays as it was.
#[derive(Debug)]
pub struct Writer {
    out_dir: PathBuf,
    /// The staging folder of a first build, or the pending folder of an update in place.
    scratch: PathBuf,
    in_place: bool,
    previous: Manifest,
    next_name: AtomicUsize,
    received: Mutex<Received>,
    committed: bool,
}

impl Writer {
    /// Prepares to write into `out_dir`, whose current [`Manifest`] is `previous`. Refuses a
    /// folder that holds files and no marker.
    pub fn open(out_dir: &Path, previous: Manifest) -> Result<Writer, WriteError> {
        if !is_ours_or_empty(out_dir)? {
            return Err(WriteError::NotOurs(out_dir.to_path_buf()));
        }
        let in_place = out_dir.join(MARKER).is_file();
        let scratch = if in_place {
            let pending = out_dir.join(PENDING);
            if pending.exists() {
                // Left by a build that crashed; inside our own folder.
                fs::remove_dir_all(&pending).map_err(io_err("suppression de", &pending))?;
            }
            fs::create_dir(&pending).map_err(io_err("création de", &pending))?;
            pending
        } else {
            if let Some(parent) = out_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
            }
            let staging = sibling(out_dir, "maillage-staging");
            for leftover in [&staging, &sibling(out_dir, "maillage-previous")] {
                // Only folders we marked are removed: a crash may have left them behind.
                if leftover.join(MARKER).is_file() {
                    fs::remove_dir_all(leftover).map_err(io_err("suppression de", leftover))?;
                } else if leftover.exists() {
                    return Err(WriteError::NotOurs(leftover.clone()));
                }
            }
            fs::create_dir_all(&staging).map_err(io_err("création de", &staging))?;
            write_marker(&staging, MARKER_HEADER)?;
            staging
        };
        Ok(Writer {
            out_dir: out_dir.to_path_buf(),
            scratch,
            in_place,
            previous: if in_place { previous } else { Manifest::default() },
            next_name: AtomicUsize::new(0),
            received: Mutex::new(Received::default()),
            committed: false,
        })
    }

    fn received(&self) -> MutexGuard<'_, Received> {
        self.received.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The date of the file at `target` when it already holds `file`'s bytes.
    fn same_on_disk(&self, file: &OutputFile, target: &Path, hash: u64) -> Option<i128> {
        let meta = fs::metadata(target).ok().filter(fs::Metadata::is_file)?;
        let mtime = nanos(meta.modified().ok()?);
        if meta.len() != file.bytes.len() as u64 {
            return None;
        }
        if let Some(e) = self.previous.files.get(&file.path)
            && e.size == meta.len()
            && e.mtime == mtime
        {
            // As the previous build left it: its hash tells.
            return (e.hash == hash).then_some(mtime);
        }
        // Unknown to the manifest, or changed by someone else since: compare the bytes.
        (fs::read(target).ok()? == file.bytes).then_some(mtime)
    }

    /// Makes the new output visible: stale files removed and pending files renamed (in place),
    /// or the staging folder swapped in (first build); then the manifest is written.
    pub fn commit(mut self, info: BuildInfo) -> Result<WriteStats, WriteError> {
        let received = std::mem::take(&mut *self.received());
        let stats =
            if self.in_place { self.commit_in_place(received, info)? } else { self.commit_first(received, info)? };
        self.committed = true;
        Ok(stats)
    }

    fn commit_first(&self, mut received: Received, info: BuildInfo) -> Result<WriteStats, WriteError> {
        let written = received.files.len();
        write_marker(&self.scratch, &Manifest::to_text(info, &mut received.files))?;
        let out_dir = &self.out_dir;
        if out_dir.exists() {
            // An empty folder: set it aside, swap, then delete it.
            let backup = sibling(out_dir, "maillage-previous");
            fs::rename(out_dir, &backup).map_err(io_err("déplacement de", out_dir))?;
            if let Err(source) = fs::rename(&self.scratch, out_dir) {
                let _ = fs::rename(&backup, out_dir);
                return Err(WriteError::Io { action: "remplacement de", path: out_dir.clone(), source });
            }
            fs::remove_dir_all(&backup).map_err(io_err("suppression de", &backup))?;
        } else {
            fs::rename(&self.scratch, out_dir).map_err(io_err("création de", out_dir))?;
        }
        Ok(WriteStats { written, unchanged: 0, removed: 0 })
    }

    /// Stale files go first (a stale file may stand where a folder is now needed), then pending
    /// files are renamed into place.
    fn commit_in_place(&self, mut received: Received, info: BuildInfo) -> Result<WriteStats, WriteError> {
        let out_dir = &self.out_dir;
        let fresh: HashSet<&str> = received.files.iter().map(|(p, _)| p.as_str()).collect();
        let stale: Vec<PathBuf> = walkdir::WalkDir::new(out_dir)
            .into_iter()
            .filter_entry(|e| e.path() != self.scratch)
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir() && e.path() != out_dir.join(MARKER))
            .filter(|e| {
                e.path()
                    .strip_prefix(out_dir)
                    .is_ok_and(|p| !fresh.contains(crate::diagnostic::display_path(p).as_str()))
            })
            .map(walkdir::DirEntry::into_path)
            .collect();
        if !stale.is_empty() || !received.pending.is_empty() {
            // The folder is about to change: until the new manifest is written, it promises nothing.
            write_marker(out_dir, MARKER_HEADER)?;
        }
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
        received.pending.par_iter().try_for_each(|(tmp, rel)| {
            let target = out_dir.join(rel);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
            }
            fs::rename(tmp, &target).map_err(io_err("remplacement de", &target))
        })?;
        fs::remove_dir_all(&self.scratch).map_err(io_err("suppression de", &self.scratch))?;
        write_marker(out_dir, &Manifest::to_text(info, &mut received.files))?;
        Ok(WriteStats { written: received.pending.len(), unchanged: received.unchanged, removed: stale.len() })
    }
}

impl OutputSink for Writer {
    type Error = WriteError;

    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        check_relative(&file.path)?;
        let hash = of_bytes(&file.bytes);
        let size = file.bytes.len() as u64;
        if !self.in_place {
            let target = self.scratch.join(&file.path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
            }
            let mtime = write_file(&target, &file.bytes)?;
            self.received().files.push((file.path, FileEntry { size, mtime, hash }));
            return Ok(());
        }
        if let Some(mtime) = self.same_on_disk(&file, &self.out_dir.join(&file.path), hash) {
            let mut received = self.received();
            received.unchanged += 1;
            received.files.push((file.path, FileEntry { size, mtime, hash }));
            return Ok(());
        }
        let tmp = self.scratch.join(self.next_name.fetch_add(1, Ordering::Relaxed).to_string());
        let mtime = write_file(&tmp, &file.bytes)?;
        let mut received = self.received();
        received.pending.push((tmp, file.path.clone()));
        received.files.push((file.path, FileEntry { size, mtime, hash }));
        Ok(())
    }
}

impl Drop for Writer {
    /// Without a commit, what was written goes: the previous output stays as it was.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.scratch);
        }
    }
}

/// Writes a whole set of files into `out_dir` (no fingerprint: the next build runs in full).
pub fn write(outputs: &[OutputFile], out_dir: &Path) -> Result<WriteStats, WriteError> {
    let writer = Writer::open(out_dir, Manifest::read(out_dir))?;
    outputs.par_iter().try_for_each(|o| writer.put(o.clone()))?;
    let pages = outputs.iter().filter(|o| o.path.ends_with(".html")).count();
    writer.commit(BuildInfo { fingerprint: None, pages, warnings: 0 })
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
        assert!(!dir.join(PENDING).exists());
        assert!(!sibling(&dir, "maillage-staging").exists());
    }

    #[test]
    fn a_file_can_replace_a_folder_and_the_reverse() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        write(&[out("a/b.txt", "1"), out("c", "2")], &dir).unwrap();
        let stats = write(&[out("a", "3"), out("c/d.txt", "4")], &dir).unwrap();
        assert_eq!(stats, WriteStats { written: 2, unchanged: 0, removed: 2 });
        assert_eq!(fs::read_to_string(dir.join("a")).unwrap(), "3");
        assert_eq!(fs::read_to_string(dir.join("c/d.txt")).unwrap(), "4");
    }

    #[test]
    fn nothing_changes_before_the_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        write(&[out("index.html", "a")], &dir).unwrap();
        let marker = fs::read(dir.join(MARKER)).unwrap();
        let writer = Writer::open(&dir, Manifest::read(&dir)).unwrap();
        writer.put(out("index.html", "b")).unwrap();
        writer.put(out("nouveau/index.html", "c")).unwrap();
        drop(writer);
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "a");
        assert!(!dir.join("nouveau").exists());
        assert!(!dir.join(PENDING).exists());
        assert_eq!(fs::read(dir.join(MARKER)).unwrap(), marker);

        // A first build that fails leaves no folder at all.
        let other = tmp.path().join("autre");
        let writer = Writer::open(&other, Manifest::default()).unwrap();
        writer.put(out("index.html", "b")).unwrap();
        drop(writer);
        assert!(!other.exists());
        assert!(!sibling(&other, "maillage-staging").exists());
    }

    #[test]
    fn the_manifest_round_trips_and_damage_reads_as_empty() {
        let mut files = vec![
            ("b c/index.html".to_string(), FileEntry { size: 3, mtime: -5, hash: 7 }),
            ("a\\x\ny".to_string(), FileEntry { size: 0, mtime: 1_600_000_000_000_000_001, hash: u64::MAX }),
        ];
        let info = BuildInfo { fingerprint: Some(42), pages: 1, warnings: 2 };
        let text = Manifest::to_text(info, &mut files);
        let m = Manifest::parse(&text).unwrap();
        assert_eq!((m.fingerprint, m.pages, m.warnings), (Some(42), 1, 2));
        assert_eq!(m.files, files.iter().cloned().collect::<HashMap<_, _>>());
        assert_eq!(Manifest::parse(MARKER_HEADER), None);
        assert_eq!(Manifest::parse(&text.replace(" 3 -5 ", " 3 x ")), None);
        assert_eq!(Manifest::parse(&text.replace("1 2\n", "1\n")), None);
        let none = Manifest::to_text(BuildInfo::default(), &mut []);
        assert_eq!(Manifest::parse(&none).map(|m| m.fingerprint), Some(None));
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
        for bad in ["../x", "/etc/x", "a/../../x", "", MARKER, ".maillage-pending/x"] {
            assert!(matches!(write(&[out(bad, "x")], &tmp.path().join("p")), Err(WriteError::UnsafePath(_))), "{bad}");
        }
    }
}
