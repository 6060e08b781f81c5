//! What a field laptop sends when it syncs (issue 16), and how a child's
//! record reads as the named text fields that [`crate::field_sync`]
//! merges.
//!
//! Each operation is one change a caseworker made offline, numbered by the
//! laptop. The server answers each with an outcome that it also keeps, so
//! an operation sent again after a lost answer gets the same answer.

use crate::assessment::Answer;
use crate::casework::{CaseAction, CaseStep, ReferralKind, ReferralStatus};
use crate::child::{Child, ChildPatch, NewChild};
use crate::field_sync::FieldChange;
use crate::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kinds of operation a laptop can send.
pub const CHILD_UPDATE: &str = "child.update";

/// A child registered on a laptop: every field of the record (as
/// [`registration_fields`] names them), each with no earlier value. The
/// record keeps the identifier the laptop gave it.
pub const CHILD_REGISTER: &str = "child.register";

/// An assessment made on a laptop, of the child the operation names: its
/// changes carry the assessment ([`OfflineAssessment`]), each with no
/// earlier value. Assessments are only ever added, so two laptops'
/// assessments of one child never conflict: both are kept.
pub const ASSESSMENT_RECORD: &str = "assessment.record";

/// A step taken on a case on a laptop (a plan submitted, a follow-up, a
/// closure asked for, …): the case the operation names; its changes are
/// an [`OfflineCaseWork`]. The server takes the step against the case as
/// it stands then: a case closed or handed to someone else meanwhile
/// refuses it, with the reason.
pub const CASE_STEP: &str = "case.step";

/// A case opened on a laptop for the child the operation names: its
/// changes are an [`OfflineCaseOpening`]. The server opens it under the
/// laptop's identifier, once however often it is sent, dated when it was
/// opened; a child given an open case on the server meanwhile refuses it.
pub const CASE_OPEN: &str = "case.open";

/// A note written on a case on a laptop: as [`CASE_STEP`], with the note.
pub const CASE_NOTE: &str = "case.note";

/// A referral made on a laptop, on the case the operation names: its
/// changes are an [`OfflineReferral`]. The server keeps it under the
/// laptop's identifier, once however often it is sent.
pub const REFERRAL_MAKE: &str = "referral.make";

/// An answer given on a laptop to a referral addressed to its user's
/// agency (accepted, declined, completed): the referral the operation
/// names; its changes are an [`OfflineReferralAnswer`]. The server gives
/// the answer to the referral as it stands then: one answered otherwise
/// meanwhile, or no longer addressed to the agency, refuses it.
pub const REFERRAL_ANSWER: &str = "referral.answer";

/// What an operation of `kind` names: `child`, `case` or `referral`,
/// for the audit log (`case:…`) and the laptop's pages.
pub fn record_kind(kind: &str) -> &'static str {
    match kind {
        CASE_STEP | CASE_NOTE | REFERRAL_MAKE => "case",
        REFERRAL_ANSWER => "referral",
        _ => "child",
    }
}

/// How far back an operation may be dated: a laptop's clock is not
/// trusted further (it must not make an adult a child, or date an
/// assessment years ago).
pub const MAX_OFFLINE_DAYS: i64 = 90;

/// When an operation counts as made: as the laptop says, but no earlier
/// than [`MAX_OFFLINE_DAYS`] before it reached the server, and never
/// after.
pub fn made_offline_at(made_at: i64, now: i64) -> i64 {
    made_at.clamp(now - MAX_OFFLINE_DAYS * 86_400, now)
}

/// Whether `id` is an identifier as Haven gives them (32 lowercase hex
/// digits): the only kind a laptop may give a record it creates.
pub fn is_record_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// An assessment made offline, as an [`ASSESSMENT_RECORD`] operation
/// carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct OfflineAssessment {
    /// The identifier the laptop gave it: the server writes it under the
    /// same one, once however often it is sent.
    pub id: String,
    /// The version of the instrument it was made with.
    pub instrument_version: u32,
    /// The answers, by factor.
    pub answers: BTreeMap<String, Answer>,
    /// The caseworker's notes.
    pub notes: Option<String>,
}

