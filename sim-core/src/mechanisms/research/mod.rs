//! Research: effective compute, algorithmic progress, model quality (ODD §7.8).
//!
//! Algorithmic efficiency grows `A_t = algo_growth^(t/12)` (≈3×/yr). A lab's training compute
//! this month (what it used beyond serving) adds effective compute
//! `E += C_train · flop_per_gpu_month · A_t`, and its quality is log-linear in cumulative
//! effective compute: `Q = b · talent · (log10 E − offset)`.
//!
//! Open-weights makers publish releases at the frontier quality lagged `open_lag` months (see
//! [`open_source`](super::open_source), which also sets what each lab serves). A startup's
//! product quality is its base model's quality (its platform's served model, or its own open
//! release) plus a fine-tuning increment `ft · log10(1 + F / 1e20)` from its own fine-tuning FLOP.
//!
//! Reads: [`Fleet::training_used`], [`Config`], [`OpenReleases`]. Writes: [`Lab`],
//! [`Startup::quality`], [`FrontierHistory`], [`Market::algo_efficiency`].

pub mod params;

mod hash;
pub mod init;
pub mod state;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: init::resources,
    populate: init::populate,
    ..crate::mechanism::Mechanism::new("research")
};

use bevy_ecs::prelude::*;

use crate::math;
use crate::params::FirmKind;
use crate::state::*;

/// Quality from cumulative effective FLOP.
pub fn quality(cfg: &crate::params::Research, cumulative_flop: f64, talent: f64) -> f64 {
    cfg.quality_per_decade * talent * (math::log10(cumulative_flop.max(1.0)) - cfg.quality_offset_log10)
}

/// Labs train; the best frontier quality is recorded.
pub fn train_models(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut market: ResMut<Market>,
    mut history: ResMut<FrontierHistory>,
    mut labs: Query<(&Firm, &Fleet, &mut Lab)>,
) {
    let r = &cfg.0.research;
    market.algo_efficiency = math::pow(r.algo_growth_per_year, f64::from(clock.month) / 12.0);
    let mut best = f64::NEG_INFINITY;
    for (firm, fleet, mut lab) in &mut labs {
        lab.cumulative_flop += fleet.training_used * r.flop_per_gpu_month * market.algo_efficiency;
        lab.quality = quality(r, lab.cumulative_flop, lab.talent);
        if firm.kind == FirmKind::Frontier {
            best = best.max(lab.quality);
        }
    }
    if best == f64::NEG_INFINITY {
        best = history.best.last().copied().unwrap_or(history.initial);
    }
    let m = clock.month as usize;
    history.best.truncate(m);
    history.best.push(best);
}

/// Startups fine-tune on their base model.
pub fn tune_startup_products(
    cfg: Res<Config>,
    market: Res<Market>,
    releases: Res<OpenReleases>,
    labs: Query<(&Lab, &Platform)>,
    mut startups: Query<(&Fleet, &mut Startup)>,
) {
    let sc = &cfg.0;
    let mut by_slot = vec![f64::NEG_INFINITY; 256];
    for (lab, p) in &labs {
        by_slot[p.slot as usize] = lab.served_quality;
    }
    for (fleet, mut s) in &mut startups {
        let tuning = (fleet.used - fleet.serving_need.min(fleet.used)).max(0.0);
        s.finetune_flop += tuning * sc.research.flop_per_gpu_month * market.algo_efficiency;
        let base = match s.base {
            Base::Platform(slot) => by_slot[slot as usize],
            Base::Open(r) => releases.releases.get(&r).map_or(f64::NEG_INFINITY, |r| r.quality),
        };
        let base = if base.is_finite() { base } else { 0.0 };
        s.quality = base + finetune_increment(&sc.research, s.finetune_flop);
    }
}

