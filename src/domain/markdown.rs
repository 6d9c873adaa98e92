//! What Maillage publishes of the Markdown coordinators write: the HTML it keeps (an allow-list
//! that the renderer applies and the check stage explains), the images a text shows, and what it
//! leaves out. [`inspect`] reads a text once and says both, with the line of each, so that
//! nothing is dropped without a warning.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Parser options of every Markdown text: tables, strikethrough, typographic quotes.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION
}

/// Tags kept in rendered Markdown, whether written in Markdown or as raw HTML. No `img` (images
/// are written `![texte](images/…)`, with their alternative text checked), no `script`, `style`,
/// `iframe`, `object`, `embed`, `video` or `form`.
pub const ALLOWED_TAGS: &[&str] = &[
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
pub const REMOVED_WITH_CONTENT: &[&str] = &["script", "style", "iframe", "object", "template"];

/// URL schemes allowed in links; relative links (`/annuaire/`) are kept as they are.
pub const URL_SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

/// Attributes kept, by tag.
pub const ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "title", "hreflang"]),
    ("abbr", &["title"]),
    ("ol", &["start"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("td", &["colspan", "rowspan"]),
    ("details", &["open"]),
];

/// Attributes kept on any tag.
pub const GENERIC_ATTRIBUTES: &[&str] = &["lang"];

/// An image a Markdown text shows: `![texte](images/affiche.jpg "légende")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageUse {
    /// Line of the text where it is written (1 for the first).
    pub line: u32,
    /// Path under `content/static/` (a leading `/` is dropped: `/images/a.jpg` is `images/a.jpg`).
    pub src: String,
    /// Alternative text, as written.
    pub alt: String,
    /// Title, shown as a caption when the image stands alone in its paragraph.
    pub title: Option<String>,
    /// Where the image leads when it is the whole of a link: a video's poster, for instance.
    pub link: Option<String>,
}

/// Something of a Markdown text Maillage does not publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// Line of the text where it is written (1 for the first).
    pub line: u32,
    /// What, in French.
    pub what: String,
    /// What to write instead, in French.
    pub hint: &'static str,
}

/// What [`inspect`] finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    /// Images of the site (`static/`) the text shows.
    pub images: Vec<ImageUse>,
    /// What is left out.
    pub dropped: Vec<Dropped>,
}

/// How to write a video, the hint of every frame and video tag.
pub const VIDEO_HINT: &str = "pour une vidéo, écrivez un lien dont le texte est une image de la vidéo tirée de content/static/ : [![Affiche de la vidéo](images/affiche-video.jpg)](https://www.youtube.com/watch?v=…) ; aucun lecteur d’un autre site n’est intégré aux pages";

