//! Validation of writes against the tree plus the change records of the request so far
//! (`PrepRequestProcessor.pRequest2Txn` and its `ChangeRecord`s).

use std::collections::BTreeMap;

use super::{DataTree, SPECIAL_PATHS, Znode};
use crate::acl::{self, Acl, Id};
use crate::txn::{TxnBody, WriteOp};
use crate::{ErrorCode, SessionId};

/// What validation needs to know of a node (ZooKeeper's `ChangeRecord`).
#[derive(Debug, Clone)]
struct Rec {
    acl: std::rc::Rc<[Acl]>,
    version: i32,
    child_creates: i32,
    aversion: i32,
    child_count: usize,
    ephemeral: bool,
}

impl Rec {
    fn of(n: &Znode) -> Rec {
        Rec {
            acl: n.acl.clone(),
            version: n.version,
            child_creates: n.child_creates,
            aversion: n.aversion,
            child_count: n.children.len(),
            ephemeral: n.is_ephemeral(),
        }
    }
}

/// The tree plus the change records of the ops validated so far in this request
/// (`outstandingChanges` of one multi; None = deleted).
pub(super) struct Pending<'a> {
    tree: &'a DataTree,
    changes: BTreeMap<String, Option<Rec>>,
    /// Records are kept only for a multi: a single op has no later op to see them.
    keep: bool,
}

fn version_ok(expected: i32, current: i32) -> Result<i32, ErrorCode> {
    if expected != -1 && expected != current {
        return Err(ErrorCode::BadVersion);
    }
    Ok(current.wrapping_add(1))
}

impl<'a> Pending<'a> {
    /// `keep`: record the changes (a multi's ops see the earlier ones').
    pub(super) fn new(tree: &'a DataTree, keep: bool) -> Pending<'a> {
        Pending {
            tree,
            changes: BTreeMap::new(),
            keep,
        }
    }

    /// `getRecordForPath` (`""` is the root's alias).
    fn get(&self, path: &str) -> Option<Rec> {
        let key = if path.is_empty() { "/" } else { path };
        match self.changes.get(key) {
            Some(r) => r.clone(),
            None => self.tree.nodes.get(key).map(Rec::of),
        }
    }

    fn put(&mut self, path: &str, rec: Option<Rec>) {
        if !self.keep {
            return;
        }
        let key = if path.is_empty() { "/" } else { path };
        self.changes.insert(key.to_string(), rec);
    }

    pub(super) fn prep_one(
        &mut self,
        op: &WriteOp,
        session: SessionId,
        ids: &[Id],
    ) -> Result<TxnBody, ErrorCode> {
        match op {
            WriteOp::Create {
                path,
                data,
                acl: a,
                mode,
            } => {
                let Some(slash) = path.rfind('/') else {
                    return Err(ErrorCode::BadArguments);
                };
                if path.contains('\0') {
                    return Err(ErrorCode::BadArguments);
                }
                let fixed = acl::fixup(a, ids)?;
                let parent_path = &path[..slash];
                let mut parent = self.get(parent_path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&parent.acl, acl::CREATE, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                let path = if mode.is_sequential() {
                    format!("{path}{:010}", parent.child_creates)
                } else {
                    path.clone()
                };
                if !acl::is_valid_path(&path) {
                    return Err(ErrorCode::BadArguments);
                }
                if self.get(&path).is_some() {
                    return Err(ErrorCode::NodeExists);
                }
                if parent.ephemeral {
                    return Err(ErrorCode::NoChildrenForEphemerals);
                }
                let parent_cversion = parent.child_creates.wrapping_add(1);
                parent.child_creates = parent_cversion;
                parent.child_count += 1;
                self.put(parent_path, Some(parent));
                let ephemeral = mode.is_ephemeral();
                if self.keep {
                    self.put(
                        &path,
                        Some(Rec {
                            acl: fixed.as_slice().into(),
                            version: 0,
                            child_creates: 0,
                            aversion: 0,
                            child_count: 0,
                            ephemeral,
                        }),
                    );
                }
                Ok(TxnBody::Create {
                    path,
                    data: data.clone(),
                    acl: fixed,
                    ephemeral_owner: if ephemeral { session } else { SessionId(0) },
                    container: mode.is_container(),
                    parent_cversion,
                })
            }
            WriteOp::Delete { path, version } => {
                let parent_path = parent_checked(path)?;
                let mut parent = self.get(parent_path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&parent.acl, acl::DELETE, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                let node = self.get(path).ok_or(ErrorCode::NoNode)?;
                version_ok(*version, node.version)?;
                if node.child_count > 0 {
                    return Err(ErrorCode::NotEmpty);
                }
                parent.child_count = parent.child_count.saturating_sub(1);
                self.put(parent_path, Some(parent));
                self.put(path, None);
                Ok(TxnBody::Delete { path: path.clone() })
            }
            WriteOp::DeleteContainer { path } => {
                let parent_path = parent_checked(path)?;
                let node = self.get(path).ok_or(ErrorCode::NoNode)?;
                if node.child_count > 0 {
                    return Err(ErrorCode::NotEmpty);
                }
                if node.ephemeral {
                    return Err(ErrorCode::BadVersion);
                }
                let mut parent = self.get(parent_path).ok_or(ErrorCode::NoNode)?;
                parent.child_count = parent.child_count.saturating_sub(1);
                self.put(parent_path, Some(parent));
                self.put(path, None);
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
                let mut node = self.get(path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&node.acl, acl::WRITE, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                let new_version = version_ok(*version, node.version)?;
                node.version = new_version;
                self.put(path, Some(node));
                Ok(TxnBody::SetData {
                    path: path.clone(),
                    data: data.clone(),
                    version: new_version,
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
                let mut node = self.get(path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&node.acl, acl::ADMIN, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                let new_version = version_ok(*version, node.aversion)?;
                node.aversion = new_version;
                self.put(path, Some(node));
                Ok(TxnBody::SetAcl {
                    path: path.clone(),
                    acl: fixed,
                    version: new_version,
                })
            }
            WriteOp::Check { path, version } => {
                if !acl::is_valid_path(path) {
                    return Err(ErrorCode::BadArguments);
                }
                let node = self.get(path).ok_or(ErrorCode::NoNode)?;
                if !acl::check(&node.acl, acl::READ, ids) {
                    return Err(ErrorCode::NoAuth);
                }
                version_ok(*version, node.version)?;
                Ok(TxnBody::Check { path: path.clone() })
            }
            WriteOp::Multi(_) => Err(ErrorCode::BadArguments),
        }
    }
}

/// `getParentPathAndValidate`: BADARGUMENTS for no `/`, a NUL or a special path.
fn parent_checked(path: &str) -> Result<&str, ErrorCode> {
    match path.rfind('/') {
        Some(i) if !path.contains('\0') && !SPECIAL_PATHS.contains(&path) => Ok(&path[..i]),
        _ => Err(ErrorCode::BadArguments),
    }
}
