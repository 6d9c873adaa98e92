//! Prevention actions as pages show them: their sessions, their cards, and when an action is past.

use super::common::{ImageRef, commune_slug, image_ref};
use crate::model::{Action, Destinataires, Public, S, Seance, Sexe, Site, vocab};
use crate::render::text::{date_long, date_short, time_fr, typo};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use serde::Serialize;

/// Last day an action takes place (its dated sessions).
pub fn action_end(a: &Action) -> Option<Date> {
    a.data.seances.iter().filter_map(seance_end).max()
}

/// Last day of a dated session.
fn seance_end(s: &Seance) -> Option<Date> {
    let day = s.date.as_ref()?.value;
    Some(s.date_fin.as_ref().map_or(day, |f| f.value))
}

/// Whether every session of an action is over; a permanent action never is.
pub fn is_past_action(a: &Action, today: Date) -> bool {
    !a.data.permanente && action_end(a).is_none_or(|end| end < today)
}

/// The name of a session's commune: the territory's, else the official table's (a session held
/// outside the territory), else its code (`check` has reported it).
pub fn seance_commune(site: &Site, s: &Seance) -> String {
    match site.commune(&s.commune.value) {
        Some(c) => c.nom.clone(),
        None => crate::domain::communes::table()
            .commune(&s.commune.value)
            .map_or_else(|| s.commune.value.clone(), |c| c.nom.to_string()),
    }
}

/// One session of an action.
#[derive(Debug, Clone, Serialize)]
pub struct SeanceView {
    /// ISO date, for `<time datetime>`; empty for a session without a date.
    pub date_iso: String,
    /// "mardi 14 octobre 2026", or "du … au …"; empty without a date.
    pub date: String,
    /// "9 h 30 – 12 h".
    pub heures: Option<String>,
    /// When, in words ("Le jeudi, sur rendez-vous").
    pub horaires: Option<String>,
    /// Place.
    pub lieu: String,
    /// Street address.
    pub adresse: Option<String>,
    /// Commune name.
    pub commune: String,
    /// Commune directory page; empty outside the territory.
    pub commune_url: String,
    /// Held outside the territory.
    pub hors_territoire: bool,
    /// Organiser.
    pub organisateur: Option<String>,
    /// "Gratuit", the price, or "Payant"; nothing when not stated.
    pub prix: Option<String>,
    /// Places: "12 places", "4 places restantes sur 12"; nothing when not limited.
    pub places: Option<String>,
    /// No place left.
    pub complet: bool,
    /// How to register.
    pub inscription: Option<String>,
    /// Link.
    pub lien: Option<String>,
    /// Online.
    pub en_ligne: bool,
    /// Already over.
    pub passee: bool,
    /// Title of the action (for calendars mixing actions).
    pub action: String,
    /// Page of the action.
    pub action_url: String,
}

/// Builds the views of an action's sessions: dated ones in date order, then the others in the
/// order of the file.
pub fn seances(site: &Site, urls: &Urls, a: &Action, today: Date) -> Vec<SeanceView> {
    let mut list: Vec<_> = a.data.seances.iter().collect();
    list.sort_by_key(|s| (s.date.is_none(), s.date.as_ref().map(|d| d.value), s.debut.as_ref().map(|t| t.value)));
    list.into_iter().map(|s| seance(site, urls, a, s, today)).collect()
}

