//! ACLs, identities and the path rules of the Java client (spec/datatree.md §2.1, §8).
//!
//! Everything here is a pure function of its arguments, mirroring ZooKeeper 3.8's
//! `AclParser` (zkCli's ACL argument), `DigestAuthenticationProvider`,
//! `IPAuthenticationProvider`, `PrepRequestProcessor.fixupACL`, `ZooKeeperServer.checkACL`,
//! the getACL display rule of `FinalRequestProcessor` and `PathUtils.validatePath`.

use base64::Engine;
use sha1::Digest;

use crate::ErrorCode;

/// READ permission bit (`ZooDefs.Perms.READ`).
pub const READ: u32 = 1;
/// WRITE permission bit.
pub const WRITE: u32 = 2;
/// CREATE permission bit.
pub const CREATE: u32 = 4;
/// DELETE permission bit.
pub const DELETE: u32 = 8;
/// ADMIN permission bit.
pub const ADMIN: u32 = 16;
/// All permissions (`cdrwa`).
pub const ALL: u32 = 31;

/// The address every simulated client connects from: each connection starts with the
/// identity `ip:127.0.0.1`.
pub const CLIENT_ADDRESS: &str = "127.0.0.1";

/// An identity: scheme and id (`digest:alice:HASH`, `world:anyone`, `ip:127.0.0.1`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id {
    /// Scheme (`world`, `auth`, `digest`, `ip`, `super`).
    pub scheme: String,
    /// Id within the scheme.
    pub id: String,
}

impl Id {
    /// An identity from its two parts.
    pub fn new(scheme: &str, id: &str) -> Id {
        Id {
            scheme: scheme.to_string(),
            id: id.to_string(),
        }
    }
    /// The `ip:<addr>` identity a connection from `addr` starts with.
    pub fn ip(addr: &str) -> Id {
        Id::new("ip", addr)
    }
    /// The `digest:user:HASH` identity `addauth digest user:password` gives.
    pub fn digest(user_password: &str) -> Id {
        Id::new("digest", &digest_id(user_password))
    }
}

/// One ACL entry: permission bits for one identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Acl {
    /// Permission bits ([`READ`] | [`WRITE`] | …).
    pub perms: u32,
    /// Scheme.
    pub scheme: String,
    /// Id.
    pub id: String,
}

impl Acl {
    /// An ACL entry from its parts.
    pub fn new(perms: u32, scheme: &str, id: &str) -> Acl {
        Acl {
            perms,
            scheme: scheme.to_string(),
            id: id.to_string(),
        }
    }
    /// Is this entry `world:anyone`?
    pub fn is_world_anyone(&self) -> bool {
        self.scheme == "world" && self.id == "anyone"
    }
}

impl std::fmt::Display for Acl {
    /// `scheme:id:perms` with perms in zkCli order, as the trace prints an entry.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.scheme,
            self.id,
            perms_to_letters(self.perms)
        )
    }
}

/// `OPEN_ACL_UNSAFE`: world:anyone with every permission (zkCli's default).
pub fn open_acl_unsafe() -> Vec<Acl> {
    vec![Acl::new(ALL, "world", "anyone")]
}

/// `READ_ACL_UNSAFE`: world:anyone may read (the ACL of `/zookeeper/config`).
pub fn read_acl_unsafe() -> Vec<Acl> {
    vec![Acl::new(READ, "world", "anyone")]
}

/// `CREATOR_ALL_ACL`: every permission for the creator's authenticated ids (`auth::cdrwa`).
pub fn creator_all_acl() -> Vec<Acl> {
    vec![Acl::new(ALL, "auth", "")]
}

/// Permission bits as zkCli prints them, in the fixed order `c d r w a` (`cdrwa`, `cr`, ``).
pub fn perms_to_letters(perms: u32) -> String {
    let mut s = String::new();
    for (bit, c) in [
        (CREATE, 'c'),
        (DELETE, 'd'),
        (READ, 'r'),
        (WRITE, 'w'),
        (ADMIN, 'a'),
    ] {
        if perms & bit != 0 {
            s.push(c);
        }
    }
    s
}

