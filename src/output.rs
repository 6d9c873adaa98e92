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
//! and compared.
//!
//! **Maillage touches only what it wrote.** A file of the output folder is Maillage's when the
//! manifest lists it with the hash of its bytes: only such a file is replaced or deleted. (The
//! dev server's [`Updater`] also owns, without reading them back, the files this very process
//! wrote that still have the size and date it gave them.) Any
//! other — added by hand, changed since, or in a folder whose marker was copied from elsewhere or
//! forged — stays where it is: a stale one is left in place (and counted), and a build that would
//! have to replace one, or to write through a symbolic link, stops with its name before anything
//! changed. While a commit changes the folder, the marker lists the previous and the new version
//! of each file, so a build killed in the middle leaves a folder the next one still recognises.
//! (The hashes are [`crate::fingerprint`]'s: they guard against mistakes, not against someone who
//! can write the marker, who could as well delete the files.)
//!
//! **Temporary folders** (the pending folder, the staging folder) hold a lock file, locked while
//! the process that made them runs. [`clean_leftovers`], called at the start of every command,
//! removes the ones whose lock nobody holds: those of a build that was killed.
//!
//! The output folder can be neither inside the site's content, static files, templates or themes,
//! nor hold one of them ([`check_layout`]).

use crate::diagnostic::display_path;
use crate::fingerprint::{PartsFingerprint, nanos, of_bytes};
use crate::limits::{MAX_MANIFEST_BYTES, read_file, read_text};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

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
pub const PENDING: &str = ".maillage-pending";

/// File inside a temporary folder, locked by the process that uses the folder.
const LOCK: &str = ".verrou";

/// A temporary folder without its lock file (a process killed between creating the folder and
/// its lock) is abandoned once this old.
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

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
    /// A file Maillage did not write, or that changed since, or a symbolic link, stands where the
    /// build writes.
    #[error(
        "{0} n’a pas été écrit par Maillage, ou a été modifié depuis : il n’est ni remplacé ni supprimé, et le site précédent reste tel quel ; déplacez-le hors du dossier de sortie, puis reconstruisez"
    )]
    Foreign(PathBuf),
    /// Another Maillage command is writing into the same output folder.
    #[error("une autre commande de Maillage écrit en ce moment dans {0} : attendez qu’elle se termine")]
    Busy(PathBuf),
    /// The output folder and a folder of the site contain one another.
    #[error("{0}")]
    Overlap(String),
    /// An output path would leave the output folder.
    #[error("chemin de sortie refusé : {0}")]
    UnsafePath(String),
    /// A file-system operation failed.
    #[error("{action} {path} : {}", crate::french::io_error(.source))]
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
    /// Files the site no longer has that Maillage did not write (or that changed since): left
    /// in place.
    pub kept: usize,
}

/// Where rendered files go, one at a time, from any rendering thread, as soon as each is ready.
pub trait OutputSink: Sync {
    /// What can go wrong taking a file.
    type Error: Send;
    /// Takes one file; an error stops the rendering.
    fn put(&self, file: OutputFile) -> Result<(), Self::Error>;

    /// Takes the file at `path` made of `parts`, in order (the open directory: 9 MB of JSON at
    /// 10 000 members, 90 MB at 100 000). A sink that writes writes each part as it comes, so
    /// that the whole file is never in memory; by default, the parts are joined and [`put`].
    ///
    /// [`put`]: OutputSink::put
    fn put_parts(&self, path: String, parts: &mut dyn Iterator<Item = Vec<u8>>) -> Result<(), Self::Error> {
        let mut bytes = Vec::new();
        for part in parts {
            bytes.extend_from_slice(&part);
        }
        self.put(OutputFile { path, bytes })
    }
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

    /// The parts are not even made: making them reports nothing.
    fn put_parts(&self, _: String, _: &mut dyn Iterator<Item = Vec<u8>>) -> Result<(), Infallible> {
        Ok(())
    }
}

fn io_err<'p>(action: &'static str, path: &'p Path) -> impl FnOnce(io::Error) -> WriteError + 'p {
    move |source| WriteError::Io { action, path: path.to_path_buf(), source }
}

// ── Where the output may be.

/// `path` made absolute, through the links of the part of it that exists, `..` resolved.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else { break };
        rest.push(name.to_os_string());
        existing = parent;
    }
    let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) => {}
            _ => out.push(name),
        }
    }
    out
}

/// Refuses an output folder inside the site's content, static files, templates or themes, or
/// holding one of them: each build would copy the previous one into itself, or Maillage could
/// replace the coordinator's files.
pub fn check_layout(root: &Path, out_dir: &Path) -> Result<(), WriteError> {
    let out = resolved(out_dir);
    let folders = [
        ("content/static", "le dossier des fichiers statiques"),
        ("content", "le dossier du contenu"),
        ("templates", "le dossier des gabarits"),
        ("themes", "le dossier des thèmes"),
    ];
    let folders: Vec<(PathBuf, &str)> = folders.iter().map(|(rel, what)| (resolved(&root.join(rel)), *what)).collect();
    // The most precise folder first when the output is inside; the widest when it holds them.
    if let Some((folder, what)) = folders.iter().find(|(f, _)| out.starts_with(f)) {
        return Err(WriteError::Overlap(format!(
            "le dossier de sortie {} est dans {what} ({}) : chaque construction y recopierait la précédente ; choisissez un dossier de sortie hors de content/, templates/ et themes/ (par défaut : public/, à côté de content/)",
            out_dir.display(),
            folder.display()
        )));
    }
    if let Some((folder, what)) = folders.iter().skip(1).find(|(f, _)| f.starts_with(&out)) {
        return Err(WriteError::Overlap(format!(
            "{what} ({}) est dans le dossier de sortie {} : Maillage pourrait y remplacer ou supprimer vos fichiers ; choisissez un dossier de sortie qui ne contient pas le site (par défaut : public/, à côté de content/)",
            folder.display(),
            out_dir.display()
        )));
    }
    Ok(())
}

// ── Temporary folders.

