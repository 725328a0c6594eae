//! Four-letter words and `zkServer.sh status` (shared/spec/zkcli.md §3–4): what
//! `echo srvr | nc 127.0.0.1 2181` prints against a simulated server, with the figures of the
//! simulation.
//!
//! Choices (documented in docs/scenario-script.md, "Four-letter words"):
//! * Every server answers as if `4lw.commands.whitelist=*`. The words offered are `ruok`,
//!   `srvr`, `stat`, `mntr`, `conf` and `cons` ([`FourLetterWord`]).
//! * The version is [`VERSION`], `3.8.4-zkplay, built on 1970-01-01 00:00 UTC`.
//! * A server that is down refuses the connection: the answer is what `nc` prints then,
//!   [`refused`] (`nc: connect to 127.0.0.1 port 2182 (tcp) failed: Connection refused`).
//! * A running server that is not serving (LOOKING, or still synchronising) answers
//!   [`NOT_SERVING`] to everything but `ruok`; `ruok` is `imok` whenever the process runs.
//! * Every server runs on 127.0.0.1 with ports derived from its id N: client port 2180+N,
//!   quorum port 2887+N, election port 3887+N, dataDir `/var/lib/zookeeper/N`
//!   ([`client_port`], [`quorum_port`], [`election_port`], [`data_dir`]). The simulation is
//!   always in quorum mode, so `Mode:` is never `standalone`.
//! * A client connection's remote port is 32768 + its connection id; the four-letter word's
//!   own connection takes the id the next connection would get (none is allocated).
//!   Connections are listed in id order, the asking one last.
//! * Times are simulated milliseconds: `zk_uptime` (since the server took its current role,
//!   when ZooKeeper builds a new `ZooKeeperServer` and its statistics), latencies (from a
//!   request's arrival at the server to its answer), and `cons`'s `est` and `lresp`.
//! * `mntr` prints a fixed subset of ZooKeeper's metrics, in ZooKeeper's registration order
//!   (real servers print them in hash-map order, with many more): see [`four_letter`].
//! * `conf`'s `dataDirSize` and `dataLogSize` are 0: the simulation has no files.
//!
//! Asking a serving server counts, as in ZooKeeper: the word is a packet received (so
//! `Received:` includes it) and the answer a packet sent after it, and the asking connection
//! is one of `Connections:`. [`four_letter`] renders the answer without counting it; [`ask`]
//! renders and counts, and is what scripts use.

use crate::config::SimConfig;
use crate::server::{Role, Server, SyncMode, ZabPhase};
use crate::sim::Sim;
use crate::txn::{Txn, TxnBody};
use crate::zab::LearnerPhase;
use crate::{ServerId, ServerState};

/// `Version.getFullVersion()` of the simulated servers.
pub const VERSION: &str = "3.8.4-zkplay, built on 1970-01-01 00:00 UTC";

/// What a server that is not serving answers to srvr, stat, mntr, conf and cons.
pub const NOT_SERVING: &str = "This ZooKeeper instance is not currently serving requests";

/// What `zkServer.sh status` prints when `srvr` gives no `Mode:` line.
pub const NOT_RUNNING: &str = "Error contacting service. It is probably not running.";

/// The four-letter words the simulated servers answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FourLetterWord {
    /// `ruok`: `imok` when the process runs.
    Ruok,
    /// `srvr`: version, statistics, mode, node count.
    Srvr,
    /// `stat`: `srvr` plus the connections.
    Stat,
    /// `mntr`: `zk_<key>\t<value>` lines.
    Mntr,
    /// `conf`: the configuration, `key=value` lines.
    Conf,
    /// `cons`: the connections, with session details.
    Cons,
}

impl FourLetterWord {
    /// Every word, in the order error messages list them.
    pub const ALL: [FourLetterWord; 6] = [
        FourLetterWord::Ruok,
        FourLetterWord::Srvr,
        FourLetterWord::Stat,
        FourLetterWord::Mntr,
        FourLetterWord::Conf,
        FourLetterWord::Cons,
    ];

