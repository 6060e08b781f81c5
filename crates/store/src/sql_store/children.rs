//! The registry of children: registration, reading, change, listing, fuzzy
//! search over blind-indexed name tokens, and possible duplicates.

use super::{append_audit, district_in_scope, location_path, scope_sql, under_path, SqlStore};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::sql::{blob, int, opt_blob, opt_text, placeholders, text, Conn, Row, Value};
use crate::{ChildCounts, Page, PossibleDuplicate};
use haven_domain::child::ValidChild;
use haven_domain::duplicates::{
    candidate_stages, dated_pair_tokens, duplicate_reasons, duplicate_stages, name_tokens,
    search_score, DuplicateFacts, Lookup, SEARCH_NAME_THRESHOLD, TOKEN_SCHEME,
};
use haven_domain::{
    Actor, BirthRegistration, Child, ChildFilter, ChildPatch, Date, LivingSituation, NewChild, Sex,
};

pub(super) const CHILD_COLS: &str = "c.id, c.given_name_enc, c.family_name_enc, c.sex, c.date_of_birth, c.dob_estimated, \
     c.location, c.location_path, c.birth_registration, c.disability, c.minority_group_enc, c.living_situation, \
     c.in_school, c.child_labour, c.household_id, c.agency, c.created_at, c.updated_at, c.institution_id";

/// Most candidates a name search or duplicate check decrypts and scores.
const CANDIDATES: i64 = 300;

/// The child name tokens' row in `index_versions`.
const CHILD_TOKENS: &str = "child_tokens";
/// Children decrypted per query while rebuilding their tokens.
const REBUILD_PAGE: i64 = 500;

/// The token scheme version the child name tokens were made with, if recorded.
fn token_scheme(c: &mut dyn Conn) -> StoreResult<Option<i64>> {
    let rows = c.query(
        "SELECT version FROM index_versions WHERE name = ?",
        &[CHILD_TOKENS.into()],
    )?;
    rows.first().map(|r| int(r, 0)).transpose()
}

/// Inserts `(child id, blind token)` rows, a few hundred per statement.
/// A child's columns, as written: the id, [`SqlStore::record_values`],
/// then the agency and the times created and updated.
pub(super) const CHILD_INSERT: &str = "children (id, given_name_enc, family_name_enc, sex, date_of_birth, dob_estimated, location, \
     location_path, birth_registration, disability, minority_group_enc, living_situation, in_school, child_labour, \
     household_id, agency, created_at, updated_at)";

/// A name token's columns.
pub(super) const TOKEN_INSERT: &str = "child_tokens (child_id, token)";

fn insert_tokens(c: &mut dyn Conn, rows: &[(&str, Vec<u8>)]) -> StoreResult<()> {
    let mut tokens = super::bulk::Rows::new(TOKEN_INSERT, 2);
    for (id, token) in rows {
        tokens.push(vec![Value::from(*id), Value::Blob(token.clone())])?;
    }
    tokens.write(c)
}

impl SqlStore {
    /// Decodes a row of [`CHILD_COLS`]; returns the child and its location path.
    pub(super) fn child_from_row(&self, r: &Row) -> StoreResult<(Child, String)> {
        let bad = |what: &str| StoreError::Database(format!("stored child has an invalid {what}"));
        let child = Child {
            id: text(r, 0)?,
            given_name: self.keys.open("given_name", &crate::sql::blob(r, 1)?)?,
            family_name: self.keys.open("family_name", &crate::sql::blob(r, 2)?)?,
            sex: Sex::parse(&text(r, 3)?).ok_or_else(|| bad("sex"))?,
            date_of_birth: Date::parse(&text(r, 4)?).ok_or_else(|| bad("date of birth"))?,
            date_of_birth_estimated: int(r, 5)? != 0,
            location: text(r, 6)?,
            birth_registration: BirthRegistration::parse(&text(r, 8)?)
                .ok_or_else(|| bad("birth registration"))?,
            disability: int(r, 9)? != 0,
            minority_group: opt_blob(r, 10)?
                .map(|b| self.keys.open("minority_group", &b))
                .transpose()?,
            living_situation: LivingSituation::parse(&text(r, 11)?)
                .ok_or_else(|| bad("living situation"))?,
            in_school: int(r, 12)? != 0,
            child_labour: int(r, 13)? != 0,
            household_id: opt_text(r, 14)?,
            agency: opt_text(r, 15)?,
            created_at: int(r, 16)?,
            updated_at: int(r, 17)?,
            institution_id: opt_text(r, 18)?,
        };
        Ok((child, text(r, 7)?))
    }

