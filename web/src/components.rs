//! The page's components, one per panel.

mod app;
pub mod controls;
mod dialogs;
pub mod ensemble;
mod inspector;
mod legend;
pub mod positioned;
mod script_error;
pub mod tabs;
pub mod timeline;

pub use app::App;
pub use controls::Controls;
pub use dialogs::{Help, Notice, Settings};
pub use ensemble::Ensemble;
pub use inspector::Inspector;
pub use legend::Legend;
pub use script_error::{ScriptErrorView, ScriptErrorViewProps};
pub use tabs::Tabs;
pub use timeline::Timeline;
