//! The organisation and its obligations: `/la-cpts/` (`about.html`, key figures),
//! `/professionnels/` (`professionals.html`), thematic pages (`theme.html`), legal notice
//! (`legal.html`) and accessibility statement (`accessibility.html`).

use super::offers::open_offers;
use super::planner::{Planner, plural};
use super::prevention::{document_view, partner_view};
use crate::model::{Site, vocab};
use crate::render::markdown::{field_html, to_html};
use crate::render::text::{date_long, grouped, typo};
use crate::render::views::{self, Link, commune};
use crate::routes::Route;
use minijinja::{Value, context};
use serde::Serialize;

/// A key figure.
#[derive(Debug, Serialize)]
pub(super) struct Figure {
    valeur: String,
    libelle: String,
}

pub(super) fn key_figures(site: &Site) -> Vec<Figure> {
    let people = site.members.iter().filter(|m| m.data.profession.is_some()).count();
    let structures = site.members.len() - people;
    // Few kinds among many members: a set rather than sorting every member's (inserted one by
    // one: collecting into a set sorts every item first).
    let mut professions = std::collections::BTreeSet::new();
    for p in site.members.iter().filter_map(|m| m.data.profession.as_ref()) {
        professions.insert(p.value.as_str());
    }
    let mut out = vec![
        Figure {
            valeur: grouped(site.population()),
            libelle: match site.cpts.data.territoire.population_year() {
                Some(year) => format!("habitants sur le territoire (populations légales {year})"),
                None => "habitants sur le territoire".into(),
            },
        },
        Figure { valeur: site.communes().len().to_string(), libelle: "communes".into() },
        Figure {
            valeur: people.to_string(),
            libelle: format!(
                "{} de santé, {} {}",
                plural(people, "professionnel", "professionnels"),
                professions.len(),
                plural(professions.len(), "profession", "professions")
            ),
        },
        Figure {
            valeur: structures.to_string(),
            libelle: plural(structures, "structure ou établissement", "structures et établissements").into(),
        },
    ];
    out.extend(
        site.cpts.data.chiffres_cles.iter().map(|c| Figure { valeur: typo(&c.valeur), libelle: typo(&c.libelle) }),
    );
    out
}

pub(super) fn about(p: &mut Planner) {
    let site = p.site;
    let cpts = &site.cpts.data;
    let population = site.population();
    let size = vocab::aci_size(population);
    let euros = |n: u32| crate::render::text::euros(u64::from(n));
    let funding = vec![
        context! { ligne => "Fonctionnement", montant => euros(size.fonctionnement) },
        context! { ligne => "Accès aux soins", montant => euros(size.acces_aux_soins) },
        context! { ligne => "Parcours pluriprofessionnels", montant => euros(size.parcours) },
        context! { ligne => "Prévention", montant => euros(size.prevention) },
        context! { ligne => "Qualité et pertinence des soins", montant => euros(size.qualite_pertinence) },
        context! { ligne => "Accompagnement des professionnels de santé (optionnel)", montant => euros(size.accompagnement) },
    ];
    let missions: Vec<Value> = vocab::MISSIONS
        .iter()
        .map(|m| {
            let decl = cpts.missions.iter().find(|d| d.mission.value == m.key);
            context! { label => m.label, socle => m.core, resume_html => decl.map(|d| to_html(&d.resume.value)) }
        })
        .collect();
    let communes: Vec<_> = site.communes().iter().map(|c| commune(c, p.urls, 0)).collect();
    let data = context! {
        presentation_html => field_html(&cpts.presentation),
        missions => missions,
        bureau => cpts.gouvernance.bureau.iter().map(|b| context! { fonction => typo(&b.fonction), nom => typo(&b.nom), profession => b.profession.as_deref().map(typo) }).collect::<Vec<_>>(),
        gouvernance_html => field_html(&cpts.gouvernance.description),
        partenaires => cpts.partenaires.iter().map(partner_view).collect::<Vec<_>>(),
        territoire_html => field_html(&cpts.territoire.description),
        communes => Value::from_serialize(&communes),
        population => grouped(population),
        annee_population => cpts.territoire.population_year(),
        intercommunalites => intercommunalities(site),
        taille => size.size,
        tranche => typo(size.range),
        financement => funding,
        financement_total => euros(size.total),
        chiffres => Value::from_serialize(key_figures(site)),
    };
    p.push(
        Route::AboutCpts,
        "about.html",
        &format!("La {}", cpts.nom_court.as_deref().unwrap_or(&cpts.nom)),
        &format!("Missions, gouvernance, partenaires et territoire de la {}.", cpts.nom),
        "la-cpts",
        vec![],
        data,
        Some(&site.cpts.file),
    );
}

