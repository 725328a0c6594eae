//! Write requests and the replicated transactions the leader builds from them.

use crate::acl::Acl;
use crate::{ErrorCode, SessionId, Zxid};

/// `CreateMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateMode {
    /// PERSISTENT.
    Persistent,
    /// EPHEMERAL.
    Ephemeral,
    /// PERSISTENT_SEQUENTIAL.
    PersistentSequential,
    /// EPHEMERAL_SEQUENTIAL.
    EphemeralSequential,
    /// CONTAINER.
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
}

/// A write a client asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOp {
    /// create.
    Create {
        /// Path (before any sequential suffix).
        path: String,
        /// Data; None is null data.
        data: Option<Vec<u8>>,
        /// ACL.
        acl: Vec<Acl>,
        /// Mode.
        mode: CreateMode,
    },
    /// delete.
    Delete {
        /// Path.
        path: String,
        /// Expected version (-1 any).
        version: i32,
    },
    /// setData.
    SetData {
        /// Path.
        path: String,
        /// Data.
        data: Vec<u8>,
        /// Expected version (-1 any).
        version: i32,
    },
    /// setACL.
    SetAcl {
        /// Path.
        path: String,
        /// ACL.
        acl: Vec<Acl>,
        /// Expected aversion (-1 any).
        version: i32,
    },
    /// check (multi only).
    Check {
        /// Path.
        path: String,
        /// Expected version.
        version: i32,
    },
    /// multi.
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
            WriteOp::Multi(_) => "multi",
        }
    }
}

/// A transaction body, fully resolved so that applying it needs no validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnBody {
    /// createSession.
    CreateSession {
        /// Negotiated timeout.
        timeout_ms: u32,
    },
    /// closeSession: the ephemerals to delete, in path order.
    CloseSession {
        /// Paths.
        paths: Vec<String>,
    },
    /// create.
    Create {
        /// Final path (suffix included).
        path: String,
        /// Data.
        data: Option<Vec<u8>>,
        /// ACL after fixup.
        acl: Vec<Acl>,
        /// Owning session for ephemerals (0 otherwise).
        ephemeral_owner: SessionId,
        /// A container.
        container: bool,
    },
    /// delete.
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
        /// ACL after fixup.
        acl: Vec<Acl>,
        /// The new aversion.
        version: i32,
    },
    /// check.
    Check,
    /// A successful multi.
    Multi(Vec<TxnBody>),
    /// A failed write (an error transaction).
    Error(ErrorCode),
    /// A failed multi: one code per op (0 before the failure, the failure, RUNTIMEINCONSISTENCY after).
    MultiError(Vec<Option<ErrorCode>>),
}

/// A transaction as logged and replicated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txn {
    /// Its zxid.
    pub zxid: Zxid,
    /// The session that asked for it.
    pub session: SessionId,
    /// What it does.
    pub body: TxnBody,
}
