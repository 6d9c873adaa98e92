//! An SFTP destination, over SSH (russh and russh-sftp, pure Rust).
//!
//! - The server's key is checked before anything is sent: against a fingerprint pinned in
//!   `publication.yaml` (`empreinte_serveur`) or given with `--empreinte-serveur`, else against
//!   `~/.ssh/known_hosts`. An unknown key stops the publication with its fingerprint and what to
//!   do; `--accepter-serveur` records it in `known_hosts` once the coordinator checked it. A key
//!   that changed always stops it.
//! - Credentials never come from the site's files: the key named by `MAILLAGE_SFTP_CLE` (its
//!   passphrase in `MAILLAGE_SFTP_PHRASE`), the keys of an SSH agent (`SSH_AUTH_SOCK`: macOS
//!   Keychain, GNOME Keyring, KeePassXC…), the usual `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`,
//!   then a password from `MAILLAGE_SFTP_MOT_DE_PASSE` or the system keyring (`secret-tool` on
//!   Linux, `security` on macOS; service `maillage`).
//! - Files are renamed into place with OpenSSH's `posix-rename@openssh.com`, which replaces the
//!   old file in one step. A server without it gets a plain SFTP rename after deleting the old
//!   file (a page is then missing for the time of one request).
//! - Requests are pipelined (several files at once, several writes per file): a publication is
//!   bound by bandwidth, not by the server's distance.

use super::config::SftpTarget;
use super::remote::{Done, Listing, Remote, RemoteError, Upload};
use russh::client;
use russh::keys::{HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};
use russh_sftp::client::RawSftpSession;
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::protocol::{FileAttributes, OpenFlags, Packet, StatusCode};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::task::JoinSet;

/// Files sent at once.
const PARALLEL_FILES: usize = 8;
/// Writes in flight for one file.
const PARALLEL_WRITES: usize = 8;
/// Other requests in flight (listings, renames, deletions).
const PARALLEL_REQUESTS: usize = 32;
/// Bytes per write request (every SFTP server accepts 32 KiB).
const CHUNK: usize = 32 * 1024;
/// How long to wait for the server to answer the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// How the server's key is trusted.
#[derive(Debug, Clone, Default)]
pub struct HostTrust {
    /// SHA-256 fingerprints accepted (`SHA256:…`, as `ssh-keygen -l` prints them).
    pub pinned: Vec<String>,
    /// Record an unknown key in `~/.ssh/known_hosts`.
    pub accept_new: bool,
}

/// Where the login secrets come from: never the site's files.
#[derive(Clone, Default)]
pub struct Credentials {
    /// A private key file (`MAILLAGE_SFTP_CLE`); when given, the agent and `~/.ssh` are not tried.
    pub key: Option<PathBuf>,
    /// The passphrase of protected keys (`MAILLAGE_SFTP_PHRASE`).
    pub passphrase: Option<String>,
    /// The account's password (`MAILLAGE_SFTP_MOT_DE_PASSE`).
    pub password: Option<String>,
    /// The user's home folder, for `~/.ssh` keys; `None` to try none.
    pub home: Option<PathBuf>,
    /// Try the keys of the SSH agent (`SSH_AUTH_SOCK`) and the system keyring's password.
    pub agent_and_keyring: bool,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("key", &self.key)
            .field("passphrase", &self.passphrase.as_ref().map(|_| "…"))
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("home", &self.home)
            .field("agent_and_keyring", &self.agent_and_keyring)
            .finish()
    }
}

impl Credentials {
    /// The credentials the environment gives: `MAILLAGE_SFTP_CLE`, `MAILLAGE_SFTP_PHRASE`,
    /// `MAILLAGE_SFTP_MOT_DE_PASSE`, the agent, `~/.ssh` and the system keyring.
    pub fn from_environment() -> Credentials {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        Credentials {
            key: std::env::var_os("MAILLAGE_SFTP_CLE").filter(|v| !v.is_empty()).map(PathBuf::from),
            passphrase: var("MAILLAGE_SFTP_PHRASE"),
            password: var("MAILLAGE_SFTP_MOT_DE_PASSE"),
            home: home(),
            agent_and_keyring: true,
        }
    }
}

