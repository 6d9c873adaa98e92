//! `actions/*.md`: prevention actions and campaigns with their sessions.

use super::common::{ChiffreCle, Image, S};
use jiff::civil::{Date, Time};
use serde::Deserialize;

/// Front matter of an action.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionMeta {
    /// Title ("Octobre rose 2026").
    pub titre: String,
    /// One or two sentences for lists and cards.
    pub resume: String,
    /// ACI mission key; `prevention` when absent.
    #[serde(default)]
    pub mission: Option<S<String>>,
    /// Theme ("Dépistage des cancers", "Vaccination").
    #[serde(default)]
    pub theme: Option<String>,
    /// Who it is for ("Femmes de 50 à 74 ans").
    #[serde(default)]
    pub public: Option<String>,
    /// Illustration.
    #[serde(default)]
    pub image: Option<Image>,
    /// Key figures.
    #[serde(default)]
    pub chiffres_cles: Vec<ChiffreCle>,
    /// Members in charge, by file name.
    #[serde(default)]
    pub referents: Vec<S<String>>,
    /// Partner organisations.
    #[serde(default)]
    pub partenaires: Vec<String>,
    /// Documents of `documents/`, by file name without extension.
    #[serde(default)]
    pub documents: Vec<S<String>>,
    /// Sessions; at least one.
    pub seances: Vec<Seance>,
    /// Not published unless `--drafts`.
    #[serde(default)]
    pub brouillon: bool,
}

/// One session of an action.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seance {
    /// Day of the session (`2026-10-03`).
    pub date: S<Date>,
    /// Last day, for a session over several days.
    #[serde(default)]
    pub date_fin: Option<S<Date>>,
    /// Start time (`09:30`).
    #[serde(default)]
    pub debut: Option<S<Time>>,
    /// End time (`12:00`).
    #[serde(default)]
    pub fin: Option<S<Time>>,
    /// Place ("Salle Jean-Moulin").
    pub lieu: String,
    /// Street address.
    #[serde(default)]
    pub adresse: Option<String>,
    /// INSEE code of the commune.
    pub commune: S<String>,
    /// Organiser or partner running this session.
    #[serde(default)]
    pub organisateur: Option<String>,
    /// Free of charge (default true).
    #[serde(default = "yes")]
    pub gratuit: bool,
    /// Price when not free ("5 €").
    #[serde(default)]
    pub prix: Option<String>,
    /// How to register ("Sans inscription", "Au 04 94 …").
    #[serde(default)]
    pub inscription: Option<String>,
    /// Link for details or registration.
    #[serde(default)]
    pub lien: Option<S<String>>,
    /// Takes place online.
    #[serde(default)]
    pub en_ligne: bool,
}

fn yes() -> bool {
    true
}
