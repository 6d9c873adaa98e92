//! The territory map, drawn at build time as inline SVG: no tiles, no script, no request.
//!
//! With `communes.geojson`, each commune of the territory is its outline, shaded by the number of
//! professionals and linking to its directory page; the map is fitted to the territory, and the
//! outlines of the file's other communes (a whole département's file works) are drawn faint
//! around it for context, clipped to the frame. Without outlines, each commune is a circle at its
//! centre. Outlines are simplified below a pixel and written with whole coordinates, relative
//! from point to point: the map stays a few kilobytes.
//!
//! Labels never overlap. The map carries two layouts and the page's style sheet shows the one
//! that suits the width of the screen: when wide, each commune's name and
//! count ("Le Luc (28)") where it fits, a number otherwise; when narrow, a number for every
//! commune, large enough to read on a phone. The numbers are those of the legend
//! ([`DrawnMap::legend`]) that templates show under the map, with each commune's count.

use super::escape::escape_html;
use crate::domain::geo::{self, Frame, Outlines, Point, Projection, Rect};
use crate::model::Site;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

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
    /// `[lat, lon]` of the centre: from cpts.yaml, else a point well inside its outline; a
    /// commune with neither is left off the map (`check` warns).
    pub centre: Option<[f64; 2]>,
}

/// A map and the legend of its numbers.
#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize)]
pub struct DrawnMap {
    /// The inline SVG; empty when no commune can be placed.
    pub svg: String,
    /// The numbered communes, in the order of their numbers (empty for a locator map).
    #[serde(rename = "legende")]
    pub legend: Vec<LegendEntry>,
    /// Whether every commune is named on the wide layout (the legend then only serves the narrow
    /// one).
    #[serde(rename = "toutes_nommees")]
    pub all_named: bool,
}

/// A commune of the legend.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
pub struct LegendEntry {
    /// Its number on the map.
    pub numero: usize,
    /// Name.
    pub nom: String,
    /// Directory page.
    pub url: String,
    /// Published members practising there.
    pub nombre: usize,
    /// Named on the wide layout (else numbered there too).
    pub nommee: bool,
}

const WIDTH: f64 = 640.0;
/// Room around the territory, where the neighbours show.
const MARGIN: f64 = 28.0;
/// Bounds of the drawing's height, whatever the territory's shape.
const MIN_HEIGHT: f64 = 300.0;
const MAX_HEIGHT: f64 = 640.0;
/// Simplification tolerance of the territory's outlines, in SVG units (about a pixel at full
/// width), and of the faint outlines around it.
const TOLERANCE: f64 = 0.7;
const CONTEXT_TOLERANCE: f64 = 1.4;
/// Text of the wide layout: size, and the average width of a character of it.
const FONT: f64 = 13.0;
const CHAR_WIDTH: f64 = 7.0;
/// Markers of the wide layout (communes whose name does not fit) and of the narrow one.
const SMALL_MARKER: f64 = 9.0;
const SMALL_FONT: f64 = 11.0;
const BIG_MARKER: f64 = 24.0;
const BIG_FONT: f64 = 26.0;
/// Name of the commune a locator map points at: read at the width of a commune page's map.
const LOCATOR_FONT: f64 = 22.0;
const INK: &str = "#1b1f23";

/// Shade for a count: five steps from light to dark, all with a dark outline.
fn shade(count: usize, max: usize) -> &'static str {
    const STEPS: [&str; 5] = ["#eef5f6", "#c5e0e4", "#8cc2cb", "#3f8f9c", "#0b5a6b"];
    if count == 0 || max == 0 {
        return STEPS[0];
    }
    STEPS[(1 + (count * 4 - 1) / max.max(1)).min(4)]
}

/// Rectangles already taken on the drawing, indexed by the cells of a grid they cover, so that a
/// map of thousands of communes places its labels in linear time.
#[derive(Default)]
struct Taken {
    rects: Vec<Rect>,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

impl Taken {
    const CELL: f64 = 32.0;

