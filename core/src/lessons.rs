//! The lessons shipped with zkplay (assets/lessons/*.zks), in the order a course takes them.
//! Each is a `.zks` script with narration (see [`crate::script::lesson`]).

/// One lesson: its name (the share link's `#lesson=NAME`) and its script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lesson {
    /// The file name without `.zks`.
    pub name: &'static str,
    /// The script.
    pub src: &'static str,
}

/// Every lesson, in course order.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        name: "startup-3",
        src: include_str!("../../assets/lessons/startup-3.zks"),
    },
    Lesson {
        name: "startup-together",
        src: include_str!("../../assets/lessons/startup-together.zks"),
    },
    Lesson {
        name: "why-2n1-4",
        src: include_str!("../../assets/lessons/why-2n1-4.zks"),
    },
    Lesson {
        name: "why-2n1-5",
        src: include_str!("../../assets/lessons/why-2n1-5.zks"),
    },
    Lesson {
        name: "reelection-5",
        src: include_str!("../../assets/lessons/reelection-5.zks"),
    },
    Lesson {
        name: "zxid-vs-id",
        src: include_str!("../../assets/lessons/zxid-vs-id.zks"),
    },
    Lesson {
        name: "after-election",
        src: include_str!("../../assets/lessons/after-election.zks"),
    },
    Lesson {
        name: "observers",
        src: include_str!("../../assets/lessons/observers.zks"),
    },
    Lesson {
        name: "znodes",
        src: include_str!("../../assets/lessons/znodes.zks"),
    },
    Lesson {
        name: "watches",
        src: include_str!("../../assets/lessons/watches.zks"),
    },
    Lesson {
        name: "sessions",
        src: include_str!("../../assets/lessons/sessions.zks"),
    },
    Lesson {
        name: "recipe-election",
        src: include_str!("../../assets/lessons/recipe-election.zks"),
    },
    Lesson {
        name: "recipe-lock",
        src: include_str!("../../assets/lessons/recipe-lock.zks"),
    },
];

/// The lesson with this name.
pub fn find(name: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.name == name)
}
