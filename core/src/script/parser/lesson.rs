//! Parsing the lesson lines (`title`, `note`, `pause`, `quiz`) and the recipe lines
//! (`recipe election …`, `recipe lock …`, `recipe resign`, `recipe unlock`).

use super::{Args, Parser, is_client_name, parse_uint, server_id};
use crate::recipe::{RecipeKind, RecipeSpec, Variant};
use crate::script::ast::Directive;
use crate::script::lesson::{Lang, Quiz, QuizAnswer, Texts};
use crate::script::lexer::{Word, show};
use crate::script::parser::ScriptError;

/// The error codes a `result=` answer may name (the trace's `err` values).
const ERRORS: [&str; 10] = [
    "NONODE",
    "NODEEXISTS",
    "NOTEMPTY",
    "BADVERSION",
    "NOCHILDRENFOREPHEMERALS",
    "NOAUTH",
    "INVALIDACL",
    "BADARGUMENTS",
    "CONNECTIONLOSS",
    "SESSIONEXPIRED",
];

impl Parser {
    /// `title en "…" zh "…"`, `note en "…" zh "…"`.
    pub(super) fn narration_text(
        &mut self,
        w0: &Word,
        a: &mut Args<'_>,
    ) -> Result<Directive, ScriptError> {
        if w0.text == "title" {
            if let Some(first) = self.title_line {
                return Err(a.at(
                    w0.col,
                    format!("expected one \"title\" per script, found a second (the first is on line {first})"),
                ));
            }
            self.title_line = Some(a.line);
        }
        let mut texts = Texts::default();
        while let Some(w) = a.next() {
            if !texts_key(a, w, &mut texts)? {
                return Err(a.expected(&keys_expected(&texts, false), Some(w)));
            }
        }
        if texts.en.is_none() && texts.zh.is_none() {
            return Err(a.expected("en \"TEXT\" or zh \"TEXT\"", None));
        }
        Ok(if w0.text == "title" {
            Directive::Title(texts)
        } else {
            Directive::Note(texts)
        })
    }

    /// `quiz en "…" zh "…" answer KIND=VALUE`.
    pub(super) fn quiz(&mut self, w0: &Word, a: &mut Args<'_>) -> Result<Directive, ScriptError> {
        let e = self.ensemble_for(w0, a)?;
        let servers = e.all();
        let mut texts = Texts::default();
        let mut answer: Option<QuizAnswer> = None;
        while let Some(w) = a.next() {
            if texts_key(a, w, &mut texts)? {
                continue;
            }
            if w.text == "answer" && !w.quoted && answer.is_none() {
                let v = a.need(ANSWER)?;
                answer = Some(self.answer(a, v, &servers)?);
                continue;
            }
            return Err(a.expected(&keys_expected(&texts, answer.is_none()), Some(w)));
        }
        if texts.en.is_none() && texts.zh.is_none() {
            return Err(a.expected("en \"QUESTION\" or zh \"QUESTION\"", None));
        }
        let Some(answer) = answer else {
            return Err(a.expected("answer KIND=VALUE", None));
        };
        let choices = self.choices(&answer, &servers);
        Ok(Directive::Quiz(Quiz {
            question: texts,
            answer,
            choices,
        }))
    }

