//! `membres/*.yaml`: one health professional or structure each.

use super::common::{Image, Lieu, Releve, S};
use super::cpts::Fraicheur;
use super::freshness::{Assessed, DatedFact, Fact, current_until};
use super::json_schema;
use jiff::civil::Date;
use serde::Deserialize;

/// A member of the CPTS as written in its file.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Fiche de membre",
    description = "Un professionnel de santé ou une structure membre de la CPTS (content/membres/NOM.yaml). Une personne a une profession, une structure a une raison sociale."
)]
pub struct MemberFile {
    /// `M.` or `Mme` (people only, optional): chooses the masculine or feminine profession label;
    /// without it the profession's name is used (its masculine form, the name of the profession).
    #[serde(default)]
    #[schemars(title = "Civilité", description = "« M. » ou « Mme » (personnes seulement) : choisit le libellé masculin ou féminin de la profession.", transform = json_schema::civilite)]
    pub civilite: Option<S<String>>,
    /// `Dr` or `Pr`, shown before the name.
    #[serde(default)]
    #[schemars(title = "Titre", description = "« Dr » ou « Pr », affiché devant le nom.", transform = json_schema::titre)]
    pub titre: Option<S<String>>,
    /// First name (people only).
    #[serde(default)]
    #[schemars(title = "Prénom", description = "Prénom (personnes seulement).")]
    pub prenom: Option<String>,
    /// Last name (people only).
    #[serde(default)]
    #[schemars(title = "Nom", description = "Nom de famille (personnes seulement).")]
    pub nom: Option<String>,
    /// Name of a structure (structures only).
    #[serde(default)]
    #[schemars(title = "Raison sociale", description = "Nom de la structure (structures seulement).")]
    pub raison_sociale: Option<String>,
    /// Profession key, for a person (`medecin-generaliste`, `infirmier`…).
    #[serde(default)]
    #[schemars(title = "Profession", description = "Profession d’une personne (medecin-generaliste, infirmier…).", transform = json_schema::profession)]
    pub profession: Option<S<String>>,
    /// Structure key, for an establishment (`msp`, `pharmacie`, `ehpad`…).
    #[serde(default)]
    #[schemars(title = "Type de structure", description = "Type d’établissement, pour une structure (msp, pharmacie, ehpad…).", transform = json_schema::structure)]
    pub structure: Option<S<String>>,
    /// Specialty or particular practice ("Cardiologie", "Pédiatrie").
    #[serde(default)]
    #[schemars(
        title = "Spécialité",
        description = "Spécialité ou exercice particulier (« Cardiologie », « Pédiatrie »)."
    )]
    pub specialite: Option<String>,
    /// RPPS number (11 digits).
    #[serde(default)]
    #[schemars(title = "Numéro RPPS", description = "Numéro RPPS à 11 chiffres, entre guillemets.", transform = json_schema::rpps)]
    pub rpps: Option<S<String>>,
    /// ADELI number (9 digits).
    #[serde(default)]
    #[schemars(title = "Numéro ADELI", description = "Numéro ADELI à 9 chiffres, entre guillemets.", transform = json_schema::adeli)]
    pub adeli: Option<S<String>>,
    /// FINESS number (9 characters).
    #[serde(default)]
    #[schemars(title = "Numéro FINESS", description = "Numéro FINESS à 9 caractères (2A ou 2B en Corse), entre guillemets.", transform = json_schema::finess)]
    pub finess: Option<S<String>>,
    /// SIRET (14 digits).
    #[serde(default)]
    #[schemars(title = "Numéro SIRET", description = "Numéro SIRET à 14 chiffres, entre guillemets.", transform = json_schema::siret)]
    pub siret: Option<S<String>>,
    /// `liberal`, `salarie` or `mixte`.
    #[serde(default)]
    #[schemars(title = "Mode d’exercice", description = "liberal, salarie ou mixte.", transform = json_schema::exercice)]
    pub exercice: Option<S<String>>,
    /// Places of practice; at least one.
    #[schemars(title = "Lieux d’exercice", description = "Les lieux où le membre exerce ; au moins un.", transform = json_schema::at_least_one)]
    pub lieux: Vec<Lieu>,
    /// Accepts new patients as *médecin traitant* (or new patients in general); absent: not
    /// stated.
    #[serde(default)]
    #[schemars(
        title = "Accepte de nouveaux patients",
        description = "true s’il accepte de nouveaux patients (comme médecin traitant pour un médecin), false sinon ; absent : non renseigné."
    )]
    pub accepte_nouveaux_patients: Option<S<bool>>,
    /// Takes part in same-day care (*soins non programmés*); absent: not stated (never "no").
    #[serde(default)]
    #[schemars(
        title = "Soins non programmés",
        description = "true s’il participe aux soins non programmés (le jour même ou sous 24 h), false sinon ; absent : non renseigné."
    )]
    pub soins_non_programmes: Option<S<bool>>,
    /// Offers teleconsultation or telecare; absent: not stated (never "no").
    #[serde(default)]
    #[schemars(
        title = "Téléconsultation",
        description = "true s’il propose la téléconsultation ou le télésoin, false sinon ; absent : non renseigné."
    )]
    pub teleconsultation: Option<S<bool>>,
    /// Visits patients at home (absent: not stated). Many of the population the directory serves
    /// cannot travel: nurses, physiotherapists and doctors who come to them are what they look
    /// for first.
    #[serde(default)]
    #[schemars(
        title = "Visites à domicile",
        description = "true s’il se déplace au domicile des patients, false sinon ; absent : non renseigné."
    )]
    pub visites_domicile: Option<bool>,
    /// Languages spoken besides French; absent: not stated, `[]`: French only.
    #[serde(default)]
    #[schemars(
        title = "Langues parlées",
        description = "Langues parlées en plus du français ; [] : le français seulement ; absent : non renseigné."
    )]
    pub langues: Option<S<Vec<String>>>,
    /// Short presentation (Markdown).
    #[serde(default)]
    #[schemars(title = "Présentation", description = "Courte présentation (Markdown).", transform = json_schema::markdown)]
    pub presentation: Option<S<String>>,
    /// Portrait or façade.
    #[serde(default)]
    #[schemars(title = "Image", description = "Portrait ou façade.")]
    pub image: Option<Box<Image>>,
    /// Member pages of the people practising in this structure (structures only).
    #[serde(default)]
    #[schemars(title = "Membres de la structure", description = "Les fiches des personnes qui exercent dans cette structure (structures seulement), par nom de fiche.", transform = json_schema::member_ref)]
    pub membres: Vec<S<String>>,
    /// Hosts interns as *maître de stage*.
    #[serde(default)]
    #[schemars(title = "Maître de stage", description = "true s’il accueille des stagiaires comme maître de stage.")]
    pub maitre_de_stage: bool,
    /// Year of birth (people only, optional): only used, in aggregate, for the share of
    /// professionals aged 60 or more on `/s-installer/`; never shown on its own.
    #[serde(default)]
    #[schemars(
        title = "Année de naissance",
        description = "Année de naissance (personnes seulement, facultative) : sert seulement, en agrégé, à la part des professionnels de 60 ans ou plus sur /s-installer/ ; jamais affichée seule."
    )]
    pub annee_naissance: Option<S<i16>>,
    /// Consent to appear on the site. Nothing is published without `publie: true`.
    #[schemars(
        title = "Publié",
        description = "Accord pour paraître sur le site : rien n’est publié sans « publie: true »."
    )]
    pub publie: bool,
    /// When the member last confirmed the entry (accepting new patients, same-day care,
    /// teleconsultation, languages, and the phone and hours of every place that has no date of
    /// its own).
    #[serde(default)]
    #[schemars(
        title = "Vérifié le",
        description = "Date (AAAA-MM-JJ) à laquelle le membre a confirmé sa fiche : nouveaux patients, soins non programmés, téléconsultation, langues, et téléphone et horaires des lieux sans date propre. Au-delà des durées de « fraicheur » (cpts.yaml), ces informations sont affichées « à confirmer »."
    )]
    pub verifie_le: Option<S<Date>>,
    /// Dates of single facts confirmed on another day than the rest of the entry.
    #[serde(default)]
    #[schemars(
        title = "Vérifications par information",
        description = "Date de confirmation d’une seule information, quand elle diffère de « verifie_le » (par exemple « accepte_nouveaux_patients: 2026-11-20 »)."
    )]
    pub verifications: Verifications,
    /// Where an import took the member's facts from, when it filled them.
    #[serde(default)]
    #[schemars(
        title = "Relevé",
        description = "Écrit par « maillage import » quand il remplit des informations de la fiche (nouveaux patients, langues…) : la source, la date de l’extraction et celles qu’il a remplies. Ce n’est pas une confirmation par le membre."
    )]
    pub releve: Option<Box<Releve>>,
    /// What the freshness rules made of the file's dated facts; filled by
    /// [`super::Site::withhold_stale_facts`], empty until then.
    #[serde(skip)]
    #[schemars(skip)]
    pub assessed: Assessed,
}

