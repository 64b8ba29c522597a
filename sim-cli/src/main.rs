//! `goldrush`: the command-line front end of the goldrush simulator.
//!
//! Every command funnels its errors into one place ([`main`]): the message and its whole context
//! chain go to stderr as `error: ...`, and the exit code says whose fault it was — 2 for bad
//! input (a scenario that does not parse or validate, a bad `--set`, a missing file, an output
//! directory that cannot be written), 1 for anything else. clap's usage errors keep clap's 2.

mod build_info;
mod calibrate_spec;
mod charts;
mod cmd;
mod engine;
mod errors;
mod evidence;
mod formats;
mod load;
mod output;
mod progress;
mod simulate;
mod sweep_spec;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd::backtest::BacktestArgs;
use crate::cmd::bench::BenchArgs;
use crate::cmd::calibrate::CalibrateArgs;
use crate::cmd::compare::CompareArgs;
use crate::cmd::docs::{DocArgs, ParamsArgs};
use crate::cmd::plot::PlotArgs;
use crate::cmd::run::RunArgs;
use crate::cmd::scenario::{ScenarioArgs, ValidateArgs};
use crate::cmd::sensitivity::SensitivityArgs;
use crate::cmd::sweep::{MergeArgs, SweepArgs};
use crate::errors::exit_code;

use crate::build_info::{LONG_VERSION, VERSION};

