//! Load stage: walk the content tree and read every file, each within its size limit, without
//! interpreting anything ([`walk`] follows symbolic links that stay inside the site and reports
//! the others).
//! Then the decoding helpers the parse stage uses: UTF-8, front matter and YAML with spans.

pub mod atomic;
mod decode;
pub mod quick_yaml;
pub mod walk;
pub mod yaml_edit;

pub use decode::{FrontMatter, closest as closest_match, decode_yaml, split_front_matter, utf8_text};

use crate::diagnostic::Diagnostic;
use rayon::prelude::*;
use std::path::Path;

/// What a content file is, from the folder it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// `content/cpts.yaml`.
    Cpts,
    /// `content/contacts.yaml`.
    Contacts,
    /// `content/indicateurs.yaml`.
    Indicators,
    /// `content/communes.geojson`.
    CommunesGeojson,
    /// `content/membres/*.yaml`.
    Member,
    /// `content/actions/*.md`.
    Action,
    /// `content/offres/*.md`.
    Offer,
    /// `content/actualites/*.md`.
    News,
    /// `content/pages/*.md`.
    Page,
    /// `content/ressources/*.yaml`.
    Resource,
    /// `content/documents/*.yaml`: the description of a document.
    DocumentSidecar,
    /// Any other file of `content/documents/`: a published document.
    Document,
    /// `content/static/**`: copied as it is.
    Static,
}

/// One file read from the content tree.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// What the file holds.
    pub kind: SourceKind,
    /// Path relative to the site root, `/`-separated (`content/membres/dupont.yaml`).
    pub rel: String,
    /// Path relative to the folder of its kind (`dupont.yaml`, `images/logo.png`).
    pub within: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// File name without its extension: the record's identifier and URL slug.
    pub fn stem(&self) -> &str {
        let name = self.within.rsplit('/').next().unwrap_or(&self.within);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

/// Every file of a site's content tree.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The files, sorted by path.
    pub files: Vec<SourceFile>,
}

/// Folder under the site root holding the content.
pub const CONTENT_DIR: &str = "content";

