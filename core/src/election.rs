//! FastLeaderElection as ZooKeeper 3.8 runs it (spec/election.md): votes, the total order,
//! rounds, finalizeWait, the notification back-off, and joining an established ensemble.
//!
//! The receiving side (`WorkerReceiver`) and the election loop (`lookForLeader`) of the real
//! server run on two threads; here both run when a notification is delivered, receiver first.

use crate::server::{Ctx, Server, TimerKind};
use crate::{ServerId, ServerState};

/// `finalizeWait`: the quiet period after a quorum first agrees with a proposal.
pub const FINALIZE_WAIT_MS: u64 = 200;
/// First receive timeout of the election loop (`minNotificationInterval`).
pub const MIN_NOTIFICATION_INTERVAL_MS: u64 = 200;
/// Cap of the doubling receive timeout (`maxNotificationInterval`).
pub const MAX_NOTIFICATION_INTERVAL_MS: u64 = 60_000;
/// `Notification.CURRENTVERSION`.
pub const NOTIFICATION_VERSION: i32 = 2;

/// A vote: who a server proposes or believes leads, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vote {
    /// Proposed leader's sid (`i64::MIN` for an observer's own vote).
    pub id: i64,
    /// The proposed leader's last zxid.
    pub zxid: i64,
    /// The round (`logicalclock`) the vote belongs to; -1 if unset.
    pub election_epoch: i64,
    /// The proposed leader's current epoch; -1 if unset.
    pub peer_epoch: i64,
    /// The state the vote was cast in.
    pub state: ServerState,
    /// 0 for locally built votes, the sender's version when copied from a notification.
    pub version: i32,
}

impl Vote {
    /// A locally built vote in state LOOKING.
    pub fn new(id: i64, zxid: i64, election_epoch: i64, peer_epoch: i64) -> Vote {
        Vote {
            id,
            zxid,
            election_epoch,
            peer_epoch,
            state: ServerState::Looking,
            version: 0,
        }
    }

    /// `Vote.equals` as ZooKeeper defines it, including the mixed-version quirk: between two
    /// settled votes (neither LOOKING) of which exactly one has a version, only the leader id
    /// counts.
    pub fn agrees_with(&self, other: &Vote) -> bool {
        if self.state == ServerState::Looking || other.state == ServerState::Looking {
            return self.id == other.id
                && self.zxid == other.zxid
                && self.election_epoch == other.election_epoch
                && self.peer_epoch == other.peer_epoch;
        }
        if (self.version > 0) != (other.version > 0) {
            return self.id == other.id;
        }
        self.id == other.id && self.peer_epoch == other.peer_epoch
    }
}

/// An election message between election ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notification {
    /// The sender's current state.
    pub state: ServerState,
    /// The sender's proposed or believed leader.
    pub leader: i64,
    /// That leader's zxid as in the sender's vote.
    pub zxid: i64,
    /// The round (`electionEpoch`, "n.round").
    pub round: i64,
    /// That leader's epoch as in the sender's vote.
    pub peer_epoch: i64,
    /// Wire format version (2).
    pub version: i32,
}

/// What a server received during an election and how it judged it; the page shows this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The notification's round is newer: the receiver jumped to it.
    NewerRound {
        /// Whether the received vote beat the receiver's own initial vote.
        adopted: bool,
    },
    /// The notification belongs to an older round and was dropped (the sender is told ours).
    OlderRound,
    /// Same round; the received vote is better: switch to it.
    Switch,
    /// Same round; not better: keep the current proposal.
    Keep,
    /// Settled (FOLLOWING/LEADING) vote recorded; no quorum with a LEADING leader yet.
    Settled,
    /// Ignored (a non-voter, an observer's state, or while finalizing and not better).
    Ignored,
}

/// Per-server election state (the `FastLeaderElection` object).
#[derive(Debug, Clone)]
pub struct Fle {
    /// The round counter; survives elections in one process, lost on restart.
    pub logicalclock: i64,
    /// Current proposal: (leader, zxid, peerEpoch).
    pub proposal: (i64, i64, i64),
    /// Votes received in this round, by server index.
    pub recvset: Vec<Option<Vote>>,
    /// Settled votes from servers outside the election, by server index.
    pub outofelection: Vec<Option<Vote>>,
    /// Current receive timeout of the election loop.
    pub timeout_ms: u64,
    /// In finalizeWait since this instant.
    pub finalizing_since: Option<crate::SimTime>,
    /// Per-peer capacity-1 send queues for peers that cannot be reached right now, by index.
    pub unsent: Vec<Option<Notification>>,
}

