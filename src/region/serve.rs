//! `maillage serve` on a region: the whole region built ([`super::build_region`]), its output
//! folder served on 127.0.0.1, and the whole region built again after every change of its files
//! (region.yaml, commun/, every CPTS's folder). Each build replaces the output only once it has
//! succeeded, so a save with an error keeps the last good sites served. No live reload: the
//! visitor reloads the page.

use super::{RegionReport, build_region};
use crate::build::{BuildError, BuildOptions};

use crate::diagnostic::Diagnostic;
use crate::serve::ServeError;
use axum::Router;
use axum::body::Body;
use axum::http::{Response, StatusCode, Uri, header};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// What `maillage serve` on a region needs.
#[derive(Debug, Clone)]
pub struct RegionServeOptions {
    /// The region's build.
    pub region: BuildOptions,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port (0: any free one).
    pub port: u16,
}

/// What the server reports, for the command line to print.
#[derive(Debug)]
pub enum RegionEvent<'a> {
    /// The region was built.
    Built(&'a RegionReport),
    /// The content has errors: the previous output stays served.
    Failed(&'a [Diagnostic]),
    /// Writing the output failed.
    WriteFailed(String),
    /// Listening, at this address.
    Listening(SocketAddr),
}

fn rebuild(opts: &BuildOptions, report: &mut impl FnMut(RegionEvent)) {
    match build_region(opts) {
        Ok(r) => report(RegionEvent::Built(&r)),
        Err(BuildError::Content(d)) => report(RegionEvent::Failed(&d)),
        Err(BuildError::Write(e)) => report(RegionEvent::WriteFailed(e.to_string())),
    }
}

/// Whether a changed path is one the region is made of: not the output, not Maillage's own
/// working files, not an editor's temporary file.
fn matters(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    !rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        crate::source::is_ignored(&name) || name == "public"
    })
}

/// The response for a request: the output file it names, or 404.
fn respond(output: &Path, uri: &Uri) -> Response<Body> {
    let not_found = || {
        let mut r = Response::new(Body::from("Page introuvable."));
        *r.status_mut() = StatusCode::NOT_FOUND;
        r
    };
    let Ok(rel) = crate::serve::http::output_path(uri.path(), "") else { return not_found() };
    let path = output.join(&rel);
    let path = if path.is_dir() { path.join("index.html") } else { path };
    match crate::limits::read_file(&path, crate::limits::MAX_ASSET_BYTES) {
        Ok(bytes) => {
            let mut r = Response::new(Body::from(bytes));
            if let Ok(v) = header::HeaderValue::from_str(crate::serve::http::content_type(&rel)) {
                r.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            r
        }
        Err(_) => not_found(),
    }
}

/// Builds the region, serves its output and rebuilds it on every change, until Ctrl-C.
pub fn serve_region(
    opts: RegionServeOptions,
    mut report: impl FnMut(RegionEvent) + Send + 'static,
) -> Result<(), ServeError> {
    crate::output::check_layout(&opts.region.root, &opts.region.output)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener =
        runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|source| ServeError::Bind { addr, source })?;
    let addr = listener.local_addr()?;
    rebuild(&opts.region, &mut report);

    let (tx, rx) = mpsc::channel::<()>();
    let root = std::path::absolute(&opts.region.root)?;
    let output = std::path::absolute(&opts.region.output)?;
    let (watch_root, watch_output) = (root.clone(), output.clone());
    let mut debouncer = new_debouncer(Duration::from_millis(150), None, move |result: DebounceEventResult| {
        let changed = match result {
            Ok(events) => events.iter().any(|e| {
                !matches!(e.event.kind, EventKind::Access(_))
                    && e.event.paths.iter().any(|p| matters(&watch_root, &watch_output, p))
            }),
            Err(_) => true,
        };
        if changed {
            let _ = tx.send(());
        }
    })?;
    debouncer.watch(&root, RecursiveMode::Recursive).map_err(ServeError::Watch)?;
    report(RegionEvent::Listening(addr));
    let region = opts.region.clone();
    std::thread::spawn(move || {
        let _keep = debouncer;
        while rx.recv().is_ok() {
            // Saves that came during a build are one more build, not one each.
            while rx.try_recv().is_ok() {}
            rebuild(&region, &mut report);
        }
    });
    let served: PathBuf = output;
    let app = Router::new().fallback(move |uri: Uri| {
        let served = served.clone();
        async move { respond(&served, &uri) }
    });
    let result = runtime.block_on(async {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    result.map_err(ServeError::Io)
}
