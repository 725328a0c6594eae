//! The data tree: znodes, Stat bookkeeping, validation in ZooKeeper's check order, and
//! applying transactions (spec/datatree.md).

use std::collections::{BTreeMap, BTreeSet};

use crate::acl::{self, Acl, Id};
use crate::msg::OpResult;
use crate::txn::{CreateMode, Txn, TxnBody, WriteOp};
use crate::{ErrorCode, SessionId, Zxid};

/// What clients see of a node's metadata (times omitted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stat {
    /// Creating zxid.
    pub czxid: Zxid,
    /// Last setData zxid.
    pub mzxid: Zxid,
    /// Last child create/delete zxid.
    pub pzxid: Zxid,
    /// Data version.
    pub version: i32,
    /// Child version as clients see it.
    pub cversion: i32,
    /// ACL version.
    pub aversion: i32,
    /// Owning session of an ephemeral (0 otherwise).
    pub ephemeral_owner: SessionId,
    /// Data length.
    pub data_length: i32,
    /// Number of children.
    pub num_children: i32,
}

/// One znode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Znode {
    /// Data (None = null).
    pub data: Option<Vec<u8>>,
    /// ACL.
    pub acl: Vec<Acl>,
    /// Creating zxid.
    pub czxid: Zxid,
    /// Last setData zxid.
    pub mzxid: Zxid,
    /// Last child change zxid.
    pub pzxid: Zxid,
    /// Data version.
    pub version: i32,
    /// Number of child creations ever (the internal cversion).
    pub child_creates: i32,
    /// ACL version.
    pub aversion: i32,
    /// Owner session (ephemerals).
    pub ephemeral_owner: SessionId,
    /// A container node.
    pub container: bool,
    /// Child names.
    pub children: BTreeSet<String>,
}

impl Znode {
    fn new(data: Option<Vec<u8>>, acl: Vec<Acl>, zxid: Zxid) -> Znode {
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

    /// The client-visible Stat.
    pub fn stat(&self) -> Stat {
        let n = self.children.len() as i32;
        Stat {
            czxid: self.czxid,
            mzxid: self.mzxid,
            pzxid: self.pzxid,
            version: self.version,
            cversion: 2 * self.child_creates - n,
            aversion: self.aversion,
            ephemeral_owner: self.ephemeral_owner,
            data_length: self.data.as_ref().map_or(0, |d| d.len() as i32),
            num_children: n,
        }
    }
}

/// A watch trigger produced by applying a transaction, in ZooKeeper's firing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The path the event is about.
    pub path: String,
    /// The event.
    pub kind: crate::watch::EventType,
    /// The ACL that filters recipients (READ needed).
    pub acl: Vec<Acl>,
}

/// What applying a transaction did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The result the requesting client gets.
    pub result: OpResult,
    /// Watch triggers, in order.
    pub triggers: Vec<Trigger>,
}

/// The whole tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTree {
    nodes: BTreeMap<String, Znode>,
}

impl Default for DataTree {
    fn default() -> Self {
        Self::new()
    }
}

/// Parent path of `p` ("/" for top-level nodes).
pub fn parent_of(p: &str) -> &str {
    match p.rfind('/') {
        Some(0) => "/",
        Some(i) => &p[..i],
        None => "",
    }
}

fn name_of(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or("")
}

const SPECIAL: [&str; 4] = ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"];

impl DataTree {
    /// The tree of an empty dataDir: `/`, `/zookeeper`, `/zookeeper/config`, `/zookeeper/quota`.
    pub fn new() -> DataTree {
        let mut nodes = BTreeMap::new();
        let open = acl::open_acl_unsafe();
        let mut root = Znode::new(Some(Vec::new()), open.clone(), Zxid(0));
        root.children.insert("zookeeper".into());
        let mut zk = Znode::new(Some(Vec::new()), open.clone(), Zxid(0));
        zk.children.insert("config".into());
        zk.children.insert("quota".into());
        let mut config = Znode::new(
            Some(Vec::new()),
            vec![Acl {
                perms: acl::READ,
                scheme: "world".into(),
                id: "anyone".into(),
            }],
            Zxid(0),
        );
        config.version = -1;
        config.aversion = -1;
        nodes.insert("/".to_string(), root);
        nodes.insert("/zookeeper".to_string(), zk);
        nodes.insert("/zookeeper/config".to_string(), config);
        nodes.insert(
            "/zookeeper/quota".to_string(),
            Znode::new(Some(Vec::new()), open, Zxid(0)),
        );
        DataTree { nodes }
    }