impl Fle {
    /// Fresh state for an ensemble of `n` servers.
    pub fn new(n: usize) -> Fle {
        Fle {
            logicalclock: 0,
            proposal: (i64::MIN, i64::MIN, i64::MIN),
            recvset: vec![None; n],
            outofelection: vec![None; n],
            timeout_ms: MIN_NOTIFICATION_INTERVAL_MS,
            finalizing_since: None,
            unsent: vec![None; n],
        }
    }
}

/// The total order: true iff (new_epoch, new_zxid, new_id) beats (cur_epoch, cur_zxid, cur_id).
#[cfg(not(feature = "broken-vote-order"))]
pub fn better(n_id: i64, n_zxid: i64, n_epoch: i64, c_id: i64, c_zxid: i64, c_epoch: i64) -> bool {
    n_epoch > c_epoch
        || (n_epoch == c_epoch && (n_zxid > c_zxid || (n_zxid == c_zxid && n_id > c_id)))
}

/// `StateSummary.isMoreRecentThan`: the same order on (currentEpoch, last zxid), which a new
/// leader uses to refuse a follower that is ahead of it (the guard behind the vote order).
#[cfg(not(feature = "broken-vote-order"))]
pub fn more_recent(epoch: i64, zxid: i64, than_epoch: i64, than_zxid: i64) -> bool {
    epoch > than_epoch || (epoch == than_epoch && zxid > than_zxid)
}

/// A deliberately broken order, for testing the fault checker only (feature
/// `broken-vote-order`): the zxid is ignored, so a server that missed transactions can win.
#[cfg(feature = "broken-vote-order")]
pub fn better(
    n_id: i64,
    _n_zxid: i64,
    n_epoch: i64,
    c_id: i64,
    _c_zxid: i64,
    c_epoch: i64,
) -> bool {
    n_epoch > c_epoch || (n_epoch == c_epoch && n_id > c_id)
}

/// The broken order's `isMoreRecentThan` (feature `broken-vote-order`): zxids ignored, so
/// the stale leader that the broken vote order elects accepts followers ahead of it.
#[cfg(feature = "broken-vote-order")]
pub fn more_recent(epoch: i64, _zxid: i64, than_epoch: i64, _than_zxid: i64) -> bool {
    epoch > than_epoch
}

impl Server {
    /// The vote this server would cast for itself now.
    pub fn own_initial_vote(&self, ctx: &Ctx) -> (i64, i64, i64) {
        if ctx.cfg.is_voter(self.id) {
            (
                self.id.0 as i64,
                self.last_logged_zxid().0,
                self.disk.current_epoch as i64,
            )
        } else {
            (i64::MIN, i64::MIN, i64::MIN)
        }
    }

    /// Enters `lookForLeader`: new round, own vote, broadcast.
    pub(crate) fn start_election(&mut self, ctx: &mut Ctx) {
        let fle = &mut self.fle;
        fle.recvset.iter_mut().for_each(|v| *v = None);
        fle.outofelection.iter_mut().for_each(|v| *v = None);
        fle.timeout_ms = MIN_NOTIFICATION_INTERVAL_MS;
        fle.finalizing_since = None;
        fle.logicalclock += 1;
        self.fle.proposal = self.own_initial_vote(ctx);
        ctx.note_vote(self);
        self.broadcast_proposal(ctx);
        self.arm_poll(ctx);
    }

    fn arm_poll(&mut self, ctx: &mut Ctx) {
        let at = ctx.now.plus(self.fle.timeout_ms);
        self.set_timer(ctx, TimerKind::ElectionPoll, at);
    }

    /// Sends the current proposal to every voter, itself included (ascending sid order).
    fn broadcast_proposal(&mut self, ctx: &mut Ctx) {
        let (leader, zxid, peer_epoch) = self.fle.proposal;
        let n = Notification {
            state: ServerState::Looking,
            leader,
            zxid,
            round: self.fle.logicalclock,
            peer_epoch,
            version: NOTIFICATION_VERSION,
        };
        for v in ctx.cfg.voters() {
            ctx.send_vote(self, v, n);
        }
    }

    fn settled_reply(&self) -> Notification {
        let v = &self.current_vote;
        Notification {
            state: self.state,
            leader: v.id,
            zxid: v.zxid,
            round: v.election_epoch,
            peer_epoch: v.peer_epoch,
            version: NOTIFICATION_VERSION,
        }
    }

