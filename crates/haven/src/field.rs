//! Offline field work, the laptop's side (issue 16). `haven field init`
//! enrols this laptop with a Haven server as its user and takes their
//! caseload into a folder of its own: the server's places, the user (to
//! sign in offline with the same password) and the children of their area
//! as the server holds them. The folder's key is sealed with the user's
//! password, so the folder alone reveals no name.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use haven_domain::field_ops::{record_kind, OfflineAssessment, ASSESSMENT_RECORD};
use haven_domain::field_ops::{Outcome, MAX_AUDIT_ENTRIES, MAX_OPERATIONS};
use haven_domain::{Actor, Location, Role};
use haven_store::crypto::{hex, Keyring};
use haven_store::stop_points::stop_point;
use haven_store::{Checkout, NewUser, SqlStore, Store};
use haven_web::field_link::{FieldLink, SyncFailure, SyncSummary};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Subcommand)]
pub enum FieldCommand {
    /// Enrol this laptop with a Haven server and take your caseload into
    /// a new folder (your password on standard input).
    Init(InitArgs),
    /// Send the changes made on this laptop and take what changed on the
    /// server (your password on standard input).
    Sync(SyncArgs),
    /// List the changes the server refused, kept here to redo or discard
    /// (your password on standard input).
    Refused(SyncArgs),
    /// Forget a refused change, once redone another way or not wanted
    /// (your password on standard input).
    Discard {
        /// The change's number, as `haven field refused` lists it.
        n: u64,
        #[command(flatten)]
        folder: SyncArgs,
    },
}

/// A field laptop's key file, sealed with its user's password.
pub const SEALED_KEY_FILE: &str = "haven.key.sealed";
/// What a field laptop keeps of its enrolment.
const STATE_FILE: &str = "field.json";

/// Whether `dir` is a field laptop's folder.
pub fn is_laptop(dir: &Path) -> bool {
    dir.join(STATE_FILE).exists()
}

#[derive(Args)]
pub struct InitArgs {
    /// The server's address: https://…, or http:// on this machine only.
    #[arg(long)]
    server: String,
    /// Your user name on the server.
    #[arg(long)]
    user: String,
    /// What you call this laptop ("Amina's laptop").
    #[arg(long, default_value = "Field laptop")]
    label: String,
    /// The code of your authenticator app, if your account signs in with one.
    #[arg(long)]
    code: Option<String>,
    /// The laptop's folder: new, or empty.
    #[arg(long, env = "HAVEN_DATA_DIR", default_value = "./haven-data")]
    data_dir: PathBuf,
}

/// What the laptop keeps of its enrolment (DATA_DIR/field.json). The
/// credential is sealed with the folder's key.
#[derive(Serialize, Deserialize)]
struct FieldState {
    server: String,
    laptop: String,
    user: String,
    credential_sealed: String,
    /// The `at` of the last checkout: the next asks for what changed since.
    checked_out_at: i64,
    /// The laptop's operations the server has applied.
    acknowledged: u64,
    /// The last entry of the laptop's audit log the server has taken.
    #[serde(default)]
    audit_sent: i64,
}

#[derive(Deserialize)]
struct Enrolment {
    laptop: Laptop,
    token: String,
    user: EnrolledUser,
    locations: Vec<Location>,
}

#[derive(Deserialize)]
struct Laptop {
    id: String,
}

#[derive(Deserialize)]
struct EnrolledUser {
    name: String,
    role: String,
    location: Option<String>,
    agency: Option<String>,
}

pub fn field(command: FieldCommand) -> Result<i32> {
    match command {
        FieldCommand::Init(a) => init(a),
        FieldCommand::Sync(a) => sync(a),
        FieldCommand::Refused(a) => refused(a),
        FieldCommand::Discard { n, folder } => discard(n, folder),
    }
}

