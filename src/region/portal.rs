//! The region's portal: what the region's CPTS publish, across them. The home page (the map of
//! the CPTS territories, the list of CPTS), `/annuaire/` (the départements of the region),
//! `/annuaire/<département>/` (the directory across every CPTS of a département: the same index
//! format and script as a site's directory, so it filters by commune, profession and « accepte
//! de nouveaux patients » whatever the CPTS; one index per département keeps it small enough for
//! a phone), a page per CPTS listing its communes, a page per commune listing its professionals
//! by profession (those accepting new patients first: the path without JavaScript), cut into
//! pages of [`PAGE_SIZE`] like the sites' long lists (`communes/<slug>/page/<n>/`, the first
//! page saying where each profession begins), and `/prevention/` with `/agenda.ics`, every
//! CPTS's coming sessions (the page in pages of [`PAGE_SIZE`] too: a national region has
//! thousands).
//!
//! The portal is rendered by parts ([`Portal::update`]): a département's directory and commune
//! pages depend only on the CPTS with communes there, a CPTS's page on its départements', the
//! home, directory and prevention pages on every CPTS's summary. `maillage serve` keeps the
//! [`Portal`] between saves and renders again only the parts of the CPTS that changed.
//!
//! Pages are written here, with the default theme's style sheet and scripts; every link to a
//! CPTS's page comes from that site's own [`Urls`] and index.

use crate::diagnostic::Diagnostic;
use crate::domain::geo::{self, Outlines};
use crate::domain::text::{fold, grouped, in_commune, slugify};
use crate::model::region::{Region, RegionCpts};
use crate::model::{Site, vocab};
use crate::output::OutputFile;
use crate::render::escape::escape_html as esc;
use crate::render::pages::paging::{self, PAGE_SIZE, Pagination};
use crate::render::search::{self, DirectoryIndex, MemberEntry, flags};
use crate::render::text::typo;
use crate::render::{ics, map, theme::Theme, views};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use minijinja::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

/// A hash map with the fingerprint's hasher: the portal's maps are keyed by the region's own
/// names and codes, looked up for every member of a département at each save.
type FastMap<K, V> = HashMap<K, V, crate::fingerprint::Fast>;

/// A commune of a CPTS's territory.
#[derive(Debug, Clone)]
pub struct PortalCommune {
    /// INSEE code.
    pub insee: String,
    /// Name.
    pub nom: String,
    /// `[lat, lon]` of its centre, when known.
    pub centre: Option<[f64; 2]>,
}

/// A coming session of a prevention action.
#[derive(Debug, Clone)]
pub struct PortalSession {
    /// ISO date, for sorting and `<time>`.
    pub date_iso: String,
    /// The date in words.
    pub date: String,
    /// Hours, when stated.
    pub heures: Option<String>,
    /// Title of the action.
    pub titre: String,
    /// Place and commune.
    pub lieu: String,
    /// The action's page.
    pub url: String,
}

/// What the portal shows of one CPTS.
#[derive(Debug)]
pub struct CptsSummary {
    /// Its folder (and path under the portal).
    pub dossier: String,
    /// Its name.
    pub nom: String,
    /// Its one-sentence description.
    pub description: String,
    /// Its home page.
    pub home: String,
    /// Its communes, in the order of its cpts.yaml.
    pub communes: Vec<PortalCommune>,
    /// Outlines of its communes, when its site has them.
    pub outlines: Outlines,
    /// Its directory index, with page addresses the portal can link to.
    pub index: DirectoryIndex,
    /// Its calendar of every session (ICS).
    pub agenda: String,
    /// Its coming sessions.
    pub sessions: Vec<PortalSession>,
    /// The shared members (of `commun/membres/`) its site publishes: slug and flags.
    pub shared: Vec<(String, u8)>,
    /// The départements of its communes.
    pub departements: BTreeSet<String>,
    /// Fingerprint of its communes' outlines, which the region's map draws.
    pub outlines_key: u64,
    /// Fingerprint of all the pages across the region show of it (names, addresses, counts,
    /// communes and their centres, outlines, coming sessions, calendar): a save that changes
    /// none of it leaves those pages as they are.
    pub region_key: u64,
}

impl CptsSummary {
    /// Reads a checked, published site, the CPTS of `entry` of region.yaml. `own_host`: the site
    /// has its own address, so the portal links to it by absolute addresses.
    pub fn of(site: &Site, urls: &Urls, own_host: bool, entry: &RegionCpts, today: Date) -> CptsSummary {
        let dossier = entry.dossier.value.as_str();
        let link = |l: String| if own_host { urls.absolute_link(&l) } else { l };
        let mut index = search::directory_index(site, urls);
        index.base = link(index.base);
        let outlines: Outlines = site
            .communes_geojson
            .as_deref()
            .and_then(|g| geo::outlines(g, "content/communes.geojson").ok())
            .map(|all| all.into_iter().filter(|(insee, _)| site.commune(insee).is_some()).collect())
            .unwrap_or_default();
        let communes: Vec<PortalCommune> = site
            .communes()
            .iter()
            .map(|c| PortalCommune {
                insee: c.insee.value.clone(),
                nom: c.nom.clone(),
                centre: c
                    .centre
                    .as_ref()
                    .map(|p| p.value)
                    .or_else(|| geo::outline_centre(outlines.get(&c.insee.value)?)),
            })
            .collect();
        let mut sessions = Vec::new();
        for a in &site.actions {
            for s in views::seances(site, urls, a, today) {
                if s.passee || s.date_iso.is_empty() {
                    continue;
                }
                let lieu = if s.lieu.is_empty() { s.commune.clone() } else { format!("{}, {}", s.lieu, s.commune) };
                sessions.push(PortalSession {
                    date_iso: s.date_iso,
                    date: s.date,
                    heures: s.heures,
                    titre: typo(&a.data.titre),
                    lieu,
                    url: link(s.action_url),
                });
            }
        }
        let listed: BTreeSet<&str> = entry.membres_communs.iter().map(|m| m.value.as_str()).collect();
        let shared = index.m.iter().filter(|e| listed.contains(e.1.as_str())).map(|e| (e.1.clone(), e.4)).collect();
        let cpts = &site.cpts.data;
        let departements = communes.iter().map(|c| departement_of(&c.insee).to_string()).collect();
        let outlines_key = outlines_key(&communes, &outlines);
        let agenda = ics::agenda(site, urls, today);
        let home = link(urls.link(&Route::Home));
        let region_key = {
            use std::hash::{Hash, Hasher};
            let mut h = crate::fingerprint::FastHasher::default();
            (dossier, &cpts.nom, &cpts.description, &home, index.m.len(), outlines_key, &agenda).hash(&mut h);
            for c in &communes {
                (&c.insee, &c.nom, c.centre.map(|[x, y]| (x.to_bits(), y.to_bits()))).hash(&mut h);
            }
            for s in &sessions {
                (&s.date_iso, &s.date, &s.heures, &s.titre, &s.lieu, &s.url).hash(&mut h);
            }
            h.finish()
        };
        CptsSummary {
            dossier: dossier.to_string(),
            nom: cpts.nom.clone(),
            description: cpts.description.clone(),
            home,
            communes,
            outlines,
            index,
            agenda,
            sessions,
            shared,
            departements,
            outlines_key,
            region_key,
        }
    }
}

/// Fingerprint of the outlines of `communes`, in their order.
fn outlines_key(communes: &[PortalCommune], outlines: &Outlines) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::fingerprint::FastHasher::default();
    for c in communes {
        c.insee.hash(&mut h);
        for ring in outlines.get(&c.insee).into_iter().flatten() {
            ring.len().hash(&mut h);
            for [x, y] in ring {
                (x.to_bits(), y.to_bits()).hash(&mut h);
            }
        }
    }
    h.finish()
}

