//! Abbreviations expanded at their first use: in a rendered page's `<main>`, the first time each
//! abbreviation of the glossary ([`crate::domain::glossary`]) appears in the text, it becomes
//! `<abbr title="what it stands for">…</abbr>`. Text inside tags that cannot hold an `<abbr>`
//! (`svg`, `script`, `style`, `option`, `textarea`, `title`) or already inside one is left alone.

use std::sync::LazyLock;

use memchr::memchr;
use memchr::memmem::{Finder, FinderRev};

use crate::domain::glossary::abbreviation;
use crate::render::escape::escape_html;

/// Elements whose text is never marked (their content cannot hold an `<abbr>`, or already is one).
const SKIPPED: [&str; 7] = ["svg", "script", "style", "option", "textarea", "title", "abbr"];

/// Where `<main` opens and `</main>` closes: found with vector instructions, since every page is
/// searched (5 KB of head and header before `<main>`, 2 KB of footer after it).
static MAIN_OPEN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("<main"));
static MAIN_CLOSE: LazyLock<FinderRev<'static>> = LazyLock::new(|| FinderRev::new("</main>"));

/// The page's bytes with the first use of each abbreviation of its `<main>` marked: a copy of
/// `html` sized to fit (the page is rendered into a buffer used again for the next page).
pub fn mark_first_uses(html: &str) -> Vec<u8> {
    let bytes = html.as_bytes();
    let (Some(start), Some(end)) = (MAIN_OPEN.find(bytes), MAIN_CLOSE.rfind(bytes)) else {
        return bytes.to_vec();
    };
    let mut marks = Vec::new();
    let mut seen: Vec<&'static str> = Vec::new();
    let mut skipped_depth = 0usize;
    let mut at = start;
    while at < end {
        let text_end = memchr(b'<', &bytes[at..end]).map_or(end, |i| at + i);
        if skipped_depth == 0 && text_end > at {
            find_marks(html, at, text_end, &mut seen, &mut marks);
        }
        if text_end == end {
            break;
        }
        let tag_end = memchr(b'>', &bytes[text_end..end]).map_or(end, |i| text_end + i + 1);
        let tag = &html[text_end..tag_end];
        let closing = tag.starts_with("</");
        let name = tag.trim_start_matches(['<', '/']);
        let name = &name[..name.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        if SKIPPED.iter().any(|s| s.eq_ignore_ascii_case(name)) && !tag.ends_with("/>") {
            skipped_depth = if closing { skipped_depth.saturating_sub(1) } else { skipped_depth + 1 };
        }
        at = tag_end;
    }
    let extra: usize = marks.iter().map(|m: &Mark| m.long.len() + 24).sum();
    let mut out = Vec::with_capacity(bytes.len() + extra);
    let mut copied = 0;
    for mark in marks {
        out.extend_from_slice(&bytes[copied..mark.at]);
        out.extend_from_slice(b"<abbr title=\"");
        out.extend_from_slice(escape_html(mark.long).as_bytes());
        out.extend_from_slice(b"\">");
        out.extend_from_slice(&bytes[mark.at..mark.at + mark.len]);
        out.extend_from_slice(b"</abbr>");
        copied = mark.at + mark.len;
    }
    out.extend_from_slice(&bytes[copied..]);
    out
}

/// One word to mark: where it starts in the page, its length, what it stands for.
struct Mark {
    at: usize,
    len: usize,
    long: &'static str,
}

/// Finds, in `html[from..to]` (a run of text), the words of the glossary not yet in `seen`.
fn find_marks(html: &str, from: usize, to: usize, seen: &mut Vec<&'static str>, marks: &mut Vec<Mark>) {
    let text = &html[from..to];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_uppercase() || text[..i].chars().next_back().is_some_and(char::is_alphanumeric) {
            i += 1;
            continue;
        }
        let len = bytes[i..].iter().take_while(|b| b.is_ascii_uppercase()).count();
        let word = &text[i..i + len];
        if !text[i + len..].chars().next().is_some_and(char::is_alphanumeric)
            && let Some(entry) = abbreviation(word).filter(|e| !seen.contains(&e.short))
        {
            seen.push(entry.short);
            marks.push(Mark { at: from + i, len, long: entry.long });
        }
        i += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_use_in_main_is_expanded_once() {
        let html = "<title>CPTS</title><nav>CPTS</nav><main><h1>La CPTS et le DAC</h1><p>La CPTS, l’ARS.</p></main><footer>CPTS</footer>";
        let marked = String::from_utf8(mark_first_uses(html)).expect("UTF-8");
        assert_eq!(
            marked,
            "<title>CPTS</title><nav>CPTS</nav><main><h1>La <abbr title=\"communauté professionnelle territoriale de santé\">CPTS</abbr> et le <abbr title=\"dispositif d’appui à la coordination\">DAC</abbr></h1><p>La CPTS, l’<abbr title=\"agence régionale de santé\">ARS</abbr>.</p></main><footer>CPTS</footer>"
        );
    }

    #[test]
    fn words_tags_and_drawings_are_left_alone() {
        let html = "<main><a href=\"/CPTS/\" title=\"CPTS\">CPTSX</a> ÉCPTS <svg><text>CPTS</text></svg><abbr title=\"x\">SNP</abbr><select><option>ZIP</option></select> SNP</main>";
        let marked = String::from_utf8(mark_first_uses(html)).expect("UTF-8");
        assert!(
            marked.contains("<a href=\"/CPTS/\" title=\"CPTS\">CPTSX</a> ÉCPTS <svg><text>CPTS</text></svg>"),
            "{marked}"
        );
        assert!(marked.contains("<option>ZIP</option>"), "{marked}");
        assert!(marked.ends_with(" <abbr title=\"soins non programmés\">SNP</abbr></main>"), "{marked}");
        assert_eq!(mark_first_uses("<p>CPTS</p>"), b"<p>CPTS</p>");
    }
}
