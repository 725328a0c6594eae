//! The zkCli console and the sessions list.
//!
//! [`ConsoleLog`] is a client's terminal: it folds what the user typed and what the client
//! printed ([`Output`]) into exactly the text `zkCli.sh` of ZooKeeper 3.8 shows
//! (shared/spec/zkcli.md §1–2.3): the prompt `[zk: <connect string>(<STATE>) <n>] `, command
//! results (`Created /a`, data lines, `[a, b]`, `ls -R` paths, getAcl entries, the 11-line Stat
//! block), error messages (`Node already exists: /a`, `KeeperErrorCode = ConnectionLoss for /a`,
//! …), and the default watcher's `WATCHER::` blocks.
//!
//! Choices where the simulation has less than a real terminal:
//! * **Times.** The simulation has no wall clock, so every `ctime`/`mtime` is time 0 as
//!   `java.util.Date.toString()` prints it in UTC: [`EPOCH_DATE`].
//! * **Connect string.** The prompt shows the servers the client was given, in the order it
//!   tries them, as `127.0.0.1:<2180+N>` ([`connect_string`], the four-letter words' ports).
//! * **Unknown commands** print only `Command not found <cmd>` (zkCli prints its usage list
//!   first); other parse errors print `parse_zk_command`'s message, which is zkCli's usage
//!   string, `Unrecognized option: -x`, … .
//! * **`deleteall`** failing with NOTEMPTY prints `Failed to delete some node(s) in the
//!   subtree!` (the multi lost a race); its other errors print as for any command.
//!
//! [`SessionsPanel`] lists the sessions ([`session_rows`]) with their countdowns and offers
//! "add a session on server N".

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;
use zkplay_core::acl::{parse_acl_arg, parse_acl_arg_verbose, path_error};
use zkplay_core::client::{ClientState, CmdValue, Output, StateEvent};
use zkplay_core::script::{ZkCommand, parse_zk_command};
use zkplay_core::tree::Stat;
use zkplay_core::watch::WatchEvent;
use zkplay_core::{ErrorCode, ServerId, Sim};

use super::hex;

/// `java.util.Date.toString()` of time 0 in UTC: every `ctime` and `mtime` (the simulation
/// has no wall clock).
pub const EPOCH_DATE: &str = "Thu Jan 01 00:00:00 UTC 1970";

/// User-facing strings of this module that are not zkCli's own output.
mod text {
    pub const INPUT_LABEL: &str = "zkCli command";
    pub const INPUT_PLACEHOLDER: &str = "create /a hello · get -s /a · ls -R / · ↑/↓ history";
    pub const RUN: &str = "Run";
    pub const WAITING: &str = "waiting for the reply…";
    pub const NO_SESSIONS: &str = "No sessions yet.";
    pub const ADD_SESSION: &str = "Add session";
    pub const NAME: &str = "name";
    pub const ON_SERVER: &str = "on server";
    pub const ANY_SERVER: &str = "first in list";
    pub const BAD_NAME: &str = "a name is a lower-case letter, then letters, digits or _";
    pub const COL_CLIENT: &str = "client";
    pub const COL_SERVER: &str = "server";
    pub const COL_STATE: &str = "state";
    pub const COL_SESSION: &str = "session";
    pub const COL_TIMEOUT: &str = "timeout";
    pub const COL_HEARD: &str = "last heard";
    pub const COL_EXPIRY: &str = "expires in";
    pub const NOT_TRACKED: &str = "—";
    pub const FROZEN: &str = "silent (expire)";
    pub const EARLIER: &str = "… {n} earlier lines";
}

/// The user-facing strings of [`text`] as one value per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Texts {
    pub input_label: &'static str,
    pub input_placeholder: &'static str,
    pub run: &'static str,
    pub waiting: &'static str,
    pub no_sessions: &'static str,
    pub add_session: &'static str,
    pub name: &'static str,
    pub on_server: &'static str,
    pub any_server: &'static str,
    pub bad_name: &'static str,
    pub col_client: &'static str,
    pub col_server: &'static str,
    pub col_state: &'static str,
    pub col_session: &'static str,
    pub col_timeout: &'static str,
    pub col_heard: &'static str,
    pub col_expiry: &'static str,
    pub not_tracked: &'static str,
    pub frozen: &'static str,
    /// Above the output when its start is not drawn (`{n}`: how many lines).
    pub earlier: &'static str,
}

/// In English.
pub const EN_TEXT: Texts = Texts {
    input_label: text::INPUT_LABEL,
    input_placeholder: text::INPUT_PLACEHOLDER,
    run: text::RUN,
    waiting: text::WAITING,
    no_sessions: text::NO_SESSIONS,
    add_session: text::ADD_SESSION,
    name: text::NAME,
    on_server: text::ON_SERVER,
    any_server: text::ANY_SERVER,
    bad_name: text::BAD_NAME,
    col_client: text::COL_CLIENT,
    col_server: text::COL_SERVER,
    col_state: text::COL_STATE,
    col_session: text::COL_SESSION,
    col_timeout: text::COL_TIMEOUT,
    col_heard: text::COL_HEARD,
    col_expiry: text::COL_EXPIRY,
    not_tracked: text::NOT_TRACKED,
    frozen: text::FROZEN,
    earlier: text::EARLIER,
};

/// In Simplified Chinese.
pub const ZH_TEXT: Texts = Texts {
    input_label: "zkCli 命令",
    input_placeholder: "create /a hello · get -s /a · ls -R / · ↑/↓ 历史",
    run: "运行",
    waiting: "等待回复……",
    no_sessions: "还没有会话。",
    add_session: "添加会话",
    name: "名称",
    on_server: "连接服务器",
    any_server: "列表中的第一台",
    bad_name: "名称以小写字母开头，后面可以是字母、数字或 _",
    col_client: "客户端",
    col_server: "服务器",
    col_state: "状态",
    col_session: "会话",
    col_timeout: "超时",
    col_heard: "上次收到",
    col_expiry: "过期倒计时",
    not_tracked: "—",
    frozen: "静默（将过期）",
    earlier: "…… 之前还有 {n} 行",
};

/// The strings in `lang`.
pub fn texts(lang: crate::i18n::Lang) -> &'static Texts {
    match lang {
        crate::i18n::Lang::En => &EN_TEXT,
        crate::i18n::Lang::Zh => &ZH_TEXT,
    }
}

// ----- zkCli text -----

/// The 11 lines of zkCli's Stat block (`StatPrinter`).
pub fn stat_lines(s: &Stat) -> Vec<String> {
    vec![
        format!("cZxid = {}", hex(s.czxid.0)),
        format!("ctime = {EPOCH_DATE}"),
        format!("mZxid = {}", hex(s.mzxid.0)),
        format!("mtime = {EPOCH_DATE}"),
        format!("pZxid = {}", hex(s.pzxid.0)),
        format!("cversion = {}", s.cversion),
        format!("dataVersion = {}", s.version),
        format!("aclVersion = {}", s.aversion),
        format!("ephemeralOwner = {}", hex(s.ephemeral_owner.0 as i64)),
        format!("dataLength = {}", s.data_length),
        format!("numChildren = {}", s.num_children),
    ]
}

