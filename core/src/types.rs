//! Small value types shared by every part of the simulator: ids, zxids and simulated time.

use std::fmt;

/// Simulated time in milliseconds since the simulation began. The core's only clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

impl SimTime {
    /// The instant `ms` milliseconds after this one (saturating).
    pub fn plus(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

/// A server's `myid` (1..=255).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerId(pub u8);

impl fmt::Display for ServerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A ZooKeeper session id (the real server puts its own id in the top byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SessionId(pub u64);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}", self.0)
    }
}

/// A ZooKeeper transaction id: epoch in the high 32 bits, counter in the low 32 bits.
///
/// Stored as the signed 64-bit value ZooKeeper uses, so that the "unset" values of the
/// election (-1, `i64::MIN` for observers) compare exactly as they do in Java.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Zxid(pub i64);

impl Zxid {
    /// The zxid with epoch `epoch` and counter `counter`.
    pub fn new(epoch: u32, counter: u32) -> Zxid {
        Zxid(((epoch as i64) << 32) | counter as i64)
    }
    /// The epoch (high 32 bits).
    pub fn epoch(self) -> u32 {
        (self.0 >> 32) as u32
    }
    /// The counter (low 32 bits).
    pub fn counter(self) -> u32 {
        (self.0 & 0xffff_ffff) as u32
    }
}

impl fmt::Display for Zxid {
    /// Lower-case hex without padding, as zkCli prints it: `0x100000002`, `0x0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            write!(f, "-0x{:x}", (self.0 as i128).unsigned_abs())
        } else {
            write!(f, "0x{:x}", self.0)
        }
    }
}

/// A ZooKeeper error code, serialized in traces as its capitalised name (`NONODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorCode {
    /// The node does not exist.
    NoNode,
    /// The node already exists.
    NodeExists,
    /// The node has children.
    NotEmpty,
    /// The expected version does not match.
    BadVersion,
    /// Ephemeral nodes may not have children.
    NoChildrenForEphemerals,
    /// Not authorised.
    NoAuth,
    /// Invalid ACL.
    InvalidAcl,
    /// Invalid arguments (e.g. an invalid path).
    BadArguments,
    /// The connection to the server was lost.
    ConnectionLoss,
    /// The session has expired.
    SessionExpired,
    /// The session moved to another server.
    SessionMoved,
    /// Client authentication failed (bad scheme).
    AuthFailed,
    /// Operation unimplemented.
    Unimplemented,
    /// A sub-operation of a failed multi that was not itself the failure.
    RuntimeInconsistency,
    /// Invalid callback / unclassified API error.
    ApiError,
}

impl ErrorCode {
    /// The name used in traces (`KeeperException.Code` in capitals).
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::NoNode => "NONODE",
            ErrorCode::NodeExists => "NODEEXISTS",
            ErrorCode::NotEmpty => "NOTEMPTY",
            ErrorCode::BadVersion => "BADVERSION",
            ErrorCode::NoChildrenForEphemerals => "NOCHILDRENFOREPHEMERALS",
            ErrorCode::NoAuth => "NOAUTH",
            ErrorCode::InvalidAcl => "INVALIDACL",
            ErrorCode::BadArguments => "BADARGUMENTS",
            ErrorCode::ConnectionLoss => "CONNECTIONLOSS",
            ErrorCode::SessionExpired => "SESSIONEXPIRED",
            ErrorCode::SessionMoved => "SESSIONMOVED",
            ErrorCode::AuthFailed => "AUTHFAILED",
            ErrorCode::Unimplemented => "UNIMPLEMENTED",
            ErrorCode::RuntimeInconsistency => "RUNTIMEINCONSISTENCY",
            ErrorCode::ApiError => "APIERROR",
        }
    }
    /// The numeric `KeeperException.Code` value.
    pub fn code(self) -> i32 {
        match self {
            ErrorCode::RuntimeInconsistency => -2,
            ErrorCode::ConnectionLoss => -4,
            ErrorCode::Unimplemented => -6,
            ErrorCode::BadArguments => -8,
            ErrorCode::ApiError => -100,
            ErrorCode::NoNode => -101,
            ErrorCode::NoAuth => -102,
            ErrorCode::BadVersion => -103,
            ErrorCode::NoChildrenForEphemerals => -108,
            ErrorCode::NodeExists => -110,
            ErrorCode::NotEmpty => -111,
            ErrorCode::SessionExpired => -112,
            ErrorCode::InvalidAcl => -114,
            ErrorCode::AuthFailed => -115,
            ErrorCode::SessionMoved => -118,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zxid_parts_and_hex() {
        let z = Zxid::new(1, 2);
        assert_eq!(z.0, 0x1_0000_0002);
        assert_eq!((z.epoch(), z.counter()), (1, 2));
        assert_eq!(z.to_string(), "0x100000002");
        assert_eq!(Zxid(0).to_string(), "0x0");
        assert_eq!(Zxid(-1).to_string(), "-0x1");
    }
}
