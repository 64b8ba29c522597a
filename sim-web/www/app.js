// goldrush playground: controls, the run loop and the share link. The model and the charts are
// Rust (sim-web compiled to WebAssembly); this file only wires the page together.
import init, {
  WebSim, builtin_scenarios, builtin_scenario_text, param_specs_json, check_overrides,
  resolved_scenario_json, resolved_scenario_toml, version,
} from "./pkg/sim_web.js";

const DEFAULT_SCENARIO = "classroom";
const NEVER = 1200; // a switch-on month at or beyond the horizon means "never"
const SPEEDS = [1, 2, 5, 10, 20, 30, 60, 120, Infinity]; // months per second
const REDRAW_MS = 250; // charts at most four times a second while playing
const FRAME_BUDGET_MS = 12; // stepping time per animation frame at full speed

// The charts: canvas id, title, metrics (the y axis takes the first metric's unit); null = the
// platforms' user shares as a stacked area.
const CHARTS = [
  ["c-shares", "User shares by platform (stacked)", null],
  ["c-users", "Concentration (HHI): users and compute", "users_hhi,compute_hhi"],
  ["c-leaders", "Top shares: users CR1 and CR5, compute CR5", "users_cr1,users_cr5,compute_cr5"],
  ["c-prices", "GPU price: spot vs contract", "spot_price_usd,contract_price_usd"],
  ["c-startups", "Startups alive, entering, exiting", "startups_alive,startups_entered,startups_exited"],
  ["c-talent", "Talent: leading hub, top-3 firms", "talent_top_hub_share,talent_top3_share"],
  ["c-lockin", "National lock-in vs counterfactual", "deal_lockin_share,deal_lockin_counterfactual"],
  ["c-haves", "Haves vs have-nots (frontier labs' shares)", "haves_revenue_share,haves_compute_share,talent_frontier_share"],
];

// Policy levers. `month` is the switch-on parameter; mode "from" = on when it is before the
// horizon, "until" = the lever lifts something from that month, "cap" = on while the value is
// below 1. `values` are the lever's key values shown beside it.
const LEVERS = [
  { id: "public_compute", label: "Public compute", month: "public_compute.from_month", mode: "from",
    values: ["public_compute.supply_share"],
    explain: "A public pool buys a share of GPU output and lends it to startups below the spot price." },
  { id: "interop", label: "Interoperability mandate", month: "interop.from_month", mode: "from",
    values: ["interop.switching_cost_reduction"],
    explain: "Portability lowers users' switching costs and shares network effects." },
  { id: "open_source", label: "Open-source funding", month: "open_source.funding_from_month", mode: "from",
    values: ["open_source.grant_usd_per_month"],
    explain: "Grants to open-weights makers: faster releases, shorter lag, funded audits." },
  { id: "export_controls", label: "Lift export controls", month: "export_controls.until_month", mode: "until",
    values: [],
    explain: "From this month the vendor's chips flow to every nation without tier caps." },
  { id: "visas", label: "Talent visa fee", month: "talent.visa_policy_from_month", mode: "from",
    values: ["talent.visa_policy_nation", "talent.visa_policy_cost"],
    explain: "Foreign researchers bear a visa cost in one nation (or everywhere)." },
  { id: "regime", label: "Compliance regime (regimes[0])", month: "regimes[0].from_month", mode: "from",
    values: ["regimes[0].proportional_share", "regimes[0].fixed_usd_per_year"],
    explain: "The first regulation regime (EU AI Act-like): a fixed fee and/or a share of revenue." },
  { id: "ban", label: "Self-preferencing ban", month: "platform_entry.ban_from_month", mode: "from",
    values: [],
    explain: "Platforms may not enter app niches, favour their own apps or cut rivals' API access." },
  { id: "deals", label: "Nation-deal rule", month: "deals.from_month", mode: "from",
    values: ["deals.rule", "deals.max_partners"],
    explain: "National AI deals become multi-vendor, stay exclusive, or are banned." },
  { id: "cap", label: "Chip buyer cap", month: "allocation.cap_from_month", mode: "cap",
    values: ["allocation.buyer_share_cap"],
    explain: "No buyer may receive more than this share of a month's chip shipments." },
  { id: "nondiscrim", label: "Non-discriminatory allocation", month: "allocation.nondiscriminatory_from_month", mode: "from",
    values: [],
    explain: "The vendor must ration chips pro rata, without priority for big buyers." },
  { id: "security", label: "Security standard", month: "security.standard_from_month", mode: "from",
    values: [],
    explain: "Mandatory, public model scanning: fewer and smaller security incidents." },
];
const CHOICES = { "deals.rule": ["exclusive", "multi_vendor", "banned"] };

