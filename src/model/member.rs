//! `membres/*.yaml`: one health professional or structure each.

use super::common::{Image, Lieu, S};
use serde::Deserialize;

/// A member of the CPTS as written in its file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberFile {
    /// `M.` or `Mme` (people only): chooses the masculine or feminine profession label.
    #[serde(default)]
    pub civilite: Option<S<String>>,
    /// `Dr` or `Pr`, shown before the name.
    #[serde(default)]
    pub titre: Option<S<String>>,
    /// First name (people only).
    #[serde(default)]
    pub prenom: Option<String>,
    /// Last name (people only).
    #[serde(default)]
    pub nom: Option<String>,
    /// Name of a structure (structures only).
    #[serde(default)]
    pub raison_sociale: Option<String>,
    /// Profession key, for a person (`medecin-generaliste`, `infirmier`…).
    #[serde(default)]
    pub profession: Option<S<String>>,
    /// Structure key, for an establishment (`msp`, `pharmacie`, `ehpad`…).
    #[serde(default)]
    pub structure: Option<S<String>>,
    /// Specialty or particular practice ("Cardiologie", "Pédiatrie").
    #[serde(default)]
    pub specialite: Option<String>,
    /// RPPS number (11 digits).
    #[serde(default)]
    pub rpps: Option<S<String>>,
    /// ADELI number (9 digits).
    #[serde(default)]
    pub adeli: Option<S<String>>,
    /// FINESS number (9 characters).
    #[serde(default)]
    pub finess: Option<S<String>>,
    /// SIRET (14 digits).
    #[serde(default)]
    pub siret: Option<S<String>>,
    /// `liberal`, `salarie` or `mixte`.
    #[serde(default)]
    pub exercice: Option<S<String>>,
    /// Places of practice; at least one.
    pub lieux: Vec<Lieu>,
    /// Accepts new patients as *médecin traitant* (or new patients in general).
    #[serde(default)]
    pub accepte_nouveaux_patients: Option<bool>,
    /// Takes part in same-day care (*soins non programmés*).
    #[serde(default)]
    pub soins_non_programmes: bool,
    /// Offers teleconsultation or telecare.
    #[serde(default)]
    pub teleconsultation: bool,
    /// Visits patients at home (absent: not stated). Many of the population the directory serves
    /// cannot travel: nurses, physiotherapists and doctors who come to them are what they look
    /// for first.
    #[serde(default)]
    pub visites_domicile: Option<bool>,
    /// Languages spoken besides French.
    #[serde(default)]
    pub langues: Vec<String>,
    /// Short presentation (Markdown).
    #[serde(default)]
    pub presentation: Option<String>,
    /// Portrait or façade.
    #[serde(default)]
    pub image: Option<Image>,
    /// Member pages of the people practising in this structure (structures only).
    #[serde(default)]
    pub membres: Vec<S<String>>,
    /// Hosts interns as *maître de stage*.
    #[serde(default)]
    pub maitre_de_stage: bool,
    /// Year of birth (people only, optional): only used, in aggregate, for the share of
    /// professionals aged 60 or more on `/s-installer/`; never shown on its own.
    #[serde(default)]
    pub annee_naissance: Option<S<i16>>,
    /// Consent to appear on the site. Nothing is published without `publie: true`.
    pub publie: bool,
}
