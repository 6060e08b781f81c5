//! Administration: changes to people's accounts, agencies as records,
//! institutions and their inspections, and searching the audit log.
//! Every change is audited in its own transaction; every read is limited
//! to the caller's area inside the query.

use super::{
    append_audit, district_in_scope, location_path, require_admin, scope_sql, under_path, SqlStore,
};
use crate::administration::{
    Agency, AuditQuery, InstitutionFile, InstitutionStatus, NewInspection, UserChange,
};
use crate::audit::{AuditEntry, AuditProblem};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::sql::{int, opt_blob, opt_text, text, Conn, Row, Value};
use crate::{Page, UserInfo};
use haven_domain::casework::Sector;
use haven_domain::location::valid_code;
use haven_domain::validation::clean_name;
use haven_domain::{
    inspection_overdue, Actor, Date, Inspection, Institution, InstitutionKind, Role,
    ValidationErrors,
};

const INSTITUTION_COLS: &str =
    "i.id, i.kind, i.name, i.location, i.registered, i.monitored, i.last_inspection, i.next_inspection_due";

fn institution_from_row(r: &Row, today: Date) -> StoreResult<InstitutionStatus> {
    let institution = Institution {
        id: text(r, 0)?,
        kind: InstitutionKind::parse(&text(r, 1)?)
            .ok_or_else(|| StoreError::Database("bad institution kind".into()))?,
        name: text(r, 2)?,
        location: text(r, 3)?,
        registered: int(r, 4)? != 0,
        monitored: int(r, 5)? != 0,
        last_inspection: opt_text(r, 6)?.and_then(|d| Date::parse(&d)),
    };
    let next_inspection_due = opt_text(r, 7)?.and_then(|d| Date::parse(&d));
    Ok(InstitutionStatus {
        overdue: inspection_overdue(institution.last_inspection, next_inspection_due, today),
        institution,
        next_inspection_due,
    })
}

const AGENCY_COLS: &str = "code, name, sector, phone, email, active";

fn agency_from_row(r: &Row) -> StoreResult<Agency> {
    Ok(Agency {
        code: text(r, 0)?,
        name: text(r, 1)?,
        sector: opt_text(r, 2)?,
        phone: opt_text(r, 3)?,
        email: opt_text(r, 4)?,
        active: int(r, 5)? != 0,
    })
}

/// An agency's fields checked and tidied (the code is checked by the caller).
fn clean_agency(a: &Agency) -> StoreResult<Agency> {
    let mut e = ValidationErrors::default();
    let name = clean_name(&mut e, "name", &a.name, true);
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let sector = opt(&a.sector);
    if let Some(s) = &sector {
        if Sector::parse(s).is_none() {
            e.add("sector", "must be one of the services' sectors");
        }
    }
    let phone = opt(&a.phone);
    if let Some(p) = &phone {
        let ok = p.chars().count() <= 40
            && p.chars().any(|c| c.is_ascii_digit())
            && p.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
        if !ok {
            e.add(
                "phone",
                "must be a telephone number (digits, spaces, + - ( ) .)",
            );
        }
    }
    let email = opt(&a.email);
    if let Some(m) = &email {
        let ok = m.len() <= 200
            && !m.chars().any(|c| c.is_whitespace() || c.is_control())
            && m.split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'));
        if !ok {
            e.add(
                "email",
                "must be an e-mail address such as office@example.org",
            );
        }
    }
    e.into_result()?;
    Ok(Agency {
        code: a.code.trim().to_string(),
        name,
        sector,
        phone,
        email,
        active: a.active,
    })
}

/// Makes sure an agency code used by a user or service is a record (a code
/// given by the command line before the agencies page existed becomes one,
/// named by its code).
pub(super) fn ensure_agency(c: &mut dyn Conn, code: &str, now: i64) -> StoreResult<()> {
    if c.query("SELECT code FROM agencies WHERE code = ?", &[code.into()])?
        .is_empty()
    {
        c.execute(
            "INSERT INTO agencies (code, name, active, created_at) VALUES (?, ?, 1, ?)",
            &[code.into(), code.into(), now.into()],
        )?;
    }
    Ok(())
}

/// `%` and `_` typed by a person match themselves in a LIKE pattern.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(ch);
    }
    out
}

