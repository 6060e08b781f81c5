//! Realistic synthetic data for demonstrations and benchmarks. Never real
//! people: names are drawn from lists, places are invented.

use crate::child::NewChild;
use crate::date::Date;
use crate::household::{NewCaregiver, NewHousehold};
use crate::institution::InstitutionKind;
use crate::location::{Location, LocationLevel};

/// A small deterministic generator (xorshift64*), injected so data can be
/// reproduced from a seed.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by a fixed constant).
    pub fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x2545_f491_4f6c_dd1d
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One item of a slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const GIVEN_F: &[&str] = &[
    "Amina", "Fatou", "Mariama", "Aissatou", "Hawa", "Kadiatou", "Awa", "Binta", "Isatou",
    "Ramatou", "Grace", "Esther", "Ruth", "Mercy", "Joy", "Blessing", "Zainab", "Salimata", "Nafi",
    "Adama", "Sofia", "Lucia",
];
const GIVEN_M: &[&str] = &[
    "Moussa",
    "Ibrahima",
    "Mamadou",
    "Ousmane",
    "Abdoulaye",
    "Lamine",
    "Sekou",
    "Alpha",
    "Bakary",
    "Samuel",
    "Daniel",
    "Joseph",
    "Emmanuel",
    "Yusuf",
    "Idrissa",
    "Modou",
    "Pedro",
    "Mateo",
    "Kofi",
    "Kwame",
];
const FAMILY: &[&str] = &[
    "Diallo", "Bah", "Barry", "Sow", "Camara", "Keita", "Traore", "Kamara", "Conteh", "Sesay",
    "Koroma", "Bangura", "Jalloh", "Turay", "Mansaray", "Kargbo", "Fofana", "Cisse", "Toure",
    "Ndiaye", "Mendy", "Gomez", "Mensah",
];
const RELATIONSHIPS: &[&str] = &[
    "mother",
    "father",
    "grandmother",
    "aunt",
    "uncle",
    "older sibling",
];
const MINORITIES: &[&str] = &["Fula", "Kru", "Vai", "Limba"];
const REGIONS: &[(&str, &str)] = &[
    ("NR", "Northern Region"),
    ("ER", "Eastern Region"),
    ("SR", "Southern Region"),
    ("WA", "Western Area"),
];
const DISTRICTS: &[&str] = &[
    "Riverside",
    "Hilltop",
    "Lakeshore",
    "Market Town",
    "Palm Grove",
    "Old Mine",
    "Border Post",
    "Fishing Bay",
    "Savanna",
    "Crossroads",
    "Harbour",
    "Green Valley",
];

/// The demo country: one country, four regions, twelve districts.
pub fn locations() -> Vec<Location> {
    let mut out = vec![Location {
        code: "HV".into(),
        name: "Havenland".into(),
        parent: None,
        level: LocationLevel::Country,
    }];
    for (i, (code, name)) in REGIONS.iter().enumerate() {
        out.push(Location {
            code: format!("HV-{code}"),
            name: (*name).into(),
            parent: Some("HV".into()),
            level: LocationLevel::Region,
        });
        for d in 0..3 {
            out.push(Location {
                code: format!("HV-{code}-{:02}", d + 1),
                name: DISTRICTS[i * 3 + d].into(),
                parent: Some(format!("HV-{code}")),
                level: LocationLevel::District,
            });
        }
    }
    out
}

/// District codes of [`locations`].
pub fn district_codes() -> Vec<String> {
    locations()
        .into_iter()
        .filter(|l| l.level == LocationLevel::District)
        .map(|l| l.code)
        .collect()
}

/// A household with one or two caregivers and 1-4 children in it.
pub struct SyntheticFamily {
    /// The household.
    pub household: NewHousehold,
    /// Its children (`household_id` is filled in by whoever stores them).
    pub children: Vec<NewChild>,
}

/// One synthetic family in a district, with realistic spreads of
/// circumstances (birth registration gaps, school drop-out, child labour).
pub fn family(rng: &mut Rng, district: &str, today: Date) -> SyntheticFamily {
    let family_name = *rng.pick(FAMILY);
    let mut caregivers = vec![NewCaregiver {
        given_name: rng.pick(GIVEN_F).to_string(),
        family_name: family_name.into(),
        relationship: rng.pick(RELATIONSHIPS).to_string(),
        contact: format!("+999 {:03} {:04}", rng.below(1000), rng.below(10_000)),
    }];
    if rng.chance(0.5) {
        caregivers.push(NewCaregiver {
            given_name: rng.pick(GIVEN_M).to_string(),
            family_name: family_name.into(),
            relationship: "father".into(),
            contact: String::new(),
        });
    }
    let household = NewHousehold {
        location: district.into(),
        address: format!(
            "{} compound, near the {}",
            family_name,
            rng.pick(&["market", "mosque", "church", "school", "well"])
        ),
        caregivers,
    };
    let n = 1 + rng.below(4);
    let children = (0..n)
        .map(|_| child(rng, district, family_name, today))
        .collect();
    SyntheticFamily {
        household,
        children,
    }
}

/// One synthetic child.
pub fn child(rng: &mut Rng, district: &str, family_name: &str, today: Date) -> NewChild {
    let female = rng.chance(0.5);
    let age = rng.below(18) as i32;
    let estimated = rng.chance(0.15);
    let dob = Date::from_unix(
        (today.years_before(age).days_since_epoch() - rng.below(365) as i64) * 86_400,
    );
    let dob = if dob.age_on(today) > 17 {
        today.years_before(17)
    } else {
        dob
    };
    let living = match rng.below(100) {
        0..=79 => "family",
        80..=89 => "kinship_care",
        90..=93 => "institution",
        94..=96 => "street",
        97..=98 => "unaccompanied_migrant",
        _ => "child_headed_household",
    };
    NewChild {
        given_name: rng.pick(if female { GIVEN_F } else { GIVEN_M }).to_string(),
        family_name: family_name.into(),
        sex: if female { "female" } else { "male" }.into(),
        date_of_birth: (!estimated).then(|| dob.to_string()),
        estimated_age: estimated.then_some(age as i64),
        location: district.into(),
        birth_registration: Some(
            match rng.below(10) {
                0..=5 => "registered",
                6..=8 => "not_registered",
                _ => "unknown",
            }
            .into(),
        ),
        disability: rng.chance(0.05),
        minority_group: rng.chance(0.12).then(|| rng.pick(MINORITIES).to_string()),
        living_situation: Some(living.into()),
        in_school: age >= 6 && rng.chance(0.75),
        child_labour: age >= 8 && rng.chance(0.1),
        household_id: None,
    }
}

/// A named institution for the demo.
pub fn institutions(rng: &mut Rng) -> Vec<(InstitutionKind, String, String, bool, bool)> {
    let districts = district_codes();
    let mut out = Vec::new();
    for (i, d) in districts.iter().enumerate() {
        out.push((
            InstitutionKind::School,
            format!("{} Primary School", DISTRICTS[i]),
            d.clone(),
            true,
            true,
        ));
        if i % 3 == 0 {
            let registered = rng.chance(0.7);
            out.push((
                InstitutionKind::CareInstitution,
                format!("{} Children's Home", DISTRICTS[i]),
                d.clone(),
                registered,
                registered && rng.chance(0.6),
            ));
        }
    }
    out
}
