//! `haven`: serve the system, administer users and tokens, verify the audit
//! log, back up, and hash or match images against lists.

mod config;
mod demo;
mod demo_casework;
mod demo_history;
mod demo_reports;
mod exchange;
mod field;
mod hashing;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use haven_domain::{Actor, Role};
use haven_store::{Keyring, NewUser, SqlStore, Store};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "haven",
    version,
    about = "Haven: preventing the sale and sexual exploitation of children"
)]
struct Cli {
    /// Settings file (`haven.toml`); environment variables and flags override it.
    #[arg(long, env = "HAVEN_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
pub(crate) struct DbArgs {
    /// Folder for the embedded SQLite database and the key file.
    #[arg(long, env = "HAVEN_DATA_DIR", default_value = "./haven-data")]
    data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://…`; overrides --data-dir for the database.
    #[arg(long, env = "HAVEN_DATABASE_URL")]
    database_url: Option<String>,
    /// `postgres://…` of a read replica (a hot standby of the database) on
    /// which aggregate figures are computed, away from casework.
    #[arg(long, env = "HAVEN_READ_DATABASE_URL")]
    read_database_url: Option<String>,
    /// The encryption key file (default: DATA_DIR/haven.key). Keep it out of database backups.
    #[arg(long, env = "HAVEN_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// This node's name, as `haven node show` prints it for peers.
    #[arg(long, env = "HAVEN_NODE_NAME", default_value = "haven")]
    node_name: String,
    /// A field laptop's folder (`haven field init`): its key opens with its
    /// user's password, read from the first line of standard input.
    #[arg(long)]
    unlock_stdin: bool,
}

#[derive(Args, Clone)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "HAVEN_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Fill an empty database with synthetic demonstration data.
    #[arg(long)]
    demo: bool,
    /// Children in the demo data.
    #[arg(long, default_value_t = 2000)]
    demo_children: usize,
    /// Mark cookies Secure (when behind an HTTPS proxy).
    #[arg(long, env = "HAVEN_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Behind a reverse proxy: take the client's address for rate limits
    /// from the last X-Forwarded-For entry (only set this behind a proxy
    /// that writes that header).
    #[arg(long, env = "HAVEN_TRUST_PROXY")]
    trust_proxy: bool,
    /// Largest image accepted for hashing, in megapixels (declared size,
    /// checked before decoding).
    #[arg(long, env = "HAVEN_MAX_IMAGE_MEGAPIXELS", default_value_t = 50)]
    max_image_megapixels: u64,
    /// Match requests one partner may make in ten minutes.
    #[arg(long, env = "HAVEN_PARTNER_MATCHES", default_value_t = 3000)]
    partner_matches: u32,
    /// The smallest count indicators publish: counts from 1 to one less
    /// are hidden, with the cells that would give them away (2 to 100).
    #[arg(long, env = "HAVEN_SUPPRESSION_THRESHOLD", default_value_t = 5)]
    suppression_threshold: i64,
    /// `text` for people, `json` (one object a line, with the request id)
    /// for a log collector.
    #[arg(long, env = "HAVEN_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
    /// Where the public pages' quick-exit link leads: a neutral page
    /// outside Haven (a weather or news site), for someone who must leave
    /// the reporting page at once.
    #[arg(long, env = "HAVEN_QUICK_EXIT_URL", default_value = haven_web::DEFAULT_QUICK_EXIT)]
    quick_exit_url: String,
    /// Seconds between pulls of each trusted peer's feed (peers with an
    /// address); 0 turns the periodic pull off.
    #[arg(long, env = "HAVEN_EXCHANGE_PULL_SECONDS", default_value_t = 300)]
    exchange_pull_seconds: u64,
    /// Seconds between signatures of the audit log's head with the node
    /// key (kept, and sent to peers this node publishes `audit` to, so that
    /// cutting off the newest entries can be proved); 0 turns it off. Every
    /// export signs the head too.
    #[arg(long, env = "HAVEN_AUDIT_HEAD_SECONDS", default_value_t = 3600)]
    audit_head_seconds: u64,
    /// On a field laptop: seconds between syncs it makes by itself while
    /// it serves (each a quiet try when the server is out of reach); 0
    /// leaves it to the page's button and `haven field sync`.
    #[arg(long, env = "HAVEN_FIELD_SYNC_SECONDS", default_value_t = 300)]
    field_sync_seconds: u64,
    /// The ministry's DHIS2 codes for the `dhis2` export (a JSON mapping
    /// file like crates/domain/indicators/dhis2.json); without it the
    /// export uses Haven's example codes, which no DHIS2 server knows.
    #[arg(long, env = "HAVEN_DHIS2_MAPPING")]
    dhis2_mapping: Option<PathBuf>,
    /// The deployment's own version of the indicator catalogue (a JSON
    /// file like crates/domain/indicators/default.json, numbered above the
    /// shipped version): its definitions replace the shipped ones, and
    /// every export names its version.
    #[arg(long, env = "HAVEN_INDICATOR_CATALOGUE")]
    indicator_catalogue: Option<PathBuf>,
    /// A certificate authority (PEM file) trusted for peers' https://
    /// addresses besides the system's, for a network with its own.
    #[arg(long, env = "HAVEN_EXCHANGE_CA_FILE")]
    exchange_ca_file: Option<PathBuf>,
    /// From the settings file's [retention] section only: a country's
    /// policy, not a command-line switch.
    #[arg(skip)]
    retention: haven_domain::retention::RetentionRules,
    /// From the settings file's [hotline] section only: the categories of
    /// material analysts choose from (all known ones when empty).
    #[arg(skip)]
    hotline_categories: Vec<String>,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Exit 0 if the configuration is valid, printing the settings in
    /// effect (file, then environment, then flags) with secrets hidden.
    Check(ServeArgs),
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Check a configuration file and print the settings in effect.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write a consistent copy of the database while it is in use.
    Backup {
        /// The new backup file (must not exist).
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Apply the retention rules of the settings file's [retention]
    /// section: a dry run by default, which says what would be purged.
    Purge {
        #[command(flatten)]
        db: DbArgs,
        /// Destroy what the rules say is past keeping (otherwise only count it).
        #[arg(long)]
        apply: bool,
        #[arg(skip)]
        rules: haven_domain::retention::RetentionRules,
    },
    /// Load synthetic demonstration data (for trying out and benchmarks).
    Demo {
        #[command(flatten)]
        db: DbArgs,
        /// Number of children.
        #[arg(long, default_value_t = 2000)]
        children: usize,
    },
    /// Indicators: export the figures (always with small counts hidden).
    Indicators {
        #[command(subcommand)]
        command: IndicatorsCommand,
    },
    /// Compute PDQ hashes (and MD5, SHA-256) of image files and folders.
    Hash(hashing::HashArgs),
    /// Match hashes or images against a hash list file.
    Match(hashing::MatchArgs),
    /// This node's identity for the exchange with other nodes.
    Node {
        #[command(subcommand)]
        command: exchange::NodeCommand,
    },
    /// The other nodes this one trusts.
    Peer {
        #[command(subcommand)]
        command: exchange::PeerCommand,
    },
    /// Signed bundles of list entries to and from trusted peers.
    Exchange {
        #[command(subcommand)]
        command: exchange::ExchangeCommand,
    },
    /// Offline field work on this laptop: enrol it with a server and take
    /// your caseload.
    Field {
        #[command(subcommand)]
        command: field::FieldCommand,
    },
}

#[derive(Subcommand)]
enum IndicatorsCommand {
    /// Write every indicator for a period and a place, whole and by each
    /// breakdown, to standard output: CSV, JSON or a DHIS2 dataValueSets
    /// document. Small counts are hidden, as in every export. Audited.
    Export {
        /// csv, json or dhis2.
        #[arg(long, default_value = "csv")]
        format: String,
        /// 2026, 2026Q3, 202609 or 2026-01-01..2026-06-30 (dhis2: not a range).
        #[arg(long)]
        period: String,
        /// A location code: that place and everything under it.
        #[arg(long)]
        location: String,
        /// A DHIS2 mapping file (JSON) to use instead of the shipped one.
        #[arg(long, env = "HAVEN_DHIS2_MAPPING")]
        mapping: Option<PathBuf>,
        /// The deployment's indicator catalogue (as for `haven serve`).
        #[arg(long, env = "HAVEN_INDICATOR_CATALOGUE")]
        indicator_catalogue: Option<PathBuf>,
        /// The smallest count shown (2 to 100).
        #[arg(long, env = "HAVEN_SUPPRESSION_THRESHOLD", default_value_t = 5)]
        suppression_threshold: i64,
        /// Count each figure with a query of its own instead of reading the
        /// records once for the whole export: much slower, the same
        /// figures. For checking an export, and for benchmarks.
        #[arg(long)]
        figure_by_figure: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user.
    Add {
        /// Sign-in name (lowercase letters, digits, '.', '_', '-').
        name: String,
        /// admin, supervisor, caseworker, analyst, monitor, partner or liaison.
        #[arg(long)]
        role: String,
        /// Location code limiting what the user sees.
        #[arg(long)]
        location: Option<String>,
        /// Agency code limiting what the user sees.
        #[arg(long)]
        agency: Option<String>,
        /// Read a password from standard input (otherwise the user signs in with API tokens only).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user; prints only the token.
    Create {
        /// The user's name.
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Exit 0 if the audit chain is intact; otherwise name the first bad entry.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// What a command may find in its data directory or database.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opening {
    /// The first start of an installation may find nothing and begin one.
    MayBegin,
    /// Anything else needs existing Haven data and its key.
    Existing,
    /// As `Existing`, and a missing audit head file is reported, not restarted.
    Verify,
}

/// Opens the store the arguments name; an unknown URL scheme is refused
/// rather than silently creating a SQLite file. Only the first start of an
/// empty installation makes a database or a key; any other command refuses
/// a folder or database without Haven data, a missing key file, or a key
/// file that is not the database's own.
pub(crate) fn open_store(db: &DbArgs, opening: Opening) -> Result<SqlStore> {
    open_store_with(db, opening, None)
}

/// Page cache (MiB) of each SQLite connection for commands that write
/// hundreds of thousands of rows at once.
pub(crate) const BULK_CACHE_MIB: i64 = 256;

/// [`open_store`], with `cache_mib` of SQLite page cache per connection
/// when given: `haven demo`, whose random name tokens touch every page of
/// their index in each transaction. (An exchange import appends in key
/// order and gains nothing from it: measured, same time, 260 MB more.)
pub(crate) fn open_store_with(
    db: &DbArgs,
    opening: Opening,
    cache_mib: Option<i64>,
) -> Result<SqlStore> {
    open_store_and_keys(db, opening, cache_mib).map(|(store, _)| store)
}

/// [`open_store_with`], and the keys it was opened with (a field laptop's
/// server opens its sealed credential with them).
fn open_store_and_keys(
    db: &DbArgs,
    opening: Opening,
    cache_mib: Option<i64>,
) -> Result<(SqlStore, Keyring)> {
    let key_file = db
        .key_file
        .clone()
        .unwrap_or_else(|| db.data_dir.join("haven.key"));
    enum Target {
        Sqlite(PathBuf),
        Postgres(String),
    }
    let target = match &db.database_url {
        None => Target::Sqlite(db.data_dir.join("haven.db")),
        Some(url) if url.starts_with("sqlite://") => {
            let path = url.trim_start_matches("sqlite://");
            if path.is_empty() {
                bail!("the SQLite URL has no file path: use sqlite://PATH");
            }
            Target::Sqlite(PathBuf::from(path))
        }
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Target::Postgres(url.clone())
        }
        Some(url) => {
            let scheme = url
                .split("://")
                .next()
                .filter(|_| url.contains("://"))
                .unwrap_or("(none)");
            bail!("unsupported database URL scheme {scheme:?}: use sqlite://PATH or postgres://USER@HOST/DB")
        }
    };
    let may_begin = opening == Opening::MayBegin;
    let backend: Box<dyn haven_store::sql::Backend> = match &target {
        Target::Sqlite(path) => {
            let exists = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
            if !exists && !may_begin {
                bail!(
                    "{} holds no Haven database: check --data-dir (or --database-url); a new installation begins with `haven serve`",
                    path.display()
                );
            }
            let keys_ok = exists || key_file.exists();
            if !exists && !keys_ok {
                // First start: the key is made before the database exists.
                Keyring::create(&key_file)
                    .with_context(|| format!("key file {}", key_file.display()))?;
            }
            let backend = haven_store_sqlite::SqliteBackend::open(path, now())?;
            Box::new(match cache_mib {
                Some(mib) => backend.with_page_cache_mib(mib),
                None => backend,
            })
        }
        Target::Postgres(url) => {
            match haven_store_postgres::PostgresBackend::open_existing(url, now()) {
                Ok(b) => Box::new(b),
                Err(haven_store::StoreError::NotFound(_)) if may_begin => {
                    if !key_file.exists() {
                        Keyring::create(&key_file)
                            .with_context(|| format!("key file {}", key_file.display()))?;
                    }
                    Box::new(haven_store_postgres::PostgresBackend::open(url, now())?)
                }
                Err(haven_store::StoreError::NotFound(_)) => bail!(
                    "the PostgreSQL database holds no Haven data: check --database-url; a new installation begins with `haven serve`"
                ),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let sealed_key = db.data_dir.join(field::SEALED_KEY_FILE);
    let keys = if db.key_file.is_none() && !key_file.exists() && sealed_key.exists() {
        if !db.unlock_stdin {
            bail!(
                "the key of {} is sealed with its user's password: give the password on standard input with --unlock-stdin",
                db.data_dir.display()
            );
        }
        Keyring::load_sealed(&sealed_key, &field::read_password()?)?
    } else {
        Keyring::load(&key_file)?
    };
    let head_file = key_file.with_extension("audit-head");
    // Checks the key, re-chains an old audit log and rebuilds name search
    // tokens made by an older Haven, once.
    let mut store = SqlStore::new(backend, keys.clone()).with_audit_head(&head_file)?;
    // The heads this node signed are checked against its node key, when
    // it has one yet.
    if exchange::node_key_path(db).exists() {
        store = store.with_node_public_key(exchange::node_key(db, false)?.public());
    }
    let mut store = store
        .opened(now())
        .with_context(|| format!("key file {}", key_file.display()))?;
    if field::is_laptop(&db.data_dir) {
        store = store.with_field_outbox();
    }
    if opening != Opening::Verify && store.start_audit_head(now())? {
        tracing::warn!(
            "the audit head file {} was missing or damaged; a new one starts at the newest entry (noted in the audit log)",
            head_file.display()
        );
    }
    // Due times for case work and referral answers: DATA_DIR/casework.json
    // (e.g. {"critical_hours": 12}); the defaults otherwise.
    let policy_file = db.data_dir.join("casework.json");
    if policy_file.exists() {
        let text = std::fs::read_to_string(&policy_file)
            .with_context(|| format!("reading {}", policy_file.display()))?;
        let policy = haven_domain::casework::DuePolicy::from_json(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", policy_file.display()))?;
        store = store.with_due_policy(policy);
    }
    if let Some(read) = &db.read_database_url {
        if !(read.starts_with("postgres://") || read.starts_with("postgresql://")) {
            bail!("the read replica's URL must be postgres://…: a read replica is a PostgreSQL standby");
        }
        let replica = haven_store_postgres::PostgresBackend::open_replica(read)
            .context("the read replica (--read-database-url)")?;
        store = store.with_read_replica(Box::new(replica));
    }
    Ok((store, keys))
}

fn main() {
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches)
        .map_err(anyhow::Error::from)
        .and_then(|cli| with_config_file(cli, &matches))
    {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("haven: {e:#}");
            std::process::exit(2);
        }
    };
    let json_logs = matches!(&cli.command, Command::Serve(a) if a.log_format == "json");
    if json_logs {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(std::io::stderr)
            .with_target(false)
            .init();
    } else {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_target(false)
            .init();
    }
    match run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("haven: {e:#}");
            std::process::exit(2);
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Serve(a) => serve(
            a.db,
            a.listen,
            a.demo,
            a.demo_children,
            ServeOptions {
                secure_cookies: a.secure_cookies,
                trust_proxy: a.trust_proxy,
                max_image_megapixels: a.max_image_megapixels,
                partner_matches: a.partner_matches,
                suppression_threshold: a.suppression_threshold,
                retention: a.retention,
                hotline_categories: a.hotline_categories,
                quick_exit_url: a.quick_exit_url,
                exchange_pull_seconds: a.exchange_pull_seconds,
                audit_head_seconds: a.audit_head_seconds,
                field_sync_seconds: a.field_sync_seconds,
                dhis2_mapping: a.dhis2_mapping,
                indicator_catalogue: a.indicator_catalogue,
                exchange_ca_file: a.exchange_ca_file,
            },
        ),
        Command::Config {
            command: ConfigCommand::Check(a),
        } => {
            check_limits(
                a.max_image_megapixels,
                a.partner_matches,
                a.suppression_threshold,
            )?;
            let cat = indicator_catalogue(a.indicator_catalogue.as_deref())?;
            if let Some(path) = &a.dhis2_mapping {
                dhis2_mapping(path, &cat)?;
            }
            exchange::peer_client(a.exchange_ca_file.as_deref())?;
            print!("{}", effective_config(&a)?);
            Ok(0)
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    location,
                    agency,
                    password_stdin,
                    db,
                },
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!(
                    "unknown role {role:?}: use admin, supervisor, caseworker, analyst, monitor, partner or liaison"
                )
            })?;
            let password_hash = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                let password = line.trim_end_matches(['\r', '\n']);
                haven_store::password::check_new_password(password)?;
                Some(haven_store::password::hash_password(password)?)
            } else {
                None
            };
            let store = open_store(&db, Opening::Existing)?;
            let u = store.create_user(
                &Actor::system(),
                &NewUser {
                    name,
                    role,
                    location,
                    agency,
                    password_hash,
                },
                now(),
            )?;
            eprintln!("added user {} ({})", u.name, u.role);
            Ok(0)
        }
        Command::Token {
            command: TokenCommand::Create { name, db },
        } => {
            let store = open_store(&db, Opening::Existing)?;
            let token = store.create_api_token(&Actor::system(), &name, now())?;
            println!("{token}");
            Ok(0)
        }
        Command::Audit {
            command: AuditCommand::Verify { db },
        } => {
            let store = open_store(&db, Opening::Verify)?;
            match store.verify_audit()? {
                Ok(n) => {
                    println!("audit log intact: {n} entries");
                    Ok(0)
                }
                Err(problem) => {
                    println!("audit log BROKEN: {problem}");
                    Ok(1)
                }
            }
        }
        Command::Backup { file, db } => {
            let store = open_store(&db, Opening::Existing)?;
            store.backup(&file)?;
            store.record_event("system", "backup", "database", "ok", "", now())?;
            eprintln!("backup written to {} (the key file is not in it: keep a copy of {} somewhere safe)", file.display(), db.key_file.clone().unwrap_or_else(|| db.data_dir.join("haven.key")).display());
            Ok(0)
        }
        Command::Purge { db, apply, rules } => purge(&db, apply, &rules),
        Command::Demo { db, children } => {
            let store = open_store_with(&db, Opening::MayBegin, Some(BULK_CACHE_MIB))?;
            exchange::node_key(&db, true)?;
            demo::load(&store, children, now())?;
            Ok(0)
        }
        Command::Indicators {
            command:
                IndicatorsCommand::Export {
                    format,
                    period,
                    location,
                    mapping,
                    indicator_catalogue,
                    suppression_threshold,
                    figure_by_figure,
                    db,
                },
        } => export_indicators(
            &db,
            &format,
            &period,
            &location,
            (mapping.as_deref(), indicator_catalogue.as_deref()),
            (suppression_threshold, figure_by_figure),
        ),
        Command::Hash(args) => hashing::hash_command(args),
        Command::Match(args) => hashing::match_command(args),
        Command::Node { command } => exchange::node(command),
        Command::Peer { command } => exchange::peer(command),
        Command::Exchange { command } => exchange::exchange(command),
        Command::Field { command } => field::field(command),
    }
}

