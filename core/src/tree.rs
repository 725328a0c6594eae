//! The data tree (spec/datatree.md): znodes and their Stat bookkeeping, validation of writes
//! in ZooKeeper's check order ([`DataTree::prep`], the leader's `PrepRequestProcessor`),
//! applying committed transactions ([`DataTree::apply`], `DataTree.processTxn`) with the
//! watch triggers they fire, and the reads with their ACL checks.
//!
//! Storage is a `BTreeMap` from full path to node, children kept as sorted name sets, so
//! every iteration is in byte order. `Clone` copies the whole map: for the few hundred
//! nodes a simulation holds this is a few microseconds, so a persistent structure is not
//! warranted yet (if trees grow, `Rc<Znode>` values with `Rc::make_mut` would make clones
//! pointer copies without touching this API).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::acl::{self, Acl, Id};
use crate::msg::OpResult;
use crate::txn::{Txn, TxnBody, WriteOp};
use crate::watch::EventType;
use crate::{ErrorCode, SessionId, Zxid};

pub use crate::watch::Trigger;

/// What clients see of a node's metadata (`Stat`; ctime/mtime are not modelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stat {
    /// zxid of the creating transaction.
    pub czxid: Zxid,
    /// zxid of the last setData (= czxid until then).
    pub mzxid: Zxid,
    /// zxid of the last child create/delete (= czxid until then).
    pub pzxid: Zxid,
    /// Data version (number of setData).
    pub version: i32,
    /// Child version as clients see it: `2 * child creations - numChildren`.
    pub cversion: i32,
    /// ACL version (number of setACL).
    pub aversion: i32,
    /// Owning session of an ephemeral; 0 for persistent and container nodes.
    pub ephemeral_owner: SessionId,
    /// Data length in bytes (0 for null data).
    pub data_length: i32,
    /// Number of children.
    pub num_children: i32,
}

/// One znode as the tree stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Znode {
    /// Data (None = null, as `create /a` without data leaves it).
    pub data: Option<Vec<u8>>,
    /// ACL (shared: the watch events a write fires carry it, and children of a node share
    /// nothing else, so clones are cheap).
    pub acl: Rc<[Acl]>,
    /// Creating zxid.
    pub czxid: Zxid,
    /// Last setData zxid.
    pub mzxid: Zxid,
    /// Last child create/delete zxid.
    pub pzxid: Zxid,
    /// Data version.
    pub version: i32,
    /// ZooKeeper's internal cversion: successful child creations ever (never decremented;
    /// the next sequential suffix). Wraps like a Java int.
    pub child_creates: i32,
    /// ACL version.
    pub aversion: i32,
    /// Owner session of an ephemeral (0 otherwise).
    pub ephemeral_owner: SessionId,
    /// A container node (ZooKeeper stores owner `i64::MIN`; clients see 0).
    pub container: bool,
    /// Child names, sorted by bytes.
    pub children: BTreeSet<String>,
}

impl Znode {
    fn new(data: Option<Vec<u8>>, acl: Rc<[Acl]>, zxid: Zxid) -> Znode {
        Znode {
            data,
            acl,
            czxid: zxid,
            mzxid: zxid,
            pzxid: zxid,
            version: 0,
            child_creates: 0,
            aversion: 0,
            ephemeral_owner: SessionId(0),
            container: false,
            children: BTreeSet::new(),
        }
    }

    /// The client-visible Stat (`DataNode.copyStat`).
    pub fn stat(&self) -> Stat {
        let n = self.children.len() as i32;
        Stat {
            czxid: self.czxid,
            mzxid: self.mzxid,
            pzxid: self.pzxid,
            version: self.version,
            cversion: self.child_creates.wrapping_mul(2).wrapping_sub(n),
            aversion: self.aversion,
            ephemeral_owner: if self.is_ephemeral() {
                self.ephemeral_owner
            } else {
                SessionId(0)
            },
            data_length: self.data.as_ref().map_or(0, |d| d.len() as i32),
            num_children: n,
        }
    }

    /// Owned by a session (EphemeralType NORMAL): deleted with it, may not have children.
    pub fn is_ephemeral(&self) -> bool {
        !self.container && self.ephemeral_owner.0 != 0
    }
}

