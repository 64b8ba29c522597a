//! Scenario parameters: the typed, validated input of a run.
//!
//! A scenario is a TOML document deserialised into [`Scenario`] (unknown keys are errors), then
//! checked by [`Scenario::validate`]: every numeric field against the range in its
//! [`FieldSpec`](spec::FieldSpec), plus cross-field rules (firms name existing nations, term
//! bounds are ordered, …). Units: money in US dollars, compute in H100-equivalent GPUs
//! ("H100e"), time in months, utilities in logit units ("utils").

pub mod spec;

use serde::{Deserialize, Serialize};

pub use spec::FieldSpec;

/// Joins a key path: `join_path("users", "theta_price")` → `users.theta_price`.
pub fn join_path(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

/// One invalid parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    /// Key path, e.g. `users.reconsider_consumer` or `firms[2].cash_usd`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// The allowed range and unit, when the field has one.
    pub allowed: Option<String>,
}

impl ParamError {
    pub(crate) fn new(path: &str, message: String, spec: &FieldSpec) -> Self {
        Self {
            path: path.to_string(),
            message,
            allowed: Some(format_range(spec)),
        }
    }

    pub(crate) fn rule(path: &str, message: impl Into<String>) -> Self {
        Self {
            path: path.to_string(),
            message: message.into(),
            allowed: None,
        }
    }
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(a) = &self.allowed {
            write!(f, " (allowed: {a})")?;
        }
        Ok(())
    }
}

fn format_range(spec: &FieldSpec) -> String {
    let unit = if spec.unit == "1" {
        String::new()
    } else {
        format!(" {}", spec.unit)
    };
    format!("{} to {}{}", fmt_num(spec.min), fmt_num(spec.max), unit)
}

/// Formats a bound compactly: integers plainly, large or tiny numbers in exponent form.
pub fn fmt_num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e9 {
        format!("{}", x as i64)
    } else if x != 0.0 && (x.abs() >= 1e9 || x.abs() < 1e-3) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The four kinds of firm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirmKind {
    /// Integrated lab + cloud + consumer/enterprise platform.
    Frontier,
    /// Lab releasing open weights, funded by an orthogonal business; runs a free assistant.
    OpenWeights,
    /// GPU lessor: owns GPUs, sells reserved contracts and spot capacity.
    Neocloud,
    /// App or agent builder on a platform's API or an open model.
    Startup,
}

impl FirmKind {
    /// Lower-case name as in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            FirmKind::Frontier => "frontier",
            FirmKind::OpenWeights => "open_weights",
            FirmKind::Neocloud => "neocloud",
            FirmKind::Startup => "startup",
        }
    }

    /// Stable integer code (hashing and outputs).
    pub fn code(self) -> u64 {
        match self {
            FirmKind::Frontier => 0,
            FirmKind::OpenWeights => 1,
            FirmKind::Neocloud => 2,
            FirmKind::Startup => 3,
        }
    }
}

crate::section! {
    /// How long and with which seed to run.
    pub struct Run {
        /// Master seed of every random stream.
        seed: u64 = 42;
            unit "1", range [0, 9.223_372_036_854_776e18], source "user choice (TOML integers stop at 2^63 - 1)";
        /// Months to simulate (one tick = one month).
        months: u32 = 120;
            unit "months", range [1, 1200], source "MODEL.md: default horizon 120 months";
        /// Calendar year of month 0 (labels only).
        start_year: u32 = 2026;
            unit "year", range [1990, 2200], source "MODEL.md: the year 2026 onward";
    }
}

crate::section! {
    /// Chip supply: the dominant vendor's production capacity and the fleets' depreciation.
    pub struct Supply {
        /// Vendor production capacity at month 0.
        capacity_gpus_per_month: f64 = 700_000.0;
            unit "H100e/month", range [0, 1e9], source "calibration.md §1.2-1.3: ~21M H100e installed by Apr 2026, 2.5x/yr cluster growth; backs out ~8-12M H100e/yr shipped in 2026; 0.7M/month leaves the market roughly balanced at month 0";
        /// Annual growth factor of capacity (Cap_t = Cap_0 g^(t/12)).
        capacity_growth_per_year: f64 = 1.6;
            unit "x/yr", range [0.2, 10], source "MODEL.md step 2 (x1.8/yr); calibration.md §1.3: hyperscaler capex +40-80%/yr; 1.6 keeps chips scarce but not rationed away";
        /// Economic life of a GPU; fleets depreciate at 1/(12 life) per month.
        life_years: f64 = 5.0;
            unit "years", range [0.5, 20], source "calibration.md §2.7: 4-6 year life";
        /// Vendor list price per H100e at month 0.
        list_price_usd: f64 = 30_000.0;
            unit "USD/H100e", range [100, 1e7], source "calibration.md §1.1: H100 ~$25-40k";
        /// Annual factor on the list price per H100e (newer generations give more per dollar).
        price_factor_per_year: f64 = 0.8;
            unit "x/yr", range [0.05, 5], source "assumption: price per H100e falls ~20%/yr with new generations (calibration.md §1.3 hardware trends)";
    }
}

crate::section! {
    /// Vendor allocation of scarce chips.
    pub struct Allocation {
        /// Priority exponent: weight w_b = size_b^theta (size = fleet in H100e). 0 is pro rata to orders.
        priority_theta: f64 = 0.3;
            unit "1", range [0, 4], source "MODEL.md step 3; calibration.md §1.2 (top-2 customers 39% of vendor revenue)";
        /// Largest share of a month's shipments any one buyer may receive (1 = no cap).
        buyer_share_cap: f64 = 1.0;
            unit "share", range [0.01, 1], source "policy lever: compute-allocation antitrust cap";
        /// Month from which the buyer share cap applies.
        cap_from_month: u32 = 0;
            unit "month", range [0, 1200], source "policy clock";
        /// Month from which the vendor must allocate without size priority (theta = 0), an
        /// antitrust remedy; at or beyond the horizon: never.
        nondiscriminatory_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "calibration.md §2.13: non-discrimination (w = 1 in rationing)";
        /// Months over which a firm spreads the order that closes its projected compute gap.
        order_smoothing_months: f64 = 3.0;
            unit "months", range [1, 60], source "calibration.md §1.2: lead times 8-52 weeks";
        /// Months ahead a firm projects its training need when ordering.
        order_horizon_months: f64 = 6.0;
            unit "months", range [0, 60], source "calibration.md §1.2: lead times 36-52 weeks at peak";
        /// Largest share of cash a firm spends on chips in one month.
        capex_cash_share: f64 = 0.08;
            unit "share/month", range [0, 1], source "assumption: capex is paced by cash";
    }
}

crate::section! {
    /// Export controls on the dominant vendor's chips, by nation tier (a policy lever).
    pub struct ExportControls {
        /// First month the controls apply (0: in force from the start, as in 2026).
        from_month: u32 = 0;
            unit "month", range [0, 1200], source "calibration.md §1.11: controls in force since 2022-25";
        /// First month the controls no longer apply (set below the horizon to lift them).
        until_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock";
        /// Chips a tier-2 nation's buyers may receive together in a month.
        tier2_cap_gpus_per_month: f64 = 2_000.0;
            unit "H100e/month", range [0, 1e9], source "calibration.md §1.11: AI Diffusion Rule ~50,000 H100 per country for 2025-27";
        /// Orders up to this size are licence-exempt (not counted against the tier-2 cap).
        licence_exemption_gpus: f64 = 1_700.0;
            unit "H100e/month", range [0, 1e9], source "calibration.md §1.11: exemption for orders <= 1,700 GPUs";
        /// Share of a tier-3 buyer's order the vendor may fill (0 = embargo).
        tier3_share: f64 = 0.0;
            unit "share", range [0, 1], source "calibration.md §1.11: tier 3 embargoed; H20 licence requirement (2025)";
        /// Share of its compute shortfall a tier-3 firm may rent abroad (contracts and spot) while
        /// controls apply: remote access through foreign clouds.
        tier3_cloud_access: f64 = 0.2;
            unit "share", range [0, 1], source "assumption: remote-access loophole only partly closed (calibration.md §1.11)";
        /// Substitute-chip capacity available to tier-3 buyers at month 0.
        substitute_capacity_gpus_per_month: f64 = 40_000.0;
            unit "H100e/month", range [0, 1e9], source "calibration.md §1.11: Huawei Ascend now China's leading compute source; Chinese firms ~5% of world compute";
        /// Annual growth factor of substitute capacity.
        substitute_growth_per_year: f64 = 1.5;
            unit "x/yr", range [0.1, 10], source "assumption";
        /// H100e a dollar buys in substitute chips relative to the vendor's (price = list / this).
        substitute_efficiency: f64 = 0.5;
            unit "share", range [0.01, 1], source "calibration.md §6: substitute chips 0.3-0.6 of H100e per $ (verify)";
    }
}

crate::section! {
    /// Reserved (take-or-pay) contracts between neoclouds and compute buyers.
    pub struct Contracts {
        /// Shortest contract term.
        term_min_months: u32 = 12;
            unit "months", range [1, 240], source "MODEL.md step 4: 12-36 months";
        /// Longest contract term.
        term_max_months: u32 = 36;
            unit "months", range [1, 240], source "MODEL.md step 4: 12-36 months";
        /// Share of a frontier or open-weights lab's compute shortfall it seeks to reserve.
        reserve_share_lab: f64 = 0.7;
            unit "share", range [0, 1], source "calibration.md §1.1: 96% of neocloud revenue is take-or-pay";
        /// Share of a startup's compute need it seeks to reserve.
        reserve_share_startup: f64 = 0.3;
            unit "share", range [0, 1], source "assumption: startups mostly rent on demand";
        /// Smallest new contract as a share of the buyer's compute need (contracting has a fixed cost).
        min_contract_share: f64 = 0.05;
            unit "share", range [0, 1], source "assumption: contracts are lumpy; avoids monthly top-ups";
        /// Lessors' markup over break-even in their contract asks.
        lessor_margin: f64 = 0.15;
            unit "share", range [0, 5], source "calibration.md §1.1: ~20% EBIT margin at 87% utilisation";
        /// Premium over expected spot that buyers pay for certainty.
        certainty_premium: f64 = 0.25;
            unit "share", range [0, 5], source "calibration.md §1.1: 1-yr contracts rose while spot fell (Jun 2026)";
        /// Span (months) of the exponential average of spot prices buyers use as expectation.
        expectation_months: f64 = 6.0;
            unit "months", range [1, 120], source "assumption: adaptive expectations";
        /// Contract price index at month 0.
        initial_price_usd: f64 = 2.2;
            unit "USD/GPU-h", range [0.01, 100], source "calibration.md §7: H100 contract ~$2.2/h early 2025";
    }
}

