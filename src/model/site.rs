//! The typed site: one [`Record`] per content file, and the [`Site`] that holds them all.

use super::action::ActionMeta;
use super::cpts::Cpts;
use super::directory::{ContactsFile, DocumentFile, ResourceFile};
use super::indicators::IndicatorsFile;
use super::member::MemberFile;
use super::offer::OfferMeta;
use super::page::{NewsMeta, PageMeta};
use super::territory::Commune;
use crate::domain::geo::{self, Outlines};
use crate::domain::placeholder::Placeholder;
use crate::source::SourceKind;
use std::collections::HashMap;

/// What `communes.geojson` gives, read once per text: see [`Site::outlines`].
#[derive(Debug, Clone)]
pub struct Geography {
    outlines: Result<Outlines, crate::diagnostic::Diagnostic>,
    centres: HashMap<String, [f64; 2]>,
    /// Fingerprint of the text the outlines come from.
    key: u64,
}

/// A record decoded from one file, with its identifier and origin.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// Identifier and URL slug: the file name without its extension.
    pub slug: String,
    /// The file, relative to the site root.
    pub file: String,
    /// The decoded fields.
    pub data: T,
    /// The Markdown body, for `.md` files.
    pub body: String,
    /// Line of the file where the body starts.
    pub body_line: u32,
    /// The links the file writes (in its Markdown texts), with their places.
    pub links: Vec<super::links::Link>,
    /// Fingerprint of the file's path and bytes: changes whenever the file does, or moves. Pages built from records
    /// are known by the fingerprints of what they read (see [`crate::render::pages::Ctx`]).
    pub hash: u64,
    /// Texts left to fill (« À compléter », `example.fr`…), found when the file was decoded.
    pub placeholders: Box<[Placeholder]>,
}

/// A content file that exists but could not be decoded: its own diagnostic says why. Records
/// that cite it are not reported again for citing a record that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecoded {
    /// What kind of file it is.
    pub kind: SourceKind,
    /// Its identifier: the file name without its extension.
    pub slug: String,
}

/// A professional or structure.
pub type Member = Record<MemberFile>;
/// A prevention action or campaign.
pub type Action = Record<ActionMeta>;
/// An offer (internship, installation, locum…).
pub type Offer = Record<OfferMeta>;
/// A news item.
pub type News = Record<NewsMeta>;
/// A free page.
pub type Page = Record<PageMeta>;
/// A resource (helpline, association, service).
pub type Resource = Record<ResourceFile>;
/// A published document's description.
pub type Document = Record<DocumentFile>;

