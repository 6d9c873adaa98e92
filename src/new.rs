//! `maillage new offer|member|action|page TITLE`: a ready-to-fill content file.
//!
//! The file name is the slug of the title; an existing file is never replaced. Every key is
//! written with a French comment, optional keys commented out, and the placeholders are valid
//! values taken from the site (its first commune, its contact address), so the new file passes
//! `maillage check` as it is. New offers, actions and pages start as drafts (`brouillon: true`)
//! and new members unpublished (`publie: false`): nothing reaches the public site by accident.

use crate::domain::text::slugify;
use jiff::ToSpan;
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// The kinds of content `maillage new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `content/offres/<slug>.md`
    Offer,
    /// `content/membres/<slug>.yaml`
    Member,
    /// `content/actions/<slug>.md`
    Action,
    /// `content/pages/<slug>.md`
    Page,
}

/// Why a file could not be created.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The title gives an empty file name.
    #[error("le titre « {0} » ne donne pas de nom de fichier : utilisez des lettres ou des chiffres")]
    EmptySlug(String),
    /// The file exists.
    #[error("{0} existe déjà : choisissez un autre titre ou modifiez ce fichier")]
    Exists(String),
    /// cpts.yaml could not be read.
    #[error(
        "content/cpts.yaml est absent ou illisible dans {0} : créez le site avec « maillage init » ou corrigez ce fichier (« maillage check »)"
    )]
    NoSite(String),
    /// Writing failed.
    #[error("écriture impossible dans {path} : {}", crate::french::io_error(.source))]
    Io {
        /// Where.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// What the templates take from the site.
struct Defaults {
    insee: String,
    commune: String,
    code_postal: String,
    courriel: String,
}

fn defaults(root: &Path) -> Result<Defaults, NewError> {
    let (sources, _) = crate::source::load(root);
    let (site, _) = crate::model::parse(sources);
    let site = site.ok_or_else(|| NewError::NoSite(root.display().to_string()))?;
    let first = site.communes().first();
    Ok(Defaults {
        insee: first.map_or_else(String::new, |c| c.insee.value.clone()),
        commune: first.map_or_else(String::new, |c| c.nom.clone()),
        code_postal: first.and_then(|c| c.codes_postaux.first()).map_or_else(String::new, |p| p.value.clone()),
        courriel: site.cpts.data.contact.courriel.value.clone(),
    })
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// Creates the file for `title` under `root/content/` and returns its path.
pub fn create(root: &Path, kind: Kind, title: &str, today: Date) -> Result<PathBuf, NewError> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(NewError::EmptySlug(title.to_string()));
    }
    let (dir, ext) = match kind {
        Kind::Offer => ("offres", "md"),
        Kind::Member => ("membres", "yaml"),
        Kind::Action => ("actions", "md"),
        Kind::Page => ("pages", "md"),
    };
    let path = root.join("content").join(dir).join(format!("{slug}.{ext}"));
    if path.exists() {
        return Err(NewError::Exists(path.display().to_string()));
    }
    let d = defaults(root)?;
    let text = match kind {
        Kind::Offer => offer(title, &d, today),
        Kind::Member => member(title, &d, today),
        Kind::Action => action(title, &d, today),
        Kind::Page => page(title),
    };
    let io = |p: &Path| {
        let path = p.display().to_string();
        move |source| NewError::Io { path, source }
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    // create_new: never replace a file, even one created since the check above.
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            NewError::Exists(path.display().to_string())
        } else {
            NewError::Io { path: path.display().to_string(), source: e }
        }
    })?;
    file.write_all(text.as_bytes()).map_err(io(&path))?;
    // The editor's schemas list the new member (or keep up with the rest of the site).
    let (site, _) = crate::model::parse(crate::source::load(root).0);
    crate::schema::refresh_site(root, site.as_ref()).map_err(io(&root.join(crate::schema::SITE_DIR)))?;
    Ok(path)
}

