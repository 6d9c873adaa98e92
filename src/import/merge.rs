//! The merge every import shares. A member is found by RPPS, ADELI, FINESS or SIRET (by file name
//! for a spreadsheet row without any); the fields the source owns are updated, the ones the
//! coordinator owns (flags, texts, booking links, hours, images, languages, `publie`) are never
//! touched; new people are written unpublished; people missing from the source are reported,
//! never deleted. Existing files are edited at the text level ([`super::yaml_edit`]) so that
//! comments and layout survive, and every file is written atomically.

use super::reader::{Candidate, ImportError, ImportOptions, Place, Seen, SourceKind, io_err, same_place};
use super::report::{FileChange, Report};
use super::tidy::tidy_phone;
use super::yaml_edit::{self, KEY_ORDER, MemberText, PLACE_ORDER, coordinates, quoted, scalar};
use crate::domain::text::slugify;
use crate::model::MemberFile;
use crate::source::decode_yaml;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// An existing member file.
struct Existing {
    rel: String,
    path: PathBuf,
    slug: String,
    text: String,
    data: MemberFile,
}

/// Reads every `content/membres/*.yaml`. Files that do not parse are reported and left alone.
fn read_members(root: &Path, report: &mut Report) -> Result<(Vec<Existing>, HashSet<String>), ImportError> {
    let dir = root.join("content").join("membres");
    let mut out = Vec::new();
    let mut slugs = HashSet::new();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((out, slugs)),
        Err(e) => return Err(io_err(&dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        let Some(slug) = name.strip_suffix(".yaml").or_else(|| name.strip_suffix(".yml")).map(str::to_string) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        slugs.insert(slug.clone());
        let rel = format!("content/membres/{name}");
        let text = fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
        match decode_yaml::<MemberFile>(&rel, &text) {
            Ok(data) => out.push(Existing { rel, path, slug, text, data }),
            Err(d) => report.notes.push(format!(
                "{rel} n’a pas pu être lu ({}) : corrigez-le ; l’import ne l’a pas pris en compte",
                d.message
            )),
        }
    }
    Ok((out, slugs))
}

/// Writes a file atomically: a temporary file in the same folder, then a rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), ImportError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("membre.yaml");
    let tmp = dir.join(format!(".{name}.import-{}", std::process::id()));
    fs::write(&tmp, text).map_err(|e| io_err(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err(path, e)
    })
}

