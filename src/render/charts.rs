//! Accessible SVG bar charts drawn at build time: categories compared ([`bar_chart`]), and one
//! indicator year over year ([`year_chart`]).
//!
//! A chart is an inline `<svg role="img">` with a `<title>` and a `<desc>` that says its figures
//! in words, visible labels and values, and colours with at least 3:1 contrast against the page.
//! It never stands alone: pages show the same figures in a table next to it.

use super::escape::xml_escape;

/// One series of a chart (one colour).
#[derive(Debug, Clone)]
pub struct Series {
    /// Name shown in the legend.
    pub name: String,
    /// What the series stands for, which gives its colour.
    pub tone: Tone,
}

/// What a series stands for. Its colour comes from the theme's style sheet (`.chart-territory`,
/// `.chart-reference`, with at least 3:1 contrast against the page in the light and the dark
/// theme); the `fill` written in the drawing is the light theme's, for readers without CSS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// The territory's own figures (the theme's link colour, 7.4:1 on white).
    Territory,
    /// Figures to compare with: France, the département (8.0:1 on white).
    Reference,
}

impl Tone {
    /// The class the style sheet colours.
    fn class(self) -> &'static str {
        match self {
            Tone::Territory => "chart-territory",
            Tone::Reference => "chart-reference",
        }
    }

    /// The light theme's colour, written as the drawing's own fill.
    fn fill(self) -> &'static str {
        match self {
            Tone::Territory => TERRITORY,
            Tone::Reference => "#9c2a00",
        }
    }
}

/// One category: a label and one value per series (`None`: no figure).
#[derive(Debug, Clone)]
pub struct Row {
    /// Label shown above the bars.
    pub label: String,
    /// Values, in series order.
    pub values: Vec<Option<f64>>,
    /// Values as displayed ("8,2"), in series order.
    pub shown: Vec<String>,
}

/// Width of the drawing, in SVG units; the chart scales to its container.
const WIDTH: f64 = 400.0;
/// Room kept on the right for the value written after each bar.
const VALUE_ROOM: f64 = 56.0;
const LABEL_H: f64 = 20.0;
const BAR_H: f64 = 16.0;
const BAR_GAP: f64 = 4.0;
const ROW_GAP: f64 = 12.0;
const LEGEND_H: f64 = 28.0;

/// Colour of the territory's figures (the theme's brand colour, 7.4:1 on white).
pub const TERRITORY: &str = "#0b5a6b";

/// A horizontal bar chart. `id` must be unique in the page (it names the title and
/// description elements).
pub fn bar_chart(id: &str, title: &str, desc: &str, series: &[Series], rows: &[Row]) -> String {
    let max = rows.iter().flat_map(|r| r.values.iter().flatten()).copied().fold(0.0_f64, f64::max);
    let scale = if max > 0.0 { (WIDTH - VALUE_ROOM) / max } else { 0.0 };
    let row_h = LABEL_H + series.len() as f64 * (BAR_H + BAR_GAP) + ROW_GAP;
    let height = LEGEND_H + rows.len() as f64 * row_h;
    let mut out = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-titre {id}-desc\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-titre\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        xml_escape(title),
        xml_escape(desc),
    );
    // Legend.
    let mut x = 0.0;
    for s in series {
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"4\" width=\"14\" height=\"14\" class=\"{}\" fill=\"{}\"/><text x=\"{}\" y=\"16\" class=\"chart-legend\">{}</text>",
            s.tone.class(),
            s.tone.fill(),
            x + 20.0,
            xml_escape(&s.name)
        ));
        x += 20.0 + 7.5 * s.name.chars().count() as f64 + 16.0;
    }
    for (i, r) in rows.iter().enumerate() {
        let top = LEGEND_H + i as f64 * row_h;
        out.push_str(&format!(
            "<text x=\"0\" y=\"{}\" class=\"chart-label\">{}</text>",
            top + LABEL_H - 6.0,
            xml_escape(&r.label)
        ));
        for (j, s) in series.iter().enumerate() {
            let y = top + LABEL_H + j as f64 * (BAR_H + BAR_GAP);
            let v = r.values.get(j).copied().flatten();
            let w = v.map_or(0.0, |v| (v * scale).max(1.0));
            let shown = r.shown.get(j).map_or("–", String::as_str);
            if v.is_some() {
                out.push_str(&format!(
                    "<rect x=\"0\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_H}\" class=\"{}\" fill=\"{}\"/>",
                    s.tone.class(),
                    s.tone.fill()
                ));
            }
            out.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{}\" class=\"chart-value\">{}</text>",
                w + 4.0,
                y + BAR_H - 3.0,
                xml_escape(shown)
            ));
        }
    }
    out.push_str("</svg>");
    out
}

