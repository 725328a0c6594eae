//! The znode tree of one server: its in-memory `DataTree`, in zkCli's order (children sorted),
//! each node with a data preview, its ephemeral owner (by client name), the watches this
//! server holds on it (from its `WatchManager`, by client name) and its Stat on click.
//!
//! Children that are sequential znodes (`n_0000000003`) are also drawn as a chain in
//! sequence order, with an arrow where a node's owner watches its predecessor: the
//! lock/election recipe's "watch the next lower node" made visible.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;
use zkplay_core::tree::{DataTree, Stat};
use zkplay_core::watch::{WatchMode, WatchTable};
use zkplay_core::{ServerId, Sim};

use super::console::stat_lines;
use super::hex;

/// User-facing strings.
mod text {
    pub const SERVER: &str = "Server";
    pub const DOWN: &str =
        "This server is down: its in-memory tree is gone (it is rebuilt from its log on restart).";
    pub const NOT_SERVING: &str = "Not serving clients yet: the tree may be behind.";
    pub const NULL: &str = "null";
    pub const EMPTY: &str = "(empty)";
    pub const EPHEMERAL_OF: &str = "ephemeral of";
    pub const CONTAINER: &str = "container";
    pub const WATCHED_BY: &str = "watched by";
    pub const EXIST_WATCHES: &str = "Exists-watches on missing nodes";
    pub const SELECT_HINT: &str = "Click a znode for its Stat.";
    pub const DATA: &str = "data";
    pub const ACL: &str = "acl";
    pub const CHAIN: &str = "sequence";
    pub const WATCHES_PREV: &str = "watches its predecessor";
    pub const NODES: &str = "znodes";
    pub const LAST_ZXID: &str = "last zxid";
    pub const EXPAND: &str = "expand";
    pub const COLLAPSE: &str = "collapse";
}

/// The user-facing strings of [`text`] as one value per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Texts {
    pub server: &'static str,
    pub down: &'static str,
    pub not_serving: &'static str,
    pub null: &'static str,
    pub empty: &'static str,
    pub ephemeral_of: &'static str,
    pub container: &'static str,
    pub watched_by: &'static str,
    pub exist_watches: &'static str,
    pub select_hint: &'static str,
    pub data: &'static str,
    pub acl: &'static str,
    pub chain: &'static str,
    pub watches_prev: &'static str,
    pub nodes: &'static str,
    pub last_zxid: &'static str,
    pub expand: &'static str,
    pub collapse: &'static str,
}

/// In English.
pub const EN_TEXT: Texts = Texts {
    server: text::SERVER,
    down: text::DOWN,
    not_serving: text::NOT_SERVING,
    null: text::NULL,
    empty: text::EMPTY,
    ephemeral_of: text::EPHEMERAL_OF,
    container: text::CONTAINER,
    watched_by: text::WATCHED_BY,
    exist_watches: text::EXIST_WATCHES,
    select_hint: text::SELECT_HINT,
    data: text::DATA,
    acl: text::ACL,
    chain: text::CHAIN,
    watches_prev: text::WATCHES_PREV,
    nodes: text::NODES,
    last_zxid: text::LAST_ZXID,
    expand: text::EXPAND,
    collapse: text::COLLAPSE,
};

/// In Simplified Chinese.
pub const ZH_TEXT: Texts = Texts {
    server: "服务器",
    down: "这台服务器已停止：内存里的树没有了（重启时从日志重建）。",
    not_serving: "还没有开始为客户端服务：树可能落后。",
    null: "null",
    empty: "（空）",
    ephemeral_of: "临时节点，属于",
    container: "容器节点",
    watched_by: "被监听：",
    exist_watches: "对不存在节点的 exists 监听",
    select_hint: "点击一个 znode 查看它的 Stat。",
    data: "数据",
    acl: "ACL（权限）",
    chain: "顺序节点",
    watches_prev: "监听它的前一个节点",
    nodes: "个 znode",
    last_zxid: "最新 zxid",
    expand: "展开",
    collapse: "折叠",
};

/// The strings in `lang`.
pub fn texts(lang: crate::i18n::Lang) -> &'static Texts {
    match lang {
        crate::i18n::Lang::En => &EN_TEXT,
        crate::i18n::Lang::Zh => &ZH_TEXT,
    }
}

