//! Writes a new site from a coordinator's answers: `cpts.yaml` filled from the official commune
//! table, the scaffold's examples moved onto the territory, and `LISEZMOI.md`.

use super::answers::{Answers, GUIDE, InitError};
use super::scaffold::{Scaffold, check_target};
use super::territory::{main_departement, population};
use crate::domain::communes::{Commune, table};
use crate::domain::text::{in_commune, slugify};
use crate::import::yaml_edit::{quoted, scalar};
use crate::model::vocab::aci_size;
use std::fmt::Write as _;
use std::path::Path;

/// The scaffold's examples are written for two communes sharing one postcode; these are the
/// values moved onto the coordinator's territory.
const EXAMPLE_FIRST: (&str, &str) = ("\"83073\"", "au Luc");
const EXAMPLE_SECOND: &str = "\"83031\"";
const EXAMPLE_POSTCODE: &str = "\"83340\"";

/// Writes the site into `dir` (absent or empty), its example members confirmed on `today`.
/// Returns the number of files written.
pub fn create(dir: &Path, answers: &Answers, today: jiff::civil::Date) -> Result<usize, InitError> {
    check_target(dir)?;
    let Some(&first) = answers.communes.first() else {
        return Err(InitError::Territory("le territoire ne compte aucune commune".into()));
    };
    let second = answers.communes.get(1).copied().unwrap_or(first);
    let mut count = 0;
    for file in Scaffold::iter() {
        let Some(data) = Scaffold::get(&file) else { continue };
        let text = if file == "content/cpts.yaml" {
            cpts_yaml(answers)
        } else {
            let Ok(text) = std::str::from_utf8(&data.data) else {
                write(dir, &file, &data.data)?;
                count += 1;
                continue;
            };
            super::scaffold::date_examples(&move_examples(text, first, second), today)
        };
        write(dir, &file, text.as_bytes())?;
        count += 1;
    }
    write(dir, "LISEZMOI.md", lisezmoi(answers, dir).as_bytes())?;
    count += 1 + super::scaffold::forge_workflows(dir)?;
    super::scaffold::editor_support(dir)?;
    Ok(count)
}

fn write(dir: &Path, file: &str, bytes: &[u8]) -> Result<(), InitError> {
    let target = dir.join(file);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|source| InitError::Io { path: parent.display().to_string(), source })?;
    }
    std::fs::write(&target, bytes).map_err(|source| InitError::Io { path: target.display().to_string(), source })
}

/// The scaffold's example members, action and offer, placed in the territory's first two
/// communes.
fn move_examples(text: &str, first: &Commune, second: &Commune) -> String {
    let postcode = |c: &Commune| quoted(c.codes_postaux().next().unwrap_or_default());
    let text = text
        .replace(EXAMPLE_FIRST.0, &quoted(first.insee))
        .replace(EXAMPLE_SECOND, &quoted(second.insee))
        .replace(EXAMPLE_FIRST.1, &in_commune(first.nom));
    // A place's postcode is written just before its commune: it takes the postcode of the
    // commune written below it.
    let second_commune = format!("commune: {}", quoted(second.insee));
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        if line.contains(EXAMPLE_POSTCODE) {
            let below_is_second = lines[i + 1..].iter().take(2).any(|l| l.trim_start().starts_with(&second_commune));
            let c = if below_is_second { second } else { first };
            out.push_str(&line.replace(EXAMPLE_POSTCODE, &postcode(c)));
        } else {
            out.push_str(line);
        }
    }
    out
}

