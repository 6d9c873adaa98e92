//! `pages/*.md` and `actualites/*.md`: free pages and news.

use super::common::{Image, S};
use super::json_schema;
use jiff::civil::Date;
use serde::Deserialize;

/// Front matter of a free page.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Page",
    description = "L’en-tête d’une page libre (content/pages/NOM.md) ; le texte sous l’en-tête est la page."
)]
pub struct PageMeta {
    /// Title.
    #[schemars(title = "Titre", description = "Titre de la page.")]
    pub titre: String,
    /// Summary for search results and social cards.
    #[serde(default)]
    #[schemars(title = "Résumé", description = "Résumé pour les résultats de recherche et les cartes de partage.")]
    pub resume: Option<String>,
    /// Position in the main menu; absent means not in the menu.
    #[serde(default)]
    #[schemars(
        title = "Position dans le menu",
        description = "Position dans le menu principal ; absente : la page n’est pas dans le menu."
    )]
    pub menu: Option<u32>,
    /// Who the page is for: `population` (default) or `professionnels` (listed on /professionnels/).
    #[serde(default)]
    #[schemars(title = "Espace", description = "À qui s’adresse la page : population (par défaut) ou professionnels (listée sur /professionnels/).", transform = json_schema::audience)]
    pub espace: Option<S<String>>,
    /// Illustration.
    #[serde(default)]
    #[schemars(title = "Image", description = "Illustration.")]
    pub image: Option<Image>,
    /// Not published unless `--drafts`.
    #[serde(default)]
    #[schemars(title = "Brouillon", description = "true pour ne pas publier (sauf avec --drafts).")]
    pub brouillon: bool,
}

/// Front matter of a news item.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Actualité",
    description = "L’en-tête d’une actualité (content/actualites/NOM.md) ; le texte sous l’en-tête est l’article."
)]
pub struct NewsMeta {
    /// Title.
    #[schemars(title = "Titre", description = "Titre de l’actualité.")]
    pub titre: String,
    /// Publication date.
    #[schemars(title = "Date", description = "Date de publication (AAAA-MM-JJ).")]
    pub date: S<Date>,
    /// Summary for lists and feeds.
    #[schemars(title = "Résumé", description = "Résumé pour les listes et les flux.")]
    pub resume: String,
    /// Illustration.
    #[serde(default)]
    #[schemars(title = "Image", description = "Illustration.")]
    pub image: Option<Image>,
    /// Not published unless `--drafts`.
    #[serde(default)]
    #[schemars(title = "Brouillon", description = "true pour ne pas publier (sauf avec --drafts).")]
    pub brouillon: bool,
}
