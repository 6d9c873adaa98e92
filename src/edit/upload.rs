//! Images and documents sent from the editor: their type is read from their first bytes (never
//! from their name or the browser's word), their size bounded, their name rebuilt from letters,
//! digits and dashes with the extension of the type found. Images go to `content/static/images/`,
//! documents to `content/documents/`; a name already taken gets a number, unless the file there
//! is the same (then it is reused: a form sent twice stores once).

use crate::domain::text::slugify;

/// Largest image accepted: 8 Mo (a poster photographed with a phone is 2 to 5 Mo).
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;

/// Largest document accepted: 20 Mo.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// Where an upload goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// An image, under `content/static/images/`.
    Image,
    /// A document to publish, under `content/documents/`.
    Document,
}

impl Destination {
    /// The destination named in a request (`images`, `documents`).
    pub fn from_name(name: &str) -> Option<Destination> {
        match name {
            "images" => Some(Destination::Image),
            "documents" => Some(Destination::Document),
            _ => None,
        }
    }

    /// The folder, relative to the site root.
    pub fn folder(self) -> &'static str {
        match self {
            Destination::Image => "content/static/images",
            Destination::Document => "content/documents",
        }
    }

    /// How a record names a file stored there: `images/x.png` (under `static/`) or `x.pdf`
    /// (under `documents/`).
    pub fn reference(self, name: &str) -> String {
        match self {
            Destination::Image => format!("images/{name}"),
            Destination::Document => name.to_string(),
        }
    }
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// GIF image.
    Gif,
    /// WebP image.
    Webp,
    /// PDF document.
    Pdf,
}

impl Sniffed {
    /// The extension the stored file gets.
    pub fn extension(self) -> &'static str {
        match self {
            Sniffed::Png => "png",
            Sniffed::Jpeg => "jpg",
            Sniffed::Gif => "gif",
            Sniffed::Webp => "webp",
            Sniffed::Pdf => "pdf",
        }
    }

    fn is_image(self) -> bool {
        self != Sniffed::Pdf
    }
}

/// The type of a file from its first bytes; `None` for anything else (SVG and HTML included:
/// they can carry scripts).
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Sniffed::Png)
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some(Sniffed::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(Sniffed::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Sniffed::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(Sniffed::Pdf)
    } else {
        None
    }
}

/// Why an upload is refused, in French.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    /// Empty body.
    #[error("le fichier est vide")]
    Empty,
    /// Over the size limit.
    #[error(
        "fichier trop gros : {size} Mo, au plus {max} Mo ; réduisez-le (une image de 2 000 pixels de large suffit)"
    )]
    TooBig {
        /// Its size, in Mo (rounded up).
        size: usize,
        /// The limit, in Mo.
        max: usize,
    },
    /// Not a type accepted there.
    #[error("type de fichier refusé : {0}")]
    Type(&'static str),
    /// A name that tries to reach another folder, hide the file or name a device.
    #[error(
        "nom de fichier refusé : « {0} » ; renommez le fichier (lettres, chiffres, espaces et tirets) puis recommencez"
    )]
    Name(String),
}

/// Whether a name sent with a file is hostile: a path (`/`, `\\`, `..`), a drive or stream
/// (`:`), a hidden file, control characters, a Windows device name, or far too long. Ordinary
/// names (spaces, accents, capitals) are not: they are only rewritten by [`safe_name`].
pub fn is_hostile_name(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    name.is_empty()
        || name.len() > 255
        || name.contains(['/', '\\', ':', '\0'])
        || name.chars().any(char::is_control)
        || name.starts_with('.')
        || name.contains("..")
        || super::store::is_reserved_name(stem)
}

