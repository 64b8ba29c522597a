//! # sim-web: goldrush in WebAssembly
//!
//! The [`sim_core::Sim`] facade exposed to JavaScript through wasm-bindgen. Build with
//! `cargo build --release --target wasm32-unknown-unknown -p sim-web`, then
//! `wasm-bindgen --target web` (browser) or `--target nodejs` (node).
//!
//! From JavaScript:
//! ```js
//! const sim = new WebSim("tiny", '["users.theta_network=2.5"]');
//! sim.run(sim.horizon());
//! console.log(sim.state_hash_hex()); // same as `goldrush run tiny` natively
//! ```
//!
//! Every entry point is a thin wrapper over a plain-Rust function returning `Result<_, String>`,
//! so the logic is also unit-tested natively (JS values cannot be created off wasm32).
//!
//! Values crossing into JS are strings (JSON, hex hashes) or `f64` arrays; the 64-bit state hash
//! is returned as a hex string rather than a BigInt.

use sim_core::Sim;
use wasm_bindgen::prelude::*;

/// Installs the panic hook so Rust panics show in the browser console with a message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version (equal to sim-core's: the workspace shares one version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// JSON array of the built-in scenario names, e.g. `["baseline","classroom",...]`.
#[wasm_bindgen]
pub fn builtin_scenarios() -> String {
    let names: Vec<&str> = sim_core::scenario::BUILTIN.iter().map(|b| b.0).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".into())
}

/// The text of a built-in scenario (TOML as written, before `extends` is resolved), or
/// `undefined` if there is no built-in of that name.
#[wasm_bindgen]
pub fn builtin_scenario_text(name: &str) -> Option<String> {
    sim_core::scenario::builtin(name).map(str::to_string)
}

/// JSON array of every metric with its unit and meaning: `[{"name":..,"unit":..,"doc":..}]`.
#[wasm_bindgen]
pub fn metric_specs_json() -> String {
    serde_json::to_string(sim_core::METRICS).unwrap_or_else(|_| "[]".into())
}

/// JSON array of every scenario section with its field specs (the parameter metadata that drives
/// validation and `goldrush params`): `[{"section":"users","fields":[{"name":..,"unit":..,
/// "min":..,"max":..,"source":..,"doc":..}]}]`. Array sections are written `regimes[]`.
#[wasm_bindgen]
pub fn param_specs_json() -> String {
    let sections: Vec<serde_json::Value> = sim_core::params::SECTIONS
        .iter()
        .map(|s| serde_json::json!({ "section": s.path, "fields": s.fields }))
        .collect();
    serde_json::to_string(&sections).unwrap_or_else(|_| "[]".into())
}

/// The resolved built-in scenario (after `extends` and the overrides) as JSON, without building
/// a simulation: the page reads its controls' defaults from it.
#[wasm_bindgen]
pub fn resolved_scenario_json(scenario_name: &str, overrides_json: &str) -> Result<String, JsValue> {
    try_resolved_scenario(scenario_name, overrides_json)
        .and_then(|sc| serde_json::to_string(&sc).map_err(|e| e.to_string()))
        .map_err(to_js)
}

/// The resolved built-in scenario as TOML (itself a valid scenario file: `goldrush run` on it
/// gives the same state hash as the page).
#[wasm_bindgen]
pub fn resolved_scenario_toml(scenario_name: &str, overrides_json: &str) -> Result<String, JsValue> {
    try_resolved_scenario(scenario_name, overrides_json)
        .map(|sc| sim_core::scenario::to_toml(&sc))
        .map_err(to_js)
}

/// Loads and validates a built-in scenario with overrides.
pub fn try_resolved_scenario(scenario_name: &str, overrides_json: &str) -> Result<sim_core::Scenario, String> {
    let overrides = parse_overrides(overrides_json)?;
    sim_core::scenario::load_builtin(scenario_name, &overrides).map_err(|e| e.to_string())
}

/// Checks overrides one by one against a built-in scenario: each is kept if the scenario still
/// loads and validates with it and every override kept before it. Returns JSON
/// `{"accepted":[..],"rejected":[{"assignment":..,"error":..}]}`; a malformed argument rejects
/// everything with one entry whose assignment is `""`.
#[wasm_bindgen]
pub fn check_overrides(scenario_name: &str, overrides_json: &str) -> String {
    let out = match try_check_overrides(scenario_name, overrides_json) {
        Ok((accepted, rejected)) => serde_json::json!({
            "accepted": accepted,
            "rejected": rejected
                .into_iter()
                .map(|(a, e)| serde_json::json!({ "assignment": a, "error": e }))
                .collect::<Vec<_>>(),
        }),
        Err(e) => serde_json::json!({ "accepted": [], "rejected": [{ "assignment": "", "error": e }] }),
    };
    out.to_string()
}

