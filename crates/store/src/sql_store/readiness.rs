//! Readiness assessment rounds (WHO RAP-CM), written once for both
//! backends. Monitoring officers and administrators only; every change is
//! audited. The scores are checked against the instrument by the caller
//! (the domain's `Instrument::check_scores`); the store keeps 0-2 only.

use super::{append_audit, SqlStore};
use crate::crypto::random_id;
use crate::error::{StoreError, StoreResult};
use crate::readiness::{InformantScores, Round};
use crate::sql::{int, text, Conn};
use haven_domain::readiness::{Instrument, Scores};
use haven_domain::{Actor, Date, Role};

fn allowed(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Monitor)
}

const WHY: &str = "only monitoring officers and administrators keep the readiness assessment";

fn round_of(c: &mut dyn Conn, id: &str) -> StoreResult<Round> {
    let rows = c.query(
        "SELECT r.id, r.name, r.held_on, r.instrument_version, \
         (SELECT COUNT(DISTINCT s.informant) FROM readiness_scores s WHERE s.round_id = r.id) \
         FROM readiness_rounds r WHERE r.id = ?",
        &[id.into()],
    )?;
    let r = rows
        .first()
        .ok_or_else(|| StoreError::NotFound("round".into()))?;
    row_round(r)
}

fn row_round(r: &crate::sql::Row) -> StoreResult<Round> {
    let held = text(r, 2)?;
    Ok(Round {
        id: text(r, 0)?,
        name: text(r, 1)?,
        held_on: Date::parse(&held)
            .ok_or_else(|| StoreError::Database(format!("a round's date {held:?}")))?,
        instrument_version: u32::try_from(int(r, 3)?).unwrap_or(0),
        informants: int(r, 4)?,
    })
}

/// An informant's code: letters, digits, spaces, '-', '_' and '.', up to 40.
fn check_informant(s: &str) -> StoreResult<String> {
    let t = s.trim();
    if t.is_empty()
        || t.chars().count() > 40
        || !t
            .chars()
            .all(|ch| ch.is_alphanumeric() || matches!(ch, ' ' | '-' | '_' | '.'))
    {
        return Err(StoreError::field("informant", "readiness-error-informant"));
    }
    Ok(t.to_string())
}

/// The largest instrument file accepted, in bytes: ninety questions in
/// three languages fit many times over.
const MAX_INSTRUMENT_BYTES: usize = 512 * 1024;

/// The versions added here, oldest first.
fn added_instruments(c: &mut dyn Conn) -> StoreResult<Vec<Instrument>> {
    c.query(
        "SELECT definition FROM readiness_instruments ORDER BY version",
        &[],
    )?
    .iter()
    .map(|r| {
        Instrument::load(&text(r, 0)?)
            .map_err(|e| StoreError::Database(format!("a stored readiness instrument: {e}")))
    })
    .collect()
}

impl SqlStore {
    pub(crate) fn do_readiness_instruments(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<Vec<Instrument>> {
        self.require_role(
            allowed(actor),
            actor,
            "readiness.read",
            "readiness:instruments",
            WHY,
            now,
        )?;
        let shipped = Instrument::default_instrument().map_err(StoreError::Database)?;
        let mut all = vec![shipped];
        all.extend(self.tx(false, added_instruments)?);
        all.sort_by_key(|i| i.version);
        Ok(all)
    }

    pub(crate) fn do_add_readiness_instrument(
        &self,
        actor: &Actor,
        json: &str,
        now: i64,
    ) -> StoreResult<u32> {
        self.require_role(
            allowed(actor),
            actor,
            "readiness.instrument",
            "readiness:instruments",
            WHY,
            now,
        )?;
        if json.len() > MAX_INSTRUMENT_BYTES {
            return Err(StoreError::field(
                "instrument",
                format!("is over {} KiB", MAX_INSTRUMENT_BYTES / 1024),
            ));
        }
        let inst = Instrument::load(json).map_err(|e| StoreError::field("instrument", e))?;
        let shipped = Instrument::default_instrument().map_err(StoreError::Database)?;
        self.tx(true, |c| {
            // Read in the writing transaction: two versions added at once
            // cannot both take the same number.
            let newest = added_instruments(c)?
                .iter()
                .map(|i| i.version)
                .chain([shipped.version])
                .max()
                .unwrap_or(shipped.version);
            if inst.version <= newest {
                return Err(StoreError::field(
                    "instrument",
                    format!(
                        "its version is {}: a new version is numbered above {newest}, the newest here",
                        inst.version
                    ),
                ));
            }
            c.execute(
                "INSERT INTO readiness_instruments (version, definition, added_by, added_at) VALUES (?, ?, ?, ?)",
                &[
                    i64::from(inst.version).into(),
                    json.trim().into(),
                    actor.name.as_str().into(),
                    now.into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "readiness.instrument",
                &format!("readiness-instrument:{}", inst.version),
                "ok",
                "",
            )
        })?;
        Ok(inst.version)
    }

    pub(crate) fn do_create_readiness_round(
        &self,
        actor: &Actor,
        name: &str,
        held_on: Date,
        instrument_version: u32,
        now: i64,
    ) -> StoreResult<String> {
        self.require_role(
            allowed(actor),
            actor,
            "readiness.round",
            "readiness:new",
            WHY,
            now,
        )?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(StoreError::field("name", "readiness-error-name"));
        }
        let id = random_id()?;
        self.tx(true, |c| {
            c.execute(
                "INSERT INTO readiness_rounds (id, name, held_on, instrument_version, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                &[
                    id.as_str().into(),
                    name.into(),
                    held_on.to_string().into(),
                    i64::from(instrument_version).into(),
                    actor.name.as_str().into(),
                    now.into(),
                ],
            )?;
            append_audit(c, now, &actor.name, "readiness.round", &format!("readiness:{id}"), "ok", "")
        })?;
        Ok(id)
    }

