//! Attempt limits: sign-ins slowed per address and per account (and per
//! browser that signed in before), so neither one machine nor a spread-out
//! attack can guess passwords quickly, yet nobody can lock staff out; and
//! fixed windows for the public reporting channel's submissions and code
//! lookups, and for partners' matching.

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures without delay, per account and per address; after them each
/// further failure doubles the wait before the next attempt, up to
/// [`MAX_DELAY`]. Nobody is locked out: the wait is seconds to minutes,
/// and a browser that signed in as the user before (the device cookie)
/// has a count of its own that strangers cannot raise.
const FREE_PER_ACCOUNT: u32 = 5;
const FREE_PER_ADDRESS: u32 = 20;
const FREE_PER_DEVICE: u32 = 5;
/// The longest wait between attempts, in seconds.
pub const MAX_DELAY: i64 = 300;
/// Failures are forgotten this long after the last one.
const FORGET_AFTER: i64 = 15 * 60;
/// How long a device cookie is honoured, in seconds.
pub const DEVICE_COOKIE_AGE: i64 = 365 * 24 * 3600;

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: i64,
}

impl Failures {
    /// Seconds still to wait after these failures: none for the first
    /// `free`, then doubling with each one up to [`MAX_DELAY`]; none once
    /// `forget_after` seconds have passed since the last.
    fn wait(&self, free: u32, forget_after: i64, now: i64) -> i64 {
        let over = self.count.saturating_sub(free);
        if over == 0 || now - self.last >= forget_after {
            return 0;
        }
        let delay = 1i64
            .checked_shl(over.min(20))
            .unwrap_or(MAX_DELAY)
            .min(MAX_DELAY);
        (self.last + delay - now).max(0)
    }
}

/// Counts one failure for `key` (a fresh count once the last is forgotten).
fn count_failure(m: &mut HashMap<String, Failures>, key: String, forget_after: i64, now: i64) {
    if m.len() > 100_000 {
        m.retain(|_, f| now - f.last < forget_after);
    }
    let f = m.entry(key).or_insert(Failures {
        count: 0,
        last: now,
    });
    if now - f.last >= forget_after {
        f.count = 0;
    }
    f.count = f.count.saturating_add(1);
    f.last = now;
}

/// Counts failed sign-ins and says how long the next attempt must wait.
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Failures>>,
    /// Signs device cookies; made at start, so a restart only means that
    /// browsers count as new until their next sign-in. None when the
    /// system gave no randomness: then no device cookie is honoured.
    device_key: Option<[u8; 32]>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        let mut key = [0u8; 32];
        LoginLimiter {
            failures: Mutex::default(),
            device_key: getrandom::getrandom(&mut key).ok().map(|()| key),
        }
    }
}

/// The name as the store will look it up (trimmed, any case), bounded:
/// spaces around a name or a megabyte of it must not make a new counter.
fn account(name: &str) -> String {
    name.trim().to_lowercase().chars().take(64).collect()
}

fn mac(key: &[u8; 32], data: &str) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut m) = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key) else {
        return String::new();
    };
    m.update(data.as_bytes());
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Who is trying: the address, the account, and the browser's device
/// cookie when it has one.
pub struct Attempt<'a> {
    /// The client's address.
    pub address: &'a str,
    /// The name typed.
    pub name: &'a str,
    /// The `haven_device` cookie, if sent.
    pub device: Option<&'a str>,
}

impl LoginLimiter {
    /// A device cookie for a browser that just signed in as `name`.
    pub fn device_cookie(&self, name: &str, now: i64) -> Option<String> {
        let key = self.device_key.as_ref()?;
        let body = format!("{}.{now}", hex_name(name));
        Some(format!("{body}.{}", mac(key, &body)))
    }

