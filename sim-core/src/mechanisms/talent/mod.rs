//! The talent market (ODD §7.10): researcher agents choose employers.
//!
//! **Agents.** Researchers are columns, like users: skill (lognormal with mean 1, a heavy tail),
//! citizenship (`origin`), hub (the nation where they work or live), employer (`AgentId(0)`
//! outside firms: academia, between jobs), wage, month joined and status (employed, outside,
//! left the market). Each agent stands for `weight` people. Employers are labs (frontier and
//! open-weights) and startups; lessors employ no researchers.
//!
//! **Posted wages.** Each month an employer's research budget is a share of its resources:
//! `B = s_f · (parent funding + cash / budget_horizon_months)` for a lab, with `s_f` set so that
//! its month-0 budget is `lab_budget_headroom` × its month-0 research wage bill (labs then hire
//! as their cash grows and freeze as it shrinks), and `B = startup_wage_budget_share · (last
//! month's revenue + cash / budget_horizon_months)` for a startup. It posts
//! `w = clamp(B / researchers, wage_floor, wage_cap)`: rich firms bid more, and a firm that hires
//! dilutes its own offer (a guardrail against run-away). A firm makes a new offer only while
//! its researchers' wage bill plus the offer fits in `B` and, for a startup, while its
//! researchers fit in its team (vacancies); startups spend
//! `startup_wage_budget_share` of their budget on researchers, labs `wage_budget_share`. An offer to researcher `i` is
//! `w · skill_i^φ`; a superstar (skill above the `superstar_quantile` of the month-0 skills)
//! also hears from the `superstar_firms` richest employers at `superstar_multiple` times that.
//!
//! **Choice.** Employed researchers reconsider with annual probability `reconsider_per_year`,
//! researchers outside firms search with monthly probability `outside_search_per_month` (who
//! reconsiders is drawn by geometric skips, so a month costs O(reconsidering researchers)).
//! A reconsidering researcher compares staying, the outside option in their hub, and
//! `sample_employers` employers drawn with probability proportional to their research budget:
//!
//! ```text
//! U_j = β_w ln(offer_j) + β_c ln(compute per researcher_j) + β_p ln(1 + peers_j)
//!       − moving_cost · 1[nation_j ≠ hub] − visa_cost(nation_j) · 1[nation_j ≠ origin]
//!       + stay_bonus · 1[j = current] + ε_j
//! ```
//!
//! with ε Gumbel (logit). Compute per researcher is the
//! employer's compute used this month per researcher; peers are its researchers' total skill
//! (people); the current employer matches the market (offer = max(wage, its posted offer)).
//! `reconsider_per_year` and `stay_bonus` are set so annual moves come out at 10–20% of the
//! employed (EVIDENCE.md §1.7: 2-year retention 64–80%).
//!
//! **Acqui-hires.** Researchers whose employer left the market (finance's exits) move as a team:
//! to the firm that bought it when venture's acqui-hire market sold it ([`TeamTransfers`]), else
//! to a lab drawn with probability proportional to its cash with probability
//! `acquihire_probability`, else they are laid off (outside, in their hub).
//! **Leaving.** Every researcher leaves the market for good with annual probability
//! `leave_per_year` (retirement, another field; outflow).
//! **Graduating (the pipeline).** Each month nation `n` adds
//! `round(g_n · m / 12 / weight) − round(g_n · (m − 1) / 12 / weight)` new agents, `g_n` its
//! `researcher_graduates_per_year` (people) and `m` the month (cumulative rounding: the count is
//! exact over a year, no draw). A graduate's skill is lognormal like the month-0 pool's (mean 1,
//! `skill_sigma`); `g_n` counts researchers by the country of their first degree (MacroPolo's
//! "where they come from"), so a graduate is a citizen of `n` and enters outside firms in `n` at
//! the wage floor (their reservation wage), then searches like any outside researcher: moving
//! abroad costs `moving_cost` and the destination's visa cost (brain drain goes through the
//! choice, and the visa lever bites on it). Agents are appended (ids keep growing), so
//! employed + outside + left = agents still holds.
//!
//! **Productivity and research.** A researcher's productivity is `skill · (H / H_ref)^α`, `H`
//! the researchers (people) working in their hub (agglomeration). A lab's talent factor, which
//! multiplies its research quality, is `talent_0 · (P / P_0)^γ`, `P` its researchers' total
//! productivity and `P_0` its value at month 0, so the baseline starts at the scenario's
//! talent values and quality responds to who works where.
//!
//! **Wages are costs.** Each employer pays its researchers' wages through [`Books::spend`]. To
//! avoid double counting, a lab's `Staff` (paid by finance at the staff wage) is reduced at
//! month 0 by the researchers it employs, and a startup's team wage bill by its researchers.
//!
//! Reads: [`Firm`], [`Books`], [`Fleet::used`], [`Config`]. Writes: [`Researchers`],
//! [`Roster`], [`Books`] (wages), [`Lab::talent`].
//! Guardrails: offers are clamped to the wage floor and cap (superstars excepted); compute per
//! researcher and peers enter in logs with floors; talent factors stay in [0.01, 10].

