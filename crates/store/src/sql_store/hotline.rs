//! The hotline's items of reported online material: assessment, second
//! opinion, notice-and-takedown, law enforcement, forwarding, removal, and
//! the published figures. Only analysts and admins work items.

use super::lists::{insert_url, tombstone_url};
use super::{append_audit, SqlStore};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::reports::{HotlineFilter, HotlineItem, ItemAssessment, ItemStep};
use crate::sql::{int, opt_int, opt_text, text, Conn, Row, Value};
use haven_domain::hotline::{
    figures, AgeBand, Assessment, HotlineAction, HotlineFigures, ItemStage, ItemTimes,
};
use haven_domain::lists::{normalise_url, UrlLevel};
use haven_domain::{Actor, Role, ValidationErrors};

const ITEM_COLS: &str = "id, report_id, url, reported_at, assessment, category, age_band, sex, hosting_country, \
     hosting_provider, assessed_by, assessed_at, confirmed_by, confirmed_at, notice_sent_at, law_enforcement_at, \
     forwarded_to, forwarded_at, url_entry_id, removed_at, notice_recipient, notice_reference, \
     law_enforcement_recipient, law_enforcement_reference";

fn item_from_row(r: &Row) -> StoreResult<HotlineItem> {
    Ok(HotlineItem {
        id: text(r, 0)?,
        report_id: opt_text(r, 1)?,
        url: text(r, 2)?,
        reported_at: int(r, 3)?,
        assessment: opt_text(r, 4)?.and_then(|a| Assessment::parse(&a)),
        category: opt_text(r, 5)?,
        age_band: opt_text(r, 6)?.and_then(|a| AgeBand::parse(&a)),
        sex: opt_text(r, 7)?,
        hosting_country: opt_text(r, 8)?,
        hosting_provider: opt_text(r, 9)?,
        assessed_by: opt_text(r, 10)?,
        assessed_at: opt_int(r, 11)?,
        confirmed_by: opt_text(r, 12)?,
        confirmed_at: opt_int(r, 13)?,
        notice_sent_at: opt_int(r, 14)?,
        law_enforcement_at: opt_int(r, 15)?,
        notice_recipient: opt_text(r, 20)?,
        notice_reference: opt_text(r, 21)?,
        law_enforcement_recipient: opt_text(r, 22)?,
        law_enforcement_reference: opt_text(r, 23)?,
        forwarded_to: opt_text(r, 16)?,
        forwarded_at: opt_int(r, 17)?,
        url_entry_id: opt_text(r, 18)?,
        removed_at: opt_int(r, 19)?,
    })
}

fn short(e: &mut ValidationErrors, field: &str, v: &str, max: usize) -> Option<String> {
    let v = v.trim();
    if v.chars().count() > max || v.chars().any(char::is_control) {
        e.add(
            field,
            format!("must be at most {max} characters, without control characters"),
        );
    }
    (!v.is_empty()).then(|| v.to_string())
}

impl SqlStore {
    fn require_hotline(&self, actor: &Actor, action: &str, now: i64) -> StoreResult<()> {
        self.require_role(
            actor.role.keeps_lists(),
            actor,
            action,
            "hotline",
            "only hotline analysts work on reported material",
            now,
        )
    }

    pub(super) fn insert_hotline_item(
        &self,
        c: &mut dyn Conn,
        actor: &Actor,
        url: &str,
        report_id: Option<&str>,
        reported_at: i64,
        now: i64,
    ) -> StoreResult<String> {
        normalise_url(url).map_err(|m| StoreError::field("url", m))?;
        let id = random_id()?;
        c.execute(
            "INSERT INTO hotline_items (id, report_id, url, reported_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            &[id.clone().into(), report_id.into(), url.trim().into(), reported_at.into(), actor.name.clone().into(), now.into()],
        )?;
        append_audit(
            c,
            now,
            &actor.name,
            "hotline.item",
            &format!("item:{id}"),
            "ok",
            report_id
                .map(|r| format!("report:{r}"))
                .as_deref()
                .unwrap_or("direct"),
        )?;
        Ok(id)
    }

    /// An item entered directly by an analyst (e.g. found by a partner).
    pub(crate) fn do_create_hotline_item(
        &self,
        actor: &Actor,
        url: &str,
        now: i64,
    ) -> StoreResult<HotlineItem> {
        self.require_hotline(actor, "hotline.item", now)?;
        let id = self.tx(true, |c| {
            self.insert_hotline_item(c, actor, url, None, now, now)
        })?;
        self.do_get_hotline_item(actor, &id, now)
    }

