//! `maillage publier`: sends the built site where the CPTS hosts it — an SFTP account on a web
//! host ([`sftp`]), or a folder such as a mounted share ([`folder`]) — or writes the workflow
//! files that build and publish it on GitHub Pages or GitLab Pages ([`forge`]).
//!
//! A publication never leaves the site half old, half new for longer than its last renames:
//!
//! 1. the site is built first, and a site with errors is never published;
//! 2. the destination's manifest ([`manifest::MANIFEST`]) says what Maillage put there; a listing
//!    of the destination checks it (a file missing or of another size is sent again), and the
//!    local journal of an unfinished publication ([`journal`]) says what already arrived;
//! 3. new and changed files are sent under temporary names next to their place (nothing visible
//!    changes yet);
//! 4. they are renamed into place, each replacing the old file in one step: files that pages use
//!    (styles, images, documents) first, then pages, then lists that point at pages (sitemap,
//!    feeds, calendars), the home page last;
//! 5. files the site no longer has are deleted, then the new manifest replaces the old one.
//!
//! Every step is recorded in the journal as it completes, so an interrupted publication resumes
//! where it stopped; files Maillage did not put there are never deleted.

pub mod config;
pub mod folder;
pub mod forge;
pub mod journal;
pub mod manifest;
pub mod remote;
pub mod sftp;

