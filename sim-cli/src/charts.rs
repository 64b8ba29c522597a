//! What the charts show, built from a run's data: metric trajectories, the spot vs contract GPU
//! price, platform user shares and startup survival. Shared by `goldrush run --plots`,
//! `goldrush compare --plots` and `goldrush plot` (which reads the same data back from files),
//! so a chart drawn from memory and the one drawn from the files are the same bytes.
//!
//! Firm-level charts come from the firm panel, one [`PanelRow`]-like record at a time
//! ([`FirmLog::add`]): in memory from `Sim::panel()` after every month, or from panel.csv.
//! - Platform user shares: each alive platform firm's (frontier or open-weights) `users`
//!   (consumers + enterprise seats) over the sum across platforms, per month.
//! - Startup survival: a startup is observed from its first panel row to its exit row
//!   (`alive = false`: an exit, any cause) or its last row (alive at the run's end:
//!   right-censored); its age is the month minus `founded`. Startups founded before the run
//!   enter at their age in month 0 (delayed entry).

use std::collections::BTreeMap;

use sim_core::key_metrics::KEY_METRICS;
use sim_core::sim::PlatformStanding;
use sim_core::{METRICS, MetricSpec, Metrics, YearMonth};

use goldrush_charts::{self as plot, Chart, Curve, Life, Lines, Series, Stacked, Survival};

/// Platforms shown by name in the share chart; the rest are summed as "others".
pub const TOP_PLATFORMS: usize = 7;

/// File stems of the firm-level and price charts.
pub const PRICES: &str = "spot_vs_contract";
pub const SHARES: &str = "platform_shares";
pub const SURVIVAL: &str = "startup_survival";

/// Runs of one metric: one trajectory per run.
pub type Runs = Vec<Vec<f64>>;

/// The two price metrics of the spot vs contract chart.
pub const SPOT: &str = "spot_price_usd";
pub const CONTRACT: &str = "contract_price_usd";

/// A startup as seen in the panel.
#[derive(Clone, Copy, Debug)]
struct Seen {
    founded: i64,
    first: u32,
    last: u32,
    exited: bool,
}

/// What the firm-level charts need from a run's panel, gathered row by row.
#[derive(Clone, Debug, Default)]
pub struct FirmLog {
    /// Per month: alive platform firm id → users.
    platform_users: Vec<BTreeMap<u64, f64>>,
    /// Platform firm id → kind, for labels when a platform's name is unknown.
    platform_kind: BTreeMap<u64, String>,
    startups: BTreeMap<u64, Seen>,
}

impl FirmLog {
    /// Takes one panel row.
    pub fn add(&mut self, month: u32, id: u64, kind: &str, founded: i64, users: f64, alive: bool) {
        match kind {
            "frontier" | "open_weights" => {
                let t = month as usize;
                if self.platform_users.len() <= t {
                    self.platform_users.resize(t + 1, BTreeMap::new());
                }
                if alive {
                    self.platform_users[t].insert(id, users);
                }
                self.platform_kind.entry(id).or_insert_with(|| kind.to_string());
            }
            "startup" => {
                let s = self.startups.entry(id).or_insert(Seen {
                    founded,
                    first: month,
                    last: month,
                    exited: false,
                });
                s.first = s.first.min(month);
                s.last = s.last.max(month);
                s.exited |= !alive;
            }
            _ => {}
        }
    }

    /// Startup lives in months of age (see the module docs).
    pub fn lives(&self) -> Vec<Life> {
        let age = |month: u32, founded: i64| (i64::from(month) - founded).clamp(0, i64::from(u32::MAX)) as u32;
        self.startups
            .values()
            .map(|s| Life {
                entry: age(s.first, s.founded),
                end: age(s.last, s.founded).max(age(s.first, s.founded)),
                exited: s.exited,
            })
            .collect()
    }

