//! Atom feeds (RFC 4287): a small reusable writer, and the feeds of the site.
//!
//! Every feed the site publishes is listed by [`links`], which `site_context` hands to every
//! template as `site.feeds` (for `<link rel="alternate">` in the head); [`outputs`] renders
//! them. To add a feed, add it to both.

use super::escape::xml_escape;
use crate::model::Site;
use crate::output::OutputFile;
use crate::routes::{Route, Urls};
use jiff::civil::Date;
use serde::Serialize;

/// A feed as announced in page heads.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    /// Title shown by feed readers and browsers.
    pub title: String,
    /// Root-relative URL of the feed.
    pub url: String,
}

/// An Atom feed, ready to be written.
#[derive(Debug, Clone)]
pub struct AtomFeed {
    /// Permanent identifier (an absolute URL).
    pub id: String,
    /// Title.
    pub title: String,
    /// Optional subtitle.
    pub subtitle: Option<String>,
    /// Last update, RFC 3339.
    pub updated: String,
    /// Absolute URL of the feed itself (`rel="self"`).
    pub self_url: String,
    /// Absolute URL of the matching HTML page (`rel="alternate"`).
    pub alternate_url: String,
    /// Author name (feed level, inherited by entries).
    pub author: String,
    /// Entries, newest first.
    pub entries: Vec<AtomEntry>,
}

/// One entry of an Atom feed.
#[derive(Debug, Clone)]
pub struct AtomEntry {
    /// Permanent identifier: stays the same when the entry is edited.
    pub id: String,
    /// Title.
    pub title: String,
    /// Last update, RFC 3339.
    pub updated: String,
    /// First publication, RFC 3339.
    pub published: String,
    /// Absolute URL of the entry's page.
    pub link: String,
    /// Plain-text summary.
    pub summary: String,
    /// Category labels.
    pub categories: Vec<String>,
}

