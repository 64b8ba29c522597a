//! Startups: the app market and startup entry (MODEL.md steps 6, 13).
//!
//! **App market.** Each month `app_adoption_per_month` of the people on some AI platform start
//! using an app; startups win them in proportion to their attraction
//! `A_i = e^{θ_app (q_i − q_max)} · (1 + K_i / K_0)^α · ε_i` (fitness × preferential attachment ×
//! a lognormal growth shock with mean 1), and lose `customer_churn_per_month` of their customers.
//! This is a Simon–Yule process with fitness: it produces heavy-tailed firm sizes and
//! tent-shaped growth rates whose volatility falls with size. Revenue is
//! `K_i · arpu · served_fraction` (an unserved customer does not pay); an API-based startup pays
//! its platform `api_fee_usd_per_customer` per customer. Teams grow with revenue
//! (`revenue / revenue_per_employee`).
//!
//! **Entry.** New startups arrive as `Poisson(λ)`, `λ = entry_rate · (p_ref / p_spot)^η`: dear
//! compute deters entry. An entrant draws its seed round (lognormal), team size, home nation
//! (weighted by internet users × GDP per capita) and base model: a logit over alive platforms'
//! quality and the best open release (`base_theta_quality`, `base_open_bonus`).
//!
//! Reads: [`Users`] (adopted people), [`PlatformTable`], [`Market`]. Writes: [`Startup`],
//! startups' and platforms' [`Books`], new startup entities.

use bevy_ecs::prelude::*;

use super::users::Users;
use crate::math;
use crate::params::{FirmKind, Scenario};
use crate::rng::{self, Draws, Source, Stream};
use crate::state::*;

/// The components of a new startup.
pub type StartupBundle = (AgentId, Firm, Books, Fleet, Startup);

/// Draws a new startup's traits. `month` is its founding month (negative for initial firms).
pub fn new_startup(sc: &Scenario, table: &PlatformTable, id: AgentId, month: i32, d: &mut Draws) -> StartupBundle {
    let st = &sc.startups;
    let cash = if st.seed_cash_usd > 0.0 {
        d.lognormal_mean(st.seed_cash_usd, st.seed_cash_sigma)
    } else {
        0.0
    };
    let team = f64::from(d.int_inclusive(st.team_min, st.team_max));
    // Home nation by economic weight.
    let weights: Vec<f64> = sc
        .nations
        .iter()
        .map(|n| n.internet_users_millions * n.gdp_per_capita_usd)
        .collect();
    let nation = pick(&weights, d.uniform()).unwrap_or(0) as u16;
    // Base model: platforms by quality, or the best open release.
    let best_open = table
        .slots
        .iter()
        .filter(|s| s.alive && s.kind == Some(FirmKind::OpenWeights))
        .map(|s| s.quality)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut utils: Vec<f64> = table
        .slots
        .iter()
        .map(|s| {
            if s.alive && s.kind == Some(FirmKind::Frontier) {
                st.base_theta_quality * s.quality
            } else {
                f64::NEG_INFINITY
            }
        })
        .collect();
    utils.push(if best_open.is_finite() {
        st.base_theta_quality * best_open + st.base_open_bonus
    } else {
        f64::NEG_INFINITY
    });
    let vmax = utils.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = utils
        .iter()
        .map(|&u| if u.is_finite() { math::exp(u - vmax) } else { 0.0 })
        .collect();
    let base = match pick(&w, d.uniform()) {
        Some(k) if k < table.slots.len() => Base::Platform(k as Slot),
        _ => Base::Open,
    };
    let mut books = Books::default();
    books.fund(cash);
    (
        id,
        Firm {
            kind: FirmKind::Startup,
            name: format!("startup-{}", id.0),
            nation,
            founded: month,
        },
        books,
        Fleet {
            served_fraction: 1.0,
            ..Default::default()
        },
        Startup {
            base,
            customers: 0.0,
            team,
            finetune_flop: 0.0,
            quality: 0.0,
            cohort: month,
        },
    )
}

