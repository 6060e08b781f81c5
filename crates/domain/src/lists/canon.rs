//! The pieces of URL canonicalisation, after Google Safe Browsing's rules:
//! full unescaping, canonical re-escaping, host and path normalisation.
//! Every function here takes attacker-controlled text: none may panic, and
//! each runs in time bounded by its input.

use std::net::{Ipv4Addr, Ipv6Addr};

const BAD_HOST: &str = "has no valid host name";

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The byte a `%XX` at the very end of `s` stands for.
fn trailing_escape(s: &[u8]) -> Option<u8> {
    let [.., b'%', hi, lo] = s else {
        return None;
    };
    Some(hex_value(*hi)? << 4 | hex_value(*lo)?)
}

/// Removes percent-escapes until none is left: the result of unescaping the
/// whole text again and again until it stops changing, in one pass. The
/// output never holds an escape, so only one ending at the byte just added
/// can be new; decoding it may complete another one, hence the inner loop.
/// Each decoding shortens the output, so the work is linear in the input.
pub(super) fn unescape_fully(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &b in s {
        out.push(b);
        while let Some(v) = trailing_escape(&out) {
            out.truncate(out.len().saturating_sub(3));
            out.push(v);
        }
    }
    out
}

/// Appends `bytes` escaped the Safe Browsing way: bytes up to space, from
/// DEL up, `#` and `%` as `%XX` in upper-case hex; everything else as is.
pub(super) fn escape_into(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b <= b' ' || b >= 0x7f || b == b'#' || b == b'%' {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push(char::from(b));
        }
    }
}

/// Resolves `.` and `..` segments and collapses runs of `/`. The result
/// starts with `/`, and ends with one when the input named a directory.
pub(super) fn resolve_path(path: &[u8]) -> Vec<u8> {
    let mut segments: Vec<&[u8]> = Vec::new();
    let mut directory = true;
    for segment in path.split(|&b| b == b'/') {
        match segment {
            b"" | b"." => directory = true,
            b".." => {
                segments.pop();
                directory = true;
            }
            s => {
                segments.push(s);
                directory = false;
            }
        }
    }
    let mut out = Vec::with_capacity(path.len() + 1);
    for s in &segments {
        out.push(b'/');
        out.extend_from_slice(s);
    }
    if directory || segments.is_empty() {
        out.push(b'/');
    }
    out
}

/// Splits the raw `host[:port]` of an authority, canonicalises the host and
/// parses the port (`None` when absent or empty).
pub(super) fn host_and_port(raw: &str) -> Result<(String, Option<u16>), String> {
    if let Some(after) = raw.strip_prefix('[') {
        let (inner, rest) = after.split_once(']').ok_or(BAD_HOST)?;
        let port = match rest {
            "" => None,
            r => Some(r.strip_prefix(':').ok_or(BAD_HOST)?),
        };
        return Ok((ipv6_host(inner)?, parse_port(port)?));
    }
    let (host, port) = match raw.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (raw, None),
    };
    Ok((canonical_host(host)?, parse_port(port)?))
}

fn parse_port(port: Option<&str>) -> Result<Option<u16>, String> {
    let Some(p) = port.filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let bad = || "has an invalid port".to_string();
    if !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let digits = p.trim_start_matches('0');
    if digits.len() > 5 {
        return Err(bad());
    }
    if digits.is_empty() {
        return Ok(Some(0));
    }
    digits.parse::<u16>().map(Some).map_err(|_| bad())
}

/// A bracketed IPv6 address in its RFC 5952 form; IPv4-mapped and
/// well-known NAT64 addresses become the IPv4 address they carry.
fn ipv6_host(inner: &str) -> Result<String, String> {
    let addr: Ipv6Addr = inner.parse().map_err(|_| BAD_HOST.to_string())?;
    if let Some(v4) = addr.to_ipv4_mapped() {
        return Ok(v4.to_string());
    }
    let seg = addr.segments();
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let v4 = (u32::from(seg[6]) << 16) | u32::from(seg[7]);
        return Ok(Ipv4Addr::from(v4).to_string());
    }
    Ok(format!("[{addr}]"))
}