/// Midnight of a day in Europe/Paris, RFC 3339 (`2026-10-05T00:00:00+02:00`).
pub fn rfc3339_day(d: Date) -> String {
    d.at(0, 0, 0, 0)
        .in_tz("Europe/Paris")
        .map_or_else(|_| format!("{d}T00:00:00Z"), |z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

impl AtomFeed {
    /// The feed as an XML document.
    pub fn to_xml(&self) -> String {
        let e = |s: &str| xml_escape(s);
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n");
        out.push_str(&format!("  <id>{}</id>\n", e(&self.id)));
        out.push_str(&format!("  <title>{}</title>\n", e(&self.title)));
        if let Some(s) = &self.subtitle {
            out.push_str(&format!("  <subtitle>{}</subtitle>\n", e(s)));
        }
        out.push_str(&format!("  <updated>{}</updated>\n", e(&self.updated)));
        out.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", e(&self.self_url)));
        out.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", e(&self.alternate_url)));
        out.push_str(&format!("  <author><name>{}</name></author>\n", e(&self.author)));
        out.push_str("  <generator>Maillage</generator>\n");
        for entry in &self.entries {
            out.push_str("  <entry>\n");
            out.push_str(&format!("    <id>{}</id>\n", e(&entry.id)));
            out.push_str(&format!("    <title>{}</title>\n", e(&entry.title)));
            out.push_str(&format!("    <updated>{}</updated>\n", e(&entry.updated)));
            out.push_str(&format!("    <published>{}</published>\n", e(&entry.published)));
            out.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", e(&entry.link)));
            for c in &entry.categories {
                out.push_str(&format!("    <category term=\"{}\"/>\n", e(c)));
            }
            out.push_str(&format!("    <summary>{}</summary>\n", e(&entry.summary)));
            out.push_str("  </entry>\n");
        }
        out.push_str("</feed>\n");
        out
    }
}

/// Every feed of the site, for `site.feeds`.
pub fn links(site: &Site, urls: &Urls) -> Vec<FeedLink> {
    let name = site.cpts.data.nom_court.as_deref().unwrap_or(&site.cpts.data.nom);
    vec![
        FeedLink { title: format!("Actualités – {name}"), url: urls.link(&Route::NewsFeed) },
        FeedLink { title: format!("Actions de prévention – {name}"), url: urls.link(&Route::ActionsFeed) },
        FeedLink { title: format!("Offres ouvertes – {name}"), url: urls.link(&Route::OffersFeed) },
    ]
}

/// Renders every feed of the site.
pub fn outputs(site: &Site, urls: &Urls, today: Date) -> Vec<OutputFile> {
    [
        (Route::NewsFeed, news_feed(site, urls, today)),
        (Route::ActionsFeed, actions_feed(site, urls, today)),
        (Route::OffersFeed, offers_feed(site, urls, today)),
    ]
    .into_iter()
    .map(|(route, feed)| OutputFile { path: route.output_path(), bytes: feed.to_xml().into_bytes() })
    .collect()
}

/// The news feed, newest first.
pub fn news_feed(site: &Site, urls: &Urls, today: Date) -> AtomFeed {
    let mut list: Vec<_> = site.news.iter().collect();
    list.sort_by(|a, b| b.data.date.value.cmp(&a.data.date.value).then(a.slug.cmp(&b.slug)));
    let c = &site.cpts.data;
    let entries = list
        .iter()
        .map(|n| {
            let link = urls.absolute(&Route::News(n.slug.clone()));
            let day = rfc3339_day(n.data.date.value);
            AtomEntry {
                id: link.clone(),
                title: super::text::typo(&n.data.titre),
                updated: day.clone(),
                published: day,
                link,
                summary: super::text::typo(&n.data.resume),
                categories: Vec::new(),
            }
        })
        .collect();
    AtomFeed {
        id: urls.absolute(&Route::NewsFeed),
        title: format!("Actualités – {}", c.nom),
        subtitle: Some(c.description.clone()),
        updated: rfc3339_day(list.first().map_or(today, |n| n.data.date.value)),
        self_url: urls.absolute(&Route::NewsFeed),
        alternate_url: urls.absolute(&Route::NewsIndex),
        author: c.nom.clone(),
        entries,
    }
}

/// The feed of upcoming prevention actions, soonest first; past actions leave it.
pub fn actions_feed(site: &Site, urls: &Urls, today: Date) -> AtomFeed {
    let mut list: Vec<_> = site.actions.iter().filter(|a| !super::views::is_past_action(a, today)).collect();
    let first_day = |a: &crate::model::Action| {
        a.data.seances.iter().filter_map(|s| s.date.as_ref().map(|d| d.value)).min().unwrap_or(today)
    };
    list.sort_by(|a, b| first_day(a).cmp(&first_day(b)).then(a.slug.cmp(&b.slug)));
    let c = &site.cpts.data;
    let entries: Vec<AtomEntry> = list
        .iter()
        .map(|a| {
            let card = super::views::action_card(site, urls, a, today);
            let link = urls.absolute(&Route::Action(a.slug.clone()));
            // Announced when its first session was known; updated is the same stable day.
            let day = rfc3339_day(first_day(a).min(today));
            AtomEntry {
                id: link.clone(),
                title: card.titre,
                updated: day.clone(),
                published: day,
                link,
                summary: format!("{} – {}", super::text::capitalize(&card.quand), card.resume),
                categories: vec![card.mission],
            }
        })
        .collect();
    AtomFeed {
        id: urls.absolute(&Route::ActionsFeed),
        title: format!("Actions de prévention – {}", c.nom),
        subtitle: Some("Dépistages, vaccination, ateliers : les prochaines actions sur le territoire.".into()),
        updated: rfc3339_day(list.iter().map(|a| first_day(a).min(today)).max().unwrap_or(today)),
        self_url: urls.absolute(&Route::ActionsFeed),
        alternate_url: urls.absolute(&Route::Prevention),
        author: c.nom.clone(),
        entries,
    }
}

/// The feed of open offers: archived offers (past `valide_jusqu_au`) are left out. Entry ids
/// are the offers' page URLs, which only change if the file is renamed.
pub fn offers_feed(site: &Site, urls: &Urls, today: Date) -> AtomFeed {
    let mut open: Vec<_> = site.offers.iter().filter(|o| !super::views::is_expired_offer(o, today)).collect();
    open.sort_by(|a, b| b.data.date_publication.value.cmp(&a.data.date_publication.value).then(a.slug.cmp(&b.slug)));
    let updated = open.iter().map(|o| o.data.date_publication.value).max().unwrap_or(today);
    let c = &site.cpts.data;
    let entries = open
        .iter()
        .map(|o| {
            let d = &o.data;
            let link = urls.absolute(&Route::Offer(o.slug.clone()));
            let day = rfc3339_day(d.date_publication.value);
            let mut categories = vec![super::views::offer_type_label(&d.kind.value).to_string()];
            if let Some(p) = crate::model::vocab::profession(&d.profession.value) {
                categories.push(p.masculine.to_string());
            }
            AtomEntry {
                id: link.clone(),
                title: super::text::typo(&d.titre),
                updated: day.clone(),
                published: day,
                link,
                summary: super::text::typo(&d.resume),
                categories,
            }
        })
        .collect();
    AtomFeed {
        id: urls.absolute(&Route::OffersFeed),
        title: format!("Offres pour les professionnels de santé – {}", c.nom),
        subtitle: Some(
            "Stages, installation, remplacements, collaborations et postes ouverts sur le territoire.".into(),
        ),
        updated: rfc3339_day(updated),
        self_url: urls.absolute(&Route::OffersFeed),
        alternate_url: urls.absolute(&Route::Offers),
        author: c.nom.clone(),
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_escapes_text_and_has_required_elements() {
        let feed = AtomFeed {
            id: "https://x.fr/offres/atom.xml".into(),
            title: "A & B <c>".into(),
            subtitle: None,
            updated: rfc3339_day(jiff::civil::date(2026, 10, 5)),
            self_url: "https://x.fr/offres/atom.xml".into(),
            alternate_url: "https://x.fr/offres/".into(),
            author: "CPTS".into(),
            entries: vec![AtomEntry {
                id: "https://x.fr/offres/a/".into(),
                title: "Stage".into(),
                updated: "2026-10-05T00:00:00+02:00".into(),
                published: "2026-10-05T00:00:00+02:00".into(),
                link: "https://x.fr/offres/a/".into(),
                summary: "x".into(),
                categories: vec![],
            }],
        };
        let xml = feed.to_xml();
        assert!(xml.contains("<title>A &amp; B &lt;c&gt;</title>"));
        assert!(xml.contains("<updated>2026-10-05T00:00:00+02:00</updated>"));
        assert!(xml.contains("rel=\"self\""));
        assert_eq!(xml.matches("<entry>").count(), 1);
    }
}
