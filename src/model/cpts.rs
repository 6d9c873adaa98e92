//! `cpts.yaml`: the association, its territory, governance, missions and site settings.

use super::common::{ChiffreCle, Image, Partenaire, S};
use super::json_schema;
use super::territory::Territoire;
use serde::Deserialize;

/// The whole content of `cpts.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "La CPTS",
    description = "Le fichier content/cpts.yaml : l’association, son territoire, sa gouvernance, ses missions et les réglages du site."
)]
pub struct Cpts {
    /// Full name ("CPTS du Pays de l'Argens").
    #[schemars(title = "Nom", description = "Nom complet (« CPTS du Pays de l’Argens »).")]
    pub nom: String,
    /// Short name for the header and titles; defaults to `nom`.
    #[serde(default)]
    #[schemars(
        title = "Nom court",
        description = "Nom court pour l’en-tête et les titres ; par défaut, le nom complet."
    )]
    pub nom_court: Option<String>,
    /// One-sentence description, used on the home page and in search results.
    #[schemars(
        title = "Description",
        description = "Une phrase de présentation, pour la page d’accueil et les résultats de recherche."
    )]
    pub description: String,
    /// Longer presentation (Markdown) for the home and `/la-cpts/` pages.
    #[serde(default)]
    #[schemars(title = "Présentation", description = "Présentation plus longue (Markdown), pour l’accueil et la page /la-cpts/.", transform = json_schema::markdown)]
    pub presentation: Option<S<String>>,
    /// The legal entity.
    #[schemars(title = "Association", description = "La personne morale qui porte la CPTS.")]
    pub association: Association,
    /// How the public reaches the CPTS.
    #[schemars(title = "Contact", description = "Comment le public joint la CPTS.")]
    pub contact: CptsContact,
    /// Communes covered.
    #[schemars(title = "Territoire", description = "Le département et les communes couvertes.")]
    pub territoire: Territoire,
    /// Board and bodies.
    #[serde(default)]
    #[schemars(title = "Gouvernance", description = "Le bureau et les instances.")]
    pub gouvernance: Gouvernance,
    /// The ACI missions the CPTS carries, with a summary of each.
    #[serde(default)]
    #[schemars(
        title = "Missions",
        description = "Les missions de l’ACI que porte la CPTS, avec un résumé de chacune."
    )]
    pub missions: Vec<MissionDecl>,
    /// Partner organisations.
    #[serde(default)]
    #[schemars(title = "Partenaires", description = "Les organismes partenaires.")]
    pub partenaires: Vec<Partenaire>,
    /// Host of the website (legal notice).
    #[schemars(title = "Hébergeur", description = "L’hébergeur du site (mentions légales).")]
    pub hebergeur: Hebergeur,
    /// Accessibility compliance (RGAA).
    #[schemars(title = "Accessibilité", description = "La conformité au RGAA (déclaration d’accessibilité).")]
    pub accessibilite: Accessibilite,
    /// Website settings.
    #[schemars(title = "Site", description = "Les réglages du site web.")]
    pub site: SiteSettings,
    /// Thematic pages fed by resources (santé mentale, santé des femmes…).
    #[serde(default)]
    #[schemars(
        title = "Thématiques",
        description = "Les pages thématiques nourries par les ressources (santé mentale, santé des femmes…)."
    )]
    pub thematiques: Vec<Thematique>,
    /// How long a confirmed fact about a member stays published as current.
    #[serde(default)]
    #[schemars(
        title = "Fraîcheur des informations",
        description = "Combien de temps une information confirmée par un membre reste affichée comme sûre ; au-delà, elle est affichée « à confirmer »."
    )]
    pub fraicheur: Fraicheur,
    /// Extra key figures shown on the home page (computed ones are added automatically).
    #[serde(default)]
    #[schemars(
        title = "Chiffres clés",
        description = "Chiffres clés ajoutés sur la page d’accueil (les chiffres calculés s’y ajoutent d’eux-mêmes)."
    )]
    pub chiffres_cles: Vec<ChiffreCle>,
    /// How a professional joins the CPTS (Markdown), for `/professionnels/`.
    #[serde(default)]
    #[schemars(title = "Adhésion", description = "Comment un professionnel adhère à la CPTS (Markdown), pour /professionnels/.", transform = json_schema::markdown)]
    pub adhesion: Option<S<String>>,
    /// Recruiting: why settle here, the support offered, reference densities, the welcome of
    /// students. Feeds `/s-installer/` and `/stages/`.
    #[serde(default)]
    #[schemars(
        title = "Installation",
        description = "Pour recruter : pourquoi s’installer ici, l’accompagnement proposé, les densités de référence, l’accueil des étudiants. Nourrit /s-installer/ et /stages/."
    )]
    pub installation: Option<Installation>,
}

