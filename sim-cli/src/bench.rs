//! `goldrush bench`: repeated, timed, single-threaded runs of one scenario.

use std::fmt::Write as _;

use crate::errors::emit;
use crate::load::load_scenario;
use crate::progress::Progress;
use crate::run::{hash_hex, secs, si, simulate};
use crate::{GIT_COMMIT, VERSION};

/// Quotes an argument for a POSIX shell when it needs quoting.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./=:,+@%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// The median of a sample (mean of the middle two for an even count).
pub(crate) fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The CPU model, best effort (Linux).
fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

/// The benchmark header: the command line, version, build profile and machine.
pub(crate) fn header() -> String {
    let mut head = String::new();
    let args: Vec<String> = std::env::args().map(|a| shell_quote(&a)).collect();
    let _ = writeln!(head, "command      {}", args.join(" "));
    let _ = writeln!(head, "goldrush     {VERSION} (git {GIT_COMMIT})");
    let profile = if cfg!(debug_assertions) {
        "debug (unoptimised: timings are not representative; build with --release)"
    } else {
        "release"
    };
    let _ = writeln!(head, "build        {profile}");
    let _ = writeln!(
        head,
        "machine      {} {}, {} hardware threads available{}",
        std::env::consts::OS,
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model().map_or(String::new(), |m| format!(", {m}"))
    );
    head
}

/// `goldrush bench`.
pub fn bench(scenario: &str, overrides: &[String], repeat: u32) -> anyhow::Result<()> {
    let loaded = load_scenario(scenario, overrides)?;
    let sc = &loaded.scenario;
    let mut head = header();
    let _ = writeln!(
        head,
        "scenario     {} ({}), seed {}, {} months, {} run(s), single-threaded",
        sc.name, loaded.origin, sc.run.seed, sc.run.months, repeat
    );
    let _ = writeln!(
        head,
        "\n{:>6}  {:>10}  {:>11}  {:>11}  {:>16}  {:>10}  state hash",
        "run", "setup", "stepping", "user agents", "agent-months/s", "months/s"
    );
    emit(&head)?;

    let (mut setup, mut stepping, mut amps, mut mps) = (vec![], vec![], vec![], vec![]);
    let mut agents = 0;
    for r in 1..=repeat {
        // The schedule is single-threaded (sim-core uses bevy's SingleThreadedExecutor).
        let f = simulate(sc.clone(), Progress::new(sc.run.months, false))?;
        let t = f.timing;
        agents = f.sim.user_agents();
        setup.push(t.setup_seconds);
        stepping.push(t.stepping_seconds);
        amps.push(t.agent_months_per_second);
        mps.push(t.months_per_second);
        emit(&format!(
            "{:>6}  {:>10}  {:>11}  {:>11}  {:>16}  {:>10.2}  {}\n",
            r,
            secs(t.setup_seconds),
            secs(t.stepping_seconds),
            agents,
            si(t.agent_months_per_second),
            t.months_per_second,
            hash_hex(f.state_hash)
        ))?;
    }
    emit(&format!(
        "{:>6}  {:>10}  {:>11}  {:>11}  {:>16}  {:>10.2}\n",
        "median",
        secs(median(&setup)),
        secs(median(&stepping)),
        agents,
        si(median(&amps)),
        median(&mps)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_samples() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("run.months=3"), "run.months=3");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
