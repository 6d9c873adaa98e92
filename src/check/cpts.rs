//! The CPTS's own files: `cpts.yaml` (association, territory, governance, missions, site),
//! `contacts.yaml`, resources and documents.

use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::domain::ids;
use crate::domain::text::is_valid_slug;
use crate::model::vocab;
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
        self.email(f, &Some(d.contact.courriel.clone()));
        self.phone_value(f, &d.hebergeur.telephone);
        self.url(f, &Some(d.site.url.clone()));
        if d.territoire.communes.is_empty() {
            self.out.push(
                Diagnostic::error("M047", f, 0, 0, "le territoire ne compte aucune commune")
                    .with_hint("listez les communes sous territoire.communes"),
            );
        }
        let mut seen = HashSet::new();
        for c in &d.territoire.communes {
            if let Err(e) = ids::insee_commune(&c.insee.value) {
                self.error("M030", f, &c.insee, format!("code INSEE « {} » invalide", c.insee.value), e);
            }
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
        }
        self.image(f, &d.site.image);
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

    pub(super) fn contacts(&mut self) {
        let Some(contacts) = &self.site.contacts else { return };
        let f = contacts.file.as_str();
        for cat in &contacts.data.categories {
            for n in &cat.numeros {
                self.phone_value(f, &n.numero);
                self.url(f, &n.lien);
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