/// What the key check found, kept for the message when it refused.
#[derive(Debug, Clone)]
enum Verdict {
    Trusted,
    Unknown { fingerprint: String },
    PinMismatch { fingerprint: String },
    Changed { fingerprint: String, file: PathBuf, line: usize },
    Unreadable { file: PathBuf, message: String },
}

struct Checker {
    host: String,
    port: u16,
    trust: HostTrust,
    verdict: Arc<Mutex<Option<Verdict>>>,
}

fn normalise_fingerprint(text: &str) -> String {
    text.trim().trim_start_matches("SHA256:").trim_end_matches('=').to_string()
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from)
}

impl Checker {
    fn judge(&self, key: &PublicKey) -> Verdict {
        let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
        if !self.trust.pinned.is_empty() {
            let ours = normalise_fingerprint(&fingerprint);
            return if self.trust.pinned.iter().any(|p| normalise_fingerprint(p) == ours) {
                Verdict::Trusted
            } else {
                Verdict::PinMismatch { fingerprint }
            };
        }
        let Some(file) = home().map(|h| h.join(".ssh").join("known_hosts")) else {
            return Verdict::Unknown { fingerprint };
        };
        match russh::keys::check_known_hosts_path(&self.host, self.port, key, &file) {
            Ok(true) => Verdict::Trusted,
            Ok(false) if self.trust.accept_new => {
                let learned =
                    file.parent().map_or(Ok(()), std::fs::create_dir_all).map_err(|e| e.to_string()).and_then(|()| {
                        russh::keys::known_hosts::learn_known_hosts_path(&self.host, self.port, key, &file)
                            .map_err(|e| e.to_string())
                    });
                match learned {
                    Ok(()) => Verdict::Trusted,
                    Err(message) => Verdict::Unreadable { file, message },
                }
            }
            Ok(false) => Verdict::Unknown { fingerprint },
            Err(russh::keys::Error::KeyChanged { line }) => Verdict::Changed { fingerprint, file, line },
            Err(e) => Verdict::Unreadable { file, message: e.to_string() },
        }
    }
}

impl client::Handler for Checker {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        let verdict = match key {
            PublicKeyOrCertificate::PublicKey { key, .. } => self.judge(key),
            PublicKeyOrCertificate::Certificate(cert) => self.judge(&PublicKey::from(cert.public_key().clone())),
        };
        let trusted = matches!(verdict, Verdict::Trusted);
        *self.verdict.lock().unwrap_or_else(PoisonError::into_inner) = Some(verdict);
        Ok(trusted)
    }
}

/// A connected SFTP account.
pub struct SftpRemote {
    runtime: tokio::runtime::Runtime,
    session: Arc<RawSftpSession>,
    /// The site's folder on the server.
    base: String,
    posix_rename: bool,
    /// Keeps the SSH connection open.
    _connection: client::Handle<Checker>,
}

impl std::fmt::Debug for SftpRemote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SftpRemote").field("base", &self.base).field("posix_rename", &self.posix_rename).finish()
    }
}