    /// The word.
    pub fn as_str(self) -> &'static str {
        match self {
            FourLetterWord::Ruok => "ruok",
            FourLetterWord::Srvr => "srvr",
            FourLetterWord::Stat => "stat",
            FourLetterWord::Mntr => "mntr",
            FourLetterWord::Conf => "conf",
            FourLetterWord::Cons => "cons",
        }
    }

    /// The word for `s`, if the simulation answers it.
    pub fn parse(s: &str) -> Option<FourLetterWord> {
        FourLetterWord::ALL.into_iter().find(|w| w.as_str() == s)
    }
}

impl std::fmt::Display for FourLetterWord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Server N's client port: 2180+N.
pub fn client_port(id: ServerId) -> u32 {
    2180 + u32::from(id.0)
}

/// Server N's quorum (Zab) port: 2887+N.
pub fn quorum_port(id: ServerId) -> u32 {
    2887 + u32::from(id.0)
}

/// Server N's election port: 3887+N.
pub fn election_port(id: ServerId) -> u32 {
    3887 + u32::from(id.0)
}

/// Server N's dataDir: `/var/lib/zookeeper/N` (ZooKeeper keeps its files in `version-2`
/// below it, which is what `conf` shows).
pub fn data_dir(id: ServerId) -> String {
    format!("/var/lib/zookeeper/{}", id.0)
}

/// What `nc` prints when the server is down and refuses the connection.
pub fn refused(id: ServerId) -> String {
    format!(
        "nc: connect to 127.0.0.1 port {} (tcp) failed: Connection refused",
        client_port(id)
    )
}

/// A client connection's remote port: 32768 + connection id (in Linux's ephemeral range).
fn remote_port(conn: u32) -> u32 {
    32768 + conn % 28232
}

/// `zkServer.sh status`'s `Mode:` (`leader`, `follower`, `observer`), or None when `srvr`
/// has no Mode line (down or not serving): the script then prints [`NOT_RUNNING`].
pub fn mode_line(sim: &Sim, server: ServerId) -> Option<&'static str> {
    let s = sim.config().try_index(server).map(|i| &sim.servers()[i])?;
    server_state(s)
}

/// `ZooKeeperServer.getState()` of a serving server: `leader`, `follower` or `observer`.
fn server_state(s: &Server) -> Option<&'static str> {
    if !s.is_serving() {
        return None;
    }
    match s.state {
        ServerState::Leading => Some("leader"),
        ServerState::Following => Some("follower"),
        ServerState::Observing => Some("observer"),
        ServerState::Looking | ServerState::Down => None,
    }
}

/// `QuorumPeer.getDetailedPeerState()` (mntr `zk_peer_state`): the peer state, then the Zab
/// phase unless ELECTION, then the sync mode unless NONE, lower-case:
/// `following - broadcast`, `leading - broadcast`, `looking`,
/// `following - synchronization - diff`. ZooKeeper sets the sync mode back to NONE when the
/// learner processes NEWLEADER, so only a learner between its DIFF/TRUNC/SNAP and NEWLEADER
/// shows one. A server that is down says `down` (ZooKeeper has no such state).
pub fn detailed_peer_state(s: &Server) -> String {
    let mut out = s.state.name().to_lowercase();
    if s.zab != ZabPhase::Election {
        out.push_str(" - ");
        out.push_str(s.zab.name());
    }
    let sync = match &s.role {
        Role::Learner(l) if l.phase == LearnerPhase::Sync && !l.seen_newleader => s.sync_mode,
        _ => SyncMode::None,
    };
    if sync != SyncMode::None {
        out.push_str(" - ");
        out.push_str(sync.name());
    }
    out
}

/// The size in bytes of the PROPOSAL packet's data for `t` (`Leader.propose`:
/// `SerializeUtils.serializeRequest`, jute binary): the 32-byte TxnHeader, the txn record,
/// and the 12-byte TxnDigest (zookeeper.digest.enabled defaults to true; a failed single
/// request's ErrorTxn has none, because the prep failed before the digest was computed).
pub fn proposal_size(t: &Txn) -> i64 {
    const HEADER: i64 = 32;
    const DIGEST: i64 = 12;
    match &t.body {
        TxnBody::Error(_) => HEADER + 4,
        body => HEADER + record_size(body) + DIGEST,
    }
}

