//! Watches (spec/watches-sessions.md Part A): the server-side tables of one server
//! ([`WatchManager`]) and the client library's registry ([`ClientWatches`]).
//!
//! The data tree reports what a transaction changed as [`Trigger`]s, in the order
//! ZooKeeper's `DataTree` fires them; [`WatchManager::trigger`] turns them into
//! notifications for this server's connections, exactly as `WatchManager.triggerWatch`
//! and the connection's ACL filter do.

use std::collections::{BTreeMap, BTreeSet};

use crate::Zxid;
use crate::acl::Acl;
use crate::tree::DataTree;

/// A client connection to one server. Watches belong to connections, not sessions: a
/// client that moves to another server re-registers them there (SetWatches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ConnId(pub u32);

/// A node event type (`Watcher.Event.EventType`, state events excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    /// The node was created (data table).
    NodeCreated,
    /// The node was deleted (data and child tables).
    NodeDeleted,
    /// The node's data changed (data table).
    NodeDataChanged,
    /// A child was created or deleted (child table, on the parent).
    NodeChildrenChanged,
}

impl EventType {
    /// The Java enum name, as the trace prints it.
    pub fn name(self) -> &'static str {
        match self {
            EventType::NodeCreated => "NodeCreated",
            EventType::NodeDeleted => "NodeDeleted",
            EventType::NodeDataChanged => "NodeDataChanged",
            EventType::NodeChildrenChanged => "NodeChildrenChanged",
        }
    }
    /// The wire value (`EventType.getIntValue()`).
    pub fn code(self) -> i32 {
        match self {
            EventType::NodeCreated => 1,
            EventType::NodeDeleted => 2,
            EventType::NodeDataChanged => 3,
            EventType::NodeChildrenChanged => 4,
        }
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A notification as a client receives it (state SyncConnected; 3.8 sends no zxid).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WatchEvent {
    /// Event type.
    pub kind: EventType,
    /// The path the event is about.
    pub path: String,
}

/// One change reported by the data tree for the watch tables, in firing order.
///
/// `NodeCreated` and `NodeDataChanged` fire the data table on `path`; `NodeChildrenChanged`
/// fires the child table on `path` (the parent); `NodeDeleted` fires the data table, then
/// the child table for the connections the data table did not already notify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The path the event is about.
    pub path: String,
    /// The event.
    pub kind: EventType,
    /// The ACL of the node at `path` when the event fired (a deleted node's last ACL; the
    /// parent's ACL for NodeChildrenChanged): a connection without READ on it does not get
    /// the event, though its one-shot watch is consumed all the same.
    pub acl: std::rc::Rc<[Acl]>,
    /// The zxid of the transaction (3.9 puts it in the event; 3.8 sends -1).
    pub zxid: Zxid,
}

/// A watch's mode on the server (`WatcherMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WatchMode {
    /// One-shot (getData / exists / getChildren with watch).
    Standard,
    /// `addWatch -m PERSISTENT`: exact path, stays.
    Persistent,
    /// `addWatch` (default PERSISTENT_RECURSIVE): the path and every descendant, stays,
    /// never NodeChildrenChanged.
    PersistentRecursive,
}

/// Which server table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WatchTable {
    /// Data watches (getData, exists).
    Data,
    /// Child watches (getChildren).
    Child,
}

type Table = BTreeMap<String, BTreeMap<ConnId, WatchMode>>;

/// One server's watch tables: `path -> {connection: mode}` for data and child watches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchManager {
    data: Table,
    child: Table,
}

impl WatchManager {
    /// Empty tables.
    pub fn new() -> WatchManager {
        WatchManager::default()
    }

