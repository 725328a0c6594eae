//! Recipe clients: the leader election and exclusive lock recipes of ZooKeeper's documentation
//! (spec/recipes.md), written as the application code that runs on top of a client library.
//!
//! A recipe never touches the servers directly: it issues the same requests a zkCli user could
//! (`create -s -e`, `ls`, `stat -w`, `delete`) through its [`Client`](crate::client::Client), so
//! they go through real sessions, watches and zxids, and their results appear in the trace like
//! any command's, tagged with the `recipe` line that started them.
//!
//! * **Herd-free election** (the documented recipe): create `ROOT/n_` EPHEMERAL_SEQUENTIAL,
//!   list the children *without* a watch; the smallest sequence number leads; everyone else sets
//!   an `exists` watch on its immediate predecessor. On `NodeDeleted` it checks again: it leads
//!   if nothing smaller is left, otherwise it watches its new predecessor. A leader change
//!   therefore wakes exactly one client.
//! * **Naive election, watch the leader**: every candidate sets its `exists` watch on the
//!   smallest node, so the leader's departure wakes all N−1 others (the herd effect).
//! * **Naive election, watch the children**: every candidate lists the children with a watch
//!   (`ls -w ROOT`) and checks again on every `NodeChildrenChanged`: a leader change wakes all
//!   N−1 survivors, and every join wakes everyone already there.
//! * **Exclusive lock**: the herd-free shape with `ROOT/lock-`; the smallest holds the lock;
//!   unlocking deletes the holder's node.
//!
//! Beyond the documented pseudocode, the recipe code does what careful recipe code does with
//! the client library's connection states: it creates the root if it is missing; on
//! `Disconnected` it is *suspended* (it may still own its node but must not act as leader or
//! holder until the session is confirmed again); on `SyncConnected` it resumes, redoing an
//! operation the lost connection interrupted (a `create` whose answer was lost is recovered by
//! looking for a child that the session owns, as the recipe document advises); on `Expired` or
//! after `close` it has lost its node.

use std::collections::BTreeMap;

use crate::ErrorCode;
use crate::SimTime;
use crate::client::CmdValue;
use crate::msg::ClientId;
use crate::script::ZkCommand;
use crate::sim::Sim;
use crate::watch::{EventType, WatchEvent};

/// Which recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecipeKind {
    /// Leader election, in one of its variants.
    Election(Variant),
    /// The exclusive lock (herd-free).
    Lock,
}

/// How election candidates wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// Each candidate watches its predecessor with `exists` (the documented recipe).
    HerdFree,
    /// Each candidate watches the leader's node with `exists`.
    Naive,
    /// Each candidate watches the root's children with `getChildren`.
    NaiveChildren,
}

impl RecipeKind {
    /// `election` or `lock`, as the trace's `recipe` key shows it.
    pub fn family(self) -> &'static str {
        match self {
            RecipeKind::Election(_) => "election",
            RecipeKind::Lock => "lock",
        }
    }

    /// The script's words for it: `election herd-free`, `election naive`,
    /// `election naive-children`, `lock`.
    pub fn name(self) -> &'static str {
        match self {
            RecipeKind::Election(Variant::HerdFree) => "election herd-free",
            RecipeKind::Election(Variant::Naive) => "election naive",
            RecipeKind::Election(Variant::NaiveChildren) => "election naive-children",
            RecipeKind::Lock => "lock",
        }
    }

    /// The root used when the script names none.
    pub fn default_root(self) -> &'static str {
        match self {
            RecipeKind::Election(_) => "/election",
            RecipeKind::Lock => "/lock",
        }
    }

    /// The sequential node's name prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            RecipeKind::Election(_) => "n_",
            RecipeKind::Lock => "lock-",
        }
    }

    /// The role of the candidate with the smallest node.
    pub fn first_role(self) -> Role {
        match self {
            RecipeKind::Election(_) => Role::Leader,
            RecipeKind::Lock => Role::Holder,
        }
    }

    fn variant(self) -> Variant {
        match self {
            RecipeKind::Election(v) => v,
            RecipeKind::Lock => Variant::HerdFree,
        }
    }
}

