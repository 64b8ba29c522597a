//! Charts of `goldrush calibrate`: the SMM objective trace ([`Trace`]: every candidate's
//! objective in evaluation order and the best so far, on a log10 axis) and the ABC posterior
//! ([`Pairs`]: a matrix of panels, weighted histograms of each parameter's marginal on the
//! diagonal and weighted scatter plots of each pair below it). Pure functions of their input,
//! generic over the plotters backend like the other charts.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{PALETTE, drawing_error, register_font, tick};

/// The SMM objective trace.
pub struct Trace {
    pub title: String,
    /// Each evaluated candidate's objective, in evaluation order.
    pub objectives: Vec<f64>,
    /// The evaluation index where each stage starts, with the stage's label (drawn as marks).
    pub stages: Vec<(usize, String)>,
}

/// An ABC posterior sample as a pairs plot.
pub struct Pairs {
    pub title: String,
    /// Parameter names.
    pub names: Vec<String>,
    /// Each parameter's prior range and whether its axis is logarithmic (log-uniform prior).
    pub ranges: Vec<(f64, f64, bool)>,
    /// Particles: `particles[i][j]` is parameter j of particle i.
    pub particles: Vec<Vec<f64>>,
    /// Particle weights (sum 1).
    pub weights: Vec<f64>,
}

fn log10(x: f64) -> f64 {
    sim_core::math::ln(x) / std::f64::consts::LN_10
}

/// Draws the objective trace.
pub fn draw_trace<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, chart: &Trace) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    register_font();
    root.fill(&WHITE).map_err(drawing_error)?;
    let ys: Vec<(f64, f64)> = chart
        .objectives
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite() && **v > 0.0)
        .map(|(i, v)| (i as f64, log10(*v)))
        .collect();
    let (mut lo, mut hi) = ys.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(_, y)| {
        (a.min(y), b.max(y))
    });
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 0.5 {
        hi = lo + 0.5;
    }
    let n = chart.objectives.len().max(2) as f64;
    let mut ctx = ChartBuilder::on(&root)
        .caption(&chart.title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..n, (lo - 0.1)..(hi + 0.1))
        .map_err(drawing_error)?;
    ctx.configure_mesh()
        .x_desc("candidate (evaluation order)")
        .y_desc("objective (log10)")
        .y_label_formatter(&|y| tick(*y))
        .x_label_formatter(&|x| tick(*x))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(drawing_error)?;
    for (i, (start, label)) in chart.stages.iter().enumerate() {
        let x = *start as f64;
        let c = PALETTE[(i + 2) % PALETTE.len()];
        ctx.draw_series(std::iter::once(PathElement::new(
            vec![(x, lo - 0.1), (x, hi + 0.1)],
            c.mix(0.5).stroke_width(1),
        )))
        .map_err(drawing_error)?
        .label(label.as_str())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], c.stroke_width(2)));
    }
    ctx.draw_series(ys.iter().map(|&p| Circle::new(p, 3, PALETTE[0].filled())))
        .map_err(drawing_error)?
        .label("candidate")
        .legend(|(x, y)| Circle::new((x + 7, y), 3, PALETTE[0].filled()));
    let mut best = f64::INFINITY;
    let best_line: Vec<(f64, f64)> = ys
        .iter()
        .map(|&(x, y)| {
            best = best.min(y);
            (x, best)
        })
        .collect();
    ctx.draw_series(LineSeries::new(best_line, PALETTE[1].stroke_width(2)))
        .map_err(drawing_error)?
        .label("best so far")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], PALETTE[1].stroke_width(2)));
    ctx.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(drawing_error)?;
    root.present().map_err(drawing_error)?;
    Ok(())
}

