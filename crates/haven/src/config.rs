//! `haven.toml`: the settings a deployment keeps in a file rather than on
//! a command line (`--config FILE` or `HAVEN_CONFIG`). A flag wins over an
//! environment variable, which wins over the file, which wins over the
//! default. Unknown keys are refused, so a misspelt setting is never
//! silently ignored; the file has a version so that it can change safely.
//!
//! ```toml
//! version = 1
//! [server]
//! listen = "127.0.0.1:8080"
//! secure_cookies = true
//! trust_proxy = true
//! [database]
//! data_dir = "/var/lib/haven"
//! url = "postgres://haven@db.internal/haven"
//! key_file = "/etc/haven/haven.key"
//! [limits]
//! max_image_megapixels = 50
//! partner_matches = 3000
//! suppression_threshold = 5
//! [retention]
//! child_years_after_adulthood = 5
//! closed_report_months = 12
//! reporter_contact_days = 90
//! audit_years = 10
//! [hotline]
//! categories = ["baseline", "national", "self_generated"]
//! [indicators]
//! dhis2_mapping = "/etc/haven/dhis2.json"
//! catalogue = "/etc/haven/indicators.json"
//! [exchange]
//! ca_file = "/etc/haven/peers-ca.pem"
//! ```

use anyhow::{bail, Context, Result};
use clap::parser::ValueSource;
use clap::ArgMatches;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file's format version this Haven reads.
pub const VERSION: u32 = 1;

/// The whole file.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Must be [`VERSION`].
    pub version: u32,
    /// How the web server runs.
    #[serde(default)]
    pub server: Server,
    /// Where the data is.
    #[serde(default)]
    pub database: Database,
    /// Limits on what callers may send.
    #[serde(default)]
    pub limits: Limits,
    /// How long records are kept (SPEC C9); nothing is purged without it.
    #[serde(default)]
    pub retention: haven_domain::retention::RetentionRules,
    /// The hotline's own choices.
    #[serde(default)]
    pub hotline: Hotline,
    /// Monitoring figures.
    #[serde(default)]
    pub indicators: Indicators,
    /// Reaching trusted peers.
    #[serde(default)]
    pub exchange: Exchange,
}

/// `[exchange]`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// A certificate authority (PEM) trusted for peers' HTTPS addresses
    /// besides the system's: a ministry network's own.
    pub ca_file: Option<PathBuf>,
}

/// `[indicators]`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicators {
    /// The ministry's DHIS2 codes for the `dhis2` export: a JSON mapping
    /// file in the form of `crates/domain/indicators/dhis2.json`.
    pub dhis2_mapping: Option<PathBuf>,
    /// The deployment's own version of the indicator catalogue: a JSON
    /// file in the form of `crates/domain/indicators/default.json`,
    /// numbered above the shipped version.
    pub catalogue: Option<PathBuf>,
}

/// `[hotline]`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hotline {
    /// The categories of material an analyst may choose, in the order the
    /// form offers them: some of `haven_domain::hotline::CATEGORIES` (each
    /// has its words in every language). All of them when not set.
    pub categories: Option<Vec<String>>,
}

/// `[server]`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// Address to listen on.
    pub listen: Option<String>,
    /// Mark cookies Secure.
    pub secure_cookies: Option<bool>,
    /// Behind a reverse proxy that writes X-Forwarded-For.
    pub trust_proxy: Option<bool>,
    /// `text` or `json`.
    pub log_format: Option<String>,
}

/// `[database]`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// Folder of the SQLite database and the key file.
    pub data_dir: Option<PathBuf>,
    /// `sqlite://PATH` or `postgres://…`.
    pub url: Option<String>,
    /// `postgres://…` of a read replica (a hot standby) for aggregate
    /// figures: indicators and the hotline's figures.
    pub read_url: Option<String>,
    /// The key file.
    pub key_file: Option<PathBuf>,
}

/// `[limits]`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest image accepted, in megapixels.
    pub max_image_megapixels: Option<u64>,
    /// Match requests one partner may make in ten minutes.
    pub partner_matches: Option<u32>,
    /// The smallest count indicators publish (disclosure control).
    pub suppression_threshold: Option<i64>,
}

/// Reads and checks a configuration file.
pub fn load(path: &Path) -> Result<ConfigFile> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let file: ConfigFile =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if let Some(f) = &file.server.log_format {
        if f != "text" && f != "json" {
            bail!("{}: server.log_format must be text or json", path.display());
        }
    }
    if let Some(categories) = &file.hotline.categories {
        check_categories(categories).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    if file.version != VERSION {
        bail!(
            "{}: version {} is not one this Haven reads (it reads version {VERSION})",
            path.display(),
            file.version
        );
    }
    Ok(file)
}

/// A deployment's hotline categories: at least one, each known (it has its
/// words in every language), none twice.
pub fn check_categories(categories: &[String]) -> Result<()> {
    if categories.is_empty() {
        bail!("hotline.categories must name at least one category");
    }
    for (i, c) in categories.iter().enumerate() {
        if !haven_domain::hotline::is_category(c) {
            bail!(
                "hotline.categories: {c:?} is not a category Haven knows; choose from {}",
                haven_domain::hotline::CATEGORIES.join(", ")
            );
        }
        if categories[..i].contains(c) {
            bail!("hotline.categories: {c:?} is named twice");
        }
    }
    Ok(())
}

/// Whether a value came from the command line or the environment (which
/// win over the file) rather than from its default.
pub fn given(m: &ArgMatches, id: &str) -> bool {
    matches!(
        m.value_source(id),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}

/// `target` takes the file's `value` unless the flag or its environment
/// variable was given.
pub fn fill<T>(m: &ArgMatches, id: &str, target: &mut T, value: Option<T>) {
    if let Some(v) = value {
        if !given(m, id) {
            *target = v;
        }
    }
}
