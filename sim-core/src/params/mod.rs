//! Scenario parameters: the typed, validated input of a run.
//!
//! A scenario is a TOML document deserialised into [`Scenario`] (unknown keys are errors), then
//! checked by [`Scenario::validate`]: every numeric field against the range in its
//! [`FieldSpec`](spec::FieldSpec), plus cross-field rules (firms name existing nations, term
//! bounds are ordered, …). Units: money in US dollars, compute in H100-equivalent GPUs
//! ("H100e"), time in months, utilities in logit units ("utils").
//!
//! Each section is declared once, with its docs, units, ranges and sources, in the `params.rs`
//! of the mechanism it drives (`mechanisms/deals/params.rs` holds `[deals]`); the nations and
//! firms, which every mechanism reads, are in [`world`]. This module assembles them into
//! [`Scenario`] from one list (the `scenario!` invocation below), which also yields
//! [`SECTIONS`] and the range checks of [`Scenario::validate`]; rules that span sections are in
//! `rules.rs`, rules within one section beside it (`Deals::check_rules`). The re-exports below
//! keep every section reachable as `crate::params::Name`.

pub mod error;
mod rules;
pub mod spec;
pub mod world;

use serde::{Deserialize, Serialize};

pub use crate::mechanisms::allocation::params::{Allocation, ExportControls};
pub use crate::mechanisms::clock::params::Run;
pub use crate::mechanisms::contracts::params::Contracts;
pub use crate::mechanisms::deals::params::{Deals, Rule as DealRule};
pub use crate::mechanisms::finance::params::Finance;
pub use crate::mechanisms::open_source::params::OpenSource;
pub use crate::mechanisms::platform_entry::params::{NicheSpec, PlatformEntry};
pub use crate::mechanisms::pricing::params::Pricing;
pub use crate::mechanisms::public_compute::params::PublicCompute;
pub use crate::mechanisms::regulation::params::RegimeSpec;
pub use crate::mechanisms::research::params::Research;
pub use crate::mechanisms::security::params::Security;
pub use crate::mechanisms::spot::params::{Lessors, Spot};
pub use crate::mechanisms::startups::params::Startups;
pub use crate::mechanisms::supply::params::{Supply, SupplyShock};
pub use crate::mechanisms::talent::params::Talent;
pub use crate::mechanisms::users::params::{Interop, Users};
pub use crate::mechanisms::venture::params::Venture;
pub use error::{ParamError, fmt_num, join_path};
pub use spec::FieldSpec;
pub use world::{FirmKind, FirmSpec, NationSpec};