/// Draws the pairs plot.
pub fn draw_pairs<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, chart: &Pairs) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    register_font();
    root.fill(&WHITE).map_err(drawing_error)?;
    let root = root.titled(&chart.title, ("sans-serif", 18)).map_err(drawing_error)?;
    let d = chart.names.len();
    if d == 0 {
        root.present().map_err(drawing_error)?;
        return Ok(());
    }
    // Axis coordinate of a value: log10 on a log axis.
    let axis = |j: usize, x: f64| if chart.ranges[j].2 { log10(x.max(1e-300)) } else { x };
    let range = |j: usize| {
        let (lo, hi, _) = chart.ranges[j];
        (axis(j, lo), axis(j, hi))
    };
    let wmax = chart.weights.iter().copied().fold(0.0f64, f64::max).max(1e-300);
    let cells = root.split_evenly((d, d));
    for (idx, cell) in cells.iter().enumerate() {
        let (r, c) = (idx / d, idx % d);
        if c > r {
            continue;
        }
        let (x0, x1) = range(c);
        let small = ("sans-serif", 10);
        if r == c {
            // Weighted histogram of the marginal, 20 bins over the prior range.
            const BINS: usize = 20;
            let mut h = [0.0f64; BINS];
            for (p, w) in chart.particles.iter().zip(&chart.weights) {
                let u = ((axis(c, p[c]) - x0) / (x1 - x0)).clamp(0.0, 1.0 - 1e-12);
                h[(u * BINS as f64) as usize] += w;
            }
            let top = h.iter().copied().fold(0.0f64, f64::max).max(1e-12) * 1.1;
            let mut ctx = ChartBuilder::on(cell)
                .caption(&chart.names[c], small)
                .margin(4)
                .x_label_area_size(if r + 1 == d { 18 } else { 0 })
                .y_label_area_size(0)
                .build_cartesian_2d(x0..x1, 0.0..top)
                .map_err(drawing_error)?;
            ctx.configure_mesh()
                .disable_mesh()
                .x_labels(3)
                .x_label_formatter(&|x| tick(*x))
                .label_style(small)
                .draw()
                .map_err(drawing_error)?;
            let wbin = (x1 - x0) / BINS as f64;
            ctx.draw_series(h.iter().enumerate().map(|(b, &v)| {
                let a = x0 + b as f64 * wbin;
                Rectangle::new([(a, 0.0), (a + wbin, v)], PALETTE[0].mix(0.7).filled())
            }))
            .map_err(drawing_error)?;
        } else {
            let (y0, y1) = range(r);
            let mut ctx = ChartBuilder::on(cell)
                .margin(4)
                .x_label_area_size(if r + 1 == d { 18 } else { 0 })
                .y_label_area_size(if c == 0 { 34 } else { 0 })
                .build_cartesian_2d(x0..x1, y0..y1)
                .map_err(drawing_error)?;
            ctx.configure_mesh()
                .disable_mesh()
                .x_labels(3)
                .y_labels(3)
                .x_label_formatter(&|x| tick(*x))
                .y_label_formatter(&|y| tick(*y))
                .label_style(small)
                .draw()
                .map_err(drawing_error)?;
            ctx.draw_series(chart.particles.iter().zip(&chart.weights).map(|(p, w)| {
                let size = 1 + (3.0 * w / wmax).round() as i32;
                Circle::new((axis(c, p[c]), axis(r, p[r])), size, PALETTE[0].mix(0.6).filled())
            }))
            .map_err(drawing_error)?;
        }
    }
    root.present().map_err(drawing_error)?;
    Ok(())
}

/// The trace as an SVG document.
#[cfg(feature = "bitmap")]
pub fn trace_svg(chart: &Trace) -> anyhow::Result<Vec<u8>> {
    crate::render_svg(|root| draw_trace(root, chart))
}

/// The trace as a PNG image.
#[cfg(feature = "bitmap")]
pub fn trace_png(chart: &Trace) -> anyhow::Result<Vec<u8>> {
    crate::render_png(|root| draw_trace(root, chart))
}

/// The pairs plot as an SVG document.
#[cfg(feature = "bitmap")]
pub fn pairs_svg(chart: &Pairs) -> anyhow::Result<Vec<u8>> {
    crate::render_svg(|root| draw_pairs(root, chart))
}

/// The pairs plot as a PNG image.
#[cfg(feature = "bitmap")]
pub fn pairs_png(chart: &Pairs) -> anyhow::Result<Vec<u8>> {
    crate::render_png(|root| draw_pairs(root, chart))
}

#[cfg(all(test, feature = "bitmap"))]
mod tests {
    use super::*;

    #[test]
    fn calibration_charts_draw_and_are_deterministic() {
        let t = Trace {
            title: "objective".into(),
            objectives: vec![10.0, 3.0, f64::NAN, 5.0, 0.5],
            stages: vec![(0, "design".into()), (3, "Nelder–Mead".into())],
        };
        assert_eq!(trace_svg(&t).unwrap(), trace_svg(&t).unwrap());
        assert!(!trace_png(&t).unwrap().is_empty());
        let p = Pairs {
            title: "posterior".into(),
            names: vec!["a".into(), "b".into()],
            ranges: vec![(0.0, 1.0, false), (0.1, 10.0, true)],
            particles: vec![vec![0.2, 0.5], vec![0.4, 2.0], vec![0.9, 9.0]],
            weights: vec![0.5, 0.3, 0.2],
        };
        let svg = String::from_utf8(pairs_svg(&p).unwrap()).unwrap();
        assert!(
            svg.contains("posterior") && svg.contains("<circle"),
            "a pairs plot has its title and points"
        );
        assert!(!pairs_png(&p).unwrap().is_empty());
    }
}
