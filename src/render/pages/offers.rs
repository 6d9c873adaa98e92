//! Offers and internships (`offers.html`, `offer.html`, `offers_archive.html`, `internships.html`):
//! `/offres/…` with its filter pages, and `/stages/`.

use super::directory::group_value;
use super::planner::{Env, Extra, Planner, distinct, groups};
use crate::domain::text::in_commune;
use crate::model::vocab;
use crate::render::markdown::field_html;
use crate::render::text::{date_long, typo};
use crate::render::views::{self, commune, commune_slug, offer_card};
use crate::routes::Route;
use minijinja::{Value, context};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

pub(super) fn open_offers(e: &Env) -> Vec<views::OfferCard> {
    let mut list: Vec<_> = e
        .site
        .offers
        .iter()
        .filter(|o| !views::is_expired_offer(o, e.today))
        .map(|o| offer_card(e.site, e.urls, o))
        .collect();
    views::sort_offers(&mut list);
    list
}

/// Past this many communes with open offers, the filter pages of `/offres/` link to the list of
/// communes instead of repeating it (it would make each page grow with the territory).
pub(super) const OFFER_COMMUNES_LISTED: usize = 24;

/// Offer types in display order, with their plural labels for filter pages.
pub(super) const OFFER_TYPES: &[(&str, &str)] = &[
    ("stage", "Stages"),
    ("installation", "Installation"),
    ("remplacement", "Remplacements"),
    ("collaboration", "Collaborations"),
    ("assistanat", "Assistanat"),
    ("salariat", "Postes salariés"),
];

/// A filter of the offers: a label, its static page, how many open offers it shows.
#[derive(Debug, Clone, Serialize)]
pub(super) struct OfferFilter {
    /// Key (`stage`, `medecin-generaliste`, `le-luc`).
    pub key: String,
    /// Label.
    pub label: String,
    /// Static page of the filter.
    pub url: String,
    /// Open offers shown.
    pub count: usize,
}

/// The three families of filters of `/offres/`, with only the values that have open offers.
#[derive(Debug, Clone, Serialize)]
pub(super) struct OfferFilters {
    /// By type.
    pub types: Vec<OfferFilter>,
    /// By profession.
    pub professions: Vec<OfferFilter>,
    /// By commune.
    pub communes: Vec<OfferFilter>,
}

impl OfferFilters {
    /// The commune filters by commune slug, for pages that look up many communes.
    pub(super) fn communes_by_slug(&self) -> HashMap<&str, &OfferFilter> {
        self.communes.iter().map(|f| (f.key.as_str(), f)).collect()
    }
}

/// A family of filters: its name, its values, the route of a value's page.
pub(super) type FilterFamily<'a> = (&'a str, &'a [OfferFilter], fn(String) -> Route);

pub(super) fn offer_filters(e: &Env, open: &[views::OfferCard]) -> OfferFilters {
    let types = OFFER_TYPES
        .iter()
        .map(|(k, label)| (k.to_string(), label.to_string(), open.iter().filter(|o| o.type_key == *k).count()))
        .filter(|(_, _, n)| *n > 0)
        .map(|(key, label, count)| OfferFilter {
            url: e.urls.link(&Route::OffersByType(key.clone())),
            key,
            label,
            count,
        })
        .collect();
    let professions = vocab::PROFESSIONS
        .iter()
        .map(|pr| (pr.key, pr.plural, open.iter().filter(|o| o.profession_key == pr.key).count()))
        .filter(|(_, _, n)| *n > 0)
        .map(|(key, label, count)| OfferFilter {
            url: e.urls.link(&Route::OffersByProfession(key.to_string())),
            key: key.to_string(),
            label: label.to_string(),
            count,
        })
        .collect();
    let mut offers_in: HashMap<&str, usize> = HashMap::new();
    for o in open {
        for slug in distinct(o.commune_slugs.iter().map(String::as_str)) {
            *offers_in.entry(slug).or_default() += 1;
        }
    }
    let communes = e
        .site
        .communes()
        .iter()
        .map(|c| {
            let slug = commune_slug(c);
            let n = offers_in.get(slug.as_str()).copied().unwrap_or(0);
            (slug, c.nom.clone(), n)
        })
        .filter(|(_, _, n)| *n > 0)
        .map(|(key, label, count)| OfferFilter {
            url: e.urls.link(&Route::OffersByCommune(key.clone())),
            key,
            label,
            count,
        })
        .collect();
    OfferFilters { types, professions, communes }
}

