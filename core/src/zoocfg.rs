//! zoo.cfg: ZooKeeper's server configuration file, read the way ZooKeeper 3.8 reads it, into
//! what the simulator uses (who votes, who observes, and the timing keys), and written back as
//! the equivalent `.zks` header (`servers …` and `config …`).
//!
//! The file is a Java properties file:
//! * lines end with `\n`, `\r` or `\r\n`; blank lines are skipped; a line whose first non-blank
//!   character is `#` or `!` is a comment;
//! * the key runs from the first non-blank character to the first `=`, `:` or blank that is not
//!   escaped by a backslash; blanks and one `=` or `:` after it are skipped, and the rest is the
//!   value;
//! * a line that ends with an odd number of backslashes goes on on the next line (whose leading
//!   blanks are dropped);
//! * `\t`, `\n`, `\r`, `\f` and `\uXXXX` are escapes, and a backslash before any other
//!   character stands for that character;
//! * when a key appears twice the later line wins;
//! * ZooKeeper then trims every key and value (spaces and control characters at both ends).
//!
//! Keys the simulator uses: `server.N`, `tickTime` (3000 if absent), `initLimit`, `syncLimit`,
//! `minSessionTimeout`, `maxSessionTimeout`. The other keys ZooKeeper knows are accepted and
//! checked the way ZooKeeper checks them (numbers are numbers, booleans are `true` or `false`,
//! `electionAlg` is 3, `peerType` is `observer` or `participant`) but otherwise ignored. A key
//! ZooKeeper does not know is ignored too (ZooKeeper passes it on as a Java system property),
//! except one that differs from a key it knows only in letter case (`ticktime`), which is an
//! error: ZooKeeper would silently run with the default instead.
//!
//! What the simulator cannot model is an error that says so: server ids outside 1..255, voters
//! that are not numbered 1..N, observers numbered below a voter, hierarchical quorums
//! (`group.N`, `weight.N`) and a `dynamicConfigFile`.
//!
//! Every error names a line (1-based): the line of the entry at fault, or the file's last line
//! when something is missing from the whole file (`initLimit is not set`).

use std::collections::BTreeMap;
use std::fmt;

use crate::ServerId;

/// ZooKeeper's tickTime when zoo.cfg sets none (`ZooKeeperServer.DEFAULT_TICK_TIME`), in ms.
pub const DEFAULT_TICK_TIME: u64 = 3000;
/// The highest server id the simulator supports.
pub const MAX_SERVER_ID: u8 = u8::MAX;

/// A zoo.cfg error: the line (1-based) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZooCfgError {
    /// 1-based line: the entry at fault, or the last line for a file-wide problem.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

impl ZooCfgError {
    fn new(line: u32, message: impl Into<String>) -> ZooCfgError {
        ZooCfgError {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ZooCfgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ZooCfgError {}

/// A numeric key's value and the line it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The value (positive).
    pub value: u64,
    /// 1-based line.
    pub line: u32,
}

/// One `server.N=host:quorumPort:electionPort[:type][;[clientHost:]clientPort]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// N.
    pub id: ServerId,
    /// 1-based line.
    pub line: u32,
    /// The (first) host.
    pub host: String,
    /// The (first) quorum port: followers connect to the leader there.
    pub quorum_port: u16,
    /// The (first) election port.
    pub election_port: u16,
    /// `:observer`: a non-voting member.
    pub observer: bool,
    /// The client port given after `;`, if any.
    pub client_port: Option<u16>,
}

/// A parsed zoo.cfg: what the simulator takes from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZooCfg {
    /// Every server, ascending by id: voters are 1..=N, observers above them.
    pub servers: Vec<Server>,
    /// `tickTime`, if set.
    pub tick_time: Option<Setting>,
    /// `initLimit`, if set.
    pub init_limit: Option<Setting>,
    /// `syncLimit`, if set.
    pub sync_limit: Option<Setting>,
    /// `minSessionTimeout`, if set (not -1).
    pub min_session_timeout: Option<Setting>,
    /// `maxSessionTimeout`, if set (not -1).
    pub max_session_timeout: Option<Setting>,
    /// The file's last line (for errors about the whole file).
    pub last_line: u32,
}

impl ZooCfg {
    /// Number of voters (their ids are 1..=voters).
    pub fn voters(&self) -> u8 {
        self.servers.iter().filter(|s| !s.observer).count() as u8
    }

    /// Observer ids, ascending.
    pub fn observers(&self) -> Vec<ServerId> {
        self.servers
            .iter()
            .filter(|s| s.observer)
            .map(|s| s.id)
            .collect()
    }

    /// tickTime in ms: the file's, or ZooKeeper's default 3000.
    pub fn tick_time(&self) -> u64 {
        self.tick_time.map_or(DEFAULT_TICK_TIME, |s| s.value)
    }

    /// The equivalent `.zks` header: a `servers` line and a `config` line (tickTime always,
    /// since ZooKeeper's default differs from the simulator's; the other keys when set).
    pub fn to_script_header(&self) -> String {
        let mut s = format!("servers {}", self.voters());
        let observers = self.observers();
        if !observers.is_empty() {
            s.push_str(" observers");
            for o in observers {
                s.push_str(&format!(" {}", o.0));
            }
        }
        s.push_str(&format!("\nconfig tickTime={}", self.tick_time()));
        for (key, v) in [
            ("initLimit", self.init_limit),
            ("syncLimit", self.sync_limit),
            ("minSessionTimeout", self.min_session_timeout),
            ("maxSessionTimeout", self.max_session_timeout),
        ] {
            if let Some(v) = v {
                s.push_str(&format!(" {key}={}", v.value));
            }
        }
        s.push('\n');
        s
    }
}

/// Decodes a file's bytes as UTF-8; invalid UTF-8 is an error on the line of the first bad byte.
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, ZooCfgError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let good = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let line = natural_lines(good).len().max(1) as u32;
        // A line that ended just before the bad byte: the bad byte starts the next one.
        let line = if good.ends_with(['\n', '\r']) {
            line + 1
        } else {
            line
        };
        ZooCfgError::new(
            line,
            format!("the file is not valid UTF-8 (byte {:#04x})", bytes[at]),
        )
    })
}

