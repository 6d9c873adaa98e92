//! The one diagnostic type every stage reports: a problem found in the content, with its stable
//! code (documented in the guide, docs/guide/erreurs.md), where it is and how to fix it. The
//! ground floor: it imports nothing of the crate but [`crate::french`]. Its two renderings,
//! terminal and JSON, are in [`render`].

pub mod render;

use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

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

/// Diagnostics in the order [`sort`] gives, held in shared parts, one per file: a list kept
/// between the dev server's saves shares the parts of the files a save did not touch, rather
/// than making and sorting every diagnostic again (tens of thousands on a large site).
#[derive(Debug, Clone, Default)]
pub struct Sorted {
    /// Non-empty parts in file order, each sorted by [`sort`] and all of one file.
    parts: Vec<Arc<[Diagnostic]>>,
}

impl Sorted {
    /// Sorts `diagnostics` and splits them into parts.
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Sorted {
        sort(&mut diagnostics);
        let mut parts = Vec::new();
        let mut rest = diagnostics.as_slice();
        while let Some(first) = rest.first() {
            let n = rest.iter().take_while(|d| d.file == first.file).count();
            parts.push(Arc::from(&rest[..n]));
            rest = &rest[n..];
        }
        Sorted { parts }
    }

    /// A list made of the diagnostics of each file, each part already sorted by [`sort`], given
    /// in file order; empty parts are left out.
    pub fn from_parts(parts: impl IntoIterator<Item = Arc<[Diagnostic]>>) -> Sorted {
        let parts: Vec<Arc<[Diagnostic]>> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        debug_assert!(parts.windows(2).all(|w| w[0][0].file < w[1][0].file), "parts in file order");
        Sorted { parts }
    }

    /// The list [`sort`] makes of `before`, then `middle`'s diagnostics, then `after`: the
    /// parts of `middle` that neither names a file of are shared, not copied.
    pub fn around(before: Vec<Diagnostic>, middle: &Sorted, after: Vec<Diagnostic>) -> Sorted {
        if before.is_empty() && after.is_empty() {
            return middle.clone();
        }
        type Sides = (Vec<Diagnostic>, Vec<Diagnostic>);
        let mut extra: BTreeMap<String, Sides> = BTreeMap::new();
        for d in before {
            extra.entry(d.file.clone()).or_default().0.push(d);
        }
        for d in after {
            extra.entry(d.file.clone()).or_default().1.push(d);
        }
        let join = |(mut all, after): Sides, part: &[Diagnostic]| -> Arc<[Diagnostic]> {
            all.extend(part.iter().cloned());
            all.extend(after);
            sort(&mut all);
            Arc::from(all)
        };
        let mut parts = Vec::with_capacity(middle.parts.len() + extra.len());
        let mut extra = extra.into_iter().peekable();
        for part in &middle.parts {
            let file = part[0].file.as_str();
            while let Some((_, sides)) = extra.next_if(|(f, _)| f.as_str() < file) {
                parts.push(join(sides, &[]));
            }
            match extra.next_if(|(f, _)| f == file) {
                Some((_, sides)) => parts.push(join(sides, part)),
                None => parts.push(Arc::clone(part)),
            }
        }
        parts.extend(extra.map(|(_, sides)| join(sides, &[])));
        Sorted { parts }
    }

    /// Every diagnostic, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.parts.iter().flat_map(|p| p.iter())
    }

    /// The parts, one per file, in file order.
    pub fn parts(&self) -> &[Arc<[Diagnostic]>] {
        &self.parts
    }

    /// How many diagnostics there are.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Whether one of them stops the build.
    pub fn has_error(&self) -> bool {
        self.iter().any(Diagnostic::is_error)
    }

    /// A copy of every diagnostic, in order.
    pub fn to_vec(&self) -> Vec<Diagnostic> {
        self.iter().cloned().collect()
    }
}

impl PartialEq for Sorted {
    fn eq(&self, other: &Sorted) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
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
    fn sorted_parts_hold_one_file_each_in_order() {
        let w = |file: &str, line: u32| Diagnostic::warning("M066", file, line, 1, "x");
        let all = vec![w("b", 2), w("a", 3), w("b", 1), w("a", 1), w("c", 1)];
        let sorted = Sorted::new(all.clone());
        let mut expected = all;
        sort(&mut expected);
        assert_eq!(sorted.to_vec(), expected);
        let files: Vec<&str> = sorted.parts().iter().map(|p| p[0].file.as_str()).collect();
        assert_eq!(files, ["a", "b", "c"]);
        assert_eq!(sorted.len(), 5);
        let again = Sorted::from_parts(sorted.parts().iter().cloned().chain([Arc::from(Vec::new())]));
        assert_eq!(again, sorted);
        assert!(Sorted::new(Vec::new()).is_empty());
        // Around a shared list: the same as sorting everything, ties in the order given.
        let tie = |file: &str, message: &str| Diagnostic::warning("M001", file, 1, 1, message);
        let before = vec![tie("b", "avant"), tie("0", "seul")];
        let after = vec![tie("b", "après"), w("d", 1)];
        let around = Sorted::around(before.clone(), &sorted, after.clone());
        let mut everything: Vec<Diagnostic> = before.into_iter().chain(sorted.to_vec()).chain(after).collect();
        sort(&mut everything);
        assert_eq!(around.to_vec(), everything);
        assert!(Arc::ptr_eq(&around.parts()[1], &sorted.parts()[0]), "the part of « a » is shared");
    }

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
