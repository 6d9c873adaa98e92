//! Structured data (JSON-LD, schema.org) embedded in pages.
//!
//! A page context carries `page.jsonld`, a list of ready-to-embed JSON texts that `base.html`
//! writes as `<script type="application/ld+json">` blocks. The JSON is built with serde_json,
//! never by concatenating strings, and [`embed`] makes it safe inside an HTML `<script>`; only
//! [`graph`] joins a page's blocks into one, taking from each its first member, the same
//! `"@context"` for all, which leaves every object whole.
//!
//! Which offers are job postings: `stage` (INTERN), `remplacement` (TEMPORARY, CONTRACTOR),
//! `collaboration` and `assistanat` (CONTRACTOR: a self-employed professional working with
//! another), `salariat` (FULL_TIME). An `installation` is not a job: nobody hires, the
//! professional sets up their own practice, so it gets no `JobPosting`.

use super::views::Link;
use crate::model::freshness::Fact;
use crate::model::{Action, Member, Offer, Site, vocab};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::{Value, json};

/// Serialises JSON for an HTML `<script>` element: `<`, `>` and `&` are written as `\u003c`,
/// `\u003e` and `\u0026`, which JSON allows inside strings (the only place they can occur), so
/// no `</script>` or `<!--` can ever close the element early.
pub fn embed(value: &impl Serialize) -> String {
    // Serialising a `Value` or one of the structures below cannot fail: every key is a string.
    let mut bytes = Vec::with_capacity(1024);
    let text = match serde_json::to_writer(&mut bytes, value) {
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(_) => String::new(),
    };
    if !text.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
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

/// The JSON-LD blocks of one page (each from [`embed`]) as one: `{"@context": …, "@graph": [the
/// objects without their own @context]}`, written once in the page instead of one `<script>` and
/// one `@context` for each (member pages carry three). Blocks not written by [`embed`] from an
/// object whose first key is the schema.org context are left as they are.
pub fn graph(blocks: Vec<String>) -> Vec<String> {
    const CONTEXT: &str = "{\"@context\":\"https://schema.org\",";
    if blocks.len() < 2 || !blocks.iter().all(|b| b.starts_with(CONTEXT) && b.ends_with('}')) {
        return blocks;
    }
    let mut out = String::with_capacity(blocks.iter().map(String::len).sum::<usize>() + 16);
    out.push_str(CONTEXT);
    out.push_str("\"@graph\":[");
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        out.push_str(&b[CONTEXT.len()..]);
    }
    out.push_str("]}");
    vec![out]
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
                // A MSP or a centre de santé is a `MedicalClinic`, a SSIAD a `MedicalOrganization`…
                let kind = m
                    .data
                    .structure
                    .as_ref()
                    .and_then(|s| vocab::structure(&s.value))
                    .map_or("Organization", |s| s.schema_type);
                json!({
                    "@type": kind,
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
    if let (Some(salary), Some(obj)) = (d.salaire.as_ref().and_then(|s| base_salary(&s.value)), posting.as_object_mut())
    {
        obj.insert("baseSalary".into(), salary);
    }
    Some(posting)
}

/// An offer's salary as a schema.org `MonetaryAmount` in euros: one `value`, or a range
/// (`minValue`, `maxValue`), per `unitText` (`MONTH`…).
fn base_salary(s: &crate::model::Salaire) -> Option<Value> {
    let unit = vocab::salary_unit(&s.periode.value)?;
    let mut value = json!({ "@type": "QuantitativeValue", "unitText": unit });
    let obj = value.as_object_mut()?;
    match (&s.montant, &s.minimum, &s.maximum) {
        (Some(m), _, _) => {
            obj.insert("value".into(), json!(m.value));
        }
        (None, None, None) => return None,
        (None, lo, hi) => {
            if let Some(lo) = lo {
                obj.insert("minValue".into(), json!(lo.value));
            }
            if let Some(hi) = hi {
                obj.insert("maxValue".into(), json!(hi.value));
            }
        }
    }
    Some(json!({ "@type": "MonetaryAmount", "currency": "EUR", "value": value }))
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
        if let Some(p) = c.contact.telephone.as_ref().and_then(|t| crate::domain::ids::phone(&t.value).ok()) {
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

/// A member as schema.org sees it (see [`member`]). Fields are in the alphabetical order of
/// their JSON keys, the order of the other blocks (serde_json sorts the keys of a `Value`).
#[derive(Debug, Serialize)]
pub struct MemberLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<PostalAddressLd<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<GeoLd>,
    #[serde(rename = "isAcceptingNewPatients", skip_serializing_if = "Option::is_none")]
    accepts_new_patients: Option<bool>,
    #[serde(rename = "knowsLanguage", skip_serializing_if = "Vec::is_empty")]
    languages: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<PlaceLd>,
    #[serde(rename = "memberOf")]
    member_of: OrganizationLd<'a>,
    name: String,
    #[serde(rename = "openingHoursSpecification", skip_serializing_if = "Vec::is_empty")]
    opening_hours: Vec<OpeningLd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<String>,
    url: String,
}

#[derive(Debug, Serialize)]
struct PostalAddressLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressCountry")]
    country: &'static str,
    #[serde(rename = "addressLocality")]
    locality: &'a str,
    #[serde(rename = "postalCode")]
    postal_code: &'a str,
    #[serde(rename = "streetAddress")]
    street: &'a str,
}

#[derive(Debug, Serialize)]
struct GeoLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

#[derive(Debug, Serialize)]
struct PlaceLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    geo: GeoLd,
}

#[derive(Debug, Serialize)]
struct OpeningLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    closes: String,
    #[serde(rename = "dayOfWeek")]
    days: Vec<&'static str>,
    opens: String,
}

