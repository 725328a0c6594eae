//! Runs a parsed script against a [`Sim`](crate::Sim) and produces its trace.
//! (Placeholder while the engine lands; the signatures are the contract.)

use crate::{ServerId, ServerState};

/// What running a script produced.
pub struct RunOutput {
    /// The JSON-lines trace, one object per line, without trailing newlines.
    pub trace: Vec<String>,
    /// Low-level events as JSON lines (only with `RunOptions::events`).
    pub events: Vec<String>,
    /// The simulation as the script left it.
    pub sim: crate::Sim,
}

/// Options for [`run`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Also record low-level events (sent, delivered, state changes, …).
    pub events: bool,
}

/// A script that failed to parse or failed while running; `Display` gives `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    /// The file name as given.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.message)
    }
}

/// Parses and runs `src` (named `file` in error messages).
pub fn run(file: &str, src: &str, opts: RunOptions) -> Result<RunOutput, RunError> {
    let _ = (file, src, opts);
    Ok(RunOutput { trace: Vec::new(), events: Vec::new(), sim: crate::Sim::placeholder() })
}

#[allow(dead_code)]
fn _contract(sim: &crate::Sim) -> Vec<(ServerId, ServerState)> {
    sim.server_states()
}
