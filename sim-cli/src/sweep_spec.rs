//! Sweep specs: parsing, validation and the experimental design (which parameter values each
//! point gets, which seed each replicate gets).
//!
//! A spec is TOML with unknown keys rejected. It is parsed into [`RawSpec`] (with source spans),
//! then validated into [`Spec`], which expands into a deterministic list of [`RunPlan`]s:
//! run index `i = point * replicates + replicate`. Everything here is a pure function of the
//! spec text, so shards and resumed sweeps agree on every run.
//!
//! Seeds: replicate `r` of point `p` gets `seed_for(master, p, r)`, a SplitMix64 hash of the
//! three numbers (masked to 63 bits, the largest a TOML scenario can hold). Different points never
//! share a seed list by construction; a collision would need two 63-bit hashes to meet.
//! Sensitivity designs are the exception, on purpose: every point of a Saltelli block
//! (`A_j, AB_1j, ..., AB_kj, B_j`) or of a Morris trajectory runs with the seeds of its block,
//! `seed_for(master, block, r)` (common random numbers), so the differences the estimators
//! take between those points come from the parameters, not from the random stream.
//!
//! Latin hypercube: for `n` points and each parameter `k`, a SplitMix64 stream keyed by
//! `(master, k)` draws a Fisher–Yates permutation of the `n` strata and one uniform offset per
//! stratum; point `i` gets `min + (perm[i] + u_i) / n * (max - min)` (rounded when both bounds
//! are integers).
//!
//! Sensitivity designs map points `u` of the unit hypercube from [`sim_core::sensitivity`] to
//! `min + u * (max - min)` (rounded when both bounds are integers): `saltelli` (alias `sobol`)
//! takes `samples = N` base samples, a power of two (the Sobol sequence is balanced only at
//! powers of two), and has `N (k + 2)` points for `k` parameters, in blocks
//! `A_j, AB_1j, ..., AB_kj, B_j`; `morris` takes `trajectories = r` and `levels = p` (even,
//! default 4) and has `r (k + 1)` points, trajectory by trajectory, drawn from a SplitMix64
//! stream keyed by the master seed. An optional `[sensitivity]` table sets how `goldrush
//! sensitivity` analyses the runs (`statistic`, `bootstrap`); it does not change the runs.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use sim_core::rng::{SplitMix64, mix};
pub use sim_core::sensitivity::Statistic;

use crate::errors::bad_input;

/// The most runs (points x replicates) one sweep may have. A guard against a typo such as a
/// 6-parameter grid of 100 values each; split larger studies into several sweeps.
pub const MAX_RUNS: u64 = 100_000;

/// The spec as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    /// Built-in scenario name or scenario file (relative to the spec file).
    pub base: toml::Spanned<String>,
    /// `grid`, `lhs`, `list`, `saltelli` (alias `sobol`) or `morris`.
    #[serde(default = "default_design")]
    pub design: toml::Spanned<String>,
    /// Number of points (lhs only).
    pub points: Option<toml::Spanned<u64>>,
    /// Base samples (saltelli only), a power of two.
    pub samples: Option<toml::Spanned<u64>>,
    /// Trajectories (morris only).
    pub trajectories: Option<toml::Spanned<u64>>,
    /// Grid levels (morris only; even, default 4).
    pub levels: Option<toml::Spanned<u64>>,
    /// How `goldrush sensitivity` analyses the runs (saltelli and morris only).
    pub sensitivity: Option<toml::Spanned<RawAnalysis>>,
    /// Replicates (seeds) per point.
    #[serde(default = "default_replicates")]
    pub replicates: toml::Spanned<u64>,
    /// Master seed every replicate seed is derived from.
    #[serde(default)]
    pub seed: u64,
    /// Months per run (overrides the base scenario's run.months).
    pub months: Option<u32>,
    /// Fixed overrides applied to every run, before the point's values.
    #[serde(default)]
    pub set: Vec<String>,
    /// Metrics to keep (default: all).
    pub outputs: Option<toml::Spanned<Vec<String>>>,
    /// Parameters to vary.
    #[serde(default)]
    pub params: Vec<toml::Spanned<RawParam>>,
}

fn default_design() -> toml::Spanned<String> {
    toml::Spanned::new(0..0, "grid".to_string())
}

