//! The territory's communes as `content/cpts.yaml` lists them, with what recognises a commune in
//! a source: INSEE code, postal codes, and names compared without accents, case or `CEDEX`.

use super::reader::{ImportError, io_err};
use crate::domain::text::fold;
use crate::model::Cpts;
use crate::source::decode_yaml;
use std::collections::HashSet;
use std::fs;
use std::path::Path;

/// One commune of the territory, with what is needed to recognise it in a source.
#[derive(Debug, Clone)]
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

/// The territory's communes, read from `content/cpts.yaml`.
#[derive(Debug, Clone)]
pub struct Territory {
    /// The communes.
    pub communes: Vec<TerritoryCommune>,
    /// Département of the CPTS.
    pub departement: String,
    insee: HashSet<String>,
    postal: HashSet<String>,
}

impl Territory {
    /// Reads `ROOT/content/cpts.yaml`.
    pub fn load(root: &Path) -> Result<Territory, ImportError> {
        let path = root.join("content").join("cpts.yaml");
        let rel = "content/cpts.yaml";
        let text = fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
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
        let insee = communes.iter().map(|c| c.insee.clone()).collect();
        let postal = communes.iter().flat_map(|c| c.codes_postaux.iter().cloned()).collect();
        Territory { communes, departement, insee, postal }
    }

    /// Whether an INSEE code belongs to the territory.
    pub fn has_insee(&self, code: &str) -> bool {
        self.insee.contains(code)
    }

    /// Whether a postal code is one of the territory's.
    pub fn has_postal(&self, code: &str) -> bool {
        self.postal.contains(code)
    }

    /// The commune with this INSEE code.
    pub fn commune(&self, insee: &str) -> Option<&TerritoryCommune> {
        self.communes.iter().find(|c| c.insee == insee)
    }

    /// Finds a commune from a postal code and a name as sources write them ("ST ANTONIN DU VAR",
    /// "LE LUC CEDEX"). With no name, a postal code that belongs to one commune only is enough.
    pub fn resolve(&self, postal: &str, name: &str) -> Option<&TerritoryCommune> {
        let key = commune_key(name);
        let with_postal =
            || self.communes.iter().filter(|c| postal.is_empty() || c.codes_postaux.iter().any(|p| p == postal));
        if key.is_empty() {
            let mut it = with_postal();
            let first = it.next()?;
            return (it.next().is_none() && !postal.is_empty()).then_some(first);
        }
        with_postal().find(|c| commune_key(&c.nom) == key)
    }

    /// Finds a commune from an INSEE code or a name (spreadsheets accept both).
    pub fn find(&self, value: &str, postal: &str) -> Option<&TerritoryCommune> {
        let v = value.trim();
        self.commune(v).or_else(|| self.resolve(postal, v)).or_else(|| self.resolve("", v))
    }
}

/// Comparable form of a commune name: no accents, case, punctuation, `CEDEX`, and `ST`/`STE` for
/// `Saint`/`Sainte`.
pub fn commune_key(name: &str) -> String {
    let folded = fold(name);
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "cedex" && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(|w| match w {
            "saint" => "st",
            "sainte" => "ste",
            w => w,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
                c("83136", "Le Thoronet", "83340"),
                c("83148", "Vidauban", "83550"),
                c("83119", "Saint-Antonin-du-Var", "83510"),
            ],
            "83".into(),
        )
    }

    #[test]
    fn communes_are_found_by_postal_code_and_name() {
        let t = territory();
        assert_eq!(t.resolve("83340", "LE LUC CEDEX").map(|c| c.insee.as_str()), Some("83073"));
        assert_eq!(t.resolve("83340", "le thoronet").map(|c| c.insee.as_str()), Some("83136"));
        assert_eq!(t.resolve("83510", "ST ANTONIN DU VAR").map(|c| c.insee.as_str()), Some("83119"));
        assert_eq!(t.resolve("83550", "").map(|c| c.insee.as_str()), Some("83148"));
        assert!(t.resolve("83340", "").is_none(), "83340 is shared");
        assert!(t.resolve("83340", "DRAGUIGNAN").is_none());
    }
}