/// Dates of single facts, when they differ from the member's `verifie_le`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Vérifications par information",
    description = "La date de confirmation de chaque information qui a la sienne (AAAA-MM-JJ)."
)]
pub struct Verifications {
    /// When accepting new patients was last confirmed.
    #[serde(default)]
    #[schemars(
        title = "Nouveaux patients vérifié le",
        description = "Date de confirmation de « accepte_nouveaux_patients »."
    )]
    pub accepte_nouveaux_patients: Option<S<Date>>,
    /// When same-day care was last confirmed.
    #[serde(default)]
    #[schemars(
        title = "Soins non programmés vérifié le",
        description = "Date de confirmation de « soins_non_programmes »."
    )]
    pub soins_non_programmes: Option<S<Date>>,
    /// When teleconsultation was last confirmed.
    #[serde(default)]
    #[schemars(title = "Téléconsultation vérifiée le", description = "Date de confirmation de « teleconsultation ».")]
    pub teleconsultation: Option<S<Date>>,
    /// When the languages were last confirmed.
    #[serde(default)]
    #[schemars(title = "Langues vérifiées le", description = "Date de confirmation de « langues ».")]
    pub langues: Option<S<Date>>,
}

impl MemberFile {
    /// Assesses every volatile fact the file states for `today` under `rules`. A fact was last
    /// confirmed on the latest of the member's date (`verifie_le`: the whole entry) and its own
    /// (`verifications`, or its place's `lieux[].verifie_le` for a phone or hours): confirming
    /// the whole entry confirms every fact in it.
    pub fn assess(&self, rules: &Fraicheur, today: Date) -> Assessed {
        let member_date = self.verifie_le.as_ref().map(|d| d.value);
        let v = &self.verifications;
        let undated_current = rules.undated_is_current();
        let dated = |fact: Fact,
                     place: Option<usize>,
                     own: &Option<S<Date>>,
                     releve: Option<&Releve>,
                     (line, column): (u32, u32)| {
            let confirmed = own.as_ref().map(|d| d.value).max(member_date);
            // A value an import brought is covered only by confirmations from the day of the
            // import; otherwise it is as old as its extract.
            let (confirmed, source) = match releve.filter(|r| r.covers(fact.key())) {
                Some(r) if confirmed.is_none_or(|c| c < r.importe_le.value) => {
                    (r.extrait_du.as_ref().map(|d| d.value.min(r.importe_le.value)), Some(Box::from(r.source.as_str())))
                }
                _ => (confirmed, None),
            };
            let stale = match confirmed {
                Some(d) => today > current_until(d, fact.months(rules)),
                None => !undated_current,
            };
            // A file holds far fewer than 4 billion places.
            let place = place.map(|p| u32::try_from(p).unwrap_or(u32::MAX));
            DatedFact { fact, place, confirmed, source, stale, line, column }
        };
        let mut facts = Vec::new();
        if let Some(x) = &self.accepte_nouveaux_patients {
            facts.push(dated(
                Fact::AccepteNouveauxPatients,
                None,
                &v.accepte_nouveaux_patients,
                self.releve.as_deref(),
                x.pos(),
            ));
        }
        if let Some(x) = &self.soins_non_programmes {
            facts.push(dated(Fact::SoinsNonProgrammes, None, &v.soins_non_programmes, self.releve.as_deref(), x.pos()));
        }
        if let Some(x) = &self.teleconsultation {
            facts.push(dated(Fact::Teleconsultation, None, &v.teleconsultation, self.releve.as_deref(), x.pos()));
        }
        if let Some(x) = &self.langues {
            facts.push(dated(Fact::Langues, None, &v.langues, self.releve.as_deref(), x.pos()));
        }
        for fact in [Fact::Telephone, Fact::Horaires] {
            for (i, l) in self.lieux.iter().enumerate() {
                let value = if fact == Fact::Telephone { l.telephone.as_ref() } else { l.horaires.as_ref() };
                if let Some(x) = value {
                    facts.push(dated(fact, Some(i), &l.verifie_le, l.releve.as_deref(), x.pos()));
                }
            }
        }
        // Kept with the member for the whole build: no room to spare.
        facts.shrink_to_fit();
        Assessed { facts }
    }