fn cpts_yaml(a: &Answers) -> String {
    let t = table();
    let v = t.vintage();
    let slug = slugify(&a.nom);
    let first = a.communes.first().map_or("", |c| c.nom);
    let first_postcode = a.communes.first().and_then(|c| c.codes_postaux().next()).unwrap_or_default();
    let people = population(&a.communes);
    let size = aci_size(people);
    let mayotte = if a.communes.iter().any(|c| c.departement() == "976") {
        format!(" ; Mayotte : {}", v.population_mayotte)
    } else {
        String::new()
    };
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Fiche d'identité de la CPTS, créée par « maillage init ». Chaque clé est décrite dans le guide : maillage aide cpts."
    );
    let _ = writeln!(y, "# Remplacez chaque « À compléter » et chaque adresse en example.fr avant de publier.");
    let _ = writeln!(y, "nom: {}", scalar(&a.nom));
    let _ = writeln!(y, "nom_court: {}", scalar(&a.nom));
    let _ = writeln!(
        y,
        "description: {}",
        scalar(&format!(
            "{} réunit les professionnels de santé du territoire au service de tous ses habitants.",
            a.nom
        ))
    );
    let _ = writeln!(y, "presentation: |");
    let _ = writeln!(y, "  La CPTS réunit les médecins, infirmiers, pharmaciens, kinésithérapeutes et");
    let _ = writeln!(y, "  établissements de santé du territoire pour faciliter l'accès aux soins.");
    let _ = writeln!(y);
    let _ = writeln!(y, "association:");
    let _ = writeln!(
        y,
        "  # rna: \"W000000000\"  # numéro RNA de l'association (W et 9 chiffres), sur le récépissé de la préfecture"
    );
    let _ = writeln!(y, "  siege: {}", scalar(&format!("À compléter, {first_postcode} {first}")));
    let _ = writeln!(y, "  directeur_publication: À compléter");
    let _ = writeln!(y);
    let _ = writeln!(y, "contact:");
    let _ = writeln!(y, "  adresse: {}", scalar(&format!("À compléter, {first_postcode} {first}")));
    match &a.telephone {
        Some(phone) => {
            let _ = writeln!(y, "  telephone: {}", quoted(phone));
        }
        None => {
            let _ = writeln!(y, "  # telephone: \"04 94 00 00 00\"");
        }
    }
    let courriel = a.courriel.clone().unwrap_or_else(|| format!("contact@{slug}.example.fr"));
    let _ = writeln!(y, "  courriel: {}", scalar(&courriel));
    let _ = writeln!(y);
    let _ = writeln!(y, "territoire:");
    let _ = writeln!(y, "  departement: {}", quoted(&main_departement(&a.communes)));
    let _ = writeln!(
        y,
        "  # Communes et populations : Code officiel géographique {} et populations légales {} de l'INSEE{mayotte}",
        v.cog, v.population
    );
    let _ = writeln!(y, "  # ({}, {}).", v.package, v.licence);
    let _ = writeln!(
        y,
        "  # {} communes, {} habitants : taille {} de l'ACI ({}), recalculée à chaque construction.",
        a.communes.len(),
        people,
        size.size,
        size.range
    );
    let _ = writeln!(
        y,
        "  # Pour la carte : ajoutez content/communes.geojson, ou « centre: [latitude, longitude] » sous chaque commune."
    );
    let _ = writeln!(
        y,
        "  # Codes postaux, populations et intercommunalités viennent de cette table, à chaque construction :"
    );
    let _ = writeln!(y, "  # ne les écrivez que pour les corriger.");
    let _ = writeln!(y, "  communes:");
    for c in &a.communes {
        let _ = writeln!(y, "    - insee: {}", quoted(c.insee));
        let _ = writeln!(y, "      nom: {}", scalar(c.nom));
    }
    let _ = writeln!(y);
    let _ = writeln!(y, "missions:");
    let _ = writeln!(y, "  - mission: acces-aux-soins");
    let _ = writeln!(y, "    resume: Aider chaque habitant à trouver un médecin traitant.");
    let _ = writeln!(y, "  - mission: prevention");
    let _ = writeln!(y, "    resume: Organiser des actions de dépistage et de vaccination.");
    let _ = writeln!(y);
    let _ = writeln!(y, "# L'hébergeur du site (mentions légales) : nom, adresse et téléphone.");
    let _ = writeln!(y, "hebergeur:");
    let _ = writeln!(y, "  nom: Hébergeur à compléter");
    let _ = writeln!(y, "  adresse: Adresse de l'hébergeur à compléter");
    let _ = writeln!(y, "  telephone: \"01 00 00 00 00\"");
    let _ = writeln!(y);
    let _ = writeln!(y, "accessibilite:");
    let _ = writeln!(y, "  statut: non-conforme");
    let _ = writeln!(y);
    y.push_str(&freshness_rules());
    let _ = writeln!(y, "site:");
    let _ = writeln!(y, "  url: https://www.{slug}.example.fr");
    y
}

