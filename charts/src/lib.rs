//! goldrush-charts: the chart library of goldrush, shared by the command line (PNG and SVG,
//! `goldrush run --plots`, `compare --plots`, `plot`, `sensitivity`) and the browser
//! (`<canvas>`): one palette ([`PALETTE`]), one tick formatter ([`tick`]), and drawing generic
//! over plotters' [`DrawingBackend`] ([`draw`]).
//!
//! Three kinds of time chart, each with a title, axis labels with units and a legend:
//! - [`Lines`]: labelled series over months, each the runs (seeds) behind it drawn as the mean
//!   and its 10–90% band across runs (a single run is just its line); NaN months are skipped.
//! - [`Stacked`]: shares over months as stacked areas (platform user shares, top platforms plus
//!   "others").
//! - [`Survival`]: Kaplan–Meier survival curves by age ([`kaplan_meier`]), as steps.
//!
//! and the bar charts of a sensitivity analysis ([`sensitivity`]), the data-over-model charts of
//! a backtest ([`backtest`]), the objective trace and posterior pairs plot of a calibration
//! ([`calibration`]) and the browser's live charts of a run in progress ([`live`]).
//!
//! A chart with nothing to draw (a metric NaN throughout, no startups) says so in the picture:
//! "no data" and why, never an empty frame. With the `bitmap` feature (the CLI; not for wasm),
//! [`svg`] and [`png`] draw a 900x540 chart in memory (an SVG string, an RGB buffer encoded as
//! PNG) so the caller can write the files atomically; text is then measured and (in PNGs) drawn
//! with the embedded DejaVu Sans, so no system fonts are needed. Everything here is a pure
//! function of its input: the same chart gives the same bytes.

use std::collections::BTreeMap;

use anyhow::anyhow;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use sim_core::YearMonth;
use sim_core::stats::{mean_skip_nan, quantile};

pub mod backtest;
pub mod calibration;
pub mod live;
pub mod sensitivity;

/// The size of a chart file (width, height in pixels).
pub const SIZE: (u32, u32) = (900, 540);
/// Readable, distinguishable colours (the "tab10" palette); series cycle through them.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
    RGBColor(188, 189, 34),
    RGBColor(127, 127, 127),
];
/// The "others" layer of a stacked chart.
pub const OTHERS_COLOUR: RGBColor = RGBColor(200, 200, 200);
/// Width of the legend column right of a stacked chart.
const LEGEND_W: u32 = 200;

/// One labelled series: the runs behind it, each a value per month (index = month; NaN where
/// the value is undefined).
pub struct Series {
    pub label: String,
    pub runs: Vec<Vec<f64>>,
    /// Palette index; `None` for the series' position.
    pub colour: Option<usize>,
    /// Drawn dashed (e.g. the contract price beside the solid spot price).
    pub dashed: bool,
}

impl Series {
    /// A solid series in the next palette colour.
    pub fn new(label: impl Into<String>, runs: Vec<Vec<f64>>) -> Self {
        Self {
            label: label.into(),
            runs,
            colour: None,
            dashed: false,
        }
    }
}

/// Series over months, each drawn as its mean and 10–90% band across runs.
pub struct Lines {
    pub title: String,
    /// The calendar month of month 0 (`run.start`): the x axis is then labelled with dates
    /// ([`MonthAxis`]); `None` labels month indices.
    pub start: Option<YearMonth>,
    /// The y-axis label, with its unit.
    pub y_desc: String,
    pub series: Vec<Series>,
    /// Why a series may have no data, shown when nothing at all can be drawn.
    pub no_data: String,
}

/// Shares over months as stacked areas; `layers[k][t]` is layer k's share in month t (NaN in
/// months without data). The last layer is drawn grey when `others` is set.
pub struct Stacked {
    pub title: String,
    /// The calendar month of month 0, as in [`Lines`].
    pub start: Option<YearMonth>,
    pub y_desc: String,
    pub labels: Vec<String>,
    pub layers: Vec<Vec<f64>>,
    pub others: bool,
    pub no_data: String,
}

/// One survival curve with its legend label.
pub struct Curve {
    pub label: String,
    pub steps: Vec<KmStep>,
    /// Ages observed: the curve runs from the first to the last.
    pub ages: Option<(u32, u32)>,
}

/// Kaplan–Meier survival curves by age.
pub struct Survival {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub curves: Vec<Curve>,
    pub no_data: String,
}

/// Any chart.
pub enum Chart {
    Lines(Lines),
    Stacked(Stacked),
    Survival(Survival),
}

