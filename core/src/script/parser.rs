//! Parsing a `.zks` scenario script into a [`Script`] (language: docs/scenario-script.md).
//!
//! Besides the syntax of each line, the parser makes the checks that need no simulation:
//! * `servers` appears at most once, before every directive except `config`, `network` and
//!   `history`;
//! * `config`, `network` and `history` come before the first `start`;
//! * every server id a line names is one that `servers` declared;
//! * a client is `connect`ed before a `NAME: command` or `expire NAME` line uses it;
//! * `4lw` names a word the simulated servers answer (ruok, srvr, stat, mntr, conf, cons);
//! * a script has at most one `title`; a quiz's answer names a declared server or a
//!   connected client;
//! * a client runs at most one recipe at a time, and `recipe resign`/`recipe unlock` name a
//!   client of an election/lock recipe.
//!
//! A bare `start` (no ids) is stored with every declared server, in id order.

use std::collections::BTreeSet;
use std::fmt;

use super::ast::{ConfigSpec, Directive, FourLetterWord, Line, NetworkSpec, Script};
use super::lexer::{LexedLine, QuoteStyle, Word, lex_line, lines, show};
use super::zkcli::parse_words;
use crate::types::{ServerId, Zxid};

pub use super::zkcli::parse_zk_command;

mod lesson;

/// Why a script (or a console command) does not parse: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    /// What was expected and what was found.
    pub message: String,
}

impl ScriptError {
    /// An error at `line`:`col`.
    pub fn new(line: u32, col: u32, message: impl Into<String>) -> ScriptError {
        ScriptError {
            line,
            col,
            message: message.into(),
        }
    }
}

impl fmt::Display for ScriptError {
    /// `line:col: message` (the runner puts the file name in front).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ScriptError {}

/// Parses a whole script. Nothing may run from a script that does not parse.
pub fn parse(src: &str) -> Result<Script, ScriptError> {
    let mut p = Parser::default();
    let mut out = Vec::new();
    for (line, raw) in lines(src) {
        let lexed = lex_line(raw, line, QuoteStyle::Script)?;
        if lexed.words.is_empty() {
            continue;
        }
        let directive = p.directive(raw, line, &lexed)?;
        out.push(Line { line, directive });
    }
    Ok(Script { lines: out })
}

/// The `servers` line, once seen.
struct Ensemble {
    line: u32,
    voters: u8,
    observers: Vec<ServerId>,
}

impl Ensemble {
    fn contains(&self, id: u8) -> bool {
        (1..=self.voters).contains(&id) || self.observers.contains(&ServerId(id))
    }
    fn all(&self) -> Vec<ServerId> {
        let mut ids: Vec<ServerId> = (1..=self.voters).map(ServerId).collect();
        let mut obs = self.observers.clone();
        obs.sort();
        ids.extend(obs);
        ids
    }
    fn describe(&self) -> String {
        let mut s = if self.voters == 1 {
            "server 1".to_string()
        } else {
            format!("servers 1..{}", self.voters)
        };
        if !self.observers.is_empty() {
            let obs: Vec<String> = self.observers.iter().map(|o| o.0.to_string()).collect();
            s.push_str(&format!(" and observers {}", obs.join(", ")));
        }
        s
    }
}

/// What the parser remembers between lines.
#[derive(Default)]
struct Parser {
    ensemble: Option<Ensemble>,
    first_start: Option<u32>,
    clients: BTreeSet<String>,
    /// `history` lines seen before `servers`: (line, col, id), checked when `servers` comes.
    early_history: Vec<(u32, u32, u8)>,
    /// The `title` line, once seen.
    title_line: Option<u32>,
    /// Clients running a recipe now: its kind and the line that started it.
    recipes: std::collections::BTreeMap<String, (crate::recipe::RecipeKind, u32)>,
    /// Every client named by a recipe line, in order (a `holder=` quiz's choices).
    recipe_clients: Vec<String>,
}

/// The words of one line after its first, with error helpers.
struct Args<'a> {
    words: &'a [Word],
    pos: usize,
    line: u32,
    end_col: u32,
}

impl<'a> Args<'a> {
    fn peek(&self) -> Option<&'a Word> {
        self.words.get(self.pos)
    }
    fn next(&mut self) -> Option<&'a Word> {
        let w = self.words.get(self.pos);
        if w.is_some() {
            self.pos += 1;
        }
        w
    }
    fn at(&self, col: u32, msg: impl Into<String>) -> ScriptError {
        ScriptError::new(self.line, col, msg)
    }
    /// `expected WHAT, found "word"` at `w`, or `found end of line` at the end.
    fn expected(&self, what: &str, w: Option<&Word>) -> ScriptError {
        match w {
            Some(w) => self.at(w.col, format!("expected {what}, found {}", show(&w.text))),
            None => self.at(self.end_col, format!("expected {what}, found end of line")),
        }
    }
    /// The next word, or `expected WHAT, found end of line`.
    fn need(&mut self, what: &str) -> Result<&'a Word, ScriptError> {
        match self.next() {
            Some(w) => Ok(w),
            None => Err(self.expected(what, None)),
        }
    }
    fn end(&self) -> Result<(), ScriptError> {
        match self.peek() {
            None => Ok(()),
            Some(w) => Err(self.expected("end of line", Some(w))),
        }
    }
}

/// `[a-z][a-z0-9_]*`.
fn is_client_name(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(b'a'..=b'z'))
        && b.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// A decimal integer made of ASCII digits only (no sign), if it fits in a u64.
fn parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.bytes().try_fold(0u64, |v, b| {
        v.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// `0x1f` (hex) or `31` (decimal).
fn parse_hex_or_dec(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) if !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            let h = h.trim_start_matches('0');
            if h.len() > 16 {
                return None;
            }
            u64::from_str_radix(if h.is_empty() { "0" } else { h }, 16).ok()
        }
        Some(_) => None,
        None => parse_uint(s),
    }
}

/// Splits a duration into its number and its unit in ms (`None` for a bare number):
/// `500ms`, `2s`, `500`.
fn split_duration(s: &str) -> (&str, Option<u64>) {
    if let Some(n) = s.strip_suffix("ms") {
        (n, Some(1))
    } else if let Some(n) = s.strip_suffix('s') {
        (n, Some(1000))
    } else {
        (s, None)
    }
}

/// A duration in ms: `500ms`, `2s`, or a bare integer (ms). `None` when malformed or too large.
fn parse_duration(s: &str) -> Option<u64> {
    let (n, unit) = split_duration(s);
    parse_uint(n)?.checked_mul(unit.unwrap_or(1))
}

/// A probability written as a decimal in 0..=1, in parts per million (rounded to nearest).
fn parse_probability_ppm(s: &str) -> Option<u32> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let int = parse_uint(int)?;
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (s.contains('.') && frac.is_empty()) {
        return None;
    }
    // Above 1, even by less than a millionth.
    if int > 1 || (int == 1 && frac.bytes().any(|b| b != b'0')) {
        return None;
    }
    let mut ppm: u64 = 0;
    let mut scale: u64 = 100_000;
    let mut round_up = false;
    for (k, b) in frac.bytes().enumerate() {
        let d = u64::from(b - b'0');
        if k < 6 {
            ppm += d * scale;
            scale /= 10;
        } else {
            round_up = k == 6 && d >= 5;
            break;
        }
    }
    let total = int * 1_000_000 + ppm + u64::from(round_up);
    u32::try_from(total.min(1_000_000)).ok()
}

