//! `maillage serve`: the incremental session (dependency tracking, same output as a build,
//! errors keep the last good build) and the development server (only the output is served).

mod common;

use common::*;
use maillage::edit::state::Listed;
use maillage::edit::{Editor, EditorOptions};
use maillage::schema::Kind;
use maillage::serve::http::{self, Live};
use maillage::serve::{Changes, RebuildError, Session, Touched, sync_editor};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;

/// A second member, in Vidauban, of another profession.
const OTHER_PATH: &str = "content/membres/paul-autre.yaml";
const OTHER_YAML: &str = r#"civilite: M.
prenom: Paul
nom: Autre
profession: infirmier
rpps: "10000000017"
exercice: liberal
lieux:
  - adresse: 3 avenue de la Gare
    code_postal: "83550"
    commune: "83148"
    telephone: "04 94 00 00 02"
publie: true
"#;

/// A structure listing the first member.
const STRUCTURE_PATH: &str = "content/membres/msp-des-tests.yaml";
const STRUCTURE_YAML: &str = r#"raison_sociale: Maison de santé des Tests
structure: msp
finess: "830469201"
lieux:
  - adresse: 1 place de la Mairie
    code_postal: "83340"
    commune: "83073"
    telephone: "04 94 00 00 50"
membres:
  - claire-exemple
publie: true
"#;

fn two_members() -> tempfile::TempDir {
    site(&[(OTHER_PATH, OTHER_YAML)])
}

fn session(root: &Path) -> Session {
    let mut s = Session::new(opts(root, &public(root)));
    if let Err(e) = s.rebuild(&Changes::All) {
        panic!("première construction : {e:?}");
    }
    s
}

fn changed(root: &Path, rel: &str) -> Changes {
    Changes::Paths(vec![root.join(rel)])
}

#[test]
fn the_session_writes_what_a_build_writes() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let built = tmp.path().join("built");
    let served = tmp.path().join("served");
    maillage::build(&opts(example, &built)).unwrap();
    let mut s = Session::new(opts(example, &served));
    let r = s.rebuild(&Changes::All).unwrap();
    assert!(r.pages > 100, "le site d’exemple a plus de 100 pages");
    assert_eq!(r.rendered.len(), r.pages, "la première construction rend toutes les pages");
    let a = read_tree(&built);
    let b = read_tree(&served);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    // The marker is each output's manifest (dates, and a fingerprint only `build` records).
    for (k, v) in a.iter().filter(|(k, _)| k.as_str() != maillage::output::MARKER) {
        assert!(b[k] == *v, "{k} diffère entre build et serve");
    }
    let live_js: Vec<_> = b.iter().filter(|(_, v)| String::from_utf8_lossy(v).contains("EventSource")).collect();
    assert!(live_js.is_empty(), "le script de rechargement ne doit jamais être écrit dans le dossier de sortie");
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Pages are skipped when the fingerprints of what they read are unchanged: after every kind of
/// edit, the session's output must be exactly what a full build of the same files writes. An
/// input missing from a fingerprint shows up here as a stale page.
#[test]
fn incremental_rebuilds_write_what_a_full_build_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &root.join("content"));
    let mut s = session(&root);
    /// One change to the site's files.
    enum Edit {
        Replace(&'static str, &'static str, &'static str),
        Remove(&'static str),
        Create(&'static str, &'static str),
    }
    use Edit::*;
    let edits = [
        // A member's own page, cards and lists.
        Replace("content/membres/claire-martin.yaml", "04 65 71", "04 65 72"),
        // A structure stops listing a member: that member's page loses the structure.
        Replace("content/membres/msp-de-l-argens.yaml", "  - julien-roux\n", ""),
        // An action loses a referent (whose page changes), then is renamed.
        Replace("content/actions/octobre-rose-2026.md", "  - emilie-rey\n", ""),
        Replace("content/actions/octobre-rose-2026.md", "titre: ", "titre: Nouveau "),
        // cpts.yaml: every page.
        Replace("content/cpts.yaml", "nom: CPTS du Pays", "nom: CPTS du Grand Pays"),
        // A listed member withdraws its consent; another is deleted; a new one arrives.
        Replace("content/membres/nadia-benali.yaml", "publie: true", "publie: false"),
        Remove("content/membres/agnes-coste.yaml"),
        Create(OTHER_PATH, OTHER_YAML),
    ];
    for (i, edit) in edits.iter().enumerate() {
        let rel = match *edit {
            Replace(rel, from, to) => {
                write(&root, rel, &replace_once(&std::fs::read_to_string(root.join(rel)).unwrap(), from, to));
                rel
            }
            Remove(rel) => {
                std::fs::remove_file(root.join(rel)).unwrap();
                rel
            }
            Create(rel, text) => {
                write(&root, rel, text);
                rel
            }
        };
        if let Err(e) = s.rebuild(&changed(&root, rel)) {
            panic!("modification {i} ({rel}) : {e:?}");
        }
        let full = tmp.path().join(format!("full-{i}"));
        maillage::build(&opts(&root, &full)).unwrap();
        let (a, b) = (read_tree(&full), read_tree(&public(&root)));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "modification {i} ({rel})");
        for (k, v) in a.iter().filter(|(k, _)| k.as_str() != maillage::output::MARKER) {
            assert!(b[k] == *v, "modification {i} ({rel}) : {k} diffère d’une construction complète");
        }
    }
}

#[test]
fn saving_a_member_re_renders_its_page_and_lists_only() {
    let dir = two_members();
    let root = dir.path();
    let mut s = session(root);
    let out = public(root);
    let before = read_tree(&out);
    let other_page = read(&out, "annuaire/paul-autre/index.html");

    write(root, MEMBER_PATH, &replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 99"));
    let r = s.rebuild(&changed(root, MEMBER_PATH)).unwrap();
    assert_eq!(r.changed, vec![MEMBER_PATH.to_string()]);
    let rendered: BTreeSet<&str> = r.rendered.iter().map(String::as_str).collect();
    for page in [
        "annuaire/claire-exemple/index.html",
        "annuaire/index.html",
        "annuaire/profession/medecin-generaliste/index.html",
        "annuaire/commune/le-luc/index.html",
    ] {
        assert!(rendered.contains(page), "{page} doit être régénérée : {rendered:?}");
    }
    for page in [
        "annuaire/paul-autre/index.html",
        "annuaire/profession/infirmier/index.html",
        "annuaire/commune/vidauban/index.html",
        "mentions-legales/index.html",
        "404.html",
    ] {
        assert!(!rendered.contains(page), "{page} ne dépend pas de ce fichier : {rendered:?}");
    }
    assert!(r.rendered.len() * 2 < r.pages, "{} pages régénérées sur {}", r.rendered.len(), r.pages);
    assert!(read(&out, "annuaire/claire-exemple/index.html").contains("+33494000099"));
    assert!(read(&out, "annuaire/profession/medecin-generaliste/index.html").contains("+33494000099"));
    assert_eq!(read(&out, "annuaire/paul-autre/index.html"), other_page);
    // Only files whose bytes changed were written (and the manifest, which follows them).
    let after = read_tree(&out);
    let rewritten: BTreeSet<&String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v) && k.as_str() != maillage::output::MARKER)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(rewritten, r.written.iter().collect(), "fichiers écrits");
    assert!(r.written.contains(&"annuaire/claire-exemple/index.html".to_string()));

    // Saving the same bytes again does nothing.
    let again = s.rebuild(&changed(root, MEMBER_PATH)).unwrap();
    assert!(again.changed.is_empty() && again.rendered.is_empty() && again.written.is_empty());
}

