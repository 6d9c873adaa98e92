//! Public identifiers of French health and administrative data, with their checks
//! (formats and keys as described in shared/domain.md).

/// Luhn checksum over ASCII digits: true when the last digit is a valid key.
pub fn luhn(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// Why an identifier is refused, in French, for the diagnostic message.
pub type IdError = &'static str;

/// RPPS: 11 digits, Luhn.
pub fn rpps(s: &str) -> Result<(), IdError> {
    if !all_digits(s, 11) {
        return Err("un numéro RPPS compte 11 chiffres");
    }
    if !luhn(s) { Err("la clé du numéro RPPS est fausse (contrôle de Luhn)") } else { Ok(()) }
}

/// ADELI: 9 digits, Luhn.
pub fn adeli(s: &str) -> Result<(), IdError> {
    if !all_digits(s, 9) {
        return Err("un numéro ADELI compte 9 chiffres");
    }
    if !luhn(s) { Err("la clé du numéro ADELI est fausse (contrôle de Luhn)") } else { Ok(()) }
}

/// FINESS: 9 characters `[0-9][0-9AB][0-9]{7}`; Luhn when all digits (Corsica 2A/2B: format only).
pub fn finess(s: &str) -> Result<(), IdError> {
    let b = s.as_bytes();
    let ok = b.len() == 9
        && b[0].is_ascii_digit()
        && (b[1].is_ascii_digit() || b[1] == b'A' || b[1] == b'B')
        && b[2..].iter().all(u8::is_ascii_digit);
    if !ok {
        return Err("un numéro FINESS compte 9 caractères (chiffres, ou 2A/2B pour la Corse)");
    }
    if b[1].is_ascii_digit() && !luhn(s) {
        return Err("la clé du numéro FINESS est fausse (contrôle de Luhn)");
    }
    Ok(())
}

/// SIREN: 9 digits, Luhn.
pub fn siren(s: &str) -> Result<(), IdError> {
    if !all_digits(s, 9) {
        return Err("un numéro SIREN compte 9 chiffres");
    }
    if !luhn(s) { Err("la clé du numéro SIREN est fausse (contrôle de Luhn)") } else { Ok(()) }
}

/// SIRET: 14 digits, Luhn; La Poste's establishments (SIREN 356000000) use a digit sum
/// divisible by 5 instead.
pub fn siret(s: &str) -> Result<(), IdError> {
    if !all_digits(s, 14) {
        return Err("un numéro SIRET compte 14 chiffres");
    }
    if s.starts_with("356000000") {
        return if s.bytes().map(|b| u32::from(b - b'0')).sum::<u32>().is_multiple_of(5) {
            Ok(())
        } else {
            Err("la clé du numéro SIRET est fausse (La Poste : la somme des chiffres doit être divisible par 5)")
        };
    }
    if luhn(s) { Ok(()) } else { Err("la clé du numéro SIRET est fausse (contrôle de Luhn)") }
}

/// RNA: `W` followed by 9 digits.
pub fn rna(s: &str) -> Result<(), IdError> {
    let ok = s.len() == 10 && s.starts_with('W') && s[1..].bytes().all(|b| b.is_ascii_digit());
    if ok { Ok(()) } else { Err("un numéro RNA s’écrit W suivi de 9 chiffres") }
}

/// INSEE (COG) commune code: 2-digit département or 2A/2B followed by 3 digits; overseas 97x.
pub fn insee_commune(s: &str) -> Result<(), IdError> {
    let b = s.as_bytes();
    let ok = b.len() == 5
        && (b[..2].iter().all(u8::is_ascii_digit) || &b[..2] == b"2A" || &b[..2] == b"2B")
        && b[2..].iter().all(u8::is_ascii_digit)
        && &b[..2] != b"00"
        && &b[..2] != b"20";
    if ok { Ok(()) } else { Err("un code commune INSEE compte 5 caractères (ex. 83050, 2A004)") }
}

/// Département code: 2 digits, 2A/2B or 97x.
pub fn departement(s: &str) -> Result<(), IdError> {
    let b = s.as_bytes();
    let ok = match b.len() {
        2 => (b.iter().all(u8::is_ascii_digit) && s != "00" && s != "20") || s == "2A" || s == "2B",
        3 => s.starts_with("97") && b[2].is_ascii_digit(),
        _ => false,
    };
    if ok { Ok(()) } else { Err("un code de département s’écrit 83, 2A ou 974") }
}

/// Postal code: 5 digits.
pub fn postal_code(s: &str) -> Result<(), IdError> {
    if all_digits(s, 5) { Ok(()) } else { Err("un code postal compte 5 chiffres") }
}

/// A French phone number, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// Written for reading: `04 94 12 34 56`, or a short number as given (`15`, `116 117`).
    pub display: String,
    /// For `tel:` links: `+33494123456`, or the short number's digits.
    pub tel: String,
}