/// One month of a series: the mean across runs and the 10% and 90% quantiles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub month: f64,
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Per month, the mean and 10–90% band over the runs where the value is defined; months where
/// no run has a value are left out (so a line never dives to a fake zero).
pub fn band_summary(runs: &[Vec<f64>]) -> Vec<Band> {
    let months = runs.iter().map(Vec::len).max().unwrap_or(0);
    (0..months)
        .filter_map(|t| {
            let xs: Vec<f64> = runs.iter().filter_map(|r| r.get(t).copied()).collect();
            Some(Band {
                month: t as f64,
                mean: mean_skip_nan(&xs)?,
                lo: quantile(&xs, 0.1)?,
                hi: quantile(&xs, 0.9)?,
            })
        })
        .collect()
}

/// A startup's life as observed, in months of age: first observed at age `entry` (0 for one
/// founded during the run, its age at month 0 for one founded before: left truncation), last
/// observed at age `end`, where it exited if `exited`, or was still alive when the run ended
/// (right-censored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Life {
    pub entry: u32,
    pub end: u32,
    pub exited: bool,
}

/// One step of a Kaplan–Meier curve: at `age`, `exits` of the `at_risk` startups exited, and
/// the estimated share surviving past that age is `survival`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KmStep {
    pub age: u32,
    pub at_risk: u32,
    pub exits: u32,
    pub survival: f64,
}

/// The Kaplan–Meier estimate of survival by age with right-censoring and delayed entry: at
/// each age `a` with exits, `S(a) = S(a−1) · (1 − d_a / n_a)`, where `d_a` startups exited at
/// age `a` and `n_a` were at risk (observed at age `a`: `entry ≤ a ≤ end`). Censored lives
/// count in the risk sets up to their last observed age. One step per age with an exit,
/// youngest first.
pub fn kaplan_meier(lives: &[Life]) -> Vec<KmStep> {
    let mut exits: BTreeMap<u32, u32> = BTreeMap::new();
    for l in lives.iter().filter(|l| l.exited) {
        *exits.entry(l.end).or_default() += 1;
    }
    let mut s = 1.0;
    exits
        .into_iter()
        .map(|(age, d)| {
            let n = lives.iter().filter(|l| l.entry <= age && age <= l.end).count() as u32;
            s *= 1.0 - f64::from(d) / f64::from(n);
            KmStep {
                age,
                at_risk: n,
                exits: d,
                survival: s,
            }
        })
        .collect()
}

/// The youngest and oldest ages observed.
pub fn age_span(lives: &[Life]) -> Option<(u32, u32)> {
    let lo = lives.iter().map(|l| l.entry).min()?;
    let hi = lives.iter().map(|l| l.end).max()?;
    Some((lo, hi))
}

/// Stacked shares from each run's amounts per month (`runs[r][t]`: name → amount, e.g. a
/// platform's users): within a run and month each share is amount / total; shares are averaged
/// over runs (a name missing from a run counts 0); the `top` names with the highest peak mean
/// share are kept, in that order, and the rest summed into "others" (only when there is a
/// rest). A month where no run has a positive total is NaN in every layer.
pub fn stacked_shares(runs: &[Vec<BTreeMap<String, f64>>], top: usize) -> (Vec<String>, Vec<Vec<f64>>, bool) {
    let months = runs.iter().map(Vec::len).max().unwrap_or(0);
    let names: Vec<String> = {
        let mut set = std::collections::BTreeSet::new();
        for run in runs {
            for m in run {
                set.extend(m.keys().cloned());
            }
        }
        set.into_iter().collect()
    };
    // by_month[t][k]: the mean share of name k in month t over the runs with users then.
    let by_month: Vec<Vec<f64>> = (0..months)
        .map(|t| {
            let mut sums = vec![0.0; names.len()];
            let mut n = 0u32;
            for m in runs.iter().filter_map(|run| run.get(t)) {
                let total: f64 = m.values().filter(|v| **v > 0.0).sum();
                if total > 0.0 {
                    n += 1;
                    for (sum, name) in sums.iter_mut().zip(&names) {
                        *sum += m.get(name).copied().unwrap_or(0.0).max(0.0) / total;
                    }
                }
            }
            let n = if n > 0 { f64::from(n) } else { f64::NAN };
            sums.into_iter().map(|x| x / n).collect()
        })
        .collect();
    let mean: Vec<Vec<f64>> = (0..names.len())
        .map(|k| by_month.iter().map(|m| m[k]).collect())
        .collect();
    let peak = |k: usize| mean[k].iter().copied().filter(|x| !x.is_nan()).fold(0.0, f64::max);
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| peak(b).total_cmp(&peak(a)).then_with(|| names[a].cmp(&names[b])));
    let kept = order.len().min(top);
    let mut labels: Vec<String> = order[..kept].iter().map(|&k| names[k].clone()).collect();
    let mut layers: Vec<Vec<f64>> = order[..kept].iter().map(|&k| mean[k].clone()).collect();
    let others = kept < order.len();
    if others {
        let rest = (0..months)
            .map(|t| order[kept..].iter().map(|&k| mean[k][t]).sum())
            .collect();
        labels.push(format!("others ({} more)", order.len() - kept));
        layers.push(rest);
    }
    (labels, layers, others)
}