fn init(a: InitArgs) -> Result<i32> {
    let server = a.server.trim().trim_end_matches('/').to_string();
    let local = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"];
    if !server.starts_with("https://") && !local.iter().any(|p| server.starts_with(p)) {
        bail!("the server's address must begin https:// (plain http:// only to a server on this machine)");
    }
    let db_path = a.data_dir.join("haven.db");
    let key_path = a.data_dir.join(SEALED_KEY_FILE);
    for taken in [&db_path, &key_path, &a.data_dir.join("haven.key")] {
        if taken.exists() {
            bail!(
                "{} already holds Haven data: give a new folder with --data-dir",
                a.data_dir.display()
            );
        }
    }
    let password = read_password()?;
    let client = crate::exchange::peer_client(None)?;
    let agent = client.agent();
    let enrolled: Enrolment = call(
        agent.post(&format!("{server}/api/v1/field/enrolments")),
        Some(json!({"name": a.user, "password": password, "code": a.code, "label": a.label})),
    )
    .context("enrolling this laptop")?;
    let checkout: Checkout = call(
        agent
            .get(&format!(
                "{server}/api/v1/field/laptops/{}/checkout",
                enrolled.laptop.id
            ))
            .set("Authorization", &format!("Bearer {}", enrolled.token)),
        None,
    )
    .context("taking the caseload")?;
    let made = make_folder(&a.data_dir, &password, &enrolled, &checkout).with_context(|| {
        format!(
            "the laptop was enrolled ({}) but its folder {} could not be made: ask an administrator to revoke it, then enrol again",
            enrolled.laptop.id,
            a.data_dir.display()
        )
    })?;
    let state = FieldState {
        server,
        laptop: enrolled.laptop.id.clone(),
        user: enrolled.user.name.clone(),
        credential_sealed: hex(&made.seal("field_credential", &enrolled.token)?),
        checked_out_at: checkout.at,
        acknowledged: checkout.acknowledged,
        audit_sent: 0,
    };
    save_state(&a.data_dir.join(STATE_FILE), &state)?;
    println!(
        "enrolled laptop {} for {}: {} children of their area are in {}, whose key opens only with the password",
        enrolled.laptop.id,
        enrolled.user.name,
        checkout.children.len(),
        a.data_dir.display()
    );
    Ok(0)
}

/// The laptop's folder: a Haven store with a key sealed with the password,
/// the server's places, the user and their children. Returns the keys.
fn make_folder(
    dir: &Path,
    password: &str,
    enrolled: &Enrolment,
    checkout: &Checkout,
) -> Result<Keyring> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let keys = Keyring::create_sealed(&dir.join(SEALED_KEY_FILE), password)?;
    let now = crate::now();
    let store = open_laptop_store(dir, keys.clone())?;
    let sys = Actor::system();
    // Parents first: the country, then its regions, then their districts.
    let mut placed: Vec<String> = Vec::new();
    let mut left: Vec<&Location> = enrolled.locations.iter().collect();
    while !left.is_empty() {
        let before = left.len();
        let (ready, rest): (Vec<&Location>, Vec<&Location>) = left
            .into_iter()
            .partition(|l| l.parent.as_ref().is_none_or(|p| placed.contains(p)));
        for l in ready {
            store.create_location(&sys, l, now)?;
            placed.push(l.code.clone());
        }
        left = rest;
        if left.len() == before {
            bail!("the server's places do not form a tree");
        }
    }
    let role = Role::parse(&enrolled.user.role)
        .with_context(|| format!("the server named an unknown role {:?}", enrolled.user.role))?;
    store.create_user(
        &sys,
        &NewUser {
            name: enrolled.user.name.clone(),
            role,
            location: enrolled.user.location.clone(),
            agency: enrolled.user.agency.clone(),
            password_hash: Some(haven_store::password::hash_password(password)?),
        },
        now,
    )?;
    store.receive_checkout(&sys, checkout, now)?;
    store.receive_cases(&sys, checkout, now)?;
    Ok(keys)
}

/// The password: the first line of standard input.
pub fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("give your password on standard input");
    }
    Ok(password)
}

/// A request the server answered with an error.
#[derive(Debug)]
struct Refused {
    code: u16,
    message: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the server refused ({}): {}", self.code, self.message)
    }
}

impl std::error::Error for Refused {}