impl SftpRemote {
    /// Connects, checks the server's key, logs in and opens SFTP in the site's folder. Errors
    /// are French sentences saying what to do; nothing is changed on the server.
    pub fn connect(target: &SftpTarget, trust: &HostTrust, credentials: &Credentials) -> Result<SftpRemote, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("démarrage impossible de la connexion : {e}"))?;
        let (connection, session, posix_rename) = runtime.block_on(open(target, trust, credentials))?;
        let base = target.path.clone();
        let mut remote = SftpRemote { runtime, session, base, posix_rename, _connection: connection };
        remote.check_base(target)?;
        Ok(remote)
    }

    fn full(&self, path: &str) -> String {
        full(&self.base, path)
    }

    fn check_base(&mut self, target: &SftpTarget) -> Result<(), String> {
        let session = self.session.clone();
        let base = self.base.clone();
        let found = self.runtime.block_on(async move { session.stat(base).await });
        match found {
            Ok(attrs) if attrs.attrs.permissions.is_none_or(|p| p & 0o170000 == 0o040000) => Ok(()),
            Ok(_) => Err(format!("{} n’est pas un dossier sur le serveur {}", target.path, target.host)),
            Err(e) => {
                let hint = if target.path.starts_with('/') {
                    format!(
                        " ; pour un dossier de votre espace, écrivez le chemin après ~ : sftp://{}@{}/~{}",
                        target.user, target.host, target.path
                    )
                } else {
                    " ; créez-le (avec le gestionnaire de fichiers de l’hébergeur) ou corrigez la destination"
                        .to_string()
                };
                Err(format!(
                    "dossier « {} » inaccessible sur le serveur {} : {}{hint}",
                    target.path,
                    target.host,
                    french(&e)
                ))
            }
        }
    }
}

fn full(base: &str, path: &str) -> String {
    match (base, path) {
        (base, "") => base.to_string(),
        (".", path) => path.to_string(),
        (base, path) => format!("{}/{path}", base.trim_end_matches('/')),
    }
}

/// The French for an SFTP failure.
fn french(e: &SftpError) -> String {
    match e {
        SftpError::Status(s) => {
            let what = match s.status_code {
                StatusCode::NoSuchFile => "fichier ou dossier introuvable",
                StatusCode::PermissionDenied => "permission refusée",
                StatusCode::Eof => "fin de fichier inattendue",
                StatusCode::NoConnection | StatusCode::ConnectionLost => "connexion perdue",
                StatusCode::OpUnsupported => "opération non prise en charge par le serveur",
                _ => "échec",
            };
            if s.error_message.is_empty() { what.to_string() } else { format!("{what} ({})", s.error_message) }
        }
        SftpError::Timeout => "le serveur ne répond plus (délai dépassé)".to_string(),
        SftpError::IO(m) | SftpError::UnexpectedBehavior(m) => format!("connexion perdue ({m})"),
        SftpError::Limited(m) => format!("limite du serveur atteinte ({m})"),
        SftpError::UnexpectedPacket => "réponse inattendue du serveur".to_string(),
    }
}

fn is_status(e: &SftpError, code: StatusCode) -> bool {
    matches!(e, SftpError::Status(s) if s.status_code == code)
}

async fn open(
    target: &SftpTarget,
    trust: &HostTrust,
    credentials: &Credentials,
) -> Result<(client::Handle<Checker>, Arc<RawSftpSession>, bool), String> {
    let where_ = format!("{}:{}", target.host, target.port);
    let verdict = Arc::new(Mutex::new(None));
    let checker =
        Checker { host: target.host.clone(), port: target.port, trust: trust.clone(), verdict: verdict.clone() };
    let config = Arc::new(client::Config { inactivity_timeout: Some(Duration::from_secs(120)), ..Default::default() });
    let connecting = client::connect(config, (target.host.as_str(), target.port), checker);
    let mut handle = match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
        Err(_) => {
            return Err(format!(
                "le serveur {where_} ne répond pas (rien en {} s) : vérifiez son adresse, le port et votre connexion à Internet",
                CONNECT_TIMEOUT.as_secs()
            ));
        }
        Ok(Ok(handle)) => handle,
        Ok(Err(e)) => {
            let verdict = verdict.lock().unwrap_or_else(PoisonError::into_inner).take();
            return Err(match verdict {
                Some(v) => host_key_message(v, target),
                None => connect_message(&e, &where_),
            });
        }
    };
    authenticate(&mut handle, target, credentials).await?;
    let lost =
        |e: russh::Error| format!("ouverture de SFTP refusée par {where_} : {e} (le compte a-t-il un accès SFTP ?)");
    let channel = handle.channel_open_session().await.map_err(lost)?;
    channel.request_subsystem(true, "sftp").await.map_err(lost)?;
    let session = RawSftpSession::new(channel.into_stream());
    session.set_timeout(60);
    let version =
        session.init().await.map_err(|e| format!("ouverture de SFTP refusée par {where_} : {}", french(&e)))?;
    let posix_rename = version.extensions.get("posix-rename@openssh.com").is_some_and(|v| v == "1");
    Ok((handle, Arc::new(session), posix_rename))
}

