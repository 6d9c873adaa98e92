//! The editor over real HTTP (`/_edition/`): what a coordinator's browser does, and what a
//! hostile page or request tries. Each test serves a small site from a temporary folder.

mod common;

use common::*;
use maillage::edit::{self, Editor, EditorOptions};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;

/// An action naming the member, so that removing her would break it.
const ACTION_PATH: &str = "content/actions/depistage.md";
const ACTION_MD: &str = "---\ntitre: Dépistage\nresume: Un dépistage.\nreferents:\n  - claire-exemple\nseances:\n  - date: 2026-12-10\n    lieu: Mairie\n    commune: \"83073\"\n---\n\nTexte.\n";

struct Server {
    addr: SocketAddr,
    editor: Arc<Editor>,
    _runtime: tokio::runtime::Runtime,
}

fn start(root: &Path, password: Option<&str>, connect_info: bool) -> Server {
    let editor = Editor::load(EditorOptions {
        root: root.to_path_buf(),
        today: TODAY,
        password: password.map(str::to_string),
        base_url: None,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    editor.guard.set_port(addr.port());
    let app = edit::router(Arc::clone(&editor));
    if connect_info {
        runtime
            .spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await });
    } else {
        runtime.spawn(async move { axum::serve(listener, app).await });
    }
    Server { addr, editor, _runtime: runtime }
}

/// An answer: status, headers (lowercase names), body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: 127.0.0.1:{}\r\n", addr.port()));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).unwrap();
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").map_or(buf.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut body = buf[split..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Answer { status, head, body: String::from_utf8_lossy(&body).into_owned() }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..i]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + size]);
        b = &b[i + 2 + size + 2..];
    }
    out
}

/// A browser session: its cookie and token.
struct Browser {
    addr: SocketAddr,
    cookie: String,
    token: String,
}

impl Browser {
    fn open(addr: SocketAddr) -> Browser {
        let a = request(addr, "GET", "/_edition/", &[], b"");
        assert_eq!(a.status, 200, "{}", a.body);
        let cookie = a.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
        let token = attr_after(&a.body, "name=\"maillage-jeton\" content=\"").unwrap();
        Browser { addr, cookie, token }
    }

    fn get(&self, path: &str) -> Answer {
        request(self.addr, "GET", path, &[("Cookie", &self.cookie)], b"")
    }

