//! Links written in the content that lead to no file of the site: each is an error with its
//! file, line and column. A link to a member without consent, to a draft, or to a page that never
//! existed would be published broken otherwise.

use crate::diagnostic::Diagnostic;
use crate::model::{Link, Record, Site};
use crate::routes::{LinkTarget, Route, Urls};

/// Every link of the published site's records to a file of the site that `exists` does not know
/// (`exists` takes a path in the output folder: `contacts/index.html`). A relative link is read
/// from the page of its record (a member's, an action's…); those of texts shown on several pages
/// (cpts.yaml, resources) are not checked.
pub(super) fn broken(site: &Site, urls: &Urls, exists: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut check = |file: &str, page: Option<Route>, links: &[Link]| {
        for link in links {
            let path = match urls.target(&link.target) {
                LinkTarget::Site(path) => path,
                LinkTarget::Relative => {
                    match page.as_ref().map(|p| urls.target(&joined(&urls.link(p), &link.target))) {
                        Some(LinkTarget::Site(path)) => path,
                        _ => continue,
                    }
                }
                LinkTarget::Elsewhere => continue,
            };
            let folder = format!("{}/index.html", path.trim_end_matches('/'));
            if exists(&path) || exists(&folder) {
                continue;
            }
            out.push(
                Diagnostic::error(
                    "M074",
                    file,
                    link.line,
                    link.column,
                    format!("lien vers une page absente du site : {}", link.target.trim()),
                )
                .with_hint(
                    "vérifiez l’adresse : une fiche sans « publie: true », un brouillon ou un fichier retiré ne sont pas publiés ; pour un autre site, écrivez l’adresse complète (https://…)",
                ),
            );
        }
    };
    fn each<T>(records: &[Record<T>], page: fn(String) -> Route, check: &mut impl FnMut(&str, Option<Route>, &[Link])) {
        // Only records with links: a large directory's members, most without any, each made
        // into a route on every save, cost milliseconds for nothing.
        for r in records.iter().filter(|r| !r.links.is_empty()) {
            check(&r.file, Some(page(r.slug.clone())), &r.links);
        }
    }
    check(&site.cpts.file, None, &site.cpts.links);
    if let Some(c) = &site.contacts {
        check(&c.file, Some(Route::Contacts), &c.links);
    }
    if let Some(r) = &site.indicators {
        check(&r.file, Some(Route::Results), &r.links);
    }
    each(&site.members, Route::Member, &mut check);
    each(&site.actions, Route::Action, &mut check);
    each(&site.offers, Route::Offer, &mut check);
    each(&site.news, Route::News, &mut check);
    each(&site.pages, Route::Page, &mut check);
    for r in &site.resources {
        check(&r.file, None, &r.links);
    }
    for r in &site.documents {
        check(&r.file, None, &r.links);
    }
    out
}

/// The root-relative link `relative` leads to from the page at `page` (`/prevention/x/`).
fn joined(page: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own name after its last `/`
    for part in relative.split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            other => parts.push(other),
        }
    }
    let mut out = parts.join("/");
    if relative.ends_with("/.") || relative.ends_with("/..") || relative == "." || relative == ".." {
        out.push('/');
    }
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::joined;

    #[test]
    fn relative_links_from_a_page() {
        assert_eq!(joined("/prevention/x/", "seances.ics"), "/prevention/x/seances.ics");
        assert_eq!(joined("/prevention/x/", "../y/"), "/prevention/y/");
        assert_eq!(joined("/prevention/x/", "../../contacts/"), "/contacts/");
        assert_eq!(joined("/prevention/x/", "../../../../contacts/"), "/contacts/");
        assert_eq!(joined("/prevention/x/", ".."), "/prevention/");
        assert_eq!(joined("/cpts/x/", "./a?b#c"), "/cpts/x/a?b#c");
    }
}
