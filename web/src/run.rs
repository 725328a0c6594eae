//! Running a script and turning the result into plain data for the views.

use zkplay_core::script::{self, RunOptions};

/// The file name the page gives its built-in script in error messages.
pub const DEFAULT_FILE: &str = "default.zks";

/// The script the page runs when it opens: a three-server ensemble that starts and reports.
pub const DEFAULT_SCRIPT: &str = "servers 3\nstart 1 2 3\nstatus\n";

/// One server as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerRow {
    /// The server's `myid`.
    pub id: u8,
    /// Its state as `status` prints it: `LEADING`, `FOLLOWING`, `LOOKING`, `OBSERVING` or `DOWN`.
    pub state: &'static str,
}

/// What the page shows about one run of a script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunView {
    /// Every configured server, in id order; empty when the script failed.
    pub servers: Vec<ServerRow>,
    /// The trace, one JSON object per line.
    pub trace: Vec<String>,
    /// The script error as `file:line:col: message`, if the script did not run.
    pub error: Option<String>,
}

impl RunView {
    /// Runs `src` (called `file` in error messages) and keeps what the page shows.
    pub fn run(file: &str, src: &str) -> RunView {
        match script::run(file, src, RunOptions::default()) {
            Ok(out) => RunView {
                servers: out
                    .sim
                    .server_states()
                    .into_iter()
                    .map(|(id, state)| ServerRow {
                        id: id.0,
                        state: state.name(),
                    })
                    .collect(),
                trace: out.trace,
                error: None,
            },
            Err(err) => RunView {
                error: Some(err.to_string()),
                ..RunView::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_script_lists_three_servers_in_id_order() {
        let view = RunView::run(DEFAULT_FILE, DEFAULT_SCRIPT);
        assert_eq!(view.error, None);
        let ids: Vec<u8> = view.servers.iter().map(|s| s.id).collect();
        assert_eq!(ids, [1, 2, 3]);
        let known = ["LEADING", "FOLLOWING", "LOOKING", "OBSERVING", "DOWN"];
        assert!(
            view.servers.iter().all(|s| known.contains(&s.state)),
            "{view:?}"
        );
    }
}
