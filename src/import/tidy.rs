//! Tidying what sources write: names and labels in capitals back to French casing, phone numbers.
//!
//! Public extracts write everything in capitals without accents (`MAISON DE SANTE DE L ARGENS`,
//! `E.H.P.A.D. LES RESTANQUES`, `DE LA FONTAINE`). [`tidy_case`] and its siblings write them the
//! way French is written: acronyms whole (`EHPAD`, `SARL`, `CH`), Roman numerals in capitals,
//! prepositions and articles in lower case where French puts them (`de la Résistance`,
//! `Le Cannet-des-Maures`, `EHPAD Les Restanques`), elisions restored (`l’Argens`,
//! `d’Artagnan`), particles of people's names in lower case (`de La Fontaine`), `Mc` names
//! (`McDonald`), and the accents of a short list of frequent words. Text that already has lower
//! case letters is the writer's own casing and is kept.

use crate::domain::ids;
use crate::domain::text::fold;

/// Writes a name or label that a source gives in capitals ("MAISON DE SANTE DE L ARGENS") in
/// French casing, first word capitalised ("Maison de santé de l’Argens"); text already in mixed
/// case is kept.
pub fn tidy_case(s: &str) -> String {
    tidy(s, Style::Name)
}

/// Like [`tidy_case`], for the end of a phrase: small words stay lower case even first ("DE LA
/// RESISTANCE" after "avenue" → "de la Résistance").
pub fn tidy_case_tail(s: &str) -> String {
    tidy(s, Style::Tail)
}

/// A person's first or last name in capitals, in French casing: particles in lower case
/// ("DE LA FONTAINE" → "de La Fontaine", "D ARTAGNAN" → "d’Artagnan"), compound names
/// capitalised ("JEAN-PIERRE" → "Jean-Pierre", "MCDONALD" → "McDonald").
pub fn tidy_person(s: &str) -> String {
    tidy(s, Style::Person)
}

/// What kind of text is being tidied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// The name of a structure or a place: first word capitalised.
    Name,
    /// The end of a phrase (a street after its type): nothing forced to a capital.
    Tail,
    /// A person's name: particles in lower case, no acronyms.
    Person,
}

/// Acronyms of the health and legal world, kept in capitals. `MAS` (maison d'accueil
/// spécialisée) is left out on purpose: a *mas* is also a Provençal farmhouse, in many names.
const ACRONYMS: &[&str] = &[
    "ADMR", "APHM", "ARS", "BP", "CAARUD", "CAMSP", "CATTP", "CCAS", "CDS", "CEDEX", "CH", "CHI", "CHRU", "CHS", "CHU",
    "CIAS", "CLCC", "CLIC", "CMP", "CMPP", "CPAM", "CPTS", "CS", "CSAPA", "DAC", "EHPA", "EHPAD", "EPSM", "ESA",
    "ESAT", "ESMS", "ESP", "EURL", "FAM", "GCS", "GHT", "HAD", "IME", "ITEP", "MDPH", "MSP", "PMI", "PTA", "PUI", "SA",
    "SAMSAH", "SARL", "SAS", "SASU", "SAVS", "SCI", "SCM", "SCP", "SDIS", "SEL", "SELARL", "SELAS", "SELAFA", "SELCA",
    "SELURL", "SESSAD", "SISA", "SMR", "SPASAD", "SSIAD", "SSR", "TSA", "UGECAM", "USLD",
];

/// Prepositions and conjunctions: lower case unless they open a name.
const SMALL: &[&str] = &["de", "du", "des", "et", "en", "sur", "sous", "aux", "au", "à", "lès", "lez", "ès"];

/// Articles: lower case after a preposition or inside a hyphenated name (`de la Gare`,
/// `Fontaine-la-Gaillarde`), capitalised where they open a proper name (`EHPAD Les Restanques`).
const ARTICLES: &[&str] = &["le", "la", "les"];

/// Words after which an article is lower case.
const BEFORE_ARTICLE: &[&str] = &["de", "à", "a", "sur", "sous", "en", "par", "pour", "entre", "vers", "lès", "et"];

