//! The territory's communes as `content/cpts.yaml` lists them, and where a source row falls:
//! in one commune of the territory, outside it, or in a commune the row does not name clearly
//! enough to tell ([`Placement`]).
//!
//! A row with an INSEE code is placed by it. Without one, the postal code **and** the commune's
//! name decide — or the name of the CEDEX office (`83340 LE CANNET DES MAURES CEDEX`) when the
//! commune's name is empty: a postal code is often shared (83340 serves six communes of the
//! example territory), and the official commune table ([`crate::domain::communes`]) says which
//! communes a code serves. A name that matches none of them, or no name for a shared code, is
//! *ambiguous*: reported, never guessed.

use super::reader::{ImportError, io_err};
use crate::domain::communes::{self, name_key};
use crate::model::Cpts;
use crate::source::decode_yaml;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// One commune of the territory, with what is needed to recognise it in a source.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryCommune {
    /// INSEE code.
    pub insee: String,
    /// Name as written in cpts.yaml.
    pub nom: String,
    /// Postal codes.
    pub codes_postaux: Vec<String>,
    /// Centre `[lat, lon]`, when cpts.yaml gives it.
    pub centre: Option<[f64; 2]>,
}

impl TerritoryCommune {
    /// The postal code to write for a place in this commune: the source's when it is one of the
    /// commune's, else the commune's own (a CEDEX or mistyped code would not match it).
    pub fn postal_code(&self, source: &str) -> String {
        let source = source.trim();
        if self.codes_postaux.iter().any(|p| p == source) {
            source.to_string()
        } else {
            self.codes_postaux.first().cloned().unwrap_or_default()
        }
    }
}

/// Where a source row falls.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement<'t> {
    /// In this commune of the territory.
    Inside(&'t TerritoryCommune),
    /// Outside the territory.
    Outside,
    /// Possibly in the territory, but the row does not say in which commune: why, in French.
    Ambiguous(String),
    /// The row names a commune that does not exist (a spreadsheet's typing error): why, with the
    /// closest official names.
    Unknown(String),
}

/// The territory's communes, read from `content/cpts.yaml`.
#[derive(Debug)]
pub struct Territory {
    /// The communes.
    pub communes: Vec<TerritoryCommune>,
    /// Département of the CPTS.
    pub departement: String,
    by_insee: HashMap<String, usize>,
    postal: HashSet<String>,
    /// The first two digits of the territory's postal codes: a row whose postal code starts
    /// otherwise is outside without further ado (the national file has two million rows).
    postal_prefixes: HashSet<String>,
    /// The message of each unknown name met so far, closest official names included: a file
    /// that misspells one commune on many rows searches the official table once. Holds at most
    /// [`UNKNOWN_NAMES_KEPT`] names, so that a file of a million different ones stays small.
    unknown_names: Mutex<HashMap<String, String>>,
}

/// How many unknown names [`Territory`] keeps the message of.
const UNKNOWN_NAMES_KEPT: usize = 1024;

