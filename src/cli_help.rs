//! The command line in French: clap writes its help with English headings (`Usage:`,
//! `Options:`, `[default: …]`) and its errors in English. [`french`] gives every command French
//! headings, value names and help flags; [`parse`] turns clap's errors into French messages from
//! the facts clap gives with them (the argument, the value, the suggestion), never from its text.

use crate::console::no_color;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, FromArgMatches};
use maillage::french::spaced;
use std::process::ExitCode;

/// The layout of every help page: clap's, with `Utilisation :` for `Usage:`.
const TEMPLATE: &str = "{before-help}{about-with-newline}\nUtilisation\u{a0}: {usage}\n\n{all-args}{after-help}";
/// Headings, followed by a no-break space since clap adds the colon right after them.
const OPTIONS: &str = "Options\u{a0}";
const ARGUMENTS: &str = "Arguments\u{a0}";
const COMMANDS: &str = "Commandes\u{a0}";

/// `command` and its subcommands with French help: headings, `-h`/`--aide` (`--help` still
/// works), `-V`/`--version` at the top, default and possible values written in French.
pub(crate) fn french(command: Command) -> Command {
    let top = command
        .disable_version_flag(true)
        .arg(Arg::new("version").short('V').long("version").action(ArgAction::Version).help("Affiche la version"));
    with_french_help(top)
}

fn with_french_help(command: Command) -> Command {
    let mut command = command;
    if let Some(about) = command.get_about().map(|a| spaced(&a.to_string())) {
        command = command.about(about);
    }
    if let Some(long_about) = command.get_long_about().map(|a| spaced(&a.to_string())) {
        command = command.long_about(long_about);
    }
    command
        .help_template(TEMPLATE)
        .subcommand_help_heading(COMMANDS)
        .subcommand_value_name("COMMANDE")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args({
            let mut position = 0;
            move |arg| {
                let arg = french_arg(arg);
                if !arg.is_positional() {
                    return arg;
                }
                // Under a heading of their own, arguments would be sorted by name: keep their order.
                position += 1;
                arg.display_order(position)
            }
        })
        .arg(
            Arg::new("aide")
                .short('h')
                .long("aide")
                .alias("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide (aussi --help)")
                .help_heading(OPTIONS),
        )
        .mut_subcommands(with_french_help)
}

/// One argument under a French heading, its default and possible values in its help text, with
/// French typography.
fn french_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() { ARGUMENTS } else { OPTIONS };
    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let mut extra = Vec::new();
    let takes_values = arg.get_action().takes_values();
    let values: Vec<String> =
        arg.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_string()).collect();
    if takes_values && !values.is_empty() {
        extra.push(format!("valeurs : {}", values.join(", ")));
    }
    let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if takes_values && !defaults.is_empty() && !help.contains("par défaut") {
        extra.push(format!("par défaut : {}", defaults.join(", ")));
    }
    let long = long_values(&arg);
    let mut arg = arg.help_heading(heading);
    if takes_values {
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    let help = if extra.is_empty() { help } else { format!("{} ({})", help.trim_end_matches('.'), extra.join(" ; ")) };
    arg = arg.help(spaced(&help));
    if let Some(long) = long {
        arg = arg.long_help(spaced(&format!("{help}\n{long}")));
    }
    arg
}

/// The possible values with their descriptions, for the long help (`--aide`).
fn long_values(arg: &Arg) -> Option<String> {
    let described: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .filter_map(|v| v.get_help().map(|h| format!("  - {} : {h}", v.get_name())))
        .collect();
    (!described.is_empty()).then(|| described.join("\n"))
}

/// Parses the command line with `command` (already [`french`]); on a mistake, prints it in
/// French and returns the exit code (0 for the help and the version, 2 otherwise).
pub(crate) fn parse<T: FromArgMatches>(command: Command) -> Result<T, ExitCode> {
    let mut command = command;
    let matches = command.try_get_matches_from_mut(std::env::args_os()).map_err(|e| fail(&e, &mut command))?;
    T::from_arg_matches(&matches).map_err(|e| fail(&e, &mut command))
}

