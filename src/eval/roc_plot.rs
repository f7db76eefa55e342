//! `kgqa eval --plot FILE`: ROC curves drawn as a standalone SVG document, without dependencies.

/// Width and height of the document, in pixels.
const SIZE: f64 = 480.0;
/// Left edge of the plot area (room for the y tick labels and axis label).
const PLOT_LEFT: f64 = 72.0;
/// Top edge of the plot area (room for the title).
const PLOT_TOP: f64 = 40.0;
/// Width and height of the square plot area.
const PLOT_SIZE: f64 = 376.0;
/// Tick positions on both axes, with their labels.
const TICKS: [(f64, &str); 6] = [
    (0.0, "0"),
    (0.2, "0.2"),
    (0.4, "0.4"),
    (0.6, "0.6"),
    (0.8, "0.8"),
    (1.0, "1"),
];
/// Curve colours (the "tab10" palette), reused in order after the tenth curve.
const COLOURS: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];
/// Height of one legend row, in pixels.
const LEGEND_ROW: f64 = 18.0;

/// A standalone 480x480 SVG document plotting ROC `curves` — each a legend label and its
/// (false positive rate, true positive rate) points, e.g. from `metrics::roc_curve` — under
/// `title`, with the dashed chance diagonal and a legend in the lower right corner.
///
/// Points outside 0..=1 are clamped and non-finite points are skipped; labels and title are
/// XML-escaped.
pub fn roc_svg(curves: &[(String, Vec<(f64, f64)>)], title: &str) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{SIZE}\" height=\"{SIZE}\" \
         viewBox=\"0 0 {SIZE} {SIZE}\" font-family=\"sans-serif\" font-size=\"12\">\n"
    );
    svg.push_str(&format!("<title>{}</title>\n", escape_xml(title)));
    svg.push_str(&format!(
        "<rect width=\"{SIZE}\" height=\"{SIZE}\" fill=\"white\"/>\n"
    ));
    svg.push_str(&axes());
    svg.push_str(&chance_line());
    for (index, (_, points)) in curves.iter().enumerate() {
        svg.push_str(&curve_polyline(points, colour(index)));
    }
    svg.push_str(&legend(curves));
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"14\" \
         font-weight=\"bold\">{}</text>\n",
        PLOT_LEFT + PLOT_SIZE / 2.0,
        escape_xml(title)
    ));
    svg.push_str("</svg>\n");
    svg
}

/// Escapes the five XML special characters of `text`.
pub fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// The colour of the curve at `index`.
fn colour(index: usize) -> &'static str {
    COLOURS[index % COLOURS.len()]
}

/// Horizontal pixel position of a false positive rate.
fn x_pixel(rate: f64) -> f64 {
    PLOT_LEFT + rate.clamp(0.0, 1.0) * PLOT_SIZE
}

/// Vertical pixel position of a true positive rate (SVG y grows downwards).
fn y_pixel(rate: f64) -> f64 {
    PLOT_TOP + (1.0 - rate.clamp(0.0, 1.0)) * PLOT_SIZE
}

/// Grid lines, ticks with labels, the plot frame and both axis labels.
fn axes() -> String {
    let bottom = PLOT_TOP + PLOT_SIZE;
    let mut out = String::from("<g stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
    for (tick, _) in TICKS {
        let (x, y) = (x_pixel(tick), y_pixel(tick));
        out.push_str(&line(x, PLOT_TOP, x, bottom));
        out.push_str(&line(PLOT_LEFT, y, PLOT_LEFT + PLOT_SIZE, y));
    }
    out.push_str("</g>\n<g stroke=\"black\" stroke-width=\"1\">\n");
    for (tick, _) in TICKS {
        let (x, y) = (x_pixel(tick), y_pixel(tick));
        out.push_str(&line(x, bottom, x, bottom + 5.0));
        out.push_str(&line(PLOT_LEFT - 5.0, y, PLOT_LEFT, y));
    }
    out.push_str("</g>\n");
    out.push_str(&format!(
        "<rect x=\"{PLOT_LEFT}\" y=\"{PLOT_TOP}\" width=\"{PLOT_SIZE}\" height=\"{PLOT_SIZE}\" \
         fill=\"none\" stroke=\"black\"/>\n"
    ));
    for (tick, label) in TICKS {
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>\n",
            x_pixel(tick),
            bottom + 19.0
        ));
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>\n",
            PLOT_LEFT - 8.0,
            y_pixel(tick) + 4.0
        ));
    }
    let (middle_x, middle_y) = (x_pixel(0.5), y_pixel(0.5));
    out.push_str(&format!(
        "<text x=\"{middle_x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">False positive rate</text>\n",
        bottom + 42.0
    ));
    out.push_str(&format!(
        "<text x=\"{x:.1}\" y=\"{middle_y:.1}\" text-anchor=\"middle\" \
         transform=\"rotate(-90 {x:.1} {middle_y:.1})\">True positive rate</text>\n",
        x = PLOT_LEFT - 44.0
    ));
    out
}

/// The dashed diagonal of a random ranking.
fn chance_line() -> String {
    format!(
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#888888\" \
         stroke-width=\"1\" stroke-dasharray=\"5 4\"/>\n",
        x_pixel(0.0),
        y_pixel(0.0),
        x_pixel(1.0),
        y_pixel(1.0)
    )
}