fn connect_message(e: &russh::Error, where_: &str) -> String {
    if let russh::Error::IO(io) = e {
        use std::io::ErrorKind as K;
        return match io.kind() {
            K::ConnectionRefused => format!(
                "connexion refusée par {where_} : aucun service SSH n’écoute sur ce port ; vérifiez le port (souvent 22) \
                 dans l’espace client de votre hébergeur"
            ),
            K::TimedOut => {
                format!("le serveur {where_} ne répond pas : vérifiez son adresse, le port et votre connexion")
            }
            _ if io.to_string().contains("lookup")
                || io.to_string().contains("resolve")
                || io.to_string().contains("known") =>
            {
                format!("serveur {where_} introuvable : vérifiez son nom")
            }
            _ => format!("connexion impossible à {where_} : {}", crate::french::io_error(io)),
        };
    }
    format!("connexion SSH impossible avec {where_} : {e}")
}

fn host_key_message(verdict: Verdict, target: &SftpTarget) -> String {
    let where_ = format!("{}:{}", target.host, target.port);
    match verdict {
        Verdict::Trusted => format!("connexion interrompue par {where_}"),
        Verdict::Unknown { fingerprint } => format!(
            "le serveur {where_} est inconnu de cet ordinateur : rien n’a été envoyé.\n\
             Son empreinte est {fingerprint}\n\
             Vérifiez-la avant de continuer : elle figure dans l’espace client ou la documentation de votre hébergeur, \
             ou son support vous la donne. Si elle est identique :\n\
             - soit ajoutez à publication.yaml la ligne « empreinte_serveur: {fingerprint} » ;\n\
             - soit relancez avec --accepter-serveur pour l’enregistrer dans ~/.ssh/known_hosts.\n\
             Si elle diffère, ne publiez pas : quelqu’un pourrait se faire passer pour votre serveur."
        ),
        Verdict::PinMismatch { fingerprint } => format!(
            "la clé du serveur {where_} (empreinte {fingerprint}) n’est pas celle attendue (empreinte_serveur) : rien n’a été envoyé. \
             Si l’hébergeur a changé la clé de son serveur, il l’annonce : mettez à jour empreinte_serveur ; sinon, \
             ne publiez pas et prévenez-le."
        ),
        Verdict::Changed { fingerprint, file, line } => format!(
            "la clé du serveur {where_} a changé depuis la dernière connexion ({}, ligne {line}) : rien n’a été envoyé. \
             Nouvelle empreinte : {fingerprint}. Si l’hébergeur annonce ce changement, retirez cette ligne du fichier ; \
             sinon, ne publiez pas et prévenez-le.",
            file.display()
        ),
        Verdict::Unreadable { file, message } => {
            format!(
                "vérification de la clé du serveur {where_} impossible ({} : {message}) : rien n’a été envoyé",
                file.display()
            )
        }
    }
}