/// A long list is split into pages in the order by name: a save that changes one card and
/// keeps the order re-renders the page holding it, not the list's other pages; a rename that
/// moves a member to another page re-renders the pages between its two places.
#[test]
fn saving_a_member_re_renders_only_the_list_page_holding_its_card() {
    let size = maillage::render::pages::PAGE_SIZE;
    // Claire then 2 × size nurses in Le Luc: the nurses take two pages, Le Luc three.
    let files = nurses(2 * size);
    let dir = site(&files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect::<Vec<_>>());
    let root = dir.path();
    let mut s = session(root);
    let (nurse, yaml) = &files[size + 10];
    let list = |n: usize| match n {
        1 => "annuaire/profession/infirmier/index.html".to_string(),
        n => format!("annuaire/profession/infirmier/page/{n}/index.html"),
    };
    let luc = |n: usize| match n {
        1 => "annuaire/commune/le-luc/index.html".to_string(),
        n => format!("annuaire/commune/le-luc/page/{n}/index.html"),
    };
    write(root, nurse, &replace_once(yaml, "publie: true", "accepte_nouveaux_patients: true\npublie: true"));
    let r = s.rebuild(&changed(root, nurse)).unwrap();
    let rendered: BTreeSet<&str> = r.rendered.iter().map(String::as_str).collect();
    // Her card is the 61st nurse (page 2) and Le Luc's 62nd card (page 2, after Claire's).
    for page in [list(2), luc(2)] {
        assert!(rendered.contains(page.as_str()), "{page} doit être régénérée : {rendered:?}");
    }
    for page in [list(1), luc(1), luc(3)] {
        assert!(!rendered.contains(page.as_str()), "{page} ne montre pas sa fiche : {rendered:?}");
    }
    let out = public(root);
    let slug = nurse.trim_start_matches("content/membres/").trim_end_matches(".yaml");
    assert!(read(&out, &list(2)).contains(&format!("/annuaire/{slug}/")));
    // A new name moves her to the end of the list, from page 2 of Le Luc to page 3.
    write(root, nurse, &replace_once(yaml, "nom: Infirmier", "nom: Zinfirmier"));
    let r = s.rebuild(&changed(root, nurse)).unwrap();
    let rendered: BTreeSet<&str> = r.rendered.iter().map(String::as_str).collect();
    for page in [list(2), luc(2), luc(3)] {
        assert!(rendered.contains(page.as_str()), "{page} doit être régénérée : {rendered:?}");
    }
    assert!(!rendered.contains(list(1).as_str()) && !rendered.contains(luc(1).as_str()), "{rendered:?}");
    let last = read(&out, &luc(3));
    assert!(last.contains(&format!("/annuaire/{slug}/")), "{last}");
    assert!(!read(&out, &luc(2)).contains(&format!("/annuaire/{slug}/")));
}

