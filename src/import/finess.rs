//! The etalab FINESS establishments file (`etalab-cs1100507-stock-*.csv`): `;`-separated, no
//! header, a metadata first line (`finess;etalab;…`), `structureet` lines (one establishment) and
//! `geolocalisation` lines (Lambert-93 coordinates), ISO-8859-1 or UTF-8, `"…"` quoting with `""`
//! escapes.

use super::encoding::{decode_line, open_stream};
use super::reader::{Candidate, ImportError, ImportOptions, Place, Read, progress_bar};
use super::territory::{Territory, TerritoryCommune};
use super::tidy::{tidy_case, tidy_case_tail, tidy_phone};
use crate::domain::ids;
use crate::domain::lambert;
use crate::domain::text::fold;
use std::collections::HashMap;
use std::path::Path;

/// Positions in a `structureet` line (0 is the line type).
mod pos {
    pub(super) const FINESS: usize = 1;
    pub(super) const RS: usize = 3;
    pub(super) const RS_LONGUE: usize = 4;
    pub(super) const COMPLRS: usize = 5;
    pub(super) const COMPLDISTRIB: usize = 6;
    pub(super) const NUMVOIE: usize = 7;
    pub(super) const TYPVOIE: usize = 8;
    pub(super) const VOIE: usize = 9;
    pub(super) const COMPVOIE: usize = 10;
    pub(super) const LIEUDIT: usize = 11;
    pub(super) const COMMUNE: usize = 12;
    pub(super) const DEPARTEMENT: usize = 13;
    pub(super) const ACHEMINEMENT: usize = 15;
    pub(super) const TELEPHONE: usize = 16;
    pub(super) const CATEGORIE: usize = 18;
    pub(super) const LIBCATEGORIE: usize = 19;
    pub(super) const SIRET: usize = 22;
}

/// Maps a FINESS category (code, then label) to a structure key of the vocabulary.
pub fn structure(code: &str, label: &str) -> Option<&'static str> {
    let by_code = match code {
        "101" | "106" | "355" => Some("centre-hospitalier"),
        "500" => Some("ehpad"),
        "620" => Some("pharmacie"),
        "610" | "611" => Some("laboratoire"),
        "354" => Some("ssiad"),
        "156" => Some("cmp"),
        "127" => Some("had"),
        "603" => Some("msp"),
        "124" => Some("centre-de-sante"),
        "109" => Some("smr"),
        "362" => Some("usld"),
        "128" | "129" | "365" => Some("clinique"),
        _ => None,
    };
    if by_code.is_some() {
        return by_code;
    }
    let l = fold(label);
    let has = |w: &str| l.contains(w);
    Some(if has("e.h.p.a.d") || has("ehpad") || has("personnes agees dependantes") {
        "ehpad"
    } else if has("pharmacie") {
        "pharmacie"
    } else if has("laboratoire") {
        "laboratoire"
    } else if has("soins infirmiers a domicile") || has("s.s.i.a.d") {
        "ssiad"
    } else if has("medico-psychologique") || has("c.m.p") {
        "cmp"
    } else if has("hospitalisation a domicile") {
        "had"
    } else if has("centre hospitalier") {
        "centre-hospitalier"
    } else if has("maison de sante") {
        "msp"
    } else if has("centre de sante") {
        "centre-de-sante"
    } else if has("soins de suite") || has("readaptation") {
        "smr"
    } else if has("longue duree") {
        "usld"
    } else if has("soins chirurgicaux") || has("soins medicaux") || has("pluridisciplinaire") {
        "clinique"
    } else {
        return None;
    })
}

/// Expands the street-type abbreviations of FINESS (`AV`, `BD`, `CHE`…).
fn street_type(t: &str) -> &str {
    match t {
        "AV" => "avenue",
        "BD" => "boulevard",
        "R" | "RUE" => "rue",
        "CHE" | "CHEM" | "CH" => "chemin",
        "RTE" => "route",
        "PL" => "place",
        "ALL" => "allée",
        "IMP" => "impasse",
        "QUA" | "QU" | "QUAI" => "quai",
        "CRS" => "cours",
        "FG" => "faubourg",
        "SQ" => "square",
        "TRA" => "traverse",
        "MTE" => "montée",
        "CHS" => "chaussée",
        "PROM" => "promenade",
        "RES" => "résidence",
        "QUAR" => "quartier",
        "HAM" => "hameau",
        "ESP" => "esplanade",
        "PAS" => "passage",
        "LD" => "lieu-dit",
        t => t,
    }
}