    pub(crate) fn do_list_hotline_items(
        &self,
        actor: &Actor,
        f: &HotlineFilter,
        now: i64,
    ) -> StoreResult<Vec<HotlineItem>> {
        self.require_hotline(actor, "hotline.list", now)?;
        let mut cond = String::new();
        let mut params: Vec<Value> = Vec::new();
        if f.open_only {
            cond.push_str(
                " AND removed_at IS NULL AND (assessment IS NULL OR assessment <> 'not_illegal')",
            );
        }
        if let Some(stage) = f.stage {
            cond.push_str(match stage {
                ItemStage::ToAssess => " AND removed_at IS NULL AND assessment IS NULL",
                ItemStage::SecondOpinion => " AND removed_at IS NULL AND assessment = 'needs_second_opinion'",
                ItemStage::SendNotice => " AND removed_at IS NULL AND assessment = 'illegal' AND notice_sent_at IS NULL",
                ItemStage::WaitingRemoval => " AND removed_at IS NULL AND assessment = 'illegal' AND notice_sent_at IS NOT NULL",
                ItemStage::Removed => " AND removed_at IS NOT NULL",
                ItemStage::NotIllegal => " AND removed_at IS NULL AND assessment = 'not_illegal'",
            });
        }
        if let Some(category) = &f.category {
            cond.push_str(" AND category = ?");
            params.push(category.as_str().into());
        }
        if let Some(country) = &f.country {
            cond.push_str(" AND hosting_country = ?");
            params.push(country.to_ascii_uppercase().into());
        }
        let limit = if f.limit == 0 { 500 } else { f.limit.min(500) };
        let offset = f.offset.min(1_000_000_000);
        let sql = format!(
            "SELECT {ITEM_COLS} FROM hotline_items WHERE 1 = 1{cond} \
             ORDER BY assessment IS NOT NULL, reported_at, id LIMIT {limit} OFFSET {offset}"
        );
        let rows = self.tx(false, |c| c.query(&sql, &params))?;
        rows.iter().map(item_from_row).collect()
    }