/// How long a data preview gets, in characters.
pub const PREVIEW_CHARS: usize = 32;

/// The kind of a watch on a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WatchKind {
    /// A data watch (getData -w / stat -w on an existing node).
    Data,
    /// An exists-watch on a node that does not exist.
    Exist,
    /// A child watch (ls -w).
    Child,
    /// `addWatch -m PERSISTENT`.
    Persistent,
    /// `addWatch` (PERSISTENT_RECURSIVE).
    Recursive,
}

impl WatchKind {
    /// Short label.
    pub fn label(self) -> &'static str {
        match self {
            WatchKind::Data => "data",
            WatchKind::Exist => "exists",
            WatchKind::Child => "child",
            WatchKind::Persistent => "persistent",
            WatchKind::Recursive => "recursive",
        }
    }
}

/// One watch as the tree marks it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WatchMark {
    /// Whose (client name).
    pub client: String,
    /// Which.
    pub kind: WatchKind,
}

/// An ephemeral's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Session id.
    pub session: u64,
    /// The client that holds it, if known.
    pub client: Option<String>,
}

impl Owner {
    /// `c1` or, for an unknown session, its hex id.
    pub fn label(&self) -> String {
        self.client
            .clone()
            .unwrap_or_else(|| hex(self.session as i64))
    }
}

/// One znode as a row of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZnodeRow {
    /// Full path.
    pub path: String,
    /// Last component (`/` for the root).
    pub name: String,
    /// 0 for `/`.
    pub depth: usize,
    /// Child names, sorted.
    pub children: Vec<String>,
    /// The data, `None` for null.
    pub data: Option<Vec<u8>>,
    /// The Stat clients see.
    pub stat: Stat,
    /// ACL entries as `scheme:id:perms`.
    pub acl: Vec<String>,
    /// Owner of an ephemeral.
    pub owner: Option<Owner>,
    /// A container node.
    pub container: bool,
    /// Watches this server holds on the node.
    pub watches: Vec<WatchMark>,
}

/// A sequential child in its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLink {
    /// Child name.
    pub name: String,
    /// Its sequence number.
    pub seq: u32,
    /// Owner label, for ephemerals.
    pub owner: Option<String>,
    /// Its owner watches the previous link (exists/data watch on its path).
    pub watches_prev: bool,
}

/// A parent's sequential children in sequence order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// The parent's path.
    pub parent: String,
    /// Links, lowest sequence first.
    pub links: Vec<ChainLink>,
}

/// One server's tree as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeView {
    /// The server.
    pub server: u8,
    /// Its state name.
    pub state: &'static str,
    /// Running.
    pub up: bool,
    /// Serving clients (broadcast phase).
    pub serving: bool,
    /// Last processed zxid.
    pub last_zxid: i64,
    /// Nodes in pre-order, children sorted.
    pub nodes: Vec<ZnodeRow>,
    /// Exists-watches on paths that have no node: (path, watch).
    pub missing: Vec<(String, WatchMark)>,
    /// Sequential chains (parents with at least two sequential children).
    pub chains: Vec<Chain>,
}

/// The sequence number of a sequential znode's name: its last 10 characters, all digits.
pub fn sequence_of(name: &str) -> Option<u32> {
    let n = name.len();
    if n < 10 || !name.is_char_boundary(n - 10) {
        return None;
    }
    let tail = &name[n - 10..];
    if tail.bytes().all(|b| b.is_ascii_digit()) {
        tail.parse::<i64>().ok().map(|v| v as u32)
    } else {
        None
    }
}

/// A short, single-line preview of znode data: `null`, `(empty)`, the UTF-8 text (control
/// characters shown as `␊`-style symbols) cut at [`PREVIEW_CHARS`] with `…`, or hex bytes
/// for binary data.
pub fn preview(data: Option<&[u8]>) -> String {
    let Some(d) = data else {
        return text::NULL.to_string();
    };
    if d.is_empty() {
        return text::EMPTY.to_string();
    }
    let s = match std::str::from_utf8(d) {
        Ok(s) => s
            .chars()
            .map(|c| match c {
                // U+2400 block: ␀ ␁ … ␟, and ␡ for DEL.
                '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
                '\u{7f}' => '\u{2421}',
                c => c,
            })
            .collect::<String>(),
        Err(_) => d
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" "),
    };
    if s.chars().count() > PREVIEW_CHARS {
        let mut cut: String = s.chars().take(PREVIEW_CHARS).collect();
        cut.push('…');
        cut
    } else {
        s
    }
}

