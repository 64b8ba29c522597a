//! Teams in transit between an acqui-hired firm and its buyer.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::kernel::state::AgentId;

/// Teams in transit: firms acqui-hired this month, by id, with the id of the firm that bought
/// them. Written by `finance::exit_firms`, read and cleared by `talent::rehome_researchers` next
/// month, so a bought team joins the firm that paid for it.
#[derive(Resource, Clone, Debug, Default)]
pub struct TeamTransfers(pub BTreeMap<AgentId, AgentId>);
