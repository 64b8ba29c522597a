//! `goldrush calibrate SPEC.toml`: estimates scenario parameters from target moments, by the
//! simulated method of moments (SMM) or ABC-SMC, every run through the run engine
//! ([`crate::engine`], shared with `goldrush sweep`).
//!
//! A calibration is a sequence of **stages**. Stage 0 is the design (SMM: Sobol or LHS points;
//! ABC: generation 0, proposals from the prior); each later stage is one Nelder–Mead batch (the
//! points it asks for), the local sensitivity stage (± steps around the optimum), one ABC
//! generation, or the ABC estimate (the posterior median, run to report each moment's fit).
//! A stage's candidates are a pure function of the spec and the moments of the earlier stages'
//! runs, which are read back from disk: every invocation replays the finished stages from their
//! run files (nothing on disk is recomputed) and runs the first unfinished one. Hence:
//! - deterministic for any `--jobs` (each run is single-threaded; results are combined in plan
//!   order), resumable after `kill -9` (finished runs are kept; half-written files are
//!   temporary and redone), with byte-identical final files;
//! - shardable per stage: `--shard I/N` runs shard I of the current stage's runs (run index mod
//!   N) and exits; the next invocation (another shard, the next Slurm array, or one without
//!   `--shard`) sees the stage complete and moves on. Shards share the output folder.
//!
//! Each candidate runs the same `seeds` seeds (common random numbers). A run records its moments
//! (`evidence::moments` on `evidence::record_run`) in `runs/<id>.json`
//! (`s<stage>-c<candidate>-r<replicate>`), numbers as exact decimal strings.
//!
//! Output folder: `manifest.json` (claims the folder: spec, resolved scenario and targets
//! hashes), `runs/`, and when the calibration is complete `calibrate.json` (everything),
//! `calibrate.parquet` (every run), `estimate.toml` (a scenario that `extends` the calibrated
//! one with the estimated values) and charts (`objective_trace` for SMM; `posterior` for ABC).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use arrow_array::builder::{Float64Builder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use clap::Args;
use serde::{Deserialize, Serialize};
use sim_core::calibration::smm::Z90;
use sim_core::calibration::{self as cal, MomentData, Prior, Scale};

use crate::build_info::{GIT_COMMIT, VERSION};
use crate::calibrate_spec::{self, CalSpec, Method, SmmDesign};
use crate::cmd::sweep::{FNV_OFFSET, fnv1a_from};
use crate::engine::{self, RunJob};
use crate::errors::{bad_input, emit, io_message};
use crate::evidence::{self, TargetSet};
use crate::formats::parquet::parquet_bytes;
use crate::load::load_scenario;
use crate::output::write_atomically;
use crate::sweep_spec::seed_for;

/// A posterior (ABC) or approximate (SMM) 90% interval wider than this fraction of the prior
/// range (in unit space) is reported as "not identified".
pub const IDENTIFIED_FRAC: f64 = 0.5;

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// Calibration spec file (TOML).
    #[arg(value_name = "SPEC.toml")]
    pub spec: PathBuf,
    /// Output folder (created if missing; an existing one must hold the same calibration).
    #[arg(long, value_name = "DIR", default_value = "calibrate-out")]
    pub out: PathBuf,
    /// Runs at a time (default: SLURM_CPUS_PER_TASK inside a Slurm job, else all cores).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub jobs: Option<u64>,
    /// Run only shard I of the current stage's runs (run index mod N = I), then exit.
    #[arg(long, value_name = "I/N", value_parser = engine::parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Continue the calibration in --out; refuse (exit 2) if the folder holds none.
    #[arg(long)]
    pub resume: bool,
    /// Claim --out if new (manifest.json), print the current stage (`status: complete` or
    /// `status: stage K ...`) and exit; runs nothing.
    #[arg(long)]
    pub status: bool,
    /// Check the spec (scenario, parameters at both bounds, targets), print the plan, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// No summary table on stdout.
    #[arg(long, short)]
    pub quiet: bool,
}

/// What the folder's manifest.json holds: the calibration's identity.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    kind: String,
    goldrush_version: String,
    git_commit: String,
    spec: CalSpec,
    /// FNV-1a of the resolved scenario (fixed `set` applied) as TOML.
    scenario_hash: String,
    /// FNV-1a of the selected targets' ids, values, intervals and weights.
    targets_hash: String,
    target_ids: Vec<String>,
}

const MANIFEST_KIND: &str = "goldrush calibration";

fn same_calibration(a: &Manifest, b: &Manifest) -> bool {
    a.kind == b.kind
        // The spec as recorded (not where its lines were).
        && serde_json::to_value(&a.spec).ok() == serde_json::to_value(&b.spec).ok()
        && a.scenario_hash == b.scenario_hash
        && a.targets_hash == b.targets_hash
        && a.target_ids == b.target_ids
}

/// Everything a calibration needs, validated.
struct Setup {
    spec: CalSpec,
    origin: String,
    /// The scenario as `load_scenario` takes it (builtin name or path).
    scenario: String,
    base_scenario: sim_core::Scenario,
    targets: TargetSet,
    data: Vec<MomentData>,
    priors: Vec<Prior>,
    seeds: Vec<u64>,
    manifest: Manifest,
}

fn hex(h: u64) -> String {
    format!("0x{h:016x}")
}

