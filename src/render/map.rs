//! The territory map, drawn at build time as inline SVG: commune outlines from
//! `communes.geojson` when present, else a circle at each commune centre. Communes are shaded
//! by the number of professionals and each one links to its directory page. No tiles, no script.

use super::theme::escape_html;
use crate::check::diagnostic::Diagnostic;
use crate::model::Site;
use serde_json::Value as Json;
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
    /// `[lat, lon]` of the centre.
    pub centre: [f64; 2],
}

/// Outer rings of `[lon, lat]` points, by INSEE code.
pub type Outlines = HashMap<String, Vec<Vec<[f64; 2]>>>;

/// Rings of `[lon, lat]` points for each commune, by INSEE code, read from a GeoJSON
/// FeatureCollection whose features carry a `code` property.
pub fn outlines(geojson: &str, file: &str) -> Result<Outlines, Diagnostic> {
    let bad = |msg: &str| {
        Diagnostic::error("M080", file, 0, 0, format!("fichier GeoJSON inutilisable : {msg}"))
            .with_hint("attendu : une FeatureCollection en WGS84 dont chaque commune porte les propriétés « code » (INSEE) et « nom »")
    };
    let doc: Json = serde_json::from_str(geojson).map_err(|e| bad(&e.to_string()))?;
    let features = doc.get("features").and_then(Json::as_array).ok_or_else(|| bad("pas de « features »"))?;
    let mut out = HashMap::new();
    for f in features {
        let Some(code) = f.pointer("/properties/code").and_then(Json::as_str) else { continue };
        let geometry = f.get("geometry").unwrap_or(&Json::Null);
        let polygons: Vec<&Json> = match geometry.get("type").and_then(Json::as_str) {
            Some("Polygon") => geometry.get("coordinates").into_iter().collect(),
            Some("MultiPolygon") => {
                geometry.get("coordinates").and_then(Json::as_array).map(|v| v.iter().collect()).unwrap_or_default()
            }
            _ => continue,
        };
        let mut rings = Vec::new();
        for poly in polygons {
            // Outer ring only: holes are rare for communes and invisible at this scale.
            if let Some(ring) = poly.as_array().and_then(|r| r.first()).and_then(Json::as_array) {
                let pts: Vec<[f64; 2]> =
                    ring.iter().filter_map(|p| Some([p.get(0)?.as_f64()?, p.get(1)?.as_f64()?])).collect();
                if pts.len() >= 3 {
                    rings.push(pts);
                }
            }
        }
        out.insert(code.to_string(), rings);
    }
    Ok(out)
}

/// A projection from degrees to SVG coordinates, fitted to the territory.
struct Projection {
    lon0: f64,
    lat1: f64,
    scale: f64,
    kx: f64,
    /// Offsets that centre the territory in the frame.
    dx: f64,
    dy: f64,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 480.0;
/// Room around the territory for circles and labels.
const MARGIN: f64 = 70.0;

impl Projection {
    fn fit(points: impl Iterator<Item = [f64; 2]>) -> Projection {
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for [lon, lat] in points {
            lat0 = lat0.min(lat);
            lat1 = lat1.max(lat);
            lon0 = lon0.min(lon);
            lon1 = lon1.max(lon);
        }
        if lat0 > lat1 {
            (lat0, lat1, lon0, lon1) = (0.0, 1.0, 0.0, 1.0);
        }
        let kx = ((lat0 + lat1) / 2.0).to_radians().cos();
        let w = ((lon1 - lon0) * kx).max(1e-6);
        let h = (lat1 - lat0).max(1e-6);
        let scale = ((WIDTH - 2.0 * MARGIN) / w).min((HEIGHT - 2.0 * MARGIN) / h);
        let dx = (WIDTH - 2.0 * MARGIN - w * scale) / 2.0;
        let dy = (HEIGHT - 2.0 * MARGIN - h * scale) / 2.0;
        Projection { lon0, lat1, scale, kx, dx, dy }
    }

    fn xy(&self, [lon, lat]: [f64; 2]) -> (f64, f64) {
        (MARGIN + self.dx + (lon - self.lon0) * self.kx * self.scale, MARGIN + self.dy + (self.lat1 - lat) * self.scale)
    }
}

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

/// Draws the map. `highlight` marks one commune (on its own page).
pub fn svg(communes: &[MapCommune], shapes: Option<&Outlines>, highlight: Option<&str>, title: &str) -> String {
    let mut points: Vec<[f64; 2]> = communes.iter().map(|c| [c.centre[1], c.centre[0]]).collect();
    if let Some(shapes) = shapes {
        points.extend(shapes.values().flatten().flatten().copied());
    }
    let proj = Projection::fit(points.into_iter());
    let max = communes.iter().map(|c| c.count).max().unwrap_or(0);
    let radius = |count: usize| 10.0 + 18.0 * (count as f64 / max.max(1) as f64).sqrt();
    let mut labels = Labels::default();
    if shapes.is_none() {
        // Circles are obstacles for every label, not only their own.
        for c in communes {
            let (cx, cy) = proj.xy([c.centre[1], c.centre[0]]);
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
    for c in communes {
        let (fill, ink) = shade(c.count, max);
        let stroke_width = if highlight == Some(c.insee.as_str()) { 4 } else { 1 };
        let label = format!("{} : {} professionnel{}", c.nom, c.count, if c.count > 1 { "s" } else { "" });
        let _ = write!(out, r#"<a href="{}" aria-label="{}">"#, escape_html(&c.url), escape_html(&label));
        let (cx, cy) = proj.xy([c.centre[1], c.centre[0]]);
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
pub fn communes(site: &Site, url: impl Fn(&crate::model::Commune) -> String) -> Vec<MapCommune> {
    // Members per commune, counted once (a member with two places in a commune counts once).
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
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
            centre: c.centre.value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(insee: &str, count: usize, centre: [f64; 2]) -> MapCommune {
        MapCommune { insee: insee.into(), nom: format!("C{insee}"), url: format!("/c/{insee}/"), count, centre }
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
    fn geojson_outlines_are_read_by_code() {
        let g = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"83001","nom":"A"},
            "geometry":{"type":"Polygon","coordinates":[[[6.0,43.0],[6.1,43.0],[6.1,43.1],[6.0,43.0]]]}}]}"#;
        let shapes = outlines(g, "content/communes.geojson").unwrap();
        assert_eq!(shapes["83001"][0].len(), 4);
        let s = svg(&[commune("83001", 3, [43.05, 6.05])], Some(&shapes), None, "Carte");
        assert!(s.contains("<path d=\"M"));
        assert!(outlines("{}", "x").is_err());
    }

    #[test]
    fn projection_keeps_points_inside_the_frame() {
        let p = Projection::fit([[6.0, 43.0], [6.5, 43.6]].into_iter());
        for pt in [[6.0, 43.0], [6.5, 43.6], [6.2, 43.3]] {
            let (x, y) = p.xy(pt);
            assert!((0.0..=WIDTH).contains(&x) && (0.0..=HEIGHT).contains(&y), "{x} {y}");
        }
    }
}
