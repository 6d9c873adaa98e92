//! The one diagnostic type every stage reports, and its two renderings (terminal and JSON).

use serde::Serialize;
use std::collections::HashMap;
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

/// Renders diagnostics like rustc: the message, the file and position, the source line with the
/// problem underlined, then the hint. `root` is where files are read back from for the excerpt.
pub fn render_human(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut sources: HashMap<&str, Option<String>> = HashMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let text = sources.entry(d.file.as_str()).or_insert_with(|| {
            std::fs::read(root.join(&d.file)).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
        });
        let title = level.clone().primary_title(d.message.as_str()).id(d.code);
        let mut groups = Vec::new();
        match text.as_deref().and_then(|t| line_excerpt(t, d.line, d.column)) {
            Some((line_text, span)) => groups.push(
                title.element(
                    Snippet::source(line_text)
                        .line_start(d.line as usize)
                        .path(d.file.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                ),
            ),
            None => {
                let origin = if d.line > 0 { format!("{}:{}", d.file, d.line) } else { d.file.clone() };
                groups.push(title.element(annotate_snippets::Origin::path(origin)));
            }
        }
        if let Some(hint) = &d.hint {
            groups.push(Group::with_title(Level::HELP.secondary_title(hint.as_str())));
        }
        out.push_str(&renderer.render(&groups));
        out.push_str("\n\n");
    }
    out
}

/// Renders diagnostics as a stable JSON array (for CI and editors).
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_string())
}

/// The text of one line and the byte range to underline in it: from the column to the end of
/// the value (trailing spaces and comments excluded), at least one character.
fn line_excerpt(text: &str, line: u32, column: u32) -> Option<(&str, std::ops::Range<usize>)> {
    if line == 0 {
        return None;
    }
    let line_text = text.lines().nth(line as usize - 1)?;
    let start = line_text.char_indices().nth(column.saturating_sub(1) as usize).map_or(line_text.len(), |(i, _)| i);
    let rest = &line_text[start..];
    let value_end = rest.find(" #").unwrap_or(rest.len());
    let trimmed = rest[..value_end].trim_end().len();
    let end = start + trimmed.max(rest.chars().next().map_or(0, char::len_utf8));
    Some((line_text, start..end))
}

/// Turns a path relative to the site root into the `/`-separated form diagnostics use.
pub fn display_path(rel: &Path) -> String {
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_underlines_the_value_without_comment() {
        let text = "nom: X\nprofession: plombier  # oups\n";
        let (line, span) = line_excerpt(text, 2, 13).unwrap();
        assert_eq!(&line[span], "plombier");
    }

    #[test]
    fn excerpt_counts_columns_in_characters() {
        let text = "é: àb\n";
        let (line, span) = line_excerpt(text, 1, 4).unwrap();
        assert_eq!(&line[span], "àb");
    }
}
