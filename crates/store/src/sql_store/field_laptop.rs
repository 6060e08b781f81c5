//! Offline field work, the laptop's own store (issue 16): the children a
//! checkout brings are held as the server sent them, each replacing the
//! laptop's copy, and those that left the user's area are removed.

use super::{append_audit, location_path, SqlStore};
use crate::error::{StoreError, StoreResult};
use haven_domain::child::ValidChild;
use haven_domain::{Actor, Child};

impl SqlStore {
    pub(crate) fn do_receive_checkout(
        &self,
        actor: &Actor,
        children: &[Child],
        in_scope: Option<&[String]>,
        now: i64,
    ) -> StoreResult<(usize, usize)> {
        // Only the sync (the system actor) writes what the server sent.
        if actor.user_id != Actor::system().user_id {
            return Err(StoreError::Forbidden(
                "only `haven field` on the laptop does this".into(),
            ));
        }
        self.tx(true, |c| {
            for child in children {
                let Some((path, _)) = location_path(c, &child.location)? else {
                    return Err(StoreError::field(
                        "location",
                        format!(
                            "the checkout names a place this laptop does not know: {}",
                            child.location
                        ),
                    ));
                };
                // As the server holds the child; the household stays there.
                let v = ValidChild {
                    given_name: child.given_name.clone(),
                    family_name: child.family_name.clone(),
                    sex: child.sex,
                    date_of_birth: child.date_of_birth,
                    date_of_birth_estimated: child.date_of_birth_estimated,
                    location: child.location.clone(),
                    birth_registration: child.birth_registration,
                    disability: child.disability,
                    minority_group: child.minority_group.clone(),
                    living_situation: child.living_situation,
                    in_school: child.in_school,
                    child_labour: child.child_labour,
                    household_id: None,
                };
                self.replace_child(
                    c,
                    &child.id,
                    &v,
                    path,
                    child.agency.clone(),
                    (child.created_at, child.updated_at),
                )?;
                append_audit(
                    c,
                    now,
                    &actor.name,
                    "field.receive",
                    &format!("child:{}", child.id),
                    "ok",
                    "checked out from the server",
                )?;
            }
            // Children that left the user's area (transferred, removed).
            let mut removed = 0;
            if let Some(keep) = in_scope {
                let keep: std::collections::HashSet<&String> = keep.iter().collect();
                let held = c.query("SELECT id FROM children", &[])?;
                for r in &held {
                    let id = crate::sql::text(r, 0)?;
                    if !keep.contains(&id) {
                        forget(c, &id)?;
                        removed += 1;
                        append_audit(
                            c,
                            now,
                            &actor.name,
                            "field.remove",
                            &format!("child:{id}"),
                            "ok",
                            "no longer in the user's area",
                        )?;
                    }
                }
            }
            Ok((children.len(), removed))
        })
    }
}

/// Removes the laptop's copy of a child, its name tokens and the
/// assessments made of it here (sent at the sync before the child left).
fn forget(c: &mut dyn crate::sql::Conn, id: &str) -> StoreResult<()> {
    c.execute("DELETE FROM child_tokens WHERE child_id = ?", &[id.into()])?;
    c.execute("DELETE FROM assessments WHERE child_id = ?", &[id.into()])?;
    c.execute("DELETE FROM children WHERE id = ?", &[id.into()])?;
    Ok(())
}
