//! The Annuaire Santé extraction `PS_LibreAcces_Personne_activite_*.txt`: `|`-separated, a header
//! row naming the columns, a trailing `|`, no quoting, UTF-8 (BOM accepted) or Latin-1.
//!
//! The file is streamed line by line (the national file has close to two million rows): only the
//! commune code, or the postal and CEDEX codes when the commune code is empty, are looked at
//! before a row is known to be possibly in the territory; only those rows are decoded, and placed
//! by postal code and commune name ([`Territory::place`]).

use super::encoding::{decode_line, open_stream};
use super::reader::{Candidate, ImportError, ImportOptions, Place, Read, compose_address, io_err, progress_bar};
use super::territory::{Placement, Territory, TerritoryCommune};
use super::tidy::{heading_key, tidy_case, tidy_case_tail, tidy_person, tidy_phone};
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
    pub(super) const CEDEX: &str = "Bureau cedex (coord. structure)";
    pub(super) const CODE_POSTAL: &str = "Code postal (coord. structure)";
    pub(super) const CODE_COMMUNE: &str = "Code commune (coord. structure)";
    pub(super) const COMMUNE: &str = "Libellé commune (coord. structure)";
    pub(super) const TELEPHONE: &str = "Téléphone (coord. structure)";
    pub(super) const TELEPHONE2: &str = "Téléphone 2 (coord. structure)";
    pub(super) const COURRIEL: &str = "Adresse e-mail (coord. structure)";
}

/// Column positions, found by name in the header.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn get(&self, name: &str) -> Option<usize> {
        self.0.get(&heading_key(name)).copied()
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
    let (encoding, len, stream) = open_stream(file)?;
    let pb = progress_bar(len, opts.progress);
    let mut reader = BufReader::with_capacity(1 << 20, pb.wrap_read(stream));
    let mut line: Vec<u8> = Vec::with_capacity(4096);
    let n = reader.read_until(b'\n', &mut line).map_err(|e| io_err(file, e))?;
    if n == 0 {
        return Err(ImportError::Format(format!("{} est vide", file.display())));
    }
    let Some(header) = decode_line(trim_eol(&line)).map(|h| h.into_owned()) else {
        return Err(ImportError::Format(format!(
            "{} : la première ligne contient des caractères de contrôle ; est-ce bien un fichier texte ?",
            file.display()
        )));
    };
    if !header.contains('|') {
        return Err(ImportError::Format(format!(
            "{} : la première ligne n’est pas un en-tête séparé par « | » ; est-ce bien l’extraction PS_LibreAcces_Personne_activite ?",
            file.display()
        )));
    }
    let cols = Columns(header.split('|').enumerate().map(|(i, name)| (heading_key(name.trim()), i)).collect());
    let required = [col::ID, col::NOM, col::CODE_PROFESSION, col::CODE_POSTAL, col::CODE_COMMUNE, col::COMMUNE];
    let missing: Vec<&str> = required.iter().copied().filter(|c| cols.get(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(ImportError::Format(format!(
            "{} : colonnes absentes de l’en-tête : {} ; est-ce bien l’extraction PS_LibreAcces_Personne_activite ?",
            file.display(),
            missing.iter().map(|m| format!("« {m} »")).collect::<Vec<_>>().join(", ")
        )));
    }
    let at = |name: &str| cols.get(name).unwrap_or(usize::MAX);
    let (i_commune, i_cp, i_libcommune, i_cedex) =
        (at(col::CODE_COMMUNE), at(col::CODE_POSTAL), at(col::COMMUNE), at(col::CEDEX));

    let mut out = Read::default();
    out.report.encoding = encoding.label().to_string();
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
        if l.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.report.rows.read += 1;
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
        // Where the row is, looked at on raw bytes first: most rows of the national file are
        // outside by their commune code, or their postal code's département.
        let code = field(i_commune);
        let placement = if !code.is_empty() {
            match std::str::from_utf8(code).ok().and_then(|c| territory.commune(c)) {
                Some(c) => Placement::Inside(c),
                None => Placement::Outside,
            }
        } else {
            let (cp, cedex) = (field(i_cp), field(i_cedex));
            let near = |b: &[u8]| std::str::from_utf8(b.get(..5).unwrap_or(b)).is_ok_and(|c| territory.near_postal(c));
            if !near(cp) && !near(cedex) {
                Placement::Outside
            } else {
                let text = |b: &[u8]| decode_line(b).map(|t| t.into_owned()).unwrap_or_default();
                territory.place(&text(cp), &text(field(i_libcommune)), &text(cedex))
            }
        };
        if matches!(placement, Placement::Outside) {
            out.report.rows.outside += 1;
            continue;
        }
        let Some(text) = decode_line(l) else {
            out.report.refuse(lineno, None, "", "ligne illisible : elle contient des caractères de contrôle");
            continue;
        };
        let fields = Fields { cols: &cols, values: text.split('|').map(str::trim).collect() };
        match placement {
            Placement::Inside(c) => row(lineno, &fields, c, &mut out, &mut index, &mut modes),
            Placement::Ambiguous(why) | Placement::Unknown(why) => {
                // Perhaps one of the territory's professionals: never reported as gone.
                let (id, _) = identifier(&fields);
                out.seen.people.insert(id.to_string());
                let value = [fields.get(col::CODE_POSTAL), fields.get(col::COMMUNE), fields.get(col::CEDEX)]
                    .into_iter()
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                out.report.ambiguous(lineno, Some(col::COMMUNE), &value, format!("{} : {why}", who(&fields)));
            }
            Placement::Outside => {}
        }
    }
    pb.finish_and_clear();
    if out.report.rows.read == 0 {
        return Err(ImportError::Format(format!(
            "{} : l’en-tête est là, mais aucune ligne de données ne suit",
            file.display()
        )));
    }
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

