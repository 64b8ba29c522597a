//! Dense per-firm accumulators: a value per [`AgentId`], stored in a vector indexed by the id.
//!
//! Firm ids come from [`Directory::allocate`](super::state::Directory::allocate), a counter, so
//! they are small and dense; a vector indexed by id replaces an ordered map where a hot loop sums
//! something per firm (the contract book, the researchers), at one array access per item instead
//! of a tree search and no node allocation. Values are summed in the order the caller visits the
//! items, exactly as with a map, so results are bit-identical. Ids above [`DENSE_LIMIT`] (none
//! today) fall back to an ordered map, so a huge id costs a tree search, never memory.

use std::collections::BTreeMap;

use super::state::AgentId;

/// Ids below this are stored densely (1 Mi slots at most).
pub const DENSE_LIMIT: u64 = 1 << 20;

/// A `T` per agent id, `T::default()` for ids never touched.
#[derive(Clone, Debug, Default)]
pub struct ById<T> {
    dense: Vec<T>,
    sparse: BTreeMap<AgentId, T>,
    empty: T,
}

impl<T: Default + Clone> ById<T> {
    /// An empty table with room for ids up to `max_id` (more grow on demand).
    pub fn with_max_id(max_id: u64) -> Self {
        let n = if max_id < DENSE_LIMIT { max_id as usize + 1 } else { 0 };
        Self {
            dense: vec![T::default(); n],
            sparse: BTreeMap::new(),
            empty: T::default(),
        }
    }

    /// Empties the table, keeping its memory.
    pub fn clear(&mut self) {
        for v in &mut self.dense {
            *v = T::default();
        }
        self.sparse.clear();
    }

    /// The value of `id`, created as `T::default()` if absent.
    #[inline]
    pub fn at(&mut self, id: AgentId) -> &mut T {
        if id.0 < DENSE_LIMIT {
            let k = id.0 as usize;
            if k >= self.dense.len() {
                self.dense.resize(k + 1, T::default());
            }
            &mut self.dense[k]
        } else {
            self.sparse.entry(id).or_default()
        }
    }

    /// The value of `id` (`T::default()` if never touched).
    #[inline]
    pub fn get(&self, id: AgentId) -> &T {
        if id.0 < DENSE_LIMIT {
            self.dense.get(id.0 as usize).unwrap_or(&self.empty)
        } else {
            self.sparse.get(&id).unwrap_or(&self.empty)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untouched_ids_read_as_default_and_touched_ones_accumulate() {
        let mut t: ById<f64> = ById::with_max_id(4);
        *t.at(AgentId(2)) += 1.5;
        *t.at(AgentId(2)) += 0.25;
        *t.at(AgentId(9)) += 3.0; // beyond the initial size: grows
        *t.at(AgentId(DENSE_LIMIT + 7)) += 4.0; // sparse
        assert_eq!(*t.get(AgentId(2)), 1.75, "sums in visiting order");
        assert_eq!(*t.get(AgentId(9)), 3.0, "grown on demand");
        assert_eq!(*t.get(AgentId(DENSE_LIMIT + 7)), 4.0, "huge ids go to the map");
        assert_eq!(*t.get(AgentId(3)), 0.0, "untouched id inside the vector");
        assert_eq!(*t.get(AgentId(1_000)), 0.0, "untouched id past the vector");
        t.clear();
        assert_eq!(*t.get(AgentId(2)), 0.0, "cleared");
        assert_eq!(*t.get(AgentId(DENSE_LIMIT + 7)), 0.0, "cleared (sparse)");
    }
}
