//! `actions/*.md`: prevention actions and campaigns with their sessions.

use super::common::{ChiffreCle, Image, Partenaire, S};
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
    /// Who it is for: the population or professionals, sex, age ranges, professions.
    #[serde(default)]
    #[schemars(
        title = "Public",
        description = "À qui elle s’adresse : population ou professionnels, sexe, tranches d’âge, professions."
    )]
    pub public: Option<Public>,
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
    /// Partner organisations, each with its logo and website when given.
    #[serde(default)]
    #[schemars(
        title = "Partenaires",
        description = "Les organismes partenaires, chacun avec son logo et son site quand ils sont donnés."
    )]
    pub partenaires: Vec<Partenaire>,
    /// Documents of `documents/`, by file name without extension.
    #[serde(default)]
    #[schemars(title = "Documents", description = "Les documents de content/documents/ liés, par nom de fichier sans extension.", transform = json_schema::document_ref)]
    pub documents: Vec<S<String>>,
    /// Runs all year, without an end: never archived; its sessions may have no date.
    #[serde(default)]
    #[schemars(
        title = "Permanente",
        description = "true pour une action menée toute l’année, sans fin : elle n’est jamais archivée et ses séances peuvent être sans date."
    )]
    pub permanente: bool,
    /// When, in words, shown instead of the dates of the sessions ("Toute l’année, sur
    /// rendez-vous", "Tous les mardis d’octobre").
    #[serde(default)]
    #[schemars(
        title = "Quand",
        description = "Quand, en toutes lettres, affiché à la place des dates des séances (« Toute l’année, sur rendez-vous », « Tous les mardis d’octobre »)."
    )]
    pub quand: Option<String>,
    /// A training for professionals: shown apart from public prevention, with its duration.
    #[serde(default)]
    #[schemars(
        title = "Formation",
        description = "Une formation pour les professionnels : présentée à part de la prévention grand public, avec sa durée."
    )]
    pub formation: Option<Formation>,
    /// Sessions; at least one, unless the action is permanent.
    #[serde(default)]
    #[schemars(title = "Séances", description = "Les séances ; au moins une, sauf pour une action permanente.")]
    pub seances: Vec<Seance>,
    /// Not published unless `--drafts`.
    #[serde(default)]
    #[schemars(title = "Brouillon", description = "true pour ne pas publier (sauf avec --drafts).")]
    pub brouillon: bool,
}

/// Who an action is for. Every key is optional; what is not written is not shown.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Public",
    description = "À qui s’adresse l’action ; chaque clé est facultative, ce qui n’est pas écrit n’est pas affiché."
)]
pub struct Public {
    /// The population, professionals, or both.
    #[serde(default)]
    #[schemars(title = "Destinataires", description = "population, professionnels ou tous (les deux).")]
    pub destinataires: Option<Destinataires>,
    /// Women or men only; absent: everyone.
    #[serde(default)]
    #[schemars(title = "Sexe", description = "femmes ou hommes seulement ; absent : tout le monde.")]
    pub sexe: Option<Sexe>,
    /// Age ranges ("de 50 à 74 ans"); several for actions aimed at several ages.
    #[serde(default)]
    #[schemars(
        title = "Tranches d’âge",
        description = "Les tranches d’âge (« de 50 à 74 ans ») ; plusieurs pour une action qui vise plusieurs âges."
    )]
    pub ages: Vec<TrancheAge>,
    /// Professions concerned (keys of the directory's professions), for professionals.
    #[serde(default)]
    #[schemars(title = "Professions", description = "Les professions concernées, pour les professionnels.", transform = json_schema::profession)]
    pub professions: Vec<S<String>>,
    /// Free text shown after the rest ("et toutes celles qui se posent des questions"), or alone.
    #[serde(default)]
    #[schemars(
        title = "Précision",
        description = "Texte libre affiché après le reste (« et toutes celles qui se posent des questions »), ou seul."
    )]
    pub precision: Option<String>,
}

/// Who an action is meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(transform = json_schema::destinataires)]
pub enum Destinataires {
    /// The population of the territory.
    Population,
    /// Health professionals (trainings, meetings): shown apart from public prevention.
    Professionnels,
    /// Both.
    Tous,
}

/// Sex an action is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(transform = json_schema::sexe)]
pub enum Sexe {
    /// Women.
    Femmes,
    /// Men.
    Hommes,
}

/// An age range, in years; one bound may be absent ("à partir de 65 ans", "moins de 16 ans").
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Tranche d’âge",
    description = "Une tranche d’âge, en années ; une borne peut manquer (« à partir de 65 ans », « moins de 16 ans »)."
)]
pub struct TrancheAge {
    /// Youngest age concerned.
    #[serde(default)]
    #[schemars(title = "Âge minimum", description = "Le plus jeune âge concerné, en années.")]
    pub min: Option<S<u8>>,
    /// Oldest age concerned.
    #[serde(default)]
    #[schemars(title = "Âge maximum", description = "Le plus grand âge concerné, en années.")]
    pub max: Option<S<u8>>,
}

