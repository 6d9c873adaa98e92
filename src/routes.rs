//! Every output path and URL of a site. Templates, sitemap, feeds and link checks ask this
//! module; nobody builds a URL by hand.

use std::fmt::Write as _;

/// A page or file of the generated site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Route {
    /// `/`
    Home,
    /// `/annuaire/`
    Directory,
    /// `/annuaire/<slug>/`
    Member(String),
    /// `/annuaire/profession/<key>/` (professions and structure kinds alike).
    Profession(String),
    /// `/annuaire/commune/<slug>/`
    Commune(String),
    /// `/annuaire/profession/<key>/page/<n>/`: page `n` (2 or more) of a long profession list;
    /// page 1 is [`Route::Profession`] (see [`Route::paged`]).
    ProfessionPage(String, usize),
    /// `/annuaire/commune/<slug>/page/<n>/`: page `n` (2 or more) of a long commune list; page 1
    /// is [`Route::Commune`].
    CommunePage(String, usize),
    /// `/annuaire/index.json`: the compact index of the members the directory's filters read.
    DirectoryIndex,
    /// `/recherche/`: site-wide search.
    Search,
    /// `/recherche/index.json`: the index of the pages other than members'.
    SearchIndex,
    /// `/carte/`
    Map,
    /// `/soins/`
    Care,
    /// `/prevention/`
    Prevention,
    /// `/prevention/archives/`
    PreventionArchive,
    /// `/prevention/<slug>/`
    Action(String),
    /// `/prevention/<slug>/seances.ics`: the sessions of one action.
    ActionCalendar(String),
    /// `/agenda.ics`: every session of every action.
    Agenda,
    /// `/actualites/atom.xml`
    NewsFeed,
    /// `/prevention/atom.xml`
    ActionsFeed,
    /// `/offres/`
    Offers,
    /// `/offres/archives/`
    OffersArchive,
    /// `/offres/<slug>/`
    Offer(String),
    /// `/offres/type/<type>/`: open offers of one type (`stage`, `installation`…).
    OffersByType(String),
    /// `/offres/profession/<key>/`: open offers for one profession.
    OffersByProfession(String),
    /// `/offres/commune/<slug>/`: open offers in one commune.
    OffersByCommune(String),
    /// `/offres/atom.xml`: Atom feed of the open offers.
    OffersFeed,
    /// `/s-installer/`: why and how to settle on the territory, its demography.
    Installer,
    /// `/stages/`: internships, supervisors and the welcome of students.
    Internships,
    /// `/la-cpts/`
    AboutCpts,
    /// `/la-cpts/resultats/`: the CPTS's results (`indicateurs.yaml`).
    Results,
    /// `/actualites/`
    NewsIndex,
    /// `/actualites/<slug>/`
    News(String),
    /// `/contacts/`
    Contacts,
    /// `/professionnels/`
    Professionals,
    /// `/thematiques/<id>/`
    Theme(String),
    /// `/<slug>/` for a free page.
    Page(String),
    /// `/mentions-legales/`
    LegalNotice,
    /// `/accessibilite/`
    Accessibility,
    /// `/donnees/`: the open-data page.
    OpenData,
    /// `/donnees/<file>`: an open-data file (`annuaire.csv`…).
    DataFile(String),
    /// `/plan-du-site/`
    SiteMapPage,
    /// `/glossaire/`: the abbreviations a visitor meets, and what they mean.
    Glossary,
    /// `/404.html`
    NotFound,
    /// `/sitemap.xml`
    Sitemap,
    /// `/robots.txt`
    Robots,
    /// `/documents/<file>`: a published document.
    Document(String),
    /// `/<path>`: a static file of the theme or of `content/static/`.
    Static(String),
    /// `/images/<file>`: a resized variant of a content image (see [`crate::render::images`]).
    ProcessedImage(String),
}

