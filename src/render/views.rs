//! View models: what templates receive. Each is a plain serialisable struct built from the
//! checked site, with every URL already resolved and every text already typeset, so templates
//! stay free of logic. Documented for theme authors in docs/themes.md.

use super::markdown::{to_html, to_inline_html};
use super::text::{date_long, date_short, grouped, time_fr, typo};
use crate::domain::ids;
use crate::domain::text::slugify;
use crate::model::{Action, Commune, Image, Lieu, Member, Offer, S, Site, vocab};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use serde::Serialize;

/// A link: a label and where it goes.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text of the link.
    pub label: String,
    /// Root-relative URL.
    pub url: String,
}

/// An image of the content: which one, and its alternative text. Its sizes and variants are in
/// `site.images[src]` (see [`super::images::PictureView`]).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ImageRef {
    /// Path under `content/static/`, the key of `site.images`.
    pub src: String,
    /// Alternative text; empty for a decorative image.
    pub alt: String,
}

/// The [`ImageRef`] of an optional `image:` block.
pub fn image_ref(image: &Option<Image>) -> Option<ImageRef> {
    image.as_ref().map(|i| ImageRef {
        src: i.src.value.clone(),
        alt: if i.decorative {
            String::new()
        } else {
            i.alt.as_ref().map(|a| typo(a.value.trim())).unwrap_or_default()
        },
    })
}

/// A phone number ready for display and for a `tel:` link.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneView {
    /// `04 94 12 34 56`.
    pub display: String,
    /// `+33494123456`.
    pub tel: String,
}

/// Normalises a phone number that the check stage already validated.
pub fn phone(s: &Option<S<String>>) -> Option<PhoneView> {
    s.as_ref().and_then(|v| phone_str(&v.value))
}

/// Normalises a phone number given as text.
pub fn phone_str(s: &str) -> Option<PhoneView> {
    ids::phone(s).ok().map(|p| PhoneView { display: p.display.replace(' ', "\u{a0}"), tel: p.tel })
}

/// A commune, for lists and links.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct CommuneView {
    /// INSEE code.
    pub insee: String,
    /// Name.
    pub nom: String,
    /// Directory page of the commune.
    pub url: String,
    /// Population, written with French digit grouping.
    pub population: String,
    /// Population as a number.
    pub population_value: u64,
    /// Postal codes.
    pub codes_postaux: Vec<String>,
    /// `ZIP`, `ZAC` or empty.
    pub zonage: String,
    /// Published members practising there.
    pub count: usize,
}

/// The URL slug of a commune's directory page.
pub fn commune_slug(c: &Commune) -> String {
    slugify(&c.nom)
}

/// Builds a commune view.
pub fn commune(c: &Commune, urls: &Urls, count: usize) -> CommuneView {
    CommuneView {
        insee: c.insee.value.clone(),
        nom: c.nom.clone(),
        url: urls.link(&Route::Commune(commune_slug(c))),
        population: grouped(c.population),
        population_value: c.population,
        codes_postaux: c.codes_postaux.iter().map(|p| p.value.clone()).collect(),
        zonage: match c.zonage.as_ref().map(|z| z.value.as_str()) {
            Some("zip") => "ZIP".to_string(),
            Some("zac") => "ZAC".to_string(),
            _ => String::new(),
        },
        count,
    }
}

/// A place of practice.
#[derive(Debug, Clone, Serialize)]
pub struct LieuView {
    /// Name of the place.
    pub nom: Option<String>,
    /// Street address.
    pub adresse: String,
    /// Postal code.
    pub code_postal: String,
    /// Commune name.
    pub commune: String,
    /// Commune directory page.
    pub commune_url: String,
    /// Phone.
    pub telephone: Option<PhoneView>,
    /// E-mail.
    pub courriel: Option<String>,
    /// Online booking page.
    pub prise_rdv: Option<String>,
    /// Opening hours.
    pub horaires: Option<String>,
    /// Wheelchair access: true, false or unknown.
    pub accessible_pmr: Option<bool>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
}