use crate::build::{BuildError, BuildOptions};
use crate::diagnostic::Diagnostic;
use config::Destination;
use indicatif::ProgressBar;
use manifest::{Files, MANIFEST, TEMP_SUFFIX};
pub use remote::{Done, Listing, Remote, RemoteError, Upload};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Why a publication failed. In every case the site online is as it was, or (after an
/// interruption) partly updated file by file, with the journal ready to resume.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// `publication.yaml` or the destination given is wrong.
    #[error("{0}")]
    Settings(String),
    /// No destination anywhere.
    #[error(
        "aucune destination : écrivez-la dans {} (par exemple « destination: sftp://utilisateur@serveur/~/www ») \
         ou donnez --destination ; pour GitHub ou GitLab Pages, voir « maillage publier --forge github|gitlab »",
        config::CONFIG_FILE
    )]
    NoDestination,
    /// The site has errors: nothing was published (warnings may be listed too).
    #[error("le site comporte des erreurs")]
    Content(Vec<Diagnostic>),
    /// The build could not write its output.
    #[error(transparent)]
    Build(crate::output::WriteError),
    /// The built site could not be read.
    #[error(transparent)]
    Scan(#[from] manifest::ScanError),
    /// The destination could not be reached, or refused us: nothing was changed there.
    #[error("{0}")]
    Connect(String),
    /// A step failed on the destination.
    #[error("{0}")]
    Remote(#[from] RemoteError),
    /// The local journal could not be written.
    #[error("journal de publication {path} : {}", crate::french::io_error(.source))]
    Journal {
        /// The journal's folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What a publication changes (or, with `--dry-run`, would change).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// New files, by path.
    pub added: Vec<String>,
    /// Changed files.
    pub changed: Vec<String>,
    /// Files Maillage put there that the site no longer has.
    pub removed: Vec<String>,
    /// Files left as they are.
    pub unchanged: usize,
    /// Files already sent by an interrupted publication, not sent again.
    pub resumed: usize,
    /// Bytes to send.
    pub bytes: u64,
    /// Things worth knowing, in French (a damaged manifest, files changed by hand…).
    pub notes: Vec<String>,
}

impl Plan {
    /// Whether the destination already holds the site.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// How [`publish_to`] runs.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The site's root, where the journal lives (`.maillage/publication/`).
    pub root: PathBuf,
    /// The built site.
    pub output: PathBuf,
    /// The destination as written ([`Destination::describe`]): tells journals apart.
    pub destination: String,
    /// Only say what would change.
    pub dry_run: bool,
    /// Show a progress bar.
    pub progress: bool,
}

use crate::french::count;

/// Rank of a file in the order of renames: what pages use, pages, lists of pages.
fn rank(path: &str) -> (u8, bool) {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    let group = match ext {
        "html" | "htm" => 1,
        "xml" | "ics" | "txt" => 2,
        _ => 0,
    };
    // The home page last: when it links to something new, that is already there.
    (group, path == "index.html")
}

/// Publishes the built site `files` (the [`manifest::scan`] of `opts.output`) to `remote`.
pub fn publish_to(remote: &mut dyn Remote, files: &Files, opts: &RunOptions) -> Result<Plan, PublishError> {
    let mut plan = Plan::default();
    // 1. What Maillage put there, as its manifest says and the journal adds.
    let mut there = match remote.read(MANIFEST)? {
        None => Files::new(),
        Some(bytes) => manifest::parse(&bytes).unwrap_or_else(|e| {
            plan.notes.push(format!(
                "le manifeste {MANIFEST} de la destination est {e} : tout le site est renvoyé, et rien n’y est supprimé"
            ));
            Files::new()
        }),
    };
    let recovered = journal::recover(&opts.root, &opts.destination);
    recovered.apply(&mut there, files);

    // 2. Check it against what is really there.
    let mut dirs: BTreeSet<String> = BTreeSet::from([String::new()]);
    for path in there.keys().chain(files.keys()) {
        dirs.extend(manifest::parents(path).map(str::to_string));
    }
    let listing = remote.list(&dirs.iter().cloned().collect::<Vec<_>>())?;
    let mut by_hand = BTreeSet::new();
    there.retain(|path, e| match listing.files.get(path) {
        None => false,
        Some(&size) if size == e.size => true,
        Some(_) => {
            by_hand.insert(path.clone());
            e.hash.clear();
            true
        }
    });

    // 3. The plan.
    let mut uploads = Vec::new();
    let mut moves = Vec::new();
    for (path, e) in files {
        match there.get(path) {
            Some(t) if t.hash == e.hash => {
                plan.unchanged += 1;
                continue;
            }
            Some(_) => plan.changed.push(path.clone()),
            None => plan.added.push(path.clone()),
        }
        let temp = manifest::temp_name(path, &e.hash);
        let arrived = recovered.sent.get(path) == Some(&e.hash) && listing.files.get(&temp) == Some(&e.size);
        if arrived {
            plan.resumed += 1;
        } else {
            plan.bytes += e.size;
            uploads.push((path.clone(), Upload { local: opts.output.join(path), remote: temp.clone(), size: e.size }));
        }
        moves.push((temp, path.clone()));
    }
    moves.sort_by(|a, b| rank(&a.1).cmp(&rank(&b.1)).then_with(|| a.1.cmp(&b.1)));
    uploads.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0)));
    for (path, _) in there.iter().filter(|(p, _)| !files.contains_key(*p)) {
        if by_hand.contains(path) {
            plan.notes.push(format!(
                "{path} a été modifié sur la destination depuis la dernière publication : laissé en place"
            ));
        } else {
            plan.removed.push(path.clone());
        }
    }
    let wanted_temps: BTreeSet<&str> = moves.iter().map(|(t, _)| t.as_str()).collect();
    let stale_temps: Vec<String> = listing
        .files
        .keys()
        .filter(|p| p.ends_with(TEMP_SUFFIX) && !wanted_temps.contains(p.as_str()))
        .cloned()
        .collect();
    let changed_by_hand = plan.changed.iter().filter(|p| by_hand.contains(*p)).count();
    if changed_by_hand > 0 {
        plan.notes.push(format!(
            "{} sur la destination depuis la dernière publication : remplacé{} par celle du site",
            count(changed_by_hand, "fichier modifié", "fichiers modifiés"),
            if changed_by_hand > 1 { "s" } else { "" }
        ));
    }
    let up_to_date = plan.is_empty() && stale_temps.is_empty() && there == *files && recovered.is_empty();
    if opts.dry_run || up_to_date {
        return Ok(plan);
    }

    // 4. Send, place, delete, record.
    let journal_err = |source| PublishError::Journal { path: opts.root.join(".maillage/publication"), source };
    let mut journal = journal::Journal::open(&opts.root, &opts.destination).map_err(journal_err)?;
    let mut new_dirs: BTreeSet<String> = BTreeSet::new();
    for (path, _) in &uploads {
        new_dirs.extend(manifest::parents(path).filter(|d| !listing.dirs.contains(*d)).map(str::to_string));
    }
    remote.make_dirs(&new_dirs.into_iter().collect::<Vec<_>>())?;

    let bar = progress_bar(opts.progress, plan.bytes, "Envoi");
    let batch: Vec<Upload> = uploads.iter().map(|(_, u)| u.clone()).collect();
    remote.send(&batch, &mut |i| {
        let (path, u) = &uploads[i];
        bar.inc(u.size);
        journal.sent(path, &files[path].hash).map_err(|e| journal_remote_error(path, &e))
    })?;
    bar.finish_and_clear();
    journal.sync().map_err(journal_err)?;

    let bar = progress_bar(opts.progress, moves.len() as u64, "Mise en place");
    // One batch per rank: a batch may run in any order, but all of it before the next.
    for group in moves.chunk_by(|a, b| rank(&a.1) == rank(&b.1)) {
        remote.rename(group, &mut |i| {
            let path = &group[i].1;
            bar.inc(1);
            journal.placed(path, &files[path].hash).map_err(|e| journal_remote_error(path, &e))
        })?;
    }
    bar.finish_and_clear();
    remote.remove(&plan.removed, &mut |i| {
        journal.removed(&plan.removed[i]).map_err(|e| journal_remote_error(&plan.removed[i], &e))
    })?;
    journal.sync().map_err(journal_err)?;
    // Leftovers of an abandoned publication; best effort.
    let _ = remote.remove(&stale_temps, &mut |_| Ok(()));
    let mut gone_dirs: BTreeSet<String> = BTreeSet::new();
    let kept: BTreeSet<&str> = files.keys().flat_map(|p| manifest::parents(p)).collect();
    for path in &plan.removed {
        gone_dirs.extend(manifest::parents(path).filter(|d| !kept.contains(d)).map(str::to_string));
    }
    remote.remove_empty_dirs(&gone_dirs.into_iter().rev().collect::<Vec<_>>());

    write_manifest(remote, files, opts).map_err(|e| match e {
        PublishError::Journal { source, .. } => journal_err(source),
        other => other,
    })?;
    journal.finish().map_err(journal_err)?;
    Ok(plan)
}

