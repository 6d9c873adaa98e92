//! The CPTS's results (`results.html`): `/la-cpts/resultats/`, from `indicateurs.yaml`. Key
//! figures of the latest year first, said in words; then, mission by mission, each indicator's
//! years as a small chart with its table next to it.

use super::planner::{Planner, plural};
use crate::domain::quantity::{number, with_unit};
use crate::model::indicators::{Direction, Indicator, IndicatorYear, IndicatorsFile, Outcome};
use crate::model::vocab;
use crate::render::charts::{YearPoint, year_chart};
use crate::render::markdown::field_html;
use crate::render::opendata::{RESULTS_CSV, RESULTS_JSON};
use crate::render::text::typo;
use crate::routes::Route;
use minijinja::{Value, context};
use serde::Serialize;

/// An indicator's value with its unit, the way the page writes it.
fn quantity(i: &Indicator, v: f64) -> String {
    with_unit(v, i.unite.as_ref().map(|u| u.value.as_str()), i.unite_pluriel.as_deref())
}

/// The outcome in a word or three (« atteint », « non atteint », « pas encore connu »,
/// « pas d’objectif chiffré »), and the class that styles it.
fn verdict(i: &Indicator) -> (&'static str, &'static str) {
    match (i.outcome(), &i.objectif, &i.realise) {
        (Outcome::Reached, _, _) => ("atteint", "reached"),
        (Outcome::Missed, _, _) => ("non atteint", "missed"),
        (Outcome::Unknown, _, None) => ("pas encore connu", "unknown"),
        (Outcome::Unknown, None, Some(_)) => ("pas d’objectif chiffré", "untargeted"),
        (Outcome::Unknown, Some(_), Some(_)) => ("pas encore connu", "unknown"),
    }
}

/// What was achieved against the target, in one sentence: « 342 patients pour un objectif de
/// 300 patients : objectif atteint (114 %). »
fn sentence(i: &Indicator) -> String {
    let target = i.objectif.as_ref().map(|t| quantity(i, t.value));
    match (&i.realise, target) {
        (Some(r), Some(t)) => {
            let ratio = (i.sens == Direction::Hausse && !i.is_percent())
                .then(|| i.objectif.as_ref().map(|t| t.value).filter(|t| *t > 0.0))
                .flatten()
                .map(|t| format!(" ({}\u{202f}% de l’objectif)", number((r.value / t * 100.0).round())))
                .unwrap_or_default();
            let limit = if i.sens == Direction::Baisse { "un maximum fixé à" } else { "un objectif de" };
            let (word, _) = verdict(i);
            format!("{} pour {limit} {t}{ratio}\u{a0}: objectif {word}.", quantity(i, r.value))
        }
        (Some(r), None) => format!("{}, sans objectif chiffré.", quantity(i, r.value)),
        (None, Some(t)) => format!("Résultat pas encore connu, pour un objectif de {t}."),
        (None, None) => "Résultat pas encore connu.".to_string(),
    }
}

/// A key figure of the latest year.
#[derive(Debug, Serialize)]
struct KeyFigure {
    libelle: String,
    valeur: String,
    phrase: String,
    etat: &'static str,
    ancre: String,
}

/// One year of an indicator, as its table shows it.
#[derive(Debug, Serialize)]
struct YearRow {
    annee: i32,
    objectif: String,
    realise: String,
    resultat: &'static str,
    etat: &'static str,
    notes: Vec<String>,
}

/// One indicator over the years.
#[derive(Debug, Serialize)]
struct IndicatorView {
    id: String,
    libelle: String,
    aci: bool,
    sens_baisse: bool,
    graphique: String,
    lignes: Vec<YearRow>,
    /// Whether a year has a comment or a source.
    notes: bool,
}

/// A mission and its indicators.
#[derive(Debug, Serialize)]
struct MissionView {
    cle: &'static str,
    libelle: &'static str,
    indicateurs: Vec<IndicatorView>,
}

/// The latest year for which something was achieved (else the latest year): the year the key
/// figures speak of.
fn reported_year(file: &IndicatorsFile) -> Option<&IndicatorYear> {
    let years = file.latest_first();
    years.iter().find(|y| y.indicateurs.iter().any(|i| i.realise.is_some())).or(years.first()).copied()
}