#[derive(Parser, Debug)]
#[command(
    name = "goldrush",
    version = VERSION,
    long_version = LONG_VERSION,
    about = "goldrush: a deterministic agent-based simulator of the AI economy",
    long_about = "goldrush: a deterministic agent-based simulator of the AI economy.\n\n\
        Who gets the GPUs, the users and the money? Run a scenario (built-in or a TOML file), \
        change any parameter with --set section.key=value, and read the monthly metrics \
        (metrics.csv) and the run summary (summary.json). The same scenario and seed always \
        give the same results and the same state hash.",
    after_help = "Examples:\n  goldrush run tiny --out out/tiny\n  goldrush run baseline --set allocation.priority_theta=1.5 --seed 7\n  goldrush show classroom > my.toml && goldrush validate my.toml\n  goldrush params | grep users."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario and write metrics.csv and summary.json (panel.csv with --panel, charts
    /// with --plots).
    #[command(
        long_about = "Run a scenario month by month and write metrics.csv (one row per month, \
            its calendar date (YYYY-MM, from run.start) after the month, one column per \
            metric; see `goldrush metrics`) and summary.json (version, seed, calendar start \
            and final date, state hash, final metrics, platforms, the fully resolved scenario, \
            and timings under \"timing\") into --out. With --panel, also panel.csv: the \
            firm-level panel, one row per firm per month (month, date, id, kind, nation, \
            founded, users, revenue, cash, compute, employees, talent, quality, alive, \
            exit_cause); a firm that exits appears a last \
            time in its exit month with alive=false and the cause. With --plots, also charts \
            as PNG and SVG: METRIC for the key metrics (those `goldrush compare` compares), \
            spot_vs_contract, platform_shares and startup_survival (see `goldrush plot \
            --help`). Files are written atomically. A short summary is printed on stdout; a progress bar on stderr when it \
            is a terminal."
    )]
    Run(RunArgs),
    /// List the built-in scenarios with their descriptions.
    Scenarios,
    /// Print a scenario fully resolved (extends and --set applied) as TOML.
    #[command(long_about = "Print a scenario fully resolved (extends and --set applied) as TOML. \
            The output is itself a valid scenario file: `goldrush show tiny > t.toml` then \
            `goldrush run t.toml` gives the same run as `goldrush run tiny`.")]
    Show(ScenarioArgs),
    /// Check a scenario file: parse, resolve extends, apply --set, validate every range.
    #[command(
        long_about = "Check a scenario file: parse it, resolve `extends`, apply --set overrides \
            and validate every parameter against its allowed range. Prints `OK: ...` and exits \
            0, or prints every problem with its file:line:column, key path and allowed range \
            and exits 2."
    )]
    Validate(ValidateArgs),
    /// Document every scenario parameter: path, unit, range, default, meaning, source.
    Params(ParamsArgs),
    /// Document every metric column of metrics.csv: name, unit, meaning.
    Metrics(DocArgs),
    /// Time repeated single-threaded runs of a scenario, or a whole sweep at several job counts.
    #[command(
        long_about = "Time repeated single-threaded runs of a scenario: for each run the setup \
            and stepping seconds, user agents, agent-months per second (user agents x months / \
            stepping seconds) and months per second, then the median of each. Prints the \
            command line and machine facts so results can be compared. Writes no files.\n\n\
            With --sweep SPEC.toml: the sweep throughput benchmark. The whole sweep (runs, \
            per-run files and combined files) runs into a fresh temporary folder (removed \
            afterwards) once per job count in --jobs (default: 1 and all cores) and repeat, job \
            counts interleaved; prints each time, then per job count the median seconds, runs \
            per second, speed-up and parallel efficiency, and checks that the combined files are \
            byte-identical for every job count (exit 1 if not).",
        after_help = "Examples:\n  goldrush bench baseline --repeat 3\n  goldrush bench --sweep scenarios/sweeps/bench-classroom.toml --jobs 1,2 --repeat 3"
    )]
    Bench(BenchArgs),
    /// Compare a policy with a base scenario over paired seeds: differences with 95% CIs.
    #[command(
        long_about = "Compare a policy scenario with a base scenario over paired runs with common \
            random numbers: seed s runs both. For each metric (--metrics, default: users_hhi, \
            users_cr1, switching_rate, compute_cr5, spot_price_usd, startups_alive, \
            survival_60m, talent_top_hub_share, deal_lockin_share, haves_compute_share, \
            consumer_surplus_per_user_usd) the per-seed difference policy - base of the final value and \
            of the time average (NaN months skipped; a seed where the metric is NaN throughout \
            is dropped and counted) is summarised by its mean, 95% confidence interval \
            (Student's t) and a verdict: higher / lower when the interval excludes zero, no clear \
            difference otherwise. Prints a table and writes compare.csv and compare.json (the \
            table, seeds, both resolved scenarios, version, state hashes per seed), \
            trajectories.csv (side, seed, month, date, the compared metrics, then \
            spot_price_usd and contract_price_usd) and startups.csv (side, seed, entry_age, \
            end_age, exited: the \
            startups observed, for survival curves) into --out, atomically; with --plots also \
            charts as PNG and SVG: METRIC (both scenarios' mean trajectories with 10-90% bands \
            across seeds), spot_vs_contract and startup_survival (Kaplan-Meier, one curve per \
            scenario); `goldrush plot` redraws them from the folder. Pairs run in parallel (--jobs); the \
            results are identical for any number of jobs.",
        after_help = "Example:\n  goldrush compare baseline interop-mandate --seeds 20 --months 60 --plots"
    )]
    Compare(CompareArgs),
    /// Run a sweep: many runs over a design of parameter values and seeds, in parallel.
    #[command(
        long_about = "Run a sweep spec (TOML): a base scenario, [[params]] to vary, a design \
            and replicates per point, every replicate seed derived from one master seed. \
            Designs: grid (full factorial of values, or min/max with steps), lhs (Latin \
            hypercube of min/max ranges, points = N), list (explicit values, one per point), \
            saltelli (alias sobol; Sobol-sequence Saltelli design over min/max ranges, samples = N \
            base samples, a power of two, giving N x (k + 2) points for k parameters) and morris \
            (trajectories = r on levels = p (even, default 4) giving r x (k + 1) points); \
            `goldrush sensitivity` analyses the last two. In those two, the points of one \
            Saltelli block or Morris trajectory share their replicate seeds (common random \
            numbers). Every run's scenario is validated before anything runs. Runs go in \
            parallel (--jobs), each single-threaded and deterministic; each finished run is \
            written at once to OUT/runs/<id>.parquet (monthly metrics) and OUT/runs/<id>.json \
            (seed, point values, state hash, final metrics), atomically. When every run is done, \
            OUT/metrics.parquet and OUT/summary.parquet (and .csv with --csv) combine them in \
            run order, identical bytes for any --jobs, and OUT/manifest.json records the spec, \
            runs, seeds, version, git commit and state hashes. Run the same command again to \
            resume: finished runs are skipped, interrupted ones redone. --shard I/N runs the runs \
            whose index mod N is I (inside a whole Slurm array --array=0-(N-1), I and N default \
            to SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT; a partial array needs --shard); \
            `goldrush merge` combines shard folders; deploy/slurm/ has the job scripts. At most 100000 runs per sweep. Example \
            spec: scenarios/sweeps/network-effects.toml.",
        after_help = "Examples:\n  goldrush sweep scenarios/sweeps/network-effects.toml --out out/net\n  goldrush sweep spec.toml --out out/s0 --shard 0/2 && goldrush sweep spec.toml --out out/s1 --shard 1/2\n  goldrush merge out/s0 out/s1 --out out/all"
    )]
    Sweep(SweepArgs),
    /// Draw charts (PNG and SVG) from run, comparison or sweep output folders.
    #[command(
        long_about = "Draw charts (PNG and SVG, 900x540, titles, axis labels with units, legends) \
            from output folders already on disk. What each INPUT is, is read from its files: \
            a run folder (goldrush run: summary.json + metrics.csv, and panel.csv from --panel), \
            a comparison folder (goldrush compare: compare.json + trajectories.csv + \
            startups.csv) or a sweep folder (goldrush sweep or merge: manifest.json + \
            metrics.parquet). Charts: METRIC for each metric (--metrics; default: those \
            `goldrush compare` compares for runs, the compared ones for a comparison, the \
            spec's outputs for a sweep, the key ones among them when it records more than 12): each series is the mean over its runs with the 10-90% \
            band across them (one run: its line), NaN months skipped, a metric NaN throughout \
            drawn as a 'no data' note; spot_vs_contract: the spot and contract GPU prices; \
            platform_shares: platform user shares (consumers + seats) as stacked areas, the 7 \
            largest by peak share plus others (run folders with panel.csv); startup_survival: \
            the Kaplan-Meier estimate of startup survival by age in months, right-censored at \
            the run's end, startups founded before the run entering at their age then (run \
            folders with panel.csv, comparisons). Several run folders go together: runs of the \
            same scenario (up to the seed) form one series. A sweep gives one series per point \
            with bands across replicates, or with --group-by PARAM one per value of PARAM \
            pooling the other parameters; at most 8 series are drawn. One run folder gives \
            exactly the charts of `goldrush run --plots`, a comparison folder those of \
            `goldrush compare --plots`. Everything is read and drawn before anything is \
            written; files are written atomically into --out. Bad input (a missing folder, \
            a folder of no known kind, a truncated file, an unknown metric) exits with 2.",
        after_help = "Examples:\n  goldrush run tiny --panel --out out/s1 --seed 1 && goldrush run tiny --panel --out out/s2 --seed 2\n  goldrush plot out/s1 out/s2 --out out/plots\n  goldrush plot compare-out --metrics users_hhi,spot_price_usd --format svg\n  goldrush plot out/net --group-by users.theta_network"
    )]
    Plot(PlotArgs),
    /// Combine the run folders of a sharded sweep into the combined results.
    #[command(long_about = "Combine the output folders of a sweep's shards (each made by \
            `goldrush sweep --shard I/N`) into OUT: metrics.parquet, summary.parquet and \
            manifest.json, byte for byte what a single-machine sweep writes. Fails (exit 2) if \
            the folders hold different sweeps or any run is missing.")]
    Merge(MergeArgs),
    /// Estimate parameters from target moments: SMM or ABC-SMC, every run through the sweep engine.
    #[command(
        long_about = "Calibrate a scenario against target moments (a targets file such as \
            data/targets.toml). SPEC.toml names the scenario (built-in or file, with fixed `set` \
            overrides), [[params]] with prior ranges (path, min, max, scale = \"linear\" or \
            \"log\"), the targets file and target_ids (default: all), seeds per candidate \
            (common random numbers: every candidate runs the same seeds) and the method: \
            method = \"smm\" (simulated method of moments: a Sobol or LHS design, Nelder-Mead \
            from its best point, then a local sensitivity stage of +/- steps around the optimum \
            for the Jacobian; [smm] design, points, max_evals, step, tol, sensitivity_step) or \
            method = \"abc-smc\" (population Monte Carlo with an adaptive tolerance; [abc] \
            particles, batch, generations, min_acceptance), ending with a run of the posterior \
            median. The calibration is a sequence of stages, each a batch of runs decided only \
            by the spec and the earlier stages' results, so it is deterministic for any --jobs, \
            resumable after a kill (run the same command again: finished runs are read back, \
            never redone) and shardable per stage: --shard I/N runs shard I of the current \
            stage and exits; the next invocation sees the stage complete and moves on (a Slurm \
            array per stage: deploy/slurm/calibrate.sh). Each run's moments are kept in \
            OUT/runs/<id>.json. When every stage is done, an invocation without --shard writes \
            calibrate.json (spec, version, every stage's candidates and objectives or \
            distances, the estimate with 90% intervals and identification verdicts, each \
            moment's fit, the local sensitivity matrix (SMM) or the posterior with weights, ESS \
            per generation and marginals (ABC)), calibrate.parquet (every run: stage, \
            candidate, replicate, seed, parameter values, moments m:<id>, objective), \
            estimate.toml (a scenario that extends the calibrated one with the estimated \
            values: goldrush run estimate.toml), and charts (objective_trace for SMM, posterior \
            for ABC; PNG and SVG), and prints a summary table. Bad specs exit 2 naming \
            file:line and write nothing.",
        after_help = "Examples:\n  goldrush calibrate scenarios/calibrations/history-abc.toml --out cal --jobs 2\n  goldrush calibrate SPEC.toml --out cal --dry-run\n  goldrush calibrate SPEC.toml --out cal --shard 0/4   (then 1/4 ... and again without --shard)\n  goldrush calibrate SPEC.toml --out cal --status"
    )]
    Calibrate(CalibrateArgs),
    /// Sobol (saltelli design) or Morris sensitivity indices of a sweep's outputs.
    #[command(
        long_about = "Global sensitivity analysis. SPEC.toml is a sweep spec with design = \
            \"saltelli\" (alias \"sobol\"; samples = N, a power of two) or \"morris\" \
            (trajectories = r, levels = p) and min/max ranges for its [[params]]. The sweep runs \
            into --out like `goldrush sweep` (parallel, resumable; a folder already holding the \
            complete sweep, e.g. shards merged with `goldrush merge`, is only analysed). Each \
            run gives one number per output (the spec's [sensitivity] statistic: \"final\", the \
            last month, by default, or \"mean\", the time average with NaN months skipped); the \
            replicates of each point are averaged, so the indices are those of the \
            replicate-mean output. Outputs: the spec's `outputs`, or by default users_hhi, \
            leader_user_share, compute_cr5, spot_price_usd, startups_alive, \
            haves_compute_share. Saltelli gives Sobol first-order (S1, Saltelli 2010) and total \
            (ST, Jansen 1999) indices; morris gives mu*, mu and sigma of the elementary effects \
            (per whole parameter range, and mu* per parameter unit); all with 95% bootstrap \
            intervals ([sensitivity] bootstrap resamples, default 1000). Prints the tables and \
            writes sensitivity.csv, sensitivity.json and per output sensitivity-METRIC.png and \
            .svg (bar charts) into --out, atomically. Example spec: \
            scenarios/sweeps/sensitivity-classroom.toml.",
        after_help = "Examples:\n  goldrush sensitivity scenarios/sweeps/sensitivity-classroom.toml --out out/sens\n  goldrush sweep spec.toml --out out/s0 --shard 0/2; goldrush sweep spec.toml --out out/s1 --shard 1/2\n  goldrush merge out/s0 out/s1 --out out/all && goldrush sensitivity spec.toml --out out/all"
    )]
    Sensitivity(SensitivityArgs),
    /// Compare the model with the data: every target moment over N seeds, with verdicts.
    #[command(
        long_about = "Backtest: run a scenario (default: history) over N seeds (--seeds, default \
            20, derived from the scenario's run.seed) and compare every target moment of the \
            targets file (default: data/targets.toml as embedded in goldrush; --targets FILE \
            reads a file, its data files relative to it) with the model. Each target names \
            the data behind it (a CSV of data/, a filter and a derivation: a share of owners, a \
            growth ratio, a sum, a mean over cohorts, an OLS slope; or a reported figure), its \
            interval, its calendar period and the model quantity (a metric or a firm group's \
            share, and a statistic over the period). Prints one row per moment: the data value \
            and interval, the model's mean and 10-90% band over seeds, the standardised \
            distance z = (model mean - data) / sqrt(sd_data^2 + sd_model^2) (sd_data = the \
            interval's half-width / 1.645) and a verdict: in data interval, in model band (the \
            data value lies in the model's 10-90% band), off, or not produced (the model has no \
            such quantity, or the run does not cover the period); then how many moments lie in \
            the data interval or within 2 model standard deviations. Writes backtest.csv and \
            backtest.json (rows, seeds, state hashes, the resolved scenario) into --out \
            atomically; with --plots also charts (PNG and SVG): per model series, its mean and \
            10-90% band over calendar years with the data values and intervals. --only ID,ID \
            and --tags TAG,TAG pick subsets of the targets. With --markdown, prints the report \
            as Markdown (docs/VALIDATION.md) and writes nothing. Bad input (a targets file \
            with an unknown key, metric, derivation or column, a filter matching no row, a \
            value outside its interval) exits with 2 naming file:line and the field. Runs go in parallel \
            (--jobs); the results are identical for any number of jobs.",
        after_help = "Examples:\n  goldrush backtest\n  goldrush backtest --seeds 5 --set users.consumer_agents=2000 --plots --out out/bt\n  goldrush backtest baseline --set run.start=2023-01 --targets data/targets.toml"
    )]
    Backtest(BacktestArgs),
}

