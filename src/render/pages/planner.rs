//! The planner every section fills: the [`Job`] of each page, its context ([`Ctx`], [`PageCtx`],
//! [`PageInfo`]), the `Planner` that collects them, and what several sections share (member
//! cards and groups, plurals).

use crate::fingerprint::{Fast, FastHasher};
use crate::model::{Site, vocab};
use crate::render::text::typo;
use crate::render::views::{self, Link, group_key, member_card};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use minijinja::{Value, context};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
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
    /// Title of the page, as written (the site map applies typography to those it lists; member
    /// pages, thousands of them, borrow their card's name).
    pub title: Cow<'a, str>,
    /// The content file it comes from, for error messages.
    pub source: Option<Cow<'a, str>>,
    /// Listed in sitemap.xml (archived offers are not).
    pub in_sitemap: bool,
}

/// A page's own template variables: `page` (a [`PageInfo`]) and `data`. [`PageCtx::with_site`]
/// adds the site-wide `site` and the page's header.
#[derive(Debug, Clone, Hash)]
pub struct PageCtx {
    /// What every page knows about itself.
    pub page: Value,
    /// What the page's template shows.
    pub data: Value,
}

impl PageCtx {
    /// The whole context of the page's template, with `header_html`, the page's header already
    /// rendered. One map of four variables rather than a merge of the page's map and the site's:
    /// every variable a template reads is looked up in it.
    pub fn with_site(self, site: Value, header_html: Value) -> Value {
        context! { page => self.page, data => self.data, site => site, header_html => header_html }
    }
}

/// A page's template context: built while planning, or only when the page is rendered.
pub enum Ctx<'a> {
    /// Built while planning; the page is known by the fingerprint of this context.
    Ready(PageCtx),
    /// Built when the page is rendered, and known, like [`Ctx::Ready`], by the fingerprint of the
    /// context built: a build keeps in memory only the contexts of the pages being rendered, not
    /// those of every page planned (offers, actions: hundreds of pages, each holding cards).
    Lazy(Box<dyn FnOnce() -> PageCtx + Send + Sync + 'a>),
    /// Built by `build` when the page is rendered. `inputs` fingerprints everything `build` reads,
    /// so an unchanged page is recognised without building its context (member pages: thousands
    /// of them, each reading a handful of records).
    Deferred {
        /// Fingerprint of the records the context is built from.
        inputs: u64,
        /// Builds the context.
        build: Box<dyn FnOnce() -> PageCtx + Send + Sync + 'a>,
    },
}

