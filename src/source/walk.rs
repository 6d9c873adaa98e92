//! Walking a folder of a site (the content, a theme, the templates): every regular file, in a
//! fixed order. Symbolic links that stay inside the site are followed; a link leading outside it,
//! a broken link, a loop of links, a file that is not a regular file and a name that cannot be
//! published are reported, never skipped in silence.

use crate::diagnostic::{Diagnostic, display_path, printable_line};
use std::path::{Path, PathBuf};

/// A regular file found by [`walk`].
#[derive(Debug, Clone)]
pub struct Found {
    /// Where to read it (a path under the walked folder, through links when there are some).
    pub path: PathBuf,
    /// Its path relative to the walked folder, `/`-separated (`membres/dupont.yaml`).
    pub within: String,
}

/// What [`walk`] found: the files, sorted by path, and the problems.
#[derive(Debug, Clone, Default)]
pub struct Walked {
    /// Regular files with a publishable name.
    pub files: Vec<Found>,
    /// Links refused, names refused, unreadable folders, files that are not regular files.
    pub problems: Vec<Diagnostic>,
}

/// Walks `dir`, a folder of the site at `root`; diagnostics name files `label/within`
/// (`content/membres/dupont.yaml`). Entries whose name `skip` accepts are left out, with what
/// they hold (hidden files, editor backups). An absent folder gives nothing.
pub fn walk(root: &Path, dir: &Path, label: &str, skip: fn(&str) -> bool) -> Walked {
    let mut walked = Walked::default();
    if !dir.exists() {
        return walked;
    }
    let name_of = |path: &Path| match path.strip_prefix(dir) {
        Ok(p) if p.as_os_str().is_empty() => label.to_string(),
        Ok(p) => format!("{label}/{}", display_path(p)),
        Err(_) => path.display().to_string(),
    };
    // Where a link may lead: the site, and the walked folder wherever it is (a content folder
    // may itself be a link to a shared drive).
    let here = dir.canonicalize().ok();
    let allowed: Vec<PathBuf> = root.canonicalize().ok().into_iter().chain(here.clone()).collect();
    let mut refused_links = Vec::new();
    let entries: Vec<_> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if skip(e.file_name().to_string_lossy().as_ref()) {
                return false;
            }
            if !e.path_is_symlink() {
                return true;
            }
            match e.path().canonicalize() {
                // A link to a folder that holds the walked one would walk the site into itself.
                Ok(target) if here.as_ref().is_some_and(|d| d.starts_with(&target)) => {
                    refused_links.push(
                        Diagnostic::error(
                            "M006",
                            &name_of(e.path()),
                            0,
                            0,
                            "lien symbolique vers un dossier qui contient celui-ci : il n’est pas suivi",
                        )
                        .with_hint("supprimez ce lien : il ferait entrer le site dans lui-même"),
                    );
                    false
                }
                Ok(target) if allowed.iter().any(|a| target.starts_with(a)) => true,
                Ok(target) => {
                    refused_links.push(
                        Diagnostic::error(
                            "M006",
                            &name_of(e.path()),
                            0,
                            0,
                            format!("lien symbolique vers {}, hors du site : il n’est pas suivi", target.display()),
                        )
                        .with_hint(
                            "copiez le fichier dans le dossier du site au lieu d’y faire un lien : Maillage ne publie que ce que le site contient",
                        ),
                    );
                    false
                }
                // Broken: walkdir reports it below.
                Err(_) => true,
            }
        })
        .collect();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map_or_else(|| label.to_string(), name_of);
                let broken = err.path().is_some_and(|p| p.symlink_metadata().is_ok_and(|m| m.is_symlink()));
                walked.problems.push(if err.loop_ancestor().is_some() {
                    Diagnostic::error("M006", &path, 0, 0, "lien symbolique qui forme une boucle : il n’est pas suivi")
                        .with_hint("supprimez ce lien : il mène à un dossier qui le contient")
                } else if broken {
                    Diagnostic::error("M006", &path, 0, 0, "lien symbolique cassé : ce qu’il désigne n’existe pas")
                        .with_hint("supprimez le lien, ou remettez le fichier qu’il désigne")
                } else {
                    Diagnostic::error(
                        "M002",
                        &path,
                        0,
                        0,
                        format!(
                            "lecture impossible : {}",
                            err.io_error().map_or_else(|| err.to_string(), crate::french::io_error)
                        ),
                    )
                });
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let name = name_of(entry.path());
        if !file_type.is_file() {
            walked.problems.push(
                Diagnostic::warning(
                    "M003",
                    &name,
                    0,
                    0,
                    "fichier ignoré : ce n’est pas un fichier ordinaire (tube, socket ou périphérique)",
                )
                .with_hint("retirez-le du dossier du site"),
            );
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        match publishable_name(rel) {
            Some(within) => walked.files.push(Found { path: entry.into_path(), within }),
            None => walked.problems.push(
                Diagnostic::error(
                    "M050",
                    &printable_line(&name),
                    0,
                    0,
                    "nom de fichier impossible à publier : il contient un caractère de contrôle ou des octets qui ne sont pas du texte",
                )
                .with_hint("renommez le fichier avec des lettres, des chiffres et des tirets"),
            ),
        }
    }
    walked.problems.extend(refused_links);
    walked
}

