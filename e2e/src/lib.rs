//! # zkplay-e2e
//!
//! A harness for end-to-end tests of the built page: [`StaticServer`] serves `dist/` (the
//! output of `trunk build --release`) on `127.0.0.1:0` and records every request, and
//! [`Browser`] drives headless Chromium through chromedriver with fantoccini.
//!
//! ```text
//! let server = StaticServer::start(dist_dir())?;
//! let browser = Browser::start(Viewport::DESKTOP).await?;
//! browser.goto(&server.url("/")).await?;
//! let servers = browser.wait_for_count("#servers li.server", 3).await?;
//! browser.screenshot("home-desktop").await?;
//! let errors = browser.severe_console_messages().await?;
//! browser.close().await?;
//! ```
//!
//! scripts/test.sh runs these tests after `trunk build --release`, with
//! `TMPDIR=target/tmp` so that chromedriver's leftovers stay inside the project.

mod browser;
mod server;
pub mod steps;

pub use browser::{Browser, ConsoleMessage, Viewport, png_size};
pub use server::StaticServer;

use std::path::{Path, PathBuf};

/// A boxed error for test code.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The workspace root (the directory above `e2e/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ has a parent")
        .to_path_buf()
}

/// `dist/`, checked to hold a build: panics with what to run if it does not.
pub fn dist_dir() -> PathBuf {
    // ZKPLAY_DIST: another build to measure (scripts/bench-browser.sh compares two builds).
    let dist = std::env::var_os("ZKPLAY_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: run `trunk build --release` first \
         (scripts/test.sh does, with tools/node_modules/.bin on PATH)",
        dist.display()
    );
    dist
}

/// Where screenshots go: `screenshots/` at the workspace root (git-ignored).
pub fn screenshots_dir() -> PathBuf {
    workspace_root().join("screenshots")
}
