//! Demonstration reports and hotline work: public reports over the past
//! two months, triaged or waiting, and older ones over four years, all
//! dealt with, and reported addresses assessed, taken
//! down and removed at realistic speeds, so the queue and the published
//! figures are not empty. Synthetic only; the addresses are reserved
//! example domains.

use anyhow::Result;
use haven_domain::hotline::HotlineAction;
use haven_domain::report::{Decision, NewReport};
use haven_domain::synthetic::Rng;
use haven_domain::{Actor, Role};
use haven_store::reports::ItemAssessment;
use haven_store::{SqlStore, Store};

const DAY: i64 = 86_400;
/// Reports in the demo, of which the first are recent.
const REPORTS: usize = 150;
const RECENT_REPORTS: usize = 30;

const STORIES: &[(&str, &str)] = &[
    (
        "child_at_risk",
        "A boy of 10 sleeps at the bus station and older men give him money.",
    ),
    (
        "abuse",
        "The girl next door has bruises and is afraid to go home.",
    ),
    (
        "sexual_exploitation",
        "Girls from the school are taken to a hotel at night by a driver.",
    ),
    (
        "sale_or_trafficking",
        "A woman offers jobs in the city to girls of 14 and their families get money.",
    ),
    (
        "child_marriage",
        "My classmate is 13 and her father says she will marry next month.",
    ),
    (
        "illegal_adoption",
        "A baby from the clinic was given to a foreign couple without papers.",
    ),
    (
        "grooming_online",
        "Someone on a game asks my little brother for photos and says he will tell his parents.",
    ),
];

/// Loads reports and hotline items once.
pub fn load(store: &SqlStore, now: i64) -> Result<()> {
    let analyst = Actor {
        user_id: "analyst".into(),
        name: "analyst".into(),
        role: Role::Analyst,
        scope_path: None,
        agency: None,
    };
    if !store
        .list_reports(
            &analyst,
            &haven_store::reports::ReportFilter::default(),
            now,
        )?
        .is_empty()
    {
        return Ok(());
    }
    let mut rng = Rng::new(116_111);
    let districts = haven_domain::synthetic::district_codes();
    let mut reports = 0;
    for i in 0..REPORTS {
        // The first ones over the past two months (the queue), the rest
        // over the years before (the trend).
        let days_ago = if i < RECENT_REPORTS {
            1 + rng.below(60)
        } else {
            61 + rng.below(4 * 365 - 61)
        };
        let at = now - days_ago as i64 * DAY - rng.below(DAY as usize) as i64;
        let online = i % 3 == 0;
        let (category, description) = if online {
            (
                "abuse_material_online",
                "Sexual pictures of a young girl on this site.",
            )
        } else {
            *rng.pick(STORIES)
        };
        let reporter = rng
            .pick(&[
                "child",
                "friend",
                "parent",
                "professional",
                "other_adult",
                "anonymous",
            ])
            .to_string();
        // Some reporters leave a way to reach them (synthetic numbers).
        let contact = if reporter != "anonymous" && rng.chance(0.5) {
            format!("phone 555-01{:02}", rng.below(100))
        } else {
            String::new()
        };
        let report = NewReport {
            category: category.into(),
            reporter,
            contact,
            description: description.into(),
            url: if online {
                format!("https://gallery{i}.example.net/view/{}", rng.below(9000))
            } else {
                String::new()
            },
            location: if online {
                String::new()
            } else {
                rng.pick(&districts).clone()
            },
            danger_now: !online && rng.chance(0.1),
            lang: rng.pick(&["en", "fr", "es"]).to_string(),
            ..Default::default()
        }
        .validate()
        .map_err(|e| anyhow::anyhow!("demo report: {e}"))?;
        store.submit_report(&report, report.location.as_deref(), at)?;
        reports += 1;
    }
    // The analyst triages the older reports; the newest wait in the queue.
    let queue = store.list_reports(&analyst, &haven_store::reports::ReportFilter::open(), now)?;
    for r in queue.iter().filter(|r| r.received_at < now - 5 * DAY) {
        let at = r.received_at + (1 + rng.below(20)) as i64 * 3600;
        match r.category.as_str() {
            "abuse_material_online" => {
                let (file, _) =
                    store.decide_report(&analyst, &r.id, Decision::Hotline, None, None, at)?;
                if let Some(item) = file.hotline_item_id {
                    hotline_work(store, &analyst, &item, at, now, &mut rng)?;
                }
            }
            "sale_or_trafficking" | "sexual_exploitation" => {
                store.decide_report(
                    &analyst,
                    &r.id,
                    Decision::Police,
                    Some("Anti-trafficking unit informed"),
                    None,
                    at,
                )?;
            }
            // Older reports have all been dealt with by now.
            _ if rng.chance(0.2) || r.received_at < now - 60 * DAY => {
                store.decide_report(
                    &analyst,
                    &r.id,
                    Decision::Close,
                    Some("Not enough information to act; no contact given"),
                    None,
                    at,
                )?;
            }
            _ => {}
        }
    }
    tracing::info!("loaded {reports} reports");
    Ok(())
}

/// Assessment, notice and removal at the speed hotlines see: most illegal
/// material gone within three days, some later, some still up.
fn hotline_work(
    store: &SqlStore,
    analyst: &Actor,
    item: &str,
    at: i64,
    now: i64,
    rng: &mut Rng,
) -> Result<()> {
    let illegal = rng.chance(0.8);
    let assessment = ItemAssessment {
        assessment: if illegal { "illegal" } else { "not_illegal" }.into(),
        category: if illegal {
            "CSAM".into()
        } else {
            String::new()
        },
        age_band: rng
            .pick(&["prepubescent", "pubescent", "unknown"])
            .to_string(),
        sex: rng.pick(&["female", "male", "unknown"]).to_string(),
        hosting_country: rng.pick(&["NL", "US", "DE", "FR"]).to_string(),
        hosting_provider: "Example Hosting".into(),
    };
    store.assess_item(analyst, item, &assessment, at + 1800)?;
    if !illegal {
        return Ok(());
    }
    store.item_action(analyst, item, HotlineAction::NoticeSent, None, at + 3600)?;
    store.item_action(
        analyst,
        item,
        HotlineAction::LawEnforcement,
        None,
        at + 4000,
    )?;
    let removed = at + (6 + rng.below(120)) as i64 * 3600;
    if removed < now && rng.chance(0.85) {
        store.item_action(analyst, item, HotlineAction::Removed, None, removed)?;
    }
    Ok(())
}
