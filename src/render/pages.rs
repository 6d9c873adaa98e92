//! The page plan: every HTML page of the site, with its template and its context.

use super::markdown::to_html;
use super::text::{date_long, date_short, grouped, month_year, typo};
use super::views::{
    self, Link, action_card, commune, commune_slug, group_key, member_card, member_view, offer_card, seances,
};
use crate::fingerprint::FastHasher;
use crate::model::{Site, vocab};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use minijinja::{Value, context};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

/// One page to render.
pub struct Job<'a> {
    /// Where it goes.
    pub route: Route,
    /// Template name.
    pub template: &'static str,
    /// Template context (without the site-wide part).
    pub ctx: Ctx<'a>,
    /// Title of the page, with typography applied (for the site map).
    pub title: String,
    /// The content file it comes from, for error messages.
    pub source: Option<String>,
    /// Listed in sitemap.xml (archived offers are not).
    pub in_sitemap: bool,
}

/// A page's own template variables: `page` (a [`PageInfo`]) and `data`. [`PageCtx::with_site`]
/// adds the site-wide `site`.
#[derive(Debug, Clone, Hash)]
pub struct PageCtx {
    /// What every page knows about itself.
    pub page: Value,
    /// What the page's template shows.
    pub data: Value,
}

impl PageCtx {
    /// The whole context of the page's template. One map of three variables rather than a merge
    /// of the page's map and the site's: every variable a template reads is looked up in it.
    pub fn with_site(self, site: Value) -> Value {
        context! { page => self.page, data => self.data, site => site }
    }
}

/// A page's template context: built while planning, or only when the page is rendered.
pub enum Ctx<'a> {
    /// Built while planning; the page is known by the fingerprint of this context.
    Ready(PageCtx),
    /// Built by `build` when the page is rendered. `inputs` fingerprints everything `build` reads,
    /// so an unchanged page is recognised without building its context (member pages: thousands
    /// of them, each reading a handful of records).
    Deferred {
        /// Fingerprint of the records the context is built from.
        inputs: u64,
        /// Builds the context.
        build: Box<dyn Fn() -> PageCtx + Send + Sync + 'a>,
    },
}

impl Ctx<'_> {
    /// The context, building it if needed.
    pub fn value(&self) -> PageCtx {
        match self {
            Ctx::Ready(v) => v.clone(),
            Ctx::Deferred { build, .. } => build(),
        }
    }
}

/// What every page knows about itself.
#[derive(Debug, Serialize)]
pub struct PageInfo {
    /// `<title>` and `h1`.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Absolute canonical URL.
    pub canonical: String,
    /// Root-relative URL.
    pub url: String,
    /// Navigation section this page belongs to (highlights the menu).
    pub section: &'static str,
    /// Breadcrumbs from the home page, the current page excluded.
    pub breadcrumbs: Vec<Link>,
    /// JSON-LD blocks, already serialised for a `<script>` element (see [`super::jsonld`]).
    pub jsonld: Vec<String>,
    /// Asks search engines not to index the page (archived offers).
    pub noindex: bool,
    /// Scripts of the theme this page needs (root-relative URLs), loaded with `defer`.
    pub scripts: Vec<String>,
    /// The page's own image (an action's, a news item's…), for its social-network card.
    pub image: Option<views::ImageRef>,
}

/// What a page may add to the defaults of [`Planner::push`]: set before the push, consumed by it.
#[derive(Debug, Default)]
struct Extra {
    jsonld: Vec<String>,
    noindex: bool,
    scripts: Vec<String>,
    image: Option<views::ImageRef>,
}

struct Planner<'a> {
    site: &'a Site,
    urls: &'a Urls,
    today: Date,
    jobs: Vec<Job<'a>>,
    extra: Extra,
    /// Structures and actions naming each member, indexed once for all member pages (shared
    /// with their deferred contexts).
    links: Arc<views::Backlinks<'a>>,
    /// Every member's card, built once for all the lists.
    cards: &'a Cards,
}

impl<'a> Planner<'a> {
    /// A member's card, from [`Planner::cards`].
    fn card(&self, m: &crate::model::Member) -> views::MemberCard {
        self.cards.card(self.site, self.urls, m)
    }

    fn crumb(&self, label: &str, route: Route) -> Link {
        Link { label: label.to_string(), url: self.urls.link(&route) }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        route: Route,
        template: &'static str,
        title: &str,
        description: &str,
        section: &'static str,
        breadcrumbs: Vec<Link>,
        data: Value,
        source: Option<&str>,
    ) {
        let extra = std::mem::take(&mut self.extra);
        let in_sitemap = !extra.noindex;
        let ctx = page_context(self.urls, &route, title, description, section, breadcrumbs, extra, data);
        let (ctx, title, source) = (Ctx::Ready(ctx), typo(title), source.map(str::to_string));
        self.jobs.push(Job { route, template, ctx, title, source, in_sitemap });
    }

    /// Adds a page whose context `build` makes only when the page is rendered; `inputs`
    /// fingerprints everything `build` reads besides the site-wide context.
    fn push_deferred(
        &mut self,
        route: Route,
        template: &'static str,
        title: &str,
        inputs: u64,
        source: Option<&str>,
        build: impl Fn() -> PageCtx + Send + Sync + 'a,
    ) {
        let (ctx, title, source) =
            (Ctx::Deferred { inputs, build: Box::new(build) }, typo(title), source.map(str::to_string));
        self.jobs.push(Job { route, template, ctx, title, source, in_sitemap: true });
    }
}

/// A page's whole context (`page` and `data`): breadcrumbs start at the home page and are also
/// given as JSON-LD.
#[allow(clippy::too_many_arguments)]
fn page_context(
    urls: &Urls,
    route: &Route,
    title: &str,
    description: &str,
    section: &'static str,
    mut breadcrumbs: Vec<Link>,
    mut extra: Extra,
    data: Value,
) -> PageCtx {
    if *route != Route::Home {
        breadcrumbs.insert(0, Link { label: "Accueil".to_string(), url: urls.link(&Route::Home) });
    }
    let (title, canonical) = (typo(title), urls.absolute(route));
    if !breadcrumbs.is_empty() {
        let trail = super::jsonld::breadcrumbs(urls, &breadcrumbs, &title, &canonical);
        extra.jsonld.push(super::jsonld::embed(&trail));
    }
    let page = PageInfo {
        jsonld: extra.jsonld,
        noindex: extra.noindex,
        scripts: extra.scripts,
        image: extra.image,
        title,
        description: typo(description),
        canonical,
        url: urls.link(route),
        section,
        breadcrumbs,
    };
    PageCtx { page: Value::from_serialize(&page), data }
}

/// A group of members of one profession or structure kind.
#[derive(Debug, Serialize)]
pub struct Group<'c> {
    /// Profession or structure key.
    pub key: String,
    /// Plural label.
    pub label: String,
    /// Directory page for the group.
    pub url: String,
    /// Members, sorted by name.
    pub members: Vec<&'c views::MemberCard>,
    /// Fingerprint of the records the group is made from.
    #[serde(skip)]
    pub inputs: u64,
}

/// Every member's card and sorting name, in the order of `site.members`: built once (in
/// parallel) for all the lists of a plan, which borrow them.
pub struct Cards {
    cards: Vec<views::MemberCard>,
    sort_names: Vec<String>,
}

impl Cards {
    /// The cards of every member of `site`.
    pub fn new(site: &Site, urls: &Urls) -> Cards {
        let (cards, sort_names) =
            site.members.par_iter().map(|m| (member_card(site, urls, m), views::sort_name(m))).unzip();
        Cards { cards, sort_names }
    }

    /// The card of `m`: a copy of the one built for the site, or built now for a member that is
    /// not in it.
    pub fn card(&self, site: &Site, urls: &Urls, m: &crate::model::Member) -> views::MemberCard {
        match Cards::index(site, m) {
            Some(i) => self.cards[i].clone(),
            None => member_card(site, urls, m),
        }
    }

    /// Position of a member of the site (members are sorted by slug).
    fn index(site: &Site, m: &crate::model::Member) -> Option<usize> {
        site.members.binary_search_by(|x| x.slug.cmp(&m.slug)).ok()
    }
}

