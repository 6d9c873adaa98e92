//! `maillage publier`: the command line of [`maillage::publish`].

use crate::console::Console;
use crate::{SiteArgs, summary};
use clap::ValueEnum;
use maillage::diagnostic::Diagnostic;
use maillage::publish::{self, PublishError, PublishOptions, forge};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `maillage publier`.
#[derive(clap::Args)]
pub(crate) struct PublishArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Destination, à la place de celle de publication.yaml : sftp://utilisateur@serveur/~/dossier
    /// (port : serveur:2222) ou le chemin d’un dossier (partage réseau monté).
    #[arg(long, value_name = "DESTINATION")]
    destination: Option<String>,
    /// Dossier où le site est construit avant l’envoi (par défaut : RACINE/public).
    #[arg(long, short, value_name = "DOSSIER")]
    output: Option<PathBuf>,
    /// Adresse publique du site, à la place de site.url de cpts.yaml.
    #[arg(long, value_name = "ADRESSE")]
    base_url: Option<String>,
    /// Empreinte attendue de la clé du serveur SFTP (SHA256:…), à la place de empreinte_serveur.
    #[arg(long, value_name = "EMPREINTE")]
    empreinte_serveur: Option<String>,
    /// Enregistre dans ~/.ssh/known_hosts la clé d’un serveur inconnu, après que vous avez vérifié
    /// son empreinte auprès de l’hébergeur.
    #[arg(long)]
    accepter_serveur: bool,
    /// Affiche ce qui changerait sur la destination, sans rien y modifier (aussi --essai).
    #[arg(long, alias = "essai")]
    dry_run: bool,
    /// Écrit le fichier qui construit et publie le site sur GitHub Pages ou GitLab Pages à chaque
    /// envoi sur la forge (rien n’est envoyé d’ici).
    #[arg(long, value_enum, value_name = "FORGE")]
    forge: Option<ForgeArg>,
    /// Avec --forge : affiche ce fichier au lieu de l’écrire.
    #[arg(long, requires = "forge")]
    afficher: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ForgeArg {
    /// GitHub Pages (GitHub Actions).
    Github,
    /// GitLab Pages (GitLab CI).
    Gitlab,
}

/// Runs `maillage publier`.
/// The site is built for production: placeholders left from `init` or `new` are errors.
pub(crate) fn run(args: PublishArgs, console: Console) -> ExitCode {
    if let Some(forge) = args.forge {
        let forge = match forge {
            ForgeArg::Github => forge::Forge::GitHub,
            ForgeArg::Gitlab => forge::Forge::GitLab,
        };
        return write_forge(&args.site.root, forge, args.afficher, console);
    }
    let opts = PublishOptions {
        build: args.site.options(args.output, args.base_url, true),
        destination: args.destination,
        host_fingerprint: args.empreinte_serveur,
        accept_new_host: args.accepter_serveur,
        dry_run: args.dry_run,
        progress: console.progress(),
    };
    match publish::publish(&opts) {
        Ok(report) => {
            console.diagnostics(&report.warnings, &opts.build.root);
            for note in &report.plan.notes {
                console.note(&format!("remarque : {note}"));
            }
            if opts.dry_run {
                console.out(&format!("Destination : {}", report.destination));
                for line in publish::dry_run_lines(&report.plan) {
                    console.out(&line);
                }
            }
            console.out(&publish::summary(&report.plan, opts.dry_run));
            ExitCode::SUCCESS
        }
        Err(PublishError::Content(diagnostics)) => {
            console.diagnostics(&diagnostics, &opts.build.root);
            let errors = diagnostics.iter().filter(|d| Diagnostic::is_error(d)).count();
            console.failure(&format!(
                "Publication refusée : le site comporte {}. Corrigez-{} (« maillage check --production » les liste), \
                 puis relancez : rien n’a été envoyé.",
                summary(&diagnostics),
                if errors > 1 { "les" } else { "la" }
            ));
            ExitCode::from(1)
        }
        Err(e @ PublishError::Remote(_)) => {
            console.error(&e.to_string());
            console.failure(
                "La publication s’est arrêtée en cours : le site en ligne est resté cohérent, fichier par fichier. \
                 Relancez « maillage publier » : elle reprendra là où elle s’est arrêtée.",
            );
            ExitCode::from(2)
        }
        Err(e) => {
            console.error(&e.to_string());
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

fn write_forge(root: &std::path::Path, forge: forge::Forge, show: bool, console: Console) -> ExitCode {
    if show {
        console.raw(&forge.workflow());
        return ExitCode::SUCCESS;
    }
    match forge::write(root, forge) {
        Ok(written) => {
            let file = root.join(forge.file());
            match written {
                forge::Written::Created => console.out(&format!("Fichier créé : {}.", file.display())),
                forge::Written::Unchanged => console.out(&format!("{} est déjà à jour.", file.display())),
            }
            console.out(&format!(
                "Envoyez le site sur la forge (git push) : il sera construit et publié sur {} à chaque envoi. \
                 Voir « maillage aide publier ».",
                forge.name()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            console.error(&e.to_string());
            ExitCode::from(2)
        }
    }
}
