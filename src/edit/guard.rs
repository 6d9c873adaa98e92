//! Who may use the editor, and how each request proves it.
//!
//! - **Where from.** Without a password, only this computer: the peer must be a loopback
//!   address. With a password (`MAILLAGE_MOT_DE_PASSE`), anyone who gives it, through a login
//!   form that opens a session.
//! - **Which name.** Every request must name the server by an address it answers on (`Host`:
//!   `127.0.0.1`, `localhost`, `[::1]`, or, with a password, any IP address of this computer)
//!   and its port: a page of another site whose name was pointed at this computer (DNS
//!   rebinding) is refused.
//! - **Sessions.** A random session cookie (`HttpOnly`, `SameSite=Strict`, path `/_edition`),
//!   given on the first visit without a password, after the login with one.
//! - **Writes.** Every writing request carries the session's own random token (a form field or
//!   a header) and an `Origin` that is the server itself: a page elsewhere cannot make the
//!   coordinator's browser write (CSRF).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Name of the session cookie.
pub const COOKIE: &str = "maillage_edition";

/// Name of the form field, and header, that carry the token.
pub const TOKEN_FIELD: &str = "_jeton";
/// The token's header.
pub const TOKEN_HEADER: &str = "x-maillage-jeton";

/// How long a session lasts without use.
const IDLE: Duration = Duration::from_secs(12 * 3600);

/// Most sessions kept at once (each is a few bytes; a flood of visits cannot grow memory).
const MAX_SESSIONS: usize = 256;

/// A random value, as 64 hexadecimal characters (32 bytes from the system's generator).
pub fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        // Without the system's generator there is no secret to give: refuse every session.
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets in a time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug, Clone)]
struct Session {
    token: String,
    seen: Instant,
}

/// The open sessions and the password.
#[derive(Debug)]
pub struct Guard {
    password: Option<String>,
    sessions: Mutex<HashMap<String, Session>>,
    /// The port the server listens on (set once it is bound).
    port: Mutex<u16>,
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The peer is not this computer and no password is set.
    NotLocal,
    /// `Host` is not one of the server's names.
    BadHost,
    /// A write without `Origin`, or from another origin.
    BadOrigin,
    /// A write without the session's token.
    BadToken,
    /// No valid session: log in (with a password) or reload.
    NoSession,
}

impl Refused {
    /// The French explanation shown to whoever sent the request.
    pub fn message(self) -> &'static str {
        match self {
            Refused::NotLocal => {
                "L’éditeur ne répond qu’à cet ordinateur. Pour l’ouvrir depuis un autre appareil, relancez « maillage serve » avec un mot de passe (variable MAILLAGE_MOT_DE_PASSE)."
            }
            Refused::BadHost => "Adresse refusée : ouvrez l’éditeur par http://127.0.0.1 ou http://localhost.",
            Refused::BadOrigin => "Envoi refusé : il ne vient pas de l’éditeur lui-même.",
            Refused::BadToken => "Envoi refusé : la page a expiré. Rechargez-la, puis recommencez.",
            Refused::NoSession => "Session expirée ou absente : connectez-vous à nouveau.",
        }
    }
}

impl Guard {
    /// A guard; `password` empty counts as none.
    pub fn new(password: Option<String>) -> Guard {
        Guard {
            password: password.filter(|p| !p.is_empty()),
            sessions: Mutex::new(HashMap::new()),
            port: Mutex::new(0),
        }
    }

    /// Whether a password protects the editor.
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// Records the port the server listens on, for the `Host` and `Origin` checks.
    pub fn set_port(&self, port: u16) {
        *self.port.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = port;
    }

    fn port(&self) -> u16 {
        *self.port.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Checks where a request comes from and which name it gives the server.
    pub fn check_peer_and_host(&self, peer: Option<SocketAddr>, host: Option<&str>) -> Result<(), Refused> {
        let local = peer.is_some_and(|p| p.ip().is_loopback() || p.ip().to_canonical().is_loopback());
        if !local && !self.has_password() {
            return Err(Refused::NotLocal);
        }
        let host = host.ok_or(Refused::BadHost)?;
        if self.accepts_host(host) { Ok(()) } else { Err(Refused::BadHost) }
    }

    /// Whether `host` (a `Host` header: name and port) names this server.
    pub fn accepts_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else { return false };
        if port != self.port() {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || self.has_password(),
            Err(_) => false,
        }
    }

    /// Checks that a writing request comes from a page of the editor: its `Origin` is this very
    /// server (as named in `Host`).
    pub fn check_origin(&self, host: Option<&str>, origin: Option<&str>) -> Result<(), Refused> {
        let (Some(host), Some(origin)) = (host, origin) else { return Err(Refused::BadOrigin) };
        if origin == format!("http://{host}") && self.accepts_host(host) { Ok(()) } else { Err(Refused::BadOrigin) }
    }

