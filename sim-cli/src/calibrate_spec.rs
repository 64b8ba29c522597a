//! Calibration specs (`goldrush calibrate SPEC.toml`): parsing and validation.
//!
//! A spec is TOML with unknown keys rejected, parsed with source spans so that every problem is
//! reported as `file:line:column`. It names the scenario (a built-in name or a file relative to
//! the spec, with fixed `set` overrides), the parameters to estimate with their prior ranges
//! (`[[params]]`: `path`, `min`, `max`, `scale = "linear" | "log"`), the targets file (relative
//! to the spec) and the target ids to fit (default: all), the seeds per candidate (`seeds`: the
//! same seeds, derived from the master `seed`, for every candidate: common random numbers) and
//! the method with its settings, `[smm]` or `[abc]`.
//!
//! Example:
//! ```toml
//! scenario = "../history.toml"
//! set = ["users.consumer_agents=1000"]
//! targets = "../../data/targets.toml"
//! target_ids = ["assistant_leader_share_2024", "gpu_rental_price_2024"]
//! seeds = 4
//! seed = 1
//! method = "abc-smc"
//!
//! [[params]]
//! path = "users.theta_network"
//! min = 0.1
//! max = 3.0
//! scale = "log"
//!
//! [abc]
//! particles = 40
//! batch = 80
//! generations = 5
//! min_acceptance = 0.05
//! ```

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::errors::bad_input;
use crate::sweep_spec::line_col;

/// The most runs one stage may have (candidates x seeds): a guard against a typo.
pub const MAX_STAGE_RUNS: u64 = 100_000;

/// The spec as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    scenario: toml::Spanned<String>,
    #[serde(default)]
    set: Vec<String>,
    targets: toml::Spanned<String>,
    target_ids: Option<Vec<toml::Spanned<String>>>,
    #[serde(default = "one")]
    seeds: toml::Spanned<u64>,
    #[serde(default)]
    seed: u64,
    method: toml::Spanned<String>,
    #[serde(default)]
    params: Vec<toml::Spanned<RawParam>>,
    smm: Option<toml::Spanned<RawSmm>>,
    abc: Option<toml::Spanned<RawAbc>>,
}

fn one() -> toml::Spanned<u64> {
    toml::Spanned::new(0..0, 1)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParam {
    path: toml::Spanned<String>,
    min: toml::Spanned<toml::Value>,
    max: toml::Spanned<toml::Value>,
    scale: Option<toml::Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmm {
    design: Option<toml::Spanned<String>>,
    points: Option<toml::Spanned<u64>>,
    max_evals: Option<toml::Spanned<u64>>,
    step: Option<toml::Spanned<f64>>,
    tol: Option<toml::Spanned<f64>>,
    sensitivity_step: Option<toml::Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAbc {
    particles: toml::Spanned<u64>,
    batch: Option<toml::Spanned<u64>>,
    generations: toml::Spanned<u64>,
    min_acceptance: Option<toml::Spanned<f64>>,
}

/// One parameter to estimate and its prior range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Scenario parameter path, as for `--set`.
    pub path: String,
    pub min: f64,
    pub max: f64,
    /// Log-uniform prior (min > 0) rather than uniform.
    pub log: bool,
    /// Both bounds written as integers: values are rounded (an integer parameter).
    pub integer: bool,
    /// `file:line:column` of the entry (messages only; not part of the identity).
    #[serde(skip)]
    pub location: String,
}

impl Param {
    /// The `--set` literal of value `x`.
    pub fn literal(&self, x: f64) -> String {
        if self.integer {
            format!("{}", x.round() as i64)
        } else {
            // `{:?}` always keeps a decimal point or exponent, so TOML reads a float.
            format!("{x:?}")
        }
    }

    /// The value used for `x` (rounded for an integer parameter).
    pub fn value(&self, x: f64) -> f64 {
        if self.integer { x.round() } else { x }
    }
}

/// Stage 1's space-filling design of the SMM method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmmDesign {
    /// Scrambled Sobol points (sim_core::calibration::sobol).
    Sobol,
    /// A Latin hypercube (the sweep's design, sweep_spec).
    Lhs,
}

/// The method and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum Method {
    /// Simulated method of moments: a design, Nelder–Mead from its best point, a local
    /// sensitivity stage around the optimum.
    Smm {
        design: SmmDesign,
        /// Points of the design.
        points: u64,
        /// Nelder–Mead's budget of candidates.
        max_evals: u64,
        /// Nelder–Mead's initial simplex step (unit space).
        step: f64,
        /// Nelder–Mead's stopping tolerance.
        tol: f64,
        /// The ± step (unit space) of the sensitivity stage.
        sensitivity_step: f64,
    },
    /// ABC-SMC population Monte Carlo with an adaptive tolerance.
    AbcSmc {
        particles: u64,
        batch: u64,
        generations: u64,
        min_acceptance: f64,
    },
}

