//! Platform entry into app niches, strategic acquisitions and API cut-offs (ODD §7.14).
//!
//! **App niches.** The app market is split into verticals (`[[niches]]`: coding, customer
//! support, legal, …) with a demand share and a specificity `σ_k ∈ [0, 1]` (the
//! complementor-specific investment the niche needs: domain data, regulation, integrations).
//! A startup draws its niche at founding with probability proportional to the demand shares
//! ([`draw_niche`], its own [`Stream::NicheDraw`] stream) and competes only there: the month's
//! new app customers are split over niches by demand share and, within a niche, by attraction
//! (see [`startups::serve_app_customers`](super::startups::serve_app_customers)).
//!
//! **Entry.** Each month each alive frontier platform `p` enters each niche `k` it is not in
//! with probability (Zhu & Liu 2018, EVIDENCE.md §2.6)
//!
//! `P = logistic(γ0 + γ1 ln(Rev_k / (s · R_ref)) + γ2 (q̄_k − q_p) − γ3 σ_k)`,
//!
//! where `Rev_k` is the niche's app revenue last month (startups' and platform apps'), `s` the
//! run's `app_market_scale` (so the odds do not depend on the scale of the run), `q̄_k` the
//! customer-weighted mean quality of the niche's startups (the niche's "rating") and `q_p` the
//! platform's served model quality. Draws come from the platform's [`Stream::PlatformEntry`]
//! stream, one uniform per niche in niche order.
//!
//! **After entry** the platform's own app competes in the niche: its attraction is
//! `e^{θ_app (q_p + b_own − q_max)} (1 + K_pk / K_0)^α ε` like a startup's, times `e^{δ}` among
//! the platform's own users (default placement: the niche's inflow is split into segments —
//! each entrant's users, and everyone else — and within an entrant's segment its app carries
//! the bonus). Its customers pay `arpu` to the platform (through `Books::earn`). The niche's
//! API-based startups also lose an extra share `c` of their customers each month to each
//! entrant's app (default placement pulling them over):
//! `c = entry_churn · m_own^{1[base = entrant]} · m_wrap^{1[wrapper]}`. A *wrapper* is a startup
//! on a platform's API whose fine-tuning is small: replicating it today would take fewer than
//! `wrapper_tuning_gpu_months` GPU-months, `F / (flop_per_gpu_month · A_t) < G_w` (`F` its
//! cumulative fine-tuning FLOP, `A_t` the algorithmic efficiency); it adds little to the model
//! it resells. A startup on the entrant's
//! own API is hit hardest (the owner sells the same model to the same users); a startup on an
//! open model is immune to entry-by-owner (its base has no owner): no extra churn, only the
//! competition for new customers.
//!
//! The same exposure `x = m_own^{1[base = entrant]} · m_wrap^{1[wrapper]}` (0 on an open model)
//! shifts the startup's venture-round logit by `−κ · max x` (the "kill zone": investors shun
//! complements of a default-placed platform app; in
//! [`finance::raise_funding`](super::finance::raise_funding)).
//!
//! **Strategic acquisitions and API cut-offs.** Each month a healthy startup (cash ≥ 0, not
//! yet owned) is bought by a frontier lab with probability
//! `logistic(logit p₀ + w_t · traction + w_s ln(R / R_ref))` (traction as for venture rounds:
//! ln of 6-month revenue growth), the acquirer drawn in proportion to cash among frontier labs
//! holding `venture.acquirer_cash_multiple` × the price; the price,
//! `acquisition_revenue_multiple × 12 × R`, goes from the acquirer's books (`Books::spend`) to
//! the startup's shareholders (outside the model). The startup keeps operating, marked
//! [`OwnedBy`] (the owner does not fund it: it still lives on its own cash and rounds). This is distinct from the acqui-hires of
//! [`venture::acquihire_startups`](super::venture::acquihire_startups), which buy a startup in
//! distress for its team and take it off the market. If the bought startup runs on the API of
//! another platform A, A cuts its access with probability `cutoff_probability` (the Windsurf
//! case): the startup rebases onto its acquirer's API, loses `cutoff_customer_loss` of its
//! customers and `cutoff_finetune_loss` of its fine-tuning.
//!
//! **Exit attribution.** A startup whose cash runs out (cause *cash*, not incident) within
//! `attribution_months` after a platform entered its niche exits with cause
//! [`ExitCause::PlatformEntry`] (in [`finance::exit_firms`](super::finance::exit_firms)).
//!
//! **Self-preferencing ban** (`ban_from_month`): from that month no new entry, no default
//! placement (δ = 0, no extra churn, no kill-zone penalty; apps already in a niche compete on
//! the merits) and no cut-offs.
//!
//! Reads: [`Config`], [`Clock`], [`Lab`], [`Platform`], [`Startup`], [`AppNiche`], [`Books`],
//! [`Directory`]. Writes: [`Niches`], [`MonthFlows`] (entries, acquisitions, cut-offs),
//! acquirers' [`Books`], [`Startup`] (base, customers, fine-tuning) and [`OwnedBy`].
//!
//! Guardrails: one entry per platform and niche; an entry ends (customers lost) when its
//! platform leaves the market; an ownership mark is removed when the owner leaves; probabilities
//! are clamped away from 0 and 1 before taking logits.

