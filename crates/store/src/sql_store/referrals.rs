//! Referrals: sent by the case's caseworker, answered by the receiving
//! agency's users, who see only the referrals addressed to them (§87).

use super::cases::{clean_text, open_case, required_text};
use super::{append_audit, scope_sql, under_path, SqlStore};
use crate::casework::{
    AgencyReferrals, CaregiverContact, Referral, ReferralBox, ReferralBrief, ReferralFilter,
};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::sql::{blob, int, opt_blob, opt_int, opt_text, text, Conn, Row, Value};
use haven_domain::casework::{
    check_adoption_guard, next_referral_status, Consent, ReferralKind, ReferralStatus, Sector,
};
use haven_domain::field_ops::{OfflineReferral, REFERRAL_MAKE};
use haven_domain::{Actor, Date, Role, Sex};

const REFERRAL_COLS: &str = "r.id, r.case_id, r.child_id, c.given_name_enc, c.family_name_enc, r.service_id, s.name, \
     r.to_agency, r.from_agency, r.sector, r.kind, r.status, r.reason_enc, r.answer_enc, r.sent_by, r.sent_at, \
     r.respond_by, r.answered_by, r.answered_at, r.completed_at";

const REFERRAL_FROM: &str =
    "referrals r JOIN children c ON c.id = r.child_id JOIN services s ON s.id = r.service_id";

fn bad(what: &str) -> StoreError {
    StoreError::Database(format!("stored referral has an invalid {what}"))
}

/// Why a child is referred, required: online and from a field laptop
/// alike.
pub(super) fn referral_reason(text: &str) -> StoreResult<String> {
    required_text(
        "reason",
        Some(text),
        "say what the child needs from this service",
    )
}

/// The status an answer `to` moves a referral at `from` to, or why not
/// (declining needs the reason, in `note`).
pub(super) fn next_answer(
    from: ReferralStatus,
    to: ReferralStatus,
    note: Option<&str>,
) -> StoreResult<ReferralStatus> {
    next_referral_status(from, to, note).map_err(|m| {
        if to == ReferralStatus::Declined && from == ReferralStatus::Sent {
            StoreError::field("note", m)
        } else {
            StoreError::Conflict(m)
        }
    })
}

/// `r` as answered `status` by `by` at `at`, with the agency's `note`.
pub(super) fn answered(
    r: &mut Referral,
    status: ReferralStatus,
    note: Option<&str>,
    by: &str,
    at: i64,
) {
    r.status = status;
    if let Some(n) = note {
        r.answer = Some(n.to_string());
    }
    r.answered_by = Some(by.to_string());
    r.answered_at = r.answered_at.or(Some(at));
    r.completed_at = (status == ReferralStatus::Completed).then_some(at);
    r.overdue = false;
}

impl SqlStore {
    fn referral_from_row(&self, r: &Row, now: i64) -> StoreResult<Referral> {
        let status = ReferralStatus::parse(&text(r, 11)?).ok_or_else(|| bad("status"))?;
        let respond_by = int(r, 16)?;
        Ok(Referral {
            id: text(r, 0)?,
            case_id: text(r, 1)?,
            child_id: text(r, 2)?,
            child_name: format!(
                "{} {}",
                self.keys.open("given_name", &crate::sql::blob(r, 3)?)?,
                self.keys.open("family_name", &crate::sql::blob(r, 4)?)?
            ),
            service_id: text(r, 5)?,
            service_name: text(r, 6)?,
            to_agency: text(r, 7)?,
            from_agency: opt_text(r, 8)?,
            sector: Sector::parse(&text(r, 9)?).ok_or_else(|| bad("sector"))?,
            kind: ReferralKind::parse(&text(r, 10)?).ok_or_else(|| bad("kind"))?,
            status,
            reason: self
                .keys
                .open("referral.reason", &crate::sql::blob(r, 12)?)?,
            answer: opt_blob(r, 13)?
                .map(|b| self.keys.open("referral.answer", &b))
                .transpose()?,
            sent_by: text(r, 14)?,
            sent_at: int(r, 15)?,
            respond_by,
            overdue: status == ReferralStatus::Sent && respond_by < now,
            answered_by: opt_text(r, 17)?,
            answered_at: opt_int(r, 18)?,
            completed_at: opt_int(r, 19)?,
        })
    }

