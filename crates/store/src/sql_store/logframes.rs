//! Logframes, written once for both backends. Monitoring officers and
//! administrators keep them; supervisors read them; every change is
//! audited. Values are kept as decimal text (the backends share no
//! floating-point column type that reads back the same).

use super::{append_audit, SqlStore};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::logframes::{LinkedIndicator, Logframe, LogframeSummary, MarkKind, ResultEntry};
use crate::sql::{int, opt_text, text, Conn, Row};
use haven_domain::logframes::{check_title, Level, Mark, NewResult, ResultText};
use haven_domain::{Actor, Date, Role};

fn may_edit(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Monitor)
}

impl SqlStore {
    /// Refuses (and audits the refusal of) anyone who does not keep
    /// logframes: every change below starts with it.
    fn require_editor(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        now: i64,
    ) -> StoreResult<()> {
        self.require_role(
            may_edit(actor),
            actor,
            action,
            target,
            "only monitoring officers and administrators keep logframes",
            now,
        )
    }
}

fn may_read(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Monitor | Role::Supervisor)
}

fn mark(value: &str, date: &str) -> StoreResult<Mark> {
    let value = value
        .parse::<f64>()
        .map_err(|_| StoreError::Database(format!("a logframe value {value:?} is not a number")))?;
    let date = Date::parse(date)
        .ok_or_else(|| StoreError::Database(format!("a logframe date {date:?} is not a date")))?;
    Ok(Mark { value, date })
}

fn opt_mark(r: &Row, v: usize, d: usize) -> StoreResult<Option<Mark>> {
    match (opt_text(r, v)?, opt_text(r, d)?) {
        (Some(v), Some(d)) => mark(&v, &d).map(Some),
        _ => Ok(None),
    }
}

/// An indicator id as the catalogue writes them.
fn check_indicator(id: &str) -> StoreResult<()> {
    if id.is_empty()
        || id.len() > 100
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(StoreError::field("indicator", "logframes-error-indicator"));
    }
    Ok(())
}

/// The logframe a result belongs to, if it exists.
fn result_logframe(c: &mut dyn Conn, result: &str) -> StoreResult<String> {
    c.query(
        "SELECT logframe_id FROM logframe_results WHERE id = ?",
        &[result.into()],
    )?
    .first()
    .map(|r| text(r, 0))
    .transpose()?
    .ok_or_else(|| StoreError::NotFound("result".into()))
}

