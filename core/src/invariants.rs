//! Safety invariants checked after every step in tests and by the fault checker
//! (spec/zab.md §10, spec/election.md): one established leader per epoch, observers never
//! lead, agreement on one committed history that never loses a transaction, ephemerals owned
//! by live sessions.
//!
//! The checker runs after every step, so it is incremental. It keeps the committed history:
//! every zxid a serving server has delivered, in order. Each server's delivered sequence
//! only grows between resets ([`Delivered::resets`] counts them), so the checker only looks
//! at what is new; and most steps (pings, votes, client traffic) change nothing the
//! invariants read, which a per-server fingerprint detects. A step costs O(servers) plus the
//! transactions delivered since the last step.

use std::collections::BTreeMap;

use crate::server::{Server, ZabPhase};
use crate::sim::Sim;
use crate::{ServerId, ServerState, Zxid};

/// Ghost state: the zxids a server applied, in order. It only grows, except that a reload
/// from the dataDir or a SNAP starts it afresh ([`Delivered::clear`]), which bumps
/// [`Delivered::resets`] so that the invariant checker knows to look from the start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivered {
    zxids: Vec<Zxid>,
    resets: u32,
}

impl Delivered {
    /// Appends a delivered transaction.
    pub fn push(&mut self, z: Zxid) {
        self.zxids.push(z);
    }

    /// Starts afresh.
    pub fn clear(&mut self) {
        self.zxids.clear();
        self.resets = self.resets.wrapping_add(1);
    }

    /// How many times the sequence was started afresh.
    pub fn resets(&self) -> u32 {
        self.resets
    }
}

impl std::ops::Deref for Delivered {
    type Target = [Zxid];
    fn deref(&self) -> &[Zxid] {
        &self.zxids
    }
}

/// Everything about a server that the invariants read. Most steps change none of it for any
/// server, and then there is nothing to check again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    up: bool,
    state: ServerState,
    zab: ZabPhase,
    leading: Option<(bool, Option<u32>)>,
    resets: u32,
    len: usize,
    last_processed: Zxid,
}

impl Fingerprint {
    fn of(s: &Server) -> Fingerprint {
        Fingerprint {
            up: s.up,
            state: s.state,
            zab: s.zab,
            leading: s.leader_state().map(|l| (l.serving, l.epoch)),
            resets: s.delivered.resets(),
            len: s.delivered.len(),
            last_processed: s.db.last_processed,
        }
    }
}

/// How far one server's delivered sequence has been checked against the committed history
/// (only while it serves), and the database state whose ephemerals were last checked.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    /// `Some((resets, len, index in the committed history of its last delivery))`.
    checked: Option<(u32, usize, usize)>,
    ephemerals_checked: Option<(u32, usize, Zxid)>,
}

/// Invariant bookkeeping that spans steps.
#[derive(Debug, Clone, Default)]
pub struct Checker {
    leaders: BTreeMap<u32, ServerId>,
    /// The last (epoch, leader) confirmed against `leaders`.
    last_leader: Option<(u32, ServerId)>,
    /// The committed history: every zxid a serving server delivered, strictly increasing.
    committed: Vec<Zxid>,
    seen: Vec<Seen>,
    fingerprints: Vec<Option<Fingerprint>>,
}

impl Checker {
    /// Checks every invariant against the simulation as it is now.
    pub fn check(&mut self, sim: &Sim) -> Result<(), String> {
        self.check_changed(sim, None)
    }

    /// [`Checker::check`] when only server `idx` (an index into [`Sim::servers`]) can have
    /// changed since the last check: the other servers' fingerprints are not recomputed.
    pub fn check_server(&mut self, sim: &Sim, idx: usize) -> Result<(), String> {
        self.check_changed(sim, Some(idx))
    }

