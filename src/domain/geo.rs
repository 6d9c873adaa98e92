//! Geography of a territory: commune outlines read from GeoJSON, the box around the communes
//! that tells a plausible coordinate from a slip, and the flat projection that fits a territory
//! into a frame (the map). Lambert-93 coordinates of public files are converted by
//! [`super::lambert`]. Points are `[lon, lat]` in outlines and projections, as GeoJSON writes
//! them, and `[lat, lon]` in content files.

use crate::diagnostic::Diagnostic;
use serde_json::Value as Json;
use std::collections::HashMap;

/// Outer rings of `[lon, lat]` points, by INSEE code.
pub type Outlines = HashMap<String, Vec<Vec<[f64; 2]>>>;

/// Rings of `[lon, lat]` points for each commune, by INSEE code, read from a GeoJSON
/// FeatureCollection whose features carry a `code` property.
pub fn outlines(geojson: &str, file: &str) -> Result<Outlines, Diagnostic> {
    let bad = |msg: &str| {
        Diagnostic::error("M080", file, 0, 0, format!("fichier GeoJSON inutilisable : {msg}"))
            .with_hint("attendu : une FeatureCollection en WGS84 dont chaque commune porte les propriétés « code » (INSEE) et « nom »")
    };
    let doc: Json = serde_json::from_str(geojson)
        .map_err(|e| bad(&format!("ce n’est pas du JSON valide (ligne {}, colonne {})", e.line(), e.column())))?;
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

/// A rectangle around the territory, for plausibility checks of coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    lat: (f64, f64),
    lon: (f64, f64),
}

impl Bounds {
    /// The box around commune centres (`[lat, lon]`), widened by about 15 km; `None` without any.
    pub fn around(centres: impl Iterator<Item = [f64; 2]>) -> Option<Bounds> {
        let mut it = centres;
        let first = it.next()?;
        let (mut lat, mut lon) = ((first[0], first[0]), (first[1], first[1]));
        for [a, o] in it {
            lat = (lat.0.min(a), lat.1.max(a));
            lon = (lon.0.min(o), lon.1.max(o));
        }
        const MARGIN: f64 = 0.15;
        Some(Bounds { lat: (lat.0 - MARGIN, lat.1 + MARGIN), lon: (lon.0 - MARGIN, lon.1 + MARGIN) })
    }

    /// Whether a `[lat, lon]` point lies in the box.
    pub fn contains(&self, [lat, lon]: [f64; 2]) -> bool {
        (self.lat.0..=self.lat.1).contains(&lat) && (self.lon.0..=self.lon.1).contains(&lon)
    }
}

/// The frame a projection fits a territory into, in its own units (SVG pixels for the map).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// Room left on every side.
    pub margin: f64,
}

/// An equirectangular projection from degrees to frame coordinates (y downwards), fitted to a
/// territory: longitudes are shrunk by the cosine of the middle latitude, and the territory is
/// centred in the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    lon0: f64,
    lat1: f64,
    scale: f64,
    kx: f64,
    /// Offsets that centre the territory in the frame.
    dx: f64,
    dy: f64,
    margin: f64,
}

impl Projection {
    /// The projection that fits every `[lon, lat]` point into `frame`.
    pub fn fit(points: impl Iterator<Item = [f64; 2]>, frame: Frame) -> Projection {
        let Frame { width, height, margin } = frame;
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
        let scale = ((width - 2.0 * margin) / w).min((height - 2.0 * margin) / h);
        let dx = (width - 2.0 * margin - w * scale) / 2.0;
        let dy = (height - 2.0 * margin - h * scale) / 2.0;
        Projection { lon0, lat1, scale, kx, dx, dy, margin }
    }

    /// Frame coordinates of a `[lon, lat]` point.
    pub fn xy(&self, [lon, lat]: [f64; 2]) -> (f64, f64) {
        let m = self.margin;
        (m + self.dx + (lon - self.lon0) * self.kx * self.scale, m + self.dy + (self.lat1 - lat) * self.scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geojson_outlines_are_read_by_code() {
        let g = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"83001","nom":"A"},
            "geometry":{"type":"Polygon","coordinates":[[[6.0,43.0],[6.1,43.0],[6.1,43.1],[6.0,43.0]]]}}]}"#;
        let shapes = outlines(g, "content/communes.geojson").unwrap();
        assert_eq!(shapes["83001"][0].len(), 4);
        assert!(outlines("{}", "x").is_err());
    }

    #[test]
    fn projection_keeps_points_inside_the_frame() {
        let frame = Frame { width: 640.0, height: 480.0, margin: 70.0 };
        let p = Projection::fit([[6.0, 43.0], [6.5, 43.6]].into_iter(), frame);
        for pt in [[6.0, 43.0], [6.5, 43.6], [6.2, 43.3]] {
            let (x, y) = p.xy(pt);
            assert!((0.0..=frame.width).contains(&x) && (0.0..=frame.height).contains(&y), "{x} {y}");
        }
    }

    #[test]
    fn bounds_widen_the_box_of_the_centres() {
        let b = Bounds::around([[43.4, 6.2], [43.5, 6.4]].into_iter()).unwrap();
        assert!(b.contains([43.3, 6.1]));
        assert!(!b.contains([43.8, 6.3]));
        assert!(!b.contains([6.3, 43.45]), "latitude and longitude swapped");
        assert_eq!(Bounds::around(std::iter::empty()), None);
    }
}
