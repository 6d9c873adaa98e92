//! Views shared by every kind of page: links, images, phone numbers, communes, places, short
//! Markdown texts, the dates of volatile facts.

use crate::domain::ids;
use crate::domain::text::{in_commune, of_commune, slugify};
use crate::model::freshness::{Assessed, DatedFact};
use crate::model::{Commune, Image, Lieu, S, Site};
use crate::render::markdown::to_inline_html;
use crate::render::text::{grouped, month_name, typo};
use crate::routes::{Route, Urls};
use serde::Serialize;

/// A link: a label and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text of the link.
    pub label: String,
    /// Root-relative URL.
    pub url: String,
}

/// An image of the content: which one, and its alternative text. Its sizes and variants are in
/// `site.images[src]` (see [`crate::render::images::PictureView`]).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ImageRef {
    /// Path under `content/static/`, the key of `site.images`.
    pub src: String,
    /// Alternative text; empty for a decorative image.
    pub alt: String,
}

/// The [`ImageRef`] of an optional `image:` block.
pub fn image_ref(image: Option<&Image>) -> Option<ImageRef> {
    image.map(|i| ImageRef {
        src: i.src.value.clone(),
        alt: if i.decorative {
            String::new()
        } else {
            i.alt.as_ref().map(|a| typo(a.value.trim())).unwrap_or_default()
        },
    })
}

/// A phone number ready for display and for a link.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneView {
    /// `04 94 12 34 56`.
    pub display: String,
    /// `+33494123456`.
    pub tel: String,
    /// The link: `tel:+33494123456`, or `sms:114` for a number that takes only text.
    pub href: String,
    /// Whether the number takes only text (114).
    pub sms: bool,
    /// Whether it is a national number for a danger to life (15, 112, 114…).
    pub vital: bool,
}

/// Normalises a phone number that the check stage already validated.
pub fn phone(s: &Option<S<String>>) -> Option<PhoneView> {
    s.as_ref().and_then(|v| phone_str(&v.value))
}

/// Normalises a phone number given as text.
pub fn phone_str(s: &str) -> Option<PhoneView> {
    ids::phone(s).ok().map(|p| PhoneView {
        display: p.display.replace(' ', "\u{a0}"),
        href: p.href(),
        sms: p.is_text_only(),
        vital: p.is_life_emergency(),
        tel: p.tel,
    })
}

/// A commune, for lists and links.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct CommuneView {
    /// INSEE code.
    pub insee: String,
    /// Name.
    pub nom: String,
    /// Directory page of the commune.
    pub url: String,
    /// Population, written with French digit grouping.
    pub population: String,
    /// Population as a number.
    pub population_value: u64,
    /// Postal codes.
    pub codes_postaux: Vec<String>,
    /// `ZIP`, `ZAC` or empty.
    pub zonage: String,
    /// Published members practising there.
    pub count: usize,
    /// `à` and the name, contracted: `au Luc`, `aux Arcs`, `à Vidauban`.
    pub a_nom: String,
    /// `de` and the name, contracted or elided: `du Muy`, `des Arcs`, `d’Entrecasteaux`.
    pub de_nom: String,
}

/// The URL slug of a commune's directory page.
pub fn commune_slug(c: &Commune) -> String {
    slugify(&c.nom)
}

/// Builds a commune view.
pub fn commune(c: &Commune, urls: &Urls, count: usize) -> CommuneView {
    CommuneView {
        insee: c.insee.value.clone(),
        nom: c.nom.clone(),
        a_nom: in_commune(&c.nom),
        de_nom: of_commune(&c.nom),
        url: urls.link(&Route::Commune(commune_slug(c))),
        population: grouped(c.population),
        population_value: c.population,
        codes_postaux: c.codes_postaux.iter().map(|p| p.value.clone()).collect(),
        zonage: match c.zonage.as_ref().map(|z| z.value.as_str()) {
            Some("zip") => "ZIP".to_string(),
            Some("zac") => "ZAC".to_string(),
            _ => String::new(),
        },
        count,
    }
}

/// A place of practice.
#[derive(Debug, Clone, Serialize)]
pub struct LieuView {
    /// Name of the place.
    pub nom: Option<String>,
    /// Street address.
    pub adresse: String,
    /// Postal code.
    pub code_postal: String,
    /// Commune name.
    pub commune: String,
    /// Commune directory page.
    pub commune_url: String,
    /// Phone.
    pub telephone: Option<PhoneView>,
    /// E-mail.
    pub courriel: Option<String>,
    /// Online booking page.
    pub prise_rdv: Option<String>,
    /// Opening hours.
    pub horaires: Option<String>,
    /// Wheelchair access: true, false or unknown.
    pub accessible_pmr: Option<bool>,
    /// The dates of the place's phone and hours, by key (`telephone`, `horaires`), for a
    /// member's place.
    pub dates: FactDates,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
}

/// The name of a place's commune: the territory's, else, for a place outside it (a member shared
/// with another CPTS of a region), the official commune table's; else the code as written.
pub fn place_commune(site: &Site, insee: &str) -> String {
    match site.commune(insee) {
        Some(c) => c.nom.clone(),
        None => {
            crate::domain::communes::table().commune(insee).map_or_else(|| insee.to_string(), |o| o.nom.to_string())
        }
    }
}

