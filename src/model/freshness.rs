//! Facts that go stale: which facts of a member change often, when each was last confirmed,
//! and whether it may still be published as current on a given day (the `fraicheur` rules of
//! cpts.yaml). Check warns on stale facts, render shows them « à confirmer » and never counts
//! them, the review round lists them: all from [`assess`].

use super::cpts::Fraicheur;
use super::member::MemberFile;
use jiff::ToSpan;
use jiff::civil::Date;

/// A volatile fact: one that changes faster than the rest of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// `accepte_nouveaux_patients`.
    AccepteNouveauxPatients,
    /// `soins_non_programmes`.
    SoinsNonProgrammes,
    /// `teleconsultation`.
    Teleconsultation,
    /// `langues`.
    Langues,
    /// `telephone` of a place.
    Telephone,
    /// `horaires` of a place.
    Horaires,
}

impl Fact {
    /// Every volatile fact, in the order they are listed to members.
    pub const ALL: [Fact; 6] = [
        Fact::AccepteNouveauxPatients,
        Fact::SoinsNonProgrammes,
        Fact::Teleconsultation,
        Fact::Langues,
        Fact::Telephone,
        Fact::Horaires,
    ];

    /// The key of the fact in content files (and in `fraicheur`).
    pub fn key(self) -> &'static str {
        match self {
            Fact::AccepteNouveauxPatients => "accepte_nouveaux_patients",
            Fact::SoinsNonProgrammes => "soins_non_programmes",
            Fact::Teleconsultation => "teleconsultation",
            Fact::Langues => "langues",
            Fact::Telephone => "telephone",
            Fact::Horaires => "horaires",
        }
    }

    /// What the fact is about, in French, for lists and messages (« les horaires »).
    pub fn label(self) -> &'static str {
        match self {
            Fact::AccepteNouveauxPatients => "l’accueil de nouveaux patients",
            Fact::SoinsNonProgrammes => "la participation aux soins non programmés",
            Fact::Teleconsultation => "la téléconsultation",
            Fact::Langues => "les langues parlées",
            Fact::Telephone => "le téléphone",
            Fact::Horaires => "les horaires",
        }
    }

    /// How many months the fact stays current after a confirmation.
    pub fn months(self, rules: &Fraicheur) -> u16 {
        match self {
            Fact::AccepteNouveauxPatients => rules.accepte_nouveaux_patients.value,
            Fact::SoinsNonProgrammes => rules.soins_non_programmes.value,
            Fact::Teleconsultation => rules.teleconsultation.value,
            Fact::Langues => rules.langues.value,
            Fact::Telephone => rules.telephone.value,
            Fact::Horaires => rules.horaires.value,
        }
    }

    /// Whether the fact belongs to a place (`lieux`) rather than to the member.
    pub fn of_place(self) -> bool {
        matches!(self, Fact::Telephone | Fact::Horaires)
    }
}

/// One fact a member's file states, with its last confirmation and its state on the day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatedFact {
    /// Which fact.
    pub fact: Fact,
    /// The place it belongs to (index in `lieux`), for a phone or hours.
    pub place: Option<usize>,
    /// When it was last confirmed; `None` when nothing dates it.
    pub confirmed: Option<Date>,
    /// Past its limit (or undated, unless the CPTS counts undated facts as current): published
    /// as « à confirmer », never as current, and counted as unknown.
    pub stale: bool,
    /// Line of the fact in its file.
    pub line: u32,
    /// Column of the fact in its line.
    pub column: u32,
}

/// Every volatile fact a member's file states, assessed for one day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Assessed {
    /// In the order of [`Fact::ALL`], places in file order.
    pub facts: Vec<DatedFact>,
}

impl Assessed {
    /// The assessment of `fact` (of the place `place` for a phone or hours), when the file states
    /// it.
    pub fn get(&self, fact: Fact, place: Option<usize>) -> Option<&DatedFact> {
        self.facts.iter().find(|f| f.fact == fact && f.place == place)
    }

    /// Whether `fact` is stated and stale.
    pub fn is_stale(&self, fact: Fact, place: Option<usize>) -> bool {
        self.get(fact, place).is_some_and(|f| f.stale)
    }

    /// The stale facts, in order.
    pub fn stale(&self) -> impl Iterator<Item = &DatedFact> {
        self.facts.iter().filter(|f| f.stale)
    }

    /// The oldest confirmation among the stale facts (`None` first: never confirmed), for
    /// ordering whom to contact first.
    pub fn oldest_stale(&self) -> Option<Option<Date>> {
        self.stale().map(|f| f.confirmed).min()
    }
}

