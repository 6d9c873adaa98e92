//! `offres/*.md`: internships, installation, locum and job offers.

use super::common::{Contact, S};
use super::json_schema;
use jiff::civil::Date;
use serde::Deserialize;

/// Front matter of an offer.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Offre",
    description = "L’en-tête d’une offre de stage, d’installation, de remplacement ou d’emploi (content/offres/NOM.md) ; le texte sous l’en-tête la décrit."
)]
pub struct OfferMeta {
    /// Title.
    #[schemars(title = "Titre", description = "Titre de l’offre.")]
    pub titre: String,
    /// `stage`, `installation`, `remplacement`, `collaboration`, `assistanat` or `salariat`.
    #[serde(rename = "type")]
    #[schemars(title = "Type", description = "stage, installation, remplacement, collaboration, assistanat ou salariat.", transform = json_schema::offer_kind)]
    pub kind: S<String>,
    /// One or two sentences for lists.
    #[schemars(title = "Résumé", description = "Une ou deux phrases pour les listes.")]
    pub resume: String,
    /// Profession key sought.
    #[schemars(title = "Profession", description = "La profession recherchée.", transform = json_schema::profession)]
    pub profession: S<String>,
    /// Students or professionals targeted ("Internes de médecine générale", "Étudiants IFSI").
    #[serde(default)]
    #[schemars(
        title = "Public",
        description = "Étudiants ou professionnels visés (« Internes de médecine générale », « Étudiants IFSI »)."
    )]
    pub public: Vec<String>,
    /// INSEE codes of the communes where it takes place; at least one.
    #[schemars(title = "Communes", description = "Codes INSEE des communes où l’offre a lieu ; au moins une.", transform = json_schema::commune_ref, transform = json_schema::at_least_one)]
    pub communes: Vec<S<String>>,
    /// Date the offer was published.
    #[schemars(title = "Date de publication", description = "Date de publication de l’offre (AAAA-MM-JJ).")]
    pub date_publication: S<Date>,
    /// Start date.
    #[serde(default)]
    #[schemars(title = "Début", description = "Date de début (AAAA-MM-JJ).")]
    pub debut: Option<S<Date>>,
    /// End date.
    #[serde(default)]
    #[schemars(title = "Fin", description = "Date de fin (AAAA-MM-JJ).")]
    pub fin: Option<S<Date>>,
    /// Duration, free text ("6 mois", "2 semaines en août").
    #[serde(default)]
    #[schemars(title = "Durée", description = "Durée, en texte libre (« 6 mois », « 2 semaines en août »).")]
    pub duree: Option<String>,
    /// Last day the offer is open; then archived.
    #[schemars(
        title = "Valable jusqu’au",
        description = "Dernier jour où l’offre est ouverte ; elle passe ensuite aux archives (AAAA-MM-JJ)."
    )]
    pub valide_jusqu_au: S<Date>,
    /// Supervisor (*maître de stage*), by member file name.
    #[serde(default)]
    #[schemars(title = "Maître de stage", description = "Le maître de stage, par nom de fiche de membre.", transform = json_schema::member_ref)]
    pub maitre_de_stage: Option<S<String>>,
    /// Housing offered.
    #[serde(default)]
    #[schemars(title = "Logement", description = "Le logement proposé.")]
    pub logement: Option<Logement>,
    /// Financial aids (ARS, CPAM, CESP, municipality).
    #[serde(default)]
    #[schemars(title = "Aides", description = "Les aides financières (ARS, CPAM, CESP, commune).")]
    pub aides: Vec<String>,
    /// Remuneration or retrocession.
    #[serde(default)]
    #[schemars(title = "Rémunération", description = "Rémunération ou rétrocession.")]
    pub remuneration: Option<String>,
    /// Salary stated by the offer, in euros: what structured data gives search engines
    /// (`baseSalary`) and the offer page shows next to `remuneration`.
    #[serde(default)]
    #[schemars(
        title = "Salaire",
        description = "Le salaire brut, en euros, quand l’offre en annonce un : un montant ou une fourchette, et sa période (par heure, jour, semaine, mois ou an). Les moteurs de recherche d’emploi le reprennent."
    )]
    pub salaire: Option<S<Salaire>>,
    /// Rank of the offer where offers are listed: 1 first, then 2…; offers without one come
    /// after, newest first.
    #[serde(default)]
    #[schemars(
        title = "Priorité",
        description = "Rang de l’offre dans les listes (/s-installer/, /offres/) : 1 en premier (l’offre phare), puis 2, 3… jusqu’à 99 ; les offres sans priorité viennent ensuite, les plus récentes d’abord.",
        transform = json_schema::priority
    )]
    pub priorite: Option<S<u8>>,
    /// How to apply (Markdown).
    #[serde(default)]
    #[schemars(title = "Candidature", description = "Comment candidater (Markdown).", transform = json_schema::markdown)]
    pub candidature: Option<S<String>>,
    /// Who to contact.
    #[schemars(title = "Contact", description = "Qui contacter.")]
    pub contact: Contact,
    /// Not published unless `--drafts`.
    #[serde(default)]
    #[schemars(title = "Brouillon", description = "true pour ne pas publier (sauf avec --drafts).")]
    pub brouillon: bool,
}

/// Housing offered with an offer.
#[derive(Debug, Clone, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Logement", description = "Le logement proposé avec une offre.")]
pub struct Logement {
    /// Kind ("Studio meublé", "Internat").
    #[serde(rename = "type")]
    #[schemars(title = "Type", description = "Genre de logement (« Studio meublé », « Internat »).")]
    pub kind: String,
    /// Price ("Gratuit", "250 € par mois").
    #[serde(default)]
    #[schemars(title = "Prix", description = "Prix (« Gratuit », « 250 € par mois »).")]
    pub prix: Option<String>,
    /// Details.
    #[serde(default)]
    #[schemars(title = "Description", description = "Précisions.")]
    pub description: Option<String>,
}

/// A salary in euros: one amount, or a range, and the period it is paid for.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Salaire",
    description = "Un salaire brut en euros : « montant », ou « minimum » et « maximum », et « periode »."
)]
pub struct Salaire {
    /// The amount, when there is one figure.
    #[serde(default)]
    #[schemars(title = "Montant", description = "Le montant brut en euros, quand il n’y en a qu’un (3200).")]
    pub montant: Option<S<u32>>,
    /// The lower bound of a range.
    #[serde(default)]
    #[schemars(title = "Minimum", description = "Le bas de la fourchette, en euros bruts (2900).")]
    pub minimum: Option<S<u32>>,
    /// The upper bound of a range.
    #[serde(default)]
    #[schemars(title = "Maximum", description = "Le haut de la fourchette, en euros bruts (3400).")]
    pub maximum: Option<S<u32>>,
    /// `heure`, `jour`, `semaine`, `mois` or `an`.
    #[schemars(title = "Période", description = "heure, jour, semaine, mois ou an.", transform = json_schema::salary_period)]
    pub periode: S<String>,
}