/// Prints a clap error in French and gives the exit code.
fn fail(e: &clap::Error, command: &mut Command) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let usage = usage_line(e);
    let path = command_path(command);
    let (message, hint) = french_error(e, &path);
    let head = if std::io::IsTerminal::is_terminal(&std::io::stderr()) && !no_color() {
        "\x1b[1;91merreur\x1b[0m"
    } else {
        "erreur"
    };
    eprintln!("{head}\u{a0}: {}", spaced(&message));
    if let Some(hint) = hint {
        eprintln!("aide\u{a0}: {}", spaced(&hint));
    }
    if !usage.is_empty() {
        eprintln!("\nUtilisation\u{a0}: {usage}");
    }
    eprintln!("\nPour en savoir plus\u{a0}: {path} --aide");
    ExitCode::from(2)
}

/// The usage clap found for the command at fault, without clap's English heading.
fn usage_line(e: &clap::Error) -> String {
    match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(s)) => {
            let text = s.to_string();
            let text = text.trim();
            text.split_once(':').map_or(text, |(_, rest)| rest.trim()).to_string()
        }
        _ => String::new(),
    }
}

/// The command at fault, as typed: `maillage build` when the first word after the program is a
/// subcommand, `maillage` otherwise.
fn command_path(command: &Command) -> String {
    let program = command.get_name();
    let sub = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    match sub.and_then(|s| command.find_subcommand(&s).map(|c| c.get_name().to_string())) {
        Some(sub) => format!("{program} {sub}"),
        None => program.to_string(),
    }
}

/// A context value as text.
fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

/// The French message and hint of a clap error.
fn french_error(e: &clap::Error, path: &str) -> (String, Option<String>) {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let suggested = |kind| context(e, kind).map(|s| format!("vouliez-vous dire « {s} » ?"));
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let what = if arg.starts_with('-') { "option inconnue" } else { "argument inattendu" };
            let hint = suggested(ContextKind::SuggestedArg)
                .or_else(|| suggested(ContextKind::SuggestedSubcommand))
                .or_else(|| {
                    arg.starts_with('-').then(|| format!("« {path} --aide » liste les options de cette commande"))
                })
                .or_else(|| {
                    (!arg.starts_with('-'))
                        .then(|| "un texte avec des espaces s’écrit entre guillemets : \"Mon titre\"".to_string())
                });
            (format!("{what} « {arg} »"), hint)
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            let hint = suggested(ContextKind::SuggestedSubcommand)
                .or_else(|| Some(format!("« {path} --aide » liste les commandes")));
            (format!("commande inconnue « {sub} »"), hint)
        }
        ErrorKind::InvalidValue if value.is_empty() => (format!("il manque la valeur de « {arg} »"), None),
        ErrorKind::InvalidValue => {
            let hint = suggested(ContextKind::SuggestedValue)
                .or_else(|| context(e, ContextKind::ValidValue).map(|v| format!("valeurs possibles : {v}")));
            (format!("valeur « {value} » invalide pour « {arg} »"), hint)
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| s.to_string());
            (format!("valeur « {value} » invalide pour « {arg} »"), why)
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = context(e, ContextKind::InvalidArg).unwrap_or_default();
            (format!("il manque {missing}"), None)
        }
        ErrorKind::MissingSubcommand => {
            (format!("{path} attend une commande"), Some(format!("« {path} --aide » liste les commandes")))
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(e, ContextKind::PriorArg);
            match prior {
                Some(p) if p != arg => (format!("« {arg} » ne peut pas être employé avec « {p} »"), None),
                _ => (format!("« {arg} » est donné plusieurs fois"), Some("gardez-le une seule fois".to_string())),
            }
        }
        ErrorKind::NoEquals => (format!("écrivez la valeur de « {arg} » après un signe « = »"), None),
        ErrorKind::TooManyValues => (format!("valeur « {value} » en trop pour « {arg} »"), None),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            (format!("nombre de valeurs incorrect pour « {arg} »"), None)
        }
        ErrorKind::InvalidUtf8 => (
            "un argument contient des caractères illisibles".to_string(),
            Some("écrivez les noms de dossiers et de fichiers en UTF-8".to_string()),
        ),
        _ => ("la ligne de commande n’a pas pu être comprise".to_string(), None),
    }
}