fn lieu(site: &Site, urls: &Urls, l: &Lieu) -> LieuView {
    let c = site.commune(&l.commune.value);
    LieuView {
        nom: l.nom.as_deref().map(typo),
        adresse: typo(&l.adresse),
        code_postal: l.code_postal.value.clone(),
        commune: c.map_or_else(|| l.commune.value.clone(), |c| c.nom.clone()),
        commune_url: c.map_or_else(String::new, |c| urls.link(&Route::Commune(commune_slug(c)))),
        telephone: phone(&l.telephone),
        courriel: l.courriel.as_ref().map(|c| c.value.clone()),
        prise_rdv: l.prise_rdv.as_ref().map(|c| c.value.clone()),
        horaires: l.horaires.as_deref().map(typo),
        accessible_pmr: l.accessible_pmr,
        lat: l.coordonnees.as_ref().map(|c| c.value[0]),
        lon: l.coordonnees.as_ref().map(|c| c.value[1]),
    }
}

/// The label of a member's profession or structure kind, in the right gender.
pub fn kind_label(m: &Member) -> String {
    let d = &m.data;
    if let Some(p) = d.profession.as_ref().and_then(|p| vocab::profession(&p.value)) {
        let feminine = d.civilite.as_ref().is_some_and(|c| c.value == "Mme");
        return if feminine { p.feminine } else { p.masculine }.to_string();
    }
    d.structure.as_ref().and_then(|s| vocab::structure(&s.value)).map_or_else(String::new, |s| s.label.to_string())
}

/// The key grouping a member in the directory: profession or structure kind.
pub fn group_key(m: &Member) -> &str {
    let d = &m.data;
    d.profession.as_ref().or(d.structure.as_ref()).map_or("", |k| k.value.as_str())
}

/// A member's name as displayed: "Dr Claire Martin" or the structure's name.
pub fn display_name(m: &Member) -> String {
    let d = &m.data;
    if let Some(r) = &d.raison_sociale {
        return typo(r);
    }
    let mut name = String::new();
    if let Some(t) = &d.titre {
        name.push_str(&t.value);
        name.push(' ');
    }
    name.push_str(d.prenom.as_deref().unwrap_or(""));
    name.push(' ');
    name.push_str(d.nom.as_deref().unwrap_or(""));
    typo(name.trim())
}

/// Sort key: last name then first name, or the structure's name, accents ignored.
pub fn sort_name(m: &Member) -> String {
    let d = &m.data;
    let raw = match &d.raison_sociale {
        Some(r) => r.clone(),
        None => format!("{} {}", d.nom.as_deref().unwrap_or(""), d.prenom.as_deref().unwrap_or("")),
    };
    crate::domain::text::fold(&raw)
}

/// A member in a list: enough to choose, with a link to the full page.
#[derive(Debug, Clone, Serialize)]
pub struct MemberCard {
    /// Identifier.
    pub slug: String,
    /// Member page.
    pub url: String,
    /// Display name.
    pub name: String,
    /// Profession or structure label.
    pub kind: String,
    /// Specialty.
    pub specialite: Option<String>,
    /// First place of practice.
    pub lieu: Option<LieuView>,
    /// Names of the communes where the member practises.
    pub communes: Vec<String>,
    /// Accepts new patients.
    pub accepte_nouveaux_patients: Option<bool>,
    /// Same-day care.
    pub soins_non_programmes: bool,
    /// Teleconsultation.
    pub teleconsultation: bool,
    /// Whether it is a structure.
    pub is_structure: bool,
}

