//! Cases: opening, steps with supervisor
//! approval, notes, consent, adoptability, assignment and transfer. Every
//! read and change is audited in the transaction that makes it.

use super::people::actor_named;
use super::{append_audit, scope_sql, SqlStore};
use crate::casework::{
    Case, CaseCounts, CaseEvent, CaseFile, CaseFilter, CaseSort, WorkerCaseload,
};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::sql::{int, opt_blob, opt_int, opt_text, text, Conn, Row, Value};
use haven_domain::assessment::RiskLevel;
use haven_domain::casework::{
    next_state, suggested_sectors, CaseAction, CaseState, CaseStep, Consent, ExploitationForm,
    PlanStatus, Sector, StepRefused,
};
use haven_domain::field_ops::{OfflineCaseOpening, CASE_OPEN};
use haven_domain::{Actor, Role};

pub(super) const CASE_COLS: &str = "k.id, k.child_id, c.given_name_enc, c.family_name_enc, k.agency, k.assigned_to, k.step, \
     k.plan_status, k.plan_enc, k.closure_requested, k.level, k.urgent, k.consent, k.child_views_enc, \
     k.adoptability_enc, k.next_due_at, k.opened_by, k.opened_at, k.updated_at, k.closed_at, k.location_path, \
     k.plan_submitted_by, c.location, k.exploitation";

/// Most cases one list returns; dashboards link to filtered lists.
const CASE_LIST_LIMIT: i64 = 200;

fn bad(what: &str) -> StoreError {
    StoreError::Database(format!("stored case data has an invalid {what}"))
}

/// Whether a role may decide for a supervisor (approvals, transfers).
fn supervises(actor: &Actor) -> bool {
    matches!(actor.role, Role::Supervisor | Role::Admin)
}

/// Trims a free text and checks its size; `None` when empty.
pub(super) fn clean_text(field: &str, t: Option<&str>) -> StoreResult<Option<String>> {
    let t = t.map(str::trim).filter(|t| !t.is_empty());
    match t {
        Some(t) if t.chars().count() > 10_000 => Err(StoreError::field(
            field,
            "must be at most 10,000 characters",
        )),
        other => Ok(other.map(str::to_string)),
    }
}

pub(super) fn required_text(field: &str, t: Option<&str>, why: &str) -> StoreResult<String> {
    clean_text(field, t)?.ok_or_else(|| StoreError::field(field, why))
}

/// The words a step keeps: required (saying what to write) for the steps
/// that need them, else optional. Online and from a field laptop alike.
pub(super) fn step_words(action: CaseAction, text: Option<&str>) -> StoreResult<Option<String>> {
    if !action.needs_text() {
        return clean_text("text", text);
    }
    let why = match action {
        CaseAction::SubmitPlan => "write the case plan: goals, services and who does what by when",
        CaseAction::RecordFollowUp => "say what the follow-up found",
        _ => "say why",
    };
    required_text("text", text, why).map(Some)
}

/// A note's words, required.
pub(super) fn note_words(text: Option<&str>) -> StoreResult<String> {
    required_text("text", text, "write the note")
}

impl SqlStore {
    pub(super) fn case_from_row(&self, r: &Row, now: i64) -> StoreResult<Case> {
        let open = |field: &str, b: Option<Vec<u8>>| -> StoreResult<Option<String>> {
            b.map(|b| self.keys.open(field, &b)).transpose()
        };
        let given = self.keys.open("given_name", &crate::sql::blob(r, 2)?)?;
        let family = self.keys.open("family_name", &crate::sql::blob(r, 3)?)?;
        let step = CaseStep::parse(&text(r, 6)?).ok_or_else(|| bad("step"))?;
        let next_due_at = opt_int(r, 15)?;
        Ok(Case {
            id: text(r, 0)?,
            child_id: text(r, 1)?,
            child_name: format!("{given} {family}"),
            district: text(r, 22)?,
            agency: opt_text(r, 4)?,
            assigned_to: text(r, 5)?,
            step,
            plan_status: PlanStatus::parse(&text(r, 7)?).ok_or_else(|| bad("plan status"))?,
            plan: open("case.plan", opt_blob(r, 8)?)?,
            closure_requested: int(r, 9)? != 0,
            level: opt_text(r, 10)?.and_then(|l| RiskLevel::parse(&l)),
            urgent: int(r, 11)? != 0,
            consent: Consent::parse(&text(r, 12)?).ok_or_else(|| bad("consent"))?,
            child_views: open("case.child_views", opt_blob(r, 13)?)?,
            adoptability: open("case.adoptability", opt_blob(r, 14)?)?,
            exploitation: opt_text(r, 23)?.and_then(|e| ExploitationForm::parse(&e)),
            next_due_at,
            overdue: step != CaseStep::Closed && next_due_at.is_some_and(|d| d < now),
            opened_by: text(r, 16)?,
            opened_at: int(r, 17)?,
            updated_at: int(r, 18)?,
            closed_at: opt_int(r, 19)?,
        })
    }

