//! A simulated ZooKeeper client: the Java client library's connection state machine (server
//! list, reconnects, pings, read timeouts, watch bookkeeping) driven by zkCli commands.

use std::rc::Rc;

use crate::acl::Acl;
use crate::config::SimConfig;
use crate::msg::{ClientId, ClientReq, ClientResp, Msg, Node, OpResult, ReadOp};
use crate::recipe::{Recipe, RecipeNote, RecipeSpec, Role};
use crate::script::ZkCommand;
use crate::server::Ctx;
use crate::tree::Stat;
use crate::txn::{CreateMode, WriteOp};
use crate::watch::{ClientWatches, WatchEvent};
use crate::{ErrorCode, ServerId, SessionId, SimTime, Zxid};

/// A client's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClientTimer {
    /// Next connection attempt.
    Connect,
    /// Next ping.
    Ping,
    /// Nothing heard from the server for too long.
    ReadTimeout,
}

impl ClientTimer {
    fn slot(self) -> usize {
        self as usize
    }
    /// Name for the event log.
    pub fn name(self) -> &'static str {
        match self {
            ClientTimer::Connect => "client-connect",
            ClientTimer::Ping => "client-ping",
            ClientTimer::ReadTimeout => "client-read-timeout",
        }
    }
}

/// `ZooKeeper.States`, as far as the simulation distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClientState {
    /// Before the first attempt.
    NotConnected,
    /// Trying a server.
    Connecting,
    /// Session established on a server.
    Connected,
    /// Closed by the application or expired.
    Closed,
}

impl ClientState {
    /// The name zkCli's prompt shows.
    pub fn name(self) -> &'static str {
        match self {
            ClientState::NotConnected => "NOT_CONNECTED",
            ClientState::Connecting => "CONNECTING",
            ClientState::Connected => "CONNECTED",
            ClientState::Closed => "CLOSED",
        }
    }
}

/// A connection-state event the default watcher sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateEvent {
    /// Connected (or reconnected).
    SyncConnected,
    /// Lost the server.
    Disconnected,
    /// The session is gone.
    Expired,
}

impl StateEvent {
    /// The trace name.
    pub fn name(self) -> &'static str {
        match self {
            StateEvent::SyncConnected => "SyncConnected",
            StateEvent::Disconnected => "Disconnected",
            StateEvent::Expired => "Expired",
        }
    }
}

/// The value a successful command produced.
#[derive(Debug, Clone, PartialEq)]
pub enum CmdValue {
    /// Nothing to show (delete, deleteall, sync, addauth, close).
    Done,
    /// create: the actual path.
    Created(String),
    /// get.
    Data(Option<Vec<u8>>, Stat),
    /// ls (stat with -s).
    Children(Vec<String>, Option<Stat>),
    /// ls -R.
    Paths(Vec<String>),
    /// getAcl: entries as `scheme:id:perms`, and the stat.
    Acl(Vec<String>, Stat),
    /// stat, set, setAcl.
    Stat(Stat),
}

/// What a client shows its user.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A command finished.
    Result {
        /// Script line (or console entry number).
        tag: u32,
        /// The command as typed.
        text: String,
        /// Its outcome.
        outcome: Result<CmdValue, ErrorCode>,
    },
    /// A watch notification.
    Watch(WatchEvent),
    /// A connection-state change.
    State(StateEvent),
    /// A recipe client's role changed (see [`crate::recipe`]).
    Recipe(RecipeNote),
}

/// One output of one client.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOutput {
    /// The client.
    pub client: ClientId,
    /// What it shows.
    pub output: Output,
    /// When.
    pub at: SimTime,
}

#[derive(Debug, Clone)]
enum Step {
    /// Waiting for the reply to one request.
    Single,
    /// `ls -R` / `deleteall`: listing a subtree breadth-first.
    Listing {
        queue: std::collections::VecDeque<String>,
        found: Vec<String>,
        kids: std::collections::BTreeMap<String, Vec<String>>,
        delete_after: bool,
    },
    /// `deleteall`: the multi is on its way.
    DeleteMulti,
}

