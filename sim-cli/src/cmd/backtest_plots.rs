//! Charts of `goldrush backtest --plots`: one per model series that level targets are compared
//! with (statistics `value`, `max`, `min`: a metric, or a firm group's share or total), named
//! `backtest-KEY.png` / `.svg`. Each draws the series' mean and 10–90% band over the seeds
//! against calendar years, with every such target's data value and interval at its period.
//! Ratios and slopes (growth, acceleration) are not levels of the series and are not drawn.

use std::collections::BTreeMap;

use goldrush_charts::backtest::{Chart, Marker, png, svg};

use super::backtest::Backtest;
use crate::evidence::targets::{Quantity, Series, Statistic};

/// A file-name key for a series: the metric name, or `share_users_apex_cortex`.
fn key(series: &Series) -> String {
    match series {
        Series::Metric { metric, over: None } => metric.to_string(),
        Series::Metric { metric, over: Some(o) } => format!("{metric}_over_{o}"),
        Series::Firms {
            firms,
            kinds,
            of,
            share,
            ..
        } => {
            let who: Vec<String> = firms.iter().chain(kinds).map(|s| s.to_lowercase()).collect();
            let what = format!("{of:?}").to_lowercase();
            let k = format!("{}_{what}_{}", if *share { "share" } else { "total" }, who.join("_"));
            k.chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
                .collect()
        }
    }
}

/// The charts of a backtest as (file name, bytes), PNG and SVG, in key order.
pub fn charts(b: &Backtest) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut groups: BTreeMap<String, (Series, Vec<Marker>)> = BTreeMap::new();
    for t in &b.targets.targets {
        let Quantity::Model {
            series,
            statistic,
            window,
            ..
        } = &t.quantity
        else {
            continue;
        };
        if !matches!(statistic, Statistic::Value | Statistic::Max | Statistic::Min) {
            continue;
        }
        let marker = Marker {
            label: t.id.clone(),
            from: window.first.decimal_year(),
            to: window.last.decimal_year(),
            value: t.value,
            lower: t.lower,
            upper: t.upper,
        };
        groups
            .entry(key(series))
            .or_insert_with(|| (series.clone(), Vec::new()))
            .1
            .push(marker);
    }
    let months = b.runs.first().map_or(0, |r| r.months());
    let years: Vec<f64> = b
        .runs
        .first()
        .map(|r| (0..months).map(|m| r.date(m).decimal_year()).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (k, (series, markers)) in groups {
        let runs: Vec<Vec<f64>> = b.runs.iter().map(|r| r.series(&series)).collect();
        let describe = Quantity::Model {
            series: series.clone(),
            statistic: Statistic::Value,
            window: crate::evidence::targets::Window {
                first: b.loaded.scenario.run.start,
                last: b.loaded.scenario.run.start,
            },
            base: None,
        }
        .describe();
        let what = describe
            .trim_end_matches(&format!(" at {}", b.loaded.scenario.run.start))
            .to_string();
        let unit = match &series {
            Series::Metric { metric, over: None } => crate::charts::metric(metric).map_or("", |m| m.unit),
            Series::Metric { .. } => "ratio",
            Series::Firms { share: true, .. } => "share",
            Series::Firms { .. } => "",
        };
        let chart = Chart {
            title: format!("{what}: model vs data ({})", b.loaded.scenario.name),
            y_desc: if unit.is_empty() {
                what.clone()
            } else {
                format!("{what} ({unit})")
            },
            years: years.clone(),
            runs,
            markers,
        };
        out.push((format!("backtest-{k}.png"), png(&chart)?));
        out.push((format!("backtest-{k}.svg"), svg(&chart)?));
    }
    Ok(out)
}