    /// The latest date the file gives for any confirmation (the entry's, a place's or a fact's).
    pub fn last_confirmation(&self) -> Option<Date> {
        let v = &self.verifications;
        [&self.verifie_le, &v.accepte_nouveaux_patients, &v.soins_non_programmes, &v.teleconsultation, &v.langues]
            .into_iter()
            .chain(self.lieux.iter().map(|l| &l.verifie_le))
            .filter_map(|d| d.as_ref().map(|d| d.value))
            .max()
    }
    /// Accepts new patients: `None` when not stated (or withheld as stale).
    pub fn accepts_new_patients(&self) -> Option<bool> {
        self.accepte_nouveaux_patients.as_ref().map(|v| v.value)
    }

    /// Takes part in same-day care: `None` when not stated (or withheld as stale).
    pub fn same_day_care(&self) -> Option<bool> {
        self.soins_non_programmes.as_ref().map(|v| v.value)
    }

    /// Offers teleconsultation: `None` when not stated (or withheld as stale).
    pub fn offers_teleconsultation(&self) -> Option<bool> {
        self.teleconsultation.as_ref().map(|v| v.value)
    }

    /// The languages besides French: `None` when not stated, empty for French only.
    pub fn languages(&self) -> Option<&[String]> {
        self.langues.as_ref().map(|l| l.value.as_slice())
    }

