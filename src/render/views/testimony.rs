//! Testimonies of professionals who settled (`installation.temoignages` of cpts.yaml), as
//! `/s-installer/` and offer pages show them: only those published with consent.

use super::common::ImageRef;
use crate::domain::text::in_commune;
use crate::model::{Site, vocab};
use crate::render::text::typo;
use serde::Serialize;

/// A testimony as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct TestimonyView {
    /// Who speaks ("Claire").
    pub nom: String,
    /// Who they are, after their name: « infirmière au Luc depuis 2019 ».
    pub qui: String,
    /// The testimony, with French typography.
    pub texte: String,
    /// The photo, with its alternative text.
    pub photo: Option<ImageRef>,
}

/// The testimonies the persons agreed to publish, in the order of cpts.yaml; only those of
/// `profession` when one is given (an offer's page shows its own profession's).
pub fn testimonies(site: &Site, profession: Option<&str>) -> Vec<TestimonyView> {
    let Some(inst) = site.cpts.data.installation.as_ref() else { return Vec::new() };
    inst.published_testimonies()
        .filter(|t| profession.is_none_or(|p| p == t.profession.value))
        .map(|t| {
            let woman = t.civilite.as_ref().is_some_and(|c| c.value == "Mme");
            let label =
                vocab::profession(&t.profession.value).map_or("", |p| if woman { p.feminine } else { p.masculine });
            let place = site.commune(&t.commune.value).map(|c| format!(" {}", in_commune(&c.nom))).unwrap_or_default();
            TestimonyView {
                nom: typo(t.nom.value.trim()),
                qui: format!("{}{place} depuis {}", label.to_lowercase(), t.annee_installation.value),
                texte: typo(t.texte.value.trim()),
                photo: t.photo.as_ref().map(|p| ImageRef {
                    src: p.src.value.clone(),
                    alt: p.alt.as_ref().map(|a| typo(a.value.trim())).unwrap_or_default(),
                }),
            }
        })
        .collect()
}
