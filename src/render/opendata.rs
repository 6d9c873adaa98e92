//! Open data: the published directory as JSON and CSV, the actions as JSON. Only what the site
//! already shows is exported, so a member without consent is never in these files.

use super::views::{display_name, kind_label};
use crate::model::freshness::Fact;
use crate::model::{Member, Site};
use crate::routes::{Route, Urls};
use serde::Serialize;

/// Columns of the directory export, in order, with their description (shown on /donnees/).
pub const DIRECTORY_COLUMNS: &[(&str, &str)] = &[
    ("identifiant", "Identifiant de la fiche (nom du fichier), stable d’une publication à l’autre"),
    ("nom", "Nom affiché : « Dr Prénom Nom » ou raison sociale"),
    ("type", "« professionnel » ou « structure »"),
    ("profession", "Code de la profession ou du type de structure (vocabulaire de Maillage)"),
    ("libelle", "Libellé de la profession ou du type de structure"),
    ("specialite", "Spécialité ou exercice particulier"),
    ("rpps", "Numéro RPPS (professionnels)"),
    ("finess", "Numéro FINESS (établissements)"),
    ("siret", "Numéro SIRET"),
    ("lieu", "Numéro du lieu d’exercice (1, 2…) : une ligne par lieu"),
    ("adresse", "Adresse du lieu"),
    ("code_postal", "Code postal"),
    ("code_insee", "Code INSEE de la commune"),
    ("commune", "Nom de la commune"),
    ("latitude", "Latitude (WGS84), si connue"),
    ("longitude", "Longitude (WGS84), si connue"),
    ("telephone", "Téléphone au format international (+33…)"),
    ("prise_rdv", "Adresse de prise de rendez-vous en ligne"),
    ("accessible_pmr", "Accessible en fauteuil roulant : oui, non ou vide si non renseigné"),
    ("accepte_nouveaux_patients", "Accepte de nouveaux patients : oui, non, ou vide si non renseigné ou à confirmer"),
    ("soins_non_programmes", "Participe aux soins non programmés : oui, non, ou vide si non renseigné ou à confirmer"),
    ("teleconsultation", "Propose la téléconsultation : oui, non, ou vide si non renseigné ou à confirmer"),
    (
        "langues",
        "Langues parlées en plus du français, séparées par « ; » ; « aucune » quand la fiche dit que seul le français est parlé, vide si non renseigné ou à confirmer",
    ),
    (
        "verifie_le",
        "Date (AAAA-MM-JJ) de la confirmation la plus récente d’une information de la fiche par le membre ; vide si aucune",
    ),
    (
        "a_confirmer",
        "Informations de cette ligne dont la dernière confirmation est trop ancienne (durées de la CPTS), séparées par « ; » : accepte_nouveaux_patients, soins_non_programmes, teleconsultation, langues, telephone, horaires. Les colonnes oui/non et langues concernées sont laissées vides",
    ),
    ("page", "Adresse de la fiche sur ce site"),
];

fn yes_no(b: bool) -> String {
    if b { "oui".into() } else { "non".into() }
}

fn opt_yes_no(b: Option<bool>) -> String {
    b.map(yes_no).unwrap_or_default()
}

/// One row per member and place, in the order of [`DIRECTORY_COLUMNS`].
fn rows(site: &Site, urls: &Urls, m: &Member) -> Vec<Vec<String>> {
    let d = &m.data;
    let key = d.profession.as_ref().or(d.structure.as_ref()).map(|k| k.value.clone()).unwrap_or_default();
    let id = |v: &Option<crate::model::S<String>>| v.as_ref().map(|x| x.value.clone()).unwrap_or_default();
    d.lieux
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let commune = super::views::place_commune(site, &l.commune.value);
            let coord = |k: usize| l.coordonnees.as_ref().map(|c| c.value[k].to_string()).unwrap_or_default();
            vec![
                m.slug.clone(),
                display_name(m),
                if d.structure.is_some() { "structure".into() } else { "professionnel".into() },
                key.clone(),
                kind_label(m),
                d.specialite.clone().unwrap_or_default(),
                id(&d.rpps),
                id(&d.finess),
                id(&d.siret),
                (i + 1).to_string(),
                l.adresse.clone(),
                l.code_postal.value.clone(),
                l.commune.value.clone(),
                commune,
                coord(0),
                coord(1),
                l.telephone
                    .as_ref()
                    .and_then(|t| crate::domain::ids::phone(&t.value).ok())
                    .map(|p| p.tel)
                    .unwrap_or_default(),
                l.prise_rdv.as_ref().map(|x| x.value.clone()).unwrap_or_default(),
                opt_yes_no(l.accessible_pmr),
                opt_yes_no(d.accepts_new_patients()),
                opt_yes_no(d.same_day_care()),
                opt_yes_no(d.offers_teleconsultation()),
                match d.languages() {
                    _ if d.assessed.is_stale(Fact::Langues, None) => String::new(),
                    None => String::new(),
                    Some([]) => "aucune".into(),
                    Some(l) => l.join(";"),
                },
                d.last_confirmation().map(|d| d.to_string()).unwrap_or_default(),
                d.assessed
                    .stale()
                    .filter(|f| f.place().is_none_or(|p| p == i))
                    .map(|f| f.fact.key())
                    .collect::<Vec<_>>()
                    .join(";"),
                urls.absolute(&Route::Member(m.slug.clone())),
            ]
        })
        .collect()
}

