//! Tree-level reproductions of the real-ZooKeeper conformance traces
//! (shared/conformance/cases/{znode,acl,watch}-*): transactions are prepared and applied
//! directly with increasing zxids, starting at 0x100000001 like a fresh epoch-1 ensemble.

use super::*;
use crate::acl::{self, Acl, Id};
use crate::txn::{CreateMode, Txn, TxnBody, WriteOp};
use crate::watch::{ConnId, EventType, WatchEvent, WatchManager};

/// A session and its connection's identities.
#[derive(Clone)]
struct Client {
    session: SessionId,
    ids: Vec<Id>,
    conn: ConnId,
}

impl Client {
    fn addauth(&mut self, user_password: &str) {
        acl::add_auth(&mut self.ids, Id::digest(user_password));
    }
}

/// One server: tree, watch tables, and the zxid counter of epoch 1.
struct H {
    tree: DataTree,
    watches: WatchManager,
    counter: u32,
    clients: Vec<Client>,
    /// Notifications delivered so far.
    events: Vec<(ConnId, WatchEvent)>,
}

fn st(s: &Stat) -> String {
    format!(
        "{} {} {} {} {} {} {} {}",
        s.czxid, s.mzxid, s.pzxid, s.version, s.cversion, s.aversion, s.data_length, s.num_children
    )
}

fn open() -> Vec<Acl> {
    acl::open_acl_unsafe()
}

fn create_op(path: &str, data: Option<&str>, acl: Vec<Acl>, mode: CreateMode) -> WriteOp {
    WriteOp::Create {
        path: path.into(),
        data: data.map(|d| d.as_bytes().to_vec()),
        acl,
        mode,
    }
}

impl H {
    fn new() -> H {
        H {
            tree: DataTree::new(),
            watches: WatchManager::new(),
            counter: 0,
            clients: Vec::new(),
            events: Vec::new(),
        }
    }

    fn next(&mut self) -> Zxid {
        self.counter += 1;
        Zxid::new(1, self.counter)
    }

    fn connect(&mut self) -> Client {
        let zxid = self.next();
        let session = SessionId(0x0100_0000_0000_0000 + zxid.counter() as u64);
        let c = Client {
            session,
            ids: vec![Id::ip(acl::CLIENT_ADDRESS)],
            conn: ConnId(zxid.counter()),
        };
        self.commit(Txn {
            zxid,
            session,
            body: TxnBody::CreateSession { timeout_ms: 4000 },
        });
        self.clients.push(c.clone());
        c
    }

    fn commit(&mut self, txn: Txn) -> Applied {
        let applied = self.tree.apply(&txn);
        assert_eq!(self.tree.last_processed(), txn.zxid);
        let clients = self.clients.clone();
        let ev = self.watches.trigger(&applied.triggers, |conn, a| {
            clients
                .iter()
                .find(|c| c.conn == conn)
                .is_some_and(|c| acl::can_read(a, &c.ids))
        });
        self.events.extend(ev);
        applied
    }

    fn write(&mut self, c: &Client, op: WriteOp) -> Applied {
        let zxid = self.next();
        let before = self.tree.clone();
        let body = self.tree.prep(&op, c.session, &c.ids, zxid);
        assert_eq!(before, self.tree, "prep mutated the tree");
        if body.error().is_some() {
            // An error txn consumes the zxid and changes nothing else.
            let digest = self.tree.digest();
            let a = self.commit(Txn {
                zxid,
                session: c.session,
                body,
            });
            assert_eq!(self.tree.digest(), digest);
            assert!(a.triggers.is_empty());
            return a;
        }
        self.commit(Txn {
            zxid,
            session: c.session,
            body,
        })
    }

    fn create(
        &mut self,
        c: &Client,
        path: &str,
        data: Option<&str>,
        acl_text: Option<&str>,
        mode: CreateMode,
    ) -> Result<String, ErrorCode> {
        let acl = acl_text.map_or_else(open, acl::parse_acl_arg);
        match self.write(c, create_op(path, data, acl, mode)).result {
            OpResult::Created(p) => Ok(p),
            OpResult::Err(e) => Err(e),
            r => panic!("unexpected {r:?}"),
        }
    }

    fn mk(&mut self, c: &Client, path: &str) -> Result<String, ErrorCode> {
        self.create(c, path, None, None, CreateMode::Persistent)
    }

    fn set(
        &mut self,
        c: &Client,
        path: &str,
        data: &str,
        version: i32,
    ) -> Result<String, ErrorCode> {
        match self
            .write(
                c,
                WriteOp::SetData {
                    path: path.into(),
                    data: data.as_bytes().to_vec(),
                    version,
                },
            )
            .result
        {
            OpResult::Stat(s) => Ok(st(&s)),
            OpResult::Err(e) => Err(e),
            r => panic!("unexpected {r:?}"),
        }
    }

    fn del(&mut self, c: &Client, path: &str, version: i32) -> Result<(), ErrorCode> {
        match self
            .write(
                c,
                WriteOp::Delete {
                    path: path.into(),
                    version,
                },
            )
            .result
        {
            OpResult::Done => Ok(()),
            OpResult::Err(e) => Err(e),
            r => panic!("unexpected {r:?}"),
        }
    }

    fn set_acl(
        &mut self,
        c: &Client,
        path: &str,
        acl_text: &str,
        version: i32,
    ) -> Result<String, ErrorCode> {
        let acl = acl::parse_acl_arg(acl_text);
        match self
            .write(
                c,
                WriteOp::SetAcl {
                    path: path.into(),
                    acl,
                    version,
                },
            )
            .result
        {
            OpResult::Stat(s) => Ok(st(&s)),
            OpResult::Err(e) => Err(e),
            r => panic!("unexpected {r:?}"),
        }
    }

    fn close(&mut self, c: &Client) -> Applied {
        let zxid = self.next();
        let body = self.tree.prep_close_session(c.session);
        let a = self.commit(Txn {
            zxid,
            session: c.session,
            body,
        });
        self.watches.remove_connection(c.conn);
        a
    }

    fn stat(&self, path: &str) -> String {
        self.tree
            .exists(path)
            .map_or_else(|| "NONODE".to_string(), |s| st(&s))
    }

    fn get(&self, c: &Client, path: &str) -> Result<(Option<String>, String), ErrorCode> {
        self.tree
            .get_data(path, &c.ids)
            .map(|(d, s)| (d.map(|d| String::from_utf8(d).unwrap()), st(&s)))
    }

    fn ls(&self, c: &Client, path: &str) -> Result<Vec<String>, ErrorCode> {
        self.tree.get_children(path, &c.ids).map(|(ch, _)| ch)
    }

    fn get_acl(&self, c: &Client, path: &str) -> Result<Vec<String>, ErrorCode> {
        self.tree
            .get_acl(path, &c.ids)
            .map(|(a, _)| a.iter().map(|x| x.to_string()).collect())
    }

    fn take_events(&mut self) -> Vec<(ConnId, String)> {
        self.events
            .drain(..)
            .map(|(c, e)| (c, format!("{} {}", e.kind, e.path)))
            .collect()
    }
}

const P: CreateMode = CreateMode::Persistent;

#[test]
fn initial_tree() {
    let t = DataTree::new();
    let ls = |p: &str| t.get_children(p, &[]).unwrap().0;
    assert_eq!(ls("/"), ["zookeeper"]);
    assert_eq!(ls("/zookeeper"), ["config", "quota"]);
    assert_eq!(st(&t.exists("/").unwrap()), "0x0 0x0 0x0 0 -1 0 0 1");
    assert_eq!(
        st(&t.exists("/zookeeper").unwrap()),
        "0x0 0x0 0x0 0 -2 0 0 2"
    );
    assert_eq!(
        st(&t.exists("/zookeeper/quota").unwrap()),
        "0x0 0x0 0x0 0 0 0 0 0"
    );
    assert_eq!(
        st(&t.exists("/zookeeper/config").unwrap()),
        "0x0 0x0 0x0 0 0 -1 0 0"
    );
    assert_eq!(
        t.get_acl("/zookeeper/config", &[]).unwrap().0,
        acl::read_acl_unsafe()
    );
    assert_eq!(t.get_data("/", &[]).unwrap().0, Some(vec![]));
    assert_eq!(t.znode_count(), 5);
    let mut q = t.clone();
    let text = b"server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\nversion=0";
    q.init_config(text, Zxid(0));
    assert_eq!(
        st(&q.exists("/zookeeper/config").unwrap()),
        format!("0x0 0x0 0x0 -1 0 -1 {} 0", text.len())
    );
    // The fingerprint leaves the /zookeeper/ subtree out.
    assert_eq!(q.digest(), t.digest());
}