/// Registers the embedded font once: both file backends measure text with it to lay out labels.
#[cfg(feature = "bitmap")]
pub(crate) fn register_font() {
    static FONT: std::sync::Once = std::sync::Once::new();
    FONT.call_once(|| {
        // The embedded font is valid TrueType; a failure shows as a drawing error, not a crash.
        let _ = plotters::style::register_font(
            "sans-serif",
            plotters::style::FontStyle::Normal,
            dejavu::sans::regular(),
        );
    });
}

/// Without the `bitmap` feature (the browser) the backend brings its own fonts.
#[cfg(not(feature = "bitmap"))]
pub(crate) fn register_font() {}

type Area<DB> = DrawingArea<DB, Shift>;

fn drawing_error<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("cannot draw the chart: {e:?}")
}

/// A tick label: compact and readable at any magnitude (`2.5 T`, `1200`, `0.25`, `3.1e-5`),
/// trailing zeros trimmed.
pub fn tick(x: f64) -> String {
    fn trim(s: String) -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
    let a = x.abs();
    if a == 0.0 {
        return "0".into();
    }
    for (scale, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e4, "k")] {
        if a >= scale {
            let scale = if suffix == "k" { 1e3 } else { scale };
            return format!("{} {suffix}", trim(format!("{:.3}", x / scale)));
        }
    }
    if a >= 1.0 {
        trim(format!("{x:.2}"))
    } else if a >= 1e-3 {
        trim(format!("{x:.4}"))
    } else {
        format!("{x:.2e}")
    }
}

/// A month tick: whole months without decimals.
fn month_tick(x: &f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// The x axis of a time chart over month indices `lo..=hi`: ticked and labelled in calendar
/// time when the run's first month (`run.start`) is known, else in month indices. One rule for
/// every time chart, in files and in the browser:
/// - with a start, ticks fall on calendar months every 1, 2, 3 or 6 months (labelled `YYYY-MM`)
///   or every 1, 2, 5 or 10 years (on January, labelled `YYYY`), the finest step that gives at
///   most `max_ticks` ticks;
/// - without, on multiples of 1, 2, 5, 10, 20, 50, … months, labelled with the month index.
///
/// Light grid lines fall on the next finer step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MonthAxis {
    start: Option<YearMonth>,
    lo: f64,
    hi: f64,
    step: u32,
    light: u32,
}

/// Calendar steps in months: months, quarters, halves, years, decades.
const DATE_STEPS: [u32; 9] = [1, 2, 3, 6, 12, 24, 60, 120, 240];
/// Month-index steps.
const MONTH_STEPS: [u32; 10] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

impl MonthAxis {
    /// The axis of months `lo..=hi` (month indices) of a run starting at `start`.
    pub fn new(start: Option<YearMonth>, lo: f64, hi: f64, max_ticks: u32) -> Self {
        let steps: &[u32] = if start.is_some() { &DATE_STEPS } else { &MONTH_STEPS };
        let span = (hi - lo).max(0.0);
        let k = steps
            .iter()
            .position(|&s| span / f64::from(s) < f64::from(max_ticks.max(2)))
            .unwrap_or(steps.len() - 1);
        Self {
            start,
            lo,
            hi,
            step: steps[k],
            light: steps[k.saturating_sub(1)],
        }
    }

    /// What the axis is labelled with.
    pub fn desc(&self) -> &'static str {
        if self.start.is_some() { "date" } else { "month" }
    }

    /// Month indices in `lo..=hi` on multiples of `step` (of calendar months since year 0 with
    /// a start, so ticks fall on January, July, …).
    fn points(&self, step: u32) -> Vec<f64> {
        let offset = self.start.map_or(0, |s| i64::from(s.ordinal()));
        let (first, last) = (self.lo.ceil() as i64, self.hi.floor() as i64);
        (first..=last)
            .filter(|m| (offset + m).rem_euclid(i64::from(step)) == 0)
            .map(|m| m as f64)
            .collect()
    }

    /// The labelled ticks.
    pub fn ticks(&self) -> Vec<f64> {
        self.points(self.step)
    }

    /// The light grid lines.
    pub fn light_ticks(&self) -> Vec<f64> {
        self.points(self.light)
    }

    /// The label of month index `x`: `YYYY` on a yearly axis, `YYYY-MM` on a finer one, the
    /// month index without a start.
    pub fn label(&self, x: f64) -> String {
        match self.start {
            None => month_tick(&x),
            Some(start) => {
                let date = start.label_of(if x.is_finite() && x >= 0.0 { x.round() as u32 } else { 0 });
                if self.step >= 12 {
                    date.year.to_string()
                } else {
                    date.to_string()
                }
            }
        }
    }
}