/// What a training for professionals says besides its sessions.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Formation",
    description = "Ce qu’une formation pour les professionnels dit en plus de ses séances."
)]
pub struct Formation {
    /// Duration, in words ("7 heures sur une journée", "2 soirées de 3 heures").
    #[schemars(
        title = "Durée",
        description = "La durée, en toutes lettres (« 7 heures sur une journée », « 2 soirées de 3 heures »)."
    )]
    pub duree: String,
    /// Funding or recognition ("Action DPC n° 12345", "Prise en charge FIF-PL").
    #[serde(default)]
    #[schemars(
        title = "Prise en charge",
        description = "Financement ou reconnaissance (« Action DPC n° 12345 », « Prise en charge FIF-PL »)."
    )]
    pub prise_en_charge: Option<String>,
    /// The organisation that runs it, when not the CPTS.
    #[serde(default)]
    #[schemars(title = "Organisme", description = "L’organisme qui la dispense, quand ce n’est pas la CPTS.")]
    pub organisme: Option<String>,
}

/// One session of an action.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Séance", description = "Une séance d’une action.")]
pub struct Seance {
    /// Day of the session (`2026-10-03`); only a permanent action's sessions may go without.
    #[serde(default)]
    #[schemars(
        title = "Date",
        description = "Jour de la séance (AAAA-MM-JJ, « 2026-10-03 ») ; seules les séances d’une action permanente peuvent s’en passer."
    )]
    pub date: Option<S<Date>>,
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
    /// When, in words, for sessions without a date or with more to say ("Le jeudi de 14 h à
    /// 17 h, sur rendez-vous").
    #[serde(default)]
    #[schemars(
        title = "Horaires",
        description = "Quand, en toutes lettres, pour une séance sans date ou qui en dit plus (« Le jeudi de 14 h à 17 h, sur rendez-vous »)."
    )]
    pub horaires: Option<String>,
    /// Place ("Salle Jean-Moulin").
    #[schemars(title = "Lieu", description = "Le lieu (« Salle Jean-Moulin »).")]
    pub lieu: String,
    /// Street address.
    #[serde(default)]
    #[schemars(title = "Adresse", description = "Adresse postale du lieu.")]
    pub adresse: Option<String>,
    /// INSEE code of the commune: one of the territory, or any commune of France with
    /// `hors_territoire`.
    #[schemars(
        title = "Commune",
        description = "Code INSEE de la commune, entre guillemets : une commune du territoire, ou toute commune de France avec hors_territoire.",
        transform = json_schema::session_commune_ref
    )]
    pub commune: S<String>,
    /// Held outside the territory (a hospital just beyond it): the commune is then any commune of
    /// the official table, shown as such, and counts nowhere in the territory.
    #[serde(default)]
    #[schemars(
        title = "Hors territoire",
        description = "true pour une séance tenue hors du territoire (un hôpital juste à côté) : la commune est alors toute commune de France, affichée comme telle, et ne compte nulle part dans le territoire."
    )]
    pub hors_territoire: bool,
    /// Organiser or partner running this session.
    #[serde(default)]
    #[schemars(title = "Organisateur", description = "L’organisateur ou le partenaire qui anime la séance.")]
    pub organisateur: Option<String>,
    /// Free of charge (`true`), paid (`false`), or not stated (absent: nothing is shown).
    #[serde(default)]
    #[schemars(
        title = "Gratuit",
        description = "true si la séance est gratuite, false si elle est payante ; absent : non précisé, rien n’est affiché."
    )]
    pub gratuit: Option<bool>,
    /// Price ("5 €"); a session with a price is paid.
    #[serde(default)]
    #[schemars(title = "Prix", description = "Le prix (« 5 € ») ; une séance avec un prix est payante.")]
    pub prix: Option<String>,
    /// Number of places, when limited.
    #[serde(default)]
    #[schemars(title = "Places", description = "Le nombre de places, quand il est limité.")]
    pub places: Option<S<u32>>,
    /// Places still free; `0` means full.
    #[serde(default)]
    #[schemars(title = "Places restantes", description = "Les places encore libres ; 0 : complet.")]
    pub places_restantes: Option<S<u32>>,
    /// Full: no more registrations.
    #[serde(default)]
    #[schemars(title = "Complet", description = "true quand il n’y a plus de place : les inscriptions sont closes.")]
    pub complet: bool,
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

impl ActionMeta {
    /// Whether the action is for professionals rather than the population: a training, or an
    /// audience of professionals only.
    pub fn for_professionals(&self) -> bool {
        self.formation.is_some()
            || self.public.as_ref().is_some_and(|p| p.destinataires == Some(Destinataires::Professionnels))
    }
}

impl Seance {
    /// Whether the session is paid: said so, or given a price.
    pub fn is_paid(&self) -> bool {
        self.gratuit == Some(false) || (self.gratuit.is_none() && self.prix.is_some())
    }

    /// Whether no place is left.
    pub fn is_full(&self) -> bool {
        self.complet || self.places_restantes.as_ref().is_some_and(|p| p.value == 0)
    }
}
