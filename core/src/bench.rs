//! The message workload of `zkplay bench` (BENCHMARKS.md), in the library so that the same
//! script runs natively (the CLI, the page's end-to-end benchmark) and in wasm (the page's
//! `window.zkplay.bench`). No clock here: callers time [`run_workload`] themselves.

use crate::script::runner::Runner;
use crate::script::{RunOptions, Script};

/// The message workload: `n` servers elect a leader together, two clients connect, and then
/// write `writes` times (a create per key, then sets), one command after another.
pub fn workload(n: u8, writes: u32) -> String {
    let ids: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    let mut s = format!(
        "servers {n}\nconfig tickTime=2000 initLimit=10 syncLimit=5\n\
         network latency=1..5ms seed=1\nstart {} together\nconnect c1 to 1\nconnect c2 to {n}\n",
        ids.join(" ")
    );
    for i in 0..writes {
        let c = 1 + i % 2;
        let k = i % 64;
        let verb = if i < 64 { "create" } else { "set" };
        s.push_str(&format!("c{c}: {verb} /k{k} v{i}\n"));
    }
    s
}

/// What a run of a workload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkloadRun {
    /// Messages delivered.
    pub messages: u64,
    /// Simulation steps (deliveries and timers).
    pub steps: u64,
}

/// Runs a parsed script to its end with the event log, the invariants and the trace off (what
/// `zkplay bench --only messages` times).
pub fn run_workload(script: &Script) -> Result<WorkloadRun, String> {
    let mut r = Runner::new(script, RunOptions::default());
    r.set_record_trace(false);
    for l in &script.lines {
        r.exec(l.line, &l.directive)?;
    }
    Ok(WorkloadRun {
        messages: r.sim.messages_delivered(),
        steps: r.sim.steps(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::parse;

    #[test]
    fn the_workload_elects_and_writes() {
        let src = workload(3, 100);
        assert!(src.starts_with("servers 3\n"));
        assert!(src.contains("start 1 2 3 together\n"));
        assert!(src.contains("c1: create /k0 v0\n"));
        assert!(src.contains("c2: set /k35 v99\n"));
        let run = run_workload(&parse(&src).unwrap()).unwrap();
        // Every write goes through a proposal, two ACKs and commits to three servers.
        assert!(run.messages > 100 * 6, "{run:?}");
        assert!(run.steps >= run.messages, "{run:?}");
        // Deterministic.
        assert_eq!(run_workload(&parse(&src).unwrap()).unwrap(), run);
    }
}
