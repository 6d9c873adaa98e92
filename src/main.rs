//! The `maillage` command line: arguments → library call → diagnostics → exit code.
//!
//! The doc comments of the argument types below are the French `--help` a coordinator reads (clap
//! prints them, with the French headings of [`cli_help`]), which is why they are not in English
//! like the rest of the code. Everything printed goes through [`console::Console`].

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use console::Console;
use maillage::diagnostic::Diagnostic;
use maillage::diagnostic::render::render_json;
use maillage::french::count;
use maillage::{BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;

mod cli_help;
mod console;
mod publish_cli;

/// Générateur de sites pour les CPTS : vos fichiers YAML et Markdown deviennent un site public
/// rapide et accessible. Le guide : maillage aide.
#[derive(Parser)]
#[command(name = "maillage", version = env!("MAILLAGE_BUILD_VERSION"), arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// N’affiche que les erreurs.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Construit le site dans le dossier de sortie (public/ par défaut).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Dossier de sortie (par défaut : RACINE/public).
        #[arg(long, short, value_name = "DOSSIER")]
        output: Option<PathBuf>,
        /// Adresse publique du site, à la place de site.url de cpts.yaml.
        #[arg(long, value_name = "ADRESSE")]
        base_url: Option<String>,
        /// Construction pour la mise en ligne : les textes d’exemple laissés (« À compléter »,
        /// adresses en example.fr…) deviennent des erreurs. « maillage publier » construit ainsi.
        #[arg(long)]
        production: bool,
        /// Affiche la durée de chaque étape.
        #[arg(long, short)]
        verbose: bool,
        /// Reste ouvert et reconstruit à chaque modification des fichiers du site.
        #[arg(long)]
        watch: bool,
        /// Avec --watch : interroge les fichiers régulièrement au lieu d’attendre les notifications
        /// du système (lecteurs réseau, conteneurs).
        #[arg(long, requires = "watch")]
        poll: bool,
    },
    /// Construit le site, le sert en local et le met à jour dans le navigateur à chaque modification ;
    /// sert aussi le guide.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Dossier de sortie (par défaut : RACINE/public), tenu à jour.
        #[arg(long, short, value_name = "DOSSIER")]
        output: Option<PathBuf>,
        /// Adresse publique du site, à la place de site.url de cpts.yaml.
        #[arg(long, value_name = "ADRESSE")]
        base_url: Option<String>,
        /// Port d’écoute (0 : un port libre au hasard).
        #[arg(long, default_value_t = 1111, value_parser = parse_port)]
        port: u16,
        /// Adresse d’écoute ; 127.0.0.1 garde le site sur cet ordinateur.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADRESSE_IP", value_parser = parse_ip)]
        bind: std::net::IpAddr,
        /// Ouvre le site dans le navigateur.
        #[arg(long)]
        open: bool,
        /// Interroge les fichiers régulièrement au lieu d’attendre les notifications du système
        /// (lecteurs réseau, conteneurs).
        #[arg(long)]
        poll: bool,
        /// Affiche la durée de chaque étape à chaque reconstruction.
        #[arg(long, short)]
        verbose: bool,
        /// Mot de passe de l’édition du site (/_edition/) ; sans mot de passe, elle ne répond
        /// qu’à cet ordinateur. Préférez la variable d’environnement, que les autres utilisateurs
        /// de l’ordinateur ne voient pas.
        #[arg(long = "mot-de-passe", env = "MAILLAGE_MOT_DE_PASSE", hide_env_values = true)]
        password: Option<String>,
    },
    /// Vérifie tout le contenu sans rien écrire.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Vérifie comme avant une mise en ligne : les textes d’exemple laissés sont des erreurs.
        #[arg(long)]
        production: bool,
        /// Format du rapport.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Affiche le guide du coordinateur : la liste des sujets, ou le sujet demandé.
    Aide {
        /// Sujet du guide (membres, actions, publier…) ou code d’erreur (M013).
        #[arg(value_name = "SUJET")]
        sujet: Option<String>,
    },
    /// La tournée de vérification : les membres à joindre pour confirmer leurs informations
    /// (nouveaux patients, soins non programmés, téléconsultation, langues, téléphone,
    /// horaires), les confirmations les plus anciennes d’abord, avec téléphone et courriel.
    Relances {
        #[command(flatten)]
        site: SiteArgs,
        /// ecran : la liste lisible ; csv : un tableau pour un tableur ; messages : un court
        /// message par membre, prêt à coller dans un courriel.
        #[arg(long, value_enum, default_value_t = RoundFormat::Ecran)]
        format: RoundFormat,
    },
    /// Crée un nouveau site de CPTS, prêt à construire, dans DOSSIER. Dans un terminal, pose les
    /// questions ; sinon, prend les options (sans option : le site d’exemple).
    Init {
        /// Dossier à créer (il doit être vide ou absent).
        #[arg(value_name = "DOSSIER")]
        dir: PathBuf,
        /// Nom de la CPTS.
        #[arg(long)]
        nom: Option<String>,
        /// Communes du territoire : noms, codes INSEE ou codes postaux, séparés par des virgules
        /// (répétable).
        #[arg(long)]
        communes: Vec<String>,
        /// Intercommunalité (EPCI) dont toutes les communes sont du territoire : nom ou code SIREN
        /// (répétable).
        #[arg(long)]
        epci: Vec<String>,
        /// Adresse électronique de contact de la CPTS.
        #[arg(long)]
        courriel: Option<String>,
        /// Téléphone de contact de la CPTS.
        #[arg(long)]
        telephone: Option<String>,
        /// Pose les questions même sans terminal (réponses lues ligne à ligne sur l’entrée standard).
        #[arg(long, conflicts_with_all = ["nom", "communes", "epci", "courriel", "telephone"])]
        interactif: bool,
        /// Date du jour à utiliser (AAAA-MM-JJ) : celle où les fiches d’exemple sont confirmées.
        #[arg(long, value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
    },
    /// Crée un fichier de contenu prêt à remplir (offre, membre, action ou page) à partir d’un titre.
    New {
        /// Sorte de contenu.
        #[arg(value_enum, value_name = "SORTE")]
        kind: NewKind,
        /// Titre (ou « Prénom Nom » pour un membre) : donne aussi le nom du fichier.
        #[arg(value_name = "TITRE")]
        title: String,
        /// Dossier du site (celui qui contient content/) ; par défaut le dossier courant.
        #[arg(long, default_value = ".", value_name = "RACINE")]
        root: PathBuf,
        /// Date du jour à utiliser (AAAA-MM-JJ) pour les dates proposées.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        today: Option<jiff::civil::Date>,
    },
    /// Publie le site : par SFTP chez un hébergeur, dans un dossier (partage réseau), ou sur
    /// GitHub Pages ou GitLab Pages (--forge). Seuls les fichiers modifiés sont envoyés.
    #[command(alias = "publish")]
    Publier(publish_cli::PublishArgs),
    /// Écrit les schémas JSON des fichiers de contenu (complétion et aide dans l’éditeur de texte),
    /// et, sur demande, la configuration d’un CMS Git (Decap CMS, Sveltia CMS).
    Schema {
        /// Dossier du site (celui qui contient content/) ; par défaut le dossier courant. Ses
        /// communes, membres, documents et thématiques sont proposés dans les schémas.
        #[arg(long, default_value = ".", value_name = "RACINE")]
        root: PathBuf,
        /// Dossier où écrire les schémas (par défaut : RACINE/.maillage/schemas, avec les réglages
        /// de l’éditeur dans RACINE/.vscode/).
        #[arg(long, short, value_name = "DOSSIER")]
        output: Option<PathBuf>,
        /// Écrit aussi la configuration Decap CMS / Sveltia CMS (config.yml) dans ce dossier.
        #[arg(long, value_name = "DOSSIER")]
        cms: Option<PathBuf>,
    },
    /// Importe ou met à jour les membres depuis l’Annuaire Santé, FINESS ou un tableau.
    Import {
        /// Source : rpps (extraction de l’Annuaire Santé), finess (fichier etalab), csv, xlsx
        /// (aussi .xls et .ods).
        #[arg(value_enum, value_name = "SOURCE")]
        source: ImportSource,
        /// Fichier à importer.
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        /// Dossier du site (celui qui contient content/) ; par défaut le dossier courant.
        #[arg(long, default_value = ".", value_name = "RACINE")]
        root: PathBuf,
        /// Affiche le rapport sans rien écrire.
        #[arg(long)]
        dry_run: bool,
        /// Associe une colonne du tableau à une clé : --map "N° RPPS=rpps" (répétable).
        #[arg(long = "map", value_name = "COLONNE=CLE")]
        map: Vec<String>,
    },
    /// Écrit sur la sortie standard le script de complétion des commandes pour un interpréteur.
    ///
    /// Une fois le script installé, la touche Tab complète les commandes et les options. Par exemple :
    ///   bash        maillage completions bash > ~/.local/share/bash-completion/completions/maillage
    ///   zsh         maillage completions zsh > ~/.zfunc/_maillage (avec fpath+=~/.zfunc dans ~/.zshrc)
    ///   fish        maillage completions fish > ~/.config/fish/completions/maillage.fish
    ///   PowerShell  maillage completions powershell >> $PROFILE
    #[command(verbatim_doc_comment)]
    Completions {
        /// Interpréteur de commandes.
        #[arg(value_enum, value_name = "INTERPRETEUR")]
        shell: CompletionShell,
    },
}

