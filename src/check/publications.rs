//! What is published with dates: actions and their sessions, offers, internships and installation
//! texts, news and free pages.

use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::model::{S, Salaire, json_schema, vocab};
use crate::source::closest_match;

/// The earliest year of birth that can be right.
const FIRST_BIRTH_YEAR: i32 = 1900;

/// The earliest year of installation a testimony can give.
const FIRST_SETTLING_YEAR: i16 = 1950;

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
            self.image(f, d.image.as_ref());
            for p in &d.partenaires {
                self.url(f, &p.lien);
                self.logo(f, &p.logo);
            }
            if let Some(public) = &d.public {
                self.public(f, public);
            }
            if d.seances.is_empty() && !d.permanente {
                self.out.push(
                    Diagnostic::error("M057", f, 1, 1, "aucune séance")
                        .with_hint("ajoutez au moins une séance sous « seances: » (date, lieu, commune), ou déclarez l’action permanente (« permanente: true »)"),
                );
            }
            for s in &d.seances {
                self.seance(f, s, d.permanente);
            }
        }
    }

    /// A session's commune: one of the territory; or, declared outside it, any current commune of
    /// the official table (M069).
    fn seance_commune(&mut self, f: &str, s: &crate::model::Seance) {
        let code = &s.commune;
        let official = crate::domain::communes::table().commune(&code.value);
        match (s.hors_territoire, self.site.commune(&code.value), official) {
            (false, Some(_), _) => {}
            (false, None, Some(o)) => self.error(
                "M040",
                f,
                code,
                format!("{} ({}) n’est pas dans le territoire", o.nom, o.insee),
                "si la séance a lieu hors du territoire (un hôpital voisin…), ajoutez « hors_territoire: true » à la séance ; la commune n’entre alors ni dans la population ni dans les chiffres du territoire",
            ),
            (false, None, None) => {
                self.commune(f, code);
            }
            (true, Some(c), _) => self.warn(
                "M069",
                f,
                code,
                format!("{} est une commune du territoire : la séance n’est pas hors du territoire", c.nom),
                "retirez « hors_territoire: true »",
            ),
            (true, None, Some(_)) => {}
            (true, None, None) => {
                let hint = if crate::domain::ids::insee_commune(&code.value).is_err() {
                    "indiquez le code INSEE à 5 caractères de la commune (ce n’est pas le code postal)".to_string()
                } else {
                    "vérifiez le code INSEE de la commune (ce n’est pas le code postal)".to_string()
                };
                self.error(
                    "M069",
                    f,
                    code,
                    format!("aucune commune « {} » dans le Code officiel géographique", code.value),
                    hint,
                );
            }
        }
    }

    /// Who an action is for: ages in order, known professions.
    fn public(&mut self, f: &str, p: &crate::model::Public) {
        for t in &p.ages {
            match (&t.min, &t.max) {
                (Some(a), Some(b)) if b.value < a.value => self.error(
                    "M060",
                    f,
                    b,
                    "l’âge maximal précède l’âge minimal",
                    "écrivez « min » puis « max », en années",
                ),
                (None, None) => self.out.push(
                    Diagnostic::error("M014", f, 0, 0, "une tranche d’âge n’a ni « min » ni « max »")
                        .with_hint("écrivez « min: 50 », « max: 74 », ou les deux"),
                ),
                _ => {}
            }
        }
        let keys: Vec<&str> = vocab::PROFESSIONS.iter().map(|p| p.key).collect();
        for k in &p.professions {
            if vocab::profession(&k.value).is_none() {
                self.unknown_key(f, k, "profession", &keys);
            }
        }
    }

    /// One session: its date (none only in a permanent action), its commune (in the territory,
    /// or anywhere in France when held outside it), its hours, price and places.
    fn seance(&mut self, f: &str, s: &crate::model::Seance, permanent: bool) {
        self.seance_commune(f, s);
        match &s.date {
            Some(day) => {
                if let Some(end) = &s.date_fin {
                    self.date_range(f, day, end, "la séance");
                }
                self.far_date(f, day);
            }
            None if !permanent => self.error(
                "M057",
                f,
                &s.commune,
                "séance sans date",
                "indiquez sa date (« date: 2026-10-03 »), ou déclarez l’action permanente (« permanente: true ») ; « horaires » dit alors quand elle a lieu",
            ),
            None => {
                if let Some(end) = &s.date_fin {
                    self.error("M068", f, end, "date de fin sans date de début", "ajoutez « date: … », ou retirez « date_fin »");
                }
            }
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
        // A session is placed by its date, else its commune.
        let (line, col) = s.date.as_ref().map_or(s.commune.pos(), S::pos);
        if s.gratuit == Some(false) && s.prix.is_none() {
            self.out.push(
                Diagnostic::warning("M058", f, line, col, "séance payante sans prix")
                    .with_hint("indiquez le prix avec « prix: … », ou « gratuit: true »"),
            );
        }
        if s.gratuit == Some(true)
            && let Some(price) = &s.prix
        {
            self.out.push(
                Diagnostic::error("M068", f, line, col, format!("séance gratuite avec un prix (« {price} »)"))
                    .with_hint("retirez « gratuit: true » si la séance est payante, ou « prix » si elle est gratuite"),
            );
        }
        if let (Some(total), Some(left)) = (&s.places, &s.places_restantes)
            && left.value > total.value
        {
            self.error(
                "M068",
                f,
                left,
                format!("{} places restantes pour {} places en tout", left.value, total.value),
                "les places restantes ne dépassent pas le nombre de places",
            );
        }
        if s.complet
            && let Some(left) = s.places_restantes.as_ref().filter(|l| l.value > 0)
        {
            self.error(
                "M068",
                f,
                left,
                format!("séance complète avec {} places restantes", left.value),
                "retirez « complet: true », ou passez « places_restantes » à 0",
            );
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
            if let Some(rank) = &d.priorite
                && !(1..=json_schema::PRIORITY_MAX).contains(&rank.value)
            {
                self.error(
                    "M204",
                    f,
                    rank,
                    format!("priorité {} hors des valeurs permises", rank.value),
                    format!(
                        "la priorité va de 1 (l’offre affichée en premier) à {} ; retirez « priorite » pour classer l’offre par date",
                        json_schema::PRIORITY_MAX
                    ),
                );
            }
            if let Some(salary) = &d.salaire {
                self.salary(f, salary);
            }
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

    /// An offer's `salaire` (M206): one amount or a range, never both, never zero, the range in
    /// order, and a period of the list.
    fn salary(&mut self, f: &str, at: &S<Salaire>) {
        let s = &at.value;
        if !vocab::is_term(vocab::SALARY_PERIODS, &s.periode.value) {
            self.unknown_key(
                f,
                &s.periode,
                "période de salaire",
                &vocab::SALARY_PERIODS.iter().map(|t| t.key).collect::<Vec<_>>(),
            );
        }
        for amount in [&s.montant, &s.minimum, &s.maximum].into_iter().flatten() {
            if amount.value == 0 {
                self.error(
                    "M206",
                    f,
                    amount,
                    "salaire de 0 €",
                    "indiquez le montant brut en euros (3200), ou retirez « salaire » si l’offre n’en annonce pas",
                );
            }
        }
        match (&s.montant, &s.minimum, &s.maximum) {
            (None, None, None) => self.error(
                "M206",
                f,
                at,
                "salaire sans montant",
                "indiquez « montant: » (un seul chiffre) ou « minimum: » et « maximum: » (une fourchette), en euros bruts",
            ),
            (Some(m), Some(_), _) | (Some(m), _, Some(_)) => self.error(
                "M206",
                f,
                m,
                "salaire donné à la fois par un montant et par une fourchette",
                "gardez « montant: » seul, ou « minimum: » et « maximum: » seuls",
            ),
            (None, Some(lo), Some(hi)) if lo.value > hi.value => self.error(
                "M206",
                f,
                lo,
                format!("fourchette de salaire à l’envers : minimum {} au-dessus du maximum {}", lo.value, hi.value),
                "échangez « minimum » et « maximum »",
            ),
            _ => {}
        }
    }

    /// What /s-installer/ says besides the figures (M205, M207, M208): the contact person, the
    /// aids and their amounts, the testimonies and the consent that publishes them.
    pub(super) fn installation(&mut self) {
        let site = self.site;
        let f = site.cpts.file.as_str();
        let Some(inst) = site.cpts.data.installation.as_ref() else { return };
        if let Some(c) = &inst.contact {
            self.phone(f, &c.telephone);
            self.email(f, &c.courriel);
        }
        for aid in &inst.aides {
            self.url(f, &aid.lien);
            match &aid.montant {
                Some(m) if m.value == 0 => self.error(
                    "M208",
                    f,
                    m,
                    format!("aide « {} » de 0 €", aid.titre),
                    "indiquez le montant en euros (50000), ou retirez « montant » s’il n’est pas connu",
                ),
                _ => {}
            }
        }
        let professions: Vec<&str> = vocab::PROFESSIONS.iter().map(|p| p.key).collect();
        let year = self.today.year();
        for t in &inst.temoignages {
            if !t.consented() {
                let (at, why) = match &t.consentement {
                    Some(c) => (c.pos(), "« consentement: false »"),
                    None => (t.nom.pos(), "pas de « consentement: true »"),
                };
                self.out.push(
                    Diagnostic::warning(
                        "M205",
                        f,
                        at.0,
                        at.1,
                        format!("le témoignage de {} n’est pas publié : {why}", t.nom.value.trim()),
                    )
                    .with_hint(
                        "un témoignage n’est publié qu’avec l’accord écrit de la personne : une fois cet accord reçu (et gardé), écrivez « consentement: true »",
                    ),
                );
            }
            if let Some(c) = &t.civilite
                && !vocab::is_term(vocab::CIVILITES, &c.value)
            {
                self.unknown_key(f, c, "civilité", &vocab::CIVILITES.iter().map(|t| t.key).collect::<Vec<_>>());
            }
            if vocab::profession(&t.profession.value).is_none() {
                self.unknown_key(f, &t.profession, "profession", &professions);
            }
            self.commune(f, &t.commune);
            let settled = t.annee_installation.value;
            if !(FIRST_SETTLING_YEAR..=year).contains(&settled) {
                self.error(
                    "M207",
                    f,
                    &t.annee_installation,
                    format!("année d’installation invraisemblable : {settled}"),
                    format!("écrivez l’année sur quatre chiffres, entre {FIRST_SETTLING_YEAR} et {year}"),
                );
            }
            if t.texte.value.trim().is_empty() {
                self.error(
                    "M207",
                    f,
                    &t.texte,
                    format!("le témoignage de {} est vide", t.nom.value.trim()),
                    "écrivez sous « texte: » quelques phrases dans les mots de la personne",
                );
            }
            // A photo of a person always says who it shows: it is never decorative.
            if let Some(photo) = &t.photo {
                self.image(f, Some(&crate::model::Image { decorative: true, ..photo.clone() }));
                if photo.alt.as_ref().is_none_or(|a| a.value.trim().is_empty()) {
                    self.error(
                        "M044",
                        f,
                        &photo.src,
                        "photo de témoignage sans texte alternatif",
                        format!(
                            "décrivez la photo avec « alt: … », par exemple « {} dans son cabinet » : une photo de personne n’est jamais décorative",
                            t.nom.value.trim()
                        ),
                    );
                }
            }
        }
    }

    /// Recruiting data (M200, M201, M203): reference densities, supervisors; years of birth are
    /// the members' own ([`Checker::member_birth_year`]).
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

    /// A member's year of birth (M202). Wrong if it can never be right (before 1900, or a
    /// professional under 18): an error. One that makes a professional over 100 years old was
    /// right once, and time passing must not break a build: a warning.
    pub(super) fn member_birth_year(&mut self, m: &crate::model::Member) {
        let year = i32::from(self.today.year());
        let Some(y) = &m.data.annee_naissance else { return };
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

    pub(super) fn news_and_pages(&mut self) {
        let site = self.site;
        for n in &site.news {
            self.slug(&n.file, &n.slug);
            self.image(&n.file, n.data.image.as_ref());
            self.far_date(&n.file, &n.data.date);
        }
        for p in &site.pages {
            self.slug(&p.file, &p.slug);
            self.image(&p.file, p.data.image.as_ref());
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
