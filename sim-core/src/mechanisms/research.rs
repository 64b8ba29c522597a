//! Research: effective compute, algorithmic progress, model quality (MODEL.md step 6).
//!
//! Algorithmic efficiency grows `A_t = algo_growth^(t/12)` (≈3×/yr). A lab's training compute
//! this month (what it used beyond serving) adds effective compute
//! `E += C_train · flop_per_gpu_month · A_t`, and its quality is log-linear in cumulative
//! effective compute: `Q = b · talent · (log10 E − offset)`.
//!
//! Open-weights makers release every `open_release_interval_months`: the release's quality is
//! the better of their own research and the best frontier quality `open_lag` months earlier, so
//! open models trail the frontier by months. Frontier platforms serve their own quality.
//! A startup's product quality is its base model's quality (its platform's, or the best open
//! release) plus a fine-tuning increment `ft · log10(1 + F / 1e20)` from its own fine-tuning FLOP.
//!
//! Reads: [`Fleet::training_used`], [`Config`]. Writes: [`Lab`], [`Startup::quality`],
//! [`FrontierHistory`], [`Market::algo_efficiency`].

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

/// Frontier labs serve their own quality; open-weights makers publish lagged releases.
pub fn release_open_models(
    cfg: Res<Config>,
    clock: Res<Clock>,
    history: Res<FrontierHistory>,
    mut labs: Query<(&Firm, &mut Lab)>,
) {
    let interval = cfg.0.research.open_release_interval_months.max(1);
    for (firm, mut lab) in &mut labs {
        match firm.kind {
            FirmKind::OpenWeights => {
                if clock.month.is_multiple_of(interval) {
                    let lagged = history.lagged(clock.month, lab.open_lag);
                    lab.served_quality = lab.quality.max(lagged).max(lab.served_quality);
                }
            }
            _ => lab.served_quality = lab.quality,
        }
    }
}

/// Startups fine-tune on their base model.
pub fn tune_startup_products(
    cfg: Res<Config>,
    market: Res<Market>,
    labs: Query<(&Firm, &Lab, Option<&Platform>)>,
    mut startups: Query<(&Fleet, &mut Startup)>,
) {
    let sc = &cfg.0;
    let mut by_slot = vec![f64::NEG_INFINITY; 256];
    let mut best_open = f64::NEG_INFINITY;
    for (firm, lab, p) in &labs {
        if let Some(p) = p {
            by_slot[p.slot as usize] = lab.served_quality;
        }
        if firm.kind == FirmKind::OpenWeights {
            best_open = best_open.max(lab.served_quality);
        }
    }
    for (fleet, mut s) in &mut startups {
        let tuning = (fleet.used - fleet.serving_need.min(fleet.used)).max(0.0);
        s.finetune_flop += tuning * sc.research.flop_per_gpu_month * market.algo_efficiency;
        let base = match s.base {
            Base::Platform(slot) => by_slot[slot as usize],
            Base::Open => best_open,
        };
        let base = if base.is_finite() { base } else { 0.0 };
        s.quality = base + sc.research.finetune_quality_per_decade * math::log10(1.0 + s.finetune_flop / 1e20);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Research;

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
}