pub mod params;

mod check;
mod hash;
pub mod report;
pub mod state;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: |w| {
        let niches = Niches::new(&crate::kernel::init::scenario(w));
        w.insert_resource(niches);
    },
    check: check::check,
    ..crate::mechanism::Mechanism::new("platform_entry")
};

use bevy_ecs::prelude::*;

use crate::math;
use crate::params::{FirmKind, Scenario};
use crate::rng::{self, Draws, Source, Stream};
use crate::state::*;

/// Trailing months of the exit-hazard window.
pub const HAZARD_MONTHS: usize = 12;

/// A platform's own app in a niche.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The entering platform (a frontier lab).
    pub platform: AgentId,
    /// Its slot.
    pub slot: Slot,
    /// Month of entry.
    pub month: u32,
    /// Customers of the platform's app in the niche.
    pub customers: f64,
    /// Month the entry ended (its platform left the market), if it did.
    pub ended: Option<u32>,
}

impl Entry {
    /// Is the platform's app in the niche?
    pub fn active(&self) -> bool {
        self.ended.is_none()
    }
}

/// One niche's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NicheState {
    /// App revenue in the niche in the last served month (startups and platform apps).
    pub revenue: f64,
    /// App customers in the niche (startups and platform apps), last served month.
    pub customers: f64,
    /// Customer-weighted mean quality of the niche's startups, last served month.
    pub quality: f64,
    /// Startups in the niche (tallied after the month's exits).
    pub startups: u32,
    /// Platform entries into the niche, in order of entry.
    pub entries: Vec<Entry>,
}

impl NicheState {
    /// Has `platform` ever entered?
    pub fn entered_by(&self, platform: AgentId) -> bool {
        self.entries.iter().any(|e| e.platform == platform)
    }

    /// Is some platform's app in the niche?
    pub fn has_active_entry(&self) -> bool {
        self.entries.iter().any(Entry::active)
    }

    /// Did a platform enter within `months` months up to `month`?
    pub fn entered_within(&self, month: u32, months: u32) -> bool {
        self.entries
            .iter()
            .any(|e| e.month <= month && month - e.month <= months)
    }
}

/// Startup-months at risk and exits of one class of startups, month by month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HazardWindow {
    /// (at risk, exits) of the last [`HAZARD_MONTHS`] months, most recent last.
    pub months: Vec<(u32, u32)>,
}

impl HazardWindow {
    /// Adds a month.
    pub fn push(&mut self, at_risk: u32, exits: u32) {
        self.months.push((at_risk, exits));
        if self.months.len() > HAZARD_MONTHS {
            self.months.remove(0);
        }
    }

    /// Annualised exit hazard over the window, `1 − (1 − exits / at risk)^12` (NaN without
    /// startups at risk).
    pub fn annualised(&self) -> f64 {
        let at_risk: u32 = self.months.iter().map(|m| m.0).sum();
        let exits: u32 = self.months.iter().map(|m| m.1).sum();
        if at_risk == 0 {
            return f64::NAN;
        }
        1.0 - math::pow(1.0 - f64::from(exits) / f64::from(at_risk), 12.0)
    }

    /// Startups at risk in the latest month.
    pub fn last_at_risk(&self) -> u32 {
        self.months.last().map_or(0, |m| m.0)
    }
}

/// The app niches and the exit-hazard windows of wrappers and other startups.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct Niches {
    pub niches: Vec<NicheState>,
    /// All wrappers, wrappers in a niche with a platform app ("exposed"), non-wrappers.
    pub wrappers: HazardWindow,
    pub exposed_wrappers: HazardWindow,
    pub nonwrappers: HazardWindow,
}

