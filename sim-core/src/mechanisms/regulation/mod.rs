//! Regulation and compliance (ODD §7.16).
//!
//! Each nation names a regime (`[[regimes]]`, EU AI Act-like defaults; `""` = unregulated).
//! From the regime's `from_month`, every frontier lab, open-weights lab and startup based in the
//! nation (GPU lessors are infrastructure, out of scope) pays each month
//!
//! ```text
//! C_reg = [F · (1 − relief · 1[R < R_sme]) + v · R + F_sys · 1[C_train > FLOP_sys]] / 12
//! ```
//!
//! with `R` the annual revenue basis (last month × 12) and `C_train` a lab's cumulative training
//! FLOP (startups fine-tune and are never in the systemic tier). A share `sandbox_share` of
//! startups — drawn once per firm — is admitted to a sandbox and exempt while younger than
//! `sandbox_months`. A fixed `F` is regressive (a larger share of a small firm's revenue); a
//! proportional `v` is neutral; the systemic tier targets frontier labs.
//!
//! **Fines.** Each incident of a firm in a regime in force is fined with probability
//! `enforcement_probability`: `max(fine_max, share · R)` for large firms, `min(fine_max,
//! share · R)` for SMEs (AI Act Art. 99(6): the lower of the two caps applies to SMEs).
//!
//! Reads: [`Config`], [`Clock`], [`Firm`], [`Books`] (last month's revenue), [`Lab`],
//! [`RiskLedger`] (incidents). Writes: [`Books`] (compliance costs, fines),
//! [`RiskLedger`] (`compliance`, `fines`). Guardrails: costs are ≥ 0 (relief ≤ F); fines only
//! on incidents that happened.

pub mod params;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism::new("regulation");

use bevy_ecs::prelude::*;

use super::security::annual_revenue;
use crate::params::{FirmKind, RegimeSpec, Scenario};
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// The regime in force for a firm based in nation `nation` in `month`, if any.
pub fn regime_of(sc: &Scenario, nation: u16, month: u32) -> Option<&RegimeSpec> {
    let name = &sc.nations.get(nation as usize)?.regime;
    if name.is_empty() {
        return None;
    }
    sc.regimes
        .iter()
        .find(|r| &r.name == name)
        .filter(|r| crate::kernel::lever::in_force(month, r.from_month))
}

/// Monthly compliance cost of a firm in scope with annual revenue `revenue` and cumulative
/// training compute `flop`.
pub fn compliance_cost(r: &RegimeSpec, revenue: f64, flop: f64) -> f64 {
    let sme = revenue < r.sme_revenue_usd;
    let fixed = r.fixed_usd_per_year * if sme { 1.0 - r.sme_relief_share } else { 1.0 };
    let systemic = if flop > r.systemic_flop {
        r.systemic_usd_per_year
    } else {
        0.0
    };
    (fixed + r.proportional_share * revenue + systemic) / 12.0
}

/// The fine on one enforced incident.
pub fn fine(r: &RegimeSpec, revenue: f64) -> f64 {
    let pct = r.fine_revenue_share * revenue;
    if revenue < r.sme_revenue_usd {
        r.fine_max_usd.min(pct)
    } else {
        r.fine_max_usd.max(pct)
    }
}

/// Is this startup in its regime's sandbox (drawn once per firm, exempt while young)?
pub fn sandboxed(sc: &Scenario, r: &RegimeSpec, id: AgentId, founded: i32, month: u32) -> bool {
    let age = month as i32 - founded;
    age < r.sandbox_months as i32 && rng::stream(sc.run.seed, Stream::Sandbox, id.0, 0).uniform() < r.sandbox_share
}

/// Firms in regulated nations pay their compliance costs.
pub fn pay_compliance(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut ledger: ResMut<RiskLedger>,
    mut firms: Query<(&AgentId, &Firm, &mut Books, Option<&Lab>)>,
) {
    let sc = &cfg.0;
    let month = clock.month;
    for (id, firm, mut books, lab) in &mut firms {
        if firm.kind == FirmKind::Neocloud {
            continue;
        }
        let Some(r) = regime_of(sc, firm.nation, month) else {
            continue;
        };
        ledger.firms.entry(*id).or_default().regulated = true;
        if firm.kind == FirmKind::Startup && sandboxed(sc, r, *id, firm.founded, month) {
            continue;
        }
        // Only model makers can be systemic GPAI providers: a startup fine-tunes (the AI Act makes
        // a modifier a provider only above a third of the original's compute).
        let flop = lab.map_or(0.0, |l| l.cumulative_flop);
        let cost = compliance_cost(r, annual_revenue(&books), flop);
        if cost > 0.0 {
            books.spend(cost);
            ledger.firms.entry(*id).or_default().compliance = cost;
        }
    }
}

