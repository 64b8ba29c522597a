//! Live charts of a run in progress (the browser playground): the x axis spans the whole
//! horizon while the months arrive, NaN months are gaps, and a reference run (e.g. the baseline
//! on the same seed) can be drawn faint underneath. Generic over the backend like [`crate::draw`]
//! (sim-web draws them on a `<canvas>`), with the same [`PALETTE`] and [`tick`].

use plotters::coord::Shift;
use plotters::prelude::*;

use sim_core::YearMonth;

use crate::{MonthAxis, OTHERS_COLOUR, PALETTE, tick};

/// One series of a chart: its metric name (the legend), unit and monthly values.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Legend text.
    pub name: String,
    /// Unit of the values (the y-axis label is the first line's).
    pub unit: String,
    /// One value per month; NaN = undefined that month.
    pub ys: Vec<f64>,
}

/// The y range of the lines: from 0 (or the minimum, if negative) to the maximum, padded.
pub fn y_range(lines: &[Line]) -> (f64, f64) {
    let finite = lines
        .iter()
        .flat_map(|l| l.ys.iter().copied())
        .filter(|y| y.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let lo = lo.min(0.0);
    if hi > lo {
        (lo, hi + 0.05 * (hi - lo))
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

/// Draws the layers stacked (each on top of the previous ones) as filled areas, with a
/// legend; the y axis runs from 0 to 1 (shares), the x axis as in [`draw_lines`].
pub fn draw_stacked<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    horizon: u32,
    start: Option<YearMonth>,
    layers: &[Line],
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: &dyn std::fmt::Display| format!("drawing {title}: {e}");
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 15))
        .margin(6)
        .x_label_area_size(30)
        .y_label_area_size(52)
        .build_cartesian_2d(MonthAxis::new(start, 0.0, f64::from(horizon.max(1)), 7), 0.0..1.0)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(if start.is_some() { "date" } else { "month" })
        .y_desc("share of users")
        .y_labels(6)
        .y_label_formatter(&|y| tick(*y))
        .light_line_style(RGBColor(238, 238, 238))
        .draw()
        .map_err(|e| err(&e))?;
    let months = layers.iter().map(|l| l.ys.len()).max().unwrap_or(0);
    let mut below = vec![0.0; months];
    for (i, layer) in layers.iter().enumerate() {
        let color = if layer.name == "others" {
            OTHERS_COLOUR
        } else {
            PALETTE[i % PALETTE.len()]
        };
        let above: Vec<f64> = (0..months)
            .map(|m| below[m] + layer.ys.get(m).copied().filter(|y| y.is_finite()).unwrap_or(0.0))
            .collect();
        let mut outline: Vec<(f64, f64)> = above.iter().enumerate().map(|(m, y)| (m as f64, *y)).collect();
        outline.extend(below.iter().enumerate().rev().map(|(m, y)| (m as f64, *y)));
        let fill = color.mix(0.75).filled();
        chart
            .draw_series(std::iter::once(Polygon::new(outline, fill)))
            .map_err(|e| err(&e))?
            .label(layer.name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], fill));
        below = above;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

/// Splits a series into runs of finite points (NaN months become gaps).
fn segments(ys: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut segs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (m, y) in ys.iter().enumerate() {
        if y.is_finite() {
            if let Some(s) = segs.last_mut() {
                s.push((m as f64, *y));
            }
        } else if segs.last().is_some_and(|s| !s.is_empty()) {
            segs.push(Vec::new());
        }
    }
    segs.retain(|s| !s.is_empty());
    segs
}

/// Draws the lines against the month (x from 0 to `horizon`, labelled with dates from `start`
/// by [`MonthAxis`] when it is given) with a title, axis labels with
/// units and a legend; `reference` lines (same order and colours) are drawn faint and thin
/// underneath.
pub fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    horizon: u32,
    start: Option<YearMonth>,
    lines: &[Line],
    reference: &[Line],
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: &dyn std::fmt::Display| format!("drawing {title}: {e}");
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let all: Vec<Line> = lines.iter().chain(reference).cloned().collect();
    let (lo, hi) = y_range(&all);
    let x_max = f64::from(horizon.max(1));
    let unit = lines.first().map_or("", |l| l.unit.as_str());
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 15))
        .margin(6)
        .x_label_area_size(30)
        .y_label_area_size(52)
        .build_cartesian_2d(MonthAxis::new(start, 0.0, x_max, 7), lo..hi)
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc(if start.is_some() { "date" } else { "month" })
        .y_desc(unit)
        .y_labels(6)
        .y_label_formatter(&|y| tick(*y))
        .light_line_style(RGBColor(238, 238, 238))
        .draw()
        .map_err(|e| err(&e))?;
    for (i, line) in reference.iter().enumerate() {
        let faint = ShapeStyle::from(&PALETTE[i % PALETTE.len()].mix(0.35)).stroke_width(1);
        for seg in segments(&line.ys) {
            chart.draw_series(LineSeries::new(seg, faint)).map_err(|e| err(&e))?;
        }
    }
    for (i, line) in lines.iter().enumerate() {
        let style = ShapeStyle::from(&PALETTE[i % PALETTE.len()]).stroke_width(2);
        // An empty first series still puts the metric in the legend before it has values.
        let mut segs = segments(&line.ys);
        if segs.is_empty() {
            segs.push(Vec::new());
        }
        for (n, seg) in segs.into_iter().enumerate() {
            let series = chart.draw_series(LineSeries::new(seg, style)).map_err(|e| err(&e))?;
            if n == 0 {
                series
                    .label(line.name.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], style));
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn nan_months_split_a_series_into_finite_runs() {
        let lengths: Vec<usize> = segments(&[1.0, f64::NAN, f64::NAN, 2.0, 3.0])
            .iter()
            .map(Vec::len)
            .collect();
        assert_eq!(lengths, vec![1, 2], "a NaN month must end a line segment");
    }
}
