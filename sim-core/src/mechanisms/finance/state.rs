//! Why a firm left the market.

/// Why a firm left the market. To add a cause, add a variant, list it in [`ExitCause::ALL`]
/// with its name, and record it with [`MonthFlows::record_exit`]: the counters are arrays
/// indexed by cause, so nothing else has to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitCause {
    /// Cash ran out and no round came.
    Cash,
    /// A lessor after sustained prices below its break-even.
    BreakEven,
    /// A startup in distress bought for its team (see `mechanisms::venture`).
    AcquiHire,
    /// Cash ran out because of the month's incident losses and fines (see `mechanisms::security`).
    Incident,
    /// A startup's cash ran out within `platform_entry.attribution_months` after a platform
    /// entered its app niche (see `mechanisms::platform_entry`).
    PlatformEntry,
}

impl ExitCause {
    /// Every cause, in index order.
    pub const ALL: [ExitCause; 5] = [
        ExitCause::Cash,
        ExitCause::BreakEven,
        ExitCause::AcquiHire,
        ExitCause::Incident,
        ExitCause::PlatformEntry,
    ];
    /// Number of causes.
    pub const COUNT: usize = Self::ALL.len();

    /// Position in [`ExitCause::ALL`] and in the counters.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Name as written in outputs.
    pub const fn as_str(self) -> &'static str {
        match self {
            ExitCause::Cash => "cash",
            ExitCause::BreakEven => "break_even",
            ExitCause::AcquiHire => "acqui_hire",
            ExitCause::Incident => "incident",
            ExitCause::PlatformEntry => "platform_entry",
        }
    }
}
