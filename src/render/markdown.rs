//! Markdown to HTML, with the French typography pass on text, then an allow-list sanitiser
//! (ammonia) over the result: the simple HTML a coordinator may write is kept, anything that
//! could run code or load from another host is removed.

use super::text::typo;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Tags kept in rendered Markdown, whether written in Markdown or as raw HTML. No `img` (an
/// image goes in the `image` key, with its alternative text checked), no `script`, `style`,
/// `iframe`, `object`, `embed` or `form`.
const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "a",
    "ul",
    "ol",
    "li",
    "abbr",
    "sup",
    "sub",
    "small",
    "span",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "details",
    "summary",
    "figure",
    "figcaption",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
    "pre",
];

/// Tags removed together with everything inside them.
const REMOVED_WITH_CONTENT: &[&str] = &["script", "style", "iframe", "object", "template"];

/// URL schemes allowed in links; relative links (`/annuaire/`) are kept as they are.
const URL_SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

/// The sanitiser, built once. Links get `rel="noopener noreferrer"` (ammonia's default); no
/// attribute but the listed ones survives, so no event handler and no inline style.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let attributes: HashMap<&str, HashSet<&str>> = [
        ("a", &["href", "title", "hreflang"][..]),
        ("abbr", &["title"][..]),
        ("ol", &["start"][..]),
        ("th", &["colspan", "rowspan", "scope"][..]),
        ("td", &["colspan", "rowspan"][..]),
        ("details", &["open"][..]),
    ]
    .into_iter()
    .map(|(tag, attrs)| (tag, attrs.iter().copied().collect()))
    .collect();
    let mut b = ammonia::Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(attributes)
        .generic_attributes(["lang"].into_iter().collect())
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .strip_comments(true);
    b
});

/// Renders Markdown written by a coordinator. Headings start at level 2 (the page title is the
/// only `h1`). Raw HTML is interpreted, then the whole result goes through an allow-list
/// sanitiser: content cannot inject scripts, event handlers, `javascript:` links, styles or
/// frames.
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
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    sanitize(&raw)
}

/// Cleans an HTML fragment with the allow-list. The serialiser writes no-break spaces as
/// `&nbsp;`; they are put back as characters, like the typography pass writes them (a `&nbsp;`
/// typed as text is escaped as `&amp;nbsp;`, so nothing else is changed).
fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string().replace("&nbsp;", "\u{a0}")
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
    fn scripts_handlers_and_frames_are_removed() {
        let html = to_html(
            "Bonjour <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
             <iframe src=\"https://pub.example\">x</iframe>\n\n<style>p{color:red}</style>\n\n\
             <p onclick=\"alert(2)\" style=\"color:red\">para</p>\n\n\
             <object data=\"a.swf\"></object><embed src=\"b.swf\"><form action=\"/x\"><input name=q></form>\n",
        );
        for bad in ["<script", "alert(1)", "<img", "onerror", "<iframe", "<style", "color:red", "onclick", "<object"] {
            assert!(!html.contains(bad), "{bad} dans {html}");
        }
        for bad in ["<embed", "<form", "<input", "alert(2)"] {
            assert!(!html.contains(bad), "{bad} dans {html}");
        }
        assert!(html.contains("<p>para</p>"), "{html}");
        assert!(html.contains("Bonjour"), "{html}");
    }

    #[test]
    fn javascript_links_lose_their_target() {
        for md in [
            "[clic](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">clic</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">clic</a>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">clic</a>",
            "<a href=\"vbscript:x\">clic</a>",
        ] {
            let html = to_html(md);
            let lower = html.to_ascii_lowercase();
            assert!(!lower.contains("javascript") && !lower.contains("data:") && !lower.contains("vbscript"), "{html}");
            assert!(html.contains("clic"), "{html}");
        }
    }

    #[test]
    fn allowed_markup_is_kept() {
        let md = "<abbr title=\"Communauté professionnelle territoriale de santé\">CPTS</abbr> \
                  H<sub>2</sub>O, 1<sup>er</sup>, <small>petit</small>, <span lang=\"en\">burn-out</span>\n\n\
                  <details><summary>Plus</summary>\n\nTexte caché.\n\n</details>\n\n\
                  <table><tr><th scope=\"col\">a</th></tr><tr><td colspan=\"2\">b</td></tr></table>\n\n\
                  <a href=\"https://exemple.fr\" title=\"Exemple\">lien</a> et [interne](/annuaire/)\n";
        let html = to_html(md);
        for good in [
            "<abbr title=\"Communauté professionnelle territoriale de santé\">CPTS</abbr>",
            "<sub>2</sub>",
            "<sup>er</sup>",
            "<small>petit</small>",
            "<span lang=\"en\">burn-out</span>",
            "<details><summary>Plus</summary>",
            "<th scope=\"col\">a</th>",
            "<td colspan=\"2\">b</td>",
            "href=\"https://exemple.fr\"",
            "title=\"Exemple\"",
            "rel=\"noopener noreferrer\"",
            "href=\"/annuaire/\"",
        ] {
            assert!(html.contains(good), "{good} absent de {html}");
        }
    }

    #[test]
    fn markdown_structures_survive_the_sanitiser() {
        let html =
            to_html("## T\n\n- a\n- b\n\n1. c\n\n> cité\n\n```\ncode <b>\n```\n\n~~barré~~ **gras** *it*\n\n---\n");
        for good in [
            "<h2>T</h2>",
            "<li>a</li>",
            "<ol>",
            "<blockquote>",
            "<pre><code>code &lt;b&gt;",
            "<del>barré</del>",
            "<strong>gras</strong>",
            "<em>it</em>",
            "<hr>",
        ] {
            assert!(html.contains(good), "{good} absent de {html}");
        }
    }

    #[test]
    fn headings_start_at_h2_and_typography_applies() {
        let html = to_html("# Titre\n\nDépistage : gratuit !\n\n`a:b`\n");
        assert!(html.contains("<h2>Titre</h2>"), "{html}");
        assert!(html.contains("Dépistage\u{a0}: gratuit\u{202f}!"), "{html}");
        assert!(html.contains("<code>a:b</code>"), "{html}");
        assert!(!html.contains("&nbsp;"), "{html}");
    }

    #[test]
    fn typed_entities_stay_escaped() {
        let html = to_html("`&nbsp;` et &amp;nbsp; et 3 < 4 & 5 > 2\n");
        assert!(html.contains("<code>&amp;nbsp;</code>"), "{html}");
        assert!(html.contains("&amp;nbsp;"), "{html}");
        assert!(html.contains("3 &lt; 4 &amp; 5 &gt; 2"), "{html}");
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(to_inline_html("*un* mot"), "<em>un</em> mot");
    }
}