/// Reads and validates the spec, the scenario at every parameter's bounds and the targets.
fn setup(path: &Path) -> anyhow::Result<Setup> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad_input(format!("cannot read calibration spec {origin:?}: {}", io_message(&e))))?;
    let spec = calibrate_spec::parse(&text, &origin)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let scenario = if sim_core::scenario::builtin(&spec.scenario).is_some() {
        spec.scenario.clone()
    } else {
        dir.join(&spec.scenario).display().to_string()
    };
    let base = load_scenario(&scenario, &spec.set)
        .with_context(|| format!("{}: scenario = {:?}", spec.scenario_location, spec.scenario))?;
    let mut errors = Vec::new();
    for p in &spec.params {
        for (bound, x) in [("min", p.min), ("max", p.max)] {
            let mut o = spec.set.clone();
            o.push(format!("{}={}", p.path, p.literal(x)));
            if let Err(e) = load_scenario(&scenario, &o) {
                let chain: Vec<String> = e.chain().skip(1).map(|c| c.to_string()).collect();
                errors.push(format!(
                    "{}: params.{bound} = {x} for {:?} does not give a valid scenario: {}",
                    p.location,
                    p.path,
                    chain.join(": ")
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(bad_input(errors.join("\n")));
    }
    let targets_path = dir.join(&spec.targets);
    let all = evidence::load_targets(&targets_path)
        .with_context(|| format!("{}: targets = {:?}", spec.targets_location, spec.targets))?;
    for (id, loc) in spec.target_ids.iter().zip(&spec.target_locations) {
        if !all.targets.iter().any(|t| &t.id == id) {
            return Err(bad_input(format!(
                "{loc}: target_ids: no target {id:?} in {} (targets there: {})",
                targets_path.display(),
                all.targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let targets = if spec.target_ids.is_empty() {
        all
    } else {
        all.select(&spec.target_ids)?
    };
    if targets.targets.is_empty() {
        return Err(bad_input(format!("{}: no targets to fit", spec.targets_location)));
    }
    targets
        .check_producible(&base.scenario)
        .with_context(|| format!("{origin}: a target the scenario {:?} cannot produce", spec.scenario))?;
    let data: Vec<MomentData> = targets
        .targets
        .iter()
        .map(|t| MomentData {
            value: t.value,
            lower: t.lower,
            upper: t.upper,
            weight: t.weight,
        })
        .collect();
    let priors: Vec<Prior> = spec
        .params
        .iter()
        .map(|p| Prior {
            path: p.path.clone(),
            lo: p.min,
            hi: p.max,
            scale: if p.log { Scale::Log } else { Scale::Linear },
        })
        .collect();
    let seeds = (0..spec.seeds).map(|r| seed_for(spec.seed, 0, r)).collect();
    let scenario_hash = hex(fnv1a_from(
        FNV_OFFSET,
        sim_core::scenario::to_toml(&base.scenario).as_bytes(),
    ));
    let mut th = FNV_OFFSET;
    for t in &targets.targets {
        th = fnv1a_from(
            th,
            format!("{}|{:?}|{:?}|{:?}|{:?};", t.id, t.value, t.lower, t.upper, t.weight).as_bytes(),
        );
    }
    let manifest = Manifest {
        kind: MANIFEST_KIND.to_string(),
        goldrush_version: VERSION.to_string(),
        git_commit: GIT_COMMIT.to_string(),
        spec: spec.clone(),
        scenario_hash,
        targets_hash: hex(th),
        target_ids: targets.targets.iter().map(|t| t.id.clone()).collect(),
    };
    Ok(Setup {
        spec,
        origin,
        scenario,
        base_scenario: base.scenario,
        targets,
        data,
        priors,
        seeds,
        manifest,
    })
}

impl Setup {
    /// Parameter values (rounded for integer parameters) of a unit-space point.
    fn values(&self, unit: &[f64]) -> Vec<f64> {
        self.spec
            .params
            .iter()
            .zip(&self.priors)
            .zip(unit)
            .map(|((p, prior), &u)| p.value(prior.from_unit(u.clamp(0.0, 1.0))))
            .collect()
    }

    fn overrides(&self, unit: &[f64]) -> Vec<String> {
        let mut o = self.spec.set.clone();
        for (p, x) in self.spec.params.iter().zip(self.values(unit)) {
            o.push(format!("{}={}", p.path, p.literal(x)));
        }
        o
    }
}

/// What kind of stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum StageKind {
    Design,
    NelderMead,
    Sensitivity,
    AbcGeneration,
    Estimate,
}

/// A stage's candidates (unit space).
struct StagePlan {
    kind: StageKind,
    candidates: Vec<Vec<f64>>,
}

/// One run: a candidate of a stage with one of the seeds.
struct CalJob<'a> {
    setup: &'a Setup,
    stage: usize,
    candidate: usize,
    replicate: usize,
    unit: &'a [f64],
}

fn run_id(stage: usize, candidate: usize, replicate: usize) -> String {
    format!("s{stage:03}-c{candidate:05}-r{replicate:03}")
}

/// A run's file: its moments in the targets' order, as exact decimal strings (`NaN` when the
/// moment is undefined in that run).
#[derive(Debug, Serialize, Deserialize)]
struct RunFile {
    id: String,
    stage: usize,
    candidate: usize,
    replicate: usize,
    seed: u64,
    unit: Vec<String>,
    params: BTreeMap<String, String>,
    targets: Vec<String>,
    moments: Vec<String>,
}

fn exact(x: f64) -> String {
    format!("{x:?}")
}

impl RunJob for CalJob<'_> {
    fn id(&self) -> String {
        run_id(self.stage, self.candidate, self.replicate)
    }
    fn index(&self) -> u64 {
        (self.candidate * self.setup.seeds.len() + self.replicate) as u64
    }
    fn files(&self) -> Vec<String> {
        vec![format!("{}.json", self.id())]
    }
    fn run(&self) -> anyhow::Result<Vec<Vec<u8>>> {
        let s = self.setup;
        let seed = s.seeds[self.replicate];
        let mut o = s.overrides(self.unit);
        o.push(format!("run.seed={seed}"));
        let loaded = load_scenario(&s.scenario, &o)?;
        let record = evidence::record_run(loaded.scenario)?;
        let moments = evidence::moments(&s.targets, &record);
        let file = RunFile {
            id: self.id(),
            stage: self.stage,
            candidate: self.candidate,
            replicate: self.replicate,
            seed,
            unit: self.unit.iter().map(|&u| exact(u)).collect(),
            params: s
                .spec
                .params
                .iter()
                .zip(s.values(self.unit))
                .map(|(p, x)| (p.path.clone(), p.literal(x)))
                .collect(),
            targets: s.manifest.target_ids.clone(),
            moments: moments.iter().map(|&m| exact(m)).collect(),
        };
        Ok(vec![(serde_json::to_string_pretty(&file)? + "\n").into_bytes()])
    }
}

/// Reads a finished run's moments back, checking it is the run planned.
fn read_run(runs_dir: &Path, job: &CalJob<'_>) -> anyhow::Result<Vec<f64>> {
    let p = runs_dir.join(format!("{}.json", job.id()));
    let text = std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
    let f: RunFile =
        serde_json::from_str(&text).with_context(|| format!("{}: not a calibration run file", p.display()))?;
    let unit: Vec<String> = job.unit.iter().map(|&u| exact(u)).collect();
    if f.unit != unit || f.seed != job.setup.seeds[job.replicate] || f.targets != job.setup.manifest.target_ids {
        return Err(bad_input(format!(
            "{}: candidate, seed or targets differ from the plan (a run of another calibration?); \
             delete it to redo the run",
            p.display()
        )));
    }
    f.moments
        .iter()
        .map(|m| {
            m.parse::<f64>()
                .map_err(|_| bad_input(format!("{}: moment {m:?} is not a number", p.display())))
        })
        .collect()
}

/// A candidate's evaluation.
#[derive(Debug, Clone, Serialize)]
struct Evaluated {
    candidate: usize,
    unit: Vec<f64>,
    params: BTreeMap<String, f64>,
    objective: f64,
    /// Mean over seeds of each moment (NaN seeds skipped), by target id.
    moments: BTreeMap<String, f64>,
    #[serde(skip)]
    by_seed: Vec<Vec<f64>>,
    #[serde(skip)]
    mean: Vec<f64>,
    #[serde(skip)]
    obj: Option<cal::Objective>,
}

fn mean_skip_nan(xs: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0u32);
    for x in xs {
        if x.is_finite() {
            s += x;
            n += 1;
        }
    }
    if n == 0 { f64::NAN } else { s / f64::from(n) }
}

fn evaluate(setup: &Setup, candidate: usize, unit: &[f64], by_seed: Vec<Vec<f64>>) -> Evaluated {
    let obj = cal::smm_objective(&by_seed, &setup.data);
    let k = setup.data.len();
    let mean: Vec<f64> = (0..k).map(|j| mean_skip_nan(by_seed.iter().map(|r| r[j]))).collect();
    Evaluated {
        candidate,
        unit: unit.to_vec(),
        params: setup
            .spec
            .params
            .iter()
            .zip(setup.values(unit))
            .map(|(p, x)| (p.path.clone(), x))
            .collect(),
        objective: obj.value,
        moments: setup
            .manifest
            .target_ids
            .iter()
            .cloned()
            .zip(mean.iter().copied())
            .collect(),
        by_seed,
        mean,
        obj: Some(obj),
    }
}

/// A finished stage, as calibrate.json records it.
#[derive(Debug, Serialize)]
struct StageRecord {
    stage: usize,
    kind: StageKind,
    candidates: Vec<Evaluated>,
    #[serde(skip_serializing_if = "Option::is_none")]
    population: Option<PopulationRecord>,
}

/// An ABC generation's population.
#[derive(Debug, Serialize)]
struct PopulationRecord {
    generation: usize,
    epsilon: f64,
    ess: f64,
    acceptance: f64,
    /// Particles in parameter units, by parameter path.
    particles: Vec<BTreeMap<String, f64>>,
    weights: Vec<f64>,
    distances: Vec<f64>,
}

/// The method's state, advanced stage by stage.
enum Driver {
    Smm(SmmState),
    Abc(AbcState),
}

enum SmmPhase {
    Design,
    Nm(Box<cal::NelderMead>),
    Sensitivity { center: Vec<f64>, h: f64 },
    Done,
}

struct SmmState {
    phase: SmmPhase,
    best: Option<Evaluated>,
    /// Every evaluation in order: (stage, objective).
    trace: Vec<(usize, f64)>,
    sensitivity: Option<(Vec<f64>, f64, Vec<Evaluated>)>,
}

enum AbcPhase {
    Generation(usize),
    Estimate,
    Done,
}

struct AbcState {
    cfg: cal::AbcConfig,
    phase: AbcPhase,
    pops: Vec<cal::Population>,
    estimate: Option<Evaluated>,
    stop_reason: String,
}

impl AbcState {
    /// The posterior sample: the last population with particles (a generation in which no
    /// proposal came within the previous tolerance keeps none, and ends the run).
    fn posterior(&self) -> Option<&cal::Population> {
        self.pops.iter().rev().find(|p| !p.particles.is_empty())
    }
}

impl Driver {
    fn new(setup: &Setup) -> Self {
        match &setup.spec.method {
            Method::Smm { .. } => Driver::Smm(SmmState {
                phase: SmmPhase::Design,
                best: None,
                trace: Vec::new(),
                sensitivity: None,
            }),
            Method::AbcSmc {
                particles,
                batch,
                generations,
                min_acceptance,
            } => Driver::Abc(AbcState {
                cfg: cal::AbcConfig {
                    particles: *particles as usize,
                    batch: *batch as usize,
                    generations: *generations as usize,
                    min_acceptance: *min_acceptance,
                    seed: setup.spec.seed,
                },
                phase: AbcPhase::Generation(0),
                pops: Vec::new(),
                estimate: None,
                stop_reason: String::new(),
            }),
        }
    }

    /// The next stage's plan, `None` when the calibration is complete.
    fn next(&mut self, setup: &Setup) -> Option<StagePlan> {
        let d = setup.priors.len();
        match self {
            Driver::Smm(s) => {
                let Method::Smm { design, points, .. } = &setup.spec.method else {
                    unreachable!("an SMM driver has an SMM spec")
                };
                loop {
                    match &mut s.phase {
                        SmmPhase::Design => {
                            let candidates = match design {
                                SmmDesign::Sobol => cal::sobol(*points as usize, d, setup.spec.seed),
                                SmmDesign::Lhs => {
                                    crate::sweep_spec::lhs(setup.spec.seed, *points, &vec![(0.0, 1.0, false); d])
                                        .into_iter()
                                        .map(|p| p.iter().map(|v| v.parse::<f64>().unwrap_or(0.5)).collect())
                                        .collect()
                                }
                            };
                            return Some(StagePlan {
                                kind: StageKind::Design,
                                candidates,
                            });
                        }
                        SmmPhase::Nm(nm) => {
                            if nm.done() {
                                let (x, _) = nm.best();
                                let Method::Smm { sensitivity_step, .. } = &setup.spec.method else {
                                    unreachable!()
                                };
                                // The optimum seen anywhere (design or Nelder–Mead).
                                let center = s.best.as_ref().map_or(x, |b| b.unit.clone());
                                s.phase = SmmPhase::Sensitivity {
                                    center,
                                    h: *sensitivity_step,
                                };
                                continue;
                            }
                            return Some(StagePlan {
                                kind: StageKind::NelderMead,
                                candidates: nm.ask(),
                            });
                        }
                        SmmPhase::Sensitivity { center, h } => {
                            // Central differences around the optimum, each step shortened to
                            // stay in the prior (one-sided at its edge): + then − per parameter.
                            let dp = cal::difference_points(center, *h);
                            let candidates = dp.plus.into_iter().zip(dp.minus).flat_map(|(p, m)| [p, m]).collect();
                            return Some(StagePlan {
                                kind: StageKind::Sensitivity,
                                candidates,
                            });
                        }
                        SmmPhase::Done => return None,
                    }
                }
            }
            Driver::Abc(a) => match a.phase {
                AbcPhase::Generation(g) => Some(StagePlan {
                    kind: StageKind::AbcGeneration,
                    candidates: cal::abc_propose(&a.cfg, &setup.priors, a.pops.last(), g),
                }),
                AbcPhase::Estimate => {
                    // The posterior median (the prior's centre if no particle was ever kept).
                    let unit = match a.posterior() {
                        Some(pop) => {
                            let m = cal::marginals(&setup.priors, pop);
                            setup.priors.iter().zip(&m).map(|(p, m)| p.to_unit(m.q50)).collect()
                        }
                        None => vec![0.5; setup.priors.len()],
                    };
                    Some(StagePlan {
                        kind: StageKind::Estimate,
                        candidates: vec![unit],
                    })
                }
                AbcPhase::Done => None,
            },
        }
    }

    /// Takes the evaluations of the stage `next` planned; returns its record.
    fn tell(&mut self, setup: &Setup, stage: usize, plan: &StagePlan, evals: Vec<Evaluated>) -> StageRecord {
        let mut population = None;
        match self {
            Driver::Smm(s) => {
                for e in &evals {
                    s.trace.push((stage, e.objective));
                    if plan.kind != StageKind::Sensitivity && s.best.as_ref().is_none_or(|b| e.objective < b.objective)
                    {
                        s.best = Some(e.clone());
                    }
                }
                let Method::Smm {
                    max_evals, step, tol, ..
                } = &setup.spec.method
                else {
                    unreachable!()
                };
                match &mut s.phase {
                    SmmPhase::Design => {
                        let x0 = s.best.as_ref().map(|b| b.unit.clone()).unwrap_or_default();
                        s.phase = SmmPhase::Nm(Box::new(
                            cal::NelderMead::new(x0, *step, *max_evals as usize, *tol).adaptive(),
                        ));
                    }
                    SmmPhase::Nm(nm) => {
                        let values: Vec<f64> = evals.iter().map(|e| e.objective).collect();
                        nm.tell(&values);
                    }
                    SmmPhase::Sensitivity { center, h } => {
                        s.sensitivity = Some((center.clone(), *h, evals.clone()));
                        s.phase = SmmPhase::Done;
                    }
                    SmmPhase::Done => {}
                }
            }
            Driver::Abc(a) => match a.phase {
                AbcPhase::Generation(g) => {
                    let distances: Vec<f64> = evals.iter().map(|e| e.objective).collect();
                    let pop = cal::abc_update(&a.cfg, &setup.priors, a.pops.last(), g, &plan.candidates, &distances);
                    population = Some(population_record(setup, &pop));
                    let stop = cal::abc_stop(&a.cfg, &pop);
                    let acceptance = pop.acceptance;
                    a.pops.push(pop);
                    match stop {
                        Some(why) => {
                            a.stop_reason = match why {
                                cal::abc::AbcStop::Generations => format!("{} generations done", g + 1),
                                cal::abc::AbcStop::Acceptance => format!(
                                    "acceptance {acceptance:.3} below min_acceptance {} in generation {g}",
                                    a.cfg.min_acceptance
                                ),
                                cal::abc::AbcStop::Empty => {
                                    format!("no proposal within the last tolerance in generation {g}")
                                }
                            };
                            a.phase = AbcPhase::Estimate;
                        }
                        None => a.phase = AbcPhase::Generation(g + 1),
                    }
                }
                AbcPhase::Estimate => {
                    a.estimate = evals.first().cloned();
                    a.phase = AbcPhase::Done;
                }
                AbcPhase::Done => {}
            },
        }
        StageRecord {
            stage,
            kind: plan.kind,
            candidates: evals,
            population,
        }
    }
}

fn population_record(setup: &Setup, pop: &cal::Population) -> PopulationRecord {
    PopulationRecord {
        generation: pop.generation,
        epsilon: pop.epsilon,
        ess: pop.ess,
        acceptance: pop.acceptance,
        particles: pop
            .particles
            .iter()
            .map(|u| {
                setup
                    .spec
                    .params
                    .iter()
                    .zip(setup.values(u))
                    .map(|(p, x)| (p.path.clone(), x))
                    .collect()
            })
            .collect(),
        weights: pop.weights.clone(),
        distances: pop.distances.clone(),
    }
}

/// How the runs of this invocation go.
struct RunHow {
    shard: Option<(u64, u64)>,
    jobs: usize,
    quiet: bool,
}

/// What this invocation ran.
#[derive(Default)]
struct Tally {
    ran: usize,
    run_seconds: f64,
}

/// Where the calibration stands.
enum Progress {
    /// Every stage done.
    Complete(Vec<StageRecord>, Box<Driver>),
    /// Stage `stage` has `done` of `total` runs.
    Waiting {
        stage: usize,
        kind: StageKind,
        done: usize,
        total: usize,
    },
}

/// Replays the finished stages from disk; runs the first unfinished one (`run` false: only
/// reports it). With a shard, runs that shard of the current stage and stops.
fn advance(setup: &Setup, out: &Path, run: bool, how: &RunHow, tally: &mut Tally) -> anyhow::Result<Progress> {
    let runs_dir = out.join("runs");
    let mut driver = Driver::new(setup);
    let mut stages = Vec::new();
    let seeds = setup.seeds.len();
    let mut stage = 0usize;
    let mut ran_here = false;
    while let Some(plan) = driver.next(setup) {
        let jobs_list: Vec<CalJob<'_>> = plan
            .candidates
            .iter()
            .enumerate()
            .flat_map(|(c, unit)| {
                (0..seeds).map(move |r| CalJob {
                    setup,
                    stage,
                    candidate: c,
                    replicate: r,
                    unit,
                })
            })
            .collect();
        let done = jobs_list.iter().filter(|j| engine::is_done(&runs_dir, *j)).count();
        if done < jobs_list.len() {
            if !run || (how.shard.is_some() && ran_here) {
                return Ok(Progress::Waiting {
                    stage,
                    kind: plan.kind,
                    done,
                    total: jobs_list.len(),
                });
            }
            let e = engine::execute(&runs_dir, &jobs_list, how.shard, how.jobs, how.quiet)?;
            tally.ran += e.ran;
            tally.run_seconds += e.seconds;
            ran_here = true;
            let done = jobs_list.iter().filter(|j| engine::is_done(&runs_dir, *j)).count();
            if done < jobs_list.len() {
                return Ok(Progress::Waiting {
                    stage,
                    kind: plan.kind,
                    done,
                    total: jobs_list.len(),
                });
            }
        }
        let mut evals = Vec::with_capacity(plan.candidates.len());
        for (c, unit) in plan.candidates.iter().enumerate() {
            let by_seed: Vec<Vec<f64>> = jobs_list[c * seeds..(c + 1) * seeds]
                .iter()
                .map(|j| read_run(&runs_dir, j))
                .collect::<anyhow::Result<_>>()?;
            evals.push(evaluate(setup, c, unit, by_seed));
        }
        stages.push(driver.tell(setup, stage, &plan, evals));
        stage += 1;
    }
    Ok(Progress::Complete(stages, Box::new(driver)))
}

/// `goldrush calibrate`.
pub fn calibrate(opts: &CalibrateArgs) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let setup = setup(&opts.spec)?;
    let shard = match opts.shard {
        Some(s) => Some(s),
        None => engine::shard_from_slurm()?,
    };
    let n_params = setup.priors.len();
    if opts.dry_run {
        if !opts.quiet {
            let (stage0, runs0) = match &setup.spec.method {
                Method::Smm {
                    points,
                    design,
                    max_evals,
                    ..
                } => (
                    format!(
                        "smm: stage 0 {design:?} design of {points} candidates, then Nelder–Mead (at most {max_evals} candidates), then {} sensitivity candidates",
                        2 * n_params
                    ),
                    *points,
                ),
                Method::AbcSmc {
                    particles,
                    batch,
                    generations,
                    ..
                } => (
                    format!(
                        "abc-smc: up to {generations} generations of {batch} proposals keeping {particles} particles, then the posterior median"
                    ),
                    *batch,
                ),
            };
            emit(&format!(
                "OK: {}: {} parameters, {} targets, {} seeds per candidate; {stage0}; stage 0 has {} runs of {} (scenario valid at every parameter's bounds); nothing written\n",
                setup.origin,
                n_params,
                setup.data.len(),
                setup.seeds.len(),
                runs0 * setup.seeds.len() as u64,
                setup.spec.scenario
            ))?;
        }
        return Ok(());
    }
    let existing = opts.out.join("manifest.json").is_file();
    if opts.resume && !existing {
        return Err(bad_input(format!(
            "{:?} holds no calibration (no manifest.json); start one without --resume",
            opts.out.display().to_string()
        )));
    }
    claim(&opts.out, &setup.manifest)?;
    let jobs = opts.jobs.map_or_else(engine::default_jobs, |j| j as usize);
    let how = RunHow {
        shard,
        jobs,
        quiet: opts.quiet,
    };
    let mut tally = Tally::default();
    let progress = advance(&setup, &opts.out, !opts.status, &how, &mut tally)?;
    let (ran, run_seconds) = (tally.ran, tally.run_seconds);
    let rate = if run_seconds > 0.0 {
        ran as f64 / run_seconds
    } else {
        0.0
    };
    match progress {
        Progress::Waiting {
            stage,
            kind,
            done,
            total,
        } => {
            let kind = serde_json::to_value(kind)?.as_str().unwrap_or("").to_string();
            let mut msg = format!("status: stage {stage} ({kind}): {done} of {total} runs done\n");
            if !opts.status {
                msg.push_str(&format!(
                    "ran {ran} runs in {run_seconds:.2} s ({rate:.2} runs/s, {jobs} jobs){}\n",
                    shard.map_or(String::new(), |(k, n)| format!(", shard {k}/{n}"))
                ));
            }
            emit(&msg)?;
            Ok(())
        }
        Progress::Complete(stages, driver) => {
            if opts.status || shard.is_some() {
                emit(&format!(
                    "status: complete ({} stages); {}\n",
                    stages.len(),
                    if ran > 0 {
                        format!("ran {ran} runs in {run_seconds:.2} s ({rate:.2} runs/s); ")
                    } else {
                        String::new()
                    } + "run without --shard/--status to write the results"
                ))?;
                return Ok(());
            }
            let summary = finish(&setup, &opts.out, stages, *driver)?;
            if !opts.quiet {
                emit(&format!(
                    "{summary}ran {ran} runs in {run_seconds:.2} s ({rate:.2} runs/s, {jobs} jobs); total {:.2} s\n",
                    t0.elapsed().as_secs_f64()
                ))?;
            }
            Ok(())
        }
    }
}

fn claim(out: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let shown = out.display().to_string();
    let json = serde_json::to_string_pretty(manifest)? + "\n";
    let same = |text: &str| -> anyhow::Result<bool> {
        let old: Manifest = serde_json::from_str(text).map_err(|e| {
            bad_input(format!(
                "{}: not a goldrush calibration manifest ({e}); use another --out",
                out.join("manifest.json").display()
            ))
        })?;
        Ok(same_calibration(&old, manifest))
    };
    engine::claim_folder(
        out,
        &engine::Claim {
            manifest: "manifest.json",
            contents: json.as_bytes(),
            same: &same,
            different: format!(
                "output folder {shown:?} holds a different calibration (its manifest.json has another \
                 spec, scenario or targets); use another --out, or delete the folder to start over"
            ),
            orphan_runs: format!(
                "output folder {shown:?} has a runs/ folder but no manifest.json; refusing to mix \
                 (use another --out)"
            ),
        },
    )
}

/// One moment's fit at the estimate.
#[derive(Debug, Serialize)]
struct Fit {
    id: String,
    data: f64,
    lower: f64,
    upper: f64,
    weight: f64,
    model_mean: f64,
    model_sd: f64,
    z: f64,
    contribution: f64,
}

fn fit_at(setup: &Setup, e: &Evaluated) -> Vec<Fit> {
    let obj = e.obj.as_ref();
    setup
        .targets
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let xs: Vec<f64> = e.by_seed.iter().map(|r| r[k]).filter(|x| x.is_finite()).collect();
            let m = e.mean[k];
            let sd = if xs.len() > 1 {
                let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64;
                sim_core::math::sqrt(v)
            } else {
                0.0
            };
            Fit {
                id: t.id.clone(),
                data: t.value,
                lower: t.lower,
                upper: t.upper,
                weight: t.weight,
                model_mean: m,
                model_sd: sd,
                z: obj.map_or(f64::NAN, |o| o.z[k]),
                contribution: obj.map_or(f64::NAN, |o| o.contributions[k]),
            }
        })
        .collect()
}

/// A parameter's estimate and interval.
#[derive(Debug, Serialize)]
struct Estimate {
    path: String,
    value: f64,
    /// 90% interval: the posterior's (ABC) or the asymptotic SMM one (± 1.645 standard errors
    /// from the local Jacobian, clipped to the prior).
    lower: f64,
    upper: f64,
    /// Interval width as a fraction of the prior range (unit space).
    unit_width: f64,
    identified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    posterior: Option<cal::Marginal>,
}

/// Writes calibrate.json, calibrate.parquet, estimate.toml and the charts; returns the summary.
fn finish(setup: &Setup, out: &Path, stages: Vec<StageRecord>, driver: Driver) -> anyhow::Result<String> {
    let d = setup.priors.len();
    let ids = &setup.manifest.target_ids;
    let mut doc = serde_json::Map::new();
    let mut sens_lines: Vec<String> = Vec::new();
    let (estimates, fit_eval, method_doc, charts) = match &driver {
        Driver::Smm(s) => {
            let best = s.best.clone().ok_or_else(|| anyhow::anyhow!("no SMM evaluation"))?;
            let (center, h, sens) = s
                .sensitivity
                .clone()
                .ok_or_else(|| anyhow::anyhow!("no sensitivity stage"))?;
            let dp = cal::difference_points(&center, h);
            let f_plus: Vec<Vec<f64>> = (0..d).map(|j| sens[2 * j].mean.clone()).collect();
            let f_minus: Vec<Vec<f64>> = (0..d).map(|j| sens[2 * j + 1].mean.clone()).collect();
            let jac = cal::jacobian_steps(&best.mean, &f_plus, &f_minus, &dp.h_plus, &dp.h_minus);
            let obj = best.obj.clone().expect("evaluated");
            let ls = cal::local_sensitivity(&jac, &obj, &setup.data, IDENTIFIED_FRAC);
            let estimates: Vec<Estimate> = (0..d)
                .map(|j| {
                    let se = ls.se_unit[j];
                    let u = best.unit[j];
                    let (lo, hi) = ((u - Z90 * se).max(0.0), (u + Z90 * se).min(1.0));
                    Estimate {
                        path: setup.spec.params[j].path.clone(),
                        value: setup.values(&best.unit)[j],
                        lower: setup.spec.params[j].value(setup.priors[j].from_unit(lo)),
                        upper: setup.spec.params[j].value(setup.priors[j].from_unit(hi)),
                        unit_width: 2.0 * Z90 * se,
                        identified: ls.identified[j],
                        posterior: None,
                    }
                })
                .collect();
            // Which parameters each moment pins down: s_kj = |dm_k/du_j| / sd_k >= 1 (the
            // moment moves by a standard deviation or more across the parameter's prior).
            let name = |j: usize| setup.spec.params[j].path.clone();
            let sensitivity: Vec<serde_json::Value> = ids
                .iter()
                .enumerate()
                .map(|(k, id)| {
                    let row: BTreeMap<String, f64> = (0..d).map(|j| (name(j), ls.jacobian[k][j])).collect();
                    let norm: BTreeMap<String, f64> = (0..d).map(|j| (name(j), ls.normalised[k][j])).collect();
                    let pins: Vec<String> = ls.pinned_by(k, 1.0).into_iter().map(name).collect();
                    serde_json::json!({"target": id, "d_moment_d_unit": row, "normalised": norm, "pins_down": pins})
                })
                .collect();
            sens_lines = ids
                .iter()
                .enumerate()
                .map(|(k, id)| {
                    let pins: Vec<String> = ls.pinned_by(k, 1.0).into_iter().map(name).collect();
                    format!(
                        "  {id}: {}",
                        if pins.is_empty() {
                            "none".to_string()
                        } else {
                            pins.join(", ")
                        }
                    )
                })
                .collect();
            let method_doc = serde_json::json!({
                "optimum": best.params,
                "optimum_unit": best.unit,
                "objective": best.objective,
                "evaluations": s.trace.len(),
                "trace": s.trace.iter().map(|(st, v)| serde_json::json!({"stage": st, "objective": v})).collect::<Vec<_>>(),
                "sensitivity_center_unit": center,
                "sensitivity_step": h,
                "jacobian": jac,
                "se_unit": ls.se_unit,
                "sensitivity": sensitivity,
            });
            let charts = smm_charts(&s.trace)?;
            (estimates, best, method_doc, charts)
        }
        Driver::Abc(a) => {
            let pop = a
                .posterior()
                .ok_or_else(|| anyhow::anyhow!("no ABC generation kept any particle (every distance NaN?)"))?;
            let marg = cal::marginals(&setup.priors, pop);
            let est = a.estimate.clone().ok_or_else(|| anyhow::anyhow!("no estimate stage"))?;
            let estimates: Vec<Estimate> = marg
                .iter()
                .enumerate()
                .map(|(j, m)| {
                    let unit_width = setup.priors[j].to_unit(m.q95) - setup.priors[j].to_unit(m.q05);
                    Estimate {
                        path: m.path.clone(),
                        value: setup.values(&est.unit)[j],
                        lower: m.q05,
                        upper: m.q95,
                        unit_width,
                        identified: cal::identified(unit_width, IDENTIFIED_FRAC),
                        posterior: Some(m.clone()),
                    }
                })
                .collect();
            let method_doc = serde_json::json!({
                "generations": a.pops.len(),
                "stop": a.stop_reason,
                "ess": a.pops.iter().map(|p| p.ess).collect::<Vec<_>>(),
                "epsilon": a.pops.iter().map(|p| p.epsilon).collect::<Vec<_>>(),
                "acceptance": a.pops.iter().map(|p| p.acceptance).collect::<Vec<_>>(),
                "posterior": population_record(setup, pop),
                "marginals": marg,
                "pairwise": cal::pairwise(&setup.priors, pop),
            });
            let names: Vec<String> = setup.spec.params.iter().map(|p| p.path.clone()).collect();
            let particles: Vec<Vec<f64>> = pop.particles.iter().map(|u| setup.values(u)).collect();
            let charts = abc_charts(names, particles, pop.weights.clone(), estimates_bounds(setup))?;
            (estimates, est, method_doc, charts)
        }
    };
    let fit = fit_at(setup, &fit_eval);
    doc.insert("goldrush_version".into(), VERSION.into());
    doc.insert("git_commit".into(), GIT_COMMIT.into());
    doc.insert("spec".into(), serde_json::to_value(&setup.spec)?);
    doc.insert("scenario_hash".into(), setup.manifest.scenario_hash.clone().into());
    doc.insert("targets_hash".into(), setup.manifest.targets_hash.clone().into());
    doc.insert("seeds".into(), serde_json::to_value(&setup.seeds)?);
    doc.insert(
        "targets".into(),
        serde_json::to_value(
            setup
                .targets
                .targets
                .iter()
                .map(|t| serde_json::json!({"id": t.id, "value": t.value, "lower": t.lower, "upper": t.upper, "weight": t.weight, "period": t.period}))
                .collect::<Vec<_>>(),
        )?,
    );
    doc.insert("method".into(), setup.spec.method.name().into());
    doc.insert("estimate".into(), serde_json::to_value(&estimates)?);
    doc.insert("objective_at_estimate".into(), fit_eval.objective.into());
    doc.insert("fit".into(), serde_json::to_value(&fit)?);
    doc.insert(setup.spec.method.name().replace('-', "_"), method_doc);
    doc.insert("stages".into(), serde_json::to_value(&stages)?);
    let json = serde_json::to_string_pretty(&serde_json::Value::Object(doc))? + "\n";
    let parquet = runs_parquet(setup, &stages)?;
    let estimate_toml = estimate_toml(setup, out, &estimates)?;
    let rendered = charts;
    let mut files: Vec<(&str, &[u8])> = vec![
        ("calibrate.parquet", parquet.as_slice()),
        ("estimate.toml", estimate_toml.as_bytes()),
    ];
    for (name, bytes) in &rendered {
        files.push((name.as_str(), bytes.as_slice()));
    }
    // calibrate.json last: its presence marks the results complete.
    files.push(("calibrate.json", json.as_bytes()));
    write_atomically(out, &files, Vec::new())?;
    let mut table = summary_table(setup, &estimates, &fit, &driver, fit_eval.objective, out);
    if !sens_lines.is_empty() {
        table = format!(
            "{table}which parameters each moment pins down (moves by >= 1 sd across the prior):\n{}\n",
            sens_lines.join("\n")
        );
    }
    Ok(table)
}

/// objective_trace.svg/png: every SMM candidate's objective and the best so far.
fn smm_charts(trace: &[(usize, f64)]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    use goldrush_charts::calibration::{Trace, trace_png, trace_svg};
    let mut stages: Vec<(usize, String)> = Vec::new();
    let labels = ["design", "Nelder–Mead", "sensitivity"];
    let mut last_stage = None;
    let mut phase = 0usize;
    for (i, (st, _)) in trace.iter().enumerate() {
        if last_stage != Some(*st) {
            // The design is stage 0; the sensitivity stage is the last one.
            let p = if *st == 0 {
                0
            } else if Some(*st) == trace.last().map(|t| t.0) {
                2
            } else {
                1
            };
            if p != phase || i == 0 {
                stages.push((i, labels[p].to_string()));
                phase = p;
            }
            last_stage = Some(*st);
        }
    }
    let chart = Trace {
        title: "SMM objective by candidate".into(),
        objectives: trace.iter().map(|t| t.1).collect(),
        stages,
    };
    Ok(vec![
        ("objective_trace.svg".into(), trace_svg(&chart)?),
        ("objective_trace.png".into(), trace_png(&chart)?),
    ])
}

/// posterior.svg/png: the final ABC population's marginals and pairwise scatter.
fn abc_charts(
    names: Vec<String>,
    particles: Vec<Vec<f64>>,
    weights: Vec<f64>,
    ranges: Vec<(f64, f64, bool)>,
) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    use goldrush_charts::calibration::{Pairs, pairs_png, pairs_svg};
    let chart = Pairs {
        title: "ABC-SMC posterior (last generation, weighted; log priors on log10 axes)".into(),
        names,
        ranges,
        particles,
        weights,
    };
    Ok(vec![
        ("posterior.svg".into(), pairs_svg(&chart)?),
        ("posterior.png".into(), pairs_png(&chart)?),
    ])
}