/// The number of lines in `text` as the parser counts them (`\n`, `\r` and `\r\n` end a line;
/// a final line terminator does not start another line; at least 1).
pub fn line_count(text: &str) -> u32 {
    natural_lines(text).len().max(1) as u32
}

/// Parses zoo.cfg text.
pub fn parse(text: &str) -> Result<ZooCfg, ZooCfgError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = natural_lines(text);
    let last_line = lines.len().max(1) as u32;
    let entries = entries(&lines)?;
    // A later line wins over an earlier one with the same key.
    let mut latest: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        latest.insert(e.key.as_str(), i);
    }
    let mut keep: Vec<usize> = latest.values().copied().collect();
    keep.sort_unstable();
    let get = |k: &str| latest.get(k).map(|&i| &entries[i]);
    let multi_address =
        get("multiAddress.enabled").is_some_and(|e| e.value.eq_ignore_ascii_case("true"));
    let standalone =
        get("standaloneEnabled").is_none_or(|e| !e.value.eq_ignore_ascii_case("false"));

    let mut raw = RawTiming::default();
    let mut servers: BTreeMap<u8, Server> = BTreeMap::new();
    let mut server_keys: BTreeMap<u8, (u32, String)> = BTreeMap::new();
    for &i in &keep {
        let e = &entries[i];
        let (key, value, line) = (e.key.as_str(), e.value.as_str(), e.line);
        let err = |m: String| Err(ZooCfgError::new(line, m));
        if let Some(rest) = key.strip_prefix("server.") {
            let id = match rest.parse::<i64>() {
                Ok(n) => n,
                Err(_) => return err(format!("{key}: {} is not a number", quote(rest))),
            };
            let id = match u8::try_from(id) {
                Ok(n) if n >= 1 => n,
                _ => {
                    return err(format!(
                        "{key}: the simulator supports server ids 1..{MAX_SERVER_ID}, found {id}"
                    ));
                }
            };
            if let Some((l, k)) = server_keys.get(&id) {
                return err(format!(
                    "{key}: server {id} is already defined on line {l} (as {k})"
                ));
            }
            let s = server(key, id, value, line, multi_address)?;
            server_keys.insert(id, (line, key.to_string()));
            servers.insert(id, s);
            continue;
        }
        match key {
            "tickTime" => raw.tick_time = Some((java_int(key, value, line)?, line)),
            "initLimit" => raw.init_limit = Some((java_int(key, value, line)?, line)),
            "syncLimit" => raw.sync_limit = Some((java_int(key, value, line)?, line)),
            "minSessionTimeout" => raw.min_session = Some((java_int(key, value, line)?, line)),
            "maxSessionTimeout" => raw.max_session = Some((java_int(key, value, line)?, line)),
            "electionAlg" => {
                if java_int(key, value, line)? != 3 {
                    return err("Invalid electionAlg value. Only 3 is supported.".into());
                }
            }
            "peerType" => {
                if !value.eq_ignore_ascii_case("observer")
                    && !value.eq_ignore_ascii_case("participant")
                {
                    return err(format!(
                        "Unrecognised peertype: {} (expected observer or participant)",
                        quote(value)
                    ));
                }
            }
            "dynamicConfigFile" => {
                return err(
                    "dynamicConfigFile: the simulator reads the server.N lines from this file only; \
                     put them here instead"
                        .into(),
                );
            }
            "clientPortAddress" | "secureClientPortAddress" => {
                let port_key = key.trim_end_matches("Address");
                let port_set = get(port_key).is_some_and(|p| p.value.parse::<i32>() != Ok(0));
                if !port_set {
                    return err(format!("{key} is set but {port_key} is not set"));
                }
            }
            _ if INT_KEYS.contains(&key) => {
                java_int(key, value, line)?;
            }
            _ if LONG_KEYS.contains(&key) => {
                if value.parse::<i64>().is_err() {
                    return err(format!("{key}: {} is not a number", quote(value)));
                }
            }
            _ if BOOL_KEYS.contains(&key) => {
                if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") {
                    return err(format!(
                        "{key}: {} is not an option: choose true or false",
                        quote(value)
                    ));
                }
            }
            _ if key.starts_with("group") || key.starts_with("weight") => {
                return err(format!(
                    "{key}: hierarchical quorums (group.N, weight.N) are not supported by the \
                     simulator, which counts a majority of the voters"
                ));
            }
            _ => {
                if let Some(known) = case_mismatch(key) {
                    return err(format!(
                        "{} is not a key ZooKeeper knows (keys are case-sensitive): did you mean {known}?",
                        quote(key)
                    ));
                }
                // Unknown keys: ZooKeeper sets them as system properties ("zookeeper.KEY").
            }
        }
    }

    let servers: Vec<Server> = servers.into_values().collect();
    check_members(&servers, standalone, last_line)?;
    let distributed = !standalone || servers.iter().filter(|s| !s.observer).count() > 1;
    let timing = timing(&raw, distributed, last_line)?;
    Ok(ZooCfg {
        servers,
        tick_time: timing.0,
        init_limit: timing.1,
        sync_limit: timing.2,
        min_session_timeout: timing.3,
        max_session_timeout: timing.4,
        last_line,
    })
}

/// Integer keys ZooKeeper reads with `Integer.parseInt` and the simulator ignores.
const INT_KEYS: &[&str] = &[
    "clientPort",
    "secureClientPort",
    "observerMasterPort",
    "clientPortListenBacklog",
    "maxClientCnxns",
    "connectToLearnerMasterLimit",
    "autopurge.snapRetainCount",
    "autopurge.purgeInterval",
    "quorum.cnxn.threads.size",
    "multiAddress.reachabilityCheckTimeoutMs",
];

/// Keys ZooKeeper reads with `Long.parseLong`.
const LONG_KEYS: &[&str] = &[
    "jvm.pause.info-threshold.ms",
    "jvm.pause.warn-threshold.ms",
    "jvm.pause.sleep.time.ms",
];