/// The data line of `get`: the bytes as UTF-8 (invalid sequences replaced, as Java's
/// `new String(data, UTF_8)` does), `null` for null data, an empty line for empty data.
pub fn data_line(data: Option<&[u8]>) -> String {
    match data {
        None => "null".to_string(),
        Some(d) => String::from_utf8_lossy(d).into_owned(),
    }
}

/// Java's `List.toString()`: `[a, b]`, `[]`.
pub fn java_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// `KeeperException.Code`'s message (`KeeperErrorCode = <this>`; datatree.md §5).
pub fn code_message(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::NoNode => "NoNode",
        ErrorCode::NodeExists => "NodeExists",
        ErrorCode::NotEmpty => "Directory not empty",
        ErrorCode::BadVersion => "BadVersion",
        ErrorCode::NoChildrenForEphemerals => "NoChildrenForEphemerals",
        ErrorCode::NoAuth => "NoAuth",
        ErrorCode::InvalidAcl => "InvalidACL",
        ErrorCode::BadArguments => "BadArguments",
        ErrorCode::ConnectionLoss => "ConnectionLoss",
        ErrorCode::SessionExpired => "Session expired",
        ErrorCode::SessionMoved => "Session moved",
        ErrorCode::AuthFailed => "AuthFailed",
        ErrorCode::Unimplemented => "Unimplemented",
        ErrorCode::RuntimeInconsistency => "RuntimeInconsistency",
        ErrorCode::ApiError => "APIError",
        #[allow(unreachable_patterns)]
        other => other.name(),
    }
}

/// `KeeperException.getMessage()`: `KeeperErrorCode = <text>[ for <path>]`.
pub fn keeper_message(code: ErrorCode, path: Option<&str>) -> String {
    match path {
        Some(p) => format!("KeeperErrorCode = {} for {p}", code_message(code)),
        None => format!("KeeperErrorCode = {}", code_message(code)),
    }
}

/// What `CliWrapperException` prints for a failed command on `path` (zkcli.md §2.2); a
/// missing path prints as Java's `null`.
pub fn cli_error(code: ErrorCode, path: Option<&str>) -> String {
    let p = path.unwrap_or("null");
    match code {
        ErrorCode::NoNode => format!("Node does not exist: {p}"),
        ErrorCode::NoChildrenForEphemerals => format!("Ephemerals cannot have children: {p}"),
        ErrorCode::NodeExists => format!("Node already exists: {p}"),
        ErrorCode::NotEmpty => format!("Node not empty: {p}"),
        ErrorCode::InvalidAcl => format!("Acl is not valid : {p}"),
        ErrorCode::NoAuth => format!("Insufficient permission : {p}"),
        ErrorCode::BadArguments => format!("Arguments are not valid : {p}"),
        ErrorCode::BadVersion => format!("version No is not valid : {p}"),
        other => keeper_message(other, path),
    }
}

/// The path a command names, as typed.
pub fn command_path(cmd: &ZkCommand) -> Option<&str> {
    match cmd {
        ZkCommand::Create { path, .. }
        | ZkCommand::Delete { path, .. }
        | ZkCommand::DeleteAll { path }
        | ZkCommand::Set { path, .. }
        | ZkCommand::Get { path, .. }
        | ZkCommand::Ls { path, .. }
        | ZkCommand::Stat { path, .. }
        | ZkCommand::GetAcl { path, .. }
        | ZkCommand::SetAcl { path, .. }
        | ZkCommand::Sync { path } => Some(path),
        ZkCommand::AddAuth { .. } | ZkCommand::Close => None,
    }
}

/// One line of a console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleLine {
    /// What the user typed, after the prompt that was shown.
    Input {
        /// The prompt, `[zk: 127.0.0.1:2181(CONNECTED) 0] `.
        prompt: String,
        /// The line as typed.
        text: String,
    },
    /// Standard output (results, banners).
    Out(String),
    /// Standard error (`Created /a`, error messages, usage strings).
    Err(String),
    /// The default watcher's output (`WATCHER::` blocks).
    Event(String),
}

impl ConsoleLine {
    /// The line as a terminal shows it.
    pub fn text(&self) -> String {
        match self {
            ConsoleLine::Input { prompt, text } => format!("{prompt}{text}"),
            ConsoleLine::Out(t) | ConsoleLine::Err(t) | ConsoleLine::Event(t) => t.clone(),
        }
    }
}

/// The default watcher's block for a watch event: blank, `WATCHER::`, blank, the event
/// (3.8's `WatchedEvent.toString()`, without 3.9's zxid).
pub fn watch_lines(ev: &WatchEvent) -> Vec<ConsoleLine> {
    watcher_block(format!(
        "WatchedEvent state:SyncConnected type:{} path:{}",
        ev.kind.name(),
        ev.path
    ))
}

/// The default watcher's block for a connection-state event (`type:None path:null`);
/// `state` is `SyncConnected`, `Disconnected`, `Expired` or `Closed`.
pub fn state_lines(state: &str) -> Vec<ConsoleLine> {
    watcher_block(format!("WatchedEvent state:{state} type:None path:null"))
}

fn watcher_block(event: String) -> Vec<ConsoleLine> {
    vec![
        ConsoleLine::Event(String::new()),
        ConsoleLine::Event("WATCHER::".to_string()),
        ConsoleLine::Event(String::new()),
        ConsoleLine::Event(event),
    ]
}