impl Niches {
    /// One empty state per niche of the scenario.
    pub fn new(sc: &Scenario) -> Self {
        Self {
            niches: vec![NicheState::default(); sc.app_niches().len()],
            ..Default::default()
        }
    }

    /// The state of niche `k` (None out of range).
    pub fn get(&self, k: u16) -> Option<&NicheState> {
        self.niches.get(k as usize)
    }
}

/// Is the ban on self-preferencing in force in `month`?
pub fn banned(sc: &Scenario, month: u32) -> bool {
    crate::kernel::lever::in_force(month, sc.platform_entry.ban_from_month)
}

/// GPU-months that would replicate a startup's fine-tuning today: `F / (flop_per_gpu_month · A_t)`.
pub fn tuning_gpu_months(sc: &Scenario, algo_efficiency: f64, s: &Startup) -> f64 {
    s.finetune_flop / (sc.research.flop_per_gpu_month * algo_efficiency.max(1e-12))
}

/// Is a startup a wrapper: on a platform's API, with fine-tuning that fewer than
/// `wrapper_tuning_gpu_months` GPU-months would replicate today (a small fine-tuning increment)?
pub fn is_wrapper(sc: &Scenario, algo_efficiency: f64, s: &Startup) -> bool {
    matches!(s.base, Base::Platform(_))
        && tuning_gpu_months(sc, algo_efficiency, s) < sc.platform_entry.wrapper_tuning_gpu_months
}

/// Draws a new startup's niche, in proportion to the niches' demand shares.
pub fn draw_niche(sc: &Scenario, id: AgentId, month: i32) -> AppNiche {
    let shares: Vec<f64> = sc.app_niches().iter().map(|n| n.demand_share).collect();
    let mut d = rng::stream(sc.run.seed, Stream::NicheDraw, id.0, month.max(0) as u32);
    AppNiche(rng::pick_weighted(&shares, d.uniform()).unwrap_or(0) as u16)
}

/// The monthly entry probability of a platform of quality `q_platform` into a niche with
/// last month's revenue `revenue`, mean app quality `q_apps` and specificity `spec`.
pub fn entry_probability(sc: &Scenario, revenue: f64, q_apps: f64, q_platform: f64, spec: f64) -> f64 {
    let pe = &sc.platform_entry;
    let scale = sc.startups.app_market_scale.max(1e-12);
    let rev = math::ln((revenue / scale).max(1.0) / pe.revenue_reference_usd);
    math::logistic(
        pe.gamma0 + pe.gamma_revenue * rev + pe.gamma_quality * (q_apps - q_platform) - pe.gamma_specificity * spec,
    )
}

/// A startup's exposure to the own app of an entrant on `slot`:
/// `m_own^{1[base = entrant]} · m_wrap^{1[wrapper]}` for a startup on a platform's API, 0 for
/// one on an open model (immune to entry-by-owner).
pub fn exposure(sc: &Scenario, algo_efficiency: f64, s: &Startup, entrant: Slot) -> f64 {
    let pe = &sc.platform_entry;
    match s.base {
        Base::Platform(b) => {
            let own = if b == entrant { pe.own_api_multiplier } else { 1.0 };
            let wrap = if is_wrapper(sc, algo_efficiency, s) {
                pe.wrapper_multiplier
            } else {
                1.0
            };
            own * wrap
        }
        // An open model has no owner.
        _ => 0.0,
    }
}

/// The extra monthly churn of a startup's customers to the app of an entrant on `slot`.
pub fn entry_churn(sc: &Scenario, algo_efficiency: f64, s: &Startup, entrant: Slot) -> f64 {
    (sc.platform_entry.entry_churn_per_month * exposure(sc, algo_efficiency, s, entrant)).min(1.0)
}

/// The kill-zone logit shift of a startup's venture-round probability in `month`:
/// `−κ · max_e exposure` over the platform apps default-placed in its niche (0 under the ban).
pub fn kill_zone_shift(
    sc: &Scenario,
    market: &Market,
    niches: &Niches,
    month: u32,
    s: &Startup,
    niche: Option<&AppNiche>,
) -> f64 {
    if banned(sc, month) {
        return 0.0;
    }
    let Some(n) = niches.get(niche.map_or(0, |n| n.0)) else {
        return 0.0;
    };
    let worst = n
        .entries
        .iter()
        .filter(|e| e.active())
        .map(|e| exposure(sc, market.algo_efficiency, s, e.slot))
        .fold(0.0, f64::max);
    -sc.platform_entry.kill_zone_round_penalty * worst
}

