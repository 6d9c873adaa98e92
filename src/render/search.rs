//! Search indexes, read by the theme's scripts in the visitor's browser (no search service, no
//! request to any other host):
//!
//! - `/annuaire/index.json`: the published members, with only what the directory's filters need
//!   (read by `annuaire.js` on `/annuaire/` and by `recherche.js` on `/recherche/`);
//! - `/recherche/index.json`: every other page worth finding (actions, offers, news, free pages,
//!   thematic pages, the main sections), read by `recherche.js`.
//!
//! Both carry, for each entry, a "search text": the entry's words folded (lower case, accents
//! removed) and lightly stemmed by [`stem`], deduplicated and joined by spaces. The scripts apply
//! the same [`stem`] to the words typed, and an entry matches when every typed word begins one of
//! its words (small words such as « le », « de » are left out of a query that has others).
//! `recherche.js` ranks the matches by where each word is found: a member's profession, then a
//! section's keywords, a title, a commune (a member's, an action's sessions', an offer's), and last
//! the body — so that « dentiste le luc » gives the dentists of Le Luc first. `recherche.js` holds a copy of [`stem`]: keep them identical (the browser test checks
//! that an accented plural finds its singular).

use super::text::typo;
use super::views::{self, commune_slug, group_key};
use crate::domain::text::fold;
use crate::model::{Site, vocab};
use crate::output::OutputFile;
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Flag bits of a member in the directory index.
pub mod flags {
    /// Accepts new patients.
    pub const NEW_PATIENTS: u8 = 1;
    /// Same-day care (soins non programmés).
    pub const SAME_DAY: u8 = 2;
    /// Teleconsultation.
    pub const TELECONSULTATION: u8 = 4;
    /// At least one place of practice with wheelchair access.
    pub const WHEELCHAIR: u8 = 8;
}

/// Light French stemming of one folded word: plurals and common feminine endings go, so that
/// « infirmières », « infirmière » and « infirmier » share one stem, and « hôpitaux » meets
/// « hôpital ». Deliberately small: the scripts match stems as prefixes, which covers the rest.
pub fn stem(word: &str) -> String {
    let mut w = word.to_string();
    if w.chars().count() <= 3 {
        return w;
    }
    if let Some(base) = w.strip_suffix("aux") {
        w = format!("{base}al");
    } else if (w.ends_with('s') || w.ends_with('x')) && !w.ends_with("ss") {
        w.pop();
    }
    for (from, to) in
        [("euse", "eur"), ("trice", "teur"), ("ienne", "ien"), ("ere", "er"), ("ive", "if"), ("elle", "el")]
    {
        if w.len() > from.len() + 2
            && let Some(base) = w.strip_suffix(from)
        {
            return format!("{base}{to}");
        }
    }
    if w.len() > 4 && w.ends_with('e') {
        w.pop();
    }
    w
}

/// The search text of some words: folded, split on anything not a letter or digit, stemmed,
/// deduplicated (first occurrence kept) and joined by spaces.
pub fn search_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for part in parts {
        for word in fold(part).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let s = stem(word);
            if seen.insert(s.clone()) {
                out.push(s);
            }
        }
    }
    out.join(" ")
}

/// `/annuaire/index.json`: tables of kinds, communes and languages, then one compact array per
/// member: `[name, slug, kind, [communes], flags, [languages], detail, phone, text]`, where kind,
/// communes and languages are positions in the tables, flags are [`flags`] bits, and the member's
/// page is `base` + slug + `/`. To keep the file small, a member's text leaves out what the
/// scripts add back when they load the index: the search text of its name, and those of its
/// kind and communes, which the tables carry once.
#[derive(Debug, Serialize)]
pub struct DirectoryIndex {
    /// Root-relative URL of `/annuaire/`; a member's page is `base` + slug + `/`.
    pub base: String,
    /// `[key, plural label, page URL, search text]` of each profession or structure kind with
    /// members (the search text covers the masculine, feminine and plural labels).
    pub kinds: Vec<(String, String, String, String)>,
    /// `[slug, name, page URL, search text]` of each commune of the territory.
    pub communes: Vec<(String, String, String, String)>,
    /// Languages spoken besides French, as written in the members' files.
    pub langues: Vec<String>,
    /// The members, sorted by name.
    pub m: Vec<MemberEntry>,
}

