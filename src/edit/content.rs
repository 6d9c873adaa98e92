//! The editor's view of the site: every content file decoded, kept in step with the dev server's
//! session (or loaded on its own), and the checks of a candidate change through the one assembly
//! ([`model::assemble`]) and [`check::check`], compared with the site as it is.

use crate::check;
use crate::diagnostic::{self, Diagnostic};
use crate::model::{self, Decoded, DecodedFile, vocab};
use crate::source::{self, SourceFile, SourceKind};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// One decoded file and the fingerprint of its bytes.
#[derive(Debug, Clone)]
struct Entry {
    hash: u64,
    decoded: DecodedFile,
}

/// Every content file of the site, decoded, by path relative to the root.
#[derive(Debug, Default)]
pub struct Content {
    files: BTreeMap<String, Entry>,
    /// Bumped at every change, so that the site's own diagnostics are computed once per state.
    generation: u64,
    baseline: Option<(u64, Arc<Vec<Diagnostic>>)>,
    assembled: Option<(u64, Option<Arc<model::Site>>)>,
}

/// A change to check: a file with new bytes, or a file removed.
#[derive(Debug, Clone)]
pub enum Change {
    /// The file at `rel` (of `kind`, `within` its folder) would hold `bytes`.
    Write {
        /// Path relative to the root.
        rel: String,
        /// Its kind.
        kind: SourceKind,
        /// Path within its kind's folder.
        within: String,
        /// The new bytes.
        bytes: Vec<u8>,
    },
    /// These files would be gone.
    Remove(Vec<String>),
}

/// What a candidate change does to the site's diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Problems in the changed file (errors and warnings), as `check` reports them.
    pub here: Vec<Diagnostic>,
    /// Errors in other files that the change would bring.
    pub new_elsewhere: Vec<Diagnostic>,
    /// Errors already present in other files, unrelated to the change.
    pub old_elsewhere: usize,
}

impl Verdict {
    /// Whether the change must not be written: it has errors in its own file, or brings some
    /// elsewhere.
    pub fn blocks(&self) -> bool {
        self.here.iter().any(Diagnostic::is_error) || !self.new_elsewhere.is_empty()
    }
}

impl Content {
    /// Reads and decodes the whole content tree of the site at `root`.
    pub fn load(root: &Path) -> Content {
        let (sources, _) = source::load(root);
        let mut c = Content::default();
        for f in sources.files {
            c.put_file(f);
        }
        c
    }

