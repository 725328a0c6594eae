//! The ensemble's configuration: who votes, who observes, zoo.cfg timing, and the network.

use crate::ServerId;

/// Everything fixed for the lifetime of one simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// Number of voters; their ids are 1..=voters.
    pub voters: u8,
    /// Observer ids (each above `voters`).
    pub observers: Vec<ServerId>,
    /// zoo.cfg `tickTime` in ms.
    pub tick_time: u64,
    /// zoo.cfg `initLimit` in ticks.
    pub init_limit: u64,
    /// zoo.cfg `syncLimit` in ticks.
    pub sync_limit: u64,
    /// zoo.cfg `minSessionTimeout` in ms (default 2 × tickTime).
    pub min_session_timeout: Option<u64>,
    /// zoo.cfg `maxSessionTimeout` in ms (default 20 × tickTime).
    pub max_session_timeout: Option<u64>,
    /// One-way link delay range in ms (inclusive).
    pub latency: (u64, u64),
    /// Message loss probability in parts per million.
    pub loss_ppm: u32,
    /// The RNG seed.
    pub seed: u64,
    ids: Vec<ServerId>,
    index_of: Vec<u8>,
}

/// Marks "no index" in the id → index table.
const NO_INDEX: u8 = u8::MAX;

impl SimConfig {
    /// A configuration with ZooKeeper's sample timing (tickTime 2000, initLimit 10, syncLimit 5),
    /// a 1..5 ms network and seed 1.
    pub fn new(voters: u8, observers: Vec<ServerId>) -> SimConfig {
        let mut c = SimConfig {
            voters,
            observers,
            tick_time: 2000,
            init_limit: 10,
            sync_limit: 5,
            min_session_timeout: None,
            max_session_timeout: None,
            latency: (1, 5),
            loss_ppm: 0,
            seed: 1,
            ids: Vec::new(),
            index_of: Vec::new(),
        };
        c.reindex();
        c
    }

    /// Rebuilds the id tables after `voters` or `observers` changed.
    pub fn reindex(&mut self) {
        self.observers.sort();
        self.observers.dedup();
        self.ids = (1..=self.voters)
            .map(ServerId)
            .chain(self.observers.iter().copied())
            .collect();
        self.index_of = vec![NO_INDEX; 256];
        for (i, id) in self.ids.iter().enumerate() {
            self.index_of[id.0 as usize] = i as u8;
        }
    }

    /// Every server id, voters first, ascending.
    pub fn ids(&self) -> &[ServerId] {
        &self.ids
    }

    /// Number of servers.
    pub fn n_servers(&self) -> usize {
        self.ids.len()
    }

    /// The dense index of `id` (panics on an unknown id: ids come from the configuration).
    pub fn index(&self, id: ServerId) -> usize {
        let i = self.index_of[id.0 as usize];
        assert!(i != NO_INDEX, "server {id} is not configured");
        i as usize
    }

    /// The index of `id`, or None if it is not configured.
    pub fn try_index(&self, id: ServerId) -> Option<usize> {
        match self.index_of[id.0 as usize] {
            NO_INDEX => None,
            i => Some(i as usize),
        }
    }

    /// The id at a dense index.
    pub fn id_at(&self, idx: usize) -> ServerId {
        self.ids[idx]
    }

    /// True for a configured voting member.
    pub fn is_voter(&self, id: ServerId) -> bool {
        id.0 >= 1 && id.0 <= self.voters
    }

    /// The voters, ascending.
    pub fn voters(&self) -> impl Iterator<Item = ServerId> + use<> {
        (1..=self.voters).map(ServerId)
    }

    /// `QuorumMaj`: strictly more than half of the voters.
    pub fn is_quorum(&self, agreeing_voters: usize) -> bool {
        agreeing_voters > self.voters as usize / 2
    }

    /// Smallest number of voters that is a quorum.
    pub fn quorum_size(&self) -> usize {
        self.voters as usize / 2 + 1
    }

    /// Negotiated session timeout for a requested one.
    pub fn negotiate_timeout(&self, requested: u64) -> u64 {
        let min = self.min_session_timeout.unwrap_or(2 * self.tick_time);
        let max = self
            .max_session_timeout
            .unwrap_or(20 * self.tick_time)
            .max(min);
        requested.clamp(min, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quorum_is_strict_majority_of_voters_only() {
        let c = SimConfig::new(5, vec![ServerId(6), ServerId(7)]);
        assert_eq!(c.quorum_size(), 3);
        assert!(!c.is_quorum(2));
        assert!(c.is_quorum(3));
        assert!(!c.is_voter(ServerId(6)));
        assert_eq!(c.index(ServerId(7)), 6);
        for (n, q) in [(1, 1), (2, 2), (3, 2), (4, 3), (7, 4)] {
            assert_eq!(SimConfig::new(n, vec![]).quorum_size(), q);
        }
    }

    #[test]
    fn session_timeout_is_clamped_to_2_and_20_ticks() {
        let mut c = SimConfig::new(3, vec![]);
        c.tick_time = 200;
        assert_eq!(c.negotiate_timeout(30_000), 4000);
        assert_eq!(c.negotiate_timeout(100), 400);
        assert_eq!(c.negotiate_timeout(1000), 1000);
    }
}
