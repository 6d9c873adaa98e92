//! The development server: serves the last good build from memory (the same bytes as the output
//! folder), never anything else; injects the live-reload script, and the error overlay while the
//! content is wrong, into HTML responses only; pushes changes to browsers over Server-Sent Events.

use super::session::OutputMap;
use crate::diagnostic::Diagnostic;
use crate::french::{count, spaced};
use crate::render::escape::escape_html;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

/// Path of the Server-Sent Events stream; outside any site (sites have no `__maillage/`).
pub const EVENTS_PATH: &str = "/__maillage/events";

/// What browsers are told.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// Pages changed: reload if showing one of them (`None`: any page).
    Reload {
        /// State version after the change.
        version: u64,
        /// Output paths of the changed pages, or `None` for all.
        pages: Option<Vec<String>>,
    },
    /// Only stylesheets changed: swap them without reloading.
    Css {
        /// State version after the change.
        version: u64,
    },
    /// The content is wrong: show the overlay over the page.
    Errors {
        /// State version after the change.
        version: u64,
        /// The overlay, as HTML.
        html: String,
    },
    /// The server stops: close the stream.
    Bye,
}

/// What the server serves.
#[derive(Debug, Default)]
pub struct ServerState {
    /// The last good build.
    pub outputs: Arc<OutputMap>,
    /// Path prefix of the site's URLs (`/cpts`), or empty.
    pub prefix: String,
    /// The error overlay while the content is wrong.
    pub overlay: Option<String>,
    /// Bumped at each change, so a page can tell it is stale.
    pub version: u64,
}

/// The server's shared state and the channel to the browsers.
pub struct Live {
    state: RwLock<ServerState>,
    events: broadcast::Sender<LiveEvent>,
}

impl Live {
    /// A server state with nothing built yet.
    pub fn new() -> Arc<Live> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Live { state: RwLock::new(ServerState::default()), events })
    }

    /// Changes the state, then tells the browsers `event(version)` when there is one.
    pub fn update(&self, change: impl FnOnce(&mut ServerState), event: impl FnOnce(u64) -> Option<LiveEvent>) {
        let version = {
            let mut s = self.state.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            change(&mut s);
            s.version += 1;
            s.version
        };
        if let Some(e) = event(version) {
            let _ = self.events.send(e);
        }
    }

    /// Closes every event stream (before shutting down).
    pub fn bye(&self) {
        let _ = self.events.send(LiveEvent::Bye);
    }

    fn snapshot(&self) -> (Arc<OutputMap>, String, Option<String>, u64) {
        let s = self.state.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        (Arc::clone(&s.outputs), s.prefix.clone(), s.overlay.clone(), s.version)
    }
}

/// The server's routes: the event stream, the coordinator's guide, and the site for everything
/// else.
pub fn router(live: Arc<Live>) -> Router {
    let guide_root = crate::guide::PATH.trim_end_matches('/');
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(guide_root, get(guide))
        .route(&format!("{guide_root}/"), get(guide))
        .route(&format!("{guide_root}/{{*rest}}"), get(guide))
        .fallback(site)
        .with_state(live)
}

/// A page of the guide (`/_guide/`, `/_guide/membres/`), with a way back to the site's home.
async fn guide(State(live): State<Arc<Live>>, req: Request) -> Response {
    let path = req.uri().path();
    let Some(rest) = path.strip_prefix(crate::guide::PATH) else {
        let mut resp = StatusCode::PERMANENT_REDIRECT.into_response();
        resp.headers_mut().insert(header::LOCATION, HeaderValue::from_static(crate::guide::PATH));
        return resp;
    };
    let home = format!("{}/", live.snapshot().1);
    match crate::guide::html::page(rest, &home) {
        Some(html) => {
            let mut resp = (StatusCode::OK, html).into_response();
            let h = resp.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            resp
        }
        None => plain(StatusCode::NOT_FOUND, "Ce sujet n’existe pas dans le guide : voir /_guide/.\n"),
    }
}