/// Builds a member card.
pub fn member_card(site: &Site, urls: &Urls, m: &Member) -> MemberCard {
    let d = &m.data;
    let mut communes: Vec<String> =
        d.lieux.iter().filter_map(|l| site.commune(&l.commune.value)).map(|c| c.nom.clone()).collect();
    communes.dedup();
    MemberCard {
        slug: m.slug.clone(),
        url: urls.link(&Route::Member(m.slug.clone())),
        name: display_name(m),
        kind: kind_label(m),
        specialite: d.specialite.as_deref().map(typo),
        lieu: d.lieux.first().map(|l| lieu(site, urls, l)),
        communes,
        accepte_nouveaux_patients: d.accepte_nouveaux_patients,
        soins_non_programmes: d.soins_non_programmes,
        teleconsultation: d.teleconsultation,
        is_structure: d.structure.is_some(),
    }
}

/// A member's full page.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    /// Summary fields.
    #[serde(flatten)]
    pub card: MemberCard,
    /// Directory page of the profession.
    pub kind_url: String,
    /// All places of practice.
    pub lieux: Vec<LieuView>,
    /// `Libéral`, `Salarié`, `Libéral et salarié`.
    pub exercice: Option<String>,
    /// Public identifiers shown for professionals ("RPPS 10101234567").
    pub identifiants: Vec<String>,
    /// Languages spoken besides French.
    pub langues: Vec<String>,
    /// Presentation (HTML).
    pub presentation_html: Option<String>,
    /// Hosts interns.
    pub maitre_de_stage: bool,
    /// People practising in this structure.
    pub membres: Vec<MemberCard>,
    /// Structures where this person practises.
    pub structures: Vec<MemberCard>,
    /// Upcoming actions this member leads.
    pub actions: Vec<Link>,
    /// Portrait or façade.
    pub image: Option<ImageRef>,
}

/// Reverse links to a member (structures listing it, actions naming it as referent), built once
/// per planning so that a member page does not scan every member and action of the site.
#[derive(Debug, Default)]
pub struct Backlinks<'a> {
    structures: std::collections::HashMap<&'a str, Vec<&'a Member>>,
    actions: std::collections::HashMap<&'a str, Vec<&'a Action>>,
}

impl<'a> Backlinks<'a> {
    /// Indexes the site's structures and actions by the member slugs they name, in site order.
    pub fn new(site: &'a Site) -> Self {
        let mut b = Backlinks::default();
        for s in &site.members {
            for x in &s.data.membres {
                let list = b.structures.entry(x.value.as_str()).or_default();
                if !list.last().is_some_and(|l| std::ptr::eq(*l, s)) {
                    list.push(s);
                }
            }
        }
        for a in &site.actions {
            for r in &a.data.referents {
                let list = b.actions.entry(r.value.as_str()).or_default();
                if !list.last().is_some_and(|l| std::ptr::eq(*l, a)) {
                    list.push(a);
                }
            }
        }
        b
    }

    /// Fingerprint of everything a member's page reads ([`member_view`] and the page around it):
    /// the member, the structures listing it, the actions naming it, the members it lists,
    /// cpts.yaml and the day. Keep in step with [`member_view`]: the dev server re-renders a
    /// member page only when this changes.
    pub fn member_inputs(&self, site: &Site, m: &Member, today: Date) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::fingerprint::FastHasher::default();
        (m.hash, site.cpts.hash, today).hash(&mut h);
        let structures = self.structures.get(m.slug.as_str()).into_iter().flatten().map(|s| s.hash);
        let actions = self.actions.get(m.slug.as_str()).into_iter().flatten().map(|a| a.hash);
        let listed = m.data.membres.iter().filter_map(|s| site.member(&s.value)).map(|x| x.hash);
        for (list, hashes) in [(1u8, structures.collect::<Vec<_>>()), (2, actions.collect()), (3, listed.collect())] {
            h.write_u8(list);
            hashes.hash(&mut h);
        }
        h.finish()
    }
}