impl Territory {
    /// Reads `ROOT/content/cpts.yaml`.
    pub fn load(root: &Path) -> Result<Territory, ImportError> {
        let path = root.join("content").join("cpts.yaml");
        let rel = "content/cpts.yaml";
        let text = match crate::limits::read_file(&path, crate::limits::MAX_TEXT_BYTES) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(crate::limits::ReadError::Io(e)) => return Err(io_err(&path, e)),
            Err(e) => return Err(ImportError::Territory(format!("{rel} : {e}"))),
        };
        let cpts: Cpts = decode_yaml(rel, &text)
            .map_err(|d| ImportError::Territory(format!("{rel} (ligne {}) : {}", d.line, d.message)))?;
        let communes = cpts
            .territoire
            .communes
            .iter()
            .map(|c| TerritoryCommune {
                insee: c.insee.value.clone(),
                nom: c.nom.clone(),
                codes_postaux: c.codes_postaux.iter().map(|p| p.value.clone()).collect(),
                centre: c.centre.as_ref().map(|c| c.value),
            })
            .collect();
        Ok(Territory::new(communes, cpts.territoire.departement.value))
    }

    /// A territory from its communes.
    pub fn new(communes: Vec<TerritoryCommune>, departement: String) -> Territory {
        let by_insee = communes.iter().enumerate().map(|(i, c)| (c.insee.clone(), i)).collect();
        let postal: HashSet<String> = communes.iter().flat_map(|c| c.codes_postaux.iter().cloned()).collect();
        let postal_prefixes = postal.iter().filter_map(|p| p.get(..2)).map(str::to_string).collect();
        Territory { communes, departement, by_insee, postal, postal_prefixes, unknown_names: Mutex::default() }
    }

    /// Whether an INSEE code belongs to the territory.
    pub fn has_insee(&self, code: &str) -> bool {
        self.by_insee.contains_key(code)
    }

    /// Whether a postal code is one of the territory's.
    pub fn has_postal(&self, code: &str) -> bool {
        self.postal.contains(code)
    }

    /// Whether a postal (or CEDEX) code could be the territory's: its first two digits are those
    /// of one of the territory's codes. Rows failing this are outside, whatever their name says.
    pub fn near_postal(&self, code: &str) -> bool {
        code.get(..2).is_some_and(|p| self.postal_prefixes.contains(p))
    }

    /// The commune with this INSEE code.
    pub fn commune(&self, insee: &str) -> Option<&TerritoryCommune> {
        self.by_insee.get(insee).map(|&i| &self.communes[i])
    }

    /// Places a row that has no INSEE code by its postal code, its commune's name and its CEDEX
    /// office line (`83340 LE CANNET DES MAURES CEDEX`); any of them may be empty.
    pub fn place(&self, postal: &str, name: &str, cedex: &str) -> Placement<'_> {
        let (cedex_code, cedex_name) = split_cedex(cedex);
        let mut codes: Vec<&str> = [postal.trim(), cedex_code].into_iter().filter(|c| !c.is_empty()).collect();
        codes.dedup();
        if !codes.iter().any(|c| self.near_postal(c)) {
            return Placement::Outside;
        }
        // A commune's name may carry `CEDEX` too (`LE LUC CEDEX`).
        let names: Vec<&str> = [split_cedex(name).1, cedex_name].into_iter().filter(|n| !n.is_empty()).collect();
        let table = communes::table();
        // The official communes these codes serve (a CEDEX code usually serves none).
        let mut served: Vec<&communes::Commune> = codes.iter().flat_map(|c| table.by_postcode(c)).collect();
        served.dedup_by_key(|c| c.insee);
        let in_territory = |insee: &str| self.commune(insee);
        for n in &names {
            let key = name_key(n);
            // 1. A commune of the territory with one of these codes and this name.
            if let Some(c) = self.communes.iter().find(|c| {
                c.codes_postaux.iter().any(|p| codes.contains(&p.as_str())) && same_name(&name_key(&c.nom), &key)
            }) {
                return Placement::Inside(c);
            }
            // 2. An official commune these codes serve, by name: outside unless in the territory.
            let matching: Vec<&&communes::Commune> =
                served.iter().filter(|c| same_name(&name_key(c.nom), &key)).collect();
            if let [one] = matching.as_slice() {
                return in_territory(one.insee).map_or(Placement::Outside, Placement::Inside);
            }
            // 3. A CEDEX code serves no commune: the name, in the code's département.
            let prefixes: Vec<&str> = codes.iter().filter_map(|c| c.get(..2)).collect();
            let homonyms: Vec<&communes::Commune> = table
                .by_name(n)
                .into_iter()
                .filter(|c| c.kind.is_current() && c.codes_postaux().any(|p| prefixes.iter().any(|x| p.starts_with(x))))
                .collect();
            match homonyms.as_slice() {
                [one] => return in_territory(one.insee).map_or(Placement::Outside, Placement::Inside),
                [] => {}
                several => {
                    if several.iter().any(|c| self.has_insee(c.insee)) {
                        let list: Vec<String> = several.iter().map(|c| format!("{} ({})", c.nom, c.insee)).collect();
                        return Placement::Ambiguous(format!(
                            "plusieurs communes s’appellent «\u{a0}{n}\u{a0}» ({}) : ajoutez le code commune",
                            list.join(", ")
                        ));
                    }
                    return Placement::Outside;
                }
            }
        }
        // No name decides: the codes alone.
        let ours: Vec<&TerritoryCommune> =
            self.communes.iter().filter(|c| c.codes_postaux.iter().any(|p| codes.contains(&p.as_str()))).collect();
        if ours.is_empty() {
            return Placement::Outside;
        }
        let others = served.iter().filter(|c| !self.has_insee(c.insee)).count();
        if names.is_empty() && ours.len() == 1 && others == 0 {
            return Placement::Inside(ours[0]);
        }
        let list: Vec<&str> = ours.iter().map(|c| c.nom.as_str()).collect();
        let code = codes.first().copied().unwrap_or_default();
        let serves = if ours.len() + others > 1 {
            format!(
                "le code postal {code} est celui de {} communes ({}{})",
                ours.len() + others,
                list.join(", "),
                if others > 0 { ", …" } else { "" }
            )
        } else {
            format!("le code postal {code} est celui de {}", list.join(", "))
        };
        Placement::Ambiguous(match names.first() {
            Some(n) => {
                format!("commune «\u{a0}{n}\u{a0}» introuvable : {serves} ; corrigez le nom ou ajoutez le code commune")
            }
            None => format!("commune non indiquée et {serves} ; ajoutez le nom ou le code de la commune"),
        })
    }

    /// Places what a spreadsheet's commune cell holds (an INSEE code or a name) with its postal
    /// code. A name that is no commune at all is [`Placement::Unknown`], with the closest names.
    pub fn find(&self, value: &str, postal: &str) -> Placement<'_> {
        let v = value.trim();
        if let Some(c) = self.commune(v) {
            return Placement::Inside(c);
        }
        let table = communes::table();
        if v.len() == 5 && crate::domain::ids::insee_commune(v).is_ok() {
            return match table.commune(v) {
                Some(_) => Placement::Outside,
                None => Placement::Unknown(format!("aucune commune n’a le code INSEE {v}")),
            };
        }
        let postal = postal.trim();
        if !postal.is_empty() {
            return match self.place(postal, v, "") {
                Placement::Outside if table.by_name(v).is_empty() => self.unknown(v),
                p => p,
            };
        }
        // A name alone: the territory's commune of that name, else outside if it exists.
        let key = name_key(v);
        if let Some(c) = self.communes.iter().find(|c| same_name(&name_key(&c.nom), &key)) {
            return Placement::Inside(c);
        }
        if table.by_name(v).is_empty() { self.unknown(v) } else { Placement::Outside }
    }

    fn unknown(&self, name: &str) -> Placement<'_> {
        // The lock is held only to read or insert one entry, never across a search: even
        // poisoned, what it keeps is whole.
        let kept = self.unknown_names.lock().unwrap_or_else(PoisonError::into_inner).get(name).cloned();
        if let Some(message) = kept {
            return Placement::Unknown(message);
        }
        let dep = Some(self.departement.as_str());
        let close: Vec<String> = communes::table()
            .closest(name, dep, 3)
            .iter()
            .map(|s| format!("«\u{a0}{}\u{a0}»", s.commune.nom))
            .collect();
        let message = if close.is_empty() {
            format!("commune «\u{a0}{name}\u{a0}» inconnue")
        } else {
            format!("commune «\u{a0}{name}\u{a0}» inconnue ; vouliez-vous dire {} ?", close.join(" ou "))
        };
        let mut names = self.unknown_names.lock().unwrap_or_else(PoisonError::into_inner);
        if names.len() < UNKNOWN_NAMES_KEPT {
            names.insert(name.to_string(), message.clone());
        }
        Placement::Unknown(message)
    }
}

