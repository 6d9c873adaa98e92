//! `contacts.yaml`, `ressources/*.yaml` and the sidecars of `documents/`.

use super::common::{Lieu, S};
use serde::Deserialize;

/// `contacts.yaml`: useful and urgent numbers by category.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactsFile {
    /// Categories, in display order.
    pub categories: Vec<ContactCategory>,
}

/// A category of useful numbers ("Urgences vitales").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactCategory {
    /// Title of the category.
    pub nom: String,
    /// Shown on the home page with the urgent numbers.
    #[serde(default)]
    pub urgent: bool,
    /// Introduction.
    #[serde(default)]
    pub description: Option<String>,
    /// Numbers.
    pub numeros: Vec<UsefulNumber>,
}

/// One useful number.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsefulNumber {
    /// Name of the service ("SAMU").
    pub nom: String,
    /// The number: short numbers (15, 3237, 116 117) or a 10-digit phone number.
    pub numero: S<String>,
    /// When to call.
    #[serde(default)]
    pub description: Option<String>,
    /// Hours of service.
    #[serde(default)]
    pub horaires: Option<String>,
    /// Web page.
    #[serde(default)]
    pub lien: Option<S<String>>,
}

/// A resource that is not a member: helpline, association, public service, the DAC.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceFile {
    /// Name.
    pub nom: String,
    /// Kind ("Association", "Ligne d'écoute", "Service public").
    #[serde(rename = "type")]
    pub kind: String,
    /// What it offers.
    pub description: String,
    /// Thematic page ids (declared under `thematiques` in cpts.yaml).
    pub thematiques: Vec<S<String>>,
    /// Phone number.
    #[serde(default)]
    pub telephone: Option<S<String>>,
    /// E-mail address.
    #[serde(default)]
    pub courriel: Option<S<String>>,
    /// Website.
    #[serde(default)]
    pub lien: Option<S<String>>,
    /// Hours.
    #[serde(default)]
    pub horaires: Option<String>,
    /// Place, when it receives the public.
    #[serde(default)]
    pub lieu: Option<Lieu>,
    /// Free of charge.
    #[serde(default)]
    pub gratuit: Option<bool>,
}

/// Sidecar `documents/NAME.yaml` describing `documents/NAME.pdf` (or another extension).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentFile {
    /// Title.
    pub titre: String,
    /// What it is and who it is for.
    pub description: String,
    /// The file, relative to `documents/`.
    pub fichier: S<String>,
    /// Theme ("Dépistage", "Protocole").
    #[serde(default)]
    pub theme: Option<String>,
    /// `population` or `professionnels`.
    pub public: S<String>,
}