impl Ctx<'_> {
    /// The context, building it if needed.
    pub fn value(self) -> PageCtx {
        match self {
            Ctx::Ready(v) => v,
            Ctx::Lazy(build) => build(),
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
    /// JSON-LD blocks, already serialised for a `<script>` element (see [`crate::render::jsonld`]):
    /// one, its objects in `@graph`, when the page has several.
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
pub(super) struct Extra {
    pub(super) jsonld: Vec<String>,
    pub(super) noindex: bool,
    pub(super) scripts: Vec<String>,
    pub(super) image: Option<views::ImageRef>,
}

/// Collects the pages of the site, section after section, with what they share.
pub(super) struct Planner<'a> {
    pub(super) site: &'a Site,
    pub(super) urls: &'a Urls,
    pub(super) today: Date,
    pub(super) jobs: Vec<Job<'a>>,
    pub(super) extra: Extra,
    /// Structures and actions naming each member, indexed once for all member pages (shared
    /// with their deferred contexts).
    pub(super) links: Arc<views::Backlinks<'a>>,
    /// Every member's card, built once for all the lists.
    pub(super) cards: &'a Cards,
    /// The processed images, for those of Markdown texts.
    pub(super) images: &'a crate::render::images::Images,
    /// The maps drawn, and those of an earlier plan.
    pub(super) maps: crate::render::map::Drawn,
    /// Which member pages to plan.
    pub(super) scope: &'a crate::render::depends::Scope,
    /// Which other pages to plan.
    pub(super) sections: crate::render::depends::Sections,
    /// What the directory's lists held and shared at the last plan of the whole directory, for
    /// a plan of only some of them; then those of this plan.
    pub(super) lists: Option<Lists>,
}

/// What the directory's list pages show besides their cards, and which members each list
/// holds: made by a plan of the whole directory, kept by the dev server for the saves that plan
/// only the lists holding the changed members' cards ([`crate::render::depends::Sections::Lists`]:
/// the members, their groups, communes and order are then those of this plan).
#[derive(Debug, Clone)]
pub struct Lists {
    /// The members of each profession or structure kind (positions in `site.members`), by key.
    pub(super) groups: HashMap<String, Vec<usize>, Fast>,
    /// The members practising in each commune (positions, once each), in the order of
    /// `site.communes()`.
    pub(super) communes: Vec<Vec<usize>>,
    /// Each commune as lists show it.
    pub(super) views: Vec<views::CommuneView>,
    /// The professions and the communes, as every profession list page names them.
    pub(super) professions: Value,
    pub(super) all_communes: Value,
    /// Fingerprint of what every profession list page shows besides its cards.
    pub(super) shared: u64,
    /// The communes as maps show them.
    pub(super) map_communes: Arc<Vec<crate::render::map::MapCommune>>,
}

/// What the contexts of a plan are built from besides their own records, borrowed for the whole
/// render: a context built when its page renders takes a copy.
#[derive(Clone, Copy)]
pub(super) struct Env<'a> {
    pub(super) site: &'a Site,
    pub(super) urls: &'a Urls,
    pub(super) today: Date,
    pub(super) cards: &'a Cards,
    pub(super) images: &'a crate::render::images::Images,
}

impl Env<'_> {
    /// The HTML of a Markdown body (an action's, a page's…), with its images.
    pub(super) fn body_html(&self, markdown: &str) -> String {
        let (images, urls) = (self.images, self.urls);
        let home = urls.link(&Route::Home);
        crate::render::markdown::to_html_with(markdown, home.trim_end_matches('/'), &|image| {
            images.markdown_html(urls, image)
        })
    }

    /// A member's card, from [`Env::cards`].
    pub(super) fn card(&self, m: &crate::model::Member) -> views::MemberCard {
        self.cards.card(self.site, self.urls, m)
    }
}

