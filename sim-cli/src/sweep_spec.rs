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
//!
//! Latin hypercube: for `n` points and each parameter `k`, a SplitMix64 stream keyed by
//! `(master, k)` draws a Fisher–Yates permutation of the `n` strata and one uniform offset per
//! stratum; point `i` gets `min + (perm[i] + u_i) / n * (max - min)` (rounded when both bounds
//! are integers).

use std::ops::Range;

use serde::{Deserialize, Serialize};

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
    /// `grid`, `lhs` or `list`.
    #[serde(default = "default_design")]
    pub design: toml::Spanned<String>,
    /// Number of points (lhs only).
    pub points: Option<toml::Spanned<u64>>,
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
    pub design: String,
    pub replicates: u64,
    pub seed: u64,
    pub months: Option<u32>,
    pub set: Vec<String>,
    pub outputs: Vec<String>,
    pub params: Vec<ParamSpec>,
    /// Each point's value per parameter, as TOML literals, in point order.
    pub points: Vec<Vec<String>>,
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

/// SplitMix64 step.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn mix(a: u64, b: u64) -> u64 {
    let mut s = a ^ b.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    splitmix(&mut s)
}

/// The seed of replicate `replicate` of point `point` (63 bits).
pub fn seed_for(master: u64, point: u64, replicate: u64) -> u64 {
    let h = mix(mix(mix(0x676F_6C64_7275_7368, master), point), replicate);
    h >> 1
}

/// A uniform float in [0, 1) from 53 bits.
fn unit(state: &mut u64) -> f64 {
    (splitmix(state) >> 11) as f64 / (1u64 << 53) as f64
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
    let raw: RawSpec = toml::from_str(text).map_err(|e| {
        let loc = e.span().map_or(origin.to_string(), |s| at(origin, text, s));
        bad_input(format!("{loc}: {}", e.message().trim()))
    })?;
    let mut errors = Vec::new();
    let design = raw.design.get_ref().as_str();
    let design_at = at(origin, text, raw.design.span());
    match design {
        "grid" | "lhs" | "list" => {}
        "sobol" | "saltelli" => errors.push(format!(
            "{design_at}: design = {design:?} is not implemented yet (use grid, lhs or list)"
        )),
        other => errors.push(format!(
            "{design_at}: unknown design {other:?} (expected grid, lhs or list)"
        )),
    }
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
            "lhs" => {
                if p.values.is_some() || p.steps.is_some() {
                    errors.push(format!(
                        "{what}: lhs samples a range: use min and max, not values or steps"
                    ));
                }
                if p.min.is_none() && p.max.is_none() {
                    errors.push(format!("{what}: lhs needs min and max"));
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
                    (None, Some((a, b, int)), Some(n)) if design == "grid" => {
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
                        if design == "grid" {
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
    let n_points: u64 = match design {
        "lhs" => match &raw.points {
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
        "list" => {
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
    if design != "lhs"
        && let Some(n) = &raw.points
    {
        errors.push(format!(
            "{}: points is for lhs only (a {design} design has as many points as its values give)",
            at(origin, text, n.span())
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
    let points: Vec<Vec<String>> = match design {
        "lhs" => lhs(raw.seed, n_points, &ranges),
        "list" => (0..n_points as usize)
            .map(|i| value_lists.iter().map(|v| v[i].clone()).collect())
            .collect(),
        _ => grid(&value_lists),
    };
    Ok(Spec {
        base: raw.base.into_inner(),
        design: design.to_string(),
        replicates,
        seed: raw.seed,
        months: raw.months,
        set: raw.set,
        outputs,
        params,
        points,
    })
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
fn lhs(master: u64, n: u64, ranges: &[(f64, f64, bool)]) -> Vec<Vec<String>> {
    let n_us = n as usize;
    let mut cols = Vec::new();
    for (k, &(lo, hi, int)) in ranges.iter().enumerate() {
        let mut state = mix(mix(0x6C68_7300, master), k as u64);
        let mut perm: Vec<u64> = (0..n).collect();
        for i in (1..n_us).rev() {
            let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
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

    pub fn plan(&self, index: u64) -> RunPlan {
        let point = index / self.replicates;
        let replicate = index % self.replicates;
        RunPlan {
            index,
            id: run_id(index),
            point,
            replicate,
            seed: seed_for(self.seed, point, replicate),
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
        let e = parse(
            "base = \"tiny\"\ndesign = \"sobol\"\n[[params]]\npath = \"a.b\"\nmin = 0\nmax = 1\n",
            "s.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("s.toml:2:10") && e.contains("not implemented"), "{e}");
    }
}