/// Whether this laptop compresses its sync (gzip, both ways): yes unless
/// `HAVEN_FIELD_COMPRESSION=off`, for a proxy on the way that mangles
/// compressed bodies, and for `bench/sync` to measure plain JSON beside.
fn compressing() -> bool {
    !std::env::var("HAVEN_FIELD_COMPRESSION").is_ok_and(|v| v == "off")
}

/// Most bytes an answer may open into (a checkout of a whole region).
const MAX_ANSWER: u64 = 1024 * 1024 * 1024;

/// Sends a request (with a JSON body, if given) and reads the JSON answer;
/// a refusal is the server's own message.
fn call<T: serde::de::DeserializeOwned>(
    request: ureq::Request,
    body: Option<serde_json::Value>,
) -> Result<T> {
    let gzip = compressing();
    let request = if gzip {
        request.set("Accept-Encoding", "gzip")
    } else {
        request
    };
    let sent = match body {
        Some(b) if gzip => {
            let mut packed =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            std::io::Write::write_all(&mut packed, b.to_string().as_bytes())?;
            request
                .set("Content-Type", "application/json")
                .set("Content-Encoding", "gzip")
                .send_bytes(&packed.finish()?)
        }
        Some(b) => request
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => request.call(),
    };
    match sent {
        Ok(answer) => Ok(serde_json::from_slice(&answer_bytes(answer)?)
            .context("the server's answer is not what Haven sends")?),
        Err(ureq::Error::Status(code, answer)) => {
            let text =
                String::from_utf8_lossy(&answer_bytes(answer).unwrap_or_default()).to_string();
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
                .unwrap_or(text);
            Err(Refused { code, message }.into())
        }
        Err(e) => bail!("the server could not be reached: {e}"),
    }
}