    /// The blind tokens stored for a child: search tokens and dated pairs.
    pub(super) fn blind_tokens(&self, full_name: &str, birth_year: i32) -> Vec<Vec<u8>> {
        let mut tokens = name_tokens(full_name);
        tokens.extend(dated_pair_tokens(full_name, birth_year));
        tokens.iter().map(|t| self.keys.blind(t)).collect()
    }

    fn write_tokens(
        &self,
        c: &mut dyn Conn,
        child_id: &str,
        full_name: &str,
        birth_year: i32,
    ) -> StoreResult<()> {
        c.execute(
            "DELETE FROM child_tokens WHERE child_id = ?",
            &[child_id.into()],
        )?;
        self.add_tokens(c, child_id, full_name, birth_year)
    }

    /// Writes a new child's name tokens (none to replace: a bulk
    /// registration of a hundred thousand children does not look for any).
    fn add_tokens(
        &self,
        c: &mut dyn Conn,
        child_id: &str,
        full_name: &str,
        birth_year: i32,
    ) -> StoreResult<()> {
        let rows: Vec<(&str, Vec<u8>)> = self
            .blind_tokens(full_name, birth_year)
            .into_iter()
            .map(|t| (child_id, t))
            .collect();
        insert_tokens(c, &rows)
    }

    /// Rebuilds every child's name tokens when they were made by another
    /// token scheme than [`TOKEN_SCHEME`] (an older Haven, or a newer one
    /// rolled back): deletes them all, decrypts each child's name and
    /// stores its tokens anew, and records the scheme, in one write
    /// transaction, so a failure (a wrong key) leaves the database as it
    /// was. Returns how many children were re-indexed.
    pub(super) fn rebuild_outdated_name_tokens(&self, now: i64) -> StoreResult<usize> {
        if self.tx(false, token_scheme)? == Some(TOKEN_SCHEME) {
            return Ok(0);
        }
        self.tx(true, |c| {
            // Another process may have rebuilt them in the meantime.
            let found = token_scheme(c)?;
            if found == Some(TOKEN_SCHEME) {
                return Ok(0);
            }
            c.execute("DELETE FROM child_tokens", &[])?;
            let mut rebuilt = 0;
            let mut after = String::new();
            loop {
                let rows = c.query(
                    "SELECT id, given_name_enc, family_name_enc, date_of_birth FROM children \
                     WHERE id > ? ORDER BY id LIMIT ?",
                    &[after.as_str().into(), REBUILD_PAGE.into()],
                )?;
                let Some(last) = rows.last() else { break };
                after = text(last, 0)?;
                let mut names = Vec::with_capacity(rows.len());
                for r in &rows {
                    let given = self.keys.open("given_name", &blob(r, 1)?)?;
                    let family = self.keys.open("family_name", &blob(r, 2)?)?;
                    let born = Date::parse(&text(r, 3)?).ok_or_else(|| {
                        StoreError::Database("stored child has an invalid date of birth".into())
                    })?;
                    names.push((text(r, 0)?, format!("{given} {family}"), born.year()));
                }
                let tokens: Vec<(&str, Vec<u8>)> = names
                    .iter()
                    .flat_map(|(id, name, year)| {
                        self.blind_tokens(name, *year)
                            .into_iter()
                            .map(move |t| (id.as_str(), t))
                    })
                    .collect();
                insert_tokens(c, &tokens)?;
                rebuilt += rows.len();
            }
            let params = [TOKEN_SCHEME.into(), now.into(), CHILD_TOKENS.into()];
            if found.is_some() {
                c.execute(
                    "UPDATE index_versions SET version = ?, updated_at = ? WHERE name = ?",
                    &params,
                )?;
            } else {
                c.execute(
                    "INSERT INTO index_versions (version, updated_at, name) VALUES (?, ?, ?)",
                    &params,
                )?;
            }
            if rebuilt > 0 {
                let was = found.map_or_else(|| "unrecorded".to_string(), |v| v.to_string());
                append_audit(
                    c,
                    now,
                    "system",
                    "child.reindex",
                    "children",
                    "ok",
                    &format!(
                        "name search tokens of {rebuilt} children rebuilt for token scheme {TOKEN_SCHEME} (was {was})"
                    ),
                )?;
            }
            Ok(rebuilt)
        })
    }

