//! The behaviour every backend must show, run against a real database by
//! each backend's tests (`run_all`). Test support: it panics on failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod administration;
mod alerts;
pub use alerts::{liaison, run_alerts, typed_alert};
mod assessment_answers;
mod attempts;
mod audit_heads;
pub use attempts::attempt_counters;
pub use audit_heads::{run_audit_heads, run_key_rotation};
mod casework;
mod exchange;
mod field_checkout;
mod field_openings;
pub use field_checkout::run_field_checkout_deltas;
mod field_referrals;
pub use field_openings::run_field_case_openings;
mod field_sync;
pub use exchange::{run_exchange, run_exchange_in_bulk, run_exchange_in_steps};
pub use field_referrals::run_field_referral_answers;
pub use field_sync::run_field_sync;
mod indicators;
mod monitoring;
mod names;
mod populations;
mod reading_together;
mod report_actions;
mod reports;
pub use reading_together::run_reading_together;
mod retention;
mod second_factor;
mod statistics;
pub use statistics::run_statistics;
mod tamper;
mod worklists;

pub use administration::inspection_findings_at_rest;
pub use assessment_answers::assessment_notes_at_rest;
pub use indicators::run_indicators;
pub use monitoring::run_monitoring;
pub use populations::run_victims_and_populations;
pub use reports::aggregates_come_from_the_read_replica;
pub use tamper::{audit_retention, audit_tampering};

pub use names::old_name_tokens_are_rebuilt;

use crate::{NewUser, Store, StoreError};
use haven_domain::{
    Actor, ChildFilter, ChildPatch, Location, LocationLevel, NewCaregiver, NewChild, NewHousehold,
    Role, Sex,
};

/// 2026-11-28 12:00 UTC: tests run on a fixed clock.
pub const NOW: i64 = 1_795_867_200;

fn loc(code: &str, parent: Option<&str>, level: LocationLevel) -> Location {
    Location {
        code: code.into(),
        name: format!("Place {code}"),
        parent: parent.map(Into::into),
        level,
    }
}

/// Creates the test country (C > R1, R2 > D11, D12, D21) and one user per
/// role; returns (admin, caseworker in R1, caseworker in R2 with agency A2,
/// analyst, monitor, supervisor in R1).
pub fn seed(store: &dyn Store) -> [Actor; 6] {
    let sys = Actor::system();
    for l in [
        loc("C", None, LocationLevel::Country),
        loc("R1", Some("C"), LocationLevel::Region),
        loc("R2", Some("C"), LocationLevel::Region),
        loc("D11", Some("R1"), LocationLevel::District),
        loc("D12", Some("R1"), LocationLevel::District),
        loc("D21", Some("R2"), LocationLevel::District),
    ] {
        store.create_location(&sys, &l, NOW).unwrap();
    }
    let mk = |name: &str, role: Role, location: Option<&str>, agency: Option<&str>| {
        store
            .create_user(
                &sys,
                &NewUser {
                    name: name.into(),
                    role,
                    location: location.map(Into::into),
                    agency: agency.map(Into::into),
                    password_hash: Some(
                        crate::password::hash_password("a long test password").unwrap(),
                    ),
                },
                NOW,
            )
            .unwrap();
        let token = store.create_api_token(&sys, name, NOW).unwrap();
        store.actor_for_token(&token).unwrap()
    };
    [
        mk("admin", Role::Admin, None, None),
        mk("cw1", Role::Caseworker, Some("R1"), None),
        mk("cw2", Role::Caseworker, Some("R2"), Some("A2")),
        mk("analyst", Role::Analyst, None, None),
        mk("monitor", Role::Monitor, None, None),
        mk("sup1", Role::Supervisor, Some("R1"), None),
    ]
}

/// A caseworker of `agency` in region R1 (no password): one who answers
/// the referrals addressed to that agency.
pub(super) fn agency_caseworker(store: &dyn Store, name: &str, agency: &str) -> Actor {
    let sys = Actor::system();
    store
        .create_user(
            &sys,
            &NewUser {
                name: name.into(),
                role: Role::Caseworker,
                location: Some("R1".into()),
                agency: Some(agency.into()),
                password_hash: None,
            },
            NOW,
        )
        .unwrap();
    let token = store.create_api_token(&sys, name, NOW).unwrap();
    store.actor_for_token(&token).unwrap()
}

/// The first 50 children a name search finds.
fn search_by_name(store: &dyn Store, actor: &Actor, q: &str) -> Vec<haven_domain::Child> {
    store
        .list_children(
            actor,
            &ChildFilter {
                name: Some(q.into()),
                ..Default::default()
            },
            None,
            50,
            NOW,
        )
        .unwrap()
        .items
}

