//! zkCli.sh command syntax: `create -s -e /election/n_ "some data" world:anyone:cdrwa`.
//!
//! Options are parsed the way zkCli's commons-cli `DefaultParser` does it, for the commands
//! and options the simulator supports:
//! * options may stand anywhere among the arguments (`get /a -w`), may be bundled (`-se`), and
//!   `-v` takes the next word (or the rest of a bundle: `-v3`, `-sv 3`) as its value;
//! * a word that looks like a negative number (`-5`, `-1.5`) is an argument, not an option,
//!   and so is a lone `-`; after `--` every word is an argument;
//! * quoting happens before option parsing, so `"-s"` is still the option `-s`.
//!
//! Paths and ACL texts are kept as written: validating them is the client library's job when
//! the command runs (BADARGUMENTS / INVALIDACL), as in zkCli.
//!
//! Errors use zkCli's own messages where zkCli has one: the usage string when an argument is
//! missing, `Command not found <cmd>`, `Unrecognized option: <opt>`,
//! `Missing argument for option: v`, and the create `-c` message.

use super::ast::ZkCommand;
use super::lexer::{QuoteStyle, Word, lex_line, show};
use super::parser::ScriptError;

/// What one zkCli command accepts.
struct CmdSpec {
    name: &'static str,
    /// zkCli's usage string, printed when a required argument is missing.
    usage: &'static str,
    /// Options without a value.
    flags: &'static str,
    /// Whether `-v version` is accepted.
    version: bool,
    /// Options zkCli has but the simulator does not support, with the reason.
    unsupported: &'static [(char, &'static str)],
    /// Required positional arguments.
    min: usize,
    /// All positional arguments.
    max: usize,
}

const COMMANDS: &[CmdSpec] = &[
    CmdSpec {
        name: "create",
        usage: "create [-s] [-e] [-c] [-t ttl] path [data] [acl]",
        flags: "sec",
        version: false,
        unsupported: &[(
            't',
            "create -t (TTL nodes) is not supported: TTL nodes are disabled in ZooKeeper 3.8 by default",
        )],
        min: 1,
        max: 3,
    },
    CmdSpec {
        name: "delete",
        usage: "delete [-v version] path",
        flags: "",
        version: true,
        unsupported: &[],
        min: 1,
        max: 1,
    },
    CmdSpec {
        name: "deleteall",
        usage: "deleteall path [-b batch size]",
        flags: "",
        version: false,
        unsupported: &[(
            'b',
            "deleteall -b (batch size) is not supported: the subtree is deleted in one multi",
        )],
        min: 1,
        max: 1,
    },
    CmdSpec {
        name: "set",
        usage: "set [-s] [-v version] path data",
        flags: "s",
        version: true,
        unsupported: &[],
        min: 2,
        max: 2,
    },
    CmdSpec {
        name: "get",
        usage: "get [-s] [-w] path",
        flags: "sw",
        version: false,
        unsupported: &[],
        min: 1,
        max: 1,
    },
    CmdSpec {
        name: "ls",
        usage: "ls [-s] [-w] [-R] path",
        flags: "swR",
        version: false,
        unsupported: &[],
        min: 1,
        max: 1,
    },
    CmdSpec {
        name: "stat",
        usage: "stat [-w] path",
        flags: "w",
        version: false,
        unsupported: &[],
        min: 1,
        max: 1,
    },
    CmdSpec {
        name: "getAcl",
        usage: "getAcl [-s] path",
        flags: "s",
        version: false,
        unsupported: &[],
        min: 1,
        max: 1,
    },
    CmdSpec {
        name: "setAcl",
        usage: "setAcl [-s] [-v version] [-R] path acl",
        flags: "s",
        version: true,
        unsupported: &[('R', "setAcl -R (recursive) is not supported")],
        min: 2,
        max: 2,
    },
    CmdSpec {
        name: "addauth",
        usage: "addauth scheme auth",
        flags: "",
        version: false,
        unsupported: &[],
        min: 2,
        max: 2,
    },
    CmdSpec {
        name: "sync",
        usage: "sync path",
        flags: "",
        version: false,
        unsupported: &[],
        min: 1,
        max: 1,
    },
    CmdSpec {
        name: "close",
        usage: "close",
        flags: "",
        version: false,
        unsupported: &[],
        min: 0,
        max: 0,
    },
];

