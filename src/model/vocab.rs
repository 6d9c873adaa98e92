//! Controlled vocabularies: professions, structures and ACI missions.
//!
//! Content files name these by a stable key (`medecin-generaliste`, `pharmacie`…), which is also
//! the URL segment of the matching directory page. Labels come in masculine, feminine and plural
//! forms so the site reads naturally ("Infirmière", "Infirmiers").

/// A health profession practised by an individual member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profession {
    /// Key used in content files and URLs.
    pub key: &'static str,
    /// Masculine singular label.
    pub masculine: &'static str,
    /// Feminine singular label.
    pub feminine: &'static str,
    /// Plural label, used for list headings (masculine: the plural of a group that counts a
    /// man, or of the profession in general).
    pub plural: &'static str,
    /// Plural label of a group made only of women (« Infirmières »).
    pub plural_feminine: &'static str,
    /// schema.org type for structured data.
    pub schema_type: &'static str,
}

/// All professions, in the order the directory lists them.
pub const PROFESSIONS: &[Profession] = &[
    p(
        "medecin-generaliste",
        "Médecin généraliste",
        "Médecin généraliste",
        "Médecins généralistes",
        "Médecins généralistes",
        "Physician",
    ),
    p(
        "medecin-specialiste",
        "Médecin spécialiste",
        "Médecin spécialiste",
        "Médecins spécialistes",
        "Médecins spécialistes",
        "Physician",
    ),
    p(
        "chirurgien-dentiste",
        "Chirurgien-dentiste",
        "Chirurgienne-dentiste",
        "Chirurgiens-dentistes",
        "Chirurgiennes-dentistes",
        "Dentist",
    ),
    p("sage-femme", "Sage-femme", "Sage-femme", "Sages-femmes", "Sages-femmes", "MedicalBusiness"),
    p("pharmacien", "Pharmacien", "Pharmacienne", "Pharmaciens", "Pharmaciennes", "MedicalBusiness"),
    p("infirmier", "Infirmier", "Infirmière", "Infirmiers", "Infirmières", "MedicalBusiness"),
    p(
        "infirmier-pratique-avancee",
        "Infirmier en pratique avancée",
        "Infirmière en pratique avancée",
        "Infirmiers en pratique avancée",
        "Infirmières en pratique avancée",
        "MedicalBusiness",
    ),
    p(
        "masseur-kinesitherapeute",
        "Masseur-kinésithérapeute",
        "Masseuse-kinésithérapeute",
        "Masseurs-kinésithérapeutes",
        "Masseuses-kinésithérapeutes",
        "MedicalBusiness",
    ),
    p("orthophoniste", "Orthophoniste", "Orthophoniste", "Orthophonistes", "Orthophonistes", "MedicalBusiness"),
    p("orthoptiste", "Orthoptiste", "Orthoptiste", "Orthoptistes", "Orthoptistes", "MedicalBusiness"),
    p(
        "pedicure-podologue",
        "Pédicure-podologue",
        "Pédicure-podologue",
        "Pédicures-podologues",
        "Pédicures-podologues",
        "MedicalBusiness",
    ),
    p("dieteticien", "Diététicien", "Diététicienne", "Diététiciens", "Diététiciennes", "MedicalBusiness"),
    p("ergotherapeute", "Ergothérapeute", "Ergothérapeute", "Ergothérapeutes", "Ergothérapeutes", "MedicalBusiness"),
    p(
        "psychomotricien",
        "Psychomotricien",
        "Psychomotricienne",
        "Psychomotriciens",
        "Psychomotriciennes",
        "MedicalBusiness",
    ),
    p("psychologue", "Psychologue", "Psychologue", "Psychologues", "Psychologues", "MedicalBusiness"),
    p(
        "audioprothesiste",
        "Audioprothésiste",
        "Audioprothésiste",
        "Audioprothésistes",
        "Audioprothésistes",
        "MedicalBusiness",
    ),
    p(
        "opticien-lunetier",
        "Opticien-lunetier",
        "Opticienne-lunetière",
        "Opticiens-lunetiers",
        "Opticiennes-lunetières",
        "Optician",
    ),
    p("biologiste", "Biologiste", "Biologiste", "Biologistes", "Biologistes", "MedicalBusiness"),
    p(
        "assistant-service-social",
        "Assistant de service social",
        "Assistante de service social",
        "Assistants de service social",
        "Assistantes de service social",
        "MedicalBusiness",
    ),
];

/// A kind of health or medico-social structure (a member that is not a person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StructureKind {
    /// Key used in content files and URLs.
    pub key: &'static str,
    /// Singular label.
    pub label: &'static str,
    /// Plural label.
    pub plural: &'static str,
    /// schema.org type for structured data.
    pub schema_type: &'static str,
}

