//! Parse stage: the domain types, one file per record kind, and the function that decodes every
//! loaded file into a [`Site`].

pub mod action;
pub mod common;
pub mod cpts;
pub mod directory;
pub mod member;
pub mod offer;
pub mod page;
pub mod vocab;

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, SourceKind, Sources, decode_yaml, split_front_matter, utf8_text};
use rayon::prelude::*;
use serde::de::DeserializeOwned;

pub use action::{ActionMeta, Seance};
pub use common::{ChiffreCle, Contact, Image, Lieu, S};
pub use cpts::{Commune, Cpts};
pub use directory::{ContactsFile, DocumentFile, ResourceFile};
pub use member::MemberFile;
pub use offer::OfferMeta;
pub use page::{NewsMeta, PageMeta};

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
    /// Fingerprint of the file's bytes: changes whenever the file does. Pages built from records
    /// are known by the fingerprints of what they read (see [`crate::render::pages::Ctx`]).
    pub hash: u64,
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

/// Everything a site is made of, decoded and typed. Built by [`parse`], checked by
/// [`crate::check::check`], then read by routes and render.
#[derive(Debug, Clone)]
pub struct Site {
    /// `cpts.yaml`.
    pub cpts: Record<Cpts>,
    /// `contacts.yaml`, when present.
    pub contacts: Option<Record<ContactsFile>>,
    /// `communes.geojson`, as text, when present.
    pub communes_geojson: Option<String>,
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
}

impl Site {
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

    /// Finds a member by slug.
    pub fn member(&self, slug: &str) -> Option<&Member> {
        self.members.binary_search_by(|m| m.slug.as_str().cmp(slug)).ok().map(|i| &self.members[i])
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
}

/// Decodes every loaded file. Returns the site when `cpts.yaml` could be read, and every problem
/// found in any file.
pub fn parse(sources: Sources) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut files: Vec<SourceFile> = sources.files;

    let mut assets = Vec::new();
    files.retain_mut(|f| match f.kind {
        SourceKind::Static | SourceKind::Document => {
            assets.push(Asset {
                within: f.within.clone(),
                file: f.rel.clone(),
                is_document: f.kind == SourceKind::Document,
                bytes: std::mem::take(&mut f.bytes),
            });
            false
        }
        _ => true,
    });

    let (members, d1) = decode_all::<MemberFile>(&files, SourceKind::Member, false);
    let (resources, d2) = decode_all::<ResourceFile>(&files, SourceKind::Resource, false);
    let (documents, d3) = decode_all::<DocumentFile>(&files, SourceKind::DocumentSidecar, false);
    let (actions, d4) = decode_all::<ActionMeta>(&files, SourceKind::Action, true);
    let (offers, d5) = decode_all::<OfferMeta>(&files, SourceKind::Offer, true);
    let (news, d6) = decode_all::<NewsMeta>(&files, SourceKind::News, true);
    let (pages, d7) = decode_all::<PageMeta>(&files, SourceKind::Page, true);
    let (mut cpts, d8) = decode_all::<Cpts>(&files, SourceKind::Cpts, false);
    let (mut contacts, d9) = decode_all::<ContactsFile>(&files, SourceKind::Contacts, false);
    for d in [d1, d2, d3, d4, d5, d6, d7, d8, d9] {
        diagnostics.extend(d);
    }

    let communes_geojson =
        files.iter().find(|f| f.kind == SourceKind::CommunesGeojson).and_then(|f| match utf8_text(&f.rel, &f.bytes) {
            Ok(t) => Some(t.to_string()),
            Err(d) => {
                diagnostics.push(d);
                None
            }
        });

    let has_cpts_file = files.iter().any(|f| f.kind == SourceKind::Cpts);
    if !has_cpts_file {
        diagnostics.push(missing_cpts());
    }
    let site = cpts.pop().map(|cpts| Site {
        cpts,
        contacts: contacts.pop(),
        communes_geojson,
        members,
        actions,
        offers,
        news,
        pages,
        resources,
        documents,
        assets,
    });
    (site, diagnostics)
}

/// The error reported when a site has no `content/cpts.yaml` (by `parse` and the dev server).
pub fn missing_cpts() -> Diagnostic {
    Diagnostic::error("M004", "content/cpts.yaml", 0, 0, "le fichier content/cpts.yaml manque")
        .with_hint("il décrit la CPTS (nom, territoire, contact…) ; « maillage init DOSSIER » en crée un modèle")
}

/// Decodes, in parallel, every file of one kind.
fn decode_all<T: DeserializeOwned + Send>(
    files: &[SourceFile],
    kind: SourceKind,
    front_matter: bool,
) -> (Vec<Record<T>>, Vec<Diagnostic>) {
    // Collected at their exact size (a filtered parallel iterator would grow the vectors by
    // doubling: megabytes at 100 000 members).
    let mine: Vec<&SourceFile> = files.iter().filter(|f| f.kind == kind).collect();
    let results: Vec<Result<Record<T>, Diagnostic>> = mine.par_iter().map(|f| decode_file(f, front_matter)).collect();
    let mut records = Vec::with_capacity(results.iter().filter(|r| r.is_ok()).count());
    let mut diagnostics = Vec::new();
    for r in results {
        match r {
            Ok(rec) => records.push(rec),
            Err(d) => diagnostics.push(d),
        }
    }
    records.sort_by(|a, b| a.slug.cmp(&b.slug));
    (records, diagnostics)
}

/// Decodes one file: UTF-8, then front matter when asked, then YAML.
pub fn decode_file<T: DeserializeOwned>(f: &SourceFile, front_matter: bool) -> Result<Record<T>, Diagnostic> {
    let text = utf8_text(&f.rel, &f.bytes)?;
    let (data, body, body_line) = if front_matter {
        let fm = split_front_matter(&f.rel, text)?;
        let body_line = fm.yaml_line + fm.yaml.lines().count() as u32 + 1;
        (decode_yaml(&f.rel, &fm.padded_yaml())?, fm.body, body_line)
    } else {
        (decode_yaml(&f.rel, text)?, "", 0)
    };
    Ok(Record {
        slug: f.stem().to_string(),
        file: f.rel.clone(),
        data,
        body: body.to_string(),
        body_line,
        hash: crate::fingerprint::of_bytes(&f.bytes),
    })
}
