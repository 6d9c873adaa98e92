//! Text as visitors read it: French typography, dates and times written the French way, numbers
//! with French separators. (Accent folding and slugs, used by every stage, are in
//! [`crate::domain::text`].)

pub use crate::domain::text::grouped;
use jiff::civil::{Date, Time};

/// No-break space, before `:` and inside « ».
pub const NBSP: char = '\u{a0}';
/// Narrow no-break space, before `; ! ?` and between a number and `%` or `€`.
pub const NNBSP: char = '\u{202f}';

/// Applies French typography to plain text: no-break spaces before `: ; ! ?` and inside « »,
/// typographic apostrophes, and spaces that must not break a quantity (see [`quantity_space`]:
/// `50 000 €`, `13 h 30`, `24 h/24`, `100 %`). Leaves times written `10:30` and URLs alone.
pub fn typo(text: &str) -> String {
    // Most texts (names, addresses) have none of the characters the rules look at: copied as
    // they are, without the per-character pass.
    if !text.contains(['\'', ';', '!', '?', ':', '«', '»']) && !has_digit_then_space(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        let next_is_break =
            next.is_none_or(|n| n.is_whitespace() || matches!(n, ')' | '»' | '"' | '.' | ',' | '!' | '?'));
        match c {
            '\'' if prev.is_some_and(char::is_alphabetic) && next.is_some_and(char::is_alphabetic) => out.push('’'),
            ';' | '!' | '?' | ':' => {
                let space = if c == ':' { NBSP } else { NNBSP };
                let after_word = prev.is_some_and(|p| p.is_alphabetic() || matches!(p, ')' | '»' | '"' | '’'));
                if prev == Some(' ') && next_is_break {
                    out.pop();
                    out.push(space);
                } else if after_word && next_is_break && !(c == ':' && next.is_none()) {
                    out.push(space);
                }
                out.push(c);
            }
            '«' => {
                out.push('«');
                if next == Some(' ') {
                    // the following space is replaced below
                } else if next.is_some() {
                    out.push(NBSP);
                }
            }
            ' ' if prev == Some('«') => out.push(NBSP),
            ' ' if next == Some('»') => out.push(NBSP),
            ' ' => out.push(quantity_space(&chars[..i], &chars[i + 1..]).unwrap_or(' ')),
            '»' => {
                if prev.is_some_and(|p| !p.is_whitespace()) {
                    out.push(NBSP);
                }
                out.push('»');
            }
            _ => out.push(c),
        }
    }
    out
}

/// An amount in euros as the site writes every amount it computes: digits grouped and `€`, both
/// after a narrow no-break space (`50 000 €`), the spacing [`typo`] gives amounts typed in text.
pub fn euros(n: u64) -> String {
    format!("{}{NNBSP}€", grouped(n))
}

fn has_digit_then_space(text: &str) -> bool {
    text.as_bytes().windows(2).any(|w| w[0].is_ascii_digit() && w[1] == b' ')
}

/// Units that stay on the line of their number.
const UNITS: [&str; 7] = ["h", "min", "km", "m", "kg", "ans", "heures"];

/// The no-break space a space between `before` and `after` must become inside a quantity, if
/// any: a narrow one between digit groups (`50 000`, `116 117`) and before a currency or
/// percent sign (`50 €`, `100 %`), a plain one between a number and its unit (`13 h`, `24 h/24`)
/// and after the `h` of a time (`13 h 30`).
fn quantity_space(before: &[char], after: &[char]) -> Option<char> {
    let word_end =
        |s: &[char]| s.iter().position(|c| !c.is_alphanumeric() && !matches!(c, '€' | '%')).unwrap_or(s.len());
    let next = &after[..word_end(after)];
    let prev_word: &[char] = {
        let start = before.iter().rposition(|c| !c.is_alphanumeric()).map_or(0, |p| p + 1);
        &before[start..]
    };
    let all_digits = |w: &[char]| !w.is_empty() && w.iter().all(char::is_ascii_digit);
    if all_digits(prev_word) {
        if next.len() == 3 && all_digits(next) {
            return Some(NNBSP);
        }
        // A currency or percent sign takes a narrow one (`5 €`, `100 %`), a unit alone (`h`,
        // `h/24`) a full one.
        if matches!(after.first(), Some('€' | '%')) {
            return Some(NNBSP);
        }
        let unit: String = next.iter().collect();
        if UNITS.contains(&unit.as_str()) {
            return Some(NBSP);
        }
    }
    // `13 h 30`: the space after the `h` of a time.
    if prev_word == ['h'] && all_digits(next) && next.len() == 2 {
        let before_h = &before[..before.len() - 1];
        if before_h.last() == Some(&' ') || before_h.last() == Some(&NBSP) {
            return Some(NBSP);
        }
    }
    None
}

