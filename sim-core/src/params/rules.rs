//! Rules that span sections (a firm's nation exists, a nation's regime exists, the visa policy
//! names a nation), and the order in which every rule is checked. A rule that reads one section
//! only lives beside that section (`Deals::check_rules` in `mechanisms/deals/params.rs`).

use super::{ParamError, Scenario, world};
use crate::mechanisms::{platform_entry, regulation};

impl Scenario {
    /// Checks every rule beyond the ranges, pushing one error per broken rule.
    pub(super) fn check_rules(&self, errs: &mut Vec<ParamError>) {
        platform_entry::params::check_niches(&self.niches, errs);
        if !self.talent.visa_policy_nation.is_empty()
            && !self.nations.iter().any(|n| n.name == self.talent.visa_policy_nation)
        {
            errs.push(ParamError::rule(
                "talent.visa_policy_nation",
                format!("unknown nation {:?}", self.talent.visa_policy_nation),
            ));
        }
        self.deals.check_rules(errs);
        self.venture.check_rules(errs);
        self.contracts.check_rules(errs);
        self.startups.check_rules(errs);
        world::check_nations(&self.nations, errs);
        regulation::params::check_regimes(&self.regimes, errs);
        for (i, n) in self.nations.iter().enumerate() {
            if !n.regime.is_empty() && !self.regimes.iter().any(|r| r.name == n.regime) {
                let names: Vec<&str> = self.regimes.iter().map(|r| r.name.as_str()).collect();
                errs.push(ParamError::rule(
                    &format!("nations[{i}].regime"),
                    format!("unknown regime {:?}; expected \"\" or one of {:?}", n.regime, names),
                ));
            }
        }
        world::check_firms(&self.firms, &self.nations, errs);
    }
}