    /// Platform users per month keyed by platform name (`names`: firm id → name), or by
    /// `KIND #ID` when the name is unknown.
    pub fn platform_users(&self, names: &BTreeMap<u64, String>) -> Vec<BTreeMap<String, f64>> {
        let label = |id: &u64| {
            names.get(id).cloned().unwrap_or_else(|| {
                format!(
                    "{} #{id}",
                    self.platform_kind.get(id).map_or("platform", String::as_str)
                )
            })
        };
        self.platform_users
            .iter()
            .map(|m| m.iter().map(|(id, u)| (label(id), *u)).collect())
            .collect()
    }
}

/// A metric by name; `None` for an unknown name or `month`.
pub fn metric(name: &str) -> Option<&'static MetricSpec> {
    METRICS.iter().find(|m| m.name == name && m.name != "month")
}

/// How a chart's title describes the runs behind each series: `seeds[i]` runs in series `i`.
/// One run: `what` (e.g. `tiny, seed 42`); the same count everywhere: `mean and 10-90% band
/// over N seeds`; otherwise counts go into the legend labels.
pub fn describe(series: &mut [Series], one_run: &str, unit: &str) -> String {
    let counts: Vec<usize> = series.iter().map(|s| s.runs.len()).collect();
    let n = counts.first().copied().unwrap_or(0);
    if counts.iter().all(|&c| c == n) {
        if n <= 1 {
            one_run.to_string()
        } else {
            format!("mean and 10-90% band over {n} {unit}")
        }
    } else {
        for s in series.iter_mut() {
            s.label = format!("{} ({})", s.label, count(s.runs.len(), unit));
        }
        format!("mean and 10-90% band across {unit}")
    }
}

/// `3 seeds`, `1 seed`.
fn count(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("1 {}", unit.strip_suffix('s').unwrap_or(unit))
    } else {
        format!("{n} {unit}")
    }
}

/// A metric's trajectories, one series per label.
pub fn metric_chart(
    m: &MetricSpec,
    mut series: Vec<Series>,
    one_run: &str,
    unit: &str,
    start: Option<YearMonth>,
) -> Chart {
    let what = describe(&mut series, one_run, unit);
    Chart::Lines(Lines {
        title: format!("{}: {what}", m.name),
        start,
        y_desc: format!("{} ({})", m.name, m.unit),
        series,
        no_data: format!("{} is undefined (NaN) in every month of every run", m.name),
    })
}

/// The spot and contract GPU price on one chart: `groups` is (label, spot runs, contract runs);
/// one group gives the series "spot" and "contract", several "LABEL: spot" and so on.
pub fn price_chart(groups: Vec<(String, Runs, Runs)>, one_run: &str, unit: &str, start: Option<YearMonth>) -> Chart {
    // One colour per group: spot solid, contract dashed.
    let single = groups.len() == 1;
    let mut series = Vec::new();
    for (k, (label, spot, contract)) in groups.into_iter().enumerate() {
        let name = |what: &str| {
            if single {
                what.to_string()
            } else {
                format!("{label}: {what}")
            }
        };
        series.push(Series {
            colour: Some(k),
            ..Series::new(name("spot"), spot)
        });
        series.push(Series {
            colour: Some(k),
            dashed: true,
            ..Series::new(name("contract"), contract)
        });
    }
    let what = describe(&mut series, one_run, unit);
    let spot_unit = metric(SPOT).map_or("USD/GPU-h", |m| m.unit);
    Chart::Lines(Lines {
        title: format!("Spot vs contract GPU price: {what}"),
        start,
        y_desc: format!("price ({spot_unit})"),
        series,
        no_data: "both prices are undefined (NaN) in every month".into(),
    })
}

