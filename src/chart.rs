//! Charts drawn at build time as inline SVG: indicator targets over the years. No script runs in
//! the reader's browser. Each chart names itself (`<title>`) and says all its values in words
//! (`<desc>`); its series differ by dash and marker shape as well as colour, and the page shows
//! the same numbers in a table.

use std::fmt::Write;

use crate::escape::esc;

/// One value of a series: the year it is for, the number drawn, and the target as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub year: u16,
    pub value: f64,
    pub text: String,
}

/// A line of the chart, e.g. one district's targets for one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<Point>,
}

/// How a series is drawn: a colour with at least 3:1 contrast on white (WCAG 1.4.11), a dash
/// pattern and a marker, so that no series is told apart by colour alone.
struct Style {
    colour: &'static str,
    dash: &'static str,
    marker: Marker,
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const STYLES: &[Style] = &[
    Style {
        colour: "#1f5fa8",
        dash: "",
        marker: Marker::Circle,
    },
    Style {
        colour: "#b3470b",
        dash: "8 4",
        marker: Marker::Square,
    },
    Style {
        colour: "#2e7d32",
        dash: "2 4",
        marker: Marker::Triangle,
    },
    Style {
        colour: "#6a3d9a",
        dash: "10 4 2 4",
        marker: Marker::Diamond,
    },
];

/// At most this many series in one chart; more would be unreadable.
pub const MAX_SERIES: usize = 8;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 40.0;

/// A round step for about four gridlines up to `max`: 1, 2 or 5 times a power of ten.
fn step_for(max: f64) -> f64 {
    let raw = (max / 4.0).max(f64::EPSILON);
    let pow = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * pow)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * pow)
}

fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The sentence a screen reader hears instead of the drawing: every value of every series.
pub fn describe<'a>(series: impl IntoIterator<Item = &'a Series>) -> String {
    let mut out = String::new();
    for s in series {
        let values: Vec<String> = s
            .points
            .iter()
            .map(|p| format!("{}年 {}", p.year, p.text))
            .collect();
        let _ = write!(out, "{}：{}。", s.label, values.join("，"));
    }
    out
}

/// An SVG line chart of `series` over the years, or `None` when no series has two years to draw
/// a line through. `id` must be unique on the page.
pub fn line_chart(id: &str, title: &str, series: &[Series]) -> Option<String> {
    let series: Vec<&Series> = series
        .iter()
        .filter(|s| !s.points.is_empty())
        .take(MAX_SERIES)
        .collect();
    let years: Vec<u16> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.year))
        .collect();
    let (first, last) = (*years.iter().min()?, *years.iter().max()?);
    // A line needs two years in one series; lone points of different series are not a trend.
    let has_line = series
        .iter()
        .any(|s| s.points.iter().any(|p| p.year != s.points[0].year));
    if first == last || !has_line {
        return None;
    }
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.value))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let step = step_for(max);
    let top = (max / step).ceil().max(1.0) * step;
    let x = |year: u16| {
        LEFT + (f64::from(year - first) / f64::from(last - first)) * (WIDTH - LEFT - RIGHT)
    };
    let y = |v: f64| TOP + (1.0 - v / top) * (HEIGHT - TOP - BOTTOM);

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(&describe(series.iter().copied()))
    );
    // Gridlines and value labels: about four, counted, so no value can make the loop endless.
    let lines = ((top / step).round() as usize).min(12);
    for k in 0..=lines {
        let v = step * k as f64;
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 8.0,
            y(v) + 4.0,
            number(v),
            y = y(v)
        );
    }
    // Year labels: every year when they fit, else every other one.
    let span = last - first;
    let every = if span > 12 { 2 } else { 1 };
    for year in (first..=last).step_by(every) {
        let _ = write!(
            svg,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
            x(year),
            HEIGHT - BOTTOM + 20.0
        );
    }
    let label_points = series.len() <= 2;
    for (i, s) in series.iter().enumerate() {
        let style = &STYLES[i % STYLES.len()];
        let mut pts: Vec<&Point> = s.points.iter().collect();
        pts.sort_by_key(|p| p.year);
        let path: Vec<String> = pts
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.year), y(p.value)))
            .collect();
        let dash = if style.dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{}\"", style.dash)
        };
        let _ = write!(
            svg,
            "<g class=\"series\"><polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{dash} points=\"{}\"/>",
            style.colour,
            path.join(" ")
        );
        for p in &pts {
            svg.push_str(&marker(style, x(p.year), y(p.value)));
            if label_points {
                let _ = write!(
                    svg,
                    "<text class=\"value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    x(p.year),
                    y(p.value) - 10.0,
                    esc(&p.text)
                );
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    Some(svg)
}

fn marker(style: &Style, cx: f64, cy: f64) -> String {
    let c = style.colour;
    match style.marker {
        Marker::Circle => format!("<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"5\" fill=\"{c}\"/>"),
        Marker::Square => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{c}\"/>",
            cx - 5.0,
            cy - 5.0
        ),
        Marker::Triangle => format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{c}\"/>",
            cx,
            cy - 6.0,
            cx - 6.0,
            cy + 5.0,
            cx + 6.0,
            cy + 5.0
        ),
        Marker::Diamond => format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{c}\"/>",
            cx,
            cy - 6.0,
            cx + 6.0,
            cy,
            cx,
            cy + 6.0,
            cx - 6.0,
            cy
        ),
    }
}

