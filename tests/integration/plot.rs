//! `goldrush run --plots`, `goldrush compare --plots` and `goldrush plot` end to end: the
//! expected charts are written as real PNG and SVG files with their titles; `plot` on a run or
//! comparison folder gives byte for byte the charts written with `--plots`; repeated commands
//! give identical bytes; run folders without panel.csv, comparison and sweep folders give their
//! charts with a note for what they cannot draw; bad input exits 2 naming the file and writes
//! nothing. Every run uses `tiny` with 12 or 24 months.

use std::fs;
use std::path::Path;

use crate::cli::{TempDir, files_under, goldrush, goldrush_ok, stderr, stdout};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The stems `goldrush run --plots` writes: the key metrics and the four other charts.
const RUN_CHARTS: [&str; 14] = [
    "users_hhi",
    "users_cr1",
    "switching_rate",
    "compute_cr5",
    "spot_price_usd",
    "startups_alive",
    "survival_60m",
    "talent_top_hub_share",
    "deal_lockin_share",
    "haves_compute_share",
    "consumer_surplus_per_user_usd",
    "spot_vs_contract",
    "platform_shares",
    "startup_survival",
];

fn read(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn svg_text(p: &Path) -> String {
    String::from_utf8(read(p)).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Chart files (png, svg) in `dir`, by name.
fn charts_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = files_under(dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png" || e == "svg"))
        .map(|p| p.file_name().expect("file name").to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every chart in `a` is in `b` with the same bytes, and `b` has no other charts.
fn assert_same_charts(a: &Path, b: &Path) {
    let (ca, cb) = (charts_in(a), charts_in(b));
    assert_eq!(ca, cb, "chart files differ between {} and {}", a.display(), b.display());
    for f in &ca {
        assert!(
            read(&a.join(f)) == read(&b.join(f)),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn run_plots_writes_every_chart_and_plot_of_the_folder_gives_the_same_bytes() {
    let t = TempDir::new("plot-run");
    let out = stdout(&goldrush_ok(
        t.path(),
        &["run", "tiny", "--months", "24", "--plots", "--panel", "--out", "r"],
    ));
    assert!(out.contains("and 28 charts (SVG and PNG)"), "{out}");
    let r = t.path().join("r");
    for stem in RUN_CHARTS {
        let png = read(&r.join(format!("{stem}.png")));
        assert!(
            png.starts_with(PNG_SIGNATURE) && png.len() > 1000,
            "{stem}.png is not a PNG"
        );
        let svg = svg_text(&r.join(format!("{stem}.svg")));
        assert!(svg.starts_with("<svg"), "{stem}.svg is not an SVG");
    }
    let title = |stem: &str| svg_text(&r.join(format!("{stem}.svg")));
    assert!(title("users_hhi").contains("users_hhi: tiny, seed 42"));
    assert!(
        title("users_hhi").contains("users_hhi (0-10000)"),
        "y axis with its unit"
    );
    assert!(title("spot_vs_contract").contains("Spot vs contract GPU price: tiny, seed 42"));
    assert!(title("spot_vs_contract").contains("price (USD/GPU-h)"));
    assert!(title("platform_shares").contains("Platform user shares: tiny, seed 42"));
    assert!(title("platform_shares").contains("Apex"), "platforms are named");
    assert!(title("startup_survival").contains("Startup survival by age (Kaplan-Meier)"));
    assert!(title("startup_survival").contains("age (months)"));
    // 24 months: no cohort is 60 months old, so survival_60m is NaN throughout.
    let s60 = title("survival_60m");
    assert!(
        s60.contains("no data") && s60.contains("undefined (NaN)"),
        "a metric NaN throughout says so"
    );

    // `plot` on the folder draws the same charts from the files, byte for byte, every time.
    goldrush_ok(t.path(), &["plot", "r", "--out", "p1"]);
    goldrush_ok(t.path(), &["plot", "r", "--out", "p2", "-q"]);
    assert_same_charts(&r, &t.path().join("p1"));
    assert_same_charts(&t.path().join("p1"), &t.path().join("p2"));
    // And the run itself is repeatable, charts included.
    goldrush_ok(
        t.path(),
        &["run", "tiny", "--months", "24", "--plots", "--out", "r2", "-q"],
    );
    assert_same_charts(&r, &t.path().join("r2"));
    assert!(
        files_under(t.path())
            .iter()
            .all(|p| !p.to_string_lossy().contains(".tmp-")),
        "temporary files left behind"
    );
}

#[test]
fn plot_of_seeds_without_panel_draws_bands_and_explains_missing_firm_charts() {
    let t = TempDir::new("plot-seeds");
    for seed in ["1", "2", "3"] {
        goldrush_ok(
            t.path(),
            &[
                "run",
                "tiny",
                "--months",
                "12",
                "--seed",
                seed,
                "--out",
                &format!("s{seed}"),
                "-q",
            ],
        );
    }
    let o = goldrush_ok(
        t.path(),
        &[
            "plot",
            "s1",
            "s2",
            "s3",
            "--metrics",
            "users_hhi,contract_price_usd",
            "--format",
            "svg",
            "--out",
            "p",
        ],
    );
    let out = stdout(&o);
    assert!(
        out.contains("has no panel.csv") && out.contains("re-run with `goldrush run --panel`"),
        "{out}"
    );
    assert_eq!(
        charts_in(&t.path().join("p")),
        ["contract_price_usd.svg", "spot_vs_contract.svg", "users_hhi.svg"],
        "only SVGs, and no firm-level charts without the panel"
    );
    let svg = svg_text(&t.path().join("p/users_hhi.svg"));
    assert!(
        svg.contains("mean and 10-90% band over 3 seeds"),
        "three seeds, one series"
    );
    assert!(svg.contains("tiny"), "legend names the scenario");

    // Another scenario with the same name (a --set) is another series, told apart by folder.
    goldrush_ok(
        t.path(),
        &[
            "run",
            "tiny",
            "--months",
            "12",
            "--set",
            "users.theta_network=2.0",
            "--out",
            "v",
            "-q",
        ],
    );
    goldrush_ok(
        t.path(),
        &["plot", "s1", "v", "s2", "--metrics", "users_hhi", "--out", "pv", "-q"],
    );
    let svg = svg_text(&t.path().join("pv/users_hhi.svg"));
    assert!(
        svg.contains("tiny: s1, s2 (2 seeds)") && svg.contains("tiny: v (1 seed)"),
        "two series, labelled by folder"
    );
}

#[test]
fn plot_of_a_comparison_folder_gives_the_compare_plots_charts() {
    let t = TempDir::new("plot-compare");
    goldrush_ok(
        t.path(),
        &[
            "compare",
            "tiny",
            "tiny",
            "--set",
            "users.theta_network=2.0",
            "--seeds",
            "2",
            "--months",
            "12",
            "--metrics",
            "users_hhi,startups_alive",
            "--plots",
            "--out",
            "c",
            "-q",
        ],
    );
    let c = t.path().join("c");
    let traj = fs::read_to_string(c.join("trajectories.csv")).expect("trajectories.csv");
    assert!(
        traj.starts_with("side,seed,month,date,users_hhi,startups_alive,spot_price_usd,contract_price_usd\n"),
        "{}",
        traj.lines().next().unwrap_or_default()
    );
    assert_eq!(traj.lines().count(), 1 + 2 * 2 * 12, "a row per side, seed and month");
    assert!(
        traj.lines().nth(1).is_some_and(|l| l.contains(",0,2026-01,")),
        "month 0 is dated from run.start: {:?}",
        traj.lines().nth(1)
    );
    assert!(c.join("startups.csv").is_file());
    let svg = svg_text(&c.join("spot_vs_contract.svg"));
    assert!(
        svg.contains("base: tiny: spot") && svg.contains("policy: tiny: contract"),
        "legend"
    );
    assert!(svg_text(&c.join("startup_survival.svg")).contains("base: tiny:"));
    let o = goldrush_ok(t.path(), &["plot", "c", "--out", "p"]);
    assert!(stdout(&o).contains("no platform_shares chart"), "{}", stdout(&o));
    assert_same_charts(&c, &t.path().join("p"));
    // Cut trajectories.csv at a line boundary: the missing months are noticed.
    let lines: Vec<&str> = traj.lines().collect();
    fs::write(
        c.join("trajectories.csv"),
        format!("{}\n", lines[..lines.len() - 3].join("\n")),
    )
    .expect("cut");
    let o = goldrush(t.path(), &["plot", "c", "--out", "bad"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("trajectories.csv") && stderr(&o).contains("policy seed 2 has 9 months"),
        "{}",
        stderr(&o)
    );
    assert!(!t.path().join("bad").exists());
}

/// 3 grid points x 2 replicates, 12 months.
const SPEC: &str = r#"base = "tiny"
design = "grid"
replicates = 2
seed = 11
months = 12
outputs = ["users_hhi", "spot_price_usd", "contract_price_usd"]

[[params]]
path = "users.theta_network"
values = [0.0, 0.25, 1.0]
"#;

#[test]
fn plot_of_a_sweep_folder_draws_a_series_per_point() {
    let t = TempDir::new("plot-sweep");
    fs::write(t.path().join("s.toml"), SPEC).expect("spec");
    goldrush_ok(t.path(), &["sweep", "s.toml", "--out", "sw", "-q"]);
    goldrush_ok(t.path(), &["plot", "sw", "--out", "p1"]);
    goldrush_ok(t.path(), &["plot", "sw", "--out", "p2", "-q"]);
    assert_same_charts(&t.path().join("p1"), &t.path().join("p2"));
    let svg = svg_text(&t.path().join("p1/users_hhi.svg"));
    assert!(svg.contains("mean and 10-90% band over 2 replicates"));
    for v in ["0.0", "0.25", "1.0"] {
        assert!(
            svg.contains(&format!("users.theta_network = {v}")),
            "a series for point {v}"
        );
    }
    assert!(t.path().join("p1/spot_vs_contract.png").is_file());
    let o = goldrush_ok(
        t.path(),
        &[
            "plot",
            "sw",
            "--group-by",
            "users.theta_network",
            "--metrics",
            "users_hhi",
            "--out",
            "g",
        ],
    );
    assert!(stdout(&o).contains("wrote 2 charts"), "{}", stdout(&o));
    let o = goldrush(t.path(), &["plot", "sw", "--group-by", "users.bogus", "--out", "bad"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("users.theta_network"), "{}", stderr(&o));
    let o = goldrush(t.path(), &["plot", "sw", "--metrics", "compute_cr5", "--out", "bad"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("metrics.parquet") && stderr(&o).contains("has no metric \"compute_cr5\""),
        "{}",
        stderr(&o)
    );
    assert!(!t.path().join("bad").exists(), "nothing written on bad input");
}

/// 10 points x 1 replicate, 3 months, every metric recorded (month included).
const WIDE_SPEC: &str = r#"base = "tiny"
design = "list"
replicates = 1
seed = 3
months = 3

[[params]]
path = "users.theta_network"
values = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
"#;

#[test]
fn plot_of_a_wide_sweep_caps_the_series_and_charts_the_key_metrics() {
    let t = TempDir::new("plot-wide-sweep");
    fs::write(t.path().join("s.toml"), WIDE_SPEC).expect("spec");
    goldrush_ok(t.path(), &["sweep", "s.toml", "--out", "sw", "-q"]);
    let out = stdout(&goldrush_ok(t.path(), &["plot", "sw", "--format", "svg", "--out", "p"]));
    assert!(
        out.contains("10 series are too many for one chart: showing the first 8")
            && out.contains("--group-by PARAM (one of users.theta_network)"),
        "{out}"
    );
    assert!(out.contains("charting the key ones"), "{out}");
    let svg = svg_text(&t.path().join("p/users_hhi.svg"));
    assert!(svg.contains("users.theta_network = 0.7") && !svg.contains("users.theta_network = 0.8"));
    assert!(
        !t.path().join("p/month.svg").exists(),
        "month is the index, not a chart"
    );
    assert!(t.path().join("p/spot_vs_contract.svg").is_file());
}

#[test]
fn plot_bad_input_exits_2_naming_the_file_and_writes_nothing() {
    let t = TempDir::new("plot-bad");
    goldrush_ok(
        t.path(),
        &["run", "tiny", "--months", "12", "--panel", "--out", "r", "-q"],
    );
    fs::create_dir(t.path().join("empty")).expect("mkdir");
    fs::write(t.path().join("file.txt"), "x").expect("write");
    // Truncated copies of the run folder.
    let copy = |name: &str| {
        let d = t.path().join(name);
        fs::create_dir(&d).expect("mkdir");
        for f in ["summary.json", "metrics.csv", "panel.csv"] {
            fs::copy(t.path().join("r").join(f), d.join(f)).expect("copy");
        }
        d
    };
    let cut = |path: &Path, keep: usize| {
        let b = read(path);
        fs::write(path, &b[..keep.min(b.len())]).expect("truncate");
    };
    let d = copy("cut-metrics");
    let n = read(&d.join("metrics.csv")).len();
    cut(&d.join("metrics.csv"), n / 2);
    let d = copy("cut-panel");
    let n = read(&d.join("panel.csv")).len();
    cut(&d.join("panel.csv"), n / 3);
    let d = copy("cut-summary");
    cut(&d.join("summary.json"), 100);
    let cases: [(&[&str], &str); 8] = [
        (&["plot", "missing"], "\"missing\" does not exist"),
        (&["plot", "file.txt"], "is a file"),
        (&["plot", "empty"], "not an output folder of goldrush"),
        (&["plot", "r", "--metrics", "bogus"], "unknown metric \"bogus\""),
        (&["plot", "r", "--format", "gif"], "unknown format \"gif\""),
        (&["plot", "cut-metrics"], "metrics.csv"),
        (&["plot", "cut-panel"], "panel.csv"),
        (&["plot", "cut-summary"], "summary.json"),
    ];
    for (args, needle) in cases {
        let mut args = args.to_vec();
        args.extend(["--out", "out"]);
        let o = goldrush(t.path(), &args);
        assert_eq!(o.status.code(), Some(2), "goldrush {args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(needle),
            "goldrush {args:?} should mention {needle:?}:\n{}",
            stderr(&o)
        );
        assert!(!t.path().join("out").exists(), "goldrush {args:?} wrote something");
    }
    let o = goldrush(t.path(), &["plot", "r", "cut-summary", "--group-by", "x"]);
    assert_eq!(o.status.code(), Some(2));
    let o = goldrush(t.path(), &["plot", "r", "./r", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2), "the same run twice is not two seeds");
    assert!(stderr(&o).contains("the same run"), "{}", stderr(&o));
    assert!(!t.path().join("out").exists());
}
