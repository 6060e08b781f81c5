//! What a trusted peer may send us, and what we publish to it.

use serde::{Deserialize, Serialize};

/// A kind of bundle item a peer may be allowed to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Hash list entries (added or removed).
    Hashes,
    /// URL list entries (added or taken down).
    Urls,
    /// Travelling-offender alerts.
    Alerts,
    /// Disclosure-controlled statistics.
    Stats,
    /// Signed heads of the peer's audit chain.
    Audit,
    /// The peer's own key rotations: every peer may send its own, so this
    /// kind is in no permission list.
    Identity,
}

impl ItemKind {
    /// Every kind, in the order lists show them.
    pub const ALL: [ItemKind; 5] = [
        ItemKind::Hashes,
        ItemKind::Urls,
        ItemKind::Alerts,
        ItemKind::Stats,
        ItemKind::Audit,
    ];

    /// The spelling in `--may-send` and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Hashes => "hashes",
            ItemKind::Urls => "urls",
            ItemKind::Alerts => "alerts",
            ItemKind::Stats => "stats",
            ItemKind::Audit => "audit",
            ItemKind::Identity => "identity",
        }
    }

    /// Parses one spelling.
    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Something this node publishes to a peer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Publish {
    /// The URL list.
    Urls,
    /// Travelling-offender alerts.
    Alerts,
    /// The indicators marked public.
    Stats,
    /// Signed heads of this node's audit chain.
    Audit,
    /// One hash list, by name.
    HashList(String),
}

impl Publish {
    /// The spelling in `--publish`: `urls`, `alerts`, `stats`, `audit`, `hashlist:NAME`.
    pub fn to_text(&self) -> String {
        match self {
            Publish::Urls => "urls".into(),
            Publish::Alerts => "alerts".into(),
            Publish::Stats => "stats".into(),
            Publish::Audit => "audit".into(),
            Publish::HashList(n) => format!("hashlist:{n}"),
        }
    }
}

/// Why `url` cannot be a peer's address, if it cannot. Bundles are signed,
/// but what they carry (offenders' identities, addresses of abuse material)
/// must not cross a network in clear: `https://` everywhere, and plain
/// `http://` only to this machine (a test, or a local TLS proxy).
pub fn peer_address_problem(url: &str) -> Option<&'static str> {
    const PROBLEM: &str = "must be a web address starting with https:// (plain http:// only to this machine: 127.0.0.1, [::1] or localhost)";
    if url.chars().count() > 300 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(PROBLEM);
    }
    let (plain, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (false, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (true, rest)
    } else {
        return Some(PROBLEM);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Some(PROBLEM);
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    if host.is_empty() || (plain && !loopback) {
        return Some(PROBLEM);
    }
    None
}

fn parts(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|p| !p.is_empty())
}

/// Parses `hashes,urls,alerts,stats,audit` (any of them, any order; empty is
/// none). Sorted, without repeats.
pub fn parse_may_send(text: &str) -> Result<Vec<ItemKind>, String> {
    let mut out = Vec::new();
    for p in parts(text) {
        let kind = ItemKind::parse(p).ok_or_else(|| {
            format!(
                "{p:?} is not something a peer can send: use hashes, urls, alerts, stats or audit"
            )
        })?;
        out.push(kind);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Parses `urls,alerts,stats,audit,hashlist:NAME,…` (empty is nothing). Sorted,
/// without repeats.
pub fn parse_publish(text: &str) -> Result<Vec<Publish>, String> {
    let mut out = Vec::new();
    for p in parts(text) {
        let item = match p {
            "urls" => Publish::Urls,
            "alerts" => Publish::Alerts,
            "stats" => Publish::Stats,
            "audit" => Publish::Audit,
            _ => match p.strip_prefix("hashlist:").map(str::trim) {
                Some(name) if !name.is_empty() && name.chars().count() <= 200 => {
                    Publish::HashList(name.to_string())
                }
                _ => {
                    return Err(format!(
                        "{p:?} is not something this node can publish: use urls, alerts, stats, audit or hashlist:NAME"
                    ))
                }
            },
        };
        out.push(item);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_are_reached_over_tls_except_on_this_machine() {
        for good in [
            "https://haven.ministry.example",
            "https://10.0.0.7:8443/",
            "https://[2001:db8::1]:443/haven",
            "http://127.0.0.1:8080",
            "http://127.8.0.1/",
            "http://localhost:3000/",
            "http://[::1]:8080",
        ] {
            assert_eq!(peer_address_problem(good), None, "{good}");
        }
        for bad in [
            "http://haven.ministry.example",
            "http://10.0.0.7:8080",
            "http://127.0.0.1.evil.example/",
            "http://localhost.evil.example/",
            "http://user@127.0.0.1/",
            "ftp://127.0.0.1/",
            "https://",
            "https:// spaced.example",
            "haven.ministry.example",
        ] {
            assert!(peer_address_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn permissions_parse_sorted_and_refuse_what_they_do_not_know() {
        assert_eq!(
            parse_may_send("urls, hashes,urls").unwrap(),
            vec![ItemKind::Hashes, ItemKind::Urls]
        );
        assert_eq!(parse_may_send("").unwrap(), vec![]);
        assert!(parse_may_send("children").is_err());
        assert_eq!(
            parse_publish("hashlist:NCMEC,urls").unwrap(),
            vec![Publish::Urls, Publish::HashList("NCMEC".into())]
        );
        assert!(parse_publish("hashlist:").is_err());
        assert!(parse_publish("cases").is_err());
    }
}
