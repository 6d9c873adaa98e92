//! Check stage: identifiers, references between records, dates and publication rules.
//! Every problem is collected; errors stop the build, warnings do not.

use crate::diagnostic::Diagnostic;
use crate::domain::geo::{self, Bounds};
use crate::domain::ids;
use crate::domain::text::{is_valid_slug, slugify};
use crate::model::{Commune, Image, Lieu, S, Site, vocab};
use crate::source::closest_match;
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};

/// Runs every check on a parsed site. `today` anchors the date checks.
pub fn check(site: &Site, today: Date) -> Vec<Diagnostic> {
    let mut c = Checker {
        site,
        today,
        out: Vec::new(),
        bounds: Bounds::around(site.communes().iter().map(|c| c.centre.value)),
    };
    c.cpts();
    c.members();
    c.actions();
    c.offers();
    c.recruiting();
    c.news_and_pages();
    c.resources();
    c.documents();
    c.contacts();
    if let Some(geojson) = &site.communes_geojson
        && let Err(d) = geo::outlines(geojson, "content/communes.geojson")
    {
        c.out.push(d);
    }
    c.out
}

struct Checker<'a> {
    site: &'a Site,
    today: Date,
    out: Vec<Diagnostic>,
    bounds: Option<Bounds>,
}

/// Line and column (1-based) where a value is written.
pub(crate) fn pos<T>(s: &S<T>) -> (u32, u32) {
    (s.line, s.column)
}

impl<'a> Checker<'a> {
    fn error<T>(&mut self, code: &'static str, file: &str, at: &S<T>, msg: impl Into<String>, hint: impl Into<String>) {
        let (line, col) = pos(at);
        self.out.push(Diagnostic::error(code, file, line, col, msg).with_hint(hint));
    }

    fn warn<T>(&mut self, code: &'static str, file: &str, at: &S<T>, msg: impl Into<String>, hint: impl Into<String>) {
        let (line, col) = pos(at);
        self.out.push(Diagnostic::warning(code, file, line, col, msg).with_hint(hint));
    }

    fn id(&mut self, file: &str, value: &Option<S<String>>, check: fn(&str) -> Result<(), ids::IdError>, what: &str) {
        if let Some(v) = value
            && let Err(e) = check(v.value.trim())
        {
            self.error(
                "M030",
                file,
                v,
                format!("{what} « {} » invalide : {e}", v.value),
                "recopiez le numéro depuis le document officiel (sans espaces)",
            );
        }
    }

    fn phone(&mut self, file: &str, value: &Option<S<String>>) {
        if let Some(v) = value {
            self.phone_value(file, v);
        }
    }

    fn phone_value(&mut self, file: &str, v: &S<String>) {
        if let Err(e) = ids::phone(&v.value) {
            self.error("M031", file, v, format!("numéro de téléphone « {} » invalide", v.value), e);
        }
    }

    fn email(&mut self, file: &str, value: &Option<S<String>>) {
        if let Some(v) = value
            && let Err(e) = ids::email(&v.value)
        {
            self.error("M032", file, v, format!("adresse électronique « {} » invalide", v.value), e);
        }
    }

    fn url(&mut self, file: &str, value: &Option<S<String>>) {
        if let Some(v) = value {
            if let Err(e) = ids::url(&v.value) {
                self.error("M033", file, v, format!("adresse web « {} » invalide", v.value), e);
            } else if v.value.starts_with("http://") {
                self.warn(
                    "M034",
                    file,
                    v,
                    format!("adresse web non sécurisée « {} »", v.value),
                    "utilisez https:// si le site le permet",
                );
            }
        }
    }