/// The shells `maillage completions` writes a script for.
#[derive(Clone, Copy, ValueEnum)]
enum CompletionShell {
    /// Bash (Linux, macOS, Git Bash).
    Bash,
    /// Zsh (macOS par défaut).
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell (Windows).
    Powershell,
}

/// Writes the completion script of `shell` to standard output (generated in memory first: a
/// closed pipe is an error message, not a panic), from the French command line: `--aide` and the
/// French descriptions are completed.
fn print_completions(shell: CompletionShell, console: Console) -> ExitCode {
    use clap_complete::Shell;
    use std::io::Write;
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli_help::french(Cli::command()), "maillage", &mut script);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&script).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            console.error(&format!("écriture du script de complétion : {}", maillage::french::io_error(&e)));
            ExitCode::from(2)
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportSource {
    /// Extraction PS_LibreAcces_Personne_activite de l’Annuaire Santé.
    Rpps,
    /// Fichier des établissements FINESS (etalab).
    Finess,
    /// Tableau CSV (séparateur ; , tabulation ou |, encodage détecté).
    Csv,
    /// Classeur XLSX, XLS ou ODS (la première feuille qui a un en-tête reconnu).
    #[value(alias = "ods", alias = "xls")]
    Xlsx,
}

fn run_import(
    source: ImportSource,
    file: PathBuf,
    root: PathBuf,
    dry_run: bool,
    map: Vec<String>,
    console: Console,
) -> ExitCode {
    use maillage::import::{ImportKind, ImportOptions};
    let mut pairs = Vec::new();
    for m in &map {
        let Some((col, key)) = m.rsplit_once('=') else {
            console.error(&format!("--map « {m} » : écrivez --map \"Nom de la colonne=cle\""));
            return ExitCode::from(2);
        };
        pairs.push((col.trim().to_string(), key.trim().to_string()));
    }
    let kind = match source {
        ImportSource::Rpps => ImportKind::Rpps,
        ImportSource::Finess => ImportKind::Finess,
        ImportSource::Csv => ImportKind::Csv,
        ImportSource::Xlsx => ImportKind::Xlsx,
    };
    let opts = ImportOptions { root, today: maillage::today(), dry_run, progress: console.progress(), map: pairs };
    match maillage::import::import(kind, &file, &opts) {
        Ok(report) => {
            for line in report.render().lines() {
                console.out(line);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            console.error(&e.to_string());
            ExitCode::from(2)
        }
    }
}

/// `maillage schema`: the JSON Schemas of the content files, and the editor's settings.
fn run_schema(opts: &maillage::schema::SchemaOptions, console: Console) -> ExitCode {
    use maillage::schema::editor::{SCHEMAS_KEY, SETTINGS, Settings};
    match maillage::schema::run(opts) {
        Ok(report) => {
            let kinds = maillage::schema::Kind::ALL.len();
            console.out(&format!(
                "{} dans {} ({}){}.",
                count(kinds, "schéma", "schémas"),
                report.dir.display(),
                count(report.written, "mis à jour", "mis à jour"),
                if report.site_listed { ", avec les communes et les membres du site" } else { "" }
            ));
            match report.settings {
                Some(Settings::Written) => {
                    console.out(&format!("Réglages de l’éditeur écrits : {}.", opts.root.join(SETTINGS).display()))
                }
                Some(Settings::NotJson) => console.out(&format!(
                    "{} n’est pas du JSON simple (commentaires ?) : il est laissé tel quel ; ajoutez-y « {SCHEMAS_KEY} » (voir « maillage aide schemas »).",
                    opts.root.join(SETTINGS).display()
                )),
                Some(Settings::Unchanged) | None => {}
            }
            if let Some(cms) = report.cms {
                console
                    .out(&format!("Configuration du CMS écrite : {} (voir « maillage aide schemas »).", cms.display()));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            console.error(&format!("écriture des schémas impossible : {}", maillage::french::io_error(&e)));
            ExitCode::from(2)
        }
    }
}

/// `maillage init`: the questions in a terminal (or with `--interactif`), else the flags, else
/// the example site.
fn run_init(
    dir: &std::path::Path,
    flags: &maillage::init::Flags,
    interactif: bool,
    today: jiff::civil::Date,
    console: Console,
) -> ExitCode {
    use maillage::init;
    use std::io::IsTerminal;
    let guided = if !flags.is_empty() {
        init::from_flags(flags)
    } else if interactif || std::io::stdin().is_terminal() {
        init::check_target(dir).and_then(|()| init::ask(&mut std::io::stdin().lock(), &mut std::io::stderr()))
    } else {
        return match init::init(dir, today) {
            Ok(n) => {
                console.out(&format!(
                    "Site créé dans {} ({}) : le site d’exemple. Pour le voir : maillage serve --root {}",
                    dir.display(),
                    count(n, "fichier", "fichiers"),
                    dir.display()
                ));
                console.out(
                    "Pour un site à votre nom : maillage init DOSSIER --nom \"CPTS …\" --communes \"commune, commune\" (ou --epci).",
                );
                console.out(&format!("Le guide du coordinateur : {}.", init::GUIDE));
                ExitCode::SUCCESS
            }
            Err(e) => {
                console.error(&e.to_string());
                ExitCode::from(2)
            }
        };
    };
    match guided.and_then(|answers| init::create(dir, &answers, today).map(|n| (n, answers))) {
        Ok((n, answers)) => {
            let table = maillage::domain::communes::table();
            console.out(&format!(
                "Site créé dans {} ({}) pour {}.",
                dir.display(),
                count(n, "fichier", "fichiers"),
                answers.nom
            ));
            console.out(&format!("Territoire : {}.", init::territory::summary(table, &answers.communes)));
            console.out(&format!(
                "Lisez {} ; pour voir le site : maillage serve --root {}",
                dir.join("LISEZMOI.md").display(),
                dir.display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            console.error(&e.to_string());
            ExitCode::from(2)
        }
    }
}

/// `maillage aide [SUJET]`: the list of topics, or one topic; the closest topic on a typo.
fn run_aide(sujet: Option<&str>, console: Console) -> ExitCode {
    use maillage::guide::{self, Lookup};
    let (width, color) = (guide::terminal_width(), console.stdout_color());
    let Some(sujet) = sujet else {
        console.raw(&guide::terminal::index(width, color));
        return ExitCode::SUCCESS;
    };
    let code = maillage::domain::text::fold(sujet.trim());
    if let Some(section) = guide::is_code(&code).then(|| guide::code_section(&code)).flatten() {
        console.raw(&guide::terminal::markdown(section, width, color));
        return ExitCode::SUCCESS;
    }
    match guide::lookup(sujet) {
        Lookup::Found(topic) => {
            console.raw(&guide::terminal::topic(topic, width, color));
            ExitCode::SUCCESS
        }
        Lookup::Closest(topic) => {
            console.error(&format!("aucun sujet « {sujet} » dans le guide"));
            console.failure(&format!("Vouliez-vous dire « maillage aide {} » ({}) ?", topic.slug, topic.title()));
            ExitCode::from(2)
        }
        Lookup::Unknown => {
            console.error(&format!("aucun sujet « {sujet} » dans le guide"));
            console.failure("« maillage aide » donne la liste des sujets.");
            ExitCode::from(2)
        }
    }
}

#[derive(clap::Args)]
struct SiteArgs {
    /// Dossier du site (celui qui contient content/) ; par défaut le dossier courant.
    #[arg(long, default_value = ".", value_name = "RACINE")]
    root: PathBuf,
    /// Publie aussi les brouillons.
    #[arg(long)]
    drafts: bool,
    /// Date du jour à utiliser (AAAA-MM-JJ), pour des constructions reproductibles.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    today: Option<jiff::civil::Date>,
}

/// What `maillage new` creates.
#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    /// Une offre (content/offres/) ; aussi « offre ».
    #[value(name = "offer", alias = "offre")]
    Offer,
    /// Un membre (content/membres/) ; aussi « membre ».
    #[value(name = "member", alias = "membre")]
    Member,
    /// Une action de prévention (content/actions/).
    Action,
    /// Une page libre (content/pages/).
    Page,
}

/// How `maillage relances` prints the round.
#[derive(Clone, Copy, ValueEnum)]
enum RoundFormat {
    /// La liste lisible, membre par membre.
    Ecran,
    /// Un tableau CSV (séparé par des virgules, UTF-8), une ligne par membre.
    Csv,
    /// Un message par membre, prêt à coller dans un courriel.
    Messages,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Lisible, avec l’extrait du fichier.
    Human,
    /// Tableau JSON stable, pour l’intégration continue.
    Json,
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse().map_err(|_| format!("écrivez la date sous la forme 2026-10-14 (année-mois-jour), pas « {s} »"))
}

fn parse_port(s: &str) -> Result<u16, String> {
    s.parse().map_err(|_| "un port est un nombre de 0 à 65535 (0 : un port libre au hasard)".to_string())
}

fn parse_ip(s: &str) -> Result<std::net::IpAddr, String> {
    s.parse().map_err(|_| {
        "écrivez une adresse IP, par exemple 127.0.0.1 (cet ordinateur) ou 0.0.0.0 (tout le réseau)".to_string()
    })
}

impl SiteArgs {
    fn options(&self, output: Option<PathBuf>, base_url: Option<String>, production: bool) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: output.unwrap_or_else(|| self.root.join("public")),
            base_url,
            drafts: self.drafts,
            today: self.today(),
            production,
        }
    }

    /// `--today`, else SOURCE_DATE_EPOCH, else today in Europe/Paris.
    fn today(&self) -> jiff::civil::Date {
        self.today.unwrap_or_else(maillage::today)
    }
}

fn run_round(site: &SiteArgs, format: RoundFormat, console: Console) -> ExitCode {
    use maillage::review;
    let today = site.today();
    let loaded = match review::load(&site.root) {
        Ok(s) => s,
        Err(diagnostics) => {
            console.diagnostics(&diagnostics, &site.root);
            console.failure(&format!(
                "Relances impossibles : {}. Corrigez le contenu, puis relancez.",
                summary(&diagnostics)
            ));
            return ExitCode::from(1);
        }
    };
    let list = review::round(&loaded, today);
    console.raw(&match format {
        RoundFormat::Ecran => review::screen(&list),
        RoundFormat::Csv => review::csv(&list),
        RoundFormat::Messages => review::messages(&loaded, &list),
    });
    ExitCode::SUCCESS
}

/// Milliseconds with one decimal, written the French way (`12,5`).
fn millis(d: std::time::Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0).replace('.', ",")
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    format!("{}, {}", count(errors, "erreur", "erreurs"), count(warnings, "avertissement", "avertissements"))
}