pub mod params;

mod check;
mod hash;
pub mod init;
pub mod report;
pub mod state;
pub use state::{
    EmployerStats, LabReference, NO_EMPLOYER, NewResearcher, RESEARCHER_ID_BASE, Researchers, Roster, Status,
};

/// The mechanism's hooks into month 0 and the invariants (see [`Mechanism`](crate::mechanism::Mechanism)).
pub const MECHANISM: crate::mechanism::Mechanism = crate::mechanism::Mechanism {
    resources: init::resources,
    populate: init::populate,
    check: check::check,
    ..crate::mechanism::Mechanism::new("talent")
};

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::kernel::by_id::ById;
use crate::math;
use crate::params::{FirmKind, Scenario};
use crate::rng::{self, Source, Stream};
use crate::state::*;

/// A firm's resources for its research budget (USD/month): labs pace their cash and parent
/// funding; startups add last month's revenue.
pub fn resources(t: &crate::params::Talent, kind: FirmKind, b: &Books) -> f64 {
    let cash = b.cash.max(0.0) / t.budget_horizon_months;
    if kind == FirmKind::Startup {
        b.revenue_history[0] + cash
    } else {
        b.parent_funding + cash
    }
}

fn employs(kind: FirmKind) -> bool {
    kind != FirmKind::Neocloud
}

/// Monthly probability from an annual one.
fn monthly(p_year: f64) -> f64 {
    if p_year >= 1.0 {
        return 1.0;
    }
    1.0 - math::pow(1.0 - p_year.max(0.0), 1.0 / 12.0)
}

/// One employer at month 0: its id, kind, nation and research headcount (people).
pub struct InitialEmployer {
    pub id: AgentId,
    pub kind: FirmKind,
    pub nation: u16,
    pub people: f64,
}