/// Code of the département of a commune: `83`, `2A`, `974`.
pub fn departement_of(insee: &str) -> &str {
    let end = if insee.starts_with("97") { 3 } else { 2 };
    insee.get(..end).unwrap_or(insee)
}

/// Name of a département, from the official table (its code when unknown).
fn departement_name(code: &str) -> String {
    crate::domain::communes::table().departement(code).map_or_else(|| code.to_string(), |d| d.nom.to_string())
}

/// Folder of a département's directory, under `annuaire/`.
fn departement_route(code: &str) -> String {
    format!("annuaire/{}/", code.to_ascii_lowercase())
}

/// Page address of a commune of the region.
fn commune_route(slug: &str) -> String {
    format!("communes/{slug}/")
}

/// A commune of a département of the region: its page, and the CPTS whose territory holds it.
struct RegionCommune {
    insee: String,
    nom: String,
    slug: String,
    cpts: Vec<usize>,
}

/// A département's directory: the indexes of the CPTS with communes there, merged into one of
/// the same format.
struct Merged {
    index: DirectoryIndex,
    communes: Vec<RegionCommune>,
}

/// What every département's merge needs to know of the whole region.
struct RegionWide<'a> {
    sites: &'a [CptsSummary],
    /// The départements of each CPTS's communes.
    deps: Vec<&'a BTreeSet<String>>,
    /// The département of each CPTS's first commune: members without a commune are listed there.
    main_dep: Vec<Option<String>>,
    /// The shared members each CPTS publishes.
    shared: Vec<FastMap<&'a str, u8>>,
    /// Each shared member's page (that of the first CPTS listing it) and its flags: a fact one
    /// CPTS's freshness rules withhold is not asserted across them.
    shared_entry: FastMap<&'a str, (usize, u8)>,
}

impl<'a> RegionWide<'a> {
    fn of(sites: &'a [CptsSummary]) -> RegionWide<'a> {
        let deps = sites.iter().map(|s| &s.departements).collect();
        let main_dep = sites.iter().map(|s| s.communes.first().map(|c| departement_of(&c.insee).to_string())).collect();
        let shared: Vec<FastMap<&str, u8>> =
            sites.iter().map(|s| s.shared.iter().map(|(slug, f)| (slug.as_str(), *f)).collect()).collect();
        let mut shared_entry: FastMap<&str, (usize, u8)> = FastMap::default();
        for (i, s) in sites.iter().enumerate() {
            for (slug, f) in &s.shared {
                shared_entry.entry(slug.as_str()).and_modify(|e| e.1 &= f).or_insert((i, *f));
            }
        }
        RegionWide { sites, deps, main_dep, shared, shared_entry }
    }

    /// Professionals and structures of the region, a shared member once.
    fn members(&self) -> usize {
        let all: usize = self.sites.iter().map(|s| s.index.m.len()).sum();
        let repeated: usize = self.shared.iter().map(|s| s.len()).sum::<usize>() - self.shared_entry.len();
        all - repeated
    }

    /// Merges the indexes of the CPTS with communes in département `dep`: kinds by key, communes
    /// by INSEE code, languages by name; a member shared by several CPTS (the same file of
    /// `commun/membres/`) is one entry, with the communes of all, linking to the first CPTS's
    /// page. A member is listed in the départements of its communes.
    fn merge(&self, urls: &Urls, dep: &str) -> Merged {
        let here: Vec<usize> = (0..self.sites.len()).filter(|&i| self.deps[i].contains(dep)).collect();
        let mut communes: Vec<RegionCommune> = Vec::new();
        let mut commune_pos: FastMap<&str, usize> = FastMap::default();
        for &i in &here {
            for c in self.sites[i].communes.iter().filter(|c| departement_of(&c.insee) == dep) {
                let at = *commune_pos.entry(c.insee.as_str()).or_insert_with(|| {
                    communes.push(RegionCommune {
                        insee: c.insee.clone(),
                        nom: c.nom.clone(),
                        slug: format!("{}-{}", slugify(&c.nom), c.insee.to_lowercase()),
                        cpts: Vec::new(),
                    });
                    communes.len() - 1
                });
                communes[at].cpts.push(i);
            }
        }
        communes.sort_by_cached_key(|c| (fold(&c.nom), c.insee.clone()));
        let by_insee: FastMap<&str, usize> = communes.iter().enumerate().map(|(i, c)| (c.insee.as_str(), i)).collect();

        let vocab_order: Vec<&str> =
            vocab::PROFESSIONS.iter().map(|p| p.key).chain(vocab::STRUCTURES.iter().map(|s| s.key)).collect();
        let mut kinds: BTreeMap<(usize, String), (String, String, String, String)> = BTreeMap::new();
        let mut langues: BTreeSet<String> = BTreeSet::new();
        for &i in &here {
            let s = &self.sites[i];
            for k in &s.index.kinds {
                let rank = vocab_order.iter().position(|v| *v == k.0).unwrap_or(usize::MAX);
                kinds
                    .entry((rank, k.0.clone()))
                    .or_insert_with(|| (k.0.clone(), k.1.clone(), urls.link(&Route::Directory), k.3.clone()));
            }
            langues.extend(s.index.langues.iter().cloned());
        }
        let kinds: Vec<_> = kinds.into_values().collect();
        let kind_pos: FastMap<&str, usize> = kinds.iter().enumerate().map(|(i, k)| (k.0.as_str(), i)).collect();
        let mut langues: Vec<String> = langues.into_iter().collect();
        langues.sort_by_key(|l| fold(l));
        let langue_pos: FastMap<&str, usize> = langues.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();

        let mut seen_shared: FastMap<&str, usize> = FastMap::default();
        let mut m: Vec<MemberEntry> = Vec::new();
        for &i in &here {
            let s = &self.sites[i];
            let own_communes: Vec<Option<usize>> =
                s.communes.iter().map(|c| by_insee.get(c.insee.as_str()).copied()).collect();
            let listed_here = self.main_dep[i].as_deref() == Some(dep);
            for e in &s.index.m {
                let mut cs: Vec<usize> = e.3.iter().filter_map(|&p| own_communes.get(p).copied().flatten()).collect();
                // Listed where it practises; without a commune, in its CPTS's first département.
                if cs.is_empty() && !(e.3.is_empty() && listed_here) {
                    continue;
                }
                let shared = self.shared[i].contains_key(e.1.as_str());
                if shared && let Some(&at) = seen_shared.get(e.1.as_str()) {
                    let entry: &mut MemberEntry = &mut m[at];
                    entry.3.append(&mut cs);
                    entry.3.sort_unstable();
                    entry.3.dedup();
                    continue;
                }
                let kind = s.index.kinds.get(e.2).and_then(|k| kind_pos.get(k.0.as_str())).copied().unwrap_or(0);
                let ls: Vec<usize> =
                    e.5.iter()
                        .filter_map(|&p| s.index.langues.get(p).and_then(|l| langue_pos.get(l.as_str())).copied())
                        .collect();
                cs.sort_unstable();
                // The page is `base` + slug + `/`: the portal's base is empty, each slug the
                // page's address without its last slash.
                let (page, flags) = match self.shared_entry.get(e.1.as_str()).filter(|_| shared) {
                    Some(&(first, flags)) => (format!("{}{}", self.sites[first].index.base, e.1), flags),
                    None => (format!("{}{}", s.index.base, e.1), e.4),
                };
                if shared {
                    seen_shared.insert(e.1.as_str(), m.len());
                }
                m.push((e.0.clone(), page, kind, cs, flags, ls, e.6.clone(), e.7.clone(), e.8.clone()));
            }
        }
        m.sort_by_cached_key(|e| (fold(&e.0), e.1.clone()));
        let index_communes = communes
            .iter()
            .map(|c| {
                let url = urls.link(&Route::Static(commune_route(&c.slug)));
                (c.slug.clone(), c.nom.clone(), url, search::search_text([c.nom.as_str()]))
            })
            .collect();
        Merged { index: DirectoryIndex { base: String::new(), kinds, communes: index_communes, langues, m }, communes }
    }
}

/// The pieces of the portal's pages.
struct Pages<'a> {
    region: &'a Region,
    urls: &'a Urls,
    css: String,
    /// The theme, whose macros.html gives the pager of long lists.
    theme: &'a Theme,
    out: Vec<OutputFile>,
    /// Fingerprint of what every page's frame shows (the region's name and description, the
    /// style sheet's address, the portal's address).
    frame: u64,
    /// The commune pages of the last render, by path, with the fingerprint of what each showed.
    commune_keys: &'a FastMap<String, u64>,
    /// Files of the part being rendered left as they are: their inputs did not change.
    kept: Vec<String>,
    /// The fingerprints of the commune pages rendered this time, kept once the update succeeds.
    new_keys: Vec<(String, u64)>,
}

