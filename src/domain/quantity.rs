//! Quantities written the French way: numbers with a decimal comma and grouped thousands
//! (« 1 234,5 »), and a unit that agrees with its number (« 1 patient », « 342 patients »,
//! « 85 % »). French takes the singular below 2 (« 0 patient », « 1,5 jour »).

use super::text::grouped;

/// Narrow no-break space: between thousands, and between a number and a symbol (`%`, `€`).
const NNBSP: char = '\u{202f}';
/// No-break space: between a number and a unit in words.
const NBSP: char = '\u{a0}';

/// A number the French way, rounded to two decimals at most, trailing zeros dropped:
/// `1234.5` → « 1 234,5 », `-3` → « −3 » (the minus sign, not a hyphen).
pub fn number(x: f64) -> String {
    let rounded = (x.abs() * 100.0).round() as u64;
    let (whole, cents) = (rounded / 100, rounded % 100);
    let mut out = String::new();
    if x < 0.0 && rounded > 0 {
        out.push('−');
    }
    out.push_str(&grouped(whole));
    if cents > 0 {
        let decimals = format!("{cents:02}");
        out.push(',');
        out.push_str(decimals.trim_end_matches('0'));
    }
    out
}

/// Whether a unit is a symbol written as it is whatever the number: no letter (`%`, `€`), only
/// capitals (`ETP`, `RCP`), or a unit of measure (`h`, `km`).
pub fn is_symbol(unit: &str) -> bool {
    let letters = || unit.chars().filter(|c| c.is_alphabetic());
    letters().all(char::is_uppercase) || matches!(unit, "h" | "min" | "j" | "km" | "m" | "kg" | "g")
}

/// Words after which a unit's words no longer take the number's plural (« action **de** prévention »).
const LINKS: &[&str] = &[
    "de", "d’", "d'", "du", "des", "à", "au", "aux", "en", "par", "pour", "sans", "sur", "avec", "chez", "dans",
    "entre",
];

/// Words that never take a plural in front of another (« demi-journée », « non programmé »).
const INVARIABLE: &[&str] = &["demi", "mi", "semi", "non", "très", "plus", "moins", "ex"];

/// The plural of one French word by the general rules: unchanged after `s`, `x`, `z`; `-al` →
/// `-aux`; `-au`, `-eau`, `-eu` → `x`; otherwise `s`. Abbreviations in capitals stay as they are.
fn plural_word(word: &str) -> String {
    let lower = word.to_lowercase();
    if INVARIABLE.contains(&lower.as_str()) || word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        return word.to_string();
    }
    if lower.ends_with(['s', 'x', 'z']) {
        word.to_string()
    } else if let Some(stem) =
        word.strip_suffix("al").filter(|_| !matches!(lower.as_str(), "bal" | "festival" | "carnaval" | "récital"))
    {
        format!("{stem}aux")
    } else if (lower.ends_with("au") || lower.ends_with("eu")) && !matches!(lower.as_str(), "pneu" | "bleu" | "landau")
    {
        format!("{word}x")
    } else {
        format!("{word}s")
    }
}

/// The plural of a unit written in the singular: every word up to the first linking word agrees
/// (« demande traitée » → « demandes traitées », « action de prévention » → « actions de
/// prévention », « chirurgien-dentiste » → « chirurgiens-dentistes »); symbols stay as they are.
pub fn plural_unit(unit: &str) -> String {
    if is_symbol(unit) {
        return unit.to_string();
    }
    let mut linked = false;
    let words: Vec<String> = unit
        .split(' ')
        .map(|w| {
            linked = linked
                || LINKS.contains(&w.to_lowercase().as_str())
                || w.starts_with(['d', 'l']) && w.contains(['’', '\'']);
            if linked || w.is_empty() {
                w.to_string()
            } else {
                w.split('-').map(plural_word).collect::<Vec<_>>().join("-")
            }
        })
        .collect();
    words.join(" ")
}

/// A quantity with its unit: « 342 patients », « 1 patient », « 85 % », « 12 500 € »; the
/// number alone without a unit. `plural` replaces the rule of [`plural_unit`] when given.
pub fn with_unit(x: f64, unit: Option<&str>, plural: Option<&str>) -> String {
    let n = number(x);
    let Some(unit) = unit.map(str::trim).filter(|u| !u.is_empty()) else { return n };
    if is_symbol(unit) {
        return format!("{n}{NNBSP}{unit}");
    }
    let word = if x.abs() < 2.0 { unit.to_string() } else { plural.map_or_else(|| plural_unit(unit), str::to_string) };
    // Only the first space binds the number to its unit; the unit itself may wrap.
    format!("{n}{NBSP}{word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_the_french_way() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(342.0), "342");
        assert_eq!(number(1234.5), "1\u{202f}234,5");
        assert_eq!(number(12.345), "12,35");
        assert_eq!(number(85.10), "85,1");
        assert_eq!(number(-3.0), "−3");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(1_000_000.0), "1\u{202f}000\u{202f}000");
    }

    #[test]
    fn units_agree_with_their_number() {
        for (unit, plural) in [
            ("patient", "patients"),
            ("demande traitée", "demandes traitées"),
            ("action de prévention", "actions de prévention"),
            ("parcours", "parcours"),
            ("chirurgien-dentiste", "chirurgiens-dentistes"),
            ("demi-journée", "demi-journées"),
            ("soin non programmé", "soins non programmés"),
            ("réseau", "réseaux"),
            ("groupe d’analyse de pratiques", "groupes d’analyse de pratiques"),
            ("hôpital", "hôpitaux"),
            ("festival", "festivals"),
            ("RCP", "RCP"),
            ("%", "%"),
            ("€", "€"),
            ("km", "km"),
            ("an", "ans"),
        ] {
            assert_eq!(plural_unit(unit), plural, "{unit}");
        }
        assert_eq!(with_unit(342.0, Some("patient"), None), "342\u{a0}patients");
        assert_eq!(with_unit(1.0, Some("patient"), None), "1\u{a0}patient");
        assert_eq!(with_unit(0.0, Some("patient"), None), "0\u{a0}patient");
        assert_eq!(with_unit(1.5, Some("jour"), None), "1,5\u{a0}jour");
        assert_eq!(with_unit(85.0, Some("%"), None), "85\u{202f}%");
        assert_eq!(with_unit(12500.0, Some("€"), None), "12\u{202f}500\u{202f}€");
        assert_eq!(with_unit(3.0, Some("œil"), Some("yeux")), "3\u{a0}yeux");
        assert_eq!(with_unit(7.0, None, None), "7");
    }
}
