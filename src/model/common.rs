//! Small value types shared by several record kinds.

use super::json_schema;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A value read from a content file, with the line and column (1-based; 0 when unknown) where it
/// was written. Smaller than `serde_saphyr::Spanned` (16 bytes of place instead of 56), which
/// matters at 100 000 members of a dozen such fields each.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct S<T> {
    /// The value.
    pub value: T,
    /// Line of the value in its file.
    pub line: u32,
    /// Column of the value in its line.
    pub column: u32,
}

impl<T> S<T> {
    /// Line and column (1-based) where the value is written.
    pub fn pos(&self) -> (u32, u32) {
        (self.line, self.column)
    }
}

/// Asks the decoder for the value's place through a newtype struct named
/// [`crate::source::quick_yaml::PLACED`]: serde-saphyr passes the value on (it is then read as a
/// `serde_saphyr::Spanned`), the quick reader gives the map `line`, `column`, `value`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for S<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(crate::source::quick_yaml::PLACED, PlacedVisitor(PhantomData))
    }
}

/// Reads an [`S`] from either decoder.
struct PlacedVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PlacedVisitor<T> {
    type Value = S<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<S<T>, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let place = spanned.referenced;
        Ok(S { value: spanned.value, line: place.line() as u32, column: place.column() as u32 })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S<T>, A::Error> {
        let line = map.next_entry::<IgnoredAny, u32>()?.ok_or_else(|| de::Error::missing_field("line"))?.1;
        let column = map.next_entry::<IgnoredAny, u32>()?.ok_or_else(|| de::Error::missing_field("column"))?.1;
        let value = map.next_entry::<IgnoredAny, T>()?.ok_or_else(|| de::Error::missing_field("value"))?.1;
        Ok(S { value, line, column })
    }
}

/// Only the value: in the content schema, an `S<T>` is written as a `T`.
impl<T: schemars::JsonSchema> schemars::JsonSchema for S<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// Only the value: the place is for diagnostics.
impl<T: Serialize> Serialize for S<T> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        self.value.serialize(serializer)
    }
}

