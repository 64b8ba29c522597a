//! The files goldrush writes and reads back, one module per kind, the writer and the reader side
//! by side: metrics.csv, panel.csv, summary.json (`goldrush run`), manifest.json and the Parquet
//! files (`goldrush sweep`/`merge`), and the comparison files (`goldrush compare`). Readers
//! check what they read: a truncated or edited file is bad input naming the file, line and
//! column. Below, the small reading helpers they share.

use std::path::Path;

use serde_json::Value;

use crate::errors::{bad_input, io_message};

pub mod compare_files;
pub mod manifest_json;
pub mod metrics_csv;
pub mod panel_csv;
pub mod parquet;
pub mod summary_json;

pub use crate::errors::shown;

pub fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).map_err(|e| bad_input(format!("cannot read {}: {}", shown(path), io_message(&e))))
}

pub fn read_json(path: &Path) -> anyhow::Result<Value> {
    serde_json::from_str(&read_text(path)?)
        .map_err(|e| bad_input(format!("{}: not valid JSON (truncated?): {e}", shown(path))))
}

/// A field of a JSON document, or bad input naming the file and the field.
pub fn field<'a>(doc: &'a Value, path: &Path, pointer: &str) -> anyhow::Result<&'a Value> {
    doc.pointer(pointer)
        .ok_or_else(|| bad_input(format!("{}: missing field {pointer:?}", shown(path))))
}

pub fn str_field<'a>(doc: &'a Value, path: &Path, pointer: &str) -> anyhow::Result<&'a str> {
    field(doc, path, pointer)?
        .as_str()
        .ok_or_else(|| bad_input(format!("{}: field {pointer:?} is not a string", shown(path))))
}

pub fn u64_field(doc: &Value, path: &Path, pointer: &str) -> anyhow::Result<u64> {
    field(doc, path, pointer)?
        .as_u64()
        .ok_or_else(|| bad_input(format!("{}: field {pointer:?} is not a whole number", shown(path))))
}

/// A CSV file of numbers after some leading text columns: its header and rows. Every row must
/// have the header's number of fields (a truncated file fails here, naming the line).
pub struct Csv {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn read_csv(path: &Path) -> anyhow::Result<Csv> {
    let text = read_text(path)?;
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad_input(format!("{} is empty", shown(path))))?
        .split(',')
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        let fields: Vec<String> = line.split(',').map(str::to_string).collect();
        if fields.len() != header.len() {
            return Err(bad_input(format!(
                "{}:{}: {} fields where the header has {} (truncated or edited file?)",
                shown(path),
                i + 2,
                fields.len(),
                header.len()
            )));
        }
        rows.push(fields);
    }
    if !text.is_empty() && !text.ends_with('\n') {
        return Err(bad_input(format!(
            "{}: the last line is not complete (truncated file?)",
            shown(path)
        )));
    }
    Ok(Csv { header, rows })
}

/// A number in a CSV cell, or bad input naming file, line and column.
pub fn number(path: &Path, line: usize, column: &str, cell: &str) -> anyhow::Result<f64> {
    cell.parse::<f64>().map_err(|_| {
        bad_input(format!(
            "{}:{line}: column {column}: {cell:?} is not a number",
            shown(path)
        ))
    })
}
