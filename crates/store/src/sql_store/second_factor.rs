//! The optional second factor: enrolment with an authenticator app, the
//! code asked after the password, recovery codes, and the roles that must
//! use it. A session that still owes its second factor (or, for a role that
//! requires one, its enrolment) is not a session: `session()` refuses it,
//! so no page or API call can be reached through it by mistake.

use super::people::actor_named;
use super::{append_audit, require_admin, SqlStore};
use crate::crypto::{hex, random_bytes, sha256_hex, unhex};
use crate::error::{StoreError, StoreResult};
use crate::sql::{blob, int, Conn};
use crate::{SecondFactorEnrolment, SecondFactorStatus, SecondFactorStep, Session};
use haven_domain::second_factor::{
    self as sf, normalise_recovery_code, recovery_code, RECOVERY_CODES, SECRET_BYTES,
};
use haven_domain::{Actor, Role};

const SECRET_FIELD: &str = "second_factor.secret";

fn wrong_code() -> StoreError {
    StoreError::field(
        "code",
        "the code is not right; type the six digits the app shows now",
    )
}

/// What a sign-in still owes for `actor`: a code when they enrolled, an
/// enrolment when their role requires one and they have none.
pub(super) fn step_after_password(
    c: &mut dyn Conn,
    actor: &Actor,
) -> StoreResult<SecondFactorStep> {
    let enrolled = !c
        .query(
            "SELECT 1 FROM second_factors WHERE user_id = ? AND confirmed_at IS NOT NULL",
            &[actor.user_id.clone().into()],
        )?
        .is_empty();
    if enrolled {
        return Ok(SecondFactorStep::Code);
    }
    let required = !c
        .query(
            "SELECT 1 FROM second_factor_roles WHERE role = ?",
            &[actor.role.as_str().into()],
        )?
        .is_empty();
    Ok(if required {
        SecondFactorStep::Enrol
    } else {
        SecondFactorStep::None
    })
}

impl SqlStore {
    fn recovery_hash(&self, user_id: &str, code: &str) -> String {
        // Keyed: 50 bits of code must not be guessable from a stolen table.
        hex(&self.keys.blind(&format!("recovery:{user_id}:{code}")))
    }

    pub(crate) fn do_pending_session(&self, token: &str, now: i64) -> StoreResult<Session> {
        self.read_session(token, now, true)
    }

    pub(crate) fn do_second_factor_status(&self, actor: &Actor) -> StoreResult<SecondFactorStatus> {
        self.tx(false, |c| {
            let enrolled = c.query(
                "SELECT confirmed_at FROM second_factors WHERE user_id = ?",
                &[actor.user_id.clone().into()],
            )?;
            let enrolled = enrolled
                .first()
                .map(|r| crate::sql::opt_int(r, 0))
                .transpose()?
                .flatten()
                .is_some();
            let left = c.query(
                "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
                &[actor.user_id.clone().into()],
            )?;
            let left = left.first().map(|r| int(r, 0)).transpose()?.unwrap_or(0);
            let required = !c
                .query(
                    "SELECT 1 FROM second_factor_roles WHERE role = ?",
                    &[actor.role.as_str().into()],
                )?
                .is_empty();
            Ok(SecondFactorStatus {
                enrolled,
                recovery_codes_left: u32::try_from(left).unwrap_or(0),
                required,
            })
        })
    }

    pub(crate) fn do_begin_second_factor(
        &self,
        actor: &Actor,
        now: i64,
    ) -> StoreResult<SecondFactorEnrolment> {
        let secret = random_bytes::<SECRET_BYTES>()?;
        let sealed = self.keys.seal(SECRET_FIELD, &hex(&secret))?;
        self.tx(true, |c| {
            let confirmed = c.query(
                "SELECT 1 FROM second_factors WHERE user_id = ? AND confirmed_at IS NOT NULL",
                &[actor.user_id.clone().into()],
            )?;
            if !confirmed.is_empty() {
                return Err(StoreError::Conflict(
                    "a second factor is already set up; remove it first to set up a new phone".into(),
                ));
            }
            c.execute(
                "DELETE FROM second_factors WHERE user_id = ?",
                &[actor.user_id.clone().into()],
            )?;
            c.execute(
                "INSERT INTO second_factors (user_id, secret_enc, confirmed_at, last_step) VALUES (?, ?, NULL, 0)",
                &[actor.user_id.clone().into(), sealed.clone().into()],
            )?;
            append_audit(c, now, &actor.name, "second_factor.begin", &format!("user:{}", actor.name), "ok", "")
        })?;
        Ok(SecondFactorEnrolment {
            secret_text: sf::secret_text(&secret),
            otpauth_uri: sf::otpauth_uri("Haven", &actor.name, &secret),
        })
    }