/// An answer's body, opened if it came compressed.
fn answer_bytes(answer: ureq::Response) -> Result<Vec<u8>> {
    let gzip = answer
        .header("Content-Encoding")
        .is_some_and(|e| e.eq_ignore_ascii_case("gzip"));
    let mut bytes = Vec::new();
    let mut reader = answer.into_reader().take(MAX_ANSWER);
    if gzip {
        flate2::read::GzDecoder::new(reader)
            .take(MAX_ANSWER)
            .read_to_end(&mut bytes)?;
    } else {
        reader.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// The laptop's store, opened with its unsealed keys; changes to children
/// are kept as operations for the next sync.
fn open_laptop_store(dir: &Path, keys: Keyring) -> Result<SqlStore> {
    let now = crate::now();
    let backend = haven_store_sqlite::SqliteBackend::open(&dir.join("haven.db"), now)?;
    let store = SqlStore::new(Box::new(backend), keys)
        .with_audit_head(&dir.join("haven.audit-head"))?
        .opened(now)?
        .with_field_outbox();
    store.start_audit_head(now)?;
    Ok(store)
}

/// Writes field.json (owner-only), replacing it whole.
fn save_state(path: &Path, state: &FieldState) -> Result<()> {
    let tmp = path.with_extension("json.new");
    let _ = std::fs::remove_file(&tmp);
    haven_store::files::write_private_new(&tmp, serde_json::to_string_pretty(state)?.as_bytes())
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn unhex(s: &str) -> Result<Vec<u8>> {
    haven_store::crypto::unhex(s)
        .ok_or_else(|| anyhow::anyhow!("field.json is damaged: the credential is not hexadecimal"))
}

#[derive(Args)]
pub struct SyncArgs {
    /// The laptop's folder, made by `haven field init`.
    #[arg(long, env = "HAVEN_DATA_DIR", default_value = "./haven-data")]
    data_dir: PathBuf,
}

#[derive(Deserialize)]
struct AuditAnswer {
    acknowledged: i64,
}

#[derive(Deserialize)]
struct SyncAnswer {
    acknowledged: u64,
    results: Vec<haven_domain::field_ops::OperationResult>,
}

/// The laptop's store, opened with the password on standard input.
/// Also the keys, which open what the folder keeps sealed beside the
/// database (the laptop's credential).
fn unlock(a: &SyncArgs) -> Result<(SqlStore, Keyring)> {
    if !is_laptop(&a.data_dir) {
        bail!(
            "{} is not a field laptop's folder (no {STATE_FILE}): begin with `haven field init`",
            a.data_dir.display()
        );
    }
    let keys = Keyring::load_sealed(&a.data_dir.join(SEALED_KEY_FILE), &read_password()?)?;
    Ok((open_laptop_store(&a.data_dir, keys.clone())?, keys))
}

/// Lists the refused changes: number, child, fields and the reason.
fn refused(a: SyncArgs) -> Result<i32> {
    let (store, _) = unlock(&a)?;
    let refused = store.refused_operations(&Actor::system())?;
    if refused.is_empty() {
        println!("no refused changes");
    }
    for r in refused {
        let op = &r.operation;
        // An assessment by its answers' count: its parts are JSON.
        let what = match OfflineAssessment::from_changes(&op.changes) {
            Ok(a) if op.kind == ASSESSMENT_RECORD => {
                format!("assessment with {} answers", a.answers.len())
            }
            _ => op
                .changes
                .iter()
                .map(|c| format!("{} → {}", c.field, c.value.as_deref().unwrap_or("(none)")))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let record = record_kind(&op.kind);
        println!("{}\t{record} {}\t{what}\t{}", op.n, op.record, r.reason);
    }
    Ok(0)
}

/// Forgets one refused change.
fn discard(n: u64, a: SyncArgs) -> Result<i32> {
    let (store, _) = unlock(&a)?;
    store.discard_refused(&Actor::system(), n, crate::now())?;
    println!("refused change {n} discarded");
    Ok(0)
}

/// Sends the changes made offline, then takes what changed on the server.
fn sync(a: SyncArgs) -> Result<i32> {
    let (store, keys) = unlock(&a)?;
    let synced = sync_folder(
        &a.data_dir,
        &store,
        &keys,
        &mut |line| println!("{line}"),
        Wait::No,
    );
    if synced
        .as_ref()
        .err()
        .is_some_and(|e| e.downcast_ref::<Revoked>().is_some())
    {
        // Closed first, so that nothing is written back into the folder.
        drop(store);
        wipe(&a.data_dir)?;
    }
    let s = synced?;
    println!(
        "sent {} changes: {} applied, {} kept as conflicts, {} refused; received {} children, removed {} no longer in the area; received {} cases, removed {} closed or handed on",
        s.applied + s.conflicts + s.refused,
        s.applied,
        s.conflicts,
        s.refused,
        s.received,
        s.removed,
        s.cases_received,
        s.cases_removed
    );
    Ok(0)
}

/// Whether a sync waits for another sync of the same folder to end.
#[derive(Clone, Copy)]
enum Wait {
    /// The laptop's server: its page and its automatic sync wait.
    Yes,
    /// `haven field sync`: says so at once.
    No,
}

/// The file a sync holds locked.
const LOCK_FILE: &str = "field.lock";

/// A sync of the folder at `dir`, whose store is open with `keys`; for
/// `haven field sync` and for the laptop's own page. A revoked laptop's
/// folder is destroyed and the answer says so ([`Revoked`]).
fn sync_folder(
    dir: &Path,
    store: &dyn Store,
    keys: &Keyring,
    say: &mut dyn FnMut(String),
    wait: Wait,
) -> Result<SyncSummary> {
    // One sync of a folder at a time, across processes (the laptop's
    // automatic sync and `haven field sync` at once): two would each
    // write the enrolment file, the later one setting back what the other
    // recorded, and send everything again.
    let lock_path = dir.join(LOCK_FILE);
    haven_store::files::ensure_private_file(&lock_path)
        .with_context(|| format!("creating {}", lock_path.display()))?;
    let lock = std::fs::File::open(&lock_path)
        .with_context(|| format!("opening {}", lock_path.display()))?;
    match wait {
        Wait::Yes => lock.lock()?,
        Wait::No => match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "another sync of this laptop is running (its automatic sync, or another `haven field sync`): try again when it has finished"
            ),
            Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
        },
    }
    let mut state: FieldState =
        serde_json::from_str(&std::fs::read_to_string(dir.join(STATE_FILE))?)
            .with_context(|| format!("{STATE_FILE} is damaged"))?;
    let credential = keys.open("field_credential", &unhex(&state.credential_sealed)?)?;
    match exchange_changes(dir, store, &mut state, &credential, say) {
        Err(e) if e.downcast_ref::<Refused>().is_some_and(|r| r.code == 403) => {
            // Revoked (or its user may no longer hold children's records):
            // what the laptop holds must not be opened again.
            wipe(dir)?;
            Err(anyhow::Error::new(Revoked).context(format!(
                "{e:#}\nThis laptop's folder {} was destroyed: nothing on it can be opened. Enrol again with `haven field init` if the laptop may still be used",
                dir.display()
            )))
        }
        other => other,
    }
}

/// The server revoked the laptop; its folder was destroyed.
#[derive(Debug)]
struct Revoked;

impl std::fmt::Display for Revoked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("this laptop was revoked")
    }
}