/// The researchers at month 0. Employers (in id order) get agents in proportion to their
/// research headcount (cumulative rounding, so the total is exact); the rest are outside firms
/// in their home nation, drawn by population. A share `foreign_share` of firm researchers are
/// foreign nationals.
pub fn initial_researchers(sc: &Scenario, employers: &[InitialEmployer]) -> Researchers {
    let t = &sc.talent;
    let agents = t.researcher_agents as usize;
    let mut r = Researchers::default();
    let in_firms: f64 = employers.iter().map(|e| e.people).sum();
    if agents == 0 || in_firms <= 0.0 {
        return r;
    }
    let total = in_firms / (1.0 - t.outside_share);
    r.weight = total / agents as f64;
    let mut pop = Vec::with_capacity(sc.nations.len());
    let mut acc = 0.0;
    for n in &sc.nations {
        acc += n.population_millions.max(0.0);
        pop.push(acc);
    }
    let (lab_wage, st_wage) = (sc.finance.lab_wage_usd_per_month, sc.startups.wage_usd_per_month);
    let mut slots: Vec<(AgentId, u16, f64)> = Vec::with_capacity(agents);
    let mut cum = 0.0;
    for e in employers {
        let before = (cum / r.weight + 0.5).floor() as usize;
        cum += e.people;
        let after = ((cum / r.weight + 0.5).floor() as usize).min(agents);
        let wage = if e.kind == FirmKind::Startup { st_wage } else { lab_wage };
        for _ in before..after {
            slots.push((e.id, e.nation, wage));
        }
    }
    for i in 0..agents {
        let mut d = rng::fast_stream(sc.run.seed, Stream::TalentInit, RESEARCHER_ID_BASE + i as u64, 0);
        let skill = draw_skill(t.skill_sigma, &mut d);
        let drawn = rng::pick_cumulative(&pop, d.uniform()).unwrap_or(0) as u16;
        let (employer, hub, origin, wage, status) = match slots.get(i) {
            Some(&(id, nation, wage)) => {
                let origin = if d.uniform() < t.foreign_share { drawn } else { nation };
                (
                    id,
                    nation,
                    origin,
                    wage * math::pow(skill, t.wage_skill_elasticity),
                    Status::Employed,
                )
            }
            None => (NO_EMPLOYER, drawn, drawn, t.wage_floor_usd, Status::Outside),
        };
        let joined = -(d.uniform() * 36.0).floor() as i32;
        r.push(NewResearcher {
            skill,
            origin,
            hub,
            employer,
            wage,
            joined,
            status,
        });
    }
    let mut sorted = r.skill.clone();
    sorted.sort_by(f64::total_cmp);
    let q = ((t.superstar_quantile * agents as f64).floor() as usize).min(agents - 1);
    r.superstar_skill = sorted[q];
    r
}

/// Employers' budgets, posted wages and compute per researcher, from last month's books and
/// this month's compute; resets the month's flows.
pub fn post_wages(
    cfg: Res<Config>,
    researchers: Res<Researchers>,
    mut roster: ResMut<Roster>,
    firms: Query<(&AgentId, &Firm, &Books, &Fleet, Option<&Startup>)>,
) {
    let t = &cfg.0.talent;
    roster.moves = 0.0;
    roster.net_flow_frontier = 0.0;
    roster.acquihired = 0.0;
    roster.departures = 0.0;
    let mut people: ById<(f64, f64, f64)> = ById::default();
    for i in 0..researchers.len() {
        if researchers.status[i] == Status::Employed {
            let e = people.at(researchers.employer[i]);
            e.0 += researchers.weight;
            e.1 += researchers.weight * researchers.skill[i];
            e.2 += researchers.weight * researchers.wage[i];
        }
    }
    let mut employers = BTreeMap::new();
    for (id, firm, b, fl, startup) in &firms {
        if !employs(firm.kind) {
            continue;
        }
        let (n, skill, bill) = *people.get(*id);
        let heads = n.max(researchers.weight).max(1.0);
        let share = if firm.kind == FirmKind::Startup {
            t.startup_wage_budget_share
        } else {
            roster.reference.get(id).map_or(t.wage_budget_share, |r| r.budget_share)
        };
        let budget = share * resources(t, firm.kind, b);
        let prev = roster.employers.get(id);
        employers.insert(
            *id,
            EmployerStats {
                kind: Some(firm.kind),
                nation: firm.nation,
                cash: b.cash,
                budget,
                posted_wage: (budget / heads).clamp(t.wage_floor_usd, t.wage_cap_usd.max(t.wage_floor_usd)),
                compute_per_researcher: fl.used / heads,
                max_people: startup.map_or(f64::INFINITY, |s| s.team),
                people: n,
                skill,
                productivity: prev.map_or(0.0, |p| p.productivity),
                wage_bill: bill,
            },
        );
    }
    roster.employers = employers;
}

