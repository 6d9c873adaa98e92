//! `contacts.yaml`, `ressources/*.yaml` and the sidecars of `documents/`.

use super::common::{Lieu, S};
use super::json_schema;
use serde::Deserialize;

/// `contacts.yaml`: useful and urgent numbers by category.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Numéros utiles",
    description = "Le fichier content/contacts.yaml : les numéros utiles et d’urgence, par catégorie."
)]
pub struct ContactsFile {
    /// Categories, in display order.
    #[schemars(title = "Catégories", description = "Les catégories, dans l’ordre d’affichage.")]
    pub categories: Vec<ContactCategory>,
}

/// A category of useful numbers ("Urgences vitales").
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Catégorie", description = "Une catégorie de numéros utiles (« Urgences vitales »).")]
pub struct ContactCategory {
    /// Title of the category.
    #[schemars(title = "Nom", description = "Titre de la catégorie.")]
    pub nom: String,
    /// Shown on the home page with the urgent numbers.
    #[serde(default)]
    #[schemars(
        title = "Urgent",
        description = "true pour l’afficher sur la page d’accueil avec les numéros d’urgence."
    )]
    pub urgent: bool,
    /// Introduction (Markdown).
    #[serde(default)]
    #[schemars(title = "Description", description = "Introduction (Markdown).", transform = json_schema::markdown)]
    pub description: Option<S<String>>,
    /// Numbers.
    #[schemars(title = "Numéros", description = "Les contacts de la catégorie.")]
    pub numeros: Vec<UsefulNumber>,
}

/// One useful contact: a number, several, a web page, or all of these.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Contact utile",
    description = "Un contact utile : un numéro, plusieurs, une page web, ou tout cela (un numéro ou un lien au moins)."
)]
pub struct UsefulNumber {
    /// Name of the service ("SAMU").
    #[schemars(title = "Nom", description = "Nom du service (« SAMU »).")]
    pub nom: S<String>,
    /// The main number: short numbers (15, 3237, 116 117) or a 10-digit phone number.
    #[serde(default)]
    #[schemars(title = "Numéro", description = "Le numéro principal : numéro court (15, 3237, 116 117) ou à 10 chiffres, entre guillemets ; facultatif pour un contact qui n’est qu’une page web.", transform = json_schema::phone)]
    pub numero: Option<S<String>>,
    /// Other numbers, each with what it is for ("Ligne des parents").
    #[serde(default)]
    #[schemars(
        title = "Autres numéros",
        description = "D’autres numéros, chacun avec ce à quoi il sert (« Ligne des parents »)."
    )]
    pub autres_numeros: Vec<OtherNumber>,
    /// When to call.
    #[serde(default)]
    #[schemars(title = "Description", description = "Quand appeler.")]
    pub description: Option<String>,
    /// Hours of service.
    #[serde(default)]
    #[schemars(title = "Horaires", description = "Heures de service.")]
    pub horaires: Option<String>,
    /// The main web page (a contact may be only a web page: a chat, a form).
    #[serde(default)]
    #[schemars(
        title = "Lien",
        description = "La page web principale (https://…) ; un contact peut n’être qu’une page web (un tchat, un formulaire).",
        transform = json_schema::url
    )]
    pub lien: Option<S<String>>,
    /// Other web pages, each with what it is for ("Tchat", "Prendre rendez-vous").
    #[serde(default)]
    #[schemars(
        title = "Autres liens",
        description = "D’autres pages web, chacune avec ce qu’elle est (« Tchat », « Prendre rendez-vous »)."
    )]
    pub autres_liens: Vec<OtherLink>,
}

/// A number of a useful contact besides its main one.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Autre numéro", description = "Un numéro du contact en plus du principal.")]
pub struct OtherNumber {
    /// The number.
    #[schemars(title = "Numéro", description = "Le numéro, entre guillemets.", transform = json_schema::phone)]
    pub numero: S<String>,
    /// What it is for ("Adolescents", "Depuis l’étranger").
    #[schemars(title = "Libellé", description = "Ce à quoi il sert (« Adolescents », « Depuis l’étranger »).")]
    pub libelle: String,
}