impl Pages<'_> {
    /// The file of the page at folder `path`.
    fn page_file(path: &str) -> String {
        format!("{path}index.html")
    }

    fn link(&self, path: &str) -> String {
        self.urls.link(&Route::Static(path.to_string()))
    }

    /// The theme's macro `name` of macros.html (`pager` or `pager_position`) for a list page
    /// showing `pagination`: the markup the sites' long lists show; nothing for a list on one
    /// page.
    fn pager(&self, name: &str, pagination: Option<&Pagination>) -> Result<String, Diagnostic> {
        match pagination {
            Some(p) => self.theme.call_macro("macros.html", name, &[Value::from_serialize(p)]),
            None => Ok(String::new()),
        }
    }

    /// Writes a page at `path` (a folder, `""` for the home page).
    fn page(&mut self, path: &str, title: &str, crumbs: &[(&str, String)], body: &str, scripts: &[&str]) {
        let nom = typo(&self.region.file.nom.value);
        let home = self.link("");
        let canonical = self.urls.absolute(&Route::Static(path.to_string()));
        let mut h = String::with_capacity(body.len() + 4096);
        let full_title = if path.is_empty() { nom.clone() } else { format!("{} – {nom}", typo(title)) };
        let _ = write!(
            h,
            "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<meta name=\"description\" content=\"{}\">\n<link rel=\"canonical\" href=\"{}\">\n<link rel=\"stylesheet\" href=\"{}\">\n<link rel=\"icon\" href=\"{}\" type=\"image/svg+xml\">\n",
            esc(&full_title),
            esc(&typo(self.region.file.description.as_deref().unwrap_or(&self.region.file.nom.value))),
            esc(&canonical),
            esc(&self.css),
            esc(&self.link("favicon.svg")),
        );
        for s in scripts {
            let _ = writeln!(h, "<script src=\"{}\" defer></script>", esc(&self.link(s)));
        }
        let nav =
            [("Accueil", home.clone()), ("Annuaire", self.link("annuaire/")), ("Prévention", self.link("prevention/"))];
        let _ = write!(
            h,
            "</head>\n<body>\n<a class=\"skip-link\" href=\"#contenu\">Aller au contenu</a>\n<header class=\"site-header\">\n<div class=\"wrap header-top\"><a class=\"brand\" href=\"{}\"><span class=\"brand-name\">{}</span></a></div>\n<nav class=\"main-nav\" aria-label=\"Menu principal\"><ul class=\"wrap\">",
            esc(&home),
            esc(&nom)
        );
        // The page itself, or a page of the item's section (a département's directory is in
        // « Annuaire »), as the CPTS sites mark theirs.
        let here = self.link(path);
        for (label, url) in &nav {
            let current = if *url == here {
                " aria-current=\"page\""
            } else if *url != home && here.starts_with(url.as_str()) {
                " aria-current=\"true\""
            } else {
                ""
            };
            let _ = write!(h, "<li><a href=\"{}\"{current}>{label}</a></li>", esc(url));
        }
        h.push_str("</ul></nav>\n</header>\n");
        if !crumbs.is_empty() {
            h.push_str("<nav class=\"breadcrumbs wrap\" aria-label=\"Fil d’Ariane\"><ol>");
            for (label, url) in crumbs {
                let _ = write!(h, "<li><a href=\"{}\">{}</a></li>", esc(url), esc(label));
            }
            let _ = writeln!(h, "<li><span aria-current=\"page\">{}</span></li></ol></nav>", esc(&typo(title)));
        }
        let _ = write!(
            h,
            "<main id=\"contenu\" class=\"wrap\" tabindex=\"-1\">\n<h1>{}</h1>\n{body}</main>\n",
            esc(&typo(title))
        );
        let _ = write!(
            h,
            "<footer class=\"site-footer\"><div class=\"wrap\"><p>{} rassemble les sites de ses CPTS&nbsp;; chaque CPTS publie ses propres informations, ses mentions légales et sa déclaration d’accessibilité sur son site.</p><p class=\"small\">Portail sans cookie ni mesure d’audience.</p></div></footer>\n</body>\n</html>\n",
            esc(&nom)
        );
        self.out.push(OutputFile { path: Pages::page_file(path), bytes: h.into_bytes() });
    }
}

/// A département's list without script is cut by initial beyond this many communes.
const INITIALS_FROM: usize = PAGE_SIZE;

/// A line of a département's list of communes: the commune's page, its name, how many
/// professionals practise there.
struct CommuneRow<'a> {
    url: String,
    nom: &'a str,
    members: usize,
}

/// A département's communes for readers without script, in alphabetical order, each with its
/// count of professionals. Beyond [`INITIALS_FROM`] communes (up to 890 in a département), the
/// list is cut by initial, with the initials first: a reader goes to « S » rather than through
/// hundreds of names.
fn communes_list(rows: &[CommuneRow]) -> String {
    let line = |out: &mut String, r: &CommuneRow| commune_row(out, &r.url, r.nom, r.members);
    let mut out = String::with_capacity(rows.len() * 120 + 2048);
    if rows.len() <= INITIALS_FROM {
        out.push_str("<ul class=\"rows\">");
        rows.iter().for_each(|r| line(&mut out, r));
        out.push_str("</ul>\n");
        return out;
    }
    // The rows come sorted by folded name, so each initial's rows follow one another.
    let groups = rows.chunk_by(|a, b| initial(a.nom) == initial(b.nom));
    out.push_str("<nav class=\"chips\" aria-label=\"Communes par initiale\"><ul>");
    for group in groups.clone() {
        let letter = initial(group[0].nom);
        let _ = write!(
            out,
            "<li><a href=\"#initiale-{}\"><span class=\"sr-only\">Communes commençant par </span>{letter}</a></li>",
            letter.to_ascii_lowercase()
        );
    }
    out.push_str("</ul></nav>\n");
    for group in groups {
        let letter = initial(group[0].nom);
        let _ = write!(out, "<h3 id=\"initiale-{}\">{letter}</h3>\n<ul class=\"rows\">", letter.to_ascii_lowercase());
        group.iter().for_each(|r| line(&mut out, r));
        out.push_str("</ul>\n");
    }
    out
}

/// A commune's line in a list of communes (a département's, a CPTS's): its page at `url`, its
/// name, how many professionals practise there.
fn commune_row(out: &mut String, url: &str, nom: &str, members: usize) {
    let _ = write!(
        out,
        "<li><a href=\"{}\">{}</a> <span class=\"row-meta\">{}</span></li>",
        esc(url),
        esc(nom),
        count(members, "professionnel", "professionnels")
    );
}

/// The letter a commune is filed under: the first letter or digit of its name without accents,
/// in capitals (« Écully » under E, « L’Isle-sur-la-Sorgue » under L).
fn initial(nom: &str) -> char {
    fold(nom).chars().find(|c| c.is_alphanumeric()).map_or('*', |c| c.to_ascii_uppercase())
}

/// Number of items, digits grouped, with the French plural (0 and 1 singular).
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{}\u{a0}{}", grouped(n as u64), if n <= 1 { one } else { many })
}

