//! Where `maillage publier` sends the site: the file `publication.yaml` at the site's root (next to
//! `content/`, never published), or the command line, which wins. It holds no secret: passwords,
//! keys and passphrases come from the environment, an SSH agent or the system keyring.
//!
//! ```yaml
//! destination: sftp://cpts-exemple@ssh.hebergeur.fr/~/www
//! empreinte_serveur: SHA256:m3LBSjv8…   # optional: the server key's fingerprint
//! ```

use std::path::{Path, PathBuf};

/// Name of the publication settings file, at the site's root.
pub const CONFIG_FILE: &str = "publication.yaml";

/// Keys the settings file accepts.
const KEYS: [&str; 2] = ["destination", "empreinte_serveur"];

/// Words that betray a secret written where it does not belong.
const SECRET_WORDS: [&str; 7] = ["mot_de_passe", "password", "passe", "phrase", "secret", "cle", "key"];

/// An SFTP account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SftpTarget {
    /// Login name.
    pub user: String,
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Folder of the site on the server: relative to the account's home folder, or absolute.
    pub path: String,
}

/// Where a site is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// An SFTP account on a web host.
    Sftp(SftpTarget),
    /// A folder of this computer (a mounted share).
    Folder(PathBuf),
}

impl Destination {
    /// Parses `sftp://user@host[:port]/path` (curl's convention: `/~/www` is `www` in the home
    /// folder, `/var/www` is absolute) or a folder path, relative to `base`.
    pub fn parse(text: &str, base: &Path) -> Result<Destination, String> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("sftp://") {
            return parse_sftp(rest).map(Destination::Sftp);
        }
        if let Some((scheme, _)) = text.split_once("://") {
            return Err(match scheme.to_ascii_lowercase().as_str() {
                "ftp" | "ftps" => "FTP n’est pas pris en charge (mots de passe transmis en clair) : demandez à \
                                   votre hébergeur l’accès SFTP (ou SSH), puis écrivez sftp://utilisateur@serveur/~/dossier"
                    .to_string(),
                _ => format!("« {scheme}:// » n’est pas une destination connue : écrivez sftp://utilisateur@serveur/~/dossier ou le chemin d’un dossier"),
            });
        }
        if text.is_empty() {
            return Err("destination vide".into());
        }
        Ok(Destination::Folder(base.join(text)))
    }

    /// How the destination is written, for messages and to tell journals apart.
    pub fn describe(&self) -> String {
        match self {
            Destination::Sftp(t) => {
                format!("sftp://{}@{}:{}/{}", t.user, host_for_url(&t.host), t.port, t.path.trim_start_matches('/'))
            }
            Destination::Folder(p) => p.display().to_string(),
        }
    }
}

fn host_for_url(host: &str) -> String {
    if host.contains(':') { format!("[{host}]") } else { host.to_string() }
}

fn parse_sftp(rest: &str) -> Result<SftpTarget, String> {
    let example = "écrivez sftp://utilisateur@serveur/~/dossier (ou sftp://utilisateur@serveur:port/~/dossier)";
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let Some((user, host_port)) = authority.rsplit_once('@') else {
        return Err(format!("l’identifiant manque dans la destination : {example}"));
    };
    if user.is_empty() || user.contains(':') {
        return Err(format!(
            "identifiant « {user} » refusé (un mot de passe ne s’écrit jamais dans la destination ; voir « maillage aide publier ») : {example}"
        ));
    }
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (host, after) =
            v6.split_once(']').ok_or_else(|| format!("adresse « {host_port} » mal fermée : {example}"))?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Err(format!("le serveur manque dans la destination : {example}"));
    }
    let port = match port {
        None => 22,
        Some(p) => p.parse().ok().filter(|&p| p > 0).ok_or_else(|| format!("port « {p} » invalide : {example}"))?,
    };
    let path = match path.strip_prefix('~') {
        Some(home) => home.trim_matches('/').to_string(),
        None => format!("/{}", path.trim_end_matches('/')),
    };
    let path = if path.is_empty() { ".".to_string() } else { path };
    Ok(SftpTarget { user: user.to_string(), host: host.to_string(), port, path })
}

/// The settings read from `publication.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Where to publish.
    pub destination: Option<Destination>,
    /// The SFTP server key's SHA-256 fingerprint, as `ssh-keygen -l` prints it.
    pub host_fingerprint: Option<String>,
}