impl<'a> Planner<'a> {
    /// What the contexts built when their page renders borrow.
    pub(super) fn env(&self) -> Env<'a> {
        Env { site: self.site, urls: self.urls, today: self.today, cards: self.cards, images: self.images }
    }

    /// The HTML of a Markdown body (an action's, a page's…), with its images.
    pub(super) fn body_html(&self, markdown: &str) -> String {
        self.env().body_html(markdown)
    }

    /// A member's card, from [`Planner::cards`].
    pub(super) fn card(&self, m: &crate::model::Member) -> views::MemberCard {
        self.env().card(m)
    }

    /// Positions in `site.members` of the members whose pages this plan makes: every one, or
    /// those of the scope that still have a page.
    pub(super) fn member_pages(&self) -> Vec<usize> {
        use crate::render::depends::Scope;
        let members = &self.site.members;
        match self.scope {
            Scope::Whole => (0..members.len()).collect(),
            Scope::Members(slugs) => {
                let mut at = Vec::new();
                for slug in slugs {
                    // Records are sorted by slug: every member of that slug (two would clash).
                    let first = members.partition_point(|m| m.slug.as_str() < slug.as_str());
                    at.extend((first..members.len()).take_while(|&i| members[i].slug == *slug));
                }
                at
            }
        }
    }

    pub(super) fn crumb(&self, label: &str, route: Route) -> Link {
        Link { label: label.to_string(), url: self.urls.link(&route) }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
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
        let (ctx, title, source) =
            (Ctx::Ready(ctx), Cow::Owned(title.to_string()), source.map(|s| Cow::Owned(s.to_string())));
        self.jobs.push(Job { route, template, ctx, title, source, in_sitemap });
    }

    /// Adds a page whose `page` and `data` are made only when the page is rendered: `build` gives
    /// the page's own template data and what it adds to the defaults (see [`Planner::push`] for
    /// the other arguments). Listed in the site map unless `extra.noindex`, which must then be
    /// known now: `noindex` says whether it will be.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_lazy(
        &mut self,
        route: Route,
        template: &'static str,
        title: String,
        description: String,
        section: &'static str,
        breadcrumbs: Vec<Link>,
        noindex: bool,
        source: Option<&'a str>,
        build: impl FnOnce() -> (Value, Extra) + Send + Sync + 'a,
    ) {
        let urls = self.urls;
        let job_title = Cow::Owned(title.clone());
        let job_route = route.clone();
        let ctx = Ctx::Lazy(Box::new(move || {
            let (data, extra) = build();
            let extra = Extra { noindex, ..extra };
            page_context(urls, &route, &title, &description, section, breadcrumbs, extra, data)
        }));
        let source = source.map(Cow::Borrowed);
        self.jobs.push(Job { route: job_route, template, ctx, title: job_title, source, in_sitemap: !noindex });
    }

    /// Makes the page just added by [`Planner::push_lazy`] known by `inputs`, the fingerprint of
    /// everything its context reads besides the site-wide context (with the arguments given to
    /// `push_lazy`): a memo then knows the page without building its context, as a
    /// [`Ctx::Deferred`] one.
    pub(super) fn known_by(&mut self, inputs: u64) {
        if let Some(job) = self.jobs.last_mut() {
            let placeholder = Ctx::Ready(PageCtx { page: Value::UNDEFINED, data: Value::UNDEFINED });
            job.ctx = match std::mem::replace(&mut job.ctx, placeholder) {
                Ctx::Lazy(build) => Ctx::Deferred { inputs, build },
                ctx => ctx,
            };
        }
    }

    /// Adds a page whose context `build` makes only when the page is rendered; `inputs`
    /// fingerprints everything `build` reads besides the site-wide context.
    pub(super) fn push_deferred(
        &mut self,
        route: Route,
        template: &'static str,
        title: impl Into<Cow<'a, str>>,
        inputs: u64,
        source: Option<&'a str>,
        build: impl FnOnce() -> PageCtx + Send + Sync + 'a,
    ) {
        let (ctx, title, source) =
            (Ctx::Deferred { inputs, build: Box::new(build) }, title.into(), source.map(Cow::Borrowed));
        self.jobs.push(Job { route, template, ctx, title, source, in_sitemap: true });
    }
}

/// A page's whole context (`page` and `data`): breadcrumbs start at the home page and are also
/// given as JSON-LD.
#[allow(clippy::too_many_arguments)]
pub(super) fn page_context(
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
        let trail = crate::render::jsonld::breadcrumbs(urls, &breadcrumbs, &title, &canonical);
        extra.jsonld.push(crate::render::jsonld::embed(&trail));
    }
    let page = PageInfo {
        jsonld: crate::render::jsonld::graph(extra.jsonld),
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
    /// Fingerprint of each member's record, in the order of `members`: a page showing part of
    /// the group reads these.
    #[serde(skip)]
    pub member_inputs: Vec<u64>,
    /// Each member's position in `site.members`, in the order of `members`.
    #[serde(skip)]
    pub positions: Vec<usize>,
}

/// Every member's card and sorting name, in the order of `site.members`: built once (in
/// parallel) for all the lists of a plan, which borrow them.
#[derive(Debug, Clone)]
pub struct Cards {
    cards: Vec<views::MemberCard>,
    sort_names: Vec<String>,
    /// What each card is made from: the fingerprints of its member, of cpts.yaml (commune names)
    /// and the site's address.
    keys: Vec<u64>,
    /// Positions of the members sorted by name (ties in slug order): the order of every list.
    by_name: Vec<usize>,
    /// Each member's place in [`Cards::by_name`].
    rank: Vec<usize>,
}