/// "zone d’intervention prioritaire (ZIP)" for `ZIP`.
pub(super) fn zoning_label(code: &str) -> String {
    match code {
        "ZIP" => "zone d’intervention prioritaire (ZIP)".into(),
        "ZAC" => "zone d’action complémentaire (ZAC)".into(),
        _ => "hors zonage".into(),
    }
}

/// The pages of `/offres/`: the list, a page per filter value, the archive, a page per offer.
/// Their contexts hold offer cards (and the contact's page for each offer), so they are built
/// only when each page renders.
pub(super) fn offers(p: &mut Planner) {
    let site = p.site;
    let urls = p.urls;
    let env = p.env();
    let open = Arc::new(open_offers(&env));
    let nb_archives = site.offers.iter().filter(|o| views::is_expired_offer(o, p.today)).count();
    let filters = Arc::new(offer_filters(&env, &open));
    let offers_crumb = p.crumb("Offres", Route::Offers);
    let links = context! {
        archives_url => urls.link(&Route::OffersArchive),
        nb_archives => nb_archives,
        flux_url => urls.link(&Route::OffersFeed),
        installer_url => urls.link(&Route::Installer),
        stages_url => urls.link(&Route::Internships),
        offres_url => urls.link(&Route::Offers),
    };
    // Built once and shared (a MiniJinja value is reference-counted): a territory of thousands
    // of communes has thousands of filter pages. Those pages list every type and profession but,
    // past [`OFFER_COMMUNES_LISTED`], link to the commune list of /offres/ instead of repeating it.
    let filters_value = Value::from_serialize(&*filters);
    let filters_on_filter_pages = if filters.communes.len() > OFFER_COMMUNES_LISTED {
        context! {
            types => Value::from_serialize(&filters.types),
            professions => Value::from_serialize(&filters.professions),
            communes => Vec::<Value>::new(),
            nb_communes => filters.communes.len(),
        }
    } else {
        filters_value.clone()
    };
    let script = urls.link(&Route::Static("offres.js".into()));
    let (all, all_links) = (Arc::clone(&open), links.clone());
    p.push_lazy(
        Route::Offers,
        "offers.html",
        "Offres : stages, installation, remplacements".to_string(),
        "Stages, installation, remplacements et postes pour les professionnels de santé sur le territoire de la CPTS."
            .to_string(),
        "offres",
        vec![],
        false,
        None,
        move || {
            let data = context! {
                offres => Value::from_serialize(&*all),
                filtres => filters_value,
                filtre => (),
                liens => all_links,
            };
            (data, Extra { scripts: vec![script], ..Extra::default() })
        },
    );
    // One static page per filter value: the way to filter without JavaScript.
    let families: [FilterFamily; 3] = [
        ("type", &filters.types, Route::OffersByType),
        ("profession", &filters.professions, Route::OffersByProfession),
        ("commune", &filters.communes, Route::OffersByCommune),
    ];
    for (family, values, route) in families {
        for f in values {
            let shown: Vec<usize> = (0..open.len())
                .filter(|&i| {
                    let o = &open[i];
                    match family {
                        "type" => o.type_key == f.key,
                        "profession" => o.profession_key == f.key,
                        _ => o.commune_slugs.contains(&f.key),
                    }
                })
                .collect();
            let (title, description) = match family {
                "type" => (
                    format!("Offres : {}", f.label.to_lowercase()),
                    format!("{} ouverts sur le territoire de la {}.", f.label, site.cpts.data.nom),
                ),
                "profession" => (
                    format!("Offres pour les {}", f.label.to_lowercase()),
                    format!(
                        "Stages, installation, remplacements et postes pour les {} sur le territoire de la {}.",
                        f.label.to_lowercase(),
                        site.cpts.data.nom
                    ),
                ),
                _ => (
                    format!("Offres {}", in_commune(&f.label)),
                    format!("Stages, installation, remplacements et postes {}.", in_commune(&f.label)),
                ),
            };
            let (open, filtres, liens) = (Arc::clone(&open), filters_on_filter_pages.clone(), links.clone());
            let filtre = context! { famille => family, label => f.label.clone(), count => f.count };
            p.push_lazy(
                route(f.key.clone()),
                "offers.html",
                title,
                description,
                "offres",
                vec![offers_crumb.clone()],
                false,
                None,
                move || {
                    let shown: Vec<&views::OfferCard> = shown.iter().map(|&i| &open[i]).collect();
                    let data = context! {
                        offres => Value::from_serialize(&shown),
                        filtres => filtres,
                        filtre => filtre,
                        liens => liens,
                    };
                    (data, Extra::default())
                },
            );
        }
    }
    let archive_links = links.clone();
    p.push_lazy(
        Route::OffersArchive,
        "offers_archive.html",
        "Offres pourvues ou expirées".to_string(),
        "Les offres de la CPTS qui ne sont plus ouvertes.".to_string(),
        "offres",
        vec![offers_crumb.clone()],
        false,
        None,
        move || {
            let mut expired: Vec<_> = site
                .offers
                .iter()
                .filter(|o| views::is_expired_offer(o, env.today))
                .map(|o| offer_card(site, urls, o))
                .collect();
            expired.sort_by(|a, b| b.publiee_iso.cmp(&a.publiee_iso));
            (context! { offres => Value::from_serialize(&expired), liens => archive_links }, Extra::default())
        },
    );
    // Each commune's filter page, by commune slug (filter pages only exist while they list an
    // open offer).
    let commune_urls: Arc<HashMap<String, String>> =
        Arc::new(filters.communes.iter().map(|f| (f.key.clone(), f.url.clone())).collect());
    for o in &site.offers {
        let expired = views::is_expired_offer(o, p.today);
        let crumbs = if expired {
            vec![offers_crumb.clone(), p.crumb("Archives", Route::OffersArchive)]
        } else {
            vec![offers_crumb.clone()]
        };
        let (filters, commune_urls, links, backlinks) =
            (Arc::clone(&filters), Arc::clone(&commune_urls), links.clone(), Arc::clone(&p.links));
        // Archived: reachable from the archive page, but out of the sitemap, the feed and search
        // engines, and no longer advertised as a job.
        p.push_lazy(
            Route::Offer(o.slug.clone()),
            "offer.html",
            o.data.titre.clone(),
            o.data.resume.clone(),
            "offres",
            crumbs,
            expired,
            Some(&o.file),
            move || offer_page(&env, o, &filters, &commune_urls, links, &backlinks),
        );
    }
}

