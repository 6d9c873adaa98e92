//! The ways in that span the whole site: `/recherche/` (`search.html`; its indexes are made by
//! [`crate::render::search`]), open data (`open_data.html`), the site map (`sitemap_page.html`)
//! and the 404 page.

use super::planner::Planner;
use crate::model::vocab;
use crate::render::text::typo;
use crate::render::views::{Link, group_key};
use crate::routes::Route;
use minijinja::{Value, context};
use std::collections::HashMap;

/// `/recherche/`: the search form; `recherche.js` answers from the two indexes of
/// [`crate::render::search`]. Without JavaScript the page offers the directory's and the site map's links.
pub(super) fn search_page(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let mut counts = HashMap::new();
    for m in &site.members {
        *counts.entry(group_key(m)).or_insert(0usize) += 1;
    }
    let professions: Vec<Value> = vocab::PROFESSIONS
        .iter()
        .map(|p| (p.key, p.plural))
        .chain(vocab::STRUCTURES.iter().map(|s| (s.key, s.plural)))
        .filter_map(|(key, label)| {
            let count = counts.get(key).copied()?;
            Some(context! { label => label, url => urls.link(&Route::Profession(key.to_string())), count => count })
        })
        .collect();
    let data = context! {
        index_url => urls.link(&Route::SearchIndex),
        professions => professions,
        plan_url => urls.link(&Route::SiteMapPage),
        annuaire_url => urls.link(&Route::Directory),
        prevention_url => urls.link(&Route::Prevention),
        offres_url => urls.link(&Route::Offers),
        contacts_url => urls.link(&Route::Contacts),
    };
    p.extra.scripts.push(urls.link(&Route::Static("texte.js".into())));
    p.extra.scripts.push(urls.link(&Route::Static("recherche.js".into())));
    p.push(
        Route::Search,
        "search.html",
        "Rechercher sur le site",
        "Rechercher un professionnel, une action de prévention, une offre ou une page du site.",
        "recherche",
        vec![],
        data,
        None,
    );
}

/// `/donnees/`: what the open data files hold and where they are.
pub(super) fn open_data(p: &mut Planner) {
    let site = p.site;
    let c = &site.cpts.data;
    let columns: Vec<Value> = crate::render::opendata::DIRECTORY_COLUMNS
        .iter()
        .map(|(c, d)| context! { nom => *c, description => typo(d) })
        .collect();
    let data = context! {
        colonnes => columns,
        annuaire_csv => p.urls.link(&Route::DataFile("annuaire.csv".into())),
        annuaire_json => p.urls.link(&Route::DataFile("annuaire.json".into())),
        actions_json => p.urls.link(&Route::DataFile("actions.json".into())),
        agenda_ics => p.urls.link(&Route::Agenda),
        nb_membres => site.members.len(),
        nb_actions => site.actions.len(),
        nom => typo(&c.nom),
        resultats => results_files(p),
    };
    p.push(
        Route::OpenData,
        "open_data.html",
        "Données ouvertes",
        "L’annuaire des professionnels et les actions de prévention en CSV et JSON, sous Licence Ouverte.",
        "",
        vec![],
        data,
        None,
    );
}

/// The results' open-data files and their columns, when the site has a year of results.
fn results_files(p: &Planner) -> Option<Value> {
    use crate::render::opendata::{RESULTS_COLUMNS, RESULTS_CSV, RESULTS_JSON};
    let file = &p.site.indicators.as_ref().filter(|r| !r.data.annees.is_empty())?.data;
    let columns: Vec<Value> =
        RESULTS_COLUMNS.iter().map(|(c, d)| context! { nom => *c, description => typo(d) }).collect();
    Some(context! {
        csv => p.urls.link(&Route::DataFile(RESULTS_CSV.into())),
        json => p.urls.link(&Route::DataFile(RESULTS_JSON.into())),
        page => p.urls.link(&Route::Results),
        nb_annees => file.annees.len(),
        nb_lignes => file.annees.iter().map(|y| y.indicateurs.len()).sum::<usize>(),
        colonnes => columns,
    })
}

pub(super) fn site_map(p: &mut Planner) {
    let links: Vec<Link> = p
        .jobs
        .iter()
        .filter(|j| {
            j.route.in_sitemap()
                && !matches!(j.route, Route::Member(_) | Route::ProfessionPage(..) | Route::CommunePage(..))
        })
        .map(|j| Link { label: typo(&j.title), url: p.urls.link(&j.route) })
        .collect();
    p.push(
        Route::SiteMapPage,
        "sitemap_page.html",
        "Plan du site",
        "Toutes les pages du site, hors fiches individuelles de l’annuaire.",
        "",
        vec![],
        context! { liens => Value::from_serialize(&links), annuaire_url => p.urls.link(&Route::Directory) },
        None,
    );
}

/// `/glossaire/`: every abbreviation of [`crate::domain::glossary`], what it stands for and
/// what it means.
pub(super) fn glossary(p: &mut Planner) {
    let entries: Vec<Value> = crate::domain::glossary::ABBREVIATIONS
        .iter()
        .map(|a| context! { sigle => a.short, long => typo(a.long), sens => typo(a.plain) })
        .collect();
    p.push(
        Route::Glossary,
        "glossary.html",
        "Sigles et mots du site",
        "Ce que veulent dire les sigles de la santé employés sur ce site : CPTS, SNP, RPPS, ZIP…",
        "",
        vec![],
        context! { sigles => entries },
        None,
    );
}

/// The page shown for any address the site does not have.
pub(super) fn not_found(p: &mut Planner) {
    p.push(
        Route::NotFound,
        "404.html",
        "Page introuvable",
        "Cette page n’existe pas ou plus.",
        "",
        vec![],
        context! {},
        None,
    );
}