/// A web page of a useful contact besides its main one.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Autre lien", description = "Une page web du contact en plus de la principale.")]
pub struct OtherLink {
    /// The address.
    #[schemars(title = "Lien", description = "L’adresse (https://…).", transform = json_schema::url)]
    pub lien: S<String>,
    /// What it is ("Tchat", "Messagerie").
    #[schemars(title = "Libellé", description = "Ce qu’elle est (« Tchat », « Messagerie »).")]
    pub libelle: String,
}

/// A resource that is not a member: helpline, association, public service, the DAC.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Ressource",
    description = "Une ressource qui n’est pas un membre (content/ressources/NOM.yaml) : ligne d’écoute, association, service public, le DAC."
)]
pub struct ResourceFile {
    /// Name.
    #[schemars(title = "Nom", description = "Nom de la ressource.")]
    pub nom: String,
    /// Kind ("Association", "Ligne d'écoute", "Service public").
    #[serde(rename = "type")]
    #[schemars(
        title = "Type",
        description = "Genre de ressource (« Association », « Ligne d’écoute », « Service public »)."
    )]
    pub kind: String,
    /// What it offers.
    #[schemars(title = "Description", description = "Ce qu’elle propose.")]
    pub description: String,
    /// Thematic page ids (declared under `thematiques` in cpts.yaml).
    #[schemars(title = "Thématiques", description = "Les pages thématiques où elle paraît, par identifiant (déclaré sous thematiques dans cpts.yaml).", transform = json_schema::thematique_ref)]
    pub thematiques: Vec<S<String>>,
    /// Phone number.
    #[serde(default)]
    #[schemars(title = "Téléphone", description = "Numéro de téléphone, entre guillemets.", transform = json_schema::phone)]
    pub telephone: Option<S<String>>,
    /// E-mail address.
    #[serde(default)]
    #[schemars(title = "Courriel", description = "Adresse électronique.", transform = json_schema::email)]
    pub courriel: Option<S<String>>,
    /// Website.
    #[serde(default)]
    #[schemars(title = "Lien", description = "Site web (https://…).", transform = json_schema::url)]
    pub lien: Option<S<String>>,
    /// Hours.
    #[serde(default)]
    #[schemars(title = "Horaires", description = "Horaires.")]
    pub horaires: Option<String>,
    /// Place, when it receives the public.
    #[serde(default)]
    #[schemars(title = "Lieu", description = "Le lieu, quand elle reçoit du public.")]
    pub lieu: Option<Lieu>,
    /// Free of charge.
    #[serde(default)]
    #[schemars(title = "Gratuit", description = "true si elle est gratuite, false sinon ; absent : non renseigné.")]
    pub gratuit: Option<bool>,
}

/// Sidecar `documents/NAME.yaml` describing `documents/NAME.pdf` (or another extension).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Document",
    description = "La fiche d’un document (content/documents/NOM.yaml), à côté du fichier qu’elle décrit (content/documents/NOM.pdf…)."
)]
pub struct DocumentFile {
    /// Title.
    #[schemars(title = "Titre", description = "Titre du document.")]
    pub titre: String,
    /// What it is and who it is for.
    #[schemars(title = "Description", description = "Ce que c’est et à qui il s’adresse.")]
    pub description: String,
    /// The file, relative to `documents/`.
    #[schemars(
        title = "Fichier",
        description = "Le fichier, dans content/documents/ (« affiche-octobre-rose-2026.pdf »).",
        transform = json_schema::document_file
    )]
    pub fichier: S<String>,
    /// Theme ("Dépistage", "Protocole").
    #[serde(default)]
    #[schemars(title = "Thème", description = "Thème (« Dépistage », « Protocole »).")]
    pub theme: Option<String>,
    /// `population` or `professionnels`.
    #[schemars(title = "Public", description = "population ou professionnels.", transform = json_schema::audience)]
    pub public: S<String>,
}
