//! Abbreviations expanded at their first use: in a rendered page's `<main>`, the first time each
//! abbreviation of the glossary ([`crate::domain::glossary`]) appears in the text, it becomes
//! `<abbr title="what it stands for">…</abbr>`. Text inside tags that cannot hold an `<abbr>`
//! (`svg`, `script`, `style`, `option`, `textarea`, `title`) or already inside one is left alone.

use crate::domain::glossary::abbreviation;
use crate::render::escape::escape_html;

/// Elements whose text is never marked (their content cannot hold an `<abbr>`, or already is one).
const SKIPPED: [&str; 7] = ["svg", "script", "style", "option", "textarea", "title", "abbr"];

/// The page with the first use of each abbreviation of its `<main>` marked. A page with no
/// abbreviation to mark is given back as it is; tag names are compared without allocating.
pub fn mark_first_uses(html: String) -> String {
    let (Some(start), Some(end)) = (html.find("<main"), html.rfind("</main>")) else {
        return html;
    };
    let mut out = String::new();
    // How much of `html` is already in `out`; nothing is copied until a first word is marked.
    let mut copied = 0;
    let mut seen: Vec<&'static str> = Vec::new();
    let mut skipped_depth = 0usize;
    let mut at = start;
    while at < end {
        let rest = &html[at..end];
        if rest.starts_with('<') {
            let tag_end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..tag_end];
            let closing = tag.starts_with("</");
            let name = tag.trim_start_matches(['<', '/']);
            let name = &name[..name.bytes().take_while(u8::is_ascii_alphanumeric).count()];
            if SKIPPED.iter().any(|s| s.eq_ignore_ascii_case(name)) && !tag.ends_with("/>") {
                skipped_depth = if closing { skipped_depth.saturating_sub(1) } else { skipped_depth + 1 };
            }
            at += tag_end;
            continue;
        }
        let text_end = rest.find('<').unwrap_or(rest.len());
        if skipped_depth == 0 {
            mark_text(&html, at, at + text_end, &mut seen, &mut copied, &mut out);
        }
        at += text_end;
    }
    if copied == 0 {
        return html;
    }
    out.push_str(&html[copied..]);
    out
}

/// Marks, in `html[from..to]` (a run of text), the words of the glossary not yet in `seen`:
/// `out` receives `html` up to each marked word (from `copied`, which then moves past the word).
fn mark_text(html: &str, from: usize, to: usize, seen: &mut Vec<&'static str>, copied: &mut usize, out: &mut String) {
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
            if out.is_empty() {
                out.reserve(html.len() + 256);
            }
            out.push_str(&html[*copied..from + i]);
            out.push_str("<abbr title=\"");
            out.push_str(&escape_html(entry.long));
            out.push_str("\">");
            out.push_str(word);
            out.push_str("</abbr>");
            *copied = from + i + len;
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
        let marked = mark_first_uses(html.to_string());
        assert_eq!(
            marked,
            "<title>CPTS</title><nav>CPTS</nav><main><h1>La <abbr title=\"communauté professionnelle territoriale de santé\">CPTS</abbr> et le <abbr title=\"dispositif d’appui à la coordination\">DAC</abbr></h1><p>La CPTS, l’<abbr title=\"agence régionale de santé\">ARS</abbr>.</p></main><footer>CPTS</footer>"
        );
    }

    #[test]
    fn words_tags_and_drawings_are_left_alone() {
        let html = "<main><a href=\"/CPTS/\" title=\"CPTS\">CPTSX</a> ÉCPTS <svg><text>CPTS</text></svg><abbr title=\"x\">SNP</abbr><select><option>ZIP</option></select> SNP</main>";
        let marked = mark_first_uses(html.to_string());
        assert!(
            marked.contains("<a href=\"/CPTS/\" title=\"CPTS\">CPTSX</a> ÉCPTS <svg><text>CPTS</text></svg>"),
            "{marked}"
        );
        assert!(marked.contains("<option>ZIP</option>"), "{marked}");
        assert!(marked.ends_with(" <abbr title=\"soins non programmés\">SNP</abbr></main>"), "{marked}");
        assert_eq!(mark_first_uses("<p>CPTS</p>".to_string()), "<p>CPTS</p>");
    }
}
