//! Names in many scripts: search finds them, the duplicate check flags the
//! same child written in another script or another Unicode form, and a
//! database whose name tokens were made by an older Haven is re-indexed when
//! it is opened.

use super::{child, seed, NOW};
use crate::sql::{int, Value};
use crate::{SqlStore, Store};
use haven_domain::duplicates::TOKEN_SCHEME;
use haven_domain::{Actor, Child};

/// `Zoë Ñúñez` composed (NFC).
const ZOE_NFC: (&str, &str) = ("Zo\u{00EB}", "\u{00D1}\u{00FA}\u{00F1}ez");
/// `Zoë Ñúñez` decomposed (NFD): the same name as a different keyboard sends it.
const ZOE_NFD: (&str, &str) = ("Zoe\u{0308}", "N\u{0303}u\u{0301}n\u{0303}ez");

/// (given name, family name, date of birth, district) in seven scripts.
const CHILDREN: [(&str, &str, &str, &str); 7] = [
    (ZOE_NFC.0, ZOE_NFC.1, "2015-04-04", "D11"),
    ("Фатима", "Диалло", "2016-01-10", "D11"),
    ("Γιώργος", "Παπαδόπουλος", "2013-05-05", "D12"),
    ("عائشة", "كمارا", "2012-07-07", "D11"),
    ("प्रिया", "शर्मा", "2011-08-08", "D12"),
    ("小明", "王", "2017-09-09", "D11"),
    ("민준", "김", "2018-10-10", "D12"),
];

fn search(store: &dyn Store, actor: &Actor, q: &str) -> Vec<Child> {
    super::search_by_name(store, actor, q)
}

fn register(store: &dyn Store, cw: &Actor) -> Vec<Child> {
    CHILDREN
        .iter()
        .map(|(given, family, dob, place)| {
            store
                .create_child(cw, &child(given, family, dob, place), NOW)
                .unwrap()
                .0
        })
        .collect()
}

/// Each child is found by its name as written (first, ahead of any
/// phonetic neighbour), by its family name alone, and never outside scope.
fn each_is_found(store: &dyn Store, cw1: &Actor, cw2: &Actor, kids: &[Child]) {
    for kid in kids {
        let name = kid.full_name();
        let found = search(store, cw1, &name);
        assert_eq!(
            found.first().map(|c| &c.id),
            Some(&kid.id),
            "{name} is found first by its own name: {found:?}"
        );
        assert!(
            search(store, cw1, &kid.family_name)
                .iter()
                .any(|c| c.id == kid.id),
            "{name} is found by its family name"
        );
        assert!(
            search(store, cw2, &name).is_empty(),
            "{name}: search never leaks across scope"
        );
    }
}

/// Registers children named in seven scripts (run by `run_all`): search
/// finds each in its own script, through transliteration and in another
/// Unicode form, and the duplicate check flags the same child written in
/// another script or form.
pub(super) fn names_in_every_script(store: &dyn Store, cw1: &Actor, cw2: &Actor) {
    let kids = register(store, cw1);
    each_is_found(store, cw1, cw2, &kids);
    let [zoe, fatima, giorgos, aisha, priya, xiaoming, minjun] =
        [0, 1, 2, 3, 4, 5, 6].map(|i| &kids[i]);
    let finds = |q: &str, kid: &Child| search(store, cw1, q).iter().any(|c| c.id == kid.id);

    // Another Unicode form, another script, a part of the name.
    assert!(
        finds(&format!("{} {}", ZOE_NFD.0, ZOE_NFD.1), zoe),
        "NFD finds NFC"
    );
    assert!(finds("zoe nunez", zoe));
    assert!(finds("Fatima Diallo", fatima), "Latin finds Cyrillic");
    assert!(finds("Giorgos Papadopoulos", giorgos), "Latin finds Greek");
    assert!(finds("Aisha Kamara", aisha), "Latin finds Arabic");
    assert!(finds("Priya Sharma", priya), "Latin finds Devanagari");
    assert!(finds("王小明", xiaoming), "Han written together finds Han");
    assert!(finds("小明", xiaoming), "the given name alone");
    assert!(finds("김민준", minjun));
    assert!(
        !finds("李娜", xiaoming),
        "another Chinese name is not shown"
    );
    assert!(!finds("Fatou Sow", fatima));

    // The duplicate check, when the same child is registered again written
    // otherwise: in Latin letters, or decomposed.
    for (given, family, dob, place, of, reason) in [
        (
            "Fatima",
            "Diallo",
            "2016-02-01",
            "D12",
            fatima,
            "same name when transliterated",
        ),
        (ZOE_NFD.0, ZOE_NFD.1, "2015-04-04", "D12", zoe, "same name"),
        (
            "Giorgos",
            "Papadopoulos",
            "2013-05-05",
            "D11",
            giorgos,
            "similar name",
        ),
        (
            "Aisha",
            "Kamara",
            "2012-07-07",
            "D12",
            aisha,
            "similar name",
        ),
        ("王", "小明", "2017-09-09", "D11", xiaoming, "same name"),
    ] {
        let (again, dups) = store
            .create_child(cw1, &child(given, family, dob, place), NOW + 1)
            .unwrap();
        let dup = dups
            .iter()
            .find(|d| d.child.id == of.id)
            .unwrap_or_else(|| {
                panic!(
                    "{given} {family} is flagged as {}: {dups:?}",
                    of.full_name()
                )
            });
        assert!(
            dup.reasons[0].starts_with(reason),
            "{given} {family}: {:?}",
            dup.reasons
        );
        assert!(
            store
                .possible_duplicates(cw1, &of.id, NOW)
                .unwrap()
                .iter()
                .any(|d| d.child.id == again.id),
            "and the other way round"
        );
    }
    // Distinct names in other scripts are not flagged.
    let (_, dups) = store
        .create_child(cw1, &child("Фатима", "Соу", "2016-01-10", "D11"), NOW + 2)
        .unwrap();
    assert!(
        dups.iter().all(|d| d.child.id != fatima.id),
        "another family name is another child: {dups:?}"
    );
}