/// Boolean keys (`true` or `false`, any letter case).
const BOOL_KEYS: &[&str] = &[
    "localSessionsEnabled",
    "localSessionsUpgradingEnabled",
    "quorumListenOnAllIPs",
    "syncEnabled",
    "standaloneEnabled",
    "reconfigEnabled",
    "sslQuorum",
    "portUnification",
    "sslQuorumReloadCertFiles",
    "quorum.auth.enableSasl",
    "quorum.auth.serverRequireSasl",
    "quorum.auth.learnerRequireSasl",
    "jvm.pause.monitor",
    "multiAddress.enabled",
    "multiAddress.reachabilityCheckEnabled",
];

/// Other keys ZooKeeper knows (text values, or keys it passes on as system properties that
/// the documentation lists), for the letter-case check.
const TEXT_KEYS: &[&str] = &[
    "dataDir",
    "dataLogDir",
    "clientPortAddress",
    "secureClientPortAddress",
    "dynamicConfigFile",
    "oraclePath",
    "metricsProvider.className",
    "quorum.auth.learner.saslLoginContext",
    "quorum.auth.server.saslLoginContext",
    "quorum.auth.kerberos.servicePrincipal",
    "4lw.commands.whitelist",
    "admin.enableServer",
    "admin.serverAddress",
    "admin.serverPort",
    "admin.idleTimeout",
    "admin.commandURL",
    "snapCount",
    "preAllocSize",
    "globalOutstandingLimit",
    "leaderServes",
    "cnxTimeout",
    "forceSync",
    "skipACL",
    "electionPortBindRetry",
    "initLimit",
    "syncLimit",
    "tickTime",
    "minSessionTimeout",
    "maxSessionTimeout",
    "electionAlg",
    "peerType",
];

/// The known key that `key` matches but for letter case, if any.
fn case_mismatch(key: &str) -> Option<String> {
    if let (Some(head), Some(tail)) = (key.get(..7), key.get(7..))
        && head.eq_ignore_ascii_case("server.")
        && head != "server."
    {
        return Some(format!("server.{tail}"));
    }
    [INT_KEYS, LONG_KEYS, BOOL_KEYS, TEXT_KEYS]
        .iter()
        .flat_map(|l| l.iter())
        .find(|k| k.eq_ignore_ascii_case(key) && **k != key)
        .map(|k| k.to_string())
}

/// The timing keys as ZooKeeper read them (value, line).
#[derive(Default)]
struct RawTiming {
    tick_time: Option<(i32, u32)>,
    init_limit: Option<(i32, u32)>,
    sync_limit: Option<(i32, u32)>,
    min_session: Option<(i32, u32)>,
    max_session: Option<(i32, u32)>,
}

type Timing = (
    Option<Setting>,
    Option<Setting>,
    Option<Setting>,
    Option<Setting>,
    Option<Setting>,
);

/// ZooKeeper's checks of the timing keys, then the simulator's (every value positive).
fn timing(raw: &RawTiming, distributed: bool, last_line: u32) -> Result<Timing, ZooCfgError> {
    let setting = |(v, line): (i32, u32)| Setting {
        value: v as u64,
        line,
    };
    let tick_time = match raw.tick_time {
        Some((0, line)) => return Err(ZooCfgError::new(line, "tickTime is not set")),
        Some((v, line)) if v < 0 => {
            return Err(ZooCfgError::new(
                line,
                format!("tickTime: {v} is not a positive number of milliseconds"),
            ));
        }
        t => t.map(setting),
    };
    let limit = |key: &str, v: Option<(i32, u32)>| match v {
        None | Some((0, _)) if distributed => Err(ZooCfgError::new(
            v.map_or(last_line, |(_, l)| l),
            format!("{key} is not set"),
        )),
        None | Some((0, _)) => Ok(None),
        Some((n, line)) if n < 0 => Err(ZooCfgError::new(
            line,
            format!("{key}: {n} is not a positive number of ticks"),
        )),
        Some(s) => Ok(Some(setting(s))),
    };
    let init_limit = limit("initLimit", raw.init_limit)?;
    let sync_limit = limit("syncLimit", raw.sync_limit)?;
    let session = |key: &str, v: Option<(i32, u32)>| match v {
        None | Some((-1, _)) => Ok(None),
        Some((n, line)) if n <= 0 => Err(ZooCfgError::new(
            line,
            format!(
                "{key}: the simulator needs a positive number of milliseconds (or -1 for the \
                 default), found {n}"
            ),
        )),
        Some(s) => Ok(Some(setting(s))),
    };
    let min = session("minSessionTimeout", raw.min_session)?;
    let max = session("maxSessionTimeout", raw.max_session)?;
    let tick = tick_time.map_or(DEFAULT_TICK_TIME, |s| s.value);
    let min_v = min.map_or(2 * tick, |s| s.value);
    let max_v = max.map_or(20 * tick, |s| s.value);
    if min_v > max_v {
        let line = min.or(max).map_or(last_line, |s| s.line);
        return Err(ZooCfgError::new(
            line,
            format!(
                "minSessionTimeout must not be larger than maxSessionTimeout ({min_v} > {max_v} ms)"
            ),
        ));
    }
    Ok((tick_time, init_limit, sync_limit, min, max))
}

/// ZooKeeper's membership checks, then the simulator's numbering: voters 1..N.
fn check_members(servers: &[Server], standalone: bool, last_line: u32) -> Result<(), ZooCfgError> {
    let voters: Vec<&Server> = servers.iter().filter(|s| !s.observer).collect();
    let first_observer = servers.iter().find(|s| s.observer);
    if voters.is_empty() {
        return Err(match first_observer {
            Some(o) => ZooCfgError::new(
                o.line,
                "observers without participants are an invalid configuration",
            ),
            None if !standalone => ZooCfgError::new(
                last_line,
                "standaloneEnabled=false needs at least one participant (server.N line)",
            ),
            None => ZooCfgError::new(
                last_line,
                "no server.N line: the simulator runs an ensemble, so it needs at least one \
                 (for example server.1=zoo1:2888:3888)",
            ),
        });
    }
    if voters.len() == 1
        && standalone
        && let Some(o) = first_observer
    {
        return Err(ZooCfgError::new(
            o.line,
            "observers without a quorum are an invalid configuration (one participant, and \
             standaloneEnabled is true)",
        ));
    }
    let n = voters.len();
    for (i, v) in voters.iter().enumerate() {
        if usize::from(v.id.0) != i + 1 {
            let ids: Vec<String> = voters.iter().take(12).map(|v| v.id.0.to_string()).collect();
            let more = if n > 12 { ", …" } else { "" };
            return Err(ZooCfgError::new(
                v.line,
                format!(
                    "server.{}: the simulator numbers voters 1..{n}, but the participants are \
                     servers {}{more}: renumber them server.1 to server.{n}",
                    v.id.0,
                    ids.join(", ")
                ),
            ));
        }
    }
    // Ids are unique, so with voters 1..N every observer is above them.
    Ok(())
}