/// A child input.
pub fn child(given: &str, family: &str, dob: &str, location: &str) -> NewChild {
    NewChild {
        given_name: given.into(),
        family_name: family.into(),
        sex: "female".into(),
        date_of_birth: Some(dob.into()),
        location: location.into(),
        birth_registration: Some("not_registered".into()),
        ..Default::default()
    }
}

/// Runs every check on an empty store.
pub fn run_all(store: &dyn Store) {
    assert!(store.is_empty().unwrap());
    let [admin, cw1, cw2, analyst, monitor, sup1] = seed(store);
    assert!(!store.is_empty().unwrap());
    locations(store, &admin, &cw1);
    registry(store, &admin, &cw1, &cw2, &analyst, &monitor, &sup1);
    households(store, &cw1, &cw2);
    sessions(store);
    second_factor::second_factor(store, &admin, &cw1, &sup1);
    lists(store, &analyst, &cw1);
    hash_change_feed(store, &analyst);
    assessments(store, &admin, &cw1, &cw2, &monitor);
    assessment_answers::unknown_answers_and_notes(store, &cw1, &cw2);
    casework::casework(store, &admin, &cw1, &cw2, &sup1, &analyst);
    worklists::worklists(store, &cw1, &cw2, &sup1);
    reports::reports(store, &admin, &cw1, &cw2, &analyst, &monitor);
    report_actions::report_actions(store, &admin, &cw1, &cw2, &analyst, &monitor);
    names::names_in_every_script(store, &cw1, &cw2);
    audit(store, &admin, &cw1);
    reads_audited_at_once(store, &admin, &cw1);
    nul_characters(store, &cw1);
    administration::administration(store, &admin, &cw1, &sup1);
}

/// Retention on a store of its own (a purge destroys what other checks
/// would look at afterwards).
pub fn run_retention(store: &dyn Store) {
    let [admin, cw1, ..] = seed(store);
    retention::retention(store, &admin, &cw1);
}

/// Servers sharing a database follow one feed of list changes: what another
/// server added, disabled or enabled since the place it last read.
fn hash_change_feed(store: &dyn Store, analyst: &Actor) {
    let (all, mark) = store.hash_changes_since(0).unwrap();
    assert_eq!(all.len(), 4, "from 0, every entry");
    assert_eq!(store.hash_changes_since(mark).unwrap(), (Vec::new(), mark));
    let list = store.create_hash_list(analyst, "feed", "", NOW).unwrap();
    let entry = haven_domain::lists::NewHashEntry {
        md5: Some("feedfeedfeedfeedfeedfeedfeedfeed".into()),
        source: "test".into(),
        ..Default::default()
    };
    let (_, added) = store
        .add_hash_entries(analyst, &list.id, &[entry], None, NOW)
        .unwrap();
    let (new, mark2) = store.hash_changes_since(mark).unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].id, added[0].id);
    assert!(mark2 > mark);
    store
        .set_hash_entry_enabled(analyst, &added[0].id, false, NOW)
        .unwrap();
    let (changed, mark3) = store.hash_changes_since(mark2).unwrap();
    assert_eq!(changed.len(), 1);
    assert!(!changed[0].enabled && mark3 > mark2);
}

/// Reads made at once are audited in groups (one transaction for the
/// entries waiting): each read still has its one entry, with its own
/// request, its outcome and the chain intact, and a refused read its
/// refusal.
fn reads_audited_at_once(store: &dyn Store, admin: &Actor, cw1: &Actor) {
    let child = store
        .create_child(cw1, &child("Grouped", "Reader", "2015-05-05", "D11"), NOW)
        .unwrap()
        .0;
    let before = store.verify_audit().unwrap().unwrap();
    std::thread::scope(|s| {
        for t in 0..8 {
            let id = child.id.clone();
            s.spawn(move || {
                for i in 0..10 {
                    let request = format!("{t:08x}{i:08x}");
                    crate::audit::with_request_id(Some(&request), || {
                        if i == 9 {
                            let missing = store.get_child(cw1, "no-such-child", NOW);
                            assert!(matches!(missing, Err(StoreError::NotFound(_))));
                        } else {
                            assert_eq!(store.get_child(cw1, &id, NOW).unwrap().id, id);
                        }
                    });
                }
            });
        }
    });
    let after = store.verify_audit().unwrap().unwrap();
    assert_eq!(
        after - before,
        80,
        "one entry for each read and each refusal"
    );
    let recent = store.recent_audit(admin, 80, NOW).unwrap();
    for t in 0..8 {
        for i in 0..10 {
            let request = format!("{t:08x}{i:08x}");
            let mine: Vec<_> = recent
                .iter()
                .filter(|e| e.request_id.as_deref() == Some(request.as_str()))
                .collect();
            assert_eq!(mine.len(), 1, "request {request}");
            let (target, outcome) = if i == 9 {
                ("child:no-such-child".to_string(), "denied")
            } else {
                (format!("child:{}", child.id), "ok")
            };
            assert_eq!(
                (
                    mine[0].action.as_str(),
                    mine[0].target.as_str(),
                    mine[0].outcome.as_str()
                ),
                ("child.read", target.as_str(), outcome)
            );
        }
    }
}

