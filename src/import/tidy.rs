//! Tidying what sources write: text in UTF-8 or Windows-1252, names in capitals, phone numbers.

use crate::domain::ids;

/// Decodes bytes as UTF-8 (without BOM), or Windows-1252 (a superset of Latin-1 for the
/// printable characters) when they are not.
pub fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    }
}

/// Writes a name or label that a source gives in capitals ("JEAN-PIERRE", "MAISON DE SANTE DE
/// L ARGENS") in ordinary case; text already in mixed case is kept.
pub fn tidy_case(s: &str) -> String {
    tidy(s, true)
}

/// Like [`tidy_case`], for the end of a phrase: small words stay lower case even first ("DE LA
/// RESISTANCE" after "avenue" → "de la Resistance").
pub fn tidy_case_tail(s: &str) -> String {
    tidy(s, false)
}

fn tidy(s: &str, capitalise_first: bool) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().any(char::is_lowercase) {
        return s;
    }
    const ACRONYMS: &[&str] = &[
        "EHPAD", "SSIAD", "CMP", "MSP", "HAD", "SMR", "USLD", "CH", "CHU", "SAS", "SELARL", "SCM", "SCP", "SISA", "DAC",
    ];
    const SMALL: &[&str] =
        &["de", "du", "des", "la", "le", "les", "et", "en", "sur", "sous", "aux", "au", "à", "d", "l"];
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let mut first_word = capitalise_first;
    let flush = |word: &mut String, out: &mut String, first_word: &mut bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let keep_small = !*first_word && SMALL.contains(&lower.as_str());
        if ACRONYMS.contains(&word.as_str()) {
            out.push_str(word);
        } else if keep_small {
            out.push_str(&lower);
        } else {
            let mut cs = lower.chars();
            if let Some(c) = cs.next() {
                out.extend(c.to_uppercase());
                out.push_str(cs.as_str());
            }
        }
        *first_word = false;
        word.clear();
    };
    for c in s.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, &mut first_word);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, &mut first_word);
    out
}

/// A phone number as Maillage writes it, or `None` when it is not a French number.
pub fn tidy_phone(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    ids::phone(t).ok().filter(|p| p.tel.starts_with("+33")).map(|p| p.display)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_are_tidied() {
        assert_eq!(tidy_case("JEAN-PIERRE"), "Jean-Pierre");
        assert_eq!(tidy_case("MAISON DE SANTE DE L ARGENS"), "Maison de Sante de l Argens");
        assert_eq!(tidy_case("EHPAD LES RESTANQUES"), "EHPAD les Restanques");
        assert_eq!(tidy_case("McDonald"), "McDonald");
        assert_eq!(tidy_case_tail("DE LA RESISTANCE"), "de la Resistance");
        assert_eq!(tidy_phone("0494123456").as_deref(), Some("04 94 12 34 56"));
        assert_eq!(tidy_phone("15"), None);
    }

    #[test]
    fn latin1_is_decoded() {
        assert_eq!(decode_text(b"Fr\xe9jus"), "Fréjus");
        assert_eq!(decode_text("\u{feff}Fréjus".as_bytes()), "Fréjus");
    }
}