#[test]
fn znode_crud_01() {
    let mut h = H::new();
    let c1 = h.connect();
    assert_eq!(h.stat("/"), "0x0 0x0 0x0 0 -1 0 0 1");
    assert_eq!(
        h.create(&c1, "/app", Some("hello"), None, P),
        Ok("/app".into())
    );
    assert_eq!(
        h.get(&c1, "/app"),
        Ok((
            Some("hello".into()),
            "0x100000002 0x100000002 0x100000002 0 0 0 5 0".into()
        ))
    );
    assert_eq!(
        h.create(&c1, "/app", Some("again"), None, P),
        Err(ErrorCode::NodeExists)
    );
    h.mk(&c1, "/nodata").unwrap();
    assert_eq!(
        h.get(&c1, "/nodata"),
        Ok((None, "0x100000004 0x100000004 0x100000004 0 0 0 0 0".into()))
    );
    h.create(&c1, "/empty", Some(""), None, P).unwrap();
    assert_eq!(
        h.get(&c1, "/empty"),
        Ok((
            Some(String::new()),
            "0x100000005 0x100000005 0x100000005 0 0 0 0 0".into()
        ))
    );
    assert_eq!(
        h.set(&c1, "/app", "world", -1),
        Ok("0x100000002 0x100000006 0x100000002 1 0 0 5 0".into())
    );
    h.create(&c1, "/app/child1", Some("c1data"), None, P)
        .unwrap();
    h.mk(&c1, "/app/child2").unwrap();
    assert_eq!(
        h.ls(&c1, "/app"),
        Ok(vec!["child1".into(), "child2".into()])
    );
    assert_eq!(
        h.stat("/app"),
        "0x100000002 0x100000006 0x100000008 1 2 0 5 2"
    );
    assert_eq!(
        h.stat("/app/child1"),
        "0x100000007 0x100000007 0x100000007 0 0 0 6 0"
    );
    assert_eq!(h.del(&c1, "/app", -1), Err(ErrorCode::NotEmpty));
    assert_eq!(h.del(&c1, "/app/child1", -1), Ok(()));
    assert_eq!(h.del(&c1, "/app/child1", -1), Err(ErrorCode::NoNode));
    assert_eq!(h.get(&c1, "/app/child1"), Err(ErrorCode::NoNode));
    assert_eq!(h.set(&c1, "/app/child1", "x", -1), Err(ErrorCode::NoNode));
    assert_eq!(h.ls(&c1, "/app/child1"), Err(ErrorCode::NoNode));
    assert_eq!(h.stat("/app/child1"), "NONODE");
    assert_eq!(h.mk(&c1, "/nope/child"), Err(ErrorCode::NoNode));
    h.del(&c1, "/app/child2", -1).unwrap();
    h.del(&c1, "/app", -1).unwrap();
    assert_eq!(
        h.ls(&c1, "/"),
        Ok(vec!["empty".into(), "nodata".into(), "zookeeper".into()])
    );
    assert_eq!(h.stat("/"), "0x0 0x0 0x10000000f 0 3 0 0 3");
}

#[test]
fn znode_stat_01() {
    let mut h = H::new();
    let c1 = h.connect();
    h.create(&c1, "/p", Some("parent"), None, P).unwrap();
    assert_eq!(
        h.stat("/p"),
        "0x100000002 0x100000002 0x100000002 0 0 0 6 0"
    );
    h.create(&c1, "/p/a", Some("12345"), None, P).unwrap();
    assert_eq!(
        h.stat("/p"),
        "0x100000002 0x100000002 0x100000003 0 1 0 6 1"
    );
    assert_eq!(
        h.stat("/p/a"),
        "0x100000003 0x100000003 0x100000003 0 0 0 5 0"
    );
    assert_eq!(
        h.set(&c1, "/p/a", "1234567890", -1),
        Ok("0x100000003 0x100000004 0x100000003 1 0 0 10 0".into())
    );
    assert_eq!(
        h.stat("/p"),
        "0x100000002 0x100000002 0x100000003 0 1 0 6 1"
    );
    assert_eq!(
        h.set(&c1, "/p", "é", -1),
        Ok("0x100000002 0x100000005 0x100000003 1 1 0 2 1".into())
    );
    assert_eq!(
        h.set_acl(&c1, "/p", "world:anyone:cdrwa", -1),
        Ok("0x100000002 0x100000005 0x100000003 1 1 1 2 1".into())
    );
    h.mk(&c1, "/p/b").unwrap();
    h.del(&c1, "/p/b", -1).unwrap();
    assert_eq!(
        h.stat("/p"),
        "0x100000002 0x100000005 0x100000008 1 3 1 2 1"
    );
    h.mk(&c1, "/p/a/x").unwrap();
    assert_eq!(
        h.stat("/p/a"),
        "0x100000003 0x100000004 0x100000009 1 1 0 10 1"
    );
    assert_eq!(
        h.stat("/p"),
        "0x100000002 0x100000005 0x100000008 1 3 1 2 1"
    );
    assert_eq!(
        h.set(&c1, "/p/a", "", -1),
        Ok("0x100000003 0x10000000a 0x100000009 2 1 0 0 1".into())
    );
}

#[test]
fn znode_data_01_lengths_are_utf8_bytes() {
    let mut h = H::new();
    let c1 = h.connect();
    h.create(&c1, "/d3", Some("😀 emoji and 汉字"), None, P)
        .unwrap();
    assert_eq!(
        h.stat("/d3"),
        "0x100000002 0x100000002 0x100000002 0 0 0 21 0"
    );
    h.create(&c1, "/d6", Some("x"), Some("world:anyone:cdrwa"), P)
        .unwrap();
    assert_eq!(
        h.get(&c1, "/d6").unwrap().1,
        "0x100000003 0x100000003 0x100000003 0 0 0 1 0"
    );
}

#[test]
fn znode_seq_01() {
    let mut h = H::new();
    let c1 = h.connect();
    let seq = CreateMode::PersistentSequential;
    h.mk(&c1, "/q").unwrap();
    assert_eq!(
        h.create(&c1, "/q/item-", None, None, seq),
        Ok("/q/item-0000000000".into())
    );
    assert_eq!(
        h.create(&c1, "/q/item-", None, None, seq),
        Ok("/q/item-0000000001".into())
    );
    h.mk(&c1, "/q/plain").unwrap();
    assert_eq!(
        h.create(&c1, "/q/item-", None, None, seq),
        Ok("/q/item-0000000003".into())
    );
    assert_eq!(
        h.create(&c1, "/q/other-", None, None, seq),
        Ok("/q/other-0000000004".into())
    );
    assert_eq!(
        h.create(&c1, "/q/", Some("data"), None, seq),
        Ok("/q/0000000005".into())
    );
    assert_eq!(
        h.ls(&c1, "/q").unwrap(),
        [
            "0000000005",
            "item-0000000000",
            "item-0000000001",
            "item-0000000003",
            "other-0000000004",
            "plain"
        ]
    );
    assert_eq!(
        h.stat("/q"),
        "0x100000002 0x100000002 0x100000008 0 6 0 0 6"
    );
    h.mk(&c1, "/q2").unwrap();
    assert_eq!(
        h.create(&c1, "/q2/x", None, None, seq),
        Ok("/q2/x0000000000".into())
    );
    assert_eq!(
        h.create(&c1, "/under-root-", None, None, seq),
        Ok("/under-root-0000000002".into())
    );
}

#[test]
fn znode_seq_02_counter_survives_deletes() {
    let mut h = H::new();
    let c1 = h.connect();
    let seq = CreateMode::PersistentSequential;
    h.mk(&c1, "/s").unwrap();
    for i in 0..3 {
        assert_eq!(
            h.create(&c1, "/s/n_", None, None, seq),
            Ok(format!("/s/n_000000000{i}"))
        );
    }
    assert_eq!(
        h.stat("/s"),
        "0x100000002 0x100000002 0x100000005 0 3 0 0 3"
    );
    h.del(&c1, "/s/n_0000000001", -1).unwrap();
    assert_eq!(
        h.stat("/s"),
        "0x100000002 0x100000002 0x100000006 0 4 0 0 2"
    );
    assert_eq!(
        h.create(&c1, "/s/n_", None, None, seq),
        Ok("/s/n_0000000003".into())
    );
    h.del(&c1, "/s/n_0000000003", -1).unwrap();
    h.del(&c1, "/s/n_0000000002", -1).unwrap();
    assert_eq!(
        h.stat("/s"),
        "0x100000002 0x100000002 0x100000009 0 7 0 0 1"
    );
    assert_eq!(
        h.create(&c1, "/s/n_", None, None, seq),
        Ok("/s/n_0000000004".into())
    );
    assert_eq!(
        h.stat("/s"),
        "0x100000002 0x100000002 0x10000000a 0 8 0 0 2"
    );
    h.mk(&c1, "/s/n_0000000006").unwrap();
    assert_eq!(
        h.create(&c1, "/s/n_", None, None, seq),
        Err(ErrorCode::NodeExists)
    );
    assert_eq!(
        h.create(&c1, "/s/n_", None, None, seq),
        Err(ErrorCode::NodeExists)
    );
    h.mk(&c1, "/s/other").unwrap();
    assert_eq!(
        h.create(&c1, "/s/n_", None, None, seq),
        Ok("/s/n_0000000007".into())
    );
    assert_eq!(
        h.ls(&c1, "/s").unwrap(),
        [
            "n_0000000000",
            "n_0000000004",
            "n_0000000006",
            "n_0000000007",
            "other"
        ]
    );
    assert_eq!(
        h.stat("/s"),
        "0x100000002 0x100000002 0x10000000f 0 11 0 0 5"
    );
}