/// Creates the temporary folder `dir` with its lock file, locked; the lock lasts as long as the
/// returned file is open.
fn create_locked_dir(dir: &Path) -> Result<fs::File, WriteError> {
    fs::create_dir(dir).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => WriteError::Busy(dir.parent().unwrap_or(dir).to_path_buf()),
        _ => WriteError::Io { action: "création de", path: dir.to_path_buf(), source: e },
    })?;
    let lock_path = dir.join(LOCK);
    let lock = fs::File::create(&lock_path).map_err(io_err("création de", &lock_path))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        // Another process is judging the folder abandoned right now.
        Err(fs::TryLockError::WouldBlock) => Err(WriteError::Busy(dir.parent().unwrap_or(dir).to_path_buf())),
        Err(fs::TryLockError::Error(e)) => {
            Err(WriteError::Io { action: "verrouillage de", path: lock_path, source: e })
        }
    }
}

/// Whether the temporary folder `dir` was left by a process that is gone: nobody holds its lock
/// (a lock dies with its process), or it has no lock file and is older than [`ABANDONED_AFTER`].
fn is_abandoned(dir: &Path) -> bool {
    match fs::File::open(dir.join(LOCK)) {
        Ok(lock) => lock.try_lock().is_ok(),
        Err(_) => fs::symlink_metadata(dir)
            .and_then(|m| m.modified())
            .is_ok_and(|t| SystemTime::now().duration_since(t).is_ok_and(|age| age > ABANDONED_AFTER)),
    }
}

fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Removes the temporary folders a killed build left around `out_dir` (its pending folder, the
/// staging folder next to it, the empty folder set aside by a first build), when no running
/// Maillage holds them. Returns what was removed. Called at the start of every command.
pub fn clean_leftovers(out_dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let pending = out_dir.join(PENDING);
    if out_dir.join(MARKER).is_file() && is_real_dir(&pending) && is_abandoned(&pending) {
        removed.extend(fs::remove_dir_all(&pending).ok().map(|()| pending));
    }
    let staging = sibling(out_dir, "maillage-staging");
    let ours = |d: &Path| {
        d.join(MARKER).is_file() || d.join(LOCK).is_file() || fs::read_dir(d).is_ok_and(|mut e| e.next().is_none())
    };
    if is_real_dir(&staging) && ours(&staging) && is_abandoned(&staging) {
        removed.extend(fs::remove_dir_all(&staging).ok().map(|()| staging));
    }
    // Only ever an empty folder: removed only while empty.
    let previous = sibling(out_dir, "maillage-previous");
    if is_real_dir(&previous) && fs::remove_dir(&previous).is_ok() {
        removed.push(previous);
    }
    removed
}

// ── The manifest.

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
/// manifest: the next build then compares files by reading them, and owns none of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Fingerprint of what the build read (see [`crate::build::build`]); `None` when unknown.
    pub fingerprint: Option<u64>,
    /// HTML pages the build produced.
    pub pages: usize,
    /// Warnings the build reported.
    pub warnings: usize,
    files: HashMap<String, FileEntry>,
    /// A second version of some files: during a commit, the marker lists both.
    older: HashMap<String, FileEntry>,
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
    /// The manifest of the output folder `out_dir`; empty when there is none, or it cannot be
    /// read within [`MAX_MANIFEST_BYTES`].
    pub fn read(out_dir: &Path) -> Manifest {
        read_text(&out_dir.join(MARKER), MAX_MANIFEST_BYTES).and_then(|t| Manifest::parse(&t)).unwrap_or_default()
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
        let (mut files, mut older) = (HashMap::new(), HashMap::new());
        for line in lines {
            let mut fields = line.splitn(4, ' ');
            let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
            let size = fields.next()?.parse().ok()?;
            let mtime = fields.next()?.parse().ok()?;
            let path = unescape(fields.next()?)?;
            if let Some(first) = files.insert(path.clone(), FileEntry { size, mtime, hash }) {
                older.insert(path, first);
            }
        }
        Some(Manifest { fingerprint, pages, warnings, files, older })
    }

    fn to_text(info: BuildInfo, files: &mut [(String, FileEntry)]) -> String {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let fingerprint = info.fingerprint.map_or_else(|| "-".to_string(), |f| format!("{f:016x}"));
        let mut text = format!("{MARKER_HEADER}{MANIFEST_TAG} {fingerprint} {} {}\n", info.pages, info.warnings);
        for (path, e) in files.iter() {
            text.push_str(&format!("{:016x} {} {} {}\n", e.hash, e.size, e.mtime, escape(path)));
        }
        text
    }

    /// Every version the manifest records, the older first.
    fn all_entries(&self) -> impl Iterator<Item = (&String, &FileEntry)> {
        self.older.iter().chain(self.files.iter())
    }

    fn entries<'m>(&'m self, path: &str) -> impl Iterator<Item = &'m FileEntry> {
        self.older.get(path).into_iter().chain(self.files.get(path))
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

    /// Whether the file at `full` (`rel` in the output folder), whose metadata is `meta`, is one
    /// Maillage wrote: a regular file (not a link) that the manifest lists at that path with the
    /// hash of its bytes (read and hashed).
    fn owns_read(&self, full: &Path, rel: &str, meta: &fs::Metadata) -> bool {
        if !meta.is_file() || !self.entries(rel).any(|e| e.size == meta.len()) {
            return false;
        }
        read_file(full, meta.len()).is_ok_and(|bytes| {
            let hash = of_bytes(&bytes);
            self.entries(rel).any(|e| e.size == meta.len() && e.hash == hash)
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

/// Writes the marker of `dir` through a temporary file in `scratch` (a folder this process
/// holds, on the same disk), so it is always whole and nothing is left behind if it is killed.
/// Returns its modification date (the file system's clock once the marker is written).
fn write_marker(scratch: &Path, dir: &Path, text: &str) -> Result<Option<i128>, WriteError> {
    let tmp = scratch.join(format!("{MARKER}.tmp"));
    let target = dir.join(MARKER);
    fs::write(&tmp, text).map_err(io_err("écriture de", &tmp))?;
    let clock = fs::metadata(&tmp).and_then(|m| m.modified()).ok().map(nanos);
    fs::rename(&tmp, &target).map_err(io_err("remplacement de", &target))?;
    Ok(clock)
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
        && !path.contains('\\')
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

/// Writes a file part after part, each dropped once written, and returns what [`put_bytes`]
/// knows of a file: its entry in the manifest (size, modification date, hash of its bytes).
///
/// [`put_bytes`]: Writer::put_bytes
fn write_parts(path: &Path, parts: &mut dyn Iterator<Item = Vec<u8>>) -> Result<FileEntry, WriteError> {
    let mut file = fs::File::create(path).map_err(io_err("écriture de", path))?;
    let (mut hash, mut size) = (PartsFingerprint::default(), 0);
    for part in parts {
        file.write_all(&part).map_err(io_err("écriture de", path))?;
        hash.write(&part);
        size += part.len() as u64;
    }
    let modified = file.metadata().and_then(|m| m.modified()).map_err(io_err("lecture de la date de", path))?;
    Ok(FileEntry { size, mtime: nanos(modified), hash: hash.finish() })
}

// ── The writer.

/// Size and modification date (nanoseconds) of each file this process wrote, by path in the
/// output folder, as the file system gave them right after writing: while a file still has
/// both, it is the one written (git's index trusts a file's stat the same way), so it is owned
/// without reading it back. Only [`Updater`] keeps one, for the time of one process: a file
/// written by anyone else, or by an earlier process, is still read and hashed.
type OwnWrites = HashMap<String, (u64, i128)>;

/// The file system's date once it is past `latest`, read from a probe written (then removed)
/// in `scratch`, a folder this process holds: a clock coarser than a write ticks within a few
/// milliseconds. None if it does not.
fn clock_after(scratch: &Path, latest: i128) -> Option<i128> {
    let probe = scratch.join(format!("{MARKER}.horloge"));
    let mut clock = None;
    for _ in 0..50 {
        clock = fs::write(&probe, b"").and_then(|()| fs::metadata(&probe)?.modified()).ok().map(nanos);
        if clock.is_none_or(|c| c > latest) {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = fs::remove_file(&probe);
    clock.filter(|c| *c > latest)
}

/// The entries of `own` that a later write by someone else cannot have the date of: those
/// older than `clock`, a date the file system gave after they were written and before they
/// took their place (a clock coarser than a write, as on older kernels, would give two writes
/// the same date: git calls such entries racy, and reads them back). None without a clock.
fn settled(mut own: OwnWrites, clock: Option<i128>) -> OwnWrites {
    match clock {
        Some(clock) => {
            own.retain(|_, (_, mtime)| *mtime < clock);
            own
        }
        None => OwnWrites::new(),
    }
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
    /// The files written, with their size and date.
    own: OwnWrites,
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
    /// What this process wrote last in the output folder (empty but for an [`Updater`]).
    own: OwnWrites,
    next_name: AtomicUsize,
    received: Mutex<Received>,
    /// Folders of the output already known to be real folders (not links), in place.
    folders: Mutex<HashSet<PathBuf>>,
    /// The scratch folder's lock, held until the commit or the drop.
    lock: Option<fs::File>,
    committed: bool,
}

impl Writer {
    /// Prepares to write into `out_dir`, whose current [`Manifest`] is `previous`. Refuses a
    /// folder that holds files and no marker, and a folder another Maillage is writing into.
    pub fn open(out_dir: &Path, previous: Manifest) -> Result<Writer, WriteError> {
        if !is_ours_or_empty(out_dir)? {
            return Err(WriteError::NotOurs(out_dir.to_path_buf()));
        }
        clean_leftovers(out_dir);
        let in_place = out_dir.join(MARKER).is_file();
        let (scratch, lock) = if in_place {
            let pending = out_dir.join(PENDING);
            let lock = create_locked_dir(&pending)?;
            (pending, lock)
        } else {
            if let Some(parent) = out_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
            }
            let previous = sibling(out_dir, "maillage-previous");
            if previous.exists() {
                return Err(WriteError::NotOurs(previous));
            }
            let staging = sibling(out_dir, "maillage-staging");
            let lock = create_locked_dir(&staging)?;
            write_marker(&staging, &staging, MARKER_HEADER)?;
            (staging, lock)
        };
        Ok(Writer {
            out_dir: out_dir.to_path_buf(),
            scratch,
            in_place,
            previous: if in_place { previous } else { Manifest::default() },
            own: OwnWrites::new(),
            next_name: AtomicUsize::new(0),
            received: Mutex::new(Received::default()),
            folders: Mutex::new(HashSet::new()),
            lock: Some(lock),
            committed: false,
        })
    }

    fn received(&self) -> MutexGuard<'_, Received> {
        self.received.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the file at `full` (`rel` in the output folder) is Maillage's: one this process
    /// wrote and nobody changed since (same size and date, [`OwnWrites`]), else one the manifest
    /// lists with the hash of its bytes (read back).
    fn owns(&self, full: &Path, rel: &str) -> bool {
        let Ok(meta) = fs::symlink_metadata(full) else { return false };
        let written_here =
            meta.is_file() && meta.modified().is_ok_and(|t| self.own.get(rel) == Some(&(meta.len(), nanos(t))));
        written_here || self.previous.owns_read(full, rel, &meta)
    }

    /// The date of the file at `target` when it already holds `bytes`, those of `path`.
    fn same_on_disk(&self, path: &str, bytes: &[u8], target: &Path, hash: u64) -> Option<i128> {
        self.same_on_disk_as(path, target, bytes.len() as u64, hash, |on_disk| on_disk == bytes)
    }

    /// [`same_on_disk`](Self::same_on_disk) for a file of `size` bytes with fingerprint `hash`;
    /// `same` compares its bytes with those of the file on disk, when the manifest cannot tell.
    fn same_on_disk_as(
        &self,
        path: &str,
        target: &Path,
        size: u64,
        hash: u64,
        same: impl FnOnce(&[u8]) -> bool,
    ) -> Option<i128> {
        let meta = fs::symlink_metadata(target).ok().filter(fs::Metadata::is_file)?;
        let mtime = nanos(meta.modified().ok()?);
        if meta.len() != size {
            return None;
        }
        if let Some(e) = self.previous.files.get(path)
            && e.size == meta.len()
            && e.mtime == mtime
        {
            // As the previous build left it: its hash tells.
            return (e.hash == hash).then_some(mtime);
        }
        // Unknown to the manifest, or changed by someone else since: compare the bytes.
        same(&read_file(target, meta.len()).ok()?).then_some(mtime)
    }

    /// Before a new or changed file goes to `rel`: every folder on the way is a real folder (not
    /// a link, which could lead out of the output), and what stands at `rel` or on the way as a
    /// file is Maillage's own (it is replaced or removed at the commit).
    fn check_place(&self, rel: &str) -> Result<(), WriteError> {
        let parts: Vec<&str> = rel.split('/').collect();
        let mut at = self.out_dir.clone();
        for (i, part) in parts.iter().enumerate() {
            at.push(part);
            let last = i + 1 == parts.len();
            if !last && self.folders.lock().unwrap_or_else(PoisonError::into_inner).contains(&at) {
                continue;
            }
            match fs::symlink_metadata(&at) {
                Err(_) => return Ok(()),
                Ok(m) if m.is_dir() => {
                    if !last {
                        self.folders.lock().unwrap_or_else(PoisonError::into_inner).insert(at.clone());
                    }
                }
                Ok(_) if self.owns(&at, &parts[..=i].join("/")) => return Ok(()),
                Ok(_) => return Err(WriteError::Foreign(at)),
            }
        }
        Ok(())
    }

    /// Makes the new output visible: stale files removed and pending files renamed (in place),
    /// or the staging folder swapped in (first build); then the manifest is written.
    pub fn commit(self, info: BuildInfo) -> Result<WriteStats, WriteError> {
        self.commit_own(info).map(|(stats, _)| stats)
    }

    /// [`Writer::commit`], returning also the size and date of each file written.
    fn commit_own(mut self, info: BuildInfo) -> Result<(WriteStats, OwnWrites), WriteError> {
        let mut received = std::mem::take(&mut *self.received());
        let own = std::mem::take(&mut received.own);
        let latest = own.values().map(|(_, mtime)| *mtime).max().unwrap_or_default();
        let clock = if own.is_empty() { None } else { clock_after(&self.scratch, latest) };
        let stats = if self.in_place {
            let stale = self.stale(&received)?;
            self.commit_in_place(received, stale, info)?
        } else {
            self.commit_first(received, info)?
        };
        self.committed = true;
        Ok((stats, settled(own, clock)))
    }

    /// The files of `removed` (paths in the output) to delete: those the manifest owns.
    fn removed_stale(&self, removed: &[String]) -> Stale {
        let mut stale = Stale::default();
        for rel in removed.iter().filter(|r| check_relative(r).is_ok()) {
            let full = self.out_dir.join(rel);
            if self.owns(&full, rel) {
                stale.ours.push(full);
            } else if full.exists() {
                stale.kept += 1;
            }
        }
        stale
    }

    /// [`Writer::commit_update`] without reading or writing the whole manifest: the entries of
    /// the files received are appended to the marker before they take their place (a later
    /// entry for a path is its newer version: meanwhile the marker owns both), and the manifest
    /// kept by the caller is brought up to date. `appended` counts the entries appended since
    /// the marker was last written whole; past the number of files, it is written whole again.
    fn commit_append(
        mut self,
        removed: &[String],
        appended: &mut usize,
    ) -> Result<(WriteStats, Manifest, OwnWrites), WriteError> {
        let mut received = std::mem::take(&mut *self.received());
        let mut own = std::mem::take(&mut self.own);
        let stale = self.removed_stale(removed);
        let out_dir = self.out_dir.clone();
        if !received.pending.is_empty() {
            let mut lines = String::new();
            for (path, e) in &received.files {
                lines.push_str(&format!("{:016x} {} {} {}\n", e.hash, e.size, e.mtime, escape(path)));
            }
            let marker = out_dir.join(MARKER);
            let mut file = fs::OpenOptions::new().append(true).open(&marker).map_err(io_err("écriture de", &marker))?;
            io::Write::write_all(&mut file, lines.as_bytes()).map_err(io_err("écriture de", &marker))?;
            let latest = received.own.values().map(|(_, mtime)| *mtime).max().unwrap_or_default();
            let clock = clock_after(&self.scratch, latest);
            own.retain(|path, _| !received.own.contains_key(path));
            own.extend(settled(std::mem::take(&mut received.own), clock));
            *appended += received.files.len();
        }
        place(&out_dir, &received.pending, &stale)?;
        let mut manifest = std::mem::take(&mut self.previous);
        manifest.older.clear();
        for path in &stale.ours {
            if let Ok(rel) = path.strip_prefix(&out_dir) {
                let rel = display_path(rel);
                manifest.files.remove(&rel);
                own.remove(&rel);
            }
        }
        manifest.files.extend(received.files);
        if *appended > manifest.files.len() {
            let info = BuildInfo { fingerprint: None, pages: manifest.pages, warnings: manifest.warnings };
            let mut files: Vec<(String, FileEntry)> = manifest.files.iter().map(|(p, e)| (p.clone(), *e)).collect();
            write_marker(&self.scratch, &out_dir, &Manifest::to_text(info, &mut files))?;
            *appended = 0;
        }
        drop(self.lock.take());
        fs::remove_dir_all(&self.scratch).map_err(io_err("suppression de", &self.scratch))?;
        self.committed = true;
        let stats = WriteStats {
            written: received.pending.len(),
            unchanged: received.unchanged,
            removed: stale.ours.len(),
            kept: stale.kept,
        };
        Ok((stats, manifest, own))
    }

    fn commit_first(&mut self, mut received: Received, info: BuildInfo) -> Result<WriteStats, WriteError> {
        let written = received.files.len();
        write_marker(&self.scratch, &self.scratch, &Manifest::to_text(info, &mut received.files))?;
        // The lock file goes before the swap: a folder without lock file is abandoned only when
        // old, and this one was just changed.
        drop(self.lock.take());
        let lock_path = self.scratch.join(LOCK);
        fs::remove_file(&lock_path).map_err(io_err("suppression de", &lock_path))?;
        let out_dir = &self.out_dir;
        if out_dir.exists() {
            // An empty folder: set it aside, swap, then delete it.
            let backup = sibling(out_dir, "maillage-previous");
            fs::rename(out_dir, &backup).map_err(io_err("déplacement de", out_dir))?;
            if let Err(source) = fs::rename(&self.scratch, out_dir) {
                let _ = fs::rename(&backup, out_dir);
                return Err(WriteError::Io { action: "remplacement de", path: out_dir.clone(), source });
            }
            fs::remove_dir(&backup).map_err(io_err("suppression de", &backup))?;
        } else {
            fs::rename(&self.scratch, out_dir).map_err(io_err("création de", out_dir))?;
        }
        Ok(WriteStats { written, unchanged: 0, removed: 0, kept: 0 })
    }

    /// The files of the output folder the new build does not have: Maillage's, to remove, and
    /// the count of the others, left in place.
    fn stale(&self, received: &Received) -> Result<Stale, WriteError> {
        let out_dir = &self.out_dir;
        let fresh: HashSet<&str> = received.files.iter().map(|(p, _)| p.as_str()).collect();
        let marker = out_dir.join(MARKER);
        let mut stale = Stale::default();
        for entry in walkdir::WalkDir::new(out_dir)
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| e.path() != self.scratch && e.path() != marker)
        {
            let entry = entry.map_err(|e| WriteError::Io {
                action: "lecture de",
                path: e.path().unwrap_or(out_dir).to_path_buf(),
                source: e.into(),
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(out_dir).map(display_path) else { continue };
            if fresh.contains(rel.as_str()) {
                continue;
            }
            if self.owns(entry.path(), &rel) {
                stale.ours.push(entry.into_path());
            } else {
                stale.kept += 1;
            }
        }
        Ok(stale)
    }

    fn commit_in_place(
        &mut self,
        mut received: Received,
        stale: Stale,
        info: BuildInfo,
    ) -> Result<WriteStats, WriteError> {
        let files = std::mem::take(&mut received.files);
        self.apply(received.pending, stale, files, info, received.unchanged)
    }

    /// Stale files go first (a stale file may stand where a folder is now needed), then pending
    /// files are renamed into place; the marker lists both versions of each file meanwhile.
    fn apply(
        &mut self,
        pending: Vec<(PathBuf, String)>,
        stale: Stale,
        mut files: Vec<(String, FileEntry)>,
        info: BuildInfo,
        unchanged: usize,
    ) -> Result<WriteStats, WriteError> {
        let out_dir = self.out_dir.clone();
        if !stale.ours.is_empty() || !pending.is_empty() {
            // Until the new manifest is written, the marker promises nothing (no fingerprint) and
            // owns both versions of every file.
            let mut both: Vec<(String, FileEntry)> =
                self.previous.all_entries().map(|(p, e)| (p.clone(), *e)).chain(files.iter().cloned()).collect();
            write_marker(&self.scratch, &out_dir, &Manifest::to_text(BuildInfo::default(), &mut both))?;
        }
        place(&out_dir, &pending, &stale)?;
        write_marker(&self.scratch, &out_dir, &Manifest::to_text(info, &mut files))?;
        drop(self.lock.take());
        fs::remove_dir_all(&self.scratch).map_err(io_err("suppression de", &self.scratch))?;
        Ok(WriteStats { written: pending.len(), unchanged, removed: stale.ours.len(), kept: stale.kept })
    }
}

/// Removes the `stale` files of `out_dir` (and the folders they leave empty), then moves each
/// `pending` file (temporary path, path in the output) to its place.
fn place(out_dir: &Path, pending: &[(PathBuf, String)], stale: &Stale) -> Result<(), WriteError> {
    for path in &stale.ours {
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
    pending.par_iter().try_for_each(|(tmp, rel)| {
        let target = out_dir.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
        }
        fs::rename(tmp, &target).map_err(io_err("remplacement de", &target))
    })
}

/// What a commit removes, and how many files it leaves although the site no longer has them.
#[derive(Debug, Default)]
struct Stale {
    ours: Vec<PathBuf>,
    kept: usize,
}

impl OutputSink for Writer {
    type Error = WriteError;

    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.put_bytes(file.path, &file.bytes)
    }

    /// Writes each part as it comes: into the new output, or in place into a temporary file,
    /// which goes at once if the folder already holds the same bytes.
    fn put_parts(&self, path: String, parts: &mut dyn Iterator<Item = Vec<u8>>) -> Result<(), WriteError> {
        check_relative(&path)?;
        if !self.in_place {
            let entry = write_parts(&self.in_scratch(&path)?, parts)?;
            self.received().written(path, entry, None);
            return Ok(());
        }
        let tmp = self.temporary();
        let entry = write_parts(&tmp, parts)?;
        let same = |on_disk: &[u8]| read_file(&tmp, entry.size).is_ok_and(|written| written == on_disk);
        if let Some(mtime) = self.same_on_disk_as(&path, &self.out_dir.join(&path), entry.size, entry.hash, same) {
            fs::remove_file(&tmp).map_err(io_err("suppression de", &tmp))?;
            self.received().unchanged(path, FileEntry { mtime, ..entry });
            return Ok(());
        }
        self.check_place(&path)?;
        self.received().written(path, entry, Some(tmp));
        Ok(())
    }
}

impl Writer {
    /// [`OutputSink::put`] of the file at `path` holding `bytes`, borrowed: the dev server
    /// writes the bytes it serves (tens of megabytes for a large directory's open data) without
    /// copying them.
    fn put_bytes(&self, path: String, bytes: &[u8]) -> Result<(), WriteError> {
        check_relative(&path)?;
        let hash = of_bytes(bytes);
        let size = bytes.len() as u64;
        if !self.in_place {
            let mtime = write_file(&self.in_scratch(&path)?, bytes)?;
            self.received().written(path, FileEntry { size, mtime, hash }, None);
            return Ok(());
        }
        if let Some(mtime) = self.same_on_disk(&path, bytes, &self.out_dir.join(&path), hash) {
            self.received().unchanged(path, FileEntry { size, mtime, hash });
            return Ok(());
        }
        self.check_place(&path)?;
        let tmp = self.temporary();
        let mtime = write_file(&tmp, bytes)?;
        self.received().written(path, FileEntry { size, mtime, hash }, Some(tmp));
        Ok(())
    }

    /// Where the file at `path` of a new output goes (first build), its folders made.
    fn in_scratch(&self, path: &str) -> Result<PathBuf, WriteError> {
        let target = self.scratch.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_err("création de", parent))?;
        }
        Ok(target)
    }

    /// A new temporary name in the pending folder, for a file written in place.
    fn temporary(&self) -> PathBuf {
        self.scratch.join(self.next_name.fetch_add(1, Ordering::Relaxed).to_string())
    }
}

impl Received {
    /// The file at `path` was written (at `tmp` in the pending folder, in place).
    fn written(&mut self, path: String, entry: FileEntry, tmp: Option<PathBuf>) {
        if let Some(tmp) = tmp {
            self.pending.push((tmp, path.clone()));
        }
        self.own.insert(path.clone(), (entry.size, entry.mtime));
        self.files.push((path, entry));
    }

    /// The file at `path` is already in the output folder, as it is.
    fn unchanged(&mut self, path: String, entry: FileEntry) {
        self.unchanged += 1;
        self.files.push((path, entry));
    }
}

impl Drop for Writer {
    /// Without a commit, what was written goes: the previous output stays as it was.
    fn drop(&mut self) {
        if !self.committed {
            drop(self.lock.take());
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

/// The dev server's output folder once written whole ([`write`]): its manifest is kept in
/// memory between updates, so that an update costs what it writes, not what the folder holds
/// (reading and writing the manifest of 100 000 files took more than a second per save).
#[derive(Debug)]
pub struct Updater {
    out_dir: PathBuf,
    manifest: Manifest,
    /// What this process wrote in the folder, to own it without reading it back.
    own: OwnWrites,
    /// Entries appended to the marker since it was last written whole.
    appended: usize,
}

impl Updater {
    /// Takes over `out_dir`, reading its manifest once.
    pub fn open(out_dir: &Path) -> Updater {
        Updater {
            out_dir: out_dir.to_path_buf(),
            manifest: Manifest::read(out_dir),
            own: OwnWrites::new(),
            appended: 0,
        }
    }

    /// Writes a whole set of files into `out_dir` as [`write`] does, then takes the folder over,
    /// remembering what it wrote.
    pub fn write_all(files: &[(&str, &[u8])], out_dir: &Path) -> Result<Updater, WriteError> {
        let writer = Writer::open(out_dir, Manifest::read(out_dir))?;
        files.par_iter().try_for_each(|(path, bytes)| writer.put_bytes((*path).to_string(), bytes))?;
        let pages = files.iter().filter(|(path, _)| path.ends_with(".html")).count();
        let (_, own) = writer.commit_own(BuildInfo { fingerprint: None, pages, warnings: 0 })?;
        Ok(Updater { own, ..Updater::open(out_dir) })
    }

    /// Writes `files` (path in the output, bytes) in place and removes `removed`, leaving every
    /// other file as it is: the dev server's update after a save. The same rules as a build:
    /// only Maillage's own files are replaced or removed, each file appears whole, and the
    /// manifest follows.
    pub fn update(&mut self, files: &[(&str, &[u8])], removed: &[String]) -> Result<WriteStats, WriteError> {
        let result = self.try_update(files, removed);
        if result.is_err() {
            // The manifest went with the writer: what the marker says is the truth again.
            self.manifest = Manifest::read(&self.out_dir);
            self.appended = 0;
        }
        result
    }

    fn try_update(&mut self, files: &[(&str, &[u8])], removed: &[String]) -> Result<WriteStats, WriteError> {
        if !self.out_dir.join(MARKER).is_file() {
            return Err(WriteError::NotOurs(self.out_dir.clone()));
        }
        let mut writer = Writer::open(&self.out_dir, std::mem::take(&mut self.manifest))?;
        writer.own = std::mem::take(&mut self.own);
        // In parallel: a save of a large site writes its directory's open data, tens of
        // megabytes, beside its pages.
        files.par_iter().try_for_each(|(path, bytes)| writer.put_bytes((*path).to_string(), bytes))?;
        let (stats, manifest, own) = writer.commit_append(removed, &mut self.appended)?;
        self.manifest = manifest;
        self.own = own;
        Ok(stats)
    }
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
        assert_eq!(first, WriteStats { written: 3, unchanged: 0, removed: 0, kept: 0 });
        let second = write(&[out("index.html", "a"), out("x/index.html", "B")], &dir).unwrap();
        assert_eq!(second, WriteStats { written: 1, unchanged: 1, removed: 1, kept: 0 });
        assert_eq!(fs::read_to_string(dir.join("x/index.html")).unwrap(), "B");
        assert!(!dir.join("old.txt").exists());
        assert!(!dir.join(PENDING).exists());
        assert!(!sibling(&dir, "maillage-staging").exists());
    }

    #[test]
    fn updates_appended_to_the_marker_leave_every_file_owned() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        write(&[out("index.html", "a"), out("x/index.html", "b"), out("y/index.html", "c")], &dir).unwrap();
        let mut updater = Updater::open(&dir);
        // Five saves of one page: the marker is written whole again once the entries appended
        // outnumber the files.
        for i in 0..5 {
            let stats = updater.update(&[("x/index.html", format!("b{i}").as_bytes())], &[]).unwrap();
            assert_eq!(stats.written, 1);
        }
        let stats = updater.update(&[("z/index.html", b"d")], &["y/index.html".to_string()]).unwrap();
        assert_eq!((stats.written, stats.removed), (1, 1));
        assert_eq!(fs::read_to_string(dir.join("x/index.html")).unwrap(), "b4");
        assert!(!dir.join("y").exists());
        let on_disk = Manifest::read(&dir);
        for (path, entry) in &updater.manifest.files {
            assert_eq!(on_disk.files.get(path), Some(entry), "{path}");
        }
        // A full build owns, and so removes, what the updates wrote.
        let stats = write(&[out("index.html", "a")], &dir).unwrap();
        assert_eq!((stats.removed, stats.kept), (2, 0));
        assert!(!dir.join("x").exists() && !dir.join("z").exists());
    }

    /// Writes `files` into `dir`, each in the parts given, as a build writes the open directory;
    /// `known` says whether the writer knows the folder's manifest.
    fn write_in_parts(files: &[(&str, &[&str])], dir: &Path, known: bool) -> Result<WriteStats, WriteError> {
        let writer = Writer::open(dir, if known { Manifest::read(dir) } else { Manifest::default() })?;
        for (path, parts) in files {
            let mut parts = parts.iter().map(|p| p.as_bytes().to_vec());
            writer.put_parts((*path).to_string(), &mut parts)?;
        }
        writer.commit(BuildInfo { fingerprint: None, pages: 0, warnings: 0 })
    }

    #[test]
    fn a_file_written_in_parts_is_the_parts_joined_and_kept_when_unchanged() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let path = "donnees/annuaire.json";
        let first = write_in_parts(&[(path, &["[", "\n{\"a\":1},", "\n{\"b\":2}\n]\n"])], &dir, true).unwrap();
        assert_eq!(first, WriteStats { written: 1, unchanged: 0, removed: 0, kept: 0 });
        let joined = "[\n{\"a\":1},\n{\"b\":2}\n]\n";
        assert_eq!(fs::read_to_string(dir.join(path)).unwrap(), joined);
        // The manifest holds the fingerprint of the whole file, as for a file given whole.
        let entry = Manifest::read(&dir).files.get(path).copied().unwrap();
        assert_eq!((entry.size, entry.hash), (joined.len() as u64, of_bytes(joined.as_bytes())));
        // The same bytes, cut elsewhere: kept, known by the manifest, or by reading the file back.
        let cut_elsewhere: &[&str] = &["[\n{\"a\"", ":1},\n{\"b\":2}\n]", "\n"];
        for known in [true, false] {
            let same = write_in_parts(&[(path, cut_elsewhere)], &dir, known).unwrap();
            assert_eq!(same, WriteStats { written: 0, unchanged: 1, removed: 0, kept: 0 }, "manifeste lu : {known}");
        }
        // Other bytes of the same size: refused over a file the writer does not know it wrote,
        // written in place over its own, and nothing is left in the pending folder.
        let other: &[&str] = &["[\n{\"a\":3},", "\n{\"b\":2}\n]\n"];
        assert!(matches!(write_in_parts(&[(path, other)], &dir, false), Err(WriteError::Foreign(_))));
        assert_eq!(fs::read_to_string(dir.join(path)).unwrap(), joined);
        let changed = write_in_parts(&[(path, other)], &dir, true).unwrap();
        assert_eq!(changed, WriteStats { written: 1, unchanged: 0, removed: 0, kept: 0 });
        assert_eq!(fs::read_to_string(dir.join(path)).unwrap(), joined.replace(":1}", ":3}"));
        assert!(!dir.join(PENDING).exists());
    }

    #[test]
    fn a_file_can_replace_a_folder_and_the_reverse() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        write(&[out("a/b.txt", "1"), out("c", "2")], &dir).unwrap();
        let stats = write(&[out("a", "3"), out("c/d.txt", "4")], &dir).unwrap();
        assert_eq!(stats, WriteStats { written: 2, unchanged: 0, removed: 2, kept: 0 });
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

    #[test]
    fn a_forged_or_copied_marker_deletes_and_replaces_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("docs");
        fs::create_dir_all(dir.join("sous")).unwrap();
        fs::write(dir.join("precieux.txt"), "à garder").unwrap();
        fs::write(dir.join("sous/notes.txt"), "à garder aussi").unwrap();
        // A marker with no manifest: nothing is Maillage's.
        fs::write(dir.join(MARKER), MARKER_HEADER).unwrap();
        let stats = write(&[out("index.html", "a")], &dir).unwrap();
        assert_eq!(stats, WriteStats { written: 1, unchanged: 0, removed: 0, kept: 2 });
        assert_eq!(fs::read_to_string(dir.join("precieux.txt")).unwrap(), "à garder");
        assert_eq!(fs::read_to_string(dir.join("sous/notes.txt")).unwrap(), "à garder aussi");

        // A marker copied from another output, listing these very paths with other contents.
        let elsewhere = tmp.path().join("ailleurs");
        write(&[out("precieux.txt", "autre"), out("sous/notes.txt", "autre"), out("index.html", "a")], &elsewhere)
            .unwrap();
        fs::copy(elsewhere.join(MARKER), dir.join(MARKER)).unwrap();
        let stats = write(&[out("index.html", "a")], &dir).unwrap();
        assert_eq!((stats.removed, stats.kept), (0, 2));
        assert_eq!(fs::read_to_string(dir.join("precieux.txt")).unwrap(), "à garder");
        // … and a build that would replace one of them stops, naming it, before any change.
        let err = write(&[out("index.html", "b"), out("precieux.txt", "écrasé")], &dir).unwrap_err();
        assert!(matches!(&err, WriteError::Foreign(p) if p.ends_with("precieux.txt")), "{err}");
        assert_eq!(fs::read_to_string(dir.join("precieux.txt")).unwrap(), "à garder");
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "a");
        assert!(!dir.join(PENDING).exists());
    }

    #[test]
    fn files_changed_by_hand_are_neither_replaced_nor_deleted() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        write(&[out("index.html", "a"), out("vieux.html", "v")], &dir).unwrap();
        fs::write(dir.join("vieux.html"), "retouché").unwrap();
        let stats = write(&[out("index.html", "a")], &dir).unwrap();
        assert_eq!((stats.removed, stats.kept), (0, 1));
        assert_eq!(fs::read_to_string(dir.join("vieux.html")).unwrap(), "retouché");
        fs::write(dir.join("index.html"), "retouché").unwrap();
        assert!(matches!(write(&[out("index.html", "b")], &dir), Err(WriteError::Foreign(_))));
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "retouché");
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let elsewhere = tmp.path().join("ailleurs");
        fs::create_dir_all(&elsewhere).unwrap();
        write(&[out("index.html", "a")], &dir).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("annuaire")).unwrap();
        let err = write(&[out("index.html", "a"), out("annuaire/x/index.html", "x")], &dir).unwrap_err();
        assert!(matches!(&err, WriteError::Foreign(p) if p.ends_with("annuaire")), "{err}");
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
        // A stale link is not Maillage's either: it stays.
        assert_eq!(write(&[out("index.html", "a")], &dir).unwrap().kept, 1);
        assert!(dir.join("annuaire").symlink_metadata().unwrap().is_symlink());
    }

    #[test]
    fn both_versions_are_owned_while_a_commit_runs() {
        let mut files = vec![
            ("a".to_string(), FileEntry { size: 1, mtime: 1, hash: of_bytes(b"1") }),
            ("a".to_string(), FileEntry { size: 1, mtime: 2, hash: of_bytes(b"2") }),
        ];
        let m = Manifest::parse(&Manifest::to_text(BuildInfo::default(), &mut files)).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        for (bytes, ours) in [("1", true), ("2", true), ("3", false)] {
            let path = tmp.path().join("a");
            fs::write(&path, bytes).unwrap();
            assert_eq!(m.owns_read(&path, "a", &fs::symlink_metadata(&path).unwrap()), ours, "{bytes}");
        }
    }

    #[test]
    fn leftovers_of_a_killed_build_go_unless_their_owner_runs() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        write(&[out("index.html", "a")], &dir).unwrap();
        // Left by a killed build: the lock file is there, nobody holds it.
        let pending = dir.join(PENDING);
        fs::create_dir(&pending).unwrap();
        fs::write(pending.join(LOCK), "").unwrap();
        fs::write(pending.join("0"), "demi-fichier").unwrap();
        let staging = sibling(&dir, "maillage-staging");
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join(MARKER), MARKER_HEADER).unwrap();
        fs::write(staging.join(LOCK), "").unwrap();
        assert_eq!(clean_leftovers(&dir), [pending.clone(), staging.clone()]);
        assert!(!pending.exists() && !staging.exists());

        // Held by a running build: left alone, and a second build waits its turn.
        let held = create_locked_dir(&pending).unwrap();
        assert!(clean_leftovers(&dir).is_empty());
        assert!(pending.exists());
        assert!(matches!(Writer::open(&dir, Manifest::read(&dir)), Err(WriteError::Busy(_))));
        drop(held);
        assert_eq!(write(&[out("index.html", "b")], &dir).unwrap().written, 1);
        assert!(!pending.exists());

        // A folder named like ours elsewhere, without a marker, is not touched.
        let foreign = tmp.path().join("autre");
        fs::create_dir_all(foreign.join(PENDING)).unwrap();
        assert!(clean_leftovers(&foreign).is_empty());
        assert!(foreign.join(PENDING).exists());
    }

    #[test]
    fn what_this_process_wrote_is_owned_by_its_size_and_date_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let mut updater = Updater::write_all(&[("a.txt", b"1234"), ("b.txt", b"5678")], &dir).unwrap();
        assert_eq!(updater.own.len(), 2, "ce que ce processus a écrit est retenu");
        updater.update(&[("a.txt", b"abcd")], &[]).unwrap();
        // Changed by hand with the same size: the date tells, and the bytes are then read.
        fs::write(dir.join("a.txt"), b"wxyz").unwrap();
        assert!(matches!(updater.update(&[("a.txt", b"efgh")], &[]), Err(WriteError::Foreign(_))));
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "wxyz");
        // A new process knows none of it: what it replaces or removes is read and hashed.
        let mut next = Updater::open(&dir);
        assert!(next.own.is_empty());
        next.update(&[], &["b.txt".to_string()]).unwrap();
        assert!(!dir.join("b.txt").exists(), "listé avec son empreinte : il est à Maillage");
    }

    #[test]
    fn updates_write_in_place_and_keep_the_manifest() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        write(&[out("a/b/index.html", "x"), out("c.css", "y")], &dir).unwrap();
        let mut updater = Updater::open(&dir);
        updater.update(&[("c.css", b"z"), ("d.txt", b"d")], &["a/b/index.html".to_string()]).unwrap();
        assert!(!dir.join("a").exists(), "le dossier vidé doit disparaître");
        assert_eq!(fs::read_to_string(dir.join("c.css")).unwrap(), "z");
        let mut names: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, [MARKER, "c.css", "d.txt"], "aucun fichier temporaire ne doit rester");
        // The manifest follows: a build afterwards owns what the update wrote.
        let stats = write(&[out("c.css", "w")], &dir).unwrap();
        assert_eq!(stats, WriteStats { written: 1, unchanged: 0, removed: 1, kept: 0 });
        assert!(matches!(Updater::open(tmp.path()).update(&[("a", b"x")], &[]), Err(WriteError::NotOurs(_))));
        for bad in ["../x", "/etc/x", "a/../../x", "a\\..\\x", ""] {
            assert!(matches!(updater.update(&[(bad, b"x")], &[]), Err(WriteError::UnsafePath(_))), "{bad}");
        }
    }

    #[test]
    fn the_output_never_holds_the_site_nor_sits_in_it() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("content/static")).unwrap();
        fs::create_dir_all(root.join("themes/sobre")).unwrap();
        assert!(check_layout(&root, &root.join("public")).is_ok());
        assert!(check_layout(&root, &tmp.path().join("ailleurs")).is_ok());
        for (output, start) in [
            (root.join("content/public"), "le dossier de sortie"),
            (root.join("content/static/site"), "le dossier de sortie"),
            (root.join("content/static/../static/x"), "le dossier de sortie"),
            (root.join("themes/sobre/public"), "le dossier de sortie"),
            (root.join("templates/x"), "le dossier de sortie"),
            (root.clone(), "le dossier du contenu"),
            (tmp.path().to_path_buf(), "le dossier du contenu"),
        ] {
            let err = check_layout(&root, &output).unwrap_err().to_string();
            assert!(err.starts_with(start), "{}: {err}", output.display());
        }
        let err = check_layout(&root, &root.join("content/static/site")).unwrap_err().to_string();
        assert!(err.contains("dans le dossier des fichiers statiques"), "{err}");
    }
}