impl OfflineAssessment {
    /// The operation's changes: each part, with no earlier value.
    pub fn to_changes(&self) -> Vec<FieldChange> {
        let part = |field: &str, value: Option<String>| FieldChange {
            field: field.into(),
            base: None,
            value,
        };
        vec![
            part("id", Some(self.id.clone())),
            part(
                "instrument_version",
                Some(self.instrument_version.to_string()),
            ),
            // A map of answers always serialises.
            part("answers", serde_json::to_string(&self.answers).ok()),
            part("notes", self.notes.clone()),
        ]
    }

    /// The assessment an operation's changes carry; what is missing or
    /// malformed is named.
    pub fn from_changes(changes: &[FieldChange]) -> Result<OfflineAssessment, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let get = |name: &str| part(changes, name);
        only_parts(
            changes,
            &["id", "instrument_version", "answers", "notes"],
            "an assessment",
            &mut e,
        );
        let id = get("id").unwrap_or_default();
        if !is_record_id(&id) {
            e.add("id", "must be an identifier of 32 lowercase hex digits");
        }
        let instrument_version = get("instrument_version")
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or_else(|| {
                e.add("instrument_version", "must be a version number");
                0
            });
        let answers = match get("answers").map(|a| serde_json::from_str(&a)) {
            Some(Ok(a)) => a,
            _ => {
                e.add("answers", "must be the answers, by factor, as JSON");
                BTreeMap::new()
            }
        };
        e.into_result()?;
        Ok(OfflineAssessment {
            id,
            instrument_version,
            answers,
            notes: get("notes").filter(|n| !n.trim().is_empty()),
        })
    }
}

/// A step or a note on a case made offline, as a [`CASE_STEP`] or
/// [`CASE_NOTE`] operation carries it: the `action` (or `note`) change's
/// earlier value is the case's step the laptop saw.
#[derive(Clone, Debug, PartialEq)]
pub struct OfflineCaseWork {
    /// The step taken; none for a note.
    pub action: Option<CaseAction>,
    /// The words kept with it (the plan, what a follow-up found, the note).
    pub text: Option<String>,
    /// The case's step when it was taken on the laptop.
    pub seen: CaseStep,
}

impl OfflineCaseWork {
    /// The operation's kind.
    pub fn kind(&self) -> &'static str {
        if self.action.is_some() {
            CASE_STEP
        } else {
            CASE_NOTE
        }
    }

    /// The operation's changes.
    pub fn to_changes(&self) -> Vec<FieldChange> {
        let seen = Some(self.seen.as_str().to_string());
        match self.action {
            Some(action) => vec![
                FieldChange {
                    field: "action".into(),
                    base: seen,
                    value: Some(action.as_str().into()),
                },
                FieldChange {
                    field: "text".into(),
                    base: None,
                    value: self.text.clone(),
                },
            ],
            None => vec![FieldChange {
                field: "note".into(),
                base: seen,
                value: self.text.clone(),
            }],
        }
    }

    /// The step or note a `kind` operation's changes carry; what is
    /// missing or malformed is named.
    pub fn from_changes(
        kind: &str,
        changes: &[FieldChange],
    ) -> Result<OfflineCaseWork, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let known: &[&str] = if kind == CASE_STEP {
            &["action", "text"]
        } else {
            &["note"]
        };
        only_parts(changes, known, "a case step or note", &mut e);
        let find = |name: &str| changes.iter().find(|c| c.field == name);
        let head = if kind == CASE_STEP { "action" } else { "note" };
        let seen = match find(head)
            .and_then(|c| c.base.as_deref())
            .map(CaseStep::parse)
        {
            Some(Some(step)) => step,
            _ => {
                e.add(head, "must say the case's step the laptop saw");
                CaseStep::Identification
            }
        };
        let text = |name: &str| {
            find(name)
                .and_then(|c| c.value.clone())
                .filter(|t| !t.trim().is_empty())
        };
        let action = if kind == CASE_STEP {
            match find("action")
                .and_then(|c| c.value.as_deref())
                .map(CaseAction::parse)
            {
                Some(Some(a)) => Some(a),
                _ => {
                    e.add("action", "must be a step a case can take");
                    None
                }
            }
        } else {
            None
        };
        let text = text(if kind == CASE_STEP { "text" } else { "note" });
        e.into_result()?;
        Ok(OfflineCaseWork { action, text, seen })
    }
}

