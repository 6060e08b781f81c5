//! Offline field work, cases opened on a laptop (issue 16): the server
//! opens one under the laptop's identifier, dated when it was opened
//! there, once however often it is sent; the work taken on it offline
//! follows it. A child given an open case on the server meanwhile refuses
//! the opening, and the work on the case not opened is refused saying so.

use super::{child, seed, NOW};
use crate::Store;
use haven_domain::casework::{CaseAction, CaseStep};
use haven_domain::field_ops::{
    FieldOperation, OfflineCaseOpening, OfflineCaseWork, Outcome, Refusal, CASE_OPEN,
};

const DAY: i64 = 86_400;

fn opening(n: u64, child: &str, id: &str) -> FieldOperation {
    FieldOperation {
        n,
        kind: CASE_OPEN.into(),
        record: child.into(),
        made_at: NOW - 2 * DAY,
        changes: OfflineCaseOpening {
            id: id.into(),
            assigned_to: None,
        }
        .to_changes(),
    }
}

fn note(n: u64, case: &str, text: &str) -> FieldOperation {
    let work = OfflineCaseWork {
        action: None,
        text: Some(text.into()),
        seen: CaseStep::Identification,
    };
    FieldOperation {
        n,
        kind: work.kind().into(),
        record: case.into(),
        made_at: NOW - DAY,
        changes: work.to_changes(),
    }
}

/// `s` is fresh.
pub fn run_field_case_openings(s: &dyn Store) {
    let [admin, cw1, cw2, _analyst, _monitor, sup1] = seed(s);
    let kid = |given: &str, place: &str, who| {
        s.create_child(
            who,
            &child(given, "Bangura", "2014-06-01", place),
            NOW - 3 * DAY,
        )
        .unwrap()
        .0
        .id
    };
    let (amina, kofi, far) = (
        kid("Amina", "D11", &cw1),
        kid("Kofi", "D12", &cw1),
        kid("Esi", "D21", &cw2),
    );
    let (opened, refused) = ("a".repeat(32), "b".repeat(32));
    let (laptop, _) = s.enrol_field_node(&cw1, "Field laptop", NOW).unwrap();
    // Meanwhile the supervisor opens a case for Kofi on the server.
    let kofis = s.open_case(&sup1, &kofi, Some("cw1"), NOW - DAY).unwrap();
    let ops = [
        opening(1, &amina, &opened),
        note(2, &opened, "Met her grandmother"),
        opening(3, &kofi, &refused),
        note(4, &refused, "Kofi is back at school"),
        opening(5, &kofi, &opened),
        opening(6, &far, &"c".repeat(32)),
    ];
    let sync = s
        .sync_field_operations(&cw1, &laptop.id, &ops, 0, NOW)
        .unwrap();
    let outcomes: Vec<(Outcome, Option<Refusal>)> =
        sync.results.iter().map(|r| (r.outcome, r.code)).collect();
    assert_eq!(
        outcomes,
        [
            (Outcome::Applied, None),
            (Outcome::Applied, None),
            (Outcome::Refused, Some(Refusal::CaseAlreadyOpen)),
            (Outcome::Refused, Some(Refusal::CaseNotOpened)),
            (Outcome::Refused, Some(Refusal::Invalid)),
            (Outcome::Refused, Some(Refusal::OutOfArea)),
        ],
        "{:?}",
        sync.results
    );
    assert!(
        sync.results[2]
            .reason
            .as_deref()
            .unwrap()
            .contains(&kofis.id),
        "names the case already open: {:?}",
        sync.results[2]
    );
    // Opened under the laptop's identifier, for cw1, when it was opened
    // there; its note is on it.
    let file = s.get_case(&admin, &opened, NOW).unwrap();
    let k = &file.case;
    assert_eq!(
        (
            k.child_id.as_str(),
            k.assigned_to.as_str(),
            k.opened_by.as_str(),
            k.opened_at
        ),
        (amina.as_str(), "cw1", "cw1", NOW - 2 * DAY)
    );
    assert!(file
        .events
        .iter()
        .any(|e| e.kind == "note" && e.text == "Met her grandmother"));
    // Nothing of the refused ones was written.
    assert!(s.get_case(&admin, &refused, NOW).is_err());
    // Sent again after a lost answer: the same answers, one case.
    let again = s
        .sync_field_operations(&cw1, &laptop.id, &ops[..2], 0, NOW + 5)
        .unwrap();
    assert_eq!(again.results, sync.results[..2]);
    let filter = crate::casework::CaseFilter {
        child_id: Some(amina.clone()),
        include_closed: true,
        limit: 10,
        ..Default::default()
    };
    assert_eq!(s.list_cases(&admin, &filter, NOW).unwrap().len(), 1);
    // The next checkout brings it back to the laptop as the server's, with
    // Kofi's (held by cw1).
    let out = s
        .field_checkout(&cw1, &laptop.id, Some(NOW), NOW + 10)
        .unwrap();
    let mut open = vec![opened.clone(), kofis.id.clone()];
    open.sort();
    assert_eq!(out.open_cases, open);
    assert!(out.cases.iter().any(|c| c.case.id == opened));
    // Its step goes on as online from there.
    let step = s
        .case_action(
            &cw1,
            &opened,
            CaseAction::SubmitPlan,
            Some("A plan"),
            NOW + 20,
        )
        .map(|k| k.step);
    assert!(step.is_err(), "not assessed yet: {step:?}");
}