fn seance(site: &Site, urls: &Urls, a: &Action, s: &Seance, today: Date) -> SeanceView {
    let day = s.date.as_ref().map(|d| d.value);
    let end = s.date_fin.as_ref().map(|f| f.value);
    let date = match (day, end) {
        (Some(d), Some(e)) if e != d => format!("du {} au {}", date_long(d), date_long(e)),
        (Some(d), _) => date_long(d),
        (None, _) => String::new(),
    };
    let heures = match (&s.debut, &s.fin) {
        (Some(b), Some(e)) => Some(format!("{} – {}", time_fr(b.value), time_fr(e.value))),
        (Some(b), None) => Some(format!("à partir de {}", time_fr(b.value))),
        _ => None,
    };
    // `check` warns about a session declared outside the territory in one of its communes.
    let inside = site.commune(&s.commune.value);
    let prix = match (s.gratuit, s.prix.as_deref()) {
        (Some(true), _) => Some("Gratuit".to_string()),
        (_, Some(price)) => Some(typo(price)),
        (Some(false), None) => Some("Payant".to_string()),
        (None, None) => None,
    };
    let complet = s.is_full();
    let places = match (s.places.as_ref().map(|p| p.value), s.places_restantes.as_ref().map(|p| p.value)) {
        _ if complet => Some("Complet".to_string()),
        (Some(total), Some(left)) => {
            Some(format!("{left}\u{a0}{} sur {total}", plural(left, "place restante", "places restantes")))
        }
        (None, Some(left)) => Some(format!("{left}\u{a0}{}", plural(left, "place restante", "places restantes"))),
        (Some(total), None) => Some(format!("{total}\u{a0}{}", plural(total, "place", "places"))),
        (None, None) => None,
    };
    SeanceView {
        date_iso: day.map_or_else(String::new, |d| d.to_string()),
        date,
        heures,
        horaires: s.horaires.as_deref().map(typo),
        lieu: typo(&s.lieu),
        adresse: s.adresse.as_deref().map(typo),
        commune: seance_commune(site, s),
        commune_url: inside.map_or_else(String::new, |c| urls.link(&Route::Commune(commune_slug(c)))),
        hors_territoire: inside.is_none(),
        organisateur: s.organisateur.as_deref().map(typo),
        prix,
        places,
        complet,
        inscription: s.inscription.as_deref().map(typo),
        lien: s.lien.as_ref().map(|l| l.value.clone()),
        en_ligne: s.en_ligne,
        passee: seance_end(s).is_some_and(|end| end < today),
        action: typo(&a.data.titre),
        action_url: urls.link(&Route::Action(a.slug.clone())),
    }
}

/// "place" or "places" (French: 0 and 1 take the singular).
fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n > 1 { many } else { one }
}

/// Who an action is for, in words: "Femmes de 50 à 74 ans, et toutes celles qui se posent des
/// questions", "Professionnels de santé : infirmiers, pharmaciens"; `None` when nothing is said.
pub fn public_label(p: &Public) -> Option<String> {
    let ages: Vec<String> = p
        .ages
        .iter()
        .filter_map(|t| match (t.min.as_ref().map(|v| v.value), t.max.as_ref().map(|v| v.value)) {
            (Some(a), Some(b)) => Some(format!("de {a} à {b}\u{a0}ans")),
            (Some(a), None) => Some(format!("de {a}\u{a0}ans et plus")),
            (None, Some(b)) => Some(format!("de moins de {b}\u{a0}ans")),
            (None, None) => None,
        })
        .collect();
    let ages = join_fr(&ages);
    let people = match p.sexe {
        Some(Sexe::Femmes) => Some("Femmes"),
        Some(Sexe::Hommes) => Some("Hommes"),
        None if !ages.is_empty() => Some("Personnes"),
        None => None,
    };
    let population = match (people, ages.is_empty()) {
        (Some(who), true) => Some(who.to_string()),
        (Some(who), false) => Some(format!("{who} {ages}")),
        (None, _) => None,
    };
    let professions: Vec<String> =
        p.professions.iter().filter_map(|k| vocab::profession(&k.value)).map(|x| x.plural.to_lowercase()).collect();
    let pros = if professions.is_empty() {
        "Professionnels de santé".to_string()
    } else {
        format!("Professionnels de santé\u{a0}: {}", join_fr(&professions))
    };
    let main = match (p.destinataires, population) {
        (Some(Destinataires::Professionnels), _) => Some(pros),
        (Some(Destinataires::Tous), Some(pop)) => Some(format!("{pop}, et professionnels de santé")),
        (Some(Destinataires::Tous), None) => Some("Tout public et professionnels de santé".to_string()),
        (Some(Destinataires::Population), None) => Some("Tout public".to_string()),
        (_, Some(pop)) => Some(pop),
        (None, None) if !professions.is_empty() => Some(pros),
        (None, None) => None,
    };
    let precision = p.precision.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(typo);
    match (main, precision) {
        (Some(m), Some(x)) => Some(format!("{m}, {x}")),
        (Some(m), None) => Some(m),
        (None, Some(x)) => Some(crate::render::text::capitalize(&x)),
        (None, None) => None,
    }
}