fn default_replicates() -> toml::Spanned<u64> {
    toml::Spanned::new(0..0, 1)
}

/// The `[sensitivity]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnalysis {
    /// `final` (the last month's value) or `mean` (the time average, NaN months skipped).
    pub statistic: Option<toml::Spanned<String>>,
    /// Bootstrap resamples for the confidence intervals.
    pub bootstrap: Option<toml::Spanned<u64>>,
}

/// Default bootstrap resamples of `goldrush sensitivity`.
pub const DEFAULT_BOOTSTRAP: u64 = 1000;
/// Most bootstrap resamples allowed (the analysis time grows linearly with them).
pub const MAX_BOOTSTRAP: u64 = 100_000;

/// A sweep's experimental design (the spec's `design`, spelled `grid`, `lhs`, `list`, `saltelli`
/// (alias `sobol`) or `morris`; the manifest records the canonical spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Design {
    /// Full factorial of values (or of min..max in steps).
    Grid,
    /// Latin hypercube of min..max ranges.
    Lhs,
    /// Explicit values, one per point.
    List,
    /// Saltelli's design for Sobol indices.
    Saltelli,
    /// Morris trajectories for elementary effects.
    Morris,
}

impl Design {
    /// The design spelled `name` (`sobol` is `saltelli`), if any.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "grid" => Some(Design::Grid),
            "lhs" => Some(Design::Lhs),
            "list" => Some(Design::List),
            "saltelli" | "sobol" => Some(Design::Saltelli),
            "morris" => Some(Design::Morris),
            _ => None,
        }
    }

    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Lhs => "lhs",
            Design::List => "list",
            Design::Saltelli => "saltelli",
            Design::Morris => "morris",
        }
    }

    /// Whether the design samples min..max ranges (rather than taking values).
    pub fn samples_ranges(self) -> bool {
        matches!(self, Design::Lhs | Design::Saltelli | Design::Morris)
    }

    /// Whether `goldrush sensitivity` can analyse it.
    pub fn is_sensitivity(self) -> bool {
        matches!(self, Design::Saltelli | Design::Morris)
    }
}

impl std::fmt::Display for Design {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How `goldrush sensitivity` analyses a sweep (from the spec's `[sensitivity]` table).
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub statistic: Statistic,
    pub bootstrap: u64,
    /// Whether the spec lists `outputs` (otherwise the analysis uses a default short list).
    pub outputs_given: bool,
}

/// A sensitivity design: the method, its sizes and each parameter's range `(min, max)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Sampling {
    Saltelli {
        samples: u64,
        ranges: Vec<(f64, f64)>,
    },
    Morris {
        trajectories: u64,
        levels: u64,
        ranges: Vec<(f64, f64)>,
    },
}

/// One `[[params]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParam {
    /// Scenario parameter path, as for `--set`, e.g. `users.theta_network`.
    pub path: toml::Spanned<String>,
    /// Explicit values (grid, list).
    pub values: Option<Vec<toml::Value>>,
    /// Range bounds (lhs; grid with `steps`).
    pub min: Option<toml::Value>,
    pub max: Option<toml::Value>,
    /// Evenly spaced grid values from min to max inclusive.
    pub steps: Option<u64>,
}

/// A validated spec (what the manifest records and resumes compare).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub base: String,
    pub design: Design,
    pub replicates: u64,
    pub seed: u64,
    pub months: Option<u32>,
    pub set: Vec<String>,
    pub outputs: Vec<String>,
    pub params: Vec<ParamSpec>,
    /// Each point's value per parameter, as TOML literals, in point order.
    pub points: Vec<Vec<String>>,
    /// The sensitivity design (saltelli and morris only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<Sampling>,
}

/// A validated parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSpec {
    pub path: String,
    /// Where it was written (`FILE:LINE:COL`), for error messages.
    #[serde(skip)]
    pub location: String,
}

/// One run of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPlan {
    pub index: u64,
    pub id: String,
    pub point: u64,
    pub replicate: u64,
    pub seed: u64,
}

/// `r000042`: file-name friendly and sorts in run order.
pub fn run_id(index: u64) -> String {
    format!("r{index:06}")
}

