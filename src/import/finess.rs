//! The etalab FINESS establishments file (`etalab-cs1100507-stock-*.csv`): `;`-separated, no
//! header, a metadata first line (`finess;etalab;…`), `structureet` lines (one establishment) and
//! `geolocalisation` lines (Lambert-93 coordinates), ISO-8859-1 or UTF-8, `"…"` quoting with `""`
//! escapes.

use super::reader::{Candidate, ImportError, ImportOptions, Place, Read, io_err, progress_bar};
use super::report::RowError;
use super::territory::Territory;
use super::tidy::{decode_text, tidy_case, tidy_case_tail, tidy_phone};
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
    let f = std::fs::File::open(file).map_err(|e| io_err(file, e))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let pb = progress_bar(len, opts.progress);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(pb.wrap_read(f));
    let mut out = Read::default();
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
        let field = |i: usize| decode_text(record.get(i).unwrap_or(b"")).trim().to_string();
        let kind = record.get(0).unwrap_or(b"");
        if first {
            first = false;
            if kind.ends_with(b"finess") || kind == b"\xEF\xBB\xBFfiness" {
                continue;
            }
        }
        match kind {
            b"geolocalisation" => {
                let x = field(2).replace(',', ".").parse::<f64>();
                let y = field(3).replace(',', ".").parse::<f64>();
                if let (Ok(x), Ok(y)) = (x, y) {
                    coords.insert(field(1), (x, y));
                }
            }
            b"structureet" => {
                out.report.rows += 1;
                let dep = field(pos::DEPARTEMENT);
                let code = insee(&dep, &field(pos::COMMUNE));
                let cp: String = field(pos::ACHEMINEMENT).chars().take(5).collect();
                let commune = match territory.commune(&code) {
                    Some(c) => c,
                    None => continue,
                };
                out.report.kept += 1;
                let finess = field(pos::FINESS);
                out.seen.structures.insert(finess.clone());
                if let Err(why) = ids::finess(&finess) {
                    out.report.rejected.push(RowError {
                        row: line,
                        column: Some("nofinesset".into()),
                        value: finess,
                        reason: why.to_string(),
                        dropped: true,
                    });
                    continue;
                }
                let Some(kind) = structure(&field(pos::CATEGORIE), &field(pos::LIBCATEGORIE)) else {
                    *out.report
                        .ignored
                        .entry(format!("catégorie «\u{a0}{}\u{a0}» hors du vocabulaire", field(pos::LIBCATEGORIE)))
                        .or_default() += 1;
                    continue;
                };
                let name = match field(pos::RS_LONGUE) {
                    s if s.is_empty() => field(pos::RS),
                    s => s,
                };
                let numero = [field(pos::NUMVOIE), field(pos::COMPVOIE)].concat();
                let typ = field(pos::TYPVOIE);
                let voie = field(pos::VOIE);
                let voie = tidy_case_tail(&voie);
                let mut adresse = if voie.is_empty() {
                    tidy_case(&field(pos::LIEUDIT))
                } else {
                    [numero.as_str(), street_type(&typ), voie.as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                if adresse.is_empty() {
                    adresse = tidy_case(&name);
                }
                let siret = Some(field(pos::SIRET)).filter(|s| !s.is_empty());
                if let Some(s) = &siret
                    && let Err(why) = ids::siret(s)
                {
                    out.report.rejected.push(RowError {
                        row: line,
                        column: Some("siret".into()),
                        value: s.clone(),
                        reason: why.to_string(),
                        dropped: false,
                    });
                }
                let code_postal = if commune.codes_postaux.contains(&cp) {
                    cp
                } else {
                    commune.codes_postaux.first().cloned().unwrap_or_default()
                };
                let candidate = Candidate {
                    raison_sociale: Some(tidy_case(&name)),
                    structure: Some(kind.to_string()),
                    finess: Some(finess.clone()),
                    siret: siret.filter(|s| ids::siret(s).is_ok()),
                    lieux: vec![Place {
                        nom: None,
                        adresse,
                        code_postal,
                        commune: code,
                        coordonnees: None,
                        telephone: tidy_phone(&field(pos::TELEPHONE)),
                        courriel: None,
                    }],
                    ..Candidate::default()
                };
                index.insert(finess, out.candidates.len());
                out.candidates.push(candidate);
            }
            _ => {}
        }
    }
    pb.finish_and_clear();
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
