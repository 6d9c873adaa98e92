//! The hostile corpus: one case per kind of hostile or accidental input, each asserting what
//! Maillage says and that nothing outside its output folder changed (the site's own files, and a
//! folder next to the site standing for the rest of the computer).
//!
//! Classes covered here: oversized files (content, published, theme), spreadsheet formulas in the
//! open data, an output folder inside the site or holding it, a forged or copied output marker,
//! files edited by hand in the output, temporary files of a killed build, protocol-relative
//! links, links to unpublished or missing pages, symbolic links (inside, outside, broken, loops),
//! control characters (in values, escapes and file names, and on the terminal), pipes in the
//! content, path traversal in references, alias bombs, deep nesting and binary garbage.
//! The import side (archives, huge spreadsheets, names with escapes, temporary files of a killed
//! import) is in tests/import.rs.

mod common;

use common::*;
use maillage::BuildError;
use maillage::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site next to a folder standing for the rest of the computer.
struct Case {
    site: tempfile::TempDir,
    outside: tempfile::TempDir,
}

impl Case {
    fn new(files: &[(&str, &str)]) -> Case {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "SECRET-HORS-DU-SITE").unwrap();
        Case { site: site(files), outside }
    }

    fn root(&self) -> &Path {
        self.site.path()
    }

    fn out(&self) -> PathBuf {
        public(self.root())
    }

    /// Every regular file of the site and of the folder outside, but what Maillage writes (the
    /// output folder and what stands next to it while it is written, the editor's schemas and
    /// settings): what no case may change. Files over a megabyte are known by size and date.
    fn snapshot(&self) -> BTreeMap<String, (u64, std::time::SystemTime, Vec<u8>)> {
        let mut all = BTreeMap::new();
        for (label, dir) in [("site", self.root()), ("dehors", self.outside.path())] {
            for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
                let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                let maillage = ["public", ".public", ".maillage", ".vscode"].iter().any(|p| rel.starts_with(p));
                if entry.file_type().is_file() && !maillage {
                    let meta = entry.metadata().unwrap();
                    let bytes = if meta.len() < 1 << 20 { fs::read(entry.path()).unwrap() } else { Vec::new() };
                    all.insert(format!("{label}/{rel}"), (meta.len(), meta.modified().unwrap(), bytes));
                }
            }
        }
        all
    }

    /// Builds, asserting nothing outside the output changed; the diagnostics of a failed build.
    fn build(&self) -> Result<maillage::BuildReport, BuildError> {
        let before = self.snapshot();
        let result = maillage::build(&opts(self.root(), &self.out()));
        assert!(before == self.snapshot(), "la construction a modifié des fichiers hors de son dossier de sortie");
        result
    }

    /// The diagnostics of a build that must fail on its content.
    fn errors(&self) -> Vec<Diagnostic> {
        match self.build() {
            Err(BuildError::Content(d)) => d,
            Err(e) => panic!("erreur d’écriture inattendue : {e}"),
            Ok(_) => panic!("la construction devait échouer"),
        }
    }

    /// Runs the `maillage` command, asserting nothing outside the output changed.
    fn run(&self, args: &[&str]) -> Output {
        let before = self.snapshot();
        let out = Command::new(env!("CARGO_BIN_EXE_maillage")).args(args).output().expect("lancement de maillage");
        assert!(before == self.snapshot(), "maillage {args:?} a modifié des fichiers hors de son dossier de sortie");
        out
    }
}

fn codes(d: &[Diagnostic]) -> Vec<(&'static str, &str, u32, u32)> {
    d.iter().map(|d| (d.code, d.file.as_str(), d.line, d.column)).collect()
}

fn message<'d>(d: &'d [Diagnostic], code: &str) -> &'d str {
    d.iter().find(|d| d.code == code).map_or("", |d| d.message.as_str())
}

/// The output, no-break spaces read as spaces (tests/language.rs checks the typography).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace(['\u{a0}', '\u{202f}'], " ")
}

const GIB: u64 = 1024 * 1024 * 1024;

/// A file of `size` bytes that takes no room on disk (sparse).
fn sparse(path: &Path, size: u64) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::File::create(path).unwrap().set_len(size).unwrap();
}

