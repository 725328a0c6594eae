//! The parsed form of a `.zks` scenario script (see docs/scenario-script.md).
//!
//! Parsing produces a [`Script`]: a list of [`Line`]s, each a [`Directive`] with the line
//! number it came from (1-based). Nothing runs from a script that fails to parse.

pub use crate::fourlw::FourLetterWord;
pub use crate::recipe::{RecipeKind, RecipeSpec, Variant};
pub use crate::script::lesson::{Lang, Quiz, QuizAnswer, Texts};
use crate::types::{ServerId, Zxid};

/// A whole parsed script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// Every directive, in file order (blank and comment-only lines are not kept).
    pub lines: Vec<Line>,
}

/// One directive and where it stands in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub line: u32,
    /// What the line says.
    pub directive: Directive,
}

/// A `network` line's settings; absent keys keep their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkSpec {
    /// `latency=2..8ms`: inclusive range of one-way delays in ms.
    pub latency: Option<(u64, u64)>,
    /// `loss=0.01`: drop probability in parts per million (0..=1_000_000).
    pub loss_ppm: Option<u32>,
    /// `seed=42`.
    pub seed: Option<u64>,
}

/// A `config` line's zoo.cfg keys; absent keys keep their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigSpec {
    /// `tickTime` in ms.
    pub tick_time: Option<u64>,
    /// `initLimit` in ticks.
    pub init_limit: Option<u64>,
    /// `syncLimit` in ticks.
    pub sync_limit: Option<u64>,
    /// `minSessionTimeout` in ms.
    pub min_session_timeout: Option<u64>,
    /// `maxSessionTimeout` in ms.
    pub max_session_timeout: Option<u64>,
}

/// One script directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// `servers 5 observers 6 7`: voters 1..=voters, then the observer ids.
    Servers {
        /// Number of voting servers (ids 1..=voters).
        voters: u8,
        /// Observer ids (each greater than `voters`, no duplicates).
        observers: Vec<ServerId>,
    },
    /// `config tickTime=2000 initLimit=10 syncLimit=5`.
    Config(ConfigSpec),
    /// `network latency=2..8ms loss=0 seed=42`.
    Network(NetworkSpec),
    /// `history 3 zxid=0x100000009`.
    History {
        /// The server.
        server: ServerId,
        /// Its last logged zxid.
        zxid: Zxid,
    },
    /// `start 1 2 3 [together]`.
    Start {
        /// Servers in the order given.
        servers: Vec<ServerId>,
        /// All at one instant instead of one after another.
        together: bool,
    },
    /// `crash 2`.
    Crash(ServerId),
    /// `restart 2`.
    Restart(ServerId),
    /// `partition 1 2 / 3` (two-sided: only servers on the same side reach each other) or
    /// `partition 1 2 -> 3` (one-way: messages from the left servers to the right ones are lost).
    Partition {
        /// The sides (two or more for two-sided; exactly two for one-way).
        sides: Vec<Vec<ServerId>>,
        /// True for `->`.
        one_way: bool,
    },
    /// `heal`.
    Heal,
    /// `run 500ms`: advance simulated time by this many ms.
    Run(u64),
    /// `step` / `step 5`: deliver exactly this many pending messages or timers.
    Step(u32),
    /// `await leader`.
    AwaitLeader,
    /// `status`.
    Status,
    /// `connect c1 [to 2] [timeout 4000]`.
    Connect {
        /// Client name (`[a-z][a-z0-9_]*`).
        client: String,
        /// First server to try.
        server: Option<ServerId>,
        /// Requested session timeout in ms.
        timeout: Option<u64>,
    },
    /// `c1: <zkCli command>` (including `c1: close`).
    Client {
        /// Client name.
        client: String,
        /// The command text exactly as written after `c1:` (comment and surrounding blanks removed).
        text: String,
        /// The parsed command.
        cmd: ZkCommand,
    },
    /// `expire c1`.
    Expire(String),
    /// `4lw 2 srvr`: what server 2 answers to a four-letter word (sim-only).
    FourLetter {
        /// The server asked.
        server: ServerId,
        /// The word.
        word: FourLetterWord,
    },
    /// `mode 2`: the `Mode:` that `zkServer.sh status` prints for server 2 (sim-only).
    Mode(ServerId),
    /// `title en "…" zh "…"`: a lesson's title (narration: runs nothing).
    Title(Texts),
    /// `note en "…" zh "…"`: text the lesson shows (narration: runs nothing).
    Note(Texts),
    /// `pause`: a stop where the lesson waits for Next (narration: runs nothing).
    Pause,
    /// `quiz en "…" zh "…" answer leader=3`: a stop that asks a question; the simulation
    /// shows the answer by the next stop (narration: runs nothing).
    Quiz(Quiz),
    /// `recipe election herd-free c1 c2 c3` / `recipe lock c1 c2`: the clients, in order, run
    /// the recipe (sim-only).
    Recipe {
        /// The recipe and its root.
        spec: RecipeSpec,
        /// The clients, in the order they volunteer.
        clients: Vec<String>,
    },
    /// `recipe resign c1` / `recipe unlock c1`: the client deletes its recipe node.
    RecipeLeave(String),
}