    fn answer(
        &self,
        a: &Args<'_>,
        w: &Word,
        servers: &[crate::ServerId],
    ) -> Result<QuizAnswer, ScriptError> {
        let Some((kind, value)) = w.text.split_once('=') else {
            return Err(a.expected(ANSWER, Some(w)));
        };
        let bad = |what: &str| a.at(w.col, format!("expected {what}, found {}", show(value)));
        match kind {
            "leader" if value == "none" => Ok(QuizAnswer::Leader(None)),
            "leader" => {
                let fake = Word {
                    text: value.to_string(),
                    ..w.clone()
                };
                let id = server_id(a, &fake)?;
                if !servers.contains(&id) {
                    return Err(bad("a declared server id or none after leader="));
                }
                Ok(QuizAnswer::Leader(Some(id)))
            }
            "holder" if value == "none" => Ok(QuizAnswer::Holder(None)),
            "holder" => {
                if !is_client_name(value) {
                    return Err(bad("a client name or none after holder="));
                }
                self.connected(a, w.col, value)?;
                Ok(QuizAnswer::Holder(Some(value.to_string())))
            }
            "notified" | "events" => {
                let Some(n) = parse_uint(value).and_then(|n| u32::try_from(n).ok()) else {
                    return Err(bad(&format!("a number after {kind}=")));
                };
                Ok(if kind == "notified" {
                    QuizAnswer::Notified(n)
                } else {
                    QuizAnswer::Events(n)
                })
            }
            "exists" | "missing" => {
                if crate::acl::validate_path(value, false).is_err() {
                    return Err(bad(&format!("a znode path after {kind}=")));
                }
                Ok(QuizAnswer::Exists {
                    path: value.to_string(),
                    exists: kind == "exists",
                })
            }
            "result" => {
                if value != "ok" && !ERRORS.contains(&value) {
                    return Err(bad(&format!(
                        "ok or an error code ({}) after result=",
                        ERRORS.join(", ")
                    )));
                }
                Ok(QuizAnswer::Result(value.to_string()))
            }
            _ => Err(a.expected(ANSWER, Some(w))),
        }
    }

