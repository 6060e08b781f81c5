//! The hotline's lists of known material (§103-106, §122(h)): hash entries
//! and a URL list that ISPs download. Only hashes and addresses are kept,
//! never images.

use crate::validation::{clean_name, ValidationErrors};
use serde::{Deserialize, Serialize};

/// A hash to add to a list: at least one of the three.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewHashEntry {
    /// PDQ hash, 64 hex digits.
    pub pdq: Option<String>,
    /// PDQ quality 0-100, when known.
    pub quality: Option<i64>,
    /// MD5 of the file, 32 hex digits.
    pub md5: Option<String>,
    /// SHA-256 of the file, 64 hex digits.
    pub sha256: Option<String>,
    /// Where the hash came from (a report number, a partner hotline).
    #[serde(default)]
    pub source: String,
    /// Classification, e.g. `csam-a`, `csam-b`, `grooming`.
    #[serde(default)]
    pub category: String,
}

fn hex_of_len(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl NewHashEntry {
    /// Lower-cases the hashes and checks them; `prefix` names fields in bulk imports.
    pub fn validate(&mut self, e: &mut ValidationErrors, prefix: &str) {
        let field = |f: &str| format!("{prefix}{f}");
        for (name, value, len) in [
            ("pdq", &mut self.pdq, 64),
            ("md5", &mut self.md5, 32),
            ("sha256", &mut self.sha256, 64),
        ] {
            if let Some(v) = value {
                *v = v.trim().to_ascii_lowercase();
                if !hex_of_len(v, len) {
                    e.add(&field(name), format!("must be {len} hexadecimal digits"));
                }
            }
        }
        if self.pdq.is_none() && self.md5.is_none() && self.sha256.is_none() {
            e.add(&field("pdq"), "give a pdq, md5 or sha256 hash");
        }
        if let Some(q) = self.quality {
            if !(0..=100).contains(&q) {
                e.add(&field("quality"), "must be between 0 and 100");
            }
        }
        self.source = clean_name(e, &field("source"), &self.source, false);
        self.category = clean_name(e, &field("category"), &self.category, false);
    }
}

/// How much of the web a URL entry covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlLevel {
    /// Exactly this address (with its query).
    Url,
    /// Everything under this path.
    Prefix,
    /// The whole domain and its subdomains.
    Domain,
}

impl UrlLevel {
    /// API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlLevel::Url => "url",
            UrlLevel::Prefix => "prefix",
            UrlLevel::Domain => "domain",
        }
    }

    /// Parses the API spelling.
    pub fn parse(s: &str) -> Option<UrlLevel> {
        match s {
            "url" => Some(UrlLevel::Url),
            "prefix" => Some(UrlLevel::Prefix),
            "domain" => Some(UrlLevel::Domain),
            _ => None,
        }
    }
}

/// A URL reduced to the form list entries are compared in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalUrl {
    /// Lower-case host without `www.`, trailing dots or a default port (`host[:port]`).
    pub host: String,
    /// Path, starting with `/`, with unreserved characters decoded and escapes in upper case.
    pub path: String,
    /// Query string without `?`, if any.
    pub query: Option<String>,
}

impl NormalUrl {
    /// The key of this URL at a level.
    pub fn key(&self, level: UrlLevel) -> String {
        match level {
            UrlLevel::Domain => self.host.clone(),
            UrlLevel::Prefix => format!("{}{}", self.host, self.path),
            UrlLevel::Url => match &self.query {
                Some(q) => format!("{}{}?{}", self.host, self.path, q),
                None => format!("{}{}", self.host, self.path),
            },
        }
    }

