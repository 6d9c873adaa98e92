//! The two renderings of diagnostics: for a terminal, like rustc's, and as JSON for CI and
//! editors.

use super::{Diagnostic, Severity};
use std::collections::HashMap;
use std::path::Path;

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
