//! # zkplay-core
//!
//! A deterministic discrete-event simulator of a ZooKeeper 3.8 ensemble: FastLeaderElection,
//! Zab (discovery, synchronization, broadcast), the data tree, sessions and watches, driven by
//! `.zks` scenario scripts and producing JSON-lines traces.
//!
//! ```
//! use zkplay_core::script::{run, RunOptions};
//! let out = run("demo.zks", "servers 3\nstart 1 2 3\nstatus\n", RunOptions::default()).unwrap();
//! assert_eq!(out.trace[0], r#"{"line":3,"status":{"1":"FOLLOWING","2":"LEADING","3":"FOLLOWING"},"leader":2,"epoch":1}"#);
//! ```
#![deny(missing_docs)]

pub mod acl;
pub mod bench;
pub mod check;
pub mod client;
pub mod config;
pub mod election;
pub mod event;
pub mod fourlw;
pub mod invariants;
pub mod lessons;
pub mod msg;
pub mod recipe;
pub mod rng;
pub mod script;
pub mod serve;
pub mod server;
pub mod sim;
pub mod tree;
pub mod txn;
pub mod types;
pub mod watch;
pub mod zab;
pub mod zoocfg;

pub use config::SimConfig;
pub use sim::{Input, Sim};
pub use types::{ErrorCode, ServerId, SessionId, SimTime, Zxid};

use std::fmt;

/// A server's peer state, as ZooKeeper names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServerState {
    /// Not running (crashed, or never started).
    Down,
    /// Running an election.
    Looking,
    /// Following a leader.
    Following,
    /// Leading.
    Leading,
    /// Observing a leader.
    Observing,
}

impl ServerState {
    /// The name as `status` prints it.
    pub fn name(self) -> &'static str {
        match self {
            ServerState::Down => "DOWN",
            ServerState::Looking => "LOOKING",
            ServerState::Following => "FOLLOWING",
            ServerState::Leading => "LEADING",
            ServerState::Observing => "OBSERVING",
        }
    }
}

impl fmt::Display for ServerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
