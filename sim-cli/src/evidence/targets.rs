//! Target moments: the targets file, its validation, and the data values derived from the CSVs.
//!
//! A targets file is TOML, unknown keys rejected: one `[[target]]` per moment with `id`
//! (`[a-z0-9_]+`, unique), `description`, `tags`, `weight` (> 0), `period` (`YYYY-MM` or
//! `YYYY-MM..YYYY-MM`, the calendar months the model is read over), a `[target.data]` table and
//! a `[target.model]` table.
//!
//! **Data** (`[target.data]`): `derive` names how the value is computed from `file` (a CSV in
//! the targets file's folder, read with the `csv` crate). Rows are those whose columns equal the
//! `where` filter (`{ column = "text" }` or `{ column = ["a", "b"] }`, any of) and whose
//! `date_column` (default `date`; its first 7 characters read as `YYYY-MM`) falls on `date` or
//! within `from`..`to` (inclusive, calendar months; neither: every date). The numbers are the `value` column.
//! - `value`: the one matching row's value (two or none is an error);
//! - `sum`, `mean`: of the matching values;
//! - `share`: the rows summed by `group_by`; the summed value of the named `groups` (or of the
//!   `top` N groups not in `exclude`) over the total of all groups;
//! - `hhi`: Σ (100 · group share)² over the groups not in `exclude` (an excluded residual
//!   counts in the total but is treated as atomistic); `total` sets the whole the values are
//!   parts of when they are already percentages of a market (default: their sum);
//! - `ratio`: the sum over `from`..`to` under `where` divided by the sum over
//!   `base_from`..`base_to` (default: the same window) under `base_where` (default `where`): a
//!   growth ratio between two dates or two years, or a ratio of two figures;
//! - `slope`: the OLS slope of the values on calendar time, per year; `slope_ratio`: the slope
//!   over `from`..`to` divided by the slope over `base_from`..`base_to` (unit-free);
//! - `count`: distinct values of `group_by` among the matching rows;
//! - `literal`: a reported figure typed in (`value`, optional `lower`/`upper`), with `source`.
//!
//! `scale` multiplies the result (e.g. 0.01: percent to share). The interval (`interval`) is
//! `row` (the one row's `lower`/`upper` columns, e.g. Epoch's 5th–95th percentiles), `range`
//! (the minimum and maximum of the values a `mean` averages, e.g. BLS cohorts), `band` (a stated
//! relative band: value × (1 ∓ `band`), used where no interval is published) or `stated`
//! (`lower`/`upper` typed in, for reported figures, with `source`). `literal` defaults to
//! `stated`; every other derivation must say which rule it uses.
//!
//! **Model** (`[target.model]`): a monthly series — a `metric` (see `goldrush metrics`),
//! optionally divided month by month by the metric `over`; or a firm group: the `firms` named
//! and/or all firms of `kinds`, summing `of` = `users` (platform users), `compute` (compute used,
//! H100e) or `revenue`, as a `share` of all firms (of `among` kinds; default: frontier and
//! open_weights for users, every firm otherwise) or as a `total` — and a `statistic` over the
//! target's `period`: `value` (the mean over the period's months: one month gives its value),
//! `ratio` (that mean over the mean over `base_period`), `slope` (OLS per year), `slope_ratio`
//! (slope over period / slope over `base_period`), `max`, `min`; or `none` with a `reason` when
//! the model cannot produce the moment (the backtest says so). NaN months are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sim_core::{METRICS, Scenario, YearMonth};
use toml::Spanned;

use super::record::RunRecord;
use crate::errors::{bad_input, io_message, shown};
use crate::sweep_spec::line_col;

/// Name under which the embedded targets file is reported.
pub const BUILTIN_TARGETS: &str = "data/targets.toml";

/// The files of `data/` embedded in the binary: `goldrush backtest` works from any folder.
pub const BUILTIN_DATA: &[(&str, &str)] = &[
    ("targets.toml", include_str!("../../../data/targets.toml")),
    (
        "ai_revenue_reported.csv",
        include_str!("../../../data/ai_revenue_reported.csv"),
    ),
    (
        "assistant_market_share.csv",
        include_str!("../../../data/assistant_market_share.csv"),
    ),
    (
        "capability_frontier_gap.csv",
        include_str!("../../../data/capability_frontier_gap.csv"),
    ),
    (
        "chip_sales_quarterly.csv",
        include_str!("../../../data/chip_sales_quarterly.csv"),
    ),
    (
        "compute_owners_quarterly.csv",
        include_str!("../../../data/compute_owners_quarterly.csv"),
    ),
    (
        "compute_reported_figures.csv",
        include_str!("../../../data/compute_reported_figures.csv"),
    ),
    ("eci_models.csv", include_str!("../../../data/eci_models.csv")),
    (
        "gpu_rental_prices.csv",
        include_str!("../../../data/gpu_rental_prices.csv"),
    ),
    (
        "lab_compute_yearend.csv",
        include_str!("../../../data/lab_compute_yearend.csv"),
    ),
    ("national_deals.csv", include_str!("../../../data/national_deals.csv")),
    (
        "startup_survival_bls.csv",
        include_str!("../../../data/startup_survival_bls.csv"),
    ),
];

/// One target moment, its data value already computed (from the CSVs or a literal).
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// Unique, `[a-z0-9_]+`.
    pub id: String,
    pub description: String,
    /// Data value.
    pub value: f64,
    /// Data interval (lower <= value <= upper; may equal value).
    pub lower: f64,
    pub upper: f64,
    /// Weight (> 0).
    pub weight: f64,
    /// E.g. `compute`, `prices`, `users`: used to pick in-sample / out-of-sample subsets.
    pub tags: Vec<String>,
    /// The model quantity and statistic.
    pub quantity: Quantity,
    /// Human-readable calendar period, e.g. `2025-12` or `2024-01..2025-12`.
    pub period: String,
    /// The data file (`""` for a literal).
    pub file: String,
    /// How the data value was computed (derivation, filter, interval rule), in words.
    pub derivation: String,
    /// Where a literal or reported figure comes from (may be empty for derived values).
    pub source: String,
    /// Data rows the value was computed from.
    pub rows_used: usize,
    /// Line of the target in its file (1-based).
    pub line: usize,
}