/// Platform user shares as stacked areas, averaged over the runs.
pub fn share_chart(runs: &[Vec<BTreeMap<String, f64>>], what: &str, start: Option<YearMonth>) -> Chart {
    let (labels, layers, others) = plot::stacked_shares(runs, TOP_PLATFORMS);
    let over = if runs.len() > 1 {
        format!(", mean over {} runs", runs.len())
    } else {
        String::new()
    };
    Chart::Stacked(Stacked {
        title: format!("Platform user shares: {what}{over}"),
        start,
        y_desc: "share of platform users (consumers + seats)".into(),
        labels,
        layers,
        others,
        no_data: "no platform had users in any month".into(),
    })
}

/// Kaplan–Meier startup survival by age, one curve per label (lives pooled over its runs).
pub fn survival_chart(groups: Vec<(String, Vec<Life>)>, what: &str) -> Chart {
    let curves = groups
        .into_iter()
        .map(|(label, lives)| {
            let exits = lives.iter().filter(|l| l.exited).count();
            Curve {
                label: format!(
                    "{label}: {} startups, {exits} exit{}, {} alive at the end",
                    lives.len(),
                    if exits == 1 { "" } else { "s" },
                    lives.len() - exits
                ),
                steps: plot::kaplan_meier(&lives),
                ages: plot::age_span(&lives),
            }
        })
        .collect();
    Chart::Survival(Survival {
        title: format!("Startup survival by age (Kaplan-Meier): {what}"),
        x_desc: "age (months)".into(),
        y_desc: "share of startups still operating".into(),
        curves,
        no_data: "no startups were observed in the panel".into(),
    })
}

/// One run's data: metric trajectories by name (those available), and what the firm panel
/// says when it was kept: platform users by month (keyed by name) and startup lives.
#[derive(Default)]
pub struct RunData {
    pub metrics: BTreeMap<String, Vec<f64>>,
    pub platform_users: Option<Vec<BTreeMap<String, f64>>>,
    pub lives: Option<Vec<Life>>,
}

impl RunData {
    /// A run's data with its firm log; `names`: platform names by firm id.
    pub fn with_firms(metrics: BTreeMap<String, Vec<f64>>, log: &FirmLog, names: &BTreeMap<u64, String>) -> Self {
        Self {
            metrics,
            platform_users: Some(log.platform_users(names)),
            lives: Some(log.lives()),
        }
    }
}

/// Runs drawn as one series (e.g. the seeds of one scenario).
pub struct Group {
    pub label: String,
    pub runs: Vec<RunData>,
}