/// What applying a transaction did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The result the requesting client gets (create: path; setData/setACL: Stat;
    /// delete/check/session txns: Done; error txns: Err; multi: one result per op).
    pub result: OpResult,
    /// Watch triggers, in the order ZooKeeper fires them.
    pub triggers: Vec<Trigger>,
}

impl Applied {
    /// The error the client sees, if any (a failed multi: the failing op's code).
    pub fn error(&self) -> Option<ErrorCode> {
        match &self.result {
            OpResult::Err(e) => Some(*e),
            OpResult::Multi(rs) => rs.iter().find_map(|r| match r {
                OpResult::Err(e) if *e != ErrorCode::RuntimeInconsistency => Some(*e),
                _ => None,
            }),
            _ => None,
        }
    }
}

/// `ls -R` as zkCli walks it (`ZKUtil.visitSubTreeDFS`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LsR {
    /// The printed paths: the start path, then each node's children (sorted) before
    /// descending into them, child by child.
    pub paths: Vec<String>,
    /// The nodes whose getChildren succeeded, in visiting order (with `-w` each gets a child
    /// watch; the start path also gets a data watch).
    pub listed: Vec<String>,
}

/// The parent path of `p` (`/` for top-level nodes, `""` for a path without `/`).
pub fn parent_of(p: &str) -> &str {
    match p.rfind('/') {
        Some(0) => "/",
        Some(i) => &p[..i],
        None => "",
    }
}

/// The last component of `p`.
pub fn name_of(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or("")
}

/// Paths that can never be deleted (BADARGUMENTS).
pub const SPECIAL_PATHS: [&str; 4] = ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"];

const CONFIG_NODE: &str = "/zookeeper/config";

/// The whole tree of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTree {
    nodes: BTreeMap<String, Znode>,
    ephemerals: BTreeMap<SessionId, BTreeSet<String>>,
    containers: BTreeSet<String>,
    last_processed: Zxid,
}

impl Default for DataTree {
    fn default() -> Self {
        Self::new()
    }
}

impl DataTree {
    /// The tree of an empty dataDir (§1): `/` (cversion -1), `/zookeeper` (cversion -2),
    /// `/zookeeper/quota`, and `/zookeeper/config` (READ-only for everyone, aclVersion -1,
    /// empty data as in standalone mode until [`DataTree::init_config`]).
    pub fn new() -> DataTree {
        let mut t = DataTree {
            nodes: BTreeMap::new(),
            ephemerals: BTreeMap::new(),
            containers: BTreeSet::new(),
            last_processed: Zxid(0),
        };
        let open: Rc<[Acl]> = acl::open_acl_unsafe().into();
        let mut root = Znode::new(Some(Vec::new()), open.clone(), Zxid(0));
        root.children.insert("zookeeper".into());
        let mut zk = Znode::new(Some(Vec::new()), open.clone(), Zxid(0));
        zk.children.insert("config".into());
        zk.children.insert("quota".into());
        let mut config = Znode::new(Some(Vec::new()), acl::read_acl_unsafe().into(), Zxid(0));
        config.aversion = -1;
        t.insert_node("/".into(), root);
        t.insert_node("/zookeeper".into(), zk);
        t.insert_node(CONFIG_NODE.into(), config);
        t.insert_node(
            "/zookeeper/quota".into(),
            Znode::new(Some(Vec::new()), open, Zxid(0)),
        );
        t
    }

    /// `ZKDatabase.initConfigInZKDatabase` in quorum mode: `/zookeeper/config` gets the
    /// config text, dataVersion -1 and mzxid = the config's version (0 for a static config).
    pub fn init_config(&mut self, text: &[u8], config_version: Zxid) {
        self.with_node(CONFIG_NODE, |n| {
            n.data = Some(text.to_vec());
            n.version = -1;
            n.mzxid = config_version;
        });
    }

    // ----- inspection -----

    /// A node, without any ACL check (for invariants and the UI).
    pub fn get(&self, path: &str) -> Option<&Znode> {
        self.nodes.get(path)
    }

    /// Every node, in path (byte) order.
    pub fn nodes(&self) -> impl Iterator<Item = (&String, &Znode)> {
        self.nodes.iter()
    }

    /// Number of nodes (the root once).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Never empty (the root always exists).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The node count ZooKeeper reports (`srvr` "Node count", mntr `zk_znode_count`): the
    /// root is counted twice (aliases `""` and `/`), so a fresh server says 5.
    pub fn znode_count(&self) -> usize {
        self.nodes.len() + 1
    }

