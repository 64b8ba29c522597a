//! The JSON files of a sweep folder: manifest.json (the validated spec, version, every run and,
//! once complete, every state hash; written first so a folder holding another sweep is
//! recognised) and runs/<id>.json (one run's summary: seed, point values, state hash, final
//! metrics). Written with serde; read back by `goldrush sweep`/`merge` (typed) and by
//! `goldrush plot` ([`read_for_plot`], field by field so a broken file names the field).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{field, read_json, shown, u64_field};
use crate::errors::{bad_input, io_message};
use crate::sweep_spec::{RunPlan, Spec};

/// One run in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestRun {
    #[serde(flatten)]
    pub plan: RunPlan,
    pub params: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub state_hash: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub goldrush_version: String,
    pub git_commit: String,
    /// Whether every run is done and the combined files are written.
    pub complete: bool,
    pub spec: Spec,
    /// A hash of the base scenario fully resolved (with the spec's fixed `set`), so an edited
    /// base file counts as a different sweep.
    pub base_scenario_hash: String,
    pub runs: Vec<ManifestRun>,
}

/// A run's summary file.
#[derive(Debug, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: String,
    pub index: u64,
    pub point: u64,
    pub replicate: u64,
    pub seed: u64,
    pub params: Vec<String>,
    pub months: u32,
    pub state_hash: String,
    pub final_metrics: serde_json::Map<String, serde_json::Value>,
}

pub fn to_json(m: &Manifest) -> String {
    let mut s = serde_json::to_string_pretty(m).expect("manifest serialises");
    s.push('\n');
    s
}

/// Whether two manifests describe the same sweep: the spec as recorded (not where its lines
/// were) and the resolved base scenario.
pub fn same_sweep(a: &Manifest, b: &Manifest) -> bool {
    serde_json::to_value(&a.spec).ok() == serde_json::to_value(&b.spec).ok()
        && a.base_scenario_hash == b.base_scenario_hash
}

pub fn read(dir: &Path) -> anyhow::Result<Option<Manifest>> {
    let p = dir.join("manifest.json");
    match std::fs::read_to_string(&p) {
        Ok(t) => serde_json::from_str(&t)
            .map(Some)
            .map_err(|e| bad_input(format!("{}: not a goldrush sweep manifest: {e}", p.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(bad_input(format!("cannot read {}: {}", p.display(), io_message(&e)))),
    }
}

/// What `goldrush plot` needs of a complete sweep's manifest.
pub struct PlotManifest {
    /// The varied parameters' paths.
    pub params: Vec<String>,
    /// Each point's parameter values (TOML literals).
    pub points: Vec<Vec<String>>,
    /// The recorded metrics.
    pub outputs: Vec<String>,
    pub replicates: u64,
    path: std::path::PathBuf,
    doc: serde_json::Value,
}

impl PlotManifest {
    /// The number of runs the manifest lists.
    pub fn runs(&self) -> anyhow::Result<usize> {
        Ok(field(&self.doc, &self.path, "/runs")?.as_array().map_or(0, Vec::len))
    }
}

/// Reads manifest.json for `goldrush plot`: bad input if the sweep is not complete or a field
/// is missing or malformed.
pub fn read_for_plot(manifest_path: &Path) -> anyhow::Result<PlotManifest> {
    let manifest = read_json(manifest_path)?;
    if field(&manifest, manifest_path, "/complete")?.as_bool() != Some(true) {
        return Err(bad_input(format!(
            "{}: the sweep is not complete; finish it (run the same goldrush sweep command again, \
             or goldrush merge the shards) before plotting",
            shown(manifest_path)
        )));
    }
    let bad = |what: &str| bad_input(format!("{}: {what}", shown(manifest_path)));
    let params: Vec<String> = field(&manifest, manifest_path, "/spec/params")?
        .as_array()
        .and_then(|a| a.iter().map(|p| p.get("path")?.as_str().map(str::to_string)).collect())
        .ok_or_else(|| bad("\"/spec/params\" is not a list of parameters with paths"))?;
    let points: Vec<Vec<String>> = field(&manifest, manifest_path, "/spec/points")?
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|p| p.as_array()?.iter().map(|v| v.as_str().map(str::to_string)).collect())
                .collect()
        })
        .filter(|p: &Vec<Vec<String>>| p.iter().all(|v| v.len() == params.len()))
        .ok_or_else(|| bad("\"/spec/points\" is not a list of parameter values"))?;
    let outputs: Vec<String> = field(&manifest, manifest_path, "/spec/outputs")?
        .as_array()
        .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect())
        .ok_or_else(|| bad("\"/spec/outputs\" is not a list of metric names"))?;
    let replicates = u64_field(&manifest, manifest_path, "/spec/replicates")?;
    Ok(PlotManifest {
        params,
        points,
        outputs,
        replicates,
        path: manifest_path.to_path_buf(),
        doc: manifest,
    })
}