    fn check_changed(&mut self, sim: &Sim, only: Option<usize>) -> Result<(), String> {
        let servers = sim.servers();
        let n = servers.len();
        if self.seen.len() != n {
            self.seen = vec![Seen::default(); n];
            self.fingerprints = vec![None; n];
        }
        let mut changed = false;
        for (i, s) in servers.iter().enumerate() {
            if only.is_some_and(|o| o != i) {
                continue;
            }
            let now = Some(Fingerprint::of(s));
            if self.fingerprints[i] != now {
                self.fingerprints[i] = now;
                changed = true;
            }
        }
        if !changed {
            return Ok(());
        }
        for s in servers.iter().filter(|s| s.up) {
            if s.observer && s.state == ServerState::Leading {
                return Err(format!("observer {} is LEADING", s.id));
            }
            if let Some(l) = s.leader_state()
                && l.serving
            {
                let epoch = l.epoch.unwrap_or(0);
                if self.last_leader != Some((epoch, s.id)) {
                    self.check_leader(epoch, s.id)?;
                }
            }
        }
        // One committed history: what a serving server delivered is committed, and every
        // server that serves delivers a contiguous run of that history, skipping nothing and
        // adding nothing out of order, even across elections. A server that does not serve is
        // left out: one that dropped out of a leader's quorum fast-forwards its database with
        // logged proposals that may never commit (as ZooKeeper does), and the next sync
        // truncates them before it serves again.
        for (i, s) in servers.iter().enumerate() {
            if !s.is_serving() {
                self.seen[i].checked = None;
                continue;
            }
            self.check_history(i, s)?;
        }
        // Every ephemeral belongs to a session the server knows. Sessions and ephemerals only
        // change with a transaction (which is delivered) or a new database (which resets the
        // delivered sequence), so a server is checked again only when one of those moved.
        for (i, s) in servers.iter().enumerate() {
            if !s.is_serving() {
                self.seen[i].ephemerals_checked = None;
                continue;
            }
            let key = (s.delivered.resets(), s.delivered.len(), s.db.last_processed);
            if self.seen[i].ephemerals_checked == Some(key) {
                continue;
            }
            self.seen[i].ephemerals_checked = Some(key);
            for owner in s.db.tree.ephemeral_sessions() {
                if !s.db.sessions.contains_key(&owner) {
                    let path = s.db.tree.ephemerals_of(owner).into_iter().next();
                    return Err(format!(
                        "server {}: ephemeral {} owned by dead session {owner}",
                        s.id,
                        path.unwrap_or_default()
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_leader(&mut self, epoch: u32, id: ServerId) -> Result<(), String> {
        match self.leaders.get(&epoch) {
            Some(other) if *other != id => {
                return Err(format!(
                    "two established leaders in epoch {epoch}: {other} and {id}"
                ));
            }
            Some(_) => {}
            None => {
                self.leaders.insert(epoch, id);
            }
        }
        self.last_leader = Some((epoch, id));
        Ok(())
    }

    /// Checks what serving server `i` delivered since the last check against the committed
    /// history, extending the history with anything newer.
    fn check_history(&mut self, i: usize, s: &Server) -> Result<(), String> {
        let d = &s.delivered;
        let (from, mut prev) = match self.seen[i].checked {
            Some((resets, len, at)) if resets == d.resets() && len <= d.len() => (len, Some(at)),
            // Newly serving or started afresh: its first delivery follows a snapshot (or is
            // the first transaction), so only what comes after it must be contiguous.
            _ => (0, None),
        };
        for &z in &d[from..] {
            let at = match self.committed.binary_search(&z) {
                Ok(at) => at,
                Err(at) if at == self.committed.len() => {
                    self.committed.push(z);
                    at
                }
                Err(at) => {
                    return Err(format!(
                        "server {} delivered {z}, which is not in the committed history \
                         (it would come before {})",
                        s.id, self.committed[at]
                    ));
                }
            };
            if let Some(p) = prev
                && at != p + 1
            {
                return Err(if at <= p {
                    format!(
                        "server {} delivered {z} again, after {}",
                        s.id, self.committed[p]
                    )
                } else {
                    format!(
                        "server {} delivered {z} after {}, skipping committed {}",
                        s.id,
                        self.committed[p],
                        self.committed[p + 1]
                    )
                });
            }
            prev = Some(at);
        }
        self.seen[i].checked = prev.map(|at| (d.resets(), d.len(), at));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn z(e: u32, c: u32) -> Zxid {
        Zxid::new(e, c)
    }

    /// A checker with `history` already committed, and a server that delivered `delivered`.
    fn new_test_history(history: &[Zxid], delivered: &[Zxid]) -> Result<(), String> {
        let mut c = Checker {
            committed: history.to_vec(),
            seen: vec![Seen::default()],
            ..Checker::default()
        };
        let mut s = Server::new(ServerId(1), &crate::SimConfig::new(1, vec![]));
        for &x in delivered {
            s.delivered.push(x);
        }
        c.check_history(0, &s)
    }

    #[test]
    fn a_serving_server_delivers_a_contiguous_run_of_the_committed_history() {
        let h = [z(1, 1), z(1, 2), z(1, 3), z(2, 1)];
        assert_eq!(new_test_history(&h, &h), Ok(()));
        // After a snapshot it starts anywhere; newer transactions extend the history.
        assert_eq!(new_test_history(&h, &[z(1, 3), z(2, 1), z(2, 2)]), Ok(()));
        // A committed transaction lost (a stale leader's history truncated it).
        let e = new_test_history(&h, &[z(1, 1), z(1, 2), z(2, 1)]).unwrap_err();
        assert!(e.contains("skipping committed 0x100000003"), "{e}");
        // A transaction the history never had, older than its newest.
        let e = new_test_history(&h, &[z(1, 1), z(1, 4)]).unwrap_err();
        assert!(e.contains("not in the committed history"), "{e}");
    }
}
