//! Each member's part of the site-wide files (the directory's open data, `annuaire.csv` and
//! `annuaire.json`, and its search index), kept by the dev server between saves: a save makes
//! again the parts of the members it touched, and each file is a concatenation of the parts.
//! A build makes the files directly (streamed, without holding every part).

use super::{opendata, search, views};
use crate::model::Site;
use crate::routes::Urls;
use jiff::civil::Date;
use rayon::prelude::*;

/// One member's parts.
#[derive(Debug, Clone)]
struct Part {
    slug: String,
    /// Fingerprint of what the open data rows and the sort name read: the member, cpts.yaml
    /// (commune names, freshness rules), the site's address and the day (stale facts).
    key: u64,
    csv: String,
    json: Vec<u8>,
    sort_name: String,
    /// [`Part::key`] with that of the index's tables, which the entry points into.
    index_key: u64,
    index: Vec<u8>,
}

/// Every member's parts, in the order of `site.members`.
#[derive(Debug, Clone)]
pub struct SiteRows {
    parts: Vec<Part>,
    tables: search::Tables,
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
                    Some(p) => Part { index_key, index: entry_json(m, &tables), ..p },
                    None => {
                        let (csv, json) = opendata::member_pieces(site, urls, m);
                        let sort_name = views::sort_name(m);
                        let index = entry_json(m, &tables);
                        Part { slug: m.slug.clone(), key, csv, json, sort_name, index_key, index }
                    }
                }
            })
            .collect();
        SiteRows { parts, tables }
    }

    /// `annuaire.csv` and `annuaire.json`.
    pub fn directory(&self) -> (Vec<u8>, Vec<u8>) {
        opendata::directory_from(self.parts.iter().map(|p| (p.csv.as_str(), p.json.as_slice())))
    }

    /// `/annuaire/index.json`: the members sorted by name (a stable sort, as the index's).
    pub(super) fn directory_index(&self, urls: &Urls) -> Vec<u8> {
        let mut order: Vec<&Part> = self.parts.iter().collect();
        order.sort_by(|a, b| a.sort_name.cmp(&b.sort_name));
        self.tables.index_json(urls, order.into_iter().map(|p| p.index.as_slice()))
    }
}

/// A member's entry of the directory index, serialised.
fn entry_json(m: &crate::model::Member, tables: &search::Tables) -> Vec<u8> {
    serde_json::to_vec(&search::member_entry(m, tables)).unwrap_or_default()
}
