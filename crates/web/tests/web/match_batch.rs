//! Matching many hashes in one request, and list changes that never make
//! a match wait (issue #15).

use crate::http::{request, send_json};
use crate::spawn_app;
use serde_json::json;
use std::path::PathBuf;

fn haystack() -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/conformance/pdq/index/haystack.txt"),
    )
    .unwrap()
}

#[test]
fn a_batch_is_answered_per_hash_in_order_and_more_than_a_thousand_is_refused() {
    let app = spawn_app();
    let (analyst, isp, cw) = (
        &app.tokens["analyst"],
        &app.tokens["isp"],
        &app.tokens["cw1"],
    );
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/hashlists",
        analyst,
        &json!({"name": "national", "description": "confirmed"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let list = r.json()["id"].as_str().unwrap().to_string();
    let auth = format!("Bearer {analyst}");
    let r = request(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/imports?source=ti-regression"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        Some(haystack().as_bytes()),
    );
    assert_eq!(r.status, 201, "{}", r.body);

    let needle = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157";
    // Another listed hash, after items without one: each PDQ answer lands
    // on its own item.
    let other = haystack()
        .lines()
        .map(|l| l.split(',').next().unwrap().trim().to_string())
        .find(|h| h.len() == 64 && h != needle)
        .unwrap();
    let batch = json!({"batch": [
        {"pdq": needle},
        {"md5": "00000000000000000000000000000000"},
        {"pdq": "not a hash"},
        {"pdq": "0000000000000000000000000000000000000000000000000000000000000000"},
        {"pdq": needle, "md5": "0123"},
        {"pdq": other},
    ]});
    let r = send_json(app.addr, "POST", "/api/v1/match", isp, &batch);
    assert_eq!(r.status, 200, "{}", r.body);
    let results = r.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 6, "one answer per item");
    // The same answer as the single form, as a partner sees it.
    let single = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"pdq": needle}),
    );
    assert_eq!(single.status, 200);
    assert_eq!(results[0]["matches"], single.json()["matches"]);
    assert_eq!(results[0]["matches"].as_array().unwrap().len(), 3);
    assert_eq!(results[0]["matches"][0]["match"], "exact");
    assert!(results[0]["matches"][0].get("distance").is_none());
    assert_eq!(results[1]["matches"], json!([]));
    assert_eq!(results[2]["error"]["code"], "invalid");
    assert_eq!(results[2]["error"]["field"], "pdq");
    assert_eq!(results[3]["error"]["code"], "too_little_detail");
    assert_eq!(results[4]["error"]["field"], "md5");
    // So the document may not promise a form for an item's hashes: a
    // client (or schemathesis) reading a `pattern` there expects the whole
    // batch refused, where the server answers that item alone.
    let doc = crate::http::get(app.addr, "/api/openapi.json", None).json();
    let item = &doc["components"]["schemas"]["MatchItem"]["properties"];
    for field in ["pdq", "md5", "sha256"] {
        assert!(item[field].is_object(), "{field} documented: {item}");
        // (Every request string says it holds no NUL; that one stays.)
        let pattern = item[field]["pattern"].as_str().unwrap_or("");
        assert!(
            !pattern.contains("0-9a-fA-F"),
            "a batch item's {field} is checked per item, not by the document: {pattern}"
        );
    }
    let single_other = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"pdq": other}),
    );
    assert_eq!(results[5]["matches"], single_other.json()["matches"]);
    assert!(!results[5]["matches"].as_array().unwrap().is_empty());

    // Staff see distances, and may widen the radius.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        analyst,
        &json!({"batch": [{"pdq": needle}], "threshold": 40}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["results"][0]["matches"][0]["distance"], 0);
    // Partners may not.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"batch": [{"pdq": needle}], "threshold": 40}),
    );
    assert_eq!(r.status, 422);

    // 1,000 is the most; one more is refused whole, with the JSON error body.
    let full: Vec<_> = (0..1000).map(|_| json!({"pdq": needle})).collect();
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"batch": full}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["results"].as_array().unwrap().len(), 1000);
    let over: Vec<_> = (0..1001).map(|_| json!({"pdq": needle})).collect();
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"batch": over}),
    );
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "too_many");
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("1000"));

    // A batch and a single hash at once is a mistake, and so is an empty batch.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"batch": [{"pdq": needle}], "pdq": needle}),
    );
    assert_eq!(r.status, 422);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"batch": []}),
    );
    assert_eq!(r.status, 422);
    // A role that may not match cannot batch either.
    let r = send_json(app.addr, "POST", "/api/v1/match", cw, &batch);
    assert_eq!(r.status, 403, "{}", r.body);
}

#[test]
fn an_import_and_a_disable_take_effect_at_once_through_the_swapped_index() {
    let app = spawn_app();
    let (analyst, isp) = (&app.tokens["analyst"], &app.tokens["isp"]);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/hashlists",
        analyst,
        &json!({"name": "national", "description": "confirmed"}),
    );
    let list = r.json()["id"].as_str().unwrap().to_string();
    let needle = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157";
    let before = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"batch": [{"pdq": needle}]}),
    );
    assert_eq!(before.json()["results"][0]["matches"], json!([]));
    // More than the index leaves pending: the next index is built with tables.
    let auth = format!("Bearer {analyst}");
    let r = request(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/imports?source=ti-regression"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        Some(haystack().as_bytes()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let after = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        analyst,
        &json!({"pdq": needle}),
    );
    let matches = after.json()["matches"].as_array().unwrap().clone();
    assert_eq!(matches.len(), 3, "{matches:?}");
    let exact = matches[0]["entry"].as_str().unwrap().to_string();
    let r = send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/hashentries/{exact}"),
        analyst,
        &json!({"enabled": false}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        analyst,
        &json!({"batch": [{"pdq": needle}]}),
    );
    let now: Vec<_> = r.json()["results"][0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["entry"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(now.len(), 2);
    assert!(!now.contains(&exact), "a disabled entry is not matched");
}
