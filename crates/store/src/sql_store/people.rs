//! Users, API tokens, browser sessions, and the location hierarchy.

use super::{append_audit, location_path, require_admin, SqlStore};
use crate::crypto::{hex, random_bytes, random_id, sha256_hex};
use crate::error::{StoreError, StoreResult};
use crate::password::verify_password;
use crate::sql::{int, opt_text, text, Row};
use crate::{NewUser, SecondFactorStep, Session, UserInfo};
use haven_domain::{Actor, FieldError, Location, LocationLevel, Role, ValidationErrors};

/// How long a browser session lasts without signing in again.
pub const SESSION_SECONDS: i64 = 8 * 3600;

const USER_COLS: &str = "u.id, u.name, u.role, u.location, u.scope_path, u.agency";
/// A session's columns: the user's, then its CSRF token, the user's
/// language and what the session still owes of a second factor.
const SESSION_COLS: &str = "u.id, u.name, u.role, u.location, u.scope_path, u.agency, s.csrf_token, u.language, s.second_factor_pending, u.contact";

/// The actor of a row that starts with the user's columns.
fn actor_from_row(r: &Row) -> StoreResult<Actor> {
    Ok(user_from_row(r)?.1)
}

fn user_from_row(r: &Row) -> StoreResult<(UserInfo, Actor)> {
    let role = Role::parse(&text(r, 2)?)
        .ok_or_else(|| StoreError::Database("stored user has an unknown role".into()))?;
    let info = UserInfo {
        id: text(r, 0)?,
        name: text(r, 1)?,
        role,
        location: opt_text(r, 3)?,
        agency: opt_text(r, 5)?,
        disabled: false,
        language: None,
    };
    let actor = Actor {
        user_id: info.id.clone(),
        name: info.name.clone(),
        role,
        scope_path: opt_text(r, 4)?,
        agency: info.agency.clone(),
    };
    Ok((info, actor))
}

fn valid_user_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

