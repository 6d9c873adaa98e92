//! Text as visitors read it: French typography, dates and times written the French way, numbers
//! with French separators. (Accent folding and slugs, used by every stage, are in
//! [`crate::domain::text`].)

pub use crate::domain::text::grouped;
use jiff::civil::{Date, Time};

/// No-break space, before `:` and inside « ».
pub const NBSP: char = '\u{a0}';
/// Narrow no-break space, before `; ! ?` and between a number and `%` or `€`.
pub const NNBSP: char = '\u{202f}';

/// Applies French typography to plain text: no-break spaces before `: ; ! ?`, inside « » and
/// between a number and `%` or `€` (« 100 % » never breaks), typographic apostrophes. Leaves times (`10:30`), URLs (`https://`) and numbers alone.
pub fn typo(text: &str) -> String {
    // Most texts (names, addresses) have none of the characters the rules look at: copied as
    // they are, without the per-character pass.
    if !text.contains(['\'', ';', '!', '?', ':', '«', '»', '%', '€']) {
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
            ' ' if prev.is_some_and(|p| p.is_ascii_digit()) && matches!(next, Some('%' | '€')) => out.push(NNBSP),
            ' ' if next == Some('»') => out.push(NBSP),
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
    format!("{} {}", MONTHS[d.month() as usize - 1], d.year())
}

/// "9 h 30", "14 h".
pub fn time_fr(t: Time) -> String {
    if t.minute() == 0 { format!("{} h", t.hour()) } else { format!("{} h {:02}", t.hour(), t.minute()) }
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
    fn french_dates() {
        let d = jiff::civil::date(2026, 10, 14);
        assert_eq!(date_long(d), "mercredi 14 octobre 2026");
        assert_eq!(date_short(jiff::civil::date(2026, 11, 1)), "1er novembre 2026");
        assert_eq!(time_fr(jiff::civil::time(9, 30, 0, 0)), "9 h 30");
        assert_eq!(time_fr(jiff::civil::time(14, 0, 0, 0)), "14 h");
        assert_eq!(grouped(185_000), "185\u{202f}000");
        assert_eq!(grouped(999), "999");
    }
}
