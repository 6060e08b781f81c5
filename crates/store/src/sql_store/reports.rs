//! Reports from the public: intake with a tracking code and PIN, the
//! reporter's own view, the staff triage queue and decisions.
//!
//! The code is kept only as a keyed hash (a stolen database does not give
//! the codes back) and the PIN as an Argon2id hash. A wrong code and a
//! wrong PIN fail the same way, after the same work.

use super::cases::clean_text;
use super::{append_audit, location_path, under_path, SqlStore};
use crate::crypto::{hex, random_bytes, random_id};
use crate::error::{StoreError, StoreResult};
use crate::password::{hash_password, verify_password};
use crate::reports::ReportFilter;
use crate::reports::{
    ChildLink, ReportAction, ReportFile, ReportMessage, ReportReceipt, ReportSummary, ReporterView,
};
use crate::sql::{blob, int, opt_blob, opt_int, opt_text, text, Conn, Row, Value};
use crate::PossibleDuplicate;
use haven_domain::report::{
    normalise_code, pin, public_status, tracking_code, Decision, PublicStatus, ReportCategory,
    Reporter, ValidReport,
};
use haven_domain::{Actor, Date, Role};

const REPORT_COLS: &str = "r.id, r.category, r.reporter, r.priority, r.due_at, r.danger_now, r.location, r.decision, \
     r.received_at, r.description_enc, r.url_enc, r.place_enc, r.child_age, r.has_contact, r.lang, r.opened_at, \
     r.decision_reason_enc, r.decided_by, r.case_id, r.hotline_item_id, r.decided_at";

/// The audit name of someone using the public page.
pub(super) const PUBLIC: &str = "public";

fn bad(what: &str) -> StoreError {
    StoreError::Database(format!("stored report has an invalid {what}"))
}

/// Roles that triage reports: hotline analysts, casework staff, admins.
fn may_triage(actor: &Actor) -> bool {
    matches!(
        actor.role,
        Role::Admin | Role::Analyst | Role::Supervisor | Role::Caseworker
    )
}

/// Reports the actor may see: analysts and admins all of them (the
/// national queue); casework staff those placed in their area, and those
/// with no place only when their area is the whole country.
fn report_scope(actor: &Actor, params: &mut Vec<Value>) -> String {
    match (&actor.scope_path, actor.role) {
        (_, Role::Admin | Role::Analyst) | (None, _) => String::new(),
        (Some(p), _) => under_path("r.location_path", p, params),
    }
}

impl SqlStore {
    fn code_key(&self, code: &str) -> String {
        hex(&self.keys.blind(&format!("report-code:{code}")))
    }

