//! Which encoding a text file is in, and reading it as UTF-8: UTF-8 with or without a byte order
//! mark, UTF-16 (little or big endian, with a mark, or without one when the zero bytes give it
//! away), and Windows-1252 (what French Excel saves as « CSV (séparateur : point-virgule) »;
//! a superset of Latin-1 for printable characters). A file that is none of these — a binary file,
//! a workbook given as CSV, another encoding whose bytes decode to control characters — is refused
//! with a French message, never read as garbage.

use super::reader::ImportError;
use encoding_rs::{Decoder, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;
use std::io::{self, Read};

/// The encoding of a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 starting with a byte order mark (what Excel writes as « CSV UTF-8 »).
    Utf8Bom,
    /// UTF-16, little endian (with its mark or not).
    Utf16Le,
    /// UTF-16, big endian (with its mark or not).
    Utf16Be,
    /// Windows-1252 (and Latin-1, which it contains).
    Windows1252,
}

impl Encoding {
    /// The encoding's name, for the report.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 avec BOM",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }

    fn utf16(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Utf16Le => Some(UTF_16LE),
            Encoding::Utf16Be => Some(UTF_16BE),
            _ => None,
        }
    }
}

/// The error for a file that is not text Maillage can read.
pub(super) fn unreadable(file: &str, why: &str) -> ImportError {
    ImportError::Format(format!(
        "{file} : {why} ; enregistrez-le en texte UTF-8 (dans un tableur : « CSV UTF-8 ») et recommencez"
    ))
}

/// What the first bytes of a file say about it: its encoding, how many bytes its mark takes, or
/// why it is not text. `head` is the start of the file (a few kilobytes are enough).
pub fn sniff(file: &str, head: &[u8]) -> Result<(Encoding, usize), ImportError> {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok((Encoding::Utf8Bom, 3));
    }
    if head.starts_with(b"\xFF\xFE") {
        return Ok((Encoding::Utf16Le, 2));
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok((Encoding::Utf16Be, 2));
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(ImportError::Format(format!(
            "{file} est un classeur (XLSX, XLS ou ODS), pas un fichier texte : importez-le avec « maillage import xlsx »"
        )));
    }
    if head.contains(&0) {
        // UTF-16 without its mark: text in Latin letters has a zero byte in every other place.
        let (mut even, mut odd) = (0usize, 0usize);
        for (i, b) in head.iter().enumerate() {
            if *b == 0 {
                if i % 2 == 0 { even += 1 } else { odd += 1 }
            }
        }
        let pairs = head.len() / 2;
        if pairs > 0 && odd * 10 >= pairs * 6 && even * 10 <= pairs {
            return Ok((Encoding::Utf16Le, 0));
        }
        if pairs > 0 && even * 10 >= pairs * 6 && odd * 10 <= pairs {
            return Ok((Encoding::Utf16Be, 0));
        }
        return Err(unreadable(
            file,
            "ce n’est pas un fichier texte (octets nuls : fichier binaire ou encodage inconnu)",
        ));
    }
    // A UTF-8 sequence cut at the end of `head` is not an error.
    match std::str::from_utf8(head) {
        Ok(_) => Ok((Encoding::Utf8, 0)),
        Err(e) if e.error_len().is_none() => Ok((Encoding::Utf8, 0)),
        Err(_) => Ok((Encoding::Windows1252, 0)),
    }
}

/// Whether decoded text holds characters no text file has: control characters other than tab,
/// line feed, carriage return and form feed (C1 controls are what the holes of Windows-1252
/// decode to).
pub(super) fn has_controls(text: &str) -> bool {
    text.chars().any(|c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) || c == '\u{fffd}')
}

/// Decodes one line of a streamed file whose bytes are UTF-8 or, failing that, Windows-1252;
/// `None` when the line holds control characters (not text).
pub fn decode_line(bytes: &[u8]) -> Option<Cow<'_, str>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    };
    (!has_controls(&text)).then_some(text)
}

/// A reader giving UTF-8 bytes from a UTF-16 stream, for files too large to hold in memory.
pub struct Utf16Reader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    start: usize,
    done: bool,
}