    /// mntr `zk_approximate_data_size`: path lengths (UTF-16 units) plus data lengths.
    pub fn approximate_data_size(&self) -> u64 {
        self.nodes
            .iter()
            .map(|(p, n)| {
                p.encode_utf16().count() as u64 + n.data.as_ref().map_or(0, |d| d.len() as u64)
            })
            .sum()
    }

    /// The zxid of the last applied transaction (`lastProcessedZxid`).
    pub fn last_processed(&self) -> Zxid {
        self.last_processed
    }

    /// Ephemerals owned by `session`, in path order.
    pub fn ephemerals_of(&self, session: SessionId) -> Vec<String> {
        self.ephemerals
            .get(&session)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// `getEphemerals(prefix)`: the session's ephemerals starting with `prefix` (all of them
    /// for a blank prefix or `/`), in path order.
    pub fn get_ephemerals(&self, session: SessionId, prefix: &str) -> Vec<String> {
        let all = self.ephemerals_of(session);
        let p = prefix.trim();
        if p.is_empty() || p == "/" {
            all
        } else {
            all.into_iter().filter(|e| e.starts_with(prefix)).collect()
        }
    }

    /// Sessions owning at least one ephemeral, in id order (no allocation: the invariant
    /// checker calls this after every step).
    pub fn ephemeral_sessions(&self) -> impl Iterator<Item = SessionId> + '_ {
        self.ephemerals
            .iter()
            .filter(|(_, paths)| !paths.is_empty())
            .map(|(s, _)| *s)
    }

    /// Sessions owning at least one ephemeral, with their count (mntr `zk_ephemerals_count`
    /// is the sum).
    pub fn ephemeral_owners(&self) -> Vec<(SessionId, usize)> {
        self.ephemerals.iter().map(|(s, p)| (*s, p.len())).collect()
    }

    /// Container nodes the container manager would delete now (`ContainerManager
    /// .getCandidates`): no children and at least one child ever created. Path order.
    pub fn container_candidates(&self) -> Vec<String> {
        self.containers
            .iter()
            .filter(|p| {
                self.nodes
                    .get(*p)
                    .is_some_and(|n| n.children.is_empty() && n.child_creates > 0)
            })
            .cloned()
            .collect()
    }

    /// A deterministic fingerprint of the whole tree: equal trees give equal values on every
    /// platform. Like ZooKeeper's own digest it leaves out the `/zookeeper/` subtree
    /// (server-local config and quota bookkeeping), and it ignores `last_processed`.
    /// Computed on demand, O(nodes): only the checker's final convergence test asks for it,
    /// so keeping it current on every write (two node hashes per touched node) cost more
    /// than it saved.
    pub fn digest(&self) -> u64 {
        self.nodes
            .iter()
            .fold(0u64, |acc, (p, n)| acc.wrapping_add(node_hash(p, n)))
    }

    // ----- reads (FinalRequestProcessor) -----

    /// getData: NONODE, then READ → NOAUTH.
    pub fn get_data(&self, path: &str, ids: &[Id]) -> Result<(Option<Vec<u8>>, Stat), ErrorCode> {
        let n = self.readable(path, ids)?;
        Ok((n.data.clone(), n.stat()))
    }

    /// exists: the Stat, or None (NONODE on the wire). No permission is checked: the
    /// recorded ZooKeeper 3.8.0 traces show none (the spec's 3.8.4 READ check differs).
    /// With a watch, the caller registers a data watch whether or not the node exists.
    pub fn exists(&self, path: &str) -> Option<Stat> {
        self.nodes.get(path).map(Znode::stat)
    }

    /// getChildren / getChildren2: NONODE, then READ → NOAUTH; children sorted by bytes.
    pub fn get_children(&self, path: &str, ids: &[Id]) -> Result<(Vec<String>, Stat), ErrorCode> {
        let n = self.readable(path, ids)?;
        Ok((n.children.iter().cloned().collect(), n.stat()))
    }

