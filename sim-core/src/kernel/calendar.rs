//! Calendar time: a month of the calendar (`YYYY-MM`), the label of a simulated month.
//!
//! The model counts months from 0; a scenario's `run.start` names the calendar month of month 0,
//! so month `m` is `run.start + m`. Dates are labels only — no rule reads them — and they let
//! outputs, charts and target moments speak in calendar time (ODD §2, §6).

use std::fmt;

/// A calendar month, written `YYYY-MM` (years 1900–2999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Calendar year.
    pub year: u16,
    /// Month of the year, 1–12.
    pub month: u8,
}

impl YearMonth {
    /// `year`-`month`; `None` unless 1900 ≤ year ≤ 2999 and 1 ≤ month ≤ 12.
    pub const fn new(year: u16, month: u8) -> Option<Self> {
        if year >= 1900 && year <= 2999 && month >= 1 && month <= 12 {
            Some(Self { year, month })
        } else {
            None
        }
    }

    /// Parses `YYYY-MM` (exactly four digits, a dash, two digits).
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not a calendar month: expected YYYY-MM, e.g. 2026-01, years 1900-2999");
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
            return Err(bad());
        }
        let year: u16 = s[..4].parse().map_err(|_| bad())?;
        let month: u8 = s[5..].parse().map_err(|_| bad())?;
        Self::new(year, month).ok_or_else(bad)
    }

    /// Months since 1 January of year 0 (a total order with unit steps).
    pub const fn ordinal(self) -> i32 {
        self.year as i32 * 12 + (self.month as i32 - 1)
    }

    /// The calendar month `months` after this one (negative: before), if it stays in range.
    pub fn plus(self, months: i32) -> Option<Self> {
        let o = self.ordinal() + months;
        if o < 0 {
            return None;
        }
        let year = u16::try_from(o / 12).ok()?;
        Self::new(year, (o % 12) as u8 + 1)
    }

    /// Months from `earlier` to `self` (negative when `self` is before `earlier`).
    pub const fn months_since(self, earlier: Self) -> i32 {
        self.ordinal() - earlier.ordinal()
    }

    /// The label of simulated month `month` of a run starting at `self` (saturating at 2999-12).
    pub fn label_of(self, month: u32) -> Self {
        self.plus(i32::try_from(month).unwrap_or(i32::MAX))
            .unwrap_or(Self { year: 2999, month: 12 })
    }

    /// Calendar years as a decimal (2026-01 → 2026.0, 2026-07 → 2026.5), for chart axes.
    pub fn decimal_year(self) -> f64 {
        f64::from(self.year) + f64::from(self.month - 1) / 12.0
    }
}

impl Default for YearMonth {
    /// January 2026, the baseline's first month.
    fn default() -> Self {
        Self { year: 2026, month: 1 }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for YearMonth {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

impl serde::Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl crate::params::spec::Checkable for YearMonth {
    /// Checked when parsed; as a number, its decimal year.
    fn numeric(&self) -> Option<f64> {
        Some(self.decimal_year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prints_and_counts_months() {
        let a = YearMonth::parse("2023-01").unwrap();
        assert_eq!(a.to_string(), "2023-01");
        assert_eq!(a.label_of(36).to_string(), "2026-01", "36 months after 2023-01");
        assert_eq!(a.label_of(11).to_string(), "2023-12");
        assert_eq!(YearMonth::parse("2026-01").unwrap().months_since(a), 36);
        assert_eq!(a.plus(-1).unwrap().to_string(), "2022-12");
        assert!((YearMonth::parse("2026-07").unwrap().decimal_year() - 2026.5).abs() < 1e-12);
    }

    #[test]
    fn rejects_what_is_not_a_month() {
        for bad in [
            "2023-13",
            "2023-00",
            "23-01",
            "2023/01",
            "2023-1",
            "1899-12",
            "3000-01",
            "2023-01-01",
            "",
        ] {
            assert!(YearMonth::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