/// Why a request path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a clean path inside the site: `..`, `.`, backslashes, encoded slashes, NUL, `//`.
    Unsafe,
    /// Outside the site's URL prefix.
    NotFound,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes; refuses broken escapes and non-UTF-8 results.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let h = hex(*bytes.get(i + 1)?)?;
            let l = hex(*bytes.get(i + 2)?)?;
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The output file a request path (as received, still percent-encoded, without the query)
/// asks for: `/annuaire/` → `annuaire/index.html`. Only plain paths inside the site pass.
pub fn output_path(raw: &str, prefix: &str) -> Result<String, Refusal> {
    let Some(rest) = raw.strip_prefix('/') else { return Err(Refusal::Unsafe) };
    // Slashes and backslashes must be real separators, never escaped.
    let lower = rest.to_ascii_lowercase();
    if rest.contains('\\') || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(Refusal::Unsafe);
    }
    let decoded = percent_decode(rest).ok_or(Refusal::Unsafe)?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with('/') {
        return Err(Refusal::Unsafe);
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        let empty_inside = seg.is_empty() && i != last;
        if empty_inside || *seg == "." || *seg == ".." || seg.contains(':') {
            return Err(Refusal::Unsafe);
        }
    }
    let path = format!("/{decoded}");
    let within = if prefix.is_empty() {
        path.as_str()
    } else if path == prefix {
        "/"
    } else {
        path.strip_prefix(prefix).filter(|p| p.starts_with('/')).ok_or(Refusal::NotFound)?
    };
    let rel = within.trim_start_matches('/');
    Ok(if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() })
}

/// The content type of an output file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// The overlay listing the errors, shown over the last good page: French, escaped, readable on
/// a phone, a dialog that takes the focus, closes with its button or Escape (see [`script`]), and
/// links each message to the guide's section on its code.
pub fn overlay(diagnostics: &[Diagnostic]) -> String {
    const SHOWN: usize = 20;
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let n = errors.len();
    let mut items = String::new();
    for d in errors.iter().take(SHOWN) {
        let mut place = escape_html(&d.file);
        if d.line > 0 {
            place.push_str(&format!(", ligne {}", d.line));
            if d.column > 0 {
                place.push_str(&format!(", colonne {}", d.column));
            }
        }
        let guide = crate::guide::code_address(d.code).unwrap_or_else(|| format!("{}erreurs/", crate::guide::PATH));
        items.push_str(&format!(
            "<li style=\"margin:0 0 .9em\"><code style=\"{CODE_STYLE}\">{place}</code><br>{}",
            escape_html(&spaced(&d.message))
        ));
        if let Some(h) = &d.hint {
            items.push_str(&format!("<br><span style=\"color:#333\">Aide\u{a0}: {}</span>", escape_html(&spaced(h))));
        }
        items.push_str(&format!(
            "<br><a href=\"{}\" style=\"{LINK_STYLE}\">Comprendre ce message ({})</a></li>",
            escape_html(&guide),
            escape_html(d.code)
        ));
    }
    if n > SHOWN {
        items.push_str(&format!(
            "<li>… et {} (voir le terminal).</li>",
            count(n - SHOWN, "autre erreur", "autres erreurs")
        ));
    }
    let title = count(n, "erreur", "erreurs");
    format!(
        "<div id=\"maillage-erreurs\" role=\"alertdialog\" aria-modal=\"false\" aria-labelledby=\"maillage-erreurs-titre\" lang=\"fr\" tabindex=\"-1\" style=\"{BOX_STYLE}\">\
<div style=\"display:flex;gap:.75em;align-items:flex-start;justify-content:space-between\">\
<h2 id=\"maillage-erreurs-titre\" style=\"margin:0;font:bold 1.1em/1.3 system-ui,sans-serif;color:#a00018\">Le site n’a pas pu être reconstruit ({title})</h2>\
<button type=\"button\" data-maillage-fermer style=\"{BUTTON_STYLE}\">Fermer<span style=\"position:absolute;left:-9999px\"> l’avis des erreurs (Échap)</span></button></div>\
<ol style=\"margin:.75em 0;padding-left:1.4em\">{items}</ol>\
<p style=\"margin:0;font-size:.9em\">La page affichée est la dernière version correcte. Corrigez le fichier et enregistrez\u{a0}: cet avis disparaîtra tout seul. <a href=\"{guide}\" style=\"{LINK_STYLE}\">Le guide</a></p></div>",
        guide = crate::guide::PATH,
    )
}

/// The overlay's box: over the page, never wider than the screen, scrolling inside itself.
const BOX_STYLE: &str = "position:fixed;top:0;left:0;right:0;box-sizing:border-box;max-width:100vw;max-height:85vh;\
overflow:auto;overflow-wrap:anywhere;z-index:2147483647;background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #b00020;\
padding:1em;font:16px/1.5 system-ui,sans-serif;text-align:left;box-shadow:0 4px 16px rgba(0,0,0,.35)";
/// A file and its position.
const CODE_STYLE: &str = "font:bold .95em ui-monospace,Consolas,monospace;color:#1a1a1a;background:none";
/// Links: visible, with a visible focus.
const LINK_STYLE: &str = "color:#0a4fa6;text-decoration:underline;outline-offset:2px";
/// The close button: large enough to touch.
const BUTTON_STYLE: &str = "flex:none;min-height:44px;min-width:44px;padding:.4em .9em;font:bold 1em system-ui,sans-serif;\
color:#fff;background:#a00018;border:2px solid #a00018;border-radius:4px;cursor:pointer;position:relative";

