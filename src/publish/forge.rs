//! Workflow files that build the site with Maillage's released binary (downloaded, checked
//! against its published SHA-256, never compiled) and publish it on GitHub Pages or GitLab
//! Pages. `maillage init` writes both; `maillage publier --forge github|gitlab` adds one to an
//! existing site. The version written is the one of the Maillage that writes the file.

use std::path::{Path, PathBuf};

/// A forge with a Pages service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    /// GitHub Pages, through GitHub Actions.
    GitHub,
    /// GitLab Pages, through GitLab CI.
    GitLab,
}

impl Forge {
    /// Where the workflow goes, relative to the site's root.
    pub fn file(self) -> &'static str {
        match self {
            Forge::GitHub => ".github/workflows/publier.yml",
            Forge::GitLab => ".gitlab-ci.yml",
        }
    }

    /// The forge's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Forge::GitHub => "GitHub Pages",
            Forge::GitLab => "GitLab Pages",
        }
    }

    /// The workflow's text, for this version of Maillage.
    pub fn workflow(self) -> String {
        let template = match self {
            Forge::GitHub => include_str!("forge/github.yml"),
            Forge::GitLab => include_str!("forge/gitlab.yml"),
        };
        template
            .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"))
            .replace("{{REPOSITORY}}", env!("CARGO_PKG_REPOSITORY"))
    }
}

/// Problems writing a workflow.
#[derive(Debug, thiserror::Error)]
pub enum ForgeError {
    /// A different file is already there.
    #[error(
        "{0} existe déjà et diffère de celui de Maillage : il n’est pas modifié. Renommez-le, ou ajoutez-y à la main \
         le contenu affiché par « maillage publier --forge … --afficher »"
    )]
    Exists(PathBuf),
    /// Writing failed.
    #[error("écriture de {path} impossible : {}", crate::french::io_error(.source))]
    Io {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Whether [`write`] created the file or found it already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file was created.
    Created,
    /// The same file was already there.
    Unchanged,
}

/// Writes the workflow of `forge` into the site `root`; never replaces a different file.
pub fn write(root: &Path, forge: Forge) -> Result<Written, ForgeError> {
    let path = root.join(forge.file());
    let text = forge.workflow();
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing == text => return Ok(Written::Unchanged),
        Ok(_) => return Err(ForgeError::Exists(path)),
        Err(_) if path.exists() => return Err(ForgeError::Exists(path)),
        Err(_) => {}
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ForgeError::Io { path, source }
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    std::fs::write(&path, text).map_err(io(&path))?;
    Ok(Written::Created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflows_name_this_version_and_never_replace_another_file() {
        let root = tempfile::tempdir().unwrap();
        for forge in [Forge::GitHub, Forge::GitLab] {
            let text = forge.workflow();
            assert!(!text.contains("{{VERSION}}") && !text.contains("{{REPOSITORY}}"), "{text}");
            assert!(text.contains(&format!("MAILLAGE_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"))));
            assert!(text.contains("sha256sum --check"));
            assert!(!text.contains("cargo"), "the workflow must not compile Rust");
            assert_eq!(write(root.path(), forge).unwrap(), Written::Created);
            assert_eq!(write(root.path(), forge).unwrap(), Written::Unchanged);
            std::fs::write(root.path().join(forge.file()), "# à moi\n").unwrap();
            assert!(matches!(write(root.path(), forge), Err(ForgeError::Exists(_))));
            assert_eq!(std::fs::read_to_string(root.path().join(forge.file())).unwrap(), "# à moi\n");
        }
    }
}