impl Route {
    /// Path of the page relative to the site root, with a leading `/` and, for pages, a
    /// trailing `/` (`/annuaire/claire-martin/`).
    pub fn path(&self) -> String {
        let mut p = String::from("/");
        let _ = match self {
            Route::Home => Ok(()),
            Route::Directory => write!(p, "annuaire/"),
            Route::Member(s) => write!(p, "annuaire/{s}/"),
            Route::Profession(k) => write!(p, "annuaire/profession/{k}/"),
            Route::Commune(c) => write!(p, "annuaire/commune/{c}/"),
            Route::ProfessionPage(k, n) => write!(p, "annuaire/profession/{k}/page/{n}/"),
            Route::CommunePage(c, n) => write!(p, "annuaire/commune/{c}/page/{n}/"),
            Route::DirectoryIndex => write!(p, "annuaire/index.json"),
            Route::Search => write!(p, "recherche/"),
            Route::SearchIndex => write!(p, "recherche/index.json"),
            Route::Map => write!(p, "carte/"),
            Route::Care => write!(p, "soins/"),
            Route::Prevention => write!(p, "prevention/"),
            Route::PreventionArchive => write!(p, "prevention/archives/"),
            Route::Action(s) => write!(p, "prevention/{s}/"),
            Route::ActionCalendar(s) => write!(p, "prevention/{s}/seances.ics"),
            Route::Agenda => write!(p, "agenda.ics"),
            Route::NewsFeed => write!(p, "actualites/atom.xml"),
            Route::ActionsFeed => write!(p, "prevention/atom.xml"),
            Route::Offers => write!(p, "offres/"),
            Route::OffersArchive => write!(p, "offres/archives/"),
            Route::Offer(s) => write!(p, "offres/{s}/"),
            Route::OffersByType(t) => write!(p, "offres/type/{t}/"),
            Route::OffersByProfession(k) => write!(p, "offres/profession/{k}/"),
            Route::OffersByCommune(c) => write!(p, "offres/commune/{c}/"),
            Route::OffersFeed => write!(p, "offres/atom.xml"),
            Route::Installer => write!(p, "s-installer/"),
            Route::Internships => write!(p, "stages/"),
            Route::AboutCpts => write!(p, "la-cpts/"),
            Route::Results => write!(p, "la-cpts/resultats/"),
            Route::NewsIndex => write!(p, "actualites/"),
            Route::News(s) => write!(p, "actualites/{s}/"),
            Route::Contacts => write!(p, "contacts/"),
            Route::Professionals => write!(p, "professionnels/"),
            Route::Theme(t) => write!(p, "thematiques/{t}/"),
            Route::Page(s) => write!(p, "{s}/"),
            Route::LegalNotice => write!(p, "mentions-legales/"),
            Route::Accessibility => write!(p, "accessibilite/"),
            Route::OpenData => write!(p, "donnees/"),
            Route::DataFile(f) => write!(p, "donnees/{f}"),
            Route::SiteMapPage => write!(p, "plan-du-site/"),
            Route::Glossary => write!(p, "glossaire/"),
            Route::NotFound => write!(p, "404.html"),
            Route::Sitemap => write!(p, "sitemap.xml"),
            Route::Robots => write!(p, "robots.txt"),
            Route::Document(f) => write!(p, "documents/{f}"),
            Route::Static(f) => write!(p, "{f}"),
            Route::ProcessedImage(f) => write!(p, "images/{f}"),
        };
        p
    }

    /// The file written for this route, relative to the output folder
    /// (`annuaire/claire-martin/index.html`).
    pub fn output_path(&self) -> String {
        let p = self.path();
        let rel = p.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
    }

    /// Page `n` (counted from 1) of a list split into pages: the route itself for page 1 (a list
    /// keeps its address when it grows), its `…/page/<n>/` route after it. A folder of a
    /// region's portal (a [`Route::Static`] ending in `/`, such as `communes/paris-75056/`) is
    /// split the same way. Routes of lists that are never split are given back unchanged.
    pub fn paged(self, n: usize) -> Route {
        match self {
            Route::Profession(k) if n > 1 => Route::ProfessionPage(k, n),
            Route::Commune(c) if n > 1 => Route::CommunePage(c, n),
            Route::Static(f) if n > 1 && f.ends_with('/') => Route::Static(format!("{f}page/{n}/")),
            route => route,
        }
    }

