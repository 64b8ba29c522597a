//! The facade: build a world from a scenario, step it, read metrics and the state hash.
//! Front ends use only this (and the parameter and metric types); they never touch ECS types.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, SingleThreadedExecutor};

use crate::hash::StateHasher;
use crate::mechanisms::deals::{self, Partnerships};
use crate::mechanisms::platform_entry::{self, Niches};
use crate::mechanisms::public_compute::{self, PublicPool};
use crate::mechanisms::record::MetricsLog;
use crate::mechanisms::talent::{self, Researchers, Roster};
use crate::mechanisms::users::{self, SwitchCostTable, Users};
use crate::mechanisms::venture::{self, Cohorts, Sentiment};
use crate::mechanisms::{
    allocation, clock, contracts, finance, open_source, record, regulation, research, security, spot, startups, supply,
};
use crate::metrics::Metrics;
use crate::params::{FirmKind, FirmSpec, ParamError, Scenario};
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// Errors building a simulation.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The scenario failed validation; every problem is listed.
    #[error("invalid scenario:\n{}", .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<ParamError>),
    /// The schedule could not be built (a bug: systems with ambiguous order).
    #[error("schedule error: {0}")]
    Schedule(String),
}

/// The phases of a month, run in this order (MODEL.md's pipeline).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// 1. Shocks and policy clock.
    Clock,
    /// 2. Chip supply.
    Supply,
    /// 3. Needs, orders, vendor allocation.
    Allocation,
    /// 4. Contract market.
    Contracts,
    /// 5. Spot market.
    Spot,
    /// 6. Research.
    Research,
    /// 7. Talent market.
    Talent,
    /// 9. Nation-state partnerships (before user choice, so this month's choices see the deals).
    Deals,
    /// 8. User choice.
    Users,
    /// 11. Security incidents.
    Security,
    /// 12. Regulation and compliance.
    Regulation,
    /// 13. Finance, entry and exit.
    Finance,
    /// 14. Record.
    Record,
}

/// Builds the monthly schedule: every system totally ordered, ambiguity an error.
pub fn build_schedule() -> Schedule {
    let mut s = Schedule::default();
    s.set_executor(SingleThreadedExecutor::new());
    s.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    });
    s.configure_sets(
        (
            Phase::Clock,
            Phase::Supply,
            Phase::Allocation,
            Phase::Contracts,
            Phase::Spot,
            Phase::Research,
            Phase::Talent,
            Phase::Deals,
            Phase::Users,
            Phase::Security,
            Phase::Regulation,
            Phase::Finance,
            Phase::Record,
        )
            .chain(),
    );
    s.add_systems(clock::open_month.in_set(Phase::Clock));
    s.add_systems(
        (supply::produce_chips, supply::depreciate_fleets)
            .chain()
            .in_set(Phase::Supply),
    );
    s.add_systems(
        (
            allocation::plan_compute_needs,
            allocation::place_orders,
            public_compute::buy_public_compute,
            allocation::allocate_chips,
        )
            .chain()
            .in_set(Phase::Allocation),
    );
    s.add_systems(
        (contracts::settle_contracts, contracts::sign_contracts)
            .chain()
            .in_set(Phase::Contracts),
    );
    s.add_systems(
        (
            public_compute::lend_public_compute,
            spot::clear_spot_market,
            spot::review_lessors,
        )
            .chain()
            .in_set(Phase::Spot),
    );
    s.add_systems(
        (
            research::train_models,
            open_source::publish_open_releases,
            open_source::discover_backdoors,
            open_source::share_downloads,
            open_source::rebase_open_startups,
            open_source::price_apis_against_open_tier,
            research::tune_startup_products,
        )
            .chain()
            .in_set(Phase::Research),
    );
    s.add_systems(
        (
            talent::post_wages,
            talent::rehome_researchers,
            talent::reconsider_employers,
            talent::tally_researchers,
            talent::pay_researchers,
            talent::set_lab_talent,
        )
            .chain()
            .in_set(Phase::Talent),
    );
    s.add_systems(
        (deals::review_deals, deals::tender_deals, deals::seed_adoption)
            .chain()
            .in_set(Phase::Deals),
    );
    s.add_systems(
        (
            users::refresh_platform_table,
            users::reconsider_platforms,
            users::count_platform_users,
        )
            .chain()
            .in_set(Phase::Users),
    );
    s.add_systems(
        (security::draw_incidents, security::shed_platform_users)
            .chain()
            .in_set(Phase::Security),
    );
    s.add_systems(
        (regulation::pay_compliance, regulation::levy_fines)
            .chain()
            .in_set(Phase::Regulation),
    );
    s.add_systems(
        (
            finance::bill_platform_users,
            platform_entry::enter_app_niches,
            startups::serve_app_customers,
            finance::pay_operating_costs,
            venture::update_sentiment,
            finance::raise_funding,
            platform_entry::acquire_startups,
            venture::acquihire_startups,
            finance::exit_firms,
            deals::end_deals_of_dead_partners,
            platform_entry::review_app_niches,
            contracts::retally_contracts,
            startups::enter_startups,
            finance::close_books,
        )
            .chain()
            .in_set(Phase::Finance),
    );
    s.add_systems(record::record_metrics.in_set(Phase::Record));
    s
}

/// A running simulation.
pub struct Sim {
    world: World,
    schedule: Schedule,
    scenario: Arc<Scenario>,
}