/// `haven indicators export`: the figures on standard output.
fn export_indicators(
    db: &DbArgs,
    format: &str,
    period: &str,
    location: &str,
    (mapping, catalogue): (Option<&std::path::Path>, Option<&std::path::Path>),
    (suppression_threshold, figure_by_figure): (i64, bool),
) -> Result<i32> {
    use haven_web::api::indicators::{write_export, ExportFormat};
    let format = ExportFormat::parse(format)
        .with_context(|| format!("unknown format {format:?}: use csv, json or dhis2"))?;
    let period = haven_domain::indicators::Period::parse(period)?;
    let rule = haven_domain::indicators::Rule::new(suppression_threshold)
        .context("suppression_threshold must be from 2 to 100")?;
    let cat = indicator_catalogue(catalogue)?;
    let map = match mapping {
        Some(path) => dhis2_mapping(path, &cat)?,
        None => haven_domain::indicators::dhis2::Mapping::default_mapping()
            .map_err(|e| anyhow::anyhow!("the shipped DHIS2 mapping: {e}"))?,
    };
    let store = open_store(db, Opening::Existing)?;
    let body = write_export(
        &store,
        &cat,
        &Actor::system(),
        rule,
        format,
        period,
        location,
        &map,
        figure_by_figure,
        now(),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{body}");
    Ok(0)
}

fn check_limits(
    max_image_megapixels: u64,
    partner_matches: u32,
    suppression_threshold: i64,
) -> Result<()> {
    if haven_domain::indicators::Rule::new(suppression_threshold).is_none() {
        bail!("suppression_threshold must be from 2 to 100");
    }
    if max_image_megapixels == 0 || max_image_megapixels > 4_000 {
        bail!("max_image_megapixels must be from 1 to 4000");
    }
    if partner_matches == 0 {
        bail!("partner_matches must be at least 1");
    }
    Ok(())
}

/// Fills what neither a flag nor the environment set from the settings
/// file, when there is one.
fn with_config_file(mut cli: Cli, matches: &clap::ArgMatches) -> Result<Cli> {
    let Some(path) = cli.config.clone() else {
        return Ok(cli);
    };
    let file = config::load(&path)?;
    let Some((_, sub)) = matches.subcommand() else {
        return Ok(cli);
    };
    let fill_db = |db: &mut DbArgs, m: &clap::ArgMatches| {
        config::fill(
            m,
            "data_dir",
            &mut db.data_dir,
            file.database.data_dir.clone(),
        );
        config::fill(
            m,
            "database_url",
            &mut db.database_url,
            file.database.url.clone().map(Some),
        );
        config::fill(
            m,
            "read_database_url",
            &mut db.read_database_url,
            file.database.read_url.clone().map(Some),
        );
        config::fill(
            m,
            "key_file",
            &mut db.key_file,
            file.database.key_file.clone().map(Some),
        );
    };
    let fill_serve = |a: &mut ServeArgs, m: &clap::ArgMatches| {
        fill_db(&mut a.db, m);
        config::fill(m, "listen", &mut a.listen, file.server.listen.clone());
        config::fill(
            m,
            "secure_cookies",
            &mut a.secure_cookies,
            file.server.secure_cookies,
        );
        config::fill(
            m,
            "trust_proxy",
            &mut a.trust_proxy,
            file.server.trust_proxy,
        );
        config::fill(
            m,
            "log_format",
            &mut a.log_format,
            file.server.log_format.clone(),
        );
        config::fill(
            m,
            "max_image_megapixels",
            &mut a.max_image_megapixels,
            file.limits.max_image_megapixels,
        );
        config::fill(
            m,
            "partner_matches",
            &mut a.partner_matches,
            file.limits.partner_matches,
        );
        config::fill(
            m,
            "suppression_threshold",
            &mut a.suppression_threshold,
            file.limits.suppression_threshold,
        );
        config::fill(
            m,
            "dhis2_mapping",
            &mut a.dhis2_mapping,
            file.indicators.dhis2_mapping.clone().map(Some),
        );
        config::fill(
            m,
            "indicator_catalogue",
            &mut a.indicator_catalogue,
            file.indicators.catalogue.clone().map(Some),
        );
        config::fill(
            m,
            "exchange_ca_file",
            &mut a.exchange_ca_file,
            file.exchange.ca_file.clone().map(Some),
        );
        a.retention = file.retention;
        a.hotline_categories = file.hotline.categories.unwrap_or_default();
    };
    // The subcommand's own matches (one level deeper for `user add`, …).
    let leaf = |m: &clap::ArgMatches| -> clap::ArgMatches {
        let mut m = m.clone();
        while let Some((_, inner)) = m.clone().subcommand() {
            m = inner.clone();
        }
        m
    };
    let m = leaf(sub);
    match &mut cli.command {
        Command::Serve(a) => fill_serve(a, &m),
        Command::Config {
            command: ConfigCommand::Check(a),
        } => fill_serve(a, &m),
        Command::User {
            command: UserCommand::Add { db, .. },
        }
        | Command::Token {
            command: TokenCommand::Create { db, .. },
        }
        | Command::Audit {
            command: AuditCommand::Verify { db },
        }
        | Command::Backup { db, .. }
        | Command::Indicators {
            command: IndicatorsCommand::Export { db, .. },
        }
        | Command::Demo { db, .. } => fill_db(db, &m),
        Command::Purge { db, rules, .. } => {
            fill_db(db, &m);
            *rules = file.retention;
        }
        Command::Node {
            command: exchange::NodeCommand::Show { db } | exchange::NodeCommand::RotateKey { db },
        }
        | Command::Peer {
            command:
                exchange::PeerCommand::Add { db, .. }
                | exchange::PeerCommand::List { db }
                | exchange::PeerCommand::Revoke { db, .. }
                | exchange::PeerCommand::Restore { db, .. },
        }
        | Command::Exchange {
            command:
                exchange::ExchangeCommand::Export { db, .. }
                | exchange::ExchangeCommand::Import { db, .. }
                | exchange::ExchangeCommand::Pull { db, .. },
        } => fill_db(db, &m),
        Command::Hash(_) | Command::Match(_) | Command::Field { .. } => {}
    }
    Ok(cli)
}

/// `haven purge`: what the retention rules take, counted or destroyed.
fn purge(db: &DbArgs, apply: bool, rules: &haven_domain::retention::RetentionRules) -> Result<i32> {
    use haven_domain::retention::rule;
    if !rules.any() {
        println!("No retention rules are set, so nothing is ever purged. Set them in the [retention] section of the settings file (--config).");
        return Ok(0);
    }
    let store = open_store(db, Opening::Existing)?;
    let done = store.purge(&haven_domain::Actor::system(), rules, now(), apply)?;
    let verb = if apply { "purged" } else { "would be purged" };
    let line = |what: &str, rule: &str, value: Option<u32>, n: u64| {
        if let Some(v) = value {
            println!("{n:>8} {what} {verb} ({rule} = {v})");
        }
    };
    line(
        "children's records",
        rule::CHILDREN,
        rules.child_years_after_adulthood,
        done.children,
    );
    line(
        "closed reports",
        rule::REPORTS,
        rules.closed_report_months,
        done.reports,
    );
    line(
        "reporters' contact details",
        rule::CONTACTS,
        rules.reporter_contact_days,
        done.contacts,
    );
    if apply {
        println!(
            "{:>8} households left without a child purged",
            done.households
        );
    }
    println!("{:>8} expired sign-in sessions {verb}", done.sessions);
    println!(
        "{:>8} expired travelling-offender alerts {verb}",
        done.alerts
    );
    line(
        "oldest audit entries",
        rule::AUDIT,
        rules.audit_years,
        done.audit_entries,
    );
    if apply {
        println!(
            "Each purge is in the audit log with its rule (`haven audit verify` checks the log)."
        );
    } else {
        println!("Dry run: nothing was changed. Run again with --apply to purge.");
    }
    Ok(0)
}

/// The settings in effect, as a settings file, with the database password hidden.
fn effective_config(a: &ServeArgs) -> Result<String> {
    let file = config::ConfigFile {
        version: config::VERSION,
        server: config::Server {
            listen: Some(a.listen.clone()),
            secure_cookies: Some(a.secure_cookies),
            trust_proxy: Some(a.trust_proxy),
            log_format: Some(a.log_format.clone()),
        },
        database: config::Database {
            data_dir: Some(a.db.data_dir.clone()),
            url: a
                .db
                .database_url
                .as_deref()
                .map(haven_store_postgres::redacted),
            read_url: a
                .db
                .read_database_url
                .as_deref()
                .map(haven_store_postgres::redacted),
            key_file: Some(
                a.db.key_file
                    .clone()
                    .unwrap_or_else(|| a.db.data_dir.join("haven.key")),
            ),
        },
        limits: config::Limits {
            max_image_megapixels: Some(a.max_image_megapixels),
            partner_matches: Some(a.partner_matches),
            suppression_threshold: Some(a.suppression_threshold),
        },
        retention: a.retention,
        hotline: config::Hotline {
            categories: (!a.hotline_categories.is_empty()).then(|| a.hotline_categories.clone()),
        },
        indicators: config::Indicators {
            dhis2_mapping: a.dhis2_mapping.clone(),
            catalogue: a.indicator_catalogue.clone(),
        },
        exchange: config::Exchange {
            ca_file: a.exchange_ca_file.clone(),
        },
    };
    toml::to_string(&file).context("writing the settings")
}

/// How `haven serve` was asked to behave.
struct ServeOptions {
    secure_cookies: bool,
    trust_proxy: bool,
    max_image_megapixels: u64,
    partner_matches: u32,
    suppression_threshold: i64,
    retention: haven_domain::retention::RetentionRules,
    hotline_categories: Vec<String>,
    quick_exit_url: String,
    exchange_pull_seconds: u64,
    audit_head_seconds: u64,
    field_sync_seconds: u64,
    dhis2_mapping: Option<PathBuf>,
    indicator_catalogue: Option<PathBuf>,
    exchange_ca_file: Option<PathBuf>,
}

/// The indicator catalogue a deployment uses: the shipped one, or its own
/// version from `path`, checked as the shipped one is and numbered above
/// it (so that an export's version names one set of definitions only).
/// A file that does not read stops the command, naming it and the reasons.
pub(crate) fn indicator_catalogue(
    path: Option<&std::path::Path>,
) -> Result<haven_domain::indicators::Catalogue> {
    use haven_domain::indicators::Catalogue;
    let shipped = Catalogue::default_catalogue()
        .map_err(|e| anyhow::anyhow!("the shipped indicator catalogue: {e}"))?;
    let Some(path) = path else {
        return Ok(shipped);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the indicator catalogue {}", path.display()))?;
    let cat = Catalogue::from_json(&text)
        .map_err(|e| anyhow::anyhow!("the indicator catalogue {}: {e}", path.display()))?;
    if cat.version <= shipped.version {
        anyhow::bail!(
            "the indicator catalogue {}: its version is {}, but Haven ships version {}: number the deployment's version above it",
            path.display(),
            cat.version,
            shipped.version
        );
    }
    Ok(cat)
}

/// Reads a DHIS2 mapping file, refusing one that does not parse or names
/// an indicator Haven does not have, with the file's name and the reasons.
fn dhis2_mapping(
    path: &std::path::Path,
    cat: &haven_domain::indicators::Catalogue,
) -> Result<haven_domain::indicators::dhis2::Mapping> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the DHIS2 mapping file {}", path.display()))?;
    let map = haven_domain::indicators::dhis2::Mapping::from_json(&text)
        .map_err(|e| anyhow::anyhow!("the DHIS2 mapping file {}: {e}", path.display()))?;
    map.check_against(cat)
        .map_err(|e| anyhow::anyhow!("the DHIS2 mapping file {}: {e}", path.display()))?;
    Ok(map)
}

fn serve(
    db: DbArgs,
    listen: String,
    demo: bool,
    demo_children: usize,
    options: ServeOptions,
) -> Result<i32> {
    check_limits(
        options.max_image_megapixels,
        options.partner_matches,
        options.suppression_threshold,
    )?;
    if !(options.quick_exit_url.starts_with("https://")
        || options.quick_exit_url.starts_with("http://"))
    {
        anyhow::bail!("--quick-exit-url must be a web address starting with https://");
    }
    // A bad mapping file stops the start, before anything else: found
    // later, it would fail the ministry's monthly export instead.
    let catalogue = indicator_catalogue(options.indicator_catalogue.as_deref())?;
    let dhis2 = options
        .dhis2_mapping
        .as_deref()
        .map(|path| dhis2_mapping(path, &catalogue))
        .transpose()?;
    let peer_client = exchange::peer_client(options.exchange_ca_file.as_deref())?;
    let (store, keys) = open_store_and_keys(&db, Opening::MayBegin, None)?;
    // This node's exchange identity, made at the first start (and at the
    // first start of an installation older than the exchange).
    let node_key = exchange::node_key(&db, true)?;
    let seeded = if demo && store.is_empty()? {
        demo::load(&store, demo_children, now())?;
        true
    } else {
        false
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let backend_name = store.backend_name();
    // Built before entering the async runtime: the PostgreSQL driver blocks
    // on its own runtime, which must not run inside another one's thread.
    let store = Arc::new(store);
    let mut state = haven_web::AppState::new(store.clone())?;
    state.secure_cookies = options.secure_cookies;
    state.trust_proxy = options.trust_proxy;
    state.decode_limits.max_pixels = options.max_image_megapixels * 1_000_000;
    state.limits.partner_matches = options.partner_matches;
    if let Some(rule) = haven_domain::indicators::Rule::new(options.suppression_threshold) {
        state.limits.disclosure = rule;
    }
    state.retention = options.retention;
    if !options.hotline_categories.is_empty() {
        state.hotline_categories = options.hotline_categories;
    }
    state.quick_exit = options.quick_exit_url.as_str().into();
    state.node = Some(Arc::new(node_key));
    state.exchange_pull = (options.exchange_pull_seconds > 0)
        .then(|| std::time::Duration::from_secs(options.exchange_pull_seconds));
    state.audit_head_every = (options.audit_head_seconds > 0)
        .then(|| std::time::Duration::from_secs(options.audit_head_seconds));
    state.dhis2_mapping = dhis2.map(Arc::new);
    state.peer_client = peer_client;
    state.catalogue = Arc::new(catalogue);
    state.field_laptop = field::is_laptop(&db.data_dir);
    if state.field_laptop {
        state.field_link = Some(Arc::new(field::LaptopLink::new(
            &db.data_dir,
            store.clone(),
            keys,
        )));
        state.field_sync_every = (options.field_sync_seconds > 0)
            .then(|| std::time::Duration::from_secs(options.field_sync_seconds));
    }
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let addr = listener.local_addr()?;
        println!(
            "Haven is running at http://{addr}/ ({} database)\nThe public reporting page is http://{addr}/report (no sign-in)",
            backend_name
        );
        if demo {
            demo::print_credentials(seeded);
        }
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        haven_web::launch(state, listener, shutdown).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(0)
}
