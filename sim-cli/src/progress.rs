//! The progress bar on stderr (indicatif): months (or sweep runs) done / total, rate, ETA.
//!
//! Only drawn when enabled (stderr is a terminal and not `--quiet`); otherwise the bar is
//! hidden and costs nothing. It never touches stdout or the output files.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Redraws per second at most.
const REFRESH_HZ: u8 = 10;

/// Progress of a run or a sweep.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar counting months.
    pub fn new(total: u32, enabled: bool) -> Self {
        Self::with_unit(total, enabled, "months")
    }

    /// A bar counting `unit`s (e.g. `runs` for a sweep).
    pub fn with_unit(total: u32, enabled: bool, unit: &'static str) -> Self {
        let bar = if enabled {
            let bar =
                ProgressBar::with_draw_target(Some(u64::from(total)), ProgressDrawTarget::stderr_with_hz(REFRESH_HZ));
            let template = format!("[{{bar:30}}] {{pos}}/{{len}} {unit}  {{rate}}  ETA {{eta}}");
            // The template is a constant apart from the unit word; fall back to the default
            // style rather than fail a run over a progress bar.
            if let Ok(style) = ProgressStyle::with_template(&template) {
                let style = style.progress_chars("#-").with_key(
                    "rate",
                    move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1} {unit}/s", s.per_sec());
                    },
                );
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };
        Self { bar }
    }

    /// Reports `done` finished; `0` restarts the clock, so rates count stepping, not setup.
    pub fn update(&mut self, done: u32) {
        if self.bar.is_hidden() {
            return;
        }
        if done == 0 {
            self.bar.reset();
        }
        self.bar.set_position(u64::from(done));
    }

    /// Clears the bar.
    pub fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}
