//! The arithmetic of attempt limits, without storage: how long a counter
//! makes the next attempt wait, and what it becomes after one more. The
//! store keeps the counters (so that every server sharing a database
//! counts together) and applies these rules inside one transaction.

/// How a counter limits attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Failures: the first `free` cost nothing, then each further one
    /// doubles the wait after the last, up to [`MAX_DELAY`]; all are
    /// forgotten `forget` seconds after the last. Slows, never locks out.
    Slow {
        /// Failures without a wait.
        free: u32,
        /// Seconds after the last failure when the count starts afresh.
        forget: i64,
    },
    /// At most `limit` events in fixed windows of `window` seconds, each
    /// window starting with its first event.
    Window {
        /// Events allowed in one window.
        limit: u32,
        /// The window's length in seconds.
        window: i64,
    },
}

/// The longest wait a [`Rule::Slow`] counter imposes, in seconds.
pub const MAX_DELAY: i64 = 300;

/// A counter as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    /// When its window (or run of failures) began.
    pub started: i64,
    /// The last event counted.
    pub last: i64,
    /// Events counted since `started`.
    pub count: u32,
}

impl Rule {
    /// Whether the counter no longer matters at `now` (its events are
    /// forgotten, or its window is over).
    pub fn expired(&self, c: &Counted, now: i64) -> bool {
        now >= self.expires(c)
    }

    /// When the counter stops mattering: it may be deleted then.
    pub fn expires(&self, c: &Counted) -> i64 {
        match *self {
            Rule::Slow { forget, .. } => c.last.saturating_add(forget),
            Rule::Window { window, .. } => c.started.saturating_add(window),
        }
    }

    /// Seconds the next attempt must wait; 0 when it may go ahead.
    pub fn wait(&self, c: &Counted, now: i64) -> i64 {
        if self.expired(c, now) {
            return 0;
        }
        match *self {
            Rule::Slow { free, .. } => {
                let over = c.count.saturating_sub(free);
                if over == 0 {
                    return 0;
                }
                let delay = 1i64
                    .checked_shl(over.min(20))
                    .unwrap_or(MAX_DELAY)
                    .min(MAX_DELAY);
                (c.last + delay - now).max(0)
            }
            Rule::Window { limit, window } => {
                if c.count >= limit {
                    (c.started + window - now).max(1)
                } else {
                    0
                }
            }
        }
    }

    /// The counter after one more event at `now` (a fresh one when there
    /// was none or it had expired).
    pub fn after_one_more(&self, c: Option<&Counted>, now: i64) -> Counted {
        match c.filter(|c| !self.expired(c, now)) {
            Some(c) => Counted {
                started: c.started,
                last: now,
                count: c.count.saturating_add(1),
            },
            None => Counted {
                started: now,
                last: now,
                count: 1,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_double_the_wait_up_to_the_most() {
        let r = Rule::Slow {
            free: 2,
            forget: 900,
        };
        let mut c = None;
        for _ in 0..3 {
            c = Some(r.after_one_more(c.as_ref(), 100));
        }
        let c3 = c.unwrap();
        assert_eq!(r.wait(&c3, 100), 2);
        assert_eq!(r.wait(&c3, 102), 0);
        let mut c = c3;
        for _ in 0..30 {
            c = r.after_one_more(Some(&c), 200);
        }
        assert_eq!(r.wait(&c, 200), MAX_DELAY);
        assert_eq!(r.wait(&c, 200 + 900), 0, "forgotten");
        assert_eq!(r.after_one_more(Some(&c), 1100).count, 1);
    }

    #[test]
    fn a_window_allows_its_limit_then_starts_again() {
        let r = Rule::Window {
            limit: 2,
            window: 60,
        };
        let c = r.after_one_more(None, 0);
        assert_eq!(r.wait(&c, 1), 0);
        let c = r.after_one_more(Some(&c), 10);
        assert_eq!(r.wait(&c, 10), 50);
        assert_eq!(r.wait(&c, 60), 0);
        assert_eq!(r.after_one_more(Some(&c), 60).started, 60);
    }
}
