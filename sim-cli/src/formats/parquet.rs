//! The Parquet files of a sweep (and their CSV twins with `--csv`): runs/<id>.parquet (one run's
//! monthly metrics: run, point, replicate, seed, then each output), metrics.parquet (every run's,
//! in run order) and summary.parquet (one row per run: its point values, state hash and final
//! outputs). Snappy-compressed, at most 65,536 rows per row group, so the bytes depend only on
//! the rows. The readers give `goldrush plot` the trajectories and `goldrush sensitivity` one
//! number per run and output.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use arrow_array::builder::UInt64Builder;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use sim_core::sensitivity::Statistic;
use sim_core::{MetricSpec, Metrics};

use super::shown;
use crate::errors::{bad_input, io_message};
use crate::sweep_spec::{RunPlan, Spec};

/// The columns of a run's (and the combined) metrics file.
pub fn metrics_schema(outputs: &[String]) -> Arc<Schema> {
    let mut fields = vec![
        Field::new("run", DataType::UInt64, false),
        Field::new("point", DataType::UInt64, false),
        Field::new("replicate", DataType::UInt64, false),
        Field::new("seed", DataType::UInt64, false),
    ];
    fields.extend(outputs.iter().map(|n| Field::new(n, DataType::Float64, false)));
    Arc::new(Schema::new(fields))
}

/// The writer settings of every Parquet file.
pub fn writer_props() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(65_536))
        .build()
}

/// One batch as a whole Parquet file.
pub fn parquet_bytes(batch: &RecordBatch) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut w = ArrowWriter::try_new(&mut buf, batch.schema(), Some(writer_props()))?;
    w.write(batch)?;
    w.close()?;
    Ok(buf)
}

/// A run's monthly metrics as a batch of [`metrics_schema`].
pub fn metrics_batch(
    schema: &Arc<Schema>,
    plan: &RunPlan,
    outputs: &[String],
    rows: &[Metrics],
) -> anyhow::Result<RecordBatch> {
    let n = rows.len();
    let konst = |v: u64| -> ArrayRef {
        let mut b = UInt64Builder::with_capacity(n);
        for _ in 0..n {
            b.append_value(v);
        }
        Arc::new(b.finish())
    };
    let mut cols = vec![
        konst(plan.index),
        konst(plan.point),
        konst(plan.replicate),
        konst(plan.seed),
    ];
    for name in outputs {
        let col: Float64Array = rows
            .iter()
            .map(|m| Some(m.get(name).expect("outputs are validated metric names")))
            .collect();
        cols.push(Arc::new(col));
    }
    Ok(RecordBatch::try_new(schema.clone(), cols)?)
}

/// One row of a batch as a CSV line (the `--csv` twins).
pub fn csv_row(cols: &[ArrayRef], row: usize) -> String {
    let mut s = String::new();
    for (j, c) in cols.iter().enumerate() {
        if j > 0 {
            s.push(',');
        }
        if let Some(a) = c.as_any().downcast_ref::<arrow_array::UInt64Array>() {
            s.push_str(&a.value(row).to_string());
        } else if let Some(a) = c.as_any().downcast_ref::<Float64Array>() {
            s.push_str(&format!("{}", a.value(row)));
        } else if let Some(a) = c.as_any().downcast_ref::<arrow_array::StringArray>() {
            s.push_str(a.value(row));
        }
    }
    s.push('\n');
    s
}

