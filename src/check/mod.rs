//! Check stage: identifiers, references between records, dates and publication rules.
//! Every problem is collected; errors stop the build, warnings do not. `checker.rs` holds the
//! checks of single values; one file per kind of content holds the rules of that content.

mod checker;
mod cpts;
mod freshness;
mod indicators;
pub mod kept;
mod markdown;
mod members;
mod placeholders;
mod publications;

use crate::diagnostic::Diagnostic;
use crate::domain::geo::Bounds;
use crate::model::{Member, Site};
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
    run(site, scope, true)
}

/// Every finding of [`check`] at its own severity, as if every member were published: what
/// `maillage import` uses to make sure it never writes a value that would stop a build.
pub fn findings(site: &Site, scope: &Scope) -> Vec<Diagnostic> {
    run(site, scope, false)
}

/// The rules of the site, then those of each member's file; with `demote`, the errors of members
/// without consent are warnings.
fn run(site: &Site, scope: &Scope, demote: bool) -> Vec<Diagnostic> {
    let mut c = Checker::new(site, scope);
    c.site_rules(scope);
    let mut earlier = members::Earlier::default();
    for m in &site.members {
        c.member_file(m, earlier.next(m), scope, demote);
    }
    c.out
}

impl<'a> Checker<'a> {
    /// A checker of `site` for `scope`, nothing found yet.
    fn new(site: &'a Site, scope: &Scope) -> Checker<'a> {
        // The box of plausible coordinates: around the communes' centres, or their outlines' ones.
        let centres = site
            .communes()
            .iter()
            .filter_map(|c| c.centre.as_ref().map(|c| c.value).or_else(|| site.outline_centre(&c.insee.value)));
        Checker { site, today: scope.today, out: Vec::new(), bounds: Bounds::around(centres) }
    }

    /// Every rule but those of members' own files ([`Checker::member_file`]). Their findings
    /// never name a member's file.
    fn site_rules(&mut self, scope: &Scope) {
        let outlines = self.site.outlines();
        self.cpts();
        self.freshness_rules();
        self.actions();
        self.offers();
        self.recruiting();
        self.installation();
        self.news_and_pages();
        self.resources();
        self.documents();
        self.contacts();
        self.indicators();
        self.markdown_bodies();
        self.markdown_fields();
        self.svg_files();
        if let Some(Err(d)) = outlines {
            self.out.push(d.clone());
        }
        self.map_places(outlines.and_then(|o| o.as_ref().ok()));
        self.placeholders(scope);
    }

    /// Every rule of one member's file, in the order they run; `earlier` as
    /// [`Checker::member`] takes it. With `demote`, its errors are warnings when it is not
    /// published (see [`check`]).
    fn member_file(&mut self, m: &Member, earlier: [Option<&str>; 4], scope: &Scope, demote: bool) {
        let from = self.out.len();
        self.member(m, earlier);
        self.member_freshness(m);
        self.member_birth_year(m);
        self.member_presentation(m);
        self.member_placeholders(m, scope);
        if demote && !m.data.publie {
            self.out[from..].iter_mut().filter(|d| d.is_error()).for_each(unpublished);
        }
    }
}

/// An error of a member without consent to publication, made a warning.
fn unpublished(d: &mut Diagnostic) {
    d.severity = crate::diagnostic::Severity::Warning;
    let note = "fiche non publiée : ce n’est qu’un avertissement, mais corrigez-la avant de passer « publie: true »";
    d.hint = Some(match d.hint.take() {
        Some(h) => format!("{h} ; {note}"),
        None => note.to_string(),
    });
}