/// Researchers of firms that left the market join the firm that acqui-hired them (venture's
/// acqui-hires, [`TeamTransfers`]), or else are acqui-hired as a team by a lab (drawn by cash) or
/// laid off.
pub fn rehome_researchers(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut transfers: ResMut<TeamTransfers>,
    mut researchers: ResMut<Researchers>,
    mut roster: ResMut<Roster>,
) {
    let sc = &cfg.0;
    let t = &sc.talent;
    let transfers = std::mem::take(&mut transfers.0);
    let mut alive: ById<bool> = ById::default();
    for id in roster.employers.keys() {
        *alive.at(*id) = true;
    }
    let mut orphans: BTreeMap<AgentId, Vec<usize>> = BTreeMap::new();
    for i in 0..researchers.len() {
        if researchers.status[i] == Status::Employed && !*alive.get(researchers.employer[i]) {
            orphans.entry(researchers.employer[i]).or_default().push(i);
        }
    }
    if orphans.is_empty() {
        return;
    }
    let labs: Vec<AgentId> = roster
        .employers
        .iter()
        .filter(|(_, e)| matches!(e.kind, Some(FirmKind::Frontier | FirmKind::OpenWeights)) && e.cash > 0.0)
        .map(|(id, _)| *id)
        .collect();
    let mut cum = Vec::with_capacity(labs.len());
    let mut acc = 0.0;
    for id in &labs {
        acc += roster.employers[id].cash;
        cum.push(acc);
    }
    let month = clock.month;
    let r = &mut *researchers;
    for (gone, team) in orphans {
        let mut d = rng::stream(sc.run.seed, Stream::TalentAcquihire, gone.0, month);
        let bought_by = transfers
            .get(&gone)
            .filter(|a| roster.employers.contains_key(a))
            .copied();
        let acquirer = if bought_by.is_some() {
            bought_by
        } else if d.bernoulli(t.acquihire_probability) {
            rng::pick_cumulative(&cum, d.uniform()).map(|k| labs[k])
        } else {
            None
        };
        for i in team {
            r.joined[i] = month as i32;
            match acquirer {
                Some(a) => {
                    let e = roster.employers.get_mut(&a).expect("acquirer is an employer");
                    e.people += r.weight;
                    e.skill += r.weight * r.skill[i];
                    let (nation, offer, frontier) = (
                        e.nation,
                        e.posted_wage * math::pow(r.skill[i], t.wage_skill_elasticity),
                        e.kind == Some(FirmKind::Frontier),
                    );
                    e.wage_bill += r.weight * offer;
                    r.employer[i] = a;
                    r.hub[i] = nation;
                    r.wage[i] = offer;
                    roster.acquihired += r.weight;
                    if frontier {
                        roster.net_flow_frontier += r.weight;
                    }
                }
                None => {
                    r.employer[i] = NO_EMPLOYER;
                    r.status[i] = Status::Outside;
                    r.wage[i] = t.wage_floor_usd;
                }
            }
            roster.moves += r.weight;
        }
    }
}
/// The visa cost (utils) a foreign researcher bears to work in `nation` in `month`: the nation's
/// `visa_cost`, replaced by `talent.visa_policy_cost` from `talent.visa_policy_from_month` in the
/// nation named by `talent.visa_policy_nation` (every nation when empty) — the talent-visa lever.
pub fn visa_cost(sc: &crate::params::Scenario, nation: u16, month: u32) -> f64 {
    let t = &sc.talent;
    let Some(n) = sc.nations.get(nation as usize) else {
        return 0.0;
    };
    let targeted = t.visa_policy_nation.is_empty() || t.visa_policy_nation == n.name;
    if crate::kernel::lever::in_force(month, t.visa_policy_from_month) && targeted {
        t.visa_policy_cost
    } else {
        n.visa_cost
    }
}

/// New agents in `month` of a nation graduating `g_per_year` people a year, at `weight` people
/// per agent: cumulative rounding of `g · month / 12 / weight`, so a year's count is exact and
/// nothing is drawn.
pub fn graduates_this_month(g_per_year: f64, weight: f64, month: u32) -> usize {
    if month == 0 || weight <= 0.0 || g_per_year <= 0.0 {
        return 0;
    }
    let rate = g_per_year / 12.0 / weight;
    let upto = |m: u32| (rate * f64::from(m) + 0.5).floor() as usize;
    upto(month) - upto(month - 1)
}

/// A researcher's skill: lognormal with mean 1 and log-spread `sigma` (one normal draw).
fn draw_skill(sigma: f64, d: &mut rng::FastDraws) -> f64 {
    math::exp(-0.5 * sigma * sigma + sigma * d.normal())
}