/// One platform's standing, for summaries.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlatformStanding {
    pub name: String,
    /// The firm behind it (its `id` in the firm panel), if it is a firm.
    pub id: Option<u64>,
    pub kind: String,
    pub alive: bool,
    pub quality: f64,
    pub users: f64,
    pub share: f64,
}

impl Sim {
    /// Validates the scenario and builds month 0.
    pub fn new(scenario: Scenario) -> Result<Self, SimError> {
        scenario.validate().map_err(SimError::Invalid)?;
        let scenario = Arc::new(scenario);
        let mut world = World::new();
        populate(&mut world, &scenario);
        let mut schedule = build_schedule();
        schedule
            .initialize(&mut world)
            .map_err(|e| SimError::Schedule(e.to_string(schedule.graph(), &world)))?;
        Ok(Self {
            world,
            schedule,
            scenario,
        })
    }

    /// Simulates one month.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
        self.world.resource_mut::<Clock>().month += 1;
    }

    /// Simulates `months` months.
    pub fn run(&mut self, months: u32) {
        for _ in 0..months {
            self.step();
        }
    }

    /// Months simulated so far.
    pub fn month(&self) -> u32 {
        self.world.resource::<Clock>().month
    }

    /// Months the scenario asks for.
    pub fn horizon(&self) -> u32 {
        self.scenario.run.months
    }

    /// The validated scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Metrics of every month simulated so far.
    pub fn metrics(&self) -> &[Metrics] {
        &self.world.resource::<MetricsLog>().0
    }

    /// Number of user agents.
    pub fn user_agents(&self) -> u64 {
        self.world.resource::<Users>().len() as u64
    }

    /// Platforms with their current users and quality, in slot order.
    pub fn platforms(&self) -> Vec<PlatformStanding> {
        let table = self.world.resource::<PlatformTable>();
        let people = self.world.resource::<Users>().people_by_option();
        let adopted: f64 = people[..people.len() - 1].iter().sum();
        table
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| PlatformStanding {
                name: s.name.clone(),
                id: s.id.map(|a| a.0),
                kind: s.kind.map_or("", |k| k.as_str()).to_string(),
                alive: s.alive,
                quality: s.quality,
                users: people[i],
                share: if adopted > 0.0 { people[i] / adopted } else { 0.0 },
            })
            .collect()
    }

    /// The firm panel of the last simulated month, in id order: one row per firm alive at the
    /// end of the month, plus one row (`alive = false`, state just before it left) per firm
    /// that exited during the month.
    pub fn panel(&mut self) -> Vec<PanelRow> {
        let month = self.month().saturating_sub(1);
        let mut q = self.world.query::<(
            &AgentId,
            &Firm,
            &Books,
            &Fleet,
            Option<&Lab>,
            Option<&Platform>,
            Option<&Startup>,
            Option<&Staff>,
        )>();
        let mut rows: Vec<PanelRow> = q
            .iter(&self.world)
            .map(|(id, f, b, fl, lab, p, st, staff)| PanelRow::of(month, *id, f, b, fl, lab, p, st, staff, None))
            .collect();
        if self.month() > 0 {
            rows.extend(self.world.resource::<MonthFlows>().exited_rows.iter().cloned());
        }
        rows.sort_by_key(|r| r.id);
        rows
    }

    /// The market sentiment index (1 = neutral).
    pub fn sentiment(&self) -> f64 {
        self.world.resource::<Sentiment>().level
    }

    /// Ages (months) of the startups that exited in the last simulated month.
    pub fn startup_exit_ages(&self) -> Vec<u32> {
        self.world.resource::<MonthFlows>().startup_exit_ages.clone()
    }

    /// A stable 64-bit digest of the whole state.
    pub fn state_hash(&mut self) -> u64 {
        let mut h = StateHasher::new();
        let w = &mut self.world;
        h.u64(u64::from(w.resource::<Clock>().month));
        let m = w.resource::<Market>().clone();
        for x in [
            m.capacity,
            m.shock_factor,
            m.list_price,
            m.orders,
            m.shipments,
            m.depreciation,
            m.vendor_revenue,
            m.spot_price,
            m.spot_volume,
            m.spot_expected,
            m.contract_price,
            m.contract_volume,
            m.break_even,
            m.algo_efficiency,
            m.buyer_share_cap,
            m.cost_index,
            m.substitute_capacity,
            m.substitute_shipments,
            m.export_blocked,
        ] {
            h.f64(x);
        }
        let pool = w.resource::<PublicPool>().clone();
        for x in [pool.gpus, pool.bought, pool.lent, pool.spending] {
            h.f64(x);
        }
        for nd in &w.resource::<Partnerships>().nations {
            h.u64(u64::from(nd.next_tender));
            h.u64(nd.ended.map_or(u64::MAX, u64::from));
            h.u64(nd.latest.len() as u64);
            for &p in &nd.latest {
                h.u64(u64::from(p));
            }
            h.u64(nd.history.len() as u64);
            for (m, ps) in &nd.history {
                h.u64(u64::from(*m));
                for &p in ps {
                    h.u64(u64::from(p));
                }
            }
            match &nd.current {
                Some(d) => {
                    h.u64(d.partners.len() as u64);
                    for &p in &d.partners {
                        h.u64(u64::from(p));
                    }
                    for x in [d.start, d.signed, d.months_left, d.free_until, d.renewals] {
                        h.u64(u64::from(x));
                    }
                    h.u64(u64::from(d.exclusive));
                }
                None => h.u64(u64::MAX),
            }
        }
        h.u64(w.resource::<Directory>().next_id);
        let book = w.resource::<ContractBook>();
        h.u64(book.next_id);
        for c in &book.contracts {
            h.u64(c.id);
            h.u64(c.buyer.0);
            h.u64(c.seller.0);
            h.f64(c.gpus);
            h.f64(c.price);
            h.u64(u64::from(c.start));
            h.u64(u64::from(c.end));
        }
        let open = w.resource::<OpenReleases>();
        h.u64(u64::from(open.published));
        h.u64(u64::from(open.published_month));
        for x in [open.month_downloads, open.total_downloads, open.total_before] {
            h.f64(x);
        }
        for (id, r) in &open.releases {
            h.u64(id.0);
            h.u64(r.maker.0);
            h.u64(u64::from(r.month));
            h.u64(
                (r.licence as u64)
                    | (u64::from(r.backdoored) << 1)
                    | (u64::from(r.audited) << 2)
                    | (r.discovered.map_or(0, |m| u64::from(m) + 1) << 3),
            );
            for x in [
                r.quality,
                r.downloads,
                r.monthly_downloads,
                r.derivatives,
                r.deployments,
            ] {
                h.f64(x);
            }
        }
        let risk = w.resource::<RiskLedger>();
        for (id, r) in &risk.firms {
            h.u64(id.0);
            h.u64(u64::from(r.large) | (u64::from(r.regulated) << 1) | (u64::from(r.incidents) << 2));
            for x in [r.revenue, r.hygiene, r.hygiene_cost, r.loss, r.fines, r.compliance] {
                h.f64(x);
            }
        }
        for (gone, buyer) in &w.resource::<TeamTransfers>().0 {
            h.u64(gone.0);
            h.u64(buyer.0);
        }
        for x in &w.resource::<FrontierHistory>().best {
            h.f64(*x);
        }
        let sentiment = w.resource::<Sentiment>();
        for x in [
            sentiment.level,
            sentiment.momentum,
            sentiment.trend,
            sentiment.sector_revenue,
        ] {
            h.f64(x);
        }
        h.u64(u64::from(sentiment.observed));
        for (id, c) in &w.resource::<Cohorts>().0 {
            h.u64(id.0);
            h.u64(c.founded as i64 as u64);
            match c.exit {
                Some((m, cause)) => {
                    h.u64(u64::from(m));
                    h.u64(cause.index() as u64);
                }
                None => h.u64(u64::MAX),
            }
        }
        let niches = w.resource::<Niches>();
        for n in &niches.niches {
            for x in [n.revenue, n.customers, n.quality] {
                h.f64(x);
            }
            h.u64(u64::from(n.startups));
            for e in &n.entries {
                h.u64(e.platform.0);
                h.u64(u64::from(e.slot) | (u64::from(e.month) << 8));
                h.f64(e.customers);
                h.u64(e.ended.map_or(u64::MAX, u64::from));
            }
        }
        for window in [&niches.wrappers, &niches.exposed_wrappers, &niches.nonwrappers] {
            for (at_risk, exits) in &window.months {
                h.u64(u64::from(*at_risk) | (u64::from(*exits) << 32));
            }
        }
        for s in &w.resource::<PlatformTable>().slots {
            h.u64(u64::from(s.alive));
            h.f64(s.quality);
            h.f64(s.people);
            h.f64(s.api_fee);
        }
        let users = w.resource::<Users>();
        for (i, &p) in users.platform.iter().enumerate() {
            h.u64(u64::from(p) | (u64::from(users.class[i]) << 8) | ((users.joined[i] as u32 as u64) << 16));
        }
        for e in &users.extra {
            h.u64(u64::from(e[0]) | (u64::from(e[1]) << 8));
        }
        for c in &users.counts {
            h.f64(*c);
        }
        let r = w.resource::<Researchers>();
        h.f64(r.weight);
        h.f64(r.superstar_skill);
        h.u64(r.left);
        for i in 0..r.len() {
            h.f64(r.skill[i]);
            h.f64(r.wage[i]);
            h.u64(r.employer[i].0);
            h.u64(
                u64::from(r.origin[i])
                    | (u64::from(r.hub[i]) << 16)
                    | ((r.status[i] as u64) << 32)
                    | ((r.joined[i] as u32 as u64) << 40),
            );
        }
        let roster = w.resource::<Roster>();
        for (id, r) in &roster.reference {
            h.u64(id.0);
            h.f64(r.talent);
            h.f64(r.productivity);
            h.f64(r.budget_share);
        }
        let mut q = w.query::<(
            &AgentId,
            Option<&Firm>,
            Option<&Books>,
            Option<&Fleet>,
            Option<&Lab>,
            Option<&Platform>,
            Option<&Lessor>,
            Option<&Startup>,
            Option<&Nation>,
            Option<&AppNiche>,
            Option<&OwnedBy>,
        )>();
        let mut rows: Vec<_> = q.iter(w).collect();
        rows.sort_by_key(|r| *r.0);
        for (id, firm, books, fleet, lab, platform, lessor, startup, nation, niche, owner) in rows {
            h.u64(id.0);
            if let Some(f) = firm {
                h.u64(f.kind.code());
                h.u64(u64::from(f.nation));
                h.u64(f.founded as i64 as u64);
            }
            if let Some(b) = books {
                for x in [
                    b.cash,
                    b.cash_start,
                    b.revenue,
                    b.costs,
                    b.funding,
                    b.last_burn,
                    b.parent_funding,
                ] {
                    h.f64(x);
                }
                for x in b.revenue_history {
                    h.f64(x);
                }
            }
            if let Some(f) = fleet {
                for x in [
                    f.owned,
                    f.reserved,
                    f.reserved_price,
                    f.committed,
                    f.need,
                    f.serving_need,
                    f.training_base,
                    f.ordered,
                    f.delivered,
                    f.spot_wanted,
                    f.spot_bought,
                    f.spot_sold,
                    f.used,
                    f.served_fraction,
                    f.training_used,
                    f.public,
                ] {
                    h.f64(x);
                }
                h.u64(u64::from(f.large));
            }
            if let Some(l) = lab {
                for x in [l.cumulative_flop, l.quality, l.talent, l.served_quality] {
                    h.f64(x);
                }
                h.u64(u64::from(l.open_lag));
            }
            if let Some(p) = platform {
                h.u64(u64::from(p.slot));
                for x in [p.consumer_price, p.enterprise_price, p.consumers, p.seats] {
                    h.f64(x);
                }
            }
            if let Some(l) = lessor {
                h.f64(l.break_even);
                h.f64(l.realised_price);
                h.u64(u64::from(l.months_below));
            }
            if let Some(s) = startup {
                match s.base {
                    Base::Platform(slot) => h.u64(u64::from(slot)),
                    Base::Open(r) => {
                        h.u64(1 << 16);
                        h.u64(r.0);
                    }
                }
                for x in [s.customers, s.team, s.finetune_flop, s.quality] {
                    h.f64(x);
                }
                h.u64(s.cohort as i64 as u64);
            }
            if let Some(n) = nation {
                h.u64(u64::from(n.index));
            }
            if let Some(n) = niche {
                h.u64(u64::from(n.0) | (1 << 20));
            }
            if let Some(o) = owner {
                h.u64(o.0.0);
            }
        }
        h.finish()
    }

    /// Checks the model's accounting identities; returns every violation found.
    ///
    /// * GPUs shipped ≤ vendor capacity and ≤ orders, and equal to the sum of deliveries;
    /// * users conserved: the counts per option equal a fresh recount and sum to the population;
    /// * every firm's `cash = cash_start + revenue − costs + funding`;
    /// * spot GPUs bought = spot GPUs sold; reserved GPUs = committed GPUs;
    /// * researchers conserved: employed + outside + left = agents, and only the employed have
    ///   an employer.
    /// * hygiene within [0, h_max]; hygiene, incident, fine and compliance costs finite and ≥ 0.
    /// * every startup's app niche exists; an owner of a startup is still in the market; a
    ///   niche's active entries belong to alive frontier platforms (an entry of a platform that
    ///   left is recorded as ended, with no customers); one entry per platform and niche.
    /// * open releases (see [`Sim::check_open_releases`]).
    pub fn check_invariants(&mut self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        let month = self.month();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
        let m = self.world.resource::<Market>().clone();
        if m.shipments > m.capacity * (1.0 + 1e-9) + 1e-6 {
            errs.push(format!(
                "month {month}: shipped {} GPUs above capacity {}",
                m.shipments, m.capacity
            ));
        }
        if m.shipments > m.orders * (1.0 + 1e-9) + 1e-6 {
            errs.push(format!(
                "month {month}: shipped {} GPUs above orders {}",
                m.shipments, m.orders
            ));
        }
        let users = self.world.resource::<Users>();
        let recount = users.recount();
        for (i, (a, b)) in users.counts.iter().zip(&recount).enumerate() {
            if !close(*a, *b) {
                errs.push(format!("month {month}: user count cell {i} is {a}, recount gives {b}"));
            }
        }
        let population: f64 = users.groups.iter().map(|g| g.weight * f64::from(g.end - g.start)).sum();
        let counted: f64 = users.counts.iter().sum();
        if !close(population, counted) {
            errs.push(format!(
                "month {month}: users not conserved: {counted} counted, {population} exist"
            ));
        }
        let r = self.world.resource::<Researchers>();
        let [employed, outside, left] = r.status_counts();
        if employed + outside + left != r.len() as u64 || left != r.left {
            errs.push(format!(
                "month {month}: researchers not conserved: {employed} employed + {outside} outside + {left} left \
                 of {} agents ({} recorded as left)",
                r.len(),
                r.left
            ));
        }
        for i in 0..r.len() {
            let ok = match r.status[i] {
                talent::Status::Employed => r.employer[i] != talent::NO_EMPLOYER,
                _ => r.employer[i] == talent::NO_EMPLOYER,
            };
            if !ok {
                errs.push(format!(
                    "month {month}: researcher {} has status {:?} and employer {}",
                    talent::RESEARCHER_ID_BASE + i as u64,
                    r.status[i],
                    r.employer[i].0
                ));
                break;
            }
        }
        let mut q = self.world.query::<(&AgentId, &Books, &Fleet)>();
        let mut rows: Vec<_> = q.iter(&self.world).collect();
        rows.sort_by_key(|r| *r.0);
        let flows = self.world.resource::<MonthFlows>().clone();
        let (bought, sold) = (flows.spot_bought, flows.spot_sold);
        let (mut reserved, mut committed) = (0.0, 0.0);
        let delivered = flows.delivered;
        for (id, b, f) in rows {
            let expect = b.cash_start + b.revenue - b.costs + b.funding;
            if !close(b.cash, expect) {
                errs.push(format!(
                    "month {month}: firm {} cash {} != start {} + revenue {} - costs {} + funding {}",
                    id.0, b.cash, b.cash_start, b.revenue, b.costs, b.funding
                ));
            }
            if f.owned < -1e-9 || !f.owned.is_finite() {
                errs.push(format!("month {month}: firm {} owns {} GPUs", id.0, f.owned));
            }
            reserved += f.reserved;
            committed += f.committed;
        }
        if !close(bought, sold) {
            errs.push(format!("month {month}: spot bought {bought} != sold {sold}"));
        }
        if !close(reserved, committed) {
            errs.push(format!("month {month}: reserved {reserved} != committed {committed}"));
        }
        if !close(delivered, m.shipments + m.substitute_shipments) {
            errs.push(format!(
                "month {month}: deliveries {delivered} != shipments {} + substitute shipments {}",
                m.shipments, m.substitute_shipments
            ));
        }
        errs.extend(self.check_open_releases(month));
        let h_max = self.scenario.security.hygiene_max;
        for (id, r) in &self.world.resource::<RiskLedger>().firms {
            let costs = [r.hygiene_cost, r.loss, r.fines, r.compliance];
            if !(0.0..=h_max).contains(&r.hygiene) || costs.iter().any(|x| !x.is_finite() || *x < 0.0) {
                errs.push(format!(
                    "month {month}: firm {} has hygiene {} (max {h_max}) or a negative or non-finite cost {costs:?}",
                    id.0, r.hygiene
                ));
            }
        }
        self.check_deals(&mut errs);
        let niches = self.world.resource::<Niches>().clone();
        let count = self.scenario.app_niches().len();
        let mut q = self
            .world
            .query::<(&AgentId, Option<&AppNiche>, Option<&OwnedBy>, &Startup)>();
        for (id, niche, owner, _) in q.iter(&self.world) {
            if niche.is_none_or(|n| n.0 as usize >= count) {
                errs.push(format!(
                    "month {month}: startup {} has niche {:?}, not one of the {count} niches",
                    id.0,
                    niche.map(|n| n.0)
                ));
            }
            if owner.is_some_and(|o| !self.world.resource::<Directory>().entities.contains_key(&o.0)) {
                errs.push(format!("month {month}: startup {} is owned by a firm that left", id.0));
            }
        }
        let mut labs = self.world.query::<(&AgentId, &Firm, &Platform)>();
        let frontier: Vec<(AgentId, Slot)> = labs
            .iter(&self.world)
            .filter(|(_, f, _)| f.kind == FirmKind::Frontier)
            .map(|(id, _, p)| (*id, p.slot))
            .collect();
        for (k, n) in niches.niches.iter().enumerate() {
            for e in &n.entries {
                let alive = frontier.contains(&(e.platform, e.slot));
                if e.active() && !alive {
                    errs.push(format!(
                        "month {month}: niche {k} has an active entry of {}, not an alive frontier platform",
                        e.platform.0
                    ));
                }
                if !e.customers.is_finite() || e.customers < 0.0 || (!e.active() && e.customers != 0.0) {
                    errs.push(format!(
                        "month {month}: niche {k}: entry of {} has {} customers",
                        e.platform.0, e.customers
                    ));
                }
            }
            if n.entries
                .iter()
                .filter(|e| n.entries.iter().filter(|f| f.platform == e.platform).count() > 1)
                .count()
                > 0
            {
                errs.push(format!("month {month}: niche {k} was entered twice by one platform"));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// Partnerships are consistent with the nations and the platforms: partners alive frontier
    /// labs the nation may use, months left within the term, exclusive deals with one partner,
    /// multi-vendor ones with at most `max_partners`, and no deal signed or renewed under a ban.
    fn check_deals(&self, errs: &mut Vec<String>) {
        let month = self.month();
        let sc = &self.scenario;
        let d = &sc.deals;
        let table = self.world.resource::<PlatformTable>();
        let deals = self.world.resource::<Partnerships>();
        if deals.nations.len() != sc.nations.len() {
            errs.push(format!(
                "month {month}: partnerships of {} nations, {} exist",
                deals.nations.len(),
                sc.nations.len()
            ));
        }
        let banned_since = (d.rule == crate::params::DealRule::Banned).then_some(d.from_month);
        for (n, nd) in deals.nations.iter().enumerate().take(sc.nations.len()) {
            let spec = &sc.nations[n];
            if let Some(since) = banned_since
                && nd.history.iter().any(|(m, _)| *m >= since)
            {
                errs.push(format!(
                    "month {month}: {} signed a deal after the ban of month {since}",
                    spec.name
                ));
            }
            let Some(deal) = &nd.current else {
                continue;
            };
            if let Some(since) = banned_since
                && deal.signed >= since
            {
                errs.push(format!(
                    "month {month}: {} renewed a deal after the ban of month {since}",
                    spec.name
                ));
            }
            let size_ok = if deal.exclusive {
                deal.partners.len() == 1
            } else {
                !deal.partners.is_empty() && deal.partners.len() <= d.max_partners as usize
            };
            if !size_ok || deal.months_left == 0 || deal.months_left > d.term_months || deal.signed < deal.start {
                errs.push(format!(
                    "month {month}: {}'s deal has partners {:?} (exclusive {}), {} months left of {}, signed {} \
                     after start {}",
                    spec.name, deal.partners, deal.exclusive, deal.months_left, d.term_months, deal.signed, deal.start
                ));
            }
            for &p in &deal.partners {
                let slot = table.slots.get(p as usize);
                let ok = slot.is_some_and(|s| {
                    s.alive && s.kind == Some(FirmKind::Frontier) && (spec.foreign_platforms || s.nation as usize == n)
                });
                if !ok {
                    errs.push(format!(
                        "month {month}: {}'s partner slot {p} is not an alive frontier lab its citizens may use",
                        spec.name
                    ));
                }
            }
        }
    }

    /// Every national deal signed so far (renewals excluded), in nation then month order.
    pub fn deal_history(&self) -> Vec<DealRecord> {
        let table = self.world.resource::<PlatformTable>();
        let deals = self.world.resource::<Partnerships>();
        let mut out = Vec::new();
        for (n, nd) in deals.nations.iter().enumerate() {
            for (m, partners) in &nd.history {
                out.push(DealRecord {
                    nation: self.scenario.nations[n].name.clone(),
                    month: *m,
                    partners: partners.iter().map(|&p| table.slots[p as usize].name.clone()).collect(),
                });
            }
        }
        out
    }

    /// Each platform's share of a nation's consumers (adopters or not), in slot order: (name,
    /// share). Empty if the nation is unknown or has no consumer agents.
    pub fn consumer_shares(&self, nation: &str) -> Vec<(String, f64)> {
        let Some(n) = self.scenario.nations.iter().position(|x| x.name == nation) else {
            return Vec::new();
        };
        let table = self.world.resource::<PlatformTable>();
        let users = self.world.resource::<Users>();
        let mut by = vec![0.0; users.options];
        for (g, grp) in users.groups.iter().enumerate() {
            if !grp.enterprise && grp.nation as usize == n {
                for (o, v) in by.iter_mut().enumerate() {
                    *v += users.counts[users.cell(g, o)];
                }
            }
        }
        let all: f64 = by.iter().sum();
        if all <= 0.0 {
            return Vec::new();
        }
        table
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), by[i] / all))
            .collect()
    }
}