    pub(crate) fn do_unfinished_second_factor(
        &self,
        actor: &Actor,
    ) -> StoreResult<Option<SecondFactorEnrolment>> {
        self.tx(false, |c| {
            Ok(match self.secret_of(c, &actor.user_id)? {
                Some((secret, false, _)) => Some(SecondFactorEnrolment {
                    secret_text: sf::secret_text(&secret),
                    otpauth_uri: sf::otpauth_uri("Haven", &actor.name, &secret),
                }),
                _ => None,
            })
        })
    }

    pub(crate) fn do_second_factor_roles(&self) -> StoreResult<Vec<Role>> {
        let rows = self.tx(false, |c| {
            c.query("SELECT role FROM second_factor_roles ORDER BY role", &[])
        })?;
        Ok(rows
            .iter()
            .filter_map(|r| crate::sql::text(r, 0).ok())
            .filter_map(|r| Role::parse(&r))
            .collect())
    }

    fn secret_of(
        &self,
        c: &mut dyn Conn,
        user_id: &str,
    ) -> StoreResult<Option<(Vec<u8>, bool, i64)>> {
        let rows = c.query(
            "SELECT secret_enc, confirmed_at, last_step FROM second_factors WHERE user_id = ?",
            &[user_id.into()],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let secret = unhex(&self.keys.open(SECRET_FIELD, &blob(r, 0)?)?)
            .ok_or_else(|| StoreError::Crypto("a second-factor secret is damaged".into()))?;
        Ok(Some((
            secret,
            crate::sql::opt_int(r, 1)?.is_some(),
            int(r, 2)?,
        )))
    }

    pub(crate) fn do_confirm_second_factor(
        &self,
        actor: &Actor,
        code: &str,
        now: i64,
    ) -> StoreResult<Vec<String>> {
        let codes: Vec<String> = (0..RECOVERY_CODES)
            .map(|_| random_bytes::<10>().map(|b| recovery_code(&b)))
            .collect::<StoreResult<_>>()?;
        let hashes: Vec<String> = codes
            .iter()
            .map(|code| self.recovery_hash(&actor.user_id, code))
            .collect();
        let outcome = self.tx(true, |c| {
            let Some((secret, confirmed, last)) = self.secret_of(c, &actor.user_id)? else {
                return Err(StoreError::Conflict("set up the second factor first".into()));
            };
            if confirmed {
                return Err(StoreError::Conflict("the second factor is already set up".into()));
            }
            let Some(step) = sf::check(&secret, code, now, last) else {
                return Ok(false);
            };
            c.execute(
                "UPDATE second_factors SET confirmed_at = ?, last_step = ? WHERE user_id = ?",
                &[now.into(), step.into(), actor.user_id.clone().into()],
            )?;
            c.execute(
                "DELETE FROM recovery_codes WHERE user_id = ?",
                &[actor.user_id.clone().into()],
            )?;
            for h in &hashes {
                c.execute(
                    "INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES (?, ?, NULL)",
                    &[actor.user_id.clone().into(), h.clone().into()],
                )?;
            }
            // A session that had to enrol before anything else may go on.
            c.execute(
                "UPDATE sessions SET second_factor_pending = 0 WHERE user_id = ? AND second_factor_pending = 2",
                &[actor.user_id.clone().into()],
            )?;
            append_audit(c, now, &actor.name, "second_factor.confirm", &format!("user:{}", actor.name), "ok", "")?;
            Ok(true)
        })?;
        if !outcome {
            self.do_record_event(
                &actor.name,
                "second_factor.confirm",
                &format!("user:{}", actor.name),
                "failed",
                "wrong code",
                now,
            )?;
            return Err(wrong_code());
        }
        Ok(codes)
    }

    pub(crate) fn do_complete_second_factor(
        &self,
        token: &str,
        code: &str,
        now: i64,
    ) -> StoreResult<Session> {
        let pending = self.read_session(token, now, true)?;
        if pending.second_factor != SecondFactorStep::Code {
            return Err(StoreError::Unauthenticated);
        }
        let actor = pending.actor.clone();
        let recovery =
            normalise_recovery_code(code).map(|c| self.recovery_hash(&actor.user_id, &c));
        let how = self.tx(true, |c| {
            let Some((secret, true, last)) = self.secret_of(c, &actor.user_id)? else {
                return Ok(None);
            };
            let used = if let Some(step) = sf::check(&secret, code, now, last) {
                c.execute(
                    "UPDATE second_factors SET last_step = ? WHERE user_id = ?",
                    &[step.into(), actor.user_id.clone().into()],
                )?;
                "code"
            } else if let Some(h) = &recovery {
                let n = c.execute(
                    "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                    &[now.into(), actor.user_id.clone().into(), h.clone().into()],
                )?;
                if n == 0 {
                    return Ok(None);
                }
                "recovery code"
            } else {
                return Ok(None);
            };
            c.execute(
                "UPDATE sessions SET second_factor_pending = 0 WHERE session_hash = ?",
                &[sha256_hex(token.as_bytes()).into()],
            )?;
            append_audit(c, now, &actor.name, "second_factor", &format!("user:{}", actor.name), "ok", used)?;
            Ok(Some(()))
        })?;
        match how {
            Some(()) => self.read_session(token, now, false),
            None => {
                self.do_record_event(
                    &actor.name,
                    "second_factor",
                    &format!("user:{}", actor.name),
                    "failed",
                    "wrong code",
                    now,
                )?;
                Err(wrong_code())
            }
        }
    }

    pub(crate) fn do_remove_second_factor(
        &self,
        actor: &Actor,
        user_name: &str,
        now: i64,
    ) -> StoreResult<()> {
        // One's own, or anyone's by an administrator (a lost phone and
        // lost recovery codes).
        let own = user_name == actor.name;
        if !own {
            self.authorise(require_admin(actor), actor, "second_factor.remove", now)?;
        }
        self.tx(true, |c| {
            let Some(target) = actor_named(c, user_name)? else {
                return Err(StoreError::NotFound(format!("no user {user_name:?}")));
            };
            for table in ["recovery_codes", "second_factors"] {
                c.execute(
                    &format!("DELETE FROM {table} WHERE user_id = ?"),
                    &[target.user_id.clone().into()],
                )?;
            }
            append_audit(
                c,
                now,
                &actor.name,
                "second_factor.remove",
                &format!("user:{user_name}"),
                "ok",
                "",
            )
        })
    }

    pub(crate) fn do_require_second_factor(
        &self,
        actor: &Actor,
        role: Role,
        required: bool,
        now: i64,
    ) -> StoreResult<()> {
        self.authorise(require_admin(actor), actor, "second_factor.require", now)?;
        if role == Role::Partner {
            return Err(StoreError::field(
                "role",
                "partner systems use API tokens, which the second factor does not affect",
            ));
        }
        self.tx(true, |c| {
            c.execute(
                "DELETE FROM second_factor_roles WHERE role = ?",
                &[role.as_str().into()],
            )?;
            if required {
                c.execute(
                    "INSERT INTO second_factor_roles (role) VALUES (?)",
                    &[role.as_str().into()],
                )?;
            }
            append_audit(
                c,
                now,
                &actor.name,
                "second_factor.require",
                &format!("role:{}", role.as_str()),
                "ok",
                if required { "required" } else { "optional" },
            )
        })
    }
}
