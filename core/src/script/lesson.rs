//! Narration: what a lesson shows besides the simulation — its title, notes in English and
//! Simplified Chinese, the stops where it waits for "Next", and quizzes whose answer the
//! simulation then shows (docs/scenario-script.md, "Lessons").
//!
//! Narration lines (`title`, `note`, `pause`, `quiz`) run nothing: the simulation and the
//! trace of a script are the same with or without them. The [`Player`](super::Player) keeps
//! what they showed, in order, and renders a *lesson transcript* — the trace lines and the
//! texts shown, interleaved as they happened, in one language — which is what lesson goldens
//! record.

use serde_json::{Map, Value, json};

use crate::ServerId;
use crate::sim::Sim;

/// A language of the lesson texts and the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese (zh-CN).
    Zh,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// `en` or `zh`: the script's key and the share link's `lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language for a code: exactly `en` or `zh`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

/// A text in both languages; either may be missing (the other is shown then).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Texts {
    /// English.
    pub en: Option<String>,
    /// Simplified Chinese.
    pub zh: Option<String>,
}

impl Texts {
    /// The text in `lang`, or in the other language when that one is missing. Texts are data:
    /// a view must show them as text, never as markup.
    pub fn get(&self, lang: Lang) -> &str {
        let (want, other) = match lang {
            Lang::En => (&self.en, &self.zh),
            Lang::Zh => (&self.zh, &self.en),
        };
        want.as_deref().or(other.as_deref()).unwrap_or("")
    }

    /// The text in exactly `lang`, if written.
    pub fn exactly(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.en.as_deref(),
            Lang::Zh => self.zh.as_deref(),
        }
    }
}

/// A quiz: a question, the answers a view offers, and the answer the simulation will show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiz {
    /// The question.
    pub question: Texts,
    /// The answer.
    pub answer: QuizAnswer,
    /// What a view offers to choose from (the answer's label among them).
    pub choices: Vec<String>,
}

/// A quiz's answer: a fact the simulation shows by the next stop (or the end of the script),
/// checked then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizAnswer {
    /// `leader=3` / `leader=none`: the established leader.
    Leader(Option<ServerId>),
    /// `holder=c2` / `holder=none`: the leader (election) or holder (lock) of the recipe the
    /// client is in; for `none`, of the recipe started last.
    Holder(Option<String>),
    /// `notified=3`: the watch notifications the latest leader (or lock holder) change cost.
    Notified(u32),
    /// `exists=/a` (yes) / `missing=/a` (no): whether the node exists on the leader.
    Exists {
        /// The node.
        path: String,
        /// True for `exists=`.
        exists: bool,
    },
    /// `result=BADVERSION` / `result=ok`: how the last command before the reveal ended.
    Result(String),
    /// `events=1`: how many watch notifications clients received between the quiz and the
    /// reveal.
    Events(u32),
}

impl QuizAnswer {
    /// The answer as the transcript and a view show it: `3`, `none`, `c2`, `yes`, `no`,
    /// `BADVERSION`, `ok`, `1`.
    pub fn label(&self) -> String {
        match self {
            QuizAnswer::Leader(Some(s)) => s.0.to_string(),
            QuizAnswer::Leader(None) | QuizAnswer::Holder(None) => "none".into(),
            QuizAnswer::Holder(Some(c)) => c.clone(),
            QuizAnswer::Notified(n) | QuizAnswer::Events(n) => n.to_string(),
            QuizAnswer::Exists { exists, .. } => if *exists { "yes" } else { "no" }.into(),
            QuizAnswer::Result(r) => r.clone(),
        }
    }

    /// What the simulation shows for this question now, in the same words as [`label`]
    /// (`since_quiz` is the trace printed since the quiz).
    ///
    /// [`label`]: QuizAnswer::label
    pub fn shown(&self, sim: &Sim, since_quiz: &[String]) -> String {
        match self {
            QuizAnswer::Leader(_) => sim
                .established_leader()
                .map_or("none".into(), |l| l.id.0.to_string()),
            QuizAnswer::Holder(who) => {
                let groups = crate::recipe::groups(sim);
                let group = who
                    .as_ref()
                    .and_then(|c| {
                        groups
                            .iter()
                            .rev()
                            .find(|g| g.members.iter().any(|m| &m.name == c))
                    })
                    .or(groups.last());
                group
                    .and_then(|g| g.leader.clone())
                    .unwrap_or_else(|| "none".into())
            }
            QuizAnswer::Notified(_) => crate::recipe::groups(sim)
                .iter()
                .filter_map(|g| g.changes.last())
                .max_by_key(|c| c.at)
                .map_or(0, |c| c.notifications())
                .to_string(),
            QuizAnswer::Exists { path, .. } => match sim.established_leader() {
                Some(l) => if l.db.tree.get(path).is_some() {
                    "yes"
                } else {
                    "no"
                }
                .into(),
                None => "unknown".into(),
            },
            QuizAnswer::Result(_) => since_quiz
                .iter()
                .rev()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .find_map(|v| match v.get("ok") {
                    Some(Value::Bool(true)) => Some("ok".to_string()),
                    Some(Value::Bool(false)) => {
                        v.get("err").and_then(|e| e.as_str()).map(str::to_string)
                    }
                    _ => None,
                })
                .unwrap_or_else(|| "none".into()),
            QuizAnswer::Events(_) => since_quiz
                .iter()
                .filter(|l| l.contains("\"event\":"))
                .count()
                .to_string(),
        }
    }
}

