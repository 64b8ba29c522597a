//! End-to-end tests of the `goldrush` binary: outputs, determinism through the CLI, the
//! `show`/`validate` round trip, error messages and exit codes for bad input, and generated docs.
//!
//! The binary belongs to another package (sim-cli), so `CARGO_BIN_EXE_goldrush` is not
//! available here: the tests build it once with the current profile and run it from the target
//! directory. Every test uses the `tiny` scenario and its own temporary directory.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use sim_core::METRICS;
use sim_core::scenario::BUILTIN;

pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Builds `goldrush` (once per test process) with this test's profile; returns its path.
pub(crate) fn goldrush_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let release = !cfg!(debug_assertions);
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(workspace())
            .args(["build", "-p", "sim-cli", "--bin", "goldrush"]);
        if release {
            cmd.arg("--release");
        }
        let out = cmd.output().expect("cannot run cargo build");
        assert!(
            out.status.success(),
            "cargo build -p sim-cli failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
            Some(d) => workspace().join(d),
            None => workspace().join("target"),
        };
        let bin = target
            .join(if release { "release" } else { "debug" })
            .join(format!("goldrush{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.is_file(), "built binary not found at {}", bin.display());
        bin
    })
}

/// A fresh directory under the system temp dir, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(test: &str) -> Self {
        let p = std::env::temp_dir().join(format!("goldrush-cli-{test}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).expect("create temp dir");
        Self(p)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs `goldrush ARGS` in `dir`.
pub(crate) fn goldrush(dir: &Path, args: &[&str]) -> Output {
    Command::new(goldrush_bin())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("cannot run goldrush")
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs and requires success.
pub(crate) fn goldrush_ok(dir: &Path, args: &[&str]) -> Output {
    let o = goldrush(dir, args);
    assert!(
        o.status.success(),
        "goldrush {args:?} failed ({:?}):\n{}",
        o.status.code(),
        stderr(&o)
    );
    o
}

pub(crate) fn read_json(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn state_hash(summary: &serde_json::Value) -> String {
    summary["state_hash"]
        .as_str()
        .expect("state_hash is a string")
        .to_string()
}

/// Every file under `dir`, recursively.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Output files or temporary files of a run anywhere under `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name == "metrics.csv" || name == "summary.json" || name.contains(".tmp-")
        })
        .collect()
}

#[test]
fn cli_run_tiny_writes_outputs_deterministically() {
    let t = TempDir::new("run-tiny");
    let o = goldrush_ok(t.path(), &["run", "tiny", "--out", "a"]);
    goldrush_ok(t.path(), &["run", "tiny", "--out", "b", "--quiet"]);
    goldrush_ok(t.path(), &["run", "tiny", "--out", "c", "-q", "--seed", "7"]);

    // metrics.csv: header of METRICS names with the date after the month, one row per month,
    // every row complete.
    let csv = fs::read_to_string(t.path().join("a/metrics.csv")).expect("metrics.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let names: Vec<&str> = sim_core::key_metrics::csv_columns().iter().map(|m| m.name).collect();
    assert_eq!(header, names);
    assert_eq!(&header[..2], ["month", "date"], "the date comes right after the month");
    assert_eq!(names.len(), METRICS.len() + 1, "the metrics and the date");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 36, "tiny runs 36 months");
    let start = sim_core::YearMonth::parse("2026-01").unwrap();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells.len(), names.len(), "row {i}: {row}");
        assert_eq!(cells[0], i.to_string(), "the month column counts from 0");
        assert_eq!(
            cells[1],
            start.label_of(i as u32).to_string(),
            "row {i}: the date is run.start + month"
        );
        for c in cells.iter().enumerate().filter(|(j, _)| *j != 1).map(|(_, c)| c) {
            c.parse::<f64>()
                .unwrap_or_else(|e| panic!("row {i}: {c:?} is not a number: {e}"));
        }
    }

    // Determinism through the CLI: identical files except the timings.
    let csv_b = fs::read_to_string(t.path().join("b/metrics.csv")).expect("metrics.csv");
    assert_eq!(csv, csv_b, "metrics.csv differs between identical runs");
    let mut a = read_json(&t.path().join("a/summary.json"));
    let mut b = read_json(&t.path().join("b/summary.json"));
    let c = read_json(&t.path().join("c/summary.json"));
    let hash = state_hash(&a);
    assert!(
        hash.len() == 18
            && hash.starts_with("0x")
            && hash[2..]
                .chars()
                .all(|ch| ch.is_ascii_digit() || ('a'..='f').contains(&ch)),
        "state_hash {hash:?} is not 0x + 16 lower-case hex digits"
    );
    assert_eq!(hash, state_hash(&b));
    assert_ne!(hash, state_hash(&c), "a different seed gives a different hash");
    assert_eq!(c["seed"], 7);
    assert_eq!(a["scenario"], "tiny");
    assert_eq!(a["months"], 36);
    assert_eq!(a["user_agents"], 4000);
    assert!(a["timing"]["setup_seconds"].is_number());
    assert!(a["timing"]["stepping_seconds"].is_number());
    assert!(a["platforms"].as_array().is_some_and(|p| !p.is_empty()));
    assert_eq!(a["resolved_scenario"]["run"]["months"], 36);
    for m in METRICS {
        assert!(
            a["final_metrics"].get(m.name).is_some(),
            "final_metrics lacks {}",
            m.name
        );
    }
    a.as_object_mut().unwrap().remove("timing");
    b.as_object_mut().unwrap().remove("timing");
    assert_eq!(a, b, "summary.json differs (outside \"timing\") between identical runs");

    // The human summary names the hash and the files; --quiet prints nothing.
    let out = stdout(&o);
    assert!(out.contains(&hash) && out.contains("metrics.csv"), "{out}");
    // No temporary or probe files are left behind.
    let tmp: Vec<_> = files_under(t.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(tmp.is_empty(), "temporary files left: {tmp:?}");
}

