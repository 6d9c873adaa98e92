//! The two renderings of diagnostics: for a terminal, like rustc's, and as JSON for CI and
//! editors.

use super::{Diagnostic, Severity, printable, printable_line};
use crate::french::{NBSP, spaced};
use std::collections::HashMap;
use std::path::Path;

/// Renders diagnostics like rustc, in French: `erreur[M013] : message` (or `attention[…]`), the
/// file and position, the source line with the problem underlined, then `aide : hint`. `root` is
/// where files are read back from for the excerpt (at most [`crate::limits::MAX_TEXT_BYTES`] of
/// each, and only when a line is named). The headings are written here rather than by
/// annotate-snippets, which would write its English level names and no space before the colon.
/// Control characters, whether in a message, a file name or the excerpt, are shown as their codes.
pub fn render_human(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    use crate::limits::{MAX_TEXT_BYTES, read_file};
    use annotate_snippets::renderer::{DEFAULT_ERROR_STYLE, DEFAULT_HELP_STYLE, DEFAULT_WARNING_STYLE};
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let paint = |style: annotate_snippets::renderer::Style, text: &str| {
        if color { format!("{}{text}{}", style.render(), style.render_reset()) } else { text.to_string() }
    };
    let bold = |text: &str| if color { format!("\x1b[1m{text}\x1b[0m") } else { text.to_string() };
    let mut sources: HashMap<&str, Option<String>> = HashMap::new();
    let mut out = String::new();
    for d in diagnostics {
        let (level, name, style) = match d.severity {
            Severity::Error => (Level::ERROR, "erreur", DEFAULT_ERROR_STYLE),
            Severity::Warning => (Level::WARNING, "attention", DEFAULT_WARNING_STYLE),
        };
        let (message, file) = (printable(&d.message), printable_line(&d.file));
        out.push_str(&paint(style, &format!("{name}[{}]", d.code)));
        out.push_str(&bold(&format!("{NBSP}: {}", spaced(&message))));
        out.push('\n');
        let text = if d.line == 0 {
            None
        } else {
            sources
                .entry(d.file.as_str())
                .or_insert_with(|| {
                    read_file(&root.join(&d.file), MAX_TEXT_BYTES)
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                })
                .as_deref()
        };
        match text.and_then(|t| line_excerpt(t, d.line, d.column)) {
            Some((line_text, span)) => {
                let (line_text, span) = printable_excerpt(line_text, span);
                let group = Group::with_level(level).element(
                    Snippet::source(line_text)
                        .line_start(d.line as usize)
                        .path(file.into_owned())
                        .annotation(AnnotationKind::Primary.span(span)),
                );
                out.push_str(&renderer.render(&[group]));
                out.push('\n');
            }
            None => {
                let origin = if d.line > 0 { format!("{file}:{}", d.line) } else { file.into_owned() };
                out.push_str(&format!(" --> {origin}\n"));
            }
        }
        if let Some(hint) = &d.hint {
            out.push_str(&paint(DEFAULT_HELP_STYLE, "aide"));
            out.push_str(&format!("{NBSP}: {}\n", spaced(&printable(hint))));
        }
        out.push('\n');
    }
    out
}

/// Renders diagnostics as a stable JSON array (for CI and editors).
/// The keys and the severities (`error`, `warning`) are stable English words for programs; the
/// messages and hints are French, with the same no-break spaces as in the terminal.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let french: Vec<Diagnostic> = diagnostics
        .iter()
        .map(|d| Diagnostic { message: spaced(&d.message), hint: d.hint.as_deref().map(spaced), ..d.clone() })
        .collect();
    serde_json::to_string_pretty(&french).unwrap_or_else(|_| "[]".to_string())
}

/// The text of one line and the byte range to underline in it: from the column to the end of
/// the value (trailing spaces and comments excluded), at least one character.
fn line_excerpt(text: &str, line: u32, column: u32) -> Option<(&str, std::ops::Range<usize>)> {
    if line == 0 {
        return None;
    }
    // Lines as `source::utf8_text` counts them: a lone carriage return ends a line too.
    let line_text =
        text.split('\n').flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r')).nth(line as usize - 1)?;
    let start = line_text.char_indices().nth(column.saturating_sub(1) as usize).map_or(line_text.len(), |(i, _)| i);
    let rest = &line_text[start..];
    let value_end = rest.find(" #").unwrap_or(rest.len());
    let trimmed = rest[..value_end].trim_end().len();
    let end = start + trimmed.max(rest.chars().next().map_or(0, char::len_utf8));
    Some((line_text, start..end))
}

/// An excerpt and its underlined range, with control characters shown as their codes.
fn printable_excerpt(line: &str, span: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    let before = printable(&line[..span.start]);
    let within = printable(&line[span.clone()]);
    let safe = format!("{before}{within}{}", printable(&line[span.end..]));
    (safe, before.len()..before.len() + within.len())
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

    #[test]
    fn nothing_reaches_the_terminal_raw() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "nom: \u{1b}]0;titre\u{7}X\u{1b}[2J\n").unwrap();
        let d = Diagnostic::error("M017", "a.yaml", 1, 6, "valeur \u{1b}[31m").with_hint("\u{9b}indice");
        let out = render_human(&[d, Diagnostic::error("M002", "b\u{1b}.yaml", 0, 0, "x")], dir.path(), false);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        for shown in ["<U+001B>]0;titre<U+0007>X<U+001B>[2J", "valeur <U+001B>[31m", "<U+009B>indice", "b<U+001B>.yaml"]
        {
            assert!(out.contains(shown), "{shown} absent de {out}");
        }
    }
}
