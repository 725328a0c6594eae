//! Safety invariants checked after every step in tests and by the fault checker
//! (spec/zab.md §10, spec/election.md): one established leader per epoch, observers never
//! lead, agreement on the committed prefix, ephemerals owned by live sessions.
//!
//! The checker runs after every step, so it is incremental: each server's delivered sequence
//! only grows between resets ([`Delivered::resets`] counts them), and the checker remembers
//! how far it has compared each sequence and each pair of sequences. A step costs
//! O(servers²) plus the transactions delivered since the last step, not the whole history.

use std::collections::BTreeMap;

use crate::server::Server;
use crate::sim::Sim;
use crate::{ServerId, ServerState, Zxid};

/// Ghost state: the zxids a server applied, in order. It only grows, except that a reload
/// from the dataDir or a SNAP starts it afresh ([`Delivered::clear`]), which bumps
/// [`Delivered::resets`] so that the invariant checker knows to compare from the start.
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

/// How far one server's sequence has been checked for order.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    resets: u32,
    len: usize,
}

/// How two servers' sequences line up: `a[ai + k] == b[bi + k]` holds for `k < agreed`.
#[derive(Debug, Clone, Copy, Default)]
struct Pair {
    resets: (u32, u32),
    aligned: Option<(usize, usize)>,
    agreed: usize,
}

/// Invariant bookkeeping that spans steps.
#[derive(Debug, Clone, Default)]
pub struct Checker {
    leaders: BTreeMap<u32, ServerId>,
    seen: Vec<Seen>,
    pairs: Vec<Pair>,
}

impl Checker {
    /// Checks every invariant against the simulation as it is now.
    pub fn check(&mut self, sim: &Sim) -> Result<(), String> {
        let servers = sim.servers();
        let n = servers.len();
        if self.seen.len() != n {
            self.seen = vec![Seen::default(); n];
            self.pairs = vec![Pair::default(); n * n];
        }
        for (i, s) in servers.iter().enumerate() {
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
                    Some(_) => {}
                    None => {
                        self.leaders.insert(epoch, s.id);
                    }
                }
            }
            // Each server delivers in strictly increasing zxid order (total order).
            let seen = &mut self.seen[i];
            if seen.resets != s.delivered.resets() || seen.len > s.delivered.len() {
                *seen = Seen {
                    resets: s.delivered.resets(),
                    len: 0,
                };
            }
            let from = seen.len.saturating_sub(1);
            if s.delivered[from..].windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!(
                    "server {} delivered transactions out of zxid order",
                    s.id
                ));
            }
            seen.len = s.delivered.len();
        }
        // Agreement on the committed prefix: any two servers that serve clients agree on
        // the transactions both delivered. Servers that do not serve are left out: one that
        // dropped out of a leader's quorum fast-forwards its database with logged proposals
        // that may never commit (as ZooKeeper does), and the next sync truncates them.
        for i in 0..n {
            let a = &servers[i];
            if !a.is_serving() {
                continue;
            }
            for (j, b) in servers.iter().enumerate().skip(i + 1) {
                if b.is_serving() {
                    check_pair(&mut self.pairs[i * n + j], a, b)?;
                }
            }
        }
        // Every ephemeral belongs to a session the server knows.
        for s in servers.iter().filter(|s| s.is_serving()) {
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
}

/// Extends the agreed part of two delivered sequences. A server synchronised by SNAP (or
/// restarted from a snapshot) starts its sequence after the snapshot: it is compared from
/// where its first zxid stands in the other's sequence.
fn check_pair(p: &mut Pair, a: &Server, b: &Server) -> Result<(), String> {
    let (da, db) = (&a.delivered, &b.delivered);
    let resets = (da.resets(), db.resets());
    if p.resets != resets {
        *p = Pair {
            resets,
            aligned: None,
            agreed: 0,
        };
    }
    let (ai, bi) = match p.aligned {
        Some(x) => x,
        None => {
            let (Some(&x), Some(&y)) = (da.first(), db.first()) else {
                return Ok(());
            };
            let found = if x == y {
                Some((0, 0))
            } else if x > y {
                align_later(a, b, x)?.map(|k| (0, k))
            } else {
                align_later(b, a, y)?.map(|k| (k, 0))
            };
            let Some(al) = found else { return Ok(()) };
            p.aligned = Some(al);
            al
        }
    };
    let len = (da.len() - ai).min(db.len() - bi);
    for k in p.agreed..len {
        if da[ai + k] != db[bi + k] {
            return Err(format!(
                "servers {} and {} disagree at delivery #{}: {} vs {}",
                a.id,
                b.id,
                ai + k,
                da[ai + k],
                db[bi + k]
            ));
        }
    }
    p.agreed = p.agreed.max(len);
    Ok(())
}

/// `later` starts its sequence with `first`, after `other`'s first: that is only right after
/// a snapshot, and then `first` must stand in `other`'s sequence unless `other` has not got
/// that far yet (`None`: align later).
fn align_later(later: &Server, other: &Server, first: Zxid) -> Result<Option<usize>, String> {
    let d = &other.delivered;
    if later.disk.snapshot.is_some() {
        match d.binary_search(&first) {
            Ok(k) => return Ok(Some(k)),
            Err(k) if k == d.len() => return Ok(None),
            Err(_) => {}
        }
    }
    Err(format!(
        "servers {} and {} disagree at delivery #0: {} vs {}",
        later.id, other.id, first, d[0]
    ))
}
