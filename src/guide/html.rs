//! The guide as web pages, for `maillage serve`: one page per topic and the list of topics, plain
//! accessible HTML with its own small stylesheet (nothing loaded from elsewhere, no script).
//! Headings get the anchors GitHub gives them, so that links written between the Markdown files
//! work on both; the sections of error codes also answer to the code (`#m013`).

use super::{PATH, TOPICS, Topic};
use crate::render::escape::escape_html;
use crate::render::text::typo;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// The page at `rest`, the part of the path after [`PATH`]: `""` for the list of topics,
/// `membres/` for a topic. `home` is the address of the site's home page, for the way back.
pub fn page(rest: &str, home: &str) -> Option<String> {
    if rest.is_empty() || rest == "index.html" {
        return Some(layout("Le guide du coordinateur", None, &index(), home));
    }
    let slug = rest.strip_suffix('/').or_else(|| rest.strip_suffix("/index.html"))?;
    let topic = TOPICS.iter().find(|t| t.slug == slug)?;
    Some(layout(&topic.title(), Some(topic.slug), &body(topic), home))
}

/// The list of topics, with what each covers.
fn index() -> String {
    let mut out = String::from(
        "<h1>Le guide du coordinateur</h1>\n<p>Tout ce qu’il faut pour tenir le site de la CPTS : chaque fichier et chaque clé, les commandes, les messages d’erreur. Le même guide s’affiche dans le terminal avec <code>maillage aide SUJET</code>.</p>\n<ul class=\"sujets\">\n",
    );
    for t in TOPICS {
        out.push_str(&format!("<li><a href=\"{PATH}{}/\">{}</a></li>\n", t.slug, escape_html(&typo(&t.title()))));
    }
    out.push_str("</ul>\n");
    out
}

/// A topic's Markdown as HTML.
fn body(topic: &Topic) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events: Vec<Event<'_>> = Parser::new_ext(topic.markdown, options).collect();
    let mut used: Vec<String> = Vec::new();
    let mut in_code = false;
    let mut link_kept: Vec<bool> = Vec::new();
    let mut out_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let event = std::mem::replace(&mut events[i], Event::SoftBreak);
        match event {
            Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
                let text = heading_text(&events[i + 1..]);
                let id = unique(anchor(&text), &mut used);
                if let Some(code) = code_of(&text) {
                    out_events.push(Event::Html(CowStr::from(format!("<span id=\"{code}\"></span>"))));
                }
                out_events.push(Event::Start(Tag::Heading { level, id: Some(CowStr::from(id)), classes, attrs }));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                out_events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                out_events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(t) if !in_code => out_events.push(Event::Text(CowStr::from(typo(&t)))),
            Event::Start(Tag::Table(alignments)) => {
                out_events.push(Event::Html(CowStr::from(
                    "<div class=\"tableau\" role=\"region\" aria-label=\"Tableau\" tabindex=\"0\">",
                )));
                out_events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                out_events.push(Event::End(TagEnd::Table));
                out_events.push(Event::Html(CowStr::from("</div>")));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => match link_target(&dest_url) {
                Some(url) => {
                    link_kept.push(true);
                    out_events.push(Event::Start(Tag::Link { link_type, dest_url: CowStr::from(url), title, id }));
                }
                None => link_kept.push(false),
            },
            Event::End(TagEnd::Link) => {
                if link_kept.pop().unwrap_or(false) {
                    out_events.push(Event::End(TagEnd::Link));
                }
            }
            other => out_events.push(other),
        }
        i += 1;
    }
    let mut out = String::new();
    html::push_html(&mut out, out_events.into_iter());
    // A code block wider than the screen scrolls: it must be reachable from the keyboard.
    out.replace("<pre>", "<pre tabindex=\"0\">")
}

/// Where a link of the guide goes in the served guide: another topic (`membres.md#lieu` →
/// `/_guide/membres/#lieu`), an anchor of this page, or a web address; `None` for a file of the
/// repository the server does not serve (the link becomes plain text).
fn link_target(url: &str) -> Option<String> {
    if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("mailto:") || url.starts_with('#') {
        return Some(url.to_string());
    }
    let (file, anchor) = url.split_once('#').map_or((url, None), |(f, a)| (f, Some(a)));
    let slug = file.strip_suffix(".md")?;
    let topic = TOPICS.iter().find(|t| t.slug == slug)?;
    Some(match anchor {
        Some(a) => format!("{PATH}{}/#{a}", topic.slug),
        None => format!("{PATH}{}/", topic.slug),
    })
}

/// The text of the heading that starts the events.
fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    text
}

