//! The page plan: every HTML page of the site, with its template and its context. One file per
//! section of the site, mirroring the theme's templates; [`planner`] holds what they share.

mod care;
mod directory;
mod home;
mod installer;
mod news;
mod offers;
mod organisation;
mod paging;
pub mod planner;
mod prevention;
mod results;
mod search;

pub use directory::DIRECTORY_ROWS_MAX;
pub use organisation::accessibility_status;
pub use paging::PAGE_SIZE;
pub use planner::{Cards, Ctx, Job, PageCtx, PageInfo};

use crate::model::Site;
use crate::routes::Urls;
use jiff::civil::Date;
use std::sync::Arc;

/// Plans every HTML page of the site; `images` are the processed images Markdown texts show,
/// `maps` the maps an earlier plan drew (see [`crate::render::map::Drawn`]), `scope` the member
/// pages to plan (the others are the dev server's, kept from its last render), `graph` the
/// references between records when the dev server keeps them. Returns the pages
/// and the maps drawn, for the next plan.
#[allow(clippy::too_many_arguments)]
pub fn plan<'a>(
    site: &'a Site,
    urls: &'a Urls,
    today: Date,
    cards: &'a Cards,
    images: &'a crate::render::images::Images,
    maps: crate::render::map::Drawn,
    scope: &'a crate::render::depends::Scope,
    graph: Option<&crate::render::depends::Graph>,
) -> (Vec<Job<'a>>, crate::render::map::Drawn) {
    let links = Arc::new(match graph {
        Some(g) => g.backlinks(site),
        None => crate::render::views::Backlinks::new(site),
    });
    let extra = planner::Extra::default();
    let maps = maps.reused();
    let mut p = planner::Planner { site, urls, today, jobs: Vec::new(), extra, links, cards, images, maps, scope };
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
    (p.jobs, p.maps)
}