impl Method {
    pub fn name(&self) -> &'static str {
        match self {
            Method::Smm { .. } => "smm",
            Method::AbcSmc { .. } => "abc-smc",
        }
    }
}

/// A validated spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalSpec {
    /// Built-in scenario name or scenario file, as written (relative to the spec).
    pub scenario: String,
    /// Fixed overrides applied to every run, before the candidate's values.
    pub set: Vec<String>,
    /// Targets file as written (relative to the spec).
    pub targets: String,
    /// Target ids to fit (empty: every target of the file).
    pub target_ids: Vec<String>,
    /// Seeds per candidate (common random numbers).
    pub seeds: u64,
    /// Master seed the run seeds and the method's draws derive from.
    pub seed: u64,
    pub params: Vec<Param>,
    #[serde(flatten)]
    pub method: Method,
    /// `file:line:column` of each target id (messages only).
    #[serde(skip)]
    pub target_locations: Vec<String>,
    /// `file:line:column` of `scenario` and `targets` (messages only).
    #[serde(skip)]
    pub scenario_location: String,
    #[serde(skip)]
    pub targets_location: String,
}

fn at(origin: &str, text: &str, span: Range<usize>) -> String {
    if span.is_empty() && span.start == 0 {
        return origin.to_string();
    }
    let (l, c) = line_col(text, span.start);
    format!("{origin}:{l}:{c}")
}

fn number(v: &toml::Value) -> Option<(f64, bool)> {
    match v {
        toml::Value::Integer(i) => Some((*i as f64, true)),
        toml::Value::Float(f) => Some((*f, false)),
        _ => None,
    }
}

