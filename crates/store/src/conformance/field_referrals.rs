//! Offline field work on referrals addressed to the user's agency (issue
//! 16): the checkout brings them to that agency's worker and nobody else;
//! an answer given offline is given at the sync, dated when it was given,
//! once however often it is sent, or refused saying why when a colleague
//! answered otherwise meanwhile or the referral is not the agency's.

use super::casework::service;
use super::{child, seed, NOW};
use crate::Store;
use haven_domain::casework::{ReferralKind, ReferralStatus, Sector};
use haven_domain::field_ops::{
    FieldOperation, OfflineReferralAnswer, Outcome, Refusal, REFERRAL_ANSWER,
};

fn answer(n: u64, referral: &str, status: ReferralStatus, note: Option<&str>) -> FieldOperation {
    FieldOperation {
        n,
        kind: REFERRAL_ANSWER.into(),
        record: referral.into(),
        made_at: NOW - 2 * 3600,
        changes: OfflineReferralAnswer {
            status,
            seen: ReferralStatus::Sent,
            note: note.map(Into::into),
        }
        .to_changes(),
    }
}

/// `s` is fresh.
pub fn run_field_referral_answers(s: &dyn Store) {
    let [admin, cw1, _cw2, _analyst, _monitor, _sup1] = seed(s);
    let worker = |name: &str, agency: &str| super::agency_caseworker(s, name, agency);
    let (nurse, colleague, teacher) = (
        worker("nurse", "CLINIC"),
        worker("nurse2", "CLINIC"),
        worker("teacher", "SCHOOL"),
    );
    let clinic = s
        .create_service(
            &admin,
            &service("Clinic", "CLINIC", Sector::Health, "R1", &[]),
            NOW,
        )
        .unwrap();
    let school = s
        .create_service(
            &admin,
            &service("School", "SCHOOL", Sector::Education, "R1", &[]),
            NOW,
        )
        .unwrap();
    // cw1 refers three children to the clinic and one to the school.
    let refer = |given: &str, to: &str| {
        let (kid, _) = s
            .create_child(
                &cw1,
                &child(given, "Sesay", "2016-01-09", "D11"),
                NOW - 86_400,
            )
            .unwrap();
        let case = s.open_case(&cw1, &kid.id, None, NOW - 86_400).unwrap();
        s.refer(
            &cw1,
            &case.id,
            to,
            ReferralKind::Service,
            "Needs seeing",
            NOW - 86_400,
        )
        .unwrap()
        .id
    };
    let (accepted, taken, plain, schooled) = (
        refer("Fatu", &clinic.id),
        refer("Mariama", &clinic.id),
        refer("Isatu", &clinic.id),
        refer("Hawa", &school.id),
    );

    // The nurse's laptop takes the clinic's referrals, not the school's;
    // cw1's (no agency) takes none.
    let (laptop, _) = s.enrol_field_node(&nurse, "Clinic laptop", NOW).unwrap();
    let out = s.field_checkout(&nurse, &laptop.id, None, NOW).unwrap();
    let mut held: Vec<&str> = out
        .incoming_referrals
        .iter()
        .map(|b| b.referral.id.as_str())
        .collect();
    held.sort();
    let mut clinics = vec![accepted.as_str(), taken.as_str(), plain.as_str()];
    clinics.sort();
    assert_eq!(held, clinics);
    let brief = &out.incoming_referrals[0];
    assert_eq!((brief.district.as_str(), brief.child_age), ("D11", 10));
    let (cw1_laptop, _) = s.enrol_field_node(&cw1, "cw1 laptop", NOW).unwrap();
    let theirs = s.field_checkout(&cw1, &cw1_laptop.id, None, NOW).unwrap();
    assert!(theirs.incoming_referrals.is_empty());

    // Meanwhile a colleague declines one online.
    s.answer_referral(
        &colleague,
        &taken,
        ReferralStatus::Declined,
        Some("Full"),
        NOW - 60,
    )
    .unwrap();
    let ops = [
        answer(1, &accepted, ReferralStatus::Accepted, None),
        answer(2, &taken, ReferralStatus::Accepted, None),
        answer(3, &schooled, ReferralStatus::Accepted, None),
        answer(4, &plain, ReferralStatus::Declined, None),
        answer(5, "no-such-referral", ReferralStatus::Accepted, None),
    ];
    let sync = s
        .sync_field_operations(&nurse, &laptop.id, &ops, 0, NOW)
        .unwrap();
    let outcomes: Vec<(Outcome, Option<Refusal>)> =
        sync.results.iter().map(|r| (r.outcome, r.code)).collect();
    assert_eq!(
        outcomes,
        [
            (Outcome::Applied, None),
            (Outcome::Refused, Some(Refusal::ReferralAnswered)),
            (Outcome::Refused, Some(Refusal::ReferralGone)),
            (Outcome::Refused, Some(Refusal::Invalid)),
            (Outcome::Refused, Some(Refusal::ReferralGone)),
        ],
        "{:?}",
        sync.results
    );
    assert!(
        sync.results[1]
            .reason
            .as_deref()
            .unwrap()
            .contains("declined"),
        "{:?}",
        sync.results[1]
    );
    assert_eq!(sync.acknowledged, 5);
    // Given when it was given, by the nurse; the others as they were.
    let brief = s.referral_brief(&nurse, &accepted, NOW).unwrap();
    let r = &brief.referral;
    assert_eq!(
        (r.status, r.answered_by.as_deref(), r.answered_at),
        (
            ReferralStatus::Accepted,
            Some("nurse"),
            Some(NOW - 2 * 3600)
        )
    );
    let status = |id: &str| s.referral_brief(&admin, id, NOW).unwrap().referral.status;
    assert_eq!(status(&taken), ReferralStatus::Declined);
    assert_eq!(status(&plain), ReferralStatus::Sent);
    assert_eq!(status(&schooled), ReferralStatus::Sent);
    // Sent again after a lost answer: the same answers, nothing given twice.
    let events = |id: &str| {
        let case = s.referral_brief(&admin, id, NOW).unwrap().referral.case_id;
        s.get_case(&admin, &case, NOW).unwrap().events.len()
    };
    let before = events(&accepted);
    let again = s
        .sync_field_operations(&nurse, &laptop.id, &ops[..2], 0, NOW + 5)
        .unwrap();
    assert_eq!(again.results, sync.results[..2]);
    assert_eq!(events(&accepted), before);
    // The next checkout no longer brings the declined one.
    let next = s
        .field_checkout(&nurse, &laptop.id, Some(NOW), NOW + 10)
        .unwrap();
    let mut held: Vec<&str> = next
        .incoming_referrals
        .iter()
        .map(|b| b.referral.id.as_str())
        .collect();
    held.sort();
    let mut open = vec![accepted.as_str(), plain.as_str()];
    open.sort();
    assert_eq!(held, open);
    // The school's worker does not answer the clinic's.
    let (theirs, _) = s.enrol_field_node(&teacher, "School laptop", NOW).unwrap();
    let refused = s
        .sync_field_operations(
            &teacher,
            &theirs.id,
            &[answer(1, &plain, ReferralStatus::Accepted, None)],
            0,
            NOW,
        )
        .unwrap();
    assert_eq!(refused.results[0].code, Some(Refusal::ReferralGone));
    assert_eq!(status(&plain), ReferralStatus::Sent);
}
