//! `cpts.yaml`: the association, its territory, governance, missions and site settings.

use super::common::{ChiffreCle, Image, S};
use serde::Deserialize;

/// The whole content of `cpts.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cpts {
    /// Full name ("CPTS du Pays de l'Argens").
    pub nom: String,
    /// Short name for the header and titles; defaults to `nom`.
    #[serde(default)]
    pub nom_court: Option<String>,
    /// One-sentence description, used on the home page and in search results.
    pub description: String,
    /// Longer presentation (Markdown) for the home and `/la-cpts/` pages.
    #[serde(default)]
    pub presentation: Option<String>,
    /// The legal entity.
    pub association: Association,
    /// How the public reaches the CPTS.
    pub contact: CptsContact,
    /// Communes covered.
    pub territoire: Territoire,
    /// Board and bodies.
    #[serde(default)]
    pub gouvernance: Gouvernance,
    /// The ACI missions the CPTS carries, with a summary of each.
    #[serde(default)]
    pub missions: Vec<MissionDecl>,
    /// Partner organisations.
    #[serde(default)]
    pub partenaires: Vec<Partenaire>,
    /// Host of the website (legal notice).
    pub hebergeur: Hebergeur,
    /// Accessibility compliance (RGAA).
    pub accessibilite: Accessibilite,
    /// Website settings.
    pub site: SiteSettings,
    /// Thematic pages fed by resources (santé mentale, santé des femmes…).
    #[serde(default)]
    pub thematiques: Vec<Thematique>,
    /// Extra key figures shown on the home page (computed ones are added automatically).
    #[serde(default)]
    pub chiffres_cles: Vec<ChiffreCle>,
    /// How a professional joins the CPTS (Markdown), for `/professionnels/`.
    #[serde(default)]
    pub adhesion: Option<String>,
    /// Recruiting: why settle here, the support offered, reference densities, the welcome of
    /// students. Feeds `/s-installer/` and `/stages/`.
    #[serde(default)]
    pub installation: Option<Installation>,
}

/// `installation:` in cpts.yaml: what `/s-installer/` and `/stages/` say besides the computed
/// figures.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Installation {
    /// Why settle on the territory (Markdown).
    #[serde(default)]
    pub pourquoi: Option<String>,
    /// What the CPTS does for newcomers (welcome, housing, mentoring, paperwork).
    #[serde(default)]
    pub accompagnement: Vec<Accompagnement>,
    /// National densities to compare the territory with.
    #[serde(default)]
    pub densites_reference: Option<DensitesReference>,
    /// The welcome of students and interns, for `/stages/`.
    #[serde(default)]
    pub stages: Option<AccueilStages>,
}

/// One kind of support the CPTS offers to newcomers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accompagnement {
    /// Short title ("Compagnonnage").
    pub titre: String,
    /// What it is (Markdown).
    pub description: String,
}

/// National reference densities (professionals per 10 000 inhabitants) by profession key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DensitesReference {
    /// Where the figures come from, with the year ("DREES, démographie des professionnels de santé, 2023").
    pub source: String,
    /// Profession key → professionals per 10 000 inhabitants in France.
    pub valeurs: S<std::collections::BTreeMap<String, f64>>,
}

/// The welcome of students and interns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccueilStages {
    /// The welcome programme (Markdown).
    #[serde(default)]
    pub accueil: Option<String>,
    /// Housing for students and interns (Markdown).
    #[serde(default)]
    pub logement: Option<String>,
}

/// The association behind the CPTS.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Association {
    /// RNA number (`W` + 9 digits); absent for Alsace-Moselle associations.
    #[serde(default)]
    pub rna: Option<S<String>>,
    /// SIRET (14 digits).
    #[serde(default)]
    pub siret: Option<S<String>>,
    /// Registered office, full postal address.
    pub siege: String,
    /// Publication director (legal notice).
    pub directeur_publication: String,
}

/// Public contact details of the CPTS.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CptsContact {
    /// Postal address.
    #[serde(default)]
    pub adresse: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub telephone: Option<S<String>>,
    /// E-mail address.
    pub courriel: S<String>,
    /// Office hours.
    #[serde(default)]
    pub horaires: Option<String>,
}

