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
