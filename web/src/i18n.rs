//! Every string the page shows, in English and Simplified Chinese (zh-CN), and the choice of
//! language: pure data and pure functions, tested natively.
//!
//! A view asks for [`Key::text`] in the current [`Lang`]; texts with `{0}`, `{1}` … holes go
//! through [`fill`]. Protocol names (LOOKING, FOLLOWING, NEWLEADER, DIFF …) stay as ZooKeeper
//! spells them in both languages, because that is what students meet in logs, `zkServer.sh
//! status` and articles; the Chinese texts add a gloss beside them.
//!
//! Lesson texts are not here: they live in the lessons themselves (`note en "…" zh "…"`).

use zkplay_core::ServerState;
pub use zkplay_core::script::lesson::Lang;

macro_rules! keys {
    ($( $(#[$doc:meta])* $name:ident => $en:literal, $zh:literal; )*) => {
        /// A UI string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Key {
            $( $(#[$doc])* $name, )*
        }

        impl Key {
            /// Every key, in table order.
            pub const ALL: &'static [Key] = &[ $( Key::$name, )* ];

            /// The English text.
            pub fn en(self) -> &'static str {
                match self { $( Key::$name => $en, )* }
            }

            /// The Simplified Chinese text.
            pub fn zh(self) -> &'static str {
                match self { $( Key::$name => $zh, )* }
            }

            /// The key's name (for tests and debugging).
            pub fn id(self) -> &'static str {
                match self { $( Key::$name => stringify!($name), )* }
            }
        }
    };
}

