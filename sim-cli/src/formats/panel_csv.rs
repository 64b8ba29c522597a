//! panel.csv (`goldrush run --panel`): the firm-level panel, one row per firm per month, in
//! sim-core's [`PANEL_COLUMNS`]. Written month by month as the run goes (never held in memory);
//! read back by `goldrush plot` into a [`FirmLog`] for the platform share and survival charts.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use sim_core::YearMonth;
use sim_core::state::{PANEL_COLUMNS, PanelRow};

use super::{number, shown};
use crate::charts::FirmLog;
use crate::errors::{bad_input, io_message};

/// The header line.
pub fn header() -> String {
    format!("{}\n", PANEL_COLUMNS.join(","))
}

/// The lines of one month's rows, dated from `start` (the scenario's `run.start`).
pub fn rows(rows: &[PanelRow], start: YearMonth) -> String {
    let mut chunk = String::new();
    for row in rows {
        chunk.push_str(&row.csv_line(start));
    }
    chunk
}

/// panel.csv streamed into a [`FirmLog`].
pub fn read(path: &Path) -> anyhow::Result<FirmLog> {
    let file = File::open(path).map_err(|e| bad_input(format!("cannot read {}: {}", shown(path), io_message(&e))))?;
    let mut reader = BufReader::new(file);
    let io = |e: std::io::Error| bad_input(format!("cannot read {}: {}", shown(path), io_message(&e)));
    // One line at a time, checking each ends with a newline: a cut file fails here.
    let mut buf = String::new();
    let mut next_line = |n: usize| -> anyhow::Result<Option<String>> {
        buf.clear();
        if reader.read_line(&mut buf).map_err(io)? == 0 {
            return Ok(None);
        }
        match buf.strip_suffix('\n') {
            Some(line) => Ok(Some(line.to_string())),
            None => Err(bad_input(format!(
                "{}:{n}: the line is not complete (truncated file?)",
                shown(path)
            ))),
        }
    };
    let header: Vec<String> = match next_line(1)? {
        Some(h) => h.split(',').map(str::to_string).collect(),
        None => return Err(bad_input(format!("{} is empty", shown(path)))),
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad_input(format!("{}: no column {name:?} in the header", shown(path))))
    };
    let [month, id, kind, founded, users, alive] = [
        col("month")?,
        col("id")?,
        col("kind")?,
        col("founded")?,
        col("users")?,
        col("alive")?,
    ];
    let mut log = FirmLog::default();
    let mut n = 1;
    loop {
        n += 1;
        let Some(line) = next_line(n)? else { break };
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != header.len() {
            return Err(bad_input(format!(
                "{}:{n}: {} fields where the header has {} (truncated or edited file?)",
                shown(path),
                f.len(),
                header.len()
            )));
        }
        let int = |c: usize| -> anyhow::Result<i64> {
            f[c].parse::<i64>().map_err(|_| {
                bad_input(format!(
                    "{}:{n}: column {}: {:?} is not a whole number",
                    shown(path),
                    header[c],
                    f[c]
                ))
            })
        };
        let m = u32::try_from(int(month)?).map_err(|_| {
            bad_input(format!(
                "{}:{n}: column month: {:?} is out of range",
                shown(path),
                f[month]
            ))
        })?;
        let firm = u64::try_from(int(id)?)
            .map_err(|_| bad_input(format!("{}:{n}: column id: {:?} is out of range", shown(path), f[id])))?;
        let alive = match f[alive] {
            "true" => true,
            "false" => false,
            other => {
                return Err(bad_input(format!(
                    "{}:{n}: column alive: {other:?} is not true or false",
                    shown(path)
                )));
            }
        };
        log.add(
            m,
            firm,
            f[kind],
            int(founded)?,
            number(path, n, "users", f[users])?,
            alive,
        );
    }
    Ok(log)
}