/// The researcher pipeline: each nation's graduates enter the market outside firms, in the
/// nation and as its citizens, at the wage floor, with a skill drawn like the month-0 pool's
/// (see the module doc).
pub fn graduate_researchers(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut researchers: ResMut<Researchers>,
    mut roster: ResMut<Roster>,
) {
    let sc = &cfg.0;
    let t = &sc.talent;
    let month = clock.month;
    let nations = sc.nations.len();
    roster.entered = 0.0;
    roster.entered_by_nation.clear();
    roster.entered_by_nation.resize(nations, 0.0);
    let weight = researchers.weight;
    if weight <= 0.0 || sc.nations.iter().all(|n| n.researcher_graduates_per_year <= 0.0) {
        return;
    }
    let r = &mut *researchers;
    let Roster {
        outside_skill,
        entered,
        entered_by_nation,
        ..
    } = &mut *roster;
    outside_skill.resize(nations, 0.0);
    for (n, spec) in sc.nations.iter().enumerate() {
        let count = graduates_this_month(spec.researcher_graduates_per_year, weight, month);
        for _ in 0..count {
            let i = r.len() as u64;
            let mut d = rng::fast_stream(sc.run.seed, Stream::TalentEntry, RESEARCHER_ID_BASE + i, month);
            let skill = draw_skill(t.skill_sigma, &mut d);
            r.push(NewResearcher {
                skill,
                origin: n as u16,
                hub: n as u16,
                employer: NO_EMPLOYER,
                wage: t.wage_floor_usd,
                joined: month as i32,
                status: Status::Outside,
            });
            r.entered += 1;
            outside_skill[n] += weight * skill;
            *entered += weight;
            entered_by_nation[n] += weight;
        }
    }
}