    pub(super) fn referrals_of_case(
        &self,
        c: &mut dyn Conn,
        case_id: &str,
        now: i64,
    ) -> StoreResult<Vec<Referral>> {
        let rows = c.query(
            &format!("SELECT {REFERRAL_COLS} FROM {REFERRAL_FROM} WHERE r.case_id = ? ORDER BY r.sent_at, r.id"),
            &[case_id.into()],
        )?;
        rows.iter()
            .map(|r| self.referral_from_row(r, now))
            .collect()
    }

    pub(crate) fn do_refer(
        &self,
        actor: &Actor,
        case_id: &str,
        service_id: &str,
        kind: ReferralKind,
        reason: &str,
        now: i64,
    ) -> StoreResult<Referral> {
        self.child_access(actor, now)?;
        let reason = referral_reason(reason)?;
        let target = format!("case:{case_id}");
        let id = self.audited(actor, "referral.create", &target, now, |c| {
            let id = random_id()?;
            let agency =
                self.make_referral(c, actor, case_id, service_id, kind, &reason, &id, now, now)?;
            append_audit(
                c,
                now,
                &actor.name,
                "referral.create",
                &format!("referral:{id}"),
                "ok",
                &format!("{target} -> {agency}"),
            )?;
            if self.field_outbox {
                let offline = OfflineReferral {
                    id: id.clone(),
                    service_id: service_id.to_string(),
                    kind,
                    reason: reason.clone(),
                };
                super::field_outbox::keep(
                    c,
                    &self.keys,
                    REFERRAL_MAKE,
                    case_id,
                    &offline.to_changes(),
                    now,
                )?;
            }
            Ok(id)
        })?;
        self.tx(false, |c| {
            let rows = c.query(
                &format!("SELECT {REFERRAL_COLS} FROM {REFERRAL_FROM} WHERE r.id = ?"),
                &[id.clone().into()],
            )?;
            rows.first()
                .map(|r| self.referral_from_row(r, now))
                .transpose()?
                .ok_or_else(|| StoreError::NotFound(format!("referral {id}")))
        })
    }