/// The live-reload script for a page (`page`: its output path).
fn script(version: u64, page: &str, not_found: bool) -> String {
    let page = serde_json::to_string(page).unwrap_or_else(|_| "\"\"".into()).replace("</", "<\\/");
    format!(
        r#"<script data-maillage="live">(()=>{{let v={version};const page={page},nf={not_found};
const es=new EventSource("{EVENTS_PATH}");const data=e=>JSON.parse(e.data);
es.addEventListener("hello",e=>{{window.__maillageLive=true;if(data(e).v!==v)location.reload();}});
es.addEventListener("reload",e=>{{const d=data(e);v=d.v;if(nf||!d.pages||d.pages.includes(page)||document.getElementById("maillage-erreurs"))location.reload();}});
es.addEventListener("css",e=>{{v=data(e).v;for(const l of document.querySelectorAll('link[rel="stylesheet"]')){{const u=new URL(l.href);u.searchParams.set("v",Date.now());const n=l.cloneNode();n.href=u.href;n.onload=()=>l.remove();l.after(n);}}}});
const shown=()=>{{const o=document.getElementById("maillage-erreurs");if(!o)return;const back=document.activeElement;
const close=()=>{{o.remove();document.removeEventListener("keydown",esc);if(back&&back.focus&&document.contains(back))back.focus();}};
const esc=k=>{{if(k.key==="Escape")close();}};o.querySelector("[data-maillage-fermer]")?.addEventListener("click",close);
document.addEventListener("keydown",esc);o.focus();}};
if(document.readyState==="loading")document.addEventListener("DOMContentLoaded",shown);else shown();
es.addEventListener("errors",e=>{{const d=data(e);v=d.v;document.getElementById("maillage-erreurs")?.remove();document.body.insertAdjacentHTML("beforeend",d.html);shown();}});
es.addEventListener("bye",()=>es.close());}})();</script>"#
    )
}

/// Adds the script (and the overlay) before `</body>`, or at the end.
fn inject(html: &[u8], extra: &str) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// An HTML page as this server sends it: the live-reload script, and the overlay while the
/// content is wrong, added before `</body>`. For a server that reads its pages elsewhere (a
/// region's, from its output folder); `page` is the page's path there.
pub fn live_page(live: &Live, html: &[u8], page: &str, not_found: bool) -> Vec<u8> {
    let (_, _, overlay, version) = live.snapshot();
    let mut extra = script(version, page, not_found);
    if let Some(o) = &overlay {
        extra.push_str(o);
    }
    inject(html, &extra)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

async fn site(State(live): State<Arc<Live>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "Méthode non prise en charge : ce serveur ne fait que lire.\n");
    }
    let raw = req.uri().path().to_string();
    let (outputs, prefix, overlay, version) = live.snapshot();
    let rel = match output_path(&raw, &prefix) {
        Ok(rel) => rel,
        Err(Refusal::Unsafe) => return plain(StatusCode::BAD_REQUEST, "Chemin refusé.\n"),
        Err(Refusal::NotFound) => String::new(),
    };
    let (status, path, bytes) = match outputs.get(&rel) {
        Some(b) => (StatusCode::OK, rel.as_str(), Some(b)),
        None if !rel.is_empty() && outputs.contains_key(&format!("{rel}/index.html")) => {
            let to = format!("{raw}/");
            let mut resp = StatusCode::PERMANENT_REDIRECT.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                resp.headers_mut().insert(header::LOCATION, v);
            }
            return resp;
        }
        None => (StatusCode::NOT_FOUND, "404.html", outputs.get("404.html")),
    };
    let (status, body, ctype) = match bytes {
        Some(b) => {
            let ctype = content_type(path);
            if ctype.starts_with("text/html") {
                let mut extra = script(version, &rel, status == StatusCode::NOT_FOUND);
                if let Some(o) = &overlay {
                    extra.push_str(o);
                }
                (status, Body::from(inject(b, &extra)), ctype)
            } else {
                (status, Body::from(b.to_vec()), ctype)
            }
        }
        None if outputs.is_empty() => {
            // No good build yet: only the errors can be shown.
            let mut page = String::from(
                "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Maillage\u{a0}: site non construit</title><body><p>Le site n’a pas encore pu être construit.</p></body></html>",
            );
            page = String::from_utf8_lossy(&inject(
                page.as_bytes(),
                &format!("{}{}", script(version, &rel, true), overlay.unwrap_or_default()),
            ))
            .into_owned();
            (StatusCode::SERVICE_UNAVAILABLE, Body::from(page), "text/html; charset=utf-8")
        }
        None => (StatusCode::NOT_FOUND, Body::from("Page introuvable.\n"), "text/plain; charset=utf-8"),
    };
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    resp
}