// Key behavioural parameters (shown as number inputs).
const PARAMS = [
  ["users.theta_network", "How strongly users follow the crowd (network effects)."],
  ["users.switching_cost", "Base cost of moving to another platform (lock-in)."],
  ["allocation.priority_theta", "How much the chip vendor favours big buyers when rationing."],
  ["supply.capacity_growth_per_year", "Yearly growth of chip production capacity (scarcity)."],
];

// ---------------------------------------------------------------------------------------------
const $ = (id) => document.getElementById(id);
let SPECS = new Map(); // "section.key" -> field spec
let BUILTINS = [];
const state = {
  scenario: DEFAULT_SCENARIO, seed: 1, months: 120,
  base: null,      // resolved scenario JSON with only seed/months (the defaults of every control)
  controls: {},    // lever id -> {on, month, values}; "p:"+path -> value
  extra: [],       // overrides from a share link that no control shows
  overrides: [],   // the accepted overrides of the current run (without run.seed/run.months)
};
let sim = null, ref = null, playing = false, lastDraw = -Infinity, dirty = true, acc = 0;
let lastFrame = 0, rate = { t: 0, m: 0, mps: 0 };
window.goldrush = { ready: false, firstChartMs: null, draws: 0 };

function message(text, kind = "error") {
  const div = document.createElement("div");
  div.className = "msg " + kind;
  div.textContent = text;
  const close = document.createElement("button");
  close.type = "button"; close.textContent = "×"; close.title = "Dismiss";
  close.setAttribute("aria-label", "Dismiss message");
  close.onclick = () => div.remove();
  div.append(close);
  $("messages").append(div);
  while ($("messages").children.length > 6) $("messages").firstChild.remove();
}
// Rust panics arrive through console_error_panic_hook's console.error: show them too.
const consoleError = console.error.bind(console);
console.error = (...args) => { consoleError(...args); message("Internal error: " + args.join(" ")); };
window.addEventListener("error", (e) => message("Error: " + e.message));
window.addEventListener("unhandledrejection", (e) => message("Error: " + (e.reason?.message ?? e.reason)));

function getPath(obj, path) {
  for (const part of path.split(".")) {
    const m = part.match(/^(\w+)\[(\d+)\]$/);
    obj = m ? obj?.[m[1]]?.[Number(m[2])] : obj?.[part];
  }
  return obj;
}
const specOf = (path) => SPECS.get(path.replace(/\[\d+\]/, "[]"));
const fmtValue = (v) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const runOverrides = () => [`run.seed=${state.seed}`, `run.months=${state.months}`];
const horizonOf = () => state.months;

function tooltip(path) {
  const s = specOf(path);
  if (!s) return path;
  const range = s.max > s.min ? ` · range ${s.min}–${s.max}` : "";
  return `${path} · unit ${s.unit}${range}\n${s.doc}\nSource: ${s.source}`;
}

// A lever's state as read from a resolved scenario.
function readLever(lv, sc) {
  const month = getPath(sc, lv.month);
  const values = Object.fromEntries(lv.values.map((p) => [p, getPath(sc, p)]));
  let on;
  if (lv.mode === "cap") on = values["allocation.buyer_share_cap"] < 1;
  else on = month < sc.run.months;
  if (lv.id === "cap" && !on) values["allocation.buyer_share_cap"] = 0.15;
  if (lv.id === "visas" && !values["talent.visa_policy_nation"]) values["talent.visa_policy_nation"] = "United States";
  return { on, month: on ? month : Math.min(12, Math.max(0, sc.run.months - 1)), values };
}
// The overrides that put a lever in a state.
function writeLever(lv, st) {
  if (lv.mode === "cap") {
    return st.on ? [`${lv.month}=${st.month}`, `allocation.buyer_share_cap=${st.values["allocation.buyer_share_cap"]}`]
      : ["allocation.buyer_share_cap=1"];
  }
  if (!st.on) return [`${lv.month}=${NEVER}`];
  return [`${lv.month}=${st.month}`, ...lv.values.map((p) => `${p}=${fmtValue(st.values[p])}`)];
}
const controlPaths = new Set([...LEVERS.flatMap((l) => [l.month, ...l.values]), ...PARAMS.map((p) => p[0])]);
controlPaths.add("allocation.buyer_share_cap");