/// Reads `publication.yaml` in `root`; empty settings when there is none. Errors are French
/// sentences naming the file and, where known, the line.
pub fn load(root: &Path) -> Result<Settings, String> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => return Err(format!("{} : lecture impossible : {}", path.display(), crate::french::io_error(&e))),
    };
    let shown = path.display();
    let map: Option<std::collections::BTreeMap<String, serde_json::Value>> =
        serde_saphyr::from_str(&text).map_err(|e| format!("{shown} : YAML invalide : {e}"))?;
    let mut settings = Settings::default();
    for (key, value) in map.unwrap_or_default() {
        let line = line_of(&text, &key);
        let place = format!("{shown}:{line}");
        if !KEYS.contains(&key.as_str()) {
            let lower = key.to_lowercase();
            if SECRET_WORDS.iter().any(|w| lower.contains(w)) {
                return Err(format!(
                    "{place} : « {key} » : aucun secret dans {CONFIG_FILE}, qui peut être partagé ou versionné. \
                     Donnez le mot de passe ou la clé par l’environnement (MAILLAGE_SFTP_MOT_DE_PASSE, MAILLAGE_SFTP_CLE, \
                     MAILLAGE_SFTP_PHRASE), un agent SSH ou le trousseau du système : voir « maillage aide publier »"
                ));
            }
            return Err(format!("{place} : clé « {key} » inconnue ; clés possibles : {}", KEYS.join(", ")));
        }
        let serde_json::Value::String(value) = value else {
            return Err(format!("{place} : « {key} » attend un texte"));
        };
        match key.as_str() {
            "destination" => {
                settings.destination = Some(Destination::parse(&value, root).map_err(|e| format!("{place} : {e}"))?)
            }
            _ => settings.host_fingerprint = Some(value),
        }
    }
    Ok(settings)
}

/// Line (from 1) where `key:` starts a line, for messages; 1 when not found.
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sftp(text: &str) -> SftpTarget {
        match Destination::parse(text, Path::new("/site")) {
            Ok(Destination::Sftp(t)) => t,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn sftp_destinations_follow_curl_conventions() {
        let t = sftp("sftp://cpts@ssh.example.org/~/www");
        assert_eq!((t.user.as_str(), t.host.as_str(), t.port, t.path.as_str()), ("cpts", "ssh.example.org", 22, "www"));
        assert_eq!(sftp("sftp://cpts@h:2222/var/www/").path, "/var/www");
        assert_eq!(sftp("sftp://cpts@h:2222/~/").path, ".");
        assert_eq!(sftp("sftp://u@[::1]:2200/~/s").host, "::1");
        assert_eq!(sftp("sftp://u@[::1]:2200/~/s").port, 2200);
        assert_eq!(Destination::Sftp(sftp("sftp://u@h:23/~/www")).describe(), "sftp://u@h:23/www");
    }

    #[test]
    fn bad_destinations_say_what_to_write() {
        for (text, says) in [
            ("sftp://u:secret@h/~/www", "mot de passe"),
            ("sftp://h/~/www", "identifiant manque"),
            ("sftp://u@h:0/~/www", "port « 0 »"),
            ("ftp://u@h/www", "FTP n’est pas pris en charge"),
            ("https://exemple.fr", "n’est pas une destination connue"),
        ] {
            let e = Destination::parse(text, Path::new(".")).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
        assert_eq!(
            Destination::parse("partage/site", Path::new("/r")),
            Ok(Destination::Folder(PathBuf::from("/r/partage/site")))
        );
    }

    #[test]
    fn settings_refuse_secrets_and_unknown_keys_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), Ok(Settings::default()));
        let file = dir.path().join(CONFIG_FILE);
        std::fs::write(&file, "# où publier\ndestination: sftp://u@h/~/www\nmot_de_passe: hunter2\n").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(e.contains("publication.yaml:3 : « mot_de_passe » : aucun secret"), "{e}");
        std::fs::write(&file, "destination: sftp://u@h/~/www\ndestinaton: x\n").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(e.contains(":2 : clé « destinaton » inconnue"), "{e}");
        std::fs::write(&file, "destination: sftp://u@h/~/www\nempreinte_serveur: SHA256:abc\n").unwrap();
        let s = load(dir.path()).unwrap();
        assert_eq!(s.host_fingerprint.as_deref(), Some("SHA256:abc"));
        assert!(matches!(s.destination, Some(Destination::Sftp(_))));
    }
}