/// One of the two files of the directory export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryFile {
    /// `annuaire.csv`: RFC 4180, UTF-8, comma-separated, header row.
    Csv,
    /// `annuaire.json`: an array of objects with the CSV's columns as keys, in alphabetical order.
    Json,
}

/// A file of the directory export, in parts: the header, then the rows of [`CHUNK`] members at a
/// time, then the end. Each chunk's rows are built and turned into text at once, the chunks of
/// [`BATCH`] members in parallel; joined, the parts are the file. Written one after the other
/// ([`crate::output::OutputSink::put_parts`]), neither the rows of a whole national directory
/// (135 MB at 100 000 members) nor its text (90 MB of JSON) is ever held, nor copied into one
/// text: only one batch's chunks.
/// The two files are made one after the other (the rows are built twice, alongside the planning
/// of pages).
pub fn directory_parts<'a>(site: &'a Site, urls: &'a Urls, file: DirectoryFile) -> impl Iterator<Item = Vec<u8>> + 'a {
    use rayon::prelude::*;
    /// Members turned into text together, in chunks of [`CHUNK`] made in parallel.
    const BATCH: usize = 1024;
    const CHUNK: usize = 256;
    let mut chunks = site.members.chunks(BATCH).flat_map(move |batch| {
        batch
            .par_chunks(CHUNK)
            .map(|members| {
                let rows = members.iter().flat_map(|m| rows(site, urls, m));
                match file {
                    DirectoryFile::Csv => {
                        let mut csv = String::new();
                        rows.for_each(|row| push_csv_row(&mut csv, &row));
                        csv.into_bytes()
                    }
                    DirectoryFile::Json => {
                        let mut json = Vec::new();
                        rows.for_each(|row| push_json_record(&mut json, &row));
                        json
                    }
                }
            })
            .collect::<Vec<Vec<u8>>>()
    });
    // Every JSON record ends with a comma but the last: a part holding records is handed over
    // once another follows it, and the last one is closed.
    let mut held = Some(match file {
        DirectoryFile::Csv => csv_header().into_bytes(),
        DirectoryFile::Json => vec![b'['],
    });
    std::iter::from_fn(move || {
        let mut last = held.take()?;
        match chunks.find(|part| !part.is_empty()) {
            Some(next) => {
                held = Some(next);
                Some(last)
            }
            None => {
                if file == DirectoryFile::Json {
                    close_json(&mut last);
                }
                Some(last)
            }
        }
    })
}

/// One member's lines of `annuaire.csv` and records of `annuaire.json` (each record followed by
/// a comma), kept by the dev server between saves ([`super::rows`]).
pub(super) fn member_pieces(site: &Site, urls: &Urls, m: &Member) -> (String, Vec<u8>) {
    let (mut csv, mut json) = (String::new(), Vec::new());
    push_member(site, urls, m, &mut csv, &mut json);
    (csv, json)
}

fn push_member(site: &Site, urls: &Urls, m: &Member, csv: &mut String, json: &mut Vec<u8>) {
    for row in rows(site, urls, m) {
        push_csv_row(csv, &row);
        push_json_record(json, &row);
    }
}

/// `annuaire.csv` from its pieces (each member's lines), in order, written into `buffer` (emptied
/// first: the dev server gives back the memory of an earlier version).
pub(super) fn directory_csv_from<'p>(pieces: impl Iterator<Item = &'p str> + Clone, buffer: Vec<u8>) -> Vec<u8> {
    let mut csv = buffer;
    csv.clear();
    csv.extend_from_slice(csv_header().as_bytes());
    csv.reserve(pieces.clone().map(str::len).sum::<usize>());
    for c in pieces {
        csv.extend_from_slice(c.as_bytes());
    }
    csv
}