/// One year of an indicator: what was achieved and what was aimed at (`None`: unknown, or no
/// target).
#[derive(Debug, Clone)]
pub struct YearPoint {
    /// The year, written under its bar.
    pub year: i32,
    /// The achieved value.
    pub done: Option<f64>,
    /// The target.
    pub target: Option<f64>,
    /// The achieved value as written above its bar (« 342 », « 85 % », « inconnu »).
    pub shown: String,
}

/// Width and height of the year chart's drawing (about its size on a phone, so that its text
/// keeps the size the style sheet gives it), and the room above the bars and under them.
const YEAR_W: f64 = 320.0;
const YEAR_H: f64 = 170.0;
const YEAR_TOP: f64 = 22.0;
const YEAR_BOTTOM: f64 = 24.0;

/// A chart of one indicator year over year: a bar per year for what was achieved (the path of
/// class `chart-done`), a dashed stroke across it for the target (`chart-target`, over a halo
/// of the page's colour), the value above each bar (`chart-value`) and the year under it
/// (`chart-label`). One path per kind of mark, whole units: the page carries a dozen of these.
/// Colours come from the theme's style sheet (the attributes are only what a reader without it
/// sees). `ceiling` is the top of the scale when the unit has one (100 for a percentage); else
/// the largest value. `id` must be unique in the page.
pub fn year_chart(id: &str, title: &str, desc: &str, points: &[YearPoint], ceiling: Option<f64>) -> String {
    use std::fmt::Write as _;
    let largest =
        points.iter().flat_map(|p| [p.done, p.target]).flatten().filter(|v| v.is_finite()).fold(0.0, f64::max);
    let top = ceiling.map_or(largest, |c| c.max(largest));
    let plot = YEAR_H - YEAR_TOP - YEAR_BOTTOM;
    let base = YEAR_H - YEAR_BOTTOM;
    let height = |v: f64| if top > 0.0 { (v.max(0.0) / top * plot).min(plot).round() } else { 0.0 };
    let slot = YEAR_W / points.len().max(1) as f64;
    let bar = (slot * 0.55).min(64.0).round();
    let (mut bars, mut targets, mut values, mut years) = (String::new(), String::new(), String::new(), String::new());
    for (i, p) in points.iter().enumerate() {
        let centre = (slot * (i as f64 + 0.5)).round();
        let x = centre - (bar / 2.0).round();
        let done = p.done.filter(|v| v.is_finite()).map(height);
        if let Some(h) = done {
            let _ = write!(bars, "M{x} {}h{bar}v{h}h-{bar}z", base - h);
        }
        let target = p.target.filter(|v| v.is_finite()).map(height);
        if let Some(t) = target {
            let _ = write!(targets, "M{} {}h{}", x - 6.0, base - t, bar + 12.0);
        }
        // Above the bar and its target line, whichever is higher.
        let label_y = base - done.unwrap_or(0.0).max(target.unwrap_or(0.0)) - 7.0;
        let _ = write!(values, "<text x=\"{centre}\" y=\"{label_y}\">{}</text>", xml_escape(&p.shown));
        let _ = write!(years, "<text x=\"{centre}\" y=\"{}\">{}</text>", YEAR_H - 6.0, p.year);
    }
    let mut out = format!(
        "<svg class=\"chart chart-years\" role=\"img\" aria-labelledby=\"{id}-titre {id}-desc\" viewBox=\"0 0 {YEAR_W} {YEAR_H}\" \
         width=\"{YEAR_W}\" height=\"{YEAR_H}\"><title id=\"{id}-titre\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <path class=\"chart-axis\" d=\"M0 {base}H{YEAR_W}\" stroke=\"#5c6670\"/>",
        xml_escape(title),
        xml_escape(desc),
    );
    if !bars.is_empty() {
        let _ = write!(out, "<path class=\"chart-done\" d=\"{bars}\" fill=\"{TERRITORY}\"/>");
    }
    if !targets.is_empty() {
        let _ = write!(
            out,
            "<path class=\"chart-target-halo\" d=\"{targets}\" stroke=\"#fff\" stroke-width=\"6\"/>\
             <path class=\"chart-target\" d=\"{targets}\" stroke=\"#1b1f23\" stroke-width=\"3\" stroke-dasharray=\"6 3\"/>"
        );
    }
    let _ = write!(
        out,
        "<g class=\"chart-value\" text-anchor=\"middle\">{values}</g><g class=\"chart-label\" text-anchor=\"middle\">{years}</g></svg>"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_chart_draws_known_values_only() {
        let point = |year, done, target, shown: &str| YearPoint { year, done, target, shown: shown.into() };
        let svg = year_chart(
            "mt",
            "Patients & médecin traitant",
            "2024 : 210 ; 2025 : inconnu",
            &[point(2024, Some(210.0), Some(300.0), "210"), point(2025, None, Some(300.0), "inconnu")],
            None,
        );
        assert!(svg.starts_with("<svg") && svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"mt-titre mt-desc\""));
        assert!(svg.contains("<title id=\"mt-titre\">Patients &amp; médecin traitant</title>"));
        // One bar (the unknown year draws none), two targets, the unknown said in words.
        let path = |class: &str| {
            let from = svg.find(&format!("class=\"{class}\" d=\"")).map(|i| i + class.len() + 12)?;
            Some(svg[from..].split('"').next()?.to_string())
        };
        assert_eq!(path("chart-done").map(|d| d.matches('z').count()), Some(1));
        assert_eq!(path("chart-target").map(|d| d.matches('M').count()), Some(2));
        assert!(svg.contains(">inconnu</text>") && svg.contains(">2025</text>"));
        // The target is the top of the scale: the bar is 210/300 of the plot.
        let plot = YEAR_H - YEAR_TOP - YEAR_BOTTOM;
        assert!(path("chart-done").unwrap().contains(&format!("v{}h", (210.0 / 300.0 * plot).round())), "{svg}");
        // A percentage is drawn against 100; no target, no target path.
        let pct = year_chart("p", "t", "d", &[point(2025, Some(50.0), None, "50 %")], Some(100.0));
        assert!(pct.contains(&format!("v{}h", (plot / 2.0).round())), "{pct}");
        assert!(!pct.contains("chart-target"));
    }

    #[test]
    fn chart_is_labelled_and_scaled() {
        let svg = bar_chart(
            "d",
            "Densité",
            "Pour 10 000 habitants",
            &[
                Series { name: "Territoire".into(), tone: Tone::Territory },
                Series { name: "France".into(), tone: Tone::Reference },
            ],
            &[
                Row {
                    label: "Médecins".into(),
                    values: vec![Some(4.0), Some(8.0)],
                    shown: vec!["4".into(), "8".into()],
                },
                Row { label: "A & B".into(), values: vec![None, Some(2.0)], shown: vec!["–".into(), "2".into()] },
            ],
        );
        assert!(svg.starts_with("<svg") && svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"d-titre\">Densité</title>"));
        assert!(svg.contains("A &amp; B"));
        // The largest value fills the drawing minus the room for its label.
        assert!(svg.contains(&format!("width=\"{:.1}\"", WIDTH - VALUE_ROOM)));
        assert!(svg.contains(&format!("width=\"{:.1}\"", (WIDTH - VALUE_ROOM) / 2.0)));
        // Three bars: the missing value draws none.
        assert_eq!(svg.matches("<rect").count(), 2 + 3);
        // The style sheet colours each series by its class, in both themes.
        assert_eq!(svg.matches("class=\"chart-territory\"").count(), 1 + 1);
        assert_eq!(svg.matches("class=\"chart-reference\"").count(), 1 + 2);
    }
}