impl SqlStore {
    pub(crate) fn do_create_logframe(
        &self,
        actor: &Actor,
        title: &str,
        now: i64,
    ) -> StoreResult<String> {
        self.require_editor(actor, "logframe.create", "logframe:new", now)?;
        let title = check_title(title).map_err(StoreError::Invalid)?;
        let id = random_id()?;
        self.tx(true, |c| {
            c.execute(
                "INSERT INTO logframes (id, title, created_by, created_at) VALUES (?, ?, ?, ?)",
                &[
                    id.as_str().into(),
                    title.as_str().into(),
                    actor.name.as_str().into(),
                    now.into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "logframe.create",
                &format!("logframe:{id}"),
                "ok",
                "",
            )
        })?;
        Ok(id)
    }

    pub(crate) fn do_list_logframes(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<LogframeSummary>> {
        self.require_role(
            may_read(actor),
            actor,
            "logframe.read",
            "logframe:all",
            "your role does not see logframes",
            now,
        )?;
        self.tx(false, |c| {
            c.query(
                "SELECT f.id, f.title, f.created_at, (SELECT COUNT(*) FROM logframe_results r WHERE r.logframe_id = f.id) \
                 FROM logframes f ORDER BY f.created_at DESC, f.id",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(LogframeSummary {
                    id: text(r, 0)?,
                    title: text(r, 1)?,
                    created_at: int(r, 2)?,
                    results: int(r, 3)?,
                })
            })
            .collect()
        })
    }

    pub(crate) fn do_logframe(&self, actor: &Actor, id: &str, now: i64) -> StoreResult<Logframe> {
        self.require_role(
            may_read(actor),
            actor,
            "logframe.read",
            &format!("logframe:{id}"),
            "your role does not see logframes",
            now,
        )?;
        self.tx(false, |c| {
            let head = c.query(
                "SELECT id, title, created_at FROM logframes WHERE id = ?",
                &[id.into()],
            )?;
            let Some(h) = head.first() else {
                return Err(StoreError::NotFound("logframe".into()));
            };
            let mut frame = Logframe {
                id: text(h, 0)?,
                title: text(h, 1)?,
                created_at: int(h, 2)?,
                results: Vec::new(),
            };
            for r in c.query(
                "SELECT id, level, parent_id, statement, source, frequency, responsible, assumptions, risks \
                 FROM logframe_results WHERE logframe_id = ? ORDER BY position",
                &[id.into()],
            )? {
                let level = text(&r, 1)?;
                frame.results.push(ResultEntry {
                    id: text(&r, 0)?,
                    level: Level::parse(&level).ok_or_else(|| {
                        StoreError::Database(format!("unknown logframe level {level:?}"))
                    })?,
                    parent: opt_text(&r, 2)?,
                    statement: text(&r, 3)?,
                    source: text(&r, 4)?,
                    frequency: text(&r, 5)?,
                    responsible: text(&r, 6)?,
                    assumptions: text(&r, 7)?,
                    risks: text(&r, 8)?,
                    indicators: Vec::new(),
                });
            }
            for r in c.query(
                "SELECT i.result_id, i.indicator, i.baseline_value, i.baseline_date, i.target_value, i.target_date \
                 FROM logframe_indicators i JOIN logframe_results r ON r.id = i.result_id \
                 WHERE r.logframe_id = ? ORDER BY i.position",
                &[id.into()],
            )? {
                let result = text(&r, 0)?;
                let linked = LinkedIndicator {
                    indicator: text(&r, 1)?,
                    baseline: opt_mark(&r, 2, 3)?,
                    milestones: Vec::new(),
                    target: opt_mark(&r, 4, 5)?,
                };
                if let Some(x) = frame.results.iter_mut().find(|x| x.id == result) {
                    x.indicators.push(linked);
                }
            }
            for r in c.query(
                "SELECT m.result_id, m.indicator, m.value, m.due FROM logframe_milestones m \
                 JOIN logframe_results r ON r.id = m.result_id WHERE r.logframe_id = ? ORDER BY m.due",
                &[id.into()],
            )? {
                let (result, indicator) = (text(&r, 0)?, text(&r, 1)?);
                let m = mark(&text(&r, 2)?, &text(&r, 3)?)?;
                if let Some(x) = frame
                    .results
                    .iter_mut()
                    .find(|x| x.id == result)
                    .and_then(|x| x.indicators.iter_mut().find(|i| i.indicator == indicator))
                {
                    x.milestones.push(m);
                }
            }
            Ok(frame)
        })
    }

    pub(crate) fn do_add_logframe_result(
        &self,
        actor: &Actor,
        logframe: &str,
        new: &NewResult,
        now: i64,
    ) -> StoreResult<String> {
        let target = format!("logframe:{logframe}");
        self.require_editor(actor, "logframe.result", &target, now)?;
        let level = new.validate().map_err(StoreError::Invalid)?;
        let id = random_id()?;
        let parent = new
            .parent
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        self.tx(true, |c| {
            if c
                .query("SELECT 1 FROM logframes WHERE id = ?", &[logframe.into()])?
                .is_empty()
            {
                return Err(StoreError::NotFound("logframe".into()));
            }
            if let (Some(p), Some(want)) = (parent, level.parent()) {
                let found = c.query(
                    "SELECT level FROM logframe_results WHERE id = ? AND logframe_id = ?",
                    &[p.into(), logframe.into()],
                )?;
                let ok = found
                    .first()
                    .map(|r| text(r, 0))
                    .transpose()?
                    .is_some_and(|l| l == want.as_str());
                if !ok {
                    return Err(StoreError::field("parent", "logframes-error-parent-level"));
                }
            }
            let position = c
                .query(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM logframe_results WHERE logframe_id = ?",
                    &[logframe.into()],
                )?
                .first()
                .map(|r| int(r, 0))
                .transpose()?
                .unwrap_or(1);
            c.execute(
                "INSERT INTO logframe_results (id, logframe_id, parent_id, level, statement, source, frequency, responsible, assumptions, risks, position, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &[
                    id.as_str().into(),
                    logframe.into(),
                    parent.map_or(crate::sql::Value::Null, Into::into),
                    level.as_str().into(),
                    new.statement.trim().into(),
                    new.source.trim().into(),
                    new.frequency.trim().into(),
                    new.responsible.trim().into(),
                    new.assumptions.trim().into(),
                    new.risks.trim().into(),
                    position.into(),
                    now.into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "logframe.result",
                &target,
                "ok",
                &format!("{} {id}", level.as_str()),
            )
        })?;
        Ok(id)
    }

    pub(crate) fn do_link_logframe_indicator(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        now: i64,
    ) -> StoreResult<()> {
        let target = format!("logframe-result:{result}");
        self.require_editor(actor, "logframe.indicator", &target, now)?;
        check_indicator(indicator)?;
        self.tx(true, |c| {
            result_logframe(c, result)?;
            if !c
                .query(
                    "SELECT 1 FROM logframe_indicators WHERE result_id = ? AND indicator = ?",
                    &[result.into(), indicator.into()],
                )?
                .is_empty()
            {
                return Err(StoreError::field("indicator", "logframes-error-linked"));
            }
            let position = c
                .query(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM logframe_indicators WHERE result_id = ?",
                    &[result.into()],
                )?
                .first()
                .map(|r| int(r, 0))
                .transpose()?
                .unwrap_or(1);
            c.execute(
                "INSERT INTO logframe_indicators (result_id, indicator, position) VALUES (?, ?, ?)",
                &[result.into(), indicator.into(), position.into()],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "logframe.indicator",
                &target,
                "ok",
                indicator,
            )
        })
    }

    pub(crate) fn do_set_logframe_mark(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        kind: MarkKind,
        m: Mark,
        now: i64,
    ) -> StoreResult<()> {
        let target = format!("logframe-result:{result}");
        self.require_editor(actor, "logframe.mark", &target, now)?;
        if !m.value.is_finite() {
            return Err(StoreError::field("value", "logframes-error-value"));
        }
        let (value, date) = (m.value.to_string(), m.date.to_string());
        self.tx(true, |c| {
            result_logframe(c, result)?;
            if c.query(
                "SELECT 1 FROM logframe_indicators WHERE result_id = ? AND indicator = ?",
                &[result.into(), indicator.into()],
            )?
            .is_empty()
            {
                return Err(StoreError::NotFound("linked indicator".into()));
            }
            match kind {
                MarkKind::Baseline => c.execute(
                    "UPDATE logframe_indicators SET baseline_value = ?, baseline_date = ? WHERE result_id = ? AND indicator = ?",
                    &[value.as_str().into(), date.as_str().into(), result.into(), indicator.into()],
                )?,
                MarkKind::Target => c.execute(
                    "UPDATE logframe_indicators SET target_value = ?, target_date = ? WHERE result_id = ? AND indicator = ?",
                    &[value.as_str().into(), date.as_str().into(), result.into(), indicator.into()],
                )?,
                MarkKind::Milestone => {
                    c.execute(
                        "DELETE FROM logframe_milestones WHERE result_id = ? AND indicator = ? AND due = ?",
                        &[result.into(), indicator.into(), date.as_str().into()],
                    )?;
                    c.execute(
                        "INSERT INTO logframe_milestones (result_id, indicator, due, value) VALUES (?, ?, ?, ?)",
                        &[result.into(), indicator.into(), date.as_str().into(), value.as_str().into()],
                    )?
                }
            };
            append_audit(
                c,
                now,
                &actor.name,
                "logframe.mark",
                &target,
                "ok",
                &format!("{indicator} {} {value} {date}", kind.as_str()),
            )
        })
    }

    pub(crate) fn do_update_logframe_result(
        &self,
        actor: &Actor,
        result: &str,
        words: &ResultText,
        now: i64,
    ) -> StoreResult<()> {
        let target = format!("logframe-result:{result}");
        self.require_editor(actor, "logframe.result_changed", &target, now)?;
        words.validate().map_err(StoreError::Invalid)?;
        self.tx(true, |c| {
            result_logframe(c, result)?;
            c.execute(
                "UPDATE logframe_results SET statement = ?, source = ?, frequency = ?, responsible = ?, assumptions = ?, risks = ? WHERE id = ?",
                &[
                    words.statement.trim().into(),
                    words.source.trim().into(),
                    words.frequency.trim().into(),
                    words.responsible.trim().into(),
                    words.assumptions.trim().into(),
                    words.risks.trim().into(),
                    result.into(),
                ],
            )?;
            append_audit(c, now, &actor.name, "logframe.result_changed", &target, "ok", "")
        })
    }

    pub(crate) fn do_remove_logframe_result(
        &self,
        actor: &Actor,
        result: &str,
        now: i64,
    ) -> StoreResult<()> {
        let target = format!("logframe-result:{result}");
        self.require_editor(actor, "logframe.result_removed", &target, now)?;
        self.tx(true, |c| {
            result_logframe(c, result)?;
            // A result with results under it stays: removing it would leave
            // them without the result they lead to.
            if !c
                .query(
                    "SELECT 1 FROM logframe_results WHERE parent_id = ?",
                    &[result.into()],
                )?
                .is_empty()
            {
                return Err(StoreError::Conflict(
                    "this result has results under it: remove those first".into(),
                ));
            }
            for sql in [
                "DELETE FROM logframe_milestones WHERE result_id = ?",
                "DELETE FROM logframe_indicators WHERE result_id = ?",
                "DELETE FROM logframe_results WHERE id = ?",
            ] {
                c.execute(sql, &[result.into()])?;
            }
            append_audit(
                c,
                now,
                &actor.name,
                "logframe.result_removed",
                &target,
                "ok",
                "",
            )
        })
    }

    pub(crate) fn do_unlink_logframe_indicator(
        &self,
        actor: &Actor,
        result: &str,
        indicator: &str,
        now: i64,
    ) -> StoreResult<()> {
        let target = format!("logframe-result:{result}");
        self.require_editor(actor, "logframe.indicator_removed", &target, now)?;
        self.tx(true, |c| {
            result_logframe(c, result)?;
            c.execute(
                "DELETE FROM logframe_milestones WHERE result_id = ? AND indicator = ?",
                &[result.into(), indicator.into()],
            )?;
            let n = c.execute(
                "DELETE FROM logframe_indicators WHERE result_id = ? AND indicator = ?",
                &[result.into(), indicator.into()],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("linked indicator".into()));
            }
            append_audit(
                c,
                now,
                &actor.name,
                "logframe.indicator_removed",
                &target,
                "ok",
                indicator,
            )
        })
    }
}