/// Common nouns and adjectives frequent in the names of health structures: written in lower case
/// (with their accents) unless they open the name ("Centre hospitalier", "Maison de santé").
const COMMON_WORDS: &[(&str, &str)] = &[
    ("ACCUEIL", "accueil"),
    ("AGEES", "âgées"),
    ("AMBULATOIRE", "ambulatoire"),
    ("ANALYSES", "analyses"),
    ("ASSOCIES", "associés"),
    ("BIOLOGIE", "biologie"),
    ("CIVILE", "civile"),
    ("COMMERCIAL", "commercial"),
    ("COORDINATION", "coordination"),
    ("DENTAIRE", "dentaire"),
    ("DEPENDANTES", "dépendantes"),
    ("DIT", "dit"),
    ("DOMICILE", "domicile"),
    ("EXERCICE", "exercice"),
    ("GENERALISTE", "généraliste"),
    ("GENERALISTES", "généralistes"),
    ("GERIATRIE", "gériatrie"),
    ("HEBERGEMENT", "hébergement"),
    ("HOSPITALIER", "hospitalier"),
    ("HOSPITALIERE", "hospitalière"),
    ("HOSPITALIERS", "hospitaliers"),
    ("IMAGERIE", "imagerie"),
    ("INFIRMIER", "infirmier"),
    ("INFIRMIERE", "infirmière"),
    ("INFIRMIERES", "infirmières"),
    ("INFIRMIERS", "infirmiers"),
    ("KINESITHERAPIE", "kinésithérapie"),
    ("LIBERAL", "libéral"),
    ("LIEU", "lieu"),
    ("LIBERALE", "libérale"),
    ("MEDECINE", "médecine"),
    ("MEDECINS", "médecins"),
    ("MEDICAL", "médical"),
    ("MEDICALE", "médicale"),
    ("MEDICALES", "médicales"),
    ("MEDICAUX", "médicaux"),
    ("MEDICO", "médico"),
    ("MOYENS", "moyens"),
    ("NON", "non"),
    ("PARAMEDICAL", "paramédical"),
    ("PEDIATRIE", "pédiatrie"),
    ("PERSONNES", "personnes"),
    ("PLURIDISCIPLINAIRE", "pluridisciplinaire"),
    ("PLURIPROFESSIONNEL", "pluriprofessionnel"),
    ("PLURIPROFESSIONNELLE", "pluriprofessionnelle"),
    ("PROGRAMMES", "programmés"),
    ("PROFESSIONNELLE", "professionnelle"),
    ("PSYCHIATRIE", "psychiatrie"),
    ("PSYCHIATRIQUE", "psychiatrique"),
    ("PSYCHOLOGIQUE", "psychologique"),
    ("RADIOLOGIE", "radiologie"),
    ("READAPTATION", "réadaptation"),
    ("REEDUCATION", "rééducation"),
    ("RETRAITE", "retraite"),
    ("SANTE", "santé"),
    ("SOCIAL", "social"),
    ("SOCIALE", "sociale"),
    ("SOCIETE", "société"),
    ("SOINS", "soins"),
    ("SPECIALISE", "spécialisé"),
    ("SPECIALISEE", "spécialisée"),
    ("URGENCES", "urgences"),
];

/// Proper words of names and streets that capitals write without their accents.
const ACCENTED: &[(&str, &str)] = &[
    ("BATIMENT", "Bâtiment"),
    ("CHATEAU", "Château"),
    ("CITE", "Cité"),
    ("ECOLE", "École"),
    ("ECOLES", "Écoles"),
    ("EGLISE", "Église"),
    ("ETOILE", "Étoile"),
    ("FRERES", "Frères"),
    ("GENERAL", "Général"),
    ("HOPITAL", "Hôpital"),
    ("HOTEL", "Hôtel"),
    ("JAURES", "Jaurès"),
    ("LIBERATION", "Libération"),
    ("MARECHAL", "Maréchal"),
    ("MEDITERRANEE", "Méditerranée"),
    ("MISERICORDE", "Miséricorde"),
    ("PINEDE", "Pinède"),
    ("PINEDES", "Pinèdes"),
    ("PRE", "Pré"),
    ("REPUBLIQUE", "République"),
    ("RESIDENCE", "Résidence"),
    ("RESISTANCE", "Résistance"),
    ("VALLEE", "Vallée"),
];

/// One word of the text and the separator that follows it.
struct Word {
    text: String,
    /// Written as dotted capitals in the source (`E.H.P.A.D.`): an acronym whatever it is.
    dotted: bool,
    sep: String,
}

