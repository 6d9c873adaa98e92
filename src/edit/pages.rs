//! The editor's pages, in French: the frame every page shares (skip link, menu, main), and the
//! list, form, text, conflict, bin, confirmation and login pages. Pages carry no inline script
//! or style (the Content-Security-Policy forbids them): behaviour and looks come from
//! `edition.js` and `edition.css`, and every page works without them for reading and saving.

use crate::render::escape::escape_html as esc;
use crate::schema::Kind;
use std::fmt::Write as _;

/// The editor's path prefix.
pub const BASE: &str = "/_edition";

/// What the frame of a page needs.
#[derive(Debug, Clone, Default)]
pub struct Frame<'a> {
    /// The page's title (before « · Édition »).
    pub title: &'a str,
    /// The site's name.
    pub site: &'a str,
    /// The site's home page (with its prefix).
    pub site_home: &'a str,
    /// The session's token, for the forms and for the script's requests.
    pub token: &'a str,
    /// The kind whose menu entry is current.
    pub current: Option<Kind>,
    /// Whether the bin is the current page.
    pub bin: bool,
    /// Whether a password protects the editor (a logout button is shown).
    pub password: bool,
}

/// A whole page: the frame around `main`.
pub fn page(f: &Frame, main: &str) -> String {
    let mut nav = String::new();
    for k in Kind::ALL {
        let current = if f.current == Some(k) { " aria-current=\"page\"" } else { "" };
        let _ = write!(nav, "<li><a href=\"{BASE}/{}/\"{current}>{}</a></li>", k.name(), esc(k.label()));
    }
    let bin_current = if f.bin { " aria-current=\"page\"" } else { "" };
    let _ = write!(nav, "<li><a href=\"{BASE}/corbeille/\"{bin_current}>Corbeille</a></li>");
    let logout = if f.password {
        format!(
            "<form method=\"post\" action=\"{BASE}/deconnexion\" class=\"deconnexion\"><input type=\"hidden\" name=\"_jeton\" value=\"{}\"><button type=\"submit\" class=\"lien\">Se déconnecter</button></form>",
            esc(f.token)
        )
    } else {
        String::new()
    };
    format!(
        "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"maillage-jeton\" content=\"{token}\"><title>{title} · Édition · {site}</title>\
<link rel=\"stylesheet\" href=\"{BASE}/static/edition.css\"><script src=\"{BASE}/static/edition.js\" defer></script></head>\
<body><a class=\"evitement\" href=\"#contenu\">Aller au contenu</a>\
<header class=\"bandeau\"><p class=\"marque\"><a href=\"{BASE}/\">Édition du site <span>{site}</span></a></p>\
<a class=\"voir\" href=\"{home}\">Voir le site</a><a class=\"voir\" href=\"{guide}\">Guide</a>{logout}\
<nav aria-label=\"Contenus du site\"><ul>{nav}</ul></nav></header>\
<main id=\"contenu\" tabindex=\"-1\">{main}</main></body></html>\n",
        token = esc(f.token),
        title = esc(f.title),
        site = esc(f.site),
        home = esc(f.site_home),
        guide = esc(&format!("{}editeur/", crate::guide::PATH)),
    )
}

/// One row of a list of records.
#[derive(Debug, Clone)]
pub struct Row {
    /// Kind of the record.
    pub kind: Kind,
    /// Its name (file stem).
    pub slug: String,
    /// Its title.
    pub title: String,
    /// A detail (profession and commune…).
    pub detail: String,
    /// Published, not published, or without the notion.
    pub published: Option<bool>,
    /// Whether its file has errors.
    pub broken: bool,
}

fn status(r: &Row) -> &'static str {
    match (r.broken, r.published) {
        (true, _) => "<span class=\"etat etat-erreur\">À corriger</span>",
        (false, Some(true)) => "<span class=\"etat etat-publie\">Publié</span>",
        (false, Some(false)) => "<span class=\"etat etat-brouillon\">Non publié</span>",
        (false, None) => "",
    }
}

/// A table of records (the search box filters it, with or without the script).
pub fn rows_table(rows: &[Row], caption: &str, with_kind: bool) -> String {
    let mut out = format!(
        "<table class=\"fiches\" data-filtrable><caption>{}</caption><thead><tr><th scope=\"col\">Nom</th>{}<th scope=\"col\">État</th></tr></thead><tbody>",
        esc(caption),
        if with_kind { "<th scope=\"col\">Sorte</th>" } else { "" }
    );
    for r in rows {
        let kind = if with_kind { format!("<td>{}</td>", esc(r.kind.label())) } else { String::new() };
        let _ = write!(
            out,
            "<tr><td><a href=\"{BASE}/{}/{}\">{}</a>{}</td>{kind}<td>{}</td></tr>",
            r.kind.name(),
            esc(&r.slug),
            esc(&r.title),
            if r.detail.is_empty() {
                String::new()
            } else {
                format!("<br><span class=\"detail\">{}</span>", esc(&r.detail))
            },
            status(r)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The search box of a list (a plain GET form; the script filters as one types).
pub fn search_box(action: &str, query: &str, label: &str) -> String {
    format!(
        "<form class=\"recherche\" role=\"search\" method=\"get\" action=\"{}\"><label for=\"q\">{}</label><div class=\"ligne\"><input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" data-filtre autocomplete=\"off\"><button type=\"submit\">Rechercher</button></div></form>",
        esc(action),
        esc(label),
        esc(query)
    )
}

/// A status message at the top of a page (after a save, a restore…).
pub fn notice(text: &str, error: bool) -> String {
    let class = if error { "avis avis-erreur" } else { "avis" };
    let role = if error { "alert" } else { "status" };
    format!("<div class=\"{class}\" role=\"{role}\" tabindex=\"-1\" id=\"avis\"><p>{text}</p></div>")
}

/// Lines of two texts side by side, the differing ones marked.
pub fn two_versions(mine: &str, theirs: &str) -> String {
    let a: Vec<&str> = mine.lines().collect();
    let b: Vec<&str> = theirs.lines().collect();
    let show = |lines: &[&str], other: &[&str]| {
        let mut out = String::new();
        for l in lines {
            if other.contains(l) {
                let _ = writeln!(out, "{}", esc(l));
            } else {
                let _ = writeln!(out, "<mark>{}</mark>", esc(l));
            }
        }
        out
    };
    format!(
        "<div class=\"versions\"><section aria-labelledby=\"v-moi\"><h3 id=\"v-moi\">Votre version</h3><pre tabindex=\"0\">{}</pre></section><section aria-labelledby=\"v-disque\"><h3 id=\"v-disque\">La version enregistrée entre-temps</h3><pre tabindex=\"0\">{}</pre></section></div><p class=\"aide\">Les lignes surlignées diffèrent d’une version à l’autre.</p>",
        show(&a, &b),
        show(&b, &a)
    )
}
