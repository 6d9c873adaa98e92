//! Long lists split into numbered pages: the directory's lists by profession and by commune, and
//! the commune pages of a region's portal (`crate::region::portal`). Page 1 keeps the list's
//! address; the others are at `…/page/<n>/` (see [`crate::routes::Route::paged`]). The pager's
//! markup is the theme's (`pager` and `pager_position` in macros.html), for both.

use crate::routes::{Route, Urls};
use serde::Serialize;
use std::ops::Range;

/// Cards on one page of a list. A card weighs about 400 bytes of HTML: 50 of them (20 KB) leave a
/// list page, with its frame and navigation, well under the 60 KB budget of a page read on a
/// phone, and are still a list one scrolls through rather than pages one turns every few lines.
/// The busiest professions of a large town (a few hundred members) then take a handful of pages.
pub const PAGE_SIZE: usize = 50;

/// The ranges of the pages of a list of `len` items, in order: one page, maybe empty, up to
/// [`PAGE_SIZE`] items, then as many full pages as needed and a last one with the rest.
pub fn ranges(len: usize) -> Vec<Range<usize>> {
    if len == 0 {
        return std::iter::once(0..0).collect();
    }
    (0..len).step_by(PAGE_SIZE).map(|start| start..len.min(start + PAGE_SIZE)).collect()
}

/// The parts of consecutive groups of `sizes` items on the page holding `range` of their items
/// taken one group after the other: for each group on the page, its position, the range of its
/// own items shown, and whether it began on an earlier page (its heading then says « suite »).
pub fn parts(sizes: impl IntoIterator<Item = usize>, range: &Range<usize>) -> Vec<(usize, Range<usize>, bool)> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, len) in sizes.into_iter().enumerate() {
        let end = start + len;
        let (from, to) = (range.start.max(start), range.end.min(end));
        if from < to {
            parts.push((i, from - start..to - start, from > start));
        }
        start = end;
    }
    parts
}

/// How the pages around the current one are named in a pager: the first and the last, the
/// current one and this many on each side; gaps between them are shown as « … ».
const AROUND: usize = 1;

/// Where a page stands in its list, and the links to the others: `data.pagination` of a list
/// page, absent when the list holds on one page.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Pagination {
    /// This page's number, from 1.
    numero: usize,
    /// How many pages the list has.
    pages: usize,
    /// How many items the whole list holds.
    nombre: usize,
    /// Position in the whole list of the first and last items of this page, from 1.
    premier: usize,
    dernier: usize,
    /// The previous and next pages, when there are.
    precedente: Option<String>,
    suivante: Option<String>,
    /// The pages the pager names, in order, gaps included.
    liens: Vec<PageLink>,
}

/// One entry of a pager: a page, or a gap (`numero` and `url` empty) between pages not named.
#[derive(Debug, Clone, Serialize, Hash)]
struct PageLink {
    numero: Option<usize>,
    url: Option<String>,
    /// Whether this is the page shown.
    courante: bool,
}

impl Pagination {
    /// Page `n` (from 1) of `pages` of the list at `first` (a route [`Route::paged`] splits),
    /// showing `range` of `len` items; `None` when the list has only one page.
    pub fn of(
        urls: &Urls,
        first: &Route,
        n: usize,
        pages: usize,
        range: &Range<usize>,
        len: usize,
    ) -> Option<Pagination> {
        if pages < 2 {
            return None;
        }
        let link = |k: usize| urls.link(&first.clone().paged(k));
        let mut liens = Vec::new();
        for k in 1..=pages {
            let named = k == 1 || k == pages || k.abs_diff(n) <= AROUND;
            if named {
                liens.push(PageLink { numero: Some(k), url: Some(link(k)), courante: k == n });
            } else if liens.last().is_some_and(|l: &PageLink| l.numero.is_some()) {
                liens.push(PageLink { numero: None, url: None, courante: false });
            }
        }
        Some(Pagination {
            numero: n,
            pages,
            nombre: len,
            premier: range.start + 1,
            dernier: range.end,
            precedente: (n > 1).then(|| link(n - 1)),
            suivante: (n < pages).then(|| link(n + 1)),
            liens,
        })
    }

