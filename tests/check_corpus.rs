//! A corpus of broken sites, one mistake each: every case is the minimal valid site of
//! `common` with a few files added, replaced or removed, and the one diagnostic (file, line,
//! column, code, message, and part of the hint) that `maillage check` must give for it.
//! Then one site with ten mistakes in ten files, all reported in one run.

mod common;

use common::*;
use maillage::diagnostic::{Diagnostic, Severity};

/// What one diagnostic must be.
#[derive(Debug, Clone)]
struct Expect {
    file: &'static str,
    line: u32,
    column: u32,
    code: &'static str,
    severity: Severity,
    message: String,
    /// A part of the hint, when it matters.
    hint: Option<&'static str>,
}

/// One broken site.
struct Case {
    name: &'static str,
    files: Vec<(String, Vec<u8>)>,
    remove: Vec<&'static str>,
    expect: Vec<Expect>,
}

impl Case {
    fn new(name: &'static str) -> Case {
        Case { name, files: Vec::new(), remove: Vec::new(), expect: Vec::new() }
    }

    fn file(mut self, path: impl Into<String>, text: impl AsRef<str>) -> Case {
        self.files.push((path.into(), text.as_ref().as_bytes().to_vec()));
        self
    }

    fn bytes(mut self, path: &str, bytes: &[u8]) -> Case {
        self.files.push((path.to_string(), bytes.to_vec()));
        self
    }

    fn without(mut self, path: &'static str) -> Case {
        self.remove.push(path);
        self
    }

    fn error(self, file: &'static str, line: u32, column: u32, code: &'static str, message: impl Into<String>) -> Case {
        self.push(file, line, column, code, Severity::Error, message.into())
    }

    fn warning(
        self,
        file: &'static str,
        line: u32,
        column: u32,
        code: &'static str,
        message: impl Into<String>,
    ) -> Case {
        self.push(file, line, column, code, Severity::Warning, message.into())
    }

    fn push(
        mut self,
        file: &'static str,
        line: u32,
        column: u32,
        code: &'static str,
        severity: Severity,
        message: String,
    ) -> Case {
        self.expect.push(Expect { file, line, column, code, severity, message, hint: None });
        self
    }

    /// The hint of the last expected diagnostic must contain `part`.
    fn hint(mut self, part: &'static str) -> Case {
        if let Some(e) = self.expect.last_mut() {
            e.hint = Some(part);
        }
        self
    }

    /// Runs the check on the case's site; returns what differs from the expectation.
    fn run(&self) -> Option<String> {
        let dir = site(&[]);
        for (path, bytes) in &self.files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, bytes).unwrap();
        }
        for path in &self.remove {
            std::fs::remove_file(dir.path().join(path)).unwrap();
        }
        let found = maillage::check_site(&opts(dir.path(), &public(dir.path())));
        assert!(!public(dir.path()).exists(), "{} : check a écrit la sortie", self.name);
        let matches = found.len() == self.expect.len() && found.iter().zip(&self.expect).all(|(d, e)| same(d, e));
        if matches {
            None
        } else {
            Some(format!("── {}\nattendu : {:#?}\nobtenu : {found:#?}", self.name, self.expect))
        }
    }
}

fn same(d: &Diagnostic, e: &Expect) -> bool {
    d.file == e.file
        && d.line == e.line
        && d.column == e.column
        && d.code == e.code
        && d.severity == e.severity
        && d.message == e.message
        && e.hint.is_none_or(|h| d.hint.as_deref().is_some_and(|dh| dh.contains(h)))
}

/// `digits` followed by its Luhn key.
fn with_luhn_key(digits: &str) -> String {
    (0..10).map(|k| format!("{digits}{k}")).find(|n| maillage::domain::ids::luhn(n)).unwrap()
}

/// The same number with a wrong last digit.
fn wrong_key(valid: &str) -> String {
    let (head, last) = valid.split_at(valid.len() - 1);
    let d = (last.parse::<u32>().unwrap() + 1) % 10;
    format!("{head}{d}")
}

/// The minimal site's member with one replacement.
fn member(from: &str, to: &str) -> String {
    replace_once(MEMBER_YAML, from, to)
}

/// Another published member, with its own RPPS (or none), to add beside the base one.
fn other_member(rpps_line: &str) -> String {
    member("rpps: \"10000000009\"\n", rpps_line).replace("prenom: Claire", "prenom: Paul")
}

const M: &str = "content/membres/claire-exemple.yaml";
const CPTS: &str = "content/cpts.yaml";
const ACTION_PATH: &str = "content/actions/vaccination.md";
const OFFER_PATH: &str = "content/offres/remplacement.md";
const PAGE_PATH: &str = "content/pages/infos.md";