/// One national deal as signed: the nation, its partners (platform names) and the month.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DealRecord {
    pub nation: String,
    pub partners: Vec<String>,
    pub month: u32,
}

impl Sim {
    /// The open ecosystem's invariants: every startup's open base is an existing release, not
    /// one pulled after a discovered backdoor (its startups migrated in the research phase);
    /// downloads never fall (cumulative = before + this month's, each release's cumulative ≥
    /// its monthly ≥ 0, the releases' cumulative downloads sum to the total); the release count
    /// matches the releases held, every id was allocated and no release is dated in the future.
    fn check_open_releases(&mut self, month: u32) -> Vec<String> {
        let mut errs = Vec::new();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
        let open = self.world.resource::<OpenReleases>().clone();
        let next_id = self.world.resource::<Directory>().next_id;
        let mut q = self.world.query::<(&AgentId, &Startup)>();
        let mut bases: Vec<(AgentId, Base)> = q.iter(&self.world).map(|(id, s)| (*id, s.base)).collect();
        bases.sort_by_key(|b| b.0);
        for (id, base) in bases {
            if let Base::Open(r) = base
                && !open.releases.get(&r).is_some_and(OpenRelease::usable)
            {
                errs.push(format!(
                    "month {month}: startup {} builds on release {}, unknown or pulled after a discovered backdoor",
                    id.0, r.0
                ));
            }
        }
        if open.total_downloads < open.total_before
            || !close(open.total_downloads - open.total_before, open.month_downloads)
        {
            errs.push(format!(
                "month {month}: cumulative downloads {} != {} before + {} this month",
                open.total_downloads, open.total_before, open.month_downloads
            ));
        }
        let sum: f64 = open.releases.values().map(|r| r.downloads).sum();
        if !close(sum, open.total_downloads) {
            errs.push(format!(
                "month {month}: releases' downloads sum to {sum}, total {}",
                open.total_downloads
            ));
        }
        for (id, r) in &open.releases {
            let sane = r.monthly_downloads >= 0.0
                && r.downloads >= r.monthly_downloads * (1.0 - 1e-12)
                && r.derivatives.is_finite()
                && r.deployments >= 0.0;
            if !sane || id.0 > next_id || r.month > month {
                errs.push(format!(
                    "month {month}: release {} has downloads {} (this month {}), derivatives {}, deployments {}, \
                     month {} (ids allocated up to {next_id})",
                    id.0, r.downloads, r.monthly_downloads, r.derivatives, r.deployments, r.month
                ));
            }
        }
        if open.published as usize != open.releases.len() {
            errs.push(format!(
                "month {month}: {} releases published but {} held",
                open.published,
                open.releases.len()
            ));
        }
        errs
    }
}

