//! Check stage: identifiers, references between records, dates and publication rules.
//! Every problem is collected; errors stop the build, warnings do not. `checker.rs` holds the
//! checks of single values; one file per kind of content holds the rules of that content.

mod checker;
mod cpts;
mod freshness;
mod indicators;
mod markdown;
mod members;
mod placeholders;
mod publications;

use crate::diagnostic::Diagnostic;
use crate::domain::geo::Bounds;
use crate::model::Site;
use checker::Checker;
use jiff::civil::Date;

/// What a check is for.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    /// The day the site is built for. The date checks compare with it, but only ever to warn: a
    /// site that was valid never becomes wrong because time passes.
    pub today: Date,
    /// Drafts are published too: their placeholders count.
    pub drafts: bool,
    /// The site goes online: placeholders left from `init` or `new` are errors.
    pub production: bool,
}

impl Scope {
    /// The checks of a site being written, as `maillage check` makes them: drafts left out,
    /// placeholders only warned about. What the editor and the importer compare their changes with.
    pub fn writing(today: Date) -> Self {
        Self { today, drafts: false, production: false }
    }
}

/// Runs every check on a parsed site.
///
/// A member without `publie: true` is never rendered: the errors found in its own file cannot
/// break the published site, so they are reported as warnings (its hint says it will be an error
/// once published), and the site builds. Errors in every other file, and in published members'
/// files, stop the build.
pub fn check(site: &Site, scope: &Scope) -> Vec<Diagnostic> {
    let mut out = findings(site, scope);
    let unpublished: std::collections::HashSet<&str> =
        site.members.iter().filter(|m| !m.data.publie).map(|m| m.file.as_str()).collect();
    for d in &mut out {
        if d.is_error() && unpublished.contains(d.file.as_str()) {
            d.severity = crate::diagnostic::Severity::Warning;
            let note =
                "fiche non publiée : ce n’est qu’un avertissement, mais corrigez-la avant de passer « publie: true »";
            d.hint = Some(match d.hint.take() {
                Some(h) => format!("{h} ; {note}"),
                None => note.to_string(),
            });
        }
    }
    out
}

/// Every finding of [`check`] at its own severity, as if every member were published: what
/// `maillage import` uses to make sure it never writes a value that would stop a build.
pub fn findings(site: &Site, scope: &Scope) -> Vec<Diagnostic> {
    let outlines = site.outlines();
    let shapes = outlines.and_then(|o| o.as_ref().ok());
    // The box of plausible coordinates: around the communes' centres, or their outlines' ones.
    let centres = site
        .communes()
        .iter()
        .filter_map(|c| c.centre.as_ref().map(|c| c.value).or_else(|| site.outline_centre(&c.insee.value)));
    let mut c = Checker { site, today: scope.today, out: Vec::new(), bounds: Bounds::around(centres) };
    c.cpts();
    c.members();
    c.freshness();
    c.actions();
    c.offers();
    c.recruiting();
    c.installation();
    c.news_and_pages();
    c.resources();
    c.documents();
    c.contacts();
    c.indicators();
    c.markdown_bodies();
    c.markdown_fields();
    c.svg_files();
    if let Some(Err(d)) = outlines {
        c.out.push(d.clone());
    }
    c.map_places(shapes);
    c.placeholders(scope);
    c.out
}
