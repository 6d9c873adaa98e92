//! Opening hours as coordinators write them in French (`Du lundi au vendredi, 8 h – 19 h 30 ;
//! samedi, 8 h 30 – 12 h`), read into days and time ranges for structured data. Only hours
//! written in that plain form are read; anything else (`Sur rendez-vous`, `samedi matin`) gives
//! nothing rather than a guess.

/// The days of the week, Monday first, as French writes them and as schema.org names them.
const DAYS: [(&str, &str); 7] = [
    ("lundi", "Monday"),
    ("mardi", "Tuesday"),
    ("mercredi", "Wednesday"),
    ("jeudi", "Thursday"),
    ("vendredi", "Friday"),
    ("samedi", "Saturday"),
    ("dimanche", "Sunday"),
];

/// Some days, open from one time to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// schema.org names of the days: `Monday`…
    pub days: Vec<&'static str>,
    /// Opening time, `08:30`.
    pub opens: String,
    /// Closing time, `19:00`.
    pub closes: String,
}

/// The openings a French text of hours states, or `None` when any part of it is not plain days
/// and times.
pub fn parse(text: &str) -> Option<Vec<Opening>> {
    let text = text.replace(['\u{a0}', '\u{202f}'], " ").to_lowercase();
    let mut out = Vec::new();
    for clause in text.trim().trim_end_matches('.').split(';') {
        let start = clause.find(|c: char| c.is_ascii_digit())?;
        let days = days(clause[..start].trim().trim_end_matches(',').trim())?;
        let ranges = clause[start..].trim();
        let ranges = ranges.strip_suffix("sans interruption").unwrap_or(ranges).trim();
        for range in ranges.split(" et ") {
            let (opens, closes) = range.split_once(['–', '-'])?;
            let (opens, closes) = (time(opens)?, time(closes)?);
            if opens >= closes {
                return None;
            }
            out.push(Opening { days: days.clone(), opens, closes });
        }
    }
    (!out.is_empty()).then_some(out)
}

/// `du lundi au vendredi`, `lundi au jeudi`, `lundi, mardi et jeudi`, `samedi`.
fn days(text: &str) -> Option<Vec<&'static str>> {
    let index = |w: &str| DAYS.iter().position(|(fr, _)| *fr == w.trim());
    let text = text.strip_prefix("du ").unwrap_or(text);
    if let Some((from, to)) = text.split_once(" au ") {
        let (from, to) = (index(from)?, index(to)?);
        return (from < to).then(|| DAYS[from..=to].iter().map(|(_, en)| *en).collect());
    }
    text.split([',', ' ']).filter(|w| !w.is_empty() && *w != "et").map(|w| index(w).map(|i| DAYS[i].1)).collect()
}

/// `8 h`, `8 h 30`, `8h30` as `08:00`, `08:30`.
fn time(text: &str) -> Option<String> {
    let (hours, minutes) = text.trim().split_once('h')?;
    let hours: u8 = hours.trim().parse().ok()?;
    let minutes: u8 = match minutes.trim() {
        "" => 0,
        m if m.len() == 2 => m.parse().ok()?,
        _ => return None,
    };
    (hours < 24 && minutes < 60).then(|| format!("{hours:02}:{minutes:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(days: &[&'static str], opens: &str, closes: &str) -> Opening {
        Opening { days: days.to_vec(), opens: opens.into(), closes: closes.into() }
    }

    const WEEK: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

    #[test]
    fn plain_hours_are_read() {
        assert_eq!(
            parse("Du lundi au vendredi, 8 h – 19 h 30 ; samedi, 8 h 30 – 12 h"),
            Some(vec![o(&WEEK, "08:00", "19:30"), o(&["Saturday"], "08:30", "12:00")])
        );
        assert_eq!(
            parse("Du lundi au vendredi, 9 h – 12 h 30 et 14 h – 19 h"),
            Some(vec![o(&WEEK, "09:00", "12:30"), o(&WEEK, "14:00", "19:00")])
        );
        assert_eq!(
            parse("Lundi, mardi, jeudi et vendredi, 8 h – 19 h"),
            Some(vec![o(&["Monday", "Tuesday", "Thursday", "Friday"], "08:00", "19:00")])
        );
        assert_eq!(parse("Lundi au jeudi, 8h30 - 18h."), Some(vec![o(&WEEK[..4], "08:30", "18:00")]));
        assert_eq!(
            parse("Du lundi au samedi, 8 h 30 – 19 h 30 sans interruption"),
            Some(vec![o(&[WEEK.as_slice(), &["Saturday"]].concat(), "08:30", "19:30")])
        );
    }

    #[test]
    fn anything_else_gives_nothing() {
        for text in [
            "Sur rendez-vous",
            "Du lundi au vendredi, 7 h 30 – 20 h ; samedi matin",
            "Soins à domicile 7 j/7 ; permanence au cabinet de 7 h à 8 h",
            "Du vendredi au lundi, 8 h – 12 h",
            "Lundi, 19 h – 8 h",
            "Lundi, 25 h – 26 h",
            "Le lundi, 8 h – 12 h",
            "",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