// Overrides = every control that differs from the scenario's default, then the extras.
function collectOverrides() {
  const out = [];
  for (const lv of LEVERS) {
    const now = writeLever(lv, state.controls[lv.id]);
    const dflt = writeLever(lv, readLever(lv, state.base));
    if (JSON.stringify(now) !== JSON.stringify(dflt)) out.push(...now);
  }
  for (const [path] of PARAMS) {
    const v = state.controls["p:" + path];
    if (v !== undefined && v !== getPath(state.base, path)) out.push(`${path}=${v}`);
  }
  return [...out, ...state.extra];
}

// Which control an override belongs to ("p:path", a lever id, or null for extras).
function controlOf(assignment) {
  const path = assignment.split("=")[0].trim();
  if (PARAMS.some((p) => p[0] === path)) return "p:" + path;
  const lv = LEVERS.find((l) => l.month === path || l.values.includes(path) || (l.id === "cap" && path === "allocation.buyer_share_cap"));
  return lv ? lv.id : null;
}

// Validates overrides one by one; rejected ones are reported and their controls reset.
function validated(overrides) {
  const res = JSON.parse(check_overrides(state.scenario, JSON.stringify([...runOverrides(), ...overrides])));
  for (const r of res.rejected) {
    const c = r.assignment ? controlOf(r.assignment) : null;
    message(`Ignored ${r.assignment || "the settings"}: ${r.error}` + (c ? " — that control is back to its default." : ""));
    if (c && c.startsWith("p:")) state.controls[c] = getPath(state.base, c.slice(2));
    else if (c) state.controls[c] = readLever(LEVERS.find((l) => l.id === c), state.base);
    state.extra = state.extra.filter((e) => e !== r.assignment);
  }
  return res.accepted.filter((a) => !a.startsWith("run.seed=") && !a.startsWith("run.months="));
}

// Sets every control from a scenario + seed + months + overrides (from the page or a link).
function loadSettings(scenario, seed, months, overrides) {
  if (!BUILTINS.includes(scenario)) {
    message(`No built-in scenario "${scenario}"; using ${DEFAULT_SCENARIO}.`);
    scenario = DEFAULT_SCENARIO;
  }
  state.scenario = scenario;
  const defaults = JSON.parse(resolved_scenario_json(scenario, "[]"));
  if (!(Number.isSafeInteger(seed) && seed >= 0)) {
    if (seed !== null) message(`Seed must be a whole number ≥ 0; using the scenario's seed ${defaults.run.seed}.`);
    seed = defaults.run.seed;
  }
  const ms = specOf("run.months");
  if (!(Number.isInteger(months) && months >= (ms?.min ?? 1) && months <= (ms?.max ?? 600))) {
    if (months !== null) message(`Months must be a whole number in ${ms?.min ?? 1}–${ms?.max ?? 600}; using ${defaults.run.months}.`);
    months = defaults.run.months;
  }
  state.seed = seed; state.months = months;
  state.base = JSON.parse(resolved_scenario_json(scenario, JSON.stringify(runOverrides())));
  // Reset controls to defaults, then validate the requested overrides against them.
  resetControls();
  const ok = validated(overrides);
  const sc = JSON.parse(resolved_scenario_json(scenario, JSON.stringify([...runOverrides(), ...ok])));
  for (const lv of LEVERS) state.controls[lv.id] = readLever(lv, sc);
  for (const [path] of PARAMS) state.controls["p:" + path] = getPath(sc, path);
  state.extra = ok.filter((a) => controlOf(a) === null);
}
function resetControls() {
  for (const lv of LEVERS) state.controls[lv.id] = readLever(lv, state.base);
  for (const [path] of PARAMS) state.controls["p:" + path] = getPath(state.base, path);
  state.extra = [];
}

