//! The CPTS's own files: `cpts.yaml` (association, territory, governance, missions, site),
//! `contacts.yaml`, resources and documents.

use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::domain::communes;
use crate::domain::ids;
use crate::domain::text::{grouped, is_valid_slug, of_commune};
use crate::model::{CommuneEntry, Lookup, vocab};
use crate::source::{SourceKind, closest_match};
use std::collections::HashSet;

impl<'a> Checker<'a> {
    /// Warns about communes the map cannot place: neither a centre in cpts.yaml nor an outline.
    pub(super) fn map_places(&mut self, outlines: Option<&crate::domain::geo::Outlines>) {
        let communes = self.site.communes();
        let has_outline =
            |c: &crate::model::Commune| outlines.and_then(|o| o.get(&c.insee.value)).is_some_and(|r| !r.is_empty());
        let unplaced: Vec<&crate::model::Commune> =
            communes.iter().filter(|c| c.centre.is_none() && !has_outline(c)).collect();
        let f = "content/cpts.yaml";
        match unplaced.first() {
            Some(first) if unplaced.len() == communes.len() => self.warn(
                "M081",
                f,
                &first.insee,
                "la carte du territoire ne peut pas être dessinée : aucune commune n’a de centre ni de contour",
                "ajoutez les contours des communes dans content/communes.geojson, ou « centre: [latitude, longitude] » \
                 sous chaque commune",
            ),
            _ => {
                for c in unplaced {
                    self.warn(
                        "M081",
                        f,
                        &c.insee,
                        format!("la commune {} n’apparaît pas sur la carte : elle n’a ni centre ni contour", c.nom),
                        "ajoutez « centre: [latitude, longitude] » sous la commune, ou son contour dans \
                         content/communes.geojson",
                    );
                }
            }
        }
    }

