//! Prevention (`prevention.html`, `action.html`, `prevention_archive.html`): `/prevention/…`, and
//! how documents are shown wherever they are listed.

use super::planner::{Env, Extra, Planner};
use crate::render::text::{month_year, typo};
use crate::render::views::{self, action_card, seances};
use crate::routes::Route;
use jiff::civil::Date;
use minijinja::{Value, context};

/// The actions not yet over, soonest first (those without an upcoming date last), for the
/// population (`professionals` false) or for professionals.
pub(super) fn upcoming_actions(e: &Env, professionals: bool) -> Vec<views::ActionCard> {
    let mut list: Vec<_> = e
        .site
        .actions
        .iter()
        .filter(|a| !views::is_past_action(a, e.today) && a.data.for_professionals() == professionals)
        .map(|a| action_card(e.site, e.urls, a, e.today))
        .collect();
    list.sort_by(|a, b| (a.date_iso.is_empty(), &a.date_iso).cmp(&(b.date_iso.is_empty(), &b.date_iso)));
    list
}

/// The pages of `/prevention/`: their contexts hold action cards, sessions and referents' cards,
/// so they are built only when each page renders.
pub(super) fn prevention(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let env = p.env();
    let prev_crumb = p.crumb("Prévention", Route::Prevention);
    let nb_archives = site.actions.iter().filter(|a| views::is_past_action(a, p.today)).count();
    p.push_lazy(
        Route::Prevention,
        "prevention.html",
        "Prévention et dépistage".to_string(),
        "Les actions de prévention de la CPTS : dépistages, vaccination, ateliers, près de chez vous.".to_string(),
        "prevention",
        vec![],
        false,
        None,
        move || (prevention_data(&env, nb_archives), Extra::default()),
    );
    p.push_lazy(
        Route::PreventionArchive,
        "prevention_archive.html",
        "Actions de prévention passées".to_string(),
        "Les actions de prévention déjà menées par la CPTS.".to_string(),
        "prevention",
        vec![prev_crumb.clone()],
        false,
        None,
        move || {
            let mut past: Vec<_> = site.actions.iter().filter(|a| views::is_past_action(a, env.today)).collect();
            past.sort_by_key(|a| std::cmp::Reverse(views::action_end(a)));
            let past: Vec<_> = past.into_iter().map(|a| action_card(site, urls, a, env.today)).collect();
            (context! { actions => Value::from_serialize(&past) }, Extra::default())
        },
    );
    for a in &site.actions {
        let crumbs = if views::is_past_action(a, p.today) {
            vec![prev_crumb.clone(), p.crumb("Archives", Route::PreventionArchive)]
        } else {
            vec![prev_crumb.clone()]
        };
        let (title, description) = (a.data.titre.clone(), a.data.resume.clone());
        p.push_lazy(
            Route::Action(a.slug.clone()),
            "action.html",
            title,
            description,
            "prevention",
            crumbs,
            false,
            Some(&a.file),
            move || action_page(&env, a),
        );
        p.known_by(action_inputs(&env, a));
    }
}

/// `/prevention/`: public actions first, dated ones then those that run all year; trainings and
/// meetings for professionals apart; the calendar of upcoming sessions by month.
fn prevention_data(e: &Env, nb_archives: usize) -> Value {
    let (site, urls) = (e.site, e.urls);
    let (upcoming, all_year): (Vec<_>, Vec<_>) =
        upcoming_actions(e, false).into_iter().partition(|a| !a.permanente || !a.date_iso.is_empty());
    let trainings = upcoming_actions(e, true);
    // Calendar: upcoming dated sessions of the public actions, by month.
    let mut sessions: Vec<views::SeanceView> = site
        .actions
        .iter()
        .filter(|a| !a.data.for_professionals())
        .flat_map(|a| seances(site, urls, a, e.today))
        .filter(|s| !s.passee && !s.date_iso.is_empty())
        .collect();
    sessions.sort_by(|a, b| a.date_iso.cmp(&b.date_iso));
    let mut months: Vec<(String, Vec<views::SeanceView>)> = Vec::new();
    for s in sessions {
        let label = s.date_iso.parse::<Date>().map(month_year).unwrap_or_default();
        match months.last_mut() {
            Some((l, list)) if *l == label => list.push(s),
            _ => months.push((label, vec![s])),
        }
    }
    let calendar: Vec<Value> = months.into_iter().map(|(mois, seances)| context! { mois => crate::render::text::capitalize(&mois), seances => Value::from_serialize(&seances) }).collect();
    context! {
        actions => Value::from_serialize(&upcoming),
        toute_l_annee => Value::from_serialize(&all_year),
        formations => Value::from_serialize(&trainings),
        calendrier => calendar,
        archives_url => urls.link(&Route::PreventionArchive),
        nb_archives => nb_archives,
        agenda_url => urls.link(&Route::Agenda),
    }
}

