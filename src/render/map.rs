//! The territory map, drawn at build time as inline SVG: commune outlines from
//! `communes.geojson` when present, else a circle at each commune centre. Communes are shaded
//! by the number of professionals and each one links to its directory page. No tiles, no script.

use super::escape::escape_html;
use crate::domain::geo::{Frame, Outlines, Projection};
use crate::model::Site;
use std::collections::HashMap;
use std::fmt::Write as _;

/// One commune as the map shows it.
#[derive(Debug, Clone)]
pub struct MapCommune {
    /// INSEE code.
    pub insee: String,
    /// Name.
    pub nom: String,
    /// Directory page.
    pub url: String,
    /// Published members practising there.
    pub count: usize,
    /// `[lat, lon]` of the centre: from cpts.yaml, else the middle of its outline; a commune
    /// with neither is left off the map (`check` warns).
    pub centre: Option<[f64; 2]>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 480.0;
/// Room around the territory for circles and labels.
const MARGIN: f64 = 70.0;
/// The map's frame.
const FRAME: Frame = Frame { width: WIDTH, height: HEIGHT, margin: MARGIN };

/// Places labels so they do not overlap one another: below the mark, else above, right, left.
#[derive(Default)]
struct Labels {
    placed: Vec<(f64, f64, f64, f64)>,
}

impl Labels {
    /// Returns the `(x, y, anchor)` of a label of `text` for a mark of radius `r` at `(cx, cy)`.
    fn place(&mut self, text: &str, cx: f64, cy: f64, r: f64) -> (f64, f64, &'static str) {
        let w = text.chars().count() as f64 * 7.2;
        let h = 14.0;
        let candidates = [
            (cx, cy + r + 14.0, "middle"),
            (cx, cy - r - 5.0, "middle"),
            (cx + r + 4.0, cy + 4.5, "start"),
            (cx - r - 4.0, cy + 4.5, "end"),
        ];
        let rect = |(x, y, anchor): (f64, f64, &str)| {
            let left = match anchor {
                "start" => x,
                "end" => x - w,
                _ => x - w / 2.0,
            };
            (left, y - h + 3.0, left + w, y + 3.0)
        };
        let overlaps =
            |a: (f64, f64, f64, f64), b: &(f64, f64, f64, f64)| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
        let choice = candidates
            .iter()
            .copied()
            .find(|c| !self.placed.iter().any(|p| overlaps(rect(*c), p)))
            .unwrap_or(candidates[0]);
        self.placed.push(rect(choice));
        choice
    }
}

/// Shade for a count: five steps from light to dark, all with a dark outline.
fn shade(count: usize, max: usize) -> (&'static str, &'static str) {
    const STEPS: [(&str, &str); 5] = [
        ("#eef5f6", "#1b1f23"),
        ("#c5e0e4", "#1b1f23"),
        ("#8cc2cb", "#1b1f23"),
        ("#3f8f9c", "#ffffff"),
        ("#0b5a6b", "#ffffff"),
    ];
    if count == 0 || max == 0 {
        return STEPS[0];
    }
    let i = 1 + (count * 4 - 1) / max.max(1);
    STEPS[i.min(4)]
}

/// Draws the map, or nothing when no commune can be placed. `highlight` marks one commune (on
/// its own page).
pub fn svg(communes: &[MapCommune], shapes: Option<&Outlines>, highlight: Option<&str>, title: &str) -> String {
    let communes: Vec<(&MapCommune, [f64; 2])> = communes.iter().filter_map(|c| Some((c, c.centre?))).collect();
    if communes.is_empty() {
        return String::new();
    }
    let mut points: Vec<[f64; 2]> = communes.iter().map(|(_, centre)| [centre[1], centre[0]]).collect();
    if let Some(shapes) = shapes {
        points.extend(shapes.values().flatten().flatten().copied());
    }
    let proj = Projection::fit(points.into_iter(), FRAME);
    let max = communes.iter().map(|(c, _)| c.count).max().unwrap_or(0);
    let radius = |count: usize| 10.0 + 18.0 * (count as f64 / max.max(1) as f64).sqrt();
    let mut labels = Labels::default();
    if shapes.is_none() {
        // Circles are obstacles for every label, not only their own.
        for (c, centre) in &communes {
            let (cx, cy) = proj.xy([centre[1], centre[0]]);
            let r = radius(c.count);
            labels.placed.push((cx - r, cy - r, cx + r, cy + r));
        }
    }
    let mut names = String::new();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="group" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape_html(title)
    );
    for (c, centre) in communes {
        let (fill, ink) = shade(c.count, max);
        let stroke_width = if highlight == Some(c.insee.as_str()) { 4 } else { 1 };
        let label = format!("{} : {} professionnel{}", c.nom, c.count, if c.count > 1 { "s" } else { "" });
        let _ = write!(out, r#"<a href="{}" aria-label="{}">"#, escape_html(&c.url), escape_html(&label));
        let (cx, cy) = proj.xy([centre[1], centre[0]]);
        match shapes.and_then(|s| s.get(&c.insee)).filter(|r| !r.is_empty()) {
            Some(rings) => {
                out.push_str("<path d=\"");
                for ring in rings {
                    for (i, p) in ring.iter().enumerate() {
                        let (x, y) = proj.xy(*p);
                        let _ = write!(out, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
                    }
                    out.push('Z');
                }
                let _ = write!(out, r##"" fill="{fill}" stroke="#1b1f23" stroke-width="{stroke_width}"/>"##);
            }
            None => {
                let r = radius(c.count);
                let _ = write!(
                    out,
                    r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}" fill="{fill}" stroke="#1b1f23" stroke-width="{stroke_width}"/>"##
                );
                let _ = write!(
                    out,
                    r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="13" font-weight="700" fill="{ink}">{}</text>"#,
                    cy + 4.5,
                    c.count
                );
            }
        }
        let r = if shapes.is_some() { -14.0 } else { radius(c.count) };
        let (lx, ly, anchor) = labels.place(&c.nom, cx, cy, r);
        let _ = write!(
            names,
            r##"<text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}" font-size="13" fill="#1b1f23" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
            escape_html(&c.nom)
        );
        out.push_str("</a>");
    }
    // Names on top of every mark; links already carry them for assistive technologies.
    let _ = write!(out, r#"<g aria-hidden="true">{names}</g></svg>"#);
    out
}

/// The communes of a site with their member counts, in the order of cpts.yaml.
pub fn communes(
    site: &Site,
    shapes: Option<&Outlines>,
    url: impl Fn(&crate::model::Commune) -> String,
) -> Vec<MapCommune> {
    // Members per commune, counted once (a member with two places in a commune counts once).
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in &site.members {
        for (i, l) in m.data.lieux.iter().enumerate() {
            if !m.data.lieux[..i].iter().any(|x| x.commune.value == l.commune.value) {
                *counts.entry(l.commune.value.as_str()).or_default() += 1;
            }
        }
    }
    site.communes()
        .iter()
        .map(|c| MapCommune {
            insee: c.insee.value.clone(),
            nom: c.nom.clone(),
            url: url(c),
            count: counts.get(c.insee.value.as_str()).copied().unwrap_or(0),
            centre: c.centre.as_ref().map(|c| c.value).or_else(|| outline_centre(shapes?.get(&c.insee.value)?)),
        })
        .collect()
}

/// `[lat, lon]` of the middle of the box around a commune's outline.
fn outline_centre(rings: &[Vec<[f64; 2]>]) -> Option<[f64; 2]> {
    let mut points = rings.iter().flatten();
    let &[lon, lat] = points.next()?;
    let (mut lat_range, mut lon_range) = ((lat, lat), (lon, lon));
    for &[lon, lat] in points {
        lat_range = (lat_range.0.min(lat), lat_range.1.max(lat));
        lon_range = (lon_range.0.min(lon), lon_range.1.max(lon));
    }
    Some([(lat_range.0 + lat_range.1) / 2.0, (lon_range.0 + lon_range.1) / 2.0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(insee: &str, count: usize, centre: [f64; 2]) -> MapCommune {
        MapCommune {
            insee: insee.into(),
            nom: format!("C{insee}"),
            url: format!("/c/{insee}/"),
            count,
            centre: Some(centre),
        }
    }

    #[test]
    fn communes_without_a_centre_are_left_off_and_none_draws_nothing() {
        let mut list = vec![commune("83001", 1, [43.0, 6.0]), commune("83002", 2, [43.2, 6.3])];
        list[1].centre = None;
        let s = svg(&list, None, None, "Carte");
        assert_eq!(s.matches("<a href=").count(), 1);
        assert!(!s.contains("C83002"));
        list[0].centre = None;
        assert_eq!(svg(&list, None, None, "Carte"), "");
        assert_eq!(outline_centre(&[vec![[6.0, 43.0], [6.2, 43.0], [6.2, 43.4]]]), Some([43.2, 6.1]));
        assert_eq!(outline_centre(&[]), None);
    }

    #[test]
    fn circles_link_every_commune_with_its_count() {
        let list = [commune("83001", 0, [43.0, 6.0]), commune("83002", 12, [43.2, 6.3])];
        let s = svg(&list, None, Some("83002"), "Carte");
        assert_eq!(s.matches("<a href=").count(), 2);
        assert!(s.contains(r#"aria-label="C83002 : 12 professionnels""#));
        assert!(s.contains(r#"aria-label="C83001 : 0 professionnel""#));
        assert!(s.contains(r##"stroke-width="4""##));
    }

    #[test]
    fn outlines_are_drawn_as_paths() {
        let mut shapes = Outlines::new();
        shapes.insert("83001".to_string(), vec![vec![[6.0, 43.0], [6.1, 43.0], [6.1, 43.1], [6.0, 43.0]]]);
        let s = svg(&[commune("83001", 3, [43.05, 6.05])], Some(&shapes), None, "Carte");
        assert!(s.contains("<path d=\"M"));
    }
}