/// Prints what `serve` and `build --watch` report: one line per rebuild, diagnostics on errors.
fn print_report(report: &maillage::serve::Report, root: &std::path::Path, verbose: bool, console: Console) {
    use maillage::serve::{Report, summary_line};
    let time = jiff::Zoned::now().strftime("%H:%M:%S");
    match report {
        Report::Built { rebuild, first, new_warnings } => {
            console.diagnostics(new_warnings, root);
            console.out(&format!("[{time}] {}", summary_line(rebuild, *first)));
            if verbose {
                let stages: Vec<String> = rebuild.timings.iter().map(|(s, d)| format!("{s} {}", millis(*d))).collect();
                console.out(&format!("  (ms) {}", stages.join(", ")));
            }
        }
        Report::Failed { diagnostics, changed } => {
            console.diagnostics(diagnostics, root);
            let what = changed.first().map_or(String::new(), |c| format!("{c} → "));
            console.failure(&format!("[{time}] {what}{} : le dernier site correct reste servi.", summary(diagnostics)));
        }
        Report::WriteFailed(e) => console.error(&format!("[{time}] {e}")),
        Report::Listening { site, guide, .. } => {
            console
                .out(&format!("Site servi sur {site} — les modifications s’affichent seules ; Ctrl-C pour arrêter."));
            console.out(&format!("Le guide du coordinateur : {guide}"));
        }
    }
}