/// The intercommunalités (EPCI) of the territory's communes, from the official table, with the
/// number of the territory's communes in each: "CC Coeur du Var (9 communes)".
fn intercommunalities(site: &Site) -> Vec<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for siren in site.communes().iter().filter_map(|c| c.official?.epci) {
        match counts.iter_mut().find(|(s, _)| *s == siren) {
            Some((_, n)) => *n += 1,
            None => counts.push((siren, 1)),
        }
    }
    let table = crate::domain::communes::table();
    counts
        .into_iter()
        .filter_map(|(siren, n)| {
            let e = table.epci(siren)?;
            Some(format!("{} ({n}\u{a0}{})", typo(e.nom), plural(n, "commune", "communes")))
        })
        .collect()
}

pub(super) fn professionals(p: &mut Planner) {
    let site = p.site;
    let documents: Vec<Value> = site
        .documents
        .iter()
        .filter(|d| d.data.public.value == "professionnels")
        .map(|d| document_view(&p.env(), d))
        .collect();
    let public_documents: Vec<Value> = site
        .documents
        .iter()
        .filter(|d| d.data.public.value == "population")
        .map(|d| document_view(&p.env(), d))
        .collect();
    let pages: Vec<Link> = site
        .pages
        .iter()
        .filter(|x| x.data.espace.as_ref().is_some_and(|e| e.value == "professionnels"))
        .map(|x| Link { label: typo(&x.data.titre), url: p.urls.link(&Route::Page(x.slug.clone())) })
        .collect();
    let supervisors = site.members.iter().filter(|m| m.data.maitre_de_stage).count();
    let data = context! {
        adhesion_html => field_html(&site.cpts.data.adhesion),
        documents => documents,
        documents_population => public_documents,
        pages => Value::from_serialize(&pages),
        offres => Value::from_serialize(open_offers(&p.env())),
        offres_url => p.urls.link(&Route::Offers),
        formations => Value::from_serialize(super::prevention::upcoming_actions(&p.env(), true)),
        maitres_de_stage => supervisors,
        courriel => site.cpts.data.contact.courriel.value.clone(),
    };
    p.push(
        Route::Professionals,
        "professionals.html",
        "Espace professionnels",
        "Protocoles, outils, documents et adhésion à la CPTS pour les professionnels de santé du territoire.",
        "professionnels",
        vec![],
        data,
        None,
    );
}

/// Links to the thematic pages (santé mentale, santé des femmes…).
pub(super) fn theme_links(p: &Planner) -> Value {
    let links: Vec<Link> = p
        .site
        .cpts
        .data
        .thematiques
        .iter()
        .map(|t| Link { label: typo(&t.titre), url: p.urls.link(&Route::Theme(t.id.value.clone())) })
        .collect();
    Value::from_serialize(&links)
}

