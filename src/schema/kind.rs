//! The kinds of content files that have a schema, and where their files sit.

use crate::source::SourceKind;

/// A kind of content file that has a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `content/cpts.yaml`.
    Cpts,
    /// `content/contacts.yaml`.
    Contacts,
    /// `content/indicateurs.yaml`.
    Indicators,
    /// `content/membres/*.yaml`.
    Member,
    /// `content/actions/*.md` (front matter).
    Action,
    /// `content/offres/*.md` (front matter).
    Offer,
    /// `content/actualites/*.md` (front matter).
    News,
    /// `content/pages/*.md` (front matter).
    Page,
    /// `content/ressources/*.yaml`.
    Resource,
    /// `content/documents/*.yaml`: a document's description.
    Document,
}

impl Kind {
    /// Every kind, in the order a coordinator meets them.
    pub const ALL: [Kind; 10] = [
        Kind::Cpts,
        Kind::Member,
        Kind::Action,
        Kind::Offer,
        Kind::News,
        Kind::Page,
        Kind::Resource,
        Kind::Document,
        Kind::Contacts,
        Kind::Indicators,
    ];

    /// Short name: the schema's file stem (`membre` → `membre.schema.json`), and the CMS
    /// collection's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cpts => "cpts",
            Kind::Contacts => "contacts",
            Kind::Indicators => "indicateurs",
            Kind::Member => "membre",
            Kind::Action => "action",
            Kind::Offer => "offre",
            Kind::News => "actualite",
            Kind::Page => "page",
            Kind::Resource => "ressource",
            Kind::Document => "document",
        }
    }

    /// French label of the collection, for menus and lists.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Cpts => "La CPTS",
            Kind::Contacts => "Numéros utiles",
            Kind::Indicators => "Résultats (indicateurs)",
            Kind::Member => "Membres",
            Kind::Action => "Actions de prévention",
            Kind::Offer => "Offres",
            Kind::News => "Actualités",
            Kind::Page => "Pages",
            Kind::Resource => "Ressources",
            Kind::Document => "Documents",
        }
    }

    /// The schema's file name (`membre.schema.json`).
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }

    /// The kind's folder relative to the site root (`content/membres`), or its one file
    /// (`content/cpts.yaml`).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Cpts => "content/cpts.yaml",
            Kind::Contacts => "content/contacts.yaml",
            Kind::Indicators => "content/indicateurs.yaml",
            Kind::Member => "content/membres",
            Kind::Action => "content/actions",
            Kind::Offer => "content/offres",
            Kind::News => "content/actualites",
            Kind::Page => "content/pages",
            Kind::Resource => "content/ressources",
            Kind::Document => "content/documents",
        }
    }

    /// Whether the kind is one file (`cpts.yaml`, `contacts.yaml`, `indicateurs.yaml`) rather
    /// than a folder of them.
    pub fn single_file(self) -> bool {
        matches!(self, Kind::Cpts | Kind::Contacts | Kind::Indicators)
    }

    /// Whether files of this kind are Markdown with a YAML header (the schema describes the
    /// header), rather than YAML.
    pub fn front_matter(self) -> bool {
        matches!(self, Kind::Action | Kind::Offer | Kind::News | Kind::Page)
    }

    /// Extensions of the kind's files, as `source::load` takes them.
    pub fn extensions(self) -> &'static [&'static str] {
        if self.front_matter() { &["md"] } else { &["yaml", "yml"] }
    }

    /// Glob patterns of the kind's files, relative to the site root.
    pub fn globs(self) -> Vec<String> {
        if self.single_file() {
            return vec![self.folder().to_string()];
        }
        self.extensions().iter().map(|ext| format!("{}/*.{ext}", self.folder())).collect()
    }

    /// The load stage's kind of these files.
    pub fn source_kind(self) -> SourceKind {
        match self {
            Kind::Cpts => SourceKind::Cpts,
            Kind::Contacts => SourceKind::Contacts,
            Kind::Indicators => SourceKind::Indicators,
            Kind::Member => SourceKind::Member,
            Kind::Action => SourceKind::Action,
            Kind::Offer => SourceKind::Offer,
            Kind::News => SourceKind::News,
            Kind::Page => SourceKind::Page,
            Kind::Resource => SourceKind::Resource,
            Kind::Document => SourceKind::DocumentSidecar,
        }
    }

    /// The kind of a loaded file, when it has a schema.
    pub fn of_source(kind: SourceKind) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.source_kind() == kind)
    }

    /// The kind named `name` ([`Kind::name`]).
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}
