//! `goldrush backtest`: the model against the data through the binary, at test scale (the
//! default scenario with 1,100 user agents and 20 startups, 3 seeds): both files with every
//! target of data/targets.toml, identical bytes for any job count, a targets file read from disk
//! with its data beside it, bad targets files that exit 2 naming file:line and write nothing,
//! charts, and docs/VALIDATION.md equal to what the code generates.

use std::fs;

use crate::cli::{TempDir, files_under, goldrush, goldrush_ok, read_json, stderr, stdout, workspace};

/// Small scale: few user agents and startups, 3 seeds.
const SMALL: [&str; 8] = [
    "--set",
    "users.consumer_agents=1000",
    "--set",
    "users.enterprise_agents=100",
    "--set",
    "startups.initial_count=20",
    "--seeds",
    "3",
];

/// The command scripts/docs.sh runs (in the workspace) to write docs/VALIDATION.md.
const VALIDATION_COMMAND: [&str; 4] = [
    "backtest",
    "--calibration",
    "scenarios/calibrations/history-abc.toml",
    "--markdown",
];

/// Targets declared in the shipped data/targets.toml.
fn shipped_targets() -> usize {
    let text = fs::read_to_string(workspace().join("data/targets.toml")).expect("data/targets.toml");
    text.lines().filter(|l| l.trim() == "[[target]]").count()
}

fn backtest(dir: &std::path::Path, out: &str, extra: &[&str]) -> String {
    let mut args = vec!["backtest", "--out", out];
    args.extend(SMALL);
    args.extend(extra);
    stdout(&goldrush_ok(dir, &args))
}

#[test]
fn backtest_writes_both_files_with_every_target() {
    let t = TempDir::new("backtest-files");
    let out = backtest(t.path(), "bt", &[]);
    let n = shipped_targets();
    assert!(n >= 15, "data/targets.toml declares {n} targets");
    assert!(
        out.contains("moments in the data interval or within 2 model sds"),
        "{out}"
    );
    let csv = fs::read_to_string(t.path().join("bt/backtest.csv")).expect("backtest.csv");
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("id,tags,period,weight,data_value,data_lower,data_upper,model_mean"),
        "{csv}"
    );
    assert_eq!(lines.count(), n, "one row per target:\n{csv}");
    let json = read_json(&t.path().join("bt/backtest.json"));
    let rows = json["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), n);
    assert_eq!(json["seeds"].as_array().map(Vec::len), Some(3));
    for r in rows {
        let v = r["verdict"].as_str().expect("verdict");
        assert!(
            ["in data interval", "in model band", "off", "not produced"].contains(&v),
            "verdict {v:?} in {r}"
        );
        assert!(r["data_lower"].as_f64() <= r["data_value"].as_f64());
        assert!(r["data_value"].as_f64() <= r["data_upper"].as_f64());
    }
    let paid = rows
        .iter()
        .find(|r| r["id"] == "paid_conversion_2026")
        .expect("paid conversion is declared");
    assert_eq!(
        paid["seeds_used"], 3,
        "the model produces paid_conversion (freemium) in every seed: {paid}"
    );
    let cr5 = rows
        .iter()
        .find(|r| r["id"] == "compute_cr5_2025")
        .expect("compute_cr5_2025");
    assert_eq!(
        cr5["seeds_used"], 3,
        "the model produces compute_cr5 in every seed: {cr5}"
    );
}

#[test]
fn backtest_results_are_identical_for_any_job_count() {
    let t = TempDir::new("backtest-jobs");
    backtest(t.path(), "j1", &["--jobs", "1"]);
    backtest(t.path(), "j2", &["--jobs", "2"]);
    for f in ["backtest.csv", "backtest.json"] {
        let a = fs::read(t.path().join("j1").join(f)).expect("j1");
        let b = fs::read(t.path().join("j2").join(f)).expect("j2");
        assert!(a == b, "{f} differs between --jobs 1 and --jobs 2");
    }
}

