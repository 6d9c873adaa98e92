//! `maillage relances`: the coordinator's review round. Whom to contact, oldest confirmation
//! first, with phone, e-mail and exactly which published facts are to be confirmed — on screen,
//! as CSV, and as one short French message per member listing every published volatile fact to
//! confirm or correct. The editor (`/_edition/relances`) shows the same list, from [`round`].

use crate::model::freshness::Fact;
use crate::model::{Member, Site};
use crate::render::text::{capitalize, typo};
use crate::render::views::{FactDate, display_name, kind_label};
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use std::fmt::Write as _;

/// A published fact of a member, as the member would read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Which fact.
    pub fact: Fact,
    /// The place it belongs to, as the member knows it (« Cabinet du Luc », or the address).
    pub place: Option<String>,
    /// The fact in words, addressed to the member (« vous acceptez de nouveaux patients »,
    /// « téléphone (Cabinet du Luc) : 04 94 12 34 56 »).
    pub says: String,
    /// Its last confirmation.
    pub confirmed: Option<Date>,
    /// Past its limit.
    pub stale: bool,
    /// « dernière confirmation en mars 2026 », « jamais confirmé »…, as the site says it.
    pub when: String,
}

impl Published {
    /// What is to be confirmed, for a list: « le téléphone (Cabinet du Luc) ».
    pub fn what(&self) -> String {
        match &self.place {
            Some(p) => format!("{} ({p})", self.fact.label()),
            None => self.fact.label().to_string(),
        }
    }
}

/// A member to contact.
#[derive(Debug, Clone)]
pub struct Reminder {
    /// Identifier (file name without `.yaml`).
    pub slug: String,
    /// The member's file, relative to the site root.
    pub file: String,
    /// Display name (« Dr Claire Martin »).
    pub name: String,
    /// Profession or structure label.
    pub kind: String,
    /// First phone of the member's places.
    pub phone: Option<String>,
    /// First e-mail of the member's places.
    pub email: Option<String>,
    /// The oldest confirmation among the stale facts (`None`: one was never confirmed).
    pub oldest: Option<Date>,
    /// Every volatile fact the site publishes about the member, stale ones included.
    pub facts: Vec<Published>,
    /// How to greet the member in a message (« Bonjour Docteur Martin, »).
    pub greeting: String,
    /// The member's page on the site.
    pub url: String,
}

impl Reminder {
    /// The stale facts.
    pub fn stale(&self) -> impl Iterator<Item = &Published> {
        self.facts.iter().filter(|f| f.stale)
    }
}

/// Every published member with a stale fact on `today`, oldest confirmation first (never
/// confirmed before everything), then by name.
pub fn round(site: &Site, today: Date) -> Vec<Reminder> {
    let urls = Urls::new(&site.cpts.data.site.url.value);
    let rules = &site.cpts.data.fraicheur;
    let mut list: Vec<(Option<Date>, String, Reminder)> = site
        .members
        .iter()
        .filter(|m| m.data.publie)
        .filter_map(|m| {
            let assessed = m.data.assess(rules, today);
            let oldest = assessed.oldest_stale()?;
            let facts = assessed
                .facts
                .iter()
                .map(|f| Published {
                    fact: f.fact,
                    place: f.place().map(|i| place_name(m, i)),
                    says: says(m, f.fact, f.place()),
                    confirmed: f.confirmed,
                    stale: f.stale,
                    when: FactDate::of(f).map_or_else(String::new, |n| n.texte()),
                })
                .collect();
            let reminder = Reminder {
                slug: m.slug.clone(),
                file: m.file.clone(),
                name: display_name(m),
                kind: kind_label(m),
                phone: m.data.lieux.iter().find_map(|l| l.telephone.as_ref()).map(|t| t.value.clone()),
                email: m.data.lieux.iter().find_map(|l| l.courriel.as_ref()).map(|c| c.value.clone()),
                oldest,
                facts,
                greeting: greeting(m),
                url: urls.absolute(&Route::Member(m.slug.clone())),
            };
            Some((oldest, crate::render::views::sort_name(m), reminder))
        })
        .collect();
    list.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    list.into_iter().map(|(_, _, r)| r).collect()
}

/// The place a phone or hours belong to, as the member knows it.
fn place_name(m: &Member, i: usize) -> String {
    m.data.lieux.get(i).map_or_else(String::new, |l| typo(l.nom.as_deref().unwrap_or(&l.adresse)))
}

/// A fact as the site publishes it, addressed to the member.
fn says(m: &Member, fact: Fact, place: Option<usize>) -> String {
    let d = &m.data;
    let yes_no = |v: Option<bool>, yes: &str, no: &str| if v == Some(true) { yes.to_string() } else { no.to_string() };
    let lieu = place.and_then(|i| d.lieux.get(i));
    match fact {
        Fact::AccepteNouveauxPatients => yes_no(
            d.accepts_new_patients(),
            "vous acceptez de nouveaux patients",
            "vous n’acceptez pas de nouveaux patients",
        ),
        Fact::SoinsNonProgrammes => yes_no(
            d.same_day_care(),
            "vous participez aux soins non programmés (rendez-vous dans la journée)",
            "vous ne participez pas aux soins non programmés",
        ),
        Fact::Teleconsultation => yes_no(
            d.offers_teleconsultation(),
            "vous proposez la téléconsultation",
            "vous ne proposez pas la téléconsultation",
        ),
        Fact::Langues => match d.languages() {
            Some([]) | None => "langues parlées : le français seulement".to_string(),
            Some(l) => format!("langues parlées : français, {}", l.join(", ")),
        },
        Fact::Telephone => format!(
            "téléphone ({}) : {}",
            place.map(|i| place_name(m, i)).unwrap_or_default(),
            lieu.and_then(|l| l.telephone.as_ref()).map_or("", |t| t.value.as_str())
        ),
        Fact::Horaires => format!(
            "horaires ({}) : {}",
            place.map(|i| place_name(m, i)).unwrap_or_default(),
            lieu.and_then(|l| l.horaires.as_ref()).map_or("", |h| h.value.as_str())
        ),
    }
}

