//! A tiny static file server (std only) that records what was requested.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Serves the files under a directory on `127.0.0.1:<free port>`, one thread per
/// connection, until dropped. `GET /` serves `index.html`.
pub struct StaticServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Starts serving `root`.
    pub fn start(root: PathBuf) -> io::Result<StaticServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let accept_thread = {
            let (requests, stop) = (requests.clone(), stop.clone());
            let root = Arc::new(root);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (root, requests) = (root.clone(), requests.clone());
                    thread::spawn(move || {
                        // A browser may open a connection and never use it; time it out.
                        let _ = handle(stream, &root, &requests);
                    });
                }
            })
        };
        Ok(StaticServer {
            addr,
            requests,
            stop,
            accept_thread: Some(accept_thread),
        })
    }

    /// `http://127.0.0.1:<port><path>`; `path` starts with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request so far as `"<METHOD> <path> <status>"`, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("request log").clone()
    }

    /// The distinct paths requested so far, without query strings, sorted.
    pub fn requested_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .requests()
            .iter()
            .filter_map(|line| line.split(' ').nth(1))
            .map(|target| target.split(['?', '#']).next().unwrap_or(target).to_owned())
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves requests on one connection until the client closes it or goes quiet.
fn handle(stream: TcpStream, root: &Path, requests: &Mutex<Vec<String>>) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        // Skip the headers; requests from a browser for static files have no body.
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
                break;
            }
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let (status, content_type, body) = respond(method, target, root);
        requests
            .lock()
            .expect("request log")
            .push(format!("{method} {target} {status}"));

        let reason = match status {
            200 => "OK",
            404 => "Not Found",
            _ => "Method Not Allowed",
        };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\n\r\n",
            body.len()
        );
        writer.write_all(head.as_bytes())?;
        if method != "HEAD" {
            writer.write_all(&body)?;
        }
        writer.flush()?;
    }
}

/// `(status, content type, body)` for one request.
fn respond(method: &str, target: &str, root: &Path) -> (u16, &'static str, Vec<u8>) {
    if method != "GET" && method != "HEAD" {
        return (
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n".to_vec(),
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let relative = match path.strip_prefix('/') {
        Some("") => "index.html",
        Some(rest) => rest,
        None => "",
    };
    let relative = Path::new(relative);
    let safe = !relative.as_os_str().is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    match safe.then(|| std::fs::read(root.join(relative))) {
        Some(Ok(body)) => (200, content_type(relative), body),
        _ => (404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
    }
}

/// The MIME type for a file name. wasm must be `application/wasm`, or the browser will not
/// compile it while streaming.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" | "zks" | "jsonl" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