crate::section! {
    /// The spot market: uniform-price clearing of unmet demand against idle capacity.
    pub struct Spot {
        /// Power and operations cost of running a GPU.
        variable_cost_usd_per_hour: f64 = 0.35;
            unit "USD/GPU-h", range [0, 20], source "calibration.md §2.7f: c_power + c_ops ~ $0.35/h";
        /// Lessors' spot reserve price as a share of their break-even.
        lessor_reserve_fraction: f64 = 0.6;
            unit "share", range [0, 5], source "calibration.md §1.1: Oct 2025 trough $1.70 vs break-even $1.65-2.85";
        /// Price of a lessor's last idle tranche as a multiple of break-even (top of its supply schedule).
        lessor_ask_ceiling: f64 = 2.5;
            unit "x break-even", range [0, 50], source "calibration.md §1.1: spot can spike 60-120% above reserved; $8+/h at 2023 scarcity";
        /// Ask for resold idle reserved capacity as a share of the contract price paid.
        resale_fraction: f64 = 0.5;
            unit "share", range [0, 5], source "calibration.md §2.7c: idle reserved capacity resold to spot (2024 glut)";
        /// Frontier labs' willingness to pay for spot compute to serve their users.
        wtp_frontier_usd: f64 = 9.0;
            unit "USD/GPU-h", range [0.01, 1000], source "calibration.md §1.1: $8-12/h paid at peak scarcity 2023";
        /// Labs' willingness to pay for spot compute to train (deferrable, so lower than serving).
        wtp_training_usd: f64 = 2.6;
            unit "USD/GPU-h", range [0.01, 1000], source "calibration.md §1.1: 1-yr contracts ~$2.2-2.65/h (2025-26): labs rarely pay more to train";
        /// How much a lab's training bid rises with the share of its chip order the vendor did not
        /// deliver: limit = wtp_training (1 + urgency x shortfall), capped at wtp_frontier.
        rationing_urgency: f64 = 3.0;
            unit "1", range [0, 100], source "calibration.md §1.1: $8+/h spot at 2023 scarcity vs ~$2.5 normally";
        /// Open-weights labs' willingness to pay for spot compute.
        wtp_open_weights_usd: f64 = 5.0;
            unit "USD/GPU-h", range [0.01, 1000], source "assumption: below frontier labs";
        /// Startups' willingness to pay for spot compute.
        wtp_startup_usd: f64 = 12.0;
            unit "USD/GPU-h", range [0.01, 1000], source "derivation: serving paying customers earns ~$40/GPU-h (arpu x 1000 / gpus_per_thousand_customers / 730); startups pay up to a third of that";
        /// Share of cash a lab may spend on spot compute in one month.
        lab_budget_share: f64 = 0.03;
            unit "share/month", range [0, 1], source "assumption: labs pace rentals like capex";
        /// Share of cash a startup may spend on spot compute in one month.
        startup_budget_share: f64 = 0.3;
            unit "share/month", range [0, 1], source "assumption: budget-limited bids";
        /// Spot price at month 0.
        initial_price_usd: f64 = 2.4;
            unit "USD/GPU-h", range [0.01, 100], source "calibration.md §1.1: marketplace H100 ~$2.4/h mid-2025";
        /// Price the market cannot fall below (a clearing with no asks keeps the last price).
        price_floor_usd: f64 = 0.05;
            unit "USD/GPU-h", range [0, 100], source "guardrail";
    }
}

crate::section! {
    /// GPU lessors (neoclouds): break-even, expansion and exit.
    pub struct Lessors {
        /// All-in capital cost of one H100e for a lessor (server share included).
        capex_per_gpu_usd: f64 = 35_000.0;
            unit "USD/H100e", range [100, 1e7], source "calibration.md §2.7f: $30-45k all-in";
        /// Weighted average cost of capital.
        wacc: f64 = 0.10;
            unit "1/yr", range [0, 1], source "calibration.md §2.7f: 10% WACC";
        /// Utilisation assumed in the break-even price.
        breakeven_utilisation: f64 = 0.75;
            unit "share", range [0.05, 1], source "calibration.md §2.7f: 60-90% utilisation";
        /// Share of its fleet a lessor keeps out of contracts for on-demand (spot) customers.
        on_demand_share: f64 = 0.15;
            unit "share", range [0, 1], source "calibration.md §1.1: 96% of CoreWeave revenue is take-or-pay; marketplaces keep on-demand capacity";
        /// Consecutive months of realised price below break-even after which a lessor exits.
        exit_months_below: u32 = 12;
            unit "months", range [1, 240], source "calibration.md §2.7f: exit after several quarters below p_BE";
        /// Committed share of its fleet above which a lessor orders more GPUs.
        expand_utilisation: f64 = 0.8;
            unit "share", range [0, 1], source "assumption";
        /// Monthly fleet growth a lessor orders when expanding.
        expand_rate_per_month: f64 = 0.04;
            unit "share/month", range [0, 1], source "calibration.md §1.4: neocloud revenue +684% YoY (Nebius)";
        /// Price an acquirer pays for an exiting firm's fleet, as a share of its depreciated list value.
        fire_sale_fraction: f64 = 0.5;
            unit "share", range [0, 1], source "assumption: distressed asset sale";
    }
}

crate::section! {
    /// Research: effective compute, algorithmic progress and model quality.
    pub struct Research {
        /// Effective training FLOP one H100e delivers in a month (1e15 FLOP/s x 40% MFU x 730 h).
        flop_per_gpu_month: f64 = 1.05e21;
            unit "FLOP/H100e-month", range [1e15, 1e25], source "calibration.md §2.8; H100 dense BF16 ~1e15 FLOP/s";
        /// Annual growth of algorithmic efficiency A_t.
        algo_growth_per_year: f64 = 3.0;
            unit "x/yr", range [1, 20], source "calibration.md §1.3: Ho et al. 2024, ~3x/yr";
        /// Quality points per decade (x10) of cumulative effective compute: Q = b talent (log10 E - offset).
        quality_per_decade: f64 = 10.0;
            unit "points/decade", range [0.01, 1000], source "calibration.md §2.8: log-linear capability (ECI-like index)";
        /// log10 of cumulative effective FLOP at which quality is zero.
        quality_offset_log10: f64 = 24.0;
            unit "log10 FLOP", range [0, 40], source "normalisation";
        /// Annual growth of frontier labs' training compute targets.
        training_growth_per_year: f64 = 1.6;
            unit "x/yr", range [0.5, 20], source "calibration.md §1.3: frontier runs grow 4-5x/yr, but fleet-level training compute grows with capacity (~2x/yr)";
        /// Quality points a startup adds per decade of its own fine-tuning FLOP.
        finetune_quality_per_decade: f64 = 1.0;
            unit "points/decade", range [0, 100], source "assumption: fine-tuning adds a small increment";
    }
}

crate::section! {
    /// Users: platform choice under switching costs and network effects.
    pub struct Users {
        /// Consumer agents (each stands for internet users / agents people of its nation).
        consumer_agents: u32 = 950_000;
            unit "agents", range [1, 100_000_000], source "scale choice";
        /// Enterprise agents (each stands for a cohort of enterprise seats).
        enterprise_agents: u32 = 50_000;
            unit "agents", range [0, 100_000_000], source "scale choice";
        /// Share of consumers who reconsider their platform each month (rho).
        reconsider_consumer: f64 = 0.03;
            unit "share/month", range [0, 1], source "MODEL.md step 8: 2-5%/month";
        /// Share of enterprises who reconsider their portfolio each month.
        reconsider_enterprise: f64 = 0.012;
            unit "share/month", range [0, 1], source "calibration.md §1.5: ~11%/yr switch primary vendor";
        /// Utility per quality point (theta_Q).
        theta_quality: f64 = 0.15;
            unit "utils/point", range [0, 100], source "calibration: one year of frontier progress ~1.5 utils";
        /// Consumers' utility per dollar of monthly price (theta_P), before individual sensitivity.
        theta_price_consumer: f64 = 0.01;
            unit "utils/USD", range [0, 100], source "calibration: most consumers use free tiers; a $20 list price ~0.2 utils";
        /// Enterprises' utility per dollar of monthly seat price.
        theta_price_enterprise: f64 = 0.01;
            unit "utils/USD", range [0, 100], source "calibration: enterprises less price-sensitive per seat";
        /// Network-effect strength theta_N on ln(1 + users in millions).
        theta_network: f64 = 0.25;
            unit "utils", range [0, 20], source "MODEL.md step 8 (Arthur/Polya increasing returns)";
        /// Base switching cost SC_0.
        switching_cost: f64 = 1.0;
            unit "utils", range [0, 100], source "calibration.md §2.5 (Klemperer)";
        /// Tenure growth of switching cost: SC = SC_0 + kappa ln(1 + tenure months).
        tenure_kappa: f64 = 0.4;
            unit "utils", range [0, 100], source "calibration.md §2.5: habit, memory, personalisation";
        /// One-off cost of a first adoption (trial, learning).
        adoption_cost: f64 = 1.0;
            unit "utils", range [0, 100], source "calibration: gradual adoption";
        /// Utility of using no AI platform (the outside option).
        outside_utility: f64 = 5.5;
            unit "utils", range [-100, 100], source "calibration: ~35% consumer adoption at month 0, rising";
        /// Share of consumers on some platform at month 0.
        initial_adoption_consumer: f64 = 0.3;
            unit "share", range [0, 1], source "calibration.md §1.5: ~900M WAU of ~5.5B internet users";
        /// Share of enterprise agents on some platform at month 0.
        initial_adoption_enterprise: f64 = 0.5;
            unit "share", range [0, 1], source "calibration.md §1.5: broad enterprise adoption";
        /// Share of a platform's consumers who pay the subscription.
        paid_conversion: f64 = 0.055;
            unit "share", range [0, 1], source "calibration.md §1.5: ~50M subs / ~900M WAU";
        /// Log-scale spread of individual price sensitivity.
        price_sensitivity_sigma: f64 = 0.5;
            unit "1", range [0, 5], source "assumption: heterogeneous consumers";
        /// Elasticity of price sensitivity to income: s = (gdp_ref / gdp)^e.
        income_elasticity: f64 = 0.5;
            unit "1", range [0, 5], source "assumption";
        /// Reference GDP per capita of the income elasticity.
        gdp_reference_usd: f64 = 60_000.0;
            unit "USD/person/yr", range [100, 1e6], source "normalisation";
        /// Platforms in an enterprise's portfolio (enterprises multi-home; consumers single-home).
        portfolio_size: u32 = 3;
            unit "platforms", range [1, 3], source "calibration.md §1.5: 81% of enterprises run >=3 model families";
        /// Workload share ratio between consecutive portfolio ranks (shares 1, r, r^2, normalised).
        portfolio_decay: f64 = 0.4;
            unit "1", range [0, 1], source "calibration.md §1.5: primary vendor dominant";
        /// Serving compute per million consumers.
        gpus_per_million_consumers: f64 = 400.0;
            unit "H100e/M users", range [0, 1e7], source "assumption: ~900M WAU served with a few 100k H100e";
        /// Serving compute per million enterprise seats.
        gpus_per_million_seats: f64 = 3000.0;
            unit "H100e/M seats", range [0, 1e8], source "assumption: API workloads are heavier";
        /// Longest initial tenure (drawn uniformly) of month-0 users.
        initial_tenure_max_months: u32 = 24;
            unit "months", range [0, 600], source "ChatGPT launched Nov 2022";
    }
}

