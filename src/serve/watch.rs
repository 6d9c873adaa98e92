//! Watching the site's files: `content/` (content, static files, cpts.yaml…), `templates/` and
//! `themes/`, plus the root itself to notice those folders appearing. Events are debounced (an
//! editor's atomic save — write a temporary file, rename it over the old one — arrives as one
//! batch) and handed over as [`Changes`]. `--poll` uses polling instead of the system's
//! notifications, for network drives and containers where those do not arrive.

use super::session::Changes;
use notify_debouncer_full::notify::{self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Folders under the root whose changes matter, watched recursively when they exist.
const WATCHED: [&str; 3] = [crate::source::CONTENT_DIR, "templates", "themes"];

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    inner: Inner,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

/// Events that change nothing: opening, reading, closing without writing, access times.
fn is_read_only(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => false,
        EventKind::Access(_) => true,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => true,
        _ => false,
    }
}

/// Whether a path is one the site is made of (not the output folder next to `content/`).
fn is_watched(root: &Path, path: &Path) -> bool {
    match path.strip_prefix(root) {
        Ok(rel) => rel.components().next().is_some_and(|c| WATCHED.iter().any(|w| c.as_os_str() == *w)),
        // Reported under another spelling of the root (symbolic links): let the session decide.
        Err(_) => true,
    }
}

fn handler(root: PathBuf, tx: Sender<Changes>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| {
        let changes = match result {
            Ok(events) if events.iter().any(|e| e.need_rescan()) => Changes::All,
            Ok(events) => {
                // Reading files (ours included: every rebuild reads) is not a change.
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| !is_read_only(&e.event.kind))
                    .flat_map(|e| e.event.paths)
                    .filter(|p| is_watched(&root, p))
                    .collect();
                if paths.is_empty() {
                    return;
                }
                Changes::Paths(paths)
            }
            // The watcher lost track (queue overflow…): look at everything again.
            Err(_) => Changes::All,
        };
        let _ = tx.send(changes);
    }
}

impl Watcher {
    /// Starts watching the site at `root`, sending each debounced batch of changes to `tx`.
    pub fn start(root: &Path, poll: bool, tx: Sender<Changes>) -> Result<Watcher, notify::Error> {
        let inner = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
            Inner::Poll(new_debouncer_opt(
                Duration::from_millis(50),
                None,
                handler(root.to_path_buf(), tx),
                NoCache,
                config,
            )?)
        } else {
            let timeout = Duration::from_millis(10);
            Inner::Native(new_debouncer_opt(
                timeout,
                Some(Duration::from_millis(2)),
                handler(root.to_path_buf(), tx),
                RecommendedCache::new(),
                notify::Config::default(),
            )?)
        };
        let mut w = Watcher { inner, root: root.to_path_buf(), watched: Vec::new() };
        w.watch(root, RecursiveMode::NonRecursive)?;
        w.refresh()?;
        Ok(w)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), notify::Error> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    /// Starts watching the folders of [`WATCHED`] that appeared since the last call.
    pub fn refresh(&mut self) -> Result<(), notify::Error> {
        for name in WATCHED {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.watch(&dir, RecursiveMode::Recursive)?;
                self.watched.push(dir);
            } else if !dir.is_dir() {
                // Removed: a new folder by that name will need a new watch.
                self.watched.retain(|w| *w != dir);
            }
        }
        Ok(())
    }
}
