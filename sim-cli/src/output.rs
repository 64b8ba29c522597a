//! Output directory checks and atomic file writes.
//!
//! Every file is first written to `DIR/.NAME.tmp-<pid>` and then renamed over `DIR/NAME`, so a
//! reader never sees a half-written file. All files of a run are staged before any is renamed;
//! if anything fails, every temporary file is removed (also on panic, through `Drop`).

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::errors::{bad_input, io_message, shown};

/// Creates `dir` if needed and proves it writable with a probe file, before any work is done.
pub fn prepare_out_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(bad_input(format!("output directory {} is not a directory", shown(dir))));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        bad_input(format!(
            "cannot create output directory {}: {}",
            shown(dir),
            io_message(&e)
        ))
    })?;
    let probe = dir.join(format!(".probe.tmp-{}", std::process::id()));
    let result = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .and_then(|mut f| f.write_all(b"goldrush"));
    let _ = std::fs::remove_file(&probe);
    result.map_err(|e| {
        bad_input(format!(
            "output directory {} is not writable: {}",
            shown(dir),
            io_message(&e)
        ))
    })
}

/// Temporary files not yet renamed into place; removed on drop.
struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn write_tmp(tmp: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(tmp)?;
    f.write_all(contents)?;
    f.sync_all()
}

/// A file written piece by piece into `DIR/.NAME.tmp-<pid>` while the run goes on, and renamed
/// into place with the other outputs by [`write_atomically`]. Dropped unfinished, it removes its
/// temporary file.
pub struct StreamedFile {
    tmp: PathBuf,
    dest: PathBuf,
    out: Option<BufWriter<File>>,
}

impl StreamedFile {
    /// Creates `dir/.name.tmp-<pid>` for writing.
    pub fn create(dir: &Path, name: &str) -> anyhow::Result<Self> {
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .with_context(|| format!("cannot create {}", shown(&tmp)))?;
        Ok(Self {
            dest: dir.join(name),
            tmp,
            out: Some(BufWriter::new(f)),
        })
    }

    /// Appends `text`.
    pub fn write(&mut self, text: &str) -> anyhow::Result<()> {
        let out = self.out.as_mut().expect("streamed file is open until finished");
        out.write_all(text.as_bytes())
            .with_context(|| format!("cannot write {}", shown(&self.tmp)))
    }

    /// Flushes and syncs the temporary file; returns (temporary, destination) for renaming.
    fn finish(mut self) -> anyhow::Result<(PathBuf, PathBuf)> {
        let out = self.out.take().expect("streamed file is open until finished");
        let f = out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", shown(&self.tmp)))?;
        f.sync_all()
            .with_context(|| format!("cannot write {}", shown(&self.tmp)))?;
        Ok((std::mem::take(&mut self.tmp), std::mem::take(&mut self.dest)))
    }
}

impl Drop for StreamedFile {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes each `(name, contents)` into `dir` atomically, together with the `streamed` files
/// already written; returns the final paths.
pub fn write_atomically(
    dir: &Path,
    files: &[(&str, &[u8])],
    streamed: Vec<StreamedFile>,
) -> anyhow::Result<Vec<PathBuf>> {
    let pid = std::process::id();
    let mut staged = Staged { files: Vec::new() };
    for f in streamed {
        staged.files.push(f.finish()?);
    }
    for (name, contents) in files {
        let tmp = dir.join(format!(".{name}.tmp-{pid}"));
        let dest = dir.join(name);
        // Register before writing so a partial temporary file is removed too.
        staged.files.push((tmp.clone(), dest.clone()));
        write_tmp(&tmp, contents).with_context(|| format!("cannot write {}", shown(&tmp)))?;
    }
    let mut written = Vec::new();
    while !staged.files.is_empty() {
        let (tmp, dest) = staged.files.remove(0);
        if let Err(e) = std::fs::rename(&tmp, &dest) {
            let _ = std::fs::remove_file(&tmp);
            return Err(anyhow::Error::new(e).context(format!("cannot rename {} to {}", shown(&tmp), shown(&dest))));
        }
        written.push(dest);
    }
    Ok(written)
}