    /// True when no watch of any kind is registered: then [`WatchManager::trigger`] has
    /// nothing to do, and a write need not even build its triggers.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty() && self.child.is_empty()
    }

    /// A standard data watch (successful getData with watch; exists with watch whether or
    /// not the node exists). Registering again is still one watch; it replaces the mode of an
    /// existing registration of that connection on that path, as in ZooKeeper.
    pub fn add_data_watch(&mut self, path: &str, conn: ConnId) {
        add(&mut self.data, path, conn, WatchMode::Standard);
    }

    /// A standard child watch (successful getChildren with watch).
    pub fn add_child_watch(&mut self, path: &str, conn: ConnId) {
        add(&mut self.child, path, conn, WatchMode::Standard);
    }

    /// `addWatch(path, mode)`: ZooKeeper 3.8 registers it in both tables, with no existence
    /// or ACL check.
    pub fn add_watch(&mut self, path: &str, conn: ConnId, mode: WatchMode) {
        add(&mut self.data, path, conn, mode);
        add(&mut self.child, path, conn, mode);
    }

    /// Forgets every watch of a closed connection.
    pub fn remove_connection(&mut self, conn: ConnId) {
        for table in [&mut self.data, &mut self.child] {
            table.retain(|_, conns| {
                conns.remove(&conn);
                !conns.is_empty()
            });
        }
    }

    /// Removes one connection's watch on `path` from `table` (`removeWatches`); true if there
    /// was one.
    pub fn remove_watch(&mut self, table: WatchTable, path: &str, conn: ConnId) -> bool {
        let t = match table {
            WatchTable::Data => &mut self.data,
            WatchTable::Child => &mut self.child,
        };
        let Some(conns) = t.get_mut(path) else {
            return false;
        };
        let removed = conns.remove(&conn).is_some();
        if conns.is_empty() {
            t.remove(path);
        }
        removed
    }

    /// Has `conn` a watch on `path` in `table`?
    pub fn contains(&self, table: WatchTable, path: &str, conn: ConnId) -> bool {
        let t = match table {
            WatchTable::Data => &self.data,
            WatchTable::Child => &self.child,
        };
        t.get(path).is_some_and(|c| c.contains_key(&conn))
    }

    /// Number of (connection, path) registrations in both tables (mntr `zk_watch_count`).
    pub fn watch_count(&self) -> usize {
        self.data
            .values()
            .chain(self.child.values())
            .map(|c| c.len())
            .sum()
    }

    /// Every registration, for a UI: data table first, then child table, each in path then
    /// connection order.
    pub fn watches(&self) -> Vec<(WatchTable, String, ConnId, WatchMode)> {
        let mut out = Vec::new();
        for (which, table) in [
            (WatchTable::Data, &self.data),
            (WatchTable::Child, &self.child),
        ] {
            for (path, conns) in table {
                for (conn, mode) in conns {
                    out.push((which, path.clone(), *conn, *mode));
                }
            }
        }
        out
    }

    /// Fires the tables for `triggers`, in order, and returns the notifications to send,
    /// in order (within one table trigger, recipients in connection order: each connection
    /// has its own FIFO, so their relative order is not observable).
    ///
    /// `can_read(conn, acl)` says whether the connection holds READ on `acl` (its ids checked
    /// with [`crate::acl::can_read`]); events for which it does not are dropped, but a
    /// one-shot watch is consumed anyway.
    pub fn trigger(
        &mut self,
        triggers: &[Trigger],
        can_read: impl Fn(ConnId, &[Acl]) -> bool,
    ) -> Vec<(ConnId, WatchEvent)> {
        let mut out = Vec::new();
        for t in triggers {
            let mut deliver = |recipients: &BTreeSet<ConnId>,
                               suppress: Option<&BTreeSet<ConnId>>| {
                for conn in recipients {
                    if suppress.is_some_and(|s| s.contains(conn)) {
                        continue;
                    }
                    if can_read(*conn, &t.acl) {
                        out.push((
                            *conn,
                            WatchEvent {
                                kind: t.kind,
                                path: t.path.clone(),
                            },
                        ));
                    }
                }
            };
            match t.kind {
                EventType::NodeCreated | EventType::NodeDataChanged => {
                    let r = fire(&mut self.data, &t.path, t.kind);
                    deliver(&r, None);
                }
                EventType::NodeChildrenChanged => {
                    let r = fire(&mut self.child, &t.path, t.kind);
                    deliver(&r, None);
                }
                EventType::NodeDeleted => {
                    let from_data = fire(&mut self.data, &t.path, t.kind);
                    deliver(&from_data, None);
                    let from_child = fire(&mut self.child, &t.path, t.kind);
                    deliver(&from_child, Some(&from_data));
                }
            }
        }
        out
    }

    /// SetWatches after a reconnect (A6, `DataTree.setWatches`): for each path the client
    /// sends, either an event fires at once or the watch is registered for `conn`.
    /// Data: missing ⇒ NodeDeleted; `mzxid > relative_zxid` ⇒ NodeDataChanged; else re-add.
    /// Exist: present ⇒ NodeCreated; else re-add a data watch. Child: missing ⇒ NodeDeleted;
    /// `pzxid > relative_zxid` ⇒ NodeChildrenChanged; else re-add. The events are returned
    /// in that order and are not filtered by ACL (the server passes no ACL for them).
    pub fn set_watches(
        &mut self,
        conn: ConnId,
        relative_zxid: Zxid,
        data: &[String],
        exist: &[String],
        child: &[String],
        tree: &DataTree,
    ) -> Vec<WatchEvent> {
        let mut out = Vec::new();
        let ev = |kind, path: &String| WatchEvent {
            kind,
            path: path.clone(),
        };
        for p in data {
            match tree.get(p) {
                None => out.push(ev(EventType::NodeDeleted, p)),
                Some(n) if n.mzxid > relative_zxid => out.push(ev(EventType::NodeDataChanged, p)),
                Some(_) => self.add_data_watch(p, conn),
            }
        }
        for p in exist {
            match tree.get(p) {
                Some(_) => out.push(ev(EventType::NodeCreated, p)),
                None => self.add_data_watch(p, conn),
            }
        }
        for p in child {
            match tree.get(p) {
                None => out.push(ev(EventType::NodeDeleted, p)),
                Some(n) if n.pzxid > relative_zxid => {
                    out.push(ev(EventType::NodeChildrenChanged, p))
                }
                Some(_) => self.add_child_watch(p, conn),
            }
        }
        out
    }

    /// The persistent part of SetWatches2: re-registers without any event.
    pub fn set_persistent_watches(
        &mut self,
        conn: ConnId,
        persistent: &[String],
        recursive: &[String],
    ) {
        for p in persistent {
            self.add_watch(p, conn, WatchMode::Persistent);
        }
        for p in recursive {
            self.add_watch(p, conn, WatchMode::PersistentRecursive);
        }
    }
}