impl Parser {
    fn directive(
        &mut self,
        raw: &str,
        line: u32,
        lexed: &LexedLine,
    ) -> Result<Directive, ScriptError> {
        let Some((w0, rest)) = lexed.words.split_first() else {
            return Err(ScriptError::new(
                line,
                1,
                "expected a directive, found end of line",
            ));
        };
        let mut a = Args {
            words: rest,
            pos: 0,
            line,
            end_col: lexed.end_col,
        };
        if w0.quoted {
            return Err(a.at(
                w0.col,
                format!(
                    "expected a directive, found the quoted word {}",
                    show(&w0.text)
                ),
            ));
        }
        let kw = w0.text.as_str();
        if let Some(name) = kw.strip_suffix(':') {
            return self.client_line(raw, name, w0, lexed, a);
        }
        if let Some((name, after)) = kw.split_once(':')
            && is_client_name(name)
        {
            let col = w0
                .col
                .saturating_add(u32::try_from(name.chars().count() + 1).unwrap_or(u32::MAX));
            return Err(a.at(
                col,
                format!("expected a space after \"{name}:\", found {}", show(after)),
            ));
        }
        match kw {
            "servers" => self.servers(w0, &mut a),
            "config" => {
                self.before_start(w0, &a)?;
                let c = config(&mut a)?;
                Ok(Directive::Config(c))
            }
            "network" => {
                self.before_start(w0, &a)?;
                let n = network(&mut a)?;
                Ok(Directive::Network(n))
            }
            "history" => {
                self.before_start(w0, &a)?;
                let id_w = a.need("a server id")?;
                let server = server_id(&a, id_w)?;
                match &self.ensemble {
                    Some(e) => self.check_declared(e, &a, id_w, server)?,
                    None => self.early_history.push((line, id_w.col, server.0)),
                }
                let z = a.next();
                let zxid = z
                    .and_then(|w| w.text.strip_prefix("zxid="))
                    .and_then(parse_hex_or_dec)
                    .and_then(|v| i64::try_from(v).ok());
                let Some(zxid) = zxid else {
                    return Err(a.expected("zxid=VALUE with a hexadecimal (0x…) or decimal zxid", z));
                };
                a.end()?;
                Ok(Directive::History { server, zxid: Zxid(zxid) })
            }
            "start" => {
                let e = self.ensemble_for(w0, &a)?;
                let mut servers: Vec<ServerId> = Vec::new();
                let mut together = false;
                while let Some(w) = a.next() {
                    if w.text == "together" && !w.quoted {
                        together = true;
                        a.end()?;
                        break;
                    }
                    let id = server_id(&a, w)?;
                    self.check_declared(e, &a, w, id)?;
                    if servers.contains(&id) {
                        return Err(a.at(w.col, format!("expected each server once, found server {id} twice")));
                    }
                    servers.push(id);
                }
                if servers.is_empty() {
                    servers = e.all();
                }
                self.first_start.get_or_insert(line);
                Ok(Directive::Start { servers, together })
            }
            "crash" | "restart" => {
                let e = self.ensemble_for(w0, &a)?;
                let w = a.need("a server id")?;
                let id = server_id(&a, w)?;
                self.check_declared(e, &a, w, id)?;
                a.end()?;
                Ok(if kw == "crash" { Directive::Crash(id) } else { Directive::Restart(id) })
            }
            "partition" => {
                let e = self.ensemble_for(w0, &a)?;
                self.partition(e, &mut a)
            }
            "heal" => {
                self.ensemble_for(w0, &a)?;
                a.end()?;
                Ok(Directive::Heal)
            }
            "run" => {
                self.ensemble_for(w0, &a)?;
                let w = a.need("a duration such as 500ms or 2s")?;
                let Some(ms) = parse_duration(&w.text) else {
                    return Err(a.expected("a duration such as 500ms or 2s", Some(w)));
                };
                a.end()?;
                Ok(Directive::Run(ms))
            }
            "step" => {
                self.ensemble_for(w0, &a)?;
                let n = match a.next() {
                    None => 1,
                    Some(w) => match parse_uint(&w.text).and_then(|n| u32::try_from(n).ok()) {
                        Some(n) if n > 0 => n,
                        _ => return Err(a.expected("a number of steps (a positive integer)", Some(w))),
                    },
                };
                a.end()?;
                Ok(Directive::Step(n))
            }
            "await" => {
                self.ensemble_for(w0, &a)?;
                match a.next() {
                    Some(w) if w.text == "leader" => {}
                    w => return Err(a.expected("\"leader\"", w)),
                }
                a.end()?;
                Ok(Directive::AwaitLeader)
            }
            "status" => {
                self.ensemble_for(w0, &a)?;
                a.end()?;
                Ok(Directive::Status)
            }
            "connect" => {
                let e = self.ensemble_for(w0, &a)?;
                let cw = a.need("a client name")?;
                if !is_client_name(&cw.text) {
                    return Err(a.expected("a client name ([a-z][a-z0-9_]*)", Some(cw)));
                }
                let mut server = None;
                let mut timeout = None;
                while let Some(w) = a.next() {
                    match w.text.as_str() {
                        "to" if server.is_none() => {
                            let v = a.need("a server id after \"to\"")?;
                            let id = server_id(&a, v)?;
                            self.check_declared(e, &a, v, id)?;
                            server = Some(id);
                        }
                        "timeout" if timeout.is_none() => {
                            let v = a.need("a session timeout in ms after \"timeout\"")?;
                            let Some(ms) = parse_duration(&v.text) else {
                                return Err(a.expected("a session timeout such as 4000 or 4s", Some(v)));
                            };
                            timeout = Some(ms);
                        }
                        _ => {
                            let what = match (server.is_none(), timeout.is_none()) {
                                (true, true) => "\"to SERVER\", \"timeout MS\" or end of line",
                                (true, false) => "\"to SERVER\" or end of line",
                                (false, true) => "\"timeout MS\" or end of line",
                                (false, false) => "end of line",
                            };
                            return Err(a.expected(what, Some(w)));
                        }
                    }
                }
                self.clients.insert(cw.text.clone());
                // A new session under the name: the old one's recipe is no concern of it.
                self.recipes.remove(&cw.text);
                Ok(Directive::Connect { client: cw.text.clone(), server, timeout })
            }
            "expire" => {
                self.ensemble_for(w0, &a)?;
                let cw = a.need("a client name")?;
                if !is_client_name(&cw.text) {
                    return Err(a.expected("a client name ([a-z][a-z0-9_]*)", Some(cw)));
                }
                self.connected(&a, cw.col, &cw.text)?;
                a.end()?;
                Ok(Directive::Expire(cw.text.clone()))
            }
            "4lw" => {
                let e = self.ensemble_for(w0, &a)?;
                let w = a.need("a server id")?;
                let server = server_id(&a, w)?;
                self.check_declared(e, &a, w, server)?;
                const WORDS: &str = "a four-letter word (ruok, srvr, stat, mntr, conf or cons)";
                let ww = a.next();
                let Some(word) = ww.and_then(|w| FourLetterWord::parse(&w.text)) else {
                    return Err(a.expected(WORDS, ww));
                };
                a.end()?;
                Ok(Directive::FourLetter { server, word })
            }
            "mode" => {
                let e = self.ensemble_for(w0, &a)?;
                let w = a.need("a server id")?;
                let server = server_id(&a, w)?;
                self.check_declared(e, &a, w, server)?;
                a.end()?;
                Ok(Directive::Mode(server))
            }
            "title" | "note" => self.narration_text(w0, &mut a),
            "pause" => {
                a.end()?;
                Ok(Directive::Pause)
            }
            "quiz" => self.quiz(w0, &mut a),
            "recipe" => self.recipe(w0, &mut a),
            _ => Err(a.at(
                w0.col,
                format!(
                    "expected a directive (servers, config, network, history, start, crash, restart, partition, heal, run, step, await, status, mode, 4lw, connect, expire, recipe, title, note, pause, quiz or \"CLIENT: command\"), found {}",
                    show(kw)
                ),
            )),
        }
    }

    /// `c1: <zkCli command>`.
    fn client_line(
        &self,
        raw: &str,
        name: &str,
        w0: &Word,
        lexed: &LexedLine,
        a: Args<'_>,
    ) -> Result<Directive, ScriptError> {
        if !is_client_name(name) {
            return Err(a.at(
                w0.col,
                format!(
                    "expected a client name ([a-z][a-z0-9_]*) before \":\", found {}",
                    show(name)
                ),
            ));
        }
        self.ensemble_for(w0, &a)?;
        let Some(first) = a.words.first() else {
            return Err(a.at(
                a.end_col,
                format!("expected a zkCli command after \"{name}:\", found end of line"),
            ));
        };
        let cmd = parse_words(a.words, a.line, a.end_col)?;
        self.connected(&a, w0.col, name)?;
        let text = raw
            .get(first.start..lexed.content_end)
            .unwrap_or_default()
            .trim_end_matches(super::lexer::is_blank)
            .to_string();
        Ok(Directive::Client {
            client: name.to_string(),
            text,
            cmd,
        })
    }

    /// `servers N [observers ID…]`.
    fn servers(&mut self, w0: &Word, a: &mut Args<'_>) -> Result<Directive, ScriptError> {
        if let Some(e) = &self.ensemble {
            return Err(a.at(
                w0.col,
                format!(
                    "expected \"servers\" once, found it again (first on line {})",
                    e.line
                ),
            ));
        }
        let nw = a.need("the number of voting servers")?;
        let voters = match parse_uint(&nw.text).and_then(|n| u8::try_from(n).ok()) {
            Some(n) if n > 0 => n,
            _ => return Err(a.expected("the number of voting servers (1..255)", Some(nw))),
        };
        let mut observers: Vec<ServerId> = Vec::new();
        if let Some(kw) = a.next() {
            if kw.text != "observers" {
                return Err(a.expected("\"observers\" or end of line", Some(kw)));
            }
            if a.peek().is_none() {
                return Err(a.expected("an observer id", None));
            }
            while let Some(w) = a.next() {
                let id = server_id(a, w)?;
                if id.0 <= voters {
                    return Err(a.at(
                        w.col,
                        format!(
                            "expected an observer id above the voters' ids 1..{voters}, found {id}"
                        ),
                    ));
                }
                if observers.contains(&id) {
                    return Err(a.at(
                        w.col,
                        format!("expected each observer once, found {id} twice"),
                    ));
                }
                observers.push(id);
            }
        }
        let e = Ensemble {
            line: a.line,
            voters,
            observers: observers.clone(),
        };
        for &(line, col, id) in &self.early_history {
            if !e.contains(id) {
                return Err(ScriptError::new(
                    line,
                    col,
                    format!(
                        "server {id} is not configured: \"servers\" on line {} declares {}",
                        e.line,
                        e.describe()
                    ),
                ));
            }
        }
        self.ensemble = Some(e);
        Ok(Directive::Servers { voters, observers })
    }

    /// `partition 1 2 / 3 [/ …]` or `partition 1 2 -> 3`.
    fn partition(&self, e: &Ensemble, a: &mut Args<'_>) -> Result<Directive, ScriptError> {
        let mut sides: Vec<Vec<ServerId>> = vec![Vec::new()];
        let mut sep: Option<&str> = None;
        let mut seen: Vec<ServerId> = Vec::new();
        while let Some(w) = a.next() {
            let t = w.text.as_str();
            if !w.quoted && (t == "/" || t == "->") {
                if sides.last().is_none_or(|s| s.is_empty()) {
                    return Err(a.expected("a server id", Some(w)));
                }
                match sep {
                    Some("->") => {
                        return Err(
                            a.expected("server ids (a one-way partition has two sides)", Some(w))
                        );
                    }
                    Some(s) if s != t => {
                        return Err(a.at(
                            w.col,
                            format!(
                                "expected \"{s}\" between every pair of sides, found {}",
                                show(t)
                            ),
                        ));
                    }
                    _ => {}
                }
                sep = Some(if t == "/" { "/" } else { "->" });
                sides.push(Vec::new());
                continue;
            }
            let id = server_id(a, w)?;
            self.check_declared(e, a, w, id)?;
            if seen.contains(&id) {
                return Err(a.at(
                    w.col,
                    format!("expected each server on one side only, found server {id} twice"),
                ));
            }
            seen.push(id);
            if let Some(side) = sides.last_mut() {
                side.push(id);
            }
        }
        if sides.last().is_none_or(|s| s.is_empty()) {
            let what = if sep.is_some() {
                "a server id"
            } else {
                "server ids separated by \"/\" or \"->\""
            };
            return Err(a.expected(what, None));
        }
        if sep.is_none() {
            return Err(a.expected("\"/\" or \"->\" between the sides of the partition", None));
        }
        Ok(Directive::Partition {
            sides,
            one_way: sep == Some("->"),
        })
    }

    /// The ensemble, or an error if `servers` has not been seen yet.
    fn ensemble_for(&self, w0: &Word, a: &Args<'_>) -> Result<&Ensemble, ScriptError> {
        match &self.ensemble {
            Some(e) => Ok(e),
            None => {
                let what = if w0.text.ends_with(':') {
                    "a client command".to_string()
                } else {
                    format!("\"{}\"", w0.text)
                };
                Err(a.at(
                    w0.col,
                    format!("expected a \"servers\" line before the first {what}"),
                ))
            }
        }
    }

    fn before_start(&self, w0: &Word, a: &Args<'_>) -> Result<(), ScriptError> {
        match self.first_start {
            Some(l) => Err(a.at(
                w0.col,
                format!(
                    "\"{}\" must come before the first \"start\" (line {l})",
                    w0.text
                ),
            )),
            None => Ok(()),
        }
    }