fn offer(title: &str, d: &Defaults, today: Date) -> String {
    let until = today.checked_add(3.months()).unwrap_or(today);
    format!(
        r#"---
# Offre pour les professionnels de santé ou les étudiants. Toutes les clés sont décrites dans
# le guide : maillage aide offres. Les lignes qui commencent par « # » sont des commentaires : enlevez le « # »
# d’une clé facultative pour l’utiliser.

# Titre de l’offre.
titre: {titre}
# Type : stage, installation, remplacement, collaboration, assistanat ou salariat.
type: stage
# Une ou deux phrases, affichées dans les listes d’offres et le flux Atom.
resume: "À compléter : ce que propose l’offre, en une ou deux phrases."
# Profession recherchée, avec les clés de l’annuaire (medecin-generaliste, infirmier, sage-femme,
# masseur-kinesitherapeute, pharmacien…).
profession: medecin-generaliste
# Public visé (facultatif) : externes, internes, étudiants IFSI, professionnels diplômés…
public:
  - Internes de médecine générale
# Codes INSEE des communes où se déroule l’offre (au moins une, entre guillemets).
# Le zonage ZIP/ZAC vient des communes de content/cpts.yaml : inutile de le répéter ici.
communes:
  - "{insee}" # {commune}
# Date de publication, puis dernier jour où l’offre est ouverte : le lendemain, elle passe
# automatiquement aux archives et quitte le flux Atom et le plan du site.
date_publication: {today}
valide_jusqu_au: {until}
# Début, fin et durée (facultatifs).
# debut: {today}
# fin: {until}
# duree: 6 mois
# Maître de stage : nom du fichier du membre, sans « .yaml » (facultatif).
# maitre_de_stage: prenom-nom
# Logement proposé (facultatif).
# logement:
#   type: Studio meublé
#   prix: Gratuit
#   description: À cinq minutes à pied du cabinet.
# Aides possibles : ARS, Assurance Maladie, CESP, commune (facultatif).
# aides:
#   - Contrat d’aide à l’installation de l’Assurance Maladie
# Rémunération ou rétrocession (facultatif).
# remuneration: Rétrocession de 70 % des honoraires
# Comment postuler, en Markdown (facultatif).
# candidature: |
#   Envoyez un CV et quelques lignes de motivation.
# Contact : au moins un moyen parmi membre, téléphone, courriel et lien.
contact:
  courriel: {courriel}
  # nom: Coordination de la CPTS
  # telephone: "04 00 00 00 00"
  # membre: prenom-nom
  # lien: https://exemple.fr/candidature
# Brouillon : l’offre n’est pas publiée. Passez à « false » quand elle est prête.
brouillon: true
---

## L’offre

À compléter : le poste ou le stage, l’équipe, le lieu d’exercice, la vie sur le territoire.
"#,
        titre = quoted(title),
        insee = d.insee,
        commune = d.commune,
        today = today,
        until = until,
        courriel = d.courriel,
    )
}

fn member(title: &str, d: &Defaults, today: Date) -> String {
    let title = title.trim();
    let (prenom, nom) = title.split_once(' ').unwrap_or(("", title));
    r#"# Fiche d’un professionnel de santé membre de la CPTS. Toutes les clés sont décrites dans
# le guide : maillage aide membres. Les lignes qui commencent par « # » sont des commentaires : enlevez le « # »
# d’une clé facultative pour l’utiliser.

# Civilité (facultative) : « M. » ou « Mme » (choisit « Infirmier » ou « Infirmière ») ;
# sans elle, la fiche affiche le nom de la profession. N’écrivez que ce que vous savez.
# civilite: Mme
# Titre affiché devant le nom : « Dr » ou « Pr » (facultatif).
# titre: Dr
prenom: {prenom}
nom: {nom}
# Profession (clé de l’annuaire : medecin-generaliste, infirmier, sage-femme, pharmacien…).
# Pour une structure, remplacez prenom, nom et profession par raison_sociale et structure.
profession: medecin-generaliste
# Spécialité ou pratique particulière (facultatif).
# specialite: Pédiatrie
# Numéros d’identification (facultatifs, vérifiés) : RPPS 11 chiffres, ADELI 9 chiffres.
# rpps: "10000000000"
# Mode d’exercice : liberal, salarie ou mixte (facultatif).
# exercice: liberal
# Lieux d’exercice (au moins un).
lieux:
  - adresse: À compléter
    code_postal: "{code_postal}"
    # Code INSEE de la commune, entre guillemets ({commune}).
    commune: "{insee}"
    # telephone: "04 00 00 00 00"
    # prise_rdv: https://exemple.fr/rendez-vous
    # horaires: Du lundi au vendredi, 8 h – 19 h
    # accessible_pmr: true
# Accepte de nouveaux patients (facultatif).
# accepte_nouveaux_patients: true
# Participe aux soins non programmés, propose la téléconsultation (facultatifs ; absent : non précisé).
# soins_non_programmes: true
# teleconsultation: true
# Se déplace au domicile des patients (facultatif ; absent : non précisé).
# visites_domicile: true
# Accueille des stagiaires comme maître de stage (facultatif ; page /stages/).
# maitre_de_stage: true
# Année de naissance (facultatif) : sert seulement, en total par profession, à la part des
# professionnels de 60 ans ou plus sur la page « S’installer ». Jamais affichée seule.
# annee_naissance: 1975
# Date où le professionnel a confirmé sa fiche (nouveaux patients, horaires, téléphone…) ;
# sans elle, ces informations sont affichées « à confirmer ».
# verifie_le: {today}
# Accord du professionnel pour paraître sur le site. Rien n’est publié sans « publie: true ».
publie: false
"#
    .replace("{prenom}", &quoted(prenom))
    .replace("{nom}", &quoted(nom))
    .replace("{code_postal}", &d.code_postal)
    .replace("{commune}", &d.commune)
    .replace("{insee}", &d.insee)
    .replace("{today}", &today.to_string())
}