/// The server serves from memory and writes after telling the browsers: saves made in memory
/// one after the other are all written by the next write, and a write that fails (here a page
/// changed by hand, which Maillage never replaces) is said in French, keeps what is served,
/// and is done again whole by the next one.
#[test]
fn writes_follow_the_saves_made_in_memory_and_a_failed_one_is_done_again() {
    let dir = two_members();
    let root = dir.path();
    let mut s = session(root);
    let out = public(root);
    let page = "annuaire/claire-exemple/index.html";
    write(root, MEMBER_PATH, &replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 98"));
    s.rebuild_in_memory(&changed(root, MEMBER_PATH)).unwrap();
    write(root, OTHER_PATH, &replace_once(OTHER_YAML, "04 94 00 00 02", "04 94 00 00 97"));
    s.rebuild_in_memory(&changed(root, OTHER_PATH)).unwrap();
    assert!(String::from_utf8_lossy(&s.outputs()[page]).contains("+33494000098"), "servi avant l’écriture");
    assert!(!read(&out, page).contains("+33494000098"), "rien n’est écrit avant write_output");
    s.write_output().unwrap();
    assert!(read(&out, page).contains("+33494000098"));
    assert!(read(&out, "annuaire/paul-autre/index.html").contains("+33494000097"));

    // A page changed by hand: the next write refuses to replace it, in French.
    std::fs::write(out.join(page), "modifiée à la main").unwrap();
    write(root, MEMBER_PATH, &replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 96"));
    s.rebuild_in_memory(&changed(root, MEMBER_PATH)).unwrap();
    let err = s.write_output().unwrap_err().to_string();
    assert!(err.contains("n’a pas été écrit par Maillage"), "{err}");
    assert!(String::from_utf8_lossy(&s.outputs()[page]).contains("+33494000096"), "toujours servi");
    assert_eq!(read(&out, page), "modifiée à la main");
    // Moved away: the next write brings the whole folder up to date.
    std::fs::remove_file(out.join(page)).unwrap();
    s.write_output().unwrap();
    let written = read_tree(&out);
    for (k, v) in s.outputs().iter() {
        assert!(written[k] == **v, "{k} diffère de ce qui est servi");
    }
}

#[test]
fn a_change_to_cpts_yaml_or_a_template_re_renders_every_page() {
    let dir = two_members();
    let root = dir.path();
    let mut s = session(root);
    write(root, "content/cpts.yaml", &replace_once(CPTS_YAML, "nom: CPTS des Tests", "nom: CPTS des Essais"));
    let r = s.rebuild(&changed(root, "content/cpts.yaml")).unwrap();
    assert_eq!(r.rendered.len(), r.pages, "le nom de la CPTS est sur toutes les pages");
    assert!(read(&public(root), "annuaire/paul-autre/index.html").contains("CPTS des Essais"));

    write(root, "templates/404.html", "<!doctype html><title>Perdu</title><p>Rien ici.</p>");
    let r = s.rebuild(&changed(root, "templates/404.html")).unwrap();
    assert_eq!(r.changed, vec!["templates".to_string()]);
    assert_eq!(r.rendered.len(), r.pages, "les gabarits changent : tout est régénéré");
    assert_eq!(r.written, vec!["404.html".to_string()], "seule la page 404 a changé d’octets");
    assert!(read(&public(root), "404.html").contains("Rien ici."));
}

#[test]
fn errors_keep_the_last_good_build_and_fixing_clears_them() {
    let dir = two_members();
    let root = dir.path();
    let mut s = session(root);
    let out = public(root);
    let before = read_tree(&out);
    let good_outputs = s.outputs();

    // Line 12: the phone's quote is never closed.
    write(
        root,
        MEMBER_PATH,
        &replace_once(MEMBER_YAML, "telephone: \"04 94 00 00 01\"", "telephone: \"04 94 00 00 01"),
    );
    let err = s.rebuild(&changed(root, MEMBER_PATH)).unwrap_err();
    let RebuildError::Content(diags) = err else { panic!("erreur de contenu attendue") };
    let d = diags.iter().find(|d| d.is_error()).expect("une erreur");
    assert_eq!(d.file, MEMBER_PATH);
    assert!(d.line >= 12, "ligne {}", d.line);
    assert_eq!(read_tree(&out), before, "le dossier de sortie ne bouge pas");
    assert!(Arc::ptr_eq(&good_outputs, &s.outputs()), "le dernier site correct reste servi");
    let html = http::overlay(&diags);
    assert!(html.contains(&format!("{MEMBER_PATH}, ligne {}", d.line)), "{html}");

    // Fixing it: a good build again, with the change.
    write(root, MEMBER_PATH, &replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 77"));
    let r = s.rebuild(&changed(root, MEMBER_PATH)).unwrap();
    assert!(r.written.contains(&"annuaire/claire-exemple/index.html".to_string()));
    assert!(read(&out, "annuaire/claire-exemple/index.html").contains("+33494000077"));
}

#[test]
fn new_deleted_and_renamed_files_are_followed() {
    let dir = site(&[]);
    let root = dir.path();
    let mut s = session(root);
    let out = public(root);

    // A new file (unknown to the cache): the tree is walked again.
    write(root, OTHER_PATH, OTHER_YAML);
    let r = s.rebuild(&changed(root, OTHER_PATH)).unwrap();
    assert_eq!(r.changed, vec![OTHER_PATH.to_string()]);
    assert!(out.join("annuaire/paul-autre/index.html").is_file());

    // Renamed: the old page goes, the new one comes.
    let renamed = "content/membres/paul-nouveau.yaml";
    std::fs::rename(root.join(OTHER_PATH), root.join(renamed)).unwrap();
    let r = s.rebuild(&Changes::Paths(vec![root.join(OTHER_PATH), root.join(renamed)])).unwrap();
    assert!(r.removed.contains(&"annuaire/paul-autre/index.html".to_string()), "{:?}", r.removed);
    assert!(!out.join("annuaire/paul-autre").exists(), "le dossier vidé disparaît");
    assert!(out.join("annuaire/paul-nouveau/index.html").is_file());

    // Deleted.
    std::fs::remove_file(root.join(renamed)).unwrap();
    s.rebuild(&changed(root, renamed)).unwrap();
    assert!(!out.join("annuaire/paul-nouveau").exists());

    // Editors' temporary files are not content and cause no rebuild.
    write(root, "content/membres/.claire-exemple.yaml.swp", "x");
    let r = s.rebuild(&changed(root, "content/membres/.claire-exemple.yaml.swp")).unwrap();
    assert!(r.changed.is_empty() && r.rendered.is_empty());
}

#[test]
fn a_stylesheet_change_is_css_only() {
    let dir = site(&[("content/static/style.css", "body { color: black }")]);
    let root = dir.path();
    let mut s = session(root);
    write(root, "content/static/style.css", "body { color: navy }");
    let r = s.rebuild(&changed(root, "content/static/style.css")).unwrap();
    assert!(r.css_only());
    assert!(r.written.contains(&"style.css".to_string()));
    write(root, MEMBER_PATH, &replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 02"));
    let r = s.rebuild(&changed(root, MEMBER_PATH)).unwrap();
    assert!(!r.css_only());
}

// ---------------------------------------------------------------------------------------------
// The HTTP server.

struct Server {
    addr: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

fn start(live: Arc<Live>) -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, http::router(live)).await });
    Server { addr, _runtime: runtime }
}

fn serve_site(root: &Path) -> (Server, Arc<Live>) {
    let s = session(root);
    let live = Live::new();
    live.update(
        |st| {
            st.outputs = s.outputs();
            st.prefix = s.url_prefix().to_string();
        },
        |_| None,
    );
    (start(Arc::clone(&live)), live)
}

/// Sends a raw request line (the path exactly as given) and returns the status, headers, body.
fn get_raw(addr: SocketAddr, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).unwrap();
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").map_or(buf.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head, buf[split..].to_vec())
}