/// jute: `ustring` is a 4-byte length and the UTF-8 bytes.
fn jute_string(s: &str) -> i64 {
    4 + s.len() as i64
}

/// jute: `buffer` is a 4-byte length (-1 for null) and the bytes.
fn jute_buffer(b: Option<&[u8]>) -> i64 {
    4 + b.map_or(0, |b| b.len() as i64)
}

/// jute: `vector<ACL>`; an ACL is `int perms` and `Id{ustring scheme, ustring id}`.
fn jute_acl(acl: &[crate::acl::Acl]) -> i64 {
    4 + acl
        .iter()
        .map(|a| 4 + jute_string(&a.scheme) + jute_string(&a.id))
        .sum::<i64>()
}

/// The serialized size of the txn record of a body.
fn record_size(body: &TxnBody) -> i64 {
    match body {
        // CreateSessionTxn{int timeOut}
        TxnBody::CreateSession { .. } => 4,
        // CloseSessionTxn{vector<ustring> paths2Delete} (zookeeper.closeSessionTxn.enabled)
        TxnBody::CloseSession { paths } => 4 + paths.iter().map(|p| jute_string(p)).sum::<i64>(),
        // CreateTxn{path, data, acl, boolean ephemeral, int parentCVersion};
        // CreateContainerTxn{path, data, acl, int parentCVersion}
        TxnBody::Create {
            path,
            data,
            acl,
            container,
            ..
        } => {
            jute_string(path)
                + jute_buffer(data.as_deref())
                + jute_acl(acl)
                + if *container { 0 } else { 1 }
                + 4
        }
        // DeleteTxn{path}
        TxnBody::Delete { path } => jute_string(path),
        // SetDataTxn{path, data, int version}
        TxnBody::SetData { path, data, .. } => jute_string(path) + jute_buffer(Some(data)) + 4,
        // SetACLTxn{path, acl, int version}
        TxnBody::SetAcl { path, acl, .. } => jute_string(path) + jute_acl(acl) + 4,
        // CheckVersionTxn{path, int version}
        TxnBody::Check { path } => jute_string(path) + 4,
        // MultiTxn{vector<Txn{int type, buffer data}>}
        TxnBody::Multi(ops) => 4 + ops.iter().map(|b| 4 + 4 + record_size(b)).sum::<i64>(),
        // every op an ErrorTxn
        TxnBody::MultiError(ops) => 4 + ops.len() as i64 * (4 + 4 + 4),
        // ErrorTxn{int err}
        TxnBody::Error(_) => 4,
    }
}

/// The leader's `BufferStats` of proposal sizes, last/min/max (-1 before any proposal): the
/// transactions it logged in its own epoch are exactly the ones it proposed.
pub fn proposal_sizes(s: &Server) -> (i64, i64, i64) {
    let Some(epoch) = s.leader_state().and_then(|l| l.epoch) else {
        return (-1, -1, -1);
    };
    let first = crate::Zxid::new(epoch, 0);
    let start = s.disk.log.partition_point(|t| t.txn.zxid <= first);
    let mut stats = (-1, -1, -1);
    for t in &s.disk.log[start..] {
        if t.txn.zxid.epoch() != epoch || t.cxid == crate::server::PRESET_CXID {
            continue;
        }
        let n = proposal_size(&t.txn);
        stats.0 = n;
        if stats.1 == -1 || n < stats.1 {
            stats.1 = n;
        }
        stats.2 = stats.2.max(n);
    }
    stats
}

/// `QuorumMaj.toString()`: one `server.N=127.0.0.1:Q:E:participant;0.0.0.0:C` line per
/// member, in Java `HashMap<Long, …>` iteration order (by id modulo the table size, which is
/// ascending id order for small ensembles), then `version=0` (a static configuration) with no
/// newline after it.
pub fn membership(cfg: &SimConfig) -> String {
    let ids = cfg.ids();
    // HashMap's table: 16 buckets, doubled whenever the size passes 3/4 of it.
    let mut table = 16usize;
    while ids.len() > table * 3 / 4 {
        table *= 2;
    }
    let mut order: Vec<ServerId> = ids.to_vec();
    order.sort_by_key(|id| (usize::from(id.0) & (table - 1), id.0));
    let mut out = String::new();
    for id in order {
        let kind = if cfg.is_voter(id) {
            "participant"
        } else {
            "observer"
        };
        out.push_str(&format!(
            "server.{}=127.0.0.1:{}:{}:{kind};0.0.0.0:{}\n",
            id.0,
            quorum_port(id),
            election_port(id),
            client_port(id)
        ));
    }
    out.push_str("version=0");
    out
}