    /// getACL: NONODE, then READ or ADMIN → NOAUTH; a caller without ADMIN sees digest ids
    /// as `user:x` ([`acl::display_acl`]).
    pub fn get_acl(&self, path: &str, ids: &[Id]) -> Result<(Vec<Acl>, Stat), ErrorCode> {
        let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
        if !acl::check(&n.acl, acl::READ | acl::ADMIN, ids) {
            return Err(ErrorCode::NoAuth);
        }
        let admin = acl::check(&n.acl, acl::ADMIN, ids);
        Ok((acl::display_acl(&n.acl, admin), n.stat()))
    }

    /// getAllChildrenNumber: NONODE, READ → NOAUTH; the number of descendants.
    pub fn get_all_children_number(&self, path: &str, ids: &[Id]) -> Result<usize, ErrorCode> {
        self.readable(path, ids)?;
        if path == "/" {
            return Ok(self.nodes.len() - 1);
        }
        let prefix = format!("{path}/");
        Ok(self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .count())
    }

    /// `ls -R path` (zkCli `visitSubTreeDFS`): getData on the start path (NONODE / NOAUTH fail
    /// the command), then getChildren on every node; a node whose listing fails with NONODE or
    /// NOAUTH is printed but not descended into.
    pub fn ls_recursive(&self, path: &str, ids: &[Id]) -> Result<LsR, ErrorCode> {
        self.readable(path, ids)?;
        let mut out = LsR {
            paths: vec![path.to_string()],
            listed: Vec::new(),
        };
        self.visit_dfs(path, ids, &mut out);
        Ok(out)
    }

    fn visit_dfs(&self, path: &str, ids: &[Id], out: &mut LsR) {
        let Ok((children, _)) = self.get_children(path, ids) else {
            return;
        };
        out.listed.push(path.to_string());
        let full: Vec<String> = children.iter().map(|c| child_path(path, c)).collect();
        out.paths.extend(full.iter().cloned());
        for c in &full {
            self.visit_dfs(c, ids, out);
        }
    }

    /// `deleteall path` (zkCli `ZKUtil.deleteRecursive`): the subtree listed breadth-first with
    /// getChildren (NONODE / NOAUTH fail the command; siblings in byte order where the real
    /// server gives hash order), returned in deletion order: leaves first, `path` last.
    pub fn deleteall_order(&self, path: &str, ids: &[Id]) -> Result<Vec<String>, ErrorCode> {
        let mut tree = vec![path.to_string()];
        let mut i = 0;
        while i < tree.len() {
            let (children, _) = self.get_children(&tree[i], ids)?;
            let node = tree[i].clone();
            tree.extend(children.iter().map(|c| child_path(&node, c)));
            i += 1;
        }
        tree.reverse();
        Ok(tree)
    }

    /// The multis `deleteall path -b batch` sends: [`DataTree::deleteall_order`] chunked into
    /// multis of at most `batch` (zkCli default 1000) unconditional deletes.
    pub fn deleteall_ops(
        &self,
        path: &str,
        ids: &[Id],
        batch: usize,
    ) -> Result<Vec<WriteOp>, ErrorCode> {
        let order = self.deleteall_order(path, ids)?;
        Ok(order
            .chunks(batch.max(1))
            .map(|c| {
                WriteOp::Multi(
                    c.iter()
                        .map(|p| WriteOp::Delete {
                            path: p.clone(),
                            version: -1,
                        })
                        .collect(),
                )
            })
            .collect())
    }

    fn readable(&self, path: &str, ids: &[Id]) -> Result<&Znode, ErrorCode> {
        let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
        if !acl::check(&n.acl, acl::READ, ids) {
            return Err(ErrorCode::NoAuth);
        }
        Ok(n)
    }

    // ----- validation (PrepRequestProcessor) -----