/// `annuaire.json` from its pieces (each member's records, each followed by a comma), in order,
/// written into `buffer` (emptied first).
pub(super) fn directory_json_from<'p>(pieces: impl Iterator<Item = &'p [u8]> + Clone, buffer: Vec<u8>) -> Vec<u8> {
    let mut json = buffer;
    json.clear();
    json.reserve(pieces.clone().map(<[u8]>::len).sum::<usize>() + 4);
    json.push(b'[');
    for j in pieces {
        json.extend_from_slice(j);
    }
    close_json(&mut json);
    json
}

/// The header row of `annuaire.csv`.
fn csv_header() -> String {
    let header: Vec<String> = DIRECTORY_COLUMNS.iter().map(|(c, _)| c.to_string()).collect();
    let mut csv = String::with_capacity(512);
    push_csv_row(&mut csv, &header);
    csv
}

/// Closes the array of `annuaire.json`, whose records were each written followed by a comma:
/// the last one is not.
fn close_json(json: &mut Vec<u8>) {
    if json.last() == Some(&b',') {
        json.pop();
    }
    json.extend_from_slice(b"\n]\n");
}

/// A cell as a spreadsheet may safely open it (the OWASP rule against CSV injection): text that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula, so it
/// gets a leading apostrophe, which spreadsheets show as nothing and which keeps the text as text.
/// A plain number keeps its sign (a longitude `-1.55`, a telephone `+33494000001`): no formula
/// can hide in digits, and re-users read them as they are. The JSON export keeps every value
/// exactly.
fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && !is_plain_number(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// A sign, digits, and at most one decimal point followed by digits.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

fn push_csv_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = csv_cell(f);
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}

/// One row as a JSON object, serialised straight from the strings.
struct JsonRecord<'r>(&'r [String]);

impl Serialize for JsonRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for &i in sorted_columns() {
            map.serialize_entry(DIRECTORY_COLUMNS[i].0, &self.0[i])?;
        }
        map.end()
    }
}

/// One row as a compact JSON object on its own line (readable and diffable by line), followed
/// by a comma.
fn push_json_record(out: &mut Vec<u8>, row: &[String]) {
    out.push(b'\n');
    // Writing strings into memory cannot fail.
    if serde_json::to_writer(&mut *out, &JsonRecord(row)).is_ok() {
        out.push(b',');
    }
}

/// Indexes of [`DIRECTORY_COLUMNS`] in the alphabetical order of their names.
fn sorted_columns() -> &'static [usize] {
    static ORDER: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    ORDER.get_or_init(|| {
        let mut order: Vec<usize> = (0..DIRECTORY_COLUMNS.len()).collect();
        order.sort_by_key(|&i| DIRECTORY_COLUMNS[i].0);
        order
    })
}

/// An action in the open-data export.
#[derive(Serialize)]
struct ActionRecord {
    identifiant: String,
    titre: String,
    resume: String,
    mission: String,
    theme: Option<String>,
    public: Option<String>,
    permanente: bool,
    quand: Option<String>,
    formation: Option<TrainingRecord>,
    partenaires: Vec<String>,
    page: String,
    seances: Vec<SessionRecord>,
}

/// A training's details in the open-data export.
#[derive(Serialize)]
struct TrainingRecord {
    duree: String,
    prise_en_charge: Option<String>,
    organisme: Option<String>,
}

/// A session in the open-data export.
#[derive(Serialize)]
struct SessionRecord {
    date: Option<String>,
    date_fin: Option<String>,
    debut: Option<String>,
    fin: Option<String>,
    horaires: Option<String>,
    lieu: String,
    adresse: Option<String>,
    code_insee: String,
    commune: String,
    hors_territoire: bool,
    organisateur: Option<String>,
    gratuit: Option<bool>,
    prix: Option<String>,
    places: Option<u32>,
    places_restantes: Option<u32>,
    complet: bool,
    inscription: Option<String>,
    lien: Option<String>,
}

