//! The CPTS's results (`results.html`): `/la-cpts/resultats/`, from `indicateurs.yaml`. Key
//! figures of the latest year first, said in words; then, mission by mission, each indicator's
//! years as a small chart with its table next to it.

use super::planner::{Planner, plural};
use crate::domain::quantity::{is_symbol, number, plural_unit, with_unit};
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

/// The target and whether it was reached, in one sentence, beside the achieved value:
/// « Objectif de 300 patients atteint (114 % de l’objectif). »
fn against_target(i: &Indicator) -> String {
    let Some(target) = &i.objectif else { return "Pas d’objectif chiffré.".to_string() };
    let t = quantity(i, target.value);
    let goal =
        if i.sens == Direction::Baisse { format!("Objectif\u{a0}: {t} au plus") } else { format!("Objectif de {t}") };
    let Some(done) = &i.realise else { return format!("{goal}\u{a0}; résultat pas encore connu.") };
    let ratio = if i.sens == Direction::Hausse && !i.is_percent() && target.value > 0.0 {
        format!(" ({}\u{202f}% de l’objectif)", number((done.value / target.value * 100.0).round()))
    } else {
        String::new()
    };
    let comma = if i.sens == Direction::Baisse { "," } else { "" };
    format!("{goal}{comma} {}{ratio}.", verdict(i).0)
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
    /// The unit in words, plural, for the table's caption (`None` for a symbol or no unit).
    unite: Option<String>,
    lignes: Vec<YearRow>,
    /// Whether a year has a comment.
    notes: bool,
    /// Where the figures come from: « Source : … ».
    sources: Option<String>,
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
    // In the table, a unit in words goes to the caption once (a cell stays narrow); a symbol
    // stays beside each number.
    let unit = latest.unite.as_ref().map(|u| u.value.trim()).filter(|u| !u.is_empty());
    let words = unit.filter(|u| !is_symbol(u));
    let cell = |i: &Indicator, v: f64| if words.is_some() { number(v) } else { quantity(i, v) };
    let lignes: Vec<YearRow> = years
        .iter()
        .map(|(y, i)| {
            let (resultat, etat) = verdict(i);
            YearRow {
                annee: y.annee.value,
                objectif: i.objectif.as_ref().map_or("–".to_string(), |t| cell(i, t.value)),
                realise: i.realise.as_ref().map_or("inconnu".to_string(), |r| cell(i, r.value)),
                resultat,
                etat,
                notes: i.commentaire.iter().map(|c| typo(c)).collect(),
            }
        })
        .collect();
    // Each source once, with its years when it is not the source of every year.
    let mut sources: Vec<(&str, Vec<i32>)> = Vec::new();
    for (y, i) in &years {
        if let Some(s) = i.source.as_deref() {
            match sources.iter_mut().find(|(x, _)| *x == s) {
                Some((_, ys)) => ys.push(y.annee.value),
                None => sources.push((s, vec![y.annee.value])),
            }
        }
    }
    let listed: Vec<String> = sources
        .iter()
        .map(|(s, ys)| {
            if ys.len() == years.len() {
                s.to_string()
            } else {
                format!("{s} ({})", ys.iter().map(i32::to_string).collect::<Vec<_>>().join(", "))
            }
        })
        .collect();
    let sources = (!listed.is_empty())
        .then(|| typo(&format!("{} : {}.", if listed.len() > 1 { "Sources" } else { "Source" }, listed.join(" ; "))));
    Some(IndicatorView {
        id: id.to_string(),
        libelle,
        aci: latest.aci,
        sens_baisse: latest.sens == Direction::Baisse,
        graphique,
        unite: words.map(|u| latest.unite_pluriel.clone().unwrap_or_else(|| plural_unit(u))),
        notes: lignes.iter().any(|l| !l.notes.is_empty()),
        lignes,
        sources,
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
            phrase: typo(&against_target(i)),
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
             - {id: d, mission: parcours, libelle: D, unite: patient, objectif: 1}\n\
             - {id: e, mission: parcours, libelle: E, unite: patient, realise: 4}\n",
        );
        let s: Vec<String> = y.indicateurs.iter().map(against_target).collect();
        assert_eq!(s[0], "Objectif de 300\u{a0}patients atteint (114\u{202f}% de l’objectif).");
        assert_eq!(s[1], "Objectif de 80\u{202f}% non atteint.");
        assert_eq!(s[2], "Objectif\u{a0}: 10\u{a0}jours au plus, atteint.");
        assert_eq!(s[3], "Objectif de 1\u{a0}patient\u{a0}; résultat pas encore connu.");
        assert_eq!(s[4], "Pas d’objectif chiffré.");
    }
}