/// Tries each way of logging in, in order; a French message listing what was tried when none
/// worked.
async fn authenticate(
    handle: &mut client::Handle<Checker>,
    target: &SftpTarget,
    credentials: &Credentials,
) -> Result<(), String> {
    let user = target.user.as_str();
    let where_ = format!("{}@{}:{}", user, target.host, target.port);
    let lost = |e: russh::Error| format!("connexion perdue pendant l’identification auprès de {where_} : {e}");
    let phrase = credentials.passphrase.as_deref();
    let mut tried: Vec<String> = Vec::new();

    if let Some(path) = &credentials.key {
        let key = load_key(path, phrase)?;
        if try_key(handle, user, key).await.map_err(lost)? {
            return Ok(());
        }
        tried.push(format!("la clé {} (MAILLAGE_SFTP_CLE)", path.display()));
    } else {
        #[cfg(unix)]
        if credentials.agent_and_keyring
            && let Some(n) = try_agent(handle, user).await
        {
            if n == 0 {
                return Ok(());
            }
            tried.push(if n > 1 {
                format!("{n} clés de l’agent SSH")
            } else {
                format!("{n} clé de l’agent SSH")
            });
        }
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let Some(path) = credentials.home.as_ref().map(|h| h.join(".ssh").join(name)).filter(|p| p.is_file())
            else {
                continue;
            };
            // A protected key without its passphrase is skipped: the agent may hold it.
            let Ok(key) = load_key(&path, phrase) else { continue };
            if try_key(handle, user, key).await.map_err(lost)? {
                return Ok(());
            }
            tried.push(format!("la clé {}", path.display()));
        }
    }
    let password = credentials.password.clone().map(|p| (p, "MAILLAGE_SFTP_MOT_DE_PASSE"));
    let password = password.or_else(|| {
        credentials
            .agent_and_keyring
            .then(|| keyring_password(user, &target.host))
            .flatten()
            .map(|p| (p, "trousseau du système"))
    });
    if let Some((password, from)) = password {
        if handle.authenticate_password(user, password).await.map_err(lost)?.success() {
            return Ok(());
        }
        tried.push(format!("le mot de passe ({from})"));
    }
    let tried = if tried.is_empty() {
        "aucun moyen d’identification n’a été trouvé".to_string()
    } else {
        format!("essayé : {}", tried.join(", "))
    };
    Err(format!(
        "identification refusée par {where_} ({tried}) : rien n’a été envoyé. Donnez le chemin de votre clé privée dans \
         MAILLAGE_SFTP_CLE (et sa phrase de passe dans MAILLAGE_SFTP_PHRASE), ou le mot de passe SFTP dans \
         MAILLAGE_SFTP_MOT_DE_PASSE ; vérifiez l’identifiant « {user} » auprès de l’hébergeur. Voir « maillage aide publier »."
    ))
}

fn load_key(path: &Path, phrase: Option<&str>) -> Result<PrivateKey, String> {
    russh::keys::load_secret_key(path, phrase).map_err(|e| match e {
        russh::keys::Error::KeyIsEncrypted => format!(
            "la clé {} est protégée par une phrase de passe : donnez-la dans MAILLAGE_SFTP_PHRASE, ou chargez la clé dans un agent SSH",
            path.display()
        ),
        e => format!("clé privée {} illisible : {e}", path.display()),
    })
}

async fn try_key(handle: &mut client::Handle<Checker>, user: &str, key: PrivateKey) -> Result<bool, russh::Error> {
    let hash = if key.algorithm().is_rsa() { handle.best_supported_rsa_hash().await?.flatten() } else { None };
    Ok(handle.authenticate_publickey(user, PrivateKeyWithHashAlg::new(Arc::new(key), hash)).await?.success())
}