/// Builds a member's full page view; `links` comes from [`Backlinks::new`] on the same site, and
/// `card` gives the [`member_card`] of a member (built once for the whole site).
pub fn member_view(
    site: &Site,
    urls: &Urls,
    m: &Member,
    today: Date,
    links: &Backlinks,
    card: &dyn Fn(&Member) -> MemberCard,
) -> MemberView {
    let d = &m.data;
    let mut identifiants = Vec::new();
    for (label, v) in [("RPPS", &d.rpps), ("ADELI", &d.adeli), ("FINESS", &d.finess), ("SIRET", &d.siret)] {
        if let Some(v) = v {
            identifiants.push(format!("{label}\u{a0}: {}", v.value));
        }
    }
    let structures = links.structures.get(m.slug.as_str()).into_iter().flatten().map(|s| card(s)).collect();
    let actions = links
        .actions
        .get(m.slug.as_str())
        .into_iter()
        .flatten()
        .filter(|a| !is_past_action(a, today))
        .map(|a| Link { label: typo(&a.data.titre), url: urls.link(&Route::Action(a.slug.clone())) })
        .collect();
    let own = card(m);
    // The card already holds the first place.
    let lieux = own.lieu.iter().cloned().chain(d.lieux.iter().skip(1).map(|l| lieu(site, urls, l))).collect();
    MemberView {
        card: own,
        kind_url: urls.link(&Route::Profession(group_key(m).to_string())),
        lieux,
        exercice: d.exercice.as_ref().map(|e| {
            match e.value.as_str() {
                "liberal" => "Libéral",
                "salarie" => "Salarié",
                _ => "Libéral et salarié",
            }
            .to_string()
        }),
        identifiants,
        langues: d.langues.iter().map(|l| typo(l)).collect(),
        presentation_html: d.presentation.as_deref().map(to_html),
        maitre_de_stage: d.maitre_de_stage,
        membres: d.membres.iter().filter_map(|s| site.member(&s.value)).map(card).collect(),
        structures,
        actions,
        image: image_ref(&d.image),
    }
}

/// Last day an action takes place.
pub fn action_end(a: &Action) -> Option<Date> {
    a.data.seances.iter().map(|s| s.date_fin.as_ref().map_or(s.date.value, |f| f.value)).max()
}

/// Whether every session of an action is over.
pub fn is_past_action(a: &Action, today: Date) -> bool {
    action_end(a).is_none_or(|end| end < today)
}

/// Whether an offer is past its last day.
pub fn is_expired_offer(o: &Offer, today: Date) -> bool {
    o.data.valide_jusqu_au.value < today
}

/// One session of an action.
#[derive(Debug, Clone, Serialize)]
pub struct SeanceView {
    /// ISO date, for `<time datetime>`.
    pub date_iso: String,
    /// "mardi 14 octobre 2026", or "du … au …".
    pub date: String,
    /// "9 h 30 – 12 h".
    pub heures: Option<String>,
    /// Place.
    pub lieu: String,
    /// Street address.
    pub adresse: Option<String>,
    /// Commune name.
    pub commune: String,
    /// Commune directory page.
    pub commune_url: String,
    /// Organiser.
    pub organisateur: Option<String>,
    /// "Gratuit" or the price.
    pub prix: String,
    /// How to register.
    pub inscription: Option<String>,
    /// Link.
    pub lien: Option<String>,
    /// Online.
    pub en_ligne: bool,
    /// Already over.
    pub passee: bool,
    /// Title of the action (for calendars mixing actions).
    pub action: String,
    /// Page of the action.
    pub action_url: String,
}