/// Parses a `server.N` value.
fn server(
    key: &str,
    id: u8,
    value: &str,
    line: u32,
    multi_address: bool,
) -> Result<Server, ZooCfgError> {
    let err = |m: String| ZooCfgError::new(line, format!("{key}: {m}"));
    let wrong = || {
        err(format!(
            "{} does not have the form \
             host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]",
            quote(value)
        ))
    };
    let parts = java_split(value, ';');
    if parts.is_empty() || parts.len() > 2 {
        return Err(wrong());
    }
    let port = |text: &str| -> Result<u16, ZooCfgError> {
        match text.parse::<i32>() {
            Ok(n) => {
                u16::try_from(n).map_err(|_| err(format!("port {n} is out of range (0..65535)")))
            }
            Err(_) => Err(err(format!("{} is not a port number", quote(text)))),
        }
    };
    let client_port = match parts.get(1) {
        Some(c) => {
            let cp = host_and_port(c).map_err(&err)?;
            match cp.as_slice() {
                [p] | [_, p] => Some(port(p)?),
                _ => return Err(wrong()),
            }
        }
        None => None,
    };
    let addresses = java_split(parts[0], '|');
    if addresses.is_empty() {
        return Err(wrong());
    }
    if addresses.len() > 1 && !multi_address {
        return Err(err(format!(
            "{} addresses are given, but multiAddress.enabled is not true",
            addresses.len()
        )));
    }
    let mut first: Option<(String, u16, u16)> = None;
    let mut role: Option<bool> = None;
    for a in addresses {
        let sp = host_and_port(a).map_err(&err)?;
        if sp.len() < 3 || sp.len() > 4 {
            return Err(wrong());
        }
        let qp = port(&sp[1])?;
        let ep = port(&sp[2])?;
        if qp == ep {
            return Err(err(format!(
                "the quorum port and the election port must be different (both are {qp})"
            )));
        }
        if let Some(t) = sp.get(3) {
            let observer = if t.eq_ignore_ascii_case("observer") {
                true
            } else if t.eq_ignore_ascii_case("participant") {
                false
            } else {
                return Err(err(format!(
                    "Unrecognised peertype: {} (expected observer or participant)",
                    quote(t)
                )));
            };
            if role.is_some_and(|r| r != observer) {
                return Err(err(
                    "every address of a server must have the same role (participant or observer)"
                        .into(),
                ));
            }
            role = Some(observer);
        }
        if first.is_none() {
            first = Some((sp[0].clone(), qp, ep));
        }
    }
    let (host, quorum_port, election_port) = first.ok_or_else(wrong)?;
    Ok(Server {
        id: ServerId(id),
        line,
        host,
        quorum_port,
        election_port,
        observer: role.unwrap_or(false),
        client_port,
    })
}

/// `host:port…` or `[ipv6]:port…`, split on `:` the way ZooKeeper does.
fn host_and_port(s: &str) -> Result<Vec<String>, String> {
    if let Some(inner) = s.strip_prefix('[') {
        let Some(close) = inner.find("]:") else {
            return Err(format!(
                "{} starts with '[' but has no matching ']:'",
                quote(s)
            ));
        };
        let mut out = vec![inner[..close].to_string()];
        out.extend(
            java_split(&inner[close + 2..], ':')
                .into_iter()
                .map(str::to_string),
        );
        return Ok(out);
    }
    Ok(java_split(s, ':').into_iter().map(str::to_string).collect())
}

/// Java's `String.split` on one character: trailing empty pieces are dropped (a string without
/// the separator is one piece, even when empty).
fn java_split(s: &str, sep: char) -> Vec<&str> {
    if !s.contains(sep) {
        return vec![s];
    }
    let mut v: Vec<&str> = s.split(sep).collect();
    while v.last() == Some(&"") {
        v.pop();
    }
    v
}

/// `Integer.parseInt` with ZooKeeper's failure named.
fn java_int(key: &str, value: &str, line: u32) -> Result<i32, ZooCfgError> {
    value.parse::<i32>().map_err(|e| {
        let m = match e.kind() {
            std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => format!(
                "{key}: {} is out of range (ZooKeeper reads it as a 32-bit integer)",
                quote(value)
            ),
            _ => format!("{key}: {} is not a number", quote(value)),
        };
        ZooCfgError::new(line, m)
    })
}

/// A piece of the input for a message: quoted, control characters escaped, at most 40
/// characters.
fn quote(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    format!("{out:?}")
}

/// The file's natural lines (`\n`, `\r` or `\r\n` end one).
fn natural_lines(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&text[start..i]);
                i += 1;
                start = i;
            }
            b'\r' => {
                out.push(&text[start..i]);
                i += 1;
                if b.get(i) == Some(&b'\n') {
                    i += 1;
                }
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < b.len() {
        out.push(&text[start..]);
    }
    out
}

/// A key and its value, unescaped and trimmed, with the line its logical line starts on.
struct Entry {
    line: u32,
    key: String,
    value: String,
}

/// Blanks in a properties file.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x0c')
}

/// The entries of a properties file, in file order.
fn entries(lines: &[&str]) -> Result<Vec<Entry>, ZooCfgError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = (i + 1) as u32;
        let first = lines[i].trim_start_matches(is_blank);
        i += 1;
        if first.is_empty() || first.starts_with(['#', '!']) {
            continue;
        }
        let mut logical = String::new();
        let mut cur = first;
        loop {
            let backslashes = cur.len() - cur.trim_end_matches('\\').len();
            if backslashes.is_multiple_of(2) {
                logical.push_str(cur);
                break;
            }
            logical.push_str(&cur[..cur.len() - 1]);
            match lines.get(i) {
                Some(next) => {
                    cur = next.trim_start_matches(is_blank);
                    i += 1;
                }
                None => break,
            }
        }
        out.push(entry(&logical, line)?);
    }
    Ok(out)
}

