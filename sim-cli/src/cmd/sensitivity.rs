//! `goldrush sensitivity SPEC.toml`: global sensitivity analysis of a sweep with a `saltelli`
//! (alias `sobol`) or `morris` design.
//!
//! 1. The sweep runs into `--out` through `goldrush sweep`'s code, so it is parallel, resumable
//!    and identical for any `--jobs`; a folder already holding the complete sweep (e.g. shards
//!    run on a cluster and merged with `goldrush merge`) is analysed without running anything.
//! 2. Each run is reduced to one number per output: its `final` value (last month) or its
//!    `mean` over the months (NaN months skipped), the spec's `[sensitivity] statistic`.
//! 3. The replicates of each design point are averaged (NaN replicates skipped): the indices
//!    are those of the replicate-mean output, a smoother function of the parameters than a
//!    single run. Replicate noise still enters it (more replicates, less noise).
//! 4. [`sim_core::sensitivity`] computes Sobol first-order and total indices (S1, ST) or Morris
//!    μ, μ* and σ, with 95% bootstrap intervals (`[sensitivity] bootstrap` resamples, keyed by
//!    the spec's seed, so the files are deterministic).
//!
//! Writes `sensitivity.csv`, `sensitivity.json` and a chart per output
//! (`sensitivity-<metric>.png` and `.svg`) into the sweep folder, atomically, and prints the
//! tables.

use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use sim_core::sensitivity::{self as sa, MorrisIndex, SobolIndex};
use sim_core::{METRICS, MetricSpec};

use crate::build_info::{GIT_COMMIT, VERSION};
use crate::cmd::sweep::{self, SweepArgs};
use crate::errors::{bad_input, emit, io_message};
use crate::formats::parquet::run_statistics;
use crate::output::write_atomically;
use crate::sweep_spec::{self, Analysis, Sampling, Spec, Statistic};
use goldrush_charts::sensitivity::{self as chart, Chart, Series};

/// Outputs analysed when the spec lists none (sim-core's key sensitivity outputs).
pub use sim_core::key_metrics::SENSITIVITY_OUTPUTS as DEFAULT_OUTPUTS;

/// One parameter's result for one output.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum ParamResult {
    Sobol {
        path: String,
        min: f64,
        max: f64,
        #[serde(rename = "S1")]
        s1: f64,
        #[serde(rename = "S1_lo")]
        s1_lo: f64,
        #[serde(rename = "S1_hi")]
        s1_hi: f64,
        #[serde(rename = "ST")]
        st: f64,
        #[serde(rename = "ST_lo")]
        st_lo: f64,
        #[serde(rename = "ST_hi")]
        st_hi: f64,
    },
    Morris {
        path: String,
        min: f64,
        max: f64,
        mu: f64,
        mu_star: f64,
        mu_star_lo: f64,
        mu_star_hi: f64,
        sigma: f64,
        /// μ* divided by the parameter's range: output units per parameter unit.
        mu_star_per_unit: f64,
        effects: usize,
    },
}

/// One output's results.
#[derive(Debug, Serialize)]
struct OutputResult {
    metric: String,
    unit: String,
    /// Design points whose replicate mean is NaN (every replicate NaN).
    nan_points: usize,
    /// Saltelli: base samples used and skipped (any of their k + 2 points NaN).
    #[serde(skip_serializing_if = "Option::is_none")]
    base_samples_used: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_samples_skipped: Option<usize>,
    /// Saltelli: the variance of the replicate-mean output over A and B.
    #[serde(skip_serializing_if = "Option::is_none")]
    variance: Option<f64>,
    /// Morris: elementary effects skipped (an end point NaN), over all parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    effects_skipped: Option<usize>,
    params: Vec<ParamResult>,
}

#[derive(Debug, Serialize)]
struct Report {
    goldrush_version: String,
    git_commit: String,
    method: String,
    statistic: Statistic,
    bootstrap: u64,
    replicates: u64,
    /// The validated spec (without its list of points, which manifest.json holds).
    spec: serde_json::Value,
    outputs: Vec<OutputResult>,
}

/// The outputs to analyse: the spec's `outputs` if given, otherwise [`DEFAULT_OUTPUTS`].
fn chosen_outputs(spec: &Spec, analysis: &Analysis) -> Vec<&'static MetricSpec> {
    METRICS
        .iter()
        .filter(|m| {
            if analysis.outputs_given {
                spec.outputs.iter().any(|o| o == m.name)
            } else {
                DEFAULT_OUTPUTS.contains(&m.name)
            }
        })
        .collect()
}