    /// Takes the files of the dev server's session: only those whose fingerprint changed are
    /// copied.
    pub fn sync<'a>(&mut self, files: impl Iterator<Item = (&'a str, u64, &'a DecodedFile)>) {
        // Borrowed paths: tens of thousands of files on a large site, after every save.
        let mut seen = std::collections::HashSet::new();
        let mut changed = false;
        for (rel, hash, decoded) in files {
            seen.insert(rel);
            if self.files.get(rel).is_some_and(|e| e.hash == hash) {
                continue;
            }
            self.files.insert(rel.to_string(), Entry { hash, decoded: decoded.clone() });
            changed = true;
        }
        let before = self.files.len();
        self.files.retain(|rel, _| seen.contains(rel.as_str()));
        if changed || before != self.files.len() {
            self.generation += 1;
        }
    }

    /// Takes some files of the dev server's session, the others being as they were: each path
    /// with the session's file there (its fingerprint and decoded content), or `None` when the
    /// session has none. Costs what the paths are, not the site.
    pub fn sync_files<'a>(&mut self, files: impl IntoIterator<Item = (&'a str, Option<(u64, &'a DecodedFile)>)>) {
        let mut changed = false;
        for (rel, file) in files {
            match file {
                Some((hash, _)) if self.files.get(rel).is_some_and(|e| e.hash == hash) => {}
                Some((hash, decoded)) => {
                    self.files.insert(rel.to_string(), Entry { hash, decoded: decoded.clone() });
                    changed = true;
                }
                None => changed |= self.files.remove(rel).is_some(),
            }
        }
        if changed {
            self.generation += 1;
        }
    }

    /// Decodes and keeps one file (after the editor wrote it).
    pub fn put_file(&mut self, f: SourceFile) {
        let hash = crate::fingerprint::of_bytes(&f.bytes);
        let rel = f.rel.clone();
        self.files.insert(rel, Entry { hash, decoded: DecodedFile::new(f) });
        self.generation += 1;
    }

    /// Forgets files (after the editor moved them to the bin).
    pub fn remove(&mut self, rels: &[String]) {
        for rel in rels {
            self.files.remove(rel);
        }
        self.generation += 1;
    }

    /// Every decoded file of a kind, by path.
    pub fn of_kind(&self, kind: SourceKind) -> impl Iterator<Item = (&str, &DecodedFile)> {
        self.files.iter().filter(move |(_, e)| e.decoded.kind == kind).map(|(rel, e)| (rel.as_str(), &e.decoded))
    }

    /// The decoded file at `rel`.
    pub fn get(&self, rel: &str) -> Option<&DecodedFile> {
        self.files.get(rel).map(|e| &e.decoded)
    }

    /// The assembled site as it is, when `cpts.yaml` decodes (assembled once per state).
    pub fn site(&mut self) -> Option<Arc<model::Site>> {
        match &self.assembled {
            Some((g, s)) if *g == self.generation => s.clone(),
            _ => {
                let site = model::assemble(self.files.values().map(|e| e.decoded.clone()).collect()).0.map(Arc::new);
                self.assembled = Some((self.generation, site.clone()));
                site
            }
        }
    }

    /// A number that changes whenever the content does.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Diagnostics of the site with `change` applied (or as it is).
    fn diagnostics(&self, change: Option<&Change>, today: Date) -> Vec<Diagnostic> {
        let mut files: Vec<DecodedFile> = Vec::with_capacity(self.files.len() + 1);
        let (skip, added): (Vec<&str>, Option<DecodedFile>) = match change {
            None => (Vec::new(), None),
            Some(Change::Remove(rels)) => (rels.iter().map(String::as_str).collect(), None),
            Some(Change::Write { rel, kind, within, bytes }) => {
                let f = SourceFile { kind: *kind, rel: rel.clone(), within: within.clone(), bytes: bytes.clone() };
                (vec![rel.as_str()], Some(DecodedFile::new(f)))
            }
        };
        files
            .extend(self.files.iter().filter(|(rel, _)| !skip.contains(&rel.as_str())).map(|(_, e)| e.decoded.clone()));
        files.extend(added);
        let (site, mut diagnostics) = model::assemble(files);
        if let Some(site) = &site {
            diagnostics.extend(check::check(site, &check::Scope::writing(today)));
        }
        diagnostic::sort(&mut diagnostics);
        diagnostics
    }

    /// The site's own diagnostics, computed once per state.
    fn baseline(&mut self, today: Date) -> Arc<Vec<Diagnostic>> {
        match &self.baseline {
            Some((g, d)) if *g == self.generation => Arc::clone(d),
            _ => {
                let d = Arc::new(self.diagnostics(None, today));
                self.baseline = Some((self.generation, Arc::clone(&d)));
                d
            }
        }
    }

    /// What `change` does to the site's diagnostics. `rel` is the file the change is about:
    /// its own problems are always reported; problems elsewhere count only when the change brings
    /// them.
    pub fn verdict(&mut self, rel: &str, change: &Change, today: Date) -> Verdict {
        let baseline = self.baseline(today);
        let after = self.diagnostics(Some(change), today);
        let removed: Vec<&str> = match change {
            Change::Remove(rels) => rels.iter().map(String::as_str).collect(),
            Change::Write { .. } => Vec::new(),
        };
        let mut v = Verdict::default();
        for d in after {
            if d.file == rel {
                v.here.push(d);
            } else if d.is_error() && !baseline.contains(&d) {
                v.new_elsewhere.push(d);
            }
        }
        v.old_elsewhere =
            baseline.iter().filter(|d| d.is_error() && d.file != rel && !removed.contains(&d.file.as_str())).count();
        v
    }
}

/// A record's title for lists, from its decoded file (the file's name when it does not decode).
pub fn title_of(rel: &str, decoded: &DecodedFile) -> String {
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s).to_string();
    match &decoded.decoded {
        Ok(Decoded::Member(m)) => {
            let d = &m.data;
            match (&d.raison_sociale, &d.prenom, &d.nom) {
                (Some(r), _, _) => r.clone(),
                (None, p, n) => {
                    let title = d.titre.as_ref().map(|t| format!("{} ", t.value)).unwrap_or_default();
                    let name = [p.as_deref(), n.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
                    if name.is_empty() { stem } else { format!("{title}{name}") }
                }
            }
        }
        Ok(Decoded::Action(a)) => a.data.titre.clone(),
        Ok(Decoded::Offer(o)) => o.data.titre.clone(),
        Ok(Decoded::News(n)) => n.data.titre.clone(),
        Ok(Decoded::Page(p)) => p.data.titre.clone(),
        Ok(Decoded::Resource(r)) => r.data.nom.clone(),
        Ok(Decoded::Document(d)) => d.data.titre.clone(),
        Ok(Decoded::Cpts(c)) => c.data.nom.clone(),
        Ok(Decoded::Contacts(_)) => "Numéros utiles".to_string(),
        Ok(Decoded::Indicators(_)) => "Résultats (indicateurs)".to_string(),
        _ => stem,
    }
}

