//! Watching the site's files: `content/` (content, static files, cpts.yaml…), `templates/` and
//! `themes/`, plus the root itself to notice those folders appearing. The system's events are
//! gathered into batches ([`Events`]) and handed over as [`Changes`]. `--poll` uses polling
//! instead of the system's notifications, for network drives and containers where those do not
//! arrive.
//!
//! A batch is handed over as soon as its writers are done, not after a fixed delay: once every
//! file it names was last closed after writing, renamed or removed, [`Timing::settled`] without
//! a new event is enough (an editor's atomic save — write a temporary file, rename it over the
//! old one — still arrives as one batch, its events a few microseconds apart). A file still open
//! for writing makes it wait for [`Timing::quiet`] without events, so that a save written in
//! several pieces is never read half-written; events that never stop are handed over every
//! [`Timing::longest`].

use super::session::Changes;
use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, MetadataKind, ModifyKind};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Folders under the root whose changes matter, watched recursively when they exist.
const WATCHED: [&str; 3] = [crate::source::CONTENT_DIR, "templates", "themes"];

/// How long a batch waits for more events.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Without new events for this long, a batch whose files were all closed, renamed or removed
    /// is handed over.
    pub settled: Duration,
    /// Without new events for this long, a batch is handed over whatever its files' state (a
    /// writer that keeps a file open, or a polling watcher, which says nothing of writers).
    pub quiet: Duration,
    /// A batch is handed over at the latest this long after its first event.
    pub longest: Duration,
}

impl Timing {
    /// The system's notifications: a closed file is complete.
    pub const NATIVE: Timing = Timing {
        settled: Duration::from_millis(2),
        quiet: Duration::from_millis(20),
        longest: Duration::from_millis(250),
    };
    /// Polling every 300 ms: the changes a scan finds arrive together.
    pub const POLL: Timing = Timing {
        settled: Duration::from_millis(50),
        quiet: Duration::from_millis(50),
        longest: Duration::from_millis(1000),
    };
}

/// One batch of changes, as [`watch_events`] hands it over.
#[derive(Debug, Default, PartialEq)]
pub struct Settled {
    /// The paths changed (created, written, renamed, removed), each once, in order of arrival.
    pub paths: Vec<PathBuf>,
    /// The watcher lost track (queue overflow, an error): everything must be looked at again.
    pub rescan: bool,
}

/// Events that change nothing: opening, reading, closing without writing, access times.
fn is_read_only(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => false,
        EventKind::Access(_) => true,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => true,
        _ => false,
    }
}

/// Events after which a path is complete: its writer closed it, or it was renamed, removed, made
/// a folder, or had its attributes changed. Creating a file or writing it says more may come.
fn is_final(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(_) | ModifyKind::Metadata(_))
            | EventKind::Remove(_)
            | EventKind::Create(CreateKind::Folder)
    )
}

/// The batch being gathered: the paths it names, and those whose last event said more may come.
#[derive(Default)]
pub struct Events {
    settled: Settled,
    seen: HashSet<PathBuf>,
    open: HashSet<PathBuf>,
}

impl Events {
    /// Adds one event from the watcher, keeping the paths `keep` accepts.
    pub fn add(&mut self, event: notify::Result<notify::Event>, keep: &dyn Fn(&Path) -> bool) {
        let event = match event {
            Ok(e) => e,
            Err(_) => {
                self.settled.rescan = true;
                return;
            }
        };
        if event.need_rescan() {
            self.settled.rescan = true;
        }
        if is_read_only(&event.kind) {
            return;
        }
        let done = is_final(&event.kind);
        for path in event.paths {
            if !keep(&path) {
                continue;
            }
            if done {
                self.open.remove(&path);
            } else {
                self.open.insert(path.clone());
            }
            if self.seen.insert(path.clone()) {
                self.settled.paths.push(path);
            }
        }
    }

    /// Whether the batch names nothing yet.
    pub fn is_empty(&self) -> bool {
        self.settled.paths.is_empty() && !self.settled.rescan
    }

    /// How long to wait for another event before handing the batch over.
    pub fn wait(&self, timing: Timing) -> Duration {
        if self.open.is_empty() { timing.settled } else { timing.quiet }
    }

    /// The batch, handed over.
    pub fn take(&mut self) -> Settled {
        self.seen.clear();
        self.open.clear();
        std::mem::take(&mut self.settled)
    }
}