/// What zkCli prints for the outcome of `cmd` (ACL warnings first, as `AclParser` prints
/// them while the command starts).
pub fn result_lines(cmd: &ZkCommand, outcome: &Result<CmdValue, ErrorCode>) -> Vec<ConsoleLine> {
    let mut out: Vec<ConsoleLine> = Vec::new();
    let acl_arg = match cmd {
        ZkCommand::Create { acl: Some(a), .. } => Some(a.as_str()),
        ZkCommand::SetAcl { acl, .. } => Some(acl.as_str()),
        _ => None,
    };
    if let Some(a) = acl_arg {
        out.extend(
            parse_acl_arg_verbose(a)
                .warnings
                .into_iter()
                .map(ConsoleLine::Err),
        );
    }
    let stat = |s: &Stat, out: &mut Vec<ConsoleLine>| {
        out.extend(stat_lines(s).into_iter().map(ConsoleLine::Out));
    };
    match outcome {
        Ok(value) => match (cmd, value) {
            (_, CmdValue::Created(p)) => out.push(ConsoleLine::Err(format!("Created {p}"))),
            (
                ZkCommand::Get {
                    stat: with_stat, ..
                },
                CmdValue::Data(d, s),
            ) => {
                out.push(ConsoleLine::Out(data_line(d.as_deref())));
                if *with_stat {
                    stat(s, &mut out);
                }
            }
            (_, CmdValue::Data(d, _)) => out.push(ConsoleLine::Out(data_line(d.as_deref()))),
            (_, CmdValue::Children(c, s)) => {
                out.push(ConsoleLine::Out(java_list(c)));
                if let Some(s) = s {
                    stat(s, &mut out);
                }
            }
            (_, CmdValue::Paths(ps)) => out.extend(ps.iter().cloned().map(ConsoleLine::Out)),
            (
                ZkCommand::GetAcl {
                    stat: with_stat, ..
                },
                CmdValue::Acl(entries, s),
            ) => {
                acl_lines(entries, &mut out);
                if *with_stat {
                    stat(s, &mut out);
                }
            }
            (_, CmdValue::Acl(entries, _)) => acl_lines(entries, &mut out),
            (ZkCommand::Set { stat: true, .. }, CmdValue::Stat(s))
            | (ZkCommand::SetAcl { stat: true, .. }, CmdValue::Stat(s))
            | (ZkCommand::Stat { .. }, CmdValue::Stat(s)) => stat(s, &mut out),
            (ZkCommand::Sync { .. }, _) => out.push(ConsoleLine::Out("Sync is OK".to_string())),
            _ => {}
        },
        Err(code) => out.extend(error_lines(cmd, *code)),
    }
    out
}

fn acl_lines(entries: &[String], out: &mut Vec<ConsoleLine>) {
    for e in entries {
        // `scheme:id:perms`: the id is everything between the first and the last colon.
        let (rest, perms) = e.rsplit_once(':').unwrap_or((e.as_str(), ""));
        let (scheme, id) = rest.split_once(':').unwrap_or((rest, ""));
        out.push(ConsoleLine::Out(format!("'{scheme},'{id}")));
        out.push(ConsoleLine::Out(format!(": {perms}")));
    }
}

/// What zkCli prints when `cmd` fails with `code`.
pub fn error_lines(cmd: &ZkCommand, code: ErrorCode) -> Vec<ConsoleLine> {
    let path = command_path(cmd);
    let err = |s: String| vec![ConsoleLine::Err(s)];
    match (cmd, code) {
        // Client-side path validation: the IllegalArgumentException message.
        (_, ErrorCode::BadArguments) if path.is_some() => {
            let p = path.unwrap_or_default();
            let checked = match cmd {
                ZkCommand::Create {
                    sequential: true, ..
                } => format!("{p}1"),
                _ => p.to_string(),
            };
            match path_error(&checked) {
                Some(msg) => err(msg),
                None => err(cli_error(code, path)),
            }
        }
        (ZkCommand::Create { acl, .. }, ErrorCode::InvalidAcl) => {
            // An ACL argument with no well-formed entry fails in the client, without a path.
            let client_side = acl.as_deref().is_some_and(|a| parse_acl_arg(a).is_empty());
            let shown = if client_side { None } else { path };
            vec![
                ConsoleLine::Err(keeper_message(code, shown)),
                ConsoleLine::Err(cli_error(code, shown)),
            ]
        }
        (ZkCommand::SetAcl { acl, .. }, ErrorCode::InvalidAcl) => {
            let client_side = parse_acl_arg(acl).is_empty();
            err(cli_error(code, if client_side { None } else { path }))
        }
        (ZkCommand::DeleteAll { .. }, ErrorCode::NotEmpty) => {
            err("Failed to delete some node(s) in the subtree!".to_string())
        }
        (ZkCommand::Sync { .. }, _) => vec![ConsoleLine::Out(format!(
            "Sync has failed. rc={}",
            code.code()
        ))],
        (ZkCommand::Close, _) => Vec::new(),
        _ => err(cli_error(code, path)),
    }
}

/// The connect string a client was given: `127.0.0.1:2182,127.0.0.1:2183,127.0.0.1:2181`
/// (client port 2180+N, in the order the client tries the servers).
pub fn connect_string(servers: &[ServerId]) -> String {
    servers
        .iter()
        .map(|s| format!("127.0.0.1:{}", 2180 + u32::from(s.0)))
        .collect::<Vec<_>>()
        .join(",")
}

/// What became of a typed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    /// An empty line: nothing to run.
    Blank,
    /// Run this command (its result comes back as an [`Output::Result`]).
    Run(ZkCommand),
    /// Refused with a message already in the log (parse error, `Not connected`).
    Refused,
}

/// One client's terminal: the scrollback, the history of typed lines and the prompt.
///
/// The page feeds it, in order, what the user typed ([`ConsoleLog::type_line`]) and what the
/// client printed ([`ConsoleLog::push`]); to show the console at an earlier moment, build a
/// fresh log and feed it again up to that moment. The connection state in the prompt follows
/// the outputs (`SyncConnected` → CONNECTED, `Disconnected` → CONNECTING, `Expired` or a
/// successful `close` → CLOSED).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleLog {
    connect: String,
    state: ClientState,
    count: u32,
    lines: Vec<ConsoleLine>,
    history: Vec<String>,
    running: u32,
    /// SESSIONEXPIRED results owed to lines already answered `Not connected`.
    owed: u32,
}

impl ConsoleLog {
    /// A console that has just run `zkCli.sh -server <connect>`: the banner, state CONNECTING.
    pub fn new(connect: impl Into<String>) -> ConsoleLog {
        let connect = connect.into();
        ConsoleLog {
            lines: vec![
                ConsoleLine::Out(format!("Connecting to {connect}")),
                ConsoleLine::Out("Welcome to ZooKeeper!".to_string()),
                ConsoleLine::Out("JLine support is enabled".to_string()),
            ],
            connect,
            state: ClientState::Connecting,
            count: 0,
            history: Vec::new(),
            running: 0,
            owed: 0,
        }
    }

    /// The console of the client `name` (its latest incarnation) at the engine's position:
    /// what was typed into it and what it printed, a script's command lines included.
    pub fn of(engine: &crate::engine::Engine, name: &str) -> Option<ConsoleLog> {
        let sim = engine.sim();
        let client = sim.clients().iter().rev().find(|c| c.name == name)?;
        let mut log = ConsoleLog::new(connect_string(&client.servers));
        for item in engine.console(name) {
            match item {
                crate::engine::ConsoleItem::Typed(t) => {
                    log.type_line(t);
                }
                crate::engine::ConsoleItem::Out(o) => log.push(o),
            }
        }
        Some(log)
    }

    /// The prompt zkCli shows now: `[zk: <connect>(<STATE>) <n>] `, n counting the non-empty
    /// lines entered so far.
    pub fn prompt(&self) -> String {
        format!(
            "[zk: {}({}) {}] ",
            self.connect,
            self.state.name(),
            self.count
        )
    }

    /// The connection state as the console knows it.
    pub fn state(&self) -> ClientState {
        self.state
    }

