//! ACLs, identities and the client-side checks zkCli runs before sending anything
//! (spec/datatree.md §2.1 and §8).

use base64::Engine;
use sha1::Digest;

use crate::ErrorCode;

/// READ permission bit.
pub const READ: u32 = 1;
/// WRITE permission bit.
pub const WRITE: u32 = 2;
/// CREATE permission bit.
pub const CREATE: u32 = 4;
/// DELETE permission bit.
pub const DELETE: u32 = 8;
/// ADMIN permission bit.
pub const ADMIN: u32 = 16;
/// All permissions.
pub const ALL: u32 = 31;

/// An identity: scheme and id (`digest:alice:HASH`, `world:anyone`, `ip:127.0.0.1`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id {
    /// Scheme.
    pub scheme: String,
    /// Id within the scheme.
    pub id: String,
}

/// One ACL entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Acl {
    /// Permission bits.
    pub perms: u32,
    /// Scheme.
    pub scheme: String,
    /// Id.
    pub id: String,
}

/// `OPEN_ACL_UNSAFE`: world:anyone with every permission (zkCli's default).
pub fn open_acl_unsafe() -> Vec<Acl> {
    vec![Acl {
        perms: ALL,
        scheme: "world".into(),
        id: "anyone".into(),
    }]
}

/// Permission bits as zkCli prints them, in the order `cdrwa`.
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

/// Parses zkCli's ACL argument (`world:anyone:cdrwa,digest:bob:HASH:r`): the id is everything
/// between the first and the last colon; malformed entries are skipped, as zkCli does.
pub fn parse_acl_arg(text: &str) -> Vec<Acl> {
    let mut out = Vec::new();
    for entry in text.split(',') {
        let (Some(first), Some(last)) = (entry.find(':'), entry.rfind(':')) else {
            continue;
        };
        if first == last {
            continue;
        }
        let scheme = &entry[..first];
        let id = &entry[first + 1..last];
        let mut perms = 0;
        for c in entry[last + 1..].chars() {
            perms |= match c {
                'r' => READ,
                'w' => WRITE,
                'c' => CREATE,
                'd' => DELETE,
                'a' => ADMIN,
                _ => 0,
            };
        }
        out.push(Acl {
            perms,
            scheme: scheme.to_string(),
            id: id.to_string(),
        });
    }
    out
}

/// The digest id for `user:password`: `user:base64(sha1("user:password"))`.
pub fn digest_id(user_password: &str) -> String {
    let user = user_password.split(':').next().unwrap_or("");
    let hash = sha1::Sha1::digest(user_password.as_bytes());
    format!(
        "{user}:{}",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
}

/// The id `addauth scheme auth` adds to a connection, or None if the scheme is unknown.
pub fn auth_id(scheme: &str, auth: &str) -> Option<Id> {
    match scheme {
        "digest" => Some(Id {
            scheme: "digest".into(),
            id: digest_id(auth),
        }),
        _ => None,
    }
}

/// `checkACL`: may a caller with `ids` do `perm` on a node with `acl`?
pub fn check(acl: &[Acl], perm: u32, ids: &[Id]) -> bool {
    if acl.is_empty() || ids.iter().any(|i| i.scheme == "super") {
        return true;
    }
    acl.iter().filter(|a| a.perms & perm != 0).any(|a| {
        (a.scheme == "world" && a.id == "anyone")
            || ids
                .iter()
                .any(|i| i.scheme == a.scheme && id_matches(&a.scheme, &i.id, &a.id))
    })
}

fn id_matches(scheme: &str, caller: &str, acl_id: &str) -> bool {
    if scheme != "ip" {
        return caller == acl_id;
    }
    let (addr, bits) = match acl_id.split_once('/') {
        Some((a, b)) => (a, b.parse::<u32>().unwrap_or(33)),
        None => (acl_id, 32),
    };
    match (parse_ipv4(caller), parse_ipv4(addr)) {
        (Some(c), Some(a)) if bits <= 32 => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            c & mask == a & mask
        }
        _ => false,
    }
}

fn parse_ipv4(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v = 0u32;
    for p in parts {
        v = (v << 8) | p.parse::<u8>().ok()? as u32;
    }
    Some(v)
}

/// True if a caller with `ids` receives watch events for a node with `acl` (READ).
pub fn can_read(acl: &[Acl], ids: &[Id]) -> bool {
    check(acl, READ, ids)
}

