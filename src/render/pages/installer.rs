//! Settling in the territory (`installer.html`): `/s-installer/`, with the demography of each
//! profession.

use super::offers::{offer_filters, open_offers, zoning_label};
use super::planner::{Planner, distinct};
use crate::model::{Site, vocab};
use crate::render::markdown::{field_html, to_html};
use crate::render::text::{euros, grouped, typo};
use crate::render::views::{self, PhoneView, commune, commune_slug};
use crate::routes::Route;
use jiff::civil::Date;
use minijinja::{Value, context};
use serde::Serialize;
use std::collections::HashMap;

/// Demography of one profession on the territory.
#[derive(Debug, Clone, Serialize)]
pub(super) struct DensityRow {
    /// Profession key.
    pub key: String,
    /// Plural label.
    pub profession: String,
    /// Published individual members of the profession.
    pub effectif: usize,
    /// Members per 10 000 inhabitants, "8,2".
    pub densite: String,
    /// The same as a number.
    pub densite_value: f64,
    /// National reference density, "8,4", when cpts.yaml gives one.
    pub reference: Option<String>,
    /// The same as a number.
    pub reference_value: Option<f64>,
    /// Gap to the reference, "−12 %", when there is a reference.
    pub ecart: Option<String>,
    /// Members whose year of birth is known.
    pub ages_connus: usize,
    /// Of them, aged 60 or more this year.
    pub plus_de_60: usize,
    /// Share of those aged 60 or more among the known, "30 %".
    pub part_plus_de_60: Option<String>,
}

/// « 50 000 € », « jusqu’à 50 000 € », « 1 200 € par mois »; `None` when the amount is not
/// known.
fn aid_amount(aid: &crate::model::cpts::Aide) -> Option<String> {
    let amount = euros(u64::from(aid.montant.as_ref()?.value));
    let amount = if aid.jusqu_a { format!("jusqu’à {amount}") } else { amount };
    Some(match &aid.precision {
        Some(p) if !p.trim().is_empty() => format!("{amount} {}", typo(p.trim())),
        _ => amount,
    })
}

/// The densities of `rows` in words, for the reader who does not see the chart: which
/// professions are less and more numerous on the territory than in France.
fn densities_in_words(rows: &[&DensityRow]) -> String {
    let say = |r: &&DensityRow| {
        format!("{} ({} contre {})", r.profession.to_lowercase(), r.densite, r.reference.as_deref().unwrap_or(""))
    };
    let below: Vec<String> =
        rows.iter().filter(|r| r.reference_value.is_some_and(|x| r.densite_value < x)).map(say).collect();
    let above: Vec<String> =
        rows.iter().filter(|r| r.reference_value.is_some_and(|x| r.densite_value >= x)).map(say).collect();
    let mut out = Vec::new();
    if !below.is_empty() {
        out.push(format!(
            "Moins nombreux pour 10\u{a0}000 habitants sur le territoire qu’en France\u{a0}: {}.",
            below.join(", ")
        ));
    }
    if !above.is_empty() {
        out.push(format!("Autant ou plus nombreux qu’en France\u{a0}: {}.", above.join(", ")));
    }
    out.join(" ")
}

/// The share of professionals aged 60 or more in words: the whole, then the profession where
/// it is highest.
fn ages_in_words(rows: &[&DensityRow]) -> String {
    let known: usize = rows.iter().map(|r| r.ages_connus).sum();
    let over: usize = rows.iter().map(|r| r.plus_de_60).sum();
    let mut out = format!(
        "{over} professionnel{} sur {known} dont l’âge est connu {} 60\u{a0}ans ou plus.",
        if over > 1 { "s" } else { "" },
        if over > 1 { "ont" } else { "a" }
    );
    let highest = rows
        .iter()
        .filter(|r| r.plus_de_60 > 0)
        .max_by(|a, b| (a.plus_de_60 * b.ages_connus).cmp(&(b.plus_de_60 * a.ages_connus)));
    if let Some(r) = highest {
        out.push_str(&format!(
            " La part la plus forte est chez les {}\u{a0}: {}.",
            r.profession.to_lowercase(),
            r.part_plus_de_60.as_deref().unwrap_or("")
        ));
    }
    out
}