    /// Whether the route is an HTML page listed in the sitemap.
    pub fn in_sitemap(&self) -> bool {
        !matches!(
            self,
            Route::NotFound
                | Route::Sitemap
                | Route::Robots
                | Route::OffersFeed
                | Route::NewsFeed
                | Route::ActionsFeed
                | Route::Document(_)
                | Route::Static(_)
                | Route::ProcessedImage(_)
                | Route::ActionCalendar(_)
                | Route::Agenda
                | Route::DataFile(_)
                | Route::DirectoryIndex
                | Route::SearchIndex
        )
    }
}

/// Turns routes into links, under the site's public address.
#[derive(Debug, Clone)]
pub struct Urls {
    /// Scheme and host, without trailing slash (`https://www.cpts-argens.fr`).
    origin: String,
    /// Path prefix when the site is not at the root of its host (`/cpts`), else empty.
    prefix: String,
}

impl Urls {
    /// From the public base URL of the site (`https://host/` or `https://host/sub/`).
    pub fn new(base_url: &str) -> Urls {
        let trimmed = base_url.trim().trim_end_matches('/');
        let after_scheme = trimmed.find("://").map_or(0, |i| i + 3);
        let (origin, prefix) = match trimmed[after_scheme..].find('/') {
            Some(i) => trimmed.split_at(after_scheme + i),
            None => (trimmed, ""),
        };
        Urls { origin: origin.to_string(), prefix: prefix.to_string() }
    }

    /// Root-relative link for pages of the site (`/annuaire/`).
    pub fn link(&self, route: &Route) -> String {
        format!("{}{}", self.prefix, route.path())
    }

    /// Absolute URL, for the sitemap, canonical links and social cards.
    pub fn absolute(&self, route: &Route) -> String {
        format!("{}{}{}", self.origin, self.prefix, route.path())
    }

    /// Absolute URL of a root-relative link made by [`Urls::link`].
    pub fn absolute_link(&self, link: &str) -> String {
        format!("{}{}", self.origin, link)
    }

    /// The public base URL with a trailing slash.
    pub fn base(&self) -> String {
        format!("{}{}/", self.origin, self.prefix)
    }
}

/// Where a link written in the content leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another site (`https://…`, and `//host/…`, which browsers read as another host), an
    /// e-mail address, a telephone, or a place in the page itself (`#…`).
    Elsewhere,
    /// A file of this site: its path in the output folder (`annuaire/index.html`).
    Site(String),
    /// A path relative to the page the link is shown on (`contacts/`, `../x`).
    Relative,
}

impl Urls {
    /// What the link `link` points to. Root-relative links (`/contacts/`) and absolute links to
    /// the site's own address are the site's files; the site's path prefix, when written, is
    /// left out.
    pub fn target(&self, link: &str) -> LinkTarget {
        let link = link.trim();
        let own = format!("{}/", self.origin);
        let path = match link.get(..own.len()) {
            Some(start) if !self.origin.is_empty() && start.eq_ignore_ascii_case(&own) => {
                let path = &link[own.len() - 1..];
                // The same host, outside the site's own folder: another site.
                let inside = path
                    .strip_prefix(self.prefix.as_str())
                    .is_some_and(|r| r.is_empty() || r.starts_with(['/', '?', '#']));
                if !inside {
                    return LinkTarget::Elsewhere;
                }
                path
            }
            _ => link,
        };
        if path.is_empty() || path.starts_with(['#', '?']) {
            return LinkTarget::Elsewhere;
        }
        // `//host`, and `/\host` or `\\host`, which browsers read the same way.
        if path.starts_with("//") || path.starts_with("/\\") || path.starts_with('\\') {
            return LinkTarget::Elsewhere;
        }
        let scheme = path.split_once(':').is_some_and(|(s, _)| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if scheme {
            return LinkTarget::Elsewhere;
        }
        if !path.starts_with('/') {
            return LinkTarget::Relative;
        }
        let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
        let decoded = percent_decoded(path);
        let within = match decoded.strip_prefix(self.prefix.as_str()) {
            Some(rest) if !self.prefix.is_empty() && (rest.is_empty() || rest.starts_with('/')) => rest.to_string(),
            _ => decoded,
        };
        let rel = within.trim_start_matches('/');
        LinkTarget::Site(if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        })
    }
}