    /// A case in the actor's scope, with its location path and plan author.
    pub(super) fn read_case(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<(Case, String, Option<String>)> {
        let mut params = vec![Value::from(id)];
        let scope = scope_sql(actor, "k", &mut params);
        let rows = c.query(
            &format!("SELECT {CASE_COLS} FROM cases k JOIN children c ON c.id = k.child_id WHERE k.id = ?{scope}"),
            &params,
        )?;
        let Some(r) = rows.first() else {
            return Err(StoreError::NotFound(format!("case {id}")));
        };
        Ok((self.case_from_row(r, now)?, text(r, 20)?, opt_text(r, 21)?))
    }

    pub(super) fn add_event(
        &self,
        c: &mut dyn Conn,
        case_id: &str,
        kind: &str,
        body: &str,
        author: &str,
        now: i64,
    ) -> StoreResult<()> {
        c.execute(
            "INSERT INTO case_events (id, case_id, kind, body_enc, author, at) VALUES (?, ?, ?, ?, ?, ?)",
            &[
                random_id()?.into(),
                case_id.into(),
                kind.into(),
                self.keys.seal("case.event", body)?.into(),
                author.into(),
                now.into(),
            ],
        )?;
        Ok(())
    }

    /// The level and urgency of a child's latest assessment, if any.
    fn latest_level(c: &mut dyn Conn, child_id: &str) -> StoreResult<Option<(RiskLevel, bool)>> {
        let rows = c.query(
            "SELECT COALESCE(confirmed_level, level), urgent FROM assessments WHERE child_id = ? ORDER BY assessed_at DESC, seq DESC, id DESC LIMIT 1",
            &[child_id.into()],
        )?;
        match rows.first() {
            None => Ok(None),
            Some(r) => Ok(Some((
                RiskLevel::parse(&text(r, 0)?).ok_or_else(|| bad("level"))?,
                int(r, 1)? != 0,
            ))),
        }
    }

    /// Checks that `name` can hold a case for a child at `path` held by `agency`.
    fn case_holder(
        c: &mut dyn Conn,
        name: &str,
        path: &str,
        agency: Option<&str>,
    ) -> StoreResult<Actor> {
        let user = actor_named(c, name)?.ok_or_else(|| {
            StoreError::field("assigned_to", format!("there is no user {name:?}"))
        })?;
        if !matches!(user.role, Role::Caseworker | Role::Supervisor) {
            return Err(StoreError::field(
                "assigned_to",
                format!(
                    "{name} is a {}; cases go to caseworkers and supervisors",
                    user.role
                ),
            ));
        }
        if !user.can_see(path, agency) {
            return Err(StoreError::field(
                "assigned_to",
                format!("{name} works outside this child's area or agency"),
            ));
        }
        Ok(user)
    }

    pub(crate) fn do_open_case(
        &self,
        actor: &Actor,
        child_id: &str,
        assigned_to: Option<&str>,
        now: i64,
    ) -> StoreResult<Case> {
        self.child_access(actor, now)?;
        let target = format!("child:{child_id}");
        let id = self.audited(actor, "case.open", &target, now, |c| {
            let id = self.open_case_in(c, actor, child_id, assigned_to, now)?;
            if self.field_outbox {
                let opening = OfflineCaseOpening {
                    id: id.clone(),
                    assigned_to: assigned_to.map(str::to_string),
                };
                super::field_outbox::keep(
                    c,
                    &self.keys,
                    CASE_OPEN,
                    child_id,
                    &opening.to_changes(),
                    now,
                )?;
            }
            Ok(id)
        })?;
        self.case_only(actor, &id, now)
    }

    /// Opens a case for a child inside the caller's transaction; returns
    /// its id. Refuses a second open case for the same child.
    pub(super) fn open_case_in(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        child_id: &str,
        assigned_to: Option<&str>,
        now: i64,
    ) -> StoreResult<String> {
        let id = random_id()?;
        self.open_case_as(c, actor, child_id, assigned_to, (&id, ""), (now, now))?;
        Ok(id)
    }

    /// [`SqlStore::open_case_in`] under identifier `id`, opened `at` (a
    /// laptop's when it was opened there: its clock runs from then), with
    /// `how` in its audit entry. Changed `now`, so that the next checkout
    /// brings it.
    pub(super) fn open_case_as(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        child_id: &str,
        assigned_to: Option<&str>,
        (id, how): (&str, &str),
        (at, now): (i64, i64),
    ) -> StoreResult<()> {
        let target = format!("child:{child_id}{how}");
        let (child, path) = self.read_child(c, actor, child_id)?;
        let open = c.query(
            "SELECT id FROM cases WHERE child_id = ? AND step <> 'closed'",
            &[child_id.into()],
        )?;
        if let Some(r) = open.first() {
            return Err(StoreError::Conflict(format!(
                "this child already has an open case ({})",
                text(r, 0)?
            )));
        }
        let holder = match assigned_to.map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => Self::case_holder(c, name, &path, child.agency.as_deref())?.name,
            None if matches!(actor.role, Role::Caseworker | Role::Supervisor) => actor.name.clone(),
            None => {
                return Err(StoreError::field(
                    "assigned_to",
                    "name the caseworker who will hold the case",
                ))
            }
        };
        let latest = Self::latest_level(c, child_id)?;
        let step = if latest.is_some() {
            CaseStep::Assessment
        } else {
            CaseStep::Identification
        };
        c.execute(
            "INSERT INTO cases (id, child_id, location_path, agency, assigned_to, step, plan_status, closure_requested, level, urgent, consent, next_due_at, opened_by, opened_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, 'none', 0, ?, ?, 'not_asked', ?, ?, ?, ?)",
            &[
                id.into(),
                child_id.into(),
                path.into(),
                child.agency.clone().into(),
                holder.clone().into(),
                step.as_str().into(),
                latest.map(|(l, _)| l.as_str()).into(),
                latest.is_some_and(|(_, u)| u).into(),
                (at + self.due.next_action_secs(latest.map(|(l, _)| l))).into(),
                actor.name.clone().into(),
                at.into(),
                now.into(),
            ],
        )?;
        self.add_event(
            c,
            id,
            "opened",
            &format!("Case opened, assigned to {holder}"),
            &actor.name,
            at,
        )?;
        append_audit(
            c,
            now,
            &actor.name,
            "case.open",
            &format!("case:{id}"),
            "ok",
            &target,
        )
    }

