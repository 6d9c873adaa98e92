//! Each member's part of the site-wide files (the directory's open data, `annuaire.csv` and
//! `annuaire.json`, and its search index), kept by the dev server between saves: a save makes
//! again the parts of the members it touched, and each file is a concatenation of the parts.
//! A build makes the files directly (streamed, without holding every part).

use super::{opendata, search};
use crate::model::Site;
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use rayon::prelude::*;

/// The output paths of the directory's site-wide files made from the members' rows:
/// `annuaire.csv`, `annuaire.json` (its open data) and its search index.
pub fn directory_files() -> [String; 3] {
    [
        Route::DataFile("annuaire.csv".into()).output_path(),
        Route::DataFile("annuaire.json".into()).output_path(),
        Route::DirectoryIndex.output_path(),
    ]
}

/// One member's parts.
#[derive(Debug, Clone)]
struct Part {
    slug: String,
    /// Fingerprint of what the open data rows read: the member, cpts.yaml
    /// (commune names, freshness rules), the site's address and the day (stale facts).
    key: u64,
    csv: String,
    json: Vec<u8>,
    /// [`Part::key`] with that of the index's tables, which the entry points into.
    index_key: u64,
    index: Vec<u8>,
}

/// Every member's parts, in the order of `site.members`.
#[derive(Debug, Clone)]
pub struct SiteRows {
    parts: Vec<Part>,
    tables: search::Tables,
    /// Whether `annuaire.csv` and `annuaire.json`, and the directory index, are known to be
    /// those of the rows this was patched from ([`SiteRows::patching`]: no changed part).
    pub(super) same_directory: bool,
    pub(super) same_index: bool,
}

impl SiteRows {
    /// The parts of every member of `site`, taking from `previous` (those of an earlier render)
    /// the ones whose inputs did not change.
    pub fn reusing(site: &Site, urls: &Urls, today: Date, previous: Option<SiteRows>) -> SiteRows {
        let shared = crate::fingerprint::of(&(site.cpts.hash, urls.base(), today));
        let tables = search::Tables::new(site, urls);
        let tables_key = tables.key();
        // Both lists are sorted by slug: one walk finds each part to keep.
        let mut old = previous.map(|p| p.parts.into_iter()).into_iter().flatten().peekable();
        let mut kept: Vec<(u64, Option<Part>)> = Vec::with_capacity(site.members.len());
        for m in &site.members {
            let key = crate::fingerprint::of(&(m.hash, shared));
            while old.next_if(|p| p.slug < m.slug).is_some() {}
            kept.push((key, old.next_if(|p| p.slug == m.slug && p.key == key)));
        }
        let parts = kept
            .into_par_iter()
            .zip(site.members.par_iter())
            .map(|((key, kept), m)| {
                let index_key = crate::fingerprint::of(&(key, tables_key));
                match kept {
                    Some(p) if p.index_key == index_key => p,
                    Some(p) => Part { index_key, index: search::entry_json(m, &tables), ..p },
                    None => part(site, urls, m, shared, &tables),
                }
            })
            .collect();
        SiteRows { parts, tables, same_directory: false, same_index: false }
    }

    /// [`SiteRows::reusing`] when only the members of slugs `changed` may differ from those of
    /// `previous` (and cpts.yaml, the address and the day did not change): when no member was
    /// added or removed and the index's tables are the same, their parts are made again
    /// without a walk over every member. With `same_facts` (the members changed kept their
    /// [`crate::render::depends::facts`]: kinds, communes and languages), the tables are those of
    /// `previous`, not made again from every member.
    pub fn patching(
        site: &Site,
        urls: &Urls,
        today: Date,
        previous: Option<SiteRows>,
        changed: &std::collections::BTreeSet<String>,
        same_facts: bool,
    ) -> SiteRows {
        let Some(mut rows) = previous else { return SiteRows::reusing(site, urls, today, None) };
        let position = |slug: &str| site.members.binary_search_by(|m| m.slug.as_str().cmp(slug)).ok();
        let tables = if same_facts { rows.tables.clone() } else { search::Tables::new(site, urls) };
        let same = rows.parts.len() == site.members.len()
            && tables.key() == rows.tables.key()
            && changed
                .iter()
                .all(|slug| position(slug) == rows.parts.binary_search_by(|p| p.slug.as_str().cmp(slug)).ok());
        if !same {
            return SiteRows::reusing(site, urls, today, Some(rows));
        }
        let shared = crate::fingerprint::of(&(site.cpts.hash, urls.base(), today));
        // A change that leaves a member's bytes as they were (its index entry holds no phone
        // number, for one) leaves the files as they were: they are not made again.
        let (mut same_directory, mut same_index) = (true, true);
        for i in changed.iter().filter_map(|slug| position(slug)) {
            let new = part(site, urls, &site.members[i], shared, &tables);
            let old = std::mem::replace(&mut rows.parts[i], new);
            let new = &rows.parts[i];
            same_directory &= old.csv == new.csv && old.json == new.json;
            same_index &= old.index == new.index;
        }
        rows.tables = tables;
        SiteRows { same_directory, same_index, ..rows }
    }

    /// The paths of the directory's files known to be those of the rows this was patched from:
    /// the last render's are still right.
    pub fn unchanged_files(&self) -> Vec<String> {
        let [csv, json, index] = directory_files();
        let mut paths = Vec::new();
        if self.same_directory {
            paths.extend([csv, json]);
        }
        if self.same_index {
            paths.push(index);
        }
        paths
    }

    /// `annuaire.csv` and `annuaire.json`, written into the buffers given (emptied first).
    pub fn directory(&self, csv: Vec<u8>, json: Vec<u8>) -> (Vec<u8>, Vec<u8>) {
        // Tens of megabytes each on a large site: made side by side.
        rayon::join(
            || opendata::directory_csv_from(self.parts.iter().map(|p| p.csv.as_str()), csv),
            || opendata::directory_json_from(self.parts.iter().map(|p| p.json.as_slice()), json),
        )
    }

    /// `/annuaire/index.json`: the members sorted by name, ties in slug order (as the index's);
    /// `by_name` is that order, as [`super::pages::Cards::by_name`] gives it for the same site.
    /// Written into `buffer` (emptied first).
    pub(super) fn directory_index(&self, urls: &Urls, by_name: &[usize], buffer: Vec<u8>) -> Vec<u8> {
        self.tables.index_json(urls, by_name.iter().map(|&i| self.parts[i].index.as_slice()), buffer)
    }
}

/// A member's parts; `shared` fingerprints cpts.yaml, the address and the day.
fn part(site: &Site, urls: &Urls, m: &crate::model::Member, shared: u64, tables: &search::Tables) -> Part {
    let key = crate::fingerprint::of(&(m.hash, shared));
    let index_key = crate::fingerprint::of(&(key, tables.key()));
    let (csv, json) = opendata::member_pieces(site, urls, m);
    let index = search::entry_json(m, tables);
    Part { slug: m.slug.clone(), key, csv, json, index_key, index }
}
