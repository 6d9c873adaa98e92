//! `indicateurs.yaml`: years that exist, one identifier per indicator and year, a unit for every
//! number, percentages between 0 and 100, the same unit and mission for an indicator every year.

use super::checker::Checker;
use crate::domain::quantity::number;
use crate::domain::text::{is_valid_slug, slugify};
use crate::model::vocab;
use std::collections::HashMap;

/// The first year a CPTS can report on: the law that created them (loi du 26 janvier 2016).
const FIRST_YEAR: i32 = 2016;
/// The last year accepted: later ones are typos.
const LAST_YEAR: i32 = 2100;

impl Checker<'_> {
    pub(super) fn indicators(&mut self) {
        let Some(file) = &self.site.indicators else { return };
        let f = file.file.as_str();
        let mut years: HashMap<i32, u32> = HashMap::new();
        // The first unit and mission each indicator was given, with the year they come from.
        let mut first: HashMap<&str, (i32, Option<&str>, &str)> = HashMap::new();
        for year in &file.data.annees {
            let y = year.annee.value;
            // A year already reported (impossible, or twice) is not compared with the others.
            let mut comparable = true;
            if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
                comparable = false;
                self.error(
                    "M210",
                    f,
                    &year.annee,
                    format!("année {y} impossible"),
                    format!("écrivez l’année en quatre chiffres : les CPTS existent depuis {FIRST_YEAR}"),
                );
            } else if let Some(line) = years.insert(y, year.annee.line) {
                comparable = false;
                self.error(
                    "M210",
                    f,
                    &year.annee,
                    format!("l’année {y} est déjà décrite à la ligne {line}"),
                    "regroupez les indicateurs de l’année sous une seule entrée « - annee: »",
                );
            }
            let future = y > i32::from(self.today.year());
            let mut ids: HashMap<&str, u32> = HashMap::new();
            for ind in &year.indicateurs {
                let id = ind.id.value.as_str();
                if !is_valid_slug(id) {
                    self.error(
                        "M050",
                        f,
                        &ind.id,
                        format!("identifiant d’indicateur « {id} » impossible à publier"),
                        format!("minuscules sans accents, chiffres et tirets, par exemple « {} »", slugify(id)),
                    );
                }
                let twice = ids.insert(id, ind.id.line);
                if let Some(line) = twice {
                    self.error(
                        "M211",
                        f,
                        &ind.id,
                        format!("l’indicateur « {id} » figure deux fois en {y} (déjà à la ligne {line})"),
                        "gardez une seule entrée par indicateur et par année, ou donnez-lui un autre identifiant",
                    );
                }
                let known_mission = vocab::indicator_mission(&ind.mission.value).is_some();
                if !known_mission {
                    let keys: Vec<&str> = vocab::indicator_missions().map(|m| m.key).collect();
                    self.unknown_key(f, &ind.mission, "mission", &keys);
                }
                let unit = ind.unite.as_ref().map(|u| u.value.trim()).filter(|u| !u.is_empty());
                for (value, what) in [(&ind.objectif, "l’objectif"), (&ind.realise, "le réalisé")] {
                    let Some(v) = value else { continue };
                    if unit.is_none() {
                        self.error(
                            "M212",
                            f,
                            v,
                            format!("{what} de « {} » n’a pas d’unité", ind.libelle.value),
                            "ajoutez « unite: » à l’indicateur, au singulier : patient, demande traitée, action, %, €…",
                        );
                    }
                    if !v.value.is_finite() {
                        self.error(
                            "M213",
                            f,
                            v,
                            format!("{what} n’est pas un nombre fini"),
                            "écrivez un nombre : 342, 85.5",
                        );
                    } else if ind.is_percent() && !(0.0..=100.0).contains(&v.value) {
                        self.error(
                            "M213",
                            f,
                            v,
                            format!("{what} vaut {} %, hors de 0 à 100", number(v.value)),
                            "un pourcentage est une part, entre 0 et 100 ; pour une évolution, choisissez une autre unité (« point »)",
                        );
                    }
                }
                if let Some(r) = ind.realise.as_ref().filter(|_| future) {
                    self.warn(
                        "M215",
                        f,
                        r,
                        format!("un réalisé est donné pour {y}, qui n’a pas encore commencé"),
                        "vérifiez l’année ; pour une année à venir, ne donnez que l’objectif",
                    );
                }
                // Each indicator against its first year, once its own problems are reported.
                if !comparable || twice.is_some() || !known_mission {
                    continue;
                }
                match first.get(id) {
                    None => {
                        first.insert(id, (y, unit, ind.mission.value.as_str()));
                    }
                    Some(&(was, was_unit, was_mission)) => {
                        if unit != was_unit {
                            let at = ind.unite.as_ref().map_or((ind.id.line, ind.id.column), |u| u.pos());
                            let shown = |u: Option<&str>| u.map_or("aucune".to_string(), |u| format!("« {u} »"));
                            self.out.push(
                                crate::diagnostic::Diagnostic::warning(
                                    "M214",
                                    f,
                                    at.0,
                                    at.1,
                                    format!(
                                        "l’indicateur « {id} » change d’unité : {} en {y}, {} en {was}",
                                        shown(unit),
                                        shown(was_unit)
                                    ),
                                )
                                .with_hint("ses années se comparent sur un même graphique : gardez la même unité, ou donnez-lui un autre identifiant"),
                            );
                        }
                        if ind.mission.value != was_mission {
                            self.warn(
                                "M214",
                                f,
                                &ind.mission,
                                format!(
                                    "l’indicateur « {id} » change de mission : {} en {y}, {was_mission} en {was}",
                                    ind.mission.value
                                ),
                                "un indicateur garde sa mission d’une année à l’autre ; sinon, donnez-lui un autre identifiant",
                            );
                        }
                    }
                }
            }
        }
    }
}
