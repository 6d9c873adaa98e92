//! The coordinator's guide, in French: the files of `docs/guide/`, embedded in the binary (they
//! are its only copy). `maillage aide [SUJET]` prints a topic in the terminal ([`terminal`]);
//! `maillage serve` serves every topic as a page at [`PATH`] ([`html`]), where the error overlay
//! links each message to the section of its code.

pub mod html;
pub mod terminal;

use crate::domain::text::fold;
use crate::source::closest_match;

/// Where `maillage serve` serves the guide; outside any site (a site's pages never start with
/// `_`).
pub const PATH: &str = "/_guide/";

/// One topic of the guide: one file of `docs/guide/`.
#[derive(Debug, Clone, Copy)]
pub struct Topic {
    /// Its name for `maillage aide` and its address (`/_guide/membres/`): the file's name.
    pub slug: &'static str,
    /// Other names a coordinator may type (`membre`, `member`).
    pub aliases: &'static [&'static str],
    /// The Markdown text.
    pub markdown: &'static str,
}

impl Topic {
    /// Where `maillage serve` shows it (`/_guide/membres/`).
    pub fn address(&self) -> String {
        format!("{PATH}{}/", self.slug)
    }

    /// The title: the text of the first `# ` line, without Markdown marks.
    pub fn title(&self) -> String {
        let line = self.markdown.lines().find_map(|l| l.strip_prefix("# ")).unwrap_or(self.slug);
        line.replace('`', "")
    }
}

macro_rules! topic {
    ($slug:literal, [$($alias:literal),*]) => {
        Topic { slug: $slug, aliases: &[$($alias),*], markdown: include_str!(concat!("../../docs/guide/", $slug, ".md")) }
    };
}

/// Every topic, in the order of the list.
pub const TOPICS: &[Topic] = &[
    topic!("demarrer", ["debuter", "init", "lisezmoi", "commencer"]),
    topic!("commandes", ["build", "check", "new", "options", "construire", "verifier"]),
    topic!("serve", ["serveur", "apercu", "voir", "surcouche"]),
    topic!("fichiers", ["arborescence", "yaml", "markdown", "contenu", "content", "types"]),
    topic!("cpts", ["cpts.yaml", "territoire", "communes", "association", "installation", "stages"]),
    topic!("blocs", ["lieu", "lieux", "image", "images", "contact", "chiffres"]),
    topic!("membres", ["membre", "member", "members", "annuaire", "professionnels"]),
    topic!("actions", ["action", "prevention", "seances", "seance"]),
    topic!("offres", ["offre", "offer", "offers", "stage", "recrutement"]),
    topic!("actualites", ["actualite", "news", "nouvelles"]),
    topic!("pages", ["page", "menu"]),
    topic!("contacts", ["contacts.yaml", "numeros", "urgences"]),
    topic!("indicateurs", ["indicateurs.yaml", "resultats", "indicateur", "objectifs", "bilan"]),
    topic!("ressources", ["ressource", "thematiques", "thematique"]),
    topic!("documents", ["document", "pdf", "affiches"]),
    topic!("static", ["statique", "communes.geojson", "geojson", "carte", "logo"]),
    topic!("vocabulaires", ["vocabulaire", "valeurs", "missions"]),
    topic!("fraicheur", ["relances", "confirmation", "verifications", "a-confirmer", "dates"]),
    topic!("regles", ["publie", "brouillon", "brouillons", "archives", "regles-de-publication"]),
    topic!("identifiants", ["rpps", "adeli", "finess", "siret", "telephone", "telephones"]),
    topic!("import", ["importer", "rpps-import", "tableau", "csv", "xlsx"]),
    topic!("editeur", ["edition", "editor", "formulaires", "navigateur", "corbeille", "mot-de-passe"]),
    topic!("schemas", ["schema", "vscode", "completion", "cms", "decap", "sveltia"]),
    topic!("region", ["regional", "federation", "portail", "plusieurs-cpts", "commun", "region.yaml"]),
    topic!("publier", ["publish", "publication", "sftp", "mise-en-ligne", "production"]),
    topic!("erreurs", ["erreur", "codes", "code", "diagnostics", "avertissements"]),
];

