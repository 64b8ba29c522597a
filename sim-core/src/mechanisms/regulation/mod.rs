//! Regulation and compliance (ODD §7.16).
//!
//! Each nation names a regime (`[[regimes]]`, EU AI Act-like defaults; `""` = unregulated).
//! **Scope: where a firm sells, not where it is based** (the AI Act applies to providers placing
//! a system on the EU market, wherever they are established). A firm's exposure to a regime `r`
//! is the share `e_r` of its market in the nations of `r` whose regime is in force: for a firm
//! with a platform, the share of its users (consumers and seats, from the per-nation user
//! groups) in those nations; for a firm without users of its own (startups selling apps, labs
//! without a platform) its home nation (`e = 1` there — an assumption: the model does not locate
//! app customers). From the regime's `from_month` every frontier lab, open-weights lab and
//! startup with `e_r > 0` (GPU lessors are infrastructure, out of scope) pays each month, per
//! regime,
//!
//! ```text
//! C_reg,r = [F · (1 − relief · 1[R < R_sme]) + v · e_r · R + F_sys · 1[C_train > FLOP_sys]] / 12
//! ```
//!
//! with `R` the worldwide annual revenue basis (last month × 12; SME status is by worldwide
//! turnover), `e_r · R` the turnover in the regime's market, and `C_train` a lab's cumulative
//! training FLOP (startups fine-tune and are never in the systemic tier). The fixed and systemic
//! terms are paid in full by any firm that sells in the market (obligations attach to placing a
//! model on it); the proportional term scales with the sales there. A share `sandbox_share` of
//! startups — drawn once per firm — is admitted to a sandbox and exempt while younger than
//! `sandbox_months`. A fixed `F` is regressive (a larger share of a small firm's revenue); a
//! proportional `v` is neutral; the systemic tier targets frontier labs.
//!
//! **Fines.** An incident harms users where the firm sells, so each incident is enforced by
//! regime `r` with probability `enforcement_probability · e_r`. The enforced fine is a decision
//! bounded by the statutory cap, not the cap itself:
//!
//! ```text
//! fine = cap_r · min(1, s) · (1 − m · h),   s ~ LogNormal(mean fine_cap_share_mean, σ fine_cap_share_sigma)
//! cap_r = max(fine_max, share · e_r R) (large firms),  min(fine_max, share · e_r R) (SMEs, Art. 99(6))
//! ```
//!
//! with `s` the case's severity (drawn per enforced incident: nature, gravity and duration of the
//! infringement, AI Act Art. 99(7)(a)) and `m · h` the mitigation for the firm's hygiene this
//! month (technical and organisational measures and cooperation, Art. 99(7)(c)-(d)); `m` =
//! `fine_hygiene_mitigation`. Published GDPR fines sit far below their cap (CMS GDPR
//! Enforcement Tracker Report 2023: 1,576 fines, EUR 2.77bn, an average of EUR 1.76M against a
//! EUR 20M / 4% cap), hence a mean severity of a tenth of the cap with a fat tail.
//!
//! Reads: [`Config`], [`Clock`], [`Firm`], [`Books`] (last month's revenue), [`Lab`],
//! [`Platform`] and [`Users`] (users by nation), [`RiskLedger`] (incidents, hygiene). Writes:
//! [`Books`] (compliance costs, fines), [`RiskLedger`] (`compliance`, `fines`, `regulated`).
//! Guardrails: costs are ≥ 0 (relief ≤ F); exposures are shares in [0, 1] summing to at most 1;
//! a fine is at most its cap; fines only on incidents that happened.

pub mod params;

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism::new("regulation");

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::security::annual_revenue;
use super::users::Users;
use crate::params::{FirmKind, RegimeSpec, Scenario};
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// The index (in `sc.regimes`) of the regime in force in nation `nation` in `month`, if any.
pub fn regime_index(sc: &Scenario, nation: u16, month: u32) -> Option<usize> {
    let name = &sc.nations.get(nation as usize)?.regime;
    if name.is_empty() {
        return None;
    }
    sc.regimes
        .iter()
        .position(|r| &r.name == name)
        .filter(|&i| crate::kernel::lever::in_force(month, sc.regimes[i].from_month))
}

/// The regime in force in nation `nation` in `month`, if any.
pub fn regime_of(sc: &Scenario, nation: u16, month: u32) -> Option<&RegimeSpec> {
    regime_index(sc, nation, month).map(|i| &sc.regimes[i])
}