#[derive(Debug, Clone)]
struct Running {
    tag: u32,
    text: String,
    cmd: ZkCommand,
    xid: u32,
    step: Step,
    /// Issued by the client's recipe, which gets the answer.
    by_recipe: bool,
}

/// A simulated client.
#[derive(Debug, Clone)]
pub struct Client {
    /// Index.
    pub id: ClientId,
    /// Name from the script.
    pub name: String,
    /// Servers in the order tried.
    pub servers: Vec<ServerId>,
    /// State.
    pub state: ClientState,
    /// Session id once established.
    pub session: SessionId,
    /// Requested timeout.
    pub requested_timeout: u64,
    /// Negotiated timeout.
    pub timeout: u64,
    /// Last zxid seen in a reply.
    pub last_zxid: Zxid,
    /// Current connection: (server, connection id).
    pub conn: Option<(ServerId, u32)>,
    /// Connected and the session confirmed.
    pub established: bool,
    next_server: usize,
    attempts_in_cycle: usize,
    /// Client-side watch registry.
    pub watches: ClientWatches,
    /// `addauth` credentials, re-sent on reconnect.
    pub auth: Vec<(String, String)>,
    /// Frozen by `expire`: neither reads, writes nor pings.
    pub frozen: bool,
    frozen_msgs: Vec<Msg>,
    frozen_timers: Vec<ClientTimer>,
    xid: u32,
    running: Option<Running>,
    last_heard: SimTime,
    last_sent: SimTime,
    gens: [u32; 3],
    closing: bool,
    /// Recipes this client has run, the current one last.
    pub recipes: Vec<Recipe>,
}

fn perms_letters(perms: u32) -> String {
    crate::acl::perms_to_letters(perms)
}

impl Client {
    /// A client that has not connected yet.
    pub fn new(id: ClientId, name: &str, _cfg: &SimConfig) -> Client {
        Client {
            id,
            name: name.to_string(),
            servers: Vec::new(),
            state: ClientState::NotConnected,
            session: SessionId(0),
            requested_timeout: 30_000,
            timeout: 0,
            last_zxid: Zxid(0),
            conn: None,
            established: false,
            next_server: 0,
            attempts_in_cycle: 0,
            watches: ClientWatches::default(),
            auth: Vec::new(),
            frozen: false,
            frozen_msgs: Vec::new(),
            frozen_timers: Vec::new(),
            xid: 0,
            running: None,
            last_heard: SimTime(0),
            last_sent: SimTime(0),
            gens: [0; 3],
            closing: false,
            recipes: Vec::new(),
        }
    }

    /// True while a command waits for its answer.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// When the client last heard from its server (a reply, a pong, a watch event): its read
    /// timeout counts from here.
    pub fn last_heard(&self) -> SimTime {
        self.last_heard
    }

    pub(crate) fn timer_gen(&self, k: ClientTimer) -> u32 {
        self.gens[k.slot()]
    }

    fn set_timer(&mut self, ctx: &mut Ctx, k: ClientTimer, at: SimTime) {
        self.gens[k.slot()] = self.gens[k.slot()].wrapping_add(1);
        ctx.out.client_timers.push((k, at, self.gens[k.slot()]));
    }

    fn cancel_timer(&mut self, k: ClientTimer) {
        self.gens[k.slot()] = self.gens[k.slot()].wrapping_add(1);
    }

    fn emit(&self, ctx: &mut Ctx, output: Output) {
        ctx.out.outputs.push(ClientOutput {
            client: self.id,
            output,
            at: ctx.now,
        });
    }

    fn send(&mut self, ctx: &mut Ctx, req: ClientReq) {
        if let Some((sid, conn)) = self.conn {
            self.last_sent = ctx.now;
            ctx.send(Node::Server(sid), Msg::Request { conn, req });
        }
    }