fn action(title: &str, d: &Defaults, today: Date) -> String {
    let day = today.checked_add(1.month()).unwrap_or(today);
    format!(
        r#"---
# Action de prévention ou campagne. Toutes les clés sont décrites dans « maillage aide actions ». Les lignes
# qui commencent par « # » sont des commentaires : enlevez le « # » d’une clé facultative.

titre: {titre}
# Une ou deux phrases, pour les listes et l’agenda.
resume: "À compléter : ce que propose l’action, pour qui."
# Mission de l’ACI (facultatif, prevention par défaut).
mission: prevention
# Thème et public (facultatifs) : destinataires (population, professionnels ou tous), sexe
# (femmes ou hommes), tranches d’âge, professions, précision en clair.
# theme: Dépistage
# public:
#   ages:
#     - min: 50
#       max: 74
#   precision: et toutes celles et ceux qui se posent des questions
# Partenaires (facultatif) : nom, et si vous voulez type, site et logo (image de content/static/).
# partenaires:
#   - nom: CPAM du Var
#     lien: https://www.ameli.fr/var
# Action menée toute l’année, sans dates : « permanente: true », et « quand » dit quand.
# permanente: true
# quand: Toute l’année, sur rendez-vous
# Membres référents : noms des fichiers des membres, sans « .yaml » (facultatif).
# referents:
#   - prenom-nom
# Séances : une ou plusieurs.
seances:
  - date: {day}
    # debut: "09:00"
    # fin: "12:00"
    lieu: À compléter
    # adresse: Place de la Mairie
    # Code INSEE de la commune, entre guillemets ({commune}).
    commune: "{insee}"
    # Gratuite (true), payante (false, avec son prix), ou rien : le site n’en dit rien.
    # gratuit: true
    # prix: 5 €
    # places: 12
    # places_restantes: 4
    # Hors du territoire (un hôpital voisin) : la commune peut être n’importe laquelle.
    # hors_territoire: true
    # inscription: Sans rendez-vous
# Brouillon : l’action n’est pas publiée. Passez à « false » quand elle est prête.
brouillon: true
---

## L’action

À compléter.
"#,
        titre = quoted(title),
        day = day,
        commune = d.commune,
        insee = d.insee,
    )
}

fn page(title: &str) -> String {
    format!(
        r#"---
# Page libre. Toutes les clés sont décrites dans « maillage aide pages ». Les lignes qui commencent par
# « # » sont des commentaires : enlevez le « # » d’une clé facultative pour l’utiliser.

titre: {titre}
# Résumé pour les moteurs de recherche (facultatif).
# resume: À compléter.
# Position dans le menu principal (facultatif ; absente, la page n’y figure pas).
# menu: 10
# Brouillon : la page n’est pas publiée. Passez à « false » quand elle est prête.
brouillon: true
---

À compléter, en Markdown.
"#,
        titre = quoted(title),
    )
}
