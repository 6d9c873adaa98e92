//! The one assembly of a site. Every content file is decoded on its own into a [`DecodedFile`]
//! (a typed record, the map's outline text, an asset, or the problem that kept it from decoding);
//! [`assemble`] then gathers decoded files into a [`Site`]. A full load ([`parse`]: `build`,
//! `check`, `new`) decodes every file; the dev server keeps decoded files by path and content hash
//! and decodes again only those that changed, then calls the same [`assemble`].

use super::action::ActionMeta;
use super::cpts::Cpts;
use super::directory::{ContactsFile, DocumentFile, ResourceFile};
use super::indicators::IndicatorsFile;
use super::member::MemberFile;
use super::offer::OfferMeta;
use super::page::{NewsMeta, PageMeta};
use super::site::{Action, Asset, Document, Member, News, Offer, Page, Record, Resource, Site, Undecoded};
use crate::diagnostic::Diagnostic;
use crate::domain::placeholder;
use crate::source::{SourceFile, SourceKind, Sources, decode_yaml, split_front_matter, utf8_text};
use rayon::prelude::*;
use serde::de::DeserializeOwned;

/// What one content file holds once decoded. Records are boxed: a site keeps tens of thousands of
/// decoded files, most of them small members.
#[derive(Debug, Clone)]
pub enum Decoded {
    /// `content/cpts.yaml`.
    Cpts(Box<Record<Cpts>>),
    /// `content/contacts.yaml`.
    Contacts(Box<Record<ContactsFile>>),
    /// `content/indicateurs.yaml`.
    Indicators(Box<Record<IndicatorsFile>>),
    /// `content/communes.geojson`, as text.
    Geojson(String),
    /// A member.
    Member(Box<Member>),
    /// An action.
    Action(Box<Action>),
    /// An offer.
    Offer(Box<Offer>),
    /// A news item.
    News(Box<News>),
    /// A free page.
    Page(Box<Page>),
    /// A resource.
    Resource(Box<Resource>),
    /// A document's description.
    Document(Box<Document>),
    /// A static file or a published document, kept as it is.
    Asset(Asset),
}

/// A content file after decoding: what kind of file it is, and what it gave.
#[derive(Debug, Clone)]
pub struct DecodedFile {
    /// The kind of file, from where it sits.
    pub kind: SourceKind,
    /// Its identifier: the file name without its extension.
    pub slug: String,
    /// Its content, or why it could not be decoded.
    pub decoded: Result<Decoded, Diagnostic>,
}

impl DecodedFile {
    /// Decodes a loaded file according to its kind; an asset keeps its bytes without a copy.
    pub fn new(file: SourceFile) -> DecodedFile {
        use Decoded as D;
        let kind = file.kind;
        let slug = file.stem().to_string();
        let f = &file;
        let decoded = match kind {
            SourceKind::Cpts => decode_file::<Cpts>(f, false).map(|r| D::Cpts(Box::new(r))),
            SourceKind::Contacts => decode_file::<ContactsFile>(f, false).map(|r| D::Contacts(Box::new(r))),
            SourceKind::Indicators => decode_file::<IndicatorsFile>(f, false).map(|r| D::Indicators(Box::new(r))),
            SourceKind::CommunesGeojson => utf8_text(&f.rel, &f.bytes).map(|t| D::Geojson(t.into_owned())),
            SourceKind::Member => decode_file::<MemberFile>(f, false).map(|r| D::Member(Box::new(r))),
            SourceKind::Resource => decode_file::<ResourceFile>(f, false).map(|r| D::Resource(Box::new(r))),
            SourceKind::DocumentSidecar => decode_file::<DocumentFile>(f, false).map(|r| D::Document(Box::new(r))),
            SourceKind::Action => decode_file::<ActionMeta>(f, true).map(|r| D::Action(Box::new(r))),
            SourceKind::Offer => decode_file::<OfferMeta>(f, true).map(|r| D::Offer(Box::new(r))),
            SourceKind::News => decode_file::<NewsMeta>(f, true).map(|r| D::News(Box::new(r))),
            SourceKind::Page => decode_file::<PageMeta>(f, true).map(|r| D::Page(Box::new(r))),
            SourceKind::Static | SourceKind::Document => {
                let is_document = kind == SourceKind::Document;
                let SourceFile { rel, within, bytes, .. } = file;
                Ok(D::Asset(Asset { within, file: rel, is_document, bytes }))
            }
        };
        DecodedFile { kind, slug, decoded }
    }
}

