//! Themes: the embedded default theme, a theme folder chosen in cpts.yaml, and a site's own
//! `templates/` folder, which overrides any template by its name. Templates are compiled once.

use super::escape::write_escaped;
use super::text::{date_long, typo};
use crate::diagnostic::Diagnostic;
use crate::limits::{MAX_ASSET_BYTES, MAX_TEXT_BYTES, read_file};
use crate::source::walk::walk;
use minijinja::{Environment, Value};
use rust_embed::RustEmbed;
use std::collections::BTreeMap;
use std::path::Path;

/// The default theme, compiled into the binary.
#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// Fingerprint of the embedded default theme's files (names and bytes), for
/// the fingerprint of a build's inputs ([`crate::build::build`]).
pub fn embedded_fingerprint() -> u64 {
    use std::hash::Hasher;
    let mut h = crate::fingerprint::FastHasher::default();
    for file in DefaultTheme::iter() {
        h.write(file.as_bytes());
        if let Some(data) = DefaultTheme::get(&file) {
            h.write_u64(crate::fingerprint::of_bytes(&data.data));
        }
    }
    h.finish()
}

/// A loaded theme: compiled templates and the static files it ships.
pub struct Theme {
    /// Compiled templates.
    pub env: Environment<'static>,
    /// Static files (`style.css`…) by path, with their bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme").field("statics", &self.statics.keys().collect::<Vec<_>>()).finish_non_exhaustive()
    }
}

/// A style sheet without its comments and with its white space reduced, as visitors download it
/// (about a sixth lighter): runs of white space become one space, none is kept next to `{ } ; ,`
/// nor at the ends; strings and `url()` are left as written.
pub fn compact_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    let tight = |c: char| matches!(c, '{' | '}' | ';' | ',');
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            c => {
                if space && !out.is_empty() && !out.ends_with(tight) && !tight(c) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                let verbatim_until = match c {
                    '"' | '\'' => Some(c),
                    '(' if out.ends_with("url(") => Some(')'),
                    _ => None,
                };
                if let Some(end) = verbatim_until {
                    let mut escaped = false;
                    for c in chars.by_ref() {
                        out.push(c);
                        if !escaped && c == end {
                            break;
                        }
                        escaped = !escaped && c == '\\';
                    }
                }
            }
        }
    }
    out
}

/// Where a template comes from, for error messages.
fn origin_name(origin: &str, name: &str) -> String {
    format!("{origin}/{name}")
}