    /// Opens the session: `servers` is every server id; the list starts at `first`.
    pub fn connect(&mut self, ctx: &mut Ctx, first: Option<ServerId>, timeout: Option<u64>) {
        let mut ids: Vec<ServerId> = ctx.cfg.ids().to_vec();
        ids.sort();
        let start = first
            .and_then(|f| ids.iter().position(|&s| s == f))
            .unwrap_or(0);
        ids.rotate_left(start);
        self.servers = ids;
        self.requested_timeout = timeout.unwrap_or(30_000);
        self.state = ClientState::Connecting;
        self.next_server = 0;
        self.attempts_in_cycle = 0;
        self.attempt(ctx);
    }

    fn attempt(&mut self, ctx: &mut Ctx) {
        if self.servers.is_empty() || self.state == ClientState::Closed {
            return;
        }
        let sid = self.servers[self.next_server % self.servers.len()];
        self.next_server = (self.next_server + 1) % self.servers.len();
        self.attempts_in_cycle += 1;
        let conn = ctx.new_conn();
        self.conn = Some((sid, conn));
        self.established = false;
        self.last_heard = ctx.now;
        let session = self.session;
        let (timeout, last_zxid) = (self.requested_timeout, self.last_zxid);
        self.send(
            ctx,
            ClientReq::Connect {
                session,
                timeout,
                last_zxid,
            },
        );
        // connectTimeout = session timeout / number of servers.
        let ct = (self.requested_timeout / self.servers.len().max(1) as u64).max(1);
        self.set_timer(ctx, ClientTimer::ReadTimeout, ctx.now.plus(ct));
    }

    fn schedule_attempt(&mut self, ctx: &mut Ctx) {
        self.conn = None;
        self.established = false;
        self.cancel_timer(ClientTimer::Ping);
        self.cancel_timer(ClientTimer::ReadTimeout);
        let mut delay = ctx.rng.range_inclusive(0, 999);
        if self.attempts_in_cycle >= self.servers.len() {
            // Every server was tried: the host provider waits before the next round.
            delay += 1000;
            self.attempts_in_cycle = 0;
        }
        self.set_timer(ctx, ClientTimer::Connect, ctx.now.plus(delay));
    }

    fn lose_connection(&mut self, ctx: &mut Ctx) {
        let was_established = self.established;
        if let Some((sid, conn)) = self.conn.take() {
            ctx.send(Node::Server(sid), Msg::Reset { conn });
        }
        if self.closing {
            self.state = ClientState::Closed;
            self.established = false;
            self.cancel_timer(ClientTimer::Ping);
            self.cancel_timer(ClientTimer::ReadTimeout);
            self.cancel_timer(ClientTimer::Connect);
            // `ZooKeeper.close()` returns normally when the connection is lost before the
            // closeSession reply (`ClientCnxn.close` ignores the result).
            if let Some(r) = self.running.take() {
                self.emit(
                    ctx,
                    Output::Result {
                        tag: r.tag,
                        text: r.text,
                        outcome: Ok(CmdValue::Done),
                    },
                );
            }
            return;
        }
        if was_established {
            self.emit(ctx, Output::State(StateEvent::Disconnected));
            self.recipe_feed(ctx, |r, _, _| r.on_disconnected());
        }
        self.state = ClientState::Connecting;
        self.fail_running(ctx, ErrorCode::ConnectionLoss);
        self.schedule_attempt(ctx);
    }

