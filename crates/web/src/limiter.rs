//! Attempt limits: sign-ins slowed per address and per account (and per
//! browser that signed in before), so neither one machine nor a spread-out
//! attack can guess passwords quickly, yet nobody can lock staff out; and
//! fixed windows for the public reporting channel's submissions and code
//! lookups, and for partners' matching.

use crate::AppState;
use haven_store::attempts::{Count, Counter, Rule};

/// Failures without delay, per account and per address; after them each
/// further failure doubles the wait before the next attempt, up to
/// [`MAX_DELAY`]. Nobody is locked out: the wait is seconds to minutes,
/// and a browser that signed in as the user before (the device cookie)
/// has a count of its own that strangers cannot raise.
const FREE_PER_ACCOUNT: u32 = 5;
const FREE_PER_ADDRESS: u32 = 20;
const FREE_PER_DEVICE: u32 = 5;
/// The longest wait between attempts, in seconds.
pub const MAX_DELAY: i64 = haven_store::attempts::MAX_DELAY;
/// Failures are forgotten this long after the last one.
const FORGET_AFTER: i64 = 15 * 60;
/// How long a device cookie is honoured, in seconds.
pub const DEVICE_COOKIE_AGE: i64 = 365 * 24 * 3600;

fn slow(free: u32) -> Rule {
    Rule::Slow {
        free,
        forget: FORGET_AFTER,
    }
}

/// Runs one attempt check in the store; a store that cannot answer makes
/// the attempt wait the longest (failing closed, never open).
async fn attempt(st: &AppState, counters: Vec<Counter>, count: Count, now: i64) -> i64 {
    match st.run(move |s, _| s.attempt(&counters, count, now)).await {
        Ok(wait) => wait,
        Err(_) => MAX_DELAY,
    }
}

/// Gives back counted attempts; a failure only leaves the count a little high.
async fn give_back(st: &AppState, lower: Vec<String>, forget: Vec<String>) {
    if lower.is_empty() && forget.is_empty() {
        return;
    }
    if let Err(e) = st
        .run(move |s, _| s.give_back_attempts(&lower, &forget))
        .await
    {
        tracing::warn!(error = %e.message, "attempt counts were not given back");
    }
}

/// Counts failed sign-ins and says how long the next attempt must wait.
/// The counts are kept in the store, shared by every server on the
/// database; this holds only the key that signs device cookies.
pub struct LoginLimiter {
    /// Signs device cookies; derived from the key file (see
    /// [`haven_store::Store::device_cookie_key`]), so every server sharing
    /// it honours the cookies the others issued. None: no device cookie
    /// is issued nor honoured.
    device_key: Option<[u8; 32]>,
}

