//! The region's portal: what the region's CPTS publish, across them. The home page (the map of
//! the CPTS territories, the list of CPTS), `/annuaire/` (the directory across every CPTS: the
//! same index format and script as a site's directory, so it filters by commune, profession and
//! « accepte de nouveaux patients » whatever the CPTS), a page per CPTS listing its communes, a
//! page per commune listing its professionals (those accepting new patients first: the path
//! without JavaScript), and `/prevention/` with `/agenda.ics`, every CPTS's coming sessions.
//!
//! Pages are written here, with the default theme's style sheet and scripts; every link to a
//! CPTS's page comes from that site's own [`Urls`] and index.

use crate::diagnostic::Diagnostic;
use crate::domain::geo::{self, Outlines};
use crate::domain::text::{fold, grouped, slugify};
use crate::model::region::Region;
use crate::model::{Site, vocab};
use crate::output::OutputFile;
use crate::render::escape::escape_html as esc;
use crate::render::search::{self, DirectoryIndex, MemberEntry, flags};
use crate::render::text::typo;
use crate::render::{ics, map, theme::Theme, views};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

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
}

impl CptsSummary {
    /// Reads a checked, published site. `own_host`: the site has its own address, so the portal
    /// links to it by absolute addresses.
    pub fn of(site: &Site, urls: &Urls, own_host: bool, dossier: &str, today: Date) -> CptsSummary {
        let link = |l: String| if own_host { urls.absolute_link(&l) } else { l };
        let mut index = search::directory_index(site, urls);
        index.base = link(index.base);
        let outlines: Outlines = site
            .communes_geojson
            .as_deref()
            .and_then(|g| geo::outlines(g, "content/communes.geojson").ok())
            .map(|all| all.into_iter().filter(|(insee, _)| site.commune(insee).is_some()).collect())
            .unwrap_or_default();
        let communes = site
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
        let cpts = &site.cpts.data;
        CptsSummary {
            dossier: dossier.to_string(),
            nom: cpts.nom.clone(),
            description: cpts.description.clone(),
            home: link(urls.link(&Route::Home)),
            communes,
            outlines,
            index,
            agenda: ics::agenda(site, urls, today),
            sessions,
        }
    }
}

/// A commune of the region: its page, and the CPTS whose territory holds it.
struct RegionCommune {
    insee: String,
    nom: String,
    slug: String,
    cpts: Vec<usize>,
}

/// The region's directory: the CPTS indexes merged into one of the same format.
struct Merged {
    index: DirectoryIndex,
    communes: Vec<RegionCommune>,
}

/// Page address of a commune of the region.
fn commune_route(slug: &str) -> String {
    format!("communes/{slug}/")
}

