//! Platform entry's components: a startup's app niche and its strategic owner.

use bevy_ecs::prelude::*;

use crate::kernel::state::AgentId;

/// The app niche (index into the scenario's niches, [`Scenario::app_niches`](crate::params::Scenario::app_niches))
/// a startup serves; drawn at founding (see `mechanisms::platform_entry`).
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppNiche(pub u16);

/// Marks a startup bought by a frontier lab in a strategic acquisition (it keeps operating;
/// see `mechanisms::platform_entry`). Cleared if the owner leaves the market.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnedBy(pub AgentId);
