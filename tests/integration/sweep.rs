//! `goldrush sweep` and `goldrush merge` end to end: combined results are byte-identical across
//! job counts, resumes (deleted run files, a half-written temporary file as `kill -9` leaves)
//! and shards merged; bad specs exit 2 naming file, line and field and write nothing; the
//! Parquet files are readable by pyarrow. Every sweep uses `tiny` with 12 months.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::cli::{TempDir, files_under, goldrush, goldrush_bin, goldrush_ok, stderr, stdout, workspace};

/// 3 grid points x 2 replicates = 6 runs.
const SPEC: &str = r#"base = "tiny"
design = "grid"
replicates = 2
seed = 11
months = 12
outputs = ["users_hhi", "leader_user_share", "spot_price_usd", "startups_alive"]

[[params]]
path = "users.theta_network"
values = [0.0, 0.25, 1.0]
"#;

const COMBINED: [&str; 5] = [
    "metrics.parquet",
    "summary.parquet",
    "metrics.csv",
    "summary.csv",
    "manifest.json",
];

fn write_spec(dir: &Path, name: &str, text: &str) -> String {
    fs::write(dir.join(name), text).expect("write spec");
    name.to_string()
}

fn sweep_ok(dir: &Path, spec: &str, out: &str, extra: &[&str]) -> String {
    let mut args = vec!["sweep", spec, "--out", out, "--csv"];
    args.extend_from_slice(extra);
    stdout(&goldrush_ok(dir, &args))
}

/// Asserts the combined files of two output folders are byte-identical.
fn assert_same_results(a: &Path, b: &Path, files: &[&str]) {
    for f in files {
        let x = fs::read(a.join(f)).unwrap_or_else(|e| panic!("{}: {e}", a.join(f).display()));
        let y = fs::read(b.join(f)).unwrap_or_else(|e| panic!("{}: {e}", b.join(f).display()));
        assert!(x == y, "{f} differs between {} and {}", a.display(), b.display());
    }
}

fn temp_files(dir: &Path) -> Vec<String> {
    files_under(dir)
        .iter()
        .map(|p| p.display().to_string())
        .filter(|p| p.contains(".tmp-"))
        .collect()
}