    fn post(&self, path: &str, fields: &[(String, String)]) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let origin = format!("http://127.0.0.1:{}", self.addr.port());
        request(
            self.addr,
            "POST",
            path,
            &[("Cookie", &self.cookie), ("Origin", &origin), ("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
    }

    /// The fields a browser would send for the form posting to `action` on page `path`, with
    /// `changes` made.
    fn form(&self, path: &str, action: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
        let page = self.get(path);
        assert_eq!(page.status, 200, "{}", page.body);
        let mut fields = form_fields(&page.body, action);
        for (k, v) in changes {
            match fields.iter_mut().find(|(n, _)| n == k) {
                Some(f) => f.1 = v.to_string(),
                None => fields.push((k.to_string(), v.to_string())),
            }
        }
        fields
    }
}

fn attr_after(text: &str, marker: &str) -> Option<String> {
    let i = text.find(marker)? + marker.len();
    Some(text[i..].split('"').next()?.to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The fields of the form whose action is `action`, as a browser would post them.
fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("action=\"{action}\"")).unwrap_or_else(|| panic!("no form for {action}:\n{html}"));
    let form = &html[start..];
    let form = &form[..form.find("</form>").unwrap()];
    let attr = |tag: &str, name: &str| attr_after(tag, &format!(" {name}=\"")).map(|v| unescape(&v));
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        let after = &rest[end + 1..];
        if let Some(name) = attr(tag, "name") {
            if tag.starts_with("<input") {
                let ty = attr(tag, "type").unwrap_or_default();
                let checked = tag.contains(" checked");
                if (checked || !matches!(ty.as_str(), "checkbox" | "radio")) && ty != "file" {
                    out.push((name, attr(tag, "value").unwrap_or_default()));
                }
            } else if tag.starts_with("<select") {
                let options = &after[..after.find("</select>").unwrap()];
                let selected =
                    options.split("<option").find(|o| o.contains(" selected")).and_then(|o| attr_after(o, "value=\""));
                out.push((name, selected.map(|v| unescape(&v)).unwrap_or_default()));
            } else if tag.starts_with("<textarea") {
                out.push((name, unescape(&after[..after.find("</textarea>").unwrap()])));
            }
        }
        rest = after;
    }
    out
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(root)
}

const MEMBER_PAGE: &str = "/_edition/membre/claire-exemple";

#[test]
fn a_save_changes_one_line_and_a_second_post_writes_nothing() {
    let dir = site(&[]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let fields = b.form(MEMBER_PAGE, MEMBER_PAGE, &[("lieux.0.telephone", "04 94 00 00 99")]);
    let a = b.post(MEMBER_PAGE, &fields);
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location").as_deref(), Some("/_edition/membre/claire-exemple?enregistre"));
    assert_eq!(read(dir.path(), MEMBER_PATH), MEMBER_YAML.replace("04 94 00 00 01", "04 94 00 00 99"));
    // The same form again (a double click, a reload): the same answer, nothing written.
    let before = std::fs::metadata(dir.path().join(MEMBER_PATH)).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = b.post(MEMBER_PAGE, &fields);
    assert_eq!(again.status, 303);
    assert_eq!(std::fs::metadata(dir.path().join(MEMBER_PATH)).unwrap().modified().unwrap(), before);
    let page = b.get("/_edition/membre/claire-exemple?enregistre");
    assert!(page.body.contains("Modifications enregistrées"), "{}", page.body);
}

#[test]
fn an_invalid_value_is_shown_at_its_field_and_never_written() {
    let dir = site(&[]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let fields = b.form(MEMBER_PAGE, MEMBER_PAGE, &[("rpps", "10000000008")]);
    let a = b.post(MEMBER_PAGE, &fields);
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(read(dir.path(), MEMBER_PATH), MEMBER_YAML, "rien ne doit être écrit");
    let at_field = a.body.find("id=\"e-rpps\"").map(|i| &a.body[i..i + 400]).unwrap_or("");
    assert!(at_field.contains("class=\"erreur\""), "message absent du champ : {at_field}");
    assert!(a.body.contains("value=\"10000000008\""), "la saisie doit être gardée");
    // The message leads to the guide's section on its code, the form to its kind's topic and the
    // header to the editor's own: all pages that `maillage serve` serves at /_guide/.
    let field = a.body.find("id=\"e-rpps\"").map(|i| &a.body[i..]).and_then(|t| t.split("</div>").next()).unwrap_or("");
    let code = field.split("href=\"/_guide/erreurs/#").nth(1).and_then(|t| t.split('"').next()).unwrap_or("");
    assert!(maillage::guide::code_section(code).is_some(), "pas de lien vers le guide : {field}");
    for topic in ["/_guide/membres/", "/_guide/editeur/"] {
        assert!(a.body.contains(&format!("href=\"{topic}\"")), "{topic} : {}", a.body);
        let slug = topic.trim_start_matches("/_guide/").trim_end_matches('/');
        assert!(maillage::guide::TOPICS.iter().any(|t| t.slug == slug), "{slug}");
    }
    // The check while typing says the same, without writing.
    let mut check = fields.clone();
    check.retain(|(k, _)| k != "_envoi");
    let c = b.post("/_edition/membre/claire-exemple/verifier", &check);
    assert_eq!(c.status, 200);
    let v: serde_json::Value = serde_json::from_str(&c.body).unwrap();
    assert!(v["champs"]["rpps"].as_str().unwrap_or("").contains("erreur"), "{v}");
    assert_eq!(v["erreurs"], 1);
    assert_eq!(read(dir.path(), MEMBER_PATH), MEMBER_YAML);
}

#[test]
fn a_file_changed_meanwhile_is_not_overwritten_and_both_versions_are_shown() {
    let dir = site(&[]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let fields = b.form(MEMBER_PAGE, MEMBER_PAGE, &[("lieux.0.telephone", "04 94 00 00 99")]);
    let theirs = MEMBER_YAML.replace("2 rue des Écoles", "4 rue des Écoles");
    write(dir.path(), MEMBER_PATH, &theirs);
    let a = b.post(MEMBER_PAGE, &fields);
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(read(dir.path(), MEMBER_PATH), theirs);
    assert!(
        a.body.contains("Votre version") && a.body.contains("<mark>    telephone: &quot;04 94 00 00 99&quot;</mark>"),
        "{}",
        a.body
    );
    assert!(a.body.contains("<mark>  - adresse: 4 rue des Écoles</mark>"), "{}", a.body);
}

#[test]
fn writes_need_the_session_token_and_the_servers_own_origin() {
    let dir = site(&[]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let fields = b.form(MEMBER_PAGE, MEMBER_PAGE, &[("nom", "Piratée")]);
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(&fields).finish();
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    let own = format!("http://127.0.0.1:{}", server.addr.port());
    let cookie = b.cookie.as_str();
    let no_token: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter().filter(|(k, _)| k != "_jeton"))
        .finish();
    let other = Browser::open(server.addr);
    let other_token: String = body.replace(&b.token, &other.token);
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        ("sans Origin", vec![("Cookie", cookie), form], body.as_str()),
        ("Origin étrangère", vec![("Cookie", cookie), ("Origin", "http://evil.example"), form], body.as_str()),
        ("Origin null", vec![("Cookie", cookie), ("Origin", "null"), form], body.as_str()),
        ("sans jeton", vec![("Cookie", cookie), ("Origin", &own), form], no_token.as_str()),
        ("jeton d’une autre session", vec![("Cookie", cookie), ("Origin", &own), form], other_token.as_str()),
        ("sans session", vec![("Origin", &own), form], body.as_str()),
        (
            "Host étranger (DNS rebinding)",
            vec![("Host", "evil.example"), ("Cookie", cookie), ("Origin", "http://evil.example"), form],
            body.as_str(),
        ),
    ];
    for (what, headers, body) in cases {
        let a = request(server.addr, "POST", MEMBER_PAGE, &headers, body.as_bytes());
        assert_eq!(a.status, 403, "{what}: {}", a.body);
        assert_eq!(read(dir.path(), MEMBER_PATH), MEMBER_YAML, "{what}");
    }
    // Reading through a foreign name is refused too (a rebound page could read the token).
    for host in ["evil.example", "evil.example:80", &format!("evil.example:{}", server.addr.port()), "127.0.0.1:1"] {
        let a = request(server.addr, "GET", "/_edition/", &[("Host", host)], b"");
        assert_eq!(a.status, 403, "{host}");
        assert!(!a.body.contains(&b.token));
    }
    for host in ["localhost", "[::1]"] {
        let a = request(server.addr, "GET", "/_edition/", &[("Host", &format!("{host}:{}", server.addr.port()))], b"");
        assert_eq!(a.status, 200, "{host}");
    }
    // And the real thing passes.
    assert_eq!(b.post(MEMBER_PAGE, &fields).status, 303);
    assert!(read(dir.path(), MEMBER_PATH).contains("nom: Piratée"));
}

#[test]
fn without_a_password_only_this_computer_is_answered() {
    let dir = site(&[]);
    // A server that cannot tell the peer's address refuses everything.
    let server = start(dir.path(), None, false);
    let a = request(server.addr, "GET", "/_edition/", &[], b"");
    assert_eq!(a.status, 403);
    assert!(a.body.contains("MAILLAGE_MOT_DE_PASSE"), "{}", a.body);
}

#[test]
fn with_a_password_a_login_opens_the_session() {
    let dir = site(&[]);
    let server = start(dir.path(), Some("cigale-83"), true);
    let a = request(server.addr, "GET", "/_edition/", &[], b"");
    assert_eq!((a.status, a.header("location").as_deref()), (303, Some("/_edition/connexion")));
    let own = format!("http://127.0.0.1:{}", server.addr.port());
    let login = |password: &str, origin: &str| {
        let body = format!("mot_de_passe={password}");
        request(
            server.addr,
            "POST",
            "/_edition/connexion",
            &[("Origin", origin), ("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
    };
    let bad = login("cigale-84", &own);
    assert_eq!(bad.status, 401);
    assert!(bad.header("set-cookie").is_none());
    assert_eq!(login("cigale-83", "http://evil.example").status, 403, "connexion depuis une autre origine");
    let ok = login("cigale-83", &own);
    assert_eq!(ok.status, 303);
    let cookie = ok.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let page = request(server.addr, "GET", MEMBER_PAGE, &[("Cookie", &cookie)], b"");
    assert_eq!(page.status, 200);
    // With a password, the server also answers on its other addresses.
    assert!(server.editor.guard.accepts_host(&format!("192.168.1.10:{}", server.addr.port())));
}

#[test]
fn editor_pages_carry_a_strict_policy() {
    let dir = site(&[]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    for path in ["/_edition/", "/_edition/membre/", MEMBER_PAGE, "/_edition/corbeille/", "/_edition/static/edition.js"]
    {
        let a = b.get(path);
        assert_eq!(a.status, 200, "{path}");
        let csp = a.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(a.header("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
        assert_eq!(a.header("x-frame-options").as_deref(), Some("DENY"), "{path}");
        assert!(!a.body.contains("<script>") && !a.body.contains(" style=\""), "{path}: no inline script or style");
    }
}

#[test]
fn no_request_reaches_outside_the_content_folder() {
    let dir = site(&[]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "nom: secret\n").unwrap();
    #[cfg(unix)]
    {
        std::fs::create_dir_all(dir.path().join("content/static")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("content/static/images")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.yaml"), dir.path().join("content/membres/lien.yaml"))
            .unwrap();
    }
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    for path in [
        "/_edition/membre/..%2F..%2F..%2Fetc%2Fpasswd",
        "/_edition/membre/%2e%2e",
        "/_edition/membre/..%5C..%5Cwindows",
        "/_edition/membre/C:%5Cwindows",
        "/_edition/membre/%2Fetc%2Fpasswd",
        "/_edition/membre/lien",
        "/_edition/../../etc/passwd",
        "/_edition/corbeille/..%2F..%2Fcontent/restaurer",
    ] {
        let a = b.get(path);
        assert!(matches!(a.status, 400 | 404), "{path}: {} {}", a.status, a.body);
        assert!(!a.body.contains("secret") && !a.body.contains("root:"), "{path}");
    }
    for id in ["..%2F..", "..", "%2Fetc", "x%00"] {
        let a = b.post(&format!("/_edition/corbeille/{id}/restaurer"), &[("_jeton".into(), b.token.clone())]);
        assert!(
            a.status != 303 || a.header("location").is_some_and(|l| l.ends_with("/corbeille/")),
            "{id}: {}",
            a.status
        );
    }
    // An upload through a linked folder is refused; nothing lands outside.
    let before = tree(outside.path());
    let a = upload(&b, "images", "evil.png", PNG);
    #[cfg(unix)]
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(tree(outside.path()), before);
}

/// The smallest PNG: one transparent pixel.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

fn upload(b: &Browser, folder: &str, name: &str, bytes: &[u8]) -> Answer {
    let origin = format!("http://127.0.0.1:{}", b.addr.port());
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    request(
        b.addr,
        "POST",
        &format!("/_edition/televersement?dossier={folder}"),
        &[
            ("Cookie", &b.cookie),
            ("Origin", &origin),
            ("X-Maillage-Jeton", &b.token),
            ("X-Nom-Fichier", &encoded),
            ("Content-Type", "application/octet-stream"),
        ],
        bytes,
    )
}

#[test]
fn uploads_are_typed_by_their_bytes_bounded_and_renamed() {
    let dir = site(&[]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let images = dir.path().join("content/static/images");
    let a = upload(&b, "images", "Affiche Octobre Rose.PHP.png", PNG);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body, r#"{"chemin":"images/affiche-octobre-rose-php.png"}"#);
    assert_eq!(std::fs::read(images.join("affiche-octobre-rose-php.png")).unwrap(), PNG);
    // The same file again: stored once.
    assert_eq!(upload(&b, "images", "Affiche Octobre Rose.PHP.png", PNG).body, a.body);
    assert_eq!(std::fs::read_dir(&images).unwrap().count(), 1);
    for (what, name, bytes) in [
        ("HTML", "page.png", b"<html><script>alert(1)</script>".as_slice()),
        ("SVG", "logo.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".as_slice()),
        ("vide", "vide.png", b"".as_slice()),
        ("PDF comme image", "affiche.png", b"%PDF-1.7 ...".as_slice()),
        ("chemin", "../../affiche.png", PNG),
        ("chemin Windows", "..\\..\\affiche.png", PNG),
        ("fichier caché", ".affiche.png", PNG),
        ("périphérique Windows", "AUX.png", PNG),
        ("flux NTFS", "affiche.png:secret", PNG),
    ] {
        let a = upload(&b, "images", name, bytes);
        assert_eq!(a.status, 400, "{what}: {}", a.body);
        assert!(a.body.contains("erreur"), "{what}");
    }
    let big = [PNG, &vec![0u8; 9 * 1024 * 1024]].concat();
    let a = upload(&b, "images", "grosse.png", &big);
    assert_eq!(a.status, 400, "{}", a.body);
    assert!(a.body.contains("trop gros"), "{}", a.body);
    assert_eq!(std::fs::read_dir(&images).unwrap().count(), 1, "rien d’autre n’est écrit");
    // Documents: PDF accepted, stored under documents/.
    let a = upload(&b, "documents", "Fiche d’adhésion.pdf", b"%PDF-1.7\n");
    assert_eq!(a.body, r#"{"chemin":"fiche-d-adhesion.pdf"}"#);
    assert!(dir.path().join("content/documents/fiche-d-adhesion.pdf").is_file());
    // Without the token, nothing.
    let origin = format!("http://127.0.0.1:{}", server.addr.port());
    let a = request(
        server.addr,
        "POST",
        "/_edition/televersement?dossier=images",
        &[("Cookie", &b.cookie), ("Origin", &origin), ("X-Nom-Fichier", "x.png")],
        PNG,
    );
    assert_eq!(a.status, 403);
}

#[test]
fn a_member_goes_to_the_bin_and_comes_back_unless_others_name_her() {
    let dir = site(&[(
        "content/membres/paul-autre.yaml",
        &MEMBER_YAML.replace("Claire", "Paul").replace("10000000009", "10000000017"),
    )]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let original = read(dir.path(), "content/membres/paul-autre.yaml");
    let page = "/_edition/membre/paul-autre/supprimer";
    let fields = b.form(page, page, &[]);
    let a = b.post(page, &fields);
    assert_eq!(a.status, 303, "{}", a.body);
    assert!(!dir.path().join("content/membres/paul-autre.yaml").exists());
    let bin: Vec<_> =
        std::fs::read_dir(dir.path().join(".maillage/corbeille")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(bin.len(), 1);
    assert_eq!(std::fs::read_to_string(bin[0].join("content/membres/paul-autre.yaml")).unwrap(), original);
    // Posted twice: nothing more happens.
    let again = b.post(page, &fields);
    assert!(matches!(again.status, 303 | 404), "{}", again.status);
    assert_eq!(std::fs::read_dir(dir.path().join(".maillage/corbeille")).unwrap().count(), 1);
    // The bin lists it; restoring puts it back as it was.
    let list = b.get("/_edition/corbeille/");
    assert!(list.body.contains("Paul Exemple"), "{}", list.body);
    let id = bin[0].file_name().unwrap().to_string_lossy().into_owned();
    let action = format!("/_edition/corbeille/{id}/restaurer");
    let a = b.post(&action, &form_fields(&list.body, &action));
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(read(dir.path(), "content/membres/paul-autre.yaml"), original);
    assert!(b.get("/_edition/membre/paul-autre").status == 200);
    assert!(b.get("/_edition/corbeille/").body.contains("La corbeille est vide"));
}

#[test]
fn a_member_named_by_an_action_stays() {
    let dir = site(&[(ACTION_PATH, ACTION_MD)]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let page = "/_edition/membre/claire-exemple/supprimer";
    let a = b.post(page, &b.form(page, page, &[]));
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("content/actions/depistage.md"), "{}", a.body);
    assert_eq!(read(dir.path(), MEMBER_PATH), MEMBER_YAML);
    assert!(!dir.path().join(".maillage/corbeille").exists());
}

#[test]
fn a_broken_file_opens_as_text_never_as_an_empty_form() {
    let broken = "civilite: Mme\nprenom: Claire\nnom: \"Exemple\nlieux: []\npublie: true\n";
    let dir = site(&[(MEMBER_PATH, broken)]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let page = b.get(MEMBER_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"_texte\""), "{}", page.body);
    assert!(page.body.contains("nom: &quot;Exemple\nlieux"), "le texte du fichier doit être là");
    assert!(!page.body.contains("name=\"prenom\""), "pas de formulaire");
    assert!(page.body.contains("ligne "), "le message donne sa ligne : {}", page.body);
    // A text save that is still broken writes nothing; a fixed one is written.
    let action = "/_edition/membre/claire-exemple/texte";
    let still = b.form(MEMBER_PAGE, action, &[("_texte", "nom: [\n")]);
    assert_eq!(b.post(action, &still).status, 422);
    assert_eq!(read(dir.path(), MEMBER_PATH), broken);
    let fixed = b.form(MEMBER_PAGE, action, &[("_texte", MEMBER_YAML)]);
    assert_eq!(b.post(action, &fixed).status, 303);
    assert_eq!(read(dir.path(), MEMBER_PATH), MEMBER_YAML);
}

#[test]
fn a_new_record_gets_its_name_from_the_form_and_is_created_once() {
    let dir = site(&[]);
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let page = "/_edition/membre/nouveau";
    let fields = b.form(
        page,
        page,
        &[
            ("civilite", "Mme"),
            ("prenom", "Élodie"),
            ("nom", "Exemple"),
            ("profession", "medecin-generaliste"),
            ("rpps", "10000000017"),
            ("_action", "ajouter:lieux"),
        ],
    );
    // "Add a place": the form comes back with one more place, nothing written.
    let with_place = b.post(page, &fields);
    assert_eq!(with_place.status, 200);
    assert!(with_place.body.contains("name=\"lieux.0.adresse\""), "{}", with_place.body);
    let mut fields = form_fields(&with_place.body, page);
    for (k, v) in [
        ("lieux.0.adresse", "1 place de la Mairie"),
        ("lieux.0.code_postal", "83340"),
        ("lieux.0.commune", "83073"),
        ("accepte_nouveaux_patients", "oui"),
        ("publie", "oui"),
    ] {
        fields.retain(|(n, _)| n != k);
        fields.push((k.into(), v.into()));
    }
    let a = b.post(page, &fields);
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(a.header("location").as_deref(), Some("/_edition/membre/elodie-exemple?enregistre"));
    let text = read(dir.path(), "content/membres/elodie-exemple.yaml");
    assert!(text.starts_with("civilite: Mme\nprenom: Élodie\nnom: Exemple\nprofession: medecin-generaliste\nrpps: \"10000000017\"\nlieux:\n  - adresse: 1 place de la Mairie\n    code_postal: \"83340\"\n    commune: \"83073\"\n"), "{text}");
    assert!(text.contains("accepte_nouveaux_patients: true\n") && text.ends_with("publie: true\n"), "{text}");
    assert!(!text.contains("teleconsultation"), "defaults are not written: {text}");
    assert_eq!(b.post(page, &fields).status, 303);
    let members = std::fs::read_dir(dir.path().join("content/membres")).unwrap().count();
    assert_eq!(members, 2, "posted twice, created once");
}

/// Copies the example site into a temporary folder.
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir.path().join("content").join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

#[test]
fn every_example_record_opens_as_a_form_that_saves_back_unchanged() {
    let dir = example();
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let before = tree(dir.path());
    let (mut forms, mut looked_into) = (0, 0);
    for kind in maillage::schema::Kind::ALL {
        let list = b.get(&format!("/_edition/{}/", kind.name()));
        let pages: Vec<String> = if kind.single_file() {
            let to = list.header("location").unwrap_or_else(|| panic!("{}: {}", kind.name(), list.status));
            vec![to]
        } else {
            list.body
                .split(&format!("href=\"/_edition/{}/", kind.name()))
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .filter(|s| !s.is_empty() && !s.starts_with("nouveau") && !s.contains('?'))
                .map(|slug| format!("/_edition/{}/{slug}", kind.name()))
                .collect()
        };
        assert!(!pages.is_empty(), "{}", kind.name());
        for page in pages {
            let html = b.get(&page);
            assert_eq!(html.status, 200, "{page}");
            assert!(!html.body.contains("name=\"_texte\""), "{page} opens as text:\n{}", html.body);
            assert!(html.body.contains("Aucune erreur"), "{page}");
            let fields = form_fields(&html.body, &page);
            // The keys of /s-installer/ and of the flagship offer are fields like any other.
            if page.ends_with("/cpts") || page.ends_with("/installation-medecin-generaliste-le-cannet-des-maures") {
                let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
                let wanted: &[&str] = if page.ends_with("/cpts") {
                    &[
                        "installation.temoignages.0.consentement",
                        "installation.aides.0.montant",
                        "installation.contact.nom",
                    ]
                } else {
                    &["priorite"]
                };
                for w in wanted {
                    assert!(names.contains(w), "{page} : pas de champ {w} dans {names:?}");
                }
                looked_into += 1;
            }
            let a = b.post(&page, &fields);
            assert_eq!(a.status, 303, "{page}: {}", a.body);
            assert_eq!(a.header("location"), Some(format!("{page}?inchange")), "{page}");
            forms += 1;
        }
    }
    assert!(forms > 150, "{forms} forms");
    assert_eq!(looked_into, 2, "the forms of cpts.yaml and of the flagship offer were looked into");
    assert_eq!(tree(dir.path()), before, "an untouched form must change no file");
}

#[test]
fn an_image_without_its_alternative_text_is_not_saved() {
    let dir = site(&[("content/static/images/affiche.png", "x")]);
    std::fs::write(dir.path().join("content/static/images/affiche.png"), PNG).unwrap();
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let page = "/_edition/page/nouveau";
    let fields =
        b.form(page, page, &[("titre", "Nos affiches"), ("image.src", "images/affiche.png"), ("_corps", "Texte.\n")]);
    let a = b.post(page, &fields);
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("image sans texte alternatif"), "{}", a.body);
    assert!(!dir.path().join("content/pages/nos-affiches.md").exists());
    let mut fields = form_fields(&a.body, page);
    fields.retain(|(k, _)| k != "image.alt");
    fields.push(("image.alt".into(), "Trois affiches de prévention".into()));
    let a = b.post(page, &fields);
    assert_eq!(a.status, 303, "{}", a.body);
    let text = read(dir.path(), "content/pages/nos-affiches.md");
    assert_eq!(
        text,
        "---\ntitre: Nos affiches\nimage:\n  src: images/affiche.png\n  alt: Trois affiches de prévention\n---\nTexte.\n"
    );
}

/// The lines of `after` that differ from `before`'s: (removed, added).
fn line_changes(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let removed = old.iter().filter(|l| !new.contains(l)).map(|l| l.to_string()).collect();
    let added = new.iter().filter(|l| !old.contains(l)).map(|l| l.to_string()).collect();
    (removed, added)
}

#[test]
fn confirming_a_member_from_the_review_round_changes_its_date_line_only() {
    let dir = example();
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let home = b.get("/_edition/");
    assert!(home.body.contains("5 membres à joindre"), "{}", home.body);
    let round = b.get("/_edition/relances");
    assert_eq!(round.status, 200, "{}", round.body);
    // Oldest first: never confirmed, then August 2025… then May 2026.
    let order: Vec<usize> =
        ["Fabien Testa", "Dr Alain Ferrero", "Delphine Ollivier", "Dr Karim Haddad", "Dr Rachid Mansouri"]
            .iter()
            .map(|n| round.body.find(n).unwrap_or_else(|| panic!("{n} absent")))
            .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        round.body.contains("l’accueil de nouveaux patients (dernière confirmation en mars 2026)"),
        "{}",
        round.body
    );

    let rel = "content/membres/karim-haddad.yaml";
    let before = read(dir.path(), rel);
    let action = "/_edition/membre/karim-haddad/confirmer";
    let fields = b.form("/_edition/relances", action, &[]);
    let a = b.post(action, &fields);
    assert_eq!(a.status, 303, "{}", a.body);
    assert!(a.header("location").unwrap().starts_with("/_edition/relances?avis="), "{:?}", a.header("location"));
    let after = read(dir.path(), rel);
    assert_eq!(
        line_changes(&before, &after),
        (vec!["verifie_le: 2026-03-17".into()], vec!["verifie_le: 2026-11-22".into()])
    );
    assert_eq!(before.lines().count(), after.lines().count());
    let round = b.get("/_edition/relances");
    assert!(!round.body.contains("Karim Haddad") && round.body.contains("4 membres à joindre"), "{}", round.body);
}

#[test]
fn confirming_an_undated_member_adds_one_line_and_keeps_its_comments() {
    let dir = example();
    let rel = "content/membres/fabien-testa.yaml";
    let original = read(dir.path(), rel);
    let commented =
        format!("# Fiche relue avec le cabinet\n{}", original.replace("publie: true", "publie: true # accord écrit"));
    std::fs::write(dir.path().join(rel), &commented).unwrap();
    let server = start(dir.path(), None, true);
    let b = Browser::open(server.addr);
    let page = "/_edition/membre/fabien-testa";
    let form = b.get(page);
    assert!(form.body.contains("Confirmer la fiche"), "{}", form.body);
    let action = format!("{page}/confirmer");
    let fields = b.form(page, &action, &[]);
    let a = b.post(&action, &fields);
    assert_eq!(a.status, 303, "{}", a.body);
    assert!(a.header("location").unwrap().starts_with(&format!("{page}?avis=")));
    let after = read(dir.path(), rel);
    assert_eq!(line_changes(&commented, &after), (vec![], vec!["verifie_le: 2026-11-22".into()]));
    assert_eq!(after.replace("verifie_le: 2026-11-22\n", ""), commented, "rien d’autre ne change");
    // Posted again (a double click): nothing more.
    assert_eq!(b.post(&action, &fields).status, 303);
    assert_eq!(read(dir.path(), rel), after);
}
