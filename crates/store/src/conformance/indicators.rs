//! Indicators on a fixed small data set, with values worked out by hand:
//! a period boundary (a child registered in the last second of 2025 and one
//! in the first second of 2026), a location subtree, scope, an empty
//! denominator, and the roles that may not see figures.

use super::{child, is_field, reports::report, seed};
use crate::indicators::IndicatorQuery;
use crate::{Store, StoreError};
use haven_domain::assessment::{Answer, RiskLevel};
use haven_domain::casework::{NewService, ReferralKind, Sector};
use haven_domain::indicators::{Catalogue, Dimension, Period, Tallies};
use haven_domain::report::Decision;
use haven_domain::{Actor, Date};
use std::collections::BTreeMap;

fn at(day: &str) -> i64 {
    Date::parse(day).unwrap().days_since_epoch() * 86_400
}

fn query(id: &str, period: &str, location: &str, by: Option<Dimension>) -> IndicatorQuery {
    IndicatorQuery {
        definition: Catalogue::default_catalogue()
            .unwrap()
            .get(id)
            .unwrap()
            .clone(),
        periods: vec![Period::parse(period).unwrap()],
        location: location.into(),
        by,
    }
}

fn one(store: &dyn Store, actor: &Actor, q: &IndicatorQuery) -> Tallies {
    let mut all = store.indicator_tallies(actor, q, at("2026-11-28")).unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0)
}

/// (numerator, denominator) of everything.
fn nd(store: &dyn Store, actor: &Actor, id: &str, period: &str, loc: &str) -> (i64, i64) {
    let t = one(store, actor, &query(id, period, loc, None)).total;
    (t.numerator, t.denominator)
}

fn cells(t: &Tallies) -> Vec<(&str, i64)> {
    t.cells
        .iter()
        .map(|(k, c)| (k.as_str(), c.numerator))
        .collect()
}