    fn fail_running(&mut self, ctx: &mut Ctx, code: ErrorCode) {
        if let Some(r) = self.running.take() {
            self.emit(
                ctx,
                Output::Result {
                    tag: r.tag,
                    text: r.text,
                    outcome: Err(code),
                },
            );
            if r.by_recipe {
                self.recipe_feed(ctx, |rc, now, session| {
                    rc.on_result(now, session, Err(code))
                });
            }
        }
    }

    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx, kind: ClientTimer) {
        if self.frozen {
            self.frozen_timers.push(kind);
            return;
        }
        self.on_timer_inner(ctx, kind);
        self.pump_recipe(ctx);
    }

    fn on_timer_inner(&mut self, ctx: &mut Ctx, kind: ClientTimer) {
        match kind {
            ClientTimer::Connect => self.attempt(ctx),
            ClientTimer::Ping => {
                if self.established {
                    if ctx.now.0.saturating_sub(self.last_sent.0) >= self.ping_interval() {
                        self.send(ctx, ClientReq::Ping);
                    }
                    let at = self.last_sent.plus(self.ping_interval());
                    self.set_timer(ctx, ClientTimer::Ping, at.max(ctx.now.plus(1)));
                }
            }
            ClientTimer::ReadTimeout => {
                let limit = if self.established {
                    self.read_timeout()
                } else {
                    0
                };
                let deadline = self.last_heard.plus(limit);
                if self.established && ctx.now < deadline {
                    self.set_timer(ctx, ClientTimer::ReadTimeout, deadline);
                } else {
                    self.lose_connection(ctx);
                }
            }
        }
    }

    fn read_timeout(&self) -> u64 {
        (self.timeout * 2 / 3).max(1)
    }

    fn ping_interval(&self) -> u64 {
        (self.read_timeout() / 2).max(1)
    }

    /// Freezes or thaws the client (`expire`): a frozen client neither reads, writes nor pings.
    pub fn set_frozen(&mut self, ctx: &mut Ctx, frozen: bool) {
        self.frozen = frozen;
        if !frozen {
            let now = ctx.now;
            self.last_heard = now;
            for m in std::mem::take(&mut self.frozen_msgs) {
                self.on_message(ctx, m);
            }
            for k in std::mem::take(&mut self.frozen_timers) {
                self.set_timer(ctx, k, now);
            }
            self.pump_recipe(ctx);
        }
    }

    pub(crate) fn on_message(&mut self, ctx: &mut Ctx, msg: Msg) {
        if self.frozen {
            self.frozen_msgs.push(msg);
            return;
        }
        let cur = self.conn.map(|c| c.1);
        match msg {
            Msg::Reset { conn } if Some(conn) == cur => self.lose_connection(ctx),
            Msg::Reply { conn, resp } if Some(conn) == cur => {
                self.last_heard = ctx.now;
                self.on_reply(ctx, resp);
            }
            _ => {}
        }
        self.pump_recipe(ctx);
    }

    fn on_reply(&mut self, ctx: &mut Ctx, resp: ClientResp) {
        match resp {
            ClientResp::Refused => {
                self.conn = None;
                self.schedule_attempt(ctx);
            }
            ClientResp::Connected { session, timeout } => {
                let reconnect = self.session.0 != 0;
                self.session = session;
                self.timeout = timeout;
                self.established = true;
                self.state = ClientState::Connected;
                self.attempts_in_cycle = 0;
                self.emit(ctx, Output::State(StateEvent::SyncConnected));
                self.recipe_feed(ctx, |r, _, _| r.on_connected());
                if reconnect && !self.watches.is_empty() {
                    let (data, exist, child) = self.watches.paths();
                    let relative_zxid = self.last_zxid;
                    self.send(
                        ctx,
                        ClientReq::SetWatches(Box::new(crate::msg::SetWatches {
                            relative_zxid,
                            data,
                            exist,
                            child,
                        })),
                    );
                }
                for (scheme, auth) in self.auth.clone() {
                    self.send(ctx, ClientReq::AddAuth { scheme, auth });
                }
                let rt = self.read_timeout();
                self.set_timer(ctx, ClientTimer::ReadTimeout, ctx.now.plus(rt));
                let pi = self.ping_interval();
                self.set_timer(ctx, ClientTimer::Ping, ctx.now.plus(pi));
            }
            ClientResp::Expired => {
                self.conn = None;
                self.established = false;
                self.state = ClientState::Closed;
                self.cancel_timer(ClientTimer::Ping);
                self.cancel_timer(ClientTimer::ReadTimeout);
                self.emit(ctx, Output::State(StateEvent::Expired));
                self.fail_running(ctx, ErrorCode::SessionExpired);
                self.recipe_feed(ctx, |r, _, _| r.on_gone(Role::Lost));
            }
            ClientResp::Pong { zxid } => {
                if zxid > self.last_zxid {
                    self.last_zxid = zxid;
                }
            }
            ClientResp::Watch(ev) => {
                self.watches.materialize(&ev);
                self.recipe_feed(ctx, |r, now, _| r.on_watch(now, &ev));
                self.emit(ctx, Output::Watch(ev));
            }
            ClientResp::Closing => self.lose_connection(ctx),
            ClientResp::Result { xid, zxid, result } => {
                if zxid > self.last_zxid {
                    self.last_zxid = zxid;
                }
                self.on_result(ctx, xid, *result);
            }
        }
    }

    // ----- commands -----

    /// Runs a zkCli command; its result appears as an [`Output::Result`] with `tag` and `text`.
    pub fn exec(&mut self, ctx: &mut Ctx, tag: u32, text: &str, cmd: ZkCommand) {
        self.exec_inner(ctx, tag, text.to_string(), cmd, false);
        self.pump_recipe(ctx);
    }

    fn exec_inner(
        &mut self,
        ctx: &mut Ctx,
        tag: u32,
        text: String,
        cmd: ZkCommand,
        by_recipe: bool,
    ) {
        if self.state == ClientState::Closed {
            self.emit(
                ctx,
                Output::Result {
                    tag,
                    text,
                    outcome: Err(ErrorCode::SessionExpired),
                },
            );
            if by_recipe {
                self.recipe_feed(ctx, |r, now, session| {
                    r.on_result(now, session, Err(ErrorCode::SessionExpired))
                });
            }
            return;
        }
        if !self.established || self.running.is_some() {
            self.emit(
                ctx,
                Output::Result {
                    tag,
                    text,
                    outcome: Err(ErrorCode::ConnectionLoss),
                },
            );
            return;
        }
        match self.first_request(&cmd) {
            Err(code) => {
                self.emit(
                    ctx,
                    Output::Result {
                        tag,
                        text,
                        outcome: Err(code),
                    },
                );
                if by_recipe {
                    self.recipe_feed(ctx, |r, now, session| r.on_result(now, session, Err(code)));
                }
            }
            Ok(Some(req)) => {
                self.xid += 1;
                let xid = self.xid;
                let step = match &cmd {
                    ZkCommand::Ls {
                        recursive: true,
                        path,
                        ..
                    } => Step::Listing {
                        queue: std::iter::once(path.clone()).collect(),
                        found: vec![path.clone()],
                        kids: Default::default(),
                        delete_after: false,
                    },
                    ZkCommand::DeleteAll { path } => Step::Listing {
                        queue: std::iter::once(path.clone()).collect(),
                        found: vec![path.clone()],
                        kids: Default::default(),
                        delete_after: true,
                    },
                    _ => Step::Single,
                };
                if let ZkCommand::Close = cmd {
                    self.closing = true;
                }
                if let ZkCommand::AddAuth { scheme, auth } = &cmd {
                    self.auth.push((scheme.clone(), auth.clone()));
                }
                let req = with_xid(req, xid);
                self.running = Some(Running {
                    tag,
                    text,
                    cmd,
                    xid,
                    step,
                    by_recipe,
                });
                self.send(ctx, req);
            }
            Ok(None) => self.emit(
                ctx,
                Output::Result {
                    tag,
                    text,
                    outcome: Ok(CmdValue::Done),
                },
            ),
        }
    }

    /// Client-side checks and the first request of a command.
    fn first_request(&self, cmd: &ZkCommand) -> Result<Option<ClientReq>, ErrorCode> {
        use crate::acl::validate_path;
        let req = match cmd {
            ZkCommand::Create {
                sequential,
                ephemeral,
                container,
                path,
                data,
                acl,
            } => {
                validate_path(path, *sequential)?;
                let acl = parse_acl(acl.as_deref())?;
                let mode = match (*container, *ephemeral, *sequential) {
                    (true, _, _) => CreateMode::Container,
                    (false, true, true) => CreateMode::EphemeralSequential,
                    (false, true, false) => CreateMode::Ephemeral,
                    (false, false, true) => CreateMode::PersistentSequential,
                    (false, false, false) => CreateMode::Persistent,
                };
                let data = data.as_ref().map(|d| d.as_bytes().to_vec());
                ClientReq::Write {
                    xid: 0,
                    op: Box::new(WriteOp::Create {
                        path: path.clone(),
                        data,
                        acl,
                        mode,
                    }),
                }
            }
            ZkCommand::Delete { version, path } => {
                validate_path(path, false)?;
                ClientReq::Write {
                    xid: 0,
                    op: Box::new(WriteOp::Delete {
                        path: path.clone(),
                        version: *version,
                    }),
                }
            }
            ZkCommand::Set {
                version,
                path,
                data,
                ..
            } => {
                validate_path(path, false)?;
                let data = data.as_bytes().to_vec();
                ClientReq::Write {
                    xid: 0,
                    op: Box::new(WriteOp::SetData {
                        path: path.clone(),
                        data,
                        version: *version,
                    }),
                }
            }
            ZkCommand::Get { watch, path, .. } => {
                validate_path(path, false)?;
                ClientReq::Read {
                    xid: 0,
                    op: ReadOp::GetData {
                        path: path.clone(),
                        watch: *watch,
                    },
                }
            }
            ZkCommand::Ls {
                watch,
                path,
                recursive,
                ..
            } => {
                validate_path(path, false)?;
                let watch = *watch && !*recursive;
                ClientReq::Read {
                    xid: 0,
                    op: ReadOp::GetChildren {
                        path: path.clone(),
                        watch,
                    },
                }
            }
            ZkCommand::DeleteAll { path } => {
                validate_path(path, false)?;
                ClientReq::Read {
                    xid: 0,
                    op: ReadOp::GetChildren {
                        path: path.clone(),
                        watch: false,
                    },
                }
            }
            ZkCommand::Stat { watch, path } => {
                validate_path(path, false)?;
                ClientReq::Read {
                    xid: 0,
                    op: ReadOp::Exists {
                        path: path.clone(),
                        watch: *watch,
                    },
                }
            }
            ZkCommand::GetAcl { path, .. } => {
                validate_path(path, false)?;
                ClientReq::Read {
                    xid: 0,
                    op: ReadOp::GetAcl { path: path.clone() },
                }
            }
            ZkCommand::SetAcl {
                version, path, acl, ..
            } => {
                validate_path(path, false)?;
                let acl = parse_acl(Some(acl))?;
                ClientReq::Write {
                    xid: 0,
                    op: Box::new(WriteOp::SetAcl {
                        path: path.clone(),
                        acl,
                        version: *version,
                    }),
                }
            }
            ZkCommand::AddAuth { scheme, auth } => ClientReq::AddAuth {
                scheme: scheme.clone(),
                auth: auth.clone(),
            },
            ZkCommand::Sync { path } => {
                validate_path(path, false)?;
                ClientReq::Sync {
                    xid: 0,
                    path: path.clone(),
                }
            }
            ZkCommand::Close => ClientReq::Close { xid: 0 },
        };
        Ok(Some(req))
    }

    fn on_result(&mut self, ctx: &mut Ctx, xid: u32, result: OpResult) {
        let Some(mut r) = self.running.take() else {
            return;
        };
        if xid != r.xid && xid != 0 {
            self.running = Some(r);
            return;
        }
        let outcome = match (&mut r.step, &r.cmd) {
            (
                Step::Listing {
                    queue,
                    found,
                    kids,
                    delete_after,
                },
                _,
            ) => {
                let current = queue.pop_front().unwrap_or_default();
                match result {
                    OpResult::Children(children, _) => {
                        let mut mine = Vec::new();
                        for c in children {
                            let p = if current == "/" {
                                format!("/{c}")
                            } else {
                                format!("{current}/{c}")
                            };
                            found.push(p.clone());
                            mine.push(p.clone());
                            queue.push_back(p);
                        }
                        kids.insert(current.clone(), mine);
                    }
                    OpResult::Err(ErrorCode::NoNode) if current != found[0] => {}
                    OpResult::Err(e) => {
                        self.emit(
                            ctx,
                            Output::Result {
                                tag: r.tag,
                                text: r.text,
                                outcome: Err(e),
                            },
                        );
                        return;
                    }
                    _ => {}
                }
                if let Some(next) = queue.front().cloned() {
                    self.xid += 1;
                    r.xid = self.xid;
                    let xid = r.xid;
                    self.running = Some(r);
                    self.send(
                        ctx,
                        ClientReq::Read {
                            xid,
                            op: ReadOp::GetChildren {
                                path: next,
                                watch: false,
                            },
                        },
                    );
                    return;
                }
                if *delete_after {
                    let ops: Vec<WriteOp> = found
                        .iter()
                        .rev()
                        .map(|p| WriteOp::Delete {
                            path: p.clone(),
                            version: -1,
                        })
                        .collect();
                    self.xid += 1;
                    r.xid = self.xid;
                    r.step = Step::DeleteMulti;
                    let xid = r.xid;
                    self.running = Some(r);
                    self.send(
                        ctx,
                        ClientReq::Write {
                            xid,
                            op: Box::new(WriteOp::Multi(ops)),
                        },
                    );
                    return;
                }
                // zkCli prints a node's children before descending into each of them.
                let mut paths = vec![found[0].clone()];
                fn visit(
                    p: &str,
                    kids: &std::collections::BTreeMap<String, Vec<String>>,
                    out: &mut Vec<String>,
                ) {
                    if let Some(cs) = kids.get(p) {
                        out.extend(cs.iter().cloned());
                        for c in cs {
                            visit(c, kids, out);
                        }
                    }
                }
                visit(&found[0], kids, &mut paths);
                Ok(CmdValue::Paths(paths))
            }
            (Step::DeleteMulti, _) => match result {
                OpResult::Err(e) => Err(e),
                OpResult::Multi(rs) => match rs.iter().find_map(|x| match x {
                    OpResult::Err(e) if *e != ErrorCode::RuntimeInconsistency => Some(*e),
                    _ => None,
                }) {
                    Some(e) => Err(e),
                    None => Ok(CmdValue::Done),
                },
                _ => Ok(CmdValue::Done),
            },
            (Step::Single, cmd) => self.finish_single(cmd, result),
        };
        if let ZkCommand::Close = r.cmd {
            self.state = ClientState::Closed;
        }
        let fed = r.by_recipe.then(|| outcome.clone());
        self.emit(
            ctx,
            Output::Result {
                tag: r.tag,
                text: r.text,
                outcome,
            },
        );
        if let Some(outcome) = fed {
            self.recipe_feed(ctx, |rc, now, session| {
                rc.on_result(now, session, outcome.as_ref().map_err(|e| *e))
            });
        }
    }

    // ----- recipes -----

    /// Starts a recipe client (the `recipe` line): it volunteers at once, or as soon as it can.
    pub fn recipe_start(&mut self, ctx: &mut Ctx, line: u32, spec: &RecipeSpec) {
        let r = Recipe::new(spec, line, ctx.now, &self.name);
        self.recipes.push(r);
        self.pump_recipe(ctx);
    }

    /// Resigns (election) or unlocks (lock): the recipe deletes its node; the session stays.
    pub fn recipe_leave(&mut self, ctx: &mut Ctx, line: u32) {
        if let Some(r) = self.recipes.last_mut() {
            r.line = line;
            r.leave();
        }
        self.pump_recipe(ctx);
    }

    /// The current (last started) recipe.
    pub fn recipe(&self) -> Option<&Recipe> {
        self.recipes.last()
    }

    /// True while the current recipe has work in flight or waiting to be issued.
    pub fn recipe_busy(&self) -> bool {
        self.recipes.last().is_some_and(|r| r.busy())
    }

    fn recipe_feed(&mut self, ctx: &Ctx, f: impl FnOnce(&mut Recipe, SimTime, SessionId)) {
        let (now, session) = (ctx.now, self.session);
        if let Some(r) = self.recipes.last_mut() {
            f(r, now, session);
        }
    }

    /// Issues what the recipe wants to do next, when the client can; shows a role change once
    /// the recipe has come to rest.
    fn pump_recipe(&mut self, ctx: &mut Ctx) {
        // Each pass either issues a request (whose answer comes later) or stops; a client-side
        // rejection answers at once, so a few passes may be needed.
        for _ in 0..8 {
            let Some(r) = self.recipes.last_mut() else {
                return;
            };
            if self.state == ClientState::Closed {
                // Closed (or expired, which `on_gone` has already seen): the node is gone.
                r.on_gone(Role::Left);
            }
            if !r.busy() {
                if let Some(n) = r.note() {
                    self.emit(ctx, Output::Recipe(n));
                }
                return;
            }
            if self.frozen
                || !self.established
                || self.running.is_some()
                || self.state != ClientState::Connected
            {
                return;
            }
            let line = r.line;
            let Some(req) = r.take_next() else {
                return;
            };
            self.exec_inner(ctx, line, req.text, req.cmd, true);
        }
    }

    fn finish_single(&mut self, cmd: &ZkCommand, result: OpResult) -> Result<CmdValue, ErrorCode> {
        if let OpResult::Err(e) = result {
            if let ZkCommand::Stat { watch: true, path } = cmd
                && e == ErrorCode::NoNode
            {
                self.watches.add_exist(path);
            }
            return Err(e);
        }
        Ok(match (cmd, result) {
            (ZkCommand::Create { .. }, OpResult::Created(p)) => CmdValue::Created(p),
            (ZkCommand::Get { watch, path, .. }, OpResult::Data(d, s)) => {
                if *watch {
                    self.watches.add_data(path);
                }
                CmdValue::Data(d, s)
            }
            (
                ZkCommand::Ls {
                    watch, path, stat, ..
                },
                OpResult::Children(c, s),
            ) => {
                if *watch {
                    self.watches.add_child(path);
                }
                CmdValue::Children(c, stat.then_some(s))
            }
            (ZkCommand::Stat { watch, path }, OpResult::Stat(s)) => {
                if *watch {
                    self.watches.add_data(path);
                }
                CmdValue::Stat(s)
            }
            (ZkCommand::GetAcl { .. }, OpResult::Acl(acl, s)) => {
                let admin = false;
                let _ = admin;
                CmdValue::Acl(
                    acl.iter()
                        .map(|a| format!("{}:{}:{}", a.scheme, a.id, perms_letters(a.perms)))
                        .collect(),
                    s,
                )
            }
            (_, OpResult::Stat(s)) => CmdValue::Stat(s),
            (_, OpResult::Multi(rs)) => {
                match rs.into_iter().find(|x| matches!(x, OpResult::Err(_))) {
                    Some(OpResult::Err(e)) => return Err(e),
                    _ => CmdValue::Done,
                }
            }
            _ => CmdValue::Done,
        })
    }
}

fn with_xid(req: ClientReq, xid: u32) -> ClientReq {
    match req {
        ClientReq::Read { op, .. } => ClientReq::Read { xid, op },
        ClientReq::Write { op, .. } => ClientReq::Write { xid, op },
        ClientReq::Sync { path, .. } => ClientReq::Sync { xid, path },
        ClientReq::Close { .. } => ClientReq::Close { xid },
        other => other,
    }
}

fn parse_acl(text: Option<&str>) -> Result<Vec<Acl>, ErrorCode> {
    match text {
        None => Ok(crate::acl::open_acl_unsafe()),
        Some(t) => {
            let acl = crate::acl::parse_acl_arg(t);
            if acl.is_empty() {
                Err(ErrorCode::InvalidAcl)
            } else {
                Ok(acl)
            }
        }
    }
}

#[allow(dead_code)]
fn _unused(_: Rc<()>) {}