    /// The scrollback.
    pub fn lines(&self) -> &[ConsoleLine] {
        &self.lines
    }

    /// Non-empty lines typed so far, oldest first (for ↑/↓).
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Commands sent and not answered yet.
    pub fn running(&self) -> u32 {
        self.running
    }

    /// The whole scrollback as a terminal shows it, one line per entry.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            s.push_str(&l.text());
            s.push('\n');
        }
        s
    }

    /// The user typed `line` and pressed Enter: it is echoed after the prompt; a line that
    /// does not parse gets zkCli's message; a closed handle answers `Not connected`.
    pub fn type_line(&mut self, line: &str) -> Typed {
        let prompt = self.prompt();
        self.lines.push(ConsoleLine::Input {
            prompt,
            text: line.to_string(),
        });
        if line.trim().is_empty() {
            return Typed::Blank;
        }
        self.count += 1;
        self.history.push(line.to_string());
        let parsed = parse_zk_command(line);
        let unknown = matches!(&parsed, Err(e) if e.message.starts_with("Command not found")
            || e.message.starts_with("zkCli command"));
        // zkCli looks the command up, then checks the handle, then parses the options.
        if self.state == ClientState::Closed && !unknown {
            self.lines
                .push(ConsoleLine::Out("Not connected".to_string()));
            if parsed.is_ok() {
                self.owed += 1;
            }
            return Typed::Refused;
        }
        match parsed {
            Ok(cmd) => {
                self.running += 1;
                Typed::Run(cmd)
            }
            Err(e) => {
                self.lines.push(ConsoleLine::Err(e.message));
                Typed::Refused
            }
        }
    }

    /// Something the client printed.
    pub fn push(&mut self, output: &Output) {
        match output {
            Output::State(ev) => {
                self.state = match ev {
                    StateEvent::SyncConnected => ClientState::Connected,
                    StateEvent::Disconnected => ClientState::Connecting,
                    StateEvent::Expired => ClientState::Closed,
                };
                self.lines.extend(state_lines(ev.name()));
            }
            Output::Watch(ev) => self.lines.extend(watch_lines(ev)),
            Output::Result { text, outcome, .. } => {
                if self.owed > 0 && *outcome == Err(ErrorCode::SessionExpired) {
                    // Already answered `Not connected` when it was typed.
                    self.owed -= 1;
                    return;
                }
                self.running = self.running.saturating_sub(1);
                match parse_zk_command(text) {
                    Ok(cmd) => {
                        self.lines.extend(result_lines(&cmd, outcome));
                        if cmd == ZkCommand::Close && outcome.is_ok() {
                            self.state = ClientState::Closed;
                            self.lines.extend(state_lines("Closed"));
                        }
                    }
                    // A command typed elsewhere (a script's quoting): print what is known.
                    Err(_) => self.lines.extend(generic_lines(outcome)),
                }
            }
            // Outputs added to the core later print nothing here until they are taught.
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
}

fn generic_lines(outcome: &Result<CmdValue, ErrorCode>) -> Vec<ConsoleLine> {
    match outcome {
        Ok(CmdValue::Created(p)) => vec![ConsoleLine::Err(format!("Created {p}"))],
        Ok(CmdValue::Data(d, _)) => vec![ConsoleLine::Out(data_line(d.as_deref()))],
        Ok(CmdValue::Children(c, _)) => vec![ConsoleLine::Out(java_list(c))],
        Ok(CmdValue::Paths(p)) => p.iter().cloned().map(ConsoleLine::Out).collect(),
        Ok(CmdValue::Stat(s)) => stat_lines(s).into_iter().map(ConsoleLine::Out).collect(),
        Ok(CmdValue::Acl(e, _)) => {
            let mut out = Vec::new();
            acl_lines(e, &mut out);
            out
        }
        Err(code) => vec![ConsoleLine::Err(keeper_message(*code, None))],
        #[allow(unreachable_patterns)]
        _ => Vec::new(),
    }
}

/// Where ↑/↓ stand in the history; `draft` keeps what was being typed before ↑.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryCursor {
    pos: Option<usize>,
    draft: String,
}

impl HistoryCursor {
    /// ↑ (older, `up`) or ↓ (newer) from `current` text: the text to show, or None to keep it.
    pub fn step(&mut self, history: &[String], current: &str, up: bool) -> Option<String> {
        if history.is_empty() {
            return None;
        }
        match (self.pos, up) {
            (None, true) => {
                self.draft = current.to_string();
                self.pos = Some(history.len() - 1);
            }
            (None, false) => return None,
            (Some(0), true) => return None,
            (Some(p), true) => self.pos = Some(p - 1),
            (Some(p), false) if p + 1 < history.len() => self.pos = Some(p + 1),
            (Some(_), false) => {
                self.pos = None;
                return Some(std::mem::take(&mut self.draft));
            }
        }
        self.pos.map(|p| history[p].clone())
    }

    /// Back to the end of the history (after Enter).
    pub fn reset(&mut self) {
        *self = HistoryCursor::default();
    }
}

// ----- sessions -----

/// One session as the sessions list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Client index (stable key; a reused name gets a new index).
    pub index: usize,
    /// Client name.
    pub name: String,
    /// `CONNECTED`, `CONNECTING`, …
    pub state: ClientState,
    /// The server it is connected to (or trying).
    pub server: Option<u8>,
    /// The servers in the order the client tries them.
    pub servers: Vec<u8>,
    /// Session id, 0 before the session exists.
    pub session: u64,
    /// Requested timeout in ms.
    pub requested_timeout: u64,
    /// Negotiated timeout in ms (0 before the session exists).
    pub timeout: u64,
    /// The client's read timeout (2/3 of the negotiated timeout): silence that long and the
    /// client drops the connection.
    pub read_timeout: u64,
    /// Connected: ms since the client last heard from its server.
    pub heard_ago: Option<u64>,
    /// ms until the serving leader's session tracker expires the session (None when no
    /// serving leader tracks it).
    pub expires_in: Option<u64>,
    /// Watches the client library holds.
    pub watches: usize,
    /// Gone silent (`expire`).
    pub frozen: bool,
    /// A newer client has the same name.
    pub superseded: bool,
}

impl SessionRow {
    /// `0x…` session id, or `—` before there is one.
    pub fn session_hex(&self) -> String {
        if self.session == 0 {
            text::NOT_TRACKED.to_string()
        } else {
            hex(self.session as i64)
        }
    }
}

