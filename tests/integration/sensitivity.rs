//! `goldrush sensitivity` end to end on `tiny` with 12 months and 2 parameters: the Saltelli
//! analysis writes its table, csv, json and charts, byte-identical for one and two jobs, for a
//! re-run on the finished folder and for shards merged on a "cluster"; the indices it writes are
//! the ones recomputed here from the sweep's own per-run outputs (Sobol S1/ST by the formulas of
//! Saltelli 2010 and Jansen 1999, Morris μ, μ*, σ by their definitions, intervals by
//! `sim_core::sensitivity`); Morris works; bad specs exit 2 naming the field and write nothing.

use std::fs;
use std::path::Path;

use sim_core::sensitivity as sa;

use crate::cli::{TempDir, goldrush, goldrush_ok, read_json, stderr, stdout};

/// 8 base samples x (2 + 2) points x 1 replicate = 32 runs.
const SALTELLI: &str = r#"base = "tiny"
design = "saltelli"
samples = 8
seed = 3
months = 12
outputs = ["users_hhi", "startups_alive"]

[sensitivity]
statistic = "mean"
bootstrap = 200

[[params]]
path = "users.theta_network"
min = 0.0
max = 2.0

[[params]]
path = "allocation.priority_theta"
min = 0.0
max = 2.0
"#;

const RESULTS: [&str; 6] = [
    "sensitivity.csv",
    "sensitivity.json",
    "sensitivity-users_hhi.png",
    "sensitivity-users_hhi.svg",
    "sensitivity-startups_alive.png",
    "sensitivity-startups_alive.svg",
];

/// Seed, bootstrap resamples, outputs and parameter ranges of [`SALTELLI`].
const SEED: u64 = 3;
const BOOTSTRAP: usize = 200;
const OUTPUTS: [&str; 2] = ["users_hhi", "startups_alive"];
const PARAMS: [(&str, f64, f64); 2] = [
    ("users.theta_network", 0.0, 2.0),
    ("allocation.priority_theta", 0.0, 2.0),
];

fn write_spec(dir: &Path, name: &str, text: &str) -> String {
    fs::write(dir.join(name), text).expect("write spec");
    name.to_string()
}