/// A referral made offline, as a [`REFERRAL_MAKE`] operation carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct OfflineReferral {
    /// The identifier the laptop gave it.
    pub id: String,
    /// The service referred to.
    pub service_id: String,
    /// A service, or adoption.
    pub kind: ReferralKind,
    /// Why the child is referred.
    pub reason: String,
}

impl OfflineReferral {
    /// The operation's changes: each part, with no earlier value.
    pub fn to_changes(&self) -> Vec<FieldChange> {
        [
            ("id", self.id.as_str()),
            ("service_id", self.service_id.as_str()),
            ("kind", self.kind.as_str()),
            ("reason", self.reason.as_str()),
        ]
        .into_iter()
        .map(|(field, value)| FieldChange {
            field: field.into(),
            base: None,
            value: Some(value.into()),
        })
        .collect()
    }

    /// The referral an operation's changes carry; what is missing or
    /// malformed is named.
    pub fn from_changes(changes: &[FieldChange]) -> Result<OfflineReferral, ValidationErrors> {
        let mut e = ValidationErrors::default();
        only_parts(
            changes,
            &["id", "service_id", "kind", "reason"],
            "a referral",
            &mut e,
        );
        let id = part(changes, "id").unwrap_or_default();
        if !is_record_id(&id) {
            e.add("id", "must be an identifier of 32 lowercase hex digits");
        }
        let service_id = part(changes, "service_id").unwrap_or_default();
        if service_id.trim().is_empty() {
            e.add("service_id", "name the service");
        }
        let kind = part(changes, "kind")
            .and_then(|k| ReferralKind::parse(&k))
            .unwrap_or_else(|| {
                e.add("kind", "must be service or adoption");
                ReferralKind::Service
            });
        let reason = part(changes, "reason").unwrap_or_default();
        e.into_result()?;
        Ok(OfflineReferral {
            id,
            service_id,
            kind,
            reason,
        })
    }
}

/// A case opened offline, as a [`CASE_OPEN`] operation carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct OfflineCaseOpening {
    /// The identifier the laptop gave the case: the server opens it under
    /// the same one, so that the steps taken on it offline find it.
    pub id: String,
    /// Who holds it, when the user named someone (else the user).
    pub assigned_to: Option<String>,
}

impl OfflineCaseOpening {
    /// The operation's changes: each part, with no earlier value.
    pub fn to_changes(&self) -> Vec<FieldChange> {
        vec![
            FieldChange {
                field: "id".into(),
                base: None,
                value: Some(self.id.clone()),
            },
            FieldChange {
                field: "assigned_to".into(),
                base: None,
                value: self.assigned_to.clone(),
            },
        ]
    }

    /// The opening an operation's changes carry; what is missing or
    /// malformed is named.
    pub fn from_changes(changes: &[FieldChange]) -> Result<OfflineCaseOpening, ValidationErrors> {
        let mut e = ValidationErrors::default();
        only_parts(changes, &["id", "assigned_to"], "a case opening", &mut e);
        let id = part(changes, "id").unwrap_or_default();
        if !is_record_id(&id) {
            e.add("id", "must be an identifier of 32 lowercase hex digits");
        }
        e.into_result()?;
        Ok(OfflineCaseOpening {
            id,
            assigned_to: part(changes, "assigned_to").filter(|a| !a.trim().is_empty()),
        })
    }
}

/// An answer to a referral given offline, as a [`REFERRAL_ANSWER`]
/// operation carries it: the `status` change's earlier value is the
/// referral's status the laptop saw.
#[derive(Clone, Debug, PartialEq)]
pub struct OfflineReferralAnswer {
    /// The answer: accepted, declined or completed.
    pub status: ReferralStatus,
    /// The referral's status when it was answered on the laptop.
    pub seen: ReferralStatus,
    /// The agency's words (a decline's reason, what was done).
    pub note: Option<String>,
}

impl OfflineReferralAnswer {
    /// The operation's changes.
    pub fn to_changes(&self) -> Vec<FieldChange> {
        vec![
            FieldChange {
                field: "status".into(),
                base: Some(self.seen.as_str().into()),
                value: Some(self.status.as_str().into()),
            },
            FieldChange {
                field: "note".into(),
                base: None,
                value: self.note.clone(),
            },
        ]
    }

