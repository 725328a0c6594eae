//! Watches: the server-side tables (one-shot data and child watches per connection) and the
//! client-side registry (spec/watches-sessions.md Part A).

use std::collections::{BTreeMap, BTreeSet};

use crate::Zxid;
use crate::acl::Acl;
use crate::tree::{DataTree, Trigger};

/// A client connection on a server, as the watch tables know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u32);

/// `Watcher.Event.EventType` for node events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    /// NodeCreated.
    NodeCreated,
    /// NodeDeleted.
    NodeDeleted,
    /// NodeDataChanged.
    NodeDataChanged,
    /// NodeChildrenChanged.
    NodeChildrenChanged,
}

impl EventType {
    /// The trace name.
    pub fn name(self) -> &'static str {
        match self {
            EventType::NodeCreated => "NodeCreated",
            EventType::NodeDeleted => "NodeDeleted",
            EventType::NodeDataChanged => "NodeDataChanged",
            EventType::NodeChildrenChanged => "NodeChildrenChanged",
        }
    }
}

/// A watch notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchEvent {
    /// Type.
    pub kind: EventType,
    /// Path.
    pub path: String,
}

/// A server's watch tables.
#[derive(Debug, Clone, Default)]
pub struct WatchManager {
    data: BTreeMap<String, BTreeSet<ConnId>>,
    child: BTreeMap<String, BTreeSet<ConnId>>,
}

impl WatchManager {
    /// Registers a data watch (getData / exists).
    pub fn add_data_watch(&mut self, path: &str, c: ConnId) {
        self.data.entry(path.to_string()).or_default().insert(c);
    }

    /// Registers a child watch (getChildren).
    pub fn add_child_watch(&mut self, path: &str, c: ConnId) {
        self.child.entry(path.to_string()).or_default().insert(c);
    }

    /// Forgets a closed connection's watches.
    pub fn remove_connection(&mut self, c: ConnId) {
        for t in [&mut self.data, &mut self.child] {
            t.retain(|_, set| {
                set.remove(&c);
                !set.is_empty()
            });
        }
    }

    /// Number of (path, connection) watches, data and child tables together.
    pub fn count(&self) -> usize {
        self.data.values().map(|s| s.len()).sum::<usize>()
            + self.child.values().map(|s| s.len()).sum::<usize>()
    }

    /// Paths watched by a connection: (data, child).
    pub fn watched_by(&self, c: ConnId) -> (Vec<String>, Vec<String>) {
        let pick = |t: &BTreeMap<String, BTreeSet<ConnId>>| {
            t.iter()
                .filter(|(_, s)| s.contains(&c))
                .map(|(p, _)| p.clone())
                .collect()
        };
        (pick(&self.data), pick(&self.child))
    }

    fn take(table: &mut BTreeMap<String, BTreeSet<ConnId>>, path: &str) -> BTreeSet<ConnId> {
        table.remove(path).unwrap_or_default()
    }

    /// Fires the watches the triggers of one transaction hit, in order; one-shot watches are
    /// consumed even when the READ filter drops the event.
    pub fn trigger(
        &mut self,
        triggers: &[Trigger],
        can_read: impl Fn(ConnId, &[Acl]) -> bool,
    ) -> Vec<(ConnId, WatchEvent)> {
        let mut out = Vec::new();
        for t in triggers {
            let recipients = match t.kind {
                EventType::NodeChildrenChanged => Self::take(&mut self.child, &t.path),
                EventType::NodeDeleted => {
                    // The child table fires NodeDeleted too, to connections not already notified.
                    let mut r = Self::take(&mut self.data, &t.path);
                    r.extend(Self::take(&mut self.child, &t.path));
                    r
                }
                _ => Self::take(&mut self.data, &t.path),
            };
            for c in recipients {
                if can_read(c, &t.acl) {
                    out.push((
                        c,
                        WatchEvent {
                            kind: t.kind,
                            path: t.path.clone(),
                        },
                    ));
                }
            }
        }
        out
    }

    /// `SetWatches` after a reconnect: events for what changed since `rel`, the rest re-armed.
    pub fn set_watches(
        &mut self,
        c: ConnId,
        rel: Zxid,
        data: &[String],
        exist: &[String],
        child: &[String],
        tree: &DataTree,
    ) -> Vec<WatchEvent> {
        let mut out = Vec::new();
        for p in data {
            match tree.get(p) {
                None => out.push(WatchEvent {
                    kind: EventType::NodeDeleted,
                    path: p.clone(),
                }),
                Some(n) if n.mzxid > rel => out.push(WatchEvent {
                    kind: EventType::NodeDataChanged,
                    path: p.clone(),
                }),
                Some(_) => self.add_data_watch(p, c),
            }
        }
        for p in exist {
            match tree.get(p) {
                None => self.add_data_watch(p, c),
                Some(_) => out.push(WatchEvent {
                    kind: EventType::NodeCreated,
                    path: p.clone(),
                }),
            }
        }
        for p in child {
            match tree.get(p) {
                None => out.push(WatchEvent {
                    kind: EventType::NodeDeleted,
                    path: p.clone(),
                }),
                Some(n) if n.pzxid > rel => out.push(WatchEvent {
                    kind: EventType::NodeChildrenChanged,
                    path: p.clone(),
                }),
                Some(_) => self.add_child_watch(p, c),
            }
        }
        out
    }
}

/// The client library's watch maps (all zkCli watches use the default watcher).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientWatches {
    /// dataWatches.
    pub data: BTreeSet<String>,
    /// existWatches.
    pub exist: BTreeSet<String>,
    /// childWatches.
    pub child: BTreeSet<String>,
}

impl ClientWatches {
    /// No watches at all.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty() && self.exist.is_empty() && self.child.is_empty()
    }
    /// getData -w succeeded, or exists -w on an existing node.
    pub fn add_data(&mut self, p: &str) {
        self.data.insert(p.to_string());
    }
    /// exists -w on a missing node.
    pub fn add_exist(&mut self, p: &str) {
        self.exist.insert(p.to_string());
    }
    /// getChildren -w succeeded.
    pub fn add_child(&mut self, p: &str) {
        self.child.insert(p.to_string());
    }
    /// The paths to re-register: (data, exist, child).
    pub fn paths(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        (
            self.data.iter().cloned().collect(),
            self.exist.iter().cloned().collect(),
            self.child.iter().cloned().collect(),
        )
    }
    /// Removes the entries an event consumes (A4).
    pub fn materialize(&mut self, ev: &WatchEvent) {
        match ev.kind {
            EventType::NodeCreated | EventType::NodeDataChanged => {
                self.data.remove(&ev.path);
                self.exist.remove(&ev.path);
            }
            EventType::NodeChildrenChanged => {
                self.child.remove(&ev.path);
            }
            EventType::NodeDeleted => {
                self.data.remove(&ev.path);
                self.exist.remove(&ev.path);
                self.child.remove(&ev.path);
            }
        }
    }
}