fn user_by_name(c: &mut dyn Conn, name: &str) -> StoreResult<UserInfo> {
    let rows = c.query(
        "SELECT id, name, role, location, agency, disabled, language FROM users WHERE name = ?",
        &[name.into()],
    )?;
    let Some(r) = rows.first() else {
        return Err(StoreError::NotFound(format!("user {name:?}")));
    };
    user_info(r)
}

/// A user from `id, name, role, location, agency, disabled, language`.
pub(super) fn user_info(r: &Row) -> StoreResult<UserInfo> {
    Ok(UserInfo {
        id: text(r, 0)?,
        name: text(r, 1)?,
        role: Role::parse(&text(r, 2)?)
            .ok_or_else(|| StoreError::Database("stored user has an unknown role".into()))?,
        location: opt_text(r, 3)?,
        agency: opt_text(r, 4)?,
        disabled: int(r, 5)? != 0,
        language: opt_text(r, 6)?,
    })
}

impl SqlStore {
    pub(crate) fn do_update_user(
        &self,
        actor: &Actor,
        name: &str,
        change: &UserChange,
        now: i64,
    ) -> StoreResult<UserInfo> {
        self.authorise(require_admin(actor), actor, "user.update", now)?;
        let target = format!("user:{name}");
        self.audited(actor, "user.update", &target, now, |c| {
            let old = user_by_name(c, name)?;
            let role = change.role.unwrap_or(old.role);
            if old.name == actor.name && role != old.role {
                return Err(StoreError::field(
                    "role",
                    "you cannot change your own role; another administrator must",
                ));
            }
            let norm = |v: &Option<String>| {
                v.as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let location = change.location.as_ref().map_or(old.location.clone(), norm);
            let agency = change.agency.as_ref().map_or(old.agency.clone(), norm);
            let language = change.language.as_ref().map_or(old.language.clone(), norm);
            let mut e = ValidationErrors::default();
            let mut scope_path = None;
            if let Some(code) = &location {
                match location_path(c, code)? {
                    Some((p, _)) => scope_path = Some(p),
                    None => e.add("location", format!("there is no location with code {code:?}")),
                }
            } else if role == Role::Caseworker {
                e.add("location", "a caseworker must be given a location");
            }
            if let Some(a) = &agency {
                if c.query("SELECT code FROM agencies WHERE code = ?", &[a.clone().into()])?.is_empty() {
                    e.add("agency", format!("there is no agency with code {a:?}"));
                }
            }
            if let Some(l) = &language {
                if !(2..=3).contains(&l.len()) || !l.bytes().all(|b| b.is_ascii_lowercase()) {
                    e.add("language", "must be a language code such as en, fr or es");
                }
            }
            e.into_result()?;
            c.execute(
                "UPDATE users SET role = ?, location = ?, scope_path = ?, agency = ?, language = ? WHERE id = ?",
                &[
                    role.as_str().into(),
                    location.clone().into(),
                    scope_path.into(),
                    agency.clone().into(),
                    language.clone().into(),
                    old.id.clone().into(),
                ],
            )?;
            // What their field laptops hold is no longer their scope: the
            // next checkout of each is a first one.
            if role != old.role || location != old.location || agency != old.agency {
                c.execute(
                    "UPDATE field_nodes SET scope_changed_at = ? WHERE user_id = ?",
                    &[now.into(), old.id.clone().into()],
                )?;
            }
            let mut changed = Vec::new();
            if role != old.role {
                changed.push(format!("role {} -> {}", old.role, role));
            }
            for (what, before, after) in [
                ("location", &old.location, &location),
                ("agency", &old.agency, &agency),
                ("language", &old.language, &language),
            ] {
                if before != after {
                    changed.push(format!(
                        "{what} {} -> {}",
                        before.as_deref().unwrap_or("none"),
                        after.as_deref().unwrap_or("none")
                    ));
                }
            }
            let detail = if changed.is_empty() { "no change".to_string() } else { changed.join("; ") };
            append_audit(c, now, &actor.name, "user.update", &target, "ok", &detail)?;
            user_by_name(c, name)
        })
    }

    pub(crate) fn do_set_user_disabled(
        &self,
        actor: &Actor,
        name: &str,
        disabled: bool,
        now: i64,
    ) -> StoreResult<UserInfo> {
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        self.authorise(require_admin(actor), actor, action, now)?;
        let target = format!("user:{name}");
        self.audited(actor, action, &target, now, |c| {
            let user = user_by_name(c, name)?;
            if disabled && user.id == actor.user_id {
                return Err(StoreError::Conflict(
                    "you cannot disable your own account".into(),
                ));
            }
            c.execute(
                "UPDATE users SET disabled = ? WHERE id = ?",
                &[disabled.into(), user.id.clone().into()],
            )?;
            let mut detail = String::new();
            if disabled {
                let sessions = c.execute(
                    "DELETE FROM sessions WHERE user_id = ?",
                    &[user.id.clone().into()],
                )?;
                let tokens = c.execute(
                    "DELETE FROM api_tokens WHERE user_id = ?",
                    &[user.id.clone().into()],
                )?;
                detail = format!("{sessions} sessions ended, {tokens} API tokens revoked");
            }
            append_audit(c, now, &actor.name, action, &target, "ok", &detail)?;
            user_by_name(c, name)
        })
    }

    pub(crate) fn do_reset_password(
        &self,
        actor: &Actor,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.authorise(require_admin(actor), actor, "user.password", now)?;
        let target = format!("user:{name}");
        self.audited(actor, "user.password", &target, now, |c| {
            let user = user_by_name(c, name)?;
            c.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                &[password_hash.into(), user.id.clone().into()],
            )?;
            let sessions = c.execute(
                "DELETE FROM sessions WHERE user_id = ?",
                &[user.id.clone().into()],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "user.password",
                &target,
                "ok",
                &format!("password set by an administrator; {sessions} sessions ended"),
            )
        })
    }

