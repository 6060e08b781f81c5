//! Administration: accounts changed, disabled and re-passworded by an
//! administrator, agencies as records, inspections and the institutions
//! overdue for one, and searching the audit log — with the denials.

use super::NOW;
use crate::administration::{Agency, AuditQuery, NewInspection, UserChange};
use crate::{NewUser, Store, StoreError};
use haven_domain::{Actor, Date, Institution, InstitutionKind, Role};

pub fn administration(store: &dyn Store, admin: &Actor, cw1: &Actor, sup1: &Actor) {
    let sys = Actor::system();
    let pw = crate::password::hash_password("a long test password").unwrap();
    store
        .create_user(
            &sys,
            &NewUser {
                name: "temp".into(),
                role: Role::Caseworker,
                location: Some("R1".into()),
                agency: Some("LEGACY1".into()),
                password_hash: Some(pw),
            },
            NOW,
        )
        .unwrap();
    // A code given by the command line became a record.
    let agencies = store.list_agencies(cw1).unwrap();
    assert!(agencies.iter().any(|a| a.code == "LEGACY1" && a.active));

    // Agencies: admins only; bad fields named.
    let ngo = Agency {
        code: "NGO7".into(),
        name: "Children First".into(),
        sector: Some("social_welfare".into()),
        phone: Some("+221 33 000 00 00".into()),
        email: Some("office@example.org".into()),
        active: true,
    };
    assert!(matches!(
        store.create_agency(cw1, &ngo, NOW),
        Err(StoreError::Forbidden(_))
    ));
    let bad = Agency {
        code: "no spaces".into(),
        email: Some("nope".into()),
        sector: Some("astrology".into()),
        ..ngo.clone()
    };
    match store.create_agency(admin, &bad, NOW) {
        Err(StoreError::Invalid(e)) => {
            let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
            assert!(
                fields.contains(&"code") && fields.contains(&"email") && fields.contains(&"sector")
            );
        }
        other => panic!("{other:?}"),
    }
    store.create_agency(admin, &ngo, NOW).unwrap();
    assert!(matches!(
        store.create_agency(admin, &ngo, NOW),
        Err(StoreError::Conflict(_))
    ));
    let renamed = store
        .update_agency(
            admin,
            "LEGACY1",
            &Agency {
                name: "Legacy Agency".into(),
                active: false,
                ..ngo.clone()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(renamed.code, "LEGACY1");
    assert!(matches!(
        store.update_agency(sup1, "NGO7", &ngo, NOW),
        Err(StoreError::Forbidden(_))
    ));

    // Changing an account: role, area, agency (must be a record), language.
    assert!(matches!(
        store.update_user(
            cw1,
            "temp",
            &UserChange {
                role: Some(Role::Admin),
                ..Default::default()
            },
            NOW
        ),
        Err(StoreError::Forbidden(_))
    ));
    match store.update_user(
        admin,
        "temp",
        &UserChange {
            agency: Some(Some("NOPE".into())),
            ..Default::default()
        },
        NOW,
    ) {
        Err(StoreError::Invalid(e)) => assert_eq!(e.0[0].field, "agency"),
        other => panic!("{other:?}"),
    }
    let changed = store
        .update_user(
            admin,
            "temp",
            &UserChange {
                role: Some(Role::Supervisor),
                location: Some(Some("R2".into())),
                agency: Some(Some("NGO7".into())),
                language: Some(Some("fr".into())),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(changed.role, Role::Supervisor);
    assert_eq!(changed.location.as_deref(), Some("R2"));
    assert_eq!(changed.agency.as_deref(), Some("NGO7"));
    assert_eq!(changed.language.as_deref(), Some("fr"));
    assert!(matches!(
        store.update_user(
            admin,
            "admin",
            &UserChange {
                role: Some(Role::Monitor),
                ..Default::default()
            },
            NOW
        ),
        Err(StoreError::Invalid(_))
    ));

    // Disabling ends sessions and tokens at once; never oneself.
    let session = store.sign_in("temp", "a long test password", NOW).unwrap();
    let token = store.create_api_token(&sys, "temp", NOW).unwrap();
    assert!(matches!(
        store.set_user_disabled(cw1, "temp", true, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(store.session(&session.token, NOW).is_ok());
    assert!(matches!(
        store.set_user_disabled(admin, "admin", true, NOW),
        Err(StoreError::Conflict(_))
    ));
    let off = store.set_user_disabled(admin, "temp", true, NOW).unwrap();
    assert!(off.disabled);
    assert!(store.session(&session.token, NOW).is_err());
    assert!(store.actor_for_token(&token).is_err());
    assert!(store.sign_in("temp", "a long test password", NOW).is_err());
    store.set_user_disabled(admin, "temp", false, NOW).unwrap();
    let again = store.sign_in("temp", "a long test password", NOW).unwrap();

    // A new password ends their sessions; the old one no longer works.
    let new_hash = crate::password::hash_password("another long password").unwrap();
    assert!(matches!(
        store.reset_password(sup1, "temp", &new_hash, NOW),
        Err(StoreError::Forbidden(_))
    ));
    store.reset_password(admin, "temp", &new_hash, NOW).unwrap();
    assert!(store.session(&again.token, NOW).is_err());
    assert!(store.sign_in("temp", "a long test password", NOW).is_err());
    assert!(store.sign_in("temp", "another long password", NOW).is_ok());
    let listed = store.list_users(admin, NOW).unwrap();
    assert!(listed.iter().any(|u| u.name == "temp" && !u.disabled));

    // Institutions and inspections, in scope.
    let today = Date::from_unix(NOW);
    let home = store
        .create_institution(
            admin,
            &Institution {
                id: String::new(),
                kind: InstitutionKind::CareInstitution,
                name: "Harbour Home".into(),
                location: "D11".into(),
                registered: true,
                monitored: true,
                last_inspection: None,
            },
            NOW,
        )
        .unwrap();
    let far = store
        .create_institution(
            admin,
            &Institution {
                id: String::new(),
                kind: InstitutionKind::School,
                name: "Hill School".into(),
                location: "D21".into(),
                registered: true,
                monitored: false,
                last_inspection: None,
            },
            NOW,
        )
        .unwrap();
    // Never inspected: overdue; the supervisor of R1 sees only theirs.
    let overdue = store.overdue_inspections(sup1, NOW).unwrap();
    assert!(overdue.iter().any(|s| s.institution.id == home.id));
    assert!(!overdue.iter().any(|s| s.institution.id == far.id));
    assert!(store
        .overdue_inspections(admin, NOW)
        .unwrap()
        .iter()
        .any(|s| s.institution.id == far.id));
    assert!(!store
        .list_institutions(cw1)
        .unwrap()
        .iter()
        .any(|i| i.id == far.id));
    assert!(matches!(
        store.get_institution(cw1, &far.id, NOW),
        Err(StoreError::NotFound(_))
    ));
    let inspection = NewInspection {
        inspected_on: Date::parse("2026-06-01").unwrap(),
        inspector: "Regional team".into(),
        findings: "Two dormitories overcrowded.".into(),
        next_due: Some(Date::parse("2026-12-01").unwrap()),
    };
    assert!(matches!(
        store.record_inspection(cw1, &home.id, &inspection, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.record_inspection(sup1, &far.id, &inspection, NOW),
        Err(StoreError::NotFound(_))
    ));
    match store.record_inspection(
        admin,
        &home.id,
        &NewInspection {
            next_due: Some(Date::parse("2026-01-01").unwrap()),
            findings: " ".into(),
            ..inspection.clone()
        },
        NOW,
    ) {
        Err(StoreError::Invalid(e)) => {
            let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(fields, ["findings", "next_due"]);
        }
        other => panic!("{other:?}"),
    }
    store
        .record_inspection(sup1, &home.id, &inspection, NOW)
        .unwrap();
    assert!(!store
        .overdue_inspections(sup1, NOW)
        .unwrap()
        .iter()
        .any(|s| s.institution.id == home.id));
    // The due date passes: overdue again.
    let later = NOW + 10 * 86_400;
    let late = store.overdue_inspections(sup1, later).unwrap();
    assert!(late
        .iter()
        .any(|s| s.institution.id == home.id && s.overdue));
    let file = store.get_institution(sup1, &home.id, NOW).unwrap();
    assert_eq!(file.inspections.len(), 1);
    assert_eq!(
        file.status.institution.last_inspection,
        Date::parse("2026-06-01")
    );
    assert!(file.status.next_inspection_due > Some(today));
    let edited = store
        .update_institution(
            admin,
            &home.id,
            &Institution {
                name: "Harbour House".into(),
                ..home.clone()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(edited.name, "Harbour House");
    assert!(matches!(
        store.update_institution(sup1, &home.id, &home, NOW),
        Err(StoreError::Forbidden(_))
    ));

    // Linking a child: in scope only, audited on the child's record.
    let child = store
        .list_children(cw1, &Default::default(), None, 1, NOW)
        .unwrap()
        .items
        .remove(0);
    assert!(matches!(
        store.link_child_institution(cw1, &child.id, Some(&far.id), NOW),
        Err(StoreError::NotFound(_))
    ));
    store
        .link_child_institution(cw1, &child.id, Some(&home.id), NOW)
        .unwrap();
    assert_eq!(
        store.get_institution(sup1, &home.id, NOW).unwrap().children,
        1
    );
    assert_eq!(
        store.get_child(cw1, &child.id, NOW).unwrap().institution_id,
        Some(home.id.clone()),
        "the child's record names the institution"
    );
    assert!(matches!(
        store.link_child_institution(
            &Actor {
                role: Role::Analyst,
                ..cw1.clone()
            },
            &child.id,
            None,
            NOW
        ),
        Err(StoreError::Forbidden(_))
    ));

    // The audit log, searched newest first with filters in the query.
    let q = AuditQuery {
        actor: Some("admin".into()),
        action: Some("user.".into()),
        ..Default::default()
    };
    let page = store.search_audit(admin, &q, 2, NOW).unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(page.items[0].seq > page.items[1].seq);
    assert!(page
        .items
        .iter()
        .all(|e| e.actor == "admin" && e.action.starts_with("user.")));
    let next = page.next.clone().unwrap();
    let page2 = store
        .search_audit(
            admin,
            &AuditQuery {
                before: next.parse().ok(),
                ..q.clone()
            },
            100,
            NOW,
        )
        .unwrap();
    assert!(page2.items.iter().all(|e| e.seq < page.items[1].seq));
    let by_target = store
        .search_audit(
            admin,
            &AuditQuery {
                target: Some("user:temp".into()),
                ..Default::default()
            },
            100,
            NOW,
        )
        .unwrap();
    assert!(by_target.items.iter().any(|e| e.action == "user.disable"));
    // A literal % matches itself, not everything.
    let none = store
        .search_audit(
            admin,
            &AuditQuery {
                target: Some("%".into()),
                ..Default::default()
            },
            100,
            NOW,
        )
        .unwrap();
    assert!(none.items.is_empty());
    let window = store
        .search_audit(
            admin,
            &AuditQuery {
                from: Some(NOW),
                to: Some(NOW + 1),
                ..Default::default()
            },
            500,
            NOW,
        )
        .unwrap();
    assert!(!window.items.is_empty() && window.items.iter().all(|e| e.at == NOW));
    assert!(matches!(
        store.search_audit(sup1, &AuditQuery::default(), 10, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.check_audit(cw1, NOW),
        Err(StoreError::Forbidden(_))
    ));
    let n = store.check_audit(admin, NOW).unwrap().unwrap();
    assert!(n > 10);
    // The check is itself on the record; denials too.
    let verified = store
        .search_audit(
            admin,
            &AuditQuery {
                action: Some("audit.verify".into()),
                ..Default::default()
            },
            10,
            NOW,
        )
        .unwrap();
    assert!(verified
        .items
        .iter()
        .any(|e| e.actor == "cw1" && e.outcome == "denied"));
    assert!(verified
        .items
        .iter()
        .any(|e| e.actor == "admin" && e.outcome == "ok"));
}

/// After `run_all` on the same store: inspection findings are sealed in the
/// database, and findings written in plain text before that are sealed
/// when the store is opened, still readable through the store.
pub fn inspection_findings_at_rest(store: &crate::SqlStore) {
    let raw = |sql: &str| {
        let mut rows = Vec::new();
        store
            .backend()
            .transaction(false, &mut |c| {
                rows = c.query(sql, &[])?;
                Ok(())
            })
            .unwrap();
        rows
    };
    let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    let rows = raw("SELECT findings, findings_enc FROM inspections");
    assert!(!rows.is_empty(), "run_all recorded inspections");
    for r in &rows {
        assert_eq!(crate::sql::text(r, 0).unwrap(), "", "no plain copy");
        let sealed = crate::sql::blob(r, 1).unwrap();
        assert!(!has(&sealed, b"dormitories"), "findings are sealed");
    }

    // An inspection as stored before findings were sealed.
    let institution =
        crate::sql::text(&raw("SELECT id FROM institutions ORDER BY id")[0], 0).unwrap();
    let secret = "A girl of 12 named the night guard";
    store
        .backend()
        .transaction(true, &mut |c| {
            c.execute(
                "INSERT INTO inspections (id, institution_id, inspected_on, inspector, findings, next_due, recorded_by, recorded_at) \
                 VALUES ('old-inspection', ?, '2020-01-01', 'Old team', ?, NULL, 'admin', ?)",
                &[institution.clone().into(), secret.into(), NOW.into()],
            )?;
            Ok(())
        })
        .unwrap();
    assert_eq!(store.seal_plain_findings().unwrap(), 1);
    assert_eq!(store.seal_plain_findings().unwrap(), 0, "once");
    let old = raw("SELECT findings, findings_enc FROM inspections WHERE id = 'old-inspection'");
    assert_eq!(crate::sql::text(&old[0], 0).unwrap(), "");
    assert!(!has(
        &crate::sql::blob(&old[0], 1).unwrap(),
        secret.as_bytes()
    ));
    let sys = Actor::system();
    let token = store.create_api_token(&sys, "admin", NOW).unwrap();
    let admin = store.actor_for_token(&token).unwrap();
    let file = store.get_institution(&admin, &institution, NOW).unwrap();
    assert!(file
        .inspections
        .iter()
        .any(|i| i.id == "old-inspection" && i.findings == secret));
}
