//! The open-weights releases.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::kernel::state::AgentId;
use crate::mechanisms::startups::state::Base;

/// The licence of an open-weights release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Licence {
    /// Apache/MIT-style: anyone may fine-tune, redistribute and deploy.
    Permissive,
    /// Custom licence with use restrictions (acceptable-use policies, user caps).
    Restricted,
}

/// One open-weights model release (ODD §2 entity "Open model release"): a model entity with
/// our own id, kept in [`OpenReleases`] (it has no behaviour of its own; the open-source
/// mechanism moves its downloads, derivatives and deployments).
#[derive(Clone, Debug, PartialEq)]
pub struct OpenRelease {
    /// The open-weights lab that published it.
    pub maker: AgentId,
    /// Model quality (the lagged frontier or the maker's own research, whichever is better).
    pub quality: f64,
    /// Month of release.
    pub month: u32,
    pub licence: Licence,
    /// Cumulative downloads.
    pub downloads: f64,
    /// Downloads this month.
    pub monthly_downloads: f64,
    /// Derivative models (fine-tunes, quantisations) built on it, cumulative.
    pub derivatives: f64,
    /// Production deployments running it (pulled when a backdoor is discovered).
    pub deployments: f64,
    /// Hidden truth: the weights carry a backdoor (only the researcher's view sees it).
    pub backdoored: bool,
    /// A security audit was funded for this release.
    pub audited: bool,
    /// Month the backdoor was discovered (None while undiscovered or clean).
    pub discovered: Option<u32>,
}

impl OpenRelease {
    /// A release just published: no downloads, derivatives or deployments yet, and no backdoor
    /// discovered.
    pub fn new(maker: AgentId, quality: f64, month: u32, licence: Licence, backdoored: bool, audited: bool) -> Self {
        Self {
            maker,
            quality,
            month,
            licence,
            downloads: 0.0,
            monthly_downloads: 0.0,
            derivatives: 0.0,
            deployments: 0.0,
            backdoored,
            audited,
            discovered: None,
        }
    }

    /// A backdoored release nobody has caught yet: it exposes its users.
    pub fn live_backdoor(&self) -> bool {
        self.backdoored && self.discovered.is_none()
    }

    /// May a startup build on it? Everything except a release with a discovered backdoor.
    pub fn usable(&self) -> bool {
        self.discovered.is_none()
    }
}

/// Every open-weights release so far, by id (never removed: published weights stay out), and
/// the month's download counters.
#[derive(Resource, Clone, Debug, Default)]
pub struct OpenReleases {
    pub releases: BTreeMap<AgentId, OpenRelease>,
    /// Releases published so far (= `releases.len()`).
    pub published: u32,
    /// Releases published this month.
    pub published_month: u32,
    /// Downloads this month over all releases.
    pub month_downloads: f64,
    /// Cumulative downloads over all releases, and before this month's downloads.
    pub total_downloads: f64,
    pub total_before: f64,
}

impl OpenReleases {
    /// The release a startup's base points to, if any.
    pub fn base_release(&self, base: Base) -> Option<&OpenRelease> {
        match base {
            Base::Open(id) => self.releases.get(&id),
            Base::Platform(_) => None,
        }
    }

    /// Is the release under this base backdoored and undiscovered?
    pub fn exposes(&self, base: Base) -> bool {
        self.base_release(base).is_some_and(OpenRelease::live_backdoor)
    }

    /// The best usable release (highest quality, then the earliest id), if any.
    pub fn best_usable(&self) -> Option<(AgentId, f64)> {
        self.releases.iter().filter(|(_, r)| r.usable()).fold(
            None,
            |best: Option<(AgentId, f64)>, (id, r)| match best {
                Some((_, q)) if q >= r.quality => best,
                _ => Some((*id, r.quality)),
            },
        )
    }

    /// The latest release of `maker` (the one it serves), if any.
    pub fn latest_of(&self, maker: AgentId) -> Option<(AgentId, &OpenRelease)> {
        self.releases
            .iter()
            .filter(|(_, r)| r.maker == maker)
            .max_by_key(|(id, r)| (r.month, **id))
            .map(|(id, r)| (*id, r))
    }
}
