//! Logframes and readiness assessment rounds: kept by monitoring officers
//! and administrators, logframes read by supervisors, refused to everyone
//! else (and the refusal audited); every change audited; values and
//! dates read back as written on both backends.

use super::{is_field, seed};
use crate::logframes::MarkKind;
use crate::{Store, StoreError};
use haven_domain::logframes::{Level, Mark, NewResult, ResultText};
use haven_domain::readiness::Scores;
use haven_domain::{Actor, Date};

const NOW: i64 = super::NOW;

fn result(level: &str, parent: Option<&str>, statement: &str) -> NewResult {
    NewResult {
        level: level.into(),
        parent: parent.map(Into::into),
        statement: statement.into(),
        source: "Haven".into(),
        frequency: "yearly".into(),
        responsible: "Ministry".into(),
        assumptions: "Funding holds".into(),
        risks: "Staff turnover".into(),
    }
}

fn mark(value: f64, date: &str) -> Mark {
    Mark {
        value,
        date: Date::parse(date).unwrap(),
    }
}

/// Runs the logframe and readiness checks on an empty store.
pub fn run_monitoring(store: &dyn Store) {
    let [admin, cw1, _cw2, analyst, monitor, sup1] = seed(store);

    // Logframes: monitor and admin keep them, supervisors read them.
    for who in [&cw1, &analyst, &sup1] {
        assert!(matches!(
            store.create_logframe(who, "Plan", NOW),
            Err(StoreError::Forbidden(_))
        ));
    }
    is_field(
        store.create_logframe(&monitor, "  ", NOW).unwrap_err(),
        "title",
    );
    let id = store
        .create_logframe(&monitor, "National plan 2025-2028", NOW)
        .unwrap();
    let impact = store
        .add_logframe_result(
            &monitor,
            &id,
            &result("impact", None, "Fewer children exploited"),
            NOW,
        )
        .unwrap();
    // A parent must be one level above, in the same logframe.
    is_field(
        store
            .add_logframe_result(
                &monitor,
                &id,
                &result("output", Some(&impact), "Staff trained"),
                NOW,
            )
            .unwrap_err(),
        "parent",
    );
    is_field(
        store
            .add_logframe_result(&monitor, &id, &result("outcome", Some("nope"), "x"), NOW)
            .unwrap_err(),
        "parent",
    );
    let outcome = store
        .add_logframe_result(
            &admin,
            &id,
            &result("outcome", Some(&impact), "Children registered at birth"),
            NOW,
        )
        .unwrap();
    assert!(matches!(
        store.add_logframe_result(&monitor, "missing", &result("impact", None, "x"), NOW),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.add_logframe_result(&sup1, &id, &result("outcome", Some(&impact), "x"), NOW),
        Err(StoreError::Forbidden(_))
    ));
    store
        .link_logframe_indicator(&monitor, &outcome, "birth_registration_all", NOW)
        .unwrap();
    is_field(
        store
            .link_logframe_indicator(&monitor, &outcome, "birth_registration_all", NOW)
            .unwrap_err(),
        "indicator",
    );
    is_field(
        store
            .link_logframe_indicator(&monitor, &outcome, "Bad Id", NOW)
            .unwrap_err(),
        "indicator",
    );
    let set = |kind, m| {
        store.set_logframe_mark(&monitor, &outcome, "birth_registration_all", kind, m, NOW)
    };
    set(MarkKind::Baseline, mark(41.5, "2024-12-31")).unwrap();
    set(MarkKind::Target, mark(80.0, "2028-12-31")).unwrap();
    set(MarkKind::Milestone, mark(50.0, "2025-12-31")).unwrap();
    set(MarkKind::Milestone, mark(65.0, "2026-12-31")).unwrap();
    // The same date replaces the milestone.
    set(MarkKind::Milestone, mark(55.25, "2025-12-31")).unwrap();
    assert!(matches!(
        store.set_logframe_mark(
            &monitor,
            &outcome,
            "children_registered",
            MarkKind::Target,
            mark(1.0, "2028-12-31"),
            NOW
        ),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.set_logframe_mark(
            &sup1,
            &outcome,
            "birth_registration_all",
            MarkKind::Target,
            mark(1.0, "2028-12-31"),
            NOW
        ),
        Err(StoreError::Forbidden(_))
    ));

    let frame = store.logframe(&sup1, &id, NOW).unwrap();
    assert_eq!(frame.title, "National plan 2025-2028");
    assert_eq!(frame.results.len(), 2);
    assert_eq!(frame.results[0].level, Level::Impact);
    assert_eq!(frame.results[1].parent.as_deref(), Some(impact.as_str()));
    assert_eq!(frame.results[1].assumptions, "Funding holds");
    let linked = &frame.results[1].indicators[0];
    assert_eq!(linked.indicator, "birth_registration_all");
    assert_eq!(linked.baseline, Some(mark(41.5, "2024-12-31")));
    assert_eq!(linked.target, Some(mark(80.0, "2028-12-31")));
    assert_eq!(
        linked.milestones,
        [mark(55.25, "2025-12-31"), mark(65.0, "2026-12-31")]
    );
    let list = store.list_logframes(&sup1, NOW).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].results, 2);
    for who in [&cw1, &analyst] {
        assert!(matches!(
            store.list_logframes(who, NOW),
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            store.logframe(who, &id, NOW),
            Err(StoreError::Forbidden(_))
        ));
    }
    assert!(matches!(
        store.logframe(&monitor, "missing", NOW),
        Err(StoreError::NotFound(_))
    ));

    // Mistakes are put right: a result's words change (its level and
    // place stay), an indicator is unlinked with its marks, a result
    // without results under it is removed. Supervisors cannot.
    let words = ResultText {
        statement: "Children registered at birth in every district".into(),
        source: "Civil registry".into(),
        ..ResultText::default()
    };
    is_field(
        store
            .update_logframe_result(&monitor, &outcome, &ResultText::default(), NOW)
            .unwrap_err(),
        "statement",
    );
    for who in [&sup1, &cw1, &analyst] {
        assert!(matches!(
            store.update_logframe_result(who, &outcome, &words, NOW),
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            store.remove_logframe_result(who, &outcome, NOW),
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            store.unlink_logframe_indicator(who, &outcome, "birth_registration_all", NOW),
            Err(StoreError::Forbidden(_))
        ));
    }
    assert!(matches!(
        store.update_logframe_result(&monitor, "missing", &words, NOW),
        Err(StoreError::NotFound(_))
    ));
    store
        .update_logframe_result(&admin, &outcome, &words, NOW)
        .unwrap();
    let changed = store.logframe(&sup1, &id, NOW).unwrap();
    assert_eq!(changed.results[1].statement, words.statement);
    assert_eq!(changed.results[1].source, "Civil registry");
    assert_eq!(changed.results[1].assumptions, "");
    assert_eq!(changed.results[1].level, Level::Outcome);
    assert_eq!(changed.results[1].indicators.len(), 1, "links stay");
    // The impact has the outcome under it: it stays.
    assert!(matches!(
        store.remove_logframe_result(&monitor, &impact, NOW),
        Err(StoreError::Conflict(_))
    ));
    store
        .unlink_logframe_indicator(&monitor, &outcome, "birth_registration_all", NOW)
        .unwrap();
    assert!(matches!(
        store.unlink_logframe_indicator(&monitor, &outcome, "birth_registration_all", NOW),
        Err(StoreError::NotFound(_))
    ));
    assert!(store.logframe(&sup1, &id, NOW).unwrap().results[1]
        .indicators
        .is_empty());
    // Linked again, it starts without the old marks.
    store
        .link_logframe_indicator(&monitor, &outcome, "birth_registration_all", NOW)
        .unwrap();
    let relinked = &store.logframe(&sup1, &id, NOW).unwrap().results[1].indicators[0];
    assert_eq!((relinked.baseline, relinked.milestones.len()), (None, 0));
    set(MarkKind::Milestone, mark(50.0, "2025-12-31")).unwrap();
    store
        .remove_logframe_result(&monitor, &outcome, NOW)
        .unwrap();
    assert!(matches!(
        store.remove_logframe_result(&monitor, &outcome, NOW),
        Err(StoreError::NotFound(_))
    ));
    let left = store.logframe(&sup1, &id, NOW).unwrap();
    assert_eq!(left.results.len(), 1);
    let outcome = store
        .add_logframe_result(
            &admin,
            &id,
            &result("outcome", Some(&impact), "Children registered at birth"),
            NOW,
        )
        .unwrap();
    store
        .link_logframe_indicator(&monitor, &outcome, "birth_registration_all", NOW)
        .unwrap();
    let audit = store.recent_audit(&admin, 40, NOW).unwrap();
    for action in [
        "logframe.result_changed",
        "logframe.indicator_removed",
        "logframe.result_removed",
    ] {
        assert!(
            audit
                .iter()
                .any(|e| e.action == action && e.outcome == "ok"),
            "{action}"
        );
    }

    // Readiness rounds: monitor and admin only.
    for who in [&cw1, &analyst, &sup1] {
        assert!(matches!(
            store.create_readiness_round(
                who,
                "Baseline",
                Date::parse("2025-06-01").unwrap(),
                1,
                NOW
            ),
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            store.readiness_rounds(who, NOW),
            Err(StoreError::Forbidden(_))
        ));
    }
    is_field(
        store
            .create_readiness_round(&monitor, " ", Date::parse("2025-06-01").unwrap(), 1, NOW)
            .unwrap_err(),
        "name",
    );
    let later = store
        .create_readiness_round(
            &admin,
            "Second round",
            Date::parse("2026-06-01").unwrap(),
            1,
            NOW,
        )
        .unwrap();
    let first = store
        .create_readiness_round(
            &monitor,
            "Baseline",
            Date::parse("2025-06-01").unwrap(),
            1,
            NOW,
        )
        .unwrap();
    let scores: Scores = [
        ("attitudes_1".to_string(), 2u8),
        ("knowledge_9".to_string(), 1),
    ]
    .into();
    store
        .save_readiness_scores(&monitor, &first, "KI-01", &scores, NOW)
        .unwrap();
    store
        .save_readiness_scores(
            &monitor,
            &first,
            "KI-02",
            &[("attitudes_1".to_string(), 0u8)].into(),
            NOW,
        )
        .unwrap();
    // Saving again replaces that informant's scores.
    store
        .save_readiness_scores(
            &monitor,
            &first,
            "KI-02",
            &[("attitudes_1".to_string(), 1u8)].into(),
            NOW,
        )
        .unwrap();
    is_field(
        store
            .save_readiness_scores(&monitor, &first, "  ", &scores, NOW)
            .unwrap_err(),
        "informant",
    );
    is_field(
        store
            .save_readiness_scores(
                &monitor,
                &first,
                "KI-03",
                &[("will_1".to_string(), 3u8)].into(),
                NOW,
            )
            .unwrap_err(),
        "will_1",
    );
    assert!(matches!(
        store.save_readiness_scores(&monitor, "missing", "KI-01", &scores, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.save_readiness_scores(&sup1, &first, "KI-09", &scores, NOW),
        Err(StoreError::Forbidden(_))
    ));
    let rounds = store.readiness_rounds(&monitor, NOW).unwrap();
    let names: Vec<(&str, i64)> = rounds
        .iter()
        .map(|r| (r.name.as_str(), r.informants))
        .collect();
    assert_eq!(
        names,
        [("Baseline", 2), ("Second round", 0)],
        "oldest first"
    );
    assert_eq!(rounds[0].instrument_version, 1);
    let (round, informants) = store.readiness_round(&admin, &first, NOW).unwrap();
    assert_eq!(round.held_on, Date::parse("2025-06-01").unwrap());
    assert_eq!(informants.len(), 2);
    assert_eq!(informants[0].informant, "KI-01");
    assert_eq!(informants[0].scores, scores);
    assert_eq!(
        informants[1].scores,
        [("attitudes_1".to_string(), 1u8)].into()
    );
    assert!(store
        .readiness_round(&monitor, &later, NOW)
        .unwrap()
        .1
        .is_empty());

    // Versions of the instrument: the shipped one, then one a monitoring
    // officer adds with its own maxima and its questionnaire's wording.
    // Numbers only go up; bad files and other roles change nothing.
    let versions = |who: &Actor| {
        store
            .readiness_instruments(who, NOW)
            .unwrap()
            .iter()
            .map(|i| i.version)
            .collect::<Vec<_>>()
    };
    assert_eq!(versions(&monitor), vec![1]);
    let v2 = r#"{"instrument":"who_rap_cm","version":2,"dimensions":[{"id":"will","max":3,"items":[
        {"id":"will_1","max":2,"text":{"es":"¿Hablan los dirigentes de prevención?"}},
        {"id":"will_2","max":1}]}]}"#;
    for who in [&cw1, &analyst, &sup1] {
        assert!(matches!(
            store.add_readiness_instrument(who, v2, NOW),
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            store.readiness_instruments(who, NOW),
            Err(StoreError::Forbidden(_))
        ));
    }
    is_field(
        store
            .add_readiness_instrument(&monitor, &v2.replace("\"max\":3", "\"max\":4"), NOW)
            .unwrap_err(),
        "instrument",
    );
    is_field(
        store
            .add_readiness_instrument(&monitor, &v2.replace("\"version\":2", "\"version\":1"), NOW)
            .unwrap_err(),
        "instrument",
    );
    assert_eq!(versions(&admin), vec![1]);
    assert_eq!(
        store.add_readiness_instrument(&monitor, v2, NOW).unwrap(),
        2
    );
    is_field(
        store.add_readiness_instrument(&admin, v2, NOW).unwrap_err(),
        "instrument",
    );
    let all = store.readiness_instruments(&admin, NOW).unwrap();
    assert_eq!(
        all.iter().map(|i| i.version).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(all[1].total_max(), 3);
    assert_eq!(
        all[1].items().next().unwrap().wording("es"),
        Some("¿Hablan los dirigentes de prevención?")
    );

    // Every change is in the audit log.
    let log = store.recent_audit(&admin, 200, NOW).unwrap();
    for action in [
        "logframe.create",
        "logframe.result",
        "logframe.indicator",
        "logframe.mark",
        "readiness.round",
        "readiness.scores",
        "readiness.instrument",
    ] {
        assert!(
            log.iter().any(|e| e.action == action && e.outcome == "ok"),
            "{action}"
        );
    }
    assert!(log
        .iter()
        .any(|e| e.action == "logframe.create" && e.outcome == "denied"));
}