#[test]
fn files_of_3_gb_are_refused_before_they_are_read() {
    let c = Case::new(&[]);
    sparse(&c.root().join("content/pages/enorme.md"), 3 * GIB);
    sparse(&c.root().join("content/static/video.mp4"), 3 * GIB);
    sparse(&c.root().join("templates/base.html"), 3 * GIB);
    let d = c.errors();
    assert_eq!(
        codes(&d),
        [
            ("M100", "content/pages/enorme.md", 0, 0),
            ("M101", "content/static/video.mp4", 0, 0),
            ("M002", "templates/base.html", 0, 0)
        ]
    );
    assert_eq!(
        message(&d, "M100"),
        "fichier trop gros : 3072,0 Mo, alors qu’un fichier de contenu ne dépasse pas 10 Mo"
    );
    assert_eq!(
        message(&d, "M101"),
        "fichier trop gros : 3072,0 Mo, alors qu’un fichier publié tel quel ne dépasse pas 100 Mo"
    );
    assert_eq!(
        message(&d, "M002"),
        "lecture impossible : fichier trop gros : 3072,0 Mo, au-delà de la limite de 10 Mo"
    );
    assert!(!c.out().exists());
    // The report in the terminal does not read them either (they would take 3 GB each).
    let report = c.run(&["check", "--root", c.root().to_str().unwrap()]);
    assert_eq!(report.status.code(), Some(1));
    assert!(text(&report.stderr).contains("erreur[M100] : fichier trop gros : 3072,0 Mo"), "{}", text(&report.stderr));
}

#[test]
fn formulas_in_the_open_data_are_neutralised_and_json_keeps_them() {
    let member = replace_once(MEMBER_YAML, "2 rue des Écoles", "=HYPERLINK(\"http://evil.example\";\"Clic\")");
    let member = replace_once(&member, "titre: Dr\n", "titre: Dr\nspecialite: \"@SUM(1+1)*cmd|' /C calc'!A0\"\n");
    let c = Case::new(&[(MEMBER_PATH, &member)]);
    c.build().unwrap();
    let csv = read(&c.out(), "donnees/annuaire.csv");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\";\"\"Clic\"\")\""), "{csv}");
    assert!(csv.contains(",'@SUM(1+1)*cmd|' /C calc'!A0,"), "{csv}");
    assert!(csv.contains(",+33494000001,"), "le téléphone reste un nombre : {csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            assert!(!cell.trim_start_matches('"').starts_with(['=', '@']), "{cell}");
        }
    }
    let json: serde_json::Value = serde_json::from_str(&read(&c.out(), "donnees/annuaire.json")).unwrap();
    assert_eq!(json[0]["adresse"], "=HYPERLINK(\"http://evil.example\";\"Clic\")");
    assert_eq!(json[0]["specialite"], "@SUM(1+1)*cmd|' /C calc'!A0");
}

#[test]
fn the_output_is_never_inside_the_site_nor_holds_it() {
    let c = Case::new(&[("content/static/logo.svg", "<svg/>")]);
    let root = c.root().to_str().unwrap();
    for (output, expected) in [
        ("content/static/public", "est dans le dossier des fichiers statiques"),
        ("content/sortie", "est dans le dossier du contenu"),
        ("themes/x", "est dans le dossier des thèmes"),
        (".", "le dossier du contenu"),
    ] {
        let run = c.run(&["build", "--root", root, "--output", &format!("{root}/{output}")]);
        assert_eq!(run.status.code(), Some(2), "{output}");
        let err = text(&run.stderr);
        assert!(err.starts_with("erreur : ") && err.contains(expected), "{output} : {err}");
    }
    assert!(!c.root().join("content/static/public").exists() && !c.root().join("content/sortie").exists());
    // The dev server and the watch mode refuse it the same way.
    let watch = c.run(&["build", "--watch", "--root", root, "--output", &format!("{root}/content/sortie")]);
    assert_eq!(watch.status.code(), Some(2));
    assert!(text(&watch.stderr).contains("est dans le dossier du contenu"), "{}", text(&watch.stderr));
    // A publication into a folder of the site, the same.
    let publish = c.run(&["publier", "--root", root, "--destination", &format!("{root}/content/static/site")]);
    assert_eq!(publish.status.code(), Some(2));
    let err = text(&publish.stderr);
    assert!(
        err.contains("content/static/site refusée") && err.contains("est dans le dossier des fichiers statiques"),
        "{err}"
    );
    assert!(!c.root().join("content/static/site").exists());
}