keys! {
    // ----- the page -----
    AppTitle => "zkplay — a ZooKeeper ensemble in your browser", "zkplay — 浏览器里的 ZooKeeper 集群";
    LanguageSwitch => "中文", "English";
    LanguageSwitchTitle => "Switch the page to Chinese", "把页面切换成英文";

    // ----- playback controls -----
    Play => "Play", "播放";
    PlayTitle => "Play (Space)", "播放（空格）";
    Pause => "Pause", "暂停";
    PauseTitle => "Pause (Space)", "暂停（空格）";
    Step => "Step", "单步";
    StepTitle => "Deliver one message or fire one timer", "投递一条消息或触发一个定时器";
    StepBack => "Step back", "后退一步";
    Reset => "Reset", "重置";
    ResetTitle => "Reset (R)", "重置（R）";
    UntilLeader => "Until leader", "直到选出 leader";
    UntilLeaderTitle => "Run until a leader is established (L)", "一直运行到选出 leader（L）";
    End => "End", "结尾";
    Speed => "Speed", "速度";
    Seed => "Seed", "随机种子";
    NewSeed => "New seed", "换个种子";
    NewSeedTitle => "A new random seed", "随机换一个种子";
    SimulatedTime => "Simulated time", "模拟时间";
    TimelinePosition => "Timeline position", "时间轴位置";
    EventIndex => "Event {0} of {1}", "第 {0} 个事件，共 {1} 个";

    // ----- server actions -----
    Crash => "Crash", "宕机";
    Restart => "Restart", "重启";
    Isolate => "Isolate", "隔离";
    Heal => "Heal", "恢复网络";
    HealAll => "Heal every link", "恢复所有链路";
    Hold => "Hold", "扣住";
    Release => "Release", "放行";
    Drop => "Drop", "丢弃";
    ConnectClient => "Connect client", "连接客户端";
    ConnectClientHere => "Connect a client here", "在这台服务器上连接客户端";
    Reconnect => "Reconnect", "重新连接";
    Close => "Close", "关闭";
    Dismiss => "Dismiss", "知道了";

    // ----- server states -----
    StateLooking => "LOOKING", "LOOKING（选举中）";
    StateFollowing => "FOLLOWING", "FOLLOWING（跟随者）";
    StateLeading => "LEADING", "LEADING（领导者）";
    StateObserving => "OBSERVING", "OBSERVING（观察者）";
    StateDown => "DOWN", "DOWN（已停止）";
    RoleVoter => "Voter", "投票成员";
    RoleObserver => "Observer", "观察者";
    Electing => "Electing", "选举中";
    Synchronizing => "Synchronizing", "同步中";
    Broadcast => "Broadcast", "广播";
    AllDown => "All down", "全部停止";
    NoQuorum => "No quorum: {0} of {1} voters running, {2} needed", "没有法定人数：{1} 个投票成员中只有 {0} 个在运行，至少需要 {2} 个";

    // ----- panels -----
    PanelEnsemble => "Ensemble", "集群";
    PanelTimeline => "Timeline", "时间轴";
    PanelSpaceTime => "Space-time", "时空图";
    PanelInspector => "Inspector", "详情";
    PanelZnodes => "Znode tree", "Znode 树";
    PanelSessions => "Sessions", "会话";
    PanelWatches => "Watches", "Watch 监听";
    PanelClients => "Clients", "客户端";
    PanelEvents => "Event feed", "事件流";
    PanelLog => "Log", "日志";
    PanelLegend => "Legend", "图例";
    PanelNetwork => "Network", "网络";
    PanelScript => "Scenario script", "场景脚本";
    PanelTrace => "Trace", "输出轨迹";
    PanelRecipe => "Recipes", "Recipe 演示";
    TabScript => "Script", "脚本";
    PanelLesson => "Lesson", "课程";
    PanelHelp => "Help", "帮助";
    Servers => "Servers", "服务器";
    Voters => "Voters", "投票成员";
    Observers => "Observers", "观察者";
    ZabPhase => "Zab phase", "Zab 阶段";
    ProposalsInFlight => "Proposals in flight", "在途提议";
    LastZxid => "Last zxid", "最新 zxid";
    CurrentEpoch => "Epoch", "epoch（纪元）";
    Vote => "Vote", "投票";
    Round => "Round", "选举轮次";
    NoClientsYet => "No clients yet: connect one to a server to use zkCli.", "还没有客户端：连接一个到某台服务器，就可以用 zkCli 命令了。";
    ClickAServer => "Click a server", "点击一台服务器";
    ClickAMessage => "Click a message", "点击一条消息";

    // ----- election verdicts (what a server decided about a vote it received) -----
    VerdictSwitch => "({0}) beats ({1}): switch", "（{0}）胜过（{1}）：改投";
    VerdictKeep => "({0}) does not beat ({1}): keep", "（{0}）不胜过（{1}）：坚持原票";
    VerdictNewerRound => "newer round {0}: join it and vote again", "更新的轮次 {0}：跟进并重新投票";
    VerdictOlderRound => "older round {0}: ignored, and the sender is told ours", "过期的轮次 {0}：忽略，并把本轮投票告诉对方";
    VerdictSettled => "{0} is {1}: recorded", "{0} 已是 {1}：记下";
    VerdictIgnored => "ignored", "忽略";
    VerdictQuorum => "{0} of {1} votes for ({2}): a majority", "{1} 票中有 {0} 票投给（{2}）：过半";
    VerdictFinalize => "waiting 200 ms for a better vote (finalizeWait)", "再等 200 毫秒，看有没有更好的投票（finalizeWait）";
    RuleEpoch => "higher epoch wins", "epoch 大者胜";
    RuleZxid => "same epoch: higher zxid wins", "epoch 相同：zxid 大者胜";
    RuleMyid => "same epoch and zxid: higher myid wins", "epoch 和 zxid 都相同：myid 大者胜";

    // ----- Zab -----
    ZabDiscovery => "Discovery", "发现阶段";
    ZabSync => "Synchronization", "同步阶段";
    ZabBroadcast => "Broadcast", "广播阶段";
    SyncDiff => "DIFF: send the missing transactions", "DIFF：补发缺少的事务";
    SyncSnap => "SNAP: send a whole snapshot", "SNAP：发送整份快照";
    SyncTrunc => "TRUNC: cut the log back", "TRUNC：截断多出来的日志";
    QuorumAcked => "acked by a quorum: commit", "已获过半 ACK：提交";

    // ----- lessons -----
    Lessons => "Lessons", "课程";
    PickALesson => "Pick a lesson", "选择一节课";
    Next => "Next", "下一步";
    NextTitle => "Play on to the next stop (Page Down)", "继续播放到下一个停顿点（Page Down）";
    Back => "Back", "上一步";
    BackTitle => "Back to the previous stop (Page Up)", "回到上一个停顿点（Page Up）";
    StopOf => "Stop {0} of {1}", "第 {0} 步，共 {1} 步";
    LessonEnd => "End of the lesson", "本课结束";
    Quiz => "Quiz", "小测验";
    YourAnswer => "Your answer", "你的答案";
    ShowAnswer => "Play on and see", "继续播放，看看结果";
    Correct => "Right: the simulation shows {0}.", "答对了：模拟结果是 {0}。";
    Wrong => "Not quite: you said {0}, the simulation shows {1}.", "不太对：你选的是 {0}，模拟结果是 {1}。";
    AnswerNone => "none", "没有";
    AnswerYes => "yes", "是";
    AnswerNo => "no", "否";

    // ----- recipes -----
    RecipeElection => "Leader election recipe", "Leader 选举 recipe";
    RecipeLock => "Distributed lock recipe", "分布式锁 recipe";
    RecipeHerdFree => "herd-free: each watches its predecessor", "无羊群效应：每个只监听前一个节点";
    RecipeNaive => "naive: everyone watches the leader", "朴素做法：所有人都监听 leader 节点";
    RecipeNaiveChildren => "naive: everyone watches the children", "朴素做法：所有人都监听子节点列表";
    RecipeLeader => "leader", "leader（领导者）";
    RecipeHolder => "holds the lock", "持有锁";
    RecipeWaiting => "waiting", "等待中";
    RecipeWatches => "watches {0}", "监听 {0}";
    RecipeLeft => "left", "已退出";
    RecipeLost => "session expired", "会话已过期";
    RecipeSuspended => "disconnected: not acting", "连接断开：暂停行动";
    NotificationsPerChange => "Notifications per leader change", "每次换 leader 的通知数";
    ChangeCost => "{0} → {1}: {2} notifications", "{0} → {1}：{2} 条通知";
    ChangeCostOne => "{0} → {1}: 1 notification", "{0} → {1}：1 条通知";
    SideBySide => "Side by side: naive and herd-free on the same seed", "并排对比：同一种子下的朴素做法与无羊群效应做法";

    // ----- sessions and watches -----
    SessionTimeout => "Session timeout", "会话超时";
    Ephemeral => "ephemeral", "临时节点";
    Persistent => "persistent", "持久节点";
    Sequential => "sequential", "顺序节点";
    Container => "container", "容器节点";
    WatchOneShot => "fires once, then it is gone", "触发一次后即失效";
    Expire => "Expire", "使会话过期";

    // ----- share links -----
    Share => "Share", "分享";
    ShareTitle => "Copy a link to exactly what you see", "复制一个能还原当前画面的链接";
    LinkCopied => "Link copied", "链接已复制";
    LinkTooBig => "This link is too big ({0} bytes; the limit is {1}). Showing the default scenario.", "这个链接太大了（{0} 字节，上限 {1}）。已改为显示默认场景。";
    LinkMalformed => "This link is damaged ({0}). Showing the default scenario.", "这个链接已损坏（{0}）。已改为显示默认场景。";
    LinkUnknownVersion => "This link comes from a newer zkplay (format {0}). Showing the default scenario.", "这个链接来自更新版本的 zkplay（格式 {0}）。已改为显示默认场景。";
    LinkUnknownLesson => "There is no lesson called \"{0}\". Showing the lesson list.", "没有名为“{0}”的课程。已改为显示课程列表。";

    // ----- scenario editor -----
    Editor => "Editor", "编辑器";
    RunScript => "Run", "运行";
    ImportZks => "Import .zks", "导入 .zks";
    ExportZks => "Export .zks", "导出 .zks";
    DownloadTrace => "Download trace (JSON lines)", "下载输出轨迹（JSON lines）";
    ScriptErrorAt => "Line {0}, column {1}: {2}", "第 {0} 行第 {1} 列：{2}";
    LoadAndStep => "Load and play step by step", "载入并单步播放";

    // ----- help -----
    HelpTitle => "How to drive the ensemble", "如何操作这个集群";
    HelpRing => "Servers sit on a ring; dots moving between them are messages in flight. Click a server for its state, votes and log; click a message to hold, release or drop it.", "服务器排成一圈，在它们之间移动的小点就是在途的消息。点击服务器可以查看它的状态、投票和日志；点击消息可以扣住、放行或丢弃它。";
    HelpTimeline => "Drag the timeline to travel in time; a change made in the past starts a new branch from there.", "拖动时间轴可以回到过去；在过去某一刻做出的操作，会从那里开出一条新的分支。";
    HelpKeyboard => "Space plays or pauses, → steps, R resets, L runs until a leader is established.", "空格键播放/暂停，→ 单步，R 重置，L 一直运行到选出 leader。";
    HelpQuorum => "A quorum is more than half of the voters: 2 of 3, 3 of 4, 3 of 5. Observers never count.", "法定人数（quorum）是投票成员的过半数：3 台要 2 台，4 台要 3 台，5 台要 3 台。观察者从不计入。";
    // ----- top bar (more) -----
    Tagline => "ZooKeeper 3.8, simulated", "模拟的 ZooKeeper 3.8";
    StepForwardTitle => "Step one event (→)", "前进一个事件（→）";
    StepBackTitle => "Step back (←)", "后退一个事件（←）";
    SpeedTitle => "Speed (log scale, 0.1× to 10×)", "速度（对数刻度，0.1× 到 10×）";
    StepN => "step {0}", "第 {0} 步";
    LineN => "line {0}", "第 {0} 行";
    ScriptLabel => "script", "脚本";
    ScenarioButton => "Scenario", "场景";
    ScenarioTitle => "Servers, timing and network", "服务器、时间参数和网络";
    HelpButtonTitle => "Keyboard shortcuts (?)", "键盘快捷键（?）";
    PlaybackLabel => "Playback", "播放控制";

    // ----- legend -----
    LegendLeading => "leading", "领导者";
    LegendFollowing => "following", "跟随者";
    LegendLooking => "looking", "选举中";
    LegendObserving => "observing", "观察者";
    LegendDown => "down", "已停止";
    LegendVote => "vote", "选票";
    LegendZab => "Zab", "Zab 消息";
    LegendClient => "client", "客户端";
    LegendHint => "drag server→server to cut a link · Shift: one way", "从一台服务器拖到另一台可切断链路 · 按住 Shift：单向";

    // ----- timeline -----
    TlLeader => "leader established", "选出 leader";
    TlElecting => "electing", "选举中";
    TlCommit => "commit", "提交";
    TlCrash => "crash", "宕机";
    TlCutHeal => "cut / heal", "断开 / 恢复";
    TlHint => "drag to travel in time · acting in the past forks", "拖动可以穿越时间 · 在过去操作会开出新分支";
    TlBand => "epoch {0} · leader {1}", "纪元 {0} · leader {1}";
    TlStepAt => "step {0} · {1}", "第 {0} 步 · {1}";
    MarkLeader => "server {0} established as leader", "服务器 {0} 成为 leader";
    MarkCommit => "commit {0}", "提交 {0}";
    MarkCrash => "server {0} crashed", "服务器 {0} 宕机";
    MarkRestart => "server {0} (re)started", "服务器 {0} 启动";
    MarkCut => "links cut", "链路被切断";
    MarkHealed => "links restored", "链路已恢复";
    MarkDrop => "message dropped by hand", "手动丢弃了一条消息";
    MarkClient => "client action", "客户端操作";
    MarkAt => "step {0}: {1}", "第 {0} 步：{1}";

    // ----- lessons (more) -----
    LessonsTitle => "Open a lesson", "打开一节课";
    LessonsIntro => "Each lesson runs a real ensemble and stops where there is something to see. Next plays on to the next stop; Back returns to the one before.", "每节课都运行一个真实的集群，并在值得一看的地方停下来。“下一步”继续播放到下一个停顿点；“上一步”回到前一个。";
    LessonStops => "{0} stops", "{0} 个停顿点";
    LessonQuizzes => "{0} quizzes", "{0} 道小测验";
    LessonQuizOne => "1 quiz", "1 道小测验";
    LessonStart => "Press Next to begin.", "按“下一步”开始。";
    LessonPlaying => "Playing on to the next stop…", "正在播放到下一个停顿点……";
    LessonOff => "You stepped away from the lesson's stops: Next plays on to the next one, Back returns to the last one.", "你已离开课程的停顿点：“下一步”会播放到下一个停顿点，“上一步”回到上一个。";
    LessonClose => "Leave the lesson", "退出课程";
    LessonNext => "Next lesson: {0}", "下一课：{0}";
    LessonStartAt => "Start", "开始";
    QuizPick => "Pick an answer, then press Next to let the simulation answer.", "先选一个答案，再按“下一步”，让模拟来揭晓。";
    QuizServer => "server {0}", "服务器 {0}";
    QuizNoAnswer => "You did not answer; the simulation shows {0}.", "你没有作答；模拟结果是 {0}。";
    ScriptStopped => "The script stopped: {0}", "脚本中止了：{0}";

    // ----- share (more) -----
    ShareHeading => "Share what you see", "分享当前画面";
    ShareExplain => "Whoever opens this link sees the same run at the same moment: the same servers, the same simulated time, the same language.", "打开这个链接的人会看到同一次运行的同一时刻：相同的服务器状态、相同的模拟时间、相同的语言。";
    ShareLessonExplain => "This link opens the lesson at this stop.", "这个链接会在这个停顿点打开本课。";
    CopyLink => "Copy", "复制";
    CopyFailed => "Copying was not allowed here: select the link above and copy it yourself.", "这里不允许自动复制：请选中上面的链接，手动复制。";
    LinkField => "Link to this view", "当前画面的链接";
    LinkBadData => "This link's data is damaged or cut short. Showing the default scenario.", "这个链接的数据已损坏或不完整。已改为显示默认场景。";
    LinkBadScript => "The link's script does not run ({0}). It is in the Script tab, untouched; showing the default scenario.", "链接里的脚本无法运行（{0}）。脚本已原样放进“脚本”标签页；现在显示默认场景。";

    // ----- editor (more) -----
    EditorIntro => "The script of the run on screen. Edit it and press Run to start over with it; a script with note and pause lines becomes a lesson.", "这是当前运行所用的脚本。修改后按“运行”即可用它重新开始；带有 note 和 pause 行的脚本会变成一节课。";
    EditorEdited => "Edited — not running yet", "已修改——尚未运行";
    EditorRunning => "Running this script", "正在运行这个脚本";
    EditorRevert => "Discard edits", "放弃修改";
    EditorLines => "{0} lines", "{0} 行";
    EditorGoToLine => "Go to line {0}", "跳到第 {0} 行";
    EditorScriptLabel => "Scenario script (.zks)", "场景脚本（.zks）";
    EditorNoTrace => "The playground has no trace: load a script to get one.", "自由模式没有输出轨迹：载入一个脚本才会有。";
    EditorSyntax => "Syntax: docs/scenario-script.md — servers, start, crash, connect, c1: create /a x, note en \"…\" zh \"…\", pause, quiz …", "语法见 docs/scenario-script.md —— servers、start、crash、connect、c1: create /a x、note en \"…\" zh \"…\"、pause、quiz ……";
    ImportFailed => "That file could not be read as text.", "无法以文本方式读取该文件。";

    // ----- recipe view (more) -----
    RecipeIntro => "The children of the recipe's node, in sequence order. An arrow goes from each candidate's node to the node it watches.", "recipe 节点下的子节点，按序号排列。箭头从每个候选者的节点指向它所监听的节点。";
    RecipeEmpty => "No recipe clients in this run. Compare the two election recipes side by side, or open the lesson on the election recipe.", "这次运行里没有 recipe 客户端。可以并排比较两种选举 recipe，或者打开讲选举 recipe 的那节课。";
    RecipeOpenLesson => "Open the lesson", "打开这节课";
    RecipeCurrentRun => "This run", "当前运行";
    RecipeChanges => "Leader changes", "leader 变更";
    RecipeHolderChanges => "Lock hand-overs", "锁的交接";
    RecipeFirstLeader => "{0} leads from the start", "{0} 一开始就是 leader";
    RecipeFirstHolder => "{0} holds the lock first", "{0} 最先持有锁";
    RecipeTotal => "{0} notifications in all", "共 {0} 条通知";
    RecipeTotalOne => "1 notification in all", "共 1 条通知";
    RecipeNotified => "notified {0}×", "收到通知 {0} 次";
    RecipeGone => "no node", "没有节点";
    RecipeJoining => "joining", "加入中";
    SideBySideOn => "Compare side by side", "并排比较";
    SideBySideOff => "Back to this run", "回到当前运行";
    SideBySideIntro => "Two runs on the same seed with {0} candidates: on the left each candidate watches only its predecessor; on the right everyone watches the leader. Make the leader leave and count who wakes up.", "同一个随机种子下的两次运行，各有 {0} 个候选者：左边每个候选者只监听它的前驱；右边所有人都监听 leader。让 leader 退出，数一数谁被唤醒了。";
    LeaderLeaves => "The leader leaves", "leader 退出";
    LeaderLeavesTitle => "The leader closes its session; its ephemeral node goes", "leader 关闭会话，它的临时节点随之删除";
    Restart2 => "Start over", "重新开始";
    SideRunning => "running…", "运行中……";
    NoLeaderLeft => "No candidates left", "没有候选者了";
    // ----- the ring -----
    VMine => "mine", "我的票";
    VSwitch => "{0} beats {1}: switch", "{0} 胜过 {1}：改投";
    VKeep => "{0} loses to {1}: keep mine", "{0} 不如 {1}：坚持原票";
    VSame => "{0} same as mine: keep", "{0} 与我相同：保持";
    VNewerAdopt => "newer round {0}: adopt {1}", "更新的轮次 {0}：改投 {1}";
    VNewerBack => "newer round {0}: back to my own vote", "更新的轮次 {0}：重新投自己";
    VOlder => "older round {0}: ignored", "过期的轮次 {0}：忽略";
    VSettled => "{0} says {1} leads: noted", "{0} 表示 {1} 是 leader：记下";
    VAgrees => "{0} agrees: finalizing", "{0} 与我一致：等待确认";
    VNotBetter => "{0} not better: ignored", "{0} 不更好：忽略";
    VObserver => "observer: not counted", "观察者：不计票";
    HubLeader => "Leader {0}", "领导者 {0}";
    HubEpochQuorum => "epoch {0} · quorum {1} of {2}", "纪元 {0} · 法定人数 {1}/{2}";
    HubQuorum => "quorum {0} of {1} voters", "法定人数：{1} 个投票成员中的 {0} 个";
    RingLabel => "The ensemble: servers on a ring, messages moving between them", "集群：服务器排成一圈，消息在它们之间移动";
    VoteText => "vote {0}", "选票 {0}";
    ObserverNotCounted => "observer · not counted", "观察者 · 不计票";
    ObserversRow => "observers · don't vote", "观察者 · 不参与投票";
    ClientsRow => "clients", "客户端";
    ServerTitle => "server {0}: {1}", "服务器 {0}：{1}";
    ObserverSuffix => " (observer)", "（观察者）";
    VoteSuffix => ", vote {0}", "，选票 {0}";
    CutOneWay => "link {0} → {1} cut (one way)", "链路 {0} → {1} 已切断（单向）";
    CutBoth => "link {0} ↔ {1} cut", "链路 {0} ↔ {1} 已切断";
    ServerN => "Server {0}", "服务器 {0}";
    CrashHint => "kill the process; its disk survives", "杀掉进程；磁盘数据保留";
    RestartHint => "start it again from its disk", "从磁盘数据重新启动";
    ReconnectHint => "restore every link of this server", "恢复这台服务器的所有链路";
    IsolateHint => "cut it off from every other server", "切断它与其他所有服务器的联系";
    ConnectHint => "open a session on this server", "在这台服务器上打开一个会话";
    HeldPrefix => "held · {0}", "已扣住 · {0}";

    // ----- the inspector (overview) -----
    NoSuchServer => "No such server.", "没有这台服务器。";
    ConnectAClient => "Connect a client", "连接一个客户端";
    OverviewHelp => "Click a server for its menu and details; drag from one server to another to cut or restore that link (Shift: one way); click a message to drop or hold it.", "点击服务器可打开菜单并查看详情；从一台服务器拖到另一台可切断或恢复这条链路（按住 Shift：单向）；点击消息可以丢弃或扣住它。";
    EstablishedLeader => "established leader", "已确立的 leader";
    MessageN => "Message #{0}", "消息 #{0}";
    MessageGone => "Delivered, dropped, or not sent yet at this point of the timeline.", "在时间轴的这一刻，它已送达、被丢弃或尚未发出。";
    BackToEnsemble => "Back to the ensemble", "返回集群总览";
    NoSessions => "No sessions yet: add one on a server to use zkCli.", "还没有会话：在某台服务器上添加一个，就可以使用 zkCli 了。";
    // ----- help and settings dialogs -----
    KeyboardHeading => "Keyboard", "键盘";
    MouseHeading => "Mouse", "鼠标";
    ReadingTheRing => "Reading the ring", "怎么看这个环";
    KeyPlayPause => "Play / pause", "播放 / 暂停";
    KeyStepForward => "Step one event forward", "前进一个事件";
    KeyStepBack => "Step one event back (time travel)", "后退一个事件（时间旅行）";
    KeyUntilLeader => "Run until a leader is established", "一直运行到选出 leader";
    KeyReset => "Reset the run (same seed)", "重置这次运行（同一个种子）";
    KeyHelp => "Show or hide this help", "显示或隐藏这个帮助";
    KeyEscape => "Close menus and dialogs", "关闭菜单和对话框";
    GestureServer => "Click a server", "点击服务器";
    GestureServerWhat => ": crash, restart, isolate, connect a client.", "：宕机、重启、隔离、连接客户端。";
    GestureDrag => "Drag server → server", "从服务器拖到服务器";
    GestureDragWhat => ": cut or restore that link; hold Shift for one way.", "：切断或恢复这条链路；按住 Shift 只切一个方向。";
    GestureMessage => "Click a message", "点击消息";
    GestureMessageWhat => ": pause, then drop it or hold it and release it later.", "：先暂停，再丢弃它，或者扣住它、稍后放行。";
    GestureTimeline => "Drag the timeline", "拖动时间轴";
    GestureTimelineWhat => ": see exactly any past moment; acting there forks the timeline.", "：精确查看过去的任意时刻；在那里操作会让时间轴分叉。";
    RingShapes => "{0} hexagon · {1} circle · {2} dashed ring · {3} diamond · {4} crossed square", "{0} 六边形 · {1} 圆形 · {2} 虚线圈 · {3} 菱形 · {4} 打叉的方块";
    RingArcs => "The ring's three arcs are the Zab phases: discovery, synchronization, broadcast. A shrinking arc is finalizeWait counting down.", "服务器外圈的三段弧是 Zab 的三个阶段：发现、同步、广播。不断缩短的弧表示 finalizeWait 在倒计时。";
    RingBadge => "A LOOKING voter's badge counts the votes that agree with its own proposal against the quorum; observers are never counted.", "LOOKING 状态投票成员旁的徽标，统计与它自己的提议一致的票数，并与法定人数比较；观察者从不计入。";
    RingVotes => "Votes read (leader, zxid, round). When one arrives, the receiver says what it made of it: switch, keep mine, or ignored.", "选票写作（leader, zxid, 轮次）。收到一张选票时，接收方会显示它的判断：改投、坚持原票或忽略。";
    HelpApi => "For scripts and teaching: window.zkplay has load(script), step(n), seek(position), status(), trace(), events(), eventCount(), shareLink() and openLink(fragment).", "供脚本和教学使用：window.zkplay 提供 load(script)、step(n)、seek(position)、status()、trace()、events()、eventCount()、shareLink() 和 openLink(fragment)。";
    SettingsEnsemble => "Ensemble", "集群";
    SettingsVoters => "Voters", "投票成员";
    SettingsObservers => "Observers", "观察者";
    SettingsTick => "tickTime (ms)", "tickTime（毫秒）";
    SettingsInit => "initLimit (ticks)", "initLimit（tick 数）";
    SettingsSync => "syncLimit (ticks)", "syncLimit（tick 数）";
    SettingsNetwork => "Network", "网络";
    SettingsLatencyFrom => "Latency from (ms)", "延迟下限（毫秒）";
    SettingsLatencyTo => "to (ms)", "上限（毫秒）";
    SettingsLoss => "Loss", "丢包率";
    SettingsLossTitle => "Loss probability (0 to 1, or a percentage)", "丢包概率（0 到 1，或百分比）";
    SettingsRebuild => "Rebuild the ensemble", "重建集群";
    SettingsRebuildHint => "Starts a fresh run: every server starts at once.", "重新开始一次运行：所有服务器同时启动。";
    SettingsScript => "Or load a .zks script", "或者载入一个 .zks 脚本";
    ZooCfgPaste => "Or paste a zoo.cfg", "或者粘贴一个 zoo.cfg";
    ZooCfgPasteTitle => "A ZooKeeper zoo.cfg: its server.N lines and timing keys fill in the fields above", "ZooKeeper 的 zoo.cfg：用其中的 server.N 行和时间参数填写上面的字段";
    ZooCfgApply => "Apply", "应用";
    ZooCfgApplied => "Applied: rebuild the ensemble to run it.", "已应用：重建集群即可运行。";
    ZooCfgLine => "line {0}: {1}", "第 {0} 行：{1}";
    ZooCfgTooManyVoters => "the page draws at most {0} voters, this file has {1}", "页面最多显示 {0} 个投票成员，这个文件有 {1} 个";
    ZooCfgTooManyObservers => "the page draws at most {0} observers, this file has {1}", "页面最多显示 {0} 个观察者，这个文件有 {1} 个";
    ZooCfgObserverId => "the page numbers observers right after the voters: server.{0} would have to be server.{1}", "页面把观察者紧接在投票成员之后编号：server.{0} 应当是 server.{1}";
    ZooCfgOutOfRange => "the page takes {0} from {1} to {2}, this file has {3}", "页面的 {0} 取值范围是 {1} 到 {2}，这个文件里是 {3}";
}

