//! The `.zks` scenario language: lexing, parsing and running scripts.

pub mod ast;
pub mod lesson;
pub mod lexer;
pub mod parser;
pub mod runner;
pub mod source;
pub mod zkcli;

pub use ast::{ConfigSpec, Directive, Line, NetworkSpec, Script, ZkCommand};
pub use parser::{ScriptError, parse, parse_zk_command};
pub use runner::{Player, PlayerEvent, RunError, RunOptions, RunOutput, run};