/// A place where a member practises, or where a session happens.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Lieu", description = "Un lieu d’exercice d’un membre, ou le lieu d’une ressource.")]
pub struct Lieu {
    /// Optional name of the place ("Maison de santé des Oliviers").
    #[serde(default)]
    #[schemars(title = "Nom du lieu", description = "Nom facultatif du lieu (« Maison de santé des Oliviers »).")]
    pub nom: Option<String>,
    /// Street address, without postal code and commune.
    #[schemars(
        title = "Adresse",
        description = "Numéro et rue, sans le code postal ni la commune (« 9 rue Nationale »)."
    )]
    pub adresse: String,
    /// Five-digit postal code.
    #[schemars(title = "Code postal", description = "Code postal à 5 chiffres, entre guillemets (\"83340\").", transform = json_schema::postal_code)]
    pub code_postal: S<String>,
    /// INSEE code of the commune; must belong to the territory.
    #[schemars(title = "Commune", description = "Code INSEE de la commune, entre guillemets (\"83073\") ; elle doit faire partie du territoire (territoire.communes de cpts.yaml).", transform = json_schema::commune_ref)]
    pub commune: S<String>,
    /// `[latitude, longitude]` in WGS84 degrees.
    #[serde(default)]
    #[schemars(
        title = "Coordonnées",
        description = "[latitude, longitude] en degrés décimaux (WGS84), pour la carte : [43.3888, 6.3083]."
    )]
    pub coordonnees: Option<S<[f64; 2]>>,
    /// French phone number, written any usual way.
    #[serde(default)]
    #[schemars(title = "Téléphone", description = "Numéro de téléphone du lieu, entre guillemets (\"04 94 12 34 56\").", transform = json_schema::phone)]
    pub telephone: Option<S<String>>,
    /// E-mail address shown to visitors.
    #[serde(default)]
    #[schemars(title = "Courriel", description = "Adresse électronique montrée aux visiteurs.", transform = json_schema::email)]
    pub courriel: Option<S<String>>,
    /// Online booking page.
    #[serde(default)]
    #[schemars(title = "Prise de rendez-vous", description = "Adresse de la page de prise de rendez-vous en ligne (https://…).", transform = json_schema::url)]
    pub prise_rdv: Option<S<String>>,
    /// Opening hours, free text ("Lundi au vendredi, 8 h – 19 h").
    #[serde(default)]
    #[schemars(
        title = "Horaires",
        description = "Horaires d’ouverture, en texte libre (« Lundi au vendredi, 8 h – 19 h »)."
    )]
    pub horaires: Option<S<String>>,
    /// Whether the place is accessible to wheelchair users.
    #[serde(default)]
    #[schemars(
        title = "Accessible PMR",
        description = "true si le lieu est accessible aux personnes en fauteuil roulant, false sinon ; absent : non renseigné."
    )]
    pub accessible_pmr: Option<bool>,
    /// The place may lie outside the territory: a member of a region's shared members
    /// (`commun/membres/`) who also practises in a neighbouring CPTS. Its commune is then any
    /// current commune of France.
    #[serde(default)]
    #[schemars(
        title = "Hors du territoire",
        description = "Le lieu peut être hors du territoire : pour un membre commun à plusieurs CPTS d’une région (commun/membres/), le lieu où il exerce dans une autre CPTS. La commune est alors toute commune de France."
    )]
    pub hors_territoire: bool,
    /// When the phone and hours of this place were last confirmed, when it differs from the
    /// member's `verifie_le`.
    #[serde(default)]
    #[schemars(
        title = "Vérifié le",
        description = "Date (AAAA-MM-JJ) de la dernière confirmation du téléphone et des horaires de ce lieu, quand elle diffère de « verifie_le » de la fiche."
    )]
    pub verifie_le: Option<S<jiff::civil::Date>>,
    /// Where an import took this place's phone or hours from, when it changed them.
    #[serde(default)]
    #[schemars(
        title = "Relevé",
        description = "Écrit par « maillage import » quand il change le téléphone ou les horaires de ce lieu : la source et la date de l’extraction. Ce n’est pas une confirmation par le membre."
    )]
    pub releve: Option<Box<Releve>>,
}

/// What an import records when it changes a volatile fact: its source, the date of the extract
/// and the day of the import. A fact an import changed is dated by its extract (never later),
/// not by the member's confirmations made before the import.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Relevé",
    description = "La source d’informations changées par « maillage import », et ses dates ; ce n’est pas une confirmation par le membre."
)]
pub struct Releve {
    /// The source ("Annuaire Santé (RPPS)", "FINESS", "tableau CSV").
    #[schemars(
        title = "Source",
        description = "D’où viennent les informations (« Annuaire Santé (RPPS) », « FINESS », « tableau CSV »)."
    )]
    pub source: String,
    /// The date of the extract, when the source gives one.
    #[serde(default)]
    #[schemars(title = "Extrait du", description = "Date de l’extraction (AAAA-MM-JJ), quand la source la donne.")]
    pub extrait_du: Option<S<jiff::civil::Date>>,
    /// The day of the import.
    #[schemars(
        title = "Importé le",
        description = "Jour de l’import (AAAA-MM-JJ) : seule une confirmation du membre à partir de ce jour couvre ces informations."
    )]
    pub importe_le: S<jiff::civil::Date>,
    /// The member's facts it covers (`accepte_nouveaux_patients`…); for a place, its phone and
    /// hours.
    #[serde(default)]
    #[schemars(
        title = "Informations",
        description = "Les informations de la fiche que l’import a remplies (accepte_nouveaux_patients, soins_non_programmes, teleconsultation, langues) ; pour un lieu, son téléphone et ses horaires."
    )]
    pub informations: Vec<String>,
}

impl Releve {
    /// Whether it covers `key` (a place's record covers its phone and hours, listed or not).
    pub fn covers(&self, key: &str) -> bool {
        self.informations.is_empty() || self.informations.iter().any(|k| k == key)
    }
}

