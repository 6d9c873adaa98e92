//! From what a coordinator types (commune names, INSEE codes, postcodes, an EPCI's name or SIREN
//! code, in any mix) to the communes of the official table.

use crate::domain::communes::{Commune, Epci, Kind, Table, name_key};
use crate::render::text::grouped;

/// How many close names a misspelling gets.
const SUGGESTIONS: usize = 6;

/// What one typed item stands for.
#[derive(Debug, Clone)]
pub enum Found<'t> {
    /// Communes to add (one, or an EPCI's members), with what to tell the coordinator about the
    /// reading (an EPCI expanded, a former commune replaced by its commune).
    Communes {
        /// The communes.
        communes: Vec<&'t Commune>,
        /// A sentence to show, in French.
        note: Option<String>,
    },
    /// Several communes could be meant: homonyms, a shared postcode, a misspelling.
    Choice {
        /// The question, in French.
        question: String,
        /// The candidates, best first.
        options: Vec<&'t Commune>,
        /// EPCIs whose names are close, offered after the communes.
        epcis: Vec<&'t Epci>,
    },
    /// Nothing in the table: why, in French.
    Unknown(String),
}

/// A commune as a coordinator recognises it: `Le Luc (83073, Var)`.
pub fn describe(table: &Table, c: &Commune) -> String {
    let dep = table.departement(c.departement()).map_or(c.departement(), |d| d.nom);
    match c.kind {
        Kind::Commune | Kind::Arrondissement => format!("{} ({}, {dep})", c.nom, c.insee),
        kind => format!("{} ({}, {}, {dep})", c.nom, c.insee, kind.label()),
    }
}

/// An EPCI as a coordinator recognises it: `CC Coeur du Var (SIREN 248300550, 11 communes)`.
pub fn describe_epci(table: &Table, e: &Epci) -> String {
    format!("{} (SIREN {}, {} communes)", e.nom, e.siren, table.members(e.siren).len())
}

/// Reads one typed item. `departement` (the one of the communes already chosen) decides
/// between homonyms and ranks close names.
pub fn resolve<'t>(table: &'t Table, item: &str, departement: Option<&str>) -> Found<'t> {
    let item = item.trim();
    let (name, dep_in_brackets) = split_departement(item);
    let departement = dep_in_brackets.or(departement);
    if item.len() == 9 && item.bytes().all(|b| b.is_ascii_digit()) {
        return epci_members(table, item)
            .unwrap_or_else(|| Found::Unknown(format!("aucune intercommunalité (EPCI) n’a le code SIREN « {item} »")));
    }
    if looks_like_code(item) {
        return by_code(table, item);
    }
    if looks_like_epci(name) {
        return by_epci_name(table, name);
    }
    let mut named: Vec<&Commune> = table.by_name(name);
    if let Some(dep) = dep_in_brackets {
        named.retain(|c| c.departement() == dep);
    }
    let current: Vec<&Commune> = named.iter().copied().filter(|c| c.kind.is_current()).collect();
    match (current.as_slice(), named.first()) {
        ([one], _) => return single(table, one),
        ([], Some(former)) if named.len() == 1 => return single(table, former),
        ([], None) => {}
        (many, _) => {
            let candidates: Vec<&Commune> = if many.is_empty() { named.clone() } else { many.to_vec() };
            let in_dep: Vec<&Commune> =
                candidates.iter().copied().filter(|c| Some(c.departement()) == departement).collect();
            if let [one] = in_dep.as_slice() {
                return single(table, one);
            }
            return Found::Choice {
                question: format!("Plusieurs communes s’appellent « {name} » : laquelle ?"),
                options: candidates,
                epcis: Vec::new(),
            };
        }
    }
    // No commune of that name: an EPCI written without its kind, else the closest names.
    if let Some(found) = epci_named(table, name) {
        return found;
    }
    let close: Vec<&Commune> = table.closest(name, departement, SUGGESTIONS).into_iter().map(|s| s.commune).collect();
    let epcis = table.closest_epci(name, 2);
    if close.is_empty() && epcis.is_empty() {
        return Found::Unknown(format!(
            "aucune commune ni intercommunalité ne s’appelle « {name} », et aucun nom officiel n’en est proche"
        ));
    }
    Found::Choice { question: format!("Commune inconnue « {name} ». Vouliez-vous dire :"), options: close, epcis }
}

/// The members of the EPCI with this SIREN code.
pub fn epci_members<'t>(table: &'t Table, siren: &str) -> Option<Found<'t>> {
    let epci = table.epci(siren)?;
    let communes = table.members(epci.siren);
    let note = format!("{} : ses {} communes", epci.nom, communes.len());
    Some(Found::Communes { communes, note: Some(note) })
}