/// `installation:` in cpts.yaml: what `/s-installer/` and `/stages/` say besides the computed
/// figures.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Installation",
    description = "Ce que disent /s-installer/ et /stages/ en plus des chiffres calculés."
)]
pub struct Installation {
    /// Why settle on the territory (Markdown).
    #[serde(default)]
    #[schemars(title = "Pourquoi s’installer ici", description = "Les raisons de s’installer sur le territoire (Markdown).", transform = json_schema::markdown)]
    pub pourquoi: Option<S<String>>,
    /// What the CPTS does for newcomers (welcome, housing, mentoring, paperwork).
    #[serde(default)]
    #[schemars(
        title = "Accompagnement",
        description = "Ce que la CPTS fait pour les nouveaux venus (accueil, logement, compagnonnage, démarches)."
    )]
    pub accompagnement: Vec<Accompagnement>,
    /// National densities to compare the territory with.
    #[serde(default)]
    #[schemars(
        title = "Densités de référence",
        description = "Les densités nationales auxquelles comparer le territoire."
    )]
    pub densites_reference: Option<DensitesReference>,
    /// The welcome of students and interns, for `/stages/`.
    #[serde(default)]
    #[schemars(title = "Stages", description = "L’accueil des étudiants et des internes, pour /stages/.")]
    pub stages: Option<AccueilStages>,
    /// The person a professional who wants to settle talks to, at the top of `/s-installer/`;
    /// without it the CPTS's own contact.
    #[serde(default)]
    #[schemars(
        title = "Interlocuteur",
        description = "La personne à qui parler d’un projet d’installation, en tête de /s-installer/ : nom, fonction, téléphone, courriel. Sans elle, le contact général de la CPTS."
    )]
    pub contact: Option<Interlocuteur>,
    /// Local aids to settling, with their amounts when known.
    #[serde(default)]
    #[schemars(
        title = "Aides à l’installation",
        description = "Les aides à l’installation sur le territoire (Assurance Maladie, ARS, région, département, communes), avec leur montant quand il est connu."
    )]
    pub aides: Vec<Aide>,
    /// Professionals who settled and tell why; published only with their consent.
    #[serde(default)]
    #[schemars(
        title = "Témoignages",
        description = "Des professionnels installés sur le territoire racontent pourquoi ; un témoignage n’est publié qu’avec « consentement: true »."
    )]
    pub temoignages: Vec<Temoignage>,
}

/// The person to talk to about settling.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Interlocuteur", description = "La personne à qui parler d’un projet d’installation.")]
pub struct Interlocuteur {
    /// First name and name ("Sophie Roux").
    #[schemars(title = "Nom", description = "Prénom et nom (« Sophie Roux »).")]
    pub nom: String,
    /// Role ("Coordinatrice de la CPTS").
    #[serde(default)]
    #[schemars(title = "Fonction", description = "Sa fonction (« coordinatrice de la CPTS »).")]
    pub fonction: Option<String>,
    /// Phone number.
    #[serde(default)]
    #[schemars(title = "Téléphone", description = "Numéro de téléphone, entre guillemets.", transform = json_schema::phone)]
    pub telephone: Option<S<String>>,
    /// E-mail address.
    #[serde(default)]
    #[schemars(title = "Courriel", description = "Adresse électronique.", transform = json_schema::email)]
    pub courriel: Option<S<String>>,
}

