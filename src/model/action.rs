//! `actions/*.md`: prevention actions and campaigns with their sessions.

use super::common::{ChiffreCle, Image, S};
use super::json_schema;
use jiff::civil::{Date, Time};
use serde::Deserialize;

/// Front matter of an action.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Action de prévention",
    description = "L’en-tête d’une action ou campagne de prévention (content/actions/NOM.md) ; le texte sous l’en-tête la décrit."
)]
pub struct ActionMeta {
    /// Title ("Octobre rose 2026").
    #[schemars(title = "Titre", description = "Titre (« Octobre rose 2026 »).")]
    pub titre: String,
    /// One or two sentences for lists and cards.
    #[schemars(title = "Résumé", description = "Une ou deux phrases pour les listes et les cartes.")]
    pub resume: String,
    /// ACI mission key; `prevention` when absent.
    #[serde(default)]
    #[schemars(title = "Mission", description = "La mission de l’ACI ; prevention si absente.", transform = json_schema::mission)]
    pub mission: Option<S<String>>,
    /// Theme ("Dépistage des cancers", "Vaccination").
    #[serde(default)]
    #[schemars(title = "Thème", description = "Thème (« Dépistage des cancers », « Vaccination »).")]
    pub theme: Option<String>,
    /// Who it is for ("Femmes de 50 à 74 ans").
    #[serde(default)]
    #[schemars(title = "Public", description = "À qui elle s’adresse (« Femmes de 50 à 74 ans »).")]
    pub public: Option<String>,
    /// Illustration.
    #[serde(default)]
    #[schemars(title = "Image", description = "Illustration.")]
    pub image: Option<Image>,
    /// Key figures.
    #[serde(default)]
    #[schemars(title = "Chiffres clés", description = "Chiffres clés de l’action.")]
    pub chiffres_cles: Vec<ChiffreCle>,
    /// Members in charge, by file name.
    #[serde(default)]
    #[schemars(title = "Référents", description = "Les membres qui en ont la charge, par nom de fiche.", transform = json_schema::member_ref)]
    pub referents: Vec<S<String>>,
    /// Partner organisations.
    #[serde(default)]
    #[schemars(title = "Partenaires", description = "Les organismes partenaires.")]
    pub partenaires: Vec<String>,
    /// Documents of `documents/`, by file name without extension.
    #[serde(default)]
    #[schemars(title = "Documents", description = "Les documents de content/documents/ liés, par nom de fichier sans extension.", transform = json_schema::document_ref)]
    pub documents: Vec<S<String>>,
    /// Sessions; at least one.
    #[schemars(title = "Séances", description = "Les séances ; au moins une.", transform = json_schema::at_least_one)]
    pub seances: Vec<Seance>,
    /// Not published unless `--drafts`.
    #[serde(default)]
    #[schemars(title = "Brouillon", description = "true pour ne pas publier (sauf avec --drafts).")]
    pub brouillon: bool,
}

/// One session of an action.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Séance", description = "Une séance d’une action.")]
pub struct Seance {
    /// Day of the session (`2026-10-03`).
    #[schemars(title = "Date", description = "Jour de la séance (AAAA-MM-JJ, « 2026-10-03 »).")]
    pub date: S<Date>,
    /// Last day, for a session over several days.
    #[serde(default)]
    #[schemars(title = "Date de fin", description = "Dernier jour, pour une séance sur plusieurs jours (AAAA-MM-JJ).")]
    pub date_fin: Option<S<Date>>,
    /// Start time (`09:30`).
    #[serde(default)]
    #[schemars(title = "Heure de début", description = "Heure de début (HH:MM, « 09:30 »).", transform = json_schema::time)]
    pub debut: Option<S<Time>>,
    /// End time (`12:00`).
    #[serde(default)]
    #[schemars(title = "Heure de fin", description = "Heure de fin (HH:MM, « 12:00 »).", transform = json_schema::time)]
    pub fin: Option<S<Time>>,
    /// Place ("Salle Jean-Moulin").
    #[schemars(title = "Lieu", description = "Le lieu (« Salle Jean-Moulin »).")]
    pub lieu: String,
    /// Street address.
    #[serde(default)]
    #[schemars(title = "Adresse", description = "Adresse postale du lieu.")]
    pub adresse: Option<String>,
    /// INSEE code of the commune.
    #[schemars(title = "Commune", description = "Code INSEE de la commune, entre guillemets.", transform = json_schema::commune_ref)]
    pub commune: S<String>,
    /// Organiser or partner running this session.
    #[serde(default)]
    #[schemars(title = "Organisateur", description = "L’organisateur ou le partenaire qui anime la séance.")]
    pub organisateur: Option<String>,
    /// Free of charge (default true).
    #[serde(default = "yes")]
    #[schemars(title = "Gratuit", description = "true si la séance est gratuite (par défaut), false sinon.")]
    pub gratuit: bool,
    /// Price when not free ("5 €").
    #[serde(default)]
    #[schemars(title = "Prix", description = "Le prix quand elle n’est pas gratuite (« 5 € »).")]
    pub prix: Option<String>,
    /// How to register ("Sans inscription", "Au 04 94 …").
    #[serde(default)]
    #[schemars(title = "Inscription", description = "Comment s’inscrire (« Sans inscription », « Au 04 94 … »).")]
    pub inscription: Option<String>,
    /// Link for details or registration.
    #[serde(default)]
    #[schemars(title = "Lien", description = "Page de détails ou d’inscription (https://…).", transform = json_schema::url)]
    pub lien: Option<S<String>>,
    /// Takes place online.
    #[serde(default)]
    #[schemars(title = "En ligne", description = "true si la séance a lieu en ligne.")]
    pub en_ligne: bool,
}

fn yes() -> bool {
    true
}