impl Theme {
    /// Loads the templates of the embedded theme, then those of `themes/<theme>/` (the site's, else
    /// for a CPTS of a region the shared `commun/themes/<theme>/`), of a region's shared
    /// `commun/templates/` and of the site's `templates/`, later ones replacing earlier ones with
    /// the same name.
    pub fn load(root: &Path, theme: Option<&str>) -> Result<Theme, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let mut diagnostics = Vec::new();
        for file in DefaultTheme::iter() {
            let Some(data) = DefaultTheme::get(&file) else { continue };
            if let Some(name) = file.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(&data.data).into_owned();
                sources.insert(name.to_string(), (origin_name("themes/default/templates", name), text));
            } else if let Some(name) = file.strip_prefix("static/") {
                statics.insert(name.to_string(), data.data.into_owned());
            }
        }
        let mut folders = Vec::new();
        if let Some(t) = theme {
            if !crate::domain::text::is_valid_slug(t) {
                return Err(vec![Diagnostic::error("M070", "content/cpts.yaml", 0, 0, format!("nom de thème « {t} » invalide"))
                    .with_hint("le nom du thème est celui d’un dossier de themes/ : minuscules sans accents, chiffres et tirets")]);
            }
            let shared = crate::model::region::shared_theme_dirs(root);
            // The site's own theme of that name, else the region's shared one.
            let (dir, walk_root, label) = match &shared {
                Some((_, themes, region_root)) if !root.join("themes").join(t).is_dir() && themes.join(t).is_dir() => {
                    (themes.join(t), region_root.clone(), format!("../{}/themes/{t}", crate::model::region::SHARED_DIR))
                }
                _ => (root.join("themes").join(t), root.to_path_buf(), format!("themes/{t}")),
            };
            if !dir.is_dir() {
                return Err(vec![Diagnostic::error("M070", "content/cpts.yaml", 0, 0, format!("le thème « {t} » est introuvable"))
                    .with_hint(format!("créez le dossier themes/{t}/ (templates/ et static/), ou retirez « theme » de site: pour le thème par défaut"))]);
            }
            folders.push((dir.join("templates"), format!("{label}/templates"), walk_root.clone()));
            read_statics(&walk_root, &dir.join("static"), &format!("{label}/static"), &mut statics, &mut diagnostics);
        }
        // A region's shared templates come before the site's own, which replace them.
        if let Some((templates, _, region_root)) = crate::model::region::shared_theme_dirs(root) {
            folders.push((templates, format!("../{}/templates", crate::model::region::SHARED_DIR), region_root));
        }
        folders.push((root.join("templates"), "templates".to_string(), root.to_path_buf()));
        for (dir, label, walk_root) in folders {
            let walked = walk(&walk_root, &dir, &label, |_| false);
            diagnostics.extend(walked.problems);
            for found in walked.files {
                let origin = origin_name(&label, &found.within);
                match read_file(&found.path, MAX_TEXT_BYTES) {
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(text) => {
                            sources.insert(found.within, (origin, text));
                        }
                        Err(_) => {
                            diagnostics.push(Diagnostic::error("M010", &origin, 0, 0, "le gabarit n’est pas en UTF-8"))
                        }
                    },
                    Err(e) => {
                        diagnostics.push(Diagnostic::error("M002", &origin, 0, 0, format!("lecture impossible : {e}")))
                    }
                }
            }
        }

        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".svg") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        // MiniJinja's HTML escaping also writes `/` as `&#x2f;`, which is not needed in text or
        // quoted attributes and makes every URL three times longer: escape only what HTML needs.
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == minijinja::AutoEscape::Html
                && !value.is_safe()
                && let Some(s) = value.as_str()
            {
                return write_escaped(out, s).map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        env.add_filter("typo", |s: String| typo(&s));
        // Counts shown to visitors: « 1 043 », digits grouped by a narrow no-break space.
        env.add_filter("nombre", |n: u64| crate::domain::text::grouped(n));
        env.add_filter("date_long", |s: String| match s.parse::<jiff::civil::Date>() {
            Ok(d) => date_long(d),
            Err(_) => s,
        });
        for (name, (origin, text)) in sources {
            if let Err(e) = env.add_template_owned(name, text) {
                diagnostics.push(
                    Diagnostic::error(
                        "M071",
                        &origin,
                        e.line().unwrap_or(0) as u32,
                        0,
                        format!("gabarit invalide : {}", e.detail().unwrap_or("erreur de syntaxe")),
                    )
                    .with_hint("voir la documentation de MiniJinja pour la syntaxe des gabarits"),
                );
            }
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(diagnostics);
        }
        for (name, bytes) in statics.iter_mut() {
            if name.ends_with(".css")
                && let Ok(text) = std::str::from_utf8(bytes)
            {
                *bytes = compact_css(text).into_bytes();
            }
        }
        Ok(Theme { env, statics })
    }

    /// Renders a template with its context; errors name the template and line.
    pub fn render(&self, template: &str, ctx: &Value) -> Result<String, Diagnostic> {
        let tmpl = self.env.get_template(template).map_err(|e| template_error(template, &e))?;
        tmpl.render(ctx).map_err(|e| template_error(template, &e))
    }

    /// Renders a template into `out`, emptied first: a caller rendering thousands of pages keeps
    /// one buffer and copies each page out at its size, instead of growing a new text per page.
    pub fn render_into(&self, template: &str, ctx: &Value, out: &mut Vec<u8>) -> Result<(), Diagnostic> {
        out.clear();
        let tmpl = self.env.get_template(template).map_err(|e| template_error(template, &e))?;
        tmpl.render_captured_to(ctx, &mut *out).map(drop).map_err(|e| template_error(template, &e))
    }

    /// Calls macro `name` of `template` with `args`, as a template importing it would: pages
    /// written outside the templates (a region's portal) show the theme's own pieces, such as
    /// the pager of macros.html. Errors name the template and line.
    pub fn call_macro(&self, template: &str, name: &str, args: &[Value]) -> Result<String, Diagnostic> {
        let tmpl = self.env.get_template(template).map_err(|e| template_error(template, &e))?;
        let captured = tmpl.render_captured(()).map_err(|e| template_error(template, &e))?;
        captured.state().call_macro(name, args).map_err(|e| template_error(template, &e))
    }
}

fn template_error(template: &str, e: &minijinja::Error) -> Diagnostic {
    let name = e.name().unwrap_or(template);
    Diagnostic::error(
        "M072",
        &format!("templates/{name}"),
        e.line().unwrap_or(0) as u32,
        0,
        format!("erreur dans le gabarit : {e}"),
    )
    .with_hint("corrigez le gabarit ; les variables disponibles sont décrites dans docs/themes.md")
}

fn read_statics(
    root: &Path,
    dir: &Path,
    label: &str,
    statics: &mut BTreeMap<String, Vec<u8>>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let walked = walk(root, dir, label, |_| false);
    diagnostics.extend(walked.problems);
    for found in walked.files {
        match read_file(&found.path, MAX_ASSET_BYTES) {
            Ok(bytes) => {
                statics.insert(found.within, bytes);
            }
            Err(e) => diagnostics.push(Diagnostic::error(
                "M002",
                &origin_name(label, &found.within),
                0,
                0,
                format!("lecture impossible : {e}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_sheets_lose_comments_and_spaces_not_meaning() {
        let css = "/* titre */\n.a  .b ,\n.c > .d {\n  content: \"  deux  espaces \\\" \";\n  width: calc(1rem + 2px);\n  background: url( 'a  b.png' );\n}\n\n@media (min-width: 40rem) {\n  .e { margin: 0 auto }\n}\n";
        assert_eq!(
            compact_css(css),
            ".a .b,.c > .d{content: \"  deux  espaces \\\" \";width: calc(1rem + 2px);background: url( 'a  b.png' );}@media (min-width: 40rem){.e{margin: 0 auto}}"
        );
    }
}