fn add(table: &mut Table, path: &str, conn: ConnId, mode: WatchMode) {
    table
        .entry(path.to_string())
        .or_default()
        .insert(conn, mode);
}

/// `WatchManager.triggerWatch` on one table: the path itself matches standard and persistent
/// watches (standard ones are removed), the path and its ancestors match recursive watches
/// (never for NodeChildrenChanged). Returns every matched connection.
fn fire(table: &mut Table, path: &str, kind: EventType) -> BTreeSet<ConnId> {
    let mut recipients = BTreeSet::new();
    if table.is_empty() {
        // Every committed write gets here on every server: no allocation when nobody watches.
        return recipients;
    }
    for (i, q) in std::iter::once(path).chain(ancestors(path)).enumerate() {
        let at_path = i == 0;
        let Some(conns) = table.get_mut(q) else {
            continue;
        };
        conns.retain(|conn, mode| match mode {
            WatchMode::PersistentRecursive => {
                if kind != EventType::NodeChildrenChanged {
                    recipients.insert(*conn);
                }
                true
            }
            WatchMode::Persistent => {
                if at_path {
                    recipients.insert(*conn);
                }
                true
            }
            WatchMode::Standard => {
                if at_path {
                    recipients.insert(*conn);
                }
                !at_path
            }
        });
        if conns.is_empty() {
            table.remove(q);
        }
    }
    recipients
}

