//! Reports from the public, triage and the hotline on every backend.

use super::{child, is_field, NOW};
use crate::reports::{ChildLink, HotlineFilter, ItemAssessment, ItemStep};
use crate::{NewUser, Store, StoreError};
use haven_domain::hotline::{HotlineAction, ItemStage};
use haven_domain::report::{Decision, NewReport, PublicStatus};
use haven_domain::{Actor, Role};

pub(super) fn report(
    category: &str,
    location: Option<&str>,
) -> (haven_domain::report::ValidReport, Option<String>) {
    let r = NewReport {
        category: category.into(),
        reporter: "child".into(),
        description: "My friend is made to work at night and is scared".into(),
        contact: "call me at 555-7788".into(),
        url: if category == "abuse_material_online" {
            "http://bad.example.org/gallery/7".into()
        } else {
            String::new()
        },
        lang: "fr".into(),
        ..Default::default()
    };
    (r.validate().unwrap(), location.map(str::to_string))
}

/// A report from intake to a case, a URL report through the hotline to the
/// URL list and off it again, and every refusal on the way.
pub fn reports(
    store: &dyn Store,
    admin: &Actor,
    cw1: &Actor,
    cw2: &Actor,
    analyst: &Actor,
    monitor: &Actor,
) {
    let (r, loc) = report("child_at_risk", Some("D11"));
    let receipt = store.submit_report(&r, loc.as_deref(), NOW).unwrap();
    assert_eq!(receipt.code.len(), 19);
    assert_eq!(receipt.pin.len(), 6);
    assert!(matches!(
        store.submit_report(&r, Some("NOWHERE"), NOW),
        Err(StoreError::Invalid(_))
    ));

    // The reporter's view: code forgiving of case and spaces; wrong code or PIN look the same.
    let typed = receipt.code.to_lowercase().replace('-', " ");
    let view = store.report_status(&typed, &receipt.pin, NOW + 1).unwrap();
    assert_eq!(view.status, PublicStatus::Received);
    let wrong_pin = if receipt.pin == "000000" {
        "111111"
    } else {
        "000000"
    };
    let a = store
        .report_status(&receipt.code, wrong_pin, NOW)
        .unwrap_err();
    let b = store
        .report_status("ACDE-FGHJ-KMNP-RTWX", &receipt.pin, NOW)
        .unwrap_err();
    assert_eq!(
        format!("{a}"),
        format!("{b}"),
        "wrong PIN and wrong code give the same answer"
    );
    assert!(matches!(a, StoreError::NotFound(_)));
    store
        .add_report_info(
            &receipt.code,
            &receipt.pin,
            "He is 12 and lives near the market",
            NOW + 2,
        )
        .unwrap();
    is_field(
        store
            .add_report_info(&receipt.code, &receipt.pin, &"x".repeat(6000), NOW)
            .unwrap_err(),
        "text",
    );
    assert!(matches!(
        store.add_report_info(&receipt.code, wrong_pin, "more", NOW),
        Err(StoreError::NotFound(_))
    ));

    // A child in danger now goes to the top; a report with no place only to national staff.
    let mut urgent = NewReport {
        category: "abuse".into(),
        description: "Now".into(),
        danger_now: true,
        ..Default::default()
    };
    urgent.reporter = "other_adult".into();
    store
        .submit_report(&urgent.validate().unwrap(), None, NOW + 3)
        .unwrap();
    let queue = store
        .list_reports(analyst, &crate::reports::ReportFilter::open(), NOW + 4)
        .unwrap();
    assert_eq!(queue.len(), 2);
    assert!(queue[0].danger_now && queue[0].priority == 1, "{queue:?}");
    let mine = store
        .list_reports(cw1, &crate::reports::ReportFilter::open(), NOW + 4)
        .unwrap();
    assert_eq!(
        mine.len(),
        1,
        "the caseworker sees the report placed in her area only"
    );
    assert!(store
        .list_reports(cw2, &crate::reports::ReportFilter::open(), NOW + 4)
        .unwrap()
        .is_empty());
    assert!(matches!(
        store.list_reports(monitor, &crate::reports::ReportFilter::open(), NOW),
        Err(StoreError::Forbidden(_))
    ));
    let id = mine[0].id.clone();
    assert!(matches!(
        store.get_report(cw2, &id, NOW),
        Err(StoreError::NotFound(_))
    ));

    // Reading it shows the reporter "in review"; staff notes stay with staff.
    let file = store.get_report(cw1, &id, NOW + 5).unwrap();
    assert!(file.has_contact);
    assert!(
        !format!("{file:?}").contains("555-7788"),
        "the reporter's identity is not in the report"
    );
    assert!(matches!(
        store.report_contact(cw2, &id, NOW),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.report_contact(cw1, &id, NOW + 5).unwrap().as_deref(),
        Some("call me at 555-7788")
    );
    assert_eq!(file.lang, "fr");
    assert!(file
        .messages
        .iter()
        .any(|m| m.source == "reporter" && m.text.contains("near the market")));
    store
        .add_report_note(cw1, &id, "Called the school: confirmed absent", NOW + 6)
        .unwrap();
    let view = store
        .report_status(&receipt.code, &receipt.pin, NOW + 7)
        .unwrap();
    assert_eq!(view.status, PublicStatus::InReview);
    assert_eq!(
        view.added.len(),
        1,
        "the reporter sees only what they added"
    );
    assert!(!format!("{view:?}").contains("school"));

    // Triage into a case: a new child is registered with the duplicate check.
    is_field(
        store
            .decide_report(cw1, &id, Decision::Close, None, None, NOW)
            .unwrap_err(),
        "reason",
    );
    is_field(
        store
            .decide_report(cw1, &id, Decision::OpenCase, None, None, NOW)
            .unwrap_err(),
        "child",
    );
    assert!(matches!(
        store.decide_report(cw1, &id, Decision::Hotline, None, None, NOW),
        Err(StoreError::Invalid(_))
    ));
    store
        .create_child(cw1, &child("Kadiatou", "Barry", "2014-01-01", "D11"), NOW)
        .unwrap();
    let (file, dups) = store
        .decide_report(
            cw1,
            &id,
            Decision::OpenCase,
            Some("Child at risk, registered"),
            Some(&ChildLink::New(Box::new(child(
                "Kadiatu",
                "Bari",
                "2014-01-01",
                "D11",
            )))),
            NOW + 8,
        )
        .unwrap();
    assert_eq!(
        dups.len(),
        1,
        "the duplicate check runs on registration from a report"
    );
    let case_id = file.case_id.clone().unwrap();
    assert!(store
        .get_case(cw1, &case_id, NOW + 9)
        .unwrap()
        .events
        .iter()
        .any(|e| e.kind == "report"));
    assert_eq!(
        store
            .report_status(&receipt.code, &receipt.pin, NOW + 9)
            .unwrap()
            .status,
        PublicStatus::ActionTaken
    );
    assert!(matches!(
        store.decide_report(cw1, &id, Decision::Close, Some("dup"), None, NOW + 10),
        Err(StoreError::Conflict(_))
    ));

    // A URL report goes to the hotline, onto the URL list, and off at removal.
    let sys = Actor::system();
    store
        .create_user(
            &sys,
            &NewUser {
                name: "analyst2".into(),
                role: Role::Analyst,
                location: None,
                agency: None,
                password_hash: None,
            },
            NOW,
        )
        .unwrap();
    let analyst2 = store
        .actor_for_token(&store.create_api_token(&sys, "analyst2", NOW).unwrap())
        .unwrap();
    let (u, _) = report("abuse_material_online", None);
    store.submit_report(&u, None, NOW + 20).unwrap();
    let url_report = store
        .list_reports(analyst, &crate::reports::ReportFilter::open(), NOW + 21)
        .unwrap()
        .into_iter()
        .find(|r| r.category.as_str() == "abuse_material_online")
        .unwrap();
    let (file, _) = store
        .decide_report(
            analyst,
            &url_report.id,
            Decision::Hotline,
            None,
            None,
            NOW + 30,
        )
        .unwrap();
    let item_id = file.hotline_item_id.clone().unwrap();
    assert!(matches!(
        store.list_hotline_items(cw1, &HotlineFilter::open(), NOW),
        Err(StoreError::Forbidden(_))
    ));
    let assess = |a: &str, category: &str| ItemAssessment {
        assessment: a.into(),
        category: category.into(),
        age_band: "prepubescent".into(),
        sex: "female".into(),
        hosting_country: "nl".into(),
        hosting_provider: "Example Hosting BV".into(),
    };
    is_field(
        store
            .assess_item(analyst, &item_id, &assess("illegal", ""), NOW + 40)
            .unwrap_err(),
        "category",
    );
    is_field(
        store
            .assess_item(analyst, &item_id, &assess("dunno", "A"), NOW + 40)
            .unwrap_err(),
        "assessment",
    );
    let item = store
        .assess_item(
            analyst,
            &item_id,
            &assess("illegal", "CSAM category A"),
            NOW + 3600,
        )
        .unwrap();
    assert_eq!(item.hosting_country.as_deref(), Some("NL"));
    assert_eq!(
        store
            .check_url(analyst, "http://bad.example.org/gallery/7", NOW)
            .unwrap()
            .len(),
        1,
        "the URL is listed"
    );
    assert!(matches!(
        store.assess_item(&analyst2, &item_id, &assess("not_illegal", ""), NOW),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.confirm_item(analyst, &item_id, NOW),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .confirm_item(&analyst2, &item_id, NOW + 3700)
            .unwrap()
            .confirmed_by
            .as_deref(),
        Some("analyst2")
    );
    store
        .item_action(
            analyst,
            &item_id,
            HotlineAction::NoticeSent,
            None,
            NOW + 4000,
        )
        .unwrap();
    assert!(matches!(
        store.item_action(analyst, &item_id, HotlineAction::NoticeSent, None, NOW),
        Err(StoreError::Conflict(_))
    ));
    store
        .item_action(
            analyst,
            &item_id,
            HotlineAction::LawEnforcement,
            None,
            NOW + 4100,
        )
        .unwrap();
    is_field(
        store
            .item_action(analyst, &item_id, HotlineAction::Forwarded, None, NOW)
            .unwrap_err(),
        "detail",
    );
    store
        .item_action(
            analyst,
            &item_id,
            HotlineAction::Forwarded,
            Some("Meldpunt (NL)"),
            NOW + 4200,
        )
        .unwrap();
    let before = store.url_list_since(analyst, 0, NOW).unwrap().version;
    let gone = store
        .item_action(
            analyst,
            &item_id,
            HotlineAction::Removed,
            None,
            NOW + 2 * 86_400,
        )
        .unwrap();
    assert_eq!(gone.removed_at, Some(NOW + 2 * 86_400));
    assert!(
        store
            .check_url(analyst, "http://bad.example.org/gallery/7", NOW)
            .unwrap()
            .is_empty(),
        "off the list at removal"
    );
    assert_eq!(
        store
            .url_list_since(analyst, before, NOW)
            .unwrap()
            .removed
            .len(),
        1,
        "a tombstone tells partners"
    );

    // A second opinion is settled by another analyst.
    let other = store
        .create_hotline_item(analyst, "http://unclear.example.net/x", NOW + 50)
        .unwrap();
    store
        .assess_item(
            analyst,
            &other.id,
            &assess("needs_second_opinion", ""),
            NOW + 60,
        )
        .unwrap();
    assert!(matches!(
        store.assess_item(analyst, &other.id, &assess("not_illegal", ""), NOW),
        Err(StoreError::Conflict(_))
    ));
    let settled = store
        .assess_item(&analyst2, &other.id, &assess("not_illegal", ""), NOW + 70)
        .unwrap();
    assert_eq!(
        (
            settled.assessed_by.as_deref(),
            settled.confirmed_by.as_deref()
        ),
        (Some("analyst"), Some("analyst2"))
    );
    assert!(matches!(
        store.item_action(analyst, &other.id, HotlineAction::Removed, None, NOW),
        Err(StoreError::Conflict(_))
    ));

    // The figures come from the records.
    let f = store.hotline_figures(monitor, NOW + 3 * 86_400).unwrap();
    assert_eq!(
        (
            f.reports_received,
            f.items,
            f.assessed,
            f.illegal,
            f.removed
        ),
        (3, 2, 2, 1, 1)
    );
    assert_eq!(f.percent_illegal, Some(50.0));
    assert_eq!(f.percent_removed_within_3_days, Some(100.0));
    assert!(f.median_hours_to_removal.unwrap() > 47.0);
    assert!(matches!(
        store.hotline_figures(cw1, NOW),
        Err(StoreError::Forbidden(_))
    ));

    let audit = store.recent_audit(admin, 500, NOW).unwrap();
    for action in [
        "report.contact",
        "report.create",
        "report.status",
        "report.read",
        "report.decide",
        "hotline.assess",
        "hotline.removed",
        "urllist.remove",
    ] {
        assert!(
            audit
                .iter()
                .any(|e| e.action == action && e.outcome == "ok"),
            "{action}"
        );
    }
    assert!(audit
        .iter()
        .any(|e| e.action == "report.status" && e.outcome == "denied"));
    hotline_steps(store, admin, cw1, analyst);
    hotline_list_filters(store, analyst);
}

/// A notice and a law-enforcement referral record who they went to and
/// the reference they gave; a hosting country must be an ISO 3166-1 code.
fn hotline_steps(store: &dyn Store, admin: &Actor, cw1: &Actor, analyst: &Actor) {
    let item = store
        .create_hotline_item(analyst, "http://steps.example.org/page", NOW)
        .unwrap();
    let mut a = ItemAssessment {
        assessment: "illegal".into(),
        category: "baseline".into(),
        hosting_country: "UK".into(),
        ..Default::default()
    };
    is_field(
        store
            .assess_item(analyst, &item.id, &a, NOW + 10)
            .unwrap_err(),
        "hosting_country",
    );
    a.hosting_country = "gb".into();
    let assessed = store.assess_item(analyst, &item.id, &a, NOW + 10).unwrap();
    assert_eq!(assessed.hosting_country.as_deref(), Some("GB"));

    let step = |to: &str, reference: &str| ItemStep {
        recipient: Some(to.into()),
        reference: Some(reference.into()),
    };
    assert!(matches!(
        store.item_step(
            cw1,
            &item.id,
            HotlineAction::NoticeSent,
            &step("Host", "1"),
            NOW
        ),
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(
        store
            .get_hotline_item(analyst, &item.id, NOW)
            .unwrap()
            .notice_sent_at,
        None
    );
    is_field(
        store
            .item_step(
                analyst,
                &item.id,
                HotlineAction::NoticeSent,
                &step(&"x".repeat(121), "1"),
                NOW + 20,
            )
            .unwrap_err(),
        "recipient",
    );
    store
        .item_step(
            analyst,
            &item.id,
            HotlineAction::NoticeSent,
            &step("Example Hosting abuse desk", "TKT-4411"),
            NOW + 20,
        )
        .unwrap();
    let item = store
        .item_step(
            analyst,
            &item.id,
            HotlineAction::LawEnforcement,
            &step("National cybercrime unit", "CASE 2026/118"),
            NOW + 30,
        )
        .unwrap();
    assert_eq!(
        (
            item.notice_sent_at,
            item.notice_recipient.as_deref(),
            item.notice_reference.as_deref(),
            item.law_enforcement_at,
            item.law_enforcement_recipient.as_deref(),
            item.law_enforcement_reference.as_deref(),
        ),
        (
            Some(NOW + 20),
            Some("Example Hosting abuse desk"),
            Some("TKT-4411"),
            Some(NOW + 30),
            Some("National cybercrime unit"),
            Some("CASE 2026/118"),
        )
    );
    assert_eq!(
        store.get_hotline_item(analyst, &item.id, NOW).unwrap(),
        item,
        "kept as recorded"
    );
    let audit = store.recent_audit(admin, 50, NOW).unwrap();
    assert!(audit.iter().any(|e| e.action == "hotline.law_enforcement"
        && e.target == format!("item:{}", item.id)
        && e.detail.contains("CASE 2026/118")));
}

/// The analysts' list filtered by stage, category and hosting country, and
/// read a page at a time without losing or repeating an item.
fn hotline_list_filters(store: &dyn Store, analyst: &Actor) {
    let stage_of = |i: &crate::reports::HotlineItem| {
        ItemStage::of(
            i.assessment,
            i.notice_sent_at.is_some(),
            i.removed_at.is_some(),
        )
    };
    let mut made = Vec::new();
    for (n, country) in ["BR", "BR", "AR"].iter().enumerate() {
        let item = store
            .create_hotline_item(
                analyst,
                &format!("http://filters.example.org/{n}"),
                NOW + 500,
            )
            .unwrap();
        let a = ItemAssessment {
            assessment: "illegal".into(),
            category: "filter-test".into(),
            hosting_country: (*country).into(),
            ..Default::default()
        };
        store.assess_item(analyst, &item.id, &a, NOW + 510).unwrap();
        made.push(item.id);
    }
    store
        .item_action(
            analyst,
            &made[0],
            HotlineAction::NoticeSent,
            None,
            NOW + 520,
        )
        .unwrap();
    let fresh = store
        .create_hotline_item(analyst, "http://filters.example.org/new", NOW + 530)
        .unwrap();
    let list = |f: HotlineFilter| -> Vec<String> {
        store
            .list_hotline_items(analyst, &f, NOW + 600)
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect()
    };
    let brazil = list(HotlineFilter {
        country: Some("br".into()),
        ..HotlineFilter::default()
    });
    assert_eq!(brazil.len(), 2, "two hosted in Brazil");
    assert!(brazil.contains(&made[0]) && brazil.contains(&made[1]));
    let category = list(HotlineFilter {
        category: Some("filter-test".into()),
        ..HotlineFilter::default()
    });
    assert_eq!(category.len(), 3);
    let waiting = list(HotlineFilter {
        category: Some("filter-test".into()),
        stage: Some(ItemStage::WaitingRemoval),
        ..HotlineFilter::default()
    });
    assert_eq!(waiting, vec![made[0].clone()], "notified and still online");
    let send = list(HotlineFilter {
        category: Some("filter-test".into()),
        stage: Some(ItemStage::SendNotice),
        ..HotlineFilter::default()
    });
    assert_eq!(send.len(), 2);
    for stage in ItemStage::ALL {
        let items = store
            .list_hotline_items(
                analyst,
                &HotlineFilter {
                    stage: Some(*stage),
                    ..HotlineFilter::default()
                },
                NOW + 600,
            )
            .unwrap();
        assert!(items.iter().all(|i| stage_of(i) == *stage), "{stage:?}");
        if *stage == ItemStage::ToAssess {
            assert!(items.iter().any(|i| i.id == fresh.id));
        }
    }
    let open = store
        .list_hotline_items(analyst, &HotlineFilter::open(), NOW + 600)
        .unwrap();
    assert!(open.iter().all(|i| stage_of(i).is_open()));
    // Pages of two: every item once, in the order of the whole list.
    let whole = list(HotlineFilter::default());
    assert!(whole.len() > 4);
    let mut paged = Vec::new();
    loop {
        let page = list(HotlineFilter {
            offset: paged.len(),
            limit: 2,
            ..HotlineFilter::default()
        });
        let last = page.len() < 2;
        paged.extend(page);
        if last {
            break;
        }
    }
    assert_eq!(paged, whole);
}

/// On a store given a read replica: the hotline's figures are computed on
/// the replica, while reports are taken and read on the primary. The
/// caller's replica is a database whose figures differ from the primary's
/// (empty, or a standby); `on_replica` is the number of reports it holds
/// once this one is taken.
pub fn aggregates_come_from_the_read_replica(store: &dyn Store, monitor: &Actor, on_replica: u64) {
    let (r, loc) = report("child_at_risk", Some("D11"));
    let receipt = store.submit_report(&r, loc.as_deref(), NOW).unwrap();
    store
        .report_status(&receipt.code, &receipt.pin, NOW)
        .unwrap();
    let f = store.hotline_figures(monitor, NOW).unwrap();
    assert_eq!(f.reports_received, on_replica);
}
