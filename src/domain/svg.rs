//! SVG images of the content, made safe to publish. An SVG file is a document that can run
//! scripts and load other files when opened on its own; Maillage publishes only its drawing.
//!
//! Kept: the drawing elements (shapes, text, gradients, patterns, masks, filters, `use` of the
//! file's own parts) and their attributes. Removed with what they contain, and reported: scripts,
//! `foreignObject` (HTML inside SVG), frames and embedded objects, animations (they can rewrite
//! links), event handlers (`onload`…), links and references to anything outside the file
//! (`href` other than `#id` or an embedded bitmap, `url()` other than `url(#id)`, `@import`),
//! processing instructions (`xml-stylesheet`). Removed silently: what editors leave and no
//! browser draws (comments, `metadata`, elements and attributes of Inkscape, Illustrator, Sketch…
//! namespaces) and the DOCTYPE with its entities (and the references to them).

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::fmt::Write as _;

/// A sanitised SVG: the document to publish, its size, and what was removed.
#[derive(Debug, Clone, PartialEq)]
pub struct Sanitized {
    /// The SVG document.
    pub svg: String,
    /// Width, from the `width` attribute or the `viewBox`, in pixels.
    pub width: Option<u32>,
    /// Height, likewise.
    pub height: Option<u32>,
    /// What was removed that the author may have meant (the warnings).
    pub removed: Vec<Removed>,
}

/// Something removed from an SVG file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Line in the file.
    pub line: u32,
    /// What, in French (`élément <script>`, `attribut onload`).
    pub what: String,
}

/// Why an SVG file cannot be published at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SvgError {
    /// Line in the file (1 when the whole file is at fault).
    pub line: u32,
    /// What is wrong, in French.
    pub message: String,
}

/// Drawing elements kept (SVG 1.1 and 2, without scripting, animation or foreign content).
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "marker",
    "image",
    "style",
    "switch",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
];

/// Elements whose content is kept without them: a link inside a drawing.
const UNWRAPPED: &[&str] = &["a"];

/// Deepest nesting accepted: drawings stay far below; deeper files are hostile.
const MAX_DEPTH: usize = 256;