#[test]
fn the_server_serves_the_output_with_types_404_and_the_live_script() {
    let dir = site(&[("content/static/images/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]);
    let (server, _live) = serve_site(dir.path());
    let (status, head, body) = get_raw(server.addr, "/annuaire/claire-exemple/");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/html; charset=utf-8"), "{head}");
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("+33494000001"));
    assert!(body.contains(http::EVENTS_PATH), "le script de rechargement est injecté");
    assert!(!read(&public(dir.path()), "annuaire/claire-exemple/index.html").contains(http::EVENTS_PATH));

    for (path, ctype) in
        [("/style.css", "text/css"), ("/images/logo.svg", "image/svg+xml"), ("/sitemap.xml", "application/xml")]
    {
        let (status, head, body) = get_raw(server.addr, path);
        assert_eq!(status, 200, "{path}");
        assert!(head.to_ascii_lowercase().contains(&format!("content-type: {ctype}")), "{path} : {head}");
        assert!(!String::from_utf8_lossy(&body).contains(http::EVENTS_PATH), "{path} : pas de script hors HTML");
    }
    let (status, head, body) = get_raw(server.addr, "/nulle-part/");
    assert_eq!(status, 404);
    assert!(head.to_ascii_lowercase().contains("content-type: text/html"), "{head}");
    let page = read(&public(dir.path()), "404.html");
    let before_body_end = &page[..page.rfind("</body>").expect("</body>")];
    assert!(String::from_utf8_lossy(&body).starts_with(before_body_end), "la page 404 du site");
    let (status, head, _) = get_raw(server.addr, "/annuaire");
    assert_eq!(status, 308);
    assert!(head.contains("location: /annuaire/") || head.contains("Location: /annuaire/"), "{head}");
}

#[test]
fn the_server_serves_the_guide_beside_the_site_and_never_writes_it() {
    let dir = site(&[]);
    let (server, _live) = serve_site(dir.path());
    let (status, head, body) = get_raw(server.addr, "/_guide/");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/html; charset=utf-8"), "{head}");
    let index = String::from_utf8(body).unwrap();
    for t in maillage::guide::TOPICS {
        assert!(index.contains(&format!("href=\"/_guide/{}/\"", t.slug)), "{}", t.slug);
    }
    assert!(!index.contains(http::EVENTS_PATH), "pas de script de rechargement dans le guide");
    let (status, _, body) = get_raw(server.addr, "/_guide/erreurs/");
    assert_eq!(status, 200);
    let errors = String::from_utf8(body).unwrap();
    assert!(errors.contains("<span id=\"m013\"></span>"), "la section de M013 a son ancre");
    assert!(errors.contains("<html lang=\"fr\">") && errors.contains("aria-current=\"page\""));
    let (status, head, _) = get_raw(server.addr, "/_guide");
    assert_eq!(status, 308);
    assert!(head.to_ascii_lowercase().contains("location: /_guide/"), "{head}");
    assert_eq!(get_raw(server.addr, "/_guide/inconnu/").0, 404);
    assert!(!public(dir.path()).join("_guide").exists(), "le guide ne va pas dans le site publié");
}

#[test]
fn nothing_outside_the_output_is_served() {
    let dir = site(&[]);
    let root = dir.path();
    write(root, "secret.txt", "SECRET-DU-DOSSIER-PARENT");
    let (server, _live) = serve_site(root);
    let abs = root.join("secret.txt").display().to_string();
    let attempts = [
        "/../secret.txt".to_string(),
        "/../../secret.txt".to_string(),
        "/annuaire/../../secret.txt".to_string(),
        "/%2e%2e/secret.txt".to_string(),
        "/%2E%2E/%2e%2e/secret.txt".to_string(),
        "/..%2fsecret.txt".to_string(),
        "/annuaire/%2e%2e%2f%2e%2e%2fsecret.txt".to_string(),
        "/%252e%252e/secret.txt".to_string(),
        "/..%5csecret.txt".to_string(),
        "/..\\secret.txt".to_string(),
        "/.%2e/secret.txt".to_string(),
        format!("/{abs}"),
        format!("/{}", abs.trim_start_matches('/')),
        format!("//{}", abs.trim_start_matches('/')),
        "/../content/cpts.yaml".to_string(),
        "/%2e%2e/content/cpts.yaml".to_string(),
        "/content/cpts.yaml".to_string(),
        "/.maillage-build".to_string(),
    ];
    for path in &attempts {
        let (status, _, body) = get_raw(server.addr, path);
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("SECRET-DU-DOSSIER-PARENT"), "{path} a servi un fichier hors du site");
        assert!(!body.contains("nom: CPTS des Tests"), "{path} a servi le contenu source");
        assert!([400, 404].contains(&status), "{path} : statut {status}");
    }
    let (status, _, _) = get_raw(server.addr, "/%2e%2e/secret.txt");
    assert_eq!(status, 400, "un chemin qui remonte est refusé");
}

#[test]
fn the_event_stream_says_hello_with_the_version() {
    let dir = site(&[]);
    let (server, live) = serve_site(dir.path());
    let mut stream = TcpStream::connect(server.addr).unwrap();
    write!(stream, "GET {} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n", http::EVENTS_PATH)
        .unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("event: hello") {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "flux fermé : {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.to_ascii_lowercase().contains("content-type: text/event-stream"), "{seen}");
    live.update(|_| {}, |version| Some(http::LiveEvent::Reload { version, pages: None }));
    while !seen.contains("event: reload") {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "flux fermé : {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    live.bye();
}

#[test]
fn the_watcher_reports_saves_but_not_reads() {
    let dir = two_members();
    let root = dir.path();
    let (tx, rx) = std::sync::mpsc::channel();
    let _watcher = maillage::serve::watch::Watcher::start(root, false, tx).unwrap();
    // Every rebuild reads the whole tree: that must not look like a change.
    let _ = session(root);
    write(root, MEMBER_PATH, &replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 55"));
    let member = root.join(MEMBER_PATH);
    let mut seen = Vec::new();
    while !seen.contains(&member) {
        match rx.recv_timeout(std::time::Duration::from_secs(20)) {
            Ok(Changes::Paths(p)) => seen.extend(p),
            Ok(Changes::All) => panic!("rescan inattendu"),
            Err(_) => panic!("la modification n’a pas été signalée ; reçu : {seen:?}"),
        }
    }
    let others: Vec<_> = seen.iter().filter(|p| **p != member).collect();
    assert!(others.is_empty(), "des lectures ont été signalées comme des modifications : {others:?}");
}

/// One change to a site's files, applied by [`Step::apply`].
enum Step {
    /// Writes a file (created or replaced).
    Write(&'static str, String),
    /// Replaces the one occurrence of a text in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Deletes a file.
    Remove(&'static str),
    /// Renames a file (the watcher reports both paths in one batch).
    Rename(&'static str, &'static str),
    /// Midnight: the session's day moves on.
    NewDay(jiff::civil::Date),
    /// A step that leaves an error in the content (every other step leaves a valid site).
    Broken(Box<Step>),
}

impl Step {
    /// Applies the change on disk; returns the paths the watcher would report.
    fn apply(&self, root: &Path) -> Vec<&'static str> {
        match self {
            Step::Write(rel, text) => {
                write(root, rel, text);
                vec![rel]
            }
            Step::Replace(rel, from, to) => {
                write(root, rel, &replace_once(&std::fs::read_to_string(root.join(rel)).unwrap(), from, to));
                vec![rel]
            }
            Step::Remove(rel) => {
                std::fs::remove_file(root.join(rel)).unwrap();
                vec![rel]
            }
            Step::Rename(from, to) => {
                std::fs::rename(root.join(from), root.join(to)).unwrap();
                vec![from, to]
            }
            Step::NewDay(_) => Vec::new(),
            Step::Broken(step) => step.apply(root),
        }
    }
}

/// What a diagnostic says, for comparing two lists.
fn said(d: &[maillage::diagnostic::Diagnostic]) -> Vec<String> {
    d.iter()
        .map(|d| format!("{:?} {} {}:{}:{} {} {:?}", d.severity, d.code, d.file, d.line, d.column, d.message, d.hint))
        .collect()
}

/// After every kind of edit (add, change, rename, delete a member, an action, an offer; cpts.yaml;
/// a template; a static file; a new day), the session's output is byte for byte what a full build
/// of the same tree writes, both what it serves from memory before writing and what it then
/// writes, and the diagnostics it shows are those of `maillage check`. Edits
/// reach across records: a member moving to another commune, a member an action names deleted
/// (an error, then repaired), facts growing stale on a new day.
#[test]
fn every_kind_of_edit_gives_what_a_full_build_gives() {
    let action = |title: &str, referent: &str, day: &str| {
        format!(
            "---\ntitre: {title}\nresume: Une action.\nreferents:\n  - {referent}\nseances:\n  - date: {day}\n    lieu: Salle des fêtes\n    commune: \"83073\"\n---\nCorps de l’action.\n"
        )
    };
    let offer = |title: &str, until: &str| {
        format!(
            "---\ntitre: {title}\ntype: remplacement\nresume: Une offre.\nprofession: medecin-generaliste\ncommunes: [\"83073\"]\ndate_publication: 2026-06-01\nvalide_jusqu_au: {until}\ncontact:\n  courriel: offres@cpts-test.fr\n---\nCorps de l’offre.\n"
        )
    };
    // A member whose facts were confirmed in October: stale a few months later.
    let dated =
        OTHER_YAML.replace("publie: true\n", "accepte_nouveaux_patients: true\nverifie_le: 2026-10-01\npublie: true\n");
    let template =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/member.html"))
            .unwrap();
    let var_outlines =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/communes.geojson")).unwrap();
    let territory_outlines = {
        let mut all: serde_json::Value = serde_json::from_str(&var_outlines).unwrap();
        let features = all["features"].as_array_mut().unwrap();
        features.retain(|f| f["properties"]["code"].as_str().is_some_and(|c| ["83073", "83148"].contains(&c)));
        assert_eq!(features.len(), 2);
        all.to_string()
    };
    // A page of nurses in Le Luc besides Paul: the nurses' and Le Luc's lists take two pages.
    let mut files = nurses(maillage::render::pages::PAGE_SIZE);
    files.push((OTHER_PATH.to_string(), dated));
    let dir = site(&files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect::<Vec<_>>());
    let root = dir.path();
    let mut s = session(root);
    let mut today = TODAY;
    use Step::*;
    let steps = [
        // Members: change, move to another commune (its commune pages and counts), add, rename,
        // withdraw consent, delete.
        Replace(MEMBER_PATH, "04 94 00 00 01", "04 94 00 00 09"),
        Replace(MEMBER_PATH, "\"83340\"\n    commune: \"83073\"", "\"83550\"\n    commune: \"83148\""),
        Write(
            "content/membres/zoe-nouvelle.yaml",
            OTHER_YAML.replace("Paul", "Zoé").replace("10000000017", "10000000025"),
        ),
        // The same members in another order: Zoé's new name sorts her before Paul in their lists
        // (the order by name is kept between saves and sorted again).
        Replace("content/membres/zoe-nouvelle.yaml", "nom: Autre", "nom: Aaron"),
        // A new kind and a new language: the directory index's tables change, and with them the
        // positions every member's entry points at (entries are kept between saves).
        Write(
            "content/membres/dina-dentiste.yaml",
            OTHER_YAML
                .replace("Paul", "Dina")
                .replace("10000000017", "10000000033")
                .replace("profession: infirmier", "profession: chirurgien-dentiste\nlangues: [occitan]"),
        ),
        Remove("content/membres/dina-dentiste.yaml"),
        Rename("content/membres/zoe-nouvelle.yaml", "content/membres/zoe-renommee.yaml"),
        // A nurse renamed from the first page of the list to the last (and back): the pages
        // between her two places change, the count does not.
        Replace("content/membres/infirmier-003.yaml", "nom: Infirmier 003", "nom: Zinfirmier"),
        Replace("content/membres/infirmier-003.yaml", "nom: Zinfirmier", "nom: Infirmier 003"),
        Replace("content/membres/zoe-renommee.yaml", "publie: true", "publie: false"),
        Remove("content/membres/zoe-renommee.yaml"),
        // Structures: one listing a member (her page names it, its page shows her card); the
        // member changes (the structure's page follows); the structure lists another member
        // instead (her page no longer names it, his does); it lists a member yet to come (an
        // error), who then comes (its page shows him); deleted. The pages a save plans again follow these
        // references (render::depends).
        Write(STRUCTURE_PATH, STRUCTURE_YAML.to_string()),
        Replace(MEMBER_PATH, "04 94 00 00 09", "04 94 00 00 08"),
        Replace(STRUCTURE_PATH, "  - claire-exemple", "  - paul-autre"),
        Broken(Box::new(Replace(STRUCTURE_PATH, "  - paul-autre", "  - paul-autre\n  - yves-venu"))),
        Write(
            "content/membres/yves-venu.yaml",
            OTHER_YAML.replace("Paul", "Yves").replace("10000000017", "10000000041"),
        ),
        Remove(STRUCTURE_PATH),
        Remove("content/membres/yves-venu.yaml"),
        // Paul, the one man among the nurses, now a woman: « Infirmières » in every list's
        // navigation, the other professions' pages included; and back.
        Replace(OTHER_PATH, "civilite: M.", "civilite: Mme"),
        Replace(OTHER_PATH, "civilite: Mme", "civilite: M."),
        // Actions: add (naming a member), change, a referent deleted (an error) then back, rename,
        // delete.
        Write("content/actions/depistage.md", action("Dépistage", "claire-exemple", "2026-12-10")),
        Replace("content/actions/depistage.md", "titre: Dépistage", "titre: Grand dépistage"),
        Broken(Box::new(Remove(MEMBER_PATH))),
        Write(MEMBER_PATH, MEMBER_YAML.to_string()),
        Rename("content/actions/depistage.md", "content/actions/prevention.md"),
        Write("content/actions/vaccination.md", action("Vaccination", "paul-autre", "2027-01-15")),
        Remove("content/actions/prevention.md"),
        // Offers: add, change, rename, delete.
        Write("content/offres/remplacement.md", offer("Remplacement", "2027-06-30")),
        Replace("content/offres/remplacement.md", "titre: Remplacement", "titre: Remplacement d’été"),
        Rename("content/offres/remplacement.md", "content/offres/ete.md"),
        Write("content/offres/hiver.md", offer("Hiver", "2026-12-15")),
        Remove("content/offres/ete.md"),
        // cpts.yaml: every page; then an error in it, and its repair.
        Replace("content/cpts.yaml", "nom: CPTS des Tests", "nom: CPTS des Essais"),
        Broken(Box::new(Replace("content/cpts.yaml", "courriel: contact@cpts-test.fr", "courriel: pas-un-courriel"))),
        Replace("content/cpts.yaml", "courriel: pas-un-courriel", "courriel: contact@cpts-test.fr"),
        // cpts.yaml read by each member's own rules (kept between saves): a shorter freshness
        // rule makes Paul's confirmed fact stale; a commune leaving the territory leaves his
        // place outside it (an error); both undone.
        Replace("content/cpts.yaml", "  sans_date: a_jour", "  sans_date: a_jour\n  accepte_nouveaux_patients: 1"),
        Replace("content/cpts.yaml", "\n  accepte_nouveaux_patients: 1", ""),
        Broken(Box::new(Replace("content/cpts.yaml", "insee: \"83148\"", "insee: \"83050\""))),
        Replace("content/cpts.yaml", "insee: \"83050\"", "insee: \"83148\""),
        // A template of the site's own: added, changed, removed.
        Write("templates/member.html", template.replacen("{% block", "{# override #}{% block", 1)),
        Replace("templates/member.html", "{# override #}", "{# changed #}"),
        Remove("templates/member.html"),
        // A static file: added, changed, renamed, removed.
        Write("content/static/notes.txt", "Première version.\n".to_string()),
        Write("content/static/notes.txt", "Deuxième version.\n".to_string()),
        Rename("content/static/notes.txt", "content/static/notes-2.txt"),
        Remove("content/static/notes-2.txt"),
        // The communes' outlines: added, changed (only the territory's two, without the Var's
        // others around them), removed; every map is drawn from them (maps are kept between saves).
        Write("content/communes.geojson", var_outlines.clone()),
        Write("content/communes.geojson", territory_outlines),
        Remove("content/communes.geojson"),
        // Midnight, months later: the action is past, the offer expired, the facts stale.
        NewDay(jiff::civil::date(2027, 3, 1)),
    ];
    for (i, step) in steps.iter().enumerate() {
        let (what, result, o) = step_and_check(&mut s, root, i, step, &mut today);
        assert_as_built(&mut s, root, &what, &result, &o);
    }
    // The session keeps the output's manifest in memory and appends to the marker: a build into
    // the same folder owns, and so removes, a page only the session wrote (a stale in-memory
    // manifest already fails above: a removed page the session wrote would stay on disk).
    let added = "content/membres/zoe-derniere.yaml";
    std::fs::write(root.join(added), OTHER_YAML.replace("Paul", "Zoé").replace("10000000017", "10000000025")).unwrap();
    let r = s.rebuild(&changed(root, added)).unwrap();
    let page = r.written.iter().find(|p| p.contains("zoe-derniere")).expect("la page du membre ajouté").clone();
    std::fs::remove_file(root.join(added)).unwrap();
    let mut o = opts(root, &public(root));
    o.today = today;
    let report = maillage::build(&o).unwrap();
    assert_eq!(report.stats.kept, 0, "la construction doit reconnaître les fichiers écrits par le serveur");
    assert!(!public(root).join(&page).exists(), "{page} doit disparaître");
}

/// One level up in the dependency graph: a save that changes members without changing what
/// the site's other sections read of them (their facts: profession or structure kind, gender,
/// communes, new patients, same-day care, teleconsultation, year of birth, interns, languages,
/// the members a structure lists), none of them shown by another section, plans again only the
/// directory's lists holding their cards (`render::depends::Sections::Lists`); every other page
/// is the last render's. Each fact, and each way another section shows a member (an offer's
/// contact and supervisor, the structures and members around the contact, an action's referent,
/// a short list of /soins/, an interns' supervisor), is changed here, and after each edit the
/// session's output is a full build's.
#[test]
fn saves_that_change_no_fact_plan_only_the_lists_and_stay_a_full_build() {
    const N5: &str = "content/membres/infirmier-005.yaml";
    const N6: &str = "content/membres/infirmier-006.yaml";
    const N7: &str = "content/membres/infirmier-007.yaml";
    const N8: &str = "content/membres/infirmier-008.yaml";
    const N9: &str = "content/membres/infirmier-009.yaml";
    const N10: &str = "content/membres/infirmier-010.yaml";
    const N11: &str = "content/membres/infirmier-011.yaml";
    const N20: &str = "content/membres/infirmier-020.yaml";
    const N21: &str = "content/membres/infirmier-021.yaml";
    const N30: &str = "content/membres/infirmier-030.yaml";
    const N40: &str = "content/membres/infirmier-040.yaml";
    const OFFER: &str = "content/offres/stage.md";
    // More members than /annuaire/ lists card by card: it would show every one.
    let mut files = nurses(maillage::render::pages::DIRECTORY_ROWS_MAX + 10);
    // An offer's page has its contact's whole page to show: a theme of the site's own shows the
    // structures listing the contact and the members it lists, with their phones.
    let offer_template =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/offer.html"))
            .unwrap();
    let around = "{% for s in data.contact.membre.structures + data.contact.membre.membres %}<li>{{ s.name }} \
                  {{ ui.phone(s.lieu.telephone) }}</li>{% endfor %}";
    let offer_template = replace_once(
        &offer_template,
        "{% if data.contact.membre %}",
        &format!("{{% if data.contact.membre %}}{around}"),
    );
    files.push(("templates/offer.html".to_string(), offer_template));
    let dir = site(&files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect::<Vec<_>>());
    let root = dir.path();
    let mut s = session(root);
    let mut today = TODAY;
    let offer = "---\ntitre: Stage\ntype: stage\nresume: Un stage.\nprofession: infirmier\ncommunes: [\"83073\"]\n\
                 date_publication: 2026-06-01\nvalide_jusqu_au: 2027-06-30\nmaitre_de_stage: infirmier-021\ncontact:\n  \
                 membre: infirmier-020\n  courriel: offres@cpts-test.fr\n---\nCorps de l’offre.\n";
    let action = "---\ntitre: Dépistage\nresume: Une action.\nreferents:\n  - infirmier-040\nseances:\n  - date: 2026-12-10\n    \
                  lieu: Salle des fêtes\n    commune: \"83073\"\n---\nCorps de l’action.\n";
    use Step::*;
    let steps = [
        // A card only: the lists holding it.
        Replace(N5, "04 94 10 00 05", "04 94 10 99 05"),
        // A new name: the card moves to the end of its lists, sorted again.
        Replace(N5, "nom: Infirmier 005", "nom: Zinfirmier"),
        // Each fact another section reads.
        Replace(N5, "exercice: liberal", "exercice: liberal\nannee_naissance: 1950"),
        Replace(N6, "publie: true", "langues: [occitan]\npublie: true"),
        Replace(N6, "publie: true", "accepte_nouveaux_patients: true\npublie: true"),
        Replace(N8, "publie: true", "teleconsultation: true\npublie: true"),
        Replace(N9, "civilite: Mme", "civilite: M."),
        Replace(N10, "profession: infirmier", "profession: medecin-generaliste"),
        Replace(N11, "\"83340\"\n    commune: \"83073\"", "\"83550\"\n    commune: \"83148\""),
        // Members other sections show card by card: a short list of /soins/, a supervisor of
        // interns, an offer's contact and supervisor, an action's referent.
        Replace(N7, "publie: true", "soins_non_programmes: true\npublie: true"),
        Replace(N7, "04 94 10 00 07", "04 94 10 99 07"),
        Replace(N5, "exercice: liberal", "exercice: liberal\nmaitre_de_stage: true"),
        Replace(N5, "04 94 10 99 05", "04 94 10 98 05"),
        Write(OFFER, offer.to_string()),
        Replace(N20, "04 94 10 00 20", "04 94 10 99 20"),
        Replace(N21, "04 94 10 00 21", "04 94 10 99 21"),
        Write("content/actions/depistage.md", action.to_string()),
        Replace(N40, "04 94 10 00 40", "04 94 10 99 40"),
        // A structure: it lists a nurse, changes kind, then lists the offer's contact too (the
        // offer's page shows the structures listing its contact), changes; then it is the
        // contact (the offer's page shows the members it lists).
        Write(STRUCTURE_PATH, STRUCTURE_YAML.replace("claire-exemple", "infirmier-030")),
        Replace(STRUCTURE_PATH, "structure: msp", "structure: centre-de-sante"),
        Replace(STRUCTURE_PATH, "  - infirmier-030", "  - infirmier-030\n  - infirmier-020"),
        Replace(STRUCTURE_PATH, "04 94 00 00 50", "04 94 00 00 51"),
        Replace(OFFER, "membre: infirmier-020", "membre: msp-des-tests"),
        Replace(N30, "04 94 10 00 30", "04 94 10 99 30"),
    ];
    for (i, step) in steps.iter().enumerate() {
        let (what, result, o) = step_and_check(&mut s, root, i, step, &mut today);
        if i == 0 {
            // Only the nurse's page and the lists holding her card were planned again.
            let r = result.as_ref().unwrap();
            let lists = |p: &&String| p.starts_with("annuaire/profession/") || p.starts_with("annuaire/commune/");
            let others: Vec<&String> =
                r.rendered.iter().filter(|p| !lists(p) && p.as_str() != "annuaire/infirmier-005/index.html").collect();
            assert!(others.is_empty(), "{what} : {others:?}");
        }
        assert_as_built(&mut s, root, &what, &result, &o);
    }
}

/// Checks that after a step the session serves and writes what a full build of the same tree
/// (options `o`) writes, editor's schemas included, or that both fail.
fn assert_as_built(
    s: &mut Session,
    root: &Path,
    what: &str,
    result: &Result<maillage::serve::Rebuild, RebuildError>,
    o: &maillage::BuildOptions,
) {
    let schemas = root.join(maillage::schema::SITE_DIR);
    let left = read_tree(&schemas);
    let full = maillage::build(o);
    if full.is_ok() {
        assert!(read_tree(&schemas) == left, "{what} : les schémas de l’éditeur diffèrent de ceux d’une construction");
    }
    match (result, full) {
        (Ok(_), Ok(_)) => {
            let built = read_tree(&o.output);
            let served = s.outputs();
            assert_eq!(
                built.keys().filter(|k| k.as_str() != maillage::output::MARKER).collect::<Vec<_>>(),
                served.keys().collect::<Vec<_>>(),
                "{what} : ce que le serveur sert"
            );
            for (k, v) in served.iter() {
                assert!(built[k] == **v, "{what} : {k} servi diffère d’une construction complète");
            }
            s.write_output().unwrap_or_else(|e| panic!("{what} : {e}"));
            let written = read_tree(&public(root));
            assert_eq!(built.keys().collect::<Vec<_>>(), written.keys().collect::<Vec<_>>(), "{what}");
            for (k, v) in built.iter().filter(|(k, _)| k.as_str() != maillage::output::MARKER) {
                assert!(written[k] == *v, "{what} : {k} diffère d’une construction complète");
            }
        }
        (Err(_), Err(maillage::BuildError::Content(_))) => {}
        (r, f) => panic!("{what} : le serveur ({}) et la construction ({}) divergent", r.is_ok(), f.is_ok()),
    }
    std::fs::remove_dir_all(&o.output).ok();
}

/// The session keeps each member's findings between saves and checks again only what a save can
/// change: after each edit that reaches what a member's rules read besides its own file (another
/// member's numbers, the members a structure names, their consent, a file that cannot be read,
/// a static image, cpts.yaml's territory and freshness rules, the day), its warnings are those
/// of `maillage check`, in the same order.
#[test]
fn warnings_follow_everything_a_member_s_rules_read() {
    // Unpublished: their errors are warnings, and the site builds.
    let zoe = OTHER_YAML
        .replace("Paul", "Zoé")
        .replace("publie: true", "publie: false\nimage:\n  src: images/zoe.png\n  alt: Portrait de Zoé");
    let msp = "structure: msp\nraison_sociale: MSP du Luc\nmembres: [claire-exemple, paul-autre, zoe, aron]\n\
               lieux:\n  - adresse: 1 rue de la Santé\n    code_postal: \"83340\"\n    commune: \"83073\"\n    \
               coordonnees: [43.39, 6.31]\npublie: false\n";
    let elder = OTHER_YAML
        .replace("Paul", "Jean")
        .replace("10000000017", "10000000025")
        .replace("exercice: liberal", "exercice: liberal\nannee_naissance: 1926\nverifie_le: 2026-10-01");
    let outlines =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/communes.geojson")).unwrap();
    let dir =
        site(&[(OTHER_PATH, OTHER_YAML), ("content/membres/msp.yaml", msp), ("content/membres/jean.yaml", &elder)]);
    let root = dir.path();
    let mut s = session(root);
    let mut today = TODAY;
    use Step::*;
    let zoe_path = "content/membres/zoe.yaml";
    let steps = [
        // Another member's numbers: Zoé takes Paul's RPPS (she comes after him: hers is the
        // duplicate), Paul changes his, takes it back; Aaron, before both, takes it too (and the
        // structure's hint for « aron », a name no member has, becomes « aaron »).
        Write(zoe_path, zoe.clone()),
        Replace(OTHER_PATH, "10000000017", "10000000033"),
        Replace(OTHER_PATH, "10000000033", "10000000017"),
        Broken(Box::new(Write("content/membres/aaron.yaml", OTHER_YAML.replace("Paul", "Aaron")))),
        Remove("content/membres/aaron.yaml"),
        // The members a structure names: one renamed (the name it gave no longer exists, and
        // the closest name of the hint changes), one without consent, one unreadable.
        Rename(OTHER_PATH, "content/membres/paul-autre-2.yaml"),
        Rename("content/membres/paul-autre-2.yaml", OTHER_PATH),
        Replace(MEMBER_PATH, "publie: true", "publie: false"),
        Replace(MEMBER_PATH, "publie: false", "publie: true"),
        Broken(Box::new(Write(zoe_path, "prenom: [\n".to_string()))),
        Write(zoe_path, zoe),
        // « aron », unreadable: the structure no longer says it does not exist.
        Broken(Box::new(Write("content/membres/aron.yaml", "prenom: [\n".to_string()))),
        Remove("content/membres/aron.yaml"),
        // A static file: Zoé's portrait found, then gone.
        Write("content/static/images/zoe.png", "pas une vraie image".to_string()),
        Remove("content/static/images/zoe.png"),
        // cpts.yaml: the territory's box (a centre moved far away), a commune's postcodes, a
        // freshness rule.
        Replace("content/cpts.yaml", "centre: [43.3947, 6.3131]", "centre: [48.85, 2.35]"),
        Replace("content/cpts.yaml", "centre: [48.85, 2.35]", "centre: [43.3947, 6.3131]"),
        Broken(Box::new(Replace(
            "content/cpts.yaml",
            "      nom: Le Luc\n",
            "      nom: Le Luc\n      codes_postaux: [\"83390\"]\n",
        ))),
        Replace("content/cpts.yaml", "      codes_postaux: [\"83390\"]\n", ""),
        Replace("content/cpts.yaml", "  sans_date: a_jour", "  sans_date: a_jour\n  accepte_nouveaux_patients: 1"),
        // The box of plausible coordinates drawn from the communes' outlines, once they have no
        // centre: the structure's place, far away, is found out of it.
        Replace("content/cpts.yaml", "      centre: [43.3947, 6.3131]\n", ""),
        Replace("content/cpts.yaml", "      centre: [43.4272, 6.4325]\n", ""),
        Replace("content/membres/msp.yaml", "[43.39, 6.31]", "[48.85, 2.35]"),
        Write("content/communes.geojson", outlines),
        Remove("content/communes.geojson"),
        // The day: Jean turns 101, his confirmation grows stale.
        NewDay(jiff::civil::date(2027, 6, 1)),
    ];
    for (i, step) in steps.iter().enumerate() {
        let (what, _, o) = step_and_check(&mut s, root, i, step, &mut today);
        assert!(!maillage::check_site(&o).is_empty(), "{what} : chaque étape a des avertissements à suivre");
    }
}

/// Makes step `i` on the site at `root` and rebuilds as the server does (in memory first, on disk
/// once the browsers are told; a new day moves `today`); checks that the session fails on a
/// broken step and only then, and that it says what `maillage check` says, in the same order.
/// Returns the step's name, the result, and the options of a full build of the same tree.
fn step_and_check(
    s: &mut Session,
    root: &Path,
    i: usize,
    step: &Step,
    today: &mut jiff::civil::Date,
) -> (String, Result<maillage::serve::Rebuild, RebuildError>, maillage::BuildOptions) {
    let paths = step.apply(root);
    let result = match step {
        Step::NewDay(day) => {
            *today = *day;
            s.new_day(*day)
        }
        _ => s.rebuild_in_memory(&Changes::Paths(paths.iter().map(|p| root.join(p)).collect())),
    };
    let what = format!("étape {i} ({paths:?})");
    assert_eq!(result.is_err(), matches!(step, Step::Broken(_)), "{what} : {:?}", result.as_ref().err());
    let mut o = opts(root, &tmp_out(root, i));
    o.today = *today;
    assert_eq!(
        said(&match &result {
            Ok(r) => r.warnings.to_vec(),
            Err(RebuildError::Content(d)) => d.clone(),
            Err(e) => panic!("{what} : {e}"),
        }),
        said(&maillage::check_site(&o)),
        "{what} : le serveur et « maillage check » doivent dire la même chose"
    );
    (what, result, o)
}

/// A fresh output folder for the full build of step `i`, outside the site.
fn tmp_out(root: &Path, i: usize) -> std::path::PathBuf {
    root.parent().unwrap().join(format!("{}-full-{i}", root.file_name().unwrap().to_string_lossy()))
}

/// What the editor shows of a site: every kind's list, and why each listed file does not decode.
fn editor_view(editor: &Editor) -> Vec<(Kind, Vec<Listed>, Vec<Option<String>>)> {
    Kind::ALL
        .iter()
        .map(|&kind| {
            let listed = editor.records(kind);
            let errors = listed.iter().map(|l| editor.decode_error(&l.rel).map(|d| d.message)).collect();
            (kind, listed, errors)
        })
        .collect()
}

/// The editor following a session, as `maillage serve` has it: after each rebuild it takes the
/// files the session may have changed, and never holds one that is not what the files on disk
/// say (an editor reading the site afresh shows the same).
#[test]
fn the_editor_follows_changed_new_removed_and_renamed_files_taking_only_those() {
    let dir = site(&[(OTHER_PATH, OTHER_YAML)]);
    let root = dir.path();
    let options = EditorOptions { root: root.to_path_buf(), today: TODAY, password: None, base_url: None };
    let mut s = session(root);
    let editor = Editor::new(options.clone(), None);
    let follows = |s: &mut Session, what: &str| {
        let touched = sync_editor(&editor, s);
        let fresh = Editor::load(options.clone());
        assert_eq!(editor_view(&editor), editor_view(&fresh), "{what}");
        touched
    };
    let titles = |kind| editor.records(kind).into_iter().map(|l| l.title).collect::<Vec<_>>();
    let only = |rels: &[&str]| Touched::Files(rels.iter().map(|r| r.to_string()).collect());
    assert_eq!(follows(&mut s, "au démarrage"), Touched::All);
    assert!(titles(Kind::Member).contains(&"Paul Autre".to_string()), "{:?}", titles(Kind::Member));

    // Changed on disk: only that file is looked at again.
    write(root, OTHER_PATH, &OTHER_YAML.replace("prenom: Paul", "prenom: Pierre"));
    s.rebuild(&changed(root, OTHER_PATH)).unwrap();
    assert_eq!(follows(&mut s, "modifié"), only(&[OTHER_PATH]));
    assert!(titles(Kind::Member).contains(&"Pierre Autre".to_string()), "{:?}", titles(Kind::Member));
    // Nothing since: nothing to look at.
    assert_eq!(follows(&mut s, "rien de neuf"), only(&[]));
    // Saved with the same bytes: looked at, nothing changes.
    write(root, OTHER_PATH, &OTHER_YAML.replace("prenom: Paul", "prenom: Pierre"));
    s.rebuild(&changed(root, OTHER_PATH)).unwrap();
    assert_eq!(follows(&mut s, "mêmes octets"), only(&[OTHER_PATH]));

    // A new file: the session walks the tree again, and so does the editor.
    write(root, STRUCTURE_PATH, STRUCTURE_YAML);
    s.rebuild(&changed(root, STRUCTURE_PATH)).unwrap();
    assert_eq!(follows(&mut s, "ajouté"), Touched::All);
    assert!(titles(Kind::Member).contains(&"Maison de santé des Tests".to_string()));

    // Removed.
    std::fs::remove_file(root.join(OTHER_PATH)).unwrap();
    s.rebuild(&changed(root, OTHER_PATH)).unwrap();
    assert_eq!(follows(&mut s, "supprimé"), only(&[OTHER_PATH]));
    assert!(!titles(Kind::Member).contains(&"Pierre Autre".to_string()));

    // Renamed: the old path goes, the new one comes.
    let renamed = "content/membres/msp-renommee.yaml";
    std::fs::rename(root.join(STRUCTURE_PATH), root.join(renamed)).unwrap();
    s.rebuild(&Changes::Paths(vec![root.join(STRUCTURE_PATH), root.join(renamed)])).unwrap();
    follows(&mut s, "renommé");
    let rels: Vec<String> = editor.records(Kind::Member).into_iter().map(|l| l.rel).collect();
    assert!(rels.contains(&renamed.to_string()) && !rels.contains(&STRUCTURE_PATH.to_string()), "{rels:?}");

    // A file that no longer decodes fails the rebuild: the editor shows it broken all the same,
    // and fixed once fixed.
    let claire = "content/membres/claire-exemple.yaml";
    let good = std::fs::read_to_string(root.join(claire)).unwrap();
    write(root, claire, "prenom: [\n");
    assert!(matches!(s.rebuild(&changed(root, claire)), Err(RebuildError::Content(_))));
    assert_eq!(follows(&mut s, "cassé"), only(&[claire]));
    assert!(editor.records(Kind::Member).iter().any(|l| l.rel == claire && l.broken));
    write(root, claire, &good);
    s.rebuild(&changed(root, claire)).unwrap();
    assert_eq!(follows(&mut s, "réparé"), only(&[claire]));
    assert!(editor.records(Kind::Member).iter().all(|l| !l.broken));

    // The whole site (a watcher that lost count): every file again.
    s.rebuild(&Changes::All).unwrap();
    assert_eq!(follows(&mut s, "tout le site"), Touched::All);
}