/// Runs on a fresh store.
pub fn run_indicators(store: &dyn Store) {
    let [admin, cw1, cw2, analyst, monitor, sup1] = seed(store);
    let kid = |actor: &Actor, sex: &str, dob: &str, reg: &str, loc: &str, when: i64| {
        let mut c = child("Amina", "Diallo", dob, loc);
        c.sex = sex.into();
        c.birth_registration = Some(reg.into());
        store.create_child(actor, &c, when).unwrap().0.id
    };
    let c1 = kid(
        &cw1,
        "female",
        "2022-03-01",
        "registered",
        "D11",
        at("2025-02-01"),
    );
    let c2 = kid(
        &cw1,
        "male",
        "2023-05-05",
        "not_registered",
        "D11",
        at("2025-03-01"),
    );
    // The last second of 2025, and the first of 2026.
    let c3 = kid(
        &cw1,
        "female",
        "2015-01-01",
        "registered",
        "D11",
        at("2026-01-01") - 1,
    );
    kid(
        &cw1,
        "male",
        "2012-06-01",
        "registered",
        "D12",
        at("2026-01-01"),
    );
    kid(
        &admin,
        "female",
        "2021-01-01",
        "registered",
        "D21",
        at("2025-06-01"),
    );

    // Children registered, as of the end of the period.
    assert_eq!(nd(store, &monitor, "children_registered", "2025", "C").0, 4);
    assert_eq!(nd(store, &monitor, "children_registered", "2026", "C").0, 5);
    assert_eq!(
        nd(store, &monitor, "children_registered", "2025", "R1").0,
        3,
        "a subtree"
    );
    assert_eq!(
        nd(store, &monitor, "children_registered", "2025", "D12").0,
        0
    );
    assert_eq!(
        nd(store, &monitor, "children_registered", "202501", "C").0,
        0
    );
    assert_eq!(
        nd(
            store,
            &monitor,
            "children_registered",
            "2025-01-01..2025-02-01",
            "C"
        )
        .0,
        1
    );
    let by_sex = one(
        store,
        &monitor,
        &query("children_registered", "2025", "C", Some(Dimension::Sex)),
    );
    assert_eq!(
        cells(&by_sex),
        [("female", 3), ("male", 1), ("other", 0), ("unknown", 0)]
    );
    let by_place = one(
        store,
        &monitor,
        &query(
            "children_registered",
            "2025",
            "C",
            Some(Dimension::Location),
        ),
    );
    assert_eq!(cells(&by_place), [("R1", 3), ("R2", 1)]);
    let in_r1 = one(
        store,
        &monitor,
        &query(
            "children_registered",
            "2026",
            "R1",
            Some(Dimension::Location),
        ),
    );
    assert_eq!(cells(&in_r1), [("D11", 3), ("D12", 1)]);
    let by_age = one(
        store,
        &monitor,
        &query("children_registered", "2025", "C", Some(Dimension::AgeBand)),
    );
    // On 31 December 2025: c1 (3), c2 (2) and the D21 child (4) are under 5; c3 is 10.
    assert_eq!(
        cells(&by_age),
        [
            ("0_4", 3),
            ("5_11", 1),
            ("12_14", 0),
            ("15_17", 0),
            ("18_plus", 0)
        ]
    );

    // Scope: a caseworker and a supervisor of R1 count only R1, even for
    // the whole country; a place outside their area is refused.
    assert_eq!(nd(store, &cw1, "children_registered", "2025", "C").0, 3);
    assert_eq!(nd(store, &sup1, "children_registered", "2025", "C").0, 3);
    assert!(matches!(
        store.indicator_tallies(
            &cw1,
            &query("children_registered", "2025", "R2", None),
            at("2026-11-28")
        ),
        Err(StoreError::Forbidden(_))
    ));
    // A caseworker of agency A2 counts only that agency's children.
    assert_eq!(nd(store, &cw2, "children_registered", "2025", "C").0, 0);

    // Birth registration: under 5 on 31 December 2025, c1, c2 and the D21
    // child; two registered.
    assert_eq!(
        nd(store, &monitor, "birth_registration_under_5", "2025", "C"),
        (2, 3)
    );
    assert_eq!(
        nd(store, &monitor, "birth_registration_all", "2025", "C"),
        (3, 4)
    );
    // No child in D12 at the end of 2025: an empty denominator, no error.
    assert_eq!(
        nd(store, &monitor, "birth_registration_all", "2025", "D12"),
        (0, 0)
    );

    // Assessments: the latest in the period counts.
    let yes = |ids: &[&str]| -> BTreeMap<String, Answer> {
        ids.iter()
            .map(|i| (i.to_string(), Answer::Yes(true)))
            .collect()
    };
    store
        .assess_child(&cw1, &c1, &yes(&[]), at("2025-04-01"))
        .unwrap();
    store
        .assess_child(&cw1, &c1, &yes(&["immediate_danger"]), at("2025-09-01"))
        .unwrap();
    store
        .assess_child(&cw1, &c2, &yes(&[]), at("2025-05-01"))
        .unwrap();
    store
        .assess_child(&cw1, &c3, &yes(&["immediate_danger"]), at("2026-01-05"))
        .unwrap();
    assert_eq!(
        nd(store, &monitor, "assessed_high_or_critical", "2025", "C"),
        (1, 2)
    );
    assert_eq!(
        nd(store, &monitor, "assessed_high_or_critical", "2025Q2", "C"),
        (0, 2)
    );
    assert_eq!(
        nd(store, &monitor, "assessed_high_or_critical", "2026", "C"),
        (1, 1)
    );
    assert_eq!(nd(store, &monitor, "children_assessed", "2025", "R2").0, 0);
    let by_level = one(
        store,
        &monitor,
        &query("children_assessed", "2025", "C", Some(Dimension::RiskLevel)),
    );
    assert_eq!(
        cells(&by_level),
        [("low", 1), ("medium", 0), ("high", 0), ("critical", 1)]
    );

    // The outcome: of the children reassessed in a period, those whose
    // latest level there is below their first. c1 rose (low, then
    // critical) in 2025; in 2026 c3 falls (critical, then low) and c2
    // rises (low in 2025, critical now).
    assert_eq!(
        nd(store, &monitor, "risk_fell_on_reassessment", "2025", "C"),
        (0, 1)
    );
    store
        .assess_child(&cw1, &c3, &yes(&[]), at("2026-03-01"))
        .unwrap();
    store
        .assess_child(&cw1, &c2, &yes(&["immediate_danger"]), at("2026-02-01"))
        .unwrap();
    assert_eq!(
        nd(store, &monitor, "risk_fell_on_reassessment", "2026", "C"),
        (1, 2)
    );
    // A first assessment alone is no reassessment: c3 in January.
    assert_eq!(
        nd(
            store,
            &monitor,
            "risk_fell_on_reassessment",
            "2026-01-01..2026-01-31",
            "C"
        ),
        (0, 0)
    );
    // A first level overridden afterwards is what the later ones are
    // compared with, on either path: c3's critical January, made low by
    // the supervisor, no longer falls.
    let now = at("2026-11-28");
    let first = store
        .child_assessments(&sup1, &c3, now)
        .unwrap()
        .into_iter()
        .min_by_key(|a| a.assessed_at)
        .unwrap();
    let confirm = |level, why: Option<&str>| {
        store
            .confirm_assessment(&sup1, &first.id, level, why, at("2026-03-02"))
            .unwrap();
    };
    confirm(
        RiskLevel::Low,
        Some("The danger had passed before the visit"),
    );
    let fell = query("risk_fell_on_reassessment", "2026", "C", None);
    let (at_once, one_query) = (
        store
            .indicator_report(&monitor, std::slice::from_ref(&fell), now)
            .unwrap(),
        store
            .indicator_tallies_by_query(&monitor, &fell, now)
            .unwrap(),
    );
    assert_eq!(
        (one_query[0].total.numerator, one_query[0].total.denominator),
        (0, 2)
    );
    assert_eq!(at_once.into_iter().next().unwrap().unwrap(), one_query);
    confirm(RiskLevel::Critical, None);
    assert_eq!(
        nd(store, &monitor, "risk_fell_on_reassessment", "2026", "C"),
        (1, 2)
    );

    // Referrals, by sector.
    let svc = store
        .create_service(
            &admin,
            &NewService {
                name: "Clinic".into(),
                provider: "Clinic provider".into(),
                agency: "A1".into(),
                sector: Sector::Health,
                layers: vec![haven_domain::assessment::PreventionLayer::Secondary],
                coverage: "C".into(),
                factors: vec![],
                contact: "+000 555 0100".into(),
            },
            at("2025-01-01"),
        )
        .unwrap();
    let case = store.open_case(&cw1, &c1, None, at("2025-09-02")).unwrap();
    store
        .refer(
            &cw1,
            &case.id,
            &svc.id,
            ReferralKind::Service,
            "check-up",
            at("2025-10-01"),
        )
        .unwrap();
    assert_eq!(nd(store, &monitor, "referrals_sent", "2025", "C").0, 1);
    assert_eq!(nd(store, &monitor, "referrals_accepted", "2025", "C").0, 0);
    let by_sector = one(
        store,
        &monitor,
        &query("referrals_sent", "2025", "C", Some(Dimension::Sector)),
    );
    assert!(cells(&by_sector).contains(&("health", 1)));
    assert_eq!(
        by_sector.cells.iter().map(|c| c.1.numerator).sum::<i64>(),
        1
    );

    // Reports: one triaged in time, one not yet.
    let (r, loc) = report("abuse", Some("D11"));
    store
        .submit_report(&r, loc.as_deref(), at("2025-03-01"))
        .unwrap();
    let (r, loc) = report("child_marriage", Some("D21"));
    store
        .submit_report(&r, loc.as_deref(), at("2025-07-01"))
        .unwrap();
    let open = store
        .list_reports(
            &cw1,
            &crate::reports::ReportFilter::open(),
            at("2025-07-01"),
        )
        .unwrap();
    let first = open
        .iter()
        .find(|s| s.category.as_str() == "abuse")
        .unwrap();
    store
        .decide_report(
            &cw1,
            &first.id,
            Decision::Close,
            Some("no concern found"),
            None,
            at("2025-03-01") + 60,
        )
        .unwrap();
    assert_eq!(
        nd(store, &monitor, "reports_triaged_in_time", "2025", "C"),
        (1, 2)
    );
    assert_eq!(nd(store, &monitor, "reports_received", "2025", "R2").0, 1);
    let by_cat = one(
        store,
        &monitor,
        &query(
            "reports_received",
            "2025",
            "C",
            Some(Dimension::ReportCategory),
        ),
    );
    assert!(
        cells(&by_cat).contains(&("abuse", 1)) && cells(&by_cat).contains(&("child_marriage", 1))
    );

    // The hotline: national figures only.
    store
        .create_hotline_item(&analyst, "http://bad.example.org/a", at("2025-08-01"))
        .unwrap();
    assert_eq!(nd(store, &monitor, "hotline_reports", "2025", "C").0, 1);
    assert_eq!(nd(store, &analyst, "hotline_illegal", "2025", "C"), (0, 1));
    let t = one(
        store,
        &monitor,
        &query("hotline_hours_to_removal", "2025", "C", None),
    );
    assert_eq!((t.total.numerator, t.total.median), (0, None));
    is_field(
        store
            .indicator_tallies(
                &monitor,
                &query("hotline_reports", "2025", "R1", None),
                at("2026-11-28"),
            )
            .unwrap_err(),
        "location",
    );

    // Refusals: a role without figures, a breakdown not offered, a place
    // that does not exist.
    assert!(matches!(
        store.indicator_tallies(
            &analyst,
            &query("children_registered", "2025", "C", None),
            at("2026-11-28")
        ),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.indicator_tallies(
            &cw1,
            &query("hotline_reports", "2025", "C", None),
            at("2026-11-28")
        ),
        Err(StoreError::Forbidden(_))
    ));
    is_field(
        store
            .indicator_tallies(
                &monitor,
                &query("children_registered", "2025", "C", Some(Dimension::Sector)),
                at("2026-11-28"),
            )
            .unwrap_err(),
        "by",
    );
    is_field(
        store
            .indicator_tallies(
                &monitor,
                &query("children_registered", "2025", "NOWHERE", None),
                at("2026-11-28"),
            )
            .unwrap_err(),
        "location",
    );

    // Several periods at once, oldest first.
    let mut q = query("children_registered", "2026", "C", None);
    q.periods = Period::parse("2026").unwrap().trend(3);
    let trend: Vec<i64> = store
        .indicator_tallies(&monitor, &q, at("2026-11-28"))
        .unwrap()
        .iter()
        .map(|t| t.total.numerator)
        .collect();
    assert_eq!(trend, [0, 4, 5]);

    // Children born on the boundaries of the age bands on the last day of
    // 2025 (exactly 5 and 12 years before it), for both ways of counting to
    // agree on.
    kid(
        &cw1,
        "male",
        "2020-12-31",
        "registered",
        "D11",
        at("2025-03-01"),
    );
    kid(
        &cw1,
        "female",
        "2013-12-31",
        "not_registered",
        "D12",
        at("2025-04-01"),
    );
    report_agrees_figure_by_figure(store, &[&monitor, &sup1, &cw1, &cw2, &analyst]);
}