/// A local aid to settling.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Aide", description = "Une aide à l’installation.")]
pub struct Aide {
    /// Name of the aid ("Contrat d'aide à l'installation des médecins").
    #[schemars(title = "Titre", description = "Nom de l’aide (« Contrat d’aide à l’installation des médecins »).")]
    pub titre: String,
    /// Who pays it ("Assurance Maladie", "Commune du Luc").
    #[serde(default)]
    #[schemars(title = "Financeur", description = "Qui la verse (« Assurance Maladie », « Commune du Luc »).")]
    pub financeur: Option<String>,
    /// Amount in euros, when known.
    #[serde(default)]
    #[schemars(
        title = "Montant",
        description = "Le montant en euros (50000), s’il est connu ; sans montant, le site n’en affiche aucun."
    )]
    pub montant: Option<S<u32>>,
    /// What the amount is per, or over ("par mois", "sur cinq ans").
    #[serde(default)]
    #[schemars(
        title = "Précision",
        description = "Ce que couvre le montant, affiché juste après (« par mois », « sur cinq ans »)."
    )]
    pub precision: Option<String>,
    /// Whether the amount is a ceiling ("jusqu'à 50 000 €").
    #[serde(default)]
    #[schemars(title = "Jusqu’à", description = "true si le montant est un plafond (« jusqu’à 50 000 € »).")]
    pub jusqu_a: bool,
    /// Conditions, who it is for (Markdown).
    #[serde(default)]
    #[schemars(title = "Conditions", description = "Pour qui, à quelles conditions (Markdown).", transform = json_schema::markdown)]
    pub conditions: Option<S<String>>,
    /// Where to learn more.
    #[serde(default)]
    #[schemars(title = "Lien", description = "Page officielle de l’aide (https://…).", transform = json_schema::url)]
    pub lien: Option<S<String>>,
}

/// A professional who settled on the territory and says why.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Témoignage",
    description = "Un professionnel installé sur le territoire raconte ; publié seulement avec son consentement."
)]
pub struct Temoignage {
    /// First name, or first name and name, as the person agreed to be named.
    #[schemars(
        title = "Nom",
        description = "Le prénom, ou le prénom et le nom, comme la personne a accepté d’être nommée."
    )]
    pub nom: S<String>,
    /// `M.` or `Mme`: chooses the masculine or feminine label of the profession.
    #[serde(default)]
    #[schemars(title = "Civilité", description = "« M. » ou « Mme » : choisit le libellé masculin ou féminin de la profession.", transform = json_schema::civilite)]
    pub civilite: Option<S<String>>,
    /// Profession key.
    #[schemars(title = "Profession", description = "Sa profession.", transform = json_schema::profession)]
    pub profession: S<String>,
    /// INSEE code of the commune where the person practises.
    #[schemars(title = "Commune", description = "Code INSEE de la commune où la personne exerce.", transform = json_schema::commune_ref)]
    pub commune: S<String>,
    /// Year the person settled.
    #[schemars(title = "Année d’installation", description = "L’année où la personne s’est installée (2021).")]
    pub annee_installation: S<i16>,
    /// The testimony, a few sentences in the person's words.
    #[schemars(title = "Texte", description = "Le témoignage, quelques phrases dans les mots de la personne.")]
    pub texte: S<String>,
    /// Photo of the person, with its alternative text.
    #[serde(default)]
    #[schemars(
        title = "Photo",
        description = "Une photo de la personne, avec son texte de remplacement (obligatoire)."
    )]
    pub photo: Option<Image>,
    /// The person's written consent to publication; nothing is published without `true`.
    #[serde(default)]
    #[schemars(
        title = "Consentement",
        description = "true une fois que la personne a donné son accord écrit pour que son nom, son texte et sa photo soient publiés (gardez cet accord) ; sans lui, le témoignage n’est pas publié."
    )]
    pub consentement: Option<S<bool>>,
}