// ---------------------------------------------------------------------------------------------
// Rendering the controls from the state.
function numberInput(path, value, onChange, extraAttrs = {}) {
  const s = specOf(path);
  const inp = document.createElement("input");
  inp.type = "number";
  if (s && s.max > s.min) { inp.min = s.min; inp.max = s.max; }
  inp.step = "any";
  Object.assign(inp, extraAttrs);
  inp.value = value;
  inp.title = tooltip(path);
  inp.dataset.path = path;
  inp.setAttribute("aria-label", path);
  inp.addEventListener("change", () => {
    const v = Number(inp.value);
    if (inp.value.trim() === "" || !Number.isFinite(v)) {
      message(`${path}: "${inp.value}" is not a number — back to its default.`);
      onChange(undefined);
    } else onChange(v);
  });
  return inp;
}
function valueControl(lv, path) {
  const st = state.controls[lv.id];
  const wrap = document.createElement("label");
  wrap.className = "val";
  wrap.title = tooltip(path);
  wrap.append(path.split(".").pop().replace(/_/g, " ") + " ");
  const change = (v) => {
    st.values[path] = v === undefined ? readLever(lv, state.base).values[path] : v;
    settingsChanged();
  };
  let el;
  if (CHOICES[path] || path === "talent.visa_policy_nation") {
    el = document.createElement("select");
    const opts = CHOICES[path] ?? ["", ...state.base.nations.map((n) => n.name)];
    for (const o of opts) el.append(new Option(o === "" && !CHOICES[path] ? "every nation" : o, o));
    el.value = st.values[path];
    el.title = tooltip(path);
    el.dataset.path = path;
    el.addEventListener("change", () => change(el.value));
  } else {
    el = numberInput(path, st.values[path], change);
  }
  el.disabled = !st.on;
  wrap.append(el);
  return wrap;
}
function renderControls() {
  const levers = $("levers");
  levers.replaceChildren();
  for (const lv of LEVERS) {
    const st = state.controls[lv.id];
    const div = document.createElement("div");
    div.className = "lever" + (st.on ? " on" : "");
    div.id = "lever-" + lv.id;
    const head = document.createElement("label");
    head.className = "lever-head";
    head.title = tooltip(lv.month);
    const cb = document.createElement("input");
    cb.type = "checkbox"; cb.checked = st.on; cb.id = "on-" + lv.id;
    cb.addEventListener("change", () => { st.on = cb.checked; settingsChanged(); });
    head.append(cb, " " + lv.label);
    const month = numberInput(lv.month, st.month, (v) => {
      st.month = v === undefined ? readLever(lv, state.base).month : v;
      settingsChanged();
    }, { step: 1, min: 0, id: "month-" + lv.id });
    month.max = Math.max(0, state.months - 1);
    month.disabled = !st.on;
    const ml = document.createElement("label");
    ml.className = "val"; ml.append("from month ", month);
    const p = document.createElement("p");
    p.className = "explain"; p.textContent = lv.explain;
    div.append(head, ml, ...lv.values.map((path) => valueControl(lv, path)), p);
    levers.append(div);
  }
  const params = $("params");
  params.replaceChildren();
  for (const [path, explain] of PARAMS) {
    if (!specOf(path)) continue;
    const row = document.createElement("label");
    row.className = "param";
    row.title = tooltip(path);
    const inp = numberInput(path, state.controls["p:" + path], (v) => {
      state.controls["p:" + path] = v === undefined ? getPath(state.base, path) : v;
      settingsChanged();
    });
    inp.id = "p-" + path.replace(/\W/g, "-");
    const s = specOf(path);
    row.append(`${path} `, inp, Object.assign(document.createElement("span"), { className: "unit", textContent: s.unit }),
      Object.assign(document.createElement("p"), { className: "explain", textContent: explain }));
    params.append(row);
  }
  const extra = $("extra");
  extra.replaceChildren();
  if (state.extra.length) {
    extra.append(Object.assign(document.createElement("p"), { className: "hint", textContent: "Other settings from the link:" }));
    for (const e of state.extra) {
      const chip = document.createElement("button");
      chip.type = "button"; chip.className = "chip"; chip.textContent = e + " ×"; chip.title = "Remove this setting";
      chip.onclick = () => { state.extra = state.extra.filter((x) => x !== e); settingsChanged(); };
      extra.append(chip);
    }
  }
  $("scenario").value = state.scenario;
  $("seed").value = state.seed;
  $("months").value = state.months;
}