/// What a `recipe` line starts: the recipe and its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipeSpec {
    /// The recipe.
    pub kind: RecipeKind,
    /// The parent of the candidates' nodes (`/election`, `/lock`, or `path=`).
    pub root: String,
}

/// Where a recipe client stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Creating its node and looking at the others for the first time.
    Joining,
    /// Waiting for its watch to fire (`watching` says on what).
    Waiting,
    /// Leads the election (its node is the smallest).
    Leader,
    /// Holds the lock (its node is the smallest).
    Holder,
    /// Resigned, unlocked or closed its session: its node is gone.
    Left,
    /// Its session expired: its node is gone.
    Lost,
}

impl Role {
    /// The trace's name: `joining`, `waiting`, `leader`, `holder`, `left`, `lost`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Joining => "joining",
            Role::Waiting => "waiting",
            Role::Leader => "leader",
            Role::Holder => "holder",
            Role::Left => "left",
            Role::Lost => "lost",
        }
    }

    /// True for a leader or a lock holder.
    pub fn is_first(self) -> bool {
        matches!(self, Role::Leader | Role::Holder)
    }

    /// True once the client has no node any more.
    pub fn is_over(self) -> bool {
        matches!(self, Role::Left | Role::Lost)
    }
}

/// A role change a recipe client shows (a trace line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipeNote {
    /// `election` or `lock`.
    pub recipe: &'static str,
    /// The new role.
    pub role: Role,
    /// The client's node (full path), if it has or had one.
    pub node: Option<String>,
    /// What it watches now (a node, or the root for the children variant).
    pub watches: Option<String>,
}

/// Something that happened to a recipe client, kept for the views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipeLog {
    /// A watch notification reached the recipe.
    Notified {
        /// When.
        at: SimTime,
        /// The event.
        kind: EventType,
        /// Its path.
        path: String,
        /// Nodes the notification told of the departure of: the deleted node for `exists`
        /// watches; for a child watch, the nodes missing from the next listing.
        gone: Vec<String>,
    },
    /// The client became leader or lock holder with this node.
    Took {
        /// When.
        at: SimTime,
        /// Its node.
        node: String,
    },
}

/// What the recipe wants the client to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// The command as zkCli would show it (the trace's `cmd`).
    pub text: String,
    /// The command.
    pub cmd: ZkCommand,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Idle,
    Create,
    /// Creating the root's missing ancestors and the root: the last path is being created.
    CreateRoot(Vec<String>),
    List,
    Exists(String),
    Delete,
    RecoverList,
    RecoverStat {
        path: String,
        rest: Vec<String>,
    },
}

/// One recipe client's state: the recipe code's variables.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// Which recipe.
    pub kind: RecipeKind,
    /// The root.
    pub root: String,
    /// The script line that started it (its commands' trace lines carry it).
    pub line: u32,
    /// When it started.
    pub joined_at: SimTime,
    /// Its node (full path), once created.
    pub node: Option<String>,
    /// The node (or, for the children variant, the root) its watch is on.
    pub watching: Option<String>,
    /// Its role.
    pub role: Role,
    /// Disconnected: it may own its node but must not act on its role until reconnected.
    pub suspended: bool,
    /// Notifications and leadership, for the views.
    pub log: Vec<RecipeLog>,
    op: Op,
    /// The request waiting to be issued (the client issues it when it can).
    next: Option<Request>,
    /// An event arrived while an operation was in flight: check again after it.
    dirty: bool,
    /// The connection was lost with an operation in flight: redo it after reconnecting.
    resume: bool,
    /// Asked to resign or unlock.
    leaving: bool,
    /// Recipe nodes (full paths, in sequence order) in the last listing.
    listing: Vec<String>,
    /// A child-watch notification waiting for the next listing to say what it was about.
    unattributed: Option<usize>,
    /// Role and watch last shown, to show changes only.
    shown: (Role, Option<String>),
    /// The client's name (the node's data).
    data: String,
}

