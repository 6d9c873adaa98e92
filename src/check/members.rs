//! Members: identity, profession or structure, identifiers, places, consent to publication.

use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::domain::ids;
use crate::model::vocab;
use std::collections::HashMap;

impl<'a> Checker<'a> {
    pub(super) fn members(&mut self) {
        let site = self.site;
        let mut rpps: HashMap<&str, &str> = HashMap::new();
        let mut adeli: HashMap<&str, &str> = HashMap::new();
        let mut finess: HashMap<&str, &str> = HashMap::new();
        let mut siret: HashMap<&str, &str> = HashMap::new();
        for m in &site.members {
            let f = m.file.as_str();
            let d = &m.data;
            self.slug(f, &m.slug);
            match (&d.profession, &d.structure) {
                (Some(p), None) => {
                    if vocab::profession(&p.value).is_none() {
                        let keys: Vec<&str> = vocab::PROFESSIONS.iter().map(|p| p.key).collect();
                        self.unknown_key(f, p, "profession", &keys);
                    }
                    if d.prenom.is_none() || d.nom.is_none() {
                        self.out.push(Diagnostic::error("M053", f, 1, 1, "un professionnel a un prénom et un nom").with_hint("ajoutez « prenom: … » et « nom: … »"));
                    }
                    // The civilité is optional: sources often leave it empty, and nothing is
                    // derived where they do not state it.
                    if let Some(c) = &d.civilite
                        && !vocab::is_term(vocab::CIVILITES, &c.value)
                    {
                        self.error("M053", f, c, format!("civilité « {} » inconnue", c.value), "écrivez « M. » ou « Mme », ou retirez la clé ; le titre de docteur va dans « titre: Dr »")
                    }
                }
                (None, Some(s)) => {
                    if vocab::structure(&s.value).is_none() {
                        let keys: Vec<&str> = vocab::STRUCTURES.iter().map(|s| s.key).collect();
                        self.unknown_key(f, s, "structure", &keys);
                    }
                    if d.raison_sociale.is_none() {
                        self.out.push(Diagnostic::error("M053", f, 1, 1, "une structure a une raison sociale").with_hint("ajoutez « raison_sociale: … »"));
                    }
                }
                (Some(_), Some(s)) => self.error("M053", f, s, "« profession » et « structure » à la fois", "une fiche décrit soit une personne (profession), soit une structure"),
                (None, None) => self.out.push(
                    Diagnostic::error("M053", f, 1, 1, "ni « profession » ni « structure »")
                        .with_hint("ajoutez « profession: medecin-generaliste » (une personne) ou « structure: pharmacie » (un établissement)"),
                ),
            }
            if let Some(t) = &d.titre
                && !vocab::is_term(vocab::TITRES, &t.value)
            {
                self.error(
                    "M053",
                    f,
                    t,
                    format!("titre « {} » inconnu", t.value),
                    "écrivez « Dr » ou « Pr », ou retirez la clé",
                );
            }
            if let Some(e) = &d.exercice
                && !vocab::is_term(vocab::EXERCICES, &e.value)
            {
                self.error(
                    "M051",
                    f,
                    e,
                    format!("mode d’exercice « {} » inconnu", e.value),
                    format!("valeurs possibles : {}", vocab::term_keys(vocab::EXERCICES)),
                );
            }
            self.id(f, &d.rpps, ids::rpps, "numéro RPPS");
            self.id(f, &d.adeli, ids::adeli, "numéro ADELI");
            self.id(f, &d.finess, ids::finess, "numéro FINESS");
            self.id(f, &d.siret, ids::siret, "numéro SIRET");
            let numbers = [
                (&mut rpps, &d.rpps, "RPPS"),
                (&mut adeli, &d.adeli, "ADELI"),
                (&mut finess, &d.finess, "FINESS"),
                (&mut siret, &d.siret, "SIRET"),
            ];
            for (map, value, what) in numbers {
                if let Some(v) = value
                    && let Some(other) = map.insert(v.value.trim(), m.slug.as_str())
                {
                    let (line, col) = v.pos();
                    self.out.push(
                            Diagnostic::error("M054", f, line, col, format!("le numéro {what} {} est déjà celui de « {other} »", v.value))
                                .with_hint("une personne ou une structure n’a qu’une fiche : fusionnez les deux, ses lieux d’exercice vont dans « lieux »"),
                        );
                }
            }
            if d.lieux.is_empty() {
                self.out.push(
                    Diagnostic::error("M055", f, 1, 1, "aucun lieu d’exercice")
                        .with_hint("ajoutez au moins un lieu sous « lieux: » (adresse, code postal, commune)"),
                );
            }
            for l in &d.lieux {
                self.lieu(f, l);
            }
            for s in &d.membres {
                self.member_ref(f, s);
            }
            self.image(f, &d.image);
        }
    }
}