function renderInfo() {
  const text = builtin_scenario_text(state.scenario) ?? "";
  const header = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    header.push(line.replace(/^#\s?/, ""));
  }
  const body = $("info-body");
  body.replaceChildren();
  let p = null;
  for (const line of header) {
    const m = line.match(/^([A-Z][A-Z ]+[A-Z]):\s*(.*)$/);
    if (m || !p) {
      p = document.createElement("p");
      if (m) p.append(Object.assign(document.createElement("strong"), { textContent: m[1].toLowerCase().replace(/^./, (c) => c.toUpperCase()) + ": " }));
      body.append(p);
      p.append(m ? m[2] : line);
    } else p.append(" " + line.trim());
  }
  $("info-name").textContent = state.scenario;
}

// ---------------------------------------------------------------------------------------------
// The run: rebuild on any settings change; step in chunks per animation frame; draw rarely.
function shareUrl() {
  const q = new URLSearchParams({ scenario: state.scenario, seed: state.seed, months: state.months });
  for (const o of state.overrides) q.append("set", o);
  return location.href.split("#")[0] + "#" + q.toString();
}
function settingsChanged() {
  state.overrides = validated(collectOverrides());
  rebuild();
}
function rebuild() {
  const wasPlaying = playing;
  sim?.free(); ref?.free(); sim = null; ref = null;
  try {
    sim = new WebSim(state.scenario, JSON.stringify([...runOverrides(), ...state.overrides]));
    if ($("compare").checked) ref = new WebSim(state.scenario, JSON.stringify(runOverrides()));
  } catch (e) {
    message("Could not start the simulation: " + e + " — back to the scenario's defaults.");
    resetControls();
    state.overrides = [];
    sim = new WebSim(state.scenario, JSON.stringify(runOverrides()));
  }
  renderControls();
  renderInfo();
  history.replaceState(null, "", shareUrl());
  $("share").href = shareUrl();
  $("horizon").textContent = sim.horizon();
  $("cite").textContent = `goldrush ${version()} (WebAssembly), scenario ${state.scenario}, seed ${state.seed}, ` +
    `${state.months} months` + (state.overrides.length ? `, with ${state.overrides.join(", ")}` : "") +
    `. Reproduce: goldrush run on the downloaded scenario TOML, or open ${shareUrl()}`;
  playing = wasPlaying && !sim.done();
  dirty = true; lastDraw = -Infinity; acc = 0;
  updateStatus(true);
}
function advance(n) {
  sim.run(n);
  if (ref) ref.run(n);
  dirty = true;
}
function draw() {
  const t0 = performance.now();
  for (const [id, title, metrics] of CHARTS) {
    try {
      if (metrics === null) sim.draw_user_shares(id, title);
      else if (ref) sim.draw_chart_compare(id, title, metrics, ref);
      else sim.draw_chart(id, title, metrics);
    } catch (e) { message(`Chart ${title}: ${e}`); }
  }
  window.goldrush.draws++;
  window.goldrush.lastDrawMs = performance.now() - t0;
  if (window.goldrush.firstChartMs === null) window.goldrush.firstChartMs = performance.now();
  dirty = false; lastDraw = performance.now();
}
function updateStatus(withHash) {
  $("month").textContent = sim.month();
  if (withHash) $("hash").textContent = sim.state_hash_hex();
  $("play").textContent = playing ? "Pause" : "Play";
  $("play").setAttribute("aria-pressed", String(playing));
  document.body.dataset.state = playing ? "playing" : sim.done() ? "done" : "paused";
  $("mps").textContent = rate.mps ? `${rate.mps.toFixed(0)} months/s` : "—";
}
function frame(ts) {
  const dt = Math.min(250, ts - (lastFrame || ts));
  lastFrame = ts;
  if (playing && sim && !sim.done()) {
    const speed = SPEEDS[Number($("speed").value)];
    const t0 = performance.now();
    if (speed === Infinity) {
      while (!sim.done() && performance.now() - t0 < FRAME_BUDGET_MS) advance(1);
    } else {
      acc += (speed * dt) / 1000;
      const n = Math.min(Math.floor(acc), sim.horizon() - sim.month());
      if (n > 0) { advance(n); acc -= n; }
    }
    if (sim.done()) playing = false;
  }
  if (sim) {
    const m = sim.month();
    if (ts - rate.t > 1000) { rate.mps = rate.t ? ((m - rate.m) * 1000) / (ts - rate.t) : 0; rate.t = ts; rate.m = m; }
    if (!playing) rate.mps = 0;
    if (dirty && (ts - lastDraw >= REDRAW_MS || !playing)) { draw(); updateStatus(true); }
    else updateStatus(false);
  }
  requestAnimationFrame(frame);
}

function download(name, text, type) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function fromHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  const num = (k) => (q.has(k) ? (/^\d+$/.test(q.get(k).trim()) ? Number(q.get(k)) : NaN) : null);
  loadSettings(q.get("scenario") ?? DEFAULT_SCENARIO, num("seed"), num("months"), q.getAll("set"));
  state.overrides = validated(collectOverrides());
}