#[test]
fn sweep_combined_results_are_identical_for_one_and_two_jobs() {
    let t = TempDir::new("sweep-jobs");
    let spec = write_spec(t.path(), "s.toml", SPEC);
    let out1 = sweep_ok(t.path(), &spec, "j1", &["--jobs", "1"]);
    sweep_ok(t.path(), &spec, "j2", &["--jobs", "2"]);
    assert!(out1.contains("6 runs"), "{out1}");
    assert_same_results(&t.path().join("j1"), &t.path().join("j2"), &COMBINED);
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.path().join("j1/manifest.json")).unwrap()).unwrap();
    let runs = manifest["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 6);
    let mut seeds: Vec<u64> = runs.iter().map(|r| r["seed"].as_u64().expect("seed")).collect();
    seeds.sort();
    seeds.dedup();
    assert_eq!(seeds.len(), 6, "every run has its own seed");
    assert!(
        runs.iter().all(|r| r["state_hash"].is_string()),
        "state hashes recorded"
    );
    assert_eq!(manifest["complete"], true);
    let csv = fs::read_to_string(t.path().join("j1/metrics.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 6 * 12, "one row per run per month");
    assert!(temp_files(t.path()).is_empty(), "{:?}", temp_files(t.path()));
}

#[test]
fn sweep_resumes_after_lost_runs_and_a_half_written_file_with_identical_bytes() {
    let t = TempDir::new("sweep-resume");
    let spec = write_spec(t.path(), "s.toml", SPEC);
    sweep_ok(t.path(), &spec, "ref", &[]);
    sweep_ok(t.path(), &spec, "cut", &["--jobs", "2"]);
    let cut = t.path().join("cut");
    // As if killed: combined files not yet written, two runs never finished, one of them caught
    // half-way through writing its Parquet file, another with only its Parquet file renamed.
    for f in ["metrics.parquet", "summary.parquet", "metrics.csv", "summary.csv"] {
        fs::remove_file(cut.join(f)).unwrap();
    }
    fs::remove_file(cut.join("runs/r000001.json")).unwrap();
    fs::remove_file(cut.join("runs/r000004.parquet")).unwrap();
    fs::remove_file(cut.join("runs/r000004.json")).unwrap();
    let full = fs::read(cut.join("runs/r000002.parquet")).unwrap();
    fs::write(cut.join("runs/.r000004.parquet.tmp-999999"), &full[..full.len() / 2]).unwrap();
    let before = fs::read(cut.join("runs/r000000.parquet")).unwrap();
    let out = sweep_ok(t.path(), &spec, "cut", &[]);
    assert!(out.contains("ran 2") && out.contains("4 already done"), "{out}");
    assert_eq!(before, fs::read(cut.join("runs/r000000.parquet")).unwrap());
    assert_same_results(&t.path().join("ref"), &cut, &COMBINED);
    assert!(temp_files(t.path()).is_empty(), "{:?}", temp_files(t.path()));
    // A finished sweep run again does nothing and changes nothing.
    let again = sweep_ok(t.path(), &spec, "cut", &[]);
    assert!(again.contains("ran 0") && again.contains("6 already done"), "{again}");
    assert_same_results(&t.path().join("ref"), &cut, &COMBINED);
}

#[test]
fn sweep_shards_merged_equal_the_single_machine_sweep_byte_for_byte() {
    let t = TempDir::new("sweep-shards");
    let spec = write_spec(t.path(), "s.toml", SPEC);
    sweep_ok(t.path(), &spec, "all", &[]);
    let s0 = sweep_ok(t.path(), &spec, "s0", &["--shard", "0/2"]);
    assert!(s0.contains("shard 0/2 has 3") && s0.contains("goldrush merge"), "{s0}");
    assert!(
        !t.path().join("s0/metrics.parquet").exists(),
        "a shard alone is not the sweep"
    );
    // Shard 1 as a Slurm array task would run it.
    let o = Command::new(goldrush_bin())
        .current_dir(t.path())
        .args(["sweep", &spec, "--out", "s1", "--csv"])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "2")
        .env("SLURM_ARRAY_TASK_MIN", "0")
        .env("SLURM_ARRAY_TASK_MAX", "1")
        .output()
        .expect("run goldrush");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("shard 1/2 has 3"), "{}", stdout(&o));
    // A resubmission of some shards (`--array=1`) does not tell the shard count: refused.
    let o = Command::new(goldrush_bin())
        .current_dir(t.path())
        .args(["sweep", &spec, "--out", "s1b"])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "1")
        .env("SLURM_ARRAY_TASK_MIN", "1")
        .env("SLURM_ARRAY_TASK_MAX", "1")
        .output()
        .expect("run goldrush");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--shard"), "{}", stderr(&o));
    assert!(!t.path().join("s1b").exists(), "nothing written");
    // Merging with a run missing is refused.
    let o = goldrush(t.path(), &["merge", "s0", "--out", "merged"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 of 6 runs"), "{}", stderr(&o));
    let o = goldrush(t.path(), &["merge", "s0", "--out", "merged", "--shards", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("shards 1 of 2 (resubmit with sbatch --array=1)"),
        "{}",
        stderr(&o)
    );
    goldrush_ok(t.path(), &["merge", "s0", "s1", "--out", "merged", "--csv"]);
    assert_same_results(&t.path().join("all"), &t.path().join("merged"), &COMBINED);
}

#[test]
fn sweep_bad_specs_exit_2_naming_file_line_and_field_and_write_nothing() {
    let t = TempDir::new("sweep-bad");
    let cases: [(&str, String, &[&str]); 7] = [
        (
            "unknown-param.toml",
            SPEC.replace("users.theta_network", "users.theta_bogus"),
            &["unknown-param.toml:9:8", "users.theta_bogus"],
        ),
        (
            "empty.toml",
            SPEC.replace("[0.0, 0.25, 1.0]", "[]"),
            &["empty.toml:8:1", "params[0]", "empty range"],
        ),
        (
            "range.toml",
            SPEC.replace("values = [0.0, 0.25, 1.0]", "min = 2.0\nmax = 1.0\nsteps = 3"),
            &["range.toml:8:1", "empty range", "min = 2"],
        ),
        (
            "too-many.toml",
            SPEC.replace("design = \"grid\"", "design = \"lhs\"\npoints = 1000000")
                .replace("values = [0.0, 0.25, 1.0]", "min = 0.0\nmax = 1.0"),
            &["too-many.toml:2:10", "2000000 runs", "100000"],
        ),
        (
            "unknown-field.toml",
            SPEC.replace("seed = 11", "seeds = 11"),
            &["unknown-field.toml:4:1", "seeds"],
        ),
        (
            "sobol.toml",
            SPEC.replace("design = \"grid\"", "design = \"sobol\""),
            &[
                "sobol.toml:8:1",
                "saltelli samples a range",
                "sobol.toml:2:10",
                "samples = N",
            ],
        ),
        (
            "bad-value.toml",
            SPEC.replace("[0.0, 0.25, 1.0]", "[0.0, -5.0]"),
            &["point 1", "users.theta_network = -5.0", "bad-value.toml:9:8"],
        ),
    ];
    for (name, text, wants) in &cases {
        write_spec(t.path(), name, text);
        let o = goldrush(t.path(), &["sweep", name, "--out", "out"]);
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{name}: expected exit 2, got {:?}:\n{err}",
            o.status.code()
        );
        for w in *wants {
            assert!(err.contains(w), "{name}: error should mention {w:?}:\n{err}");
        }
        assert!(!t.path().join("out").exists(), "{name}: nothing may be written");
    }
    // An output folder that holds another sweep is refused and left untouched.
    let spec = write_spec(t.path(), "s.toml", SPEC);
    sweep_ok(t.path(), &spec, "out", &[]);
    let manifest = fs::read(t.path().join("out/manifest.json")).unwrap();
    let other = write_spec(t.path(), "other.toml", &SPEC.replace("seed = 11", "seed = 12"));
    let o = goldrush(t.path(), &["sweep", &other, "--out", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("holds a different sweep"), "{}", stderr(&o));
    assert_eq!(manifest, fs::read(t.path().join("out/manifest.json")).unwrap());
}

#[test]
fn sweep_shipped_example_specs_are_valid() {
    let dir = workspace().join("scenarios/sweeps");
    let mut n = 0;
    for e in fs::read_dir(&dir).expect("scenarios/sweeps exists").flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "toml") {
            let o = goldrush_ok(&workspace(), &["sweep", p.to_str().unwrap(), "--dry-run"]);
            assert!(stdout(&o).starts_with("OK: "), "{}", stdout(&o));
            n += 1;
        }
    }
    assert!(n >= 1, "no example spec in {}", dir.display());
}