/// The prevention actions and their sessions as JSON.
pub fn actions_json(site: &Site, urls: &Urls) -> String {
    let hhmm = |t: &crate::model::S<jiff::civil::Time>| format!("{:02}:{:02}", t.value.hour(), t.value.minute());
    let records: Vec<ActionRecord> = site
        .actions
        .iter()
        .map(|a| ActionRecord {
            identifiant: a.slug.clone(),
            titre: a.data.titre.clone(),
            resume: a.data.resume.clone(),
            mission: a.data.mission.as_ref().map_or("prevention", |m| m.value.as_str()).to_string(),
            theme: a.data.theme.clone(),
            public: a.data.public.as_ref().and_then(super::views::public_label),
            permanente: a.data.permanente,
            quand: a.data.quand.clone(),
            formation: a.data.formation.as_ref().map(|f| TrainingRecord {
                duree: f.duree.clone(),
                prise_en_charge: f.prise_en_charge.clone(),
                organisme: f.organisme.clone(),
            }),
            partenaires: a.data.partenaires.iter().map(|p| p.nom.clone()).collect(),
            page: urls.absolute(&Route::Action(a.slug.clone())),
            seances: a
                .data
                .seances
                .iter()
                .map(|s| SessionRecord {
                    date: s.date.as_ref().map(|d| d.value.to_string()),
                    date_fin: s.date_fin.as_ref().map(|d| d.value.to_string()),
                    debut: s.debut.as_ref().map(hhmm),
                    fin: s.fin.as_ref().map(hhmm),
                    horaires: s.horaires.clone(),
                    lieu: s.lieu.clone(),
                    adresse: s.adresse.clone(),
                    code_insee: s.commune.value.clone(),
                    commune: super::views::seance_commune(site, s),
                    hors_territoire: site.commune(&s.commune.value).is_none(),
                    organisateur: s.organisateur.clone(),
                    gratuit: s.gratuit.or(s.prix.as_ref().map(|_| false)),
                    prix: s.prix.clone(),
                    places: s.places.as_ref().map(|p| p.value),
                    places_restantes: s.places_restantes.as_ref().map(|p| p.value),
                    complet: s.is_full(),
                    inscription: s.inscription.clone(),
                    lien: s.lien.as_ref().map(|l| l.value.clone()),
                })
                .collect(),
        })
        .collect();
    serde_json::to_string_pretty(&records).unwrap_or_else(|_| "[]".into())
}

/// The results' CSV file under `/donnees/`.
pub const RESULTS_CSV: &str = "indicateurs.csv";
/// The results' JSON file under `/donnees/`.
pub const RESULTS_JSON: &str = "indicateurs.json";

/// Columns of the results export (`indicateurs.csv`, `indicateurs.json`), in order, with their
/// description (shown on /donnees/).
pub const RESULTS_COLUMNS: &[(&str, &str)] = &[
    ("annee", "Année"),
    ("identifiant", "Identifiant de l’indicateur, le même chaque année"),
    ("libelle", "Ce qui est compté"),
    ("mission", "Clé de la mission mesurée (vocabulaire de Maillage), ou « fonctionnement »"),
    ("mission_libelle", "Libellé de la mission"),
    (
        "aci",
        "« oui » pour un indicateur de l’accord conventionnel interprofessionnel (ACI), « non » pour un indicateur propre à la CPTS",
    ),
    ("unite", "Unité, au singulier (« patient », « % », « € »)"),
    ("sens", "« hausse » quand l’objectif est un minimum à atteindre, « baisse » quand c’est un maximum"),
    ("objectif", "Valeur visée, point décimal ; vide s’il n’y a pas d’objectif chiffré"),
    ("realise", "Valeur atteinte, point décimal ; vide si elle n’est pas connue (jamais 0 à sa place)"),
    ("atteint", "« oui », « non », ou vide quand l’objectif ou le réalisé manque"),
    ("source", "D’où vient le chiffre"),
    ("commentaire", "Ce que le chiffre ne dit pas seul"),
];

/// A number as re-users read it: a whole number without decimals (`342`), else its shortest
/// exact form (`85.5`).
#[derive(Debug, Clone, Copy)]
struct Exact(f64);

impl Serialize for Exact {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        // Whole numbers up to 2^53 are exact as integers.
        if self.0.fract() == 0.0 && self.0.abs() < 9_007_199_254_740_992.0 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

/// An indicator of one year in the results export: the keys of [`RESULTS_COLUMNS`].
#[derive(Serialize)]
struct ResultRecord<'a> {
    annee: i32,
    identifiant: &'a str,
    libelle: &'a str,
    mission: &'a str,
    mission_libelle: Option<&'static str>,
    aci: bool,
    unite: Option<&'a str>,
    sens: &'static str,
    objectif: Option<Exact>,
    realise: Option<Exact>,
    atteint: Option<bool>,
    source: Option<&'a str>,
    commentaire: Option<&'a str>,
}