pub(super) fn themes(p: &mut Planner) {
    let site = p.site;
    for t in &site.cpts.data.thematiques {
        let resources: Vec<Value> = site
            .resources
            .iter()
            .filter(|r| r.data.thematiques.iter().any(|x| x.value == t.id.value))
            .map(|r| {
                let d = &r.data;
                context! {
                    nom => typo(&d.nom),
                    type => typo(&d.kind),
                    description => typo(&d.description),
                    telephone => views::phone(&d.telephone).map(|x| Value::from_serialize(&x)),
                    courriel => d.courriel.as_ref().map(|x| x.value.clone()),
                    lien => d.lien.as_ref().map(|x| x.value.clone()),
                    horaires => d.horaires.as_deref().map(typo),
                    gratuit => d.gratuit,
                    adresse => d.lieu.as_ref().map(|l| format!("{}, {} {}", typo(&l.adresse), l.code_postal.value, site.commune(&l.commune.value).map_or("", |c| c.nom.as_str()))),
                }
            })
            .collect();
        let data = context! { introduction_html => field_html(&t.introduction), ressources => resources };
        p.push(
            Route::Theme(t.id.value.clone()),
            "theme.html",
            &t.titre,
            &format!("{} : les ressources et contacts utiles du territoire.", t.titre),
            "contacts",
            vec![p.crumb("Numéros utiles", Route::Contacts)],
            data,
            Some(&site.cpts.file),
        );
    }
}

/// The sources of the data the site shows, for the legal notice: the official commune table when
/// it completed the territory, then the credits of cpts.yaml (`site.credits`).
fn data_sources(site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    if site.cpts.data.territoire.uses_official_table() {
        let v = crate::domain::communes::table().vintage();
        out.push(format!(
            "Communes, codes postaux, intercommunalités et populations\u{a0}: INSEE, Code officiel géographique {} et populations légales {}, d’après le paquet {} — {}.",
            v.cog, v.population, v.package, v.licence
        ));
    }
    out.extend(site.cpts.data.site.credits.iter().map(|c| typo(c)));
    out
}

pub(super) fn legal(p: &mut Planner) {
    let site = p.site;
    let c = &site.cpts.data;
    let statut = accessibility_status(&c.accessibilite.statut.value);
    let data = context! {
        association => context! {
            nom => typo(&c.nom),
            siege => typo(&c.association.siege),
            rna => c.association.rna.as_ref().map(|x| x.value.clone()),
            siret => c.association.siret.as_ref().map(|x| x.value.clone()),
            directeur_publication => typo(&c.association.directeur_publication),
        },
        hebergeur => context! {
            nom => typo(&c.hebergeur.nom),
            adresse => typo(&c.hebergeur.adresse),
            telephone => views::phone_str(&c.hebergeur.telephone.value).map(|x| Value::from_serialize(&x)),
        },
        courriel => c.contact.courriel.value.clone(),
        sources => data_sources(site),
    };
    p.push(
        Route::LegalNotice,
        "legal.html",
        "Mentions légales",
        "Éditeur, hébergeur et données personnelles du site.",
        "",
        vec![],
        data,
        Some(&site.cpts.file),
    );
    let a = &c.accessibilite;
    let data = context! {
        statut => statut,
        date_audit => a.date_audit.map(date_long),
        taux => a.taux.map(|t| format!("{}\u{a0}%", t.to_string().replace('.', ","))),
        realise_par => a.realise_par.as_deref().map(typo),
        non_conformites => a.non_conformites.iter().map(|x| typo(x)).collect::<Vec<_>>(),
        derogations => a.derogations.iter().map(|x| typo(x)).collect::<Vec<_>>(),
        courriel => c.contact.courriel.value.clone(),
        nom => typo(&c.nom),
        url => p.urls.base(),
    };
    p.push(
        Route::Accessibility,
        "accessibility.html",
        "Déclaration d’accessibilité",
        "État de conformité du site au référentiel général d’amélioration de l’accessibilité (RGAA 4.1).",
        "",
        vec![],
        data,
        Some(&site.cpts.file),
    );
}

/// The French wording of an RGAA compliance status.
pub fn accessibility_status(key: &str) -> &'static str {
    match key {
        "totalement-conforme" => "totalement conforme",
        "partiellement-conforme" => "partiellement conforme",
        _ => "non conforme",
    }
}
