//! What the work lists share (Today, cases, referrals): how late something
//! is, in words, and a risk level as a badge that says it in text as well
//! as colour. Words from `locales/*/worklists.ftl`.

use crate::i18n::Tr;
use haven_domain::assessment::RiskLevel;

/// How late something due at `due` is at `now`, in words ("3 days late").
pub(super) fn late_by(tr: Tr, due: i64, now: i64) -> String {
    let late = (now - due).max(0);
    if late >= 86_400 {
        tr.t1("late-by-days", "n", late / 86_400)
    } else if late >= 3_600 {
        tr.t1("late-by-hours", "n", late / 3_600)
    } else {
        tr.t("late-by-minutes")
    }
}

/// A risk level as a list shows it: the class gives the colour, the text
/// says the same in words (colour alone tells nothing to many readers).
pub(super) struct RiskBadge {
    /// `critical`, `high`, `medium`, `low` or `unassessed`.
    pub class: &'static str,
    /// The level in words.
    pub text: String,
}

pub(super) fn risk_badge(tr: Tr, level: Option<RiskLevel>) -> RiskBadge {
    match level {
        Some(l) => RiskBadge {
            class: l.as_str(),
            text: super::layout::label(tr, "risk-level", l.as_str()),
        },
        None => RiskBadge {
            class: "unassessed",
            text: super::layout::label(tr, "risk-level", "unassessed"),
        },
    }
}

/// A query string with one parameter replaced (or removed, with `None`):
/// the links to other pages and orders of the same list.
pub(super) fn with_param(
    q: &std::collections::BTreeMap<String, String>,
    key: &str,
    value: Option<&str>,
) -> String {
    let mut q = q.clone();
    match value {
        Some(v) => q.insert(key.to_string(), v.to_string()),
        None => q.remove(key),
    };
    q.iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            format!(
                "{}={}",
                super::children::url_encode(k),
                super::children::url_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The links to the previous and next pages of a list at `path`: the same
/// query with the page's start (`cursor`, or the name given) moved by
/// `limit`; no next page when this one came back short.
pub(super) fn page_links(
    path: &str,
    q: &std::collections::BTreeMap<String, String>,
    cursor: &str,
    offset: usize,
    limit: usize,
    returned: usize,
) -> (Option<String>, Option<String>) {
    let at = |start: usize| {
        let start = (start > 0).then(|| start.to_string());
        format!("{path}?{}", with_param(q, cursor, start.as_deref()))
    };
    let previous = (offset > 0).then(|| at(offset.saturating_sub(limit)));
    let next = (returned >= limit).then(|| at(offset + returned));
    (previous, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Tr;

    #[test]
    fn lateness_is_said_in_days_hours_or_less() {
        let tr = Tr::english();
        assert_eq!(late_by(tr, 0, 3 * 86_400 + 5), "3 days late");
        assert_eq!(late_by(tr, 0, 86_400), "1 day late");
        assert_eq!(late_by(tr, 0, 7_200), "2 hours late");
        assert_eq!(late_by(tr, 0, 60), "less than an hour late");
        let fr = Tr::for_code("fr").unwrap();
        assert_eq!(late_by(fr, 0, 2 * 86_400), "2 jours de retard");
    }

    #[test]
    fn a_query_keeps_its_other_parameters() {
        let q = std::collections::BTreeMap::from([
            ("risk".to_string(), "high".to_string()),
            ("cursor".to_string(), "25".to_string()),
            ("place".to_string(), String::new()),
        ]);
        assert_eq!(with_param(&q, "cursor", Some("50")), "cursor=50&risk=high");
        assert_eq!(with_param(&q, "cursor", None), "risk=high");
    }
}
