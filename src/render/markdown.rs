//! Markdown to HTML, with the French typography pass on text, then an allow-list sanitiser
//! (ammonia) over the result: the simple HTML a coordinator may write is kept, anything that
//! could run code or load from another host is removed.

use super::escape::escape_html;
use super::text::typo;
use crate::domain::markdown::{
    ALLOWED_TAGS, ATTRIBUTES, GENERIC_ATTRIBUTES, REMOVED_WITH_CONTENT, URL_SCHEMES, is_remote, options,
};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The sanitiser, built once from the allow-list of [`crate::domain::markdown`]. Links get
/// `rel="noopener noreferrer"` (ammonia's default); no attribute but the listed ones survives, so
/// no event handler and no inline style.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let attributes: HashMap<&str, HashSet<&str>> =
        ATTRIBUTES.iter().map(|(tag, attrs)| (*tag, attrs.iter().copied().collect())).collect();
    let mut b = ammonia::Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
        .tag_attributes(attributes)
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
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

/// An image of a Markdown text, as the function that draws it receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdImage {
    /// Source as written: a path under `content/static/` (or another site's address).
    pub src: String,
    /// Alternative text.
    pub alt: String,
    /// Title, the caption of an image standing alone.
    pub title: Option<String>,
    /// Where the image leads when it is the whole of a link (a video's poster).
    pub link: Option<String>,
    /// Alone in its paragraph: drawn as a block (a figure), not inside a line of text.
    pub block: bool,
}

/// Marks the place of an image in the text until the sanitiser has run (characters of the
/// private use area, removed from the text beforehand).
const MARK_OPEN: char = '\u{E000}';
const MARK_CLOSE: char = '\u{E001}';

/// Renders an optional Markdown text of a YAML file (see [`to_html`]).
pub fn field_html(text: &Option<crate::model::S<String>>) -> Option<String> {
    text.as_ref().map(|t| to_html(&t.value))
}

/// Renders Markdown written by a coordinator, without images of the site (a short text of a YAML
/// file: `check` warns when one has some). See [`to_html_with`].
pub fn to_html(markdown: &str) -> String {
    to_html_with(markdown, "", &|_| None)
}

/// Renders Markdown written by a coordinator. Headings start at level 2 (the page title is the
/// only `h1`). Raw HTML is interpreted, then the whole result goes through an allow-list
/// sanitiser: content cannot inject scripts, event handlers, `javascript:` links, styles or
/// frames. Nesting is bounded by [`MAX_NESTING`]. Images are drawn by `draw` (the page's image
/// variants); an image of another site becomes a link to it, and nothing is loaded from there.
/// Tables are wrapped in a region that scrolls sideways on a narrow screen. `prefix` is the
/// site's path under its host (`/nord`, empty at the root): a root-relative link written without
/// it (`/contacts/`, which the link check reads as the site's page) is published with it.
pub fn to_html_with(markdown: &str, prefix: &str, draw: &dyn Fn(&MdImage) -> Option<String>) -> String {
    let cleaned;
    let markdown = if markdown.contains([MARK_OPEN, MARK_CLOSE]) {
        cleaned = markdown.replace([MARK_OPEN, MARK_CLOSE], "");
        cleaned.as_str()
    } else {
        markdown
    };
    let mut in_code = false;
    // Markdown containers open, whether each was kept, and raw HTML elements open.
    let mut kept: Vec<bool> = Vec::new();
    let mut open_kept = 0usize;
    let mut html_depth: isize = 0;
    let events: Vec<Event> = Parser::new_ext(markdown, options())
        .filter_map(move |event| {
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
        })
        .collect();
    let (events, images) = mark_images(events);
    let events = events.into_iter().map(|event| match event {
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
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: with_prefix(dest_url, prefix), title, id })
        }
        Event::Text(t) if !in_code => Event::Text(CowStr::from(typo(&t))),
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    let html = sanitize(&raw);
    let html = if images.is_empty() { html } else { place_images(&html, &images, draw) };
    scrolling_tables(&html)
}