    fn check_declared(
        &self,
        e: &Ensemble,
        a: &Args<'_>,
        w: &Word,
        id: ServerId,
    ) -> Result<(), ScriptError> {
        if e.contains(id.0) {
            Ok(())
        } else {
            Err(a.at(
                w.col,
                format!(
                    "server {id} is not configured: \"servers\" on line {} declares {}",
                    e.line,
                    e.describe()
                ),
            ))
        }
    }

    fn connected(&self, a: &Args<'_>, col: u32, name: &str) -> Result<(), ScriptError> {
        if self.clients.contains(name) {
            Ok(())
        } else {
            Err(a.at(
                col,
                format!("client \"{name}\" is used before \"connect {name}\""),
            ))
        }
    }
}

/// A server id 1..=255.
fn server_id(a: &Args<'_>, w: &Word) -> Result<ServerId, ScriptError> {
    match parse_uint(&w.text) {
        Some(n) => match u8::try_from(n) {
            Ok(id) if id > 0 => Ok(ServerId(id)),
            _ => Err(a.at(
                w.col,
                format!(
                    "expected a server id, found {} (server ids are 1..255)",
                    show(&w.text)
                ),
            )),
        },
        None => Err(a.expected("a server id", Some(w))),
    }
}

/// Splits `key=value`; the value's column is returned too.
fn key_value<'w>(a: &Args<'_>, w: &'w Word) -> Result<(&'w str, &'w str, u32), ScriptError> {
    match w.text.split_once('=') {
        Some((k, v)) if !k.is_empty() => {
            let col = w
                .col
                .saturating_add(u32::try_from(k.chars().count() + 1).unwrap_or(u32::MAX));
            // A quoted word's text starts one column later than the word.
            let col = if w.quoted { col.saturating_add(1) } else { col };
            Ok((k, v, col))
        }
        _ => Err(a.expected("key=value", Some(w))),
    }
}

/// `config tickTime=2000 initLimit=10 …`.
fn config(a: &mut Args<'_>) -> Result<ConfigSpec, ScriptError> {
    const KEYS: &str = "tickTime, initLimit, syncLimit, minSessionTimeout or maxSessionTimeout";
    let mut c = ConfigSpec::default();
    if a.peek().is_none() {
        return Err(a.expected(&format!("key=value ({KEYS})"), None));
    }
    while let Some(w) = a.next() {
        let (k, v, vcol) = key_value(a, w)?;
        let slot = match k {
            "tickTime" => &mut c.tick_time,
            "initLimit" => &mut c.init_limit,
            "syncLimit" => &mut c.sync_limit,
            "minSessionTimeout" => &mut c.min_session_timeout,
            "maxSessionTimeout" => &mut c.max_session_timeout,
            _ => {
                return Err(a.at(
                    w.col,
                    format!("unknown config key {}: expected {KEYS}", show(k)),
                ));
            }
        };
        if slot.is_some() {
            return Err(a.at(w.col, format!("expected each key once, found {k} twice")));
        }
        match parse_uint(v) {
            Some(n) if n > 0 => *slot = Some(n),
            _ => {
                return Err(a.at(
                    vcol,
                    format!("expected a positive integer for {k}, found {}", show(v)),
                ));
            }
        }
    }
    Ok(c)
}