/// An item given as an EPCI (`--epci`): its SIREN code or its name.
pub fn resolve_epci<'t>(table: &'t Table, item: &str) -> Found<'t> {
    let item = item.trim();
    if item.len() == 9 && item.bytes().all(|b| b.is_ascii_digit()) {
        return epci_members(table, item)
            .unwrap_or_else(|| Found::Unknown(format!("aucune intercommunalité (EPCI) n’a le code SIREN « {item} »")));
    }
    by_epci_name(table, item)
}

fn by_epci_name<'t>(table: &'t Table, name: &str) -> Found<'t> {
    if let Some(found) = epci_named(table, name) {
        return found;
    }
    let close = table.closest_epci(name, SUGGESTIONS);
    if close.is_empty() {
        return Found::Unknown(format!(
            "aucune intercommunalité ne s’appelle « {name} » : donnez son nom officiel (ex. CC Coeur du Var) ou son \
             code SIREN à 9 chiffres"
        ));
    }
    Found::Choice {
        question: format!("Intercommunalité inconnue « {name} ». Vouliez-vous dire :"),
        options: Vec::new(),
        epcis: close,
    }
}

fn epci_named<'t>(table: &'t Table, name: &str) -> Option<Found<'t>> {
    match table.epci_by_name(name).as_slice() {
        [] => None,
        [one] => epci_members(table, one.siren),
        many => Some(Found::Choice {
            question: format!("Plusieurs intercommunalités s’appellent « {name} » : laquelle ?"),
            options: Vec::new(),
            epcis: many.to_vec(),
        }),
    }
}

/// One commune, or the commune a former one (déléguée, associée) belongs to.
fn single<'t>(table: &'t Table, c: &'t Commune) -> Found<'t> {
    if c.kind.is_current() {
        return Found::Communes { communes: vec![c], note: None };
    }
    match c.rattachement.and_then(|code| table.commune(code)) {
        Some(parent) => Found::Communes {
            communes: vec![parent],
            note: Some(format!(
                "{} est une {} de {} : c’est {} qui est retenue",
                c.nom,
                c.kind.label(),
                parent.nom,
                parent.nom
            )),
        },
        None => Found::Unknown(format!("{} n’est plus une commune ({})", c.nom, c.kind.label())),
    }
}

fn by_code<'t>(table: &'t Table, code: &str) -> Found<'t> {
    if let Some(c) = table.commune(code) {
        return single(table, c);
    }
    if let Some(former) = table.former(code).first() {
        return single(table, former);
    }
    match table.by_postcode(code).as_slice() {
        [] => Found::Unknown(format!("aucune commune n’a le code INSEE « {code} » (ni le code postal)")),
        [one] => Found::Communes {
            communes: vec![one],
            note: Some(format!("{code} est un code postal : celui de {}", one.nom)),
        },
        many => Found::Choice {
            question: format!("Le code postal {code} dessert plusieurs communes : laquelle ?"),
            options: many.to_vec(),
            epcis: Vec::new(),
        },
    }
}

/// `2A004`, `83073`, `97411`: five characters, digits or 2A/2B.
fn looks_like_code(item: &str) -> bool {
    let b = item.as_bytes();
    b.len() == 5
        && b[0].is_ascii_digit()
        && (b[1].is_ascii_digit() || matches!(b[1], b'A' | b'B' | b'a' | b'b'))
        && b[2..].iter().all(u8::is_ascii_digit)
}

/// Names that announce an EPCI: `CC …`, `Communauté d'agglomération …`, `Métropole …`.
fn looks_like_epci(name: &str) -> bool {
    let key = name_key(name);
    ["cc ", "ca ", "cu ", "communaute ", "metropole "].iter().any(|p| key.starts_with(p))
}

/// `Saint-Denis (974)` → (`Saint-Denis`, `974`).
fn split_departement(item: &str) -> (&str, Option<&str>) {
    if let Some(inner) = item.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
    {
        let dep = inner[open + 1..].trim();
        if crate::domain::ids::departement(dep).is_ok() {
            return (inner[..open].trim(), Some(dep));
        }
    }
    (item, None)
}

/// Adds communes to a territory, each once, keeping the order they came in.
pub fn add<'t>(territory: &mut Vec<&'t Commune>, communes: &[&'t Commune]) {
    for c in communes {
        if !territory.iter().any(|t| t.insee == c.insee) {
            territory.push(c);
        }
    }
}

/// The département of most of the communes chosen so far, to decide between homonyms.
pub fn departement_hint(territory: &[&Commune]) -> Option<&'static str> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for c in territory {
        match counts.iter_mut().find(|(d, _)| *d == c.departement()) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.departement(), 1)),
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).map(|(d, _)| *d)
}

/// A commune listed with one of its own arrondissements would count its people twice.
pub fn overlap(territory: &[&Commune]) -> Option<String> {
    territory.iter().find_map(|arm| {
        let parent = arm.rattachement.filter(|_| arm.kind == Kind::Arrondissement)?;
        let whole = territory.iter().find(|c| c.insee == parent)?;
        Some(format!(
            "{} et {} se recouvrent : gardez la commune entière ou seulement ses arrondissements",
            whole.nom, arm.nom
        ))
    })
}

