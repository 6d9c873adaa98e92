//! What Markdown texts and SVG files hold that a page cannot show as written: images missing or
//! without alternative text (errors), and everything Maillage leaves out — raw HTML outside its
//! allow-list, frames, images of other sites, parts of SVG files that could run code or load
//! other files (warnings, M086). Nothing is dropped without a word.

use super::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::domain::markdown::{self, Dropped};
use crate::model::S;

impl<'a> Checker<'a> {
    /// The Markdown bodies of actions, offers, news and pages.
    pub(super) fn markdown_bodies(&mut self) {
        let site = self.site;
        for (file, body, first_line) in site.bodies() {
            self.markdown_body(file, body, first_line);
        }
    }

    /// The Markdown texts of YAML files (summaries, descriptions; members' presentations are
    /// theirs: [`Checker::member_presentation`]): what they cannot show is reported at the key's
    /// line. Images go in the text of a page, or in an
    /// `image:` key.
    pub(super) fn markdown_fields(&mut self) {
        let site = self.site;
        let c = &site.cpts.data;
        let f = site.cpts.file.as_str();
        let mut fields: Vec<(&str, &S<String>)> = Vec::new();
        fields.extend(c.presentation.iter().map(|t| (f, t)));
        fields.extend(c.adhesion.iter().map(|t| (f, t)));
        fields.extend(c.territoire.description.iter().map(|t| (f, t)));
        fields.extend(c.gouvernance.description.iter().map(|t| (f, t)));
        fields.extend(c.missions.iter().map(|m| (f, &m.resume)));
        fields.extend(c.thematiques.iter().filter_map(|t| t.introduction.as_ref()).map(|t| (f, t)));
        if let Some(i) = &c.installation {
            fields.extend(i.pourquoi.iter().map(|t| (f, t)));
            fields.extend(i.accompagnement.iter().map(|a| (f, &a.description)));
            if let Some(st) = &i.stages {
                fields.extend(st.accueil.iter().chain(st.logement.iter()).map(|t| (f, t)));
            }
        }
        if let Some(contacts) = &site.contacts {
            let f = contacts.file.as_str();
            fields.extend(contacts.data.categories.iter().filter_map(|c| c.description.as_ref()).map(|t| (f, t)));
        }
        if let Some(results) = &site.indicators {
            let f = results.file.as_str();
            let years = results.data.annees.iter().filter_map(|y| y.commentaire.as_ref());
            fields.extend(results.data.introduction.iter().chain(years).map(|t| (f, t)));
        }
        fields.extend(site.offers.iter().filter_map(|o| o.data.candidature.as_ref().map(|t| (o.file.as_str(), t))));
        for (file, text) in fields {
            self.markdown_field(file, text);
        }
    }

    /// A member's presentation, as [`Checker::markdown_fields`] checks the others.
    pub(super) fn member_presentation(&mut self, m: &crate::model::Member) {
        if let Some(text) = &m.data.presentation {
            self.markdown_field(&m.file, text);
        }
    }

    /// One Markdown text of a YAML file.
    fn markdown_field(&mut self, file: &str, text: &S<String>) {
        let found = markdown::inspect(&text.value);
        for image in &found.images {
            self.warn(
                "M086",
                file,
                text,
                format!("non publié : l’image {} de ce texte", image.src),
                "les images s’affichent dans le texte d’une page (un fichier .md de actions/, pages/, actualites/ ou offres/) ou dans une clé « image » ; ici, seul le texte est publié",
            );
        }
        for d in &found.dropped {
            self.warn("M086", file, text, format!("non publié : {}", d.what), d.hint);
        }
    }

    /// One Markdown body whose first line is line `first_line` of `file`.
    fn markdown_body(&mut self, file: &str, body: &str, first_line: u32) {
        let found = markdown::inspect(body);
        let line = |l: u32| first_line + l - 1;
        for image in &found.images {
            let src = S { value: markdown::local_path(&image.src).to_string(), line: line(image.line), column: 1 };
            let alt = image.alt.trim();
            let img = crate::model::Image {
                alt: (!alt.is_empty()).then(|| S { value: alt.to_string(), line: src.line, column: 1 }),
                src,
                decorative: false,
            };
            self.markdown_image(file, &img);
        }
        for d in &found.dropped {
            self.dropped(file, line(d.line), d);
        }
    }

    /// An image of a Markdown text: the file must exist, and the text describe it.
    fn markdown_image(&mut self, file: &str, img: &crate::model::Image) {
        let exists = self.site.assets.iter().any(|a| !a.is_document && a.within == img.src.value);
        if !exists {
            self.image(file, Some(img));
            return;
        }
        if img.alt.is_none() {
            self.error(
                "M044",
                file,
                &img.src,
                "image sans texte alternatif",
                "décrivez l’image entre les crochets : ![Ce que montre l’image](images/nom.jpg)",
            );
        }
    }

    fn dropped(&mut self, file: &str, line: u32, d: &Dropped) {
        self.out.push(Diagnostic::warning("M086", file, line, 1, format!("non publié : {}", d.what)).with_hint(d.hint));
    }

    /// The SVG files of `static/`: what sanitising removes (M086), files it cannot read (M062).
    pub(super) fn svg_files(&mut self) {
        let site = self.site;
        for a in site.assets.iter().filter(|a| !a.is_document && a.within.to_ascii_lowercase().ends_with(".svg")) {
            let bytes = a.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&a.bytes);
            let Ok(text) = std::str::from_utf8(bytes) else {
                self.out.push(
                    Diagnostic::error("M062", &a.file, 0, 0, "image SVG illisible : le fichier n’est pas en UTF-8")
                        .with_hint("enregistrez l’image de nouveau depuis votre logiciel de dessin, en SVG"),
                );
                continue;
            };
            match crate::domain::svg::sanitize(text) {
                Ok(clean) => {
                    for r in clean.removed {
                        self.out.push(
                            Diagnostic::warning("M086", &a.file, r.line, 1, format!("non publié dans l’image SVG : {}", r.what))
                                .with_hint("une image SVG publiée ne peut ni exécuter de script ni charger un autre fichier : le reste du dessin est publié"),
                        );
                    }
                }
                Err(e) => self.out.push(
                    Diagnostic::error("M062", &a.file, e.line, 1, format!("image SVG illisible : {}", e.message))
                        .with_hint(
                            "ouvrez l’image dans un logiciel de dessin et enregistrez-la de nouveau en SVG, ou en PNG",
                        ),
                ),
            }
        }
    }
}