    /// Validates a write against this tree (the leader's committed tree plus its outstanding
    /// transactions) in ZooKeeper's check order and builds the transaction body: an
    /// [`TxnBody::Error`] (or [`TxnBody::MultiError`]) when a check fails. Never mutates.
    ///
    /// `session` must already be known live (the session checks come first in every op and
    /// belong to the session tracker); `ids` are the connection's identities
    /// (`ip:127.0.0.1` and any `addauth` ids, in the order they were added); `_zxid` is the
    /// zxid the transaction will carry (validation does not depend on it).
    ///
    /// Orders: create — BADARGUMENTS (no `/`, NUL), INVALIDACL, NONODE (parent), NOAUTH
    /// (parent CREATE), sequential suffix `%010d` of the parent's child-creation counter,
    /// BADARGUMENTS (final path), NODEEXISTS, NOCHILDRENFOREPHEMERALS. delete — BADARGUMENTS
    /// (no `/`, NUL, special path), NONODE (parent), NOAUTH (parent DELETE), NONODE,
    /// BADVERSION, NOTEMPTY. setData — BADARGUMENTS, NONODE, NOAUTH (WRITE), BADVERSION.
    /// setACL — BADARGUMENTS, INVALIDACL, NONODE, NOAUTH (ADMIN), BADVERSION (aversion).
    /// check — BADARGUMENTS, NONODE, NOAUTH (READ), BADVERSION. multi — ops validated in
    /// order, each seeing the earlier ones' effects; the first failure makes the whole multi
    /// fail (earlier ops OK, later ones RUNTIMEINCONSISTENCY). A multi holding an op a multi
    /// cannot carry (setACL, multi, deleteContainer) fails as a whole with BADARGUMENTS (the
    /// real server cannot even decode it and answers MARSHALLINGERROR).
    pub fn prep(&self, op: &WriteOp, session: SessionId, ids: &[Id], _zxid: Zxid) -> TxnBody {
        let mut pending = prep::Pending::new(self, matches!(op, WriteOp::Multi(_)));
        match op {
            WriteOp::Multi(ops) => {
                if !ops.iter().all(WriteOp::allowed_in_multi) {
                    return TxnBody::Error(ErrorCode::BadArguments);
                }
                let mut bodies = Vec::with_capacity(ops.len());
                for (i, o) in ops.iter().enumerate() {
                    match pending.prep_one(o, session, ids) {
                        Ok(b) => bodies.push(b),
                        Err(code) => {
                            let mut codes = vec![None; ops.len()];
                            codes[i] = Some(code);
                            for c in codes.iter_mut().skip(i + 1) {
                                *c = Some(ErrorCode::RuntimeInconsistency);
                            }
                            return TxnBody::MultiError(codes);
                        }
                    }
                }
                TxnBody::Multi(bodies)
            }
            _ => pending
                .prep_one(op, session, ids)
                .unwrap_or_else(TxnBody::Error),
        }
    }

    /// The closeSession body: every ephemeral of `session` in this tree (the prep tree
    /// includes outstanding creates and deletes), in path order.
    pub fn prep_close_session(&self, session: SessionId) -> TxnBody {
        TxnBody::CloseSession {
            paths: self.ephemerals_of(session),
        }
    }

    // ----- applying (DataTree.processTxn) -----

    /// Applies a committed transaction and returns its result and watch triggers. Error
    /// bodies change nothing. A body that does not fit the tree (it was prepared against a
    /// different state) is handled as ZooKeeper does: that op reports the error, earlier
    /// sub-ops of a multi stay applied. `last_processed` advances to the txn's zxid.
    pub fn apply(&mut self, txn: &Txn) -> Applied {
        let mut triggers = Vec::new();
        let result = self.apply_txn(txn, &mut Some(&mut triggers));
        Applied { result, triggers }
    }

    /// [`DataTree::apply`] without building the watch triggers (their paths are copies):
    /// for replays, the leader's prep tree and servers on which nobody watches.
    pub fn apply_untriggered(&mut self, txn: &Txn) -> OpResult {
        self.apply_txn(txn, &mut None)
    }

    fn apply_txn(&mut self, txn: &Txn, tr: &mut Triggers) -> OpResult {
        let result = self.apply_body(&txn.body, txn.zxid, txn.session, true, tr);
        if txn.zxid > self.last_processed {
            self.last_processed = txn.zxid;
        }
        result
    }