/// A NUL character in input is the caller's mistake on every backend
/// (PostgreSQL text cannot hold one): never a database failure.
fn nul_characters(store: &dyn Store, cw1: &Actor) {
    let search = store.list_children(
        cw1,
        &ChildFilter {
            name: Some("Ami\0na".into()),
            ..Default::default()
        },
        None,
        10,
        NOW,
    );
    assert!(
        !matches!(search, Err(StoreError::Database(_))),
        "{search:?}"
    );
    let made = store.create_child(cw1, &child("Ami\0na", "Diallo", "2014-03-02", "D11"), NOW);
    assert!(matches!(made, Err(StoreError::Invalid(_))), "{made:?}");
    let note = store.add_report_note(cw1, "no\0such", "x", NOW);
    assert!(!matches!(note, Err(StoreError::Database(_))), "{note:?}");
}

fn assessments(store: &dyn Store, admin: &Actor, cw1: &Actor, cw2: &Actor, monitor: &Actor) {
    use haven_domain::assessment::{Answer, RiskLevel};
    let yes = |ids: &[&str]| {
        ids.iter()
            .map(|i| (i.to_string(), Answer::Yes(true)))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let inst = store.current_instrument(NOW).unwrap();
    assert_eq!(inst.version, 1);
    let (child, _) = store
        .create_child(cw1, &child("Hawa", "Kamara", "2013-02-02", "D11"), NOW)
        .unwrap();
    let first = store
        .assess_child(cw1, &child.id, &yes(&["poverty"]), NOW)
        .unwrap();
    assert_eq!(first.result.level, RiskLevel::Low);
    let second = store
        .assess_child(
            cw1,
            &child.id,
            &yes(&["poverty", "environmental_shock", "not_in_school"]),
            NOW + 10,
        )
        .unwrap();
    assert!(second.result.level > first.result.level);
    assert!(
        matches!(
            store.assess_child(cw2, &child.id, &yes(&["poverty"]), NOW),
            Err(StoreError::NotFound(_))
        ),
        "outside scope"
    );
    assert!(matches!(
        store.assess_child(monitor, &child.id, &yes(&["poverty"]), NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.assess_child(cw1, &child.id, &yes(&["made_up"]), NOW),
        Err(StoreError::Invalid(_))
    ));
    let history = store.child_assessments(cw1, &child.id, NOW).unwrap();
    assert_eq!(history.len(), 2, "refused assessments stored nothing");
    assert_eq!(history[1].answers.len(), 3);
    assert!(matches!(
        store.child_assessments(cw2, &child.id, NOW),
        Err(StoreError::NotFound(_))
    ));
    // An override needs a reason; both levels are kept.
    assert!(matches!(
        store.confirm_assessment(cw1, &second.id, RiskLevel::Critical, None, NOW),
        Err(StoreError::Invalid(_))
    ));
    let c = store
        .confirm_assessment(
            cw1,
            &second.id,
            RiskLevel::Critical,
            Some("mother reports threats from a recruiter"),
            NOW,
        )
        .unwrap();
    assert_eq!(
        (c.result.level, c.confirmed_level),
        (second.result.level, Some(RiskLevel::Critical))
    );
    let again = store.child_assessments(cw1, &child.id, NOW).unwrap();
    assert_eq!(
        again[1].override_reason.as_deref(),
        Some("mother reports threats from a recruiter")
    );
    // A new instrument is a new version; old results keep theirs.
    let mut json: serde_json::Value = serde_json::to_value(&inst).unwrap();
    json["thresholds"]["medium"] = serde_json::json!(3.0);
    assert!(matches!(
        store.create_instrument(cw1, &json.to_string(), NOW),
        Err(StoreError::Forbidden(_))
    ));
    let v2 = store
        .create_instrument(admin, &json.to_string(), NOW)
        .unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(
        store.current_instrument(NOW).unwrap().thresholds.medium,
        3.0
    );
    assert_eq!(
        store.child_assessments(cw1, &child.id, NOW).unwrap()[0]
            .result
            .instrument_version,
        1
    );
    assert!(matches!(
        store.create_instrument(admin, "{\"version\": 1}", NOW),
        Err(StoreError::Invalid(_))
    ));
}

fn lists(store: &dyn Store, analyst: &Actor, cw1: &Actor) {
    use haven_domain::lists::{NewHashEntry, UrlLevel};
    let sys = Actor::system();
    store
        .create_user(
            &sys,
            &NewUser {
                name: "isp".into(),
                role: Role::Partner,
                location: None,
                agency: None,
                password_hash: None,
            },
            NOW,
        )
        .unwrap();
    let partner = store
        .actor_for_token(&store.create_api_token(&sys, "isp", NOW).unwrap())
        .unwrap();

    let list = store
        .create_hash_list(analyst, "national", "confirmed by the hotline", NOW)
        .unwrap();
    assert!(matches!(
        store.create_hash_list(analyst, "national", "", NOW),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.create_hash_list(cw1, "other", "", NOW),
        Err(StoreError::Forbidden(_))
    ));
    let pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    let one = NewHashEntry {
        pdq: Some(pdq.to_uppercase()),
        source: "report 1".into(),
        category: "csam-a".into(),
        ..Default::default()
    };
    let (_, added) = store
        .add_hash_entries(analyst, &list.id, &[one], None, NOW)
        .unwrap();
    assert_eq!(
        added[0].pdq.as_deref(),
        Some(pdq),
        "hashes are stored lower-case"
    );
    let bulk: Vec<NewHashEntry> = (0..3)
        .map(|i| NewHashEntry {
            md5: Some(format!("{i:032x}")),
            source: "partner hotline".into(),
            ..Default::default()
        })
        .collect();
    let (import, added) = store
        .add_hash_entries(analyst, &list.id, &bulk, Some("exchange file"), NOW)
        .unwrap();
    assert_eq!(import.unwrap().entries, 3);
    assert_eq!(added.len(), 3);
    let bad = NewHashEntry {
        pdq: Some("xyz".into()),
        ..Default::default()
    };
    assert!(matches!(
        store.add_hash_entries(analyst, &list.id, &[bad], None, NOW),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.add_hash_entries(analyst, "nope", &bulk, None, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert!(
        matches!(
            store.list_hash_entries(&partner, &list.id, None, 10, NOW),
            Err(StoreError::Forbidden(_))
        ),
        "partners never read list contents"
    );
    let page = store
        .list_hash_entries(analyst, &list.id, None, 2, NOW)
        .unwrap();
    assert_eq!(page.items.len(), 2);
    let rest = store
        .list_hash_entries(analyst, &list.id, page.next.as_deref(), 10, NOW)
        .unwrap();
    assert_eq!(rest.items.len(), 2);
    let off = store
        .set_hash_entry_enabled(analyst, &added[0].id, false, NOW)
        .unwrap();
    assert!(!off.enabled);
    let lists = store.list_hash_lists(analyst, NOW).unwrap();
    assert_eq!((lists[0].entries, lists[0].enabled), (4, 3));
    assert_eq!(store.hash_changes_since(0).unwrap().0.len(), 4);
    assert_eq!(
        store
            .list_hash_imports(analyst, &list.id, NOW)
            .unwrap()
            .len(),
        1
    );

    let e = store
        .add_url(
            analyst,
            "http://www.Bad.example.com/gallery/1?id=7",
            UrlLevel::Url,
            "csam",
            NOW,
        )
        .unwrap();
    store
        .add_url(
            analyst,
            "https://files.example.org/share/",
            UrlLevel::Prefix,
            "csam",
            NOW,
        )
        .unwrap();
    store
        .add_url(analyst, "evil.example.net", UrlLevel::Domain, "csam", NOW)
        .unwrap();
    assert!(matches!(
        store.add_url(
            analyst,
            "bad.example.com/gallery/1?id=7",
            UrlLevel::Url,
            "",
            NOW
        ),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.add_url(analyst, "ftp://x.example/", UrlLevel::Url, "", NOW),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.add_url(&partner, "x.example", UrlLevel::Domain, "", NOW),
        Err(StoreError::Forbidden(_))
    ));
    for listed in [
        "HTTPS://bad.example.com:443/gallery/1?id=7#top",
        "http://files.example.org/share/a/b.jpg",
        "http://cdn.evil.example.net/x",
    ] {
        assert_eq!(
            store.check_url(&partner, listed, NOW).unwrap().len(),
            1,
            "{listed}"
        );
    }
    for clean in [
        "http://bad.example.com/gallery/2",
        "http://files.example.org/other",
        "http://notevil.example.net.org/",
    ] {
        assert!(
            store.check_url(&partner, clean, NOW).unwrap().is_empty(),
            "{clean}"
        );
    }
    assert!(matches!(
        store.check_url(cw1, "http://x.example/", NOW),
        Err(StoreError::Forbidden(_))
    ));
    let full = store.url_list_since(&partner, 0, NOW).unwrap();
    assert_eq!((full.version, full.entries.len()), (3, 3));
    store.remove_url(analyst, &e.id, NOW + 5).unwrap();
    assert!(matches!(
        store.remove_url(analyst, &e.id, NOW + 5),
        Err(StoreError::NotFound(_))
    ));
    let changes = store.url_list_since(&partner, 3, NOW).unwrap();
    assert_eq!(changes.version, 4);
    assert!(changes.entries.is_empty());
    assert_eq!(changes.removed[0].id, e.id, "removals come as tombstones");
    assert!(store
        .check_url(&partner, "http://bad.example.com/gallery/1?id=7", NOW)
        .unwrap()
        .is_empty());
    assert!(matches!(
        store.url_list_since(&partner, 99, NOW),
        Err(StoreError::Invalid(_))
    ));
}

fn locations(store: &dyn Store, admin: &Actor, cw1: &Actor) {
    let all = store.list_locations(cw1).unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(all[0].code, "C");
    assert!(matches!(
        store.create_location(cw1, &loc("D13", Some("R1"), LocationLevel::District), NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.create_location(admin, &loc("D11", Some("R1"), LocationLevel::District), NOW),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.create_location(
            admin,
            &loc("D99", Some("NOPE"), LocationLevel::District),
            NOW
        ),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.create_location(admin, &loc("D98", Some("C"), LocationLevel::District), NOW),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        store.list_locations(admin).unwrap().len(),
        6,
        "refused changes change nothing"
    );
}

/// Asserts that `e` is a validation error naming `field`.
fn is_field(e: StoreError, field: &str) {
    match e {
        StoreError::Invalid(v) => assert!(v.0.iter().any(|f| f.field == field), "{v}"),
        other => panic!("expected a field error on {field}, got {other:?}"),
    }
}

fn field_of(e: StoreError) -> String {
    match e {
        StoreError::Invalid(v) => v.0[0].field.clone(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[allow(clippy::too_many_arguments)]
fn registry(
    store: &dyn Store,
    admin: &Actor,
    cw1: &Actor,
    cw2: &Actor,
    analyst: &Actor,
    monitor: &Actor,
    sup1: &Actor,
) {
    let (amina, dups) = store
        .create_child(cw1, &child("Amina", "Diallo", "2014-03-02", "D11"), NOW)
        .unwrap();
    assert!(dups.is_empty());
    assert_eq!(amina.id.len(), 32);
    let (twin, dups) = store
        .create_child(cw1, &child("Amena", "Dialo", "2014-03-09", "D12"), NOW + 1)
        .unwrap();
    assert_eq!(
        dups.len(),
        1,
        "the misspelt record is flagged as a possible duplicate"
    );
    assert_eq!(dups[0].child.id, amina.id);
    assert!(dups[0].reasons.iter().any(|r| r.contains("name")));
    let (_other, _) = store
        .create_child(cw2, &child("Fatou", "Sow", "2012-01-01", "D21"), NOW + 2)
        .unwrap();
    for i in 0..5 {
        store
            .create_child(
                cw1,
                &child(
                    "Moussa",
                    &format!("Keita{}", "x".repeat(i)),
                    "2010-05-05",
                    "D12",
                ),
                NOW + 10 + i as i64,
            )
            .unwrap();
    }

    // Reading and scope.
    assert_eq!(store.get_child(cw1, &amina.id, NOW).unwrap(), amina);
    assert_eq!(
        store.get_child(admin, &amina.id, NOW).unwrap().given_name,
        "Amina"
    );
    assert_eq!(store.get_child(sup1, &amina.id, NOW).unwrap().id, amina.id);
    assert!(matches!(
        store.get_child(cw2, &amina.id, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.get_child(analyst, &amina.id, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.get_child(monitor, &amina.id, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.list_children(monitor, &ChildFilter::default(), None, 50, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.child_counts(analyst, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.get_child(cw1, "nonexistent", NOW),
        Err(StoreError::NotFound(_))
    ));

    // Lists, counts and search respect scope.
    let all = store
        .list_children(admin, &ChildFilter::default(), None, 50, NOW)
        .unwrap();
    assert_eq!(all.items.len(), 8);
    let mine = store
        .list_children(cw1, &ChildFilter::default(), None, 50, NOW)
        .unwrap();
    assert_eq!(mine.items.len(), 7);
    assert!(mine.items.iter().all(|c| c.location.starts_with("D1")));
    assert_eq!(store.child_counts(cw1, NOW).unwrap().total, 7);
    assert_eq!(store.child_counts(cw2, NOW).unwrap().total, 1);
    assert_eq!(store.child_counts(admin, NOW).unwrap().not_registered, 8);
    let search = |a: &Actor, q: &str| search_by_name(store, a, q);
    assert!(
        search(cw2, "Amina Diallo").is_empty(),
        "search never leaks across scope"
    );
    assert!(search(cw1, "Fatou Sow").is_empty());
    let found = search(cw1, "Aminah Dyallo");
    assert!(
        found.iter().any(|c| c.id == amina.id),
        "misspelt name finds the child"
    );
    assert_eq!(search(cw2, "Fatu").len(), 1);

    // Pagination is complete and without repeats.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .list_children(cw1, &ChildFilter::default(), cursor.as_deref(), 3, NOW)
            .unwrap();
        seen.extend(page.items.iter().map(|c| c.id.clone()));
        match page.next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7);
    assert!(matches!(
        store.list_children(cw1, &ChildFilter::default(), Some("garbage"), 3, NOW),
        Err(StoreError::Invalid(_))
    ));

    // Filters.
    let f = |filter: ChildFilter| {
        store
            .list_children(admin, &filter, None, 50, NOW)
            .unwrap()
            .items
            .len()
    };
    assert_eq!(
        f(ChildFilter {
            location: Some("D12".into()),
            ..Default::default()
        }),
        6
    );
    assert_eq!(
        f(ChildFilter {
            location: Some("R2".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        f(ChildFilter {
            sex: Some(Sex::Male),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        f(ChildFilter {
            age_band: ChildFilter::parse_age_band("15-17"),
            ..Default::default()
        }),
        5
    );
    assert_eq!(
        f(ChildFilter {
            age_band: ChildFilter::parse_age_band("10-14"),
            ..Default::default()
        }),
        3
    );

    // Duplicates on demand.
    let d = store.possible_duplicates(cw1, &twin.id, NOW).unwrap();
    assert_eq!(d.len(), 1);
    assert!(matches!(
        store.possible_duplicates(cw2, &twin.id, NOW),
        Err(StoreError::NotFound(_))
    ));

    // Bad input is refused and changes nothing.
    let before = store.child_counts(admin, NOW).unwrap().total;
    assert_eq!(
        field_of(
            store
                .create_child(cw1, &child("", "X", "2014-01-01", "D11"), NOW)
                .unwrap_err()
        ),
        "given_name"
    );
    assert_eq!(
        field_of(
            store
                .create_child(cw1, &child("A", "X", "2030-01-01", "D11"), NOW)
                .unwrap_err()
        ),
        "date_of_birth"
    );
    assert_eq!(
        field_of(
            store
                .create_child(cw1, &child("A", "X", "2014-01-01", "NOPE"), NOW)
                .unwrap_err()
        ),
        "location"
    );
    assert_eq!(
        field_of(
            store
                .create_child(cw1, &child("A", "X", "2014-01-01", "R1"), NOW)
                .unwrap_err()
        ),
        "location"
    );
    assert!(matches!(
        store.create_child(cw1, &child("A", "X", "2014-01-01", "D21"), NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.create_child(monitor, &child("A", "X", "2014-01-01", "D11"), NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(store.child_counts(admin, NOW).unwrap().total, before);

    // Changes.
    let patch = ChildPatch {
        family_name: Some("Diallo-Bah".into()),
        in_school: Some(true),
        ..Default::default()
    };
    let changed = store
        .update_child(cw1, &amina.id, &patch, NOW + 100)
        .unwrap();
    assert_eq!(changed.family_name, "Diallo-Bah");
    assert!(changed.in_school);
    assert_eq!(changed.date_of_birth, amina.date_of_birth);
    assert_eq!(changed.updated_at, NOW + 100);
    assert!(
        search(cw1, "Diallo Bah").iter().any(|c| c.id == amina.id),
        "search follows a name change"
    );
    assert!(matches!(
        store.update_child(cw2, &amina.id, &patch, NOW),
        Err(StoreError::NotFound(_))
    ));
    let bad = ChildPatch {
        location: Some("D21".into()),
        ..Default::default()
    };
    assert!(
        matches!(
            store.update_child(cw1, &amina.id, &bad, NOW),
            Err(StoreError::Forbidden(_))
        ),
        "cannot move a child out of one's own area"
    );
    assert_eq!(
        store.get_child(cw1, &amina.id, NOW).unwrap().location,
        "D11"
    );
}

fn households(store: &dyn Store, cw1: &Actor, cw2: &Actor) {
    let h = NewHousehold {
        location: "D11".into(),
        address: "Blue door behind the market".into(),
        caregivers: vec![NewCaregiver {
            given_name: "Mariama".into(),
            family_name: "Bah".into(),
            relationship: "mother".into(),
            contact: "+999 123".into(),
        }],
    };
    let (hh, kids) = store
        .register_family(cw1, &h, &[child("Binta", "Bah", "2016-06-06", "D11")], NOW)
        .unwrap();
    assert_eq!(kids[0].household_id.as_deref(), Some(hh.id.as_str()));
    let read = store.get_household(cw1, &hh.id, NOW).unwrap();
    assert_eq!(read.address, "Blue door behind the market");
    assert_eq!(read.caregivers[0].contact, "+999 123");
    assert!(matches!(
        store.get_household(cw2, &hh.id, NOW),
        Err(StoreError::NotFound(_))
    ));
    let g = NewCaregiver {
        given_name: "Awa".into(),
        relationship: "aunt".into(),
        ..Default::default()
    };
    store.add_caregiver(cw1, &hh.id, &g, NOW).unwrap();
    assert!(matches!(
        store.add_caregiver(cw2, &hh.id, &g, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .get_household(cw1, &hh.id, NOW)
            .unwrap()
            .caregivers
            .len(),
        2
    );
    let mut in_other = child("Sali", "Bah", "2016-06-06", "D21");
    in_other.household_id = Some(hh.id.clone());
    assert!(
        store.create_child(cw2, &in_other, NOW).is_err(),
        "cannot attach a child to a household outside scope"
    );
    families_at_once(store, cw1, cw2);
}

/// Many families in one go (imports, synthetic data): every one stored
/// with its own registration time and audited, or none when one is wrong.
fn families_at_once(store: &dyn Store, cw1: &Actor, cw2: &Actor) {
    let family = |name: &str, district: &str, when: i64| haven_domain::NewFamily {
        household: NewHousehold {
            location: district.into(),
            address: format!("{name} compound"),
            caregivers: Vec::new(),
        },
        children: vec![
            child(name, "Turay", "2015-01-01", district),
            child(&format!("{name}a"), "Turay", "2017-01-01", district),
        ],
        registered_at: when,
    };
    let total = |a: &Actor| store.child_counts(a, NOW).unwrap().total;
    let before = total(cw1);
    // One wrong child (a sex nobody records) refuses the whole import.
    let mut wrong = family("Kumba", "D12", NOW - 400 * 86_400);
    wrong.children[1].sex = "unknown-sex".into();
    match store.register_families(
        cw1,
        &[family("Isata", "D11", NOW - 86_400), wrong.clone()],
        NOW,
    ) {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.0[0].field, "families[1].children[1].sex", "{e:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(total(cw1), before, "nothing stored");
    // Outside the caller's area: refused, nothing stored.
    assert!(store
        .register_families(cw2, &[family("Isata", "D11", NOW)], NOW)
        .is_err());
    assert!(
        store
            .register_families(cw1, &[family("Isata", "D11", NOW + 86_400)], NOW)
            .is_err(),
        "not registered in the future"
    );
    let mut kumba_family = family("Kumba", "D12", NOW - 400 * 86_400);
    kumba_family
        .household
        .caregivers
        .push(haven_domain::NewCaregiver {
            given_name: "Fatmata".into(),
            family_name: "Turay".into(),
            relationship: "mother".into(),
            contact: "+23276000000".into(),
        });
    let made = store
        .register_families(
            cw1,
            &[family("Isata", "D11", NOW - 86_400), kumba_family],
            NOW,
        )
        .unwrap();
    assert_eq!(made, 4);
    assert_eq!(total(cw1), before + 4);
    let found = store
        .list_children(
            cw1,
            &haven_domain::ChildFilter {
                name: Some("Kumba Turay".into()),
                ..Default::default()
            },
            None,
            10,
            NOW,
        )
        .unwrap();
    let kumba = found
        .items
        .iter()
        .find(|c| c.given_name == "Kumba")
        .unwrap();
    assert_eq!(
        kumba.created_at,
        NOW - 400 * 86_400,
        "registered when the source says"
    );
    let household = store
        .get_household(cw1, kumba.household_id.as_deref().unwrap(), NOW)
        .unwrap();
    assert_eq!(household.address, "Kumba compound");
    assert_eq!(
        household.caregivers.len(),
        1,
        "caregivers come with the family"
    );
    assert_eq!(household.caregivers[0].given_name, "Fatmata");
    // The newest entries: the two households and four children just made
    // (the list search and the household read after them are audited too).
    let audit = store.recent_audit(&Actor::system(), 9, NOW).unwrap();
    let created = audit
        .iter()
        .filter(|e| e.action == "child.create" && e.outcome == "ok")
        .count();
    assert_eq!(created, 4, "each child audited");
}

fn sessions(store: &dyn Store) {
    let s = store.sign_in("cw1", "a long test password", NOW).unwrap();
    assert_eq!(s.actor.name, "cw1");
    assert_eq!(store.session(&s.token, NOW + 60).unwrap().csrf, s.csrf);
    assert!(
        matches!(
            store.session(&s.token, NOW + 9 * 3600),
            Err(StoreError::Unauthenticated)
        ),
        "sessions expire"
    );
    assert!(matches!(
        store.sign_in("cw1", "wrong password", NOW),
        Err(StoreError::Unauthenticated)
    ));
    assert!(matches!(
        store.sign_in("nobody", "a long test password", NOW),
        Err(StoreError::Unauthenticated)
    ));
    assert!(matches!(
        store.actor_for_token("hvn_forged"),
        Err(StoreError::Unauthenticated)
    ));
    // The language a person chose follows them into every session.
    assert_eq!(s.language, None);
    store.set_language(&s.actor, Some("fr"), NOW + 1).unwrap();
    assert_eq!(
        store
            .session(&s.token, NOW + 2)
            .unwrap()
            .language
            .as_deref(),
        Some("fr")
    );
    is_field(
        store
            .set_language(&s.actor, Some("fr'; --"), NOW + 3)
            .unwrap_err(),
        "language",
    );
    let again = store
        .sign_in("cw1", "a long test password", NOW + 4)
        .unwrap();
    assert_eq!(again.language.as_deref(), Some("fr"));
    store.set_language(&s.actor, None, NOW + 5).unwrap();
    assert_eq!(store.session(&s.token, NOW + 6).unwrap().language, None);
    store.sign_out(&again.token, NOW + 7).unwrap();
    store.sign_out(&s.token, NOW + 61).unwrap();
    assert!(store.session(&s.token, NOW + 62).is_err());
}

fn audit(store: &dyn Store, admin: &Actor, cw1: &Actor) {
    let n = store.verify_audit().unwrap().unwrap();
    assert!(n > 20);
    let recent = store.recent_audit(admin, 1000, NOW).unwrap();
    assert!(recent
        .iter()
        .any(|e| e.action == "child.read" && e.outcome == "ok"));
    assert!(recent
        .iter()
        .any(|e| e.action == "child.read" && e.outcome == "denied"));
    assert!(recent
        .iter()
        .any(|e| e.action == "sign_in" && e.outcome == "failed"));
    assert!(
        recent
            .iter()
            .any(|e| e.action == "child.access" && e.outcome == "denied" && e.actor == "monitor"),
        "a role without access to children is refused and the refusal audited"
    );
    assert!(
        recent
            .iter()
            .all(|e| !e.detail.contains("Amina") && !e.target.contains("Amina")),
        "no names in the audit log"
    );
    assert!(matches!(
        store.recent_audit(cw1, 10, NOW),
        Err(StoreError::Forbidden(_))
    ));

    // The request an entry was written while serving is kept with it,
    // found by a search, and part of the chain; entries without one (all
    // those written before) still verify.
    crate::audit::with_request_id(Some("0123456789abcdef"), || {
        store
            .record_event("cw1", "test.request", "first", "ok", "", NOW)
            .unwrap();
    });
    store
        .record_event("cw1", "test.request", "second", "ok", "", NOW)
        .unwrap();
    let by_request = |id: &str| {
        store
            .search_audit(
                admin,
                &crate::administration::AuditQuery {
                    request_id: Some(id.into()),
                    ..Default::default()
                },
                10,
                NOW,
            )
            .unwrap()
            .items
    };
    let found = by_request("0123456789abcdef");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].target, "first");
    assert_eq!(found[0].request_id.as_deref(), Some("0123456789abcdef"));
    assert!(by_request("fedcba9876543210").is_empty());
    let newest = store.recent_audit(admin, 1, NOW).unwrap();
    assert_eq!(newest[0].request_id, None);
    assert!(store.verify_audit().unwrap().is_ok());
}