/// Decodes every loaded file, in parallel, and [`assemble`]s them.
pub fn parse(sources: Sources) -> (Option<Site>, Vec<Diagnostic>) {
    assemble(sources.files.into_par_iter().map(DecodedFile::new).collect())
}

/// Gathers decoded files into a [`Site`]: records of each kind sorted by slug (then file), assets
/// in the order given. Returns the site when `cpts.yaml` was decoded, and every problem the files
/// carry (plus [`missing_cpts`] when there is no such file).
pub fn assemble(files: Vec<DecodedFile>) -> (Option<Site>, Vec<Diagnostic>) {
    let count = |kind: SourceKind| files.iter().filter(|f| f.kind == kind && f.decoded.is_ok()).count();
    // Sized once: a vector grown by doubling would waste megabytes at 100 000 members.
    let mut members = Vec::with_capacity(count(SourceKind::Member));
    let mut actions = Vec::with_capacity(count(SourceKind::Action));
    let mut offers = Vec::with_capacity(count(SourceKind::Offer));
    let mut news = Vec::with_capacity(count(SourceKind::News));
    let mut pages = Vec::with_capacity(count(SourceKind::Page));
    let mut resources = Vec::with_capacity(count(SourceKind::Resource));
    let mut documents = Vec::with_capacity(count(SourceKind::DocumentSidecar));
    let mut assets = Vec::with_capacity(count(SourceKind::Static) + count(SourceKind::Document));
    let has_cpts_file = files.iter().any(|f| f.kind == SourceKind::Cpts);
    let (mut cpts, mut contacts, mut indicators, mut communes_geojson) = (None, None, None, None);
    let mut diagnostics = Vec::new();
    let mut undecoded = Vec::new();
    for file in files {
        match file.decoded {
            Err(d) => {
                diagnostics.push(d);
                undecoded.push(Undecoded { kind: file.kind, slug: file.slug });
            }
            Ok(Decoded::Cpts(r)) => cpts = Some(*r),
            Ok(Decoded::Contacts(r)) => contacts = Some(*r),
            Ok(Decoded::Indicators(r)) => indicators = Some(*r),
            Ok(Decoded::Geojson(t)) => communes_geojson = Some(t),
            Ok(Decoded::Member(r)) => members.push(*r),
            Ok(Decoded::Action(r)) => actions.push(*r),
            Ok(Decoded::Offer(r)) => offers.push(*r),
            Ok(Decoded::News(r)) => news.push(*r),
            Ok(Decoded::Page(r)) => pages.push(*r),
            Ok(Decoded::Resource(r)) => resources.push(*r),
            Ok(Decoded::Document(r)) => documents.push(*r),
            Ok(Decoded::Asset(a)) => assets.push(a),
        }
    }
    by_slug(&mut members);
    by_slug(&mut actions);
    by_slug(&mut offers);
    by_slug(&mut news);
    by_slug(&mut pages);
    by_slug(&mut resources);
    by_slug(&mut documents);
    if !has_cpts_file {
        diagnostics.push(missing_cpts());
    }
    let site = cpts.map(|cpts| Site {
        cpts,
        contacts,
        indicators,
        communes_geojson,
        geography: std::sync::OnceLock::new(),
        members,
        actions,
        offers,
        news,
        pages,
        resources,
        documents,
        assets,
        undecoded,
    });
    (site, diagnostics)
}

/// Sorts records by slug, then file: the same order whatever order the files came in.
fn by_slug<T>(records: &mut [Record<T>]) {
    records.sort_by(|a, b| (a.slug.as_str(), a.file.as_str()).cmp(&(b.slug.as_str(), b.file.as_str())));
}