/// The INSEE code of a FINESS commune (3 digits) in a FINESS département (`83`, `2A`, or `9A`…
/// for overseas, whose INSEE codes start with `97`).
fn insee(departement: &str, commune: &str) -> String {
    if departement.len() == 2 && departement.starts_with('9') && departement.as_bytes()[1].is_ascii_alphabetic() {
        format!("97{commune}")
    } else {
        format!("{departement}{commune}")
    }
}

/// Reads the file and returns the territory's establishments.
pub fn read(file: &Path, territory: &Territory, opts: &ImportOptions) -> Result<Read, ImportError> {
    let (encoding, len, stream) = open_stream(file)?;
    let pb = progress_bar(len, opts.progress);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(pb.wrap_read(stream));
    let mut out = Read::default();
    out.report.encoding = encoding.label().to_string();
    let mut coords: HashMap<String, (f64, f64)> = HashMap::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ImportError::Format(format!("{} : fichier FINESS illisible ({e})", file.display())));
            }
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let kind = record.get(0).unwrap_or(b"");
        if first {
            first = false;
            if kind == b"finess" {
                continue;
            }
            if kind != b"structureet" && kind != b"geolocalisation" {
                return Err(ImportError::Format(format!(
                    "{} : la première ligne n’est ni « finess;etalab;… » ni une ligne « structureet » ; est-ce bien le fichier etalab des établissements FINESS ?",
                    file.display()
                )));
            }
        }
        match kind {
            b"geolocalisation" => {
                let field = |i: usize| decode_line(record.get(i).unwrap_or(b"")).unwrap_or_default().trim().to_string();
                let x = field(2).replace(',', ".").parse::<f64>();
                let y = field(3).replace(',', ".").parse::<f64>();
                if let (Ok(x), Ok(y)) = (x, y) {
                    coords.insert(field(1), (x, y));
                }
            }
            b"structureet" => {
                out.report.rows.read += 1;
                let raw = |i: usize| record.get(i).unwrap_or(b"").trim_ascii();
                let code =
                    insee(&String::from_utf8_lossy(raw(pos::DEPARTEMENT)), &String::from_utf8_lossy(raw(pos::COMMUNE)));
                let Some(commune) = territory.commune(&code) else {
                    out.report.rows.outside += 1;
                    continue;
                };
                let Some(fields) = (0..record.len())
                    .map(|i| decode_line(raw(i)).map(|t| t.trim().to_string()))
                    .collect::<Option<Vec<String>>>()
                else {
                    out.report.refuse(line, None, "", "ligne illisible : elle contient des caractères de contrôle");
                    continue;
                };
                establishment(line, &fields, commune, &mut out, &mut index);
            }
            _ => {}
        }
    }
    pb.finish_and_clear();
    if out.report.rows.read == 0 {
        return Err(ImportError::Format(format!(
            "{} : aucune ligne « structureet » ; est-ce bien le fichier etalab des établissements FINESS ?",
            file.display()
        )));
    }
    for (finess, i) in index {
        if let Some(&(x, y)) = coords.get(&finess) {
            let [lat, lon] = lambert::to_wgs84(x, y);
            // Only mainland Lambert-93 makes sense; overseas files use other projections.
            if (41.0..52.0).contains(&lat) && (-6.0..10.0).contains(&lon) {
                out.candidates[i].lieux[0].coordonnees = Some([round5(lat), round5(lon)]);
            }
        }
    }
    Ok(out)
}

