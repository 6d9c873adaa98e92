//! The answers given as command-line flags.

use super::answers::{Answers, InitError};
use super::territory::{
    Found, add, departement_hint, describe, describe_epci, overlap, resolve, resolve_epci, split_items,
};
use crate::domain::communes::{Commune, table};

/// The command line's answers.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--nom`.
    pub nom: Option<String>,
    /// `--communes`, each a list of names, INSEE codes or postcodes separated by commas.
    pub communes: Vec<String>,
    /// `--epci`, each an EPCI's name or SIREN code.
    pub epci: Vec<String>,
    /// `--courriel`.
    pub courriel: Option<String>,
    /// `--telephone`.
    pub telephone: Option<String>,
}

impl Flags {
    /// True when no answer is given on the command line.
    pub fn is_empty(&self) -> bool {
        self.nom.is_none()
            && self.communes.is_empty()
            && self.epci.is_empty()
            && self.courriel.is_none()
            && self.telephone.is_none()
    }
}

/// Reads the answers given as flags. Every problem is reported at once; a name that matches
/// no commune lists the closest official names, and homonyms their INSEE codes.
pub fn from_flags(flags: &Flags) -> Result<Answers, InitError> {
    let t = table();
    let mut problems = Vec::new();
    let nom = flags.nom.as_deref().map(str::trim).unwrap_or_default().to_string();
    if crate::domain::text::slugify(&nom).is_empty() {
        problems.push("indiquez le nom de la CPTS : --nom \"CPTS du Cœur du Var\"".to_string());
    }
    if flags.communes.is_empty() && flags.epci.is_empty() {
        problems.push(
            "indiquez les communes du territoire : --communes \"Le Luc, Le Cannet-des-Maures\" (noms ou codes INSEE), \
             ou --epci \"CC Coeur du Var\""
                .to_string(),
        );
    }
    let items: Vec<(bool, &str)> = flags
        .epci
        .iter()
        .map(|e| (true, e.trim()))
        .chain(flags.communes.iter().flat_map(|c| split_items(c)).map(|c| (false, c)))
        .collect();
    // Unambiguous items first: their département then decides between homonyms.
    let read =
        |epci: bool, item: &str, dep: Option<&str>| if epci { resolve_epci(t, item) } else { resolve(t, item, dep) };
    let mut communes: Vec<&'static Commune> = Vec::new();
    for &(epci, item) in &items {
        if let Found::Communes { communes: found, .. } = read(epci, item, None) {
            add(&mut communes, &found);
        }
    }
    let mut territory = Vec::new();
    let hint = departement_hint(&communes);
    for &(epci, item) in &items {
        match read(epci, item, hint) {
            Found::Communes { communes: found, .. } => add(&mut territory, &found),
            Found::Choice { question, options, epcis } => {
                let listed: Vec<String> =
                    options.iter().map(|c| describe(t, c)).chain(epcis.iter().map(|e| describe_epci(t, e))).collect();
                problems.push(format!(
                    "« {item} » : {} {} ; donnez le code INSEE de la commune (ou le code SIREN de l’intercommunalité)",
                    lowercase_first(&question),
                    listed.join(", ")
                ));
            }
            Found::Unknown(why) => problems.push(format!("« {item} » : {why}")),
        }
    }
    if let Some(problem) = overlap(&territory) {
        problems.push(problem);
    }
    let courriel = flags.courriel.as_deref().map(str::trim).map(str::to_string);
    if let Some(c) = &courriel
        && let Err(e) = crate::domain::ids::email(c)
    {
        problems.push(format!("--courriel « {c} » : {e}"));
    }
    let telephone = match flags.telephone.as_deref().map(str::trim) {
        None => None,
        Some(p) => match crate::domain::ids::phone(p) {
            Ok(phone) => Some(phone.display),
            Err(e) => {
                problems.push(format!("--telephone « {p} » : {e}"));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(InitError::Flags(problems));
    }
    Ok(Answers { nom, communes: territory, courriel, telephone })
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::communes::table;

    fn flags(nom: &str, communes: &[&str], epci: &[&str]) -> Flags {
        Flags {
            nom: Some(nom.into()),
            communes: communes.iter().map(|s| s.to_string()).collect(),
            epci: epci.iter().map(|s| s.to_string()).collect(),
            ..Flags::default()
        }
    }

    #[test]
    fn flags_mix_names_codes_and_an_epci() {
        let a = from_flags(&flags("CPTS Test", &["Le Luc, 83031", "Les Arcs"], &[])).expect("valide");
        assert_eq!(a.communes.iter().map(|c| c.insee).collect::<Vec<_>>(), ["83073", "83031", "83004"]);
        let a = from_flags(&flags("CPTS Test", &["Saint-Denis"], &["248300550"])).err();
        // Saint-Denis is not in the Var: still ambiguous, its homonyms listed with their codes.
        let Some(InitError::Flags(p)) = a else { panic!("attendu une erreur") };
        assert!(p[0].contains("93066") && p[0].contains("97411"), "{p:?}");
        // With the CINOR (La Réunion), the département decides: Saint-Denis is 97411, one of
        // its members, counted once.
        let a = from_flags(&flags("CPTS Test", &["Saint-Denis"], &["249740119"])).expect("valide");
        assert!(a.communes.iter().any(|c| c.insee == "97411"));
        assert_eq!(a.communes.len(), table().members("249740119").len());
    }

    #[test]
    fn every_problem_of_the_flags_at_once() {
        let mut f = flags(" ", &["Le Canet des Maures"], &["CC Inconnue du Nulle Part"]);
        f.courriel = Some("marc@".into());
        f.telephone = Some("04 94 12 34".into());
        let Err(InitError::Flags(p)) = from_flags(&f) else { panic!("attendu des erreurs") };
        assert_eq!(p.len(), 5, "{p:#?}");
        assert!(p[0].contains("--nom"));
        assert!(p.iter().any(|x| x.contains("Le Cannet-des-Maures (83031, Var)")), "{p:#?}");
        assert!(p.iter().any(|x| x.contains("« CC Inconnue du Nulle Part » : aucune intercommunalité")), "{p:#?}");
        assert!(p.iter().any(|x| x.starts_with("--courriel « marc@ »")), "{p:#?}");
        let shown = InitError::Flags(p).to_string();
        assert!(shown.starts_with("5 problèmes :\n  - "), "{shown}");
    }
}