#[test]
fn sequential_counter_at_i32_max() {
    // DataTree.createNode stores the parent's new counter only if it is larger, so the counter
    // never wraps in the committed tree: after suffix 2147483647 the next sequential create
    // computes the same name again and fails with NODEEXISTS.
    let mut h = H::new();
    let c1 = h.connect();
    h.mk(&c1, "/w").unwrap();
    h.tree.with_node("/w", |n| n.child_creates = i32::MAX);
    let seq = CreateMode::PersistentSequential;
    assert_eq!(
        h.create(&c1, "/w/n", None, None, seq),
        Ok("/w/n2147483647".into())
    );
    assert_eq!(h.tree.get("/w").unwrap().child_creates, i32::MAX);
    assert_eq!(
        h.create(&c1, "/w/n", None, None, seq),
        Err(ErrorCode::NodeExists)
    );
    // Within one multi the pending counter does wrap (the spec's "-2147483648").
    h.del(&c1, "/w/n2147483647", -1).unwrap();
    let multi = WriteOp::Multi(vec![
        create_op("/w/n", None, open(), seq),
        create_op("/w/n", None, open(), seq),
    ]);
    let a = h.write(&c1, multi);
    assert_eq!(
        a.result,
        OpResult::Multi(vec![
            OpResult::Created("/w/n2147483647".into()),
            OpResult::Created("/w/n-2147483648".into())
        ])
    );
}

#[test]
fn znode_ephemeral_01_close_session() {
    let mut h = H::new();
    let c1 = h.connect();
    let c2 = h.connect();
    let c3 = h.connect();
    h.mk(&c1, "/svc").unwrap();
    h.create(&c1, "/svc/a", Some("alpha"), None, CreateMode::Ephemeral)
        .unwrap();
    h.create(&c1, "/svc/b", Some("beta"), None, CreateMode::Ephemeral)
        .unwrap();
    h.create(&c2, "/svc/c", Some("gamma"), None, CreateMode::Ephemeral)
        .unwrap();
    let a = h.tree.exists("/svc/a").unwrap();
    assert_eq!(st(&a), "0x100000005 0x100000005 0x100000005 0 0 0 5 0");
    assert_eq!(a.ephemeral_owner, c1.session);
    assert_eq!(h.tree.exists("/svc/c").unwrap().ephemeral_owner, c2.session);
    assert_eq!(
        h.mk(&c1, "/svc/a/child"),
        Err(ErrorCode::NoChildrenForEphemerals)
    );
    assert_eq!(
        h.create(&c1, "/svc/a/child", None, None, CreateMode::Ephemeral),
        Err(ErrorCode::NoChildrenForEphemerals)
    );
    assert_eq!(
        h.create(
            &c1,
            "/svc/a/seq",
            None,
            None,
            CreateMode::PersistentSequential
        ),
        Err(ErrorCode::NoChildrenForEphemerals)
    );
    // c2: ls -w /svc; c3: get -w /svc/a.
    h.ls(&c2, "/svc").unwrap();
    h.watches.add_child_watch("/svc", c2.conn);
    h.get(&c3, "/svc/a").unwrap();
    h.watches.add_data_watch("/svc/a", c3.conn);
    assert_eq!(
        h.tree.prep_close_session(c1.session),
        TxnBody::CloseSession {
            paths: vec!["/svc/a".into(), "/svc/b".into()]
        }
    );
    let closed = h.close(&c1);
    assert_eq!(closed.result, OpResult::Done);
    let kinds: Vec<String> = closed
        .triggers
        .iter()
        .map(|t| format!("{} {}", t.kind, t.path))
        .collect();
    assert_eq!(
        kinds,
        [
            "NodeDeleted /svc/a",
            "NodeChildrenChanged /svc",
            "NodeDeleted /svc/b",
            "NodeChildrenChanged /svc"
        ]
    );
    assert_eq!(
        h.take_events(),
        vec![
            (c3.conn, "NodeDeleted /svc/a".to_string()),
            (c2.conn, "NodeChildrenChanged /svc".to_string())
        ]
    );
    assert_eq!(h.ls(&c2, "/svc").unwrap(), ["c"]);
    assert_eq!(
        h.stat("/svc"),
        "0x100000004 0x100000004 0x10000000b 0 5 0 0 1"
    );
    assert!(h.tree.ephemerals_of(c1.session).is_empty());
    h.del(&c2, "/svc/c", -1).unwrap();
    assert!(h.ls(&c3, "/svc").unwrap().is_empty());
    assert!(h.tree.ephemeral_owners().is_empty());
}

#[test]
fn close_session_deletes_unlisted_ephemerals_too() {
    let mut h = H::new();
    let c1 = h.connect();
    h.create(&c1, "/e1", None, None, CreateMode::Ephemeral)
        .unwrap();
    h.create(&c1, "/e2", None, None, CreateMode::EphemeralSequential)
        .unwrap();
    let zxid = h.next();
    let a = h.commit(Txn {
        zxid,
        session: c1.session,
        body: TxnBody::CloseSession {
            paths: vec!["/e20000000001".into(), "/gone".into()],
        },
    });
    assert_eq!(a.result, OpResult::Done);
    assert_eq!(h.stat("/e1"), "NONODE");
    assert_eq!(h.stat("/e20000000001"), "NONODE");
    assert_eq!(h.stat("/"), "0x0 0x0 0x100000004 0 3 0 0 1");
}

#[test]
fn znode_errors_01() {
    let mut h = H::new();
    let c1 = h.connect();
    let _c2 = h.connect();
    h.create(&c1, "/e", Some("x"), None, P).unwrap();
    assert_eq!(
        h.create(&c1, "/e", Some("y"), None, P),
        Err(ErrorCode::NodeExists)
    );
    assert_eq!(h.get(&c1, "/missing"), Err(ErrorCode::NoNode));
    h.mk(&c1, "/e/k").unwrap();
    assert_eq!(h.del(&c1, "/e", -1), Err(ErrorCode::NotEmpty));
    assert_eq!(h.set(&c1, "/e", "z", 3), Err(ErrorCode::BadVersion));
    assert_eq!(h.del(&c1, "/e/k", 3), Err(ErrorCode::BadVersion));
    h.create(&c1, "/eph", None, None, CreateMode::Ephemeral)
        .unwrap();
    assert_eq!(
        h.mk(&c1, "/eph/child"),
        Err(ErrorCode::NoChildrenForEphemerals)
    );
    h.create(&c1, "/ro", Some("data"), Some("world:anyone:r"), P)
        .unwrap();
    assert_eq!(h.set(&c1, "/ro", "other", -1), Err(ErrorCode::NoAuth));
    assert_eq!(
        h.create(&c1, "/bad", Some(""), Some("nosuchscheme:x:cdrwa"), P),
        Err(ErrorCode::InvalidAcl)
    );
    assert_eq!(
        acl::validate_path("relative", false),
        Err(ErrorCode::BadArguments)
    );
    assert_eq!(h.del(&c1, "/zookeeper", -1), Err(ErrorCode::BadArguments));
    assert_eq!(h.tree.last_processed(), Zxid::new(1, 14));
}