/// Hands the parsed command line to its command.
fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(a) => cmd::run::run(&a),
        Command::Scenarios => cmd::docs::scenarios(),
        Command::Show(a) => cmd::scenario::show(&a),
        Command::Validate(a) => cmd::scenario::validate(&a),
        Command::Params(a) => cmd::docs::params(&a),
        Command::Metrics(a) => cmd::docs::metrics(&a),
        Command::Bench(a) => cmd::bench::bench(&a),
        Command::Compare(a) => cmd::compare::compare(&a),
        Command::Sweep(a) => cmd::sweep::sweep(&a).map(|_| ()),
        Command::Merge(a) => cmd::sweep::merge(&a),
        Command::Calibrate(a) => cmd::calibrate::calibrate(&a),
        Command::Sensitivity(a) => cmd::sensitivity::sensitivity(&a),
        Command::Plot(a) => cmd::plot::plot(&a),
        Command::Backtest(a) => cmd::backtest::backtest(&a),
    }
}

fn main() -> ExitCode {
    // A panic is a bug, never the user's fault: report it as an error and exit with 1 rather
    // than Rust's 101 and a bare backtrace hint.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error (a bug in goldrush, please report it): {info}");
    }));
    let cli = Cli::parse();
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            errors::report(&e);
            ExitCode::from(exit_code(&e))
        }
        Err(_) => ExitCode::from(1),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// The compare help lists the default metrics by hand (clap needs a constant string); it
    /// must name exactly `sim_core::key_metrics::KEY_METRICS`, in order.
    #[test]
    fn compare_help_names_the_default_metrics() {
        let cli = Cli::command();
        let help = cli
            .find_subcommand("compare")
            .and_then(|c| c.get_long_about())
            .map(|s| s.to_string())
            .unwrap_or_default();
        let listed = format!(
            "(--metrics, default: {})",
            sim_core::key_metrics::KEY_METRICS.join(", ")
        );
        assert!(
            help.contains(&listed),
            "compare --help should say {listed:?}; it says {help:?}"
        );
    }

    /// Likewise the sensitivity help lists the default outputs: exactly
    /// `sim_core::key_metrics::SENSITIVITY_OUTPUTS`, in order.
    #[test]
    fn sensitivity_help_names_the_default_outputs() {
        let cli = Cli::command();
        let help = cli
            .find_subcommand("sensitivity")
            .and_then(|c| c.get_long_about())
            .map(|s| s.to_string())
            .unwrap_or_default();
        let listed = format!(
            "or by default {}.",
            sim_core::key_metrics::SENSITIVITY_OUTPUTS.join(", ")
        );
        assert!(
            help.contains(&listed),
            "sensitivity --help should say {listed:?}; it says {help:?}"
        );
    }
}
