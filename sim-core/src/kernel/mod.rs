//! The kernel: what every mechanism shares and none owns — agent identity, the firm's books and
//! fleet, nations, the clock, the id directory, the scenario and the market — with its part of
//! month 0, of the state hash and of the invariants.

pub mod by_id;
pub mod calendar;
pub mod check;
pub mod hash;
pub mod init;
pub mod lever;
pub mod state;

use crate::mechanism::Mechanism;

/// The kernel's hooks (first in [`MECHANISMS`](crate::registry::MECHANISMS): every mechanism
/// builds on its nations and firms).
pub const MECHANISM: Mechanism = Mechanism {
    resources: init::resources,
    populate: init::populate,
    check: check::check,
    ..Mechanism::new("kernel")
};