/// The CSV header line of a schema: its field names, comma-separated.
pub fn csv_header(schema: &arrow_schema::Schema) -> String {
    schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The columns of summary.parquet: run, point, replicate, seed, each parameter (float64 when
/// `numeric`, else its TOML text), state_hash, then final_<output> for each output.
pub fn summary_schema(spec: &Spec, numeric: &[bool]) -> Arc<Schema> {
    let mut s_fields = vec![
        Field::new("run", DataType::UInt64, false),
        Field::new("point", DataType::UInt64, false),
        Field::new("replicate", DataType::UInt64, false),
        Field::new("seed", DataType::UInt64, false),
    ];
    s_fields.extend(
        spec.params
            .iter()
            .zip(numeric)
            .map(|(p, &num)| Field::new(&p.path, if num { DataType::Float64 } else { DataType::Utf8 }, false)),
    );
    s_fields.push(Field::new("state_hash", DataType::Utf8, false));
    s_fields.extend(
        spec.outputs
            .iter()
            .map(|n| Field::new(format!("final_{n}"), DataType::Float64, false)),
    );
    Arc::new(Schema::new(s_fields))
}

pub type SweepRuns = BTreeMap<u64, (u64, BTreeMap<String, Vec<f64>>)>;

/// metrics.parquet: per run (column `run`), its point and each output's monthly trajectory (the
/// rows of a run are its months in order).
pub fn read_sweep_metrics(path: &Path, outputs: &[String]) -> anyhow::Result<SweepRuns> {
    let unreadable = |e: &dyn std::fmt::Display| bad_input(format!("cannot read {}: {e}", shown(path)));
    let file = File::open(path).map_err(|e| unreadable(&io_message(&e)))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| unreadable(&e))?
        .build()
        .map_err(|e| unreadable(&e))?;
    let mut runs: SweepRuns = BTreeMap::new();
    for batch in reader {
        let batch = batch.map_err(|e| unreadable(&e))?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .ok_or_else(|| bad_input(format!("{}: no column {name:?}", shown(path))))
        };
        let u64s = |name: &str| -> anyhow::Result<UInt64Array> {
            column(name)?
                .as_any()
                .downcast_ref::<UInt64Array>()
                .cloned()
                .ok_or_else(|| bad_input(format!("{}: column {name:?} is not unsigned integers", shown(path))))
        };
        let run = u64s("run")?;
        let point = u64s("point")?;
        let mut cols = Vec::new();
        for name in outputs {
            let c = column(name)?
                .as_any()
                .downcast_ref::<Float64Array>()
                .cloned()
                .ok_or_else(|| bad_input(format!("{}: column {name:?} is not float64", shown(path))))?;
            cols.push(c);
        }
        for r in 0..batch.num_rows() {
            let entry = runs
                .entry(run.value(r))
                .or_insert_with(|| (point.value(r), BTreeMap::new()));
            for (name, c) in outputs.iter().zip(&cols) {
                let v = if c.is_null(r) { f64::NAN } else { c.value(r) };
                entry.1.entry(name.clone()).or_default().push(v);
            }
        }
    }
    if runs.is_empty() {
        return Err(bad_input(format!("{} holds no runs", shown(path))));
    }
    Ok(runs)
}

/// Per run, per chosen output: the run's statistic, read from the sweep's metrics.parquet
/// (rows in run order).
pub fn run_statistics(
    path: &Path,
    runs: usize,
    outputs: &[&MetricSpec],
    statistic: Statistic,
) -> anyhow::Result<Vec<Vec<f64>>> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .with_context(|| format!("{}: not a Parquet file", path.display()))?
        .build()?;
    // Per output, per run: (last value, sum of non-NaN values, their count).
    let mut acc = vec![vec![(f64::NAN, 0.0f64, 0usize); runs]; outputs.len()];
    for batch in reader {
        let batch = batch.with_context(|| format!("cannot read {}", path.display()))?;
        let schema = batch.schema();
        let col = |name: &str| -> anyhow::Result<Arc<dyn Array>> {
            let i = schema
                .index_of(name)
                .map_err(|_| anyhow::anyhow!("{}: no column {name:?}", path.display()))?;
            Ok(batch.column(i).clone())
        };
        let run_col = col("run")?;
        let run = run_col
            .as_any()
            .downcast_ref::<UInt64Array>()
            .ok_or_else(|| anyhow::anyhow!("{}: column run is not uint64", path.display()))?;
        for (o, m) in outputs.iter().enumerate() {
            let c = col(m.name)?;
            let v = c
                .as_any()
                .downcast_ref::<Float64Array>()
                .ok_or_else(|| anyhow::anyhow!("{}: column {} is not float64", path.display(), m.name))?;
            for r in 0..batch.num_rows() {
                let i = run.value(r) as usize;
                let slot = acc[o]
                    .get_mut(i)
                    .ok_or_else(|| anyhow::anyhow!("{}: run {i} is not in the sweep", path.display()))?;
                let x = v.value(r);
                slot.0 = x;
                if !x.is_nan() {
                    slot.1 += x;
                    slot.2 += 1;
                }
            }
        }
    }
    Ok(acc
        .into_iter()
        .map(|per_run| {
            per_run
                .into_iter()
                .map(|(last, sum, n)| match statistic {
                    Statistic::Final => last,
                    Statistic::Mean if n > 0 => sum / n as f64,
                    Statistic::Mean => f64::NAN,
                })
                .collect()
        })
        .collect())
}
