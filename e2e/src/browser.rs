//! Headless Chromium driven through chromedriver with fantoccini.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::{Error, screenshots_dir};

/// How long the `wait_for*` helpers wait before they fail.
const WAIT: Duration = Duration::from_secs(15);

/// A browser viewport in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl Viewport {
    /// A common laptop screen.
    pub const DESKTOP: Viewport = Viewport {
        width: 1366,
        height: 768,
    };
    /// A phone held upright.
    pub const PHONE: Viewport = Viewport {
        width: 390,
        height: 844,
    };
}

/// One message from the browser console (chromedriver's browser log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleMessage {
    /// `SEVERE`, `WARNING`, `INFO` or `DEBUG`.
    pub level: String,
    /// The text, prefixed with its source location.
    pub message: String,
}

/// A headless Chromium session in a fresh profile, with its own chromedriver.
///
/// Call [`Browser::close`] at the end of a test. If a test panics first, dropping the
/// `Browser` kills chromedriver's process group (Chromium included) and removes the profile.
pub struct Browser {
    client: Client,
    console: Mutex<Vec<ConsoleMessage>>,
    // Dropped after the client: kills chromedriver, then removes the profile.
    _driver: ChromeDriver,
    _profile: Profile,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session with `viewport`.
    pub async fn start(viewport: Viewport) -> Result<Browser, Error> {
        let profile = Profile::new()?;
        let driver = ChromeDriver::start()?;
        let mut options = json!({
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                // Frames at full rate even when the window is not focused or visible, so
                // that animation figures (e2e/tests/bench.rs) are the page's own.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                format!("--window-size={},{}", viewport.width, viewport.height),
                format!("--user-data-dir={}", profile.0.display()),
            ]
        });
        let binary = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
        if std::path::Path::new(&binary).exists() {
            options["binary"] = json!(binary);
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("an object")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await?;
        let browser = Browser {
            client,
            console: Mutex::new(Vec::new()),
            _driver: driver,
            _profile: profile,
        };
        browser.set_viewport(viewport).await?;
        Ok(browser)
    }

    /// The fantoccini client, for anything the helpers here do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Loads `url` and waits for the document to finish loading.
    pub async fn goto(&self, url: &str) -> Result<(), Error> {
        Ok(self.client.goto(url).await?)
    }

    /// Resizes the window so that the page's viewport is exactly `viewport`.
    pub async fn set_viewport(&self, viewport: Viewport) -> Result<(), Error> {
        let (mut width, mut height) = (viewport.width, viewport.height);
        for _ in 0..3 {
            self.client.set_window_size(width, height).await?;
            let (inner_width, inner_height) = self.inner_size().await?;
            if (inner_width, inner_height) == (viewport.width, viewport.height) {
                return Ok(());
            }
            // The window may be larger than its viewport by the browser's frame: add that.
            width = (width + viewport.width).saturating_sub(inner_width);
            height = (height + viewport.height).saturating_sub(inner_height);
        }
        let actual = self.inner_size().await?;
        Err(format!("viewport is {actual:?}, wanted {viewport:?}").into())
    }

    async fn inner_size(&self) -> Result<(u32, u32), Error> {
        let size = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await?;
        let dim = |i: usize| size[i].as_u64().and_then(|v| u32::try_from(v).ok());
        match (dim(0), dim(1)) {
            (Some(w), Some(h)) => Ok((w, h)),
            _ => Err(format!("unexpected window size {size}").into()),
        }
    }

    /// Waits for the first element that matches the CSS `selector`.
    pub async fn wait_for(&self, selector: &str) -> Result<Element, Error> {
        let found = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await;
        found.map_err(|err| format!("no `{selector}` after {WAIT:?}: {err}").into())
    }

    /// Waits until exactly `count` elements match the CSS `selector`, and returns them.
    pub async fn wait_for_count(
        &self,
        selector: &str,
        count: usize,
    ) -> Result<Vec<Element>, Error> {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self.client.find_all(Locator::Css(selector)).await?;
            if found.len() == count {
                return Ok(found);
            }
            if Instant::now() > deadline {
                let body = self.client.source().await.unwrap_or_default();
                return Err(format!(
                    "`{selector}` matched {} elements, not {count}, after {WAIT:?}; page:\n{body}",
                    found.len()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a PNG of the viewport as `screenshots/NAME.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf, Error> {
        let png = self.client.screenshot().await?;
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, &png)?;
        Ok(path)
    }

    /// Everything the browser console has printed in this session so far.
    pub async fn console_messages(&self) -> Result<Vec<ConsoleMessage>, Error> {
        // chromedriver hands each log entry out once, so keep what it returned before.
        let entries = self.client.issue_cmd(GetBrowserLog).await?;
        let mut console = self.console.lock().expect("console log");
        for entry in entries.as_array().into_iter().flatten() {
            let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
            console.push(ConsoleMessage {
                level: text("level"),
                message: text("message"),
            });
        }
        Ok(console.clone())
    }

    /// The console messages at level `SEVERE`: errors, failed loads, CSP violations, panics.
    pub async fn severe_console_messages(&self) -> Result<Vec<ConsoleMessage>, Error> {
        let all = self.console_messages().await?;
        Ok(all.into_iter().filter(|m| m.level == "SEVERE").collect())
    }

    /// Ends the session (Chromium exits), then stops chromedriver and removes the profile.
    pub async fn close(self) -> Result<(), Error> {
        let Browser {
            client,
            _driver,
            _profile,
            ..
        } = self;
        client.close().await?;
        Ok(())
    }
}

/// Width and height from a PNG's header.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.get(..8)? != b"\x89PNG\r\n\x1a\n" || png.get(12..16)? != b"IHDR" {
        return None;
    }
    let be = |at: usize| Some(u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?));
    Some((be(16)?, be(20)?))
}

/// chromedriver's `POST /session/{id}/se/log` for the `browser` log, which W3C WebDriver
/// (and so fantoccini) has no command for.
#[derive(Debug)]
struct GetBrowserLog;

impl WebDriverCompatibleCommand for GetBrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// A chromedriver process in its own process group, listening on `127.0.0.1:port`.
struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    fn start() -> Result<ChromeDriver, Error> {
        use std::os::unix::process::CommandExt as _;
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = free_port()?;
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own group, so that a drop can stop Chromium along with it.
            .process_group(0)
            .spawn()
            .map_err(|err| format!("cannot run {binary} ({err}): run scripts/setup.sh"))?;
        let mut driver = ChromeDriver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if let Some(status) = driver.child.try_wait()? {
                return Err(format!("{binary} exited at start: {status}").into());
            }
            if Instant::now() > deadline {
                return Err(format!("{binary} did not listen on port {port} within 20 s").into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The group id is chromedriver's pid (process_group(0)); after a clean `close` only
        // chromedriver is left in it, after a panic Chromium may be too.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh, empty `--user-data-dir` under `$TMPDIR`, removed on drop.
struct Profile(PathBuf);

impl Profile {
    fn new() -> std::io::Result<Profile> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("zkplay-e2e-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Profile(dir))
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}