fn journal_remote_error(path: &str, e: &std::io::Error) -> RemoteError {
    RemoteError { action: "écriture du journal local pour", path: path.to_string(), message: e.to_string() }
}

/// Sends the new manifest under a temporary name, then renames it over the old one.
fn write_manifest(remote: &mut dyn Remote, files: &Files, opts: &RunOptions) -> Result<(), PublishError> {
    let text = manifest::to_text(files);
    let dir = opts.root.join(".maillage").join("publication");
    let local = dir.join("manifeste.json");
    let io = |source| PublishError::Journal { path: dir.clone(), source };
    std::fs::create_dir_all(&dir).map_err(io)?;
    std::fs::write(&local, &text).map_err(io)?;
    let temp = format!("{MANIFEST}{TEMP_SUFFIX}");
    remote.send(&[Upload { local: local.clone(), remote: temp.clone(), size: text.len() as u64 }], &mut |_| Ok(()))?;
    remote.rename(&[(temp, MANIFEST.to_string())], &mut |_| Ok(()))?;
    let _ = std::fs::remove_file(&local);
    Ok(())
}

/// Progress of the sending, in bytes.
const BYTES_TEMPLATE: &str = "{msg} [{bar:30}] {octets}/{total_octets} ({debit}, encore {reste})";
/// Progress of the renames, in files.
const COUNT_TEMPLATE: &str = "{msg} [{bar:30}] {pos}/{len}";

fn progress_bar(shown: bool, len: u64, message: &'static str) -> ProgressBar {
    if !shown || len == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len).with_message(message);
    let template = if message == "Envoi" { BYTES_TEMPLATE } else { COUNT_TEMPLATE };
    if let Some(style) = crate::french::progress_style(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// What `maillage publier` was asked.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// How to build the site before sending it; always built for production, whatever
    /// `build.production` says.
    pub build: BuildOptions,
    /// Destination given on the command line, replacing that of `publication.yaml`.
    pub destination: Option<String>,
    /// Server key fingerprint given on the command line.
    pub host_fingerprint: Option<String>,
    /// Record an unknown server key in `~/.ssh/known_hosts` (after the user checked it).
    pub accept_new_host: bool,
    /// Only say what would change.
    pub dry_run: bool,
    /// Show progress bars.
    pub progress: bool,
}

