//! Each derivation on a tiny hand-made CSV, the interval rules, and file:line errors.

use super::*;

const CSV: &str = "\
date,entity,variable,value,lower,upper
2024-12-31,A,stock,50,40,60
2024-12-31,B,stock,30,,
2024-12-31,Rest,stock,20,,
2025-12-31,A,stock,100,,
2025-12-31,B,stock,60,,
2025-12-31,Rest,stock,40,,
2024-03-31,A,flow,1,,
2024-06-30,A,flow,2,,
2024-09-30,A,flow,3,,
2024-12-31,A,flow,4,,
2025-03-31,A,flow,10,,
2025-06-30,A,flow,10,,
";

fn load(targets: &str) -> anyhow::Result<Vec<Target>> {
    let mut read = |name: &str| -> Result<String, String> {
        if name == "t.csv" {
            Ok(CSV.to_string())
        } else {
            Err(format!("no file {name:?}"))
        }
    };
    parse_targets(targets, "t.toml", &mut read)
}

fn one(data: &str) -> Target {
    let text = format!(
        "[[target]]\nid = \"x\"\ndescription = \"d\"\nweight = 1.0\nperiod = \"2025-12\"\n[target.data]\nfile = \"t.csv\"\n{data}\n[target.model]\nmetric = \"compute_cr5\"\nstatistic = \"value\"\n"
    );
    let mut t = load(&text).unwrap_or_else(|e| panic!("{data}: {e:#}"));
    t.remove(0)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn value_picks_one_row_with_its_interval() {
    let t = one(
        "derive = \"value\"\nwhere = { entity = \"A\", variable = \"stock\" }\ndate = \"2024-12\"\ninterval = \"row\"",
    );
    assert_eq!((t.value, t.lower, t.upper), (50.0, 40.0, 60.0));
    assert_eq!(t.rows_used, 1);
}

#[test]
fn share_of_named_groups_and_of_the_top_n() {
    let t = one(
        "derive = \"share\"\nwhere = { variable = \"stock\" }\ndate = \"2025-12\"\ngroup_by = \"entity\"\ngroups = [\"B\"]\ninterval = \"band\"\nband = 0.1",
    );
    assert!(close(t.value, 0.3), "B has 60 of 200: {}", t.value);
    assert!(
        close(t.lower, 0.27) && close(t.upper, 0.33),
        "±10%: {} {}",
        t.lower,
        t.upper
    );
    let t = one(
        "derive = \"share\"\nwhere = { variable = \"stock\" }\ndate = \"2025-12\"\ngroup_by = \"entity\"\ntop = 2\nexclude = [\"Rest\"]\ninterval = \"band\"\nband = 0.1",
    );
    assert!(close(t.value, 0.8), "A + B, not the residual: {}", t.value);
}

#[test]
fn hhi_leaves_the_residual_out_of_the_squares() {
    let t = one(
        "derive = \"hhi\"\nwhere = { variable = \"stock\" }\ndate = \"2025-12\"\ngroup_by = \"entity\"\nexclude = [\"Rest\"]\ninterval = \"band\"\nband = 0.2",
    );
    assert!(close(t.value, 50.0 * 50.0 + 30.0 * 30.0), "{}", t.value);
    let t = one(
        "derive = \"hhi\"\nwhere = { variable = \"stock\" }\ndate = \"2025-12\"\ngroup_by = \"entity\"\ntotal = 400.0\ninterval = \"band\"\nband = 0.2",
    );
    assert!(
        close(t.value, 25.0 * 25.0 + 15.0 * 15.0 + 10.0 * 10.0),
        "shares of a stated whole: {}",
        t.value
    );
}

#[test]
fn ratio_of_two_dates_and_of_two_years_of_sums() {
    let t = one(
        "derive = \"ratio\"\nwhere = { variable = \"stock\" }\ndate = \"2025-12\"\nbase_from = \"2024-12\"\ninterval = \"band\"\nband = 0.2",
    );
    assert!(close(t.value, 2.0), "200 / 100: {}", t.value);
    let t = one(
        "derive = \"ratio\"\nwhere = { variable = \"flow\" }\nfrom = \"2025-01\"\nto = \"2025-12\"\nbase_from = \"2024-01\"\nbase_to = \"2024-12\"\ninterval = \"band\"\nband = 0.2",
    );
    assert!(close(t.value, 2.0), "20 / 10: {}", t.value);
    let t = one(
        "derive = \"ratio\"\nwhere = { entity = \"B\", variable = \"stock\" }\nbase_where = { entity = \"A\", variable = \"stock\" }\ndate = \"2025-12\"\ninterval = \"band\"\nband = 0.2",
    );
    assert!(close(t.value, 0.6), "two figures at one date: {}", t.value);
}

#[test]
fn sum_mean_range_and_count() {
    let t = one(
        "derive = \"sum\"\nwhere = { variable = \"flow\" }\nfrom = \"2024-01\"\nto = \"2024-12\"\ninterval = \"band\"\nband = 0.5",
    );
    assert!(close(t.value, 10.0));
    let t = one(
        "derive = \"mean\"\nwhere = { variable = \"flow\" }\nfrom = \"2024-01\"\nto = \"2024-12\"\ninterval = \"range\"\nscale = 0.1",
    );
    assert!(
        close(t.value, 0.25) && close(t.lower, 0.1) && close(t.upper, 0.4),
        "{t:?}"
    );
    let t = one(
        "derive = \"count\"\nwhere = { variable = \"stock\" }\ngroup_by = \"entity\"\ninterval = \"band\"\nband = 0.5",
    );
    assert_eq!(t.value, 3.0);
}

#[test]
fn slope_per_year_and_slope_ratio() {
    // 1, 2, 3, 4 at quarter ends of 2024: one a quarter, four a year.
    let t = one(
        "derive = \"slope\"\nwhere = { variable = \"flow\" }\nfrom = \"2024-01\"\nto = \"2024-12\"\ninterval = \"band\"\nband = 0.5",
    );
    assert!((t.value - 4.0).abs() < 1e-9, "{}", t.value);
    assert!((ols_slope(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]) - 2.0).abs() < 1e-12);
    assert!(ols_slope(&[(1.0, 1.0)]).is_nan());
    let t = one(
        "derive = \"slope_ratio\"\nwhere = { variable = \"stock\", entity = \"A\" }\nfrom = \"2024-12\"\nto = \"2025-12\"\nbase_where = { variable = \"flow\" }\nbase_from = \"2024-01\"\nbase_to = \"2024-12\"\ninterval = \"band\"\nband = 0.5",
    );
    assert!((t.value - 50.0 / 4.0).abs() < 1e-9, "{}", t.value);
}