fn tidy(s: &str, style: Style) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().any(char::is_lowercase) {
        return s;
    }
    let s = s.replace("LIEU DIT ", "LIEU-DIT ");
    let (lead, words) = split_words(&s, style != Style::Person);
    let mut out = lead;
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &words[p]);
        let next = words.get(i + 1);
        let lower = w.text.to_lowercase();
        let first = i == 0;
        let after_hyphen = prev.is_some_and(|p| p.sep == "-");
        let elided = matches!(lower.as_str(), "d" | "l")
            && matches!(w.sep.as_str(), " " | "'" | "’")
            && next.is_some_and(|n| n.text.starts_with(|c: char| "AEIOUYHÂÉÈÊÎÔÛ".contains(c)));
        let cap_first = first && style == Style::Name;
        let word = if elided {
            let capital = cap_first || (style == Style::Person && lower == "l");
            if capital { w.text.clone() } else { lower.clone() }
        } else if w.text.chars().any(|c| c.is_ascii_digit()) {
            // `12B`, `RN7`, `2A`: codes, kept as written.
            w.text.clone()
        } else if style != Style::Person && (w.dotted || ACRONYMS.contains(&w.text.as_str()) || is_roman(&w.text)) {
            w.text.clone()
        } else if let Some(rest) = lower.strip_prefix("mc").filter(|r| r.chars().count() >= 2) {
            format!("Mc{}", capitalise(rest))
        } else if style == Style::Person && matches!(lower.as_str(), "de" | "du" | "des") {
            lower.clone()
        } else if cap_first {
            match common_word(&w.text) {
                Some(c) => capitalise(c),
                None => capitalise(accented(&w.text).unwrap_or(&lower)),
            }
        } else if style != Style::Person && SMALL.contains(&lower.as_str()) {
            lower.clone()
        } else if style != Style::Person && ARTICLES.contains(&lower.as_str()) {
            let after_preposition = prev.is_some_and(|p| BEFORE_ARTICLE.contains(&p.text.to_lowercase().as_str()));
            if after_hyphen || after_preposition { lower.clone() } else { capitalise(&lower) }
        } else if let Some(c) = common_word(&w.text).filter(|_| style != Style::Person) {
            c.to_string()
        } else if let Some(a) = accented(&w.text).filter(|_| style != Style::Person) {
            a.to_string()
        } else {
            capitalise(&lower)
        };
        out.push_str(&word);
        if elided {
            out.push('’');
        } else {
            out.push_str(&w.sep);
        }
    }
    out
}

/// Splits a text into words (letters and digits) with the separators that follow them, and
/// what comes before the first word. Dotted acronyms (`E.H.P.A.D.`, `C.H.`) become one word
/// when `acronyms` is set.
fn split_words(s: &str, acronyms: bool) -> (String, Vec<Word>) {
    let chars: Vec<char> = s.chars().collect();
    let mut lead = String::new();
    let mut words: Vec<Word> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            match words.last_mut() {
                Some(w) => w.sep.push(chars[i]),
                None => lead.push(chars[i]),
            }
            i += 1;
            continue;
        }
        if acronyms && let Some((letters, end)) = dotted_acronym(&chars, i) {
            words.push(Word { text: letters, dotted: true, sep: String::new() });
            i = end;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
        words.push(Word { text: chars[start..i].iter().collect(), dotted: false, sep: String::new() });
    }
    (lead, words)
}

/// `E.H.P.A.D.` at `start`: the letters and where the acronym ends (after its last dot). At
/// least two single letters, each followed by a dot (the last dot may be missing).
fn dotted_acronym(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut letters = String::new();
    let mut i = start;
    while i < chars.len() && chars[i].is_alphabetic() {
        let followed = chars.get(i + 1);
        match followed {
            Some('.') => {
                letters.push(chars[i]);
                i += 2;
            }
            None | Some(' ' | ',' | ')' | ';' | '-') if !letters.is_empty() => {
                letters.push(chars[i]);
                i += 1;
                break;
            }
            _ => break,
        }
    }
    (letters.chars().count() >= 2 && (i >= chars.len() || !chars[i].is_alphanumeric())).then_some((letters, i))
}

/// Whether a word in capitals is a Roman numeral of I, V and X (`II`, `XIV`), written the
/// canonical way (so that `VIX`, a commune, is not one).
fn is_roman(word: &str) -> bool {
    if word.len() < 2 || !word.bytes().all(|b| matches!(b, b'I' | b'V' | b'X')) {
        return false;
    }
    let value = |b: u8| match b {
        b'I' => 1,
        b'V' => 5,
        _ => 10,
    };
    let bytes = word.as_bytes();
    let mut n = 0i32;
    for (i, &b) in bytes.iter().enumerate() {
        let v = value(b);
        if bytes.get(i + 1).is_some_and(|&next| value(next) > v) { n -= v } else { n += v }
    }
    (1..40).contains(&n) && to_roman(n as u32) == word
}

fn to_roman(mut n: u32) -> String {
    let mut out = String::new();
    for (v, s) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

fn common_word(upper: &str) -> Option<&'static str> {
    COMMON_WORDS.iter().find(|(k, _)| *k == upper).map(|(_, v)| *v)
}