crate::section! {
    /// A public compute pool for startups (a policy lever).
    pub struct PublicCompute {
        /// First month the pool buys chips (at or beyond the horizon: never).
        from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock (NAIRR-style pools, EU AI gigafactories)";
        /// Share of the vendor's monthly output the pool buys.
        supply_share: f64 = 0.03;
            unit "share", range [0, 1], source "calibration.md §6: public pools of a few percent of supply (sovereign AI ~$20-30B of ~$600B capex)";
        /// Price discount against the spot price for eligible borrowers.
        subsidy: f64 = 0.5;
            unit "share", range [0, 1], source "calibration.md §6: p_pub = (1 - s) p_market";
        /// Whether open-weights labs (academia-like open research) may borrow too.
        open_weights_eligible: bool = false;
            unit "1", range [0, 1], source "eligibility rule (scenario choice)";
    }
}

crate::section! {
    /// Interoperability and portability mandate (a policy lever on the user market).
    pub struct Interop {
        /// First month the mandate applies (at or beyond the horizon: never).
        from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock (EU Data Act: switching charges banned from Jan 2027)";
        /// Share of the base switching cost SC_0 the mandate removes (mu).
        switching_cost_reduction: f64 = 0.5;
            unit "share", range [0, 1], source "calibration.md §6: SC multiplier (1 - mu); egress at cost, then zero";
        /// Factor on the tenure growth kappa (memory and personalisation become portable).
        kappa_factor: f64 = 0.5;
            unit "x", range [0, 1], source "calibration.md §2.5: data-portability rules reduce kappa";
        /// Factor on the reconsideration rates (switching becomes easier to contemplate).
        reconsider_factor: f64 = 1.5;
            unit "x", range [0, 10], source "calibration.md §6: rho rises under portability";
        /// Factor on the network-effect strength theta_N (interoperable platforms share networks).
        network_factor: f64 = 0.8;
            unit "x", range [0, 1], source "calibration.md §6: effective network-effect exponent falls";
    }
}

crate::section! {
    /// Nation-state partnerships (MODEL.md step 9) and the nation-deal rules lever: before
    /// `from_month` deals are allowed and exclusive; from it, `rule` applies.
    pub struct Deals {
        /// First month the nation-deal rule `rule` applies (at or beyond the horizon: never;
        /// until then deals are allowed and exclusive).
        from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock";
        /// The rule from `from_month`: "exclusive" (one partner), "multi_vendor" (up to
        /// `max_partners` share the default; no exclusivity) or "banned" (no new deals or renewals).
        rule: String = "multi_vendor".to_string();
            unit "1", range [0, 0], source "calibration.md §6: procurement exclusivity flag; multi-vendor requirement";
        /// Most partners a nation takes under the multi-vendor rule (k).
        max_partners: u32 = 3;
            unit "firms", range [1, 64], source "assumption: a handful of vendors";
        /// Monthly probability that a soliciting nation without a deal runs a tender.
        solicit_probability: f64 = 0.15;
            unit "1/month", range [0, 1], source "calibration.md §1.11: OpenAI for Countries targeted 10 partnerships within its first year; assumption";
        /// Length of a deal (and of a renewal): months the partner is the national default.
        term_months: u32 = 24;
            unit "months", range [1, 600], source "assumption: a two-year partnership (calibration.md §1.11)";
        /// Months of free subscriptions for citizens from the signing (T).
        free_months: u32 = 12;
            unit "months", range [0, 600], source "calibration.md §1.11: ChatGPT Plus free for 1 year (Malta)";
        /// Utility of the national default for citizens during a deal (delta_default).
        default_utility: f64 = 1.0;
            unit "utils", range [0, 100], source "calibration.md §2.5: defaults from OS, search, suites or government deals; of the order of SC_0";
        /// Monthly Bass innovation coefficient p of the nation's non-adopters.
        bass_p_per_month: f64 = 0.004;
            unit "1/month", range [0, 1], source "calibration.md §2.4: p ~0.03/yr for durables; generative AI diffused faster";
        /// Factor on p during the free months of a deal (government seeding).
        seeding_factor: f64 = 5.0;
            unit "x", range [0, 1000], source "calibration.md §2.4: multiply p_country by a seeding factor during the free period; assumption";
        /// Months of a new subscriber's revenue a bidder puts on a citizen (its valuation of the
        /// nation's lock-in).
        value_months: f64 = 24.0;
            unit "months", range [0, 1200], source "calibration.md §2.5 (Klemperer): future rents of locked-in customers are competed away up front";
        /// Share of its valuation a bidder offers as local data-centre investment.
        bid_share: f64 = 0.5;
            unit "share", range [0, 1], source "assumption";
        /// Largest share of its cash a firm commits to one bid (or renewal fee).
        max_cash_share: f64 = 0.05;
            unit "share", range [0, 1], source "assumption: deals are paced by cash";
        /// Nation's utility per unit of governance score.
        trust_weight: f64 = 2.0;
            unit "utils", range [0, 100], source "MODEL.md step 9; assumption";
        /// Nation's utility per unit of ln(1 + investment per citizen in USD).
        offer_weight: f64 = 0.5;
            unit "utils", range [0, 100], source "assumption";
        /// Fee per internet user the partner pays the nation to renew a deal for another term
        /// (the renewal price). The partner renews if the fee is at most its valuation
        /// (value_months x paid_conversion x price x bid_share per citizen) and fits its cash.
        renewal_fee_usd_per_person: f64 = 20.0;
            unit "USD/person", range [0, 1e6], source "calibration.md §6: renewal price; assumption ($20 = a month of the list price)";
        /// Months after a deal lapses before the nation solicits again.
        cooldown_months: u32 = 36;
            unit "months", range [0, 1200], source "assumption: a procurement cycle";
    }
}

crate::section! {
    /// Startups: the app market, entry, venture rounds and exit.
    pub struct Startups {
        /// Startups alive at month 0.
        initial_count: u32 = 300;
            unit "firms", range [0, 1_000_000], source "scale choice (hundreds of startups)";
        /// Longest age (drawn uniformly) of month-0 startups.
        initial_age_max_months: u32 = 36;
            unit "months", range [0, 600], source "assumption";
        /// Expected entrants per month at the reference spot price.
        entry_rate_per_month: f64 = 8.0;
            unit "firms/month", range [0, 1e6], source "calibration.md §1.8: AI in 44% of VC deals";
        /// Elasticity of entry to the spot price: lambda = lambda_0 (p_ref / p_spot)^e.
        entry_price_elasticity: f64 = 1.0;
            unit "1", range [0, 10], source "MODEL.md step 13: entry falls with the cost of compute";
        /// Reference spot price of the entry rate.
        entry_reference_price_usd: f64 = 2.4;
            unit "USD/GPU-h", range [0.01, 100], source "calibration.md §1.1";
        /// Mean seed round of a new startup (lognormal).
        seed_cash_usd: f64 = 1.5e6;
            unit "USD", range [0, 1e12], source "assumption: seed rounds $1-5M";
        /// Log-scale spread of the seed round.
        seed_cash_sigma: f64 = 1.3;
            unit "1", range [0, 5], source "calibrated with every mechanism on toward 80% 1-yr and 50% 5-yr survival (calibration.md §1.8): seed rounds span pre-seed ~$0.1M to ~$10M; 0.9 left 1-yr survival at ~0.9";
        /// Smallest founding team.
        team_min: u32 = 3;
            unit "people", range [1, 10_000], source "assumption";
        /// Largest founding team.
        team_max: u32 = 12;
            unit "people", range [1, 10_000], source "assumption";
        /// Fully loaded monthly cost of a startup employee.
        wage_usd_per_month: f64 = 18_000.0;
            unit "USD/person-month", range [0, 1e7], source "assumption: ~$200k/yr loaded";
        /// Revenue per employee at which a startup hires (team = max(founders, revenue / this)).
        revenue_per_employee_usd: f64 = 25_000.0;
            unit "USD/person-month", range [1, 1e9], source "assumption: ~$300k ARR per employee";
        /// Share of the world's app market that this scenario's startups stand for (scale the
        /// initial count and entry rate by the same factor to keep per-startup economics).
        app_market_scale: f64 = 1.0;
            unit "share", range [0, 1], source "scale choice";
        /// Share of adopted platform users who start using some app each month.
        app_adoption_per_month: f64 = 0.004;
            unit "share/month", range [0, 1], source "assumption";
        /// Share of an app's customers lost each month.
        customer_churn_per_month: f64 = 0.05;
            unit "share/month", range [0, 1], source "assumption: consumer apps churn 3-8%/month";
        /// Revenue per app customer per month.
        arpu_usd: f64 = 12.0;
            unit "USD/customer-month", range [0, 1e6], source "assumption";
        /// Preferential-attachment exponent of app acquisition (A = e^(theta q) (1 + K/K0)^alpha).
        attachment_alpha: f64 = 0.8;
            unit "1", range [0, 3], source "calibration.md §2.2-2.3: Simon/Yule growth, Zipf sizes";
        /// Customer scale K0 of the attachment term.
        attachment_scale: f64 = 5_000.0;
            unit "customers", range [1, 1e9], source "normalisation";
        /// Utility per quality point in app acquisition.
        theta_app_quality: f64 = 0.1;
            unit "utils/point", range [0, 100], source "pattern-oriented calibration: 0.1 gives Laplace growth rates whose volatility falls with size (calibration.md §2.3; tests/integration/facts.rs); 0.3 made app growth a quality tournament";
        /// Log-scale noise of a small app's monthly acquisitions (scaled by (1 + K/K0)^(-beta) like
        /// the stock shock).
        acquisition_noise_sigma: f64 = 0.5;
            unit "1", range [0, 5], source "calibration.md §2.3: tent-shaped growth rates";
        /// Log-scale noise sigma_0 of a small app's monthly customer-base growth (Gibrat shocks on
        /// the stock: word of mouth, outages, viral moments), before the size scaling.
        stock_noise_sigma: f64 = 0.12;
            unit "1/month", range [0, 5], source "calibration.md §2.3: Stanley et al. 1996, annual growth sd ~0.4-0.5 for small firms";
        /// Size elasticity beta of growth volatility: sigma(K) = sigma_0 (1 + K / K0)^(-beta), so
        /// large apps (many independent customers) grow more steadily.
        size_volatility_beta: f64 = 0.2;
            unit "1", range [0, 1], source "calibration.md §2.3: Stanley et al. 1996, Amaral et al. 1997, beta ~0.15-0.20";
        /// Serving compute per thousand app customers.
        gpus_per_thousand_customers: f64 = 0.4;
            unit "H100e/k customers", range [0, 1e6], source "assumption";
        /// Fine-tuning compute per employee.
        gpus_per_employee: f64 = 1.0;
            unit "H100e/person", range [0, 1e6], source "assumption";
        /// API fee paid to the base platform per app customer per month.
        api_fee_usd_per_customer: f64 = 2.5;
            unit "USD/customer-month", range [0, 1e6], source "assumption: inference cost passed through";
        /// Extra serving compute of a startup that hosts an open model (x the API-based need).
        open_hosting_factor: f64 = 1.5;
            unit "x", range [1, 100], source "MODEL.md step 10: open-model startups pay hosting compute";
        /// Utility per quality point when a new startup picks its base model.
        base_theta_quality: f64 = 0.4;
            unit "utils/point", range [0, 100], source "assumption";
        /// Utility advantage of an open base (no fee, no platform dependence), before quality.
        base_open_bonus: f64 = 0.0;
            unit "utils", range [-100, 100], source "assumption";
        /// Runway (months of burn) below which a startup seeks a round.
        runway_trigger_months: f64 = 6.0;
            unit "months", range [0, 120], source "assumption";
        /// Monthly probability of closing a round while seeking, at zero traction.
        round_probability: f64 = 0.26;
            unit "1/month", range [0, 1], source "calibrated with all mechanisms on (platform entry and the open-tier API price cap included) toward 80% 1-yr and 50% 5-yr survival (calibration.md §1.8), together with seed_cash_sigma: baseline at 8k users, seeds 1-6, give 0.78 and 0.53";
        /// Logit weight of traction (6-month revenue growth) on round probability.
        round_traction_weight: f64 = 2.0;
            unit "1", range [0, 100], source "MODEL.md step 13";
        /// Revenue added to both ends of the traction ratio, so that tiny revenues do not read as
        /// explosive growth: traction = ln((R_now + R0) / (R_6 months ago + R0)).
        traction_reference_usd: f64 = 100_000.0;
            unit "USD/month", range [1, 1e12], source "assumption: investors look at absolute as well as relative growth";
        /// Months of burn a round funds.
        round_months_of_burn: f64 = 18.0;
            unit "months", range [0, 240], source "assumption: 18-24 month runway per round";
    }
}