impl<R: Read> Utf16Reader<R> {
    /// Wraps a stream positioned after the byte order mark (if any).
    pub fn new(inner: R, encoding: Encoding) -> Self {
        let decoder = encoding.utf16().unwrap_or(UTF_16LE).new_decoder_without_bom_handling();
        Utf16Reader { inner, decoder, input: vec![0; 64 * 1024], output: Vec::new(), start: 0, done: false }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.start == self.output.len() && !self.done {
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            self.output.clear();
            self.start = 0;
            let room = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.output.resize(room, 0);
            let (result, _read, written, malformed) =
                self.decoder.decode_to_utf8(&self.input[..n], &mut self.output, last);
            if malformed {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "texte UTF-16 invalide"));
            }
            debug_assert_eq!(result, encoding_rs::CoderResult::InputEmpty);
            self.output.truncate(written);
            self.done = last;
        }
        let n = buf.len().min(self.output.len() - self.start);
        buf[..n].copy_from_slice(&self.output[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

/// Opens a text file for streaming: its encoding, and a reader giving its bytes after the mark,
/// as UTF-8 for UTF-16 files (UTF-8 and Windows-1252 bytes pass as they are, decoded by line
/// with [`decode_line`]). An empty file is an error.
pub fn open_stream(path: &std::path::Path) -> Result<(Encoding, u64, Box<dyn Read + Send>), ImportError> {
    use std::io::{Seek, SeekFrom};
    let file = path.display().to_string();
    let mut f = std::fs::File::open(path).map_err(|e| super::reader::io_err(path, e))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = vec![0u8; 8192];
    let mut filled = 0;
    while filled < head.len() {
        let n = f.read(&mut head[filled..]).map_err(|e| super::reader::io_err(path, e))?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    let (encoding, mark) = sniff(&file, &head)?;
    if head[mark..].iter().all(u8::is_ascii_whitespace) && filled < 8192 {
        return Err(ImportError::Format(format!("{file} est vide")));
    }
    f.seek(SeekFrom::Start(mark as u64)).map_err(|e| super::reader::io_err(path, e))?;
    let reader: Box<dyn Read + Send> = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => Box::new(Utf16Reader::new(f, encoding)),
        _ => Box::new(f),
    };
    Ok((encoding, len, reader))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, mark: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = std::iter::once(0xFEFF).filter(|_| mark).chain(text.encode_utf16());
        for u in units {
            out.extend(if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    }

    /// The encoding `open_stream` finds in `bytes`, and the text it gives (decoded by line).
    fn streamed(bytes: &[u8]) -> Result<(String, Encoding), String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).unwrap();
        let (encoding, _, mut stream) = open_stream(&path).map_err(|e| e.to_string())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
        let text = raw.split_inclusive(|b| *b == b'\n').map(|l| decode_line(l).unwrap().into_owned()).collect();
        Ok((text, encoding))
    }

    #[test]
    fn every_encoding_is_recognised() {
        let text = "Nom;Commune\nBérenger;Le Cannet-des-Maures\n";
        let cases: Vec<(Vec<u8>, Encoding)> = vec![
            (text.as_bytes().to_vec(), Encoding::Utf8),
            ([b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), Encoding::Utf8Bom),
            (utf16(text, false, true), Encoding::Utf16Le),
            (utf16(text, true, true), Encoding::Utf16Be),
            (utf16(text, false, false), Encoding::Utf16Le),
            (WINDOWS_1252.encode(text).0.into_owned(), Encoding::Windows1252),
        ];
        for (bytes, expected) in cases {
            assert_eq!(streamed(&bytes), Ok((text.to_string(), expected)));
        }
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b"  \r\n", b"\xFF\xFE"] {
            let e = streamed(bytes).unwrap_err();
            assert!(e.contains("est vide"), "{e}");
        }
        for bytes in [&b"PK\x03\x04rest"[..], b"\x00\x01\x02\x03\xff\x00\x10"] {
            assert!(streamed(bytes).is_err(), "{bytes:?}");
        }
    }

    #[test]
    fn utf16_streams_become_utf8() {
        let text = "Prénom|Nom|\nHélène|Bérenger|\n".repeat(5000);
        let bytes = utf16(&text, true, false);
        let mut out = String::new();
        Utf16Reader::new(bytes.as_slice(), Encoding::Utf16Be).read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn lines_fall_back_to_windows_1252() {
        assert_eq!(decode_line(b"Fr\xe9jus").as_deref(), Some("Fréjus"));
        assert_eq!(decode_line("Fréjus".as_bytes()).as_deref(), Some("Fréjus"));
        assert_eq!(decode_line(b"a\x00b"), None);
    }
}