/// The mean over each point's replicates (NaN replicates skipped; NaN if all are).
fn replicate_means(per_run: &[f64], replicates: usize) -> Vec<f64> {
    per_run
        .chunks(replicates)
        .map(|c| sim_core::stats::mean_skip_nan(c).unwrap_or(f64::NAN))
        .collect()
}

fn sobol_param(path: &str, (min, max): (f64, f64), x: &SobolIndex) -> ParamResult {
    ParamResult::Sobol {
        path: path.to_string(),
        min,
        max,
        s1: x.s1,
        s1_lo: x.s1_lo,
        s1_hi: x.s1_hi,
        st: x.st,
        st_lo: x.st_lo,
        st_hi: x.st_hi,
    }
}

fn morris_param(path: &str, (min, max): (f64, f64), x: &MorrisIndex) -> ParamResult {
    ParamResult::Morris {
        path: path.to_string(),
        min,
        max,
        mu: x.mu,
        mu_star: x.mu_star,
        mu_star_lo: x.mu_star_lo,
        mu_star_hi: x.mu_star_hi,
        sigma: x.sigma,
        mu_star_per_unit: x.mu_star / (max - min),
        effects: x.effects,
    }
}

/// Analyses one output's replicate-mean values `y` (in point order).
fn analyse(
    spec: &Spec,
    sampling: &Sampling,
    bootstrap: u64,
    metric: &MetricSpec,
    y: &[f64],
) -> anyhow::Result<OutputResult> {
    let k = spec.params.len();
    let nan_points = y.iter().filter(|v| v.is_nan()).count();
    let design_err = |e: sa::DesignError| anyhow::anyhow!("sensitivity analysis of {}: {e}", metric.name);
    let mut r = OutputResult {
        metric: metric.name.to_string(),
        unit: metric.unit.to_string(),
        nan_points,
        base_samples_used: None,
        base_samples_skipped: None,
        variance: None,
        effects_skipped: None,
        params: Vec::new(),
    };
    match sampling {
        Sampling::Saltelli { ranges, .. } => {
            let res = sa::sobol_indices(k, y, bootstrap as usize, spec.seed).map_err(design_err)?;
            r.base_samples_used = Some(res.used);
            r.base_samples_skipped = Some(res.skipped);
            r.variance = Some(res.variance);
            r.params = spec
                .params
                .iter()
                .zip(ranges)
                .zip(&res.indices)
                .map(|((p, &range), x)| sobol_param(&p.path, range, x))
                .collect();
        }
        Sampling::Morris {
            trajectories,
            levels,
            ranges,
        } => {
            let design =
                sa::morris_design(k, *trajectories as usize, *levels as usize, spec.seed).map_err(design_err)?;
            let res = sa::morris_indices(&design, y, bootstrap as usize, spec.seed).map_err(design_err)?;
            r.effects_skipped = Some(res.skipped);
            r.params = spec
                .params
                .iter()
                .zip(ranges)
                .zip(&res.indices)
                .map(|((p, &range), x)| morris_param(&p.path, range, x))
                .collect();
        }
    }
    Ok(r)
}

/// A number for the table: 3 significant digits, `-` for NaN.
fn num(x: f64) -> String {
    if x.is_nan() {
        "-".to_string()
    } else if x == 0.0 || (1e-3..1e5).contains(&x.abs()) {
        let digits = if x.abs() >= 100.0 {
            0
        } else if x.abs() >= 10.0 {
            1
        } else if x.abs() >= 1.0 {
            2
        } else {
            3
        };
        format!("{x:.digits$}")
    } else {
        format!("{x:.2e}")
    }
}

fn interval(lo: f64, hi: f64) -> String {
    if lo.is_nan() || hi.is_nan() {
        "-".to_string()
    } else {
        format!("[{}, {}]", num(lo), num(hi))
    }
}