/// Quality points a startup's fine-tuning adds to its base model:
/// `finetune_quality_per_decade · log10(1 + F / 1e20)` for cumulative fine-tuning FLOP `F`.
pub fn finetune_increment(r: &crate::params::Research, finetune_flop: f64) -> f64 {
    r.finetune_quality_per_decade * math::log10(1.0 + finetune_flop / 1e20)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, close, spawn_firm};
    use crate::params::{Research, Scenario};

    /// Spawns a lab of `kind` with `cumulative_flop`, talent 1, training on `training_used` GPUs.
    fn lab(w: &mut World, kind: FirmKind, cumulative_flop: f64, training_used: f64) -> Entity {
        let e = spawn_firm(
            w,
            kind,
            1e10,
            Fleet {
                training_used,
                ..Default::default()
            },
        );
        let q = quality(&Research::default(), cumulative_flop, 1.0);
        w.entity_mut(e).insert(Lab {
            cumulative_flop,
            quality: q,
            talent: 1.0,
            open_lag: 2,
            served_quality: q,
        });
        e
    }

    fn lab_of(w: &World, e: Entity) -> &Lab {
        w.get::<Lab>(e).expect("a lab")
    }

    #[test]
    fn ten_times_the_compute_adds_b_times_talent_points() {
        let r = Research::default();
        let q1 = quality(&r, 1e26, 1.0);
        let q2 = quality(&r, 1e27, 1.0);
        assert!((q2 - q1 - r.quality_per_decade).abs() < 1e-9);
        assert!((quality(&r, 1e27, 2.0) - quality(&r, 1e26, 2.0) - 2.0 * r.quality_per_decade).abs() < 1e-9);
    }

    #[test]
    fn open_releases_trail_the_frontier_by_the_lag() {
        let h = FrontierHistory {
            initial: 10.0,
            best: vec![10.0, 11.0, 12.0, 13.0, 14.0],
        };
        assert_eq!(h.lagged(4, 3), 11.0);
        assert_eq!(h.lagged(2, 3), 10.0, "before the start the initial frontier applies");
    }

    #[test]
    fn training_adds_effective_compute_and_raises_quality() {
        let r = Research::default();
        let mut w = testkit::world(Scenario::default());
        w.resource_mut::<Clock>().month = 12;
        let trainer = lab(&mut w, FirmKind::Frontier, 1e26, 1e5);
        let idle = lab(&mut w, FirmKind::Frontier, 1e26, 0.0);
        w.run_system_cached(train_models).unwrap();
        // A_12 = algo_growth^1; E += C_train · flop_per_gpu_month · A_t.
        let a = w.resource::<Market>().algo_efficiency;
        assert!(close(a, r.algo_growth_per_year), "A after a year is {a}");
        let e = 1e26 + 1e5 * r.flop_per_gpu_month * a;
        let l = lab_of(&w, trainer);
        assert!(
            close(l.cumulative_flop, e),
            "cumulative FLOP {} != {e}",
            l.cumulative_flop
        );
        assert!(close(l.quality, quality(&r, e, 1.0)), "quality is log-linear in E");
        assert!(l.quality > quality(&r, 1e26, 1.0), "training must raise quality");
        assert_eq!(
            lab_of(&w, idle).quality,
            quality(&r, 1e26, 1.0),
            "a lab that does not train stays put"
        );
    }

    #[test]
    fn the_best_frontier_quality_is_recorded_each_month() {
        let mut w = testkit::world(Scenario::default());
        let frontier = lab(&mut w, FirmKind::Frontier, 1e27, 1e5);
        // An open-weights lab ahead of the frontier does not count as frontier.
        lab(&mut w, FirmKind::OpenWeights, 1e29, 0.0);
        for month in 0..3 {
            w.resource_mut::<Clock>().month = month;
            w.run_system_cached(train_models).unwrap();
        }
        let h = w.resource::<FrontierHistory>();
        assert_eq!(h.best.len(), 3, "one entry per month");
        assert_eq!(
            *h.best.last().unwrap(),
            lab_of(&w, frontier).quality,
            "best frontier quality must be the frontier lab's, not the open lab's"
        );
        assert!(
            h.best[0] < h.best[1] && h.best[1] < h.best[2],
            "a training frontier improves: {:?}",
            h.best
        );
    }
}