/// Run condition of [`enter_app_niches`]: no ban on platform entry is in force this month.
pub fn entry_allowed(cfg: Res<Config>, clock: Res<Clock>) -> bool {
    !banned(&cfg.0, clock.month)
}

/// Frontier platforms enter app niches they are not in.
pub fn enter_app_niches(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut niches: ResMut<Niches>,
    mut flows: ResMut<MonthFlows>,
    labs: Query<(&AgentId, &Firm, &Lab, &Platform)>,
) {
    let sc = &cfg.0;
    let specs = sc.app_niches();
    let mut platforms: Vec<(AgentId, Slot, f64)> = labs
        .iter()
        .filter(|(_, f, _, _)| f.kind == FirmKind::Frontier)
        .map(|(id, _, l, p)| (*id, p.slot, l.served_quality))
        .collect();
    platforms.sort_by_key(|p| p.0);
    for (id, slot, q) in platforms {
        let mut d = rng::stream(sc.run.seed, Stream::PlatformEntry, id.0, clock.month);
        for (k, spec) in specs.iter().enumerate() {
            let u = d.uniform();
            let n = &mut niches.niches[k];
            if n.entered_by(id) || n.revenue <= 0.0 {
                continue;
            }
            if u < entry_probability(sc, n.revenue, n.quality, q, spec.specificity) {
                n.entries.push(Entry {
                    platform: id,
                    slot,
                    month: clock.month,
                    customers: 0.0,
                    ended: None,
                });
                flows.platform_entries += 1;
            }
        }
    }
}

/// Traction as in venture rounds: ln of 6-month revenue growth, damped by a reference revenue.
fn traction(sc: &Scenario, b: &Books) -> f64 {
    let r0 = sc.startups.traction_reference_usd;
    math::ln((b.revenue_history[0] + r0) / (b.revenue_history[6] + r0)).clamp(-3.0, 3.0)
}

/// Frontier labs buy successful startups; a rival's purchase can cost the startup its API.
pub fn acquire_startups(
    mut commands: Commands,
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut flows: ResMut<MonthFlows>,
    mut firms: Query<(
        Entity,
        &AgentId,
        &Firm,
        &mut Books,
        Option<&Platform>,
        Option<&mut Startup>,
        Option<&OwnedBy>,
    )>,
) {
    let sc = &cfg.0;
    let pe = &sc.platform_entry;
    if pe.acquisition_probability <= 0.0 {
        return;
    }
    let mut buyers: Vec<(AgentId, Entity, Slot, f64)> = firms
        .iter()
        .filter(|(_, _, f, b, p, _, _)| f.kind == FirmKind::Frontier && p.is_some() && b.cash > 0.0)
        .map(|(e, id, _, b, p, _, _)| (*id, e, p.map_or(0, |p| p.slot), b.cash))
        .collect();
    buyers.sort_by_key(|b| b.0);
    let mut targets: Vec<(AgentId, Entity, f64, f64)> = firms
        .iter()
        .filter(|(_, _, _, b, _, s, owned)| s.is_some() && owned.is_none() && b.cash >= 0.0)
        .map(|(e, id, _, b, _, _, _)| (*id, e, b.revenue, traction(sc, b)))
        .collect();
    targets.sort_by_key(|t| t.0);
    let p0 = pe.acquisition_probability.clamp(1e-9, 1.0 - 1e-9);
    let ban = banned(sc, clock.month);
    for (id, entity, revenue, traction) in targets {
        if revenue <= 0.0 {
            continue;
        }
        let mut d = rng::stream(sc.run.seed, Stream::StrategicAcquisition, id.0, clock.month);
        let p = math::logistic(
            math::ln(p0 / (1.0 - p0))
                + pe.acquisition_traction_weight * traction
                + pe.acquisition_size_weight * math::ln(revenue / pe.acquisition_revenue_reference_usd),
        );
        if !d.bernoulli(p) {
            continue;
        }
        let price = pe.acquisition_revenue_multiple * 12.0 * revenue;
        let weights: Vec<f64> = buyers
            .iter()
            .map(|b| {
                if b.3 >= sc.venture.acquirer_cash_multiple * price {
                    b.3
                } else {
                    0.0
                }
            })
            .collect();
        let Some(k) = rng::pick_weighted(&weights, d.uniform()) else {
            continue;
        };
        let (buyer_id, buyer, buyer_slot) = (buyers[k].0, buyers[k].1, buyers[k].2);
        buyers[k].3 -= price;
        if let Ok((_, _, _, mut b, _, _, _)) = firms.get_mut(buyer) {
            b.spend(price);
        }
        commands.entity(entity).insert(OwnedBy(buyer_id));
        flows.strategic_acquisitions += 1;
        if ban {
            continue;
        }
        if let Ok((_, _, _, _, _, Some(mut s), _)) = firms.get_mut(entity)
            && let Base::Platform(a) = s.base
            && a != buyer_slot
        {
            let mut c = rng::stream(sc.run.seed, Stream::ApiCutoff, id.0, clock.month);
            if c.bernoulli(pe.cutoff_probability) {
                s.base = Base::Platform(buyer_slot);
                s.customers *= 1.0 - pe.cutoff_customer_loss;
                s.finetune_flop *= 1.0 - pe.cutoff_finetune_loss;
                flows.api_cutoffs += 1;
            }
        }
    }
}