/// zkCli commands the simulator does not offer (they get a clearer message than
/// `Command not found`).
const UNSUPPORTED_COMMANDS: &[&str] = &[
    "addWatch",
    "removewatches",
    "getEphemerals",
    "getAllChildrenNumber",
    "whoami",
    "version",
    "config",
    "reconfig",
    "setquota",
    "delquota",
    "listquota",
    "redo",
    "history",
    "printwatches",
    "connect",
    "quit",
    "rmr",
    "ls2",
    "get_acl",
];

/// Parses one zkCli command as typed into the page's console (the line is 1, columns are
/// within `text`). Besides the script's double quotes it accepts zkCli's single quotes; `#`
/// is an ordinary character.
pub fn parse_zk_command(text: &str) -> Result<ZkCommand, ScriptError> {
    let lexed = lex_line(text, 1, QuoteStyle::Console)?;
    parse_words(&lexed.words, 1, lexed.end_col)
}

/// `-5`, `-1.5`: commons-cli takes these as arguments, not options.
fn is_negative_number(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('-') else {
        return false;
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

/// A version argument: a decimal `i32`, possibly negative (`-1` = any version).
fn parse_version(t: &str) -> Option<i32> {
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut v: i64 = 0;
    for b in digits.bytes() {
        v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
        if v > i64::from(i32::MAX) + 1 {
            return None;
        }
    }
    i32::try_from(if neg { -v } else { v }).ok()
}

/// Parses a zkCli command already split into words (the first is the command name).
/// `line` and the words' columns go into errors; `end_col` is where "end of line" is.
pub(crate) fn parse_words(
    words: &[Word],
    line: u32,
    end_col: u32,
) -> Result<ZkCommand, ScriptError> {
    let err = |col: u32, msg: String| ScriptError::new(line, col, msg);
    let Some(name_w) = words.first() else {
        return Err(err(
            end_col,
            "expected a zkCli command, found end of line".to_string(),
        ));
    };
    let name = name_w.text.as_str();
    let Some(spec) = COMMANDS.iter().find(|c| c.name == name) else {
        if UNSUPPORTED_COMMANDS.contains(&name) {
            return Err(err(
                name_w.col,
                format!(
                    "zkCli command {} is not supported here (supported: create, delete, deleteall, set, get, ls, stat, getAcl, setAcl, addauth, sync, close)",
                    show(name)
                ),
            ));
        }
        return Err(err(name_w.col, format!("Command not found {name}")));
    };

    let mut flags: Vec<char> = Vec::new();
    let mut version: Option<i32> = None;
    let mut args: Vec<&Word> = Vec::new();
    let mut only_args = false;
    let mut i = 1;
    while let Some(w) = words.get(i) {
        i += 1;
        let t = w.text.as_str();
        if only_args || t == "-" || is_negative_number(t) {
            args.push(w);
            continue;
        }
        let Some(body) = t.strip_prefix('-') else {
            args.push(w);
            continue;
        };
        if body == "-" {
            only_args = true;
            continue;
        }
        if body.starts_with('-') {
            return Err(err(w.col, format!("Unrecognized option: {t}")));
        }
        for (k, ch) in body.char_indices() {
            if spec.flags.contains(ch) {
                if !flags.contains(&ch) {
                    flags.push(ch);
                }
                continue;
            }
            if ch == 'v' && spec.version {
                let rest = body.get(k + 1..).unwrap_or_default();
                let (value, value_col) = if !rest.is_empty() {
                    (rest, w.col)
                } else {
                    match words.get(i) {
                        Some(v)
                            if !(v.text.starts_with('-') && v.text.len() > 1)
                                || is_negative_number(&v.text) =>
                        {
                            i += 1;
                            (v.text.as_str(), v.col)
                        }
                        _ => return Err(err(w.col, "Missing argument for option: v".to_string())),
                    }
                };
                let Some(v) = parse_version(value) else {
                    return Err(err(
                        value_col,
                        format!("expected a version number after -v, found {}", show(value)),
                    ));
                };
                if version.is_some() {
                    return Err(err(w.col, "expected -v once, found it twice".to_string()));
                }
                version = Some(v);
                break;
            }
            if let Some((_, why)) = spec.unsupported.iter().find(|(c, _)| *c == ch) {
                return Err(err(w.col, (*why).to_string()));
            }
            return Err(err(w.col, format!("Unrecognized option: {t}")));
        }
    }

    if args.len() < spec.min {
        return Err(err(name_w.col, spec.usage.to_string()));
    }
    if let Some(extra) = args.get(spec.max) {
        return Err(err(
            extra.col,
            format!(
                "too many arguments: expected end of command, found {} (usage: {}; quote an argument that contains spaces)",
                show(&extra.text),
                spec.usage
            ),
        ));
    }
    let has = |c: char| flags.contains(&c);
    let arg = |n: usize| args.get(n).map(|w| w.text.clone());
    let req = |n: usize| arg(n).ok_or_else(|| err(name_w.col, spec.usage.to_string()));
    let version = version.unwrap_or(-1);
    Ok(match spec.name {
        "create" => {
            if has('c') && (has('s') || has('e')) {
                return Err(err(
                    name_w.col,
                    "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential."
                        .to_string(),
                ));
            }
            ZkCommand::Create {
                sequential: has('s'),
                ephemeral: has('e'),
                container: has('c'),
                path: req(0)?,
                data: arg(1),
                acl: arg(2),
            }
        }
        "delete" => ZkCommand::Delete {
            version,
            path: req(0)?,
        },
        "deleteall" => ZkCommand::DeleteAll { path: req(0)? },
        "set" => ZkCommand::Set {
            stat: has('s'),
            version,
            path: req(0)?,
            data: req(1)?,
        },
        "get" => ZkCommand::Get {
            stat: has('s'),
            watch: has('w'),
            path: req(0)?,
        },
        "ls" => ZkCommand::Ls {
            stat: has('s'),
            watch: has('w'),
            recursive: has('R'),
            path: req(0)?,
        },
        "stat" => ZkCommand::Stat {
            watch: has('w'),
            path: req(0)?,
        },
        "getAcl" => ZkCommand::GetAcl {
            stat: has('s'),
            path: req(0)?,
        },
        "setAcl" => ZkCommand::SetAcl {
            stat: has('s'),
            version,
            path: req(0)?,
            acl: req(1)?,
        },
        "addauth" => ZkCommand::AddAuth {
            scheme: req(0)?,
            auth: req(1)?,
        },
        "sync" => ZkCommand::Sync { path: req(0)? },
        _ => ZkCommand::Close,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> ZkCommand {
        parse_zk_command(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn bad(text: &str) -> (u32, String) {
        match parse_zk_command(text) {
            Ok(c) => panic!("{text:?} parsed as {c:?}"),
            Err(e) => {
                assert_eq!(e.line, 1);
                (e.col, e.message)
            }
        }
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn every_command() {
        assert_eq!(
            ok(r#"create -s -e /election/n_ "some data" world:anyone:cdrwa"#),
            ZkCommand::Create {
                sequential: true,
                ephemeral: true,
                container: false,
                path: s("/election/n_"),
                data: Some(s("some data")),
                acl: Some(s("world:anyone:cdrwa")),
            }
        );
        assert_eq!(
            ok("create /a"),
            ZkCommand::Create {
                sequential: false,
                ephemeral: false,
                container: false,
                path: s("/a"),
                data: None,
                acl: None,
            }
        );
        assert_eq!(
            ok(r#"create -c /a """#),
            ZkCommand::Create {
                sequential: false,
                ephemeral: false,
                container: true,
                path: s("/a"),
                data: Some(s("")),
                acl: None,
            }
        );
        assert_eq!(
            ok("delete /a"),
            ZkCommand::Delete {
                version: -1,
                path: s("/a")
            }
        );
        assert_eq!(
            ok("delete -v 3 /a"),
            ZkCommand::Delete {
                version: 3,
                path: s("/a")
            }
        );
        assert_eq!(ok("deleteall /t"), ZkCommand::DeleteAll { path: s("/t") });
        assert_eq!(
            ok("set -s -v 0 /cfg next"),
            ZkCommand::Set {
                stat: true,
                version: 0,
                path: s("/cfg"),
                data: s("next")
            }
        );
        assert_eq!(
            ok("set -v -1 /cfg v3"),
            ZkCommand::Set {
                stat: false,
                version: -1,
                path: s("/cfg"),
                data: s("v3")
            }
        );
        assert_eq!(
            ok("get -s -w /a"),
            ZkCommand::Get {
                stat: true,
                watch: true,
                path: s("/a")
            }
        );
        assert_eq!(
            ok("ls -R /d"),
            ZkCommand::Ls {
                stat: false,
                watch: false,
                recursive: true,
                path: s("/d")
            }
        );
        assert_eq!(
            ok("stat -w /x"),
            ZkCommand::Stat {
                watch: true,
                path: s("/x")
            }
        );
        assert_eq!(
            ok("getAcl -s /x"),
            ZkCommand::GetAcl {
                stat: true,
                path: s("/x")
            }
        );
        assert_eq!(
            ok("setAcl -v 2 /x world:anyone:r"),
            ZkCommand::SetAcl {
                stat: false,
                version: 2,
                path: s("/x"),
                acl: s("world:anyone:r")
            }
        );
        assert_eq!(
            ok("addauth digest alice:secret"),
            ZkCommand::AddAuth {
                scheme: s("digest"),
                auth: s("alice:secret")
            }
        );
        assert_eq!(ok("sync /"), ZkCommand::Sync { path: s("/") });
        assert_eq!(ok("close"), ZkCommand::Close);
        assert_eq!(ok("  close  "), ZkCommand::Close);
    }

    #[test]
    fn options_anywhere_bundled_and_negative_numbers() {
        assert_eq!(
            ok("get /a -w"),
            ZkCommand::Get {
                stat: false,
                watch: true,
                path: s("/a")
            }
        );
        assert_eq!(
            ok("ls /a -R -s"),
            ZkCommand::Ls {
                stat: true,
                watch: false,
                recursive: true,
                path: s("/a")
            }
        );
        assert_eq!(
            ok("ls -sw /a"),
            ZkCommand::Ls {
                stat: true,
                watch: true,
                recursive: false,
                path: s("/a")
            }
        );
        assert_eq!(
            ok("set /a x -v 4"),
            ZkCommand::Set {
                stat: false,
                version: 4,
                path: s("/a"),
                data: s("x")
            }
        );
        assert_eq!(
            ok("set -v4 /a x"),
            ZkCommand::Set {
                stat: false,
                version: 4,
                path: s("/a"),
                data: s("x")
            }
        );
        assert_eq!(
            ok("set -sv 4 /a x"),
            ZkCommand::Set {
                stat: true,
                version: 4,
                path: s("/a"),
                data: s("x")
            }
        );
        assert_eq!(
            ok("create /d4 -5"),
            ZkCommand::Create {
                sequential: false,
                ephemeral: false,
                container: false,
                path: s("/d4"),
                data: Some(s("-5")),
                acl: None,
            }
        );
        assert_eq!(
            ok("set /a -1.5"),
            ZkCommand::Set {
                stat: false,
                version: -1,
                path: s("/a"),
                data: s("-1.5")
            }
        );
        assert_eq!(
            ok("set /a -"),
            ZkCommand::Set {
                stat: false,
                version: -1,
                path: s("/a"),
                data: s("-")
            }
        );
        assert_eq!(
            ok("set /a -- -x"),
            ZkCommand::Set {
                stat: false,
                version: -1,
                path: s("/a"),
                data: s("-x")
            }
        );
        assert_eq!(
            ok("get -w -w /a"),
            ZkCommand::Get {
                stat: false,
                watch: true,
                path: s("/a")
            }
        );
    }

    #[test]
    fn console_quoting() {
        assert_eq!(
            ok("set /a 'x y'"),
            ZkCommand::Set {
                stat: false,
                version: -1,
                path: s("/a"),
                data: s("x y")
            }
        );
        assert_eq!(
            ok("set /a don't"),
            ZkCommand::Set {
                stat: false,
                version: -1,
                path: s("/a"),
                data: s("don't")
            }
        );
        assert_eq!(
            ok(r#"set /a "say \"hi\"""#),
            ZkCommand::Set {
                stat: false,
                version: -1,
                path: s("/a"),
                data: s(r#"say "hi""#)
            }
        );
        assert_eq!(
            ok("set /a #x"),
            ZkCommand::Set {
                stat: false,
                version: -1,
                path: s("/a"),
                data: s("#x")
            }
        );
        assert_eq!(
            ok("get ''"),
            ZkCommand::Get {
                stat: false,
                watch: false,
                path: s("")
            }
        );
    }

    #[test]
    fn errors_use_zkcli_messages() {
        assert_eq!(
            bad("create"),
            (1, s("create [-s] [-e] [-c] [-t ttl] path [data] [acl]"))
        );
        assert_eq!(bad("  set /a"), (3, s("set [-s] [-v version] path data")));
        assert_eq!(bad("delete"), (1, s("delete [-v version] path")));
        assert_eq!(bad("deleteall"), (1, s("deleteall path [-b batch size]")));
        assert_eq!(bad("get -w"), (1, s("get [-s] [-w] path")));
        assert_eq!(bad("ls"), (1, s("ls [-s] [-w] [-R] path")));
        assert_eq!(bad("stat"), (1, s("stat [-w] path")));
        assert_eq!(bad("getAcl"), (1, s("getAcl [-s] path")));
        assert_eq!(
            bad("setAcl /a"),
            (1, s("setAcl [-s] [-v version] [-R] path acl"))
        );
        assert_eq!(bad("addauth digest"), (1, s("addauth scheme auth")));
        assert_eq!(bad("sync"), (1, s("sync path")));
        assert_eq!(bad("frobnicate /a"), (1, s("Command not found frobnicate")));
        assert_eq!(bad("getacl /a"), (1, s("Command not found getacl")));
        assert_eq!(
            bad("create -c -s /a"),
            (
                1,
                s(
                    "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential."
                )
            )
        );
        assert_eq!(bad("create -ce /a").0, 1);
        assert_eq!(bad("get -x /a"), (5, s("Unrecognized option: -x")));
        assert_eq!(bad("get -wx /a"), (5, s("Unrecognized option: -wx")));
        assert_eq!(
            bad("get --watch /a"),
            (5, s("Unrecognized option: --watch"))
        );
        assert_eq!(
            bad("delete /a -v"),
            (11, s("Missing argument for option: v"))
        );
        assert_eq!(
            bad("delete -v -s /a"),
            (8, s("Missing argument for option: v"))
        );
        let (col, msg) = bad("delete -v abc /a");
        assert_eq!(
            (col, msg.as_str()),
            (11, r#"expected a version number after -v, found "abc""#)
        );
        assert_eq!(bad("delete -v 99999999999 /a").0, 11);
        assert_eq!(bad("delete -v 1 -v 2 /a").0, 13);
        let (col, msg) = bad("set /a hello world");
        assert_eq!(col, 14);
        assert!(msg.contains(r#"found "world""#), "{msg}");
        assert_eq!(bad("close now").0, 7);
        assert!(bad("create -t 10 /a").1.contains("TTL"));
        assert!(bad("setAcl -R /a world:anyone:r").1.contains("-R"));
        assert!(bad("deleteall /a -b 10").1.contains("-b"));
        assert!(bad("addWatch /a").1.contains("not supported"));
        assert_eq!(
            bad(""),
            (1, s("expected a zkCli command, found end of line"))
        );
        assert_eq!(bad("   ").0, 1);
        assert_eq!(bad("set /a 'x").0, 8);
    }

    #[test]
    fn versions() {
        assert_eq!(parse_version("0"), Some(0));
        assert_eq!(parse_version("-1"), Some(-1));
        assert_eq!(parse_version("2147483647"), Some(i32::MAX));
        assert_eq!(parse_version("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_version("2147483648"), None);
        assert_eq!(parse_version("+1"), None);
        assert_eq!(parse_version("-"), None);
        assert_eq!(parse_version("١"), None);
        assert_eq!(parse_version(&"9".repeat(1000)), None);
        assert!(is_negative_number("-5"));
        assert!(is_negative_number("-1.25"));
        assert!(!is_negative_number("-1."));
        assert!(!is_negative_number("-.5"));
        assert!(!is_negative_number("-s"));
    }
}
