//! `indicateurs.yaml`: the CPTS's results, year by year — the indicators of its missions that the
//! ACI (the contract signed with the ARS and the Assurance Maladie) asks for, and those the CPTS
//! follows of its own accord, each with its target and what was achieved. A value nobody knows is
//! left out: it stays unknown, never zero.

use super::common::S;
use super::json_schema;
use serde::Deserialize;

/// `indicateurs.yaml`: the results, one block per year.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Résultats de la CPTS",
    description = "Le fichier content/indicateurs.yaml : les indicateurs des missions, année par année, avec leur objectif et leur réalisé."
)]
pub struct IndicatorsFile {
    /// A short introduction to the page (Markdown).
    #[serde(default)]
    #[schemars(
        title = "Introduction",
        description = "Quelques phrases en tête de la page des résultats (Markdown) : facultatif.",
        transform = json_schema::markdown
    )]
    pub introduction: Option<S<String>>,
    /// The years, in any order (the page shows the latest first).
    #[schemars(
        title = "Années",
        description = "Une entrée par année, dans l’ordre que vous voulez : la page montre la plus récente d’abord."
    )]
    pub annees: Vec<IndicatorYear>,
}

/// One year of results.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Année", description = "Les indicateurs d’une année.")]
pub struct IndicatorYear {
    /// The year (2024).
    #[schemars(title = "Année", description = "L’année, en quatre chiffres (2025).")]
    pub annee: S<i32>,
    /// A word on the year (Markdown): what changed, what the figures do not say.
    #[serde(default)]
    #[schemars(
        title = "Commentaire",
        description = "Un mot sur l’année (Markdown) : ce qui a changé, ce que les chiffres ne disent pas.",
        transform = json_schema::markdown
    )]
    pub commentaire: Option<S<String>>,
    /// The indicators of the year.
    #[schemars(title = "Indicateurs", description = "Les indicateurs de l’année.", transform = json_schema::at_least_one)]
    pub indicateurs: Vec<Indicator>,
}

/// One indicator of one year: what is counted, its target and what was achieved.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Indicateur",
    description = "Ce qui est compté, l’objectif et le réalisé ; une valeur inconnue est laissée de côté (jamais 0)."
)]
pub struct Indicator {
    /// Identifier, the same every year: it joins the years of an indicator in its chart.
    #[schemars(
        title = "Identifiant",
        description = "Minuscules sans accents, chiffres et tirets, le même chaque année (« medecin-traitant ») : il relie les années d’un indicateur.",
        transform = json_schema::slug
    )]
    pub id: S<String>,
    /// The ACI mission (or `fonctionnement`) the indicator measures.
    #[schemars(
        title = "Mission",
        description = "La mission mesurée (clé du vocabulaire des missions), ou fonctionnement pour la vie de la CPTS.",
        transform = json_schema::indicator_mission
    )]
    pub mission: S<String>,
    /// What is counted, in plain words.
    #[schemars(
        title = "Libellé",
        description = "Ce qui est compté, en mots simples (« Patients sans médecin traitant qui en ont trouvé un »)."
    )]
    pub libelle: S<String>,
    /// Whether the ACI asks for it (else the CPTS follows it of its own accord).
    #[serde(default)]
    #[schemars(
        title = "Indicateur de l’ACI",
        description = "true pour un indicateur de l’accord conventionnel (ACI) ; false ou absent pour un indicateur propre à la CPTS."
    )]
    pub aci: bool,
    /// The unit, as written after « 1 »: `patient`, `action de prévention`, `%`, `€`.
    #[serde(default)]
    #[schemars(
        title = "Unité",
        description = "L’unité, au singulier (« patient », « demande traitée », « % », « € ») : le pluriel se fait seul. Obligatoire dès qu’un nombre est donné."
    )]
    pub unite: Option<S<String>>,
    /// The plural of the unit, when the rule gets it wrong.
    #[serde(default)]
    #[schemars(
        title = "Unité au pluriel",
        description = "Le pluriel de l’unité, seulement s’il n’est pas régulier (« œil » → « yeux »)."
    )]
    pub unite_pluriel: Option<String>,
    /// Whether more is better (`hausse`, the default) or less (`baisse`: a waiting time).
    #[serde(default)]
    #[schemars(
        title = "Sens",
        description = "hausse (défaut) quand l’objectif est un minimum à atteindre, baisse quand c’est un maximum à ne pas dépasser (un délai)."
    )]
    pub sens: Direction,
    /// The target; absent: none was set.
    #[serde(default)]
    #[schemars(title = "Objectif", description = "La valeur visée pour l’année ; absent : pas d’objectif fixé.")]
    pub objectif: Option<S<f64>>,
    /// What was achieved; absent: not known (yet).
    #[serde(default)]
    #[schemars(
        title = "Réalisé",
        description = "La valeur atteinte ; absent : pas encore connue (jamais 0 pour « on ne sait pas »)."
    )]
    pub realise: Option<S<f64>>,
    /// Where the figure comes from.
    #[serde(default)]
    #[schemars(title = "Source", description = "D’où vient le chiffre (« Assurance Maladie, tableau de bord ACI »).")]
    pub source: Option<String>,
    /// What the figure does not say by itself.
    #[serde(default)]
    #[schemars(title = "Commentaire", description = "Ce que le chiffre ne dit pas seul.")]
    pub commentaire: Option<String>,
}