    fn commune(&mut self, file: &str, insee: &S<String>) -> Option<&'a Commune> {
        let site = self.site;
        if let Some(c) = site.commune(&insee.value) {
            return Some(c);
        }
        let hint = match site.communes().iter().find(|c| c.nom.eq_ignore_ascii_case(insee.value.trim())) {
            Some(c) => format!("indiquez le code INSEE, pas le nom : « {} » pour {}", c.insee.value, c.nom),
            None if ids::insee_commune(&insee.value).is_err() => {
                "indiquez le code INSEE à 5 caractères d’une commune du territoire (voir content/cpts.yaml)".to_string()
            }
            None => "ajoutez la commune au territoire dans content/cpts.yaml, ou corrigez le code".to_string(),
        };
        self.error("M040", file, insee, format!("la commune « {} » n’est pas dans le territoire", insee.value), hint);
        None
    }

    fn member_ref(&mut self, file: &str, slug: &S<String>) {
        match self.site.member(&slug.value) {
            Some(m) if !m.data.publie => self.warn(
                "M042",
                file,
                slug,
                format!(
                    "le membre « {} » n’a pas donné son accord de publication : il n’apparaîtra pas ici",
                    slug.value
                ),
                "recueillez son accord puis passez « publie: true » dans sa fiche",
            ),
            Some(_) => {}
            None => {
                let names: Vec<&str> = self.site.members.iter().map(|m| m.slug.as_str()).collect();
                let hint = match closest_match(&slug.value, &names) {
                    Some(best) => format!("vouliez-vous dire « {best} » ?"),
                    None => "indiquez le nom du fichier du membre dans content/membres/, sans « .yaml »".to_string(),
                };
                self.error("M041", file, slug, format!("aucun membre « {} »", slug.value), hint);
            }
        }
    }

    fn image(&mut self, file: &str, image: &Option<Image>) {
        let Some(img) = image else { return };
        let exists = self.site.assets.iter().any(|a| !a.is_document && a.within == img.src.value);
        if !exists {
            let src = img.src.value.as_str();
            let hint = if src.starts_with(['/', '\\']) || src.split(['/', '\\']).any(|p| p == "..") || src.contains(':')
            {
                "le chemin part du dossier content/static/ : pas de « / » au début, ni de « .. », ni de lecteur (C:) ; par exemple « images/affiche.jpg »"
            } else {
                "placez l’image dans content/static/ et indiquez son chemin à partir de ce dossier"
            };
            self.error("M043", file, &img.src, format!("image introuvable : content/static/{src}"), hint);
        }
        let alt_empty = img.alt.as_ref().is_none_or(|a| a.value.trim().is_empty());
        if alt_empty && !img.decorative {
            self.error(
                "M044",
                file,
                &img.src,
                "image sans texte alternatif",
                "décrivez l’image avec « alt: … », ou déclarez « decorative: true » si elle n’apporte aucune information",
            );
        }
    }

    fn coordinates(&mut self, file: &str, at: &S<[f64; 2]>) {
        let [lat, lon] = at.value;
        let inside = self.bounds.as_ref().is_none_or(|b| b.contains(at.value));
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            self.error(
                "M045",
                file,
                at,
                "coordonnées impossibles",
                "écrivez [latitude, longitude] en degrés décimaux, par exemple [43.54, 6.46]",
            );
        } else if !inside {
            self.warn(
                "M045",
                file,
                at,
                format!("les coordonnées [{lat}, {lon}] sont loin du territoire"),
                "vérifiez l’ordre [latitude, longitude] et le signe des nombres",
            );
        }
    }

    fn lieu(&mut self, file: &str, lieu: &Lieu) {
        if let Some(c) = self.commune(file, &lieu.commune) {
            let cp = lieu.code_postal.value.trim();
            if ids::postal_code(cp).is_err() {
                self.error(
                    "M046",
                    file,
                    &lieu.code_postal,
                    format!("code postal « {cp} » invalide"),
                    "un code postal compte 5 chiffres",
                );
            } else if !c.codes_postaux.iter().any(|p| p.value == cp) {
                let known: Vec<&str> = c.codes_postaux.iter().map(|p| p.value.as_str()).collect();
                self.error(
                    "M046",
                    file,
                    &lieu.code_postal,
                    format!("le code postal {cp} ne correspond pas à {}", c.nom),
                    format!("codes postaux de {} : {}", c.nom, known.join(", ")),
                );
            }
        }
        if let Some(co) = &lieu.coordonnees {
            self.coordinates(file, co);
        }
        self.phone(file, &lieu.telephone);
        self.email(file, &lieu.courriel);
        self.url(file, &lieu.prise_rdv);
    }

    fn slug(&mut self, file: &str, slug: &str) {
        if !is_valid_slug(slug) {
            self.out.push(
                Diagnostic::error("M050", file, 0, 0, format!("nom de fichier « {slug} » impossible à publier"))
                    .with_hint(format!(
                        "le nom du fichier donne l’adresse de la page : minuscules sans accents, chiffres et tirets, par exemple « {} »",
                        slugify(slug)
                    )),
            );
        }
    }

    fn date_range(&mut self, file: &str, start: &S<Date>, end: &S<Date>, what: &str) {
        if end.value < start.value {
            self.error(
                "M060",
                file,
                end,
                format!("{what} se termine avant de commencer"),
                "vérifiez l’ordre des dates (année-mois-jour)",
            );
        }
    }

    fn far_date(&mut self, file: &str, d: &S<Date>) {
        let years = (d.value.year() as i32 - self.today.year() as i32).abs();
        if years >= 3 {
            self.warn("M061", file, d, format!("date {} très éloignée d’aujourd’hui", d.value), "vérifiez l’année");
        }
    }

    fn cpts(&mut self) {
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
            let [lat, lon] = c.centre.value;
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                self.error(
                    "M045",
                    f,
                    &c.centre,
                    "coordonnées impossibles",
                    "écrivez [latitude, longitude] en degrés décimaux",
                );
            }
            if let Some(z) = &c.zonage
                && !["zip", "zac", "aucun"].contains(&z.value.as_str())
            {
                self.error(
                    "M051",
                    f,
                    z,
                    format!("zonage « {} » inconnu", z.value),
                    "valeurs possibles : zip, zac, aucun",
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
        if !["non-conforme", "partiellement-conforme", "totalement-conforme"].contains(&statut.value.as_str()) {
            self.error(
                "M051",
                f,
                statut,
                format!("statut d’accessibilité « {} » inconnu", statut.value),
                "valeurs possibles : non-conforme, partiellement-conforme, totalement-conforme",
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

    fn unknown_key(&mut self, file: &str, at: &S<String>, what: &str, keys: &[&str]) {
        let hint = match closest_match(&at.value, keys) {
            Some(best) => format!("vouliez-vous dire « {best} » ?"),
            None => format!("valeurs possibles : {}", keys.join(", ")),
        };
        self.error("M052", file, at, format!("{what} « {} » inconnue", at.value), hint);
    }

    fn members(&mut self) {
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
                    match &d.civilite {
                        None => self.out.push(Diagnostic::error("M053", f, 1, 1, "la civilité manque").with_hint("ajoutez « civilite: Mme » ou « civilite: M. »")),
                        Some(c) if !["M.", "Mme"].contains(&c.value.as_str()) => {
                            self.error("M053", f, c, format!("civilité « {} » inconnue", c.value), "écrivez « M. » ou « Mme » ; le titre de docteur va dans « titre: Dr »")
                        }
                        _ => {}
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
                && !["Dr", "Pr"].contains(&t.value.as_str())
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
                && !["liberal", "salarie", "mixte"].contains(&e.value.as_str())
            {
                self.error(
                    "M051",
                    f,
                    e,
                    format!("mode d’exercice « {} » inconnu", e.value),
                    "valeurs possibles : liberal, salarie, mixte",
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
                    let (line, col) = pos(v);
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

    fn mission_key(&mut self, file: &str, mission: &Option<S<String>>) {
        if let Some(m) = mission
            && vocab::mission(&m.value).is_none()
        {
            let keys: Vec<&str> = vocab::MISSIONS.iter().map(|m| m.key).collect();
            self.unknown_key(file, m, "mission", &keys);
        }
    }

    fn document_ref(&mut self, file: &str, slug: &S<String>) {
        if !self.site.documents.iter().any(|d| d.slug == slug.value) {
            self.error(
                "M056",
                file,
                slug,
                format!("aucun document « {} »", slug.value),
                "indiquez le nom de la fiche du document dans content/documents/, sans « .yaml »",
            );
        }
    }

    fn actions(&mut self) {
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
                    let (line, col) = pos(&s.date);
                    self.out.push(
                        Diagnostic::warning("M058", f, line, col, "séance payante sans prix")
                            .with_hint("indiquez le prix avec « prix: … », ou « gratuit: true »"),
                    );
                }
            }
        }
    }

    fn offers(&mut self) {
        let site = self.site;
        const KINDS: &[&str] = &["stage", "installation", "remplacement", "collaboration", "assistanat", "salariat"];
        for o in &site.offers {
            let f = o.file.as_str();
            let d = &o.data;
            self.slug(f, &o.slug);
            if !KINDS.contains(&d.kind.value.as_str()) {
                self.unknown_key(f, &d.kind, "catégorie d’offre", KINDS);
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
            let published_member = c.membre.as_ref().and_then(|m| site.member(&m.value)).is_some_and(|m| m.data.publie);
            if !published_member && c.telephone.is_none() && c.courriel.is_none() && c.lien.is_none() {
                self.out.push(
                    Diagnostic::error("M059", f, 1, 1, "l’offre n’indique aucun moyen de contact")
                        .with_hint("ajoutez sous « contact: » un téléphone, un courriel, un lien ou un membre"),
                );
            }
        }
    }

    /// Recruiting data (M200–M203): reference densities, years of birth, supervisors.
    fn recruiting(&mut self) {
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
        let year = i32::from(self.today.year());
        for m in &site.members {
            if let Some(y) = &m.data.annee_naissance
                && !(year - 100..=year - 18).contains(&i32::from(y.value))
            {
                self.error(
                    "M202",
                    &m.file,
                    y,
                    format!("année de naissance invraisemblable : {}", y.value),
                    format!("écrivez l’année sur quatre chiffres, entre {} et {}", year - 100, year - 18),
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

    fn news_and_pages(&mut self) {
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
                && !["population", "professionnels"].contains(&e.value.as_str())
            {
                self.error(
                    "M051",
                    &p.file,
                    e,
                    format!("espace « {} » inconnu", e.value),
                    "valeurs possibles : population, professionnels",
                );
            }
        }
    }

    fn resources(&mut self) {
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

    fn documents(&mut self) {
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
            if !["population", "professionnels"].contains(&public.value.as_str()) {
                self.error(
                    "M051",
                    f,
                    public,
                    format!("public « {} » inconnu", public.value),
                    "valeurs possibles : population, professionnels",
                );
            }
        }
        for a in site.assets.iter().filter(|a| a.is_document) {
            if !described.contains(a.within.as_str()) {
                self.out.push(
                    Diagnostic::warning("M049", &a.file, 0, 0, "document sans fiche descriptive : il n’est pas publié")
                        .with_hint("ajoutez à côté un fichier .yaml avec titre, description, fichier et public"),
                );
            }
        }
    }

    fn contacts(&mut self) {
        let Some(contacts) = &self.site.contacts else { return };
        let f = contacts.file.as_str();
        for cat in &contacts.data.categories {
            for n in &cat.numeros {
                self.phone_value(f, &n.numero);
                self.url(f, &n.lien);
            }
        }
    }
}