/// Fingerprint of what an action's page reads ([`action_page`] and the page around it): the
/// action, cpts.yaml (commune names, the organiser), its referents and documents as the site
/// has them, and which of its dates are past on the day (not the day itself: the page is
/// rendered again on a new day only when a date passed). Keep in step with [`action_page`].
fn action_inputs(e: &Env, a: &crate::model::Action) -> u64 {
    let d = &a.data;
    let day = e.today;
    let dates: Vec<(Option<bool>, Option<bool>)> = d
        .seances
        .iter()
        .map(|s| (s.date.as_ref().map(|x| x.value < day), s.date_fin.as_ref().map(|x| x.value < day)))
        .collect();
    let referents: Vec<Option<u64>> = d.referents.iter().map(|r| e.site.member(&r.value).map(|m| m.hash)).collect();
    let documents: Vec<Option<(u64, Option<usize>)>> = d
        .documents
        .iter()
        .map(|s| {
            let doc = e.site.documents.iter().find(|x| x.slug == s.value)?;
            let file = &doc.data.fichier.value;
            let size = e.site.assets.iter().find(|a| a.is_document && a.within == *file).map(|a| a.bytes.len());
            Some((doc.hash, size))
        })
        .collect();
    crate::fingerprint::of(&(a.hash, e.site.cpts.hash, dates, referents, documents))
}

/// An action's page: its data, and its sessions as JSON-LD events.
fn action_page(e: &Env, a: &crate::model::Action) -> (Value, Extra) {
    let (site, urls) = (e.site, e.urls);
    let d = &a.data;
    let card = action_card(site, urls, a, e.today);
    let documents: Vec<Value> = d
        .documents
        .iter()
        .filter_map(|s| site.documents.iter().find(|x| x.slug == s.value))
        .map(|doc| document_view(e, doc))
        .collect();
    let referents: Vec<_> = d.referents.iter().filter_map(|r| site.member(&r.value)).map(|m| e.card(m)).collect();
    let data = context! {
        action => Value::from_serialize(&card),
        public => d.public.as_ref().and_then(views::public_label),
        quand => d.quand.as_deref().map(typo),
        formation => d.formation.as_ref().map(|f| context! {
            duree => typo(&f.duree),
            prise_en_charge => f.prise_en_charge.as_deref().map(typo),
            organisme => f.organisme.as_deref().map(typo),
        }),
        chiffres => d.chiffres_cles.iter().map(|c| context! { valeur => typo(&c.valeur), libelle => typo(&c.libelle), source => c.source.as_deref().map(typo) }).collect::<Vec<_>>(),
        body_html => e.body_html(&a.body),
        seances => Value::from_serialize(seances(site, urls, a, e.today)),
        datees => d.seances.iter().filter(|s| s.date.is_some()).count(),
        referents => Value::from_serialize(&referents),
        partenaires => d.partenaires.iter().map(partner_view).collect::<Vec<_>>(),
        documents => documents,
        passee => views::is_past_action(a, e.today),
        ics_url => urls.link(&Route::ActionCalendar(a.slug.clone())),
    };
    let jsonld =
        crate::render::jsonld::session_events(site, urls, a).iter().map(crate::render::jsonld::embed).collect();
    (data, Extra { jsonld, image: views::image_ref(d.image.as_ref()), ..Extra::default() })
}

/// A partner as pages show it: name, kind, website, logo.
pub(super) fn partner_view(x: &crate::model::Partenaire) -> Value {
    context! {
        nom => typo(&x.nom),
        type => x.type_partenaire.as_deref().map(typo),
        lien => x.lien.as_ref().map(|l| l.value.clone()),
        // The name is written next to the logo: the logo adds nothing to read (empty alt).
        logo => views::image_ref(x.logo.as_ref()).map(|l| views::ImageRef { alt: String::new(), ..l }),
    }
}

pub(super) fn document_view(e: &Env, doc: &crate::model::Document) -> Value {
    let file = &doc.data.fichier.value;
    let size = e.site.assets.iter().find(|a| a.is_document && a.within == *file).map_or(0, |a| a.bytes.len());
    let format = file.rsplit_once('.').map_or(String::new(), |(_, e)| e.to_uppercase());
    context! {
        titre => typo(&doc.data.titre),
        description => typo(&doc.data.description),
        url => e.urls.link(&Route::Document(file.clone())),
        format => format,
        taille => human_size(size),
        theme => doc.data.theme.as_deref().map(typo),
        public => doc.data.public.value.clone(),
    }
}

/// "245 Ko", "1,2 Mo".
pub(super) fn human_size(bytes: usize) -> String {
    if bytes < 1024 * 1024 {
        format!("{}\u{a0}Ko", bytes.div_ceil(1024))
    } else {
        format!("{:.1}\u{a0}Mo", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
    }
}