/// The axis as a plotters coordinate: positions as a plain `f64` range, key points and labels
/// from the rule above.
impl Ranged for MonthAxis {
    type ValueType = f64;
    type FormatOption = plotters::coord::ranged1d::NoDefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        RangedCoordf64::from(self.lo..self.hi).map(value, limit)
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light_ticks()
        } else {
            self.ticks()
        }
    }
}

impl plotters::coord::ranged1d::ValueFormatter<f64> for MonthAxis {
    fn format_ext(&self, value: &f64) -> String {
        self.label(*value)
    }
}

/// The value range `lo..hi` padded by 5% (a flat line gets a band around it).
fn padded(lo: f64, hi: f64) -> std::ops::Range<f64> {
    let pad = if hi > lo {
        (hi - lo) * 0.05
    } else {
        lo.abs().max(1.0) * 0.05
    };
    (lo - pad)..(hi + pad)
}

/// A titled picture saying there is nothing to draw, and why.
fn draw_no_data<DB: DrawingBackend>(root: &Area<DB>, title: &str, why: &str, series: &[&str]) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let (w, h) = SIZE;
    let centre = |size| {
        ("sans-serif", size)
            .into_font()
            .color(&BLACK)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            ))
    };
    root.draw_text(title, &centre(22), (w as i32 / 2, 30))
        .map_err(drawing_error)?;
    root.draw(&Rectangle::new(
        [(60, 70), (w as i32 - 60, h as i32 - 60)],
        BLACK.mix(0.3),
    ))
    .map_err(drawing_error)?;
    root.draw_text("no data", &centre(28), (w as i32 / 2, h as i32 / 2 - 20))
        .map_err(drawing_error)?;
    root.draw_text(why, &centre(16), (w as i32 / 2, h as i32 / 2 + 20))
        .map_err(drawing_error)?;
    if !series.is_empty() {
        let list = format!("series: {}", series.join("; "));
        root.draw_text(&list, &centre(14), (w as i32 / 2, h as i32 / 2 + 50))
            .map_err(drawing_error)?;
    }
    Ok(())
}

/// One legend entry: a line swatch (solid or dashed) and its label.
struct Entry {
    label: String,
    colour: RGBColor,
    dashed: bool,
}

const LEGEND_FONT: u32 = 14;
const LEGEND_ROW: i32 = 22;

/// Lays the entries out left to right below the plot, wrapping at the chart's width: each
/// The axes every time chart shares: a title, months (dates, see [`MonthAxis`]) or ages on x
/// with compact ticks (`x_label`), the y axis labelled with its unit.
fn time_axes<'a, DB: DrawingBackend, X>(
    area: &'a Area<DB>,
    title: &str,
    y_label_area: u32,
    (x, y): (X, std::ops::Range<f64>),
    (x_desc, y_desc): (&str, &str),
    x_label: &dyn Fn(&f64) -> String,
) -> anyhow::Result<ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>>
where
    DB::ErrorType: 'static,
    X: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let mut ctx = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x, RangedCoordf64::from(y))
        .map_err(drawing_error)?;
    ctx.configure_mesh()
        .x_desc(x_desc)
        .x_label_formatter(x_label)
        .y_label_formatter(&|y| tick(*y))
        .y_desc(y_desc)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .draw()
        .map_err(drawing_error)?;
    Ok(ctx)
}

/// entry's top-left corner, and the height the legend needs.
fn legend_layout<DB: DrawingBackend>(root: &Area<DB>, entries: &[Entry]) -> anyhow::Result<(Vec<(i32, i32)>, u32)> {
    let font = ("sans-serif", LEGEND_FONT).into_font();
    let (left, right) = (100, SIZE.0 as i32 - 20);
    let (mut x, mut y) = (left, 4);
    let mut at = Vec::new();
    for e in entries {
        let (w, _) = root
            .estimate_text_size(&e.label, &font.color(&BLACK))
            .map_err(drawing_error)?;
        let width = 28 + w as i32 + 24;
        if x > left && x + width > right {
            x = left;
            y += LEGEND_ROW;
        }
        at.push((x, y));
        x += width;
    }
    let height = if entries.is_empty() {
        0
    } else {
        (y + LEGEND_ROW + 6) as u32
    };
    Ok((at, height))
}