    /// The stored values of a child's record, names sealed, in the column
    /// order shared by INSERT and UPDATE (given_name_enc … household_id).
    pub(super) fn record_values(&self, v: &ValidChild, path: String) -> StoreResult<Vec<Value>> {
        Ok(vec![
            self.keys.seal("given_name", &v.given_name)?.into(),
            self.keys.seal("family_name", &v.family_name)?.into(),
            v.sex.as_str().into(),
            v.date_of_birth.to_string().into(),
            v.date_of_birth_estimated.into(),
            v.location.clone().into(),
            path.into(),
            v.birth_registration.as_str().into(),
            v.disability.into(),
            // Ethnicity is as sensitive as the name: sealed like it.
            self.keys
                .seal_optional("minority_group", v.minority_group.as_deref())?
                .into(),
            v.living_situation.as_str().into(),
            v.in_school.into(),
            v.child_labour.into(),
            v.household_id.clone().into(),
        ])
    }

    /// Checks that a household exists in the actor's scope.
    fn household_in_scope(&self, c: &mut dyn Conn, actor: &Actor, id: &str) -> StoreResult<()> {
        let mut params = vec![Value::from(id)];
        let scope = scope_sql(actor, "h", &mut params);
        let rows = c.query(
            &format!("SELECT h.id FROM households h WHERE h.id = ?{scope}"),
            &params,
        )?;
        if rows.is_empty() {
            return Err(StoreError::field(
                "household_id",
                "no such household in your area",
            ));
        }
        Ok(())
    }

    /// Registers a validated child inside a transaction, with its audit
    /// entry (noting how many possible duplicates the caller was shown).
    pub(super) fn register_child_in(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        v: &ValidChild,
        duplicates_shown: usize,
        now: i64,
    ) -> StoreResult<Child> {
        let child = self.insert_child(c, actor, v, None, now)?;
        if self.field_outbox {
            super::field_outbox::record_registration(c, &self.keys, &child, now)?;
        }
        let detail = if duplicates_shown == 0 {
            String::new()
        } else {
            format!("{duplicates_shown} possible duplicates shown")
        };
        append_audit(
            c,
            now,
            &actor.name,
            "child.create",
            &format!("child:{}", child.id),
            "ok",
            &detail,
        )?;
        Ok(child)
    }