/// `fixupACL`: expands `auth:` entries to the caller's authenticated ids and checks the rest.
pub fn fixup(acl: &[Acl], ids: &[Id]) -> Result<Vec<Acl>, ErrorCode> {
    let mut out: Vec<Acl> = Vec::new();
    let push = |a: Acl, out: &mut Vec<Acl>| {
        if !out.contains(&a) {
            out.push(a);
        }
    };
    if acl.is_empty() {
        return Err(ErrorCode::InvalidAcl);
    }
    for a in acl {
        match a.scheme.as_str() {
            "world" if a.id == "anyone" => push(a.clone(), &mut out),
            "auth" => {
                let mut any = false;
                for i in ids.iter().filter(|i| i.scheme != "ip") {
                    any = true;
                    push(
                        Acl {
                            perms: a.perms,
                            scheme: i.scheme.clone(),
                            id: i.id.clone(),
                        },
                        &mut out,
                    );
                }
                if !any {
                    return Err(ErrorCode::InvalidAcl);
                }
            }
            "digest" if a.id.split(':').count() == 2 => push(a.clone(), &mut out),
            "ip" if valid_ip_acl(&a.id) => push(a.clone(), &mut out),
            _ => return Err(ErrorCode::InvalidAcl),
        }
    }
    Ok(out)
}

fn valid_ip_acl(id: &str) -> bool {
    match id.split_once('/') {
        Some((a, b)) => parse_ipv4(a).is_some() && b.parse::<u32>().is_ok_and(|b| b <= 32),
        None => parse_ipv4(id).is_some(),
    }
}

/// `PathUtils.validatePath`, run by the client library before sending (a sequential create
/// validates `path + "1"`). Failure is BADARGUMENTS.
pub fn validate_path(path: &str, sequential: bool) -> Result<(), ErrorCode> {
    let owned;
    let p = if sequential {
        owned = format!("{path}1");
        owned.as_str()
    } else {
        path
    };
    if is_valid_path(p) {
        Ok(())
    } else {
        Err(ErrorCode::BadArguments)
    }
}

/// The rules of `PathUtils.validatePath`.
pub fn is_valid_path(p: &str) -> bool {
    if p.is_empty() || !p.starts_with('/') {
        return false;
    }
    if p == "/" {
        return true;
    }
    if p.ends_with('/') {
        return false;
    }
    for comp in p[1..].split('/') {
        if comp.is_empty() || comp == "." || comp == ".." {
            return false;
        }
        for c in comp.chars() {
            let u = c as u32;
            if u == 0
                || (1..=0x1f).contains(&u)
                || (0x7f..=0x9f).contains(&u)
                || (0xd800..=0xf8ff).contains(&u)
                || u >= 0xfff0
            {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_matches_zookeeper_digest_provider() {
        // echo -n 'alice:secret' | openssl sha1 -binary | base64
        assert_eq!(
            digest_id("alice:secret"),
            "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="
        );
    }

    #[test]
    fn acl_argument_and_letters() {
        let a = parse_acl_arg("world:anyone:cdrwa,bad,digest:bob:h:h:r");
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].id, "bob:h:h");
        assert_eq!(perms_to_letters(a[0].perms), "cdrwa");
        assert_eq!(perms_to_letters(READ | CREATE), "cr");
    }

    #[test]
    fn paths() {
        for ok in ["/", "/a", "/a/b", "/...", "/.a"] {
            assert!(is_valid_path(ok), "{ok}");
        }
        for bad in ["", "a", "/a/", "/a//b", "/.", "/a/..", "/a\u{1}"] {
            assert!(!is_valid_path(bad), "{bad}");
        }
        assert!(validate_path("/q/", true).is_ok());
        assert_eq!(validate_path("/q/", false), Err(ErrorCode::BadArguments));
    }

    #[test]
    fn check_and_fixup() {
        let alice = Id {
            scheme: "digest".into(),
            id: digest_id("alice:secret"),
        };
        let ip = Id {
            scheme: "ip".into(),
            id: "127.0.0.1".into(),
        };
        let acl = fixup(&parse_acl_arg("auth::cdrwa"), &[ip.clone(), alice.clone()]).unwrap();
        assert_eq!(acl.len(), 1);
        assert!(check(&acl, READ, &[alice]));
        assert!(!check(&acl, READ, std::slice::from_ref(&ip)));
        assert_eq!(
            fixup(&parse_acl_arg("auth::cdrwa"), std::slice::from_ref(&ip)),
            Err(ErrorCode::InvalidAcl)
        );
        assert!(check(&parse_acl_arg("ip:127.0.0.0/8:r"), READ, &[ip]));
    }
}