impl Key {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }
}

/// Fills the holes `{0}`, `{1}` … of `template` with `args`, as text (no markup). A hole
/// without an argument is left as it is.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let hole = after.find('}').and_then(|close| {
            let n: usize = after[..close].parse().ok()?;
            Some((n, close))
        });
        match hole {
            Some((n, close)) if n < args.len() => {
                out.push_str(args[n]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// [`Key::text`] with its holes filled.
pub fn tr(key: Key, lang: Lang, args: &[&str]) -> String {
    fill(key.text(lang), args)
}

/// The label of a server state.
pub fn state_label(state: ServerState, lang: Lang) -> &'static str {
    let key = match state {
        ServerState::Looking => Key::StateLooking,
        ServerState::Following => Key::StateFollowing,
        ServerState::Leading => Key::StateLeading,
        ServerState::Observing => Key::StateObserving,
        ServerState::Down => Key::StateDown,
    };
    key.text(lang)
}

/// The language a browser language tag asks for, if it is one of ours: `en`, `en-US`,
/// `zh`, `zh-CN`, `zh-Hans-SG` … (case-insensitive, `_` accepted for `-`). Every Chinese tag
/// maps to [`Lang::Zh`]: the lessons are in Simplified Chinese, which a reader of
/// Traditional Chinese is better served by than by English.
pub fn lang_of_tag(tag: &str) -> Option<Lang> {
    let primary = tag
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "en" => Some(Lang::En),
        "zh" => Some(Lang::Zh),
        _ => None,
    }
}

/// The page's language for a browser's preferred languages (`navigator.languages`, most
/// preferred first): the first that is one of ours, else English.
pub fn detect<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
    tags.into_iter().find_map(lang_of_tag).unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_key_has_both_texts() {
        let mut ids = std::collections::BTreeSet::new();
        for &k in Key::ALL {
            assert!(ids.insert(k.id()), "duplicate key {}", k.id());
            let (en, zh) = (k.en(), k.zh());
            assert!(!en.trim().is_empty(), "{}: English text is empty", k.id());
            assert!(!zh.trim().is_empty(), "{}: Chinese text is empty", k.id());
            // The language switch names the other language, in that language.
            let swapped = k == Key::LanguageSwitch;
            assert!(
                has_cjk(zh) != swapped,
                "{}: the Chinese text has no Chinese: {zh}",
                k.id()
            );
            assert!(
                has_cjk(en) == swapped,
                "{}: the English text has Chinese: {en}",
                k.id()
            );
            // Both texts have the same holes.
            let holes = |s: &str| -> Vec<String> {
                (0..10)
                    .map(|i| format!("{{{i}}}"))
                    .filter(|h| s.contains(h.as_str()))
                    .collect()
            };
            assert_eq!(holes(en), holes(zh), "{}: holes differ", k.id());
        }
        assert!(Key::ALL.len() > 100);
    }

    #[test]
    fn switching_language_changes_every_label() {
        for &k in Key::ALL {
            assert_ne!(k.en(), k.zh(), "{}", k.id());
        }
        for s in [
            ServerState::Looking,
            ServerState::Following,
            ServerState::Leading,
            ServerState::Observing,
            ServerState::Down,
        ] {
            assert_eq!(state_label(s, Lang::En), s.name());
            assert!(state_label(s, Lang::Zh).starts_with(s.name()));
            assert_ne!(state_label(s, Lang::En), state_label(s, Lang::Zh));
        }
    }

    #[test]
    fn holes_are_filled_as_text() {
        assert_eq!(
            tr(Key::VerdictSwitch, Lang::En, &["2,0x0", "1,0x0"]),
            "(2,0x0) beats (1,0x0): switch"
        );
        assert_eq!(
            tr(Key::VerdictSwitch, Lang::Zh, &["2,0x0", "1,0x0"]),
            "（2,0x0）胜过（1,0x0）：改投"
        );
        assert_eq!(fill("{0} and {1}", &["<b>"]), "<b> and {1}");
        assert_eq!(fill("{x} {", &[]), "{x} {");
        assert_eq!(fill("{0}{0}", &["a"]), "aa");
    }

    #[test]
    fn browser_languages() {
        assert_eq!(lang_of_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(lang_of_tag("zh"), Some(Lang::Zh));
        assert_eq!(lang_of_tag("zh-Hans-SG"), Some(Lang::Zh));
        assert_eq!(lang_of_tag("ZH_tw"), Some(Lang::Zh));
        assert_eq!(lang_of_tag("en-GB"), Some(Lang::En));
        assert_eq!(lang_of_tag("fr-FR"), None);
        assert_eq!(lang_of_tag(""), None);
        assert_eq!(detect(["fr", "zh-CN", "en"]), Lang::Zh);
        assert_eq!(detect(["de"]), Lang::En);
        assert_eq!(detect(Vec::<&str>::new()), Lang::En);
    }
}
