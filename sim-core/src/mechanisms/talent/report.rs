//! The talent market's metrics: pure functions of the researchers and the roster.

use crate::metrics::Metrics;
use crate::params::FirmKind;
use crate::state::{AgentId, Researchers, Roster};

/// Concentration of researchers over firms and nations, the frontier's share, moves, wages,
/// flows and attrition, and the pool with its inflow (graduates) and outflow; `employers` are the alive labs and startups in id order.
pub fn report(
    researchers: &Researchers,
    roster: &Roster,
    employers: &[(AgentId, FirmKind)],
    nations: usize,
    m: &mut Metrics,
) {
    let ts = super::talent_stats(researchers, employers, nations);
    m.talent_top3_share = ts.top3_share;
    m.talent_top_hub_share = ts.top_hub_share;
    m.talent_gini_firms = ts.gini_firms;
    m.talent_gini_nations = ts.gini_nations;
    m.talent_frontier_share = ts.frontier_share;
    m.researcher_moves = roster.moves;
    m.researchers_employed = ts.employed;
    m.mean_researcher_wage_usd = ts.mean_wage;
    m.talent_net_flow_frontier = roster.net_flow_frontier;
    m.researchers_acquihired = roster.acquihired;
    m.researcher_attrition = if ts.employed > 0.0 {
        roster.departures / ts.employed
    } else {
        0.0
    };
    let [employed, outside, _] = researchers.status_counts();
    m.researcher_pool = (employed + outside) as f64 * researchers.weight;
    m.researcher_inflow = roster.entered;
    m.researcher_outflow = roster.exited;
    let top = roster.entered_by_nation.iter().copied().fold(0.0, f64::max);
    m.researcher_inflow_top_nation_share = if roster.entered > 0.0 {
        top / roster.entered
    } else {
        f64::NAN
    };
}