/// Every built-in figure, counted as part of a report (one read of the
/// records for all of them) and one query at a time, must be the same for
/// every breakdown, for several kinds of period and places, and for each
/// role, refusals included.
pub(super) fn report_agrees_figure_by_figure(store: &dyn Store, actors: &[&Actor]) {
    let cat = Catalogue::default_catalogue().unwrap();
    let periods = ["2025", "2025Q3", "2025-03-01..2026-02-14"];
    let mut queries = Vec::new();
    for d in &cat.indicators {
        let mut bys = vec![None];
        bys.extend(d.disaggregations.iter().copied().map(Some));
        // One breakdown not offered, refused in both.
        bys.push(Some(Dimension::Sector));
        for by in bys {
            for loc in ["C", "R1", "D11", "R2"] {
                for p in periods {
                    queries.push(query(&d.id, p, loc, by));
                }
                // A trend: several periods in one figure.
                let mut q = query(&d.id, "2026", loc, by);
                q.periods = Period::parse("2026").unwrap().trend(3);
                queries.push(q);
            }
        }
    }
    let now = at("2026-11-28");
    for actor in actors {
        let report = store.indicator_report(actor, &queries, now).unwrap();
        assert_eq!(report.len(), queries.len());
        for (q, got) in queries.iter().zip(report) {
            let want = store.indicator_tallies_by_query(actor, q, now);
            let what = format!(
                "{} by {:?} for {:?} in {} as {}",
                q.definition.id,
                q.by,
                q.periods.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
                q.location,
                actor.name
            );
            match (got, want) {
                (Ok(g), Ok(w)) => assert_eq!(g, w, "{what}"),
                (Err(g), Err(w)) => assert_eq!(g.to_string(), w.to_string(), "{what}"),
                (g, w) => panic!("{what}: the report gave {g:?}, one query {w:?}"),
            }
        }
    }
}