fn to_sse(e: &LiveEvent) -> Option<Event> {
    let (name, data) = match e {
        LiveEvent::Reload { version, pages } => ("reload", serde_json::json!({ "v": version, "pages": pages })),
        LiveEvent::Css { version } => ("css", serde_json::json!({ "v": version })),
        LiveEvent::Errors { version, html } => ("errors", serde_json::json!({ "v": version, "html": html })),
        LiveEvent::Bye => return None,
    };
    Some(Event::default().event(name).data(data.to_string()))
}

async fn events(State(live): State<Arc<Live>>) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = live.events.subscribe();
    let version = live.snapshot().3;
    let hello = Event::default().event("hello").data(serde_json::json!({ "v": version }).to_string());
    let stream = futures_util::stream::unfold((Some(hello), rx), |(first, mut rx)| async move {
        if let Some(h) = first {
            return Some((Ok(h), (None, rx)));
        }
        match rx.recv().await {
            Ok(e) => to_sse(&e).map(|ev| (Ok(ev), (None, rx))),
            // Missed events: reloading is always right.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                let ev = Event::default().event("reload").data(r#"{"v":-1,"pages":null}"#);
                Some((Ok(ev), (None, rx)))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_output_files() {
        assert_eq!(output_path("/", ""), Ok("index.html".into()));
        assert_eq!(output_path("/annuaire/", ""), Ok("annuaire/index.html".into()));
        assert_eq!(output_path("/style.css", ""), Ok("style.css".into()));
        assert_eq!(output_path("/annuaire/h%C3%A9l%C3%A8ne/", ""), Ok("annuaire/hélène/index.html".into()));
        assert_eq!(output_path("/cpts/annuaire/", "/cpts"), Ok("annuaire/index.html".into()));
        assert_eq!(output_path("/cpts", "/cpts"), Ok("index.html".into()));
        assert_eq!(output_path("/cptsx/", "/cpts"), Err(Refusal::NotFound));
        assert_eq!(output_path("/annuaire/", "/cpts"), Err(Refusal::NotFound));
    }

    #[test]
    fn traversal_is_refused_encoded_or_not() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/a/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/..%2fetc%2fpasswd",
            "/..%5cwindows",
            "/..\\..\\windows",
            "/a\\b",
            "//etc/passwd",
            "/a//b",
            "/./index.html",
            "/C:/Windows/win.ini",
            "/%00",
            "/%zz",
            "/%c0%ae%c0%ae/",
            "etc/passwd",
        ] {
            assert_eq!(output_path(bad, ""), Err(Refusal::Unsafe), "{bad}");
        }
    }

    #[test]
    fn overlay_escapes_and_speaks_french() {
        let d = Diagnostic::error("M052", "content/membres/<x>.yaml", 12, 3, "profession « <b>plombier</b> » inconnue")
            .with_hint("choisissez \"medecin-generaliste\"");
        let html = overlay(&[d]);
        assert!(html.contains("content/membres/&lt;x&gt;.yaml, ligne 12, colonne 3"), "{html}");
        assert!(html.contains("&lt;b&gt;plombier&lt;/b&gt;"), "{html}");
        assert!(html.contains("Aide\u{a0}: choisissez &quot;medecin-generaliste&quot;"), "{html}");
        assert!(!html.contains("<b>"));
        assert!(html.contains("(1 erreur)"));
        assert!(html.contains("role=\"alertdialog\"") && html.contains("data-maillage-fermer"), "{html}");
        assert!(html.contains("href=\"/_guide/erreurs/#m052\""), "{html}");
    }

    #[test]
    fn script_goes_before_the_end_of_body() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", "<script></script>");
        assert_eq!(out, b"<html><body><p>x</p><script></script></BODY></html>");
        assert_eq!(inject(b"<p>x</p>", "<s>"), b"<p>x</p><s>");
    }
}