    fn cells(r: &Rect) -> impl Iterator<Item = (i64, i64)> + use<> {
        let (x0, x1) = ((r.left / Self::CELL).floor() as i64, (r.right / Self::CELL).floor() as i64);
        let (y0, y1) = ((r.top / Self::CELL).floor() as i64, (r.bottom / Self::CELL).floor() as i64);
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn free(&self, r: &Rect) -> bool {
        Self::cells(r).all(|c| self.cells.get(&c).is_none_or(|v| v.iter().all(|&i| !self.rects[i].overlaps(r))))
    }

    fn push(&mut self, r: Rect) {
        let i = self.rects.len();
        for c in Self::cells(&r) {
            self.cells.entry(c).or_default().push(i);
        }
        self.rects.push(r);
    }
}

/// The box of a text of `chars` characters of `font` size centred on `(x, y)`.
fn text_box(x: f64, y: f64, chars: usize, font: f64) -> Rect {
    let w = chars as f64 * CHAR_WIDTH * font / FONT;
    Rect { left: x - w / 2.0, top: y - font * 0.75, right: x + w / 2.0, bottom: y + font * 0.35 }
}

fn circle_box((x, y): Point, r: f64) -> Rect {
    Rect { left: x - r, top: y - r, right: x + r, bottom: y + r }
}

/// The first position around `anchor` (itself, then rings further and further, up to `reach`)
/// where a box made by `make` is inside `view` and free.
fn find_place(anchor: Point, reach: f64, view: &Rect, taken: &Taken, make: impl Fn(Point) -> Rect) -> Option<Point> {
    let mut candidates = vec![anchor];
    let mut radius = 6.0;
    while radius <= reach {
        for k in 0..16 {
            let a = std::f64::consts::TAU * k as f64 / 16.0;
            candidates.push((anchor.0 + radius * a.cos(), anchor.1 + radius * a.sin()));
        }
        radius += 6.0;
    }
    candidates.into_iter().find(|&p| {
        let r = make(p);
        view.contains(&r) && taken.free(&r)
    })
}

/// Appends a ring to a path: the first point absolute, the others relative, in whole units;
/// repeated points and the closing point (`Z` closes the ring) are left out.
fn push_ring(d: &mut String, ring: &[Point]) {
    let whole = |(x, y): Point| (x.round() as i64, y.round() as i64);
    let Some(&first) = ring.first() else { return };
    let start = whole(first);
    let _ = write!(d, "M{} {}", start.0, start.1);
    let mut last = start;
    let mut relative = false;
    for (i, &p) in ring.iter().enumerate().skip(1) {
        let p = whole(p);
        if p == last || (i == ring.len() - 1 && p == start) {
            continue;
        }
        let (dx, dy) = (p.0 - last.0, p.1 - last.1);
        if !relative {
            d.push('l');
            relative = true;
        } else if dx >= 0 {
            d.push(' ');
        }
        let _ = write!(d, "{dx}{}{dy}", if dy >= 0 { " " } else { "" });
        last = p;
    }
    d.push('Z');
}

/// Twice the signed area of a ring (positive when it turns clockwise on screen).
fn signed_area(ring: &[Point]) -> f64 {
    let mut sum = 0.0;
    let mut prev = ring.last().copied().unwrap_or((0.0, 0.0));
    for &p in ring {
        sum += prev.0 * p.1 - p.0 * prev.1;
        prev = p;
    }
    sum
}

/// A projected outline simplified for the drawing, or nothing when it vanishes.
fn project(rings: &[Vec<[f64; 2]>], proj: &Projection, clip: Option<Rect>, tolerance: f64) -> Vec<Vec<Point>> {
    rings
        .iter()
        .map(|ring| {
            let pts: Vec<Point> = ring.iter().map(|&p| proj.xy(p)).collect();
            let pts = match clip {
                Some(r) if !Rect::around(pts.iter().copied()).is_some_and(|b| r.contains(&b)) => geo::clip(&pts, r),
                _ => pts,
            };
            geo::simplify(&pts, tolerance)
        })
        .filter(|r| r.len() >= 3)
        .collect()
}

/// Maps drawn by an earlier plan, known by the fingerprint of what they were drawn from: the dev
/// server draws again only the maps whose communes changed (a save rarely changes any). Each plan
/// keeps the maps it used, and only those. A build, which plans once, keeps none: the map of each
/// commune's page is drawn when that page renders ([`Drawn::page_map`]).
#[derive(Debug, Clone, Default)]
pub struct Drawn {
    previous: HashMap<u64, DrawnMap>,
    used: HashMap<u64, DrawnMap>,
    /// No plan follows this one: page maps are drawn when their page renders, and not kept.
    once: bool,
}

impl Drawn {
    /// For a plan that no other follows (a build): page maps are drawn when their page renders.
    pub fn once() -> Drawn {
        Drawn { once: true, ..Drawn::default() }
    }

