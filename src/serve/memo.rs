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
    /// What the last render kept for the next one.
    carried: std::sync::Mutex<crate::render::Carried>,
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
    pub fn record(&mut self, page_keys: Vec<(String, u64, bool)>) {
        self.keys.clear();
        self.keys.extend(page_keys.into_iter().map(|(path, key, _)| (path, key)));
    }

    /// Keeps what a render carries over for the next one.
    pub fn keep(&mut self, carried: crate::render::Carried) {
        *self.carried.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner) = carried;
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

    fn take_carried(&self) -> crate::render::Carried {
        std::mem::take(&mut *self.carried.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}
