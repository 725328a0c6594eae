//! Safety invariants checked after every step in tests and by the fault checker
//! (spec/zab.md §10, spec/election.md): one established leader per epoch, observers never
//! lead, agreement on the committed prefix, ephemerals owned by live sessions.

use std::collections::BTreeMap;

use crate::sim::Sim;
use crate::{ServerId, ServerState};

/// Invariant bookkeeping that spans steps (who became leader in which epoch).
#[derive(Debug, Clone, Default)]
pub struct Checker {
    leaders: BTreeMap<u32, ServerId>,
}

impl Checker {
    /// Checks every invariant against the simulation as it is now.
    pub fn check(&mut self, sim: &Sim) -> Result<(), String> {
        for s in sim.servers() {
            if !s.up {
                continue;
            }
            if s.observer && s.state == ServerState::Leading {
                return Err(format!("observer {} is LEADING", s.id));
            }
            if let Some(l) = s.leader_state()
                && l.serving
            {
                let epoch = l.epoch.unwrap_or(0);
                match self.leaders.get(&epoch) {
                    Some(other) if *other != s.id => {
                        return Err(format!(
                            "two established leaders in epoch {epoch}: {other} and {}",
                            s.id
                        ));
                    }
                    _ => {
                        self.leaders.insert(epoch, s.id);
                    }
                }
            }
        }
        // Agreement on the committed prefix: any two servers' delivered sequences agree on
        // their common length, and each is strictly increasing (total order).
        let ups: Vec<_> = sim.servers().iter().filter(|s| s.up).collect();
        for s in &ups {
            if s.delivered.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!(
                    "server {} delivered transactions out of zxid order",
                    s.id
                ));
            }
        }
        for (i, a) in ups.iter().enumerate() {
            for b in &ups[i + 1..] {
                let n = a.delivered.len().min(b.delivered.len());
                if a.delivered[..n] != b.delivered[..n] && !prefix_after_snapshot(a, b) {
                    let k = (0..n)
                        .find(|&k| a.delivered[k] != b.delivered[k])
                        .unwrap_or(0);
                    return Err(format!(
                        "servers {} and {} disagree at delivery #{k}: {} vs {}",
                        a.id, b.id, a.delivered[k], b.delivered[k]
                    ));
                }
            }
        }
        // Every ephemeral belongs to a session the server knows.
        for s in &ups {
            if !s.is_serving() {
                continue;
            }
            for (path, n) in s.db.tree.nodes() {
                if n.ephemeral_owner.0 != 0 && !s.db.sessions.contains_key(&n.ephemeral_owner) {
                    return Err(format!(
                        "server {}: ephemeral {path} owned by dead session {}",
                        s.id, n.ephemeral_owner
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A server synchronised by SNAP starts its delivered sequence afresh; compare the suffix.
fn prefix_after_snapshot(a: &crate::server::Server, b: &crate::server::Server) -> bool {
    let (short, long) = if a.delivered.len() <= b.delivered.len() {
        (a, b)
    } else {
        (b, a)
    };
    if short.disk.snapshot.is_none() {
        return false;
    }
    match short.delivered.first() {
        None => true,
        Some(first) => match long.delivered.iter().position(|z| z == first) {
            Some(pos) => long.delivered[pos..]
                .iter()
                .zip(&short.delivered)
                .all(|(x, y)| x == y),
            None => false,
        },
    }
}
