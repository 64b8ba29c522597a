//! Security's and compliance's metrics: pure functions of the month's risk ledger.

use crate::metrics::Metrics;
use crate::state::{FirmRisk, RiskLedger};

/// Incidents, losses, hygiene, fines and compliance costs by firm size, summed in id order (the
/// ledger is keyed by `AgentId`).
pub fn report(ledger: &RiskLedger, m: &mut Metrics) {
    let by_size = |large: bool, f: &dyn Fn(&FirmRisk) -> f64| {
        ledger.firms.values().filter(|r| r.large == large).map(f).sum::<f64>()
    };
    let share = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
    let mean_hygiene = |large: bool| {
        let n = ledger.firms.values().filter(|r| r.large == large).count();
        share(by_size(large, &|r| r.hygiene), n as f64)
    };
    let (rev_small, rev_large) = (by_size(false, &|r| r.revenue), by_size(true, &|r| r.revenue));
    let regulated_revenue = |large: bool| by_size(large, &|r| if r.regulated { r.revenue } else { 0.0 });
    let (loss_small, loss_large) = (by_size(false, &|r| r.loss), by_size(true, &|r| r.loss));
    m.incidents_small = by_size(false, &|r| f64::from(r.incidents));
    m.incidents_large = by_size(true, &|r| f64::from(r.incidents));
    m.incident_losses_small_usd = loss_small;
    m.incident_losses_large_usd = loss_large;
    m.compliance_cost_share_small = share(by_size(false, &|r| r.compliance), regulated_revenue(false));
    m.compliance_cost_share_large = share(by_size(true, &|r| r.compliance), regulated_revenue(true));
    m.fines_usd = ledger.firms.values().map(|r| r.fines).sum();
    m.incident_loss_share_small = share(loss_small, rev_small);
    m.incident_loss_share_large = share(loss_large, rev_large);
    m.hygiene_small = mean_hygiene(false);
    m.hygiene_large = mean_hygiene(true);
}
