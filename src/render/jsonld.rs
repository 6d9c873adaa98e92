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

use super::views::Link;
use crate::model::{Action, Member, Offer, Site, vocab};
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

/// The CPTS as a `MedicalOrganization` serving its communes (home page).
pub fn medical_organization(site: &Site, urls: &Urls) -> Value {
    let c = &site.cpts.data;
    let area: Vec<Value> = site
        .communes()
        .iter()
        .map(|x| json!({ "@type": "City", "name": x.nom, "identifier": x.insee.value }))
        .collect();
    let mut org = json!({
        "@context": "https://schema.org",
        "@type": "MedicalOrganization",
        "name": c.nom,
        "description": c.description,
        "url": urls.base(),
        "email": c.contact.courriel.value,
        "areaServed": area,
        "address": { "@type": "PostalAddress", "streetAddress": c.association.siege, "addressCountry": "FR" },
    });
    if let Some(obj) = org.as_object_mut() {
        if let Some(p) = c.contact.telephone.as_ref().and_then(|t| crate::check::ids::phone(&t.value).ok()) {
            obj.insert("telephone".into(), json!(p.tel));
        }
        if let Some(alt) = c.nom_court.as_ref() {
            obj.insert("alternateName".into(), json!(alt));
        }
    }
    org
}

/// schema.org types that are `MedicalOrganization`s, the only ones `isAcceptingNewPatients`
/// applies to (nurses or physiotherapists are `MedicalBusiness`es).
const MEDICAL_ORGANIZATIONS: &[&str] =
    &["Physician", "Dentist", "Pharmacy", "Hospital", "MedicalClinic", "DiagnosticLab", "MedicalOrganization"];

/// schema.org types that are not places: their coordinates go in a `location`.
const NOT_PLACES: &[&str] = &["DiagnosticLab", "MedicalOrganization"];

/// A member as the schema.org type of its profession or structure, with its first place.
pub fn member(site: &Site, urls: &Urls, m: &Member) -> Value {
    let d = &m.data;
    let kind = d
        .profession
        .as_ref()
        .and_then(|p| vocab::profession(&p.value))
        .map(|p| p.schema_type)
        .or_else(|| d.structure.as_ref().and_then(|s| vocab::structure(&s.value)).map(|s| s.schema_type))
        .unwrap_or("MedicalBusiness");
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": kind,
        "name": super::views::display_name(m),
        "url": urls.absolute(&Route::Member(m.slug.clone())),
        "memberOf": { "@type": "MedicalOrganization", "name": site.cpts.data.nom, "url": urls.base() },
    });
    let Some(obj) = v.as_object_mut() else { return v };
    if let Some(l) = d.lieux.first() {
        let commune = site.commune(&l.commune.value).map_or(l.commune.value.as_str(), |c| c.nom.as_str());
        obj.insert(
            "address".into(),
            json!({
                "@type": "PostalAddress",
                "streetAddress": l.adresse,
                "postalCode": l.code_postal.value,
                "addressLocality": commune,
                "addressCountry": "FR",
            }),
        );
        if let Some(c) = &l.coordonnees {
            let geo = json!({ "@type": "GeoCoordinates", "latitude": c.value[0], "longitude": c.value[1] });
            if NOT_PLACES.contains(&kind) {
                obj.insert("location".into(), json!({ "@type": "Place", "geo": geo }));
            } else {
                obj.insert("geo".into(), geo);
            }
        }
        if let Some(p) = l.telephone.as_ref().and_then(|t| crate::check::ids::phone(&t.value).ok()) {
            obj.insert("telephone".into(), json!(p.tel));
        }
    }
    if let Some(accepts) = d.accepte_nouveaux_patients
        && MEDICAL_ORGANIZATIONS.contains(&kind)
    {
        obj.insert("isAcceptingNewPatients".into(), json!(accepts));
    }
    if !d.langues.is_empty() {
        let mut langs = vec!["français".to_string()];
        langs.extend(d.langues.iter().cloned());
        obj.insert("knowsLanguage".into(), json!(langs));
    }
    v
}

/// `2026-10-03T09:00:00+02:00` in Europe/Paris, or the bare date when there is no time.
fn paris_datetime(d: Date, t: Option<jiff::civil::Time>) -> String {
    match t {
        Some(t) => d
            .to_datetime(t)
            .in_tz("Europe/Paris")
            .map_or_else(|_| format!("{d}T{t}"), |z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        None => d.to_string(),
    }
}

/// One `Event` per session of an action.
pub fn session_events(site: &Site, urls: &Urls, a: &Action) -> Vec<Value> {
    let url = urls.absolute(&Route::Action(a.slug.clone()));
    a.data
        .seances
        .iter()
        .map(|s| {
            let commune = site.commune(&s.commune.value);
            let end_day = s.date_fin.as_ref().map_or(s.date.value, |d| d.value);
            let mode = if s.en_ligne {
                "https://schema.org/OnlineEventAttendanceMode"
            } else {
                "https://schema.org/OfflineEventAttendanceMode"
            };
            let location = if s.en_ligne {
                json!({ "@type": "VirtualLocation", "url": s.lien.as_ref().map_or(url.clone(), |l| l.value.clone()) })
            } else {
                json!({
                    "@type": "Place",
                    "name": s.lieu,
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": s.adresse.clone().unwrap_or_else(|| s.lieu.clone()),
                        "postalCode": commune.and_then(|c| c.codes_postaux.first()).map(|p| p.value.clone()),
                        "addressLocality": commune.map_or(s.commune.value.as_str(), |c| c.nom.as_str()),
                        "addressCountry": "FR",
                    },
                })
            };
            let mut ev = json!({
                "@context": "https://schema.org",
                "@type": "Event",
                "name": a.data.titre,
                "description": a.data.resume,
                "url": url,
                "startDate": paris_datetime(s.date.value, s.debut.as_ref().map(|t| t.value)),
                "eventStatus": "https://schema.org/EventScheduled",
                "eventAttendanceMode": mode,
                "location": location,
                "isAccessibleForFree": s.gratuit,
                "organizer": {
                    "@type": "Organization",
                    "name": s.organisateur.clone().unwrap_or_else(|| site.cpts.data.nom.clone()),
                },
            });
            if let Some(obj) = ev.as_object_mut() {
                if s.fin.is_some() || s.date_fin.is_some() {
                    obj.insert("endDate".into(), json!(paris_datetime(end_day, s.fin.as_ref().map(|t| t.value))));
                }
                if s.gratuit {
                    obj.insert(
                        "offers".into(),
                        json!({ "@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url, "availability": "https://schema.org/InStock" }),
                    );
                }
            }
            ev
        })
        .collect()
}

/// The breadcrumb trail of a page: the crumbs, then the page itself.
pub fn breadcrumbs(urls: &Urls, crumbs: &[Link], title: &str, url: &str) -> Value {
    let items: Vec<Value> = crumbs
        .iter()
        .map(|c| (c.label.as_str(), urls.absolute_link(&c.url)))
        .chain(std::iter::once((title, url.to_string())))
        .enumerate()
        .map(|(i, (name, item))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": item }))
        .collect();
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_times_carry_their_offset() {
        let d = jiff::civil::date(2026, 10, 3);
        assert_eq!(paris_datetime(d, Some(jiff::civil::time(9, 0, 0, 0))), "2026-10-03T09:00:00+02:00");
        assert_eq!(
            paris_datetime(jiff::civil::date(2026, 12, 3), Some(jiff::civil::time(9, 0, 0, 0))),
            "2026-12-03T09:00:00+01:00"
        );
        assert_eq!(paris_datetime(d, None), "2026-10-03");
    }

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