/// The sequence number of a recipe node name (`n_0000000003` → 3).
pub fn sequence_of(name: &str, prefix: &str) -> Option<u64> {
    let digits = name.strip_prefix(prefix)?;
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl Recipe {
    /// A recipe client about to volunteer (`data` is the client's name).
    pub(crate) fn new(spec: &RecipeSpec, line: u32, now: SimTime, data: &str) -> Recipe {
        let mut r = Recipe {
            kind: spec.kind,
            root: spec.root.clone(),
            line,
            joined_at: now,
            node: None,
            watching: None,
            role: Role::Joining,
            suspended: false,
            log: Vec::new(),
            op: Op::Idle,
            next: None,
            dirty: false,
            resume: false,
            leaving: false,
            listing: Vec::new(),
            unattributed: None,
            shown: (Role::Joining, None),
            data: data.to_string(),
        };
        r.create();
        r
    }

    /// True while the recipe has an operation in flight or waiting to be issued.
    pub fn busy(&self) -> bool {
        self.op != Op::Idle || self.next.is_some()
    }

    /// True when the recipe has come to rest: waiting for a watch, leading, holding, or over,
    /// with nothing in flight.
    pub fn settled(&self) -> bool {
        !self.busy() && self.role != Role::Joining
    }

    /// The request to issue now, if any.
    pub(crate) fn take_next(&mut self) -> Option<Request> {
        self.next.take()
    }

    fn child(&self, name: &str) -> String {
        format!("{}/{name}", self.root)
    }

    fn issue(&mut self, op: Op, text: String, cmd: ZkCommand) {
        self.op = op;
        self.next = Some(Request { text, cmd });
    }

    fn create(&mut self) {
        let path = self.child(self.kind.prefix());
        let text = format!("create -s -e {path} {}", quote(&self.data));
        let cmd = ZkCommand::Create {
            sequential: true,
            ephemeral: true,
            container: false,
            path,
            data: Some(self.data.clone()),
            acl: None,
        };
        self.issue(Op::Create, text, cmd);
    }

    /// Creates the last of `paths` (persistent, no data); the others wait their turn.
    fn create_path(&mut self, paths: Vec<String>) {
        let path = paths.last().cloned().unwrap_or_default();
        let text = format!("create {path}");
        let cmd = ZkCommand::Create {
            sequential: false,
            ephemeral: false,
            container: false,
            path,
            data: None,
            acl: None,
        };
        self.issue(Op::CreateRoot(paths), text, cmd);
    }

    fn list(&mut self, op: Op) {
        let watch = op == Op::List && self.kind.variant() == Variant::NaiveChildren;
        let text = if watch {
            format!("ls -w {}", self.root)
        } else {
            format!("ls {}", self.root)
        };
        let cmd = ZkCommand::Ls {
            stat: false,
            watch,
            recursive: false,
            path: self.root.clone(),
        };
        self.issue(op, text, cmd);
    }

    fn stat(&mut self, path: String, watch: bool, op: Op) {
        let text = if watch {
            format!("stat -w {path}")
        } else {
            format!("stat {path}")
        };
        let cmd = ZkCommand::Stat { watch, path };
        self.issue(op, text, cmd);
    }

    fn delete_own(&mut self) {
        let Some(node) = self.node.clone() else {
            self.finish_leaving();
            return;
        };
        let text = format!("delete {node}");
        let cmd = ZkCommand::Delete {
            version: -1,
            path: node,
        };
        self.issue(Op::Delete, text, cmd);
    }

    fn finish_leaving(&mut self) {
        self.leaving = false;
        self.role = Role::Left;
        self.watching = None;
        self.op = Op::Idle;
        self.next = None;
    }

    /// The note to show if role or watch changed since the last one.
    pub(crate) fn note(&mut self) -> Option<RecipeNote> {
        let now = (self.role, self.watching.clone());
        if now == self.shown || self.role == Role::Joining {
            return None;
        }
        self.shown = now;
        Some(RecipeNote {
            recipe: self.kind.family(),
            role: self.role,
            node: self.node.clone(),
            watches: self.watching.clone(),
        })
    }

    /// Resign (election) or unlock (lock): delete the own node, keep the session.
    pub(crate) fn leave(&mut self) {
        if self.role.is_over() {
            return;
        }
        self.leaving = true;
        if self.op == Op::Idle && self.next.is_none() {
            self.delete_own();
        }
    }

    /// The answer to the operation in flight.
    pub(crate) fn on_result(
        &mut self,
        now: SimTime,
        session: crate::SessionId,
        outcome: Result<&CmdValue, ErrorCode>,
    ) {
        let op = std::mem::replace(&mut self.op, Op::Idle);
        match outcome {
            Err(ErrorCode::ConnectionLoss) => {
                // The request may or may not have been applied: redo it after reconnecting.
                self.op = op;
                self.resume = true;
                return;
            }
            Err(ErrorCode::SessionExpired) => {
                self.on_gone(Role::Lost);
                return;
            }
            _ => {}
        }
        match op {
            Op::Idle => {}
            Op::Create => match outcome {
                Ok(CmdValue::Created(path)) => {
                    self.node = Some(path.clone());
                    self.after_op();
                }
                Err(ErrorCode::NoNode) => self.create_path(vec![self.root.clone()]),
                _ => self.on_gone(Role::Left),
            },
            Op::CreateRoot(mut paths) => match outcome {
                Ok(_) | Err(ErrorCode::NodeExists) => {
                    paths.pop();
                    if paths.is_empty() {
                        self.create();
                    } else {
                        self.create_path(paths);
                    }
                }
                // The parent is missing too: create it first (as recipe libraries do).
                Err(ErrorCode::NoNode) => {
                    let parent = crate::tree::parent_of(paths.last().map_or("/", |p| p));
                    if parent == "/" || parent.is_empty() {
                        self.on_gone(Role::Left);
                    } else {
                        paths.push(parent.to_string());
                        self.create_path(paths);
                    }
                }
                _ => self.on_gone(Role::Left),
            },
            Op::List => match outcome {
                Ok(CmdValue::Children(names, _)) => self.on_listing(now, names),
                _ => self.on_gone(Role::Left),
            },
            Op::Exists(target) => match outcome {
                Ok(_) => {
                    self.watching = Some(target);
                    self.role = Role::Waiting;
                    if self.dirty || self.leaving {
                        self.after_op();
                    }
                }
                // Gone between the listing and the exists: look again.
                Err(ErrorCode::NoNode) => self.check(),
                _ => self.on_gone(Role::Left),
            },
            Op::Delete => self.finish_leaving(),
            Op::RecoverList => match outcome {
                Ok(CmdValue::Children(names, _)) => {
                    let mut newest_first: Vec<String> = self.sorted(names);
                    newest_first.reverse();
                    self.recover_next(newest_first);
                }
                _ => self.on_gone(Role::Left),
            },
            Op::RecoverStat { path, rest } => match outcome {
                Ok(CmdValue::Stat(s)) if s.ephemeral_owner == session && session.0 != 0 => {
                    self.node = Some(path);
                    self.after_op();
                }
                _ => self.recover_next(rest),
            },
        }
    }

    /// Looks at the candidates' nodes, newest first, for one the session owns; creates a new
    /// node when none is.
    fn recover_next(&mut self, mut rest: Vec<String>) {
        if rest.is_empty() {
            self.create();
            return;
        }
        let path = rest.remove(0);
        self.stat(path.clone(), false, Op::RecoverStat { path, rest });
    }

    fn sorted(&self, names: &[String]) -> Vec<String> {
        let prefix = self.kind.prefix();
        let mut v: Vec<(u64, String)> = names
            .iter()
            .filter_map(|n| sequence_of(n, prefix).map(|s| (s, self.child(n))))
            .collect();
        v.sort();
        v.into_iter().map(|(_, p)| p).collect()
    }

    /// An operation finished and the recipe is free: go on with what is due.
    fn after_op(&mut self) {
        self.dirty = false;
        if self.leaving {
            self.delete_own();
        } else {
            self.check();
        }
    }

    /// `check()` of the recipe: list the children.
    fn check(&mut self) {
        self.list(Op::List);
    }

    fn on_listing(&mut self, now: SimTime, names: &[String]) {
        let sorted = self.sorted(names);
        if let Some(i) = self.unattributed.take() {
            let gone: Vec<String> = self
                .listing
                .iter()
                .filter(|p| !sorted.contains(p))
                .cloned()
                .collect();
            if let Some(RecipeLog::Notified { gone: g, .. }) = self.log.get_mut(i) {
                *g = gone;
            }
        }
        self.listing = sorted.clone();
        if self.leaving {
            self.delete_own();
            return;
        }
        self.dirty = false;
        let Some(mine) = self.node.clone() else {
            return;
        };
        let Some(pos) = sorted.iter().position(|p| *p == mine) else {
            // Our node is gone although we never deleted it: the session must have ended.
            self.on_gone(Role::Lost);
            return;
        };
        if pos == 0 {
            let role = self.kind.first_role();
            if self.role != role {
                self.log.push(RecipeLog::Took {
                    at: now,
                    node: mine.clone(),
                });
            }
            self.role = role;
            self.watching = match self.kind.variant() {
                Variant::NaiveChildren => Some(self.root.clone()),
                _ => None,
            };
            return;
        }
        match self.kind.variant() {
            Variant::HerdFree => {
                let pred = sorted[pos - 1].clone();
                self.stat(pred.clone(), true, Op::Exists(pred));
            }
            Variant::Naive => {
                let leader = sorted[0].clone();
                self.stat(leader.clone(), true, Op::Exists(leader));
            }
            Variant::NaiveChildren => {
                self.role = Role::Waiting;
                self.watching = Some(self.root.clone());
            }
        }
    }

    /// A watch notification.
    pub(crate) fn on_watch(&mut self, now: SimTime, ev: &WatchEvent) {
        if self.role.is_over() {
            return;
        }
        let relevant = match self.kind.variant() {
            Variant::NaiveChildren => {
                ev.kind == EventType::NodeChildrenChanged && ev.path == self.root
            }
            _ => ev.kind == EventType::NodeDeleted && self.watching.as_deref() == Some(&ev.path),
        };
        if !relevant {
            return;
        }
        let gone = if ev.kind == EventType::NodeDeleted {
            vec![ev.path.clone()]
        } else {
            Vec::new()
        };
        self.log.push(RecipeLog::Notified {
            at: now,
            kind: ev.kind,
            path: ev.path.clone(),
            gone,
        });
        if ev.kind == EventType::NodeChildrenChanged {
            self.unattributed = Some(self.log.len() - 1);
        }
        if ev.kind == EventType::NodeDeleted {
            self.watching = None;
        }
        if self.busy() || self.resume {
            self.dirty = true;
            return;
        }
        if self.suspended {
            self.dirty = true;
            self.resume = true;
            return;
        }
        self.check();
    }

    /// The connection was lost (`Disconnected`).
    pub(crate) fn on_disconnected(&mut self) {
        if !self.role.is_over() {
            self.suspended = true;
        }
    }

    /// The session was confirmed on a (new) connection (`SyncConnected`).
    pub(crate) fn on_connected(&mut self) {
        if self.role.is_over() {
            return;
        }
        self.suspended = false;
        if !self.resume {
            return;
        }
        self.resume = false;
        let op = std::mem::replace(&mut self.op, Op::Idle);
        self.next = None;
        match op {
            // The create's answer was lost: did it happen? Look for a child the session owns.
            Op::Create | Op::RecoverList | Op::RecoverStat { .. } if self.node.is_none() => {
                self.list(Op::RecoverList)
            }
            Op::CreateRoot(paths) => self.create_path(paths),
            Op::Delete => self.delete_own(),
            _ if self.leaving => self.delete_own(),
            _ => self.check(),
        }
    }

    /// The session ended (`Expired`, or a `close` that finished).
    pub(crate) fn on_gone(&mut self, role: Role) {
        if self.role.is_over() {
            return;
        }
        self.role = role;
        self.suspended = false;
        self.watching = None;
        self.op = Op::Idle;
        self.next = None;
        self.resume = false;
        self.leaving = false;
    }
}

fn quote(s: &str) -> String {
    if !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == '"' || c == '#') {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

// ----- views -----

/// One candidate (or lock contender) as the page draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberView {
    /// The client.
    pub client: ClientId,
    /// Its name.
    pub name: String,
    /// Its node, if it has one.
    pub node: Option<String>,
    /// What its watch is on: its predecessor, the leader's node, or the root.
    pub watches: Option<String>,
    /// Its role.
    pub role: Role,
    /// Disconnected: not acting on its role until its session is confirmed again.
    pub suspended: bool,
    /// Watch notifications it has received.
    pub notifications: u32,
}

/// One change of leader (or lock holder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderChange {
    /// When the new leader took over.
    pub at: SimTime,
    /// The previous leader's client and node (none for the first).
    pub from: Option<(String, String)>,
    /// The new leader's client.
    pub to: String,
    /// Its node.
    pub node: String,
    /// The clients the previous leader's departure woke, in order (one entry per notification).
    pub notified: Vec<String>,
}

