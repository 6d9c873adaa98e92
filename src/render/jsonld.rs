//! Structured data (JSON-LD, schema.org) embedded in pages.
//!
//! A page context carries `page.jsonld`, a list of ready-to-embed JSON texts that `base.html`
//! writes as `<script type="application/ld+json">` blocks. The JSON is built with serde_json,
//! never by concatenating strings, and [`embed`] makes it safe inside an HTML `<script>`.
//!
//! Which offers are job postings: `stage` (INTERN), `remplacement` (TEMPORARY, CONTRACTOR),
//! `collaboration` and `assistanat` (CONTRACTOR: a self-employed professional working with
//! another), `salariat` (FULL_TIME). An `installation` is not a job: nobody hires, the
//! professional sets up their own practice, so it gets no `JobPosting`.

use crate::model::{Offer, Site};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use serde_json::{Value, json};

/// Serialises JSON for an HTML `<script>` element: `<`, `>` and `&` are written as `\u003c`,
/// `\u003e` and `\u0026`, which JSON allows inside strings (the only place they can occur), so
/// no `</script>` or `<!--` can ever close the element early.
pub fn embed(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(ch),
        }
    }
    out
}

/// The schema.org `employmentType` values of an offer type, or `None` when the offer is not a
/// job posting (`installation`, unknown types).
pub fn employment_type(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "stage" => Some(&["INTERN"]),
        "remplacement" => Some(&["TEMPORARY", "CONTRACTOR"]),
        "collaboration" | "assistanat" => Some(&["CONTRACTOR"]),
        "salariat" => Some(&["FULL_TIME"]),
        _ => None,
    }
}

/// `2027-03-15` → `2027-03-15T23:59:59+01:00`: the end of a day in Europe/Paris.
fn end_of_day(d: Date) -> String {
    d.at(23, 59, 59, 0)
        .in_tz("Europe/Paris")
        .map_or_else(|_| format!("{d}T23:59:59Z"), |z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

/// The organisation behind the site: the CPTS.
pub fn cpts_organization(site: &Site, urls: &Urls) -> Value {
    let c = &site.cpts.data;
    json!({
        "@type": "Organization",
        "name": c.nom,
        "url": urls.base(),
        "email": c.contact.courriel.value,
    })
}

/// A schema.org `JobPosting` for a true job offer; `None` for an installation.
///
/// The hiring organisation is the structure named as contact when there is one (a MSP, a
/// SSIAD…), otherwise the CPTS, which publishes the offer on behalf of its members.
pub fn job_posting(site: &Site, urls: &Urls, offer: &Offer, description_html: &str) -> Option<Value> {
    let d = &offer.data;
    let types = employment_type(&d.kind.value)?;
    let hiring = d
        .contact
        .membre
        .as_ref()
        .and_then(|m| site.member(&m.value))
        .and_then(|m| {
            m.data.raison_sociale.as_ref().map(|name| {
                json!({
                    "@type": "Organization",
                    "name": name,
                    "url": urls.absolute(&Route::Member(m.slug.clone())),
                })
            })
        })
        .unwrap_or_else(|| cpts_organization(site, urls));
    let places: Vec<Value> = d
        .communes
        .iter()
        .filter_map(|c| site.commune(&c.value))
        .map(|c| {
            json!({
                "@type": "Place",
                "name": c.nom,
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": c.nom,
                    "postalCode": c.codes_postaux.first().map(|p| p.value.clone()),
                    "addressCountry": "FR",
                },
            })
        })
        .collect();
    let mut posting = json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": d.titre,
        "description": description_html,
        "datePosted": d.date_publication.value.to_string(),
        "validThrough": end_of_day(d.valide_jusqu_au.value),
        "employmentType": types,
        "hiringOrganization": hiring,
        "jobLocation": places,
        "url": urls.absolute(&Route::Offer(offer.slug.clone())),
        "identifier": {
            "@type": "PropertyValue",
            "name": site.cpts.data.nom,
            "value": offer.slug,
        },
    });
    if let Some(p) = crate::model::vocab::profession(&d.profession.value)
        && let Some(obj) = posting.as_object_mut()
    {
        obj.insert("occupationalCategory".into(), json!(p.masculine));
    }
    if let (Some(start), Some(obj)) = (&d.debut, posting.as_object_mut()) {
        obj.insert("jobStartDate".into(), json!(start.value.to_string()));
    }
    Some(posting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_the_script() {
        let v = json!({ "description": "</script><script>alert(1)</script> & <!--" });
        let out = embed(&v);
        assert!(!out.contains('<') && !out.contains('>'));
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn installation_is_not_a_job() {
        assert_eq!(employment_type("installation"), None);
        assert_eq!(employment_type("stage"), Some(&["INTERN"][..]));
        assert_eq!(employment_type("salariat"), Some(&["FULL_TIME"][..]));
    }

    #[test]
    fn end_of_day_follows_paris_time() {
        assert_eq!(end_of_day(jiff::civil::date(2027, 3, 15)), "2027-03-15T23:59:59+01:00");
        assert_eq!(end_of_day(jiff::civil::date(2027, 7, 1)), "2027-07-01T23:59:59+02:00");
    }
}