#[test]
fn sweep_parquet_is_readable_by_pyarrow() {
    let probe = Command::new("python3").args(["-c", "import pyarrow"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        goldrush_tests::skip(
            "sweep_parquet_is_readable_by_pyarrow",
            "python3 with pyarrow is not available (python3 -m pip install --user pyarrow; \
             scripts/test.sh installs it)",
        );
        return;
    }
    let t = TempDir::new("sweep-pyarrow");
    let spec = write_spec(t.path(), "s.toml", SPEC);
    sweep_ok(t.path(), &spec, "out", &[]);
    let script = r#"
import sys, pyarrow.compute as pc, pyarrow.parquet as pq
m = pq.read_table(sys.argv[1] + "/metrics.parquet")
s = pq.read_table(sys.argv[1] + "/summary.parquet")
r = pq.read_table(sys.argv[1] + "/runs/r000003.parquet")
assert m.num_rows == 72, m.num_rows
assert s.num_rows == 6, s.num_rows
assert r.num_rows == 12, r.num_rows
assert m.column_names[:5] == ["run", "point", "replicate", "seed", "users_hhi"], m.column_names
assert s.column("users.theta_network").to_pylist() == [0.0, 0.0, 0.25, 0.25, 1.0, 1.0]
assert all(h.startswith("0x") for h in s.column("state_hash").to_pylist())
last = m.filter(pc.equal(m.column("run"), 5)).column("users_hhi").to_pylist()[-1]
assert last == s.column("final_users_hhi").to_pylist()[5]
print("pyarrow ok")
"#;
    let o = Command::new("python3")
        .args(["-c", script, t.path().join("out").to_str().unwrap()])
        .output()
        .expect("run python3");
    assert!(
        o.status.success(),
        "pyarrow could not read the sweep's Parquet files:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn sweep_latin_hypercube_is_deterministic_and_keeps_integer_parameters_integral() {
    let t = TempDir::new("sweep-lhs");
    let spec = write_spec(
        t.path(),
        "lhs.toml",
        r#"base = "tiny"
design = "lhs"
points = 4
seed = 3
months = 6
outputs = ["users_hhi"]

[[params]]
path = "users.theta_network"
min = 0.0
max = 1.0

[[params]]
path = "users.consumer_agents"
min = 1000
max = 3000
"#,
    );
    sweep_ok(t.path(), &spec, "a", &["--jobs", "1"]);
    sweep_ok(t.path(), &spec, "b", &["--jobs", "2"]);
    assert_same_results(&t.path().join("a"), &t.path().join("b"), &COMBINED);
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(t.path().join("a/manifest.json")).unwrap()).unwrap();
    let points = manifest["spec"]["points"].as_array().expect("points");
    assert_eq!(points.len(), 4);
    let mut strata: Vec<u64> = points
        .iter()
        .map(|p| {
            let agents: u64 = p[1].as_str().unwrap().parse().expect("an integer literal");
            assert!((1000..=3000).contains(&agents), "{agents}");
            let x: f64 = p[0].as_str().unwrap().parse().unwrap();
            (x * 4.0).floor() as u64
        })
        .collect();
    strata.sort();
    assert_eq!(strata, vec![0, 1, 2, 3], "one point per stratum: {points:?}");
}

#[test]
fn bench_sweep_times_each_job_count_checks_identical_results_and_cleans_up() {
    let t = TempDir::new("sweep-bench");
    let spec = write_spec(t.path(), "s.toml", SPEC);
    let scratch = t.path().join("tmp");
    fs::create_dir_all(&scratch).expect("mkdir");
    let o = Command::new(goldrush_bin())
        .current_dir(t.path())
        .args(["bench", "--sweep", &spec, "--jobs", "1,2", "--repeat", "2"])
        .env("TMPDIR", &scratch)
        .output()
        .expect("run goldrush");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("efficiency"), "{out}");
    assert!(out.contains("identical across job counts and repeats: yes"), "{out}");
    // 2 repeats x 2 job counts, each line with the runs count and a digest.
    let timed = out.lines().filter(|l| l.split_whitespace().nth(2) == Some("6")).count();
    assert_eq!(timed, 4, "{out}");
    assert!(files_under(&scratch).is_empty(), "temporary sweep folders are removed");
    // Bad job counts are the user's fault.
    let o = goldrush(t.path(), &["bench", "--sweep", &spec, "--jobs", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