    fn apply_body(
        &mut self,
        body: &TxnBody,
        zxid: Zxid,
        session: SessionId,
        top: bool,
        tr: &mut Triggers,
    ) -> OpResult {
        match body {
            TxnBody::CreateSession { .. } | TxnBody::Check { .. } => OpResult::Done,
            TxnBody::Error(e) => OpResult::Err(*e),
            TxnBody::MultiError(codes) => OpResult::Multi(
                codes
                    .iter()
                    .map(|c| c.map_or(OpResult::Done, OpResult::Err))
                    .collect(),
            ),
            TxnBody::CloseSession { paths } => {
                for p in paths {
                    let _ = self.delete_node(p, zxid, tr);
                }
                // Ephemerals the txn did not list (ZooKeeper warns and deletes them too).
                for p in self.ephemerals_of(session) {
                    let _ = self.delete_node(&p, zxid, tr);
                }
                OpResult::Done
            }
            TxnBody::Create {
                path,
                data,
                acl: a,
                ephemeral_owner,
                container,
                parent_cversion,
            } => {
                match self.create_node(
                    path,
                    data,
                    a,
                    *ephemeral_owner,
                    *container,
                    *parent_cversion,
                    zxid,
                    tr,
                ) {
                    Ok(()) => OpResult::Created(path.clone()),
                    Err(e) => {
                        if top && e == ErrorCode::NodeExists {
                            // processTxn's restore-time repair: bump the parent's counter.
                            self.with_node(parent_key(path), |p| {
                                if *parent_cversion > p.child_creates {
                                    p.child_creates = *parent_cversion;
                                    p.pzxid = zxid;
                                }
                            });
                        }
                        OpResult::Err(e)
                    }
                }
            }
            TxnBody::Delete { path } => match self.delete_node(path, zxid, tr) {
                Ok(()) => OpResult::Done,
                Err(e) => OpResult::Err(e),
            },
            TxnBody::SetData {
                path,
                data,
                version,
            } => {
                let r = self.with_node(path, |n| {
                    // Reuse the old buffer: no allocation when the new value fits.
                    match &mut n.data {
                        Some(d) => {
                            d.clear();
                            d.extend_from_slice(data);
                        }
                        None => n.data = Some(data.clone()),
                    }
                    n.version = *version;
                    n.mzxid = zxid;
                    (n.stat(), n.acl.clone())
                });
                match r {
                    Some((stat, acl)) => {
                        emit(tr, || Trigger {
                            path: path.clone(),
                            kind: EventType::NodeDataChanged,
                            acl,
                            zxid,
                        });
                        OpResult::Stat(stat)
                    }
                    None => OpResult::Err(ErrorCode::NoNode),
                }
            }
            TxnBody::SetAcl {
                path,
                acl: a,
                version,
            } => {
                let r = self.with_node(path, |n| {
                    n.acl = a.as_slice().into();
                    n.aversion = *version;
                    n.stat()
                });
                r.map_or(OpResult::Err(ErrorCode::NoNode), OpResult::Stat)
            }
            TxnBody::Multi(bodies) => OpResult::Multi(
                bodies
                    .iter()
                    .map(|b| self.apply_body(b, zxid, session, false, tr))
                    .collect(),
            ),
        }
    }

    /// `DataTree.createNode`.
    #[allow(clippy::too_many_arguments)]
    fn create_node(
        &mut self,
        path: &str,
        data: &Option<Vec<u8>>,
        a: &[Acl],
        owner: SessionId,
        container: bool,
        parent_cversion: i32,
        zxid: Zxid,
        tr: &mut Triggers,
    ) -> Result<(), ErrorCode> {
        if !path.contains('/') {
            return Err(ErrorCode::NoNode);
        }
        let parent = parent_key(path).to_string();
        let name = name_of(path).to_string();
        match self.nodes.get(&parent) {
            None => return Err(ErrorCode::NoNode),
            Some(p) if p.children.contains(&name) || self.nodes.contains_key(path) => {
                return Err(ErrorCode::NodeExists);
            }
            Some(_) => {}
        }
        let parent_acl = self
            .with_node(&parent, |p| {
                let parent_cversion = if parent_cversion == -1 {
                    p.child_creates.wrapping_add(1)
                } else {
                    parent_cversion
                };
                // Only move forward (replays of a fuzzy snapshot must not revert them). So a
                // counter at i32::MAX is never stored wrapped: the next sequential create
                // reuses suffix 2147483647 and fails with NODEEXISTS, as in ZooKeeper.
                if parent_cversion > p.child_creates {
                    p.child_creates = parent_cversion;
                    p.pzxid = zxid;
                }
                p.children.insert(name);
                p.acl.clone()
            })
            .unwrap_or_default();
        let acl: Rc<[Acl]> = a.into();
        let mut n = Znode::new(data.clone(), Rc::clone(&acl), zxid);
        n.ephemeral_owner = if container { SessionId(0) } else { owner };
        n.container = container;
        if container {
            self.containers.insert(path.to_string());
        } else if owner.0 != 0 {
            self.ephemerals
                .entry(owner)
                .or_default()
                .insert(path.to_string());
        }
        self.insert_node(path.to_string(), n);
        emit(tr, || Trigger {
            path: path.to_string(),
            kind: EventType::NodeCreated,
            acl,
            zxid,
        });
        emit(tr, || Trigger {
            path: parent,
            kind: EventType::NodeChildrenChanged,
            acl: parent_acl,
            zxid,
        });
        Ok(())
    }

