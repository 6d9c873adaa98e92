//! Text rules every stage shares: accent folding (for search, sorting and matching names), slugs
//! (file names, URL segments, identifiers), and the French grammar of place names: `à` and `de`
//! before a commune's name, contracted with its article (`au Luc`, `des Arcs`, `d’Entrecasteaux`).

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

/// A commune's name split at its article, as the official geographic code writes it
/// (`Le Luc`, `Les Arcs`, `La Garde`, `L'Isle-sur-la-Sorgue`).
enum Article<'a> {
    /// `Le Luc`: contracts (`au Luc`, `du Luc`); holds the rest of the name.
    Le(&'a str),
    /// `Les Arcs`: contracts (`aux Arcs`, `des Arcs`); holds the rest of the name.
    Les(&'a str),
    /// `La Garde`, `L'Isle…`, or no article: the name stays whole after `à` and `de`.
    Kept,
}

fn article(nom: &str) -> Article<'_> {
    if let Some(rest) = nom.strip_prefix("Le ").filter(|r| !r.is_empty()) {
        Article::Le(rest)
    } else if let Some(rest) = nom.strip_prefix("Les ").filter(|r| !r.is_empty()) {
        Article::Les(rest)
    } else {
        Article::Kept
    }
}

/// `à` before a commune's name, contracted with its article: `au Luc`, `aux Arcs`, `à La Garde`,
/// `à L’Isle-sur-la-Sorgue`, `à Draguignan`.
pub fn in_commune(nom: &str) -> String {
    match article(nom) {
        Article::Le(rest) => format!("au {rest}"),
        Article::Les(rest) => format!("aux {rest}"),
        Article::Kept => format!("à {nom}"),
    }
}

/// `de` before a commune's name, contracted with its article or elided before a vowel: `du Muy`,
/// `des Arcs`, `de La Motte`, `de L’Isle-sur-la-Sorgue`, `d’Entrecasteaux`, `de Vidauban`.
pub fn of_commune(nom: &str) -> String {
    match article(nom) {
        Article::Le(rest) => format!("du {rest}"),
        Article::Les(rest) => format!("des {rest}"),
        Article::Kept if elides(nom) => format!("d’{nom}"),
        Article::Kept => format!("de {nom}"),
    }
}

/// `à` before several communes, each with its own article, joined the French way:
/// `au Luc`, `au Luc et aux Arcs`, `à Vidauban, au Luc et aux Arcs`.
pub fn in_communes<'a>(noms: impl IntoIterator<Item = &'a str>) -> String {
    let parts: Vec<String> = noms.into_iter().map(in_commune).collect();
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
    }
}

/// Whether `de` becomes `d’` before a name: before a vowel (`d’Entrecasteaux`, `d’Yvetot`) and a
/// mute h (`d’Hyères`); not before an article (`de La Motte`, `de L’Isle`), a y sounded as a
/// consonant (`de Yenne`) or an aspirated h. Whether a place name's h is aspirated is a matter of
/// usage, not of spelling: names that begin with `Haut` or `Hou` (`de Hautefort`, `de Houilles`),
/// and `Ham`, take it; other names beginning with h are read with a mute one.
fn elides(nom: &str) -> bool {
    let folded: Vec<char> = nom.chars().take(5).flat_map(fold_accent).flat_map(char::to_lowercase).collect();
    let is_vowel = |c: Option<&char>| matches!(c, Some('a' | 'e' | 'i' | 'o' | 'u'));
    match folded.first() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => true,
        Some('y') => !is_vowel(folded.get(1)),
        Some('h') => {
            let word: String = folded.iter().collect();
            let aspirated = word.starts_with("haut")
                || word.starts_with("hou")
                || (word.starts_with("ham") && !folded.get(3).is_some_and(|c| c.is_alphabetic()));
            (is_vowel(folded.get(1)) || folded.get(1) == Some(&'y')) && !aspirated
        }
        _ => false,
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
    fn communes_take_their_article_after_a_and_de() {
        let cases = [
            ("Le Luc", "au Luc", "du Luc"),
            ("Les Arcs", "aux Arcs", "des Arcs"),
            ("Le Muy", "au Muy", "du Muy"),
            ("Le Cannet-des-Maures", "au Cannet-des-Maures", "du Cannet-des-Maures"),
            ("La Garde", "à La Garde", "de La Garde"),
            ("La Motte", "à La Motte", "de La Motte"),
            ("L'Isle-sur-la-Sorgue", "à L'Isle-sur-la-Sorgue", "de L'Isle-sur-la-Sorgue"),
            ("L’Escale", "à L’Escale", "de L’Escale"),
            ("Entrecasteaux", "à Entrecasteaux", "d’Entrecasteaux"),
            ("Éze", "à Éze", "d’Éze"),
            ("Hyères", "à Hyères", "d’Hyères"),
            ("Houilles", "à Houilles", "de Houilles"),
            ("Hautefort", "à Hautefort", "de Hautefort"),
            ("Ham", "à Ham", "de Ham"),
            ("Hamelet", "à Hamelet", "d’Hamelet"),
            ("Yvetot", "à Yvetot", "d’Yvetot"),
            ("Yenne", "à Yenne", "de Yenne"),
            ("Y", "à Y", "d’Y"),
            ("Vidauban", "à Vidauban", "de Vidauban"),
            ("Draguignan", "à Draguignan", "de Draguignan"),
            ("Ampus", "à Ampus", "d’Ampus"),
            ("Éguilles", "à Éguilles", "d’Éguilles"),
            ("Lorgues", "à Lorgues", "de Lorgues"),
            ("Les Mayons", "aux Mayons", "des Mayons"),
            ("Leers", "à Leers", "de Leers"),
        ];
        for (nom, a, de) in cases {
            assert_eq!(in_commune(nom), a, "à + {nom}");
            assert_eq!(of_commune(nom), de, "de + {nom}");
        }
    }

    #[test]
    fn several_communes_each_take_their_article() {
        assert_eq!(in_communes(["Le Luc"]), "au Luc");
        assert_eq!(in_communes(["Le Luc", "Les Arcs"]), "au Luc et aux Arcs");
        assert_eq!(in_communes(["Vidauban", "Le Luc", "Les Arcs"]), "à Vidauban, au Luc et aux Arcs");
        assert_eq!(in_communes([]), "");
    }

    #[test]
    fn folding_drops_accents_and_case() {
        assert_eq!(fold("Œuvre À Hyères"), "oeuvre a hyeres");
        assert_eq!(fold("L’Été"), "l ete");
    }
}