#[test]
fn a_forged_or_copied_marker_deletes_nothing() {
    let c = Case::new(&[]);
    let docs = c.outside.path().join("docs");
    fs::create_dir_all(docs.join("annuaire")).unwrap();
    fs::write(docs.join("rapport.odt"), "le travail d’un an").unwrap();
    fs::write(docs.join("annuaire/notes.txt"), "notes").unwrap();
    // The marker of a real output, copied next to files that are not Maillage's.
    c.build().unwrap();
    fs::copy(c.out().join(".maillage-build"), docs.join(".maillage-build")).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["build", "--root", c.root().to_str().unwrap(), "--output", docs.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("2 fichiers de"), "{}", text(&run.stderr));
    assert_eq!(fs::read_to_string(docs.join("rapport.odt")).unwrap(), "le travail d’un an");
    assert_eq!(fs::read_to_string(docs.join("annuaire/notes.txt")).unwrap(), "notes");
    // A file of the site written where a foreign one stands: refused, nothing changed.
    fs::write(docs.join("index.html"), "ma page à moi").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["build", "--root", c.root().to_str().unwrap(), "--output", docs.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("index.html n’a pas été écrit par Maillage"), "{}", text(&run.stderr));
    assert_eq!(fs::read_to_string(docs.join("index.html")).unwrap(), "ma page à moi");
}

