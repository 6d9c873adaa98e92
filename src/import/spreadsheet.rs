//! A coordinator's spreadsheet: CSV (`;` or `,`, UTF-8 or Windows-1252) or a workbook (XLSX, XLS,
//! ODS; the first sheet). The first row names the columns; names are matched without accents or
//! case (« Prénom », « PRENOM », « prénom » alike), and `--map "Colonne=cle"` adds others.

use super::reader::{Candidate, ImportError, ImportOptions, Place, Read, io_err};
use super::report::RowError;
use super::territory::Territory;
use super::tidy::{decode_text, tidy_phone};
use crate::domain::ids;
use crate::domain::text::{fold, slugify};
use crate::model::vocab;
use std::collections::HashMap;
use std::path::Path;

/// The keys a column can be mapped to, with the header names recognised for each.
pub const KEYS: &[(&str, &[&str])] = &[
    ("civilite", &["civilite", "genre", "sexe"]),
    ("titre", &["titre"]),
    ("prenom", &["prenom"]),
    ("nom", &["nom", "nom d'exercice", "nom de famille"]),
    ("raison_sociale", &["raison sociale", "etablissement", "nom de la structure"]),
    ("profession", &["profession", "metier"]),
    ("structure", &["structure", "type de structure"]),
    ("specialite", &["specialite"]),
    ("rpps", &["rpps", "n rpps", "numero rpps", "identifiant rpps"]),
    ("adeli", &["adeli", "n adeli", "numero adeli"]),
    ("finess", &["finess", "n finess", "numero finess"]),
    ("siret", &["siret", "n siret", "numero siret"]),
    ("exercice", &["exercice", "mode d'exercice", "mode exercice"]),
    ("lieu", &["lieu", "nom du lieu", "cabinet"]),
    ("adresse", &["adresse", "adresse postale", "rue"]),
    ("code_postal", &["code postal", "cp"]),
    ("commune", &["commune", "ville", "localite"]),
    ("code_commune", &["code commune", "code insee", "insee"]),
    ("telephone", &["telephone", "tel", "telephone fixe", "tel fixe"]),
    ("courriel", &["courriel", "email", "e-mail", "mail", "adresse e-mail", "adresse mail", "adresse electronique"]),
];

fn header_key(s: &str) -> String {
    fold(s).chars().filter(char::is_ascii_alphanumeric).collect()
}

/// Reads a CSV file.
pub fn read_csv(file: &Path, territory: &Territory, opts: &ImportOptions) -> Result<Read, ImportError> {
    let bytes = std::fs::read(file).map_err(|e| io_err(file, e))?;
    let text = decode_text(&bytes);
    let first = text.lines().next().unwrap_or("");
    let delimiter =
        [b';', b',', b'\t'].into_iter().max_by_key(|d| first.matches(char::from(*d)).count()).unwrap_or(b';');
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| ImportError::Format(format!("{} : CSV illisible ({e})", file.display())))?;
        rows.push(r.iter().map(str::to_string).collect::<Vec<_>>());
    }
    from_rows(rows, territory, opts)
}

/// Reads the first sheet of an XLSX, XLS or ODS workbook.
pub fn read_workbook(file: &Path, territory: &Territory, opts: &ImportOptions) -> Result<Read, ImportError> {
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto(file)
        .map_err(|e| ImportError::Format(format!("{} : classeur illisible ({e})", file.display())))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| ImportError::Format(format!("{} : le classeur n’a aucune feuille", file.display())))?
        .map_err(|e| ImportError::Format(format!("{} : feuille illisible ({e})", file.display())))?;
    let rows = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => if *b { "oui" } else { "non" }.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    from_rows(rows, territory, opts)
}