crate::section! {
    /// Platform entry into app niches, strategic acquisitions and API cut-offs (MODEL.md step
    /// 10), and the platform self-preferencing ban (a policy lever).
    pub struct PlatformEntry {
        /// Intercept gamma_0 of the monthly entry logit of a frontier platform into an app niche
        /// it is not in, at the reference revenue, equal quality and zero specificity.
        gamma0: f64 = -4.5;
            unit "logit", range [-50, 50], source "calibrated: a handful of entries a year in the baseline (about 3/yr, ~30 of the 40 platform-niche pairs entered in ten years, seeds 1-4); Zhu & Liu 2018 (calibration.md §1.8, §2.6)";
        /// Weight gamma_1 of ln(niche revenue / reference revenue) on the entry logit.
        gamma_revenue: f64 = 0.6;
            unit "logit/ln USD", range [0, 100], source "calibration.md §2.6 (Zhu & Liu 2018): owners enter successful (popular) product spaces; sign +, size assumption";
        /// Weight gamma_2 of the niche's app quality relative to the platform's model (quality
        /// points) on the entry logit.
        gamma_quality: f64 = 0.1;
            unit "logit/point", range [-100, 100], source "calibration.md §2.6 (Zhu & Liu 2018): owners enter highly rated spaces; sign +, size assumption";
        /// Weight gamma_3 of the niche's specificity (complementor-specific investment, 0-1) on
        /// the entry logit (entered with a minus sign).
        gamma_specificity: f64 = 3.0;
            unit "logit", range [0, 100], source "calibration.md §2.6 (Zhu & Liu 2018): owners avoid spaces needing seller-specific investment; sign -, size assumption";
        /// Monthly world app revenue of a niche at which the revenue term of the entry logit is
        /// zero (the niche's revenue is divided by startups.app_market_scale, so the logit does
        /// not depend on the scale of the run).
        revenue_reference_usd: f64 = 2.0e8;
            unit "USD/month", range [1, 1e13], source "normalisation: about the baseline's mean niche revenue at month 0";
        /// Quality points a platform's own app has above the platform's served model.
        own_app_quality_points: f64 = 0.0;
            unit "points", range [-100, 100], source "assumption: the own app is the platform's model without a fine-tuning edge";
        /// Default-placement bonus (delta_default) of a platform's own app among the platform's
        /// own users, in the app-acquisition logit (0 under the self-preferencing ban).
        default_bonus: f64 = 1.5;
            unit "utils", range [0, 100], source "calibration.md §2.13: default placement of own models and apps (delta_default); assumption";
        /// Extra monthly churn of an API-based startup's customers to the platform's own app in
        /// a niche the platform entered (default placement pulling customers over; 0 under the ban).
        entry_churn_per_month: f64 = 0.01;
            unit "share/month", range [0, 1], source "calibration.md §2.6: after entry the complementor's demand falls by delta_entry; assumption";
        /// Multiplier of that extra churn for a startup built on the entrant's own API (entry by
        /// the owner of its base).
        own_api_multiplier: f64 = 3.0;
            unit "x", range [1, 100], source "assumption: the owner sees the usage data and sells its model directly to the startup's customers (MODEL.md step 10)";
        /// Multiplier of that extra churn for a wrapper (an API-based startup whose fine-tuning
        /// is below wrapper_tuning_gpu_months).
        wrapper_multiplier: f64 = 2.0;
            unit "x", range [1, 100], source "calibration.md §7: wrapper hazard multiplier 1.2-2.0; §1.8: wrappers over-represented in AI shutdowns";
        /// Logit shift (negative) of the venture-round probability of an exposed startup per unit
        /// of exposure (the "kill zone": investors shun a niche where the platform's own app is
        /// placed by default; 0 under the ban).
        kill_zone_round_penalty: f64 = 0.3;
            unit "logit", range [0, 100], source "calibration.md §6: a ban on platform entry raises complementor survival and investment (Zhu & Liu's discouragement effect removed); Kamepalli, Rajan & Zingales 2020 (kill zones); size assumption";
        /// An API-based startup is a wrapper when its fine-tuning could be replicated today with
        /// fewer than this many GPU-months: finetune_flop / (flop_per_gpu_month x A_t) below it
        /// (A_t the algorithmic efficiency; older tuning is cheaper to replicate).
        wrapper_tuning_gpu_months: f64 = 40.0;
            unit "H100e-months", range [0, 1e9], source "assumption: a few months of a founding team's GPUs (startups.gpus_per_employee); a thin layer on someone else's model (calibration.md §1.8: wrappers without moats)";
        /// Months after a platform entered a startup's niche within which the startup's exit for
        /// lack of cash is attributed to platform entry.
        attribution_months: u32 = 12;
            unit "months", range [0, 1200], source "assumption: a year (Zhu & Liu: affected sellers reduce growth effort after entry)";
        /// Monthly probability that a frontier lab buys a healthy startup with the reference
        /// revenue and no traction (a strategic acquisition; the startup keeps operating).
        acquisition_probability: f64 = 0.0015;
            unit "1/month", range [0, 1], source "calibration.md §1.5: Windsurf (~$3B, >$100M ARR) and the CMA's >90 big-tech partnerships; calibrated to about ten strategic acquisitions a year in the baseline (seeds 1-4), of which three or four end in a cut-off";
        /// Logit weight of traction (6-month revenue growth, as for venture rounds) on the
        /// acquisition probability.
        acquisition_traction_weight: f64 = 1.0;
            unit "1", range [0, 100], source "MODEL.md step 10: labs buy successful startups; assumption";
        /// Logit weight of ln(revenue / acquisition_revenue_reference_usd) on the acquisition
        /// probability.
        acquisition_size_weight: f64 = 0.7;
            unit "1", range [0, 100], source "assumption: the bigger the app, the likelier a lab wants it";
        /// Monthly revenue of the acquisition probability's reference startup.
        acquisition_revenue_reference_usd: f64 = 1.0e6;
            unit "USD/month", range [1, 1e12], source "assumption: ~$12M ARR";
        /// Price of a strategic acquisition as a multiple of annualised revenue (paid by the
        /// acquirer to the startup's shareholders, outside the model).
        acquisition_revenue_multiple: f64 = 25.0;
            unit "x annual revenue", range [0, 1000], source "calibration.md §1.5: Windsurf ~$3B on >$100M ARR (~30x)";
        /// Probability that the platform whose API a startup uses cuts its access when a rival
        /// lab acquires the startup.
        cutoff_probability: f64 = 0.5;
            unit "1", range [0, 1], source "calibration.md §1.5: Anthropic cut Windsurf's first-party access with <5 days' notice after reports of OpenAI acquiring it (one case; assumption)";
        /// Share of customers a cut-off startup loses while it rebases onto its acquirer's API.
        cutoff_customer_loss: f64 = 0.3;
            unit "share", range [0, 1], source "assumption: Windsurf moved to BYOK and another model";
        /// Share of its fine-tuning (cumulative FLOP) a cut-off startup loses (tuned on the old model).
        cutoff_finetune_loss: f64 = 0.8;
            unit "share", range [0, 1], source "assumption: fine-tunes do not transfer across base models";
        /// First month of the self-preferencing ban: no new entry into app niches, no default
        /// placement of own apps (bonus and extra churn 0), no API cut-offs (at or beyond the
        /// horizon: never).
        ban_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock; calibration.md §2.6, §2.13 (DMA-style self-preferencing ban)";
    }
}

crate::section! {
    /// An app niche (vertical) where startups and platforms' own apps compete.
    pub struct NicheSpec {
        /// Display name (unique).
        name: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Share of the month's new app customers who want an app in this niche (shares are
        /// normalised over the niches).
        demand_share: f64 = 1.0;
            unit "share", range [0, 1], source "scenario";
        /// Complementor-specific investment the niche needs (domain data, regulation,
        /// integrations), 0-1: lowers the odds of platform entry.
        specificity: f64 = 0.5;
            unit "1", range [0, 1], source "calibration.md §2.6 (Zhu & Liu 2018: seller-specific investment)";
    }
}

crate::section! {
    /// Venture finance: the market sentiment index, its effect on rounds and entry, and
    /// acqui-hires of startups in distress.
    pub struct Venture {
        /// Sentiment at month 0 (1 = neutral).
        initial_sentiment: f64 = 1.0;
            unit "index", range [0.01, 100], source "normalisation";
        /// Months of the exponential average of sector revenue growth (the momentum).
        momentum_months: f64 = 6.0;
            unit "months", range [1, 120], source "assumption: investors look at the last two quarters";
        /// Months of the slower exponential average of sector revenue growth (the trend): momentum
        /// above the trend lifts sentiment, below it depresses it.
        trend_months: f64 = 36.0;
            unit "months", range [1, 600], source "assumption: returns judged against the last few years (a moving-average crossover)";
        /// Pull of sentiment back to neutral each month (kappa).
        reversion_per_month: f64 = 0.1;
            unit "1/month", range [0, 1], source "assumption: VC cycles of a few years (calibration.md §2.14)";
        /// Sentiment change per unit of monthly log growth of momentum above trend (eta).
        momentum_weight: f64 = 4.0;
            unit "index/(1/month)", range [0, 100], source "assumption: hype follows returns (calibration.md §2.14: H_t a return-momentum index)";
        /// Standard deviation of the monthly sentiment shock (sigma).
        noise_sigma: f64 = 0.04;
            unit "index", range [0, 10], source "assumption: boom-bust swings of tens of percent a year";
        /// Lowest sentiment.
        sentiment_min: f64 = 0.3;
            unit "index", range [0.01, 1], source "guardrail";
        /// Highest sentiment.
        sentiment_max: f64 = 3.0;
            unit "index", range [1, 100], source "guardrail";
        /// Logit shift of a startup's round probability per unit of ln(sentiment).
        round_sentiment_weight: f64 = 1.0;
            unit "1", range [0, 100], source "MODEL.md step 13: rounds rise with sentiment";
        /// Elasticity of round size to sentiment (size x S^e).
        round_size_sentiment_elasticity: f64 = 0.5;
            unit "1", range [0, 10], source "assumption: valuations and round sizes rise in booms";
        /// Elasticity of the startup entry rate to sentiment (lambda x S^e).
        entry_sentiment_elasticity: f64 = 1.0;
            unit "1", range [0, 10], source "calibration.md §2.14: VC arrivals Poisson(lambda_VC H_t)";
        /// Probability that a startup in distress (out of cash, no round) of average quality and
        /// reference team size is acqui-hired instead of shutting down.
        acquihire_probability: f64 = 0.12;
            unit "1", range [0, 1], source "assumption: a minority of failing startups are sold for their team (about 30% of startup exits in the baseline)";
        /// Logit weight of quality above the startups' mean on the acqui-hire probability.
        acquihire_quality_weight: f64 = 0.3;
            unit "1/point", range [0, 100], source "MODEL.md step 7: acqui-hires move a failed startup's team";
        /// Logit weight of ln(team / acquihire_team_reference) on the acqui-hire probability.
        acquihire_team_weight: f64 = 1.0;
            unit "1", range [0, 100], source "assumption: bigger teams are worth buying";
        /// Team size of the acqui-hire probability's reference.
        acquihire_team_reference: f64 = 6.0;
            unit "people", range [1, 10_000], source "assumption: a typical founding team";
        /// Price paid per employee of an acqui-hired startup, at neutral sentiment (x S).
        acquihire_price_usd_per_employee: f64 = 1.0e6;
            unit "USD/person", range [0, 1e10], source "assumption: acqui-hires priced at ~$0.5-2M per engineer";
        /// Cash an acquirer must hold, as a multiple of the price.
        acquirer_cash_multiple: f64 = 3.0;
            unit "x price", range [1, 1e6], source "guardrail: only firms with cash to spare buy";
    }
}