fn finish(result: Result<(), maillage::serve::ServeError>, console: Console) -> ExitCode {
    match result {
        Ok(()) => {
            console.out("Arrêté.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            console.error(&e.to_string());
            ExitCode::from(2)
        }
    }
}

/// Where the editor is, and who may use it.
fn print_editor(addr: std::net::SocketAddr, protected: bool, console: Console) {
    let local = std::net::SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port());
    let url = if addr.ip().is_unspecified() { local } else { addr };
    if protected {
        console.out(&format!("Édition du site : http://{url}/_edition/ (protégée par le mot de passe)."));
    } else if addr.ip().is_loopback() {
        console.out(&format!("Édition du site : http://{url}/_edition/ (réservée à cet ordinateur)."));
    } else {
        console.out(&format!(
            "Édition du site : http://{local}/_edition/, depuis cet ordinateur seulement : sans mot de passe (MAILLAGE_MOT_DE_PASSE), elle refuse les autres appareils."
        ));
    }
}

/// `maillage build` once.
fn run_build(opts: &BuildOptions, verbose: bool, console: Console) -> ExitCode {
    match maillage::build(opts) {
        Ok(report) => {
            console.diagnostics(&report.warnings, &opts.root);
            let total: std::time::Duration = report.timings.iter().map(|(_, d)| *d).sum();
            let pages = count(report.pages, "page", "pages");
            let stats = report.stats;
            if report.up_to_date {
                console.out(&format!(
                    "Site à jour dans {} : rien n’a changé depuis la construction précédente ({pages}, {}), vérifié en {} ms.",
                    opts.output.display(),
                    count(stats.unchanged, "fichier inchangé", "fichiers inchangés"),
                    total.as_millis()
                ));
            } else {
                console.out(&format!(
                    "Site construit dans {} : {pages}, {}, {}, {}, en {} ms.",
                    opts.output.display(),
                    count(stats.written, "fichier écrit", "fichiers écrits"),
                    count(stats.unchanged, "inchangé", "inchangés"),
                    count(stats.removed, "supprimé", "supprimés"),
                    total.as_millis()
                ));
                if stats.kept > 0 {
                    let files = count(stats.kept, "fichier", "fichiers");
                    let (come, changed, are, left) = if stats.kept == 1 {
                        ("ne vient pas", "ajouté ou modifié", "ne fait", "il est laissé")
                    } else {
                        ("ne viennent pas", "ajoutés ou modifiés", "ne font", "ils sont laissés")
                    };
                    console.note(&format!(
                        "Attention : {files} de {} {come} de Maillage ({changed} à la main) et {are} plus partie du site : {left} en place.",
                        opts.output.display()
                    ));
                }
            }
            if verbose {
                for (stage, d) in &report.timings {
                    console.out(&format!("  {stage:<12} {:>8} ms", millis(*d)));
                }
                let i = report.images;
                if !report.up_to_date {
                    console.out(&format!(
                        "  images : {} ({}, {} dans le cache disque, {} en mémoire)",
                        i.images,
                        count(i.encoded, "encodée", "encodées"),
                        count(i.from_disk, "lue", "lues"),
                        i.from_memory
                    ));
                }
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diagnostics)) => {
            console.diagnostics(&diagnostics, &opts.root);
            console.failure(&format!(
                "Construction interrompue : {}. Le site précédent n’a pas été modifié.",
                summary(&diagnostics)
            ));
            ExitCode::from(1)
        }
        Err(BuildError::Write(e)) => {
            console.error(&e.to_string());
            ExitCode::from(2)
        }
    }
}