/// Index drawn with probability proportional to `w` from uniform `u` (None if all zero).
pub fn pick(w: &[f64], u: f64) -> Option<usize> {
    let total: f64 = w.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let x = u * total;
    let mut acc = 0.0;
    let mut last = None;
    for (i, &wi) in w.iter().enumerate() {
        if wi > 0.0 {
            acc += wi;
            last = Some(i);
            if x < acc {
                return Some(i);
            }
        }
    }
    last
}

/// App customers come and go; startups earn revenue and pay API fees to their platform.
pub fn serve_app_customers(
    cfg: Res<Config>,
    clock: Res<Clock>,
    users: Res<Users>,
    mut startups: Query<(&AgentId, &mut Startup, &Fleet, &mut Books), Without<Platform>>,
    mut platforms: Query<(&Platform, &mut Books), Without<Startup>>,
) {
    let sc = &cfg.0;
    let st = &sc.startups;
    let people = users.people_by_option();
    let adopted: f64 = people[..people.len() - 1].iter().sum();
    let inflow = st.app_adoption_per_month * adopted * st.app_market_scale;
    let mut rows: Vec<_> = startups.iter_mut().collect();
    rows.sort_by_key(|r| *r.0);
    let q_max = rows.iter().map(|r| r.1.quality).fold(f64::NEG_INFINITY, f64::max);
    let attraction: Vec<f64> = rows
        .iter()
        .map(|(id, s, _, _)| {
            let mut d = rng::stream(sc.run.seed, Stream::AppDemand, id.0, clock.month);
            let shock = d.lognormal_mean(1.0, st.acquisition_noise_sigma);
            math::exp(st.theta_app_quality * (s.quality - q_max))
                * math::pow(1.0 + s.customers / st.attachment_scale, st.attachment_alpha)
                * shock
        })
        .collect();
    let total: f64 = attraction.iter().sum();
    let mut fees = vec![0.0; 256];
    for ((_, s, fleet, books), a) in rows.iter_mut().zip(&attraction) {
        let won = if total > 0.0 { inflow * a / total } else { 0.0 };
        s.customers = s.customers * (1.0 - st.customer_churn_per_month) + won;
        let revenue = s.customers * st.arpu_usd * fleet.served_fraction;
        books.earn(revenue);
        s.team = s.team.max(revenue / st.revenue_per_employee_usd);
        if let Base::Platform(slot) = s.base {
            let fee = s.customers * st.api_fee_usd_per_customer;
            books.spend(fee);
            fees[slot as usize] += fee;
        }
    }
    for (p, mut b) in &mut platforms {
        if fees[p.slot as usize] > 0.0 {
            b.earn(fees[p.slot as usize]);
        }
    }
}

/// Poisson entry of new startups.
pub fn enter_startups(
    mut commands: Commands,
    cfg: Res<Config>,
    clock: Res<Clock>,
    market: Res<Market>,
    table: Res<PlatformTable>,
    mut dir: ResMut<Directory>,
    mut flows: ResMut<MonthFlows>,
) {
    let sc = &cfg.0;
    let st = &sc.startups;
    let lambda = st.entry_rate_per_month
        * math::pow(
            st.entry_reference_price_usd * market.cost_index / market.spot_price.max(1e-6),
            st.entry_price_elasticity,
        );
    let n = rng::stream(sc.run.seed, Stream::StartupEntry, 0, clock.month).poisson(lambda);
    for _ in 0..n {
        let id = dir.allocate();
        let mut d = rng::stream(sc.run.seed, Stream::StartupTraits, id.0, clock.month);
        let bundle = new_startup(sc, &table, id, clock.month as i32, &mut d);
        let e = commands.spawn(bundle).id();
        dir.entities.insert(id, e);
    }
    flows.entered += n;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_follows_weights() {
        assert_eq!(pick(&[0.0, 0.0], 0.5), None);
        assert_eq!(pick(&[1.0, 3.0], 0.2), Some(0));
        assert_eq!(pick(&[1.0, 3.0], 0.3), Some(1));
    }
}
