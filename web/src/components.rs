//! The page's components, one per file.

mod app;
mod scenario;
mod script_error;
mod server_list;
mod trace_view;

pub use app::App;
pub use scenario::{ScenarioPage, ScenarioPageProps};
pub use script_error::{ScriptErrorView, ScriptErrorViewProps};
pub use server_list::{ServerList, ServerListProps};
pub use trace_view::{TraceView, TraceViewProps};