/// `maillage build` on a region: every CPTS's site, then the portal.
fn run_region_build(opts: &BuildOptions, console: Console) -> ExitCode {
    match maillage::region::build_region(opts) {
        Ok(report) => {
            console.diagnostics(&report.warnings, &opts.root);
            let pages: usize = report.sites.iter().map(|(_, r)| r.pages).sum();
            console.out(&format!(
                "Région construite dans {} : {}, {} en tout, et le portail ({}).",
                opts.output.display(),
                count(report.sites.len(), "site de CPTS", "sites de CPTS"),
                count(pages, "page", "pages"),
                count(report.portal_files, "fichier", "fichiers")
            ));
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diagnostics)) => {
            console.diagnostics(&diagnostics, &opts.root);
            console.failure(&format!(
                "Construction interrompue : {}. Un site qui n’a pas pu être construit n’a pas été modifié.",
                summary(&diagnostics)
            ));
            ExitCode::from(1)
        }
        Err(BuildError::Write(e)) => {
            console.error(&e.to_string());
            ExitCode::from(2)
        }
    }
}

/// The site a command works on, and its output folder: where temporary files of a killed
/// command may lie.
fn site_of(command: &Command) -> Option<(PathBuf, PathBuf)> {
    let with_output = |root: &PathBuf, output: &Option<PathBuf>| {
        Some((root.clone(), output.clone().unwrap_or_else(|| root.join("public"))))
    };
    match command {
        Command::Build { site, output, .. } | Command::Serve { site, output, .. } => with_output(&site.root, output),
        Command::Check { site, .. } | Command::Relances { site, .. } => with_output(&site.root, &None),
        Command::Publier(args) => {
            let (root, output) = args.site_and_output();
            with_output(root, output)
        }
        Command::New { root, .. } | Command::Schema { root, .. } | Command::Import { root, .. } => {
            with_output(root, &None)
        }
        Command::Init { .. } | Command::Completions { .. } | Command::Aide { .. } => None,
    }
}