/// Users (people and seats) of every platform slot by nation: `out[nation][slot]`.
pub fn users_by_nation(users: &Users, nations: usize) -> Vec<Vec<f64>> {
    let mut out = vec![vec![0.0; users.options.saturating_sub(1)]; nations];
    for (g, grp) in users.groups.iter().enumerate() {
        let Some(row) = out.get_mut(grp.nation as usize) else {
            continue;
        };
        for (s, v) in row.iter_mut().enumerate() {
            *v += users.counts[users.cell(g, s)];
        }
    }
    out
}

/// A firm's exposure to each regime in force: regime index → share of its market in the nations
/// of that regime. A platform's market is its users by nation (`by_nation[n][slot]`); a firm
/// without users (or without a platform) sells in its home nation.
pub fn exposure(
    sc: &Scenario,
    month: u32,
    home: u16,
    slot: Option<Slot>,
    by_nation: &[Vec<f64>],
) -> BTreeMap<usize, f64> {
    let mut out = BTreeMap::new();
    let users: Vec<f64> = match slot {
        Some(s) => by_nation
            .iter()
            .map(|row| row.get(s as usize).copied().unwrap_or(0.0).max(0.0))
            .collect(),
        None => Vec::new(),
    };
    let total: f64 = users.iter().sum();
    if total > 0.0 {
        for (n, u) in users.iter().enumerate() {
            if *u > 0.0
                && let Some(r) = regime_index(sc, n as u16, month)
            {
                *out.entry(r).or_insert(0.0) += u / total;
            }
        }
    } else if let Some(r) = regime_index(sc, home, month) {
        out.insert(r, 1.0);
    }
    out
}

/// Monthly compliance cost in one regime of a firm with worldwide annual revenue `revenue`,
/// exposure `share` to the regime's market and cumulative training compute `flop`.
pub fn compliance_cost(r: &RegimeSpec, revenue: f64, share: f64, flop: f64) -> f64 {
    let sme = revenue < r.sme_revenue_usd;
    let fixed = r.fixed_usd_per_year * if sme { 1.0 - r.sme_relief_share } else { 1.0 };
    let systemic = if flop > r.systemic_flop {
        r.systemic_usd_per_year
    } else {
        0.0
    };
    (fixed + r.proportional_share * share * revenue + systemic) / 12.0
}

/// The statutory cap on one fine of a firm with worldwide annual revenue `revenue` and exposure
/// `share` to the regime's market: the higher of the money cap and `fine_revenue_share` of the
/// turnover in that market for large firms, the lower for SMEs (Art. 99(6)).
pub fn fine_cap(r: &RegimeSpec, revenue: f64, share: f64) -> f64 {
    let pct = r.fine_revenue_share * share * revenue;
    if revenue < r.sme_revenue_usd {
        r.fine_max_usd.min(pct)
    } else {
        r.fine_max_usd.max(pct)
    }
}

/// The fine on one enforced incident: the cap times the case's severity `severity` (a draw, at
/// most 1), mitigated by the firm's hygiene `hygiene`.
pub fn fine(r: &RegimeSpec, cap: f64, severity: f64, hygiene: f64) -> f64 {
    let mitigation = (1.0 - r.fine_hygiene_mitigation * hygiene).clamp(0.0, 1.0);
    cap * severity.clamp(0.0, 1.0) * mitigation
}

/// Is this startup in its regime's sandbox (drawn once per firm, exempt while young)?
pub fn sandboxed(sc: &Scenario, r: &RegimeSpec, id: AgentId, founded: i32, month: u32) -> bool {
    let age = month as i32 - founded;
    age < r.sandbox_months as i32 && rng::stream(sc.run.seed, Stream::Sandbox, id.0, 0).uniform() < r.sandbox_share
}

/// Firms that sell in regulated nations pay those regimes' compliance costs.
pub fn pay_compliance(
    cfg: Res<Config>,
    clock: Res<Clock>,
    users: Res<Users>,
    mut ledger: ResMut<RiskLedger>,
    mut firms: Query<(&AgentId, &Firm, &mut Books, Option<&Lab>, Option<&Platform>)>,
) {
    let sc = &cfg.0;
    let month = clock.month;
    if sc.regimes.is_empty() {
        return;
    }
    let by_nation = users_by_nation(&users, sc.nations.len());
    for (id, firm, mut books, lab, platform) in &mut firms {
        if firm.kind == FirmKind::Neocloud {
            continue;
        }
        let exposed = exposure(sc, month, firm.nation, platform.map(|p| p.slot), &by_nation);
        if exposed.is_empty() {
            continue;
        }
        ledger.firms.entry(*id).or_default().regulated = true;
        let revenue = annual_revenue(&books);
        // Only model makers can be systemic GPAI providers: a startup fine-tunes (the AI Act makes
        // a modifier a provider only above a third of the original's compute).
        let flop = lab.map_or(0.0, |l| l.cumulative_flop);
        let mut cost = 0.0;
        for (&i, &share) in &exposed {
            let r = &sc.regimes[i];
            if firm.kind == FirmKind::Startup && sandboxed(sc, r, *id, firm.founded, month) {
                continue;
            }
            cost += compliance_cost(r, revenue, share, flop);
        }
        if cost > 0.0 {
            books.spend(cost);
            ledger.firms.entry(*id).or_default().compliance = cost;
        }
    }
}