    /// Every (level, key) a listed entry could have to cover this URL.
    pub fn candidate_keys(&self) -> Vec<(UrlLevel, String)> {
        let mut out = vec![(UrlLevel::Url, self.key(UrlLevel::Url))];
        // Path prefixes: "/", "/a", "/a/", "/a/b", … up to the whole path.
        let mut end = 0;
        let bytes = self.path.as_bytes();
        while end < bytes.len() {
            end += 1;
            if end == bytes.len() || bytes[end] == b'/' || bytes[end - 1] == b'/' {
                out.push((
                    UrlLevel::Prefix,
                    format!("{}{}", self.host, &self.path[..end]),
                ));
            }
        }
        let (name, port) = match self.host.rsplit_once(':') {
            Some((n, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (n, Some(p)),
            _ => (self.host.as_str(), None),
        };
        let mut domain = name;
        loop {
            out.push((UrlLevel::Domain, domain.to_string()));
            if let Some(p) = port {
                out.push((UrlLevel::Domain, format!("{domain}:{p}")));
            }
            match domain.split_once('.') {
                Some((_, rest)) if rest.contains('.') => domain = rest,
                _ => break,
            }
        }
        out
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Decodes escapes of unreserved characters, upper-cases the rest, and
/// escapes raw bytes that may not appear in a URL.
fn normalise_escapes(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
            let Some(hex) = hex else {
                return Err("has a '%' not followed by two hexadecimal digits".into());
            };
            let v = u8::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
            if is_unreserved(v) {
                out.push(v as char);
            } else {
                out.push_str(&format!("%{v:02X}"));
            }
            i += 3;
        } else if b[i] <= b' '
            || b[i] >= 0x7f
            || matches!(
                b[i],
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
        {
            out.push_str(&format!("%{:02X}", b[i]));
            i += 1;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    Ok(out)
}

/// Normalises a URL for listing and checking: scheme and `www.` ignored,
/// host lower-cased without trailing dots, default ports dropped, escapes
/// canonical, fragment dropped.
pub fn normalise_url(input: &str) -> Result<NormalUrl, String> {
    let s = input.trim();
    if s.is_empty() || s.len() > 4096 {
        return Err("must be a URL of at most 4096 characters".into());
    }
    let (scheme, rest) = match s.split_once("://") {
        Some((sc, r)) => (sc.to_ascii_lowercase(), r),
        None => ("http".to_string(), s),
    };
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        other => return Err(format!("scheme {other:?} is not http or https")),
    };
    let rest = rest.split('#').next().unwrap_or("");
    let split_at = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split_at);
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() => (h, Some(p)),
        _ => (host_port, None),
    };
    let mut host = host.to_lowercase().trim_end_matches('.').to_string();
    if let Some(stripped) = host.strip_prefix("www.") {
        host = stripped.to_string();
    }
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        || host.contains("..")
    {
        return Err("has no valid host name".into());
    }
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 5 {
            return Err("has an invalid port".into());
        }
        let p = p.trim_start_matches('0');
        if p != default_port && !p.is_empty() {
            host = format!("{host}:{p}");
        }
    }
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (tail, None),
    };
    let mut path = normalise_escapes(path)?;
    if path.is_empty() {
        path.push('/');
    }
    let query = match query {
        Some(q) if !q.is_empty() => Some(normalise_escapes(q)?),
        _ => None,
    };
    Ok(NormalUrl { host, path, query })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_urls_normalise_alike() {
        let a = normalise_url("HTTP://WWW.Example.COM.:80/a%2fb/%7Euser?x=1#frag").unwrap();
        let b = normalise_url("https://example.com:443/a%2Fb/~user?x=1").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.key(UrlLevel::Url), "example.com/a%2Fb/~user?x=1");
        assert_eq!(
            normalise_url("example.com").unwrap().key(UrlLevel::Prefix),
            "example.com/"
        );
        assert_eq!(
            normalise_url("http://example.com:8080/").unwrap().host,
            "example.com:8080"
        );
        assert_eq!(
            normalise_url("http://user:pw@example.com/x").unwrap().host,
            "example.com"
        );
    }

    #[test]
    fn bad_urls_are_refused() {
        for bad in [
            "",
            "ftp://example.com/",
            "http:///path",
            "http://exa mple.com/",
            "http://example.com:99999999/",
            "http://e.com/%zz",
        ] {
            assert!(normalise_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn candidates_cover_prefixes_and_parent_domains() {
        let u = normalise_url("http://a.b.example.com/x/y?q=1").unwrap();
        let keys = u.candidate_keys();
        for want in [
            (UrlLevel::Url, "a.b.example.com/x/y?q=1"),
            (UrlLevel::Prefix, "a.b.example.com/"),
            (UrlLevel::Prefix, "a.b.example.com/x/"),
            (UrlLevel::Prefix, "a.b.example.com/x/y"),
            (UrlLevel::Domain, "example.com"),
            (UrlLevel::Domain, "b.example.com"),
        ] {
            assert!(
                keys.contains(&(want.0, want.1.to_string())),
                "{want:?} in {keys:?}"
            );
        }
        assert!(!keys.contains(&(UrlLevel::Domain, "com".to_string())));
    }
}