    /// A node.
    pub fn get(&self, path: &str) -> Option<&Znode> {
        self.nodes.get(path)
    }

    /// Every node, in path order.
    pub fn nodes(&self) -> impl Iterator<Item = (&String, &Znode)> {
        self.nodes.iter()
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Never empty (the root always exists).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Ephemerals owned by `session`, in path order.
    pub fn ephemerals_of(&self, session: SessionId) -> Vec<String> {
        self.nodes
            .iter()
            .filter(|(_, n)| n.ephemeral_owner == session && session.0 != 0)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// A cheap fingerprint of the whole tree, for comparing servers.
    pub fn digest(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |b: &[u8]| {
            for x in b {
                h ^= *x as u64;
                h = h.wrapping_mul(0x1000_0000_01b3);
            }
        };
        for (p, n) in &self.nodes {
            mix(p.as_bytes());
            mix(&n.mzxid.0.to_le_bytes());
            mix(&n.version.to_le_bytes());
            mix(&n.aversion.to_le_bytes());
            if let Some(d) = &n.data {
                mix(d);
            }
        }
        h
    }

    // ----- reads -----

    /// getData: NONODE, then READ.
    pub fn get_data(&self, path: &str, ids: &[Id]) -> Result<(Option<Vec<u8>>, Stat), ErrorCode> {
        let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
        if !acl::check(&n.acl, acl::READ, ids) {
            return Err(ErrorCode::NoAuth);
        }
        Ok((n.data.clone(), n.stat()))
    }

    /// exists (ZooKeeper 3.8.0 checks no permission).
    pub fn exists(&self, path: &str) -> Option<Stat> {
        self.nodes.get(path).map(|n| n.stat())
    }

    /// getChildren2: NONODE, then READ; children sorted by bytes.
    pub fn get_children(&self, path: &str, ids: &[Id]) -> Result<(Vec<String>, Stat), ErrorCode> {
        let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
        if !acl::check(&n.acl, acl::READ, ids) {
            return Err(ErrorCode::NoAuth);
        }
        Ok((n.children.iter().cloned().collect(), n.stat()))
    }

    /// getACL: NONODE, then READ or ADMIN; without ADMIN, digest ids read `user:x`.
    pub fn get_acl(&self, path: &str, ids: &[Id]) -> Result<(Vec<Acl>, Stat), ErrorCode> {
        let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
        let admin = acl::check(&n.acl, acl::ADMIN, ids);
        if !admin && !acl::check(&n.acl, acl::READ, ids) {
            return Err(ErrorCode::NoAuth);
        }
        let shown = n
            .acl
            .iter()
            .map(|a| {
                if !admin && a.scheme == "digest" {
                    let user = a.id.split(':').next().unwrap_or("");
                    Acl {
                        perms: a.perms,
                        scheme: a.scheme.clone(),
                        id: format!("{user}:x"),
                    }
                } else {
                    a.clone()
                }
            })
            .collect();
        Ok((shown, n.stat()))
    }

    // ----- validation (PrepRequestProcessor) -----

    /// Validates a write against this tree in ZooKeeper's check order and builds the
    /// transaction body (an error body when a check fails).
    pub fn prep(&self, op: &WriteOp, session: SessionId, ids: &[Id], _zxid: Zxid) -> TxnBody {
        if let WriteOp::Multi(ops) = op {
            let mut scratch = self.clone();
            let mut bodies = Vec::new();
            for (i, o) in ops.iter().enumerate() {
                match scratch.prep_one(o, session, ids) {
                    Ok(b) => {
                        let t = Txn {
                            zxid: Zxid(i64::MAX),
                            session,
                            body: b.clone(),
                        };
                        scratch.apply(&t);
                        bodies.push(b);
                    }
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
            return TxnBody::Multi(bodies);
        }
        match self.prep_one(op, session, ids) {
            Ok(b) => b,
            Err(e) => TxnBody::Error(e),
        }
    }

    fn prep_one(&self, op: &WriteOp, session: SessionId, ids: &[Id]) -> Result<TxnBody, ErrorCode> {
        match op {
            WriteOp::Create {
                path,
                data,
                acl: a,
                mode,
            } => {
                if !path.contains('/') || path.contains('\0') {
                    return Err(ErrorCode::BadArguments);
                }
                let fixed = acl::fixup(a, ids)?;
                let parent_path = parent_of(path);
                let parent = self.nodes.get(parent_path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&parent.acl, acl::CREATE, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                let final_path = if mode.is_sequential() {
                    format!("{path}{:010}", parent.child_creates)
                } else {
                    path.clone()
                };
                if !acl::is_valid_path(&final_path) {
                    return Err(ErrorCode::BadArguments);
                }
                if self.nodes.contains_key(&final_path) {
                    return Err(ErrorCode::NodeExists);
                }
                if parent.ephemeral_owner.0 != 0 {
                    return Err(ErrorCode::NoChildrenForEphemerals);
                }
                Ok(TxnBody::Create {
                    path: final_path,
                    data: data.clone(),
                    acl: fixed,
                    ephemeral_owner: if mode.is_ephemeral() {
                        session
                    } else {
                        SessionId(0)
                    },
                    container: *mode == CreateMode::Container,
                })
            }
            WriteOp::Delete { path, version } => {
                if !path.contains('/') || path.contains('\0') || SPECIAL.contains(&path.as_str()) {
                    return Err(ErrorCode::BadArguments);
                }
                let parent = self.nodes.get(parent_of(path)).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&parent.acl, acl::DELETE, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
                if *version != -1 && *version != n.version {
                    return Err(ErrorCode::BadVersion);
                }
                if !n.children.is_empty() {
                    return Err(ErrorCode::NotEmpty);
                }
                Ok(TxnBody::Delete { path: path.clone() })
            }
            WriteOp::SetData {
                path,
                data,
                version,
            } => {
                if !acl::is_valid_path(path) {
                    return Err(ErrorCode::BadArguments);
                }
                let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&n.acl, acl::WRITE, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                if *version != -1 && *version != n.version {
                    return Err(ErrorCode::BadVersion);
                }
                Ok(TxnBody::SetData {
                    path: path.clone(),
                    data: data.clone(),
                    version: n.version.wrapping_add(1),
                })
            }
            WriteOp::SetAcl {
                path,
                acl: a,
                version,
            } => {
                if !acl::is_valid_path(path) {
                    return Err(ErrorCode::BadArguments);
                }
                let fixed = acl::fixup(a, ids)?;
                let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&n.acl, acl::ADMIN, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                if *version != -1 && *version != n.aversion {
                    return Err(ErrorCode::BadVersion);
                }
                Ok(TxnBody::SetAcl {
                    path: path.clone(),
                    acl: fixed,
                    version: n.aversion.wrapping_add(1),
                })
            }
            WriteOp::Check { path, version } => {
                if !acl::is_valid_path(path) {
                    return Err(ErrorCode::BadArguments);
                }
                let n = self.nodes.get(path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&n.acl, acl::READ, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                if *version != -1 && *version != n.version {
                    return Err(ErrorCode::BadVersion);
                }
                Ok(TxnBody::Check)
            }
            WriteOp::Multi(_) => Err(ErrorCode::BadArguments),
        }
    }

    /// The closeSession body: the session's ephemerals, in path order.
    pub fn prep_close_session(&self, session: SessionId) -> TxnBody {
        TxnBody::CloseSession {
            paths: self.ephemerals_of(session),
        }
    }

    // ----- applying -----

    /// Applies a committed transaction.
    pub fn apply(&mut self, t: &Txn) -> Applied {
        let mut triggers = Vec::new();
        let result = self.apply_body(&t.body, t.zxid, &mut triggers);
        Applied { result, triggers }
    }

    fn apply_body(&mut self, body: &TxnBody, zxid: Zxid, tr: &mut Vec<Trigger>) -> OpResult {
        use crate::watch::EventType as E;
        match body {
            TxnBody::CreateSession { .. } | TxnBody::Check => OpResult::Done,
            TxnBody::Error(e) => OpResult::Err(*e),
            TxnBody::MultiError(codes) => OpResult::Multi(
                codes
                    .iter()
                    .map(|c| c.map(OpResult::Err).unwrap_or(OpResult::Done))
                    .collect(),
            ),
            TxnBody::CloseSession { paths } => {
                for p in paths {
                    self.delete_node(p, zxid, tr);
                }
                OpResult::Done
            }
            TxnBody::Create {
                path,
                data,
                acl: a,
                ephemeral_owner,
                container,
            } => {
                let parent_path = parent_of(path).to_string();
                let Some(parent) = self.nodes.get_mut(&parent_path) else {
                    return OpResult::Err(ErrorCode::NoNode);
                };
                parent.children.insert(name_of(path).to_string());
                parent.child_creates = parent.child_creates.wrapping_add(1);
                parent.pzxid = zxid;
                let parent_acl = parent.acl.clone();
                let mut n = Znode::new(data.clone(), a.clone(), zxid);
                n.ephemeral_owner = *ephemeral_owner;
                n.container = *container;
                self.nodes.insert(path.clone(), n);
                tr.push(Trigger {
                    path: path.clone(),
                    kind: E::NodeCreated,
                    acl: a.clone(),
                });
                tr.push(Trigger {
                    path: parent_path,
                    kind: E::NodeChildrenChanged,
                    acl: parent_acl,
                });
                OpResult::Created(path.clone())
            }
            TxnBody::Delete { path } => {
                self.delete_node(path, zxid, tr);
                OpResult::Done
            }
            TxnBody::SetData {
                path,
                data,
                version,
            } => {
                let Some(n) = self.nodes.get_mut(path) else {
                    return OpResult::Err(ErrorCode::NoNode);
                };
                n.data = Some(data.clone());
                n.version = *version;
                n.mzxid = zxid;
                tr.push(Trigger {
                    path: path.clone(),
                    kind: E::NodeDataChanged,
                    acl: n.acl.clone(),
                });
                OpResult::Stat(n.stat())
            }
            TxnBody::SetAcl {
                path,
                acl: a,
                version,
            } => {
                let Some(n) = self.nodes.get_mut(path) else {
                    return OpResult::Err(ErrorCode::NoNode);
                };
                n.acl = a.clone();
                n.aversion = *version;
                OpResult::Stat(n.stat())
            }
            TxnBody::Multi(bodies) => OpResult::Multi(
                bodies
                    .iter()
                    .map(|b| self.apply_body(b, zxid, tr))
                    .collect(),
            ),
        }
    }

    fn delete_node(&mut self, path: &str, zxid: Zxid, tr: &mut Vec<Trigger>) {
        use crate::watch::EventType as E;
        let Some(n) = self.nodes.remove(path) else {
            return;
        };
        let parent_path = parent_of(path).to_string();
        let mut parent_acl = Vec::new();
        if let Some(p) = self.nodes.get_mut(&parent_path) {
            p.children.remove(name_of(path));
            if zxid > p.pzxid {
                p.pzxid = zxid;
            }
            parent_acl = p.acl.clone();
        }
        tr.push(Trigger {
            path: path.to_string(),
            kind: E::NodeDeleted,
            acl: n.acl,
        });
        tr.push(Trigger {
            path: parent_path,
            kind: E::NodeChildrenChanged,
            acl: parent_acl,
        });
    }
}
