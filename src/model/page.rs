//! `pages/*.md` and `actualites/*.md`: free pages and news.

use super::common::{Image, S};
use jiff::civil::Date;
use serde::Deserialize;

/// Front matter of a free page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// Title.
    pub titre: String,
    /// Summary for search results and social cards.
    #[serde(default)]
    pub resume: Option<String>,
    /// Position in the main menu; absent means not in the menu.
    #[serde(default)]
    pub menu: Option<u32>,
    /// Who the page is for: `population` (default) or `professionnels` (listed on /professionnels/).
    #[serde(default)]
    pub espace: Option<S<String>>,
    /// Illustration.
    #[serde(default)]
    pub image: Option<Image>,
    /// Not published unless `--drafts`.
    #[serde(default)]
    pub brouillon: bool,
}

/// Front matter of a news item.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsMeta {
    /// Title.
    pub titre: String,
    /// Publication date.
    pub date: S<Date>,
    /// Summary for lists and feeds.
    pub resume: String,
    /// Illustration.
    #[serde(default)]
    pub image: Option<Image>,
    /// Not published unless `--drafts`.
    #[serde(default)]
    pub brouillon: bool,
}
