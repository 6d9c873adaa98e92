//! `offres/*.md`: internships, installation, locum and job offers.

use super::common::{Contact, S};
use jiff::civil::Date;
use serde::Deserialize;

/// Front matter of an offer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferMeta {
    /// Title.
    pub titre: String,
    /// `stage`, `installation`, `remplacement`, `collaboration`, `assistanat` or `salariat`.
    #[serde(rename = "type")]
    pub kind: S<String>,
    /// One or two sentences for lists.
    pub resume: String,
    /// Profession key sought.
    pub profession: S<String>,
    /// Students or professionals targeted ("Internes de médecine générale", "Étudiants IFSI").
    #[serde(default)]
    pub public: Vec<String>,
    /// INSEE codes of the communes where it takes place; at least one.
    pub communes: Vec<S<String>>,
    /// Date the offer was published.
    pub date_publication: S<Date>,
    /// Start date.
    #[serde(default)]
    pub debut: Option<S<Date>>,
    /// End date.
    #[serde(default)]
    pub fin: Option<S<Date>>,
    /// Duration, free text ("6 mois", "2 semaines en août").
    #[serde(default)]
    pub duree: Option<String>,
    /// Last day the offer is open; then archived.
    pub valide_jusqu_au: S<Date>,
    /// Supervisor (*maître de stage*), by member file name.
    #[serde(default)]
    pub maitre_de_stage: Option<S<String>>,
    /// Housing offered.
    #[serde(default)]
    pub logement: Option<Logement>,
    /// Financial aids (ARS, CPAM, CESP, municipality).
    #[serde(default)]
    pub aides: Vec<String>,
    /// Remuneration or retrocession.
    #[serde(default)]
    pub remuneration: Option<String>,
    /// How to apply (Markdown).
    #[serde(default)]
    pub candidature: Option<String>,
    /// Who to contact.
    pub contact: Contact,
    /// Not published unless `--drafts`.
    #[serde(default)]
    pub brouillon: bool,
}

/// Housing offered with an offer.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Logement {
    /// Kind ("Studio meublé", "Internat").
    #[serde(rename = "type")]
    pub kind: String,
    /// Price ("Gratuit", "250 € par mois").
    #[serde(default)]
    pub prix: Option<String>,
    /// Details.
    #[serde(default)]
    pub description: Option<String>,
}