crate::section! {
    /// Finance of labs and clouds: wages and strategic funding.
    pub struct Finance {
        /// Fully loaded monthly cost of a lab or cloud employee.
        lab_wage_usd_per_month: f64 = 35_000.0;
            unit "USD/person-month", range [0, 1e8], source "calibration.md §1.3: staff 29-49% of frontier cost";
        /// Runway (months of burn) below which a lab or cloud seeks strategic funding.
        strategic_runway_months: f64 = 12.0;
            unit "months", range [0, 240], source "assumption";
        /// Monthly probability of closing a strategic round while seeking, for the quality leader.
        strategic_round_probability: f64 = 0.5;
            unit "1/month", range [0, 1], source "assumption; scaled by quality rank";
        /// Months of burn a strategic round funds.
        strategic_round_months: f64 = 24.0;
            unit "months", range [0, 240], source "assumption";
        /// Largest strategic round as a multiple of annualised revenue (investors price on revenue).
        strategic_revenue_multiple: f64 = 3.0;
            unit "x annual revenue", range [0, 1000], source "calibration.md §1.5: ~$40B raised on ~$13B revenue (2025)";
        /// Smallest cap on a strategic round, whatever the revenue.
        strategic_round_floor_usd: f64 = 2.0e9;
            unit "USD", range [0, 1e13], source "assumption: pre-revenue labs still raise billions";
    }
}

crate::section! {
    /// Security incidents (MODEL.md step 11): Poisson arrivals scaled by exposure and hygiene,
    /// lognormal losses, user churn, and the security-standards lever.
    pub struct Security {
        /// Incidents per firm-year at unit exposure and no hygiene (lambda_0).
        incidents_per_year: f64 = 0.15;
            unit "1/yr", range [0, 100], source "assumption: IBM/Ponemon (calibration.md §1.9) counts breaches per firm in the low tens of percent a year";
        /// Exposure multiplier of a startup built on an unvetted open model (Base::Open(release)).
        open_base_exposure: f64 = 2.0;
            unit "x", range [1, 100], source "calibration.md §1.9, §2.11: malicious artefacts and unsafe formats in open-model hubs; supply chain is the 2nd breach vector (15%)";
        /// Annual revenue at which activity doubles exposure's base (x = (1 + R / R_ref)^e).
        activity_reference_usd: f64 = 1.0e7;
            unit "USD/yr", range [1, 1e13], source "assumption: a larger attack surface with more users and customers";
        /// Elasticity of exposure to activity (revenue).
        activity_elasticity: f64 = 0.2;
            unit "1", range [0, 2], source "assumption: incidents grow less than proportionally with size";
        /// Highest hygiene a firm can buy (share of incidents prevented).
        hygiene_max: f64 = 0.9;
            unit "share", range [0, 1], source "assumption: no firm is immune";
        /// Fixed yearly cost of full hygiene (scanning, safetensors-only pipelines, sandboxing, staff).
        hygiene_fixed_usd_per_year: f64 = 150_000.0;
            unit "USD/yr", range [0, 1e10], source "calibration.md §2.11: security is fixed-cost heavy (one security engineer and tooling)";
        /// Variable yearly cost of full hygiene as a share of revenue.
        hygiene_variable_share: f64 = 0.0002;
            unit "share of revenue", range [0, 1], source "assumption: tooling that scales with activity; security is fixed-cost heavy (calibration.md §2.11)";
        /// Mean loss of an incident at a large firm (the cap of the size-scaled mean).
        loss_mean_usd: f64 = 4.44e6;
            unit "USD", range [0, 1e12], source "calibration.md §1.9: IBM/Ponemon 2025 global average breach cost $4.44M";
        /// Mean loss of an incident at a firm without revenue.
        loss_floor_usd: f64 = 50_000.0;
            unit "USD", range [0, 1e12], source "assumption: incident response and remediation for a small team";
        /// Mean loss per incident as a share of annual revenue, added to the floor (up to the cap).
        sme_loss_share_revenue: f64 = 0.05;
            unit "share of annual revenue", range [0, 10], source "calibration.md §1.9: SME losses up to ~5% of annual revenue (IBM 2019)";
        /// Log-scale spread of a loss (fat tail).
        loss_sigma: f64 = 1.5;
            unit "1", range [0, 5], source "calibration.md §2.11: lognormal losses with a fat tail that kills a share of SMEs";
        /// Exposure multiplier of a startup whose open release carries an undiscovered backdoor
        /// (the backdoors themselves are drawn per release in [open_source]).
        backdoor_exposure_factor: f64 = 3.0;
            unit "x", range [1, 1000], source "assumption";
        /// Share of a platform's users who leave it (to no platform) per incident.
        user_churn_per_incident: f64 = 0.02;
            unit "share", range [0, 1], source "assumption: post-breach customer loss is a large part of breach cost (IBM/Ponemon)";
        /// Share of a startup's app customers who leave per incident.
        customer_churn_per_incident: f64 = 0.1;
            unit "share", range [0, 1], source "assumption";
        /// Annual revenue from which a firm counts as large in the size-split metrics.
        large_revenue_usd: f64 = 5.4e7;
            unit "USD/yr", range [0, 1e13], source "EU SME definition: turnover up to EUR 50M";
        /// Month from which the security standard applies (policy lever; 1200 = never).
        standard_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy lever: security standards";
        /// Factor on lambda_0 under the standard (mandatory model scanning).
        mandatory_scanning_factor: f64 = 0.5;
            unit "x", range [0, 1], source "calibration.md §1.9: scanners flag ~3.7% of repos; assumption that scanning halves arrivals";
        /// Factor on the fixed hygiene cost under the standard (public shared scanning).
        public_scanning_factor: f64 = 0.5;
            unit "x", range [0, 1], source "calibration.md §2.11: public scanning (HF x Protect AI) lowers F_h for everyone";
    }
}

crate::section! {
    /// The open-weights ecosystem (MODEL.md steps 6, 10, 11; mechanisms::open_source): releases,
    /// downloads by preferential attachment, startups' choice of an open base, backdoors per
    /// release, and the open-source funding lever.
    pub struct OpenSource {
        /// Months between an open-weights maker's releases.
        release_interval_months: u32 = 4;
            unit "months", range [1, 120], source "calibration.md §1.6: Qwen ~400 models, frequent flagship releases; a flagship every few months";
        /// Share of releases under a permissive (Apache/MIT-style) licence; the rest are restricted-use.
        permissive_share: f64 = 0.7;
            unit "share", range [0, 1], source "calibration.md §1.6, §2.2: Qwen, DeepSeek, gpt-oss permissive; Llama custom licence (assumption on the share)";
        /// Attractiveness of a restricted-use release to derivative makers and startups, relative to a permissive one.
        restricted_factor: f64 = 0.5;
            unit "x", range [0, 1], source "calibration.md §2.2: fine-tuners choose a base by licence (Qwen 113-180k derivatives vs Llama ~27k)";
        /// Downloads of open models per person on an AI platform per month (scales total downloads with adoption).
        downloads_per_adopted_person: f64 = 0.06;
            unit "downloads/person-month", range [0, 1000], source "calibration.md §1.6: Qwen ~700M and Llama >1B cumulative over ~3 yr (~50-100M/month for the leading families) over ~1.6B adopted people";
        /// Fitness weight of quality relative to the best release: eta = e^(theta (q - q_best)).
        download_theta_quality: f64 = 0.5;
            unit "1/point", range [0, 100], source "calibration.md §2.2: Bianconi-Barabasi fitness (assumption on the weight)";
        /// Preferential-attachment exponent of downloads: (1 + D / D0)^alpha.
        download_alpha: f64 = 1.0;
            unit "1", range [0, 3], source "calibration.md §2.2, §7: Polya alpha 0.8-1.5; top 1% of models take 99% of downloads";
        /// Download scale D0 of the attachment term.
        download_scale: f64 = 1.0e6;
            unit "downloads", range [1, 1e12], source "normalisation: a popular release has millions of downloads a month (calibration.md §1.6)";
        /// Monthly decay of a release's attraction with age (decay^age).
        download_decay_per_month: f64 = 0.85;
            unit "1/month", range [0, 1], source "calibration.md §2.2: recency decay exp(-(t - t_i)/tau); HF counts are rolling 30-day windows; tau ~6 months (assumption)";
        /// Derivative models per download of a permissive release.
        derivatives_per_download: f64 = 2.5e-4;
            unit "1/download", range [0, 1], source "calibration.md §1.6: Qwen ~180k derivatives on ~700M downloads";
        /// Share of downloads that become production deployments (phi << 1).
        deployments_per_download: f64 = 0.001;
            unit "1/download", range [0, 1], source "calibration.md §2.10: deployments = phi downloads, phi << 1 (HF counts include CI and re-downloads)";
        /// Utility of a release's share of last month's downloads when a startup picks an open base.
        base_theta_popularity: f64 = 2.0;
            unit "utils/share", range [0, 100], source "calibration.md §2.2: base choice is a Polya-type process (assumption on the weight)";
        /// Monthly probability that a startup on an open release reconsiders its base (migrates to a release at least as good).
        migrate_probability_per_month: f64 = 0.04;
            unit "1/month", range [0, 1], source "assumption: products re-base on a new open model about every two years";
        /// Probability that a new unaudited release carries a hidden backdoor.
        backdoor_probability: f64 = 0.03;
            unit "1/release", range [0, 1], source "calibration.md §1.9: ~1e-4 malicious artefacts per repo, 3.7% flagged; flagship releases rarely but sometimes poisoned (assumption; ~2% a month with ~0.75 releases a month)";
        /// Monthly hazard that a live backdoor is discovered (mean undiscovered time = 1 / hazard).
        discovery_hazard_per_month: f64 = 0.15;
            unit "1/month", range [0, 1], source "calibration.md §1.9: 258 days to identify and contain a breach; ~6-7 months";
        /// Share of releases that get a security audit without public funding.
        audit_share: f64 = 0.0;
            unit "share", range [0, 1], source "assumption: flagship releases are rarely audited independently";
        /// Factor on the backdoor probability of an audited release.
        audit_backdoor_factor: f64 = 0.2;
            unit "x", range [0, 1], source "calibration.md §1.9: scanners flag unsafe artefacts (HF x Protect AI); assumption that an audit catches 80%";
        /// Factor on the discovery hazard of an audited release.
        audit_discovery_factor: f64 = 3.0;
            unit "x", range [1, 100], source "assumption: audited weights are examined by more eyes";
        /// First month of the open-source funding lever (at or beyond the horizon: never).
        funding_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy lever: open-source funding (calibration.md §6)";
        /// Grants to open-weights makers per month under the lever, split equally among those alive.
        grant_usd_per_month: f64 = 1.0e8;
            unit "USD/month", range [0, 1e12], source "calibration.md §6: grants and public-interest labs (assumption on the size: ~$1.2B/yr)";
        /// Factor on the release interval of funded makers (faster releases).
        funded_interval_factor: f64 = 0.5;
            unit "x", range [0.05, 1], source "calibration.md §6: release rate rises with funding";
        /// Months cut from funded makers' lag behind the frontier.
        funded_lag_reduction_months: u32 = 2;
            unit "months", range [0, 120], source "calibration.md §6: quality lag L falls with funding";
        /// Share of funded makers' releases that get a funded security audit.
        funded_audit_share: f64 = 1.0;
            unit "share", range [0, 1], source "calibration.md §6: security-audit budget for open artefacts";
        /// Price premium per quality point a platform's API can charge over the trailing open tier:
        /// API fee = min(startups.api_fee_usd_per_customer, open-tier cost + this x quality lead).
        price_premium_usd_per_point: f64 = 0.5;
            unit "USD/customer-month/point", range [0, 1e6], source "calibration.md §2.10 (price effect: open quality at the lagged frontier caps closed prices at the trailing tier) and §6; size assumed: a 4-point (about 5-month) lead is worth about the $2.5 list fee";
    }
}

