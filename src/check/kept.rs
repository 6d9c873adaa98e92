//! The check of a site kept between the dev server's saves ([`KeptCheck`]): each member's
//! findings are kept, sorted, and made again only when something they read changed, so that a
//! save costs what it changes rather than what the site holds (tens of thousands of warnings on a
//! large site, most of them stale facts of members nobody touched).
//!
//! What a member's rules read, and how each is followed:
//! - its own file: the fingerprint of its path and bytes ([`crate::model::Record::hash`]),
//!   compared for every member on every update (a walk, no parsing);
//! - what every member's rules read alike — the day and the scope, cpts.yaml (territory,
//!   postcodes, freshness rules), the outlines of `communes.geojson` (the box of plausible
//!   coordinates), the static files (images): one fingerprint; when it changes every member is
//!   checked again;
//! - the other members: the numbers they hold (the duplicate rule names the member before that
//!   holds the same number) and the members a structure names (existence, consent, files that
//!   could not be read, and the closest name when none matches), followed by two indexes.
//!
//! The rules of every other file are cheap and few on any site: they run on every update.
//! What [`KeptCheck::update`] gives is exactly what [`super::check`] gives, sorted.

use super::checker::Checker;
use super::{Scope, members};
use crate::diagnostic;
use crate::diagnostic::sorted::Sorted;
use crate::model::{Member, Site};
use crate::source::SourceKind;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// A member by its place in the site's order: slug, then file.
type Key = (String, String);

/// What one member's findings were made from.
struct Entry {
    /// [`crate::model::Record::hash`] of its file.
    hash: u64,
    /// Its numbers ([`members::numbers`]).
    numbers: [Option<String>; 4],
    /// The members it names.
    names: Vec<String>,
}

/// The findings of a site's check, kept between updates (see the module's documentation).
#[derive(Default)]
pub struct KeptCheck {
    /// Fingerprint of what every member's rules read besides members ([`context_key`]); `None`
    /// before the first update.
    context: Option<u64>,
    /// Every member checked, in the site's order.
    members: BTreeMap<Key, Entry>,
    /// The findings of members, by file.
    findings: Sorted,
    /// For each kind of number ([`members::numbers`]), each value and the members holding it.
    holders: [HashMap<String, BTreeSet<Key>>; 4],
    /// For each slug, the members naming it.
    named_by: HashMap<String, BTreeSet<Key>>,
    /// Members naming a member that does not exist: the hint names the closest of all members.
    unresolved: BTreeSet<Key>,
    /// Slugs of member files that could not be decoded.
    undecoded: BTreeSet<String>,
}

impl KeptCheck {
    /// Brings the kept findings up to date with `site` and returns every finding of
    /// [`super::check`] on it, sorted by [`diagnostic::sort`]; the parts of the files whose
    /// findings did not change are the ones returned before.
    pub fn update(&mut self, site: &Site, scope: &Scope) -> Sorted {
        let context = context_key(site, scope);
        if self.context != Some(context) {
            *self = KeptCheck { context: Some(context), ..KeptCheck::default() };
        }
        let dirty = self.follow(site);
        let mut c = Checker::new(site, scope);
        for key in dirty {
            let Ok(i) = site.members.binary_search_by(|m| (m.slug.as_str(), m.file.as_str()).cmp(&(&key.0, &key.1)))
            else {
                continue;
            };
            let m = &site.members[i];
            c.member_file(m, self.earlier(m, &key), scope, true);
            let mut findings = std::mem::take(&mut c.out);
            diagnostic::sort(&mut findings);
            self.findings.set(&m.file, Arc::from(findings));
        }
        // The site's rules run first in a full check: their findings go before members' (they
        // never name a member's file).
        c.site_rules(scope);
        Sorted::around(c.out, &self.findings, Vec::new())
    }