/// Declares [`Scenario`], [`SECTIONS`] and `Scenario::check_ranges` from one list of sections,
/// so that a section is named once: `field: Type` for a table (`[run]`), `field: [Type]` for an
/// array of tables (`[[nations]]`). The order of the list is the order of the fields in a
/// serialised scenario (`goldrush show`, summary.json), of `SECTIONS` (`goldrush params`,
/// docs/PARAMETERS.md) and of the range errors.
macro_rules! scenario {
    (@type [$t:ident]) => { Vec<$t> };
    (@type $t:ident) => { $t };
    (@fields [$t:ident]) => { $t::FIELDS };
    (@fields $t:ident) => { $t::FIELDS };
    (@path $field:ident [$t:ident]) => { concat!(stringify!($field), "[]") };
    (@path $field:ident $t:ident) => { stringify!($field) };
    (@check [$t:ident], $value:expr, $name:expr, $errs:expr) => {
        for (i, entry) in $value.iter().enumerate() {
            entry.check_ranges(&format!("{}[{i}]", $name), $errs);
        }
    };
    (@check $t:ident, $value:expr, $name:expr, $errs:expr) => {
        $value.check_ranges($name, $errs)
    };
    ($( $(#[doc = $doc:literal])* $field:ident : $kind:tt ),* $(,)?) => {
        /// A whole scenario: every parameter of a run.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Scenario {
            /// Name of the scenario this one extends (resolved by the loader; never serialised).
            #[serde(default, skip_serializing)]
            pub extends: Option<String>,
            /// Short name.
            #[serde(default)]
            pub name: String,
            /// One-paragraph description (the Info panel's "what is it").
            #[serde(default)]
            pub description: String,
            $(
                $(#[doc = $doc])*
                #[serde(default)]
                pub $field: scenario!(@type $kind),
            )*
        }

        /// Every section of the schema, in document order.
        pub const SECTIONS: &[SectionDoc] = &[
            $( SectionDoc { path: scenario!(@path $field $kind), fields: scenario!(@fields $kind) }, )*
        ];

        impl Scenario {
            /// Range-checks every field of every section, in the order of the list.
            fn check_ranges(&self, errs: &mut Vec<ParamError>) {
                $( scenario!(@check $kind, self.$field, stringify!($field), errs); )*
            }
        }
    };
}

scenario! {
    /// `[run]`: horizon and seed (the clock).
    run: Run,
    /// `[supply]`: the vendor's chip supply.
    supply: Supply,
    /// `[allocation]`: the vendor's allocation of scarce chips.
    allocation: Allocation,
    /// `[export_controls]`: chip export controls by nation tier.
    export_controls: ExportControls,
    /// `[public_compute]`: a public compute pool for startups.
    public_compute: PublicCompute,
    /// `[contracts]`: reserved (take-or-pay) compute contracts.
    contracts: Contracts,
    /// `[spot]`: the spot compute market.
    spot: Spot,
    /// `[lessors]`: GPU lessors (neoclouds).
    lessors: Lessors,
    /// `[research]`: effective compute, algorithmic progress and model quality.
    research: Research,
    /// `[users]`: platform choice under switching costs and network effects.
    users: Users,
    /// `[interop]`: the interoperability and portability mandate.
    interop: Interop,
    /// `[pricing]`: frontier platforms' subscription and seat prices.
    pricing: Pricing,
    /// `[deals]`: nation-state partnerships and the nation-deal rules.
    deals: Deals,
    /// `[startups]`: the app market.
    startups: Startups,
    /// `[finance]`: wages and strategic funding of labs and clouds.
    finance: Finance,
    /// `[talent]`: the market for researchers.
    talent: Talent,
    /// `[venture]`: venture finance and sentiment.
    venture: Venture,
    /// `[security]`: security incidents.
    security: Security,
    /// `[platform_entry]`: platform entry into app niches, acquisitions and API cut-offs.
    platform_entry: PlatformEntry,
    /// `[open_source]`: the open-weights ecosystem.
    open_source: OpenSource,
    /// Regulation regimes that nations refer to by name.
    regimes: [RegimeSpec],
    /// Scheduled supply shocks.
    shocks: [SupplyShock],
    /// Nations.
    nations: [NationSpec],
    /// Named incumbent firms.
    firms: [FirmSpec],
    /// App niches (verticals); empty: one generic niche (see [`Scenario::app_niches`]).
    niches: [NicheSpec],
}

/// A section's name and field table, for documentation.
pub struct SectionDoc {
    /// TOML path of the section (`[[x]]` arrays are written `x[]`).
    pub path: &'static str,
    /// Field specs.
    pub fields: &'static [FieldSpec],
}

/// Finds the spec of a key path such as `users.theta_price_consumer` or `firms[3].cash_usd`.
pub fn find_spec(path: &str) -> Option<&'static FieldSpec> {
    let (section, field) = path.rsplit_once('.')?;
    let section = match section.find('[') {
        Some(i) => format!("{}[]", &section[..i]),
        None => section.to_string(),
    };
    SECTIONS
        .iter()
        .find(|s| s.path == section)?
        .fields
        .iter()
        .find(|f| f.name == field)
}

impl Scenario {
    /// Checks every range and cross-field rule; returns all problems found.
    pub fn validate(&self) -> Result<(), Vec<ParamError>> {
        let mut errs = Vec::new();
        self.check_ranges(&mut errs);
        self.check_rules(&mut errs);
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// The app niches of the run: the `[[niches]]` array, or one generic niche ("general",
    /// specificity 0.5) when it is empty.
    pub fn app_niches(&self) -> Vec<NicheSpec> {
        if self.niches.is_empty() {
            vec![NicheSpec {
                name: "general".into(),
                ..Default::default()
            }]
        } else {
            self.niches.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_unit_a_source_and_a_doc() {
        for s in SECTIONS {
            for f in s.fields {
                assert!(
                    !f.unit.is_empty() && !f.source.is_empty() && !f.doc.is_empty(),
                    "{}.{} undocumented",
                    s.path,
                    f.name
                );
                assert!(f.min <= f.max, "{}.{} has an empty range", s.path, f.name);
            }
        }
    }

    #[test]
    fn find_spec_resolves_sections_and_arrays() {
        assert_eq!(find_spec("users.theta_network").unwrap().name, "theta_network");
        assert_eq!(find_spec("firms[3].cash_usd").unwrap().unit, "USD");
        assert!(find_spec("users.nope").is_none());
    }

    #[test]
    fn out_of_range_and_non_finite_values_are_named() {
        let mut s = Scenario {
            nations: vec![NationSpec {
                name: "A".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        s.firms.push(FirmSpec {
            name: "F".into(),
            nation: "A".into(),
            ..Default::default()
        });
        assert!(s.validate().is_ok());
        s.users.reconsider_consumer = 1.5;
        s.spot.wtp_frontier_usd = f64::NAN;
        let errs = s.validate().unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.path == "users.reconsider_consumer" && e.allowed.as_deref() == Some("0 to 1 share/month"))
        );
        assert!(
            errs.iter()
                .any(|e| e.path == "spot.wtp_frontier_usd" && e.message.contains("finite"))
        );
    }
}