/// One member of [`DirectoryIndex`].
pub type MemberEntry = (String, String, usize, Vec<usize>, u8, Vec<usize>, String, String, String);

/// The tables of a directory index (kinds, communes, languages), and the positions in them that
/// member entries refer to.
#[derive(Debug, Clone)]
pub(super) struct Tables {
    kinds: Vec<(String, String, String, String)>,
    communes: Vec<(String, String, String, String)>,
    langues: Vec<String>,
    kind_pos: HashMap<String, usize>,
    commune_pos: HashMap<String, usize>,
    langue_pos: HashMap<String, usize>,
}

impl Tables {
    /// The tables of the published members of `site`.
    pub(super) fn new(site: &Site, urls: &Urls) -> Tables {
        let kind_keys: Vec<(&str, &str)> = vocab::PROFESSIONS
            .iter()
            .map(|p| (p.key, p.plural))
            .chain(vocab::STRUCTURES.iter().map(|s| (s.key, s.plural)))
            .collect();
        // Inserted one by one: collecting would sort every member's kind first.
        let mut present: BTreeSet<&str> = BTreeSet::new();
        for m in &site.members {
            present.insert(group_key(m));
        }
        let kinds: Vec<(String, String, String, String)> = kind_keys
            .iter()
            .filter(|(k, _)| present.contains(k))
            .map(|(k, label)| {
                let forms: Vec<&str> = match (vocab::profession(k), vocab::structure(k)) {
                    (Some(p), _) => vec![label, p.masculine, p.feminine],
                    (None, Some(s)) => vec![label, s.label],
                    (None, None) => vec![label],
                };
                (k.to_string(), label.to_string(), urls.link(&Route::Profession(k.to_string())), search_text(forms))
            })
            .collect();
        let kind_pos = kinds.iter().enumerate().map(|(i, k)| (k.0.clone(), i)).collect();
        let communes: Vec<(String, String, String, String)> = site
            .communes()
            .iter()
            .map(|c| {
                (
                    commune_slug(c),
                    c.nom.clone(),
                    urls.link(&Route::Commune(commune_slug(c))),
                    search_text([c.nom.as_str()]),
                )
            })
            .collect();
        let commune_pos = site.communes().iter().enumerate().map(|(i, c)| (c.insee.value.clone(), i)).collect();
        let langues = site.languages_spoken();
        let langue_pos = langues.iter().enumerate().map(|(i, l)| (l.clone(), i)).collect();
        Tables { kinds, communes, langues, kind_pos, commune_pos, langue_pos }
    }

    /// Fingerprint of the tables: member entries refer to positions in them.
    pub(super) fn key(&self) -> u64 {
        crate::fingerprint::of(&(&self.kinds, &self.communes, &self.langues))
    }

    /// The index with these tables and no member.
    fn index(self, urls: &Urls, m: Vec<MemberEntry>) -> DirectoryIndex {
        let Tables { kinds, communes, langues, .. } = self;
        DirectoryIndex { base: urls.link(&Route::Directory), kinds, communes, langues, m }
    }

    /// `/annuaire/index.json` from each member's serialised entry, already in the index's order
    /// (the same bytes as [`directory_index`] serialised), written into `buffer` (emptied first:
    /// the dev server gives back the memory of an earlier version).
    pub(super) fn index_json<'e>(
        &self,
        urls: &Urls,
        entries: impl Iterator<Item = &'e [u8]> + Clone,
        buffer: Vec<u8>,
    ) -> Vec<u8> {
        let head = serde_json::to_vec(&self.clone().index(urls, Vec::new())).unwrap_or_default();
        // The members' array closes the object: `"m":[]}`.
        if !head.ends_with(b"[]}") {
            return head;
        }
        let mut out = buffer;
        out.clear();
        out.reserve(head.len() + entries.clone().map(|e| e.len() + 1).sum::<usize>());
        out.extend_from_slice(&head);
        out.truncate(out.len() - 2);
        for (i, e) in entries.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(e);
        }
        out.extend_from_slice(b"]}");
        out
    }
}

