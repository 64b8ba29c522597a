//! What the recorder reads besides the state: this month's counters (filled by every
//! mechanism; zeroed when the month opens) and the firm panel's rows.

use bevy_ecs::prelude::*;

use crate::kernel::state::{AgentId, Books, Firm, Fleet, Staff};
use crate::mechanisms::finance::state::ExitCause;
use crate::mechanisms::research::state::Lab;
use crate::mechanisms::startups::state::Startup;
use crate::mechanisms::users::state::Platform;
use crate::params::FirmKind;

/// Monthly counters filled by mechanisms and read by the recorder.
#[derive(Resource, Clone, Debug, Default)]
pub struct MonthFlows {
    /// Compute requested and obtained by large (top-5) and small firms (vendor + spot).
    pub requested_large: f64,
    pub obtained_large: f64,
    pub requested_small: f64,
    pub obtained_small: f64,
    /// People who switched platform this month.
    pub switched_people: f64,
    pub entered: u32,
    /// Exits of firms of any kind this month, by cause (indexed by [`ExitCause::index`]).
    pub exits: [u32; ExitCause::COUNT],
    /// Exits of startups this month, their ages in months, and their causes.
    pub startup_exits: u32,
    pub startup_exit_ages: Vec<u32>,
    pub startup_exits_by_cause: [u32; ExitCause::COUNT],
    /// Venture funding (rounds, not seed) raised by startups this month.
    pub venture_funding: f64,
    /// Panel rows of the firms that left the market this month, taken just before they left
    /// (`alive = false`), in the order they exited.
    pub exited_rows: Vec<PanelRow>,
    /// GPUs delivered by the vendor this month, summed over deliveries as they were booked.
    pub delivered: f64,
    /// Spot GPUs bought and sold this month, summed over fills as they were booked.
    pub spot_bought: f64,
    pub spot_sold: f64,
    /// Nation-state deals: data-centre investment of new deals, renewal fees, and subscription
    /// revenue partners did not bill to citizens during free months (USD this month).
    pub deal_investment: f64,
    pub deal_fees: f64,
    pub deal_foregone: f64,
    /// Deals signed (not renewals) this month.
    pub deals_signed: u32,
    /// Citizens moved onto a partner by seeded adoption this month (people).
    pub deal_seeded_people: f64,
    /// Platform entries into app niches this month.
    pub platform_entries: u32,
    /// Strategic acquisitions of startups by frontier labs, and API cut-offs that followed.
    pub strategic_acquisitions: u32,
    pub api_cutoffs: u32,
    /// Startup exits this month by class: wrappers (API-based, small fine-tuning increment),
    /// wrappers in a niche a platform's own app is in ("exposed"), and the other startups.
    pub wrapper_exits: u32,
    pub exposed_wrapper_exits: u32,
    pub nonwrapper_exits: u32,
    // --- issue 12 (compute): exiting firms' fleets in the fire sale (finance::exit_firms) ---
    /// GPUs of exiting firms sold to other firms this month, and those nobody wanted (scrapped).
    pub fleet_sold: f64,
    pub fleet_scrapped: f64,
}

impl MonthFlows {
    /// Exits of firms of any kind this month for `cause`.
    pub fn exits_for(&self, cause: ExitCause) -> u32 {
        self.exits[cause.index()]
    }

    /// Records the exit of a firm of `kind`, aged `age` months, for `cause`.
    pub fn record_exit(&mut self, kind: FirmKind, age: u32, cause: ExitCause) {
        self.exits[cause.index()] += 1;
        if kind == FirmKind::Startup {
            self.startup_exits += 1;
            self.startup_exit_ages.push(age);
            self.startup_exits_by_cause[cause.index()] += 1;
        }
    }
}

/// One firm in one month: a row of the firm panel (`goldrush run --panel`). Alive firms are
/// taken at the end of the month; a firm that exits appears once more, in its exit month, with
/// `alive = false` and its state just before it left.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PanelRow {
    pub month: u32,
    pub id: u64,
    pub kind: &'static str,
    pub nation: u16,
    /// Month founded (negative: before the run started).
    pub founded: i32,
    /// Platform users (people) or app customers.
    pub users: f64,
    pub revenue: f64,
    pub cash: f64,
    /// Compute used this month (H100e).
    pub compute: f64,
    /// Employees: staff of labs and clouds, team of startups.
    pub employees: f64,
    /// Research talent factor of labs (0 for other firms).
    pub talent: f64,
    /// Served model quality (labs) or product quality (startups).
    pub quality: f64,
    pub alive: bool,
    /// Why it exited (`""` while alive).
    pub exit_cause: &'static str,
}

/// The columns of a [`PanelRow`], in order.
pub const PANEL_COLUMNS: &[&str] = &[
    "month",
    "date",
    "id",
    "kind",
    "nation",
    "founded",
    "users",
    "revenue",
    "cash",
    "compute",
    "employees",
    "talent",
    "quality",
    "alive",
    "exit_cause",
];

impl PanelRow {
    /// The row of a firm from its components; `exit` is the cause if it is leaving now.
    #[allow(clippy::too_many_arguments)]
    pub fn of(
        month: u32,
        id: AgentId,
        firm: &Firm,
        books: &Books,
        fleet: &Fleet,
        lab: Option<&Lab>,
        platform: Option<&Platform>,
        startup: Option<&Startup>,
        staff: Option<&Staff>,
        exit: Option<ExitCause>,
    ) -> Self {
        Self {
            month,
            id: id.0,
            kind: firm.kind.as_str(),
            nation: firm.nation,
            founded: firm.founded,
            users: platform
                .map(|p| p.consumers + p.seats)
                .or(startup.map(|s| s.customers))
                .unwrap_or(0.0),
            revenue: books.revenue,
            cash: books.cash,
            compute: fleet.used,
            employees: startup.map(|s| s.team).or(staff.map(|s| s.0)).unwrap_or(0.0),
            talent: lab.map_or(0.0, |l| l.talent),
            quality: lab
                .map(|l| l.served_quality)
                .or(startup.map(|s| s.quality))
                .unwrap_or(0.0),
            alive: exit.is_none(),
            exit_cause: exit.map_or("", ExitCause::as_str),
        }
    }

    /// The row as CSV fields (floats in Rust's shortest round-trip form); its `date` is the
    /// calendar month of `month` in a run starting at `start` (the scenario's `run.start`).
    pub fn csv_line(&self, start: crate::kernel::calendar::YearMonth) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            self.month,
            start.label_of(self.month),
            self.id,
            self.kind,
            self.nation,
            self.founded,
            self.users,
            self.revenue,
            self.cash,
            self.compute,
            self.employees,
            self.talent,
            self.quality,
            self.alive,
            self.exit_cause
        )
    }
}
