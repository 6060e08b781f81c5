//! Attempt limits in fixed windows: sign-ins per address and per account,
//! so neither one machine nor a spread-out attack can guess passwords
//! quickly; and the public reporting channel's submissions and code lookups.

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures allowed in a window per (address, name) and per address.
const PER_ACCOUNT: u32 = 5;
const PER_ADDRESS: u32 = 20;
const WINDOW_SECONDS: i64 = 15 * 60;

/// Counts failed sign-ins in fixed windows.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Windows,
}

fn address_key(address: &str) -> String {
    format!("a:{address}")
}

fn account_key(name: &str) -> String {
    format!("n:{}", name.to_lowercase())
}

impl LoginLimiter {
    /// Whether another attempt is allowed now.
    pub fn allowed(&self, address: &str, name: &str, now: i64) -> bool {
        !self
            .failures
            .exhausted(&address_key(address), PER_ADDRESS, WINDOW_SECONDS, now)
            && !self
                .failures
                .exhausted(&account_key(name), PER_ACCOUNT, WINDOW_SECONDS, now)
    }

    /// Records a failed attempt.
    pub fn failed(&self, address: &str, name: &str, now: i64) {
        self.failures
            .hit(&address_key(address), PER_ADDRESS, WINDOW_SECONDS, now);
        self.failures
            .hit(&account_key(name), PER_ACCOUNT, WINDOW_SECONDS, now);
    }

    /// Forgets failures for an account after a successful sign-in.
    pub fn succeeded(&self, name: &str) {
        self.failures.forget(&account_key(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_repeated_failures_and_recovers() {
        let l = LoginLimiter::default();
        for _ in 0..PER_ACCOUNT {
            assert!(l.allowed("1.2.3.4", "amina", 0));
            l.failed("1.2.3.4", "amina", 0);
        }
        assert!(!l.allowed("1.2.3.4", "Amina", 10));
        assert!(
            !l.allowed("5.6.7.8", "amina", 10),
            "per account, whatever the address"
        );
        assert!(l.allowed("1.2.3.4", "other", 10));
        assert!(l.allowed("1.2.3.4", "amina", WINDOW_SECONDS + 1));
    }
}

/// Reports one address may send per hour (page and API together).
pub const REPORTS_PER_HOUR: u32 = 10;
/// Wrong code-or-PIN attempts one address may make per window.
pub const WRONG_CODES: u32 = 10;
/// That window, in seconds.
pub const WRONG_CODE_WINDOW: i64 = 15 * 60;

/// Counts events per key in fixed windows: submissions and code lookups
/// from the public page, so one machine cannot flood the queue or guess
/// codes. Lives in memory: a restart forgives, which is acceptable for a
/// limit measured in minutes.
#[derive(Default)]
pub struct Windows {
    counts: Mutex<HashMap<String, (i64, u32)>>,
}

impl Windows {
    /// Forgets `key`'s count.
    pub fn forget(&self, key: &str) {
        if let Ok(mut m) = self.counts.lock() {
            m.remove(key);
        }
    }

    /// Whether `key` has already had `limit` events in the current window (counts nothing).
    pub fn exhausted(&self, key: &str, limit: u32, window: i64, now: i64) -> bool {
        self.counts
            .lock()
            .ok()
            .and_then(|m| m.get(key).copied())
            .is_some_and(|(start, n)| now - start < window && n >= limit)
    }

    /// Whether code lookups are cut off for this address or this code:
    /// per address against scanning codes, per code against guessing one
    /// report's PIN from many addresses.
    pub fn lookups_blocked(&self, ip: &str, code: &str, now: i64) -> bool {
        lookup_keys(ip, code)
            .iter()
            .any(|k| self.exhausted(k, WRONG_CODES, WRONG_CODE_WINDOW, now))
    }

    /// Counts a wrong code or PIN against the address and the code.
    pub fn lookup_failed(&self, ip: &str, code: &str, now: i64) {
        for k in lookup_keys(ip, code) {
            self.hit(&k, WRONG_CODES, WRONG_CODE_WINDOW, now);
        }
    }

    /// Counts one event for `key`; false when it is over `limit` in `window` seconds.
    pub fn hit(&self, key: &str, limit: u32, window: i64, now: i64) -> bool {
        let Ok(mut m) = self.counts.lock() else {
            return false;
        };
        if m.len() > 100_000 {
            m.retain(|_, (start, _)| now - *start < window);
        }
        let e = m.entry(key.to_string()).or_insert((now, 0));
        if now - e.0 >= window {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(1);
        e.1 <= limit
    }
}

fn lookup_keys(ip: &str, code: &str) -> [String; 2] {
    let code = haven_domain::report::normalise_code(code).unwrap_or_default();
    [format!("wrong:{ip}"), format!("code:{code}")]
}

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn a_window_allows_its_limit_then_resets() {
        let w = Windows::default();
        assert!((0..3).all(|_| w.hit("ip", 3, 60, 0)));
        assert!(!w.hit("ip", 3, 60, 10));
        assert!(w.hit("other", 3, 60, 10));
        assert!(w.hit("ip", 3, 60, 61));
    }

    #[test]
    fn one_code_is_protected_from_many_addresses() {
        let w = Windows::default();
        for i in 0..WRONG_CODES {
            assert!(!w.lookups_blocked(&format!("10.0.0.{i}"), "acde fghj kmnp rtwx", 0));
            w.lookup_failed(&format!("10.0.0.{i}"), "ACDE-FGHJ-KMNP-RTWX", 0);
        }
        assert!(w.lookups_blocked("10.9.9.9", "ACDEFGHJKMNPRTWX", 1));
        assert!(!w.lookups_blocked("10.9.9.9", "ACDE-FGHJ-KMNP-RTWY", 1));
    }
}