impl Phone {
    /// Whether the number takes text, not calls: 114, the emergency number of deaf and
    /// hard-of-hearing people, answers SMS (and its app), never a voice call.
    pub fn is_text_only(&self) -> bool {
        self.tel == "114"
    }

    /// Whether the number is one of the national emergency numbers for a danger to life: 15
    /// (SAMU), 17 (police), 18 (pompiers), 112 (European), 114 (deaf and hard-of-hearing people),
    /// 191 (aviation), 196 (sea), 197 (terror alert).
    pub fn is_life_emergency(&self) -> bool {
        matches!(self.tel.as_str(), "15" | "17" | "18" | "112" | "114" | "191" | "196" | "197")
    }

    /// The link that reaches the number: `sms:114` for a text-only number, else `tel:+33…`.
    pub fn href(&self) -> String {
        if self.is_text_only() { format!("sms:{}", self.tel) } else { format!("tel:{}", self.tel) }
    }
}

/// Parses a French phone number written with spaces, dots, dashes, or `+33`. Short numbers
/// (2 to 6 digits: 15, 112, 3237, 116 117) are kept as they are.
pub fn phone(s: &str) -> Result<Phone, IdError> {
    let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}')).collect();
    let national = match compact.strip_prefix("+33") {
        Some(rest) => std::borrow::Cow::Owned(format!("0{}", rest.trim_start_matches("(0)"))),
        None => std::borrow::Cow::Borrowed(compact.as_str()),
    };
    if !national.bytes().all(|b| b.is_ascii_digit()) || national.is_empty() {
        return Err("un numéro de téléphone ne contient que des chiffres (ex. 04 94 12 34 56)");
    }
    match national.len() {
        10 if national.starts_with('0') && !national.starts_with("00") => {
            // Digits by pairs: "04 94 12 34 56".
            let mut display = String::with_capacity(14);
            for (i, digit) in national.chars().enumerate() {
                if i > 0 && i % 2 == 0 {
                    display.push(' ');
                }
                display.push(digit);
            }
            Ok(Phone { display, tel: format!("+33{}", &national[1..]) })
        }
        2..=6 if !compact.starts_with('+') => Ok(Phone { display: s.trim().to_string(), tel: national.into_owned() }),
        _ => Err("un numéro de téléphone français compte 10 chiffres et commence par 0 (ex. 04 94 12 34 56)"),
    }
}

/// E-mail address: one `@`, a dotted domain, no spaces.
pub fn email(s: &str) -> Result<(), IdError> {
    let ok = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok { Ok(()) } else { Err("adresse électronique invalide (ex. contact@cpts-exemple.fr)") }
}

/// Web address: `https://` (or `http://`, which the caller warns about) and a host.
pub fn url(s: &str) -> Result<(), IdError> {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !s.chars().any(char::is_whitespace) => Ok(()),
        _ => Err("adresse web invalide : elle doit commencer par https://"),
    }
}