    /// The answer an operation's changes carry; what is missing or
    /// malformed is named.
    pub fn from_changes(
        changes: &[FieldChange],
    ) -> Result<OfflineReferralAnswer, ValidationErrors> {
        let mut e = ValidationErrors::default();
        only_parts(
            changes,
            &["status", "note"],
            "an answer to a referral",
            &mut e,
        );
        let status = changes.iter().find(|c| c.field == "status");
        let seen = match status
            .and_then(|c| c.base.as_deref())
            .map(ReferralStatus::parse)
        {
            Some(Some(s)) => s,
            _ => {
                e.add("status", "must say the referral's status the laptop saw");
                ReferralStatus::Sent
            }
        };
        let answer = match status
            .and_then(|c| c.value.as_deref())
            .map(ReferralStatus::parse)
        {
            Some(Some(s)) if s != ReferralStatus::Sent => s,
            _ => {
                e.add("status", "must be accepted, declined or completed");
                ReferralStatus::Sent
            }
        };
        e.into_result()?;
        Ok(OfflineReferralAnswer {
            status: answer,
            seen,
            note: part(changes, "note").filter(|n| !n.trim().is_empty()),
        })
    }
}

/// The value of an operation's part `name`, if it has one.
fn part(changes: &[FieldChange], name: &str) -> Option<String> {
    changes
        .iter()
        .find(|c| c.field == name)
        .and_then(|c| c.value.clone())
}

/// Names each part that is not one of `known` (`what` has no such part).
fn only_parts(changes: &[FieldChange], known: &[&str], what: &str, e: &mut ValidationErrors) {
    for c in changes {
        if !known.contains(&c.field.as_str()) {
            e.add(&c.field, format!("is not a part of {what}"));
        }
    }
}

/// Most operations in one sync request; a laptop with more sends them in
/// several (each answer acknowledges how far the server got).
pub const MAX_OPERATIONS: usize = 500;

/// Most of a laptop's audit entries in one request.
pub const MAX_AUDIT_ENTRIES: usize = 500;

/// One change made offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldOperation {
    /// The laptop's number for it: 1, 2, 3, … without gaps.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub n: u64,
    /// What it does: `child.update`, `child.register`,
    /// `assessment.record`, `case.open`, `case.step`, `case.note`,
    /// `referral.make` or `referral.answer`.
    pub kind: String,
    /// The record it changes or adds to (a child's identifier, also for
    /// `case.open`; a case's for `case.step`, `case.note` and
    /// `referral.make`; a referral's for `referral.answer`).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub record: String,
    /// When it was made on the laptop (Unix seconds).
    pub made_at: i64,
    /// Each field changed: the value the laptop saw and the value written.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub changes: Vec<FieldChange>,
}

/// One entry of a field laptop's own audit log, as the laptop sends it to
/// the server at a sync: what was read and changed offline, by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LaptopAuditEntry {
    /// Its number in the laptop's log: from 1, without gaps.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub seq: i64,
    /// When (Unix seconds, the laptop's clock).
    pub at: i64,
    /// Who, on the laptop.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub actor: String,
    /// What, e.g. `child.read`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub action: String,
    /// Which record, e.g. `child:ab12…`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub target: String,
    /// `ok`, `denied` or `failed`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub outcome: String,
    /// Non-identifying detail.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub detail: String,
}

/// What became of one operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every field applied, or already so.
    Applied,
    /// Some fields applied, and some were changed by someone else
    /// meanwhile: those wait, with both values, for a person.
    Conflict,
    /// Not applied, for the reason given (the record left the worker's
    /// area, a value is not valid, …): the laptop keeps the work to redo
    /// or discard.
    Refused,
}

impl Outcome {
    /// The stored and sent name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Conflict => "conflict",
            Outcome::Refused => "refused",
        }
    }

    /// The outcome of a stored name.
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "applied" => Some(Outcome::Applied),
            "conflict" => Some(Outcome::Conflict),
            "refused" => Some(Outcome::Refused),
            _ => None,
        }
    }
}