/// Splits a logical line into its key and value.
fn entry(logical: &str, line: u32) -> Result<Entry, ZooCfgError> {
    let chars: Vec<char> = logical.chars().collect();
    let len = chars.len();
    let mut key_end = 0;
    let mut value_start = len;
    let mut has_sep = false;
    let mut escaped = false;
    while key_end < len {
        let c = chars[key_end];
        if !escaped && (c == '=' || c == ':') {
            value_start = key_end + 1;
            has_sep = true;
            break;
        }
        if !escaped && is_blank(c) {
            value_start = key_end + 1;
            break;
        }
        escaped = c == '\\' && !escaped;
        key_end += 1;
    }
    while value_start < len {
        let c = chars[value_start];
        if !is_blank(c) {
            if !has_sep && (c == '=' || c == ':') {
                has_sep = true;
            } else {
                break;
            }
        }
        value_start += 1;
    }
    let key = unescape(&chars[..key_end], line)?;
    let value = unescape(&chars[value_start..], line)?;
    Ok(Entry {
        line,
        key: java_trim(&key).to_string(),
        value: java_trim(&value).to_string(),
    })
}

/// Java's `String.trim`: drops characters up to U+0020 at both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// Resolves the escapes of a key or value.
fn unescape(s: &[char], line: u32) -> Result<String, ZooCfgError> {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = s.get(i) else { break };
        i += 1;
        match e {
            'u' => {
                let unit = |at: usize| -> Option<u32> {
                    let hex: String = s.get(at..at + 4)?.iter().collect();
                    if hex.chars().all(|c| c.is_ascii_hexdigit()) {
                        u32::from_str_radix(&hex, 16).ok()
                    } else {
                        None
                    }
                };
                let bad = |at: usize| {
                    let shown: String = s[at.saturating_sub(2)..(at + 4).min(s.len())]
                        .iter()
                        .collect();
                    ZooCfgError::new(line, format!("malformed \\uxxxx escape {}", quote(&shown)))
                };
                let hi = unit(i).ok_or_else(|| bad(i))?;
                i += 4;
                let ch = if (0xd800..0xdc00).contains(&hi) {
                    // A surrogate pair: \uD83D\uDE00.
                    let lo = (s.get(i) == Some(&'\\') && s.get(i + 1) == Some(&'u'))
                        .then(|| unit(i + 2))
                        .flatten()
                        .filter(|lo| (0xdc00..0xe000).contains(lo))
                        .ok_or_else(|| bad(i - 4))?;
                    i += 6;
                    char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00))
                } else {
                    char::from_u32(hi)
                };
                out.push(ch.ok_or_else(|| bad(i - 4))?);
            }
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'f' => out.push('\x0c'),
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{parse as parse_script, runner::config_of};

    const TYPICAL: &str = "\
# The sample from the ZooKeeper administrator's guide, with an observer.
tickTime=2000
initLimit=10
syncLimit=5
dataDir=/var/lib/zookeeper
clientPort=2181
server.1=zoo1:2888:3888
server.2=zoo2:2888:3888
server.3=zoo3:2888:3888
server.4=zoo4:2888:3888:observer
";

    fn err(text: &str) -> String {
        match parse(text) {
            Ok(c) => panic!("{text:?} parsed: {c:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn header(text: &str) -> String {
        match parse(text) {
            Ok(c) => c.to_script_header(),
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    /// Three voters and the two limits: the smallest ensemble file ZooKeeper accepts.
    fn three(extra: &str) -> String {
        format!(
            "initLimit=10\nsyncLimit=5\nserver.1=a:2888:3888\nserver.2=b:2888:3888\nserver.3=c:2888:3888\n{extra}"
        )
    }

    #[test]
    fn the_typical_file_becomes_a_header_the_script_parser_takes() {
        let c = parse(TYPICAL).unwrap();
        assert_eq!(c.voters(), 3);
        assert_eq!(c.observers(), vec![ServerId(4)]);
        assert_eq!(c.tick_time(), 2000);
        assert_eq!(c.last_line, 10);
        assert_eq!(
            c.servers[3],
            Server {
                id: ServerId(4),
                line: 10,
                host: "zoo4".into(),
                quorum_port: 2888,
                election_port: 3888,
                observer: true,
                client_port: None,
            }
        );
        let h = c.to_script_header();
        assert_eq!(
            h,
            "servers 3 observers 4\nconfig tickTime=2000 initLimit=10 syncLimit=5\n"
        );
        let script = parse_script(&format!("{h}start\nstatus\n")).unwrap();
        let cfg = config_of(&script);
        assert_eq!((cfg.voters, cfg.observers.clone()), (3, vec![ServerId(4)]));
        assert_eq!(
            (cfg.tick_time, cfg.init_limit, cfg.sync_limit),
            (2000, 10, 5)
        );
    }

    #[test]
    fn session_timeouts_and_the_default_tick_time_reach_the_header() {
        let h = header(&three("minSessionTimeout=7000\nmaxSessionTimeout=90000\n"));
        assert_eq!(
            h,
            "servers 3\nconfig tickTime=3000 initLimit=10 syncLimit=5 minSessionTimeout=7000 maxSessionTimeout=90000\n"
        );
        let cfg = config_of(&parse_script(&h).unwrap());
        assert_eq!(
            (
                cfg.tick_time,
                cfg.min_session_timeout,
                cfg.max_session_timeout
            ),
            (3000, Some(7000), Some(90000))
        );
        // -1 means "the default".
        let h = header(&three("minSessionTimeout=-1\nmaxSessionTimeout=-1\n"));
        assert_eq!(
            h,
            "servers 3\nconfig tickTime=3000 initLimit=10 syncLimit=5\n"
        );
    }

    #[test]
    fn java_properties_syntax() {
        // Blanks around keys and values, `:` and blank separators, `!` comments, CR and CRLF
        // line ends, continuation lines, escapes, a BOM.
        let text = "\u{feff}! comment\r\n  tickTime : 1500  \r\ninitLimit   7\rsyncLimit\t=\t4\n\
                    server.1 = a:2888:3888\nserver.2=b:\\\n    2888:3888\nserver\\.3=c:2888:3888:\\u0070articipant\n\
                    \n   # indented comment \\\nserver.4=d:1:2:observer\n";
        let c = parse(text).unwrap();
        assert_eq!(
            c.to_script_header(),
            "servers 3 observers 4\nconfig tickTime=1500 initLimit=7 syncLimit=4\n"
        );
        assert_eq!(c.tick_time.unwrap().line, 2);
        assert_eq!(c.sync_limit.unwrap().line, 4);
        // The continued entry counts from its first line; the line after continues it.
        assert_eq!(c.servers[1].line, 6);
        assert_eq!(c.servers[2].line, 8);
        assert_eq!(c.servers[3].line, 11);
        // A key without a value, and an escaped separator inside a key.
        assert!(parse(&three("dataDir\nmy\\=key=1\n")).is_ok());
        // An even number of backslashes does not continue the line.
        assert!(parse(&three("dataDir=c:\\\\\ntickTime=100\n")).is_ok());
        assert_eq!(
            header(&three("dataDir=c:\\\\\ntickTime=100\n"))
                .lines()
                .nth(1),
            Some("config tickTime=100 initLimit=10 syncLimit=5")
        );
    }

    #[test]
    fn a_later_line_wins_as_in_java_properties() {
        let c = parse(&three("tickTime=abc\ntickTime=500\n")).unwrap();
        assert_eq!(
            c.tick_time,
            Some(Setting {
                value: 500,
                line: 7
            })
        );
        let c = parse(&three("server.3=c:2888:3888:observer\nserver.3=c:1:2\n")).unwrap();
        assert_eq!(c.voters(), 3);
    }

    #[test]
    fn zookeepers_other_keys_are_accepted_and_ignored() {
        let extra = "dataDir=/data\ndataLogDir=/log\nclientPort=2181\nelectionAlg=3\npeerType=OBSERVER\n\
                     standaloneEnabled=true\n4lw.commands.whitelist=srvr, ruok, mntr\nmaxClientCnxns=0\n\
                     autopurge.snapRetainCount=3\nautopurge.purgeInterval=1\nadmin.enableServer=false\n\
                     admin.serverPort=8080\nreconfigEnabled=FALSE\nclientPortAddress=0.0.0.0\n\
                     metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider\n\
                     metricsProvider.httpPort=7000\njute.maxbuffer=0xfffff\nsnapCount=100000\n\
                     quorumListenOnAllIPs=true\njvm.pause.warn-threshold.ms=10000\nsomethingNew=1\n";
        assert_eq!(
            header(&three(extra)),
            "servers 3\nconfig tickTime=3000 initLimit=10 syncLimit=5\n"
        );
    }

    #[test]
    fn checks_of_keys_zookeeper_checks() {
        assert_eq!(
            err(&three("electionAlg=1\n")),
            "line 6: Invalid electionAlg value. Only 3 is supported."
        );
        assert_eq!(
            err(&three("electionAlg=fast\n")),
            "line 6: electionAlg: \"fast\" is not a number"
        );
        assert_eq!(
            err(&three("peerType=voter\n")),
            "line 6: Unrecognised peertype: \"voter\" (expected observer or participant)"
        );
        assert_eq!(
            err(&three("standaloneEnabled=yes\n")),
            "line 6: standaloneEnabled: \"yes\" is not an option: choose true or false"
        );
        assert_eq!(
            err(&three("clientPort=21 81\n")),
            "line 6: clientPort: \"21 81\" is not a number"
        );
        assert_eq!(
            err(&three("clientPortAddress=10.0.0.1\n")),
            "line 6: clientPortAddress is set but clientPort is not set"
        );
        assert_eq!(
            err(&three("jvm.pause.sleep.time.ms=soon\n")),
            "line 6: jvm.pause.sleep.time.ms: \"soon\" is not a number"
        );
        assert_eq!(
            err(&three("dynamicConfigFile=/conf/zoo.cfg.dynamic\n")),
            "line 6: dynamicConfigFile: the simulator reads the server.N lines from this file only; put them here instead"
        );
        assert!(
            err(&three("group.1=1:2:3\n")).starts_with("line 6: group.1: hierarchical quorums")
        );
        assert!(err(&three("weight.1=2\n")).starts_with("line 6: weight.1: hierarchical quorums"));
    }

    #[test]
    fn a_key_wrong_only_in_letter_case_is_an_error() {
        assert_eq!(
            err(&three("ticktime=2000\n")),
            "line 6: \"ticktime\" is not a key ZooKeeper knows (keys are case-sensitive): did you mean tickTime?"
        );
        assert_eq!(
            err("Server.1=a:1:2\n"),
            "line 1: \"Server.1\" is not a key ZooKeeper knows (keys are case-sensitive): did you mean server.1?"
        );
        assert!(err(&three("INITLIMIT=3\n")).ends_with("did you mean initLimit?"));
    }

    #[test]
    fn timing_rules() {
        assert_eq!(err(&three("tickTime=0\n")), "line 6: tickTime is not set");
        assert_eq!(
            err(&three("tickTime=-5\n")),
            "line 6: tickTime: -5 is not a positive number of milliseconds"
        );
        assert_eq!(
            err(&three("tickTime=2.5s\n")),
            "line 6: tickTime: \"2.5s\" is not a number"
        );
        assert_eq!(
            err("server.1=a:1:2\nserver.2=b:1:2\nsyncLimit=5\n"),
            "line 3: initLimit is not set"
        );
        assert_eq!(
            err("server.1=a:1:2\nserver.2=b:1:2\ninitLimit=5\n\n# end\n"),
            "line 5: syncLimit is not set"
        );
        assert_eq!(
            err("server.1=a:1:2\nserver.2=b:1:2\ninitLimit=0\nsyncLimit=1"),
            "line 3: initLimit is not set"
        );
        assert_eq!(
            err("server.1=a:1:2\nserver.2=b:1:2\ninitLimit=-3\nsyncLimit=1"),
            "line 3: initLimit: -3 is not a positive number of ticks"
        );
        assert_eq!(
            err(&three("tickTime=2000\nminSessionTimeout=50000\n")),
            "line 7: minSessionTimeout must not be larger than maxSessionTimeout (50000 > 40000 ms)"
        );
        assert_eq!(
            err(&three("maxSessionTimeout=1000\n")),
            "line 6: minSessionTimeout must not be larger than maxSessionTimeout (6000 > 1000 ms)"
        );
        assert_eq!(
            err(&three("minSessionTimeout=0\n")),
            "line 6: minSessionTimeout: the simulator needs a positive number of milliseconds (or -1 for the default), found 0"
        );
        // A single server runs standalone: the limits are optional.
        assert_eq!(
            header("server.1=a:2888:3888\n"),
            "servers 1\nconfig tickTime=3000\n"
        );
        // ...unless standaloneEnabled is false.
        assert_eq!(
            err("server.1=a:2888:3888\nstandaloneEnabled=false\n"),
            "line 2: initLimit is not set"
        );
    }

    #[test]
    fn huge_numbers_are_out_of_range() {
        assert_eq!(
            err(&three("tickTime=99999999999999999999999\n")),
            "line 6: tickTime: \"99999999999999999999999\" is out of range (ZooKeeper reads it as a 32-bit integer)"
        );
        assert_eq!(
            err(&three("initLimit=2147483648\n")),
            "line 6: initLimit: \"2147483648\" is out of range (ZooKeeper reads it as a 32-bit integer)"
        );
        // The largest int is fine, and the script parser takes it.
        let h = header(&three(
            "tickTime=2147483647\nminSessionTimeout=2147483647\nmaxSessionTimeout=2147483647\n",
        ));
        assert!(parse_script(&h).is_ok(), "{h}");
        assert_eq!(
            err("server.99999999999999999999=a:1:2\n"),
            "line 1: server.99999999999999999999: \"99999999999999999999\" is not a number"
        );
        assert_eq!(
            err("server.1=a:99999:3888\n"),
            "line 1: server.1: port 99999 is out of range (0..65535)"
        );
    }

    #[test]
    fn server_line_rules() {
        let wrong = |v: &str| {
            format!(
                "line 1: server.1: {v:?} does not have the form host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort]"
            )
        };
        assert_eq!(err("server.1=zoo1:2888\n"), wrong("zoo1:2888"));
        assert_eq!(err("server.1=\n"), wrong(""));
        assert_eq!(
            err("server.1=a:1:2:observer:x\n"),
            wrong("a:1:2:observer:x")
        );
        assert_eq!(err("server.1=a:1:2;b:3;4\n"), wrong("a:1:2;b:3;4"));
        assert_eq!(err("server.1=a:1:2;x:y:3\n"), wrong("a:1:2;x:y:3"));
        assert_eq!(
            err("server.1=zoo1:28a8:3888\n"),
            "line 1: server.1: \"28a8\" is not a port number"
        );
        assert_eq!(
            err("server.1=zoo1:2888:2888\n"),
            "line 1: server.1: the quorum port and the election port must be different (both are 2888)"
        );
        assert_eq!(
            err("server.1=zoo1:2888:3888:witness\n"),
            "line 1: server.1: Unrecognised peertype: \"witness\" (expected observer or participant)"
        );
        assert_eq!(
            err("server.1=[::1:2888:3888\n"),
            "line 1: server.1: \"[::1:2888:3888\" starts with '[' but has no matching ']:'"
        );
        assert_eq!(
            err("server.x=zoo1:2888:3888\n"),
            "line 1: server.x: \"x\" is not a number"
        );
        assert_eq!(
            err("server.=a:1:2\n"),
            "line 1: server.: \"\" is not a number"
        );
        assert_eq!(
            err("server.1.2=a:1:2\n"),
            "line 1: server.1.2: \"1.2\" is not a number"
        );
        assert_eq!(
            err("server.0=a:1:2\n"),
            "line 1: server.0: the simulator supports server ids 1..255, found 0"
        );
        assert_eq!(
            err("server.-1=a:1:2\n"),
            "line 1: server.-1: the simulator supports server ids 1..255, found -1"
        );
        assert_eq!(
            err("server.1=a:1:2\nserver.01=b:1:2\n"),
            "line 2: server.01: server 1 is already defined on line 1 (as server.1)"
        );
        assert_eq!(
            err("server.1=a:1:2|b:1:2\n"),
            "line 1: server.1: 2 addresses are given, but multiAddress.enabled is not true"
        );
        // IPv6, a client port, several addresses, a trailing colon (Java's split drops it),
        // an explicit participant.
        let c = parse(
            "multiAddress.enabled=true\ninitLimit=5\nsyncLimit=2\n\
             server.1=[2001:db8::1]:2888:3888;2181\nserver.2=b:2888:3888:participant;0.0.0.0:2182\n\
             server.3=c1:2888:3888|c2:2889:3889:\nserver.4=d:2888:3888:observer|e:1:2:observer\n",
        )
        .unwrap();
        assert_eq!(c.servers[0].host, "2001:db8::1");
        assert_eq!(c.servers[0].client_port, Some(2181));
        assert_eq!(c.servers[1].client_port, Some(2182));
        assert_eq!(
            (c.servers[2].host.as_str(), c.servers[2].quorum_port),
            ("c1", 2888)
        );
        assert_eq!(c.observers(), vec![ServerId(4)]);
        assert_eq!(
            err("multiAddress.enabled=true\nserver.1=a:1:2:observer|b:1:2:participant\n"),
            "line 2: server.1: every address of a server must have the same role (participant or observer)"
        );
    }

    #[test]
    fn the_simulators_numbering() {
        assert_eq!(
            err("initLimit=5\nsyncLimit=2\nserver.1=a:1:2\nserver.2=b:1:2\nserver.4=d:1:2\n"),
            "line 5: server.4: the simulator numbers voters 1..3, but the participants are servers 1, 2, 4: renumber them server.1 to server.3"
        );
        assert_eq!(
            err("initLimit=5\nsyncLimit=2\nserver.2=b:1:2\nserver.3=d:1:2\n"),
            "line 3: server.2: the simulator numbers voters 1..2, but the participants are servers 2, 3: renumber them server.1 to server.2"
        );
        assert_eq!(
            err(
                "initLimit=5\nsyncLimit=2\nserver.1=a:1:2:observer\nserver.2=b:1:2\nserver.3=c:1:2\n"
            ),
            "line 4: server.2: the simulator numbers voters 1..2, but the participants are servers 2, 3: renumber them server.1 to server.2"
        );
        // One voter and an observer: a quorum when standaloneEnabled is false.
        assert_eq!(
            header(
                "initLimit=5\nsyncLimit=2\nserver.1=a:1:2\nserver.2=b:1:2:observer\nstandaloneEnabled=false\n"
            ),
            "servers 1 observers 2\nconfig tickTime=3000 initLimit=5 syncLimit=2\n"
        );
        assert_eq!(
            err("server.5=a:1:2:observer\n"),
            "line 1: observers without participants are an invalid configuration"
        );
        assert_eq!(
            err("server.1=a:1:2\nserver.2=a:3:4:observer\n"),
            "line 2: observers without a quorum are an invalid configuration (one participant, and standaloneEnabled is true)"
        );
        assert_eq!(
            err("tickTime=2000\n\n"),
            "line 2: no server.N line: the simulator runs an ensemble, so it needs at least one (for example server.1=zoo1:2888:3888)"
        );
        assert_eq!(
            err(""),
            "line 1: no server.N line: the simulator runs an ensemble, so it needs at least one (for example server.1=zoo1:2888:3888)"
        );
        assert_eq!(
            err("standaloneEnabled=false\n"),
            "line 1: standaloneEnabled=false needs at least one participant (server.N line)"
        );
        // Observers may leave gaps above the voters, in any order in the file.
        assert_eq!(
            header(&three("server.9=o:1:2:observer\nserver.5=o:1:2:observer\n")),
            "servers 3 observers 5 9\nconfig tickTime=3000 initLimit=10 syncLimit=5\n"
        );
    }

    #[test]
    fn three_hundred_servers() {
        let mut text = String::from("initLimit=5\nsyncLimit=2\n");
        for i in 1..=300 {
            text.push_str(&format!("server.{i}=zoo{i}:2888:3888\n"));
        }
        assert_eq!(
            err(&text),
            "line 258: server.256: the simulator supports server ids 1..255, found 256"
        );
        // 255 voters is the most, and the script parser takes them.
        let upto: String = text.lines().take(257).map(|l| format!("{l}\n")).collect();
        let h = header(&upto);
        assert!(h.starts_with("servers 255\n"), "{h}");
        assert_eq!(config_of(&parse_script(&h).unwrap()).voters, 255);
    }

    #[test]
    fn hostile_text() {
        // Escapes: bad \u, lone surrogates, a pair, and a backslash at the very end.
        assert_eq!(
            err("dataDir=\\u12g4\n"),
            "line 1: malformed \\uxxxx escape \"\\\\u12g4\""
        );
        assert!(err("dataDir=\\u12").starts_with("line 1: malformed \\uxxxx escape"));
        assert!(err("x=\\ud800\n").starts_with("line 1: malformed \\uxxxx escape"));
        assert!(err("x=\\udc00\n").starts_with("line 1: malformed \\uxxxx escape"));
        assert!(parse(&three("x=\\ud83d\\ude00\ny=\\")).is_ok());
        // Non-ASCII keys and values; a non-ASCII server id is not a number.
        assert!(parse(&three("dataDir=/数据/zk\n中文=值\n")).is_ok());
        assert_eq!(
            err("server.一=a:1:2\n"),
            "line 1: server.一: \"一\" is not a number"
        );
        assert_eq!(
            err("server.1=主机:٢٨٨٨:3888\n"),
            "line 1: server.1: \"٢٨٨٨\" is not a port number"
        );
        // A multi-byte character where "server." would end must not break the case check.
        assert!(parse(&three("serve€r.1=x\nSERVE€R=1\n")).is_ok());
        // Control characters in a message are escaped, and long values are cut.
        let e = err(&format!("tickTime=x\\n{}\n", "9".repeat(5000)));
        assert!(e.starts_with("line 1: tickTime: \"x\\n999"), "{e}");
        assert!(e.len() < 200, "{e}");
    }

    #[test]
    fn a_megabyte_file() {
        // 1 MB of comments and unknown keys around a good ensemble: parsed, errors still on the
        // right line.
        let mut text = three("");
        let filler = "# ".to_string() + &"x".repeat(98) + "\n";
        while text.len() < 1 << 20 {
            text.push_str(&filler);
            text.push_str("some.unknown.key=value value value\n");
        }
        let lines = line_count(&text);
        assert_eq!(header(&text).lines().next(), Some("servers 3"));
        text.push_str("tickTime=x\n");
        assert_eq!(
            err(&text),
            format!("line {}: tickTime: \"x\" is not a number", lines + 1)
        );
        // One line of a megabyte, and a megabyte of continuations.
        assert!(
            err(&format!("server.1={}", "a".repeat(1 << 20))).contains("does not have the form")
        );
        let cont = "dataDir=a\\\n".repeat(100_000) + "\n";
        assert!(parse(&three(&cont)).is_ok());
    }

    #[test]
    fn utf8_and_line_counting() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb\n"), 2);
        assert_eq!(line_count("a\r\nb\rc"), 3);
        assert_eq!(decode_utf8(b"ok".to_vec()).unwrap(), "ok");
        assert_eq!(
            decode_utf8(b"a=1\r\nb=\xff\n".to_vec())
                .unwrap_err()
                .to_string(),
            "line 2: the file is not valid UTF-8 (byte 0xff)"
        );
        assert_eq!(
            decode_utf8(b"a=1\n\xe2\x82".to_vec())
                .unwrap_err()
                .to_string(),
            "line 2: the file is not valid UTF-8 (byte 0xe2)"
        );
        assert_eq!(decode_utf8(b"\xc3".to_vec()).unwrap_err().line, 1);
    }
}