/// A small drawing of a series' line and marker, for the legend next to the chart.
pub fn swatch(index: usize) -> String {
    let style = &STYLES[index % STYLES.len()];
    let dash = if style.dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{}\"", style.dash)
    };
    format!(
        "<svg class=\"swatch\" viewBox=\"0 0 40 12\" width=\"40\" height=\"12\" aria-hidden=\"true\" focusable=\"false\"><line x1=\"0\" y1=\"6\" x2=\"40\" y2=\"6\" stroke=\"{}\" stroke-width=\"2.5\"{dash}/>{}</svg>",
        style.colour,
        marker(style, 20.0, 6.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(label: &str, pts: &[(u16, f64)]) -> Series {
        Series {
            label: label.into(),
            points: pts
                .iter()
                .map(|&(year, value)| Point {
                    year,
                    value,
                    text: format!("{value}%"),
                })
                .collect(),
        }
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(step_for(10.0), 5.0);
        assert_eq!(step_for(8.0), 2.0);
        assert_eq!(step_for(0.3), 0.1);
        assert_eq!(number(0.30000000000000004), "0.3");
    }

    #[test]
    fn a_chart_names_and_describes_itself() {
        let svg = line_chart(
            "c1",
            "事故起数目标",
            &[series("示例区", &[(2022, 5.0), (2024, 10.0)])],
        )
        .expect("two years make a chart");
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("aria-labelledby=\"c1-t c1-d\""));
        assert!(svg.contains("<desc id=\"c1-d\">示例区：2022年 5%，2024年 10%。</desc>"));
        // The later, larger value is drawn higher and further right.
        assert!(svg.contains("points=\"56.0,"));
        assert!(line_chart("c2", "t", &[series("a", &[(2022, 5.0)])]).is_none());
        // Two lone points of two series are not a line.
        let lone = [series("a", &[(2022, 3.0)]), series("b", &[(2025, 15.0)])];
        assert!(line_chart("c3", "t", &lone).is_none());
    }

    #[test]
    fn extreme_values_draw_a_bounded_chart() {
        for values in [
            [1e300, 1.0],
            [f64::MAX, 2.0],
            [f64::INFINITY, 3.0],
            [1e-300, 0.0],
        ] {
            let s = [series("a", &[(2020, values[0]), (2024, values[1])])];
            if let Some(svg) = line_chart("c", "t", &s) {
                assert!(svg.matches("class=\"grid\"").count() <= 13, "{}", svg.len());
            }
        }
    }
}
