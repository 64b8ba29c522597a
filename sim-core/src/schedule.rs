//! The monthly pipeline: one table of phases, each a chain of systems, the phases chained in
//! this order. The order across mechanisms is part of the model: moving a system changes
//! results. Single-threaded executor, ambiguity detection an error.
//!
//! To add a system, put it in its phase's row at the place its inputs are ready; to add a phase,
//! add a variant to [`Phase`] and a row below (and renumber the phase docs).

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, SingleThreadedExecutor};

use crate::mechanisms::{
    allocation, clock, contracts, deals, finance, open_source, platform_entry, pricing, public_compute, record,
    regulation, research, security, spot, startups, supply, talent, users, venture,
};

/// The phases of a month, numbered in the order they run.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// 1. Shocks and the policy clock.
    Clock,
    /// 2. Chip supply.
    Supply,
    /// 3. Needs, orders, public purchases, deal data centres, vendor allocation.
    Allocation,
    /// 4. Contract market.
    Contracts,
    /// 5. Public lending and the spot market.
    Spot,
    /// 6. Research and the open-weights ecosystem.
    Research,
    /// 7. Talent market.
    Talent,
    /// 8. Nation-state partnerships (before user choice, so this month's choices see the deals).
    Deals,
    /// 9. Prices, then user choice.
    Users,
    /// 10. Security incidents.
    Security,
    /// 11. Regulation and compliance.
    Regulation,
    /// 12. Finance, platform entry into app niches, acquisitions, exit and entry.
    Finance,
    /// 13. Record (read-only).
    Record,
}

impl Phase {
    /// Every phase, in the order they run.
    pub const ALL: [Phase; 13] = [
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
    ];

    /// The phase's name in lower case (`"contracts"`), as benchmarks label it.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Clock => "clock",
            Phase::Supply => "supply",
            Phase::Allocation => "allocation",
            Phase::Contracts => "contracts",
            Phase::Spot => "spot",
            Phase::Research => "research",
            Phase::Talent => "talent",
            Phase::Deals => "deals",
            Phase::Users => "users",
            Phase::Security => "security",
            Phase::Regulation => "regulation",
            Phase::Finance => "finance",
            Phase::Record => "record",
        }
    }
}

/// An empty schedule: single-threaded executor, ambiguity detection an error.
fn empty_schedule() -> Schedule {
    let mut s = Schedule::default();
    s.set_executor(SingleThreadedExecutor::new());
    s.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    });
    s
}

/// Builds the monthly schedule: every system totally ordered, ambiguity an error.
pub fn build_schedule() -> Schedule {
    let mut s = empty_schedule();
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
    for phase in Phase::ALL {
        add_phase(&mut s, phase);
    }
    s
}

/// One phase's systems alone, as a schedule. Running the schedules of [`Phase::ALL`] in order
/// runs exactly what [`build_schedule`] runs, in the same order: deferred commands are applied
/// at the end of each schedule, and the systems that issue commands are all in Finance, which
/// stays whole. Benchmarks time the phases this way ([`Sim::step_phases`](crate::sim::Sim::step_phases));
/// sim-core itself reads no clock.
pub fn build_phase_schedule(phase: Phase) -> Schedule {
    let mut s = empty_schedule();
    add_phase(&mut s, phase);
    s
}

/// Adds a phase's row of the table: its systems, chained, in its set.
fn add_phase(s: &mut Schedule, phase: Phase) {
    match phase {
        Phase::Clock => {
            s.add_systems(clock::open_month.in_set(Phase::Clock));
        }
        Phase::Supply => {
            s.add_systems(
                (supply::produce_chips, supply::depreciate_fleets)
                    .chain()
                    .in_set(Phase::Supply),
            );
        }
        Phase::Allocation => {
            s.add_systems(
                (
                    allocation::plan_compute_needs,
                    allocation::place_orders,
                    public_compute::buy_public_compute,
                    deals::build_data_centres,
                    allocation::allocate_chips,
                )
                    .chain()
                    .in_set(Phase::Allocation),
            );
        }
        Phase::Contracts => {
            s.add_systems(
                (contracts::settle_contracts, contracts::sign_contracts)
                    .chain()
                    .in_set(Phase::Contracts),
            );
        }
        Phase::Spot => {
            s.add_systems(
                (
                    public_compute::lend_public_compute,
                    spot::clear_spot_market,
                    spot::review_lessors,
                )
                    .chain()
                    .in_set(Phase::Spot),
            );
        }
        Phase::Research => {
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
        }
        Phase::Talent => {
            s.add_systems(
                (
                    talent::post_wages,
                    talent::rehome_researchers,
                    talent::graduate_researchers,
                    talent::reconsider_employers,
                    talent::tally_researchers,
                    talent::pay_researchers,
                    talent::set_lab_talent,
                )
                    .chain()
                    .in_set(Phase::Talent),
            );
        }
        Phase::Deals => {
            s.add_systems(
                (deals::review_deals, deals::tender_deals, deals::seed_adoption)
                    .chain()
                    .in_set(Phase::Deals),
            );
        }
        Phase::Users => {
            s.add_systems(
                (
                    pricing::set_prices,
                    users::refresh_platform_table,
                    users::reconsider_platforms,
                    users::count_platform_users,
                )
                    .chain()
                    .in_set(Phase::Users),
            );
        }
        Phase::Security => {
            s.add_systems(
                (security::draw_incidents, security::shed_platform_users)
                    .chain()
                    .in_set(Phase::Security),
            );
        }
        Phase::Regulation => {
            s.add_systems(
                (regulation::pay_compliance, regulation::levy_fines)
                    .chain()
                    .in_set(Phase::Regulation),
            );
        }
        Phase::Finance => {
            s.add_systems(
                (
                    finance::bill_platform_users,
                    platform_entry::enter_app_niches.run_if(platform_entry::entry_allowed),
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
        }
        Phase::Record => {
            s.add_systems(record::record_metrics.in_set(Phase::Record));
        }
    }
}