    /// Finds the members added, changed and removed since the last update, brings the indexes
    /// up to date, and returns every member whose findings must be made again.
    fn follow(&mut self, site: &Site) -> BTreeSet<Key> {
        let mut dirty = BTreeSet::new();
        let (mut gone, mut touched) = (Vec::new(), BTreeSet::new());
        let mut kept = self.members.iter().peekable();
        let mut fresh = Vec::new();
        for m in &site.members {
            // The same fingerprint: the same file, unchanged (its path is part of it). Most
            // members, found without comparing their names.
            if kept.next_if(|(_, e)| e.hash == m.hash).is_some() {
                continue;
            }
            let here = (m.slug.as_str(), m.file.as_str());
            while let Some((k, _)) = kept.next_if(|(k, _)| (k.0.as_str(), k.1.as_str()) < here) {
                gone.push(k.clone());
            }
            match kept.next_if(|(k, _)| (k.0.as_str(), k.1.as_str()) == here) {
                Some((_, e)) if e.hash == m.hash => {}
                Some((k, _)) => {
                    gone.push(k.clone());
                    fresh.push(m);
                }
                None => fresh.push(m),
            }
        }
        gone.extend(kept.map(|(k, _)| k.clone()));
        let members_changed = fresh.len() != gone.len()
            || fresh.iter().zip(&gone).any(|(m, k)| (m.slug.as_str(), m.file.as_str()) != (k.0.as_str(), k.1.as_str()));
        let mut numbers = BTreeSet::new();
        for key in gone {
            let Some(entry) = self.members.remove(&key) else { continue };
            self.findings.set(&key.1, Arc::from(Vec::new()));
            for (kind, value) in entry.numbers.into_iter().enumerate() {
                let Some(value) = value else { continue };
                if let Some(holders) = self.holders[kind].get_mut(&value) {
                    holders.remove(&key);
                    if holders.is_empty() {
                        self.holders[kind].remove(&value);
                    }
                }
                numbers.insert((kind, value));
            }
            for name in entry.names {
                if let Some(by) = self.named_by.get_mut(&name) {
                    by.remove(&key);
                    if by.is_empty() {
                        self.named_by.remove(&name);
                    }
                }
            }
            self.unresolved.remove(&key);
            touched.insert(key.0);
        }
        for m in fresh {
            let key = (m.slug.clone(), m.file.clone());
            let numbers_now = members::numbers(m).map(|n| n.map(str::to_string));
            for (kind, value) in numbers_now.iter().enumerate() {
                let Some(value) = value else { continue };
                self.holders[kind].entry(value.clone()).or_default().insert(key.clone());
                numbers.insert((kind, value.clone()));
            }
            let names: Vec<String> = m.data.membres.iter().map(|s| s.value.clone()).collect();
            for name in &names {
                self.named_by.entry(name.clone()).or_default().insert(key.clone());
            }
            touched.insert(m.slug.clone());
            let entry = Entry { hash: m.hash, numbers: numbers_now, names };
            self.members.insert(key.clone(), entry);
            dirty.insert(key);
        }
        let undecoded: BTreeSet<String> =
            site.undecoded.iter().filter(|u| u.kind == SourceKind::Member).map(|u| u.slug.clone()).collect();
        touched.extend(self.undecoded.symmetric_difference(&undecoded).cloned());
        self.undecoded = undecoded;
        for (kind, value) in &numbers {
            dirty.extend(self.holders[*kind].get(value).into_iter().flatten().cloned());
        }
        for slug in &touched {
            dirty.extend(self.named_by.get(slug).into_iter().flatten().cloned());
        }
        if members_changed {
            dirty.extend(self.unresolved.iter().cloned());
        }
        for key in &dirty {
            let Some(entry) = self.members.get(key) else { continue };
            if entry.names.iter().any(|n| site.member(n).is_none()) {
                self.unresolved.insert(key.clone());
            } else {
                self.unresolved.remove(key);
            }
        }
        dirty
    }

    /// For each number of `m` (at `key`), the slug of the member before it that holds it.
    fn earlier<'s>(&'s self, m: &Member, key: &Key) -> [Option<&'s str>; 4] {
        let mut earlier = [None; 4];
        for ((kind, value), slot) in members::numbers(m).into_iter().enumerate().zip(&mut earlier) {
            let Some(value) = value else { continue };
            let before = self.holders[kind].get(value).and_then(|h| h.range(..key.clone()).next_back());
            *slot = before.map(|(slug, _)| slug.as_str());
        }
        earlier
    }
}

/// Fingerprint of what every member's rules read besides the members: the scope (the day,
/// drafts, production), cpts.yaml (territory, postcodes, freshness rules), the outlines (the
/// box of coordinates), and the static files (images).
fn context_key(site: &Site, scope: &Scope) -> u64 {
    let Scope { today, drafts, production } = *scope;
    let assets: Vec<(&str, &str, bool)> =
        site.assets.iter().map(|a| (a.file.as_str(), a.within.as_str(), a.is_document)).collect();
    crate::fingerprint::of(&(today.to_string(), drafts, production, site.cpts.hash, site.outlines_key(), assets))
}
