//! Metrics recorded every month (docs/METRICS.md), read-only: recording never draws random
//! numbers and never changes state.
//!
//! Each metric is declared once with its unit and meaning; the same table names the CSV columns
//! and documents them (`goldrush metrics`, README).

pub mod reporters;

use serde::Serialize;

/// Documentation of one metric column.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct MetricSpec {
    pub name: &'static str,
    pub unit: &'static str,
    pub doc: &'static str,
}

macro_rules! metrics {
    ($( $field:ident : $unit:literal, $doc:literal; )*) => {
        /// One month of metrics.
        #[derive(Debug, Clone, Default, PartialEq, Serialize)]
        pub struct Metrics {
            $( #[doc = $doc] pub $field: f64, )*
        }

        /// Every metric, in column order.
        pub const METRICS: &[MetricSpec] = &[ $( MetricSpec { name: stringify!($field), unit: $unit, doc: $doc }, )* ];

        impl Metrics {
            /// Values in column order.
            pub fn values(&self) -> Vec<f64> {
                vec![ $( self.$field, )* ]
            }

            /// The value of a metric by name.
            pub fn get(&self, name: &str) -> Option<f64> {
                match name {
                    $( stringify!($field) => Some(self.$field), )*
                    _ => None,
                }
            }
        }
    };
}

metrics! {
    month: "month", "Month index (0 = the first simulated month).";
    users_hhi: "0-10000", "Herfindahl-Hirschman index of platform user shares (people: consumers + enterprise seats).";
    users_cr1: "share", "Leader's share of platform users (CR1).";
    users_cr3: "share", "Top-3 share of platform users.";
    users_cr5: "share", "Top-5 share of platform users.";
    users_effective_platforms: "platforms", "Effective number of platforms, 10000 / HHI.";
    leader_user_share: "share", "User share of the platform that leads this month (= users_cr1).";
    adoption_rate: "share", "Share of potential users (internet users + seats) on some AI platform.";
    switching_rate: "share/month", "People who moved from one platform to another this month / people on platforms.";
    consumer_surplus_usd: "USD/month", "Consumers' surplus summed over consumers on a platform: per person the logit inclusive value of platform choice relative to no platform, in dollars at the paid-tier price coefficient, saturating at users.surplus_max_usd (see consumer_surplus_per_user_usd).";
    compute_hhi: "0-10000", "HHI of GPU ownership across firms (owners: lessors and the labs that buy; compute_used_hhi is use).";
    compute_cr1: "share", "Largest owner's share of GPUs.";
    compute_cr3: "share", "Top-3 owners' share of GPUs.";
    compute_cr5: "share", "Top-5 owners' share of GPUs (Epoch's chip-owner concept; compute_used_cr5 is use).";
    compute_gini: "0-1", "Gini coefficient of compute held per firm (owned + reserved - committed + spot net).";
    spot_price_usd: "USD/GPU-h", "Spot clearing price.";
    contract_price_usd: "USD/GPU-h", "Reserved-contract price index (clearing price, or the lowest posted ask).";
    spot_volume_gpus: "H100e", "GPUs traded on spot this month.";
    contract_volume_gpus: "H100e", "GPUs newly contracted this month.";
    rationing_large: "share", "Unmet share of compute requested by the five largest holders: vendor orders and spot demand at the clearing price.";
    rationing_small: "share", "Unmet share of compute requested by all other firms.";
    capacity_gpus: "H100e/month", "Vendor production capacity.";
    shipments_gpus: "H100e/month", "GPUs shipped by the vendor.";
    installed_gpus: "H100e", "GPUs owned by all firms.";
    vendor_revenue_usd: "USD/month", "Vendor revenue from shipments.";
    startups_alive: "firms", "Startups alive at the end of the month.";
    startups_entered: "firms/month", "Startups that entered this month.";
    startups_exited: "firms/month", "Startups that exited this month.";
    neoclouds_alive: "firms", "GPU lessors alive at the end of the month.";
    exits_cash: "firms/month", "Firms of any kind that exited for lack of cash (other than incident and platform-entry exits).";
    exits_break_even: "firms/month", "Lessors that exited after sustained prices below break-even.";
    frontier_quality: "points", "Best frontier model quality.";
    open_quality: "points", "Best open-weights release quality.";
    platform_revenue_usd: "USD/month", "Revenue of frontier and open-weights firms.";
    startup_revenue_usd: "USD/month", "Revenue of startups.";
    substitute_shipments_gpus: "H100e/month", "Substitute (domestic) chips shipped to export-controlled (tier-3) buyers.";
    export_blocked_gpus: "H100e/month", "Chip orders that export controls kept from being filled.";
    compute_share_tier3: "share", "Share of all GPUs owned by firms based in tier-3 (embargoed) nations.";
    public_compute_gpus: "H100e", "GPUs owned by the public compute pool.";
    public_compute_lent_gpus: "H100e", "Public-pool GPUs lent to eligible firms this month.";
    public_compute_spending_usd: "USD/month", "Public spending on chips for the pool this month.";
    talent_top3_share: "share", "Share of employed researchers' talent (skill x people) at the three most talented firms.";
    talent_top_hub_share: "share", "Share of researchers' talent (employed and outside firms) located in the leading nation.";
    talent_gini_firms: "0-1", "Gini coefficient of researcher talent per employer (labs and startups alive).";
    talent_gini_nations: "0-1", "Gini coefficient of researcher talent per nation (where researchers work or live).";
    talent_frontier_share: "share", "Share of employed researchers' talent at frontier labs.";
    researcher_moves: "people/month", "Researchers who changed employer this month (leaving or joining firms counts).";
    researchers_employed: "people", "Researchers employed by firms.";
    mean_researcher_wage_usd: "USD/person-month", "Mean wage of employed researchers.";
    talent_net_flow_frontier: "people/month", "Researchers moving into frontier labs minus those moving out (acqui-hires and departures included).";
    researchers_acquihired: "people/month", "Researchers of failed firms acqui-hired by a lab this month.";
    researcher_attrition: "share/month", "Employed researchers who left their employer this month (for another firm, the outside option or the market) / researchers employed.";
    // Researcher pipeline (issue 12, talent): the pool as a stock with inflow and outflow.
    researcher_pool: "people", "Researchers in the market at the month's end (employed by firms or outside them: academia, between jobs).";
    researcher_inflow: "people/month", "New researchers who graduated into the market this month (all nations' researcher_graduates_per_year).";
    researcher_outflow: "people/month", "Researchers who left the market for good this month (leave_per_year: retirement, another field).";
    researcher_inflow_top_nation_share: "share", "Share of this month's graduates from the nation that graduates the most (NaN in a month without graduates).";
    sentiment: "index", "Market sentiment index S (1 = neutral): momentum of sector revenue growth; drives venture rounds and startup entry.";
    venture_funding_usd: "USD/month", "Venture rounds raised by startups this month (seed rounds of entrants excluded).";
    exits_acqui_hire: "firms/month", "Startups in distress acqui-hired (bought for their team) this month.";
    frontier_gap_months: "months", "Months since the best frontier model was first as good as today's best open release (0 if open is ahead).";
    haves_revenue_share: "share", "Frontier labs' share of the AI product market's revenue this month (the haves): frontier + open-weights + startups; the GPU clouds' revenue is rent those firms pay and is left out (ODD §11.3).";
    haves_compute_share: "share", "Frontier labs' share of all compute held (owned + reserved - committed).";
    haves_profit_usd: "USD/month", "Frontier labs' revenue minus costs this month (costs include chip purchases: a cash-flow measure, negative while the haves build out).";
    have_nots_profit_usd: "USD/month", "Every other firm's revenue minus costs this month (the same cash-flow measure).";
    startup_exits_incident: "firms/month", "Startups that exited because the month's incident losses and fines drove their cash negative.";
    startup_exits_cash: "firms/month", "Startups that exited for lack of cash this month (no round, no acquirer), other than exits attributed to platform entry.";
    survival_12m: "share", "Share of the startups founded during the run at least 12 months ago that were still alive at 12 months of age (NaN until a cohort is 12 months old).";
    survival_60m: "share", "Share of the startups founded during the run at least 60 months ago that were still alive at 60 months of age (NaN until a cohort is 60 months old).";
    startup_hazard_year1: "share/year", "Annualised exit hazard of startups in their first year of life, over the last 12 months: 1 - (1 - exits / startup-months at risk)^12.";
    incidents_small: "incidents/month", "Security incidents at small firms (annual revenue below security.large_revenue_usd).";
    incidents_large: "incidents/month", "Security incidents at large firms (annual revenue at or above security.large_revenue_usd).";
    incident_losses_small_usd: "USD/month", "Incident losses of small firms.";
    incident_losses_large_usd: "USD/month", "Incident losses of large firms.";
    compliance_cost_share_small: "share", "Compliance costs / revenue (last month's) of small firms in a regime in force (sandboxed ones included).";
    compliance_cost_share_large: "share", "Compliance costs / revenue (last month's) of large firms in a regime in force.";
    exits_incident: "firms/month", "Firms that exited because the month's incident losses and fines drove their cash negative (not counted in exits_cash).";
    fines_usd: "USD/month", "Fines paid on incidents in regulated nations.";
    incident_loss_share_small: "share", "Incident losses / revenue (last month's) of small firms.";
    incident_loss_share_large: "share", "Incident losses / revenue (last month's) of large firms.";
    hygiene_small: "share", "Mean hygiene (share of incidents prevented) bought by small firms.";
    hygiene_large: "share", "Mean hygiene bought by large firms.";
    deals_active: "nations", "Nations with a partnership (national deal) in force at the end of the month.";
    deals_signed: "deals/month", "National deals signed this month (renewals excluded).";
    deal_lockin_share: "share", "National lock-in: share of the consumers of nations that have or had a deal who use their latest partner (NaN before the first deal).";
    deal_lockin_counterfactual: "share", "The same partners' share among consumers of nations that never had a deal (and may use them), weighted like deal_lockin_share: the within-run counterfactual (NaN before the first deal).";
    deal_spending_usd: "USD/month", "Partners' spending on national deals this month: data-centre investment, renewal fees and subscription revenue not billed to citizens in free months.";
    deal_seeded_people: "people/month", "Citizens of deal nations who adopted a partner this month through seeded adoption (literacy course, government seeding).";
    deal_data_centre_gpus: "H100e", "GPUs installed in deal nations' data centres by partners' deal investment (owned by the partners, counted in installed_gpus; depreciating).";
    platform_entries: "entries/month", "Frontier platforms' entries into app niches this month.";
    niches_entered: "niches", "App niches with at least one platform's own app in them.";
    platform_app_share: "share", "Platforms' own apps' share of all app customers.";
    app_niche_hhi: "0-10000", "Customer-weighted mean over app niches of the within-niche HHI of app customers (startups and platforms' own apps).";
    exits_platform_entry: "firms/month", "Startups that exited for lack of cash within platform_entry.attribution_months after a platform entered their niche (not counted in exits_cash).";
    api_cutoffs: "startups/month", "Startups whose API access was cut by their base platform after a rival lab acquired them.";
    strategic_acquisitions: "startups/month", "Healthy startups bought by a frontier lab this month (they keep operating; acqui-hires are exits_acqui_hire).";
    wrapper_exit_hazard: "share/yr", "Annualised exit hazard of wrappers (startups on a platform's API whose cumulative fine-tuning would take fewer than platform_entry.wrapper_tuning_gpu_months GPU-months to replicate at today's algorithmic efficiency) over the last 12 months.";
    nonwrapper_exit_hazard: "share/yr", "Annualised exit hazard of the other startups (open-model based, or fine-tuned beyond the wrapper threshold) over the last 12 months.";
    exposed_wrapper_exit_hazard: "share/yr", "Annualised exit hazard over the last 12 months of wrappers in a niche where a platform's own app competes.";
    // Users: freemium and consumer surplus per user (ODD §7.11).
    consumer_surplus_per_user_usd: "USD/user/month", "Consumer surplus per consumer on an AI platform: consumer_surplus_usd / consumers on some platform; per person W (1 - exp(-x/W)), x = (inclusive value - u0) / (theta_P s g), W = users.surplus_max_usd.";
    paid_users: "people", "Consumers paying a platform's subscription: each converts from the free tier with probability logistic(paid_tier_value - theta_P s g P) (deal free months excluded).";
    paid_conversion: "share", "Paying consumers / consumers of the platforms that sell a paid tier (a positive consumer price; deal free months excluded): the freemium conversion rate, as ChatGPT's subscribers over its weekly users.";
    wrappers_at_risk: "firms", "Wrappers at risk of exit this month (alive after the month's exits, plus those that exited).";
    wrapper_exits: "firms/month", "Wrappers that exited this month (any cause).";
    exposed_wrappers_at_risk: "firms", "Wrappers in a niche with a platform's own app at risk of exit this month.";
    exposed_wrapper_exits: "firms/month", "Wrappers in a niche with a platform's own app that exited this month (any cause).";
    nonwrappers_at_risk: "firms", "Non-wrapper startups at risk of exit this month.";
    nonwrapper_exits: "firms/month", "Non-wrapper startups that exited this month (any cause).";
    open_downloads: "downloads/month", "Downloads of open-weights releases this month (open_source.downloads_per_adopted_person x people on AI platforms).";
    open_downloads_hhi: "0-10000", "HHI of this month's open-model downloads by maker.";
    open_top_release_share: "share", "The most downloaded release's share of this month's open-model downloads.";
    open_releases_published: "releases/month", "Open-weights releases published this month.";
    open_backdoors_live: "releases", "Releases carrying a backdoor nobody has discovered yet (the researcher's view of the hidden truth).";
    startups_open_share: "share", "Share of alive startups building on an open-weights release.";
    open_deployments: "deployments", "Production deployments of open releases (deployments_per_download x downloads; pulled when a backdoor is discovered).";
    open_exposed_deployments: "deployments", "Production deployments running a release with an undiscovered backdoor.";
    api_fee_usd: "USD/customer-month", "Mean API fee per app customer paid by startups on a platform's API (customer-weighted; the list fee when none), capped by the open tier.";
    open_tier_cost_usd: "USD/customer-month", "Extra monthly cost per app customer of self-hosting the best open release instead of calling an API: the floor of the API price cap.";
    consumer_price_usd: "USD/month", "Consumer-weighted mean paid-tier (subscription) price of the frontier platforms, which set it (ODD §7.19).";
    seat_price_usd: "USD/seat-month", "Seat-weighted mean enterprise seat price of the frontier platforms.";
    platform_markup: "share", "Consumer-weighted mean Lerner index (p - c) / p of the frontier platforms' paid tier, c the serving cost per paid consumer.";
    // --- issue 12 (compute): concentration of compute use, beside ownership (compute_hhi, _cr*) ---
    compute_used_hhi: "0-10000", "HHI of compute used this month across firms (owned, reserved or rented on spot; what a lab trains and serves on), beside compute_hhi of ownership.";
    compute_used_cr5: "share", "Top-5 users' share of compute used this month (labs renting from clouds count as users, the clouds as owners).";
    compute_used_frontier_share: "share", "Frontier labs' share of compute used this month (the model counterpart of Epoch's share of deployed compute used by the leading labs).";
    exit_fleet_sold_gpus: "H100e/month", "GPUs of exiting firms bought by other firms in the fire sale this month (labs for their unmet need, lessors for the leased part and their expansion).";
    exit_fleet_scrapped_gpus: "H100e/month", "GPUs of exiting firms nobody bid for this month (retired).";
}