/// The seed of replicate `replicate` of point `point` (63 bits).
pub fn seed_for(master: u64, point: u64, replicate: u64) -> u64 {
    let h = mix(mix(mix(0x676F_6C64_7275_7368, master), point), replicate);
    h >> 1
}

/// A uniform float in [0, 1) from 53 bits.
fn unit(state: &mut SplitMix64) -> f64 {
    (state.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Line and column (1-based) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.len(), |i| before.len() - i - 1) + 1;
    (line, col)
}

fn at(origin: &str, text: &str, span: Range<usize>) -> String {
    if span.is_empty() && span.start == 0 {
        return origin.to_string();
    }
    let (l, c) = line_col(text, span.start);
    format!("{origin}:{l}:{c}")
}

fn as_f64(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// A value as the right-hand side of a `--set` override.
pub fn literal(v: &toml::Value) -> String {
    v.to_string()
}

fn float_literal(x: f64) -> String {
    // `{:?}` always keeps a decimal point or exponent, so TOML reads a float.
    format!("{x:?}")
}

/// Parses and validates a spec; `origin` names the file in messages.
pub fn parse(text: &str, origin: &str) -> anyhow::Result<Spec> {
    parse_with_analysis(text, origin).map(|(spec, _)| spec)
}

/// Parses and validates a spec and its `[sensitivity]` table.
pub fn parse_with_analysis(text: &str, origin: &str) -> anyhow::Result<(Spec, Analysis)> {
    let raw: RawSpec = toml::from_str(text).map_err(|e| {
        let loc = e.span().map_or(origin.to_string(), |s| at(origin, text, s));
        bad_input(format!("{loc}: {}", e.message().trim()))
    })?;
    let mut errors = Vec::new();
    // `None` for an unknown design: reported here, the other checks still run (and name it).
    let design = Design::parse(raw.design.get_ref());
    let design_name = design.map_or_else(|| raw.design.get_ref().clone(), |d| d.as_str().to_string());
    let design_at = at(origin, text, raw.design.span());
    if design.is_none() {
        errors.push(format!(
            "{design_at}: unknown design {design_name:?} (expected grid, lhs, list, saltelli (or its alias sobol) or morris)"
        ));
    }
    // Ranges are sampled by lhs and the sensitivity designs.
    let sampled = design.is_some_and(Design::samples_ranges);
    let sensitivity = design.is_some_and(Design::is_sensitivity);
    let replicates = *raw.replicates.get_ref();
    if replicates == 0 {
        errors.push(format!(
            "{}: replicates must be at least 1",
            at(origin, text, raw.replicates.span())
        ));
    }
    if raw.seed > i64::MAX as u64 {
        errors.push(format!("{origin}: seed must be at most {}", i64::MAX));
    }
    let outputs: Vec<String> = match &raw.outputs {
        None => sim_core::METRICS.iter().map(|m| m.name.to_string()).collect(),
        Some(o) => {
            let loc = at(origin, text, o.span());
            if o.get_ref().is_empty() {
                errors.push(format!("{loc}: outputs is empty (leave it out to keep every metric)"));
            }
            for name in o.get_ref() {
                if !sim_core::METRICS.iter().any(|m| m.name == name) {
                    errors.push(format!(
                        "{loc}: outputs: unknown metric {name:?} (see `goldrush metrics`)"
                    ));
                }
            }
            // Keep METRICS' column order so files do not depend on how the list was written.
            sim_core::METRICS
                .iter()
                .filter(|m| o.get_ref().iter().any(|n| n == m.name))
                .map(|m| m.name.to_string())
                .collect()
        }
    };
    if raw.params.is_empty() {
        errors.push(format!("{origin}: no [[params]] to vary"));
    }
    let mut params = Vec::new();
    // Values per parameter (grid, list) or ranges (lhs).
    let mut value_lists: Vec<Vec<String>> = Vec::new();
    let mut ranges: Vec<(f64, f64, bool)> = Vec::new();
    for (k, p) in raw.params.iter().enumerate() {
        let loc = at(origin, text, p.span());
        let p = p.get_ref();
        let path = p.path.get_ref();
        let what = format!("{loc}: params[{k}] ({path})");
        if params.iter().any(|q: &ParamSpec| &q.path == path) {
            errors.push(format!("{what}: the same path is varied twice"));
        }
        params.push(ParamSpec {
            path: path.clone(),
            location: at(origin, text, p.path.span()),
        });
        let range = match (&p.min, &p.max) {
            (Some(lo), Some(hi)) => match (as_f64(lo), as_f64(hi)) {
                (Some(a), Some(b)) if a.is_finite() && b.is_finite() && a < b => Some((
                    a,
                    b,
                    matches!((lo, hi), (toml::Value::Integer(_), toml::Value::Integer(_))),
                )),
                (Some(a), Some(b)) => {
                    errors.push(format!("{what}: empty range: min = {a} must be below max = {b}"));
                    None
                }
                _ => {
                    errors.push(format!("{what}: min and max must be numbers"));
                    None
                }
            },
            (None, None) => None,
            _ => {
                errors.push(format!("{what}: give both min and max"));
                None
            }
        };
        match design {
            _ if sampled => {
                if p.values.is_some() || p.steps.is_some() {
                    errors.push(format!(
                        "{what}: {design_name} samples a range: use min and max, not values or steps"
                    ));
                }
                if p.min.is_none() && p.max.is_none() {
                    errors.push(format!("{what}: {design_name} needs min and max"));
                }
                ranges.push(range.unwrap_or((0.0, 1.0, false)));
            }
            _ => {
                let vals = match (&p.values, range, p.steps) {
                    (Some(v), None, None) if p.min.is_none() => {
                        if v.is_empty() {
                            errors.push(format!("{what}: empty range: values = []"));
                        }
                        v.iter().map(literal).collect()
                    }
                    (None, Some((a, b, int)), Some(n)) if design == Some(Design::Grid) => {
                        if n < 2 {
                            errors.push(format!("{what}: steps must be at least 2"));
                            Vec::new()
                        } else {
                            (0..n)
                                .map(|i| {
                                    let x = a + (b - a) * i as f64 / (n - 1) as f64;
                                    if int {
                                        format!("{}", x.round() as i64)
                                    } else {
                                        float_literal(x)
                                    }
                                })
                                .collect()
                        }
                    }
                    _ if range.is_some() || p.min.is_some() || p.max.is_some() => {
                        if design == Some(Design::Grid) {
                            errors.push(format!("{what}: a grid over min..max needs steps = N"));
                        } else {
                            errors.push(format!("{what}: a list design takes values = [...]"));
                        }
                        Vec::new()
                    }
                    _ => {
                        errors.push(format!("{what}: give values = [...]"));
                        Vec::new()
                    }
                };
                value_lists.push(vals);
            }
        }
    }
    // Checks a design-size field: present where it belongs, absent elsewhere, within bounds.
    let mut size =
        |field: &Option<toml::Spanned<u64>>, name: &str, owner: Design, default: Option<u64>, min: u64| -> u64 {
            match field {
                Some(n) if design != Some(owner) => {
                    errors.push(format!(
                        "{}: {name} is for {owner} designs only (this one is {design_name})",
                        at(origin, text, n.span())
                    ));
                    0
                }
                Some(n) if *n.get_ref() < min => {
                    errors.push(format!(
                        "{}: {name} must be at least {min} (got {})",
                        at(origin, text, n.span()),
                        n.get_ref()
                    ));
                    0
                }
                Some(n) => *n.get_ref(),
                None if design == Some(owner) => default.unwrap_or_else(|| {
                    errors.push(format!("{design_at}: a {owner} design needs {name} = N"));
                    0
                }),
                None => 0,
            }
        };
    let samples = size(&raw.samples, "samples", Design::Saltelli, None, 1);
    let trajectories = size(&raw.trajectories, "trajectories", Design::Morris, None, 2);
    let levels = size(&raw.levels, "levels", Design::Morris, Some(4), 2);
    if let Some(n) = &raw.samples
        && design == Some(Design::Saltelli)
        && samples >= 1
        && !samples.is_power_of_two()
    {
        let below = 1u64 << (63 - samples.leading_zeros());
        errors.push(format!(
            "{}: samples = {samples} is not a power of two (try {below} or {}): the Sobol \
             sequence is balanced only at powers of two",
            at(origin, text, n.span()),
            below.saturating_mul(2)
        ));
    }
    if let Some(n) = &raw.levels
        && design == Some(Design::Morris)
        && levels >= 2
        && !levels.is_multiple_of(2)
    {
        errors.push(format!(
            "{}: levels = {levels} must be even (so the jump of p/(2(p-1)) lands on the grid), e.g. 4",
            at(origin, text, n.span())
        ));
    }
    let k = raw.params.len();
    if design == Some(Design::Saltelli) && k > sim_core::sensitivity::MAX_SALTELLI_INPUTS {
        errors.push(format!(
            "{design_at}: a saltelli design varies at most {} parameters (got {k})",
            sim_core::sensitivity::MAX_SALTELLI_INPUTS
        ));
    }
    let analysis = match &raw.sensitivity {
        Some(a) if !sensitivity => {
            errors.push(format!(
                "{}: [sensitivity] is for saltelli and morris designs only (this one is {design_name})",
                at(origin, text, a.span())
            ));
            None
        }
        Some(a) => Some(a.get_ref()),
        None => None,
    };
    let statistic = match analysis.and_then(|a| a.statistic.as_ref()) {
        None => Statistic::Final,
        Some(s) => match Statistic::parse(s.get_ref()) {
            Some(st) => st,
            None => {
                let other = s.get_ref();
                errors.push(format!(
                    "{}: sensitivity.statistic = {other:?}: expected \"final\" (last month) or \"mean\" (time average)",
                    at(origin, text, s.span())
                ));
                Statistic::Final
            }
        },
    };
    let bootstrap = match analysis.and_then(|a| a.bootstrap.as_ref()) {
        None => DEFAULT_BOOTSTRAP,
        Some(b) if *b.get_ref() > MAX_BOOTSTRAP => {
            errors.push(format!(
                "{}: sensitivity.bootstrap = {} is out of range 0..={MAX_BOOTSTRAP}",
                at(origin, text, b.span()),
                b.get_ref()
            ));
            DEFAULT_BOOTSTRAP
        }
        Some(b) => *b.get_ref(),
    };
    let n_points: u64 = match design {
        Some(Design::Saltelli) => samples.saturating_mul(k as u64 + 2),
        Some(Design::Morris) => trajectories.saturating_mul(k as u64 + 1),
        Some(Design::Lhs) => match &raw.points {
            Some(n) if *n.get_ref() >= 1 => *n.get_ref(),
            Some(n) => {
                errors.push(format!("{}: points must be at least 1", at(origin, text, n.span())));
                0
            }
            None => {
                errors.push(format!("{design_at}: lhs needs points = N"));
                0
            }
        },
        Some(Design::List) => {
            let lens: Vec<usize> = value_lists.iter().map(Vec::len).collect();
            if lens.windows(2).any(|w| w[0] != w[1]) {
                errors.push(format!(
                    "{design_at}: a list design needs the same number of values for every parameter (got {lens:?})"
                ));
            }
            lens.first().copied().unwrap_or(0) as u64
        }
        _ => value_lists
            .iter()
            .fold(1u64, |acc, v| acc.saturating_mul(v.len() as u64)),
    };
    if design != Some(Design::Lhs)
        && let Some(n) = &raw.points
    {
        errors.push(format!(
            "{}: points is for lhs only (a {design_name} design's size is set by {})",
            at(origin, text, n.span()),
            match design {
                Some(Design::Saltelli) => "samples",
                Some(Design::Morris) => "trajectories",
                _ => "its values",
            }
        ));
    }
    let runs = n_points.saturating_mul(replicates);
    if runs > MAX_RUNS {
        errors.push(format!(
            "{design_at}: {n_points} points x {replicates} replicates = {runs} runs, more than the \
             {MAX_RUNS} a sweep may have; split it into several sweeps"
        ));
    }
    if !errors.is_empty() {
        return Err(bad_input(format!("invalid sweep spec:\n{}", errors.join("\n"))));
    }
    let to_value = |(lo, hi, int): (f64, f64, bool), u: f64| {
        let x = lo + u * (hi - lo);
        if int {
            format!("{}", x.round() as i64)
        } else {
            float_literal(x)
        }
    };
    // An unknown design was reported above, so `design` is known from here on.
    let design = design.unwrap_or(Design::Grid);
    let design_error = |e: sim_core::sensitivity::DesignError| bad_input(format!("{design_at}: {e}"));
    let unit_points = match design {
        Design::Saltelli => Some(sim_core::sensitivity::saltelli_points(k, samples as usize).map_err(design_error)?),
        Design::Morris => Some(
            sim_core::sensitivity::morris_design(k, trajectories as usize, levels as usize, raw.seed)
                .map_err(design_error)?
                .points,
        ),
        _ => None,
    };
    let plain_ranges: Vec<(f64, f64)> = ranges.iter().map(|&(lo, hi, _)| (lo, hi)).collect();
    let sampling = match design {
        Design::Saltelli => Some(Sampling::Saltelli {
            samples,
            ranges: plain_ranges,
        }),
        Design::Morris => Some(Sampling::Morris {
            trajectories,
            levels,
            ranges: plain_ranges,
        }),
        _ => None,
    };
    let points: Vec<Vec<String>> = match design {
        _ if unit_points.is_some() => unit_points
            .unwrap_or_default()
            .iter()
            .map(|u| ranges.iter().zip(u).map(|(&r, &x)| to_value(r, x)).collect())
            .collect(),
        Design::Lhs => lhs(raw.seed, n_points, &ranges),
        Design::List => (0..n_points as usize)
            .map(|i| value_lists.iter().map(|v| v[i].clone()).collect())
            .collect(),
        _ => grid(&value_lists),
    };
    let analysis = Analysis {
        statistic,
        bootstrap,
        outputs_given: raw.outputs.is_some(),
    };
    let spec = Spec {
        base: raw.base.into_inner(),
        design,
        replicates,
        seed: raw.seed,
        months: raw.months,
        set: raw.set,
        outputs,
        params,
        points,
        sampling,
    };
    Ok((spec, analysis))
}

/// Full factorial, the last parameter varying fastest.
fn grid(lists: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut points = vec![Vec::new()];
    for list in lists {
        let mut next = Vec::with_capacity(points.len() * list.len());
        for p in &points {
            for v in list {
                let mut q = p.clone();
                q.push(v.clone());
                next.push(q);
            }
        }
        points = next;
    }
    points
}

/// Latin hypercube (see the module docs).
pub(crate) fn lhs(master: u64, n: u64, ranges: &[(f64, f64, bool)]) -> Vec<Vec<String>> {
    let n_us = n as usize;
    let mut cols = Vec::new();
    for (k, &(lo, hi, int)) in ranges.iter().enumerate() {
        let mut state = SplitMix64(mix(mix(0x6C68_7300, master), k as u64));
        let mut perm: Vec<u64> = (0..n).collect();
        for i in (1..n_us).rev() {
            let j = (state.next_u64() % (i as u64 + 1)) as usize;
            perm.swap(i, j);
        }
        let col: Vec<String> = perm
            .iter()
            .map(|&s| {
                let u = unit(&mut state);
                let x = lo + (s as f64 + u) / n as f64 * (hi - lo);
                if int {
                    format!("{}", x.round() as i64)
                } else {
                    float_literal(x)
                }
            })
            .collect();
        cols.push(col);
    }
    (0..n_us).map(|i| cols.iter().map(|c| c[i].clone()).collect()).collect()
}

impl Spec {
    pub fn runs(&self) -> u64 {
        self.points.len() as u64 * self.replicates
    }

    /// The point whose seeds point `point` uses: itself, or the first of its Saltelli block or
    /// Morris trajectory (module docs).
    pub fn seed_group(&self, point: u64) -> u64 {
        let k = self.params.len() as u64;
        match self.sampling {
            Some(Sampling::Saltelli { .. }) => point / (k + 2),
            Some(Sampling::Morris { .. }) => point / (k + 1),
            None => point,
        }
    }

    pub fn plan(&self, index: u64) -> RunPlan {
        let point = index / self.replicates;
        let replicate = index % self.replicates;
        RunPlan {
            index,
            id: run_id(index),
            point,
            replicate,
            seed: seed_for(self.seed, self.seed_group(point), replicate),
        }
    }

    /// The `--set` overrides of a run: the fixed ones, the point's values, months, the seed.
    pub fn overrides(&self, plan: &RunPlan) -> Vec<String> {
        let mut v = self.set.clone();
        for (p, val) in self.params.iter().zip(&self.points[plan.point as usize]) {
            v.push(format!("{}={val}", p.path));
        }
        if let Some(m) = self.months {
            v.push(format!("run.months={m}"));
        }
        v.push(format!("run.seed={}", plan.seed));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_between_points_and_replicates() {
        let mut seen = std::collections::BTreeSet::new();
        for p in 0..50 {
            for r in 0..20 {
                let s = seed_for(7, p, r);
                assert!(s <= i64::MAX as u64);
                assert!(seen.insert(s), "seed collision at point {p} replicate {r}");
            }
        }
    }

    #[test]
    fn lhs_puts_one_point_in_each_stratum() {
        let pts = lhs(3, 10, &[(0.0, 1.0, false), (10.0, 20.0, false)]);
        for k in 0..2 {
            let mut strata: Vec<u64> = pts
                .iter()
                .map(|p| {
                    let x: f64 = p[k].parse().unwrap();
                    let (lo, hi) = if k == 0 { (0.0, 1.0) } else { (10.0, 20.0) };
                    ((x - lo) / (hi - lo) * 10.0).floor() as u64
                })
                .collect();
            strata.sort();
            assert_eq!(strata, (0..10).collect::<Vec<_>>(), "parameter {k}");
        }
        assert_eq!(pts, lhs(3, 10, &[(0.0, 1.0, false), (10.0, 20.0, false)]));
    }

    #[test]
    fn grid_is_full_factorial_last_fastest() {
        let g = grid(&[vec!["1".into(), "2".into()], vec!["a".into(), "b".into(), "c".into()]]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[1], vec!["1".to_string(), "b".to_string()]);
    }

    #[test]
    fn bad_specs_name_the_line() {
        let e = parse(
            "base = \"tiny\"\n[[params]]\npath = \"users.theta_network\"\nvalues = []\n",
            "s.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("s.toml:2:1") && e.contains("empty range"), "{e}");
        let e = parse("base = \"tiny\"\nbogus = 1\n", "s.toml").unwrap_err().to_string();
        assert!(e.contains("s.toml:2:1") && e.contains("bogus"), "{e}");
        let e = parse("base = \"tiny\"\ndesign = \"sobel\"\n", "s.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("s.toml:2:10") && e.contains("saltelli"), "{e}");
    }

    const SALTELLI: &str = "base = \"tiny\"\ndesign = \"saltelli\"\nsamples = 8\n\
        [[params]]\npath = \"users.theta_network\"\nmin = 0.0\nmax = 2.0\n\
        [[params]]\npath = \"startups.entry_rate_per_month\"\nmin = 1\nmax = 9\n";

    #[test]
    fn saltelli_points_are_the_unit_design_scaled_to_the_ranges() {
        let spec = parse(SALTELLI, "s.toml").unwrap();
        let k = 2;
        assert_eq!(spec.points.len(), 8 * (k + 2));
        let unit = sim_core::sensitivity::saltelli_points(k, 8).unwrap();
        for (p, u) in spec.points.iter().zip(&unit) {
            assert_eq!(p[0].parse::<f64>().unwrap(), 2.0 * u[0]);
            // Integer bounds give integers, rounded like lhs.
            assert_eq!(p[1], format!("{}", (1.0 + 8.0 * u[1]).round() as i64));
        }
        assert_eq!(
            spec.sampling,
            Some(Sampling::Saltelli {
                samples: 8,
                ranges: vec![(0.0, 2.0), (1.0, 9.0)]
            })
        );
        // `sobol` is an alias recorded as saltelli.
        let alias = parse(&SALTELLI.replace("\"saltelli\"", "\"sobol\""), "s.toml").unwrap();
        assert_eq!(alias, spec);
    }

    #[test]
    fn a_saltelli_block_or_morris_trajectory_shares_its_seeds() {
        let mut spec = parse(
            &SALTELLI.replace("samples = 8", "samples = 8\nreplicates = 2"),
            "s.toml",
        )
        .unwrap();
        let seed = |spec: &Spec, point: u64, r: u64| spec.plan(point * spec.replicates + r).seed;
        // k = 2: blocks of 4 points (A, AB_1, AB_2, B).
        for p in 0..4 {
            assert_eq!(seed(&spec, p, 0), seed(&spec, 0, 0));
            assert_eq!(seed(&spec, p, 1), seed(&spec, 0, 1));
        }
        assert_ne!(seed(&spec, 0, 0), seed(&spec, 0, 1));
        assert_ne!(seed(&spec, 4, 0), seed(&spec, 3, 0));
        assert_eq!(seed(&spec, 5, 1), seed_for(spec.seed, 1, 1));
        spec.sampling = Some(Sampling::Morris {
            trajectories: 8,
            levels: 4,
            ranges: Vec::new(),
        });
        // Trajectories of k + 1 = 3 points.
        assert_eq!(seed(&spec, 2, 0), seed(&spec, 0, 0));
        assert_ne!(seed(&spec, 3, 0), seed(&spec, 2, 0));
    }

    #[test]
    fn morris_points_follow_the_trajectories_and_the_seed() {
        let text = SALTELLI
            .replace("\"saltelli\"", "\"morris\"")
            .replace("samples = 8", "trajectories = 5\nseed = 3");
        let (spec, analysis) = parse_with_analysis(&text, "s.toml").unwrap();
        assert_eq!(spec.points.len(), 5 * 3);
        let d = sim_core::sensitivity::morris_design(2, 5, 4, 3).unwrap();
        for (p, u) in spec.points.iter().zip(&d.points) {
            assert_eq!(p[0].parse::<f64>().unwrap(), 2.0 * u[0]);
        }
        assert_eq!(
            (analysis.statistic, analysis.bootstrap, analysis.outputs_given),
            (Statistic::Final, DEFAULT_BOOTSTRAP, false)
        );
        let other_seed = parse(&text.replace("seed = 3", "seed = 4"), "s.toml").unwrap();
        assert_ne!(other_seed.points, spec.points);
    }

    #[test]
    fn sensitivity_specs_refuse_bad_sizes_and_fields_at_their_line() {
        let err = |text: String| parse(&text, "s.toml").unwrap_err().to_string();
        let e = err(SALTELLI.replace("samples = 8", "samples = 0"));
        assert!(
            e.contains("s.toml:3:11") && e.contains("samples must be at least 1"),
            "{e}"
        );
        let e = err(SALTELLI.replace("samples = 8", "samples = 100"));
        assert!(
            e.contains("s.toml:3:11") && e.contains("not a power of two (try 64 or 128)"),
            "{e}"
        );
        let e = err(SALTELLI.replace("samples = 8\n", ""));
        assert!(e.contains("s.toml:2:10") && e.contains("needs samples = N"), "{e}");
        let e = err(SALTELLI.replace("min = 0.0\nmax = 2.0", "values = [0.0, 1.0]"));
        assert!(
            e.contains("s.toml:4:1") && e.contains("saltelli samples a range"),
            "{e}"
        );
        let morris = SALTELLI
            .replace("\"saltelli\"", "\"morris\"")
            .replace("samples = 8", "trajectories = 4\nlevels = 5");
        let e = err(morris.clone());
        assert!(
            e.contains("s.toml:4:10") && e.contains("levels = 5 must be even"),
            "{e}"
        );
        let e = err(morris.replace("levels = 5", "samples = 8"));
        assert!(
            e.contains("s.toml:4:11") && e.contains("samples is for saltelli designs only"),
            "{e}"
        );
        let e = err(SALTELLI.to_string() + "[sensitivity]\nstatistic = \"median\"\nbootstrap = 1000000\n");
        assert!(e.contains("s.toml:13:13") && e.contains("\"final\""), "{e}");
        assert!(e.contains("s.toml:14:13") && e.contains("out of range"), "{e}");
        let e = err(SALTELLI
            .replace("\"saltelli\"", "\"lhs\"\npoints = 4")
            .replace("samples = 8\n", "")
            + "[sensitivity]\nstatistic = \"mean\"\n");
        assert!(
            e.contains("[sensitivity] is for saltelli and morris designs only"),
            "{e}"
        );
    }
}
