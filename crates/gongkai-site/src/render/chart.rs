//! Charts of indicator targets over the years, drawn at build time as inline SVG by the
//! `partials/chart.html` template; no script runs in the reader's browser. This module is the
//! arithmetic: where each gridline, year, line and marker goes. Each chart names itself and
//! says all its values in words; its series differ by dash and marker shape as well as colour
//! (the template's styles, numbered here), and the page shows the same numbers in a table.

use serde::Serialize;

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

/// At most this many series in one chart; more would be unreadable.
pub const MAX_SERIES: usize = 8;
/// Styles the template defines (colour, dash, marker); series take them in turn.
pub const STYLES: usize = 4;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 40.0;

/// A chart laid out: everything the template needs to draw it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chart {
    /// Unique on its page; the template derives the ids of its parts from it.
    pub id: String,
    pub title: String,
    /// Every value of every series in words, for those who do not see the drawing.
    pub description: String,
    pub width: f64,
    pub height: f64,
    /// Left and right edge of the plot area, and its baseline.
    pub left: f64,
    pub right: f64,
    pub baseline: f64,
    pub gridlines: Vec<Tick>,
    pub years: Vec<Tick>,
    pub series: Vec<ChartLine>,
    /// Series left out of the drawing (the table has them all).
    pub more: usize,
}

/// A gridline (its `y`) or a year label (its `x`), with its text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// A series as drawn: its polyline and a marker at each point.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChartLine {
    pub label: String,
    /// Which of the template's styles it is drawn in (0 to [`STYLES`] − 1).
    pub style: usize,
    /// `x,y x,y …` for the polyline.
    pub points: String,
    pub markers: Vec<ChartMarker>,
}

/// A point of a drawn series, where its marker goes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChartMarker {
    pub x: f64,
    pub y: f64,
    /// The target as written, shown beside the marker when the chart has one or two lines.
    pub label: Option<String>,
}

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

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Every value of every series in words.
pub fn describe<'a>(series: impl IntoIterator<Item = &'a Series>) -> String {
    series
        .into_iter()
        .map(|s| {
            let values: Vec<String> = s
                .points
                .iter()
                .map(|p| format!("{}年 {}", p.year, p.text))
                .collect();
            format!("{}：{}。", s.label, values.join("，"))
        })
        .collect()
}

/// Lays out a line chart of `series` over the years, or `None` when no series has two years to
/// draw a line through.
pub fn line_chart(id: &str, title: &str, series: &[Series]) -> Option<Chart> {
    let all: Vec<&Series> = series.iter().filter(|s| !s.points.is_empty()).collect();
    let shown: Vec<&Series> = all.iter().copied().take(MAX_SERIES).collect();
    let years: Vec<u16> = shown
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.year))
        .collect();
    let (first, last) = (*years.iter().min()?, *years.iter().max()?);
    // A line needs two years in one series; lone points of different series are not a trend.
    let has_line = shown
        .iter()
        .any(|s| s.points.iter().any(|p| p.year != s.points[0].year));
    if first == last || !has_line {
        return None;
    }
    let max = shown
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.value))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let step = step_for(max);
    let top = (max / step).ceil().max(1.0) * step;
    let x = |year: u16| {
        LEFT + (f64::from(year - first) / f64::from(last - first)) * (WIDTH - LEFT - RIGHT)
    };
    let y = |v: f64| TOP + (1.0 - v.clamp(0.0, top) / top) * (HEIGHT - TOP - BOTTOM);

    // About four gridlines, counted, so no value can make the loop endless.
    let lines = ((top / step).round() as usize).min(12);
    let gridlines = (0..=lines)
        .map(|k| {
            let v = step * k as f64;
            Tick {
                at: round1(y(v)),
                label: number(v),
            }
        })
        .collect();
    // Year labels: every year when they fit, else every other one.
    let every = if last - first > 12 { 2 } else { 1 };
    let years = (first..=last)
        .step_by(every)
        .map(|year| Tick {
            at: round1(x(year)),
            label: year.to_string(),
        })
        .collect();
    let label_points = shown.len() <= 2;
    let series = shown
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut pts: Vec<&Point> = s.points.iter().collect();
            pts.sort_by_key(|p| p.year);
            ChartLine {
                label: s.label.clone(),
                style: i % STYLES,
                points: pts
                    .iter()
                    .map(|p| format!("{:.1},{:.1}", x(p.year), y(p.value)))
                    .collect::<Vec<_>>()
                    .join(" "),
                markers: pts
                    .iter()
                    .map(|p| ChartMarker {
                        x: round1(x(p.year)),
                        y: round1(y(p.value)),
                        label: label_points.then(|| p.text.clone()),
                    })
                    .collect(),
            }
        })
        .collect();
    Some(Chart {
        id: id.to_string(),
        title: title.to_string(),
        description: describe(shown.iter().copied()),
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        right: WIDTH - RIGHT,
        baseline: HEIGHT - BOTTOM + 20.0,
        gridlines,
        years,
        series,
        more: all.len() - shown.len(),
    })
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
    fn a_chart_describes_itself_and_places_its_points() {
        let c = line_chart(
            "c1",
            "事故起数目标",
            &[series("示例区", &[(2022, 5.0), (2024, 10.0)])],
        )
        .expect("two years make a chart");
        assert_eq!(c.description, "示例区：2022年 5%，2024年 10%。");
        // The later, larger value is drawn higher and further right.
        let m = &c.series[0].markers;
        assert!(m[1].x > m[0].x && m[1].y < m[0].y, "{m:?}");
        assert_eq!(m[0].x, LEFT);
        assert_eq!(m[0].label.as_deref(), Some("5%"));
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
            if let Some(c) = line_chart("c", "t", &s) {
                assert!(c.gridlines.len() <= 13, "{}", c.gridlines.len());
                assert!(c.series[0].markers.iter().all(|m| m.y.is_finite()));
            }
        }
    }
}