/// `%XX` escapes decoded (invalid ones kept as written).
fn percent_decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_folders_with_index() {
        assert_eq!(Route::Member("a-b".into()).output_path(), "annuaire/a-b/index.html");
        assert_eq!(Route::Home.output_path(), "index.html");
        assert_eq!(Route::NotFound.output_path(), "404.html");
        assert_eq!(Route::Static("style.css".into()).output_path(), "style.css");
    }

    #[test]
    fn long_lists_keep_their_first_address() {
        let nurses = Route::Profession("infirmier".into());
        assert_eq!(nurses.clone().paged(1), nurses);
        assert_eq!(nurses.clone().paged(2).path(), "/annuaire/profession/infirmier/page/2/");
        assert_eq!(
            Route::Commune("le-luc".into()).paged(12).output_path(),
            "annuaire/commune/le-luc/page/12/index.html"
        );
        assert_eq!(Route::Directory.paged(3), Route::Directory);
        // A portal's folder pages as the sites' lists do; a file is never split.
        let paris = Route::Static("communes/paris-75056/".into());
        assert_eq!(paris.clone().paged(1), paris);
        assert_eq!(paris.paged(2).output_path(), "communes/paris-75056/page/2/index.html");
        assert_eq!(Route::Static("agenda.ics".into()).paged(2), Route::Static("agenda.ics".into()));
    }

    #[test]
    fn urls_keep_a_sub_path() {
        let u = Urls::new("https://exemple.fr/cpts/");
        assert_eq!(u.link(&Route::Directory), "/cpts/annuaire/");
        assert_eq!(u.absolute(&Route::Home), "https://exemple.fr/cpts/");
        let root = Urls::new("https://exemple.fr");
        assert_eq!(root.link(&Route::Home), "/");
        assert_eq!(root.base(), "https://exemple.fr/");
    }

    #[test]
    fn link_targets() {
        let u = Urls::new("https://exemple.fr/cpts/");
        let site = |p: &str| LinkTarget::Site(p.to_string());
        for (link, target) in [
            ("/contacts/", site("contacts/index.html")),
            ("/cpts/contacts/#urgences", site("contacts/index.html")),
            ("/cpts", site("index.html")),
            ("/cptsx/", site("cptsx/index.html")),
            ("/documents/mon%20fichier.pdf?v=2", site("documents/mon fichier.pdf")),
            ("https://exemple.fr/cpts/annuaire/", site("annuaire/index.html")),
            ("HTTPS://EXEMPLE.FR/cpts/offres/", site("offres/index.html")),
            ("https://exemple.fr/mairie/", LinkTarget::Elsewhere),
            ("//evil.example/x", LinkTarget::Elsewhere),
            ("/\\evil.example/x", LinkTarget::Elsewhere),
            ("\\\\evil.example/x", LinkTarget::Elsewhere),
            ("https://ailleurs.fr/", LinkTarget::Elsewhere),
            ("mailto:a@b.fr", LinkTarget::Elsewhere),
            ("tel:+33494000000", LinkTarget::Elsewhere),
            ("#haut", LinkTarget::Elsewhere),
            ("contacts/", LinkTarget::Relative),
            ("../x", LinkTarget::Relative),
        ] {
            assert_eq!(u.target(link), target, "{link}");
        }
    }
}