crate::section! {
    /// A regulation regime (MODEL.md step 12): compliance cost by nation and fines on incidents.
    /// Nations name their regime in `regime`; defaults are EU AI Act-like.
    pub struct RegimeSpec {
        /// Name that nations refer to.
        name: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Month from which the regime applies (policy lever).
        from_month: u32 = 0;
            unit "month", range [0, 1200], source "policy lever: compliance regime";
        /// Fixed yearly compliance cost of a firm in scope (F).
        fixed_usd_per_year: f64 = 60_000.0;
            unit "USD/yr", range [0, 1e10], source "calibration.md §1.10: EUR 32-96k one-off + EUR 12-38k/yr per high-risk system (practitioners), amortised over 3 years";
        /// Proportional compliance cost (v) as a share of revenue.
        proportional_share: f64 = 0.0;
            unit "share of revenue", range [0, 1], source "calibration.md §2.12: the EU AI Act is fixed-cost dominated";
        /// Yearly cost of the systemic-risk tier (F_sys: evaluations, red-teaming, reporting).
        systemic_usd_per_year: f64 = 2.0e7;
            unit "USD/yr", range [0, 1e12], source "assumption (calibration.md §1.10: GPAI systemic-risk obligations)";
        /// Cumulative training compute above which a firm is in the systemic tier.
        systemic_flop: f64 = 1.0e25;
            unit "FLOP", range [0, 1e40], source "calibration.md §1.10: GPAI systemic-risk threshold 1e25 FLOP";
        /// Annual revenue below which a firm is an SME and gets relief.
        sme_revenue_usd: f64 = 5.4e7;
            unit "USD/yr", range [0, 1e13], source "EU SME definition: turnover up to EUR 50M";
        /// Share of the fixed cost an SME is relieved of.
        sme_relief_share: f64 = 0.5;
            unit "share", range [0, 1], source "assumption: AI Act Art. 62 (reduced fees, simplified QMS for SMEs)";
        /// Share of young startups admitted to a regulatory sandbox (exempt from compliance costs).
        sandbox_share: f64 = 0.1;
            unit "share", range [0, 1], source "assumption: AI Act Art. 57 (at least one sandbox per member state)";
        /// Age below which a sandboxed startup is exempt.
        sandbox_months: u32 = 24;
            unit "months", range [0, 600], source "assumption: sandboxes are time-limited";
        /// Fine cap in money.
        fine_max_usd: f64 = 1.6e7;
            unit "USD", range [0, 1e12], source "calibration.md §1.10: EUR 15M / 3% for GPAI providers (up to EUR 35M / 7% for prohibited practices)";
        /// Fine cap as a share of annual revenue (large firms: the higher cap; SMEs: the lower).
        fine_revenue_share: f64 = 0.03;
            unit "share of annual revenue", range [0, 1], source "calibration.md §1.10; AI Act Art. 99(6), 101";
        /// Probability that an incident leads to a fine.
        enforcement_probability: f64 = 0.1;
            unit "share", range [0, 1], source "assumption";
    }
}

crate::section! {
    /// A nation: the home of users and firms.
    pub struct NationSpec {
        /// Display name (unique).
        name: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Population.
        population_millions: f64 = 1.0;
            unit "M people", range [0, 1e5], source "UN population data (rounded)";
        /// Internet users: the potential consumers of AI platforms.
        internet_users_millions: f64 = 1.0;
            unit "M people", range [0, 1e5], source "ITU (rounded)";
        /// Knowledge-work seats: the potential enterprise users.
        enterprise_seats_millions: f64 = 0.1;
            unit "M seats", range [0, 1e5], source "assumption: ~10-15% of workforce";
        /// GDP per capita.
        gdp_per_capita_usd: f64 = 20_000.0;
            unit "USD/person/yr", range [100, 1e6], source "IMF (rounded)";
        /// Export-control tier: 1 open, 2 capped, 3 embargoed (see [export_controls]).
        tier: u32 = 1;
            unit "tier", range [1, 3], source "calibration.md §1.11: AI Diffusion Rule tiers";
        /// Whether citizens may use foreign platforms.
        foreign_platforms: bool = true;
            unit "1", range [0, 1], source "scenario (false: only domestic platforms, as in China)";
        /// Utility cost a foreign researcher bears to work here (fees, quotas, delay); the
        /// talent-visa lever. Citizens bear none.
        visa_cost: f64 = 0.5;
            unit "utils", range [0, 100], source "calibration.md §3 (talent visas): H-1B $100k fee; assumption";
        /// Regulation regime of firms based here: the name of a [[regimes]] entry ("" = unregulated).
        regime: String = String::new();
            unit "1", range [0, 0], source "scenario; calibration.md §1.10 (EU AI Act in EU members)";
        /// Whether the nation solicits partnership offers from frontier labs while it has no deal
        /// (the Malta and UAE deals; see [deals]).
        solicits_deals: bool = false;
            unit "1", range [0, 1], source "calibration.md §1.11: OpenAI-Malta 'AI for All', OpenAI for Countries / Stargate UAE";
        /// Share of the nation's non-adopting citizens who complete the AI-literacy course when a
        /// deal is signed and so adopt the partner at once (raises F(0) of the Bass curve).
        literacy_course_takeup: f64 = 0.0;
            unit "share", range [0, 1], source "calibration.md §2.4: course completion raises F(0); take-up is an assumption";
    }
}

crate::section! {
    /// A named incumbent firm.
    pub struct FirmSpec {
        /// Display name (unique).
        name: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Kind: frontier, open_weights or neocloud (startups are generated).
        kind: FirmKind = FirmKind::Frontier;
            unit "1", range [0, 0], source "scenario";
        /// Home nation (a name from [[nations]]).
        nation: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Cash at month 0.
        cash_usd: f64 = 1.0e10;
            unit "USD", range [0, 1e14], source "company filings (rounded, stylised)";
        /// GPUs owned at month 0.
        owned_gpus: f64 = 100_000.0;
            unit "H100e", range [0, 1e9], source "calibration.md §1.3: Epoch AI chip owners (Apr 2026)";
        /// Cumulative effective training FLOP at month 0 (sets initial quality).
        cumulative_flop: f64 = 1.0e26;
            unit "FLOP", range [1, 1e40], source "calibration.md §1.3: >30 models above 1e25 FLOP by mid-2025";
        /// Research talent factor multiplying quality gains (endogenous with the talent market).
        talent: f64 = 1.0;
            unit "1", range [0.01, 10], source "assumption";
        /// Employees.
        staff: u32 = 1000;
            unit "people", range [0, 10_000_000], source "company reports (rounded)";
        /// Consumer subscription price.
        consumer_price_usd: f64 = 20.0;
            unit "USD/month", range [0, 10_000], source "calibration.md §1.11: $20/month list";
        /// Enterprise seat price.
        enterprise_price_usd: f64 = 30.0;
            unit "USD/seat-month", range [0, 100_000], source "assumption: $25-60/seat";
        /// Consumer market share (of adopters) at month 0.
        initial_consumer_share: f64 = 0.0;
            unit "share", range [0, 1], source "calibration.md §1.5: Similarweb consumer shares";
        /// Enterprise market share (of adopters) at month 0.
        initial_enterprise_share: f64 = 0.0;
            unit "share", range [0, 1], source "calibration.md §1.5: Menlo enterprise API shares";
        /// Compute need at month 0 as a multiple of owned GPUs; above 1 the lab rents the rest.
        /// Training need = this × owned − serving need (then grows with training_growth_per_year).
        need_ratio: f64 = 1.2;
            unit "x", range [0, 100], source "calibration.md §1.3: labs own few chips and rent from clouds (Epoch tracks ownership, not use)";
        /// Monthly funding from a parent's orthogonal business (ads, cloud, devices).
        parent_funding_usd_per_month: f64 = 0.0;
            unit "USD/month", range [0, 1e13], source "calibration.md §2.10: commoditise your complement";
        /// Months an open-weights maker's releases trail the best frontier model.
        open_lag_months: u32 = 6;
            unit "months", range [0, 120], source "calibration.md §1.6: 3-10 months";
        /// Trust and governance score a nation weighs when it picks a partner (0 distrusted, 1
        /// fully trusted).
        governance_score: f64 = 0.5;
            unit "1", range [0, 1], source "MODEL.md step 9: the nation picks on trust (governance score); assumption";
    }
}

crate::section! {
    /// A scheduled supply shock: capacity is multiplied by `factor` for `months` months.
    pub struct SupplyShock {
        /// First month of the shock.
        start_month: u32 = 0;
            unit "month", range [0, 1200], source "scenario";
        /// Duration.
        months: u32 = 6;
            unit "months", range [1, 1200], source "scenario";
        /// Capacity multiplier during the shock.
        factor: f64 = 0.5;
            unit "x", range [0, 10], source "calibration.md §1.2: CoWoS met ~80% of demand (2023)";
    }
}

