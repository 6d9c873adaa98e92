//! What the commands print, and how: every line in French typography (no-break spaces, through
//! [`maillage::french::spaced`]), colours only on a terminal and never when `NO_COLOR` is set,
//! and nothing but errors with `--quiet`.

use maillage::diagnostic::Diagnostic;
use maillage::diagnostic::render::render_human;
use maillage::french::spaced;
use std::io::{IsTerminal, Write};
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
            to_stdout(&format!("{}\n", spaced(text)));
        }
    }

    /// Text printed as it is (a file, a generated script), on the standard output, even with
    /// `--quiet`: it is what was asked for.
    pub(crate) fn raw(&self, text: &str) {
        to_stdout(text);
    }

    /// A remark on the error output; not with `--quiet`.
    pub(crate) fn note(&self, text: &str) {
        if !self.quiet {
            to_stderr(&format!("{}\n", spaced(text)));
        }
    }

    /// A failure, on the error output, always: `erreur : …`.
    pub(crate) fn error(&self, text: &str) {
        let head = if self.color { "\x1b[1;91merreur\x1b[0m" } else { "erreur" };
        to_stderr(&format!("{head}\u{a0}: {}\n", spaced(text)));
    }

    /// A line that says why a command stopped, on the error output, always.
    pub(crate) fn failure(&self, text: &str) {
        to_stderr(&format!("{}\n", spaced(text)));
    }

    /// Diagnostics with their excerpts: errors always, warnings unless `--quiet`.
    pub(crate) fn diagnostics(&self, diagnostics: &[Diagnostic], root: &Path) {
        let shown: Vec<Diagnostic> = if self.quiet {
            diagnostics.iter().filter(|d| d.is_error()).cloned().collect()
        } else {
            diagnostics.to_vec()
        };
        if !shown.is_empty() {
            to_stderr(&render_human(&shown, root, self.color));
        }
    }
}

/// Writes to the standard output. A closed pipe (`maillage serve | head -1`, `maillage aide |
/// less` quit early) only loses what could not be shown: the command goes on, it never stops
/// with a panic in English.
fn to_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes to the error output; as [`to_stdout`], a closed pipe is not a failure.
fn to_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