/// Builds the views of an action's sessions, in date order.
pub fn seances(site: &Site, urls: &Urls, a: &Action, today: Date) -> Vec<SeanceView> {
    let mut list: Vec<_> = a.data.seances.iter().collect();
    list.sort_by_key(|s| (s.date.value, s.debut.as_ref().map(|t| t.value)));
    list.into_iter()
        .map(|s| {
            let c = site.commune(&s.commune.value);
            let end = s.date_fin.as_ref().map(|f| f.value);
            let date = match end {
                Some(e) if e != s.date.value => format!("du {} au {}", date_long(s.date.value), date_long(e)),
                _ => date_long(s.date.value),
            };
            let heures = match (&s.debut, &s.fin) {
                (Some(b), Some(e)) => Some(format!("{} – {}", time_fr(b.value), time_fr(e.value))),
                (Some(b), None) => Some(format!("à partir de {}", time_fr(b.value))),
                _ => None,
            };
            SeanceView {
                date_iso: s.date.value.to_string(),
                date,
                heures,
                lieu: typo(&s.lieu),
                adresse: s.adresse.as_deref().map(typo),
                commune: c.map_or_else(|| s.commune.value.clone(), |c| c.nom.clone()),
                commune_url: c.map_or_else(String::new, |c| urls.link(&Route::Commune(commune_slug(c)))),
                organisateur: s.organisateur.as_deref().map(typo),
                prix: if s.gratuit {
                    "Gratuit".to_string()
                } else {
                    s.prix.as_deref().map_or_else(|| "Payant".to_string(), typo)
                },
                inscription: s.inscription.as_deref().map(typo),
                lien: s.lien.as_ref().map(|l| l.value.clone()),
                en_ligne: s.en_ligne,
                passee: end.unwrap_or(s.date.value) < today,
                action: typo(&a.data.titre),
                action_url: urls.link(&Route::Action(a.slug.clone())),
            }
        })
        .collect()
}

/// An action in a list.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ActionCard {
    /// Identifier.
    pub slug: String,
    /// Page.
    pub url: String,
    /// Title.
    pub titre: String,
    /// Summary.
    pub resume: String,
    /// Theme.
    pub theme: Option<String>,
    /// Mission label.
    pub mission: String,
    /// When: "mardi 14 octobre 2026" or "du … au …" across sessions.
    pub quand: String,
    /// ISO date of the first upcoming session (or the first one).
    pub date_iso: String,
    /// Number of sessions.
    pub nb_seances: usize,
    /// Names of the communes where sessions take place.
    pub communes: Vec<String>,
    /// Illustration.
    pub image: Option<ImageRef>,
}

/// Builds an action card.
pub fn action_card(site: &Site, urls: &Urls, a: &Action, today: Date) -> ActionCard {
    let mut dates: Vec<Date> = a.data.seances.iter().map(|s| s.date.value).collect();
    dates.sort();
    let first = dates.first().copied();
    let last = action_end(a);
    let next = dates.iter().copied().find(|d| *d >= today).or(first);
    let quand = match (first, last) {
        (Some(f), Some(l)) if f != l => format!("du {} au {}", date_short(f), date_short(l)),
        (Some(f), _) => date_long(f),
        _ => String::new(),
    };
    let mut communes: Vec<String> = Vec::new();
    for s in &a.data.seances {
        if let Some(c) = site.commune(&s.commune.value)
            && !communes.contains(&c.nom)
        {
            communes.push(c.nom.clone());
        }
    }
    ActionCard {
        slug: a.slug.clone(),
        url: urls.link(&Route::Action(a.slug.clone())),
        titre: typo(&a.data.titre),
        resume: typo(&a.data.resume),
        theme: a.data.theme.as_deref().map(typo),
        mission: mission_label(a.data.mission.as_ref()),
        quand,
        date_iso: next.map_or_else(String::new, |d| d.to_string()),
        nb_seances: a.data.seances.len(),
        communes,
        image: image_ref(&a.data.image),
    }
}

/// The label of a mission key (prevention when absent).
pub fn mission_label(m: Option<&S<String>>) -> String {
    vocab::mission(m.map_or("prevention", |m| m.value.as_str())).map_or_else(String::new, |m| m.label.to_string())
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
    }
}

/// Helper for `typo` on optional Markdown fields rendered inline.
pub fn inline(md: &Option<String>) -> Option<String> {
    md.as_deref().map(to_inline_html)
}