/// Every chart of some groups of runs: one per metric (one series per group), the spot vs
/// contract price (when both prices are there), platform shares (one chart per group) when
/// every run has platform users, and startup survival (one curve per group) when every run has
/// startup lives. `one_run` titles
/// charts of single runs; `unit` names what the runs are (`seeds`, `replicates`). What cannot
/// be drawn is explained in `notes` (`missing_panel` says why firm-level data is missing and
/// how to get it). Metrics missing from a run are skipped here: callers check the names first.
/// `start` is the calendar month of month 0 when every run shares it (dates on the x axes),
/// `None` otherwise (month indices).
pub fn charts_for(
    groups: &[Group],
    metrics: &[&'static MetricSpec],
    one_run: &str,
    unit: &str,
    start: Option<YearMonth>,
    missing_panel: &str,
    notes: &mut Vec<String>,
) -> Vec<(String, Chart)> {
    let runs_of = |name: &str, g: &Group| -> Option<Vec<Vec<f64>>> {
        g.runs.iter().map(|r| r.metrics.get(name).cloned()).collect()
    };
    let mut out = Vec::new();
    for m in metrics {
        let series: Option<Vec<Series>> = groups
            .iter()
            .map(|g| Some(Series::new(g.label.clone(), runs_of(m.name, g)?)))
            .collect();
        if let Some(series) = series {
            out.push((m.name.to_string(), metric_chart(m, series, one_run, unit, start)));
        }
    }
    let prices: Option<Vec<_>> = groups
        .iter()
        .map(|g| Some((g.label.clone(), runs_of(SPOT, g)?, runs_of(CONTRACT, g)?)))
        .collect();
    match prices {
        Some(p) => out.push((PRICES.to_string(), price_chart(p, one_run, unit, start))),
        None => notes.push(format!(
            "no {PRICES} chart: it needs both {SPOT} and {CONTRACT} in the data"
        )),
    }
    if groups.iter().all(|g| g.runs.iter().all(|r| r.platform_users.is_some())) {
        for (k, g) in groups.iter().enumerate() {
            let users: Vec<_> = g.runs.iter().filter_map(|r| r.platform_users.clone()).collect();
            let (stem, what) = if groups.len() == 1 {
                (SHARES.to_string(), one_run_or(one_run, &g.label, g.runs.len()))
            } else {
                (format!("{SHARES}_{}", k + 1), g.label.clone())
            };
            out.push((stem, share_chart(&users, &what, start)));
        }
    } else {
        notes.push(format!("no {SHARES} chart: {missing_panel}"));
    }
    if groups.iter().all(|g| g.runs.iter().all(|r| r.lives.is_some())) {
        let curves = groups
            .iter()
            .map(|g| {
                let lives = g.runs.iter().filter_map(|r| r.lives.clone()).flatten().collect();
                (g.label.clone(), lives)
            })
            .collect();
        let counts: Vec<usize> = groups.iter().map(|g| g.runs.len()).collect();
        let what = match counts.as_slice() {
            [1] => one_run.to_string(),
            [n] => format!("pooled over {n} {unit}, censored at each run's end"),
            [n, ..] if counts.iter().all(|c| c == n) => {
                format!("pooled over {n} {unit} each, censored at each run's end")
            }
            _ => format!("pooled over {unit}, censored at each run's end"),
        };
        out.push((SURVIVAL.to_string(), survival_chart(curves, &what)));
    } else {
        notes.push(format!("no {SURVIVAL} chart: {missing_panel}"));
    }
    out
}

/// The title context of a single group: `one_run` for one run, else its label.
fn one_run_or(one_run: &str, label: &str, runs: usize) -> String {
    if runs == 1 {
        one_run.to_string()
    } else {
        label.to_string()
    }
}

/// Renders `(stem, chart)` pairs into `(file name, bytes)` in the requested formats.
pub fn render(charts: &[(String, Chart)], formats: Formats) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for (stem, chart) in charts {
        if formats.svg {
            files.push((format!("{stem}.svg"), plot::svg(chart)?));
        }
        if formats.png {
            files.push((format!("{stem}.png"), plot::png(chart)?));
        }
    }
    Ok(files)
}

/// Which image formats to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Formats {
    pub png: bool,
    pub svg: bool,
}

impl Formats {
    pub const BOTH: Formats = Formats { png: true, svg: true };
}

/// Why a run folder has no firm-level charts.
pub const MISSING_PANEL: &str = "it needs the firm panel (panel.csv): re-run with `goldrush run --panel`";

/// Every metric's trajectory by name (`month` left out; metrics.csv's `date` is not a metric).
pub fn trajectories(rows: &[Metrics]) -> BTreeMap<String, Vec<f64>> {
    METRICS
        .iter()
        .filter(|m| m.name != "month")
        .map(|m| {
            let traj = rows
                .iter()
                .map(|r| r.get(m.name).expect("metric names come from METRICS"))
                .collect();
            (m.name.to_string(), traj)
        })
        .collect()
}

/// Platform names by firm id.
pub fn platform_names(platforms: &[PlatformStanding]) -> BTreeMap<u64, String> {
    platforms.iter().filter_map(|p| Some((p.id?, p.name.clone()))).collect()
}