    /// Writes a child's record as the server holds it onto a field
    /// laptop, over the laptop's copy if it has one: updated in place, so
    /// that what the laptop recorded of the child (assessments made
    /// offline) stays attached to it.
    pub(super) fn replace_child(
        &self,
        c: &mut dyn Conn,
        id: &str,
        v: &ValidChild,
        path: String,
        agency: Option<String>,
        times: (i64, i64),
    ) -> StoreResult<()> {
        c.execute("DELETE FROM child_tokens WHERE child_id = ?", &[id.into()])?;
        let columns = CHILD_INSERT
            .split_once('(')
            .map_or("", |(_, cols)| cols.trim_end_matches(')'));
        let set: Vec<String> = columns
            .split(',')
            .map(str::trim)
            .filter(|col| *col != "id")
            .map(|col| format!("{col} = excluded.{col}"))
            .collect();
        let upsert = format!(" ON CONFLICT (id) DO UPDATE SET {}", set.join(", "));
        self.write_child(c, id, v, path, agency, times, &upsert)
    }

    /// Writes a child's row under `id` with its name tokens, in the
    /// caller's transaction (no checks, no audit): `path` is its
    /// district's, `times` when it was created and last changed;
    /// `on_conflict` ends the statement (empty: a new row).
    #[allow(clippy::too_many_arguments)]
    fn write_child(
        &self,
        c: &mut dyn Conn,
        id: &str,
        v: &ValidChild,
        path: String,
        agency: Option<String>,
        (created_at, updated_at): (i64, i64),
        on_conflict: &str,
    ) -> StoreResult<()> {
        c.execute(
            &format!("INSERT INTO {CHILD_INSERT} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?){on_conflict}"),
            &[
                vec![id.into()],
                self.record_values(v, path)?,
                vec![agency.into(), created_at.into(), updated_at.into()],
            ]
            .concat(),
        )?;
        self.add_tokens(
            c,
            id,
            &format!("{} {}", v.given_name, v.family_name),
            v.date_of_birth.year(),
        )
    }

    /// Inserts a validated child inside a transaction (no audit).
    /// Writes a new child: under a new identifier, or under the one a
    /// field laptop gave it when it registered the child offline.
    pub(super) fn insert_child(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        v: &ValidChild,
        laptop_id: Option<&str>,
        now: i64,
    ) -> StoreResult<Child> {
        let path = district_in_scope(c, actor, &v.location)?;
        if let Some(h) = &v.household_id {
            self.household_in_scope(c, actor, h)?;
        }
        let id = match laptop_id {
            Some(id) => id.to_string(),
            None => random_id()?,
        };
        let agency = actor.agency.clone();
        self.write_child(c, &id, v, path, agency.clone(), (now, now), "")?;
        Ok(Child {
            id,
            given_name: v.given_name.clone(),
            family_name: v.family_name.clone(),
            sex: v.sex,
            date_of_birth: v.date_of_birth,
            date_of_birth_estimated: v.date_of_birth_estimated,
            location: v.location.clone(),
            birth_registration: v.birth_registration,
            disability: v.disability,
            minority_group: v.minority_group.clone(),
            living_situation: v.living_situation,
            in_school: v.in_school,
            child_labour: v.child_labour,
            household_id: v.household_id.clone(),
            agency,
            created_at: now,
            updated_at: now,
            institution_id: None,
        })
    }

    /// Checks that a child exists in the actor's scope.
    pub(super) fn read_child_scoped(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
    ) -> StoreResult<Child> {
        self.read_child(c, actor, id).map(|(child, _)| child)
    }

    /// A child in the actor's scope, with the record's location path.
    pub(super) fn read_child(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
    ) -> StoreResult<(Child, String)> {
        let mut params = vec![Value::from(id)];
        let scope = scope_sql(actor, "c", &mut params);
        let rows = c.query(
            &format!("SELECT {CHILD_COLS} FROM children c WHERE c.id = ?{scope}"),
            &params,
        )?;
        match rows.first() {
            Some(r) => self.child_from_row(r),
            None => Err(StoreError::NotFound(format!("child {id}"))),
        }
    }