/// zkCli's ACL argument parsed: the entries and the messages zkCli prints (stderr) for the
/// entries and letters it skipped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedAcl {
    /// The well-formed entries, in order (duplicates kept: the server removes them).
    pub acl: Vec<Acl>,
    /// `<entry> does not have the form scheme:id:perm` / `Unknown perm type: <c>` lines.
    pub warnings: Vec<String>,
}

/// Parses zkCli's ACL argument (`world:anyone:cdrwa,digest:bob:HASH:r`) exactly as
/// `AclParser.parse` does: entries split on `,` (Java `split`, so trailing empty entries
/// vanish), the id is everything between the first and the last colon, an entry with fewer
/// than two colons is skipped with a message, unknown perm letters are ignored with a
/// message. An empty result means the client reports INVALIDACL without sending anything.
pub fn parse_acl_arg_verbose(text: &str) -> ParsedAcl {
    let mut out = ParsedAcl::default();
    for entry in java_split(text, ',') {
        let (Some(first), Some(last)) = (entry.find(':'), entry.rfind(':')) else {
            out.warnings
                .push(format!("{entry} does not have the form scheme:id:perm"));
            continue;
        };
        if first == last {
            out.warnings
                .push(format!("{entry} does not have the form scheme:id:perm"));
            continue;
        }
        let mut perms = 0;
        for c in entry[last + 1..].chars() {
            match c {
                'r' => perms |= READ,
                'w' => perms |= WRITE,
                'c' => perms |= CREATE,
                'd' => perms |= DELETE,
                'a' => perms |= ADMIN,
                other => out.warnings.push(format!("Unknown perm type: {other}")),
            }
        }
        out.acl
            .push(Acl::new(perms, &entry[..first], &entry[first + 1..last]));
    }
    out
}

/// [`parse_acl_arg_verbose`] without the messages.
pub fn parse_acl_arg(text: &str) -> Vec<Acl> {
    parse_acl_arg_verbose(text).acl
}