/// A set of targets read from one file.
#[derive(Debug, Clone)]
pub struct TargetSet {
    pub path: PathBuf,
    pub targets: Vec<Target>,
}

/// A span of calendar months, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub first: YearMonth,
    pub last: YearMonth,
}

impl Window {
    /// `YYYY-MM` or `YYYY-MM..YYYY-MM` (first <= last).
    pub fn parse(s: &str) -> Result<Self, String> {
        let (a, b) = match s.split_once("..") {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (s.trim(), s.trim()),
        };
        let first = YearMonth::parse(a)?;
        let last = YearMonth::parse(b)?;
        if last < first {
            return Err(format!("{s:?} ends before it starts"));
        }
        Ok(Self { first, last })
    }

    pub fn contains(&self, m: YearMonth) -> bool {
        self.first <= m && m <= self.last
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}..{}", self.first, self.last)
        }
    }
}

/// What a firm-group series sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FirmVar {
    /// Platform users (people) or app customers.
    Users,
    /// Compute used this month (H100e).
    Compute,
    /// Revenue this month (USD).
    Revenue,
}

/// A monthly model series.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "series", rename_all = "snake_case")]
pub enum Series {
    /// A metric of metrics.csv, optionally divided by another month by month.
    Metric {
        metric: &'static str,
        over: Option<&'static str>,
    },
    /// The firms named and/or of these kinds: their summed `of`, as a share of all firms of
    /// `among` kinds (`share = true`) or as a total.
    Firms {
        firms: Vec<String>,
        kinds: Vec<String>,
        of: FirmVar,
        share: bool,
        among: Vec<String>,
    },
}

/// A statistic of a series over calendar months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Mean over the period (a single month: its value).
    Value,
    /// Mean over the period / mean over the base period.
    Ratio,
    /// OLS slope over the period, per year.
    Slope,
    /// Slope over the period / slope over the base period.
    SlopeRatio,
    /// Largest monthly value in the period.
    Max,
    /// Smallest monthly value in the period.
    Min,
}

impl Statistic {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "value" => Self::Value,
            "ratio" => Self::Ratio,
            "slope" => Self::Slope,
            "slope_ratio" => Self::SlopeRatio,
            "max" => Self::Max,
            "min" => Self::Min,
            _ => return None,
        })
    }

    fn needs_base(self) -> bool {
        matches!(self, Self::Ratio | Self::SlopeRatio)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Value => "value",
            Self::Ratio => "ratio",
            Self::Slope => "slope",
            Self::SlopeRatio => "slope_ratio",
            Self::Max => "max",
            Self::Min => "min",
        }
    }
}

/// The model quantity a target is compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Quantity {
    /// A statistic of a monthly series over the period (and base period).
    Model {
        series: Series,
        statistic: Statistic,
        window: Window,
        base: Option<Window>,
    },
    /// The model has no such quantity (yet).
    NotProduced { reason: String },
}

impl Quantity {
    /// Short description: `mean of compute_cr5 over 2025-12`, `share of users of Apex ...`.
    pub fn describe(&self) -> String {
        match self {
            Quantity::NotProduced { reason } => format!("not produced: {reason}"),
            Quantity::Model {
                series,
                statistic,
                window,
                base,
            } => {
                let s = match series {
                    Series::Metric { metric, over: None } => metric.to_string(),
                    Series::Metric { metric, over: Some(o) } => format!("{metric} / {o}"),
                    Series::Firms {
                        firms,
                        kinds,
                        of,
                        share,
                        among,
                    } => {
                        let mut who: Vec<String> = firms.clone();
                        who.extend(kinds.iter().map(|k| format!("all {k}")));
                        let what = format!("{of:?}").to_lowercase();
                        if *share {
                            let pool = if among.is_empty() {
                                "all firms".to_string()
                            } else {
                                among.join("+")
                            };
                            format!("share of {what} of {} among {pool}", who.join("+"))
                        } else {
                            format!("{what} of {}", who.join("+"))
                        }
                    }
                };
                match (statistic, base) {
                    (Statistic::Value, _) if window.first == window.last => format!("{s} at {window}"),
                    (Statistic::Value, _) => format!("mean of {s} over {window}"),
                    (st, Some(b)) => format!("{} of {s}: {window} vs {b}", st.as_str()),
                    (st, None) => format!("{} of {s} over {window}", st.as_str()),
                }
            }
        }
    }

