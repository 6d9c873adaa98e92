//! French as Maillage writes it to a coordinator outside the site: in the terminal, in the JSON
//! report, in the dev server's overlay. No-break spaces where French typography puts them, counts
//! with their plural, sizes in French units. (The site's own typography, which also adds the
//! spaces a coordinator left out, is `render::text::typo`.) Imports nothing of the crate.

/// No-break space, before `:` and inside « ».
pub const NBSP: char = '\u{a0}';
/// Narrow no-break space, before `; ! ?`.
pub const NNBSP: char = '\u{202f}';

/// Makes the spaces French typography asks for unbreakable: a space before `:` becomes a
/// no-break space, before `; ! ?` a narrow no-break space, and the spaces inside « » no-break
/// spaces. Only spaces already written are changed, never added: a YAML example such as
/// `publie: true` quoted in a message stays as it must be typed.
pub fn spaced(text: &str) -> String {
    if !text.contains([':', ';', '!', '?', '«', '»']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    let mut prev = None;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let replaced = match (c, next) {
            (' ', Some(':' | '»')) => NBSP,
            (' ', Some(';' | '!' | '?')) => NNBSP,
            (' ', _) if prev == Some('«') => NBSP,
            _ => c,
        };
        out.push(replaced);
        prev = Some(c);
    }
    out
}

/// A count and its noun, singular for 0 and 1 as French wants: `0 erreur`, `1 fichier écrit`,
/// `2 fichiers écrits`.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    if n >= 2 { format!("{n} {many}") } else { format!("{n} {one}") }
}

/// [`plural`] for a `usize` count.
pub fn count(n: usize, one: &str, many: &str) -> String {
    plural(n as u64, one, many)
}

/// A size in French units, decimal comma and no-break space: `12 octets`, `1,5 ko`, `3,2 Mo`.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["octets", "ko", "Mo", "Go"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        plural(bytes, "octet", "octets").replacen(' ', "\u{a0}", 1)
    } else {
        format!("{}{NBSP}{}", format!("{value:.1}").replace('.', ","), UNITS[unit])
    }
}

/// A duration for a person: `45 s`, `3 min 05 s`, `1 h 02 min`.
pub fn duration(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s}{NBSP}s"),
        s if s < 3600 => format!("{}{NBSP}min {:02}{NBSP}s", s / 60, s % 60),
        s => format!("{}{NBSP}h {:02}{NBSP}min", s / 3600, (s % 3600) / 60),
    }
}

/// A progress bar style from `template`, with keys that write French units: `{octets}` and
/// `{total_octets}` (sizes, `1,5 Mo`), `{debit}` (`1,5 Mo/s`), `{reste}` (time left, `3 min 05 s`).
/// `None` if the template is invalid.
pub fn progress_style(template: &str) -> Option<indicatif::ProgressStyle> {
    use indicatif::ProgressState;
    use std::fmt::Write;
    let style = indicatif::ProgressStyle::with_template(template).ok()?;
    Some(
        style
            .with_key("octets", |s: &ProgressState, w: &mut dyn Write| {
                let _ = w.write_str(&size(s.pos()));
            })
            .with_key("total_octets", |s: &ProgressState, w: &mut dyn Write| {
                let _ = w.write_str(&size(s.len().unwrap_or(0)));
            })
            .with_key("debit", |s: &ProgressState, w: &mut dyn Write| {
                let _ = write!(w, "{}/s", size(s.per_sec() as u64));
            })
            .with_key("reste", |s: &ProgressState, w: &mut dyn Write| {
                let _ = w.write_str(&duration(s.eta().as_secs()));
            }),
    )
}

