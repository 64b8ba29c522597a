//! The startups' component and what they build on.

use bevy_ecs::prelude::*;

use crate::kernel::state::{AgentId, Slot};

/// What a startup builds on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// A platform's API (pays API fees; exposed to the platform).
    Platform(Slot),
    /// A specific open-weights release, by its id in [`OpenReleases`] (pays hosting compute;
    /// exposed to the release's hidden backdoor).
    Open(AgentId),
}

impl Base {
    /// Is this an open-weights base?
    pub fn is_open(self) -> bool {
        matches!(self, Base::Open(_))
    }
}

/// An app or agent startup.
#[derive(Component, Clone, Debug)]
pub struct Startup {
    pub base: Base,
    /// App customers.
    pub customers: f64,
    /// Employees.
    pub team: f64,
    /// Cumulative fine-tuning FLOP.
    pub finetune_flop: f64,
    /// Product quality = base quality + fine-tuning increment.
    pub quality: f64,
    /// Cohort: month founded.
    pub cohort: i32,
}
