//! Write requests ([`WriteOp`]) and the replicated transactions ([`Txn`]) the leader's
//! `PrepRequestProcessor` builds from them (spec/datatree.md §6, §9).
//!
//! A [`TxnBody`] is fully resolved: sequential names are final, ACLs are fixed up, the
//! parent's new child-creation counter and the new versions are computed. Applying one
//! ([`crate::tree::DataTree::apply`]) needs no validation and is deterministic.

use crate::acl::Acl;
use crate::{ErrorCode, SessionId, Zxid};

/// `CreateMode` (TTL modes are not offered: extended types are off by default, so a TTL
/// create would only ever fail with UNIMPLEMENTED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CreateMode {
    /// PERSISTENT (flag 0).
    Persistent,
    /// EPHEMERAL (flag 1, zkCli `-e`).
    Ephemeral,
    /// PERSISTENT_SEQUENTIAL (flag 2, `-s`).
    PersistentSequential,
    /// EPHEMERAL_SEQUENTIAL (flag 3, `-s -e`).
    EphemeralSequential,
    /// CONTAINER (flag 4, `-c`, opcode createContainer).
    Container,
}

impl CreateMode {
    /// Ephemeral modes.
    pub fn is_ephemeral(self) -> bool {
        matches!(
            self,
            CreateMode::Ephemeral | CreateMode::EphemeralSequential
        )
    }
    /// Sequential modes.
    pub fn is_sequential(self) -> bool {
        matches!(
            self,
            CreateMode::PersistentSequential | CreateMode::EphemeralSequential
        )
    }
    /// The container mode.
    pub fn is_container(self) -> bool {
        self == CreateMode::Container
    }
    /// The wire flag value.
    pub fn flag(self) -> i32 {
        match self {
            CreateMode::Persistent => 0,
            CreateMode::Ephemeral => 1,
            CreateMode::PersistentSequential => 2,
            CreateMode::EphemeralSequential => 3,
            CreateMode::Container => 4,
        }
    }
}

/// A write a client asks for (one request, one zxid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOp {
    /// create / createContainer.
    Create {
        /// Path (the prefix, for a sequential create).
        path: String,
        /// Data; None is null data (zkCli `create /a` without data).
        data: Option<Vec<u8>>,
        /// ACL as the client sent it (before fixupACL).
        acl: Vec<Acl>,
        /// Mode.
        mode: CreateMode,
    },
    /// delete.
    Delete {
        /// Path.
        path: String,
        /// Expected version (-1: any).
        version: i32,
    },
    /// setData.
    SetData {
        /// Path.
        path: String,
        /// Data.
        data: Vec<u8>,
        /// Expected version (-1: any).
        version: i32,
    },
    /// setACL.
    SetAcl {
        /// Path.
        path: String,
        /// ACL as the client sent it.
        acl: Vec<Acl>,
        /// Expected aversion (-1: any).
        version: i32,
    },
    /// check (meant for multi).
    Check {
        /// Path.
        path: String,
        /// Expected version (-1: any).
        version: i32,
    },
    /// deleteContainer: issued by the leader's container manager, never by clients.
    DeleteContainer {
        /// Path.
        path: String,
    },
    /// multi: create / delete / setData / check sub-operations, all or nothing.
    Multi(Vec<WriteOp>),
}

impl WriteOp {
    /// The request's opcode name.
    pub fn kind(&self) -> &'static str {
        match self {
            WriteOp::Create {
                mode: CreateMode::Container,
                ..
            } => "createContainer",
            WriteOp::Create { .. } => "create",
            WriteOp::Delete { .. } => "delete",
            WriteOp::SetData { .. } => "setData",
            WriteOp::SetAcl { .. } => "setACL",
            WriteOp::Check { .. } => "check",
            WriteOp::DeleteContainer { .. } => "deleteContainer",
            WriteOp::Multi(_) => "multi",
        }
    }
    /// The path the caller passed (the multi's: none).
    pub fn path(&self) -> Option<&str> {
        match self {
            WriteOp::Create { path, .. }
            | WriteOp::Delete { path, .. }
            | WriteOp::SetData { path, .. }
            | WriteOp::SetAcl { path, .. }
            | WriteOp::Check { path, .. }
            | WriteOp::DeleteContainer { path } => Some(path),
            WriteOp::Multi(_) => None,
        }
    }
    /// May this op appear inside a multi? (`MultiOperationRecord` knows create, delete,
    /// setData and check.)
    pub fn allowed_in_multi(&self) -> bool {
        matches!(
            self,
            WriteOp::Create { .. }
                | WriteOp::Delete { .. }
                | WriteOp::SetData { .. }
                | WriteOp::Check { .. }
        )
    }
}