#[test]
fn literal_with_a_stated_interval_and_source() {
    let text = "[[target]]\nid = \"lit\"\ndescription = \"d\"\nweight = 2.0\ntags = [\"prices\"]\nperiod = \"2024-01..2024-12\"\n[target.data]\nderive = \"literal\"\nvalue = 8.0\nlower = 7.0\nupper = 12.0\nsource = \"a report\"\n[target.model]\nmetric = \"spot_price_usd\"\nstatistic = \"max\"\n";
    let t = load(text).expect("valid").remove(0);
    assert_eq!((t.value, t.lower, t.upper, t.weight), (8.0, 7.0, 12.0, 2.0));
    assert!(t.file.is_empty(), "a literal has no file");
    assert_eq!(t.tags, vec!["prices".to_string()]);
}

/// Every problem is reported at its line with the target and field.
#[test]
fn errors_name_file_line_and_field() {
    let text = "[[target]]\nid = \"a\"\ndescription = \"d\"\nweight = -1.0\nperiod = \"2025-13\"\n[target.data]\nfile = \"t.csv\"\nderive = \"share\"\nwhere = { variable = \"stock\", colour = \"red\" }\ndate = \"2025-12\"\ngroup_by = \"entity\"\ntop = 1\ninterval = \"band\"\nband = 0.1\n[target.model]\nmetric = \"no_such_metric\"\nstatistic = \"value\"\n";
    let e = format!("{:#}", load(text).expect_err("bad"));
    assert!(crate::errors::is_bad_input(&load(text).expect_err("bad")));
    assert!(e.contains("t.toml:4:") && e.contains("weight"), "{e}");
    assert!(e.contains("t.toml:5:") && e.contains("period"), "{e}");
    assert!(e.contains("no column \"colour\""), "{e}");
    assert!(e.contains("t.toml:16:") && e.contains("no_such_metric"), "{e}");
    let e = format!(
        "{:#}",
        load("[[target]]\nid = \"a\"\nwho = 1\n").expect_err("unknown key")
    );
    assert!(e.contains("t.toml:3:") && e.contains("who"), "{e}");
    let dup = "[[target]]\nid = \"a\"\ndescription = \"d\"\nweight = 1.0\nperiod = \"2025-12\"\n[target.data]\nderive = \"literal\"\nvalue = 1.0\nsource = \"s\"\n[target.model]\nstatistic = \"none\"\nreason = \"r\"\n";
    let e = format!("{:#}", load(&format!("{dup}{dup}")).expect_err("repeated id"));
    assert!(e.contains("t.toml:14:") && e.contains("repeats"), "{e}");
}