/// The `fraicheur` block of the scaffold's cpts.yaml (its comments and defaults), up to `site:`.
fn freshness_rules() -> String {
    let scaffold =
        Scaffold::get("content/cpts.yaml").map(|f| String::from_utf8_lossy(&f.data).into_owned()).unwrap_or_default();
    let start = scaffold.find("# Fraîcheur des informations").unwrap_or(scaffold.len());
    let end = scaffold[start..].find("\nsite:").map_or(scaffold.len(), |e| start + e + 1);
    scaffold[start..end].to_string()
}

fn lisezmoi(a: &Answers, dir: &Path) -> String {
    let root = dir.display();
    format!(
        "# {nom} : votre site

Ce dossier contient le site de la CPTS, créé par « maillage init ». Tout son contenu est dans
`content/` : des fichiers texte à modifier avec n'importe quel éditeur.

## 1. Voir le site

    maillage serve --root {root}

puis ouvrez http://127.0.0.1:1111/ dans votre navigateur. Le site se met à jour à chaque
enregistrement d'un fichier, et les erreurs s'affichent dans la page.

## 2. Compléter le contenu

- `content/cpts.yaml` : l'association (numéro RNA, siège, directeur de la publication),
  l'hébergeur, les missions. Remplacez chaque « À compléter » et chaque adresse en `example.fr`.
- `content/membres/` : une fiche par professionnel ou structure. Les deux fiches d'exemple sont à
  remplacer ; `maillage new membre \"Prénom Nom\"` en crée une, `maillage import` les reprend de
  l'Annuaire Santé ou d'un tableau.
- `content/actions/`, `content/offres/`, `content/pages/` : actions de prévention, offres
  (stages, installation, remplacement) et pages libres ; `maillage new` en crée.
- La carte : ajoutez les contours officiels des communes dans `content/communes.geojson`.

`maillage check --root {root}` vérifie tout et dit, pour chaque problème, le fichier, la ligne
et quoi faire.

## 3. Publier

    maillage build --root {root}

écrit le site complet dans `public/` : envoyez le contenu de ce dossier chez votre hébergeur
(par SFTP, ou dans le dossier de votre hébergement). Le site n'a besoin ni de base de données ni
de PHP.

## Le guide

Le guide du coordinateur décrit chaque fichier, chaque clé et chaque message d'erreur : {guide}.
",
        nom = a.nom,
        guide = GUIDE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::grouped;

    #[test]
    fn digit_groups_and_main_departement() {
        assert_eq!(grouped(17_080), "17\u{202f}080");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(2_103_778), "2\u{202f}103\u{202f}778");
        let t = table();
        let communes = [t.commune("83073"), t.commune("13055"), t.commune("83031")];
        let communes: Vec<&Commune> = communes.into_iter().flatten().collect();
        assert_eq!(main_departement(&communes), "13");
        assert_eq!(population(&communes[..1]), u64::from(communes[0].population.unwrap_or(0)));
    }

    #[test]
    fn examples_move_onto_the_territory() {
        let t = table();
        let (Some(a), Some(b)) = (t.commune("97411"), t.commune("97415")) else { panic!("communes de La Réunion") };
        for file in Scaffold::iter() {
            let Some(data) = Scaffold::get(&file) else { continue };
            let Ok(text) = std::str::from_utf8(&data.data) else { continue };
            if file == "content/cpts.yaml" {
                continue; // written from the answers
            }
            let moved = move_examples(text, a, b);
            for old in ["83073", "83031", "83340", "au Luc"] {
                assert!(!moved.contains(old), "{file} garde {old} :\n{moved}");
            }
        }
    }
}
