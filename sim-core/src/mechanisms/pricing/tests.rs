use super::*;
use crate::mechanisms::testkit::{self, close};

/// The small world's platforms (Alpha and Beta frontier, Gamma open weights) with their price
/// settings at month 0, under `sc`.
fn priced_world(sc: Scenario) -> (World, Vec<Entity>) {
    let mut w = testkit::world(sc);
    let platforms = testkit::spawn_platforms(&mut w);
    init::populate(&mut w);
    (w, platforms)
}

fn price(w: &World, e: Entity) -> (f64, f64) {
    let p = w.get::<Platform>(e).expect("a platform");
    (p.consumer_price, p.enterprise_price)
}

fn set_quality(w: &mut World, e: Entity, q: f64) {
    w.get_mut::<Lab>(e).expect("a lab").served_quality = q;
}

fn quality(w: &World, e: Entity) -> f64 {
    w.get::<Lab>(e).expect("a lab").served_quality
}

/// An open release (by `maker`) at `quality`, usable.
fn open_tier(w: &mut World, maker: AgentId, quality: f64) {
    let mut rel = OpenReleases::default();
    rel.releases.insert(
        AgentId(900),
        OpenRelease::new(maker, quality, 0, Licence::Permissive, false, false),
    );
    w.insert_resource(rel);
}

fn months(w: &mut World, n: u32) {
    for _ in 0..n {
        w.run_system_cached(set_prices).unwrap();
    }
}

/// Alpha leads Beta by `lead` points; no open tier.
fn with_lead(sc: Scenario, lead: f64) -> (World, Vec<Entity>) {
    let mut w = testkit::world(sc);
    let platforms = testkit::spawn_platforms(&mut w);
    let q = quality(&w, platforms[0]);
    set_quality(&mut w, platforms[1], q - lead);
    set_quality(&mut w, platforms[2], q - lead);
    init::populate(&mut w);
    (w, platforms)
}

#[test]
fn month_zero_prices_are_the_scenarios_and_stay_there_when_nothing_changes() {
    let sc = testkit::small_scenario();
    let (mut w, p) = with_lead(sc.clone(), 4.0);
    let f = &sc.firms[0];
    assert_eq!(price(&w, p[0]), (f.consumer_price_usd, f.enterprise_price_usd));
    months(&mut w, 12);
    let (c, e) = price(&w, p[0]);
    assert!(
        close(c, f.consumer_price_usd) && close(e, f.enterprise_price_usd),
        "the markup scale is inverted from month 0: prices stay at ({}, {}), got ({c}, {e})",
        f.consumer_price_usd,
        f.enterprise_price_usd
    );
}

#[test]
fn a_rival_closing_the_quality_gap_lowers_the_leaders_prices() {
    let sc = testkit::small_scenario();
    let (mut w, p) = with_lead(sc.clone(), 8.0);
    let q = quality(&w, p[0]);
    set_quality(&mut w, p[1], q);
    months(&mut w, 12);
    let (c, e) = price(&w, p[0]);
    assert!(
        c < sc.firms[0].consumer_price_usd && e < sc.firms[0].enterprise_price_usd,
        "a rival level with the leader cuts its consumer and seat prices: ({c}, {e})"
    );
    let s = w.get::<PriceSetting>(p[0]).unwrap();
    assert!(c >= s.consumer_cost && e >= s.seat_cost, "never below serving cost");
}

#[test]
fn an_open_release_closing_the_gap_lowers_frontier_prices_more_the_closer_it_gets() {
    let sc = testkit::small_scenario();
    let after = |gap: Option<f64>| {
        let (mut w, p) = with_lead(sc.clone(), 8.0);
        if let Some(gap) = gap {
            let (maker, q) = (*w.get::<AgentId>(p[2]).unwrap(), quality(&w, p[0]));
            open_tier(&mut w, maker, q - gap);
        }
        months(&mut w, 12);
        price(&w, p[0]).0
    };
    let (none, far, near, level) = (after(None), after(Some(10.0)), after(Some(2.0)), after(Some(0.0)));
    assert!(
        none > far && far > near && near > level,
        "the closer the open tier, the lower the price: none {none}, 10 points behind {far}, 2 behind {near}, level {level}"
    );
}