/// Groups members by profession then structure, in vocabulary order, each sorted by name.
fn groups<'c>(
    site: &Site,
    urls: &Urls,
    cards: &'c Cards,
    members: impl Iterator<Item = &'c crate::model::Member>,
) -> Vec<Group<'c>> {
    let mut index: Vec<usize> = members.filter_map(|m| Cards::index(site, m)).collect();
    index.sort_by(|&a, &b| cards.sort_names[a].cmp(&cards.sort_names[b]));
    let mut by_key: HashMap<&str, (Vec<&views::MemberCard>, FastHasher)> = HashMap::new();
    for i in index {
        let (list, inputs) = by_key.entry(group_key(&site.members[i])).or_default();
        list.push(&cards.cards[i]);
        // A card reads its member and cpts.yaml (commune names).
        inputs.write_u64(site.members[i].hash);
    }
    let labels =
        vocab::PROFESSIONS.iter().map(|p| (p.key, p.plural)).chain(vocab::STRUCTURES.iter().map(|s| (s.key, s.plural)));
    labels
        .filter_map(|(key, label)| {
            let (members, mut inputs) = by_key.remove(key)?;
            inputs.write_u64(site.cpts.hash);
            Some(Group {
                key: key.to_string(),
                label: label.to_string(),
                url: urls.link(&Route::Profession(key.to_string())),
                members,
                inputs: inputs.finish(),
            })
        })
        .collect()
}

/// Plans every HTML page of the site.
pub fn plan<'a>(site: &'a Site, urls: &'a Urls, today: Date, cards: &'a Cards) -> Vec<Job<'a>> {
    let links = Arc::new(views::Backlinks::new(site));
    let mut p = Planner { site, urls, today, jobs: Vec::new(), extra: Extra::default(), links, cards };
    home(&mut p);
    directory(&mut p);
    map_page(&mut p);
    care(&mut p);
    prevention(&mut p);
    offers(&mut p);
    installer(&mut p);
    internships(&mut p);
    about(&mut p);
    news(&mut p);
    contacts(&mut p);
    professionals(&mut p);
    themes(&mut p);
    free_pages(&mut p);
    legal(&mut p);
    site_map(&mut p);
    search_page(&mut p);
    p.jobs
}

fn upcoming_actions(p: &Planner) -> Vec<views::ActionCard> {
    let mut list: Vec<_> = p
        .site
        .actions
        .iter()
        .filter(|a| !views::is_past_action(a, p.today))
        .map(|a| action_card(p.site, p.urls, a, p.today))
        .collect();
    list.sort_by(|a, b| a.date_iso.cmp(&b.date_iso));
    list
}

fn open_offers(p: &Planner) -> Vec<views::OfferCard> {
    let mut list: Vec<_> = p
        .site
        .offers
        .iter()
        .filter(|o| !views::is_expired_offer(o, p.today))
        .map(|o| offer_card(p.site, p.urls, o))
        .collect();
    list.sort_by(|a, b| b.publiee_iso.cmp(&a.publiee_iso));
    list
}

/// Chooses the singular or plural form (French: 0 and 1 take the singular).
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n > 1 { many } else { one }
}

/// A key figure.
#[derive(Debug, Serialize)]
struct Figure {
    valeur: String,
    libelle: String,
}

fn key_figures(site: &Site) -> Vec<Figure> {
    let people = site.members.iter().filter(|m| m.data.profession.is_some()).count();
    let structures = site.members.len() - people;
    let professions =
        distinct(site.members.iter().filter_map(|m| m.data.profession.as_ref()).map(|p| p.value.as_str()));
    let mut out = vec![
        Figure { valeur: grouped(site.population()), libelle: "habitants sur le territoire".into() },
        Figure { valeur: site.communes().len().to_string(), libelle: "communes".into() },
        Figure {
            valeur: people.to_string(),
            libelle: format!(
                "{} de santé, {} {}",
                plural(people, "professionnel", "professionnels"),
                professions.len(),
                plural(professions.len(), "profession", "professions")
            ),
        },
        Figure {
            valeur: structures.to_string(),
            libelle: plural(structures, "structure ou établissement", "structures et établissements").into(),
        },
    ];
    out.extend(
        site.cpts.data.chiffres_cles.iter().map(|c| Figure { valeur: typo(&c.valeur), libelle: typo(&c.libelle) }),
    );
    out
}

fn urgent_numbers(site: &Site) -> Value {
    let cats: Vec<Value> = site
        .contacts
        .iter()
        .flat_map(|c| c.data.categories.iter())
        .filter(|c| c.urgent)
        .map(contact_category)
        .collect();
    Value::from(cats)
}

fn contact_category(c: &crate::model::directory::ContactCategory) -> Value {
    let numbers: Vec<Value> = c
        .numeros
        .iter()
        .map(|n| {
            context! {
                nom => typo(&n.nom),
                numero => views::phone_str(&n.numero.value).map(|p| Value::from_serialize(&p)),
                description => n.description.as_deref().map(typo),
                horaires => n.horaires.as_deref().map(typo),
                lien => n.lien.as_ref().map(|l| l.value.clone()),
            }
        })
        .collect();
    context! {
        nom => typo(&c.nom),
        id => crate::domain::text::slugify(&c.nom),
        urgent => c.urgent,
        description => c.description.as_deref().map(to_html),
        numeros => numbers,
    }
}

fn home(p: &mut Planner) {
    let site = p.site;
    let cpts = &site.cpts.data;
    let mut news: Vec<_> = site.news.iter().collect();
    news.sort_by_key(|n| std::cmp::Reverse(n.data.date.value));
    let news: Vec<Value> = news.iter().take(3).map(|n| news_card(p, n)).collect();
    let missions: Vec<Value> = cpts
        .missions
        .iter()
        .filter_map(|m| {
            vocab::mission(&m.mission.value).map(|v| context! { label => v.label, resume_html => to_html(&m.resume) })
        })
        .collect();
    let upcoming: Vec<_> = upcoming_actions(p).into_iter().take(3).collect();
    let offers: Vec<_> = open_offers(p).into_iter().take(3).collect();
    let data = context! {
        presentation_html => cpts.presentation.as_deref().map(to_html),
        chiffres => Value::from_serialize(key_figures(site)),
        actions => Value::from_serialize(&upcoming),
        offres => Value::from_serialize(&offers),
        actualites => news,
        urgences => urgent_numbers(site),
        missions => missions,
        thematiques => theme_links(p),
        nouveaux_patients => site
            .members
            .iter()
            .filter(|m| m.data.accepte_nouveaux_patients == Some(true) && m.data.profession.as_ref().is_some_and(|p| p.value == "medecin-generaliste"))
            .count(),
        soins_url => p.urls.link(&Route::Care),
    };
    let title = cpts.nom.clone();
    p.extra.jsonld.push(super::jsonld::embed(&super::jsonld::medical_organization(site, p.urls)));
    p.push(Route::Home, "index.html", &title, &cpts.description, "accueil", vec![], data, Some(&site.cpts.file));
}

fn news_card(p: &Planner, n: &crate::model::News) -> Value {
    context! {
        titre => typo(&n.data.titre),
        resume => typo(&n.data.resume),
        date => date_short(n.data.date.value),
        date_iso => n.data.date.value.to_string(),
        url => p.urls.link(&Route::News(n.slug.clone())),
        image => Value::from_serialize(views::image_ref(&n.data.image)),
    }
}

/// Up to this many members, `/annuaire/` and each list of `/soins/` show them all (about 330 bytes
/// each); past it, only the groups or a count, and the directory's script lists what the filters
/// select.
pub const DIRECTORY_ROWS_MAX: usize = 90;