/// Gathers the events of `rx` into batches and calls `on_batch` with each one (in the calling
/// thread), until the watcher sending them is dropped.
pub fn gather(
    rx: Receiver<notify::Result<notify::Event>>,
    timing: Timing,
    keep: impl Fn(&Path) -> bool,
    mut on_batch: impl FnMut(Settled),
) {
    let mut events = Events::default();
    loop {
        let Ok(first) = rx.recv() else { return };
        events.add(first, &keep);
        if events.is_empty() {
            continue;
        }
        let opened = Instant::now();
        let gone = loop {
            let wait = events.wait(timing).min(timing.longest.saturating_sub(opened.elapsed()));
            match rx.recv_timeout(wait) {
                Ok(event) => events.add(event, &keep),
                Err(RecvTimeoutError::Timeout) => break false,
                Err(RecvTimeoutError::Disconnected) => break true,
            }
        };
        on_batch(events.take());
        if gone {
            return;
        }
    }
}

/// The system's watcher, or the polling one.
pub enum SystemWatcher {
    /// Notifications from the system (inotify, FSEvents, ReadDirectoryChanges).
    Native(RecommendedWatcher),
    /// Polling every 300 ms.
    Poll(PollWatcher),
}

impl SystemWatcher {
    /// Starts a watcher whose batches of changes, gathered by [`gather`] in a thread of their
    /// own, go to `on_batch`; paths `keep` refuses are ignored (they neither join nor delay a
    /// batch). Nothing is watched before [`SystemWatcher::watch`].
    pub fn start(
        poll: bool,
        keep: impl Fn(&Path) -> bool + Send + 'static,
        on_batch: impl FnMut(Settled) + Send + 'static,
    ) -> Result<SystemWatcher, notify::Error> {
        let (tx, rx) = mpsc::channel();
        let timing = if poll { Timing::POLL } else { Timing::NATIVE };
        let inner = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
            SystemWatcher::Poll(PollWatcher::new(tx, config)?)
        } else {
            SystemWatcher::Native(RecommendedWatcher::new(tx, notify::Config::default())?)
        };
        std::thread::spawn(move || gather(rx, timing, keep, on_batch));
        Ok(inner)
    }

    /// Watches `path`.
    pub fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), notify::Error> {
        match self {
            SystemWatcher::Native(w) => w.watch(path, mode),
            SystemWatcher::Poll(w) => w.watch(path, mode),
        }
    }
}

/// A running watcher of one site; dropping it stops watching.
pub struct Watcher {
    inner: SystemWatcher,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

/// Whether a path is one the site is made of (not the output folder next to `content/`).
fn is_watched(root: &Path, path: &Path) -> bool {
    match path.strip_prefix(root) {
        Ok(rel) => rel.components().next().is_some_and(|c| WATCHED.iter().any(|w| c.as_os_str() == *w)),
        // Reported under another spelling of the root (symbolic links): let the session decide.
        Err(_) => true,
    }
}

/// What the session is told of a batch.
fn changes(batch: Settled) -> Changes {
    if batch.rescan { Changes::All } else { Changes::Paths(batch.paths) }
}

impl Watcher {
    /// Starts watching the site at `root`, sending each batch of changes to `tx`.
    pub fn start(root: &Path, poll: bool, tx: Sender<Changes>) -> Result<Watcher, notify::Error> {
        let keep_root = root.to_path_buf();
        let inner = SystemWatcher::start(
            poll,
            move |path| is_watched(&keep_root, path),
            move |batch| {
                let _ = tx.send(changes(batch));
            },
        )?;
        let mut w = Watcher { inner, root: root.to_path_buf(), watched: Vec::new() };
        w.inner.watch(root, RecursiveMode::NonRecursive)?;
        w.refresh()?;
        Ok(w)
    }

    /// Starts watching the folders of [`WATCHED`] that appeared since the last call.
    pub fn refresh(&mut self) -> Result<(), notify::Error> {
        for name in WATCHED {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.inner.watch(&dir, RecursiveMode::Recursive)?;
                self.watched.push(dir);
            } else if !dir.is_dir() {
                // Removed: a new folder by that name will need a new watch.
                self.watched.retain(|w| *w != dir);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, Event, RemoveKind, RenameMode};

    fn event(kind: EventKind, paths: &[&str]) -> notify::Result<Event> {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        Ok(e)
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));

    fn all(_: &Path) -> bool {
        true
    }