impl Cards {
    /// The cards of every member of `site`.
    pub fn new(site: &Site, urls: &Urls) -> Cards {
        Cards::reusing(site, urls, None)
    }

    /// The cards of every member of `site`, taking from `previous` (the cards of an earlier
    /// plan) those whose member, cpts.yaml and address did not change: the dev server builds
    /// again only the cards of the members a save touched, and sorts again by name an order
    /// that is already sorted but for them.
    pub fn reusing(site: &Site, urls: &Urls, previous: Option<Cards>) -> Cards {
        let shared = crate::fingerprint::of(&(site.cpts.hash, urls.base()));
        let keys: Vec<u64> = site.members.iter().map(|m| crate::fingerprint::of(&(m.hash, shared))).collect();
        // The earlier order holds the same positions when the members are the same ones.
        let mut same_members = previous.as_ref().is_some_and(|p| p.cards.len() == site.members.len());
        let (old, old_order) = match previous {
            Some(p) => (Some(p.cards.into_iter().zip(p.sort_names).zip(p.keys)), p.by_name),
            None => (None, Vec::new()),
        };
        // Both lists are sorted by slug: one walk finds each card to keep.
        let mut old = old.into_iter().flatten().peekable();
        let mut kept: Vec<Option<(views::MemberCard, String)>> = Vec::with_capacity(site.members.len());
        for (m, key) in site.members.iter().zip(&keys) {
            while old.next_if(|((card, _), _)| card.slug < m.slug).is_some() {
                same_members = false;
            }
            match old.next_if(|((card, _), _)| card.slug == m.slug) {
                Some((card, k)) => kept.push((k == *key).then_some(card)),
                None => {
                    same_members = false;
                    kept.push(None);
                }
            }
        }
        let (cards, sort_names): (Vec<_>, Vec<String>) = kept
            .into_par_iter()
            .zip(site.members.par_iter())
            .map(|(kept, m)| kept.unwrap_or_else(|| (member_card(site, urls, m), views::sort_name(m))))
            .unzip();
        let mut by_name = if same_members { old_order } else { (0..site.members.len()).collect() };
        by_name.sort_by(|&a, &b| sort_names[a].cmp(&sort_names[b]).then(a.cmp(&b)));
        let mut rank = vec![0; by_name.len()];
        for (place, &i) in by_name.iter().enumerate() {
            rank[i] = place;
        }
        Cards { cards, sort_names, keys, by_name, rank }
    }

    /// [`Cards::reusing`] when only the members of slugs `changed` may differ from those of
    /// `previous` (and cpts.yaml and the address did not change): when no member was added or
    /// removed, their cards are made again and put back in the order by name, without a walk
    /// over every member.
    pub fn patching(site: &Site, urls: &Urls, previous: Option<Cards>, changed: &BTreeSet<String>) -> Cards {
        let Some(mut cards) = previous else { return Cards::reusing(site, urls, None) };
        let position = |slug: &str| site.members.binary_search_by(|m| m.slug.as_str().cmp(slug)).ok();
        let old_position = |cards: &Cards, slug: &str| cards.cards.binary_search_by(|c| c.slug.as_str().cmp(slug)).ok();
        let same_members = cards.cards.len() == site.members.len()
            && changed.iter().all(|slug| position(slug) == old_position(&cards, slug));
        if !same_members {
            return Cards::reusing(site, urls, Some(cards));
        }
        let shared = crate::fingerprint::of(&(site.cpts.hash, urls.base()));
        let at: BTreeSet<usize> = changed.iter().filter_map(|slug| position(slug)).collect();
        for &i in &at {
            let m = &site.members[i];
            cards.cards[i] = member_card(site, urls, m);
            cards.sort_names[i] = views::sort_name(m);
            cards.keys[i] = crate::fingerprint::of(&(m.hash, shared));
        }
        cards.by_name.retain(|i| !at.contains(i));
        for &i in &at {
            let place = cards.by_name.partition_point(|&j| (&cards.sort_names[j], j) < (&cards.sort_names[i], i));
            cards.by_name.insert(place, i);
        }
        for (place, &i) in cards.by_name.iter().enumerate() {
            cards.rank[i] = place;
        }
        cards
    }