fn directory(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let cards = p.cards;
    let all = groups(site, urls, cards, site.members.iter());
    // Members practising in each commune (once each, in site order), indexed once instead of
    // filtering every member for every commune.
    let mut by_commune: HashMap<&str, Vec<&crate::model::Member>> = HashMap::new();
    for m in &site.members {
        for l in &m.data.lieux {
            let list = by_commune.entry(l.commune.value.as_str()).or_default();
            if !list.last().is_some_and(|x| std::ptr::eq(*x, m)) {
                list.push(m);
            }
        }
    }
    let in_commune = |c: &crate::model::Commune| by_commune.get(c.insee.value.as_str()).map_or(&[][..], Vec::as_slice);
    let communes: Vec<views::CommuneView> =
        site.communes().iter().map(|c| commune(c, urls, in_commune(c).len())).collect();
    let professions: Vec<Value> = all
        .iter()
        .map(|g| context! { key => g.key.clone(), label => g.label.clone(), url => g.url.clone(), count => g.members.len() })
        .collect();
    let dir_crumb = p.crumb("Annuaire", Route::Directory);
    // Past a few dozen members the full list would not fit the page budget: /annuaire/ then shows
    // the groups with links, and annuaire.js lists the members the filters select.
    let listed = site.members.len() <= DIRECTORY_ROWS_MAX;
    let mut langues: Vec<String> = site
        .members
        .iter()
        .flat_map(|m| m.data.langues.iter())
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    langues.sort_by_key(|l| crate::domain::text::fold(l));
    langues.dedup();
    let filtres = context! {
        communes => communes.iter().zip(site.communes()).filter(|(v, _)| v.count > 0).map(|(v, c)| context! { key => commune_slug(c), label => v.nom.clone(), count => v.count }).collect::<Vec<_>>(),
        langues => langues,
        index_url => urls.link(&Route::DirectoryIndex),
    };
    p.extra.scripts.push(urls.link(&Route::Static("texte.js".into())));
    p.extra.scripts.push(urls.link(&Route::Static("annuaire.js".into())));
    let data = context! {
        groupes => if listed { Value::from_serialize(&all) } else { Value::from(()) },
        professions => professions.clone(),
        communes => Value::from_serialize(&communes),
        filtres => filtres,
        total => site.members.len(),
        carte_url => urls.link(&Route::Map),
    };
    p.push(
        Route::Directory,
        "directory.html",
        "Annuaire des professionnels de santé",
        &format!(
            "Les {} professionnels et structures de santé membres de la {}, par profession et par commune.",
            site.members.len(),
            site.cpts.data.nom
        ),
        "annuaire",
        vec![],
        data,
        None,
    );
    // List pages hold every card of a large site: like member pages, their contexts are built
    // only when rendered and known by the fingerprints of the records they list.
    let all_communes = Value::from_serialize(&communes);
    let shared = crate::fingerprint::of(&(
        site.cpts.hash,
        all.iter().map(|g| (&g.key, g.members.len())).collect::<Vec<_>>(),
        &communes,
    ));
    for g in all {
        let route = Route::Profession(g.key.clone());
        let (professions, communes, crumb) = (professions.clone(), all_communes.clone(), dir_crumb.clone());
        let inputs = crate::fingerprint::of(&(shared, g.inputs));
        let title = g.label.clone();
        p.push_deferred(route.clone(), "profession.html", &title.clone(), inputs, None, move || {
            let desc =
                format!("{title} membres de la {} : adresses, téléphones, prise de rendez-vous.", site.cpts.data.nom);
            let data = context! {
                groupe => Value::from_serialize(&g),
                professions => professions.clone(),
                communes => communes.clone(),
            };
            page_context(urls, &route, &title, &desc, "annuaire", vec![crumb.clone()], Extra::default(), data)
        });
    }
    let shapes = site.communes_geojson.as_deref().and_then(|g| crate::domain::geo::outlines(g, "").ok());
    let map_communes = super::map::communes(site, |c| urls.link(&Route::Commune(commune_slug(c))));
    // Upcoming actions by commune of their sessions, each card built once.
    let upcoming: Vec<(&crate::model::Action, views::ActionCard)> = site
        .actions
        .iter()
        .filter(|a| !views::is_past_action(a, p.today))
        .map(|a| (a, action_card(site, urls, a, p.today)))
        .collect();
    let mut actions_in: HashMap<&str, Vec<&views::ActionCard>> = HashMap::new();
    for (a, card) in &upcoming {
        for insee in distinct(a.data.seances.iter().map(|s| s.commune.value.as_str())) {
            actions_in.entry(insee).or_default().push(card);
        }
    }
    for (i, (c, view)) in site.communes().iter().zip(&communes).enumerate() {
        let near = neighbours(site.communes(), i);
        let everyone = near.len() + 1 == communes.len();
        let small_map = if everyone {
            let title = format!("Carte du territoire, {} mise en évidence", c.nom);
            super::map::svg(&map_communes, shapes.as_ref(), Some(&c.insee.value), &title)
        } else {
            // A large territory's map is drawn around the commune: its neighbours only.
            let on_map: Vec<_> = near.iter().chain([&i]).map(|&j| map_communes[j].clone()).collect();
            let title = format!("Carte de {} et des communes voisines", c.nom);
            super::map::svg(&on_map, shapes.as_ref(), Some(&c.insee.value), &title)
        };
        let here = groups(site, urls, cards, in_commune(c).iter().copied());
        let actions: Vec<views::ActionCard> =
            actions_in.get(c.insee.value.as_str()).into_iter().flatten().map(|a| (*a).clone()).collect();
        let autres: Vec<views::CommuneView> =
            if everyone { communes.clone() } else { near.iter().map(|&j| communes[j].clone()).collect() };
        let view = view.clone();
        let inputs = crate::fingerprint::of(&(
            site.cpts.hash,
            &view,
            here.iter().map(|g| g.inputs).collect::<Vec<_>>(),
            &actions,
            &autres,
            &small_map,
        ));
        let route = Route::Commune(commune_slug(c));
        let crumb = dir_crumb.clone();
        let title = format!("Professionnels de santé à {}", c.nom);
        p.push_deferred(route.clone(), "commune.html", &title.clone(), inputs, None, move || {
            let data = context! {
                commune => Value::from_serialize(&view),
                groupes => Value::from_serialize(&here),
                actions => Value::from_serialize(&actions),
                communes => Value::from_serialize(&autres),
                voisines => !everyone,
                carte_svg => small_map.clone(),
                carte_url => urls.link(&Route::Map),
            };
            let desc = format!(
                "Les professionnels et structures de santé de {} membres de la {}.",
                view.nom, site.cpts.data.nom
            );
            page_context(urls, &route, &title, &desc, "annuaire", vec![crumb.clone()], Extra::default(), data)
        });
    }
    // Member pages are the bulk of a large site: their contexts are built only when rendered, and
    // known by the fingerprints of what they read.
    for (i, m) in site.members.iter().enumerate() {
        let links = Arc::clone(&p.links);
        let (today, crumb) = (p.today, dir_crumb.clone());
        let inputs = links.member_inputs(site, m, today);
        let name = &cards.cards[i].name;
        p.push_deferred(Route::Member(m.slug.clone()), "member.html", name, inputs, Some(&m.file), move || {
            member_page(site, urls, m, today, &links, cards, crumb.clone())
        });
    }
}

/// Each key once, in sorted order: a member with two places in one commune, or an action with
/// two sessions there, counts there once.
fn distinct<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = keys.collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// How many neighbouring communes a commune page shows when the territory has more.
const NEIGHBOURS: usize = 12;

/// The other communes to show on the page of commune `i`: every other one in a small territory,
/// else its [`NEIGHBOURS`] nearest (by their centres), nearest first.
fn neighbours(communes: &[crate::model::Commune], i: usize) -> Vec<usize> {
    let mut others: Vec<usize> = (0..communes.len()).filter(|&j| j != i).collect();
    if others.len() <= NEIGHBOURS {
        return others;
    }
    let [lat, lon] = communes[i].centre.value;
    let scale = lat.to_radians().cos();
    let distance = |j: &usize| {
        let [la, lo] = communes[*j].centre.value;
        let (dx, dy) = ((lo - lon) * scale, la - lat);
        dx * dx + dy * dy
    };
    others.select_nth_unstable_by(NEIGHBOURS - 1, |a, b| distance(a).total_cmp(&distance(b)));
    others.truncate(NEIGHBOURS);
    others.sort_by(|a, b| distance(a).total_cmp(&distance(b)));
    others
}

/// A member page's context (see [`views::Backlinks::member_inputs`] for what it reads).
fn member_page(
    site: &Site,
    urls: &Urls,
    m: &crate::model::Member,
    today: Date,
    links: &views::Backlinks,
    cards: &Cards,
    dir_crumb: Link,
) -> PageCtx {
    let view = member_view(site, urls, m, today, links, &|x| cards.card(site, urls, x));
    let desc = format!(
        "{}{} à {} : adresse, téléphone, horaires.",
        view.card.kind,
        view.card.specialite.as_ref().map_or(String::new(), |s| format!(" ({s})")),
        view.card.communes.join(", ")
    );
    let key = group_key(m);
    let group_label =
        vocab::profession(key).map(|x| x.plural).or(vocab::structure(key).map(|x| x.plural)).unwrap_or("");
    let crumbs =
        vec![dir_crumb, Link { label: group_label.to_string(), url: urls.link(&Route::Profession(key.to_string())) }];
    let extra = Extra {
        jsonld: vec![super::jsonld::embed(&super::jsonld::member(site, urls, m))],
        image: view.image.clone(),
        ..Extra::default()
    };
    let title = view.card.name.clone();
    let route = Route::Member(m.slug.clone());
    page_context(urls, &route, &title, &desc, "annuaire", crumbs, extra, Value::from_serialize(&view))
}