/// Java's `Double.toString` for the values ZooKeeper prints: at least one decimal
/// (`0.0`, `2.5`), and computerized scientific notation outside [10⁻³, 10⁷) (`1.0E7`).
pub fn java_double(x: f64) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let a = x.abs();
    if (1e-3..1e7).contains(&a) {
        let s = format!("{x}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        let s = format!("{x:e}");
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = if mant.contains('.') {
            mant.to_string()
        } else {
            format!("{mant}.0")
        };
        format!("{mant}E{exp}")
    }
}

/// `AvgMinMaxCounter.getAvg()`: total / count as a double, rounded half-up to 4 decimals
/// (`BigDecimal(avg).setScale(4, HALF_UP)`), 0 without samples.
pub fn avg_latency(l: &crate::server::Latency) -> f64 {
    if l.count == 0 {
        return 0.0;
    }
    let avg = l.total as f64 / l.count as f64;
    // The double's exact value is m · 2^e; round m · 10⁴ · 2^e half-up to an integer.
    let bits = avg.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp_bits - 1075)
    };
    let scaled = u128::from(m) * 10_000;
    let q = if e >= 0 {
        // Too large to have decimals; avg is an integer.
        return avg;
    } else if -e >= 128 {
        0
    } else {
        let shift = (-e) as u32;
        let q = scaled >> shift;
        let rem = scaled - (q << shift);
        let half = 1u128 << (shift - 1);
        if rem >= half { q + 1 } else { q }
    };
    q as f64 / 10_000.0
}

/// Answers `word` as server `server` would (see the module documentation), without counting
/// the question. A word the simulation does not answer gives an empty string.
///
/// `mntr` prints `zk_version`, `zk_server_state`, `zk_peer_state`, then `zk_avg_latency`,
/// `zk_max_latency`, `zk_min_latency`, `zk_packets_received`, `zk_packets_sent`,
/// `zk_num_alive_connections`, `zk_outstanding_requests`, `zk_uptime`, `zk_znode_count`,
/// `zk_watch_count`, `zk_ephemerals_count`, `zk_approximate_data_size`,
/// `zk_global_sessions`, `zk_local_sessions`; a leader adds `zk_learners`,
/// `zk_synced_followers`, `zk_synced_non_voting_followers`, `zk_synced_observers`,
/// `zk_pending_syncs`, `zk_leader_uptime`, `zk_last_proposal_size`, `zk_max_proposal_size`,
/// `zk_min_proposal_size`, and a follower `zk_synced_observers`.
pub fn four_letter(sim: &Sim, server: ServerId, word: &str) -> String {
    let Some(word) = FourLetterWord::parse(word) else {
        return String::new();
    };
    let Some(s) = sim.config().try_index(server).map(|i| &sim.servers()[i]) else {
        return refused(server);
    };
    if !s.up {
        return refused(server);
    }
    if word == FourLetterWord::Ruok {
        return "imok".into();
    }
    let Some(state) = server_state(s) else {
        return format!("{NOT_SERVING}\n");
    };
    let me = Asker {
        port: remote_port(sim.next_conn_id()),
    };
    match word {
        FourLetterWord::Ruok => "imok".into(),
        FourLetterWord::Srvr => stat(s, state, &me, false),
        FourLetterWord::Stat => stat(s, state, &me, true),
        FourLetterWord::Mntr => mntr(sim, s, state),
        FourLetterWord::Conf => conf(sim.config(), s),
        FourLetterWord::Cons => cons(s, &me),
    }
}