impl LeaderChange {
    /// What the change cost in watch notifications.
    pub fn notifications(&self) -> usize {
        self.notified.len()
    }
}

/// Every client of one recipe on one root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    /// The recipe.
    pub kind: RecipeKind,
    /// Its root.
    pub root: String,
    /// Members in the order they joined.
    pub members: Vec<MemberView>,
    /// The member leading (or holding the lock) now, if any.
    pub leader: Option<String>,
    /// Every leader change so far.
    pub changes: Vec<LeaderChange>,
}

/// The recipe groups of a simulation, in the order they first appeared.
pub fn groups(sim: &Sim) -> Vec<GroupView> {
    let mut keys: Vec<(RecipeKind, String)> = Vec::new();
    let mut members: BTreeMap<usize, Vec<(SimTime, ClientId, &Recipe, String)>> = BTreeMap::new();
    for c in sim.clients() {
        for r in &c.recipes {
            let key = (r.kind, r.root.clone());
            let i = match keys.iter().position(|k| *k == key) {
                Some(i) => i,
                None => {
                    keys.push(key);
                    keys.len() - 1
                }
            };
            members
                .entry(i)
                .or_default()
                .push((r.joined_at, c.id, r, c.name.clone()));
        }
    }
    keys.into_iter()
        .enumerate()
        .map(|(i, (kind, root))| {
            let mut ms = members.remove(&i).unwrap_or_default();
            ms.sort_by_key(|(at, id, _, _)| (*at, *id));
            view_of(kind, root, &ms)
        })
        .collect()
}