    /// The calendar months the model must cover (none when not produced).
    pub fn windows(&self) -> Vec<Window> {
        match self {
            Quantity::Model { window, base, .. } => std::iter::once(*window).chain(*base).collect(),
            Quantity::NotProduced { .. } => Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The file as written.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    target: Vec<Spanned<RawTarget>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    id: Spanned<String>,
    description: Spanned<String>,
    #[serde(default)]
    tags: Vec<String>,
    weight: Spanned<f64>,
    period: Spanned<String>,
    data: Spanned<RawData>,
    model: Spanned<RawModel>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn matches(&self, cell: &str) -> bool {
        match self {
            OneOrMany::One(s) => s == cell,
            OneOrMany::Many(v) => v.iter().any(|s| s == cell),
        }
    }

    fn describe(&self) -> String {
        match self {
            OneOrMany::One(s) => format!("{s:?}"),
            OneOrMany::Many(v) => format!("one of {v:?}"),
        }
    }
}

type Filter = BTreeMap<String, OneOrMany>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    derive: Spanned<String>,
    file: Option<Spanned<String>>,
    #[serde(rename = "where", default)]
    filter: Filter,
    base_where: Option<Filter>,
    date_column: Option<String>,
    date: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    base_from: Option<Spanned<String>>,
    base_to: Option<Spanned<String>>,
    group_by: Option<String>,
    groups: Option<Vec<String>>,
    top: Option<Spanned<u32>>,
    #[serde(default)]
    exclude: Vec<String>,
    total: Option<Spanned<f64>>,
    interval: Option<Spanned<String>>,
    band: Option<Spanned<f64>>,
    value: Option<Spanned<f64>>,
    lower: Option<Spanned<f64>>,
    upper: Option<Spanned<f64>>,
    #[serde(default)]
    source: String,
    scale: Option<Spanned<f64>>,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    statistic: Spanned<String>,
    metric: Option<Spanned<String>>,
    over: Option<Spanned<String>>,
    firms: Option<Vec<String>>,
    kinds: Option<Vec<String>>,
    of: Option<Spanned<String>>,
    #[serde(rename = "as")]
    as_: Option<Spanned<String>>,
    among: Option<Vec<String>>,
    base_period: Option<Spanned<String>>,
    reason: Option<String>,
}

/// Firm kinds a firm-group series may name.
const KINDS: &[&str] = &["frontier", "open_weights", "neocloud", "startup"];

// ---------------------------------------------------------------------------------------------
// Loading.

/// Reads and validates a targets file; data files are resolved relative to the targets file's
/// folder (`data/targets.toml` reads `data/*.csv`). Errors: exit-2 `bad_input` with file:line
/// and the field.
pub fn load_targets(path: &Path) -> anyhow::Result<TargetSet> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad_input(format!("cannot read targets file {}: {}", shown(path), io_message(&e))))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut read = |name: &str| -> Result<String, String> {
        let p = dir.join(name);
        std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {}", shown(&p), io_message(&e)))
    };
    let targets = parse_targets(&text, &origin, &mut read)?;
    Ok(TargetSet {
        path: path.to_path_buf(),
        targets,
    })
}

/// The targets embedded in the binary (`data/targets.toml` and its CSVs).
pub fn load_builtin_targets() -> anyhow::Result<TargetSet> {
    let text = builtin_file("targets.toml").expect("targets.toml is embedded");
    let mut read = |name: &str| -> Result<String, String> {
        builtin_file(name)
            .map(str::to_string)
            .ok_or_else(|| format!("no data file {name:?} is embedded in goldrush (data/)"))
    };
    let targets = parse_targets(text, BUILTIN_TARGETS, &mut read)?;
    Ok(TargetSet {
        path: PathBuf::from(BUILTIN_TARGETS),
        targets,
    })
}

/// An embedded file of `data/` by name.
pub fn builtin_file(name: &str) -> Option<&'static str> {
    BUILTIN_DATA.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

fn at(origin: &str, text: &str, span: Range<usize>) -> String {
    let (l, c) = line_col(text, span.start);
    format!("{origin}:{l}:{c}")
}