/// Lower-cases a host that is valid UTF-8, and maps the full stops and
/// full-width ASCII that browsers read as their plain forms.
fn map_host_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{3002}' | '\u{ff0e}' | '\u{ff61}' => '.',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            c => c,
        };
        out.extend(c.to_lowercase());
    }
    out
}

/// Canonicalises a raw host (escapes allowed): fully unescaped, lower-case,
/// no leading, trailing or doubled dots, an IPv4 address in dotted decimal,
/// internationalised labels in Punycode, and other odd bytes escaped. A
/// space or a character that would end the host is refused: no browser
/// loads such an address, and it marks free text rather than a URL.
pub(super) fn canonical_host(raw: &str) -> Result<String, String> {
    let bytes = unescape_fully(raw.as_bytes());
    let mapped = match std::str::from_utf8(&bytes) {
        Ok(s) => map_host_chars(s).into_bytes(),
        Err(_) => bytes.to_ascii_lowercase(),
    };
    if mapped
        .iter()
        .any(|b| matches!(b, b' ' | b'/' | b'\\' | b'?' | b'@' | b':'))
    {
        return Err(BAD_HOST.into());
    }
    let labels: Vec<&[u8]> = mapped
        .split(|&b| b == b'.')
        .filter(|l| !l.is_empty())
        .collect();
    if labels.is_empty() {
        return Err(BAD_HOST.into());
    }
    let dotted = labels.join(&b'.');
    if let Some(ip) = std::str::from_utf8(&dotted).ok().and_then(parse_ipv4) {
        return Ok(ip.to_string());
    }
    let mut out = String::with_capacity(dotted.len());
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match std::str::from_utf8(label) {
            Ok(l) if !l.is_ascii() && l.chars().all(idn_char) => {
                out.push_str("xn--");
                out.push_str(&punycode(l).ok_or(BAD_HOST)?);
            }
            _ => escape_into(&mut out, label),
        }
    }
    Ok(out)
}

fn idn_char(c: char) -> bool {
    !c.is_control() && !c.is_whitespace() && c != '#' && c != '%'
}

/// Reads a host as an IPv4 address the way `inet_aton` and browsers do:
/// one to four parts, each decimal, octal (leading `0`) or hex (`0x`), the
/// last filling the remaining bytes.
pub(super) fn parse_ipv4(host: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let numbers = parts
        .iter()
        .map(|p| ipv4_number(p))
        .collect::<Option<Vec<u64>>>()?;
    let (last, leading) = numbers.split_last()?;
    if leading.iter().any(|&n| n > 255) {
        return None;
    }
    let last_bits = 8 * (4 - leading.len() as u32);
    if *last >= 1u64 << last_bits {
        return None;
    }
    let mut value = *last;
    for (i, &n) in leading.iter().enumerate() {
        value |= n << (24 - 8 * i as u32);
    }
    u32::try_from(value).ok().map(Ipv4Addr::from)
}

fn ipv4_number(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x") {
        if hex.is_empty() {
            return Some(0);
        }
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        value = value
            .checked_mul(u64::from(radix))?
            .checked_add(u64::from(d))?;
    }
    Some(value)
}

/// Punycode (RFC 3492) of one label, without the `xn--` prefix; `None` on
/// arithmetic overflow (only absurdly long labels).
pub(super) fn punycode(label: &str) -> Option<String> {
    const BASE: u64 = 36;
    const TMIN: u64 = 1;
    const TMAX: u64 = 26;
    let points: Vec<u64> = label.chars().map(|c| u64::from(u32::from(c))).collect();
    let mut out: String = label.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u64;
    if basic > 0 {
        out.push('-');
    }
    let total = points.len() as u64;
    let (mut n, mut delta, mut bias, mut handled) = (128u64, 0u64, 72u64, basic);
    while handled < total {
        let m = points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(punycode_digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(punycode_digit(q));
                bias = punycode_adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n += 1;
    }
    Some(out)
}

fn punycode_adapt(delta: u64, points: u64, first: bool) -> u64 {
    const BASE: u64 = 36;
    const TMIN: u64 = 1;
    const TMAX: u64 = 26;
    const SKEW: u64 = 38;
    const DAMP: u64 = 700;
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - TMIN) * TMAX) / 2 {
        delta /= BASE - TMIN;
        k += BASE;
    }
    k + (BASE - TMIN + 1) * delta / (delta + SKEW)
}