    /// Children in scope holding any of `tokens`, at most `limit`: one
    /// index lookup with a bound, so it never walks a large part of the registry.
    fn children_with_tokens(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        tokens: &[String],
        limit: i64,
        extra: &str,
        extra_params: &[Value],
    ) -> StoreResult<Vec<Row>> {
        let mut params: Vec<Value> = tokens
            .iter()
            .map(|t| Value::Blob(self.keys.blind(t)))
            .collect();
        let scope = scope_sql(actor, "c", &mut params);
        params.extend_from_slice(extra_params);
        params.push(limit.into());
        let sql = format!(
            "SELECT {CHILD_COLS} FROM children c WHERE c.id IN (SELECT t.child_id FROM child_tokens t WHERE t.token IN ({})){scope}{extra} LIMIT ?",
            placeholders(tokens.len())
        );
        c.query(&sql, &params)
    }

    /// Children in scope whose names may match: those sharing the name's
    /// in-script tokens, then those of the first phonetic stage that finds
    /// any, most selective first (see [`candidate_stages`]), at most
    /// [`CANDIDATES`] in all.
    fn token_candidates(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        lookup: Lookup,
        extra: &str,
        extra_params: &[Value],
    ) -> StoreResult<Vec<(Child, String)>> {
        let mut rows = Vec::new();
        if !lookup.in_script.is_empty() {
            rows = self.children_with_tokens(
                c,
                actor,
                &lookup.in_script,
                CANDIDATES,
                extra,
                extra_params,
            )?;
        }
        let left = CANDIDATES - rows.len() as i64;
        for stage in lookup.stages.iter().filter(|s| !s.is_empty()) {
            if left <= 0 {
                break;
            }
            let found = self.children_with_tokens(c, actor, stage, left, extra, extra_params)?;
            if !found.is_empty() {
                rows.extend(found);
                break;
            }
        }
        // A record may be in both lookups; decrypt it once.
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            if seen.insert(text(r, 0)?) {
                out.push(self.child_from_row(r)?);
            }
        }
        Ok(out)
    }

    /// Possible duplicates in scope of a child (or of one about to be registered).
    pub(super) fn duplicates_of(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        me: &DuplicateFacts,
        exclude: Option<&str>,
    ) -> StoreResult<Vec<PossibleDuplicate>> {
        // Only records that could qualify are decrypted: born within two
        // years (the widest tolerance) and registered in the same region.
        let dob = me.date_of_birth.days_since_epoch();
        let day = |d: i64| Date::from_unix(d * 86_400).to_string();
        let region = haven_domain::location::parent_path(me.location_path);
        let mut params = vec![Value::from(day(dob - 732)), Value::from(day(dob + 732))];
        let mut extra = format!(
            " AND c.date_of_birth >= ? AND c.date_of_birth <= ?{}",
            under_path("c.location_path", region, &mut params)
        );
        if let Some(id) = exclude {
            extra.push_str(" AND c.id <> ?");
            params.push(Value::from(id));
        }
        let stages = duplicate_stages(me.name, me.date_of_birth.year());
        let candidates = self.token_candidates(c, actor, stages, &extra, &params)?;
        let mut out: Vec<PossibleDuplicate> = candidates
            .into_iter()
            .filter_map(|(other, other_path)| {
                let other_name = other.full_name();
                let facts = DuplicateFacts {
                    name: &other_name,
                    date_of_birth: other.date_of_birth,
                    estimated: other.date_of_birth_estimated,
                    location_path: &other_path,
                    sex: other.sex.as_str(),
                };
                duplicate_reasons(me, &facts).map(|(score, reasons)| PossibleDuplicate {
                    child: other,
                    score,
                    reasons,
                })
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out.truncate(20);
        Ok(out)
    }

    /// Runs a read, then records its audit entry in a short write
    /// transaction, so slow reads never hold the single writer's lock. If the
    /// audit entry cannot be written, nothing is returned.
    pub(super) fn read_then_audit<R>(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        now: i64,
        read: impl FnMut(&mut dyn Conn) -> StoreResult<R>,
        detail: impl Fn(&R) -> String,
    ) -> StoreResult<R> {
        let result = match self.tx(false, read) {
            Err(e @ (StoreError::NotFound(_) | StoreError::Forbidden(_))) => {
                self.do_record_event(
                    &actor.name,
                    action,
                    target,
                    "denied",
                    "not found or outside scope",
                    now,
                )?;
                return Err(e);
            }
            other => other?,
        };
        let d = detail(&result);
        self.do_record_event(&actor.name, action, target, "ok", &d, now)?;
        Ok(result)
    }

    pub(crate) fn do_create_child(
        &self,
        actor: &Actor,
        input: &NewChild,
        now: i64,
    ) -> StoreResult<(Child, Vec<PossibleDuplicate>)> {
        self.child_access(actor, now)?;
        let valid = input.validate(Date::from_unix(now))?;
        let dups = self.duplicates_of_new(actor, &valid, now)?;
        self.audited(actor, "child.create", "child:new", now, |c| {
            let child = self.register_child_in(c, actor, &valid, dups.len(), now)?;
            Ok((child, dups.clone()))
        })
    }

    /// Possible duplicates of a child about to be registered, looked for
    /// outside the write lock (the new record cannot be among them); a
    /// district outside the caller's scope is refused and audited.
    pub(super) fn duplicates_of_new(
        &self,
        actor: &Actor,
        valid: &ValidChild,
        now: i64,
    ) -> StoreResult<Vec<PossibleDuplicate>> {
        let name = format!("{} {}", valid.given_name, valid.family_name);
        match self.tx(false, |c| {
            let path = district_in_scope(c, actor, &valid.location)?;
            let me = DuplicateFacts {
                name: &name,
                date_of_birth: valid.date_of_birth,
                estimated: valid.date_of_birth_estimated,
                location_path: &path,
                sex: valid.sex.as_str(),
            };
            self.duplicates_of(c, actor, &me, None)
        }) {
            Err(e @ StoreError::Forbidden(_)) => {
                self.do_record_event(
                    &actor.name,
                    "child.create",
                    "child:new",
                    "denied",
                    "outside scope",
                    now,
                )?;
                Err(e)
            }
            other => other,
        }
    }

    pub(crate) fn do_get_child(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Child> {
        self.child_access(actor, now)?;
        let target = format!("child:{id}");
        // `read_child` is one statement, the caller's scope in it.
        self.audited_lookup(actor, "child.read", &target, now, |c| {
            let (child, _) = self.read_child(c, actor, id)?;
            Ok((child, String::new()))
        })
    }

    pub(crate) fn do_update_child(
        &self,
        actor: &Actor,
        id: &str,
        patch: &ChildPatch,
        now: i64,
    ) -> StoreResult<Child> {
        self.child_access(actor, now)?;
        let target = format!("child:{id}");
        self.audited(actor, "child.update", &target, now, |c| {
            self.update_child_in(c, actor, id, patch, now)
        })
    }

    /// Changes a child's record in the caller's transaction, audited. Every
    /// refusal (not in scope, not valid) comes before anything is written.
    pub(super) fn update_child_in(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
        patch: &ChildPatch,
        now: i64,
    ) -> StoreResult<Child> {
        let target = format!("child:{id}");
        let (old, _) = self.read_child(c, actor, id)?;
        let v = patch.apply(&old, Date::from_unix(now))?;
        let path = district_in_scope(c, actor, &v.location)?;
        if let Some(h) = &v.household_id {
            if old.household_id.as_deref() != Some(h) {
                self.household_in_scope(c, actor, h)?;
            }
        }
        c.execute(
            "UPDATE children SET given_name_enc = ?, family_name_enc = ?, sex = ?, date_of_birth = ?, dob_estimated = ?, \
             location = ?, location_path = ?, birth_registration = ?, disability = ?, minority_group_enc = ?, \
             living_situation = ?, in_school = ?, child_labour = ?, household_id = ?, updated_at = ? WHERE id = ?",
            &[self.record_values(&v, path)?, vec![now.into(), id.into()]].concat(),
        )?;
        // Come to another place: a laptop there has none of their history.
        if old.location != v.location {
            c.execute(
                "UPDATE children SET placed_at = ? WHERE id = ?",
                &[now.into(), id.into()],
            )?;
        }
        let year_changed = old.date_of_birth.year() != v.date_of_birth.year();
        if old.given_name != v.given_name || old.family_name != v.family_name || year_changed {
            self.write_tokens(
                c,
                id,
                &format!("{} {}", v.given_name, v.family_name),
                v.date_of_birth.year(),
            )?;
        }
        let (new, _) = self.read_child(c, actor, id)?;
        if self.field_outbox {
            super::field_outbox::record_change(c, &self.keys, &old, &new, now)?;
        }
        let changed = changed_fields(&old, &new);
        append_audit(
            c,
            now,
            &actor.name,
            "child.update",
            &target,
            "ok",
            &format!("changed: {}", changed.join(", ")),
        )?;
        Ok(new)
    }

    pub(crate) fn do_list_children(
        &self,
        actor: &Actor,
        filter: &ChildFilter,
        cursor: Option<&str>,
        limit: usize,
        now: i64,
    ) -> StoreResult<Page<Child>> {
        self.child_access(actor, now)?;
        let limit = limit.clamp(1, 200);
        let today = Date::from_unix(now);
        let after = match cursor.filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(parse_cursor(s).ok_or_else(|| {
                StoreError::field("cursor", "is not a cursor from a previous page")
            })?),
        };
        let kind = if filter.name.is_some() {
            "search"
        } else {
            "list"
        };
        self.read_then_audit(actor, "child.list", "children", now, |c| {
            let mut extra = String::new();
            let mut params: Vec<Value> = Vec::new();
            if let Some(code) = &filter.location {
                let Some((path, _)) = location_path(c, code)? else {
                    return Err(StoreError::field("location", format!("there is no location with code {code:?}")));
                };
                extra.push_str(&under_path("c.location_path", &path, &mut params));
            }
            if let Some(sex) = filter.sex {
                extra.push_str(" AND c.sex = ?");
                params.push(sex.as_str().into());
            }
            if let Some(b) = filter.birth_registration {
                extra.push_str(" AND c.birth_registration = ?");
                params.push(b.as_str().into());
            }
            if let Some(band) = filter.age_band {
                let (oldest, youngest) = ChildFilter::birth_range(band, today);
                extra.push_str(" AND c.date_of_birth >= ? AND c.date_of_birth <= ?");
                params.push(oldest.to_string().into());
                params.push(youngest.to_string().into());
            }
            let page = match filter.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                Some(name) => {
                    let mut found: Vec<(f64, Child)> = self
                        .token_candidates(c, actor, candidate_stages(name), &extra, &params)?
                        .into_iter()
                        .map(|(child, _)| (search_score(name, &child.full_name()), child))
                        .filter(|(s, _)| *s >= SEARCH_NAME_THRESHOLD)
                        .collect();
                    found.sort_by(|a, b| b.0.total_cmp(&a.0));
                    Page { items: found.into_iter().take(limit).map(|(_, c)| c).collect(), next: None }
                }
                None => {
                    let mut all = Vec::new();
                    let scope = scope_sql(actor, "c", &mut all);
                    all.extend(params.clone());
                    let mut cursor_sql = String::new();
                    if let Some((at, id)) = &after {
                        cursor_sql = " AND (c.created_at < ? OR (c.created_at = ? AND c.id < ?))".into();
                        all.extend([Value::Int(*at), Value::Int(*at), Value::from(id.as_str())]);
                    }
                    all.push(((limit + 1) as i64).into());
                    let rows = c.query(
                        &format!(
                            "SELECT {CHILD_COLS} FROM children c WHERE 1 = 1{scope}{extra}{cursor_sql} \
                             ORDER BY c.created_at DESC, c.id DESC LIMIT ?"
                        ),
                        &all,
                    )?;
                    let mut items = rows.iter().map(|r| self.child_from_row(r).map(|x| x.0)).collect::<StoreResult<Vec<_>>>()?;
                    let next = if items.len() > limit {
                        items.truncate(limit);
                        items.last().map(|c| format!("{}.{}", c.created_at, c.id))
                    } else {
                        None
                    };
                    Page { items, next }
                }
            };
            Ok(page)
        }, |page| format!("{kind}: {} records shown", page.items.len()))
    }

    pub(crate) fn do_possible_duplicates(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<Vec<PossibleDuplicate>> {
        self.child_access(actor, now)?;
        let target = format!("child:{id}");
        self.read_then_audit(
            actor,
            "child.duplicates",
            &target,
            now,
            |c| {
                let (child, path) = self.read_child(c, actor, id)?;
                let name = child.full_name();
                let me = DuplicateFacts {
                    name: &name,
                    date_of_birth: child.date_of_birth,
                    estimated: child.date_of_birth_estimated,
                    location_path: &path,
                    sex: child.sex.as_str(),
                };
                self.duplicates_of(c, actor, &me, Some(&child.id))
            },
            |d| format!("{} shown", d.len()),
        )
    }

    pub(crate) fn do_child_counts(&self, actor: &Actor, now: i64) -> StoreResult<ChildCounts> {
        self.child_access(actor, now)?;
        let mut params = vec![Value::Int(now - 30 * 86_400)];
        let scope = scope_sql(actor, "c", &mut params);
        let sum = |cond: &str| {
            format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)")
        };
        let sql = format!(
            "SELECT COUNT(*), {}, {}, {}, {}, {} FROM children c WHERE 1 = 1{scope}",
            sum("c.birth_registration = 'not_registered'"),
            sum("c.in_school = 0"),
            sum("c.child_labour = 1"),
            sum("c.living_situation IN ('street', 'unaccompanied_migrant', 'child_headed_household')"),
            sum("c.created_at >= ?"),
        );
        let rows = self.tx(false, |c| c.query(&sql, &params))?;
        let r = rows
            .first()
            .ok_or_else(|| StoreError::Database("count returned no row".into()))?;
        Ok(ChildCounts {
            total: int(r, 0)?,
            not_registered: int(r, 1)?,
            not_in_school: int(r, 2)?,
            child_labour: int(r, 3)?,
            without_parental_care: int(r, 4)?,
            registered_last_30_days: int(r, 5)?,
        })
    }
}

