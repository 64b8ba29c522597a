//! The contract book.

use bevy_ecs::prelude::*;

use crate::kernel::state::AgentId;

/// A reserved, take-or-pay GPU contract.
#[derive(Clone, Debug, PartialEq)]
pub struct Contract {
    pub id: u64,
    pub buyer: AgentId,
    pub seller: AgentId,
    pub gpus: f64,
    /// USD per GPU-hour.
    pub price: f64,
    pub start: u32,
    /// First month no longer covered.
    pub end: u32,
}

/// All active contracts, in id order.
#[derive(Resource, Clone, Debug, Default)]
pub struct ContractBook {
    pub next_id: u64,
    pub contracts: Vec<Contract>,
}