/// The error reported when a site has no `content/cpts.yaml`.
pub fn missing_cpts() -> Diagnostic {
    Diagnostic::error("M004", "content/cpts.yaml", 0, 0, "le fichier content/cpts.yaml manque")
        .with_hint("il décrit la CPTS (nom, territoire, contact…) ; « maillage init DOSSIER » en crée un modèle")
}

/// Decodes one file: UTF-8, then front matter when asked, then YAML.
pub fn decode_file<T: DeserializeOwned + schemars::JsonSchema>(
    f: &SourceFile,
    front_matter: bool,
) -> Result<Record<T>, Diagnostic> {
    let text = utf8_text(&f.rel, &f.bytes)?;
    let text = text.as_ref();
    let (data, body, body_line, links, mut placeholders) = if front_matter {
        let fm = split_front_matter(&f.rel, text)?;
        let body_line = fm.yaml_line + fm.yaml.lines().count() as u32 + 1;
        let data = decode_yaml(&f.rel, &fm.padded_yaml()).map_err(|d| super::keys::place_key::<T>(d, text))?;
        let mut links = super::links::in_yaml(&fm.padded_yaml());
        links.extend(super::links::in_markdown(fm.body, body_line));
        (data, fm.body, body_line, links, placeholder::in_yaml(fm.yaml, fm.yaml_line))
    } else {
        let data = decode_yaml(&f.rel, text).map_err(|d| super::keys::place_key::<T>(d, text))?;
        (data, "", 0, super::links::in_yaml(text), placeholder::in_yaml(text, 1))
    };
    placeholders.extend(placeholder::in_markdown(body, body_line));
    Ok(Record {
        slug: f.stem().to_string(),
        file: f.rel.clone(),
        data,
        body: body.to_string(),
        body_line,
        links,
        // The path too: a file renamed keeps its bytes but changes its slug, hence its address.
        hash: crate::fingerprint::of(&(&f.rel, crate::fingerprint::of_bytes(&f.bytes))),
        placeholders: placeholders.into_boxed_slice(),
    })
}

impl DecodedFile {
    /// What [`Site::retain_published`] then [`Site::withhold_stale_facts`] make of this file in
    /// `site`: `None` when it is not published (a member without consent, a draft unless
    /// `drafts`), else the file as render sees it (a member's stale facts withheld for `today`,
    /// by the rules of `site`). A file that failed to decode stays as it is. The dev server keeps
    /// its published site up to date with this, one file at a time.
    pub fn published(mut self, site: &Site, drafts: bool, today: jiff::civil::Date) -> Option<DecodedFile> {
        let kept = match &mut self.decoded {
            Ok(Decoded::Member(m)) => {
                super::site::withhold_stale_facts(m, &site.cpts.data.fraicheur, today);
                m.data.publie
            }
            Ok(Decoded::Action(a)) => drafts || !a.data.brouillon,
            Ok(Decoded::Offer(o)) => drafts || !o.data.brouillon,
            Ok(Decoded::News(n)) => drafts || !n.data.brouillon,
            Ok(Decoded::Page(p)) => drafts || !p.data.brouillon,
            _ => true,
        };
        kept.then_some(self)
    }
}