/// The printed report: a parameter x output matrix of ST (Sobol) or μ* (Morris), then one
/// table per output with every statistic and interval.
fn table(report: &Report) -> String {
    let mut s = String::new();
    let sobol = report.method == "saltelli";
    let names: Vec<&str> = report
        .outputs
        .first()
        .map(|o| {
            o.params
                .iter()
                .map(|p| match p {
                    ParamResult::Sobol { path, .. } | ParamResult::Morris { path, .. } => path.as_str(),
                })
                .collect()
        })
        .unwrap_or_default();
    let w = names.iter().map(|n| n.len()).max().unwrap_or(9).max(9);
    let _ = writeln!(
        s,
        "{} of each run's {} value, averaged over {} replicate(s) per point; 95% bootstrap intervals ({} resamples)",
        if sobol {
            "Sobol indices (S1 first order, ST total)"
        } else {
            "Morris elementary effects (per whole parameter range)"
        },
        report.statistic.as_str(),
        report.replicates,
        report.bootstrap
    );
    let _ = writeln!(s, "\n{} (parameter x output):", if sobol { "ST" } else { "mu*" });
    let _ = write!(s, "{:w$}", "parameter");
    for o in &report.outputs {
        let _ = write!(s, "  {:>14}", o.metric);
    }
    s.push('\n');
    for (i, name) in names.iter().enumerate() {
        let _ = write!(s, "{name:w$}");
        for o in &report.outputs {
            let v = match &o.params[i] {
                ParamResult::Sobol { st, .. } => *st,
                ParamResult::Morris { mu_star, .. } => *mu_star,
            };
            let _ = write!(s, "  {:>14}", num(v));
        }
        s.push('\n');
    }
    for o in &report.outputs {
        let _ = write!(s, "\n{} ({})", o.metric, o.unit);
        if let (Some(u), Some(k)) = (o.base_samples_used, o.base_samples_skipped) {
            let _ = write!(s, ": {u} base samples, {k} skipped (NaN)");
        }
        if let Some(k) = o.effects_skipped {
            let _ = write!(s, ": {k} elementary effects skipped (NaN)");
        }
        s.push('\n');
        if sobol {
            let _ = writeln!(
                s,
                "{:w$}  {:>8}  {:>20}  {:>8}  {:>20}",
                "parameter", "S1", "95% CI", "ST", "95% CI"
            );
        } else {
            let _ = writeln!(
                s,
                "{:w$}  {:>10}  {:>24}  {:>10}  {:>10}  {:>12}",
                "parameter", "mu*", "95% CI", "mu", "sigma", "mu*/unit"
            );
        }
        for p in &o.params {
            match p {
                ParamResult::Sobol {
                    path,
                    s1,
                    s1_lo,
                    s1_hi,
                    st,
                    st_lo,
                    st_hi,
                    ..
                } => {
                    let _ = writeln!(
                        s,
                        "{path:w$}  {:>8}  {:>20}  {:>8}  {:>20}",
                        num(*s1),
                        interval(*s1_lo, *s1_hi),
                        num(*st),
                        interval(*st_lo, *st_hi)
                    );
                }
                ParamResult::Morris {
                    path,
                    mu,
                    mu_star,
                    mu_star_lo,
                    mu_star_hi,
                    sigma,
                    mu_star_per_unit,
                    ..
                } => {
                    let _ = writeln!(
                        s,
                        "{path:w$}  {:>10}  {:>24}  {:>10}  {:>10}  {:>12}",
                        num(*mu_star),
                        interval(*mu_star_lo, *mu_star_hi),
                        num(*mu),
                        num(*sigma),
                        num(*mu_star_per_unit)
                    );
                }
            }
        }
    }
    s
}

/// sensitivity.csv: one row per output and parameter.
fn csv(report: &Report) -> String {
    let mut s = String::new();
    if report.method == "saltelli" {
        s.push_str(
            "output,statistic,parameter,min,max,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi,base_samples_used,base_samples_skipped\n",
        );
    } else {
        s.push_str(
            "output,statistic,parameter,min,max,mu,mu_star,mu_star_lo,mu_star_hi,sigma,mu_star_per_unit,effects,effects_skipped\n",
        );
    }
    let stat = report.statistic.as_str();
    for o in &report.outputs {
        for p in &o.params {
            match p {
                ParamResult::Sobol {
                    path,
                    min,
                    max,
                    s1,
                    s1_lo,
                    s1_hi,
                    st,
                    st_lo,
                    st_hi,
                } => {
                    let _ = writeln!(
                        s,
                        "{},{stat},{path},{min},{max},{s1},{s1_lo},{s1_hi},{st},{st_lo},{st_hi},{},{}",
                        o.metric,
                        o.base_samples_used.unwrap_or(0),
                        o.base_samples_skipped.unwrap_or(0)
                    );
                }
                ParamResult::Morris {
                    path,
                    min,
                    max,
                    mu,
                    mu_star,
                    mu_star_lo,
                    mu_star_hi,
                    sigma,
                    mu_star_per_unit,
                    effects,
                } => {
                    let _ = writeln!(
                        s,
                        "{},{stat},{path},{min},{max},{mu},{mu_star},{mu_star_lo},{mu_star_hi},{sigma},{mu_star_per_unit},{effects},{}",
                        o.metric,
                        o.effects_skipped.unwrap_or(0)
                    );
                }
            }
        }
    }
    s
}

