//! What a mechanism registers with the simulation: how it builds its part of the world at
//! month 0 and which invariants it checks. Its share of the state hash is its
//! [`StateHash`](crate::hash::StateHash) implementations, sequenced by the table in
//! [`registry`](crate::registry); its systems are placed in the one phase table,
//! [`schedule`](crate::schedule). The list of every mechanism is
//! [`registry::MECHANISMS`](crate::registry::MECHANISMS).

use bevy_ecs::world::World;

/// A mechanism's hooks, in the style of Veloren rtsim's rules and bevy's plugins: plain
/// functions, each defaulting to "nothing to do".
#[derive(Clone, Copy)]
pub struct Mechanism {
    /// The mechanism's folder name (`mechanisms/<name>/`).
    pub name: &'static str,
    /// Inserts the mechanism's resources in their empty month-0 form. Runs for every mechanism
    /// before any [`populate`](Mechanism::populate), and alone for the unit tests' bare world.
    pub resources: fn(&mut World),
    /// Builds the mechanism's part of month 0 from the scenario (agents, initial values). Runs
    /// in list order: a mechanism may read what the mechanisms before it populated.
    pub populate: fn(&mut World),
    /// Appends a message for every broken invariant of the mechanism (the month is the
    /// [`Clock`](crate::state::Clock)'s).
    pub check: fn(&mut World, &mut Vec<String>),
}

impl Mechanism {
    /// A mechanism with no hooks yet: `Mechanism { populate: ..., ..Mechanism::new("name") }`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            resources: |_| {},
            populate: |_| {},
            check: |_, _| {},
        }
    }
}