fn draw_legend<DB: DrawingBackend>(area: &Area<DB>, entries: &[Entry], at: &[(i32, i32)]) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let font = ("sans-serif", LEGEND_FONT).into_font().color(&BLACK);
    for (e, &(x, y)) in entries.iter().zip(at) {
        let mid = y + LEGEND_FONT as i32 / 2 + 1;
        let style = e.colour.stroke_width(2);
        if e.dashed {
            area.draw(&plotters::element::DashedPathElement::new(
                vec![(x, mid), (x + 22, mid)],
                5,
                3,
                style,
            ))
            .map_err(drawing_error)?;
        } else {
            area.draw(&PathElement::new(vec![(x, mid), (x + 22, mid)], style))
                .map_err(drawing_error)?;
        }
        area.draw_text(&e.label, &font, (x + 28, y)).map_err(drawing_error)?;
    }
    Ok(())
}

fn draw_lines<DB: DrawingBackend>(root: &Area<DB>, chart: &Lines) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let lines: Vec<Vec<Band>> = chart.series.iter().map(|s| band_summary(&s.runs)).collect();
    if lines.iter().all(Vec::is_empty) {
        let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
        return draw_no_data(root, &chart.title, &chart.no_data, &labels);
    }
    let entries: Vec<Entry> = chart
        .series
        .iter()
        .zip(&lines)
        .enumerate()
        .map(|(i, (s, pts))| Entry {
            label: if pts.is_empty() {
                format!("{} (no data)", s.label)
            } else {
                s.label.clone()
            },
            colour: PALETTE[s.colour.unwrap_or(i) % PALETTE.len()],
            dashed: s.dashed,
        })
        .collect();
    let (at, legend_h) = legend_layout(root, &entries)?;
    let (plot_area, legend_area) = root.split_vertically(SIZE.1 - legend_h);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut t_max: f64 = 1.0;
    for b in lines.iter().flatten() {
        lo = lo.min(b.lo).min(b.mean);
        hi = hi.max(b.hi).max(b.mean);
        t_max = t_max.max(b.month);
    }
    let axis = MonthAxis::new(chart.start, 0.0, t_max, 10);
    let mut ctx = time_axes(
        &plot_area,
        &chart.title,
        90,
        (axis, padded(lo, hi)),
        (axis.desc(), &chart.y_desc),
        &|x| axis.label(*x),
    )?;
    for ((s, pts), e) in chart.series.iter().zip(&lines).zip(&entries) {
        let c = e.colour;
        if s.runs.len() > 1 && !pts.is_empty() {
            let band: Vec<(f64, f64)> = pts
                .iter()
                .map(|b| (b.month, b.lo))
                .chain(pts.iter().rev().map(|b| (b.month, b.hi)))
                .collect();
            ctx.draw_series(std::iter::once(Polygon::new(band, c.mix(0.18))))
                .map_err(drawing_error)?;
        }
        let line = pts.iter().map(|b| (b.month, b.mean));
        if s.dashed {
            ctx.draw_series(DashedLineSeries::new(line, 8, 5, c.stroke_width(2)))
                .map_err(drawing_error)?;
        } else {
            ctx.draw_series(LineSeries::new(line, c.stroke_width(2)))
                .map_err(drawing_error)?;
        }
    }
    draw_legend(&legend_area, &entries, &at)
}

