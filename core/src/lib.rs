//! # zkplay-core
//!
//! A deterministic discrete-event simulator of a ZooKeeper 3.8 ensemble.
#![deny(missing_docs)]

pub mod script;
pub mod types;

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

/// The simulated ensemble (placeholder while the engine lands).
pub struct Sim {
    states: Vec<(ServerId, ServerState)>,
}

impl Sim {
    fn placeholder() -> Sim {
        Sim { states: (1..=3).map(|i| (ServerId(i), ServerState::Down)).collect() }
    }
    /// Every configured server and its state, in id order.
    pub fn server_states(&self) -> Vec<(ServerId, ServerState)> {
        self.states.clone()
    }
}