/// « En 2025, 6 objectifs chiffrés sur 8 sont atteints ; 1 résultat n’est pas encore connu. »
fn summary(year: &IndicatorYear) -> String {
    let count = |o: Outcome| year.indicateurs.iter().filter(|i| i.outcome() == o).count();
    let (reached, missed) = (count(Outcome::Reached), count(Outcome::Missed));
    let unknown = year.indicateurs.iter().filter(|i| i.realise.is_none()).count();
    let y = year.annee.value;
    let mut out = match (reached, reached + missed) {
        (_, 0) => format!("En {y}, aucun objectif chiffré ne peut encore être comparé à son résultat"),
        (1, 1) => format!("En {y}, le seul objectif chiffré dont le résultat est connu est atteint"),
        (_, 1) => format!("En {y}, le seul objectif chiffré dont le résultat est connu n’est pas atteint"),
        (0, n) => format!("En {y}, aucun des {n} objectifs chiffrés n’est atteint"),
        (r, n) if r == n => format!("En {y}, les {n} objectifs chiffrés sont tous atteints"),
        (r, n) => format!(
            "En {y}, {r} {} sur {n} {}",
            plural(r, "objectif chiffré", "objectifs chiffrés"),
            plural(r, "est atteint", "sont atteints")
        ),
    };
    if unknown > 0 {
        out.push_str(&format!(
            "\u{202f}; {unknown} {} pas encore {}",
            plural(unknown, "résultat n’est", "résultats ne sont"),
            plural(unknown, "connu", "connus")
        ));
    }
    out.push('.');
    out
}