impl std::error::Error for Revoked {}

/// The link `haven serve` gives a laptop's own pages: its sync, one at a
/// time, on the store it serves.
pub struct LaptopLink {
    dir: PathBuf,
    store: Arc<SqlStore>,
    keys: Keyring,
    one_at_a_time: Mutex<()>,
    destroyed: AtomicBool,
}

impl LaptopLink {
    /// The link of the folder at `dir`, whose store is open with `keys`.
    pub fn new(dir: &Path, store: Arc<SqlStore>, keys: Keyring) -> LaptopLink {
        LaptopLink {
            dir: dir.to_path_buf(),
            store,
            keys,
            one_at_a_time: Mutex::new(()),
            destroyed: AtomicBool::new(false),
        }
    }

    fn state(&self) -> Option<FieldState> {
        serde_json::from_str(&std::fs::read_to_string(self.dir.join(STATE_FILE)).ok()?).ok()
    }
}

impl FieldLink for LaptopLink {
    fn server(&self) -> String {
        self.state().map(|s| s.server).unwrap_or_default()
    }

    fn last_sync_at(&self) -> Option<i64> {
        self.state().map(|s| s.checked_out_at).filter(|&t| t > 0)
    }

    fn destroyed(&self) -> bool {
        self.destroyed.load(Ordering::SeqCst)
    }

    fn sync(&self) -> Result<SyncSummary, SyncFailure> {
        let Ok(_turn) = self.one_at_a_time.lock() else {
            return Err(SyncFailure::Unreachable(
                "an earlier sync failed badly".into(),
            ));
        };
        if self.destroyed() {
            return Err(SyncFailure::Revoked);
        }
        let store: &dyn Store = self.store.as_ref();
        match sync_folder(
            &self.dir,
            store,
            &self.keys,
            &mut |line| tracing::info!("{line}"),
            Wait::Yes,
        ) {
            Ok(s) => Ok(s),
            Err(e) if e.downcast_ref::<Revoked>().is_some() => {
                self.destroyed.store(true, Ordering::SeqCst);
                tracing::warn!("{e:#}");
                Err(SyncFailure::Revoked)
            }
            Err(e) => Err(SyncFailure::Unreachable(format!("{e:#}"))),
        }
    }
}