/// A system error in French: the operating system's own words are English (`Permission denied
/// (os error 13)`), so the usual kinds are said in French, the others by their number.
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let said = match e.kind() {
        K::NotFound => "fichier ou dossier introuvable",
        K::PermissionDenied => "accès refusé (droits insuffisants)",
        K::AlreadyExists => "le fichier existe déjà",
        K::StorageFull => "disque plein",
        K::ReadOnlyFilesystem => "disque en lecture seule",
        K::IsADirectory => "c’est un dossier, pas un fichier",
        K::NotADirectory => "ce n’est pas un dossier",
        K::DirectoryNotEmpty => "le dossier n’est pas vide",
        K::InvalidData => "contenu illisible",
        K::InvalidInput => "nom ou valeur refusé par le système",
        K::UnexpectedEof => "fin de fichier inattendue",
        K::TimedOut => "délai dépassé",
        K::Interrupted => "opération interrompue",
        K::OutOfMemory => "mémoire insuffisante",
        K::ConnectionRefused => "connexion refusée",
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => "connexion interrompue",
        K::NotConnected => "pas de connexion",
        K::AddrInUse => "adresse déjà utilisée (un autre programme écoute-t-il sur ce port ?)",
        K::AddrNotAvailable => "adresse indisponible sur cet ordinateur",
        K::HostUnreachable | K::NetworkUnreachable => "réseau ou serveur injoignable",
        K::ResourceBusy | K::ExecutableFileBusy => "fichier utilisé par un autre programme",
        K::FileTooLarge => "fichier trop gros",
        K::CrossesDevices => "déplacement impossible d’un disque à un autre",
        K::Unsupported => "opération non prise en charge par ce système",
        _ => {
            return match e.raw_os_error() {
                // EMFILE and ENFILE, the same on Linux and macOS.
                Some(24) if cfg!(unix) => {
                    "trop de fichiers ouverts à la fois (limite du système, voir «\u{a0}ulimit -n\u{a0}»)".into()
                }
                Some(23) if cfg!(unix) => "trop de fichiers ouverts sur tout le système".into(),
                Some(n) => format!("erreur du système (code {n})"),
                None => "erreur du système".to_string(),
            };
        }
    };
    said.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn existing_spaces_become_unbreakable_and_none_is_added() {
        assert_eq!(spaced("clé inconnue « telphone »"), "clé inconnue «\u{a0}telphone\u{a0}»");
        assert_eq!(spaced("erreur : x ; y ! z ?"), "erreur\u{a0}: x\u{202f}; y\u{202f}! z\u{202f}?");
        assert_eq!(spaced("ajoutez « publie: true »"), "ajoutez «\u{a0}publie: true\u{a0}»");
        assert_eq!(spaced("http://127.0.0.1:1111/ à 10:30"), "http://127.0.0.1:1111/ à 10:30");
        assert_eq!(spaced("rien à changer"), "rien à changer");
    }

    #[test]
    fn zero_and_one_are_singular() {
        assert_eq!(count(0, "fichier inchangé", "fichiers inchangés"), "0 fichier inchangé");
        assert_eq!(count(1, "fichier écrit", "fichiers écrits"), "1 fichier écrit");
        assert_eq!(count(2, "fichier écrit", "fichiers écrits"), "2 fichiers écrits");
        assert_eq!(plural(12u64, "page", "pages"), "12 pages");
    }

    #[test]
    fn system_errors_are_said_in_french() {
        let denied = std::io::Error::from_raw_os_error(13);
        assert_eq!(io_error(&denied), "accès refusé (droits insuffisants)");
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        assert_eq!(io_error(&missing), "fichier ou dossier introuvable");
        #[cfg(unix)]
        assert!(io_error(&std::io::Error::from_raw_os_error(24)).starts_with("trop de fichiers ouverts à la fois"));
    }

    #[test]
    fn sizes_and_durations_in_french_units() {
        assert_eq!(size(1), "1\u{a0}octet");
        assert_eq!(size(999), "999\u{a0}octets");
        assert_eq!(size(1500), "1,5\u{a0}ko");
        assert_eq!(size(3_200_000), "3,2\u{a0}Mo");
        assert_eq!(duration(45), "45\u{a0}s");
        assert_eq!(duration(185), "3\u{a0}min 05\u{a0}s");
        assert_eq!(duration(3720), "1\u{a0}h 02\u{a0}min");
    }
}