/// Removes what a killed build, import or editor left (only Maillage's own temporary folders and
/// files, only when no running Maillage holds them), before any command, and says so.
fn clean_leftovers(command: &Command, console: Console) {
    if let Some((root, output)) = site_of(command) {
        let mut removed = maillage::output::clean_leftovers(&output);
        removed.extend(maillage::source::atomic::clean_leftovers(&root.join("content")));
        for path in removed {
            console.note(&format!(
                "Supprimé : {}, laissé par une commande interrompue.",
                maillage::diagnostic::printable(&path.display().to_string())
            ));
        }
    }
}

/// Raises the limit of files open at once to the most the system allows, as Go programs do at
/// start: a region's build keeps one locked file per CPTS open until every site is built, and
/// macOS allows 256 files by default, Linux 1 024. A refusal leaves the limit as it was.
#[cfg(unix)]
fn raise_open_files_limit() {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let most = limit.maximum.unwrap_or(u64::MAX);
    // macOS refuses more than OPEN_MAX when the maximum is unlimited.
    let most = if cfg!(target_os = "macos") { most.min(10_240) } else { most };
    if limit.current.is_some_and(|current| current < most) {
        let _ = setrlimit(Resource::Nofile, Rlimit { current: Some(most), maximum: limit.maximum });
    }
}