fn draw_stacked<DB: DrawingBackend>(root: &Area<DB>, chart: &Stacked) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let months = chart.layers.iter().map(Vec::len).max().unwrap_or(0);
    let present: Vec<usize> = (0..months)
        .filter(|&t| chart.layers.iter().any(|l| l.get(t).is_some_and(|x| !x.is_nan())))
        .collect();
    if present.is_empty() || chart.layers.is_empty() {
        return draw_no_data(root, &chart.title, &chart.no_data, &[]);
    }
    let (plot_area, legend_area) = root.split_horizontally(SIZE.0 - LEGEND_W);
    let t_max = present.last().map_or(1.0, |&t| (t as f64).max(1.0));
    let axis = MonthAxis::new(chart.start, 0.0, t_max, 10);
    let mut ctx = time_axes(
        &plot_area,
        &chart.title,
        70,
        (axis, 0.0..1.0),
        (axis.desc(), &chart.y_desc),
        &|x| axis.label(*x),
    )?;
    let colour = |k: usize| {
        if chart.others && k + 1 == chart.layers.len() {
            OTHERS_COLOUR
        } else {
            PALETTE[k % PALETTE.len()]
        }
    };
    let value = |k: usize, t: usize| chart.layers[k].get(t).copied().filter(|x| !x.is_nan()).unwrap_or(0.0);
    let mut below = vec![0.0; months];
    for k in 0..chart.layers.len() {
        let above: Vec<f64> = (0..months).map(|t| below[t] + value(k, t)).collect();
        let poly: Vec<(f64, f64)> = present
            .iter()
            .map(|&t| (t as f64, above[t].min(1.0)))
            .chain(present.iter().rev().map(|&t| (t as f64, below[t].min(1.0))))
            .collect();
        ctx.draw_series(std::iter::once(Polygon::new(poly, colour(k).filled())))
            .map_err(drawing_error)?;
        below = above;
    }
    // The legend, top layer first so it reads like the stack.
    let font = ("sans-serif", 14).into_font().color(&BLACK);
    let mut y = 60;
    for k in (0..chart.layers.len()).rev() {
        legend_area
            .draw(&Rectangle::new([(10, y), (28, y + 14)], colour(k).filled()))
            .map_err(drawing_error)?;
        legend_area
            .draw_text(&chart.labels[k], &font, (36, y))
            .map_err(drawing_error)?;
        y += 24;
    }
    Ok(())
}

fn draw_survival<DB: DrawingBackend>(root: &Area<DB>, chart: &Survival) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    let spans: Vec<(u32, u32)> = chart.curves.iter().filter_map(|c| c.ages).collect();
    let (Some(a_min), Some(a_max)) = (spans.iter().map(|s| s.0).min(), spans.iter().map(|s| s.1).max()) else {
        return draw_no_data(root, &chart.title, &chart.no_data, &[]);
    };
    let x_hi = f64::from(a_max.max(a_min + 1));
    let entries: Vec<Entry> = chart
        .curves
        .iter()
        .enumerate()
        .map(|(i, c)| Entry {
            label: c.label.clone(),
            colour: PALETTE[i % PALETTE.len()],
            dashed: false,
        })
        .collect();
    let (at, legend_h) = legend_layout(root, &entries)?;
    let (plot_area, legend_area) = root.split_vertically(SIZE.1 - legend_h);
    let mut ctx = time_axes(
        &plot_area,
        &chart.title,
        70,
        (RangedCoordf64::from(f64::from(a_min)..x_hi), 0.0..1.05),
        (&chart.x_desc, &chart.y_desc),
        &month_tick,
    )?;
    for (c, e) in chart.curves.iter().zip(&entries) {
        // A step function: flat at S until the next exit age, then down.
        let mut pts = Vec::new();
        if let Some((lo, hi)) = c.ages {
            let mut s = 1.0;
            pts.push((f64::from(lo), s));
            for st in &c.steps {
                pts.push((f64::from(st.age), s));
                s = st.survival;
                pts.push((f64::from(st.age), s));
            }
            pts.push((f64::from(hi), s));
        }
        ctx.draw_series(LineSeries::new(pts, e.colour.stroke_width(2)))
            .map_err(drawing_error)?;
    }
    draw_legend(&legend_area, &entries, &at)
}

/// Draws `chart` on `root` (any plotters backend: SVG, bitmap, canvas) and presents it.
pub fn draw<DB: DrawingBackend>(root: Area<DB>, chart: &Chart) -> anyhow::Result<()>
where
    DB::ErrorType: 'static,
{
    register_font();
    root.fill(&WHITE).map_err(drawing_error)?;
    match chart {
        Chart::Lines(c) => draw_lines(&root, c)?,
        Chart::Stacked(c) => draw_stacked(&root, c)?,
        Chart::Survival(c) => draw_survival(&root, c)?,
    }
    root.present().map_err(drawing_error)?;
    Ok(())
}

/// The chart as an SVG document.
#[cfg(feature = "bitmap")]
pub fn svg(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    render_svg(|root| draw(root, chart))
}

/// The chart as a PNG image.
#[cfg(feature = "bitmap")]
pub fn png(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    render_png(|root| draw(root, chart))
}