/// Parses `text` (found at `origin`), reading data files through `read`; every problem found is
/// reported at once (file:line:column, target id, field).
pub fn parse_targets(
    text: &str,
    origin: &str,
    read: &mut dyn FnMut(&str) -> Result<String, String>,
) -> anyhow::Result<Vec<Target>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let loc = e.span().map_or(origin.to_string(), |s| at(origin, text, s));
        bad_input(format!("{loc}: {}", e.message().trim()))
    })?;
    if raw.target.is_empty() {
        return Err(bad_input(format!("{origin}: no [[target]] in the file")));
    }
    let mut tables: BTreeMap<String, Result<Table, String>> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    for t in &raw.target {
        let line = line_col(text, t.span().start).0;
        let rt = t.get_ref();
        let id = rt.id.get_ref().clone();
        let mut err = |span: Range<usize>, field: &str, msg: String| {
            errors.push(format!("{}: target {id:?}: {field}: {msg}", at(origin, text, span)));
        };
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            err(
                rt.id.span(),
                "id",
                "must be non-empty and use only a-z, 0-9 and _".into(),
            );
        } else if !ids.insert(id.clone()) {
            err(rt.id.span(), "id", "repeats an earlier target's id".into());
        }
        if rt.description.get_ref().trim().is_empty() {
            err(rt.description.span(), "description", "is empty".into());
        }
        let w = *rt.weight.get_ref();
        if !(w.is_finite() && w > 0.0) {
            err(rt.weight.span(), "weight", format!("{w} is not a positive number"));
        }
        let window = match Window::parse(rt.period.get_ref()) {
            Ok(w) => Some(w),
            Err(e) => {
                err(rt.period.span(), "period", e);
                None
            }
        };
        let quantity = model_quantity(rt.model.get_ref(), rt.model.span(), window, &mut err);
        let data = derive_data(rt.data.get_ref(), rt.data.span(), read, &mut tables, &mut err);
        if let (Some(quantity), Some(d)) = (quantity, data) {
            out.push(Target {
                id: id.clone(),
                description: rt.description.get_ref().trim().to_string(),
                value: d.value,
                lower: d.lower,
                upper: d.upper,
                weight: w,
                tags: rt.tags.clone(),
                quantity,
                period: rt.period.get_ref().clone(),
                file: d.file,
                derivation: d.derivation,
                source: d.source,
                rows_used: d.rows,
                line,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(bad_input(format!(
            "invalid targets file {origin}:\n{}",
            errors.iter().map(|e| format!("- {e}")).collect::<Vec<_>>().join("\n")
        )))
    }
}

type Err<'a> = dyn FnMut(Range<usize>, &str, String) + 'a;

fn model_quantity(m: &RawModel, span: Range<usize>, window: Option<Window>, err: &mut Err<'_>) -> Option<Quantity> {
    let stat_name = m.statistic.get_ref().as_str();
    if stat_name == "none" {
        return match &m.reason {
            Some(r) if !r.trim().is_empty() => Some(Quantity::NotProduced {
                reason: r.trim().to_string(),
            }),
            _ => {
                err(
                    m.statistic.span(),
                    "model.reason",
                    "statistic \"none\" needs a reason".into(),
                );
                None
            }
        };
    }
    let Some(statistic) = Statistic::parse(stat_name) else {
        err(
            m.statistic.span(),
            "model.statistic",
            format!("unknown statistic {stat_name:?} (expected value, ratio, slope, slope_ratio, max, min or none)"),
        );
        return None;
    };
    let mut ok = true;
    let base = match (&m.base_period, statistic.needs_base()) {
        (Some(b), true) => match Window::parse(b.get_ref()) {
            Ok(w) => Some(w),
            Err(e) => {
                err(b.span(), "model.base_period", e);
                ok = false;
                None
            }
        },
        (None, true) => {
            err(
                m.statistic.span(),
                "model.base_period",
                format!("statistic {stat_name:?} needs a base_period"),
            );
            ok = false;
            None
        }
        (Some(b), false) => {
            err(
                b.span(),
                "model.base_period",
                format!("statistic {stat_name:?} takes no base_period"),
            );
            ok = false;
            None
        }
        (None, false) => None,
    };
    let metric = |s: &Spanned<String>, field: &str, err: &mut Err<'_>| -> Option<&'static str> {
        match METRICS.iter().find(|x| x.name == s.get_ref() && x.name != "month") {
            Some(x) => Some(x.name),
            None => {
                err(
                    s.span(),
                    field,
                    format!("unknown metric {:?} (see `goldrush metrics`)", s.get_ref()),
                );
                None
            }
        }
    };
    let series = if let Some(name) = &m.metric {
        if m.firms.is_some() || m.kinds.is_some() || m.of.is_some() || m.as_.is_some() || m.among.is_some() {
            err(
                name.span(),
                "model",
                "a metric series takes no firms, kinds, of, as or among".into(),
            );
            ok = false;
        }
        let a = metric(name, "model.metric", err);
        let o = match &m.over {
            Some(o) => metric(o, "model.over", err).map(Some),
            None => Some(None),
        };
        match (a, o) {
            (Some(metric), Some(over)) => Some(Series::Metric { metric, over }),
            _ => None,
        }
    } else {
        let firms = m.firms.clone().unwrap_or_default();
        let kinds = m.kinds.clone().unwrap_or_default();
        let among = m.among.clone().unwrap_or_default();
        if firms.is_empty() && kinds.is_empty() {
            err(
                span.clone(),
                "model",
                "names no metric and no firms or kinds (give metric = \"...\", or firms = [...] / kinds = [...] with of and as)".into(),
            );
            return None;
        }
        for k in kinds.iter().chain(&among) {
            if !KINDS.contains(&k.as_str()) {
                err(
                    span.clone(),
                    "model.kinds",
                    format!("unknown firm kind {k:?} (expected one of {KINDS:?})"),
                );
                ok = false;
            }
        }
        let of = match m.of.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            Some(("users", _)) => Some(FirmVar::Users),
            Some(("compute", _)) => Some(FirmVar::Compute),
            Some(("revenue", _)) => Some(FirmVar::Revenue),
            Some((other, sp)) => {
                err(sp, "model.of", format!("{other:?} is not users, compute or revenue"));
                None
            }
            None => {
                err(
                    span.clone(),
                    "model.of",
                    "a firm series needs of = \"users\", \"compute\" or \"revenue\"".into(),
                );
                None
            }
        };
        let share = match m.as_.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
            Some(("share", _)) | None => Some(true),
            Some(("total", _)) => Some(false),
            Some((other, sp)) => {
                err(sp, "model.as", format!("{other:?} is not share or total"));
                None
            }
        };
        if m.over.is_some() {
            err(
                span.clone(),
                "model.over",
                "only a metric series can be divided by another metric".into(),
            );
            ok = false;
        }
        match (of, share) {
            (Some(of), Some(share)) => {
                let among = if among.is_empty() && share && of == FirmVar::Users {
                    vec!["frontier".to_string(), "open_weights".to_string()]
                } else {
                    among
                };
                Some(Series::Firms {
                    firms,
                    kinds,
                    of,
                    share,
                    among,
                })
            }
            _ => None,
        }
    };
    if m.reason.is_some() {
        err(span, "model.reason", "only statistic = \"none\" takes a reason".into());
        ok = false;
    }
    match (series, window, ok) {
        (Some(series), Some(window), true) => Some(Quantity::Model {
            series,
            statistic,
            window,
            base,
        }),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Data tables and derivations.

/// A CSV file: its header and rows (with their line numbers).
#[derive(Debug)]
pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Parses CSV text (a header row, then records; quoted fields allowed).
    pub fn parse(name: &str, text: &str) -> Result<Self, String> {
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let headers = r
            .headers()
            .map_err(|e| format!("{name}: {e}"))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| format!("{name}: {e}"))?;
            let line = rec.position().map_or(0, |p| p.line());
            rows.push((line, rec.iter().map(str::to_string).collect()));
        }
        Ok(Self {
            name: name.to_string(),
            headers,
            rows,
        })
    }

    fn column(&self, name: &str) -> Result<usize, String> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            format!(
                "{} has no column {name:?} (columns: {})",
                self.name,
                self.headers.join(", ")
            )
        })
    }
}

/// The rows a derivation reads: filter, then calendar window on the date column.
struct Selection<'a> {
    table: &'a Table,
    rows: Vec<&'a (u64, Vec<String>)>,
}

