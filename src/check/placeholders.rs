//! Texts left to fill (« À compléter », addresses in `example.fr`, `01 23 45 67 89`, lorem
//! ipsum): warnings while the site is being written, errors in a production build. Only what is
//! published counts: a draft or a member without consent may keep its placeholders.

use super::Scope;
use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::domain::placeholder::{Kind, Placeholder};

impl<'a> Checker<'a> {
    /// Placeholders of every file but members' ([`Checker::member_placeholders`]).
    pub(super) fn placeholders(&mut self, scope: &Scope) {
        let site = self.site;
        let drafts = scope.drafts;
        let mut files: Vec<(&str, &[Placeholder])> = vec![(site.cpts.file.as_str(), &site.cpts.placeholders)];
        files.extend(site.contacts.iter().map(|c| (c.file.as_str(), &*c.placeholders)));
        files.extend(site.indicators.iter().map(|i| (i.file.as_str(), &*i.placeholders)));
        files.extend(
            site.actions.iter().filter(|a| drafts || !a.data.brouillon).map(|a| (a.file.as_str(), &*a.placeholders)),
        );
        files.extend(
            site.offers.iter().filter(|o| drafts || !o.data.brouillon).map(|o| (o.file.as_str(), &*o.placeholders)),
        );
        files.extend(
            site.news.iter().filter(|n| drafts || !n.data.brouillon).map(|n| (n.file.as_str(), &*n.placeholders)),
        );
        files.extend(
            site.pages.iter().filter(|p| drafts || !p.data.brouillon).map(|p| (p.file.as_str(), &*p.placeholders)),
        );
        files.extend(site.resources.iter().map(|r| (r.file.as_str(), &*r.placeholders)));
        files.extend(site.documents.iter().map(|d| (d.file.as_str(), &*d.placeholders)));
        for (file, found) in files {
            for p in found {
                self.out.push(placeholder(file, p, scope.production));
            }
        }
    }

    /// The placeholders of a member's file, when it is published.
    pub(super) fn member_placeholders(&mut self, m: &crate::model::Member, scope: &Scope) {
        if m.data.publie {
            self.out.extend(m.placeholders.iter().map(|p| placeholder(&m.file, p, scope.production)));
        }
    }
}

/// The diagnostic of one placeholder (M064): an error in production, a warning otherwise.
fn placeholder(file: &str, p: &Placeholder, production: bool) -> Diagnostic {
    let (what, left, hint) = match p.kind {
        Kind::ToComplete => {
            ("texte", "laissé", "remplacez-le par le vrai texte, ou retirez la clé si elle est facultative")
        }
        Kind::ExampleDomain => (
            "adresse d’exemple",
            "laissée",
            "une adresse en example.fr (ou .example) n’existe pas : mettez la vraie adresse, ou retirez la clé si elle est facultative",
        ),
        Kind::ExamplePhone => {
            ("numéro d’exemple", "laissé", "mettez le vrai numéro, ou retirez la clé si elle est facultative")
        }
        Kind::Filler => ("faux texte", "laissé", "remplacez le faux texte (lorem ipsum) par le vrai"),
    };
    let message = format!("{what} « {} » {left}", p.text);
    let d = if production {
        Diagnostic::error(
            "M064",
            file,
            p.line,
            p.column,
            format!("{message} : le site ne peut pas être mis en ligne ainsi"),
        )
    } else {
        Diagnostic::warning("M064", file, p.line, p.column, format!("{message} : à remplacer avant la mise en ligne"))
    };
    d.with_hint(hint)
}
