//! `/`, the home page (`index.html`): who the CPTS is, key figures, next actions, latest offers,
//! urgent numbers, news.

use super::care::urgent_numbers;
use super::news::news_card;
use super::offers::open_offers;
use super::organisation::{key_figures, theme_links};
use super::planner::Planner;
use super::prevention::upcoming_actions;
use crate::model::vocab;
use crate::render::markdown::{field_html, to_html};
use crate::routes::Route;
use minijinja::{Value, context};

pub(super) fn home(p: &mut Planner) {
    let site = p.site;
    let cpts = &site.cpts.data;
    let mut news: Vec<_> = site.news.iter().collect();
    news.sort_by_key(|n| std::cmp::Reverse(n.data.date.value));
    let news: Vec<Value> = news.iter().take(3).map(|n| news_card(p, n)).collect();
    let missions: Vec<Value> = cpts
        .missions
        .iter()
        .filter_map(|m| {
            vocab::mission(&m.mission.value)
                .map(|v| context! { label => v.label, resume_html => to_html(&m.resume.value) })
        })
        .collect();
    let upcoming: Vec<_> =
        upcoming_actions(&p.env(), false).into_iter().filter(|a| !a.date_iso.is_empty()).take(3).collect();
    let offers: Vec<_> = open_offers(&p.env()).into_iter().take(3).collect();
    let data = context! {
        presentation_html => field_html(&cpts.presentation),
        chiffres => Value::from_serialize(key_figures(site)),
        actions => Value::from_serialize(&upcoming),
        offres => Value::from_serialize(&offers),
        actualites => news,
        urgences => urgent_numbers(site),
        missions => missions,
        thematiques => theme_links(p),
        nouveaux_patients => site
            .members
            .iter()
            .filter(|m| m.data.accepts_new_patients() == Some(true) && m.data.profession.as_ref().is_some_and(|p| p.value == "medecin-generaliste"))
            .count(),
        soins_url => p.urls.link(&Route::Care),
        mois_nouveaux_patients => site.cpts.data.fraicheur.accepte_nouveaux_patients.value,
    };
    let title = cpts.nom.clone();
    p.extra.jsonld.push(crate::render::jsonld::embed(&crate::render::jsonld::medical_organization(site, p.urls)));
    p.push(Route::Home, "index.html", &title, &cpts.description, "accueil", vec![], data, Some(&site.cpts.file));
}