impl<'a> Selection<'a> {
    fn select(table: &'a Table, filter: &Filter, date_col: &str, window: Option<Window>) -> Result<Self, String> {
        let mut cols = Vec::new();
        for (c, v) in filter {
            cols.push((table.column(c)?, v));
        }
        let dc = match window {
            Some(_) => Some(table.column(date_col)?),
            None => None,
        };
        let mut rows = Vec::new();
        for row in &table.rows {
            if !cols.iter().all(|(i, v)| v.matches(&row.1[*i])) {
                continue;
            }
            if let (Some(w), Some(i)) = (window, dc) {
                let cell = &row.1[i];
                let ym = YearMonth::parse(cell.get(..7).unwrap_or(cell))
                    .map_err(|e| format!("{}:{}: column {date_col:?}: {e}", table.name, row.0))?;
                if !w.contains(ym) {
                    continue;
                }
            }
            rows.push(row);
        }
        if rows.is_empty() {
            let f: Vec<String> = filter.iter().map(|(c, v)| format!("{c} = {}", v.describe())).collect();
            return Err(format!(
                "no row of {} matches {{{}}}{}",
                table.name,
                f.join(", "),
                window.map_or(String::new(), |w| format!(" with {date_col} in {w}"))
            ));
        }
        Ok(Self { table, rows })
    }

    fn numbers(&self, col: &str) -> Result<Vec<f64>, String> {
        let i = self.table.column(col)?;
        self.rows
            .iter()
            .map(|(line, r)| {
                r[i].trim().parse::<f64>().map_err(|_| {
                    format!(
                        "{}:{line}: column {col:?} holds {:?}, not a number",
                        self.table.name, r[i]
                    )
                })
            })
            .collect()
    }

    fn values(&self) -> Result<Vec<f64>, String> {
        self.numbers("value")
    }

    /// Values summed by the `group` column, in name order.
    fn grouped(&self, group: &str) -> Result<BTreeMap<String, f64>, String> {
        let g = self.table.column(group)?;
        let v = self.values()?;
        let mut out = BTreeMap::new();
        for (row, x) in self.rows.iter().zip(v) {
            *out.entry(row.1[g].clone()).or_insert(0.0) += x;
        }
        Ok(out)
    }

    /// (decimal year, value) pairs of the date column and values.
    fn dated(&self, date_col: &str) -> Result<Vec<(f64, f64)>, String> {
        let i = self.table.column(date_col)?;
        let v = self.values()?;
        self.rows
            .iter()
            .zip(v)
            .map(|((line, r), x)| {
                let ym = YearMonth::parse(r[i].get(..7).unwrap_or(&r[i]))
                    .map_err(|e| format!("{}:{line}: column {date_col:?}: {e}", self.table.name))?;
                Ok((ym.decimal_year(), x))
            })
            .collect()
    }
}

/// Ordinary least squares slope of y on x (NaN with fewer than two distinct x).
pub fn ols_slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    if points.len() < 2 {
        return f64::NAN;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx > 0.0 { sxy / sxx } else { f64::NAN }
}

/// A data value with its interval and provenance.
struct Derived {
    value: f64,
    lower: f64,
    upper: f64,
    rows: usize,
    file: String,
    derivation: String,
    source: String,
}

