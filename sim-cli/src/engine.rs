//! The run engine shared by `goldrush sweep` and `goldrush calibrate`: a list of planned runs
//! ([`RunJob`]) is executed into a `runs/` folder, in parallel, resumably and shardably.
//!
//! The contract, the same for every caller:
//! - **Plan first.** The caller lists every run before anything runs; a run's index (its place
//!   in the plan) decides its shard: `--shard I/N` runs the runs whose index mod N is I.
//! - **One run, its files, atomically.** A run returns its files (name, bytes), the completion
//!   marker last; they are written to temporary files and renamed in that order
//!   ([`write_atomically`]), so the marker's presence (with the other files) means the run is
//!   complete. A killed attempt leaves at most temporary files, removed and redone next time.
//! - **Resume skips finished runs**: a run whose files are all present is not run again, and
//!   its files are never rewritten (callers read them back; nothing on disk is recomputed).
//! - **The folder is claimed by a manifest** ([`claim_folder`]): a folder holding another
//!   sweep or calibration is refused before anything is written.
//!
//! Runs are independent and single-threaded, so results never depend on `--jobs`, on the order
//! runs finish, on resumes or on shards; only the caller's assembly step (run order) combines
//! them.

use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;

use crate::errors::{bad_input, io_message};
use crate::output::{prepare_out_dir, write_atomically};
use crate::progress::Progress;

/// One planned run.
pub trait RunJob: Sync {
    /// File-name friendly identifier, unique in the plan.
    fn id(&self) -> String;
    /// Position in the plan (decides the shard).
    fn index(&self) -> u64;
    /// Names of the files a finished run leaves in `runs/`, the completion marker last.
    fn files(&self) -> Vec<String>;
    /// Runs it; returns the contents of [`RunJob::files`], in that order.
    fn run(&self) -> anyhow::Result<Vec<Vec<u8>>>;
}

/// Whether every file of `job` is in `runs_dir`.
pub fn is_done(runs_dir: &Path, job: &dyn RunJob) -> bool {
    job.files().iter().all(|f| runs_dir.join(f).is_file())
}

/// Whether run `index` belongs to `shard` (`None`: every run).
pub fn in_shard(shard: Option<(u64, u64)>, index: u64) -> bool {
    shard.is_none_or(|(k, n)| index % n == k)
}

/// What [`execute`] did.
#[derive(Debug, Clone, Copy)]
pub struct Executed {
    /// Runs of the plan in this shard.
    pub in_shard: usize,
    /// Runs run now.
    pub ran: usize,
    /// Runs found finished and skipped.
    pub skipped: usize,
    /// Wall seconds of the parallel part.
    pub seconds: f64,
}