#[test]
fn cli_run_panel_writes_one_row_per_alive_firm_per_month_and_one_per_exit() {
    let t = TempDir::new("run-panel");
    goldrush_ok(t.path(), &["run", "tiny", "--out", "plain", "-q"]);
    goldrush_ok(t.path(), &["run", "tiny", "--out", "a", "-q", "--panel"]);
    goldrush_ok(t.path(), &["run", "tiny", "--out", "b", "-q", "--panel"]);
    assert!(
        !t.path().join("plain/panel.csv").exists(),
        "panel.csv is written only with --panel"
    );
    let panel = fs::read_to_string(t.path().join("a/panel.csv")).expect("panel.csv");
    assert_eq!(
        panel,
        fs::read_to_string(t.path().join("b/panel.csv")).expect("panel.csv"),
        "the panel is deterministic"
    );
    assert_eq!(
        state_hash(&read_json(&t.path().join("a/summary.json"))),
        state_hash(&read_json(&t.path().join("plain/summary.json"))),
        "writing the panel must not change the run"
    );
    let mut lines = panel.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    assert_eq!(header, sim_core::state::PANEL_COLUMNS);
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (month, kind, alive, cause) = (col("month"), col("kind"), col("alive"), col("exit_cause"));
    assert_eq!(col("date"), month + 1, "the panel's date comes right after its month");
    let metrics = fs::read_to_string(t.path().join("a/metrics.csv")).expect("metrics.csv");
    let mut mlines = metrics.lines();
    let mhead: Vec<&str> = mlines.next().unwrap().split(',').collect();
    let mrows: Vec<Vec<f64>> = mlines
        .map(|l| l.split(',').map(|c| c.parse().unwrap_or(f64::NAN)).collect())
        .collect();
    let metric = |m: usize, name: &str| mrows[m][mhead.iter().position(|h| *h == name).unwrap()];
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut alive_firms_at_start = 0;
    for m in 0..36usize {
        let of_month: Vec<&Vec<&str>> = rows.iter().filter(|r| r[month] == m.to_string()).collect();
        assert!(!of_month.is_empty(), "month {m} has rows");
        let date = sim_core::YearMonth::parse("2026-01")
            .unwrap()
            .label_of(m as u32)
            .to_string();
        assert!(
            of_month.iter().all(|r| r[month + 1] == date),
            "month {m}: every panel row is dated {date}"
        );
        let count = |k: &str, a: &str| of_month.iter().filter(|r| r[kind] == k && r[alive] == a).count() as f64;
        assert_eq!(
            count("startup", "true"),
            metric(m, "startups_alive"),
            "month {m}: one alive row per startup alive"
        );
        assert_eq!(
            count("neocloud", "true"),
            metric(m, "neoclouds_alive"),
            "month {m}: one alive row per lessor alive"
        );
        let exits = of_month.iter().filter(|r| r[alive] == "false").count() as f64;
        assert_eq!(
            exits,
            metric(m, "exits_cash")
                + metric(m, "exits_break_even")
                + metric(m, "exits_acqui_hire")
                + metric(m, "exits_incident")
                + metric(m, "exits_platform_entry"),
            "month {m}: one closing row per exit"
        );
        assert!(
            of_month.iter().all(|r| (r[alive] == "false") != r[cause].is_empty()),
            "month {m}: exit rows, and only they, carry a cause"
        );
        let alive_now = of_month.iter().filter(|r| r[alive] == "true").count();
        let entered = metric(m, "startups_entered") as usize;
        if m > 0 {
            assert_eq!(
                alive_now,
                alive_firms_at_start + entered - exits as usize,
                "month {m}: firms alive = last month's + entrants - exits"
            );
        }
        alive_firms_at_start = alive_now;
    }
    assert!(rows.iter().all(|r| r.len() == header.len()), "every row is complete");
}