/// Every client of `sim`, in order of creation.
pub fn session_rows(sim: &Sim) -> Vec<SessionRow> {
    let now = sim.now().0;
    let tracker = sim
        .servers()
        .iter()
        .filter(|s| s.up)
        .find_map(|s| s.leader_state().filter(|l| l.serving))
        .map(|l| &l.tracker);
    let clients = sim.clients();
    clients
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let connected = c.state == ClientState::Connected && c.established;
            SessionRow {
                index: i,
                name: c.name.clone(),
                state: c.state,
                server: c.conn.map(|(s, _)| s.0),
                servers: c.servers.iter().map(|s| s.0).collect(),
                session: c.session.0,
                requested_timeout: c.requested_timeout,
                timeout: c.timeout,
                read_timeout: (c.timeout * 2 / 3).max(1),
                heard_ago: connected.then(|| now.saturating_sub(c.last_heard().0)),
                expires_in: tracker
                    .and_then(|t| t.expiry.get(&c.session))
                    .map(|e| e.0.saturating_sub(now)),
                watches: {
                    let (d, e, ch) = c.watches.paths();
                    d.len() + e.len() + ch.len()
                },
                frozen: c.frozen,
                superseded: clients[i + 1..].iter().any(|o| o.name == c.name),
            }
        })
        .collect()
}

/// True for a name the scenario language accepts: `[a-z][a-z0-9_]*`.
pub fn valid_client_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The first of `c1`, `c2`, … that no client has.
pub fn next_client_name<'a>(taken: impl IntoIterator<Item = &'a str>) -> String {
    let taken: std::collections::BTreeSet<&str> = taken.into_iter().collect();
    (1..)
        .map(|i| format!("c{i}"))
        .find(|n| !taken.contains(n.as_str()))
        .unwrap_or_default()
}

/// A fraction in 0..=1 for a countdown bar: what is left of `total`.
pub fn left_fraction(left: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (left as f64 / total as f64).clamp(0.0, 1.0)
    }
}

// ----- components -----

/// Props of [`ConsolePanel`].
#[derive(Properties, PartialEq)]
pub struct ConsolePanelProps {
    /// The client's name (shown, and `data-client` on the panel).
    pub client: AttrValue,
    /// Its terminal.
    pub log: Rc<ConsoleLog>,
    /// The user pressed Enter on a non-empty line: feed it to [`ConsoleLog::type_line`] and
    /// run the command it returns.
    pub on_command: Callback<String>,
    /// Refuse input (e.g. while a script plays).
    #[prop_or_default]
    pub disabled: bool,
}

/// A client's zkCli console: scrollback (`data-console-output`), prompt and input
/// (`data-console-input`) with ↑/↓ history. A line that does not parse stays in the input so
/// that it can be fixed.
#[component]
pub fn ConsolePanel(props: &ConsolePanelProps) -> Html {
    let t = texts(crate::components::lang::use_lang());
    let draft = use_state(String::new);
    let cursor = use_mut_ref(HistoryCursor::default);
    let output_ref = use_node_ref();
    let input_ref = use_node_ref();

    {
        let output_ref = output_ref.clone();
        use_effect_with(props.log.lines().len(), move |_| {
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let oninput = {
        let draft = draft.clone();
        let cursor = cursor.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cursor.borrow_mut().reset();
            draft.set(input.value());
        })
    };
    let onkeydown = {
        let draft = draft.clone();
        let cursor = cursor.clone();
        let log = props.log.clone();
        Callback::from(move |e: KeyboardEvent| {
            let up = match e.key().as_str() {
                "ArrowUp" => true,
                "ArrowDown" => false,
                _ => return,
            };
            e.prevent_default();
            if let Some(t) = cursor.borrow_mut().step(log.history(), &draft, up) {
                draft.set(t);
            }
        })
    };
    let onsubmit = {
        let draft = draft.clone();
        let cursor = cursor.clone();
        let on_command = props.on_command.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let line = (*draft).clone();
            if line.trim().is_empty() {
                return;
            }
            cursor.borrow_mut().reset();
            let ok = parse_zk_command(&line).is_ok();
            on_command.emit(line);
            if ok {
                draft.set(String::new());
            }
        })
    };
    let focus = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = input_ref.cast::<HtmlInputElement>() {
                let _ = i.focus();
            }
        })
    };

    let log = &props.log;
    let (earlier, lines) = latest_lines(log.lines(), CONSOLE_LINES);
    html! {
        <section class="panel-console" data-client={props.client.clone()} onclick={focus}>
            <pre class="console-output" data-console-output="" ref={output_ref} aria-live="polite">
                if earlier > 0 {
                    <div class="cl cl-earlier">{ super::feed::fill(t.earlier, &[("n", &earlier.to_string())]) }</div>
                }
                { for lines.iter().map(console_line) }
            </pre>
            <form class="console-input-row" {onsubmit}>
                <label class="console-prompt" for={format!("console-input-{}", props.client)}>
                    { log.prompt() }
                </label>
                <input
                    id={format!("console-input-{}", props.client)}
                    class="console-input"
                    data-console-input=""
                    ref={input_ref}
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    aria-label={t.input_label}
                    placeholder={t.input_placeholder}
                    disabled={props.disabled}
                    value={(*draft).clone()}
                    {oninput}
                    {onkeydown}
                />
                <button type="submit" class="console-run" disabled={props.disabled}>{ t.run }</button>
            </form>
            if log.running() > 0 {
                <p class="console-waiting">{ t.waiting }</p>
            }
        </section>
    }
}

/// At most this many lines of a console's output are drawn, the latest (a terminal's
/// scrollback is finite too, and a script's client may have printed tens of thousands).
pub const CONSOLE_LINES: usize = 1000;

/// How many of `lines` are left out, and the latest `limit` of them.
pub fn latest_lines(lines: &[ConsoleLine], limit: usize) -> (usize, &[ConsoleLine]) {
    let skip = lines.len().saturating_sub(limit);
    (skip, &lines[skip..])
}

fn console_line(line: &ConsoleLine) -> Html {
    match line {
        ConsoleLine::Input { prompt, text } => html! {
            <div class="cl cl-input"><span class="cl-prompt">{ prompt.clone() }</span>{ text.clone() }</div>
        },
        ConsoleLine::Out(t) => html! { <div class="cl cl-out">{ t.clone() }</div> },
        ConsoleLine::Err(t) => html! { <div class="cl cl-err">{ t.clone() }</div> },
        ConsoleLine::Event(t) => html! { <div class="cl cl-event">{ t.clone() }</div> },
    }
}

/// Props of [`SessionsPanel`].
#[derive(Properties, PartialEq)]
pub struct SessionsPanelProps {
    /// The sessions ([`session_rows`]).
    pub sessions: Vec<SessionRow>,
    /// Server ids offered by "add session on server N".
    pub servers: Vec<u8>,
    /// The client whose console is open.
    #[prop_or_default]
    pub selected: Option<AttrValue>,
    /// A row was clicked: open that client's console.
    #[prop_or_default]
    pub on_select: Callback<String>,
    /// "Add session": (name, first server or None for the lowest id).
    pub on_add_session: Callback<(String, Option<u8>)>,
}

