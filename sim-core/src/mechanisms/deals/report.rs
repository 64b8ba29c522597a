//! The national deals' metrics: pure functions of the partnerships, users and the month's
//! counters.

use crate::metrics::Metrics;
use crate::params::Scenario;
use crate::state::{MonthFlows, Partnerships, PlatformTable, Users};

/// Deals in force and signed, lock-in (and its counterfactual without deals), spending and
/// seeded adoption, data-centre GPUs.
pub fn report(
    sc: &Scenario,
    deals: &Partnerships,
    users: &Users,
    table: &PlatformTable,
    flows: &MonthFlows,
    m: &mut Metrics,
) {
    let (deal_lockin_share, deal_lockin_counterfactual) = super::lockin_shares(sc, deals, users, table);
    m.deals_active = deals.active_count() as f64;
    m.deals_signed = f64::from(flows.deals_signed);
    m.deal_lockin_share = deal_lockin_share;
    m.deal_lockin_counterfactual = deal_lockin_counterfactual;
    m.deal_spending_usd = flows.deal_investment + flows.deal_fees + flows.deal_foregone;
    m.deal_seeded_people = flows.deal_seeded_people;
    m.deal_data_centre_gpus = deals.hosted_gpus();
}
