//! Assessments with factors not known, and the caseworker's notes: stored
//! and read back on every backend, notes sealed at rest, and assessments
//! stored before either existed read back as they were.

use super::{child, NOW};
use crate::sql::{blob, Value};
use crate::{SqlStore, Store, StoreError};
use haven_domain::assessment::{Answer, RiskLevel};
use haven_domain::Actor;
use std::collections::BTreeMap;

fn answers(list: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
    list.iter()
        .map(|(id, a)| (id.to_string(), a.clone()))
        .collect()
}

/// Part of `run_all`: unknown answers and notes through the `Store` trait.
pub(super) fn unknown_answers_and_notes(store: &dyn Store, cw1: &Actor, cw2: &Actor) {
    let (kid, _) = store
        .create_child(cw1, &child("Adama", "Sesay", "2012-05-05", "D11"), NOW)
        .unwrap();
    let notes = "Neighbour says an uncle takes her to the market at night";
    let made = store
        .assess_child_with_notes(
            cw1,
            &kid.id,
            &answers(&[
                ("street_child", Answer::Yes(true)),
                ("child_labour", Answer::Yes(true)),
                ("domestic_violence", Answer::Unknown),
                ("online_grooming_contact", Answer::Unknown),
                ("poverty", Answer::Yes(false)),
            ]),
            Some(notes),
            NOW,
        )
        .unwrap();
    assert_eq!(
        made.result.unknown_factors,
        vec!["domestic_violence", "online_grooming_contact"]
    );
    assert!(made.result.provisional && made.result.at_least());
    // Boolean answers only: what every assessment was before.
    let plain = store
        .assess_child(
            cw1,
            &kid.id,
            &answers(&[("street_child", Answer::Yes(true))]),
            NOW + 5,
        )
        .unwrap();
    let back = store.child_assessments(cw1, &kid.id, NOW).unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0], made, "read back as made");
    assert_eq!(back[0].answers["domestic_violence"], Answer::Unknown);
    assert_eq!(
        back[0].answers["poverty"],
        Answer::Yes(false),
        "no stays no"
    );
    assert_eq!(back[0].notes.as_deref(), Some(notes));
    assert!(back[0].result.highest_level.unwrap() > back[0].result.level);
    let json = serde_json::to_value(&back[0]).unwrap();
    assert_eq!(json["answers"]["domestic_violence"], "unknown");
    assert_eq!(json["answers"]["street_child"], true);
    assert_eq!(
        json["unknown_factors"],
        serde_json::json!(["domestic_violence", "online_grooming_contact"])
    );
    assert_eq!(back[1], plain);
    assert_eq!(back[1].notes, None);
    let json = serde_json::to_value(&back[1]).unwrap();
    assert!(json.get("notes").is_none() && json.get("highest_level").is_none());
    assert_eq!(json["unknown_factors"], serde_json::json!([]));
    assert_eq!(json["provisional"], false);
    // Blank notes are no notes; too long are refused, nothing stored.
    let blank = store
        .assess_child_with_notes(cw1, &kid.id, &BTreeMap::new(), Some("  \n "), NOW + 6)
        .unwrap();
    assert_eq!(blank.notes, None);
    let long = "x".repeat(10_001);
    assert!(matches!(
        store.assess_child_with_notes(cw1, &kid.id, &BTreeMap::new(), Some(&long), NOW + 7),
        Err(StoreError::Invalid(_))
    ));
    // Outside scope: refused, and nothing stored.
    assert!(matches!(
        store.assess_child_with_notes(cw2, &kid.id, &BTreeMap::new(), Some(notes), NOW + 8),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.child_assessments(cw1, &kid.id, NOW).unwrap().len(), 3);
    same_second_keeps_the_order_made(store, cw1);
}

