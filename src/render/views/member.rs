//! Members as pages show them: names, kinds, the card of the lists, the view of a member's own
//! page, and the structures and actions that name each member ([`Backlinks`]).

use super::action::is_past_action;
use super::common::{FactDates, ImageRef, LieuView, Link, fact_dates, image_ref, lieu};
use crate::model::freshness::Assessed;
use crate::model::{Action, Member, Site, vocab};
use crate::render::markdown::field_html;
use crate::render::text::typo;
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use serde::Serialize;

/// Whether a member is a woman, as her file says (`civilite: Mme`); a structure, or a person
/// whose file does not say, is not known to be one.
pub fn is_woman(m: &Member) -> bool {
    m.data.civilite.as_ref().is_some_and(|c| c.value == "Mme")
}

/// The label of a member's profession or structure kind, in the right gender.
pub fn kind_label(m: &Member) -> String {
    let d = &m.data;
    if let Some(p) = d.profession.as_ref().and_then(|p| vocab::profession(&p.value)) {
        return if is_woman(m) { p.feminine } else { p.masculine }.to_string();
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
    /// Accepts new patients: `None` when not stated or stale.
    pub accepte_nouveaux_patients: Option<bool>,
    /// Same-day care: `None` when not stated or stale.
    pub soins_non_programmes: Option<bool>,
    /// Teleconsultation: `None` when not stated or stale.
    pub teleconsultation: Option<bool>,
    /// The dates of the member's own volatile facts, by key (`accepte_nouveaux_patients`,
    /// `soins_non_programmes`, `teleconsultation`, `langues`): what templates print next to them.
    pub dates: FactDates,
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
        accepte_nouveaux_patients: d.accepts_new_patients(),
        soins_non_programmes: d.same_day_care(),
        teleconsultation: d.offers_teleconsultation(),
        dates: fact_dates(&d.assessed, None),
        is_structure: d.structure.is_some(),
    }
    .with_place_dates(&d.assessed)
}

impl MemberCard {
    /// Dates the phone and hours of the card's place (the member's first).
    fn with_place_dates(mut self, a: &Assessed) -> MemberCard {
        if let Some(l) = &mut self.lieu {
            l.dates = fact_dates(a, Some(0));
        }
        self
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
    /// Languages spoken besides French: `None` when not stated, empty for French only (dated in
    /// the card's `dates`).
    pub langues: Option<Vec<String>>,
    /// Presentation (HTML).
    pub presentation_html: Option<String>,
    /// Hosts interns.
    pub maitre_de_stage: bool,
    /// Visits patients at home: `None` when not stated.
    pub visites_domicile: Option<bool>,
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
        Backlinks::of(&site.members, &site.actions)
    }

    /// [`Backlinks::new`] from only the members and actions that may name members (the
    /// structures, the actions with referents), in site order: the others add nothing.
    pub fn of(members: impl IntoIterator<Item = &'a Member>, actions: impl IntoIterator<Item = &'a Action>) -> Self {
        let mut b = Backlinks::default();
        for s in members {
            for x in &s.data.membres {
                let list = b.structures.entry(x.value.as_str()).or_default();
                if !list.last().is_some_and(|l| std::ptr::eq(*l, s)) {
                    list.push(s);
                }
            }
        }
        for a in actions {
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
    /// cpts.yaml, and which of the actions are past on the day (member fingerprints take in
    /// the freshness of their facts, see [`Site::withhold_stale_facts`]). Keep in step with [`member_view`]: the dev server re-renders a
    /// member page only when this changes.
    pub fn member_inputs(&self, site: &Site, m: &Member, today: Date) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::fingerprint::FastHasher::default();
        (m.hash, site.cpts.hash).hash(&mut h);
        let structures = self.structures.get(m.slug.as_str()).into_iter().flatten().map(|s| s.hash);
        // Not the day itself: only whether each action is past, so that the page of a member is
        // rendered again on a new day only when something it shows changed.
        let actions = self
            .actions
            .get(m.slug.as_str())
            .into_iter()
            .flatten()
            .map(|a| a.hash ^ u64::from(is_past_action(a, today)));
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
    let lieux = own
        .lieu
        .iter()
        .cloned()
        .chain(
            d.lieux
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, l)| LieuView { dates: fact_dates(&d.assessed, Some(i)), ..lieu(site, urls, l) }),
        )
        .collect();
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
        langues: d.languages().map(|ls| ls.iter().map(|l| typo(l)).collect()),
        presentation_html: field_html(&d.presentation),
        maitre_de_stage: d.maitre_de_stage,
        visites_domicile: d.visites_domicile,
        membres: d.membres.iter().filter_map(|s| site.member(&s.value)).map(card).collect(),
        structures,
        actions,
        image: image_ref(d.image.as_deref()),
    }
}