impl Installation {
    /// The testimonies the persons agreed to publish, in file order.
    pub fn published_testimonies(&self) -> impl Iterator<Item = &Temoignage> {
        self.temoignages.iter().filter(|t| t.consented())
    }

    /// Photos (paths under `static/`) named only by testimonies without consent: they are not
    /// published, not even as a file of `static/`.
    pub fn withheld_photos(&self) -> Vec<&str> {
        let published: Vec<&str> =
            self.published_testimonies().filter_map(|t| t.photo.as_ref()).map(|p| p.src.value.as_str()).collect();
        self.temoignages
            .iter()
            .filter(|t| !t.consented())
            .filter_map(|t| t.photo.as_ref())
            .map(|p| p.src.value.as_str())
            .filter(|src| !published.contains(src))
            .collect()
    }
}

impl Temoignage {
    /// Whether the testimony may be published: the person said yes.
    pub fn consented(&self) -> bool {
        self.consentement.as_ref().is_some_and(|c| c.value)
    }
}

/// One kind of support the CPTS offers to newcomers.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Accompagnement", description = "Une forme d’accompagnement proposée aux nouveaux venus.")]
pub struct Accompagnement {
    /// Short title ("Compagnonnage").
    #[schemars(title = "Titre", description = "Titre court (« Compagnonnage »).")]
    pub titre: String,
    /// What it is (Markdown).
    #[schemars(title = "Description", description = "En quoi il consiste (Markdown).", transform = json_schema::markdown)]
    pub description: S<String>,
}

/// National reference densities (professionals per 10 000 inhabitants) by profession key.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Densités de référence",
    description = "Densités nationales de référence (professionnels pour 10 000 habitants), par profession."
)]
pub struct DensitesReference {
    /// Where the figures come from, with the year ("DREES, démographie des professionnels de santé, 2023").
    #[schemars(
        title = "Source",
        description = "D’où viennent les chiffres, avec l’année (« DREES, démographie des professionnels de santé, 2023 »)."
    )]
    pub source: String,
    /// Profession key → professionals per 10 000 inhabitants in France.
    #[schemars(title = "Valeurs", description = "Pour chaque profession (medecin-generaliste…), le nombre de professionnels pour 10 000 habitants en France.", transform = json_schema::profession_keys)]
    pub valeurs: S<std::collections::BTreeMap<String, f64>>,
}

/// The welcome of students and interns.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Accueil des stagiaires", description = "L’accueil des étudiants et des internes.")]
pub struct AccueilStages {
    /// The welcome programme (Markdown).
    #[serde(default)]
    #[schemars(title = "Accueil", description = "Le programme d’accueil (Markdown).", transform = json_schema::markdown)]
    pub accueil: Option<S<String>>,
    /// Housing for students and interns (Markdown).
    #[serde(default)]
    #[schemars(title = "Logement", description = "Le logement des étudiants et des internes (Markdown).", transform = json_schema::markdown)]
    pub logement: Option<S<String>>,
}

/// The association behind the CPTS.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Association", description = "L’association qui porte la CPTS.")]
pub struct Association {
    /// RNA number (`W` + 9 digits); absent for Alsace-Moselle associations.
    #[serde(default)]
    #[schemars(title = "Numéro RNA", description = "Numéro RNA (W suivi de 9 chiffres) ; absent pour les associations d’Alsace-Moselle.", transform = json_schema::rna)]
    pub rna: Option<S<String>>,
    /// SIRET (14 digits).
    #[serde(default)]
    #[schemars(title = "Numéro SIRET", description = "Numéro SIRET à 14 chiffres, entre guillemets.", transform = json_schema::siret)]
    pub siret: Option<S<String>>,
    /// Registered office, full postal address.
    #[schemars(title = "Siège", description = "Adresse postale complète du siège.")]
    pub siege: String,
    /// Publication director (legal notice).
    #[schemars(
        title = "Directeur de la publication",
        description = "Nom du directeur ou de la directrice de la publication (mentions légales)."
    )]
    pub directeur_publication: String,
}

