use sim_core::{scenario, Sim};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let min_age: i32 = args[0].parse().unwrap();
    let mut all = Vec::new();
    for seed in 1..=4u64 {
        let o: Vec<String> = ["users.consumer_agents=4000","users.enterprise_agents=200","startups.initial_count=30","run.months=60"].iter().map(|s| s.to_string()).chain(args[1..].iter().cloned()).chain([format!("run.seed={seed}")]).collect();
        let mut sim = Sim::new(scenario::load_builtin("baseline", &o).unwrap()).unwrap();
        let mut rev: std::collections::BTreeMap<u64, Vec<(u32, f64, i32)>> = Default::default();
        for _ in 0..60 { sim.step(); for r in sim.panel() { if r.kind == "startup" && r.alive { rev.entry(r.id).or_default().push((r.month, r.users, r.founded)); } } }
        for s in rev.values() {
            for w in s.windows(13).step_by(12) {
                if w[12].0 - w[0].0 != 12 { continue; }
                let age = w[0].0 as i32 - w[0].2;
                if age < min_age { continue; }
                let (a, b) = (w[0].1, w[12].1);
                if a > 0.0 && b > 0.0 { all.push((a, (b / a).ln(), w[0].0)); }
            }
        }
    }
    let g: Vec<f64> = all.iter().map(|x| x.1).collect();
    let n = g.len() as f64; let m = g.iter().sum::<f64>() / n;
    let v = g.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n;
    let k = g.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n / (v * v) - 3.0;
    let mut s = g.clone(); s.sort_by(|a,b| a.total_cmp(b));
    let q = |p: f64| s[((s.len()-1) as f64 * p) as usize];
    println!("n {} mean {m:.3} sd {:.3} exkurt {k:.2} q05 {:.2} q25 {:.2} q50 {:.2} q75 {:.2} q95 {:.2}", g.len(), v.sqrt(), q(0.05), q(0.25), q(0.5), q(0.75), q(0.95));
    all.sort_by(|a,b| a.0.total_cmp(&b.0));
    for (i, c) in all.chunks(all.len()/4 + 1).enumerate() { let gg: Vec<f64> = c.iter().map(|x| x.1).collect(); let m = gg.iter().sum::<f64>()/gg.len() as f64; let sd = (gg.iter().map(|x| (x-m).powi(2)).sum::<f64>()/gg.len() as f64).sqrt(); println!("size quartile {i}: n {} mean {m:.3} sd {sd:.3} size {:.0}..{:.0}", gg.len(), c[0].0, c[c.len()-1].0); }
}
