//! The second factor on every backend: enrolment, the code after the
//! password, a code never accepted twice, recovery codes used once, a role
//! that requires it, and a session that owes it reaching nothing.

use super::NOW;
use crate::{SecondFactorStep, Store, StoreError};
use haven_domain::second_factor::{code_at, secret_from_text, step_of};
use haven_domain::{Actor, Role};

const PASSWORD: &str = "a long test password";

pub fn second_factor(store: &dyn Store, admin: &Actor, cw1: &Actor, sup1: &Actor) {
    // Setting up: the secret once, confirmed with a code from the app.
    let status = store.second_factor_status(cw1).unwrap();
    assert!(!status.enrolled && !status.required);
    let enrolment = store.begin_second_factor(cw1, NOW).unwrap();
    assert!(enrolment
        .otpauth_uri
        .starts_with("otpauth://totp/Haven:cw1?secret="));
    let secret = secret_from_text(&enrolment.secret_text).unwrap();
    // The set-up can be shown again until it is finished, to its owner.
    let again = store.unfinished_second_factor(cw1).unwrap().unwrap();
    assert_eq!(again.secret_text, enrolment.secret_text);
    assert!(store.unfinished_second_factor(sup1).unwrap().is_none());
    let code = |at: i64| code_at(&secret, step_of(at)).unwrap();
    let wrong = if code(NOW) == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert!(matches!(
        store.confirm_second_factor(cw1, wrong, NOW),
        Err(StoreError::Invalid(_))
    ));
    let recovery = store.confirm_second_factor(cw1, &code(NOW), NOW).unwrap();
    assert_eq!(recovery.len(), 10);
    let status = store.second_factor_status(cw1).unwrap();
    assert!(status.enrolled && status.recovery_codes_left == 10);

    // The password alone opens a session that reaches nothing.
    let s = store.sign_in("cw1", PASSWORD, NOW + 60).unwrap();
    assert_eq!(s.second_factor, SecondFactorStep::Code);
    assert!(matches!(
        store.session(&s.token, NOW + 61),
        Err(StoreError::Unauthenticated)
    ));
    assert_eq!(
        store
            .pending_session(&s.token, NOW + 61)
            .unwrap()
            .second_factor,
        SecondFactorStep::Code
    );
    // The code used to set up is not accepted again; a wrong one is audited.
    assert!(store
        .complete_second_factor(&s.token, &code(NOW), NOW + 61)
        .is_err());
    assert!(store
        .complete_second_factor(&s.token, "12345x", NOW + 62)
        .is_err());
    let done = store
        .complete_second_factor(&s.token, &code(NOW + 90), NOW + 90)
        .unwrap();
    assert_eq!(done.second_factor, SecondFactorStep::None);
    assert_eq!(store.session(&s.token, NOW + 91).unwrap().actor.name, "cw1");
    // Another sign-in in the same 30 seconds cannot reuse that code.
    let s2 = store.sign_in("cw1", PASSWORD, NOW + 92).unwrap();
    assert!(store
        .complete_second_factor(&s2.token, &code(NOW + 90), NOW + 92)
        .is_err());

    // A recovery code, typed carelessly, works once.
    let typed = recovery[0].to_lowercase().replace('-', " ");
    store
        .complete_second_factor(&s2.token, &typed, NOW + 93)
        .unwrap();
    let s3 = store.sign_in("cw1", PASSWORD, NOW + 94).unwrap();
    assert!(store
        .complete_second_factor(&s3.token, &recovery[0], NOW + 95)
        .is_err());
    assert_eq!(
        store.second_factor_status(cw1).unwrap().recovery_codes_left,
        9
    );
    // Setting up again needs the old one removed first.
    assert!(matches!(
        store.begin_second_factor(cw1, NOW + 96),
        Err(StoreError::Conflict(_))
    ));

    // A role that requires it: a supervisor without one must enrol first.
    assert!(matches!(
        store.require_second_factor(cw1, Role::Supervisor, true, NOW),
        Err(StoreError::Forbidden(_))
    ));
    assert!(store
        .require_second_factor(admin, Role::Partner, true, NOW)
        .is_err());
    store
        .require_second_factor(admin, Role::Supervisor, true, NOW)
        .unwrap();
    assert_eq!(store.second_factor_roles().unwrap(), vec![Role::Supervisor]);
    let s = store.sign_in("sup1", PASSWORD, NOW + 100).unwrap();
    assert_eq!(s.second_factor, SecondFactorStep::Enrol);
    assert!(store.session(&s.token, NOW + 101).is_err());
    let pending = store.pending_session(&s.token, NOW + 101).unwrap();
    let e = store
        .begin_second_factor(&pending.actor, NOW + 101)
        .unwrap();
    let secret = secret_from_text(&e.secret_text).unwrap();
    store
        .confirm_second_factor(
            sup1,
            &code_at(&secret, step_of(NOW + 102)).unwrap(),
            NOW + 102,
        )
        .unwrap();
    assert_eq!(
        store.session(&s.token, NOW + 103).unwrap().actor.name,
        "sup1"
    );
    store
        .require_second_factor(admin, Role::Supervisor, false, NOW + 104)
        .unwrap();

    // A lost phone: an administrator removes it (a caseworker may not for
    // someone else); the password alone is enough again.
    assert!(matches!(
        store.remove_second_factor(cw1, "sup1", NOW + 105),
        Err(StoreError::Forbidden(_))
    ));
    store.remove_second_factor(admin, "cw1", NOW + 105).unwrap();
    let s = store.sign_in("cw1", PASSWORD, NOW + 106).unwrap();
    assert_eq!(s.second_factor, SecondFactorStep::None);
    store.remove_second_factor(sup1, "sup1", NOW + 107).unwrap();

    let log = store.recent_audit(admin, 500, NOW + 108).unwrap();
    for action in [
        "second_factor.confirm",
        "second_factor",
        "second_factor.remove",
        "second_factor.require",
    ] {
        assert!(
            log.iter().any(|e| e.action == action),
            "{action} not audited"
        );
    }
    assert!(log
        .iter()
        .any(|e| e.action == "second_factor" && e.outcome == "failed"));
}