/// The row's identifier and whether it is an RPPS number (type 8) rather than ADELI (type 0).
fn identifier<'a>(f: &Fields<'a>) -> (&'a str, bool) {
    let raw_id = f.get(col::ID);
    let national = f.get(col::NATIONAL_ID);
    let kind = match f.get(col::TYPE_ID) {
        "" => national.get(..1).unwrap_or_default(),
        t => t,
    };
    let id = if raw_id.is_empty() { national.get(1..).unwrap_or_default() } else { raw_id };
    let is_rpps = match kind {
        "8" => true,
        "0" => false,
        _ => id.len() == 11,
    };
    (id, is_rpps)
}

/// Who a row is about, for the report: name and identifier.
fn who(f: &Fields<'_>) -> String {
    let (id, is_rpps) = identifier(f);
    let name = [tidy_person(f.get(col::PRENOM)), tidy_person(f.get(col::NOM))]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    format!("{name} ({} {id})", if is_rpps { "RPPS" } else { "ADELI" })
}

/// The civilité a row states (`M.`, `Mme`), and its title (`Dr`, `Pr`): nothing is derived where
/// the columns are empty. Some files put `M`/`MME` in the columns of the title.
fn civilite_and_titre(f: &Fields<'_>) -> (Option<String>, Option<String>) {
    let mut civilite = None;
    let mut titre = None;
    let pairs = [
        (f.get(col::CODE_CIVILITE), f.get(col::CIVILITE)),
        (f.get(col::CODE_CIVILITE_EXERCICE), f.get(col::CIVILITE_EXERCICE)),
    ];
    for (code, label) in pairs {
        match (code.to_ascii_uppercase().as_str(), fold(label).as_str()) {
            ("M", _) | (_, "monsieur") => civilite = civilite.or(Some("M.")),
            ("MME" | "MLLE", _) | (_, "madame" | "mademoiselle") => civilite = civilite.or(Some("Mme")),
            ("DR", _) | (_, "docteur") => titre = titre.or(Some("Dr")),
            ("PR", _) | (_, "professeur") => titre = titre.or(Some("Pr")),
            _ => {}
        }
    }
    (civilite.map(str::to_string), titre.map(str::to_string))
}