/// Fingerprint of what the frame of every page of the portal shows.
fn frame_key(region: &Region, urls: &Urls, css: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::fingerprint::FastHasher::default();
    (&region.file.nom.value, &region.file.description, css).hash(&mut h);
    (urls.link(&Route::Home), urls.absolute(&Route::Home)).hash(&mut h);
    h.finish()
}

/// A profession or kind of structure of a commune's list.
struct CommuneGroup {
    /// Its position in the département's index's kinds.
    kind: usize,
    /// Its members (positions in the index): those accepting new patients first, then the
    /// others, each by name.
    members: Vec<usize>,
    /// How many of them accept new patients.
    accepting: usize,
}

/// The groups of a commune's list, in the index's order of kinds, from its `members` (positions
/// in `idx`, by name).
fn commune_groups(idx: &DirectoryIndex, members: &[usize]) -> Vec<CommuneGroup> {
    let mut by_kind: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in members {
        by_kind.entry(idx.m[i].2).or_default().push(i);
    }
    let accepts = |i: usize| idx.m[i].4 & flags::NEW_PATIENTS != 0;
    by_kind
        .into_iter()
        .map(|(kind, mut members)| {
            // A stable sort: each part stays by name.
            members.sort_by_key(|&i| !accepts(i));
            let accepting = members.iter().filter(|&&i| accepts(i)).count();
            CommuneGroup { kind, members, accepting }
        })
        .collect()
}

/// Fingerprint of what every page of commune `c` shows besides its rows: the frame, its
/// département, its CPTS's names and addresses, and its `groups` (kind, count, how many accept
/// new patients), which make its length, its pages and page 1's summary. Each page's own
/// fingerprint adds its number and the rows it lists; a page whose fingerprint did not change
/// is not rendered again.
fn commune_key(
    frame: u64,
    dep_name: &str,
    c: &RegionCommune,
    sites: &[CptsSummary],
    idx: &DirectoryIndex,
    groups: &[CommuneGroup],
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::fingerprint::FastHasher::default();
    (frame, dep_name, &c.slug, &c.nom, c.cpts.len()).hash(&mut h);
    for s in c.cpts.iter().filter_map(|&i| sites.get(i)) {
        (&s.home, &s.nom).hash(&mut h);
    }
    for g in groups {
        let kind = idx.kinds.get(g.kind).map(|k| (&k.0, &k.1));
        (kind, g.members.len(), g.accepting).hash(&mut h);
    }
    h.finish()
}

/// Fingerprint of everything the pages across the region show (home, the directory's first
/// page, prevention, the calendar, the theme's files, robots.txt): the frame, the theme's files,
/// the day, each département's counts, the region's total and each CPTS's
/// [`CptsSummary::region_key`].
fn region_key(
    frame: u64,
    statics: &[OutputFile],
    wide: &RegionWide,
    figures: &BTreeMap<String, DepartementFigures>,
    today: Date,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::fingerprint::FastHasher::default();
    (frame, today.to_string(), wide.members()).hash(&mut h);
    for f in statics {
        (&f.path, crate::fingerprint::of_bytes(&f.bytes)).hash(&mut h);
    }
    for (code, f) in figures {
        (code, f.by_commune.len(), f.members).hash(&mut h);
    }
    for s in wide.sites {
        (&s.dossier, s.region_key).hash(&mut h);
    }
    h.finish()
}

/// One member in a list: its page, then its detail and phone, and « nouveaux patients ».
fn member_row(h: &mut String, e: &MemberEntry) {
    let _ = write!(h, "<li><a href=\"{}/\">{}</a> <span class=\"row-meta\">", esc(&e.1), esc(&e.0));
    // The kind is the list's heading; the detail (a specialty) says more.
    let mut parts: Vec<String> = Vec::new();
    if !e.6.is_empty() {
        parts.push(esc(&e.6));
    }
    if !e.7.is_empty() {
        let digits: String = e.7.chars().filter(char::is_ascii_digit).collect();
        let tel = match digits.strip_prefix('0') {
            Some(rest) if digits.len() == 10 => format!("+33{rest}"),
            _ => digits,
        };
        parts.push(format!("<a href=\"tel:{tel}\">{}</a>", esc(&e.7)));
    }
    if e.4 & flags::NEW_PATIENTS != 0 {
        parts.push("<span class=\"ok\">nouveaux patients</span>".to_string());
    }
    h.push_str(&parts.join(" · "));
    h.push_str("</span></li>");
}

/// A part of the portal, rendered at once: its files depend on the same CPTS.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// The home page, the directory's first page, prevention, the style sheet and scripts:
    /// every CPTS's summary.
    Region,
    /// A département's directory and its communes' pages: the CPTS with communes there.
    Departement(String),
    /// A CPTS's page: its communes' counts, from its départements.
    Territory(String),
}

/// What the pages of other parts need of a département.
#[derive(Debug, Default)]
struct DepartementFigures {
    /// Professionals and structures listed, a shared member once.
    members: usize,
    /// Professionals and structures by commune (INSEE code).
    by_commune: HashMap<String, usize>,
    /// Page of each commune (INSEE code).
    commune_pages: HashMap<String, (String, String)>,
}

/// The portal between two renders: the files it last gave (by path, the hash of their bytes),
/// which part gave each, and what each département's pages counted.
#[derive(Debug, Default)]
pub struct Portal {
    files: BTreeMap<String, u64>,
    parts: BTreeMap<Part, Vec<String>>,
    departements: BTreeMap<String, DepartementFigures>,
    /// The départements of each CPTS (by folder) at the last render.
    cpts_deps: FastMap<String, BTreeSet<String>>,
    /// The style sheet's address, the theme's files the portal publishes and the theme (its
    /// pager), once read.
    theme: Option<(String, Vec<OutputFile>, Arc<Theme>)>,
    /// The region's map on the home page, with the fingerprint of what it was drawn from: a
    /// save that moves no territory and no count keeps it.
    home_map: Option<(u64, map::DrawnMap)>,
    /// Each page of each commune (by path) with the fingerprint of what it shows (its
    /// commune's [`commune_key`], its number and its rows): a save renders again only the
    /// commune pages of its départements whose content changed.
    commune_keys: FastMap<String, u64>,
    /// Fingerprint of what the pages across the region showed at their last render
    /// ([`region_key`]).
    region_key: Option<u64>,
}

/// What [`Portal::update`] changed.
#[derive(Debug, Default)]
pub struct PortalUpdate {
    /// Files new or whose bytes changed.
    pub written: Vec<OutputFile>,
    /// Files the portal no longer has.
    pub removed: Vec<String>,
    /// Files of the portal in all.
    pub files: usize,
    /// Pages rendered this time (paths in the output), changed or not.
    pub rendered: Vec<String>,
}

/// Renders the whole portal: every page and file, ready for the output.
pub fn render(region: &Region, urls: &Urls, sites: &[CptsSummary], today: Date) -> Result<Vec<OutputFile>, Diagnostic> {
    Ok(Portal::default().update(region, urls, sites, today, None)?.written)
}

impl Portal {
    /// The theme's files (a template or style change under the region's root): read again at
    /// the next update.
    pub fn theme_changed(&mut self) {
        self.theme = None;
    }