/// Parses and validates a spec; `origin` names the file in messages. Every problem found is
/// reported at once, one per line.
pub fn parse(text: &str, origin: &str) -> anyhow::Result<CalSpec> {
    let raw: RawSpec = toml::from_str(text).map_err(|e| {
        let loc = e.span().map_or(origin.to_string(), |s| at(origin, text, s));
        bad_input(format!("{loc}: {}", e.message().trim()))
    })?;
    let loc = |span: Range<usize>| at(origin, text, span);
    let mut errors: Vec<String> = Vec::new();
    if raw.seeds.get_ref() == &0 || *raw.seeds.get_ref() > 1000 {
        errors.push(format!(
            "{}: seeds = {} is out of range (1 to 1000 seeds per candidate)",
            loc(raw.seeds.span()),
            raw.seeds.get_ref()
        ));
    }
    if raw.params.is_empty() {
        errors.push(format!(
            "{origin}: no [[params]]: name at least one parameter to estimate (path, min, max)"
        ));
    }
    let mut params = Vec::new();
    for p in &raw.params {
        let path = p.get_ref().path.get_ref().trim().to_string();
        let ploc = loc(p.get_ref().path.span());
        if sim_core::params::find_spec(&path).is_none() {
            errors.push(format!(
                "{ploc}: params.path: no parameter named {path:?} (run `goldrush params` for the list; arrays are written like firms[0].cash_usd)"
            ));
        }
        if params.iter().any(|q: &Param| q.path == path) {
            errors.push(format!("{ploc}: params.path: {path:?} is listed twice"));
        }
        let (min, max) = (p.get_ref().min.get_ref(), p.get_ref().max.get_ref());
        let (Some((lo, lo_int)), Some((hi, hi_int))) = (number(min), number(max)) else {
            errors.push(format!("{}: params.min and max must be numbers", loc(p.span())));
            continue;
        };
        let log = match p.get_ref().scale.as_ref().map(|s| s.get_ref().as_str()) {
            None | Some("linear") => false,
            Some("log") => true,
            Some(other) => {
                errors.push(format!(
                    "{}: params.scale = {other:?}: expected \"linear\" or \"log\"",
                    loc(p.get_ref().scale.as_ref().map_or(0..0, |s| s.span()))
                ));
                false
            }
        };
        if !(lo.is_finite() && hi.is_finite()) || lo >= hi {
            errors.push(format!(
                "{}: params.min = {lo} and max = {hi} for {path:?}: empty prior (need min < max)",
                loc(p.get_ref().min.span())
            ));
        } else if log && lo <= 0.0 {
            errors.push(format!(
                "{}: params.min = {lo} for {path:?}: a log-uniform prior needs min > 0",
                loc(p.get_ref().min.span())
            ));
        }
        params.push(Param {
            path,
            min: lo,
            max: hi,
            log,
            integer: lo_int && hi_int,
            location: ploc,
        });
    }
    let method_name = raw.method.get_ref().as_str();
    let mloc = loc(raw.method.span());
    let d = params.len() as u64;
    let method = match method_name {
        "smm" => {
            if let Some(a) = &raw.abc {
                errors.push(format!("{}: [abc] is for method = \"abc-smc\" only", loc(a.span())));
            }
            let s = raw.smm.as_ref().map(|s| s.get_ref());
            let design = match s.and_then(|s| s.design.as_ref()) {
                None => SmmDesign::Sobol,
                Some(v) => match v.get_ref().as_str() {
                    "sobol" => SmmDesign::Sobol,
                    "lhs" => SmmDesign::Lhs,
                    other => {
                        errors.push(format!(
                            "{}: smm.design = {other:?}: expected \"sobol\" or \"lhs\"",
                            loc(v.span())
                        ));
                        SmmDesign::Sobol
                    }
                },
            };
            let mut count = |f: Option<&toml::Spanned<u64>>, name: &str, default: u64, min: u64| -> u64 {
                match f {
                    None => default,
                    Some(v) if *v.get_ref() < min || *v.get_ref() > MAX_STAGE_RUNS => {
                        errors.push(format!(
                            "{}: smm.{name} = {} is out of range ({min} to {MAX_STAGE_RUNS})",
                            loc(v.span()),
                            v.get_ref()
                        ));
                        default
                    }
                    Some(v) => *v.get_ref(),
                }
            };
            let points = count(s.and_then(|s| s.points.as_ref()), "points", 8 * d.max(1), 2);
            let max_evals = count(s.and_then(|s| s.max_evals.as_ref()), "max_evals", 30 * d.max(1), d + 1);
            let mut frac = |f: Option<&toml::Spanned<f64>>, name: &str, default: f64, lo: f64, hi: f64| -> f64 {
                match f {
                    None => default,
                    Some(v) if !(*v.get_ref() > lo && *v.get_ref() <= hi) => {
                        errors.push(format!(
                            "{}: smm.{name} = {} is out of range (more than {lo}, at most {hi})",
                            loc(v.span()),
                            v.get_ref()
                        ));
                        default
                    }
                    Some(v) => *v.get_ref(),
                }
            };
            let step = frac(s.and_then(|s| s.step.as_ref()), "step", 0.15, 0.0, 0.5);
            let tol = frac(s.and_then(|s| s.tol.as_ref()), "tol", 1e-3, 0.0, 1.0);
            let sensitivity_step = frac(
                s.and_then(|s| s.sensitivity_step.as_ref()),
                "sensitivity_step",
                0.05,
                0.0,
                0.25,
            );
            Method::Smm {
                design,
                points,
                max_evals,
                step,
                tol,
                sensitivity_step,
            }
        }
        "abc-smc" | "abc" => {
            if let Some(s) = &raw.smm {
                errors.push(format!("{}: [smm] is for method = \"smm\" only", loc(s.span())));
            }
            match &raw.abc {
                None => {
                    errors.push(format!(
                        "{mloc}: method = \"abc-smc\" needs an [abc] table (particles, generations; batch, min_acceptance optional)"
                    ));
                    Method::AbcSmc {
                        particles: 2,
                        batch: 2,
                        generations: 1,
                        min_acceptance: 0.0,
                    }
                }
                Some(a) => {
                    let a = a.get_ref();
                    let particles = *a.particles.get_ref();
                    if !(2..=MAX_STAGE_RUNS).contains(&particles) {
                        errors.push(format!(
                            "{}: abc.particles = {particles} is out of range (2 to {MAX_STAGE_RUNS})",
                            loc(a.particles.span())
                        ));
                    }
                    let batch = a.batch.as_ref().map_or(2 * particles, |b| *b.get_ref());
                    if let Some(b) = &a.batch
                        && (*b.get_ref() < particles || *b.get_ref() > MAX_STAGE_RUNS)
                    {
                        errors.push(format!(
                            "{}: abc.batch = {} is out of range (particles = {particles} to {MAX_STAGE_RUNS}): a generation keeps the best `particles` of its `batch` proposals",
                            loc(b.span()),
                            b.get_ref()
                        ));
                    }
                    let generations = *a.generations.get_ref();
                    if !(1..=1000).contains(&generations) {
                        errors.push(format!(
                            "{}: abc.generations = {generations} is out of range (1 to 1000)",
                            loc(a.generations.span())
                        ));
                    }
                    let min_acceptance = a.min_acceptance.as_ref().map_or(0.0, |m| *m.get_ref());
                    if let Some(m) = &a.min_acceptance
                        && !(0.0..1.0).contains(m.get_ref())
                    {
                        errors.push(format!(
                            "{}: abc.min_acceptance = {} is out of range (0 to less than 1)",
                            loc(m.span()),
                            m.get_ref()
                        ));
                    }
                    Method::AbcSmc {
                        particles,
                        batch,
                        generations,
                        min_acceptance,
                    }
                }
            }
        }
        other => {
            errors.push(format!("{mloc}: method = {other:?}: expected \"smm\" or \"abc-smc\""));
            Method::AbcSmc {
                particles: 2,
                batch: 2,
                generations: 1,
                min_acceptance: 0.0,
            }
        }
    };
    if let Method::AbcSmc { batch, .. } | Method::Smm { points: batch, .. } = &method
        && batch.saturating_mul(*raw.seeds.get_ref()) > MAX_STAGE_RUNS
    {
        errors.push(format!(
            "{}: {batch} candidates x {} seeds is more than {MAX_STAGE_RUNS} runs in one stage",
            loc(raw.seeds.span()),
            raw.seeds.get_ref()
        ));
    }
    if !errors.is_empty() {
        return Err(bad_input(errors.join("\n")));
    }
    let (target_ids, target_locations) = raw
        .target_ids
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t.get_ref().clone(), loc(t.span())))
        .unzip();
    Ok(CalSpec {
        scenario: raw.scenario.get_ref().clone(),
        scenario_location: loc(raw.scenario.span()),
        set: raw.set,
        targets: raw.targets.get_ref().clone(),
        targets_location: loc(raw.targets.span()),
        target_ids,
        target_locations,
        seeds: *raw.seeds.get_ref(),
        seed: raw.seed,
        params,
        method,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"scenario = "tiny"
targets = "t.toml"
seeds = 2
method = "abc-smc"

[[params]]
path = "users.theta_network"
min = 0.1
max = 2.0
scale = "log"

[[params]]
path = "startups.initial_count"
min = 2
max = 10

[abc]
particles = 10
generations = 3
"#;

    #[test]
    fn a_good_spec_parses_with_defaults() {
        let s = parse(OK, "c.toml").unwrap();
        assert_eq!(s.params.len(), 2);
        assert!(s.params[0].log && !s.params[0].integer && s.params[1].integer);
        assert_eq!(s.params[1].literal(3.4), "3");
        assert_eq!(s.params[0].literal(0.5), "0.5");
        assert_eq!(
            s.method,
            Method::AbcSmc {
                particles: 10,
                batch: 20,
                generations: 3,
                min_acceptance: 0.0
            }
        );
    }

    #[test]
    fn bad_specs_name_file_line_and_field() {
        let err = |t: String| parse(&t, "c.toml").unwrap_err().to_string();
        let e = err(OK.replace("users.theta_network", "users.bogus"));
        assert!(
            e.contains("c.toml:7:8") && e.contains("no parameter named \"users.bogus\""),
            "{e}"
        );
        let e = err(OK.replace("min = 0.1", "min = 3.0"));
        assert!(e.contains("c.toml:8:7") && e.contains("empty prior"), "{e}");
        let e = err(OK.replace("min = 0.1", "min = 0.0"));
        assert!(
            e.contains("c.toml:8:7") && e.contains("log-uniform prior needs min > 0"),
            "{e}"
        );
        let e = err(OK.replace("\"abc-smc\"", "\"mcmc\""));
        assert!(e.contains("c.toml:4:10") && e.contains("\"smm\" or \"abc-smc\""), "{e}");
        let e = err(OK.replace("seeds = 2", "seeds = 2\nbogus = 1"));
        assert!(e.contains("c.toml:4:1") && e.contains("bogus"), "{e}");
        let e = err(OK.replace("particles = 10", "particles = 10\nbatch = 5"));
        assert!(e.contains("c.toml:19:9") && e.contains("abc.batch = 5"), "{e}");
    }
}