/// A valid action: the session's date is on line 5 (column 11), its commune on line 7.
const ACTION: &str = "---\ntitre: Vaccination\nresume: Une campagne.\nseances:\n  - date: 2027-01-15\n    lieu: Salle des fêtes\n    commune: \"83073\"\n---\nCorps.\n";

/// A valid offer: dates on lines 7 and 8, contact on lines 9-10.
const OFFER: &str = "---\ntitre: Remplacement\ntype: remplacement\nresume: Une offre.\nprofession: medecin-generaliste\ncommunes: [\"83073\"]\ndate_publication: 2026-06-01\nvalide_jusqu_au: 2027-06-30\ncontact:\n  courriel: offres@cpts-test.fr\n---\nCorps.\n";

/// A valid free page.
const PAGE: &str = "---\ntitre: Informations\n---\nCorps.\n";

fn action(from: &str, to: &str) -> String {
    replace_once(ACTION, from, to)
}

fn offer(from: &str, to: &str) -> String {
    replace_once(OFFER, from, to)
}

fn cpts(from: &str, to: &str) -> String {
    replace_once(CPTS_YAML, from, to)
}

const SIDECAR: &str = "titre: Affiche\ndescription: Une affiche.\nfichier: affiche.pdf\npublic: population\n";

fn cases() -> Vec<Case> {
    let adeli = with_luhn_key("83123456");
    let finess = with_luhn_key("83000123");
    let siret = with_luhn_key("7328293200001");
    vec![
        // ── Reading and decoding
        Case::new("fichier en Latin-1")
            .bytes(M, &latin1(&member("nom: Exemple", "nom: Hélène")))
            .error(M, 4, 7, "M010", "le fichier n’est pas en UTF-8 (octet invalide à la position 45)")
            .hint("encodage UTF-8"),
        Case::new("en-tête absent")
            .file(PAGE_PATH, "titre: Informations\n\nCorps.\n")
            .error(PAGE_PATH, 1, 1, "M011", "l’en-tête YAML est absent"),
        Case::new("en-tête pas refermé")
            .file(PAGE_PATH, "---\ntitre: Informations\nCorps.\n")
            .error(PAGE_PATH, 3, 1, "M011", "l’en-tête YAML n’est pas refermé"),
        Case::new("deux-points dans un titre")
            .file(PAGE_PATH, "---\ntitre: Assemblée générale : bilan\n---\nCorps.\n")
            .error(PAGE_PATH, 2, 27, "M012", "syntaxe YAML invalide : deux-points inattendu (indentation, ou texte contenant « : » à mettre entre guillemets)")
            .hint("mettez-le entre guillemets, ainsi : titre: \"Assemblée générale : bilan\""),
        Case::new("tabulation")
            .file(M, member("    code_postal", "\tcode_postal"))
            .error(M, 10, 1, "M012", "syntaxe YAML invalide : tabulation interdite : indentez avec des espaces"),
        Case::new("guillemet non refermé")
            .file(PAGE_PATH, "---\ntitre: \"Informations\n---\nCorps.\n")
            .error(PAGE_PATH, 2, 8, "M012", "syntaxe YAML invalide : guillemet non refermé"),
        Case::new("clé en double")
            .file(M, member("nom: Exemple\n", "nom: Exemple\nnom: Autre\n"))
            .error(M, 5, 1, "M012", "clé présente deux fois"),
        Case::new("clé inconnue")
            .file(M, member("publie: true", "publi: true"))
            .error(M, 14, 1, "M013", "clé inconnue « publi »")
            .hint("vouliez-vous dire « publie » ?"),
        Case::new("clé inconnue dans un bloc imbriqué")
            .file(M, member("    telephone:", "    telephon:"))
            .error(M, 12, 5, "M013", "clé inconnue « telephon »")
            .hint("vouliez-vous dire « telephone » ?"),
        Case::new("clé inconnue sans voisine")
            .file(PAGE_PATH, "---\ntitre: Informations\ncouleur_preferee: bleu\n---\n")
            .error(PAGE_PATH, 3, 1, "M013", "clé inconnue « couleur_preferee »")
            .hint("clés possibles ici : titre, "),
        Case::new("clé obligatoire manquante")
            .file(M, member("publie: true\n", ""))
            .error(M, 1, 1, "M014", "la clé obligatoire « publie » manque")
            .hint("ajoutez « publie: … » ;"),
        Case::new("clé obligatoire manquante dans un lieu")
            .file(M, member("    commune: \"83073\"\n", ""))
            .error(M, 9, 5, "M014", "la clé obligatoire « commune » manque")
            .hint("ajoutez « commune: … » dans le bloc « lieux »"),
        Case::new("liste au lieu d’un texte")
            .file(M, member("nom: Exemple", "nom: [Exemple, Autre]"))
            .error(M, 4, 6, "M015", "valeur de mauvais type : il faut ici un texte"),
        Case::new("date impossible")
            .file(ACTION_PATH, action("2027-01-15", "2027-02-30"))
            .error(ACTION_PATH, 5, 11, "M015", "date invalide")
            .hint("2026-10-14"),
        Case::new("heure mal écrite")
            .file(ACTION_PATH, action("    lieu:", "    debut: 9h30\n    lieu:"))
            .error(ACTION_PATH, 6, 12, "M015", "heure invalide")
            .hint("\"09:30\""),
        Case::new("oui au lieu de true")
            .file(M, member("publie: true", "publie: oui"))
            .error(M, 14, 9, "M015", "valeur invalide : oui ou non attendu")
            .hint("true (oui) ou false (non)"),
        Case::new("nombre mal écrit")
            .file(PAGE_PATH, "---\ntitre: Informations\nmenu: deux\n---\n")
            .error(PAGE_PATH, 3, 7, "M015", "valeur invalide : un nombre entier est attendu"),
        Case::new("fichier au mauvais endroit")
            .file("content/notes.txt", "à faire")
            .warning("content/notes.txt", 0, 0, "M003", "fichier ignoré : Maillage ne sait pas quoi en faire à cet endroit"),
        Case::new("cpts.yaml absent")
            .without(CPTS)
            .error(CPTS, 0, 0, "M004", "le fichier content/cpts.yaml manque"),
        // ── Identifiers
        Case::new("RPPS : clé fausse")
            .file(M, member("10000000009", "10000000001"))
            .error(M, 6, 7, "M030", "numéro RPPS « 10000000001 » invalide : la clé du numéro RPPS est fausse (contrôle de Luhn)"),
        Case::new("RPPS : longueur")
            .file(M, member("10000000009", "1234"))
            .error(M, 6, 7, "M030", "numéro RPPS « 1234 » invalide : un numéro RPPS compte 11 chiffres"),
        Case::new("ADELI : clé fausse")
            .file(M, member("rpps: \"10000000009\"", &format!("adeli: \"{}\"", wrong_key(&adeli))))
            .error(M, 6, 8, "M030", format!("numéro ADELI « {} » invalide : la clé du numéro ADELI est fausse (contrôle de Luhn)", wrong_key(&adeli))),
        Case::new("FINESS : clé fausse")
            .file(M, member("rpps: \"10000000009\"", &format!("finess: \"{}\"", wrong_key(&finess))))
            .error(M, 6, 9, "M030", format!("numéro FINESS « {} » invalide : la clé du numéro FINESS est fausse (contrôle de Luhn)", wrong_key(&finess))),
        Case::new("FINESS : Corse mal écrite")
            .file(M, member("rpps: \"10000000009\"", "finess: \"2C0000019\""))
            .error(M, 6, 9, "M030", "numéro FINESS « 2C0000019 » invalide : un numéro FINESS compte 9 caractères (chiffres, ou 2A/2B pour la Corse)"),
        Case::new("SIRET : clé fausse")
            .file(M, member("rpps: \"10000000009\"", &format!("siret: \"{}\"", wrong_key(&siret))))
            .error(M, 6, 8, "M030", format!("numéro SIRET « {} » invalide : la clé du numéro SIRET est fausse (contrôle de Luhn)", wrong_key(&siret))),
        Case::new("SIRET de La Poste : somme fausse")
            .file(M, member("rpps: \"10000000009\"", "siret: \"35600000000016\""))
            .error(M, 6, 8, "M030", "numéro SIRET « 35600000000016 » invalide : la clé du numéro SIRET est fausse (La Poste : la somme des chiffres doit être divisible par 5)"),
        Case::new("RNA trop court")
            .file(CPTS, cpts("W831000001", "W83100000"))
            .error(CPTS, 5, 8, "M030", "numéro RNA « W83100000 » invalide : un numéro RNA s’écrit W suivi de 9 chiffres"),
        Case::new("code INSEE mal formé")
            .file(CPTS, cpts("insee: \"83148\"", "insee: \"8314A\""))
            .error(CPTS, 18, 14, "M030", "code INSEE « 8314A » invalide")
            .hint("un code commune INSEE compte 5 caractères (ex. 83050, 2A004)"),
        Case::new("commune nommée, nom mal orthographié")
            .file(CPTS, cpts("- insee: \"83148\"\n      nom: Vidauban", "- nom: Vidoban"))
            .error(CPTS, 18, 12, "M083", "aucune commune « Vidoban » dans le Code officiel géographique 2026")
            .hint("communes au nom proche : Vidauban (83148, Var)"),
        Case::new("code et nom de deux communes différentes")
            .file(CPTS, cpts("nom: Vidauban", "nom: Lorgues"))
            .warning(CPTS, 19, 12, "M082", "le code INSEE 83148 est celui de Vidauban, pas de « Lorgues »"),
        Case::new("population différente de la table officielle")
            .file(CPTS, cpts("      nom: Le Luc\n", "      nom: Le Luc\n      population: 11000\n"))
            .warning(CPTS, 17, 19, "M082", "population légale 2023 du Luc : 11\u{202f}310 habitants (table officielle), et non 11\u{202f}000")
            .hint("retirez « population »"),
        Case::new("code INSEE inconnu, commune incomplète")
            .file(CPTS, cpts("insee: \"83148\"", "insee: \"83999\""))
            .error(CPTS, 18, 14, "M084", "le code INSEE « 83999 » n’est pas dans le Code officiel géographique 2026")
            .hint("codes_postaux, population"),
        Case::new("code postal d’une autre commune")
            .file(M, member("\"83340\"", "\"83550\""))
            .error(M, 10, 18, "M046", "le code postal 83550 n’est pas celui du Luc")
            .hint("codes postaux du Luc : 83340"),
        Case::new("code postal mal formé")
            .file(M, member("\"83340\"", "\"8334\""))
            .error(M, 10, 18, "M046", "code postal « 8334 » invalide"),
        Case::new("téléphone incomplet")
            .file(M, member("04 94 00 00 01", "04 94 00 00"))
            .error(M, 12, 16, "M031", "numéro de téléphone « 04 94 00 00 » invalide")
            .hint("10 chiffres"),
        Case::new("courriel sans domaine")
            .file(M, member("    telephone:", "    courriel: claire@exemple\n    telephone:"))
            .error(M, 12, 15, "M032", "adresse électronique « claire@exemple » invalide"),
        Case::new("adresse web sans https")
            .file(M, member("    telephone:", "    prise_rdv: www.exemple.fr\n    telephone:"))
            .error(M, 12, 16, "M033", "adresse web « www.exemple.fr » invalide"),
        Case::new("adresse web en http")
            .file(M, member("    telephone:", "    prise_rdv: http://rdv.exemple.fr\n    telephone:"))
            .warning(M, 12, 16, "M034", "adresse web non sécurisée « http://rdv.exemple.fr »"),
        Case::new("coordonnées loin du territoire")
            .file(M, member("    telephone:", "    coordonnees: [48.85, 2.35]\n    telephone:"))
            .warning(M, 12, 18, "M045", "les coordonnées [48.85, 2.35] sont loin du territoire")
            .hint("[latitude, longitude]"),
        Case::new("coordonnées impossibles")
            .file(M, member("    telephone:", "    coordonnees: [243.4, 6.3]\n    telephone:"))
            .error(M, 12, 18, "M045", "coordonnées impossibles"),
        // ── References
        Case::new("commune hors du territoire")
            .file(M, member("commune: \"83073\"", "commune: \"83050\""))
            .error(M, 11, 14, "M040", "la commune « 83050 » n’est pas dans le territoire"),
        Case::new("nom de commune au lieu du code")
            .file(M, member("commune: \"83073\"", "commune: Le Luc"))
            .error(M, 11, 14, "M040", "la commune « Le Luc » n’est pas dans le territoire")
            .hint("« 83073 » pour Le Luc"),
        Case::new("référent inconnu")
            .file(ACTION_PATH, action("seances:", "referents:\n  - claire-exempel\nseances:"))
            .error(ACTION_PATH, 5, 5, "M041", "aucun membre « claire-exempel »")
            .hint("vouliez-vous dire « claire-exemple » ?"),
        Case::new("contact d’offre inconnu")
            .file(OFFER_PATH, offer("contact:\n", "contact:\n  membre: jean-inconnu\n"))
            .error(OFFER_PATH, 10, 11, "M041", "aucun membre « jean-inconnu »"),
        Case::new("référent sans accord de publication")
            .file("content/membres/paul-prive.yaml", other_member("").replace("publie: true", "publie: false"))
            .file(ACTION_PATH, action("seances:", "referents: [paul-prive]\nseances:"))
            .warning(ACTION_PATH, 4, 13, "M042", "le membre « paul-prive » n’a pas donné son accord de publication : il n’apparaîtra pas ici"),
        Case::new("image absente")
            .file(PAGE_PATH, "---\ntitre: Informations\nimage:\n  src: images/absente.jpg\n  alt: Une affiche\n---\n")
            .error(PAGE_PATH, 4, 8, "M043", "image introuvable : content/static/images/absente.jpg")
            .hint("placez l’image dans content/static/"),
        Case::new("image hors du dossier static")
            .file(PAGE_PATH, "---\ntitre: Informations\nimage:\n  src: ../../cpts.yaml\n  alt: Une affiche\n---\n")
            .error(PAGE_PATH, 4, 8, "M043", "image introuvable : content/static/../../cpts.yaml")
            .hint("ni de « .. »"),
        Case::new("image par chemin absolu")
            .file(PAGE_PATH, "---\ntitre: Informations\nimage:\n  src: /etc/passwd\n  alt: Une affiche\n---\n")
            .error(PAGE_PATH, 4, 8, "M043", "image introuvable : content/static//etc/passwd")
            .hint("pas de « / » au début"),
        Case::new("image sans texte alternatif")
            .file("content/static/images/affiche.png", "png")
            .file(PAGE_PATH, "---\ntitre: Informations\nimage:\n  src: images/affiche.png\n---\n")
            .error(PAGE_PATH, 4, 8, "M044", "image sans texte alternatif")
            .hint("decorative: true"),
        Case::new("document inconnu")
            .file(ACTION_PATH, action("seances:", "documents: [affiche-2026]\nseances:"))
            .error(ACTION_PATH, 4, 13, "M056", "aucun document « affiche-2026 »"),
        Case::new("fiche de document sans fichier")
            .file("content/documents/affiche.yaml", SIDECAR)
            .error("content/documents/affiche.yaml", 3, 10, "M056", "fichier introuvable : content/documents/affiche.pdf"),
        Case::new("document sans fiche")
            .file("content/documents/affiche.pdf", "%PDF")
            .warning("content/documents/affiche.pdf", 0, 0, "M049", "document sans fiche descriptive : il n’est pas publié"),
        Case::new("fiche de document hors du dossier")
            .file("content/documents/affiche.yaml", SIDECAR.replace("affiche.pdf", "../cpts.yaml"))
            .error("content/documents/affiche.yaml", 3, 10, "M056", "fichier introuvable : content/documents/../cpts.yaml"),
        Case::new("RPPS en double")
            .file("content/membres/paul-double.yaml", other_member("rpps: \"10000000009\"\n"))
            .error("content/membres/paul-double.yaml", 6, 7, "M054", "le numéro RPPS 10000000009 est déjà celui de « claire-exemple »"),
        Case::new("ADELI en double")
            .file("content/membres/paul-a.yaml", other_member(&format!("adeli: \"{adeli}\"\n")))
            .file("content/membres/paul-b.yaml", other_member(&format!("adeli: \"{adeli}\"\n")))
            .error("content/membres/paul-b.yaml", 6, 8, "M054", format!("le numéro ADELI {adeli} est déjà celui de « paul-a »")),
        Case::new("FINESS en double")
            .file("content/membres/paul-a.yaml", other_member(&format!("finess: \"{finess}\"\n")))
            .file("content/membres/paul-b.yaml", other_member(&format!("finess: \"{finess}\"\n")))
            .error("content/membres/paul-b.yaml", 6, 9, "M054", format!("le numéro FINESS {finess} est déjà celui de « paul-a »")),
        Case::new("SIRET en double")
            .file("content/membres/paul-a.yaml", other_member(&format!("siret: \"{siret}\"\n")))
            .file("content/membres/paul-b.yaml", other_member(&format!("siret: \"{siret}\"\n")))
            .error("content/membres/paul-b.yaml", 6, 8, "M054", format!("le numéro SIRET {siret} est déjà celui de « paul-a »")),
        Case::new("page libre à l’adresse de l’annuaire")
            .file("content/pages/annuaire.md", PAGE)
            .error("content/pages/annuaire.md", 0, 0, "M073", "deux pages auraient la même adresse /annuaire/ (l’autre vient de (page /annuaire/ générée par Maillage))"),
        Case::new("page libre à l’adresse de la prévention")
            .file("content/pages/prevention.md", PAGE)
            .error("content/pages/prevention.md", 0, 0, "M073", "deux pages auraient la même adresse /prevention/ (l’autre vient de (page /prevention/ générée par Maillage))"),
        Case::new("action nommée archives")
            .file("content/actions/archives.md", ACTION)
            .error("content/actions/archives.md", 0, 0, "M073", "deux pages auraient la même adresse /prevention/archives/ (l’autre vient de (page /prevention/archives/ générée par Maillage))"),
        Case::new("fichier statique à l’adresse d’une page")
            .file("content/static/annuaire/index.html", "<p>pirate</p>")
            .error("content/static/annuaire/index.html", 0, 0, "M073", "ce fichier remplacerait une page du site : (page /annuaire/ générée par Maillage)"),
        // ── Dates
        Case::new("séance finie avant d’avoir commencé")
            .file(ACTION_PATH, action("    lieu:", "    date_fin: 2027-01-10\n    lieu:"))
            .error(ACTION_PATH, 6, 15, "M060", "la séance se termine avant de commencer"),
        Case::new("heure de fin avant l’heure de début")
            .file(ACTION_PATH, action("    lieu:", "    debut: \"14:00\"\n    fin: \"12:00\"\n    lieu:"))
            .error(ACTION_PATH, 7, 10, "M060", "l’heure de fin précède l’heure de début"),
        Case::new("offre expirée avant sa publication")
            .file(OFFER_PATH, offer("2027-06-30", "2026-05-30"))
            .error(OFFER_PATH, 8, 18, "M060", "l’offre se termine avant de commencer"),
        Case::new("période d’offre inversée")
            .file(OFFER_PATH, offer("contact:", "debut: 2027-03-01\nfin: 2027-01-01\ncontact:"))
            .error(OFFER_PATH, 10, 6, "M060", "la période se termine avant de commencer"),
        Case::new("séance dans cinq ans")
            .file(ACTION_PATH, action("2027-01-15", "2031-01-15"))
            .warning(ACTION_PATH, 5, 11, "M061", "date 2031-01-15 très éloignée d’aujourd’hui")
            .hint("vérifiez l’année"),
        // ── Names that become addresses
        Case::new("nom de fichier en majuscules")
            .file("content/membres/Paul-Martin.yaml", other_member(""))
            .error("content/membres/Paul-Martin.yaml", 0, 0, "M050", "nom de fichier « Paul-Martin » impossible à publier")
            .hint("« paul-martin »"),
        Case::new("nom de fichier avec espace")
            .file("content/pages/ma page.md", PAGE)
            .error("content/pages/ma page.md", 0, 0, "M050", "nom de fichier « ma page » impossible à publier")
            .hint("« ma-page »"),
        Case::new("nom de fichier accentué")
            .file("content/actualites/été-2026.md", "---\ntitre: Été\ndate: 2026-07-01\nresume: L’été.\n---\n")
            .error("content/actualites/été-2026.md", 0, 0, "M050", "nom de fichier « été-2026 » impossible à publier")
            .hint("« ete-2026 »"),
        Case::new("thématique qui remonte les dossiers")
            .file(CPTS, format!("{CPTS_YAML}thematiques:\n  - id: \"../etc\"\n    titre: Évasion\n"))
            .error(CPTS, 32, 9, "M050", "identifiant de thématique « ../etc » impossible à publier"),
        Case::new("thème hors du dossier themes")
            .file(CPTS, format!("{CPTS_YAML}  theme: ../../etc\n"))
            .error(CPTS, 0, 0, "M070", "nom de thème « ../../etc » invalide"),
        // ── Publication rules and records
        // The civilité is optional (sources often leave it empty); a wrong one is an error.
        Case::new("civilité inconnue")
            .file(M, member("civilite: Mme\n", "civilite: Dr\n"))
            .error(M, 1, 11, "M053", "civilité « Dr » inconnue")
            .hint("le titre de docteur va dans « titre: Dr »"),
        // The same error in a member that is not published cannot break the site: a warning.
        Case::new("erreur dans une fiche non publiée")
            .file(M, member("civilite: Mme\n", "civilite: Dr\n").replace("publie: true", "publie: false"))
            .warning(M, 1, 11, "M053", "civilité « Dr » inconnue")
            .hint("fiche non publiée : ce n’est qu’un avertissement"),
        Case::new("profession inconnue")
            .file(M, member("medecin-generaliste", "medecin-generalist"))
            .error(M, 5, 13, "M052", "profession « medecin-generalist » inconnue")
            .hint("vouliez-vous dire « medecin-generaliste » ?"),
        Case::new("membre sans lieu")
            .file(M, MEMBER_YAML.split("lieux:").next().unwrap().to_string() + "lieux: []\npublie: true\n")
            .error(M, 1, 1, "M055", "aucun lieu d’exercice"),
        Case::new("action sans séance")
            .file(ACTION_PATH, "---\ntitre: Vaccination\nresume: Une campagne.\nseances: []\n---\n")
            .error(ACTION_PATH, 1, 1, "M057", "aucune séance"),
        Case::new("séance payante sans prix")
            .file(ACTION_PATH, action("    lieu:", "    gratuit: false\n    lieu:"))
            .warning(ACTION_PATH, 5, 11, "M058", "séance payante sans prix"),
        Case::new("offre sans contact")
            .file(OFFER_PATH, offer("  courriel: offres@cpts-test.fr", "  nom: La coordination"))
            .error(OFFER_PATH, 1, 1, "M059", "l’offre n’indique aucun moyen de contact"),
        Case::new("statut d’accessibilité inconnu")
            .file(CPTS, cpts("statut: non-conforme", "statut: conforme"))
            .error(CPTS, 26, 11, "M051", "statut d’accessibilité « conforme » inconnu"),
        // ── One mistake, one message
        Case::new("fiche de membre fautive citée par une action et une offre")
            .file(M, format!("{MEMBER_YAML}specialitee: Cardiologie\n"))
            .file(ACTION_PATH, action("seances:", "referents: [claire-exemple]\nseances:"))
            .file(OFFER_PATH, offer("  courriel: offres@cpts-test.fr", "  membre: claire-exemple"))
            .error(M, 15, 1, "M013", "clé inconnue « specialitee »"),
        Case::new("fiche de document illisible citée par une action")
            .bytes("content/documents/affiche.yaml", &latin1("titre: Affiche été\ndescription: x\nfichier: affiche.pdf\npublic: population\n"))
            .file("content/documents/affiche.pdf", "%PDF-1.4")
            .file(ACTION_PATH, action("seances:", "documents: [affiche]\nseances:"))
            .error("content/documents/affiche.yaml", 1, 16, "M010", "le fichier n’est pas en UTF-8 (octet invalide à la position 15)"),
        Case::new("clé de lieu au premier niveau")
            .file(M, member("accepte_nouveaux_patients", "telephone: \"04 94 00 00 02\"\naccepte_nouveaux_patients"))
            .error(M, 13, 1, "M013", "clé inconnue « telephone »")
            .hint("vouliez-vous dire « telephone », qui va sous « lieux » ?"),
        Case::new("clé de lieu mal orthographiée au premier niveau")
            .file(M, member("accepte_nouveaux_patients", "telphone: \"04 94 00 00 02\"\naccepte_nouveaux_patients"))
            .error(M, 13, 1, "M013", "clé inconnue « telphone »")
            .hint("vouliez-vous dire « telephone », qui va sous « lieux » ?"),
        Case::new("clé du membre sous un lieu")
            .file(M, member("    telephone:", "    publie: true\n    telephone:"))
            .error(M, 12, 5, "M013", "clé inconnue « publie »")
            .hint("qui va au premier niveau du fichier, sans retrait"),
        Case::new("clé d’une commune au premier niveau de cpts.yaml")
            .file(CPTS, cpts("territoire:", "zonage: zip\nterritoire:"))
            .error(CPTS, 12, 1, "M013", "clé inconnue « zonage »")
            .hint("vouliez-vous dire « zonage », qui va sous « communes » de « territoire » ?"),
        // ── Texts left to fill: warnings here, errors in production
        Case::new("hébergeur à compléter")
            .file(CPTS, cpts("  nom: Hébergeur Test", "  nom: Hébergeur à compléter"))
            .warning(CPTS, 22, 18, "M064", "texte « à compléter » laissé : à remplacer avant la mise en ligne")
            .hint("remplacez-le par le vrai texte"),
        Case::new("courriel d’exemple écrit par init")
            .file(CPTS, cpts("courriel: contact@cpts-test.fr", "courriel: contact@cpts-des-tests.example.fr"))
            .warning(CPTS, 11, 13, "M064", "adresse d’exemple « contact@cpts-des-tests.example.fr » laissée : à remplacer avant la mise en ligne"),
        Case::new("numéro d’exemple")
            .file(M, member("04 94 00 00 01", "01 23 45 67 89"))
            .warning(M, 12, 17, "M064", "numéro d’exemple « 01 23 45 67 89 » laissé : à remplacer avant la mise en ligne"),
        Case::new("faux texte dans une page")
            .file(PAGE_PATH, "---\ntitre: Informations\n---\nLorem ipsum dolor sit amet.\n")
            .warning(PAGE_PATH, 4, 1, "M064", "faux texte « Lorem ipsum » laissé : à remplacer avant la mise en ligne"),
        Case::new("textes à compléter d’un brouillon et d’un membre non publié")
            .file(PAGE_PATH, "---\ntitre: Informations\nbrouillon: true\n---\nÀ compléter.\n")
            .file("content/membres/paul-exemple.yaml", member("publie: true", "publie: false").replace("2 rue des Écoles", "À compléter").replace("10000000009", "10000000017")),
    ]
}

