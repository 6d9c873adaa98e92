//! The [`Checker`] every rule writes its findings to, and the checks of single values that every
//! kind of record uses: identifiers, phones, addresses, communes, references to members and
//! documents, images, coordinates, places, file names, dates.

use crate::diagnostic::Diagnostic;
use crate::domain::geo::Bounds;
use crate::domain::ids;
use crate::domain::text::{is_valid_slug, of_commune, slugify};
use crate::model::{Commune, Image, Lieu, S, Site, vocab};
use crate::source::{SourceKind, closest_match};
use jiff::civil::Date;

/// The site being checked, the day it is checked for, and the diagnostics found so far.
pub(super) struct Checker<'a> {
    pub(super) site: &'a Site,
    pub(super) today: Date,
    pub(super) out: Vec<Diagnostic>,
    /// The box around the territory's communes, for plausible coordinates.
    pub(super) bounds: Option<Bounds>,
}

impl<'a> Checker<'a> {
    #[inline]
    pub(super) fn error<T>(
        &mut self,
        code: &'static str,
        file: &str,
        at: &S<T>,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (line, col) = at.pos();
        self.out.push(Diagnostic::error(code, file, line, col, msg).with_hint(hint));
    }

    #[inline]
    pub(super) fn warn<T>(
        &mut self,
        code: &'static str,
        file: &str,
        at: &S<T>,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (line, col) = at.pos();
        self.out.push(Diagnostic::warning(code, file, line, col, msg).with_hint(hint));
    }

    #[inline]
    pub(super) fn id(
        &mut self,
        file: &str,
        value: &Option<S<String>>,
        check: fn(&str) -> Result<(), ids::IdError>,
        what: &str,
    ) {
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

    #[inline]
    pub(super) fn phone(&mut self, file: &str, value: &Option<S<String>>) {
        if let Some(v) = value {
            self.phone_value(file, v);
        }
    }

    #[inline]
    pub(super) fn phone_value(&mut self, file: &str, v: &S<String>) {
        if let Err(e) = ids::phone(&v.value) {
            self.error("M031", file, v, format!("numéro de téléphone « {} » invalide", v.value), e);
        }
    }

    #[inline]
    pub(super) fn email(&mut self, file: &str, value: &Option<S<String>>) {
        if let Some(v) = value
            && let Err(e) = ids::email(&v.value)
        {
            self.error("M032", file, v, format!("adresse électronique « {} » invalide", v.value), e);
        }
    }

    #[inline]
    pub(super) fn url(&mut self, file: &str, value: &Option<S<String>>) {
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

    #[inline]
    pub(super) fn commune(&mut self, file: &str, insee: &S<String>) -> Option<&'a Commune> {
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

    #[inline]
    pub(super) fn member_ref(&mut self, file: &str, slug: &S<String>) {
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
            // The member's file exists but could not be read: its own error says so, once.
            None if self.site.is_undecoded(SourceKind::Member, &slug.value) => {}
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

    #[inline]
    pub(super) fn document_ref(&mut self, file: &str, slug: &S<String>) {
        let exists = self.site.documents.iter().any(|d| d.slug == slug.value)
            || self.site.is_undecoded(SourceKind::DocumentSidecar, &slug.value);
        if !exists {
            self.error(
                "M056",
                file,
                slug,
                format!("aucun document « {} »", slug.value),
                "indiquez le nom de la fiche du document dans content/documents/, sans « .yaml »",
            );
        }
    }

    #[inline]
    pub(super) fn mission_key(&mut self, file: &str, mission: &Option<S<String>>) {
        if let Some(m) = mission
            && vocab::mission(&m.value).is_none()
        {
            let keys: Vec<&str> = vocab::MISSIONS.iter().map(|m| m.key).collect();
            self.unknown_key(file, m, "mission", &keys);
        }
    }

    #[inline]
    pub(super) fn unknown_key(&mut self, file: &str, at: &S<String>, what: &str, keys: &[&str]) {
        let hint = match closest_match(&at.value, keys) {
            Some(best) => format!("vouliez-vous dire « {best} » ?"),
            None => format!("valeurs possibles : {}", keys.join(", ")),
        };
        self.error("M052", file, at, format!("{what} « {} » inconnue", at.value), hint);
    }

    /// A partner's logo: an image whose alternative text is optional (the partner's name is
    /// always written next to it).
    #[inline]
    pub(super) fn logo(&mut self, file: &str, image: &Option<Image>) {
        if let Some(img) = image {
            self.image(file, Some(&Image { decorative: true, ..img.clone() }));
        }
    }

    #[inline]
    pub(super) fn image(&mut self, file: &str, image: Option<&Image>) {
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

    #[inline]
    pub(super) fn coordinates(&mut self, file: &str, at: &S<[f64; 2]>) {
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

    #[inline]
    pub(super) fn lieu(&mut self, file: &str, lieu: &Lieu) {
        let elsewhere = lieu.hors_territoire && self.site.commune(&lieu.commune.value).is_none();
        if elsewhere {
            self.lieu_elsewhere(file, lieu);
        } else if let Some(c) = self.commune(file, &lieu.commune) {
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
                    format!("le code postal {cp} n’est pas celui {}", of_commune(&c.nom)),
                    format!("codes postaux {} : {}", of_commune(&c.nom), known.join(", ")),
                );
            }
        }
        if let Some(co) = lieu.coordonnees.as_ref().filter(|_| !elsewhere) {
            self.coordinates(file, co);
        }
        self.phone(file, &lieu.telephone);
        self.email(file, &lieu.courriel);
        self.url(file, &lieu.prise_rdv);
    }

    /// A place outside the territory (`hors_territoire`, a member shared with another CPTS of a
    /// region): any current commune of the official table, one of its postcodes; its
    /// coordinates are not compared with the territory.
    fn lieu_elsewhere(&mut self, file: &str, lieu: &Lieu) {
        let code = &lieu.commune;
        match crate::domain::communes::table().commune(code.value.trim()).filter(|c| c.kind.is_current()) {
            None => self.error(
                "M040",
                file,
                code,
                format!("la commune « {} » est inconnue", code.value),
                "indiquez le code INSEE à 5 caractères d’une commune actuelle (ce n’est pas le code postal)",
            ),
            Some(c) => {
                let cp = lieu.code_postal.value.trim();
                if !c.codes_postaux().any(|p| p == cp) {
                    let known: Vec<&str> = c.codes_postaux().collect();
                    self.error(
                        "M046",
                        file,
                        &lieu.code_postal,
                        format!("le code postal {cp} n’est pas celui {}", of_commune(c.nom)),
                        format!("codes postaux {} : {}", of_commune(c.nom), known.join(", ")),
                    );
                }
            }
        }
    }

    #[inline]
    pub(super) fn slug(&mut self, file: &str, slug: &str) {
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

    #[inline]
    pub(super) fn date_range(&mut self, file: &str, start: &S<Date>, end: &S<Date>, what: &str) {
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

    /// A date three years or more after today is likely a typo in the year. A date in the past is
    /// never reported: time passing archives what is past, it never makes a site wrong.
    #[inline]
    pub(super) fn far_date(&mut self, file: &str, d: &S<Date>) {
        let years = i32::from(d.value.year()) - i32::from(self.today.year());
        if years >= 3 {
            self.warn("M061", file, d, format!("date {} très éloignée d’aujourd’hui", d.value), "vérifiez l’année");
        }
    }
}