/// The proper ancestors of `path`, nearest first, ending with `/` (`PathParentIterator`).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut p = path;
    std::iter::from_fn(move || {
        let i = p.rfind('/')?;
        if p == "/" {
            return None;
        }
        p = if i == 0 { "/" } else { &p[..i] };
        Some(p)
    })
}

/// What a read asked the client library to register (`WatchRegistration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Registration {
    /// getData with watch: dataWatches on success only.
    Data,
    /// exists with watch: dataWatches on success, existWatches on NONODE.
    Exists,
    /// getChildren with watch: childWatches on success only.
    Child,
    /// addWatch PERSISTENT: persistentWatches on success.
    Persistent,
    /// addWatch PERSISTENT_RECURSIVE: persistentRecursiveWatches on success.
    PersistentRecursive,
}

/// The client library's watch registry (`ZKWatchManager`) for a client whose only watcher
/// is the default one (zkCli): `path` sets per map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientWatches {
    /// dataWatches.
    pub data: BTreeSet<String>,
    /// existWatches.
    pub exist: BTreeSet<String>,
    /// childWatches.
    pub child: BTreeSet<String>,
    /// persistentWatches.
    pub persistent: BTreeSet<String>,
    /// persistentRecursiveWatches.
    pub recursive: BTreeSet<String>,
}

impl ClientWatches {
    /// Registers on a reply (A2): `err` is the reply's error code (None = OK). Returns true
    /// if a watch was registered.
    pub fn on_reply(
        &mut self,
        reg: Registration,
        path: &str,
        err: Option<crate::ErrorCode>,
    ) -> bool {
        let set = match (reg, err) {
            (Registration::Data, None) | (Registration::Exists, None) => &mut self.data,
            (Registration::Exists, Some(crate::ErrorCode::NoNode)) => &mut self.exist,
            (Registration::Child, None) => &mut self.child,
            (Registration::Persistent, None) => &mut self.persistent,
            (Registration::PersistentRecursive, None) => &mut self.recursive,
            _ => return false,
        };
        set.insert(path.to_string());
        true
    }

    /// Adds a dataWatches entry.
    pub fn add_data(&mut self, path: &str) {
        self.data.insert(path.to_string());
    }
    /// Adds an existWatches entry.
    pub fn add_exist(&mut self, path: &str) {
        self.exist.insert(path.to_string());
    }
    /// Adds a childWatches entry.
    pub fn add_child(&mut self, path: &str) {
        self.child.insert(path.to_string());
    }

