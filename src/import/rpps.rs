//! The Annuaire Santé extraction `PS_LibreAcces_Personne_activite_*.txt`: `|`-separated, a header
//! row naming the columns, a trailing `|`, no quoting, UTF-8 (BOM accepted) or Latin-1.
//!
//! The file is streamed line by line (the national file has close to two million rows): only the
//! commune code, or the postal code when the commune code is empty, is looked at before a row is
//! known to be in the territory; only those rows are decoded.

use super::reader::{Candidate, ImportError, ImportOptions, Place, Read, io_err, progress_bar};
use super::report::RowError;
use super::territory::Territory;
use super::tidy::{decode_text, tidy_case, tidy_case_tail, tidy_phone};
use crate::domain::ids;
use crate::domain::text::fold;
use crate::model::vocab;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// Columns read, by name as the file's header writes them.
mod col {
    pub(super) const TYPE_ID: &str = "Type d'identifiant PP";
    pub(super) const ID: &str = "Identifiant PP";
    pub(super) const NATIONAL_ID: &str = "Identification nationale PP";
    pub(super) const CODE_CIVILITE_EXERCICE: &str = "Code civilité d'exercice";
    pub(super) const CIVILITE_EXERCICE: &str = "Libellé civilité d'exercice";
    pub(super) const CODE_CIVILITE: &str = "Code civilité";
    pub(super) const CIVILITE: &str = "Libellé civilité";
    pub(super) const NOM: &str = "Nom d'exercice";
    pub(super) const PRENOM: &str = "Prénom d'exercice";
    pub(super) const CODE_PROFESSION: &str = "Code profession";
    pub(super) const PROFESSION: &str = "Libellé profession";
    pub(super) const CODE_SAVOIR_FAIRE: &str = "Code savoir-faire";
    pub(super) const SAVOIR_FAIRE: &str = "Libellé savoir-faire";
    pub(super) const MODE: &str = "Code mode exercice";
    pub(super) const RAISON_SOCIALE: &str = "Raison sociale site";
    pub(super) const ENSEIGNE: &str = "Enseigne commerciale site";
    pub(super) const COMPLEMENT: &str = "Complément point géographique (coord. structure)";
    pub(super) const NUMERO: &str = "Numéro Voie (coord. structure)";
    pub(super) const INDICE: &str = "Indice répétition voie (coord. structure)";
    pub(super) const TYPE_VOIE: &str = "Libellé type de voie (coord. structure)";
    pub(super) const VOIE: &str = "Libellé Voie (coord. structure)";
    pub(super) const MENTION: &str = "Mention distribution (coord. structure)";
    pub(super) const CODE_POSTAL: &str = "Code postal (coord. structure)";
    pub(super) const CODE_COMMUNE: &str = "Code commune (coord. structure)";
    pub(super) const COMMUNE: &str = "Libellé commune (coord. structure)";
    pub(super) const TELEPHONE: &str = "Téléphone (coord. structure)";
    pub(super) const TELEPHONE2: &str = "Téléphone 2 (coord. structure)";
    pub(super) const COURRIEL: &str = "Adresse e-mail (coord. structure)";
}

/// Comparable form of a column name: letters and digits only, no accents, lower case.
fn col_key(name: &str) -> String {
    fold(name).chars().filter(char::is_ascii_alphanumeric).collect()
}

/// Column positions, found by name in the header.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn get(&self, name: &str) -> Option<usize> {
        self.0.get(&col_key(name)).copied()
    }
}

/// The decoded values of one row.
struct Fields<'a> {
    cols: &'a Columns,
    values: Vec<&'a str>,
}

impl<'a> Fields<'a> {
    /// The value of a column, empty when the column or the value is missing.
    fn get(&self, name: &str) -> &'a str {
        self.cols.get(name).and_then(|i| self.values.get(i)).copied().unwrap_or("")
    }
}

