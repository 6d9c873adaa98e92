//! `territoire:` in cpts.yaml. A coordinator lists the communes by INSEE code, by name, or both,
//! and may state their postcodes and populations; what is not written is filled in from the
//! official commune table carried by the binary ([`crate::domain::communes`]). What is written
//! wins: `check` warns where it differs from the table, and reports the names the table does not
//! know, with the closest official ones.
//!
//! The file's shape is [`TerritoireFile`]; serde turns it into a [`Territoire`] at once
//! (`#[serde(from)]`), so that every reader of cpts.yaml — the build, the dev server, the
//! importers — sees the same completed communes.

use super::common::S;
use super::json_schema;
use crate::domain::communes::{self, Table};
use serde::Deserialize;

/// `territoire:` as written in cpts.yaml.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Territoire", description = "Le territoire : département et communes.")]
pub struct TerritoireFile {
    /// Main département code ("83", "2A", "974").
    #[schemars(title = "Département", description = "Code du département principal, entre guillemets (\"83\", \"2A\", \"974\").", transform = json_schema::departement)]
    pub departement: S<String>,
    /// Free description of the territory (Markdown).
    #[serde(default)]
    #[schemars(title = "Description", description = "Description libre du territoire (Markdown).", transform = json_schema::markdown)]
    pub description: Option<S<String>>,
    /// Year of the populations légales of the populations written in this file (INSEE). Without
    /// any written population, the year is the official table's and this key is not needed.
    #[serde(default)]
    #[schemars(
        title = "Année des populations",
        description = "Année des populations légales (INSEE) des populations écrites dans ce fichier. Sans population écrite, l’année est celle de la table officielle et cette clé est inutile."
    )]
    pub annee_population: Option<S<u16>>,
    /// Every commune of the territory.
    #[schemars(
        title = "Communes",
        description = "Toutes les communes du territoire, chacune par son code INSEE, son nom ou les deux ; le reste vient de la table officielle des communes.",
        transform = json_schema::at_least_one
    )]
    pub communes: Vec<S<CommuneEntry>>,
}

/// One commune as written: by INSEE code, by name, or both. Postcodes and population come from
/// the official table unless written here.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Commune",
    description = "Une commune du territoire, par son code INSEE, son nom ou les deux (l’un des deux au moins, vérifié par « maillage check »)."
)]
pub struct CommuneEntry {
    /// INSEE (COG) code, 5 characters (not the postcode); enough on its own.
    #[serde(default)]
    #[schemars(title = "Code INSEE", description = "Code officiel (COG) de la commune, 5 caractères, entre guillemets (\"83073\") ; ce n’est pas le code postal. Il suffit à lui seul.", transform = json_schema::insee)]
    pub insee: Option<S<String>>,
    /// Name; enough on its own when no other commune of France bears it. Without it, the official
    /// name is used.
    #[serde(default)]
    #[schemars(
        title = "Nom",
        description = "Nom de la commune ; il suffit à lui seul quand aucune autre commune de France ne le porte. Sans lui, le nom officiel est utilisé."
    )]
    pub nom: Option<S<String>>,
    /// Postcodes serving the commune; the official ones when absent.
    #[serde(default)]
    #[schemars(title = "Codes postaux", description = "Les codes postaux de la commune ; les codes officiels quand ils ne sont pas écrits.", transform = json_schema::postal_code)]
    pub codes_postaux: Vec<S<String>>,
    /// Legal population (*population municipale*); the official one when absent.
    #[serde(default)]
    #[schemars(
        title = "Population",
        description = "Population légale (population municipale) ; celle de la table officielle quand elle n’est pas écrite."
    )]
    pub population: Option<S<u64>>,
    /// `[latitude, longitude]` of the town centre, for the map; optional (the official commune
    /// table has no coordinates): a commune with neither centre nor outline is left off the map.
    #[serde(default)]
    #[schemars(
        title = "Centre",
        description = "[latitude, longitude] du centre-ville, pour la carte ; facultatif : une commune sans centre ni contour n’est pas sur la carte."
    )]
    pub centre: Option<S<[f64; 2]>>,
    /// Medical zoning: `zip`, `zac` or `aucun`.
    #[serde(default)]
    #[schemars(title = "Zonage", description = "Zonage médical de l’ARS : zip, zac ou aucun.", transform = json_schema::zonage)]
    pub zonage: Option<S<String>>,
}