/// An SVG document of [`SIZE`] drawn by `draw` (every chart kind's `svg`).
#[cfg(feature = "bitmap")]
pub(crate) fn render_svg(draw: impl FnOnce(Area<SVGBackend<'_>>) -> anyhow::Result<()>) -> anyhow::Result<Vec<u8>> {
    let mut s = String::new();
    draw(SVGBackend::with_string(&mut s, SIZE).into_drawing_area())?;
    Ok(s.into_bytes())
}

/// A PNG image of [`SIZE`] drawn by `draw` (every chart kind's `png`).
#[cfg(feature = "bitmap")]
pub(crate) fn render_png(draw: impl FnOnce(Area<BitMapBackend<'_>>) -> anyhow::Result<()>) -> anyhow::Result<Vec<u8>> {
    let (w, h) = SIZE;
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    draw(BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area())?;
    encode_png(&rgb, SIZE)
}

/// Encodes an RGB buffer of `size` (width, height) as a PNG image.
#[cfg(feature = "bitmap")]
pub(crate) fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context as _;
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().context("cannot encode PNG")?;
    writer.write_image_data(rgb).context("cannot encode PNG")?;
    writer.finish().context("cannot encode PNG")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn life(entry: u32, end: u32, exited: bool) -> Life {
        Life { entry, end, exited }
    }

    /// A hand-worked table: six startups observed from age 0 and one entering at age 3.
    ///
    /// | startup | entry | end | exited |
    /// |---------|-------|-----|--------|
    /// | a       | 0     | 2   | yes    |
    /// | b       | 0     | 2   | yes    |
    /// | c       | 0     | 4   | no     |  censored at 4
    /// | d       | 0     | 5   | yes    |
    /// | e       | 0     | 8   | no     |  censored at 8
    /// | f       | 0     | 8   | yes    |
    /// | g       | 3     | 5   | yes    |  enters at 3 (founded before the run)
    ///
    /// age 2: at risk a..f = 6 (g not yet), 2 exits: S = 1 · 4/6 = 2/3
    /// age 5: at risk d, e, f, g = 4 (c censored at 4), 2 exits: S = 2/3 · 2/4 = 1/3
    /// age 8: at risk e, f = 2, 1 exit: S = 1/3 · 1/2 = 1/6
    #[test]
    fn kaplan_meier_matches_the_hand_table() {
        let lives = [
            life(0, 2, true),
            life(0, 2, true),
            life(0, 4, false),
            life(0, 5, true),
            life(0, 8, false),
            life(0, 8, true),
            life(3, 5, true),
        ];
        let km = kaplan_meier(&lives);
        let got: Vec<(u32, u32, u32)> = km.iter().map(|s| (s.age, s.at_risk, s.exits)).collect();
        assert_eq!(got, vec![(2, 6, 2), (5, 4, 2), (8, 2, 1)], "ages, risk sets, exits");
        let expected = [2.0 / 3.0, 1.0 / 3.0, 1.0 / 6.0];
        for (s, e) in km.iter().zip(expected) {
            assert!(
                (s.survival - e).abs() < 1e-12,
                "S({}) = {}, expected {e}",
                s.age,
                s.survival
            );
        }
        assert_eq!(age_span(&lives), Some((0, 8)));
    }

    #[test]
    fn kaplan_meier_without_exits_is_flat_and_without_lives_is_empty() {
        assert!(kaplan_meier(&[life(0, 10, false), life(2, 4, false)]).is_empty());
        assert!(kaplan_meier(&[]).is_empty());
        assert_eq!(age_span(&[]), None);
        // Everyone exits: survival reaches exactly zero.
        let km = kaplan_meier(&[life(0, 1, true), life(0, 3, true)]);
        assert_eq!(km.last().map(|s| s.survival), Some(0.0));
    }

    #[test]
    fn band_summary_skips_nan_and_takes_quantiles_over_defined_runs() {
        let runs = vec![
            vec![f64::NAN, 1.0, 10.0],
            vec![f64::NAN, 3.0, f64::NAN],
            vec![f64::NAN, 5.0],
        ];
        let b = band_summary(&runs);
        assert_eq!(b.len(), 2, "month 0 is NaN in every run and left out: {b:?}");
        assert_eq!(b[0].month, 1.0);
        assert_eq!(b[0].mean, 3.0);
        // 10% and 90% of {1, 3, 5} by linear interpolation: 1 + 0.2·2 and 3 + 0.8·2.
        assert!(
            (b[0].lo - 1.4).abs() < 1e-12 && (b[0].hi - 4.6).abs() < 1e-12,
            "{:?}",
            b[0]
        );
        // Month 2: one run defined, the band collapses onto it.
        assert_eq!((b[1].month, b[1].mean, b[1].lo, b[1].hi), (2.0, 10.0, 10.0, 10.0));
        assert!(band_summary(&[vec![f64::NAN; 4]]).is_empty());
    }

    fn month(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn stacked_shares_sum_to_one_with_others_as_the_rest() {
        // Two runs, two months; five platforms, keep the top 2 by peak mean share.
        let runs = vec![
            vec![
                month(&[("A", 50.0), ("B", 30.0), ("C", 10.0), ("D", 10.0)]),
                month(&[("A", 40.0), ("B", 40.0), ("C", 20.0)]),
            ],
            vec![
                month(&[("A", 60.0), ("B", 20.0), ("E", 20.0)]),
                month(&[("A", 0.0), ("B", 0.0)]), // no users: this run has no month 1 share
            ],
        ];
        let (labels, layers, others) = stacked_shares(&runs, 2);
        assert_eq!(labels, vec!["A", "B", "others (3 more)"]);
        assert!(others);
        // Month 0: A = (0.5 + 0.6)/2, B = (0.3 + 0.2)/2, others = (0.2 + 0.2)/2.
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(layers[0][0], 0.55) && close(layers[1][0], 0.25) && close(layers[2][0], 0.2));
        // Month 1: only run 0 has users: A 0.4, B 0.4, others 0.2 (C).
        assert!(close(layers[0][1], 0.4) && close(layers[1][1], 0.4) && close(layers[2][1], 0.2));
        for t in 0..2 {
            let sum: f64 = layers.iter().map(|l| l[t]).sum();
            assert!(close(sum, 1.0), "month {t}: shares sum to {sum}");
        }
        // Few enough names: no "others" layer.
        let (labels, _, others) = stacked_shares(&runs, 10);
        assert_eq!(labels.len(), 5);
        assert!(!others);
        // No positive total anywhere: NaN, not a fake zero.
        let (_, layers, _) = stacked_shares(&[vec![month(&[("A", 0.0)])]], 3);
        assert!(layers[0][0].is_nan());
    }

    #[test]
    fn tick_labels_are_compact_at_any_magnitude() {
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(2.5e12), "2.5 T");
        assert_eq!(tick(1.2346e12), "1.235 T");
        assert_eq!(tick(-3e9), "-3 B");
        assert_eq!(tick(45_000.0), "45 k");
        assert_eq!(tick(2700.0), "2700");
        assert_eq!(tick(0.25), "0.25");
        assert_eq!(tick(0.00012), "1.20e-4");
        assert_eq!(month_tick(&20.0), "20");
        assert_eq!(month_tick(&0.5), "0.5");
    }

    #[test]
    fn the_month_axis_ticks_calendar_years_or_months() {
        let jan23 = YearMonth::parse("2023-01").ok();
        // 2023-01 .. 2028-12 (72 months): one tick a year, on January, labelled with the year.
        let years = MonthAxis::new(jan23, 0.0, 71.0, 10);
        assert_eq!(years.ticks(), vec![0.0, 12.0, 24.0, 36.0, 48.0, 60.0]);
        assert_eq!(years.label(36.0), "2026");
        assert_eq!(years.desc(), "date");
        // 24 months from 2026-03: quarters on calendar quarters, labelled YYYY-MM.
        let mar26 = YearMonth::parse("2026-03").ok();
        let quarters = MonthAxis::new(mar26, 0.0, 23.0, 10);
        assert_eq!(quarters.ticks()[..2], [1.0, 4.0], "2026-04 and 2026-07");
        assert_eq!(quarters.label(1.0), "2026-04");
        assert_eq!(quarters.light_ticks().len(), 12, "light lines every two months");
        // 120 months: still yearly (at most 10 ticks): 2026 .. 2035.
        assert_eq!(
            MonthAxis::new(YearMonth::parse("2026-01").ok(), 0.0, 119.0, 10)
                .ticks()
                .len(),
            10
        );
        // No start: month indices on round numbers.
        let plain = MonthAxis::new(None, 0.0, 119.0, 10);
        assert_eq!(plain.ticks(), (0..6).map(|k| f64::from(k * 20)).collect::<Vec<_>>());
        assert_eq!((plain.label(40.0).as_str(), plain.desc()), ("40", "month"));
    }

    #[cfg(feature = "bitmap")]
    #[test]
    fn charts_are_deterministic_and_say_no_data() {
        let chart = Chart::Lines(Lines {
            title: "x: nothing".into(),
            start: None,
            y_desc: "x (USD)".into(),
            series: vec![Series::new("a", vec![vec![f64::NAN; 5]])],
            no_data: "x is undefined (NaN) in every month".into(),
        });
        let a = svg(&chart).expect("svg");
        assert_eq!(a, svg(&chart).expect("svg"), "same chart, same bytes");
        let text = String::from_utf8(a).expect("utf-8");
        assert!(
            text.contains("no data") && text.contains("undefined (NaN)") && text.contains("series: a"),
            "{text}"
        );
        assert!(png(&chart).expect("png").starts_with(b"\x89PNG\r\n\x1a\n"));
    }
}