/// Native-callable [`check_overrides`]: (accepted, rejected with their errors).
#[allow(clippy::type_complexity)]
pub fn try_check_overrides(
    scenario_name: &str,
    overrides_json: &str,
) -> Result<(Vec<String>, Vec<(String, String)>), String> {
    let all = parse_overrides(overrides_json)?;
    sim_core::scenario::load_builtin(scenario_name, &[]).map_err(|e| e.to_string())?;
    let mut accepted: Vec<String> = Vec::new();
    let mut rejected = Vec::new();
    for o in all {
        accepted.push(o);
        if let Err(e) = sim_core::scenario::load_builtin(scenario_name, &accepted) {
            let o = accepted.pop().unwrap_or_default();
            rejected.push((o, e.to_string()));
        }
    }
    Ok((accepted, rejected))
}

fn to_js(e: String) -> JsValue {
    JsValue::from_str(&e)
}

/// Parses the overrides argument: a JSON array of `"section.key=value"` strings. An empty or
/// blank string means no overrides.
pub fn parse_overrides(json: &str) -> Result<Vec<String>, String> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str::<Vec<String>>(json).map_err(|e| {
        format!("overrides must be a JSON array of \"section.key=value\" strings (e.g. [\"run.seed=7\"]): {e}")
    })
}

/// A running simulation.
#[wasm_bindgen]
pub struct WebSim {
    sim: Sim,
    /// Each simulated month's user share of every platform slot (read after the month).
    user_shares: Vec<Vec<f64>>,
}

impl WebSim {
    /// Builds from a built-in scenario (native-callable version of the constructor).
    pub fn try_new(scenario_name: &str, overrides_json: &str) -> Result<WebSim, String> {
        let overrides = parse_overrides(overrides_json)?;
        let scenario = sim_core::scenario::load_builtin(scenario_name, &overrides).map_err(|e| e.to_string())?;
        Self::build(scenario)
    }

    /// Builds from TOML text (native-callable version of [`WebSim::from_toml`]).
    pub fn try_from_toml(text: &str, overrides_json: &str) -> Result<WebSim, String> {
        let overrides = parse_overrides(overrides_json)?;
        let scenario = sim_core::scenario::load(
            text,
            "scenario.toml",
            &mut sim_core::scenario::builtin_resolver,
            &overrides,
        )
        .map_err(|e| e.to_string())?;
        Self::build(scenario)
    }

    fn build(scenario: sim_core::Scenario) -> Result<WebSim, String> {
        Sim::new(scenario)
            .map(|sim| WebSim {
                sim,
                user_shares: Vec::new(),
            })
            .map_err(|e| e.to_string())
    }

    /// Simulates one month and records the platforms' user shares (read-only).
    fn advance(&mut self) {
        self.sim.step();
        self.user_shares
            .push(self.sim.platforms().iter().map(|p| p.share).collect());
    }

    /// The user-share layers of a stacked chart: the platforms that ever held the most users
    /// (at most `top`, largest first), then the rest summed as "others" (if any held users).
    pub fn share_layers(&self, top: usize) -> Vec<chart::Line> {
        let names: Vec<String> = self.sim.platforms().into_iter().map(|p| p.name).collect();
        let months = self.user_shares.len();
        let at = |m: usize, i: usize| self.user_shares[m].get(i).copied().unwrap_or(0.0);
        let peak = |i: usize| (0..months).map(|m| at(m, i)).fold(0.0, f64::max);
        let mut order: Vec<usize> = (0..names.len()).filter(|&i| peak(i) > 0.0).collect();
        order.sort_by(|&a, &b| peak(b).total_cmp(&peak(a)).then(a.cmp(&b)));
        let rest = order.split_off(order.len().min(top));
        let mut layers: Vec<chart::Line> = order
            .iter()
            .map(|&i| chart::Line {
                name: names[i].clone(),
                unit: "share".into(),
                ys: (0..months).map(|m| at(m, i)).collect(),
            })
            .collect();
        if !rest.is_empty() {
            layers.push(chart::Line {
                name: "others".into(),
                unit: "share".into(),
                ys: (0..months).map(|m| rest.iter().map(|&i| at(m, i)).sum()).collect(),
            });
        }
        layers
    }

