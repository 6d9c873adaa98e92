//! Facts that go stale: which facts of a member change often, when each was last confirmed,
//! and whether it may still be published as current on a given day (the `fraicheur` rules of
//! cpts.yaml). Check warns on stale facts, render shows them « à confirmer » and never counts
//! them, the review round lists them: all from [`super::MemberFile::assess`].

use super::common::S;
use super::cpts::Fraicheur;
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
        self.rule(rules).value
    }

    /// Its rule in `fraicheur`, with the place it is written at.
    pub fn rule(self, rules: &Fraicheur) -> &S<u16> {
        match self {
            Fact::AccepteNouveauxPatients => &rules.accepte_nouveaux_patients,
            Fact::SoinsNonProgrammes => &rules.soins_non_programmes,
            Fact::Teleconsultation => &rules.teleconsultation,
            Fact::Langues => &rules.langues,
            Fact::Telephone => &rules.telephone,
            Fact::Horaires => &rules.horaires,
        }
    }
}

/// One fact a member's file states, with its last confirmation and its state on the day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DatedFact {
    /// Which fact.
    pub fact: Fact,
    /// The place it belongs to (index in `lieux`), for a phone or hours: 4 bytes rather than 8,
    /// since a member's facts are kept for the whole build (some 60 000 at 10 000 members).
    pub place: Option<u32>,
    /// When it was last confirmed, or the date of the extract an import took it from; `None`
    /// when nothing dates it.
    pub confirmed: Option<Date>,
    /// The source an import took it from, when no confirmation by the member covers it since.
    pub source: Option<Box<str>>,
    /// Past its limit (or undated, unless the CPTS counts undated facts as current): published
    /// as « à confirmer », never as current, and counted as unknown.
    pub stale: bool,
    /// Line of the fact in its file.
    pub line: u32,
    /// Column of the fact in its line.
    pub column: u32,
}

impl DatedFact {
    /// The place it belongs to (index in `lieux`), for a phone or hours.
    pub fn place(&self) -> Option<usize> {
        self.place.map(|p| p as usize)
    }
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
        self.facts.iter().find(|f| f.fact == fact && f.place() == place)
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