fn derive_data(
    d: &RawData,
    span: Range<usize>,
    read: &mut dyn FnMut(&str) -> Result<String, String>,
    tables: &mut BTreeMap<String, Result<Table, String>>,
    err: &mut Err<'_>,
) -> Option<Derived> {
    let kind = d.derive.get_ref().as_str();
    const DERIVES: &[&str] = &[
        "value",
        "sum",
        "mean",
        "share",
        "hhi",
        "ratio",
        "slope",
        "slope_ratio",
        "count",
        "literal",
    ];
    if !DERIVES.contains(&kind) {
        err(
            d.derive.span(),
            "data.derive",
            format!("unknown derivation {kind:?} (expected one of {})", DERIVES.join(", ")),
        );
        return None;
    }
    let scale = d.scale.as_ref().map_or(1.0, |s| *s.get_ref());
    if let Some(s) = &d.scale
        && !(scale.is_finite() && scale != 0.0)
    {
        err(
            s.span(),
            "data.scale",
            format!("{scale} is not a finite non-zero number"),
        );
        return None;
    }
    let interval = d.interval.as_ref().map(|s| s.get_ref().as_str());
    let interval = match (kind, interval) {
        ("literal", None) => "stated",
        (_, Some(i)) if ["row", "range", "band", "stated"].contains(&i) => i,
        (_, Some(i)) => {
            let sp = d.interval.as_ref().map_or(span.clone(), |s| s.span());
            err(
                sp,
                "data.interval",
                format!("unknown interval rule {i:?} (expected row, range, band or stated)"),
            );
            return None;
        }
        (_, None) => {
            err(
                span,
                "data.interval",
                "say how the interval is set: interval = \"row\", \"range\", \"band\" (with band = r) or \"stated\" (with lower and upper)".into(),
            );
            return None;
        }
    };
    if interval == "stated" && d.source.trim().is_empty() {
        err(
            span.clone(),
            "data.source",
            "a stated interval or literal value needs its source".into(),
        );
        return None;
    }
    // The value and the values behind it (for `range`).
    // The rows' own `source` cells, shown when the target states no source.
    let mut found_sources = String::new();
    let (value, contributing, row_interval, rows, file, how) = if kind == "literal" {
        let Some(v) = &d.value else {
            err(span, "data.value", "a literal needs value".into());
            return None;
        };
        if d.file.is_some() {
            err(span, "data.file", "a literal takes no file".into());
            return None;
        }
        (
            *v.get_ref(),
            vec![*v.get_ref()],
            None,
            0,
            String::new(),
            "reported figure".to_string(),
        )
    } else {
        if d.value.is_some() {
            err(
                span,
                "data.value",
                "only a literal takes value (the value is computed)".into(),
            );
            return None;
        }
        let Some(file) = &d.file else {
            err(span, "data.file", format!("derivation {kind:?} needs a file"));
            return None;
        };
        let name = file.get_ref().clone();
        let table = tables
            .entry(name.clone())
            .or_insert_with(|| read(&name).and_then(|text| Table::parse(&name, &text)));
        let table = match table {
            Ok(t) => &*t,
            Err(e) => {
                err(file.span(), "data.file", e.clone());
                return None;
            }
        };
        match compute(kind, d, table) {
            Ok(c) => {
                if d.source.trim().is_empty() {
                    found_sources = row_sources(d, table);
                }
                (c.0, c.1, c.2, c.3, name, c.4)
            }
            Err(e) => {
                err(span, &format!("data ({kind})"), e);
                return None;
            }
        }
    };
    let (lower, upper, rule) = match interval {
        "row" => match row_interval {
            Some((l, u)) => (l, u, "the row's lower/upper".to_string()),
            None => {
                err(
                    span,
                    "data.interval",
                    "\"row\" needs a value derivation on a row with lower and upper".into(),
                );
                return None;
            }
        },
        "range" => {
            if kind == "literal" {
                err(span, "data.interval", "\"range\" needs values from a file".into());
                return None;
            }
            let lo = contributing.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = contributing.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi, format!("min-max of the {} values", contributing.len()))
        }
        "band" => {
            let Some(b) = &d.band else {
                err(
                    span,
                    "data.band",
                    "interval = \"band\" needs band = r (relative, 0 < r < 1)".into(),
                );
                return None;
            };
            let r = *b.get_ref();
            if !(r > 0.0 && r < 1.0) {
                err(b.span(), "data.band", format!("{r} is not in (0, 1)"));
                return None;
            }
            let (a, c) = (value * (1.0 - r), value * (1.0 + r));
            (a.min(c), a.max(c), format!("stated band ±{}%", r * 100.0))
        }
        _ => {
            let l = d.lower.as_ref().map_or(value, |x| *x.get_ref());
            let u = d.upper.as_ref().map_or(value, |x| *x.get_ref());
            (l, u, "stated interval".to_string())
        }
    };
    if interval != "band"
        && let Some(b) = &d.band
    {
        err(
            b.span(),
            "data.band",
            "band is only read with interval = \"band\"".into(),
        );
        return None;
    }
    if interval != "stated" && (d.lower.is_some() || d.upper.is_some()) {
        err(
            span,
            "data.lower",
            "lower/upper are only read with interval = \"stated\" (or a literal)".into(),
        );
        return None;
    }
    let (value, mut lower, mut upper) = (value * scale, lower * scale, upper * scale);
    if lower > upper {
        std::mem::swap(&mut lower, &mut upper);
    }
    if !(value.is_finite() && lower.is_finite() && upper.is_finite()) {
        err(
            span,
            "data",
            format!("the value {value} or interval [{lower}, {upper}] is not finite"),
        );
        return None;
    }
    if !(lower <= value && value <= upper) {
        err(
            span,
            "data",
            format!("the value {value} lies outside its interval [{lower}, {upper}]"),
        );
        return None;
    }
    let mut derivation = how;
    if scale != 1.0 {
        derivation.push_str(&format!(", x {scale}"));
    }
    derivation.push_str(&format!("; interval: {rule}"));
    if !d.note.is_empty() {
        derivation.push_str(&format!(" ({})", d.note.trim()));
    }
    Some(Derived {
        value,
        lower,
        upper,
        rows,
        file,
        derivation,
        source: if d.source.trim().is_empty() {
            found_sources
        } else {
            d.source.trim().to_string()
        },
    })
}

/// The distinct `source` cells of the rows a derivation reads (main and base selections), in
/// file order, joined by "; " (at most three, then how many more); empty without that column.
fn row_sources(d: &RawData, table: &Table) -> String {
    let Ok(col) = table.column("source") else {
        return String::new();
    };
    let date_col = d.date_column.as_deref().unwrap_or("date");
    let mut rows: Vec<&(u64, Vec<String>)> = Vec::new();
    if let Ok(w) = window_of(d.date.as_ref(), &d.from, &d.to)
        && let Ok(s) = Selection::select(table, &d.filter, date_col, w)
    {
        rows.extend(s.rows);
        if let Ok(b) = window_of(None, &d.base_from, &d.base_to)
            && let Ok(sb) = Selection::select(table, d.base_where.as_ref().unwrap_or(&d.filter), date_col, b.or(w))
        {
            rows.extend(sb.rows);
        }
    }
    rows.sort_by_key(|r| r.0);
    let mut seen: Vec<&str> = Vec::new();
    for r in rows {
        let c = r.1[col].trim();
        if !c.is_empty() && !seen.contains(&c) {
            seen.push(c);
        }
    }
    let n = seen.len();
    let mut out = seen.into_iter().take(3).collect::<Vec<_>>().join("; ");
    if n > 3 {
        out.push_str(&format!("; and {} more", n - 3));
    }
    out
}

type Computed = (f64, Vec<f64>, Option<(f64, f64)>, usize, String);

/// The calendar window of `date` or `first`..`last` (`None` when neither is given: every row).
fn window_of(
    date: Option<&Spanned<String>>,
    first: &Option<Spanned<String>>,
    last: &Option<Spanned<String>>,
) -> Result<Option<Window>, String> {
    match (date, first, last) {
        (Some(d), None, None) => Window::parse(d.get_ref()).map(Some),
        (None, Some(a), Some(b)) => Window::parse(&format!("{}..{}", a.get_ref(), b.get_ref())).map(Some),
        (None, Some(a), None) => Window::parse(a.get_ref()).map(Some),
        (None, None, None) => Ok(None),
        _ => Err("give either date, or from (and to): calendar months YYYY-MM".into()),
    }
}