/// The territory: département and communes, completed from the official table.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "TerritoireFile")]
pub struct Territoire {
    /// Main département code ("83", "2A", "974").
    pub departement: S<String>,
    /// Free description of the territory (Markdown).
    pub description: Option<S<String>>,
    /// `annee_population` as written.
    pub annee_population: Option<S<u16>>,
    /// The communes that could be completed (every written commune, unless `check` reports it),
    /// in the order of the file.
    pub communes: Vec<Commune>,
    /// Every commune as written, with what the official table says of it.
    pub entries: Vec<WrittenCommune>,
    /// Position of each commune in `communes` by INSEE code, built on the first lookup
    /// ([`crate::model::Site::commune`]): pages look communes up once per place shown.
    pub(crate) index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

/// One commune of the territory, with every value known.
#[derive(Debug, Clone)]
pub struct Commune {
    /// INSEE (COG) code, 5 characters; placed where the commune is written.
    pub insee: S<String>,
    /// Name as written, else the official one.
    pub nom: String,
    /// Postal codes serving the commune.
    pub codes_postaux: Vec<S<String>>,
    /// Legal population (*population municipale*).
    pub population: u64,
    /// `[latitude, longitude]` of the town centre, for the map, when written.
    pub centre: Option<S<[f64; 2]>>,
    /// Medical zoning: `zip`, `zac` or `aucun`.
    pub zonage: Option<S<String>>,
    /// The entry of the official table, when the commune is in it.
    pub official: Option<&'static communes::Commune>,
}

/// A commune as written, and what the official table says of it.
#[derive(Debug, Clone)]
pub struct WrittenCommune {
    /// The entry, placed where it starts.
    pub entry: S<CommuneEntry>,
    /// What the table says.
    pub lookup: Lookup,
}

/// What the official table says of a written commune.
#[derive(Debug, Clone)]
pub enum Lookup {
    /// The commune, found by its code or its name.
    Found(&'static communes::Commune),
    /// The code or the name is that of former communes (déléguées, associées), now part of
    /// another one. With a code and every value written, the commune is taken as written.
    Former(Vec<&'static communes::Commune>),
    /// Several current communes bear the name, none or several of them in the département.
    Ambiguous(Vec<&'static communes::Commune>),
    /// The name is unknown: the closest official names.
    UnknownName(Vec<&'static communes::Commune>),
    /// The code is unknown to the table (or malformed).
    UnknownCode,
    /// Neither code nor name is written.
    Nothing,
}

/// A coordinator writes a [`TerritoireFile`]: its schema is the territory's.
impl schemars::JsonSchema for Territoire {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        TerritoireFile::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TerritoireFile::json_schema(generator)
    }
}

impl From<TerritoireFile> for Territoire {
    fn from(file: TerritoireFile) -> Territoire {
        complete(file, communes::table())
    }
}

impl Territoire {
    /// Year of the populations légales the territory's population adds up: the official table's
    /// when every population is the table's, else `annee_population` as written (possibly none).
    pub fn population_year(&self) -> Option<u16> {
        let vintage = communes::table().vintage();
        let year_of = |c: &Commune| {
            let o = c.official?;
            (o.population.map(u64::from) == Some(c.population)).then_some(if o.departement() == "976" {
                vintage.population_mayotte
            } else {
                vintage.population
            })
        };
        let mut years = self.communes.iter().map(year_of);
        let first = years.next().flatten();
        match first {
            Some(y) if years.all(|other| other == Some(y)) => Some(y),
            _ => self.annee_population.as_ref().map(|y| y.value),
        }
    }

    /// Whether some value shown of the territory comes from the official table (then the site
    /// credits it).
    pub fn uses_official_table(&self) -> bool {
        self.entries.iter().any(|w| {
            let e = &w.entry.value;
            matches!(w.lookup, Lookup::Found(_))
                && (e.nom.is_none() || e.codes_postaux.is_empty() || e.population.is_none() || e.insee.is_none())
        })
    }
}

/// Looks every written commune up in `table` and completes what can be.
pub fn complete(file: TerritoireFile, table: &'static Table) -> Territoire {
    let departement = file.departement.value.trim().to_ascii_uppercase();
    let mut communes = Vec::with_capacity(file.communes.len());
    let mut entries = Vec::with_capacity(file.communes.len());
    for entry in file.communes {
        let lookup = lookup(&entry.value, &departement, table);
        if let Some(c) = commune(&entry, &lookup) {
            communes.push(c);
        }
        entries.push(WrittenCommune { entry, lookup });
    }
    Territoire {
        departement: file.departement,
        description: file.description,
        annee_population: file.annee_population,
        communes,
        entries,
        index: std::sync::OnceLock::new(),
    }
}

/// What `table` says of one written commune: by code when written, else by name.
fn lookup(e: &CommuneEntry, departement: &str, table: &'static Table) -> Lookup {
    if let Some(code) = &e.insee {
        if let Some(c) = table.commune(&code.value) {
            return Lookup::Found(c);
        }
        let former = table.former(&code.value);
        return if former.is_empty() { Lookup::UnknownCode } else { Lookup::Former(former) };
    }
    let Some(name) = &e.nom else { return Lookup::Nothing };
    let found = table.by_name(&name.value);
    let current: Vec<&communes::Commune> = found.iter().copied().filter(|c| c.kind.is_current()).collect();
    let here: Vec<&communes::Commune> = current.iter().copied().filter(|c| c.departement() == departement).collect();
    // Elsewhere, only the very name counts: `Le Lux` is a slip for `Le Luc`, not the `Lux` of
    // three other départements.
    let key = communes::name_key(&name.value);
    let same: Vec<&communes::Commune> = current.iter().copied().filter(|c| communes::name_key(c.nom) == key).collect();
    match (here.as_slice(), same.as_slice()) {
        ([one], _) | ([], [one]) => Lookup::Found(one),
        ([], []) if current.is_empty() && !found.is_empty() => Lookup::Former(found),
        ([], []) => {
            // The département first, then the closest: a misspelt commune is most likely a
            // commune of the territory's own département.
            let mut closest: Vec<&communes::Commune> =
                table.closest(&name.value, Some(departement), 8).into_iter().map(|s| s.commune).collect();
            closest.sort_by_key(|c| c.departement() != departement);
            closest.truncate(4);
            Lookup::UnknownName(closest)
        }
        ([], several) | (several, _) => Lookup::Ambiguous(several.to_vec()),
    }
}

/// The completed commune, when the entry and the table give a code, a name and a population.
fn commune(entry: &S<CommuneEntry>, lookup: &Lookup) -> Option<Commune> {
    let e = &entry.value;
    let official = match lookup {
        Lookup::Found(c) => Some(*c),
        // A code the table does not know as a current commune's: the file alone says it all.
        Lookup::UnknownCode | Lookup::Former(_) if e.insee.is_some() => None,
        _ => return None,
    };
    // Values filled in are placed where the commune is written: its code, else its name.
    let (line, column) = e.insee.as_ref().map(S::pos).or(e.nom.as_ref().map(S::pos)).unwrap_or(entry.pos());
    let placed = |value: &str| S { value: value.to_string(), line, column };
    let insee = e.insee.clone().or_else(|| official.map(|o| placed(o.insee)))?;
    let nom = e.nom.as_ref().map(|n| n.value.clone()).or_else(|| official.map(|o| o.nom.to_string()))?;
    let population = e.population.as_ref().map(|p| p.value).or_else(|| official?.population.map(u64::from))?;
    let codes_postaux = match (&e.codes_postaux[..], official) {
        ([], Some(o)) => o.codes_postaux().map(placed).collect(),
        _ => e.codes_postaux.clone(),
    };
    Some(Commune {
        insee,
        nom,
        codes_postaux,
        population,
        centre: e.centre.clone(),
        zonage: e.zonage.clone(),
        official,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(yaml: &str) -> Territoire {
        let t: Result<Territoire, _> = serde_saphyr::from_str(yaml);
        t.expect("territoire lisible")
    }

    #[test]
    fn a_code_or_a_name_is_enough() {
        let t = decode(
            "departement: \"83\"\ncommunes:\n  - insee: \"83073\"\n  - nom: Le Cannet-des-Maures\n  - nom: Cabasse\n",
        );
        let names: Vec<&str> = t.communes.iter().map(|c| c.nom.as_str()).collect();
        assert_eq!(names, ["Le Luc", "Le Cannet-des-Maures", "Cabasse"]);
        let luc = &t.communes[0];
        assert_eq!(luc.codes_postaux.iter().map(|p| p.value.as_str()).collect::<Vec<_>>(), ["83340"]);
        assert_eq!(Some(luc.population), luc.official.and_then(|o| o.population).map(u64::from));
        assert_eq!(t.communes[1].insee.value, "83031");
        // Filled values are placed where the commune is written.
        assert_eq!(t.communes[1].insee.line, 4);
        assert_eq!(t.population_year(), Some(communes::table().vintage().population));
        assert!(t.uses_official_table());
    }

    #[test]
    fn written_values_win_and_the_year_is_then_the_files() {
        let t = decode(
            "departement: \"83\"\nannee_population: 2021\ncommunes:\n  - insee: \"83073\"\n    nom: Le Luc\n    \
             codes_postaux: [\"83340\"]\n    population: 11000\n",
        );
        assert_eq!(t.communes[0].population, 11000);
        assert!(matches!(t.entries[0].lookup, Lookup::Found(c) if c.insee == "83073"));
        assert_eq!(t.population_year(), Some(2021));
        assert!(!t.uses_official_table());
    }

    #[test]
    fn unknown_ambiguous_and_former_names_are_not_guessed() {
        let t = decode(
            "departement: \"83\"\ncommunes:\n  - nom: Le Canet des Mores\n  - nom: Saint-Denis\n  - nom: Arbignieu\n  \
             - zonage: zip\n  - insee: \"83999\"\n  - insee: \"83998\"\n    nom: Nouvelle\n    codes_postaux: [\"83000\"]\n    \
             population: 10\n",
        );
        assert!(matches!(&t.entries[0].lookup, Lookup::UnknownName(c) if c.first().map(|c| c.insee) == Some("83031")));
        assert!(matches!(&t.entries[1].lookup, Lookup::Ambiguous(c) if c.len() > 2));
        assert!(matches!(&t.entries[2].lookup, Lookup::Former(c) if c[0].rattachement == Some("01015")));
        assert!(matches!(t.entries[3].lookup, Lookup::Nothing));
        assert!(matches!(t.entries[4].lookup, Lookup::UnknownCode));
        // Only the unknown code with every value written makes a commune.
        assert_eq!(t.communes.iter().map(|c| c.insee.value.as_str()).collect::<Vec<_>>(), ["83998"]);
        assert_eq!(t.population_year(), None);
    }

    #[test]
    fn homonyms_are_told_apart_by_the_departement() {
        let t = decode("departement: \"974\"\ncommunes:\n  - nom: Saint-Denis\n");
        assert_eq!(t.communes[0].insee.value, "97411");
    }
}