fn parse_cursor(s: &str) -> Option<(i64, String)> {
    let (at, id) = s.split_once('.')?;
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((at.parse().ok()?, id.to_string()))
}

/// Names of the fields that differ (never their values: the audit log must
/// not hold what the encryption protects).
fn changed_fields(a: &Child, b: &Child) -> Vec<&'static str> {
    let mut out = Vec::new();
    let checks: [(&'static str, bool); 13] = [
        ("given_name", a.given_name != b.given_name),
        ("family_name", a.family_name != b.family_name),
        ("sex", a.sex != b.sex),
        ("date_of_birth", a.date_of_birth != b.date_of_birth),
        ("location", a.location != b.location),
        (
            "birth_registration",
            a.birth_registration != b.birth_registration,
        ),
        ("disability", a.disability != b.disability),
        ("minority_group", a.minority_group != b.minority_group),
        ("living_situation", a.living_situation != b.living_situation),
        ("in_school", a.in_school != b.in_school),
        ("child_labour", a.child_labour != b.child_labour),
        ("household_id", a.household_id != b.household_id),
        (
            "date_of_birth_estimated",
            a.date_of_birth_estimated != b.date_of_birth_estimated,
        ),
    ];
    for (name, changed) in checks {
        if changed {
            out.push(name);
        }
    }
    out
}