/// An image with its alternative text.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Image", description = "Une image et son texte de remplacement.")]
pub struct Image {
    /// Path under `static/` ("images/octobre-rose.jpg").
    #[schemars(
        title = "Fichier",
        description = "Chemin de l’image sous content/static/ (« images/octobre-rose.jpg »).",
        transform = json_schema::image_file
    )]
    pub src: S<String>,
    /// Alternative text; required unless `decorative` is true.
    #[serde(default)]
    #[schemars(
        title = "Texte de remplacement",
        description = "Ce que montre l’image, pour les personnes qui ne la voient pas ; obligatoire sauf image décorative."
    )]
    pub alt: Option<S<String>>,
    /// Declares the image purely decorative (empty alternative text).
    #[serde(default)]
    #[schemars(
        title = "Image décorative",
        description = "true si l’image est purement décorative (texte de remplacement vide)."
    )]
    pub decorative: bool,
}

/// A person or service to contact.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Contact", description = "Une personne ou un service à contacter.")]
pub struct Contact {
    /// Name of the person or service.
    #[serde(default)]
    #[schemars(title = "Nom", description = "Nom de la personne ou du service.")]
    pub nom: Option<String>,
    /// Phone number.
    #[serde(default)]
    #[schemars(title = "Téléphone", description = "Numéro de téléphone, entre guillemets.", transform = json_schema::phone)]
    pub telephone: Option<S<String>>,
    /// E-mail address.
    #[serde(default)]
    #[schemars(title = "Courriel", description = "Adresse électronique.", transform = json_schema::email)]
    pub courriel: Option<S<String>>,
    /// Web page or form.
    #[serde(default)]
    #[schemars(title = "Lien", description = "Page web ou formulaire (https://…).", transform = json_schema::url)]
    pub lien: Option<S<String>>,
    /// A member of the CPTS, by the name of its file (without `.yaml`).
    #[serde(default)]
    #[schemars(title = "Membre", description = "Un membre de la CPTS, par le nom de sa fiche sans « .yaml ».", transform = json_schema::member_ref)]
    pub membre: Option<S<String>>,
}

/// A key figure ("1 femme sur 8", "développera un cancer du sein").
#[derive(Debug, Clone, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Chiffre clé",
    description = "Un chiffre mis en avant (« 1 femme sur 8 », « développera un cancer du sein »)."
)]
pub struct ChiffreCle {
    /// The figure itself, as it should be displayed.
    #[schemars(title = "Valeur", description = "Le chiffre, tel qu’il doit s’afficher (« 1 femme sur 8 »).")]
    pub valeur: String,
    /// What it counts.
    #[schemars(title = "Libellé", description = "Ce qu’il compte.")]
    pub libelle: String,
    /// Where it comes from.
    #[serde(default)]
    #[schemars(title = "Source", description = "D’où vient le chiffre.")]
    pub source: Option<String>,
}

/// A partner organisation: of the CPTS (cpts.yaml) or of an action.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Partenaire",
    description = "Un organisme partenaire, avec son logo et son site quand ils sont donnés."
)]
pub struct Partenaire {
    /// Name.
    #[schemars(title = "Nom", description = "Nom de l’organisme.")]
    pub nom: String,
    /// Kind of partner ("ARS", "Assurance Maladie", "Collectivité").
    #[serde(default)]
    #[schemars(
        title = "Type de partenaire",
        description = "Genre de partenaire (« ARS », « Assurance Maladie », « Collectivité »)."
    )]
    pub type_partenaire: Option<String>,
    /// Website.
    #[serde(default)]
    #[schemars(title = "Lien", description = "Site web (https://…).", transform = json_schema::url)]
    pub lien: Option<S<String>>,
    /// Logo, an image of `static/` (SVG, PNG…), with its alternative text.
    #[serde(default)]
    #[schemars(
        title = "Logo",
        description = "Logo, une image de content/static/ (SVG, PNG…) ; son texte de remplacement est facultatif, le nom de l’organisme étant écrit à côté."
    )]
    pub logo: Option<Image>,
}