/// A targets file on disk reads its CSVs from its own folder; --only and --tags pick subsets.
#[test]
fn backtest_reads_a_targets_file_and_its_data_from_disk() {
    let t = TempDir::new("backtest-disk");
    let d = t.path().join("mydata");
    fs::create_dir_all(&d).expect("mkdir");
    fs::write(
        d.join("prices.csv"),
        "date,variable,value\n2024-06-30,spot,2.0\n2024-06-30,spot,4.0\n",
    )
    .expect("csv");
    fs::write(
        d.join("t.toml"),
        "[[target]]\nid = \"spot_2024\"\ndescription = \"mean spot price\"\ntags = [\"prices\"]\nweight = 1.0\nperiod = \"2024-06\"\n[target.data]\nfile = \"prices.csv\"\nderive = \"mean\"\nwhere = { variable = \"spot\" }\ndate = \"2024-06\"\ninterval = \"range\"\n[target.model]\nmetric = \"spot_price_usd\"\nstatistic = \"value\"\n",
    )
    .expect("toml");
    backtest(t.path(), "disk", &["--targets", "mydata/t.toml"]);
    let json = read_json(&t.path().join("disk/backtest.json"));
    let r = &json["rows"][0];
    assert_eq!(
        (
            r["data_value"].as_f64(),
            r["data_lower"].as_f64(),
            r["data_upper"].as_f64()
        ),
        (Some(3.0), Some(2.0), Some(4.0))
    );
    assert_eq!(json["targets"], "mydata/t.toml");
    backtest(t.path(), "only", &["--only", "compute_cr5_2025,deals_active_2026"]);
    let json = read_json(&t.path().join("only/backtest.json"));
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(2));
    let o = goldrush(t.path(), &["backtest", "--only", "no_such_target", "--out", "x"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no_such_target"));
}

#[test]
fn backtest_bad_targets_file_exits_2_with_file_line_and_writes_nothing() {
    let t = TempDir::new("backtest-bad");
    fs::write(
        t.path().join("bad.toml"),
        "[[target]]\nid = \"x\"\ndescription = \"d\"\nweight = 0.0\nperiod = \"2025-12\"\n[target.data]\nderive = \"literal\"\nvalue = 1.0\nsource = \"s\"\n[target.model]\nmetric = \"compute_cr5\"\nstatistic = \"mean\"\n",
    )
    .expect("write");
    let o = goldrush(t.path(), &["backtest", "--targets", "bad.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("bad.toml:4:") && e.contains("weight"), "{e}");
    assert!(
        e.contains("bad.toml:12:") && e.contains("unknown statistic \"mean\""),
        "{e}"
    );
    assert!(!t.path().join("out").exists(), "nothing is written on bad input");
    fs::write(t.path().join("syntax.toml"), "[[target]]\nid = \"x\"\nweight = \n").expect("write");
    let o = goldrush(t.path(), &["backtest", "--targets", "syntax.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("syntax.toml:3:"), "{}", stderr(&o));
    fs::write(
        t.path().join("nofile.toml"),
        "[[target]]\nid = \"x\"\ndescription = \"d\"\nweight = 1.0\nperiod = \"2025-12\"\n[target.data]\nfile = \"missing.csv\"\nderive = \"mean\"\ninterval = \"range\"\n[target.model]\nmetric = \"compute_cr5\"\nstatistic = \"value\"\n",
    )
    .expect("write");
    let o = goldrush(t.path(), &["backtest", "--targets", "nofile.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nofile.toml:7:") && stderr(&o).contains("missing.csv"),
        "{}",
        stderr(&o)
    );
    let o = goldrush(t.path(), &["backtest", "--targets", "absent.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("absent.toml"), "{}", stderr(&o));
    assert!(!t.path().join("out").exists());
}

#[test]
fn backtest_plots_draw_the_model_band_with_the_data() {
    let t = TempDir::new("backtest-plots");
    backtest(t.path(), "p", &["--plots", "--tags", "prices"]);
    let files: Vec<String> = files_under(&t.path().join("p"))
        .iter()
        .filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()))
        .collect();
    for f in [
        "backtest-spot_price_usd.png",
        "backtest-spot_price_usd.svg",
        "backtest-contract_price_usd.png",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} missing among {files:?}");
    }
    let svg = fs::read_to_string(t.path().join("p/backtest-spot_price_usd.svg")).expect("svg");
    assert!(
        svg.contains("h100_peak_2023") && svg.contains("calendar year"),
        "data labelled on the chart"
    );
}

/// docs/VALIDATION.md is exactly what `goldrush backtest --markdown` prints (the command it
/// states); regenerate with `bash scripts/docs.sh`.
#[test]
fn backtest_marks_moments_in_and_out_of_sample_of_a_calibration() {
    let t = TempDir::new("backtest-sample");
    let spec = workspace().join("scenarios/calibrations/history-abc.toml");
    let spec = spec.to_str().expect("path");
    let out = backtest(
        t.path(),
        "bt",
        &["--calibration", spec, "--only", "compute_cr5_2024,deals_active_2026"],
    );
    assert!(
        out.contains("In sample (fitted): ") && out.contains("Out of sample (not fitted): "),
        "{out}"
    );
    let csv = fs::read_to_string(t.path().join("bt/backtest.csv")).expect("backtest.csv");
    let mut lines = csv.lines();
    assert!(lines.next().expect("header").ends_with(",note,sample"));
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows[0].starts_with("compute_cr5_2024,") && rows[0].ends_with(",in sample"),
        "{csv}"
    );
    assert!(
        rows[1].starts_with("deals_active_2026,") && rows[1].ends_with(",out of sample"),
        "{csv}"
    );
    // A spec naming a target the file lacks is bad input, and nothing is written.
    fs::write(
        t.path().join("spec.toml"),
        format!(
            "scenario = \"history\"\ntargets = \"{}\"\ntarget_ids = [\"no_such_moment\"]\nseeds = 1\nseed = 1\nmethod = \"smm\"\n[[params]]\npath = \"users.theta_network\"\nmin = 0.5\nmax = 2.0\n",
            workspace().join("data/targets.toml").display()
        ),
    )
    .expect("write");
    let o = goldrush(t.path(), &["backtest", "--calibration", "spec.toml", "--out", "out2"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("spec.toml:") && e.contains("no_such_moment"), "{e}");
    assert!(!t.path().join("out2").exists(), "nothing is written on bad input");
}

#[test]
fn backtest_validation_md_matches_the_code() {
    let generated = stdout(&goldrush_ok(&workspace(), &VALIDATION_COMMAND));
    let committed = fs::read_to_string(workspace().join("docs/VALIDATION.md")).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/VALIDATION.md is out of date with the code; regenerate it with bash scripts/docs.sh"
    );
    assert!(generated.contains(&format!("Generated by `goldrush {}`", VALIDATION_COMMAND.join(" "))));
}
