//! Victims, the form of exploitation on a case, and child population
//! figures, on a small data set with values worked out by hand: a rate per
//! 100,000 children by sex and by place, figures given for a region and
//! for a district inside it (never counted twice), a year without figures
//! (the latest before it is used) and one before any (an empty
//! denominator), and a file refused whole with its lines named.

use super::{child, is_field, seed};
use crate::indicators::IndicatorQuery;
use crate::{Store, StoreError};
use haven_domain::assessment::Answer;
use haven_domain::casework::ExploitationForm;
use haven_domain::indicators::population::parse_csv;
use haven_domain::indicators::{Catalogue, Dimension, Period, Tallies};
use haven_domain::{Actor, Date};
use std::collections::BTreeMap;

fn at(day: &str) -> i64 {
    Date::parse(day).unwrap().days_since_epoch() * 86_400
}

fn tallies(
    store: &dyn Store,
    a: &Actor,
    id: &str,
    p: &str,
    loc: &str,
    by: Option<Dimension>,
) -> Tallies {
    let q = IndicatorQuery {
        definition: Catalogue::default_catalogue()
            .unwrap()
            .get(id)
            .unwrap()
            .clone(),
        periods: vec![Period::parse(p).unwrap()],
        location: loc.into(),
        by,
    };
    store
        .indicator_tallies(a, &q, at("2026-11-28"))
        .unwrap()
        .remove(0)
}

/// (key, numerator, denominator) of each cell.
fn cells(t: &Tallies) -> Vec<(&str, i64, i64)> {
    t.cells
        .iter()
        .map(|(k, c)| (k.as_str(), c.numerator, c.denominator))
        .collect()
}

