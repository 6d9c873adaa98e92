//! What is published with dates: actions and their sessions, offers, internships and installation
//! texts, news and free pages.

use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::model::vocab;
use crate::source::closest_match;

/// The earliest year of birth that can be right.
const FIRST_BIRTH_YEAR: i32 = 1900;

impl<'a> Checker<'a> {
    pub(super) fn actions(&mut self) {
        let site = self.site;
        for a in &site.actions {
            let f = a.file.as_str();
            let d = &a.data;
            self.slug(f, &a.slug);
            self.mission_key(f, &d.mission);
            for r in &d.referents {
                self.member_ref(f, r);
            }
            for doc in &d.documents {
                self.document_ref(f, doc);
            }
            self.image(f, &d.image);
            if d.seances.is_empty() {
                self.out.push(
                    Diagnostic::error("M057", f, 1, 1, "aucune séance")
                        .with_hint("ajoutez au moins une séance sous « seances: » (date, lieu, commune)"),
                );
            }
            for s in &d.seances {
                self.commune(f, &s.commune);
                if let Some(end) = &s.date_fin {
                    self.date_range(f, &s.date, end, "la séance");
                }
                if let (Some(start), Some(end)) = (&s.debut, &s.fin)
                    && end.value <= start.value
                    && s.date_fin.is_none()
                {
                    self.error(
                        "M060",
                        f,
                        end,
                        "l’heure de fin précède l’heure de début",
                        "vérifiez les heures (format 24 h : 14:30)",
                    );
                }
                self.url(f, &s.lien);
                self.far_date(f, &s.date);
                if !s.gratuit && s.prix.is_none() {
                    let (line, col) = s.date.pos();
                    self.out.push(
                        Diagnostic::warning("M058", f, line, col, "séance payante sans prix")
                            .with_hint("indiquez le prix avec « prix: … », ou « gratuit: true »"),
                    );
                }
            }
        }
    }

    pub(super) fn offers(&mut self) {
        let site = self.site;
        let kinds: Vec<&str> = vocab::OFFER_KINDS.iter().map(|t| t.key).collect();
        for o in &site.offers {
            let f = o.file.as_str();
            let d = &o.data;
            self.slug(f, &o.slug);
            if !vocab::is_term(vocab::OFFER_KINDS, &d.kind.value) {
                self.unknown_key(f, &d.kind, "catégorie d’offre", &kinds);
            }
            if vocab::profession(&d.profession.value).is_none() {
                let keys: Vec<&str> = vocab::PROFESSIONS.iter().map(|p| p.key).collect();
                self.unknown_key(f, &d.profession, "profession", &keys);
            }
            if d.communes.is_empty() {
                self.out.push(
                    Diagnostic::error("M057", f, 1, 1, "aucune commune")
                        .with_hint("indiquez où se situe l’offre sous « communes: » (codes INSEE)"),
                );
            }
            for c in &d.communes {
                self.commune(f, c);
            }
            self.date_range(f, &d.date_publication, &d.valide_jusqu_au, "l’offre");
            if let (Some(start), Some(end)) = (&d.debut, &d.fin) {
                self.date_range(f, start, end, "la période");
            }
            self.far_date(f, &d.valide_jusqu_au);
            if let Some(m) = &d.maitre_de_stage {
                self.member_ref(f, m);
            }
            let c = &d.contact;
            if let Some(m) = &c.membre {
                self.member_ref(f, m);
            }
            self.phone(f, &c.telephone);
            self.email(f, &c.courriel);
            self.url(f, &c.lien);
            // A contact member without consent is not published: it does not count as a way to apply.
            // One whose file could not be read is not judged: its own error stops the build.
            let published_member = c.membre.as_ref().and_then(|m| site.member(&m.value)).is_some_and(|m| m.data.publie);
            let unreadable_member =
                c.membre.as_ref().is_some_and(|m| site.is_undecoded(crate::source::SourceKind::Member, &m.value));
            if !published_member
                && !unreadable_member
                && c.telephone.is_none()
                && c.courriel.is_none()
                && c.lien.is_none()
            {
                self.out.push(
                    Diagnostic::error("M059", f, 1, 1, "l’offre n’indique aucun moyen de contact")
                        .with_hint("ajoutez sous « contact: » un téléphone, un courriel, un lien ou un membre"),
                );
            }
        }
    }