/// One row of the territory: adds or completes a candidate.
fn row(
    lineno: usize,
    f: &Fields<'_>,
    commune: &TerritoryCommune,
    out: &mut Read,
    index: &mut HashMap<String, usize>,
    modes: &mut Vec<(bool, bool)>,
) {
    let (id, is_rpps) = identifier(f);
    out.seen.people.insert(id.to_string());
    out.seen.communes.insert(commune.insee.clone());
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
        out.report.ignore(lineno, format!("profession «\u{a0}{label}\u{a0}» hors du vocabulaire"));
        return;
    };
    out.seen.kinds.insert(profession.to_string());
    let check = if is_rpps { ids::rpps(id) } else { ids::adeli(id) };
    if let Err(why) = check {
        out.report.refuse(lineno, Some(col::ID), id, why.to_string());
        return;
    }
    let nom = f.get(col::NOM);
    if nom.is_empty() {
        out.report.refuse(lineno, Some(col::NOM), "", "nom d’exercice vide");
        return;
    }
    if f.get(col::PRENOM).is_empty() {
        out.report.refuse(
            lineno,
            Some(col::PRENOM),
            "",
            "prénom d’exercice vide : une fiche de professionnel a un prénom",
        );
        return;
    }
    // Address: AFNOR lines 3 (complement: a building, often the site's name), 4 (number and
    // street) and 5 (distribution: BP, lieu-dit), all kept.
    let numero = [f.get(col::NUMERO), f.get(col::INDICE)].concat();
    let (typ, voie) = (f.get(col::TYPE_VOIE).to_lowercase(), tidy_case_tail(f.get(col::VOIE)));
    let street = [numero.as_str(), typ.as_str(), voie.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let complement = tidy_case(f.get(col::COMPLEMENT));
    let mention = tidy_case(f.get(col::MENTION));
    let site_name =
        [f.get(col::RAISON_SOCIALE), f.get(col::ENSEIGNE)].into_iter().find(|s| !s.is_empty()).map(tidy_case);
    let (nom_lieu, adresse) = compose_address(site_name, &complement, &street, &mention);
    if adresse.is_empty() {
        out.report.refuse(lineno, Some(col::VOIE), "", "adresse du lieu d’exercice vide");
        return;
    }
    let code_postal = commune.postal_code(f.get(col::CODE_POSTAL));
    let report = &mut out.report;
    let telephone = [col::TELEPHONE, col::TELEPHONE2].into_iter().find_map(|c| {
        let raw = f.get(c);
        match tidy_phone(raw) {
            None if !raw.is_empty() => {
                report.leave_out(lineno, c, raw, "numéro de téléphone français invalide");
                None
            }
            t => t,
        }
    });
    let courriel = match f.get(col::COURRIEL) {
        "" => None,
        m => match ids::email(m) {
            Ok(()) => Some(m.to_string()),
            Err(why) => {
                report.leave_out(lineno, col::COURRIEL, m, why);
                None
            }
        },
    };
    let place = Place {
        nom: nom_lieu,
        adresse,
        code_postal,
        commune: commune.insee.clone(),
        coordonnees: None,
        telephone,
        courriel,
        accessible_pmr: None,
    };
    let mode = f.get(col::MODE);
    let key = format!("{}:{id}", if is_rpps { "rpps" } else { "adeli" });
    let i = *index.entry(key).or_insert_with(|| {
        let (civilite, titre) = civilite_and_titre(f);
        out.candidates.push(Candidate {
            civilite,
            titre,
            prenom: Some(tidy_person(f.get(col::PRENOM))),
            nom: Some(tidy_person(nom)),
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
    c.rows.push(lineno);
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