    /// The card of `m`: a copy of the one built for the site, or built now for a member that is
    /// not in it.
    pub fn card(&self, site: &Site, urls: &Urls, m: &crate::model::Member) -> views::MemberCard {
        match Cards::index(site, m) {
            Some(i) => self.cards[i].clone(),
            None => member_card(site, urls, m),
        }
    }

    /// The card of the `i`-th member of the site.
    pub(super) fn at(&self, i: usize) -> &views::MemberCard {
        &self.cards[i]
    }

    /// Positions of every member, sorted by name (ties in slug order).
    pub fn by_name(&self) -> &[usize] {
        &self.by_name
    }

    /// Position of a member of the site (members are sorted by slug).
    fn index(site: &Site, m: &crate::model::Member) -> Option<usize> {
        site.members.binary_search_by(|x| x.slug.cmp(&m.slug)).ok()
    }
}

/// Groups members (by their positions in `site.members`, each once) by profession then
/// structure, in vocabulary order, each sorted by name.
pub(super) fn groups<'c>(
    site: &Site,
    urls: &Urls,
    cards: &'c Cards,
    members: impl IntoIterator<Item = usize>,
) -> Vec<Group<'c>> {
    let mut index: Vec<usize> = members.into_iter().collect();
    index.sort_unstable_by_key(|&i| cards.rank[i]);
    // Each group's cards, their members' fingerprints, the fingerprint of what they read, and
    // whether all its members are women.
    type Building<'c> = (Vec<&'c views::MemberCard>, Vec<u64>, Vec<usize>, FastHasher, bool);
    let mut by_key: HashMap<&str, Building, Fast> = HashMap::default();
    for i in index {
        let (list, hashes, positions, inputs, all_women) = by_key
            .entry(group_key(&site.members[i]))
            .or_insert_with(|| (Vec::new(), Vec::new(), Vec::new(), FastHasher::default(), true));
        list.push(&cards.cards[i]);
        positions.push(i);
        *all_women &= views::is_woman(&site.members[i]);
        // A card reads its member and cpts.yaml (commune names).
        hashes.push(site.members[i].hash);
        inputs.write_u64(site.members[i].hash);
    }
    let labels = vocab::PROFESSIONS
        .iter()
        .map(|p| (p.key, p.plural, p.plural_feminine))
        .chain(vocab::STRUCTURES.iter().map(|s| (s.key, s.plural, s.plural)));
    labels
        .filter_map(|(key, plural, plural_feminine)| {
            let (members, member_inputs, positions, mut inputs, all_women) = by_key.remove(key)?;
            inputs.write_u64(site.cpts.hash);
            // One member: the label in the singular, in that person's gender (« Infirmière »);
            // several: the plural, feminine when all of them are women (« Infirmières »).
            let label = match members.as_slice() {
                [one] => one.kind.clone(),
                _ if all_women => plural_feminine.to_string(),
                _ => plural.to_string(),
            };
            Some(Group {
                key: key.to_string(),
                label,
                url: urls.link(&Route::Profession(key.to_string())),
                members,
                inputs: inputs.finish(),
                member_inputs,
                positions,
            })
        })
        .collect()
}

/// Chooses the singular or plural form (French: 0 and 1 take the singular).
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n > 1 { many } else { one }
}

/// Each key once, in sorted order: a member with two places in one commune, or an action with
/// two sessions there, counts there once.
pub(super) fn distinct<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = keys.collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}