/// The state of a database written before [`TOKEN_SCHEME`]: no current
/// name tokens, a stale one, and the old version recorded.
fn make_tokens_old(store: &SqlStore, stale_for: &str) {
    store
        .backend()
        .transaction(true, &mut |c| {
            c.execute("DELETE FROM child_tokens", &[])?;
            c.execute(
                "INSERT INTO child_tokens (token, child_id) VALUES (?, ?)",
                &[Value::Blob(b"stale token v1!!".to_vec()), stale_for.into()],
            )?;
            c.execute(
                "UPDATE index_versions SET version = 1, updated_at = 0 WHERE name = 'child_tokens'",
                &[],
            )?;
            Ok(())
        })
        .unwrap();
}

fn count(store: &SqlStore, sql: &str) -> i64 {
    let mut n = 0;
    store
        .backend()
        .transaction(false, &mut |c| {
            n = int(&c.query(sql, &[])?[0], 0)?;
            Ok(())
        })
        .unwrap();
    n
}

fn reindexed(store: &SqlStore, admin: &Actor) -> usize {
    store
        .recent_audit(admin, 1000, NOW)
        .unwrap()
        .iter()
        .filter(|e| e.action == "child.reindex")
        .count()
}

/// On an empty store: registers children in seven scripts, turns the
/// database into one written by an older Haven (old token scheme, tokens
/// that the current queries cannot find), and checks that opening it again
/// (`reopen`, with the same key) rebuilds every child's tokens once, so
/// that search and the duplicate check work again.
pub fn old_name_tokens_are_rebuilt(store: SqlStore, reopen: &dyn Fn() -> SqlStore) {
    let [admin, cw1, cw2, ..] = seed(&store);
    let kids = register(&store, &cw1);
    let version = "SELECT version FROM index_versions WHERE name = 'child_tokens'";
    assert_eq!(count(&store, version), TOKEN_SCHEME);
    let tokens = count(&store, "SELECT COUNT(*) FROM child_tokens");
    assert!(
        tokens <= 16 * kids.len() as i64,
        "few tokens per child: {tokens}"
    );

    make_tokens_old(&store, &kids[0].id);
    assert!(
        search(&store, &cw1, "Фатима Диалло").is_empty(),
        "old tokens are not found by the current queries"
    );
    drop(store);

    let store = reopen();
    assert_eq!(count(&store, version), TOKEN_SCHEME);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM child_tokens"), tokens);
    each_is_found(&store, &cw1, &cw2, &kids);
    let (_, dups) = store
        .create_child(&cw1, &child("Fatima", "Diallo", "2016-02-01", "D12"), NOW)
        .unwrap();
    assert!(dups.iter().any(|d| d.child.id == kids[1].id));
    assert_eq!(reindexed(&store, &admin), 1, "the rebuild is audited");
    assert!(store.verify_audit().unwrap().is_ok());
    drop(store);

    // Once rebuilt, opening again changes nothing.
    let store = reopen();
    assert_eq!(reindexed(&store, &admin), 1);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM child_tokens"),
        tokens + 8
    );
}