/// The sessions list (client, server, state, session id, negotiated timeout, time since last
/// heard against the read timeout, time left before the leader expires the session) and the
/// "add session on server N" control.
#[component]
pub fn SessionsPanel(props: &SessionsPanelProps) -> Html {
    let t = texts(crate::components::lang::use_lang());
    let suggested = next_client_name(props.sessions.iter().map(|s| s.name.as_str()));
    let name = use_state(|| None::<String>);
    let server = use_state(|| None::<u8>);
    let shown_name = (*name).clone().unwrap_or_else(|| suggested.clone());
    let name_ok = valid_client_name(&shown_name);

    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            name.set(Some(input.value()));
        })
    };
    let on_server = {
        let server = server.clone();
        Callback::from(move |e: Event| {
            // A <select>'s `value`, read through the input element's (structural) getter.
            let input: HtmlInputElement = e.target_unchecked_into();
            server.set(input.value().parse().ok());
        })
    };
    let on_add = {
        let name = name.clone();
        let server = server.clone();
        let shown_name = shown_name.clone();
        let cb = props.on_add_session.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if valid_client_name(&shown_name) {
                cb.emit((shown_name.clone(), *server));
                name.set(None);
            }
        })
    };

    let rows = props.sessions.iter().map(|s| {
        let selected = props.selected.as_deref() == Some(s.name.as_str()) && !s.superseded;
        let onclick = {
            let cb = props.on_select.clone();
            let n = s.name.clone();
            Callback::from(move |_: MouseEvent| cb.emit(n.clone()))
        };
        let heard = match s.heard_ago {
            Some(ago) => countdown(ago, s.read_timeout, true),
            None => html! { <span class="muted">{ t.not_tracked }</span> },
        };
        let expiry = match s.expires_in {
            Some(left) => countdown(left, s.timeout, false),
            None => html! { <span class="muted">{ t.not_tracked }</span> },
        };
        let class = classes!(
            "session-row",
            selected.then_some("selected"),
            s.superseded.then_some("superseded")
        );
        html! {
            <tr key={s.index} {class} data-session-client={s.name.clone()} data-state={s.state.name()} {onclick}>
                <td class="session-name">{ s.name.clone() }</td>
                <td>{ s.server.map(|x| x.to_string()).unwrap_or_else(|| t.not_tracked.to_string()) }</td>
                <td><span class={classes!("client-state", format!("client-{}", s.state.name().to_lowercase()))}>{ s.state.name() }</span>
                    if s.frozen { <span class="badge warn">{ t.frozen }</span> }
                </td>
                <td class="mono">{ s.session_hex() }</td>
                <td class="mono">{ if s.timeout > 0 { format!("{} ms", s.timeout) } else { format!("({} ms)", s.requested_timeout) } }</td>
                <td>{ heard }</td>
                <td>{ expiry }</td>
            </tr>
        }
    });

    let options = props.servers.iter().map(|id| {
        html! { <option value={id.to_string()} selected={*server == Some(*id)}>{ id.to_string() }</option> }
    });

    html! {
        <section class="panel-sessions">
            if props.sessions.is_empty() {
                <p class="empty">{ t.no_sessions }</p>
            } else {
                <div class="sessions-wrap"><table class="sessions-table">
                    <thead><tr>
                        <th>{ t.col_client }</th><th>{ t.col_server }</th><th>{ t.col_state }</th>
                        <th>{ t.col_session }</th><th>{ t.col_timeout }</th>
                        <th>{ t.col_heard }</th><th>{ t.col_expiry }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table></div>
            }
            <form class="add-session" onsubmit={on_add}>
                <label>{ t.name }
                    <input type="text" class="add-session-name" value={shown_name} oninput={on_name}
                        autocomplete="off" spellcheck="false" aria-invalid={(!name_ok).to_string()} />
                </label>
                <label>{ t.on_server }
                    <select class="add-session-server" onchange={on_server}>
                        <option value="" selected={server.is_none()}>{ t.any_server }</option>
                        { for options }
                    </select>
                </label>
                <button type="submit" data-action="add-session" disabled={!name_ok}>{ t.add_session }</button>
                if !name_ok { <span class="form-hint">{ t.bad_name }</span> }
            </form>
        </section>
    }
}

