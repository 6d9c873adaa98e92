//! What the site's pages read beyond their own record: the one dependency graph a build and the
//! dev server share. A build plans every page from it; the dev server, told which records a save
//! changed, plans again only the member pages that read them and keeps the others as the last
//! render left them (thousands of pages on a large site, each known by the fingerprint of its
//! inputs in the server's memo).
//!
//! A member's page reads, besides what every page reads (the site-wide context, cpts.yaml, the
//! day): its own record, the structures that list it, the actions that name it, and the members
//! it lists (see [`crate::render::views::Backlinks::member_inputs`]). The last three are the
//! edges kept here, by the slugs the records write: what a record named before a save is known
//! without its old version.
//!
//! One level up, the site's sections read every member, but little of each: the directory's
//! lists show each member's card where its profession, communes and name put it, and the other
//! sections (the home and about pages' figures, `/soins/`, `/s-installer/`, `/carte/`, the
//! search page…) count members by a few facts. The graph keeps, for each member, the
//! fingerprint of those facts ([`facts`]), and the members whose card or page another section
//! shows (an offer's contact, an action's referent, a short list of `/soins/`…). A save that
//! changes members without changing their facts, none of them shown elsewhere, plans again only
//! the list pages holding their cards ([`Sections::Lists`]): every other page is the last
//! render's.

use crate::model::Site;
use std::collections::{BTreeMap, BTreeSet};

/// The records a save changed, as the dev server knows them from the files it read again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Changed {
    /// Unknown, or beyond what the graph follows: every page is planned again.
    #[default]
    Unknown,
    /// Only these records (by slug), and maybe files no member page reads.
    Records {
        /// Members (or structures) added, changed or removed.
        members: BTreeSet<String>,
        /// Actions added, changed or removed.
        actions: BTreeSet<String>,
        /// Whether other content files changed (offers, pages, static files…).
        others: bool,
    },
}

impl Changed {
    /// What two saves changed together (a render that failed leaves its changes to the next).
    pub fn merge(&mut self, other: Changed) {
        match (&mut *self, other) {
            (Changed::Unknown, _) => {}
            (_, Changed::Unknown) => *self = Changed::Unknown,
            (Changed::Records { members, actions, others }, Changed::Records { members: m, actions: a, others: o }) => {
                members.extend(m);
                actions.extend(a);
                *others |= o;
            }
        }
    }

    /// Nothing.
    pub fn nothing() -> Changed {
        Changed::Records { members: BTreeSet::new(), actions: BTreeSet::new(), others: false }
    }

    /// Whether only members changed: the site-wide files that read no member (calendars, feeds,
    /// the site's search index, the actions' open data) are those of the last render.
    pub fn only_members(&self) -> bool {
        matches!(self, Changed::Records { actions, others: false, .. } if actions.is_empty())
    }
}

/// The references member pages follow, by slug: the members each structure lists, the members
/// each action names; each member's [`facts`] and the members other sections show; with the
/// fingerprint of what every page reads when they were taken.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Structure (a member with `membres`) → the members it lists, as written.
    lists: BTreeMap<String, Vec<String>>,
    /// Action → the members it names as referents, as written.
    names: BTreeMap<String, Vec<String>>,
    /// Member → the fingerprint of its [`facts`].
    facts: BTreeMap<String, u64>,
    /// The members whose card or page a section other than the directory's lists and the
    /// member pages shows, as the last plan of every section found them; `None` until then.
    shown: Option<BTreeSet<String>>,
    /// Fingerprint of what every page reads (the site-wide context, cpts.yaml, the day).
    shared: u64,
}

/// Which pages other than member pages a render plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sections {
    /// Every section's.
    All,
    /// Only the directory's list pages holding the cards of the changed members: the save
    /// changed members only, none of their [`facts`], none shown by another section, so every
    /// other page, and the place of every card in the lists, are those of the last render.
    Lists,
}

/// Which member pages a render plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every page.
    Whole,
    /// Only the pages of these members (by slug; some may no longer have a page), the other
    /// member pages being those of the last render.
    Members(BTreeSet<String>),
}

impl Graph {
    /// The references of every published record of `site`; `shared` fingerprints what every page
    /// reads.
    pub fn new(site: &Site, shared: u64) -> Graph {
        use rayon::prelude::*;
        let facts: Vec<u64> = site.members.par_iter().map(facts).collect();
        let facts = site.members.iter().zip(facts).map(|(m, f)| (m.slug.clone(), f)).collect();
        let mut g = Graph { shared, facts, ..Graph::default() };
        for m in &site.members {
            g.set_lists(&m.slug, Some(m));
        }
        for a in &site.actions {
            g.set_names(&a.slug, Some(a));
        }
        g
    }