/// `network latency=2..8ms loss=0.01 seed=42`.
fn network(a: &mut Args<'_>) -> Result<NetworkSpec, ScriptError> {
    const KEYS: &str = "latency, loss or seed";
    let mut n = NetworkSpec::default();
    if a.peek().is_none() {
        return Err(a.expected(&format!("key=value ({KEYS})"), None));
    }
    while let Some(w) = a.next() {
        let (k, v, vcol) = key_value(a, w)?;
        let twice = || a.at(w.col, format!("expected each key once, found {k} twice"));
        match k {
            "latency" => {
                if n.latency.is_some() {
                    return Err(twice());
                }
                let bad = || {
                    a.at(
                        vcol,
                        format!(
                            "expected a latency such as 5ms or a range such as 2..8ms, found {}",
                            show(v)
                        ),
                    )
                };
                let range = match v.split_once("..") {
                    Some((lo, hi)) => {
                        let (lo_n, lo_unit) = split_duration(lo);
                        let (hi_n, hi_unit) = split_duration(hi);
                        // `2..8ms`: a bare lower bound takes the upper bound's unit.
                        let lo_ms = parse_uint(lo_n)
                            .and_then(|x| x.checked_mul(lo_unit.or(hi_unit).unwrap_or(1)))
                            .ok_or_else(bad)?;
                        let hi_ms = parse_uint(hi_n)
                            .and_then(|x| x.checked_mul(hi_unit.unwrap_or(1)))
                            .ok_or_else(bad)?;
                        if lo_ms > hi_ms {
                            return Err(a.at(
                                vcol,
                                format!(
                                    "expected a latency range with the lower bound first, found {} ({lo_ms}ms > {hi_ms}ms)",
                                    show(v)
                                ),
                            ));
                        }
                        (lo_ms, hi_ms)
                    }
                    None => {
                        let ms = parse_duration(v).ok_or_else(bad)?;
                        (ms, ms)
                    }
                };
                n.latency = Some(range);
            }
            "loss" => {
                if n.loss_ppm.is_some() {
                    return Err(twice());
                }
                match parse_probability_ppm(v) {
                    Some(p) => n.loss_ppm = Some(p),
                    None => {
                        return Err(a.at(
                            vcol,
                            format!(
                                "expected a loss probability between 0 and 1 (e.g. 0.01), found {}",
                                show(v)
                            ),
                        ));
                    }
                }
            }
            "seed" => {
                if n.seed.is_some() {
                    return Err(twice());
                }
                match parse_hex_or_dec(v) {
                    Some(s) => n.seed = Some(s),
                    None => {
                        return Err(a.at(
                            vcol,
                            format!("expected a seed (an integer 0..2^64-1), found {}", show(v)),
                        ));
                    }
                }
            }
            _ => {
                return Err(a.at(
                    w.col,
                    format!("unknown network key {}: expected {KEYS}", show(k)),
                ));
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::ast::ZkCommand;

    fn ok(src: &str) -> Script {
        parse(src).unwrap_or_else(|e| panic!("{e}\n--- in ---\n{src}"))
    }

    fn fail(src: &str) -> (u32, u32, String) {
        match parse(src) {
            Ok(s) => panic!("parsed: {s:?}\n--- from ---\n{src}"),
            Err(e) => (e.line, e.col, e.message),
        }
    }

    fn directives(src: &str) -> Vec<Directive> {
        ok(src).lines.into_iter().map(|l| l.directive).collect()
    }

    fn ids(v: &[u8]) -> Vec<ServerId> {
        v.iter().map(|&i| ServerId(i)).collect()
    }

    #[test]
    fn every_conformance_case_parses() {
        for (name, src) in CASES {
            let script = parse(src).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!script.lines.is_empty(), "{name}");
            // The same with CRLF line endings.
            let crlf = src.replace('\n', "\r\n");
            assert_eq!(parse(&crlf), Ok(script.clone()), "{name} with CRLF");
            // `text` is the command as written, and parses to the same command again.
            for l in &script.lines {
                if let Directive::Client { text, cmd, .. } = &l.directive {
                    let raw = src.lines().nth(l.line as usize - 1).unwrap_or_default();
                    assert!(raw.contains(text.as_str()), "{name}:{}: {text:?}", l.line);
                    assert_eq!(text.trim(), text, "{name}:{}", l.line);
                    let again = parse(&format!("servers 1\nconnect c\nc: {text}"));
                    let again = again.unwrap_or_else(|e| panic!("{name}:{}: {e}", l.line));
                    match again.lines.last().map(|l| &l.directive) {
                        Some(Directive::Client {
                            cmd: c, text: t, ..
                        }) => {
                            assert_eq!((c, t), (cmd, text), "{name}:{}", l.line)
                        }
                        other => panic!("{other:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn client_text_is_exactly_as_written() {
        let src = CASES
            .iter()
            .find(|(n, _)| *n == "znode-data-01.zks")
            .map(|(_, s)| *s)
            .unwrap_or_default();
        let texts: Vec<(u32, String)> = ok(src)
            .lines
            .into_iter()
            .filter_map(|l| match l.directive {
                Directive::Client { text, .. } => Some((l.line, text)),
                _ => None,
            })
            .collect();
        let want: &[(u32, &str)] = &[
            (7, r#"create /d1 "two words""#),
            (9, r#"create /d2 "say \"hi\" \\ bye""#),
            (11, "create /d3 \"😀 emoji and 汉字\""),
            (13, "create /d4 -5"),
            (16, "set /d5 \"#not-a-comment\""),
            (18, r#"set /d1 """#),
            (20, r#"create /d6 "x" world:anyone:cdrwa"#),
        ];
        for (line, t) in want {
            assert!(
                texts.contains(&(*line, (*t).to_string())),
                "line {line}: {texts:?}"
            );
        }
        let d = directives(
            "servers 3\nconnect c1\n  c1:\t create /a \"\" auth::cdrwa   # INVALIDACL  \r\n",
        );
        assert_eq!(
            d.last(),
            Some(&Directive::Client {
                client: "c1".into(),
                text: r#"create /a "" auth::cdrwa"#.into(),
                cmd: ZkCommand::Create {
                    sequential: false,
                    ephemeral: false,
                    container: false,
                    path: "/a".into(),
                    data: Some(String::new()),
                    acl: Some("auth::cdrwa".into()),
                },
            })
        );
        let d = directives("servers 3\nconnect c1\nc1: set /d5 \"#x\" # y\nc1: get /a -w");
        assert_eq!(
            d[2],
            Directive::Client {
                client: "c1".into(),
                text: "set /d5 \"#x\"".into(),
                cmd: ZkCommand::Set {
                    stat: false,
                    version: -1,
                    path: "/d5".into(),
                    data: "#x".into()
                },
            }
        );
        assert_eq!(
            d[3],
            Directive::Client {
                client: "c1".into(),
                text: "get /a -w".into(),
                cmd: ZkCommand::Get {
                    stat: false,
                    watch: true,
                    path: "/a".into()
                },
            }
        );
    }

    #[test]
    fn every_directive() {
        let src = "\
# a comment line

network latency=2..8ms loss=0.01 seed=42
history 3 zxid=0x100000009
servers 5 observers 7 6
config tickTime=2000 initLimit=10 syncLimit=5 minSessionTimeout=4000 maxSessionTimeout=40000
history 2 zxid=17
status
connect c1 to 2 timeout 4000
connect c_2 timeout 2s
connect c3
start 1 2 3
start 4 5 together
start
start together
crash 2
restart 2
partition 1 2 / 3
partition 1 / 2 / 3 4
partition 1 2 -> 3
heal
run 500ms
run 2s
run 750
step
step 5
await leader
c1: close
expire c_2
";
        let want = vec![
            Directive::Network(NetworkSpec {
                latency: Some((2, 8)),
                loss_ppm: Some(10_000),
                seed: Some(42),
            }),
            Directive::History {
                server: ServerId(3),
                zxid: Zxid(0x1_0000_0009),
            },
            Directive::Servers {
                voters: 5,
                observers: ids(&[7, 6]),
            },
            Directive::Config(ConfigSpec {
                tick_time: Some(2000),
                init_limit: Some(10),
                sync_limit: Some(5),
                min_session_timeout: Some(4000),
                max_session_timeout: Some(40000),
            }),
            Directive::History {
                server: ServerId(2),
                zxid: Zxid(17),
            },
            Directive::Status,
            Directive::Connect {
                client: "c1".into(),
                server: Some(ServerId(2)),
                timeout: Some(4000),
            },
            Directive::Connect {
                client: "c_2".into(),
                server: None,
                timeout: Some(2000),
            },
            Directive::Connect {
                client: "c3".into(),
                server: None,
                timeout: None,
            },
            Directive::Start {
                servers: ids(&[1, 2, 3]),
                together: false,
            },
            Directive::Start {
                servers: ids(&[4, 5]),
                together: true,
            },
            Directive::Start {
                servers: ids(&[1, 2, 3, 4, 5, 6, 7]),
                together: false,
            },
            Directive::Start {
                servers: ids(&[1, 2, 3, 4, 5, 6, 7]),
                together: true,
            },
            Directive::Crash(ServerId(2)),
            Directive::Restart(ServerId(2)),
            Directive::Partition {
                sides: vec![ids(&[1, 2]), ids(&[3])],
                one_way: false,
            },
            Directive::Partition {
                sides: vec![ids(&[1]), ids(&[2]), ids(&[3, 4])],
                one_way: false,
            },
            Directive::Partition {
                sides: vec![ids(&[1, 2]), ids(&[3])],
                one_way: true,
            },
            Directive::Heal,
            Directive::Run(500),
            Directive::Run(2000),
            Directive::Run(750),
            Directive::Step(1),
            Directive::Step(5),
            Directive::AwaitLeader,
            Directive::Client {
                client: "c1".into(),
                text: "close".into(),
                cmd: ZkCommand::Close,
            },
            Directive::Expire("c_2".into()),
        ];
        let script = ok(src);
        assert_eq!(
            script
                .lines
                .iter()
                .map(|l| l.directive.clone())
                .collect::<Vec<_>>(),
            want
        );
        assert_eq!(script.lines.first().map(|l| l.line), Some(3));
        assert_eq!(script.lines.last().map(|l| l.line), Some(29));
    }

    #[test]
    fn network_values() {
        let net = |s: &str| match directives(&format!("network {s}")).pop() {
            Some(Directive::Network(n)) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(net("latency=5ms").latency, Some((5, 5)));
        assert_eq!(net("latency=5").latency, Some((5, 5)));
        assert_eq!(net("latency=1..2s").latency, Some((1000, 2000)));
        assert_eq!(net("latency=500ms..1s").latency, Some((500, 1000)));
        assert_eq!(net("latency=3..3ms").latency, Some((3, 3)));
        assert_eq!(net("loss=0").loss_ppm, Some(0));
        assert_eq!(net("loss=1").loss_ppm, Some(1_000_000));
        assert_eq!(net("loss=1.000").loss_ppm, Some(1_000_000));
        assert_eq!(net("loss=0.5").loss_ppm, Some(500_000));
        assert_eq!(net("loss=0.000001").loss_ppm, Some(1));
        assert_eq!(net("loss=0.0000015").loss_ppm, Some(2));
        assert_eq!(net("loss=0.0000014999").loss_ppm, Some(1));
        assert_eq!(
            net(&format!("loss=0.{}", "9".repeat(100))).loss_ppm,
            Some(1_000_000)
        );
        assert_eq!(net("seed=0x2a").seed, Some(42));
        assert_eq!(net("seed=18446744073709551615").seed, Some(u64::MAX));
        assert_eq!(
            net("seed=7"),
            NetworkSpec {
                latency: None,
                loss_ppm: None,
                seed: Some(7)
            }
        );
    }

    #[test]
    fn error_positions() {
        let cases: &[(&str, (u32, u32), &str)] = &[
            (
                "servers 3\nstart 1 x 3",
                (2, 9),
                r#"expected a server id, found "x""#,
            ),
            (
                "servers 3\nstart 1 2 4",
                (2, 11),
                "server 4 is not configured: \"servers\" on line 1 declares servers 1..3",
            ),
            (
                "servers 3\ncrash",
                (2, 6),
                "expected a server id, found end of line",
            ),
            (
                "servers 3\ncrash 1 2",
                (2, 9),
                r#"expected end of line, found "2""#,
            ),
            (
                "servers 3\nrun 5m",
                (2, 5),
                r#"expected a duration such as 500ms or 2s, found "5m""#,
            ),
            (
                "servers 3\nrun 5 minutes",
                (2, 7),
                r#"expected end of line, found "minutes""#,
            ),
            (
                "servers 3\nstart 1 2 3\nconfig tickTime=2000",
                (3, 1),
                r#""config" must come before the first "start" (line 2)"#,
            ),
            (
                "servers 3\nstart 1\nnetwork seed=1",
                (3, 1),
                r#""network" must come before the first "start" (line 2)"#,
            ),
            (
                "servers 3\nstart 1\nhistory 1 zxid=1",
                (3, 1),
                r#""history" must come before the first "start" (line 2)"#,
            ),
            (
                "servers 3\nconfig tickTime=0",
                (2, 17),
                r#"expected a positive integer for tickTime, found "0""#,
            ),
            (
                "config foo=1",
                (1, 8),
                r#"unknown config key "foo": expected tickTime, initLimit, syncLimit, minSessionTimeout or maxSessionTimeout"#,
            ),
            (
                "config tickTime",
                (1, 8),
                r#"expected key=value, found "tickTime""#,
            ),
            (
                "config tickTime=1 tickTime=2",
                (1, 19),
                "expected each key once, found tickTime twice",
            ),
            (
                "network jitter=1",
                (1, 9),
                r#"unknown network key "jitter": expected latency, loss or seed"#,
            ),
            (
                "network latency=8..2ms",
                (1, 17),
                r#"expected a latency range with the lower bound first, found "8..2ms" (8ms > 2ms)"#,
            ),
            (
                "network loss=1.5",
                (1, 14),
                r#"expected a loss probability between 0 and 1 (e.g. 0.01), found "1.5""#,
            ),
            (
                "network",
                (1, 8),
                "expected key=value (latency, loss or seed), found end of line",
            ),
            (
                "servers 3\nconnect c1\nc2: ls /",
                (3, 1),
                r#"client "c2" is used before "connect c2""#,
            ),
            (
                "servers 3\nexpire c9",
                (2, 8),
                r#"client "c9" is used before "connect c9""#,
            ),
            (
                "servers 3\nconnect C1",
                (2, 9),
                r#"expected a client name ([a-z][a-z0-9_]*), found "C1""#,
            ),
            (
                "servers 3\nconnect c1 to 2 to 3",
                (2, 17),
                r#"expected "timeout MS" or end of line, found "to""#,
            ),
            (
                "servers 3\nconnect c1 to",
                (2, 14),
                r#"expected a server id after "to", found end of line"#,
            ),
            (
                "servers 3\nconnect c1 timeout soon",
                (2, 20),
                r#"expected a session timeout such as 4000 or 4s, found "soon""#,
            ),
            (
                "servers 3\nconnect c1\nc1: set /a hello world # x",
                (3, 18),
                r#"too many arguments: expected end of command, found "world" (usage: set [-s] [-v version] path data; quote an argument that contains spaces)"#,
            ),
            (
                "servers 3\nconnect c1\nc1: create /数据 \"x\" y z",
                (3, 22),
                r#"too many arguments: expected end of command, found "z" (usage: create [-s] [-e] [-c] [-t ttl] path [data] [acl]; quote an argument that contains spaces)"#,
            ),
            (
                "servers 3\nconnect c1\nc1: set /a",
                (3, 5),
                "set [-s] [-v version] path data",
            ),
            (
                "servers 3\nconnect c1\nc1: remove /a",
                (3, 5),
                "Command not found remove",
            ),
            (
                "servers 3\nconnect c1\nc1: create -c -e /a",
                (3, 5),
                "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.",
            ),
            (
                "servers 3\nconnect c1\nc1: get -x /a",
                (3, 9),
                "Unrecognized option: -x",
            ),
            (
                "servers 3\nconnect c1\nc1:",
                (3, 4),
                r#"expected a zkCli command after "c1:", found end of line"#,
            ),
            (
                "servers 3\nconnect c1\nc1:ls /",
                (3, 4),
                r#"expected a space after "c1:", found "ls""#,
            ),
            (
                "servers 3\nconnect c1\nC1: ls /",
                (3, 1),
                r#"expected a client name ([a-z][a-z0-9_]*) before ":", found "C1""#,
            ),
            (
                "servers 3\nconnect c1\nc1: set /a \"unterminated",
                (3, 12),
                r#"unterminated quoted word: expected a closing ", found end of line"#,
            ),
            (
                "servers 3\nconnect c1\nc1: set /a \"bad \\n escape\"",
                (3, 17),
                r#"expected \" or \\ after a backslash inside quotes, found "\\n""#,
            ),
            (
                "servers 5 observers 3",
                (1, 21),
                "expected an observer id above the voters' ids 1..5, found 3",
            ),
            (
                "servers 5 observers 6 6",
                (1, 23),
                "expected each observer once, found 6 twice",
            ),
            (
                "servers 5 observers",
                (1, 20),
                "expected an observer id, found end of line",
            ),
            (
                "servers 5 voters 6",
                (1, 11),
                r#"expected "observers" or end of line, found "voters""#,
            ),
            (
                "servers 300",
                (1, 9),
                r#"expected the number of voting servers (1..255), found "300""#,
            ),
            (
                "servers 0",
                (1, 9),
                r#"expected the number of voting servers (1..255), found "0""#,
            ),
            (
                "servers 3 observers 256",
                (1, 21),
                r#"expected a server id, found "256" (server ids are 1..255)"#,
            ),
            (
                "servers 3\nservers 3",
                (2, 1),
                r#"expected "servers" once, found it again (first on line 1)"#,
            ),
            (
                "status",
                (1, 1),
                r#"expected a "servers" line before the first "status""#,
            ),
            (
                "connect c1",
                (1, 1),
                r#"expected a "servers" line before the first "connect""#,
            ),
            (
                "run 5",
                (1, 1),
                r#"expected a "servers" line before the first "run""#,
            ),
            (
                "c1: ls /",
                (1, 1),
                r#"expected a "servers" line before the first a client command"#,
            ),
            (
                "servers 3\npartition 1 2 3",
                (2, 16),
                r#"expected "/" or "->" between the sides of the partition, found end of line"#,
            ),
            (
                "servers 3\npartition 1 2 -> 3 -> 1",
                (2, 20),
                r#"expected server ids (a one-way partition has two sides), found "->""#,
            ),
            (
                "servers 3\npartition 1 / 2 -> 3",
                (2, 17),
                r#"expected "/" between every pair of sides, found "->""#,
            ),
            (
                "servers 3\npartition / 3",
                (2, 11),
                r#"expected a server id, found "/""#,
            ),
            (
                "servers 3\npartition 1 2 /",
                (2, 16),
                "expected a server id, found end of line",
            ),
            (
                "servers 3\npartition 1 / 1",
                (2, 15),
                "expected each server on one side only, found server 1 twice",
            ),
            (
                "servers 3\npartition 1 / 4",
                (2, 15),
                "server 4 is not configured: \"servers\" on line 1 declares servers 1..3",
            ),
            (
                "servers 3\nawait follower",
                (2, 7),
                r#"expected "leader", found "follower""#,
            ),
            (
                "servers 3\nawait",
                (2, 6),
                r#"expected "leader", found end of line"#,
            ),
            (
                "servers 3\nheal now",
                (2, 6),
                r#"expected end of line, found "now""#,
            ),
            (
                "servers 3\nstatus 1",
                (2, 8),
                r#"expected end of line, found "1""#,
            ),
            (
                "servers 3\nstep 0",
                (2, 6),
                r#"expected a number of steps (a positive integer), found "0""#,
            ),
            (
                "servers 3\nstart 1 together 2",
                (2, 18),
                r#"expected end of line, found "2""#,
            ),
            (
                "servers 3\nstart 1 1",
                (2, 9),
                "expected each server once, found server 1 twice",
            ),
            (
                "servers 3\nhistory 3 zxid=0xZZ",
                (2, 11),
                r#"expected zxid=VALUE with a hexadecimal (0x…) or decimal zxid, found "zxid=0xZZ""#,
            ),
            (
                "servers 3\nhistory 3",
                (2, 10),
                "expected zxid=VALUE with a hexadecimal (0x…) or decimal zxid, found end of line",
            ),
            (
                "history 4 zxid=1\nservers 3",
                (1, 9),
                "server 4 is not configured: \"servers\" on line 2 declares servers 1..3",
            ),
            (
                "servers 1 observers 2\nstart 3",
                (2, 7),
                "server 3 is not configured: \"servers\" on line 1 declares server 1 and observers 2",
            ),
            (
                "servers 3\n4lw 2 envi",
                (2, 7),
                r#"expected a four-letter word (ruok, srvr, stat, mntr, conf or cons), found "envi""#,
            ),
            (
                "servers 3\n4lw 2 SRVR",
                (2, 7),
                r#"expected a four-letter word (ruok, srvr, stat, mntr, conf or cons), found "SRVR""#,
            ),
            (
                "servers 3\n4lw 2",
                (2, 6),
                "expected a four-letter word (ruok, srvr, stat, mntr, conf or cons), found end of line",
            ),
            (
                "servers 3\n4lw srvr 2",
                (2, 5),
                r#"expected a server id, found "srvr""#,
            ),
            (
                "servers 3\n4lw 4 srvr",
                (2, 5),
                "server 4 is not configured: \"servers\" on line 1 declares servers 1..3",
            ),
            (
                "servers 3\n4lw 1 srvr stat",
                (2, 12),
                r#"expected end of line, found "stat""#,
            ),
            (
                "4lw 1 ruok",
                (1, 1),
                r#"expected a "servers" line before the first "4lw""#,
            ),
            (
                "servers 3\nmode",
                (2, 5),
                "expected a server id, found end of line",
            ),
            (
                "servers 3\nmode 0",
                (2, 6),
                r#"expected a server id, found "0" (server ids are 1..255)"#,
            ),
            (
                "servers 3 observers 5\nmode 4",
                (2, 6),
                "server 4 is not configured: \"servers\" on line 1 declares servers 1..3 and observers 5",
            ),
            (
                "servers 3\nmode 1 leader",
                (2, 8),
                r#"expected end of line, found "leader""#,
            ),
            (
                "frobnicate",
                (1, 1),
                r#"expected a directive (servers, config, network, history, start, crash, restart, partition, heal, run, step, await, status, mode, 4lw, connect, expire, recipe, title, note, pause, quiz or "CLIENT: command"), found "frobnicate""#,
            ),
            (
                "\"servers\" 3",
                (1, 1),
                r#"expected a directive, found the quoted word "servers""#,
            ),
            (
                "servers 3\nstart 1 \"2\"x",
                (2, 12),
                r#"expected a space after a quoted word, found "x""#,
            ),
            (
                "servers 3\r\nstart 1 x",
                (2, 9),
                r#"expected a server id, found "x""#,
            ),
            (
                "servers 3\n   \t start 汉 x",
                (2, 12),
                r#"expected a server id, found "汉""#,
            ),
        ];
        for (src, (line, col), msg) in cases {
            let got = fail(src);
            assert_eq!(got, (*line, *col, (*msg).to_string()), "{src:?}");
        }
    }

    #[test]
    fn four_letter_words_and_mode() {
        let d = directives(
            "servers 3 observers 4\n4lw 2 ruok\n4lw 1 srvr\nstart\n4lw 4 stat  # observer\n\
             4lw 3 mntr\n4lw 2 \"conf\"\n4lw 1 cons\nmode 2\nmode 4\n",
        );
        let want = [
            (ServerId(2), FourLetterWord::Ruok),
            (ServerId(1), FourLetterWord::Srvr),
            (ServerId(4), FourLetterWord::Stat),
            (ServerId(3), FourLetterWord::Mntr),
            (ServerId(2), FourLetterWord::Conf),
            (ServerId(1), FourLetterWord::Cons),
        ];
        let got: Vec<(ServerId, FourLetterWord)> = d
            .iter()
            .filter_map(|d| match d {
                Directive::FourLetter { server, word } => Some((*server, *word)),
                _ => None,
            })
            .collect();
        assert_eq!(got, want);
        assert_eq!(
            d[d.len() - 2..],
            [Directive::Mode(ServerId(2)), Directive::Mode(ServerId(4))]
        );
    }

    #[test]
    fn display_and_error_trait() {
        let e = ScriptError::new(12, 5, r#"expected a server id, found "x""#);
        assert_eq!(e.to_string(), r#"12:5: expected a server id, found "x""#);
        let dynerr: &dyn std::error::Error = &e;
        assert!(dynerr.source().is_none());
    }

    #[test]
    fn not_over_restrictive() {
        // status and connect before start; config after servers; servers after config;
        // commands of a closed or expired client; reconnecting under the same name.
        let d = directives(
            "config tickTime=200\nnetwork seed=1\nservers 3\nconfig syncLimit=3\nstatus\nconnect c1\n\
             start 1 2 3\nc1: close\nc1: ls /\nconnect c1 to 3\nexpire c1\nc1: ls /\nstart 1\n",
        );
        assert_eq!(d.len(), 13);
        // Keywords are only special where a directive expects them.
        let d =
            directives("servers 3\nconnect to to 1\nto: get /a -w\nconnect timeout timeout 5\n");
        assert_eq!(
            d[1],
            Directive::Connect {
                client: "to".into(),
                server: Some(ServerId(1)),
                timeout: None
            }
        );
        assert_eq!(
            d[3],
            Directive::Connect {
                client: "timeout".into(),
                server: None,
                timeout: Some(5)
            }
        );
        // An empty or comment-only script is an empty script.
        assert_eq!(ok(""), Script::default());
        assert_eq!(ok("# nothing\n\n   \r\n"), Script::default());
        assert_eq!(ok("\u{feff}servers 1").lines.len(), 1);
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        let huge = "9".repeat(100);
        let hostile = [
            format!("servers {huge}"),
            format!("servers 3\nrun {huge}"),
            "servers 3\nrun 18446744073709551615s".to_string(),
            "servers 3\nrun 18446744073709551616".to_string(),
            "servers 3\nstep 4294967296".to_string(),
            "servers 3\nstep -1".to_string(),
            "servers 3\nstart +1".to_string(),
            "servers 3\nstart ١".to_string(),
            "network seed=18446744073709551616".to_string(),
            "network seed=0x10000000000000000".to_string(),
            format!("network loss=1.{huge}"),
            format!("network loss={huge}"),
            "network loss=1.0000001".to_string(),
            "network loss=.".to_string(),
            "network loss=1.".to_string(),
            format!("network latency={huge}..{huge}s"),
            "network latency=..".to_string(),
            "network latency=1..2..3".to_string(),
            "network latency=s".to_string(),
            "network =5".to_string(),
            "history 1 zxid=0xffffffffffffffff".to_string(),
            format!("history 1 zxid={huge}"),
            format!("config tickTime={huge}"),
            "servers 3\nconnect c1\nc1: delete -v 2147483648 /a".to_string(),
            format!("servers 3\nconnect c1\nc1: delete -v {huge} /a"),
            "servers 3\nconnect c1\nc1: delete -v".to_string(),
            "servers 3\nconnect c1\nc1: set -v".to_string(),
            "servers 3\nconnect c1\nc1: -".to_string(),
            "servers 3\nconnect c1\nc1: --".to_string(),
            ":".to_string(),
            "::".to_string(),
            "a:".to_string(),
            "\"".to_string(),
            "\\".to_string(),
            "\"\\".to_string(),
            "\u{0}\u{1}\u{7f}".to_string(),
            "e\u{301}\u{301}\u{301}".to_string(),
            "\r\r\r\rx".to_string(),
            "#\n\"".to_string(),
            "servers 3\npartition".to_string(),
            "servers 3\npartition ->".to_string(),
            "servers 3\npartition 1 -> ".to_string(),
            "servers 3\nconnect".to_string(),
            "servers 3\nexpire".to_string(),
            "servers 3\nconnect c1 timeout".to_string(),
            format!("servers 3\nconnect c{}\nc: ls /", "a".repeat(100_000)),
            format!("servers 3\nstart {}", "1 ".repeat(100_000)),
            format!("\"{}", "x".repeat(1_000_000)),
            format!("{}\"", "x".repeat(1_000_000)),
            "\"\\\"".repeat(300_000),
        ];
        for src in &hostile {
            let short: String = src.chars().take(60).collect();
            assert!(parse(src).is_err(), "{short:?}");
            let _ = parse_zk_command(src);
        }
        // 1 MB of pseudo-random bytes (a fixed xorshift sequence), as text.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let bytes: Vec<u8> = (0..1_000_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x.to_le_bytes()[0]
            })
            .collect();
        let garbage = String::from_utf8_lossy(&bytes);
        assert!(parse(&garbage).is_err());
        let _ = parse_zk_command(&garbage);
        // Printable garbage made of the language's own words.
        let words = [
            "servers", "3", "start", "\"", "#", "c1:", "->", "/", "-v", "\\", "connect", "c1", " ",
            "\n",
        ];
        let mut s = String::new();
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(
                words
                    .get((x % words.len() as u64) as usize)
                    .copied()
                    .unwrap_or(""),
            );
        }
        let _ = parse(&s);
        let _ = parse_zk_command(&s);
        // Errors point inside the line they name.
        for src in hostile
            .iter()
            .chain([s.clone(), garbage.to_string()].iter())
        {
            if let Err(e) = parse(src) {
                let line = src.split('\n').nth(e.line as usize - 1).unwrap_or_default();
                assert!(
                    e.line >= 1 && e.col >= 1 && e.col as usize <= line.chars().count() + 1,
                    "{e}"
                );
            }
        }
    }

    /// Every conformance case (copied from shared/conformance/cases/*.zks).
    const CASES: &[(&str, &str)] = &[
        (
            "acl-auth-01.zks",
            r##"# The auth scheme: "auth::perms" means "every identity this session has authenticated";
# without any, it is INVALIDACL.  With two identities the ACL gets two entries.
# getAcl shows a digest id as user:x (hash hidden) to a session without ADMIN on the node.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
connect c2
c1: create /a "" auth::cdrwa       # INVALIDACL: no identity yet
c1: addauth digest alice:secret
c1: create /a "" auth::cdrwa
c1: getAcl /a
c1: addauth digest bob:hunter2
c1: create /b "" auth::rw
c1: getAcl /b
c1: create /c "" auth:ignored:cdrwa   # the id part of auth is ignored
c1: getAcl /c
c2: get /a                         # NOAUTH
c2: addauth digest bob:hunter2
c2: get /b
c2: set /b ok
c2: get /a                         # NOAUTH: /a only has alice
c2: setAcl /b world:anyone:r       # NOAUTH: bob has no ADMIN on /b
"##,
        ),
        (
            "acl-digest-01.zks",
            r##"# digest ACLs: only a session that did addauth with the matching user:password gets in.
# digest ids are user:base64(sha1("user:password")).
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect alice to 1
connect eve to 2
alice: addauth digest alice:secret
alice: create /vault gold digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa
alice: get /vault
alice: getAcl /vault
eve: get /vault                    # NOAUTH
eve: set /vault lead               # NOAUTH
eve: ls /vault                     # NOAUTH
eve: create /vault/x               # NOAUTH
eve: stat /vault                   # exists needs no permission
eve: addauth digest alice:wrong    # accepted, but it is a different identity
eve: get /vault                    # NOAUTH
eve: addauth digest alice:secret   # now eve holds alice's identity too
eve: get /vault
eve: set /vault shared
alice: get /vault
"##,
        ),
        (
            "acl-errors-01.zks",
            r##"# INVALIDACL in its forms: unknown scheme, bad world id, digest id without a hash, auth with
# no identity (server side, each consumes a zxid); a list with no well-formed entry is
# rejected by the client (no zxid).  setAcl behaves the same.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create /base
c1: stat /base
c1: create /x "" nosuch:id:cdrwa
c1: create /x "" world:somebody:cdrwa
c1: create /x "" digest:alice:cdrwa
c1: create /x "" auth::cdrwa
c1: create /x "" garbage
c1: create /x "" ","
c1: create /probe
c1: stat /probe                          # 4 error txns between /base and /probe
c1: setAcl /base nosuch:id:cdrwa
c1: setAcl /base garbage
c1: setAcl /base world:anyone:cdrwa,nosuch:id:r
c1: getAcl /base
c1: create /y "" world:anyone:cdrwa,garbage   # the malformed entry is skipped
c1: getAcl /y
"##,
        ),
        (
            "acl-world-01.zks",
            r##"# world:anyone with partial permissions: each zkCli command needs one permission
# (get/ls: READ, set: WRITE, create child: CREATE, delete child: DELETE on the parent,
# setAcl: ADMIN; getAcl: READ or ADMIN; stat: none).
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create /r data world:anyone:r
c1: get /r
c1: ls /r
c1: set /r x                       # NOAUTH
c1: create /r/k                    # NOAUTH
c1: setAcl /r world:anyone:cdrwa   # NOAUTH
c1: getAcl /r
c1: create /w data world:anyone:w
c1: get /w                         # NOAUTH
c1: set /w x
c1: getAcl /w                      # NOAUTH
c1: create /cd "" world:anyone:cd
c1: create /cd/k
c1: ls /cd                         # NOAUTH
c1: delete /cd/k
c1: create /adm "" world:anyone:a
c1: getAcl /adm                    # ADMIN alone is enough for getAcl
c1: setAcl /adm world:anyone:rwcda
c1: getAcl /adm                    # perms are printed in the order c d r w a
c1: create /none "" world:anyone:
c1: stat /none                     # stat needs no permission
c1: getAcl /none                   # NOAUTH
c1: delete /none                   # allowed: delete needs DELETE on the parent, not the node
c1: stat /none
"##,
        ),
        (
            "election-crash-follower-01.zks",
            r##"# A follower crashes: no election, the epoch stays; the ensemble keeps serving with 2 of 3;
# the follower catches up when it restarts.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 2
crash 1
status
c1: create /still-serving
c1: stat /still-serving
restart 1
status
connect c2 to 1
c2: get /still-serving
"##,
        ),
        (
            "election-crash-leader-01.zks",
            r##"# The leader crashes: the two remaining servers elect a new leader (highest id, same zxid)
# in a new epoch; the old leader comes back as a follower.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
c1: create /before x
crash 2
await leader
status
c1: create /after y
c1: stat /after
restart 2
status
c1: get /before
"##,
        ),
        (
            "election-epoch-01.zks",
            r##"# The epoch beats the zxid and the id: a server that followed a newer epoch wins over one
# that only knows the older epoch, even with the same last zxid and a lower id.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3                        # leader 2, epoch 1
connect c1 to 1
crash 2                            # 1 and 3 elect 3, epoch 2 (no write in epoch 2)
crash 3                            # 1 is alone, LOOKING
status
restart 2                          # 1 (epoch 2) beats 2 (epoch 1): leader 1, epoch 3
status
restart 3
status
c1: create /e3
c1: stat /e3
"##,
        ),
        (
            "election-observer-01.zks",
            r##"# Observers never vote and never lead: voters 1..5, observer 6.  The observer has the highest
# id, but when the leader crashes the new leader comes from the voters.  (Follower 4 is crashed
# first so that the three voters left are all needed for a quorum: with four voters left, a
# quorum of three may settle on 4 before 5's vote arrives -- a timing race in real ZooKeeper.)
servers 5 observers 6
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3 4 5 6
status
connect c1 to 6
c1: create /via-observer
c1: stat /via-observer
crash 4                            # no election
crash 3                            # 1, 2, 5 elect 5 (highest id among the voters)
await leader
status
c1: get /via-observer
"##,
        ),
        (
            "election-quorum-01.zks",
            r##"# Losing the quorum: with 2 of 3 servers down the last one stops serving (LOOKING), clients
# are disconnected and get CONNECTIONLOSS; one restart restores a quorum, a new epoch starts,
# and the sessions (with their ephemerals) survive.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 2
c1: create -e /mine
crash 1
crash 3
status
c1: ls /                           # CONNECTIONLOSS
restart 1
status
c1: ls /
c1: stat /mine
restart 3
status
"##,
        ),
        (
            "election-start-steps-01.zks",
            r##"# Servers started one by one with status in between: a lone server of three stays LOOKING;
# two of three elect a leader; the third joins without a new election.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
status
start 1
status
start 3
status
start 2
status
"##,
        ),
        (
            "election-start3-01.zks",
            r##"# Startup election, 3 servers started 1, 2, 3: 1 alone cannot elect; when 2 starts, 1 and 2
# form a quorum and elect 2 (same zxid, higher id); 3 then joins the existing leader.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
status
await leader
status
connect c1
c1: create /x
c1: stat /x                        # epoch 1: zxid 0x1000000xx
"##,
        ),
        (
            "election-start5-01.zks",
            r##"# Startup election, 5 servers started 1..5: the first quorum is {1,2,3}, which elects 3;
# 4 and 5 join as followers.
servers 5
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3 4 5
status
connect c1 to 5
c1: create /five
c1: stat /five
"##,
        ),
        (
            "election-zxid-02.zks",
            r##"# A lower id can win: 3 servers (leader 2); 3 crashes; a write reaches 1 and 2; 2 crashes;
# 3 restarts: 1 has the newer zxid, so 1 leads although 3 has the higher id.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
crash 3
c1: create /only-on-1-and-2
crash 2
status
restart 3
status
c1: get /only-on-1-and-2
restart 2
status
"##,
        ),
        (
            "recipe-barrier-01.zks",
            r##"# Double barrier: each participant registers an ephemeral under /barrier and waits for
# /barrier/ready with stat -w; the last one to arrive creates /ready; everybody is woken.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect p1 to 1
connect p2 to 2
connect p3 to 3
p1: create /barrier
p1: create -e /barrier/p1
p1: stat -w /barrier/ready          # NONODE: wait
p2: create -e /barrier/p2
p2: stat -w /barrier/ready          # NONODE: wait
p3: create -e /barrier/p3
p3: ls /barrier                     # three participants: p3 opens the barrier
p3: create /barrier/ready
p1: ls /barrier
p2: ls -w /barrier                  # leaving: wait until the others are gone
p1: delete /barrier/p1
p3: delete /barrier/p3
p2: ls /barrier
"##,
        ),
        (
            "recipe-election-expire-01.zks",
            r##"# Herd-free election where the leader does not close but its session expires: the successor
# is told exactly as with a close.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1 timeout 2000
connect c2 to 2
connect c3 to 3
c2: create /election
c1: create -s -e /election/n_
c2: create -s -e /election/n_
c3: create -s -e /election/n_
c2: stat -w /election/n_0000000000
c3: stat -w /election/n_0000000001
expire c1
c2: ls /election
c3: ls /election
"##,
        ),
        (
            "recipe-election-herd-01.zks",
            r##"# Leader election, herd-free version: each candidate creates /election/n_ (sequential,
# ephemeral) and watches only the next-lower node with stat -w.  When the leader (lowest)
# leaves, exactly one client -- the next in line -- is notified.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 2
connect c3 to 3
connect c4 to 1
c1: create /election
c1: create -s -e /election/n_ c1
c2: create -s -e /election/n_ c2
c3: create -s -e /election/n_ c3
c4: create -s -e /election/n_ c4
c1: ls /election                   # c1 holds the lowest number: leader
c2: stat -w /election/n_0000000000
c3: stat -w /election/n_0000000001
c4: stat -w /election/n_0000000002
c1: close                          # the leader leaves: only c2 is told
c2: ls /election                   # c2 is now the lowest: new leader
c3: stat /election/n_0000000001
c4: stat /election/n_0000000002
"##,
        ),
        (
            "recipe-election-naive-01.zks",
            r##"# Leader election, naive version: every candidate watches the leader's node.  When the
# leader leaves, every other candidate is notified (the herd effect) and re-reads the list.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 2
connect c3 to 3
connect c4 to 2
c1: create /election
c1: create -s -e /election/n_ c1
c2: create -s -e /election/n_ c2
c3: create -s -e /election/n_ c3
c4: create -s -e /election/n_ c4
c2: stat -w /election/n_0000000000
c3: stat -w /election/n_0000000000
c4: stat -w /election/n_0000000000
c1: close                          # NodeDeleted to c2, c3 and c4
c2: ls /election
c3: ls /election
c4: ls /election
c3: stat -w /election/n_0000000001
c4: stat -w /election/n_0000000001
c2: close                          # again everyone left is told
c3: ls /election
"##,
        ),
        (
            "recipe-lock-01.zks",
            r##"# Exclusive lock recipe: each client creates /lock/lock- (sequential, ephemeral); the lowest
# holds the lock; the others watch their predecessor.  Release = delete own node.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 2
connect c3 to 3
c1: create /lock
c1: create -s -e /lock/lock- c1
c2: create -s -e /lock/lock- c2
c3: create -s -e /lock/lock- c3
c2: ls /lock                       # not the lowest: wait
c2: stat -w /lock/lock-0000000000
c3: stat -w /lock/lock-0000000001
c1: delete /lock/lock-0000000000   # c1 releases: c2 is told
c2: ls /lock                       # c2 holds the lock now
c2: set /lock guarded-by-c2
c2: delete /lock/lock-0000000001   # c2 releases: c3 is told
c3: ls /lock
c3: get /lock
c3: delete /lock/lock-0000000002
c3: ls /lock
c1: create -s -e /lock/lock- again # counter keeps going
"##,
        ),
        (
            "session-close-01.zks",
            r##"# Closing a session: its ephemerals go (one closeSession transaction), other clients' watches
# fire, and the closed handle answers SESSIONEXPIRED to everything afterwards.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 2
c1: create -e /c1-eph mine
c1: create /c1-persistent kept
c2: stat -w /c1-eph
c2: ls -w /
c1: close
c2: ls /
c2: stat /
c1: get /c1-persistent             # SESSIONEXPIRED
c1: create /again                  # SESSIONEXPIRED
c1: close                          # SESSIONEXPIRED: already closed
connect c1 to 3                    # a new session under the same name
c1: create -e /c1-eph second
c2: stat /c1-eph
"##,
        ),
        (
            "session-expire-01.zks",
            r##"# Real session expiry: the client goes silent past its timeout; the leader expires the
# session (a closeSession txn: one zxid), ephemerals are deleted and watchers notified;
# the client, once it reaches a server again, learns it is Expired.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 3 timeout 2000
connect c2 to 1
c1: create /locks
c1: create -e /locks/l1 a
c1: create -s -e /locks/s- b
c2: ls -w /locks
expire c1
c2: ls /locks
c2: create /probe
c2: stat /probe                    # czxid shows that the expiry took exactly one zxid
c1: ls /                           # SESSIONEXPIRED
c1: close                          # SESSIONEXPIRED
"##,
        ),
        (
            "session-move-01.zks",
            r##"# A session moves between servers: c1 is on follower 3; 3 crashes; c1 reconnects to another
# server within its timeout and keeps its session, ephemerals and watches.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 3
connect c2 to 1
c1: create -e /alive yes
c2: get -w /alive
crash 3                            # no election (3 was a follower)
c1: stat /alive                    # same owner, same session
c1: set /alive still
c2: ls /
restart 3
status
c1: get /alive
"##,
        ),
        (
            "watch-acl-01.zks",
            r##"# Watches and ACLs: a get -w that fails with NOAUTH sets no watch; stat -w needs no
# permission and does set one.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect owner
connect other
owner: addauth digest alice:secret
owner: create /sec v0 digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdrwa
other: get -w /sec                 # NOAUTH, no watch
other: ls -w /sec                  # NOAUTH, no watch
other: stat -w /sec                # allowed (exists checks no ACL), watch set
owner: set /sec v1                 # NodeDataChanged to other
owner: create /sec/kid             # nothing for other
other: getAcl /sec                 # NOAUTH
owner: getAcl /sec
"##,
        ),
        (
            "watch-child-01.zks",
            r##"# Child watches (ls -w) fire NodeChildrenChanged on child create/delete only; data changes of
# the parent or of a child do not fire them; deleting the watched node fires NodeDeleted.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 2
c1: create /dir
c2: ls -w /dir
c1: set /dir x                     # data change of the parent: nothing
c1: create /dir/a                  # NodeChildrenChanged /dir
c1: create /dir/b                  # nothing (one-shot)
c2: ls -w /dir
c1: set /dir/a y                   # data change of a child: nothing
c1: create /dir/a/deep             # grandchild: nothing
c1: delete /dir/b                  # NodeChildrenChanged /dir
c2: ls -s -w /dir
c1: create -e /dir/e               # NodeChildrenChanged /dir
c2: ls -w /dir/a
c1: delete /dir/a/deep             # NodeChildrenChanged /dir/a
c2: ls -w /dir/a
c1: delete /dir/a                  # NodeDeleted /dir/a (child watch on the deleted node)
c2: ls /dir
"##,
        ),
        (
            "watch-data-01.zks",
            r##"# Data watches (get -w) are one-shot: the first change fires NodeDataChanged, later changes
# fire nothing until the watch is set again; delete fires NodeDeleted.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 2
c1: create /w v0
c2: get -w /w
c1: set /w v1                      # fires
c1: set /w v2                      # watch already consumed: nothing
c2: get /w                         # plain get does not re-arm
c1: set /w v3                      # nothing
c2: get -w /w
c2: get -w /w                      # registering twice is still one watch
c1: set /w v4                      # fires once
c2: get -w /w
c1: delete /w                      # NodeDeleted
c1: create /w again                # nothing: the watch was consumed by the delete
c2: get /w
"##,
        ),
        (
            "watch-exists-01.zks",
            r##"# Exists watches (stat -w): on a missing node the command fails (NONODE) but the watch is
# set and fires NodeCreated; on an existing node it fires NodeDataChanged or NodeDeleted.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 3
c2: stat -w /x                     # NONODE, watch set anyway
c1: create /x one                  # NodeCreated
c1: set /x two                     # nothing (one-shot)
c2: stat -w /x
c1: set /x three                   # NodeDataChanged
c2: stat -w /x
c1: delete /x                      # NodeDeleted
c2: get -w /x                      # NONODE: a failed get sets no watch
c1: create /x four                 # nothing
c2: ls -w /x/none                  # NONODE: a failed ls sets no watch
c1: create /x/none                 # nothing
c2: stat -w /x/none
c1: create /x/none/sub             # a grandchild create is not a change of /x/none's data
c1: set /x/none d                  # NodeDataChanged
"##,
        ),
        (
            "watch-failed-01.zks",
            r##"# Failed writes never fire watches; setAcl fires no watch; sync fires nothing.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 2
c1: create /f v0
c2: get -w /f
c2: ls -w /f
c1: set -v 9 /f nope               # BADVERSION: nothing fires
c1: delete -v 9 /f                 # BADVERSION: nothing
c1: create /f dup                  # NODEEXISTS: nothing
c1: setAcl /f world:anyone:cdrwa   # ACL change: no watch event
c1: sync /f
c1: create /f/x "" bogus:id:cdrwa  # INVALIDACL: nothing
c1: set /f v1                      # NodeDataChanged
c1: create /f/x                    # NodeChildrenChanged
"##,
        ),
        (
            "watch-reconnect-01.zks",
            r##"# Watches survive a move to another server: the client re-registers them (SetWatches) when it
# reconnects with the same session, so later changes still fire.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 3
connect c2 to 1
c2: create /cfg v0
c2: create /dir
c1: get -w /cfg
c1: ls -w /dir
c1: stat -w /later
crash 3                            # c1: Disconnected, then SyncConnected on server 1
c2: set /cfg v1                    # NodeDataChanged to c1
c2: create /dir/x                  # NodeChildrenChanged to c1
c2: create /later                  # NodeCreated to c1
c1: get /cfg
restart 3
c2: set /cfg v2                    # nothing: c1's watch was one-shot
status
"##,
        ),
        (
            "watch-self-01.zks",
            r##"# A client's own write triggers its own watch: the notification reaches the client before
# the reply to the write, so the event line comes before that client's result line.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 2
c1: create /me v0
c1: get -w /me
c1: set /me v1
c1: ls -w /
c1: create /sib
c1: stat -w /me
c1: ls -w /me
c1: create /me/c
c1: delete /me/c
c1: get -w /me
c1: delete /me
"##,
        ),
        (
            "znode-container-01.zks",
            r##"# Container nodes (create -c): stat shows no owner; they hold children like persistent nodes.
# (The container manager only runs every 60 s, so nothing is reaped during this script.)
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create -c /box
c1: stat /box
c1: create /box/item
c1: create -c /box/inner
c1: create -e /box/eph
c1: ls /box
c1: stat /box
c1: delete /box/item
c1: delete /box/inner
c1: delete /box/eph
c1: stat /box
c1: ls /
"##,
        ),
        (
            "znode-crud-01.zks",
            r##"# znode CRUD basics: create/get/set/delete/ls/stat, null data vs empty data,
# NONODE/NODEEXISTS/NOTEMPTY from the ordinary commands.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: ls /
c1: stat /
c1: create /app hello
c1: get /app
c1: create /app again          # NODEEXISTS
c1: create /nodata             # no data argument: null data, get prints null
c1: get /nodata
c1: create /empty ""           # empty string: zero-length data, not null
c1: get /empty
c1: set /app world
c1: get /app
c1: create /app/child1 c1data
c1: create /app/child2
c1: ls /app
c1: ls -s /app
c1: stat /app/child1
c1: delete /app                # NOTEMPTY
c1: delete /app/child1
c1: delete /app/child1         # NONODE
c1: get /app/child1            # NONODE
c1: set /app/child1 x          # NONODE
c1: ls /app/child1             # NONODE
c1: stat /app/child1           # NONODE (zkCli: Node does not exist)
c1: create /nope/child         # NONODE: parent missing
c1: delete /app/child2
c1: delete /app
c1: ls /
c1: stat /
"##,
        ),
        (
            "znode-data-01.zks",
            r##"# Data arguments: quoting and escapes of the script language, UTF-8 text, numbers, and a
# negative number (which zkCli's option parser accepts as an argument).
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create /d1 "two words"
c1: get /d1
c1: create /d2 "say \"hi\" \\ bye"
c1: get /d2
c1: create /d3 "😀 emoji and 汉字"
c1: get /d3
c1: create /d4 -5
c1: get /d4
c1: create /d5 0
c1: set /d5 "#not-a-comment"
c1: get /d5
c1: set /d1 ""
c1: get /d1
c1: create /d6 "x" world:anyone:cdrwa
c1: get /d6
"##,
        ),
        (
            "znode-deleteall-01.zks",
            r##"# deleteall (zkCli 3.8): lists the subtree, then deletes it leaves-first in ONE multi, so all
# deletions share one zxid.  Watchers see the events of each delete.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
connect c2
c1: create /tree
c1: create /tree/a
c1: create /tree/a/x
c1: create /keep
c2: ls -w /                        # child watch on the root
c2: get -w /tree/a/x               # data watch on a leaf
c2: stat -w /tree                  # exists watch on the subtree root
c1: deleteall /tree
c1: ls /
c1: stat /                         # pzxid of / = the multi's zxid
c1: create /after
c1: stat /after                    # exactly one zxid after the multi
c1: deleteall /tree                # NONODE
c1: deleteall /keep                # a single node
c1: ls /
"##,
        ),
        (
            "znode-ephemeral-01.zks",
            r##"# Ephemeral nodes: owner shown by client name; no children; removed on close, with watch
# events to the other clients.  (c1 owns two ephemerals; each watcher watches only one thing,
# because the order in which one closeSession deletes several ephemerals is hash order.)
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1 to 1
connect c2 to 2
connect c3 to 3
c1: create /svc
c1: create -e /svc/a alpha
c1: create -e /svc/b beta
c2: create -e /svc/c gamma
c1: stat /svc/a
c2: stat /svc/c
c1: create /svc/a/child            # NOCHILDRENFOREPHEMERALS
c1: create -e /svc/a/child         # NOCHILDRENFOREPHEMERALS
c1: create -s /svc/a/seq           # NOCHILDRENFOREPHEMERALS
c2: ls -w /svc
c3: get -w /svc/a
c1: close
c2: ls /svc
c2: stat /svc
c2: delete /svc/c                  # an owner may delete its ephemeral explicitly
c3: ls /svc
"##,
        ),
        (
            "znode-errors-01.zks",
            r##"# Every error code a zkCli command can get from a healthy ensemble, one per line.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
connect c2
c1: create /e x
c1: create /e y                         # NODEEXISTS
c1: get /missing                        # NONODE
c1: create /e/k
c1: delete /e                           # NOTEMPTY
c1: set -v 3 /e z                       # BADVERSION
c1: delete -v 3 /e/k                    # BADVERSION
c1: create -e /eph
c1: create /eph/child                   # NOCHILDRENFOREPHEMERALS
c1: create /ro data world:anyone:r
c1: set /ro other                       # NOAUTH
c1: create /bad "" nosuchscheme:x:cdrwa # INVALIDACL (server side)
c1: create /bad "" notanacl             # INVALIDACL (client side: the ACL list is empty)
c1: create relative                     # BADARGUMENTS (client-side path check)
c1: delete /zookeeper                   # BADARGUMENTS (server: special path)
c1: close
c1: ls /                                # SESSIONEXPIRED (the handle is closed)
c2: ls /
"##,
        ),
        (
            "znode-ls-01.zks",
            r##"# ls output: children sorted (Java String order: uppercase before lowercase, digits first),
# ls -s adds the parent's stat, ls -R lists a node's children before descending.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create /d
c1: create /d/b
c1: create /d/a
c1: create /d/B
c1: create /d/10
c1: create /d/9
c1: create /d/a-b
c1: create /d/a_b
c1: create /d/a/z
c1: create /d/a/y
c1: create /d/a/y/deep
c1: create /d/b/c
c1: ls /d
c1: ls -s /d
c1: ls -R /d
c1: ls /d/a/y/deep
c1: ls -R /d/a/y/deep
c1: ls /d/none                      # NONODE
c1: ls -s /d/none                   # NONODE
"##,
        ),
        (
            "znode-paths-01.zks",
            r##"# Path validation as the Java client does it (PathUtils.validatePath): invalid paths are
# rejected before anything is sent (BADARGUMENTS, no zxid consumed).  Legal oddities work.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create noslash
c1: create /trailing/
c1: create /a//b
c1: create /a/./b
c1: create /a/../b
c1: create /.
c1: create /..
c1: get ""
c1: create /...                  # legal name
c1: create /.hidden              # legal
c1: create /dot.                 # legal
c1: create "/with space" "a b c" # legal
c1: create /数据 "中文数据"        # legal: any BMP character outside the forbidden ranges
c1: get /数据
c1: create -s /seqdir/           # NONODE: the parent /seqdir does not exist
c1: create /seqdir
c1: create -s /seqdir/           # trailing slash is legal for a sequential create
c1: create /seqdir/              # but not for a plain create
c1: ls /seqdir
c1: ls /
c1: stat /
"##,
        ),
        (
            "znode-seq-01.zks",
            r##"# Sequential names: path + %010d of the parent's child-creation counter (cversion before the
# create).  Plain and sequential children share the counter.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create /q
c1: create -s /q/item-
c1: create -s /q/item-
c1: create /q/plain               # a plain child advances the counter too
c1: create -s /q/item-
c1: create -s /q/other-           # one counter per parent, whatever the prefix
c1: create -s /q/ data            # empty prefix (trailing slash)
c1: ls /q
c1: stat /q
c1: create /q2
c1: create -s /q2/x               # a fresh parent starts at 0000000000
c1: create -s /under-root-        # the root's counter: / already has a child (zookeeper)
c1: ls /
"##,
        ),
        (
            "znode-seq-02.zks",
            r##"# Deletes never make a sequence number reusable: the suffix keeps counting creations.
# Visible cversion counts creations and deletions (2 * creations - numChildren).
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create /s
c1: create -s /s/n_
c1: create -s /s/n_
c1: create -s /s/n_
c1: stat /s
c1: delete /s/n_0000000001
c1: stat /s
c1: create -s /s/n_                # 0000000003, not 0000000001
c1: delete /s/n_0000000003
c1: delete /s/n_0000000002
c1: stat /s
c1: create -s /s/n_                # 0000000004
c1: ls /s
c1: stat /s
c1: create /s/n_0000000006         # a plain create advances the counter to 6 and takes that name...
c1: create -s /s/n_                # ...so the sequential create collides: NODEEXISTS
c1: create -s /s/n_                # a failed create does not advance the counter: NODEEXISTS again
c1: create /s/other                # any successful child create moves it on
c1: create -s /s/n_                # n_0000000007
c1: ls /s
c1: stat /s
"##,
        ),
        (
            "znode-stat-01.zks",
            r##"# Stat fields after each kind of operation: czxid/mzxid/pzxid, version/cversion/aversion,
# dataLength (bytes, UTF-8), numChildren.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
c1: create /p parent
c1: stat /p
c1: create /p/a 12345
c1: stat /p
c1: stat /p/a
c1: set /p/a 1234567890
c1: stat /p/a
c1: stat /p                       # a child's setData does not touch the parent
c1: set /p é                      # 2 bytes in UTF-8
c1: stat /p
c1: setAcl /p world:anyone:cdrwa  # aversion only
c1: stat /p
c1: create /p/b
c1: delete /p/b                   # pzxid moves, cversion counts the delete too
c1: stat /p
c1: create /p/a/x
c1: stat /p/a
c1: stat /p                       # grandchildren do not change the parent
c1: set /p/a ""
c1: stat /p/a
"##,
        ),
        (
            "znode-version-01.zks",
            r##"# Versions and conditional updates: set/delete -v must match dataVersion; -v -1 means any;
# a failed conditional write changes nothing (but consumes a zxid).
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1
connect c2
c1: create /cfg v0
c1: set -v 0 /cfg v1
c2: set -v 0 /cfg lost-update     # BADVERSION: c2 read an old version
c2: get /cfg
c2: set -v 1 /cfg v2
c1: set -v -1 /cfg v3             # -1: unconditional
c1: set /cfg v4                   # no -v: same as -1
c1: get /cfg
c1: delete -v 3 /cfg              # BADVERSION
c1: delete -v 4 /cfg
c1: create /cfg again             # a new node starts again at version 0
c1: set -s -v 0 /cfg next
c1: get -s /cfg
c1: delete -v -1 /cfg
c1: set -v 0 /cfg x               # NONODE before any version check
"##,
        ),
        (
            "znode-zxid-01.zks",
            r##"# zxid accounting: createSession and closeSession are transactions; every write consumes a
# zxid even when it fails on the server (error txn); reads, sync and client-side rejections
# do not.  Watch czxid/mzxid/pzxid of the probe nodes.
servers 3
config tickTime=200 initLimit=20 syncLimit=10
start 1 2 3
connect c1                          # createSession
c1: create /z1
c1: stat /z1
c1: create /z1                      # NODEEXISTS: error txn, consumes a zxid
c1: get /z1                         # read: no zxid
c1: ls /
c1: sync /
c1: create /z2
c1: stat /z2
c1: set -v 5 /z2 x                  # BADVERSION: error txn
c1: delete /nothere                 # NONODE on delete: error txn
c1: create bad                      # rejected by the client library: nothing sent
c1: create /z3 "" notanacl          # empty ACL list, rejected by the client library
c1: create /z3
c1: stat /z3
connect c2                          # another createSession
c2: close                           # closeSession
c1: create /z4
c1: stat /z4
c1: set /z4 v1
c1: set /z4 v2
c1: stat /z4
c1: stat /
"##,
        ),
    ];
}
