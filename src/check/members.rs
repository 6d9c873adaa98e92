//! Members: identity, profession or structure, identifiers, places, consent to publication.

use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::domain::ids;
use crate::model::{Member, S, vocab};
use std::collections::HashMap;

/// The numbers that identify a member, in the order its rules check them: RPPS, ADELI, FINESS,
/// SIRET, each trimmed.
pub(super) fn numbers(m: &Member) -> [Option<&str>; 4] {
    let d = &m.data;
    fn value(v: &Option<S<String>>) -> Option<&str> {
        v.as_ref().map(|v| v.value.trim())
    }
    [value(&d.rpps), value(&d.adeli), value(&d.finess), value(&d.siret)]
}

/// For each member in the site's order, the member before it holding each of its numbers: what
/// the duplicate rule (M054) reads of the others, found with one map per kind of number.
#[derive(Default)]
pub(super) struct Earlier<'a> {
    last: [HashMap<&'a str, &'a str>; 4],
}

impl<'a> Earlier<'a> {
    /// The slug of the last member given before `m` that holds each of its numbers; `m` is then
    /// the last one.
    pub(super) fn next(&mut self, m: &'a Member) -> [Option<&'a str>; 4] {
        let mut earlier = [None; 4];
        for ((map, value), slot) in self.last.iter_mut().zip(numbers(m)).zip(&mut earlier) {
            if let Some(v) = value {
                *slot = map.insert(v, m.slug.as_str());
            }
        }
        earlier
    }
}

impl<'a> Checker<'a> {
    /// The rules of one member's own file (M053, M030, M054, M055, places, references, image);
    /// `earlier` names, for each of its [`numbers`], the member before it in the site's order
    /// that holds it already.
    pub(super) fn member(&mut self, m: &Member, earlier: [Option<&str>; 4]) {
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
        let numbers = [(&d.rpps, "RPPS"), (&d.adeli, "ADELI"), (&d.finess, "FINESS"), (&d.siret, "SIRET")];
        for ((value, what), other) in numbers.into_iter().zip(earlier) {
            if let Some(v) = value
                && let Some(other) = other
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
        self.image(f, d.image.as_deref());
    }
}