async function main() {
  await init();
  BUILTINS = JSON.parse(builtin_scenarios());
  for (const s of JSON.parse(param_specs_json())) for (const f of s.fields) SPECS.set(`${s.section}.${f.name}`, f);
  for (const name of BUILTINS) $("scenario").append(new Option(name, name));
  fromHash();
  rebuild();

  $("scenario").addEventListener("change", () => { loadSettings($("scenario").value, state.seed, state.months, []); settingsChanged(); });
  $("seed").addEventListener("change", () => {
    const v = $("seed").value.trim();
    loadSettings(state.scenario, /^\d+$/.test(v) ? Number(v) : NaN, state.months, state.overrides); settingsChanged();
  });
  $("months").addEventListener("change", () => {
    const v = $("months").value.trim();
    loadSettings(state.scenario, state.seed, /^\d+$/.test(v) ? Number(v) : NaN, state.overrides); settingsChanged();
  });
  $("compare").addEventListener("change", rebuild);
  $("play").addEventListener("click", () => { playing = !playing && !sim.done(); updateStatus(true); });
  $("step").addEventListener("click", () => { playing = false; if (!sim.done()) advance(1); draw(); updateStatus(true); });
  $("reset").addEventListener("click", () => { playing = false; rebuild(); });
  const speedOut = () => { const s = SPEEDS[Number($("speed").value)]; $("speed-out").textContent = s === Infinity ? "max" : `${s}/s`; };
  $("speed").addEventListener("input", speedOut); speedOut();
  $("copy").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(shareUrl()); message("Link copied.", "info"); }
    catch { message("Copy failed; use the Share link (right-click, copy link).", "info"); }
  });
  $("csv").addEventListener("click", () => download(`goldrush-${state.scenario}-seed${state.seed}-metrics.csv`, sim.metrics_csv(), "text/csv"));
  $("toml").addEventListener("click", () => download(`goldrush-${state.scenario}-seed${state.seed}.toml`,
    resolved_scenario_toml(state.scenario, JSON.stringify([...runOverrides(), ...state.overrides])), "application/toml"));
  window.addEventListener("hashchange", () => { if (location.href !== shareUrl()) { playing = false; fromHash(); rebuild(); } });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea, button")) return;
    if (e.key === " ") { e.preventDefault(); $("play").click(); }
    else if (e.key === "s") $("step").click();
    else if (e.key === "r") $("reset").click();
  });

  const charts = $("charts");
  for (const [id, title] of CHARTS) {
    const c = document.createElement("canvas");
    c.id = id; c.width = 480; c.height = 300;
    c.setAttribute("role", "img"); c.setAttribute("aria-label", title);
    charts.append(c);
  }
  window.goldrush.ready = true;
  window.goldrush.hash = () => sim.state_hash_hex();
  window.goldrush.month = () => sim.month();
  window.goldrush.overrides = () => [...state.overrides];
  window.goldrush.csv = () => sim.metrics_csv();
  window.goldrush.toml = () => resolved_scenario_toml(state.scenario, JSON.stringify([...runOverrides(), ...state.overrides]));
  // Stepping time of a built-in run without charts, in ms (for the wasm/native ratio).
  window.goldrush.benchStep = (name, months) => {
    const s = new WebSim(name, JSON.stringify([`run.months=${months}`]));
    const t0 = performance.now();
    s.run(months);
    const ms = performance.now() - t0;
    s.free();
    return ms;
  };
  draw();
  updateStatus(true);
  requestAnimationFrame(frame);
}

main().catch((e) => { message("The playground failed to start: " + (e?.message ?? e)); document.body.dataset.state = "failed"; });