/// The chart of one indicator and its text equivalent.
fn indicator_view(file: &IndicatorsFile, id: &str) -> Option<IndicatorView> {
    let mut years: Vec<(&IndicatorYear, &Indicator)> =
        file.annees.iter().filter_map(|y| Some((y, y.indicateurs.iter().find(|i| i.id.value == id)?))).collect();
    years.sort_by_key(|(y, _)| y.annee.value);
    let &(_, latest) = years.last()?;
    let libelle = typo(&latest.libelle.value);
    let points: Vec<YearPoint> = years
        .iter()
        .map(|(y, i)| YearPoint {
            year: y.annee.value,
            done: i.realise.as_ref().map(|r| r.value),
            target: i.objectif.as_ref().map(|t| t.value),
            shown: i
                .realise
                .as_ref()
                .map_or("inconnu".to_string(), |r| if i.is_percent() { quantity(i, r.value) } else { number(r.value) }),
        })
        .collect();
    let desc = years
        .iter()
        .map(|(y, i)| {
            let done = i.realise.as_ref().map_or("résultat inconnu".to_string(), |r| quantity(i, r.value));
            match &i.objectif {
                Some(t) => format!("{}\u{a0}: {done}, objectif {}.", y.annee.value, quantity(i, t.value)),
                None => format!("{}\u{a0}: {done}.", y.annee.value),
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let graphique =
        year_chart(&format!("graphique-{id}"), &libelle, &desc, &points, latest.is_percent().then_some(100.0));
    let lignes: Vec<YearRow> = years
        .iter()
        .map(|(y, i)| {
            let (resultat, etat) = verdict(i);
            let mut notes: Vec<String> = i.commentaire.iter().map(|c| typo(c)).collect();
            notes.extend(i.source.iter().map(|s| typo(&format!("Source : {s}"))));
            YearRow {
                annee: y.annee.value,
                objectif: i.objectif.as_ref().map_or("–".to_string(), |t| quantity(i, t.value)),
                realise: i.realise.as_ref().map_or("inconnu".to_string(), |r| quantity(i, r.value)),
                resultat,
                etat,
                notes,
            }
        })
        .collect();
    Some(IndicatorView {
        id: id.to_string(),
        libelle,
        aci: latest.aci,
        sens_baisse: latest.sens == Direction::Baisse,
        graphique,
        notes: lignes.iter().any(|l| !l.notes.is_empty()),
        lignes,
    })
}

/// `/la-cpts/resultats/`, when `indicateurs.yaml` gives at least one year.
pub(super) fn results(p: &mut Planner) {
    let site = p.site;
    let Some(record) = &site.indicators else { return };
    let file = &record.data;
    let Some(year) = reported_year(file) else { return };
    let figures: Vec<KeyFigure> = year
        .indicateurs
        .iter()
        .filter(|i| i.aci)
        .map(|i| KeyFigure {
            libelle: typo(&i.libelle.value),
            valeur: i.realise.as_ref().map_or("Pas encore connu".to_string(), |r| quantity(i, r.value)),
            phrase: typo(&sentence(i)),
            etat: verdict(i).1,
            ancre: format!("indicateur-{}", i.id.value),
        })
        .collect();
    // Every indicator once, in the order of the file's latest years, grouped by mission.
    let mut ids: Vec<(&str, &str)> = Vec::new();
    for y in file.latest_first() {
        for i in &y.indicateurs {
            if !ids.iter().any(|(id, _)| *id == i.id.value) {
                ids.push((&i.id.value, &i.mission.value));
            }
        }
    }
    let missions: Vec<MissionView> = vocab::indicator_missions()
        .filter_map(|m| {
            let mut indicators: Vec<IndicatorView> = ids
                .iter()
                .filter(|(_, mission)| *mission == m.key)
                .filter_map(|(id, _)| indicator_view(file, id))
                .collect();
            // The ACI's indicators first, then the CPTS's own, each in the file's order.
            indicators.sort_by_key(|i| !i.aci);
            (!indicators.is_empty()).then_some(MissionView { cle: m.key, libelle: m.label, indicateurs: indicators })
        })
        .collect();
    let comments: Vec<Value> = file
        .latest_first()
        .iter()
        .filter_map(|y| Some(context! { annee => y.annee.value, html => field_html(&Some(y.commentaire.clone()?)) }))
        .collect();
    let urls = p.urls;
    let data = context! {
        introduction_html => field_html(&file.introduction),
        annee => year.annee.value,
        resume => typo(&summary(year)),
        chiffres => Value::from_serialize(&figures),
        missions => Value::from_serialize(&missions),
        commentaires => comments,
        annees => file.latest_first().iter().map(|y| y.annee.value).collect::<Vec<_>>(),
        csv_url => urls.link(&Route::DataFile(RESULTS_CSV.into())),
        json_url => urls.link(&Route::DataFile(RESULTS_JSON.into())),
        donnees_url => urls.link(&Route::OpenData),
        cpts_url => urls.link(&Route::AboutCpts),
    };
    let name = site.cpts.data.nom_court.as_deref().unwrap_or(&site.cpts.data.nom);
    p.push(
        Route::Results,
        "results.html",
        "Nos résultats",
        &format!("Les résultats de la {name}, année par année : objectifs et réalisations de chaque mission."),
        "la-cpts",
        vec![p.crumb("La CPTS", Route::AboutCpts)],
        data,
        Some(&record.file),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(yaml: &str) -> IndicatorYear {
        crate::source::decode_yaml("f", yaml).expect("année lisible")
    }

    #[test]
    fn the_summary_counts_what_is_known() {
        let y = year(
            "annee: 2025\nindicateurs:\n\
             - {id: a, mission: parcours, libelle: A, unite: patient, objectif: 10, realise: 12}\n\
             - {id: b, mission: parcours, libelle: B, unite: patient, objectif: 10, realise: 8}\n\
             - {id: c, mission: parcours, libelle: C, unite: patient, objectif: 10}\n",
        );
        assert_eq!(
            summary(&y),
            "En 2025, 1 objectif chiffré sur 2 est atteint\u{202f}; 1 résultat n’est pas encore connu."
        );
        let all = year(
            "annee: 2024\nindicateurs:\n- {id: a, mission: parcours, libelle: A, unite: patient, objectif: 1, realise: 2}\n",
        );
        assert_eq!(summary(&all), "En 2024, le seul objectif chiffré dont le résultat est connu est atteint.");
    }

    #[test]
    fn sentences_say_the_outcome_in_words() {
        let y = year(
            "annee: 2025\nindicateurs:\n\
             - {id: a, mission: parcours, libelle: A, unite: patient, objectif: 300, realise: 342}\n\
             - {id: b, mission: parcours, libelle: B, unite: '%', objectif: 80, realise: 75.5}\n\
             - {id: c, mission: parcours, libelle: C, unite: jour, sens: baisse, objectif: 10, realise: 1}\n\
             - {id: d, mission: parcours, libelle: D, unite: patient, objectif: 1}\n",
        );
        let s: Vec<String> = y.indicateurs.iter().map(sentence).collect();
        assert_eq!(
            s[0],
            "342\u{a0}patients pour un objectif de 300\u{a0}patients (114\u{202f}% de l’objectif)\u{a0}: objectif atteint."
        );
        assert_eq!(s[1], "75,5\u{202f}% pour un objectif de 80\u{202f}%\u{a0}: objectif non atteint.");
        assert_eq!(s[2], "1\u{a0}jour pour un maximum fixé à 10\u{a0}jours\u{a0}: objectif atteint.");
        assert_eq!(s[3], "Résultat pas encore connu, pour un objectif de 1\u{a0}patient.");
    }
}
