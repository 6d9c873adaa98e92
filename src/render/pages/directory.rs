//! The directory (`directory.html`, `profession.html`, `commune.html`, `member.html`) and the map
//! (`map.html`): `/annuaire/…` and `/carte/`.

use super::paging;
use super::planner::{Cards, Extra, Lists, PageCtx, Planner, distinct, groups, page_context};
use crate::domain::text::{in_commune, in_communes, of_commune};
use crate::model::{Site, vocab};
use crate::render::text::grouped;
use crate::render::views::{self, Link, action_card, commune, commune_slug, group_key, member_view};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use minijinja::{Value, context};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Up to this many members, `/annuaire/` and each list of `/soins/` show them all (about 330 bytes
/// each); past it, only the groups or a count, and the directory's script lists what the filters
/// select.
pub const DIRECTORY_ROWS_MAX: usize = 90;

pub(super) fn directory(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let dir_crumb = p.crumb("Annuaire", Route::Directory);
    match (p.sections, p.lists.take()) {
        (crate::render::depends::Sections::Lists, Some(lists)) => {
            // Only the lists holding the cards of the members a save touched: their groups and
            // communes are those of the kept lists.
            let touched = p.member_pages();
            let mut keys = std::collections::BTreeSet::new();
            let mut communes = std::collections::BTreeSet::new();
            for &i in &touched {
                keys.insert(group_key(&site.members[i]));
                for l in &site.members[i].data.lieux {
                    communes.extend(site.communes().iter().position(|c| c.insee.value == l.commune.value));
                }
            }
            for key in keys {
                let members = lists.groups.get(key).into_iter().flatten().copied();
                for g in groups(site, urls, p.cards, members) {
                    profession_pages(p, &lists, &dir_crumb, g);
                }
            }
            for i in communes {
                let c = &site.communes()[i];
                let actions: Vec<views::ActionCard> = site
                    .actions
                    .iter()
                    .filter(|a| !views::is_past_action(a, p.today))
                    .filter(|a| a.data.seances.iter().any(|s| s.commune.value == c.insee.value))
                    .map(|a| action_card(site, urls, a, p.today))
                    .collect();
                commune_pages(p, &lists, &dir_crumb, i, actions);
            }
            p.lists = Some(lists);
        }
        _ => {
            let lists = whole_directory(p, &dir_crumb);
            p.lists = Some(lists);
        }
    }
    // Member pages are the bulk of a large site: their contexts are built only when rendered, and
    // known by the fingerprints of what they read; the dev server plans only those a save touched.
    let cards = p.cards;
    for i in p.member_pages() {
        let m = &site.members[i];
        let links = Arc::clone(&p.links);
        let (today, crumb) = (p.today, dir_crumb.clone());
        let inputs = links.member_inputs(site, m, today);
        let name = cards.at(i).name.as_str();
        p.push_deferred(Route::Member(m.slug.clone()), "member.html", name, inputs, Some(&m.file), move || {
            member_page(site, urls, m, today, &links, cards, crumb.clone())
        });
    }
}

/// `/annuaire/` and every list page of the directory; returns what the lists hold and share.
fn whole_directory(p: &mut Planner, dir_crumb: &Link) -> Lists {
    let site = p.site;
    let urls = p.urls;
    let cards = p.cards;
    let all = groups(site, urls, cards, cards.by_name().iter().copied());
    // Members practising in each commune (once each, by position in the site), indexed once
    // instead of filtering every member for every commune.
    let mut by_commune: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in site.members.iter().enumerate() {
        for l in &m.data.lieux {
            let list = by_commune.entry(l.commune.value.as_str()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let members_in: Vec<Vec<usize>> =
        site.communes().iter().map(|c| by_commune.remove(c.insee.value.as_str()).unwrap_or_default()).collect();
    let communes: Vec<views::CommuneView> =
        site.communes().iter().zip(&members_in).map(|(c, list)| commune(c, urls, list.len())).collect();
    let professions: Vec<Value> = all
        .iter()
        .map(|g| context! { key => g.key.clone(), label => g.label.clone(), url => g.url.clone(), count => g.members.len() })
        .collect();
    // Past a few dozen members the full list would not fit the page budget: /annuaire/ then shows
    // the groups with links, and annuaire.js lists the members the filters select.
    let listed = site.members.len() <= DIRECTORY_ROWS_MAX;
    let langues = site.languages_spoken();
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
    let shapes = site.outlines().and_then(|o| o.as_ref().ok());
    let shared = crate::fingerprint::of(&(
        site.cpts.hash,
        all.iter().map(|g| (&g.key, &g.label, g.members.len())).collect::<Vec<_>>(),
        &communes,
    ));
    let lists = Lists {
        groups: all.iter().map(|g| (g.key.clone(), g.positions.clone())).collect(),
        communes: members_in,
        all_communes: Value::from_serialize(&communes),
        views: communes,
        professions: Value::from(professions),
        shared,
        map_communes: Arc::new(crate::render::map::communes(site, shapes, |c| {
            urls.link(&Route::Commune(commune_slug(c)))
        })),
    };
    for g in all {
        profession_pages(p, &lists, dir_crumb, g);
    }
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
    for (i, c) in site.communes().iter().enumerate() {
        let actions: Vec<views::ActionCard> =
            actions_in.get(c.insee.value.as_str()).into_iter().flatten().map(|a| (*a).clone()).collect();
        commune_pages(p, &lists, dir_crumb, i, actions);
    }
    lists
}

/// The pages of the list of group `g`. A long list is split into pages of the same order (by
/// name): a change to one card re-renders the page that holds it, and the others only when the
/// count changes. Like member pages, their contexts are built only when rendered and known by
/// the fingerprints of the records they list.
fn profession_pages<'a>(p: &mut Planner<'a>, lists: &Lists, dir_crumb: &Link, g: super::planner::Group<'a>) {
    let (site, urls) = (p.site, p.urls);
    let list_title = category_label(&g.key);
    let g = Arc::new(g);
    let ranges = paging::ranges(g.members.len());
    let pages = ranges.len();
    for (i, range) in ranges.into_iter().enumerate() {
        let first = Route::Profession(g.key.clone());
        let route = first.clone().paged(i + 1);
        let pagination = paging::Pagination::of(urls, &first, i + 1, pages, &range, g.members.len());
        let (professions, communes, g) = (lists.professions.clone(), lists.all_communes.clone(), Arc::clone(&g));
        let inputs = crate::fingerprint::of(&(lists.shared, &pagination, &g.member_inputs[range.clone()]));
        // The page names the category, like the breadcrumbs of member pages, and which page
        // of it this is; the lead under it agrees in number with its list.
        let title = paging::Pagination::title(pagination.as_ref(), list_title);
        let crumbs = crumbs_to(dir_crumb, pagination.as_ref(), list_title, urls, &first);
        // The site map names the list once, on its first page.
        let job_title = if i == 0 { list_title.to_string() } else { title.clone() };
        p.push_deferred(route.clone(), "profession.html", job_title, inputs, None, move || {
            let desc = format!(
                "{list_title} membres de la {} : adresses, téléphones, prise de rendez-vous.",
                site.cpts.data.nom
            );
            let data = context! {
                groupe => group_page_value(&g, range.clone(), false),
                pagination => Value::from_serialize(&pagination),
                professions => professions.clone(),
                communes => communes.clone(),
            };
            page_context(urls, &route, &title, &desc, "annuaire", crumbs.clone(), Extra::default(), data)
        });
    }
}

/// The pages of the `i`-th commune of the territory, which holds `actions` (upcoming).
fn commune_pages<'a>(p: &mut Planner<'a>, lists: &Lists, dir_crumb: &Link, i: usize, actions: Vec<views::ActionCard>) {
    let (site, urls, cards) = (p.site, p.urls, p.cards);
    let communes = &lists.views;
    let (c, view) = (&site.communes()[i], &communes[i]);
    let shapes = site.outlines().and_then(|o| o.as_ref().ok());
    let shapes_key = site.outlines_key();
    let centres: Vec<Option<[f64; 2]>> = lists.map_communes.iter().map(|m| m.centre).collect();
    let near = neighbours(&centres, i);
    let everyone = near.len() + 1 == communes.len();
    let (shown, title) = if everyone {
        ((0..lists.map_communes.len()).collect(), format!("Carte du territoire, {} mise en évidence", c.nom))
    } else {
        // A large territory's map is drawn around the commune: its neighbours only.
        (near.iter().copied().chain([i]).collect(), format!("Carte {} et des communes voisines", of_commune(&c.nom)))
    };
    let (map_key, small_map) = p.maps.page_map(&lists.map_communes, shown, shapes, shapes_key, &c.insee.value, title);
    let here = Arc::new(groups(site, urls, cards, lists.communes[i].iter().copied()));
    let autres: Vec<views::CommuneView> =
        if everyone { communes.clone() } else { near.iter().map(|&j| communes[j].clone()).collect() };
    let (actions, autres, small_map) = (Arc::new(actions), Arc::new(autres), Arc::new(small_map));
    // The members of every group, one after the other, are split into pages like a single
    // list; the commune's actions and map are on its first page.
    let len: usize = here.iter().map(|g| g.members.len()).sum();
    let ranges = paging::ranges(len);
    let pages = ranges.len();
    let first = Route::Commune(commune_slug(c));
    let list_title = format!("Professionnels de santé {}", in_commune(&c.nom));
    // What every page of the commune shows besides its cards, fingerprinted once.
    let shown = crate::fingerprint::of(&(site.cpts.hash, view, &*autres));
    for (i, range) in ranges.into_iter().enumerate() {
        let route = first.clone().paged(i + 1);
        let pagination = paging::Pagination::of(urls, &first, i + 1, pages, &range, len);
        let parts = paging::parts(here.iter().map(|g| g.members.len()), &range);
        let on_page: Vec<u64> =
            parts.iter().flat_map(|(g, r, _)| here[*g].member_inputs[r.clone()].iter().copied()).collect();
        // What the page shows of each of its groups besides the cards.
        let labels: Vec<(&str, bool, usize)> =
            parts.iter().map(|(g, _, suite)| (here[*g].label.as_str(), *suite, here[*g].members.len())).collect();
        let first_page = i == 0;
        let inputs =
            crate::fingerprint::of(&(shown, &pagination, labels, on_page, first_page.then_some((&*actions, map_key))));
        let title = paging::Pagination::title(pagination.as_ref(), &list_title);
        let crumbs = crumbs_to(dir_crumb, pagination.as_ref(), &list_title, urls, &first);
        let job_title = if first_page { list_title.clone() } else { title.clone() };
        let (here, actions, autres, small_map) =
            (Arc::clone(&here), Arc::clone(&actions), Arc::clone(&autres), Arc::clone(&small_map));
        let view = view.clone();
        p.push_deferred(route.clone(), "commune.html", job_title, inputs, None, move || {
            let groupes: Vec<Value> =
                parts.iter().map(|(g, r, suite)| group_page_value(&here[*g], r.clone(), *suite)).collect();
            let data = context! {
                commune => Value::from_serialize(&view),
                groupes => groupes,
                nombre => len,
                pagination => Value::from_serialize(&pagination),
                actions => if first_page { Value::from_serialize(&*actions) } else { Value::from(()) },
                communes => Value::from_serialize(&*autres),
                voisines => !everyone,
                carte => if first_page { Value::from_serialize(&*small_map.draw()) } else { Value::from(()) },
                carte_url => urls.link(&Route::Map),
            };
            let desc = format!(
                "Les professionnels et structures de santé {} membres de la {}.",
                view.a_nom, site.cpts.data.nom
            );
            page_context(urls, &route, &title, &desc, "annuaire", crumbs.clone(), Extra::default(), data)
        });
    }
}

/// A group as templates see it (the fields of [`super::planner::Group`]), its members a
/// [`LazyCards`]: a list page of a large territory shows thousands of cards, and each one, made
/// into template values, weighs a few kilobytes.
pub(super) fn group_value(g: &super::planner::Group) -> Value {
    group_page_value(g, 0..g.members.len(), false)
}

/// The part of a group a list page shows: its members in `range`, with `nombre`, how many the
/// whole group holds, and `suite`, whether the group began on an earlier page.
fn group_page_value(g: &super::planner::Group, range: Range<usize>, suite: bool) -> Value {
    let members = LazyCards(g.members[range].iter().map(|c| (*c).clone()).collect());
    context! {
        key => g.key.clone(),
        label => g.label.clone(),
        url => g.url.clone(),
        members => Value::from_object(members),
        nombre => g.members.len(),
        suite => suite,
    }
}

/// The breadcrumbs of a list page: the directory, and for the pages after the first the list's
/// first page, named by `list_title`.
fn crumbs_to(
    directory: &Link,
    pagination: Option<&paging::Pagination>,
    list_title: &str,
    urls: &Urls,
    first: &Route,
) -> Vec<Link> {
    let mut crumbs = vec![directory.clone()];
    if pagination.is_some_and(|p| p.number() > 1) {
        crumbs.push(Link { label: list_title.to_string(), url: urls.link(first) });
    }
    crumbs
}

/// Member cards made into template values one at a time, as a template reads them, rather than
/// all at once for the whole page.
#[derive(Debug)]
struct LazyCards(Vec<views::MemberCard>);

impl minijinja::value::Object for LazyCards {
    fn repr(self: &Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(Value::from_serialize)
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Seq(self.0.len())
    }
}

/// The name of a profession's or structure kind's category, in the plural (`Infirmiers`).
fn category_label(key: &str) -> &'static str {
    vocab::profession(key).map(|x| x.plural).or(vocab::structure(key).map(|x| x.plural)).unwrap_or("")
}

/// How many neighbouring communes a commune page shows when the territory has more.
pub(super) const NEIGHBOURS: usize = 12;

/// The other communes to show on the page of commune `i`: every other one in a small territory,
/// else its [`NEIGHBOURS`] nearest (by their `centres`, those of the map), nearest first.
pub(super) fn neighbours(centres: &[Option<[f64; 2]>], i: usize) -> Vec<usize> {
    let mut others: Vec<usize> = (0..centres.len()).filter(|&j| j != i).collect();
    if others.len() <= NEIGHBOURS {
        return others;
    }
    // Centres are optional: communes without one come after the others, in the order of
    // cpts.yaml (and all of them when commune `i` has none).
    let centre = |j: usize| centres[j];
    let [lat, lon] = centre(i).unwrap_or_default();
    let scale = lat.to_radians().cos();
    let distance = |j: &usize| match (centre(i), centre(*j)) {
        (Some(_), Some([la, lo])) => {
            let (dx, dy) = ((lo - lon) * scale, la - lat);
            dx * dx + dy * dy
        }
        _ => f64::INFINITY,
    };
    let order = |a: &usize, b: &usize| distance(a).total_cmp(&distance(b)).then(a.cmp(b));
    others.select_nth_unstable_by(NEIGHBOURS - 1, order);
    others.truncate(NEIGHBOURS);
    others.sort_by(order);
    others
}

/// A member page's context (see [`views::Backlinks::member_inputs`] for what it reads).
pub(super) fn member_page(
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
        "{}{} {} : adresse, téléphone, horaires.",
        view.card.kind,
        view.card.specialite.as_ref().map_or(String::new(), |s| format!(" ({s})")),
        in_communes(view.card.communes.iter().map(String::as_str))
    );
    let key = group_key(m);
    let crumbs = vec![
        dir_crumb,
        Link { label: category_label(key).to_string(), url: urls.link(&Route::Profession(key.to_string())) },
    ];
    let extra = Extra {
        jsonld: std::iter::once(crate::render::jsonld::embed(&crate::render::jsonld::member(site, urls, m)))
            .chain(crate::render::jsonld::profile_page(urls, m).map(|p| crate::render::jsonld::embed(&p)))
            .collect(),
        image: view.image.clone(),
        ..Extra::default()
    };
    let title = view.card.name.clone();
    let route = Route::Member(m.slug.clone());
    page_context(urls, &route, &title, &desc, "annuaire", crumbs, extra, Value::from_serialize(&view))
}

pub(super) fn map_page(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let shapes = site.outlines().and_then(|o| o.as_ref().ok());
    let list = crate::render::map::communes(site, shapes, |c| urls.link(&Route::Commune(commune_slug(c))));
    let title = "Carte des communes du territoire et nombre de professionnels";
    let (_, map) = p.maps.svg(&list, shapes, site.outlines_key(), None, title);
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
    let data = context! { carte => Value::from_serialize(&map), communes => rows, annuaire_url => urls.link(&Route::Directory) };
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