impl SqlStore {
    pub(crate) fn do_create_user(
        &self,
        actor: &Actor,
        u: &NewUser,
        now: i64,
    ) -> StoreResult<UserInfo> {
        self.authorise(require_admin(actor), actor, "user.create", now)?;
        if !valid_user_name(&u.name) {
            return Err(StoreError::field(
                "name",
                "must be 1-64 lowercase letters, digits, '.', '_' or '-'",
            ));
        }
        if let Some(a) = &u.agency {
            if !haven_domain::location::valid_code(a) {
                return Err(StoreError::field(
                    "agency",
                    "must be 1-32 letters, digits, '-' or '_'",
                ));
            }
        }
        self.tx(true, |c| {
            if !c.query("SELECT id FROM users WHERE name = ?", &[u.name.clone().into()])?.is_empty() {
                return Err(StoreError::Conflict(format!("a user named {:?} already exists", u.name)));
            }
            let scope_path = match &u.location {
                None => None,
                Some(code) => match location_path(c, code)? {
                    Some((p, _)) => Some(p),
                    None => return Err(StoreError::field("location", format!("there is no location with code {code:?}"))),
                },
            };
            if scope_path.is_none() && u.role == Role::Caseworker {
                return Err(StoreError::field("location", "a caseworker must be given a location (--location CODE)"));
            }
            let id = random_id()?;
            c.execute(
                "INSERT INTO users (id, name, role, location, scope_path, agency, password_hash, created_at, disabled) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                &[
                    id.clone().into(),
                    u.name.clone().into(),
                    u.role.as_str().into(),
                    u.location.clone().into(),
                    scope_path.into(),
                    u.agency.clone().into(),
                    u.password_hash.clone().into(),
                    now.into(),
                ],
            )?;
            if let Some(a) = &u.agency {
                super::administration::ensure_agency(c, a, now)?;
            }
            append_audit(c, now, &actor.name, "user.create", &format!("user:{}", u.name), "ok", &format!("role {}", u.role))?;
            Ok(UserInfo { id, name: u.name.clone(), role: u.role, location: u.location.clone(), agency: u.agency.clone(), disabled: false, language: None })
        })
    }

    pub(crate) fn do_list_users(&self, actor: &Actor, now: i64) -> StoreResult<Vec<UserInfo>> {
        self.authorise(require_admin(actor), actor, "user.list", now)?;
        let rows = self.tx(false, |c| {
            c.query(
                "SELECT id, name, role, location, agency, disabled, language FROM users ORDER BY name",
                &[],
            )
        })?;
        rows.iter().map(super::administration::user_info).collect()
    }

    pub(crate) fn do_create_api_token(
        &self,
        actor: &Actor,
        user_name: &str,
        now: i64,
    ) -> StoreResult<String> {
        if actor.role != Role::Admin && actor.name != user_name {
            return Err(StoreError::Forbidden(
                "only an administrator may create tokens for others".into(),
            ));
        }
        let token = format!("hvn_{}", hex(&random_bytes::<32>()?));
        let hash = sha256_hex(token.as_bytes());
        self.tx(true, |c| {
            let rows = c.query(
                "SELECT id FROM users WHERE name = ? AND disabled = 0",
                &[user_name.into()],
            )?;
            let Some(r) = rows.first() else {
                return Err(StoreError::NotFound(format!("user {user_name:?}")));
            };
            c.execute(
                "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                &[hash.clone().into(), text(r, 0)?.into(), now.into()],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "token.create",
                &format!("user:{user_name}"),
                "ok",
                "",
            )
        })?;
        Ok(token)
    }

    pub(crate) fn do_actor_for_token(&self, token: &str) -> StoreResult<Actor> {
        if !token.starts_with("hvn_") || token.len() > 200 {
            return Err(StoreError::Unauthenticated);
        }
        let hash = sha256_hex(token.as_bytes());
        let rows = self.query_alone(
            &format!("SELECT {USER_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND u.disabled = 0"),
            &[hash.into()],
        )?;
        match rows.first() {
            Some(r) => Ok(user_from_row(r)?.1),
            None => Err(StoreError::Unauthenticated),
        }
    }

    pub(crate) fn do_sign_in(&self, name: &str, password: &str, now: i64) -> StoreResult<Session> {
        let name = name.trim();
        let found = if valid_user_name(name) {
            let rows = self.tx(false, |c| {
                c.query(
                    &format!("SELECT {USER_COLS}, u.password_hash, u.language, u.contact FROM users u WHERE u.name = ? AND u.disabled = 0"),
                    &[name.into()],
                )
            })?;
            match rows.first() {
                Some(r) => Some((
                    user_from_row(r)?.1,
                    opt_text(r, 6)?,
                    (opt_text(r, 7)?, opt_text(r, 8)?),
                )),
                None => None,
            }
        } else {
            None
        };
        // Unknown users are checked against a dummy hash: same time either way.
        let stored = found.as_ref().and_then(|f| f.1.as_deref());
        let ok = verify_password(password, stored);
        let who = if valid_user_name(name) {
            name
        } else {
            "invalid-name"
        };
        match (ok, found) {
            (true, Some((actor, _, (language, contact)))) => {
                let token = format!("hvs_{}", hex(&random_bytes::<32>()?));
                let csrf = hex(&random_bytes::<32>()?);
                let second_factor = self.tx(true, |c| {
                    c.execute("DELETE FROM sessions WHERE expires_at < ?", &[now.into()])?;
                    let step = super::second_factor::step_after_password(c, &actor)?;
                    c.execute(
                        "INSERT INTO sessions (session_hash, user_id, csrf_token, expires_at, second_factor_pending) VALUES (?, ?, ?, ?, ?)",
                        &[sha256_hex(token.as_bytes()).into(), actor.user_id.clone().into(), csrf.clone().into(), (now + SESSION_SECONDS).into(), step.code().into()],
                    )?;
                    let outcome = if step == SecondFactorStep::None { "ok" } else { "password ok" };
                    append_audit(c, now, &actor.name, "sign_in", &format!("user:{}", actor.name), outcome, "")?;
                    Ok(step)
                })?;
                Ok(Session {
                    token,
                    csrf,
                    actor,
                    language,
                    contact,
                    second_factor,
                })
            }
            _ => {
                self.do_record_event(
                    who,
                    "sign_in",
                    &format!("user:{who}"),
                    "failed",
                    "wrong name or password",
                    now,
                )?;
                Err(StoreError::Unauthenticated)
            }
        }
    }

    pub(crate) fn do_session(&self, token: &str, now: i64) -> StoreResult<Session> {
        self.read_session(token, now, false)
    }

    /// A session by its token: only a complete one unless `pending` (the
    /// pages that take the second factor, and enrolment, read those).
    pub(crate) fn read_session(
        &self,
        token: &str,
        now: i64,
        pending: bool,
    ) -> StoreResult<Session> {
        if !token.starts_with("hvs_") || token.len() > 200 {
            return Err(StoreError::Unauthenticated);
        }
        let rows = self.query_alone(
            &format!(
                "SELECT {SESSION_COLS} FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.session_hash = ? AND s.expires_at > ? AND u.disabled = 0"
            ),
            &[sha256_hex(token.as_bytes()).into(), now.into()],
        )?;
        let Some(r) = rows.first() else {
            return Err(StoreError::Unauthenticated);
        };
        let step = match int(r, 8)? {
            0 => SecondFactorStep::None,
            1 => SecondFactorStep::Code,
            _ => SecondFactorStep::Enrol,
        };
        if step != SecondFactorStep::None && !pending {
            return Err(StoreError::Unauthenticated);
        }
        Ok(Session {
            token: token.to_string(),
            csrf: text(r, 6)?,
            actor: actor_from_row(r)?,
            language: opt_text(r, 7)?,
            contact: opt_text(r, 9)?,
            second_factor: step,
        })
    }

    /// How colleagues reach the caller: a phone or an address, shown to
    /// the agencies they refer children to. Audited (without the value:
    /// the audit log is read more widely than the users table).
    pub(crate) fn do_set_contact(
        &self,
        actor: &Actor,
        contact: Option<&str>,
        now: i64,
    ) -> StoreResult<()> {
        let contact = contact.map(str::trim).filter(|c| !c.is_empty());
        if contact.is_some_and(|c| c.chars().count() > 200 || c.chars().any(char::is_control)) {
            return Err(StoreError::field(
                "contact",
                "must be one line of at most 200 characters",
            ));
        }
        self.tx(true, |c| {
            c.execute(
                "UPDATE users SET contact = ? WHERE id = ?",
                &[
                    contact.map(str::to_string).into(),
                    actor.user_id.clone().into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "set_contact",
                &format!("user:{}", actor.name),
                "ok",
                if contact.is_some() {
                    "given"
                } else {
                    "removed"
                },
            )
        })
    }

    pub(crate) fn do_set_language(
        &self,
        actor: &Actor,
        language: Option<&str>,
        now: i64,
    ) -> StoreResult<()> {
        let language = language.map(str::trim).filter(|l| !l.is_empty());
        if let Some(l) = language {
            if !(2..=3).contains(&l.len()) || !l.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(StoreError::Invalid(ValidationErrors(vec![FieldError {
                    field: "language".into(),
                    message: "must be a language code such as en, fr or es".into(),
                }])));
            }
        }
        self.tx(true, |c| {
            c.execute(
                "UPDATE users SET language = ? WHERE id = ?",
                &[
                    language.map(str::to_string).into(),
                    actor.user_id.clone().into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "set_language",
                &format!("user:{}", actor.name),
                "ok",
                language.unwrap_or("browser"),
            )
        })
    }

    pub(crate) fn do_sign_out(&self, token: &str, now: i64) -> StoreResult<()> {
        let session = self.do_session(token, now)?;
        self.tx(true, |c| {
            c.execute(
                "DELETE FROM sessions WHERE session_hash = ?",
                &[sha256_hex(token.as_bytes()).into()],
            )?;
            append_audit(
                c,
                now,
                &session.actor.name,
                "sign_out",
                &format!("user:{}", session.actor.name),
                "ok",
                "",
            )
        })
    }

    pub(crate) fn do_create_location(
        &self,
        actor: &Actor,
        loc: &Location,
        now: i64,
    ) -> StoreResult<Location> {
        self.authorise(require_admin(actor), actor, "location.create", now)?;
        loc.validate()?;
        self.tx(true, |c| {
            if location_path(c, &loc.code)?.is_some() {
                return Err(StoreError::Conflict(format!(
                    "a location with code {:?} already exists",
                    loc.code
                )));
            }
            let parent_path = match (&loc.parent, loc.level.parent_level()) {
                (Some(p), Some(want)) => match location_path(c, p)? {
                    None => {
                        return Err(StoreError::field(
                            "parent",
                            format!("there is no location with code {p:?}"),
                        ))
                    }
                    Some((path, level)) if level == want.as_str() => Some(path),
                    Some((_, level)) => {
                        return Err(StoreError::field(
                            "parent",
                            format!(
                                "a {} must be inside a {}, not a {level}",
                                loc.level.as_str(),
                                want.as_str()
                            ),
                        ))
                    }
                },
                _ => {
                    let countries =
                        c.query("SELECT code FROM locations WHERE level = 'country'", &[])?;
                    if !countries.is_empty() {
                        return Err(StoreError::Conflict(
                            "the country already exists; add regions under it".into(),
                        ));
                    }
                    None
                }
            };
            let path = loc.path_under(parent_path.as_deref());
            c.execute(
                "INSERT INTO locations (code, name, parent, level, path) VALUES (?, ?, ?, ?, ?)",
                &[
                    loc.code.clone().into(),
                    loc.name.trim().into(),
                    loc.parent.clone().into(),
                    loc.level.as_str().into(),
                    path.into(),
                ],
            )?;
            append_audit(
                c,
                now,
                &actor.name,
                "location.create",
                &format!("location:{}", loc.code),
                "ok",
                "",
            )?;
            Ok(Location {
                name: loc.name.trim().to_string(),
                ..loc.clone()
            })
        })
    }

    pub(crate) fn do_list_locations(&self, _actor: &Actor) -> StoreResult<Vec<Location>> {
        let rows = self.tx(false, |c| {
            c.query(
                "SELECT code, name, parent, level FROM locations ORDER BY path",
                &[],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(Location {
                    code: text(r, 0)?,
                    name: text(r, 1)?,
                    parent: opt_text(r, 2)?,
                    level: LocationLevel::parse(&text(r, 3)?)
                        .ok_or_else(|| StoreError::Database("bad location level".into()))?,
                })
            })
            .collect()
    }

    pub(crate) fn do_is_empty(&self) -> StoreResult<bool> {
        let rows = self.tx(false, |c| c.query("SELECT COUNT(*) FROM locations", &[]))?;
        Ok(rows
            .first()
            .map(|r| crate::sql::int(r, 0))
            .transpose()?
            .unwrap_or(0)
            == 0)
    }
}

/// The actor a user name stands for, if the account exists and is enabled
/// (for assigning and transferring cases).
pub(super) fn actor_named(c: &mut dyn crate::sql::Conn, name: &str) -> StoreResult<Option<Actor>> {
    let rows = c.query(
        &format!("SELECT {USER_COLS} FROM users u WHERE u.name = ? AND u.disabled = 0"),
        &[name.into()],
    )?;
    rows.first()
        .map(|r| user_from_row(r).map(|(_, a)| a))
        .transpose()
}
