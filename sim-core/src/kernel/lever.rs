//! A policy lever's timing, read one way everywhere: a lever with start month `from` is in
//! force in every month `m >= from` (and, with an end, `m < until`). Mechanisms ask
//! [`in_force`] / [`in_window`]. A lever that switches a whole system on or off gates it in the
//! schedule with a run condition the mechanism defines from the same reading (e.g.
//! `platform_entry::entry_allowed`), and only where the system would otherwise return at once
//! without touching anything, so gating changes no draw and no result.

/// Is a lever starting in `from` in force in `month`?
#[inline]
pub const fn in_force(month: u32, from: u32) -> bool {
    month >= from
}

/// Is a lever in force from `from` until (not including) `until` in force in `month`?
#[inline]
pub const fn in_window(month: u32, from: u32, until: u32) -> bool {
    in_force(month, from) && month < until
}
