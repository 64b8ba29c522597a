//! Venture's marker of a startup acqui-hired this month.

use bevy_ecs::prelude::*;

use crate::kernel::state::AgentId;

/// Marks a startup acqui-hired this month by the firm with this id; it leaves the market in
/// `exit_firms` with cause [`ExitCause::AcquiHire`].
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcquiredBy(pub AgentId);