/// `rel` as a `/`-separated name when every part is UTF-8 without a control character.
fn publishable_name(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        let part = c.as_os_str().to_str()?;
        if part.chars().any(char::is_control) {
            return None;
        }
        parts.push(part);
    }
    Some(parts.join("/"))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_are_followed_and_the_others_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("ailleurs");
        let root = tmp.path().join("site");
        let content = root.join("content");
        fs::create_dir_all(content.join("static")).unwrap();
        fs::create_dir_all(root.join("partage/images")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(root.join("partage/logo.svg"), "<svg/>").unwrap();
        fs::write(root.join("partage/images/a.png"), "png").unwrap();
        fs::write(outside.join("secret.txt"), "secret").unwrap();
        symlink(root.join("partage/logo.svg"), content.join("static/logo.svg")).unwrap();
        symlink(root.join("partage/images"), content.join("static/images")).unwrap();
        symlink(outside.join("secret.txt"), content.join("static/secret.txt")).unwrap();
        symlink(&outside, content.join("static/dehors")).unwrap();
        symlink(root.join("absent"), content.join("static/casse.txt")).unwrap();
        symlink(&content, content.join("static/boucle")).unwrap();
        let w = walk(&root, &content, "content", |n| n.starts_with('.'));
        let files: Vec<&str> = w.files.iter().map(|f| f.within.as_str()).collect();
        assert_eq!(files, ["static/images/a.png", "static/logo.svg"]);
        let mut problems: Vec<(&str, &str)> = w.problems.iter().map(|d| (d.code, d.file.as_str())).collect();
        problems.sort();
        assert_eq!(
            problems,
            [
                ("M006", "content/static/boucle"),
                ("M006", "content/static/casse.txt"),
                ("M006", "content/static/dehors"),
                ("M006", "content/static/secret.txt"),
            ]
        );
        let secret = w.problems.iter().find(|d| d.file.ends_with("secret.txt")).unwrap();
        assert!(
            secret.message.starts_with("lien symbolique vers ")
                && secret.message.ends_with("hors du site : il n’est pas suivi")
        );
        assert!(w.problems.iter().all(Diagnostic::is_error));
    }

    #[test]
    fn names_that_cannot_be_published_are_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("content");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a\u{1b}[31m.txt"), "x").unwrap();
        fs::write(dir.join("b\nc.txt"), "x").unwrap();
        fs::write(dir.join("ok é.txt"), "x").unwrap();
        let w = walk(tmp.path(), &dir, "content", |_| false);
        assert_eq!(w.files.len(), 1);
        assert_eq!(w.files[0].within, "ok é.txt");
        let names: Vec<&str> = w.problems.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(names, ["content/a<U+001B>[31m.txt", "content/b<U+000A>c.txt"]);
        assert!(w.problems.iter().all(|d| d.code == "M050"));
    }
}