/// Incidents in regulated nations are fined with the enforcement probability.
pub fn levy_fines(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut ledger: ResMut<RiskLedger>,
    mut firms: Query<(&AgentId, &Firm, &mut Books)>,
) {
    let sc = &cfg.0;
    let month = clock.month;
    for (id, firm, mut books) in &mut firms {
        let Some(risk) = ledger.firms.get_mut(id) else {
            continue;
        };
        if risk.incidents == 0 {
            continue;
        }
        let Some(r) = regime_of(sc, firm.nation, month) else {
            continue;
        };
        let mut d = rng::stream(sc.run.seed, Stream::Enforcement, id.0, month);
        let revenue = annual_revenue(&books);
        let mut total = 0.0;
        for _ in 0..risk.incidents {
            if d.bernoulli(r.enforcement_probability) {
                total += fine(r, revenue);
            }
        }
        if total > 0.0 {
            books.spend(total);
            risk.fines = total;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanisms::testkit::{self, books, close, fleet, spawn_firm};
    use crate::params::NationSpec;

    fn regulated(regime: RegimeSpec) -> Scenario {
        Scenario {
            nations: vec![
                NationSpec {
                    name: "Reg".into(),
                    regime: regime.name.clone(),
                    ..Default::default()
                },
                NationSpec {
                    name: "Free".into(),
                    ..Default::default()
                },
            ],
            regimes: vec![regime],
            ..Default::default()
        }
    }

    fn eu() -> RegimeSpec {
        RegimeSpec {
            name: "eu".into(),
            sandbox_share: 0.0,
            ..Default::default()
        }
    }

    /// A startup in nation `nation` with last month's revenue.
    fn firm(w: &mut World, kind: FirmKind, nation: u16, monthly_revenue: f64) -> Entity {
        let e = spawn_firm(w, kind, 1e9, fleet(0.0, 0.0));
        w.get_mut::<Firm>(e).unwrap().nation = nation;
        w.get_mut::<Books>(e).unwrap().revenue_history[0] = monthly_revenue;
        e
    }

    #[test]
    fn a_fixed_cost_is_regressive_and_a_proportional_one_neutral() {
        let r = RegimeSpec {
            sme_relief_share: 0.0,
            ..eu()
        };
        let share = |r: &RegimeSpec, rev: f64| compliance_cost(r, rev, 0.0) * 12.0 / rev;
        assert!(
            share(&r, 1e6) > 10.0 * share(&r, 1e8),
            "a fixed cost weighs 100× more on a 100× smaller firm"
        );
        let v = RegimeSpec {
            fixed_usd_per_year: 0.0,
            proportional_share: 0.01,
            ..r.clone()
        };
        assert!(close(share(&v, 1e6), share(&v, 1e8)), "a proportional cost is neutral");
        let relief = RegimeSpec {
            sme_relief_share: 0.5,
            ..r.clone()
        };
        assert!(close(
            compliance_cost(&relief, 1e6, 0.0),
            0.5 * compliance_cost(&r, 1e6, 0.0)
        ));
        assert!(
            close(compliance_cost(&relief, 1e9, 0.0), compliance_cost(&r, 1e9, 0.0)),
            "no relief for the large"
        );
        assert!(
            close(
                compliance_cost(&r, 1e9, 2e25) - compliance_cost(&r, 1e9, 0.0),
                r.systemic_usd_per_year / 12.0
            ),
            "the systemic tier applies above 1e25 FLOP"
        );
    }

    #[test]
    fn only_firms_in_regulated_nations_pay_from_the_regime_month() {
        let mut sc = regulated(RegimeSpec { from_month: 3, ..eu() });
        sc.regimes[0].sme_relief_share = 0.0;
        let mut w = testkit::world(sc.clone());
        let inside = firm(&mut w, FirmKind::Startup, 0, 10_000.0);
        let outside = firm(&mut w, FirmKind::Startup, 1, 10_000.0);
        let lessor = firm(&mut w, FirmKind::Neocloud, 0, 10_000.0);
        w.run_system_cached(pay_compliance).unwrap();
        assert_eq!(
            books(&w, inside).costs,
            0.0,
            "the regime is not in force before month 3"
        );
        w.resource_mut::<Clock>().month = 3;
        w.run_system_cached(pay_compliance).unwrap();
        assert!(
            close(books(&w, inside).costs, sc.regimes[0].fixed_usd_per_year / 12.0),
            "a regulated startup pays F / 12, got {}",
            books(&w, inside).costs
        );
        assert_eq!(
            books(&w, outside).costs,
            0.0,
            "an unregulated nation's firm pays nothing"
        );
        assert_eq!(books(&w, lessor).costs, 0.0, "lessors are out of scope");
        let id = testkit::id_of(&w, inside);
        assert!(close(
            w.resource::<RiskLedger>().firms[&id].compliance,
            books(&w, inside).costs
        ));
    }

    #[test]
    fn only_labs_past_the_threshold_pay_the_systemic_tier() {
        let sc = regulated(eu());
        let mut w = testkit::world(sc.clone());
        let big = firm(&mut w, FirmKind::Frontier, 0, 1e9);
        let small = firm(&mut w, FirmKind::OpenWeights, 0, 1e9);
        let tuner = firm(&mut w, FirmKind::Startup, 0, 1e9);
        for (e, flop) in [(big, 2e25), (small, 5e24)] {
            w.entity_mut(e).insert(Lab {
                cumulative_flop: flop,
                ..Default::default()
            });
        }
        w.entity_mut(tuner).insert(Startup {
            base: Base::Open(AgentId(0)),
            customers: 0.0,
            team: 3.0,
            finetune_flop: 1e27,
            quality: 0.0,
            cohort: 0,
        });
        w.run_system_cached(pay_compliance).unwrap();
        let tier = sc.regimes[0].systemic_usd_per_year / 12.0;
        assert!(
            close(books(&w, big).costs - books(&w, small).costs, tier),
            "the lab above 1e25 FLOP pays F_sys / 12 more"
        );
        assert!(
            close(books(&w, tuner).costs, books(&w, small).costs),
            "a startup's fine-tuning compute never puts it in the systemic tier"
        );
    }

    #[test]
    fn sandboxed_young_startups_are_exempt() {
        let mut sc = regulated(RegimeSpec {
            sandbox_share: 1.0,
            sandbox_months: 12,
            ..eu()
        });
        sc.run.seed = 1;
        let mut w = testkit::world(sc);
        let young = firm(&mut w, FirmKind::Startup, 0, 0.0);
        let old = firm(&mut w, FirmKind::Startup, 0, 0.0);
        w.get_mut::<Firm>(young).unwrap().founded = 5;
        w.get_mut::<Firm>(old).unwrap().founded = -20;
        w.resource_mut::<Clock>().month = 10;
        w.run_system_cached(pay_compliance).unwrap();
        assert_eq!(
            books(&w, young).costs,
            0.0,
            "a 5-month-old sandboxed startup pays nothing"
        );
        assert!(
            books(&w, old).costs > 0.0,
            "a 30-month-old startup has left the sandbox"
        );
    }

    #[test]
    fn incidents_in_regulated_nations_are_fined_by_size() {
        let r = RegimeSpec {
            enforcement_probability: 1.0,
            ..eu()
        };
        assert_eq!(fine(&r, 1e6), 0.03 * 1e6, "an SME pays the lower cap");
        assert_eq!(fine(&r, 1e11), 0.03 * 1e11, "a large firm pays the higher cap");
        assert_eq!(
            fine(&r, 1e8),
            r.fine_max_usd,
            "a mid-size large firm pays the money cap"
        );
        let mut w = testkit::world(regulated(r.clone()));
        let hit = firm(&mut w, FirmKind::Frontier, 0, 1e9 / 12.0);
        let free = firm(&mut w, FirmKind::Frontier, 1, 1e9 / 12.0);
        let calm = firm(&mut w, FirmKind::Frontier, 0, 1e9 / 12.0);
        for e in [hit, free] {
            let id = testkit::id_of(&w, e);
            w.resource_mut::<RiskLedger>().firms.insert(
                id,
                FirmRisk {
                    incidents: 2,
                    ..Default::default()
                },
            );
        }
        w.run_system_cached(levy_fines).unwrap();
        assert!(
            close(books(&w, hit).costs, 2.0 * fine(&r, 1e9)),
            "two enforced incidents, two fines: {}",
            books(&w, hit).costs
        );
        assert_eq!(books(&w, free).costs, 0.0, "no fines without a regime");
        assert_eq!(books(&w, calm).costs, 0.0, "no fines without incidents");
    }
}