/// "8,2": one decimal, French decimal comma.
pub(super) fn decimal_fr(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

/// Professionals per 10 000 inhabitants by profession: published individual members of each
/// profession (a member practising in several places counts once) over the territory's
/// population, against the reference densities of cpts.yaml. Professions appear when they have
/// a member or a reference, in vocabulary order.
pub(super) fn densities(site: &Site, today: Date) -> Vec<DensityRow> {
    let population = site.population();
    let refs =
        site.cpts.data.installation.as_ref().and_then(|i| i.densites_reference.as_ref()).map(|d| &d.valeurs.value);
    // Members by profession, in one pass rather than one per profession of the vocabulary.
    let mut by_profession: std::collections::HashMap<&str, Vec<&crate::model::Member>> =
        std::collections::HashMap::new();
    for m in &site.members {
        if let Some(p) = &m.data.profession {
            by_profession.entry(p.value.as_str()).or_default().push(m);
        }
    }
    vocab::PROFESSIONS
        .iter()
        .filter_map(|pr| {
            let members = by_profession.remove(pr.key).unwrap_or_default();
            let reference = refs.and_then(|r| r.get(pr.key)).copied();
            if members.is_empty() && reference.is_none() {
                return None;
            }
            let density = if population > 0 { members.len() as f64 / population as f64 * 10_000.0 } else { 0.0 };
            let years: Vec<i16> =
                members.iter().filter_map(|m| m.data.annee_naissance.as_ref().map(|y| y.value)).collect();
            let over = years.iter().filter(|y| i32::from(today.year()) - i32::from(**y) >= 60).count();
            Some(DensityRow {
                key: pr.key.to_string(),
                profession: pr.plural.to_string(),
                effectif: members.len(),
                densite: decimal_fr(density),
                densite_value: density,
                reference: reference.map(decimal_fr),
                reference_value: reference,
                ecart: reference.filter(|r| *r > 0.0).map(|r| {
                    let gap = ((density - r) / r * 100.0).round() as i64;
                    match gap {
                        0 => "0\u{a0}%".to_string(),
                        g if g > 0 => format!("+{g}\u{a0}%"),
                        g => format!("−{}\u{a0}%", -g),
                    }
                }),
                ages_connus: years.len(),
                plus_de_60: over,
                part_plus_de_60: (!years.is_empty())
                    .then(|| format!("{}\u{a0}%", (over as f64 / years.len() as f64 * 100.0).round() as i64)),
            })
        })
        .collect()
}

pub(super) fn installer(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let inst = site.cpts.data.installation.clone().unwrap_or_default();
    let rows = densities(site, p.today);
    let with_ref: Vec<&DensityRow> = rows.iter().filter(|r| r.reference_value.is_some()).collect();
    let chart = (!with_ref.is_empty()).then(|| {
        crate::render::charts::bar_chart(
            "densites",
            "Professionnels de santé pour 10 000 habitants : territoire et France",
            &format!(
                "Pour chaque profession, la densité sur le territoire de la CPTS comparée à la densité nationale. {}",
                with_ref
                    .iter()
                    .map(|r| format!(
                        "{} : {} sur le territoire, {} en France.",
                        r.profession,
                        r.densite,
                        r.reference.as_deref().unwrap_or("")
                    ))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            &[
                crate::render::charts::Series {
                    name: "Territoire".into(),
                    tone: crate::render::charts::Tone::Territory,
                },
                crate::render::charts::Series { name: "France".into(), tone: crate::render::charts::Tone::Reference },
            ],
            &with_ref
                .iter()
                .map(|r| crate::render::charts::Row {
                    label: r.profession.clone(),
                    values: vec![Some(r.densite_value), r.reference_value],
                    shown: vec![r.densite.clone(), r.reference.clone().unwrap_or_default()],
                })
                .collect::<Vec<_>>(),
        )
    });
    let aged: Vec<&DensityRow> = rows.iter().filter(|r| r.ages_connus > 0).collect();
    let chart_ages = (!aged.is_empty()).then(|| {
        crate::render::charts::bar_chart(
            "ages",
            "Part des professionnels de 60 ans ou plus, par profession",
            &aged
                .iter()
                .map(|r| {
                    format!(
                        "{} : {} ({} sur {}).",
                        r.profession,
                        r.part_plus_de_60.as_deref().unwrap_or(""),
                        r.plus_de_60,
                        r.ages_connus
                    )
                })
                .collect::<Vec<_>>()
                .join(" "),
            &[crate::render::charts::Series {
                name: "60 ans ou plus".into(),
                tone: crate::render::charts::Tone::Reference,
            }],
            &aged
                .iter()
                .map(|r| crate::render::charts::Row {
                    label: r.profession.clone(),
                    values: vec![Some(r.plus_de_60 as f64 / r.ages_connus as f64 * 100.0)],
                    shown: r.part_plus_de_60.iter().cloned().collect(),
                })
                .collect::<Vec<_>>(),
        )
    });
    let open = open_offers(&p.env());
    let filters = offer_filters(&p.env(), &open);
    // General practitioners by commune, counted in one pass (a GP with two places in a commune
    // counts once).
    let mut gps_in: HashMap<&str, usize> = HashMap::new();
    for m in
        site.members.iter().filter(|m| m.data.profession.as_ref().is_some_and(|x| x.value == "medecin-generaliste"))
    {
        for insee in distinct(m.data.lieux.iter().map(|l| l.commune.value.as_str())) {
            *gps_in.entry(insee).or_default() += 1;
        }
    }
    let filter_of = filters.communes_by_slug();
    let communes: Vec<Value> = site
        .communes()
        .iter()
        .map(|c| {
            let v = commune(c, urls, 0);
            let gps = gps_in.get(c.insee.value.as_str()).copied().unwrap_or(0);
            let offers = filter_of.get(commune_slug(c).as_str());
            context! {
                nom => v.nom.clone(),
                a_nom => v.a_nom.clone(),
                url => v.url.clone(),
                population => v.population.clone(),
                zonage => v.zonage.clone(),
                zonage_label => zoning_label(&v.zonage),
                medecins => gps,
                offres_url => offers.map(|f| f.url.clone()),
                offres => offers.map_or(0, |f| f.count),
            }
        })
        .collect();
    let source = inst.densites_reference.as_ref().map(|d| typo(&d.source));
    let contact_person = inst.contact.as_ref().map(|c| {
        context! {
            nom => typo(&c.nom),
            fonction => c.fonction.as_deref().map(typo),
            telephone => views::phone(&c.telephone).map(|x: PhoneView| Value::from_serialize(&x)),
            courriel => c.courriel.as_ref().map(|x| x.value.clone()),
        }
    });
    let aids: Vec<Value> = inst
        .aides
        .iter()
        .map(|a| {
            context! {
                titre => typo(&a.titre),
                financeur => a.financeur.as_deref().map(typo),
                montant => aid_amount(a),
                conditions_html => field_html(&a.conditions),
                lien => a.lien.as_ref().map(|x| x.value.clone()),
            }
        })
        .collect();
    let data = context! {
        pourquoi_html => field_html(&inst.pourquoi),
        accompagnement => inst.accompagnement.iter().map(|a| context! { titre => typo(&a.titre), description_html => to_html(&a.description.value) }).collect::<Vec<_>>(),
        densites => Value::from_serialize(&rows),
        graphique_densites => chart,
        densites_en_mots => densities_in_words(&with_ref),
        graphique_ages => chart_ages,
        ages_en_mots => ages_in_words(&aged),
        interlocuteur => contact_person,
        aides => aids,
        temoignages => Value::from_serialize(views::testimonies(site, None)),
        ages_connus => rows.iter().map(|r| r.ages_connus).sum::<usize>(),
        source => source,
        population => grouped(site.population()),
        annee => p.today.year(),
        communes => communes,
        // Settling is about practising here: internships have their own page, /stages/.
        offres => Value::from_serialize(open.iter().filter(|o| o.type_key != "stage").collect::<Vec<_>>()),
        stages_ouverts => open.iter().filter(|o| o.type_key == "stage").count(),
        liens => context! {
            offres_url => urls.link(&Route::Offers),
            stages_url => urls.link(&Route::Internships),
            flux_url => urls.link(&Route::OffersFeed),
            annuaire_url => urls.link(&Route::Directory),
        },
        courriel => site.cpts.data.contact.courriel.value.clone(),
    };
    p.push(
        Route::Installer,
        "installer.html",
        "S’installer sur le territoire",
        &format!(
            "Pourquoi exercer sur le territoire de la {} : démographie médicale, zonage, accompagnement et offres ouvertes.",
            site.cpts.data.nom
        ),
        "s-installer",
        vec![],
        data,
        Some(&site.cpts.file),
    );
}