#[test]
fn cli_show_output_validates_and_reruns_identically() {
    let t = TempDir::new("show");
    let shown = stdout(&goldrush_ok(t.path(), &["show", "tiny"]));
    fs::write(t.path().join("shown.toml"), &shown).unwrap();
    let v = goldrush_ok(t.path(), &["validate", "shown.toml"]);
    assert!(stdout(&v).starts_with("OK: shown.toml (tiny): "), "{}", stdout(&v));
    goldrush_ok(t.path(), &["run", "tiny", "-q", "--out", "builtin"]);
    goldrush_ok(t.path(), &["run", "shown.toml", "-q", "--out", "file"]);
    let a = read_json(&t.path().join("builtin/summary.json"));
    let b = read_json(&t.path().join("file/summary.json"));
    assert_eq!(state_hash(&a), state_hash(&b), "show → file → run round trip");
    assert_eq!(a["resolved_scenario"], b["resolved_scenario"]);

    // --set shows through.
    let shown = stdout(&goldrush_ok(
        t.path(),
        &["show", "tiny", "--set", "users.theta_network=1.5"],
    ));
    assert!(shown.contains("theta_network = 1.5"), "{shown}");
}

#[test]
fn cli_extends_resolves_files_relative_to_the_extending_file() {
    let t = TempDir::new("extends");
    let sub = t.path().join("sub");
    fs::create_dir_all(&sub).unwrap();
    fs::write(
        sub.join("base.toml"),
        "extends = \"tiny\"\nname = \"base\"\n[run]\nmonths = 12\n",
    )
    .unwrap();
    fs::write(
        sub.join("child.toml"),
        "extends = \"base\"\nname = \"child\"\n[run]\nseed = 3\n",
    )
    .unwrap();
    let v = goldrush_ok(t.path(), &["validate", "sub/child.toml"]);
    assert!(stdout(&v).contains("(child)") && stdout(&v).contains("12 months"));
    goldrush_ok(t.path(), &["run", "sub/child.toml", "-q", "--out", "o"]);
    let s = read_json(&t.path().join("o/summary.json"));
    assert_eq!(s["months"], 12);
    assert_eq!(s["seed"], 3);
    let csv = fs::read_to_string(t.path().join("o/metrics.csv")).unwrap();
    assert_eq!(csv.lines().count(), 13);
}

/// One bad-input case: what to run, what files exist first, and what must come out.
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    /// Files written into the case's directory before running (name, contents).
    files: &'static [(&'static str, &'static str)],
    code: i32,
    stderr: &'static [&'static str],
}