crate::section! {
    /// The talent market: researcher agents choosing employers (MODEL.md step 7).
    pub struct Talent {
        /// First month of the talent-visa policy (at or beyond the horizon: never).
        visa_policy_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock (H-1B $100k fee from Sep 2025)";
        /// Nation whose visa cost the policy sets (a [[nations]] name; empty: every nation).
        visa_policy_nation: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Visa cost (utils) a foreign researcher bears there while the policy applies.
        visa_policy_cost: f64 = 2.0;
            unit "utils", range [0, 100], source "calibration.md §1.7: $100k H-1B fee ≈ a year of a junior wage; assumption";
        /// Researcher agents (each stands for `people / agents` researchers).
        researcher_agents: u32 = 4_000;
            unit "agents", range [0, 10_000_000], source "scale choice (thousands of agents)";
        /// Share of a lab's staff who are researchers at month 0 (paid by the talent market; the
        /// rest stay on the lab's staff wage bill).
        lab_research_share: f64 = 0.35;
            unit "share", range [0, 1], source "assumption: research is a third of frontier-lab headcount";
        /// Researchers per startup at month 0 (part of its team, paid by the talent market).
        researchers_per_startup: f64 = 2.0;
            unit "people", range [0, 10_000], source "assumption: technical founders";
        /// Share of all researchers outside firms at month 0 (academia, between jobs).
        outside_share: f64 = 0.25;
            unit "share", range [0, 0.99], source "assumption";
        /// Share of a firm's month-0 researchers who are foreign nationals (drawn by population).
        foreign_share: f64 = 0.3;
            unit "share", range [0, 1], source "calibration.md §1.7: US hosts ~42-59% of top talent while producing ~18-20%";
        /// Log-scale spread of skill (lognormal, mean 1): the heavy tail.
        skill_sigma: f64 = 0.9;
            unit "1", range [0, 4], source "calibration.md §2.9: heavy-tailed researcher productivity";
        /// Annual probability that an employed researcher reconsiders their employer (the stay
        /// option keeps most of them; annual moves come out at 10-20%).
        reconsider_per_year: f64 = 0.45;
            unit "1/yr", range [0, 1], source "calibrated to calibration.md §1.7: 2-yr retention 64-80% (10.6-20%/yr attrition)";
        /// Monthly probability that a researcher outside firms looks for a job.
        outside_search_per_month: f64 = 0.15;
            unit "1/month", range [0, 1], source "assumption";
        /// Annual probability that a researcher leaves the market for good (retires, changes field).
        leave_per_year: f64 = 0.02;
            unit "1/yr", range [0, 1], source "assumption";
        /// Employers sampled by a reconsidering researcher (besides staying and the outside option).
        sample_employers: u32 = 5;
            unit "firms", range [1, 100], source "assumption: a handful of offers";
        /// Utility of log wage.
        beta_wage: f64 = 2.0;
            unit "utils/ln USD", range [0, 100], source "assumption";
        /// Utility of log compute per researcher.
        beta_compute: f64 = 0.4;
            unit "utils/ln H100e", range [0, 100], source "calibration.md §2.9: researchers follow compute";
        /// Utility of log peers (the employer's total researcher skill, people).
        beta_peers: f64 = 0.3;
            unit "utils/ln skill", range [0, 100], source "calibration.md §2.9: knowledge spillovers";
        /// Utility cost of moving to another hub (nation).
        moving_cost: f64 = 2.5;
            unit "utils", range [0, 100], source "assumption";
        /// Utility bonus of the current employer (firm-specific capital, unvested equity).
        stay_bonus: f64 = 1.5;
            unit "utils", range [0, 100], source "assumption; with reconsider_per_year sets attrition";
        /// A lab's month-0 research budget as a multiple of its month-0 research wage bill (sets
        /// the share of its resources, parent funding + cash / budget_horizon, it spends on
        /// researchers); the posted wage is the budget per researcher, and a lab hires only
        /// while its researchers' wage bill fits in the budget.
        lab_budget_headroom: f64 = 1.2;
            unit "x", range [0, 100], source "assumption: labs are hiring at month 0";
        /// Budget share of a lab without researchers at month 0.
        wage_budget_share: f64 = 0.02;
            unit "share", range [0, 1], source "assumption";
        /// The same share for startups (people are most of what a startup spends on).
        startup_wage_budget_share: f64 = 0.3;
            unit "share", range [0, 1], source "assumption";
        /// Months over which a firm would spend its cash (sets the cash part of the budget).
        budget_horizon_months: f64 = 36.0;
            unit "months", range [1, 1200], source "assumption";
        /// Lowest posted wage (and the outside option's wage: academia, between jobs).
        wage_floor_usd: f64 = 9_000.0;
            unit "USD/person-month", range [0, 1e7], source "assumption: academic pay ~$100k/yr";
        /// Highest posted wage of an ordinary researcher (skill 1).
        wage_cap_usd: f64 = 100_000.0;
            unit "USD/person-month", range [0, 1e9], source "calibration.md §1.7: senior lab pay ~$1-2M/yr";
        /// Elasticity of a researcher's offer to their skill: offer = posted wage x skill^this.
        wage_skill_elasticity: f64 = 0.5;
            unit "1", range [0, 3], source "assumption";
        /// Compute per researcher of the outside option.
        outside_compute_per_researcher: f64 = 0.5;
            unit "H100e/person", range [0.001, 1e6], source "assumption: academia is compute-poor";
        /// Skill quantile above which a researcher is a superstar.
        superstar_quantile: f64 = 0.99;
            unit "share", range [0, 1], source "calibration.md §1.7: a few researchers get nine-figure offers";
        /// Richest firms (by cash) that court every reconsidering superstar.
        superstar_firms: u32 = 3;
            unit "firms", range [0, 100], source "assumption";
        /// Wage multiple of a superstar offer.
        superstar_multiple: f64 = 5.0;
            unit "x", range [1, 1000], source "calibration.md §1.7: superstar pay";
        /// Probability that a failed firm's researchers are acqui-hired as a team (else they are
        /// laid off).
        acquihire_probability: f64 = 0.5;
            unit "1", range [0, 1], source "assumption: acqui-hires are a common startup exit";
        /// Hub agglomeration: productivity = skill x (researchers in the hub / reference)^alpha.
        agglomeration_alpha: f64 = 0.08;
            unit "1", range [0, 1], source "calibration.md §2.9: productivity rises with hub density";
        /// Reference hub size of the agglomeration term.
        hub_reference_people: f64 = 1_000.0;
            unit "people", range [1, 1e9], source "normalisation";
        /// Elasticity of a lab's talent factor to its researchers' productivity relative to
        /// month 0: talent = talent_0 x (P / P_0)^gamma.
        talent_elasticity: f64 = 0.1;
            unit "1", range [0, 2], source "assumption: concave returns to research headcount";
    }
}

/// A whole scenario: every parameter of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name of the scenario this one extends (resolved by the loader; never serialised).
    #[serde(default, skip_serializing)]
    pub extends: Option<String>,
    /// Short name.
    #[serde(default)]
    pub name: String,
    /// One-paragraph description (the Info panel's "what is it").
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub run: Run,
    #[serde(default)]
    pub supply: Supply,
    #[serde(default)]
    pub allocation: Allocation,
    #[serde(default)]
    pub export_controls: ExportControls,
    #[serde(default)]
    pub public_compute: PublicCompute,
    #[serde(default)]
    pub contracts: Contracts,
    #[serde(default)]
    pub spot: Spot,
    #[serde(default)]
    pub lessors: Lessors,
    #[serde(default)]
    pub research: Research,
    #[serde(default)]
    pub users: Users,
    #[serde(default)]
    pub interop: Interop,
    #[serde(default)]
    pub deals: Deals,
    #[serde(default)]
    pub startups: Startups,
    #[serde(default)]
    pub finance: Finance,
    #[serde(default)]
    pub talent: Talent,
    #[serde(default)]
    pub venture: Venture,
    #[serde(default)]
    pub security: Security,
    #[serde(default)]
    pub platform_entry: PlatformEntry,
    #[serde(default)]
    pub open_source: OpenSource,
    /// Regulation regimes that nations refer to by name.
    #[serde(default)]
    pub regimes: Vec<RegimeSpec>,
    /// Scheduled supply shocks.
    #[serde(default)]
    pub shocks: Vec<SupplyShock>,
    /// Nations.
    #[serde(default)]
    pub nations: Vec<NationSpec>,
    /// Named incumbent firms.
    #[serde(default)]
    pub firms: Vec<FirmSpec>,
    /// App niches (verticals); empty: one generic niche (see [`Scenario::app_niches`]).
    #[serde(default)]
    pub niches: Vec<NicheSpec>,
}

/// The nation-deal rules `deals.rule` may name.
pub const DEAL_RULES: &[&str] = &["exclusive", "multi_vendor", "banned"];

/// A section's name and field table, for documentation.
pub struct SectionDoc {
    /// TOML path of the section (`[[x]]` arrays are written `x[]`).
    pub path: &'static str,
    /// Field specs.
    pub fields: &'static [FieldSpec],
}

/// Every section of the schema, in document order.
pub const SECTIONS: &[SectionDoc] = &[
    SectionDoc {
        path: "run",
        fields: Run::FIELDS,
    },
    SectionDoc {
        path: "supply",
        fields: Supply::FIELDS,
    },
    SectionDoc {
        path: "allocation",
        fields: Allocation::FIELDS,
    },
    SectionDoc {
        path: "export_controls",
        fields: ExportControls::FIELDS,
    },
    SectionDoc {
        path: "public_compute",
        fields: PublicCompute::FIELDS,
    },
    SectionDoc {
        path: "contracts",
        fields: Contracts::FIELDS,
    },
    SectionDoc {
        path: "spot",
        fields: Spot::FIELDS,
    },
    SectionDoc {
        path: "lessors",
        fields: Lessors::FIELDS,
    },
    SectionDoc {
        path: "research",
        fields: Research::FIELDS,
    },
    SectionDoc {
        path: "users",
        fields: Users::FIELDS,
    },
    SectionDoc {
        path: "interop",
        fields: Interop::FIELDS,
    },
    SectionDoc {
        path: "deals",
        fields: Deals::FIELDS,
    },
    SectionDoc {
        path: "startups",
        fields: Startups::FIELDS,
    },
    SectionDoc {
        path: "finance",
        fields: Finance::FIELDS,
    },
    SectionDoc {
        path: "talent",
        fields: Talent::FIELDS,
    },
    SectionDoc {
        path: "venture",
        fields: Venture::FIELDS,
    },
    SectionDoc {
        path: "security",
        fields: Security::FIELDS,
    },
    SectionDoc {
        path: "platform_entry",
        fields: PlatformEntry::FIELDS,
    },
    SectionDoc {
        path: "open_source",
        fields: OpenSource::FIELDS,
    },
    SectionDoc {
        path: "regimes[]",
        fields: RegimeSpec::FIELDS,
    },
    SectionDoc {
        path: "shocks[]",
        fields: SupplyShock::FIELDS,
    },
    SectionDoc {
        path: "nations[]",
        fields: NationSpec::FIELDS,
    },
    SectionDoc {
        path: "firms[]",
        fields: FirmSpec::FIELDS,
    },
    SectionDoc {
        path: "niches[]",
        fields: NicheSpec::FIELDS,
    },
];

/// Finds the spec of a key path such as `users.theta_price_consumer` or `firms[3].cash_usd`.
pub fn find_spec(path: &str) -> Option<&'static FieldSpec> {
    let (section, field) = path.rsplit_once('.')?;
    let section = match section.find('[') {
        Some(i) => format!("{}[]", &section[..i]),
        None => section.to_string(),
    };
    SECTIONS
        .iter()
        .find(|s| s.path == section)?
        .fields
        .iter()
        .find(|f| f.name == field)
}