/// The tree of server `id` in `sim`.
pub fn tree_view(sim: &Sim, id: ServerId) -> TreeView {
    let server = sim.server(id);
    let names = super::Names::from_sim(sim);
    // Watches by path, with the watching connection's client.
    let conn_client = |conn: u32| {
        server
            .conns
            .get(&conn)
            .map(|c| names.client(c.client))
            .unwrap_or_else(|| format!("conn {conn}"))
    };
    let tree: &DataTree = &server.db.tree;
    let mut by_path: BTreeMap<String, BTreeSet<WatchMark>> = BTreeMap::new();
    let mut missing = BTreeSet::new();
    if server.up {
        for (table, path, conn, mode) in server.watches.watches() {
            let exists = tree.get(&path).is_some();
            let kind = match (table, mode) {
                (_, WatchMode::Persistent) => WatchKind::Persistent,
                (_, WatchMode::PersistentRecursive) => WatchKind::Recursive,
                (WatchTable::Child, WatchMode::Standard) => WatchKind::Child,
                (WatchTable::Data, WatchMode::Standard) if exists => WatchKind::Data,
                (WatchTable::Data, WatchMode::Standard) => WatchKind::Exist,
            };
            let mark = WatchMark {
                client: conn_client(conn.0),
                kind,
            };
            if exists {
                by_path.entry(path).or_default().insert(mark);
            } else {
                missing.insert((path, mark));
            }
        }
    }
    let mut nodes = Vec::new();
    if server.up {
        let mut stack = vec![("/".to_string(), 0usize)];
        while let Some((path, depth)) = stack.pop() {
            let Some(z) = tree.get(&path) else { continue };
            let children: Vec<String> = z.children.iter().cloned().collect();
            for c in children.iter().rev() {
                let child = if path == "/" {
                    format!("/{c}")
                } else {
                    format!("{path}/{c}")
                };
                stack.push((child, depth + 1));
            }
            let owner = z.is_ephemeral().then(|| Owner {
                session: z.ephemeral_owner.0,
                client: names.session(z.ephemeral_owner).map(str::to_string),
            });
            nodes.push(ZnodeRow {
                name: if path == "/" {
                    "/".to_string()
                } else {
                    zkplay_core::tree::name_of(&path).to_string()
                },
                depth,
                children,
                data: z.data.clone(),
                stat: z.stat(),
                acl: z.acl.iter().map(|a| a.to_string()).collect(),
                owner,
                container: z.container,
                watches: by_path
                    .remove(&path)
                    .map(|s| s.into_iter().collect())
                    .unwrap_or_default(),
                path,
            });
        }
    }
    let chains = chains_of(&nodes);
    TreeView {
        server: id.0,
        state: server.state.name(),
        up: server.up,
        serving: server.is_serving(),
        last_zxid: server.db.last_processed.0,
        nodes,
        missing: missing.into_iter().collect(),
        chains,
    }
}

/// The sequential chains among `nodes` (parents with at least two sequential children).
pub fn chains_of(nodes: &[ZnodeRow]) -> Vec<Chain> {
    let by_path: BTreeMap<&str, &ZnodeRow> = nodes.iter().map(|n| (n.path.as_str(), n)).collect();
    let mut chains = Vec::new();
    for parent in nodes {
        let mut seq: Vec<(u32, &ZnodeRow)> = parent
            .children
            .iter()
            .filter_map(|c| {
                let path = child_path(&parent.path, c);
                let row = by_path.get(path.as_str())?;
                Some((sequence_of(c)?, *row))
            })
            .collect();
        if seq.len() < 2 {
            continue;
        }
        seq.sort_by_key(|(s, r)| (*s, r.name.clone()));
        let mut links = Vec::new();
        for (i, (s, row)) in seq.iter().enumerate() {
            let owner = row.owner.as_ref().map(Owner::label);
            let watches_prev = i > 0
                && owner.as_ref().is_some_and(|o| {
                    seq[i - 1].1.watches.iter().any(|w| {
                        &w.client == o && matches!(w.kind, WatchKind::Data | WatchKind::Exist)
                    })
                });
            links.push(ChainLink {
                name: row.name.clone(),
                seq: *s,
                owner,
                watches_prev,
            });
        }
        chains.push(Chain {
            parent: parent.path.clone(),
            links,
        });
    }
    chains
}

