//! `goldrush scenarios`, `goldrush params` and `goldrush metrics`: documentation generated from
//! the same tables the model validates and records with, so it cannot drift from the code.

use clap::Args;
use std::fmt::Write as _;

use anyhow::Context;
use sim_core::Scenario;
use sim_core::params::{FieldSpec, FirmSpec, NationSpec, NicheSpec, SECTIONS, SupplyShock, fmt_num};
use sim_core::scenario::{self, BUILTIN};
use toml::Value;

use crate::errors::emit;

/// `goldrush scenarios`.
pub fn scenarios() -> anyhow::Result<()> {
    let w = BUILTIN.iter().map(|b| b.0.len()).max().unwrap_or(0);
    let mut s = String::new();
    for (name, _) in BUILTIN {
        let sc = scenario::load_builtin(name, &[])
            .with_context(|| format!("built-in scenario {name:?} does not load (a bug)"))?;
        let _ = writeln!(s, "{name:<w$}  {}", sc.description);
    }
    let _ = writeln!(
        s,
        "\nRun one with `goldrush run NAME`; print it as TOML with `goldrush show NAME`."
    );
    emit(&s)
}

/// One documented parameter.
struct ParamRow {
    path: String,
    unit: &'static str,
    min: String,
    max: String,
    default: String,
    doc: &'static str,
    source: &'static str,
}

/// The default of every section (array sections: the default of one entry), as TOML values.
fn section_default(path: &str, defaults: &toml::Table) -> anyhow::Result<Option<Value>> {
    let v = match path {
        "shocks[]" => Some(Value::try_from(SupplyShock::default())?),
        "nations[]" => Some(Value::try_from(NationSpec::default())?),
        "firms[]" => Some(Value::try_from(FirmSpec::default())?),
        "niches[]" => Some(Value::try_from(NicheSpec::default())?),
        p if p.ends_with("[]") => None,
        p => defaults.get(p).cloned(),
    };
    Ok(v)
}

fn format_default(v: Option<&Value>) -> String {
    match v {
        Some(Value::Integer(i)) => i.to_string(),
        Some(Value::Float(x)) => fmt_num(*x),
        Some(Value::String(s)) if s.is_empty() => "\"\"".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Boolean(b)) => b.to_string(),
        Some(Value::Array(a)) => format!(
            "[{}]",
            a.iter().map(|x| format_default(Some(x))).collect::<Vec<_>>().join(", ")
        ),
        Some(other) => other.to_string(),
        None => "—".into(),
    }
}

fn param_rows() -> anyhow::Result<Vec<(&'static str, Vec<ParamRow>)>> {
    let defaults = match Value::try_from(Scenario::default()).context("cannot serialise the default scenario")? {
        Value::Table(t) => t,
        _ => toml::Table::new(),
    };
    let mut out = Vec::new();
    for section in SECTIONS {
        let sdef = section_default(section.path, &defaults)
            .with_context(|| format!("cannot serialise the defaults of {}", section.path))?;
        let rows = section
            .fields
            .iter()
            .map(|f: &FieldSpec| {
                let dv = sdef.as_ref().and_then(|t| t.get(f.name));
                let numeric = matches!(dv, Some(Value::Integer(_) | Value::Float(_)));
                let (min, max) = if numeric {
                    (fmt_num(f.min), fmt_num(f.max))
                } else {
                    ("—".to_string(), "—".to_string())
                };
                ParamRow {
                    path: format!("{}.{}", section.path, f.name),
                    unit: f.unit,
                    min,
                    max,
                    default: format_default(dv),
                    doc: f.doc.trim(),
                    source: f.source.trim(),
                }
            })
            .collect();
        out.push((section.path, rows));
    }
    Ok(out)
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown table of one section's parameters (header and rows).
fn markdown_table(rows: &[ParamRow]) -> String {
    let mut s = String::new();
    s.push_str("| Parameter | Unit | Min | Max | Default | Meaning | Source |\n");
    s.push_str("|---|---|---|---|---|---|---|\n");
    for r in rows {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            r.path,
            md_cell(r.unit),
            md_cell(&r.min),
            md_cell(&r.max),
            md_cell(&r.default),
            md_cell(r.doc),
            md_cell(r.source)
        );
    }
    s
}

#[derive(Args, Debug)]
pub struct ParamsArgs {
    /// Print Markdown tables (what docs/PARAMETERS.md contains).
    #[arg(long)]
    pub markdown: bool,
    /// Only this section's table, e.g. `users` or `nations[]` (with --markdown: the table that
    /// docs/ODD.md embeds for the section's submodel).
    #[arg(long, value_name = "SECTION")]
    pub section: Option<String>,
}

/// `goldrush params [--markdown] [--section S]`.
pub fn params(a: &ParamsArgs) -> anyhow::Result<()> {
    emit(&params_text(a.markdown, a.section.as_deref())?)
}

