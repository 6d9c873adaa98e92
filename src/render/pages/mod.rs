//! The page plan: every HTML page of the site, with its template and its context. One file per
//! section of the site, mirroring the theme's templates; [`planner`] holds what they share.

mod care;
mod directory;
mod home;
mod installer;
mod news;
mod offers;
mod organisation;
pub mod paging;
pub mod planner;
mod prevention;
mod results;
mod search;

pub use directory::DIRECTORY_ROWS_MAX;
pub use organisation::accessibility_status;
pub use paging::PAGE_SIZE;
pub use planner::{Cards, Ctx, Job, Lists, PageCtx, PageInfo};

use crate::model::Site;
use crate::routes::Urls;
use jiff::civil::Date;
use std::sync::Arc;

/// Plans every HTML page of the site; `images` are the processed images Markdown texts show,
/// `maps` the maps an earlier plan drew (see [`crate::render::map::Drawn`]), `scope` the member
/// pages to plan (the others are the dev server's, kept from its last render), `sections` the
/// other pages to plan, `lists` what the directory's lists held at the last plan of the whole
/// directory (needed to plan only some of them), `graph` the references between records when
/// the dev server keeps them. Returns the pages, the maps drawn and what the directory's lists
/// hold, for the next plan.
#[allow(clippy::too_many_arguments)]
pub fn plan<'a>(
    site: &'a Site,
    urls: &'a Urls,
    today: Date,
    cards: &'a Cards,
    images: &'a crate::render::images::Images,
    maps: crate::render::map::Drawn,
    scope: &'a crate::render::depends::Scope,
    sections: crate::render::depends::Sections,
    lists: Option<Lists>,
    graph: Option<&crate::render::depends::Graph>,
) -> (Vec<Job<'a>>, crate::render::map::Drawn, Option<Lists>) {
    use crate::render::depends::Sections;
    let links = Arc::new(match graph {
        Some(g) => g.backlinks(site),
        None => crate::render::views::Backlinks::new(site),
    });
    let extra = planner::Extra::default();
    // A plan of only some lists keeps every map of the last plan: the other communes' pages
    // are still those of the last render.
    let maps = if sections == Sections::Lists { maps.kept() } else { maps.reused() };
    let mut p = planner::Planner {
        site,
        urls,
        today,
        jobs: Vec::new(),
        extra,
        links,
        cards,
        images,
        maps,
        scope,
        sections,
        lists,
    };
    if sections == Sections::Lists {
        directory::directory(&mut p);
        return (p.jobs, p.maps, p.lists);
    }
    home::home(&mut p);
    directory::directory(&mut p);
    directory::map_page(&mut p);
    care::care(&mut p);
    prevention::prevention(&mut p);
    offers::offers(&mut p);
    installer::installer(&mut p);
    offers::internships(&mut p);
    organisation::about(&mut p);
    results::results(&mut p);
    news::news(&mut p);
    care::contacts(&mut p);
    organisation::professionals(&mut p);
    organisation::themes(&mut p);
    news::free_pages(&mut p);
    organisation::legal(&mut p);
    search::open_data(&mut p);
    search::not_found(&mut p);
    search::glossary(&mut p);
    search::site_map(&mut p);
    search::search_page(&mut p);
    (p.jobs, p.maps, p.lists)
}

/// The members whose card or page a section other than the directory's lists and the member
/// pages shows (see [`crate::render::depends::Sections`]): every member while `/annuaire/`
/// lists them all, those of the short lists of `/soins/`, the interns' supervisors
/// (`/stages/`), the actions' referents (their pages), and each offer's contact and supervisor
/// (its page shows the contact's page whole: with the members a contact lists and the structures
/// listing it).
pub fn shown_elsewhere(site: &Site, graph: &crate::render::depends::Graph) -> std::collections::BTreeSet<String> {
    let mut shown = std::collections::BTreeSet::new();
    if site.members.len() <= DIRECTORY_ROWS_MAX {
        shown.extend(site.members.iter().map(|m| m.slug.clone()));
        return shown;
    }
    shown.extend(care::shown_on_care(site).into_iter().map(|m| m.slug.clone()));
    shown.extend(site.members.iter().filter(|m| m.data.maitre_de_stage).map(|m| m.slug.clone()));
    shown.extend(graph.named_by_actions().cloned());
    for o in &site.offers {
        let d = &o.data;
        for named in d.contact.membre.iter().chain(&d.maitre_de_stage) {
            shown.insert(named.value.clone());
        }
        if let Some(contact) = &d.contact.membre {
            for (structure, listed) in graph.listed_by() {
                if structure == contact.value {
                    shown.extend(listed.iter().cloned());
                }
                if listed.contains(&contact.value) {
                    shown.insert(structure.to_string());
                }
            }
        }
    }
    shown
}