/// Brings an assembled site up to date with the change of one file, as [`assemble`] would give
/// it from the files as they are now: what the file at `rel` gave (`old`, absent for a new file)
/// is taken out, what it gives now (`new`, absent for a file removed) goes in at its place in
/// the order [`assemble`] gives (records by slug then file, assets by file). A record that keeps
/// its slug is replaced where it stands. Returns `false`, leaving the site untouched, for a
/// change that leaves no `cpts.yaml` to assemble a site around: only [`assemble`] can say what
/// then.
pub fn reassemble(site: &mut Site, rel: &str, old: Option<&DecodedFile>, new: Option<DecodedFile>) -> bool {
    let cpts_gone = |f: &Option<DecodedFile>| f.as_ref().is_none_or(|f| !matches!(f.decoded, Ok(Decoded::Cpts(_))));
    if old.is_some_and(|o| o.kind == SourceKind::Cpts) && cpts_gone(&new) {
        return false;
    }
    // A record decoded before and after is replaced where it stands (the same file, the same slug).
    let in_place =
        old.zip(new.as_ref()).is_some_and(|(o, n)| o.kind == n.kind && o.decoded.is_ok() && n.decoded.is_ok());
    if let Some(old) = old.filter(|_| !in_place) {
        match &old.decoded {
            Err(_) => {
                if let Some(i) = site.undecoded.iter().position(|u| u.kind == old.kind && u.slug == old.slug) {
                    site.undecoded.remove(i);
                }
            }
            Ok(Decoded::Cpts(_)) => {}
            Ok(Decoded::Contacts(_)) => site.contacts = None,
            Ok(Decoded::Indicators(_)) => site.indicators = None,
            Ok(Decoded::Geojson(_)) => site.set_geojson(None),
            Ok(Decoded::Member(_)) => take_out(&mut site.members, &old.slug, rel),
            Ok(Decoded::Action(_)) => take_out(&mut site.actions, &old.slug, rel),
            Ok(Decoded::Offer(_)) => take_out(&mut site.offers, &old.slug, rel),
            Ok(Decoded::News(_)) => take_out(&mut site.news, &old.slug, rel),
            Ok(Decoded::Page(_)) => take_out(&mut site.pages, &old.slug, rel),
            Ok(Decoded::Resource(_)) => take_out(&mut site.resources, &old.slug, rel),
            Ok(Decoded::Document(_)) => take_out(&mut site.documents, &old.slug, rel),
            Ok(Decoded::Asset(_)) => {
                if let Ok(i) = site.assets.binary_search_by(|a| a.file.as_str().cmp(rel)) {
                    site.assets.remove(i);
                }
            }
        }
    }
    let Some(new) = new else { return true };
    match new.decoded {
        Err(_) => site.undecoded.push(Undecoded { kind: new.kind, slug: new.slug }),
        Ok(Decoded::Cpts(r)) => site.cpts = *r,
        Ok(Decoded::Contacts(r)) => site.contacts = Some(*r),
        Ok(Decoded::Indicators(r)) => site.indicators = Some(*r),
        Ok(Decoded::Geojson(t)) => site.set_geojson(Some(t)),
        Ok(Decoded::Member(r)) => put_in(&mut site.members, *r),
        Ok(Decoded::Action(r)) => put_in(&mut site.actions, *r),
        Ok(Decoded::Offer(r)) => put_in(&mut site.offers, *r),
        Ok(Decoded::News(r)) => put_in(&mut site.news, *r),
        Ok(Decoded::Page(r)) => put_in(&mut site.pages, *r),
        Ok(Decoded::Resource(r)) => put_in(&mut site.resources, *r),
        Ok(Decoded::Document(r)) => put_in(&mut site.documents, *r),
        Ok(Decoded::Asset(a)) => match site.assets.binary_search_by(|x| x.file.cmp(&a.file)) {
            Ok(i) => site.assets[i] = a,
            Err(i) => site.assets.insert(i, a),
        },
    }
    true
}

/// Removes the record of `file` (whose slug is `slug`) from records sorted by slug then file.
fn take_out<T>(records: &mut Vec<Record<T>>, slug: &str, file: &str) {
    if let Ok(i) = records.binary_search_by(|r| (r.slug.as_str(), r.file.as_str()).cmp(&(slug, file))) {
        records.remove(i);
    }
}

/// Puts a record in its place among records sorted by slug then file, replacing the one of the
/// same file.
fn put_in<T>(records: &mut Vec<Record<T>>, record: Record<T>) {
    match records
        .binary_search_by(|r| (r.slug.as_str(), r.file.as_str()).cmp(&(record.slug.as_str(), record.file.as_str())))
    {
        Ok(i) => records[i] = record,
        Err(i) => records.insert(i, record),
    }
}