#[test]
fn statistics_of_a_series() {
    let p = [(2024.0, 1.0), (2024.5, f64::NAN), (2025.0, 3.0)];
    assert_eq!(statistic_of(Statistic::Value, &p, None), 2.0);
    assert_eq!(statistic_of(Statistic::Max, &p, None), 3.0);
    assert_eq!(statistic_of(Statistic::Min, &p, None), 1.0);
    assert!((statistic_of(Statistic::Slope, &p, None) - 2.0).abs() < 1e-12);
    assert_eq!(statistic_of(Statistic::Ratio, &p, Some(&[(2023.0, 4.0)])), 0.5);
    assert!(statistic_of(Statistic::Ratio, &p, Some(&[(2023.0, 0.0)])).is_nan());
    assert!(statistic_of(Statistic::Value, &[(2024.0, f64::NAN)], None).is_nan());
}

/// The shipped targets load, number at least 15 and span every required area.
#[test]
fn the_builtin_targets_load() {
    let set = load_builtin_targets().unwrap_or_else(|e| panic!("{e:#}"));
    assert!(set.targets.len() >= 15, "{} targets", set.targets.len());
    for tag in [
        "compute",
        "supply",
        "prices",
        "capability",
        "users",
        "conversion",
        "startups",
        "deals",
    ] {
        assert!(
            set.targets.iter().any(|t| t.tags.iter().any(|g| g == tag)),
            "no target tagged {tag}"
        );
    }
    let sel = set.select(&["compute_cr5_2025".to_string()]).expect("known id");
    assert_eq!(sel.targets.len(), 1);
    assert!(set.select(&["nope".to_string()]).is_err());
}

/// A scenario that does not cover a target's period, or lacks a named firm, cannot produce it;
/// nor can any scenario produce a moment the model has no quantity for.
#[test]
fn check_producible_names_what_the_scenario_lacks() {
    let set = load_builtin_targets().expect("builtin targets");
    let mut sc = crate::load::load_scenario("tiny", &[]).expect("tiny").scenario;
    sc.run.start = YearMonth::parse("2023-01").expect("date");
    sc.run.months = 48;
    let ok = set
        .select(&["compute_cr5_2025".into(), "leader_share_2026_01".into()])
        .expect("ids");
    ok.check_producible(&sc)
        .expect("tiny from 2023-01 covers 2025-12 and has Apex");
    let late = set.select(&["compute_hhi_2023".into()]).expect("id");
    sc.run.start = YearMonth::parse("2024-01").expect("date");
    let e = format!(
        "{:#}",
        late.check_producible(&sc).expect_err("2023-12 is before the run")
    );
    assert!(crate::errors::is_bad_input(
        &late.check_producible(&sc).expect_err("bad")
    ));
    assert!(
        e.contains("compute_hhi_2023") && e.contains("outside the run (2024-01..2027-12)"),
        "{e}"
    );
    sc.firms.retain(|f| f.name != "Apex");
    let e = format!("{:#}", ok.check_producible(&sc).expect_err("no Apex"));
    assert!(e.contains("no firm named \"Apex\""), "{e}");
    // A moment the model declares it does not produce (statistic = "none").
    let none = "[[target]]\nid = \"a\"\ndescription = \"d\"\nweight = 1.0\nperiod = \"2025-12\"\n[target.data]\nderive = \"literal\"\nvalue = 1.0\nsource = \"s\"\n[target.model]\nstatistic = \"none\"\nreason = \"r\"\n";
    let unproduced = TargetSet {
        path: set.path.clone(),
        targets: load(none).expect("a target the model does not produce"),
    };
    let e = format!("{:#}", unproduced.check_producible(&sc).expect_err("not produced"));
    assert!(e.contains("does not produce it"), "{e}");
}