    pub(crate) fn do_list_agencies(&self, _actor: &Actor) -> StoreResult<Vec<Agency>> {
        let rows = self.tx(false, |c| {
            c.query(
                &format!("SELECT {AGENCY_COLS} FROM agencies ORDER BY name, code"),
                &[],
            )
        })?;
        rows.iter().map(agency_from_row).collect()
    }

    pub(crate) fn do_create_agency(
        &self,
        actor: &Actor,
        a: &Agency,
        now: i64,
    ) -> StoreResult<Agency> {
        self.authorise(require_admin(actor), actor, "agency.create", now)?;
        let code = a.code.trim();
        let mut e = ValidationErrors::default();
        if !valid_code(code) {
            e.add("code", "must be 1-32 letters, digits, '-' or '_'");
        }
        let a = match clean_agency(a) {
            Ok(a) if e.0.is_empty() => a,
            Ok(_) => return Err(StoreError::Invalid(e)),
            Err(StoreError::Invalid(mut more)) => {
                e.0.append(&mut more.0);
                return Err(StoreError::Invalid(e));
            }
            Err(other) => return Err(other),
        };
        self.tx(true, |c| {
            if !c.query("SELECT code FROM agencies WHERE code = ?", &[a.code.clone().into()])?.is_empty() {
                return Err(StoreError::Conflict(format!("an agency with code {:?} already exists", a.code)));
            }
            c.execute(
                "INSERT INTO agencies (code, name, sector, phone, email, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                &[a.code.clone().into(), a.name.clone().into(), a.sector.clone().into(), a.phone.clone().into(), a.email.clone().into(), a.active.into(), now.into()],
            )?;
            append_audit(c, now, &actor.name, "agency.create", &format!("agency:{}", a.code), "ok", "")?;
            Ok(a.clone())
        })
    }