/// Tries the keys of the SSH agent: `None` when there is no agent, `Some(0)` when one key was
/// accepted, `Some(n)` when its `n` keys were refused.
#[cfg(unix)]
async fn try_agent(handle: &mut client::Handle<Checker>, user: &str) -> Option<usize> {
    use russh::keys::agent::AgentIdentity;
    let mut agent = russh::keys::agent::client::AgentClient::connect_env().await.ok()?;
    let identities = agent.request_identities().await.ok()?;
    let mut refused = 0;
    for identity in identities {
        let AgentIdentity::PublicKey { key, .. } = identity else { continue };
        let hash = if key.algorithm().is_rsa() {
            handle.best_supported_rsa_hash().await.ok().flatten().flatten()
        } else {
            None
        };
        match handle.authenticate_publickey_with(user, key, hash, &mut agent).await {
            Ok(result) if result.success() => return Some(0),
            _ => refused += 1,
        }
    }
    Some(refused)
}

/// A password kept in the system keyring for `user` on `host`, under the service `maillage`.
fn keyring_password(user: &str, host: &str) -> Option<String> {
    let account = format!("{user}@{host}");
    let mut command = if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("security");
        c.args(["find-generic-password", "-s", "maillage", "-a", &account, "-w"]);
        c
    } else {
        let mut c = std::process::Command::new("secret-tool");
        c.args(["lookup", "service", "maillage", "compte", &account]);
        c
    };
    let out = command.stdin(std::process::Stdio::null()).stderr(std::process::Stdio::null()).output().ok()?;
    let password = String::from_utf8(out.stdout).ok()?;
    let password = password.trim_end_matches(['\n', '\r']);
    (out.status.success() && !password.is_empty()).then(|| password.to_string())
}

fn remote_error(action: &'static str, path: &str, e: &SftpError) -> RemoteError {
    RemoteError { action, path: path.to_string(), message: french(e) }
}

/// Runs `job(i)` for every `i` in `0..n`, `limit` at a time, calling `done(i)` as each
/// completes; the first error stops everything.
async fn each<F, Fut>(n: usize, limit: usize, job: F, done: &mut Done<'_>) -> Result<(), RemoteError>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Result<(), RemoteError>> + Send + 'static,
{
    let mut set = JoinSet::new();
    let mut next = 0;
    while next < n || !set.is_empty() {
        while next < n && set.len() < limit {
            let job = job(next);
            let i = next;
            set.spawn(async move { (i, job.await) });
            next += 1;
        }
        let Some(joined) = set.join_next().await else { break };
        let (i, result) =
            joined.map_err(|e| RemoteError { action: "envoi", path: String::new(), message: e.to_string() })?;
        result?;
        done(i)?;
    }
    Ok(())
}

async fn send_one(
    session: Arc<RawSftpSession>,
    local: PathBuf,
    remote: String,
    shown: String,
) -> Result<(), RemoteError> {
    let mut file = std::fs::File::open(&local).map_err(|e| RemoteError {
        action: "lecture de",
        path: local.display().to_string(),
        message: e.to_string(),
    })?;
    let flags = OpenFlags::CREATE | OpenFlags::TRUNCATE | OpenFlags::WRITE;
    let handle = session
        .open(remote, flags, FileAttributes::default())
        .await
        .map_err(|e| remote_error("envoi de", &shown, &e))?
        .handle;
    let mut writes = JoinSet::new();
    let mut offset = 0u64;
    let mut failure = None;
    loop {
        let mut chunk = vec![0; CHUNK];
        let n = match file.read(&mut chunk) {
            Ok(n) => n,
            Err(e) => {
                failure = Some(RemoteError {
                    action: "lecture de",
                    path: local.display().to_string(),
                    message: e.to_string(),
                });
                break;
            }
        };
        if n == 0 {
            break;
        }
        chunk.truncate(n);
        while writes.len() >= PARALLEL_WRITES {
            if let Some(Ok(Err(e))) = writes.join_next().await {
                failure.get_or_insert(remote_error("envoi de", &shown, &e));
            }
        }
        if failure.is_some() {
            break;
        }
        let (session, handle) = (session.clone(), handle.clone());
        writes.spawn(async move { session.write(handle, offset, chunk).await.map(|_| ()) });
        offset += n as u64;
    }
    while let Some(joined) = writes.join_next().await {
        if let Ok(Err(e)) = joined {
            failure.get_or_insert(remote_error("envoi de", &shown, &e));
        }
    }
    let closed = session.close(handle).await;
    if let Some(f) = failure {
        return Err(f);
    }
    closed.map(|_| ()).map_err(|e| remote_error("envoi de", &shown, &e))
}

fn sftp_string(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u32).to_be_bytes());
    buf.extend_from_slice(s.as_bytes());
}