/// Applies the candidates to `content/membres/` and completes the report.
pub fn merge(
    kind: SourceKind,
    candidates: Vec<Candidate>,
    seen: &Seen,
    opts: &ImportOptions,
    report: &mut Report,
) -> Result<(), ImportError> {
    report.dry_run = opts.dry_run;
    let (mut existing, mut slugs) = read_members(&opts.root, report)?;
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    for (i, e) in existing.iter().enumerate() {
        let d = &e.data;
        for (k, v) in [("rpps", &d.rpps), ("adeli", &d.adeli), ("finess", &d.finess), ("siret", &d.siret)] {
            if let Some(v) = v {
                by_id.entry(format!("{k}:{}", v.value)).or_insert(i);
            }
        }
        by_slug.insert(e.slug.clone(), i);
    }
    let mut matched: HashSet<usize> = HashSet::new();
    for c in candidates {
        let ids = [("rpps", &c.rpps), ("adeli", &c.adeli), ("finess", &c.finess), ("siret", &c.siret)];
        let mut found = ids.iter().find_map(|(k, v)| v.as_ref().and_then(|v| by_id.get(&format!("{k}:{v}")).copied()));
        if found.is_none() && ids.iter().all(|(_, v)| v.is_none()) {
            // No identifier (spreadsheets): the file named after the person or structure.
            found = by_slug.get(&slugify(&c.display_name())).copied();
        }
        match found {
            Some(i) if matched.contains(&i) => {
                report.notes.push(format!(
                    "{} ({}) correspond à une fiche déjà mise à jour par cet import, {} : doublon dans la source ?",
                    c.display_name(),
                    c.display_id(),
                    existing[i].rel
                ));
            }
            Some(i) => {
                matched.insert(i);
                update(kind, &mut existing[i], &c, opts, report)?;
            }
            None => {
                let base = slugify(&c.display_name());
                let base = if base.is_empty() { "membre".to_string() } else { base };
                let mut slug = base.clone();
                let mut n = 2;
                while slugs.contains(&slug) {
                    slug = format!("{base}-{n}");
                    n += 1;
                }
                slugs.insert(slug.clone());
                let rel = format!("content/membres/{slug}.yaml");
                let text = new_file(kind, &c);
                if let Err(d) = decode_yaml::<MemberFile>(&rel, &text) {
                    report.notes.push(format!("{rel} n’a pas été créé : {} (signalez-le)", d.message));
                    continue;
                }
                if !opts.dry_run {
                    write_atomic(&opts.root.join(&rel), &text)?;
                }
                report.added.push(FileChange {
                    file: rel,
                    who: format!("{} ({})", c.display_name(), c.display_id()),
                    fields: Vec::new(),
                });
            }
        }
    }
    for (i, e) in existing.iter().enumerate() {
        if matched.contains(&i) {
            continue;
        }
        let d = &e.data;
        let gone_id = match kind {
            SourceKind::Rpps => d
                .rpps
                .as_ref()
                .map(|v| ("RPPS", &v.value))
                .or(d.adeli.as_ref().map(|v| ("ADELI", &v.value)))
                .filter(|(_, v)| !seen.people.contains(*v)),
            SourceKind::Finess => d
                .finess
                .as_ref()
                .filter(|_| d.structure.is_some())
                .map(|v| ("FINESS", &v.value))
                .filter(|(_, v)| !seen.structures.contains(*v)),
            SourceKind::Csv | SourceKind::Workbook => None,
        };
        if let Some((k, v)) = gone_id {
            let name = d.raison_sociale.clone().unwrap_or_else(|| {
                [d.prenom.as_deref(), d.nom.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
            });
            report.gone.push(FileChange { file: e.rel.clone(), who: format!("{name} ({k} {v})"), fields: Vec::new() });
        }
    }
    Ok(())
}

fn opt_s(v: &Option<crate::model::S<String>>) -> Option<&str> {
    v.as_ref().map(|s| s.value.as_str())
}

/// Updates one existing member from a candidate, editing its text surgically.
fn update(
    kind: SourceKind,
    e: &mut Existing,
    c: &Candidate,
    opts: &ImportOptions,
    report: &mut Report,
) -> Result<(), ImportError> {
    let who = format!("{} ({})", c.display_name(), c.display_id());
    let mut t = MemberText::parse(&e.text);
    let places_in_text = match t.place_count() {
        Ok(n) if n == e.data.lieux.len() => n,
        Ok(_) | Err(_) => {
            report.notes.push(format!(
                "{} : la liste « lieux » n’a pas la forme attendue (« - adresse: … ») ; fiche non mise à jour",
                e.rel
            ));
            report.unchanged.push(e.rel.clone());
            return Ok(());
        }
    };
    let d = &e.data;
    let mut fields = Vec::new();
    let is_structure = d.structure.is_some();
    let top: [(&str, Option<&str>, Option<&str>, bool); 13] = [
        ("civilite", c.civilite.as_deref(), opt_s(&d.civilite), false),
        ("titre", c.titre.as_deref(), opt_s(&d.titre), false),
        ("prenom", c.prenom.as_deref(), d.prenom.as_deref(), false),
        ("nom", c.nom.as_deref(), d.nom.as_deref(), false),
        ("raison_sociale", c.raison_sociale.as_deref(), d.raison_sociale.as_deref(), false),
        ("profession", c.profession.as_deref().filter(|_| !is_structure), opt_s(&d.profession), false),
        ("structure", c.structure.as_deref().filter(|_| d.profession.is_none()), opt_s(&d.structure), false),
        ("specialite", c.specialite.as_deref(), d.specialite.as_deref(), false),
        ("rpps", c.rpps.as_deref(), opt_s(&d.rpps), true),
        ("adeli", c.adeli.as_deref(), opt_s(&d.adeli), true),
        ("finess", c.finess.as_deref(), opt_s(&d.finess), true),
        ("siret", c.siret.as_deref(), opt_s(&d.siret), true),
        ("exercice", c.exercice.as_deref(), opt_s(&d.exercice), false),
    ];
    for (key, new, old, quote) in top {
        if let Some(new) = new
            && Some(new) != old
        {
            t.set_top(key, &if quote { quoted(new) } else { scalar(new) }, KEY_ORDER);
            fields.push(key.to_string());
        }
    }
    // Places: matched by commune and address, or by commune alone when each side has one place
    // there (the coordinator may have rewritten the address).
    let mut used = vec![false; places_in_text];
    let mut appended = Vec::new();
    for p in &c.lieux {
        let exact = d
            .lieux
            .iter()
            .enumerate()
            .position(|(i, l)| !used[i] && same_place(&l.commune.value, &l.adresse, &p.commune, &p.adresse));
        let by_commune = || {
            let mine: Vec<usize> = (0..d.lieux.len()).filter(|&i| d.lieux[i].commune.value == p.commune).collect();
            let theirs = c.lieux.iter().filter(|q| q.commune == p.commune).count();
            (mine.len() == 1 && theirs == 1 && !used[mine[0]]).then(|| mine[0])
        };
        let Some(i) = exact.or_else(by_commune) else {
            appended.push(p);
            continue;
        };
        used[i] = true;
        let l = &d.lieux[i];
        if exact.is_none() {
            report.notes.push(format!(
                "{} : l’adresse du lieu {} diffère de la source («\u{a0}{}\u{a0}») ; celle de la fiche est gardée",
                e.rel,
                i + 1,
                p.adresse
            ));
        }
        let cp_ok = l.code_postal.value == p.code_postal;
        let phone_same = match (&p.telephone, &l.telephone) {
            (Some(a), Some(b)) => tidy_phone(&b.value).as_deref() == Some(a.as_str()),
            (None, _) => true,
            (Some(_), None) => false,
        };
        let changes: [(&str, Option<String>, bool); 5] = [
            ("nom", p.nom.as_ref().map(|v| scalar(v)), p.nom.is_none() || p.nom.as_deref() == l.nom.as_deref()),
            ("code_postal", Some(quoted(&p.code_postal)), cp_ok),
            (
                "coordonnees",
                p.coordonnees.map(coordinates),
                p.coordonnees.is_none()
                    || l.coordonnees.as_ref().is_some_and(|o| {
                        p.coordonnees
                            .is_some_and(|n| (o.value[0] - n[0]).abs() < 1e-5 && (o.value[1] - n[1]).abs() < 1e-5)
                    }),
            ),
            ("telephone", p.telephone.as_ref().map(|v| quoted(v)), phone_same),
            (
                "courriel",
                p.courriel.as_ref().map(|v| scalar(v)),
                p.courriel.is_none() || p.courriel.as_deref() == opt_s(&l.courriel),
            ),
        ];
        for (key, value, same) in changes {
            if let (false, Some(v)) = (same, value) {
                t.set_place(i, key, &v, PLACE_ORDER).map_err(|m| ImportError::Format(format!("{} : {m}", e.rel)))?;
                fields.push(format!("{key} (lieu {})", i + 1));
            }
        }
    }
    for p in appended {
        t.append_place(&place_fields(p)).map_err(|m| ImportError::Format(format!("{} : {m}", e.rel)))?;
        fields.push(format!("lieu ajouté ({})", p.adresse));
    }
    for (i, l) in d.lieux.iter().enumerate() {
        if !used[i] && !matches!(kind, SourceKind::Csv | SourceKind::Workbook) {
            report.notes.push(format!(
                "{} : le lieu {} ({}) n’est plus dans la source ; il est gardé",
                e.rel,
                i + 1,
                l.adresse
            ));
        }
    }
    if fields.is_empty() {
        report.unchanged.push(e.rel.clone());
        return Ok(());
    }
    let text = t.text();
    if let Err(dg) = decode_yaml::<MemberFile>(&e.rel, &text) {
        report.notes.push(format!(
            "{} : la mise à jour donnerait un fichier invalide ({}) ; fiche non modifiée",
            e.rel, dg.message
        ));
        report.unchanged.push(e.rel.clone());
        return Ok(());
    }
    if !opts.dry_run {
        write_atomic(&e.path, &text)?;
    }
    e.text = text;
    report.updated.push(FileChange { file: e.rel.clone(), who, fields });
    Ok(())
}

fn place_fields(p: &Place) -> Vec<(&'static str, String)> {
    let mut f = Vec::new();
    if let Some(n) = &p.nom {
        f.push(("nom", scalar(n)));
    }
    f.push(("adresse", scalar(&p.adresse)));
    f.push(("code_postal", quoted(&p.code_postal)));
    f.push(("commune", quoted(&p.commune)));
    if let Some(c) = p.coordonnees {
        f.push(("coordonnees", coordinates(c)));
    }
    if let Some(t) = &p.telephone {
        f.push(("telephone", quoted(t)));
    }
    if let Some(m) = &p.courriel {
        f.push(("courriel", scalar(m)));
    }
    f
}

/// The text of a new member file.
fn new_file(kind: SourceKind, c: &Candidate) -> String {
    let mut o = String::new();
    let origin = match kind {
        SourceKind::Rpps => "de l’Annuaire Santé",
        SourceKind::Finess => "du fichier FINESS",
        SourceKind::Csv | SourceKind::Workbook => "d’un tableau",
    };
    let _ = writeln!(o, "# Fiche créée par « maillage import {} » à partir {origin}.", kind.command());
    o.push_str("# Vérifiez-la et complétez-la (horaires, prise de rendez-vous, présentation…) ;\n");
    o.push_str("# ne passez « publie » à true qu’avec l’accord de la personne ou de la structure.\n");
    let fields = [
        ("civilite", &c.civilite, false),
        ("titre", &c.titre, false),
        ("prenom", &c.prenom, false),
        ("nom", &c.nom, false),
        ("raison_sociale", &c.raison_sociale, false),
        ("profession", &c.profession, false),
        ("structure", &c.structure, false),
        ("specialite", &c.specialite, false),
        ("rpps", &c.rpps, true),
        ("adeli", &c.adeli, true),
        ("finess", &c.finess, true),
        ("siret", &c.siret, true),
        ("exercice", &c.exercice, false),
    ];
    for (k, v, q) in fields {
        if let Some(v) = v {
            let _ = writeln!(o, "{k}: {}", if q { quoted(v) } else { scalar(v) });
        }
    }
    o.push_str("lieux:\n");
    for p in &c.lieux {
        for line in yaml_edit::place_lines(&place_fields(p), 2) {
            o.push_str(&line);
            o.push('\n');
        }
    }
    o.push_str("publie: false\n");
    o
}