/// The chart of one output.
fn output_chart(report: &Report, o: &OutputResult) -> Chart {
    let params: Vec<String> = o
        .params
        .iter()
        .map(|p| match p {
            ParamResult::Sobol { path, .. } | ParamResult::Morris { path, .. } => path.clone(),
        })
        .collect();
    let pick = |f: &dyn Fn(&ParamResult) -> (f64, f64, f64)| o.params.iter().map(f).collect::<Vec<_>>();
    let reps = if report.replicates == 1 {
        String::new()
    } else {
        format!(", mean of {} replicates", report.replicates)
    };
    if report.method == "saltelli" {
        Chart {
            title: format!(
                "{}: Sobol indices of the {} value ({} base samples{reps})",
                o.metric,
                report.statistic.as_str(),
                o.base_samples_used.unwrap_or(0)
            ),
            x_desc: "share of output variance (95% bootstrap CI)".to_string(),
            params,
            series: vec![
                Series {
                    label: "S1 (first order)".to_string(),
                    values: pick(&|p| match p {
                        ParamResult::Sobol { s1, s1_lo, s1_hi, .. } => (*s1, *s1_lo, *s1_hi),
                        ParamResult::Morris { .. } => (f64::NAN, f64::NAN, f64::NAN),
                    }),
                },
                Series {
                    label: "ST (total)".to_string(),
                    values: pick(&|p| match p {
                        ParamResult::Sobol { st, st_lo, st_hi, .. } => (*st, *st_lo, *st_hi),
                        ParamResult::Morris { .. } => (f64::NAN, f64::NAN, f64::NAN),
                    }),
                },
            ],
        }
    } else {
        Chart {
            title: format!(
                "{}: Morris elementary effects of the {} value{reps}",
                o.metric,
                report.statistic.as_str()
            ),
            x_desc: format!("{} per whole parameter range", o.unit),
            params,
            series: vec![
                Series {
                    label: "mu* (mean |EE|, 95% CI)".to_string(),
                    values: pick(&|p| match p {
                        ParamResult::Morris {
                            mu_star,
                            mu_star_lo,
                            mu_star_hi,
                            ..
                        } => (*mu_star, *mu_star_lo, *mu_star_hi),
                        ParamResult::Sobol { .. } => (f64::NAN, f64::NAN, f64::NAN),
                    }),
                },
                Series {
                    label: "sigma (sd of EE)".to_string(),
                    values: pick(&|p| match p {
                        ParamResult::Morris { sigma, .. } => (*sigma, f64::NAN, f64::NAN),
                        ParamResult::Sobol { .. } => (f64::NAN, f64::NAN, f64::NAN),
                    }),
                },
            ],
        }
    }
}

