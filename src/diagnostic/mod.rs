//! The one diagnostic type every stage reports: a problem found in the content, with its stable
//! code (documented in docs/content.md), where it is and how to fix it. The ground floor: it
//! imports nothing of the crate. Its two renderings, terminal and JSON, are in [`render`].

pub mod render;

use serde::Serialize;
use std::path::Path;

/// How serious a diagnostic is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
    /// Stable code, documented in docs/content.md (`M012`…).
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
