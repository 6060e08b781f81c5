//! The work lists on every backend: case filters, orders and pages in
//! SQL, caseloads per worker, and a referral as its receiving agency reads it.

use super::{child, NOW};
use crate::casework::{CaseFilter, CaseSort, ReferralBox, ReferralFilter};
use crate::{Store, StoreError};
use haven_domain::assessment::PreventionLayer;
use haven_domain::casework::{Consent, NewService, ReferralKind, ReferralStatus, Sector};
use haven_domain::{Actor, NewCaregiver, NewHousehold};

/// Runs after the other casework checks: counts only what it adds, by the
/// places and names it uses.
pub fn worklists(store: &dyn Store, cw1: &Actor, cw2: &Actor, sup1: &Actor) {
    let sys = Actor::system();
    let mut cases = Vec::new();
    for (name, district) in [
        ("Worklist-A", "D12"),
        ("Worklist-B", "D12"),
        ("Worklist-C", "D12"),
    ] {
        let (kid, _) = store
            .create_child(cw1, &child(name, "Sesay", "2015-03-01", district), NOW)
            .unwrap();
        cases.push(
            store
                .open_case(cw1, &kid.id, None, NOW + cases.len() as i64)
                .unwrap(),
        );
    }
    let list = |f: CaseFilter| store.list_cases(cw1, &f, NOW + 10).unwrap();
    let in_d12 = list(CaseFilter {
        place: Some("D12".into()),
        level: Some(None),
        ..CaseFilter::default()
    });
    let ours: Vec<_> = in_d12
        .iter()
        .filter(|c| c.child_name.starts_with("Worklist-"))
        .collect();
    assert_eq!(ours.len(), 3);
    assert!(ours.iter().all(|c| c.district == "D12"));
    // Pages in SQL: two, then the rest, no case twice.
    let page = |offset| CaseFilter {
        place: Some("D12".into()),
        sort: CaseSort::Updated,
        limit: 2,
        offset,
        ..CaseFilter::default()
    };
    let first = list(page(0));
    assert_eq!(first.len(), 2);
    let second = list(page(2));
    assert!(second.iter().all(|c| !first.iter().any(|f| f.id == c.id)));
    assert!(list(page(1_000_000)).is_empty());
    // Last changed first: the last opened leads.
    assert_eq!(
        first[0].id,
        in_d12.iter().max_by_key(|c| c.updated_at).unwrap().id
    );
    // An unknown place is a field error; a place outside scope lists nothing.
    assert!(matches!(
        store.list_cases(
            cw1,
            &CaseFilter {
                place: Some("NOWHERE".into()),
                ..CaseFilter::default()
            },
            NOW
        ),
        Err(StoreError::Invalid(_))
    ));
    assert!(store
        .list_cases(
            cw2,
            &CaseFilter {
                place: Some("D12".into()),
                ..CaseFilter::default()
            },
            NOW
        )
        .unwrap()
        .is_empty());
    // The supervisor sees the caseload per caseworker.
    let load = store.case_counts(sup1, NOW + 10).unwrap().by_worker;
    let cw1_load = load.iter().find(|w| w.worker == "cw1").unwrap();
    assert!(cw1_load.open >= 3);

    // A receiving agency reads the referral's brief; the family's contact
    // only once consent is given; other agencies read nothing.
    let clinic = super::agency_caseworker(store, "clinic9", "CLINIC9");
    let school = super::agency_caseworker(store, "school9", "SCHOOL9");
    let admin = store
        .actor_for_token(&store.create_api_token(&sys, "admin", NOW).unwrap())
        .unwrap();
    let service = store
        .create_service(
            &admin,
            &NewService {
                name: "Clinic 9".into(),
                provider: "Ministry".into(),
                agency: "CLINIC9".into(),
                sector: Sector::Health,
                layers: vec![PreventionLayer::Secondary],
                coverage: "R1".into(),
                factors: vec![],
                contact: String::new(),
            },
            NOW,
        )
        .unwrap();
    let household = store
        .create_household(
            cw1,
            &NewHousehold {
                location: "D12".into(),
                address: "Worklist street".into(),
                caregivers: vec![NewCaregiver {
                    given_name: "Mariatu".into(),
                    family_name: "Sesay".into(),
                    relationship: "aunt".into(),
                    contact: "+000 555 0909".into(),
                }],
            },
            NOW,
        )
        .unwrap();
    let mut kid = child("Worklist-D", "Sesay", "2016-01-01", "D12");
    kid.household_id = Some(household.id.clone());
    let (kid, _) = store.create_child(cw1, &kid, NOW).unwrap();
    let case = store.open_case(cw1, &kid.id, None, NOW).unwrap();
    store
        .set_contact(cw1, Some("  +000 555 0001 "), NOW)
        .unwrap();
    assert!(matches!(
        store.set_contact(cw1, Some("line\nbreak"), NOW),
        Err(StoreError::Invalid(_))
    ));
    let referral = store
        .refer(
            cw1,
            &case.id,
            &service.id,
            ReferralKind::Service,
            "check-up",
            NOW,
        )
        .unwrap();
    // The lists filter and page in SQL.
    let waiting = ReferralFilter {
        status: Some(ReferralStatus::Sent),
        ..ReferralBox::Incoming.into()
    };
    assert_eq!(
        store.list_referrals(&clinic, &waiting, NOW).unwrap().len(),
        1
    );
    let late = ReferralFilter {
        overdue: true,
        ..ReferralBox::Incoming.into()
    };
    assert!(store
        .list_referrals(&clinic, &late, NOW)
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .list_referrals(&clinic, &late, NOW + 30 * 86_400)
            .unwrap()
            .len(),
        1
    );
    let elsewhere = ReferralFilter {
        place: Some("D11".into()),
        ..ReferralBox::Incoming.into()
    };
    assert!(store
        .list_referrals(&clinic, &elsewhere, NOW)
        .unwrap()
        .is_empty());
    let beyond = ReferralFilter {
        offset: 1,
        ..ReferralBox::Incoming.into()
    };
    assert!(store
        .list_referrals(&clinic, &beyond, NOW)
        .unwrap()
        .is_empty());
    let brief = store
        .referral_brief(&clinic, &referral.id, NOW + 60)
        .unwrap();
    assert_eq!(brief.district, "D12");
    assert_eq!(brief.child_age, 10);
    assert_eq!(brief.referrer_contact.as_deref(), Some("+000 555 0001"));
    assert!(brief.caregivers.is_empty(), "no consent yet");
    store
        .record_consent(cw1, &case.id, Consent::Given, None, NOW + 60)
        .unwrap();
    let brief = store
        .referral_brief(&clinic, &referral.id, NOW + 120)
        .unwrap();
    assert_eq!(brief.caregivers.len(), 1);
    assert_eq!(brief.caregivers[0].contact, "+000 555 0909");
    // The referring side reads it too; another agency and region do not.
    assert!(store.referral_brief(cw1, &referral.id, NOW).is_ok());
    assert!(matches!(
        store.referral_brief(&school, &referral.id, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.referral_brief(cw2, &referral.id, NOW),
        Err(StoreError::NotFound(_))
    ));
    let audit = store.recent_audit(&admin, 30, NOW + 200).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "referral.read" && e.actor == "school9" && e.outcome == "denied"));
    assert!(audit.iter().any(|e| e.action == "referral.read"
        && e.actor == "clinic9"
        && e.detail == format!("child:{}", kid.id)));
}