    /// The wrapped simulation.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// The series, unit and name of each comma-separated metric, for a chart.
    pub fn chart_lines(&self, metrics: &str) -> Result<Vec<chart::Line>, String> {
        metrics
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|name| {
                let ys = self.try_metric_series(name)?;
                let unit = sim_core::METRICS.iter().find(|m| m.name == name).map_or("", |m| m.unit);
                Ok(chart::Line {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    ys,
                })
            })
            .collect()
    }

    /// One metric's series, or an error naming the known metrics.
    pub fn try_metric_series(&self, name: &str) -> Result<Vec<f64>, String> {
        if !sim_core::METRICS.iter().any(|m| m.name == name) {
            let names: Vec<&str> = sim_core::METRICS.iter().map(|m| m.name).collect();
            return Err(format!("no metric named {name:?} (metrics: {})", names.join(", ")));
        }
        Ok(self
            .sim
            .metrics()
            .iter()
            .map(|m| m.get(name).unwrap_or(f64::NAN))
            .collect())
    }
}

#[wasm_bindgen]
impl WebSim {
    /// Loads a built-in scenario with overrides (a JSON array of `"section.key=value"`
    /// strings, or `""`) and builds month 0. Errors are strings with the full message.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario_name: &str, overrides_json: &str) -> Result<WebSim, JsValue> {
        Self::try_new(scenario_name, overrides_json).map_err(to_js)
    }

    /// Loads a scenario from TOML text (`extends` may name a built-in) with overrides.
    pub fn from_toml(text: &str, overrides_json: &str) -> Result<WebSim, JsValue> {
        Self::try_from_toml(text, overrides_json).map_err(to_js)
    }

    /// Simulates one month.
    pub fn step(&mut self) {
        self.advance();
    }

    /// Simulates `months` months.
    pub fn run(&mut self, months: u32) {
        for _ in 0..months {
            self.advance();
        }
    }

    /// Simulates the months left until the scenario's horizon.
    pub fn run_to_end(&mut self) {
        let left = self.sim.horizon().saturating_sub(self.sim.month());
        self.run(left);
    }

    /// Months simulated so far.
    pub fn month(&self) -> u32 {
        self.sim.month()
    }

    /// Months the scenario asks for.
    pub fn horizon(&self) -> u32 {
        self.sim.horizon()
    }

    /// Whether the horizon has been reached.
    pub fn done(&self) -> bool {
        self.sim.month() >= self.sim.horizon()
    }

    /// The state hash as `0x` + 16 hex digits (the same format as the CLI).
    pub fn state_hash_hex(&mut self) -> String {
        format!("{:#018x}", self.sim.state_hash())
    }

    /// Every month's metrics so far, as a JSON array of objects.
    pub fn metrics_json(&self) -> String {
        serde_json::to_string(self.sim.metrics()).unwrap_or_else(|_| "[]".into())
    }

    /// Metric names, in column order.
    pub fn metric_names(&self) -> Vec<String> {
        sim_core::METRICS.iter().map(|m| m.name.to_string()).collect()
    }

    /// The fully resolved scenario as TOML.
    pub fn scenario_toml(&self) -> String {
        sim_core::scenario::to_toml(self.sim.scenario())
    }

    /// Platforms with their users, share and quality, as a JSON array.
    pub fn platforms_json(&self) -> String {
        serde_json::to_string(&self.sim.platforms()).unwrap_or_else(|_| "[]".into())
    }

    /// metrics.csv of the months so far (the same bytes as `goldrush run` writes for them).
    pub fn metrics_csv(&self) -> String {
        sim_core::key_metrics::to_csv(self.sim.metrics(), self.sim.scenario().run.start)
    }

    /// Draws several metrics (comma-separated names) as a line chart with a legend on the
    /// `<canvas>` with this element id. The x axis spans the whole horizon; the y axis is
    /// labelled with the first metric's unit. Months where a metric is not defined (NaN) are gaps.
    pub fn draw_chart(&self, canvas_id: &str, title: &str, metrics: &str) -> Result<(), JsValue> {
        let lines = self.chart_lines(metrics).map_err(to_js)?;
        chart::draw_lines(
            canvas_id,
            title,
            self.sim.horizon(),
            Some(self.sim.scenario().run.start),
            &lines,
            &[],
        )
        .map_err(to_js)
    }

    /// Draws the platforms' user shares as a stacked area chart (the largest platforms, then
    /// "others") on the `<canvas>` with this element id.
    pub fn draw_user_shares(&self, canvas_id: &str, title: &str) -> Result<(), JsValue> {
        chart::draw_stacked(
            canvas_id,
            title,
            self.sim.horizon(),
            Some(self.sim.scenario().run.start),
            &self.share_layers(6),
        )
        .map_err(to_js)
    }

    /// Like [`WebSim::draw_chart`], with the same metrics of `reference` (e.g. the baseline run
    /// on the same seed) drawn as faint reference lines.
    pub fn draw_chart_compare(
        &self,
        canvas_id: &str,
        title: &str,
        metrics: &str,
        reference: &WebSim,
    ) -> Result<(), JsValue> {
        let lines = self.chart_lines(metrics).map_err(to_js)?;
        let refs = reference.chart_lines(metrics).map_err(to_js)?;
        chart::draw_lines(
            canvas_id,
            title,
            self.sim.horizon(),
            Some(self.sim.scenario().run.start),
            &lines,
            &refs,
        )
        .map_err(to_js)
    }
}

