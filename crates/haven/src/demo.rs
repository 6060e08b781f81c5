//! Demonstration data: a country, one user per role, families with
//! children, institutions. Synthetic only.

use anyhow::Result;
use haven_domain::synthetic::{self, Rng};
use haven_domain::{Actor, Date, Institution, NewFamily, Role};

/// Families registered per transaction: one commit (one disk flush) per
/// few thousand children instead of one per family.
const FAMILIES_PER_COMMIT: usize = 5_000;
/// Threads registering batches at once.
const WRITERS: usize = 2;
use haven_store::{NewUser, SqlStore, Store};

/// The demo users and their password (printed at start; demo data only).
pub const DEMO_PASSWORD: &str = "haven-demo-2026";
/// (name, role, area, agency)
const DEMO_USERS: &[(&str, Role, Option<&str>, Option<&str>)] = &[
    ("admin", Role::Admin, None, None),
    ("supervisor", Role::Supervisor, Some("HV-NR"), None),
    ("caseworker", Role::Caseworker, Some("HV-NR"), None),
    ("health", Role::Caseworker, Some("HV-NR"), Some("HEALTH")),
    ("analyst", Role::Analyst, None, None),
    ("monitor", Role::Monitor, None, None),
    ("platform", Role::Partner, None, None),
    ("liaison", Role::Liaison, None, None),
];

/// Loads locations, users, institutions and `children` children.
pub fn load(store: &SqlStore, children: usize, now: i64) -> Result<()> {
    let sys = Actor::system();
    if store.is_empty()? {
        for l in synthetic::locations() {
            store.create_location(&sys, &l, now)?;
        }
        let hash = haven_store::password::hash_password(DEMO_PASSWORD)?;
        for (name, role, location, agency) in DEMO_USERS {
            store.create_user(
                &sys,
                &NewUser {
                    name: (*name).into(),
                    role: *role,
                    location: location.map(Into::into),
                    agency: agency.map(Into::into),
                    password_hash: Some(hash.clone()),
                },
                now,
            )?;
        }
        let mut rng = Rng::new(7);
        for (kind, name, location, registered, monitored) in synthetic::institutions(&mut rng) {
            let last_inspection =
                monitored.then(|| Date::from_unix(now - rng.below(400) as i64 * 86_400));
            store.create_institution(
                &sys,
                &Institution {
                    id: String::new(),
                    kind,
                    name,
                    location,
                    registered,
                    monitored,
                    last_inspection,
                },
                now,
            )?;
        }
    }
    let districts = synthetic::district_codes();
    let mut rng = Rng::new(now as u64);
    let mut made = 0;
    let mut batch = Vec::with_capacity(FAMILIES_PER_COMMIT);
    // Children registered long enough ago to have a finished history
    // (`demo_history`), drawn as they are registered: across every year
    // and district, whatever the size of the load.
    let mut with_history = Vec::new();
    let old_enough = now - crate::demo_history::LONGEST_STORY_DAYS * 86_400;
    let progress = Progress::new(children);
    // Two writers: while one batch is written (one writer at a time), the
    // other's rows are built (sealed names, search tokens), so the
    // database is kept busy.
    let (to_writers, batches) = std::sync::mpsc::sync_channel::<Vec<NewFamily>>(1);
    let batches = std::sync::Mutex::new(batches);
    std::thread::scope(|s| -> Result<()> {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                s.spawn(|| -> Result<()> {
                    loop {
                        let next = match batches.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return Ok(()),
                        };
                        let Ok(batch) = next else {
                            return Ok(());
                        };
                        let n = store.register_families(&sys, &batch, now)?;
                        progress.add(n);
                    }
                })
            })
            .collect();
        while made < children {
            let district = rng.pick(&districts).clone();
            // Spread registrations over this year and the three before it, so
            // that the monitoring officer's trends have years to compare.
            let when = now - rng.below(4 * 365 * 86_400) as i64;
            let mut family = synthetic::family(&mut rng, &district, Date::from_unix(when));
            family.children.truncate(children - made);
            made += family.children.len();
            if when < old_enough
                && with_history.len() < crate::demo_history::CHILDREN
                && rng.chance(0.35)
            {
                let (_, registered) =
                    store.register_family(&sys, &family.household, &family.children, when)?;
                progress.add(registered.len());
                with_history.extend(registered);
            } else {
                batch.push(NewFamily {
                    household: family.household,
                    children: family.children,
                    registered_at: when,
                });
            }
            if !batch.is_empty()
                && (batch.len() == FAMILIES_PER_COMMIT || made == children)
                && to_writers.send(std::mem::take(&mut batch)).is_err()
            {
                break; // both writers stopped: their error is below
            }
        }
        drop(to_writers);
        for w in writers {
            w.join()
                .map_err(|_| anyhow::anyhow!("a demo writer thread failed"))??;
        }
        Ok(())
    })?;
    tracing::info!("loaded {made} synthetic children");
    // The server started next plans its queries on these rows at once.
    store.backend().refresh_statistics()?;
    populations(store, &districts, now)?;
    crate::demo_casework::load(store, &with_history, now)?;
    crate::demo_reports::load(store, now)
}

/// Prints who can sign in to the demo.
/// Child population figures for every district, by sex and age band, for
/// this year and the four before it (a few per cent more children each
/// year), so that rates per 100,000 children have a denominator.
fn populations(store: &SqlStore, districts: &[String], now: i64) -> Result<()> {
    let this_year = Date::from_unix(now).year();
    let mut rng = Rng::new(1_000);
    let mut rows = Vec::new();
    for district in districts {
        let base = 4_000 + rng.below(9_000) as i64;
        for (sex, share) in [
            (haven_domain::Sex::Female, 49),
            (haven_domain::Sex::Male, 51),
        ] {
            for (band, years) in [("0_4", 5), ("5_11", 7), ("12_14", 3), ("15_17", 3)] {
                for back in 0..5 {
                    let grown = base * (100 - 2 * back as i64) / 100;
                    rows.push(haven_domain::indicators::population::PopulationRow {
                        line: rows.len() + 1,
                        location: district.clone(),
                        year: this_year - back,
                        sex,
                        age_band: band,
                        count: grown * share / 100 * years / 18,
                    });
                }
            }
        }
    }
    store.import_populations(&Actor::system(), &rows, now)?;
    Ok(())
}

pub fn print_credentials(seeded: bool) {
    println!(
        "{} demo data. Sign in with one of these users, password {DEMO_PASSWORD:?}:",
        if seeded { "Created" } else { "Using existing" }
    );
    for (name, role, location, agency) in DEMO_USERS {
        println!(
            "  {name:<11} {role}{}{}",
            location.map(|l| format!(" (area {l})")).unwrap_or_default(),
            agency
                .map(|a| format!(", agency {a}: answers its referrals"))
                .unwrap_or_default()
        );
    }
}

/// Large loads take minutes: says how far they are, every twentieth.
struct Progress {
    children: usize,
    started: std::time::Instant,
    /// Children registered, and when it was last said.
    done: std::sync::Mutex<(usize, usize)>,
}

impl Progress {
    fn new(children: usize) -> Progress {
        Progress {
            children,
            started: std::time::Instant::now(),
            done: std::sync::Mutex::new((0, 0)),
        }
    }

    fn add(&self, n: usize) {
        let Ok(mut done) = self.done.lock() else {
            return;
        };
        done.0 += n;
        let (made, said) = *done;
        if self.children >= 10_000 && (made - said >= self.children / 20 || made == self.children) {
            done.1 = made;
            eprintln!(
                "registered {made} of {} children ({:.0} s)",
                self.children,
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}