/// One curve as a polyline; non-finite points are skipped.
fn curve_polyline(points: &[(f64, f64)], colour: &str) -> String {
    let coordinates: Vec<String> = points
        .iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|&(x, y)| format!("{:.2},{:.2}", x_pixel(x), y_pixel(y)))
        .collect();
    format!(
        "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" \
         stroke-linejoin=\"round\" points=\"{}\"/>\n",
        coordinates.join(" ")
    )
}

/// The legend box in the lower right corner of the plot: a colour sample and label per curve.
fn legend(curves: &[(String, Vec<(f64, f64)>)]) -> String {
    if curves.is_empty() {
        return String::new();
    }
    let longest = curves
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    // Rough text width: ~6.5 px per character at font size 12.
    let width = 40.0 + longest as f64 * 6.5;
    let height = 8.0 + curves.len() as f64 * LEGEND_ROW;
    let left = PLOT_LEFT + PLOT_SIZE - 10.0 - width;
    let top = PLOT_TOP + PLOT_SIZE - 10.0 - height;
    let mut out = format!(
        "<g>\n<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" \
         fill=\"white\" fill-opacity=\"0.9\" stroke=\"#cccccc\"/>\n"
    );
    for (index, (label, _)) in curves.iter().enumerate() {
        let y = top + 4.0 + LEGEND_ROW * (index as f64 + 0.5);
        out.push_str(&format!(
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\" \
             stroke-width=\"2\"/>\n",
            left + 8.0,
            left + 28.0,
            colour(index)
        ));
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
            left + 34.0,
            y + 4.0,
            escape_xml(label)
        ));
    }
    out.push_str("</g>\n");
    out
}

/// A plain line from (x1, y1) to (x2, y2), styled by its enclosing group.
fn line(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    format!("<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_curves() -> Vec<(String, Vec<(f64, f64)>)> {
        vec![
            (
                "1-hop (AUC 0.998)".to_owned(),
                vec![(0.0, 0.0), (0.0, 0.9), (0.1, 1.0), (1.0, 1.0)],
            ),
            (
                "2-hop <n=5> & more (AUC 0.750)".to_owned(),
                vec![(0.0, 0.0), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)],
            ),
        ]
    }

    /// Checks that tags nest properly: every `<x ...>` is closed by `</x>` or is `<x .../>`.
    fn assert_tags_balanced(svg: &str) {
        let mut open: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').map(|e| start + e);
            let Some(end) = end else {
                panic!("unterminated tag in {rest}");
            };
            let tag = &rest[start + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop(), Some(name), "mismatched </{name}>");
            } else if !tag.ends_with('/') {
                open.push(tag.split_whitespace().next().unwrap_or(""));
            }
            rest = &rest[end + 1..];
        }
        assert!(open.is_empty(), "unclosed tags {open:?}");
    }

    #[test]
    fn document_is_well_formed() {
        let svg = roc_svg(&sample_curves(), "ROC by hop count");
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert_tags_balanced(&svg);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn one_polyline_per_curve_in_distinct_colours() {
        let curves = sample_curves();
        let svg = roc_svg(&curves, "t");
        assert_eq!(svg.matches("<polyline").count(), curves.len());
        assert!(svg.contains(&format!("stroke=\"{}\"", COLOURS[0])));
        assert!(svg.contains(&format!("stroke=\"{}\"", COLOURS[1])));
        assert_ne!(colour(0), colour(1));
        assert_eq!(roc_svg(&[], "t").matches("<polyline").count(), 0);
    }

    #[test]
    fn axes_ticks_labels_and_chance_line() {
        let svg = roc_svg(&sample_curves(), "t");
        assert!(svg.contains(">False positive rate</text>"));
        assert!(svg.contains(">True positive rate</text>"));
        for label in ["0", "0.2", "0.4", "0.6", "0.8", "1"] {
            assert_eq!(
                svg.matches(&format!(">{label}</text>")).count(),
                2,
                "{label}"
            );
        }
        assert_eq!(svg.matches("stroke-dasharray").count(), 1);
        assert!(svg.contains(">1-hop (AUC 0.998)</text>"));
    }

    #[test]
    fn labels_and_title_are_escaped() {
        let svg = roc_svg(&sample_curves(), "Q&A <test>");
        assert!(svg.contains("2-hop &lt;n=5&gt; &amp; more (AUC 0.750)"));
        assert!(!svg.contains("<n=5>"));
        assert!(svg.contains("Q&amp;A &lt;test&gt;"));
        assert!(!svg.contains("<test>"));
        assert_eq!(escape_xml("a\"b'c"), "a&quot;b&apos;c");
        assert_tags_balanced(&svg);
    }

    #[test]
    fn points_map_to_plot_corners_and_clamp() {
        let curves = vec![(
            "c".to_owned(),
            vec![(0.0, 0.0), (f64::NAN, 0.5), (2.0, -1.0), (1.0, 1.0)],
        )];
        let svg = roc_svg(&curves, "t");
        let bottom_left = format!("{:.2},{:.2}", PLOT_LEFT, PLOT_TOP + PLOT_SIZE);
        let bottom_right = format!("{:.2},{:.2}", PLOT_LEFT + PLOT_SIZE, PLOT_TOP + PLOT_SIZE);
        let top_right = format!("{:.2},{:.2}", PLOT_LEFT + PLOT_SIZE, PLOT_TOP);
        let expected = format!("points=\"{bottom_left} {bottom_right} {top_right}\"");
        assert!(svg.contains(&expected), "{svg}");
    }
}