#[test]
fn znode_container_01() {
    let mut h = H::new();
    let c1 = h.connect();
    assert_eq!(
        h.create(&c1, "/box", None, None, CreateMode::Container),
        Ok("/box".into())
    );
    let s = h.tree.exists("/box").unwrap();
    assert_eq!(st(&s), "0x100000002 0x100000002 0x100000002 0 0 0 0 0");
    assert_eq!(s.ephemeral_owner, SessionId(0));
    h.mk(&c1, "/box/item").unwrap();
    h.create(&c1, "/box/inner", None, None, CreateMode::Container)
        .unwrap();
    h.create(&c1, "/box/eph", None, None, CreateMode::Ephemeral)
        .unwrap();
    assert_eq!(h.ls(&c1, "/box").unwrap(), ["eph", "inner", "item"]);
    assert_eq!(
        h.stat("/box"),
        "0x100000002 0x100000002 0x100000005 0 3 0 0 3"
    );
    // Never-used containers are not candidates; nor are containers with children.
    assert!(h.tree.container_candidates().is_empty());
    for p in ["/box/item", "/box/inner", "/box/eph"] {
        h.del(&c1, p, -1).unwrap();
    }
    assert_eq!(
        h.stat("/box"),
        "0x100000002 0x100000002 0x100000008 0 6 0 0 0"
    );
    assert_eq!(h.ls(&c1, "/").unwrap(), ["box", "zookeeper"]);
    assert_eq!(h.tree.container_candidates(), ["/box"]);
    // The container manager's deleteContainer: a plain delete txn.
    let zxid = h.next();
    let body = h.tree.prep(
        &WriteOp::DeleteContainer {
            path: "/box".into(),
        },
        SessionId(0),
        &[],
        zxid,
    );
    assert_eq!(
        body,
        TxnBody::Delete {
            path: "/box".into()
        }
    );
    h.commit(Txn {
        zxid,
        session: SessionId(0),
        body,
    });
    assert!(h.tree.container_candidates().is_empty());
    // deleteContainer refuses children (NOTEMPTY) and session-owned nodes (BADVERSION).
    h.create(&c1, "/c2", None, None, CreateMode::Container)
        .unwrap();
    h.mk(&c1, "/c2/x").unwrap();
    h.create(&c1, "/eph", None, None, CreateMode::Ephemeral)
        .unwrap();
    let prep = |t: &DataTree, p: &str| {
        t.prep(
            &WriteOp::DeleteContainer { path: p.into() },
            SessionId(0),
            &[],
            Zxid(0),
        )
    };
    assert_eq!(prep(&h.tree, "/c2"), TxnBody::Error(ErrorCode::NotEmpty));
    assert_eq!(prep(&h.tree, "/eph"), TxnBody::Error(ErrorCode::BadVersion));
    assert_eq!(prep(&h.tree, "/nothere"), TxnBody::Error(ErrorCode::NoNode));
}