/// A few researchers leave the market; the reconsidering ones choose among staying, the
/// outside option and a budget-weighted sample of employers (logit).
pub fn reconsider_employers(
    cfg: Res<Config>,
    clock: Res<Clock>,
    mut researchers: ResMut<Researchers>,
    mut roster: ResMut<Roster>,
) {
    let sc = &cfg.0;
    let t = &sc.talent;
    let n = researchers.len() as u64;
    if n == 0 {
        return;
    }
    let month = clock.month;
    let r = &mut *researchers;
    // The employers in id order, each found through a dense slot table (1 + rank; 0: not an
    // employer): an array access per lookup instead of a tree search.
    let Roster {
        employers,
        outside_skill,
        moves,
        net_flow_frontier,
        departures,
        exited,
        ..
    } = &mut *roster;
    *exited = 0.0;
    let ids: Vec<AgentId> = employers.keys().copied().collect();
    let mut slot: ById<u32> = ById::default();
    for (k, id) in ids.iter().enumerate() {
        *slot.at(*id) = k as u32 + 1;
    }
    let find = |id: AgentId| match *slot.get(id) {
        0 => None,
        k => Some(k as usize - 1),
    };
    let mut es: Vec<&mut EmployerStats> = employers.values_mut().collect();
    let frontier =
        |es: &[&mut EmployerStats], id: AgentId| find(id).and_then(|j| es[j].kind) == Some(FirmKind::Frontier);
    // Leaving the market.
    let p_leave = monthly(t.leave_per_year);
    let mut skip = rng::fast_stream(sc.run.seed, Stream::TalentLeave, 0, month);
    let mut i = skip.geometric(p_leave);
    while i < n {
        let k = i as usize;
        if r.status[k] != Status::Left {
            if r.status[k] == Status::Employed {
                if let Some(j) = find(r.employer[k]) {
                    let e = &mut *es[j];
                    e.people -= r.weight;
                    e.skill -= r.weight * r.skill[k];
                    e.wage_bill -= r.weight * r.wage[k];
                }
                if frontier(&es, r.employer[k]) {
                    *net_flow_frontier -= r.weight;
                }
            }
            if r.status[k] == Status::Employed {
                *departures += r.weight;
            }
            r.status[k] = Status::Left;
            r.employer[k] = NO_EMPLOYER;
            r.left += 1;
            *exited += r.weight;
        }
        i += 1 + skip.geometric(p_leave);
    }
    // Sampling weights: research budgets.
    let mut cum = Vec::with_capacity(ids.len());
    let mut acc = 0.0;
    for e in &es {
        acc += e.budget.max(0.0);
        cum.push(acc);
    }
    let mut by_cash: Vec<(AgentId, f64)> = ids.iter().zip(&es).map(|(id, e)| (*id, e.cash)).collect();
    by_cash.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let stars: Vec<AgentId> = by_cash.iter().take(t.superstar_firms as usize).map(|x| x.0).collect();
    // Who reconsiders: a skip at the higher of the two rates, thinned by status.
    let p_emp = monthly(t.reconsider_per_year);
    let p_out = t.outside_search_per_month;
    let p_max = p_emp.max(p_out);
    let mut skip = rng::fast_stream(sc.run.seed, Stream::TalentSelect, 0, month);
    let mut i = skip.geometric(p_max);
    let mut options: Vec<(AgentId, f64)> = Vec::with_capacity(t.sample_employers as usize + 8);
    let mut candidates: Vec<AgentId> = Vec::with_capacity(options.capacity());
    let mut offers: Vec<f64> = Vec::with_capacity(options.capacity());
    // Terms of the utilities that are the same for every chooser this month, computed once (the
    // same floats as computing them per choice): each nation's visa cost, the outside option's
    // wage and compute terms, and each employer's compute term (compute per researcher does not
    // change in this system), the latter on first use.
    let visa: Vec<f64> = (0..sc.nations.len()).map(|n| visa_cost(sc, n as u16, month)).collect();
    let visa_of = |nation: u16| visa.get(nation as usize).copied().unwrap_or(0.0);
    let out_wage = t.beta_wage * math::ln(t.wage_floor_usd.max(1.0));
    let out_compute = t.beta_compute * math::ln(t.outside_compute_per_researcher);
    let mut compute_term: Vec<Option<f64>> = vec![None; es.len()];
    while i < n {
        let k = i as usize;
        i += 1 + skip.geometric(p_max);
        let status = r.status[k];
        let mut d = rng::fast_stream(sc.run.seed, Stream::TalentChoice, RESEARCHER_ID_BASE + k as u64, month);
        let p = match status {
            Status::Employed => p_emp,
            Status::Outside => p_out,
            Status::Left => continue,
        };
        if d.uniform() * p_max >= p {
            continue;
        }
        let skill = r.skill[k];
        let (hub, origin, current) = (r.hub[k], r.origin[k], r.employer[k]);
        let base_offer = math::pow(skill, t.wage_skill_elasticity);
        let star = skill >= r.superstar_skill;
        options.clear();
        // The outside option in the researcher's hub (AgentId 0), then the current employer.
        let outside_peers = outside_skill.get(hub as usize).copied().unwrap_or(0.0);
        let visa_here = |nation: u16| {
            if nation == origin { 0.0 } else { visa_of(nation) }
        };
        let u_out = out_wage + out_compute + t.beta_peers * math::ln(1.0 + outside_peers) - visa_here(hub)
            + if current == NO_EMPLOYER { t.stay_bonus } else { 0.0 };
        options.push((NO_EMPLOYER, u_out));
        candidates.clear();
        if current != NO_EMPLOYER && find(current).is_some() {
            candidates.push(current);
        }
        for _ in 0..t.sample_employers {
            if let Some(j) = rng::pick_cumulative(&cum, d.uniform()) {
                candidates.push(ids[j]);
            }
        }
        if star {
            candidates.extend(stars.iter().copied());
        }
        candidates.sort();
        candidates.dedup();
        offers.clear();
        for &c in &candidates {
            let j = find(c).expect("a candidate is an employer");
            let e = &*es[j];
            let mut offer = e.posted_wage * base_offer;
            if star && stars.contains(&c) {
                offer *= t.superstar_multiple;
            }
            if c == current {
                offer = offer.max(r.wage[k]);
            } else if e.budget - e.wage_bill < offer * r.weight || e.people + r.weight > e.max_people + 1e-9 {
                // No vacancy: the offer does not fit in the employer's research budget (or a
                // startup's team is full).
                continue;
            }
            let u = t.beta_wage * math::ln(offer.max(1.0))
                + *compute_term[j].get_or_insert_with(|| t.beta_compute * math::ln(e.compute_per_researcher.max(1e-3)))
                + t.beta_peers * math::ln(1.0 + e.skill.max(0.0))
                - if e.nation != hub { t.moving_cost } else { 0.0 }
                - visa_here(e.nation)
                + if c == current { t.stay_bonus } else { 0.0 };
            options.push((c, u));
            offers.push(offer);
        }
        let mut best = (NO_EMPLOYER, f64::NEG_INFINITY, t.wage_floor_usd);
        for (o, &(c, u)) in options.iter().enumerate() {
            let v = u + d.gumbel();
            if v > best.1 {
                best = (c, v, if o == 0 { t.wage_floor_usd } else { offers[o - 1] });
            }
        }
        let (chosen, _, offer) = best;
        if chosen == current {
            if current != NO_EMPLOYER {
                if let Some(j) = find(current) {
                    es[j].wage_bill += r.weight * (offer - r.wage[k]);
                }
                r.wage[k] = offer;
            }
            continue;
        }
        // Move: update the aggregates later choosers see.
        let w = r.weight;
        if current != NO_EMPLOYER {
            *departures += w;
            if frontier(&es, current) {
                *net_flow_frontier -= w;
            }
            if let Some(j) = find(current) {
                let e = &mut *es[j];
                e.people -= w;
                e.skill -= w * skill;
                e.wage_bill -= w * r.wage[k];
            }
        } else if let Some(s) = outside_skill.get_mut(hub as usize) {
            *s -= w * skill;
        }
        if chosen != NO_EMPLOYER {
            if frontier(&es, chosen) {
                *net_flow_frontier += w;
            }
            let e = &mut *es[find(chosen).expect("chosen employer exists")];
            e.people += w;
            e.skill += w * skill;
            e.wage_bill += w * offer;
            r.hub[k] = e.nation;
            r.status[k] = Status::Employed;
        } else {
            r.status[k] = Status::Outside;
            if let Some(s) = outside_skill.get_mut(hub as usize) {
                *s += w * skill;
            }
        }
        r.employer[k] = chosen;
        r.wage[k] = offer;
        r.joined[k] = month as i32;
        *moves += w;
    }
}