api_enum!(
    /// Why an operation was refused, as a code a laptop shows in its
    /// user's language (the reason beside it gives the server's words).
    Refusal {
        /// The child's record left the user's area (transferred, removed).
        OutOfArea => "out_of_area",
        /// A registration made offline waits for a person: it may be a
        /// child already registered.
        RegistrationHeld => "registration_held",
        /// A person decided the child registered offline is one already
        /// registered: the work goes on that record.
        SameChild => "same_child",
        /// The case left the user's area.
        CaseOutOfArea => "case_out_of_area",
        /// The case was handed to someone else meanwhile.
        CaseHandedOn => "case_handed_on",
        /// The case was closed meanwhile.
        CaseClosed => "case_closed",
        /// The child was given an open case on the server meanwhile: the
        /// one opened on the laptop was not opened.
        CaseAlreadyOpen => "case_already_open",
        /// The case was opened on the laptop and its opening was refused
        /// (or waits): the work on it was not recorded.
        CaseNotOpened => "case_not_opened",
        /// The case's own rules refuse the step where the case stands now.
        CaseRules => "case_rules",
        /// The referral is no longer addressed to the user's agency in
        /// their area (withdrawn, or the child moved).
        ReferralGone => "referral_gone",
        /// The referral was answered otherwise meanwhile (by a colleague,
        /// online): the answer no longer follows from where it stands.
        ReferralAnswered => "referral_answered",
        /// The server does not have the instrument version it was made with.
        InstrumentUnknown => "instrument_unknown",
        /// A value the record cannot hold, or a malformed operation.
        Invalid => "invalid",
        /// A kind of operation the server does not take.
        Unsupported => "unsupported",
    }
);

/// The answer to one operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperationResult {
    /// The operation's number.
    pub n: u64,
    /// What became of it.
    pub outcome: Outcome,
    /// Why it was refused, in words for the caseworker (English).
    pub reason: Option<String>,
    /// Why it was refused, as a code (absent from servers before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Refusal>,
    /// The fields that wait for a person (conflicts).
    pub conflicts: Vec<String>,
}

/// The fields of a child's record that a laptop may change, as text:
/// yes/no as `true`/`false`, dates as `YYYY-MM-DD`, none as no value.
pub fn child_fields(c: &Child) -> BTreeMap<String, Option<String>> {
    let text = |s: &str| Some(s.to_string());
    let yes_no = |b: bool| Some(b.to_string());
    BTreeMap::from([
        ("given_name".to_string(), text(&c.given_name)),
        ("family_name".to_string(), text(&c.family_name)),
        ("sex".to_string(), text(c.sex.as_str())),
        (
            "date_of_birth".to_string(),
            Some(c.date_of_birth.to_string()),
        ),
        ("location".to_string(), text(&c.location)),
        (
            "birth_registration".to_string(),
            text(c.birth_registration.as_str()),
        ),
        ("disability".to_string(), yes_no(c.disability)),
        ("minority_group".to_string(), c.minority_group.clone()),
        (
            "living_situation".to_string(),
            text(c.living_situation.as_str()),
        ),
        ("in_school".to_string(), yes_no(c.in_school)),
        ("child_labour".to_string(), yes_no(c.child_labour)),
        ("household_id".to_string(), c.household_id.clone()),
    ])
}

/// What a registration made offline carries: the record's fields, and
/// whether the date of birth is an estimate.
pub fn registration_fields(c: &Child) -> BTreeMap<String, Option<String>> {
    let mut f = child_fields(c);
    f.insert(
        "date_of_birth_estimated".into(),
        Some(c.date_of_birth_estimated.to_string()),
    );
    f
}

/// The registration a laptop's `child.register` operation asks for, and
/// whether its date of birth is an estimate. The record's own checks
/// follow (as of the day it was made on the laptop).
pub fn registration(
    fields: &[(String, Option<String>)],
) -> Result<(NewChild, bool), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let get = |name: &str| -> Option<String> {
        fields
            .iter()
            .find(|(f, _)| f == name)
            .and_then(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let mut yes_no = |name: &str| match get(name).as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            e.add(name, "must be true or false");
            false
        }
    };
    let (disability, in_school, child_labour, estimated) = (
        yes_no("disability"),
        yes_no("in_school"),
        yes_no("child_labour"),
        yes_no("date_of_birth_estimated"),
    );
    for (field, _) in fields {
        if !registration_fields_known(field) {
            e.add(field, "is not a field of a child's record");
        }
    }
    let child = NewChild {
        given_name: get("given_name").unwrap_or_default(),
        family_name: get("family_name").unwrap_or_default(),
        sex: get("sex").unwrap_or_default(),
        date_of_birth: get("date_of_birth"),
        estimated_age: None,
        location: get("location").unwrap_or_default(),
        birth_registration: get("birth_registration"),
        disability,
        minority_group: get("minority_group"),
        living_situation: get("living_situation"),
        in_school,
        child_labour,
        household_id: get("household_id"),
    };
    e.into_result()?;
    Ok((child, estimated))
}

