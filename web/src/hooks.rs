//! The page's hooks: the frame loop and the keyboard shortcuts.

mod use_frame_loop;
mod use_keyboard;

pub use use_frame_loop::use_frame_loop;
pub use use_keyboard::{SHORTCUTS, Shortcut, shortcut_for, use_keyboard};
