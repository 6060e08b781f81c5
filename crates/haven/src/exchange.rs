//! `haven node`, `haven peer` and `haven exchange`: this node's identity,
//! the peers it trusts, and bundles as files or pulled over HTTP (issue 13).

use crate::{now, open_store, DbArgs, Opening};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use haven_domain::exchange::{NodeKey, MAX_BUNDLE_BYTES};
use haven_domain::Actor;
use haven_store::{ImportProgress, NewPeer, Store, StoreError};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum NodeCommand {
    /// Print this node's name, public key and fingerprint (give the public
    /// key to the administrators of the nodes that will trust this one).
    Show {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Replace this node's key (when it may have been copied, or by
    /// policy): the old key signs the new one, every peer learns it with
    /// its next bundle, and the old key is no longer accepted from then
    /// on. Stop `haven serve` first; it signs with the new key once
    /// started again.
    RotateKey {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
pub enum PeerCommand {
    /// Trust another node: what it may send us and what we publish to it.
    Add {
        /// Its name here (letters, digits, '-', '_', '.').
        name: String,
        /// Its public key, as `haven node show` prints it there (base64).
        #[arg(long)]
        key: String,
        /// Its address (http://host:port), to pull its feed.
        #[arg(long)]
        url: Option<String>,
        /// What it may send us: hashes,urls,alerts,stats,audit (signed heads of its audit log).
        #[arg(long, default_value = "")]
        may_send: String,
        /// What we publish to it: urls,alerts,stats,audit,hashlist:NAME,…
        #[arg(long, default_value = "")]
        publish: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the trusted peers.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a peer: nothing more is accepted from it or sent to it.
    Revoke {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Trust a revoked peer again.
    Restore {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
pub enum ExchangeCommand {
    /// Write a signed bundle for a peer (an air-gapped one) to a file.
    Export {
        /// The peer it is for.
        #[arg(long)]
        peer: String,
        /// The last sequence number the peer accepted from us (default:
        /// the end of the last bundle written for it).
        #[arg(long)]
        since: Option<i64>,
        /// The bundle file to write.
        file: PathBuf,
        /// The smallest count the public figures sent show (as for
        /// `haven serve`): counts from 1 to one less are hidden.
        #[arg(long, env = "HAVEN_SUPPRESSION_THRESHOLD", default_value_t = 5)]
        suppression_threshold: i64,
        /// The deployment's indicator catalogue (as for `haven serve`).
        #[arg(long, env = "HAVEN_INDICATOR_CATALOGUE")]
        indicator_catalogue: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Check and apply a bundle file from a peer: exit 0 when applied,
    /// 1 with the reason when refused (nothing is then applied).
    Import {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Pull a peer's feed over HTTPS now and apply it.
    Pull {
        /// The peer's name.
        peer: String,
        /// A certificate authority (PEM file) trusted for the peer's
        /// address besides the system's.
        #[arg(long, env = "HAVEN_EXCHANGE_CA_FILE")]
        exchange_ca_file: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// How this node reaches its peers, trusting `ca_file` (PEM) besides the
/// system's authorities; a file that cannot be read or is not a
/// certificate stops the command, naming it.
pub fn peer_client(ca_file: Option<&Path>) -> Result<haven_web::exchange::PeerClient> {
    let pem = ca_file
        .map(|p| {
            std::fs::read(p).with_context(|| {
                format!(
                    "cannot read the exchange certificate authority {}",
                    p.display()
                )
            })
        })
        .transpose()?;
    haven_web::exchange::PeerClient::new(pem.as_deref()).map_err(|e| match ca_file {
        Some(p) => anyhow::anyhow!("{}: {e}", p.display()),
        None => anyhow::anyhow!("{e}"),
    })
}

/// The node key file: beside the data key file (`haven.node-key`).
pub fn node_key_path(db: &DbArgs) -> PathBuf {
    db.key_file
        .clone()
        .unwrap_or_else(|| db.data_dir.join("haven.key"))
        .with_extension("node-key")
}

/// Reads this node's key; with `create`, makes one (0600) when missing.
pub fn node_key(db: &DbArgs, create: bool) -> Result<NodeKey> {
    let path = node_key_path(db);
    if !path.exists() {
        if !create {
            bail!(
                "{} is missing: this node has no exchange identity yet (`haven serve` makes one at start)",
                path.display()
            );
        }
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let key = NodeKey::from_seed(&seed);
        haven_store::files::write_private_new(&path, key.to_file_text().as_bytes())
            .with_context(|| format!("creating the node key file {}", path.display()))?;
        tracing::info!(
            fingerprint = key.fingerprint(),
            "made this node's exchange identity in {}",
            path.display()
        );
        return Ok(key);
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the node key file {}", path.display()))?;
    NodeKey::from_file_text(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

pub fn node(command: NodeCommand) -> Result<i32> {
    match command {
        NodeCommand::Show { db } => {
            let key = node_key(&db, false)?;
            println!("name:        {}", db.node_name);
            println!("public key:  {} (Ed25519, base64)", key.public_base64());
            println!("fingerprint: {}", key.fingerprint());
            Ok(0)
        }
        NodeCommand::RotateKey { db } => rotate_key(&db),
    }
}

/// The rotation, in an order that a crash at any step cannot leave
/// unusable: the new key is written beside the old one first, the
/// statement recorded next, then the new key replaces the old file. After
/// a crash between the last two steps, running this again finds the new
/// key waiting and the old one retired, and only moves the file.
fn rotate_key(db: &DbArgs) -> Result<i32> {
    let store = open_store(db, Opening::Existing)?;
    let path = node_key_path(db);
    let old = node_key(db, false)?;
    let pending = path.with_extension("node-key.new");
    let resumed = pending.exists();
    let new = if resumed {
        let text = std::fs::read_to_string(&pending)
            .with_context(|| format!("reading {}", pending.display()))?;
        NodeKey::from_file_text(&text).map_err(|e| anyhow::anyhow!("{}: {e}", pending.display()))?
    } else {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let new = NodeKey::from_seed(&seed);
        haven_store::files::write_private_new(&pending, new.to_file_text().as_bytes())
            .with_context(|| format!("writing the new node key {}", pending.display()))?;
        new
    };
    let statement = haven_domain::exchange::KeyRotationItem::sign(&old, &new, now());
    match store.record_key_rotation(&Actor::system(), &statement, now()) {
        Ok(()) => {}
        // Recorded before a crash: only the file move was left.
        Err(StoreError::Conflict(_)) if resumed => {}
        Err(e) => return Err(e.into()),
    }
    std::fs::rename(&pending, &path)
        .with_context(|| format!("moving {} to {}", pending.display(), path.display()))?;
    println!("retired:     {}", old.fingerprint());
    println!("public key:  {} (Ed25519, base64)", new.public_base64());
    println!("fingerprint: {}", new.fingerprint());
    println!("Every peer learns the new key with its next bundle from this node (pulled, or a file you export); restart haven serve to sign with it.");
    Ok(0)
}

pub fn peer(command: PeerCommand) -> Result<i32> {
    let sys = Actor::system();
    match command {
        PeerCommand::Add {
            name,
            key,
            url,
            may_send,
            publish,
            db,
        } => {
            let store = open_store(&db, Opening::Existing)?;
            let p = store
                .add_peer(
                    &sys,
                    &NewPeer {
                        name,
                        public_key: key,
                        url,
                        may_send,
                        publish,
                    },
                    now(),
                )
                .map_err(explain)?;
            eprintln!("added peer {} ({})", p.name, p.fingerprint);
            Ok(0)
        }
        PeerCommand::List { db } => {
            let store = open_store(&db, Opening::Existing)?;
            for p in store.list_peers(&sys, now())? {
                println!(
                    "{}\t{}\t{}\tmay send: {}\tpublished: {}\tlast sequence: {}{}",
                    p.name,
                    p.fingerprint,
                    p.url.as_deref().unwrap_or("(files only)"),
                    none_if_empty(&p.may_send),
                    none_if_empty(&p.publish),
                    p.last_seq,
                    if p.revoked { "\tREVOKED" } else { "" }
                );
            }
            Ok(0)
        }
        PeerCommand::Revoke { name, db } => revoke(&db, &name, true),
        PeerCommand::Restore { name, db } => revoke(&db, &name, false),
    }
}

fn revoke(db: &DbArgs, name: &str, revoked: bool) -> Result<i32> {
    let store = open_store(db, Opening::Existing)?;
    let p = store.set_peer_revoked(&Actor::system(), name, revoked, now())?;
    eprintln!(
        "peer {} {}",
        p.name,
        if revoked { "revoked" } else { "trusted again" }
    );
    Ok(0)
}

fn none_if_empty(v: &[String]) -> String {
    if v.is_empty() {
        "nothing".into()
    } else {
        v.join(",")
    }
}

/// A store error as a sentence for the command line.
fn explain(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Invalid(v) => anyhow::anyhow!("{}", v.summary()),
        other => other.into(),
    }
}

fn write_atomically(file: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = file.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, file).with_context(|| format!("writing {}", file.display()))?;
    Ok(())
}

pub fn exchange(command: ExchangeCommand) -> Result<i32> {
    let sys = Actor::system();
    match command {
        ExchangeCommand::Export {
            peer,
            since,
            file,
            suppression_threshold,
            indicator_catalogue,
            db,
        } => {
            let cat = crate::indicator_catalogue(indicator_catalogue.as_deref())?;
            let key = node_key(&db, false)?;
            let rule = haven_domain::indicators::Rule::new(suppression_threshold)
                .context("the suppression threshold must be from 2 to 100")?;
            let store = open_store(&db, Opening::Existing)?;
            // The public figures as they are now, so that the file carries
            // any that changed (to a peer this node publishes them to).
            let publishes_stats = store
                .list_peers(&sys, now())
                .map_err(explain)?
                .iter()
                .any(|p| p.name == peer && p.publish.iter().any(|x| x == "stats"));
            if publishes_stats {
                haven_web::exchange::publish_statistics(&store, &cat, rule, now())
                    .map_err(explain)?;
            }
            match store
                .export_bundle(&sys, &peer, since, None, &key, now())
                .map_err(explain)?
            {
                None => {
                    eprintln!("nothing new for {peer}: no bundle written");
                    Ok(0)
                }
                Some(b) => {
                    write_atomically(&file, &b.to_bytes()?)?;
                    eprintln!(
                        "{} written to {} ({} items)",
                        b.label(),
                        file.display(),
                        b.envelope().items.len()
                    );
                    Ok(0)
                }
            }
        }
        ExchangeCommand::Import { file, db } => {
            let key = node_key(&db, false)?;
            let store = open_store(&db, Opening::Existing)?;
            let mut bytes = Vec::new();
            std::fs::File::open(&file)
                .with_context(|| format!("opening {}", file.display()))?
                .take(MAX_BUNDLE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
                .with_context(|| format!("reading {}", file.display()))?;
            match store.import_bundle_with_progress(
                &sys,
                &bytes,
                &key.fingerprint(),
                now(),
                &mut print_progress,
            ) {
                Ok(s) => {
                    print_summary(&s);
                    Ok(0)
                }
                Err(StoreError::Refused(why)) => {
                    eprintln!("haven: refused: {why}");
                    Ok(1)
                }
                Err(e) => Err(explain(e)),
            }
        }
        ExchangeCommand::Pull {
            peer,
            exchange_ca_file,
            db,
        } => {
            let client = peer_client(exchange_ca_file.as_deref())?;
            let key = node_key(&db, false)?;
            let store = open_store(&db, Opening::Existing)?;
            match haven_web::exchange::pull(&store, &key, &client, &peer, now()) {
                Ok(haven_web::exchange::Pulled::UpToDate) => {
                    println!("{peer} had nothing new");
                    Ok(0)
                }
                Ok(haven_web::exchange::Pulled::Applied(s)) => {
                    print_summary(&s);
                    Ok(0)
                }
                Err(haven_web::exchange::PullError::Store(StoreError::Refused(why))) => {
                    eprintln!("haven: refused: {why}");
                    Ok(1)
                }
                Err(e) => {
                    eprintln!("haven: {e}");
                    Ok(1)
                }
            }
        }
    }
}

/// An import's progress on standard error, a line at each step: a large
/// bundle takes a while, and the person waiting sees where it is.
fn print_progress(p: &ImportProgress) {
    match p {
        ImportProgress::Applying {
            bundle,
            items,
            read,
            check,
        } => eprintln!(
            "{bundle}: read in {:.2} s, checked in {:.2} s; applying {items} items",
            read.as_secs_f64(),
            check.as_secs_f64()
        ),
        ImportProgress::Applied { done, items } => {
            eprintln!("{done} of {items} items applied")
        }
        ImportProgress::Committing { apply } => eprintln!(
            "all items applied in {:.2} s; committing",
            apply.as_secs_f64()
        ),
    }
}

fn print_summary(s: &haven_store::ImportSummary) {
    println!("{} applied", s.bundle);
    println!(
        "hash entries: {} listed, {} removed, {} left disabled here",
        s.hashes_added, s.hashes_removed, s.kept_disabled
    );
    println!(
        "URLs: {} listed, {} taken off, {} already listed here",
        s.urls_added, s.urls_removed, s.urls_already_listed
    );
    println!(
        "travelling-offender alerts: {} received, {} withdrawn",
        s.alerts_added, s.alerts_withdrawn
    );
    println!("published figures: {} received", s.statistics_received);
    if let Some(seq) = s.audit_head {
        println!("audit log: {} signed that it reached entry {seq}", s.peer);
    }
    if let Some(fp) = &s.new_key {
        println!(
            "{} rotated its key: trusted now as {fp}; bundles signed by its old key are refused",
            s.peer
        );
    }
}