/// Which way an indicator should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(transform = json_schema::direction)]
pub enum Direction {
    /// The target is a minimum to reach.
    #[default]
    Hausse,
    /// The target is a maximum not to exceed.
    Baisse,
}

/// How an achieved value compares with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The target is reached.
    Reached,
    /// The target is not reached.
    Missed,
    /// There is no target, or the achieved value is unknown.
    Unknown,
}

impl Indicator {
    /// Whether the unit is a percentage.
    pub fn is_percent(&self) -> bool {
        self.unite.as_ref().is_some_and(|u| u.value.trim() == "%")
    }

    /// Whether the achieved value reaches the target.
    pub fn outcome(&self) -> Outcome {
        match (&self.objectif, &self.realise) {
            (Some(t), Some(r)) => {
                let reached = match self.sens {
                    Direction::Hausse => r.value >= t.value,
                    Direction::Baisse => r.value <= t.value,
                };
                if reached { Outcome::Reached } else { Outcome::Missed }
            }
            _ => Outcome::Unknown,
        }
    }
}

impl IndicatorsFile {
    /// The years, latest first.
    pub fn latest_first(&self) -> Vec<&IndicatorYear> {
        let mut years: Vec<&IndicatorYear> = self.annees.iter().collect();
        years.sort_by_key(|y| std::cmp::Reverse(y.annee.value));
        years
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(yaml: &str) -> Indicator {
        crate::source::decode_yaml::<Indicator>("f", yaml).expect("indicateur lisible")
    }

    #[test]
    fn unknown_stays_unknown_and_the_direction_decides() {
        let i = indicator("id: a\nmission: parcours\nlibelle: A\nunite: patient\nobjectif: 10\n");
        assert!(i.realise.is_none());
        assert_eq!(i.outcome(), Outcome::Unknown);
        let up = indicator("id: a\nmission: parcours\nlibelle: A\nunite: patient\nobjectif: 10\nrealise: 12\n");
        assert_eq!(up.outcome(), Outcome::Reached);
        let down =
            indicator("id: a\nmission: parcours\nlibelle: A\nunite: jour\nsens: baisse\nobjectif: 10\nrealise: 12\n");
        assert_eq!(down.outcome(), Outcome::Missed);
        assert!(!down.is_percent());
        assert!(indicator("id: a\nmission: parcours\nlibelle: A\nunite: \" % \"\n").is_percent());
        assert!(
            crate::source::decode_yaml::<Indicator>("f", "id: a\nmission: parcours\nlibelle: A\nsens: haut\n").is_err()
        );
    }

    #[test]
    fn years_latest_first() {
        let f: IndicatorsFile = crate::source::decode_yaml(
            "f",
            "annees:\n  - annee: 2023\n    indicateurs: []\n  - annee: 2025\n    indicateurs: []\n  - annee: 2024\n    indicateurs: []\n",
        )
        .expect("lisible");
        let years: Vec<i32> = f.latest_first().iter().map(|y| y.annee.value).collect();
        assert_eq!(years, [2025, 2024, 2023]);
    }
}
