//! `goldrush sensitivity` end to end on `tiny` with 12 months and 2 parameters: the Saltelli
//! analysis writes its table, csv, json and charts, byte-identical for one and two jobs, for a
//! re-run on the finished folder and for shards merged on a "cluster"; Morris works; bad specs
//! exit 2 naming the field and write nothing.

use std::fs;
use std::path::Path;

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