/// Reads the extraction and returns the territory's professionals.
pub fn read(file: &Path, territory: &Territory, opts: &ImportOptions) -> Result<Read, ImportError> {
    let f = std::fs::File::open(file).map_err(|e| io_err(file, e))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let pb = progress_bar(len, opts.progress);
    let mut reader = BufReader::with_capacity(1 << 20, pb.wrap_read(f));
    let mut line: Vec<u8> = Vec::with_capacity(4096);
    let n = reader.read_until(b'\n', &mut line).map_err(|e| io_err(file, e))?;
    if n == 0 {
        return Err(ImportError::Format(format!("{} est vide", file.display())));
    }
    let header = decode_text(trim_eol(&line)).into_owned();
    if !header.contains('|') {
        return Err(ImportError::Format(format!(
            "{} : la première ligne n’est pas un en-tête séparé par « | » ; est-ce bien l’extraction PS_LibreAcces_Personne_activite ?",
            file.display()
        )));
    }
    let cols = Columns(header.split('|').enumerate().map(|(i, name)| (col_key(name.trim()), i)).collect());
    let required = [col::ID, col::NOM, col::CODE_PROFESSION, col::CODE_POSTAL, col::CODE_COMMUNE, col::COMMUNE];
    let missing: Vec<&str> = required.iter().copied().filter(|c| cols.get(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(ImportError::Format(format!(
            "{} : colonnes absentes de l’en-tête : {}",
            file.display(),
            missing.iter().map(|m| format!("« {m} »")).collect::<Vec<_>>().join(", ")
        )));
    }
    let (i_commune, i_cp, i_libcommune) = (
        cols.get(col::CODE_COMMUNE).unwrap_or(0),
        cols.get(col::CODE_POSTAL).unwrap_or(0),
        cols.get(col::COMMUNE).unwrap_or(0),
    );

    let mut out = Read::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut modes: Vec<(bool, bool)> = Vec::new();
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(64);
    let mut lineno = 1usize;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(|e| io_err(file, e))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        let l = trim_eol(&line);
        if l.is_empty() {
            continue;
        }
        out.report.rows += 1;
        ranges.clear();
        let mut start = 0;
        for (i, b) in l.iter().enumerate() {
            if *b == b'|' {
                ranges.push((start, i));
                start = i + 1;
            }
        }
        ranges.push((start, l.len()));
        let field = |i: usize| ranges.get(i).map_or(&b""[..], |&(a, b)| l[a..b].trim_ascii());
        // Early filter, on raw bytes: commune code, else postal code then name.
        let code = field(i_commune);
        let insee = if !code.is_empty() {
            match std::str::from_utf8(code) {
                Ok(c) if territory.has_insee(c) => c.to_string(),
                _ => continue,
            }
        } else {
            let cp = field(i_cp);
            match std::str::from_utf8(cp) {
                Ok(cp) if territory.has_postal(cp) => {
                    let name = decode_text(field(i_libcommune));
                    match territory.resolve(cp, &name) {
                        Some(c) => c.insee.clone(),
                        None => continue,
                    }
                }
                _ => continue,
            }
        };
        out.report.kept += 1;
        let text = decode_text(l);
        let fields = Fields { cols: &cols, values: text.split('|').map(str::trim).collect() };
        row(lineno, &fields, &insee, territory, &mut out, &mut index, &mut modes);
    }
    pb.finish_and_clear();
    for (c, (l, s)) in out.candidates.iter_mut().zip(modes) {
        c.exercice = match (l, s) {
            (true, true) => Some("mixte".into()),
            (true, false) => Some("liberal".into()),
            (false, true) => Some("salarie".into()),
            (false, false) => None,
        };
    }
    Ok(out)
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let mut l = line;
    while let Some((&last, rest)) = l.split_last() {
        if last == b'\n' || last == b'\r' {
            l = rest;
        } else {
            break;
        }
    }
    let l = l.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(l);
    l.strip_suffix(b"|").unwrap_or(l)
}