/// One member's entry in the directory index.
pub(super) fn member_entry(m: &crate::model::Member, t: &Tables) -> MemberEntry {
    let d = &m.data;
    let name = views::display_name(m);
    let mut cs: Vec<usize> =
        d.lieux.iter().filter_map(|l| t.commune_pos.get(l.commune.value.as_str()).copied()).collect();
    cs.sort_unstable();
    cs.dedup();
    let mut f = 0;
    if d.accepts_new_patients() == Some(true) {
        f |= flags::NEW_PATIENTS;
    }
    if d.same_day_care() == Some(true) {
        f |= flags::SAME_DAY;
    }
    if d.offers_teleconsultation() == Some(true) {
        f |= flags::TELECONSULTATION;
    }
    if d.lieux.iter().any(|l| l.accessible_pmr == Some(true)) {
        f |= flags::WHEELCHAIR;
    }
    let ls: Vec<usize> =
        d.langues_listed().iter().filter_map(|l| t.langue_pos.get(l.trim().to_lowercase().as_str()).copied()).collect();
    let mut words: Vec<&str> = d.specialite.as_deref().into_iter().collect();
    for l in &d.lieux {
        words.extend(l.nom.as_deref());
        words.push(&l.adresse);
        words.push(&l.code_postal.value);
    }
    words.extend(d.langues_listed().iter().map(String::as_str));
    let text = search_text(words);
    (
        name,
        m.slug.clone(),
        t.kind_pos.get(group_key(m)).copied().unwrap_or(0),
        cs,
        f,
        ls,
        d.specialite.as_deref().map(typo).unwrap_or_default(),
        d.lieux.first().and_then(|l| views::phone(&l.telephone)).map_or(String::new(), |t| t.display),
        text,
    )
}

/// A member's entry of the directory index, serialised.
pub(super) fn entry_json(m: &crate::model::Member, tables: &Tables) -> Vec<u8> {
    serde_json::to_vec(&member_entry(m, tables)).unwrap_or_default()
}

/// `/annuaire/index.json`: the same bytes as [`directory_index`] serialised, but each member's
/// entry is serialised as soon as it is made and the whole is joined once at its size (at
/// 10 000 members, 1.2 MB of text instead of 3 MB of entries and a text grown by doubling).
pub fn directory_index_json(site: &Site, urls: &Urls) -> Vec<u8> {
    let tables = Tables::new(site, urls);
    let entries: Vec<Vec<u8>> = in_index_order(site).par_iter().map(|m| entry_json(m, &tables)).collect();
    tables.index_json(urls, entries.iter().map(Vec::as_slice), Vec::new())
}

/// Builds the directory index of the published members (the site is already filtered).
pub fn directory_index(site: &Site, urls: &Urls) -> DirectoryIndex {
    let tables = Tables::new(site, urls);
    let m = in_index_order(site).par_iter().map(|m| member_entry(m, &tables)).collect();
    tables.index(urls, m)
}

/// The members in the directory index's order: by name, as the directory lists them.
fn in_index_order(site: &Site) -> Vec<&crate::model::Member> {
    let mut members: Vec<&crate::model::Member> = site.members.iter().collect();
    members.sort_by_cached_key(|m| views::sort_name(m));
    members
}

/// One page of [`SiteIndex`]: `[title, url, kind, summary, text, places, keywords]`, where
/// `text` is the search text of everything (title, summary, body, places, keywords), `places`
/// that of the communes it happens in, and `keywords` that of the words a section is known by:
/// `recherche.js` ranks a word found in a title, a place or a keyword above one found in the body.
pub type PageEntry = (String, String, String, String, String, String, String);

/// `/recherche/index.json`: the pages other than members' (those are in the directory index).
#[derive(Debug, Serialize)]
pub struct SiteIndex {
    /// Root-relative URL of the directory index, which `recherche.js` also reads.
    pub annuaire: String,
    /// The pages.
    pub p: Vec<PageEntry>,
}

