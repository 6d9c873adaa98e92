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

/// A point of a frame (x to the right, y downwards), for the planar operations below.
pub type Point = (f64, f64);

/// An axis-aligned rectangle of a frame: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Smallest x.
    pub left: f64,
    /// Smallest y.
    pub top: f64,
    /// Largest x.
    pub right: f64,
    /// Largest y.
    pub bottom: f64,
}

impl Rect {
    /// The smallest rectangle around `points`, or `None` without any.
    pub fn around(points: impl Iterator<Item = Point>) -> Option<Rect> {
        let mut r: Option<Rect> = None;
        for (x, y) in points {
            let b = r.get_or_insert(Rect { left: x, top: y, right: x, bottom: y });
            b.left = b.left.min(x);
            b.top = b.top.min(y);
            b.right = b.right.max(x);
            b.bottom = b.bottom.max(y);
        }
        r
    }

    /// Whether the two rectangles share some area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right && other.left < self.right && self.top < other.bottom && other.top < self.bottom
    }

    /// Whether `other` lies wholly inside.
    pub fn contains(&self, other: &Rect) -> bool {
        self.left <= other.left && other.right <= self.right && self.top <= other.top && other.bottom <= self.bottom
    }

    /// The rectangle grown by `by` on every side.
    pub fn grown(&self, by: f64) -> Rect {
        Rect { left: self.left - by, top: self.top - by, right: self.right + by, bottom: self.bottom + by }
    }
}

