//! Small value types shared by several record kinds.

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

/// Only the value: the place is for diagnostics.
impl<T: Serialize> Serialize for S<T> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        self.value.serialize(serializer)
    }
}

/// A place where a member practises, or where a session happens.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lieu {
    /// Optional name of the place ("Maison de santé des Oliviers").
    #[serde(default)]
    pub nom: Option<String>,
    /// Street address, without postal code and commune.
    pub adresse: String,
    /// Five-digit postal code.
    pub code_postal: S<String>,
    /// INSEE code of the commune; must belong to the territory.
    pub commune: S<String>,
    /// `[latitude, longitude]` in WGS84 degrees.
    #[serde(default)]
    pub coordonnees: Option<S<[f64; 2]>>,
    /// French phone number, written any usual way.
    #[serde(default)]
    pub telephone: Option<S<String>>,
    /// E-mail address shown to visitors.
    #[serde(default)]
    pub courriel: Option<S<String>>,
    /// Online booking page.
    #[serde(default)]
    pub prise_rdv: Option<S<String>>,
    /// Opening hours, free text ("Lundi au vendredi, 8 h – 19 h").
    #[serde(default)]
    pub horaires: Option<String>,
    /// Whether the place is accessible to wheelchair users.
    #[serde(default)]
    pub accessible_pmr: Option<bool>,
}

/// An image with its alternative text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// Path under `static/` ("images/octobre-rose.jpg").
    pub src: S<String>,
    /// Alternative text; required unless `decorative` is true.
    #[serde(default)]
    pub alt: Option<S<String>>,
    /// Declares the image purely decorative (empty alternative text).
    #[serde(default)]
    pub decorative: bool,
}

/// A person or service to contact.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name of the person or service.
    #[serde(default)]
    pub nom: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub telephone: Option<S<String>>,
    /// E-mail address.
    #[serde(default)]
    pub courriel: Option<S<String>>,
    /// Web page or form.
    #[serde(default)]
    pub lien: Option<S<String>>,
    /// A member of the CPTS, by the name of its file (without `.yaml`).
    #[serde(default)]
    pub membre: Option<S<String>>,
}

/// A key figure ("1 femme sur 8", "développera un cancer du sein").
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChiffreCle {
    /// The figure itself, as it should be displayed.
    pub valeur: String,
    /// What it counts.
    pub libelle: String,
    /// Where it comes from.
    #[serde(default)]
    pub source: Option<String>,
}