    pub(crate) fn do_update_agency(
        &self,
        actor: &Actor,
        code: &str,
        a: &Agency,
        now: i64,
    ) -> StoreResult<Agency> {
        self.authorise(require_admin(actor), actor, "agency.update", now)?;
        let a = clean_agency(&Agency {
            code: code.to_string(),
            ..a.clone()
        })?;
        let target = format!("agency:{code}");
        self.audited(actor, "agency.update", &target, now, |c| {
            let changed = c.execute(
                "UPDATE agencies SET name = ?, sector = ?, phone = ?, email = ?, active = ? WHERE code = ?",
                &[a.name.clone().into(), a.sector.clone().into(), a.phone.clone().into(), a.email.clone().into(), a.active.into(), code.into()],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound(format!("agency {code:?}")));
            }
            let detail = if a.active { "active" } else { "inactive" };
            append_audit(c, now, &actor.name, "agency.update", &target, "ok", detail)?;
            Ok(a.clone())
        })
    }

    /// An institution in the actor's area (`NotFound` otherwise).
    fn institution_in_scope(
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
        today: Date,
    ) -> StoreResult<InstitutionStatus> {
        let mut params: Vec<Value> = vec![id.into()];
        let scope = match &actor.scope_path {
            Some(p) => under_path("l.path", p, &mut params),
            None => String::new(),
        };
        let rows = c.query(
            &format!("SELECT {INSTITUTION_COLS} FROM institutions i JOIN locations l ON l.code = i.location WHERE i.id = ?{scope}"),
            &params,
        )?;
        match rows.first() {
            Some(r) => institution_from_row(r, today),
            None => Err(StoreError::NotFound(format!("institution {id}"))),
        }
    }

    pub(crate) fn do_update_institution(
        &self,
        actor: &Actor,
        id: &str,
        i: &Institution,
        now: i64,
    ) -> StoreResult<Institution> {
        self.authorise(require_admin(actor), actor, "institution.update", now)?;
        let mut e = ValidationErrors::default();
        let name = clean_name(&mut e, "name", &i.name, true);
        e.into_result()?;
        let target = format!("institution:{id}");
        let today = Date::from_unix(now);
        self.audited(actor, "institution.update", &target, now, |c| {
            let old = Self::institution_in_scope(c, actor, id, today)?;
            district_in_scope(c, actor, &i.location)?;
            c.execute(
                "UPDATE institutions SET kind = ?, name = ?, location = ?, registered = ?, monitored = ? WHERE id = ?",
                &[i.kind.as_str().into(), name.clone().into(), i.location.clone().into(), i.registered.into(), i.monitored.into(), id.into()],
            )?;
            append_audit(c, now, &actor.name, "institution.update", &target, "ok", "")?;
            Ok(Institution {
                id: id.to_string(),
                name: name.clone(),
                last_inspection: old.institution.last_inspection,
                ..i.clone()
            })
        })
    }

    pub(crate) fn do_get_institution(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<InstitutionFile> {
        let today = Date::from_unix(now);
        let found = self.tx(false, |c| {
            let status = Self::institution_in_scope(c, actor, id, today)?;
            let rows = c.query(
                "SELECT id, institution_id, inspected_on, inspector, findings, next_due, recorded_by, findings_enc FROM inspections \
                 WHERE institution_id = ? ORDER BY inspected_on DESC, recorded_at DESC",
                &[id.into()],
            )?;
            let inspections = rows
                .iter()
                .map(|r| self.inspection_from_row(r))
                .collect::<StoreResult<Vec<_>>>()?;
            let children = if actor.role.handles_children() {
                let mut params: Vec<Value> = vec![id.into()];
                let scope = scope_sql(actor, "c", &mut params);
                let rows = c.query(
                    &format!("SELECT COUNT(*) FROM children c WHERE c.institution_id = ?{scope}"),
                    &params,
                )?;
                rows.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0)
            } else {
                0
            };
            Ok(InstitutionFile { status, inspections, children })
        });
        match found {
            Err(e @ StoreError::NotFound(_)) => {
                self.do_record_event(
                    &actor.name,
                    "institution.read",
                    &format!("institution:{id}"),
                    "denied",
                    "not found or outside scope",
                    now,
                )?;
                Err(e)
            }
            other => other,
        }
    }

    pub(crate) fn do_record_inspection(
        &self,
        actor: &Actor,
        institution_id: &str,
        n: &NewInspection,
        now: i64,
    ) -> StoreResult<Inspection> {
        let allowed = matches!(actor.role, Role::Admin | Role::Supervisor);
        self.require_role(
            allowed,
            actor,
            "inspection.create",
            &format!("institution:{institution_id}"),
            "only an administrator or a supervisor records inspections",
            now,
        )?;
        let today = Date::from_unix(now);
        let mut e = ValidationErrors::default();
        let inspector = clean_name(&mut e, "inspector", &n.inspector, true);
        let findings = n.findings.trim().to_string();
        if findings.is_empty() {
            e.add("findings", "is required");
        } else if findings.chars().count() > 5000 {
            e.add("findings", "must be at most 5000 characters");
        }
        if n.inspected_on > today {
            e.add("inspected_on", "cannot be in the future");
        }
        if n.next_due.is_some_and(|d| d <= n.inspected_on) {
            e.add("next_due", "must be after the inspection");
        }
        e.into_result()?;
        let target = format!("institution:{institution_id}");
        self.audited(actor, "inspection.create", &target, now, |c| {
            let status = Self::institution_in_scope(c, actor, institution_id, today)?;
            let id = random_id()?;
            c.execute(
                "INSERT INTO inspections (id, institution_id, inspected_on, inspector, findings, findings_enc, next_due, recorded_by, recorded_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?)",
                &[id.clone().into(), institution_id.into(), n.inspected_on.to_string().into(), inspector.clone().into(), self.keys.seal(FINDINGS, &findings)?.into(), n.next_due.map(|d| d.to_string()).into(), actor.name.clone().into(), now.into()],
            )?;
            // The newest inspection sets the institution's dates.
            let newest = status.institution.last_inspection.is_none_or(|last| n.inspected_on >= last);
            if newest {
                c.execute(
                    "UPDATE institutions SET last_inspection = ?, next_inspection_due = ? WHERE id = ?",
                    &[n.inspected_on.to_string().into(), n.next_due.map(|d| d.to_string()).into(), institution_id.into()],
                )?;
            }
            append_audit(c, now, &actor.name, "inspection.create", &target, "ok", &format!("inspection:{id} on {}", n.inspected_on))?;
            Ok(Inspection {
                id,
                institution_id: institution_id.to_string(),
                inspected_on: n.inspected_on,
                inspector: inspector.clone(),
                findings: findings.clone(),
                next_due: n.next_due,
                recorded_by: actor.name.clone(),
            })
        })
    }

    pub(crate) fn do_overdue_inspections(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<InstitutionStatus>> {
        self.child_access(actor, now)?;
        let today = Date::from_unix(now);
        let mut params: Vec<Value> = vec![today.to_string().into()];
        let scope = match &actor.scope_path {
            Some(p) => under_path("l.path", p, &mut params),
            None => String::new(),
        };
        let rows = self.tx(false, |c| {
            c.query(
                &format!(
                    "SELECT {INSTITUTION_COLS} FROM institutions i JOIN locations l ON l.code = i.location \
                     WHERE (i.next_inspection_due < ? OR (i.next_inspection_due IS NULL AND i.last_inspection IS NULL)){scope} \
                     ORDER BY i.next_inspection_due, i.name"
                ),
                &params,
            )
        })?;
        rows.iter()
            .map(|r| institution_from_row(r, today))
            .collect()
    }

    pub(crate) fn do_link_child_institution(
        &self,
        actor: &Actor,
        child_id: &str,
        institution_id: Option<&str>,
        now: i64,
    ) -> StoreResult<()> {
        self.child_access(actor, now)?;
        let target = format!("child:{child_id}");
        let today = Date::from_unix(now);
        self.audited(actor, "child.update", &target, now, |c| {
            let mut params: Vec<Value> = vec![child_id.into()];
            let scope = scope_sql(actor, "c", &mut params);
            if c.query(
                &format!("SELECT c.id FROM children c WHERE c.id = ?{scope}"),
                &params,
            )?
            .is_empty()
            {
                return Err(StoreError::NotFound(format!("child {child_id}")));
            }
            if let Some(i) = institution_id {
                Self::institution_in_scope(c, actor, i, today)?;
            }
            c.execute(
                "UPDATE children SET institution_id = ?, updated_at = ? WHERE id = ?",
                &[
                    institution_id.map(str::to_string).into(),
                    now.into(),
                    child_id.into(),
                ],
            )?;
            let detail = match institution_id {
                Some(i) => format!("changed: institution -> institution:{i}"),
                None => "changed: institution -> none".to_string(),
            };
            append_audit(c, now, &actor.name, "child.update", &target, "ok", &detail)
        })
    }

    pub(crate) fn do_search_audit(
        &self,
        actor: &Actor,
        q: &AuditQuery,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<AuditEntry>> {
        self.authorise(require_admin(actor), actor, "audit.read", now)?;
        let limit = limit.clamp(1, 500);
        let mut conds = String::new();
        let mut params: Vec<Value> = Vec::new();
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(a) = given(&q.actor) {
            conds.push_str(" AND actor = ?");
            params.push(a.into());
        }
        if let Some(t) = given(&q.target) {
            conds.push_str(" AND target LIKE ? ESCAPE '!'");
            params.push(format!("%{}%", like_escape(&t)).into());
        }
        if let Some(a) = given(&q.action) {
            conds.push_str(" AND action LIKE ? ESCAPE '!'");
            params.push(format!("{}%", like_escape(&a)).into());
        }
        if let Some(r) = given(&q.request_id) {
            conds.push_str(" AND request_id = ?");
            params.push(r.into());
        }
        if let Some(f) = q.from {
            conds.push_str(" AND at >= ?");
            params.push(f.into());
        }
        if let Some(t) = q.to {
            conds.push_str(" AND at < ?");
            params.push(t.into());
        }
        if let Some(b) = q.before {
            conds.push_str(" AND seq < ?");
            params.push(b.into());
        }
        params.push((limit as i64 + 1).into());
        let rows = self.tx(false, |c| {
            c.query(
                &format!(
                    "SELECT seq, at, actor, action, target, outcome, detail, prev_hash, hash, request_id FROM audit_log \
                     WHERE 1 = 1{conds} ORDER BY seq DESC LIMIT ?"
                ),
                &params,
            )
        })?;
        let mut items = rows
            .iter()
            .map(super::audit_log::entry)
            .collect::<StoreResult<Vec<_>>>()?;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|e| e.seq.to_string())
        } else {
            None
        };
        Ok(Page { items, next })
    }

    pub(crate) fn do_check_audit(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Result<u64, AuditProblem>> {
        self.authorise(require_admin(actor), actor, "audit.verify", now)?;
        let result = self.do_verify_audit()?;
        let detail = match &result {
            Ok(n) => format!("chain intact, {n} entries"),
            Err(p) => format!("entry {}: {}", p.seq, p.reason),
        };
        let outcome = if result.is_ok() { "ok" } else { "failed" };
        self.do_record_event(
            &actor.name,
            "audit.verify",
            "audit_log",
            outcome,
            &detail,
            now,
        )?;
        Ok(result)
    }
}