/// The anchor GitHub gives a heading: lower case, letters (accents kept), digits, spaces turned
/// into dashes, `-` and `_` kept, everything else dropped.
pub fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// `anchor`, or `anchor-1`, `anchor-2`… when a heading of the page already has it, as GitHub does.
fn unique(anchor: String, used: &mut Vec<String>) -> String {
    let mut candidate = anchor.clone();
    let mut n = 0;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{anchor}-{n}");
    }
    used.push(candidate.clone());
    candidate
}

/// The code of a heading `M013 — clé inconnue`, lower case (`m013`).
fn code_of(heading: &str) -> Option<String> {
    let code = heading.split_whitespace().next()?;
    let is_code = code.len() == 4 && code.starts_with('M') && code[1..].bytes().all(|b| b.is_ascii_digit());
    is_code.then(|| code.to_lowercase())
}

/// The page around a content: the way back to the site, the list of topics, the content.
fn layout(title: &str, current: Option<&str>, content: &str, home: &str) -> String {
    let mut nav = String::new();
    for t in TOPICS {
        let here = if current == Some(t.slug) { " aria-current=\"page\"" } else { "" };
        nav.push_str(&format!("<li><a href=\"{PATH}{}/\"{here}>{}</a></li>", t.slug, escape_html(&typo(&t.title()))));
    }
    let title = escape_html(&typo(title));
    let home = escape_html(home);
    format!(
        "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} — Guide du coordinateur — Maillage</title>\n<meta name=\"description\" content=\"Guide du coordinateur d’un site Maillage\u{a0}: {title}\">\n<style>{STYLE}</style>\n</head>\n<body>\n<a class=\"evitement\" href=\"#contenu\">Aller au contenu</a>\n<header><p><a href=\"{PATH}\">Guide du coordinateur</a> · <a href=\"{home}\">Retour au site</a></p></header>\n<div class=\"cadre\">\n<main id=\"contenu\" tabindex=\"-1\">\n{content}</main>\n<nav aria-label=\"Sujets du guide\"><h2>Sujets</h2><ul>{nav}</ul></nav>\n</div>\n</body>\n</html>\n"
    )
}

/// The guide's stylesheet: readable on a phone, contrasts above 4.5:1, visible focus.
const STYLE: &str = "
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#fff}
a{color:#0a4fa6}
a:focus-visible,[tabindex]:focus-visible{outline:3px solid #b34000;outline-offset:2px}
.evitement{position:absolute;left:-999px}
.evitement:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:1}
header{background:#0a3d7a;color:#fff;padding:.5rem 1rem}
header p{margin:0}
header a{color:#fff}
.cadre{max-width:72rem;margin:0 auto;padding:0 1rem 2rem}
main{min-width:0;max-width:48rem}
h1{font-size:1.75rem;line-height:1.25}
h2{font-size:1.35rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1.1rem;margin-top:1.5rem}
code{font-family:ui-monospace,Consolas,monospace;font-size:.92em;background:#f1f3f6;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
pre{background:#f1f3f6;padding:.75rem;overflow-x:auto;border-radius:4px}
pre code{padding:0;overflow-wrap:normal}
.tableau{overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;font-size:.95rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e9eef5}
td code{overflow-wrap:normal}
td:first-child code{white-space:nowrap}
.sujets li{margin:.5rem 0}
nav h2{font-size:1.1rem}
nav ul{padding-left:1.2rem}
nav a[aria-current]{font-weight:bold;color:#1b1b1b}
@media (min-width:60rem){.cadre{display:flex;gap:2rem;flex-direction:row-reverse;justify-content:flex-end}nav{flex:0 0 15rem}}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_those_of_github() {
        assert_eq!(anchor("Clés principales"), "clés-principales");
        assert_eq!(anchor("membres/ — professionnels et structures"), "membres--professionnels-et-structures");
        assert_eq!(anchor("M013 — clé inconnue"), "m013--clé-inconnue");
        let mut used = Vec::new();
        assert_eq!(unique("exemple".into(), &mut used), "exemple");
        assert_eq!(unique("exemple".into(), &mut used), "exemple-1");
    }

    #[test]
    fn links_between_topics_follow_the_served_guide() {
        assert_eq!(link_target("blocs.md#lieu").as_deref(), Some("/_guide/blocs/#lieu"));
        assert_eq!(link_target("membres.md").as_deref(), Some("/_guide/membres/"));
        assert_eq!(link_target("#exemple").as_deref(), Some("#exemple"));
        assert_eq!(link_target("../themes.md"), None);
    }

    #[test]
    fn every_topic_is_a_page_and_codes_have_their_anchor() {
        for t in TOPICS {
            let html = page(&format!("{}/", t.slug), "/").expect("page");
            assert!(html.contains("<html lang=\"fr\">") && html.contains("aria-current=\"page\""), "{}", t.slug);
        }
        let errors = page("erreurs/", "/").unwrap_or_default();
        assert!(errors.contains("<span id=\"m013\"></span>"), "M013");
        assert!(page("inconnu/", "/").is_none());
    }
}