/// `elapsed` of `total` as a bar: counting up (time since last heard) or down (time left).
fn countdown(value: u64, total: u64, elapsed: bool) -> Html {
    let left = if elapsed {
        total.saturating_sub(value)
    } else {
        value
    };
    let frac = left_fraction(left, total);
    let urgent = frac < 0.25;
    html! {
        <span class={classes!("countdown", urgent.then_some("urgent"))} title={format!("{value} / {total} ms")}>
            // An SVG bar: the page's Content-Security-Policy forbids inline style attributes.
            <svg class="countdown-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
                <rect class="countdown-fill" width={format!("{:.1}", frac * 100.0)} height="6" />
            </svg>
            <span class="countdown-text">{ format!("{value} ms") }</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkplay_core::SessionId;
    use zkplay_core::Zxid;
    use zkplay_core::watch::EventType;

    fn stat() -> Stat {
        Stat {
            czxid: Zxid(0x1_0000_0002),
            mzxid: Zxid(0x1_0000_0002),
            pzxid: Zxid(0x1_0000_0002),
            version: 0,
            cversion: 0,
            aversion: 0,
            ephemeral_owner: SessionId(0),
            data_length: 1,
            num_children: 0,
        }
    }

    fn result(text: &str, outcome: Result<CmdValue, ErrorCode>) -> Output {
        Output::Result {
            tag: 0,
            text: text.to_string(),
            outcome,
        }
    }

    /// A console that typed `line` and got `outcome`: the lines after the echo.
    fn run(line: &str, outcome: Result<CmdValue, ErrorCode>) -> Vec<String> {
        let mut log = ConsoleLog::new("127.0.0.1:2181");
        log.push(&Output::State(StateEvent::SyncConnected));
        let before = log.lines().len();
        assert!(matches!(log.type_line(line), Typed::Run(_)), "{line}");
        log.push(&result(line, outcome));
        log.lines()[before + 1..].iter().map(|l| l.text()).collect()
    }

    #[test]
    fn only_the_latest_lines_are_drawn() {
        let lines: Vec<ConsoleLine> = (0..5).map(|i| ConsoleLine::Out(i.to_string())).collect();
        let (skip, shown) = latest_lines(&lines, 3);
        assert_eq!(skip, 2);
        assert_eq!(
            shown.iter().map(|l| l.text()).collect::<Vec<_>>(),
            ["2", "3", "4"]
        );
        assert_eq!(latest_lines(&lines, 10).0, 0);
        assert_eq!(latest_lines(&lines, 10).1.len(), 5);
        for t in [&EN_TEXT, &ZH_TEXT] {
            assert!(t.earlier.contains("{n}"));
        }
    }

    #[test]
    fn stat_block_is_statprinter() {
        let mut s = stat();
        s.ephemeral_owner = SessionId(0x1000_0a3f_0000);
        assert_eq!(
            stat_lines(&s).join("\n"),
            "cZxid = 0x100000002\nctime = Thu Jan 01 00:00:00 UTC 1970\nmZxid = 0x100000002\n\
             mtime = Thu Jan 01 00:00:00 UTC 1970\npZxid = 0x100000002\ncversion = 0\n\
             dataVersion = 0\naclVersion = 0\nephemeralOwner = 0x10000a3f0000\ndataLength = 1\n\
             numChildren = 0"
        );
    }

    #[test]
    fn banner_prompt_and_connect_event() {
        let mut log = ConsoleLog::new(connect_string(&[ServerId(2), ServerId(3), ServerId(1)]));
        assert_eq!(
            log.prompt(),
            "[zk: 127.0.0.1:2182,127.0.0.1:2183,127.0.0.1:2181(CONNECTING) 0] "
        );
        log.push(&Output::State(StateEvent::SyncConnected));
        assert_eq!(
            log.text(),
            "Connecting to 127.0.0.1:2182,127.0.0.1:2183,127.0.0.1:2181\nWelcome to ZooKeeper!\n\
             JLine support is enabled\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n"
        );
        assert_eq!(
            log.prompt(),
            "[zk: 127.0.0.1:2182,127.0.0.1:2183,127.0.0.1:2181(CONNECTED) 0] "
        );
    }

    #[test]
    fn create_get_ls_and_their_flags() {
        assert_eq!(
            run("create /a x", Ok(CmdValue::Created("/a".into()))),
            ["Created /a"]
        );
        assert_eq!(
            run("get /a", Ok(CmdValue::Data(Some(b"x".to_vec()), stat()))),
            ["x"]
        );
        let got = run("get -s /a", Ok(CmdValue::Data(None, stat())));
        assert_eq!(got.len(), 12);
        assert_eq!(got[0], "null");
        assert_eq!(got[1], "cZxid = 0x100000002");
        assert_eq!(
            run("get /e", Ok(CmdValue::Data(Some(Vec::new()), stat()))),
            [""]
        );
        assert_eq!(
            run(
                "ls /",
                Ok(CmdValue::Children(
                    vec!["a".into(), "zookeeper".into()],
                    None
                ))
            ),
            ["[a, zookeeper]"]
        );
        assert_eq!(run("ls /a", Ok(CmdValue::Children(vec![], None))), ["[]"]);
        assert_eq!(
            run("ls -s /a", Ok(CmdValue::Children(vec![], Some(stat())))).len(),
            12
        );
        assert_eq!(
            run(
                "ls -R /",
                Ok(CmdValue::Paths(vec![
                    "/".into(),
                    "/a".into(),
                    "/a/x".into()
                ]))
            ),
            ["/", "/a", "/a/x"]
        );
        assert_eq!(run("stat /a", Ok(CmdValue::Stat(stat()))).len(), 11);
        assert!(run("set /a y", Ok(CmdValue::Stat(stat()))).is_empty());
        assert_eq!(run("set -s /a y", Ok(CmdValue::Stat(stat()))).len(), 11);
        assert!(run("delete /a", Ok(CmdValue::Done)).is_empty());
        assert_eq!(run("sync /a", Ok(CmdValue::Done)), ["Sync is OK"]);
    }

    #[test]
    fn get_acl_entries() {
        let entries = vec![
            "world:anyone:cdrwa".to_string(),
            "digest:alice:x:r".to_string(),
        ];
        assert_eq!(
            run("getAcl /a", Ok(CmdValue::Acl(entries.clone(), stat()))),
            ["'world,'anyone", ": cdrwa", "'digest,'alice:x", ": r"]
        );
        assert_eq!(
            run("getAcl -s /a", Ok(CmdValue::Acl(entries, stat()))).len(),
            15
        );
    }

    #[test]
    fn errors_as_zkcli_prints_them() {
        let cases: &[(&str, ErrorCode, &[&str])] = &[
            (
                "create /a x",
                ErrorCode::NodeExists,
                &["Node already exists: /a"],
            ),
            ("get /a", ErrorCode::NoNode, &["Node does not exist: /a"]),
            ("stat /b", ErrorCode::NoNode, &["Node does not exist: /b"]),
            (
                "set -v 3 /a y",
                ErrorCode::BadVersion,
                &["version No is not valid : /a"],
            ),
            (
                "get /s",
                ErrorCode::NoAuth,
                &["Insufficient permission : /s"],
            ),
            ("delete /a", ErrorCode::NotEmpty, &["Node not empty: /a"]),
            (
                "create /e/x",
                ErrorCode::NoChildrenForEphemerals,
                &["Ephemerals cannot have children: /e/x"],
            ),
            (
                "get /a",
                ErrorCode::ConnectionLoss,
                &["KeeperErrorCode = ConnectionLoss for /a"],
            ),
            (
                "ls /a",
                ErrorCode::SessionExpired,
                &["KeeperErrorCode = Session expired for /a"],
            ),
            (
                "create -s /q/n_ x",
                ErrorCode::NoNode,
                &["Node does not exist: /q/n_"],
            ),
            (
                "delete /zookeeper",
                ErrorCode::BadArguments,
                &["Arguments are not valid : /zookeeper"],
            ),
            (
                "get a",
                ErrorCode::BadArguments,
                &["Path must start with / character"],
            ),
            (
                "create /a//b",
                ErrorCode::BadArguments,
                &["Invalid path string \"/a//b\" caused by empty node name specified @3"],
            ),
            (
                "deleteall /a",
                ErrorCode::NotEmpty,
                &["Failed to delete some node(s) in the subtree!"],
            ),
            (
                "deleteall /nope",
                ErrorCode::NoNode,
                &["Node does not exist: /nope"],
            ),
            (
                "sync /a",
                ErrorCode::ConnectionLoss,
                &["Sync has failed. rc=-4"],
            ),
            (
                "create /a x auth::cdrwa",
                ErrorCode::InvalidAcl,
                &[
                    "KeeperErrorCode = InvalidACL for /a",
                    "Acl is not valid : /a",
                ],
            ),
            (
                "create /a x bogus",
                ErrorCode::InvalidAcl,
                &[
                    "bogus does not have the form scheme:id:perm",
                    "KeeperErrorCode = InvalidACL",
                    "Acl is not valid : null",
                ],
            ),
            (
                "setAcl /a bogus",
                ErrorCode::InvalidAcl,
                &[
                    "bogus does not have the form scheme:id:perm",
                    "Acl is not valid : null",
                ],
            ),
        ];
        for (line, code, want) in cases {
            assert_eq!(run(line, Err(*code)), *want, "{line} {code:?}");
        }
    }

    #[test]
    fn watch_and_state_events() {
        let mut log = ConsoleLog::new("127.0.0.1:2181");
        log.push(&Output::Watch(WatchEvent {
            kind: EventType::NodeDataChanged,
            path: "/a".into(),
        }));
        assert_eq!(
            log.text().lines().skip(3).collect::<Vec<_>>(),
            [
                "",
                "WATCHER::",
                "",
                "WatchedEvent state:SyncConnected type:NodeDataChanged path:/a"
            ]
        );
        log.push(&Output::State(StateEvent::Disconnected));
        assert_eq!(log.state(), ClientState::Connecting);
        assert!(
            log.text()
                .ends_with("WatchedEvent state:Disconnected type:None path:null\n")
        );
        log.push(&Output::State(StateEvent::Expired));
        assert!(
            log.text()
                .ends_with("WatchedEvent state:Expired type:None path:null\n")
        );
        assert_eq!(log.prompt(), "[zk: 127.0.0.1:2181(CLOSED) 0] ");
    }

    #[test]
    fn closed_handle_says_not_connected_and_swallows_the_expiry() {
        let mut log = ConsoleLog::new("127.0.0.1:2181");
        log.push(&Output::State(StateEvent::SyncConnected));
        assert!(matches!(
            log.type_line("close"),
            Typed::Run(ZkCommand::Close)
        ));
        log.push(&result("close", Ok(CmdValue::Done)));
        assert!(
            log.text()
                .ends_with("WatchedEvent state:Closed type:None path:null\n")
        );
        assert_eq!(log.type_line("get /a"), Typed::Refused);
        // If the page ran it anyway, the core's SESSIONEXPIRED is not printed twice.
        log.push(&result("get /a", Err(ErrorCode::SessionExpired)));
        assert!(
            log.text()
                .ends_with("[zk: 127.0.0.1:2181(CLOSED) 1] get /a\nNot connected\n")
        );
        // An unknown command is still reported as such.
        assert_eq!(log.type_line("frob"), Typed::Refused);
        assert!(log.text().ends_with("frob\nCommand not found frob\n"));
    }

    #[test]
    fn parse_errors_use_zkcli_messages_and_count_lines() {
        let mut log = ConsoleLog::new("127.0.0.1:2181");
        log.push(&Output::State(StateEvent::SyncConnected));
        assert_eq!(log.type_line("set /a"), Typed::Refused);
        assert_eq!(log.type_line("get -x /a"), Typed::Refused);
        assert_eq!(log.type_line(""), Typed::Blank);
        let text = log.text();
        assert!(
            text.contains(
                "[zk: 127.0.0.1:2181(CONNECTED) 0] set /a\nset [-s] [-v version] path data\n"
            ),
            "{text}"
        );
        assert!(text.contains("(CONNECTED) 1] get -x /a\nUnrecognized option: -x\n"));
        assert!(text.ends_with("(CONNECTED) 2] \n"));
        assert_eq!(log.history(), ["set /a", "get -x /a"]);
        assert_eq!(log.running(), 0);
        assert_eq!(
            log.lines()[log.lines().len() - 1],
            ConsoleLine::Input {
                prompt: "[zk: 127.0.0.1:2181(CONNECTED) 2] ".into(),
                text: String::new()
            }
        );
    }

    #[test]
    fn history_cursor_keeps_the_draft() {
        let h = vec!["ls /".to_string(), "get /a".to_string()];
        let mut c = HistoryCursor::default();
        assert_eq!(c.step(&h, "dra", false), None);
        assert_eq!(c.step(&h, "dra", true).as_deref(), Some("get /a"));
        assert_eq!(c.step(&h, "get /a", true).as_deref(), Some("ls /"));
        assert_eq!(c.step(&h, "ls /", true), None);
        assert_eq!(c.step(&h, "ls /", false).as_deref(), Some("get /a"));
        assert_eq!(c.step(&h, "get /a", false).as_deref(), Some("dra"));
        assert_eq!(c.step(&h, "dra", false), None);
        assert_eq!(HistoryCursor::default().step(&[], "x", true), None);
    }

    #[test]
    fn names_and_fractions() {
        assert!(valid_client_name("c1"));
        assert!(valid_client_name("web_2"));
        assert!(!valid_client_name("1c"));
        assert!(!valid_client_name("C1"));
        assert!(!valid_client_name(""));
        assert_eq!(next_client_name(["c1", "c3"]), "c2");
        assert_eq!(next_client_name([]), "c1");
        assert_eq!(left_fraction(5, 10), 0.5);
        assert_eq!(left_fraction(20, 10), 1.0);
        assert_eq!(left_fraction(1, 0), 0.0);
    }

    #[test]
    fn a_real_session_end_to_end() {
        // Two clients on a real run: c1 creates and reads, c2 watches and sees the change.
        let src = "servers 3\nstart\nconnect c1 to 1\nconnect c2 to 3\nc1: create /a x\nc2: get -w /a\nc1: set /a y\n";
        let mut out = zkplay_core::script::run("t.zks", src, Default::default()).unwrap();
        let rows = session_rows(&out.sim);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "c1");
        assert_eq!(rows[0].state, ClientState::Connected);
        assert_eq!(rows[0].server, Some(1));
        assert_eq!(rows[1].server, Some(3));
        assert_eq!(rows[0].servers, [1, 2, 3]);
        assert_eq!(rows[1].servers, [3, 1, 2]);
        assert!(rows[0].session != 0 && rows[0].timeout > 0);
        // The leader's tracker rounds expiry up to the next tick.
        let tick = out.sim.config().tick_time;
        assert!(
            rows.iter()
                .all(|r| r.expires_in.is_some_and(|e| e <= r.timeout + tick)),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .all(|r| r.heard_ago.is_some_and(|h| h < r.read_timeout))
        );

        // The console of a client added on the page, driven like the page drives it.
        let sim = &mut out.sim;
        let id = sim.add_client("c3");
        sim.client_do(id, |c, ctx| c.connect(ctx, Some(ServerId(2)), None));
        let mut log = ConsoleLog::new(connect_string(&sim.client(id).servers));
        let pump = |sim: &mut Sim, log: &mut ConsoleLog| {
            for _ in 0..500 {
                if sim.step().is_none() {
                    break;
                }
                for o in sim.take_client_outputs() {
                    if o.client == id {
                        log.push(&o.output);
                    }
                }
            }
        };
        pump(sim, &mut log);
        for line in ["get -s /a", "create /a z", "ls /"] {
            let Typed::Run(cmd) = log.type_line(line) else {
                panic!("{line}")
            };
            sim.client_do(id, |c, ctx| c.exec(ctx, 0, line, cmd));
            pump(sim, &mut log);
        }
        let text = log.text();
        assert!(
            text.contains("[zk: 127.0.0.1:2182,127.0.0.1:2183,127.0.0.1:2181(CONNECTED) 0] get -s /a\ny\ncZxid = 0x"),
            "{text}"
        );
        assert!(text.contains("numChildren = 0\n[zk: "), "{text}");
        assert!(
            text.contains("create /a z\nNode already exists: /a\n"),
            "{text}"
        );
        assert!(text.ends_with("ls /\n[a, zookeeper]\n"), "{text}");
    }
}