/// Removes a revoked laptop's data: its key, its database and its record
/// of the enrolment.
fn wipe(dir: &Path) -> Result<()> {
    for name in [
        SEALED_KEY_FILE,
        "haven.db",
        "haven.db-wal",
        "haven.db-shm",
        "haven.audit-head",
        STATE_FILE,
        LOCK_FILE,
    ] {
        match std::fs::remove_file(dir.join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", dir.join(name).display()))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The sync itself: operations out, then what changed on the server in.
fn exchange_changes(
    dir: &Path,
    store: &dyn Store,
    state: &mut FieldState,
    credential: &str,
    say: &mut dyn FnMut(String),
) -> Result<SyncSummary> {
    let state_path = dir.join(STATE_FILE);
    let sys = Actor::system();
    let client = crate::exchange::peer_client(None)?;
    let agent = client.agent();
    let bearer = format!("Bearer {credential}");
    let server = state.server.clone();
    let laptop = state.laptop.clone();
    let (mut applied, mut conflicts, mut refused) = (0, 0, 0);
    let mut summary = SyncSummary::default();
    // Twice at most: work that waited for a held registration goes back
    // into the outbox once the checkout shows it decided, and is sent in
    // the same sync.
    for round in 0..2 {
        // The operations, up to 500 a request; each answer says how far the
        // server got, so an interrupted sync resumes where it stopped.
        loop {
            let (ops, pending) = store.field_outbox(&sys, state.acknowledged, MAX_OPERATIONS)?;
            if ops.is_empty() {
                break;
            }
            let answer: SyncAnswer = call(
                agent
                    .post(&format!("{server}/api/v1/field/laptops/{laptop}/sync"))
                    .set("Authorization", &bearer),
                Some(json!({"operations": ops, "pending": pending})),
            )
            .context("sending the changes made offline")?;
            stop_point("laptop.answered");
            for r in &answer.results {
                match r.outcome {
                    Outcome::Applied => applied += 1,
                    Outcome::Conflict if r.conflicts == ["registration"] => {
                        conflicts += 1;
                        say(format!(
                        "change {}: the child registered here may be one the server already holds; held there for a person to decide",
                        r.n
                    ));
                    }
                    Outcome::Conflict => {
                        conflicts += 1;
                        say(format!(
                        "change {} kept on the server for a person to choose: someone else changed {} meanwhile",
                        r.n,
                        r.conflicts.join(", ")
                    ));
                    }
                    Outcome::Refused => {
                        refused += 1;
                        say(format!(
                            "change {} refused: {} (kept on this laptop to redo or discard)",
                            r.n,
                            r.reason.as_deref().unwrap_or("no reason given")
                        ));
                    }
                }
            }
            store.field_outbox_answered(&sys, answer.acknowledged, &answer.results)?;
            stop_point("laptop.answers_recorded");
            let moved = answer.acknowledged > state.acknowledged;
            state.acknowledged = answer.acknowledged;
            save_state(&state_path, state)?;
            if !moved {
                break;
            }
        }
        let checkout: Checkout = call(
            agent
                .get(&format!(
                    "{server}/api/v1/field/laptops/{laptop}/checkout?since={}",
                    state.checked_out_at
                ))
                .set("Authorization", &bearer),
            None,
        )
        .context("taking what changed on the server")?;
        let (received, removed) = store.receive_checkout(&sys, &checkout, crate::now())?;
        let (cases_received, cases_removed) = store.receive_cases(&sys, &checkout, crate::now())?;
        stop_point("laptop.checkout_received");
        state.checked_out_at = checkout.at;
        save_state(&state_path, state)?;
        summary.received += received as u64;
        summary.removed += removed as u64;
        summary.cases_received += cases_received as u64;
        summary.cases_removed += cases_removed as u64;
        let again = store.requeue_held(&sys, &checkout.held_registrations, crate::now())?;
        if again == 0 || round == 1 {
            break;
        }
        say(format!(
        "{again} changes that waited for a registration a person has now decided are sent again"
    ));
    }
    // Last, the laptop's audit log (the checkout's own entries with it):
    // what was read and changed offline is accounted for on the server.
    loop {
        let entries = store.laptop_audit(&sys, state.audit_sent, MAX_AUDIT_ENTRIES)?;
        if entries.is_empty() {
            break;
        }
        let answer: AuditAnswer = call(
            agent
                .post(&format!("{server}/api/v1/field/laptops/{laptop}/audit"))
                .set("Authorization", &bearer),
            Some(json!({ "entries": entries })),
        )
        .context("sending this laptop's audit log")?;
        stop_point("laptop.audit_answered");
        let moved = answer.acknowledged > state.audit_sent;
        state.audit_sent = answer.acknowledged;
        save_state(&state_path, state)?;
        if !moved {
            break;
        }
    }
    Ok(SyncSummary {
        applied,
        conflicts,
        refused,
        ..summary
    })
}