#[derive(Debug, Serialize)]
struct OrganizationLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// A member as the schema.org type of its profession or structure, with its first place.
pub fn member<'a>(site: &'a Site, urls: &Urls, m: &'a Member) -> MemberLd<'a> {
    let d = &m.data;
    let kind = d
        .profession
        .as_ref()
        .and_then(|p| vocab::profession(&p.value))
        .map(|p| p.schema_type)
        .or_else(|| d.structure.as_ref().and_then(|s| vocab::structure(&s.value)).map(|s| s.schema_type))
        .unwrap_or("MedicalBusiness");
    let mut v = MemberLd {
        context: "https://schema.org",
        kind,
        address: None,
        geo: None,
        accepts_new_patients: None,
        languages: Vec::new(),
        location: None,
        member_of: OrganizationLd { kind: "MedicalOrganization", name: &site.cpts.data.nom, url: urls.base() },
        name: super::views::display_name(m),
        opening_hours: Vec::new(),
        telephone: None,
        url: urls.absolute(&Route::Member(m.slug.clone())),
    };
    if let Some(l) = d.lieux.first() {
        // A place outside the territory (a member shared with another CPTS) is named from the
        // official commune table.
        let official = || crate::domain::communes::table().commune(&l.commune.value).map(|o| o.nom);
        let commune =
            site.commune(&l.commune.value).map(|c| c.nom.as_str()).or_else(official).unwrap_or(&l.commune.value);
        v.address = Some(PostalAddressLd {
            kind: "PostalAddress",
            country: "FR",
            locality: commune,
            postal_code: &l.code_postal.value,
            street: &l.adresse,
        });
        if let Some(c) = &l.coordonnees {
            let geo = GeoLd { kind: "GeoCoordinates", latitude: c.value[0], longitude: c.value[1] };
            if NOT_PLACES.contains(&kind) {
                v.location = Some(PlaceLd { kind: "Place", geo });
            } else {
                v.geo = Some(geo);
            }
        }
        // Only a current phone and current hours: a stale one is shown « à confirmer » on the
        // page, which structured data cannot say.
        if !d.assessed.is_stale(Fact::Telephone, Some(0)) {
            v.telephone = l.telephone.as_ref().and_then(|t| crate::domain::ids::phone(&t.value).ok()).map(|p| p.tel);
        }
        // Hours belong to places: only the ones written plainly enough to be read for sure.
        if !NOT_PLACES.contains(&kind) && !d.assessed.is_stale(Fact::Horaires, Some(0)) {
            let openings = l.horaires.as_ref().and_then(|h| crate::domain::hours::parse(&h.value)).unwrap_or_default();
            v.opening_hours = openings
                .into_iter()
                .map(|o| OpeningLd {
                    kind: "OpeningHoursSpecification",
                    closes: o.closes,
                    days: o.days,
                    opens: o.opens,
                })
                .collect();
        }
    }
    if MEDICAL_ORGANIZATIONS.contains(&kind) {
        v.accepts_new_patients = d.accepts_new_patients();
    }
    // Only what the file states and is current: no language at all when it says nothing.
    if let Some(langues) = d.languages().filter(|_| !d.assessed.is_stale(Fact::Langues, None)) {
        v.languages = std::iter::once("français").chain(langues.iter().map(String::as_str)).collect();
    }
    v
}

/// The page of a member as a `ProfilePage` whose `dateModified` is the last time the member
/// confirmed any of its facts; `None` when nothing is dated.
#[derive(Debug, Serialize)]
pub struct ProfilePageLd {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    name: String,
    #[serde(rename = "dateModified")]
    date_modified: String,
}

