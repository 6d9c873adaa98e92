//! What a new site is made of, and what can go wrong making it.

use crate::domain::communes::Commune;

/// Where the coordinator's guide is, as `LISEZMOI.md` and `maillage init` say it.
pub const GUIDE: &str = "« maillage aide » l’affiche dans le terminal (« maillage aide membres » pour un sujet), et \
pendant « maillage serve » il s’ouvre dans le navigateur, à l’adresse /_guide/ du serveur \
(http://127.0.0.1:1111/_guide/)";

/// Problems creating a new site.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder exists and is not empty.
    #[error("le dossier {0} existe et n’est pas vide : choisissez un dossier nouveau ou vide")]
    NotEmpty(String),
    /// Writing failed.
    #[error("écriture impossible dans {path} : {}", crate::french::io_error(.source))]
    Io {
        /// Where.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The flags do not describe a site: every problem, one per line.
    #[error("{}", problems(.0))]
    Flags(Vec<String>),
    /// The territory has no commune.
    #[error("{0}")]
    Territory(String),
    /// The input ended before the last answer.
    #[error("saisie interrompue avant la dernière réponse : aucun fichier n’a été écrit")]
    Interrupted,
    /// The terminal could not be read or written.
    #[error("lecture ou écriture impossible dans le terminal : {}", crate::french::io_error(.0))]
    Terminal(std::io::Error),
}

fn problems(list: &[String]) -> String {
    match list {
        [one] => one.clone(),
        many => format!(
            "{} problèmes :\n{}",
            many.len(),
            many.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
        ),
    }
}

/// What a new site is made of.
#[derive(Debug, Clone)]
pub struct Answers {
    /// The CPTS's name.
    pub nom: String,
    /// Its communes, from the official table, in the order given.
    pub communes: Vec<&'static Commune>,
    /// Contact e-mail (a placeholder in `example.fr` when not given).
    pub courriel: Option<String>,
    /// Contact phone, written `04 94 12 34 56`.
    pub telephone: Option<String>,
}