/// Reads the whole content tree of the site at `root`. Unreadable files and files in unknown
/// places are reported; nothing is interpreted yet.
pub fn load(root: &Path) -> (Sources, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error("M001", CONTENT_DIR, 0, 0, "le dossier « content » est introuvable")
                .with_hint(format!(
                    "lancez Maillage depuis le dossier du site, ou indiquez-le avec --root ; « maillage init {} » crée un site d’exemple",
                    root.display()
                )),
        );
        return (Sources { files }, diagnostics);
    }
    // The walk decides what to read, in order; the files are then read in parallel (many small
    // files: reading them one by one costs more than decoding them).
    let walked = walk::walk(root, &content, CONTENT_DIR, is_ignored);
    diagnostics.extend(walked.problems);
    let mut found = Vec::new();
    for f in walked.files {
        let rel = format!("{CONTENT_DIR}/{}", f.within);
        match classify(&f.within) {
            Some((kind, within)) => found.push((kind, rel, within, f.path)),
            None => diagnostics.push(
                Diagnostic::warning(
                    "M003",
                    &rel,
                    0,
                    0,
                    "fichier ignoré : Maillage ne sait pas quoi en faire à cet endroit",
                )
                .with_hint(
                    "les images et fichiers à publier tels quels vont dans content/static/ ; « maillage aide fichiers » décrit où ranger chaque fichier",
                ),
            ),
        }
    }
    let read: Vec<Result<SourceFile, Diagnostic>> = found
        .into_par_iter()
        .map(|(kind, rel, within, path)| {
            read_source(&path, kind, &rel).map(|bytes| SourceFile { kind, rel, within, bytes })
        })
        .collect();
    for r in read {
        match r {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    (Sources { files }, diagnostics)
}

/// Reads the content file at `path` (`rel` from the site root) within the limit of its kind:
/// [`crate::limits::MAX_TEXT_BYTES`] for text, [`crate::limits::MAX_ASSET_BYTES`] for files
/// published as they are. The size is checked before reading, and the read stops past the limit.
pub fn read_source(path: &Path, kind: SourceKind, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    use crate::limits::{MAX_ASSET_BYTES, MAX_TEXT_BYTES, ReadError, megabytes, read_file, whole_megabytes};
    let asset = matches!(kind, SourceKind::Static | SourceKind::Document);
    let limit = if asset { MAX_ASSET_BYTES } else { MAX_TEXT_BYTES };
    read_file(path, limit).map_err(|e| match e {
        ReadError::TooBig { size, .. } if !asset => decode::too_big(rel, size),
        ReadError::TooBig { size, limit } => Diagnostic::error(
            "M101",
            rel,
            0,
            0,
            format!(
                "fichier trop gros : {} Mo, alors qu’un fichier publié tel quel ne dépasse pas {} Mo",
                megabytes(size),
                whole_megabytes(limit)
            ),
        )
        .with_hint(
            "réduisez-le (une vidéo ou une archive se publie plutôt chez un hébergeur dédié, avec un lien), ou retirez-le du site",
        ),
        other => Diagnostic::error("M002", rel, 0, 0, format!("lecture impossible : {other}")),
    })
}

/// Hidden files, editor backups and swap files are never content (the load stage skips them, and
/// so does the dev server's watcher).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

/// Decides the kind of a file from its path inside `content/` (`membres/x.yaml`), and gives its
/// path within its kind's folder; `None` for a file Maillage does not read there.
pub fn classify(rel: &str) -> Option<(SourceKind, String)> {
    let (dir, rest) = match rel.split_once('/') {
        Some((d, r)) => (d, r),
        None => {
            return match rel {
                "cpts.yaml" => Some((SourceKind::Cpts, rel.to_string())),
                "contacts.yaml" => Some((SourceKind::Contacts, rel.to_string())),
                "indicateurs.yaml" => Some((SourceKind::Indicators, rel.to_string())),
                "communes.geojson" => Some((SourceKind::CommunesGeojson, rel.to_string())),
                _ => None,
            };
        }
    };
    let flat = !rest.contains('/');
    let ext = rest.rsplit_once('.').map(|(_, e)| e);
    let kind = match (dir, ext) {
        ("static", _) => SourceKind::Static,
        ("membres", Some("yaml" | "yml")) if flat => SourceKind::Member,
        ("ressources", Some("yaml" | "yml")) if flat => SourceKind::Resource,
        ("actions", Some("md")) if flat => SourceKind::Action,
        ("offres", Some("md")) if flat => SourceKind::Offer,
        ("actualites", Some("md")) if flat => SourceKind::News,
        ("pages", Some("md")) if flat => SourceKind::Page,
        ("documents", Some("yaml" | "yml")) if flat => SourceKind::DocumentSidecar,
        ("documents", Some(_)) if flat => SourceKind::Document,
        _ => return None,
    };
    Some((kind, rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_by_folder_and_extension() {
        assert_eq!(classify("cpts.yaml").map(|c| c.0), Some(SourceKind::Cpts));
        assert_eq!(classify("indicateurs.yaml").map(|c| c.0), Some(SourceKind::Indicators));
        assert_eq!(classify("membres/dupont.yaml").map(|c| c.0), Some(SourceKind::Member));
        assert_eq!(classify("membres/sub/dupont.yaml"), None);
        assert_eq!(classify("actions/octobre-rose.md").map(|c| c.0), Some(SourceKind::Action));
        assert_eq!(classify("documents/affiche.pdf").map(|c| c.0), Some(SourceKind::Document));
        assert_eq!(classify("static/img/a.png").map(|c| c.1), Some("img/a.png".to_string()));
        assert_eq!(classify("notes.txt"), None);
    }
}