    /// Recruiting data (M200–M203): reference densities, years of birth, supervisors.
    pub(super) fn recruiting(&mut self) {
        let site = self.site;
        let f = site.cpts.file.as_str();
        if let Some(refs) = site.cpts.data.installation.as_ref().and_then(|i| i.densites_reference.as_ref()) {
            let keys: Vec<&str> = vocab::PROFESSIONS.iter().map(|p| p.key).collect();
            for (key, value) in &refs.valeurs.value {
                if vocab::profession(key).is_none() {
                    let hint = match closest_match(key, &keys) {
                        Some(best) => {
                            format!("vouliez-vous dire « {best} » ? Les clés sont celles des professions de l’annuaire")
                        }
                        None => format!("clés possibles : {}", keys.join(", ")),
                    };
                    self.error(
                        "M200",
                        f,
                        &refs.valeurs,
                        format!("densité de référence pour une profession inconnue « {key} »"),
                        hint,
                    );
                }
                if !value.is_finite() || *value <= 0.0 || *value > 1000.0 {
                    self.error(
                        "M201",
                        f,
                        &refs.valeurs,
                        format!("densité de référence invalide pour « {key} » : {value}"),
                        "indiquez un nombre de professionnels pour 10 000 habitants, par exemple 8.4",
                    );
                }
            }
        }
        // A year of birth is wrong if it can never be right (before 1900, or a professional under
        // 18): an error. One that makes a professional over 100 years old was right once, and
        // time passing must not break a build: a warning.
        let year = i32::from(self.today.year());
        for m in &site.members {
            let Some(y) = &m.data.annee_naissance else { continue };
            let born = i32::from(y.value);
            if !(FIRST_BIRTH_YEAR..=year - 18).contains(&born) {
                self.error(
                    "M202",
                    &m.file,
                    y,
                    format!("année de naissance invraisemblable : {born}"),
                    format!("écrivez l’année sur quatre chiffres, entre {FIRST_BIRTH_YEAR} et {}", year - 18),
                );
            } else if year - born > 100 {
                self.warn(
                    "M202",
                    &m.file,
                    y,
                    format!("année de naissance {born} : ce professionnel aurait {} ans", year - born),
                    "vérifiez l’année, ou retirez la fiche d’un professionnel qui n’exerce plus",
                );
            }
        }
        for o in &site.offers {
            if let Some(s) = &o.data.maitre_de_stage
                && let Some(m) = site.member(&s.value)
                && m.data.publie
                && !m.data.maitre_de_stage
            {
                self.warn(
                    "M203",
                    &o.file,
                    s,
                    format!("« {} » n’est pas déclaré maître de stage", s.value),
                    format!(
                        "ajoutez « maitre_de_stage: true » dans {} pour qu’il figure sur la page des stages",
                        m.file
                    ),
                );
            }
        }
    }

    pub(super) fn news_and_pages(&mut self) {
        let site = self.site;
        for n in &site.news {
            self.slug(&n.file, &n.slug);
            self.image(&n.file, &n.data.image);
            self.far_date(&n.file, &n.data.date);
        }
        for p in &site.pages {
            self.slug(&p.file, &p.slug);
            self.image(&p.file, &p.data.image);
            if let Some(e) = &p.data.espace
                && !vocab::is_term(vocab::AUDIENCES, &e.value)
            {
                self.error(
                    "M051",
                    &p.file,
                    e,
                    format!("espace « {} » inconnu", e.value),
                    format!("valeurs possibles : {}", vocab::term_keys(vocab::AUDIENCES)),
                );
            }
        }
    }
}