/// One thing a lesson showed, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// The title.
    Title {
        /// Its line.
        line: u32,
        /// The text.
        texts: Texts,
    },
    /// A note.
    Note {
        /// Its line.
        line: u32,
        /// The text.
        texts: Texts,
    },
    /// A stop (`pause`, or `quiz` with its question).
    Stop {
        /// Its line.
        line: u32,
        /// 1-based: the first stop is 1.
        index: usize,
        /// The question, for a quiz.
        quiz: Option<Quiz>,
    },
    /// The answer to the quiz at stop `index`, as the simulation showed it at the next stop
    /// (or at the end of the script).
    Reveal {
        /// The quiz's stop.
        index: usize,
        /// The quiz's answer.
        answer: String,
        /// What the simulation showed.
        shown: String,
    },
}

impl Shown {
    /// The transcript line for this item in `lang` (compact JSON, keys in this order).
    pub fn to_json(&self, lang: Lang) -> String {
        let mut o = Map::new();
        match self {
            Shown::Title { line, texts } => {
                o.insert("line".into(), json!(line));
                o.insert("title".into(), json!(texts.get(lang)));
            }
            Shown::Note { line, texts } => {
                o.insert("line".into(), json!(line));
                o.insert("note".into(), json!(texts.get(lang)));
            }
            Shown::Stop {
                line,
                index,
                quiz: None,
            } => {
                o.insert("line".into(), json!(line));
                o.insert("pause".into(), json!(index));
            }
            Shown::Stop {
                line,
                index,
                quiz: Some(q),
            } => {
                o.insert("line".into(), json!(line));
                o.insert("quiz".into(), json!(index));
                o.insert("question".into(), json!(q.question.get(lang)));
                o.insert("choices".into(), json!(q.choices));
                o.insert("answer".into(), json!(q.answer.label()));
            }
            Shown::Reveal {
                index,
                answer,
                shown,
            } => {
                o.insert("reveal".into(), json!(index));
                o.insert("answer".into(), json!(answer));
                o.insert("shown".into(), json!(shown));
            }
        }
        Value::Object(o).to_string()
    }
}

/// The narration of a run so far: what was shown, and where in the trace.
#[derive(Debug, Clone, Default)]
pub struct Narration {
    /// Each item with the trace length when it was shown.
    pub items: Vec<(usize, Shown)>,
    /// The last stop reached (0 before the first).
    pub stop: usize,
    /// The quiz waiting for its reveal: (stop, quiz, trace length when asked).
    pending: Option<(usize, Quiz, usize)>,
}

impl Narration {
    /// Records a narration line; returns the stop's index for `pause` and `quiz`.
    pub fn on_line(
        &mut self,
        line: u32,
        d: &super::Directive,
        sim: &Sim,
        trace: &[String],
    ) -> Option<usize> {
        use super::Directive;
        let at = trace.len();
        match d {
            Directive::Title(t) => {
                self.items.push((
                    at,
                    Shown::Title {
                        line,
                        texts: t.clone(),
                    },
                ));
                None
            }
            Directive::Note(t) => {
                self.items.push((
                    at,
                    Shown::Note {
                        line,
                        texts: t.clone(),
                    },
                ));
                None
            }
            Directive::Pause | Directive::Quiz(_) => {
                self.reveal(sim, trace);
                self.stop += 1;
                let quiz = match d {
                    Directive::Quiz(q) => {
                        self.pending = Some((self.stop, q.clone(), at));
                        Some(q.clone())
                    }
                    _ => None,
                };
                self.items.push((
                    at,
                    Shown::Stop {
                        line,
                        index: self.stop,
                        quiz,
                    },
                ));
                Some(self.stop)
            }
            _ => None,
        }
    }

    /// Shows the answer of the pending quiz (at the next stop, or at the end of the script).
    pub fn reveal(&mut self, sim: &Sim, trace: &[String]) {
        if let Some((index, q, asked)) = self.pending.take() {
            let shown = q.answer.shown(sim, trace.get(asked..).unwrap_or_default());
            self.items.push((
                trace.len(),
                Shown::Reveal {
                    index,
                    answer: q.answer.label(),
                    shown,
                },
            ));
        }
    }

    /// The transcript: trace lines and narration in the order they came, in `lang`.
    pub fn transcript(&self, trace: &[String], lang: Lang) -> Vec<String> {
        let mut out = Vec::with_capacity(trace.len() + self.items.len());
        let mut t = 0;
        for (at, item) in &self.items {
            while t < *at && t < trace.len() {
                out.push(trace[t].clone());
                t += 1;
            }
            out.push(item.to_json(lang));
        }
        out.extend(trace[t.min(trace.len())..].iter().cloned());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_language_falls_back_to_the_other() {
        let t = Texts {
            en: Some("Hello".into()),
            zh: None,
        };
        assert_eq!(t.get(Lang::En), "Hello");
        assert_eq!(t.get(Lang::Zh), "Hello");
        assert_eq!(t.exactly(Lang::Zh), None);
        assert_eq!(Texts::default().get(Lang::En), "");
    }

    #[test]
    fn language_codes() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
            assert_eq!(l.other().other(), l);
        }
        assert_eq!(Lang::from_code("zh-CN"), None);
    }

    #[test]
    fn transcript_lines_keep_their_order_and_texts_stay_text() {
        let mut n = Narration::default();
        n.items.push((
            1,
            Shown::Note {
                line: 3,
                texts: Texts {
                    en: Some("<b>\"x\"</b>".into()),
                    zh: Some("你好".into()),
                },
            },
        ));
        let trace = vec!["{\"a\":1}".to_string(), "{\"b\":2}".to_string()];
        assert_eq!(
            n.transcript(&trace, Lang::En),
            [
                "{\"a\":1}",
                r#"{"line":3,"note":"<b>\"x\"</b>"}"#,
                "{\"b\":2}"
            ]
        );
        assert_eq!(
            n.transcript(&trace, Lang::Zh)[1],
            r#"{"line":3,"note":"你好"}"#
        );
    }
}
