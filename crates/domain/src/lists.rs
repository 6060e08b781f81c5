//! The hotline's lists of known material (§103-106, §122(h)): hash entries
//! and a URL list that ISPs download. Only hashes and addresses are kept,
//! never images.

use crate::validation::{clean_name, ValidationErrors};
use serde::{Deserialize, Serialize};

mod canon;

/// A hash to add to a list: at least one of the three.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"pdq": "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", "quality": 100, "source": "report 1", "category": "csam-a"})))]
#[serde(deny_unknown_fields)]
pub struct NewHashEntry {
    /// PDQ hash, 64 hex digits (give at least one of `pdq`, `md5`, `sha256`).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9a-fA-F]{64}$"))]
    pub pdq: Option<String>,
    /// PDQ quality 0-100, when known; below 50 says too little about the image to be listed.
    #[cfg_attr(feature = "openapi", schema(minimum = 50, maximum = 100))]
    pub quality: Option<i64>,
    /// MD5 of the file, 32 hex digits.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9a-fA-F]{32}$"))]
    pub md5: Option<String>,
    /// SHA-256 of the file, 64 hex digits.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9a-fA-F]{64}$"))]
    pub sha256: Option<String>,
    /// Where the hash came from (a report number, a partner hotline).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub source: String,
    /// Classification, e.g. `csam-a`, `csam-b`, `grooming`.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]([^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]{0,98}[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
        )
    )]
    pub category: String,
}

/// PDQ quality below which a hash says too little about its image to be
/// listed or matched: a blank, flat or tiny picture hashes to (nearly) all
/// zeros and would match every other such picture. ThreatExchange advises 50.
pub const MIN_PDQ_QUALITY: i64 = 50;

/// Whether a PDQ hash (64 hex digits) cannot come from a detailed image.
/// PDQ sets a bit for each coefficient above the median, so a real image's
/// hash has close to 128 of its 256 bits set; far fewer (the all-zero hash
/// of a flat image) or far more means there was nothing to hash.
pub fn pdq_is_degenerate(hex: &str) -> bool {
    let ones: u32 = hex
        .chars()
        .filter_map(|c| c.to_digit(16))
        .map(u32::count_ones)
        .sum();
    !(64..=192).contains(&ones)
}

/// The plain-words reason given for a degenerate hash or a low quality.
pub const TOO_LITTLE_DETAIL: &str = "the image has too little detail to match (a blank, flat or tiny picture would match every other such picture)";

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
                if v.trim().len() != v.len() {
                    *v = v.trim().to_string();
                }
                // In place: a bulk import checks millions of these.
                v.make_ascii_lowercase();
                if !hex_of_len(v, len) {
                    e.add(&field(name), format!("must be {len} hexadecimal digits"));
                } else if name == "pdq" && pdq_is_degenerate(v) {
                    e.add(&field(name), TOO_LITTLE_DETAIL);
                }
            }
        }
        if self.pdq.is_none() && self.md5.is_none() && self.sha256.is_none() {
            e.add(&field("pdq"), "give a pdq, md5 or sha256 hash");
        }
        if let Some(q) = self.quality {
            if !(0..=100).contains(&q) {
                e.add(&field("quality"), "must be between 0 and 100");
            } else if q < MIN_PDQ_QUALITY {
                e.add(
                    &field("quality"),
                    format!("is {q}, below {MIN_PDQ_QUALITY}: {TOO_LITTLE_DETAIL}"),
                );
            }
        }
        self.source = clean_name(e, &field("source"), &self.source, false);
        self.category = clean_name(e, &field("category"), &self.category, false);
    }
}

/// How much of the web a URL entry covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Longest URL accepted, in bytes, once trimmed and without tab, CR and LF.
pub const MAX_URL_LEN: usize = 4096;

/// Longest canonical key (host, path and query), in bytes. Unescaping never
/// lengthens a URL but re-escaping can triple a byte, so the bound is
/// checked again on the result.
pub const MAX_KEY_LEN: usize = 3 * MAX_URL_LEN;

