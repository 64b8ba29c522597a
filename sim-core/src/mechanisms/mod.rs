//! One module per mechanism of MODEL.md's monthly pipeline. Each module's header states the
//! economic rule, its equation, what it reads and writes, and its guardrails.

pub mod allocation;
pub mod auction;
pub mod clock;
pub mod contracts;
pub mod finance;
pub mod record;
pub mod research;
pub mod spot;
pub mod startups;
pub mod supply;
pub mod users;
