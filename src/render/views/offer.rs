//! Offers as pages show them: their cards, their type labels, and when an offer has expired.

use super::common::commune_slug;
use crate::model::{Commune, Offer, Site, vocab};
use crate::render::text::{date_short, euros, typo};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use serde::Serialize;

/// Whether an offer is past its last day.
pub fn is_expired_offer(o: &Offer, today: Date) -> bool {
    o.data.valide_jusqu_au.value < today
}

/// An offer in a list.
#[derive(Debug, Clone, Serialize)]
pub struct OfferCard {
    /// Identifier.
    pub slug: String,
    /// Page.
    pub url: String,
    /// Title.
    pub titre: String,
    /// Summary.
    pub resume: String,
    /// Type key (`stage`…).
    pub type_key: String,
    /// Type label ("Stage").
    pub type_label: String,
    /// Profession label.
    pub profession: String,
    /// Profession key (for filters).
    pub profession_key: String,
    /// Commune names.
    pub communes: Vec<String>,
    /// Commune URL slugs (for filters).
    pub commune_slugs: Vec<String>,
    /// "14 octobre 2026".
    pub publiee_le: String,
    /// ISO publication date.
    pub publiee_iso: String,
    /// "31 mars 2027".
    pub valide_jusqu_au: String,
    /// Medical zoning of the communes (ZIP/ZAC), if any.
    pub zonage: Vec<String>,
    /// Housing offered.
    pub logement: bool,
    /// Rank the coordinator gave the offer (`priorite`: 1 first), if any.
    pub priorite: Option<u8>,
}

/// Orders offers as lists show them: by the rank the coordinator gave them (`priorite`: 1 first),
/// then those without one, newest first; the file name settles the rest, so the order never
/// depends on how the files were read.
pub fn sort_offers(list: &mut [OfferCard]) {
    list.sort_by(|a, b| {
        let rank = |o: &OfferCard| o.priorite.map_or(u16::MAX, u16::from);
        rank(a).cmp(&rank(b)).then_with(|| b.publiee_iso.cmp(&a.publiee_iso)).then_with(|| a.slug.cmp(&b.slug))
    });
}

/// A sentence saying what an offer's salary is (« de 2 900 € à 3 400 € brut par mois »), from
/// the `salaire` the check stage accepted.
pub fn salary_text(s: &crate::model::Salaire) -> Option<String> {
    let period = vocab::SALARY_PERIODS.iter().find(|t| t.key == s.periode.value)?.label;
    let amount = match (&s.montant, &s.minimum, &s.maximum) {
        (Some(m), _, _) => euros(u64::from(m.value)),
        (None, Some(lo), Some(hi)) => format!("de {} à {}", euros(u64::from(lo.value)), euros(u64::from(hi.value))),
        (None, Some(lo), None) => format!("à partir de {}", euros(u64::from(lo.value))),
        (None, None, Some(hi)) => format!("jusqu’à {}", euros(u64::from(hi.value))),
        (None, None, None) => return None,
    };
    Some(format!("{amount} brut {period}"))
}

/// The French label of an offer type.
pub fn offer_type_label(key: &str) -> &'static str {
    match key {
        "stage" => "Stage",
        "installation" => "Installation",
        "remplacement" => "Remplacement",
        "collaboration" => "Collaboration",
        "assistanat" => "Assistanat",
        "salariat" => "Poste salarié",
        _ => "Offre",
    }
}

/// Builds an offer card.
pub fn offer_card(site: &Site, urls: &Urls, o: &Offer) -> OfferCard {
    let d = &o.data;
    let communes: Vec<&Commune> = d.communes.iter().filter_map(|c| site.commune(&c.value)).collect();
    let mut zonage: Vec<String> = communes
        .iter()
        .filter_map(|c| c.zonage.as_ref())
        .filter(|z| z.value != "aucun")
        .map(|z| z.value.to_uppercase())
        .collect();
    zonage.sort();
    zonage.dedup();
    OfferCard {
        slug: o.slug.clone(),
        url: urls.link(&Route::Offer(o.slug.clone())),
        titre: typo(&d.titre),
        resume: typo(&d.resume),
        type_key: d.kind.value.clone(),
        type_label: offer_type_label(&d.kind.value).to_string(),
        profession: vocab::profession(&d.profession.value).map_or_else(String::new, |p| p.masculine.to_string()),
        profession_key: d.profession.value.clone(),
        communes: communes.iter().map(|c| c.nom.clone()).collect(),
        commune_slugs: communes.iter().map(|c| commune_slug(c)).collect(),
        publiee_le: date_short(d.date_publication.value),
        publiee_iso: d.date_publication.value.to_string(),
        valide_jusqu_au: date_short(d.valide_jusqu_au.value),
        zonage,
        logement: d.logement.is_some(),
        priorite: d.priorite.as_ref().map(|p| p.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{S, Salaire};

    fn at<T>(value: T) -> S<T> {
        S { value, line: 1, column: 1 }
    }

    fn card(slug: &str, priorite: Option<u8>, date: &str) -> OfferCard {
        OfferCard {
            slug: slug.into(),
            url: String::new(),
            titre: String::new(),
            resume: String::new(),
            type_key: "installation".into(),
            type_label: String::new(),
            profession: String::new(),
            profession_key: String::new(),
            communes: vec![],
            commune_slugs: vec![],
            publiee_le: String::new(),
            publiee_iso: date.into(),
            valide_jusqu_au: String::new(),
            zonage: vec![],
            logement: false,
            priorite,
        }
    }

    #[test]
    fn ranked_offers_first_then_newest_then_by_name() {
        let mut list = vec![
            card("b-old", None, "2026-01-01"),
            card("second", Some(2), "2025-01-01"),
            card("a-new", None, "2026-06-01"),
            card("first", Some(1), "2024-01-01"),
            card("a-old", None, "2026-01-01"),
        ];
        sort_offers(&mut list);
        let order: Vec<&str> = list.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(order, ["first", "second", "a-new", "a-old", "b-old"]);
    }

    #[test]
    fn salaries_read_as_french_amounts() {
        let salary = |montant: Option<u32>, minimum: Option<u32>, maximum: Option<u32>, periode: &str| Salaire {
            montant: montant.map(at),
            minimum: minimum.map(at),
            maximum: maximum.map(at),
            periode: at(periode.to_string()),
        };
        let text = |s: Salaire| salary_text(&s);
        assert_eq!(
            text(salary(Some(3200), None, None, "mois")).as_deref(),
            Some("3\u{202f}200\u{202f}€ brut par mois")
        );
        assert_eq!(
            text(salary(None, Some(2600), Some(3100), "mois")).as_deref(),
            Some("de 2\u{202f}600\u{202f}€ à 3\u{202f}100\u{202f}€ brut par mois")
        );
        assert_eq!(
            text(salary(None, Some(28), None, "heure")).as_deref(),
            Some("à partir de 28\u{202f}€ brut par heure")
        );
        assert_eq!(
            text(salary(None, None, Some(40_000), "an")).as_deref(),
            Some("jusqu’à 40\u{202f}000\u{202f}€ brut par an")
        );
        // Nothing to say, or a period the check refuses: nothing said.
        assert_eq!(text(salary(None, None, None, "mois")), None);
        assert_eq!(text(salary(Some(10), None, None, "mensuel")), None);
    }
}