/// Makes glibc's allocator give large blocks back to the system when they are freed. By default
/// glibc raises its threshold for mapping a block on its own each time such a block is freed, so
/// that the texts of a build's large files (the open directory, a long list page, a context)
/// then come from the heap and, once freed, leave holes there that the process keeps. Fixing the
/// threshold at 128 KiB, glibc's own starting value, took a 10 000-member build's peak resident
/// memory from 117 to 105 MB for the same time (docs/performance.md, « Large blocks given back »).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks() {
    // SAFETY: `mallopt` only sets a parameter of the allocator, with a value glibc documents;
    // it is called first thing in `main`, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

fn main() -> ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    return_large_blocks();
    #[cfg(unix)]
    raise_open_files_limit();
    let cli: Cli = match cli_help::parse(cli_help::french(Cli::command())) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let console = Console::new(cli.quiet);
    // Commands that write one site's content or publish one site: not on a region's root.
    let one_site = match &cli.command {
        Command::Import { root, .. } => Some((root.clone(), "import")),
        Command::New { root, .. } => Some((root.clone(), "new")),
        Command::Schema { root, .. } => Some((root.clone(), "schema")),
        Command::Publier(args) => Some((args.site_and_output().0.clone(), "publier")),
        _ => None,
    };
    if let Some(message) = one_site.and_then(|(root, command)| maillage::region::one_cpts_only(&root, command)) {
        console.error(&message);
        return ExitCode::from(2);
    }
    clean_leftovers(&cli.command, console);
    match cli.command {
        Command::Build { site, watch: true, .. } if maillage::model::region::is_region(&site.root) => {
            console.error("--watch ne s’applique pas à une région : « maillage serve » la construit, la sert et la reconstruit à chaque modification.");
            ExitCode::from(2)
        }
        Command::Build { site, output, base_url, production, watch: true, poll, verbose } => {
            let opts = site.options(output, base_url, production);
            let root = opts.root.clone();
            let follow_clock = site.today.is_none() && maillage::today_follows_clock();
            finish(
                maillage::serve::watch_build(opts, poll, follow_clock, move |r| {
                    print_report(&r, &root, verbose, console)
                }),
                console,
            )
        }
        Command::Serve { site, output, base_url, port, bind, .. } if maillage::model::region::is_region(&site.root) => {
            use maillage::region::serve::{RegionEvent, RegionServeOptions, serve_region};
            let region = site.options(output, base_url, false);
            let root = region.root.clone();
            finish(
                serve_region(RegionServeOptions { region, bind, port }, move |event| {
                    let time = jiff::Zoned::now().strftime("%H:%M:%S");
                    match event {
                        RegionEvent::Built(r) => {
                            console.diagnostics(&r.warnings, &root);
                            console.out(&format!(
                                "[{time}] région construite : {}, et le portail.",
                                count(r.sites.len(), "site de CPTS", "sites de CPTS")
                            ));
                        }
                        RegionEvent::Updated(u) => {
                            let what = if u.cpts.is_empty() { "portail".to_string() } else { u.cpts.join(", ") };
                            console.out(&format!(
                                "[{time}] {what} → {}, {}, en {} ms",
                                count(u.rendered + u.portal_rendered.len(), "page régénérée", "pages régénérées"),
                                count(u.written.len(), "fichier écrit", "fichiers écrits"),
                                format!("{:.1}", u.duration.as_secs_f64() * 1000.0).replace('.', ",")
                            ));
                        }
                        RegionEvent::Failed(d) => {
                            console.diagnostics(d, &root);
                            console.failure(&format!("[{time}] {} : les dernières pages correctes restent servies.", summary(d)));
                        }
                        RegionEvent::WriteFailed(e) => console.error(&format!("[{time}] {e}")),
                        RegionEvent::Listening(addr) => console.out(&format!(
                            "Région servie sur http://{addr}/ — chaque modification reconstruit ce qu’elle touche et recharge la page ; Ctrl-C pour arrêter."
                        )),
                    }
                }),
                console,
            )
        }
        Command::Serve { site, output, base_url, port, bind, open, poll, verbose, password } => {
            let build = site.options(output, base_url, false);
            let root = build.root.clone();
            let protected = password.as_deref().is_some_and(|p| !p.is_empty());
            let follow_clock = site.today.is_none() && maillage::today_follows_clock();
            let opts = maillage::serve::ServeOptions { build, bind, port, open, poll, password, follow_clock };
            finish(
                maillage::serve::serve(opts, move |r| {
                    print_report(&r, &root, verbose, console);
                    if let maillage::serve::Report::Listening { addr, .. } = r {
                        print_editor(addr, protected, console);
                    }
                }),
                console,
            )
        }
        Command::Build { site, output, base_url, production, verbose: _, watch: false, .. }
            if maillage::model::region::is_region(&site.root) =>
        {
            run_region_build(&site.options(output, base_url, production), console)
        }
        Command::Build { site, output, base_url, production, verbose, watch: false, .. } => {
            run_build(&site.options(output, base_url, production), verbose, console)
        }
        Command::Check { site, production, format } => {
            let opts = site.options(None, None, production);
            let diagnostics = if maillage::model::region::is_region(&site.root) {
                maillage::region::check_region(&site.options(None, None, production))
            } else {
                maillage::check_site(&opts)
            };
            match format {
                Format::Json => console.raw(&format!("{}\n", render_json(&diagnostics))),
                Format::Human => {
                    console.diagnostics(&diagnostics, &opts.root);
                    let line = format!("Vérification terminée : {}.", summary(&diagnostics));
                    if diagnostics.iter().any(Diagnostic::is_error) {
                        console.failure(&line)
                    } else {
                        console.note(&line)
                    }
                }
            }
            if diagnostics.iter().any(Diagnostic::is_error) { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Command::Aide { sujet } => run_aide(sujet.as_deref(), console),
        Command::Relances { site, format } => run_round(&site, format, console),
        Command::Init { dir, nom, communes, epci, courriel, telephone, interactif, today } => {
            let flags = maillage::init::Flags { nom, communes, epci, courriel, telephone };
            run_init(&dir, &flags, interactif, today.unwrap_or_else(maillage::today), console)
        }
        Command::Publier(args) => publish_cli::run(args, console),
        Command::Schema { root, output, cms } => {
            run_schema(&maillage::schema::SchemaOptions { root, output, cms }, console)
        }
        Command::Import { source, file, root, dry_run, map } => run_import(source, file, root, dry_run, map, console),
        Command::Completions { shell } => print_completions(shell, console),
        Command::New { kind, title, root, today } => {
            let kind = match kind {
                NewKind::Offer => maillage::new::Kind::Offer,
                NewKind::Member => maillage::new::Kind::Member,
                NewKind::Action => maillage::new::Kind::Action,
                NewKind::Page => maillage::new::Kind::Page,
            };
            match maillage::new::create(&root, kind, &title, today.unwrap_or_else(maillage::today)) {
                Ok(path) => {
                    console.out(&format!(
                        "Fichier créé : {}. Complétez-le, puis vérifiez avec « maillage check ».",
                        path.display()
                    ));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    console.error(&e.to_string());
                    ExitCode::from(2)
                }
            }
        }
    }
}