/// All structure kinds, in the order the directory lists them.
pub const STRUCTURES: &[StructureKind] = &[
    s("msp", "Maison de santé pluriprofessionnelle", "Maisons de santé pluriprofessionnelles", "MedicalClinic"),
    s("centre-de-sante", "Centre de santé", "Centres de santé", "MedicalClinic"),
    s("pharmacie", "Pharmacie", "Pharmacies", "Pharmacy"),
    s("laboratoire", "Laboratoire de biologie médicale", "Laboratoires de biologie médicale", "DiagnosticLab"),
    s("centre-hospitalier", "Centre hospitalier", "Centres hospitaliers", "Hospital"),
    s("clinique", "Clinique", "Cliniques", "Hospital"),
    s("urgences", "Service d’urgences", "Services d’urgences", "EmergencyService"),
    s("ehpad", "EHPAD", "EHPAD", "MedicalOrganization"),
    s("had", "Hospitalisation à domicile (HAD)", "Hospitalisation à domicile (HAD)", "MedicalOrganization"),
    s(
        "ssiad",
        "Service de soins infirmiers à domicile (SSIAD)",
        "Services de soins infirmiers à domicile (SSIAD)",
        "MedicalOrganization",
    ),
    s("smr", "Soins médicaux et de réadaptation (SMR)", "Soins médicaux et de réadaptation (SMR)", "Hospital"),
    s("usld", "Unité de soins de longue durée (USLD)", "Unités de soins de longue durée (USLD)", "Hospital"),
    s("cmp", "Centre médico-psychologique (CMP)", "Centres médico-psychologiques (CMP)", "MedicalClinic"),
    s(
        "dac",
        "Dispositif d’appui à la coordination (DAC)",
        "Dispositifs d’appui à la coordination (DAC)",
        "MedicalOrganization",
    ),
];

/// An ACI mission of the CPTS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mission {
    /// Key used in content files.
    pub key: &'static str,
    /// Label shown to visitors.
    pub label: &'static str,
    /// Whether the mission belongs to the core (*socle*) of the ACI.
    pub core: bool,
}

/// The six ACI missions, in their official order.
pub const MISSIONS: &[Mission] = &[
    Mission { key: "acces-aux-soins", label: "Accès aux soins", core: true },
    Mission { key: "parcours", label: "Parcours pluriprofessionnels", core: true },
    Mission { key: "prevention", label: "Prévention", core: true },
    Mission { key: "crises-sanitaires", label: "Réponse aux crises sanitaires graves", core: true },
    Mission { key: "qualite-pertinence", label: "Qualité et pertinence des soins", core: false },
    Mission { key: "accompagnement-professionnels", label: "Accompagnement des professionnels de santé", core: false },
];

/// What an indicator of `indicateurs.yaml` may measure besides the missions: the life of the CPTS
/// itself (members, meetings), which the ACI funds as *fonctionnement*.
pub const OPERATIONS: Mission = Mission { key: "fonctionnement", label: "Fonctionnement de la CPTS", core: false };

/// What an indicator may measure: the six missions, then [`OPERATIONS`], in display order.
pub fn indicator_missions() -> impl Iterator<Item = &'static Mission> {
    MISSIONS.iter().chain(std::iter::once(&OPERATIONS))
}

/// Finds what an indicator measures by its key ([`indicator_missions`]).
pub fn indicator_mission(key: &str) -> Option<&'static Mission> {
    indicator_missions().find(|m| m.key == key)
}

/// A value of a small closed list that content files name by key (`liberal`, `stage`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// Key written in content files.
    pub key: &'static str,
    /// Label shown to coordinators (forms, schema) and visitors.
    pub label: &'static str,
}

const fn t(key: &'static str, label: &'static str) -> Term {
    Term { key, label }
}

/// `civilite` of a member: chooses the masculine or feminine label of the profession.
pub const CIVILITES: &[Term] = &[t("M.", "Monsieur"), t("Mme", "Madame")];

/// `titre` of a member, shown before the name.
pub const TITRES: &[Term] = &[t("Dr", "Docteur"), t("Pr", "Professeur")];

/// `exercice` of a member: how they practise.
pub const EXERCICES: &[Term] =
    &[t("liberal", "Libéral"), t("salarie", "Salarié"), t("mixte", "Mixte (libéral et salarié)")];

/// `type` of an offer, in the order `/offres/` lists them.
pub const OFFER_KINDS: &[Term] = &[
    t("stage", "Stage"),
    t("installation", "Installation"),
    t("remplacement", "Remplacement"),
    t("collaboration", "Collaboration"),
    t("assistanat", "Assistanat"),
    t("salariat", "Poste salarié"),
];

/// `periode` of an offer's `salaire`, with the schema.org unit of each (`unitText`).
pub const SALARY_PERIODS: &[Term] = &[
    t("heure", "par heure"),
    t("jour", "par jour"),
    t("semaine", "par semaine"),
    t("mois", "par mois"),
    t("an", "par an"),
];

/// The schema.org `unitText` of a salary period key.
pub fn salary_unit(period: &str) -> Option<&'static str> {
    Some(match period {
        "heure" => "HOUR",
        "jour" => "DAY",
        "semaine" => "WEEK",
        "mois" => "MONTH",
        "an" => "YEAR",
        _ => return None,
    })
}