#[test]
fn temporary_folders_of_a_killed_build_are_removed_by_the_next_command() {
    let c = Case::new(&[]);
    c.build().unwrap();
    let pending = c.out().join(".maillage-pending");
    let staging = c.root().join(".public2.maillage-staging");
    for dir in [&pending, &staging] {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(".verrou"), "").unwrap();
        fs::write(dir.join("0"), "moitié d’une page").unwrap();
    }
    fs::write(staging.join(".maillage-build"), "Dossier produit par Maillage ; il peut le remplacer.\n").unwrap();
    // Any command cleans them: here `check`, which writes nothing else.
    let root = c.root().to_str().unwrap();
    let run = c.run(&["check", "--root", root]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(!pending.exists(), "le dossier en attente d’une construction tuée doit disparaître");
    // The staging folder belongs to another output folder (public2): a command with that output…
    let run = c.run(&["build", "--root", root, "--output", &format!("{root}/public2")]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(!staging.exists());
    // … while a folder held by a running build is left alone.
    fs::create_dir_all(&pending).unwrap();
    let lock = fs::File::create(pending.join(".verrou")).unwrap();
    lock.lock().unwrap();
    let run = c.run(&["build", "--root", root]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("une autre commande de Maillage écrit en ce moment"), "{}", text(&run.stderr));
    assert!(pending.exists());
    drop(lock);
    assert_eq!(c.run(&["build", "--root", root]).status.code(), Some(0));
    assert!(!pending.exists());
}

#[test]
fn protocol_relative_links_are_external() {
    let page = "---\ntitre: Liens\n---\n[a](//evil.example/x) [b](/\\evil.example/y) [c](https://ailleurs.example/)\n";
    let c = Case::new(&[("content/pages/liens.md", page)]);
    c.build().unwrap();
    let html = read(&c.out(), "liens/index.html");
    for href in ["//evil.example/x", "https://ailleurs.example/"] {
        let tag = format!("<a href=\"{href}\" rel=\"noopener noreferrer\">");
        assert!(html.contains(&tag), "{tag} absent de la page");
    }
}

#[test]
fn links_to_unpublished_or_missing_pages_are_errors_with_their_place() {
    let hidden = replace_once(&MEMBER_YAML.replace("prenom: Claire", "prenom: Paul"), "publie: true", "publie: false");
    let hidden = replace_once(&hidden, "rpps: \"10000000009\"", "rpps: \"10000000017\"");
    let member = replace_once(
        MEMBER_YAML,
        "publie: true\n",
        "publie: true\npresentation: |\n  Associée de [Paul](/annuaire/paul-autre/).\n",
    );
    let page = "---\ntitre: Équipe\n---\nVoir [Paul](/annuaire/paul-autre/),\n[les contacts](/contacts/) et [la FAQ](../faq/).\n";
    let c = Case::new(&[
        (MEMBER_PATH, &member),
        ("content/membres/paul-autre.yaml", &hidden),
        ("content/pages/equipe.md", page),
    ]);
    let d = c.errors();
    assert_eq!(
        codes(&d),
        [
            ("M074", MEMBER_PATH, 16, 15),
            ("M074", "content/pages/equipe.md", 4, 6),
            ("M074", "content/pages/equipe.md", 5, 31),
        ]
    );
    assert_eq!(d[0].message, "lien vers une page absente du site : /annuaire/paul-autre/");
    assert_eq!(d[2].message, "lien vers une page absente du site : ../faq/");
    assert!(d[0].hint.as_deref().is_some_and(|h| h.contains("publie: true")));
    assert!(!c.out().exists());
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_inside_the_site_and_refused_outside() {
    use std::os::unix::fs::symlink;
    let c = Case::new(&[("partage/logo.svg", "<svg>logo partagé</svg>")]);
    let content = c.root().join("content");
    // Inside the site: followed, published like any file.
    fs::create_dir_all(content.join("static")).unwrap();
    symlink(c.root().join("partage/logo.svg"), content.join("static/logo.svg")).unwrap();
    c.build().unwrap();
    // (An SVG is published sanitised, its namespace written out.)
    assert_eq!(read(&c.out(), "logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\">logo partagé</svg>");
    // Outside, broken, or looping: errors, and nothing published.
    symlink(c.outside.path().join("secret.txt"), content.join("static/secret.txt")).unwrap();
    symlink(c.outside.path(), content.join("membres/dehors")).unwrap();
    symlink(c.root().join("absent.yaml"), content.join("membres/casse.yaml")).unwrap();
    symlink(&content, content.join("static/boucle")).unwrap();
    let d = c.errors();
    assert_eq!(
        codes(&d),
        [
            ("M006", "content/membres/casse.yaml", 0, 0),
            ("M006", "content/membres/dehors", 0, 0),
            ("M006", "content/static/boucle", 0, 0),
            ("M006", "content/static/secret.txt", 0, 0),
        ]
    );
    assert!(d[3].message.contains("hors du site"), "{d:?}");
    assert!(!read_tree(&c.out()).values().any(|b| text(b).contains("SECRET-HORS-DU-SITE")));
}

#[test]
fn control_characters_never_reach_a_page_a_file_or_the_terminal() {
    let member = replace_once(MEMBER_YAML, "nom: Exemple", "nom: \"Exemple\\e]0;piège\\a\\e[2J\"");
    let page = "---\ntitre: Page\n---\nTexte \u{1b}[31mrouge\u{1b}[0m.\n";
    let c =
        Case::new(&[(MEMBER_PATH, &member), ("content/pages/page.md", page), ("content/static/a\u{1b}[5mb.txt", "x")]);
    let d = c.errors();
    assert_eq!(
        codes(&d),
        [
            ("M017", MEMBER_PATH, 4, 6),
            ("M017", "content/pages/page.md", 4, 7),
            ("M050", "content/static/a<U+001B>[5mb.txt", 0, 0),
        ]
    );
    assert_eq!(d[0].message, "caractère de contrôle invisible (U+001B) dans le texte");
    // On the terminal: every control character shown as its code, none as it is.
    let run = c.run(&["check", "--root", c.root().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let err = text(&run.stderr);
    assert!(!err.chars().any(|ch| ch.is_control() && ch != '\n'), "{err:?}");
    assert!(err.contains("Texte <U+001B>[31mrouge<U+001B>[0m."), "{err}");
}

#[cfg(unix)]
#[test]
fn a_pipe_in_the_content_is_reported_and_never_waited_for() {
    let c = Case::new(&[]);
    fs::create_dir_all(c.root().join("content/static")).unwrap();
    let fifo = c.root().join("content/static/tube");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let report = c.build().unwrap();
    assert_eq!(codes(&report.warnings), [("M003", "content/static/tube", 0, 0)]);
    assert!(report.warnings[0].message.contains("pas un fichier ordinaire"));
}

#[test]
fn references_cannot_leave_the_site() {
    let member = replace_once(
        MEMBER_YAML,
        "publie: true\n",
        "publie: true\nimage:\n  src: ../../../../etc/passwd\n  alt: Photo\n",
    );
    let c = Case::new(&[(MEMBER_PATH, &member)]);
    let d = c.errors();
    assert_eq!(codes(&d), [("M043", MEMBER_PATH, 16, 8)]);
    assert!(d[0].hint.as_deref().is_some_and(|h| h.contains("ni de « .. »")));
}

/// Files the earlier hardening was about, each refused with its message.
#[test]
fn alias_bombs_deep_nesting_and_garbage_are_refused() {
    let mut laughs =
        String::from("lol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
        laughs.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(",")));
    }
    let anchors: Vec<&str> = laughs.lines().map(|l| l.split_once(": ").unwrap().1).collect();
    let bomb = format!("{MEMBER_YAML}langues: [{}]\n", anchors.join(", "));
    let echo = format!(
        "{}specialite: &a \"{}\"\nlangues: [{}]\n",
        MEMBER_YAML.replace("rpps: \"10000000009\"\n", ""),
        "x".repeat(10_000),
        "*a, ".repeat(100_000)
    );
    let deep = format!("{MEMBER_YAML}langues: {}\n", "[".repeat(10_000));
    let garbage: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for (bytes, code, expected) in [
        (bomb.into_bytes(), "M015", "valeur de mauvais type : il faut ici un texte"),
        (echo.into_bytes(), "M016", "fichier YAML trop gros ou trop imbriqué (alias ou profondeur excessifs)"),
        (deep.into_bytes(), "M016", "fichier YAML trop gros ou trop imbriqué (alias ou profondeur excessifs)"),
        (garbage, "M010", "le fichier n’est pas en UTF-8"),
    ] {
        let c = Case::new(&[]);
        fs::write(c.root().join(MEMBER_PATH), &bytes).unwrap();
        let d = c.errors();
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, code);
        assert!(d[0].message.starts_with(expected), "{}", d[0].message);
        assert!(!c.out().exists());
    }
}

// ── Imports: what they read is bounded, what they write a build accepts.

/// A deflated zip archive of `entries`, as an XLSX or ODS file is.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, deflated).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
    out.into_inner()
}

#[test]
fn bombs_and_oversized_import_files_are_refused_before_they_are_read() {
    let c = Case::new(&[]);
    let root = c.root().to_str().unwrap();
    let import = |kind: &str, file: &Path| {
        let run = c.run(&["import", kind, file.to_str().unwrap(), "--root", root]);
        assert_eq!(run.status.code(), Some(2), "{}", text(&run.stdout));
        text(&run.stderr)
    };
    // 30 KB that would inflate to 30 MB: refused on its ratio, before calamine opens it.
    let bomb = c.outside.path().join("membres.xlsx");
    let zeros = vec![b'0'; 30 << 20];
    fs::write(&bomb, zip_of(&[("[Content_Types].xml", b"<Types/>"), ("xl/worksheets/sheet1.xml", &zeros)])).unwrap();
    assert!(fs::metadata(&bomb).unwrap().len() < 100_000);
    let err = import("xlsx", &bomb);
    assert!(
        err.contains("membres.xlsx : xl/worksheets/sheet1.xml y grossit plus de 100 fois à la décompression ; ce n’est pas un tableau ordinaire (bombe de décompression ?) et il n’est pas lu"),
        "{err}"
    );
    // An ODS of 600 bytes whose one row, repeated a million times over 16 384 columns, declares
    // 17 billion cells: refused on its grid, before calamine builds it.
    let grid = c.outside.path().join("grille.ods");
    let row = r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>"#;
    let content = format!(
        "<office:document-content><office:body><office:spreadsheet><table:table table:name=\"F\">{row}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    fs::write(
        &grid,
        zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content.as_bytes())]),
    )
    .unwrap();
    let err = import("ods", &grid);
    assert!(
        // The digits are grouped by a narrow no-break space, which a terminal without it shows as a space.
        err.replace('\u{202f}', " ").contains("grille.ods : ses feuilles déclarent plus de 17 179 869 184 cellules (lignes et colonnes répétées comprises), au-delà de la limite de 1 000 000 ; ce n’est pas un tableau de membres et il n’est pas lu"),
        "{err}"
    );
    // Files of 3 GB: refused on their size, never read.
    for (kind, name, said) in [
        ("csv", "enorme.csv", "enorme.csv : fichier trop gros : 3072,0 Mo, au-delà de la limite de 50 Mo"),
        (
            "xlsx",
            "enorme.xlsx",
            "enorme.xlsx : fichier trop gros (3072,0 Mo, au-delà de la limite de 50 Mo d’un tableau)",
        ),
    ] {
        let file = c.outside.path().join(name);
        sparse(&file, 3 * GIB);
        let err = import(kind, &file);
        assert!(err.contains(said), "{err}");
    }
}