/// A root-relative link (`/contacts/`, not `//host`) with the site's path prefix, unless it
/// already starts with it.
fn with_prefix<'a>(url: CowStr<'a>, prefix: &str) -> CowStr<'a> {
    let root_relative = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
    let has_prefix = url.strip_prefix(prefix).is_some_and(|r| r.is_empty() || r.starts_with(['/', '?', '#']));
    if prefix.is_empty() || !root_relative || has_prefix { url } else { CowStr::from(format!("{prefix}{url}")) }
}

/// Replaces each image (alone, or the whole of a link; alone in its paragraph or not) by a mark
/// the sanitiser leaves alone, and returns the images in the order of their marks.
fn mark_images(events: Vec<Event>) -> (Vec<Event>, Vec<MdImage>) {
    if !events.iter().any(|e| matches!(e, Event::Start(Tag::Image { .. }))) {
        return (events, Vec::new());
    }
    let mut out = Vec::with_capacity(events.len());
    let mut images = Vec::new();
    let mut i = 0;
    while i < events.len() {
        // An image, possibly the whole of a link, possibly alone in its paragraph.
        let in_paragraph = matches!(events[i], Event::Start(Tag::Paragraph));
        let start = i + usize::from(in_paragraph);
        if let Some((mut image, next)) = image_at(&events, start) {
            let alone = in_paragraph && matches!(events.get(next), Some(Event::End(TagEnd::Paragraph)));
            if in_paragraph && !alone {
                out.push(events[i].clone());
            }
            image.block = alone;
            out.push(Event::Text(CowStr::from(format!("{MARK_OPEN}{}{MARK_CLOSE}", images.len()))));
            images.push(image);
            i = next + usize::from(alone);
            continue;
        }
        out.push(events[i].clone());
        i += 1;
    }
    (out, images)
}