/// Two [`name_key`]s name the same commune, the article aside (`Cannet-des-Maures`).
fn same_name(a: &str, b: &str) -> bool {
    let strip = |k: &str| {
        ["le ", "la ", "les ", "l "]
            .iter()
            .find_map(|p| k.strip_prefix(p))
            .map_or_else(|| k.to_string(), str::to_string)
    };
    !a.is_empty() && (a == b || strip(a) == strip(b))
}

/// `83340 LE CANNET DES MAURES CEDEX 2` → (`83340`, `LE CANNET DES MAURES`).
fn split_cedex(line: &str) -> (&str, &str) {
    let line = line.trim();
    let (code, rest) = match line.split_once(' ') {
        Some((c, r)) if c.len() == 5 && c.bytes().all(|b| b.is_ascii_digit()) => (c, r),
        _ if line.len() == 5 && line.bytes().all(|b| b.is_ascii_digit()) => (line, ""),
        _ => ("", line),
    };
    let mut name = rest.trim();
    // `CEDEX`, possibly followed by a number, ends the line.
    let upper = name.to_ascii_uppercase();
    if let Some(at) = upper.rfind("CEDEX")
        && upper[at + 5..].trim().bytes().all(|b| b.is_ascii_digit())
        && (at == 0 || upper.as_bytes()[at - 1] == b' ')
    {
        name = name[..at].trim();
    }
    (code, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six of the example's communes share 83340; Vidauban and Saint-Antonin-du-Var do not.
    fn territory() -> Territory {
        let c = |insee: &str, nom: &str, cp: &str| TerritoryCommune {
            insee: insee.into(),
            nom: nom.into(),
            codes_postaux: vec![cp.into()],
            centre: None,
        };
        Territory::new(
            vec![
                c("83073", "Le Luc", "83340"),
                c("83031", "Le Cannet-des-Maures", "83340"),
                c("83057", "Flassans-sur-Issole", "83340"),
                c("83136", "Le Thoronet", "83340"),
                c("83026", "Cabasse", "83340"),
                c("83075", "Les Mayons", "83340"),
                c("83148", "Vidauban", "83550"),
                c("83154", "Saint-Antonin-du-Var", "83510"),
            ],
            "83".into(),
        )
    }

    fn inside(p: Placement<'_>) -> Option<String> {
        match p {
            Placement::Inside(c) => Some(c.insee.clone()),
            _ => None,
        }
    }

    #[test]
    fn postal_code_and_name_decide() {
        let t = territory();
        assert_eq!(inside(t.place("83340", "LE LUC", "")).as_deref(), Some("83073"));
        assert_eq!(inside(t.place("83340", "le thoronet", "")).as_deref(), Some("83136"));
        assert_eq!(inside(t.place("83340", "CANNET DES MAURES", "")).as_deref(), Some("83031"));
        assert_eq!(inside(t.place("83510", "ST ANTONIN DU VAR", "")).as_deref(), Some("83154"));
        assert_eq!(inside(t.place("83550", "", "")).as_deref(), Some("83148"));
        // Lorgues shares 83510 but is not in this territory: outside, not ambiguous.
        assert_eq!(t.place("83510", "LORGUES", ""), Placement::Outside);
        assert_eq!(t.place("83300", "DRAGUIGNAN", ""), Placement::Outside);
        assert_eq!(t.place("75015", "PARIS", ""), Placement::Outside);
    }

    #[test]
    fn cedex_office_names_the_commune() {
        let t = territory();
        let p = t.place("83340", "", "83340 LE CANNET DES MAURES CEDEX");
        assert_eq!(inside(p).as_deref(), Some("83031"));
        // A CEDEX code that is no postal code: the name, in the département.
        assert_eq!(inside(t.place("", "", "83342 LE LUC CEDEX 2")).as_deref(), Some("83073"));
        assert_eq!(t.place("83342", "", "83342 DRAGUIGNAN CEDEX"), Placement::Outside);
    }

    #[test]
    fn a_shared_code_without_a_clear_name_is_ambiguous() {
        let t = territory();
        let Placement::Ambiguous(why) = t.place("83340", "", "") else { panic!() };
        assert!(why.contains("83340") && why.contains("6 communes"), "{why}");
        let Placement::Ambiguous(why) = t.place("83340", "LE LUC EN PROVINCE", "") else { panic!() };
        assert!(why.contains("LE LUC EN PROVINCE"), "{why}");
        // Vidauban's code alone, with a name that is not Vidauban's: not guessed either.
        assert!(matches!(t.place("83550", "LE MUY", ""), Placement::Outside));
    }

    #[test]
    fn spreadsheet_cells_name_or_code() {
        let t = territory();
        assert_eq!(inside(t.find("83148", "")).as_deref(), Some("83148"));
        assert_eq!(inside(t.find("Le Thoronet", "")).as_deref(), Some("83136"));
        assert_eq!(inside(t.find("le luc", "83340")).as_deref(), Some("83073"));
        assert_eq!(t.find("Draguignan", ""), Placement::Outside);
        assert_eq!(t.find("83050", ""), Placement::Outside);
        let Placement::Unknown(why) = t.find("Vidaubn", "") else { panic!() };
        assert!(why.contains("Vidauban"), "{why}");
    }

    /// An unknown name met again gets the same message; past the names kept, each still gets
    /// its own, and the territory keeps no more.
    #[test]
    fn unknown_names_are_searched_once_and_kept_within_a_bound() {
        let t = territory();
        let unknown = |name: &str| match t.find(name, "") {
            Placement::Unknown(why) => why,
            other => panic!("{name}: {other:?}"),
        };
        let first = unknown("Vidaubn");
        assert_eq!(unknown("Vidaubn"), first);
        assert!(unknown("Flasans sur Issole").contains("Flassans-sur-Issole"));
        for i in 0..UNKNOWN_NAMES_KEPT + 10 {
            assert!(unknown(&format!("Zzyzx {i}")).contains(&format!("Zzyzx {i}")));
        }
        assert_eq!(t.unknown_names.lock().map(|names| names.len()).ok(), Some(UNKNOWN_NAMES_KEPT));
        assert_eq!(unknown("Vidaubn"), first);
        let late = unknown("Thoronett");
        assert!(late.contains("Le Thoronet"), "{late}");
    }

    #[test]
    fn cedex_lines_split() {
        assert_eq!(split_cedex("83340 LE CANNET DES MAURES CEDEX"), ("83340", "LE CANNET DES MAURES"));
        assert_eq!(split_cedex("83342 LE LUC CEDEX 2"), ("83342", "LE LUC"));
        assert_eq!(split_cedex("LE LUC"), ("", "LE LUC"));
        assert_eq!(split_cedex(""), ("", ""));
    }
}