    /// The cookie's own counting key, when it is genuine, recent and for
    /// this account.
    fn device_key_for(&self, a: &Attempt<'_>, now: i64) -> Option<String> {
        let cookie = a.device?;
        let (body, tag) = cookie.rsplit_once('.')?;
        let (name_hex, issued) = body.split_once('.')?;
        let issued: i64 = issued.parse().ok()?;
        let genuine = crate::auth::tokens_match(&mac(self.device_key.as_ref()?, body), tag);
        (genuine && name_hex == hex_name(a.name) && now - issued < DEVICE_COOKIE_AGE)
            .then(|| format!("d:{tag}"))
    }

    fn keys(&self, a: &Attempt<'_>, now: i64) -> Vec<(String, u32)> {
        match self.device_key_for(a, now) {
            Some(k) => vec![(k, FREE_PER_DEVICE)],
            None => vec![
                (format!("n:{}", account(a.name)), FREE_PER_ACCOUNT),
                (format!("a:{}", a.address), FREE_PER_ADDRESS),
            ],
        }
    }

    /// Seconds to wait before this attempt may be checked; 0 when it may.
    pub fn wait(&self, a: &Attempt<'_>, now: i64) -> i64 {
        let Ok(m) = self.failures.lock() else {
            return MAX_DELAY;
        };
        wait_in(&m, &self.keys(a, now), now)
    }

    /// Checks and counts an attempt in one step, before the password is
    /// checked: many attempts sent at once cannot all slip past the wait.
    /// Returns the seconds to wait (and counts nothing) when it must wait.
    /// [`LoginLimiter::succeeded`] gives the count back.
    pub fn begin(&self, a: &Attempt<'_>, now: i64) -> i64 {
        let keys = self.keys(a, now);
        let Ok(mut m) = self.failures.lock() else {
            return MAX_DELAY;
        };
        let wait = wait_in(&m, &keys, now);
        if wait > 0 {
            return wait;
        }
        count_in(&mut m, keys, now);
        0
    }

    /// Records a failed attempt.
    pub fn failed(&self, a: &Attempt<'_>, now: i64) {
        let keys = self.keys(a, now);
        if let Ok(mut m) = self.failures.lock() {
            count_in(&mut m, keys, now);
        }
    }

    /// After a success: forgets the account's (or device's) failures, and
    /// gives back the address the attempt [`LoginLimiter::begin`] counted.
    pub fn succeeded(&self, a: &Attempt<'_>, now: i64) {
        let keys = self.keys(a, now);
        if let Ok(mut m) = self.failures.lock() {
            for (k, _) in keys {
                if k.starts_with("a:") {
                    // Shared with others in the office: one success does
                    // not clear what strangers did there.
                    if let Some(f) = m.get_mut(&k) {
                        f.count = f.count.saturating_sub(1);
                    }
                } else {
                    m.remove(&k);
                }
            }
        }
    }
}

fn wait_in(m: &HashMap<String, Failures>, keys: &[(String, u32)], now: i64) -> i64 {
    keys.iter()
        .filter_map(|(k, free)| m.get(k).map(|f| f.wait(*free, FORGET_AFTER, now)))
        .max()
        .unwrap_or(0)
}

fn count_in(m: &mut HashMap<String, Failures>, keys: Vec<(String, u32)>, now: i64) {
    for (k, _) in keys {
        count_failure(m, k, FORGET_AFTER, now);
    }
}