/// The territory: département and communes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Territoire {
    /// Main département code ("83", "2A", "974").
    pub departement: S<String>,
    /// Free description of the territory (Markdown).
    #[serde(default)]
    pub description: Option<String>,
    /// Year of the populations légales the communes' populations come from (INSEE), shown
    /// with the population.
    #[serde(default)]
    pub annee_population: Option<S<u16>>,
    /// Every commune of the territory.
    pub communes: Vec<Commune>,
    /// Position of each commune in `communes` by INSEE code, built on the first lookup
    /// ([`crate::model::Site::commune`]): pages look communes up once per place shown.
    #[serde(skip)]
    pub(crate) index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

/// One commune of the territory.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commune {
    /// INSEE (COG) code, 5 characters.
    pub insee: S<String>,
    /// Official name.
    pub nom: String,
    /// Postal codes serving the commune.
    pub codes_postaux: Vec<S<String>>,
    /// Legal population (*population municipale*).
    pub population: u64,
    /// `[latitude, longitude]` of the town centre, for the map; optional (the official commune
    /// table has no coordinates): a commune with neither centre nor outline is left off the map.
    #[serde(default)]
    pub centre: Option<S<[f64; 2]>>,
    /// Medical zoning: `zip`, `zac` or `aucun`.
    #[serde(default)]
    pub zonage: Option<S<String>>,
}

/// Governance of the association.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gouvernance {
    /// Board members.
    #[serde(default)]
    pub bureau: Vec<Fonction>,
    /// How the association is run (Markdown): AG, conseil d'administration, collèges…
    #[serde(default)]
    pub description: Option<String>,
}

/// A role on the board.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonction {
    /// Role ("Présidente", "Trésorier").
    pub fonction: String,
    /// Person's name.
    pub nom: String,
    /// Profession, free text.
    #[serde(default)]
    pub profession: Option<String>,
}

/// A mission the CPTS carries.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissionDecl {
    /// Mission key (`acces-aux-soins`, `parcours`, `prevention`…).
    pub mission: S<String>,
    /// What the CPTS does for it (Markdown).
    pub resume: String,
}

/// A partner organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partenaire {
    /// Name.
    pub nom: String,
    /// Kind of partner ("ARS", "Assurance Maladie", "Collectivité").
    #[serde(default)]
    pub type_partenaire: Option<String>,
    /// Website.
    #[serde(default)]
    pub lien: Option<S<String>>,
}

/// Web host (LCEN legal notice).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hebergeur {
    /// Company name.
    pub nom: String,
    /// Postal address.
    pub adresse: String,
    /// Phone number.
    pub telephone: S<String>,
}

/// RGAA compliance information.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibilite {
    /// `non-conforme`, `partiellement-conforme` or `totalement-conforme`.
    pub statut: S<String>,
    /// Date of the audit, if one took place.
    #[serde(default)]
    pub date_audit: Option<jiff::civil::Date>,
    /// Share of RGAA criteria met, in percent.
    #[serde(default)]
    pub taux: Option<f64>,
    /// Who audited (self-assessment or company).
    #[serde(default)]
    pub realise_par: Option<String>,
    /// Known non-compliant content.
    #[serde(default)]
    pub non_conformites: Vec<String>,
    /// Content exempted from the obligation.
    #[serde(default)]
    pub derogations: Vec<String>,
}

/// Website settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    /// Public address of the site ("https://www.cpts-argens.fr").
    pub url: S<String>,
    /// Theme folder under `themes/`; the embedded default theme otherwise.
    #[serde(default)]
    pub theme: Option<S<String>>,
    /// Default image for social-network cards.
    #[serde(default)]
    pub image: Option<Image>,
    /// Short text shown under the site name.
    #[serde(default)]
    pub slogan: Option<String>,
}

/// A thematic page gathering resources.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thematique {
    /// Identifier, used in URLs and by resources (`sante-mentale`).
    pub id: S<String>,
    /// Title.
    pub titre: String,
    /// Introduction (Markdown).
    #[serde(default)]
    pub introduction: Option<String>,
}