    pub(crate) fn do_submit_report(
        &self,
        r: &ValidReport,
        location: Option<&str>,
        now: i64,
    ) -> StoreResult<ReportReceipt> {
        let code = tracking_code(&random_bytes::<16>()?);
        let pin = pin(&random_bytes::<4>()?);
        let pin_hash = hash_password(&pin)?;
        let seal = |field: &str, v: &Option<String>| self.keys.seal_optional(field, v.as_deref());
        let id = random_id()?;
        self.tx(true, |c| {
            let path = match location.map(str::trim).filter(|l| !l.is_empty()) {
                None => None,
                Some(code) => Some(
                    location_path(c, code)?
                        .ok_or_else(|| StoreError::field("location", "error.location"))?
                        .0,
                ),
            };
            c.execute(
                "INSERT INTO reports (id, code_hash, pin_hash, category, reporter, description_enc, url_enc, place_enc, location, location_path, \
                 child_age, danger_now, has_contact, lang, priority, due_at, received_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &[
                    id.clone().into(),
                    self.code_key(&code).into(),
                    pin_hash.clone().into(),
                    r.category.as_str().into(),
                    r.reporter.as_str().into(),
                    self.keys.seal("report.description", &r.description)?.into(),
                    seal("report.url", &r.url)?.into(),
                    seal("report.place", &r.place)?.into(),
                    location.filter(|_| path.is_some()).map(str::trim).into(),
                    path.clone().into(),
                    r.child_age.map(i64::from).into(),
                    r.danger_now.into(),
                    r.contact.is_some().into(),
                    r.lang.clone().into(),
                    i64::from(r.priority).into(),
                    (now + r.respond_within).into(),
                    now.into(),
                    now.into(),
                ],
            )?;
            if let Some(contact) = &r.contact {
                c.execute(
                    "INSERT INTO reporter_contacts (report_id, contact_enc) VALUES (?, ?)",
                    &[id.clone().into(), self.keys.seal("report.contact", contact)?.into()],
                )?;
            }
            append_audit(c, now, PUBLIC, "report.create", &format!("report:{id}"), "ok", &format!("{} priority {}", r.category.as_str(), r.priority))
        })?;
        Ok(ReportReceipt {
            code,
            pin,
            status: PublicStatus::Received,
        })
    }

    /// The report a code and PIN open, or `NotFound` for either mistake.
    /// The report a code and PIN open, or `NotFound` for either mistake.
    /// The PIN is checked outside any write transaction: Argon2 takes tens
    /// of milliseconds and must not hold the database's write lock.
    fn report_by_code(&self, code: &str, pin: &str) -> StoreResult<String> {
        let row = match normalise_code(code) {
            Some(code) => self
                .tx(false, |c| {
                    c.query(
                        "SELECT id, pin_hash FROM reports WHERE code_hash = ?",
                        &[self.code_key(&code).into()],
                    )
                })?
                .into_iter()
                .next(),
            None => None,
        };
        let stored = row.as_ref().map(|r| text(r, 1)).transpose()?;
        // Always verify, against a dummy hash when there is no such code,
        // so a missing code takes as long as a wrong PIN.
        let ok = verify_password(pin.trim(), stored.as_deref());
        match (row, ok) {
            (Some(r), true) => text(&r, 0),
            _ => Err(StoreError::NotFound("report".into())),
        }
    }

    /// Opens the report for its reporter, then runs `f` on it in a write
    /// transaction; a wrong code or PIN is audited and answered `NotFound`.
    fn as_reporter<R>(
        &self,
        code: &str,
        pin: &str,
        action: &str,
        now: i64,
        mut f: impl FnMut(&mut dyn Conn, &str) -> StoreResult<R>,
    ) -> StoreResult<R> {
        let id = match self.report_by_code(code, pin) {
            Ok(id) => id,
            Err(StoreError::NotFound(m)) => {
                self.do_record_event(
                    PUBLIC,
                    action,
                    "report:unknown",
                    "denied",
                    "wrong code or PIN",
                    now,
                )?;
                return Err(StoreError::NotFound(m));
            }
            Err(e) => return Err(e),
        };
        self.tx(true, |c| {
            append_audit(c, now, PUBLIC, action, &format!("report:{id}"), "ok", "")?;
            f(c, &id)
        })
    }

    fn reporter_view(&self, c: &mut dyn Conn, id: &str) -> StoreResult<ReporterView> {
        let rows = c.query(
            "SELECT category, received_at, opened_at, decision FROM reports WHERE id = ?",
            &[id.into()],
        )?;
        let r = rows
            .first()
            .ok_or_else(|| StoreError::NotFound("report".into()))?;
        let decision = opt_text(r, 3)?.and_then(|d| Decision::parse(&d));
        let added = c
            .query(
                "SELECT at, body_enc FROM report_messages WHERE report_id = ? AND source = 'reporter' ORDER BY at, id",
                &[id.into()],
            )?
            .iter()
            .map(|m| Ok((int(m, 0)?, self.keys.open("report.message", &blob(m, 1)?)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(ReporterView {
            status: public_status(opt_int(r, 2)?.is_some(), decision),
            category: ReportCategory::parse(&text(r, 0)?).ok_or_else(|| bad("category"))?,
            received_at: int(r, 1)?,
            added,
        })
    }

    pub(crate) fn do_report_status(
        &self,
        code: &str,
        pin: &str,
        now: i64,
    ) -> StoreResult<ReporterView> {
        self.as_reporter(code, pin, "report.status", now, |c, id| {
            self.reporter_view(c, id)
        })
    }

    pub(crate) fn do_add_report_info(
        &self,
        code: &str,
        pin: &str,
        info: &str,
        now: i64,
    ) -> StoreResult<ReporterView> {
        let info = match clean_text("text", Some(info)) {
            Ok(Some(t)) if t.chars().count() <= haven_domain::report::MAX_TEXT => t,
            Ok(Some(_)) | Err(_) => return Err(StoreError::field("text", "error.too_long")),
            Ok(None) => return Err(StoreError::field("text", "error.description_required")),
        };
        self.as_reporter(code, pin, "report.add_info", now, |c, id| {
            c.execute(
                "INSERT INTO report_messages (id, report_id, source, body_enc, author, at) VALUES (?, ?, 'reporter', ?, 'reporter', ?)",
                &[random_id()?.into(), id.into(), self.keys.seal("report.message", &info)?.into(), now.into()],
            )?;
            c.execute("UPDATE reports SET updated_at = ? WHERE id = ?", &[now.into(), id.into()])?;
            self.reporter_view(c, id)
        })
    }

    fn report_summary(r: &Row, now: i64) -> StoreResult<ReportSummary> {
        let decision = opt_text(r, 7)?.and_then(|d| Decision::parse(&d));
        let due_at = int(r, 4)?;
        Ok(ReportSummary {
            id: text(r, 0)?,
            category: ReportCategory::parse(&text(r, 1)?).ok_or_else(|| bad("category"))?,
            reporter: Reporter::parse(&text(r, 2)?).ok_or_else(|| bad("reporter"))?,
            priority: u8::try_from(int(r, 3)?).map_err(|_| bad("priority"))?,
            due_at,
            overdue: decision.is_none() && due_at < now,
            danger_now: int(r, 5)? != 0,
            location: opt_text(r, 6)?,
            decision,
            received_at: int(r, 8)?,
        })
    }

    fn require_triage(&self, actor: &Actor, action: &str, now: i64) -> StoreResult<()> {
        self.require_role(
            may_triage(actor),
            actor,
            action,
            "reports",
            &format!("the {} role does not triage reports", actor.role),
            now,
        )
    }

    pub(crate) fn do_list_reports(
        &self,
        actor: &Actor,
        f: &ReportFilter,
        now: i64,
    ) -> StoreResult<Vec<ReportSummary>> {
        self.require_triage(actor, "report.list", now)?;
        let mut params = Vec::new();
        let mut cond = report_scope(actor, &mut params);
        if f.open_only {
            cond.push_str(" AND r.decided_at IS NULL");
        }
        if f.danger_now {
            cond.push_str(" AND r.danger_now = 1");
        }
        if f.overdue {
            cond.push_str(" AND r.decided_at IS NULL AND r.due_at < ?");
            params.push(now.into());
        }
        if let Some(category) = f.category {
            cond.push_str(" AND r.category = ?");
            params.push(category.as_str().into());
        }
        if let Some(place) = &f.place {
            let within = self.tx(false, |c| {
                super::within_place(c, "r.location_path", place, &mut params)
            })?;
            cond.push_str(&within);
        }
        let limit = if f.limit == 0 { 500 } else { f.limit.min(500) };
        let offset = f.offset.min(1_000_000_000);
        let sql = format!(
            "SELECT {REPORT_COLS} FROM reports r WHERE 1 = 1{cond} \
             ORDER BY r.decided_at IS NOT NULL, r.priority, r.due_at, r.id LIMIT {limit} OFFSET {offset}"
        );
        let rows = self.read_then_audit(
            actor,
            "report.list",
            "reports",
            now,
            |c| c.query(&sql, &params),
            |rows| format!("{} reports", rows.len()),
        )?;
        rows.iter().map(|r| Self::report_summary(r, now)).collect()
    }

    fn read_report(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<ReportFile> {
        let mut params = vec![Value::from(id)];
        let scope = report_scope(actor, &mut params);
        let rows = c.query(
            &format!("SELECT {REPORT_COLS} FROM reports r WHERE r.id = ?{scope}"),
            &params,
        )?;
        let r = rows
            .first()
            .ok_or_else(|| StoreError::NotFound(format!("report {id}")))?;
        let open =
            |field: &str, b: Option<Vec<u8>>| b.map(|b| self.keys.open(field, &b)).transpose();
        let summary = Self::report_summary(r, now)?;
        let messages = c
            .query("SELECT source, body_enc, author, at FROM report_messages WHERE report_id = ? ORDER BY at, id", &[id.into()])?
            .iter()
            .map(|m| {
                Ok(ReportMessage {
                    source: text(m, 0)?,
                    text: self.keys.open("report.message", &blob(m, 1)?)?,
                    author: text(m, 2)?,
                    at: int(m, 3)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let decision_reason = open("report.decision_reason", opt_blob(r, 16)?)?;
        let mut actions = Vec::new();
        if let (Some(action), Some(at)) = (summary.decision, opt_int(r, 20)?) {
            actions.push(ReportAction {
                action,
                reason: decision_reason.clone(),
                by: opt_text(r, 17)?.unwrap_or_default(),
                at,
                case_id: opt_text(r, 18)?,
                hotline_item_id: opt_text(r, 19)?,
            });
        }
        for a in c.query(
            "SELECT action, reason_enc, taken_by, taken_at, case_id, hotline_item_id FROM report_actions \
             WHERE report_id = ? ORDER BY seq",
            &[id.into()],
        )? {
            actions.push(ReportAction {
                action: Decision::parse(&text(&a, 0)?).ok_or_else(|| bad("action"))?,
                reason: open("report.action_reason", opt_blob(&a, 1)?)?,
                by: text(&a, 2)?,
                at: int(&a, 3)?,
                case_id: opt_text(&a, 4)?,
                hotline_item_id: opt_text(&a, 5)?,
            });
        }
        Ok(ReportFile {
            public_status: public_status(opt_int(r, 15)?.is_some(), summary.decision),
            summary,
            description: self.keys.open("report.description", &blob(r, 9)?)?,
            url: open("report.url", opt_blob(r, 10)?)?,
            place: open("report.place", opt_blob(r, 11)?)?,
            child_age: opt_int(r, 12)?.and_then(|a| u8::try_from(a).ok()),
            has_contact: int(r, 13)? != 0,
            lang: text(r, 14)?,
            decision_reason,
            decided_by: opt_text(r, 17)?,
            case_id: opt_text(r, 18)?,
            hotline_item_id: opt_text(r, 19)?,
            messages,
            actions,
        })
    }

    /// Reads a report for staff; the first reading moves the reporter's
    /// status to "in review".
    pub(crate) fn do_get_report(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<ReportFile> {
        self.require_triage(actor, "report.read", now)?;
        let target = format!("report:{id}");
        self.audited(actor, "report.read", &target, now, |c| {
            let mut file = self.read_report(c, actor, id, now)?;
            c.execute(
                "UPDATE reports SET opened_at = ? WHERE id = ? AND opened_at IS NULL",
                &[now.into(), id.into()],
            )?;
            append_audit(c, now, &actor.name, "report.read", &target, "ok", "")?;
            // Now read, the reporter sees it "in review" (unless decided).
            file.public_status = public_status(true, file.summary.decision);
            Ok(file)
        })
    }

    /// The reporter's contact details, read on purpose by staff who need
    /// them (to call back, or for the police); every reading is audited.
    pub(crate) fn do_report_contact(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<Option<String>> {
        self.require_triage(actor, "report.contact", now)?;
        let target = format!("report:{id}");
        self.audited(actor, "report.contact", &target, now, |c| {
            self.read_report(c, actor, id, now)?;
            let contact = c
                .query(
                    "SELECT contact_enc FROM reporter_contacts WHERE report_id = ?",
                    &[id.into()],
                )?
                .first()
                .map(|r| blob(r, 0).and_then(|b| self.keys.open("report.contact", &b)))
                .transpose()?;
            append_audit(
                c,
                now,
                &actor.name,
                "report.contact",
                &target,
                "ok",
                if contact.is_some() {
                    "contact read"
                } else {
                    "none given"
                },
            )?;
            Ok(contact)
        })
    }

    pub(crate) fn do_add_report_note(
        &self,
        actor: &Actor,
        id: &str,
        note: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.require_triage(actor, "report.note", now)?;
        let note = clean_text("text", Some(note))?
            .ok_or_else(|| StoreError::field("text", "write the note"))?;
        let target = format!("report:{id}");
        self.audited(actor, "report.note", &target, now, |c| {
            self.read_report(c, actor, id, now)?;
            self.report_message(c, id, "staff", &note, &actor.name, now)?;
            append_audit(c, now, &actor.name, "report.note", &target, "ok", "")
        })
    }

    fn report_message(
        &self,
        c: &mut dyn Conn,
        id: &str,
        source: &str,
        body: &str,
        author: &str,
        now: i64,
    ) -> StoreResult<()> {
        c.execute(
            "INSERT INTO report_messages (id, report_id, source, body_enc, author, at) VALUES (?, ?, ?, ?, ?, ?)",
            &[random_id()?.into(), id.into(), source.into(), self.keys.seal("report.message", body)?.into(), author.into(), now.into()],
        )?;
        Ok(())
    }

    /// Records the triage decision. Opening a case registers or links the
    /// child first (with the duplicate check), then opens or joins their case.
    pub(crate) fn do_decide_report(
        &self,
        actor: &Actor,
        id: &str,
        decision: Decision,
        reason: Option<&str>,
        child: Option<&ChildLink>,
        now: i64,
    ) -> StoreResult<(ReportFile, Vec<PossibleDuplicate>)> {
        self.take_action(actor, id, decision, reason, child, now, false)
    }

    /// A further action on a report (or its decision, if it has none yet).
    pub(crate) fn do_add_report_action(
        &self,
        actor: &Actor,
        id: &str,
        action: Decision,
        reason: Option<&str>,
        child: Option<&ChildLink>,
        now: i64,
    ) -> StoreResult<(ReportFile, Vec<PossibleDuplicate>)> {
        self.take_action(actor, id, action, reason, child, now, true)
    }

    /// The decision (`further` false: refused once decided) or a further
    /// action (`further` true: the decision when there is none yet).
    #[allow(clippy::too_many_arguments)]
    fn take_action(
        &self,
        actor: &Actor,
        id: &str,
        decision: Decision,
        reason: Option<&str>,
        child: Option<&ChildLink>,
        now: i64,
        further: bool,
    ) -> StoreResult<(ReportFile, Vec<PossibleDuplicate>)> {
        let audit_action = if further {
            "report.action"
        } else {
            "report.decide"
        };
        self.require_triage(actor, audit_action, now)?;
        let reason = clean_text("reason", reason)?;
        if matches!(decision, Decision::Police | Decision::Close) && reason.is_none() {
            return Err(StoreError::field(
                "reason",
                "say why (for the police: which unit and reference)",
            ));
        }
        let target = format!("report:{id}");
        let current = self.audited(actor, audit_action, &target, now, |c| {
            self.read_report(c, actor, id, now)
        })?;
        // A further action only once the report is decided; before, it is
        // the decision itself.
        let further = further && current.summary.decision.is_some();
        if further {
            self.may_act_further(actor, &current, decision, &target, now)?;
        } else if current.summary.decision.is_some() {
            return Err(StoreError::Conflict(
                "this report has already been decided".into(),
            ));
        }
        // The child, the case and the decision are one transaction: a
        // failure anywhere leaves no child without its case, and no case
        // for a report still waiting. Only the duplicate check runs before,
        // outside the write lock.
        let mut dups = Vec::new();
        let mut new_child = None;
        if decision == Decision::OpenCase {
            self.child_access(actor, now)?;
            match child {
                None => return Err(StoreError::field(
                    "child",
                    "register the child or give the record number of a child already registered",
                )),
                Some(ChildLink::Existing(_)) => {}
                Some(ChildLink::New(n)) => {
                    let valid = n.validate(Date::from_unix(now))?;
                    dups = self.duplicates_of_new(actor, &valid, now)?;
                    new_child = Some(valid);
                }
            }
        }
        if decision == Decision::Hotline && current.url.is_none() {
            return Err(StoreError::field(
                "decision",
                "this report has no web address for the hotline to assess",
            ));
        }
        let file = self.audited(actor, audit_action, &target, now, |c| {
            let mut case_id = None;
            if decision == Decision::OpenCase {
                let child_id = match (&new_child, child) {
                    (Some(valid), _) => {
                        self.register_child_in(c, actor, valid, dups.len(), now)?.id
                    }
                    (None, Some(ChildLink::Existing(cid))) => {
                        let (known, _) = self.read_child(c, actor, cid.trim())?;
                        append_audit(c, now, &actor.name, "child.read", &format!("child:{}", known.id), "ok", "")?;
                        known.id
                    }
                    _ => return Err(StoreError::field("child", "register the child or give the record number of a child already registered")),
                };
                let open = c.query(
                    "SELECT id FROM cases WHERE child_id = ? AND step <> 'closed'",
                    &[child_id.clone().into()],
                )?;
                case_id = Some(match open.first() {
                    Some(r) => text(r, 0)?,
                    None => self.open_case_in(c, actor, &child_id, None, now)?,
                });
            }
            let mut item = None;
            if decision == Decision::Hotline {
                let url = current.url.clone().unwrap_or_default();
                item = Some(self.insert_hotline_item(c, actor, &url, Some(id), current.summary.received_at, now)?);
            }
            if further {
                let n = c.execute(
                    "UPDATE reports SET case_id = COALESCE(case_id, ?), hotline_item_id = COALESCE(hotline_item_id, ?), updated_at = ? \
                     WHERE id = ? AND decided_at IS NOT NULL AND decision <> 'close'",
                    &[case_id.clone().into(), item.clone().into(), now.into(), id.into()],
                )?;
                if n == 0 {
                    return Err(StoreError::Conflict("this report has just been closed by someone else".into()));
                }
                // Numbered in the order taken (several can share a second).
                let seq = c
                    .query("SELECT COUNT(*) FROM report_actions WHERE report_id = ?", &[id.into()])?
                    .first()
                    .map(|r| int(r, 0))
                    .transpose()?
                    .unwrap_or(0)
                    + 1;
                c.execute(
                    "INSERT INTO report_actions (id, report_id, seq, action, reason_enc, case_id, hotline_item_id, taken_by, taken_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    &[
                        random_id()?.into(),
                        id.into(),
                        seq.into(),
                        decision.as_str().into(),
                        self.keys.seal_optional("report.action_reason", reason.as_deref())?.into(),
                        case_id.clone().into(),
                        item.clone().into(),
                        actor.name.clone().into(),
                        now.into(),
                    ],
                )?;
                let line = format!("Further action: {}{}", decision.as_str().replace('_', " "), reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default());
                self.report_message(c, id, "staff", &line, &actor.name, now)?;
                if let Some(k) = &case_id {
                    self.add_event(c, k, "report", &format!("Opened from a {} report", current.summary.category.as_str().replace('_', " ")), &actor.name, now)?;
                }
                append_audit(c, now, &actor.name, "report.action", &target, "ok", decision.as_str())?;
                return self.read_report(c, actor, id, now);
            }
            let n = c.execute(
                "UPDATE reports SET decision = ?, decision_reason_enc = ?, decided_by = ?, decided_at = ?, case_id = ?, hotline_item_id = ?, updated_at = ?, \
                 opened_at = COALESCE(opened_at, ?) WHERE id = ? AND decided_at IS NULL",
                &[
                    decision.as_str().into(),
                    self.keys.seal_optional("report.decision_reason", reason.as_deref())?.into(),
                    actor.name.clone().into(),
                    now.into(),
                    case_id.clone().into(),
                    item.clone().into(),
                    now.into(),
                    now.into(),
                    id.into(),
                ],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict("this report has just been decided by someone else".into()));
            }
            let line = format!("Decision: {}{}", decision.as_str().replace('_', " "), reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default());
            self.report_message(c, id, "staff", &line, &actor.name, now)?;
            if let Some(k) = &case_id {
                self.add_event(c, k, "report", &format!("Opened from a {} report", current.summary.category.as_str().replace('_', " ")), &actor.name, now)?;
            }
            append_audit(c, now, &actor.name, "report.decide", &target, "ok", decision.as_str())?;
            self.read_report(c, actor, id, now)
        })?;
        Ok((file, dups))
    }

    /// Refuses a further action that makes no sense on this report (each
    /// refusal audited): closing again, acting on a closed report, a second
    /// case or a second hotline item.
    fn may_act_further(
        &self,
        actor: &Actor,
        current: &ReportFile,
        action: Decision,
        target: &str,
        now: i64,
    ) -> StoreResult<()> {
        let refusal = match action {
            _ if current.summary.decision == Some(Decision::Close) => Some(StoreError::Conflict(
                "this report is closed: add a note, or ask the reporter for more".into(),
            )),
            Decision::Close => Some(StoreError::field(
                "decision",
                "a report already decided is not closed again: add a note instead",
            )),
            Decision::OpenCase if current.case_id.is_some() => Some(StoreError::Conflict(
                "a case has already been opened from this report".into(),
            )),
            Decision::Hotline if current.hotline_item_id.is_some() => Some(StoreError::Conflict(
                "this report has already been sent to the hotline".into(),
            )),
            _ => None,
        };
        match refusal {
            None => Ok(()),
            Some(e) => {
                self.do_record_event(
                    &actor.name,
                    "report.action",
                    target,
                    "denied",
                    action.as_str(),
                    now,
                )?;
                Err(e)
            }
        }
    }
}
