//! # zkplay-web
//!
//! The zkplay page: Yew function components over [`zkplay_core`]. `main.rs` only mounts
//! [`App`]; everything else lives in this library so that the browser tests in
//! `web/tests/` can render it.
//!
//! The page runs a script through [`zkplay_core::script::run`] and shows what came out:
//! every server's state, the trace, or the script error.

mod components;
pub mod engine;
pub mod layout;
mod panic;
mod run;
pub mod scenario;
mod seed;
pub mod store;
pub mod view;

pub use components::{
    App, ScenarioPage, ScenarioPageProps, ScriptErrorView, ScriptErrorViewProps, ServerList,
    ServerListProps, TraceView, TraceViewProps,
};
pub use panic::{install_panic_hook, show_panic_overlay};
pub use run::{DEFAULT_FILE, DEFAULT_SCRIPT, RunView, ServerRow};
pub use seed::fresh_seed;
