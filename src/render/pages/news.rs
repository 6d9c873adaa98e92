//! News (`news_index.html`, `news.html`) and free pages (`page.html`).

use super::planner::Planner;
use crate::render::text::{date_short, typo};
use crate::render::views::{self};
use crate::routes::Route;
use minijinja::{Value, context};

pub(super) fn news_card(p: &Planner, n: &crate::model::News) -> Value {
    context! {
        titre => typo(&n.data.titre),
        resume => typo(&n.data.resume),
        date => date_short(n.data.date.value),
        date_iso => n.data.date.value.to_string(),
        url => p.urls.link(&Route::News(n.slug.clone())),
        image => Value::from_serialize(views::image_ref(n.data.image.as_ref())),
    }
}

pub(super) fn news(p: &mut Planner) {
    let site = p.site;
    let mut list: Vec<_> = site.news.iter().collect();
    list.sort_by_key(|n| std::cmp::Reverse(n.data.date.value));
    let cards: Vec<Value> = list.iter().map(|n| news_card(p, n)).collect();
    let crumb = p.crumb("Actualités", Route::NewsIndex);
    p.push(
        Route::NewsIndex,
        "news_index.html",
        "Actualités",
        "Les nouvelles de la CPTS et de la santé sur le territoire.",
        "actualites",
        vec![],
        context! { actualites => cards },
        None,
    );
    for n in list {
        let data = context! { actualite => news_card(p, n), body_html => p.body_html(&n.body) };
        p.extra.image = views::image_ref(n.data.image.as_ref());
        p.push(
            Route::News(n.slug.clone()),
            "news.html",
            &n.data.titre,
            &n.data.resume,
            "actualites",
            vec![crumb.clone()],
            data,
            Some(&n.file),
        );
    }
}

pub(super) fn free_pages(p: &mut Planner) {
    let site = p.site;
    for page in &site.pages {
        let d = &page.data;
        let data = context! { body_html => p.body_html(&page.body), image => Value::from_serialize(views::image_ref(d.image.as_ref())) };
        p.extra.image = views::image_ref(d.image.as_ref());
        let desc = d.resume.clone().unwrap_or_else(|| d.titre.clone());
        p.push(Route::Page(page.slug.clone()), "page.html", &d.titre, &desc, "page", vec![], data, Some(&page.file));
    }
}