/// What a publication did.
#[derive(Debug, Clone)]
pub struct Report {
    /// Where the site went.
    pub destination: String,
    /// What changed (or would change, when a dry run).
    pub plan: Plan,
    /// Warnings of the build.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site for production (refusing a site with errors, placeholders included), then
/// publishes it where `publication.yaml` or the options say.
pub fn publish(opts: &PublishOptions) -> Result<Report, PublishError> {
    let root = &opts.build.root;
    let settings = config::load(root).map_err(PublishError::Settings)?;
    let destination = match &opts.destination {
        Some(text) => Destination::parse(text, Path::new(".")).map_err(PublishError::Settings)?,
        None => settings.destination.ok_or(PublishError::NoDestination)?,
    };
    if let Destination::Folder(dir) = &destination {
        // A destination inside the site would be read back as content by the next build.
        crate::output::check_layout(root, dir)
            .map_err(|e| PublishError::Settings(format!("destination {} refusée : {e}", dir.display())))?;
    }
    // The site goes online: placeholders left from `init` or `new` are errors, whoever calls.
    let build = BuildOptions { production: true, ..opts.build.clone() };
    let warnings = match crate::build::build(&build) {
        Ok(report) => report.warnings,
        Err(BuildError::Content(diagnostics)) => return Err(PublishError::Content(diagnostics)),
        Err(BuildError::Write(e)) => return Err(PublishError::Build(e)),
    };
    let files = manifest::scan(&opts.build.output)?;
    let mut remote: Box<dyn Remote> = match &destination {
        Destination::Folder(dir) => Box::new(folder::FolderRemote::open(dir.clone()).map_err(PublishError::Connect)?),
        Destination::Sftp(target) => {
            let pins: Vec<String> =
                opts.host_fingerprint.iter().chain(settings.host_fingerprint.iter()).cloned().collect();
            let trust = sftp::HostTrust { pinned: pins, accept_new: opts.accept_new_host };
            let credentials = sftp::Credentials::from_environment();
            Box::new(sftp::SftpRemote::connect(target, &trust, &credentials).map_err(PublishError::Connect)?)
        }
    };
    let run = RunOptions {
        root: root.clone(),
        output: opts.build.output.clone(),
        destination: destination.describe(),
        dry_run: opts.dry_run,
        progress: opts.progress,
    };
    let plan = publish_to(remote.as_mut(), &files, &run)?;
    Ok(Report { destination: run.destination, plan, warnings })
}

/// The French summary of a publication, one line.
pub fn summary(plan: &Plan, dry_run: bool) -> String {
    if plan.is_empty() {
        return if dry_run {
            "Rien à publier : la destination est à jour.".to_string()
        } else {
            "Rien à publier : le site en ligne était déjà à jour.".to_string()
        };
    }
    let sent = plan.added.len() + plan.changed.len();
    // Participles agree; « à envoyer » does not change.
    let plural =
        |n: usize, word: &str| if n >= 2 && !word.starts_with('à') { format!("{word}s") } else { word.to_string() };
    let (verb_sent, verb_removed) = if dry_run { ("à envoyer", "à supprimer") } else { ("envoyé", "supprimé") };
    let mut parts = vec![
        format!("{} {}", count(sent, "fichier", "fichiers"), plural(sent, verb_sent)),
        format!("{} {}", plan.removed.len(), plural(plan.removed.len(), verb_removed)),
        format!("{} {}", plan.unchanged, plural(plan.unchanged, "inchangé")),
    ];
    if plan.resumed > 0 {
        parts.push(format!(
            "{} déjà {} lors de la publication interrompue",
            plan.resumed,
            plural(plan.resumed, "arrivé")
        ));
    }
    let head = if dry_run { "Essai (rien n’est modifié)" } else { "Publication terminée" };
    format!("{head} : {} ({}).", parts.join(", "), crate::french::size(plan.bytes))
}

/// Every path a dry run would change, with a French mark, for `--dry-run`.
pub fn dry_run_lines(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(plan.added.iter().map(|p| format!("  nouveau    {p}")));
    out.extend(plan.changed.iter().map(|p| format!("  modifié    {p}")));
    out.extend(plan.removed.iter().map(|p| format!("  supprimé   {p}")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_templates_are_valid() {
        for template in [BYTES_TEMPLATE, COUNT_TEMPLATE] {
            assert!(crate::french::progress_style(template).is_some(), "{template}");
        }
    }

    #[test]
    fn summaries_use_french_plurals() {
        let mut plan = Plan { unchanged: 0, ..Plan::default() };
        plan.added.push("a".into());
        plan.bytes = 1500;
        assert_eq!(
            summary(&plan, false),
            "Publication terminée : 1 fichier envoyé, 0 supprimé, 0 inchangé (1,5\u{a0}ko)."
        );
        plan.changed.push("b".into());
        plan.removed = vec!["c".into(), "d".into()];
        plan.unchanged = 12;
        plan.bytes = 2;
        assert_eq!(
            summary(&plan, false),
            "Publication terminée : 2 fichiers envoyés, 2 supprimés, 12 inchangés (2\u{a0}octets)."
        );
        assert_eq!(
            summary(&plan, true),
            "Essai (rien n’est modifié) : 2 fichiers à envoyer, 2 à supprimer, 12 inchangés (2\u{a0}octets)."
        );
        assert_eq!(summary(&Plan::default(), false), "Rien à publier : le site en ligne était déjà à jour.");
    }

    fn rename_order(paths: &[&str]) -> Vec<String> {
        let mut sorted: Vec<&str> = paths.to_vec();
        sorted.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
        sorted.into_iter().map(str::to_string).collect()
    }

    #[test]
    fn pages_are_placed_after_what_they_use_and_home_last() {
        let order = rename_order(&["index.html", "sitemap.xml", "a/index.html", "img/x.webp", "style.css", "404.html"]);
        assert_eq!(order, ["img/x.webp", "style.css", "404.html", "a/index.html", "index.html", "sitemap.xml"]);
    }
}
