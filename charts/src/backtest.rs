//! Charts of `goldrush backtest`: one model series over calendar time — its mean and 10–90%
//! band across seeds — with the data moments compared with it drawn on top: each data value at
//! its period (a point for a month, a horizontal segment for a longer period) with its interval
//! as a vertical whisker. Drawn in memory like the other charts (SVG string, PNG bytes).

use plotters::prelude::*;

use crate::{Area, PALETTE, band_summary, drawing_error, padded, register_font, tick};

/// One data moment on the chart.
pub struct Marker {
    /// The moment's id (labelled beside the point).
    pub label: String,
    /// The period in decimal calendar years (first month, last month).
    pub from: f64,
    pub to: f64,
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

/// A model series over calendar time with the data moments compared with it.
pub struct Chart {
    pub title: String,
    pub y_desc: String,
    /// Decimal calendar year of each month.
    pub years: Vec<f64>,
    /// The series in each run (seed), one value per month (NaN where undefined).
    pub runs: Vec<Vec<f64>>,
    pub markers: Vec<Marker>,
}

/// The data's colour: the palette's red, apart from the model's blue.
const DATA: RGBColor = PALETTE[1];
const MODEL: RGBColor = PALETTE[0];

/// A year tick: `2024`, or `2024.5` between years.
fn year_tick(x: &f64) -> String {
    if x.fract().abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// Draws the chart on `root` (any plotters backend) and presents it.
pub fn draw<DB: DrawingBackend>(root: Area<DB>, chart: &Chart) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    register_font();
    root.fill(&WHITE).map_err(drawing_error)?;
    let bands = band_summary(&chart.runs);
    let at = |m: f64| chart.years.get(m as usize).copied().unwrap_or(f64::NAN);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut x0, mut x1) = (f64::INFINITY, f64::NEG_INFINITY);
    for b in &bands {
        lo = lo.min(b.lo).min(b.mean);
        hi = hi.max(b.hi).max(b.mean);
    }
    for y in &chart.years {
        x0 = x0.min(*y);
        x1 = x1.max(*y);
    }
    for m in &chart.markers {
        for v in [m.value, m.lower, m.upper] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        x0 = x0.min(m.from);
        x1 = x1.max(m.to);
    }
    if !(lo.is_finite() && hi.is_finite() && x0.is_finite() && x1 > x0) {
        return Err(anyhow::anyhow!("nothing to draw in chart {:?}", chart.title));
    }
    let (plot, legend) = root.split_vertically(crate::SIZE.1 - 30);
    let mut ctx = ChartBuilder::on(&plot)
        .caption(&chart.title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(90)
        .build_cartesian_2d(x0 - 0.1..x1 + 0.1, padded(lo, hi))
        .map_err(drawing_error)?;
    ctx.configure_mesh()
        .x_desc("calendar year")
        .x_label_formatter(&year_tick)
        .y_label_formatter(&|y| tick(*y))
        .y_desc(chart.y_desc.as_str())
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(drawing_error)?;
    if chart.runs.len() > 1 && !bands.is_empty() {
        let poly: Vec<(f64, f64)> = bands
            .iter()
            .map(|b| (at(b.month), b.lo))
            .chain(bands.iter().rev().map(|b| (at(b.month), b.hi)))
            .collect();
        ctx.draw_series(std::iter::once(Polygon::new(poly, MODEL.mix(0.18))))
            .map_err(drawing_error)?;
    }
    ctx.draw_series(LineSeries::new(
        bands.iter().map(|b| (at(b.month), b.mean)),
        MODEL.stroke_width(2),
    ))
    .map_err(drawing_error)?;
    let font = ("sans-serif", 12).into_font().color(&DATA);
    for m in &chart.markers {
        let mid = (m.from + m.to) / 2.0;
        ctx.draw_series(std::iter::once(PathElement::new(
            vec![(mid, m.lower), (mid, m.upper)],
            DATA.stroke_width(2),
        )))
        .map_err(drawing_error)?;
        if m.to > m.from {
            ctx.draw_series(std::iter::once(PathElement::new(
                vec![(m.from, m.value), (m.to, m.value)],
                DATA.stroke_width(3),
            )))
            .map_err(drawing_error)?;
        }
        ctx.draw_series(std::iter::once(Circle::new((mid, m.value), 5, DATA.filled())))
            .map_err(drawing_error)?;
        // The label sits just right of the whisker's top, clear of the line.
        ctx.draw_series(std::iter::once(
            EmptyElement::at((mid, m.upper)) + Text::new(m.label.clone(), (6, -6), font.clone()),
        ))
        .map_err(drawing_error)?;
    }
    let lf = ("sans-serif", 14).into_font().color(&BLACK);
    let seeds = chart.runs.len();
    legend
        .draw(&PathElement::new(vec![(100, 12), (122, 12)], MODEL.stroke_width(2)))
        .map_err(drawing_error)?;
    legend
        .draw_text(
            &format!("model: mean and 10-90% band over {seeds} seeds"),
            &lf,
            (128, 4),
        )
        .map_err(drawing_error)?;
    legend
        .draw(&Circle::new((520, 12), 5, DATA.filled()))
        .map_err(drawing_error)?;
    legend
        .draw_text("data: value and interval", &lf, (532, 4))
        .map_err(drawing_error)?;
    root.present().map_err(drawing_error)?;
    Ok(())
}

/// The chart as an SVG document.
#[cfg(feature = "bitmap")]
pub fn svg(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    crate::render_svg(|root| draw(root, chart))
}

/// The chart as a PNG image.
#[cfg(feature = "bitmap")]
pub fn png(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    crate::render_png(|root| draw(root, chart))
}
