//! Statistics exchanged between nodes (issue 13): the figures this node
//! publishes (its public indicators, disclosure-controlled where they were
//! computed) each with an exchange number that moves only when the figure
//! changes, and the figures received from peers, kept per origin.

use super::lists::next_xseq;
use super::{append_audit, require_admin, SqlStore};
use crate::error::StoreResult;
use crate::exchange::ReceivedStatistic;
use crate::sql::{int, opt_text, text, Conn};
use haven_domain::exchange::StatisticItem;
use haven_domain::{Actor, Role};

impl SqlStore {
    pub(crate) fn do_publish_statistics(
        &self,
        actor: &Actor,
        items: &[StatisticItem],
        now: i64,
    ) -> StoreResult<u64> {
        self.authorise(require_admin(actor), actor, "statistics.publish", now)?;
        self.tx(true, |c| {
            let mut xseq = next_xseq(c)? - 1;
            let mut changed = 0u64;
            for s in items {
                let rows = c.query(
                    "SELECT catalogue_version, unit, value, suppressed, withdrawn FROM statistics_published \
                     WHERE indicator = ? AND period = ? AND location = ?",
                    &[s.indicator.clone().into(), s.period.clone().into(), s.location.clone().into()],
                )?;
                let same = match rows.first() {
                    Some(r) => {
                        int(r, 0)? == s.catalogue_version
                            && text(r, 1)? == s.unit
                            && opt_text(r, 2)? == s.value
                            && (int(r, 3)? != 0) == s.suppressed
                            && int(r, 4)? == 0
                    }
                    None => false,
                };
                if same {
                    continue;
                }
                xseq += 1;
                changed += 1;
                let args = [
                    s.catalogue_version.into(),
                    s.unit.clone().into(),
                    s.value.clone().into(),
                    s.suppressed.into(),
                    now.into(),
                    xseq.into(),
                    s.indicator.clone().into(),
                    s.period.clone().into(),
                    s.location.clone().into(),
                ];
                if rows.is_empty() {
                    c.execute(
                        "INSERT INTO statistics_published (catalogue_version, unit, value, suppressed, published_at, xseq, indicator, period, location) \
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &args,
                    )?;
                } else {
                    c.execute(
                        "UPDATE statistics_published SET catalogue_version = ?, unit = ?, value = ?, suppressed = ?, published_at = ?, xseq = ?, withdrawn = 0 \
                         WHERE indicator = ? AND period = ? AND location = ?",
                        &args,
                    )?;
                }
            }
            // `items` are all the figures this node publishes now: those of
            // an indicator no longer among them (no longer public) are
            // withdrawn, and the next bundle tells peers to remove them.
            let publishing: std::collections::HashSet<&str> =
                items.iter().map(|s| s.indicator.as_str()).collect();
            let shown = c.query(
                "SELECT indicator, period, location FROM statistics_published WHERE withdrawn = 0",
                &[],
            )?;
            for r in &shown {
                let indicator = text(r, 0)?;
                if publishing.contains(indicator.as_str()) {
                    continue;
                }
                xseq += 1;
                changed += 1;
                c.execute(
                    "UPDATE statistics_published SET withdrawn = 1, value = NULL, suppressed = 1, published_at = ?, xseq = ? \
                     WHERE indicator = ? AND period = ? AND location = ?",
                    &[now.into(), xseq.into(), indicator.into(), text(r, 1)?.into(), text(r, 2)?.into()],
                )?;
            }
            if changed > 0 {
                append_audit(
                    c,
                    now,
                    &actor.name,
                    "statistics.publish",
                    "statistics",
                    "ok",
                    &format!("{changed} published figures changed"),
                )?;
            }
            Ok(changed)
        })
    }

    pub(crate) fn do_received_statistics(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<ReceivedStatistic>> {
        self.require_role(
            matches!(actor.role, Role::Admin | Role::Monitor),
            actor,
            "statistics.received",
            "statistics",
            "only administrators and monitoring officers see the figures other nodes publish",
            now,
        )?;
        let rows = self.tx(false, |c| {
            c.query(
                "SELECT p.name, s.indicator, s.catalogue_version, s.period, s.location, s.unit, s.value, s.suppressed, s.received_at, s.origin_bundle \
                 FROM statistics_received s JOIN peers p ON p.id = s.peer_id \
                 ORDER BY p.name, s.indicator, s.period, s.location",
                &[],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(ReceivedStatistic {
                    origin: text(r, 0)?,
                    indicator: text(r, 1)?,
                    catalogue_version: int(r, 2)?,
                    period: text(r, 3)?,
                    location: text(r, 4)?,
                    unit: text(r, 5)?,
                    value: opt_text(r, 6)?,
                    suppressed: int(r, 7)? != 0,
                    received_at: int(r, 8)?,
                    origin_bundle: text(r, 9)?,
                })
            })
            .collect()
    }
}

/// The published figures whose exchange number is in `(since, upto]`.
pub(super) fn published_between(
    c: &mut dyn Conn,
    since: i64,
    upto: i64,
) -> StoreResult<Vec<(i64, StatisticItem)>> {
    let rows = c.query(
        "SELECT xseq, indicator, catalogue_version, period, location, unit, value, suppressed, withdrawn \
         FROM statistics_published WHERE xseq > ? AND xseq <= ? ORDER BY xseq",
        &[since.into(), upto.into()],
    )?;
    rows.iter()
        .map(|r| {
            Ok((
                int(r, 0)?,
                StatisticItem {
                    indicator: text(r, 1)?,
                    catalogue_version: int(r, 2)?,
                    period: text(r, 3)?,
                    location: text(r, 4)?,
                    unit: text(r, 5)?,
                    value: opt_text(r, 6)?,
                    suppressed: int(r, 7)? != 0,
                    withdrawn: int(r, 8)? != 0,
                },
            ))
        })
        .collect()
}

/// Keeps a figure received from `peer_id` (the newest per indicator,
/// period and place), or removes it when the origin withdrew it.
pub(super) fn receive(
    c: &mut dyn Conn,
    peer_id: &str,
    s: &StatisticItem,
    bundle: &str,
    now: i64,
) -> StoreResult<()> {
    if s.withdrawn {
        c.execute(
            "DELETE FROM statistics_received WHERE peer_id = ? AND indicator = ? AND period = ? AND location = ?",
            &[
                peer_id.into(),
                s.indicator.clone().into(),
                s.period.clone().into(),
                s.location.clone().into(),
            ],
        )?;
        return Ok(());
    }
    let n = c.execute(
        "UPDATE statistics_received SET catalogue_version = ?, unit = ?, value = ?, suppressed = ?, received_at = ?, origin_bundle = ? \
         WHERE peer_id = ? AND indicator = ? AND period = ? AND location = ?",
        &[
            s.catalogue_version.into(),
            s.unit.clone().into(),
            s.value.clone().into(),
            s.suppressed.into(),
            now.into(),
            bundle.into(),
            peer_id.into(),
            s.indicator.clone().into(),
            s.period.clone().into(),
            s.location.clone().into(),
        ],
    )?;
    if n == 0 {
        c.execute(
            "INSERT INTO statistics_received (peer_id, indicator, period, location, catalogue_version, unit, value, suppressed, received_at, origin_bundle) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            &[
                peer_id.into(),
                s.indicator.clone().into(),
                s.period.clone().into(),
                s.location.clone().into(),
                s.catalogue_version.into(),
                s.unit.clone().into(),
                s.value.clone().into(),
                s.suppressed.into(),
                now.into(),
                bundle.into(),
            ],
        )?;
    }
    Ok(())
}
