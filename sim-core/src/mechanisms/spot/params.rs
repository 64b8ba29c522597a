//! This mechanism's scenario parameters: the `[spot]` and `[lessors]` tables of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// The spot market: uniform-price clearing of unmet demand against idle capacity.
    pub struct Spot {
        /// Power and operations cost of running a GPU.
        variable_cost_usd_per_hour: f64 = 0.35;
            unit "USD/GPU-h", range [0, 20], source "EVIDENCE.md §2.7f: c_power + c_ops ~ $0.35/h";
        /// Lessors' spot reserve price as a share of their break-even.
        lessor_reserve_fraction: f64 = 0.6;
            unit "share", range [0, 5], source "EVIDENCE.md §1.1: Oct 2025 trough $1.70 vs break-even $1.65-2.85";
        /// Price of a lessor's last idle tranche as a multiple of break-even (top of its supply schedule).
        lessor_ask_ceiling: f64 = 2.5;
            unit "x break-even", range [0, 50], source "EVIDENCE.md §1.1: spot can spike 60-120% above reserved; $8+/h at 2023 scarcity";
        /// Ask for resold idle reserved capacity as a share of the contract price paid.
        resale_fraction: f64 = 0.5;
            unit "share", range [0, 5], source "EVIDENCE.md §2.7c: idle reserved capacity resold to spot (2024 glut)";
        /// Frontier labs' willingness to pay for spot compute to serve their users.
        wtp_frontier_usd: f64 = 9.0;
            unit "USD/GPU-h", range [0.01, 1000], source "EVIDENCE.md §1.1: $8-12/h paid at peak scarcity 2023";
        /// Labs' willingness to pay for spot compute to train (deferrable, so lower than serving).
        wtp_training_usd: f64 = 2.6;
            unit "USD/GPU-h", range [0.01, 1000], source "EVIDENCE.md §1.1: 1-yr contracts ~$2.2-2.65/h (2025-26): labs rarely pay more to train";
        /// How much a lab's training bid rises with the share of its chip order the vendor did not
        /// deliver: limit = wtp_training (1 + urgency x shortfall), capped at wtp_frontier.
        rationing_urgency: f64 = 3.0;
            unit "1", range [0, 100], source "EVIDENCE.md §1.1: $8+/h spot at 2023 scarcity vs ~$2.5 normally";
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
            unit "USD/GPU-h", range [0.01, 100], source "EVIDENCE.md §1.1: marketplace H100 ~$2.4/h mid-2025";
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
            unit "USD/H100e", range [100, 1e7], source "EVIDENCE.md §2.7f: $30-45k all-in";
        /// Weighted average cost of capital.
        wacc: f64 = 0.10;
            unit "1/yr", range [0, 1], source "EVIDENCE.md §2.7f: 10% WACC";
        /// Utilisation assumed in the break-even price.
        breakeven_utilisation: f64 = 0.75;
            unit "share", range [0.05, 1], source "EVIDENCE.md §2.7f: 60-90% utilisation";
        /// Share of its fleet a lessor keeps out of contracts for on-demand (spot) customers.
        on_demand_share: f64 = 0.15;
            unit "share", range [0, 1], source "EVIDENCE.md §1.1: 96% of CoreWeave revenue is take-or-pay; marketplaces keep on-demand capacity";
        /// Consecutive months of realised price below break-even after which a lessor exits.
        exit_months_below: u32 = 12;
            unit "months", range [1, 240], source "EVIDENCE.md §2.7f: exit after several quarters below p_BE";
        /// Committed share of its fleet above which a lessor orders more GPUs.
        expand_utilisation: f64 = 0.8;
            unit "share", range [0, 1], source "assumption";
        /// Monthly fleet growth a lessor orders when expanding.
        expand_rate_per_month: f64 = 0.04;
            unit "share/month", range [0, 1], source "EVIDENCE.md §1.4: neocloud revenue +684% YoY (Nebius)";
        /// Share of last month's unmet contract demand (bids at or above the ask that found no
        /// capacity) lessors order from the vendor, shared by fleet size (clouds build for
        /// tenants); 0 = lessors expand only at `expand_rate_per_month`.
        build_to_suit: f64 = 0.4646;
            unit "share", range [0, 5], source "calibration: scenarios/calibrations/history-smm.toml (SMM, 16 moments of data/targets.toml on the history scenario 2023-01..2026-03, 3 seeds; 2026-12-05), locally identified; ABC-SMC history-abc.toml agrees (posterior median 1.06, 90% [0.21, 1.85]); SMM 90% interval [0.28, 0.65]; mechanism EVIDENCE.md §1.3-1.4: hyperscalers and neoclouds build capacity for contracted tenants (Microsoft for OpenAI, Amazon and Google for Anthropic, CoreWeave's take-or-pay backlog)";
        /// Price per GPU in the fire sale of an exiting firm's fleet, as a share of the current
        /// list price (finance::exit_firms).
        fire_sale_fraction: f64 = 0.5;
            unit "share", range [0, 1], source "assumption: distressed asset sale";
    }
}