/// Whether an image source is on another site.
pub fn is_remote(src: &str) -> bool {
    let s = src.trim();
    s.starts_with("//") || s.split_once(':').is_some_and(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The path of a local image under `content/static/`: `/images/a.jpg` and `images/a.jpg` alike.
pub fn local_path(src: &str) -> &str {
    src.trim().trim_start_matches('/')
}

/// The host of a link to a video (a video site, or a video file), for the label of its poster.
pub fn video_host(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix("https://").or_else(|| url.trim().strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let sites = ["youtube.com", "youtu.be", "vimeo.com", "dailymotion.com", "dai.ly", "peertube", "tube"];
    let path = rest.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
    let file = [".mp4", ".webm", ".ogv", ".mov"].iter().any(|e| path.ends_with(e));
    (sites.iter().any(|s| host == *s || host.ends_with(&format!(".{s}")) || host.contains(s)) || file).then_some(host)
}

/// The line (1-based) of byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> u32 {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

/// Reads a Markdown text: the images it shows and what Maillage leaves out of it.
pub fn inspect(markdown: &str) -> Inspection {
    let mut found = Inspection::default();
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(markdown, options()).into_offset_iter().collect();
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let line = line_at(markdown, range.start);
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(scheme) = bad_scheme(dest_url) {
                    found.dropped.push(Dropped {
                        line,
                        what: format!("lien « {scheme}: » (seuls https:, http:, mailto: et tel: sont publiés)"),
                        hint: "écrivez l’adresse complète de la page, en https://",
                    });
                }
                // A link whose only content is an image: the image leads there (a video's poster).
                if let Some((image, next)) = image_at(&events, i + 1, markdown)
                    && matches!(events.get(next), Some((Event::End(TagEnd::Link), _)))
                {
                    push_image(&mut found, ImageUse { link: Some(dest_url.to_string()), ..image });
                    i = next + 1;
                    continue;
                }
            }
            Event::Start(Tag::Image { .. }) => {
                if let Some((image, next)) = image_at(&events, i, markdown) {
                    push_image(&mut found, image);
                    i = next;
                    continue;
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) => raw_html(raw, markdown, range.start, &mut found.dropped),
            _ => {}
        }
        i += 1;
    }
    found
}

/// The image starting at event `i`, and the index of the event after it.
fn image_at(events: &[(Event, std::ops::Range<usize>)], i: usize, text: &str) -> Option<(ImageUse, usize)> {
    let (Event::Start(Tag::Image { dest_url, title, .. }), range) = events.get(i)? else { return None };
    let mut alt = String::new();
    let mut j = i + 1;
    while let Some((e, _)) = events.get(j) {
        match e {
            Event::End(TagEnd::Image) => break,
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
        j += 1;
    }
    let title = (!title.is_empty()).then(|| title.to_string());
    let image = ImageUse { line: line_at(text, range.start), src: dest_url.to_string(), alt, title, link: None };
    Some((image, j + 1))
}

/// Local images are listed; remote ones are left out (no request to another site).
fn push_image(found: &mut Inspection, image: ImageUse) {
    if is_remote(&image.src) {
        found.dropped.push(Dropped {
            line: image.line,
            what: format!("image d’un autre site ({}) : elle est remplacée par un lien", image.src),
            hint: "enregistrez l’image dans content/static/images/ et écrivez ![texte](images/nom.jpg) : les pages ne chargent rien depuis un autre site",
        });
    } else {
        found.images.push(image);
    }
}

/// The scheme of a link Maillage does not keep (`javascript`, `data`…), if so.
fn bad_scheme(url: &str) -> Option<String> {
    let u = url.trim();
    let (scheme, _) = u.split_once(':')?;
    let valid = !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let lower = scheme.to_ascii_lowercase();
    (valid && !u.starts_with('/') && !URL_SCHEMES.contains(&lower.as_str())).then_some(lower)
}

/// The tags and attributes of raw HTML that the allow-list removes.
fn raw_html(raw: &str, text: &str, start: usize, dropped: &mut Vec<Dropped>) {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while let Some(k) = raw[i..].find('<') {
        let at = i + k;
        if raw[at..].starts_with("<!--") {
            // Comments are not published, by intent: no warning.
            i = raw[at..].find("-->").map_or(raw.len(), |e| at + e + 3);
            continue;
        }
        let name_start = at + 1 + usize::from(bytes.get(at + 1) == Some(&b'/'));
        let name: String = raw[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let end = raw[at..].find('>').map_or(raw.len(), |e| at + e);
        i = (end + 1).min(raw.len());
        if name.is_empty() || bytes.get(at + 1) == Some(&b'/') {
            continue;
        }
        let line = line_at(text, start + at);
        if REMOVED_WITH_CONTENT.contains(&name.as_str()) || !ALLOWED_TAGS.contains(&name.as_str()) {
            let (what, hint) = match name.as_str() {
                "img" | "picture" => (
                    "image écrite en HTML (<img>)",
                    "écrivez ![texte qui décrit l’image](images/nom.jpg), avec l’image dans content/static/images/",
                ),
                "iframe" | "video" | "audio" | "embed" | "object" | "source" => {
                    ("lecteur ou cadre d’un autre site", VIDEO_HINT)
                }
                "script" | "style" | "template" => (
                    "script ou style",
                    "le texte d’une page ne peut contenir ni script ni style : l’apparence se règle dans le thème (docs/themes.md)",
                ),
                "form" | "input" | "button" | "select" | "textarea" => {
                    ("formulaire", "donnez plutôt un lien vers le formulaire, en https://")
                }
                _ => (
                    "balise HTML non publiée",
                    "écrivez-le en Markdown ; « maillage aide fichiers » liste les balises HTML publiées",
                ),
            };
            dropped.push(Dropped { line, what: format!("{what} : <{name}>"), hint });
            continue;
        }
        for (attr, value) in attributes(&raw[name_start + name.len()..end]) {
            let allowed = GENERIC_ATTRIBUTES.contains(&attr.as_str())
                || ATTRIBUTES.iter().any(|(t, list)| *t == name && list.contains(&attr.as_str()));
            if !allowed {
                dropped.push(Dropped {
                    line,
                    what: format!("attribut {attr} de <{name}>"),
                    hint: "les styles, classes et scripts écrits dans le texte ne sont pas publiés : l’apparence se règle dans le thème",
                });
            } else if attr == "href"
                && let Some(scheme) = value.as_deref().and_then(bad_scheme)
            {
                dropped.push(Dropped {
                    line,
                    what: format!("lien « {scheme}: » (seuls https:, http:, mailto: et tel: sont publiés)"),
                    hint: "écrivez l’adresse complète de la page, en https://",
                });
            }
        }
    }
}

/// The attributes of a tag's text after its name: names in lower case, values unquoted.
fn attributes(s: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() || c == '/' {
            chars.next();
            continue;
        }
        let mut end = start;
        while let Some(&(j, c)) = chars.peek() {
            if c.is_whitespace() || c == '=' || c == '/' {
                break;
            }
            end = j + c.len_utf8();
            chars.next();
        }
        if end == start {
            chars.next();
            continue;
        }
        let name = s[start..end].to_ascii_lowercase();
        while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let mut value = None;
        if chars.peek().is_some_and(|&(_, c)| c == '=') {
            chars.next();
            while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                chars.next();
            }
            let quote = chars.peek().map(|&(_, c)| c).filter(|c| *c == '"' || *c == '\'');
            if quote.is_some() {
                chars.next();
            }
            let mut v = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if quote.map_or(c.is_whitespace(), |q| c == q) {
                    break;
                }
                v.push(c);
                chars.next();
            }
            if quote.is_some() {
                chars.next();
            }
            value = Some(v);
        }
        out.push((name, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_found_with_their_line_alt_title_and_link() {
        let md = "Intro.\n\n![Affiche](images/a.jpg \"Légende\")\n\nTexte ![logo](/images/b.svg) fin.\n\n\
                  [![Vidéo : l’autopalpation](images/poster.jpg)](https://www.youtube.com/watch?v=x)\n";
        let found = inspect(md);
        let image = |line, src: &str, alt: &str, title: Option<&str>, link: Option<&str>| ImageUse {
            line,
            src: src.into(),
            alt: alt.into(),
            title: title.map(Into::into),
            link: link.map(Into::into),
        };
        assert_eq!(
            found.images,
            [
                image(3, "images/a.jpg", "Affiche", Some("Légende"), None),
                image(5, "/images/b.svg", "logo", None, None),
                image(
                    7,
                    "images/poster.jpg",
                    "Vidéo : l’autopalpation",
                    None,
                    Some("https://www.youtube.com/watch?v=x")
                ),
            ]
        );
        assert!(found.dropped.is_empty(), "{:?}", found.dropped);
        assert_eq!(local_path("/images/b.svg"), "images/b.svg");
        assert_eq!(video_host("https://www.youtube.com/watch?v=x").as_deref(), Some("youtube.com"));
        assert_eq!(video_host("https://cpts.example/media/film.mp4").as_deref(), Some("cpts.example"));
        assert_eq!(video_host("https://www.ameli.fr/var"), None);
    }

    #[test]
    fn what_is_not_published_is_reported_with_its_line() {
        let md = "Texte.\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n\n\
                  ![Bannière](https://cdn.example/banniere.png)\n\n\
                  <p style=\"color:red\" onclick=\"x()\">Rouge</p>\n\n\
                  Voir <img src=\"images/a.jpg\"> et [ici](javascript:alert(1)).\n\n\
                  <!-- note pour moi -->\n\n<abbr title=\"Centre hospitalier\" lang=\"fr\">CH</abbr> <a href=\"data:text/html,x\">x</a>\n";
        let found = inspect(md);
        let got: Vec<(u32, &str)> = found.dropped.iter().map(|d| (d.line, d.what.as_str())).collect();
        assert_eq!(
            got,
            [
                (3, "lecteur ou cadre d’un autre site : <iframe>"),
                (5, "image d’un autre site (https://cdn.example/banniere.png) : elle est remplacée par un lien"),
                (7, "attribut style de <p>"),
                (7, "attribut onclick de <p>"),
                (9, "image écrite en HTML (<img>) : <img>"),
                (9, "lien « javascript: » (seuls https:, http:, mailto: et tel: sont publiés)"),
                (13, "lien « data: » (seuls https:, http:, mailto: et tel: sont publiés)"),
            ]
        );
        assert!(found.images.is_empty());
        assert_eq!(found.dropped[0].hint, VIDEO_HINT);
    }

    #[test]
    fn attributes_are_read_quoted_or_not() {
        let a = attributes(" href='x y' title=\"t\" open data-x=1 /");
        let names: Vec<(&str, Option<&str>)> = a.iter().map(|(n, v)| (n.as_str(), v.as_deref())).collect();
        assert_eq!(names, [("href", Some("x y")), ("title", Some("t")), ("open", None), ("data-x", Some("1"))]);
    }
}