/// The purpose inspection findings are sealed under.
const FINDINGS: &str = "inspection.findings";

impl SqlStore {
    /// Decodes an inspection row; findings sealed, or plain text from
    /// before they were sealed.
    fn inspection_from_row(&self, r: &Row) -> StoreResult<Inspection> {
        let findings = match opt_blob(r, 7)? {
            Some(sealed) => self.keys.open(FINDINGS, &sealed)?,
            None => text(r, 4)?,
        };
        Ok(Inspection {
            id: text(r, 0)?,
            institution_id: text(r, 1)?,
            inspected_on: Date::parse(&text(r, 2)?)
                .ok_or_else(|| StoreError::Database("bad inspection date".into()))?,
            inspector: text(r, 3)?,
            findings,
            next_due: opt_text(r, 5)?.and_then(|d| Date::parse(&d)),
            recorded_by: text(r, 6)?,
        })
    }

    /// Seals the findings of inspections recorded before findings were
    /// sealed, leaving no plain copy; returns how many. Run when the store
    /// is opened.
    pub(crate) fn seal_plain_findings(&self) -> StoreResult<usize> {
        let pending = "SELECT id, findings FROM inspections WHERE findings_enc IS NULL";
        if self.tx(false, |c| c.query(pending, &[]))?.is_empty() {
            return Ok(0);
        }
        self.tx(true, |c| {
            // Another server may have sealed them in the meantime.
            let rows = c.query(pending, &[])?;
            for r in &rows {
                let sealed = self.keys.seal(FINDINGS, &text(r, 1)?)?;
                c.execute(
                    "UPDATE inspections SET findings_enc = ?, findings = '' WHERE id = ?",
                    &[sealed.into(), text(r, 0)?.into()],
                )?;
            }
            Ok(rows.len())
        })
    }
}
