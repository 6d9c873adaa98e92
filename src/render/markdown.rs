//! Markdown to HTML, with the French typography pass on text and raw HTML kept as text.

use super::text::typo;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Renders Markdown written by a coordinator. Headings start at level 2 (the page title is the
/// only `h1`); raw HTML is shown as text rather than interpreted, so content cannot inject markup.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let mut in_code = false;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::CodeBlock(kind)) => {
            in_code = true;
            Event::Start(Tag::CodeBlock(kind))
        }
        Event::End(TagEnd::CodeBlock) => {
            in_code = false;
            Event::End(TagEnd::CodeBlock)
        }
        Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => Event::End(TagEnd::Heading(HeadingLevel::H2)),
        Event::Text(t) if !in_code => Event::Text(CowStr::from(typo(&t))),
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Renders a short Markdown text that should stay inline (no wrapping paragraph).
pub fn to_inline_html(markdown: &str) -> String {
    let html = to_html(markdown);
    let trimmed = html.trim_end();
    match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_stays_text() {
        let html = to_html("Bonjour <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn headings_start_at_h2_and_typography_applies() {
        let html = to_html("# Titre\n\nDépistage : gratuit !\n\n`a:b`\n");
        assert!(html.contains("<h2>Titre</h2>"), "{html}");
        assert!(html.contains("Dépistage\u{a0}: gratuit\u{202f}!"), "{html}");
        assert!(html.contains("<code>a:b</code>"), "{html}");
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(to_inline_html("*un* mot"), "<em>un</em> mot");
    }
}