#[test]
fn control_characters_and_huge_cells_of_an_import_reach_no_file_and_no_terminal() {
    let c = Case::new(&[]);
    let root = c.root().to_str().unwrap();
    let header = "Nom,Prénom,Profession,Adresse,Code postal,Commune\n";
    // Terminal escapes in a CSV: the file is not text, refused whole.
    let escapes = c.outside.path().join("echappements.csv");
    fs::write(&escapes, format!("{header}Dupont\u{1b}]0;piège\u{7},Jean,Infirmier,1 rue Haute,83340,Le Luc\n"))
        .unwrap();
    let run = c.run(&["import", "csv", escapes.to_str().unwrap(), "--root", root]);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(err.contains("caractères de contrôle"), "{err}");
    assert!(!err.chars().any(|ch| ch.is_control() && ch != '\n'), "{err:?}");
    // A cell of 5 000 characters: its row is refused and listed, the others are imported.
    let long = c.outside.path().join("longue.csv");
    let address = "rue ".repeat(1250);
    fs::write(
        &long,
        format!(
            "{header}Durand,Anne,Infirmière,{address},83340,Le Luc\nMartin,Paul,Infirmier,2 rue Basse,83340,Le Luc\n"
        ),
    )
    .unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["import", "csv", long.to_str().unwrap(), "--root", root])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let report = text(&run.stdout);
    assert!(report.contains("cellule trop longue (plus de 1000 caractères)"), "{report}");
    let mut written: Vec<String> = fs::read_dir(c.root().join("content/membres"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["claire-exemple.yaml", "paul-martin.yaml"]);
    // What it wrote, a build takes.
    c.build().unwrap();
}

