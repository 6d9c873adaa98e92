//! What depends on what, for the dev server: each page is known by the hash of everything its
//! rendering reads (template, page context, site-wide context, template generation). A page is
//! rendered again only when that hash changes, so a saved member file re-renders that member's
//! page and the lists that show it, and nothing else.
//!
//! Keys are computed by [`crate::render::render_with`] from the planned pages themselves, so this
//! map cannot go stale when pages or templates are added: whatever a page shows is part of its key.
//! A save plans again every page but members': of those, only the pages that read the records it
//! changed ([`crate::render::depends`]); the others keep the keys recorded here. A save that
//! changes no member's facts plans only the directory's lists holding the changed cards
//! ([`crate::render::depends::Sections::Lists`]): every other page keeps its key here.

use crate::fingerprint::FastHasher;
use crate::render::depends::Changed;
use crate::render::{PageKey, PageMemo};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// The dependency map of the pages rendered so far: output path → hash of the page's inputs.
#[derive(Default)]
pub struct PageKeys {
    /// What the last render kept for the next one.
    carried: std::sync::Mutex<crate::render::Carried>,
    /// The pages other than members', planned again on every save that changes more than
    /// cards (see [`crate::render::depends::Sections`]).
    sections: Paths,
    /// The member pages: a save plans again only those it touched ([`crate::render::depends`]).
    members: Paths,
    /// The records changed since the last render recorded.
    changed: Changed,
    /// Memory of earlier versions of the directory's site-wide files, for the next render.
    buffers: std::sync::Mutex<Vec<Vec<u8>>>,
    generation: u64,
}

/// Output paths and the keys of their pages, looked up on every save: hashed with our fast hasher
/// rather than SipHash.
type Paths = HashMap<String, u64, BuildHasherDefault<FastHasher>>;

impl PageKeys {
    /// Forgets every page: the templates changed, everything renders again.
    pub fn templates_changed(&mut self) {
        self.generation += 1;
    }

    /// Notes what a save changed, for the next render (added to what earlier saves changed when
    /// their render failed).
    pub fn changes(&mut self, changed: Changed) {
        self.changed.merge(changed);
    }

    /// Records the keys of a successful render ([`crate::render::RenderOutput`]'s `page_keys`
    /// and `retired`): every page when `retired` is `None`, else the pages planned, the member
    /// pages `retired` being gone and the others kept; with `partial`, the other pages too
    /// ([`crate::render::depends::Sections::Lists`]). Returns the paths of the pages the site
    /// no longer has.
    pub fn record(&mut self, page_keys: Vec<PageKey>, retired: Option<Vec<String>>, partial: bool) -> Vec<String> {
        self.changed = Changed::nothing();
        let sections = page_keys.iter().filter(|p| !p.member).map(|p| (p.path.clone(), p.key));
        let mut gone = Vec::new();
        if partial {
            self.sections.extend(sections);
        } else {
            let sections: Paths = sections.collect();
            gone.extend(self.sections.keys().filter(|p| !sections.contains_key(*p)).cloned());
            self.sections = sections;
        }
        let members = page_keys.into_iter().filter(|p| p.member).map(|p| (p.path, p.key));
        match retired {
            None => {
                let members: Paths = members.collect();
                gone.extend(self.members.keys().filter(|p| !members.contains_key(*p)).cloned());
                self.members = members;
            }
            Some(retired) => {
                for path in retired {
                    if self.members.remove(&path).is_some() {
                        gone.push(path);
                    }
                }
                self.members.extend(members);
            }
        }
        gone
    }

    /// Keeps what a render carries over for the next one.
    pub fn keep(&mut self, carried: crate::render::Carried) {
        *self.carried.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner) = carried;
    }

    /// Gives back the memory of earlier versions of the directory's site-wide files, for the
    /// next render to write their new versions into ([`PageMemo::take_buffers`]).
    pub fn recycle(&mut self, buffers: Vec<Vec<u8>>) {
        self.buffers.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner).extend(buffers);
    }

    /// Number of pages known.
    pub fn len(&self) -> usize {
        self.sections.len() + self.members.len()
    }

    /// Whether no page is known yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PageMemo for PageKeys {
    fn seed(&self) -> u64 {
        self.generation
    }

    fn is_fresh(&self, path: &str, key: u64) -> bool {
        self.members.get(path).or_else(|| self.sections.get(path)) == Some(&key)
    }

    fn take_carried(&self) -> crate::render::Carried {
        std::mem::take(&mut *self.carried.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn changed(&self) -> Changed {
        self.changed.clone()
    }

    fn is_member_page(&self, path: &str) -> bool {
        self.members.contains_key(path)
    }

    fn take_buffers(&self) -> Vec<Vec<u8>> {
        std::mem::take(&mut *self.buffers.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn knows(&self, path: &str) -> bool {
        self.members.contains_key(path) || self.sections.contains_key(path)
    }
}