/// A file copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path under its folder (`images/logo.png` for `content/static/images/logo.png`).
    pub within: String,
    /// Source file, relative to the site root.
    pub file: String,
    /// Whether it comes from `documents/` (published under `/documents/`) or `static/`.
    pub is_document: bool,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Everything a site is made of, decoded and typed. Built by [`super::assemble()`] (the only
/// assembly: build, check, serve and the editor all go through it), checked by
/// [`crate::check::check`], then read by routes and render.
#[derive(Debug, Clone)]
pub struct Site {
    /// `cpts.yaml`.
    pub cpts: Record<Cpts>,
    /// `contacts.yaml`, when present.
    pub contacts: Option<Record<ContactsFile>>,
    /// `indicateurs.yaml` (the CPTS's results), when present.
    pub indicators: Option<Record<IndicatorsFile>>,
    /// `communes.geojson`, as text, when present.
    pub communes_geojson: Option<String>,
    /// Its outlines and their centres, read on first use ([`Site::outlines`]): a site kept by the
    /// dev server reads them once, not on every save. Emptied when the text changes.
    pub(super) geography: std::sync::OnceLock<Option<Geography>>,
    /// Members, sorted by slug.
    pub members: Vec<Member>,
    /// Actions, sorted by slug.
    pub actions: Vec<Action>,
    /// Offers, sorted by slug.
    pub offers: Vec<Offer>,
    /// News, sorted by slug.
    pub news: Vec<News>,
    /// Free pages, sorted by slug.
    pub pages: Vec<Page>,
    /// Resources, sorted by slug.
    pub resources: Vec<Resource>,
    /// Document descriptions, sorted by slug.
    pub documents: Vec<Document>,
    /// Static files and document files.
    pub assets: Vec<Asset>,
    /// Files that exist but could not be decoded.
    pub undecoded: Vec<Undecoded>,
}

impl Site {
    /// The languages the members speak besides French (see `MemberFile::langues_listed`), each
    /// once, lower-case, in alphabetical order ignoring accents: the directory's and the search's
    /// language filter.
    pub fn languages_spoken(&self) -> Vec<String> {
        // A few languages among many members: inserted one by one (collecting into a set would
        // sort every member's first).
        let mut set = std::collections::BTreeSet::new();
        for l in self.members.iter().flat_map(|m| m.data.langues_listed()).map(|l| l.trim().to_lowercase()) {
            if !l.is_empty() {
                set.insert(l);
            }
        }
        let mut langues: Vec<String> = set.into_iter().collect();
        langues.sort_by_key(|l| crate::domain::text::fold(l));
        langues
    }

    /// The territory's communes.
    pub fn communes(&self) -> &[Commune] {
        &self.cpts.data.territoire.communes
    }

    /// Finds a commune by INSEE code.
    pub fn commune(&self, insee: &str) -> Option<&Commune> {
        let t = &self.cpts.data.territoire;
        // The first commune with a code wins, as a linear search would (duplicates are reported by check).
        let index = t
            .index
            .get_or_init(|| t.communes.iter().enumerate().rev().map(|(i, c)| (c.insee.value.clone(), i)).collect());
        // Checked against the list, so an index built before the list changed is never trusted.
        match index.get(insee).and_then(|&i| t.communes.get(i)).filter(|c| c.insee.value == insee) {
            Some(c) => Some(c),
            None => t.communes.iter().find(|c| c.insee.value == insee),
        }
    }

    /// The Markdown bodies of actions, offers, news and pages: the file, the text and the line of
    /// the file where it starts.
    pub fn bodies(&self) -> impl Iterator<Item = (&str, &str, u32)> {
        fn body<T>(r: &Record<T>) -> (&str, &str, u32) {
            (r.file.as_str(), r.body.as_str(), r.body_line)
        }
        self.actions
            .iter()
            .map(body)
            .chain(self.offers.iter().map(body))
            .chain(self.news.iter().map(body))
            .chain(self.pages.iter().map(body))
    }

    /// Finds a member by slug.
    pub fn member(&self, slug: &str) -> Option<&Member> {
        self.members.binary_search_by(|m| m.slug.as_str().cmp(slug)).ok().map(|i| &self.members[i])
    }

    /// Finds an action by slug.
    pub fn action(&self, slug: &str) -> Option<&Action> {
        self.actions.binary_search_by(|a| a.slug.as_str().cmp(slug)).ok().map(|i| &self.actions[i])
    }

    /// Whether a file of this kind and identifier exists but could not be decoded (its problem is
    /// already reported).
    pub fn is_undecoded(&self, kind: SourceKind, slug: &str) -> bool {
        self.undecoded.iter().any(|u| u.kind == kind && u.slug == slug)
    }

    /// The outlines of `communes.geojson` (or why they cannot be read), read once.
    pub fn outlines(&self) -> Option<&Result<Outlines, crate::diagnostic::Diagnostic>> {
        self.geography().map(|g| &g.outlines)
    }

    /// A point well inside the outline of the commune `insee` ([`geo::outline_centre`]), computed
    /// once for every outline.
    pub fn outline_centre(&self, insee: &str) -> Option<[f64; 2]> {
        self.geography()?.centres.get(insee).copied()
    }

    /// Fingerprint of `communes.geojson` (0 without it), computed once: what is drawn from the
    /// outlines is known by it.
    pub fn outlines_key(&self) -> u64 {
        self.geography().map_or(0, |g| g.key)
    }

    fn geography(&self) -> Option<&Geography> {
        self.geography
            .get_or_init(|| {
                let text = self.communes_geojson.as_deref()?;
                let outlines = geo::outlines(text, "content/communes.geojson");
                let centres = match &outlines {
                    Ok(shapes) => shapes
                        .iter()
                        .filter_map(|(insee, rings)| Some((insee.clone(), geo::outline_centre(rings)?)))
                        .collect(),
                    Err(_) => HashMap::new(),
                };
                Some(Geography { outlines, centres, key: crate::fingerprint::of_bytes(text.as_bytes()) })
            })
            .as_ref()
    }

    /// Replaces the text of `communes.geojson`, forgetting what was read from the old one.
    pub(super) fn set_geojson(&mut self, text: Option<String>) {
        self.communes_geojson = text;
        self.geography = std::sync::OnceLock::new();
    }

    /// Total population of the territory.
    pub fn population(&self) -> u64 {
        self.communes().iter().map(|c| c.population).sum()
    }

    /// Drops everything that must not be published: members without consent, and drafts unless
    /// `drafts` is set. Render only ever sees what this leaves.
    pub fn retain_published(&mut self, drafts: bool) {
        self.members.retain(|m| m.data.publie);
        self.actions.retain(|a| drafts || !a.data.brouillon);
        self.offers.retain(|o| drafts || !o.data.brouillon);
        self.news.retain(|n| drafts || !n.data.brouillon);
        self.pages.retain(|p| drafts || !p.data.brouillon);
    }

    /// Assesses every member's volatile facts for `today` (the `fraicheur` rules of cpts.yaml)
    /// and withholds the stale ones that lists and filters count: accepting new patients,
    /// same-day care and teleconsultation become unknown, so that nothing downstream can assert
    /// them. Each member keeps its assessment (`MemberFile::assessed`) for the pages that show
    /// « à confirmer », and its fingerprint takes it in: a page is rendered again when a fact it
    /// shows crosses its limit, and only then. Render only ever sees a site this has run on.
    pub fn withhold_stale_facts(&mut self, today: jiff::civil::Date) {
        let rules = self.cpts.data.fraicheur.clone();
        for m in &mut self.members {
            withhold_stale_facts(m, &rules, today);
        }
    }
}

/// [`Site::withhold_stale_facts`] for one member, with the site's `rules`.
pub(super) fn withhold_stale_facts(m: &mut Member, rules: &super::cpts::Fraicheur, today: jiff::civil::Date) {
    use super::freshness::Fact;
    use std::hash::{Hash, Hasher};
    let assessed = m.data.assess(rules, today);
    let d = &mut m.data;
    for f in assessed.stale() {
        match f.fact {
            Fact::AccepteNouveauxPatients => d.accepte_nouveaux_patients = None,
            Fact::SoinsNonProgrammes => d.soins_non_programmes = None,
            Fact::Teleconsultation => d.teleconsultation = None,
            Fact::Langues | Fact::Telephone | Fact::Horaires => {}
        }
    }
    let mut h = crate::fingerprint::FastHasher::default();
    (m.hash, &assessed).hash(&mut h);
    m.hash = h.finish();
    d.assessed = assessed;
}
