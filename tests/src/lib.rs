//! Shared helpers for the workspace-level tests: running scripts, comparing traces the way
//! the conformance `compare.py` does, and golden files.

use std::path::{Path, PathBuf};

use serde_json::Value;
use zkplay_core::script::{RunOptions, run};

/// The `tests/` directory of the workspace.
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `*.zks` file in `dir`, sorted.
pub fn scripts_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "zks"))
        .collect();
    v.sort();
    v
}

/// Runs a script file and returns its trace (and events when asked) as lines.
pub fn run_file(path: &Path, events: bool) -> Result<Vec<String>, String> {
    let src = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let out = run(
        &name,
        &src,
        RunOptions {
            events,
            check_invariants: true,
        },
    )
    .map_err(|e| e.to_string())?;
    Ok(out.events.into_iter().chain(out.trace).collect())
}

fn parse_lines(lines: &[String]) -> Vec<Value> {
    lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn is_anchor(v: &Value) -> bool {
    v.get("line").is_some()
}

fn client_of(v: &Value) -> Option<&str> {
    v.get("client").and_then(|c| c.as_str())
}

/// Compares two traces as `compare.py` does by default: anchor lines (results and status) one
/// for one in order, and each client's own sequence of results and events. Returns the
/// differences, readably; empty when equal.
pub fn compare_traces(expected: &[String], actual: &[String]) -> Vec<String> {
    let (e, a) = (parse_lines(expected), parse_lines(actual));
    let mut diffs = Vec::new();
    let ea: Vec<&Value> = e.iter().filter(|v| is_anchor(v)).collect();
    let aa: Vec<&Value> = a.iter().filter(|v| is_anchor(v)).collect();
    for i in 0..ea.len().max(aa.len()) {
        match (ea.get(i), aa.get(i)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => diffs.push(format!(
                "result/status #{i}:\n  expected {x}\n  actual   {y}"
            )),
            (Some(x), None) => diffs.push(format!("missing: {x}")),
            (None, Some(y)) => diffs.push(format!("extra: {y}")),
            (None, None) => {}
        }
    }
    let mut clients: Vec<&str> = e.iter().chain(a.iter()).filter_map(client_of).collect();
    clients.sort();
    clients.dedup();
    for c in clients {
        let es: Vec<&Value> = e.iter().filter(|v| client_of(v) == Some(c)).collect();
        let as_: Vec<&Value> = a.iter().filter(|v| client_of(v) == Some(c)).collect();
        if es != as_ {
            let mut d = format!("client {c} sequence differs:");
            for x in &es {
                d.push_str(&format!("\n  - {x}"));
            }
            d.push_str("\n  but got:");
            for y in &as_ {
                d.push_str(&format!("\n  + {y}"));
            }
            diffs.push(d);
        }
    }
    diffs
}

/// Reads a golden file's lines (empty when missing).
pub fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default()
}
