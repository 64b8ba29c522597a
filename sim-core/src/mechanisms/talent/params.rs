//! This mechanism's scenario parameters: the `[talent]` table of a scenario file
//! (re-exported from [`crate::params`]; documented by `goldrush params`).

crate::section! {
    /// The talent market: researcher agents choosing employers (ODD §7.10).
    pub struct Talent {
        /// First month of the talent-visa policy (at or beyond the horizon: never).
        visa_policy_from_month: u32 = 1200;
            unit "month", range [0, 1200], source "policy clock (H-1B $100k fee from Sep 2025)";
        /// Nation whose visa cost the policy sets (a [[nations]] name; empty: every nation).
        visa_policy_nation: String = String::new();
            unit "1", range [0, 0], source "scenario";
        /// Visa cost (utils) a foreign researcher bears there while the policy applies.
        visa_policy_cost: f64 = 2.0;
            unit "utils", range [0, 100], source "EVIDENCE.md §1.7: $100k H-1B fee ≈ a year of a junior wage; assumption";
        /// Researcher agents (each stands for `people / agents` researchers).
        researcher_agents: u32 = 4_000;
            unit "agents", range [0, 10_000_000], source "scale choice (thousands of agents)";
        /// Share of a lab's staff who are researchers at month 0 (paid by the talent market; the
        /// rest stay on the lab's staff wage bill).
        lab_research_share: f64 = 0.35;
            unit "share", range [0, 1], source "assumption: research is a third of frontier-lab headcount";
        /// Researchers per startup at month 0 (part of its team, paid by the talent market).
        researchers_per_startup: f64 = 2.0;
            unit "people", range [0, 10_000], source "assumption: technical founders";
        /// Share of all researchers outside firms at month 0 (academia, between jobs).
        outside_share: f64 = 0.25;
            unit "share", range [0, 0.99], source "assumption";
        /// Share of a firm's month-0 researchers who are foreign nationals (drawn by population).
        foreign_share: f64 = 0.3;
            unit "share", range [0, 1], source "EVIDENCE.md §1.7: US hosts ~42-59% of top talent while producing ~18-20%";
        /// Log-scale spread of skill (lognormal, mean 1): the heavy tail.
        skill_sigma: f64 = 0.9;
            unit "1", range [0, 4], source "EVIDENCE.md §2.9: heavy-tailed researcher productivity";
        /// Annual probability that an employed researcher reconsiders their employer (the stay
        /// option keeps most of them; annual moves come out at 10-20%).
        reconsider_per_year: f64 = 0.45;
            unit "1/yr", range [0, 1], source "calibrated to EVIDENCE.md §1.7: 2-yr retention 64-80% (10.6-20%/yr attrition)";
        /// Monthly probability that a researcher outside firms looks for a job.
        outside_search_per_month: f64 = 0.15;
            unit "1/month", range [0, 1], source "assumption";
        /// Annual probability that a researcher leaves the market for good (retires, changes field).
        leave_per_year: f64 = 0.02;
            unit "1/yr", range [0, 1], source "assumption";
        /// Employers sampled by a reconsidering researcher (besides staying and the outside option).
        sample_employers: u32 = 5;
            unit "firms", range [1, 100], source "assumption: a handful of offers";
        /// Utility of log wage.
        beta_wage: f64 = 2.0;
            unit "utils/ln USD", range [0, 100], source "assumption";
        /// Utility of log compute per researcher.
        beta_compute: f64 = 0.4;
            unit "utils/ln H100e", range [0, 100], source "EVIDENCE.md §2.9: researchers follow compute";
        /// Utility of log peers (the employer's total researcher skill, people).
        beta_peers: f64 = 0.3;
            unit "utils/ln skill", range [0, 100], source "EVIDENCE.md §2.9: knowledge spillovers";
        /// Utility cost of moving to another hub (nation).
        moving_cost: f64 = 2.5;
            unit "utils", range [0, 100], source "assumption";
        /// Utility bonus of the current employer (firm-specific capital, unvested equity).
        stay_bonus: f64 = 1.5;
            unit "utils", range [0, 100], source "assumption; with reconsider_per_year sets attrition";
        /// A lab's month-0 research budget as a multiple of its month-0 research wage bill (sets
        /// the share of its resources, parent funding + cash / budget_horizon, it spends on
        /// researchers); the posted wage is the budget per researcher, and a lab hires only
        /// while its researchers' wage bill fits in the budget.
        lab_budget_headroom: f64 = 1.2;
            unit "x", range [0, 100], source "assumption: labs are hiring at month 0";
        /// Budget share of a lab without researchers at month 0.
        wage_budget_share: f64 = 0.02;
            unit "share", range [0, 1], source "assumption";
        /// The same share for startups (people are most of what a startup spends on).
        startup_wage_budget_share: f64 = 0.3;
            unit "share", range [0, 1], source "assumption";
        /// Months over which a firm would spend its cash (sets the cash part of the budget).
        budget_horizon_months: f64 = 36.0;
            unit "months", range [1, 1200], source "assumption";
        /// Lowest posted wage (and the outside option's wage: academia, between jobs).
        wage_floor_usd: f64 = 9_000.0;
            unit "USD/person-month", range [0, 1e7], source "assumption: academic pay ~$100k/yr";
        /// Highest posted wage of an ordinary researcher (skill 1).
        wage_cap_usd: f64 = 100_000.0;
            unit "USD/person-month", range [0, 1e9], source "EVIDENCE.md §1.7: senior lab pay ~$1-2M/yr";
        /// Elasticity of a researcher's offer to their skill: offer = posted wage x skill^this.
        wage_skill_elasticity: f64 = 0.5;
            unit "1", range [0, 3], source "assumption";
        /// Compute per researcher of the outside option.
        outside_compute_per_researcher: f64 = 0.5;
            unit "H100e/person", range [0.001, 1e6], source "assumption: academia is compute-poor";
        /// Skill quantile above which a researcher is a superstar.
        superstar_quantile: f64 = 0.99;
            unit "share", range [0, 1], source "EVIDENCE.md §1.7: a few researchers get nine-figure offers";
        /// Richest firms (by cash) that court every reconsidering superstar.
        superstar_firms: u32 = 3;
            unit "firms", range [0, 100], source "assumption";
        /// Wage multiple of a superstar offer.
        superstar_multiple: f64 = 5.0;
            unit "x", range [1, 1000], source "EVIDENCE.md §1.7: superstar pay";
        /// Probability that a failed firm's researchers are acqui-hired as a team (else they are
        /// laid off).
        acquihire_probability: f64 = 0.5;
            unit "1", range [0, 1], source "assumption: acqui-hires are a common startup exit";
        /// Hub agglomeration: productivity = skill x (researchers in the hub / reference)^alpha.
        agglomeration_alpha: f64 = 0.08;
            unit "1", range [0, 1], source "EVIDENCE.md §2.9: productivity rises with hub density";
        /// Reference hub size of the agglomeration term.
        hub_reference_people: f64 = 1_000.0;
            unit "people", range [1, 1e9], source "normalisation";
        /// Elasticity of a lab's talent factor to its researchers' productivity relative to
        /// month 0: talent = talent_0 x (P / P_0)^gamma.
        talent_elasticity: f64 = 0.1;
            unit "1", range [0, 2], source "assumption: concave returns to research headcount";
    }
}