/// « Bonjour Docteur Martin, », « Bonjour Madame Coste, », « Bonjour, » for a structure.
fn greeting(m: &Member) -> String {
    let d = &m.data;
    let nom = d.nom.as_deref().unwrap_or("");
    let who = match (d.titre.as_ref().map(|t| t.value.as_str()), d.civilite.as_ref().map(|c| c.value.as_str())) {
        _ if d.raison_sociale.is_some() || nom.is_empty() => String::new(),
        (Some("Dr"), _) => format!("Docteur {nom}"),
        (Some("Pr"), _) => format!("Professeur {nom}"),
        (_, Some("Mme")) => format!("Madame {nom}"),
        (_, Some("M.")) => format!("Monsieur {nom}"),
        _ => format!("{} {nom}", d.prenom.as_deref().unwrap_or("")).trim().to_string(),
    };
    if who.is_empty() { "Bonjour,".to_string() } else { format!("Bonjour {},", typo(&who)) }
}

/// The list on screen: one block per member.
pub fn screen(list: &[Reminder]) -> String {
    let mut o = String::new();
    if list.is_empty() {
        o.push_str("Aucune information à confirmer : toutes les fiches publiées sont à jour.\n");
        return o;
    }
    let n = list.len();
    let _ = writeln!(
        o,
        "{n} {} à joindre, les confirmations les plus anciennes d’abord :\n",
        if n > 1 { "membres" } else { "membre" }
    );
    for r in list {
        let _ = writeln!(o, "{} — {}", r.name, r.kind);
        let contact: Vec<&str> = [r.phone.as_deref(), r.email.as_deref()].into_iter().flatten().collect();
        let contact = if contact.is_empty() {
            "ni téléphone ni courriel dans la fiche".to_string()
        } else {
            contact.join(" · ")
        };
        let _ = writeln!(o, "  {contact}");
        let _ = writeln!(o, "  fiche : {}", r.file);
        for f in r.stale() {
            let _ = writeln!(o, "  à confirmer : {} ({})", f.what(), f.when);
        }
        o.push('\n');
    }
    o
}

/// The list as CSV (comma-separated, UTF-8, a header row), one row per member.
pub fn csv(list: &[Reminder]) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([
        "fiche",
        "nom",
        "profession",
        "telephone",
        "courriel",
        "plus_ancienne_confirmation",
        "a_confirmer",
        "cles",
    ]);
    for r in list {
        let what: Vec<String> = r.stale().map(|f| format!("{} ({})", f.what(), f.when)).collect();
        let keys: Vec<&str> = r.stale().map(|f| f.fact.key()).collect();
        let _ = w.write_record([
            r.file.as_str(),
            r.name.as_str(),
            r.kind.as_str(),
            r.phone.as_deref().unwrap_or(""),
            r.email.as_deref().unwrap_or(""),
            &r.oldest.map_or_else(String::new, |d| d.to_string()),
            &what.join(" ; "),
            &keys.join(";"),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// One short message for a member, ready to paste into an e-mail: every volatile fact the site
/// publishes, those to confirm first, and how to answer.
pub fn message(site: &Site, r: &Reminder) -> String {
    let cpts = &site.cpts.data;
    let nom = cpts.nom_court.as_deref().unwrap_or(&cpts.nom);
    let mut o = String::new();
    let _ = writeln!(o, "Objet : votre fiche sur le site de la {nom}, à confirmer\n");
    let _ = writeln!(o, "{}\n", r.greeting);
    let _ = writeln!(
        o,
        "La {nom} publie sur son site ({}) les informations ci-dessous. Pouvez-vous nous confirmer qu’elles sont toujours exactes, ou nous dire ce qui a changé ?\n",
        r.url
    );
    for f in r.stale() {
        let _ = writeln!(o, "- {} (à confirmer : {})", capitalize(&f.says), f.when);
    }
    for f in r.facts.iter().filter(|f| !f.stale) {
        let _ = writeln!(o, "- {}", capitalize(&f.says));
    }
    let _ = writeln!(
        o,
        "\nTant que nous n’avons pas votre réponse, les informations à confirmer restent affichées « à confirmer » sur le site."
    );
    let contact: Vec<String> =
        [Some(cpts.contact.courriel.value.clone()), cpts.contact.telephone.as_ref().map(|t| t.value.clone())]
            .into_iter()
            .flatten()
            .collect();
    let _ = writeln!(o, "\nMerci,\nLa {nom} — {}", contact.join(" — "));
    o.lines().map(|l| typo(l) + "\n").collect()
}

/// Every member's message, separated by a line of dashes.
pub fn messages(site: &Site, list: &[Reminder]) -> String {
    list.iter().map(|r| message(site, r)).collect::<Vec<_>>().join("\n----------------------------------------\n\n")
}

/// The site of `root` as the round reads it: every file decoded and assembled; the diagnostics
/// when it cannot be.
pub fn load(root: &std::path::Path) -> Result<Site, Vec<crate::diagnostic::Diagnostic>> {
    let (sources, mut diagnostics) = crate::source::load(root);
    let (site, parse) = crate::model::parse(sources);
    diagnostics.extend(parse);
    match site {
        Some(site) if !diagnostics.iter().any(crate::diagnostic::Diagnostic::is_error) => Ok(site),
        _ => {
            crate::diagnostic::sort(&mut diagnostics);
            Err(diagnostics)
        }
    }
}