    /// The session a cookie names, still valid; its token. Marks it used.
    pub fn session(&self, cookie: Option<&str>) -> Option<(String, String)> {
        let id = cookie?;
        let mut sessions = self.sessions.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = sessions.get_mut(id)?;
        if s.seen.elapsed() > IDLE {
            sessions.remove(id);
            return None;
        }
        s.seen = Instant::now();
        Some((id.to_string(), s.token.clone()))
    }

    /// Opens a session: its id (for the cookie) and its token. `None` when the system gives no
    /// randomness.
    pub fn open(&self) -> Option<(String, String)> {
        let (id, token) = (random_hex(), random_hex());
        if id.is_empty() || token.is_empty() {
            return None;
        }
        let mut sessions = self.sessions.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        sessions.retain(|_, s| s.seen.elapsed() <= IDLE);
        if sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = sessions.iter().min_by_key(|(_, s)| s.seen).map(|(k, _)| k.clone())
        {
            sessions.remove(&oldest);
        }
        sessions.insert(id.clone(), Session { token: token.clone(), seen: Instant::now() });
        Some((id, token))
    }

    /// Closes a session.
    pub fn close(&self, id: &str) {
        self.sessions.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id);
    }

    /// Whether `given` is the password.
    pub fn password_matches(&self, given: &str) -> bool {
        self.password.as_deref().is_some_and(|p| same_secret(p, given))
    }
}

/// Splits `name:port` (`[::1]:8080` for IPv6); `None` without a port.
fn split_host(host: &str) -> Option<(&str, u16)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        (ip, after.strip_prefix(':')?)
    } else {
        host.rsplit_once(':')?
    };
    Some((name, port.parse().ok()?))
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').map(str::trim).find_map(|kv| kv.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
}

/// The `Set-Cookie` value opening a session.
pub fn session_cookie(id: &str) -> String {
    format!("{COOKIE}={id}; Path=/_edition; HttpOnly; SameSite=Strict")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(password: Option<&str>) -> Guard {
        let g = Guard::new(password.map(str::to_string));
        g.set_port(1111);
        g
    }

    #[test]
    fn only_this_computer_without_a_password() {
        let g = guard(None);
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let lan: SocketAddr = "192.168.1.20:5000".parse().unwrap();
        assert_eq!(g.check_peer_and_host(Some(local), Some("127.0.0.1:1111")), Ok(()));
        assert_eq!(g.check_peer_and_host(Some(local), Some("localhost:1111")), Ok(()));
        assert_eq!(g.check_peer_and_host(Some(local), Some("[::1]:1111")), Ok(()));
        assert_eq!(g.check_peer_and_host(Some(lan), Some("127.0.0.1:1111")), Err(Refused::NotLocal));
        // DNS rebinding: a foreign name pointing at this computer.
        assert_eq!(g.check_peer_and_host(Some(local), Some("evil.example:1111")), Err(Refused::BadHost));
        assert_eq!(g.check_peer_and_host(Some(local), Some("127.0.0.1:2222")), Err(Refused::BadHost));
        assert_eq!(g.check_peer_and_host(Some(local), Some("192.168.1.2:1111")), Err(Refused::BadHost));
        assert_eq!(g.check_peer_and_host(Some(local), None), Err(Refused::BadHost));
        let p = guard(Some("secret"));
        assert_eq!(p.check_peer_and_host(Some(lan), Some("192.168.1.2:1111")), Ok(()));
        assert_eq!(p.check_peer_and_host(Some(lan), Some("evil.example:1111")), Err(Refused::BadHost));
    }

    #[test]
    fn writes_come_from_the_server_itself() {
        let g = guard(None);
        assert_eq!(g.check_origin(Some("127.0.0.1:1111"), Some("http://127.0.0.1:1111")), Ok(()));
        for bad in [None, Some("null"), Some("http://evil.example"), Some("http://127.0.0.1:1111.evil.example")] {
            assert_eq!(g.check_origin(Some("127.0.0.1:1111"), bad), Err(Refused::BadOrigin), "{bad:?}");
        }
    }

    #[test]
    fn sessions_and_secrets() {
        let g = guard(Some("un mot de passe"));
        let (id, token) = g.open().unwrap();
        assert_eq!(id.len(), 64);
        assert_ne!(id, token);
        assert_eq!(g.session(Some(&id)).map(|s| s.1), Some(token));
        assert!(g.session(Some("inconnu")).is_none());
        g.close(&id);
        assert!(g.session(Some(&id)).is_none());
        assert!(g.password_matches("un mot de passe"));
        assert!(!g.password_matches("un mot de pass"));
        assert!(!guard(None).password_matches(""));
        assert_eq!(cookie_value("a=1; maillage_edition=xyz; b=2", COOKIE), Some("xyz"));
    }
}
