//! Error classification and reporting.
//!
//! Bad input (exit code 2) is recognised by type anywhere in an error's chain: a
//! [`ScenarioError`] or [`SimError`] from sim-core, or a [`BadInput`] raised by the CLI itself
//! (missing file, unwritable output directory). Everything else exits with 1.

use std::io::Write;

use sim_core::SimError;
use sim_core::scenario::ScenarioError;

/// A problem with what the user asked for, not with goldrush.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// An `anyhow::Error` marked as bad input.
pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// Whether any error in the chain is the user's input.
pub fn is_bad_input(e: &anyhow::Error) -> bool {
    e.downcast_ref::<BadInput>().is_some()
        || e.chain().any(|c| {
            c.downcast_ref::<BadInput>().is_some()
                || c.downcast_ref::<ScenarioError>().is_some()
                || matches!(c.downcast_ref::<SimError>(), Some(SimError::Invalid(_)))
        })
}

/// The process exit code for an error: 2 for bad input, 1 otherwise.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if is_bad_input(e) { 2 } else { 1 }
}

/// An I/O error's message without the `(os error N)` suffix, e.g. `No such file or directory`.
pub fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

/// Prints `error: ...` with the whole context chain to stderr (multi-line messages, such as a
/// list of validation errors, are kept one problem per line).
pub fn report(e: &anyhow::Error) {
    let mut text = String::from("error: ");
    let mut first = true;
    for cause in e.chain() {
        let msg = cause.to_string();
        if !first {
            // Several problems (validation) go one per line; a single cause follows ": ".
            text.push_str(if msg.contains('\n') { ":\n" } else { ": " });
        }
        text.push_str(&msg);
        first = false;
    }
    if text.contains('\n') {
        // Indent continuation lines so each problem is visibly part of this error.
        text = text.replace('\n', "\n  ");
    }
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Writes `text` to stdout; a closed pipe (`goldrush params | head`) is not an error.
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write to stdout"))
        }
        _ => Ok(()),
    }
}

/// A path as error messages show it: quoted.
pub fn shown(p: &std::path::Path) -> String {
    format!("{:?}", p.display().to_string())
}