impl Executed {
    /// Runs per second of this execution (0 when nothing ran).
    pub fn rate(&self) -> f64 {
        if self.seconds > 0.0 {
            self.ran as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Runs every job of `plan` in `shard` that is not finished in `runs_dir` (created if
/// missing), `jobs` at a time, writing each run's files atomically as it finishes.
pub fn execute<J: RunJob>(
    runs_dir: &Path,
    plan: &[J],
    shard: Option<(u64, u64)>,
    jobs: usize,
    quiet: bool,
) -> anyhow::Result<Executed> {
    std::fs::create_dir_all(runs_dir)
        .map_err(|e| bad_input(format!("cannot create {}: {}", runs_dir.display(), io_message(&e))))?;
    let mine: Vec<&J> = plan.iter().filter(|j| in_shard(shard, j.index())).collect();
    let pending: Vec<&J> = mine.iter().copied().filter(|j| !is_done(runs_dir, *j)).collect();
    let pending_ids: std::collections::BTreeSet<String> = pending.iter().map(|j| j.id()).collect();
    remove_stale_temps(runs_dir, &|id| pending_ids.contains(id))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .context("cannot start the thread pool")?;
    let show_bar = !quiet && std::io::stderr().is_terminal();
    let progress = Mutex::new((Progress::with_unit(pending.len() as u32, show_bar, "runs"), 0u32));
    let t0 = Instant::now();
    pool.install(|| {
        pending.par_iter().try_for_each(|job| -> anyhow::Result<()> {
            let id = job.id();
            let contents = job.run().with_context(|| format!("run {id} failed"))?;
            let names = job.files();
            let files: Vec<(&str, &[u8])> = names
                .iter()
                .map(String::as_str)
                .zip(contents.iter().map(Vec::as_slice))
                .collect();
            // The marker is renamed last: its presence marks the run complete.
            write_atomically(runs_dir, &files, Vec::new())?;
            let mut p = progress.lock().unwrap_or_else(|e| e.into_inner());
            p.1 += 1;
            let done = p.1;
            p.0.update(done);
            Ok(())
        })
    })?;
    let seconds = t0.elapsed().as_secs_f64();
    progress.lock().unwrap_or_else(|e| e.into_inner()).0.finish();
    Ok(Executed {
        in_shard: mine.len(),
        ran: pending.len(),
        skipped: mine.len() - pending.len(),
        seconds,
    })
}

/// Removes temporary files of runs this process will redo (a killed earlier attempt): the
/// files `.<id>.<ext>.tmp-<pid>` whose id `mine` accepts.
pub fn remove_stale_temps(runs_dir: &Path, mine: &dyn Fn(&str) -> bool) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(runs_dir).with_context(|| format!("cannot list {}", runs_dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(rest) = name.strip_prefix('.')
            && name.contains(".tmp-")
        {
            let id = rest.split('.').next().unwrap_or("");
            if mine(id) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// How a folder is claimed: the manifest file's name and contents, and the messages for a
/// folder that holds something else.
pub struct Claim<'a> {
    /// e.g. `manifest.json`.
    pub manifest: &'a str,
    /// The manifest to write into a new folder.
    pub contents: &'a [u8],
    /// Whether an existing manifest's text describes the same work.
    pub same: &'a dyn Fn(&str) -> anyhow::Result<bool>,
    /// The refusal when it does not.
    pub different: String,
    /// The refusal for a `runs/` folder without a manifest.
    pub orphan_runs: String,
}

/// Refuses a folder that holds other work; otherwise creates it and writes the manifest if it is
/// not there yet. Nothing is written before the checks pass.
pub fn claim_folder(out: &Path, claim: &Claim<'_>) -> anyhow::Result<()> {
    let read = || -> anyhow::Result<Option<String>> {
        let p = out.join(claim.manifest);
        match std::fs::read_to_string(&p) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(bad_input(format!("cannot read {}: {}", p.display(), io_message(&e)))),
        }
    };
    let mut existing = read()?;
    if existing.is_none() && out.join("runs").exists() {
        // Another process (a shard started at the same moment) may have just claimed it.
        existing = read()?;
        if existing.is_none() {
            return Err(bad_input(claim.orphan_runs.clone()));
        }
    }
    match existing {
        Some(text) => {
            if !(claim.same)(&text)? {
                return Err(bad_input(claim.different.clone()));
            }
            Ok(())
        }
        None => {
            prepare_out_dir(out)?;
            write_atomically(out, &[(claim.manifest, claim.contents)], Vec::new())?;
            Ok(())
        }
    }
}

/// Runs at a time when `--jobs` is not given: the CPUs Slurm gave this task
/// (`SLURM_CPUS_PER_TASK`) inside a Slurm job, else every core this process may use.
pub fn default_jobs() -> usize {
    std::env::var("SLURM_CPUS_PER_TASK")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Parses `I/N` (0-based I < N).
pub fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: expected I/N, e.g. 0/4"))?;
    let i: u64 = i.trim().parse().map_err(|_| format!("{s:?}: I is not a number"))?;
    let n: u64 = n.trim().parse().map_err(|_| format!("{s:?}: N is not a number"))?;
    if n == 0 || i >= n {
        return Err(format!("{s:?}: need 0 <= I < N"));
    }
    Ok((i, n))
}

/// The shard from Slurm's job-array variables, when present and unambiguous.
///
/// Inside an array task `SLURM_ARRAY_TASK_ID` is the shard index, but the shard count cannot be
/// read from the environment in general: `SLURM_ARRAY_TASK_COUNT` counts the tasks of *this*
/// submission, so a resubmission of failed shards (`--array=3,7`) would silently run the wrong
/// runs. Only a whole array `--array=0-(N-1)` (MIN 0, MAX = COUNT - 1) is taken as shard I/N;
/// anything else is an error asking for an explicit `--shard` (as deploy/slurm's scripts pass).
pub fn shard_from_slurm() -> anyhow::Result<Option<(u64, u64)>> {
    if std::env::var_os("SLURM_ARRAY_TASK_ID").is_none() {
        return Ok(None);
    }
    let var = |name: &str| -> anyhow::Result<Option<u64>> {
        match std::env::var(name) {
            Err(_) => Ok(None),
            Ok(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| bad_input(format!("{name}={v:?} is not a number"))),
        }
    };
    let id = var("SLURM_ARRAY_TASK_ID")?.unwrap_or_default();
    let (count, min, max) = (
        var("SLURM_ARRAY_TASK_COUNT")?,
        var("SLURM_ARRAY_TASK_MIN")?,
        var("SLURM_ARRAY_TASK_MAX")?,
    );
    match (count, min, max) {
        (Some(n), Some(0), Some(max)) if n > 0 && max == n - 1 => parse_shard(&format!("{id}/{n}"))
            .map(Some)
            .map_err(|e| bad_input(format!("Slurm array task: {e}"))),
        _ => Err(bad_input(format!(
            "SLURM_ARRAY_TASK_ID={id} is set but this is not a whole array --array=0-(N-1) \
             (SLURM_ARRAY_TASK_COUNT={}, MIN={}, MAX={}), so the shard count is unknown: pass \
             it explicitly, e.g. --shard \"$SLURM_ARRAY_TASK_ID/N\" (deploy/slurm/sweep-array.sbatch does)",
            count.map_or("unset".into(), |v| v.to_string()),
            min.map_or("unset".into(), |v| v.to_string()),
            max.map_or("unset".into(), |v| v.to_string()),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_is_i_of_n_zero_based() {
        assert_eq!(parse_shard("0/4"), Ok((0, 4)));
        assert_eq!(parse_shard("3/4"), Ok((3, 4)));
        for bad in ["4/4", "1/0", "x/2", "2", "-1/3"] {
            assert!(parse_shard(bad).is_err(), "{bad} should be refused");
        }
        assert!(in_shard(Some((1, 3)), 4) && !in_shard(Some((1, 3)), 5) && in_shard(None, 5));
    }

    struct Job(u64, std::sync::Arc<std::sync::atomic::AtomicUsize>);
    impl RunJob for Job {
        fn id(&self) -> String {
            format!("j{}", self.0)
        }
        fn index(&self) -> u64 {
            self.0
        }
        fn files(&self) -> Vec<String> {
            vec![format!("j{}.txt", self.0)]
        }
        fn run(&self) -> anyhow::Result<Vec<Vec<u8>>> {
            self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(vec![format!("{}", self.0 * 10).into_bytes()])
        }
    }

    #[test]
    fn execute_runs_a_shard_then_skips_finished_runs_and_clears_stale_temps() {
        let dir = std::env::temp_dir().join(format!("goldrush-engine-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let plan: Vec<Job> = (0..5).map(|i| Job(i, count.clone())).collect();
        let e = execute(&dir, &plan, Some((0, 2)), 2, true).unwrap();
        assert_eq!((e.in_shard, e.ran, e.skipped), (3, 3, 0));
        std::fs::write(dir.join(".j1.txt.tmp-999"), b"half").unwrap();
        let e = execute(&dir, &plan, None, 1, true).unwrap();
        assert_eq!((e.in_shard, e.ran, e.skipped), (5, 2, 3));
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 5, "no run twice");
        assert!(
            !dir.join(".j1.txt.tmp-999").exists(),
            "a stale temporary file is removed"
        );
        assert_eq!(std::fs::read_to_string(dir.join("j3.txt")).unwrap(), "30");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