pub(super) fn lieu(site: &Site, urls: &Urls, l: &Lieu) -> LieuView {
    let c = site.commune(&l.commune.value);
    LieuView {
        nom: l.nom.as_deref().map(typo),
        adresse: typo(&l.adresse),
        code_postal: l.code_postal.value.clone(),
        commune: place_commune(site, &l.commune.value),
        commune_url: c.map_or_else(String::new, |c| urls.link(&Route::Commune(commune_slug(c)))),
        telephone: phone(&l.telephone),
        courriel: l.courriel.as_ref().map(|c| c.value.clone()),
        prise_rdv: l.prise_rdv.as_ref().map(|c| c.value.clone()),
        horaires: l.horaires.as_ref().map(|h| typo(&h.value)),
        accessible_pmr: l.accessible_pmr,
        dates: FactDates::default(),
        lat: l.coordonnees.as_ref().map(|c| c.value[0]),
        lon: l.coordonnees.as_ref().map(|c| c.value[1]),
    }
}

/// Helper for `typo` on optional Markdown fields rendered inline.
pub fn inline(md: &Option<String>) -> Option<String> {
    md.as_deref().map(to_inline_html)
}

/// How a volatile fact is dated on a page: « confirmé en novembre 2026 » when current, or
/// « à confirmer » with the month of its last confirmation. Every member card holds a few for the
/// whole build: a note keeps the date and the source, and writes its text and date when
/// serialised (as `a_confirmer`, `texte` and `date`), into a buffer on the stack: cards are
/// serialised for every list that shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactDate {
    /// Past its limit: shown « à confirmer », never as current.
    pub a_confirmer: bool,
    /// The last confirmation, or the date of the extract an import took it from.
    confirmed: Option<jiff::civil::Date>,
    /// The source an import took it from, when no confirmation by the member covers it since.
    source: Option<Box<str>>,
}

impl FactDate {
    /// The note of a fact; `None` for a current fact nothing dates (`sans_date: a_jour`).
    pub fn of(f: &DatedFact) -> Option<FactDate> {
        if !f.stale && f.confirmed.is_none() {
            return None;
        }
        Some(FactDate { a_confirmer: f.stale, confirmed: f.confirmed, source: f.source.clone() })
    }

    /// « confirmé en novembre 2026 », « dernière confirmation en mars 2026 », « jamais
    /// confirmé », or for a value an import brought « relevé en mai 2026 (Annuaire Santé
    /// (RPPS)), non confirmé par le membre ».
    fn write_text(&self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        match (self.a_confirmer, self.confirmed, &self.source) {
            (false, Some(d), None) => write!(out, "confirmé en {} {}", month_name(d), d.year()),
            (true, Some(d), None) => write!(out, "dernière confirmation en {} {}", month_name(d), d.year()),
            (_, Some(d), Some(s)) => {
                write!(out, "relevé en {} {} ({s}), non confirmé par le membre", month_name(d), d.year())
            }
            (_, None, Some(s)) => write!(out, "importé ({s}), jamais confirmé"),
            (_, None, None) => out.write_str("jamais confirmé"),
        }
    }

    /// The note's text (see [`FactDate::write_text`]).
    pub fn texte(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = self.write_text(&mut text);
        text
    }
}

impl Serialize for FactDate {
    fn serialize<Se: serde::Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("FactDate", 3)?;
        s.serialize_field("a_confirmer", &self.a_confirmer)?;
        let mut text = StackText::default();
        match self.write_text(&mut text) {
            Ok(()) => s.serialize_field("texte", text.as_str())?,
            // Longer than the buffer (a long source's name).
            Err(_) => s.serialize_field("texte", &self.texte())?,
        }
        let mut date = StackText::default();
        match self.confirmed.map(|d| std::fmt::Write::write_fmt(&mut date, format_args!("{d}"))) {
            Some(Ok(())) => s.serialize_field("date", date.as_str())?,
            Some(Err(_)) => s.serialize_field("date", &self.confirmed.map_or_else(String::new, |d| d.to_string()))?,
            None => s.serialize_field("date", "")?,
        }
        s.end()
    }
}

/// A short text written on the stack; writing fails past its capacity.
struct StackText {
    bytes: [u8; 96],
    len: usize,
}

impl Default for StackText {
    fn default() -> StackText {
        StackText { bytes: [0; 96], len: 0 }
    }
}

impl StackText {
    fn as_str(&self) -> &str {
        // Only whole `str`s are ever written in.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The notes of a member's (or a place's) volatile facts, by key (`telephone`, `horaires`…):
/// what templates read as `dates.telephone`. Held by every member card for the whole build, so
/// kept to its exact size (a map would allocate a node of eleven entries for one or two notes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactDates(Box<[(&'static str, FactDate)]>);

impl Serialize for FactDates {
    /// A map, by key in alphabetical order.
    fn serialize<Se: serde::Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        serializer.collect_map(self.0.iter().map(|(k, n)| (k, n)))
    }
}

/// The notes of the facts of `place` (or of the member itself), by key.
pub(super) fn fact_dates(a: &Assessed, place: Option<usize>) -> FactDates {
    let mut notes: Vec<(&'static str, FactDate)> =
        a.facts.iter().filter(|f| f.place() == place).filter_map(|f| Some((f.fact.key(), FactDate::of(f)?))).collect();
    // Sorted and each key once, the last note kept, as a map collected from the same facts.
    notes.reverse();
    notes.sort_by_key(|(k, _)| *k);
    notes.dedup_by_key(|(k, _)| *k);
    FactDates(notes.into_boxed_slice())
}