/// Encodes text as Latin-1 (every character of the text must be below U+0100).
fn latin1(text: &str) -> Vec<u8> {
    text.chars().map(|c| u8::try_from(u32::from(c)).unwrap()).collect()
}

#[test]
fn every_broken_site_gives_its_one_diagnostic() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cas seulement", cases.len());
    let mut names = std::collections::HashSet::new();
    assert!(cases.iter().all(|c| names.insert(c.name)), "deux cas portent le même nom");
    let failures: Vec<String> = cases.iter().filter_map(Case::run).collect();
    assert!(failures.is_empty(), "{} cas sur {} en échec :\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// Ten mistakes in ten files, reported together in one run, sorted by file.
#[test]
fn ten_mistakes_in_ten_files_are_reported_in_one_run() {
    let bad_rpps = wrong_key(&with_luhn_key("1000000004"));
    let s = site(&[
        (CPTS, &cpts("statut: non-conforme", "statut: conforme")),
        (M, &member("04 94 00 00 01", "04 94 00 00")),
        ("content/membres/paul-a.yaml", &other_member("rpps: \"10000000017\"\n").replace("83073", "83050")),
        (
            "content/membres/paul-b.yaml",
            &other_member("rpps: \"10000000025\"\n").replace("publie: true", "publie: oui"),
        ),
        ("content/membres/paul-c.yaml", &other_member(&format!("rpps: \"{bad_rpps}\"\n"))),
        (ACTION_PATH, &action("2027-01-15", "2027-02-30")),
        ("content/actions/depistage.md", &action("seances:", "referents: [claire-exempel]\nseances:")),
        (OFFER_PATH, &offer("2027-06-30", "2026-05-30")),
        (PAGE_PATH, "---\ntitre: Assemblée générale : bilan\n---\n"),
        ("content/contacts.yaml", &CONTACTS_YAML.replace("\"112\"", "\"11 2 A\"")),
    ]);
    let found = maillage::check_site(&opts(s.path(), &public(s.path())));
    let got: Vec<_> = found.iter().map(|d| (d.file.as_str(), d.line, d.code)).collect();
    assert_eq!(
        got,
        vec![
            ("content/actions/depistage.md", 4, "M041"),
            ("content/actions/vaccination.md", 5, "M015"),
            ("content/contacts.yaml", 8, "M031"),
            (CPTS, 26, "M051"),
            (M, 12, "M031"),
            ("content/membres/paul-a.yaml", 11, "M040"),
            ("content/membres/paul-b.yaml", 14, "M015"),
            ("content/membres/paul-c.yaml", 6, "M030"),
            (OFFER_PATH, 8, "M060"),
            (PAGE_PATH, 2, "M012"),
        ],
        "{found:#?}"
    );
}

/// Nothing in the content tree can make Maillage read or write outside the site: symbolic links
/// are not followed, odd but legal static file names stay inside the output folder.
#[cfg(unix)]
#[test]
fn links_and_odd_names_stay_inside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET-HORS-DU-SITE").unwrap();
    let s = site(&[
        ("content/static/a..b.txt", "deux points"),
        ("content/static/Été 2026/Affiche Été.txt", "accents et espaces"),
    ]);
    let stat = s.path().join("content/static");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), stat.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), stat.join("ailleurs")).unwrap();
    std::os::unix::fs::symlink("../..", stat.join("boucle")).unwrap();
    // Links leading out of the site, or into a folder holding the content, are errors: never
    // followed, never skipped in silence.
    let out = public(s.path());
    let Err(maillage::BuildError::Content(d)) = maillage::build(&opts(s.path(), &out)) else {
        panic!("la construction devait échouer")
    };
    let found: Vec<(&str, &str)> = d.iter().map(|d| (d.code, d.file.as_str())).collect();
    assert_eq!(
        found,
        [("M006", "content/static/ailleurs"), ("M006", "content/static/boucle"), ("M006", "content/static/secret.txt"),]
    );
    assert!(!out.exists());
    // Without them, the odd names are published as they are.
    for link in ["secret.txt", "ailleurs", "boucle"] {
        std::fs::remove_file(stat.join(link)).unwrap();
    }
    build(s.path());
    let tree = read_tree(&out);
    assert_eq!(read(&out, "a..b.txt"), "deux points");
    assert_eq!(read(&out, "Été 2026/Affiche Été.txt"), "accents et espaces");
    for (path, bytes) in &tree {
        assert!(!String::from_utf8_lossy(bytes).contains("SECRET-HORS-DU-SITE"), "{path} publie un fichier extérieur");
    }
    // Nothing was written next to the site or in the linked folder.
    let names: Vec<_> = std::fs::read_dir(outside.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("secret.txt")]);
}