    pub(super) fn cpts(&mut self) {
        let cpts = &self.site.cpts;
        let f = cpts.file.as_str();
        let d = &cpts.data;
        self.id(f, &d.association.rna, ids::rna, "numéro RNA");
        self.id(f, &d.association.siret, ids::siret, "numéro SIRET");
        if let Err(e) = ids::departement(&d.territoire.departement.value) {
            self.error(
                "M030",
                f,
                &d.territoire.departement,
                format!("département « {} » invalide", d.territoire.departement.value),
                e,
            );
        }
        self.phone(f, &d.contact.telephone);
        if let Some(line) = &d.contact.soins_non_programmes {
            self.phone_value(f, &line.telephone);
        }
        self.email(f, &Some(d.contact.courriel.clone()));
        self.phone_value(f, &d.hebergeur.telephone);
        self.url(f, &Some(d.site.url.clone()));
        self.territory_entries();
        if d.territoire.entries.is_empty() {
            self.out.push(
                Diagnostic::error("M047", f, 0, 0, "le territoire ne compte aucune commune")
                    .with_hint("listez les communes sous territoire.communes"),
            );
        }
        let mut seen = HashSet::new();
        for code in d.territoire.entries.iter().filter_map(|w| w.entry.value.insee.as_ref()) {
            if let Err(e) = ids::insee_commune(&code.value) {
                self.error("M030", f, code, format!("code INSEE « {} » invalide", code.value), e);
            }
        }
        for c in &d.territoire.communes {
            if !seen.insert(c.insee.value.as_str()) {
                self.error(
                    "M048",
                    f,
                    &c.insee,
                    format!("la commune {} est déclarée deux fois", c.insee.value),
                    "gardez une seule entrée par commune",
                );
            }
            for cp in &c.codes_postaux {
                if ids::postal_code(&cp.value).is_err() {
                    self.error(
                        "M046",
                        f,
                        cp,
                        format!("code postal « {} » invalide", cp.value),
                        "un code postal compte 5 chiffres",
                    );
                }
            }
            if let Some(centre) = &c.centre {
                let [lat, lon] = centre.value;
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    self.error(
                        "M045",
                        f,
                        centre,
                        "coordonnées impossibles",
                        "écrivez [latitude, longitude] en degrés décimaux",
                    );
                }
            }
            if let Some(z) = &c.zonage
                && !vocab::is_term(vocab::ZONAGES, &z.value)
            {
                self.error(
                    "M051",
                    f,
                    z,
                    format!("zonage « {} » inconnu", z.value),
                    format!("valeurs possibles : {}", vocab::term_keys(vocab::ZONAGES)),
                );
            }
        }
        for m in &d.missions {
            if vocab::mission(&m.mission.value).is_none() {
                let keys: Vec<&str> = vocab::MISSIONS.iter().map(|m| m.key).collect();
                self.unknown_key(f, &m.mission, "mission", &keys);
            }
        }
        let statut = &d.accessibilite.statut;
        if !vocab::is_term(vocab::ACCESSIBILITY_STATUSES, &statut.value) {
            self.error(
                "M051",
                f,
                statut,
                format!("statut d’accessibilité « {} » inconnu", statut.value),
                format!("valeurs possibles : {}", vocab::term_keys(vocab::ACCESSIBILITY_STATUSES)),
            );
        }
        for p in &d.partenaires {
            self.url(f, &p.lien);
            self.logo(f, &p.logo);
        }
        self.image(f, d.site.image.as_ref());
        let mut themes = HashSet::new();
        for t in &d.thematiques {
            if !is_valid_slug(&t.id.value) {
                self.error(
                    "M050",
                    f,
                    &t.id,
                    format!("identifiant de thématique « {} » impossible à publier", t.id.value),
                    "minuscules sans accents, chiffres et tirets, par exemple « sante-mentale »",
                );
            }
            if !themes.insert(t.id.value.as_str()) {
                self.error(
                    "M048",
                    f,
                    &t.id,
                    format!("thématique « {} » déclarée deux fois", t.id.value),
                    "gardez une seule entrée par thématique",
                );
            }
        }
    }

    /// The communes as written against the official table (M082–M085): values that differ
    /// (the file wins), names and codes the table does not know, ambiguous names.
    fn territory_entries(&mut self) {
        let site = self.site;
        let f = site.cpts.file.as_str();
        let t = &site.cpts.data.territoire;
        let vintage = communes::table().vintage();
        for w in &t.entries {
            let e = &w.entry.value;
            let name = e.nom.as_ref().map(|n| n.value.as_str());
            match &w.lookup {
                Lookup::Found(o) => self.official_differences(f, e, o),
                Lookup::Former(former) => {
                    let Some(at) = e.insee.as_ref().or(e.nom.as_ref()) else { continue };
                    let now: Vec<String> = former
                        .iter()
                        .filter_map(|c| c.rattachement)
                        .filter_map(|code| communes::table().commune(code))
                        .map(|c| format!("{} (code INSEE {})", of_commune(c.nom), c.insee))
                        .collect();
                    let msg = format!(
                        "« {} » est une ancienne commune ({}), qui n’existe plus comme telle",
                        name.unwrap_or(at.value.as_str()),
                        former.first().map_or("commune déléguée", |c| c.kind.label())
                    );
                    let hint = match now.first() {
                        Some(now) => format!("elle fait aujourd’hui partie {now} : indiquez cette commune"),
                        None => "indiquez la commune actuelle".to_string(),
                    };
                    // A former code with every value written is taken as written.
                    if e.insee.is_some() && t.communes.iter().any(|c| c.insee.value == at.value) {
                        self.warn("M084", f, at, msg, hint);
                    } else {
                        self.error(if e.insee.is_some() { "M084" } else { "M083" }, f, at, msg, hint);
                    }
                }
                Lookup::Ambiguous(several) => {
                    let Some(at) = &e.nom else { continue };
                    let list: Vec<String> = several.iter().map(|c| described(c)).collect();
                    self.error(
                        "M083",
                        f,
                        at,
                        format!("plusieurs communes s’appellent « {} »", at.value),
                        format!("ajoutez son code INSEE (« insee: … ») : {}", list.join(", ")),
                    );
                }
                Lookup::UnknownName(closest) => {
                    let Some(at) = &e.nom else { continue };
                    let hint = if closest.is_empty() {
                        "vérifiez l’orthographe, ou indiquez le code INSEE de la commune (« insee: … »)".to_string()
                    } else {
                        let list: Vec<String> = closest.iter().map(|c| described(c)).collect();
                        format!(
                            "communes au nom proche : {} ; ou indiquez son code INSEE (« insee: … »)",
                            list.join(", ")
                        )
                    };
                    self.error(
                        "M083",
                        f,
                        at,
                        format!("aucune commune « {} » dans le Code officiel géographique {}", at.value, vintage.cog),
                        hint,
                    );
                }
                Lookup::UnknownCode => {
                    let Some(code) = &e.insee else { continue };
                    if ids::insee_commune(&code.value).is_err() {
                        continue; // M030, below.
                    }
                    let mut missing = Vec::new();
                    if e.nom.is_none() {
                        missing.push("nom");
                    }
                    if e.codes_postaux.is_empty() {
                        missing.push("codes_postaux");
                    }
                    if e.population.is_none() {
                        missing.push("population");
                    }
                    let msg = format!(
                        "le code INSEE « {} » n’est pas dans le Code officiel géographique {}",
                        code.value, vintage.cog
                    );
                    if missing.is_empty() {
                        self.warn(
                            "M084",
                            f,
                            code,
                            msg,
                            "vérifiez le code ; les valeurs écrites ici sont utilisées telles quelles",
                        );
                    } else {
                        self.error(
                            "M084",
                            f,
                            code,
                            msg,
                            format!(
                                "corrigez le code (ce n’est pas le code postal), ou écrivez vous-même {}",
                                missing.join(", ")
                            ),
                        );
                    }
                }
                Lookup::Nothing => self.error(
                    "M014",
                    f,
                    &w.entry,
                    "une commune du territoire n’a ni code INSEE ni nom",
                    "écrivez « insee: … » (le code de la commune) ou « nom: … »",
                ),
            }
        }
        if let Some(year) = &t.annee_population
            && t.communes.iter().all(|c| c.official.is_some_and(|o| o.population.map(u64::from) == Some(c.population)))
            && t.population_year() != Some(year.value)
            && let Some(official) = t.population_year()
        {
            self.warn(
                "M085",
                f,
                year,
                format!(
                    "les populations sont celles de la table officielle (populations légales {official}), pas de {}",
                    year.value
                ),
                "retirez « annee_population » : l’année affichée est celle de la table officielle",
            );
        }
    }

    /// Warns where a commune found in the official table is written with other values (M082):
    /// what the file says is used.
    fn official_differences(&mut self, f: &str, e: &CommuneEntry, o: &communes::Commune) {
        let vintage = communes::table().vintage();
        if let Some(nom) = &e.nom {
            let written = nom.value.trim();
            if communes::name_key(written) != communes::name_key(o.nom) {
                let by_code = e
                    .insee
                    .as_ref()
                    .map_or(String::new(), |c| format!("le code INSEE {} est celui {}, ", c.value, of_commune(o.nom)));
                self.warn(
                    "M082",
                    f,
                    nom,
                    format!("{by_code}pas de « {written} »"),
                    "vérifiez le code et le nom : c’est le nom écrit ici qui est affiché, les autres valeurs manquantes viennent du code",
                );
            } else if written != o.nom {
                self.warn(
                    "M082",
                    f,
                    nom,
                    format!("orthographe officielle : « {} »", o.nom),
                    "c’est le nom écrit ici qui est affiché et qui donne l’adresse de la page de la commune ; recopiez l’orthographe officielle, ou retirez la clé « nom »",
                );
            }
        }
        if let (Some(first), Some(_)) = (e.codes_postaux.first(), o.codes_postaux().next()) {
            let mut written: Vec<&str> = e.codes_postaux.iter().map(|p| p.value.trim()).collect();
            let mut official: Vec<&str> = o.codes_postaux().collect();
            written.sort_unstable();
            official.sort_unstable();
            if written != official {
                self.warn(
                    "M082",
                    f,
                    first,
                    format!("codes postaux {} selon la table officielle : {}", of_commune(o.nom), official.join(", ")),
                    "ce sont les codes écrits ici qui sont utilisés ; retirez « codes_postaux » pour prendre ceux de la table",
                );
            }
        }
        if let (Some(p), Some(official)) = (&e.population, o.population)
            && p.value != u64::from(official)
        {
            let year = if o.departement() == "976" { vintage.population_mayotte } else { vintage.population };
            self.warn(
                "M082",
                f,
                p,
                format!(
                    "population légale {year} {} : {} habitants (table officielle), et non {}",
                    of_commune(o.nom),
                    grouped(u64::from(official)),
                    grouped(p.value)
                ),
                "c’est la valeur écrite ici qui est utilisée (taille ACI comprise) ; retirez « population » pour prendre la population officielle",
            );
        }
    }

    pub(super) fn contacts(&mut self) {
        let Some(contacts) = &self.site.contacts else { return };
        let f = contacts.file.as_str();
        for cat in &contacts.data.categories {
            for n in &cat.numeros {
                self.phone(f, &n.numero);
                self.url(f, &n.lien);
                for other in &n.autres_numeros {
                    self.phone_value(f, &other.numero);
                }
                for other in &n.autres_liens {
                    self.url(f, &Some(other.lien.clone()));
                }
                if n.numero.is_none() && n.lien.is_none() && n.autres_numeros.is_empty() && n.autres_liens.is_empty() {
                    self.error(
                        "M059",
                        f,
                        &n.nom,
                        format!("« {} » n’a ni numéro ni lien", n.nom.value),
                        "ajoutez « numero: … » ou « lien: https://… » (ou les deux)",
                    );
                }
            }
        }
    }

    pub(super) fn resources(&mut self) {
        let site = self.site;
        let themes: Vec<&str> = site.cpts.data.thematiques.iter().map(|t| t.id.value.as_str()).collect();
        for r in &site.resources {
            let f = r.file.as_str();
            self.slug(f, &r.slug);
            for t in &r.data.thematiques {
                if !themes.contains(&t.value.as_str()) {
                    let hint = match closest_match(&t.value, &themes) {
                        Some(best) => format!("vouliez-vous dire « {best} » ?"),
                        None => "déclarez la thématique sous « thematiques » dans content/cpts.yaml".to_string(),
                    };
                    self.error("M052", f, t, format!("thématique « {} » inconnue", t.value), hint);
                }
            }
            self.phone(f, &r.data.telephone);
            self.email(f, &r.data.courriel);
            self.url(f, &r.data.lien);
            if let Some(l) = &r.data.lieu {
                self.lieu(f, l);
            }
        }
    }

    pub(super) fn documents(&mut self) {
        let site = self.site;
        let mut described = HashSet::new();
        for doc in &site.documents {
            let f = doc.file.as_str();
            self.slug(f, &doc.slug);
            let file = &doc.data.fichier;
            if site.assets.iter().any(|a| a.is_document && a.within == file.value) {
                described.insert(file.value.as_str());
            } else {
                self.error(
                    "M056",
                    f,
                    file,
                    format!("fichier introuvable : content/documents/{}", file.value),
                    "placez le fichier à côté de sa fiche, dans content/documents/",
                );
            }
            let public = &doc.data.public;
            if !vocab::is_term(vocab::AUDIENCES, &public.value) {
                self.error(
                    "M051",
                    f,
                    public,
                    format!("public « {} » inconnu", public.value),
                    format!("valeurs possibles : {}", vocab::term_keys(vocab::AUDIENCES)),
                );
            }
        }
        for a in site.assets.iter().filter(|a| a.is_document) {
            // A description that exists but could not be read (same name, error already given)
            // is not reported missing.
            let stem = a.within.rsplit_once('.').map_or(a.within.as_str(), |(stem, _)| stem);
            if !described.contains(a.within.as_str()) && !site.is_undecoded(SourceKind::DocumentSidecar, stem) {
                self.out.push(
                    Diagnostic::warning("M049", &a.file, 0, 0, "document sans fiche descriptive : il n’est pas publié")
                        .with_hint("ajoutez à côté un fichier .yaml avec titre, description, fichier et public"),
                );
            }
        }
    }
}

/// A commune as a hint lists it: `Le Luc (83073, Var)`.
fn described(c: &communes::Commune) -> String {
    let dep = communes::table().departement(c.departement()).map_or(c.departement(), |d| d.nom);
    format!("{} ({}, {dep})", c.nom, c.insee)
}