/// Who a page or a document is for (`espace` of a page, `public` of a document).
pub const AUDIENCES: &[Term] = &[t("population", "Population"), t("professionnels", "Professionnels de santé")];

/// Medical zoning of a commune (ARS): *zone d’intervention prioritaire*, *zone d’action
/// complémentaire*, or neither.
pub const ZONAGES: &[Term] = &[
    t("zip", "Zone d’intervention prioritaire (ZIP)"),
    t("zac", "Zone d’action complémentaire (ZAC)"),
    t("aucun", "Aucun zonage"),
];

/// RGAA compliance status of the site (accessibility statement).
pub const ACCESSIBILITY_STATUSES: &[Term] = &[
    t("non-conforme", "Non conforme"),
    t("partiellement-conforme", "Partiellement conforme"),
    t("totalement-conforme", "Totalement conforme"),
];

/// What a member's fact counts as when nothing dates it (`fraicheur.sans_date` of cpts.yaml).
pub const UNDATED_POLICIES: &[Term] = &[t("a_confirmer", "À confirmer"), t("a_jour", "À jour")];

/// Whether `key` is one of `terms`.
pub fn is_term(terms: &[Term], key: &str) -> bool {
    terms.iter().any(|t| t.key == key)
}

/// The keys of `terms`, comma-separated, for hints (`liberal, salarie, mixte`).
pub fn term_keys(terms: &[Term]) -> String {
    terms.iter().map(|t| t.key).collect::<Vec<_>>().join(", ")
}

/// Finds a profession by its key.
pub fn profession(key: &str) -> Option<&'static Profession> {
    PROFESSIONS.iter().find(|p| p.key == key)
}

/// Finds a structure kind by its key.
pub fn structure(key: &str) -> Option<&'static StructureKind> {
    STRUCTURES.iter().find(|s| s.key == key)
}

/// Finds a mission by its key.
pub fn mission(key: &str) -> Option<&'static Mission> {
    MISSIONS.iter().find(|m| m.key == key)
}

/// ACI size category of a CPTS and its maximum yearly funding per budget line (euros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct AciSize {
    /// 1 to 4.
    pub size: u8,
    /// Population range, as written in the ACI.
    pub range: &'static str,
    /// Operating costs (*fonctionnement*).
    pub fonctionnement: u32,
    /// Access to care.
    pub acces_aux_soins: u32,
    /// Care pathways.
    pub parcours: u32,
    /// Prevention.
    pub prevention: u32,
    /// Quality and relevance of care.
    pub qualite_pertinence: u32,
    /// Support of professionals (optional mission).
    pub accompagnement: u32,
    /// Total maximum.
    pub total: u32,
}

/// The ACI size of a territory, computed from its population (never asked of the coordinator).
pub fn aci_size(population: u64) -> AciSize {
    let row = |size, range, f, a, pa, pr, q, ac, t| AciSize {
        size,
        range,
        fonctionnement: f,
        acces_aux_soins: a,
        parcours: pa,
        prevention: pr,
        qualite_pertinence: q,
        accompagnement: ac,
        total: t,
    };
    match population {
        0..40_000 => row(1, "moins de 40 000 habitants", 50_000, 40_000, 50_000, 20_000, 15_000, 10_000, 185_000),
        40_000..80_000 => {
            row(2, "de 40 000 à 80 000 habitants", 60_000, 47_000, 70_000, 30_000, 20_000, 15_000, 242_000)
        }
        80_000..=175_000 => {
            row(3, "de 80 000 à 175 000 habitants", 75_000, 65_000, 90_000, 35_000, 30_000, 20_000, 315_000)
        }
        _ => row(4, "plus de 175 000 habitants", 90_000, 80_000, 100_000, 40_000, 40_000, 30_000, 380_000),
    }
}

const fn p(
    key: &'static str,
    masculine: &'static str,
    feminine: &'static str,
    plural: &'static str,
    plural_feminine: &'static str,
    schema_type: &'static str,
) -> Profession {
    Profession { key, masculine, feminine, plural, plural_feminine, schema_type }
}

const fn s(key: &'static str, label: &'static str, plural: &'static str, schema_type: &'static str) -> StructureKind {
    StructureKind { key, label, plural, schema_type }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aci_size_boundaries_follow_the_agreement() {
        assert_eq!(aci_size(39_999).size, 1);
        assert_eq!(aci_size(40_000).size, 2);
        assert_eq!(aci_size(79_999).size, 2);
        assert_eq!(aci_size(80_000).size, 3);
        assert_eq!(aci_size(175_000).size, 3);
        assert_eq!(aci_size(175_001).size, 4);
        assert_eq!(aci_size(60_000).total, 242_000);
    }

    #[test]
    fn keys_are_unique_and_url_safe() {
        let mut keys: Vec<&str> = PROFESSIONS.iter().map(|p| p.key).chain(STRUCTURES.iter().map(|s| s.key)).collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n);
        assert!(keys.iter().all(|k| k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
    }
}
