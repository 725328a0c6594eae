//! Self-contained panels of the playground (issue 5, items 9 and 10): the zkCli console and
//! the sessions list, the znode tree, the event feed, the space-time diagram and the
//! inspector.
//!
//! Each panel is two layers:
//! * **pure logic** — plain data computed from [`zkplay_core`] (`session_rows`, `tree_view`,
//!   `FeedLog`, `SpanLog`, `inspect_server`, …) and the exact text the panel prints (zkCli
//!   output, feed sentences), unit-tested natively;
//! * **a Yew `#[component]`** taking small `PartialEq` props (the data above, usually behind
//!   an `Rc`) and `on_*` callbacks. No panel reads a global store: the page passes data in and
//!   gets the user's intent back through the callbacks.
//!
//! Stable hooks for tests: the console input carries `data-console-input` and its output
//! `data-console-output`; each znode row `data-znode="PATH"`; each feed entry `data-event="I"`;
//! each diagram arrow `data-arrow="ID"`.
//!
//! User-facing strings of the feed live in one table per language ([`feed::EN`]); the other
//! panels keep theirs in a `text` module at the top of the file.

pub mod console;
pub mod feed;
pub mod inspector;
pub mod spacetime;
pub mod znode_tree;

use std::collections::BTreeMap;

use zkplay_core::event::Event;
use zkplay_core::msg::{ClientId, Node};
use zkplay_core::{SessionId, Sim};

pub use console::{
    ConsoleLine, ConsoleLog, ConsolePanel, ConsolePanelProps, SessionRow, SessionsPanel,
    SessionsPanelProps, session_rows,
};
pub use feed::{Category, FeedEntry, FeedLog, FeedPanel, FeedPanelProps};
pub use inspector::{
    InspectorPanel, InspectorPanelProps, MessageInspect, ServerInspect, inspect_message,
    inspect_server,
};
pub use spacetime::{Lane, SpaceTimePanel, SpaceTimePanelProps, SpanLog, Window, lanes_for};
pub use znode_tree::{TreeView, ZnodeTreePanel, ZnodeTreePanelProps, tree_view};

/// Client names, by client index and by session: what turns ids into words in every panel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    clients: Vec<String>,
    sessions: BTreeMap<SessionId, String>,
}

impl Names {
    /// The names of `sim`'s clients (a reused name maps the newest session to it too).
    pub fn from_sim(sim: &Sim) -> Names {
        let mut n = Names::default();
        for c in sim.clients() {
            n.clients.push(c.name.clone());
            if c.session.0 != 0 {
                n.sessions.insert(c.session, c.name.clone());
            }
        }
        n
    }

    /// The name of client `id` (`c#3` if unknown).
    pub fn client(&self, id: ClientId) -> String {
        self.clients
            .get(id.0 as usize)
            .cloned()
            .unwrap_or_else(|| format!("c#{}", id.0))
    }

    /// The client that owns `session`, if known.
    pub fn session(&self, session: SessionId) -> Option<&str> {
        self.sessions.get(&session).map(String::as_str)
    }

    /// `server 2` or `c1`: the short label of a node.
    pub fn node(&self, node: Node) -> String {
        match node {
            Node::Server(s) => format!("server {}", s.0),
            Node::Client(c) => self.client(c),
        }
    }
}

/// Every how many events a [`LogCursor`] keeps one to recognise the log by.
pub const CHECKPOINT_EVERY: usize = 256;

/// Where an incremental reader of the event log stands: how many events it has read, and
/// a sample of them (every [`CHECKPOINT_EVERY`]-th and the last) to tell, when it sees the
/// log again, how much of it is still what it read.
///
/// The page's log only ever changes by being cut back (seeking back, forking) and growing,
/// so the longest prefix still read is found by checking the samples from the end: a seek
/// or a fork costs the reader what changed since the sample before it, not the whole log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogCursor {
    seen: usize,
    marks: Vec<(usize, Event)>,
    last: Option<Event>,
}

impl LogCursor {
    /// Events read.
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// Records that event `e` (index [`LogCursor::seen`]) was read.
    pub fn note(&mut self, e: &Event) {
        if self.seen.is_multiple_of(CHECKPOINT_EVERY) {
            self.marks.push((self.seen, e.clone()));
        }
        self.last = Some(e.clone());
        self.seen += 1;
    }

    /// Forgets events from index `n` on.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.seen {
            return;
        }
        let keep = self.marks.partition_point(|(i, _)| *i < n);
        self.marks.truncate(keep);
        self.seen = n;
        self.last = None;
    }

    /// How many leading events of `events` are the ones read before.
    pub fn common_prefix(&self, events: &[Event]) -> usize {
        if self.seen == 0 {
            return 0;
        }
        if self.seen <= events.len()
            && self
                .last
                .as_ref()
                .is_some_and(|l| *l == events[self.seen - 1])
        {
            return self.seen;
        }
        let n = self.seen.min(events.len());
        self.marks
            .iter()
            .rev()
            .filter(|(i, _)| *i < n)
            .find(|(i, e)| events[*i] == *e)
            .map_or(0, |(i, _)| i + 1)
    }
}

// Events hold no floating-point values, so equality is reflexive.
impl Eq for LogCursor {}

/// `0x…` lower-case hex without padding, as Java's `Long.toHexString` (two's complement for
/// negative values).
pub fn hex(v: i64) -> String {
    format!("0x{:x}", v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_java_long_to_hex_string() {
        assert_eq!(hex(0), "0x0");
        assert_eq!(hex(0x1_0000_0002), "0x100000002");
        assert_eq!(hex(-1), "0xffffffffffffffff");
    }

    #[test]
    fn cursor_finds_the_common_prefix() {
        let ev = |t: u64| Event {
            at: zkplay_core::SimTime(t),
            kind: zkplay_core::event::EventKind::Started {
                server: zkplay_core::ServerId(1),
            },
        };
        let log: Vec<Event> = (0..1000).map(ev).collect();
        let mut c = LogCursor::default();
        for e in &log[..700] {
            c.note(e);
        }
        assert_eq!(c.common_prefix(&log), 700);
        assert_eq!(c.common_prefix(&log[..700]), 700);
        // Cut back: the sample before the cut.
        assert_eq!(c.common_prefix(&log[..600]), 513);
        // Forked at 650: the sample at 512 still matches, the last event does not.
        let mut fork = log[..650].to_vec();
        fork.extend((0..100).map(|t| ev(10_000 + t)));
        assert_eq!(c.common_prefix(&fork), 513);
        // A different log from the start.
        let other: Vec<Event> = (0..800).map(|t| ev(t + 1)).collect();
        assert_eq!(c.common_prefix(&other), 0);
        c.truncate(300);
        assert_eq!(c.seen(), 300);
        assert_eq!(c.common_prefix(&log), 257);
        assert_eq!(LogCursor::default().common_prefix(&log), 0);
    }

    #[test]
    fn names_of_a_run() {
        let src = "servers 3\nstart\nconnect c1 to 2\nconnect c2\n";
        let out = zkplay_core::script::run("t.zks", src, Default::default()).unwrap();
        let names = Names::from_sim(&out.sim);
        assert_eq!(names.client(ClientId(0)), "c1");
        assert_eq!(names.client(ClientId(7)), "c#7");
        let s = out.sim.clients()[1].session;
        assert_eq!(names.session(s), Some("c2"));
        assert_eq!(
            names.node(Node::Server(zkplay_core::ServerId(3))),
            "server 3"
        );
        assert_eq!(names.node(Node::Client(ClientId(0))), "c1");
    }
}