    /// Files of the portal (paths in the output).
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Renders the parts of the portal that depend on the CPTS of folders `changed` (every part
    /// when `None`), `sites` being every CPTS's summary in the order of region.yaml, and says
    /// which files changed since the last update. The files are those a whole render gives.
    pub fn update(
        &mut self,
        region: &Region,
        urls: &Urls,
        sites: &[CptsSummary],
        today: Date,
        changed: Option<&BTreeSet<String>>,
    ) -> Result<PortalUpdate, Diagnostic> {
        let (css, statics, theme) = match self.theme.take() {
            Some(loaded) => loaded,
            None => {
                let theme = Theme::load(&region.root, None).map_err(|mut d| {
                    d.pop().unwrap_or_else(|| Diagnostic::error("M070", "commun", 0, 0, "thème illisible"))
                })?;
                let css_hash =
                    crate::fingerprint::of_bytes(theme.statics.get("style.css").map_or(&[][..], |c| c.as_slice()));
                let css = format!("{}?v={:x}", urls.link(&Route::Static("style.css".into())), css_hash & 0xffff_ffff);
                let statics = ["style.css", "favicon.svg", "texte.js", "annuaire.js"]
                    .iter()
                    .filter_map(|name| {
                        theme.statics.get(*name).map(|b| OutputFile { path: name.to_string(), bytes: b.clone() })
                    })
                    .collect();
                (css, statics, Arc::new(theme))
            }
        };
        self.theme = Some((css.clone(), statics.clone(), Arc::clone(&theme)));
        let wide = RegionWide::of(sites);
        let all_deps: BTreeSet<&str> = wide.deps.iter().flat_map(|d| d.iter()).map(String::as_str).collect();
        // The parts to render again.
        let redo_deps: BTreeSet<String> = match changed {
            None => all_deps.iter().map(|d| d.to_string()).chain(self.departements.keys().cloned()).collect(),
            Some(folders) => {
                let mut deps = BTreeSet::new();
                for f in folders {
                    deps.extend(self.cpts_deps.get(f).into_iter().flatten().cloned());
                    if let Some(i) = sites.iter().position(|s| &s.dossier == f) {
                        deps.extend(wide.deps[i].iter().cloned());
                    }
                }
                deps
            }
        };
        let redo_sites: BTreeSet<&str> = sites
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                changed.is_none_or(|f| f.contains(&s.dossier)) || wide.deps[*i].iter().any(|d| redo_deps.contains(d))
            })
            .map(|(_, s)| s.dossier.as_str())
            .collect();
        let mut redo: Vec<Part> = vec![Part::Region];
        redo.extend(redo_deps.iter().map(|d| Part::Departement(d.clone())));
        redo.extend(redo_sites.iter().map(|d| Part::Territory(d.to_string())));
        // The pages of CPTS no longer in the region.
        let present: std::collections::HashSet<&str, crate::fingerprint::Fast> =
            sites.iter().map(|s| s.dossier.as_str()).collect();
        let gone: Vec<Part> = self
            .parts
            .keys()
            .filter(|p| matches!(p, Part::Territory(d) if !present.contains(d.as_str())))
            .cloned()
            .collect();
        redo.extend(gone);

        if changed.is_none() {
            // Everything is rendered again.
            self.commune_keys.clear();
        }
        let frame = frame_key(region, urls, &css);
        let mut p = Pages {
            region,
            urls,
            css,
            theme: &theme,
            out: Vec::new(),
            frame,
            commune_keys: &self.commune_keys,
            kept: Vec::new(),
            new_keys: Vec::new(),
        };
        let mut made: Vec<(Part, Vec<OutputFile>)> = Vec::new();
        let mut kept: Vec<(Part, Vec<String>)> = Vec::new();
        for dep in &redo_deps {
            if all_deps.contains(dep.as_str()) {
                let figures = p.departement(&wide, dep)?;
                self.departements.insert(dep.clone(), figures);
            } else {
                self.departements.remove(dep);
            }
            made.push((Part::Departement(dep.clone()), std::mem::take(&mut p.out)));
            kept.push((Part::Departement(dep.clone()), std::mem::take(&mut p.kept)));
        }
        let new_keys = std::mem::take(&mut p.new_keys);
        for (i, s) in sites.iter().enumerate() {
            if redo_sites.contains(s.dossier.as_str()) {
                p.territory(s, wide.deps[i], &self.departements);
                made.push((Part::Territory(s.dossier.clone()), std::mem::take(&mut p.out)));
            }
        }
        for part in redo.iter().filter(|part| matches!(part, Part::Territory(d) if !redo_sites.contains(d.as_str()))) {
            made.push((part.clone(), Vec::new()));
        }
        // The pages across the region, unless nothing they show changed.
        let region_key = region_key(frame, &statics, &wide, &self.departements, today);
        if changed.is_some() && self.region_key == Some(region_key) {
            let unchanged = self.parts.get(&Part::Region).cloned().unwrap_or_default();
            made.push((Part::Region, Vec::new()));
            kept.push((Part::Region, unchanged));
        } else {
            p.out.extend(statics);
            p.region_pages(&wide, &self.departements, &mut self.home_map, today)?;
            made.push((Part::Region, std::mem::take(&mut p.out)));
        }

        // What changed, part by part.
        let mut update = PortalUpdate::default();
        let mut pages_changed = changed.is_none() || self.files.is_empty();
        let mut kept: BTreeMap<Part, Vec<String>> = kept.into_iter().collect();
        for (part, files) in made {
            let unchanged = kept.remove(&part).unwrap_or_default();
            let now: BTreeSet<&str> =
                files.iter().map(|f| f.path.as_str()).chain(unchanged.iter().map(String::as_str)).collect();
            for old in self.parts.get(&part).into_iter().flatten() {
                if !now.contains(old.as_str()) && self.files.remove(old).is_some() {
                    self.commune_keys.remove(old);
                    pages_changed = true;
                    update.removed.push(old.clone());
                }
            }
            let mut paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
            update.rendered.extend(paths.iter().filter(|p| p.ends_with(".html")).cloned());
            paths.extend(unchanged);
            for f in files {
                let hash = crate::fingerprint::of_bytes(&f.bytes);
                match self.files.insert(f.path.clone(), hash) {
                    Some(h) if h == hash => {}
                    old => {
                        pages_changed |= old.is_none();
                        update.written.push(f);
                    }
                }
            }
            if paths.is_empty() {
                self.parts.remove(&part);
            } else {
                self.parts.insert(part, paths);
            }
        }
        // The sitemap lists every page: made again when pages come or go.
        if pages_changed {
            let mut sitemap = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
            );
            for path in self.files.keys().filter(|f| f.ends_with("index.html")) {
                let folder = path.trim_end_matches("index.html");
                let _ = writeln!(
                    sitemap,
                    "<url><loc>{}</loc></url>",
                    esc(&urls.absolute(&Route::Static(folder.to_string())))
                );
            }
            sitemap.push_str("</urlset>\n");
            let f = OutputFile { path: "sitemap.xml".into(), bytes: sitemap.into_bytes() };
            let hash = crate::fingerprint::of_bytes(&f.bytes);
            if self.files.insert(f.path.clone(), hash) != Some(hash) {
                update.written.push(f);
            }
        }
        self.commune_keys.extend(new_keys);
        self.region_key = Some(region_key);
        self.cpts_deps = sites.iter().zip(&wide.deps).map(|(s, deps)| (s.dossier.clone(), (*deps).clone())).collect();
        update.files = self.files.len();
        Ok(update)
    }
}

