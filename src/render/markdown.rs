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

/// Deepest nesting of elements kept in rendered Markdown (lists in lists, quotes in quotes, raw
/// HTML elements). Real content stays under ten; the HTML parser behind the sanitiser takes
/// quadratic time on deep nesting (10 000 nested `- ` took seconds), so deeper containers are
/// flattened and deeper raw HTML is shown as text.
pub const MAX_NESTING: usize = 40;

/// Elements without a closing tag: they do not nest.
const VOID: &[&str] = &["br", "hr", "img", "input", "wbr", "meta", "link", "area", "base", "col", "embed", "source"];

/// How raw HTML changes the nesting: +1 per opening tag, -1 per closing tag, and the deepest
/// point reached, relative to the start.
fn html_nesting(raw: &str) -> (isize, isize) {
    let (mut depth, mut deepest) = (0isize, 0isize);
    let bytes = raw.as_bytes();
    for (i, _) in raw.match_indices('<') {
        let closing = bytes.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        let name: String =
            raw[start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth -= 1;
        } else if !raw[start..].split('>').next().unwrap_or("").ends_with('/') {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    (depth, deepest)
}

/// Renders Markdown written by a coordinator. Headings start at level 2 (the page title is the
/// only `h1`). Raw HTML is interpreted, then the whole result goes through an allow-list
/// sanitiser: content cannot inject scripts, event handlers, `javascript:` links, styles or
/// frames. Nesting is bounded by [`MAX_NESTING`].
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let mut in_code = false;
    // Markdown containers open, whether each was kept, and raw HTML elements open.
    let mut kept: Vec<bool> = Vec::new();
    let mut open_kept = 0usize;
    let mut html_depth: isize = 0;
    let events = Parser::new_ext(markdown, options).filter_map(move |event| {
        let depth = open_kept + html_depth.max(0) as usize;
        match &event {
            Event::Start(_) => {
                kept.push(depth < MAX_NESTING);
                if depth >= MAX_NESTING {
                    return None;
                }
                open_kept += 1;
            }
            Event::End(_) => {
                if !kept.pop().unwrap_or(true) {
                    return None;
                }
                open_kept = open_kept.saturating_sub(1);
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let (change, deepest) = html_nesting(raw);
                if depth as isize + deepest > MAX_NESTING as isize {
                    return Some(Event::Text(raw.clone()));
                }
                html_depth += change;
            }
            _ => {}
        }
        Some(event)
    });
    let events = events.map(|event| match event {
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
    fn deep_nesting_is_bounded() {
        // 10 000 nested list items: flattened past MAX_NESTING, the text is kept.
        let html = to_html(&("- ".repeat(10_000) + "fond"));
        assert_eq!(html.matches("<ul>").count(), MAX_NESTING / 2, "{html}");
        assert!(html.contains("fond"));
        let html = to_html(&("> ".repeat(10_000) + "fond"));
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING, "{html}");
        // Raw HTML nested too deep is shown as text, not parsed.
        let html = to_html(&"<div><blockquote>".repeat(5_000));
        assert!(html.matches("<blockquote>").count() <= MAX_NESTING, "{html}");
        assert!(html.contains("&lt;blockquote&gt;"), "{html}");
        // Ordinary nesting is untouched, and so are void and self-closing elements.
        let html = to_html("- a\n  - b\n    - c\n\n<details><summary>x<br>y<br/></summary>\n\nz\n\n</details>\n");
        assert_eq!(html.matches("<ul>").count(), 3, "{html}");
        assert!(html.contains("<details><summary>x<br>y<br></summary>"), "{html}");
        assert_eq!(html_nesting("<a><br><img src=x/><b/></a><p>"), (1, 1));
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(to_inline_html("*un* mot"), "<em>un</em> mot");
    }
}