/// Public contact details of the CPTS.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Contact", description = "Les coordonnées publiques de la CPTS.")]
pub struct CptsContact {
    /// Postal address.
    #[serde(default)]
    #[schemars(title = "Adresse", description = "Adresse postale.")]
    pub adresse: Option<String>,
    /// Phone number.
    #[serde(default)]
    #[schemars(title = "Téléphone", description = "Numéro de téléphone, entre guillemets.", transform = json_schema::phone)]
    pub telephone: Option<S<String>>,
    /// E-mail address.
    #[schemars(title = "Courriel", description = "Adresse électronique.", transform = json_schema::email)]
    pub courriel: S<String>,
    /// Office hours.
    #[serde(default)]
    #[schemars(title = "Horaires", description = "Horaires de permanence.")]
    pub horaires: Option<String>,
    /// The CPTS's own line for same-day care (*soins non programmés*), shown first wherever the
    /// site tells a reader where to get care today.
    #[serde(default)]
    #[schemars(
        title = "Soins non programmés",
        description = "Le numéro que la CPTS tient pour obtenir un rendez-vous dans la journée, et ses horaires : affiché en premier sur l’accueil et la page « Se soigner »."
    )]
    pub soins_non_programmes: Option<SameDayLine>,
}

/// The CPTS's phone line for same-day care.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Soins non programmés", description = "Le numéro de la CPTS pour un rendez-vous dans la journée.")]
pub struct SameDayLine {
    /// Phone number.
    #[schemars(title = "Téléphone", description = "Numéro de téléphone, entre guillemets.", transform = json_schema::phone)]
    pub telephone: S<String>,
    /// When the line answers.
    #[schemars(title = "Horaires", description = "Quand la ligne répond (ex. du lundi au samedi, 8 h – 20 h).")]
    pub horaires: String,
    /// What a caller gets, in one sentence.
    #[serde(default)]
    #[schemars(title = "Description", description = "Ce que la personne obtient en appelant, en une phrase.")]
    pub description: Option<String>,
}

/// Governance of the association.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Gouvernance", description = "La gouvernance de l’association.")]
pub struct Gouvernance {
    /// Board members.
    #[serde(default)]
    #[schemars(title = "Bureau", description = "Les membres du bureau.")]
    pub bureau: Vec<Fonction>,
    /// How the association is run (Markdown): AG, conseil d'administration, collèges…
    #[serde(default)]
    #[schemars(title = "Description", description = "Comment l’association fonctionne (Markdown) : AG, conseil d’administration, collèges…", transform = json_schema::markdown)]
    pub description: Option<S<String>>,
}

/// A role on the board.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Fonction", description = "Un rôle au bureau.")]
pub struct Fonction {
    /// Role ("Présidente", "Trésorier").
    #[schemars(title = "Fonction", description = "Le rôle (« Présidente », « Trésorier »).")]
    pub fonction: String,
    /// Person's name.
    #[schemars(title = "Nom", description = "Nom de la personne.")]
    pub nom: String,
    /// Profession, free text.
    #[serde(default)]
    #[schemars(title = "Profession", description = "Profession, en texte libre.")]
    pub profession: Option<String>,
}

