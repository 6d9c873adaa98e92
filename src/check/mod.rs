//! Check stage: identifiers, references between records, dates and publication rules.
//! Every problem is collected; errors stop the build, warnings do not. `checker.rs` holds the
//! checks of single values; one file per kind of content holds the rules of that content.

mod checker;
mod cpts;
mod members;
mod publications;

use crate::diagnostic::Diagnostic;
use crate::domain::geo::{self, Bounds};
use crate::model::Site;
use checker::Checker;
use jiff::civil::Date;

/// Runs every check on a parsed site. `today` anchors the date checks.
pub fn check(site: &Site, today: Date) -> Vec<Diagnostic> {
    let mut c = Checker {
        site,
        today,
        out: Vec::new(),
        bounds: Bounds::around(site.communes().iter().filter_map(|c| c.centre.as_ref().map(|c| c.value))),
    };
    c.cpts();
    c.members();
    c.actions();
    c.offers();
    c.recruiting();
    c.news_and_pages();
    c.resources();
    c.documents();
    c.contacts();
    let outlines = match site.communes_geojson.as_deref().map(|g| geo::outlines(g, "content/communes.geojson")) {
        Some(Ok(outlines)) => Some(outlines),
        Some(Err(d)) => {
            c.out.push(d);
            None
        }
        None => None,
    };
    c.map_places(outlines.as_ref());
    c.out
}
