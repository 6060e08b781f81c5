//! Haven's storage: the [`Store`] trait every part of the server talks to,
//! field encryption, the hash-chained audit log, and the SQL that both
//! backends (SQLite and PostgreSQL) run.
//!
//! Design choices:
//! - **One implementation of the rules, two dialects.** [`SqlStore`] holds all
//!   queries, written once; a [`sql::Backend`] only supplies connections,
//!   transactions and its own migrations. Both backends therefore enforce
//!   scope and audit identically, and one [`conformance`] suite checks both.
//! - **Scope inside the query.** Every query for children carries the
//!   caller's location-subtree and agency conditions, so records outside the
//!   scope are never read, counted or listed.
//! - **Audit in the same transaction.** A read or change of a child's record
//!   and its audit entry commit together, or neither does.
//! - **Synchronous.** Calls block; the web server runs them on its blocking
//!   pool. This keeps both drivers simple and the trait object-safe.
#![deny(missing_docs)]

pub mod administration;
pub mod assessments;
pub mod attempts;
pub mod audit;
pub mod audit_head;
pub mod casework;
pub mod conformance;
pub mod crypto;
mod error;
pub mod exchange;
pub mod field;
pub mod files;
pub mod indicators;
pub mod lists;
pub mod logframes;
pub mod password;
pub mod readiness;
pub mod reports;
pub mod sql;
mod sql_store;
pub mod stop_points;

pub use audit::{AuditEntry, AuditProblem};
pub use crypto::Keyring;
pub use error::{StoreError, StoreResult};
pub use exchange::{Alert, ImportProgress, ImportSummary, NewPeer, Peer, ReceivedStatistic};
pub use field::{
    CheckedOutAssessment, CheckedOutCase, CheckedOutHousehold, Checkout, FieldConflict, FieldNode,
    Keep, SyncAnswer,
};
pub use lists::{HashEntry, HashImport, HashList, Origin, UrlEntry, UrlListChanges};
pub use sql_store::RefusedOperation;
pub use sql_store::{PurgeReport, SqlStore};

use haven_domain::{
    Actor, Caregiver, Child, ChildFilter, ChildPatch, Household, Institution, Location,
    NewCaregiver, NewChild, NewHousehold, Role,
};
use serde::Serialize;
use std::path::Path;

/// One page of a list, with the cursor for the next page.
#[derive(Clone, Debug, Serialize)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Opaque cursor for the next page, `None` at the end.
    pub next: Option<String>,
}

/// Another record that may be the same child, and why.
#[derive(Clone, Debug, Serialize)]
pub struct PossibleDuplicate {
    /// The other child.
    pub child: Child,
    /// Name similarity 0..1.
    pub score: f64,
    /// Reasons, in words a caseworker can check.
    pub reasons: Vec<String>,
}

/// A user account as shown to administrators (never the password hash).
#[derive(Clone, Debug, Serialize)]
pub struct UserInfo {
    /// Identifier.
    pub id: String,
    /// Sign-in name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Location code the user is limited to.
    pub location: Option<String>,
    /// Agency the user is limited to.
    pub agency: Option<String>,
    /// Whether the account is disabled (no sign-in, no session, no token).
    #[serde(default)]
    pub disabled: bool,
    /// The language they read Haven in, if they chose one.
    #[serde(default)]
    pub language: Option<String>,
}

/// A new user.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Sign-in name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Location code limiting the user's scope.
    pub location: Option<String>,
    /// Agency limiting the user's scope.
    pub agency: Option<String>,
    /// Argon2id hash of the password, if the user signs in with one.
    pub password_hash: Option<String>,
}

/// A signed-in browser session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The secret sent as a cookie (stored only hashed).
    pub token: String,
    /// The anti-forgery token every form of this session carries.
    pub csrf: String,
    /// Who is signed in.
    pub actor: Actor,
    /// The language this person chose to read Haven in, if any.
    pub language: Option<String>,
    /// How colleagues reach this person, if they gave it.
    pub contact: Option<String>,
    /// What the session still owes before it may be used (only
    /// `pending_session` ever returns one that owes something).
    pub second_factor: SecondFactorStep,
}

/// What a signed-in session still owes of the second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactorStep {
    /// Nothing: the session may be used.
    None,
    /// The code from the person's app (or a recovery code).
    Code,
    /// Their role requires a second factor and they have none: enrolment.
    Enrol,
}

impl SecondFactorStep {
    /// As stored in `sessions.second_factor_pending`.
    pub fn code(self) -> i64 {
        match self {
            SecondFactorStep::None => 0,
            SecondFactorStep::Code => 1,
            SecondFactorStep::Enrol => 2,
        }
    }
}

/// Where a person stands with the second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecondFactorStatus {
    /// They have set it up.
    pub enrolled: bool,
    /// Recovery codes not yet used.
    pub recovery_codes_left: u32,
    /// Their role requires it.
    pub required: bool,
}

/// A second factor being set up: what the app needs, shown once.
#[derive(Clone, Debug)]
pub struct SecondFactorEnrolment {
    /// The secret as typed into an app (base32).
    pub secret_text: String,
    /// The `otpauth://` address the QR code carries.
    pub otpauth_uri: String,
}

/// Counts for a dashboard, within the caller's scope.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ChildCounts {
    /// All children in scope.
    pub total: i64,
    /// Without birth registration.
    pub not_registered: i64,
    /// Not in school.
    pub not_in_school: i64,
    /// In child labour or domestic work.
    pub child_labour: i64,
    /// Living on the street, unaccompanied or in a child-headed household.
    pub without_parental_care: i64,
    /// Registered in the last 30 days.
    pub registered_last_30_days: i64,
}

