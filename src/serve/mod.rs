//! `maillage serve` and `maillage build --watch`: the pipeline behind a cache ([`Session`]),
//! a file watcher ([`watch`]), and a development server with live reload ([`http`]).
//!
//! The loop is thin: the watcher hands over a batch of changed paths, the session rebuilds what
//! they affect and updates the output folder, and the server's state and the browsers follow.

pub mod http;
pub mod memo;
pub mod session;
pub mod watch;

pub use session::{Changes, Rebuild, RebuildError, Session, Touched};

use crate::build::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::sorted::Sorted;
use crate::edit::{Editor, EditorOptions};
use crate::french::count;
use http::{Live, LiveEvent};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// Options of `maillage serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How to build the site.
    pub build: BuildOptions,
    /// Address to listen on (127.0.0.1 unless asked otherwise).
    pub bind: IpAddr,
    /// Port; 0 lets the system choose one.
    pub port: u16,
    /// Open the site in the default browser once served.
    pub open: bool,
    /// Poll the files instead of relying on the system's notifications.
    pub poll: bool,
    /// Password of the editor (`/_edition/`); without one, it answers this computer only.
    pub password: Option<String>,
    /// The day follows the clock (neither `--today` nor `SOURCE_DATE_EPOCH`): at midnight in
    /// Europe/Paris the site is rebuilt for the new day.
    pub follow_clock: bool,
}

/// What the loop reports, for the terminal.
#[derive(Debug)]
pub enum Report<'a> {
    /// A rebuild succeeded (the first one included).
    Built {
        /// What it did.
        rebuild: &'a Rebuild,
        /// Whether it is the initial build.
        first: bool,
        /// The warnings to print: all of them after the initial build or an error, else only
        /// those the previous rebuild did not have (a large site may carry hundreds of thousands,
        /// which would take seconds to print again on every save).
        new_warnings: &'a [Diagnostic],
    },
    /// The content is wrong: the last good build stays.
    Failed {
        /// Every diagnostic.
        diagnostics: &'a [Diagnostic],
        /// The changed files that triggered the rebuild (empty for the initial build).
        changed: &'a [String],
    },
    /// Writing the output failed.
    WriteFailed(&'a crate::output::WriteError),
    /// The server listens.
    Listening {
        /// The address the server listens on.
        addr: SocketAddr,
        /// The site's address (`http://127.0.0.1:1111/`).
        site: String,
        /// The coordinator's guide (`http://127.0.0.1:1111/_guide/`).
        guide: String,
    },
}