/// The lab and platform components of a frontier or open-weights firm at month 0.
pub(crate) fn lab_and_platform(sc: &Scenario, f: &FirmSpec, slot: Slot) -> (Lab, Platform) {
    let q = research::quality(&sc.research, f.cumulative_flop, f.talent);
    (
        Lab {
            cumulative_flop: f.cumulative_flop,
            quality: q,
            talent: f.talent,
            open_lag: f.open_lag_months,
            served_quality: q,
        },
        Platform {
            slot,
            consumer_price: f.consumer_price_usd,
            enterprise_price: f.enterprise_price_usd,
            consumers: 0.0,
            seats: 0.0,
        },
    )
}

/// What users see of a platform at month 0.
pub(crate) fn initial_slot(f: &FirmSpec, id: AgentId, nation: u16, quality: f64, sc_api_fee: f64) -> SlotInfo {
    SlotInfo {
        id: Some(id),
        alive: true,
        nation,
        quality,
        consumer_price: f.consumer_price_usd,
        enterprise_price: f.enterprise_price_usd,
        people: 0.0,
        api_fee: sc_api_fee,
        name: f.name.clone(),
        kind: Some(f.kind),
    }
}

/// Spawns nations, firms, users and initial startups, and sets every resource for month 0.
fn populate(world: &mut World, sc: &Arc<Scenario>) {
    let mut dir = Directory::default();
    let mut nations = Vec::new();
    for (i, n) in sc.nations.iter().enumerate() {
        let id = dir.allocate();
        let nation = Nation::from_spec(i as u16, n);
        nations.push(nation.clone());
        let e = world.spawn((id, nation)).id();
        dir.entities.insert(id, e);
    }
    let nation_index = |name: &str| sc.nations.iter().position(|n| n.name == name).unwrap_or(0) as u16;
    let mut table = PlatformTable::default();
    let mut best_frontier = f64::NEG_INFINITY;
    for f in &sc.firms {
        let id = dir.allocate();
        let mut books = Books::with_cash(f.cash_usd);
        books.parent_funding = f.parent_funding_usd_per_month;
        let fleet = Fleet {
            owned: f.owned_gpus,
            served_fraction: 1.0,
            ..Default::default()
        };
        let firm = Firm {
            kind: f.kind,
            name: f.name.clone(),
            nation: nation_index(&f.nation),
            founded: -1,
        };
        let mut e = world.spawn((id, firm, books, fleet, Staff(f64::from(f.staff))));
        match f.kind {
            FirmKind::Frontier | FirmKind::OpenWeights => {
                let slot = table.slots.len() as Slot;
                let (lab, platform) = lab_and_platform(sc, f, slot);
                if f.kind == FirmKind::Frontier {
                    best_frontier = best_frontier.max(lab.quality);
                }
                table.slots.push(initial_slot(
                    f,
                    id,
                    nation_index(&f.nation),
                    lab.quality,
                    sc.startups.api_fee_usd_per_customer,
                ));
                e.insert((lab, platform));
            }
            FirmKind::Neocloud => {
                e.insert(Lessor::default());
            }
            FirmKind::Startup => {}
        }
        let entity = e.id();
        dir.entities.insert(id, entity);
    }
    let open = open_source::initial_releases(world, sc, &mut dir, best_frontier);
    let users = users::initial_users(sc, &nations, &table);
    let people = users.people_by_option();
    for (i, s) in table.slots.iter_mut().enumerate() {
        s.people = people[i];
    }
    // Initial startups, with ages spread over the past and heavy-tailed customer bases.
    let st = &sc.startups;
    let mut cohorts = Cohorts::default();
    for _ in 0..st.initial_count {
        let id = dir.allocate();
        let mut d = rng::stream(sc.run.seed, Stream::InitStartups, id.0, 0);
        let age = d.int_inclusive(0, st.initial_age_max_months) as i32;
        let mut bundle = startups::new_startup(sc, &table, &open, id, -age, &mut d);
        let k = st.attachment_scale * 0.2 * (crate::math::pow(d.open01(), -1.0 / 1.2) - 1.0);
        bundle.4.customers = k.min(st.attachment_scale * 1000.0);
        let e = world.spawn(bundle).id();
        dir.entities.insert(id, e);
        cohorts.found(id, -age);
    }
    world.insert_resource(cohorts);
    world.insert_resource(Sentiment::new(sc));
    // Books of initial startups open at their seed cash (funding happened before the run).
    for mut b in world.query::<&mut Books>().iter_mut(world) {
        b.cash_start = b.cash;
        b.funding = 0.0;
    }
    world.insert_resource(Market::at_month_zero(sc));
    world.insert_resource(FrontierHistory {
        initial: if best_frontier.is_finite() { best_frontier } else { 0.0 },
        best: Vec::new(),
    });
    world.insert_resource(Config(sc.clone()));
    world.insert_resource(Clock::default());
    world.insert_resource(dir);
    world.insert_resource(MonthFlows::default());
    world.insert_resource(table);
    world.insert_resource(SwitchCostTable::new(sc));
    world.insert_resource(MetricsLog::default());
    world.insert_resource(PublicPool::default());
    world.insert_resource(RiskLedger::default());
    world.insert_resource(TeamTransfers::default());
    world.insert_resource(Partnerships::new(sc.nations.len()));
    world.insert_resource(Niches::new(sc));
    world.insert_resource(open);
    world.insert_resource(users);
    world
        .run_system_cached(users::count_platform_users)
        .expect("count users at month 0");
    // Training targets: the need beyond serving at month 0.
    let gc = sc.users.gpus_per_million_consumers;
    let gs = sc.users.gpus_per_million_seats;
    let mut labs = world.query::<(&Firm, &Platform, &mut Fleet)>();
    for (firm, p, mut fleet) in labs.iter_mut(world) {
        let spec = sc
            .firms
            .iter()
            .find(|f| f.name == firm.name)
            .expect("lab comes from a spec");
        let serving = p.consumers / 1e6 * gc + p.seats / 1e6 * gs;
        fleet.training_base = (spec.need_ratio * fleet.owned - serving).max(0.0);
        fleet.serving_need = serving;
    }
    world.insert_resource(ContractBook::default());
    seed_initial_contracts(world, sc);
    seed_researchers(world, sc);
}

