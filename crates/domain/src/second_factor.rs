//! The optional second factor (SPEC C9): six-digit codes from an
//! authenticator app (TOTP, RFC 6238: 30-second steps, SHA-1, as every app
//! reads them), and single-use recovery codes for a lost phone. A code is
//! accepted one step early or late (clocks drift), and never twice.

use totp_rs::{Algorithm, Builder, Totp};

/// Seconds per code.
pub const STEP: u64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Steps early or late that still count.
pub const SKEW: i64 = 1;
/// Bytes of secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// The alphabet of recovery codes: no 0/O or 1/I/L to misread.
const RECOVERY_ALPHABET: &[u8; 32] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789#";

fn totp(secret: &[u8]) -> Option<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS as u8)
        .with_skew(0)
        .with_step_duration(STEP)
        .with_secret(secret.to_vec())
        .build()
        .ok()
}

/// The step a moment falls in.
pub fn step_of(now: i64) -> i64 {
    now.div_euclid(STEP as i64)
}

/// The code an app shows for `secret` at step `step`.
pub fn code_at(secret: &[u8], step: i64) -> Option<String> {
    let t = totp(secret)?;
    Some(t.generate(u64::try_from(step).ok()? * STEP).to_string())
}

/// The step of `code` if it is right for now (give or take [`SKEW`]) and
/// later than `last_used` (a code seen once is refused after: whoever
/// watched it being typed cannot use it again).
pub fn check(secret: &[u8], code: &str, now: i64, last_used: i64) -> Option<i64> {
    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let here = step_of(now);
    (here - SKEW..=here + SKEW)
        .filter(|s| *s > last_used)
        .find(|s| code_at(secret, *s).is_some_and(|c| same(&c, &typed)))
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The secret as apps take it typed in: base32 without padding.
pub fn secret_text(secret: &[u8]) -> String {
    const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for &byte in secret {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(B32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(B32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The secret from its typed form (what an app does with it).
pub fn secret_from_text(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u32 - 'A' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The `otpauth://` address an app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        enc(issuer),
        enc(account),
        secret_text(secret),
        enc(issuer)
    )
}

/// A recovery code from 10 random bytes: `XXXXX-XXXXX` (50 bits).
pub fn recovery_code(random: &[u8; 10]) -> String {
    let mut out = String::with_capacity(11);
    let mut buffer = 0u64;
    for b in random.iter().take(8) {
        buffer = (buffer << 8) | u64::from(*b);
    }
    for i in 0..10 {
        if i == 5 {
            out.push('-');
        }
        let index = ((buffer >> (i * 5)) & 31) as usize;
        out.push(RECOVERY_ALPHABET[index] as char);
    }
    out
}

/// A recovery code as typed, in the form it is stored under (case, spaces
/// and dashes do not matter).
pub fn normalise_recovery_code(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    (s.len() == 10 && s.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then(|| format!("{}-{}", &s[..5], &s[5..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890".
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_test_vectors() {
        // 8-digit vectors 94287082 at 59 s and 07081804 at 1111111109 s end in these 6 digits.
        assert_eq!(code_at(RFC_SECRET, step_of(59)).unwrap(), "287082");
        assert_eq!(
            code_at(RFC_SECRET, step_of(1_111_111_109)).unwrap(),
            "081804"
        );
        assert_eq!(
            code_at(RFC_SECRET, step_of(1_234_567_890)).unwrap(),
            "005924"
        );
    }

    #[test]
    fn a_code_counts_one_step_either_side_and_only_once() {
        let now = 1_795_867_200;
        let code = code_at(RFC_SECRET, step_of(now)).unwrap();
        let s = check(RFC_SECRET, &code, now, 0).unwrap();
        assert_eq!(s, step_of(now));
        assert_eq!(check(RFC_SECRET, &code, now, s), None, "never twice");
        let late = code_at(RFC_SECRET, step_of(now) - 1).unwrap();
        assert!(check(RFC_SECRET, &late, now, 0).is_some());
        let stale = code_at(RFC_SECRET, step_of(now) - 3).unwrap();
        assert_eq!(check(RFC_SECRET, &stale, now, 0), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(check(RFC_SECRET, &spaced, now, 0).is_some());
        for bad in ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"] {
            assert_eq!(check(RFC_SECRET, bad, now, 0), None, "{bad}");
        }
    }

    #[test]
    fn secrets_and_recovery_codes_are_written_as_people_type_them() {
        assert_eq!(secret_text(b"foobar"), "MZXW6YTBOI");
        assert_eq!(secret_from_text("mzxw 6ytb oi").unwrap(), b"foobar");
        assert_eq!(
            secret_from_text(&secret_text(RFC_SECRET)).unwrap(),
            RFC_SECRET
        );
        let uri = otpauth_uri("Haven", "amina k", RFC_SECRET);
        assert!(uri.starts_with(
            "otpauth://totp/Haven:amina%20k?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&"
        ));
        let code = recovery_code(&[7; 10]);
        assert_eq!(code.len(), 11);
        assert_eq!(
            normalise_recovery_code(&code.to_lowercase().replace('-', " ")),
            Some(code)
        );
        assert_eq!(normalise_recovery_code("O0O0O-11111"), None);
    }
}