/// Douglas–Peucker simplification of a closed ring: the points that matter at `tolerance` (in the
/// ring's units), at least the three that keep it a polygon. Rings drawn on a map lose most of
/// their points below a pixel, and none of their shape.
pub fn simplify(ring: &[Point], tolerance: f64) -> Vec<Point> {
    if ring.len() <= 4 {
        return ring.to_vec();
    }
    let mut keep = vec![false; ring.len()];
    let last = ring.len() - 1;
    // A closed ring is split at its first point and the point farthest from it.
    let far =
        (1..last).max_by(|&a, &b| dist2(ring[0], ring[a]).total_cmp(&dist2(ring[0], ring[b]))).unwrap_or(last / 2);
    keep[0] = true;
    keep[far] = true;
    keep[last] = true;
    let mut stack = vec![(0, far), (far, last)];
    while let Some((a, b)) = stack.pop() {
        let mut best = (0.0, 0);
        for i in a + 1..b {
            let d = segment_distance(ring[i], ring[a], ring[b]);
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tolerance {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    ring.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

/// The part of a ring inside `rect` (Sutherland–Hodgman): parts outside are replaced by the
/// rectangle's edges, so the clipped ring fills exactly what the ring filled within `rect`.
pub fn clip(ring: &[Point], rect: Rect) -> Vec<Point> {
    type Inside = fn(Point, Rect) -> bool;
    type Cross = fn(Point, Point, Rect) -> Point;
    let edges: [(Inside, Cross); 4] = [
        (|p, r| p.0 >= r.left, |a, b, r| lerp(a, b, (r.left - a.0) / (b.0 - a.0))),
        (|p, r| p.0 <= r.right, |a, b, r| lerp(a, b, (r.right - a.0) / (b.0 - a.0))),
        (|p, r| p.1 >= r.top, |a, b, r| lerp(a, b, (r.top - a.1) / (b.1 - a.1))),
        (|p, r| p.1 <= r.bottom, |a, b, r| lerp(a, b, (r.bottom - a.1) / (b.1 - a.1))),
    ];
    let mut out = ring.to_vec();
    for (inside, cross) in edges {
        let input = std::mem::take(&mut out);
        let Some(&last) = input.last() else { break };
        let mut prev = last;
        for &p in &input {
            match (inside(prev, rect), inside(p, rect)) {
                (true, true) => out.push(p),
                (true, false) => out.push(cross(prev, p, rect)),
                (false, true) => {
                    out.push(cross(prev, p, rect));
                    out.push(p);
                }
                (false, false) => {}
            }
            prev = p;
        }
    }
    out
}

/// Whether `p` lies inside the polygon made of `rings` (even-odd rule: holes and separate parts
/// alike).
pub fn inside(rings: &[Vec<Point>], p: Point) -> bool {
    let mut odd = false;
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut a = last;
        for &b in ring {
            if (a.1 > p.1) != (b.1 > p.1) && p.0 < a.0 + (p.1 - a.1) * (b.0 - a.0) / (b.1 - a.1) {
                odd = !odd;
            }
            a = b;
        }
    }
    odd
}

/// A point well inside a polygon, where a label or a marker reads as belonging to it: the point
/// farthest from its edges (the most central of equally far ones), searched on a grid over its
/// box and refined twice around the best one. (The middle of the box may fall outside a
/// crescent-shaped commune.)
pub fn interior_point(rings: &[Vec<Point>]) -> Option<Point> {
    grid_search(rings, |p, middle, bar| interior_score(rings, p, middle, bar))
}

/// How well `p` sits inside `rings`: among points about as far from the edges (the ridge of a
/// long shape), the most central wins. The distance to the nearest edge, less a twentieth of the
/// distance to `middle`. That distance is a minimum over every edge, so as soon as it is low
/// enough that the point cannot beat `bar` (the best score so far), the other edges are not
/// measured: `None`, as measuring them all would have found too. (A commune's outline has
/// hundreds of edges and the search measures some 800 points: this was most of `maillage
/// check`'s time.)
fn interior_score(rings: &[Vec<Point>], p: Point, middle: Point, bar: Option<f64>) -> Option<f64> {
    let penalty = 0.05 * dist2(p, middle).sqrt();
    let mut nearest = f64::MAX;
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut a = last;
        for &b in ring {
            nearest = nearest.min(segment_distance(p, a, b));
            if bar.is_some_and(|bar| nearest - penalty <= bar) {
                return None;
            }
            a = b;
        }
    }
    Some(nearest - penalty)
}

/// The search of [`interior_point`]: the points of a grid over the box of `rings` that lie inside,
/// then of two finer grids around the best one; `score(p, middle of the box, best score so far)`
/// is `None` for a point that does not beat the best.
fn grid_search(rings: &[Vec<Point>], score: impl Fn(Point, Point, Option<f64>) -> Option<f64>) -> Option<Point> {
    let bounds = Rect::around(rings.iter().flatten().copied())?;
    let middle = ((bounds.left + bounds.right) / 2.0, (bounds.top + bounds.bottom) / 2.0);
    let mut best: Option<(f64, Point)> = None;
    let (mut centre, mut w, mut h) = (middle, bounds.right - bounds.left, bounds.bottom - bounds.top);
    for steps in [24, 8, 8] {
        for i in 0..=steps {
            for j in 0..=steps {
                let p = (
                    centre.0 - w / 2.0 + w * i as f64 / steps as f64,
                    centre.1 - h / 2.0 + h * j as f64 / steps as f64,
                );
                if !inside(rings, p) {
                    continue;
                }
                if let Some(d) = score(p, middle, best.map(|(b, _)| b)) {
                    best = Some((d, p));
                }
            }
        }
        let Some((_, p)) = best else { break };
        centre = p;
        w /= steps as f64 / 2.0;
        h /= steps as f64 / 2.0;
    }
    best.map(|(_, p)| p)
}

fn lerp(a: Point, b: Point, t: f64) -> Point {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

fn dist2(a: Point, b: Point) -> f64 {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let len2 = dist2(a, b);
    if len2 == 0.0 {
        return dist2(p, a).sqrt();
    }
    let t = (((p.0 - a.0) * (b.0 - a.0) + (p.1 - a.1) * (b.1 - a.1)) / len2).clamp(0.0, 1.0);
    dist2(p, (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)).sqrt()
}

/// The `[lat, lon]` of a point well inside a commune's outline ([`interior_point`], on a plane
/// where longitudes are shrunk by the cosine of the latitude).
pub fn outline_centre(rings: &[Vec<[f64; 2]>]) -> Option<[f64; 2]> {
    let lat0 = rings.iter().flatten().map(|p| p[1]).next()?;
    let k = lat0.to_radians().cos();
    let planar: Vec<Vec<Point>> = rings.iter().map(|r| r.iter().map(|&[lon, lat]| (lon * k, -lat)).collect()).collect();
    let (x, y) = interior_point(&planar)?;
    Some([-y, x / k])
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

    #[test]
    fn simplification_keeps_the_shape_and_drops_the_noise() {
        // A square with a wobbly side: the wobble under the tolerance goes, the corners stay.
        let mut ring = vec![(0.0, 0.0)];
        ring.extend((1..10).map(|i| (i as f64 * 10.0, if i % 2 == 0 { 0.2 } else { -0.2 })));
        ring.extend([(100.0, 0.0), (100.0, 100.0), (0.0, 100.0), (0.0, 0.0)]);
        let s = simplify(&ring, 1.0);
        assert_eq!(s, [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0), (0.0, 0.0)]);
        assert_eq!(simplify(&ring, 0.1).len(), ring.len());
    }

    #[test]
    fn clipping_keeps_what_lies_inside_the_rectangle() {
        let square = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)];
        let r = Rect { left: 0.0, top: 0.0, right: 20.0, bottom: 20.0 };
        let mut c = clip(&square, r);
        c.sort_by(|a, b| a.partial_cmp(b).unwrap());
        c.dedup();
        assert_eq!(c, [(0.0, 0.0), (0.0, 10.0), (10.0, 0.0), (10.0, 10.0)]);
        assert!(clip(&square, Rect { left: 50.0, top: 50.0, right: 60.0, bottom: 60.0 }).is_empty());
    }

    #[test]
    fn an_interior_point_of_a_crescent_is_inside_it() {
        // A C shape: the middle of its box is in the hollow, outside the shape.
        let c = vec![vec![
            (0.0, 0.0),
            (30.0, 0.0),
            (30.0, 10.0),
            (10.0, 10.0),
            (10.0, 30.0),
            (30.0, 30.0),
            (30.0, 40.0),
            (0.0, 40.0),
        ]];
        assert!(!inside(&c, (20.0, 20.0)));
        let p = interior_point(&c).unwrap();
        assert!(inside(&c, p), "{p:?}");
        assert!(p.0 < 10.0, "{p:?}");
        assert_eq!(interior_point(&[]), None);
        let [lat, lon] = outline_centre(&[vec![[6.0, 43.0], [6.2, 43.0], [6.2, 43.4], [6.0, 43.4]]]).unwrap();
        assert!((lat - 43.2).abs() < 0.02 && (lon - 6.1).abs() < 0.02, "{lat} {lon}");
    }

    /// The search of [`interior_point`] measuring every edge of every point, as it did before
    /// it stopped early: the reference its result must equal.
    fn interior_point_measuring_every_edge(rings: &[Vec<Point>]) -> Option<Point> {
        grid_search(rings, |p, middle, bar| {
            interior_score(rings, p, middle, None).filter(|d| bar.is_none_or(|bar| *d > bar))
        })
    }

    #[test]
    fn stopping_early_finds_the_point_measuring_every_edge_finds() {
        // A star of 7 to 40 branches, with and without a hole, and a long thin zigzag: shapes
        // whose best points are many and close, where a wrong early stop would show.
        let star = |branches: usize, hole: bool| {
            let mut outer = Vec::new();
            for k in 0..branches * 2 {
                let angle = std::f64::consts::PI * k as f64 / branches as f64;
                let r = if k % 2 == 0 { 10.0 } else { 4.0 + (k % 3) as f64 };
                outer.push((r * angle.cos() + 0.3 * k as f64, r * angle.sin()));
            }
            let mut rings = vec![outer];
            if hole {
                rings.push(vec![(-1.0, -1.0), (1.5, -1.0), (1.5, 1.0), (-1.0, 1.0)]);
            }
            rings
        };
        let zigzag: Vec<Point> = (0..30)
            .map(|k| (k as f64 * 3.0, if k % 2 == 0 { 0.0 } else { 2.0 }))
            .chain((0..30).rev().map(|k| (k as f64 * 3.0 + 1.0, if k % 2 == 0 { 5.0 } else { 7.0 })))
            .collect();
        let mut shapes = vec![vec![zigzag]];
        for branches in [7, 12, 40] {
            shapes.push(star(branches, false));
            shapes.push(star(branches, true));
        }
        for rings in &shapes {
            let found = interior_point(rings);
            assert!(found.is_some());
            assert_eq!(found, interior_point_measuring_every_edge(rings), "{rings:?}");
        }
    }
}