/// Java's `String.split(String.valueOf(sep))`: no match gives the whole string; trailing
/// empty pieces are removed.
fn java_split(s: &str, sep: char) -> Vec<&str> {
    if !s.contains(sep) {
        return vec![s];
    }
    let mut parts: Vec<&str> = s.split(sep).collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// The digest id for `user:password`: `user:base64(sha1("user:password"))`
/// (`DigestAuthenticationProvider.generateDigest`; the user is the text before the first
/// colon, the hash covers the whole argument).
pub fn digest_id(user_password: &str) -> String {
    let user = user_password.split(':').next().unwrap_or("");
    let hash = sha1::Sha1::digest(user_password.as_bytes());
    format!(
        "{user}:{}",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
}

/// The id `addauth scheme auth` adds to a connection, or None if the server has no such
/// authentication provider (the server then answers AUTHFAILED and closes the connection).
/// Only `digest` and `ip` are registered by default; `addauth ip …` re-adds the
/// connection's own address.
pub fn auth_id(scheme: &str, auth: &str) -> Option<Id> {
    match scheme {
        "digest" => Some(Id::digest(auth)),
        "ip" => Some(Id::ip(CLIENT_ADDRESS)),
        _ => None,
    }
}

/// Every id `addauth scheme auth` adds, in the order the server adds them: with a
/// configured `superDigest` (`user:HASH`) equal to the computed digest, `super:` comes
/// first. None for an unknown scheme.
pub fn auth_ids(scheme: &str, auth: &str, super_digest: Option<&str>) -> Option<Vec<Id>> {
    let id = auth_id(scheme, auth)?;
    let mut out = Vec::new();
    if scheme == "digest" && super_digest == Some(id.id.as_str()) {
        out.push(Id::new("super", ""));
    }
    out.push(id);
    Some(out)
}

/// Adds `id` to a connection's identities unless present (the server keeps a set; order of
/// insertion is kept here, which is the order `auth:` ACLs expand in).
pub fn add_auth(ids: &mut Vec<Id>, id: Id) {
    if !ids.contains(&id) {
        ids.push(id);
    }
}

/// `checkACL`: may a caller holding `ids` do `perm` on a node whose ACL is `acl`?
/// An empty ACL and a `super` id allow everything; otherwise some entry with the bit must be
/// `world:anyone` or match one of the caller's ids of the same scheme (digest: equal
/// strings; ip: address prefix match).
pub fn check(acl: &[Acl], perm: u32, ids: &[Id]) -> bool {
    if acl.is_empty() || ids.iter().any(|i| i.scheme == "super") {
        return true;
    }
    acl.iter().filter(|a| a.perms & perm != 0).any(|a| {
        a.is_world_anyone()
            || ids
                .iter()
                .any(|i| i.scheme == a.scheme && provider_matches(&a.scheme, &i.id, &a.id))
    })
}

/// True if a caller with `ids` receives watch events for a node with `acl` (READ needed).
pub fn can_read(acl: &[Acl], ids: &[Id]) -> bool {
    check(acl, READ, ids)
}

/// `provider.matches(callerId, aclId)` for the registered providers; unknown schemes never
/// match.
fn provider_matches(scheme: &str, caller: &str, acl_id: &str) -> bool {
    match scheme {
        "digest" => caller == acl_id,
        "ip" => ip_matches(caller, acl_id),
        _ => false,
    }
}

/// Is there a server-side authentication provider for `scheme` that accepts `id`
/// (`provider.isValid`)? `world` and `auth` have none (fixupACL special-cases them).
pub fn is_valid_id(scheme: &str, id: &str) -> bool {
    match scheme {
        // DigestAuthenticationProvider.isValid: `id.split(":").length == 2` (Java split).
        "digest" => id.contains(':') && java_split(id, ':').len() == 2,
        "ip" => {
            let (addr, bits) = match id.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (id, None),
            };
            ipv4_bytes(addr).is_some()
                && bits.is_none_or(|b| java_parse_int(b).is_some_and(|b| (0..=32).contains(&b)))
        }
        _ => false,
    }
}

/// `IPAuthenticationProvider.matches` (IPv4 only in 3.8, like the real provider).
fn ip_matches(caller: &str, acl_expr: &str) -> bool {
    let (addr, bits) = match acl_expr.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (acl_expr, None),
    };
    let Some(acl_addr) = ipv4_bytes(addr) else {
        return false;
    };
    let bits = match bits {
        None => 32,
        Some(b) => match java_parse_int(b) {
            Some(b) if (0..=32).contains(&b) => b as u32,
            _ => return false,
        },
    };
    let Some(remote) = ipv4_bytes(caller) else {
        return false;
    };
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    u32::from_be_bytes(acl_addr) & mask == u32::from_be_bytes(remote) & mask
}

/// `v4addr2Bytes`: four dot-separated Java ints in 0..=255.
fn ipv4_bytes(s: &str) -> Option<[u8; 4]> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut b = [0u8; 4];
    for (slot, p) in b.iter_mut().zip(parts) {
        let v = java_parse_int(p)?;
        *slot = u8::try_from(v).ok()?;
    }
    Some(b)
}

/// `Integer.parseInt` for ASCII input: optional sign, at least one digit, in i32 range.
fn java_parse_int(s: &str) -> Option<i32> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok()
}