fn assert_same(a: &Path, b: &Path) {
    for f in RESULTS {
        let x = fs::read(a.join(f)).unwrap_or_else(|e| panic!("{}: {e}", a.join(f).display()));
        let y = fs::read(b.join(f)).unwrap_or_else(|e| panic!("{}: {e}", b.join(f).display()));
        assert!(x == y, "{f} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn sensitivity_saltelli_results_are_identical_for_jobs_reruns_and_merged_shards() {
    let t = TempDir::new("sens-saltelli");
    let spec = write_spec(t.path(), "s.toml", SALTELLI);
    let table = stdout(&goldrush_ok(
        t.path(),
        &["sensitivity", &spec, "--out", "j1", "--jobs", "1"],
    ));
    goldrush_ok(
        t.path(),
        &["sensitivity", &spec, "--out", "j2", "--jobs", "2", "--quiet"],
    );
    assert_same(&t.path().join("j1"), &t.path().join("j2"));
    for want in [
        "32 runs",
        "S1",
        "ST",
        "users.theta_network",
        "allocation.priority_theta",
        "95% CI",
    ] {
        assert!(table.contains(want), "table should mention {want:?}:\n{table}");
    }
    // The csv: one row per output and parameter, every index a number.
    let csv = fs::read_to_string(t.path().join("j1/sensitivity.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("output,statistic,parameter,min,max,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi"));
    assert_eq!(lines.len(), 1 + 2 * 2, "{csv}");
    assert!(lines[1].starts_with("users_hhi,mean,users.theta_network,0,2,"), "{csv}");
    let json = read_json(&t.path().join("j1/sensitivity.json"));
    assert_eq!(json["method"], "saltelli");
    assert_eq!(json["statistic"], "mean");
    assert_eq!(json["bootstrap"], 200);
    let hhi = &json["outputs"][0];
    assert_eq!(hhi["metric"], "users_hhi");
    assert_eq!(hhi["base_samples_used"], 8);
    assert_eq!(hhi["base_samples_skipped"], 0);
    let st = hhi["params"][0]["ST"].as_f64().expect("ST is a number");
    assert!(st > 0.0, "network effects move user concentration: ST = {st}");
    let png = fs::read(t.path().join("j1/sensitivity-users_hhi.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    let svg = fs::read_to_string(t.path().join("j1/sensitivity-users_hhi.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("users.theta_network") && svg.contains("ST (total)"));
    // A second call on the finished folder only analyses, with the same bytes.
    let again = stdout(&goldrush_ok(t.path(), &["sensitivity", &spec, "--out", "j1"]));
    assert!(again.contains("already in"), "{again}");
    assert_same(&t.path().join("j1"), &t.path().join("j2"));
    // The cluster route: shards, merge, then analyse the merged folder.
    for shard in ["0/2", "1/2"] {
        let out = format!("s{}", &shard[..1]);
        goldrush_ok(t.path(), &["sweep", &spec, "--out", &out, "--shard", shard, "--quiet"]);
    }
    goldrush_ok(t.path(), &["merge", "s0", "s1", "--out", "all"]);
    let merged = stdout(&goldrush_ok(t.path(), &["sensitivity", &spec, "--out", "all"]));
    assert!(merged.contains("already in"), "{merged}");
    assert_same(&t.path().join("j1"), &t.path().join("all"));
    assert_sobol_indices_recomputed(t.path(), &spec, "j1", 8);
}

/// A CSV file (no quoted fields) as its header and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>());
    let header = lines.next().unwrap_or_else(|| panic!("{}: empty", path.display()));
    (header, lines.collect())
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}

fn num(field: &str) -> f64 {
    field
        .parse()
        .unwrap_or_else(|e| panic!("{field:?} is not a number: {e}"))
}

/// Per design point, per output in [`OUTPUTS`]: the run statistic (`final`: last month, `mean`:
/// mean of the non-NaN months) averaged over the point's replicates (NaN ones skipped), read
/// from the sweep's metrics.csv (`goldrush sweep --csv` on the finished folder writes it and
/// summary.csv, running nothing).
fn point_values(dir: &Path, spec: &str, out: &str, statistic: &str) -> Vec<Vec<f64>> {
    let again = stdout(&goldrush_ok(dir, &["sweep", spec, "--out", out, "--csv"]));
    assert!(
        again.contains("ran 0 "),
        "the sweep is complete; nothing may run again:\n{again}"
    );
    let (header, rows) = read_csv(&dir.join(out).join("metrics.csv"));
    let (run_col, point_col) = (column(&header, "run"), column(&header, "point"));
    OUTPUTS
        .iter()
        .map(|metric| {
            let c = column(&header, metric);
            // Per run: (point, last value, sum and count of the non-NaN values).
            let mut runs: Vec<(usize, f64, f64, u32)> = Vec::new();
            for r in &rows {
                let (run, point): (usize, usize) = (r[run_col].parse().unwrap(), r[point_col].parse().unwrap());
                if run == runs.len() {
                    runs.push((point, f64::NAN, 0.0, 0));
                }
                assert_eq!(run + 1, runs.len(), "metrics.csv rows are in run order");
                let x = num(&r[c]);
                let slot = &mut runs[run];
                slot.1 = x;
                if !x.is_nan() {
                    slot.2 += x;
                    slot.3 += 1;
                }
            }
            let stat = |&(_, last, sum, n): &(usize, f64, f64, u32)| match statistic {
                "final" => last,
                "mean" if n > 0 => sum / f64::from(n),
                "mean" => f64::NAN,
                other => panic!("statistic {other}"),
            };
            let points = runs.last().map_or(0, |r| r.0 + 1);
            (0..points)
                .map(|p| {
                    let v: Vec<f64> = runs
                        .iter()
                        .filter(|r| r.0 == p)
                        .map(stat)
                        .filter(|x| !x.is_nan())
                        .collect();
                    if v.is_empty() {
                        f64::NAN
                    } else {
                        v.iter().sum::<f64>() / v.len() as f64
                    }
                })
                .collect()
        })
        .collect()
}

fn sq(x: f64) -> f64 {
    x * x
}

/// Asserts `got` (written by the CLI) equals `want` (recomputed) to 1e-9, relative above 1.
fn assert_close(what: &str, got: f64, want: f64) {
    let ok = (got.is_nan() && want.is_nan()) || (got - want).abs() <= 1e-9 * want.abs().max(1.0);
    assert!(
        ok,
        "{what}: the CLI wrote {got}, recomputed from the sweep's outputs {want}"
    );
}

/// The CLI's row of sensitivity.csv for (output, parameter), as column -> value.
fn csv_result(out: &Path, metric: &str, param: &str) -> impl Fn(&str) -> f64 + use<> {
    let (header, rows) = read_csv(&out.join("sensitivity.csv"));
    let row = rows
        .into_iter()
        .find(|r| r[0] == metric && r[2] == param)
        .unwrap_or_else(|| panic!("sensitivity.csv has no row for {metric} and {param}"));
    move |name: &str| num(&row[column(&header, name)])
}

/// Recomputes the Saltelli indices of every output from the sweep's own outputs and checks the
/// design (each run's parameters), sensitivity.csv and sensitivity.json against them.
fn assert_sobol_indices_recomputed(dir: &Path, spec: &str, out: &str, n: usize) {
    let k = PARAMS.len();
    let values = point_values(dir, spec, out, "mean");
    // Each run's parameters are the Saltelli design's points mapped onto the ranges.
    let design = sa::saltelli_points(k, n).unwrap();
    let (header, rows) = read_csv(&dir.join(out).join("summary.csv"));
    assert_eq!(rows.len(), design.len(), "one run per design point (1 replicate)");
    for (row, u) in rows.iter().zip(&design) {
        for (i, (path, min, max)) in PARAMS.iter().enumerate() {
            let x = num(&row[column(&header, path)]);
            assert_close(&format!("run {} {path}", row[0]), x, min + u[i] * (max - min));
        }
    }
    let json = read_json(&dir.join(out).join("sensitivity.json"));
    for (o, y) in values.iter().enumerate() {
        let metric = OUTPUTS[o];
        // Saltelli et al. (2010) first order, centred on the mean m of f(A) and f(B); Jansen
        // (1999) total effect; V the variance of f(A) and f(B) with divisor 2N.
        let blocks: Vec<&[f64]> = y.chunks(k + 2).collect();
        let nf = blocks.len() as f64;
        let m = blocks.iter().map(|b| b[0] + b[k + 1]).sum::<f64>() / (2.0 * nf);
        let v = blocks.iter().map(|b| sq(b[0] - m) + sq(b[k + 1] - m)).sum::<f64>() / (2.0 * nf);
        let lib = sa::sobol_indices(k, y, BOOTSTRAP, SEED).unwrap();
        let out_json = &json["outputs"][o];
        assert_eq!(out_json["metric"], metric);
        assert_close(&format!("{metric} variance"), out_json["variance"].as_f64().unwrap(), v);
        for (i, (path, _, _)) in PARAMS.iter().enumerate() {
            let s1 = blocks.iter().map(|b| (b[k + 1] - m) * (b[1 + i] - b[0])).sum::<f64>() / nf / v;
            let st = blocks.iter().map(|b| sq(b[0] - b[1 + i])).sum::<f64>() / (2.0 * nf) / v;
            let x = &lib.indices[i];
            assert_close(&format!("sim_core's S1 of {metric} on {path}"), x.s1, s1);
            assert_close(&format!("sim_core's ST of {metric} on {path}"), x.st, st);
            let csv = csv_result(&dir.join(out), metric, path);
            let p = &out_json["params"][i];
            assert_eq!(p["path"], *path);
            for (name, want) in [
                ("S1", s1),
                ("S1_lo", x.s1_lo),
                ("S1_hi", x.s1_hi),
                ("ST", st),
                ("ST_lo", x.st_lo),
                ("ST_hi", x.st_hi),
            ] {
                assert_close(&format!("sensitivity.csv {metric} {path} {name}"), csv(name), want);
                let j = p[name].as_f64().unwrap_or(f64::NAN);
                assert_close(&format!("sensitivity.json {metric} {path} {name}"), j, want);
            }
        }
    }
}

#[test]
fn sensitivity_morris_reports_mu_star_and_sigma() {
    let t = TempDir::new("sens-morris");
    let text = SALTELLI
        .replace(
            "design = \"saltelli\"\nsamples = 8",
            "design = \"morris\"\ntrajectories = 6\nlevels = 4",
        )
        .replace("statistic = \"mean\"", "statistic = \"final\"");
    let spec = write_spec(t.path(), "m.toml", &text);
    let table = stdout(&goldrush_ok(
        t.path(),
        &["sensitivity", &spec, "--out", "m", "--jobs", "2"],
    ));
    assert!(
        table.contains("18 runs") && table.contains("mu*") && table.contains("sigma"),
        "{table}"
    );
    let csv = fs::read_to_string(t.path().join("m/sensitivity.csv")).unwrap();
    assert!(csv.starts_with(
        "output,statistic,parameter,min,max,mu,mu_star,mu_star_lo,mu_star_hi,sigma,mu_star_per_unit,effects"
    ));
    let json = read_json(&t.path().join("m/sensitivity.json"));
    assert_eq!(json["method"], "morris");
    let p = &json["outputs"][0]["params"][0];
    assert_eq!(p["effects"], 6);
    let (mu_star, per_unit) = (p["mu_star"].as_f64().unwrap(), p["mu_star_per_unit"].as_f64().unwrap());
    assert!(
        (per_unit - mu_star / 2.0).abs() <= 1e-12 * mu_star.abs(),
        "the range is 2 wide"
    );
    for f in ["sensitivity-users_hhi.png", "sensitivity-startups_alive.svg"] {
        assert!(t.path().join("m").join(f).is_file(), "{f}");
    }
    // μ, μ*, σ recomputed from the sweep's outputs by their definitions: per trajectory, each
    // step moves one factor by ±Δ; EE = Δy / Δx (per whole range).
    let (k, r) = (PARAMS.len(), 6);
    let design = sa::morris_design(k, r, 4, SEED).unwrap();
    for (o, y) in point_values(t.path(), &spec, "m", "final").iter().enumerate() {
        let metric = OUTPUTS[o];
        let mut effects = vec![Vec::new(); k];
        for (tr, order) in design.moved.iter().enumerate() {
            for (step, &f) in order.iter().enumerate() {
                let (a, b) = (tr * (k + 1) + step, tr * (k + 1) + step + 1);
                effects[f].push((y[b] - y[a]) / (design.points[b][f] - design.points[a][f]));
            }
        }
        let lib = sa::morris_indices(&design, y, BOOTSTRAP, SEED).unwrap();
        for (i, (path, min, max)) in PARAMS.iter().enumerate() {
            let ee = &effects[i];
            let n = ee.len() as f64;
            let mu = ee.iter().sum::<f64>() / n;
            let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / n;
            let sigma = (ee.iter().map(|e| sq(e - mu)).sum::<f64>() / (n - 1.0)).sqrt();
            let csv = csv_result(&t.path().join("m"), metric, path);
            assert_eq!(csv("effects"), n, "{metric} {path}: one effect per trajectory");
            for (name, want) in [
                ("mu", mu),
                ("mu_star", mu_star),
                ("sigma", sigma),
                ("mu_star_per_unit", mu_star / (max - min)),
                ("mu_star_lo", lib.indices[i].mu_star_lo),
                ("mu_star_hi", lib.indices[i].mu_star_hi),
            ] {
                assert_close(&format!("sensitivity.csv {metric} {path} {name}"), csv(name), want);
            }
        }
    }
}

#[test]
fn sensitivity_bad_specs_exit_2_naming_the_field_and_write_nothing() {
    let t = TempDir::new("sens-bad");
    let morris = SALTELLI.replace(
        "design = \"saltelli\"\nsamples = 8",
        "design = \"morris\"\ntrajectories = 4\nlevels = 4",
    );
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "zero.toml",
            SALTELLI.replace("samples = 8", "samples = 0"),
            vec!["zero.toml:3:11", "samples must be at least 1"],
        ),
        (
            "odd.toml",
            morris.replace("levels = 4", "levels = 5"),
            vec!["odd.toml:4:10", "levels = 5 must be even"],
        ),
        (
            "values.toml",
            SALTELLI.replace(
                "min = 0.0\nmax = 2.0\n\n[[params]]",
                "values = [0.0, 1.0]\n\n[[params]]",
            ),
            vec!["values.toml:12:1", "params[0]", "saltelli samples a range"],
        ),
        (
            "metric.toml",
            SALTELLI.replace("\"startups_alive\"", "\"startups_bogus\""),
            vec!["metric.toml:6:11", "outputs", "startups_bogus"],
        ),
        (
            "statistic.toml",
            SALTELLI.replace("statistic = \"mean\"", "statistic = \"median\""),
            vec!["statistic.toml:9:13", "sensitivity.statistic"],
        ),
        (
            "grid.toml",
            SALTELLI
                .replace("design = \"saltelli\"\nsamples = 8", "design = \"grid\"")
                .replace("[sensitivity]\nstatistic = \"mean\"\nbootstrap = 200\n", "")
                .replace("min = 0.0\nmax = 2.0", "values = [0.0, 1.0]"),
            vec!["grid.toml", "needs a saltelli (alias sobol) or morris design"],
        ),
    ];
    for (name, text, wants) in &cases {
        write_spec(t.path(), name, text);
        let o = goldrush(t.path(), &["sensitivity", name, "--out", "out"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: expected exit 2:\n{err}");
        for w in wants {
            assert!(err.contains(w), "{name}: error should mention {w:?}:\n{err}");
        }
        assert!(!t.path().join("out").exists(), "{name}: nothing may be written");
    }
    let help = stdout(&goldrush_ok(t.path(), &["sensitivity", "--help"]));
    assert!(
        help.contains("saltelli") && help.contains("morris") && help.contains("--dry-run"),
        "{help}"
    );
    let spec = write_spec(t.path(), "s.toml", SALTELLI);
    let dry = stdout(&goldrush_ok(t.path(), &["sensitivity", &spec, "--dry-run"]));
    assert!(
        dry.contains("OK") && dry.contains("32 runs") && dry.contains("would analyse"),
        "{dry}"
    );
    assert!(!t.path().join("sensitivity-out").exists(), "--dry-run writes nothing");
}