/// After the month's exits: ends the entries of platforms that left, clears ownership marks of
/// owners that left, counts each niche's startups and tallies the exit-hazard windows.
#[allow(clippy::too_many_arguments)]
pub fn review_app_niches(
    mut commands: Commands,
    cfg: Res<Config>,
    clock: Res<Clock>,
    market: Res<Market>,
    dir: Res<Directory>,
    flows: Res<MonthFlows>,
    mut niches: ResMut<Niches>,
    startups: Query<(Entity, &AgentId, &Startup, Option<&AppNiche>, Option<&OwnedBy>)>,
) {
    let sc = &cfg.0;
    for n in &mut niches.niches {
        for e in n.entries.iter_mut().filter(|e| e.active()) {
            if !dir.entities.contains_key(&e.platform) {
                e.ended = Some(clock.month);
                e.customers = 0.0;
            }
        }
        n.startups = 0;
    }
    let mut rows: Vec<_> = startups.iter().collect();
    rows.sort_by_key(|r| *r.1);
    let (mut wrappers, mut exposed, mut others) = (0u32, 0u32, 0u32);
    for (e, _, s, niche, owner) in rows {
        if owner.is_some_and(|o| !dir.entities.contains_key(&o.0)) {
            commands.entity(e).remove::<OwnedBy>();
        }
        let k = niche.map_or(0, |n| n.0) as usize;
        let active = niches.niches.get(k).is_some_and(NicheState::has_active_entry);
        if let Some(n) = niches.niches.get_mut(k) {
            n.startups += 1;
        }
        if is_wrapper(sc, market.algo_efficiency, s) {
            wrappers += 1;
            exposed += u32::from(active);
        } else {
            others += 1;
        }
    }
    niches
        .wrappers
        .push(wrappers + flows.wrapper_exits, flows.wrapper_exits);
    niches
        .exposed_wrappers
        .push(exposed + flows.exposed_wrapper_exits, flows.exposed_wrapper_exits);
    niches
        .nonwrappers
        .push(others + flows.nonwrapper_exits, flows.nonwrapper_exits);
}

/// Counts an exiting startup in the month's exits by class (called by `finance::exit_firms`).
pub fn count_exit(
    sc: &Scenario,
    market: &Market,
    niches: &Niches,
    flows: &mut MonthFlows,
    s: &Startup,
    niche: Option<&AppNiche>,
) {
    if is_wrapper(sc, market.algo_efficiency, s) {
        flows.wrapper_exits += 1;
        let k = niche.map_or(0, |n| n.0);
        if niches.get(k).is_some_and(NicheState::has_active_entry) {
            flows.exposed_wrapper_exits += 1;
        }
    } else {
        flows.nonwrapper_exits += 1;
    }
}

/// The monthly random draws of one platform app's acquisition noise.
pub fn app_stream(sc: &Scenario, platform: AgentId, niche: usize, month: u32) -> Draws {
    rng::stream(
        sc.run.seed,
        Stream::PlatformApp,
        (platform.0 << 8) | niche as u64,
        month,
    )
}

#[cfg(test)]
mod tests;
