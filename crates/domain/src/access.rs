//! Who is asking, and what their role and scope let them see.
//!
//! Storage turns an [`Actor`]'s scope into conditions inside each query, so a
//! record outside the scope is never read, counted or listed; the checks here
//! decide which kinds of record a role may touch at all.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A user's role. Roles are fixed by the product; scope narrows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, locations and configuration; sees every child.
    Admin,
    /// Oversees caseworkers in a location subtree; sees its children.
    Supervisor,
    /// Registers and follows children in a location subtree (and agency).
    Caseworker,
    /// Hotline analyst: reports and hash/URL lists, never child records.
    Analyst,
    /// Monitoring officer: aggregates only, never child records.
    Monitor,
    /// A platform or ISP system: may only match hashes and URLs, never read lists.
    Partner,
    /// Law-enforcement liaison: travelling-offender alerts exchanged with
    /// other nodes, never child records.
    Liaison,
}

impl Role {
    /// Every role, for menus and help text.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Supervisor,
        Role::Caseworker,
        Role::Analyst,
        Role::Monitor,
        Role::Partner,
        Role::Liaison,
    ];

    /// The role's name as the CLI and API spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Caseworker => "caseworker",
            Role::Analyst => "analyst",
            Role::Monitor => "monitor",
            Role::Partner => "partner",
            Role::Liaison => "liaison",
        }
    }

    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role keeps the hotline's hash and URL lists.
    pub fn keeps_lists(self) -> bool {
        matches!(self, Role::Admin | Role::Analyst)
    }

    /// Whether this role may match hashes and URLs against the lists.
    pub fn may_match(self) -> bool {
        matches!(self, Role::Admin | Role::Analyst | Role::Partner)
    }

    /// Whether this role reads and issues travelling-offender alerts (and
    /// is the only one that may).
    pub fn reads_alerts(self) -> bool {
        self == Role::Liaison
    }

    /// Whether this role may read and change child records at all.
    pub fn handles_children(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor | Role::Caseworker)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signed-in user on whose behalf something is done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The user's identifier.
    pub user_id: String,
    /// The user's sign-in name.
    pub name: String,
    /// The user's role.
    pub role: Role,
    /// Materialised path of the location the user is limited to
    /// (e.g. `/SL/SL-N/SL-N-01/`); `None` means the whole country.
    pub scope_path: Option<String>,
    /// The agency the user is limited to, where set.
    pub agency: Option<String>,
}

impl Actor {
    /// Whether this actor may see a record at `location_path` held by `agency`.
    pub fn can_see(&self, location_path: &str, agency: Option<&str>) -> bool {
        if !self.role.handles_children() {
            return false;
        }
        let in_place = self
            .scope_path
            .as_deref()
            .is_none_or(|p| location_path.starts_with(p));
        let in_agency = match (&self.agency, self.role) {
            (Some(mine), Role::Caseworker) => agency == Some(mine.as_str()),
            _ => true,
        };
        in_place && in_agency
    }

    /// The agency filter to apply in queries: caseworkers with an agency see
    /// only that agency's children.
    pub fn agency_filter(&self) -> Option<&str> {
        match self.role {
            Role::Caseworker => self.agency.as_deref(),
            _ => None,
        }
    }

    /// A system actor for command-line administration and demo seeding.
    pub fn system() -> Actor {
        Actor {
            user_id: "system".into(),
            name: "system".into(),
            role: Role::Admin,
            scope_path: None,
            agency: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, scope: Option<&str>, agency: Option<&str>) -> Actor {
        Actor {
            user_id: "u".into(),
            name: "u".into(),
            role,
            scope_path: scope.map(str::to_string),
            agency: agency.map(str::to_string),
        }
    }

    #[test]
    fn scope_and_role_limit_what_is_seen() {
        let cw = actor(Role::Caseworker, Some("/C/R1/"), None);
        assert!(cw.can_see("/C/R1/D1/", None));
        assert!(!cw.can_see("/C/R2/D1/", None));
        let cw_agency = actor(Role::Caseworker, Some("/C/"), Some("DSW"));
        assert!(cw_agency.can_see("/C/R1/D1/", Some("DSW")));
        assert!(!cw_agency.can_see("/C/R1/D1/", Some("NGO")));
        assert!(!actor(Role::Monitor, None, None).can_see("/C/", None));
        assert!(!actor(Role::Analyst, None, None).can_see("/C/", None));
        assert!(actor(Role::Admin, None, None).can_see("/C/R9/", Some("X")));
    }

    #[test]
    fn roles_parse() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