/// The text `goldrush params` prints.
pub fn params_text(markdown: bool, section: Option<&str>) -> anyhow::Result<String> {
    let mut sections = param_rows()?;
    if let Some(name) = section {
        let known: Vec<&str> = sections.iter().map(|(p, _)| *p).collect();
        sections.retain(|(p, _)| *p == name);
        if sections.is_empty() {
            return Err(crate::errors::bad_input(format!(
                "unknown section `{name}` (sections: {})",
                known.join(", ")
            )));
        }
        if markdown {
            return Ok(markdown_table(&sections[0].1));
        }
    }
    let mut s = String::new();
    if markdown {
        s.push_str("# goldrush parameters\n\n");
        s.push_str(
            "<!-- Generated by `goldrush params --markdown`; do not edit by hand. \
             tests/integration/cli.rs checks that this file matches the code. -->\n\n",
        );
        s.push_str(
            "Every parameter of a scenario file, by section, with its unit, allowed range \
             (inclusive), default and source. Any of them can be changed on the command line \
             with `--set section.key=value` (array entries: `--set firms[0].cash_usd=1e9`). \
             Units: money in US dollars, compute in H100-equivalent GPUs (H100e), time in \
             months, utilities in logit units (utils); `1` means dimensionless. Defaults are \
             the model's built-in defaults; the built-in scenarios override some of them \
             (`goldrush show baseline`).\n",
        );
        for (section, rows) in &sections {
            let heading = match section.strip_suffix("[]") {
                Some(a) => format!("[[{a}]]"),
                None => format!("[{section}]"),
            };
            let _ = writeln!(s, "\n## `{heading}`\n");
            s.push_str(&markdown_table(rows));
        }
        return Ok(s);
    }
    let all: Vec<&ParamRow> = sections.iter().flat_map(|(_, r)| r).collect();
    let width = |f: &dyn Fn(&ParamRow) -> usize, title: &str| {
        all.iter().map(|r| f(r)).max().unwrap_or(0).max(title.chars().count())
    };
    let wp = width(&|r| r.path.chars().count(), "parameter");
    let wu = width(&|r| r.unit.chars().count(), "unit");
    let wmin = width(&|r| r.min.chars().count(), "min");
    let wmax = width(&|r| r.max.chars().count(), "max");
    let wd = width(&|r| r.default.chars().count(), "default");
    let _ = writeln!(
        s,
        "{:<wp$}  {:<wu$}  {:>wmin$}  {:>wmax$}  {:>wd$}  meaning [source]",
        "parameter", "unit", "min", "max", "default"
    );
    for r in all {
        let _ = writeln!(
            s,
            "{:<wp$}  {:<wu$}  {:>wmin$}  {:>wmax$}  {:>wd$}  {} [source: {}]",
            r.path, r.unit, r.min, r.max, r.default, r.doc, r.source
        );
    }
    Ok(s)
}

#[derive(Args, Debug)]
pub struct DocArgs {
    /// Print a Markdown table (what docs/PARAMETERS.md and docs/METRICS.md contain).
    #[arg(long)]
    pub markdown: bool,
}

/// `goldrush metrics [--markdown]`.
pub fn metrics(a: &DocArgs) -> anyhow::Result<()> {
    emit(&metrics_text(a.markdown))
}

/// The text `goldrush metrics` prints.
pub fn metrics_text(markdown: bool) -> String {
    let columns = sim_core::key_metrics::csv_columns();
    let mut s = String::new();
    if markdown {
        s.push_str("# goldrush metrics\n\n");
        s.push_str(
            "<!-- Generated by `goldrush metrics --markdown`; do not edit by hand. \
             tests/integration/cli.rs checks that this file matches the code. -->\n\n",
        );
        s.push_str(
            "The columns of `metrics.csv` written by `goldrush run`, in order: one row per \
             simulated month. Recording is read-only (it never draws random numbers or changes \
             the state). The last row is also in `summary.json` under `final_metrics` (its date as \
             `final_date`).\n\n",
        );
        s.push_str("| Column | Unit | Meaning |\n|---|---|---|\n");
        for m in &columns {
            let _ = writeln!(s, "| `{}` | {} | {} |", m.name, md_cell(m.unit), md_cell(m.doc));
        }
        return s;
    }
    let wn = columns.iter().map(|m| m.name.len()).max().unwrap_or(0).max(6);
    let wu = columns.iter().map(|m| m.unit.chars().count()).max().unwrap_or(0).max(4);
    let _ = writeln!(s, "{:<wn$}  {:<wu$}  meaning", "column", "unit");
    for m in &columns {
        let _ = writeln!(s, "{:<wn$}  {:<wu$}  {}", m.name, m.unit, m.doc);
    }
    s
}