/// The charts of the runs of one scenario (`goldrush run --plots`, and `goldrush plot` on run
/// folders of one scenario): the key metrics ([`KEY_METRICS`], those `goldrush compare`
/// compares), spot vs contract price, platform shares and startup survival. One run is titled
/// `SCENARIO, seed S`; several are drawn as mean and band across seeds. `start`: the runs'
/// `run.start` when they share it.
pub fn run_charts(
    scenario: &str,
    seed: u64,
    start: Option<YearMonth>,
    runs: Vec<RunData>,
    notes: &mut Vec<String>,
) -> Vec<(String, Chart)> {
    let metrics: Vec<_> = KEY_METRICS.iter().filter_map(|n| metric(n)).collect();
    let group = Group {
        label: scenario.to_string(),
        runs,
    };
    let one_run = format!("{scenario}, seed {seed}");
    charts_for(&[group], &metrics, &one_run, "seeds", start, MISSING_PANEL, notes)
}

/// Why a comparison has no platform share charts.
pub const NO_SHARES: &str = "goldrush compare keeps no firm panel; plot run folders made with `goldrush run --panel`";

/// The charts of a comparison (`compare --plots`, and `goldrush plot` on its folder): one per
/// compared metric with both sides' means and 10–90% bands across seeds, spot vs contract
/// price, and startup survival per side. `sides` holds each side's runs in seed order.
pub fn compare_charts(
    labels: [String; 2],
    first_seed: u64,
    start: Option<YearMonth>,
    metrics: &[&'static MetricSpec],
    sides: [Vec<RunData>; 2],
    notes: &mut Vec<String>,
) -> Vec<(String, Chart)> {
    let groups: Vec<Group> = labels
        .into_iter()
        .zip(sides)
        .map(|(label, runs)| Group { label, runs })
        .collect();
    let one_run = format!("seed {first_seed}");
    charts_for(&groups, metrics, &one_run, "seeds", start, NO_SHARES, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firm_log_turns_panel_rows_into_lives_and_shares() {
        let mut log = FirmLog::default();
        // Month 0: two platforms, an incumbent startup (founded -10) and a new one.
        log.add(0, 1, "frontier", -1, 300.0, true);
        log.add(0, 2, "open_weights", -1, 100.0, true);
        log.add(0, 5, "startup", -10, 0.0, true);
        log.add(0, 6, "startup", 0, 0.0, true);
        log.add(0, 9, "neocloud", -1, 0.0, true);
        // Month 1: startup 6 exits (its last row, alive = false); platform 2 exits too.
        log.add(1, 1, "frontier", -1, 350.0, true);
        log.add(1, 2, "open_weights", -1, 50.0, false);
        log.add(1, 5, "startup", -10, 0.0, true);
        log.add(1, 6, "startup", 0, 0.0, false);
        let lives = log.lives();
        assert_eq!(
            lives,
            vec![
                Life {
                    entry: 10,
                    end: 11,
                    exited: false
                },
                Life {
                    entry: 0,
                    end: 1,
                    exited: true
                },
            ],
            "incumbent enters at age 10 and is censored at 11; the new one exits at age 1"
        );
        let names = BTreeMap::from([(1, "Apex".to_string())]);
        let users = log.platform_users(&names);
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].get("Apex"), Some(&300.0));
        assert_eq!(users[0].get("open_weights #2"), Some(&100.0));
        assert_eq!(
            users[1].len(),
            1,
            "a platform's exit row is not a user share: {:?}",
            users[1]
        );
    }

    #[test]
    fn titles_say_how_many_runs_are_behind_a_line() {
        let s = |n: usize| Series::new("x", vec![vec![1.0]; n]);
        assert_eq!(describe(&mut [s(1)], "tiny, seed 1", "seeds"), "tiny, seed 1");
        assert_eq!(
            describe(&mut [s(3), s(3)], "-", "seeds"),
            "mean and 10-90% band over 3 seeds"
        );
        let mut v = [s(1), s(3)];
        assert_eq!(describe(&mut v, "-", "seeds"), "mean and 10-90% band across seeds");
        assert_eq!(
            (v[0].label.as_str(), v[1].label.as_str()),
            ("x (1 seed)", "x (3 seeds)")
        );
    }
}