/// Incidents harm users where the firm sells: each regime enforces them with probability
/// `enforcement_probability · e_r`, at a severity-scaled fine below the cap.
pub fn levy_fines(
    cfg: Res<Config>,
    clock: Res<Clock>,
    users: Res<Users>,
    mut ledger: ResMut<RiskLedger>,
    mut firms: Query<(&AgentId, &Firm, &mut Books, Option<&Platform>)>,
) {
    let sc = &cfg.0;
    let month = clock.month;
    if sc.regimes.is_empty() {
        return;
    }
    let by_nation = users_by_nation(&users, sc.nations.len());
    for (id, firm, mut books, platform) in &mut firms {
        let Some(risk) = ledger.firms.get_mut(id) else {
            continue;
        };
        if risk.incidents == 0 {
            continue;
        }
        let exposed = exposure(sc, month, firm.nation, platform.map(|p| p.slot), &by_nation);
        if exposed.is_empty() {
            continue;
        }
        let mut d = rng::stream(sc.run.seed, Stream::Enforcement, id.0, month);
        let revenue = annual_revenue(&books);
        let mut total = 0.0;
        for (&i, &share) in &exposed {
            let r = &sc.regimes[i];
            let cap = fine_cap(r, revenue, share);
            for _ in 0..risk.incidents {
                if d.bernoulli(r.enforcement_probability * share) {
                    let severity = d.lognormal_mean(r.fine_cap_share_mean, r.fine_cap_share_sigma);
                    total += fine(r, cap, severity, risk.hygiene);
                }
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

    /// A firm without a platform in nation `nation` with last month's revenue.
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
        let share = |r: &RegimeSpec, rev: f64| compliance_cost(r, rev, 1.0, 0.0) * 12.0 / rev;
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
        assert!(
            close(
                compliance_cost(&v, 1e8, 0.25, 0.0),
                0.25 * compliance_cost(&v, 1e8, 1.0, 0.0)
            ),
            "the proportional cost is on the turnover in the regime's market"
        );
        let relief = RegimeSpec {
            sme_relief_share: 0.5,
            ..r.clone()
        };
        assert!(close(
            compliance_cost(&relief, 1e6, 1.0, 0.0),
            0.5 * compliance_cost(&r, 1e6, 1.0, 0.0)
        ));
        assert!(
            close(
                compliance_cost(&relief, 1e9, 1.0, 0.0),
                compliance_cost(&r, 1e9, 1.0, 0.0)
            ),
            "no relief for the large"
        );
        assert!(
            close(
                compliance_cost(&r, 1e9, 1.0, 2e25) - compliance_cost(&r, 1e9, 1.0, 0.0),
                r.systemic_usd_per_year / 12.0
            ),
            "the systemic tier applies above 1e25 FLOP"
        );
    }

    #[test]
    fn exposure_follows_users_by_nation_and_falls_back_to_home() {
        let sc = regulated(eu());
        // Slot 0 has 30 users in Reg and 70 in Free; slot 1 none anywhere.
        let by_nation = vec![vec![30.0, 0.0], vec![70.0, 0.0]];
        let e = exposure(&sc, 0, 1, Some(0), &by_nation);
        assert!(
            close(e[&0], 0.3),
            "a Free-based platform with 30% of its users in Reg: {e:?}"
        );
        assert!(
            exposure(&sc, 0, 1, Some(1), &by_nation).is_empty(),
            "no users: home nation Free"
        );
        assert!(
            close(exposure(&sc, 0, 0, Some(1), &by_nation)[&0], 1.0),
            "no users: home nation Reg"
        );
        assert!(
            close(exposure(&sc, 0, 0, None, &by_nation)[&0], 1.0),
            "a startup sells at home"
        );
        let only_free = vec![vec![0.0, 0.0], vec![70.0, 0.0]];
        assert!(
            exposure(&sc, 0, 0, Some(0), &only_free).is_empty(),
            "a Reg-based platform with no users in Reg is out of scope"
        );
    }

    /// Regression (issue 12): regulation was scoped by a firm's home nation, so a lab based in
    /// an unregulated nation escaped the regime of the nations it sells in.
    #[test]
    fn a_foreign_platform_selling_in_a_regulated_nation_pays_and_a_domestic_one_without_users_there_does_not() {
        let mut sc = testkit::small_scenario();
        sc.nations[1].foreign_platforms = true;
        sc.nations[1].regime = "eu".into();
        sc.regimes = vec![RegimeSpec {
            proportional_share: 0.01,
            ..eu()
        }];
        let mut w = testkit::world(sc.clone());
        let platforms = testkit::spawn_platforms(&mut w);
        for &e in &platforms {
            w.get_mut::<Books>(e).unwrap().revenue_history[0] = 1e8;
        }
        let by_nation = users_by_nation(w.resource::<Users>(), 2);
        w.run_system_cached(pay_compliance).unwrap();
        let alpha = platforms[0];
        assert_eq!(
            w.get::<Firm>(alpha).unwrap().nation,
            0,
            "Alpha is based in the unregulated nation"
        );
        let share = by_nation[1][0] / (by_nation[0][0] + by_nation[1][0]);
        assert!(share > 0.0 && share < 1.0, "Alpha sells in both nations: {share}");
        let flop = w.get::<Lab>(alpha).unwrap().cumulative_flop;
        let expect = compliance_cost(&sc.regimes[0], 12.0 * 1e8, share, flop);
        assert!(
            close(books(&w, alpha).costs, expect),
            "Alpha pays F / 12 plus v on its sales in the regulated nation: {} vs {expect}",
            books(&w, alpha).costs
        );
        let alpha_id = testkit::id_of(&w, alpha);
        assert!(w.resource::<RiskLedger>().firms[&alpha_id].regulated);
    }

    #[test]
    fn only_firms_selling_in_regulated_nations_pay_from_the_regime_month() {
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
            "an unregulated nation's startup pays nothing"
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
    fn the_cap_depends_on_size_and_the_market_and_a_fine_is_a_share_of_it() {
        let r = eu();
        assert_eq!(fine_cap(&r, 1e6, 1.0), 0.03 * 1e6, "an SME pays the lower cap");
        assert_eq!(fine_cap(&r, 1e11, 1.0), 0.03 * 1e11, "a large firm pays the higher cap");
        assert_eq!(
            fine_cap(&r, 1e11, 0.5),
            0.03 * 0.5e11,
            "the share is of the turnover in the market"
        );
        assert_eq!(
            fine_cap(&r, 1e8, 1.0),
            r.fine_max_usd,
            "a mid-size large firm: the money cap"
        );
        assert_eq!(fine(&r, 1e7, 5.0, 0.0), 1e7, "a fine never exceeds its cap");
        assert_eq!(fine(&r, 1e7, 0.2, 0.0), 2e6);
        assert!(
            close(fine(&r, 1e7, 0.2, 0.8), 2e6 * (1.0 - r.fine_hygiene_mitigation * 0.8)),
            "hygiene mitigates"
        );
    }

    /// Regression (issue 12): every enforced fine was at the statutory cap.
    #[test]
    fn enforced_fines_are_drawn_below_the_cap_with_the_published_mean_share() {
        let r = RegimeSpec {
            enforcement_probability: 1.0,
            fine_hygiene_mitigation: 0.0,
            ..eu()
        };
        let mut w = testkit::world(regulated(r.clone()));
        let hit: Vec<Entity> = (0..400)
            .map(|_| firm(&mut w, FirmKind::Frontier, 0, 1e9 / 12.0))
            .collect();
        let free = firm(&mut w, FirmKind::Frontier, 1, 1e9 / 12.0);
        let calm = firm(&mut w, FirmKind::Frontier, 0, 1e9 / 12.0);
        for &e in hit.iter().chain([&free]) {
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
        let cap = fine_cap(&r, 1e9, 1.0);
        let fines: Vec<f64> = hit.iter().map(|&e| books(&w, e).costs).collect();
        assert!(
            fines.iter().all(|&f| f > 0.0 && f <= 2.0 * cap),
            "two fines each, each ≤ the cap"
        );
        let below = fines.iter().filter(|&&f| f < cap).count();
        assert!(
            below > 360,
            "most fines far below the cap: {below} of 400 below one cap"
        );
        let mean = fines.iter().sum::<f64>() / (2.0 * 400.0 * cap);
        assert!(
            (0.06..0.11).contains(&mean),
            "mean fine ≈ the mean severity share (capped at 1) of the cap: {mean}"
        );
        assert_eq!(books(&w, free).costs, 0.0, "no fines without a regime");
        assert_eq!(books(&w, calm).costs, 0.0, "no fines without incidents");
    }
}