    pub(crate) fn do_get_hotline_item(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<HotlineItem> {
        self.require_hotline(actor, "hotline.read", now)?;
        self.tx(false, |c| read_item(c, id))
    }

    /// Records an assessment. A second analyst settles one marked as
    /// needing a second opinion; an illegal URL goes on the URL list at once.
    pub(crate) fn do_assess_item(
        &self,
        actor: &Actor,
        id: &str,
        a: &ItemAssessment,
        now: i64,
    ) -> StoreResult<HotlineItem> {
        self.require_hotline(actor, "hotline.assess", now)?;
        let mut e = ValidationErrors::default();
        let assessment = Assessment::parse(a.assessment.trim());
        if assessment.is_none() {
            e.add(
                "assessment",
                "must be illegal, not_illegal or needs_second_opinion",
            );
        }
        let age_band = match a.age_band.trim() {
            "" => None,
            b => match AgeBand::parse(b) {
                Some(b) => Some(b),
                None => {
                    e.add(
                        "age_band",
                        "must be infant, prepubescent, pubescent or unknown",
                    );
                    None
                }
            },
        };
        let sex = match a.sex.trim() {
            "" => None,
            s @ ("female" | "male" | "both" | "unknown") => Some(s.to_string()),
            _ => {
                e.add("sex", "must be female, male, both or unknown");
                None
            }
        };
        let country = match a.hosting_country.trim() {
            "" => None,
            c => match haven_domain::hotline::country(c) {
                Some(known) => Some(known.code.to_string()),
                None => {
                    e.add(
                        "hosting_country",
                        "must be an ISO 3166-1 two-letter country code, e.g. NL",
                    );
                    None
                }
            },
        };
        let category = short(&mut e, "category", &a.category, 60);
        let provider = short(&mut e, "hosting_provider", &a.hosting_provider, 120);
        if assessment == Some(Assessment::Illegal) && category.is_none() {
            e.add(
                "category",
                "give the category of the material under national law",
            );
        }
        e.into_result()?;
        let Some(assessment) = assessment else {
            return Err(StoreError::field("assessment", "is required"));
        };
        let target = format!("item:{id}");
        self.audited(actor, "hotline.assess", &target, now, |c| {
            let item = read_item(c, id)?;
            let confirmed_by = match (item.assessment, &item.assessed_by) {
                (None, _) => None,
                (Some(Assessment::SecondOpinion), Some(first)) if first != &actor.name => Some(actor.name.clone()),
                (Some(Assessment::SecondOpinion), _) => {
                    return Err(StoreError::Conflict("a second opinion comes from another analyst".into()))
                }
                _ => return Err(StoreError::Conflict("this item is already assessed; another analyst may confirm it".into())),
            };
            let mut entry = item.url_entry_id.clone();
            if assessment == Assessment::Illegal && entry.is_none() {
                entry = Some(match insert_url(c, actor, &item.url, UrlLevel::Url, category.as_deref().unwrap_or(""), now) {
                    Ok(u) => u.id,
                    // Already listed (e.g. reported twice): link the live entry.
                    Err(StoreError::Conflict(_)) => {
                        let key = normalise_url(&item.url).map_err(|m| StoreError::field("url", m))?.key(UrlLevel::Url);
                        c.query("SELECT id FROM url_entries WHERE url_key = ? AND level = 'url' AND removed_version IS NULL", &[key.into()])?
                            .first()
                            .map(|r| text(r, 0))
                            .transpose()?
                            .ok_or_else(|| StoreError::Conflict("the URL list changed; try again".into()))?
                    }
                    Err(e) => return Err(e),
                });
            }
            let (assessed_by, assessed_at) = match &confirmed_by {
                Some(_) => (item.assessed_by.clone(), item.assessed_at),
                None => (Some(actor.name.clone()), Some(now)),
            };
            c.execute(
                "UPDATE hotline_items SET assessment = ?, category = ?, age_band = ?, sex = ?, hosting_country = ?, hosting_provider = ?, \
                 assessed_by = ?, assessed_at = ?, confirmed_by = ?, confirmed_at = ?, url_entry_id = ? WHERE id = ?",
                &[
                    assessment.as_str().into(),
                    category.clone().into(),
                    age_band.map(|b| b.as_str()).into(),
                    sex.clone().into(),
                    country.clone().into(),
                    provider.clone().into(),
                    assessed_by.into(),
                    assessed_at.into(),
                    confirmed_by.clone().into(),
                    confirmed_by.as_ref().map(|_| now).into(),
                    entry.clone().into(),
                    id.into(),
                ],
            )?;
            append_audit(c, now, &actor.name, "hotline.assess", &target, "ok", assessment.as_str())?;
            read_item(c, id)
        })
    }

    /// A second analyst confirms a settled assessment (four eyes on every illegal finding, when the hotline wants it).
    pub(crate) fn do_confirm_item(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<HotlineItem> {
        self.require_hotline(actor, "hotline.confirm", now)?;
        let target = format!("item:{id}");
        self.audited(actor, "hotline.confirm", &target, now, |c| {
            let item = read_item(c, id)?;
            match (item.assessment, &item.assessed_by, &item.confirmed_by) {
                (Some(Assessment::Illegal | Assessment::NotIllegal), Some(first), None)
                    if first != &actor.name => {}
                (_, _, Some(_)) => return Err(StoreError::Conflict("already confirmed".into())),
                (Some(Assessment::Illegal | Assessment::NotIllegal), _, _) => {
                    return Err(StoreError::Conflict(
                        "the confirmation comes from a second analyst".into(),
                    ))
                }
                _ => return Err(StoreError::Conflict("assess the item first".into())),
            }
            c.execute(
                "UPDATE hotline_items SET confirmed_by = ?, confirmed_at = ? WHERE id = ?",
                &[actor.name.clone().into(), now.into(), id.into()],
            )?;
            append_audit(c, now, &actor.name, "hotline.confirm", &target, "ok", "")?;
            read_item(c, id)
        })
    }

    /// Notice to the host, law-enforcement referral, forwarding, removal.
    pub(crate) fn do_item_action(
        &self,
        actor: &Actor,
        id: &str,
        action: HotlineAction,
        step: &ItemStep,
        now: i64,
    ) -> StoreResult<HotlineItem> {
        self.require_hotline(actor, "hotline.action", now)?;
        let mut e = ValidationErrors::default();
        let recipient = step
            .recipient
            .as_deref()
            .and_then(|r| short(&mut e, "recipient", r, 120));
        let reference = step
            .reference
            .as_deref()
            .and_then(|r| short(&mut e, "reference", r, 120));
        if action == HotlineAction::Forwarded && !e.0.is_empty() {
            // The forwarding form's one field.
            return Err(StoreError::field(
                "detail",
                "name the hotline (and country) the report was forwarded to",
            ));
        }
        e.into_result()?;
        if action == HotlineAction::Forwarded && recipient.is_none() {
            return Err(StoreError::field(
                "detail",
                "name the hotline (and country) the report was forwarded to",
            ));
        }
        let detail = recipient.as_deref();
        let target = format!("item:{id}");
        let verb = format!("hotline.{}", action.as_str());
        self.audited(actor, &verb, &target, now, |c| {
            let item = read_item(c, id)?;
            if item.assessment != Some(Assessment::Illegal) {
                return Err(StoreError::Conflict(
                    "only material assessed illegal is notified, referred, forwarded or removed"
                        .into(),
                ));
            }
            if item.removed_at.is_some() {
                return Err(StoreError::Conflict(
                    "the material is already recorded as removed".into(),
                ));
            }
            let (column, done) = match action {
                HotlineAction::NoticeSent => ("notice_sent_at", item.notice_sent_at.is_some()),
                HotlineAction::LawEnforcement => {
                    ("law_enforcement_at", item.law_enforcement_at.is_some())
                }
                HotlineAction::Forwarded => ("forwarded_at", item.forwarded_at.is_some()),
                HotlineAction::Removed => ("removed_at", false),
            };
            if done {
                return Err(StoreError::Conflict(format!(
                    "{} is already recorded",
                    action.as_str().replace('_', " ")
                )));
            }
            c.execute(
                &format!("UPDATE hotline_items SET {column} = ? WHERE id = ?"),
                &[now.into(), id.into()],
            )?;
            let who = match action {
                HotlineAction::NoticeSent => Some(("notice_recipient", "notice_reference")),
                HotlineAction::LawEnforcement => {
                    Some(("law_enforcement_recipient", "law_enforcement_reference"))
                }
                HotlineAction::Forwarded => Some(("forwarded_to", "")),
                HotlineAction::Removed => None,
            };
            if let Some((to, reference_column)) = who {
                c.execute(
                    &format!("UPDATE hotline_items SET {to} = ? WHERE id = ?"),
                    &[detail.into(), id.into()],
                )?;
                if !reference_column.is_empty() {
                    c.execute(
                        &format!("UPDATE hotline_items SET {reference_column} = ? WHERE id = ?"),
                        &[reference.clone().into(), id.into()],
                    )?;
                }
            }
            if action == HotlineAction::Removed {
                if let Some(entry) = &item.url_entry_id {
                    match tombstone_url(c, actor, entry, now) {
                        Ok(_) | Err(StoreError::NotFound(_)) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            let said = match (detail, reference.as_deref()) {
                (Some(to), Some(r)) => format!("{to} (ref. {r})"),
                (Some(to), None) => to.to_string(),
                (None, Some(r)) => format!("ref. {r}"),
                (None, None) => String::new(),
            };
            append_audit(c, now, &actor.name, &verb, &target, "ok", &said)?;
            read_item(c, id)
        })
    }

    pub(crate) fn do_hotline_figures(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<HotlineFigures> {
        self.require_role(
            matches!(actor.role, Role::Admin | Role::Analyst | Role::Monitor),
            actor,
            "hotline.figures",
            "hotline",
            "hotline figures are for the hotline and monitoring officers",
            now,
        )?;
        let (reports, rows) = self.aggregate_tx(|c| {
            let n = c.query("SELECT CAST(COUNT(*) AS BIGINT) FROM reports", &[])?;
            let rows = c.query(
                "SELECT reported_at, assessment, removed_at FROM hotline_items",
                &[],
            )?;
            Ok((n.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0), rows))
        })?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(ItemTimes {
                    reported_at: int(r, 0)?,
                    assessment: opt_text(r, 1)?.and_then(|a| Assessment::parse(&a)),
                    removed_at: opt_int(r, 2)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(figures(u64::try_from(reports).unwrap_or(0), &items))
    }
}

fn read_item(c: &mut dyn Conn, id: &str) -> StoreResult<HotlineItem> {
    c.query(
        &format!("SELECT {ITEM_COLS} FROM hotline_items WHERE id = ?"),
        &[id.into()],
    )?
    .first()
    .map(item_from_row)
    .transpose()?
    .ok_or_else(|| StoreError::NotFound(format!("hotline item {id}")))
}