fn hex_name(name: &str) -> String {
    account(name).bytes().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from<'a>(address: &'a str, name: &'a str, device: Option<&'a str>) -> Attempt<'a> {
        Attempt {
            address,
            name,
            device,
        }
    }

    #[test]
    fn failures_slow_guessing_without_locking_anyone_out() {
        let l = LoginLimiter::default();
        for _ in 0..FREE_PER_ACCOUNT {
            assert_eq!(l.wait(&from("1.2.3.4", "amina", None), 0), 0);
            l.failed(&from("1.2.3.4", "amina", None), 0);
        }
        assert_eq!(l.wait(&from("1.2.3.4", "amina", None), 0), 0, "free ones");
        l.failed(&from("1.2.3.4", "amina", None), 0);
        assert_eq!(l.wait(&from("5.6.7.8", "Amina", None), 0), 2);
        assert_eq!(
            l.wait(&from("5.6.7.8", "Amina", None), 2),
            0,
            "seconds, not a lockout"
        );
        for i in 0..30 {
            l.failed(&from(&format!("10.0.0.{i}"), "amina", None), 10);
        }
        assert_eq!(l.wait(&from("9.9.9.9", "amina", None), 10), MAX_DELAY);
        assert_eq!(l.wait(&from("1.2.3.4", "other", None), 10), 0);
        // Spaces or case do not make a fresh counter for the same account.
        assert_eq!(
            l.wait(&from("9.9.9.9", " AMINA\u{3000}", None), 10),
            MAX_DELAY
        );
        assert_eq!(
            l.wait(&from("1.2.3.4", "amina", None), 10 + FORGET_AFTER),
            0
        );
    }

    #[test]
    fn attempts_sent_at_once_are_counted_before_they_are_checked() {
        let l = LoginLimiter::default();
        let waits: Vec<i64> = (0..FREE_PER_ACCOUNT + 3)
            .map(|_| l.begin(&from("1.2.3.4", "amina", None), 0))
            .collect();
        assert_eq!(
            waits.iter().filter(|w| **w == 0).count(),
            FREE_PER_ACCOUNT as usize + 1
        );
        l.succeeded(&from("1.2.3.4", "amina", None), 0);
        assert_eq!(l.wait(&from("1.2.3.4", "amina", None), 0), 0);
    }

    #[test]
    fn a_browser_that_signed_in_before_is_not_held_up_by_strangers() {
        let l = LoginLimiter::default();
        let device = l.device_cookie("amina", 0).unwrap();
        for i in 0..50 {
            l.failed(&from(&format!("10.0.0.{i}"), "amina", None), 100);
            l.failed(&from("10.0.0.1", &format!("user{i}"), None), 100);
        }
        assert!(l.wait(&from("10.0.0.1", "amina", None), 100) > 0);
        assert_eq!(l.wait(&from("10.0.0.1", "amina", Some(&device)), 100), 0);
        // The cookie is for amina only, and cannot be forged or altered.
        assert!(l.wait(&from("10.0.0.1", "user3", Some(&device)), 100) > 0);
        let forged = device.replace("616d696e61", "7573657233");
        assert!(l.wait(&from("10.0.0.1", "user3", Some(&forged)), 100) > 0);
        // Its own failures still slow it down.
        for _ in 0..FREE_PER_DEVICE + 1 {
            l.failed(&from("10.0.0.1", "amina", Some(&device)), 200);
        }
        assert_eq!(l.wait(&from("10.0.0.1", "amina", Some(&device)), 200), 2);
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
    /// Wrong PINs per tracking code: (count, last), slowed, never blocked.
    code_failures: Mutex<HashMap<String, Failures>>,
    /// Serialises a lookup's check-and-count.
    lookups: Mutex<()>,
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

    /// Whether code lookups are cut off for this address, or must wait for
    /// this code: per address against scanning codes (a fixed window: the
    /// address is the guesser's own); per code against guessing one
    /// report's PIN from many addresses, as a growing wait rather than a
    /// block, so that guessers cannot keep the reporter out for long.
    pub fn lookups_blocked(&self, ip: &str, code: &str, now: i64) -> bool {
        if self.exhausted(&format!("wrong:{ip}"), WRONG_CODES, WRONG_CODE_WINDOW, now) {
            return true;
        }
        let Some(code) = haven_domain::report::normalise_code(code) else {
            return false;
        };
        let Ok(m) = self.code_failures.lock() else {
            return true;
        };
        m.get(&code)
            .is_some_and(|f| f.wait(WRONG_CODES, WRONG_CODE_WINDOW, now) > 0)
    }

    /// Checks and counts a lookup in one step, before the PIN is checked,
    /// so that many sent at once cannot all slip past the limits; true when
    /// it must be refused. [`Windows::lookup_succeeded`] gives it back.
    pub fn lookup_begin(&self, ip: &str, code: &str, now: i64) -> bool {
        // One lock over both checks and counts (always this lock first).
        let Ok(_serial) = self.lookups.lock() else {
            return true;
        };
        if self.lookups_blocked(ip, code, now) {
            return true;
        }
        self.lookup_failed(ip, code, now);
        false
    }

    /// Gives back what [`Windows::lookup_begin`] counted, for a lookup that
    /// found its report (or failed for another reason than a wrong code).
    pub fn lookup_succeeded(&self, ip: &str, code: &str) {
        if let Ok(mut m) = self.counts.lock() {
            if let Some(e) = m.get_mut(&format!("wrong:{ip}")) {
                e.1 = e.1.saturating_sub(1);
            }
        }
        if let Some(code) = haven_domain::report::normalise_code(code) {
            if let Ok(mut m) = self.code_failures.lock() {
                if let Some(f) = m.get_mut(&code) {
                    f.count = f.count.saturating_sub(1);
                }
            }
        }
    }

    /// Counts a wrong code or PIN against the address, and against the code
    /// when it is a well-formed one (malformed codes share no count, so one
    /// person's typing mistakes never hold up anyone else's).
    pub fn lookup_failed(&self, ip: &str, code: &str, now: i64) {
        self.hit(&format!("wrong:{ip}"), WRONG_CODES, WRONG_CODE_WINDOW, now);
        let Some(code) = haven_domain::report::normalise_code(code) else {
            return;
        };
        if let Ok(mut m) = self.code_failures.lock() {
            count_failure(&mut m, code, WRONG_CODE_WINDOW, now);
        }
    }

    /// Counts one event for `key`; false when it is over `limit` in `window` seconds.
    pub fn hit(&self, key: &str, limit: u32, window: i64, now: i64) -> bool {
        let Ok(mut m) = self.counts.lock() else {
            return false;
        };
        if m.len() > 100_000 {
            // The longest window any caller uses: pruning with a shorter
            // one would forget counts that still apply.
            m.retain(|_, (start, _)| now - *start < window.max(3600));
        }
        let e = m.entry(key.to_string()).or_insert((now, 0));
        if now - e.0 >= window {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(1);
        e.1 <= limit
    }
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
        w.lookup_failed("10.0.0.99", "ACDE-FGHJ-KMNP-RTWX", 1);
        assert!(w.lookups_blocked("10.9.9.9", "ACDEFGHJKMNPRTWX", 1));
        assert!(!w.lookups_blocked("10.9.9.9", "ACDE-FGHJ-KMNP-RTWY", 1));
        // A wait, not a block: the reporter gets in seconds later.
        assert!(!w.lookups_blocked("10.9.9.9", "ACDEFGHJKMNPRTWX", 3));
    }

    #[test]
    fn lookups_sent_at_once_are_counted_before_they_are_checked() {
        let w = Windows::default();
        let let_through = (0..WRONG_CODES + 5)
            .filter(|_| !w.lookup_begin("10.3.0.1", "ACDE-FGHJ-KMNP-RTWX", 0))
            .count();
        assert_eq!(let_through, WRONG_CODES as usize);
        // A found report gives its count back.
        let w = Windows::default();
        for _ in 0..WRONG_CODES + 5 {
            assert!(!w.lookup_begin("10.3.0.2", "ACDE-FGHJ-KMNP-RTWY", 0));
            w.lookup_succeeded("10.3.0.2", "ACDE-FGHJ-KMNP-RTWY");
        }
    }

    #[test]
    fn malformed_codes_share_no_count() {
        let w = Windows::default();
        for i in 0..50 {
            w.lookup_failed(&format!("10.1.0.{i}"), "not a code", 0);
        }
        assert!(!w.lookups_blocked("10.2.0.1", "also not a code", 0));
        assert!(!w.lookups_blocked("10.2.0.1", "ACDE-FGHJ-KMNP-RTWX", 0));
    }
}