impl LoginLimiter {
    /// A limiter whose device cookies are signed with `device_key`.
    pub fn new(device_key: Option<[u8; 32]>) -> LoginLimiter {
        LoginLimiter { device_key }
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

    fn counters(&self, a: &Attempt<'_>, now: i64) -> Vec<Counter> {
        match self.device_key_for(a, now) {
            Some(k) => vec![Counter::new(k, slow(FREE_PER_DEVICE))],
            None => vec![
                Counter::new(format!("n:{}", account(a.name)), slow(FREE_PER_ACCOUNT)),
                Counter::new(format!("a:{}", a.address), slow(FREE_PER_ADDRESS)),
            ],
        }
    }

    /// Seconds to wait before this attempt may be checked; 0 when it may.
    pub async fn wait(&self, st: &AppState, a: &Attempt<'_>, now: i64) -> i64 {
        attempt(st, self.counters(a, now), Count::No, now).await
    }

    /// Checks and counts an attempt in one step, before the password is
    /// checked: many attempts sent at once, to any of the servers sharing
    /// the database, cannot all slip past the wait. Returns the seconds to
    /// wait (and counts nothing) when it must wait.
    /// [`LoginLimiter::succeeded`] gives the count back.
    pub async fn begin(&self, st: &AppState, a: &Attempt<'_>, now: i64) -> i64 {
        attempt(st, self.counters(a, now), Count::IfAllowed, now).await
    }

    /// Records a failed attempt.
    pub async fn failed(&self, st: &AppState, a: &Attempt<'_>, now: i64) {
        attempt(st, self.counters(a, now), Count::Always, now).await;
    }

    /// After a success: forgets the account's (or device's) failures, and
    /// gives back the address the attempt [`LoginLimiter::begin`] counted.
    pub async fn succeeded(&self, st: &AppState, a: &Attempt<'_>, now: i64) {
        let (mut lower, mut forget) = (Vec::new(), Vec::new());
        for k in self.counters(a, now) {
            if k.key.starts_with("a:") {
                // Shared with others in the office: one success does
                // not clear what strangers did there.
                lower.push(k.key);
            } else {
                forget.push(k.key);
            }
        }
        give_back(st, lower, forget).await;
    }
}

fn hex_name(name: &str) -> String {
    account(name).bytes().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::state;

    fn from<'a>(address: &'a str, name: &'a str, device: Option<&'a str>) -> Attempt<'a> {
        Attempt {
            address,
            name,
            device,
        }
    }

    #[tokio::test]
    async fn failures_slow_guessing_without_locking_anyone_out() {
        let (st, _dir) = state();
        let l = &st.limiter;
        for _ in 0..FREE_PER_ACCOUNT {
            assert_eq!(l.wait(&st, &from("1.2.3.4", "amina", None), 0).await, 0);
            l.failed(&st, &from("1.2.3.4", "amina", None), 0).await;
        }
        assert_eq!(
            l.wait(&st, &from("1.2.3.4", "amina", None), 0).await,
            0,
            "free ones"
        );
        l.failed(&st, &from("1.2.3.4", "amina", None), 0).await;
        assert_eq!(l.wait(&st, &from("5.6.7.8", "Amina", None), 0).await, 2);
        assert_eq!(
            l.wait(&st, &from("5.6.7.8", "Amina", None), 2).await,
            0,
            "seconds, not a lockout"
        );
        for i in 0..30 {
            l.failed(&st, &from(&format!("10.0.0.{i}"), "amina", None), 10)
                .await;
        }
        assert_eq!(
            l.wait(&st, &from("9.9.9.9", "amina", None), 10).await,
            MAX_DELAY
        );
        assert_eq!(l.wait(&st, &from("1.2.3.4", "other", None), 10).await, 0);
        // Spaces or case do not make a fresh counter for the same account.
        assert_eq!(
            l.wait(&st, &from("9.9.9.9", " AMINA\u{3000}", None), 10)
                .await,
            MAX_DELAY
        );
        assert_eq!(
            l.wait(&st, &from("1.2.3.4", "amina", None), 10 + FORGET_AFTER)
                .await,
            0
        );
    }

    #[tokio::test]
    async fn attempts_sent_at_once_are_counted_before_they_are_checked() {
        let (st, _dir) = state();
        let l = &st.limiter;
        let mut waits = Vec::new();
        for _ in 0..FREE_PER_ACCOUNT + 3 {
            waits.push(l.begin(&st, &from("1.2.3.4", "amina", None), 0).await);
        }
        assert_eq!(
            waits.iter().filter(|w| **w == 0).count(),
            FREE_PER_ACCOUNT as usize + 1
        );
        l.succeeded(&st, &from("1.2.3.4", "amina", None), 0).await;
        assert_eq!(l.wait(&st, &from("1.2.3.4", "amina", None), 0).await, 0);
    }

    #[tokio::test]
    async fn a_browser_that_signed_in_before_is_not_held_up_by_strangers() {
        let (st, _dir) = state();
        let l = &st.limiter;
        let device = l.device_cookie("amina", 0).unwrap();
        for i in 0..50 {
            l.failed(&st, &from(&format!("10.0.0.{i}"), "amina", None), 100)
                .await;
            l.failed(&st, &from("10.0.0.1", &format!("user{i}"), None), 100)
                .await;
        }
        assert!(l.wait(&st, &from("10.0.0.1", "amina", None), 100).await > 0);
        assert_eq!(
            l.wait(&st, &from("10.0.0.1", "amina", Some(&device)), 100)
                .await,
            0
        );
        // The cookie is for amina only, and cannot be forged or altered.
        assert!(
            l.wait(&st, &from("10.0.0.1", "user3", Some(&device)), 100)
                .await
                > 0
        );
        let forged = device.replace("616d696e61", "7573657233");
        assert!(
            l.wait(&st, &from("10.0.0.1", "user3", Some(&forged)), 100)
                .await
                > 0
        );
        // Its own failures still slow it down.
        for _ in 0..FREE_PER_DEVICE + 1 {
            l.failed(&st, &from("10.0.0.1", "amina", Some(&device)), 200)
                .await;
        }
        assert_eq!(
            l.wait(&st, &from("10.0.0.1", "amina", Some(&device)), 200)
                .await,
            2
        );
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
/// codes. The counts are kept in the store, shared by every server on
/// the database.
#[derive(Default)]
pub struct Windows;

fn window(limit: u32, window: i64) -> Rule {
    Rule::Window { limit, window }
}

/// The counters of a code lookup: per address against scanning codes (a
/// fixed window: the address is the guesser's own); per code against
/// guessing one report's PIN from many addresses, as a growing wait
/// rather than a block, so that guessers cannot keep the reporter out for
/// long. Malformed codes share no count, so one person's typing mistakes
/// never hold up anyone else's.
fn lookup_counters(ip: &str, code: &str) -> Vec<Counter> {
    let mut v = vec![Counter::new(
        format!("wrong:{ip}"),
        window(WRONG_CODES, WRONG_CODE_WINDOW),
    )];
    if let Some(code) = haven_domain::report::normalise_code(code) {
        v.push(Counter::new(
            format!("code:{code}"),
            Rule::Slow {
                free: WRONG_CODES,
                forget: WRONG_CODE_WINDOW,
            },
        ));
    }
    v
}

impl Windows {
    /// Whether code lookups are cut off for this address, or must wait
    /// for this code (counts nothing).
    pub async fn lookups_blocked(&self, st: &AppState, ip: &str, code: &str, now: i64) -> bool {
        attempt(st, lookup_counters(ip, code), Count::No, now).await > 0
    }

    /// Checks and counts a lookup in one step, before the PIN is checked,
    /// so that many sent at once cannot all slip past the limits; true when
    /// it must be refused. [`Windows::lookup_succeeded`] gives it back.
    pub async fn lookup_begin(&self, st: &AppState, ip: &str, code: &str, now: i64) -> bool {
        attempt(st, lookup_counters(ip, code), Count::IfAllowed, now).await > 0
    }

    /// Gives back what [`Windows::lookup_begin`] counted, for a lookup that
    /// found its report (or failed for another reason than a wrong code).
    pub async fn lookup_succeeded(&self, st: &AppState, ip: &str, code: &str) {
        let keys = lookup_counters(ip, code)
            .into_iter()
            .map(|k| k.key)
            .collect();
        give_back(st, keys, Vec::new()).await;
    }

    /// Counts a wrong code or PIN against the address, and against the code
    /// when it is a well-formed one.
    pub async fn lookup_failed(&self, st: &AppState, ip: &str, code: &str, now: i64) {
        attempt(st, lookup_counters(ip, code), Count::Always, now).await;
    }

    /// Counts one event for `key`; false when it is over `limit` in `window` seconds.
    pub async fn hit(&self, st: &AppState, key: &str, limit: u32, window_s: i64, now: i64) -> bool {
        let counters = vec![Counter::new(key, window(limit, window_s))];
        attempt(st, counters, Count::Always, now).await == 0
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;
    use crate::test_support::state;

    #[tokio::test]
    async fn a_window_allows_its_limit_then_resets() {
        let (st, _dir) = state();
        let w = &st.public_limits;
        for _ in 0..3 {
            assert!(w.hit(&st, "ip", 3, 60, 0).await);
        }
        assert!(!w.hit(&st, "ip", 3, 60, 10).await);
        assert!(w.hit(&st, "other", 3, 60, 10).await);
        assert!(w.hit(&st, "ip", 3, 60, 61).await);
    }

    #[tokio::test]
    async fn one_code_is_protected_from_many_addresses() {
        let (st, _dir) = state();
        let w = &st.public_limits;
        for i in 0..WRONG_CODES {
            assert!(
                !w.lookups_blocked(&st, &format!("10.0.0.{i}"), "acde fghj kmnp rtwx", 0)
                    .await
            );
            w.lookup_failed(&st, &format!("10.0.0.{i}"), "ACDE-FGHJ-KMNP-RTWX", 0)
                .await;
        }
        w.lookup_failed(&st, "10.0.0.99", "ACDE-FGHJ-KMNP-RTWX", 1)
            .await;
        assert!(
            w.lookups_blocked(&st, "10.9.9.9", "ACDEFGHJKMNPRTWX", 1)
                .await
        );
        assert!(
            !w.lookups_blocked(&st, "10.9.9.9", "ACDE-FGHJ-KMNP-RTWY", 1)
                .await
        );
        // A wait, not a block: the reporter gets in seconds later.
        assert!(
            !w.lookups_blocked(&st, "10.9.9.9", "ACDEFGHJKMNPRTWX", 3)
                .await
        );
    }

    #[tokio::test]
    async fn lookups_sent_at_once_are_counted_before_they_are_checked() {
        let (st, _dir) = state();
        let w = &st.public_limits;
        let mut let_through = 0;
        for _ in 0..WRONG_CODES + 5 {
            if !w
                .lookup_begin(&st, "10.3.0.1", "ACDE-FGHJ-KMNP-RTWX", 0)
                .await
            {
                let_through += 1;
            }
        }
        assert_eq!(let_through, WRONG_CODES as usize);
        // A found report gives its count back.
        let (st, _dir) = state();
        let w = &st.public_limits;
        for _ in 0..WRONG_CODES + 5 {
            assert!(
                !w.lookup_begin(&st, "10.3.0.2", "ACDE-FGHJ-KMNP-RTWY", 0)
                    .await
            );
            w.lookup_succeeded(&st, "10.3.0.2", "ACDE-FGHJ-KMNP-RTWY")
                .await;
        }
    }

    #[tokio::test]
    async fn malformed_codes_share_no_count() {
        let (st, _dir) = state();
        let w = &st.public_limits;
        for i in 0..50 {
            w.lookup_failed(&st, &format!("10.1.0.{i}"), "not a code", 0)
                .await;
        }
        assert!(
            !w.lookups_blocked(&st, "10.2.0.1", "also not a code", 0)
                .await
        );
        assert!(
            !w.lookups_blocked(&st, "10.2.0.1", "ACDE-FGHJ-KMNP-RTWX", 0)
                .await
        );
    }
}
