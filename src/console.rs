//! What the commands print, and how: every line in French typography (no-break spaces, through
//! [`maillage::french::spaced`]), colours only on a terminal and never when `NO_COLOR` is set,
//! and nothing but errors with `--quiet`.

use maillage::diagnostic::Diagnostic;
use maillage::diagnostic::render::render_human;
use maillage::french::spaced;
use std::io::IsTerminal;
use std::path::Path;

/// How the commands write to the terminal.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Console {
    /// `--quiet`: errors only.
    quiet: bool,
    /// Colours on the error output.
    color: bool,
    /// Progress bars on the error output.
    progress: bool,
}

/// Whether `NO_COLOR` asks for no colour: set to any non-empty value (no-color.org).
pub(crate) fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Console {
    /// The console of a command run with `--quiet` or not.
    pub(crate) fn new(quiet: bool) -> Console {
        let terminal = std::io::stderr().is_terminal();
        Console { quiet, color: terminal && !no_color(), progress: terminal && !quiet }
    }

    /// Whether the standard output may show colours: a terminal, and no `NO_COLOR`.
    pub(crate) fn stdout_color(&self) -> bool {
        std::io::stdout().is_terminal() && !no_color()
    }

    /// Whether progress bars may be drawn (a terminal, and not `--quiet`).
    pub(crate) fn progress(&self) -> bool {
        self.progress
    }

    /// A line of the command's result, on the standard output; not with `--quiet`.
    pub(crate) fn out(&self, text: &str) {
        if !self.quiet {
            println!("{}", spaced(text));
        }
    }

    /// Text printed as it is (a file, a generated script), on the standard output, even with
    /// `--quiet`: it is what was asked for.
    pub(crate) fn raw(&self, text: &str) {
        print!("{text}");
    }

    /// A remark on the error output; not with `--quiet`.
    pub(crate) fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{}", spaced(text));
        }
    }

    /// A failure, on the error output, always: `erreur : …`.
    pub(crate) fn error(&self, text: &str) {
        let head = if self.color { "\x1b[1;91merreur\x1b[0m" } else { "erreur" };
        eprintln!("{head}\u{a0}: {}", spaced(text));
    }

    /// A line that says why a command stopped, on the error output, always.
    pub(crate) fn failure(&self, text: &str) {
        eprintln!("{}", spaced(text));
    }

    /// Diagnostics with their excerpts: errors always, warnings unless `--quiet`.
    pub(crate) fn diagnostics(&self, diagnostics: &[Diagnostic], root: &Path) {
        let shown: Vec<Diagnostic> = if self.quiet {
            diagnostics.iter().filter(|d| d.is_error()).cloned().collect()
        } else {
            diagnostics.to_vec()
        };
        if !shown.is_empty() {
            eprint!("{}", render_human(&shown, root, self.color));
        }
    }
}