/// The [`ProfilePageLd`] of a member's page, when its file dates a confirmation.
pub fn profile_page(urls: &Urls, m: &Member) -> Option<ProfilePageLd> {
    let date = m.data.last_confirmation()?;
    Some(ProfilePageLd {
        context: "https://schema.org",
        kind: "ProfilePage",
        url: urls.absolute(&Route::Member(m.slug.clone())),
        name: super::views::display_name(m),
        date_modified: date.to_string(),
    })
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

/// A session's own name, so that the sessions of one action differ in search results: the
/// action's title, where (`au Luc`, unless online) and on which day.
fn session_name(titre: &str, commune: Option<&str>, day: Date) -> String {
    match commune {
        Some(nom) => format!("{titre} {}, {}", crate::domain::text::in_commune(nom), super::text::date_short(day)),
        None => format!("{titre}, {}", super::text::date_short(day)),
    }
}

/// One `Event` per dated session of an action.
pub fn session_events(site: &Site, urls: &Urls, a: &Action) -> Vec<Value> {
    let url = urls.absolute(&Route::Action(a.slug.clone()));
    a.data
        .seances
        .iter()
        .filter_map(|s| {
            let day = s.date.as_ref()?.value;
            let postcode = match site.commune(&s.commune.value) {
                Some(c) => c.codes_postaux.first().map(|p| p.value.clone()),
                None => crate::domain::communes::table()
                    .commune(&s.commune.value)
                    .and_then(|c| c.codes_postaux().next())
                    .map(str::to_string),
            };
            let end_day = s.date_fin.as_ref().map_or(day, |d| d.value);
            let place = (!s.en_ligne && !s.commune.value.is_empty()).then(|| super::views::seance_commune(site, s));
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
                        "postalCode": postcode,
                        "addressLocality": super::views::seance_commune(site, s),
                        "addressCountry": "FR",
                    },
                })
            };
            let mut ev = json!({
                "@context": "https://schema.org",
                "@type": "Event",
                "name": session_name(&a.data.titre, place.as_deref(), day),
                "description": a.data.resume,
                "url": url,
                "startDate": paris_datetime(day, s.debut.as_ref().map(|t| t.value)),
                "eventStatus": "https://schema.org/EventScheduled",
                "eventAttendanceMode": mode,
                "location": location,
                "organizer": {
                    "@type": "Organization",
                    "name": s.organisateur.clone().unwrap_or_else(|| site.cpts.data.nom.clone()),
                },
            });
            if let Some(obj) = ev.as_object_mut() {
                if s.fin.is_some() || s.date_fin.is_some() {
                    obj.insert("endDate".into(), json!(paris_datetime(end_day, s.fin.as_ref().map(|t| t.value))));
                }
                // Free or paid only when the content says so.
                if let Some(free) = s.gratuit.or(s.prix.as_ref().map(|_| false)) {
                    obj.insert("isAccessibleForFree".into(), json!(free));
                }
                let availability =
                    if s.is_full() { "https://schema.org/SoldOut" } else { "https://schema.org/InStock" };
                if s.gratuit == Some(true) {
                    obj.insert(
                        "offers".into(),
                        json!({ "@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url, "availability": availability }),
                    );
                } else if s.is_full() {
                    obj.insert("offers".into(), json!({ "@type": "Offer", "url": url, "availability": availability }));
                }
            }
            Some(ev)
        })
        .collect()
}

/// A page's breadcrumb trail as schema.org sees it (see [`breadcrumbs`]); keys in alphabetical
/// order, like [`MemberLd`].
#[derive(Debug, Serialize)]
pub struct BreadcrumbListLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItemLd<'a>>,
}

#[derive(Debug, Serialize)]
struct ListItemLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: String,
    name: &'a str,
    position: usize,
}

/// The breadcrumb trail of a page: the crumbs, then the page itself.
pub fn breadcrumbs<'a>(urls: &Urls, crumbs: &'a [Link], title: &'a str, url: &str) -> BreadcrumbListLd<'a> {
    let items = crumbs
        .iter()
        .map(|c| (c.label.as_str(), urls.absolute_link(&c.url)))
        .chain(std::iter::once((title, url.to_string())))
        .enumerate()
        .map(|(i, (name, item))| ListItemLd { kind: "ListItem", item, name, position: i + 1 })
        .collect();
    BreadcrumbListLd { context: "https://schema.org", kind: "BreadcrumbList", items }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_blocks_become_one_graph_that_keeps_every_object() {
        let a = embed(&json!({"@context": "https://schema.org", "@type": "Physician", "name": "A < B"}));
        let b = embed(&json!({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []}));
        let merged = graph(vec![a.clone(), b]);
        assert_eq!(merged.len(), 1);
        let v: Value = serde_json::from_str(&merged[0]).unwrap();
        assert_eq!(v["@context"], "https://schema.org");
        assert_eq!(v["@graph"][0], json!({"@type": "Physician", "name": "A < B"}));
        assert_eq!(v["@graph"][1], json!({"@type": "BreadcrumbList", "itemListElement": []}));
        assert!(!merged[0].contains('<'), "still safe inside <script>");
        // One block, or a block written otherwise, stays as it is.
        assert_eq!(graph(vec![a.clone()]), vec![a.clone()]);
        let other = "{\"@type\":\"Thing\"}".to_string();
        assert_eq!(graph(vec![a.clone(), other.clone()]), vec![a, other]);
    }

    #[test]
    fn each_session_has_its_own_name() {
        let day = jiff::civil::date(2026, 10, 6);
        assert_eq!(session_name("Octobre rose", Some("Le Luc"), day), "Octobre rose au Luc, 6 octobre 2026");
        assert_eq!(session_name("Octobre rose", Some("Vidauban"), day), "Octobre rose à Vidauban, 6 octobre 2026");
        assert_eq!(session_name("Octobre rose", None, day), "Octobre rose, 6 octobre 2026");
    }

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