fn child_path(parent: &str, name: &str) -> String {
    if parent == "/" {
        format!("/{name}")
    } else {
        format!("{parent}/{name}")
    }
}

/// Paths that are hidden because an ancestor is collapsed.
fn hidden(path: &str, collapsed: &BTreeSet<String>) -> bool {
    collapsed
        .iter()
        .any(|c| path.len() > c.len() && path.starts_with(c.as_str()) && is_below(path, c))
}

fn is_below(path: &str, ancestor: &str) -> bool {
    ancestor == "/" || path.as_bytes().get(ancestor.len()) == Some(&b'/')
}

/// Which rows are visible when `collapsed` nodes hide their descendants.
pub fn visible_rows<'a>(nodes: &'a [ZnodeRow], collapsed: &BTreeSet<String>) -> Vec<&'a ZnodeRow> {
    nodes
        .iter()
        .filter(|n| !hidden(&n.path, collapsed))
        .collect()
}

// ----- component -----

/// A server in the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerChoice {
    /// `myid`.
    pub id: u8,
    /// Its state name.
    pub state: &'static str,
}

/// Props of [`ZnodeTreePanel`].
#[derive(Properties, PartialEq)]
pub struct ZnodeTreePanelProps {
    /// Servers to pick from.
    pub servers: Vec<ServerChoice>,
    /// The tree of the picked server ([`tree_view`]).
    pub tree: Rc<TreeView>,
    /// The user picked another server.
    pub on_pick_server: Callback<u8>,
}