fn punycode_digit(d: u64) -> char {
    let d = u8::try_from(d).unwrap_or(0);
    if d < 26 {
        char::from(b'a' + d)
    } else {
        char::from(b'0' + (d - 26) % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Safe Browsing's literal rule: one left-to-right pass, repeated until
    /// nothing changes.
    fn unescape_by_passes(s: &[u8]) -> Vec<u8> {
        let mut cur = s.to_vec();
        loop {
            let mut next = Vec::with_capacity(cur.len());
            let mut i = 0;
            while i < cur.len() {
                let escaped = match cur.get(i..i + 3) {
                    Some([b'%', hi, lo]) => {
                        hex_value(*hi).zip(hex_value(*lo)).map(|(h, l)| h << 4 | l)
                    }
                    _ => None,
                };
                match escaped {
                    Some(v) => {
                        next.push(v);
                        i += 3;
                    }
                    None => {
                        next.push(cur[i]);
                        i += 1;
                    }
                }
            }
            if next == cur {
                return cur;
            }
            cur = next;
        }
    }

    #[test]
    fn one_pass_unescaping_equals_repeated_passes() {
        let alphabet = b"%2537a";
        for len in 0..=7u32 {
            for mut code in 0..alphabet.len().pow(len) {
                let mut s = Vec::new();
                for _ in 0..len {
                    s.push(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                assert_eq!(
                    unescape_fully(&s),
                    unescape_by_passes(&s),
                    "{}",
                    String::from_utf8_lossy(&s)
                );
            }
        }
    }

    #[test]
    fn paths_resolve() {
        for (path, want) in [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/a/./b/../c", "/a/c"),
            ("/a//b///c", "/a/b/c"),
            ("/a/b/..", "/a/"),
            ("/a/.", "/a/"),
            ("/../../x", "/x"),
            ("/a/..b/.c", "/a/..b/.c"),
            ("/a/b/", "/a/b/"),
        ] {
            assert_eq!(resolve_path(path.as_bytes()), want.as_bytes(), "{path}");
        }
    }

    #[test]
    fn ipv4_forms() {
        for (host, want) in [
            ("3279880203", Some("195.127.0.11")),
            ("0xc37f000b", Some("195.127.0.11")),
            ("0303.0177.0.013", Some("195.127.0.11")),
            ("195.127.11", Some("195.127.0.11")),
            ("195.8323083", Some("195.127.0.11")),
            ("0300.0250.0.1", Some("192.168.0.1")),
            ("0x7f.1", Some("127.0.0.1")),
            ("0x", Some("0.0.0.0")),
            ("0", Some("0.0.0.0")),
            ("1.2.3.256", None),
            ("4294967296", None),
            ("08.1.1.1", None),
            ("1.2.3.4.5", None),
            ("99999999999999999999999999", None),
            ("example.com", None),
            ("1.2.3.", None),
        ] {
            assert_eq!(
                parse_ipv4(host).map(|a| a.to_string()).as_deref(),
                want,
                "{host}"
            );
        }
    }

    #[test]
    fn punycode_known_labels() {
        for (label, want) in [
            ("bücher", "bcher-kva"),
            ("münchen", "mnchen-3ya"),
            ("你好你好", "6qqa088eba"),
        ] {
            assert_eq!(punycode(label).as_deref(), Some(want), "{label}");
        }
    }
}