#[test]
fn znode_deleteall_01() {
    let mut h = H::new();
    let c1 = h.connect();
    let c2 = h.connect();
    for p in ["/tree", "/tree/a", "/tree/a/x", "/keep"] {
        h.mk(&c1, p).unwrap();
    }
    // c2: ls -w /, get -w /tree/a/x, stat -w /tree.
    assert_eq!(h.ls(&c2, "/").unwrap(), ["keep", "tree", "zookeeper"]);
    h.watches.add_child_watch("/", c2.conn);
    assert_eq!(
        h.get(&c2, "/tree/a/x").unwrap().1,
        "0x100000005 0x100000005 0x100000005 0 0 0 0 0"
    );
    h.watches.add_data_watch("/tree/a/x", c2.conn);
    assert_eq!(
        h.stat("/tree"),
        "0x100000003 0x100000003 0x100000004 0 1 0 0 1"
    );
    h.watches.add_data_watch("/tree", c2.conn);
    assert_eq!(
        h.tree.deleteall_order("/tree", &c1.ids).unwrap(),
        ["/tree/a/x", "/tree/a", "/tree"]
    );
    let ops = h.tree.deleteall_ops("/tree", &c1.ids, 1000).unwrap();
    assert_eq!(ops.len(), 1);
    let a = h.write(&c1, ops[0].clone());
    assert_eq!(a.result, OpResult::Multi(vec![OpResult::Done; 3]));
    assert_eq!(
        h.take_events(),
        vec![
            (c2.conn, "NodeDeleted /tree/a/x".to_string()),
            (c2.conn, "NodeDeleted /tree".to_string()),
            (c2.conn, "NodeChildrenChanged /".to_string())
        ]
    );
    assert_eq!(h.ls(&c1, "/").unwrap(), ["keep", "zookeeper"]);
    assert_eq!(h.stat("/"), "0x0 0x0 0x100000007 0 2 0 0 2");
    h.mk(&c1, "/after").unwrap();
    assert_eq!(
        h.stat("/after"),
        "0x100000008 0x100000008 0x100000008 0 0 0 0 0"
    );
    assert_eq!(
        h.tree.deleteall_order("/tree", &c1.ids),
        Err(ErrorCode::NoNode)
    );
    let ops = h.tree.deleteall_ops("/keep", &c1.ids, 1000).unwrap();
    h.write(&c1, ops[0].clone());
    assert_eq!(h.ls(&c1, "/").unwrap(), ["after", "zookeeper"]);
    // Batches: a subtree of 5 with batch 2 is three multis, leaves first.
    for p in ["/b", "/b/1", "/b/2", "/b/1/x", "/b/1/y"] {
        h.mk(&c1, p).unwrap();
    }
    let ops = h.tree.deleteall_ops("/b", &c1.ids, 2).unwrap();
    let paths: Vec<Vec<&str>> = ops
        .iter()
        .map(|m| match m {
            WriteOp::Multi(v) => v.iter().map(|o| o.path().unwrap()).collect(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        paths,
        vec![vec!["/b/1/y", "/b/1/x"], vec!["/b/2", "/b/1"], vec!["/b"]]
    );
}

#[test]
fn znode_ls_01_order_and_ls_r() {
    let mut h = H::new();
    let c1 = h.connect();
    for p in [
        "/d",
        "/d/b",
        "/d/a",
        "/d/B",
        "/d/10",
        "/d/9",
        "/d/a-b",
        "/d/a_b",
        "/d/a/z",
        "/d/a/y",
        "/d/a/y/deep",
        "/d/b/c",
    ] {
        h.mk(&c1, p).unwrap();
    }
    assert_eq!(
        h.ls(&c1, "/d").unwrap(),
        ["10", "9", "B", "a", "a-b", "a_b", "b"]
    );
    assert_eq!(
        h.stat("/d"),
        "0x100000002 0x100000002 0x100000009 0 7 0 0 7"
    );
    let r = h.tree.ls_recursive("/d", &c1.ids).unwrap();
    assert_eq!(
        r.paths,
        [
            "/d",
            "/d/10",
            "/d/9",
            "/d/B",
            "/d/a",
            "/d/a-b",
            "/d/a_b",
            "/d/b",
            "/d/a/y",
            "/d/a/z",
            "/d/a/y/deep",
            "/d/b/c"
        ]
    );
    assert_eq!(r.listed.len(), 12);
    assert_eq!(
        h.tree.ls_recursive("/d/a/y/deep", &c1.ids).unwrap().paths,
        ["/d/a/y/deep"]
    );
    assert_eq!(
        h.tree.ls_recursive("/d/none", &c1.ids),
        Err(ErrorCode::NoNode)
    );
    // The zkcli.md example: / with /a/x and /b.
    let mut h = H::new();
    let c1 = h.connect();
    for p in ["/a", "/a/x", "/b"] {
        h.mk(&c1, p).unwrap();
    }
    assert_eq!(
        h.tree.ls_recursive("/", &c1.ids).unwrap().paths,
        [
            "/",
            "/a",
            "/b",
            "/zookeeper",
            "/a/x",
            "/zookeeper/config",
            "/zookeeper/quota"
        ]
    );
    // A node the caller may not list is printed but not descended into.
    h.mk(&c1, "/a/x/secret").unwrap();
    h.set_acl(&c1, "/a/x", "world:anyone:c", -1).unwrap();
    let r = h.tree.ls_recursive("/a", &c1.ids).unwrap();
    assert_eq!(r.paths, ["/a", "/a/x"]);
    assert_eq!(r.listed, ["/a"]);
    assert_eq!(h.tree.get_all_children_number("/", &c1.ids), Ok(7));
    assert_eq!(h.tree.get_all_children_number("/a", &c1.ids), Ok(2));
    assert_eq!(
        h.tree.get_all_children_number("/a/x", &c1.ids),
        Err(ErrorCode::NoAuth)
    );
}

#[test]
fn znode_paths_01() {
    let mut h = H::new();
    let c1 = h.connect();
    for p in [
        "noslash",
        "/trailing/",
        "/a//b",
        "/a/./b",
        "/a/../b",
        "/.",
        "/..",
        "",
    ] {
        assert_eq!(
            acl::validate_path(p, false),
            Err(ErrorCode::BadArguments),
            "{p}"
        );
    }
    for p in ["/...", "/.hidden", "/dot.", "/with space", "/数据"] {
        assert_eq!(acl::validate_path(p, false), Ok(()));
        h.mk(&c1, p).unwrap();
    }
    assert_eq!(
        h.stat("/数据"),
        "0x100000006 0x100000006 0x100000006 0 0 0 0 0"
    );
    let seq = CreateMode::PersistentSequential;
    assert_eq!(acl::validate_path("/seqdir/", true), Ok(()));
    assert_eq!(
        h.create(&c1, "/seqdir/", None, None, seq),
        Err(ErrorCode::NoNode)
    );
    h.mk(&c1, "/seqdir").unwrap();
    assert_eq!(
        h.create(&c1, "/seqdir/", None, None, seq),
        Ok("/seqdir/0000000000".into())
    );
    // The client rejects a plain "/seqdir/"; the server would too (after its parent checks).
    assert_eq!(
        acl::validate_path("/seqdir/", false),
        Err(ErrorCode::BadArguments)
    );
    assert_eq!(h.mk(&c1, "/seqdir/"), Err(ErrorCode::BadArguments));
    assert_eq!(
        h.ls(&c1, "/").unwrap(),
        [
            "...",
            ".hidden",
            "dot.",
            "seqdir",
            "with space",
            "zookeeper",
            "数据"
        ]
    );
    assert_eq!(h.stat("/"), "0x0 0x0 0x100000008 0 5 0 0 7");
}

#[test]
fn znode_version_01() {
    let mut h = H::new();
    let c1 = h.connect();
    let c2 = h.connect();
    h.create(&c1, "/cfg", Some("v0"), None, P).unwrap();
    assert_eq!(
        h.set(&c1, "/cfg", "v1", 0),
        Ok("0x100000003 0x100000004 0x100000003 1 0 0 2 0".into())
    );
    assert_eq!(
        h.set(&c2, "/cfg", "lost-update", 0),
        Err(ErrorCode::BadVersion)
    );
    assert_eq!(
        h.set(&c2, "/cfg", "v2", 1),
        Ok("0x100000003 0x100000006 0x100000003 2 0 0 2 0".into())
    );
    assert_eq!(
        h.set(&c1, "/cfg", "v3", -1),
        Ok("0x100000003 0x100000007 0x100000003 3 0 0 2 0".into())
    );
    assert_eq!(
        h.set(&c1, "/cfg", "v4", -1),
        Ok("0x100000003 0x100000008 0x100000003 4 0 0 2 0".into())
    );
    assert_eq!(h.del(&c1, "/cfg", 3), Err(ErrorCode::BadVersion));
    assert_eq!(h.del(&c1, "/cfg", 4), Ok(()));
    h.create(&c1, "/cfg", Some("again"), None, P).unwrap();
    assert_eq!(
        h.set(&c1, "/cfg", "next", 0),
        Ok("0x10000000b 0x10000000c 0x10000000b 1 0 0 4 0".into())
    );
    h.del(&c1, "/cfg", -1).unwrap();
    assert_eq!(h.set(&c1, "/cfg", "x", 0), Err(ErrorCode::NoNode));
}

#[test]
fn znode_zxid_01() {
    let mut h = H::new();
    let c1 = h.connect();
    h.mk(&c1, "/z1").unwrap();
    assert_eq!(h.mk(&c1, "/z1"), Err(ErrorCode::NodeExists));
    h.mk(&c1, "/z2").unwrap();
    assert_eq!(
        h.stat("/z2"),
        "0x100000004 0x100000004 0x100000004 0 0 0 0 0"
    );
    assert_eq!(h.set(&c1, "/z2", "x", 5), Err(ErrorCode::BadVersion));
    assert_eq!(h.del(&c1, "/nothere", -1), Err(ErrorCode::NoNode));
    assert!(acl::parse_acl_arg("notanacl").is_empty()); // client-side INVALIDACL, no zxid
    h.mk(&c1, "/z3").unwrap();
    assert_eq!(
        h.stat("/z3"),
        "0x100000007 0x100000007 0x100000007 0 0 0 0 0"
    );
    let c2 = h.connect();
    h.close(&c2);
    h.mk(&c1, "/z4").unwrap();
    h.set(&c1, "/z4", "v1", -1).unwrap();
    assert_eq!(
        h.set(&c1, "/z4", "v2", -1),
        Ok("0x10000000a 0x10000000c 0x10000000a 2 0 0 2 0".into())
    );
    assert_eq!(h.stat("/"), "0x0 0x0 0x10000000a 0 3 0 0 5");
}

#[test]
fn acl_auth_01() {
    let mut h = H::new();
    let mut c1 = h.connect();
    let mut c2 = h.connect();
    assert_eq!(
        h.create(&c1, "/a", Some(""), Some("auth::cdrwa"), P),
        Err(ErrorCode::InvalidAcl)
    );
    c1.addauth("alice:secret");
    h.create(&c1, "/a", Some(""), Some("auth::cdrwa"), P)
        .unwrap();
    assert_eq!(
        h.get_acl(&c1, "/a").unwrap(),
        ["digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa"]
    );
    assert_eq!(
        h.stat("/a"),
        "0x100000004 0x100000004 0x100000004 0 0 0 0 0"
    );
    c1.addauth("bob:hunter2");
    h.create(&c1, "/b", Some(""), Some("auth::rw"), P).unwrap();
    assert_eq!(
        h.get_acl(&c1, "/b").unwrap(),
        ["digest:alice:x:rw", "digest:bob:x:rw"]
    );
    h.create(&c1, "/c", Some(""), Some("auth:ignored:cdrwa"), P)
        .unwrap();
    assert_eq!(
        h.get_acl(&c1, "/c").unwrap(),
        [
            "digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa",
            "digest:bob:1Yu1ryCXOIF7lyFzbmQ5J+MJOZc=:cdrwa"
        ]
    );
    assert_eq!(h.get(&c2, "/a"), Err(ErrorCode::NoAuth));
    c2.addauth("bob:hunter2");
    assert_eq!(
        h.get(&c2, "/b"),
        Ok((
            Some(String::new()),
            "0x100000005 0x100000005 0x100000005 0 0 0 0 0".into()
        ))
    );
    assert_eq!(
        h.set(&c2, "/b", "ok", -1),
        Ok("0x100000005 0x100000007 0x100000005 1 0 0 2 0".into())
    );
    assert_eq!(h.get(&c2, "/a"), Err(ErrorCode::NoAuth));
    assert_eq!(
        h.set_acl(&c2, "/b", "world:anyone:r", -1),
        Err(ErrorCode::NoAuth)
    );
}

#[test]
fn acl_digest_01() {
    let mut h = H::new();
    let mut alice = h.connect();
    let mut eve = h.connect();
    alice.addauth("alice:secret");
    h.create(
        &alice,
        "/vault",
        Some("gold"),
        Some("digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa"),
        P,
    )
    .unwrap();
    let vault = "0x100000003 0x100000003 0x100000003 0 0 0 4 0";
    assert_eq!(
        h.get(&alice, "/vault"),
        Ok((Some("gold".into()), vault.into()))
    );
    assert_eq!(
        h.get_acl(&alice, "/vault").unwrap(),
        ["digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa"]
    );
    assert_eq!(h.get(&eve, "/vault"), Err(ErrorCode::NoAuth));
    assert_eq!(h.set(&eve, "/vault", "lead", -1), Err(ErrorCode::NoAuth));
    assert_eq!(h.ls(&eve, "/vault"), Err(ErrorCode::NoAuth));
    assert_eq!(h.mk(&eve, "/vault/x"), Err(ErrorCode::NoAuth));
    // exists checks no permission in the recorded 3.8.0 traces.
    assert_eq!(h.stat("/vault"), vault);
    eve.addauth("alice:wrong");
    assert_eq!(h.get(&eve, "/vault"), Err(ErrorCode::NoAuth));
    eve.addauth("alice:secret");
    assert_eq!(
        h.get(&eve, "/vault"),
        Ok((Some("gold".into()), vault.into()))
    );
    assert_eq!(
        h.set(&eve, "/vault", "shared", -1),
        Ok("0x100000003 0x100000006 0x100000003 1 0 0 6 0".into())
    );
    assert_eq!(h.get(&alice, "/vault").unwrap().0, Some("shared".into()));
}

#[test]
fn acl_errors_01() {
    let mut h = H::new();
    let c1 = h.connect();
    h.mk(&c1, "/base").unwrap();
    for bad in [
        "nosuch:id:cdrwa",
        "world:somebody:cdrwa",
        "digest:alice:cdrwa",
        "auth::cdrwa",
    ] {
        assert_eq!(
            h.create(&c1, "/x", Some(""), Some(bad), P),
            Err(ErrorCode::InvalidAcl),
            "{bad}"
        );
    }
    for client_side in ["garbage", ","] {
        assert!(acl::parse_acl_arg(client_side).is_empty());
    }
    h.mk(&c1, "/probe").unwrap();
    assert_eq!(
        h.stat("/probe"),
        "0x100000007 0x100000007 0x100000007 0 0 0 0 0"
    );
    assert_eq!(
        h.set_acl(&c1, "/base", "nosuch:id:cdrwa", -1),
        Err(ErrorCode::InvalidAcl)
    );
    assert_eq!(
        h.set_acl(&c1, "/base", "world:anyone:cdrwa,nosuch:id:r", -1),
        Err(ErrorCode::InvalidAcl)
    );
    assert_eq!(h.get_acl(&c1, "/base").unwrap(), ["world:anyone:cdrwa"]);
    assert_eq!(
        h.stat("/base"),
        "0x100000002 0x100000002 0x100000002 0 0 0 0 0"
    );
    h.create(&c1, "/y", Some(""), Some("world:anyone:cdrwa,garbage"), P)
        .unwrap();
    assert_eq!(h.get_acl(&c1, "/y").unwrap(), ["world:anyone:cdrwa"]);
    assert_eq!(
        h.stat("/y"),
        "0x10000000a 0x10000000a 0x10000000a 0 0 0 0 0"
    );
}

#[test]
fn acl_world_01() {
    let mut h = H::new();
    let c1 = h.connect();
    h.create(&c1, "/r", Some("data"), Some("world:anyone:r"), P)
        .unwrap();
    assert_eq!(h.get(&c1, "/r").unwrap().0, Some("data".into()));
    assert_eq!(h.ls(&c1, "/r"), Ok(vec![]));
    assert_eq!(h.set(&c1, "/r", "x", -1), Err(ErrorCode::NoAuth));
    assert_eq!(h.mk(&c1, "/r/k"), Err(ErrorCode::NoAuth));
    assert_eq!(
        h.set_acl(&c1, "/r", "world:anyone:cdrwa", -1),
        Err(ErrorCode::NoAuth)
    );
    assert_eq!(h.get_acl(&c1, "/r").unwrap(), ["world:anyone:r"]);
    h.create(&c1, "/w", Some("data"), Some("world:anyone:w"), P)
        .unwrap();
    assert_eq!(h.get(&c1, "/w"), Err(ErrorCode::NoAuth));
    assert_eq!(
        h.set(&c1, "/w", "x", -1),
        Ok("0x100000006 0x100000007 0x100000006 1 0 0 1 0".into())
    );
    assert_eq!(h.get_acl(&c1, "/w"), Err(ErrorCode::NoAuth));
    h.create(&c1, "/cd", Some(""), Some("world:anyone:cd"), P)
        .unwrap();
    h.mk(&c1, "/cd/k").unwrap();
    assert_eq!(h.ls(&c1, "/cd"), Err(ErrorCode::NoAuth));
    h.del(&c1, "/cd/k", -1).unwrap();
    h.create(&c1, "/adm", Some(""), Some("world:anyone:a"), P)
        .unwrap();
    assert_eq!(h.get_acl(&c1, "/adm").unwrap(), ["world:anyone:a"]);
    assert_eq!(
        h.set_acl(&c1, "/adm", "world:anyone:rwcda", -1),
        Ok("0x10000000b 0x10000000b 0x10000000b 0 0 1 0 0".into())
    );
    assert_eq!(h.get_acl(&c1, "/adm").unwrap(), ["world:anyone:cdrwa"]);
    h.create(&c1, "/none", Some(""), Some("world:anyone:"), P)
        .unwrap();
    assert_eq!(
        h.stat("/none"),
        "0x10000000d 0x10000000d 0x10000000d 0 0 0 0 0"
    );
    assert_eq!(h.get_acl(&c1, "/none"), Err(ErrorCode::NoAuth));
    assert_eq!(h.del(&c1, "/none", -1), Ok(()));
    assert_eq!(h.stat("/none"), "NONODE");
}

#[test]
fn create_error_precedence() {
    let mut h = H::new();
    let mut c1 = h.connect();
    // BADARGUMENTS (no '/', NUL) before INVALIDACL.
    let bad_acl = acl::parse_acl_arg("nosuch:x:r");
    assert_eq!(
        h.write(&c1, create_op("noslash", None, bad_acl.clone(), P))
            .error(),
        Some(ErrorCode::BadArguments)
    );
    assert_eq!(
        h.write(&c1, create_op("/a\0", None, bad_acl.clone(), P))
            .error(),
        Some(ErrorCode::BadArguments)
    );
    // INVALIDACL before NONODE (parent).
    assert_eq!(
        h.write(&c1, create_op("/nope/x", None, bad_acl, P)).error(),
        Some(ErrorCode::InvalidAcl)
    );
    assert_eq!(
        h.write(&c1, create_op("/nope/x", None, vec![], P)).error(),
        Some(ErrorCode::InvalidAcl)
    );
    // NONODE (parent) before the final-path check.
    assert_eq!(h.mk(&c1, "/nope/"), Err(ErrorCode::NoNode));
    // NOAUTH (parent CREATE) before BADARGUMENTS (final path), NODEEXISTS and NOCHILDRENFOREPHEMERALS.
    h.mk(&c1, "/p").unwrap();
    h.mk(&c1, "/p/x").unwrap();
    h.set_acl(&c1, "/p", "world:anyone:rwda", -1).unwrap();
    assert_eq!(h.mk(&c1, "/p/x"), Err(ErrorCode::NoAuth));
    assert_eq!(h.mk(&c1, "/p/"), Err(ErrorCode::NoAuth));
    h.create(
        &c1,
        "/e",
        None,
        Some("world:anyone:r"),
        CreateMode::Ephemeral,
    )
    .unwrap();
    assert_eq!(h.mk(&c1, "/e/x"), Err(ErrorCode::NoAuth));
    // BADARGUMENTS (final path) before NODEEXISTS.
    h.mk(&c1, "/q").unwrap();
    assert_eq!(h.mk(&c1, "/q/."), Err(ErrorCode::BadArguments));
    // NODEEXISTS before NOCHILDRENFOREPHEMERALS: a multi that creates /f/x under a fresh
    // ephemeral /f sees NOCHILDRENFOREPHEMERALS; creating /f itself again is NODEEXISTS.
    h.create(&c1, "/f", None, None, CreateMode::Ephemeral)
        .unwrap();
    assert_eq!(
        h.create(&c1, "/f", None, None, CreateMode::Ephemeral),
        Err(ErrorCode::NodeExists)
    );
    assert_eq!(h.mk(&c1, "/f/x"), Err(ErrorCode::NoChildrenForEphemerals));
    // The super identity bypasses ACLs.
    c1.ids.push(Id::new("super", ""));
    assert_eq!(h.mk(&c1, "/p/y"), Ok("/p/y".into()));
}

#[test]
fn delete_error_precedence() {
    let mut h = H::new();
    let c1 = h.connect();
    // BADARGUMENTS for special paths and paths without '/'.
    for p in [
        "/",
        "/zookeeper",
        "/zookeeper/quota",
        "/zookeeper/config",
        "rel",
    ] {
        assert_eq!(h.del(&c1, p, -1), Err(ErrorCode::BadArguments), "{p}");
    }
    // NONODE for a missing parent.
    assert_eq!(h.del(&c1, "/no/such", -1), Err(ErrorCode::NoNode));
    // NOAUTH on the parent's DELETE even when the child does not exist.
    h.create(&c1, "/p", None, Some("world:anyone:crwa"), P)
        .unwrap();
    h.mk(&c1, "/p/x").unwrap();
    assert_eq!(h.del(&c1, "/p/missing", -1), Err(ErrorCode::NoAuth));
    assert_eq!(h.del(&c1, "/p/x", 99), Err(ErrorCode::NoAuth));
    // NONODE before BADVERSION; BADVERSION before NOTEMPTY.
    assert_eq!(h.del(&c1, "/missing", 7), Err(ErrorCode::NoNode));
    assert_eq!(h.del(&c1, "/p", 7), Err(ErrorCode::BadVersion));
    assert_eq!(h.del(&c1, "/p", 0), Err(ErrorCode::NotEmpty));
    // The node's own ACL does not matter.
    h.create(&c1, "/locked", None, Some("world:anyone:"), P)
        .unwrap();
    assert_eq!(h.del(&c1, "/locked", -1), Ok(()));
}

#[test]
fn set_and_set_acl_error_precedence() {
    let mut h = H::new();
    let c1 = h.connect();
    h.create(&c1, "/ro", None, Some("world:anyone:r"), P)
        .unwrap();
    // set: BADARGUMENTS, NONODE, NOAUTH, BADVERSION.
    assert_eq!(h.set(&c1, "/a//b", "x", -1), Err(ErrorCode::BadArguments));
    assert_eq!(h.set(&c1, "/missing", "x", 5), Err(ErrorCode::NoNode));
    assert_eq!(h.set(&c1, "/ro", "x", 5), Err(ErrorCode::NoAuth));
    // setACL: BADARGUMENTS, INVALIDACL, NONODE, NOAUTH, BADVERSION.
    assert_eq!(
        h.set_acl(&c1, "/a/", "nosuch:x:r", -1),
        Err(ErrorCode::BadArguments)
    );
    assert_eq!(
        h.set_acl(&c1, "/missing", "nosuch:x:r", -1),
        Err(ErrorCode::InvalidAcl)
    );
    assert_eq!(
        h.set_acl(&c1, "/missing", "world:anyone:r", 3),
        Err(ErrorCode::NoNode)
    );
    assert_eq!(
        h.set_acl(&c1, "/ro", "world:anyone:r", 3),
        Err(ErrorCode::NoAuth)
    );
    h.mk(&c1, "/open").unwrap();
    assert_eq!(
        h.set_acl(&c1, "/open", "world:anyone:r", 3),
        Err(ErrorCode::BadVersion)
    );
    assert_eq!(
        h.set_acl(&c1, "/open", "world:anyone:cdrwa", 0),
        Ok("0x10000000a 0x10000000a 0x10000000a 0 0 1 0 0".into())
    );
    // setACL is not a watch event (watch-failed-01).
    h.watches.add_data_watch("/open", c1.conn);
    h.set_acl(&c1, "/open", "world:anyone:cdrwa", -1).unwrap();
    assert!(h.take_events().is_empty());
}

#[test]
fn multi_all_or_nothing() {
    let mut h = H::new();
    let c1 = h.connect();
    h.watches.add_child_watch("/", c1.conn);
    let digest = h.tree.digest();
    // The third op fails: nothing is applied, the zxid is consumed, no watch fires.
    let ops = vec![
        create_op("/m", None, open(), P),
        create_op("/m/a", Some("x"), open(), P),
        create_op("/m", None, open(), P),
        WriteOp::Delete {
            path: "/m/a".into(),
            version: -1,
        },
    ];
    let zxid = h.next();
    let body = h
        .tree
        .prep(&WriteOp::Multi(ops.clone()), c1.session, &c1.ids, zxid);
    assert_eq!(
        body,
        TxnBody::MultiError(vec![
            None,
            None,
            Some(ErrorCode::NodeExists),
            Some(ErrorCode::RuntimeInconsistency)
        ])
    );
    let a = h.commit(Txn {
        zxid,
        session: c1.session,
        body,
    });
    assert_eq!(
        a.result,
        OpResult::Multi(vec![
            OpResult::Done,
            OpResult::Done,
            OpResult::Err(ErrorCode::NodeExists),
            OpResult::Err(ErrorCode::RuntimeInconsistency)
        ])
    );
    assert_eq!(a.error(), Some(ErrorCode::NodeExists));
    assert_eq!(h.tree.digest(), digest);
    assert_eq!(h.stat("/m"), "NONODE");
    assert_eq!(h.tree.last_processed(), Zxid::new(1, 2));
    assert!(h.take_events().is_empty());
    // A failure in the middle: later ops are RUNTIMEINCONSISTENCY, not evaluated.
    let body = h.tree.prep(
        &WriteOp::Multi(vec![
            create_op("/x", None, open(), P),
            WriteOp::Delete {
                path: "/nothere".into(),
                version: -1,
            },
            create_op("bad", None, vec![], P),
        ]),
        c1.session,
        &c1.ids,
        Zxid(0),
    );
    assert_eq!(
        body,
        TxnBody::MultiError(vec![
            None,
            Some(ErrorCode::NoNode),
            Some(ErrorCode::RuntimeInconsistency)
        ])
    );
    // Success: later ops see earlier ones; one zxid for all; events in op order.
    let ops = vec![
        create_op("/m", None, open(), P),
        create_op("/m/a", Some("x"), open(), P),
        WriteOp::SetData {
            path: "/m/a".into(),
            data: b"y".to_vec(),
            version: 0,
        },
        WriteOp::Check {
            path: "/m/a".into(),
            version: 1,
        },
        create_op("/m/s-", None, open(), CreateMode::PersistentSequential),
        create_op("/m/s-", None, open(), CreateMode::EphemeralSequential),
        WriteOp::Delete {
            path: "/m/a".into(),
            version: 1,
        },
    ];
    let a = h.write(&c1, WriteOp::Multi(ops));
    let OpResult::Multi(rs) = &a.result else {
        panic!("{:?}", a.result)
    };
    assert_eq!(rs[0], OpResult::Created("/m".into()));
    assert_eq!(
        rs[2],
        OpResult::Stat(Stat {
            czxid: Zxid::new(1, 3),
            mzxid: Zxid::new(1, 3),
            pzxid: Zxid::new(1, 3),
            version: 1,
            data_length: 1,
            ..Stat::default()
        })
    );
    assert_eq!(rs[3], OpResult::Done);
    assert_eq!(rs[4], OpResult::Created("/m/s-0000000001".into()));
    assert_eq!(rs[5], OpResult::Created("/m/s-0000000002".into()));
    assert_eq!(rs[6], OpResult::Done);
    assert_eq!(h.ls(&c1, "/m").unwrap(), ["s-0000000001", "s-0000000002"]);
    assert_eq!(
        h.stat("/m"),
        "0x100000003 0x100000003 0x100000003 0 4 0 0 2"
    );
    assert_eq!(h.tree.ephemerals_of(c1.session), ["/m/s-0000000002"]);
    assert_eq!(
        h.take_events(),
        vec![(c1.conn, "NodeChildrenChanged /".to_string())]
    );
    // A multi cannot carry setACL (the real server cannot decode it).
    let body = h.tree.prep(
        &WriteOp::Multi(vec![WriteOp::SetAcl {
            path: "/m".into(),
            acl: open(),
            version: -1,
        }]),
        c1.session,
        &c1.ids,
        Zxid(0),
    );
    assert_eq!(body, TxnBody::Error(ErrorCode::BadArguments));
    // An empty multi succeeds with no results.
    assert_eq!(
        h.write(&c1, WriteOp::Multi(vec![])).result,
        OpResult::Multi(vec![])
    );
}

#[test]
fn prep_tree_with_outstanding_txns() {
    // The leader validates against its committed tree plus outstanding txns: cloning the tree
    // and applying each proposal as it is made gives the same answers as the real pipeline.
    let mut h = H::new();
    let c1 = h.connect();
    let mut prep_tree = h.tree.clone();
    let seq = create_op("/n-", None, open(), CreateMode::EphemeralSequential);
    let mut txns = Vec::new();
    for _ in 0..2 {
        let zxid = h.next();
        let body = prep_tree.prep(&seq, c1.session, &c1.ids, zxid);
        let t = Txn {
            zxid,
            session: c1.session,
            body,
        };
        prep_tree.apply(&t);
        txns.push(t);
    }
    assert_eq!(
        prep_tree.prep_close_session(c1.session),
        TxnBody::CloseSession {
            paths: vec!["/n-0000000000".into(), "/n-0000000001".into()]
        }
    );
    for t in txns {
        h.commit(t);
    }
    assert_eq!(h.tree, prep_tree);
}

#[test]
fn watch_data_01_and_exists_01() {
    let mut h = H::new();
    let c1 = h.connect();
    let c2 = h.connect();
    h.create(&c1, "/w", Some("v0"), None, P).unwrap();
    h.watches.add_data_watch("/w", c2.conn);
    h.set(&c1, "/w", "v1", -1).unwrap();
    assert_eq!(
        h.take_events(),
        vec![(c2.conn, "NodeDataChanged /w".to_string())]
    );
    h.set(&c1, "/w", "v2", -1).unwrap();
    assert!(h.take_events().is_empty());
    h.watches.add_data_watch("/w", c2.conn);
    h.watches.add_data_watch("/w", c2.conn);
    h.set(&c1, "/w", "v4", -1).unwrap();
    assert_eq!(h.take_events().len(), 1);
    h.watches.add_data_watch("/w", c2.conn);
    h.del(&c1, "/w", -1).unwrap();
    assert_eq!(
        h.take_events(),
        vec![(c2.conn, "NodeDeleted /w".to_string())]
    );
    h.create(&c1, "/w", Some("again"), None, P).unwrap();
    assert!(h.take_events().is_empty());
    // exists-watch on a missing node fires NodeCreated.
    assert_eq!(h.stat("/x"), "NONODE");
    h.watches.add_data_watch("/x", c2.conn);
    h.create(&c1, "/x", Some("one"), None, P).unwrap();
    assert_eq!(
        h.take_events(),
        vec![(c2.conn, "NodeCreated /x".to_string())]
    );
    // A grandchild create is not a data change of the watched node.
    h.mk(&c1, "/x/none").unwrap();
    h.watches.add_data_watch("/x/none", c2.conn);
    h.mk(&c1, "/x/none/sub").unwrap();
    assert!(h.take_events().is_empty());
    assert_eq!(
        h.set(&c1, "/x/none", "d", -1),
        Ok("0x10000000a 0x10000000c 0x10000000b 1 1 0 1 1".into())
    );
    assert_eq!(
        h.take_events(),
        vec![(c2.conn, "NodeDataChanged /x/none".to_string())]
    );
}

#[test]
fn watch_acl_01_filtered_delivery_consumes_the_watch() {
    let mut h = H::new();
    let mut owner = h.connect();
    let other = h.connect();
    owner.addauth("alice:secret");
    h.clients[0] = owner.clone();
    h.create(
        &owner,
        "/sec",
        Some("v0"),
        Some("digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa"),
        P,
    )
    .unwrap();
    assert_eq!(h.get(&other, "/sec"), Err(ErrorCode::NoAuth)); // no watch
    assert_eq!(h.ls(&other, "/sec"), Err(ErrorCode::NoAuth)); // no watch
    assert_eq!(
        h.stat("/sec"),
        "0x100000003 0x100000003 0x100000003 0 0 0 2 0"
    );
    h.watches.add_data_watch("/sec", other.conn); // stat -w needs no permission
    h.set(&owner, "/sec", "v1", -1).unwrap();
    assert!(h.take_events().is_empty(), "dropped by the ACL filter");
    assert_eq!(
        h.watches.watch_count(),
        0,
        "but the one-shot watch is consumed"
    );
    h.mk(&owner, "/sec/kid").unwrap();
    assert_eq!(h.get_acl(&other, "/sec"), Err(ErrorCode::NoAuth));
    assert_eq!(
        h.tree.get_acl("/sec", &owner.ids).unwrap().1,
        h.tree.exists("/sec").unwrap()
    );
    assert_eq!(
        h.stat("/sec"),
        "0x100000003 0x100000004 0x100000005 1 1 0 2 1"
    );
}

#[test]
fn watch_child_01() {
    let mut h = H::new();
    let c1 = h.connect();
    let c2 = h.connect();
    h.mk(&c1, "/dir").unwrap();
    h.watches.add_child_watch("/dir", c2.conn);
    h.set(&c1, "/dir", "x", -1).unwrap();
    assert!(h.take_events().is_empty());
    h.mk(&c1, "/dir/a").unwrap();
    h.mk(&c1, "/dir/b").unwrap();
    assert_eq!(
        h.take_events(),
        vec![(c2.conn, "NodeChildrenChanged /dir".to_string())]
    );
    h.watches.add_child_watch("/dir", c2.conn);
    h.set(&c1, "/dir/a", "y", -1).unwrap();
    h.mk(&c1, "/dir/a/deep").unwrap();
    assert!(h.take_events().is_empty());
    h.del(&c1, "/dir/b", -1).unwrap();
    assert_eq!(
        h.take_events(),
        vec![(c2.conn, "NodeChildrenChanged /dir".to_string())]
    );
    assert_eq!(
        h.stat("/dir"),
        "0x100000003 0x100000004 0x100000009 1 3 0 1 1"
    );
    h.watches.add_child_watch("/dir/a", c2.conn);
    h.del(&c1, "/dir/a/deep", -1).unwrap();
    h.watches.add_child_watch("/dir/a", c2.conn);
    h.del(&c1, "/dir/a", -1).unwrap();
    assert_eq!(
        h.take_events(),
        vec![
            (c2.conn, "NodeChildrenChanged /dir/a".to_string()),
            (c2.conn, "NodeDeleted /dir/a".to_string())
        ]
    );
}

#[test]
fn watch_self_01_one_event_per_change() {
    let mut h = H::new();
    let c1 = h.connect();
    h.create(&c1, "/me", Some("v0"), None, P).unwrap();
    h.watches.add_data_watch("/me", c1.conn);
    h.set(&c1, "/me", "v1", -1).unwrap();
    h.watches.add_child_watch("/", c1.conn);
    h.mk(&c1, "/sib").unwrap();
    h.watches.add_data_watch("/me", c1.conn); // stat -w
    h.watches.add_child_watch("/me", c1.conn); // ls -w
    h.mk(&c1, "/me/c").unwrap();
    h.del(&c1, "/me/c", -1).unwrap();
    h.watches.add_data_watch("/me", c1.conn); // get -w
    h.del(&c1, "/me", -1).unwrap();
    assert_eq!(
        h.take_events(),
        [
            (c1.conn, "NodeDataChanged /me"),
            (c1.conn, "NodeChildrenChanged /"),
            (c1.conn, "NodeChildrenChanged /me"),
            (c1.conn, "NodeDeleted /me")
        ]
        .map(|(c, s)| (c, s.to_string()))
    );
}

#[test]
fn watch_reconnect_01_set_watches() {
    let mut h = H::new();
    let c1 = h.connect();
    let c2 = h.connect();
    h.create(&c2, "/cfg", Some("v0"), None, P).unwrap();
    h.mk(&c2, "/dir").unwrap();
    let seen = h.tree.last_processed();
    // c1 re-registers on another server with nothing changed since: all re-added, no events.
    let mut other = WatchManager::new();
    let data = vec!["/cfg".to_string()];
    let exist = vec!["/later".to_string()];
    let child = vec!["/dir".to_string()];
    assert!(
        other
            .set_watches(c1.conn, seen, &data, &exist, &child, &h.tree)
            .is_empty()
    );
    assert_eq!(other.watch_count(), 3);
    // Changes since the client's zxid fire at once instead.
    h.set(&c2, "/cfg", "v1", -1).unwrap();
    h.mk(&c2, "/dir/x").unwrap();
    h.mk(&c2, "/later").unwrap();
    let mut third = WatchManager::new();
    let got = third.set_watches(c1.conn, seen, &data, &exist, &child, &h.tree);
    let got: Vec<String> = got
        .iter()
        .map(|e| format!("{} {}", e.kind, e.path))
        .collect();
    assert_eq!(
        got,
        [
            "NodeDataChanged /cfg",
            "NodeCreated /later",
            "NodeChildrenChanged /dir"
        ]
    );
    assert_eq!(third.watch_count(), 0);
    h.del(&c2, "/dir/x", -1).unwrap();
    h.del(&c2, "/dir", -1).unwrap();
    let got = WatchManager::new().set_watches(c1.conn, seen, &[], &[], &child, &h.tree);
    assert_eq!(
        got,
        vec![WatchEvent {
            kind: EventType::NodeDeleted,
            path: "/dir".into()
        }]
    );
}

#[test]
fn fingerprint_tracks_content() {
    let mut a = H::new();
    let mut b = H::new();
    let ca = a.connect();
    let cb = b.connect();
    assert_eq!(a.tree.digest(), b.tree.digest());
    a.mk(&ca, "/x").unwrap();
    assert_ne!(a.tree.digest(), b.tree.digest());
    b.mk(&cb, "/x").unwrap();
    assert_eq!(a.tree.digest(), b.tree.digest());
    a.set(&ca, "/x", "1", -1).unwrap();
    b.set(&cb, "/x", "2", -1).unwrap();
    assert_ne!(a.tree.digest(), b.tree.digest());
    // Failed writes leave the fingerprint alone but move last_processed.
    let d = a.tree.digest();
    a.mk(&ca, "/x").unwrap_err();
    assert_eq!(a.tree.digest(), d);
}

#[test]
fn reads_and_counts() {
    let mut h = H::new();
    let c1 = h.connect();
    h.create(&c1, "/e", Some("abc"), None, CreateMode::Ephemeral)
        .unwrap();
    h.create(&c1, "/f", None, None, CreateMode::Ephemeral)
        .unwrap();
    assert_eq!(h.tree.get_ephemerals(c1.session, "/"), ["/e", "/f"]);
    assert_eq!(h.tree.get_ephemerals(c1.session, "/e"), ["/e"]);
    assert_eq!(h.tree.ephemeral_owners(), vec![(c1.session, 2)]);
    assert_eq!(h.tree.znode_count(), 7);
    // "/"(1) + "/zookeeper"(10) + config(17) + quota(16) + "/e"(2)+3 + "/f"(2)
    assert_eq!(h.tree.approximate_data_size(), 1 + 10 + 17 + 16 + 5 + 2);
    assert_eq!(parent_of("/a"), "/");
    assert_eq!(parent_of("/a/b"), "/a");
    assert_eq!(name_of("/a/b"), "b");
}