impl ResultRecord<'_> {
    /// The record as a CSV row, in the order of [`RESULTS_COLUMNS`]; unknown values are empty.
    fn row(&self) -> Vec<String> {
        let num = |n: Option<Exact>| n.map(|n| n.0.to_string()).unwrap_or_default();
        vec![
            self.annee.to_string(),
            self.identifiant.to_string(),
            self.libelle.to_string(),
            self.mission.to_string(),
            self.mission_libelle.unwrap_or_default().to_string(),
            yes_no(self.aci),
            self.unite.unwrap_or_default().to_string(),
            self.sens.to_string(),
            num(self.objectif),
            num(self.realise),
            opt_yes_no(self.atteint),
            self.source.unwrap_or_default().to_string(),
            self.commentaire.unwrap_or_default().to_string(),
        ]
    }
}

/// The results export: `indicateurs.csv` (RFC 4180, UTF-8, header row, formulas neutralised)
/// and `indicateurs.json` (an array of objects, numbers as numbers and `null` for what is not
/// known), one record per indicator and year, years in order; `None` without a year of results
/// (then the results page is not made either).
pub fn results(site: &Site) -> Option<(Vec<u8>, Vec<u8>)> {
    use crate::model::indicators::{Direction, Outcome};
    let file = &site.indicators.as_ref()?.data;
    if file.annees.is_empty() {
        return None;
    }
    let mut years: Vec<_> = file.annees.iter().collect();
    years.sort_by_key(|y| y.annee.value);
    let records: Vec<ResultRecord> = years
        .iter()
        .flat_map(|y| y.indicateurs.iter().map(move |i| (y.annee.value, i)))
        .map(|(annee, i)| ResultRecord {
            annee,
            identifiant: &i.id.value,
            libelle: &i.libelle.value,
            mission: &i.mission.value,
            mission_libelle: crate::model::vocab::indicator_mission(&i.mission.value).map(|m| m.label),
            aci: i.aci,
            unite: i.unite.as_ref().map(|u| u.value.trim()),
            sens: if i.sens == Direction::Baisse { "baisse" } else { "hausse" },
            objectif: i.objectif.as_ref().map(|v| Exact(v.value)),
            realise: i.realise.as_ref().map(|v| Exact(v.value)),
            atteint: match i.outcome() {
                Outcome::Reached => Some(true),
                Outcome::Missed => Some(false),
                Outcome::Unknown => None,
            },
            source: i.source.as_deref(),
            commentaire: i.commentaire.as_deref(),
        })
        .collect();
    let mut csv = String::new();
    push_csv_row(&mut csv, &RESULTS_COLUMNS.iter().map(|(c, _)| c.to_string()).collect::<Vec<_>>());
    for r in &records {
        push_csv_row(&mut csv, &r.row());
    }
    let mut json = serde_json::to_vec_pretty(&records).unwrap_or_else(|_| b"[]".to_vec());
    json.push(b'\n');
    Some((csv.into_bytes(), json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let mut out = String::new();
        push_csv_row(&mut out, &["a".into(), "b, c".into(), "d \"e\"".into()]);
        assert_eq!(out, "a,\"b, c\",\"d \"\"e\"\"\"\r\n");
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\";\"clic\")", "'=HYPERLINK(\"http://x\";\"clic\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("+", "'+"),
            ("-.5", "'-.5"),
            ("+33494000001", "+33494000001"),
            ("-1.5536", "-1.5536"),
            ("43.39", "43.39"),
            ("Dr Marie Dupont", "Dr Marie Dupont"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), written, "{cell}");
        }
        let mut out = String::new();
        push_csv_row(&mut out, &["=1+1".into(), "-1,2".into()]);
        assert_eq!(out, "'=1+1,\"'-1,2\"\r\n");
    }

    #[test]
    fn json_records_escape_what_json_requires() {
        let mut row = vec![String::new(); DIRECTORY_COLUMNS.len()];
        row[1] = "Cabinet \"Les Oliviers\" \\ Nord\nbis\u{1}".into();
        let mut out = b"[".to_vec();
        push_json_record(&mut out, &row);
        push_json_record(&mut out, &row);
        out.pop();
        out.extend_from_slice(b"\n]");
        let parsed: serde_json::Value = serde_json::from_slice(&out).expect("JSON valide");
        assert_eq!(parsed[1]["nom"], row[1].as_str());
        assert_eq!(parsed.as_array().map(Vec::len), Some(2));
    }
}
