//! The national deals in force, by nation, with their history.

use bevy_ecs::prelude::*;

use crate::kernel::state::{AgentId, Slot};

/// A partnership in force.
#[derive(Clone, Debug, PartialEq)]
pub struct Deal {
    /// Partner platforms (slots), in the order the nation ranked them.
    pub partners: Vec<Slot>,
    /// Signed under the exclusive rule.
    pub exclusive: bool,
    /// Month first signed.
    pub start: u32,
    /// Month last signed or renewed.
    pub signed: u32,
    /// Months of the current term left, this month included (1..=term).
    pub months_left: u32,
    /// First month citizens pay again.
    pub free_until: u32,
    /// Renewals so far.
    pub renewals: u32,
}

/// One nation's partnership state and history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NationDeal {
    /// The deal in force, if any.
    pub current: Option<Deal>,
    /// First month the nation may tender again.
    pub next_tender: u32,
    /// Partners of the latest deal (empty if the nation never had one).
    pub latest: Vec<Slot>,
    /// Every deal signed (renewals excluded): month and partners.
    pub history: Vec<(u32, Vec<Slot>)>,
    /// Month the latest deal ended, if it has.
    pub ended: Option<u32>,
    /// GPUs in the nation's deal data centres (built by partners' investment; they depreciate
    /// like any fleet and count in their owners' fleets).
    pub hosted_gpus: f64,
}

/// A deal data centre under construction: GPUs bought at the list price of the signing month,
/// taken from the vendor's output from `ready` on.
#[derive(Clone, Debug, PartialEq)]
pub struct DataCentreBuild {
    /// The investing partner (owner of the GPUs).
    pub firm: AgentId,
    /// The partner nation (where the data centre stands).
    pub nation: u16,
    /// GPUs still to be installed (H100e).
    pub gpus: f64,
    /// First month the GPUs can be installed (signing + `deals.build_months`).
    pub ready: u32,
}

/// Partnerships by nation index.
#[derive(Resource, Clone, Debug, Default)]
pub struct Partnerships {
    pub nations: Vec<NationDeal>,
    /// Deal data centres under construction, in signing order.
    pub builds: Vec<DataCentreBuild>,
}

impl Partnerships {
    /// No deals among `nations` nations.
    pub fn new(nations: usize) -> Self {
        Self {
            nations: vec![NationDeal::default(); nations],
            builds: Vec::new(),
        }
    }

    /// The deal in force in nation `n`.
    pub fn active(&self, n: u16) -> Option<&Deal> {
        self.nations.get(n as usize).and_then(|d| d.current.as_ref())
    }

    /// Whether `slot` is a default partner of nation `n`, and whether it is free for citizens in
    /// `month`.
    #[inline]
    pub fn terms(&self, n: u16, slot: Slot, month: u32) -> (bool, bool) {
        match self.active(n) {
            Some(d) if d.partners.contains(&slot) => (true, month < d.free_until),
            _ => (false, false),
        }
    }

    /// GPUs in deal data centres, all nations.
    pub fn hosted_gpus(&self) -> f64 {
        self.nations.iter().map(|n| n.hosted_gpus).sum()
    }

    /// Nations with a deal in force.
    pub fn active_count(&self) -> usize {
        self.nations.iter().filter(|d| d.current.is_some()).count()
    }
}
