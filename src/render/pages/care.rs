//! Care (`care.html`) and useful numbers (`contacts.html`): `/soins/` and `/contacts/`.

use super::directory::DIRECTORY_ROWS_MAX;
use super::organisation::theme_links;
use super::planner::Planner;
use crate::model::Site;
use crate::render::markdown::field_html;
use crate::render::text::{grouped, typo};
use crate::render::views::{self};
use crate::routes::Route;
use minijinja::{Value, context};

/// One list of `/soins/`: the members it selects, the directory's filters that select them,
/// and how many it shows card by card (past that, only how many there are).
struct CareList {
    selects: fn(&crate::model::Member) -> bool,
    query: &'static str,
    max: usize,
}

fn is_gp(m: &crate::model::Member) -> bool {
    m.data.profession.as_ref().is_some_and(|x| x.value == "medecin-generaliste")
}

/// The lists of `/soins/`: general practitioners accepting new patients; the other professions,
/// looked for by profession in the directory (their count here); same-day care; teleconsultation.
const CARE_LISTS: [CareList; 4] = [
    CareList {
        selects: |m| is_gp(m) && m.data.accepts_new_patients() == Some(true),
        query: "profession=medecin-generaliste&nouveaux=1",
        max: DIRECTORY_ROWS_MAX,
    },
    CareList { selects: |m| !is_gp(m) && m.data.accepts_new_patients() == Some(true), query: "nouveaux=1", max: 0 },
    CareList { selects: |m| m.data.same_day_care() == Some(true), query: "snp=2", max: DIRECTORY_ROWS_MAX },
    CareList {
        selects: |m| m.data.offers_teleconsultation() == Some(true),
        query: "teleconsultation=4",
        max: DIRECTORY_ROWS_MAX,
    },
];

/// The members whose cards `/soins/` shows: those of its lists short enough to be shown whole.
pub(super) fn shown_on_care(site: &Site) -> Vec<&crate::model::Member> {
    let mut shown = Vec::new();
    for list in CARE_LISTS.iter().filter(|l| l.max > 0) {
        let members: Vec<_> = site.members.iter().filter(|m| (list.selects)(m)).collect();
        if members.len() <= list.max {
            shown.extend(members);
        }
    }
    shown
}

pub(super) fn care(p: &mut Planner) {
    let site = p.site;
    // Each list of /soins/: its members up to `max`, else only how many there are and the
    // directory's address with the matching filters (a territory of thousands of members would
    // otherwise make this page megabytes long).
    let list = |l: &CareList| -> Value {
        let mut list: Vec<_> = site.members.iter().filter(|m| (l.selects)(m)).collect();
        let annuaire_url = format!("{}?{}", p.urls.link(&Route::Directory), l.query);
        if list.len() > l.max {
            return context! { nombre => grouped(list.len() as u64), annuaire_url => annuaire_url };
        }
        list.sort_by_cached_key(|m| views::sort_name(m));
        let cards: Vec<views::MemberCard> = list.into_iter().map(|m| p.card(m)).collect();
        context! { membres => Value::from_serialize(cards), annuaire_url => annuaire_url }
    };
    let (tonight, vital) = urgent_by_need(site);
    let rules = &site.cpts.data.fraicheur;
    let [gps, others, same_day, remote] = &CARE_LISTS;
    let data = context! {
        medecins_nouveaux_patients => list(gps),
        autres_nouveaux_patients => list(others),
        soins_non_programmes => list(same_day),
        teleconsultation => list(remote),
        ce_soir => tonight,
        urgence_vitale => vital,
        contacts_url => p.urls.link(&Route::Contacts),
        courriel => site.cpts.data.contact.courriel.value.clone(),
        // The lists of new patients and same-day care show nothing older than this.
        mois_listes => rules.accepte_nouveaux_patients.value.max(rules.soins_non_programmes.value),
        mois_teleconsultation => rules.teleconsultation.value,
        mois_nouveaux_patients => rules.accepte_nouveaux_patients.value,
    };
    p.push(
        Route::Care,
        "care.html",
        "Se soigner",
        "Les professionnels qui acceptent de nouveaux patients, les soins non programmés et la télésanté sur le territoire.",
        "soins",
        vec![],
        data,
        None,
    );
}

pub(super) fn urgent_numbers(site: &Site) -> Value {
    let cats: Vec<Value> = site
        .contacts
        .iter()
        .flat_map(|c| c.data.categories.iter())
        .filter(|c| c.urgent)
        .map(contact_category)
        .collect();
    Value::from(cats)
}

/// One useful number, as the templates show it.
fn number_view(n: &crate::model::directory::UsefulNumber) -> Value {
    context! {
        nom => typo(&n.nom.value),
        numero => views::phone(&n.numero).map(|p| Value::from_serialize(&p)),
        autres_numeros => n.autres_numeros.iter().filter_map(|o| {
            let phone = views::phone_str(&o.numero.value)?;
            Some(context! { numero => Value::from_serialize(&phone), libelle => typo(&o.libelle) })
        }).collect::<Vec<_>>(),
        description => n.description.as_deref().map(typo),
        horaires => n.horaires.as_deref().map(typo),
        lien => n.lien.as_ref().map(|l| l.value.clone()),
        autres_liens => n.autres_liens.iter().map(|o| context! { lien => o.lien.value.clone(), libelle => typo(&o.libelle) }).collect::<Vec<_>>(),
    }
}

/// The numbers of the urgent categories, split by need: (tonight, weekend and other urgent
/// care; a danger to life), in the order the contacts file gives them.
fn urgent_by_need(site: &Site) -> (Vec<Value>, Vec<Value>) {
    let (vital, other): (Vec<_>, Vec<_>) = site
        .contacts
        .iter()
        .flat_map(|c| c.data.categories.iter())
        .filter(|c| c.urgent)
        .flat_map(|c| c.numeros.iter())
        .partition(|n| {
            n.numero.as_ref().is_some_and(|x| crate::domain::ids::phone(&x.value).is_ok_and(|p| p.is_life_emergency()))
        });
    (other.into_iter().map(number_view).collect(), vital.into_iter().map(number_view).collect())
}

pub(super) fn contact_category(c: &crate::model::directory::ContactCategory) -> Value {
    let numbers: Vec<Value> = c.numeros.iter().map(number_view).collect();
    context! {
        nom => typo(&c.nom),
        id => crate::domain::text::slugify(&c.nom),
        urgent => c.urgent,
        description => field_html(&c.description),
        numeros => numbers,
    }
}

pub(super) fn contacts(p: &mut Planner) {
    let site = p.site;
    let cats: Vec<Value> = site.contacts.iter().flat_map(|c| c.data.categories.iter()).map(contact_category).collect();
    let data = context! { categories => cats, soins_url => p.urls.link(&Route::Care), thematiques => theme_links(p) };
    p.push(
        Route::Contacts,
        "contacts.html",
        "Numéros utiles et urgences",
        "Les numéros d’urgence et utiles du territoire, et que faire pour être soigné sans attendre.",
        "contacts",
        vec![],
        data,
        site.contacts.as_ref().map(|c| c.file.as_str()),
    );
}
