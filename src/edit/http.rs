//! The editor's HTTP side, under `/_edition/`: every request passes the guard (peer, `Host`,
//! session; for writes `Origin` and token), then is answered by a page, a redirect after a write,
//! or a small JSON answer for the script (checks while typing, uploads, previews). Every answer
//! carries a strict Content-Security-Policy, `nosniff`, no framing and no caching.

use super::form::{self, Fields, Note, Schema};
use super::guard::{self, Refused};
use super::pages::{self, BASE, Frame, Row};
use super::state::{Draft, Editor, Failure, Placed, body_text};
use super::store;
use super::upload::{Destination, MAX_DOCUMENT_BYTES};
use crate::domain::text::fold;
use crate::render::escape::escape_html as esc;
use crate::routes::{Route, Urls};
use crate::schema::Kind;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;

/// The stylesheet of the editor's pages.
const CSS: &str = include_str!("assets/edition.css");
/// The script that enhances them (checks while typing, lists, previews, uploads).
const JS: &str = include_str!("assets/edition.js");

/// The Content-Security-Policy of the editor's answers: its own script and stylesheet only.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Largest form accepted.
const MAX_FORM_BYTES: usize = 4 * 1024 * 1024;

/// The editor's routes, to merge into the dev server's.
pub fn router(editor: Arc<Editor>) -> Router {
    Router::new()
        .route(BASE, any(handle))
        .route(&format!("{BASE}/"), any(handle))
        .route(&format!("{BASE}/{{*rest}}"), any(handle))
        .with_state(editor)
}

async fn handle(State(editor): State<Arc<Editor>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let limit = if parts.uri.path().ends_with("/televersement") { MAX_DOCUMENT_BYTES + 1024 } else { MAX_FORM_BYTES };
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return answer(
                StatusCode::PAYLOAD_TOO_LARGE,
                "text/plain; charset=utf-8",
                "Envoi trop gros : rien n’a été enregistré.\n".into(),
                None,
            );
        }
    };
    match tokio::task::spawn_blocking(move || dispatch(&editor, &parts, &bytes)).await {
        Ok(r) => r,
        Err(_) => {
            answer(StatusCode::INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", "Erreur interne.\n".into(), None)
        }
    }
}

/// An answer with the editor's headers.
fn answer(status: StatusCode, ctype: &'static str, body: String, cookie: Option<&str>) -> Response {
    let mut r = (status, Body::from(body)).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(c).ok()) {
        h.insert(header::SET_COOKIE, c);
    }
    r
}

/// What every handler knows of the request.
struct Ctx<'a> {
    ed: &'a Editor,
    parts: &'a Parts,
    body: &'a [u8],
    /// Path segments after `/_edition/`, percent-decoded.
    path: Vec<String>,
    query: HashMap<String, String>,
    token: String,
    cookie: Option<String>,
}

impl Ctx<'_> {
    fn html(&self, status: StatusCode, body: String) -> Response {
        answer(status, "text/html; charset=utf-8", body, self.cookie.as_deref())
    }

    fn json(&self, status: StatusCode, v: &Value) -> Response {
        answer(status, "application/json", v.to_string(), self.cookie.as_deref())
    }

    fn redirect(&self, to: &str) -> Response {
        let mut r = answer(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", String::new(), self.cookie.as_deref());
        if let Ok(v) = HeaderValue::from_str(to) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        r
    }

    fn frame<'f>(&'f self, title: &'f str, site: &'f str, home: &'f str) -> Frame<'f> {
        Frame {
            title,
            site,
            site_home: home,
            token: &self.token,
            password: self.ed.guard.has_password(),
            ..Frame::default()
        }
    }

    /// A page in the frame.
    fn page(&self, status: StatusCode, title: &str, current: Option<Kind>, bin: bool, main: &str) -> Response {
        let (site, home) = site_names(self.ed);
        let mut f = self.frame(title, &site, &home);
        f.current = current;
        f.bin = bin;
        self.html(status, pages::page(&f, main))
    }

    fn fields(&self) -> Fields {
        Fields::parse(self.body)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.parts.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn wants_json(&self) -> bool {
        self.header("x-maillage-fragment").is_some()
    }
}

/// The site's name and home link.
fn site_names(ed: &Editor) -> (String, String) {
    match ed.site() {
        Some(site) => {
            let base = ed.opts.base_url.clone().unwrap_or_else(|| site.cpts.data.site.url.value.clone());
            (site.cpts.data.nom.clone(), Urls::new(&base).link(&Route::Home))
        }
        None => ("(site à corriger)".to_string(), "/".to_string()),
    }
}

/// The address of a record's page on the site, when it has one.
fn page_link(ed: &Editor, kind: Kind, slug: &str) -> Option<String> {
    let route = match kind {
        Kind::Member => Route::Member(slug.to_string()),
        Kind::Action => Route::Action(slug.to_string()),
        Kind::Offer => Route::Offer(slug.to_string()),
        Kind::News => Route::News(slug.to_string()),
        Kind::Page => Route::Page(slug.to_string()),
        Kind::Cpts => Route::AboutCpts,
        Kind::Contacts => Route::Contacts,
        Kind::Indicators => Route::Results,
        Kind::Resource | Kind::Document => return None,
    };
    let site = ed.site()?;
    let base = ed.opts.base_url.clone().unwrap_or_else(|| site.cpts.data.site.url.value.clone());
    Some(Urls::new(&base).link(&route))
}

fn decode_segment(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|c| c.into_owned())
}

fn refused(r: Refused, cookie: Option<&str>) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Accès refusé</title><p>{}</p></html>",
        esc(r.message())
    );
    answer(StatusCode::FORBIDDEN, "text/html; charset=utf-8", body, cookie)
}

fn dispatch(ed: &Editor, parts: &Parts, body: &[u8]) -> Response {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let host = parts.headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if let Err(r) = ed.guard.check_peer_and_host(peer, host) {
        return refused(r, None);
    }
    let raw = parts.uri.path();
    let Some(rest) = raw.strip_prefix(BASE) else { return refused(Refused::BadHost, None) };
    if rest.is_empty() {
        return answer(StatusCode::PERMANENT_REDIRECT, "text/plain; charset=utf-8", String::new(), None)
            .tap_location(&format!("{BASE}/"));
    }
    let mut path = Vec::new();
    for seg in rest.trim_start_matches('/').split('/') {
        match decode_segment(seg) {
            Some(s) if !s.contains(['/', '\\', '\0']) && s != ".." && s != "." => path.push(s),
            _ => return answer(StatusCode::BAD_REQUEST, "text/plain; charset=utf-8", "Chemin refusé.\n".into(), None),
        }
    }
    if path.last().is_some_and(String::is_empty) {
        path.pop();
    }
    let query: HashMap<String, String> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .unwrap_or_default();
    let is_get = parts.method == Method::GET || parts.method == Method::HEAD;
    if is_get && path.first().map(String::as_str) == Some("static") {
        return match path.get(1).map(String::as_str) {
            Some("edition.css") => answer(StatusCode::OK, "text/css; charset=utf-8", CSS.into(), None),
            Some("edition.js") => answer(StatusCode::OK, "text/javascript; charset=utf-8", JS.into(), None),
            _ => answer(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "Introuvable.\n".into(), None),
        };
    }
    let writing = !is_get;
    if writing
        && let Err(r) = ed.guard.check_origin(host, parts.headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()))
    {
        return refused(r, None);
    }
    let cookie_header = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let session = ed.guard.session(guard::cookie_value(cookie_header, guard::COOKIE));
    if path.first().map(String::as_str) == Some("connexion") && ed.guard.has_password() {
        return login(ed, body, writing, session.is_some());
    }
    let (id, token, cookie) = match session {
        Some((id, token)) => (id, token, None),
        None if ed.guard.has_password() => {
            return if writing {
                refused(Refused::NoSession, None)
            } else {
                answer(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", String::new(), None)
                    .tap_location(&format!("{BASE}/connexion"))
            };
        }
        None if writing => return refused(Refused::BadToken, None),
        None => match ed.guard.open() {
            Some((id, token)) => {
                let c = guard::session_cookie(&id);
                (id, token, Some(c))
            }
            None => return refused(Refused::NoSession, None),
        },
    };
    let ctx = Ctx { ed, parts, body, path, query, token, cookie };
    if writing {
        let given = ctx.header(guard::TOKEN_HEADER).map(str::to_string).or_else(|| {
            let is_form =
                ctx.header("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
            if is_form { ctx.fields().get(guard::TOKEN_FIELD).map(str::to_string) } else { None }
        });
        if !given.is_some_and(|g| guard::same_secret(&g, &ctx.token)) {
            return refused(Refused::BadToken, ctx.cookie.as_deref());
        }
        if ctx.path.first().map(String::as_str) == Some("deconnexion") {
            ed.guard.close(&id);
            let mut r = ctx.redirect(&format!("{BASE}/connexion"));
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{}=; Path=/_edition; HttpOnly; SameSite=Strict; Max-Age=0",
                guard::COOKIE
            )) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            return r;
        }
    }
    route(&ctx, writing)
}