/// What `maillage aide NAME` finds.
#[derive(Debug, Clone, Copy)]
pub enum Lookup {
    /// The topic of that name (or alias, or error code).
    Found(&'static Topic),
    /// No topic of that name; this one is the closest.
    Closest(&'static Topic),
    /// Nothing close.
    Unknown,
}

/// The topic a coordinator asks for by name, alias or error code (`M013`), in any case and with
/// or without accents.
pub fn lookup(name: &str) -> Lookup {
    let wanted = fold(name.trim()).replace(' ', "-");
    if is_code(&wanted) {
        return TOPICS.iter().find(|t| t.slug == "erreurs").map_or(Lookup::Unknown, Lookup::Found);
    }
    if let Some(t) = TOPICS.iter().find(|t| t.slug == wanted || t.aliases.contains(&wanted.as_str())) {
        return Lookup::Found(t);
    }
    let names: Vec<&str> =
        TOPICS.iter().flat_map(|t| std::iter::once(t.slug).chain(t.aliases.iter().copied())).collect();
    match closest_match(&wanted, &names) {
        Some(best) => {
            TOPICS.iter().find(|t| t.slug == best || t.aliases.contains(&best)).map_or(Lookup::Unknown, Lookup::Closest)
        }
        None => Lookup::Unknown,
    }
}

/// Whether `text` is an error code (`m013`, folded).
pub fn is_code(text: &str) -> bool {
    text.len() == 4 && text.starts_with('m') && text[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The section of the guide on an error code (`M013`, any case), as Markdown: from its heading
/// to the next one.
pub fn code_section(code: &str) -> Option<&'static str> {
    let topic = TOPICS.iter().find(|t| t.slug == "erreurs")?;
    let heading = format!("\n## {} — ", code.to_uppercase());
    let start = topic.markdown.find(&heading)? + 1;
    let rest = &topic.markdown[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    Some(&rest[..end])
}

/// The code `code` (`M013`) as the guide's heading spells it, with the program's lifetime: how
/// a diagnostic read back from a file (the warnings a build's manifest keeps) gets its code again.
/// `None` for what is not a code the guide documents.
pub fn known_code(code: &str) -> Option<&'static str> {
    if !is_code(&code.to_ascii_lowercase()) {
        return None;
    }
    let spelled = &code_section(code)?[3..7];
    (spelled == code).then_some(spelled)
}

/// The address of the guide's section on an error code (`/_guide/erreurs/#m013`), when the guide
/// has one.
pub fn code_address(code: &str) -> Option<String> {
    let topic = TOPICS.iter().find(|t| t.slug == "erreurs")?;
    let heading = format!("\n## {code} — ");
    topic.markdown.contains(&heading).then(|| format!("{PATH}erreurs/#{}", code.to_lowercase()))
}

/// The width to wrap the guide at in a terminal: `COLUMNS` when set, at most 100; 80 otherwise.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse::<usize>().ok()).filter(|&c| c >= 40).map_or(80, |c| c.min(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_are_the_guide_s_own() {
        assert_eq!(known_code("M013"), Some("M013"));
        assert_eq!(known_code("M066"), Some("M066"));
        // A code no diagnostic has, written so that tests/guide.rs does not take it for one.
        let undocumented = format!("M{}", 999);
        for unknown in [undocumented.as_str(), "m013", "M01", "M0130", "X013", ""] {
            assert_eq!(known_code(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn topics_are_found_by_name_alias_code_and_typo() {
        assert!(matches!(lookup("membres"), Lookup::Found(t) if t.slug == "membres"));
        assert!(matches!(lookup("Membre"), Lookup::Found(t) if t.slug == "membres"));
        assert!(matches!(lookup("actualités"), Lookup::Found(t) if t.slug == "actualites"));
        assert!(matches!(lookup("M013"), Lookup::Found(t) if t.slug == "erreurs"));
        assert!(matches!(lookup("actulites"), Lookup::Closest(t) if t.slug == "actualites"));
        assert!(matches!(lookup("publication"), Lookup::Found(t) if t.slug == "publier"));
        assert!(matches!(lookup("zzzzzzzz"), Lookup::Unknown));
    }

    #[test]
    fn every_topic_has_a_title() {
        for t in TOPICS {
            assert!(!t.title().is_empty() && t.title() != t.slug, "{}", t.slug);
        }
    }
}
