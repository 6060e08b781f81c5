//! TLS to PostgreSQL, with libpq's `sslmode` words: `disable` (and no
//! `sslmode` at all, as before) connects in clear; `prefer` and `require`
//! encrypt without checking who answers; `verify-ca` checks the server's
//! certificate against `sslrootcert` (a CA file; the system's roots without
//! one); `verify-full` checks its host name too. The driver knows only
//! `disable|prefer|require`, so the verifying modes and `sslrootcert` are
//! taken out of the URL here and done by the TLS connector.
//!
//! `pgbouncer=true` is Haven's own word, also taken out here: the address is
//! a connection pooler in transaction mode (see [`Settings::transaction_pooling`]).

use haven_store::{StoreError, StoreResult};
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use postgres_openssl::MakeTlsConnector;

/// How the connection is protected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// In clear (no `sslmode`, or `disable`).
    Clear,
    /// Encrypted when the server offers it (`prefer`) or always
    /// (`require`), the server not checked.
    Encrypt { required: bool },
    /// Encrypted, the certificate checked against the CA; with
    /// `host`, the host name too.
    Verify { host: bool },
}

/// The URL as the driver takes it, and the TLS settings taken out of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Settings {
    pub url: String,
    pub mode: Mode,
    pub root_cert: Option<String>,
    /// Each transaction may run on a different server connection (PgBouncer
    /// in transaction mode): nothing may outlive a transaction on the
    /// connection — no prepared statement, no session setting.
    pub transaction_pooling: bool,
}

/// Reads `sslmode` and `sslrootcert` from a `postgres://` URL's query.
/// Other forms (`host=… sslmode=…`) go to the driver as they are.
pub(crate) fn settings(url: &str) -> StoreResult<Settings> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            (b, q)
        }
        _ => {
            return Ok(Settings {
                url: url.to_string(),
                mode: Mode::Clear,
                root_cert: None,
                transaction_pooling: false,
            })
        }
    };
    let mut kept = Vec::new();
    let mut mode = None;
    let mut root_cert = None;
    let mut transaction_pooling = false;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "sslmode" => mode = Some(v.to_string()),
            "sslrootcert" => root_cert = Some(crate::percent_decode(v)),
            "pgbouncer" => {
                transaction_pooling = match v {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    other => {
                        return Err(StoreError::Database(format!(
                            "pgbouncer={other} is not true or false"
                        )))
                    }
                }
            }
            _ => kept.push(pair),
        }
    }
    let mode = match mode.as_deref() {
        None | Some("disable") => Mode::Clear,
        Some("allow") | Some("prefer") => Mode::Encrypt { required: false },
        // As libpq: `require` with a CA file checks the CA.
        Some("require") if root_cert.is_some() => Mode::Verify { host: false },
        Some("require") => Mode::Encrypt { required: true },
        Some("verify-ca") => Mode::Verify { host: false },
        Some("verify-full") => Mode::Verify { host: true },
        Some(other) => {
            return Err(StoreError::Database(format!(
                "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
            )))
        }
    };
    let driver_mode = match mode {
        Mode::Clear => "disable",
        Mode::Encrypt { required: false } => "prefer",
        _ => "require",
    };
    kept.push(match driver_mode {
        "disable" => "sslmode=disable",
        "prefer" => "sslmode=prefer",
        _ => "sslmode=require",
    });
    Ok(Settings {
        url: format!("{base}?{}", kept.join("&")),
        mode,
        root_cert,
        transaction_pooling,
    })
}

/// The URL for libpq's tools (`pg_dump`): Haven's own `pgbouncer` word
/// taken out, which they would refuse; everything else as given.
pub(crate) fn for_libpq(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("pgbouncer="))
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// The TLS connector for `s` (not used in [`Mode::Clear`]).
pub(crate) fn connector(s: &Settings) -> StoreResult<MakeTlsConnector> {
    let tls = |e: openssl::error::ErrorStack| {
        StoreError::Database(format!("cannot set up TLS to PostgreSQL: {e}"))
    };
    let mut b = SslConnector::builder(SslMethod::tls_client()).map_err(tls)?;
    let check_host = match s.mode {
        Mode::Verify { host } => {
            if let Some(ca) = &s.root_cert {
                b.set_ca_file(ca).map_err(|e| {
                    StoreError::Database(format!("cannot read the sslrootcert file {ca}: {e}"))
                })?;
            }
            b.set_verify(SslVerifyMode::PEER);
            host
        }
        _ => {
            b.set_verify(SslVerifyMode::NONE);
            false
        }
    };
    let mut m = MakeTlsConnector::new(b.build());
    if !check_host {
        m.set_callback(|c, _| {
            c.set_verify_hostname(false);
            Ok(())
        });
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modes_the_driver_lacks_are_taken_out_of_the_url() {
        let s = settings(
            "postgres://h@db/x?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=a",
        )
        .unwrap();
        assert_eq!(s.mode, Mode::Verify { host: true });
        assert_eq!(s.root_cert.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(
            s.url,
            "postgres://h@db/x?application_name=a&sslmode=require"
        );
        let s = settings("postgres://h@db/x").unwrap();
        assert_eq!((s.mode, s.url.as_str()), (Mode::Clear, "postgres://h@db/x"));
        let s = settings("postgres://h@db/x?sslmode=require").unwrap();
        assert_eq!(s.mode, Mode::Encrypt { required: true });
        let s = settings("postgres://h@db/x?sslmode=require&sslrootcert=ca.pem").unwrap();
        assert_eq!(s.mode, Mode::Verify { host: false });
        assert!(settings("postgres://h@db/x?sslmode=sometimes").is_err());
    }

    #[test]
    fn a_pooler_in_transaction_mode_is_named_in_the_url() {
        let s = settings("postgres://h@pool:6432/x?pgbouncer=true&sslmode=require").unwrap();
        assert!(s.transaction_pooling);
        assert_eq!(s.url, "postgres://h@pool:6432/x?sslmode=require");
        assert!(
            !settings("postgres://h@db/x?sslmode=require")
                .unwrap()
                .transaction_pooling
        );
        assert!(settings("postgres://h@db/x?pgbouncer=maybe").is_err());
        assert_eq!(
            for_libpq("postgres://h@pool/x?pgbouncer=true&sslmode=require"),
            "postgres://h@pool/x?sslmode=require"
        );
        assert_eq!(
            for_libpq("postgres://h@pool/x?pgbouncer=true"),
            "postgres://h@pool/x"
        );
    }
}
