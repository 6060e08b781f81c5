//! Named points where a test may stop Haven as `kill -9` would (issue 16:
//! a sync killed at any step loses nothing and applies nothing twice).
//! With `HAVEN_TEST_CRASH_AT=<point>` in its environment, a process that
//! reaches that point sends itself SIGKILL: no destructor runs, no file
//! is closed, no transaction is finished, exactly as when the power
//! fails or the operating system kills it. Without the variable, as in
//! every deployment, a point costs one lookup of the environment, made
//! only at the few steps of a sync.

/// Stops this process at once if a test asked for it at `point`.
pub fn stop_point(point: &str) {
    if std::env::var_os("HAVEN_TEST_CRASH_AT").is_some_and(|p| p == point) {
        eprintln!("stopping abruptly at {point} (HAVEN_TEST_CRASH_AT)");
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &std::process::id().to_string()])
            .status();
        // Without a `kill` command: as abrupt, if not by the same signal.
        std::process::abort();
    }
}