#[test]
fn prices_never_fall_below_serving_cost_and_never_exceed_the_cap() {
    let mut sc = testkit::small_scenario();
    sc.pricing.adjustment_per_month = 1.0;
    sc.pricing.open_weight = 1e3;
    let (mut w, p) = with_lead(sc.clone(), 0.0);
    // Dear compute: no chips of its own, a spot price of $300 a GPU-hour.
    w.get_mut::<Fleet>(p[0]).unwrap().owned = 0.0;
    w.resource_mut::<Market>().spot_price = 300.0;
    let maker = *w.get::<AgentId>(p[2]).unwrap();
    let q = quality(&w, p[0]);
    open_tier(&mut w, maker, q);
    months(&mut w, 3);
    let s = w.get::<PriceSetting>(p[0]).unwrap().clone();
    let (c, e) = price(&w, p[0]);
    assert!(
        s.consumer_cost > 60.0,
        "serving cost at $300/GPU-h: {}",
        s.consumer_cost
    );
    assert!(
        c >= s.consumer_cost && e >= s.seat_cost,
        "an open tier level with the frontier squeezes the markup, never the cost: ({c}, {e}) vs ({}, {})",
        s.consumer_cost,
        s.seat_cost
    );
    // A cap below the target binds (the cost being under it).
    let mut sc = testkit::small_scenario();
    sc.pricing.consumer_price_cap_usd = 12.0;
    let (mut w, p) = with_lead(sc, 0.0);
    months(&mut w, 1);
    assert_eq!(price(&w, p[0]).0, 12.0, "the cap binds at once");
}

#[test]
fn dearer_compute_passes_through_to_prices() {
    let sc = testkit::small_scenario();
    let (mut w, p) = with_lead(sc.clone(), 4.0);
    w.resource_mut::<Market>().cost_index = 3.0;
    months(&mut w, 24);
    let s = w.get::<PriceSetting>(p[0]).unwrap();
    let (c, _) = price(&w, p[0]);
    assert!(
        c > sc.firms[0].consumer_price_usd,
        "dearer running costs raise the price: {c}"
    );
    assert!(s.consumer_cost > 0.0);
}

#[test]
fn sticky_prices_stay_put_and_open_weights_assistants_keep_their_scenario_prices() {
    let mut sc = testkit::small_scenario();
    sc.firms[2].consumer_price_usd = 0.0;
    sc.pricing.adjustment_per_month = 0.0;
    let (mut w, p) = priced_world(sc.clone());
    let q = quality(&w, p[0]);
    set_quality(&mut w, p[1], q + 10.0);
    months(&mut w, 12);
    assert_eq!(
        price(&w, p[0]),
        (sc.firms[0].consumer_price_usd, sc.firms[0].enterprise_price_usd),
        "λ = 0 keeps list prices fixed"
    );
    assert!(
        w.get::<PriceSetting>(p[2]).is_none(),
        "no price setting for an open-weights maker"
    );
    assert_eq!(price(&w, p[2]).0, 0.0, "a free assistant stays free");
}

#[test]
fn closeness_is_one_for_a_better_rival_and_the_divisor_grows_with_rivals_and_the_open_tier() {
    let sc = Scenario::default();
    assert_eq!(closeness(&sc, 10.0, 12.0), 1.0);
    let scale = sc.pricing.closeness_scale_points;
    assert!(close(closeness(&sc, 10.0, 10.0 - scale), math::exp(-1.0)));
    let alone = markup_divisor(&sc, 10.0, &[], None);
    let one = markup_divisor(&sc, 10.0, &[9.0], None);
    let two = markup_divisor(&sc, 10.0, &[9.0, 9.0], None);
    let open = markup_divisor(&sc, 10.0, &[9.0, 9.0], Some(8.0));
    assert!(
        alone == 1.0 && alone < one && one < two && two < open,
        "{alone} {one} {two} {open}"
    );
    assert_eq!(invert_scale(5.0, 8.0, 2.0), 0.0, "a price below cost has no markup");
}

#[test]
fn the_blended_cost_of_a_gpu_hour_weights_owned_reserved_and_spot_compute() {
    let sc = Scenario::default();
    let market = Market {
        spot_price: 2.0,
        cost_index: 1.0,
        ..Default::default()
    };
    let fleet = Fleet {
        owned: 100.0,
        reserved: 100.0,
        reserved_price: 3.0,
        spot_bought: 200.0,
        ..Default::default()
    };
    let expect = (100.0 * sc.spot.variable_cost_usd_per_hour + 300.0 + 400.0) / 400.0;
    assert!(close(compute_cost_per_hour(&sc, &fleet, &market), expect));
    assert_eq!(
        compute_cost_per_hour(&sc, &Fleet::default(), &market),
        2.0,
        "none held: spot"
    );
}