/// Maps the header, then reads every row.
fn from_rows(rows: Vec<Vec<String>>, territory: &Territory, opts: &ImportOptions) -> Result<Read, ImportError> {
    let mut out = Read::default();
    let Some(header) = rows.first() else {
        return Err(ImportError::Format("le tableau est vide".into()));
    };
    let mut extra: HashMap<String, &str> = HashMap::new();
    for (col, key) in &opts.map {
        let Some((k, _)) = KEYS.iter().find(|(k, _)| *k == key.trim()) else {
            let keys: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
            return Err(ImportError::Format(format!(
                "--map « {col}={key} » : clé inconnue ; clés possibles : {}",
                keys.join(", ")
            )));
        };
        extra.insert(header_key(col), k);
    }
    let mut columns: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let hk = header_key(h);
        if hk.is_empty() {
            continue;
        }
        let key = extra
            .get(&hk)
            .copied()
            .or_else(|| KEYS.iter().find(|(_, names)| names.iter().any(|n| header_key(n) == hk)).map(|(k, _)| *k));
        match key {
            Some(k) => {
                columns.entry(k).or_insert(i);
            }
            None => out.report.unused_columns.push(h.trim().to_string()),
        }
    }
    let has_name = columns.contains_key("nom") || columns.contains_key("raison_sociale");
    if !has_name
        || !columns.contains_key("adresse")
        || !(columns.contains_key("commune") || columns.contains_key("code_commune"))
    {
        return Err(ImportError::Format(format!(
            "colonnes indispensables absentes : il faut « Nom » (ou « Raison sociale »), « Adresse » et « Commune » (ou « Code commune ») ; en-tête lu : {}",
            header.join(" | ")
        )));
    }
    let header_names: HashMap<&str, String> =
        columns.iter().map(|(k, &i)| (*k, header.get(i).map_or_else(String::new, |h| h.trim().to_string()))).collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (n, row) in rows.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.report.rows += 1;
        let line = n + 1;
        let cells = Cells { columns: &columns, row };
        let col = |k: &str| header_names.get(k).cloned();
        let mut errors: Vec<RowError> = Vec::new();
        let mut err = |k: &str, value: &str, reason: String, dropped: bool| {
            errors.push(RowError { row: line, column: col(k), value: value.to_string(), reason, dropped });
        };
        let c = parse_row(&cells, territory, &mut err);
        let dropped = errors.iter().any(|e| e.dropped);
        out.report.rejected.extend(errors);
        let Some(c) = c.filter(|_| !dropped) else { continue };
        out.report.kept += 1;
        let key = [("rpps", &c.rpps), ("adeli", &c.adeli), ("finess", &c.finess), ("siret", &c.siret)]
            .iter()
            .find_map(|(k, v)| v.as_ref().map(|v| format!("{k}:{v}")))
            .unwrap_or_else(|| format!("nom:{}", slugify(&c.display_name())));
        match index.get(&key) {
            Some(&i) => {
                for p in c.lieux {
                    out.candidates[i].add_place(p);
                }
            }
            None => {
                index.insert(key, out.candidates.len());
                out.candidates.push(c);
            }
        }
    }
    Ok(out)
}

/// Finds a vocabulary key from what a person would write ("Infirmière", "kiné", "MSP").
fn match_vocab(value: &str) -> Option<(bool, &'static str)> {
    let v = header_key(value);
    if v.is_empty() {
        return None;
    }
    const ALIASES: &[(&str, &str)] = &[
        ("medecin", "medecin-generaliste"),
        ("mg", "medecin-generaliste"),
        ("generaliste", "medecin-generaliste"),
        ("ide", "infirmier"),
        ("idel", "infirmier"),
        ("ipa", "infirmier-pratique-avancee"),
        ("kine", "masseur-kinesitherapeute"),
        ("kinesitherapeute", "masseur-kinesitherapeute"),
        ("dentiste", "chirurgien-dentiste"),
        ("podologue", "pedicure-podologue"),
        ("sagefemme", "sage-femme"),
        ("opticien", "opticien-lunetier"),
    ];
    if let Some((_, k)) = ALIASES.iter().find(|(a, _)| *a == v) {
        return Some((true, k));
    }
    if let Some(p) = vocab::PROFESSIONS
        .iter()
        .find(|p| [p.key, p.masculine, p.feminine, p.plural].iter().any(|l| header_key(l) == v))
    {
        return Some((true, p.key));
    }
    vocab::STRUCTURES
        .iter()
        .find(|s| [s.key, s.label, s.plural].iter().any(|l| header_key(l) == v))
        .map(|s| (false, s.key))
}