/// Sanitises an SVG document (see the module's documentation).
pub fn sanitize(text: &str) -> Result<Sanitized, SvgError> {
    let line_of = |pos: u64| -> u32 {
        let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
        text.as_bytes()[..pos].iter().filter(|&&b| b == b'\n').count() as u32 + 1
    };
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut out = String::with_capacity(text.len());
    let mut removed: Vec<Removed> = Vec::new();
    // Open elements: whether each is written (false for an unwrapped one).
    let mut open: Vec<(String, bool)> = Vec::new();
    // Inside a removed element: its depth, to skip everything until it closes.
    let mut skipping: Option<usize> = None;
    let mut in_style = false;
    let (mut width, mut height) = (None, None);
    let mut root_seen = false;
    let mut xlink_declared = false;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| SvgError {
            line: line_of(reader.error_position()),
            message: format!("fichier SVG illisible ({e})"),
        })?;
        let line = line_of(at);
        if let Some(depth) = skipping {
            match &event {
                Event::Start(_) => open.push((String::new(), false)),
                Event::End(_) => {
                    open.pop();
                    if open.len() == depth {
                        skipping = None;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) | Event::Empty(e) if open.len() >= MAX_DEPTH => {
                let _ = e;
                return Err(SvgError {
                    line,
                    message: format!("fichier SVG trop imbriqué (plus de {MAX_DEPTH} niveaux)"),
                });
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name().as_ref().to_string();
                if !root_seen {
                    if name != "svg" && name != "svg:svg" {
                        return Err(SvgError {
                            line,
                            message: "ce fichier n’est pas une image SVG (pas d’élément <svg>)".into(),
                        });
                    }
                    root_seen = true;
                    (width, height) = size(e);
                }
                let local = name.strip_prefix("svg:").unwrap_or(&name);
                if UNWRAPPED.contains(&local) {
                    let target = e.attributes().with_checks(false).flatten().find_map(|a| {
                        matches!(a.key.as_ref(), "href" | "xlink:href").then(|| {
                            a.normalized_value(XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default()
                        })
                    });
                    if let Some(target) = target.filter(|t| !t.trim_start().starts_with('#')) {
                        removed.push(Removed { line, what: format!("lien <a> vers « {} »", shorten(&target)) });
                    }
                    if !empty {
                        open.push((name, false));
                    }
                    continue;
                }
                if !ELEMENTS.contains(&local) {
                    // Editors' own elements (another namespace) go silently; SVG ones are reported.
                    if (!name.contains(':') || name.starts_with("svg:")) && local != "metadata" {
                        removed.push(Removed { line, what: format!("élément <{name}>") });
                    }
                    if !empty {
                        open.push((name, false));
                        skipping = Some(open.len() - 1);
                    }
                    continue;
                }
                out.push('<');
                out.push_str(local);
                attributes(e, local, open.is_empty(), &mut xlink_declared, line, &mut out, &mut removed);
                if empty {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    in_style = local == "style";
                    open.push((local.to_string(), true));
                }
            }
            Event::End(_) => {
                if let Some((name, written)) = open.pop()
                    && written
                {
                    let _ = write!(out, "</{name}>");
                }
                in_style = false;
            }
            Event::Text(t) => {
                let content = t.xml_content(XmlVersion::Implicit1_0);
                if in_style {
                    style_sheet(&content, line, &mut out, &mut removed);
                } else if !open.is_empty() {
                    escape(&content, &mut out);
                }
            }
            Event::CData(c) => {
                let content = c.into_inner().into_owned();
                if in_style {
                    style_sheet(&content, line, &mut out, &mut removed);
                } else if !open.is_empty() {
                    escape(&content, &mut out);
                }
            }
            Event::GeneralRef(r) => {
                if open.is_empty() {
                    continue;
                }
                match r.resolve_char_ref() {
                    Ok(Some(c)) => escape(&c.to_string(), &mut out),
                    _ => match &*r {
                        "lt" => out.push_str("&lt;"),
                        "gt" => out.push_str("&gt;"),
                        "amp" => out.push_str("&amp;"),
                        "quot" => out.push_str("&quot;"),
                        "apos" => out.push_str("&apos;"),
                        // An entity of the DOCTYPE, which is not published.
                        _ => {}
                    },
                }
            }
            Event::PI(_) => removed.push(Removed { line, what: "instruction de traitement (<?…?>)".into() }),
            Event::Decl(_) | Event::Comment(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if !root_seen {
        return Err(SvgError {
            line: 1, message: "ce fichier n’est pas une image SVG (pas d’élément <svg>)".into()
        });
    }
    Ok(Sanitized { svg: out, width, height, removed })
}

/// Writes the attributes of an element that are safe, and notes those removed.
/// `xlink_declared` says whether the root declared the `xlink` prefix.
fn attributes(
    e: &BytesStart,
    element: &str,
    root: bool,
    xlink_declared: &mut bool,
    line: u32,
    out: &mut String,
    removed: &mut Vec<Removed>,
) {
    let mut has_xmlns = false;
    let mut uses_xlink = false;
    for attr in e.attributes().with_checks(false) {
        let Ok(attr) = attr else { continue };
        let key = attr.key.as_ref().to_string();
        // Undefined entities (those of a DOCTYPE) leave the attribute out.
        let Ok(value) = attr.normalized_value(XmlVersion::Implicit1_0) else { continue };
        let lower = key.to_ascii_lowercase();
        let keep = match lower.as_str() {
            "xmlns" => {
                has_xmlns = true;
                root && value == "http://www.w3.org/2000/svg"
            }
            "xmlns:xlink" => {
                let ok = root && value == "http://www.w3.org/1999/xlink";
                *xlink_declared |= ok;
                ok
            }
            "href" | "xlink:href" => {
                let ok = value.trim_start().starts_with('#') || (element == "image" && embedded_bitmap(&value));
                if !ok {
                    removed.push(Removed { line, what: format!("référence externe {key}=\"{}\"", shorten(&value)) });
                }
                uses_xlink |= ok && lower == "xlink:href";
                ok
            }
            k if k.starts_with("on") => {
                removed.push(Removed { line, what: format!("attribut {key} (script)") });
                false
            }
            "style" => {
                let ok = safe_css(&value);
                if !ok {
                    removed.push(Removed { line, what: "attribut style (référence externe)".into() });
                }
                ok
            }
            "xml:space" | "xml:lang" => true,
            // Other namespaces: editors' data, or `xml:base`, which would move the references.
            k if k.contains(':') => false,
            _ => {
                let ok = safe_css(&value);
                if !ok {
                    removed.push(Removed { line, what: format!("attribut {key} (référence externe)") });
                }
                ok
            }
        };
        if keep {
            let _ = write!(out, " {key}=\"");
            escape(&value, out);
            out.push('"');
        }
    }
    if root && !has_xmlns {
        out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
    }
    if uses_xlink && !*xlink_declared {
        // A reference kept on an inner element needs the prefix declared: on the element itself.
        out.push_str(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
    }
}

/// Whether a value can be written in CSS or an attribute: no `url()` but to the file's own parts,
/// no `@import`, no script.
fn safe_css(value: &str) -> bool {
    let lower: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if lower.contains("@import") || lower.contains("javascript:") || lower.contains("expression(") {
        return false;
    }
    lower.split("url(").skip(1).all(|rest| rest.trim_start_matches(['"', '\'']).starts_with('#'))
}

/// A `<style>` element's CSS: kept when safe, else left out.
fn style_sheet(css: &str, line: u32, out: &mut String, removed: &mut Vec<Removed>) {
    if safe_css(css) {
        escape(css, out);
    } else {
        removed.push(Removed { line, what: "feuille de style <style> (référence externe ou @import)".into() });
    }
}

/// A bitmap embedded in the file (`data:image/png;base64,…`): no request, no script.
fn embedded_bitmap(value: &str) -> bool {
    let v = value.trim_start().to_ascii_lowercase();
    ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"].iter().any(|p| v.starts_with(p))
}

/// Width and height of the drawing, in pixels: its `width` and `height`, else its `viewBox`.
fn size(e: &BytesStart) -> (Option<u32>, Option<u32>) {
    let mut w = None;
    let mut h = None;
    let mut view = None;
    for attr in e.attributes().with_checks(false).flatten() {
        let Ok(value) = attr.normalized_value(XmlVersion::Implicit1_0) else { continue };
        match attr.key.as_ref() {
            "width" => w = pixels(&value),
            "height" => h = pixels(&value),
            "viewBox" => {
                let n: Vec<f64> =
                    value.split([' ', ',']).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
                if let [_, _, vw, vh] = n[..]
                    && vw > 0.0
                    && vh > 0.0
                {
                    view = Some((vw, vh));
                }
            }
            _ => {}
        }
    }
    let round = |x: f64| Some(x.round().clamp(1.0, 100_000.0) as u32);
    match (w, h, view) {
        (Some(w), Some(h), _) => (round(w), round(h)),
        (Some(w), None, Some((vw, vh))) => (round(w), round(w * vh / vw)),
        (None, Some(h), Some((vw, vh))) => (round(h * vw / vh), round(h)),
        (_, _, Some((vw, vh))) => (round(vw), round(vh)),
        _ => (None, None),
    }
}

/// `120`, `120px`, `120.5` as pixels; relative units are no size.
fn pixels(value: &str) -> Option<f64> {
    let v = value.trim().strip_suffix("px").unwrap_or(value.trim());
    v.parse::<f64>().ok().filter(|x| x.is_finite() && *x > 0.0)
}

/// A value shortened for a message.
fn shorten(value: &str) -> String {
    let mut s: String = value.chars().take(60).collect();
    if value.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// XML escaping of text and attribute values.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> Sanitized {
        sanitize(svg).unwrap_or_else(|e| panic!("{e:?}"))
    }

    const LOGO: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Généré par un logiciel de dessin -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="120" height="40" viewBox="0 0 120 40" inkscape:version="1.3">
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#e4007c"/></linearGradient></defs>
  <style>.a{fill:url(#g)}</style>
  <rect class="a" width="120" height="40" rx="6" style="stroke:#333"/>
  <text x="10" y="26" font-size="16">Ligue &amp; CPTS &#233;</text>
  <use xlink:href="#g"/>
</svg>"##;

    #[test]
    fn a_plain_logo_keeps_its_drawing_and_loses_the_editors_data() {
        let s = clean(LOGO);
        assert_eq!((s.width, s.height), (Some(120), Some(40)));
        assert!(s.removed.is_empty(), "{:?}", s.removed);
        for kept in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"120\"",
            "<stop offset=\"0\" stop-color=\"#e4007c\"/>",
            "<style>.a{fill:url(#g)}</style>",
            "style=\"stroke:#333\"",
            "Ligue &amp; CPTS é</text>",
            "<use xlink:href=\"#g\"/>",
        ] {
            assert!(s.svg.contains(kept), "{kept} absent de {}", s.svg);
        }
        for gone in ["inkscape", "metadata", "rdf", "<?xml", "<!--"] {
            assert!(!s.svg.contains(gone), "{gone} dans {}", s.svg);
        }
        // The result is itself an SVG the sanitiser keeps as it is.
        assert_eq!(clean(&s.svg).svg, s.svg);
    }

    #[test]
    fn hostile_svgs_lose_scripts_handlers_and_external_references() {
        let hostile = [
            (r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect/></svg>"#, "élément <script>"),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><script><![CDATA[alert(1)]]></script></svg>"#,
                "élément <script>",
            ),
            (r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>"#, "attribut onload (script)"),
            (
                r#"<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>alert(1)</svg:script></svg:svg>"#,
                "élément <svg:script>",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><rect ONCLICK="alert(1)"/></svg>"#,
                "attribut ONCLICK (script)",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe src="https://evil.example"/></foreignObject></svg>"#,
                "élément <foreignObject>",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)"><rect/></a></svg>"#,
                "lien <a> vers « javascript:alert(1) »",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/pixel.png"/></svg>"#,
                "référence externe href=\"https://tracker.example/pixel.png\"",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/sprite.svg#a"/></svg>"#,
                "référence externe href=\"https://evil.example/sprite.svg#a\"",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>"#,
                "feuille de style <style> (référence externe ou @import)",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/a.svg#p)"/></svg>"#,
                "attribut style (référence externe)",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url( 'https://evil.example/a#p')"/></svg>"#,
                "attribut fill (référence externe)",
            ),
            (
                r##"<svg xmlns="http://www.w3.org/2000/svg"><a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a></svg>"##,
                "élément <set>",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="onload" values="alert(1)"/></svg>"#,
                "élément <animate>",
            ),
            (
                r#"<?xml-stylesheet href="https://evil.example/a.css"?><svg xmlns="http://www.w3.org/2000/svg"/>"#,
                "instruction de traitement (<?…?>)",
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><iframe src="https://evil.example"/><embed src="x"/></svg>"#,
                "élément <iframe>",
            ),
        ];
        for (svg, what) in hostile {
            let s = clean(svg);
            assert!(s.removed.iter().any(|r| r.what == what), "{what} non signalé pour {svg} : {:?}", s.removed);
            let lower = s.svg.to_ascii_lowercase();
            for bad in [
                "<script",
                "alert",
                "javascript",
                "evil.example",
                "tracker",
                "onload",
                "onclick",
                "<iframe",
                "<embed",
                "foreignobject",
                "@import",
                "<set",
                "<animate",
                "<?",
            ] {
                assert!(!lower.contains(bad), "{bad} dans {} (depuis {svg})", s.svg);
            }
        }
    }

    #[test]
    fn entities_do_not_expand_and_bad_files_are_errors() {
        // An entity bomb in the DOCTYPE: the DOCTYPE goes, its references with it.
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;&b;</text><rect width="&a;"/></svg>"#;
        let s = clean(bomb);
        assert!(!s.svg.contains("aaa") && !s.svg.contains("&b;"), "{}", s.svg);
        assert!(s.svg.contains("<rect/>"), "{}", s.svg);
        assert_eq!(sanitize("<html><body/></html>").unwrap_err().line, 1);
        let broken = sanitize("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<g>\n</svg>").unwrap_err();
        assert_eq!(broken.line, 3, "{broken:?}");
        assert!(sanitize("du texte").is_err());
        let deep = format!("<svg>{}{}</svg>", "<g>".repeat(300), "</g>".repeat(300));
        assert!(sanitize(&deep).unwrap_err().message.contains("imbriqué"));
        // An embedded bitmap is not a request: kept.
        let s = clean(r#"<svg><image href="data:image/png;base64,iVBORw0KGgo="/></svg>"#);
        assert!(s.svg.contains("data:image/png") && s.removed.is_empty(), "{s:?}");
    }

    #[test]
    fn the_size_comes_from_the_attributes_or_the_view_box() {
        assert_eq!(
            (clean("<svg viewBox=\"0 0 300 100\"/>").width, clean("<svg viewBox=\"0 0 300 100\"/>").height),
            (Some(300), Some(100))
        );
        let s = clean("<svg width=\"150px\" viewBox=\"0,0,300,100\"/>");
        assert_eq!((s.width, s.height), (Some(150), Some(50)));
        let s = clean("<svg width=\"100%\"/>");
        assert_eq!((s.width, s.height), (None, None));
    }
}