/// Answers `word` and counts it as the server would: a packet received, and the answer's
/// packets sent (one per 8192 characters, as ZooKeeper's writer flushes them). Only a
/// serving server has statistics to count in.
pub fn ask(sim: &mut Sim, server: ServerId, word: &str) -> String {
    let out = four_letter(sim, server, word);
    if FourLetterWord::parse(word).is_some() && sim.config().try_index(server).is_some() {
        let s = sim.server_mut(server);
        if s.is_serving() {
            s.stats.packets_received += 1;
            s.stats.packets_sent += out.chars().count().div_ceil(8192) as u64;
        }
    }
    out
}

/// `zkServer.sh status`: runs `srvr` (counted, as [`ask`] does) and keeps its `Mode:` value.
pub fn status(sim: &mut Sim, server: ServerId) -> Option<&'static str> {
    let mode = mode_line(sim, server);
    ask(sim, server, "srvr");
    mode
}

/// The asking connection.
struct Asker {
    port: u32,
}

impl Asker {
    /// Its `stat`/`cons` entry: brief (no session), interest ops 0, one packet read so far.
    fn line(&self) -> String {
        format!(" /127.0.0.1:{}[0](queued=0,recved=1,sent=0)", self.port)
    }
}

/// A client connection's `dumpConnectionInfo` (no newline).
fn conn_line(conn: u32, c: &crate::serve::ClientConn, brief: bool) -> String {
    let st = &c.stats;
    let mut out = format!(
        " /127.0.0.1:{}[1](queued={},recved={},sent={}",
        remote_port(conn),
        c.waiting.len(),
        st.received,
        st.sent
    );
    if !brief && c.session.0 != 0 {
        out.push_str(&format!(
            ",sid=0x{:x},lop={},est={},to={}",
            c.session.0, st.last_op, st.established_at.0, c.timeout
        ));
        if st.last_cxid >= 0 {
            out.push_str(&format!(",lcxid=0x{:x}", st.last_cxid));
        }
        // ServerCnxn.getAvgLatency: integer division, 0 without samples.
        let avg = st.latency.total.checked_div(st.latency.count).unwrap_or(0);
        out.push_str(&format!(
            ",lzxid=0x{:x},lresp={},llat={},minlat={},avglat={},maxlat={}",
            st.last_zxid.0 as u64,
            st.last_response.0,
            st.last_latency,
            st.latency.min_or_zero(),
            avg,
            st.latency.max
        ));
    }
    out.push(')');
    out
}

/// `srvr` and `stat` (`StatCommand`).
fn stat(s: &Server, state: &str, me: &Asker, with_clients: bool) -> String {
    let mut out = format!("Zookeeper version: {VERSION}\n");
    if with_clients {
        out.push_str("Clients:\n");
        for (&conn, c) in &s.conns {
            out.push_str(&conn_line(conn, c, true));
            out.push('\n');
        }
        out.push_str(&me.line());
        out.push('\n');
        out.push('\n');
    }
    let st = &s.stats;
    out.push_str(&format!(
        "Latency min/avg/max: {}/{}/{}\n",
        st.latency.min_or_zero(),
        java_double(avg_latency(&st.latency)),
        st.latency.max
    ));
    out.push_str(&format!("Received: {}\n", st.packets_received + 1));
    out.push_str(&format!("Sent: {}\n", st.packets_sent));
    out.push_str(&format!("Connections: {}\n", s.conns.len() + 1));
    out.push_str(&format!("Outstanding: {}\n", s.outstanding_requests()));
    out.push_str(&format!("Zxid: 0x{:x}\n", s.db.last_processed.0 as u64));
    out.push_str(&format!("Mode: {state}\n"));
    out.push_str(&format!("Node count: {}\n", s.db.tree.znode_count()));
    if s.state == ServerState::Leading {
        let (last, min, max) = proposal_sizes(s);
        out.push_str(&format!(
            "Proposal sizes last/min/max: {last}/{min}/{max}\n"
        ));
    }
    out
}

