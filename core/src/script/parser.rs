//! Placeholder: the parser is being written.
use super::ast::{Script, ZkCommand};

/// A parse error (placeholder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// Message.
    pub message: String,
}

/// Parses a script (placeholder).
pub fn parse(_src: &str) -> Result<Script, ScriptError> {
    Ok(Script::default())
}

/// Parses one zkCli command line (placeholder).
pub fn parse_zk_command(_text: &str) -> Result<ZkCommand, ScriptError> {
    Ok(ZkCommand::Close)
}
