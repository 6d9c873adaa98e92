//! `maillage publier`: the command line of [`maillage::publish`].

use crate::{SiteArgs, print_diagnostics, summary};
use clap::ValueEnum;
use maillage::diagnostic::Diagnostic;
use maillage::publish::{self, PublishError, PublishOptions, forge};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `maillage publier`.
#[derive(clap::Args)]
pub(crate) struct PublishArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Destination, à la place de celle de publication.yaml : sftp://utilisateur@serveur/~/dossier
    /// (port : serveur:2222) ou le chemin d’un dossier (partage réseau monté).
    #[arg(long)]
    destination: Option<String>,
    /// Dossier où le site est construit avant l’envoi (par défaut : RACINE/public).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Adresse publique du site, à la place de site.url de cpts.yaml.
    #[arg(long)]
    base_url: Option<String>,
    /// Empreinte attendue de la clé du serveur SFTP (SHA256:…), à la place de empreinte_serveur.
    #[arg(long)]
    empreinte_serveur: Option<String>,
    /// Enregistre dans ~/.ssh/known_hosts la clé d’un serveur inconnu, après que vous avez vérifié
    /// son empreinte auprès de l’hébergeur.
    #[arg(long)]
    accepter_serveur: bool,
    /// Affiche ce qui changerait sur la destination, sans rien y modifier.
    #[arg(long, visible_alias = "essai")]
    dry_run: bool,
    /// Écrit le fichier qui construit et publie le site sur GitHub Pages ou GitLab Pages à chaque
    /// envoi sur la forge (rien n’est envoyé d’ici).
    #[arg(long, value_enum)]
    forge: Option<ForgeArg>,
    /// Avec --forge : affiche ce fichier au lieu de l’écrire.
    #[arg(long, requires = "forge")]
    afficher: bool,
    /// N’affiche que les erreurs et le résumé.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ForgeArg {
    /// GitHub Pages (GitHub Actions).
    Github,
    /// GitLab Pages (GitLab CI).
    Gitlab,
}

/// Runs `maillage publier`.
pub(crate) fn run(args: PublishArgs) -> ExitCode {
    if let Some(forge) = args.forge {
        let forge = match forge {
            ForgeArg::Github => forge::Forge::GitHub,
            ForgeArg::Gitlab => forge::Forge::GitLab,
        };
        return write_forge(&args.site.root, forge, args.afficher);
    }
    let opts = PublishOptions {
        // Built for production: placeholders left from `init` or `new` are errors.
        build: args.site.options(args.output, args.base_url, true),
        destination: args.destination,
        host_fingerprint: args.empreinte_serveur,
        accept_new_host: args.accepter_serveur,
        dry_run: args.dry_run,
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    match publish::publish(&opts) {
        Ok(report) => {
            print_diagnostics(&report.warnings, &opts.build.root);
            for note in &report.plan.notes {
                eprintln!("remarque : {note}");
            }
            if opts.dry_run && !args.quiet {
                println!("Destination : {}", report.destination);
                for line in publish::dry_run_lines(&report.plan) {
                    println!("{line}");
                }
            }
            println!("{}", publish::summary(&report.plan, opts.dry_run));
            ExitCode::SUCCESS
        }
        Err(PublishError::Content(diagnostics)) => {
            print_diagnostics(&diagnostics, &opts.build.root);
            let errors = diagnostics.iter().filter(|d| Diagnostic::is_error(d)).count();
            eprintln!(
                "Publication refusée : le site comporte {}. Corrigez-{} (« maillage check --production » les liste), puis relancez : \
                 rien n’a été envoyé.",
                summary(&diagnostics),
                if errors > 1 { "les" } else { "la" }
            );
            ExitCode::from(1)
        }
        Err(e @ PublishError::Remote(_)) => {
            eprintln!("erreur : {e}");
            eprintln!(
                "La publication s’est arrêtée en cours : le site en ligne est resté cohérent, fichier par fichier. \
                 Relancez « maillage publier » : elle reprendra là où elle s’est arrêtée."
            );
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::from(2)
        }
    }
}

impl PublishArgs {
    /// The site's root and the output folder asked for, if any.
    pub(crate) fn site_and_output(&self) -> (&PathBuf, &Option<PathBuf>) {
        (&self.site.root, &self.output)
    }
}

fn write_forge(root: &std::path::Path, forge: forge::Forge, show: bool) -> ExitCode {
    if show {
        print!("{}", forge.workflow());
        return ExitCode::SUCCESS;
    }
    match forge::write(root, forge) {
        Ok(written) => {
            let file = root.join(forge.file());
            match written {
                forge::Written::Created => println!("Fichier créé : {}.", file.display()),
                forge::Written::Unchanged => println!("{} est déjà à jour.", file.display()),
            }
            println!(
                "Envoyez le site sur la forge (git push) : il sera construit et publié sur {} à chaque envoi. \
                 Voir « maillage aide publier ».",
                forge.name()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("erreur : {e}");
            ExitCode::from(2)
        }
    }
}