const BAD_INPUT: &[Case] = &[
    Case {
        name: "malformed toml",
        args: &["run", "bad.toml", "--out", "out"],
        files: &[("bad.toml", "extends = \"tiny\"\n[users\nx = 1\n")],
        code: 2,
        stderr: &["bad.toml:2:7"],
    },
    Case {
        name: "unknown key",
        args: &["run", "unknown.toml", "--out", "out"],
        files: &[("unknown.toml", "extends = \"tiny\"\n[users]\nbogus = 1\n")],
        code: 2,
        stderr: &["unknown.toml:3:1", "bogus"],
    },
    Case {
        name: "wrong type",
        args: &["run", "type.toml", "--out", "out"],
        files: &[("type.toml", "extends = \"tiny\"\n[run]\nmonths = \"ten\"\n")],
        code: 2,
        stderr: &["type.toml:3:10", "invalid type", "\"ten\""],
    },
    Case {
        name: "out of range",
        args: &["run", "range.toml", "--out", "out"],
        files: &[("range.toml", "extends = \"tiny\"\n[users]\nreconsider_consumer = 2.0\n")],
        code: 2,
        stderr: &["range.toml:3:1", "users.reconsider_consumer", "allowed: 0 to 1"],
    },
    Case {
        name: "non-finite",
        args: &["run", "nan.toml", "--out", "out"],
        files: &[("nan.toml", "extends = \"tiny\"\n[users]\ntheta_network = nan\n")],
        code: 2,
        stderr: &["nan.toml:3:1", "users.theta_network", "finite"],
    },
    Case {
        name: "several problems at once",
        args: &["validate", "multi.toml"],
        files: &[(
            "multi.toml",
            "extends = \"tiny\"\n[users]\nreconsider_consumer = 2.0\ntheta_network = -1\n",
        )],
        code: 2,
        stderr: &[
            "multi.toml:3:1: users.reconsider_consumer",
            "multi.toml:4:1: users.theta_network",
            "allowed: 0 to 20 utils",
        ],
    },
    Case {
        name: "missing file",
        args: &["run", "missing.toml", "--out", "out"],
        files: &[],
        code: 2,
        stderr: &["error: cannot read scenario file \"missing.toml\": No such file or directory"],
    },
    Case {
        name: "misspelt built-in",
        args: &["run", "basline", "--out", "out"],
        files: &[],
        code: 2,
        stderr: &[
            "cannot read scenario file \"basline\"",
            "hint",
            "built-ins are: baseline, classroom,",
        ],
    },
    Case {
        name: "unwritable out under /proc",
        args: &["run", "tiny", "--out", "/proc/goldrush-nope"],
        files: &[],
        code: 2,
        stderr: &["output directory", "/proc/goldrush-nope"],
    },
    Case {
        name: "out under a regular file",
        args: &["run", "tiny", "--out", "plain/out"],
        files: &[("plain", "not a directory\n")],
        code: 2,
        stderr: &["output directory", "plain/out"],
    },
    Case {
        name: "out is a regular file",
        args: &["run", "tiny", "--out", "plain"],
        files: &[("plain", "not a directory\n")],
        code: 2,
        stderr: &["output directory \"plain\" is not a directory"],
    },
    Case {
        name: "set unknown key",
        args: &["run", "tiny", "--set", "users.nope=1", "--out", "out"],
        files: &[],
        code: 2,
        stderr: &["--set users.nope=1", "no parameter named \"users.nope\""],
    },
    Case {
        name: "set out of range",
        args: &["run", "tiny", "--set", "users.reconsider_consumer=3", "--out", "out"],
        files: &[],
        code: 2,
        stderr: &[
            "--set users.reconsider_consumer=3",
            "users.reconsider_consumer",
            "allowed: 0 to 1",
        ],
    },
    Case {
        name: "set wrong type",
        args: &["run", "tiny", "--set", "users.theta_network=abc", "--out", "out"],
        files: &[],
        code: 2,
        stderr: &["--set users.theta_network=abc", "invalid type"],
    },
    Case {
        name: "months zero",
        args: &["run", "tiny", "--months", "0", "--out", "out"],
        files: &[],
        code: 2,
        stderr: &["run.months", "allowed: 1 to 1200"],
    },
    Case {
        name: "extends unknown built-in",
        args: &["run", "ext.toml", "--out", "out"],
        files: &[("ext.toml", "extends = \"nosuch\"\n")],
        code: 2,
        stderr: &["ext.toml", "extends = \"nosuch\"", "baseline, classroom"],
    },
    Case {
        name: "firm with unknown nation",
        args: &["run", "nation.toml", "--out", "out"],
        files: &[(
            "nation.toml",
            "extends = \"tiny\"\n[[nations]]\nname = \"A\"\n\n[[firms]]\nname = \"F\"\nnation = \"B\"\n",
        )],
        code: 2,
        stderr: &["nation.toml:7:1", "firms[13].nation", "unknown nation \"B\""],
    },
    Case {
        name: "validate missing file",
        args: &["validate", "nope.toml"],
        files: &[],
        code: 2,
        stderr: &["cannot read scenario file \"nope.toml\""],
    },
    Case {
        name: "clap usage error",
        args: &["run", "tiny", "--bogus-flag", "--out", "out"],
        files: &[],
        code: 2,
        stderr: &["--bogus-flag"],
    },
    Case {
        name: "seed not a number",
        args: &["run", "tiny", "--seed", "x", "--out", "out"],
        files: &[],
        code: 2,
        stderr: &["--seed"],
    },
];