/// `goldrush sensitivity`.
#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// Sweep spec file (TOML) with a saltelli (sobol) or morris design.
    #[arg(value_name = "SPEC.toml")]
    pub spec: PathBuf,
    /// Sweep output folder, also where the results go (an existing one must hold the same sweep).
    #[arg(long, value_name = "DIR", default_value = "sensitivity-out")]
    pub out: PathBuf,
    /// Runs at a time (default: all cores).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub jobs: Option<u64>,
    /// No progress bar and nothing on stdout.
    #[arg(long, short)]
    pub quiet: bool,
    /// Check the spec and every run's scenario, print the plan, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn sensitivity(opts: &SensitivityArgs) -> anyhow::Result<()> {
    let origin = opts.spec.display().to_string();
    let spec = sweep::load_spec(&opts.spec)?;
    let text = std::fs::read_to_string(&opts.spec)
        .map_err(|e| bad_input(format!("cannot read sweep spec {origin:?}: {}", io_message(&e))))?;
    let (_, analysis) = sweep_spec::parse_with_analysis(&text, &origin)?;
    let Some(sampling) = spec.sampling.clone() else {
        return Err(bad_input(format!(
            "{origin}: design = {:?}: goldrush sensitivity needs a saltelli (alias sobol) or morris \
             design (see `goldrush sweep --help` and README's \"Sensitivity analysis\")",
            spec.design.as_str()
        )));
    };
    let outputs = chosen_outputs(&spec, &analysis);
    let sweep_opts = SweepArgs {
        spec: opts.spec.clone(),
        out: opts.out.clone(),
        jobs: opts.jobs,
        shard: None,
        csv: false,
        quiet: opts.quiet,
        dry_run: opts.dry_run,
    };
    if opts.dry_run {
        sweep::sweep(&sweep_opts)?;
        let names: Vec<&str> = outputs.iter().map(|m| m.name).collect();
        return emit(&format!(
            "would analyse {} ({} value, {} bootstrap resamples) by {} into {}\n",
            names.join(", "),
            analysis.statistic.as_str(),
            analysis.bootstrap,
            spec.design,
            opts.out.display()
        ));
    }
    if sweep::is_complete(&spec, &opts.out)? {
        if !opts.quiet {
            emit(&format!(
                "sweep {origin}: all {} runs already in {}; analysing them\n",
                spec.runs(),
                opts.out.display()
            ))?;
        }
    } else {
        sweep::sweep(&sweep_opts)?;
        if !sweep::is_complete(&spec, &opts.out)? {
            return Err(bad_input(format!(
                "not every run of {origin} is in {:?} yet (a shard of a cluster run?); run every \
                 shard, `goldrush merge` them into one folder, then `goldrush sensitivity {origin} --out FOLDER`",
                opts.out.display().to_string()
            )));
        }
    }
    let runs = spec.runs() as usize;
    let per_run = run_statistics(&opts.out.join("metrics.parquet"), runs, &outputs, analysis.statistic)?;
    let mut results = Vec::new();
    for (m, values) in outputs.iter().zip(&per_run) {
        let y = replicate_means(values, spec.replicates as usize);
        results.push(analyse(&spec, &sampling, analysis.bootstrap, m, &y)?);
    }
    let mut spec_json = serde_json::to_value(&spec)?;
    if let Some(o) = spec_json.as_object_mut() {
        o.remove("points");
    }
    let report = Report {
        goldrush_version: VERSION.to_string(),
        git_commit: GIT_COMMIT.to_string(),
        method: spec.design.as_str().to_string(),
        statistic: analysis.statistic,
        bootstrap: analysis.bootstrap,
        replicates: spec.replicates,
        spec: spec_json,
        outputs: results,
    };
    let json = serde_json::to_string_pretty(&report)? + "\n";
    let csv_text = csv(&report);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("sensitivity.csv".to_string(), csv_text.into_bytes()),
        ("sensitivity.json".to_string(), json.into_bytes()),
    ];
    for o in &report.outputs {
        let c = output_chart(&report, o);
        files.push((format!("sensitivity-{}.png", o.metric), chart::png(&c)?));
        files.push((format!("sensitivity-{}.svg", o.metric), chart::svg(&c)?));
    }
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let written = write_atomically(&opts.out, &refs, Vec::new())?;
    if !opts.quiet {
        let mut msg = table(&report);
        let _ = writeln!(
            msg,
            "\nwrote {} and {} charts in {}",
            written
                .iter()
                .take(2)
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            report.outputs.len(),
            opts.out.display()
        );
        emit(&msg)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_outputs_are_metrics() {
        for name in DEFAULT_OUTPUTS {
            assert!(METRICS.iter().any(|m| m.name == *name), "{name} is not a metric");
        }
    }

    #[test]
    fn replicate_means_skip_nan_replicates() {
        let m = replicate_means(&[1.0, 3.0, f64::NAN, 4.0, f64::NAN, f64::NAN], 2);
        assert_eq!(m[..2], [2.0, 4.0]);
        assert!(m[2].is_nan());
    }

    #[test]
    fn table_numbers_keep_three_significant_digits() {
        assert_eq!(num(0.31391), "0.314");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.0001234), "-1.23e-4");
        assert_eq!(num(f64::NAN), "-");
        assert_eq!(interval(0.1, 0.25), "[0.100, 0.250]");
    }
}