impl Scenario {
    /// Checks every range and cross-field rule; returns all problems found.
    pub fn validate(&self) -> Result<(), Vec<ParamError>> {
        let mut errs = Vec::new();
        self.run.check_ranges("run", &mut errs);
        self.supply.check_ranges("supply", &mut errs);
        self.allocation.check_ranges("allocation", &mut errs);
        self.export_controls.check_ranges("export_controls", &mut errs);
        self.public_compute.check_ranges("public_compute", &mut errs);
        self.contracts.check_ranges("contracts", &mut errs);
        self.spot.check_ranges("spot", &mut errs);
        self.lessors.check_ranges("lessors", &mut errs);
        self.research.check_ranges("research", &mut errs);
        self.users.check_ranges("users", &mut errs);
        self.interop.check_ranges("interop", &mut errs);
        self.deals.check_ranges("deals", &mut errs);
        self.startups.check_ranges("startups", &mut errs);
        self.finance.check_ranges("finance", &mut errs);
        self.talent.check_ranges("talent", &mut errs);
        self.venture.check_ranges("venture", &mut errs);
        self.security.check_ranges("security", &mut errs);
        self.platform_entry.check_ranges("platform_entry", &mut errs);
        for (i, n) in self.niches.iter().enumerate() {
            n.check_ranges(&format!("niches[{i}]"), &mut errs);
        }
        self.open_source.check_ranges("open_source", &mut errs);
        for (i, r) in self.regimes.iter().enumerate() {
            r.check_ranges(&format!("regimes[{i}]"), &mut errs);
        }
        for (i, s) in self.shocks.iter().enumerate() {
            s.check_ranges(&format!("shocks[{i}]"), &mut errs);
        }
        for (i, n) in self.nations.iter().enumerate() {
            n.check_ranges(&format!("nations[{i}]"), &mut errs);
        }
        for (i, f) in self.firms.iter().enumerate() {
            f.check_ranges(&format!("firms[{i}]"), &mut errs);
        }
        self.check_rules(&mut errs);
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// The app niches of the run: the `[[niches]]` array, or one generic niche ("general",
    /// specificity 0.5) when it is empty.
    pub fn app_niches(&self) -> Vec<NicheSpec> {
        if self.niches.is_empty() {
            vec![NicheSpec {
                name: "general".into(),
                ..Default::default()
            }]
        } else {
            self.niches.clone()
        }
    }

    fn check_rules(&self, errs: &mut Vec<ParamError>) {
        for (i, n) in self.niches.iter().enumerate() {
            if n.name.trim().is_empty() {
                errs.push(ParamError::rule(&format!("niches[{i}].name"), "must not be empty"));
            }
            if self.niches[..i].iter().any(|m| m.name == n.name) {
                errs.push(ParamError::rule(
                    &format!("niches[{i}].name"),
                    format!("duplicate niche name {:?}", n.name),
                ));
            }
        }
        if !self.niches.is_empty() && self.niches.iter().map(|n| n.demand_share).sum::<f64>() <= 0.0 {
            errs.push(ParamError::rule("niches", "demand shares must not all be zero"));
        }
        if self.niches.len() > 250 {
            errs.push(ParamError::rule("niches", "at most 250 niches are supported"));
        }
        if !self.talent.visa_policy_nation.is_empty()
            && !self.nations.iter().any(|n| n.name == self.talent.visa_policy_nation)
        {
            errs.push(ParamError::rule(
                "talent.visa_policy_nation",
                format!("unknown nation {:?}", self.talent.visa_policy_nation),
            ));
        }
        if !DEAL_RULES.contains(&self.deals.rule.as_str()) {
            errs.push(ParamError::rule(
                "deals.rule",
                format!("unknown rule {:?}; expected one of {:?}", self.deals.rule, DEAL_RULES),
            ));
        }
        if self.deals.free_months > self.deals.term_months {
            errs.push(ParamError::rule(
                "deals.free_months",
                format!(
                    "must not exceed deals.term_months ({} > {})",
                    self.deals.free_months, self.deals.term_months
                ),
            ));
        }
        let v = &self.venture;
        if v.initial_sentiment < v.sentiment_min || v.initial_sentiment > v.sentiment_max {
            errs.push(ParamError::rule(
                "venture.initial_sentiment",
                format!(
                    "must lie within [venture.sentiment_min, venture.sentiment_max] ({} not in [{}, {}])",
                    v.initial_sentiment, v.sentiment_min, v.sentiment_max
                ),
            ));
        }
        if self.contracts.term_min_months > self.contracts.term_max_months {
            errs.push(ParamError::rule(
                "contracts.term_min_months",
                format!(
                    "must not exceed contracts.term_max_months ({} > {})",
                    self.contracts.term_min_months, self.contracts.term_max_months
                ),
            ));
        }
        if self.startups.team_min > self.startups.team_max {
            errs.push(ParamError::rule(
                "startups.team_min",
                format!(
                    "must not exceed startups.team_max ({} > {})",
                    self.startups.team_min, self.startups.team_max
                ),
            ));
        }
        if self.nations.is_empty() {
            errs.push(ParamError::rule(
                "nations",
                "at least one [[nations]] entry is required",
            ));
        }
        if self.nations.len() > 250 {
            errs.push(ParamError::rule("nations", "at most 250 nations are supported"));
        }
        let total_internet: f64 = self.nations.iter().map(|n| n.internet_users_millions).sum();
        if !self.nations.is_empty() && total_internet <= 0.0 {
            errs.push(ParamError::rule("nations", "total internet users must be positive"));
        }
        for (i, n) in self.nations.iter().enumerate() {
            if n.name.trim().is_empty() {
                errs.push(ParamError::rule(&format!("nations[{i}].name"), "must not be empty"));
            }
            if self.nations[..i].iter().any(|m| m.name == n.name) {
                errs.push(ParamError::rule(
                    &format!("nations[{i}].name"),
                    format!("duplicate nation name {:?}", n.name),
                ));
            }
        }
        for (i, r) in self.regimes.iter().enumerate() {
            if r.name.trim().is_empty() {
                errs.push(ParamError::rule(&format!("regimes[{i}].name"), "must not be empty"));
            }
            if self.regimes[..i].iter().any(|q| q.name == r.name) {
                errs.push(ParamError::rule(
                    &format!("regimes[{i}].name"),
                    format!("duplicate regime name {:?}", r.name),
                ));
            }
        }
        for (i, n) in self.nations.iter().enumerate() {
            if !n.regime.is_empty() && !self.regimes.iter().any(|r| r.name == n.regime) {
                let names: Vec<&str> = self.regimes.iter().map(|r| r.name.as_str()).collect();
                errs.push(ParamError::rule(
                    &format!("nations[{i}].regime"),
                    format!("unknown regime {:?}; expected \"\" or one of {:?}", n.regime, names),
                ));
            }
        }
        let mut platforms = 0;
        let (mut cs, mut es) = (0.0, 0.0);
        for (i, f) in self.firms.iter().enumerate() {
            let p = format!("firms[{i}]");
            if f.name.trim().is_empty() {
                errs.push(ParamError::rule(&format!("{p}.name"), "must not be empty"));
            }
            if self.firms[..i].iter().any(|g| g.name == f.name) {
                errs.push(ParamError::rule(
                    &format!("{p}.name"),
                    format!("duplicate firm name {:?}", f.name),
                ));
            }
            if !self.nations.iter().any(|n| n.name == f.nation) {
                let names: Vec<&str> = self.nations.iter().map(|n| n.name.as_str()).collect();
                errs.push(ParamError::rule(
                    &format!("{p}.nation"),
                    format!("unknown nation {:?}; expected one of {:?}", f.nation, names),
                ));
            }
            match f.kind {
                FirmKind::Startup => errs.push(ParamError::rule(
                    &format!("{p}.kind"),
                    "startups are generated from [startups]; list only frontier, open_weights or neocloud firms",
                )),
                FirmKind::Frontier | FirmKind::OpenWeights => platforms += 1,
                FirmKind::Neocloud => {
                    if f.initial_consumer_share > 0.0 || f.initial_enterprise_share > 0.0 {
                        errs.push(ParamError::rule(
                            &format!("{p}.initial_consumer_share"),
                            "a neocloud has no users",
                        ));
                    }
                }
            }
            cs += f.initial_consumer_share;
            es += f.initial_enterprise_share;
        }
        if platforms == 0 {
            errs.push(ParamError::rule(
                "firms",
                "at least one frontier or open_weights firm (a platform) is required",
            ));
        }
        if platforms > 64 {
            errs.push(ParamError::rule(
                "firms",
                "at most 64 platforms (frontier + open_weights) are supported",
            ));
        }
        if cs > 1.0 + 1e-9 {
            errs.push(ParamError::rule(
                "firms",
                format!("initial_consumer_share sums to {cs}, more than 1"),
            ));
        }
        if es > 1.0 + 1e-9 {
            errs.push(ParamError::rule(
                "firms",
                format!("initial_enterprise_share sums to {es}, more than 1"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_unit_a_source_and_a_doc() {
        for s in SECTIONS {
            for f in s.fields {
                assert!(
                    !f.unit.is_empty() && !f.source.is_empty() && !f.doc.is_empty(),
                    "{}.{} undocumented",
                    s.path,
                    f.name
                );
                assert!(f.min <= f.max, "{}.{} has an empty range", s.path, f.name);
            }
        }
    }

    #[test]
    fn find_spec_resolves_sections_and_arrays() {
        assert_eq!(find_spec("users.theta_network").unwrap().name, "theta_network");
        assert_eq!(find_spec("firms[3].cash_usd").unwrap().unit, "USD");
        assert!(find_spec("users.nope").is_none());
    }

    #[test]
    fn out_of_range_and_non_finite_values_are_named() {
        let mut s = Scenario {
            nations: vec![NationSpec {
                name: "A".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        s.firms.push(FirmSpec {
            name: "F".into(),
            nation: "A".into(),
            ..Default::default()
        });
        assert!(s.validate().is_ok());
        s.users.reconsider_consumer = 1.5;
        s.spot.wtp_frontier_usd = f64::NAN;
        let errs = s.validate().unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.path == "users.reconsider_consumer" && e.allowed.as_deref() == Some("0 to 1 share/month"))
        );
        assert!(
            errs.iter()
                .any(|e| e.path == "spot.wtp_frontier_usd" && e.message.contains("finite"))
        );
    }
}

#[cfg(test)]
mod venture_tests {
    use super::*;

    #[test]
    fn initial_sentiment_outside_its_clamp_is_rejected() {
        let mut s = Scenario {
            nations: vec![NationSpec {
                name: "A".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        s.firms.push(FirmSpec {
            name: "F".into(),
            nation: "A".into(),
            ..Default::default()
        });
        assert!(s.validate().is_ok());
        s.venture.sentiment_min = 0.8;
        s.venture.initial_sentiment = 0.5;
        let errs = s.validate().unwrap_err();
        assert!(
            errs.iter().any(|e| e.path == "venture.initial_sentiment"),
            "an initial sentiment below sentiment_min must be named: {errs:?}"
        );
    }
}