/// A mission the CPTS carries.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Mission", description = "Une mission que porte la CPTS.")]
pub struct MissionDecl {
    /// Mission key (`acces-aux-soins`, `parcours`, `prevention`…).
    #[schemars(title = "Mission", description = "La mission de l’ACI.", transform = json_schema::mission)]
    pub mission: S<String>,
    /// What the CPTS does for it (Markdown).
    #[schemars(title = "Résumé", description = "Ce que la CPTS fait pour elle (Markdown).", transform = json_schema::markdown)]
    pub resume: S<String>,
}

/// Web host (LCEN legal notice).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Hébergeur", description = "L’hébergeur du site (mentions légales, LCEN).")]
pub struct Hebergeur {
    /// Company name.
    #[schemars(title = "Nom", description = "Raison sociale de l’hébergeur.")]
    pub nom: String,
    /// Postal address.
    #[schemars(title = "Adresse", description = "Adresse postale.")]
    pub adresse: String,
    /// Phone number.
    #[schemars(title = "Téléphone", description = "Numéro de téléphone, entre guillemets.", transform = json_schema::phone)]
    pub telephone: S<String>,
}

/// RGAA compliance information.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Accessibilité", description = "La conformité au RGAA.")]
pub struct Accessibilite {
    /// `non-conforme`, `partiellement-conforme` or `totalement-conforme`.
    #[schemars(title = "Statut", description = "non-conforme, partiellement-conforme ou totalement-conforme.", transform = json_schema::accessibility_status)]
    pub statut: S<String>,
    /// Date of the audit, if one took place.
    #[serde(default)]
    #[schemars(title = "Date de l’audit", description = "Date de l’audit, s’il y en a eu un (AAAA-MM-JJ).")]
    pub date_audit: Option<jiff::civil::Date>,
    /// Share of RGAA criteria met, in percent.
    #[serde(default)]
    #[schemars(title = "Taux de conformité", description = "Part des critères RGAA respectés, en pourcentage.")]
    pub taux: Option<f64>,
    /// Who audited (self-assessment or company).
    #[serde(default)]
    #[schemars(title = "Réalisé par", description = "Qui a fait l’audit (autoévaluation ou société).")]
    pub realise_par: Option<String>,
    /// Known non-compliant content.
    #[serde(default)]
    #[schemars(title = "Non-conformités", description = "Les contenus connus comme non conformes.")]
    pub non_conformites: Vec<String>,
    /// Content exempted from the obligation.
    #[serde(default)]
    #[schemars(title = "Dérogations", description = "Les contenus dispensés de l’obligation.")]
    pub derogations: Vec<String>,
}

/// Website settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Site", description = "Les réglages du site web.")]
pub struct SiteSettings {
    /// Public address of the site ("https://www.cpts-argens.fr").
    #[schemars(title = "Adresse du site", description = "Adresse publique du site (« https://www.cpts-argens.fr »).", transform = json_schema::url)]
    pub url: S<String>,
    /// Theme folder under `themes/`; the embedded default theme otherwise.
    #[serde(default)]
    #[schemars(title = "Thème", description = "Dossier du thème sous themes/ ; à défaut, le thème intégré.")]
    pub theme: Option<S<String>>,
    /// Default image for social-network cards.
    #[serde(default)]
    #[schemars(
        title = "Image de partage",
        description = "Image par défaut des cartes de partage sur les réseaux sociaux."
    )]
    pub image: Option<Image>,
    /// Short text shown under the site name.
    #[serde(default)]
    #[schemars(title = "Slogan", description = "Court texte affiché sous le nom du site.")]
    pub slogan: Option<String>,
    /// Sources and credits shown on the legal notice, one line each (the outlines of
    /// `communes.geojson`, photographs…); the official commune table credits itself.
    #[serde(default)]
    #[schemars(
        title = "Crédits",
        description = "Sources et crédits cités dans les mentions légales, une ligne chacun (les contours de communes.geojson, les photographies…) ; la table officielle des communes est citée d’office."
    )]
    pub credits: Vec<String>,
}