    /// The maps kept from an earlier plan, for a new one.
    pub fn reused(self) -> Drawn {
        Drawn { previous: self.used, used: HashMap::new(), once: self.once }
    }

    /// The maps kept from an earlier plan, for a plan of only some pages: every one of them is
    /// kept for the next plan, used by this one or not (the other pages showing them are still
    /// those of the last render).
    pub fn kept(self) -> Drawn {
        Drawn { previous: HashMap::new(), used: self.used, once: self.once }
    }

    /// The map of the communes of `all` at positions `shown`, for a page: [`Drawn::svg`] when a
    /// plan follows this one, else what to draw it from when the page renders (a map a few
    /// kilobytes heavy for each of thousands of commune pages, otherwise all held until then).
    /// With its fingerprint, the same either way.
    #[allow(clippy::too_many_arguments)]
    pub fn page_map<'s>(
        &mut self,
        all: &Arc<Vec<MapCommune>>,
        shown: Vec<usize>,
        shapes: Option<&'s Outlines>,
        shapes_key: u64,
        highlight: &str,
        title: String,
    ) -> (u64, PageMap<'s>) {
        let communes = shown.iter().map(|&j| &all[j]);
        if !self.once {
            let communes: Vec<MapCommune> = communes.cloned().collect();
            let (key, map) = self.svg(&communes, shapes, shapes_key, Some(highlight), &title);
            return (key, PageMap::Drawn(map));
        }
        let key = map_key(communes, shapes, shapes_key, Some(highlight), &title);
        let later = PageMap::Later { all: Arc::clone(all), shown, shapes, highlight: highlight.to_string(), title };
        (key, later)
    }

    /// [`svg`] of these arguments, drawn now or taken from the earlier plan, with the
    /// fingerprint of what it is drawn from (`shapes_key`: [`Site::outlines_key`]).
    pub fn svg(
        &mut self,
        communes: &[MapCommune],
        shapes: Option<&Outlines>,
        shapes_key: u64,
        highlight: Option<&str>,
        title: &str,
    ) -> (u64, DrawnMap) {
        let key = map_key(communes.iter(), shapes, shapes_key, highlight, title);
        let map = match self.previous.remove(&key).or_else(|| self.used.get(&key).cloned()) {
            Some(map) => map,
            None => svg(communes, shapes, highlight, title),
        };
        if !self.once {
            self.used.insert(key, map.clone());
        }
        (key, map)
    }
}

/// The fingerprint of what [`svg`] draws a map from.
fn map_key<'c>(
    communes: impl Iterator<Item = &'c MapCommune>,
    shapes: Option<&Outlines>,
    shapes_key: u64,
    highlight: Option<&str>,
    title: &str,
) -> u64 {
    let placed = communes.map(|c| (&c.insee, &c.nom, &c.url, c.count, c.centre.map(|p| p.map(f64::to_bits))));
    crate::fingerprint::of(&(shapes.is_some(), shapes_key, highlight, title, placed.collect::<Vec<_>>()))
}

/// A page's locator map ([`Drawn::page_map`]): drawn, or drawn when the page renders.
#[derive(Debug)]
pub enum PageMap<'s> {
    /// Drawn while planning (or taken from an earlier plan).
    Drawn(DrawnMap),
    /// What [`svg`] draws it from.
    Later {
        /// Every commune of the territory's map.
        all: Arc<Vec<MapCommune>>,
        /// The positions in `all` of those on this map, in order.
        shown: Vec<usize>,
        /// The communes' outlines.
        shapes: Option<&'s Outlines>,
        /// INSEE code of the commune the map points at.
        highlight: String,
        /// The map's accessible name.
        title: String,
    },
}

impl PageMap<'_> {
    /// The map.
    pub fn draw(&self) -> std::borrow::Cow<'_, DrawnMap> {
        match self {
            PageMap::Drawn(map) => std::borrow::Cow::Borrowed(map),
            PageMap::Later { all, shown, shapes, highlight, title } => {
                let communes: Vec<MapCommune> = shown.iter().map(|&j| all[j].clone()).collect();
                std::borrow::Cow::Owned(svg(&communes, *shapes, Some(highlight), title))
            }
        }
    }
}