impl Pages<'_> {
    /// A département's directory (its page and index) and its communes' pages.
    fn departement(&mut self, wide: &RegionWide, dep: &str) -> Result<DepartementFigures, Diagnostic> {
        let merged = wide.merge(self.urls, dep);
        let idx = &merged.index;
        let home = self.link("");
        let folder = departement_route(dep);
        let dep_name = departement_name(dep);
        // Members by commune (positions in the département's table).
        let mut by_commune: Vec<Vec<usize>> = vec![Vec::new(); merged.communes.len()];
        for (i, e) in idx.m.iter().enumerate() {
            for &c in &e.3 {
                if let Some(list) = by_commune.get_mut(c) {
                    list.push(i);
                }
            }
        }

        // The directory: the site's form and script over the département's index; without
        // script, its communes.
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<p class=\"lead\">{} membres des CPTS de la région dans ce département. Choisissez une commune pour voir qui y exerce, et qui accepte de nouveaux patients.</p>",
            count(idx.m.len(), "professionnel ou structure de santé", "professionnels et structures de santé")
        );
        let _ = write!(
            body,
            "<form id=\"filtre-annuaire\" class=\"filter-form dir-filters\" role=\"search\" aria-label=\"Filtrer l’annuaire\" data-index=\"{}\" hidden>\n<div class=\"field field-wide\"><label for=\"f-texte\">Nom, spécialité ou lieu</label><input id=\"f-texte\" name=\"q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\"></div>\n<div class=\"field\"><label for=\"f-profession\">Profession</label><select id=\"f-profession\" name=\"profession\"><option value=\"\">Toutes les professions</option>",
            esc(&self.link(&format!("{folder}index.json")))
        );
        let mut kind_counts = vec![0usize; idx.kinds.len()];
        for e in &idx.m {
            if let Some(c) = kind_counts.get_mut(e.2) {
                *c += 1;
            }
        }
        for (k, n) in idx.kinds.iter().zip(&kind_counts) {
            let _ = write!(body, "<option value=\"{}\">{} ({n})</option>", esc(&k.0), esc(&k.1));
        }
        // A département has up to hundreds of communes: the script, which shows the form, makes
        // their options from the index it reads (annuaire.js), instead of every reader
        // downloading them, those without script too.
        body.push_str("</select></div>\n<div class=\"field\"><label for=\"f-commune\">Commune</label><select id=\"f-commune\" name=\"commune\" data-from-index><option value=\"\">Toutes les communes</option></select></div>\n");
        if !idx.langues.is_empty() {
            body.push_str("<div class=\"field\"><label for=\"f-langue\">Langue parlée</label><select id=\"f-langue\" name=\"langue\"><option value=\"\">Toutes les langues</option>");
            for l in &idx.langues {
                let _ = write!(body, "<option value=\"{0}\">{0}</option>", esc(l));
            }
            body.push_str("</select></div>\n");
        }
        body.push_str("<fieldset class=\"field checks\"><legend>Seulement</legend><label><input type=\"checkbox\" name=\"nouveaux\" value=\"1\"> accepte de nouveaux patients</label> <label><input type=\"checkbox\" name=\"snp\" value=\"2\"> soins non programmés</label> <label><input type=\"checkbox\" name=\"teleconsultation\" value=\"4\"> téléconsultation</label> <label><input type=\"checkbox\" name=\"pmr\" value=\"8\"> accès en fauteuil roulant</label></fieldset>\n</form>\n<p id=\"annuaire-resultat\" class=\"filter-count\" aria-live=\"polite\"></p>\n<div id=\"annuaire-resultats\"></div>\n<div id=\"annuaire-statique\">\n<h2>Par commune</h2>\n");
        let rows: Vec<CommuneRow> = merged
            .communes
            .iter()
            .zip(&by_commune)
            .map(|(c, list)| CommuneRow { url: self.link(&commune_route(&c.slug)), nom: &c.nom, members: list.len() })
            .collect();
        body.push_str(&communes_list(&rows));
        body.push_str("</div>\n");
        let crumbs = [("Accueil", home.clone()), ("Annuaire", self.link("annuaire/"))];
        self.page(&folder, &format!("Annuaire – {dep_name}"), &crumbs, &body, &["texte.js", "annuaire.js"]);
        let json = serde_json::to_vec(idx)
            .map_err(|e| Diagnostic::error("M004", &format!("{folder}index.json"), 0, 0, e.to_string()))?;
        self.out.push(OutputFile { path: format!("{folder}index.json"), bytes: json });

        // A page per commune, its list cut into pages like the sites' long lists.
        for (at, c) in merged.communes.iter().enumerate() {
            self.commune_pages(wide, idx, &folder, &dep_name, c, &by_commune[at])?;
        }
        Ok(DepartementFigures {
            members: idx.m.len(),
            by_commune: merged.communes.iter().zip(&by_commune).map(|(c, l)| (c.insee.clone(), l.len())).collect(),
            commune_pages: merged
                .communes
                .iter()
                .map(|c| (c.insee.clone(), (self.link(&commune_route(&c.slug)), c.nom.clone())))
                .collect(),
        })
    }

    /// The pages of commune `c`, whose `members` are positions in `idx`: one list of every
    /// professional and structure practising there, by profession or kind of structure (the
    /// directory's order, general practitioners first), those accepting new patients first in
    /// each, cut into pages of [`PAGE_SIZE`] rows at the addresses and with the pager of the
    /// sites' long lists. Page 1 says how many general practitioners accept new patients and,
    /// when the list takes more than a page, where each profession begins, with its count: a
    /// reader goes to the page they need rather than through every page. A page whose
    /// fingerprint did not change is not rendered again.
    fn commune_pages(
        &mut self,
        wide: &RegionWide,
        idx: &DirectoryIndex,
        folder: &str,
        dep_name: &str,
        c: &RegionCommune,
        members: &[usize],
    ) -> Result<(), Diagnostic> {
        let groups = commune_groups(idx, members);
        let rows: Vec<usize> = groups.iter().flat_map(|g| g.members.iter().copied()).collect();
        let shown = commune_key(self.frame, dep_name, c, wide.sites, idx, &groups);
        let ranges = paging::ranges(rows.len());
        let pages = ranges.len();
        let first = Route::Static(commune_route(&c.slug));
        let kind_of = |g: &CommuneGroup| idx.kinds.get(g.kind).map_or(("autres", "Autres"), |k| (&k.0, &k.1));
        // Where each group begins: its page and the anchor of its heading.
        let mut starts = Vec::with_capacity(groups.len());
        let mut at = 0;
        for g in &groups {
            let page = at / PAGE_SIZE + 1;
            starts.push((page, format!("{}#groupe-{}", self.urls.link(&first.clone().paged(page)), kind_of(g).0)));
            at += g.members.len();
        }
        let list_title = format!("Professionnels de santé {}", in_commune(&c.nom));
        let home = self.link("");
        for (i, range) in ranges.into_iter().enumerate() {
            let n = i + 1;
            let route = first.clone().paged(n);
            let file = route.output_path();
            let key = {
                use std::hash::{Hash, Hasher};
                let mut h = crate::fingerprint::FastHasher::default();
                (shown, n).hash(&mut h);
                for e in rows[range.clone()].iter().filter_map(|&m| idx.m.get(m)) {
                    (&e.0, &e.1, e.4, &e.6, &e.7).hash(&mut h);
                }
                h.finish()
            };
            if self.commune_keys.get(&file) == Some(&key) {
                self.kept.push(file);
                continue;
            }
            self.new_keys.push((file, key));
            let pagination = Pagination::of(self.urls, &first, n, pages, &range, rows.len());
            let mut body = String::new();
            let cpts_links: Vec<String> = c
                .cpts
                .iter()
                .filter_map(|&i| wide.sites.get(i))
                .map(|s| format!("<a href=\"{}\">{}</a>", esc(&s.home), esc(&typo(&s.nom))))
                .collect();
            let _ = writeln!(
                body,
                "<p class=\"lead\">{} {}, membres de {}.</p>",
                count(rows.len(), "professionnel ou structure de santé", "professionnels et structures de santé"),
                esc(&in_commune(&c.nom)),
                cpts_links.join(" et de ")
            );
            if n == 1 {
                body.push_str(
                    "<h2 id=\"medecin-traitant\">Médecins généralistes qui acceptent de nouveaux patients</h2>\n",
                );
                let gp = groups.iter().position(|g| kind_of(g).0 == "medecin-generaliste");
                match gp.map(|g| (groups[g].accepting, &starts[g].1)) {
                    Some((accepting, start)) if accepting > 0 => {
                        let _ = writeln!(
                            body,
                            "<p>{} accepter de nouveaux patients&nbsp;: {} en tête de <a href=\"{}\">la liste des médecins généralistes</a>.</p>",
                            count(
                                accepting,
                                "médecin généraliste de la commune indique",
                                "médecins généralistes de la commune indiquent"
                            ),
                            if accepting == 1 { "il est" } else { "ils sont" },
                            esc(start)
                        );
                    }
                    _ => body.push_str("<p>Aucun médecin généraliste de la commune n’indique accepter de nouveaux patients. Les CPTS aident à trouver un médecin traitant&nbsp;: voyez la page «&nbsp;Se soigner&nbsp;» du site de la CPTS, ou les communes voisines.</p>\n"),
                }
                if pages > 1 {
                    let _ = write!(
                        body,
                        "<h2 id=\"par-profession\">Par profession</h2>\n<p>La liste tient sur {pages}&nbsp;pages&nbsp;: chaque profession commence à la page indiquée. Pour chercher par nom, langue parlée ou accès en fauteuil roulant, voyez <a href=\"{}\">l’annuaire du département, filtré sur {}</a>.</p>\n<ul class=\"rows\">",
                        esc(&format!("{}?commune={}", self.link(folder), c.slug)),
                        esc(&c.nom)
                    );
                    for (g, (page, start)) in groups.iter().zip(&starts) {
                        let _ = write!(
                            body,
                            "<li><a href=\"{}\">{}</a> <span class=\"row-meta\">{}",
                            esc(start),
                            esc(kind_of(g).1),
                            grouped(g.members.len() as u64)
                        );
                        if g.accepting > 0 {
                            let _ = write!(
                                body,
                                ", dont {} de nouveaux patients",
                                count(g.accepting, "accepte", "acceptent")
                            );
                        }
                        let _ = write!(body, " · page {page}</span></li>");
                    }
                    body.push_str("</ul>\n");
                }
            }
            body.push_str("<h2 id=\"tous\">Tous les professionnels et structures</h2>\n");
            if rows.is_empty() {
                body.push_str("<p>Aucun membre publié n’exerce dans cette commune.</p>\n");
            }
            body.push_str(&self.pager("pager_position", pagination.as_ref())?);
            for (g, r, suite) in paging::parts(groups.iter().map(|g| g.members.len()), &range) {
                let group = &groups[g];
                let (key, label) = kind_of(group);
                if suite {
                    let _ = write!(body, "<h3>{} (suite)", esc(label));
                } else {
                    let _ = write!(body, "<h3 id=\"groupe-{}\">{}", esc(key), esc(label));
                }
                let _ =
                    write!(body, " <span class=\"count\">({})</span></h3>\n<ul class=\"rows\">", group.members.len());
                for &m in &group.members[r] {
                    member_row(&mut body, &idx.m[m]);
                }
                body.push_str("</ul>\n");
            }
            body.push_str(&self.pager("pager", pagination.as_ref())?);
            let mut crumbs =
                vec![("Accueil", home.clone()), ("Annuaire", self.link("annuaire/")), (dep_name, self.link(folder))];
            if n > 1 {
                crumbs.push((list_title.as_str(), self.urls.link(&first)));
            }
            let title = Pagination::title(pagination.as_ref(), &list_title);
            self.page(route.path().trim_start_matches('/'), &title, &crumbs, &body, &[]);
        }
        Ok(())
    }

    /// A CPTS's page: its communes, each with its count.
    fn territory(&mut self, s: &CptsSummary, deps: &BTreeSet<String>, figures: &BTreeMap<String, DepartementFigures>) {
        let home = self.link("");
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<p class=\"lead\">{}</p>\n<p><a href=\"{}\">Le site de la CPTS</a></p>\n<h2>Ses communes</h2>\n<ul class=\"rows\">",
            esc(&typo(&s.description)),
            esc(&s.home)
        );
        let mut seen = BTreeSet::new();
        for c in &s.communes {
            let dep = departement_of(&c.insee);
            let Some(f) = figures.get(dep).filter(|_| deps.contains(dep)) else { continue };
            let Some((page, nom)) = f.commune_pages.get(&c.insee) else { continue };
            if !seen.insert(c.insee.as_str()) {
                continue;
            }
            commune_row(&mut body, page, nom, f.by_commune.get(&c.insee).copied().unwrap_or(0));
        }
        body.push_str("</ul>\n");
        let crumbs = [("Accueil", home), ("Annuaire", self.link("annuaire/"))];
        self.page(&format!("territoires/{}/", s.dossier), &s.nom, &crumbs, &body, &[]);
    }

    /// The pages across the whole region: home (the map of the territories and the list of
    /// CPTS), the directory's first page (the départements), prevention and its calendar.
    fn region_pages(
        &mut self,
        wide: &RegionWide,
        figures: &BTreeMap<String, DepartementFigures>,
        home_map: &mut Option<(u64, map::DrawnMap)>,
        today: Date,
    ) -> Result<(), Diagnostic> {
        let (region, sites) = (self.region, wide.sites);
        let home = self.link("");
        let nom = typo(&region.file.nom.value);
        let total_members = wide.members();
        let total_communes: usize = figures.values().map(|f| f.by_commune.len()).sum();

        let mut body = String::new();
        if let Some(d) = &region.file.description {
            let _ = writeln!(body, "<p class=\"lead\">{}</p>", esc(&typo(d)));
        }
        let _ = writeln!(
            body,
            "<p>{} et {} dans {}.</p>",
            count(sites.len(), "CPTS", "CPTS"),
            count(total_members, "professionnel ou structure de santé", "professionnels et structures de santé"),
            count(total_communes, "commune", "communes")
        );
        let _ = writeln!(
            body,
            "<p><a class=\"button\" href=\"{}\">Trouver un professionnel de santé</a> <a class=\"button\" href=\"{}\">Actions de prévention</a></p>",
            esc(&self.link("annuaire/")),
            esc(&self.link("prevention/"))
        );
        let map_items: Vec<map::MapCommune> = sites
            .iter()
            .map(|s| {
                let centres: Vec<[f64; 2]> = s.communes.iter().filter_map(|c| c.centre).collect();
                let n = centres.len() as f64;
                map::MapCommune {
                    insee: s.dossier.clone(),
                    nom: s.nom.clone(),
                    url: self.link(&format!("territoires/{}/", s.dossier)),
                    count: s.index.m.len(),
                    centre: (!centres.is_empty()).then(|| {
                        [centres.iter().map(|c| c[0]).sum::<f64>() / n, centres.iter().map(|c| c[1]).sum::<f64>() / n]
                    }),
                }
            })
            .collect();
        let title = format!("Carte des CPTS – {nom}");
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = crate::fingerprint::FastHasher::default();
            title.hash(&mut h);
            for (item, s) in map_items.iter().zip(sites) {
                (&item.insee, &item.nom, &item.url, item.count, s.outlines_key).hash(&mut h);
                item.centre.map(|[x, y]| (x.to_bits(), y.to_bits())).hash(&mut h);
            }
            h.finish()
        };
        let drawn = match home_map.take() {
            Some((k, drawn)) if k == key => drawn,
            _ => {
                let mut shapes: Outlines = HashMap::new();
                for s in sites {
                    let rings: Vec<Vec<[f64; 2]>> =
                        s.communes.iter().filter_map(|c| s.outlines.get(&c.insee)).flatten().cloned().collect();
                    if !rings.is_empty() {
                        shapes.insert(s.dossier.clone(), rings);
                    }
                }
                map::svg(&map_items, (!shapes.is_empty()).then_some(&shapes), None, &title)
            }
        };
        if !drawn.svg.is_empty() {
            let _ = write!(body, "<h2>Les territoires</h2>\n<figure class=\"map-figure\">{}", drawn.svg);
            if !drawn.legend.is_empty() {
                let _ =
                    write!(body, "<ol class=\"map-legend{}\">", if drawn.all_named { " map-legend-named" } else { "" });
                for e in &drawn.legend {
                    let _ = write!(
                        body,
                        "<li value=\"{}\"{}><a href=\"{}\">{}</a> ({})</li>",
                        e.numero,
                        if e.nommee { " class=\"map-named\"" } else { "" },
                        esc(&e.url),
                        esc(&e.nom),
                        e.nombre
                    );
                }
                body.push_str("</ol>");
            }
            body.push_str("<figcaption>Chaque CPTS et, entre parenthèses, le nombre de professionnels et de structures qui en sont membres.</figcaption></figure>\n");
        }
        *home_map = Some((key, drawn));
        body.push_str("<h2>Les CPTS</h2>\n<ul class=\"rows\">");
        for s in sites {
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> <span class=\"row-meta\">{} · {} · <a href=\"{}\">communes et professionnels</a></span></li>",
                esc(&s.home),
                esc(&typo(&s.nom)),
                esc(&typo(&s.description)),
                count(s.index.m.len(), "membre", "membres"),
                esc(&self.link(&format!("territoires/{}/", s.dossier)))
            );
        }
        body.push_str("</ul>\n");
        self.page("", &region.file.nom.value, &[], &body, &[]);

        // The directory's first page: the départements, then the CPTS.
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<p class=\"lead\">{} membres des CPTS de la région. Choisissez un département, puis une commune pour voir qui y exerce, et qui accepte de nouveaux patients.</p>\n<h2>Par département</h2>\n<ul class=\"rows\">",
            count(total_members, "professionnel ou structure de santé", "professionnels et structures de santé")
        );
        for (code, f) in figures {
            let _ = write!(
                body,
                "<li><a href=\"{}\">{} ({})</a> <span class=\"row-meta\">{}, {}</span></li>",
                esc(&self.link(&departement_route(code))),
                esc(&departement_name(code)),
                esc(code),
                count(f.by_commune.len(), "commune", "communes"),
                count(f.members, "professionnel ou structure", "professionnels et structures")
            );
        }
        body.push_str("</ul>\n<h2>Par CPTS</h2>\n<ul class=\"rows\">");
        for s in sites {
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> <span class=\"row-meta\">{}, {}</span></li>",
                esc(&self.link(&format!("territoires/{}/", s.dossier))),
                esc(&typo(&s.nom)),
                count(s.communes.len(), "commune", "communes"),
                count(s.index.m.len(), "membre", "membres")
            );
        }
        body.push_str("</ul>\n");
        self.page("annuaire/", "Annuaire des CPTS", &[("Accueil", home.clone())], &body, &[]);

        // Prevention: every CPTS's coming sessions, in date order, and one calendar.
        let mut sessions: Vec<(&PortalSession, &CptsSummary)> =
            sites.iter().flat_map(|s| s.sessions.iter().map(move |x| (x, s))).collect();
        sessions.sort_by(|a, b| (&a.0.date_iso, &a.0.titre).cmp(&(&b.0.date_iso, &b.0.titre)));
        // A long list in pages, as the commune pages: page 1 at `prevention/`.
        let first = Route::Static("prevention/".into());
        let ranges = paging::ranges(sessions.len());
        let pages = ranges.len();
        for (i, range) in ranges.into_iter().enumerate() {
            let n = i + 1;
            let pagination = Pagination::of(self.urls, &first, n, pages, &range, sessions.len());
            let mut body = String::new();
            let _ = writeln!(
                body,
                "<p class=\"lead\">Les prochaines actions de prévention des CPTS de la région, à partir du {}.</p>\n<p><a href=\"{}\">Ajouter le calendrier à votre agenda (fichier .ics)</a></p>",
                esc(&crate::render::text::date_long(today)),
                esc(&self.link("agenda.ics"))
            );
            if sessions.is_empty() {
                body.push_str("<p>Aucune séance à venir pour le moment.</p>\n");
            } else {
                body.push_str("<ul class=\"rows\">");
                for (s, cpts) in &sessions[range] {
                    let _ = write!(
                        body,
                        "<li><a href=\"{}\">{}</a> <span class=\"row-meta\"><time datetime=\"{}\">{}</time>{} · {} · {}</span></li>",
                        esc(&s.url),
                        esc(&s.titre),
                        esc(&s.date_iso),
                        esc(&s.date),
                        s.heures.as_deref().map(|h| format!(", {}", esc(h))).unwrap_or_default(),
                        esc(&s.lieu),
                        esc(&typo(&cpts.nom))
                    );
                }
                body.push_str("</ul>\n");
            }
            body.push_str(&self.pager("pager", pagination.as_ref())?);
            let mut crumbs = vec![("Accueil", home.clone())];
            if n > 1 {
                crumbs.push(("Prévention", self.urls.link(&first)));
            }
            let title = Pagination::title(pagination.as_ref(), "Prévention");
            self.page(first.clone().paged(n).path().trim_start_matches('/'), &title, &crumbs, &body, &[]);
        }
        let calendars: Vec<&str> = sites.iter().map(|s| s.agenda.as_str()).collect();
        let agenda = ics::merged(&format!("Prévention – {}", region.file.nom.value), &calendars);
        self.out.push(OutputFile { path: "agenda.ics".into(), bytes: agenda.into_bytes() });
        let robots =
            format!("User-agent: *\nAllow: /\nSitemap: {}\n", self.urls.absolute(&Route::Static("sitemap.xml".into())));
        self.out.push(OutputFile { path: "robots.txt".into(), bytes: robots.into_bytes() });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(names: &[String]) -> Vec<CommuneRow<'_>> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| CommuneRow { url: format!("/communes/{i}/"), nom: n, members: i })
            .collect()
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_short_list_of_communes_is_one_list() {
        let html = communes_list(&rows(&names(&["Le Luc", "Vidauban"])));
        assert_eq!(html.matches("<ul class=\"rows\">").count(), 1, "{html}");
        assert!(!html.contains("initiale"), "{html}");
        assert!(html.contains(
            "<li><a href=\"/communes/1/\">Vidauban</a> <span class=\"row-meta\">1\u{a0}professionnel</span></li>"
        ));
    }

    #[test]
    fn a_long_list_of_communes_is_cut_by_initial_under_an_index_of_initials() {
        // Sorted as the portal sorts them, by folded name: « Écully » among the E, « L’Isle » among the L.
        let mut names =
            names(&["Aups", "Bargemon", "Écully", "Entrecasteaux", "L’Isle-sur-la-Sorgue", "Le Luc", "Vidauban"]);
        names.extend((0..INITIALS_FROM).map(|i| format!("Saint-Commune {i:02}")));
        names.sort_by_cached_key(|n| fold(n));
        let html = communes_list(&rows(&names));
        // The index: each initial once, in order, each a link to its heading.
        let (index, lists) = html.split_once("</nav>").unwrap();
        let letters: Vec<&str> = index.split("#initiale-").skip(1).map(|s| &s[..1]).collect();
        assert_eq!(letters, ["a", "b", "e", "l", "s", "v"], "{index}");
        assert!(index.contains("<a href=\"#initiale-e\"><span class=\"sr-only\">Communes commençant par </span>E</a>"));
        for l in &letters {
            assert_eq!(lists.matches(&format!("<h3 id=\"initiale-{l}\">")).count(), 1, "{lists}");
        }
        // Every commune once, under its initial.
        for n in &names {
            assert_eq!(lists.matches(&format!(">{n}</a>")).count(), 1, "{n}");
        }
        let e = lists.split("<h3 id=\"initiale-e\">").nth(1).unwrap().split("<h3").next().unwrap();
        assert!(e.contains(">Écully</a>") && e.contains(">Entrecasteaux</a>") && !e.contains("Le Luc"), "{e}");
        let l = lists.split("<h3 id=\"initiale-l\">").nth(1).unwrap().split("<h3").next().unwrap();
        assert!(l.contains(">L’Isle-sur-la-Sorgue</a>") && l.contains(">Le Luc</a>"), "{l}");
        assert_eq!(lists.matches("<ul class=\"rows\">").count(), letters.len());
    }
}