    pub(crate) fn do_readiness_rounds(&self, actor: &Actor, now: i64) -> StoreResult<Vec<Round>> {
        self.require_role(
            allowed(actor),
            actor,
            "readiness.read",
            "readiness:all",
            WHY,
            now,
        )?;
        self.tx(false, |c| {
            c.query(
                "SELECT r.id, r.name, r.held_on, r.instrument_version, \
                 (SELECT COUNT(DISTINCT s.informant) FROM readiness_scores s WHERE s.round_id = r.id) \
                 FROM readiness_rounds r ORDER BY r.held_on, r.created_at, r.id",
                &[],
            )?
            .iter()
            .map(row_round)
            .collect()
        })
    }

    pub(crate) fn do_readiness_round(
        &self,
        actor: &Actor,
        id: &str,
        now: i64,
    ) -> StoreResult<(Round, Vec<InformantScores>)> {
        self.require_role(
            allowed(actor),
            actor,
            "readiness.read",
            &format!("readiness:{id}"),
            WHY,
            now,
        )?;
        self.tx(false, |c| {
            let round = round_of(c, id)?;
            let mut out: Vec<InformantScores> = Vec::new();
            for r in c.query(
                "SELECT informant, item, score FROM readiness_scores WHERE round_id = ? ORDER BY informant, item",
                &[id.into()],
            )? {
                let (who, item) = (text(&r, 0)?, text(&r, 1)?);
                let score = u8::try_from(int(&r, 2)?).unwrap_or(0);
                match out.last_mut() {
                    Some(last) if last.informant == who => {
                        last.scores.insert(item, score);
                    }
                    _ => out.push(InformantScores {
                        informant: who,
                        scores: Scores::from([(item, score)]),
                    }),
                }
            }
            Ok((round, out))
        })
    }

    pub(crate) fn do_save_readiness_scores(
        &self,
        actor: &Actor,
        round: &str,
        informant: &str,
        scores: &Scores,
        now: i64,
    ) -> StoreResult<()> {
        let target = format!("readiness:{round}");
        self.require_role(allowed(actor), actor, "readiness.scores", &target, WHY, now)?;
        let who = check_informant(informant)?;
        if let Some((item, _)) = scores.iter().find(|(_, s)| **s > 2) {
            return Err(StoreError::field(item, "readiness-error-range-2"));
        }
        self.tx(true, |c| {
            round_of(c, round)?;
            c.execute(
                "DELETE FROM readiness_scores WHERE round_id = ? AND informant = ?",
                &[round.into(), who.as_str().into()],
            )?;
            for (item, score) in scores {
                c.execute(
                    "INSERT INTO readiness_scores (round_id, informant, item, score) VALUES (?, ?, ?, ?)",
                    &[round.into(), who.as_str().into(), item.as_str().into(), i64::from(*score).into()],
                )?;
            }
            append_audit(c, now, &actor.name, "readiness.scores", &target, "ok", &format!("{} items", scores.len()))
        })
    }
}