    fn choices(&self, answer: &QuizAnswer, servers: &[crate::ServerId]) -> Vec<String> {
        let numbers = |n: u32| {
            (0..=n.saturating_add(1).max(3))
                .map(|k| k.to_string())
                .collect()
        };
        match answer {
            QuizAnswer::Leader(_) => servers
                .iter()
                .map(|s| s.0.to_string())
                .chain(std::iter::once("none".to_string()))
                .collect(),
            QuizAnswer::Holder(_) => self
                .recipe_clients
                .iter()
                .cloned()
                .chain(std::iter::once("none".to_string()))
                .collect(),
            QuizAnswer::Notified(n) | QuizAnswer::Events(n) => numbers(*n),
            QuizAnswer::Exists { .. } => vec!["yes".into(), "no".into()],
            QuizAnswer::Result(r) => {
                let mut v: Vec<String> = ["ok", "BADVERSION", "NODEEXISTS", "NONODE"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                if !v.contains(r) {
                    v.push(r.clone());
                }
                v
            }
        }
    }

    /// `recipe election VARIANT [path=/p] CLIENT…`, `recipe lock [path=/p] CLIENT…`,
    /// `recipe resign CLIENT`, `recipe unlock CLIENT`.
    pub(super) fn recipe(&mut self, w0: &Word, a: &mut Args<'_>) -> Result<Directive, ScriptError> {
        self.ensemble_for(w0, a)?;
        const WHAT: &str = "election, lock, resign or unlock";
        let w = a.need(WHAT)?;
        let kind = match w.text.as_str() {
            "election" => {
                const VARIANTS: &str = "a variant (herd-free, naive or naive-children)";
                let v = a.need(VARIANTS)?;
                RecipeKind::Election(match v.text.as_str() {
                    "herd-free" => Variant::HerdFree,
                    "naive" => Variant::Naive,
                    "naive-children" => Variant::NaiveChildren,
                    _ => return Err(a.expected(VARIANTS, Some(v))),
                })
            }
            "lock" => RecipeKind::Lock,
            "resign" | "unlock" => return self.recipe_leave(a, w),
            _ => return Err(a.expected(WHAT, Some(w))),
        };
        let mut root = kind.default_root().to_string();
        let mut clients: Vec<String> = Vec::new();
        while let Some(w) = a.next() {
            if let Some(p) = w.text.strip_prefix("path=")
                && clients.is_empty()
                && !w.quoted
            {
                if p == "/" || crate::acl::validate_path(p, true).is_err() {
                    return Err(a.at(
                        w.col,
                        format!(
                            "expected a znode path other than / after path=, found {}",
                            show(p)
                        ),
                    ));
                }
                root = p.to_string();
                continue;
            }
            if !is_client_name(&w.text) {
                return Err(a.expected("a client name ([a-z][a-z0-9_]*)", Some(w)));
            }
            self.connected(a, w.col, &w.text)?;
            if clients.contains(&w.text) {
                return Err(a.at(
                    w.col,
                    format!("expected each client once, found {} twice", show(&w.text)),
                ));
            }
            if let Some((k, line)) = self.recipes.get(&w.text) {
                let leave = if matches!(k, RecipeKind::Lock) {
                    "unlock"
                } else {
                    "resign"
                };
                return Err(a.at(
                    w.col,
                    format!(
                        "client \"{}\" already runs the {} recipe (line {line}): \"recipe {leave} {}\" first",
                        w.text,
                        k.family(),
                        w.text
                    ),
                ));
            }
            clients.push(w.text.clone());
        }
        if clients.is_empty() {
            return Err(a.expected("a client name", None));
        }
        for c in &clients {
            self.recipes.insert(c.clone(), (kind, a.line));
            if !self.recipe_clients.contains(c) {
                self.recipe_clients.push(c.clone());
            }
        }
        Ok(Directive::Recipe {
            spec: RecipeSpec { kind, root },
            clients,
        })
    }

    fn recipe_leave(&mut self, a: &mut Args<'_>, verb: &Word) -> Result<Directive, ScriptError> {
        let cw = a.need("a client name")?;
        if !is_client_name(&cw.text) {
            return Err(a.expected("a client name ([a-z][a-z0-9_]*)", Some(cw)));
        }
        self.connected(a, cw.col, &cw.text)?;
        a.end()?;
        let want_lock = verb.text == "unlock";
        match self.recipes.get(&cw.text) {
            Some((k, _)) if matches!(k, RecipeKind::Lock) == want_lock => {}
            _ => {
                let family = if want_lock { "lock" } else { "election" };
                return Err(a.at(
                    cw.col,
                    format!(
                        "client \"{}\" is not running the {family} recipe: \"recipe {}\" needs a client of a \"recipe {family}\" line",
                        cw.text, verb.text
                    ),
                ));
            }
        }
        self.recipes.remove(&cw.text);
        Ok(Directive::RecipeLeave(cw.text.clone()))
    }
}

const ANSWER: &str = "KIND=VALUE (leader=ID, leader=none, holder=CLIENT, holder=none, notified=N, events=N, exists=PATH, missing=PATH or result=CODE)";

/// If `w` is `en` or `zh`, takes its text into `texts`.
fn texts_key(a: &mut Args<'_>, w: &Word, texts: &mut Texts) -> Result<bool, ScriptError> {
    if w.quoted {
        return Ok(false);
    }
    let Some(lang) = Lang::from_code(&w.text) else {
        return Ok(false);
    };
    let slot = match lang {
        Lang::En => &mut texts.en,
        Lang::Zh => &mut texts.zh,
    };
    if slot.is_some() {
        return Err(a.at(
            w.col,
            format!("expected each language once, found a second {}", w.text),
        ));
    }
    let t = a.need(&format!("a text after {}", w.text))?;
    *slot = Some(t.text.clone());
    Ok(true)
}

fn keys_expected(texts: &Texts, answer: bool) -> String {
    let mut keys: Vec<&str> = Vec::new();
    if texts.en.is_none() {
        keys.push("en \"TEXT\"");
    }
    if texts.zh.is_none() {
        keys.push("zh \"TEXT\"");
    }
    if answer {
        keys.push("answer KIND=VALUE");
    }
    match keys.len() {
        0 => "end of line".into(),
        1 => format!("{} or end of line", keys[0]),
        _ => format!("{} or end of line", keys.join(", ")),
    }
}
