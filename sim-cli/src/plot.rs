//! Charts of `goldrush compare --plots`: for one metric, each scenario's mean trajectory across
//! seeds with its 10–90% band, a title, axis labels with units and a legend. Drawn in memory
//! (an SVG string, an RGB buffer encoded as PNG) so the files can be written atomically. Text
//! is measured and (in PNGs) drawn with the embedded DejaVu Sans, so no system fonts are needed.

use std::sync::Once;

use anyhow::{Context, anyhow};
use plotters::prelude::*;
use plotters::style::FontStyle;
use sim_core::MetricSpec;
use sim_core::stats::{mean_skip_nan, quantile};

const SIZE: (u32, u32) = (900, 540);
const COLOURS: [RGBColor; 2] = [RGBColor(31, 119, 180), RGBColor(214, 39, 40)];

/// One metric's trajectories: `(label, one slice per seed)` for the base and the policy.
pub struct Chart<'a> {
    pub metric: &'a MetricSpec,
    pub series: [(&'a str, Vec<&'a [f64]>); 2],
    pub seeds: usize,
}

/// Per month: (month, mean, 10%, 90%) over the seeds where the metric is defined.
fn summarise(runs: &[&[f64]]) -> Vec<(f64, f64, f64, f64)> {
    let months = runs.iter().map(|r| r.len()).max().unwrap_or(0);
    (0..months)
        .filter_map(|t| {
            let xs: Vec<f64> = runs.iter().filter_map(|r| r.get(t).copied()).collect();
            let m = mean_skip_nan(&xs)?;
            Some((t as f64, m, quantile(&xs, 0.1)?, quantile(&xs, 0.9)?))
        })
        .collect()
}

/// Registers the embedded font once: both backends measure text with it to lay out labels.
fn register_font() {
    static FONT: Once = Once::new();
    FONT.call_once(|| {
        // The embedded font is valid TrueType; a failure shows as a drawing error, not a crash.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
    });
}

fn draw<DB: DrawingBackend>(root: DrawingArea<DB, plotters::coord::Shift>, chart: &Chart) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    register_font();
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("cannot draw the chart: {e:?}");
    root.fill(&WHITE).map_err(err)?;
    let lines: Vec<_> = chart.series.iter().map(|(_, runs)| summarise(runs)).collect();
    let all = lines.iter().flatten();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut t_max: f64 = 1.0;
    for &(t, m, a, b) in all {
        lo = lo.min(a).min(m);
        hi = hi.max(b).max(m);
        t_max = t_max.max(t);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.05
    } else {
        lo.abs().max(1.0) * 0.05
    };
    let m = chart.metric;
    let mut ctx = ChartBuilder::on(&root)
        .caption(
            format!("{}: mean and 10-90% band over {} seeds", m.name, chart.seeds),
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..t_max, (lo - pad)..(hi + pad))
        .map_err(err)?;
    ctx.configure_mesh()
        .x_desc("month")
        .y_desc(format!("{} ({})", m.name, m.unit))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    for (i, ((label, _), pts)) in chart.series.iter().zip(&lines).enumerate() {
        let c = COLOURS[i];
        let band: Vec<(f64, f64)> = pts
            .iter()
            .map(|&(t, _, a, _)| (t, a))
            .chain(pts.iter().rev().map(|&(t, _, _, b)| (t, b)))
            .collect();
        if !band.is_empty() {
            ctx.draw_series(std::iter::once(Polygon::new(band, c.mix(0.2))))
                .map_err(err)?;
        }
        ctx.draw_series(LineSeries::new(
            pts.iter().map(|&(t, mean, _, _)| (t, mean)),
            c.stroke_width(2),
        ))
        .map_err(err)?
        .label(*label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
    }
    ctx.configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

/// The chart as an SVG document.
pub fn svg(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    let mut s = String::new();
    draw(SVGBackend::with_string(&mut s, SIZE).into_drawing_area(), chart)?;
    Ok(s.into_bytes())
}

/// The chart as a PNG image.
pub fn png(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    let (w, h) = SIZE;
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    draw(BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area(), chart)?;
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().context("cannot encode PNG")?;
    writer.write_image_data(&rgb).context("cannot encode PNG")?;
    writer.finish().context("cannot encode PNG")?;
    Ok(out)
}