/// A URL reduced to the form list entries are compared in (Google Safe
/// Browsing's canonical form, without scheme, `www.` or default port).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalUrl {
    /// Canonical host and non-default port (`host[:port]`): unescaped,
    /// lower-case, without `www.`, leading, trailing or doubled dots; an
    /// IPv4 address in dotted decimal, IPv6 as `[…]`, international labels
    /// in Punycode.
    pub host: String,
    /// Path starting with `/`: fully unescaped, `.` and `..` resolved, runs
    /// of `/` collapsed, then bytes up to space, from DEL up, `#` and `%`
    /// escaped as `%XX` in upper-case hex.
    pub path: String,
    /// Query string without `?`, escaped like the path, if not empty.
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
        // An IP address has no parent domains.
        let is_ip = name.starts_with('[') || name.parse::<std::net::Ipv4Addr>().is_ok();
        let mut domain = name;
        loop {
            out.push((UrlLevel::Domain, domain.to_string()));
            if let Some(p) = port {
                out.push((UrlLevel::Domain, format!("{domain}:{p}")));
            }
            match domain.split_once('.') {
                Some((_, rest)) if !is_ip && rest.contains('.') => domain = rest,
                _ => break,
            }
        }
        out
    }
}

/// Splits off an explicit scheme (`scheme://`); `None` when there is none,
/// so that `example.com/?u=http://x` is read as a scheme-less URL. Like
/// browsers, `http:` followed by other than `//` (`http:\\x`, `http:/x`,
/// `http:x`) is read as `http://x`.
fn split_scheme(s: &str) -> (Option<String>, &str) {
    if let Some((scheme, rest)) = s.split_once("://") {
        let mut chars = scheme.chars();
        if chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return (Some(scheme.to_ascii_lowercase()), rest);
        }
    }
    if let Some((scheme, rest)) = s.split_once(':') {
        let scheme = scheme.to_ascii_lowercase();
        if scheme == "http" || scheme == "https" {
            return (Some(scheme), rest.trim_start_matches(['/', '\\']));
        }
    }
    (None, s)
}