impl Directive {
    /// True for narration (`title`, `note`, `pause`, `quiz`): lines that neither run the
    /// simulation nor add to the trace.
    pub fn is_narration(&self) -> bool {
        matches!(
            self,
            Directive::Title(_) | Directive::Note(_) | Directive::Pause | Directive::Quiz(_)
        )
    }
}

/// A zkCli command as a client in a script (or the page's console) issues it.
///
/// Paths and ACL strings are kept as written: path validation (BADARGUMENTS) and ACL parsing
/// (INVALIDACL) are client-side checks that happen when the command runs, as in zkCli.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZkCommand {
    /// `create [-s] [-e] [-c] path [data] [acl]`.
    Create {
        /// `-s`.
        sequential: bool,
        /// `-e`.
        ephemeral: bool,
        /// `-c`.
        container: bool,
        /// Path as written.
        path: String,
        /// Data; `None` when absent (the node's data is then null).
        data: Option<String>,
        /// ACL argument as written.
        acl: Option<String>,
    },
    /// `delete [-v version] path`.
    Delete {
        /// Expected version (-1 = any).
        version: i32,
        /// Path as written.
        path: String,
    },
    /// `deleteall path`.
    DeleteAll {
        /// Path as written.
        path: String,
    },
    /// `set [-s] [-v version] path data`.
    Set {
        /// `-s`.
        stat: bool,
        /// Expected version (-1 = any).
        version: i32,
        /// Path as written.
        path: String,
        /// New data.
        data: String,
    },
    /// `get [-s] [-w] path`.
    Get {
        /// `-s`.
        stat: bool,
        /// `-w`.
        watch: bool,
        /// Path as written.
        path: String,
    },
    /// `ls [-s] [-w] [-R] path`.
    Ls {
        /// `-s`.
        stat: bool,
        /// `-w`.
        watch: bool,
        /// `-R`.
        recursive: bool,
        /// Path as written.
        path: String,
    },
    /// `stat [-w] path`.
    Stat {
        /// `-w`.
        watch: bool,
        /// Path as written.
        path: String,
    },
    /// `getAcl [-s] path`.
    GetAcl {
        /// `-s`.
        stat: bool,
        /// Path as written.
        path: String,
    },
    /// `setAcl [-s] [-v version] path acl`.
    SetAcl {
        /// `-s`.
        stat: bool,
        /// Expected ACL version (-1 = any).
        version: i32,
        /// Path as written.
        path: String,
        /// ACL argument as written.
        acl: String,
    },
    /// `addauth scheme auth`.
    AddAuth {
        /// Scheme, e.g. `digest`.
        scheme: String,
        /// Auth text, e.g. `alice:secret`.
        auth: String,
    },
    /// `sync path`.
    Sync {
        /// Path as written.
        path: String,
    },
    /// `close`.
    Close,
}