    /// A referral of an open case to a service covering the child's
    /// district, in the caller's transaction, under `id`, sent at `at` (a
    /// laptop's when it was made). Nothing is written when it is refused.
    /// Returns the receiving agency.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn make_referral(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        case_id: &str,
        service_id: &str,
        kind: ReferralKind,
        reason: &str,
        id: &str,
        at: i64,
        now: i64,
    ) -> StoreResult<String> {
        let (case, path, _) = self.read_case(c, actor, case_id, now)?;
        let case = open_case(case)?;
        check_adoption_guard(kind, case.adoptability.is_some())
            .map_err(|m| StoreError::field("kind", m))?;
        let (child_id, from_agency, level) = (case.child_id, case.agency, case.level);
        let service = self
            .services_covering(c, &path)?
            .into_iter()
            .find(|s| s.id == service_id)
            .ok_or_else(|| {
                StoreError::field(
                    "service_id",
                    "no service with this id covers the child's district",
                )
            })?;
        c.execute(
                "INSERT INTO referrals (id, case_id, child_id, location_path, from_agency, service_id, to_agency, sector, kind, status, reason_enc, sent_by, sent_at, respond_by) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?)",
                &[
                    id.into(),
                    case_id.into(),
                    child_id.into(),
                    path.into(),
                    from_agency.into(),
                    service.id.clone().into(),
                    service.agency.clone().into(),
                    service.sector.as_str().into(),
                    kind.as_str().into(),
                    self.keys.seal("referral.reason", reason)?.into(),
                    actor.name.clone().into(),
                    at.into(),
                    // The receiving agency's time runs from when it can see it.
                    (now + self.due.referral_secs(level)).into(),
                ],
            )?;
        self.add_event(
            c,
            case_id,
            "referral",
            &format!(
                "Referred to {} ({}): {reason}",
                service.name, service.agency
            ),
            &actor.name,
            at,
        )?;
        Ok(service.agency)
    }

    /// Conditions for referrals addressed to the actor's agency within their area.
    pub(super) fn incoming_sql(actor: &Actor, params: &mut Vec<Value>) -> StoreResult<String> {
        let mut s = String::new();
        if actor.role != Role::Admin {
            let Some(agency) = &actor.agency else {
                return Err(StoreError::NotFound(
                    "referrals for your agency (you have none)".into(),
                ));
            };
            s.push_str(" AND r.to_agency = ?");
            params.push(agency.clone().into());
        }
        if let Some(p) = &actor.scope_path {
            s.push_str(&under_path("r.location_path", p, params));
        }
        Ok(s)
    }

    pub(crate) fn do_list_referrals(
        &self,
        actor: &Actor,
        f: &ReferralFilter,
        now: i64,
    ) -> StoreResult<Vec<Referral>> {
        self.child_access(actor, now)?;
        let which = f.which;
        let mut params = Vec::new();
        let mut cond = match which {
            ReferralBox::Incoming => match Self::incoming_sql(actor, &mut params) {
                Ok(s) => s,
                Err(_) => return Ok(Vec::new()),
            },
            ReferralBox::Outgoing => format!(
                " AND r.case_id IN (SELECT k.id FROM cases k WHERE 1 = 1{})",
                scope_sql(actor, "k", &mut params)
            ),
        };
        if let Some(status) = f.status {
            cond.push_str(" AND r.status = ?");
            params.push(status.as_str().into());
        }
        if f.overdue {
            cond.push_str(" AND r.status = 'sent' AND r.respond_by < ?");
            params.push(now.into());
        }
        if let Some(agency) = &f.agency {
            cond.push_str(" AND r.to_agency = ?");
            params.push(agency.clone().into());
        }
        if let Some(place) = &f.place {
            let within = self.tx(false, |c| {
                super::within_place(c, "r.location_path", place, &mut params)
            })?;
            cond.push_str(&within);
        }
        let limit = if f.limit == 0 { 500 } else { f.limit.min(500) };
        let offset = f.offset.min(1_000_000_000);
        // On a field laptop, the referrals addressed to the agency are its
        // own copies (their cases stay with the referring agency).
        let laptop_incoming = self.field_outbox && which == ReferralBox::Incoming;
        let (cols, from) = if laptop_incoming {
            ("r.brief_enc", super::field_incoming::INCOMING_FROM)
        } else {
            (REFERRAL_COLS, REFERRAL_FROM)
        };
        let sql = format!(
            "SELECT {cols} FROM {from} WHERE 1 = 1{cond} \
             ORDER BY r.status = 'sent' DESC, r.respond_by, r.id LIMIT {limit} OFFSET {offset}"
        );
        let action = match which {
            ReferralBox::Incoming => "referral.list_incoming",
            ReferralBox::Outgoing => "referral.list_outgoing",
        };
        let rows = self.read_then_audit(
            actor,
            action,
            "referrals",
            now,
            |c| c.query(&sql, &params),
            |rows| format!("{} referrals", rows.len()),
        )?;
        rows.iter()
            .map(|r| match laptop_incoming {
                true => self.held_brief(r, now).map(|b| b.referral),
                false => self.referral_from_row(r, now),
            })
            .collect()
    }

    /// The receiving agency accepts, declines (with a reason) or completes.
    pub(crate) fn do_answer_referral(
        &self,
        actor: &Actor,
        id: &str,
        to: ReferralStatus,
        note: Option<&str>,
        now: i64,
    ) -> StoreResult<Referral> {
        self.child_access(actor, now)?;
        let note = clean_text("note", note)?;
        if self.field_outbox {
            return self.answer_on_laptop(actor, id, to, note.as_deref(), now);
        }
        let target = format!("referral:{id}");
        self.audited(
            actor,
            &format!("referral.{}", to.as_str()),
            &target,
            now,
            |c| {
                let r = self.answer_in(c, actor, id, to, note.as_deref(), now, now)?;
                append_audit(
                    c,
                    now,
                    &actor.name,
                    &format!("referral.{}", r.status.as_str()),
                    &target,
                    "ok",
                    "",
                )?;
                Ok(r)
            },
        )
    }

    /// The receiving agency's answer, in the caller's transaction, given
    /// at `at` (a laptop's when it was given): the referral as it is now.
    /// Refused, writing nothing, when the referral is not addressed to the
    /// actor's agency in their area (`NotFound`) or the answer does not
    /// follow from its status.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn answer_in(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        id: &str,
        to: ReferralStatus,
        note: Option<&str>,
        at: i64,
        now: i64,
    ) -> StoreResult<Referral> {
        let mut params = vec![Value::from(id)];
        let cond = Self::incoming_sql(actor, &mut params)?;
        let rows = c.query(
            &format!("SELECT {REFERRAL_COLS} FROM {REFERRAL_FROM} WHERE r.id = ?{cond}"),
            &params,
        )?;
        let Some(row) = rows.first() else {
            return Err(StoreError::NotFound(format!("referral {id}")));
        };
        let mut r = self.referral_from_row(row, now)?;
        let status = next_answer(r.status, to, note)?;
        let sealed = self.keys.seal_optional("referral.answer", note)?;
        let completed = (status == ReferralStatus::Completed).then_some(at);
        c.execute(
            "UPDATE referrals SET status = ?, answer_enc = COALESCE(?, answer_enc), answered_by = ?, answered_at = COALESCE(answered_at, ?), completed_at = ? WHERE id = ?",
            &[status.as_str().into(), sealed.into(), actor.name.clone().into(), at.into(), completed.into(), id.into()],
        )?;
        let mut line = format!("Referral to {} {}", r.service_name, status.as_str());
        if let Some(n) = note {
            line.push_str(&format!(": {n}"));
        }
        self.add_event(c, &r.case_id, "referral", &line, &actor.name, at)?;
        answered(&mut r, status, note, &actor.name, at);
        Ok(r)
    }

    /// One referral with what the receiving agency needs to act on it.
    /// Readable by the agency it is addressed to and by staff whose scope
    /// holds the case; anyone else is told it does not exist.
    pub(crate) fn do_referral_brief(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<ReferralBrief> {
        self.child_access(actor, now)?;
        let target = format!("referral:{id}");
        self.audited_read(actor, "referral.read", &target, now, |c| {
            // On a field laptop, one addressed to the agency is its own copy.
            let held = match self.field_outbox {
                true => self.held_incoming(c, actor, id, now)?,
                false => None,
            };
            let brief = match held {
                Some(brief) => brief,
                None => {
                    let mut params = vec![Value::from(id)];
                    let incoming = Self::incoming_sql(actor, &mut params)
                        .map(|s| format!("(1 = 1{s})"))
                        .unwrap_or_else(|_| "1 = 0".to_string());
                    let outgoing = format!("(1 = 1{})", scope_sql(actor, "k", &mut params));
                    self.briefs(
                        c,
                        &format!("r.id = ? AND ({incoming} OR {outgoing})"),
                        &params,
                        now,
                    )?
                    .pop()
                    .ok_or_else(|| StoreError::NotFound(format!("referral {id}")))?
                }
            };
            let detail = format!("child:{}", brief.referral.child_id);
            Ok((brief, detail))
        })
    }

    /// The referrals `cond` selects (with `params`), each as its
    /// receiving agency needs it to act.
    pub(super) fn briefs(
        &self,
        c: &mut dyn Conn,
        cond: &str,
        params: &[Value],
        now: i64,
    ) -> StoreResult<Vec<ReferralBrief>> {
        let rows = c.query(
            &format!(
                "SELECT {REFERRAL_COLS}, c.sex, c.date_of_birth, c.dob_estimated, c.location, u.contact, k.consent, c.household_id \
                 FROM {REFERRAL_FROM} JOIN cases k ON k.id = r.case_id LEFT JOIN users u ON u.name = r.sent_by \
                 WHERE {cond} ORDER BY r.id"
            ),
            params,
        )?;
        let mut briefs = Vec::with_capacity(rows.len());
        for row in &rows {
            let referral = self.referral_from_row(row, now)?;
            let n = 20;
            let sex = Sex::parse(&text(row, n)?).ok_or_else(|| bad("child's sex"))?;
            let born = Date::parse(&text(row, n + 1)?).ok_or_else(|| bad("date of birth"))?;
            let consent = Consent::parse(&text(row, n + 5)?).ok_or_else(|| bad("consent"))?;
            let mut caregivers = Vec::new();
            if consent == Consent::Given {
                if let Some(household) = opt_text(row, n + 6)? {
                    for g in c.query(
                        "SELECT given_name_enc, family_name_enc, relationship, contact_enc FROM caregivers WHERE household_id = ? ORDER BY created_at, id",
                        &[household.into()],
                    )? {
                        caregivers.push(CaregiverContact {
                            name: format!(
                                "{} {}",
                                self.keys.open("caregiver.given_name", &blob(&g, 0)?)?,
                                self.keys.open("caregiver.family_name", &blob(&g, 1)?)?
                            ),
                            relationship: text(&g, 2)?,
                            contact: self.keys.open("caregiver.contact", &blob(&g, 3)?)?,
                        });
                    }
                }
            }
            briefs.push(ReferralBrief {
                child_age: born.age_on(Date::from_unix(now)),
                age_estimated: int(row, n + 2)? != 0,
                child_sex: sex,
                district: text(row, n + 3)?,
                referrer_contact: opt_text(row, n + 4)?,
                consent,
                caregivers,
                referral,
            });
        }
        Ok(briefs)
    }

    /// Referral figures per receiving agency, for referrals about children
    /// in the caller's area.
    pub(crate) fn do_referrals_by_agency(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<AgencyReferrals>> {
        if matches!(actor.role, Role::Partner | Role::Analyst) {
            return Err(StoreError::Forbidden(
                "referral figures are for casework and monitoring staff".into(),
            ));
        }
        let mut params: Vec<Value> = vec![now.into()];
        let cond = match &actor.scope_path {
            Some(p) => under_path("r.location_path", p, &mut params),
            None => String::new(),
        };
        let rows = self.tx(false, |c| {
            c.query(
                &format!(
                    "SELECT r.to_agency, \
                     CAST(SUM(CASE WHEN r.status = 'sent' THEN 1 ELSE 0 END) AS BIGINT), \
                     CAST(SUM(CASE WHEN r.status = 'sent' AND r.respond_by < ? THEN 1 ELSE 0 END) AS BIGINT), \
                     CAST(SUM(CASE WHEN r.status = 'accepted' THEN 1 ELSE 0 END) AS BIGINT), \
                     CAST(SUM(CASE WHEN r.status = 'completed' THEN 1 ELSE 0 END) AS BIGINT), \
                     CAST(SUM(CASE WHEN r.status = 'declined' THEN 1 ELSE 0 END) AS BIGINT) \
                     FROM referrals r WHERE 1 = 1{cond} GROUP BY r.to_agency ORDER BY r.to_agency"
                ),
                &params,
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(AgencyReferrals {
                    agency: text(r, 0)?,
                    waiting: int(r, 1)?,
                    overdue: int(r, 2)?,
                    accepted: int(r, 3)?,
                    completed: int(r, 4)?,
                    declined: int(r, 5)?,
                })
            })
            .collect()
    }
}