/// One row of the territory: adds or completes a candidate.
fn row(
    lineno: usize,
    f: &Fields<'_>,
    insee: &str,
    territory: &Territory,
    out: &mut Read,
    index: &mut HashMap<String, usize>,
    modes: &mut Vec<(bool, bool)>,
) {
    let reject = |out: &mut Read, column: &str, value: &str, reason: String| {
        out.report.rejected.push(RowError {
            row: lineno,
            column: Some(column.to_string()),
            value: value.to_string(),
            reason,
            dropped: true,
        });
    };
    // Identifier: RPPS (type 8) or ADELI (type 0).
    let raw_id = f.get(col::ID);
    let national = f.get(col::NATIONAL_ID);
    let kind = match f.get(col::TYPE_ID) {
        "" => national.chars().next().map(String::from).unwrap_or_default(),
        t => t.to_string(),
    };
    let id = if raw_id.is_empty() && national.len() > 1 { &national[1..] } else { raw_id };
    let (is_rpps, check) = match kind.as_str() {
        "8" => (true, ids::rpps(id)),
        "0" => (false, ids::adeli(id)),
        _ if id.len() == 11 => (true, ids::rpps(id)),
        _ => (false, ids::adeli(id)),
    };
    out.seen.people.insert(id.to_string());
    if let Err(why) = check {
        reject(out, col::ID, id, why.to_string());
        return;
    }
    let Some((profession, specialite)) = profession(
        f.get(col::CODE_PROFESSION),
        f.get(col::PROFESSION),
        f.get(col::CODE_SAVOIR_FAIRE),
        f.get(col::SAVOIR_FAIRE),
    ) else {
        let label = match f.get(col::PROFESSION) {
            "" => format!("code {}", f.get(col::CODE_PROFESSION)),
            l => l.to_string(),
        };
        *out.report.ignored.entry(format!("profession «\u{a0}{label}\u{a0}» hors du vocabulaire")).or_default() += 1;
        return;
    };
    let nom = f.get(col::NOM);
    if nom.is_empty() {
        reject(out, col::NOM, "", "nom d’exercice vide".into());
        return;
    }
    // Address.
    let numero = [f.get(col::NUMERO), f.get(col::INDICE)].concat();
    let (typ, voie) = (f.get(col::TYPE_VOIE).to_lowercase(), tidy_case_tail(f.get(col::VOIE)));
    let mut adresse = [numero.as_str(), typ.as_str(), voie.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if adresse.is_empty() {
        adresse = [f.get(col::COMPLEMENT), f.get(col::MENTION)]
            .iter()
            .find(|s| !s.is_empty())
            .map(|s| tidy_case(s))
            .unwrap_or_default();
    }
    if adresse.is_empty() {
        reject(out, col::VOIE, "", "adresse du lieu d’exercice vide".into());
        return;
    }
    let Some(commune) = territory.commune(insee) else { return };
    let cp = f.get(col::CODE_POSTAL);
    // A CEDEX or mistyped postal code would not match the commune: use the commune's own.
    let code_postal = if commune.codes_postaux.iter().any(|p| p == cp) {
        cp.to_string()
    } else {
        commune.codes_postaux.first().cloned().unwrap_or_default()
    };
    let site_name = [f.get(col::RAISON_SOCIALE), f.get(col::ENSEIGNE)].into_iter().find(|s| !s.is_empty());
    let place = Place {
        nom: site_name.map(tidy_case),
        adresse,
        code_postal,
        commune: insee.to_string(),
        coordonnees: None,
        telephone: tidy_phone(f.get(col::TELEPHONE)).or_else(|| tidy_phone(f.get(col::TELEPHONE2))),
        courriel: Some(f.get(col::COURRIEL))
            .filter(|m| m.contains('@') && !m.contains(char::is_whitespace))
            .map(String::from),
    };
    let mode = f.get(col::MODE);
    let key = format!("{}:{id}", if is_rpps { "rpps" } else { "adeli" });
    let i = *index.entry(key).or_insert_with(|| {
        let civilite = match (f.get(col::CODE_CIVILITE), fold(f.get(col::CIVILITE)).as_str()) {
            ("M", _) | (_, "monsieur") => Some("M.".to_string()),
            ("MME" | "MLLE", _) | (_, "madame" | "mademoiselle") => Some("Mme".to_string()),
            _ => None,
        };
        let titre = match (f.get(col::CODE_CIVILITE_EXERCICE), fold(f.get(col::CIVILITE_EXERCICE)).as_str()) {
            ("DR", _) | (_, "docteur") => Some("Dr".to_string()),
            ("PR", _) | (_, "professeur") => Some("Pr".to_string()),
            _ => None,
        };
        out.candidates.push(Candidate {
            civilite,
            titre,
            prenom: Some(tidy_case(f.get(col::PRENOM))).filter(|p| !p.is_empty()),
            nom: Some(tidy_case(nom)),
            profession: Some(profession.to_string()),
            specialite: specialite.clone(),
            rpps: is_rpps.then(|| id.to_string()),
            adeli: (!is_rpps).then(|| id.to_string()),
            ..Candidate::default()
        });
        modes.push((false, false));
        out.candidates.len() - 1
    });
    let c = &mut out.candidates[i];
    if c.specialite.is_none() {
        c.specialite = specialite;
    }
    match mode {
        "L" => modes[i].0 = true,
        "S" => modes[i].1 = true,
        _ => {}
    }
    c.add_place(place);
}

/// Maps a profession code (and savoir-faire, for doctors and pharmacists) to a vocabulary key and
/// an optional specialty label. `None` for professions the directory does not list.
pub fn profession(code: &str, label: &str, sf_code: &str, sf_label: &str) -> Option<(&'static str, Option<String>)> {
    let sf = fold(sf_label);
    let specialty = || Some(sf_label.trim()).filter(|s| !s.is_empty()).map(tidy_case);
    let key = match code {
        "10" => {
            if sf.contains("biologie medicale") {
                "biologiste"
            } else if sf_label.is_empty()
                || matches!(sf_code, "SM26" | "SM53" | "SM54")
                || sf.contains("medecine generale")
            {
                "medecin-generaliste"
            } else {
                return Some(("medecin-specialiste", specialty()));
            }
        }
        "21" if sf.contains("biologie medicale") => "biologiste",
        "21" => "pharmacien",
        "26" => "audioprothesiste",
        "28" => "opticien-lunetier",
        "40" => return Some(("chirurgien-dentiste", specialty())),
        "50" => "sage-femme",
        "60" | "69" if sf.contains("pratique avancee") => "infirmier-pratique-avancee",
        "60" | "69" => "infirmier",
        "70" => "masseur-kinesitherapeute",
        "80" => "pedicure-podologue",
        "91" => "orthophoniste",
        "92" => "orthoptiste",
        "93" => "psychologue",
        "94" => "ergotherapeute",
        "95" => "dieteticien",
        "96" => "psychomotricien",
        _ => {
            let l = fold(label);
            vocab::PROFESSIONS
                .iter()
                .find(|p| !l.is_empty() && (fold(p.masculine) == l || fold(p.feminine) == l))
                .map(|p| p.key)?
        }
    };
    Some((key, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn professions_map_to_the_vocabulary() {
        assert_eq!(profession("10", "Médecin", "SM54", "Médecine Générale"), Some(("medecin-generaliste", None)));
        assert_eq!(profession("10", "Médecin", "", ""), Some(("medecin-generaliste", None)));
        assert_eq!(
            profession("10", "Médecin", "SM04", "Cardiologie et maladies vasculaires"),
            Some(("medecin-specialiste", Some("Cardiologie et maladies vasculaires".into())))
        );
        assert_eq!(profession("10", "Médecin", "SM03", "Biologie médicale"), Some(("biologiste", None)));
        assert_eq!(profession("21", "Pharmacien", "", ""), Some(("pharmacien", None)));
        assert_eq!(profession("60", "Infirmier", "", ""), Some(("infirmier", None)));
        assert_eq!(profession("70", "Masseur-Kinésithérapeute", "", ""), Some(("masseur-kinesitherapeute", None)));
        assert_eq!(profession("99", "Ergothérapeute", "", ""), Some(("ergotherapeute", None)));
        assert_eq!(profession("39", "Préparateur en pharmacie", "", ""), None);
        for code in ["10", "21", "26", "28", "40", "50", "60", "70", "80", "91", "92", "93", "94", "95", "96"] {
            let (key, _) = profession(code, "", "", "").unwrap();
            assert!(vocab::profession(key).is_some(), "{key}");
        }
    }

    #[test]
    fn line_ends_bom_and_trailing_bar_are_removed() {
        assert_eq!(trim_eol(b"\xEF\xBB\xBFa|b|\r\n"), b"a|b");
        assert_eq!(trim_eol(b"a|b|\n"), b"a|b");
        assert_eq!(trim_eol(b"a|b"), b"a|b");
    }
}