fn accented(upper: &str) -> Option<&'static str> {
    ACCENTED.iter().find(|(k, _)| *k == upper).map(|(_, v)| *v)
}

/// First letter in capitals, the rest as given.
fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// A phone number as Maillage writes it, or `None` when it is not a French number.
pub fn tidy_phone(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    ids::phone(t).ok().filter(|p| p.tel.starts_with("+33")).map(|p| p.display)
}

/// Comparable form of a column heading: letters and digits only, no accents, lower case
/// (`N° RPPS` → `nrpps`, `Adresse e-mail` → `adresseemail`).
pub fn heading_key(name: &str) -> String {
    fold(name).chars().filter(char::is_ascii_alphanumeric).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_structures_and_places() {
        assert_eq!(tidy_case("MAISON DE SANTE DE L ARGENS"), "Maison de santé de l’Argens");
        assert_eq!(tidy_case("E.H.P.A.D. LES RESTANQUES"), "EHPAD Les Restanques");
        assert_eq!(tidy_case("EHPAD LES RESTANQUES"), "EHPAD Les Restanques");
        assert_eq!(tidy_case("C.H. DE LA DRACENIE"), "CH de la Dracenie");
        assert_eq!(tidy_case("SARL PHARMACIE DU CENTRE"), "SARL Pharmacie du Centre");
        assert_eq!(tidy_case("SESSAD LES CIGALES"), "SESSAD Les Cigales");
        assert_eq!(tidy_case("CENTRE HOSPITALIER DE LA MISERICORDE"), "Centre hospitalier de la Miséricorde");
        assert_eq!(tidy_case("LE LUC-EN-PROVENCE"), "Le Luc-en-Provence");
        assert_eq!(tidy_case("LE CANNET-DES-MAURES"), "Le Cannet-des-Maures");
        assert_eq!(tidy_case("FONTAINE-LA-GAILLARDE"), "Fontaine-la-Gaillarde");
        assert_eq!(tidy_case("L'OLIVIER"), "L’Olivier");
        assert_eq!(tidy_case("RESIDENCE LOUIS XIV"), "Résidence Louis XIV");
        assert_eq!(tidy_case("VIX"), "Vix");
        assert_eq!(tidy_case("CABINET MCDONALD"), "Cabinet McDonald");
        assert_eq!(tidy_case("McDonald"), "McDonald");
        assert_eq!(tidy_case("Maison de santé des Oliviers"), "Maison de santé des Oliviers");
        assert_eq!(tidy_case("  PHARMACIE   DU  PORT "), "Pharmacie du Port");
        assert_eq!(tidy_case("CENTRE DE SOINS NON PROGRAMMES"), "Centre de soins non programmés");
        assert_eq!(tidy_case("BP 12"), "BP 12");
        assert_eq!(tidy_case("LIEU DIT LES VIGNES"), "Lieu-dit Les Vignes");
    }

    #[test]
    fn street_names_after_their_type() {
        assert_eq!(tidy_case_tail("DE LA RESISTANCE"), "de la Résistance");
        assert_eq!(tidy_case_tail("D ARTAGNAN"), "d’Artagnan");
        assert_eq!(tidy_case_tail("DU GENERAL DE GAULLE"), "du Général de Gaulle");
        assert_eq!(tidy_case_tail("LES PINEDES"), "Les Pinèdes");
        assert_eq!(tidy_case_tail("JEAN JAURES"), "Jean Jaurès");
    }

    #[test]
    fn names_of_people() {
        assert_eq!(tidy_person("JEAN-PIERRE"), "Jean-Pierre");
        assert_eq!(tidy_person("DE LA FONTAINE"), "de La Fontaine");
        assert_eq!(tidy_person("DU BELLAY"), "du Bellay");
        assert_eq!(tidy_person("D'ARTAGNAN"), "d’Artagnan");
        assert_eq!(tidy_person("LE GOFF"), "Le Goff");
        assert_eq!(tidy_person("MCDONALD"), "McDonald");
        assert_eq!(tidy_person("CHU"), "Chu", "a surname, not a hospital");
        assert_eq!(tidy_person("HÉLÈNE"), "Hélène");
    }

    #[test]
    fn phones() {
        assert_eq!(tidy_phone("0494123456").as_deref(), Some("04 94 12 34 56"));
        assert_eq!(tidy_phone("15"), None);
    }

    #[test]
    fn headings_compare_without_accents_case_or_punctuation() {
        assert_eq!(heading_key("N° RPPS"), "nrpps");
        assert_eq!(heading_key("Adresse e-mail"), "adresseemail");
        assert_eq!(heading_key("Tél."), "tel");
    }
}