/// A transaction body, fully resolved so that applying it needs no validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnBody {
    /// createSession (no tree change).
    CreateSession {
        /// Negotiated timeout.
        timeout_ms: u32,
    },
    /// closeSession: the ephemerals to delete, in path order (the real server sends them in
    /// hash order). All deletions carry this txn's zxid.
    CloseSession {
        /// Paths.
        paths: Vec<String>,
    },
    /// create / createContainer.
    Create {
        /// Final path (sequential suffix included).
        path: String,
        /// Data (None = null).
        data: Option<Vec<u8>>,
        /// ACL after fixupACL.
        acl: Vec<Acl>,
        /// Owning session for ephemerals (0 otherwise).
        ephemeral_owner: SessionId,
        /// A container node.
        container: bool,
        /// The parent's child-creation counter after this create (`parentCVersion`).
        parent_cversion: i32,
    },
    /// delete / deleteContainer.
    Delete {
        /// Path.
        path: String,
    },
    /// setData.
    SetData {
        /// Path.
        path: String,
        /// Data.
        data: Vec<u8>,
        /// The new version.
        version: i32,
    },
    /// setACL.
    SetAcl {
        /// Path.
        path: String,
        /// ACL after fixupACL.
        acl: Vec<Acl>,
        /// The new aversion.
        version: i32,
    },
    /// check (no tree change).
    Check {
        /// Path.
        path: String,
    },
    /// A successful multi: the sub-transactions, in op order.
    Multi(Vec<TxnBody>),
    /// A failed write (an error transaction: consumes a zxid, changes nothing).
    Error(ErrorCode),
    /// A failed multi: one entry per op, None (OK) before the failing op, its code, then
    /// RUNTIMEINCONSISTENCY. Changes nothing.
    MultiError(Vec<Option<ErrorCode>>),
}

impl TxnBody {
    /// The opcode name as ZooKeeper logs it.
    pub fn kind(&self) -> &'static str {
        match self {
            TxnBody::CreateSession { .. } => "createSession",
            TxnBody::CloseSession { .. } => "closeSession",
            TxnBody::Create {
                container: true, ..
            } => "createContainer",
            TxnBody::Create { .. } => "create",
            TxnBody::Delete { .. } => "delete",
            TxnBody::SetData { .. } => "setData",
            TxnBody::SetAcl { .. } => "setACL",
            TxnBody::Check { .. } => "check",
            TxnBody::Multi(_) | TxnBody::MultiError(_) => "multi",
            TxnBody::Error(_) => "error",
        }
    }
    /// The error a failed body reports to the client (a failed multi: the failing op's code).
    pub fn error(&self) -> Option<ErrorCode> {
        match self {
            TxnBody::Error(e) => Some(*e),
            TxnBody::MultiError(codes) => codes.iter().flatten().copied().next(),
            _ => None,
        }
    }
}

/// A transaction as logged and replicated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txn {
    /// Its zxid.
    pub zxid: Zxid,
    /// The session that asked for it (the owner of ephemerals it creates).
    pub session: SessionId,
    /// What it does.
    pub body: TxnBody,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_kinds() {
        assert!(
            CreateMode::EphemeralSequential.is_ephemeral()
                && CreateMode::EphemeralSequential.is_sequential()
        );
        assert!(!CreateMode::Container.is_ephemeral() && CreateMode::Container.is_container());
        assert_eq!(CreateMode::Container.flag(), 4);
        let c = WriteOp::Create {
            path: "/a".into(),
            data: None,
            acl: vec![],
            mode: CreateMode::Container,
        };
        assert_eq!(c.kind(), "createContainer");
        assert!(c.allowed_in_multi());
        assert!(
            !WriteOp::SetAcl {
                path: "/a".into(),
                acl: vec![],
                version: -1
            }
            .allowed_in_multi()
        );
        assert_eq!(c.path(), Some("/a"));
        let failed = TxnBody::MultiError(vec![
            None,
            Some(ErrorCode::NoNode),
            Some(ErrorCode::RuntimeInconsistency),
        ]);
        assert_eq!(failed.error(), Some(ErrorCode::NoNode));
        assert_eq!(failed.kind(), "multi");
    }
}