/// `fixupACL` (create and setACL), first failure wins, every failure INVALIDACL:
/// duplicates are removed (first kept), an empty list fails; `world:anyone` is kept;
/// `auth:<anything>` becomes one entry per *authenticated* id of the caller (digest; not
/// ip, and `super` has no provider) in the caller's order, and fails if there is none;
/// any other entry needs a provider that accepts its id (`digest` = `user:hash`, `ip` =
/// `a.b.c.d[/bits]`), so `world:somebody` or an unknown scheme fails.
pub fn fixup(acl: &[Acl], ids: &[Id]) -> Result<Vec<Acl>, ErrorCode> {
    let mut uniq: Vec<&Acl> = Vec::new();
    for a in acl {
        if !uniq.contains(&a) {
            uniq.push(a);
        }
    }
    if uniq.is_empty() {
        return Err(ErrorCode::InvalidAcl);
    }
    let mut out = Vec::new();
    for a in uniq {
        if a.is_world_anyone() {
            out.push(a.clone());
        } else if a.scheme == "auth" {
            let mut any = false;
            for i in ids.iter().filter(|i| is_authenticated_scheme(&i.scheme)) {
                any = true;
                out.push(Acl {
                    perms: a.perms,
                    scheme: i.scheme.clone(),
                    id: i.id.clone(),
                });
            }
            if !any {
                return Err(ErrorCode::InvalidAcl);
            }
        } else if is_valid_id(&a.scheme, &a.id) {
            out.push(a.clone());
        } else {
            return Err(ErrorCode::InvalidAcl);
        }
    }
    Ok(out)
}

/// Does the provider of `scheme` report its ids as authenticated (`isAuthenticated`)?
fn is_authenticated_scheme(scheme: &str) -> bool {
    scheme == "digest"
}

/// The getACL display rule: a caller without ADMIN on the node sees every `digest` id with
/// its hash replaced (Java `id.replaceAll(":.*", ":x")`, so `alice:HASH` reads `alice:x`).
pub fn display_acl(acl: &[Acl], has_admin: bool) -> Vec<Acl> {
    acl.iter()
        .map(|a| {
            if !has_admin && a.scheme == "digest" {
                Acl {
                    perms: a.perms,
                    scheme: a.scheme.clone(),
                    id: mask_digest_id(&a.id),
                }
            } else {
                a.clone()
            }
        })
        .collect()
}