/// The contract book at month 0: each lab's need beyond its own fleet is already reserved from
/// the lessors (in proportion to their fleets, up to 90% of each), at the initial contract
/// price, with remaining terms drawn uniformly up to the longest term.
fn seed_initial_contracts(world: &mut World, sc: &Scenario) {
    let mut lessors: Vec<(AgentId, f64)> = world
        .query::<(&AgentId, &Firm, &Fleet)>()
        .iter(world)
        .filter(|(_, f, _)| f.kind == FirmKind::Neocloud)
        .map(|(id, _, fl)| (*id, 0.9 * fl.owned))
        .collect();
    lessors.sort_by_key(|l| l.0);
    let mut labs: Vec<(AgentId, f64)> = world
        .query::<(&AgentId, &Fleet, &Platform)>()
        .iter(world)
        .map(|(id, fl, _)| {
            let need = fl.training_base + (fl.need_ratio_serving());
            (*id, (need - fl.owned).max(0.0))
        })
        .collect();
    labs.sort_by_key(|l| l.0);
    let capacity: f64 = lessors.iter().map(|l| l.1).sum();
    let wanted: f64 = labs.iter().map(|l| l.1).sum();
    if capacity <= 0.0 || wanted <= 0.0 {
        return;
    }
    let fill = (capacity / wanted).min(1.0);
    let mut book = ContractBook::default();
    for (buyer, want) in labs {
        for &(seller, cap) in &lessors {
            let gpus = want * fill * cap / capacity;
            if gpus <= 0.0 {
                continue;
            }
            book.next_id += 1;
            let mut d = rng::stream(sc.run.seed, Stream::ContractTerm, book.next_id, 0);
            let end = d.int_inclusive(1, sc.contracts.term_max_months);
            book.contracts.push(Contract {
                id: book.next_id,
                buyer,
                seller,
                gpus,
                price: sc.contracts.initial_price_usd,
                start: 0,
                end,
            });
        }
    }
    world.insert_resource(book);
    world
        .run_system_cached(contracts::retally_contracts)
        .expect("tally initial contracts");
}

