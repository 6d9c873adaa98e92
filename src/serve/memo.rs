//! What depends on what, for the dev server: each page is known by the hash of everything its
//! rendering reads (template, page context, site-wide context, template generation). A page is
//! rendered again only when that hash changes, so a saved member file re-renders that member's
//! page and the lists that show it, and nothing else.
//!
//! Keys are computed by [`crate::render::render_with`] from the planned pages themselves, so this
//! map cannot go stale when pages or templates are added: whatever a page shows is part of its key.

use crate::fingerprint::FastHasher;
use crate::render::PageMemo;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// The dependency map of the pages rendered so far: output path → hash of the page's inputs.
#[derive(Default)]
pub struct PageKeys {
    /// The member cards of the last render, for the next one.
    cards: std::sync::Mutex<Option<crate::render::pages::Cards>>,
    /// Each member's part of the site-wide files of the last render, for the next one.
    rows: std::sync::Mutex<Option<crate::render::rows::SiteRows>>,
    /// Looked up once per page on every save: hashed with our fast hasher rather than SipHash.
    keys: HashMap<String, u64, BuildHasherDefault<FastHasher>>,
    generation: u64,
}

impl PageKeys {
    /// Forgets every page: the templates changed, everything renders again.
    pub fn templates_changed(&mut self) {
        self.generation += 1;
    }

    /// Records the keys of a successful render (every page, rendered or skipped), forgetting
    /// pages that no longer exist.
    pub fn record(&mut self, page_keys: &[(String, u64, bool)]) {
        self.keys = page_keys.iter().map(|(path, key, _)| (path.clone(), *key)).collect();
    }

    /// Keeps the member cards of a render for the next one.
    pub fn keep_cards(&mut self, cards: Option<crate::render::pages::Cards>) {
        *self.cards.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner) = cards;
    }

    /// Keeps each member's part of the site-wide files of a render for the next one.
    pub fn keep_rows(&mut self, rows: Option<crate::render::rows::SiteRows>) {
        *self.rows.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner) = rows;
    }

    /// Number of pages known.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no page is known yet.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl PageMemo for PageKeys {
    fn seed(&self) -> u64 {
        self.generation
    }

    fn is_fresh(&self, path: &str, key: u64) -> bool {
        self.keys.get(path) == Some(&key)
    }

    fn take_cards(&self) -> Option<crate::render::pages::Cards> {
        self.cards.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }

    fn take_rows(&self) -> Option<crate::render::rows::SiteRows> {
        self.rows.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}