    /// A notification arrived from `from` (the `WorkerReceiver` side, then the election loop).
    pub(crate) fn on_notification(&mut self, ctx: &mut Ctx, from: ServerId, n: Notification) {
        if !ctx.cfg.is_voter(from) {
            // Non-voters (observers) are answered at once with the current vote and never
            // queued for the election loop.
            let v = &self.current_vote;
            let reply = Notification {
                state: self.state,
                leader: v.id,
                zxid: v.zxid,
                round: self.fle.logicalclock,
                peer_epoch: v.peer_epoch,
                version: NOTIFICATION_VERSION,
            };
            ctx.send_vote(self, from, reply);
            ctx.note_verdict(self, from, &n, Verdict::Ignored);
            return;
        }
        if self.state != ServerState::Looking {
            if n.state == ServerState::Looking {
                let reply = self.settled_reply();
                ctx.send_vote(self, from, reply);
            }
            return;
        }
        if n.state == ServerState::Looking && n.round < self.fle.logicalclock {
            // Help the laggard catch up with our round.
            let (leader, zxid, peer_epoch) = self.fle.proposal;
            let reply = Notification {
                state: ServerState::Looking,
                leader,
                zxid,
                round: self.fle.logicalclock,
                peer_epoch,
                version: NOTIFICATION_VERSION,
            };
            ctx.send_vote(self, from, reply);
        }
        if self.fle.finalizing_since.is_some() {
            let (pl, pz, pe) = self.fle.proposal;
            if better(n.leader, n.zxid, n.peer_epoch, pl, pz, pe) {
                // A better vote breaks the finalize wait; the loop picks it up again.
                self.fle.finalizing_since = None;
                self.cancel_timer(TimerKind::Finalize);
            } else {
                // The finalize loop drains and discards anything that is not better.
                self.set_timer(ctx, TimerKind::Finalize, ctx.now.plus(FINALIZE_WAIT_MS));
                ctx.note_verdict(self, from, &n, Verdict::Ignored);
                return;
            }
        }
        self.election_loop_receive(ctx, from, n);
        if self.state == ServerState::Looking && self.fle.finalizing_since.is_none() {
            self.arm_poll(ctx);
        }
    }

    fn election_loop_receive(&mut self, ctx: &mut Ctx, from: ServerId, n: Notification) {
        if !ctx.cfg.is_voter(from)
            || n.leader < 1
            || n.leader > 255
            || !ctx.cfg.is_voter(ServerId(n.leader as u8))
        {
            ctx.note_verdict(self, from, &n, Verdict::Ignored);
            return;
        }
        match n.state {
            ServerState::Looking => self.on_looking(ctx, from, n),
            ServerState::Following | ServerState::Leading => self.on_settled(ctx, from, n),
            _ => ctx.note_verdict(self, from, &n, Verdict::Ignored),
        }
    }

    fn on_looking(&mut self, ctx: &mut Ctx, from: ServerId, n: Notification) {
        let verdict;
        if n.round > self.fle.logicalclock {
            self.fle.logicalclock = n.round;
            self.fle.recvset.iter_mut().for_each(|v| *v = None);
            let own = self.own_initial_vote(ctx);
            let adopted = better(n.leader, n.zxid, n.peer_epoch, own.0, own.1, own.2);
            self.fle.proposal = if adopted {
                (n.leader, n.zxid, n.peer_epoch)
            } else {
                own
            };
            ctx.note_vote(self);
            self.broadcast_proposal(ctx);
            verdict = Verdict::NewerRound { adopted };
        } else if n.round < self.fle.logicalclock {
            ctx.note_verdict(self, from, &n, Verdict::OlderRound);
            return;
        } else {
            let (pl, pz, pe) = self.fle.proposal;
            if better(n.leader, n.zxid, n.peer_epoch, pl, pz, pe) {
                self.fle.proposal = (n.leader, n.zxid, n.peer_epoch);
                ctx.note_vote(self);
                self.broadcast_proposal(ctx);
                verdict = Verdict::Switch;
            } else {
                verdict = Verdict::Keep;
            }
        }
        ctx.note_verdict(self, from, &n, verdict);
        let idx = ctx.cfg.index(from);
        self.fle.recvset[idx] = Some(Vote::new(n.leader, n.zxid, n.round, n.peer_epoch));
        let (pl, pz, pe) = self.fle.proposal;
        let reference = Vote::new(pl, pz, self.fle.logicalclock, pe);
        if ctx
            .cfg
            .is_quorum(agreeing(&self.fle.recvset, &reference, ctx))
        {
            self.fle.finalizing_since = Some(ctx.now);
            self.cancel_timer(TimerKind::ElectionPoll);
            self.set_timer(ctx, TimerKind::Finalize, ctx.now.plus(FINALIZE_WAIT_MS));
        }
    }