/// Recounts employers' researchers, productivity (with hub agglomeration) and wage bills, the
/// researchers in each hub and the outside researchers' skill per hub. Read by the next
/// systems, finance (startup team bills) and the record.
pub fn tally_researchers(cfg: Res<Config>, researchers: Res<Researchers>, mut roster: ResMut<Roster>) {
    let sc = &cfg.0;
    let t = &sc.talent;
    let nations = sc.nations.len();
    let w = researchers.weight;
    let mut hub = vec![0.0; nations];
    let mut outside = vec![0.0; nations];
    for i in 0..researchers.len() {
        let h = researchers.hub[i] as usize;
        match researchers.status[i] {
            Status::Employed => hub[h] += w,
            Status::Outside => {
                hub[h] += w;
                outside[h] += w * researchers.skill[i];
            }
            Status::Left => {}
        }
    }
    let agglomeration: Vec<f64> = hub
        .iter()
        .map(|h| math::pow((h / t.hub_reference_people).max(1e-9), t.agglomeration_alpha))
        .collect();
    // Employers by slot (1 + their rank in id order; 0: not an employer), for a dense lookup.
    let mut slot: ById<u32> = ById::default();
    let mut stats: Vec<&mut EmployerStats> = Vec::with_capacity(roster.employers.len());
    for (k, (id, e)) in roster.employers.iter_mut().enumerate() {
        e.people = 0.0;
        e.skill = 0.0;
        e.productivity = 0.0;
        e.wage_bill = 0.0;
        *slot.at(*id) = k as u32 + 1;
        stats.push(e);
    }
    for i in 0..researchers.len() {
        if researchers.status[i] != Status::Employed {
            continue;
        }
        let k = *slot.get(researchers.employer[i]) as usize;
        if k > 0 {
            let e = &mut *stats[k - 1];
            e.people += w;
            e.skill += w * researchers.skill[i];
            e.productivity += w * researchers.skill[i] * agglomeration[researchers.hub[i] as usize];
            e.wage_bill += w * researchers.wage[i];
        }
    }
    roster.hub_people = hub;
    roster.outside_skill = outside;
}