/// The key lists are sorted by: members by last name then first name (a structure by its name),
/// other records by their title; accents and case folded.
pub fn sort_key_of(rel: &str, decoded: &DecodedFile) -> String {
    let key = match &decoded.decoded {
        Ok(Decoded::Member(m)) if m.data.raison_sociale.is_none() => {
            let d = &m.data;
            format!("{} {}", d.nom.as_deref().unwrap_or(""), d.prenom.as_deref().unwrap_or(""))
        }
        _ => title_of(rel, decoded),
    };
    crate::domain::text::fold(key.trim())
}

/// Whether a record is published: `Some(false)` for a member without consent or a draft, `None`
/// for kinds without the notion.
pub fn published(decoded: &DecodedFile) -> Option<bool> {
    match &decoded.decoded {
        Ok(Decoded::Member(m)) => Some(m.data.publie),
        Ok(Decoded::Action(a)) => Some(!a.data.brouillon),
        Ok(Decoded::Offer(o)) => Some(!o.data.brouillon),
        Ok(Decoded::News(n)) => Some(!n.data.brouillon),
        Ok(Decoded::Page(p)) => Some(!p.data.brouillon),
        _ => None,
    }
}

/// A short description under a record's title in lists (a member's profession and commune, an
/// action's theme…).
pub fn detail_of(decoded: &DecodedFile, site: Option<&model::Site>) -> String {
    let commune = |code: &str| site.and_then(|s| s.commune(code)).map_or_else(|| code.to_string(), |c| c.nom.clone());
    match &decoded.decoded {
        Ok(Decoded::Member(m)) => {
            let d = &m.data;
            let feminine = d.civilite.as_ref().is_some_and(|c| c.value == "Mme");
            let profession = d.profession.as_ref().map(|p| match vocab::profession(&p.value) {
                Some(v) if feminine => v.feminine.to_string(),
                Some(v) => v.masculine.to_string(),
                None => p.value.clone(),
            });
            let structure = d
                .structure
                .as_ref()
                .map(|s| vocab::structure(&s.value).map_or_else(|| s.value.clone(), |v| v.label.to_string()));
            let what = profession.or(structure);
            let place = d.lieux.first().map(|l| commune(&l.commune.value));
            [what, place].into_iter().flatten().collect::<Vec<_>>().join(", ")
        }
        // A permanent action's sessions may have no date: then what it says of when.
        Ok(Decoded::Action(a)) => match a.data.seances.iter().find_map(|s| s.date.as_ref()) {
            Some(date) => date.value.to_string(),
            None => a.data.quand.clone().unwrap_or_else(|| "permanente".to_string()),
        },
        Ok(Decoded::Offer(o)) => o.data.kind.value.clone(),
        Ok(Decoded::News(n)) => n.data.date.value.to_string(),
        Ok(Decoded::Resource(r)) => r.data.kind.clone(),
        Ok(Decoded::Document(d)) => d.data.fichier.value.clone(),
        Err(d) => d.message.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A member's file at `rel` holding `text`, with the fingerprint of its bytes.
    fn member(rel: &str, text: &str) -> (u64, DecodedFile) {
        let within = rel.rsplit('/').next().unwrap_or(rel).to_string();
        let f = SourceFile { kind: SourceKind::Member, rel: rel.to_string(), within, bytes: text.as_bytes().to_vec() };
        (crate::fingerprint::of_bytes(&f.bytes), DecodedFile::new(f))
    }

    #[test]
    fn some_files_taken_bump_the_generation_when_and_only_when_one_changed() {
        let (a, b) = ("content/membres/a.yaml", "content/membres/b.yaml");
        let (ha, fa) = member(a, "nom: A\n");
        let (hb, fb) = member(b, "nom: B\n");
        let (hb2, fb2) = member(b, "nom: B2\n");
        let mut c = Content::default();
        c.sync_files([(a, Some((ha, &fa))), (b, Some((hb, &fb)))]);
        let g = c.generation();
        assert_eq!(g, 1);
        // The same bytes, a path neither side has, nothing: no change.
        c.sync_files([(a, Some((ha, &fa))), ("content/membres/c.yaml", None)]);
        c.sync_files([]);
        assert_eq!(c.generation(), g);
        // New bytes: taken.
        c.sync_files([(b, Some((hb2, &fb2)))]);
        assert_eq!(c.generation(), g + 1);
        assert_eq!(c.files.get(b).map(|e| e.hash), Some(hb2));
        // Gone.
        c.sync_files([(a, None)]);
        assert_eq!(c.generation(), g + 2);
        assert!(c.get(a).is_none() && c.get(b).is_some());
        // The whole list agrees, and changes nothing more.
        c.sync([(b, hb2, &fb2)].into_iter());
        assert_eq!(c.generation(), g + 2);
    }
}