    /// No watch at all (then the client sends no SetWatches on reconnect).
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
            && self.exist.is_empty()
            && self.child.is_empty()
            && self.persistent.is_empty()
            && self.recursive.is_empty()
    }

    /// The standard watch paths to send in SetWatches: (data, exist, child), each sorted.
    pub fn paths(&self) -> (Vec<String>, Vec<String>, Vec<String>) {
        let v = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
        (v(&self.data), v(&self.exist), v(&self.child))
    }

    /// The persistent watch paths to send in SetWatches2: (persistent, recursive).
    pub fn persistent_paths(&self) -> (Vec<String>, Vec<String>) {
        let v = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
        (v(&self.persistent), v(&self.recursive))
    }

    /// `materialize` for a node event (A4): removes the one-shot entries the event consumes
    /// and returns true if any watcher (here: the default watcher) is to be called. With
    /// every watch being the default watcher, one event means at most one callback.
    pub fn materialize(&mut self, ev: &WatchEvent) -> bool {
        let p = ev.path.as_str();
        let mut hit = false;
        let mut take = |set: &mut BTreeSet<String>| hit |= set.remove(p);
        match ev.kind {
            EventType::NodeCreated | EventType::NodeDataChanged => {
                take(&mut self.data);
                take(&mut self.exist);
            }
            EventType::NodeChildrenChanged => take(&mut self.child),
            EventType::NodeDeleted => {
                take(&mut self.data);
                take(&mut self.exist);
                take(&mut self.child);
            }
        }
        hit |= self.persistent.contains(p);
        hit |= std::iter::once(p)
            .chain(ancestors(p))
            .any(|q| self.recursive.contains(q));
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::{self, Id};

    fn t(path: &str, kind: EventType) -> Trigger {
        Trigger {
            path: path.into(),
            kind,
            acl: acl::open_acl_unsafe().into(),
            zxid: Zxid(0),
        }
    }

    fn ev(kind: EventType, path: &str) -> WatchEvent {
        WatchEvent {
            kind,
            path: path.into(),
        }
    }

    const C1: ConnId = ConnId(1);
    const C2: ConnId = ConnId(2);

    #[test]
    fn standard_watches_are_one_shot() {
        let mut w = WatchManager::new();
        w.add_data_watch("/w", C2);
        w.add_data_watch("/w", C2); // twice is one watch
        assert_eq!(w.watch_count(), 1);
        let got = w.trigger(&[t("/w", EventType::NodeDataChanged)], |_, _| true);
        assert_eq!(got, vec![(C2, ev(EventType::NodeDataChanged, "/w"))]);
        assert!(
            w.trigger(&[t("/w", EventType::NodeDataChanged)], |_, _| true)
                .is_empty()
        );
        assert_eq!(w.watch_count(), 0);
    }

    #[test]
    fn child_watch_fires_on_children_and_delete_only() {
        let mut w = WatchManager::new();
        w.add_child_watch("/dir", C2);
        assert!(
            w.trigger(&[t("/dir", EventType::NodeDataChanged)], |_, _| true)
                .is_empty()
        );
        assert!(
            w.trigger(&[t("/dir/a", EventType::NodeCreated)], |_, _| true)
                .is_empty()
        );
        let got = w.trigger(&[t("/dir", EventType::NodeChildrenChanged)], |_, _| true);
        assert_eq!(got, vec![(C2, ev(EventType::NodeChildrenChanged, "/dir"))]);
        w.add_child_watch("/dir/a", C2);
        let got = w.trigger(
            &[
                t("/dir/a", EventType::NodeDeleted),
                t("/dir", EventType::NodeChildrenChanged),
            ],
            |_, _| true,
        );
        assert_eq!(got, vec![(C2, ev(EventType::NodeDeleted, "/dir/a"))]);
    }

    #[test]
    fn delete_notifies_each_connection_once() {
        // get -w, stat -w and ls -w on one node: one NodeDeleted.
        let mut w = WatchManager::new();
        w.add_data_watch("/me", C1);
        w.add_child_watch("/me", C1);
        w.add_child_watch("/me", C2);
        w.add_child_watch("/", C1);
        let got = w.trigger(
            &[
                t("/me", EventType::NodeDeleted),
                t("/", EventType::NodeChildrenChanged),
            ],
            |_, _| true,
        );
        assert_eq!(
            got,
            vec![
                (C1, ev(EventType::NodeDeleted, "/me")),
                (C2, ev(EventType::NodeDeleted, "/me")),
                (C1, ev(EventType::NodeChildrenChanged, "/"))
            ]
        );
        assert_eq!(w.watch_count(), 0);
    }

    #[test]
    fn acl_filter_drops_the_event_but_consumes_the_watch() {
        // watch-acl-01: `other` has an exists-watch on a digest-protected node.
        let alice = Id::digest("alice:secret");
        let sec = vec![acl::Acl::new(acl::ALL, "digest", &alice.id)];
        let auth = |c: ConnId| {
            if c == C1 {
                vec![Id::ip("127.0.0.1"), alice.clone()]
            } else {
                vec![Id::ip("127.0.0.1")]
            }
        };
        let mut w = WatchManager::new();
        w.add_data_watch("/sec", C2);
        w.add_data_watch("/sec", C1);
        let trig = Trigger {
            path: "/sec".into(),
            kind: EventType::NodeDataChanged,
            acl: sec.into(),
            zxid: Zxid(4),
        };
        let got = w.trigger(std::slice::from_ref(&trig), |c, a| {
            acl::can_read(a, &auth(c))
        });
        assert_eq!(got, vec![(C1, ev(EventType::NodeDataChanged, "/sec"))]);
        assert!(!w.contains(WatchTable::Data, "/sec", C2));
    }

    #[test]
    fn persistent_and_recursive_watches() {
        let mut w = WatchManager::new();
        w.add_watch("/p", C1, WatchMode::Persistent);
        w.add_watch("/r", C2, WatchMode::PersistentRecursive);
        let trig = [
            t("/p", EventType::NodeDataChanged),
            t("/p", EventType::NodeChildrenChanged),
            t("/p/x", EventType::NodeCreated),
            t("/r/a/b", EventType::NodeCreated),
            t("/r/a", EventType::NodeChildrenChanged),
            t("/r/a/b", EventType::NodeDeleted),
        ];
        let got = w.trigger(&trig, |_, _| true);
        assert_eq!(
            got,
            vec![
                (C1, ev(EventType::NodeDataChanged, "/p")),
                (C1, ev(EventType::NodeChildrenChanged, "/p")),
                (C2, ev(EventType::NodeCreated, "/r/a/b")),
                (C2, ev(EventType::NodeDeleted, "/r/a/b")),
            ]
        );
        assert_eq!(w.watch_count(), 4);
        // A later standard registration replaces the mode (ZooKeeper keeps one mode per pair).
        w.add_data_watch("/p", C1);
        w.trigger(&[t("/p", EventType::NodeDataChanged)], |_, _| true);
        assert!(!w.contains(WatchTable::Data, "/p", C1));
        w.remove_connection(C2);
        assert_eq!(w.watch_count(), 1);
    }

    #[test]
    fn ancestors_nearest_first() {
        let all = |p| ancestors(p).collect::<Vec<_>>();
        assert_eq!(all("/a/b/c"), ["/a/b", "/a", "/"]);
        assert_eq!(all("/a"), ["/"]);
        assert!(all("/").is_empty());
    }

    #[test]
    fn client_registration_and_materialize() {
        let mut c = ClientWatches::default();
        assert!(c.on_reply(Registration::Exists, "/x", Some(crate::ErrorCode::NoNode)));
        assert!(!c.on_reply(Registration::Data, "/y", Some(crate::ErrorCode::NoNode)));
        assert!(!c.on_reply(Registration::Exists, "/y", Some(crate::ErrorCode::NoAuth)));
        assert!(c.on_reply(Registration::Exists, "/z", None));
        assert!(c.on_reply(Registration::Child, "/z", None));
        assert_eq!(
            c.paths(),
            (
                vec!["/z".to_string()],
                vec!["/x".to_string()],
                vec!["/z".to_string()]
            )
        );
        assert!(c.materialize(&ev(EventType::NodeCreated, "/x")));
        assert!(!c.materialize(&ev(EventType::NodeCreated, "/x")));
        // One delete consumes data and child entries, one callback.
        assert!(c.materialize(&ev(EventType::NodeDeleted, "/z")));
        assert!(c.is_empty());
        c.on_reply(Registration::PersistentRecursive, "/r", None);
        assert!(c.materialize(&ev(EventType::NodeChildrenChanged, "/r/a")));
        assert!(!c.is_empty());
    }
}