    /// Reads a case without its history (used after a change; not audited
    /// again since the change was).
    fn case_only(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Case> {
        self.tx(false, |c| {
            self.read_case(c, actor, id, now).map(|(k, _, _)| k)
        })
    }

    pub(crate) fn do_get_case(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<CaseFile> {
        self.child_access(actor, now)?;
        let target = format!("case:{id}");
        self.audited_read(actor, "case.read", &target, now, |c| {
            let (case, path, _) = self.read_case(c, actor, id, now)?;
            let child = self.read_child_scoped(c, actor, &case.child_id)?;
            let available_services = self.services_covering(c, &path)?;
            let events = self.case_events(c, id)?;
            let referrals = self.referrals_of_case(c, id, now)?;
            let referred: Vec<Sector> = referrals
                .iter()
                .filter(|r| r.status != haven_domain::casework::ReferralStatus::Declined)
                .map(|r| r.sector)
                .collect();
            let detail = format!("child:{}", case.child_id);
            let file = CaseFile {
                suggested_sectors: suggested_sectors(child.birth_registration, &referred),
                case,
                events,
                referrals,
                available_services,
            };
            Ok((file, detail))
        })
    }

    /// A case's history, oldest first.
    pub(super) fn case_events(&self, c: &mut dyn Conn, id: &str) -> StoreResult<Vec<CaseEvent>> {
        let rows = c.query(
            "SELECT kind, body_enc, author, at FROM case_events WHERE case_id = ? ORDER BY at, id",
            &[id.into()],
        )?;
        rows.iter()
            .map(|r| {
                Ok(CaseEvent {
                    kind: text(r, 0)?,
                    text: match opt_blob(r, 1)? {
                        Some(b) => self.keys.open("case.event", &b)?,
                        None => String::new(),
                    },
                    author: text(r, 2)?,
                    at: int(r, 3)?,
                })
            })
            .collect()
    }

    pub(crate) fn do_list_cases(
        &self,
        actor: &Actor,
        f: &CaseFilter,
        now: i64,
    ) -> StoreResult<Vec<Case>> {
        self.child_access(actor, now)?;
        let mut params = Vec::new();
        let mut sql = format!(
            "SELECT {CASE_COLS} FROM cases k JOIN children c ON c.id = k.child_id WHERE 1 = 1"
        );
        sql.push_str(&scope_sql(actor, "k", &mut params));
        if !f.include_closed {
            sql.push_str(" AND k.step <> 'closed'");
        }
        if f.mine {
            sql.push_str(" AND k.assigned_to = ?");
            params.push(actor.name.clone().into());
        }
        if f.overdue {
            sql.push_str(" AND k.step <> 'closed' AND k.next_due_at < ?");
            params.push(now.into());
        }
        if f.awaiting_approval {
            sql.push_str(" AND (k.plan_status = 'submitted' OR k.closure_requested = 1)");
        }
        if let Some(child) = &f.child_id {
            sql.push_str(" AND k.child_id = ?");
            params.push(child.clone().into());
        }
        if let Some(step) = f.step {
            sql.push_str(" AND k.step = ?");
            params.push(step.as_str().into());
        }
        match f.level {
            Some(Some(level)) => {
                sql.push_str(" AND k.level = ?");
                params.push(level.as_str().into());
            }
            Some(None) => sql.push_str(" AND k.level IS NULL"),
            None => {}
        }
        if let Some(worker) = &f.worker {
            sql.push_str(" AND k.assigned_to = ?");
            params.push(worker.clone().into());
        }
        if let Some(agency) = &f.agency {
            sql.push_str(" AND k.agency = ?");
            params.push(agency.clone().into());
        }
        if let Some(place) = &f.place {
            let within = self.tx(false, |c| {
                super::within_place(c, "k.location_path", place, &mut params)
            })?;
            sql.push_str(&within);
        }
        let order = match f.sort {
            CaseSort::Due => "k.next_due_at IS NULL, k.next_due_at, k.id",
            CaseSort::Risk => {
                "CASE k.level WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 \
                 WHEN 'low' THEN 3 ELSE 4 END, k.urgent DESC, k.next_due_at IS NULL, k.next_due_at, k.id"
            }
            CaseSort::Updated => "k.updated_at DESC, k.id",
        };
        let limit = if f.limit == 0 {
            CASE_LIST_LIMIT
        } else {
            f.limit.min(CASE_LIST_LIMIT as usize) as i64
        };
        // An offset past any real list is an empty page, not a database error.
        let offset = f.offset.min(1_000_000_000);
        sql.push_str(&format!(" ORDER BY {order} LIMIT {limit} OFFSET {offset}"));
        let rows = self.read_then_audit(
            actor,
            "case.list",
            "cases",
            now,
            |c| c.query(&sql, &params),
            |rows| format!("{} cases", rows.len()),
        )?;
        rows.iter().map(|r| self.case_from_row(r, now)).collect()
    }

    pub(crate) fn do_case_counts(&self, actor: &Actor, now: i64) -> StoreResult<CaseCounts> {
        self.child_access(actor, now)?;
        let mut params = vec![
            now.into(),
            actor.name.clone().into(),
            actor.name.clone().into(),
            now.into(),
        ];
        let scope = scope_sql(actor, "k", &mut params);
        let rows = self.tx(false, |c| {
            let totals = c.query(
                &format!(
                    "SELECT CAST(COUNT(*) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN k.next_due_at < ? THEN 1 ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN k.assigned_to = ? THEN 1 ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN k.assigned_to = ? AND k.next_due_at < ? THEN 1 ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN k.plan_status = 'submitted' THEN 1 ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN k.closure_requested = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     FROM cases k WHERE k.step <> 'closed'{scope}"
                ),
                &params,
            )?;
            let mut p2 = Vec::new();
            let scope2 = scope_sql(actor, "k", &mut p2);
            let steps = c.query(
                &format!("SELECT k.step, COALESCE(k.level, 'unassessed'), CAST(COUNT(*) AS BIGINT) FROM cases k WHERE k.step <> 'closed'{scope2} GROUP BY k.step, COALESCE(k.level, 'unassessed')"),
                &p2,
            )?;
            let mut p3 = vec![now.into()];
            let scope3 = scope_sql(actor, "k", &mut p3);
            let workers = c.query(
                &format!(
                    "SELECT k.assigned_to, CAST(COUNT(*) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN k.next_due_at < ? THEN 1 ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN k.level IN ('high', 'critical') THEN 1 ELSE 0 END), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(CASE WHEN k.plan_status = 'submitted' OR k.closure_requested = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     FROM cases k WHERE k.step <> 'closed'{scope3} GROUP BY k.assigned_to"
                ),
                &p3,
            )?;
            Ok((totals, steps, workers))
        })?;
        let (totals, steps, workers) = rows;
        let mut by_worker = workers
            .iter()
            .map(|r| {
                Ok(WorkerCaseload {
                    worker: text(r, 0)?,
                    open: int(r, 1)?,
                    overdue: int(r, 2)?,
                    high_risk: int(r, 3)?,
                    awaiting_approval: int(r, 4)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        by_worker.sort_by(|a, b| b.open.cmp(&a.open).then_with(|| a.worker.cmp(&b.worker)));
        let mut out = CaseCounts {
            by_worker,
            ..CaseCounts::default()
        };
        if let Some(r) = totals.first() {
            out.open = int(r, 0)?;
            out.overdue = int(r, 1)?;
            out.mine = int(r, 2)?;
            out.mine_overdue = int(r, 3)?;
            out.plans_awaiting_approval = int(r, 4)?;
            out.closures_awaiting_approval = int(r, 5)?;
        }
        for step in CaseStep::ALL.iter().filter(|s| **s != CaseStep::Closed) {
            let mut n = 0;
            for r in &steps {
                if text(r, 0)? == step.as_str() {
                    n += int(r, 2)?;
                }
            }
            out.by_step.push((step.as_str().to_string(), n));
        }
        for level in ["critical", "high", "medium", "low", "unassessed"] {
            let mut n = 0;
            for r in &steps {
                if text(r, 1)? == level {
                    n += int(r, 2)?;
                }
            }
            out.by_level.push((level.to_string(), n));
        }
        Ok(out)
    }

    pub(crate) fn do_case_action(
        &self,
        actor: &Actor,
        id: &str,
        action: CaseAction,
        text_in: Option<&str>,
        now: i64,
    ) -> StoreResult<Case> {
        self.child_access(actor, now)?;
        let body = step_words(action, text_in)?;
        let verb = format!("case.{}", action.as_str());
        let target = format!("case:{id}");
        self.audited(actor, &verb, &target, now, |c| {
            let (from, to) = self.take_step(c, actor, id, action, body.as_deref(), now, now)?;
            if self.field_outbox {
                super::field_outbox::record_case_work(
                    c,
                    &self.keys,
                    id,
                    Some(action),
                    body.as_deref(),
                    from,
                    now,
                )?;
            }
            append_audit(
                c,
                now,
                &actor.name,
                &verb,
                &target,
                "ok",
                &format!("{} -> {}", from.as_str(), to.as_str()),
            )
        })?;
        self.case_only(actor, id, now)
    }

    /// A step on a case, in the caller's transaction: checked against the
    /// case's state and the caller's role, then written, its history line
    /// dated `at` (a laptop's step when it was taken). Nothing is written
    /// when it is refused. Returns the step before and after.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn take_step(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
        action: CaseAction,
        body: Option<&str>,
        at: i64,
        now: i64,
    ) -> StoreResult<(CaseStep, CaseStep)> {
        let (case, _, plan_author) = self.read_case(c, actor, id, now)?;
        let state = CaseState {
            step: case.step,
            plan: case.plan_status,
            closure_requested: case.closure_requested,
        };
        let next = next_state(state, action, actor.role).map_err(|e| match e {
            StepRefused::Role(m) => StoreError::Forbidden(m),
            StepRefused::State(m) => StoreError::Conflict(m),
        })?;
        if action == CaseAction::ApprovePlan && plan_author.as_deref() == Some(actor.name.as_str())
        {
            return Err(StoreError::Conflict(
                "a case plan is approved by someone other than the person who wrote it".into(),
            ));
        }
        let mut level = case.level;
        let mut urgent = case.urgent;
        if action == CaseAction::RecordAssessment {
            let Some((l, u)) = Self::latest_level(c, &case.child_id)? else {
                return Err(StoreError::Conflict(
                    "the child has no assessment yet; assess first".into(),
                ));
            };
            level = Some(l);
            urgent = u;
        }
        self.apply_state(c, id, next, level, urgent, now)?;
        if action == CaseAction::SubmitPlan {
            c.execute(
                "UPDATE cases SET plan_enc = ?, plan_submitted_by = ? WHERE id = ?",
                &[
                    self.keys.seal("case.plan", body.unwrap_or(""))?.into(),
                    actor.name.clone().into(),
                    id.into(),
                ],
            )?;
        }
        let event = body.map_or_else(|| describe(action, level), str::to_string);
        self.add_event(c, id, action.as_str(), &event, &actor.name, at)?;
        Ok((case.step, next.step))
    }

    /// Writes a case's new state and when its next action falls due.
    fn apply_state(
        &self,
        c: &mut dyn Conn,
        id: &str,
        s: CaseState,
        level: Option<RiskLevel>,
        urgent: bool,
        now: i64,
    ) -> StoreResult<()> {
        let closed = s.step == CaseStep::Closed;
        let due = (!closed).then(|| now + self.due.next_action_secs(level));
        c.execute(
            "UPDATE cases SET step = ?, plan_status = ?, closure_requested = ?, level = ?, urgent = ?, next_due_at = ?, updated_at = ?, closed_at = ? WHERE id = ?",
            &[
                s.step.as_str().into(),
                s.plan.as_str().into(),
                s.closure_requested.into(),
                level.map(|l| l.as_str()).into(),
                urgent.into(),
                due.into(),
                now.into(),
                closed.then_some(now).into(),
                id.into(),
            ],
        )?;
        Ok(())
    }

    /// Called inside an assessment's transaction: the child's open case
    /// takes the child's latest level (the new one, unless it was made
    /// before another) and its next action is due accordingly.
    pub(super) fn case_after_assessment(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        child_id: &str,
        level: RiskLevel,
        urgent: bool,
        now: i64,
    ) -> StoreResult<()> {
        let rows = c.query(
            "SELECT id, step, plan_status, closure_requested FROM cases WHERE child_id = ? AND step <> 'closed'",
            &[child_id.into()],
        )?;
        let Some(r) = rows.first() else { return Ok(()) };
        let id = text(r, 0)?;
        // The case takes the child's latest level: an assessment made
        // offline and synced after a later one does not replace it.
        let (latest, latest_urgent) = Self::latest_level(c, child_id)?.unwrap_or((level, urgent));
        let state = CaseState {
            step: CaseStep::parse(&text(r, 1)?).ok_or_else(|| bad("step"))?,
            plan: PlanStatus::parse(&text(r, 2)?).ok_or_else(|| bad("plan status"))?,
            closure_requested: int(r, 3)? != 0,
        };
        let next = next_state(state, CaseAction::RecordAssessment, actor.role).unwrap_or(state);
        self.apply_state(c, &id, next, Some(latest), latest_urgent, now)?;
        self.add_event(
            c,
            &id,
            "record_assessment",
            &describe(CaseAction::RecordAssessment, Some(level)),
            &actor.name,
            now,
        )
    }

    pub(crate) fn do_add_case_note(
        &self,
        actor: &Actor,
        id: &str,
        note: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.child_access(actor, now)?;
        let note = note_words(Some(note))?;
        let target = format!("case:{id}");
        self.audited(actor, "case.note", &target, now, |c| {
            let step = self.write_note(c, actor, id, &note, now, now)?;
            if self.field_outbox {
                super::field_outbox::record_case_work(
                    c,
                    &self.keys,
                    id,
                    None,
                    Some(&note),
                    step,
                    now,
                )?;
            }
            append_audit(c, now, &actor.name, "case.note", &target, "ok", "")
        })
    }

    /// A note on an open case, in the caller's transaction, dated `at`.
    /// Returns the case's step.
    pub(super) fn write_note(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
        note: &str,
        at: i64,
        now: i64,
    ) -> StoreResult<CaseStep> {
        let case = open_case(self.read_case(c, actor, id, now)?.0)?;
        self.add_event(c, id, "note", note, &actor.name, at)?;
        c.execute(
            "UPDATE cases SET updated_at = ? WHERE id = ?",
            &[now.into(), id.into()],
        )?;
        Ok(case.step)
    }

    pub(crate) fn do_record_consent(
        &self,
        actor: &Actor,
        id: &str,
        consent: Consent,
        child_views: Option<&str>,
        now: i64,
    ) -> StoreResult<Case> {
        self.online_only("Recording consent")?;
        self.child_access(actor, now)?;
        let views = clean_text("child_views", child_views)?;
        let target = format!("case:{id}");
        self.audited(actor, "case.consent", &target, now, |c| {
            let case = open_case(self.read_case(c, actor, id, now)?.0)?;
            let sealed = self.keys.seal_optional(
                "case.child_views",
                views.as_deref().or(case.child_views.as_deref()),
            )?;
            c.execute(
                "UPDATE cases SET consent = ?, child_views_enc = ?, updated_at = ? WHERE id = ?",
                &[
                    consent.as_str().into(),
                    sealed.into(),
                    now.into(),
                    id.into(),
                ],
            )?;
            let mut event = format!("Consent: {}", consent.as_str().replace('_', " "));
            if let Some(v) = &views {
                event.push_str(&format!(". The child's views: {v}"));
            }
            self.add_event(c, id, "consent", &event, &actor.name, now)?;
            append_audit(
                c,
                now,
                &actor.name,
                "case.consent",
                &target,
                "ok",
                consent.as_str(),
            )
        })?;
        self.case_only(actor, id, now)
    }

    pub(crate) fn do_record_exploitation(
        &self,
        actor: &Actor,
        id: &str,
        form: Option<ExploitationForm>,
        now: i64,
    ) -> StoreResult<Case> {
        self.online_only("Recording the form of exploitation")?;
        self.child_access(actor, now)?;
        let target = format!("case:{id}");
        let spelled = form.map_or("none", ExploitationForm::as_str);
        self.audited(actor, "case.exploitation", &target, now, |c| {
            let (case, _, _) = self.read_case(c, actor, id, now)?;
            if case.exploitation != form {
                c.execute(
                    "UPDATE cases SET exploitation = ?, updated_at = ? WHERE id = ?",
                    &[
                        form.map(|f| f.as_str().to_string()).into(),
                        now.into(),
                        id.into(),
                    ],
                )?;
                let event = match form {
                    Some(f) => format!("Form of exploitation: {}", f.as_str().replace('_', " ")),
                    None => "Form of exploitation: none recorded".to_string(),
                };
                self.add_event(c, id, "exploitation", &event, &actor.name, now)?;
            }
            append_audit(
                c,
                now,
                &actor.name,
                "case.exploitation",
                &target,
                "ok",
                spelled,
            )
        })?;
        self.case_only(actor, id, now)
    }

    pub(crate) fn do_record_adoptability(
        &self,
        actor: &Actor,
        id: &str,
        determination: &str,
        now: i64,
    ) -> StoreResult<Case> {
        self.online_only("Recording adoptability")?;
        self.child_access(actor, now)?;
        self.require_role(
            supervises(actor),
            actor,
            "case.adoptability",
            &format!("case:{id}"),
            "an adoptability determination is recorded by a supervisor",
            now,
        )?;
        let text_in = required_text(
            "determination",
            Some(determination),
            "record who determined adoptability, when, on what grounds (including the child's views and consent)",
        )?;
        let target = format!("case:{id}");
        self.audited(actor, "case.adoptability", &target, now, |c| {
            self.read_case(c, actor, id, now)?;
            c.execute(
                "UPDATE cases SET adoptability_enc = ?, adoptability_by = ?, updated_at = ? WHERE id = ?",
                &[self.keys.seal("case.adoptability", &text_in)?.into(), actor.name.clone().into(), now.into(), id.into()],
            )?;
            self.add_event(c, id, "adoptability", &text_in, &actor.name, now)?;
            append_audit(c, now, &actor.name, "case.adoptability", &target, "ok", "")
        })?;
        self.case_only(actor, id, now)
    }

    /// Reassigns a case within its agency, or (with `to_agency`) transfers
    /// it and the child's record to another agency.
    pub(crate) fn do_reassign_case(
        &self,
        actor: &Actor,
        id: &str,
        to_user: &str,
        to_agency: Option<&str>,
        reason: Option<&str>,
        now: i64,
    ) -> StoreResult<Case> {
        self.online_only("Reassigning or transferring a case")?;
        self.child_access(actor, now)?;
        let action = if to_agency.is_some() {
            "case.transfer"
        } else {
            "case.assign"
        };
        self.require_role(
            supervises(actor),
            actor,
            action,
            &format!("case:{id}"),
            "a supervisor assigns and transfers cases",
            now,
        )?;
        let reason = required_text("reason", reason, "say why the case moves")?;
        let to_agency = match to_agency.map(str::trim) {
            Some("") => {
                return Err(StoreError::field(
                    "to_agency",
                    "name the agency taking the case",
                ))
            }
            Some(a) if !haven_domain::location::valid_code(a) => {
                return Err(StoreError::field(
                    "to_agency",
                    "must be an agency code: 1-32 letters, digits, '-' or '_'",
                ))
            }
            other => other.map(str::to_string),
        };
        let target = format!("case:{id}");
        self.audited(actor, action, &target, now, |c| {
            let (case, path, _) = self.read_case(c, actor, id, now)?;
            let case = open_case(case)?;
            let agency = to_agency.clone().or(case.agency.clone());
            let holder = Self::case_holder(c, to_user.trim(), &path, agency.as_deref())?;
            c.execute(
                "UPDATE cases SET assigned_to = ?, agency = ?, updated_at = ? WHERE id = ?",
                &[
                    holder.name.clone().into(),
                    agency.clone().into(),
                    now.into(),
                    id.into(),
                ],
            )?;
            let event = if let Some(a) = &to_agency {
                // The child's record moves with the case so the new agency can read it.
                c.execute(
                    "UPDATE children SET agency = ?, updated_at = ? WHERE id = ?",
                    &[a.clone().into(), now.into(), case.child_id.clone().into()],
                )?;
                format!(
                    "Transferred from {} to {a}, assigned to {}: {reason}",
                    case.agency.as_deref().unwrap_or("no agency"),
                    holder.name
                )
            } else {
                format!(
                    "Reassigned from {} to {}: {reason}",
                    case.assigned_to, holder.name
                )
            };
            let kind = if to_agency.is_some() {
                "transferred"
            } else {
                "assigned"
            };
            self.add_event(c, id, kind, &event, &actor.name, now)?;
            append_audit(
                c,
                now,
                &actor.name,
                action,
                &target,
                "ok",
                &format!("{} -> {}", case.assigned_to, holder.name),
            )
        })?;
        // After a transfer the case may be outside the supervisor's agency;
        // read it back as the system would.
        self.case_only(
            &Actor {
                agency: None,
                ..actor.clone()
            },
            id,
            now,
        )
    }
}

/// The case, unless it is closed: a closed case changes only by reopening.
pub(super) fn open_case(case: Case) -> StoreResult<Case> {
    if case.step == CaseStep::Closed {
        Err(StoreError::Conflict(
            "the case is closed; reopen it first".into(),
        ))
    } else {
        Ok(case)
    }
}

/// The history line for a step taken without words of its own.
fn describe(action: CaseAction, level: Option<RiskLevel>) -> String {
    match action {
        CaseAction::RecordAssessment => format!(
            "Assessment recorded: {} risk",
            level.map_or("unknown", |l| l.as_str())
        ),
        CaseAction::ApprovePlan => "Case plan approved".into(),
        CaseAction::ApproveClosure => "Closure approved; case closed".into(),
        other => other.as_str().replace('_', " "),
    }
}