/// Merges the CPTS indexes: kinds by key, communes by INSEE code, languages by name; a member
/// shared by several CPTS (the same file of `commun/membres/`) is one entry, with the communes
/// of all, linking to the first CPTS's page.
fn merge(region: &Region, urls: &Urls, sites: &[CptsSummary]) -> Merged {
    let mut communes: Vec<RegionCommune> = Vec::new();
    let mut commune_pos: HashMap<String, usize> = HashMap::new();
    for (i, s) in sites.iter().enumerate() {
        for c in &s.communes {
            let at = *commune_pos.entry(c.insee.clone()).or_insert_with(|| {
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
    // Alphabetical order, the positions remapped.
    let mut order: Vec<usize> = (0..communes.len()).collect();
    order.sort_by_cached_key(|&i| (fold(&communes[i].nom), communes[i].insee.clone()));
    let mut new_pos = vec![0; communes.len()];
    for (n, &i) in order.iter().enumerate() {
        new_pos[i] = n;
    }
    let mut slots: Vec<Option<RegionCommune>> = communes.into_iter().map(Some).collect();
    let communes: Vec<RegionCommune> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let by_insee: HashMap<&str, usize> = communes.iter().enumerate().map(|(i, c)| (c.insee.as_str(), i)).collect();

    let vocab_order: Vec<&str> =
        vocab::PROFESSIONS.iter().map(|p| p.key).chain(vocab::STRUCTURES.iter().map(|s| s.key)).collect();
    let mut kinds: BTreeMap<(usize, String), (String, String, String, String)> = BTreeMap::new();
    let mut langues: BTreeSet<String> = BTreeSet::new();
    for s in sites {
        for k in &s.index.kinds {
            let rank = vocab_order.iter().position(|v| *v == k.0).unwrap_or(usize::MAX);
            kinds
                .entry((rank, k.0.clone()))
                .or_insert_with(|| (k.0.clone(), k.1.clone(), urls.link(&Route::Directory), k.3.clone()));
        }
        langues.extend(s.index.langues.iter().cloned());
    }
    let kinds: Vec<_> = kinds.into_values().collect();
    let kind_pos: HashMap<&str, usize> = kinds.iter().enumerate().map(|(i, k)| (k.0.as_str(), i)).collect();
    let mut langues: Vec<String> = langues.into_iter().collect();
    langues.sort_by_key(|l| fold(l));
    let langue_pos: HashMap<&str, usize> = langues.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();

    let shared: Vec<BTreeSet<&str>> =
        region.file.cpts.iter().map(|c| c.membres_communs.iter().map(|m| m.value.as_str()).collect()).collect();
    let mut first_shared: HashMap<String, usize> = HashMap::new();
    let mut m: Vec<MemberEntry> = Vec::new();
    for (i, s) in sites.iter().enumerate() {
        let own_communes: Vec<Option<usize>> =
            s.communes.iter().map(|c| by_insee.get(c.insee.as_str()).copied()).collect();
        let shared_here = shared.get(i);
        for e in &s.index.m {
            let remap = |positions: &[usize]| -> Vec<usize> {
                positions.iter().filter_map(|&p| own_communes.get(p).copied().flatten()).collect()
            };
            let mut cs = remap(&e.3);
            if shared_here.is_some_and(|set| set.contains(e.1.as_str()))
                && let Some(&at) = first_shared.get(&e.1)
            {
                let entry: &mut MemberEntry = &mut m[at];
                // A fact one CPTS's freshness rules withhold is not asserted across them.
                entry.4 &= e.4;
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
            // The page is `base` + slug + `/`: the portal's base is empty, each slug the page's
            // address without its last slash.
            let page = format!("{}{}", s.index.base, e.1);
            if shared_here.is_some_and(|set| set.contains(e.1.as_str())) {
                first_shared.insert(e.1.clone(), m.len());
            }
            m.push((e.0.clone(), page, kind, cs, e.4, ls, e.6.clone(), e.7.clone(), e.8.clone()));
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

/// The pieces of the portal's pages.
struct Pages<'a> {
    region: &'a Region,
    urls: &'a Urls,
    css: String,
    out: Vec<OutputFile>,
}

impl Pages<'_> {
    fn link(&self, path: &str) -> String {
        self.urls.link(&Route::Static(path.to_string()))
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
        let here = self.link(path);
        for (label, url) in &nav {
            let current = if *url == here { " aria-current=\"page\"" } else { "" };
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
        let file = if path.is_empty() { "index.html".to_string() } else { format!("{path}index.html") };
        self.out.push(OutputFile { path: file, bytes: h.into_bytes() });
    }
}

/// Number of items, digits grouped, with the French plural (0 and 1 singular).
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{}\u{a0}{}", grouped(n as u64), if n <= 1 { one } else { many })
}

/// One member in a list: its page, then its detail and phone, and « nouveaux patients ».
fn member_row(h: &mut String, e: &MemberEntry) {
    let _ = write!(h, "<li><a href=\"{}/\">{}</a> <span class=\"row-meta\">", esc(&e.1), esc(&e.0));
    // The kind is the list's heading; the detail (a specialty) says more.
    let mut parts: Vec<String> = Vec::new();
    if !e.6.is_empty() {
        parts.push(esc(&e.6));
    }
    h.push_str(&parts.join(" · "));
    if !e.7.is_empty() {
        let digits: String = e.7.chars().filter(char::is_ascii_digit).collect();
        let tel = match digits.strip_prefix('0') {
            Some(rest) if digits.len() == 10 => format!("+33{rest}"),
            _ => digits,
        };
        let _ = write!(h, " · <a href=\"tel:{tel}\">{}</a>", esc(&e.7));
    }
    if e.4 & flags::NEW_PATIENTS != 0 {
        h.push_str(" · <span class=\"ok\">nouveaux patients</span>");
    }
    h.push_str("</span></li>");
}

/// Renders the portal: every page and file, ready for the output.
pub fn render(region: &Region, urls: &Urls, sites: &[CptsSummary], today: Date) -> Result<Vec<OutputFile>, Diagnostic> {
    let theme = Theme::load(&region.root, None)
        .map_err(|mut d| d.pop().unwrap_or_else(|| Diagnostic::error("M070", "commun", 0, 0, "thème illisible")))?;
    let css_hash = crate::fingerprint::of_bytes(theme.statics.get("style.css").map_or(&[][..], |c| c.as_slice()));
    let css = format!("{}?v={:x}", urls.link(&Route::Static("style.css".into())), css_hash & 0xffff_ffff);
    let mut p = Pages { region, urls, css, out: Vec::new() };
    for name in ["style.css", "favicon.svg", "texte.js", "annuaire.js"] {
        if let Some(bytes) = theme.statics.get(name) {
            p.out.push(OutputFile { path: name.to_string(), bytes: bytes.clone() });
        }
    }
    let merged = merge(region, urls, sites);
    let idx = &merged.index;
    let home = p.link("");
    let nom = typo(&region.file.nom.value);

    // Members by commune (positions in the region's table).
    let mut by_commune: Vec<Vec<usize>> = vec![Vec::new(); merged.communes.len()];
    for (i, e) in idx.m.iter().enumerate() {
        for &c in &e.3 {
            if let Some(list) = by_commune.get_mut(c) {
                list.push(i);
            }
        }
    }

    // Home: the map of the territories and the list of CPTS.
    let mut body = String::new();
    if let Some(d) = &region.file.description {
        let _ = writeln!(body, "<p class=\"lead\">{}</p>", esc(&typo(d)));
    }
    let total_members = idx.m.len();
    let _ = writeln!(
        body,
        "<p>{} et {} dans {}.</p>",
        count(sites.len(), "CPTS", "CPTS"),
        count(total_members, "professionnel ou structure de santé", "professionnels et structures de santé"),
        count(merged.communes.len(), "commune", "communes")
    );
    let _ = writeln!(
        body,
        "<p><a class=\"button\" href=\"{}\">Trouver un professionnel de santé</a> <a class=\"button\" href=\"{}\">Actions de prévention</a></p>",
        esc(&p.link("annuaire/")),
        esc(&p.link("prevention/"))
    );
    let mut shapes: Outlines = HashMap::new();
    let mut map_items = Vec::new();
    for s in sites {
        let rings: Vec<Vec<[f64; 2]>> =
            s.communes.iter().filter_map(|c| s.outlines.get(&c.insee)).flatten().cloned().collect();
        let centres: Vec<[f64; 2]> = s.communes.iter().filter_map(|c| c.centre).collect();
        let centre = if centres.is_empty() {
            None
        } else {
            let n = centres.len() as f64;
            Some([centres.iter().map(|c| c[0]).sum::<f64>() / n, centres.iter().map(|c| c[1]).sum::<f64>() / n])
        };
        if !rings.is_empty() {
            shapes.insert(s.dossier.clone(), rings);
        }
        map_items.push(map::MapCommune {
            insee: s.dossier.clone(),
            nom: s.nom.clone(),
            url: p.link(&format!("territoires/{}/", s.dossier)),
            count: s.index.m.len(),
            centre,
        });
    }
    let drawn = map::svg(&map_items, (!shapes.is_empty()).then_some(&shapes), None, &format!("Carte des CPTS – {nom}"));
    if !drawn.svg.is_empty() {
        let _ = write!(body, "<h2>Les territoires</h2>\n<figure class=\"map-figure\">{}", drawn.svg);
        if !drawn.legend.is_empty() {
            let _ = write!(body, "<ol class=\"map-legend{}\">", if drawn.all_named { " map-legend-named" } else { "" });
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
    body.push_str("<h2>Les CPTS</h2>\n<ul class=\"rows\">");
    for s in sites {
        let _ = write!(
            body,
            "<li><a href=\"{}\">{}</a> <span class=\"row-meta\">{} · {} · <a href=\"{}\">communes et professionnels</a></span></li>",
            esc(&s.home),
            esc(&typo(&s.nom)),
            esc(&typo(&s.description)),
            count(s.index.m.len(), "membre", "membres"),
            esc(&p.link(&format!("territoires/{}/", s.dossier)))
        );
    }
    body.push_str("</ul>\n");
    p.page("", &region.file.nom.value, &[], &body, &[]);

    // The directory: the site's form and script over the merged index; without script, the
    // CPTS and their communes.
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<p class=\"lead\">{} membres des CPTS de la région. Choisissez une commune pour voir qui y exerce, et qui accepte de nouveaux patients.</p>",
        count(total_members, "professionnel ou structure de santé", "professionnels et structures de santé")
    );
    let _ = write!(
        body,
        "<form id=\"filtre-annuaire\" class=\"filter-form dir-filters\" role=\"search\" aria-label=\"Filtrer l’annuaire\" data-index=\"{}\" hidden>\n<div class=\"field field-wide\"><label for=\"f-texte\">Nom, spécialité ou lieu</label><input id=\"f-texte\" name=\"q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\"></div>\n<div class=\"field\"><label for=\"f-profession\">Profession</label><select id=\"f-profession\" name=\"profession\"><option value=\"\">Toutes les professions</option>",
        esc(&p.link("annuaire/index.json"))
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
    body.push_str("</select></div>\n<div class=\"field\"><label for=\"f-commune\">Commune</label><select id=\"f-commune\" name=\"commune\"><option value=\"\">Toutes les communes</option>");
    for (c, list) in idx.communes.iter().zip(&by_commune) {
        let _ = write!(body, "<option value=\"{}\">{} ({})</option>", esc(&c.0), esc(&c.1), list.len());
    }
    body.push_str("</select></div>\n");
    if !idx.langues.is_empty() {
        body.push_str("<div class=\"field\"><label for=\"f-langue\">Langue parlée</label><select id=\"f-langue\" name=\"langue\"><option value=\"\">Toutes les langues</option>");
        for l in &idx.langues {
            let _ = write!(body, "<option value=\"{0}\">{0}</option>", esc(l));
        }
        body.push_str("</select></div>\n");
    }
    body.push_str("<fieldset class=\"field checks\"><legend>Seulement</legend><label><input type=\"checkbox\" name=\"nouveaux\" value=\"1\"> accepte de nouveaux patients</label> <label><input type=\"checkbox\" name=\"snp\" value=\"2\"> soins non programmés</label> <label><input type=\"checkbox\" name=\"teleconsultation\" value=\"4\"> téléconsultation</label> <label><input type=\"checkbox\" name=\"pmr\" value=\"8\"> accès en fauteuil roulant</label></fieldset>\n</form>\n<p id=\"annuaire-resultat\" class=\"filter-count\" aria-live=\"polite\"></p>\n<div id=\"annuaire-resultats\"></div>\n<div id=\"annuaire-statique\">\n<h2>Par CPTS</h2>\n<ul class=\"rows\">");
    for s in sites {
        let _ = write!(
            body,
            "<li><a href=\"{}\">{}</a> <span class=\"row-meta\">{}, {}</span></li>",
            esc(&p.link(&format!("territoires/{}/", s.dossier))),
            esc(&typo(&s.nom)),
            count(s.communes.len(), "commune", "communes"),
            count(s.index.m.len(), "membre", "membres")
        );
    }
    body.push_str("</ul>\n</div>\n");
    p.page("annuaire/", "Annuaire des CPTS", &[("Accueil", home.clone())], &body, &["texte.js", "annuaire.js"]);
    let json =
        serde_json::to_vec(idx).map_err(|e| Diagnostic::error("M004", "annuaire/index.json", 0, 0, e.to_string()))?;
    p.out.push(OutputFile { path: "annuaire/index.json".into(), bytes: json });

    // A page per CPTS: its communes, each with its count.
    let pos_of: HashMap<&str, usize> = merged.communes.iter().enumerate().map(|(i, c)| (c.insee.as_str(), i)).collect();
    for s in sites {
        let mut body = String::new();
        let _ = writeln!(
            body,
            "<p class=\"lead\">{}</p>\n<p><a href=\"{}\">Le site de la CPTS</a></p>\n<h2>Ses communes</h2>\n<ul class=\"rows\">",
            esc(&typo(&s.description)),
            esc(&s.home)
        );
        for c in &s.communes {
            let Some(&at) = pos_of.get(c.insee.as_str()) else { continue };
            let rc = &merged.communes[at];
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> <span class=\"row-meta\">{}</span></li>",
                esc(&p.link(&commune_route(&rc.slug))),
                esc(&rc.nom),
                count(by_commune[at].len(), "professionnel", "professionnels")
            );
        }
        body.push_str("</ul>\n");
        let crumbs = [("Accueil", home.clone()), ("Annuaire", p.link("annuaire/"))];
        p.page(&format!("territoires/{}/", s.dossier), &s.nom, &crumbs, &body, &[]);
    }

    // A page per commune: general practitioners accepting new patients first, then everyone.
    let gp = idx.kinds.iter().position(|k| k.0 == "medecin-generaliste");
    for (at, c) in merged.communes.iter().enumerate() {
        let members = &by_commune[at];
        let mut body = String::new();
        let cpts_links: Vec<String> = c
            .cpts
            .iter()
            .filter_map(|&i| sites.get(i))
            .map(|s| format!("<a href=\"{}\">{}</a>", esc(&s.home), esc(&typo(&s.nom))))
            .collect();
        let _ = writeln!(
            body,
            "<p class=\"lead\">{} à {}, membres de {}.</p>",
            count(members.len(), "professionnel ou structure de santé", "professionnels et structures de santé"),
            esc(&c.nom),
            cpts_links.join(" et de ")
        );
        let accepting: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| Some(idx.m[i].2) == gp && idx.m[i].4 & flags::NEW_PATIENTS != 0)
            .collect();
        body.push_str("<h2 id=\"medecin-traitant\">Médecins généralistes qui acceptent de nouveaux patients</h2>\n");
        if accepting.is_empty() {
            body.push_str("<p>Aucun médecin généraliste de la commune n’indique accepter de nouveaux patients. Les CPTS aident à trouver un médecin traitant&nbsp;: voyez la page «&nbsp;Se soigner&nbsp;» du site de la CPTS, ou les communes voisines.</p>\n");
        } else {
            body.push_str("<ul class=\"rows\">");
            for &i in &accepting {
                member_row(&mut body, &idx.m[i]);
            }
            body.push_str("</ul>\n");
        }
        body.push_str("<h2 id=\"tous\">Tous les professionnels et structures</h2>\n");
        if members.is_empty() {
            body.push_str("<p>Aucun membre publié n’exerce dans cette commune.</p>\n");
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in members {
            groups.entry(idx.m[i].2).or_default().push(i);
        }
        for (k, list) in groups {
            let label = idx.kinds.get(k).map_or("Autres", |k| k.1.as_str());
            let _ = write!(
                body,
                "<h3>{} <span class=\"count\">({})</span></h3>\n<ul class=\"rows\">",
                esc(label),
                list.len()
            );
            for i in list {
                member_row(&mut body, &idx.m[i]);
            }
            body.push_str("</ul>\n");
        }
        let mut crumbs = vec![("Accueil", home.clone()), ("Annuaire", p.link("annuaire/"))];
        if let Some(s) = c.cpts.first().and_then(|&i| sites.get(i)) {
            crumbs.push((s.nom.as_str(), p.link(&format!("territoires/{}/", s.dossier))));
        }
        p.page(&commune_route(&c.slug), &format!("Professionnels de santé à {}", c.nom), &crumbs, &body, &[]);
    }

    // Prevention: every CPTS's coming sessions, in date order, and one calendar.
    let mut sessions: Vec<(&PortalSession, &CptsSummary)> =
        sites.iter().flat_map(|s| s.sessions.iter().map(move |x| (x, s))).collect();
    sessions.sort_by(|a, b| (&a.0.date_iso, &a.0.titre).cmp(&(&b.0.date_iso, &b.0.titre)));
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<p class=\"lead\">Les prochaines actions de prévention des CPTS de la région, à partir du {}.</p>\n<p><a href=\"{}\">Ajouter le calendrier à votre agenda (fichier .ics)</a></p>",
        esc(&crate::render::text::date_long(today)),
        esc(&p.link("agenda.ics"))
    );
    if sessions.is_empty() {
        body.push_str("<p>Aucune séance à venir pour le moment.</p>\n");
    } else {
        body.push_str("<ul class=\"rows\">");
        for (s, cpts) in &sessions {
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
    p.page("prevention/", "Prévention", &[("Accueil", home.clone())], &body, &[]);
    let calendars: Vec<&str> = sites.iter().map(|s| s.agenda.as_str()).collect();
    let agenda = ics::merged(&format!("Prévention – {}", region.file.nom.value), &calendars);
    p.out.push(OutputFile { path: "agenda.ics".into(), bytes: agenda.into_bytes() });

    let robots = format!("User-agent: *\nAllow: /\nSitemap: {}\n", urls.absolute(&Route::Static("sitemap.xml".into())));
    p.out.push(OutputFile { path: "robots.txt".into(), bytes: robots.into_bytes() });
    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for f in p.out.iter().filter(|f| f.path.ends_with("index.html")) {
        let folder = f.path.trim_end_matches("index.html");
        let _ = writeln!(sitemap, "<url><loc>{}</loc></url>", esc(&urls.absolute(&Route::Static(folder.to_string()))));
    }
    sitemap.push_str("</urlset>\n");
    p.out.push(OutputFile { path: "sitemap.xml".into(), bytes: sitemap.into_bytes() });
    Ok(p.out)
}
