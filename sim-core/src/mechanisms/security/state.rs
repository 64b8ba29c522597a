//! This month's security and compliance position of every firm.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::kernel::state::AgentId;

/// One firm's security and compliance position this month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FirmRisk {
    /// Annual revenue at or above `security.large_revenue_usd` (size split of the metrics).
    pub large: bool,
    /// Revenue basis of the month (last month's revenue), for cost and loss shares.
    pub revenue: f64,
    /// Hygiene bought this month (share of incidents prevented).
    pub hygiene: f64,
    /// Cost of that hygiene.
    pub hygiene_cost: f64,
    /// Incidents suffered this month.
    pub incidents: u32,
    /// Incident losses booked this month.
    pub loss: f64,
    /// Fines paid on this month's incidents.
    pub fines: f64,
    /// Compliance cost paid this month.
    pub compliance: f64,
    /// In scope of a regime in force this month (sandboxed startups included).
    pub regulated: bool,
}

/// This month's security incidents and compliance costs by firm. Cleared when the Security
/// phase opens; exited firms' rows stay until then (the recorder counts their incidents).
#[derive(Resource, Clone, Debug, Default)]
pub struct RiskLedger {
    pub firms: BTreeMap<AgentId, FirmRisk>,
}

impl RiskLedger {
    /// Incident losses and fines of a firm this month.
    pub fn incident_cost(&self, id: AgentId) -> f64 {
        self.firms.get(&id).map_or(0.0, |r| r.loss + r.fines)
    }
}
