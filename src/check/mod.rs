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
use std::collections::HashMap;

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
    check_with(site, scope, &mut Memo::default())
}

/// [`check`], reusing the findings `memo` kept of each member from the previous call (the dev
/// server's, between saves) when neither the member's file nor what its rules read changed.
pub fn check_with(site: &Site, scope: &Scope, memo: &mut Memo) -> Vec<Diagnostic> {
    let mut out = findings_with(site, scope, Some(memo));
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
    findings_with(site, scope, None)
}

/// The findings of the rules that read one member and nothing else but cpts.yaml, the
/// communes' outlines and the day, kept between two checks: most of the work of checking a
/// large directory, which a save changes one member of.
///
/// Each member's findings are known by the fingerprint of its file, cpts.yaml, the outlines, the
/// day and which part of the rules made them; the rules that read other records (numbers
/// already used, members named, images) run every time, between the parts, so the findings come
/// in the order a check without memo gives.
#[derive(Debug, Default)]
pub struct Memo {
    /// The findings of the last check, by key.
    kept: HashMap<u64, Vec<Diagnostic>, Fast>,
    /// While a check runs: what it takes from `kept` or finds, kept for the next one.
    next: HashMap<u64, Vec<Diagnostic>, Fast>,
    /// While a check runs: the fingerprint of what every member's rules read besides the
    /// member (cpts.yaml, the outlines, the day).
    shared: u64,
}

type Fast = std::hash::BuildHasherDefault<crate::fingerprint::FastHasher>;

impl Memo {
    /// The key of one part of a member's rules (a record's fingerprint covers its path).
    fn key(&self, member: &crate::model::Member, part: u8) -> u64 {
        crate::fingerprint::of(&(member.hash, self.shared, part))
    }
}

impl Checker<'_> {
    /// Runs `rules` on `member` for `part`, or takes what they found last time.
    pub(super) fn remembered(&mut self, member: &crate::model::Member, part: u8, rules: impl FnOnce(&mut Self)) {
        let Some(mut memo) = self.memo.take() else { return rules(self) };
        let key = memo.key(member, part);
        match memo.kept.remove(&key) {
            Some(found) => {
                self.out.extend_from_slice(&found);
                memo.next.insert(key, found);
            }
            None => {
                let start = self.out.len();
                rules(self);
                memo.next.insert(key, self.out[start..].to_vec());
            }
        }
        self.memo = Some(memo);
    }
}

fn findings_with(site: &Site, scope: &Scope, mut memo: Option<&mut Memo>) -> Vec<Diagnostic> {
    let outlines = site.outlines();
    let shapes = outlines.and_then(|o| o.as_ref().ok());
    // The box of plausible coordinates: around the communes' centres, or their outlines' ones.
    let centres = site
        .communes()
        .iter()
        .filter_map(|c| c.centre.as_ref().map(|c| c.value).or_else(|| site.outline_centre(&c.insee.value)));
    let mut c = Checker {
        site,
        today: scope.today,
        out: Vec::new(),
        bounds: Bounds::around(centres),
        // Moved in, and back out with what this check found: a member gone is forgotten.
        memo: memo.as_deref_mut().map(|m| Memo {
            kept: std::mem::take(&mut m.kept),
            // Sized once: a large directory keeps hundreds of thousands of parts.
            next: HashMap::with_capacity_and_hasher(m.kept.len(), Fast::default()),
            shared: crate::fingerprint::of(&(site.cpts.hash, site.outlines_key(), scope.today)),
        }),
    };
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
    if let (Some(m), Some(working)) = (memo, c.memo.take()) {
        m.kept = working.next;
    }
    c.out
}