pub mod chart {
    //! The playground's charts: goldrush-charts' live charts drawn on a `<canvas>`.

    use goldrush_charts::live;
    pub use goldrush_charts::live::{Line, y_range};
    pub use goldrush_charts::tick;
    use plotters::prelude::*;
    use plotters_canvas::CanvasBackend;

    fn canvas(canvas_id: &str) -> Result<DrawingArea<CanvasBackend, plotters::coord::Shift>, String> {
        let backend = CanvasBackend::new(canvas_id).ok_or_else(|| format!("no <canvas> with id {canvas_id:?}"))?;
        Ok(backend.into_drawing_area())
    }

    /// [`live::draw_stacked`] on the `<canvas>` with this element id.
    pub fn draw_stacked(
        canvas_id: &str,
        title: &str,
        horizon: u32,
        start: Option<sim_core::YearMonth>,
        layers: &[Line],
    ) -> Result<(), String> {
        live::draw_stacked(&canvas(canvas_id)?, title, horizon, start, layers)
    }

    /// [`live::draw_lines`] on the `<canvas>` with this element id.
    pub fn draw_lines(
        canvas_id: &str,
        title: &str,
        horizon: u32,
        start: Option<sim_core::YearMonth>,
        lines: &[Line],
        reference: &[Line],
    ) -> Result<(), String> {
        live::draw_lines(&canvas(canvas_id)?, title, horizon, start, lines, reference)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_runs_and_reports() {
        let mut w = WebSim::try_new("tiny", "").unwrap();
        assert_eq!(w.month(), 0);
        w.run(3);
        assert_eq!(w.month(), 3);
        let hash = w.state_hash_hex();
        assert!(hash.starts_with("0x") && hash.len() == 18, "{hash}");
        let metrics: serde_json::Value = serde_json::from_str(&w.metrics_json()).unwrap();
        assert_eq!(metrics.as_array().unwrap().len(), 3);
        assert_eq!(w.try_metric_series("month").unwrap(), vec![0.0, 1.0, 2.0]);
        assert!(w.try_metric_series("bogus").is_err());
        let platforms: serde_json::Value = serde_json::from_str(&w.platforms_json()).unwrap();
        assert!(platforms.is_array());
        assert_eq!(w.metric_names().len(), sim_core::METRICS.len());
    }

    #[test]
    fn same_hash_as_core_and_overrides_apply() {
        let mut w = WebSim::try_new("tiny", r#"["run.seed=7"]"#).unwrap();
        let sc = sim_core::scenario::load_builtin("tiny", &["run.seed=7".into()]).unwrap();
        let mut core = Sim::new(sc).unwrap();
        w.run(2);
        core.run(2);
        assert_eq!(w.state_hash_hex(), format!("{:#018x}", core.state_hash()));
    }

    #[test]
    fn from_toml_extends_builtins_and_round_trips() {
        let w = WebSim::try_from_toml("extends = \"tiny\"\n", "[]").unwrap();
        let toml = w.scenario_toml();
        let again = WebSim::try_from_toml(&toml, "").unwrap();
        assert_eq!(again.horizon(), w.horizon());
    }

    #[test]
    fn errors_carry_the_full_message() {
        let e = WebSim::try_new("nope", "").err().unwrap();
        assert!(e.contains("built-ins:"), "{e}");
        let e = WebSim::try_new("tiny", r#"["users.nope=1"]"#).err().unwrap();
        assert!(e.contains("users.nope"), "{e}");
        let e = WebSim::try_new("tiny", "not json").err().unwrap();
        assert!(e.contains("JSON array"), "{e}");
        let e = WebSim::try_from_toml("[users]\nbogus = 1\n", "").err().unwrap();
        assert!(e.contains("scenario.toml:2:1"), "{e}");
    }

    #[test]
    fn builtin_list_is_json() {
        let names: Vec<String> = serde_json::from_str(&builtin_scenarios()).unwrap();
        assert!(names.iter().any(|n| n == "tiny"));
        assert!(builtin_scenario_text("tiny").is_some());
        let specs: serde_json::Value = serde_json::from_str(&metric_specs_json()).unwrap();
        assert!(specs.as_array().unwrap().len() > 5);
    }

    #[test]
    fn param_specs_cover_every_section() {
        let specs: serde_json::Value = serde_json::from_str(&param_specs_json()).unwrap();
        let specs = specs.as_array().unwrap();
        assert_eq!(specs.len(), sim_core::params::SECTIONS.len());
        let users = specs.iter().find(|s| s["section"] == "users").unwrap();
        let theta = users["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "theta_network")
            .unwrap();
        assert!(theta["unit"].is_string() && theta["max"].as_f64().unwrap() > 0.0);
        assert!(theta["doc"].as_str().unwrap().len() > 5);
    }

    #[test]
    fn check_overrides_keeps_the_good_and_names_the_bad() {
        let (ok, bad) = try_check_overrides(
            "tiny",
            r#"["users.theta_network=0.5","users.theta_network=-3","users.nope=1","interop.from_month=12"]"#,
        )
        .unwrap();
        assert_eq!(
            ok,
            vec!["users.theta_network=0.5".to_string(), "interop.from_month=12".into()]
        );
        assert_eq!(bad.len(), 2);
        assert!(bad[0].1.contains("theta_network"), "{}", bad[0].1);
        assert!(bad[1].1.contains("users.nope"), "{}", bad[1].1);
        let v: serde_json::Value = serde_json::from_str(&check_overrides("tiny", "nonsense")).unwrap();
        assert_eq!(v["rejected"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn resolved_scenario_toml_reproduces_the_hash() {
        let o = r#"["run.seed=3","run.months=6","interop.from_month=2"]"#;
        let sc = try_resolved_scenario("tiny", o).unwrap();
        let toml = sim_core::scenario::to_toml(&sc);
        let mut a = WebSim::try_new("tiny", o).unwrap();
        let mut b = WebSim::try_from_toml(&toml, "").unwrap();
        a.run_to_end();
        b.run_to_end();
        assert_eq!(a.month(), 6);
        assert_eq!(a.state_hash_hex(), b.state_hash_hex());
        let json: serde_json::Value = serde_json::to_value(&sc).unwrap();
        assert_eq!(json["interop"]["from_month"], 2);
    }

    #[test]
    fn csv_and_chart_lines() {
        let mut w = WebSim::try_new("tiny", "").unwrap();
        w.run(2);
        let csv = w.metrics_csv();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].starts_with("month,date,"));
        assert_eq!(
            rows[1].split(',').count(),
            sim_core::METRICS.len() + 1,
            "the metrics and the date"
        );
        assert!(rows[1].starts_with("0,2026-01,"), "tiny starts in 2026-01: {}", rows[1]);
        let lines = w.chart_lines("users_hhi, spot_price_usd").unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].unit, "USD/GPU-h");
        assert!(w.chart_lines("users_hhi,bogus").is_err());
        assert_eq!(chart::tick(2_500_000.0), "2.5 M");
        assert_eq!(chart::tick(0.25), "0.25");
        assert_eq!(chart::tick(40.0), "40");
        let (lo, hi) = chart::y_range(&lines[..1]);
        assert!(lo <= 0.0 && hi > lo);
        let layers = w.share_layers(2);
        assert!(!layers.is_empty() && layers.len() <= 3);
        assert!(layers.iter().all(|l| l.ys.len() == 2));
        let total: f64 = layers.iter().map(|l| l.ys[1]).sum();
        assert!((total - 1.0).abs() < 1e-9 || total == 0.0, "{total}");
        let nan = chart::Line {
            name: "x".into(),
            unit: "".into(),
            ys: vec![f64::NAN],
        };
        assert_eq!(chart::y_range(&[nan]), (0.0, 1.0));
    }
}