/// Patterns (ECMAScript regular expressions, as JSON Schema uses them) of the identifiers above,
/// for the content files' schemas. A pattern checks the form only: check digits (Luhn, La Poste's
/// SIRET) are verified by the functions of this module, that is by `maillage check`.
pub mod patterns {
    /// [`super::rpps`]: 11 digits.
    pub const RPPS: &str = "^[0-9]{11}$";
    /// [`super::adeli`]: 9 digits.
    pub const ADELI: &str = "^[0-9]{9}$";
    /// [`super::finess`]: 9 characters, 2A/2B for Corsica.
    pub const FINESS: &str = "^[0-9][0-9AB][0-9]{7}$";
    /// [`super::siret`]: 14 digits.
    pub const SIRET: &str = "^[0-9]{14}$";
    /// [`super::rna`]: `W` and 9 digits.
    pub const RNA: &str = "^W[0-9]{9}$";
    /// [`super::insee_commune`]: département (never 00 or 20) and 3 digits.
    pub const INSEE_COMMUNE: &str = "^(0[1-9]|1[0-9]|2[1-9AB]|[3-9][0-9])[0-9]{3}$";
    /// [`super::departement`].
    pub const DEPARTEMENT: &str = "^(0[1-9]|1[0-9]|2[1-9AB]|[3-9][0-9]|97[0-9])$";
    /// [`super::postal_code`]: 5 digits.
    pub const POSTAL_CODE: &str = "^[0-9]{5}$";
    /// [`super::phone`]: 10 digits from 0 (or `+33`), in pairs or not, or a short number of 2 to 6
    /// digits; spaces, dots, dashes and no-break spaces between digits.
    pub const PHONE: &str = "^((\\+33[ .\u{a0}\u{202f}-]?(\\(0\\))?[ .\u{a0}\u{202f}-]?|0[ .\u{a0}\u{202f}-]?)[1-9]([ .\u{a0}\u{202f}-]?[0-9]){8}|[0-9]([ .\u{a0}\u{202f}-]?[0-9]){1,5})$";
    /// [`super::email`]: one `@`, a dotted domain, no spaces.
    pub const EMAIL: &str = "^[^@\\s]+@[^@\\s.][^@\\s]*\\.[^@\\s]*[^@\\s.]$";
    /// [`super::url`]: `https://` (or `http://`) and a host.
    pub const URL: &str = "^https?://[^/\\s][^\\s]*$";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_known_values() {
        assert!(luhn("79927398713"));
        assert!(!luhn("79927398710"));
        assert!(!luhn(""));
    }

    #[test]
    fn rpps_rules() {
        assert_eq!(rpps("79927398713"), Ok(()));
        assert!(rpps("79927398710").unwrap_err().contains("clé"));
        assert!(rpps("1234").unwrap_err().contains("11 chiffres"));
    }

    #[test]
    fn finess_corsica_is_format_only() {
        assert_eq!(finess("2A0000019"), Ok(()));
        assert!(finess("2C0000019").is_err());
        assert_eq!(finess("830000014"), Ok(()));
        assert!(finess("830000019").unwrap_err().contains("clé"));
    }

    #[test]
    fn siret_la_poste_rule() {
        // La Poste: digit sum divisible by 5, whatever Luhn says.
        assert_eq!(siret("35600000000015"), Ok(()));
        assert!(siret("35600000000016").is_err());
        assert_eq!(siren("732829320"), Ok(()));
    }

    #[test]
    fn phone_normalisation() {
        let p = phone("04.94.12.34.56").unwrap();
        assert_eq!(p.display, "04 94 12 34 56");
        assert_eq!(p.tel, "+33494123456");
        assert_eq!(phone("+33 4 94 12 34 56").unwrap().tel, "+33494123456");
        assert_eq!(phone("116 117").unwrap().tel, "116117");
        assert_eq!(phone("15").unwrap().display, "15");
        assert!(phone("04 94 12 34").is_err());
        assert!(phone("04 94 AB 34 56").is_err());
    }

    #[test]
    fn links_and_kinds_of_numbers() {
        assert_eq!(phone("114").unwrap().href(), "sms:114");
        assert_eq!(phone("04 94 12 34 56").unwrap().href(), "tel:+33494123456");
        assert_eq!(phone("116 117").unwrap().href(), "tel:116117");
        assert!(phone("15").unwrap().is_life_emergency() && phone("114").unwrap().is_life_emergency());
        assert!(!phone("116 117").unwrap().is_life_emergency() && !phone("3237").unwrap().is_life_emergency());
        assert!(!phone("04 94 12 34 56").unwrap().is_text_only());
    }