/// Java `s.replaceAll(":.*", ":x")`: `.` stops at line terminators, so each line's first
/// colon onwards becomes `:x`.
fn mask_digest_id(s: &str) -> String {
    let is_terminator = |c: char| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}');
    let mut out = String::new();
    let mut in_match = false;
    for c in s.chars() {
        if in_match {
            if is_terminator(c) {
                in_match = false;
                out.push(c);
            }
        } else if c == ':' {
            out.push_str(":x");
            in_match = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// Why `PathUtils.validatePath(path)` rejects `path`, as the `IllegalArgumentException`
/// message zkCli prints (`Path must start with / character`,
/// `Invalid path string "/a//b" caused by empty node name specified @3`), or None if valid.
/// Indexes count UTF-16 code units, like Java.
pub fn path_error(path: &str) -> Option<String> {
    if path.is_ascii() {
        // Every write validates its path twice (client and leader): an ASCII path's UTF-16
        // code units are its bytes, so it needs no copy.
        path_error_in(path, path.as_bytes())
    } else {
        let units: Vec<u16> = path.encode_utf16().collect();
        path_error_in(path, &units)
    }
}

/// [`path_error`] over the path's UTF-16 code units (`chars`).
fn path_error_in<T: Copy + Into<u16>>(path: &str, units: &[T]) -> Option<String> {
    let at = |i: usize| -> u16 { units[i].into() };
    let n = units.len();
    if n == 0 {
        return Some("Path length must be > 0".to_string());
    }
    if at(0) != u16::from(b'/') {
        return Some("Path must start with / character".to_string());
    }
    if n == 1 {
        return None;
    }
    let slash = u16::from(b'/');
    let dot = u16::from(b'.');
    if at(n - 1) == slash {
        return Some("Path must not end with / character".to_string());
    }
    let mut last = slash;
    for i in 1..n {
        let c = at(i);
        let ends_component = i + 1 == n || at(i + 1) == slash;
        let reason = if c == 0 {
            Some("null character not allowed")
        } else if c == slash && last == slash {
            Some("empty node name specified")
        } else if c == dot && last == dot {
            (at(i - 2) == slash && ends_component).then_some("relative paths not allowed")
        } else if c == dot {
            (at(i - 1) == slash && ends_component).then_some("relative paths not allowed")
        } else if (0x01..=0x1f).contains(&c)
            || (0x7f..=0x9f).contains(&c)
            || (0xd800..=0xf8ff).contains(&c)
            || c >= 0xfff0
        {
            Some("invalid character")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Some(format!(
                "Invalid path string \"{path}\" caused by {reason} @{i}"
            ));
        }
        last = c;
    }
    None
}

/// The rules of `PathUtils.validatePath`.
pub fn is_valid_path(path: &str) -> bool {
    path_error(path).is_none()
}

/// The client library's path check before sending: `validatePath(path)`, or
/// `validatePath(path + "1")` for a sequential create (so `/q/` is a legal sequential
/// prefix). Failure is BADARGUMENTS, and nothing is sent.
pub fn validate_path(path: &str, sequential: bool) -> Result<(), ErrorCode> {
    let ok = if sequential {
        is_valid_path(&format!("{path}1"))
    } else {
        is_valid_path(path)
    };
    if ok {
        Ok(())
    } else {
        Err(ErrorCode::BadArguments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[(&str, &str)]) -> Vec<Id> {
        list.iter().map(|(s, i)| Id::new(s, i)).collect()
    }

    #[test]
    fn digest_hash_matches_independent_computation() {
        // Computed independently with python3:
        //   base64.b64encode(hashlib.sha1(b"alice:secret").digest())  -> aYXlLOpEooaV1cRAvUL1fp9Qt7E=
        //   base64.b64encode(hashlib.sha1(b"bob:hunter2").digest())   -> 1Yu1ryCXOIF7lyFzbmQ5J+MJOZc=
        //   base64.b64encode(hashlib.sha1(b"super:superpw").digest()) -> g9oN2HttPfn8MMWJZ2r45Np/LIA=
        // The first two also appear in the real-ZooKeeper traces (acl-auth-01, acl-digest-01).
        assert_eq!(
            digest_id("alice:secret"),
            "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="
        );
        assert_eq!(digest_id("bob:hunter2"), "bob:1Yu1ryCXOIF7lyFzbmQ5J+MJOZc=");
        assert_eq!(
            digest_id("super:superpw"),
            "super:g9oN2HttPfn8MMWJZ2r45Np/LIA="
        );
        // No colon: the whole text is the user and is hashed as is (sha1 of "") .
        assert_eq!(digest_id(""), ":2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    }

    #[test]
    fn super_digest_adds_super_first() {
        let got = auth_ids(
            "digest",
            "super:superpw",
            Some("super:g9oN2HttPfn8MMWJZ2r45Np/LIA="),
        )
        .unwrap();
        assert_eq!(
            got,
            ids(&[
                ("super", ""),
                ("digest", "super:g9oN2HttPfn8MMWJZ2r45Np/LIA=")
            ])
        );
        assert_eq!(
            auth_ids(
                "digest",
                "alice:secret",
                Some("super:g9oN2HttPfn8MMWJZ2r45Np/LIA=")
            )
            .unwrap()
            .len(),
            1
        );
        assert_eq!(auth_ids("foo", "x", None), None);
        assert_eq!(auth_id("ip", "whatever"), Some(Id::ip("127.0.0.1")));
        // A super id bypasses every check.
        assert!(check(
            &[Acl::new(READ, "digest", "a:b")],
            ADMIN,
            &ids(&[("super", "")])
        ));
    }

    #[test]
    fn acl_argument_like_acl_parser() {
        let p = parse_acl_arg_verbose("world:anyone:cdrwa,bad,digest:bob:h:h:r");
        assert_eq!(
            p.acl,
            vec![
                Acl::new(ALL, "world", "anyone"),
                Acl::new(READ, "digest", "bob:h:h")
            ]
        );
        assert_eq!(
            p.warnings,
            vec!["bad does not have the form scheme:id:perm".to_string()]
        );
        // auth::cdrwa: empty id; rwcda prints cdrwa; unknown letters warn.
        assert_eq!(
            parse_acl_arg("auth::cdrwa"),
            vec![Acl::new(ALL, "auth", "")]
        );
        let p = parse_acl_arg_verbose("world:anyone:rwxcda");
        assert_eq!(perms_to_letters(p.acl[0].perms), "cdrwa");
        assert_eq!(p.warnings, vec!["Unknown perm type: x".to_string()]);
        // world:anyone: (no letters) is perms 0, a legal entry.
        assert_eq!(
            parse_acl_arg("world:anyone:"),
            vec![Acl::new(0, "world", "anyone")]
        );
        // "," and "garbage" and "" have no well-formed entry: the client reports INVALIDACL.
        assert!(parse_acl_arg(",").is_empty());
        assert!(parse_acl_arg("garbage").is_empty());
        assert_eq!(
            parse_acl_arg_verbose("").warnings,
            vec![" does not have the form scheme:id:perm".to_string()]
        );
        // Trailing empty entries vanish silently, leading ones warn (Java split).
        assert!(parse_acl_arg_verbose("world:anyone:r,").warnings.is_empty());
        assert_eq!(parse_acl_arg_verbose(",world:anyone:r").warnings.len(), 1);
        assert_eq!(perms_to_letters(READ | CREATE), "cr");
        assert_eq!(perms_to_letters(0), "");
        assert_eq!(
            Acl::new(READ | WRITE, "digest", "alice:x").to_string(),
            "digest:alice:x:rw"
        );
    }

    #[test]
    fn fixup_rules() {
        let alice = Id::digest("alice:secret");
        let bob = Id::digest("bob:hunter2");
        let ip = Id::ip(CLIENT_ADDRESS);
        // auth expands to every authenticated id, in the connection's order; ip is not one.
        let got = fixup(
            &parse_acl_arg("auth::rw"),
            &[ip.clone(), alice.clone(), bob.clone()],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                Acl::new(READ | WRITE, "digest", &alice.id),
                Acl::new(READ | WRITE, "digest", &bob.id)
            ]
        );
        // The id part of auth is ignored.
        assert_eq!(
            fixup(
                &parse_acl_arg("auth:ignored:cdrwa"),
                std::slice::from_ref(&alice)
            )
            .unwrap()
            .len(),
            1
        );
        assert_eq!(
            fixup(&parse_acl_arg("auth::cdrwa"), std::slice::from_ref(&ip)),
            Err(ErrorCode::InvalidAcl)
        );
        assert_eq!(
            fixup(&parse_acl_arg("auth::cdrwa"), &[Id::new("super", "")]),
            Err(ErrorCode::InvalidAcl)
        );
        assert_eq!(fixup(&[], &[]), Err(ErrorCode::InvalidAcl));
        for bad in [
            "nosuch:id:cdrwa",
            "world:somebody:cdrwa",
            "digest:alice:cdrwa",
            "digest:a:b:c:r",
            "ip:1.2.3:r",
            "ip:1.2.3.4/33:r",
            "ip:1.2.3.256:r",
            "super::r",
            "world:anyone:r,nosuch:id:r",
        ] {
            assert_eq!(
                fixup(&parse_acl_arg(bad), std::slice::from_ref(&alice)),
                Err(ErrorCode::InvalidAcl),
                "{bad}"
            );
        }
        for good in [
            "world:anyone:",
            "digest:alice:HASH:r",
            "digest:alice:HASH::r",
            "ip:10.0.0.0/8:r",
            "ip:127.0.0.1:cdrwa",
        ] {
            assert!(fixup(&parse_acl_arg(good), &[]).is_ok(), "{good}");
        }
        // Duplicates go (first kept); ordering otherwise kept.
        let got = fixup(
            &parse_acl_arg("world:anyone:r,ip:1.2.3.4:r,world:anyone:r"),
            &[],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                Acl::new(READ, "world", "anyone"),
                Acl::new(READ, "ip", "1.2.3.4")
            ]
        );
    }

    #[test]
    fn check_rules() {
        let alice = Id::digest("alice:secret");
        let ip = Id::ip(CLIENT_ADDRESS);
        let vault = vec![Acl::new(ALL, "digest", &alice.id)];
        assert!(check(&vault, READ, &[ip.clone(), alice.clone()]));
        assert!(!check(&vault, READ, std::slice::from_ref(&ip)));
        assert!(!check(&vault, READ, &[Id::digest("alice:wrong")]));
        // Only entries carrying the bit count.
        let r = parse_acl_arg("world:anyone:r");
        assert!(check(&r, READ, &[]));
        assert!(!check(&r, WRITE, &[]));
        // An empty ACL allows everything.
        assert!(check(&[], ADMIN, &[]));
        // ip: prefix match on bits.
        for (acl, ok) in [
            ("ip:127.0.0.0/8:r", true),
            ("ip:127.0.0.1:r", true),
            ("ip:10.0.0.0/8:r", false),
            ("ip:0.0.0.0/0:r", true),
            ("ip:127.0.0.2/31:r", false),
            ("ip:127.0.0.0/31:r", true),
        ] {
            assert_eq!(
                check(&parse_acl_arg(acl), READ, std::slice::from_ref(&ip)),
                ok,
                "{acl}"
            );
        }
    }

    #[test]
    fn get_acl_display_rule() {
        let acl = vec![
            Acl::new(ALL, "digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="),
            Acl::new(READ, "world", "anyone"),
        ];
        let shown: Vec<String> = display_acl(&acl, false)
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(shown, ["digest:alice:x:cdrwa", "world:anyone:r"]);
        assert_eq!(display_acl(&acl, true), acl);
        assert_eq!(mask_digest_id("nocolon"), "nocolon");
        assert_eq!(mask_digest_id("a:b\nc:d"), "a:x\nc:x");
    }

    #[test]
    fn validate_path_like_path_utils() {
        for ok in [
            "/",
            "/a",
            "/a/b",
            "/...",
            "/.a",
            "/a.",
            "/with space",
            "/数据",
            "/a/.b/c..",
        ] {
            assert_eq!(path_error(ok), None, "{ok}");
        }
        let cases = [
            ("", "Path length must be > 0"),
            ("a", "Path must start with / character"),
            ("/a/", "Path must not end with / character"),
            (
                "/a//b",
                "Invalid path string \"/a//b\" caused by empty node name specified @3",
            ),
            (
                "/.",
                "Invalid path string \"/.\" caused by relative paths not allowed @1",
            ),
            (
                "/..",
                "Invalid path string \"/..\" caused by relative paths not allowed @2",
            ),
            (
                "/a/./b",
                "Invalid path string \"/a/./b\" caused by relative paths not allowed @3",
            ),
            (
                "/a/../b",
                "Invalid path string \"/a/../b\" caused by relative paths not allowed @4",
            ),
            (
                "/a\u{1}",
                "Invalid path string \"/a\u{1}\" caused by invalid character @2",
            ),
            (
                "/a\0",
                "Invalid path string \"/a\0\" caused by null character not allowed @2",
            ),
            // Outside the BMP: a surrogate pair, flagged at its first code unit.
            (
                "/x😀",
                "Invalid path string \"/x😀\" caused by invalid character @2",
            ),
            (
                "/\u{fff0}",
                "Invalid path string \"/\u{fff0}\" caused by invalid character @1",
            ),
            (
                "/\u{e000}",
                "Invalid path string \"/\u{e000}\" caused by invalid character @1",
            ),
        ];
        for (p, msg) in cases {
            assert_eq!(path_error(p).as_deref(), Some(msg), "{p:?}");
        }
        assert!(validate_path("/q/", true).is_ok());
        assert_eq!(validate_path("/q/", false), Err(ErrorCode::BadArguments));
        assert_eq!(validate_path("noslash", true), Err(ErrorCode::BadArguments));
    }
}
