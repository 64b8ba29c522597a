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
        Sim::new(scenario).map(|sim| WebSim { sim }).map_err(|e| e.to_string())
    }

    /// The wrapped simulation.
    pub fn sim(&self) -> &Sim {
        &self.sim
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
        self.sim.step();
    }

    /// Simulates `months` months.
    pub fn run(&mut self, months: u32) {
        self.sim.run(months);
    }

    /// Simulates the months left until the scenario's horizon.
    pub fn run_to_end(&mut self) {
        let left = self.sim.horizon().saturating_sub(self.sim.month());
        self.sim.run(left);
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

    /// The latest month's metrics as a JSON object, or `null` before the first step.
    pub fn last_metrics_json(&self) -> String {
        serde_json::to_string(&self.sim.metrics().last()).unwrap_or_else(|_| "null".into())
    }

    /// Metric names, in column order.
    pub fn metric_names(&self) -> Vec<String> {
        sim_core::METRICS.iter().map(|m| m.name.to_string()).collect()
    }

    /// One metric over every month so far (a `Float64Array` in JS).
    pub fn metric_series(&self, name: &str) -> Result<Vec<f64>, JsValue> {
        self.try_metric_series(name).map_err(to_js)
    }

    /// The fully resolved scenario as TOML.
    pub fn scenario_toml(&self) -> String {
        sim_core::scenario::to_toml(self.sim.scenario())
    }

    /// Platforms with their users, share and quality, as a JSON array.
    pub fn platforms_json(&self) -> String {
        serde_json::to_string(&self.sim.platforms()).unwrap_or_else(|_| "[]".into())
    }

    /// Draws one metric as a line chart on the `<canvas>` with this element id.
    pub fn draw_metric(&self, canvas_id: &str, metric_name: &str) -> Result<(), JsValue> {
        let ys = self.try_metric_series(metric_name).map_err(to_js)?;
        chart::draw_series(canvas_id, metric_name, &ys).map_err(to_js)
    }
}

mod chart {
    use plotters::prelude::*;
    use plotters_canvas::CanvasBackend;

    /// A minimal line chart of `ys` against the month index.
    pub fn draw_series(canvas_id: &str, title: &str, ys: &[f64]) -> Result<(), String> {
        let backend = CanvasBackend::new(canvas_id).ok_or_else(|| format!("no <canvas> with id {canvas_id:?}"))?;
        let root = backend.into_drawing_area();
        let err = |e: &dyn std::fmt::Display| format!("drawing {title}: {e}");
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let finite = ys.iter().copied().filter(|y| y.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| (lo.min(y), hi.max(y)));
        let (lo, hi) = if lo.is_finite() && hi.is_finite() {
            if hi > lo { (lo, hi) } else { (lo - 1.0, hi + 1.0) }
        } else {
            (0.0, 1.0)
        };
        let x_max = ys.len().max(2) as f64 - 1.0;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..x_max, lo..hi)
            .map_err(|e| err(&e))?;
        chart.configure_mesh().x_desc("month").draw().map_err(|e| err(&e))?;
        chart
            .draw_series(LineSeries::new(
                ys.iter()
                    .enumerate()
                    .filter(|(_, y)| y.is_finite())
                    .map(|(i, y)| (i as f64, *y)),
                &BLUE,
            ))
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
        Ok(())
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
}
