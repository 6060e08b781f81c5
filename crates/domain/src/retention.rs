//! How long Haven keeps what it holds (SPEC C9): rules a country sets in
//! its configuration, and the cut-off moments they give on a day. A record
//! past its rule is destroyed; the audit log keeps that it was, when, and
//! under which rule. With no rule set, nothing is ever purged.

use crate::Date;
use serde::{Deserialize, Serialize};

/// The age at which a person is no longer a child.
pub const ADULTHOOD: i32 = 18;

const DAY: i64 = 86_400;

/// The retention rules in force; each is off when `None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRules {
    /// A child's record, with their assessments, cases and referrals, is
    /// kept this many years after they turn 18, and never while a case of
    /// theirs is open.
    pub child_years_after_adulthood: Option<u32>,
    /// A report closed without a case or a hotline item (unfounded, or
    /// dealt with elsewhere) is kept this many months after it was closed.
    pub closed_report_months: Option<u32>,
    /// A reporter's contact details are kept this many days after their
    /// report was decided (the report itself stays).
    pub reporter_contact_days: Option<u32>,
    /// Audit entries are kept this many years. The oldest go first, whole:
    /// the log keeps, in an entry of its own, where it now begins, so that
    /// `audit verify` still proves nothing else was removed.
    pub audit_years: Option<u32>,
}

impl RetentionRules {
    /// Whether any rule is set.
    pub fn any(&self) -> bool {
        self.child_years_after_adulthood.is_some()
            || self.closed_report_months.is_some()
            || self.reporter_contact_days.is_some()
            || self.audit_years.is_some()
    }

    /// Children born on or before this day are past the rule.
    pub fn children_born_by(&self, now: i64) -> Option<Date> {
        let years = i32::try_from(self.child_years_after_adulthood?).ok()?;
        Some(Date::from_unix(now).years_before(ADULTHOOD.checked_add(years)?))
    }

    /// Reports closed before this moment are past the rule (a month is
    /// counted as 30 days: a rule in months is a rule of thumb).
    pub fn reports_closed_before(&self, now: i64) -> Option<i64> {
        Some(now - i64::from(self.closed_report_months?) * 30 * DAY)
    }

    /// Audit entries written before this moment are past the rule.
    pub fn audit_written_before(&self, now: i64) -> Option<i64> {
        let years = i32::try_from(self.audit_years?).ok()?;
        let day = Date::from_unix(now).years_before(years);
        Some(day.days_since_epoch() * DAY + now.rem_euclid(DAY))
    }

    /// Contacts of reports decided before this moment are past the rule.
    pub fn contacts_decided_before(&self, now: i64) -> Option<i64> {
        Some(now - i64::from(self.reporter_contact_days?) * DAY)
    }
}

/// The rules' names, as the audit log and `haven purge` give them.
pub mod rule {
    /// [`super::RetentionRules::child_years_after_adulthood`].
    pub const CHILDREN: &str = "child_years_after_adulthood";
    /// [`super::RetentionRules::closed_report_months`].
    pub const REPORTS: &str = "closed_report_months";
    /// [`super::RetentionRules::reporter_contact_days`].
    pub const CONTACTS: &str = "reporter_contact_days";
    /// [`super::RetentionRules::audit_years`].
    pub const AUDIT: &str = "audit_years";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rule_purges_nothing() {
        let r = RetentionRules::default();
        assert!(!r.any());
        assert_eq!(r.children_born_by(1_800_000_000), None);
        assert_eq!(r.reports_closed_before(1_800_000_000), None);
        assert_eq!(r.contacts_decided_before(1_800_000_000), None);
    }

    #[test]
    fn a_child_is_kept_until_n_years_after_turning_18() {
        let r = RetentionRules {
            child_years_after_adulthood: Some(5),
            ..Default::default()
        };
        // 2026-11-29: those born on or before 2003-11-29 turned 18 five years ago.
        let now = Date::new(2026, 11, 29).unwrap().days_since_epoch() * DAY + 3600;
        assert_eq!(
            r.children_born_by(now),
            Some(Date::new(2003, 11, 29).unwrap())
        );
        let r = RetentionRules {
            child_years_after_adulthood: Some(u32::MAX),
            ..Default::default()
        };
        assert_eq!(
            r.children_born_by(now),
            None,
            "an absurd rule purges nothing"
        );
    }

    #[test]
    fn reports_and_contacts_count_from_the_decision() {
        let r = RetentionRules {
            closed_report_months: Some(6),
            reporter_contact_days: Some(30),
            ..Default::default()
        };
        assert_eq!(r.reports_closed_before(200 * DAY), Some(20 * DAY));
        assert_eq!(r.contacts_decided_before(200 * DAY), Some(170 * DAY));
    }

    #[test]
    fn audit_entries_are_kept_whole_years() {
        let r = RetentionRules {
            audit_years: Some(7),
            ..Default::default()
        };
        assert!(r.any());
        let now = Date::new(2026, 11, 29).unwrap().days_since_epoch() * DAY + 3600;
        let then = Date::new(2019, 11, 29).unwrap().days_since_epoch() * DAY + 3600;
        assert_eq!(r.audit_written_before(now), Some(then));
        assert_eq!(RetentionRules::default().audit_written_before(now), None);
    }
}
