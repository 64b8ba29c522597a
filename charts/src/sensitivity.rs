//! Charts of `goldrush sensitivity`: for one output, a horizontal grouped bar chart with one row
//! per parameter — Sobol S1 and ST side by side with their 95% bootstrap intervals as whiskers,
//! or Morris μ* (with its interval) next to σ. Drawn in memory (an SVG string, an RGB buffer
//! encoded as PNG) so the files can be written atomically; text is measured and drawn with the
//! embedded DejaVu Sans (with the `bitmap` feature). Generic over the backend like the
//! time charts ([`draw`]).

use anyhow::anyhow;
use plotters::prelude::*;

use crate::{PALETTE, register_font};

/// The two series' colours: the first two of the palette.
const COLOURS: [RGBColor; 2] = [PALETTE[0], PALETTE[1]];

/// One bar series: a label and per parameter `(value, lo, hi)`; NaN bounds draw no whisker,
/// a NaN value no bar.
pub struct Series {
    pub label: String,
    pub values: Vec<(f64, f64, f64)>,
}

/// One output's chart.
pub struct Chart {
    pub title: String,
    pub x_desc: String,
    pub params: Vec<String>,
    /// At most two series (drawn side by side in each parameter's row).
    pub series: Vec<Series>,
}

/// The x range: zero, every finite value and bound, padded by 5%.
fn x_range(chart: &Chart) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for s in &chart.series {
        for &(v, a, b) in &s.values {
            for x in [v, a, b] {
                if x.is_finite() {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
            }
        }
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.05;
    (if lo < 0.0 { lo - pad } else { lo }, hi + pad)
}

/// Draws the bar chart on `root` (any plotters backend) and presents it.
pub fn draw<DB: DrawingBackend>(root: DrawingArea<DB, plotters::coord::Shift>, chart: &Chart) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    register_font();
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("cannot draw the chart: {e:?}");
    root.fill(&WHITE).map_err(err)?;
    let k = chart.params.len() as i32;
    // Parameter i's row is [ROW (k - i - 1), ROW (k - i)): the first parameter on top. Integer
    // coordinates, because plotters formats labels of a keyed f64 axis only with a formatter
    // type of its own.
    const ROW: i32 = 100;
    let centre = |i: usize| ROW * (k - i as i32) - ROW / 2;
    let centres: Vec<i32> = (0..k as usize).map(centre).collect();
    // An empty band below the last row (about 70 of the plot's ~430 pixels) holds the legend.
    let legend_band = ROW * k * 70 / 360;
    let (x0, x1) = x_range(chart);
    let longest = chart.params.iter().map(|p| p.chars().count()).max().unwrap_or(0);
    let label_area = (longest as u32 * 8 + 20).clamp(60, 320);
    let mut ctx = ChartBuilder::on(&root)
        .caption(&chart.title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(label_area)
        .build_cartesian_2d(x0..x1, (-legend_band..ROW * k).with_key_points(centres.clone()))
        .map_err(err)?;
    let names = chart.params.clone();
    ctx.configure_mesh()
        .disable_y_mesh()
        .x_desc(chart.x_desc.as_str())
        .y_label_formatter(&|y: &i32| {
            centres
                .iter()
                .position(|c| c == y)
                .map_or(String::new(), |i| names[i].clone())
        })
        .light_line_style(WHITE)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(err)?;
    // The zero line, from which every bar starts.
    ctx.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, -legend_band), (0.0, ROW * k)],
        BLACK.stroke_width(1),
    )))
    .map_err(err)?;
    let n = chart.series.len().max(1) as i32;
    let band = ROW * 4 / 5;
    for (j, s) in chart.series.iter().enumerate() {
        let c = COLOURS[j % COLOURS.len()];
        let rows = |i: usize| {
            let top = centre(i) + band / 2 - j as i32 * band / n;
            (top - band / n, top)
        };
        ctx.draw_series(
            s.values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.0.is_finite())
                .map(|(i, &(v, _, _))| {
                    let (y0, y1) = rows(i);
                    Rectangle::new([(0.0, y0 + 2), (v, y1 - 2)], c.filled())
                }),
        )
        .map_err(err)?
        .label(s.label.as_str())
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], c.filled()));
        for (i, &(_, lo, hi)) in s.values.iter().enumerate() {
            if !(lo.is_finite() && hi.is_finite()) {
                continue;
            }
            let (y0, y1) = rows(i);
            let (ym, cap) = ((y0 + y1) / 2, (y1 - y0) * 3 / 10);
            let whisker = [
                vec![(lo, ym), (hi, ym)],
                vec![(lo, ym - cap), (lo, ym + cap)],
                vec![(hi, ym - cap), (hi, ym + cap)],
            ];
            ctx.draw_series(whisker.into_iter().map(|p| PathElement::new(p, BLACK.stroke_width(1))))
                .map_err(err)?;
        }
    }
    ctx.configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
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
