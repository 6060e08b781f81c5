//! Offline field work on the server (issue 16): a caseworker's laptop
//! syncs changes made offline; each operation is applied once, a field
//! someone else changed meanwhile becomes a conflict kept for a person, a
//! change the server cannot take comes back refused with its reason, and a
//! revoked laptop is refused.

use super::{child, seed, NOW};
use crate::{Keep, Store, StoreError};
use haven_domain::casework::{CaseAction, CaseStep, ReferralKind, Sector};
use haven_domain::child::ChildPatch;
use haven_domain::field_ops::{
    FieldOperation, OfflineCaseWork, OfflineReferral, Outcome, CHILD_UPDATE, REFERRAL_MAKE,
};
use haven_domain::field_sync::FieldChange;

fn op(n: u64, record: &str, changes: &[(&str, &str, &str)]) -> FieldOperation {
    FieldOperation {
        n,
        kind: CHILD_UPDATE.into(),
        record: record.into(),
        made_at: NOW - 3600,
        changes: changes
            .iter()
            .map(|(field, base, value)| FieldChange {
                field: field.to_string(),
                base: Some(base.to_string()),
                value: Some(value.to_string()),
            })
            .collect(),
    }
}

fn audit_count(s: &dyn Store, admin: &haven_domain::Actor, action: &str) -> usize {
    s.recent_audit(admin, 1000, NOW)
        .unwrap()
        .iter()
        .filter(|e| e.action == action && e.outcome == "ok")
        .count()
}