/// Why serving or watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address is taken or not allowed.
    #[error("impossible d’écouter sur {addr} : {} (choisissez un autre port avec --port)", crate::french::io_error(.source))]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The system error.
        source: std::io::Error,
    },
    /// The watcher could not start.
    #[error("surveillance des fichiers impossible : {0} (essayez --poll)")]
    Watch(#[from] notify::Error),
    /// The output folder cannot be written where it is (inside the content, for one).
    #[error(transparent)]
    Output(#[from] crate::output::WriteError),
    /// Any other system error.
    #[error("{}", crate::french::io_error(.0))]
    Io(#[from] std::io::Error),
}

/// One line for the terminal summing up a rebuild, in French.
pub fn summary_line(r: &Rebuild, first: bool) -> String {
    let ms = |decimals: usize| format!("{:.decimals$}", r.duration.as_secs_f64() * 1000.0).replace('.', ",");
    if first {
        return format!(
            "Site construit : {}, {} en {} ms.",
            count(r.pages, "page", "pages"),
            count(r.written.len(), "fichier", "fichiers"),
            ms(0)
        );
    }
    let what = match r.changed.as_slice() {
        [] => "rien".to_string(),
        [one] => one.clone(),
        [one, rest @ ..] => format!("{one} et {}", count(rest.len(), "autre", "autres")),
    };
    let removed = if r.removed.is_empty() {
        String::new()
    } else {
        format!(", {}", count(r.removed.len(), "supprimé", "supprimés"))
    };
    format!(
        "{what} → {} sur {}, {}{removed}, en {} ms",
        count(r.rendered.len(), "page régénérée", "pages régénérées"),
        r.pages,
        count(r.written.len(), "fichier écrit", "fichiers écrits"),
        ms(1)
    )
}

/// The event to send browsers after a successful rebuild.
fn live_event(r: &Rebuild, was_failing: bool, version: u64) -> Option<LiveEvent> {
    if was_failing {
        return Some(LiveEvent::Reload { version, pages: None });
    }
    if r.written.is_empty() && r.removed.is_empty() {
        return None;
    }
    if r.css_only() {
        return Some(LiveEvent::Css { version });
    }
    const MAX_LISTED: usize = 500;
    let only_pages = r.written.iter().chain(&r.removed).all(|p| p.ends_with(".html") || p.ends_with(".css"));
    let pages: Vec<String> = r.written.iter().chain(&r.removed).filter(|p| p.ends_with(".html")).cloned().collect();
    let pages = (only_pages && pages.len() <= MAX_LISTED).then_some(pages);
    Some(LiveEvent::Reload { version, pages })
}

/// The warnings of `now` that `before` does not have ([`Sorted::not_in`]: what both share is
/// not looked into).
fn new_warnings(before: &Sorted, now: &Sorted) -> Vec<Diagnostic> {
    now.not_in(before)
}

/// Publishes a rebuild's result to the server and the terminal, and brings the output folder up
/// to date once the browsers are told (the server serves from memory). Returns whether it
/// failed, writing included. `shown` holds the warnings the terminal last showed (those of the
/// last good rebuild): a good rebuild's warnings are moved there.
#[allow(clippy::too_many_arguments)]
fn publish(
    result: &mut Result<Rebuild, RebuildError>,
    session: &mut Session,
    live: Option<&Live>,
    editor: Option<&Editor>,
    was_failing: bool,
    first: bool,
    changed: &[String],
    shown: &mut Sorted,
    report: &mut dyn FnMut(Report),
) -> bool {
    match result {
        Ok(r) => {
            if let Some(live) = live {
                live.update(
                    |s| {
                        s.outputs = session.outputs();
                        s.prefix = session.url_prefix().to_string();
                        s.overlay = None;
                    },
                    |v| live_event(r, was_failing, v),
                );
            }
            let start = std::time::Instant::now();
            let written = session.write_output();
            r.timings.push(("write", start.elapsed()));
            if let Some(editor) = editor {
                // After the browsers are told: the editor's copy does not hold them up.
                let start = std::time::Instant::now();
                sync_editor(editor, session);
                r.timings.push(("editor", start.elapsed()));
            }
            if first || was_failing || !r.changed.is_empty() {
                // After the browsers are told: comparing many warnings does not hold them up.
                let new_warnings =
                    if first || was_failing { r.warnings.to_vec() } else { new_warnings(shown, &r.warnings) };
                report(Report::Built { rebuild: r, first, new_warnings: &new_warnings });
            }
            // Taken, not copied (hundreds of thousands on a large site): the caller is done with them.
            *shown = std::mem::take(&mut r.warnings);
            match written {
                Ok(()) => false,
                Err(w) => {
                    write_failed(session, live, &w, report);
                    true
                }
            }
        }
        Err(e) => {
            match e {
                RebuildError::Content(d) => {
                    show_errors(live, d);
                    report(Report::Failed { diagnostics: d, changed });
                }
                RebuildError::Write(w) => write_failed(session, live, w, report),
            }
            // The files changed all the same: the editor shows them as they are.
            if let Some(editor) = editor {
                sync_editor(editor, session);
            }
            true
        }
    }
}

/// Brings the editor's copy of the content up to date with the session: only the files the
/// session may have changed since the last call ([`Session::take_touched`]), every file at the
/// first call and after the session walked the whole tree again. Returns what it looked at.
pub fn sync_editor(editor: &Editor, session: &mut Session) -> Touched {
    let touched = session.take_touched();
    match &touched {
        Touched::All => editor.sync(session.files()),
        Touched::Files(rels) => editor.sync_files(rels.iter().map(|rel| (rel.as_str(), session.file(rel)))),
    }
    touched
}

/// Shows `diagnostics` over the page in the browsers.
fn show_errors(live: Option<&Live>, diagnostics: &[Diagnostic]) {
    if let Some(live) = live {
        let html = http::overlay(diagnostics);
        let shown = html.clone();
        live.update(|s| s.overlay = Some(shown), |version| Some(LiveEvent::Errors { version, html }));
    }
}

/// Reports a failure to write the output folder, in the browsers and the terminal.
fn write_failed(session: &Session, live: Option<&Live>, w: &crate::output::WriteError, report: &mut dyn FnMut(Report)) {
    let output = session.options().output.display().to_string();
    show_errors(live, &[Diagnostic::error("M090", &output, 0, 0, w.to_string())]);
    report(Report::WriteFailed(w));
}

/// Files the watcher reported, relative to the root, for the terminal.
fn changed_names(root: &std::path::Path, changes: &Changes) -> Vec<String> {
    match changes {
        Changes::All => vec!["(tout le site)".to_string()],
        Changes::Paths(p) => {
            let mut v: Vec<String> = p
                .iter()
                .map(|p| p.strip_prefix(root).map(crate::diagnostic::display_path).unwrap_or_default())
                .filter(|s| !s.is_empty())
                .collect();
            v.sort();
            v.dedup();
            v
        }
    }
}

/// The watch-and-rebuild loop, until `stop` is set. The editor, if any, gets the decoded files
/// after each rebuild.
#[allow(clippy::too_many_arguments)]
fn run_loop(
    mut session: Session,
    mut watcher: watch::Watcher,
    rx: mpsc::Receiver<Changes>,
    live: Option<Arc<Live>>,
    editor: Option<Arc<Editor>>,
    mut failing: bool,
    mut shown: Sorted,
    stop: Arc<AtomicBool>,
    follow_clock: bool,
    mut report: impl FnMut(Report),
) {
    let mut last_errors: Option<Vec<Diagnostic>> = None;
    while !stop.load(Ordering::Acquire) {
        let first = match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(c) => c,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let today = crate::build::today_in_paris();
                if follow_clock && today != session.options().today {
                    // A new day: facts cross their limits, actions pass, offers expire.
                    let mut result = session.new_day(today);
                    if let Some(editor) = &editor {
                        editor.new_day(today);
                    }
                    last_errors = result.as_ref().err().and_then(RebuildError::content).map(<[_]>::to_vec);
                    failing = publish(
                        &mut result,
                        &mut session,
                        live.as_deref(),
                        editor.as_deref(),
                        failing,
                        false,
                        &[],
                        &mut shown,
                        &mut report,
                    );
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // Merge whatever else arrived meanwhile.
        let mut changes = first;
        while let Ok(more) = rx.try_recv() {
            changes = match (changes, more) {
                (Changes::Paths(mut a), Changes::Paths(b)) => {
                    a.extend(b);
                    Changes::Paths(a)
                }
                _ => Changes::All,
            };
        }
        let _ = watcher.refresh();
        let names = changed_names(&session.options().root, &changes);
        let mut result = session.rebuild_in_memory(&changes);
        let errors = result.as_ref().err().and_then(RebuildError::content);
        let same_errors = errors.is_some_and(|d| last_errors.as_deref() == Some(d));
        let nothing_new = result.as_ref().is_ok_and(|r| r.changed.is_empty()) && !failing;
        if !same_errors && !nothing_new {
            last_errors = errors.map(<[_]>::to_vec);
            failing = publish(
                &mut result,
                &mut session,
                live.as_deref(),
                editor.as_deref(),
                failing,
                false,
                &names,
                &mut shown,
                &mut report,
            );
        } else {
            if let Err(w) = session.write_output() {
                // Nothing new to show, but a write that failed before is tried again.
                write_failed(&session, live.as_deref(), &w, &mut report);
                failing = true;
            }
            // Files saved with the bytes they had, or the same errors again: the editor may
            // still hold other bytes (it wrote some the session never saw).
            if let Some(editor) = &editor {
                sync_editor(editor, &mut session);
            }
        }
    }
}

/// Stops on Ctrl-C.
async fn ctrl_c() {
    let _ = tokio::signal::ctrl_c().await;
}

/// `maillage serve`: builds, serves on `opts.bind:opts.port`, watches and rebuilds until Ctrl-C.
pub fn serve(opts: ServeOptions, mut report: impl FnMut(Report) + Send + 'static) -> Result<(), ServeError> {
    crate::output::check_layout(&opts.build.root, &opts.build.output)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener =
        runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|source| ServeError::Bind { addr, source })?;
    let addr = listener.local_addr()?;

    let mut session = Session::new(opts.build.clone());
    let live = Live::new();
    let mut result = session.rebuild_in_memory(&Changes::All);
    let mut shown = Sorted::default();
    let failing = publish(&mut result, &mut session, Some(&live), None, false, true, &[], &mut shown, &mut report);

    let (tx, rx) = mpsc::channel();
    // What the editor writes is rebuilt at once, without waiting for the watcher.
    let editor_tx = Mutex::new(tx.clone());
    let editor = Editor::new(
        EditorOptions {
            root: opts.build.root.clone(),
            today: opts.build.today,
            password: opts.password.clone(),
            base_url: opts.build.base_url.clone(),
        },
        Some(Box::new(move |paths| {
            let _ = editor_tx.lock().map(|tx| tx.send(Changes::Paths(paths)));
        })),
    );
    editor.guard.set_port(addr.port());
    sync_editor(&editor, &mut session);
    let watcher = watch::Watcher::start(&opts.build.root, opts.poll, tx)?;
    let site = format!("http://{addr}{}/", session.url_prefix());
    report(Report::Listening { addr, site: site.clone(), guide: format!("http://{addr}{}", crate::guide::PATH) });
    if opts.open {
        open_browser(&site);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let looper = {
        let (live, stop, editor) = (Arc::clone(&live), Arc::clone(&stop), Arc::clone(&editor));
        let follow_clock = opts.follow_clock;
        std::thread::spawn(move || {
            run_loop(session, watcher, rx, Some(live), Some(editor), failing, shown, stop, follow_clock, report)
        })
    };
    let app = http::router(Arc::clone(&live)).merge(crate::edit::router(editor));
    let served = runtime.block_on(async {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                ctrl_c().await;
                live.bye();
                // Connections that do not close are not waited for long.
                tokio::spawn(async {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    std::process::exit(130);
                });
            })
            .await
    });
    stop.store(true, Ordering::Release);
    let _ = looper.join();
    runtime.shutdown_timeout(Duration::from_millis(200));
    served.map_err(ServeError::Io)
}

/// `maillage build --watch`: builds, then rebuilds on every change until Ctrl-C.
/// `follow_clock`: as [`ServeOptions::follow_clock`].
pub fn watch_build(
    opts: BuildOptions,
    poll: bool,
    follow_clock: bool,
    mut report: impl FnMut(Report) + Send + 'static,
) -> Result<(), ServeError> {
    crate::output::check_layout(&opts.root, &opts.output)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let mut session = Session::new(opts.clone());
    let mut result = session.rebuild_in_memory(&Changes::All);
    let mut shown = Sorted::default();
    let failing = publish(&mut result, &mut session, None, None, false, true, &[], &mut shown, &mut report);
    let (tx, rx) = mpsc::channel();
    let watcher = watch::Watcher::start(&opts.root, poll, tx)?;
    let stop = Arc::new(AtomicBool::new(false));
    let looper = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            run_loop(session, watcher, rx, None, None, failing, shown, stop, follow_clock, report)
        })
    };
    runtime.block_on(ctrl_c());
    stop.store(true, Ordering::Release);
    let _ = looper.join();
    Ok(())
}

/// Opens `url` in the default browser; failing to is not an error.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    if cmd.spawn().is_err() {
        eprintln!("Ouvrez {url} dans votre navigateur.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_warnings_the_previous_rebuild_lacked_are_shown_again() {
        let w = |file: &str, line: u32, message: &str| Diagnostic::warning("M066", file, line, 1, message);
        let before = Sorted::new(vec![w("b.yaml", 3, "x"), w("a.yaml", 1, "x"), w("a.yaml", 1, "y")]);
        let now = Sorted::new(vec![w("a.yaml", 1, "y"), w("a.yaml", 1, "z"), w("b.yaml", 3, "x"), w("c.yaml", 2, "x")]);
        let fresh = new_warnings(&before, &now);
        assert_eq!(fresh, vec![w("a.yaml", 1, "z"), w("c.yaml", 2, "x")]);
        assert!(new_warnings(&now, &now).is_empty());
        // A part the two lists share is not looked into; one equal but made again is.
        let again = Sorted::from_parts(now.parts().map(|p| std::sync::Arc::from(p.to_vec())));
        assert!(new_warnings(&now, &again).is_empty());
        assert_eq!(new_warnings(&Sorted::default(), &now), now.to_vec());
    }
}