/// `12 communes, 45 123 habitants (populations légales 2023) : taille 2 de l’ACI (de 40 000 à
/// 80 000 habitants)`.
pub fn summary(table: &Table, territory: &[&Commune]) -> String {
    let people = population(territory);
    let size = crate::model::vocab::aci_size(people);
    let n = territory.len();
    format!(
        "{n} commune{}, {} habitants (populations légales {} de l’INSEE) : taille {} de l’ACI ({})",
        if n > 1 { "s" } else { "" },
        grouped(people),
        table.vintage().population,
        size.size,
        size.range
    )
}

/// The département most of the territory's population lives in.
pub fn main_departement(communes: &[&Commune]) -> String {
    let mut by_dep: Vec<(&str, u64)> = Vec::new();
    for c in communes {
        let people = u64::from(c.population.unwrap_or(0));
        match by_dep.iter_mut().find(|(d, _)| *d == c.departement()) {
            Some((_, n)) => *n += people,
            None => by_dep.push((c.departement(), people)),
        }
    }
    by_dep.iter().max_by_key(|(_, n)| *n).map(|(d, _)| (*d).to_string()).unwrap_or_default()
}

/// Total population of the communes.
pub fn population(communes: &[&Commune]) -> u64 {
    communes.iter().map(|c| u64::from(c.population.unwrap_or(0))).sum()
}

/// Splits a typed list on commas, semicolons and line breaks.
pub fn split_items(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', '\n']).map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::communes::table;

    fn codes(found: &Found<'_>) -> Vec<&'static str> {
        match found {
            Found::Communes { communes, .. } => communes.iter().map(|c| c.insee).collect(),
            other => panic!("attendu des communes : {other:?}"),
        }
    }

    fn options(found: &Found<'_>) -> Vec<&'static str> {
        match found {
            Found::Choice { options, .. } => options.iter().map(|c| c.insee).collect(),
            other => panic!("attendu un choix : {other:?}"),
        }
    }

    #[test]
    fn names_codes_and_postcodes() {
        let t = table();
        assert_eq!(codes(&resolve(t, "Le Luc", None)), ["83073"]);
        assert_eq!(codes(&resolve(t, " 83031 ", None)), ["83031"]);
        assert_eq!(codes(&resolve(t, "2a004", None)), ["2A004"]);
        assert_eq!(codes(&resolve(t, "83000", None)), ["83137"], "code postal de Toulon");
        // A code that is both an INSEE code and a postcode is read as the INSEE code.
        assert_eq!(codes(&resolve(t, "83110", None)), ["83110"]);
        assert_eq!(options(&resolve(t, "83300", None)), ["83038", "83050"]);
        assert_eq!(options(&resolve(t, "83340", None)).len(), 6);
        assert!(matches!(resolve(t, "83999", None), Found::Unknown(_)));
    }

    #[test]
    fn homonyms_ask_unless_the_departement_decides() {
        let t = table();
        assert!(options(&resolve(t, "Saint-Denis", None)).len() >= 3);
        assert_eq!(codes(&resolve(t, "Saint-Denis", Some("974"))), ["97411"]);
        assert_eq!(codes(&resolve(t, "Saint-Denis (93)", None)), ["93066"]);
    }

    #[test]
    fn typos_get_the_closest_names() {
        let t = table();
        let found = resolve(t, "Le Canet des Maures", Some("83"));
        assert_eq!(options(&found).first(), Some(&"83031"));
        assert!(matches!(resolve(t, "Xqzwvkj", None), Found::Unknown(_)));
    }

    #[test]
    fn epcis_by_name_or_siren_and_former_communes() {
        let t = table();
        let by_siren = codes(&resolve(t, "248300550", None));
        assert!(by_siren.contains(&"83073") && by_siren.len() >= 10, "{by_siren:?}");
        assert_eq!(codes(&resolve(t, "CC Coeur du Var", None)), by_siren);
        assert_eq!(codes(&resolve(t, "Cœur du Var", None)), by_siren);
        assert_eq!(codes(&resolve_epci(t, "coeur du var")), by_siren);
        assert!(matches!(resolve(t, "999999999", None), Found::Unknown(_)));
        match resolve_epci(t, "CC Coeur du Vare") {
            Found::Choice { epcis, .. } => assert_eq!(epcis[0].siren, "248300550"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(resolve_epci(t, "Zzqxwv Yyyy"), Found::Unknown(_)));
        // A commune déléguée: its commune nouvelle is taken, and the coordinator told.
        match resolve(t, "Arbignieu", None) {
            Found::Communes { communes, note } => {
                assert_eq!(communes[0].insee, "01015");
                assert!(note.is_some_and(|n| n.contains("commune déléguée")));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lists_split_on_commas_semicolons_and_lines() {
        assert_eq!(split_items("Le Luc, 83031;\n Les Arcs ,,").collect::<Vec<_>>(), ["Le Luc", "83031", "Les Arcs"]);
    }
}