    #[test]
    fn commune_codes() {
        assert_eq!(insee_commune("83050"), Ok(()));
        assert_eq!(insee_commune("2A004"), Ok(()));
        assert_eq!(insee_commune("97411"), Ok(()));
        assert!(insee_commune("20004").is_err());
        assert!(insee_commune("8305").is_err());
        assert_eq!(departement("974"), Ok(()));
        assert!(departement("20").is_err());
    }

    #[test]
    fn email_and_url() {
        assert_eq!(email("a@b.fr"), Ok(()));
        assert!(email("a@b").is_err());
        assert_eq!(url("https://exemple.fr/x"), Ok(()));
        assert!(url("exemple.fr").is_err());
    }

    /// Each pattern takes every value its function accepts, and refuses every value its function
    /// refuses for its form (a wrong check digit is the function's alone to find).
    #[test]
    fn patterns_agree_with_the_checks_on_form() {
        type Check = fn(&str) -> Result<(), IdError>;
        let phone_ok: Check = |s| phone(s).map(|_| ());
        let cases: &[(&str, Check, &[&str])] = &[
            (
                patterns::RPPS,
                rpps,
                &["10594252123", "79927398713", "79927398710", "1234", "1059425212a", " 10594252123"],
            ),
            (patterns::ADELI, adeli, &["832612345", "832612346", "83261234", "8326123456"]),
            (patterns::FINESS, finess, &["830100566", "830100567", "2A0000012", "2C0000012", "83010056"]),
            (patterns::SIRET, siret, &["35600000000048", "35600000000049", "73282932000074", "7328293200007"]),
            (patterns::RNA, rna, &["W833000123", "w833000123", "W83300012", "A833000123"]),
            (
                patterns::INSEE_COMMUNE,
                insee_commune,
                &["83050", "2A004", "2B033", "97411", "20004", "00123", "8305", "2C004"],
            ),
            (patterns::DEPARTEMENT, departement, &["83", "2A", "2B", "974", "20", "00", "2C", "984", "8"]),
            (patterns::POSTAL_CODE, postal_code, &["83340", "8334", "833400", "8334A"]),
            (
                patterns::PHONE,
                phone_ok,
                &[
                    "04 94 12 34 56",
                    "04.94.12.34.56",
                    "0494123456",
                    "0 800 235 236",
                    "04-94-12-34-56",
                    "04\u{a0}94\u{a0}12\u{a0}34\u{a0}56",
                    "+33 4 94 12 34 56",
                    "+33 (0)4 94 12 34 56",
                    "+33494123456",
                    "15",
                    "3237",
                    "116 117",
                    "04 94 12 34",
                    "00 94 12 34 56",
                    "04 94 AB 34 56",
                    "+15",
                    "1234567",
                ],
            ),
            (
                patterns::EMAIL,
                email,
                &["a@b.fr", "contact@cpts-exemple.fr", "a@b", "a b@c.fr", "@b.fr", "a@.b.fr", "a@b.fr.", "a@@b.fr"],
            ),
            (
                patterns::URL,
                url,
                &[
                    "https://exemple.fr/x",
                    "http://exemple.fr",
                    "exemple.fr",
                    "https://",
                    "https:///x",
                    "https://a b.fr",
                ],
            ),
        ];
        for (pattern, check, values) in cases {
            let re = regex_lite::Regex::new(pattern).unwrap();
            for value in *values {
                let accepted = check(value);
                let about_form = accepted.is_err_and(|e| !e.contains("clé"));
                if accepted.is_ok() {
                    assert!(re.is_match(value), "{pattern} refuses {value:?}, which the check accepts");
                } else if about_form {
                    assert!(!re.is_match(value), "{pattern} takes {value:?}, whose form the check refuses");
                }
            }
        }
    }
}