    #[test]
    fn a_file_still_open_for_writing_waits_for_quiet_and_a_closed_one_does_not() {
        let mut e = Events::default();
        e.add(event(EventKind::Create(CreateKind::File), &["/s/content/a.yaml"]), &all);
        e.add(event(WRITE, &["/s/content/a.yaml"]), &all);
        assert_eq!(e.wait(Timing::NATIVE), Timing::NATIVE.quiet);
        e.add(event(CLOSE, &["/s/content/a.yaml"]), &all);
        assert_eq!(e.wait(Timing::NATIVE), Timing::NATIVE.settled);
        // Written again: open again.
        e.add(event(WRITE, &["/s/content/a.yaml"]), &all);
        assert_eq!(e.wait(Timing::NATIVE), Timing::NATIVE.quiet);
        // An atomic save: the temporary file is closed, then renamed over the file.
        let mut e = Events::default();
        e.add(event(EventKind::Create(CreateKind::File), &["/s/content/.a.yaml.tmp"]), &all);
        e.add(event(WRITE, &["/s/content/.a.yaml.tmp"]), &all);
        e.add(event(CLOSE, &["/s/content/.a.yaml.tmp"]), &all);
        e.add(
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/s/content/.a.yaml.tmp", "/s/content/a.yaml"],
            ),
            &all,
        );
        assert_eq!(e.wait(Timing::NATIVE), Timing::NATIVE.settled);
        assert_eq!(e.take().paths, [PathBuf::from("/s/content/.a.yaml.tmp"), PathBuf::from("/s/content/a.yaml")]);
    }

    #[test]
    fn reads_and_refused_paths_neither_join_nor_hold_a_batch() {
        let mut e = Events::default();
        let keep = |p: &Path| p.starts_with("/s/content");
        e.add(event(EventKind::Access(AccessKind::Read), &["/s/content/a.yaml"]), &keep);
        e.add(event(WRITE, &["/s/public/index.html"]), &keep);
        assert!(e.is_empty());
        e.add(event(EventKind::Remove(RemoveKind::File), &["/s/content/b.yaml"]), &keep);
        e.add(event(EventKind::Remove(RemoveKind::File), &["/s/content/b.yaml"]), &keep);
        assert_eq!(e.wait(Timing::NATIVE), Timing::NATIVE.settled);
        assert_eq!(e.take(), Settled { paths: vec![PathBuf::from("/s/content/b.yaml")], rescan: false });
        assert!(e.is_empty());
        e.add(Err(notify::Error::generic("débordement")), &keep);
        assert!(!e.is_empty());
        assert!(e.take().rescan);
    }

    #[test]
    fn a_save_written_in_two_pieces_is_handed_over_whole() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "nom: Ancien\n").unwrap();
        let (tx, rx) = mpsc::channel();
        let mut watcher = RecommendedWatcher::new(tx, notify::Config::default()).unwrap();
        watcher.watch(dir.path(), RecursiveMode::Recursive).unwrap();
        // Quiet is long: only the file's closing may end the batch early.
        let timing = Timing {
            settled: Duration::from_millis(2),
            quiet: Duration::from_secs(20),
            longest: Duration::from_secs(20),
        };
        let (seen_tx, seen_rx) = mpsc::channel();
        let read = file.clone();
        std::thread::spawn(move || {
            gather(rx, timing, all, |_| {
                let _ = seen_tx.send(std::fs::read_to_string(&read).unwrap_or_default());
            })
        });
        let mut f = std::fs::File::create(&file).unwrap();
        f.write_all(b"nom: Nou").unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        f.write_all(b"veau\n").unwrap();
        drop(f);
        let first = seen_rx.recv_timeout(Duration::from_secs(15)).unwrap();
        assert_eq!(first, "nom: Nouveau\n");
        drop(watcher);
    }

    #[test]
    fn events_that_never_stop_are_handed_over_every_longest() {
        let (tx, rx) = mpsc::channel();
        let timing = Timing {
            settled: Duration::from_millis(1),
            quiet: Duration::from_millis(50),
            longest: Duration::from_millis(100),
        };
        let writer = std::thread::spawn(move || {
            // A file kept open and written every 10 ms for a second: never quiet.
            for _ in 0..100 {
                if tx.send(event(WRITE, &["/s/content/log.yaml"])).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        let mut batches = 0;
        gather(rx, timing, all, |b| {
            assert_eq!(b.paths, [PathBuf::from("/s/content/log.yaml")]);
            batches += 1;
        });
        writer.join().unwrap();
        // About ten in a second; not one at the end, not one per event.
        assert!((3..=30).contains(&batches), "{batches} lots");
    }
}
