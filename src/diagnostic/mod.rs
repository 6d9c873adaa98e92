//! The one diagnostic type every stage reports: a problem found in the content, with its stable
//! code (documented in the guide, docs/guide/erreurs.md), where it is and how to fix it. The
//! ground floor: it imports nothing of the crate but [`crate::french`]. Its two renderings,
//! terminal and JSON, are in [`render`].

pub mod render;
pub mod sorted;

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::Path;

/// How serious a diagnostic is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported, the build goes on.
    Warning,
}

/// A problem found in the content, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, documented in docs/guide/erreurs.md (`M012`…).
    pub code: &'static str,
    /// File, relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based column in characters; 0 when unknown.
    pub column: u32,
    /// What is wrong, in French.
    pub message: String,
    /// What to do about it, in French.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a position of a file.
    pub fn error(code: &'static str, file: &str, line: u32, column: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at a position of a file.
    pub fn warning(code: &'static str, file: &str, line: u32, column: u32, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, line, column, message) }
    }

    /// Adds the hint shown under the message.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, then position, so reports are stable from run to run.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics
        .sort_by(|a, b| (a.file.as_str(), a.line, a.column, a.code).cmp(&(b.file.as_str(), b.line, b.column, b.code)));
}

/// Turns a path relative to the site root into the `/`-separated form diagnostics use.
pub fn display_path(rel: &Path) -> String {
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

/// Whether `c` is a control character no content may hold: the C0 controls but tab, line feed
/// and carriage return, DEL and the C1 controls. Written to a terminal they can move the cursor,
/// change colours or rewrite what was printed; in a page or a feed they are invalid.
pub fn is_forbidden_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// Whether `c` must not reach a terminal as it is: every control character (carriage returns and
/// tabs included; line feeds unless `one_line`) and the bidirectional overrides, which reorder
/// what a terminal shows.
fn is_unsafe_on_terminal(c: char, one_line: bool) -> bool {
    (c.is_control() && (one_line || c != '\n')) || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` made safe for a terminal: each control character but line feeds shown as its code
/// (`<U+001B>`), so that a value read from a file can neither colour nor rewrite the report.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape_controls(text, false)
}

/// [`printable`], line feeds included: for what must stay on one line (a file name).
pub fn printable_line(text: &str) -> Cow<'_, str> {
    escape_controls(text, true)
}

fn escape_controls(text: &str, one_line: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe_on_terminal(c, one_line)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe_on_terminal(c, one_line) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_as_codes() {
        assert!(matches!(printable("Dr Éloïse N’Guessan"), Cow::Borrowed(_)));
        assert_eq!(printable("\u{1b}[31mrouge\u{1b}[0m"), "<U+001B>[31mrouge<U+001B>[0m");
        assert_eq!(printable("a\rb\tc\nd\u{9b}e\u{202e}f"), "a<U+000D>b<U+0009>c\nd<U+009B>e<U+202E>f");
        assert_eq!(printable_line("a\nb"), "a<U+000A>b");
        assert!(is_forbidden_control('\u{1b}') && is_forbidden_control('\u{85}') && is_forbidden_control('\u{7f}'));
        assert!(!is_forbidden_control('\t') && !is_forbidden_control('\n') && !is_forbidden_control('\r'));
        assert!(!is_forbidden_control('\u{a0}') && !is_forbidden_control('é'));
    }
}
