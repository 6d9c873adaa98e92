//! The links a content file writes — Markdown `[texte](adresse)` and HTML `href` — with the line
//! and column where each is written, so that render can tell, with the place, which ones lead
//! to no page of the site.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// A link written in a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The address as written (`/contacts/`, `https://…`, `fichier.pdf`).
    pub target: String,
    /// Line in the file (1-based).
    pub line: u32,
    /// Column in the line, in characters (1-based).
    pub column: u32,
}

/// The links of a Markdown text whose first line is line `first_line` of its file: link
/// destinations as the Markdown parser reads them (not those in code), and the `href` of raw
/// HTML.
pub fn in_markdown(markdown: &str, first_line: u32) -> Vec<Link> {
    if !markdown.contains("](") && !markdown.contains("]:") && !markdown.contains("href") {
        return Vec::new();
    }
    let mut links = Vec::new();
    for (event, range) in Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let (line, column) = place(markdown, range.start, first_line);
                links.push(Link { target: dest_url.into_string(), line, column });
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for (at, target) in hrefs(&raw) {
                    let (line, column) = place(markdown, range.start + at, first_line);
                    links.push(Link { target, line, column });
                }
            }
            _ => {}
        }
    }
    links
}

/// The links of a YAML file's Markdown texts, found in its raw text: `](adresse)` and `href`,
/// outside comment lines. (Markdown inside YAML values has no place of its own once decoded.)
pub fn in_yaml(yaml: &str) -> Vec<Link> {
    if !yaml.contains("](") && !yaml.contains("href") {
        return Vec::new();
    }
    let mut links = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut found: Vec<(usize, String)> = hrefs(line);
        let mut rest = 0;
        while let Some(at) = line[rest..].find("](") {
            let start = rest + at + 2;
            let dest = &line[start..];
            let target = match dest.strip_prefix('<') {
                Some(inner) => &inner[..inner.find('>').unwrap_or(inner.len())],
                None => &dest[..dest.find([')', ' ', '"', '\'']).unwrap_or(dest.len())],
            };
            if !target.is_empty() {
                // Placed at its `[`, as in Markdown texts.
                found.push((line[..start - 2].rfind('[').unwrap_or(start), target.to_string()));
            }
            rest = start;
        }
        found.sort();
        for (at, target) in found {
            let column = line[..at].chars().count() as u32 + 1;
            links.push(Link { target, line: i as u32 + 1, column });
        }
    }
    links
}

/// The values of `href` attributes in a piece of HTML, with their byte offsets.
fn hrefs(html: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut rest = 0;
    while let Some(at) = lower[rest..].find("href") {
        let mut i = rest + at + 4;
        rest = i;
        let skip_spaces = |i: &mut usize| {
            while html.as_bytes().get(*i).is_some_and(u8::is_ascii_whitespace) {
                *i += 1;
            }
        };
        skip_spaces(&mut i);
        if html.as_bytes().get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        skip_spaces(&mut i);
        let (start, end) = match html.as_bytes().get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                (start, html[start..].find(q as char).map_or(html.len(), |e| start + e))
            }
            Some(_) => (i, html[i..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(html.len(), |e| i + e)),
            None => continue,
        };
        out.push((start, html[start..end].to_string()));
        rest = end;
    }
    out
}

/// Line (from `first_line`) and column (in characters, 1-based) of byte `at` of `text`.
fn place(text: &str, at: usize, first_line: u32) -> (u32, u32) {
    let before = &text[..at.min(text.len())];
    let line = first_line + before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(links: &[Link]) -> Vec<(&str, u32, u32)> {
        links.iter().map(|l| (l.target.as_str(), l.line, l.column)).collect()
    }

    #[test]
    fn markdown_links_with_their_place() {
        let md = "# Titre\n\nVoir [les contacts](/contacts/) et [ici][ref].\n\n\
                  ```\n[pas un lien](/code/)\n```\n\né <a href=\"/documents/a.pdf\">doc</a>\n\n[ref]: //evil.example/x\n";
        assert_eq!(
            targets(&in_markdown(md, 5)),
            [("/contacts/", 7, 6), ("//evil.example/x", 7, 36), ("/documents/a.pdf", 13, 12)]
        );
        assert!(in_markdown("Rien ici.", 1).is_empty());
    }

    #[test]
    fn yaml_links_outside_comments() {
        let yaml = "presentation: |\n  Voir [la page](/annuaire/x/ \"titre\").\n  # [commenté](/non/)\n# [commenté](/non/)\nb: <a href='/a/'>a</a> [b](</b c/>)\n";
        assert_eq!(targets(&in_yaml(yaml)), [("/annuaire/x/", 2, 8), ("/a/", 5, 13), ("/b c/", 5, 24)]);
    }

    #[test]
    fn hrefs_in_any_quoting() {
        let found: Vec<String> =
            hrefs("<a HREF = \"x\"><a href='y'><a href=z>hrefx").into_iter().map(|(_, h)| h).collect();
        assert_eq!(found, ["x", "y", "z"]);
    }
}
