//! The page's components, one per panel.

mod app;
pub mod controls;
mod dialogs;
pub mod dots;
pub mod editor;
pub mod ensemble;
mod inspector;
pub mod lang;
mod legend;
pub mod lesson;
pub mod positioned;
pub mod recipe_chain;
mod script_error;
pub mod share;
pub mod tabs;
pub mod timeline;

pub use app::App;
pub use controls::Controls;
pub use dialogs::{Help, Notice, Settings};
pub use editor::ScriptEditor;
pub use ensemble::Ensemble;
pub use inspector::Inspector;
pub use lang::LangSwitch;
pub use legend::Legend;
pub use lesson::{LessonPanel, LessonPicker};
pub use recipe_chain::RecipeView;
pub use script_error::{ScriptErrorView, ScriptErrorViewProps};
pub use share::{LinkNoticeBar, ShareBox, ShareButton};
pub use tabs::Tabs;
pub use timeline::Timeline;