/// The last day `confirmed` is current for a fact that stays so `months` months.
pub fn current_until(confirmed: Date, months: u16) -> Date {
    confirmed.checked_add(i64::from(months).months()).unwrap_or(Date::MAX)
}

/// Assesses every volatile fact `m` states for `today` under `rules`. A fact was last confirmed
/// on the latest of the member's date (`verifie_le`: the whole entry) and its own
/// (`verifications`, or its place's `lieux[].verifie_le` for a phone or hours): confirming the
/// whole entry confirms every fact in it.
pub fn assess(m: &MemberFile, rules: &Fraicheur, today: Date) -> Assessed {
    let member_date = m.verifie_le.as_ref().map(|d| d.value);
    let v = &m.verifications;
    let undated_current = rules.undated_is_current();
    let dated = |fact: Fact, place: Option<usize>, own: Option<Date>, (line, column): (u32, u32)| {
        let confirmed = own.max(member_date);
        let stale = match confirmed {
            Some(d) => today > current_until(d, fact.months(rules)),
            None => !undated_current,
        };
        DatedFact { fact, place, confirmed, stale, line, column }
    };
    let mut facts = Vec::new();
    let own = |d: &Option<super::S<Date>>| d.as_ref().map(|d| d.value);
    if let Some(x) = &m.accepte_nouveaux_patients {
        facts.push(dated(Fact::AccepteNouveauxPatients, None, own(&v.accepte_nouveaux_patients), x.pos()));
    }
    if let Some(x) = &m.soins_non_programmes {
        facts.push(dated(Fact::SoinsNonProgrammes, None, own(&v.soins_non_programmes), x.pos()));
    }
    if let Some(x) = &m.teleconsultation {
        facts.push(dated(Fact::Teleconsultation, None, own(&v.teleconsultation), x.pos()));
    }
    if let Some(x) = &m.langues {
        facts.push(dated(Fact::Langues, None, own(&v.langues), x.pos()));
    }
    for fact in [Fact::Telephone, Fact::Horaires] {
        for (i, l) in m.lieux.iter().enumerate() {
            let value = if fact == Fact::Telephone { l.telephone.as_ref() } else { l.horaires.as_ref() };
            if let Some(x) = value {
                facts.push(dated(fact, Some(i), own(&l.verifie_le), x.pos()));
            }
        }
    }
    Assessed { facts }
}

/// The latest date the file gives for any confirmation (the entry's, a place's or a fact's).
pub fn last_confirmation(m: &MemberFile) -> Option<Date> {
    let v = &m.verifications;
    [&m.verifie_le, &v.accepte_nouveaux_patients, &v.soins_non_programmes, &v.teleconsultation, &v.langues]
        .into_iter()
        .chain(m.lieux.iter().map(|l| &l.verifie_le))
        .filter_map(|d| d.as_ref().map(|d| d.value))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn member(yaml: &str) -> MemberFile {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const BASE: &str = "prenom: A\nnom: B\nprofession: infirmier\nlieux:\n  - adresse: 1 rue A\n    code_postal: \"83340\"\n    commune: \"83073\"\n    telephone: \"04 94 00 00 01\"\n    horaires: Lundi\npublie: true\naccepte_nouveaux_patients: true\nlangues: [arabe]\n";

    #[test]
    fn three_months_for_new_patients_twelve_for_the_phone() {
        let m = member(&format!("{BASE}verifie_le: 2026-08-15\n"));
        let a = assess(&m, &Fraicheur::default(), date(2026, 11, 15));
        assert!(!a.is_stale(Fact::AccepteNouveauxPatients, None), "le dernier jour compte encore");
        let a = assess(&m, &Fraicheur::default(), date(2026, 11, 16));
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
        let a = assess(&m, &Fraicheur::default(), date(2026, 12, 6));
        assert!(!a.is_stale(Fact::AccepteNouveauxPatients, None));
        assert!(!a.is_stale(Fact::Telephone, Some(0)));
        assert!(a.is_stale(Fact::Langues, None));
        assert_eq!(last_confirmation(&m), Some(date(2026, 11, 1)));
    }

    #[test]
    fn undated_facts_are_stale_unless_the_cpts_says_otherwise() {
        let m = member(BASE);
        let a = assess(&m, &Fraicheur::default(), date(2026, 12, 6));
        assert_eq!(a.stale().count(), 4, "nouveaux patients, langues, téléphone, horaires");
        assert_eq!(a.oldest_stale(), Some(None));
        let rules = Fraicheur {
            sans_date: Some(crate::model::S { value: "a_jour".into(), line: 0, column: 0 }),
            ..Fraicheur::default()
        };
        assert_eq!(assess(&m, &rules, date(2026, 12, 6)).stale().count(), 0);
    }
}