fn shown_window(w: Option<Window>) -> String {
    w.map_or_else(|| "all dates".to_string(), |w| w.to_string())
}

fn of_total(d: &RawData) -> String {
    d.total
        .as_ref()
        .map_or(String::new(), |t| format!(" (of a whole of {})", t.get_ref()))
}

fn filter_text(f: &Filter) -> String {
    f.iter()
        .map(|(c, v)| format!("{c}={}", v.describe()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compute(kind: &str, d: &RawData, table: &Table) -> Result<Computed, String> {
    let date_col = d.date_column.as_deref().unwrap_or("date");
    let group = || {
        d.group_by
            .as_deref()
            .ok_or_else(|| format!("derivation {kind:?} needs group_by"))
    };
    let main = || window_of(d.date.as_ref(), &d.from, &d.to);
    let f = filter_text(&d.filter);
    match kind {
        "value" => {
            let w = main()?;
            let s = Selection::select(table, &d.filter, date_col, w)?;
            if s.rows.len() != 1 {
                return Err(format!(
                    "{} rows match (lines {}); a value needs exactly one: narrow the where filter",
                    s.rows.len(),
                    s.rows.iter().map(|r| r.0.to_string()).collect::<Vec<_>>().join(", ")
                ));
            }
            let v = s.values()?[0];
            let li = table.column("lower").ok();
            let ui = table.column("upper").ok();
            let row = &s.rows[0].1;
            let interval = match (li, ui) {
                (Some(l), Some(u)) => match (row[l].trim().parse::<f64>(), row[u].trim().parse::<f64>()) {
                    (Ok(l), Ok(u)) => Some((l, u)),
                    _ => None,
                },
                _ => None,
            };
            Ok((
                v,
                vec![v],
                interval,
                1,
                format!("value of the row {f} at {} (line {})", shown_window(w), s.rows[0].0),
            ))
        }
        "sum" | "mean" => {
            let w = main()?;
            let s = Selection::select(table, &d.filter, date_col, w)?;
            let v = s.values()?;
            let total: f64 = v.iter().sum();
            let x = if kind == "sum" { total } else { total / v.len() as f64 };
            Ok((
                x,
                v.clone(),
                None,
                v.len(),
                format!("{kind} of {} rows {f} in {}", v.len(), shown_window(w)),
            ))
        }
        "share" | "hhi" => {
            let w = main()?;
            let g = group()?;
            let s = Selection::select(table, &d.filter, date_col, w)?;
            let groups = s.grouped(g)?;
            let total: f64 = match &d.total {
                Some(t) => *t.get_ref(),
                None => groups.values().sum(),
            };
            if total.is_nan() || total <= 0.0 {
                return Err(format!("the total is {total}, not positive"));
            }
            for e in &d.exclude {
                if !groups.contains_key(e) {
                    return Err(format!("exclude names {e:?}, not a {g} of the selected rows"));
                }
            }
            let counted: Vec<(&String, f64)> = groups
                .iter()
                .filter(|(k, _)| !d.exclude.contains(k))
                .map(|(k, v)| (k, *v))
                .collect();
            if kind == "hhi" {
                let h: f64 = counted
                    .iter()
                    .map(|(_, v)| (100.0 * v / total) * (100.0 * v / total))
                    .sum();
                let ex = if d.exclude.is_empty() {
                    String::new()
                } else {
                    format!(", {:?} in the total but not squared", d.exclude)
                };
                return Ok((
                    h,
                    vec![h],
                    None,
                    s.rows.len(),
                    format!(
                        "HHI of {g} shares{} of rows {f} at {}{ex}",
                        of_total(d),
                        shown_window(w)
                    ),
                ));
            }
            let named: Vec<String> = match (&d.groups, &d.top) {
                (Some(n), None) => {
                    for x in n {
                        if !groups.contains_key(x) {
                            return Err(format!(
                                "groups names {x:?}, not a {g} of the selected rows (there are: {})",
                                groups.keys().cloned().collect::<Vec<_>>().join(", ")
                            ));
                        }
                    }
                    n.clone()
                }
                (None, Some(k)) => {
                    let mut c = counted.clone();
                    c.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
                    c.iter()
                        .take(*k.get_ref() as usize)
                        .map(|(n, _)| (*n).clone())
                        .collect()
                }
                _ => return Err("a share needs either groups = [...] or top = N".into()),
            };
            let num: f64 = named.iter().map(|n| groups[n]).sum();
            Ok((
                num / total,
                vec![num / total],
                None,
                s.rows.len(),
                format!(
                    "share of {} in the {g} total{} of rows {f} at {}",
                    named.join(" + "),
                    of_total(d),
                    shown_window(w)
                ),
            ))
        }
        "ratio" | "slope_ratio" => {
            let w = main()?;
            // The base window defaults to the main one (a ratio of two figures at one date).
            let b = match window_of(None, &d.base_from, &d.base_to)? {
                Some(b) => Some(b),
                None => w,
            };
            let bf = d.base_where.as_ref().unwrap_or(&d.filter);
            let s = Selection::select(table, &d.filter, date_col, w)?;
            let sb = Selection::select(table, bf, date_col, b)?;
            let (x, y) = if kind == "ratio" {
                (s.values()?.iter().sum::<f64>(), sb.values()?.iter().sum::<f64>())
            } else {
                (ols_slope(&s.dated(date_col)?), ols_slope(&sb.dated(date_col)?))
            };
            if y == 0.0 || !y.is_finite() || !x.is_finite() {
                return Err(format!("the base is {y} (numerator {x}): no ratio"));
            }
            let what = if kind == "ratio" { "sum" } else { "OLS slope" };
            Ok((
                x / y,
                vec![x / y],
                None,
                s.rows.len() + sb.rows.len(),
                format!(
                    "{what} of rows {f} in {} / {what} of rows {} in {}",
                    shown_window(w),
                    filter_text(bf),
                    shown_window(b)
                ),
            ))
        }
        "slope" => {
            let w = main()?;
            let s = Selection::select(table, &d.filter, date_col, w)?;
            let x = ols_slope(&s.dated(date_col)?);
            if !x.is_finite() {
                return Err("fewer than two dates: no slope".into());
            }
            Ok((
                x,
                vec![x],
                None,
                s.rows.len(),
                format!("OLS slope per year of rows {f} in {}", shown_window(w)),
            ))
        }
        "count" => {
            let w = main()?;
            let g = group()?;
            let s = Selection::select(table, &d.filter, date_col, w)?;
            let n = s.grouped(g)?.len() as f64;
            Ok((
                n,
                vec![n],
                None,
                s.rows.len(),
                format!("distinct {g} among rows {f} in {}", shown_window(w)),
            ))
        }
        _ => unreachable!("derivations are checked before"),
    }
}

// ---------------------------------------------------------------------------------------------
// Sets and the model side.

impl TargetSet {
    /// The subset with these ids (in the file's order); unknown id ⇒ exit-2 error naming it.
    pub fn select(&self, ids: &[String]) -> anyhow::Result<TargetSet> {
        for id in ids {
            if !self.targets.iter().any(|t| &t.id == id) {
                return Err(bad_input(format!(
                    "unknown target {id:?} in {}; targets are: {}",
                    self.path.display(),
                    self.targets
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(TargetSet {
            path: self.path.clone(),
            targets: self.targets.iter().filter(|t| ids.contains(&t.id)).cloned().collect(),
        })
    }

    /// The subset carrying any of these tags (in the file's order).
    pub fn with_tags(&self, tags: &[String]) -> TargetSet {
        TargetSet {
            path: self.path.clone(),
            targets: self
                .targets
                .iter()
                .filter(|t| t.tags.iter().any(|g| tags.contains(g)))
                .cloned()
                .collect(),
        }
    }

    /// Exit-2 error if the scenario cannot produce some target: its period lies outside
    /// run.start .. run.start + run.months - 1, a named firm or group does not exist, or the
    /// model has no such quantity.
    #[allow(dead_code, reason = "the API goldrush calibrate checks its targets with")]
    pub fn check_producible(&self, scenario: &Scenario) -> anyhow::Result<()> {
        let problems: Vec<String> = self
            .targets
            .iter()
            .filter_map(|t| {
                t.unproducible(scenario)
                    .map(|why| format!("- target {:?} (line {}): {why}", t.id, t.line))
            })
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(bad_input(format!(
                "scenario {:?} cannot produce these targets of {}:\n{}",
                scenario.name,
                self.path.display(),
                problems.join("\n")
            )))
        }
    }
}

impl Target {
    /// Why the scenario cannot produce this target, if it cannot.
    pub fn unproducible(&self, scenario: &Scenario) -> Option<String> {
        let start = scenario.run.start;
        let months = scenario.run.months;
        let end = start.label_of(months.saturating_sub(1));
        match &self.quantity {
            Quantity::NotProduced { reason } => Some(format!("the model does not produce it ({reason})")),
            Quantity::Model { series, .. } => {
                for w in self.quantity.windows() {
                    if months == 0 || w.first < start || w.last > end {
                        return Some(format!("its period {w} lies outside the run ({start}..{end})"));
                    }
                }
                if let Series::Firms { firms, .. } = series {
                    for f in firms {
                        if !scenario.firms.iter().any(|x| &x.name == f) {
                            return Some(format!("the scenario has no firm named {f:?}"));
                        }
                    }
                }
                None
            }
        }
    }

    /// The model's value of this moment in one run (NaN if undefined, e.g. 0/0, or if the run
    /// does not cover the period).
    pub fn simulate(&self, run: &RunRecord) -> f64 {
        let Quantity::Model {
            series,
            statistic,
            window,
            base,
        } = &self.quantity
        else {
            return f64::NAN;
        };
        let Some(sw) = run.window_series(series, *window) else {
            return f64::NAN;
        };
        let bw = match base {
            Some(b) => match run.window_series(series, *b) {
                Some(x) => Some(x),
                None => return f64::NAN,
            },
            None => None,
        };
        statistic_of(*statistic, &sw, bw.as_deref())
    }
}

/// A statistic of (decimal year, value) points, NaN values skipped; `base` for ratios.
pub fn statistic_of(st: Statistic, points: &[(f64, f64)], base: Option<&[(f64, f64)]>) -> f64 {
    let clean = |p: &[(f64, f64)]| -> Vec<(f64, f64)> { p.iter().copied().filter(|x| !x.1.is_nan()).collect() };
    let mean = |p: &[(f64, f64)]| -> f64 {
        let c = clean(p);
        if c.is_empty() {
            f64::NAN
        } else {
            c.iter().map(|x| x.1).sum::<f64>() / c.len() as f64
        }
    };
    let p = clean(points);
    match st {
        Statistic::Value => mean(points),
        Statistic::Max => p.iter().map(|x| x.1).reduce(f64::max).unwrap_or(f64::NAN),
        Statistic::Min => p.iter().map(|x| x.1).reduce(f64::min).unwrap_or(f64::NAN),
        Statistic::Slope => ols_slope(&p),
        Statistic::Ratio => {
            let b = base.map_or(f64::NAN, mean);
            if b == 0.0 { f64::NAN } else { mean(points) / b }
        }
        Statistic::SlopeRatio => {
            let b = base.map_or(f64::NAN, |b| ols_slope(&clean(b)));
            if b == 0.0 { f64::NAN } else { ols_slope(&p) / b }
        }
    }
}

#[cfg(test)]
mod tests;