/// `mntr` (`MonitorCommand`).
fn mntr(sim: &Sim, s: &Server, state: &str) -> String {
    let st = &s.stats;
    let now = sim.now();
    let mut lines: Vec<(&str, String)> = vec![
        ("version", VERSION.into()),
        ("server_state", state.into()),
        ("peer_state", detailed_peer_state(s)),
        ("avg_latency", java_double(avg_latency(&st.latency))),
        ("max_latency", st.latency.max.to_string()),
        ("min_latency", st.latency.min_or_zero().to_string()),
        ("packets_received", (st.packets_received + 1).to_string()),
        ("packets_sent", st.packets_sent.to_string()),
        ("num_alive_connections", (s.conns.len() + 1).to_string()),
        ("outstanding_requests", s.outstanding_requests().to_string()),
        ("uptime", now.0.saturating_sub(st.since.0).to_string()),
        ("znode_count", s.db.tree.znode_count().to_string()),
        ("watch_count", s.watches.watch_count().to_string()),
        (
            "ephemerals_count",
            s.db.tree
                .ephemeral_owners()
                .iter()
                .map(|(_, n)| n)
                .sum::<usize>()
                .to_string(),
        ),
        (
            "approximate_data_size",
            s.db.tree.approximate_data_size().to_string(),
        ),
        ("global_sessions", s.db.sessions.len().to_string()),
        ("local_sessions", "0".into()),
    ];
    if let Some(l) = s.leader_state() {
        let synced = |observer: bool| {
            l.handlers
                .values()
                .filter(|h| h.forwarding && h.observer == observer)
                .count()
        };
        let pending_syncs = l
            .syncs
            .iter()
            .filter(|(_, w)| matches!(w, crate::zab::SyncWaiter::Learner(_)))
            .count();
        let uptime = st.leader_since.map_or(0, |t| now.0.saturating_sub(t.0));
        let (last, min, max) = proposal_sizes(s);
        lines.extend([
            ("learners", l.handlers.len().to_string()),
            ("synced_followers", synced(false).to_string()),
            ("synced_non_voting_followers", "0".into()),
            ("synced_observers", synced(true).to_string()),
            ("pending_syncs", pending_syncs.to_string()),
            ("leader_uptime", uptime.to_string()),
            ("last_proposal_size", last.to_string()),
            ("max_proposal_size", max.to_string()),
            ("min_proposal_size", min.to_string()),
        ]);
    } else if s.state == ServerState::Following {
        lines.push(("synced_observers", "0".into()));
    }
    let mut out = String::new();
    for (k, v) in lines {
        out.push_str("zk_");
        out.push_str(k);
        out.push('\t');
        out.push_str(&v);
        out.push('\n');
    }
    out
}

/// `conf` (`ZooKeeperServer.dumpConf` + `QuorumZooKeeperServer.dumpConf`).
fn conf(cfg: &SimConfig, s: &Server) -> String {
    let id = s.id;
    let dir = format!("{}/version-2", data_dir(id));
    let min = cfg.min_session_timeout.unwrap_or(2 * cfg.tick_time);
    let max = cfg.max_session_timeout.unwrap_or(20 * cfg.tick_time);
    let mut out = String::new();
    let mut kv = |k: &str, v: &dyn std::fmt::Display| out.push_str(&format!("{k}={v}\n"));
    kv("clientPort", &client_port(id));
    kv("secureClientPort", &-1);
    kv("dataDir", &dir);
    kv("dataDirSize", &0);
    kv("dataLogDir", &dir);
    kv("dataLogSize", &0);
    kv("tickTime", &cfg.tick_time);
    kv("maxClientCnxns", &60);
    kv("minSessionTimeout", &min);
    kv("maxSessionTimeout", &max);
    kv("clientPortListenBacklog", &-1);
    kv("serverId", &id.0);
    kv("initLimit", &cfg.init_limit);
    kv("syncLimit", &cfg.sync_limit);
    kv("electionAlg", &3);
    kv("electionPort", &election_port(id));
    kv("quorumPort", &quorum_port(id));
    kv("peerType", &u8::from(!cfg.is_voter(id)));
    out.push_str("membership: \n");
    out.push_str(&membership(cfg));
    out
}

/// `cons` (`ConsCommand`).
fn cons(s: &Server, me: &Asker) -> String {
    let mut out = String::new();
    for (&conn, c) in &s.conns {
        out.push_str(&conn_line(conn, c, false));
        out.push('\n');
    }
    out.push_str(&me.line());
    out.push('\n');
    out.push('\n');
    out
}

#[cfg(test)]
mod tests;
