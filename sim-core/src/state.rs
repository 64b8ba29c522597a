//! The model's state in one place for the systems: the kernel's shared types and every
//! mechanism's state types, each declared in its owner's folder (`kernel/state.rs`,
//! `mechanisms/<name>/state.rs`). State files import the kernel and each other, never this hub.

pub use crate::kernel::state::*;
pub use crate::mechanisms::contracts::state::*;
pub use crate::mechanisms::deals::state::*;
pub use crate::mechanisms::finance::state::*;
pub use crate::mechanisms::open_source::state::*;
pub use crate::mechanisms::platform_entry::state::*;
pub use crate::mechanisms::pricing::state::*;
pub use crate::mechanisms::record::state::*;
pub use crate::mechanisms::research::state::*;
pub use crate::mechanisms::security::state::*;
pub use crate::mechanisms::spot::state::*;
pub use crate::mechanisms::startups::state::*;
pub use crate::mechanisms::talent::state::*;
pub use crate::mechanisms::users::state::*;
pub use crate::mechanisms::venture::state::*;