/// Builds the site index: actions (past ones too, marked), open offers, news, free pages,
/// thematic pages and the main sections.
pub fn site_index(site: &Site, urls: &Urls, today: Date) -> SiteIndex {
    let mut p: Vec<PageEntry> = Vec::new();
    let mut push = |title: &str,
                    route: Route,
                    kind: &str,
                    summary: &str,
                    places: Vec<&str>,
                    keywords: &str,
                    words: Vec<&str>| {
        let mut all = vec![title, summary, keywords];
        all.extend(words);
        all.extend(places.iter().copied());
        let (places, keywords) = (search_text(places), search_text([keywords]));
        p.push((typo(title), urls.link(&route), kind.to_string(), typo(summary), search_text(all), places, keywords));
    };
    for (label, route, summary, words) in [
        (
            "Annuaire des professionnels de santé",
            Route::Directory,
            "Par profession et par commune.",
            "annuaire professionnel médecin infirmier pharmacie",
        ),
        (
            "Se soigner",
            Route::Care,
            "Médecin traitant, soins non programmés, télésanté.",
            "soins médecin traitant non programmés sans attendre aujourd’hui garde soir nuit week-end téléconsultation télésanté",
        ),
        (
            "Numéros utiles",
            Route::Contacts,
            "Urgences et numéros utiles du territoire.",
            "urgence urgences numéros téléphone garde",
        ),
        (
            "Prévention",
            Route::Prevention,
            "Actions de prévention et leurs séances.",
            "prévention dépistage agenda calendrier",
        ),
        (
            "Offres",
            Route::Offers,
            "Stages, installation, remplacements, postes.",
            "offres stage installation remplacement emploi",
        ),
        ("S’installer", Route::Installer, "S’installer sur le territoire.", "installation démographie aides zonage"),
        ("Stages", Route::Internships, "Accueil des étudiants et internes.", "stage interne externe étudiant maître"),
        (
            "La CPTS",
            Route::AboutCpts,
            "Missions, gouvernance, partenaires.",
            "cpts missions gouvernance bureau partenaires association",
        ),
        (
            "Professionnels",
            Route::Professionals,
            "Protocoles, outils, documents, adhérer.",
            "professionnels protocoles documents adhésion adhérer",
        ),
        ("Carte du territoire", Route::Map, "Les communes du territoire.", "carte communes territoire"),
    ] {
        push(label, route, "Rubrique", summary, vec![], words, vec![]);
    }
    if let Some(results) = site.indicators.as_ref().filter(|r| !r.data.annees.is_empty()) {
        let words = results.data.annees.iter().flat_map(|y| &y.indicateurs).map(|i| i.libelle.value.as_str()).collect();
        push(
            "Nos résultats",
            Route::Results,
            "Rubrique",
            "Les indicateurs des missions de la CPTS, année par année.",
            vec![],
            "résultats bilan indicateurs objectifs rapport activité aci",
            words,
        );
    }
    if let Some(contacts) = &site.contacts {
        for cat in &contacts.data.categories {
            let words: Vec<&str> = cat.numeros.iter().map(|n| n.nom.value.as_str()).collect();
            push(
                &cat.nom,
                Route::Contacts,
                "Numéros utiles",
                &cat.numeros.iter().map(|n| n.nom.value.as_str()).collect::<Vec<_>>().join(", "),
                vec![],
                "",
                words,
            );
        }
    }
    for a in &site.actions {
        let d = &a.data;
        let kind = match (views::is_past_action(a, today), d.formation.is_some()) {
            (true, _) => "Action passée",
            (false, true) => "Formation",
            (false, false) => "Prévention",
        };
        let public = d.public.as_ref().and_then(views::public_label);
        let communes: Vec<String> = d.seances.iter().map(|s| views::seance_commune(site, s)).collect();
        let mut words: Vec<&str> = vec![&a.body];
        words.extend(d.partenaires.iter().map(|p| p.nom.as_str()));
        words.extend(d.seances.iter().map(|s| s.lieu.as_str()));
        let places = communes.iter().map(String::as_str).collect();
        let keywords = [d.theme.as_deref(), public.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        push(&d.titre, Route::Action(a.slug.clone()), kind, &d.resume, places, &keywords, words);
    }
    for o in site.offers.iter().filter(|o| !views::is_expired_offer(o, today)) {
        let d = &o.data;
        let mut words: Vec<&str> = vec![&o.body, &d.kind.value];
        words.extend(vocab::profession(&d.profession.value).map(|p| p.masculine));
        words.extend(d.public.iter().map(String::as_str));
        let places = d.communes.iter().filter_map(|c| site.commune(&c.value)).map(|c| c.nom.as_str()).collect();
        push(&d.titre, Route::Offer(o.slug.clone()), "Offre", &d.resume, places, "", words);
    }
    for n in &site.news {
        push(&n.data.titre, Route::News(n.slug.clone()), "Actualité", &n.data.resume, vec![], "", vec![&n.body]);
    }
    for page in &site.pages {
        let summary = page.data.resume.as_deref().unwrap_or("");
        push(&page.data.titre, Route::Page(page.slug.clone()), "Page", summary, vec![], "", vec![&page.body]);
    }
    for t in &site.cpts.data.thematiques {
        let mut words: Vec<&str> = t.introduction.iter().map(|i| i.value.as_str()).collect();
        for r in site.resources.iter().filter(|r| r.data.thematiques.iter().any(|x| x.value == t.id.value)) {
            words.extend([r.data.nom.as_str(), r.data.kind.as_str(), r.data.description.as_str()]);
        }
        push(
            &t.titre,
            Route::Theme(t.id.value.clone()),
            "Thématique",
            "Ressources et contacts utiles.",
            vec![],
            "",
            words,
        );
    }
    SiteIndex { annuaire: urls.link(&Route::DirectoryIndex), p }
}

/// The two index files, serialised as compact JSON; the directory's is `directory` when the dev
/// server made it from the rows it keeps ([`super::rows`]).
pub fn outputs(site: &Site, urls: &Urls, today: Date, directory: Option<Vec<u8>>) -> Vec<OutputFile> {
    let directory = directory.unwrap_or_else(|| directory_index_json(site, urls));
    vec![
        OutputFile { path: Route::DirectoryIndex.output_path(), bytes: directory },
        OutputFile {
            path: Route::SearchIndex.output_path(),
            bytes: serde_json::to_vec(&site_index(site, urls, today)).unwrap_or_default(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_feminines_share_a_stem() {
        let s = |w: &str| stem(&fold(w));
        assert_eq!(s("infirmières"), s("infirmier"));
        assert_eq!(s("infirmière"), s("infirmiers"));
        assert_eq!(s("médecins"), s("Médecin"));
        assert_eq!(s("hôpitaux"), s("hôpital"));
        assert_eq!(s("masseuse"), s("masseur"));
        assert_eq!(s("orthophonistes"), s("orthophoniste"));
        assert_eq!(s("dépistages"), "depistag");
        assert_eq!(s("bus"), "bus");
    }

    #[test]
    fn search_text_is_folded_and_deduplicated() {
        assert_eq!(
            search_text(["Élodie Fabre, Infirmière", "infirmières à Vidauban"]),
            "elodi fabr infirmier a vidauban"
        );
    }

    #[test]
    fn the_index_joined_from_entries_is_the_index_serialised() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::model::parse(crate::source::load(root).0).0.expect("le site d’exemple se lit");
        let urls = Urls::new("https://exemple.fr/");
        let whole = serde_json::to_vec(&directory_index(&site, &urls)).expect("JSON");
        assert!(whole.len() > 1000, "{}", whole.len());
        assert_eq!(String::from_utf8_lossy(&directory_index_json(&site, &urls)), String::from_utf8_lossy(&whole));
    }

    #[test]
    fn member_pages_are_under_the_directory() {
        let u = Urls::new("https://exemple.fr/cpts/");
        assert_eq!(u.link(&Route::Member("x".into())), format!("{}x/", u.link(&Route::Directory)));
    }
}
