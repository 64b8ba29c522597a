//! A hand-written progress bar on stderr: months (or sweep runs) done / total, rate, ETA.

use std::io::Write;
use std::time::{Duration, Instant};

const WIDTH: usize = 30;
const REDRAW: Duration = Duration::from_millis(100);

/// Progress of a run; draws only when enabled (stderr is a terminal and not --quiet).
pub struct Progress {
    enabled: bool,
    total: u32,
    unit: &'static str,
    start: Instant,
    last_draw: Option<Instant>,
}

/// `1h02m`, `3m05s` or `12s`.
pub fn format_eta(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "?".into();
    }
    let s = seconds.round() as u64;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

impl Progress {
    pub fn new(total: u32, enabled: bool) -> Self {
        Self::with_unit(total, enabled, "months")
    }

    /// A bar counting `unit`s (e.g. `runs` for a sweep).
    pub fn with_unit(total: u32, enabled: bool, unit: &'static str) -> Self {
        Self {
            enabled,
            total,
            unit,
            start: Instant::now(),
            last_draw: None,
        }
    }

    /// Reports `done` months finished; redraws at most every 100 ms (and always at the end).
    pub fn update(&mut self, done: u32) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if done == 0 {
            // Rates count stepping only, not setup.
            self.start = now;
        }
        if done < self.total && self.last_draw.is_some_and(|t| now - t < REDRAW) {
            return;
        }
        self.last_draw = Some(now);
        let elapsed = (now - self.start).as_secs_f64();
        let rate = if elapsed > 0.0 { f64::from(done) / elapsed } else { 0.0 };
        let left = f64::from(self.total.saturating_sub(done));
        let eta = if rate > 0.0 {
            format_eta(left / rate)
        } else {
            "?".into()
        };
        let filled = if self.total == 0 {
            WIDTH
        } else {
            (done as usize * WIDTH) / self.total as usize
        };
        let bar: String = "#".repeat(filled) + &"-".repeat(WIDTH - filled.min(WIDTH));
        let _ = write!(
            std::io::stderr().lock(),
            "\r[{bar}] {done}/{total} {unit}  {rate:.1} {unit}/s  ETA {eta}   ",
            total = self.total,
            unit = self.unit
        );
    }

    /// Clears the bar.
    pub fn finish(&mut self) {
        if self.enabled && self.last_draw.is_some() {
            let _ = write!(std::io::stderr().lock(), "\r{}\r", " ".repeat(WIDTH + 60));
        }
        self.last_draw = None;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