/// Employers pay their researchers.
pub fn pay_researchers(roster: Res<Roster>, mut firms: Query<(&AgentId, &mut Books)>) {
    for (id, mut b) in &mut firms {
        if let Some(e) = roster.employers.get(id)
            && e.wage_bill > 0.0
        {
            b.spend(e.wage_bill);
        }
    }
}

/// Labs' talent factor follows their researchers' productivity relative to month 0.
pub fn set_lab_talent(cfg: Res<Config>, roster: Res<Roster>, mut labs: Query<(&AgentId, &mut Lab)>) {
    let gamma = cfg.0.talent.talent_elasticity;
    for (id, mut lab) in &mut labs {
        if let Some(r) = roster.reference.get(id)
            && r.productivity > 0.0
        {
            let p = roster.employers.get(id).map_or(0.0, |e| e.productivity);
            lab.talent = (r.talent * math::pow((p / r.productivity).max(1e-6), gamma)).clamp(0.01, 10.0);
        }
    }
}

/// The talent metrics of the month (read-only).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TalentStats {
    pub top3_share: f64,
    pub top_hub_share: f64,
    pub gini_firms: f64,
    pub gini_nations: f64,
    pub employed: f64,
    pub mean_wage: f64,
    pub frontier_share: f64,
}

/// Talent (skill × people) by employer among `employers` (alive, id order, with kind) and by
/// nation (where researchers are, employed or outside).
pub fn talent_stats(researchers: &Researchers, employers: &[(AgentId, FirmKind)], nations: usize) -> TalentStats {
    let w = researchers.weight;
    // Talent by employer in id order, looked up through a dense slot table (1 + rank; 0: none).
    let mut ids: Vec<AgentId> = employers.iter().map(|(id, _)| *id).collect();
    ids.sort();
    ids.dedup();
    let mut slot: ById<u32> = ById::default();
    for (k, id) in ids.iter().enumerate() {
        *slot.at(*id) = k as u32 + 1;
    }
    let mut firm_talent = vec![0.0; ids.len()];
    let mut by_nation = vec![0.0; nations];
    let (mut employed, mut wages) = (0.0, 0.0);
    for i in 0..researchers.len() {
        let talent = w * researchers.skill[i];
        match researchers.status[i] {
            Status::Employed => {
                let k = *slot.get(researchers.employer[i]) as usize;
                if k > 0 {
                    firm_talent[k - 1] += talent;
                    employed += w;
                    wages += w * researchers.wage[i];
                    by_nation[researchers.hub[i] as usize] += talent;
                }
            }
            Status::Outside => by_nation[researchers.hub[i] as usize] += talent,
            Status::Left => {}
        }
    }
    let total: f64 = firm_talent.iter().sum();
    let mut sorted = firm_talent.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let frontier: f64 = employers
        .iter()
        .filter(|(_, k)| *k == FirmKind::Frontier)
        .map(|(id, _)| firm_talent[*slot.get(*id) as usize - 1])
        .sum();
    let located: f64 = by_nation.iter().sum();
    let share = |x: f64, of: f64| if of > 0.0 { x / of } else { 0.0 };
    TalentStats {
        top3_share: share(sorted.iter().take(3).sum(), total),
        top_hub_share: share(by_nation.iter().copied().fold(0.0, f64::max), located),
        gini_firms: crate::metrics::reporters::gini(&firm_talent),
        gini_nations: crate::metrics::reporters::gini(&by_nation),
        employed,
        mean_wage: share(wages, employed),
        frontier_share: share(frontier, total),
    }
}

#[cfg(test)]
mod tests;