/// Draws the map of `communes`, or nothing when none can be placed. With `highlight`, a
/// locator map (a commune's page): that commune stands out and alone is named, without legend.
pub fn svg(communes: &[MapCommune], shapes: Option<&Outlines>, highlight: Option<&str>, title: &str) -> DrawnMap {
    let placed: Vec<(&MapCommune, [f64; 2])> = communes.iter().filter_map(|c| Some((c, c.centre?))).collect();
    if placed.is_empty() {
        return DrawnMap::default();
    }
    let outline = |c: &MapCommune| shapes.and_then(|s| s.get(&c.insee)).filter(|r| !r.is_empty());
    // Fitted to the territory: its outlines, or the centres of communes without one.
    let mut points: Vec<[f64; 2]> = Vec::new();
    for (c, centre) in &placed {
        match outline(c) {
            Some(rings) => points.extend(rings.iter().flatten().copied()),
            None => points.push([centre[1], centre[0]]),
        }
    }
    let height = fitted_height(&points);
    let proj = Projection::fit(points.into_iter(), Frame { width: WIDTH, height, margin: MARGIN });
    let view = Rect { left: 0.0, top: 0.0, right: WIDTH, bottom: height };
    let max = placed.iter().map(|(c, _)| c.count).max().unwrap_or(0);
    let radius = |count: usize| 10.0 + 18.0 * (count as f64 / max.max(1) as f64).sqrt();

    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        r#"<svg class="map" viewBox="0 0 {WIDTH} {height:.0}" width="{WIDTH}" height="{height:.0}" role="group" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape_html(title)
    );
    // Context: the file's other communes in the frame, faint, under everything.
    if let Some(shapes) = shapes {
        let own: HashSet<&str> = communes.iter().map(|c| c.insee.as_str()).collect();
        let mut others: Vec<(&String, &Vec<Vec<[f64; 2]>>)> =
            shapes.iter().filter(|(code, _)| !own.contains(code.as_str())).collect();
        others.sort_by(|a, b| a.0.cmp(b.0));
        let mut d = String::new();
        let clip = view.grown(2.0);
        for (_, rings) in others {
            let bounds = Rect::around(rings.iter().flatten().map(|&p| proj.xy(p)));
            if !bounds.is_some_and(|b| b.overlaps(&clip)) {
                continue;
            }
            for mut ring in project(rings, &proj, Some(clip), CONTEXT_TOLERANCE) {
                // One path for all, filled by the non-zero rule: every ring turns the same way,
                // so that a commune drawn over another (an enclave) adds to it, not cuts it out.
                if signed_area(&ring) < 0.0 {
                    ring.reverse();
                }
                push_ring(&mut d, &ring);
            }
        }
        if !d.is_empty() {
            let _ =
                write!(out, r##"<path d="{d}" fill="#eceeef" stroke="#b9bec3" stroke-width="1" aria-hidden="true"/>"##);
        }
    }
    // The territory's communes, each a link.
    let mut anchors: Vec<Point> = Vec::with_capacity(placed.len());
    for (c, centre) in &placed {
        let fill = shade(c.count, max);
        let stroke_width = if highlight == Some(c.insee.as_str()) { 4 } else { 1 };
        let label = format!("{} : {} professionnel{}", c.nom, c.count, if c.count > 1 { "s" } else { "" });
        let _ = write!(out, r#"<a href="{}" aria-label="{}">"#, escape_html(&c.url), escape_html(&label));
        let anchor = proj.xy([centre[1], centre[0]]);
        anchors.push(anchor);
        match outline(c) {
            Some(rings) => {
                let mut d = String::new();
                for ring in project(rings, &proj, None, TOLERANCE) {
                    push_ring(&mut d, &ring);
                }
                let _ = write!(out, r#"<path d="{d}" fill="{fill}" stroke="{INK}" stroke-width="{stroke_width}"/>"#);
            }
            None => {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.0}" cy="{:.0}" r="{:.0}" fill="{fill}" stroke="{INK}" stroke-width="{stroke_width}"/>"#,
                    anchor.0,
                    anchor.1,
                    radius(c.count)
                );
            }
        }
        out.push_str("</a>");
    }
    let legend = match highlight {
        Some(code) => {
            locator_label(&mut out, &placed, &anchors, code, &view);
            Vec::new()
        }
        None => labels(&mut out, &placed, &anchors, &view),
    };
    out.push_str("</svg>");
    let all_named = legend.iter().all(|e| e.nommee);
    DrawnMap { svg: out, legend, all_named }
}