/// `a`, `a et b`, `a, b et c`.
fn join_fr(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} et {last}", init.join(", ")),
    }
}

/// An action in a list.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ActionCard {
    /// Identifier.
    pub slug: String,
    /// Page.
    pub url: String,
    /// Title.
    pub titre: String,
    /// Summary.
    pub resume: String,
    /// Theme.
    pub theme: Option<String>,
    /// Mission label.
    pub mission: String,
    /// When: "mardi 14 octobre 2026" or "du … au …" across sessions.
    pub quand: String,
    /// ISO date of the first upcoming session (or the first one).
    pub date_iso: String,
    /// Number of sessions.
    pub nb_seances: usize,
    /// Names of the communes where sessions take place ("Draguignan (hors territoire)").
    pub communes: Vec<String>,
    /// Illustration.
    pub image: Option<ImageRef>,
    /// Runs all year.
    pub permanente: bool,
    /// A training for professionals.
    pub formation: bool,
    /// For professionals rather than the population (a training, or a professional audience).
    pub professionnels: bool,
}

/// Builds an action card.
pub fn action_card(site: &Site, urls: &Urls, a: &Action, today: Date) -> ActionCard {
    let mut dates: Vec<Date> = a.data.seances.iter().filter_map(|s| s.date.as_ref().map(|d| d.value)).collect();
    dates.sort();
    let first = dates.first().copied();
    let last = action_end(a);
    let upcoming = dates.iter().copied().find(|d| *d >= today);
    let next = upcoming.or(first);
    let quand = match (&a.data.quand, first, last) {
        (Some(q), _, _) => typo(q),
        (None, _, _) if a.data.permanente && upcoming.is_none() => "Toute l’année".to_string(),
        (None, Some(f), Some(l)) if f != l => format!("du {} au {}", date_short(f), date_short(l)),
        (None, Some(f), _) => date_long(f),
        _ => String::new(),
    };
    let mut communes: Vec<String> = Vec::new();
    for s in &a.data.seances {
        let outside = site.commune(&s.commune.value).is_none();
        let name = seance_commune(site, s);
        let name = if outside { format!("{name} (hors territoire)") } else { name };
        if !communes.contains(&name) {
            communes.push(name);
        }
    }
    ActionCard {
        slug: a.slug.clone(),
        url: urls.link(&Route::Action(a.slug.clone())),
        titre: typo(&a.data.titre),
        resume: typo(&a.data.resume),
        theme: a.data.theme.as_deref().map(typo),
        mission: mission_label(a.data.mission.as_ref()),
        quand,
        date_iso: next.map_or_else(String::new, |d| d.to_string()),
        nb_seances: a.data.seances.len(),
        communes,
        image: image_ref(a.data.image.as_ref()),
        permanente: a.data.permanente,
        formation: a.data.formation.is_some(),
        professionnels: a.data.for_professionals(),
    }
}

/// The label of a mission key (prevention when absent).
pub fn mission_label(m: Option<&S<String>>) -> String {
    vocab::mission(m.map_or("prevention", |m| m.value.as_str())).map_or_else(String::new, |m| m.label.to_string())
}