fn map_page(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let shapes = site.communes_geojson.as_deref().and_then(|g| crate::domain::geo::outlines(g, "").ok());
    let list = super::map::communes(site, |c| urls.link(&Route::Commune(commune_slug(c))));
    let svg =
        super::map::svg(&list, shapes.as_ref(), None, "Carte des communes du territoire et nombre de professionnels");
    let rows: Vec<Value> = site
        .communes()
        .iter()
        .zip(&list)
        .map(|(c, m)| {
            let density = if c.population > 0 { m.count as f64 * 10_000.0 / c.population as f64 } else { 0.0 };
            context! {
                nom => c.nom.clone(),
                url => m.url.clone(),
                population => grouped(c.population),
                nombre => m.count,
                densite => format!("{density:.1}").replace('.', ","),
            }
        })
        .collect();
    let data = context! { carte_svg => svg, communes => rows, annuaire_url => urls.link(&Route::Directory) };
    p.push(
        Route::Map,
        "map.html",
        "Carte des professionnels du territoire",
        "Les communes du territoire et le nombre de professionnels de santé membres de la CPTS dans chacune.",
        "annuaire",
        vec![p.crumb("Annuaire", Route::Directory)],
        data,
        None,
    );
}

fn care(p: &mut Planner) {
    let site = p.site;
    // Each list of /soins/: its members up to DIRECTORY_ROWS_MAX, else only how many there are
    // and the directory's address with the matching filters (a territory of thousands of
    // members would otherwise make this page megabytes long).
    let list = |f: &dyn Fn(&crate::model::Member) -> bool, query: &str| -> Value {
        let mut list: Vec<_> = site.members.iter().filter(|m| f(m)).collect();
        let annuaire_url = format!("{}?{query}", p.urls.link(&Route::Directory));
        if list.len() > DIRECTORY_ROWS_MAX {
            return context! { nombre => grouped(list.len() as u64), annuaire_url => annuaire_url };
        }
        list.sort_by_cached_key(|m| views::sort_name(m));
        let cards: Vec<views::MemberCard> = list.into_iter().map(|m| p.card(m)).collect();
        context! { membres => Value::from_serialize(cards), annuaire_url => annuaire_url }
    };
    let gp = |m: &crate::model::Member| m.data.profession.as_ref().is_some_and(|x| x.value == "medecin-generaliste");
    let data = context! {
        medecins_nouveaux_patients => list(&|m| gp(m) && m.data.accepte_nouveaux_patients == Some(true), "profession=medecin-generaliste&nouveaux=1"),
        autres_nouveaux_patients => list(&|m| !gp(m) && m.data.accepte_nouveaux_patients == Some(true), "nouveaux=1"),
        soins_non_programmes => list(&|m| m.data.soins_non_programmes, "snp=2"),
        teleconsultation => list(&|m| m.data.teleconsultation, "teleconsultation=4"),
        urgences => urgent_numbers(site),
        contacts_url => p.urls.link(&Route::Contacts),
        courriel => site.cpts.data.contact.courriel.value.clone(),
    };
    p.push(
        Route::Care,
        "care.html",
        "Trouver un médecin traitant, un rendez-vous sans attendre, une téléconsultation",
        "Les professionnels qui acceptent de nouveaux patients, les soins non programmés et la télésanté sur le territoire.",
        "soins",
        vec![],
        data,
        None,
    );
}

fn prevention(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let upcoming = upcoming_actions(p);
    let mut past: Vec<_> = site.actions.iter().filter(|a| views::is_past_action(a, p.today)).collect();
    past.sort_by_key(|a| std::cmp::Reverse(views::action_end(a)));
    let past: Vec<_> = past.into_iter().map(|a| action_card(site, urls, a, p.today)).collect();
    // Calendar: upcoming sessions of every action, by month.
    let mut sessions: Vec<views::SeanceView> =
        site.actions.iter().flat_map(|a| seances(site, urls, a, p.today)).filter(|s| !s.passee).collect();
    sessions.sort_by(|a, b| a.date_iso.cmp(&b.date_iso));
    let mut months: Vec<(String, Vec<views::SeanceView>)> = Vec::new();
    for s in sessions {
        let label = s.date_iso.parse::<Date>().map(month_year).unwrap_or_default();
        match months.last_mut() {
            Some((l, list)) if *l == label => list.push(s),
            _ => months.push((label, vec![s])),
        }
    }
    let calendar: Vec<Value> = months.into_iter().map(|(mois, seances)| context! { mois => super::text::capitalize(&mois), seances => Value::from_serialize(&seances) }).collect();
    let prev_crumb = p.crumb("Prévention", Route::Prevention);
    let data = context! {
        actions => Value::from_serialize(&upcoming),
        calendrier => calendar,
        archives_url => urls.link(&Route::PreventionArchive),
        nb_archives => past.len(),
        agenda_url => urls.link(&Route::Agenda),
    };
    p.push(
        Route::Prevention,
        "prevention.html",
        "Prévention et dépistage",
        "Les actions de prévention de la CPTS : dépistages, vaccination, ateliers, près de chez vous.",
        "prevention",
        vec![],
        data,
        None,
    );
    let data = context! { actions => Value::from_serialize(&past) };
    p.push(
        Route::PreventionArchive,
        "prevention_archive.html",
        "Actions de prévention passées",
        "Les actions de prévention déjà menées par la CPTS.",
        "prevention",
        vec![prev_crumb.clone()],
        data,
        None,
    );
    for a in &site.actions {
        let d = &a.data;
        let card = action_card(site, urls, a, p.today);
        let documents: Vec<Value> = d
            .documents
            .iter()
            .filter_map(|s| site.documents.iter().find(|x| x.slug == s.value))
            .map(|doc| document_view(p, doc))
            .collect();
        let referents: Vec<_> = d.referents.iter().filter_map(|r| site.member(&r.value)).map(|m| p.card(m)).collect();
        let data = context! {
            action => Value::from_serialize(&card),
            public => d.public.as_deref().map(typo),
            chiffres => d.chiffres_cles.iter().map(|c| context! { valeur => typo(&c.valeur), libelle => typo(&c.libelle), source => c.source.as_deref().map(typo) }).collect::<Vec<_>>(),
            body_html => to_html(&a.body),
            seances => Value::from_serialize(seances(site, urls, a, p.today)),
            referents => Value::from_serialize(&referents),
            partenaires => d.partenaires.iter().map(|x| typo(x)).collect::<Vec<_>>(),
            documents => documents,
            passee => views::is_past_action(a, p.today),
            ics_url => urls.link(&Route::ActionCalendar(a.slug.clone())),
        };
        let crumbs = if views::is_past_action(a, p.today) {
            vec![prev_crumb.clone(), p.crumb("Archives", Route::PreventionArchive)]
        } else {
            vec![prev_crumb.clone()]
        };
        p.extra.jsonld.extend(super::jsonld::session_events(site, urls, a).iter().map(super::jsonld::embed));
        p.extra.image = views::image_ref(&d.image);
        p.push(
            Route::Action(a.slug.clone()),
            "action.html",
            &d.titre,
            &d.resume,
            "prevention",
            crumbs,
            data,
            Some(&a.file),
        );
    }
}

fn document_view(p: &Planner, doc: &crate::model::Document) -> Value {
    let file = &doc.data.fichier.value;
    let size = p.site.assets.iter().find(|a| a.is_document && a.within == *file).map_or(0, |a| a.bytes.len());
    let format = file.rsplit_once('.').map_or(String::new(), |(_, e)| e.to_uppercase());
    context! {
        titre => typo(&doc.data.titre),
        description => typo(&doc.data.description),
        url => p.urls.link(&Route::Document(file.clone())),
        format => format,
        taille => human_size(size),
        theme => doc.data.theme.as_deref().map(typo),
        public => doc.data.public.value.clone(),
    }
}