/// The image (or linked image) starting at event `i`, and the index of the event after it.
fn image_at(events: &[Event], i: usize) -> Option<(MdImage, usize)> {
    let (link, i) = match events.get(i)? {
        Event::Start(Tag::Link { dest_url, .. }) => (Some(dest_url.to_string()), i + 1),
        _ => (None, i),
    };
    let Event::Start(Tag::Image { dest_url, title, .. }) = events.get(i)? else { return None };
    let mut alt = String::new();
    let mut j = i + 1;
    loop {
        match events.get(j)? {
            Event::End(TagEnd::Image) => break,
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
        j += 1;
    }
    let mut next = j + 1;
    if link.is_some() {
        if !matches!(events.get(next), Some(Event::End(TagEnd::Link))) {
            return None;
        }
        next += 1;
    }
    let title = (!title.is_empty()).then(|| title.to_string());
    Some((MdImage { src: dest_url.to_string(), alt, title, link, block: false }, next))
}

/// Puts each image where its mark is: drawn by `draw`, else (another site's image, or one the
/// text cannot show) as a link, or left out.
fn place_images(html: &str, images: &[MdImage], draw: &dyn Fn(&MdImage) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + images.len() * 600);
    let mut rest = html;
    while let Some(open) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        let Some(close) = after.find(MARK_CLOSE) else {
            rest = after;
            continue;
        };
        if let Some(image) = after[..close].parse::<usize>().ok().and_then(|n| images.get(n)) {
            let target = image.link.as_deref().or_else(|| is_remote(&image.src).then_some(image.src.as_str()));
            match draw(image).filter(|_| !is_remote(&image.src)) {
                Some(drawn) => out.push_str(&drawn),
                None => {
                    if let Some(url) = target.filter(|u| safe_link(u)) {
                        let text = if image.alt.trim().is_empty() { url } else { image.alt.as_str() };
                        out.push_str(&format!(
                            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                            escape_html(url),
                            escape_html(&typo(text))
                        ));
                    }
                }
            }
        }
        rest = &after[close + MARK_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Whether a link may be published: a relative address, or one of [`URL_SCHEMES`].
pub fn safe_link(url: &str) -> bool {
    let u = url.trim();
    match u.split_once(':') {
        Some((scheme, _)) if !u.starts_with('/') && !scheme.contains(['/', '?', '#']) => {
            URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
        }
        _ => true,
    }
}

/// Wraps every table in a region that scrolls sideways when the table is wider than the screen:
/// keyboard users reach it (`tabindex`), screen readers hear its name (from its column headings).
fn scrolling_tables(html: &str) -> String {
    if !html.contains("<table>") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 200);
    let mut rest = html;
    while let Some(start) = rest.find("<table>") {
        out.push_str(&rest[..start]);
        let table = &rest[start..];
        let end = table.find("</table>").map_or(table.len(), |e| e + "</table>".len());
        let headings: Vec<String> = table[..end]
            .split("<th")
            .skip(1)
            .map(|cell| cell.split_once('>').map_or("", |(_, c)| c).split("</th>").next().unwrap_or(""))
            .map(|cell| strip_tags(cell).trim().replace('"', "&quot;"))
            .filter(|t| !t.is_empty())
            .take_while({
                let first_row_end = table.find("</tr>").unwrap_or(end);
                let mut seen = 0usize;
                let row: Vec<usize> = table[..first_row_end].match_indices("<th").map(|(k, _)| k).collect();
                move |_| {
                    seen += 1;
                    seen <= row.len()
                }
            })
            .collect();
        let label =
            if headings.is_empty() { "Tableau".to_string() } else { format!("Tableau\u{a0}: {}", headings.join(", ")) };
        out.push_str(&format!("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">"));
        out.push_str(&table[..end]);
        out.push_str("</div>");
        rest = &table[end..];
    }
    out.push_str(rest);
    out
}

/// The text of an HTML fragment, tags removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
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
    fn images_are_drawn_in_place_and_other_sites_images_become_links() {
        let draw = |i: &MdImage| Some(format!("[{}|{}|{}|{:?}|{:?}]", i.src, i.alt, i.block, i.title, i.link));
        let html = to_html_with(
            "![Seule](images/a.png \"Légende\")\n\nTexte ![dans](images/b.png) la ligne.\n\n\
             [![Affiche](images/c.png)](https://tube.example/v)\n\n![Ailleurs](https://cdn.example/x.png)\n",
            "",
            &draw,
        );
        assert!(html.starts_with("[images/a.png|Seule|true|Some(\"Légende\")|None]"), "{html}");
        assert!(html.contains("<p>Texte [images/b.png|dans|false|None|None] la ligne.</p>"), "{html}");
        assert!(html.contains("[images/c.png|Affiche|true|None|Some(\"https://tube.example/v\")]"), "{html}");
        // Never drawn from another site: a link to it, with its text.
        assert!(
            html.contains("<a href=\"https://cdn.example/x.png\" rel=\"noopener noreferrer\">Ailleurs</a>"),
            "{html}"
        );
        // Without a way to draw them (a YAML text), local images are left out, links kept.
        let html = to_html("![Seule](images/a.png)\n\n[![Affiche](images/c.png)](javascript:alert(1))\n");
        assert!(!html.contains("images/") && !html.contains("javascript"), "{html}");
        // The marks cannot be forged by the text.
        let html = to_html_with("Texte \u{E000}0\u{E001} ![x](images/a.png)", "", &draw);
        assert_eq!(html.matches("[images/a.png").count(), 1, "{html}");
        assert!(!html.contains('\u{E000}'), "{html}");
    }

    #[test]
    fn root_relative_links_take_the_sites_path() {
        let html = to_html_with(
            "[a](/contacts/) [b](/nord/soins/) [c](//autre.example/) [d](https://x.example/) [e](page/) [f](/nord)",
            "/nord",
            &|_| None,
        );
        for href in ["/nord/contacts/", "/nord/soins/", "//autre.example/", "https://x.example/", "page/", "/nord\""] {
            assert!(html.contains(&format!("href=\"{href}")), "{href} : {html}");
        }
        assert!(!html.contains("/nord/nord"), "{html}");
        assert!(to_html("[a](/contacts/)").contains("href=\"/contacts/\""));
    }

    #[test]
    fn tables_scroll_in_a_named_region() {
        let html = to_html("| Quand | Où |\n|---|---|\n| Lundi | Le Luc |\n");
        assert!(
            html.starts_with("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Tableau\u{a0}: Quand, Où\"><table>"),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</table></div>"), "{html}");
        assert!(
            safe_link("/annuaire/") && safe_link("https://a.fr") && !safe_link("javascript:x") && !safe_link(" DATA:x")
        );
    }

    #[test]
    fn inline_drops_the_paragraph() {
        assert_eq!(to_inline_html("*un* mot"), "<em>un</em> mot");
    }
}