/// Assessments made within one second (a caseworker correcting an answer
/// straight away) read back in the order they were made, so the latest is
/// the one shown as the child's current level.
fn same_second_keeps_the_order_made(store: &dyn Store, cw1: &Actor) {
    let (kid, _) = store
        .create_child(cw1, &child("Fatmata", "Koroma", "2013-03-03", "D11"), NOW)
        .unwrap();
    let mut made = Vec::new();
    for round in 0..8 {
        let danger = round % 2 == 1;
        let a = store
            .assess_child(
                cw1,
                &kid.id,
                &answers(&[("immediate_danger", Answer::Yes(danger))]),
                NOW + 100,
            )
            .unwrap();
        made.push(a.id);
    }
    let back: Vec<String> = store
        .child_assessments(cw1, &kid.id, NOW + 100)
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(back, made, "in the order made, not by random id");
    let last = store.child_assessments(cw1, &kid.id, NOW + 100).unwrap();
    assert_eq!(last.last().unwrap().result.level, RiskLevel::Critical);
}

/// After `run_all` on the same store: the notes are sealed in the database,
/// and a row written the way assessments were stored before unknowns and
/// notes existed reads back unchanged.
pub fn assessment_notes_at_rest(store: &SqlStore) {
    let sys = Actor::system();
    let token = store.create_api_token(&sys, "cw1", NOW).unwrap();
    let cw1 = store.actor_for_token(&token).unwrap();
    let (kid, _) = store
        .create_child(&cw1, &child("Isatu", "Bangura", "2011-07-07", "D11"), NOW)
        .unwrap();
    let secret = "She named the man who drives the red truck";
    let made = store
        .assess_child_with_notes(
            &cw1,
            &kid.id,
            &answers(&[("gangs", Answer::Unknown)]),
            Some(secret),
            NOW,
        )
        .unwrap();
    let mut sealed = Vec::new();
    store
        .backend()
        .transaction(false, &mut |c| {
            let rows = c.query(
                "SELECT notes_enc, answers_enc FROM assessments WHERE id = ?",
                &[made.id.clone().into()],
            )?;
            sealed = vec![blob(&rows[0], 0)?, blob(&rows[0], 1)?];
            Ok(())
        })
        .unwrap();
    let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    assert!(!has(&sealed[0], secret.as_bytes()), "notes are sealed");
    assert!(!has(&sealed[1], b"unknown"), "answers are sealed");

    // An assessment as stored before: boolean answers, a result without
    // unknowns, no notes column value.
    let old_answers = r#"{"not_in_school":true,"poverty":true}"#;
    let old_result = r#"{"instrument_version":1,"score":3.5,"level":"low","layer":"primary","urgent":false,"drivers":[{"factor":"poverty","share":0.5,"text":"Household poverty"},{"factor":"not_in_school","share":0.5,"text":"Not in school"}],"recommended_services":[]}"#;
    store
        .backend()
        .transaction(true, &mut |c| {
            let row: Vec<Value> = vec![
                "old-assessment".into(),
                kid.id.clone().into(),
                1i64.into(),
                store.keys.seal("assessment.answers", old_answers)?.into(),
                store.keys.seal("assessment.result", old_result)?.into(),
                350i64.into(),
                "low".into(),
                "primary".into(),
                false.into(),
                "cw1".into(),
                (NOW - 86_400).into(),
            ];
            c.execute(
                "INSERT INTO assessments (id, child_id, instrument_version, answers_enc, result_enc, score_centi, level, layer, urgent, assessed_by, assessed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                &row,
            )?;
            Ok(())
        })
        .unwrap();
    let back = store.child_assessments(&cw1, &kid.id, NOW).unwrap();
    let old = &back[0];
    assert_eq!(old.id, "old-assessment");
    assert_eq!(serde_json::to_string(&old.answers).unwrap(), old_answers);
    assert_eq!(old.result.level, RiskLevel::Low);
    assert!(old.result.unknown_factors.is_empty() && !old.result.provisional);
    assert_eq!(old.notes, None);
    let json = serde_json::to_value(old).unwrap();
    let before: serde_json::Value = serde_json::from_str(old_result).unwrap();
    for (k, v) in before.as_object().unwrap() {
        assert_eq!(&json[k], v, "{k} reads back as stored");
    }
    assert_eq!(back[1].notes.as_deref(), Some(secret));
}