/// Sets `Location` on a response.
trait TapLocation {
    fn tap_location(self, to: &str) -> Self;
}

impl TapLocation for Response {
    fn tap_location(mut self, to: &str) -> Response {
        if let Ok(v) = HeaderValue::from_str(to) {
            self.headers_mut().insert(header::LOCATION, v);
        }
        self
    }
}

fn login(ed: &Editor, body: &[u8], writing: bool, has_session: bool) -> Response {
    let show = |status: StatusCode, message: &str| {
        let main = format!(
            "<h1>Connexion à l’édition du site</h1>{message}<form method=\"post\" action=\"{BASE}/connexion\" class=\"connexion\"><div class=\"champ\"><label for=\"mot_de_passe\">Mot de passe</label><input type=\"password\" id=\"mot_de_passe\" name=\"mot_de_passe\" autocomplete=\"current-password\" required></div><button type=\"submit\" class=\"principal\">Se connecter</button></form>"
        );
        let body = format!(
            "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Connexion · Édition</title><link rel=\"stylesheet\" href=\"{BASE}/static/edition.css\"></head><body><main id=\"contenu\">{main}</main></body></html>\n"
        );
        answer(status, "text/html; charset=utf-8", body, None)
    };
    if !writing {
        if has_session {
            return answer(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", String::new(), None)
                .tap_location(&format!("{BASE}/"));
        }
        return show(StatusCode::OK, "");
    }
    let fields = Fields::parse(body);
    if ed.guard.password_matches(fields.get("mot_de_passe").unwrap_or(""))
        && let Some((id, _)) = ed.guard.open()
    {
        {
            let cookie = guard::session_cookie(&id);
            return answer(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", String::new(), Some(&cookie))
                .tap_location(&format!("{BASE}/"));
        }
    }
    // Slows down guessing.
    std::thread::sleep(std::time::Duration::from_millis(800));
    show(StatusCode::UNAUTHORIZED, &pages::notice("Mot de passe incorrect.", true))
}

fn not_found(ctx: &Ctx) -> Response {
    ctx.page(StatusCode::NOT_FOUND, "Introuvable", None, false, &format!("<h1>Introuvable</h1><p>Cette fiche n’existe pas ou plus. <a href=\"{BASE}/\">Retour à l’accueil de l’édition</a>, ou voyez la <a href=\"{BASE}/corbeille/\">corbeille</a>.</p>"))
}

fn route(ctx: &Ctx, writing: bool) -> Response {
    let p: Vec<&str> = ctx.path.iter().map(String::as_str).collect();
    match (writing, p.as_slice()) {
        (false, []) => home(ctx),
        (false, ["corbeille"]) => bin_page(ctx, None),
        (false, ["relances"]) => round_page(ctx),
        (true, ["corbeille", id, "restaurer"]) => restore(ctx, id),
        (true, ["apercu"]) => preview(ctx),
        (true, ["televersement"]) => upload(ctx),
        (_, [kind, rest @ ..]) => match Kind::from_name(kind) {
            Some(kind) => record_route(ctx, writing, kind, rest),
            None => not_found(ctx),
        },
        _ => not_found(ctx),
    }
}

fn record_route(ctx: &Ctx, writing: bool, kind: Kind, rest: &[&str]) -> Response {
    match (writing, rest) {
        (false, []) if kind.single_file() => {
            let slug = Editor::slug_of(kind.folder());
            ctx.redirect(&format!("{BASE}/{}/{slug}", kind.name()))
        }
        (false, []) => list_page(ctx, kind),
        (false, ["nouveau"]) if !kind.single_file() => new_page(ctx, kind),
        (true, ["nouveau"]) if !kind.single_file() => create(ctx, kind),
        (true, ["nouveau", "verifier"]) if !kind.single_file() => check(ctx, kind, None),
        (_, [slug, rest @ ..]) => {
            let Some(rel) = ctx.ed.find(kind, slug) else { return not_found(ctx) };
            match (writing, rest) {
                (false, []) => record_page(ctx, kind, slug, &rel),
                (true, []) => save(ctx, kind, slug, &rel),
                (true, ["texte"]) => save_text(ctx, kind, slug, &rel),
                (true, ["verifier"]) => check(ctx, kind, Some(&rel)),
                (false, ["supprimer"]) if !kind.single_file() => delete_page(ctx, kind, slug, &rel),
                (true, ["supprimer"]) if !kind.single_file() => delete(ctx, kind, slug, &rel),
                (true, ["publication"]) => toggle(ctx, kind, slug, &rel),
                (true, ["confirmer"]) if kind == Kind::Member => confirm(ctx, slug, &rel),
                _ => not_found(ctx),
            }
        }
        _ => not_found(ctx),
    }
}

fn rows(ctx: &Ctx, kind: Kind, query: &str) -> Vec<Row> {
    let q = fold(query.trim());
    ctx.ed
        .records(kind)
        .into_iter()
        .map(|l| Row {
            kind,
            slug: Editor::slug_of(&l.rel),
            title: l.title,
            detail: l.detail,
            published: l.published,
            broken: l.broken,
        })
        .filter(|r| q.is_empty() || fold(&r.title).contains(&q) || r.slug.contains(&q) || fold(&r.detail).contains(&q))
        .collect()
}

fn home(ctx: &Ctx) -> Response {
    let q = ctx.query.get("q").map_or("", String::as_str);
    let mut main = String::from(
        "<h1>Édition du site</h1><p>Choisissez ce que vous voulez modifier, ou cherchez une fiche par son nom.</p>",
    );
    main.push_str(&pages::search_box(&format!("{BASE}/"), q, "Chercher dans tout le site"));
    if !q.trim().is_empty() {
        let found: Vec<Row> = Kind::ALL.into_iter().flat_map(|k| rows(ctx, k, q)).collect();
        let caption = format!("Résultats pour « {} » ({})", q.trim(), found.len());
        if found.is_empty() {
            let _ = write!(main, "<p role=\"status\">Aucune fiche ne correspond à « {} ».</p>", esc(q.trim()));
        } else {
            main.push_str(&pages::rows_table(&found, &caption, true));
        }
    }
    main.push_str("<ul class=\"rubriques\">");
    for k in Kind::ALL {
        let count = ctx.ed.records(k).len();
        let what = if k.single_file() { String::new() } else { format!(" <span class=\"nombre\">({count})</span>") };
        let add = if k.single_file() {
            String::new()
        } else {
            format!(
                "<a class=\"ajout\" href=\"{BASE}/{}/nouveau\">Ajouter<span class=\"visuellement-cache\"> dans «\u{a0}{}\u{a0}»</span></a>",
                k.name(),
                esc(k.label())
            )
        };
        let _ = write!(main, "<li><a href=\"{BASE}/{}/\">{}</a>{what}{add}</li>", k.name(), esc(k.label()));
    }
    main.push_str("</ul>");
    let waiting = ctx.ed.site().map_or(0, |site| crate::review::round(&site, ctx.ed.today()).len());
    let _ = write!(
        main,
        "<p><a href=\"{BASE}/relances\">Relances</a>\u{a0}: {}.</p>",
        match waiting {
            0 => "aucun membre à joindre, toutes les fiches publiées sont à jour".to_string(),
            1 => "1 membre à joindre pour confirmer ses informations".to_string(),
            n => format!("{n} membres à joindre pour confirmer leurs informations"),
        }
    );
    ctx.page(StatusCode::OK, "Accueil", None, false, &main)
}

fn list_page(ctx: &Ctx, kind: Kind) -> Response {
    let q = ctx.query.get("q").map_or("", String::as_str);
    let all = rows(ctx, kind, "");
    let shown = rows(ctx, kind, q);
    let mut main = format!("<h1>{}</h1>", esc(kind.label()));
    if let Some(n) = ctx.query.get("avis") {
        main.push_str(&pages::notice(&esc(n), false));
    }
    let _ = write!(
        main,
        "<p class=\"actions-liste\"><a class=\"bouton principal\" href=\"{BASE}/{}/nouveau\">Ajouter une fiche</a></p>",
        kind.name()
    );
    main.push_str(&pages::search_box(&format!("{BASE}/{}/", kind.name()), q, "Filtrer la liste"));
    let caption = if q.trim().is_empty() {
        format!("{} fiches", all.len())
    } else {
        format!("{} fiches sur {} pour « {} »", shown.len(), all.len(), q.trim())
    };
    main.push_str(&pages::rows_table(&shown, &caption, false));
    ctx.page(StatusCode::OK, kind.label(), Some(kind), false, &main)
}

/// A fresh key for a form: the same form posted twice is written once.
fn submission_key() -> String {
    guard::random_hex().chars().take(32).collect()
}

/// Everything a form page shows.
struct FormView<'a> {
    kind: Kind,
    /// `None` for a new record.
    slug: Option<&'a str>,
    value: &'a Value,
    body: Option<&'a str>,
    hash: &'a str,
    placed: &'a Placed,
    notice: Option<(String, bool)>,
    status: StatusCode,
}

/// The fields of a form, with their messages.
fn fields_html(ctx: &Ctx, kind: Kind, value: &Value, body: Option<&str>, placed: &Placed) -> String {
    let schema = ctx.ed.schema(kind);
    let doc_key = (kind == Kind::Document).then_some("fichier");
    let fctx = form::Context { notes: &placed.fields, document_file_key: doc_key };
    let (mut html, _) = form::render(Schema::new(&schema), value, &fctx);
    if let Some(b) = body {
        let notes = placed.fields.get("_corps");
        let invalid = if notes.is_some_and(|n| n.iter().any(|n| n.error)) { " aria-invalid=\"true\"" } else { "" };
        let rows = (b.lines().count() + 3).clamp(8, 30);
        let _ = write!(
            html,
            "<div class=\"champ long corps\" id=\"c-_corps\" data-chemin=\"_corps\"><label for=\"f-_corps\">Texte de la page</label><p class=\"aide\" id=\"a-_corps\">Mise en forme Markdown\u{a0}: ## Intertitre, **gras**, [lien](https://…), listes avec « - ».</p><textarea id=\"f-_corps\" name=\"_corps\" rows=\"{rows}\" aria-describedby=\"a-_corps e-_corps\"{invalid}>{}</textarea><button type=\"button\" class=\"secondaire apercu\" data-source=\"f-_corps\" aria-controls=\"p-_corps\" aria-expanded=\"false\" hidden>Afficher l’aperçu</button><div class=\"rendu\" id=\"p-_corps\" role=\"region\" aria-label=\"Aperçu du texte\" hidden></div><div class=\"messages\" id=\"e-_corps\">{}</div></div>",
            form::textarea_text(b),
            notes.map(|n| form::notes_inner(n)).unwrap_or_default()
        );
    }
    html
}

/// The summary of a candidate's checks, above the form.
fn summary_html(placed: &Placed) -> String {
    let mut out = String::new();
    let errors: Vec<(&String, &Note)> =
        placed.fields.iter().flat_map(|(p, ns)| ns.iter().map(move |n| (p, n))).filter(|(_, n)| n.error).collect();
    let record_errors = placed.record.iter().filter(|n| n.error).count();
    let total = errors.len() + record_errors + placed.elsewhere.len();
    if total == 0 {
        out.push_str("<p class=\"ok\">Aucune erreur\u{a0}: la fiche peut être enregistrée.</p>");
    } else {
        let n = if total > 1 { format!("{total} erreurs à corriger") } else { "1 erreur à corriger".into() };
        let _ = write!(out, "<p class=\"ko\">{n} avant d’enregistrer\u{a0}:</p><ul>");
        for (p, note) in &errors {
            let _ = write!(out, "<li><a href=\"#c-{}\">{}</a></li>", esc(p), esc(&note.message));
        }
        for note in placed.record.iter().filter(|n| n.error) {
            let _ = write!(out, "<li>{}", esc(&note.message));
            if let Some(h) = &note.hint {
                let _ = write!(out, " <span class=\"conseil\">Conseil\u{a0}: {}</span>", esc(h));
            }
            out.push_str(&note.guide_link());
            out.push_str("</li>");
        }
        out.push_str("</ul>");
        if !placed.elsewhere.is_empty() {
            out.push_str(
                "<p class=\"ko\">Cette modification créerait des erreurs dans d’autres fichiers\u{a0}:</p><ul>",
            );
            for d in &placed.elsewhere {
                let _ = write!(out, "<li><code>{}</code>", esc(&d.file));
                if d.line > 0 {
                    let _ = write!(out, ", ligne {}", d.line);
                }
                let _ = write!(out, "\u{a0}: {}</li>", esc(&d.message));
            }
            out.push_str("</ul>");
        }
    }
    let warnings: Vec<&Note> = placed.record.iter().filter(|n| !n.error).collect();
    for w in warnings {
        let _ = write!(out, "<p class=\"alerte\"><strong>Attention\u{a0}:</strong> {}</p>", esc(&w.message));
    }
    if placed.old_elsewhere > 0 {
        let n = placed.old_elsewhere;
        let what = if n > 1 { format!("{n} erreurs") } else { "1 erreur".into() };
        let _ = write!(
            out,
            "<p class=\"aide\">Le site a par ailleurs {what} dans d’autres fichiers\u{a0}; elles n’empêchent pas d’enregistrer cette fiche.</p>"
        );
    }
    out
}

fn form_page(ctx: &Ctx, v: FormView) -> Response {
    let kind = v.kind;
    let title = match v.slug {
        Some(slug) => ctx
            .ed
            .find(kind, slug)
            .and_then(|rel| ctx.ed.records(kind).into_iter().find(|r| r.rel == rel).map(|r| r.title))
            .unwrap_or_else(|| slug.to_string()),
        None => format!("Nouvelle fiche dans «\u{a0}{}\u{a0}»", kind.label()),
    };
    let action = match v.slug {
        Some(slug) => format!("{BASE}/{}/{}", kind.name(), esc(slug)),
        None => format!("{BASE}/{}/nouveau", kind.name()),
    };
    let mut main = String::new();
    let list = if kind.single_file() {
        String::new()
    } else {
        format!("<a href=\"{BASE}/{}/\">{}</a> › ", kind.name(), esc(kind.label()))
    };
    let _ = write!(
        main,
        "<nav class=\"fil\" aria-label=\"Fil d’Ariane\"><p><a href=\"{BASE}/\">Édition</a> › {list}<span aria-current=\"page\">{}</span></p></nav><h1>{}</h1>",
        esc(&title),
        esc(&title)
    );
    if let Some((text, error)) = &v.notice {
        main.push_str(&pages::notice(text, *error));
    }
    main.push_str("<ul class=\"liens-fiche\">");
    if let Some(slug) = v.slug {
        if let Some(link) = page_link(ctx.ed, kind, slug) {
            let _ = write!(main, "<li><a href=\"{}\">Voir la page sur le site</a></li>", esc(&link));
        }
        let _ =
            write!(main, "<li><a href=\"{BASE}/{}/{}?texte\">Modifier en mode texte</a></li>", kind.name(), esc(slug));
        if !kind.single_file() {
            let _ = write!(
                main,
                "<li><a href=\"{BASE}/{}/nouveau?depuis={}\">Dupliquer</a></li><li><a href=\"{BASE}/{}/{}/supprimer\">Mettre à la corbeille</a></li>",
                kind.name(),
                esc(slug),
                kind.name(),
                esc(slug)
            );
        }
    }
    if let crate::guide::Lookup::Found(topic) = crate::guide::lookup(kind.name()) {
        let _ = write!(main, "<li><a href=\"{}\">Guide\u{a0}: {}</a></li>", esc(&topic.address()), esc(kind.label()));
    }
    main.push_str("</ul>");
    let checker = match v.slug {
        Some(slug) => format!("{BASE}/{}/{}/verifier", kind.name(), esc(slug)),
        None => format!("{BASE}/{}/nouveau/verifier", kind.name()),
    };
    let _ = write!(
        main,
        "<p class=\"aide\">Les champs marqués «\u{a0}(obligatoire)\u{a0}» doivent être remplis. Les erreurs s’affichent au fil de la saisie\u{a0}; rien n’est enregistré tant qu’il en reste.</p>\
<div id=\"resume\" class=\"resume\" tabindex=\"-1\">{}</div><p id=\"annonce\" class=\"visuellement-cache\" aria-live=\"polite\"></p>\
<form method=\"post\" action=\"{action}\" class=\"fiche\" novalidate data-verifier=\"{checker}\">\
<input type=\"hidden\" name=\"_jeton\" value=\"{}\"><input type=\"hidden\" name=\"_empreinte\" value=\"{}\"><input type=\"hidden\" name=\"_envoi\" value=\"{}\">\
<div class=\"enregistrer haut\"><button type=\"submit\" class=\"principal\">Enregistrer</button></div>\
<div class=\"champs\">{}</div><div class=\"enregistrer\"><button type=\"submit\" class=\"principal\">Enregistrer</button></div></form>",
        summary_html(v.placed),
        esc(&ctx.token),
        esc(v.hash),
        submission_key(),
        fields_html(ctx, kind, v.value, v.body, v.placed),
    );
    if let (Some(slug), Some(published)) = (v.slug, publication_of(kind, v.value)) {
        let (label, explain) = if published {
            ("Dépublier", "La fiche restera dans les fichiers mais n’apparaîtra plus sur le site.")
        } else {
            ("Publier", "La fiche apparaîtra sur le site.")
        };
        let _ = write!(
            main,
            "<form method=\"post\" action=\"{BASE}/{}/{}/publication\" class=\"publication\"><input type=\"hidden\" name=\"_jeton\" value=\"{}\"><input type=\"hidden\" name=\"_empreinte\" value=\"{}\"><input type=\"hidden\" name=\"_envoi\" value=\"{}\"><p>{explain}</p><button type=\"submit\" class=\"secondaire\">{label}</button></form>",
            kind.name(),
            esc(slug),
            esc(&ctx.token),
            esc(v.hash),
            submission_key()
        );
    }
    if let (Some(slug), Kind::Member) = (v.slug, kind) {
        let _ = write!(
            main,
            "<form method=\"post\" action=\"{BASE}/{}/{}/confirmer\" class=\"publication\"><input type=\"hidden\" name=\"_jeton\" value=\"{}\"><input type=\"hidden\" name=\"_empreinte\" value=\"{}\"><input type=\"hidden\" name=\"_envoi\" value=\"{}\"><p>Le membre a confirmé ses informations (nouveaux patients, soins non programmés, téléconsultation, langues, téléphones et horaires)\u{a0}: la date de vérification devient celle du jour, {}. Rien d’autre ne change dans le fichier.</p><button type=\"submit\" class=\"secondaire\">Confirmer la fiche</button></form>",
            kind.name(),
            esc(slug),
            esc(&ctx.token),
            esc(v.hash),
            submission_key(),
            crate::render::text::date_long(ctx.ed.today())
        );
    }
    ctx.page(v.status, &title, Some(kind), false, &main)
}

/// Whether a record is published, for kinds that have the notion.
fn publication_of(kind: Kind, v: &Value) -> Option<bool> {
    match kind {
        Kind::Member => Some(v.get("publie").and_then(Value::as_bool).unwrap_or(false)),
        Kind::Action | Kind::Offer | Kind::News | Kind::Page => {
            Some(!v.get("brouillon").and_then(Value::as_bool).unwrap_or(false))
        }
        _ => None,
    }
}

fn record_page(ctx: &Ctx, kind: Kind, slug: &str, rel: &str) -> Response {
    let (text, hash) = match ctx.ed.read(rel) {
        Ok(t) => t,
        Err(_) => return not_found(ctx),
    };
    let saved = ctx
        .query
        .contains_key("enregistre")
        .then(|| ("Modifications enregistrées. Le site se met à jour.".to_string(), false));
    let saved = saved.or_else(|| {
        ctx.query.contains_key("inchange").then(|| ("Aucune modification à enregistrer.".to_string(), false))
    });
    let saved = saved.or_else(|| ctx.query.get("avis").map(|a| (esc(a), false)));
    let forced_text = ctx.query.contains_key("texte");
    let parsed = crate::source::yaml_edit::EditableFile::parse(&text, kind.front_matter());
    let broken = ctx.ed.decode_error(rel).is_some();
    match parsed {
        Ok(file) if !forced_text && !broken => {
            let shown = {
                let schema = ctx.ed.schema(kind);
                form::render(Schema::new(&schema), file.value(), &form::Context::default()).1
            };
            let draft = Draft {
                kind,
                rel: rel.to_string(),
                value: file.value().clone(),
                index: Default::default(),
                text: text.clone(),
                file: file.clone(),
            };
            let placed = ctx.ed.place(&draft, &shown);
            form_page(
                ctx,
                FormView {
                    kind,
                    slug: Some(slug),
                    value: file.value(),
                    body: file.body(),
                    hash: &hash,
                    placed: &placed,
                    notice: saved,
                    status: StatusCode::OK,
                },
            )
        }
        other => {
            let why = match (&other, forced_text) {
                (_, true) => None,
                (Err(e), _) => Some(format!("Ce fichier ne peut pas s’ouvrir en formulaire\u{a0}: {e}.")),
                (Ok(_), _) => Some("Ce fichier contient des erreurs qui empêchent de l’ouvrir en formulaire\u{a0}: corrigez-les ici, dans le texte du fichier.".to_string()),
            };
            let placed = ctx.ed.check_text(kind, rel, &text);
            text_page(ctx, kind, slug, rel, &text, &hash, &placed, why.or(saved.map(|s| s.0)), StatusCode::OK)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn text_page(
    ctx: &Ctx,
    kind: Kind,
    slug: &str,
    rel: &str,
    text: &str,
    hash: &str,
    placed: &Placed,
    why: Option<String>,
    status: StatusCode,
) -> Response {
    let title = format!("{} — mode texte", Editor::slug_of(rel));
    let mut main = format!(
        "<nav class=\"fil\" aria-label=\"Fil d’Ariane\"><p><a href=\"{BASE}/\">Édition</a> › <a href=\"{BASE}/{}/\">{}</a> › <span aria-current=\"page\">{}</span></p></nav><h1>{}</h1>",
        kind.name(),
        esc(kind.label()),
        esc(slug),
        esc(&title)
    );
    if let Some(w) = why {
        main.push_str(&pages::notice(&esc(&w), false));
    }
    let _ = write!(
        main,
        "<p class=\"liens-fiche\"><a href=\"{BASE}/{}/{}\">Revenir au formulaire</a></p>\
<div id=\"resume\" class=\"resume\" tabindex=\"-1\">{}</div><p id=\"annonce\" class=\"visuellement-cache\" aria-live=\"polite\"></p>\
<form method=\"post\" action=\"{BASE}/{}/{}/texte\" class=\"fiche texte\" data-verifier=\"{BASE}/{}/{}/verifier\">\
<input type=\"hidden\" name=\"_jeton\" value=\"{}\"><input type=\"hidden\" name=\"_empreinte\" value=\"{}\"><input type=\"hidden\" name=\"_envoi\" value=\"{}\">\
<div class=\"champ long\"><label for=\"f-_texte\">Contenu du fichier <code>{}</code></label><textarea id=\"f-_texte\" name=\"_texte\" rows=\"{}\" spellcheck=\"false\" aria-describedby=\"resume\">{}</textarea></div>\
<div class=\"enregistrer\"><button type=\"submit\" class=\"principal\">Enregistrer</button></div></form>",
        kind.name(),
        esc(slug),
        summary_html(placed),
        kind.name(),
        esc(slug),
        kind.name(),
        esc(slug),
        esc(&ctx.token),
        esc(hash),
        submission_key(),
        esc(rel),
        (text.lines().count() + 2).clamp(10, 40),
        form::textarea_text(text)
    );
    ctx.page(status, &title, Some(kind), false, &main)
}

fn new_page(ctx: &Ctx, kind: Kind) -> Response {
    // Duplicate: the other record's values, its name marked as a copy.
    let mut value = Value::Object(Default::default());
    let mut body = kind.front_matter().then(String::new);
    if let Some(from) = ctx.query.get("depuis").and_then(|s| ctx.ed.find(kind, s))
        && let Ok((text, _)) = ctx.ed.read(&from)
        && let Ok(file) = crate::source::yaml_edit::EditableFile::parse(&text, kind.front_matter())
    {
        value = file.value().clone();
        let key = super::state::name_field(kind);
        if let Some(Value::String(s)) = value.get_mut(key) {
            s.push_str(" (copie)");
        }
        body = file.body().map(str::to_string);
    }
    let placed = Placed::default();
    form_page(
        ctx,
        FormView {
            kind,
            slug: None,
            value: &value,
            body: body.as_deref(),
            hash: "",
            placed: &placed,
            notice: None,
            status: StatusCode::OK,
        },
    )
}

/// A form action (add or remove an item): the form again, nothing written. With the script,
/// only the fields and where to put the focus.
fn form_action(ctx: &Ctx, kind: Kind, slug: Option<&str>, rel: Option<&str>, action: &str) -> Response {
    let fields = ctx.fields();
    let schema = ctx.ed.schema(kind);
    let sch = Schema::new(&schema);
    let original = rel
        .and_then(|r| ctx.ed.read(r).ok())
        .and_then(|(t, _)| crate::source::yaml_edit::EditableFile::parse(&t, kind.front_matter()).ok())
        .map(|f| f.value().clone());
    let (mut value, _) = form::read(sch, &fields, original.as_ref(), true);
    let focus = form::apply_action(sch, &mut value, action).unwrap_or_default();
    let body = fields.get("_corps").map(str::to_string);
    let placed = Placed::default();
    if ctx.wants_json() {
        let html = fields_html(ctx, kind, &value, body.as_deref(), &placed);
        return ctx.json(StatusCode::OK, &json!({ "champs": html, "focus": focus }));
    }
    let hash = fields.get("_empreinte").unwrap_or("").to_string();
    form_page(
        ctx,
        FormView {
            kind,
            slug,
            value: &value,
            body: body.as_deref(),
            hash: &hash,
            placed: &placed,
            notice: None,
            status: StatusCode::OK,
        },
    )
}

fn save(ctx: &Ctx, kind: Kind, slug: &str, rel: &str) -> Response {
    let fields = ctx.fields();
    if let Some(action) = fields.get("_action") {
        return form_action(ctx, kind, Some(slug), Some(rel), action);
    }
    let key = fields.get("_envoi").unwrap_or("");
    if let Some(done) = ctx.ed.already_done(key) {
        return ctx.redirect(&done.location);
    }
    let here = format!("{BASE}/{}/{}", kind.name(), slug);
    let location = format!("{here}?enregistre");
    match ctx.ed.save(kind, rel, fields.get("_empreinte").unwrap_or(""), &fields, key, &location) {
        Ok(Some(_)) => ctx.redirect(&location),
        Ok(None) => ctx.redirect(&format!("{here}?inchange")),
        Err(f) => failure(ctx, kind, Some(slug), Some(rel), &fields, f),
    }
}

fn create(ctx: &Ctx, kind: Kind) -> Response {
    let fields = ctx.fields();
    if let Some(action) = fields.get("_action") {
        return form_action(ctx, kind, None, None, action);
    }
    let key = fields.get("_envoi").unwrap_or("");
    if let Some(done) = ctx.ed.already_done(key) {
        return ctx.redirect(&done.location);
    }
    match ctx.ed.create(kind, &fields, key) {
        Ok(draft) => ctx.redirect(&format!("{BASE}/{}/{}?enregistre", kind.name(), Editor::slug_of(&draft.rel))),
        Err(f) => failure(ctx, kind, None, None, &fields, f),
    }
}

/// The page that says why a write did not happen; the coordinator's input is never lost: it is
/// shown again.
fn failure(ctx: &Ctx, kind: Kind, slug: Option<&str>, rel: Option<&str>, fields: &Fields, f: Failure) -> Response {
    match f {
        Failure::NotFound => not_found(ctx),
        Failure::Rejected(b) => {
            let (_, placed) = *b;
            let n = placed.errors();
            let what = if n > 1 { format!("{n} erreurs") } else { "1 erreur".into() };
            posted_again(
                ctx,
                kind,
                slug,
                fields,
                &placed,
                format!("Rien n’a été enregistré\u{a0}: {what} à corriger (voir ci-dessous)."),
            )
        }
        Failure::Conflict { disk, hash } => conflict_page(ctx, kind, slug, rel, fields, &disk, hash),
        Failure::Edit(e) => {
            let notice = format!("Rien n’a été enregistré\u{a0}: {}.", esc(&e.to_string()));
            posted_again(ctx, kind, slug, fields, &Placed::default(), notice)
        }
        Failure::Store(e) => error_page(ctx, &format!("Rien n’a été enregistré\u{a0}: {e}.")),
        Failure::Upload(e) => error_page(ctx, &format!("Fichier refusé\u{a0}: {e}.")),
    }
}

/// The form as posted, shown again with a notice and its messages: nothing typed is lost.
fn posted_again(
    ctx: &Ctx,
    kind: Kind,
    slug: Option<&str>,
    fields: &Fields,
    placed: &Placed,
    notice: String,
) -> Response {
    let schema = ctx.ed.schema(kind);
    let (value, _) = form::read(Schema::new(&schema), fields, None, true);
    let body = fields.get("_corps").map(body_text);
    let hash = fields.get("_empreinte").unwrap_or("").to_string();
    let view = FormView {
        kind,
        slug,
        value: &value,
        body: body.as_deref(),
        hash: &hash,
        placed,
        notice: Some((notice, true)),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    };
    form_page(ctx, view)
}

fn error_page(ctx: &Ctx, message: &str) -> Response {
    ctx.page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Erreur",
        None,
        false,
        &format!("<h1>Erreur</h1>{}", pages::notice(&esc(message), true)),
    )
}

fn conflict_page(
    ctx: &Ctx,
    kind: Kind,
    slug: Option<&str>,
    rel: Option<&str>,
    fields: &Fields,
    disk: &str,
    hash: u64,
) -> Response {
    let (Some(slug), Some(rel)) = (slug, rel) else { return not_found(ctx) };
    // Their version: their form applied to the file as it is now.
    let mine = match ctx.ed.draft(kind, rel, Some(disk), fields) {
        Ok(d) => d.text,
        Err(_) => fields.get("_texte").unwrap_or("").to_string(),
    };
    let mine = fields.get("_texte").map_or(mine, str::to_string);
    let mut main = format!(
        "<nav class=\"fil\" aria-label=\"Fil d’Ariane\"><p><a href=\"{BASE}/\">Édition</a> › <a href=\"{BASE}/{}/\">{}</a> › <span aria-current=\"page\">{}</span></p></nav><h1>Le fichier a changé entre-temps</h1>",
        kind.name(),
        esc(kind.label()),
        esc(slug)
    );
    main.push_str(&pages::notice(
        "Rien n’a été enregistré\u{a0}: le fichier a été modifié depuis que vous l’avez ouvert (dans un autre onglet, un éditeur de texte, ou par une mise à jour). Comparez les deux versions, puis choisissez.",
        true,
    ));
    main.push_str(&pages::two_versions(&mine, disk));
    let _ = write!(
        main,
        "<div class=\"choix-conflit\"><p><a class=\"bouton\" href=\"{BASE}/{}/{}\">Garder la version enregistrée et rouvrir le formulaire</a></p>\
<form method=\"post\" action=\"{BASE}/{}/{}/texte\"><input type=\"hidden\" name=\"_jeton\" value=\"{}\"><input type=\"hidden\" name=\"_empreinte\" value=\"{}\"><input type=\"hidden\" name=\"_envoi\" value=\"{}\"><input type=\"hidden\" name=\"_texte\" value=\"{}\"><button type=\"submit\" class=\"secondaire\">Remplacer par votre version</button></form></div>",
        kind.name(),
        esc(slug),
        kind.name(),
        esc(slug),
        esc(&ctx.token),
        format_args!("{hash:016x}"),
        submission_key(),
        esc(&mine)
    );
    ctx.page(StatusCode::CONFLICT, "Conflit", Some(kind), false, &main)
}

fn save_text(ctx: &Ctx, kind: Kind, slug: &str, rel: &str) -> Response {
    let fields = ctx.fields();
    let key = fields.get("_envoi").unwrap_or("");
    if let Some(done) = ctx.ed.already_done(key) {
        return ctx.redirect(&done.location);
    }
    let text = fields.get("_texte").unwrap_or("");
    let here = format!("{BASE}/{}/{}", kind.name(), slug);
    let location = format!("{here}?enregistre");
    match ctx.ed.save_text(kind, rel, fields.get("_empreinte").unwrap_or(""), text, key, &location) {
        Ok(None) => ctx.redirect(&location),
        Ok(Some(placed)) => {
            let n = placed.errors();
            let what = if n > 1 { format!("{n} erreurs") } else { "1 erreur".into() };
            let why = format!("Rien n’a été enregistré\u{a0}: {what} à corriger.");
            let hash = fields.get("_empreinte").unwrap_or("");
            text_page(ctx, kind, slug, rel, text, hash, &placed, Some(why), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(f) => failure(ctx, kind, Some(slug), Some(rel), &fields, f),
    }
}

/// Checks while typing: the form as it is now, checked as a save would be, without writing.
fn check(ctx: &Ctx, kind: Kind, rel: Option<&str>) -> Response {
    let fields = ctx.fields();
    let placed = if let (Some(text), Some(rel)) = (fields.get("_texte"), rel) {
        ctx.ed.check_text(kind, rel, text)
    } else {
        let base = rel.and_then(|r| ctx.ed.read(r).ok()).map(|(t, _)| t);
        let target = rel.map_or_else(|| ctx.ed.new_rel(kind, &fields), str::to_string);
        match ctx.ed.draft(kind, &target, base.as_deref(), &fields) {
            Ok(draft) => {
                let schema = ctx.ed.schema(kind);
                let (shown_value, _) = form::read(Schema::new(&schema), &fields, None, true);
                let (_, shown) = form::render(Schema::new(&schema), &shown_value, &form::Context::default());
                ctx.ed.place(&draft, &shown)
            }
            Err(e) => Placed {
                record: vec![Note { error: true, message: e.to_string(), hint: None, code: None }],
                blocks: true,
                ..Placed::default()
            },
        }
    };
    let champs: BTreeMap<String, String> =
        placed.fields.iter().map(|(p, n)| (p.clone(), form::notes_inner(n))).collect();
    let errors = placed.errors();
    ctx.json(StatusCode::OK, &json!({ "resume": summary_html(&placed), "champs": champs, "erreurs": errors }))
}

fn delete_page(ctx: &Ctx, kind: Kind, slug: &str, rel: &str) -> Response {
    let Ok((_, hash)) = ctx.ed.read(rel) else { return not_found(ctx) };
    let title = ctx.ed.records(kind).into_iter().find(|r| r.rel == rel).map_or_else(|| slug.to_string(), |r| r.title);
    let main = format!(
        "<h1>Mettre «\u{a0}{t}\u{a0}» à la corbeille\u{a0}?</h1><p>La fiche disparaîtra du site. Elle reste dans la <a href=\"{BASE}/corbeille/\">corbeille</a>, d’où vous pourrez la restaurer.</p>\
<form method=\"post\" action=\"{BASE}/{k}/{s}/supprimer\"><input type=\"hidden\" name=\"_jeton\" value=\"{tok}\"><input type=\"hidden\" name=\"_empreinte\" value=\"{h}\"><input type=\"hidden\" name=\"_envoi\" value=\"{e}\">\
<button type=\"submit\" class=\"danger\">Mettre à la corbeille</button> <a href=\"{BASE}/{k}/{s}\">Annuler</a></form>",
        t = esc(&title),
        k = kind.name(),
        s = esc(slug),
        tok = esc(&ctx.token),
        h = esc(&hash),
        e = submission_key()
    );
    ctx.page(StatusCode::OK, "Corbeille", Some(kind), false, &main)
}

/// The moment, in Paris, for the bin's entry names.
fn stamp() -> String {
    let now = jiff::Zoned::now();
    let paris = now.in_tz("Europe/Paris").unwrap_or(now);
    paris.strftime("%Y-%m-%dT%H-%M-%S").to_string()
}

fn delete(ctx: &Ctx, kind: Kind, slug: &str, rel: &str) -> Response {
    let fields = ctx.fields();
    let key = fields.get("_envoi").unwrap_or("");
    let title = ctx.ed.records(kind).into_iter().find(|r| r.rel == rel).map_or_else(|| slug.to_string(), |r| r.title);
    let location = format!(
        "{BASE}/{}/?avis={}",
        kind.name(),
        percent_encoding::utf8_percent_encode(
            &format!("« {title} » a été mis à la corbeille."),
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    match ctx.ed.delete(rel, fields.get("_empreinte").unwrap_or(""), &stamp(), key, &location) {
        Ok(_) => ctx.redirect(&location),
        Err(Failure::Rejected(b)) => {
            let (_, placed) = *b;
            let mut main = format!("<h1>«\u{a0}{}\u{a0}» ne peut pas aller à la corbeille</h1>", esc(&title));
            main.push_str(&pages::notice(
                "D’autres fiches la citent\u{a0}: retirez d’abord ces mentions, puis recommencez.",
                true,
            ));
            main.push_str("<ul>");
            for d in &placed.elsewhere {
                let _ =
                    write!(main, "<li><code>{}</code>, ligne {}\u{a0}: {}</li>", esc(&d.file), d.line, esc(&d.message));
            }
            let _ = write!(main, "</ul><p><a href=\"{BASE}/{}/{}\">Revenir à la fiche</a></p>", kind.name(), esc(slug));
            ctx.page(StatusCode::UNPROCESSABLE_ENTITY, "Corbeille", Some(kind), false, &main)
        }
        Err(f) => failure(ctx, kind, Some(slug), Some(rel), &fields, f),
    }
}

fn toggle(ctx: &Ctx, kind: Kind, slug: &str, rel: &str) -> Response {
    let Ok((text, _)) = ctx.ed.read(rel) else { return not_found(ctx) };
    let Ok(file) = crate::source::yaml_edit::EditableFile::parse(&text, kind.front_matter()) else {
        return ctx.redirect(&format!("{BASE}/{}/{}?texte", kind.name(), slug));
    };
    let Some(published) = publication_of(kind, file.value()) else { return not_found(ctx) };
    let what = if published { "La fiche n’est plus publiée." } else { "La fiche est publiée." };
    let here = format!("{BASE}/{}/{}", kind.name(), slug);
    one_change(ctx, kind, slug, rel, &here, what, "Impossible de changer la publication", |o| {
        if kind == Kind::Member {
            o.insert("publie".into(), Value::Bool(!published));
        } else if published {
            o.insert("brouillon".into(), Value::Bool(true));
        } else {
            o.remove("brouillon");
        }
    })
}

/// The member confirmed its entry: `verifie_le` becomes today, and nothing else in the file
/// changes (one line, written or added). Back to the review list when asked from it.
fn confirm(ctx: &Ctx, slug: &str, rel: &str) -> Response {
    let today = ctx.ed.today();
    let what = format!("Fiche confirmée le {} : ses informations sont à jour.", crate::render::text::date_long(today));
    let back = match ctx.fields().get("_retour") {
        Some("relances") => format!("{BASE}/relances"),
        _ => format!("{BASE}/{}/{}", Kind::Member.name(), slug),
    };
    one_change(ctx, Kind::Member, slug, rel, &back, &what, "Impossible de confirmer la fiche", |o| {
        o.insert("verifie_le".into(), Value::String(today.to_string()));
    })
}

/// Saves a record with one value changed by `change` (the record's other fields as they are),
/// then goes to `back` with `what` as the notice; a change the checks refuse writes nothing.
#[allow(clippy::too_many_arguments)]
fn one_change(
    ctx: &Ctx,
    kind: Kind,
    slug: &str,
    rel: &str,
    back: &str,
    what: &str,
    refused: &str,
    change: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Response {
    let fields = ctx.fields();
    let key = fields.get("_envoi").unwrap_or("").to_string();
    if let Some(done) = ctx.ed.already_done(&key) {
        return ctx.redirect(&done.location);
    }
    let Ok((text, _)) = ctx.ed.read(rel) else { return not_found(ctx) };
    let hash = fields.get("_empreinte").unwrap_or("").to_string();
    let Ok(file) = crate::source::yaml_edit::EditableFile::parse(&text, kind.front_matter()) else {
        return ctx.redirect(&format!("{BASE}/{}/{}?texte", kind.name(), slug));
    };
    // The same save as a form's, with one value changed: the record's own fields as they are.
    let mut value = file.value().clone();
    if let Some(o) = value.as_object_mut() {
        change(o);
    }
    let location =
        format!("{back}?avis={}", percent_encoding::utf8_percent_encode(what, percent_encoding::NON_ALPHANUMERIC));
    match ctx.ed.save_value(kind, rel, &hash, &value, &key, &location) {
        Ok(_) => ctx.redirect(&location),
        Err(Failure::Rejected(_)) => {
            let here = format!("{BASE}/{}/{}", kind.name(), slug);
            let main = format!(
                "<h1>{}</h1>{}<p><a href=\"{here}\">Revenir à la fiche</a> pour corriger les erreurs.</p>",
                esc(refused),
                pages::notice("Rien n’a été enregistré\u{a0}: la fiche contient des erreurs.", true)
            );
            ctx.page(StatusCode::UNPROCESSABLE_ENTITY, refused, Some(kind), false, &main)
        }
        Err(f) => failure(ctx, kind, Some(slug), Some(rel), &fields, f),
    }
}

/// The review round (`maillage relances`): the members to contact, oldest confirmation first,
/// each with what to confirm and the button that records the confirmation.
fn round_page(ctx: &Ctx) -> Response {
    let today = ctx.ed.today();
    let list = ctx.ed.site().map(|site| crate::review::round(&site, today)).unwrap_or_default();
    let mut main = String::from(
        "<nav class=\"fil\" aria-label=\"Fil d’Ariane\"><p><a href=\"/_edition/\">Édition</a> › <span aria-current=\"page\">Relances</span></p></nav><h1>Relances</h1>",
    );
    if let Some(n) = ctx.query.get("avis") {
        main.push_str(&pages::notice(&esc(n), false));
    }
    main.push_str("<p>Les membres dont une information publiée n’a pas été confirmée depuis trop longtemps (durées de «\u{a0}fraicheur\u{a0}» dans cpts.yaml), les plus anciennes d’abord. Le site les affiche «\u{a0}à confirmer\u{a0}». Une fois le membre joint, corrigez sa fiche, ou confirmez-la\u{a0}: seule sa date de vérification change. La même liste s’obtient avec <code>maillage relances</code> (aussi en CSV et en messages prêts à envoyer).</p>");
    if list.is_empty() {
        main.push_str(
            "<p role=\"status\">Aucune information à confirmer\u{a0}: toutes les fiches publiées sont à jour.</p>",
        );
    } else {
        let _ = write!(
            main,
            "<table class=\"fiches\"><caption>{} à joindre</caption><thead><tr><th scope=\"col\">Membre</th><th scope=\"col\">Contact</th><th scope=\"col\">À confirmer</th><th scope=\"col\">Confirmation</th></tr></thead><tbody>",
            if list.len() > 1 { format!("{} membres", list.len()) } else { "1 membre".to_string() }
        );
        for r in &list {
            let Some(rel) = ctx.ed.find(Kind::Member, &r.slug) else { continue };
            let Ok((_, hash)) = ctx.ed.read(&rel) else { continue };
            let contact: Vec<String> =
                [r.phone.as_deref(), r.email.as_deref()].into_iter().flatten().map(esc).collect();
            let what: Vec<String> =
                r.stale().map(|f| format!("<li>{} ({})</li>", esc(&f.what()), esc(&f.when))).collect();
            let _ = write!(
                main,
                "<tr><td><a href=\"{BASE}/{m}/{slug}\">{name}</a><br><span class=\"detail\">{kind}</span></td><td>{contact}</td><td><ul>{what}</ul></td><td><form method=\"post\" action=\"{BASE}/{m}/{slug}/confirmer\"><input type=\"hidden\" name=\"_jeton\" value=\"{token}\"><input type=\"hidden\" name=\"_empreinte\" value=\"{hash}\"><input type=\"hidden\" name=\"_envoi\" value=\"{key}\"><input type=\"hidden\" name=\"_retour\" value=\"relances\"><button type=\"submit\" class=\"secondaire\">Confirmer<span class=\"visuellement-cache\"> la fiche de {name}</span></button></form></td></tr>",
                m = Kind::Member.name(),
                slug = esc(&r.slug),
                name = esc(&r.name),
                kind = esc(&r.kind),
                contact = contact.join("<br>"),
                what = what.join(""),
                token = esc(&ctx.token),
                hash = esc(&hash),
                key = submission_key(),
            );
        }
        main.push_str("</tbody></table>");
    }
    ctx.page(StatusCode::OK, "Relances", None, false, &main)
}

fn bin_page(ctx: &Ctx, notice: Option<String>) -> Response {
    let entries = store::bin(&ctx.ed.opts.root);
    let mut main = String::from(
        "<h1>Corbeille</h1><p>Les fiches mises à la corbeille ne sont plus sur le site. Restaurez-les pour les remettre à leur place.</p>",
    );
    if let Some(n) = notice.or_else(|| ctx.query.get("avis").cloned()) {
        main.push_str(&pages::notice(&esc(&n), false));
    }
    if entries.is_empty() {
        main.push_str("<p>La corbeille est vide.</p>");
    } else {
        main.push_str("<table class=\"fiches\"><caption>Fiches dans la corbeille, les plus récentes d’abord</caption><thead><tr><th scope=\"col\">Fiche</th><th scope=\"col\">Mise à la corbeille le</th><th scope=\"col\">Action</th></tr></thead><tbody>");
        for e in &entries {
            let main_file = e.files.iter().find(|f| f.ends_with(".yaml") || f.ends_with(".md")).unwrap_or(&e.files[0]);
            let title = bin_title(&ctx.ed.opts.root.join(store::BIN_DIR).join(&e.id).join(main_file), main_file)
                .unwrap_or_else(|| Editor::slug_of(main_file));
            let _ = write!(
                main,
                "<tr><td>{}<br><span class=\"detail\">{}</span></td><td>{}</td><td><form method=\"post\" action=\"{BASE}/corbeille/{}/restaurer\"><input type=\"hidden\" name=\"_jeton\" value=\"{}\"><button type=\"submit\" class=\"secondaire\">Restaurer<span class=\"visuellement-cache\"> «\u{a0}{}\u{a0}»</span></button></form></td></tr>",
                esc(&title),
                esc(&e.files.join(", ")),
                esc(&e.when()),
                esc(&e.id),
                esc(&ctx.token),
                esc(&title)
            );
        }
        main.push_str("</tbody></table>");
    }
    ctx.page(StatusCode::OK, "Corbeille", None, true, &main)
}

/// A title for a file in the bin, as lists give it (the file's name when it does not decode).
fn bin_title(path: &std::path::Path, rel: &str) -> Option<String> {
    let bytes = crate::limits::read_file(path, crate::limits::MAX_TEXT_BYTES).ok()?;
    let (kind, within) = crate::source::classify(rel.strip_prefix("content/")?)?;
    let decoded =
        crate::model::DecodedFile::new(crate::source::SourceFile { kind, rel: rel.to_string(), within, bytes });
    Some(super::content::title_of(rel, &decoded))
}

fn restore(ctx: &Ctx, id: &str) -> Response {
    match ctx.ed.restore(id) {
        Ok(files) => {
            let first = files.iter().find(|f| f.ends_with(".yaml") || f.ends_with(".md")).cloned().unwrap_or_default();
            let link = crate::source::classify(first.strip_prefix("content/").unwrap_or(""))
                .and_then(|(sk, _)| Kind::of_source(sk))
                .map(|k| {
                    format!(
                        "{BASE}/{}/{}?avis={}",
                        k.name(),
                        Editor::slug_of(&first),
                        percent_encoding::utf8_percent_encode("Fiche restaurée.", percent_encoding::NON_ALPHANUMERIC)
                    )
                });
            ctx.redirect(&link.unwrap_or_else(|| format!("{BASE}/corbeille/")))
        }
        Err(Failure::Store(store::StoreError::Exists(rel))) => bin_page(
            ctx,
            Some(format!(
                "Impossible de restaurer\u{a0}: le fichier {rel} existe de nouveau. Renommez ou mettez à la corbeille la fiche qui l’occupe, puis recommencez."
            )),
        ),
        Err(Failure::NotFound) => bin_page(ctx, Some("Cette entrée n’est plus dans la corbeille.".into())),
        Err(_) => bin_page(ctx, Some("La restauration a échoué.".into())),
    }
}

fn preview(ctx: &Ctx) -> Response {
    let text = String::from_utf8_lossy(ctx.body);
    let html = crate::render::markdown::to_html(&text);
    answer(StatusCode::OK, "text/html; charset=utf-8", html, ctx.cookie.as_deref())
}

fn upload(ctx: &Ctx) -> Response {
    let Some(to) = ctx.query.get("dossier").and_then(|d| Destination::from_name(d)) else {
        return ctx.json(StatusCode::BAD_REQUEST, &json!({ "erreur": "destination inconnue" }));
    };
    let name = ctx.header("x-nom-fichier").and_then(decode_segment).unwrap_or_default();
    match ctx.ed.upload(to, &name, ctx.body) {
        Ok(reference) => ctx.json(StatusCode::OK, &json!({ "chemin": reference })),
        Err(Failure::Upload(e)) => ctx.json(StatusCode::BAD_REQUEST, &json!({ "erreur": e.to_string() })),
        Err(Failure::Store(e)) => ctx.json(StatusCode::BAD_REQUEST, &json!({ "erreur": e.to_string() })),
        Err(_) => ctx.json(StatusCode::INTERNAL_SERVER_ERROR, &json!({ "erreur": "enregistrement impossible" })),
    }
}