    /// The languages the file lists besides French, as filters count them: none when not
    /// stated, or when stale on the day the site is built for (see
    /// [`super::Site::withhold_stale_facts`]).
    pub fn langues_listed(&self) -> &[String] {
        if self.assessed.is_stale(Fact::Langues, None) {
            return &[];
        }
        self.languages().unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::freshness::Fact;
    use jiff::civil::date;

    fn member(yaml: &str) -> MemberFile {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const BASE: &str = "prenom: A\nnom: B\nprofession: infirmier\nlieux:\n  - adresse: 1 rue A\n    code_postal: \"83340\"\n    commune: \"83073\"\n    telephone: \"04 94 00 00 01\"\n    horaires: Lundi\npublie: true\naccepte_nouveaux_patients: true\nlangues: [arabe]\n";

    #[test]
    fn three_months_for_new_patients_twelve_for_the_phone() {
        let m = member(&format!("{BASE}verifie_le: 2026-08-15\n"));
        let a = m.assess(&Fraicheur::default(), date(2026, 11, 15));
        assert!(!a.is_stale(Fact::AccepteNouveauxPatients, None), "le dernier jour compte encore");
        let a = m.assess(&Fraicheur::default(), date(2026, 11, 16));
        assert!(a.is_stale(Fact::AccepteNouveauxPatients, None));
        assert!(!a.is_stale(Fact::Telephone, Some(0)));
        assert!(!a.is_stale(Fact::Langues, None));
        assert_eq!(a.get(Fact::AccepteNouveauxPatients, None).map(|f| f.line), Some(11));
        assert_eq!(a.oldest_stale(), Some(Some(date(2026, 8, 15))));
    }

    #[test]
    fn a_fact_or_a_place_may_carry_its_own_date() {
        let yaml = format!(
            "{}verifie_le: 2025-01-10\nverifications:\n  accepte_nouveaux_patients: 2026-11-01\n",
            BASE.replace("horaires: Lundi\n", "horaires: Lundi\n    verifie_le: 2026-10-01\n")
        );
        let m = member(&yaml);
        let a = m.assess(&Fraicheur::default(), date(2026, 12, 6));
        assert!(!a.is_stale(Fact::AccepteNouveauxPatients, None));
        assert!(!a.is_stale(Fact::Telephone, Some(0)));
        assert!(a.is_stale(Fact::Langues, None));
        assert_eq!(m.last_confirmation(), Some(date(2026, 11, 1)));
    }

    #[test]
    fn undated_facts_are_stale_unless_the_cpts_says_otherwise() {
        let m = member(BASE);
        let a = m.assess(&Fraicheur::default(), date(2026, 12, 6));
        assert_eq!(a.stale().count(), 4, "nouveaux patients, langues, téléphone, horaires");
        assert_eq!(a.oldest_stale(), Some(None));
        let rules =
            Fraicheur { sans_date: Some(S { value: "a_jour".into(), line: 0, column: 0 }), ..Fraicheur::default() };
        assert_eq!(m.assess(&rules, date(2026, 12, 6)).stale().count(), 0);
    }
}