/// Everything Haven keeps. Implemented by [`SqlStore`] over SQLite or PostgreSQL.
pub trait Store: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend_name(&self) -> &'static str;
    /// Whether the database has no locations yet (a fresh install).
    fn is_empty(&self) -> StoreResult<bool>;

    /// Adds a location under an existing parent (admins only).
    fn create_location(
        &self,
        actor: &Actor,
        location: &Location,
        now: i64,
    ) -> StoreResult<Location>;
    /// All locations, country first.
    fn list_locations(&self, actor: &Actor) -> StoreResult<Vec<Location>>;

    /// Creates a user (admins only; the system actor for the CLI).
    fn create_user(&self, actor: &Actor, user: &NewUser, now: i64) -> StoreResult<UserInfo>;
    /// All users (admins only).
    fn list_users(&self, actor: &Actor, now: i64) -> StoreResult<Vec<UserInfo>>;
    /// Issues a new API token for a user; only its hash is kept.
    fn create_api_token(&self, actor: &Actor, user_name: &str, now: i64) -> StoreResult<String>;
    /// The actor an API token stands for.
    fn actor_for_token(&self, token: &str) -> StoreResult<Actor>;
    /// Checks a password and opens a session; every attempt is audited.
    fn sign_in(&self, name: &str, password: &str, now: i64) -> StoreResult<Session>;
    /// The actor and CSRF token of a live session.
    fn session(&self, token: &str, now: i64) -> StoreResult<Session>;
    /// Ends a session.
    fn sign_out(&self, token: &str, now: i64) -> StoreResult<()>;
    /// A session that may still owe its second factor (for the pages that
    /// take the code or the enrolment, and nothing else).
    fn pending_session(&self, token: &str, now: i64) -> StoreResult<Session>;
    /// The second factor's state for the caller.
    fn second_factor_status(&self, actor: &Actor) -> StoreResult<SecondFactorStatus>;
    /// Starts setting up an authenticator app (replacing an unfinished one).
    fn begin_second_factor(&self, actor: &Actor, now: i64) -> StoreResult<SecondFactorEnrolment>;
    /// The caller's unfinished set-up, to show again (their own only).
    fn unfinished_second_factor(&self, actor: &Actor)
        -> StoreResult<Option<SecondFactorEnrolment>>;
    /// The roles that must use a second factor.
    fn second_factor_roles(&self) -> StoreResult<Vec<Role>>;
    /// Finishes setting it up with a code from the app; returns the
    /// recovery codes, shown once and stored only hashed.
    fn confirm_second_factor(
        &self,
        actor: &Actor,
        code: &str,
        now: i64,
    ) -> StoreResult<Vec<String>>;
    /// Takes the code (or a recovery code) a signed-in session owes; the
    /// session is complete afterwards. Wrong codes are audited.
    fn complete_second_factor(&self, token: &str, code: &str, now: i64) -> StoreResult<Session>;
    /// Removes a person's second factor: their own, or anyone's by an administrator.
    fn remove_second_factor(&self, actor: &Actor, user_name: &str, now: i64) -> StoreResult<()>;
    /// Makes the second factor required (or not) for everyone in a role (administrators only).
    fn require_second_factor(
        &self,
        actor: &Actor,
        role: Role,
        required: bool,
        now: i64,
    ) -> StoreResult<()>;
    /// Sets the language the caller reads Haven in (a two- or three-letter
    /// code; `None` follows the browser). Audited.
    fn set_language(&self, actor: &Actor, language: Option<&str>, now: i64) -> StoreResult<()>;
    /// Sets how colleagues reach the caller (a phone or an address; `None`
    /// removes it), shown to agencies receiving their referrals. Audited.
    fn set_contact(&self, actor: &Actor, contact: Option<&str>, now: i64) -> StoreResult<()>;

    /// Registers a child; returns them and any possible duplicates in scope.
    fn create_child(
        &self,
        actor: &Actor,
        child: &NewChild,
        now: i64,
    ) -> StoreResult<(Child, Vec<PossibleDuplicate>)>;
    /// Registers a household with its caregivers and children at once.
    fn register_family(
        &self,
        actor: &Actor,
        household: &NewHousehold,
        children: &[NewChild],
        now: i64,
    ) -> StoreResult<(Household, Vec<Child>)>;
    /// Registers many families in one transaction, for imports and
    /// synthetic data: all or, when one is refused, none; each household
    /// and child audited as when registered one by one. Returns how many
    /// children were registered.
    fn register_families(
        &self,
        actor: &Actor,
        families: &[haven_domain::NewFamily],
        now: i64,
    ) -> StoreResult<usize>;
    /// Reads a child's record (audited).
    fn get_child(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Child>;
    /// Changes a child's record (audited).
    fn update_child(
        &self,
        actor: &Actor,
        id: &str,
        patch: &ChildPatch,
        now: i64,
    ) -> StoreResult<Child>;
    /// Lists or searches children in scope (audited).
    fn list_children(
        &self,
        actor: &Actor,
        filter: &ChildFilter,
        cursor: Option<&str>,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<Child>>;
    /// Other records in scope that may be the same child.
    fn possible_duplicates(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<Vec<PossibleDuplicate>>;
    /// Dashboard counts in scope.
    fn child_counts(&self, actor: &Actor, now: i64) -> StoreResult<ChildCounts>;

    /// Creates a household with its caregivers.
    fn create_household(
        &self,
        actor: &Actor,
        household: &NewHousehold,
        now: i64,
    ) -> StoreResult<Household>;
    /// Reads a household and its caregivers (audited).
    fn get_household(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Household>;
    /// Adds a caregiver to a household.
    fn add_caregiver(
        &self,
        actor: &Actor,
        household_id: &str,
        caregiver: &NewCaregiver,
        now: i64,
    ) -> StoreResult<Caregiver>;
    /// Adds a care institution or school (admins only).
    fn create_institution(
        &self,
        actor: &Actor,
        institution: &Institution,
        now: i64,
    ) -> StoreResult<Institution>;
    /// Institutions in the caller's scope.
    fn list_institutions(&self, actor: &Actor) -> StoreResult<Vec<Institution>>;

    /// Creates a hash list (analysts and admins).
    fn create_hash_list(
        &self,
        actor: &Actor,
        name: &str,
        description: &str,
        now: i64,
    ) -> StoreResult<HashList>;
    /// All hash lists with their counts (analysts and admins).
    fn list_hash_lists(&self, actor: &Actor, now: i64) -> StoreResult<Vec<HashList>>;
    /// Adds entries to a list; with `import_source`, records them as one bulk import.
    fn add_hash_entries(
        &self,
        actor: &Actor,
        list_id: &str,
        entries: &[haven_domain::lists::NewHashEntry],
        import_source: Option<&str>,
        now: i64,
    ) -> StoreResult<(Option<HashImport>, Vec<HashEntry>)>;
    /// A page of a list's entries (analysts and admins).
    fn list_hash_entries(
        &self,
        actor: &Actor,
        list_id: &str,
        cursor: Option<&str>,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<HashEntry>>;
    /// A list's bulk imports.
    fn list_hash_imports(
        &self,
        actor: &Actor,
        list_id: &str,
        now: i64,
    ) -> StoreResult<Vec<HashImport>>;
    /// Enables or disables an entry (analysts and admins).
    fn set_hash_entry_enabled(
        &self,
        actor: &Actor,
        entry_id: &str,
        enabled: bool,
        now: i64,
    ) -> StoreResult<HashEntry>;
    /// Entries added, enabled or disabled after place `since` in the change
    /// feed, and the feed's newest place: from 0, every entry (a server
    /// building its match index); after that, how servers sharing a
    /// database keep their indexes in step (system use, no caller).
    fn hash_changes_since(&self, since: i64) -> StoreResult<(Vec<HashEntry>, i64)>;
    /// Lists a URL, domain or path prefix (analysts and admins).
    fn add_url(
        &self,
        actor: &Actor,
        url: &str,
        level: haven_domain::lists::UrlLevel,
        category: &str,
        now: i64,
    ) -> StoreResult<UrlEntry>;
    /// Removes a URL entry, leaving a tombstone (analysts and admins).
    fn remove_url(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<UrlEntry>;
    /// Listed entries covering a URL (partners, analysts, admins; audited).
    fn check_url(&self, actor: &Actor, url: &str, now: i64) -> StoreResult<Vec<UrlEntry>>;
    /// The URL list, whole (`since` 0) or as changes since a version.
    fn url_list_since(&self, actor: &Actor, since: i64, now: i64) -> StoreResult<UrlListChanges>;

    /// Adds a trusted peer (admins). Audited.
    fn add_peer(&self, actor: &Actor, peer: &NewPeer, now: i64) -> StoreResult<Peer>;
    /// Every peer, revoked ones too (admins).
    fn list_peers(&self, actor: &Actor, now: i64) -> StoreResult<Vec<Peer>>;
    /// Revokes a peer (by name), or restores one (admins). Audited.
    fn set_peer_revoked(
        &self,
        actor: &Actor,
        name: &str,
        revoked: bool,
        now: i64,
    ) -> StoreResult<Peer>;
    /// The peer with this fingerprint, revoked or not (system use: the feed
    /// checks a request's signature with its key).
    fn peer_by_fingerprint(&self, fingerprint: &str) -> StoreResult<Option<Peer>>;
    /// A signed bundle for peer `name` of what changed after `since` in what
    /// we publish to it, chained to the bundle we sent it that ended at
    /// `since` (`prev`: that bundle's hash, when the peer names it; without
    /// `since`, after the last bundle sent). `None` when nothing changed.
    /// Admins, or the peer itself through the feed (`actor` then names it).
    /// Audited.
    fn export_bundle(
        &self,
        actor: &Actor,
        name: &str,
        since: Option<i64>,
        prev: Option<&str>,
        key: &haven_domain::exchange::NodeKey,
        now: i64,
    ) -> StoreResult<Option<haven_domain::exchange::Bundle>>;
    /// Records that this node retired a key for a new one (administrators
    /// and the system; audited): the statement travels to every peer in
    /// its next bundle. A retired key can never come back.
    fn record_key_rotation(
        &self,
        actor: &Actor,
        rotation: &haven_domain::exchange::KeyRotationItem,
        now: i64,
    ) -> StoreResult<()>;
    /// This node's own key rotations, oldest first (a node that rotated
    /// shows them with its signed feed requests).
    fn own_key_rotations(&self) -> StoreResult<Vec<haven_domain::exchange::KeyRotationItem>>;
    /// Moves our trust in a peer to the key `signer` when `rotations`
    /// lead there from the key we trust (each signed by both its keys);
    /// the peer as now trusted, or `None` when no chain leads there.
    /// Audited.
    fn follow_peer_rotation(
        &self,
        rotations: &[haven_domain::exchange::KeyRotationItem],
        signer: &str,
        now: i64,
    ) -> StoreResult<Option<Peer>>;
    /// Signs the audit log's newest entry with this node's key and keeps
    /// the statement (the schedule in `haven serve`); it travels to the
    /// peers this node publishes `audit` to. `None` when nothing was
    /// appended since the last signed head.
    fn sign_audit_head(
        &self,
        key: &haven_domain::exchange::NodeKey,
        now: i64,
    ) -> StoreResult<Option<haven_domain::exchange::AuditHeadItem>>;
    /// Checks and applies a bundle in one transaction: signed by a known,
    /// unrevoked peer, addressed to `us` (our fingerprint), next in that
    /// peer's chain, of kinds it may send. Any refusal applies nothing and
    /// is audited with its reason (admins and the system).
    fn import_bundle(
        &self,
        actor: &Actor,
        bytes: &[u8],
        us: &str,
        now: i64,
    ) -> StoreResult<ImportSummary> {
        self.import_bundle_with_progress(actor, bytes, us, now, &mut |_| {})
    }
    /// [`Store::import_bundle`], telling `progress` how far it has come.
    fn import_bundle_with_progress(
        &self,
        actor: &Actor,
        bytes: &[u8],
        us: &str,
        now: i64,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> StoreResult<ImportSummary>;

    /// Records this node's public figures as they are now (administrators
    /// and the system; audited when any changed): those that changed take
    /// the next exchange numbers, so they travel to the peers this node
    /// publishes statistics to. Returns how many changed.
    fn publish_statistics(
        &self,
        actor: &Actor,
        items: &[haven_domain::exchange::StatisticItem],
        now: i64,
    ) -> StoreResult<u64>;
    /// The figures other nodes published, per origin (administrators and
    /// monitoring officers).
    fn received_statistics(&self, actor: &Actor, now: i64) -> StoreResult<Vec<ReceivedStatistic>>;

    /// Enrols a laptop of the caller's for offline field work (roles with
    /// access to children's records; audited). Returns the laptop and its
    /// credential (`hvl_…`), shown this once: the laptop's checkouts and
    /// syncs use it, and nothing else accepts it.
    fn enrol_field_node(
        &self,
        actor: &Actor,
        label: &str,
        now: i64,
    ) -> StoreResult<(FieldNode, String)>;
    /// Whose laptop a credential is, and which: refused when unknown, when
    /// the laptop was revoked, or when its user was disabled.
    fn laptop_for_token(&self, token: &str, now: i64) -> StoreResult<(Actor, String)>;
    /// On a field laptop: holds the children a checkout from the server
    /// brought, each replacing the laptop's copy, with their assessments
    /// and the instrument's versions, and removes every child not in the
    /// checkout's `in_scope`. The system actor only (the `haven field`
    /// command); audited per child. Returns how many children were
    /// received and removed.
    fn receive_checkout(
        &self,
        actor: &Actor,
        checkout: &Checkout,
        now: i64,
    ) -> StoreResult<(usize, usize)>;
    /// On a field laptop: holds a checkout's services directory and its
    /// cases (with their history and referrals), each replacing the
    /// laptop's copy, and removes every case not among its `open_cases`
    /// (closed, reassigned or transferred on the server). The system
    /// actor only; audited per case. Returns how many cases were received
    /// and removed.
    fn receive_cases(
        &self,
        actor: &Actor,
        checkout: &Checkout,
        now: i64,
    ) -> StoreResult<(usize, usize)>;
    /// On a field laptop: the changes made offline not yet sent, from the
    /// one after `after`, at most `limit`, and how many more wait. The
    /// system actor only (`haven field sync`).
    fn field_outbox(
        &self,
        actor: &Actor,
        after: u64,
        limit: usize,
    ) -> StoreResult<(Vec<haven_domain::field_ops::FieldOperation>, u64)>;
    /// On a field laptop: what the server answered. Operations up to
    /// `acknowledged` are done with, except the refused ones, kept with
    /// their reason for the worker to redo or discard.
    fn field_outbox_answered(
        &self,
        actor: &Actor,
        acknowledged: u64,
        results: &[haven_domain::field_ops::OperationResult],
    ) -> StoreResult<()>;
    /// On a field laptop: sends again the changes refused because they
    /// waited for a registration held for a person, once the checkout no
    /// longer lists it among `still_held` (audited). Returns how many.
    fn requeue_held(&self, actor: &Actor, still_held: &[String], now: i64) -> StoreResult<usize>;
    /// On a field laptop: the changes the server refused, with why.
    fn refused_operations(&self, actor: &Actor) -> StoreResult<Vec<RefusedOperation>>;
    /// On a field laptop: forgets a change the server refused, once the
    /// worker has redone it another way or decided against it (audited).
    fn discard_refused(&self, actor: &Actor, n: u64, now: i64) -> StoreResult<()>;
    /// On a field laptop: its own audit entries after `after`, in order,
    /// for the sync to send (the sync only, as the system actor).
    fn laptop_audit(
        &self,
        actor: &Actor,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<haven_domain::field_ops::LaptopAuditEntry>>;
    /// On the server: a laptop's audit entries, appended once each to this
    /// server's chain as reported by the laptop's user (its own laptop
    /// only, not revoked); returns the last entry taken.
    fn receive_laptop_audit(
        &self,
        actor: &Actor,
        node_id: &str,
        entries: &[haven_domain::field_ops::LaptopAuditEntry],
        now: i64,
    ) -> StoreResult<i64>;
    /// The field laptops: every one for an administrator, the caller's own
    /// for anyone else.
    fn field_nodes(&self, actor: &Actor, now: i64) -> StoreResult<Vec<FieldNode>>;
    /// Revokes a field laptop (administrators; audited): its next sync is
    /// refused.
    fn revoke_field_node(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<FieldNode>;
    /// Applies the operations a field laptop of the caller's sends, each
    /// once and in order, as the caller and within their scope; `pending`
    /// is how many the laptop still holds beyond these. Each is audited.
    fn sync_field_operations(
        &self,
        actor: &Actor,
        node: &str,
        operations: &[haven_domain::field_ops::FieldOperation],
        pending: u64,
        now: i64,
    ) -> StoreResult<SyncAnswer>;
    /// The children a field laptop of the caller's takes into the field:
    /// those in the caller's scope, changed since `since` (all when none),
    /// and the identifiers of all in scope (audited as a read of each).
    fn field_checkout(
        &self,
        actor: &Actor,
        node: &str,
        since: Option<i64>,
        now: i64,
    ) -> StoreResult<Checkout>;
    /// Conflicts waiting for a person: a caseworker's own laptops', and
    /// for supervisors and administrators, every one in their scope
    /// (audited: they show children's records).
    fn field_conflicts(&self, actor: &Actor, now: i64) -> StoreResult<Vec<FieldConflict>>;
    /// Resolves a conflict by keeping one value (audited); keeping the
    /// laptop's is refused (409) when the field changed again since.
    fn resolve_field_conflict(
        &self,
        actor: &Actor,
        id: &str,
        keep: Keep,
        now: i64,
    ) -> StoreResult<FieldConflict>;

    /// Issues a travelling-offender alert (liaison officers only; audited);
    /// it travels to the peers this node publishes alerts to.
    fn issue_alert(
        &self,
        actor: &Actor,
        alert: &haven_domain::exchange::NewAlert,
        now: i64,
    ) -> StoreResult<Alert>;
    /// Every alert in force, issued here or received (liaison officers
    /// only; the read is audited).
    fn list_alerts(&self, actor: &Actor, now: i64) -> StoreResult<Vec<Alert>>;
    /// One alert in force (liaison officers only; audited).
    fn alert(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Alert>;
    /// Withdraws an alert issued here (liaison officers only; audited): its
    /// sealed contents are destroyed and peers are told to do the same.
    fn withdraw_alert(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<()>;

    /// The current assessment instrument (the shipped one until an admin adds a version).
    fn current_instrument(&self, now: i64) -> StoreResult<haven_domain::assessment::Instrument>;
    /// Adds a new instrument version (admins); earlier results keep their version.
    fn create_instrument(
        &self,
        actor: &Actor,
        json: &str,
        now: i64,
    ) -> StoreResult<haven_domain::assessment::Instrument>;
    /// Assesses a child in scope with the current instrument (audited).
    fn assess_child(
        &self,
        actor: &Actor,
        child_id: &str,
        answers: &std::collections::BTreeMap<String, haven_domain::assessment::Answer>,
        now: i64,
    ) -> StoreResult<assessments::AssessmentRecord>;
    /// Assesses a child as `assess_child` does, with the caseworker's notes
    /// (sealed at rest like case notes; at most 10,000 characters).
    fn assess_child_with_notes(
        &self,
        actor: &Actor,
        child_id: &str,
        answers: &std::collections::BTreeMap<String, haven_domain::assessment::Answer>,
        notes: Option<&str>,
        now: i64,
    ) -> StoreResult<assessments::AssessmentRecord>;
    /// A child's assessments, oldest first: the trajectory (audited).
    fn child_assessments(
        &self,
        actor: &Actor,
        child_id: &str,
        now: i64,
    ) -> StoreResult<Vec<assessments::AssessmentRecord>>;
    /// Confirms or overrides an assessment's level; an override needs a reason.
    fn confirm_assessment(
        &self,
        actor: &Actor,
        id: &str,
        level: haven_domain::assessment::RiskLevel,
        reason: Option<&str>,
        now: i64,
    ) -> StoreResult<assessments::AssessmentRecord>;

    /// Adds a service to the directory (admins).
    fn create_service(
        &self,
        actor: &Actor,
        service: &haven_domain::casework::NewService,
        now: i64,
    ) -> StoreResult<casework::Service>;
    /// The services directory; with a location path, only services covering it.
    fn list_services(
        &self,
        actor: &Actor,
        covering: Option<&str>,
    ) -> StoreResult<Vec<casework::Service>>;
    /// Opens a case for a child in scope (one open case per child).
    fn open_case(
        &self,
        actor: &Actor,
        child_id: &str,
        assigned_to: Option<&str>,
        now: i64,
    ) -> StoreResult<casework::Case>;
    /// A case with its history, referrals and suggestions (audited).
    fn get_case(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<casework::CaseFile>;
    /// Cases in scope, soonest due first (audited).
    fn list_cases(
        &self,
        actor: &Actor,
        filter: &casework::CaseFilter,
        now: i64,
    ) -> StoreResult<Vec<casework::Case>>;
    /// Case figures for the dashboards.
    fn case_counts(&self, actor: &Actor, now: i64) -> StoreResult<casework::CaseCounts>;
    /// Moves a case a step (plan, approvals, follow-up, closure, reopening).
    fn case_action(
        &self,
        actor: &Actor,
        id: &str,
        action: haven_domain::casework::CaseAction,
        text: Option<&str>,
        now: i64,
    ) -> StoreResult<casework::Case>;
    /// Adds an encrypted note to a case.
    fn add_case_note(&self, actor: &Actor, id: &str, text: &str, now: i64) -> StoreResult<()>;
    /// Records consent and the child's own views.
    fn record_consent(
        &self,
        actor: &Actor,
        id: &str,
        consent: haven_domain::casework::Consent,
        child_views: Option<&str>,
        now: i64,
    ) -> StoreResult<casework::Case>;
    /// Records an adoptability determination (supervisors).
    fn record_adoptability(
        &self,
        actor: &Actor,
        id: &str,
        determination: &str,
        now: i64,
    ) -> StoreResult<casework::Case>;
    /// Reassigns a case, or transfers it to another agency (supervisors).
    fn reassign_case(
        &self,
        actor: &Actor,
        id: &str,
        to_user: &str,
        to_agency: Option<&str>,
        reason: Option<&str>,
        now: i64,
    ) -> StoreResult<casework::Case>;
    /// Refers a case's child to a service covering their district.
    fn refer(
        &self,
        actor: &Actor,
        case_id: &str,
        service_id: &str,
        kind: haven_domain::casework::ReferralKind,
        reason: &str,
        now: i64,
    ) -> StoreResult<casework::Referral>;
    /// One referral as the receiving agency needs it to act (and as the
    /// referring side sees it): the child's age, sex and district, what is
    /// asked, who referred and how to reach them, and the caregivers'
    /// contacts only when consent was given. Audited as a read of the child.
    fn referral_brief(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<casework::ReferralBrief>;
    /// Referrals addressed to the caller's agency, or sent for cases in
    /// scope, waiting ones first, soonest due first (audited).
    fn list_referrals(
        &self,
        actor: &Actor,
        filter: &casework::ReferralFilter,
        now: i64,
    ) -> StoreResult<Vec<casework::Referral>>;
    /// The receiving agency accepts, declines or completes a referral.
    fn answer_referral(
        &self,
        actor: &Actor,
        id: &str,
        status: haven_domain::casework::ReferralStatus,
        note: Option<&str>,
        now: i64,
    ) -> StoreResult<casework::Referral>;
    /// Referral figures per receiving agency in the caller's area.
    fn referrals_by_agency(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<casework::AgencyReferrals>>;

    /// Takes a report from the public; returns its tracking code and PIN (the only time they exist in clear).
    fn submit_report(
        &self,
        report: &haven_domain::report::ValidReport,
        location: Option<&str>,
        now: i64,
    ) -> StoreResult<reports::ReportReceipt>;
    /// What the reporter may see, given the code and PIN; a wrong one of either is `NotFound`.
    fn report_status(&self, code: &str, pin: &str, now: i64) -> StoreResult<reports::ReporterView>;
    /// The reporter adds information to their report.
    fn add_report_info(
        &self,
        code: &str,
        pin: &str,
        text: &str,
        now: i64,
    ) -> StoreResult<reports::ReporterView>;
    /// The triage queue, most urgent first (audited).
    fn list_reports(
        &self,
        actor: &Actor,
        filter: &reports::ReportFilter,
        now: i64,
    ) -> StoreResult<Vec<reports::ReportSummary>>;
    /// A report as staff read it (audited; the first reading shows the reporter "in review").
    fn get_report(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<reports::ReportFile>;
    /// The reporter's contact details, kept apart from the report (audited).
    fn report_contact(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Option<String>>;
    /// A staff note on a report (never shown to the reporter).
    fn add_report_note(&self, actor: &Actor, id: &str, text: &str, now: i64) -> StoreResult<()>;
    /// The triage decision: open a case (registering or linking the child), hotline, police, or close.
    fn decide_report(
        &self,
        actor: &Actor,
        id: &str,
        decision: haven_domain::report::Decision,
        reason: Option<&str>,
        child: Option<&reports::ChildLink>,
        now: i64,
    ) -> StoreResult<(reports::ReportFile, Vec<PossibleDuplicate>)>;
    /// A further action on a report already decided (a case, the hotline,
    /// the police), each audited and kept in the report's history; on a
    /// report not yet decided it is the decision. A case or hotline item
    /// already made from the report, closing, and acting on a closed report
    /// are refused.
    fn add_report_action(
        &self,
        actor: &Actor,
        id: &str,
        action: haven_domain::report::Decision,
        reason: Option<&str>,
        child: Option<&reports::ChildLink>,
        now: i64,
    ) -> StoreResult<(reports::ReportFile, Vec<PossibleDuplicate>)>;
    /// A hotline item entered directly by an analyst.
    fn create_hotline_item(
        &self,
        actor: &Actor,
        url: &str,
        now: i64,
    ) -> StoreResult<reports::HotlineItem>;
    /// Hotline items the filter asks for, unassessed first, a page at a time.
    fn list_hotline_items(
        &self,
        actor: &Actor,
        filter: &reports::HotlineFilter,
        now: i64,
    ) -> StoreResult<Vec<reports::HotlineItem>>;
    /// One hotline item.
    fn get_hotline_item(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<reports::HotlineItem>;
    /// An analyst's assessment; illegal material's URL goes on the URL list.
    fn assess_item(
        &self,
        actor: &Actor,
        id: &str,
        assessment: &reports::ItemAssessment,
        now: i64,
    ) -> StoreResult<reports::HotlineItem>;
    /// A second analyst confirms an assessment.
    fn confirm_item(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<reports::HotlineItem>;
    /// Notice sent, law enforcement, forwarded, or removed (the URL leaves the list).
    fn item_action(
        &self,
        actor: &Actor,
        id: &str,
        action: haven_domain::hotline::HotlineAction,
        detail: Option<&str>,
        now: i64,
    ) -> StoreResult<reports::HotlineItem>;
    /// An action recording who it went to and their reference (the
    /// hosting provider and its ticket, the police unit and its case
    /// number, the hotline abroad). [`Store::item_action`]'s `detail` is
    /// the recipient.
    fn item_step(
        &self,
        actor: &Actor,
        id: &str,
        action: haven_domain::hotline::HotlineAction,
        step: &reports::ItemStep,
        now: i64,
    ) -> StoreResult<reports::HotlineItem>;
    /// The hotline's published figures, computed from its records.
    fn hotline_figures(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<haven_domain::hotline::HotlineFigures>;

    /// Counts what an indicator counts, one [`Tallies`] per period of the
    /// query, in the place and under it. Monitoring officers get the whole
    /// country; casework roles only their own area (and a caseworker their
    /// agency), checked in the query; other roles are refused. Counts only:
    /// never a record or a name. (An export is audited by whoever sends the
    /// figures out, with [`Store::record_event`].)
    ///
    /// Read as a report of one figure ([`Store::indicator_report`]): at a
    /// million children the records read once and counted answer in well
    /// under a second, where the grouped queries of
    /// [`Store::indicator_tallies_by_query`] took 2.5-11 s a figure (and
    /// the indicator page asks for a trend and a breakdown).
    ///
    /// [`Tallies`]: haven_domain::indicators::Tallies
    fn indicator_tallies(
        &self,
        actor: &Actor,
        query: &indicators::IndicatorQuery,
        now: i64,
    ) -> StoreResult<Vec<haven_domain::indicators::Tallies>> {
        self.indicator_report(actor, std::slice::from_ref(query), now)?
            .pop()
            .unwrap_or_else(|| Err(StoreError::Database("the figure was not counted".into())))
    }

    /// [`Store::indicator_tallies`] counted by grouped queries, one a
    /// period: what the one-pass report is checked against figure for
    /// figure, and `--figure-by-figure`.
    fn indicator_tallies_by_query(
        &self,
        actor: &Actor,
        query: &indicators::IndicatorQuery,
        now: i64,
    ) -> StoreResult<Vec<haven_domain::indicators::Tallies>>;

    /// Many figures at once, each answered as
    /// [`Store::indicator_tallies_by_query`] answers it (a refusal stays
    /// that figure's own), in one read of the records: a whole report or
    /// export costs one pass over them, not one a figure.
    fn indicator_report(
        &self,
        actor: &Actor,
        queries: &[indicators::IndicatorQuery],
        now: i64,
    ) -> StoreResult<Vec<StoreResult<Vec<haven_domain::indicators::Tallies>>>> {
        Ok(queries
            .iter()
            .map(|q| self.indicator_tallies_by_query(actor, q, now))
            .collect())
    }

    /// Loads child population figures (administrators and monitoring
    /// officers): each replaces the figure held for the same place, year,
    /// sex and age band. A line naming an unknown place refuses the whole
    /// file, with every such line's number; nothing is applied. Audited.
    fn import_populations(
        &self,
        actor: &Actor,
        rows: &[haven_domain::indicators::population::PopulationRow],
        now: i64,
    ) -> StoreResult<usize>;
    /// The ids of the indicators an administrator has marked public (the
    /// public figures page shows them, suppressed). Needs no caller: the
    /// list itself is public.
    fn public_indicators(&self) -> StoreResult<Vec<String>>;
    /// Marks an indicator public or not (administrators). Audited.
    fn set_indicator_public(
        &self,
        actor: &Actor,
        indicator: &str,
        public: bool,
        now: i64,
    ) -> StoreResult<()>;
    /// Makes a logframe (monitoring officers, administrators). Audited.
    fn create_logframe(&self, actor: &Actor, title: &str, now: i64) -> StoreResult<String>;
    /// Every logframe (monitoring officers, administrators, supervisors).
    fn list_logframes(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<logframes::LogframeSummary>>;
    /// One logframe with its whole chain.
    fn logframe(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<logframes::Logframe>;
    /// Adds a result under a parent one level above (none for the impact). Audited.
    fn add_logframe_result(
        &self,
        actor: &Actor,
        logframe: &str,
        result: &haven_domain::logframes::NewResult,
        now: i64,
    ) -> StoreResult<String>;
    /// Links an indicator (an id of the live catalogue) to a result. Audited.
    fn link_logframe_indicator(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// Sets a linked indicator's baseline or target, or adds a milestone
    /// (the same date replaces it). Audited.
    fn set_logframe_mark(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        kind: logframes::MarkKind,
        mark: haven_domain::logframes::Mark,
        now: i64,
    ) -> StoreResult<()>;
    /// Changes a result's words; its level and place stay. Audited.
    fn update_logframe_result(
        &self,
        actor: &Actor,
        result: &str,
        words: &haven_domain::logframes::ResultText,
        now: i64,
    ) -> StoreResult<()>;
    /// Removes a result with its indicators and their marks; refused while
    /// results sit under it. Audited.
    fn remove_logframe_result(&self, actor: &Actor, result: &str, now: i64) -> StoreResult<()>;
    /// Unlinks an indicator from a result, with its marks. Audited.
    fn unlink_logframe_indicator(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// Every version of the readiness instrument, oldest first: the one
    /// Haven ships and those added here (monitoring officers,
    /// administrators).
    fn readiness_instruments(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<haven_domain::readiness::Instrument>>;
    /// Adds a version of the readiness instrument (its JSON, checked as
    /// the shipped one is), numbered above every version here; returns its
    /// number. Monitoring officers and administrators; audited.
    fn add_readiness_instrument(&self, actor: &Actor, json: &str, now: i64) -> StoreResult<u32>;
    /// Starts a readiness assessment round (monitoring officers, administrators). Audited.
    fn create_readiness_round(
        &self,
        actor: &Actor,
        name: &str,
        held_on: haven_domain::Date,
        instrument_version: u32,
        now: i64,
    ) -> StoreResult<String>;
    /// Every round, oldest first.
    fn readiness_rounds(&self, actor: &Actor, now: i64) -> StoreResult<Vec<readiness::Round>>;
    /// One round and its informants' scores.
    fn readiness_round(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<(readiness::Round, Vec<readiness::InformantScores>)>;
    /// Keeps one informant's item scores in a round (replacing theirs). Audited.
    fn save_readiness_scores(
        &self,
        actor: &Actor,
        round: &str,
        informant: &str,
        scores: &haven_domain::readiness::Scores,
        now: i64,
    ) -> StoreResult<()>;
    /// Records (or, with `None`, clears) the form of exploitation a case in
    /// scope is about. Audited, and written in the case's history.
    fn record_exploitation(
        &self,
        actor: &Actor,
        id: &str,
        form: Option<haven_domain::casework::ExploitationForm>,
        now: i64,
    ) -> StoreResult<casework::Case>;

    /// Appends an event to the audit log (sign-ins, denials, exports).
    fn record_event(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        outcome: &str,
        detail: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// Destroys what the retention rules say is past keeping (or, without
    /// `apply`, counts it); each record purged is audited with its rule.
    /// Administrators and the system only.
    fn purge(
        &self,
        actor: &Actor,
        rules: &haven_domain::retention::RetentionRules,
        now: i64,
        apply: bool,
    ) -> StoreResult<PurgeReport>;
    /// Walks the audit chain; the number of entries, or the first bad one.
    fn verify_audit(&self) -> StoreResult<Result<u64, AuditProblem>>;
    /// The most recent audit entries (admins only).
    fn recent_audit(&self, actor: &Actor, limit: usize, now: i64) -> StoreResult<Vec<AuditEntry>>;
    /// Writes a consistent copy of the database while it is in use.
    fn backup(&self, path: &Path) -> StoreResult<()>;

    /// Changes a person's role, area, agency or language (admins only;
    /// not their own role). Audited.
    fn update_user(
        &self,
        actor: &Actor,
        name: &str,
        change: &administration::UserChange,
        now: i64,
    ) -> StoreResult<UserInfo>;
    /// Disables or enables an account (admins only, never their own).
    /// Disabling ends the person's sessions and revokes their API tokens at once.
    fn set_user_disabled(
        &self,
        actor: &Actor,
        name: &str,
        disabled: bool,
        now: i64,
    ) -> StoreResult<UserInfo>;
    /// Sets a new password (an Argon2id hash) for a person and ends their
    /// sessions (admins only). Audited.
    fn reset_password(
        &self,
        actor: &Actor,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// Every agency, by name (any signed-in staff: they are chosen in forms).
    fn list_agencies(&self, actor: &Actor) -> StoreResult<Vec<administration::Agency>>;
    /// Adds an agency (admins only).
    fn create_agency(
        &self,
        actor: &Actor,
        agency: &administration::Agency,
        now: i64,
    ) -> StoreResult<administration::Agency>;
    /// Changes an agency's name, sector, contact or whether it is active
    /// (admins only; the code stays).
    fn update_agency(
        &self,
        actor: &Actor,
        code: &str,
        agency: &administration::Agency,
        now: i64,
    ) -> StoreResult<administration::Agency>;
    /// Changes an institution (admins only, in their area).
    fn update_institution(
        &self,
        actor: &Actor,
        id: &str,
        institution: &Institution,
        now: i64,
    ) -> StoreResult<Institution>;
    /// An institution in the caller's area with its inspections.
    fn get_institution(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<administration::InstitutionFile>;
    /// Records an inspection of an institution in the caller's area
    /// (admins and supervisors); its next due date becomes the institution's.
    fn record_inspection(
        &self,
        actor: &Actor,
        institution_id: &str,
        inspection: &administration::NewInspection,
        now: i64,
    ) -> StoreResult<haven_domain::Inspection>;
    /// Institutions in the caller's area overdue for inspection today
    /// (roles that handle children), longest overdue first.
    fn overdue_inspections(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<administration::InstitutionStatus>>;
    /// Links a child in scope to an institution in scope (or unlinks with
    /// `None`). Audited as a change to the child's record.
    fn link_child_institution(
        &self,
        actor: &Actor,
        child_id: &str,
        institution_id: Option<&str>,
        now: i64,
    ) -> StoreResult<()>;
    /// Searches the audit log, newest first, a page at a time (admins only).
    fn search_audit(
        &self,
        actor: &Actor,
        query: &administration::AuditQuery,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<AuditEntry>>;
    /// Walks the audit chain for an administrator (the check is itself audited).
    fn check_audit(&self, actor: &Actor, now: i64) -> StoreResult<Result<u64, AuditProblem>>;

    /// Checks an attempt against its counters and, as `count` says, counts
    /// it, in one transaction: every server sharing the database counts
    /// together. Returns the seconds it must wait (0: it may go ahead).
    /// Counters whose time has passed are deleted as others are counted.
    fn attempt(
        &self,
        counters: &[attempts::Counter],
        count: attempts::Count,
        now: i64,
    ) -> StoreResult<i64>;
    /// Gives back one attempt counted against each of `lower`, and
    /// forgets `forget` entirely (after a success).
    fn give_back_attempts(&self, lower: &[String], forget: &[String]) -> StoreResult<()>;
    /// The key that signs device cookies: derived from the key file, so
    /// that a cookie one server issued is honoured by every other server
    /// sharing the database and key file.
    fn device_cookie_key(&self) -> [u8; 32];
}