/// Checks an upload (its name as sent, its bytes) and gives its type.
pub fn accept(name: &str, bytes: &[u8], to: Destination) -> Result<Sniffed, UploadError> {
    if is_hostile_name(name) {
        return Err(UploadError::Name(name.chars().filter(|c| !c.is_control()).take(80).collect()));
    }
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    let max = match to {
        Destination::Image => MAX_IMAGE_BYTES,
        Destination::Document => MAX_DOCUMENT_BYTES,
    };
    if bytes.len() > max {
        let mb = 1024 * 1024;
        return Err(UploadError::TooBig { size: bytes.len().div_ceil(mb), max: max / mb });
    }
    match (sniff(bytes), to) {
        (Some(s), Destination::Image) if s.is_image() => Ok(s),
        (Some(s), Destination::Document) => Ok(s),
        (_, Destination::Image) => Err(UploadError::Type("une image doit être au format JPEG, PNG, WebP ou GIF")),
        (None, Destination::Document) => {
            Err(UploadError::Type("un document doit être un PDF (ou une image JPEG, PNG, WebP ou GIF)"))
        }
    }
}

/// A safe file name from the name the browser sent (any path or extension dropped) and the type
/// found: lowercase letters, digits and dashes, at most 80 characters, never a Windows device
/// name.
pub fn safe_name(sent: &str, kind: Sniffed) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let mut slug: String = slugify(stem).chars().take(80).collect();
    slug = slug.trim_matches('-').to_string();
    if slug.is_empty() || super::store::is_reserved_name(&slug) {
        slug = format!("fichier-{slug}").trim_end_matches('-').to_string();
    }
    format!("{slug}.{}", kind.extension())
}

/// The name to store under: `name` itself, or with `-2`, `-3`… when taken by another file.
/// `Ok(name, false)` means the same bytes are already there under that name.
pub fn free_name(name: &str, existing: impl Fn(&str) -> Option<Vec<u8>>, bytes: &[u8]) -> (String, bool) {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    for n in 1..10_000 {
        let candidate = if n == 1 { name.to_string() } else { format!("{stem}-{n}.{ext}") };
        match existing(&candidate) {
            None => return (candidate, true),
            Some(b) if b == bytes => return (candidate, false),
            Some(_) => {}
        }
    }
    (format!("{stem}-{}.{ext}", crate::fingerprint::of_bytes(bytes)), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Sniffed::Png));
        assert_eq!(sniff(b"%PDF-1.7"), Some(Sniffed::Pdf));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"<html><script>"), None);
        assert!(matches!(accept("a.png", b"%PDF-1.7", Destination::Image), Err(UploadError::Type(_))));
        assert!(matches!(accept("a.gif", b"GIF89a", Destination::Document), Ok(Sniffed::Gif)));
        assert_eq!(accept("a.png", b"", Destination::Image), Err(UploadError::Empty));
        let big = vec![0xffu8; MAX_IMAGE_BYTES + 1];
        assert_eq!(accept("a.jpg", &big, Destination::Image), Err(UploadError::TooBig { size: 9, max: 8 }));
        for hostile in [
            "../../etc/passwd.png",
            "..\\evil.png",
            "C:evil.png",
            "a.png:flux",
            ".htaccess",
            "con.png",
            "LPT1",
            "a\u{0}.png",
            "",
        ] {
            assert!(
                matches!(accept(hostile, b"%PDF-1.7", Destination::Document), Err(UploadError::Name(_))),
                "{hostile:?}"
            );
        }
        assert!(accept("Affiche Octobre Rose (2026).PDF", b"%PDF-1.7", Destination::Document).is_ok());
    }

    #[test]
    fn names_are_rebuilt() {
        assert_eq!(safe_name("Affiche Octobre Rose 2026.JPG", Sniffed::Jpeg), "affiche-octobre-rose-2026.jpg");
        assert_eq!(safe_name("evil.php.png", Sniffed::Png), "evil-php.png");
        assert_eq!(safe_name("x.html", Sniffed::Pdf), "x.pdf");
        assert_eq!(safe_name("«»", Sniffed::Pdf), "fichier.pdf");
        let taken = |n: &str| (n == "a.png").then(|| b"old".to_vec());
        assert_eq!(free_name("a.png", taken, b"new"), ("a-2.png".to_string(), true));
        assert_eq!(free_name("a.png", taken, b"old"), ("a.png".to_string(), false));
    }
}
