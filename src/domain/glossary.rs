//! The abbreviations of the field a visitor meets on a CPTS's site, each with what it stands for
//! and one plain sentence: the site's glossary page lists them, and every page expands the first
//! use of each (`<abbr>`).

/// One abbreviation of the glossary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abbreviation {
    /// As written in the text: `CPTS`.
    pub short: &'static str,
    /// What it stands for, in lower case unless a proper name: `communauté professionnelle…`.
    pub long: &'static str,
    /// What it means for a visitor, in one sentence.
    pub plain: &'static str,
}

const fn a(short: &'static str, long: &'static str, plain: &'static str) -> Abbreviation {
    Abbreviation { short, long, plain }
}

/// The glossary, in alphabetical order.
pub const ABBREVIATIONS: &[Abbreviation] = &[
    a(
        "ACI",
        "accord conventionnel interprofessionnel",
        "Le contrat que la CPTS signe avec l’Assurance Maladie et l’ARS, et qui finance ses missions.",
    ),
    a(
        "ADELI",
        "automatisation des listes",
        "L’ancien numéro d’enregistrement de certains professionnels de santé, remplacé peu à peu par le RPPS.",
    ),
    a(
        "ALD",
        "affection de longue durée",
        "Une maladie longue et coûteuse (diabète, cancer…) dont les soins sont pris en charge à 100 % par l’Assurance Maladie.",
    ),
    a("ARS", "agence régionale de santé", "L’administration de l’État qui organise la santé dans la région."),
    a(
        "CMP",
        "centre médico-psychologique",
        "Un lieu public de consultations de psychiatrie et de psychologie, sans avance de frais.",
    ),
    a("CPAM", "caisse primaire d’assurance maladie", "L’Assurance Maladie de votre département."),
    a(
        "CPTS",
        "communauté professionnelle territoriale de santé",
        "Les professionnels de santé d’un territoire qui s’organisent ensemble pour soigner toute sa population.",
    ),
    a(
        "DAC",
        "dispositif d’appui à la coordination",
        "Un service qui aide les professionnels, les patients et leurs proches quand une situation de santé devient complexe.",
    ),
    a(
        "EHPAD",
        "établissement d’hébergement pour personnes âgées dépendantes",
        "Une maison de retraite où des soignants sont présents.",
    ),
    a(
        "FINESS",
        "fichier national des établissements sanitaires et sociaux",
        "Le numéro qui identifie un établissement de santé ou médico-social.",
    ),
    a("HAD", "hospitalisation à domicile", "Des soins d’hôpital donnés chez vous."),
    a("HPV", "papillomavirus humain", "Un virus très courant, cause de cancers, contre lequel un vaccin protège."),
    a("IFSI", "institut de formation en soins infirmiers", "L’école des infirmiers et infirmières."),
    a("LSF", "langue des signes française", "La langue des personnes sourdes en France."),
    a(
        "MSP",
        "maison de santé pluriprofessionnelle",
        "Des professionnels de santé de métiers différents qui soignent ensemble, souvent dans un même lieu.",
    ),
    a("PMR", "personne à mobilité réduite", "Un lieu accessible en fauteuil roulant."),
    a(
        "RGAA",
        "référentiel général d’amélioration de l’accessibilité",
        "Les règles qu’un site public suit pour être utilisable par tous, y compris avec un handicap.",
    ),
    a(
        "RPPS",
        "répertoire partagé des professionnels de santé",
        "Le numéro unique qui identifie chaque professionnel de santé.",
    ),
    a("SAMU", "service d’aide médicale urgente", "Le 15 : un médecin vous répond et envoie les secours si besoin."),
    a(
        "SAS",
        "service d’accès aux soins",
        "Le service du département qui vous trouve un rendez-vous le jour même quand votre médecin n’est pas disponible.",
    ),
    a(
        "SIRET",
        "système d’identification du répertoire des établissements",
        "Le numéro d’une entreprise, d’une association ou d’un cabinet.",
    ),
    a(
        "SMR",
        "soins médicaux et de réadaptation",
        "Un séjour pour se rétablir après une maladie ou une opération (anciennement SSR).",
    ),
    a(
        "SNP",
        "soins non programmés",
        "Des soins le jour même ou sous 48 heures pour un problème qui ne peut pas attendre, sans être une urgence vitale.",
    ),
    a(
        "SSIAD",
        "service de soins infirmiers à domicile",
        "Des infirmiers et aides-soignants qui viennent chez les personnes âgées ou handicapées.",
    ),
    a(
        "USLD",
        "unité de soins de longue durée",
        "Un service hospitalier pour les personnes qui ont besoin de soins médicaux constants.",
    ),
    a(
        "ZAC",
        "zone d’action complémentaire",
        "Une zone où l’ARS aide l’installation des professionnels de santé, parce qu’il en manque.",
    ),
    a(
        "ZIP",
        "zone d’intervention prioritaire",
        "Une zone où il manque le plus de professionnels de santé, et où les aides à l’installation sont les plus fortes.",
    ),
];

/// The glossary entry of an abbreviation written exactly so (`CPTS`), if any.
pub fn abbreviation(short: &str) -> Option<&'static Abbreviation> {
    ABBREVIATIONS.binary_search_by(|a| a.short.cmp(short)).ok().map(|i| &ABBREVIATIONS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glossary_is_sorted_and_found() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].short < w[1].short));
        assert_eq!(abbreviation("SNP").map(|a| a.long), Some("soins non programmés"));
        assert_eq!(abbreviation("snp"), None);
        assert!(ABBREVIATIONS.iter().all(|a| a.plain.ends_with('.') && !a.long.is_empty()));
    }
}