/// One `structureet` line of the territory.
fn establishment(
    line: usize,
    fields: &[String],
    commune: &TerritoryCommune,
    out: &mut Read,
    index: &mut HashMap<String, usize>,
) {
    let field = |i: usize| fields.get(i).map_or("", String::as_str);
    let finess = field(pos::FINESS).to_string();
    out.seen.structures.insert(finess.clone());
    out.seen.communes.insert(commune.insee.clone());
    let Some(kind) = structure(field(pos::CATEGORIE), field(pos::LIBCATEGORIE)) else {
        out.report.ignore(line, format!("catégorie «\u{a0}{}\u{a0}» hors du vocabulaire", field(pos::LIBCATEGORIE)));
        return;
    };
    out.seen.kinds.insert(kind.to_string());
    if let Err(why) = ids::finess(&finess) {
        out.report.refuse(line, Some("nofinesset"), &finess, why.to_string());
        return;
    }
    let name = match field(pos::RS_LONGUE) {
        "" => field(pos::RS),
        s => s,
    };
    if name.is_empty() {
        out.report.refuse(line, Some("rs"), "", "raison sociale vide");
        return;
    }
    let numero = [field(pos::NUMVOIE), field(pos::COMPVOIE)].concat();
    let voie = tidy_case_tail(field(pos::VOIE));
    let street = if voie.is_empty() {
        String::new()
    } else {
        [numero.as_str(), street_type(field(pos::TYPVOIE)), voie.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // The complement of the name names the site; the address keeps its building (compldistrib)
    // and its lieu-dit or BP.
    let nom = Some(tidy_case(field(pos::COMPLRS))).filter(|s| !s.is_empty());
    let mut adresse = [tidy_case(field(pos::COMPLDISTRIB)), street, tidy_case(field(pos::LIEUDIT))]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    if adresse.is_empty() {
        adresse = tidy_case(name);
    }
    let report = &mut out.report;
    let siret = match field(pos::SIRET) {
        "" => None,
        s => match ids::siret(s) {
            Ok(()) => Some(s.to_string()),
            Err(why) => {
                report.leave_out(line, "siret", s, why);
                None
            }
        },
    };
    let telephone = match field(pos::TELEPHONE) {
        "" => None,
        t => match tidy_phone(t) {
            Some(t) => Some(t),
            None => {
                report.leave_out(line, "telephone", t, "numéro de téléphone français invalide");
                None
            }
        },
    };
    let cp: String = field(pos::ACHEMINEMENT).chars().take(5).collect();
    let code_postal = commune.postal_code(&cp);
    let candidate = Candidate {
        raison_sociale: Some(tidy_case(name)),
        structure: Some(kind.to_string()),
        finess: Some(finess.clone()),
        siret,
        lieux: vec![Place {
            nom,
            adresse,
            code_postal,
            commune: commune.insee.clone(),
            coordonnees: None,
            telephone,
            courriel: None,
            accessible_pmr: None,
        }],
        rows: vec![line],
        ..Candidate::default()
    };
    match index.get(&finess) {
        // The same establishment twice: one member, the second line's place added.
        Some(&i) => {
            let c = &mut out.candidates[i];
            c.rows.push(line);
            for p in candidate.lieux {
                c.add_place(p);
            }
        }
        None => {
            index.insert(finess, out.candidates.len());
            out.candidates.push(candidate);
        }
    }
}

fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_map_to_structures() {
        assert_eq!(structure("500", "Etablissement d'hébergement pour personnes âgées dépendantes"), Some("ehpad"));
        assert_eq!(structure("620", "Pharmacie d'Officine"), Some("pharmacie"));
        assert_eq!(structure("355", "Centre Hospitalier (C.H.)"), Some("centre-hospitalier"));
        assert_eq!(structure("999", "Service de Soins Infirmiers A Domicile"), Some("ssiad"));
        assert_eq!(structure("999", "Centre Médico-Psychologique (C.M.P.)"), Some("cmp"));
        assert_eq!(structure("999", "Crèche collective"), None);
        for code in ["101", "500", "620", "611", "354", "156", "127", "603", "124", "109", "362", "128"] {
            assert!(crate::model::vocab::structure(structure(code, "").unwrap()).is_some());
        }
    }

    #[test]
    fn insee_codes_from_finess_departements() {
        assert_eq!(insee("83", "073"), "83073");
        assert_eq!(insee("2A", "004"), "2A004");
        assert_eq!(insee("9A", "101"), "97101");
    }
}
