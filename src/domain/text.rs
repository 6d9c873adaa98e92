//! Text rules every stage shares: accent folding (for search, sorting and matching names) and
//! slugs (file names, URL segments, identifiers).

/// Makes a URL-safe identifier: lowercase ASCII, accents removed, dashes between words.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Lowercase, accent-free form of a text, for search and sorting.
pub fn fold(text: &str) -> String {
    text.chars().flat_map(fold_accent).flat_map(char::to_lowercase).collect()
}

fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let s: &str = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => "O",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ÿ' => "y",
        'œ' => "oe",
        'Œ' => "OE",
        'æ' => "ae",
        'Æ' => "AE",
        '’' | '\'' => " ",
        _ => "",
    };
    let single = if s.is_empty() { Some(c) } else { None };
    s.chars().chain(single)
}

/// Whether a slug is safe as a file and URL name: lowercase ASCII letters, digits and dashes.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// An integer with French thousands separators (narrow no-break spaces): "185 000".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// `à` before a commune's name, contracted with its article: `au Luc`, `aux Arcs`, `à La Garde`.
pub fn to_commune(nom: &str) -> String {
    if let Some(rest) = nom.strip_prefix("Le ") {
        format!("au {rest}")
    } else if let Some(rest) = nom.strip_prefix("Les ") {
        format!("aux {rest}")
    } else {
        format!("à {nom}")
    }
}

/// `de` before a commune's name, contracted with its article or elided: `du Luc`, `des Arcs`,
/// `de La Garde`, `d’Ampus`, `de Vidauban`.
pub fn of_commune(nom: &str) -> String {
    if let Some(rest) = nom.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = nom.strip_prefix("Les ") {
        format!("des {rest}")
    } else if fold(nom.get(..nom.char_indices().nth(1).map_or(nom.len(), |(i, _)| i)).unwrap_or(""))
        .starts_with(['a', 'e', 'i', 'o', 'u', 'y', 'h'])
    {
        format!("d’{nom}")
    } else {
        format!("de {nom}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Le Cannet-des-Maures"), "le-cannet-des-maures");
        assert_eq!(slugify("Saint-Raphaël"), "saint-raphael");
        assert_eq!(slugify("L’Œuvre d'art"), "l-oeuvre-d-art");
        assert_eq!(slugify("../../etc"), "etc");
    }

    #[test]
    fn valid_slugs() {
        assert!(is_valid_slug("claire-martin-2"));
        assert!(!is_valid_slug("Claire"));
        assert!(!is_valid_slug("-a"));
        assert!(!is_valid_slug("a-"));
        assert!(!is_valid_slug(""));
        assert!(!is_valid_slug("été"));
    }

    #[test]
    fn folding_drops_accents_and_case() {
        assert_eq!(fold("Œuvre À Hyères"), "oeuvre a hyeres");
        assert_eq!(fold("L’Été"), "l ete");
    }

    #[test]
    fn french_contractions_before_a_commune() {
        assert_eq!(to_commune("Le Luc"), "au Luc");
        assert_eq!(to_commune("Les Arcs"), "aux Arcs");
        assert_eq!(to_commune("La Garde"), "à La Garde");
        assert_eq!(to_commune("Draguignan"), "à Draguignan");
        assert_eq!(of_commune("Le Luc"), "du Luc");
        assert_eq!(of_commune("Les Mayons"), "des Mayons");
        assert_eq!(of_commune("La Garde"), "de La Garde");
        assert_eq!(of_commune("Ampus"), "d’Ampus");
        assert_eq!(of_commune("Éguilles"), "d’Éguilles");
        assert_eq!(of_commune("Hyères"), "d’Hyères");
        assert_eq!(of_commune("Vidauban"), "de Vidauban");
    }
}