/// The cells of one row, by key.
struct Cells<'a> {
    columns: &'a HashMap<&'static str, usize>,
    row: &'a [String],
}

impl<'a> Cells<'a> {
    /// The trimmed value of a key's column, empty when absent.
    fn get(&self, key: &str) -> &'a str {
        self.columns.get(key).and_then(|&i| self.row.get(i)).map_or("", |s| s.trim())
    }
}

/// An identifier check of [`ids`].
type IdCheck = fn(&str) -> Result<(), ids::IdError>;

type ErrFn<'a> = dyn FnMut(&str, &str, String, bool) + 'a;

/// One row to a candidate; problems go to `err` (`dropped` when the row cannot be used).
fn parse_row(cells: &Cells<'_>, territory: &Territory, err: &mut ErrFn<'_>) -> Option<Candidate> {
    let mut c = Candidate::default();
    let raison = cells.get("raison_sociale");
    let structure_cell = cells.get("structure");
    let profession_cell = cells.get("profession");
    // Person or structure.
    let kind_cell =
        if !structure_cell.is_empty() { ("structure", structure_cell) } else { ("profession", profession_cell) };
    match match_vocab(kind_cell.1) {
        Some((true, key)) => c.profession = Some(key.into()),
        Some((false, key)) => c.structure = Some(key.into()),
        None => {
            let keys: Vec<&str> = vocab::PROFESSIONS.iter().map(|p| p.masculine).collect();
            let reason = if kind_cell.1.is_empty() {
                "profession ou type de structure manquant".to_string()
            } else {
                format!("profession ou structure inconnue ; professions reconnues : {}", keys.join(", "))
            };
            err(kind_cell.0, kind_cell.1, reason, true);
            return None;
        }
    }
    if c.structure.is_some() {
        let name = if raison.is_empty() { cells.get("nom") } else { raison };
        if name.is_empty() {
            err("raison_sociale", "", "raison sociale manquante pour une structure".into(), true);
        }
        c.raison_sociale = Some(name.to_string());
    } else {
        let (prenom, nom) = (cells.get("prenom"), cells.get("nom"));
        if nom.is_empty() {
            err("nom", "", "nom manquant".into(), true);
        }
        if prenom.is_empty() {
            err("prenom", "", "prénom manquant".into(), true);
        }
        c.prenom = Some(prenom.to_string());
        c.nom = Some(nom.to_string());
        let civ = cells.get("civilite");
        c.civilite = match fold(civ).trim_end_matches('.') {
            "m" | "mr" | "monsieur" | "h" | "homme" => Some("M.".into()),
            "mme" | "madame" | "mlle" | "mademoiselle" | "f" | "femme" => Some("Mme".into()),
            _ => {
                let reason = if civ.is_empty() { "civilité manquante" } else { "civilité inconnue" };
                err("civilite", civ, format!("{reason} : écrivez « M. » ou « Mme »"), true);
                None
            }
        };
        let titre = cells.get("titre");
        c.titre = match fold(titre).trim_end_matches('.') {
            "" => None,
            "dr" | "docteur" => Some("Dr".into()),
            "pr" | "professeur" => Some("Pr".into()),
            _ => {
                err("titre", titre, "titre inconnu : écrivez « Dr » ou « Pr »".into(), false);
                None
            }
        };
        c.specialite = Some(cells.get("specialite").to_string()).filter(|s| !s.is_empty());
    }
    // Identifiers: a wrong one drops the row (it would attach the row to the wrong member).
    let checks: [(&str, IdCheck); 4] =
        [("rpps", ids::rpps), ("adeli", ids::adeli), ("finess", ids::finess), ("siret", ids::siret)];
    for (k, check) in checks {
        let v: String = cells.get(k).chars().filter(|c| !c.is_whitespace()).collect();
        if v.is_empty() {
            continue;
        }
        if let Err(why) = check(&v) {
            err(k, cells.get(k), why.to_string(), true);
            continue;
        }
        match k {
            "rpps" => c.rpps = Some(v),
            "adeli" => c.adeli = Some(v),
            "finess" => c.finess = Some(v),
            _ => c.siret = Some(v),
        }
    }
    let ex = cells.get("exercice");
    c.exercice = match fold(ex).as_str() {
        "" => None,
        "liberal" | "l" => Some("liberal".into()),
        "salarie" | "s" => Some("salarie".into()),
        "mixte" => Some("mixte".into()),
        _ => {
            err("exercice", ex, "mode d’exercice inconnu : libéral, salarié ou mixte".into(), false);
            None
        }
    };
    // The place.
    let adresse = cells.get("adresse");
    if adresse.is_empty() {
        err("adresse", "", "adresse manquante".into(), true);
    }
    let mut cp = cells.get("code_postal").to_string();
    if cp.len() == 4 && cp.bytes().all(|b| b.is_ascii_digit()) {
        cp.insert(0, '0');
    }
    let commune_cell = if cells.get("code_commune").is_empty() {
        ("commune", cells.get("commune"))
    } else {
        ("code_commune", cells.get("code_commune"))
    };
    let commune = territory.find(commune_cell.1, &cp);
    let Some(commune) = commune else {
        let names: Vec<&str> = territory.communes.iter().map(|c| c.nom.as_str()).collect();
        err(
            commune_cell.0,
            commune_cell.1,
            format!("commune hors du territoire de la CPTS ({})", names.join(", ")),
            true,
        );
        return None;
    };
    if cp.is_empty() {
        cp = commune.codes_postaux.first().cloned().unwrap_or_default();
    } else if !commune.codes_postaux.contains(&cp) {
        err(
            "code_postal",
            &cp,
            format!("ce n’est pas un code postal de {} ({})", commune.nom, commune.codes_postaux.join(", ")),
            true,
        );
    }
    let tel = cells.get("telephone");
    let digits: String = tel.chars().filter(char::is_ascii_digit).collect();
    // Spreadsheets turn 0494123456 into the number 494123456.
    let tel_fixed =
        if digits.len() == 9 && digits == tel && !tel.starts_with('0') { format!("0{tel}") } else { tel.to_string() };
    let telephone = tidy_phone(&tel_fixed);
    if !tel.is_empty() && telephone.is_none() {
        err("telephone", tel, "numéro de téléphone français invalide (10 chiffres, ex. 04 94 12 34 56)".into(), false);
    }
    let mail = cells.get("courriel");
    let courriel = Some(mail).filter(|m| !m.is_empty()).and_then(|m| {
        if m.contains('@') && !m.contains(char::is_whitespace) {
            Some(m.to_string())
        } else {
            err("courriel", m, "adresse électronique invalide".into(), false);
            None
        }
    });
    c.lieux.push(Place {
        nom: Some(cells.get("lieu").to_string()).filter(|s| !s.is_empty()),
        adresse: adresse.to_string(),
        code_postal: cp,
        commune: commune.insee.clone(),
        coordonnees: None,
        telephone,
        courriel,
    });
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_people_write_map_to_the_vocabulary() {
        assert_eq!(match_vocab("Infirmière"), Some((true, "infirmier")));
        assert_eq!(match_vocab("KINE"), Some((true, "masseur-kinesitherapeute")));
        assert_eq!(match_vocab("Médecin généraliste"), Some((true, "medecin-generaliste")));
        assert_eq!(match_vocab("Pharmacie"), Some((false, "pharmacie")));
        assert_eq!(match_vocab("EHPAD"), Some((false, "ehpad")));
        assert_eq!(match_vocab("Plombier"), None);
    }
}