    /// FOLLOWING or LEADING notification (`on_following` / `on_leading` are the same with
    /// plain majority quorums).
    fn on_settled(&mut self, ctx: &mut Ctx, from: ServerId, n: Notification) {
        let idx = ctx.cfg.index(from);
        if n.round == self.fle.logicalclock {
            let mut stored = Vote::new(n.leader, n.zxid, n.round, n.peer_epoch);
            stored.state = n.state;
            self.fle.recvset[idx] = Some(stored);
            let mut reference = stored;
            reference.version = n.version;
            if ctx
                .cfg
                .is_quorum(agreeing(&self.fle.recvset, &reference, ctx))
                && self.check_leader(ctx, &self.fle.recvset, n.leader, n.round)
            {
                ctx.note_verdict(self, from, &n, Verdict::Settled);
                self.decide(ctx, n.leader, n.zxid, n.round, n.peer_epoch);
                return;
            }
        }
        let mut stored = Vote::new(n.leader, n.zxid, n.round, n.peer_epoch);
        stored.state = n.state;
        stored.version = n.version;
        self.fle.outofelection[idx] = Some(stored);
        ctx.note_verdict(self, from, &n, Verdict::Settled);
        if ctx
            .cfg
            .is_quorum(agreeing(&self.fle.outofelection, &stored, ctx))
            && self.check_leader(ctx, &self.fle.outofelection, n.leader, n.round)
        {
            self.fle.logicalclock = n.round;
            self.decide(ctx, n.leader, n.zxid, n.round, n.peer_epoch);
        }
    }

    fn check_leader(&self, ctx: &Ctx, votes: &[Option<Vote>], leader: i64, round: i64) -> bool {
        if leader != self.id.0 as i64 {
            let idx = ctx.cfg.index(ServerId(leader as u8));
            matches!(votes.get(idx), Some(Some(v)) if v.state == ServerState::Leading)
        } else {
            self.fle.logicalclock == round
        }
    }

    /// The finalize wait ran out quietly: the proposal wins.
    pub(crate) fn on_finalize_timeout(&mut self, ctx: &mut Ctx) {
        if self.state != ServerState::Looking || self.fle.finalizing_since.is_none() {
            return;
        }
        let (pl, pz, pe) = self.fle.proposal;
        let round = self.fle.logicalclock;
        self.decide(ctx, pl, pz, round, pe);
    }

    /// The election loop's receive timed out: re-send if anything got through, and back off.
    pub(crate) fn on_poll_timeout(&mut self, ctx: &mut Ctx) {
        if self.state != ServerState::Looking || self.fle.finalizing_since.is_some() {
            return;
        }
        if self.have_delivered(ctx) {
            self.broadcast_proposal(ctx);
        }
        self.fle.timeout_ms = (self.fle.timeout_ms * 2).min(MAX_NOTIFICATION_INTERVAL_MS);
        self.arm_poll(ctx);
    }

    /// `haveDelivered()`: true iff at least one per-peer send queue is empty.
    fn have_delivered(&self, ctx: &Ctx) -> bool {
        ctx.cfg
            .voters()
            .any(|v| v != self.id && self.fle.unsent[ctx.cfg.index(v)].is_none())
    }

    fn decide(&mut self, ctx: &mut Ctx, leader: i64, zxid: i64, round: i64, peer_epoch: i64) {
        self.fle.finalizing_since = None;
        self.cancel_timer(TimerKind::Finalize);
        self.cancel_timer(TimerKind::ElectionPoll);
        self.current_vote = Vote::new(leader, zxid, round, peer_epoch);
        ctx.note_decided(self);
        if leader == self.id.0 as i64 {
            self.become_leading(ctx);
        } else if self.observer {
            self.become_observing(ctx);
        } else {
            self.become_following(ctx);
        }
    }
}

/// How many voters in `votes` agree with `reference`.
fn agreeing(votes: &[Option<Vote>], reference: &Vote, ctx: &Ctx) -> usize {
    votes
        .iter()
        .enumerate()
        .filter(|(i, v)| {
            matches!(v, Some(v) if v.agrees_with(reference)) && ctx.cfg.is_voter(ctx.cfg.id_at(*i))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_order_is_epoch_then_zxid_then_id() {
        // A newer epoch beats a larger zxid and a larger id.
        assert!(better(1, 5, 2, 3, 9, 1));
        // Same epoch: the larger zxid wins.
        assert!(better(1, 9, 1, 3, 8, 1));
        assert!(!better(3, 8, 1, 1, 9, 1));
        // Same epoch and zxid: the larger id wins; a tie changes nothing.
        assert!(better(3, 0, 0, 2, 0, 0));
        assert!(!better(2, 0, 0, 2, 0, 0));
    }

    #[test]
    fn settled_votes_compare_by_id_when_versions_differ() {
        let mut a = Vote::new(2, 0, 1, 1);
        a.state = ServerState::Following;
        let mut b = Vote::new(2, 7, 3, 0);
        b.state = ServerState::Leading;
        b.version = 2;
        assert!(a.agrees_with(&b), "mixed versions: leader id only");
        a.version = 2;
        assert!(!a.agrees_with(&b), "both versioned: id and peerEpoch");
        let looking = Vote::new(2, 0, 1, 1);
        assert!(!looking.agrees_with(&b));
    }
}