/// The height of the drawing for a territory of `[lon, lat]` points: the frame's width, and the
/// territory's shape within bounds.
fn fitted_height(points: &[[f64; 2]]) -> f64 {
    let Some(b) = Rect::around(points.iter().map(|&[lon, lat]| (lon, lat))) else { return MIN_HEIGHT };
    let k = ((b.top + b.bottom) / 2.0).to_radians().cos();
    let (w, h) = (((b.right - b.left) * k).max(1e-6), (b.bottom - b.top).max(1e-6));
    ((WIDTH - 2.0 * MARGIN) * h / w + 2.0 * MARGIN).clamp(MIN_HEIGHT, MAX_HEIGHT).round()
}

/// Writes both layouts of a territory map's labels and returns the legend.
fn labels(out: &mut String, placed: &[(&MapCommune, [f64; 2])], anchors: &[Point], view: &Rect) -> Vec<LegendEntry> {
    // Numbers in reading order: top to bottom, then left to right, by bands of a marker's size.
    let mut order: Vec<usize> = (0..placed.len()).collect();
    order.sort_by(|&a, &b| {
        let band = |i: usize| (anchors[i].1 / (2.0 * BIG_MARKER)).floor() as i64;
        band(a).cmp(&band(b)).then(anchors[a].0.total_cmp(&anchors[b].0))
    });
    let mut number = vec![0; placed.len()];
    for (n, &i) in order.iter().enumerate() {
        number[i] = n + 1;
    }
    let inner = view.grown(-2.0);

    // Wide layout: names where they fit, the most populated communes first; numbers elsewhere.
    let mut by_weight: Vec<usize> = (0..placed.len()).collect();
    by_weight.sort_by_key(|&i| (std::cmp::Reverse(placed[i].0.count), number[i]));
    let mut taken = Taken::default();
    let mut named = vec![false; placed.len()];
    let mut names = String::new();
    for &i in &by_weight {
        let (c, _) = placed[i];
        let chars = c.nom.chars().count() + format!(" ({})", c.count).len();
        if let Some((x, y)) = find_place(anchors[i], 18.0, &inner, &taken, |(x, y)| text_box(x, y, chars, FONT)) {
            taken.push(text_box(x, y, chars, FONT).grown(1.5));
            named[i] = true;
            let _ = write!(
                names,
                r#"<text x="{x:.0}" y="{y:.0}">{} <tspan font-weight="700">({})</tspan></text>"#,
                escape_html(&c.nom),
                c.count
            );
        }
    }
    let mut small = Markers::default();
    for &i in &order {
        if named[i] {
            continue;
        }
        // Near the commune, else a little further: a marker that finds no room is left out (the
        // legend still lists the commune, its outline still links to it) rather than laid over
        // another.
        let make = |p| circle_box(p, SMALL_MARKER);
        let Some(p) = find_place(anchors[i], 60.0, &inner, &taken, make)
            .or_else(|| find_place(anchors[i], 180.0, &inner, &taken, make))
        else {
            continue;
        };
        taken.push(circle_box(p, SMALL_MARKER + 1.0));
        small.add(anchors[i], p, SMALL_MARKER, SMALL_FONT, number[i]);
    }
    // Narrow layout: a large number for every commune.
    let mut taken = Taken::default();
    let mut big = Markers::default();
    for &i in &by_weight {
        let make = |p| circle_box(p, BIG_MARKER);
        let Some(p) = find_place(anchors[i], 90.0, &inner, &taken, make)
            .or_else(|| find_place(anchors[i], 180.0, &inner, &taken, make))
        else {
            continue;
        };
        taken.push(circle_box(p, BIG_MARKER + 1.0));
        big.add(anchors[i], p, BIG_MARKER, BIG_FONT, number[i]);
    }
    let _ = write!(
        out,
        r##"<g class="map-wide" aria-hidden="true" text-anchor="middle" font-size="{FONT}"><g fill="{INK}" stroke="#fff" stroke-width="3" paint-order="stroke">{names}</g>"##
    );
    small.write(out, SMALL_FONT);
    out.push_str(r#"</g><g class="map-narrow" aria-hidden="true" text-anchor="middle">"#);
    big.write(out, BIG_FONT);
    out.push_str("</g>");
    order
        .iter()
        .map(|&i| {
            let c = placed[i].0;
            LegendEntry { numero: number[i], nom: c.nom.clone(), url: c.url.clone(), nombre: c.count, nommee: named[i] }
        })
        .collect()
}

/// Numbered markers, written into three layers that share their presentation: leader lines,
/// discs, numbers.
#[derive(Default)]
struct Markers {
    leaders: String,
    discs: String,
    numbers: String,
}

impl Markers {
    /// A numbered marker at `at`, with a leader line from its commune's `anchor` when moved away.
    fn add(&mut self, anchor: Point, at: Point, r: f64, font: f64, n: usize) {
        if (at.0 - anchor.0).hypot(at.1 - anchor.1) > r * 0.8 {
            let _ = write!(
                self.leaders,
                r#"<path d="M{:.0} {:.0}L{:.0} {:.0}"/><circle cx="{:.0}" cy="{:.0}" r="3"/>"#,
                anchor.0, anchor.1, at.0, at.1, anchor.0, anchor.1
            );
        }
        let _ = write!(self.discs, r#"<circle cx="{:.0}" cy="{:.0}" r="{r}"/>"#, at.0, at.1);
        let _ = write!(self.numbers, r#"<text x="{:.0}" y="{:.0}">{n}</text>"#, at.0, at.1 + font * 0.36);
    }

    /// The layers, with the size of the numbers.
    fn write(&self, out: &mut String, font: f64) {
        if self.discs.is_empty() {
            return;
        }
        let _ = write!(
            out,
            r##"<g fill="{INK}" stroke="{INK}" stroke-width="1.5">{}</g><g fill="#fff" stroke="{INK}" stroke-width="1.5">{}</g><g fill="{INK}" font-size="{font}" font-weight="700">{}</g>"##,
            self.leaders, self.discs, self.numbers
        );
    }
}

/// The name of the commune a locator map points at, where it fits best.
fn locator_label(out: &mut String, placed: &[(&MapCommune, [f64; 2])], anchors: &[Point], code: &str, view: &Rect) {
    let Some(i) = placed.iter().position(|(c, _)| c.insee == code) else { return };
    let name = &placed[i].0.nom;
    let chars = name.chars().count();
    let make = |(x, y): Point| text_box(x, y, chars, LOCATOR_FONT);
    let at = find_place(anchors[i], 200.0, &view.grown(-2.0), &Taken::default(), make).unwrap_or(anchors[i]);
    let _ = write!(
        out,
        r##"<text x="{:.0}" y="{:.0}" text-anchor="middle" font-size="{LOCATOR_FONT}" font-weight="700" fill="{INK}" stroke="#fff" stroke-width="4" paint-order="stroke" aria-hidden="true">{}</text>"##,
        at.0,
        at.1,
        escape_html(name)
    );
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
            centre: c.centre.as_ref().map(|c| c.value).or_else(|| shapes.and(site.outline_centre(&c.insee.value))),
        })
        .collect()
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
        let m = svg(&list, None, None, "Carte");
        assert_eq!(m.svg.matches("<a href=").count(), 1);
        assert!(!m.svg.contains("C83002"));
        assert_eq!(m.legend.len(), 1);
        list[0].centre = None;
        assert_eq!(svg(&list, None, None, "Carte"), DrawnMap::default());
    }

    #[test]
    fn circles_link_every_commune_with_its_count() {
        let list = [commune("83001", 0, [43.0, 6.0]), commune("83002", 12, [43.2, 6.3])];
        let m = svg(&list, None, Some("83002"), "Carte");
        assert_eq!(m.svg.matches("<a href=").count(), 2);
        assert!(m.svg.contains(r#"aria-label="C83002 : 12 professionnels""#));
        assert!(m.svg.contains(r#"aria-label="C83001 : 0 professionnel""#));
        assert!(m.svg.contains(r#"stroke-width="4""#));
        // A locator map names its commune only, without legend.
        assert!(m.svg.contains(">C83002</text>") && !m.svg.contains(">C83001</text>"));
        assert!(m.legend.is_empty());
    }

    #[test]
    fn outlines_are_drawn_as_paths_and_neighbours_faint_around() {
        let mut shapes = Outlines::new();
        let square = |x: f64, y: f64| vec![vec![[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]];
        shapes.insert("83001".to_string(), square(6.0, 43.0));
        shapes.insert("83002".to_string(), square(6.1, 43.0));
        // Far away: not in the frame, not drawn.
        shapes.insert("83099".to_string(), square(7.5, 44.0));
        let m = svg(&[commune("83001", 3, [43.05, 6.05])], Some(&shapes), None, "Carte");
        assert_eq!(m.svg.matches("<path d=\"M").count(), 2, "{}", m.svg);
        assert!(m.svg.contains(r##"fill="#eceeef""##));
        // The neighbour is clipped to the frame: no point beyond it.
        let numbers: Vec<i64> =
            m.svg.split(['"', ' ', 'M', 'l', 'Z', '-']).filter_map(|t| t.parse::<i64>().ok()).collect();
        assert!(numbers.iter().all(|&n| n.abs() <= 700), "{numbers:?}");
        assert!(m.svg.contains("C83001 <tspan font-weight=\"700\">(3)</tspan>"), "{}", m.svg);
        assert_eq!(m.legend.len(), 1);
        assert!(m.all_named);
    }

    #[test]
    fn labels_never_overlap_and_crowded_communes_get_numbers() {
        // Twenty communes in a small square: names cannot all fit.
        let list: Vec<MapCommune> = (0..20)
            .map(|i| {
                let mut c =
                    commune(&format!("83{i:03}"), i, [43.0 + (i / 5) as f64 * 0.01, 6.0 + (i % 5) as f64 * 0.01]);
                c.nom = format!("Saint-Quelque-Chose-{i}");
                c
            })
            .collect();
        let m = svg(&list, None, None, "Carte");
        assert_eq!(m.legend.len(), 20);
        assert!(!m.all_named);
        assert_eq!(m.legend.iter().map(|e| e.numero).collect::<Vec<_>>(), (1..=20).collect::<Vec<_>>());
        // Every name and every disc of each layout, as a box: none overlaps another of its layout.
        let attr = |t: &str, name: &str| -> f64 {
            t.split(&format!(" {name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
        };
        for layout in ["map-wide", "map-narrow"] {
            let group = m.svg.split(&format!("class=\"{layout}\"")).nth(1).unwrap();
            let group = group.split("class=\"map-narrow\"").next().unwrap();
            let mut boxes: Vec<Rect> = group
                .split("<circle")
                .skip(1)
                .filter(|c| attr(c, "r") > 3.0)
                .map(|c| circle_box((attr(c, "cx"), attr(c, "cy")), attr(c, "r")))
                .collect();
            if layout == "map-wide" {
                let names = group.split("</g>").next().unwrap();
                boxes.extend(names.split("<text").skip(1).map(|t| {
                    let name = t.split('>').nth(1).unwrap().split('<').next().unwrap().trim();
                    let count = t.split("700\">(").nth(1).unwrap().split(')').next().unwrap();
                    let chars = name.chars().count() + count.len() + 3;
                    text_box(attr(t, "x"), attr(t, "y"), chars, FONT)
                }));
            }
            assert!(boxes.len() >= 20, "{layout}: {}", boxes.len());
            for (a, x) in boxes.iter().enumerate() {
                for y in &boxes[a + 1..] {
                    assert!(!x.grown(-0.5).overlaps(&y.grown(-0.5)), "{layout}: {x:?} {y:?}");
                }
            }
        }
    }

    #[test]
    fn paths_are_written_relative_in_whole_units() {
        let mut d = String::new();
        push_ring(&mut d, &[(10.2, 20.7), (12.0, 20.7), (12.0, 18.0), (10.2, 20.7)]);
        assert_eq!(d, "M10 21l2 0 0-3Z");
        d.clear();
        push_ring(&mut d, &[(0.0, 0.0), (-1.0, -1.0), (-1.0, 5.0), (3.0, 5.0)]);
        assert_eq!(d, "M0 0l-1-1 0 6 4 0Z");
    }
}