const WEEKDAYS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "mardi 14 octobre 2026" ("1er" for the first of the month).
pub fn date_long(d: Date) -> String {
    let weekday = WEEKDAYS[d.weekday().to_monday_zero_offset() as usize];
    format!("{weekday} {}", date_short(d))
}

/// "14 octobre 2026".
pub fn date_short(d: Date) -> String {
    let day = if d.day() == 1 { "1er".to_string() } else { d.day().to_string() };
    format!("{day} {} {}", MONTHS[d.month() as usize - 1], d.year())
}

/// "octobre 2026".
pub fn month_year(d: Date) -> String {
    format!("{} {}", month_name(d), d.year())
}

/// "mars" for a day of March.
pub fn month_name(d: Date) -> &'static str {
    MONTHS[d.month() as usize - 1]
}

/// "9 h 30", "14 h", with no-break spaces: a time never breaks across lines.
pub fn time_fr(t: Time) -> String {
    if t.minute() == 0 { format!("{}{NBSP}h", t.hour()) } else { format!("{}{NBSP}h{NBSP}{:02}", t.hour(), t.minute()) }
}

/// Uppercases the first letter: "octobre 2026" → "Octobre 2026".
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_spaces_and_apostrophes() {
        assert_eq!(typo("Attention : l'accueil ferme !"), "Attention\u{a0}: l’accueil ferme\u{202f}!");
        assert_eq!(typo("Pourquoi?"), "Pourquoi\u{202f}?");
        assert_eq!(typo("pris en charge à 100 %"), "pris en charge à 100\u{202f}%");
        assert_eq!(typo("5 € sur place, 5%"), "5\u{202f}€ sur place, 5%");
        assert_eq!(typo("« Octobre rose »"), "«\u{a0}Octobre rose\u{a0}»");
        assert_eq!(typo("«Octobre rose»"), "«\u{a0}Octobre rose\u{a0}»");
        assert_eq!(typo("De 10:30 à 12:00, voir https://exemple.fr"), "De 10:30 à 12:00, voir https://exemple.fr");
        assert_eq!(typo("Horaires: lundi"), "Horaires\u{a0}: lundi");
    }

    #[test]
    fn quantities_never_break() {
        assert_eq!(typo("50 000 € par an"), "50\u{202f}000\u{202f}€ par an");
        // Computed amounts and typed ones are spaced alike.
        assert_eq!(euros(50_000), typo("50 000 €"));
        assert_eq!(euros(185_000), "185\u{202f}000\u{202f}€");
        assert_eq!(typo("de 13 h 30 à 17 h"), "de 13\u{a0}h\u{a0}30 à 17\u{a0}h");
        assert_eq!(typo("24 h/24, 7 j/7"), "24\u{a0}h/24, 7 j/7");
        assert_eq!(typo("appelez le 116 117"), "appelez le 116\u{202f}117");
        assert_eq!(typo("31 % des habitants"), "31\u{202f}% des habitants");
        assert_eq!(typo("1 800 000 lignes"), "1\u{202f}800\u{202f}000 lignes");
        // Not a quantity: an address, a postcode before a town, a phone number's pairs.
        assert_eq!(typo("14 chemin de la Tour, 83340 Le Luc"), "14 chemin de la Tour, 83340 Le Luc");
        assert_eq!(typo("04 65 71 27 00"), "04 65 71 27 00");
        assert_eq!(typo("la h 30"), "la h 30");
    }

    #[test]
    fn french_dates() {
        let d = jiff::civil::date(2026, 10, 14);
        assert_eq!(date_long(d), "mercredi 14 octobre 2026");
        assert_eq!(date_short(jiff::civil::date(2026, 11, 1)), "1er novembre 2026");
        assert_eq!(time_fr(jiff::civil::time(9, 30, 0, 0)), "9\u{a0}h\u{a0}30");
        assert_eq!(time_fr(jiff::civil::time(14, 0, 0, 0)), "14\u{a0}h");
        assert_eq!(grouped(185_000), "185\u{202f}000");
        assert_eq!(grouped(999), "999");
    }
}