fn estimates_bounds(setup: &Setup) -> Vec<(f64, f64, bool)> {
    setup.spec.params.iter().map(|p| (p.min, p.max, p.log)).collect()
}

/// Every run, one row: stage, candidate, replicate, seed, parameter values, moments.
fn runs_parquet(setup: &Setup, stages: &[StageRecord]) -> anyhow::Result<Vec<u8>> {
    let mut fields = vec![
        Field::new("stage", DataType::UInt64, false),
        Field::new("candidate", DataType::UInt64, false),
        Field::new("replicate", DataType::UInt64, false),
        Field::new("seed", DataType::UInt64, false),
    ];
    for p in &setup.spec.params {
        fields.push(Field::new(&p.path, DataType::Float64, false));
    }
    for id in &setup.manifest.target_ids {
        fields.push(Field::new(format!("m:{id}"), DataType::Float64, false));
    }
    fields.push(Field::new("objective", DataType::Float64, false));
    let schema = Arc::new(Schema::new(fields));
    let mut u: Vec<UInt64Builder> = (0..4).map(|_| UInt64Builder::new()).collect();
    let d = setup.spec.params.len();
    let k = setup.manifest.target_ids.len();
    let mut f: Vec<Float64Builder> = (0..d + k + 1).map(|_| Float64Builder::new()).collect();
    for st in stages {
        for c in &st.candidates {
            let values = setup.values(&c.unit);
            for (r, row) in c.by_seed.iter().enumerate() {
                for (b, v) in u
                    .iter_mut()
                    .zip([st.stage as u64, c.candidate as u64, r as u64, setup.seeds[r]])
                {
                    b.append_value(v);
                }
                for (j, x) in values.iter().enumerate() {
                    f[j].append_value(*x);
                }
                for (m, x) in row.iter().enumerate() {
                    f[d + m].append_value(*x);
                }
                f[d + k].append_value(c.objective);
            }
        }
    }
    let mut cols: Vec<ArrayRef> = u.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
    cols.extend(f.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    let batch = RecordBatch::try_new(schema, cols)?;
    parquet_bytes(&batch)
}

/// A path to `to` relative to the folder `from` (both made absolute).
fn relative(from: &Path, to: &Path) -> anyhow::Result<String> {
    let abs = |p: &Path| -> anyhow::Result<PathBuf> {
        p.canonicalize()
            .with_context(|| format!("cannot resolve {}", p.display()))
    };
    let (from, to) = (abs(from)?, abs(to)?);
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..a.len() {
        rel.push("..");
    }
    for c in &b[common..] {
        rel.push(c.as_os_str());
    }
    Ok(rel.display().to_string().replace('\\', "/"))
}

/// Sets `path = literal` (a `--set` override) in a TOML table; `name[i]` segments address the
/// i-th entry of an array of named tables (`firms`, `nations`, `regimes`), merged by name.
fn set_path(root: &mut toml::Table, resolved: &toml::Table, path: &str, literal: &str) -> anyhow::Result<()> {
    let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {literal}"))
        .map_err(|e| anyhow::anyhow!("{path}={literal}: {e}"))?
        .remove("v")
        .ok_or_else(|| anyhow::anyhow!("{path}={literal}: no value"))?;
    let parts: Vec<&str> = path.split('.').collect();
    let mut table = root;
    let mut res: Option<&toml::Table> = Some(resolved);
    for seg in &parts[..parts.len() - 1] {
        if let Some((name, idx)) = seg.split_once('[') {
            let i: usize = idx
                .trim_end_matches(']')
                .parse()
                .map_err(|_| anyhow::anyhow!("{path}: bad index"))?;
            let entry_name = res
                .and_then(|r| r.get(name))
                .and_then(|a| a.as_array())
                .and_then(|a| a.get(i))
                .and_then(|e| e.get("name"))
                .and_then(|n| n.as_str())
                .ok_or_else(|| anyhow::anyhow!("{path}: {name}[{i}] has no name to merge by"))?
                .to_string();
            res = res
                .and_then(|r| r.get(name))
                .and_then(|a| a.as_array())
                .and_then(|a| a.get(i))
                .and_then(|e| e.as_table());
            let arr = table
                .entry(name.to_string())
                .or_insert_with(|| toml::Value::Array(Vec::new()))
                .as_array_mut()
                .ok_or_else(|| anyhow::anyhow!("{path}: {name} is not an array"))?;
            let pos = match arr
                .iter()
                .position(|e| e.get("name").and_then(|n| n.as_str()) == Some(&entry_name))
            {
                Some(p) => p,
                None => {
                    let mut t = toml::Table::new();
                    t.insert("name".into(), toml::Value::String(entry_name.clone()));
                    arr.push(toml::Value::Table(t));
                    arr.len() - 1
                }
            };
            table = arr[pos].as_table_mut().expect("pushed a table");
        } else {
            res = res.and_then(|r| r.get(*seg)).and_then(|t| t.as_table());
            table = table
                .entry(seg.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| anyhow::anyhow!("{path}: {seg} is not a table"))?;
        }
    }
    table.insert(parts[parts.len() - 1].to_string(), value);
    Ok(())
}

/// estimate.toml: `extends` the calibrated scenario, with the spec's fixed `set` and the
/// estimated values. Checked: loading it gives the same scenario as the overrides.
fn estimate_toml(setup: &Setup, out: &Path, estimates: &[Estimate]) -> anyhow::Result<String> {
    let extends = if sim_core::scenario::builtin(&setup.scenario).is_some() {
        setup.scenario.clone()
    } else {
        relative(out, Path::new(&setup.scenario))?
    };
    let resolved: toml::Table = toml::from_str(&sim_core::scenario::to_toml(&setup.base_scenario))
        .context("the resolved scenario is not TOML")?;
    let mut body = toml::Table::new();
    let mut overrides = setup.spec.set.clone();
    for (p, e) in setup.spec.params.iter().zip(estimates) {
        overrides.push(format!("{}={}", p.path, p.literal(e.value)));
    }
    for o in &overrides {
        let (path, lit) = o
            .split_once('=')
            .ok_or_else(|| bad_input(format!("set entry {o:?} is not path=value")))?;
        set_path(&mut body, &resolved, path.trim(), lit.trim())?;
    }
    let mut text = format!(
        "# The estimate of goldrush calibrate {} ({}), goldrush {VERSION}.\n# Run it: goldrush run estimate.toml; check it: goldrush backtest estimate.toml\nextends = {}\n",
        // The spec's file name only: the file's bytes do not depend on where it was invoked from.
        Path::new(&setup.origin)
            .file_name()
            .map_or(setup.origin.clone(), |n| n.to_string_lossy().to_string()),
        setup.spec.method.name(),
        toml::Value::String(extends)
    );
    if !body.contains_key("name") {
        text.push_str(&format!(
            "name = {}\n",
            toml::Value::String(format!("{} (calibrated)", setup.base_scenario.name))
        ));
    }
    text.push('\n');
    text.push_str(&toml::to_string(&body).context("cannot write estimate.toml")?);
    // Check: the file resolves to the same scenario as the overrides.
    let check_path = out.join(format!(".estimate-check.tmp-{}.toml", std::process::id()));
    std::fs::write(&check_path, &text).with_context(|| format!("cannot write {}", check_path.display()))?;
    let loaded = load_scenario(&check_path.display().to_string(), &[]);
    let _ = std::fs::remove_file(&check_path);
    let want = load_scenario(&setup.scenario, &overrides)?;
    let mut got = loaded.context("estimate.toml does not load")?.scenario;
    got.name = want.scenario.name.clone();
    got.description = want.scenario.description.clone();
    if sim_core::scenario::to_toml(&got) != sim_core::scenario::to_toml(&want.scenario) {
        anyhow::bail!("estimate.toml does not resolve to the estimated scenario (a goldrush bug)");
    }
    Ok(text)
}

fn summary_table(
    setup: &Setup,
    estimates: &[Estimate],
    fit: &[Fit],
    driver: &Driver,
    objective: f64,
    out: &Path,
) -> String {
    let mut s = format!(
        "calibrate {}: {} ({} parameters, {} targets, {} seeds per candidate)\n",
        setup.origin,
        setup.spec.method.name(),
        estimates.len(),
        fit.len(),
        setup.seeds.len()
    );
    if let Driver::Abc(a) = driver {
        s.push_str(&format!(
            "generations: {} ({}); ESS per generation:",
            a.pops.len(),
            a.stop_reason
        ));
        for p in &a.pops {
            s.push_str(&format!(" {:.1}", p.ess));
        }
        s.push('\n');
    }
    let w = estimates.iter().map(|e| e.path.len()).max().unwrap_or(9).max(9);
    s.push_str(&format!(
        "{:<w$}  {:>12}  {:>12}  {:>12}  identified\n",
        "parameter", "estimate", "90% lower", "90% upper"
    ));
    for e in estimates {
        s.push_str(&format!(
            "{:<w$}  {:>12.5}  {:>12.5}  {:>12.5}  {}\n",
            e.path,
            e.value,
            e.lower,
            e.upper,
            if e.identified {
                "yes"
            } else {
                "NO (interval wider than half the prior)"
            }
        ));
    }
    let w = fit.iter().map(|f| f.id.len()).max().unwrap_or(6).max(6);
    s.push_str(&format!(
        "objective at the estimate: {objective:.4}\n{:<w$}  {:>12}  {:>12}  {:>12}  {:>8}\n",
        "target", "data", "model mean", "model sd", "z"
    ));
    for f in fit {
        s.push_str(&format!(
            "{:<w$}  {:>12.5}  {:>12.5}  {:>12.5}  {:>8.2}\n",
            f.id, f.data, f.model_mean, f.model_sd, f.z
        ));
    }
    s.push_str(&format!(
        "wrote {0}/calibrate.json, calibrate.parquet, estimate.toml and charts in {0}\n",
        out.display()
    ));
    s
}