async fn rename_one(
    session: Arc<RawSftpSession>,
    from: String,
    to: String,
    posix: bool,
    shown: String,
) -> Result<(), RemoteError> {
    let fail = |e: &SftpError| remote_error("mise en place de", &shown, e);
    if posix {
        let mut data = Vec::with_capacity(from.len() + to.len() + 8);
        sftp_string(&mut data, &from);
        sftp_string(&mut data, &to);
        return match session.extended("posix-rename@openssh.com", data).await {
            Ok(Packet::Status(s)) if s.status_code == StatusCode::Ok => Ok(()),
            Ok(Packet::Status(s)) => Err(fail(&SftpError::Status(s))),
            Ok(_) => Err(fail(&SftpError::UnexpectedPacket)),
            Err(e) => Err(fail(&e)),
        };
    }
    match session.remove(to.clone()).await {
        Err(e) if !is_status(&e, StatusCode::NoSuchFile) => return Err(fail(&e)),
        _ => {}
    }
    session.rename(from, to).await.map(|_| ()).map_err(|e| fail(&e))
}

async fn list_one(session: Arc<RawSftpSession>, dir: String) -> Result<Option<Vec<(String, u64, bool)>>, SftpError> {
    let handle = match session.opendir(dir).await {
        Ok(h) => h.handle,
        Err(e) if is_status(&e, StatusCode::NoSuchFile) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut entries = Vec::new();
    let result = loop {
        match session.readdir(handle.clone()).await {
            Ok(name) => {
                for f in name.files {
                    let mode = f.attrs.permissions.unwrap_or(0) & 0o170000;
                    entries.push((
                        f.filename,
                        f.attrs.size.unwrap_or(0),
                        mode == 0o040000 || mode == 0 && f.attrs.size.is_none(),
                    ));
                }
            }
            Err(e) if is_status(&e, StatusCode::Eof) => break Ok(Some(entries)),
            Err(e) => break Err(e),
        }
    };
    let _ = session.close(handle).await;
    result
}

impl Remote for SftpRemote {
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        let session = self.session.clone();
        let full = self.full(path);
        self.runtime
            .block_on(async move {
                let handle = match session.open(full, OpenFlags::READ, FileAttributes::default()).await {
                    Ok(h) => h.handle,
                    Err(e) if is_status(&e, StatusCode::NoSuchFile) => return Ok(None),
                    Err(e) => return Err(e),
                };
                let mut bytes = Vec::new();
                let result = loop {
                    match session.read(handle.clone(), bytes.len() as u64, CHUNK as u32).await {
                        Ok(data) if data.data.is_empty() => break Ok(()),
                        Ok(data) => bytes.extend_from_slice(&data.data),
                        Err(e) if is_status(&e, StatusCode::Eof) => break Ok(()),
                        Err(e) => break Err(e),
                    }
                };
                let _ = session.close(handle).await;
                result.map(|()| Some(bytes))
            })
            .map_err(|e| remote_error("lecture de", path, &e))
    }

    fn list(&mut self, dirs: &[String]) -> Result<Listing, RemoteError> {
        let found = Arc::new(Mutex::new(Listing::default()));
        let (session, base) = (self.session.clone(), self.base.clone());
        let job = |i: usize| {
            let (session, dir, found) = (session.clone(), dirs[i].clone(), found.clone());
            let full = full(&base, &dir);
            async move {
                let entries =
                    list_one(session, full).await.map_err(|e| remote_error("lecture du dossier", &dir, &e))?;
                let Some(entries) = entries else { return Ok(()) };
                let mut found = found.lock().unwrap_or_else(PoisonError::into_inner);
                found.dirs.insert(dir.clone());
                for (name, size, is_dir) in entries {
                    // A name is one path component; anything else is not a file of this folder.
                    if !is_dir && !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\']) {
                        let path = if dir.is_empty() { name } else { format!("{dir}/{name}") };
                        found.files.insert(path, size);
                    }
                }
                Ok(())
            }
        };
        self.runtime.block_on(each(dirs.len(), PARALLEL_REQUESTS, job, &mut |_| Ok(())))?;
        let listing = found.lock().unwrap_or_else(PoisonError::into_inner).clone();
        Ok(listing)
    }

    fn make_dirs(&mut self, dirs: &[String]) -> Result<(), RemoteError> {
        // One depth at a time: parents exist before their children are made.
        let depth = |d: &String| d.matches('/').count();
        let max = dirs.iter().map(depth).max().unwrap_or(0);
        for level in 0..=max {
            let batch: Vec<&String> = dirs.iter().filter(|d| depth(d) == level).collect();
            let (session, base) = (self.session.clone(), self.base.clone());
            let job = |i: usize| {
                let (session, dir) = (session.clone(), batch[i].clone());
                let full = full(&base, &dir);
                async move {
                    match session.mkdir(full.clone(), FileAttributes::default()).await {
                        Ok(_) => Ok(()),
                        Err(e) => match session.stat(full).await {
                            Ok(a) if a.attrs.permissions.is_none_or(|p| p & 0o170000 == 0o040000) => Ok(()),
                            _ => Err(remote_error("création du dossier", &dir, &e)),
                        },
                    }
                }
            };
            self.runtime.block_on(each(batch.len(), PARALLEL_REQUESTS, job, &mut |_| Ok(())))?;
        }
        Ok(())
    }

    fn send(&mut self, files: &[Upload], done: &mut Done<'_>) -> Result<(), RemoteError> {
        let (session, base) = (self.session.clone(), self.base.clone());
        let job = |i: usize| {
            let f = &files[i];
            send_one(session.clone(), f.local.clone(), full(&base, &f.remote), f.remote.clone())
        };
        self.runtime.block_on(each(files.len(), PARALLEL_FILES, job, done))
    }

    fn rename(&mut self, moves: &[(String, String)], done: &mut Done<'_>) -> Result<(), RemoteError> {
        let (session, base, posix) = (self.session.clone(), self.base.clone(), self.posix_rename);
        let job = |i: usize| {
            let (from, to) = &moves[i];
            rename_one(session.clone(), full(&base, from), full(&base, to), posix, to.clone())
        };
        self.runtime.block_on(each(moves.len(), PARALLEL_REQUESTS, job, done))
    }

    fn remove(&mut self, paths: &[String], done: &mut Done<'_>) -> Result<(), RemoteError> {
        let (session, base) = (self.session.clone(), self.base.clone());
        let job = |i: usize| {
            let (session, path) = (session.clone(), paths[i].clone());
            let full = full(&base, &path);
            async move {
                match session.remove(full).await {
                    Err(e) if !is_status(&e, StatusCode::NoSuchFile) => Err(remote_error("suppression de", &path, &e)),
                    _ => Ok(()),
                }
            }
        };
        self.runtime.block_on(each(paths.len(), PARALLEL_REQUESTS, job, done))
    }

    fn remove_empty_dirs(&mut self, dirs: &[String]) {
        for dir in dirs {
            let (session, full) = (self.session.clone(), self.full(dir));
            // Fails, as it should, when the folder still holds something.
            let _ = self.runtime.block_on(async move { session.rmdir(full).await });
        }
    }
}