    /// Brings `previous` (the graph of the last render, if any) up to date with `site` after
    /// `changed`, and says which member pages to plan again: every one when what every page reads
    /// changed (`shared`), when the change is unknown, or without a previous graph; and which
    /// other pages ([`Sections`]).
    pub fn update(previous: Option<Graph>, site: &Site, shared: u64, changed: &Changed) -> (Graph, Scope, Sections) {
        let (mut g, members, actions) = match (previous, changed) {
            (Some(g), Changed::Records { members, actions, .. }) if g.shared == shared => (g, members, actions),
            _ => return (Graph::new(site, shared), Scope::Whole, Sections::All),
        };
        // Only the lists, when only members changed, each still there, with the same facts,
        // and none shown by another section.
        let mut lists_only = changed.only_members() && !members.is_empty();
        let mut touched = BTreeSet::new();
        for slug in members {
            let now = site.member(slug).map(facts);
            let before = match now {
                Some(f) => g.facts.insert(slug.clone(), f),
                None => g.facts.remove(slug),
            };
            lists_only &=
                now.is_some() && before == now && g.shown.as_ref().is_some_and(|shown| !shown.contains(slug.as_str()));
            // Its own page, the pages of the members it lists (before and after), and those of
            // the structures listing it.
            touched.insert(slug.clone());
            touched.extend(g.lists.get(slug).into_iter().flatten().cloned());
            g.set_lists(slug, site.member(slug));
            touched.extend(g.lists.get(slug).into_iter().flatten().cloned());
        }
        for (structure, listed) in &g.lists {
            if listed.iter().any(|x| members.contains(x)) {
                touched.insert(structure.clone());
            }
        }
        for slug in actions {
            // The pages of the members it names, before and after.
            touched.extend(g.names.get(slug).into_iter().flatten().cloned());
            g.set_names(slug, site.action(slug));
            touched.extend(g.names.get(slug).into_iter().flatten().cloned());
        }
        let sections = if lists_only { Sections::Lists } else { Sections::All };
        (g, Scope::Members(touched), sections)
    }

    /// Records the members whose card or page a section other than the directory's lists and
    /// the member pages shows, as a plan of every section found them.
    pub fn set_shown(&mut self, shown: BTreeSet<String>) {
        self.shown = Some(shown);
    }

    /// The members each structure lists, by the structure's slug.
    pub fn listed_by(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.lists.iter().map(|(s, l)| (s.as_str(), l.as_slice()))
    }

    /// The members each action names, by the action's slug.
    pub fn named_by_actions(&self) -> impl Iterator<Item = &String> {
        self.names.values().flatten()
    }

    /// The structures and actions of `site` that name members ([`crate::render::views::Backlinks`]
    /// of the site without a walk over every member).
    pub fn backlinks<'s>(&self, site: &'s Site) -> crate::render::views::Backlinks<'s> {
        let structures = self.lists.keys().filter_map(|slug| site.member(slug));
        let actions = self.names.keys().filter_map(|slug| site.action(slug));
        crate::render::views::Backlinks::of(structures, actions)
    }

    fn set_lists(&mut self, slug: &str, member: Option<&crate::model::Member>) {
        set(&mut self.lists, slug, member.map(|m| m.data.membres.as_slice()));
    }

    fn set_names(&mut self, slug: &str, action: Option<&crate::model::Action>) {
        set(&mut self.names, slug, action.map(|a| a.data.referents.as_slice()));
    }
}

/// Fingerprint of what the site's sections other than member pages read of member `m`, besides
/// its card: its profession or structure kind and gender (the lists it is in, their labels, the
/// figures by profession), the communes it practises in, the facts the care and installation
/// pages count (new patients, same-day care, teleconsultation, year of birth, hosting interns),
/// its languages (the directory's filters) and the members it lists (whose cards the pages
/// showing its own show). Keep in step with the sections: a save that leaves these unchanged
/// plans again only the lists holding its card (sorted again by name: a new name moves it
/// within them).
pub fn facts(m: &crate::model::Member) -> u64 {
    let d = &m.data;
    fn value(s: &Option<crate::model::S<String>>) -> Option<&str> {
        s.as_ref().map(|x| x.value.as_str())
    }
    crate::fingerprint::of(&(
        (value(&d.profession), value(&d.structure), crate::render::views::is_woman(m)),
        d.lieux.iter().map(|l| l.commune.value.as_str()).collect::<Vec<_>>(),
        (d.accepts_new_patients(), d.same_day_care(), d.offers_teleconsultation()),
        (d.annee_naissance.as_ref().map(|y| y.value), d.maitre_de_stage),
        d.langues_listed(),
        d.membres.iter().map(|x| x.value.as_str()).collect::<Vec<_>>(),
    ))
}

/// Records in `edges` the members a record of `slug` names (`None`: no such record), keeping
/// only the records that name some.
fn set(edges: &mut BTreeMap<String, Vec<String>>, slug: &str, named: Option<&[crate::model::S<String>]>) {
    match named.filter(|n| !n.is_empty()) {
        Some(n) => {
            edges.insert(slug.to_string(), n.iter().map(|x| x.value.clone()).collect());
        }
        None => {
            edges.remove(slug);
        }
    }
}