/// "245 Ko", "1,2 Mo".
fn human_size(bytes: usize) -> String {
    if bytes < 1024 * 1024 {
        format!("{}\u{a0}Ko", bytes.div_ceil(1024))
    } else {
        format!("{:.1}\u{a0}Mo", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    }
}

/// Past this many communes with open offers, the filter pages of `/offres/` link to the list of
/// communes instead of repeating it (it would make each page grow with the territory).
const OFFER_COMMUNES_LISTED: usize = 24;

/// Offer types in display order, with their plural labels for filter pages.
const OFFER_TYPES: &[(&str, &str)] = &[
    ("stage", "Stages"),
    ("installation", "Installation"),
    ("remplacement", "Remplacements"),
    ("collaboration", "Collaborations"),
    ("assistanat", "Assistanat"),
    ("salariat", "Postes salariés"),
];

/// A filter of the offers: a label, its static page, how many open offers it shows.
#[derive(Debug, Clone, Serialize)]
pub struct OfferFilter {
    /// Key (`stage`, `medecin-generaliste`, `le-luc`).
    pub key: String,
    /// Label.
    pub label: String,
    /// Static page of the filter.
    pub url: String,
    /// Open offers shown.
    pub count: usize,
}

/// The three families of filters of `/offres/`, with only the values that have open offers.
#[derive(Debug, Clone, Serialize)]
pub struct OfferFilters {
    /// By type.
    pub types: Vec<OfferFilter>,
    /// By profession.
    pub professions: Vec<OfferFilter>,
    /// By commune.
    pub communes: Vec<OfferFilter>,
}

impl OfferFilters {
    /// The commune filters by commune slug, for pages that look up many communes.
    fn communes_by_slug(&self) -> HashMap<&str, &OfferFilter> {
        self.communes.iter().map(|f| (f.key.as_str(), f)).collect()
    }
}

/// A family of filters: its name, its values, the route of a value's page.
type FilterFamily<'a> = (&'a str, &'a [OfferFilter], fn(String) -> Route);

fn offer_filters(p: &Planner, open: &[views::OfferCard]) -> OfferFilters {
    let types = OFFER_TYPES
        .iter()
        .map(|(k, label)| (k.to_string(), label.to_string(), open.iter().filter(|o| o.type_key == *k).count()))
        .filter(|(_, _, n)| *n > 0)
        .map(|(key, label, count)| OfferFilter {
            url: p.urls.link(&Route::OffersByType(key.clone())),
            key,
            label,
            count,
        })
        .collect();
    let professions = vocab::PROFESSIONS
        .iter()
        .map(|pr| (pr.key, pr.plural, open.iter().filter(|o| o.profession_key == pr.key).count()))
        .filter(|(_, _, n)| *n > 0)
        .map(|(key, label, count)| OfferFilter {
            url: p.urls.link(&Route::OffersByProfession(key.to_string())),
            key: key.to_string(),
            label: label.to_string(),
            count,
        })
        .collect();
    let mut offers_in: HashMap<&str, usize> = HashMap::new();
    for o in open {
        for slug in distinct(o.commune_slugs.iter().map(String::as_str)) {
            *offers_in.entry(slug).or_default() += 1;
        }
    }
    let communes = p
        .site
        .communes()
        .iter()
        .map(|c| {
            let slug = commune_slug(c);
            let n = offers_in.get(slug.as_str()).copied().unwrap_or(0);
            (slug, c.nom.clone(), n)
        })
        .filter(|(_, _, n)| *n > 0)
        .map(|(key, label, count)| OfferFilter {
            url: p.urls.link(&Route::OffersByCommune(key.clone())),
            key,
            label,
            count,
        })
        .collect();
    OfferFilters { types, professions, communes }
}

/// "zone d’intervention prioritaire (ZIP)" for `ZIP`.
fn zoning_label(code: &str) -> String {
    match code {
        "ZIP" => "zone d’intervention prioritaire (ZIP)".into(),
        "ZAC" => "zone d’action complémentaire (ZAC)".into(),
        _ => "hors zonage".into(),
    }
}

fn offers(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let open = open_offers(p);
    let mut expired: Vec<_> =
        site.offers.iter().filter(|o| views::is_expired_offer(o, p.today)).map(|o| offer_card(site, urls, o)).collect();
    expired.sort_by(|a, b| b.publiee_iso.cmp(&a.publiee_iso));
    let filters = offer_filters(p, &open);
    let offers_crumb = p.crumb("Offres", Route::Offers);
    let links = context! {
        archives_url => urls.link(&Route::OffersArchive),
        nb_archives => expired.len(),
        flux_url => urls.link(&Route::OffersFeed),
        installer_url => urls.link(&Route::Installer),
        stages_url => urls.link(&Route::Internships),
        offres_url => urls.link(&Route::Offers),
    };
    // Built once and shared (a MiniJinja value is reference-counted): a territory of thousands
    // of communes has thousands of filter pages. Those pages list every type and profession but,
    // past [`OFFER_COMMUNES_LISTED`], link to the commune list of /offres/ instead of repeating it.
    let filters_value = Value::from_serialize(&filters);
    let filters_on_filter_pages = if filters.communes.len() > OFFER_COMMUNES_LISTED {
        context! {
            types => Value::from_serialize(&filters.types),
            professions => Value::from_serialize(&filters.professions),
            communes => Vec::<Value>::new(),
            nb_communes => filters.communes.len(),
        }
    } else {
        filters_value.clone()
    };
    let data = context! {
        offres => Value::from_serialize(&open),
        filtres => filters_value,
        filtre => (),
        liens => links.clone(),
    };
    p.extra.scripts.push(urls.link(&Route::Static("offres.js".into())));
    p.push(
        Route::Offers,
        "offers.html",
        "Offres : stages, installation, remplacements",
        "Stages, installation, remplacements et postes pour les professionnels de santé sur le territoire de la CPTS.",
        "offres",
        vec![],
        data,
        None,
    );
    // One static page per filter value: the way to filter without JavaScript.
    let families: [FilterFamily; 3] = [
        ("type", &filters.types, Route::OffersByType),
        ("profession", &filters.professions, Route::OffersByProfession),
        ("commune", &filters.communes, Route::OffersByCommune),
    ];
    for (family, values, route) in families {
        for f in values {
            let shown: Vec<&views::OfferCard> = open
                .iter()
                .filter(|o| match family {
                    "type" => o.type_key == f.key,
                    "profession" => o.profession_key == f.key,
                    _ => o.commune_slugs.contains(&f.key),
                })
                .collect();
            let (title, description) = match family {
                "type" => (
                    format!("Offres : {}", f.label.to_lowercase()),
                    format!("{} ouverts sur le territoire de la {}.", f.label, site.cpts.data.nom),
                ),
                "profession" => (
                    format!("Offres pour les {}", f.label.to_lowercase()),
                    format!(
                        "Stages, installation, remplacements et postes pour les {} sur le territoire de la {}.",
                        f.label.to_lowercase(),
                        site.cpts.data.nom
                    ),
                ),
                _ => (
                    format!("Offres à {}", f.label),
                    format!("Stages, installation, remplacements et postes à {}.", f.label),
                ),
            };
            let data = context! {
                offres => Value::from_serialize(&shown),
                filtres => filters_on_filter_pages.clone(),
                filtre => context! { famille => family, label => f.label.clone(), count => f.count },
                liens => links.clone(),
            };
            p.push(
                route(f.key.clone()),
                "offers.html",
                &title,
                &description,
                "offres",
                vec![offers_crumb.clone()],
                data,
                None,
            );
        }
    }
    let data = context! { offres => Value::from_serialize(&expired), liens => links.clone() };
    p.push(
        Route::OffersArchive,
        "offers_archive.html",
        "Offres pourvues ou expirées",
        "Les offres de la CPTS qui ne sont plus ouvertes.",
        "offres",
        vec![offers_crumb.clone()],
        data,
        None,
    );
    let find = |list: &[OfferFilter], key: &str| list.iter().find(|f| f.key == key).map(|f| f.url.clone());
    let commune_filters = filters.communes_by_slug();
    for o in &site.offers {
        let d = &o.data;
        let card = offer_card(site, urls, o);
        let contact_member = d
            .contact
            .membre
            .as_ref()
            .and_then(|m| site.member(&m.value))
            .map(|m| views::member_view(site, urls, m, p.today, &p.links, &|x| p.card(x)));
        let supervisor = d.maitre_de_stage.as_ref().and_then(|m| site.member(&m.value)).map(|m| p.card(m));
        let expired = views::is_expired_offer(o, p.today);
        let body_html = to_html(&o.body);
        // Filter pages only exist while they list an open offer.
        let communes: Vec<Value> = d
            .communes
            .iter()
            .filter_map(|c| site.commune(&c.value))
            .map(|c| {
                let v = commune(c, urls, 0);
                context! {
                    nom => v.nom.clone(),
                    url => commune_filters.get(commune_slug(c).as_str()).map(|f| f.url.clone()),
                    zonage => (!v.zonage.is_empty()).then(|| zoning_label(&v.zonage)),
                }
            })
            .collect();
        let data = context! {
            offre => Value::from_serialize(&card),
            type_url => find(&filters.types, &d.kind.value),
            profession_url => find(&filters.professions, &d.profession.value),
            communes => communes,
            public => d.public.iter().map(|x| typo(x)).collect::<Vec<_>>(),
            debut => d.debut.as_ref().map(|x| date_long(x.value)),
            fin => d.fin.as_ref().map(|x| date_long(x.value)),
            duree => d.duree.as_deref().map(typo),
            maitre_de_stage => supervisor.map(|s| Value::from_serialize(&s)),
            logement => d.logement.as_ref().map(|l| context! { type => typo(&l.kind), prix => l.prix.as_deref().map(typo), description => l.description.as_deref().map(typo) }),
            aides => d.aides.iter().map(|x| typo(x)).collect::<Vec<_>>(),
            remuneration => d.remuneration.as_deref().map(typo),
            candidature_html => d.candidature.as_deref().map(to_html),
            contact => context! {
                nom => d.contact.nom.as_deref().map(typo),
                telephone => views::phone(&d.contact.telephone).map(|x| Value::from_serialize(&x)),
                courriel => d.contact.courriel.as_ref().map(|x| x.value.clone()),
                lien => d.contact.lien.as_ref().map(|x| x.value.clone()),
                membre => contact_member.map(|x| Value::from_serialize(&x)),
            },
            body_html => body_html.clone(),
            expiree => expired,
            valide_iso => d.valide_jusqu_au.value.to_string(),
            liens => links.clone(),
        };
        let crumbs = if expired {
            vec![offers_crumb.clone(), p.crumb("Archives", Route::OffersArchive)]
        } else {
            vec![offers_crumb.clone()]
        };
        if expired {
            // Archived: reachable from the archive page, but out of the sitemap, the feed and
            // search engines, and no longer advertised as a job.
            p.extra.noindex = true;
        } else {
            let description = format!("<p>{}</p>{body_html}", super::escape::xml_escape(&typo(&d.resume)));
            if let Some(posting) = super::jsonld::job_posting(site, urls, o, &description) {
                p.extra.jsonld.push(super::jsonld::embed(&posting));
            }
        }
        p.push(Route::Offer(o.slug.clone()), "offer.html", &d.titre, &d.resume, "offres", crumbs, data, Some(&o.file));
    }
}

/// Demography of one profession on the territory.
#[derive(Debug, Clone, Serialize)]
pub struct DensityRow {
    /// Profession key.
    pub key: String,
    /// Plural label.
    pub profession: String,
    /// Published individual members of the profession.
    pub effectif: usize,
    /// Members per 10 000 inhabitants, "8,2".
    pub densite: String,
    /// The same as a number.
    pub densite_value: f64,
    /// National reference density, "8,4", when cpts.yaml gives one.
    pub reference: Option<String>,
    /// The same as a number.
    pub reference_value: Option<f64>,
    /// Gap to the reference, "−12 %", when there is a reference.
    pub ecart: Option<String>,
    /// Members whose year of birth is known.
    pub ages_connus: usize,
    /// Of them, aged 60 or more this year.
    pub plus_de_60: usize,
    /// Share of those aged 60 or more among the known, "30 %".
    pub part_plus_de_60: Option<String>,
}

/// "8,2": one decimal, French decimal comma.
pub fn decimal_fr(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

/// Professionals per 10 000 inhabitants by profession: published individual members of each
/// profession (a member practising in several places counts once) over the territory's
/// population, against the reference densities of cpts.yaml. Professions appear when they have
/// a member or a reference, in vocabulary order.
pub fn densities(site: &Site, today: Date) -> Vec<DensityRow> {
    let population = site.population();
    let refs =
        site.cpts.data.installation.as_ref().and_then(|i| i.densites_reference.as_ref()).map(|d| &d.valeurs.value);
    vocab::PROFESSIONS
        .iter()
        .filter_map(|pr| {
            let members: Vec<&crate::model::Member> =
                site.members.iter().filter(|m| m.data.profession.as_ref().is_some_and(|x| x.value == pr.key)).collect();
            let reference = refs.and_then(|r| r.get(pr.key)).copied();
            if members.is_empty() && reference.is_none() {
                return None;
            }
            let density = if population > 0 { members.len() as f64 / population as f64 * 10_000.0 } else { 0.0 };
            let years: Vec<i16> =
                members.iter().filter_map(|m| m.data.annee_naissance.as_ref().map(|y| y.value)).collect();
            let over = years.iter().filter(|y| i32::from(today.year()) - i32::from(**y) >= 60).count();
            Some(DensityRow {
                key: pr.key.to_string(),
                profession: pr.plural.to_string(),
                effectif: members.len(),
                densite: decimal_fr(density),
                densite_value: density,
                reference: reference.map(decimal_fr),
                reference_value: reference,
                ecart: reference.filter(|r| *r > 0.0).map(|r| {
                    let gap = ((density - r) / r * 100.0).round() as i64;
                    match gap {
                        0 => "0\u{a0}%".to_string(),
                        g if g > 0 => format!("+{g}\u{a0}%"),
                        g => format!("−{}\u{a0}%", -g),
                    }
                }),
                ages_connus: years.len(),
                plus_de_60: over,
                part_plus_de_60: (!years.is_empty())
                    .then(|| format!("{}\u{a0}%", (over as f64 / years.len() as f64 * 100.0).round() as i64)),
            })
        })
        .collect()
}

fn installer(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let inst = site.cpts.data.installation.clone().unwrap_or_default();
    let rows = densities(site, p.today);
    let with_ref: Vec<&DensityRow> = rows.iter().filter(|r| r.reference_value.is_some()).collect();
    let chart = (!with_ref.is_empty()).then(|| {
        super::charts::bar_chart(
            "densites",
            "Professionnels de santé pour 10 000 habitants : territoire et France",
            &format!(
                "Pour chaque profession, la densité sur le territoire de la CPTS comparée à la densité nationale. {}",
                with_ref
                    .iter()
                    .map(|r| format!(
                        "{} : {} sur le territoire, {} en France.",
                        r.profession,
                        r.densite,
                        r.reference.as_deref().unwrap_or("")
                    ))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            &[
                super::charts::Series { name: "Territoire".into(), color: super::charts::TERRITORY },
                super::charts::Series { name: "France".into(), color: super::charts::REFERENCE },
            ],
            &with_ref
                .iter()
                .map(|r| super::charts::Row {
                    label: r.profession.clone(),
                    values: vec![Some(r.densite_value), r.reference_value],
                    shown: vec![r.densite.clone(), r.reference.clone().unwrap_or_default()],
                })
                .collect::<Vec<_>>(),
        )
    });
    let aged: Vec<&DensityRow> = rows.iter().filter(|r| r.ages_connus > 0).collect();
    let chart_ages = (!aged.is_empty()).then(|| {
        super::charts::bar_chart(
            "ages",
            "Part des professionnels de 60 ans ou plus, par profession",
            &aged
                .iter()
                .map(|r| {
                    format!(
                        "{} : {} ({} sur {}).",
                        r.profession,
                        r.part_plus_de_60.as_deref().unwrap_or(""),
                        r.plus_de_60,
                        r.ages_connus
                    )
                })
                .collect::<Vec<_>>()
                .join(" "),
            &[super::charts::Series { name: "60 ans ou plus".into(), color: super::charts::REFERENCE }],
            &aged
                .iter()
                .map(|r| super::charts::Row {
                    label: r.profession.clone(),
                    values: vec![Some(r.plus_de_60 as f64 / r.ages_connus as f64 * 100.0)],
                    shown: r.part_plus_de_60.iter().cloned().collect(),
                })
                .collect::<Vec<_>>(),
        )
    });
    let open = open_offers(p);
    let filters = offer_filters(p, &open);
    // General practitioners by commune, counted in one pass (a GP with two places in a commune
    // counts once).
    let mut gps_in: HashMap<&str, usize> = HashMap::new();
    for m in
        site.members.iter().filter(|m| m.data.profession.as_ref().is_some_and(|x| x.value == "medecin-generaliste"))
    {
        for insee in distinct(m.data.lieux.iter().map(|l| l.commune.value.as_str())) {
            *gps_in.entry(insee).or_default() += 1;
        }
    }
    let filter_of = filters.communes_by_slug();
    let communes: Vec<Value> = site
        .communes()
        .iter()
        .map(|c| {
            let v = commune(c, urls, 0);
            let gps = gps_in.get(c.insee.value.as_str()).copied().unwrap_or(0);
            let offers = filter_of.get(commune_slug(c).as_str());
            context! {
                nom => v.nom.clone(),
                url => v.url.clone(),
                population => v.population.clone(),
                zonage => v.zonage.clone(),
                zonage_label => zoning_label(&v.zonage),
                medecins => gps,
                offres_url => offers.map(|f| f.url.clone()),
                offres => offers.map_or(0, |f| f.count),
            }
        })
        .collect();
    let source = inst.densites_reference.as_ref().map(|d| typo(&d.source));
    let data = context! {
        pourquoi_html => inst.pourquoi.as_deref().map(to_html),
        accompagnement => inst.accompagnement.iter().map(|a| context! { titre => typo(&a.titre), description_html => to_html(&a.description) }).collect::<Vec<_>>(),
        densites => Value::from_serialize(&rows),
        graphique_densites => chart,
        graphique_ages => chart_ages,
        ages_connus => rows.iter().map(|r| r.ages_connus).sum::<usize>(),
        source => source,
        population => grouped(site.population()),
        annee => p.today.year(),
        communes => communes,
        offres => Value::from_serialize(&open),
        liens => context! {
            offres_url => urls.link(&Route::Offers),
            stages_url => urls.link(&Route::Internships),
            flux_url => urls.link(&Route::OffersFeed),
            annuaire_url => urls.link(&Route::Directory),
        },
        courriel => site.cpts.data.contact.courriel.value.clone(),
    };
    p.push(
        Route::Installer,
        "installer.html",
        "S’installer sur le territoire",
        &format!(
            "Pourquoi exercer sur le territoire de la {} : démographie médicale, zonage, accompagnement et offres ouvertes.",
            site.cpts.data.nom
        ),
        "s-installer",
        vec![],
        data,
        Some(&site.cpts.file),
    );
}

fn internships(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let supervisors = groups(site, urls, p.cards, site.members.iter().filter(|m| m.data.maitre_de_stage));
    let stages = site.cpts.data.installation.as_ref().and_then(|i| i.stages.clone());
    let open: Vec<_> = open_offers(p).into_iter().filter(|o| o.type_key == "stage").collect();
    let housing: Vec<Value> = site
        .offers
        .iter()
        .filter(|o| o.data.kind.value == "stage" && !views::is_expired_offer(o, p.today))
        .filter_map(|o| {
            o.data.logement.as_ref().map(|l| {
                context! {
                    offre => typo(&o.data.titre),
                    url => urls.link(&Route::Offer(o.slug.clone())),
                    type => typo(&l.kind),
                    prix => l.prix.as_deref().map(typo),
                }
            })
        })
        .collect();
    let data = context! {
        accueil_html => stages.as_ref().and_then(|s| s.accueil.as_deref()).map(to_html),
        logement_html => stages.as_ref().and_then(|s| s.logement.as_deref()).map(to_html),
        logements => housing,
        maitres_de_stage => Value::from_serialize(&supervisors),
        nb_maitres_de_stage => supervisors.iter().map(|g| g.members.len()).sum::<usize>(),
        offres => Value::from_serialize(&open),
        liens => context! {
            offres_url => urls.link(&Route::Offers),
            stages_offres_url => open.first().map(|_| urls.link(&Route::OffersByType("stage".into()))),
            installer_url => urls.link(&Route::Installer),
        },
        courriel => site.cpts.data.contact.courriel.value.clone(),
    };
    p.push(
        Route::Internships,
        "internships.html",
        "Stages : étudiants et internes",
        &format!(
            "Faire son stage sur le territoire de la {} : maîtres de stage, logement, accueil et offres de stage.",
            site.cpts.data.nom
        ),
        "offres",
        vec![p.crumb("Offres", Route::Offers)],
        data,
        None,
    );
}

fn about(p: &mut Planner) {
    let site = p.site;
    let cpts = &site.cpts.data;
    let population = site.population();
    let size = vocab::aci_size(population);
    let euros = |n: u32| format!("{}\u{a0}€", grouped(u64::from(n)));
    let funding = vec![
        context! { ligne => "Fonctionnement", montant => euros(size.fonctionnement) },
        context! { ligne => "Accès aux soins", montant => euros(size.acces_aux_soins) },
        context! { ligne => "Parcours pluriprofessionnels", montant => euros(size.parcours) },
        context! { ligne => "Prévention", montant => euros(size.prevention) },
        context! { ligne => "Qualité et pertinence des soins", montant => euros(size.qualite_pertinence) },
        context! { ligne => "Accompagnement des professionnels de santé (optionnel)", montant => euros(size.accompagnement) },
    ];
    let missions: Vec<Value> = vocab::MISSIONS
        .iter()
        .map(|m| {
            let decl = cpts.missions.iter().find(|d| d.mission.value == m.key);
            context! { label => m.label, socle => m.core, resume_html => decl.map(|d| to_html(&d.resume)) }
        })
        .collect();
    let communes: Vec<_> = site.communes().iter().map(|c| commune(c, p.urls, 0)).collect();
    let data = context! {
        presentation_html => cpts.presentation.as_deref().map(to_html),
        missions => missions,
        bureau => cpts.gouvernance.bureau.iter().map(|b| context! { fonction => typo(&b.fonction), nom => typo(&b.nom), profession => b.profession.as_deref().map(typo) }).collect::<Vec<_>>(),
        gouvernance_html => cpts.gouvernance.description.as_deref().map(to_html),
        partenaires => cpts.partenaires.iter().map(|x| context! { nom => typo(&x.nom), type => x.type_partenaire.as_deref().map(typo), lien => x.lien.as_ref().map(|l| l.value.clone()) }).collect::<Vec<_>>(),
        territoire_html => cpts.territoire.description.as_deref().map(to_html),
        communes => Value::from_serialize(&communes),
        population => grouped(population),
        taille => size.size,
        tranche => size.range,
        financement => funding,
        financement_total => euros(size.total),
        chiffres => Value::from_serialize(key_figures(site)),
    };
    p.push(
        Route::AboutCpts,
        "about.html",
        &format!("La {}", cpts.nom_court.as_deref().unwrap_or(&cpts.nom)),
        &format!("Missions, gouvernance, partenaires et territoire de la {}.", cpts.nom),
        "la-cpts",
        vec![],
        data,
        Some(&site.cpts.file),
    );
}

fn news(p: &mut Planner) {
    let site = p.site;
    let mut list: Vec<_> = site.news.iter().collect();
    list.sort_by_key(|n| std::cmp::Reverse(n.data.date.value));
    let cards: Vec<Value> = list.iter().map(|n| news_card(p, n)).collect();
    let crumb = p.crumb("Actualités", Route::NewsIndex);
    p.push(
        Route::NewsIndex,
        "news_index.html",
        "Actualités",
        "Les nouvelles de la CPTS et de la santé sur le territoire.",
        "actualites",
        vec![],
        context! { actualites => cards },
        None,
    );
    for n in list {
        let data = context! { actualite => news_card(p, n), body_html => to_html(&n.body) };
        p.extra.image = views::image_ref(&n.data.image);
        p.push(
            Route::News(n.slug.clone()),
            "news.html",
            &n.data.titre,
            &n.data.resume,
            "actualites",
            vec![crumb.clone()],
            data,
            Some(&n.file),
        );
    }
}

fn contacts(p: &mut Planner) {
    let site = p.site;
    let cats: Vec<Value> = site.contacts.iter().flat_map(|c| c.data.categories.iter()).map(contact_category).collect();
    let data = context! { categories => cats, soins_url => p.urls.link(&Route::Care), thematiques => theme_links(p) };
    p.push(
        Route::Contacts,
        "contacts.html",
        "Numéros utiles et urgences",
        "Les numéros d’urgence et utiles du territoire, et que faire pour être soigné sans attendre.",
        "contacts",
        vec![],
        data,
        site.contacts.as_ref().map(|c| c.file.as_str()),
    );
}

/// Links to the thematic pages (santé mentale, santé des femmes…).
fn theme_links(p: &Planner) -> Value {
    let links: Vec<Link> = p
        .site
        .cpts
        .data
        .thematiques
        .iter()
        .map(|t| Link { label: typo(&t.titre), url: p.urls.link(&Route::Theme(t.id.value.clone())) })
        .collect();
    Value::from_serialize(&links)
}

fn professionals(p: &mut Planner) {
    let site = p.site;
    let documents: Vec<Value> = site
        .documents
        .iter()
        .filter(|d| d.data.public.value == "professionnels")
        .map(|d| document_view(p, d))
        .collect();
    let public_documents: Vec<Value> =
        site.documents.iter().filter(|d| d.data.public.value == "population").map(|d| document_view(p, d)).collect();
    let pages: Vec<Link> = site
        .pages
        .iter()
        .filter(|x| x.data.espace.as_ref().is_some_and(|e| e.value == "professionnels"))
        .map(|x| Link { label: typo(&x.data.titre), url: p.urls.link(&Route::Page(x.slug.clone())) })
        .collect();
    let supervisors = site.members.iter().filter(|m| m.data.maitre_de_stage).count();
    let data = context! {
        adhesion_html => site.cpts.data.adhesion.as_deref().map(to_html),
        documents => documents,
        documents_population => public_documents,
        pages => Value::from_serialize(&pages),
        offres => Value::from_serialize(open_offers(p)),
        offres_url => p.urls.link(&Route::Offers),
        maitres_de_stage => supervisors,
        courriel => site.cpts.data.contact.courriel.value.clone(),
    };
    p.push(
        Route::Professionals,
        "professionals.html",
        "Espace professionnels",
        "Protocoles, outils, documents et adhésion à la CPTS pour les professionnels de santé du territoire.",
        "professionnels",
        vec![],
        data,
        None,
    );
}

fn themes(p: &mut Planner) {
    let site = p.site;
    for t in &site.cpts.data.thematiques {
        let resources: Vec<Value> = site
            .resources
            .iter()
            .filter(|r| r.data.thematiques.iter().any(|x| x.value == t.id.value))
            .map(|r| {
                let d = &r.data;
                context! {
                    nom => typo(&d.nom),
                    type => typo(&d.kind),
                    description => typo(&d.description),
                    telephone => views::phone(&d.telephone).map(|x| Value::from_serialize(&x)),
                    courriel => d.courriel.as_ref().map(|x| x.value.clone()),
                    lien => d.lien.as_ref().map(|x| x.value.clone()),
                    horaires => d.horaires.as_deref().map(typo),
                    gratuit => d.gratuit,
                    adresse => d.lieu.as_ref().map(|l| format!("{}, {} {}", typo(&l.adresse), l.code_postal.value, site.commune(&l.commune.value).map_or("", |c| c.nom.as_str()))),
                }
            })
            .collect();
        let data = context! { introduction_html => t.introduction.as_deref().map(to_html), ressources => resources };
        p.push(
            Route::Theme(t.id.value.clone()),
            "theme.html",
            &t.titre,
            &format!("{} : les ressources et contacts utiles du territoire.", t.titre),
            "contacts",
            vec![p.crumb("Numéros utiles", Route::Contacts)],
            data,
            Some(&site.cpts.file),
        );
    }
}

fn free_pages(p: &mut Planner) {
    let site = p.site;
    for page in &site.pages {
        let d = &page.data;
        let data =
            context! { body_html => to_html(&page.body), image => Value::from_serialize(views::image_ref(&d.image)) };
        p.extra.image = views::image_ref(&d.image);
        let desc = d.resume.clone().unwrap_or_else(|| d.titre.clone());
        p.push(Route::Page(page.slug.clone()), "page.html", &d.titre, &desc, "page", vec![], data, Some(&page.file));
    }
}

fn legal(p: &mut Planner) {
    let site = p.site;
    let c = &site.cpts.data;
    let statut = accessibility_status(&c.accessibilite.statut.value);
    let data = context! {
        association => context! {
            nom => typo(&c.nom),
            siege => typo(&c.association.siege),
            rna => c.association.rna.as_ref().map(|x| x.value.clone()),
            siret => c.association.siret.as_ref().map(|x| x.value.clone()),
            directeur_publication => typo(&c.association.directeur_publication),
        },
        hebergeur => context! {
            nom => typo(&c.hebergeur.nom),
            adresse => typo(&c.hebergeur.adresse),
            telephone => views::phone_str(&c.hebergeur.telephone.value).map(|x| Value::from_serialize(&x)),
        },
        courriel => c.contact.courriel.value.clone(),
    };
    p.push(
        Route::LegalNotice,
        "legal.html",
        "Mentions légales",
        "Éditeur, hébergeur et données personnelles du site.",
        "",
        vec![],
        data,
        Some(&site.cpts.file),
    );
    let a = &c.accessibilite;
    let data = context! {
        statut => statut,
        date_audit => a.date_audit.map(date_long),
        taux => a.taux.map(|t| format!("{}\u{a0}%", t.to_string().replace('.', ","))),
        realise_par => a.realise_par.as_deref().map(typo),
        non_conformites => a.non_conformites.iter().map(|x| typo(x)).collect::<Vec<_>>(),
        derogations => a.derogations.iter().map(|x| typo(x)).collect::<Vec<_>>(),
        courriel => c.contact.courriel.value.clone(),
        nom => typo(&c.nom),
        url => p.urls.base(),
    };
    p.push(
        Route::Accessibility,
        "accessibility.html",
        "Déclaration d’accessibilité",
        "État de conformité du site au référentiel général d’amélioration de l’accessibilité (RGAA 4.1).",
        "",
        vec![],
        data,
        Some(&site.cpts.file),
    );
    let columns: Vec<Value> = super::opendata::DIRECTORY_COLUMNS
        .iter()
        .map(|(c, d)| context! { nom => *c, description => typo(d) })
        .collect();
    let data = context! {
        colonnes => columns,
        annuaire_csv => p.urls.link(&Route::DataFile("annuaire.csv".into())),
        annuaire_json => p.urls.link(&Route::DataFile("annuaire.json".into())),
        actions_json => p.urls.link(&Route::DataFile("actions.json".into())),
        agenda_ics => p.urls.link(&Route::Agenda),
        nb_membres => site.members.len(),
        nb_actions => site.actions.len(),
        nom => typo(&c.nom),
    };
    p.push(
        Route::OpenData,
        "open_data.html",
        "Données ouvertes",
        "L’annuaire des professionnels et les actions de prévention en CSV et JSON, sous Licence Ouverte.",
        "",
        vec![],
        data,
        None,
    );
    p.push(
        Route::NotFound,
        "404.html",
        "Page introuvable",
        "Cette page n’existe pas ou plus.",
        "",
        vec![],
        context! {},
        None,
    );
}

/// The French wording of an RGAA compliance status.
pub fn accessibility_status(key: &str) -> &'static str {
    match key {
        "totalement-conforme" => "totalement conforme",
        "partiellement-conforme" => "partiellement conforme",
        _ => "non conforme",
    }
}

/// `/recherche/`: the search form; `recherche.js` answers from the two indexes of
/// [`super::search`]. Without JavaScript the page offers the directory's and the site map's links.
fn search_page(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let mut counts = HashMap::new();
    for m in &site.members {
        *counts.entry(group_key(m)).or_insert(0usize) += 1;
    }
    let professions: Vec<Value> = vocab::PROFESSIONS
        .iter()
        .map(|p| (p.key, p.plural))
        .chain(vocab::STRUCTURES.iter().map(|s| (s.key, s.plural)))
        .filter_map(|(key, label)| {
            let count = counts.get(key).copied()?;
            Some(context! { label => label, url => urls.link(&Route::Profession(key.to_string())), count => count })
        })
        .collect();
    let data = context! {
        index_url => urls.link(&Route::SearchIndex),
        professions => professions,
        plan_url => urls.link(&Route::SiteMapPage),
        annuaire_url => urls.link(&Route::Directory),
        prevention_url => urls.link(&Route::Prevention),
        offres_url => urls.link(&Route::Offers),
        contacts_url => urls.link(&Route::Contacts),
    };
    p.extra.scripts.push(urls.link(&Route::Static("texte.js".into())));
    p.extra.scripts.push(urls.link(&Route::Static("recherche.js".into())));
    p.push(
        Route::Search,
        "search.html",
        "Rechercher sur le site",
        "Rechercher un professionnel, une action de prévention, une offre ou une page du site.",
        "recherche",
        vec![],
        data,
        None,
    );
}

fn site_map(p: &mut Planner) {
    let links: Vec<Link> = p
        .jobs
        .iter()
        .filter(|j| j.route.in_sitemap() && !matches!(j.route, Route::Member(_)))
        .map(|j| Link { label: j.title.clone(), url: p.urls.link(&j.route) })
        .collect();
    p.push(
        Route::SiteMapPage,
        "sitemap_page.html",
        "Plan du site",
        "Toutes les pages du site, hors fiches individuelles de l’annuaire.",
        "",
        vec![],
        context! { liens => Value::from_serialize(&links), annuaire_url => p.urls.link(&Route::Directory) },
        None,
    );
}