/// An offer's page: its data and, while it is open, its JSON-LD job posting.
fn offer_page(
    e: &Env,
    o: &crate::model::Offer,
    filters: &OfferFilters,
    commune_urls: &HashMap<String, String>,
    links: Value,
    backlinks: &views::Backlinks,
) -> (Value, Extra) {
    let (site, urls) = (e.site, e.urls);
    let d = &o.data;
    let card = offer_card(site, urls, o);
    let contact_member = d
        .contact
        .membre
        .as_ref()
        .and_then(|m| site.member(&m.value))
        .map(|m| views::member_view(site, urls, m, e.today, backlinks, &|x| e.card(x)));
    let supervisor = d.maitre_de_stage.as_ref().and_then(|m| site.member(&m.value)).map(|m| e.card(m));
    let expired = views::is_expired_offer(o, e.today);
    let body_html = e.body_html(&o.body);
    let find = |list: &[OfferFilter], key: &str| list.iter().find(|f| f.key == key).map(|f| f.url.clone());
    let communes: Vec<Value> = d
        .communes
        .iter()
        .filter_map(|c| site.commune(&c.value))
        .map(|c| {
            let v = commune(c, urls, 0);
            context! {
                nom => v.nom.clone(),
                url => commune_urls.get(commune_slug(c).as_str()).cloned(),
                zonage => (!v.zonage.is_empty()).then(|| zoning_label(&v.zonage)),
            }
        })
        .collect();
    let mut extra = Extra::default();
    if !expired {
        let description = format!("<p>{}</p>{body_html}", crate::render::escape::xml_escape(&typo(&d.resume)));
        if let Some(posting) = crate::render::jsonld::job_posting(site, urls, o, &description) {
            extra.jsonld.push(crate::render::jsonld::embed(&posting));
        }
    }
    let data = context! {
        offre => Value::from_serialize(&card),
        type_url => find(&filters.types, &d.kind.value),
        profession_url => find(&filters.professions, &d.profession.value),
        communes => communes,
        public => d.public.iter().map(|x| typo(x)).collect::<Vec<_>>(),
        debut => d.debut.as_ref().map(|x| date_long(x.value)),
        fin => d.fin.as_ref().map(|x| date_long(x.value)),
        duree => d.duree.as_deref().map(typo),
        maitre_de_stage => supervisor.map(|s| Value::from_serialize(&s)),
        logement => d.logement.as_ref().map(|l| context! { type => typo(&l.kind), prix => l.prix.as_deref().map(typo), description => l.description.as_deref().map(typo) }),
        aides => d.aides.iter().map(|x| typo(x)).collect::<Vec<_>>(),
        remuneration => d.remuneration.as_deref().map(typo),
        salaire => d.salaire.as_ref().and_then(|x| views::salary_text(&x.value)),
        temoignages => Value::from_serialize(views::testimonies(site, Some(&d.profession.value))),
        candidature_html => field_html(&d.candidature),
        contact => context! {
            nom => d.contact.nom.as_deref().map(typo),
            telephone => views::phone(&d.contact.telephone).map(|x| Value::from_serialize(&x)),
            courriel => d.contact.courriel.as_ref().map(|x| x.value.clone()),
            lien => d.contact.lien.as_ref().map(|x| x.value.clone()),
            membre => contact_member.map(|x| Value::from_serialize(&x)),
        },
        body_html => body_html,
        expiree => expired,
        valide_iso => d.valide_jusqu_au.value.to_string(),
        liens => links,
    };
    (data, extra)
}

