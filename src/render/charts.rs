//! Accessible SVG bar charts drawn at build time.
//!
//! A chart is an inline `<svg role="img">` with a `<title>` and a `<desc>`, visible labels and
//! values, and colours with at least 3:1 contrast against white. It never stands alone: pages
//! show the same figures in a table next to it.

use super::escape::xml_escape;

/// One series of a chart (one colour).
#[derive(Debug, Clone)]
pub struct Series {
    /// Name shown in the legend.
    pub name: String,
    /// Fill colour (contrast ≥ 3:1 against white).
    pub color: &'static str,
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
/// Colour of reference figures (8.0:1 on white).
pub const REFERENCE: &str = "#9c2a00";

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
            "<rect x=\"{x}\" y=\"4\" width=\"14\" height=\"14\" fill=\"{}\"/><text x=\"{}\" y=\"16\" class=\"chart-legend\">{}</text>",
            s.color,
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
                    "<rect x=\"0\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_H}\" fill=\"{}\"/>",
                    s.color
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_is_labelled_and_scaled() {
        let svg = bar_chart(
            "d",
            "Densité",
            "Pour 10 000 habitants",
            &[
                Series { name: "Territoire".into(), color: TERRITORY },
                Series { name: "France".into(), color: REFERENCE },
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
    }
}
