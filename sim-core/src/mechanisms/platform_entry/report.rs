//! Platform entry's metrics: pure functions of the niches and the month's counters.

use crate::metrics::Metrics;
use crate::state::{ExitCause, MonthFlows};

use super::Niches;

/// Entries, niches entered, acquisitions and cut-offs, exits attributed to entry, and the
/// wrappers' exit hazards (all, exposed, others) with their at-risk counts and exits.
pub fn report(niches: &Niches, flows: &MonthFlows, m: &mut Metrics) {
    m.platform_entries = f64::from(flows.platform_entries);
    m.niches_entered = niches.niches.iter().filter(|n| n.has_active_entry()).count() as f64;
    m.exits_platform_entry = f64::from(flows.startup_exits_by_cause[ExitCause::PlatformEntry.index()]);
    m.api_cutoffs = f64::from(flows.api_cutoffs);
    m.strategic_acquisitions = f64::from(flows.strategic_acquisitions);
    m.wrapper_exit_hazard = niches.wrappers.annualised();
    m.nonwrapper_exit_hazard = niches.nonwrappers.annualised();
    m.exposed_wrapper_exit_hazard = niches.exposed_wrappers.annualised();
    m.wrappers_at_risk = f64::from(niches.wrappers.last_at_risk());
    m.wrapper_exits = f64::from(flows.wrapper_exits);
    m.exposed_wrappers_at_risk = f64::from(niches.exposed_wrappers.last_at_risk());
    m.exposed_wrapper_exits = f64::from(flows.exposed_wrapper_exits);
    m.nonwrappers_at_risk = f64::from(niches.nonwrappers.last_at_risk());
    m.nonwrapper_exits = f64::from(flows.nonwrapper_exits);
}