/// A thematic page gathering resources.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Thématique", description = "Une page thématique qui rassemble des ressources.")]
pub struct Thematique {
    /// Identifier, used in URLs and by resources (`sante-mentale`).
    #[schemars(title = "Identifiant", description = "Identifiant, utilisé dans l’adresse de la page et par les ressources (« sante-mentale »).", transform = json_schema::slug)]
    pub id: S<String>,
    /// Title.
    #[schemars(title = "Titre", description = "Titre de la page.")]
    pub titre: String,
    /// Introduction (Markdown).
    #[serde(default)]
    #[schemars(title = "Introduction", description = "Introduction (Markdown).", transform = json_schema::markdown)]
    pub introduction: Option<S<String>>,
}

/// How many months each volatile fact stays current after the member confirmed it, and what an
/// undated entry counts as.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Fraîcheur des informations",
    description = "Durée, en mois, pendant laquelle chaque information confirmée reste affichée comme sûre."
)]
pub struct Fraicheur {
    /// Months for accepting new patients.
    #[serde(default = "three_months")]
    #[schemars(
        title = "Nouveaux patients (mois)",
        description = "Accepte de nouveaux patients : durée en mois (3 par défaut).",
        range(min = 1, max = 120)
    )]
    pub accepte_nouveaux_patients: S<u16>,
    /// Months for same-day care.
    #[serde(default = "three_months")]
    #[schemars(
        title = "Soins non programmés (mois)",
        description = "Soins non programmés : durée en mois (3 par défaut).",
        range(min = 1, max = 120)
    )]
    pub soins_non_programmes: S<u16>,
    /// Months for teleconsultation.
    #[serde(default = "twelve_months")]
    #[schemars(
        title = "Téléconsultation (mois)",
        description = "Téléconsultation : durée en mois (12 par défaut).",
        range(min = 1, max = 120)
    )]
    pub teleconsultation: S<u16>,
    /// Months for the languages spoken.
    #[serde(default = "twelve_months")]
    #[schemars(
        title = "Langues (mois)",
        description = "Langues parlées : durée en mois (12 par défaut).",
        range(min = 1, max = 120)
    )]
    pub langues: S<u16>,
    /// Months for the opening hours of a place.
    #[serde(default = "twelve_months")]
    #[schemars(
        title = "Horaires (mois)",
        description = "Horaires d’un lieu : durée en mois (12 par défaut).",
        range(min = 1, max = 120)
    )]
    pub horaires: S<u16>,
    /// Months for the phone of a place.
    #[serde(default = "twelve_months")]
    #[schemars(
        title = "Téléphone (mois)",
        description = "Téléphone d’un lieu : durée en mois (12 par défaut).",
        range(min = 1, max = 120)
    )]
    pub telephone: S<u16>,
    /// What a fact counts as when nothing dates it: `a_confirmer` (the default) or `a_jour`.
    #[serde(default)]
    #[schemars(title = "Fiche sans date", description = "Une information qu’aucune date ne confirme est « a_confirmer » (par défaut : affichée à confirmer, jamais comme actuelle) ou « a_jour » (affichée sans date).", transform = json_schema::undated_policy)]
    pub sans_date: Option<S<String>>,
}

fn three_months() -> S<u16> {
    S { value: 3, line: 0, column: 0 }
}

fn twelve_months() -> S<u16> {
    S { value: 12, line: 0, column: 0 }
}

impl Default for Fraicheur {
    fn default() -> Self {
        Fraicheur {
            accepte_nouveaux_patients: three_months(),
            soins_non_programmes: three_months(),
            teleconsultation: twelve_months(),
            langues: twelve_months(),
            horaires: twelve_months(),
            telephone: twelve_months(),
            sans_date: None,
        }
    }
}

impl Fraicheur {
    /// Whether a fact nothing dates counts as current (`sans_date: a_jour`).
    pub fn undated_is_current(&self) -> bool {
        self.sans_date.as_ref().is_some_and(|s| s.value == "a_jour")
    }
}
