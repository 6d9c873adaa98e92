//! Prevention actions as pages show them: their sessions, their cards, and when an action is past.

use super::common::{ImageRef, commune_slug, image_ref};
use crate::model::{Action, S, Site, vocab};
use crate::render::text::{date_long, date_short, time_fr, typo};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use serde::Serialize;

/// Last day an action takes place.
pub fn action_end(a: &Action) -> Option<Date> {
    a.data.seances.iter().map(|s| s.date_fin.as_ref().map_or(s.date.value, |f| f.value)).max()
}

/// Whether every session of an action is over.
pub fn is_past_action(a: &Action, today: Date) -> bool {
    action_end(a).is_none_or(|end| end < today)
}

/// One session of an action.
#[derive(Debug, Clone, Serialize)]
pub struct SeanceView {
    /// ISO date, for `<time datetime>`.
    pub date_iso: String,
    /// "mardi 14 octobre 2026", or "du … au …".
    pub date: String,
    /// "9 h 30 – 12 h".
    pub heures: Option<String>,
    /// Place.
    pub lieu: String,
    /// Street address.
    pub adresse: Option<String>,
    /// Commune name.
    pub commune: String,
    /// Commune directory page.
    pub commune_url: String,
    /// Organiser.
    pub organisateur: Option<String>,
    /// "Gratuit" or the price.
    pub prix: String,
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

/// Builds the views of an action's sessions, in date order.
pub fn seances(site: &Site, urls: &Urls, a: &Action, today: Date) -> Vec<SeanceView> {
    let mut list: Vec<_> = a.data.seances.iter().collect();
    list.sort_by_key(|s| (s.date.value, s.debut.as_ref().map(|t| t.value)));
    list.into_iter()
        .map(|s| {
            let c = site.commune(&s.commune.value);
            let end = s.date_fin.as_ref().map(|f| f.value);
            let date = match end {
                Some(e) if e != s.date.value => format!("du {} au {}", date_long(s.date.value), date_long(e)),
                _ => date_long(s.date.value),
            };
            let heures = match (&s.debut, &s.fin) {
                (Some(b), Some(e)) => Some(format!("{} – {}", time_fr(b.value), time_fr(e.value))),
                (Some(b), None) => Some(format!("à partir de {}", time_fr(b.value))),
                _ => None,
            };
            SeanceView {
                date_iso: s.date.value.to_string(),
                date,
                heures,
                lieu: typo(&s.lieu),
                adresse: s.adresse.as_deref().map(typo),
                commune: c.map_or_else(|| s.commune.value.clone(), |c| c.nom.clone()),
                commune_url: c.map_or_else(String::new, |c| urls.link(&Route::Commune(commune_slug(c)))),
                organisateur: s.organisateur.as_deref().map(typo),
                prix: if s.gratuit {
                    "Gratuit".to_string()
                } else {
                    s.prix.as_deref().map_or_else(|| "Payant".to_string(), typo)
                },
                inscription: s.inscription.as_deref().map(typo),
                lien: s.lien.as_ref().map(|l| l.value.clone()),
                en_ligne: s.en_ligne,
                passee: end.unwrap_or(s.date.value) < today,
                action: typo(&a.data.titre),
                action_url: urls.link(&Route::Action(a.slug.clone())),
            }
        })
        .collect()
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
    /// Names of the communes where sessions take place.
    pub communes: Vec<String>,
    /// Illustration.
    pub image: Option<ImageRef>,
}

/// Builds an action card.
pub fn action_card(site: &Site, urls: &Urls, a: &Action, today: Date) -> ActionCard {
    let mut dates: Vec<Date> = a.data.seances.iter().map(|s| s.date.value).collect();
    dates.sort();
    let first = dates.first().copied();
    let last = action_end(a);
    let next = dates.iter().copied().find(|d| *d >= today).or(first);
    let quand = match (first, last) {
        (Some(f), Some(l)) if f != l => format!("du {} au {}", date_short(f), date_short(l)),
        (Some(f), _) => date_long(f),
        _ => String::new(),
    };
    let mut communes: Vec<String> = Vec::new();
    for s in &a.data.seances {
        if let Some(c) = site.commune(&s.commune.value)
            && !communes.contains(&c.nom)
        {
            communes.push(c.nom.clone());
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
        image: image_ref(&a.data.image),
    }
}

/// The label of a mission key (prevention when absent).
pub fn mission_label(m: Option<&S<String>>) -> String {
    vocab::mission(m.map_or("prevention", |m| m.value.as_str())).map_or_else(String::new, |m| m.label.to_string())
}