#[test]
fn cli_bad_input_is_reported_with_location_and_exit_code() {
    let t = TempDir::new("bad-input");
    let mut failures = Vec::new();
    for (i, case) in BAD_INPUT.iter().enumerate() {
        let dir = t.path().join(format!("case{i}"));
        fs::create_dir_all(&dir).unwrap();
        for (name, contents) in case.files {
            fs::write(dir.join(name), contents).unwrap();
        }
        let o = goldrush(&dir, case.args);
        let err = stderr(&o);
        let mut problems = Vec::new();
        if o.status.code() != Some(case.code) {
            problems.push(format!("exit code {:?}, expected {}", o.status.code(), case.code));
        }
        for s in case.stderr {
            if !err.contains(s) {
                problems.push(format!("stderr lacks {s:?}"));
            }
        }
        if !err.starts_with("error: ") {
            problems.push("stderr does not start with \"error: \"".into());
        }
        if err.contains("panicked") || err.contains("internal error") {
            problems.push("the binary panicked".into());
        }
        let left = leftovers(&dir);
        if !left.is_empty() {
            problems.push(format!("files left behind: {left:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "case {:?} (goldrush {}):\n  {}\n  stderr: {}",
                case.name,
                case.args.join(" "),
                problems.join("\n  "),
                err.trim_end().replace('\n', "\n          ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn cli_scenarios_lists_every_builtin() {
    let t = TempDir::new("scenarios");
    let out = stdout(&goldrush_ok(t.path(), &["scenarios"]));
    for (name, _) in BUILTIN {
        assert!(out.lines().any(|l| l.starts_with(name)), "{name} missing:\n{out}");
        let s = sim_core::scenario::load_builtin(name, &[]).unwrap();
        assert!(out.contains(&s.description), "{name}'s description missing");
    }
}

#[test]
fn cli_help_works_for_every_command() {
    let t = TempDir::new("help");
    let top = stdout(&goldrush_ok(t.path(), &["--help"]));
    let commands = [
        "run",
        "scenarios",
        "show",
        "validate",
        "params",
        "metrics",
        "bench",
        "calibrate",
    ];
    for c in commands {
        assert!(top.contains(c), "--help does not mention {c}:\n{top}");
        let h = stdout(&goldrush_ok(t.path(), &[c, "--help"]));
        assert!(h.contains("Usage: goldrush") && h.contains(c), "{c} --help:\n{h}");
        goldrush_ok(t.path(), &["help", c]);
    }
    assert!(stdout(&goldrush_ok(t.path(), &["--version"])).starts_with("goldrush "));
}

#[test]
fn cli_params_and_metrics_document_everything() {
    let t = TempDir::new("params");
    let params = stdout(&goldrush_ok(t.path(), &["params"]));
    for section in sim_core::params::SECTIONS {
        for f in section.fields {
            let path = format!("{}.{}", section.path, f.name);
            assert!(
                params.lines().any(|l| l.starts_with(&format!("{path} "))),
                "params lacks {path}"
            );
        }
    }
    let metrics = stdout(&goldrush_ok(t.path(), &["metrics"]));
    for m in METRICS {
        assert!(
            metrics.lines().any(|l| l.starts_with(&format!("{} ", m.name))),
            "metrics lacks {}",
            m.name
        );
    }
}

/// The committed docs are exactly what the code generates.
fn assert_doc_is_generated(doc: &str, args: &[&str]) {
    let t = TempDir::new(&format!("doc-{}", args[0]));
    let generated = stdout(&goldrush_ok(t.path(), args));
    let path = workspace().join(doc);
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{doc} is out of date with the code; regenerate it with\n  \
         cargo run -p sim-cli -- {} > {doc}",
        args.join(" ")
    );
}

#[test]
fn cli_docs_parameters_md_matches_params_markdown() {
    assert_doc_is_generated("docs/PARAMETERS.md", &["params", "--markdown"]);
}

#[test]
fn cli_docs_metrics_md_matches_metrics_markdown() {
    assert_doc_is_generated("docs/METRICS.md", &["metrics", "--markdown"]);
}

#[test]
fn cli_bench_reports_each_run_and_the_median() {
    let t = TempDir::new("bench");
    let o = goldrush_ok(t.path(), &["bench", "tiny", "--months", "3", "--repeat", "2"]);
    let out = stdout(&o);
    for s in [
        "command",
        "bench tiny --months 3 --repeat 2",
        "hardware threads",
        "agent-months/s",
        "months/s",
        "median",
    ] {
        assert!(out.contains(s), "bench output lacks {s:?}:\n{out}");
    }
    // Both runs report the same state hash (determinism across repeats).
    let hashes: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|w| w.starts_with("0x"))
        .collect();
    assert_eq!(hashes.len(), 2, "{out}");
    assert_eq!(hashes[0], hashes[1]);
    assert!(leftovers(t.path()).is_empty(), "bench writes no files");
}

#[test]
fn cli_bench_phases_times_every_phase_and_the_firm_side() {
    let t = TempDir::new("bench-phases");
    let o = goldrush_ok(
        t.path(),
        &["bench", "tiny", "--months", "2", "--repeat", "1", "--phases"],
    );
    let out = stdout(&o);
    let phases = [
        "clock",
        "supply",
        "allocation",
        "contracts",
        "spot",
        "research",
        "talent",
        "deals",
        "users",
        "security",
        "regulation",
        "finance",
        "record",
    ];
    for (k, p) in phases.iter().enumerate() {
        let label = format!("{} {p}", k + 1);
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(&label)),
            "bench --phases lacks the row {label:?}:\n{out}"
        );
    }
    for s in ["same state hash", "µs/month", "firm side (not users)", "all phases"] {
        assert!(out.contains(s), "bench --phases output lacks {s:?}:\n{out}");
    }
    assert!(leftovers(t.path()).is_empty(), "bench writes no files");
}

/// docs/ODD.md embeds every section's parameter table (with units, ranges, defaults and
/// sources) next to its submodel, between `<!-- params:SECTION -->` markers; each must match
/// the code (`bash scripts/docs.sh` regenerates them).
#[test]
fn cli_docs_odd_embeds_every_parameter_table() {
    let t = TempDir::new("doc-odd");
    let odd = fs::read_to_string(workspace().join("docs/ODD.md")).unwrap();
    let mut problems = Vec::new();
    for section in sim_core::params::SECTIONS {
        let table = stdout(&goldrush_ok(
            t.path(),
            &["params", "--markdown", "--section", section.path],
        ));
        let block = format!("<!-- params:{p} -->\n{table}<!-- /params:{p} -->", p = section.path);
        if !odd.contains(&block) {
            problems.push(section.path);
        }
    }
    assert!(
        problems.is_empty(),
        "docs/ODD.md lacks or has stale parameter tables for {problems:?}; add \
         `<!-- params:SECTION -->` / `<!-- /params:SECTION -->` markers and run `bash scripts/docs.sh`"
    );
}

#[test]
fn cli_params_rejects_an_unknown_section() {
    let t = TempDir::new("params-section");
    let o = goldrush(t.path(), &["params", "--section", "nope"]);
    assert_eq!(o.status.code(), Some(2), "bad input exits 2");
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown section `nope`"));
}