/// The znode tree of one server: server picker, expandable rows (`data-znode="PATH"`) with
/// data preview, ephemeral owner and watch marks, sequential chains, and the Stat of the
/// clicked node.
#[component]
pub fn ZnodeTreePanel(props: &ZnodeTreePanelProps) -> Html {
    let t = texts(crate::components::lang::use_lang());
    let collapsed = use_state(|| BTreeSet::from(["/zookeeper".to_string()]));
    let selected = use_state(|| None::<String>);
    let tree = &props.tree;

    let on_pick = {
        let cb = props.on_pick_server.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(id) = input.value().parse() {
                cb.emit(id);
            }
        })
    };
    let picker = html! {
        <label class="tree-picker">{ t.server }
            <select class="tree-server" onchange={on_pick}>
                { for props.servers.iter().map(|s| html! {
                    <option value={s.id.to_string()} selected={s.id == tree.server}>
                        { format!("{} ({})", s.id, s.state) }
                    </option>
                }) }
            </select>
        </label>
    };

    let body = if !tree.up {
        html! { <p class="empty">{ t.down }</p> }
    } else {
        let rows = visible_rows(&tree.nodes, &collapsed).into_iter().map(|n| {
            let is_collapsed = collapsed.contains(&n.path);
            let toggle = {
                let collapsed = collapsed.clone();
                let path = n.path.clone();
                Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    let mut c = (*collapsed).clone();
                    if !c.remove(&path) {
                        c.insert(path.clone());
                    }
                    collapsed.set(c);
                })
            };
            let select = {
                let selected = selected.clone();
                let path = n.path.clone();
                Callback::from(move |_: MouseEvent| selected.set(Some(path.clone())))
            };
            let is_selected = selected.as_deref() == Some(n.path.as_str());
            let class = classes!(
                "znode",
                is_selected.then_some("selected"),
                n.owner.is_some().then_some("ephemeral"),
                (!n.watches.is_empty()).then_some("watched")
            );
            html! {
                <li key={n.path.clone()} {class} data-znode={n.path.clone()}
                    data-depth={n.depth.min(12).to_string()} onclick={select}>
                    if n.children.is_empty() {
                        <span class="znode-toggle leaf"></span>
                    } else {
                        <button class="znode-toggle" onclick={toggle}
                            aria-expanded={(!is_collapsed).to_string()}
                            aria-label={if is_collapsed { t.expand } else { t.collapse }}>
                            { if is_collapsed { "▸" } else { "▾" } }
                        </button>
                    }
                    <span class="znode-name">{ n.name.clone() }</span>
                    <span class={classes!("znode-data", n.data.is_none().then_some("null"))}>{ preview(n.data.as_deref()) }</span>
                    if let Some(o) = &n.owner {
                        <span class="badge ephemeral" title={format!("{} {}", t.ephemeral_of, hex(o.session as i64))}>
                            { o.label() }
                        </span>
                    }
                    if n.container { <span class="badge">{ t.container }</span> }
                    { for n.watches.iter().map(|w| html! {
                        <span class={classes!("badge", "watch", format!("watch-{}", w.kind.label()))}
                            title={format!("{} {} ({})", t.watched_by, w.client, w.kind.label())}>
                            { format!("{} {}", w.client, w.kind.label()) }
                        </span>
                    }) }
                </li>
            }
        });
        html! { <ul class="znode-list">{ for rows }</ul> }
    };

    let chains = tree.chains.iter().map(|c| {
        html! {
            <div class="seq-chain" data-chain={c.parent.clone()}>
                <span class="seq-parent">{ format!("{} {}", c.parent, t.chain) }</span>
                <ol class="seq-links">
                    { for c.links.iter().enumerate().map(|(i, l)| html! {
                        <li class={classes!("seq-link", l.watches_prev.then_some("watching"))}>
                            if i > 0 {
                                <span class="seq-arrow" title={if l.watches_prev { t.watches_prev } else { "" }}>
                                    { if l.watches_prev { "← watches" } else { "←" } }
                                </span>
                            }
                            <span class="seq-name">{ l.name.clone() }</span>
                            if let Some(o) = &l.owner { <span class="seq-owner">{ o.clone() }</span> }
                        </li>
                    }) }
                </ol>
            </div>
        }
    });

    let detail = match selected
        .as_ref()
        .and_then(|p| tree.nodes.iter().find(|n| &n.path == p))
    {
        Some(n) => html! {
            <div class="znode-detail" data-znode-detail={n.path.clone()}>
                <h3 class="mono">{ n.path.clone() }</h3>
                <dl class="kv">
                    <dt>{ t.data }</dt>
                    <dd class="mono pre">{ n.data.as_deref().map(|d| String::from_utf8_lossy(d).into_owned()).unwrap_or_else(|| t.null.to_string()) }</dd>
                    <dt>{ t.acl }</dt>
                    <dd class="mono">{ n.acl.join(", ") }</dd>
                </dl>
                <pre class="code stat-block">{ stat_lines(&n.stat).join("\n") }</pre>
            </div>
        },
        None => html! { <p class="hint">{ t.select_hint }</p> },
    };

    html! {
        <section class="panel-tree" data-tree-server={tree.server.to_string()}>
            <div class="tree-head">
                { picker }
                <span class="muted">{ format!("{} {} · {} {}", tree.nodes.len(), t.nodes, t.last_zxid, hex(tree.last_zxid)) }</span>
            </div>
            if tree.up && !tree.serving { <p class="hint">{ t.not_serving }</p> }
            <div class="tree-body">
                <div class="tree-main">
                    { body }
                    { for chains }
                    if !tree.missing.is_empty() {
                        <div class="missing-watches">
                            <h3>{ t.exist_watches }</h3>
                            <ul>
                                { for tree.missing.iter().map(|(p, w)| html! {
                                    <li class="mono">{ format!("{p} — {} {}", w.client, w.kind.label()) }</li>
                                }) }
                            </ul>
                        </div>
                    }
                </div>
                { detail }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(src: &str, server: u8) -> TreeView {
        let out = zkplay_core::script::run("t.zks", src, Default::default()).unwrap();
        tree_view(&out.sim, ServerId(server))
    }

    #[test]
    fn sequence_numbers() {
        assert_eq!(sequence_of("n_0000000003"), Some(3));
        assert_eq!(sequence_of("0000000000"), Some(0));
        assert_eq!(sequence_of("n_000000003"), None);
        assert_eq!(sequence_of("lock"), None);
        assert_eq!(sequence_of("é_000000000x"), None);
    }

    #[test]
    fn previews() {
        assert_eq!(preview(None), "null");
        assert_eq!(preview(Some(b"")), "(empty)");
        assert_eq!(preview(Some(b"a\nb")), "a\u{240a}b");
        assert_eq!(preview(Some(&[0xff, 0x00])), "ff 00");
        let long = "x".repeat(40);
        assert_eq!(
            preview(Some(long.as_bytes())).chars().count(),
            PREVIEW_CHARS + 1
        );
        assert_eq!(preview(Some("<b>&".as_bytes())), "<b>&");
    }

    #[test]
    fn tree_with_owners_watches_and_order() {
        let src = "servers 3\nstart\nconnect c1 to 1\nconnect c2 to 1\n\
                   c1: create /a x\nc1: create /a-b\nc1: create /a/b y\nc1: create -e /a/e held\n\
                   c2: get -w /a\nc2: ls -w /a\nc2: stat -w /nope\n";
        let t = view(src, 1);
        assert!(t.up && t.serving);
        assert_eq!(t.state, "FOLLOWING");
        let paths: Vec<&str> = t.nodes.iter().map(|n| n.path.as_str()).collect();
        // Pre-order with children sorted (not the byte order of full paths).
        assert_eq!(
            paths,
            [
                "/",
                "/a",
                "/a/b",
                "/a/e",
                "/a-b",
                "/zookeeper",
                "/zookeeper/config",
                "/zookeeper/quota"
            ]
        );
        let a = &t.nodes[1];
        assert_eq!(a.depth, 1);
        assert_eq!(a.data.as_deref(), Some(&b"x"[..]));
        assert_eq!(a.acl, ["world:anyone:cdrwa"]);
        assert_eq!(
            a.watches,
            [
                WatchMark {
                    client: "c2".into(),
                    kind: WatchKind::Data
                },
                WatchMark {
                    client: "c2".into(),
                    kind: WatchKind::Child
                }
            ]
        );
        let e = &t.nodes[3];
        assert_eq!(
            e.owner.as_ref().and_then(|o| o.client.as_deref()),
            Some("c1")
        );
        assert_eq!(e.stat.ephemeral_owner.0, e.owner.as_ref().unwrap().session);
        assert_eq!(t.nodes[4].data, None);
        assert_eq!(
            t.missing,
            [(
                "/nope".to_string(),
                WatchMark {
                    client: "c2".into(),
                    kind: WatchKind::Exist
                }
            )]
        );
        // Watches live on the server the client is connected to only.
        let other = view(src, 2);
        assert!(other.nodes.iter().all(|n| n.watches.is_empty()));
        assert_eq!(other.nodes.len(), t.nodes.len());

        let mut collapsed = BTreeSet::from(["/a".to_string()]);
        let v: Vec<&str> = visible_rows(&t.nodes, &collapsed)
            .iter()
            .map(|n| n.path.as_str())
            .collect();
        assert_eq!(
            v,
            [
                "/",
                "/a",
                "/a-b",
                "/zookeeper",
                "/zookeeper/config",
                "/zookeeper/quota"
            ]
        );
        collapsed.insert("/".into());
        assert_eq!(visible_rows(&t.nodes, &collapsed).len(), 1);
    }

    #[test]
    fn election_chain_shows_who_watches_whom() {
        let src = "servers 3\nstart\nconnect c1\nconnect c2\nconnect c3\n\
                   c1: create /election\n\
                   c1: create -s -e /election/n_ a\nc2: create -s -e /election/n_ b\nc3: create -s -e /election/n_ c\n\
                   c2: stat -w /election/n_0000000000\nc3: stat -w /election/n_0000000001\n";
        let t = view(src, 1);
        assert_eq!(t.chains.len(), 1);
        let c = &t.chains[0];
        assert_eq!(c.parent, "/election");
        let got: Vec<(&str, Option<&str>, bool)> = c
            .links
            .iter()
            .map(|l| (l.name.as_str(), l.owner.as_deref(), l.watches_prev))
            .collect();
        assert_eq!(
            got,
            [
                ("n_0000000000", Some("c1"), false),
                ("n_0000000001", Some("c2"), true),
                ("n_0000000002", Some("c3"), true)
            ]
        );
    }

    #[test]
    fn a_down_server_shows_no_tree() {
        let t = view("servers 3\nstart\ncrash 3\n", 3);
        assert!(!t.up);
        assert!(t.nodes.is_empty());
        assert_eq!(t.state, "DOWN");
    }
}