    /// This page's number, from 1.
    pub fn number(&self) -> usize {
        self.numero
    }

    /// The page's title: the list's, and which page this is (« Infirmiers, page 2 sur 7 »), so
    /// that every page of the list has its own.
    pub fn title(pagination: Option<&Pagination>, list_title: &str) -> String {
        match pagination {
            Some(p) => format!("{list_title}, page {} sur {}", p.numero, p.pages),
            None => list_title.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_at_the_page_size() {
        let one = |r: Range<usize>| std::iter::once(r).collect::<Vec<_>>();
        assert_eq!(ranges(0), one(0..0));
        assert_eq!(ranges(1), one(0..1));
        assert_eq!(ranges(PAGE_SIZE), one(0..PAGE_SIZE));
        assert_eq!(ranges(PAGE_SIZE + 1), [0..PAGE_SIZE, PAGE_SIZE..PAGE_SIZE + 1]);
        assert_eq!(ranges(3 * PAGE_SIZE).len(), 3);
    }

    #[test]
    fn groups_continue_across_pages() {
        // Groups of 30, 40 and 5 items: page 1 holds the first and 20 of the second, page 2
        // the rest of the second (« suite ») and the third.
        let sizes = [30, 40, 5];
        assert_eq!(parts(sizes, &(0..50)), [(0, 0..30, false), (1, 0..20, false)]);
        assert_eq!(parts(sizes, &(50..75)), [(1, 20..40, true), (2, 0..5, false)]);
        assert_eq!(parts([0, 3], &(0..3)), [(1, 0..3, false)]);
    }

    /// The pages a pager names, `0` for a gap, the current one in brackets.
    fn named(n: usize, pages: usize) -> String {
        let urls = Urls::new("https://exemple.fr/");
        let p = Pagination::of(&urls, &Route::Profession("infirmier".into()), n, pages, &(0..1), 1000).unwrap();
        let names: Vec<String> = p
            .liens
            .iter()
            .map(|l| match (l.numero, l.courante) {
                (Some(k), true) => format!("[{k}]"),
                (Some(k), false) => k.to_string(),
                (None, _) => "…".to_string(),
            })
            .collect();
        names.join(" ")
    }

    #[test]
    fn the_pager_names_the_ends_and_the_neighbours() {
        assert_eq!(named(1, 2), "[1] 2");
        assert_eq!(named(1, 20), "[1] 2 … 20");
        assert_eq!(named(3, 20), "1 2 [3] 4 … 20");
        assert_eq!(named(10, 20), "1 … 9 [10] 11 … 20");
        assert_eq!(named(20, 20), "1 … 19 [20]");
        assert_eq!(named(4, 5), "1 … 3 [4] 5");
    }

    #[test]
    fn pages_link_to_their_neighbours_and_page_one_keeps_its_address() {
        let urls = Urls::new("https://exemple.fr/cpts/");
        let list = Route::Commune("le-luc".into());
        assert!(Pagination::of(&urls, &list, 1, 1, &(0..PAGE_SIZE), PAGE_SIZE).is_none());
        let second = Pagination::of(&urls, &list, 2, 3, &(50..100), 1043).unwrap();
        assert_eq!(second.precedente.as_deref(), Some("/cpts/annuaire/commune/le-luc/"));
        assert_eq!(second.suivante.as_deref(), Some("/cpts/annuaire/commune/le-luc/page/3/"));
        assert_eq!((second.premier, second.dernier, second.nombre), (51, 100, 1043));
        let last = Pagination::of(&urls, &list, 3, 3, &(100..101), 101).unwrap();
        assert_eq!(last.suivante, None);
        assert_eq!(Pagination::title(Some(&last), "Infirmiers"), "Infirmiers, page 3 sur 3");
        assert_eq!(Pagination::title(None, "Infirmiers"), "Infirmiers");
    }
}
