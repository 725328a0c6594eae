//! # zkplay-web
//!
//! The zkplay playground: a ZooKeeper ensemble simulated by [`zkplay_core`], animated in a
//! Yew page. `main.rs` only mounts [`App`]; everything else lives in this library so that the
//! browser tests in `web/tests/` can render it.
//!
//! - [`engine`]: the run and its timeline (snapshots, replay, forks);
//! - [`store`]: the one store and its actions;
//! - [`view`] and [`layout`]: what the ensemble view draws, as pure functions;
//! - `components/`: one component per panel; `hooks/`: the frame loop and the keyboard;
//! - [`api`]: the `window.zkplay` API.

pub mod api;
mod components;
pub mod engine;
pub mod hooks;
pub mod i18n;
pub mod layout;
pub mod lesson_state;
pub mod link;
pub mod panels;
mod panic;
pub mod scenario;
mod seed;
pub mod share;
pub mod store;
pub mod view;

pub use components::{App, ScriptErrorView, ScriptErrorViewProps};
pub use panic::{install_panic_hook, show_panic_overlay};
pub use seed::fresh_seed;