fn view_of(
    kind: RecipeKind,
    root: String,
    ms: &[(SimTime, ClientId, &Recipe, String)],
) -> GroupView {
    let mut took: Vec<(SimTime, ClientId, usize, String, String)> = Vec::new();
    for (_, id, r, name) in ms {
        for (k, l) in r.log.iter().enumerate() {
            if let RecipeLog::Took { at, node } = l {
                took.push((*at, *id, k, name.clone(), node.clone()));
            }
        }
    }
    took.sort();
    let mut changes: Vec<LeaderChange> = Vec::new();
    for (at, _, _, name, node) in took {
        let from = changes.last().map(|c| (c.to.clone(), c.node.clone()));
        let mut woken: Vec<(SimTime, ClientId, String)> = Vec::new();
        if let Some((_, old)) = &from {
            for (_, id, r, n) in ms {
                for l in &r.log {
                    if let RecipeLog::Notified { at, gone, .. } = l
                        && gone.contains(old)
                    {
                        woken.push((*at, *id, n.clone()));
                    }
                }
            }
        }
        woken.sort();
        changes.push(LeaderChange {
            at,
            from,
            to: name,
            node,
            notified: woken.into_iter().map(|(_, _, n)| n).collect(),
        });
    }
    let members: Vec<MemberView> = ms
        .iter()
        .map(|(_, id, r, name)| MemberView {
            client: *id,
            name: name.clone(),
            node: if r.role.is_over() {
                None
            } else {
                r.node.clone()
            },
            watches: r.watching.clone(),
            role: r.role,
            suspended: r.suspended,
            notifications: r
                .log
                .iter()
                .filter(|l| matches!(l, RecipeLog::Notified { .. }))
                .count() as u32,
        })
        .collect();
    let leader = members
        .iter()
        .find(|m| m.role.is_first())
        .map(|m| m.name.clone());
    GroupView {
        kind,
        root,
        members,
        leader,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers() {
        assert_eq!(sequence_of("n_0000000003", "n_"), Some(3));
        assert_eq!(sequence_of("lock-0000000012", "lock-"), Some(12));
        assert_eq!(sequence_of("n_3", "n_"), None);
        assert_eq!(sequence_of("x_0000000003", "n_"), None);
    }

    #[test]
    fn quoting_data() {
        assert_eq!(quote("c1"), "c1");
        assert_eq!(quote("a b"), "\"a b\"");
        assert_eq!(quote(""), "\"\"");
    }
}