/// `/stages/`: its context holds the card of every supervisor, so it is built only when the page
/// renders, and the cards become template values one at a time.
pub(super) fn internships(p: &mut Planner) {
    let env = p.env();
    let description = format!(
        "Faire son stage sur le territoire de la {} : maîtres de stage, logement, accueil et offres de stage.",
        p.site.cpts.data.nom
    );
    p.push_lazy(
        Route::Internships,
        "internships.html",
        "Stages : étudiants et internes".to_string(),
        description,
        "offres",
        vec![p.crumb("Offres", Route::Offers)],
        false,
        None,
        move || (internships_data(&env), Extra::default()),
    );
}

fn internships_data(e: &Env) -> Value {
    let (site, urls) = (e.site, e.urls);
    let supervisors =
        groups(site, urls, e.cards, (0..site.members.len()).filter(|&i| site.members[i].data.maitre_de_stage));
    let stages = site.cpts.data.installation.as_ref().and_then(|i| i.stages.clone());
    let open: Vec<_> = open_offers(e).into_iter().filter(|o| o.type_key == "stage").collect();
    let housing: Vec<Value> = site
        .offers
        .iter()
        .filter(|o| o.data.kind.value == "stage" && !views::is_expired_offer(o, e.today))
        .filter_map(|o| {
            o.data.logement.as_ref().map(|l| {
                context! {
                    offre => typo(&o.data.titre),
                    url => urls.link(&Route::Offer(o.slug.clone())),
                    type => typo(&l.kind),
                    prix => l.prix.as_deref().map(typo),
                }
            })
        })
        .collect();
    context! {
        accueil_html => stages.as_ref().and_then(|s| field_html(&s.accueil)),
        logement_html => stages.as_ref().and_then(|s| field_html(&s.logement)),
        logements => housing,
        maitres_de_stage => supervisors.iter().map(group_value).collect::<Vec<_>>(),
        nb_maitres_de_stage => supervisors.iter().map(|g| g.members.len()).sum::<usize>(),
        offres => Value::from_serialize(&open),
        liens => context! {
            offres_url => urls.link(&Route::Offers),
            stages_offres_url => open.first().map(|_| urls.link(&Route::OffersByType("stage".into()))),
            installer_url => urls.link(&Route::Installer),
        },
        courriel => site.cpts.data.contact.courriel.value.clone(),
    }
}
