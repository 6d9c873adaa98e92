//! iCalendar (RFC 5545): one `.ics` per action holding all its sessions, and the site-wide
//! agenda. Times are local to Europe/Paris, with the VTIMEZONE that says so; UIDs are stable
//! across builds (action, day and start time), so calendar apps update events in place.

use crate::model::{Action, Seance, Site};
use crate::routes::{Route, Urls};
use jiff::civil::Date;

/// The calendar of one action.
pub fn action_calendar(site: &Site, urls: &Urls, action: &Action, today: Date) -> String {
    let mut cal = Calendar::new(&format!("{} – {}", action.data.titre, site.cpts.data.nom));
    for s in &action.data.seances {
        cal.event(site, urls, action, s, today);
    }
    cal.finish()
}

/// The calendar of every session of every published action.
pub fn agenda(site: &Site, urls: &Urls, today: Date) -> String {
    let mut cal = Calendar::new(&format!("Prévention – {}", site.cpts.data.nom));
    for a in &site.actions {
        for s in &a.data.seances {
            cal.event(site, urls, a, s, today);
        }
    }
    cal.finish()
}

/// One calendar of the events of several calendars made by [`agenda`] (a region's CPTS), kept as
/// they are: their identifiers already name their site.
pub fn merged(name: &str, calendars: &[&str]) -> String {
    let mut cal = Calendar::new(name);
    for text in calendars {
        let mut in_event = false;
        for line in text.split_inclusive("\r\n") {
            in_event |= line.starts_with("BEGIN:VEVENT");
            if in_event {
                cal.out.push_str(line);
            }
            in_event &= !line.starts_with("END:VEVENT");
        }
    }
    cal.finish()
}

/// A calendar being written, with CRLF line endings and folded lines.
struct Calendar {
    out: String,
}

impl Calendar {
    fn new(name: &str) -> Calendar {
        let mut cal = Calendar { out: String::new() };
        cal.line("BEGIN:VCALENDAR");
        cal.line("VERSION:2.0");
        cal.line("PRODID:-//Maillage//CPTS//FR");
        cal.line("CALSCALE:GREGORIAN");
        cal.line("METHOD:PUBLISH");
        cal.line(&format!("X-WR-CALNAME:{}", escape(name)));
        cal.line("X-WR-TIMEZONE:Europe/Paris");
        for l in PARIS_VTIMEZONE {
            cal.line(l);
        }
        cal
    }

    /// Writes one content line, folded at 75 octets without splitting a character.
    fn line(&mut self, text: &str) {
        let mut width = 0;
        for c in text.chars() {
            let n = c.len_utf8();
            if width + n > 75 {
                self.out.push_str("\r\n ");
                width = 1;
            }
            self.out.push(c);
            width += n;
        }
        self.out.push_str("\r\n");
    }

    fn event(&mut self, site: &Site, urls: &Urls, a: &Action, s: &Seance, today: Date) {
        let url = urls.absolute(&Route::Action(a.slug.clone()));
        let host = urls.base().split("://").nth(1).unwrap_or("").trim_end_matches('/').replace('/', ".");
        // A session without a date (a permanent action's) has no place in a calendar.
        let Some(start) = s.date.as_ref().map(|d| d.value) else { return };
        let start_time = s.debut.as_ref().map(|t| t.value);
        let uid_time =
            start_time.map_or_else(|| "journee".to_string(), |t| format!("{:02}{:02}", t.hour(), t.minute()));
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{}-{}-{}@{}", a.slug, compact(start), uid_time, host));
        self.line(&format!("DTSTAMP:{}T000000Z", compact(today)));
        let end_date = s.date_fin.as_ref().map_or(start, |d| d.value);
        match (start_time, s.fin.as_ref().map(|t| t.value)) {
            (Some(b), end) => {
                self.line(&format!("DTSTART;TZID=Europe/Paris:{}T{:02}{:02}00", compact(start), b.hour(), b.minute()));
                if let Some(e) = end {
                    self.line(&format!(
                        "DTEND;TZID=Europe/Paris:{}T{:02}{:02}00",
                        compact(end_date),
                        e.hour(),
                        e.minute()
                    ));
                }
            }
            (None, _) => {
                self.line(&format!("DTSTART;VALUE=DATE:{}", compact(start)));
                let after = end_date.tomorrow().unwrap_or(end_date);
                self.line(&format!("DTEND;VALUE=DATE:{}", compact(after)));
            }
        }
        self.line(&format!("SUMMARY:{}", escape(&a.data.titre)));
        let commune = super::views::seance_commune(site, s);
        let mut location = s.lieu.clone();
        if let Some(addr) = &s.adresse {
            location.push_str(", ");
            location.push_str(addr);
        }
        location.push_str(", ");
        location.push_str(&commune);
        self.line(&format!("LOCATION:{}", escape(&location)));
        let mut description = a.data.resume.clone();
        if let Some(o) = &s.organisateur {
            description.push_str(&format!("\nOrganisé par : {o}"));
        }
        match (s.gratuit, &s.prix) {
            (Some(true), _) => description.push_str("\nGratuit"),
            (_, Some(p)) => description.push_str(&format!("\nTarif : {p}")),
            (Some(false), None) => description.push_str("\nPayant"),
            (None, None) => {}
        }
        if s.is_full() {
            description.push_str("\nComplet");
        }
        if let Some(i) = &s.inscription {
            description.push_str(&format!("\nInscription : {i}"));
        }
        description.push_str(&format!("\n{url}"));
        self.line(&format!("DESCRIPTION:{}", escape(&description)));
        self.line(&format!("URL:{url}"));
        self.line("END:VEVENT");
    }

    fn finish(mut self) -> String {
        self.line("END:VCALENDAR");
        self.out
    }
}

/// `20261003`.
fn compact(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// Escapes TEXT values: backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Europe/Paris since 1996: CET in winter, CEST from the last Sunday of March to the last
/// Sunday of October.
const PARIS_VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut cal = Calendar { out: String::new() };
        cal.line(&format!("SUMMARY:{}", "é".repeat(60)));
        for l in cal.out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} has {} octets", l.len());
        }
        let unfolded = cal.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