    /// `DataTree.deleteNode`: the parent's pzxid moves even when the child is already gone.
    fn delete_node(&mut self, path: &str, zxid: Zxid, tr: &mut Triggers) -> Result<(), ErrorCode> {
        if !path.contains('/') {
            return Err(ErrorCode::NoNode);
        }
        let parent = parent_key(path).to_string();
        let name = name_of(path);
        let parent_acl = self
            .with_node(&parent, |p| {
                p.children.remove(name);
                if zxid > p.pzxid {
                    p.pzxid = zxid;
                }
                p.acl.clone()
            })
            .ok_or(ErrorCode::NoNode)?;
        let n = self.remove_node(path).ok_or(ErrorCode::NoNode)?;
        if n.container {
            self.containers.remove(path);
        } else if let Some(set) = self.ephemerals.get_mut(&n.ephemeral_owner) {
            set.remove(path);
            if set.is_empty() {
                self.ephemerals.remove(&n.ephemeral_owner);
            }
        }
        emit(tr, || Trigger {
            path: path.to_string(),
            kind: EventType::NodeDeleted,
            acl: n.acl,
            zxid,
        });
        emit(tr, || Trigger {
            path: parent,
            kind: EventType::NodeChildrenChanged,
            acl: parent_acl,
            zxid,
        });
        Ok(())
    }

    // ----- mutation helpers -----

    fn with_node<R>(&mut self, path: &str, f: impl FnOnce(&mut Znode) -> R) -> Option<R> {
        self.nodes.get_mut(path).map(f)
    }

    fn insert_node(&mut self, path: String, n: Znode) {
        self.nodes.insert(path, n);
    }

    fn remove_node(&mut self, path: &str) -> Option<Znode> {
        self.nodes.remove(path)
    }
}

/// Where applying puts the watch triggers it fires (None: nobody wants them).
type Triggers<'a> = Option<&'a mut Vec<Trigger>>;

fn emit(tr: &mut Triggers, t: impl FnOnce() -> Trigger) {
    if let Some(v) = tr {
        v.push(t());
    }
}

/// The parent's key in the tree: `&path[..last '/']`, with ZooKeeper's root alias `""`
/// mapped to `/`.
fn parent_key(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

fn child_path(parent: &str, child: &str) -> String {
    if parent == "/" {
        format!("/{child}")
    } else {
        format!("{parent}/{child}")
    }
}

/// One node's contribution to the tree digest (0 under `/zookeeper/`).
fn node_hash(path: &str, n: &Znode) -> u64 {
    if path.starts_with("/zookeeper/") {
        return 0;
    }
    let mut h = Fnv::default();
    h.bytes(path.as_bytes());
    match &n.data {
        None => h.u64(u64::MAX),
        Some(d) => {
            h.u64(d.len() as u64);
            h.bytes(d);
        }
    }
    for z in [n.czxid, n.mzxid, n.pzxid] {
        h.u64(z.0 as u64);
    }
    for v in [n.version, n.child_creates, n.aversion] {
        h.u64(v as u32 as u64);
    }
    h.u64(n.ephemeral_owner.0);
    h.u64(n.container as u64);
    h.u64(n.children.len() as u64);
    h.u64(n.acl.len() as u64);
    for a in n.acl.iter() {
        h.u64(a.perms as u64);
        h.u64(a.scheme.len() as u64);
        h.bytes(a.scheme.as_bytes());
        h.u64(a.id.len() as u64);
        h.bytes(a.id.as_bytes());
    }
    // splitmix64 finaliser, so that summing node hashes mixes well.
    let mut z = h.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A word-at-a-time mixer for node hashes. Bytes are read as little-endian words, so a hash
/// is the same on every platform.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn bytes(&mut self, b: &[u8]) {
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.u64(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        self.u64(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
    }
    fn u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(31);
    }
}

mod prep;

#[cfg(test)]
mod tests;