fn registration_fields_known(field: &str) -> bool {
    matches!(
        field,
        "given_name"
            | "family_name"
            | "sex"
            | "date_of_birth"
            | "date_of_birth_estimated"
            | "location"
            | "birth_registration"
            | "disability"
            | "minority_group"
            | "living_situation"
            | "in_school"
            | "child_labour"
            | "household_id"
    )
}

/// The change to a child's record that writes `fields` (as
/// [`child_fields`] names them); the record's own checks follow when it
/// is applied.
pub fn child_patch(fields: &[(String, Option<String>)]) -> Result<ChildPatch, ValidationErrors> {
    let mut p = ChildPatch::default();
    let mut e = ValidationErrors::default();
    for (field, value) in fields {
        let text = value.clone().unwrap_or_default();
        let mut yes_no = |slot: &mut Option<bool>| match text.as_str() {
            "true" => *slot = Some(true),
            "false" => *slot = Some(false),
            _ => e.add(field, "must be true or false"),
        };
        match field.as_str() {
            "given_name" => p.given_name = Some(text),
            "family_name" => p.family_name = Some(text),
            "sex" => p.sex = Some(text),
            "date_of_birth" => p.date_of_birth = Some(text),
            "location" => p.location = Some(text),
            "birth_registration" => p.birth_registration = Some(text),
            "disability" => yes_no(&mut p.disability),
            // Empty clears it.
            "minority_group" => p.minority_group = Some(text),
            "living_situation" => p.living_situation = Some(text),
            "in_school" => yes_no(&mut p.in_school),
            "child_labour" => yes_no(&mut p.child_labour),
            "household_id" if text.is_empty() => e.add(
                field,
                "cannot be cleared from a laptop; change it on the server",
            ),
            "household_id" => p.household_id = Some(text),
            _ => e.add(field, "is not a field of a child's record"),
        }
    }
    e.into_result()?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::NewChild;
    use crate::field_sync::merge_fields;
    use crate::Date;

    fn child() -> Child {
        let today = Date::new(2026, 11, 29).unwrap();
        let v = NewChild {
            given_name: "Amina".into(),
            family_name: "Diallo".into(),
            sex: "female".into(),
            date_of_birth: Some("2015-03-02".into()),
            location: "KE-01-01".into(),
            ..NewChild::default()
        }
        .validate(today)
        .unwrap();
        Child {
            id: "c1".into(),
            given_name: v.given_name,
            family_name: v.family_name,
            sex: v.sex,
            date_of_birth: v.date_of_birth,
            date_of_birth_estimated: false,
            location: v.location,
            birth_registration: v.birth_registration,
            disability: false,
            minority_group: None,
            living_situation: v.living_situation,
            in_school: true,
            child_labour: false,
            household_id: None,
            agency: None,
            institution_id: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_child_reads_as_fields_and_a_merge_of_them_becomes_a_patch_that_applies() {
        let c = child();
        let fields = child_fields(&c);
        assert_eq!(fields["disability"].as_deref(), Some("false"));
        assert_eq!(fields["date_of_birth"].as_deref(), Some("2015-03-02"));
        let merge = merge_fields(
            &fields,
            &[
                FieldChange {
                    field: "disability".into(),
                    base: Some("false".into()),
                    value: Some("true".into()),
                },
                FieldChange {
                    field: "family_name".into(),
                    base: Some("Diallo".into()),
                    value: Some("Diallo-Sow".into()),
                },
            ],
        )
        .unwrap();
        let patch = child_patch(&merge.apply).unwrap();
        let today = Date::new(2026, 11, 29).unwrap();
        let v = patch.apply(&c, today).unwrap();
        assert!(v.disability);
        assert_eq!(v.family_name, "Diallo-Sow");
        assert_eq!(v.given_name, "Amina");
    }

    #[test]
    fn values_a_record_cannot_hold_are_refused_with_the_field_named() {
        for (field, value) in [
            ("disability", Some("maybe")),
            ("household_id", None),
            ("favourite_colour", Some("blue")),
        ] {
            let e = child_patch(&[(field.into(), value.map(str::to_string))]).unwrap_err();
            assert!(e.summary().contains(field), "{field}: {}", e.summary());
        }
        // A required name cleared passes here and is refused by the record.
        let patch = child_patch(&[("given_name".into(), None)]).unwrap();
        let today = Date::new(2026, 11, 29).unwrap();
        assert!(patch.apply(&child(), today).is_err());
    }

    #[test]
    fn an_assessment_made_offline_travels_as_changes_and_back() {
        let a = OfflineAssessment {
            id: "0123456789abcdef0123456789abcdef".into(),
            instrument_version: 3,
            answers: BTreeMap::from([
                ("school_dropout".into(), Answer::Yes(true)),
                ("violence".into(), Answer::Intensity(0.5)),
                ("migration".into(), Answer::Unknown),
            ]),
            notes: Some("Met at the market".into()),
        };
        assert_eq!(OfflineAssessment::from_changes(&a.to_changes()), Ok(a));
    }

    #[test]
    fn an_assessment_with_a_part_missing_or_unknown_is_refused_naming_it() {
        let good = OfflineAssessment {
            id: "0123456789abcdef0123456789abcdef".into(),
            instrument_version: 1,
            answers: BTreeMap::new(),
            notes: None,
        }
        .to_changes();
        let with = |field: &str, value: Option<&str>| {
            let mut changes = good.clone();
            changes.retain(|c| c.field != field);
            changes.push(FieldChange {
                field: field.into(),
                base: None,
                value: value.map(str::to_string),
            });
            OfflineAssessment::from_changes(&changes)
                .unwrap_err()
                .summary()
        };
        assert!(with("id", Some("0123456789ABCDEF0123456789ABCDEF")).contains("id"));
        assert!(with("id", None).contains("id"));
        assert!(with("instrument_version", Some("-1")).contains("instrument_version"));
        assert!(with("answers", Some("{\"violence\": \"often\"}")).contains("answers"));
        assert!(with("answers", None).contains("answers"));
        assert!(with("score", Some("9")).contains("score"));
    }

    #[test]
    fn a_case_step_or_note_made_offline_travels_as_changes_and_back() {
        for work in [
            OfflineCaseWork {
                action: Some(CaseAction::RecordFollowUp),
                text: Some("Visited the family; school attendance is back".into()),
                seen: CaseStep::Implementation,
            },
            OfflineCaseWork {
                action: Some(CaseAction::RequestClosure),
                text: Some("Goals met".into()),
                seen: CaseStep::FollowUp,
            },
            OfflineCaseWork {
                action: None,
                text: Some("Mother asked for a call next week".into()),
                seen: CaseStep::Assessment,
            },
        ] {
            let back = OfflineCaseWork::from_changes(work.kind(), &work.to_changes());
            assert_eq!(back, Ok(work));
        }
    }

    #[test]
    fn a_case_step_with_an_unknown_action_or_no_step_seen_is_refused_naming_it() {
        let step = |action: &str, base: Option<&str>| {
            OfflineCaseWork::from_changes(
                CASE_STEP,
                &[FieldChange {
                    field: "action".into(),
                    base: base.map(str::to_string),
                    value: Some(action.into()),
                }],
            )
            .unwrap_err()
            .summary()
        };
        assert!(step("dance", Some("planning")).contains("action"));
        assert!(step("follow_up", None).contains("action"));
        assert!(step("follow_up", Some("somewhere")).contains("action"));
        let stray = OfflineCaseWork::from_changes(
            CASE_NOTE,
            &[
                FieldChange {
                    field: "note".into(),
                    base: Some("planning".into()),
                    value: Some("x".into()),
                },
                FieldChange {
                    field: "action".into(),
                    base: None,
                    value: Some("reopen".into()),
                },
            ],
        );
        assert!(stray.unwrap_err().summary().contains("action"));
    }

    #[test]
    fn a_referral_made_offline_travels_as_changes_and_back_or_is_refused_naming_the_part() {
        let r = OfflineReferral {
            id: "0123456789abcdef0123456789abcdef".into(),
            service_id: "svc-registry".into(),
            kind: ReferralKind::Service,
            reason: "No birth certificate".into(),
        };
        assert_eq!(
            OfflineReferral::from_changes(&r.to_changes()),
            Ok(r.clone())
        );
        let with = |field: &str, value: &str| {
            let mut changes = r.to_changes();
            changes.retain(|c| c.field != field);
            changes.push(FieldChange {
                field: field.into(),
                base: None,
                value: Some(value.into()),
            });
            OfflineReferral::from_changes(&changes)
                .unwrap_err()
                .summary()
        };
        assert!(with("kind", "fostering").contains("kind"));
        assert!(with("id", "x").contains("id"));
        assert!(with("service_id", " ").contains("service_id"));
        assert!(with("urgency", "high").contains("urgency"));
    }

    #[test]
    fn a_case_opened_offline_travels_as_changes_and_back_or_is_refused_naming_the_part() {
        let o = OfflineCaseOpening {
            id: "0123456789abcdef0123456789abcdef".into(),
            assigned_to: None,
        };
        assert_eq!(
            OfflineCaseOpening::from_changes(&o.to_changes()),
            Ok(o.clone())
        );
        assert_eq!(record_kind(CASE_OPEN), "child");
        let mut changes = o.to_changes();
        changes[0].value = Some("case-1".into());
        changes.push(FieldChange {
            field: "step".into(),
            base: None,
            value: Some("plan".into()),
        });
        let e = OfflineCaseOpening::from_changes(&changes)
            .unwrap_err()
            .summary();
        assert!(e.contains("id") && e.contains("step"), "{e}");
    }

    #[test]
    fn an_answer_to_a_referral_travels_as_changes_and_back_or_is_refused_naming_the_part() {
        let a = OfflineReferralAnswer {
            status: ReferralStatus::Declined,
            seen: ReferralStatus::Sent,
            note: Some("No places left this month".into()),
        };
        assert_eq!(
            OfflineReferralAnswer::from_changes(&a.to_changes()),
            Ok(a.clone())
        );
        assert_eq!(record_kind(REFERRAL_ANSWER), "referral");
        assert_eq!(record_kind(REFERRAL_MAKE), "case");
        assert_eq!(record_kind(CHILD_UPDATE), "child");
        let with = |field: &str, base: Option<&str>, value: &str| {
            let mut changes = a.to_changes();
            changes.retain(|c| c.field != field);
            changes.push(FieldChange {
                field: field.into(),
                base: base.map(Into::into),
                value: Some(value.into()),
            });
            OfflineReferralAnswer::from_changes(&changes).map_err(|e| e.summary())
        };
        // "sent" is where a referral starts, never an answer.
        assert!(with("status", Some("sent"), "sent")
            .unwrap_err()
            .contains("status"));
        assert!(with("status", None, "accepted")
            .unwrap_err()
            .contains("status"));
        assert!(with("status", Some("sent"), "maybe")
            .unwrap_err()
            .contains("status"));
        assert!(with("urgency", None, "high")
            .unwrap_err()
            .contains("urgency"));
        // A blank note is no note.
        assert_eq!(with("note", None, "  ").unwrap().note, None);
    }

    #[test]
    fn a_laptops_date_counts_back_ninety_days_at_most_and_never_ahead() {
        let now = 1_800_000_000;
        assert_eq!(made_offline_at(now - 86_400, now), now - 86_400);
        assert_eq!(made_offline_at(0, now), now - MAX_OFFLINE_DAYS * 86_400);
        assert_eq!(made_offline_at(now + 86_400, now), now);
    }

    #[test]
    fn every_field_of_the_record_can_be_patched() {
        for (field, value) in child_fields(&child()) {
            let value = value.or_else(|| Some("x".into()));
            assert!(
                child_patch(&[(field.clone(), value)]).is_ok(),
                "{field} is read but cannot be written"
            );
        }
    }
}