/// `s` is fresh.
pub fn run_field_sync(s: &dyn Store) {
    let [admin, cw1, cw2, _analyst, monitor, sup1] = seed(s);
    let (amina, _) = s
        .create_child(&cw1, &child("Amina", "Diallo", "2015-03-02", "D11"), NOW)
        .unwrap();
    let (kofi, _) = s
        .create_child(&cw1, &child("Kofi", "Mensah", "2013-07-19", "D12"), NOW)
        .unwrap();
    // The supervisor corrects Amina's family name on the server.
    let rename = |family: &str| {
        s.update_child(
            &sup1,
            &amina.id,
            &ChildPatch {
                family_name: Some(family.into()),
                ..ChildPatch::default()
            },
            NOW,
        )
        .unwrap();
    };
    let (laptop, credential) = s.enrol_field_node(&cw1, "  Field laptop 3 ", NOW).unwrap();
    assert_eq!(
        (laptop.label.as_str(), laptop.user.as_str()),
        ("Field laptop 3", "cw1")
    );
    // The laptop's own credential stands for cw1 on that laptop; anything
    // else like it is refused.
    let (who, which) = s.laptop_for_token(&credential, NOW).unwrap();
    assert_eq!(
        (who.name.as_str(), which.as_str()),
        ("cw1", laptop.id.as_str())
    );
    assert!(credential.starts_with("hvl_"));
    let forged = format!("hvl_{}", "0".repeat(64));
    for wrong in [
        forged.as_str(),
        "hvl_",
        "",
        &credential[..credential.len() - 1],
    ] {
        assert!(matches!(
            s.laptop_for_token(wrong, NOW),
            Err(StoreError::Unauthenticated)
        ));
    }
    // Nor is it an API token, nor an API token a laptop's credential.
    assert!(matches!(
        s.actor_for_token(&credential),
        Err(StoreError::Unauthenticated)
    ));
    let api_token = s.create_api_token(&admin, "cw1", NOW).unwrap();
    assert!(matches!(
        s.laptop_for_token(&api_token, NOW),
        Err(StoreError::Unauthenticated)
    ));
    assert_eq!(laptop.acknowledged, 0);
    // The laptop takes cw1's children into the field, and nobody else's.
    let first = s.field_checkout(&cw1, &laptop.id, None, NOW).unwrap();
    let mut both = vec![amina.id.clone(), kofi.id.clone()];
    both.sort();
    assert_eq!(first.in_scope, both);
    assert_eq!(first.children.len(), 2);
    assert_eq!(first.at, NOW);
    assert!(matches!(
        s.field_checkout(&cw2, &laptop.id, None, NOW),
        Err(StoreError::NotFound(_))
    ));
    // Only roles with children's records take a laptop into the field.
    assert!(matches!(
        s.enrol_field_node(&monitor, "x", NOW),
        Err(StoreError::Forbidden(_))
    ));

    // Offline, cw1 records Amina's disability, her new family name and
    // that she is back at school, and that Kofi is too. Meanwhile the supervisor corrects Amina's
    // family name on the server.
    rename("Diallo Ba");
    let ops = vec![
        op(1, &amina.id, &[("disability", "false", "true")]),
        op(
            2,
            &amina.id,
            &[
                ("family_name", "Diallo", "Diallo-Sow"),
                ("in_school", "false", "true"),
            ],
        ),
        op(3, &kofi.id, &[("in_school", "false", "true")]),
    ];
    let updates_before = audit_count(s, &admin, "child.update");
    let answer = s
        .sync_field_operations(&cw1, &laptop.id, &ops, 4, NOW)
        .unwrap();
    assert_eq!(answer.acknowledged, 3);
    let outcomes: Vec<_> = answer.results.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [Outcome::Applied, Outcome::Conflict, Outcome::Applied]
    );
    assert_eq!(answer.results[1].conflicts, ["family_name"]);
    let now_amina = s.get_child(&cw1, &amina.id, NOW).unwrap();
    assert!(now_amina.disability);
    assert!(
        now_amina.in_school,
        "the other field of the conflicting change went through"
    );
    assert_eq!(
        now_amina.family_name, "Diallo Ba",
        "nothing overwritten silently"
    );
    assert!(s.get_child(&cw1, &kofi.id, NOW).unwrap().in_school);
    let updates = audit_count(s, &admin, "child.update");
    assert_eq!(updates, updates_before + 3);

    // The answer was lost: the laptop sends the same operations again and
    // gets the same answers, with nothing applied twice.
    let again = s
        .sync_field_operations(&cw1, &laptop.id, &ops, 4, NOW)
        .unwrap();
    assert_eq!(again, answer);
    assert_eq!(audit_count(s, &admin, "child.update"), updates);
    // A gap is refused and changes nothing.
    let gap = s.sync_field_operations(&cw1, &laptop.id, &[op(5, &kofi.id, &[])], 0, NOW);
    assert!(
        matches!(gap, Err(StoreError::Conflict(ref m)) if m.contains("operation 4")),
        "{gap:?}"
    );

    // The conflict waits for cw1 and their supervisor, with both values;
    // another worker and other roles do not see it.
    let mine = s.field_conflicts(&cw1, NOW).unwrap();
    assert_eq!(mine.len(), 1);
    let c = &mine[0];
    assert_eq!(
        (
            c.field.as_str(),
            c.base.as_deref(),
            c.laptop.as_deref(),
            c.server.as_deref()
        ),
        (
            "family_name",
            Some("Diallo"),
            Some("Diallo-Sow"),
            Some("Diallo Ba")
        )
    );
    assert_eq!(
        (c.child_name.as_str(), c.worker.as_str(), c.operation),
        ("Amina Diallo Ba", "cw1", 2)
    );
    assert_eq!(s.field_conflicts(&sup1, NOW).unwrap(), mine);
    assert!(s.field_conflicts(&cw2, NOW).unwrap().is_empty());
    assert!(matches!(
        s.field_conflicts(&monitor, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.resolve_field_conflict(&cw2, &c.id, Keep::Laptop, NOW),
        Err(StoreError::NotFound(_))
    ));

    // Changed again on the server: keeping the laptop's value is refused
    // until the person has looked; then it is kept.
    rename("Diallo-Ba");
    assert!(matches!(
        s.resolve_field_conflict(&cw1, &c.id, Keep::Laptop, NOW),
        Err(StoreError::Conflict(_))
    ));
    rename("Diallo Ba");
    s.resolve_field_conflict(&sup1, &c.id, Keep::Laptop, NOW)
        .unwrap();
    assert_eq!(
        s.get_child(&cw1, &amina.id, NOW).unwrap().family_name,
        "Diallo-Sow"
    );
    assert!(s.field_conflicts(&cw1, NOW).unwrap().is_empty());
    assert!(matches!(
        s.resolve_field_conflict(&cw1, &c.id, Keep::Server, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(audit_count(s, &admin, "field_conflict.resolve"), 1);

    // Kofi moves to another region while the laptop is away: its change
    // to him comes back refused with the reason, acknowledged, and the
    // laptop's next operations go on. A value the record cannot hold is
    // refused with the field named.
    s.update_child(
        &admin,
        &kofi.id,
        &ChildPatch {
            location: Some("D21".into()),
            ..ChildPatch::default()
        },
        NOW,
    )
    .unwrap();
    // Kofi leaves the laptop at its next checkout; what did not change
    // since the last one is not sent again.
    let later = s
        .field_checkout(&cw1, &laptop.id, Some(NOW + 1), NOW + 1)
        .unwrap();
    assert_eq!(later.in_scope, vec![amina.id.clone()]);
    assert!(later.children.is_empty());
    let answer = s
        .sync_field_operations(
            &cw1,
            &laptop.id,
            &[
                op(4, &kofi.id, &[("child_labour", "false", "true")]),
                op(5, &amina.id, &[("disability", "true", "maybe")]),
                op(6, &amina.id, &[("minority_group", "", "Peul")]),
            ],
            0,
            NOW,
        )
        .unwrap();
    assert_eq!(answer.acknowledged, 6);
    let r = &answer.results;
    assert_eq!(
        (r[0].outcome, r[1].outcome, r[2].outcome),
        (Outcome::Refused, Outcome::Refused, Outcome::Applied)
    );
    assert!(
        r[0].reason
            .as_deref()
            .unwrap()
            .contains("no longer in your area"),
        "{r:?}"
    );
    assert!(
        r[1].reason.as_deref().unwrap().contains("disability"),
        "{r:?}"
    );
    assert!(!s.get_child(&admin, &kofi.id, NOW).unwrap().child_labour);
    assert_eq!(
        s.get_child(&cw1, &amina.id, NOW)
            .unwrap()
            .minority_group
            .as_deref(),
        Some("Peul")
    );

    // Amina's case comes with the next checkout, and work on it offline
    // is taken by the case's own rules: a note, but not a plan before the
    // child is assessed.
    let case = s.open_case(&cw1, &amina.id, None, NOW + 2).unwrap();
    let with_case = s
        .field_checkout(&cw1, &laptop.id, Some(NOW + 1), NOW + 2)
        .unwrap();
    assert_eq!(with_case.open_cases, vec![case.id.clone()]);
    assert_eq!(with_case.cases.len(), 1);
    assert_eq!(with_case.cases[0].case.id, case.id);
    assert_eq!(with_case.cases[0].events[0].kind, "opened");
    assert!(s
        .field_checkout(
            &cw2,
            &s.enrol_field_node(&cw2, "Other", NOW).unwrap().0.id,
            None,
            NOW
        )
        .unwrap()
        .open_cases
        .is_empty());
    let work = |n: u64, action: Option<CaseAction>, text: &str| {
        let w = OfflineCaseWork {
            action,
            text: Some(text.into()),
            seen: CaseStep::Identification,
        };
        FieldOperation {
            n,
            kind: w.kind().into(),
            record: case.id.clone(),
            made_at: NOW - 7200,
            changes: w.to_changes(),
        }
    };
    let desk = s
        .create_service(
            &admin,
            &super::casework::service(
                "Registry desk",
                "CIVREG",
                Sector::CivilRegistration,
                "R1",
                &[],
            ),
            NOW,
        )
        .unwrap();
    let referral = OfflineReferral {
        id: "0123456789abcdef0123456789abcdef".into(),
        service_id: desk.id.clone(),
        kind: ReferralKind::Service,
        reason: "No birth certificate".into(),
    };
    let referred = FieldOperation {
        n: 9,
        kind: REFERRAL_MAKE.into(),
        record: case.id.clone(),
        made_at: NOW - 3600,
        changes: referral.to_changes(),
    };
    let answer = s
        .sync_field_operations(
            &cw1,
            &laptop.id,
            &[
                work(7, None, "Spoke with her teacher"),
                work(8, Some(CaseAction::SubmitPlan), "A plan"),
                referred,
            ],
            0,
            NOW + 3,
        )
        .unwrap();
    let r = &answer.results;
    assert_eq!(
        (r[0].outcome, r[1].outcome, r[2].outcome),
        (Outcome::Applied, Outcome::Refused, Outcome::Applied),
        "{r:?}"
    );
    assert!(
        r[1].reason.as_deref().unwrap().contains("assess the child"),
        "{r:?}"
    );
    let file = s.get_case(&cw1, &case.id, NOW + 3).unwrap();
    let note = file.events.iter().find(|e| e.kind == "note").unwrap();
    assert_eq!(
        (note.text.as_str(), note.at),
        ("Spoke with her teacher", NOW - 7200)
    );
    assert!(file.case.plan.is_none());
    assert_eq!(file.referrals.len(), 1);
    assert_eq!(
        (file.referrals[0].id.as_str(), file.referrals[0].sent_at),
        (referral.id.as_str(), NOW - 3600)
    );

    // The administrator sees the laptop and revokes it; its next sync is
    // refused. Nobody else revokes, nor syncs another's laptop.
    let nodes: Vec<_> = s
        .field_nodes(&admin, NOW)
        .unwrap()
        .into_iter()
        .filter(|n| n.user == "cw1")
        .collect();
    assert_eq!(nodes.len(), 1);
    assert_eq!(
        (
            nodes[0].acknowledged,
            nodes[0].pending,
            nodes[0].last_sync_at
        ),
        (9, 0, Some(NOW + 3))
    );
    // cw2 sees their own laptop only.
    let theirs = s.field_nodes(&cw2, NOW).unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].user, "cw2");
    assert!(matches!(
        s.revoke_field_node(&cw1, &laptop.id, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        s.sync_field_operations(&cw2, &laptop.id, &[op(10, &amina.id, &[])], 0, NOW),
        Err(StoreError::NotFound(_))
    ));
    let revoked = s.revoke_field_node(&admin, &laptop.id, NOW).unwrap();
    assert_eq!(revoked.revoked_at, Some(NOW));
    assert!(matches!(
        s.laptop_for_token(&credential, NOW),
        Err(StoreError::Forbidden(m)) if m.contains("revoked")
    ));
    assert!(matches!(
        s.sync_field_operations(&cw1, &laptop.id, &[op(10, &amina.id, &[("disability", "true", "false")])], 0, NOW),
        Err(StoreError::Forbidden(m)) if m.contains("revoked")
    ));
    assert!(s.get_child(&cw1, &amina.id, NOW).unwrap().disability);
    assert!(matches!(
        s.field_checkout(&cw1, &laptop.id, None, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(s.verify_audit().unwrap().is_ok());
}