/// Canonicalises a URL for listing and checking, after Google Safe
/// Browsing's rules, so that every spelling of an address gives one key:
///
/// - tab, CR and LF are removed everywhere, surrounding whitespace trimmed,
///   the fragment dropped; no scheme means http, and only http(s) is taken;
/// - the authority ends at the first `/`, `\` or `?` and user info is
///   dropped, as browsers read it, before anything is unescaped;
/// - host, path and query are unescaped until no escape is left; the host
///   loses leading, trailing and doubled dots, becomes lower-case, dotted
///   decimal when it reads as an IPv4 address (decimal, octal, hex, or fewer
///   than four parts) and Punycode when international; `www.` is dropped;
/// - the path has `\` read as `/`, `.` and `..` resolved and runs of `/`
///   collapsed; it and the query are re-escaped (bytes up to space, from
///   DEL up, `#`, `%`); an empty query is dropped; default ports are dropped.
///
/// Refused: no host, a host with a space (free text, not an address), a bad
/// port, another scheme, more than [`MAX_URL_LEN`] bytes in or
/// [`MAX_KEY_LEN`] out.
pub fn normalise_url(input: &str) -> Result<NormalUrl, String> {
    let too_long = || format!("must be a URL of at most {MAX_URL_LEN} characters");
    let cleaned: String = input
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let s = cleaned.trim();
    if s.is_empty() || s.len() > MAX_URL_LEN {
        return Err(too_long());
    }
    let s = s.split('#').next().unwrap_or("");
    let (scheme, rest) = split_scheme(s);
    let default_port = match scheme.as_deref() {
        None | Some("http") => 80,
        Some("https") => 443,
        Some(other) => return Err(format!("scheme {other:?} is not http or https")),
    };
    let rest = match scheme {
        None => rest.strip_prefix("//").unwrap_or(rest),
        Some(_) => rest,
    };
    let split_at = rest.find(['/', '\\', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split_at);
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = canon::host_and_port(host_port)?;
    let mut host = match host.strip_prefix("www.") {
        Some(stripped) => stripped.to_string(),
        None => host,
    };
    if let Some(p) = port.filter(|&p| p != default_port) {
        host = format!("{host}:{p}");
    }
    let tail = canon::unescape_fully(tail.as_bytes());
    let (path, query) = match tail.iter().position(|&b| b == b'?') {
        Some(i) => (&tail[..i], Some(&tail[i + 1..])),
        None => (&tail[..], None),
    };
    let path: Vec<u8> = path
        .iter()
        .map(|&b| if b == b'\\' { b'/' } else { b })
        .collect();
    let mut escaped_path = String::new();
    canon::escape_into(&mut escaped_path, &canon::resolve_path(&path));
    let query = query.filter(|q| !q.is_empty()).map(|q| {
        let mut out = String::new();
        canon::escape_into(&mut out, q);
        out
    });
    let url = NormalUrl {
        host,
        path: escaped_path,
        query,
    };
    let len = url.host.len() + url.path.len() + url.query.as_ref().map_or(0, |q| q.len() + 1);
    if len > MAX_KEY_LEN {
        return Err(too_long());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_hashes_and_low_quality_are_refused() {
        let mut entry = NewHashEntry {
            pdq: Some("0".repeat(64)),
            quality: Some(100),
            ..Default::default()
        };
        let mut e = ValidationErrors::default();
        entry.validate(&mut e, "");
        assert!(e.0.iter().any(|f| f.field == "pdq"), "{e:?}");
        let real = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
        assert!(!pdq_is_degenerate(real));
        let mut entry = NewHashEntry {
            pdq: Some(real.into()),
            quality: Some(20),
            ..Default::default()
        };
        let mut e = ValidationErrors::default();
        entry.validate(&mut e, "");
        assert!(e.0.iter().any(|f| f.field == "quality"), "{e:?}");
        entry.quality = Some(MIN_PDQ_QUALITY);
        let mut e = ValidationErrors::default();
        entry.validate(&mut e, "");
        assert!(e.0.is_empty(), "{e:?}");
    }

    #[test]
    fn equivalent_urls_normalise_alike() {
        let a = normalise_url("HTTP://WWW.Example.COM.:80/a%2fb/%7Euser?x=1#frag").unwrap();
        let b = normalise_url("https://example.com:443/a%2Fb/~user?x=1").unwrap();
        assert_eq!(a, b);
        // Safe Browsing unescapes every escape, `%2F` included.
        assert_eq!(a.key(UrlLevel::Url), "example.com/a/b/~user?x=1");
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
            "http://example.com:65536/",
            "http://example.com:8o/",
            "http://:80/",
            "http://.../",
            "http://a:b:80/",
            "http://ex%20ample.com/",
            "http://example.com%2F@/",
            "http://[::1/",
            "http://[zz::1]/",
            "http://[::1]x/",
            "javascript://example.com/",
            "#only-a-fragment",
        ] {
            assert!(normalise_url(bad).is_err(), "{bad}");
        }
        // A '%' without two hex digits is a literal '%' for Safe Browsing,
        // escaped, not an error.
        assert_eq!(
            normalise_url("http://e.com/%zz")
                .unwrap()
                .key(UrlLevel::Url),
            "e.com/%25zz"
        );
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

    fn url_key(input: &str) -> String {
        normalise_url(input)
            .unwrap_or_else(|e| panic!("{input:?}: {e}"))
            .key(UrlLevel::Url)
    }

    fn check_all(cases: &[(&str, &str)]) {
        for (input, want) in cases {
            assert_eq!(url_key(input), *want, "{input:?}");
        }
    }

    /// Google's Safe Browsing (v4 "URLs and hashing") canonicalisation
    /// examples, in Haven's key form: no scheme, no `www.`, non-default
    /// ports kept, an empty query dropped.
    #[test]
    fn safe_browsing_examples() {
        let host23 = "http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B";
        check_all(&[
            ("http://host/%25%32%35", "host/%25"),
            ("http://host/%25%32%35%25%32%35", "host/%25%25"),
            ("http://host/%2525252525252525", "host/%25"),
            ("http://host/asdf%25%32%35asd", "host/asdf%25asd"),
            ("http://host/%%%25%32%35asd%%", "host/%25%25%25asd%25%25"),
            ("http://www.google.com/", "google.com/"),
            (
                "http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/",
                "168.188.99.26/.secure/www.ebay.com/",
            ),
            (
                "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
                "195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/",
            ),
            (host23, "host%23.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+"),
            ("http://3279880203/blah", "195.127.0.11/blah"),
            ("http://www.google.com/blah/..", "google.com/"),
            ("www.google.com/", "google.com/"),
            ("www.google.com", "google.com/"),
            ("http://www.evil.com/blah#frag", "evil.com/blah"),
            ("http://www.GOOgle.com/", "google.com/"),
            ("http://www.google.com.../", "google.com/"),
            ("http://www.google.com/foo\tbar\rbaz\n2", "google.com/foobarbaz2"),
            ("http://www.google.com/q?", "google.com/q"),
            ("http://www.google.com/q?r?", "google.com/q?r?"),
            ("http://www.google.com/q?r?s", "google.com/q?r?s"),
            ("http://evil.com/foo#bar#baz", "evil.com/foo"),
            ("http://evil.com/foo;", "evil.com/foo;"),
            ("http://evil.com/foo?bar;", "evil.com/foo?bar;"),
            // Google's "\x01\x80" (a raw 0x80 byte cannot be in a &str).
            ("http://\x01%80.com/", "%01%80.com/"),
            ("http://notrailingslash.com", "notrailingslash.com/"),
            ("http://www.gotaport.com:1234/", "gotaport.com:1234/"),
            ("  http://www.google.com/  ", "google.com/"),
            ("https://www.securesite.com/", "securesite.com/"),
            ("http://host.com/ab%23cd", "host.com/ab%23cd"),
            (
                "http://host.com//twoslashes?more//slashes",
                "host.com/twoslashes?more//slashes",
            ),
        ]);
        // Haven refuses a space in a host, escaped or not (Google escapes it).
        for input in [
            "http:// leadingspace.com/",
            "http://%20leadingspace.com/",
            "%20leadingspace.com/",
        ] {
            assert!(normalise_url(input).is_err(), "{input:?}");
        }
    }

    #[test]
    fn canonical_form_is_stable() {
        for input in [
            "http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B",
            "http://\x01%80.com/a%00b?c%25d",
            "http://example.com:8080/a b/%E2%82%AC?x=%2541",
            "http://[2001:db8::1]/x",
            "http://bücher.de/x",
        ] {
            let once = normalise_url(input).unwrap();
            let twice = normalise_url(&once.key(UrlLevel::Url)).unwrap();
            assert_eq!(once, twice, "{input:?}");
        }
    }

    #[test]
    fn nested_escapes_unescape_fully() {
        check_all(&[
            ("http://h/%25%32%35", "h/%25"),
            ("http://h/%2541%2542", "h/AB"),
            ("http://h/a%252Fb", "h/a/b"),
            ("http://h/?q=%2525252541", "h/?q=A"),
            ("http://h/%e2%82%ac", "h/%E2%82%AC"),
            ("http://h/%7e%41%2a", "h/~A*"),
            ("http://h/a%0Ab", "h/a%0Ab"),
            ("http://h/a%23b", "h/a%23b"),
            // Characters Safe Browsing leaves literal, escaped or not.
            ("http://h/a\"<>^`{|}b", "h/a\"<>^`{|}b"),
            ("http://h/%22%3C%3E%5E%60%7B%7C%7D", "h/\"<>^`{|}"),
            ("http://h/a%3Ab%40c%2Bd%26e", "h/a:b@c+d&e"),
            // An escaped '?' starts the query, as in Safe Browsing.
            ("http://h/a%3Fb=1", "h/a?b=1"),
        ]);
    }

    #[test]
    fn numeric_and_escaped_hosts_become_dotted_decimal() {
        check_all(&[
            ("http://3279880203/", "195.127.0.11/"),
            ("http://0xC37F000B/", "195.127.0.11/"),
            ("http://0XC3.0X7F.0.0XB/", "195.127.0.11/"),
            ("http://0303.0177.0.013/", "195.127.0.11/"),
            ("http://195.127.11/", "195.127.0.11/"),
            ("http://195.8323083/", "195.127.0.11/"),
            ("http://0300.0250.0.1/", "192.168.0.1/"),
            ("http://0x7f.1/", "127.0.0.1/"),
            ("http://%31%32%37.0.0.1/", "127.0.0.1/"),
            (
                "http://%31%32%37%2e%30%2e%30%2e%31:8080/",
                "127.0.0.1:8080/",
            ),
            ("http://127.0.0.1./", "127.0.0.1/"),
            ("http://user:pw@0x7f000001/", "127.0.0.1/"),
            // Not addresses: kept as names.
            ("http://1.2.3.256/", "1.2.3.256/"),
            ("http://08.1.1.1/", "08.1.1.1/"),
            ("http://%45xample.COM/", "example.com/"),
        ]);
    }

    #[test]
    fn ipv6_hosts_are_canonical() {
        check_all(&[
            ("http://[2001:0DB8:0000::1]/x", "[2001:db8::1]/x"),
            ("http://[2001:db8:0:0:0:0:0:1]:8080/", "[2001:db8::1]:8080/"),
            ("http://[::ffff:1.2.3.4]/", "1.2.3.4/"),
            ("http://[::ffff:102:304]:80/", "1.2.3.4/"),
            ("http://[64:ff9b::1.2.3.4]/", "1.2.3.4/"),
        ]);
    }

    #[test]
    fn dot_segments_and_slashes_resolve() {
        check_all(&[
            ("http://h/a/./b/../c", "h/a/c"),
            ("http://h/a//b///c", "h/a/b/c"),
            ("http://h//", "h/"),
            ("http://h/a/b/..", "h/a/"),
            ("http://h/a/.", "h/a/"),
            ("http://h/../../x", "h/x"),
            ("http://h/%2E%2E/x/%2e/y", "h/x/y"),
            ("http://h/a%2F..%2Fb", "h/b"),
            ("http://h/a/..b/.c", "h/a/..b/.c"),
            ("http://h/a?p=/x/../y//z", "h/a?p=/x/../y//z"),
            // Browsers read '\' as '/' in an http URL.
            ("http://h\\a\\..\\b", "h/b"),
        ]);
    }

    #[test]
    fn tab_cr_lf_and_surrounding_whitespace_go() {
        check_all(&[
            (
                " \thttp://exa\tmple.co\nm/pa\r\nth?q=\t1\n ",
                "example.com/path?q=1",
            ),
            ("\n\r\twww.example.com/a\t", "example.com/a"),
            ("http://example.com/a%09b%0D%0A", "example.com/a%09b%0D%0A"),
        ]);
    }

    #[test]
    fn host_dots_and_case_are_canonical() {
        check_all(&[
            ("http://..Example..COM../", "example.com/"),
            ("http://.example.com/", "example.com/"),
            ("http://www..example...com./", "example.com/"),
            ("http://EXAMPLE.com.:80/", "example.com/"),
            ("http://example.com:/", "example.com/"),
            ("http://example.com:0080/", "example.com/"),
            ("https://example.com:80/", "example.com:80/"),
        ]);
        assert_eq!(normalise_url("Example.COM.").unwrap().host, "example.com");
    }

    #[test]
    fn fragment_dropped_and_scheme_optional() {
        check_all(&[
            (
                "example.com/go?to=http://other.net/#top",
                "example.com/go?to=http://other.net/",
            ),
            ("//example.com/x#y", "example.com/x"),
            ("EXAMPLE.com#frag", "example.com/"),
            ("HTTPS://example.com/#", "example.com/"),
            ("example.com:8080/a", "example.com:8080/a"),
            ("http:/example.com/a", "example.com/a"),
            ("http:\\\\example.com\\a", "example.com/a"),
            ("HTTPS:example.com", "example.com/"),
            (
                "http:\\\\example.com/?u=http://x",
                "example.com/?u=http://x",
            ),
        ]);
    }

    #[test]
    fn host_is_read_as_a_browser_reads_it() {
        check_all(&[
            // The host ends at '\', so this is evil.com, not good.com.
            ("http://evil.com\\@good.com/", "evil.com/@good.com/"),
            // User info ends at the last '@' of the raw authority.
            ("http://good.com%2F@evil.com/x", "evil.com/x"),
            ("http://a@b@evil.com/", "evil.com/"),
            ("http://host%23.com/", "host%23.com/"),
        ]);
    }

    #[test]
    fn international_hosts_become_punycode() {
        for input in [
            "http://bücher.de/",
            "http://BÜCHER.DE/",
            "http://b%C3%BCcher.de/",
            "http://xn--bcher-kva.de/",
            "http://www.bücher。de/",
        ] {
            assert_eq!(url_key(input), "xn--bcher-kva.de/", "{input:?}");
        }
        check_all(&[
            ("http://你好你好/", "xn--6qqa088eba/"),
            ("http://ｅｘａｍｐｌｅ．ｃｏｍ/", "example.com/"),
            ("http://１２７。０。０。１/", "127.0.0.1/"),
            ("http://%C0%AE.com/", "%C0%AE.com/"),
        ]);
    }

    #[test]
    fn levels_agree_after_canonicalisation() {
        let listed = normalise_url("example.com/a/../b/").unwrap();
        assert_eq!(listed.key(UrlLevel::Prefix), "example.com/b/");
        let checked = normalise_url("http://EXAMPLE.com//b/c").unwrap();
        let keys = checked.candidate_keys();
        assert!(keys.contains(&(UrlLevel::Prefix, listed.key(UrlLevel::Prefix))));

        let domain = normalise_url("Example.COM.").unwrap().key(UrlLevel::Domain);
        assert_eq!(domain, "example.com");
        let sub = normalise_url("http://sub.example.com/x").unwrap();
        assert!(sub.candidate_keys().contains(&(UrlLevel::Domain, domain)));

        let url = normalise_url("http://example.com/a/./b?x=%41#f").unwrap();
        let same = normalise_url("example.com/a//b?x=A").unwrap();
        assert_eq!(url.key(UrlLevel::Url), same.key(UrlLevel::Url));
        assert!(same
            .candidate_keys()
            .contains(&(UrlLevel::Url, url.key(UrlLevel::Url))));

        // Prefixes are cut from the canonical path.
        let deep = normalise_url("http://h.example.com/x/./y/../z%2Fw").unwrap();
        let prefixes: Vec<String> = deep
            .candidate_keys()
            .into_iter()
            .filter(|(l, _)| *l == UrlLevel::Prefix)
            .map(|(_, k)| k)
            .collect();
        assert_eq!(
            prefixes,
            [
                "h.example.com/",
                "h.example.com/x",
                "h.example.com/x/",
                "h.example.com/x/z",
                "h.example.com/x/z/",
                "h.example.com/x/z/w",
            ]
        );

        // An IP address has no parent domains.
        let ip = normalise_url("http://0xC37F000B/x").unwrap();
        let domains: Vec<String> = ip
            .candidate_keys()
            .into_iter()
            .filter(|(l, _)| *l == UrlLevel::Domain)
            .map(|(_, k)| k)
            .collect();
        assert_eq!(domains, ["195.127.0.11"]);
    }

    #[test]
    fn hostile_inputs_are_bounded() {
        // 2000 levels of escaping, more than any fixed number of rounds.
        let deep = format!("http://h/%{}41", "25".repeat(2000));
        assert_eq!(url_key(&deep), "h/A");
        let long = format!("http://h/{}", "a".repeat(MAX_URL_LEN - 9));
        assert_eq!(long.len(), MAX_URL_LEN);
        assert!(normalise_url(&long).is_ok());
        assert!(normalise_url(&format!("{long}a")).is_err());
        // Escaping can grow a URL: the output is bounded too.
        let grows = format!("0/{}", "\x01".repeat(MAX_URL_LEN - 2));
        assert!(normalise_url(&grows).is_err());
        let fits = format!("h/{}", "\x01".repeat(MAX_URL_LEN - 2));
        assert_eq!(url_key(&fits).len(), 2 + 3 * (MAX_URL_LEN - 2));
        // Odd bytes anywhere: no panic, and any key is canonically escaped.
        let pieces = [
            "%", "25", "2e", "%2F", "%3A", "%40", "0x", "7f", ".", "..", "/", "\\", "?", "#", "@",
            ":", "[", "]", "::1", " ", "\t", "é", "。", "ｅ", "\u{1}", "www.", "http://", "a", "1",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut input = String::new();
            for _ in 0..(seed % 12) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                input.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            if let Ok(u) = normalise_url(&input) {
                let key = u.key(UrlLevel::Url);
                assert!(key.len() <= MAX_KEY_LEN);
                let b = key.as_bytes();
                for (i, &c) in b.iter().enumerate() {
                    assert!(c > b' ' && c < 0x7f && c != b'#', "{input:?} -> {key:?}");
                    if c == b'%' {
                        let hex = &b[i + 1..i + 3];
                        assert!(
                            hex.iter()
                                .all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)),
                            "{input:?} -> {key:?}"
                        );
                    }
                }
            }
        }
    }
}