/// The researchers at month 0: labs employ `lab_research_share` of their staff (taken off the
/// staff wage bill), startups `researchers_per_startup`; then the roster is tallied and each
/// lab's research productivity recorded as the reference of its talent factor.
fn seed_researchers(world: &mut World, sc: &Scenario) {
    let t = &sc.talent;
    let mut employers: Vec<talent::InitialEmployer> = world
        .query::<(&AgentId, &Firm, Option<&Staff>, Option<&Startup>)>()
        .iter(world)
        .filter(|(_, f, _, _)| f.kind != FirmKind::Neocloud)
        .map(|(id, f, staff, st)| talent::InitialEmployer {
            id: *id,
            kind: f.kind,
            nation: f.nation,
            people: match st {
                Some(s) => t.researchers_per_startup.min(s.team),
                None => staff.map_or(0.0, |s| s.0 * t.lab_research_share),
            },
        })
        .collect();
    employers.sort_by_key(|e| e.id);
    let researchers = talent::initial_researchers(sc, &employers);
    world.insert_resource(researchers);
    world.insert_resource(Roster::default());
    world
        .run_system_cached(talent::post_wages)
        .expect("post wages at month 0");
    world
        .run_system_cached(talent::tally_researchers)
        .expect("tally researchers at month 0");
    let people: Vec<(AgentId, f64, f64, f64)> = world
        .resource::<Roster>()
        .employers
        .iter()
        .map(|(id, e)| (*id, e.people, e.productivity, e.wage_bill))
        .collect();
    let mut labs = world.query::<(&AgentId, &Firm, &Books, &Lab, &mut Staff)>();
    let mut reference = std::collections::BTreeMap::new();
    for (id, firm, books, lab, mut staff) in labs.iter_mut(world) {
        if let Ok(k) = people.binary_search_by_key(id, |p| p.0) {
            let (_, heads, productivity, bill) = people[k];
            staff.0 = (staff.0 - heads).max(0.0);
            let res = talent::resources(t, firm.kind, books);
            let budget_share = if res > 0.0 && bill > 0.0 {
                (t.lab_budget_headroom * bill / res).min(1.0)
            } else {
                t.wage_budget_share
            };
            reference.insert(
                *id,
                talent::LabReference {
                    talent: lab.talent,
                    productivity,
                    budget_share,
                },
            );
        }
    }
    world.resource_mut::<Roster>().reference = reference;
}