#[test]
fn temporary_files_of_a_killed_import_or_save_are_removed_by_the_next_command() {
    let c = Case::new(&[]);
    let members = c.root().join("content/membres");
    let left = [".dupont.yaml.import-4242", ".durand.yaml.4243.maillage-temp", ".page.md.maillage-edition"];
    for name in left {
        let path = members.join(name);
        fs::write(&path, "nom: à moitié").unwrap();
        let past = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        fs::File::options().write(true).open(&path).unwrap().set_modified(past).unwrap();
    }
    let run = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["check", "--root", c.root().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    for name in left {
        assert!(!members.join(name).exists(), "{name}");
        assert!(
            text(&run.stderr).contains(&format!("{name}, laissé par une commande interrompue")),
            "{}",
            text(&run.stderr)
        );
    }
    assert!(members.join("claire-exemple.yaml").exists());
}

/// A workbook on which calamine panics (a cell reference of too many letters overflows, found
/// by fuzzing; the tests' build checks overflows): the sheet is unreadable, said in French, and
/// the coordinator never reads the English of a panic.
#[test]
fn a_workbook_calamine_panics_on_is_an_unreadable_sheet_said_in_french() {
    let c = Case::new(&[]);
    let root = c.root().to_str().unwrap();
    let workbook = c.outside.path().join("membres.xlsx");
    let regression = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/workbook");
    let damaged = fs::read_dir(&regression).unwrap().next().unwrap().unwrap().path();
    fs::copy(damaged, &workbook).unwrap();
    let run = c.run(&["import", "xlsx", workbook.to_str().unwrap(), "--root", root, "--dry-run"]);
    let said = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(said.contains("illisible"), "{said}");
    assert!(!said.contains("panicked") && !said.contains("RUST_BACKTRACE"), "{said}");
}