/// Runs on a fresh store.
pub fn run_victims_and_populations(store: &dyn Store) {
    let [admin, cw1, cw2, _analyst, monitor, _sup1] = seed(store);
    let kid = |actor: &Actor, sex: &str, dob: &str, loc: &str, minority: Option<&str>| {
        let mut c = child("Awa", "Sow", dob, loc);
        c.sex = sex.into();
        c.minority_group = minority.map(Into::into);
        c.disability = minority.is_some();
        store
            .create_child(actor, &c, at("2025-01-10"))
            .unwrap()
            .0
            .id
    };
    let a = kid(&cw1, "female", "2015-01-01", "D11", Some("Group A"));
    let b = kid(&cw1, "male", "2015-06-01", "D12", None);
    let c = kid(&cw2, "female", "2014-01-01", "D21", None);
    let d = kid(&cw1, "female", "2016-01-01", "D11", None);
    let answers = |ids: &[&str]| -> BTreeMap<String, Answer> {
        ids.iter()
            .map(|i| (i.to_string(), Answer::Yes(true)))
            .collect()
    };
    // a: assessed as already a victim in 2025. d: assessed, not a victim.
    store
        .assess_child(&cw1, &a, &answers(&["already_victim"]), at("2025-03-01"))
        .unwrap();
    store
        .assess_child(&cw1, &d, &answers(&[]), at("2025-03-01"))
        .unwrap();
    // b: a case opened in 2025 that records trafficking (still open).
    let kb = store.open_case(&cw1, &b, None, at("2025-05-01")).unwrap();
    assert_eq!(kb.exploitation, None);
    let kb = store
        .record_exploitation(
            &cw1,
            &kb.id,
            Some(ExploitationForm::Trafficking),
            at("2025-05-02"),
        )
        .unwrap();
    assert_eq!(kb.exploitation, Some(ExploitationForm::Trafficking));
    let file = store.get_case(&cw1, &kb.id, at("2025-05-02")).unwrap();
    assert!(file.case.exploitation == Some(ExploitationForm::Trafficking));
    // c: a case opened in 2026 that records sexual exploitation.
    let kc = store.open_case(&cw2, &c, None, at("2026-02-01")).unwrap();
    store
        .record_exploitation(
            &admin,
            &kc.id,
            Some(ExploitationForm::SexualExploitation),
            at("2026-02-01"),
        )
        .unwrap();
    // Who may not record it: a caseworker of another area (as if the case
    // did not exist), a monitoring officer (no records at all).
    assert!(matches!(
        store.record_exploitation(&cw2, &kb.id, None, at("2026-02-01")),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.record_exploitation(&monitor, &kb.id, None, at("2026-02-01")),
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(
        store
            .get_case(&cw1, &kb.id, at("2026-02-02"))
            .unwrap()
            .case
            .exploitation,
        Some(ExploitationForm::Trafficking),
        "a refusal changed nothing"
    );

    // Victims: 2025 holds a and b; 2026 holds b (still open) and c.
    let v25 = tallies(store, &monitor, "victims_identified", "2025", "C", None);
    assert_eq!(v25.total.numerator, 2);
    let by_form = tallies(
        store,
        &monitor,
        "victims_identified",
        "2025",
        "C",
        Some(Dimension::ExploitationForm),
    );
    let forms: Vec<(&str, i64)> = cells(&by_form)
        .iter()
        .filter(|c| c.1 > 0)
        .map(|c| (c.0, c.1))
        .collect();
    assert_eq!(forms, [("trafficking", 1), ("not_recorded", 1)]);
    let by_form = tallies(
        store,
        &monitor,
        "victims_identified",
        "2026",
        "C",
        Some(Dimension::ExploitationForm),
    );
    let forms: Vec<(&str, i64)> = cells(&by_form)
        .iter()
        .filter(|c| c.1 > 0)
        .map(|c| (c.0, c.1))
        .collect();
    assert_eq!(forms, [("trafficking", 1), ("sexual_exploitation", 1)]);
    let by_group = tallies(
        store,
        &monitor,
        "victims_identified",
        "2025",
        "C",
        Some(Dimension::MinorityGroup),
    );
    assert_eq!(
        cells(&by_group),
        [("Group A", 1, 0), ("not_recorded", 1, 0)]
    );
    let by_dis = tallies(
        store,
        &monitor,
        "victims_identified",
        "2025",
        "C",
        Some(Dimension::Disability),
    );
    assert_eq!(cells(&by_dis), [("yes", 1, 0), ("no", 1, 0)]);
    // A caseworker of R1 counts only R1: c (in R2) is not theirs.
    assert_eq!(
        tallies(store, &cw1, "victims_identified", "2026", "C", None)
            .total
            .numerator,
        1
    );

    // Registered children by disability and minority group (the reference
    // for over-representation).
    let reg = tallies(
        store,
        &monitor,
        "children_registered",
        "2025",
        "C",
        Some(Dimension::Disability),
    );
    assert_eq!(cells(&reg), [("yes", 1, 0), ("no", 3, 0)]);

    // Population figures: who may load them, and a file refused whole.
    let good = "location,year,sex,age_band,count\n\
        R1,2025,female,5_11,20000\n\
        R1,2025,male,5_11,20000\n\
        D11,2025,female,5_11,15000\n\
        R2,2025,female,5_11,10000\n\
        R2,2025,male,5_11,10000\n";
    let rows = parse_csv(good).unwrap();
    assert!(matches!(
        store.import_populations(&cw1, &rows, at("2026-01-01")),
        Err(StoreError::Forbidden(_))
    ));
    let bad = parse_csv("R1,2025,female,5_11,1\nNOWHERE,2025,male,5_11,2\nD99,2025,male,0_4,3\n")
        .unwrap();
    let e = store
        .import_populations(&admin, &bad, at("2026-01-01"))
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("line 2") && text.contains("line 3") && !text.contains("line 1"),
        "{text}"
    );
    is_field(e, "file");
    // Nothing applied: no figures yet, so a rate has an empty denominator.
    let r = tallies(store, &monitor, "victims_per_100k", "2025", "C", None);
    assert_eq!((r.total.numerator, r.total.denominator), (2, 0));
    assert_eq!(
        store
            .import_populations(&monitor, &rows, at("2026-01-01"))
            .unwrap(),
        5
    );
    // Loading again replaces, never adds.
    assert_eq!(
        store
            .import_populations(&admin, &rows, at("2026-01-02"))
            .unwrap(),
        5
    );

    // The rate: R1's figures stand for D11's inside it, so the country
    // holds 20,000 + 20,000 + 10,000 + 10,000 children.
    let r = tallies(store, &monitor, "victims_per_100k", "2025", "C", None);
    assert_eq!((r.total.numerator, r.total.denominator), (2, 60_000));
    let by_sex = tallies(
        store,
        &monitor,
        "victims_per_100k",
        "2025",
        "C",
        Some(Dimension::Sex),
    );
    assert_eq!(
        &cells(&by_sex)[..2],
        [("female", 1, 30_000), ("male", 1, 30_000)]
    );
    let by_place = tallies(
        store,
        &monitor,
        "victims_per_100k",
        "2025",
        "C",
        Some(Dimension::Location),
    );
    assert_eq!(cells(&by_place), [("R1", 2, 40_000), ("R2", 0, 20_000)]);
    let by_form = tallies(
        store,
        &monitor,
        "victims_per_100k",
        "2025",
        "C",
        Some(Dimension::ExploitationForm),
    );
    assert!(cells(&by_form).iter().all(|c| c.2 == 60_000));
    // Asked for D11 alone, its own figure counts.
    let r = tallies(store, &monitor, "victims_per_100k", "2025", "D11", None);
    assert_eq!((r.total.numerator, r.total.denominator), (1, 15_000));
    // D12 has no figure of its own (R1's covers more than D12): empty.
    let r = tallies(store, &monitor, "victims_per_100k", "2025", "D12", None);
    assert_eq!((r.total.numerator, r.total.denominator), (1, 0));
    // 2026 has no figures: those of 2025 are used. 2024 has none before it.
    let r = tallies(store, &monitor, "victims_per_100k", "2026", "C", None);
    assert_eq!((r.total.numerator, r.total.denominator), (2, 60_000));
    let r = tallies(store, &monitor, "victims_per_100k", "2024", "C", None);
    assert_eq!((r.total.numerator, r.total.denominator), (0, 0));

    // Public indicators: only an administrator marks them; audited.
    assert!(store.public_indicators().unwrap().is_empty());
    assert!(matches!(
        store.set_indicator_public(&monitor, "victims_per_100k", true, at("2026-01-03")),
        Err(StoreError::Forbidden(_))
    ));
    assert!(
        store.public_indicators().unwrap().is_empty(),
        "a refusal changed nothing"
    );
    store
        .set_indicator_public(&admin, "victims_per_100k", true, at("2026-01-03"))
        .unwrap();
    store
        .set_indicator_public(&admin, "children_registered", true, at("2026-01-03"))
        .unwrap();
    store
        .set_indicator_public(&admin, "victims_per_100k", true, at("2026-01-03"))
        .unwrap();
    assert_eq!(
        store.public_indicators().unwrap(),
        ["children_registered", "victims_per_100k"]
    );
    store
        .set_indicator_public(&admin, "children_registered", false, at("2026-01-04"))
        .unwrap();
    assert_eq!(store.public_indicators().unwrap(), ["victims_per_100k"]);
    is_field(
        store
            .set_indicator_public(&admin, "Bad Id", true, at("2026-01-04"))
            .unwrap_err(),
        "indicator",
    );

    super::indicators::report_agrees_figure_by_figure(store, &[&monitor, &cw1, &cw2]);
}
