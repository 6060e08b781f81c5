//! Hash lists, matching and the URL list over HTTP: what an analyst, a
//! partner platform and an ISP can do, and what they cannot.

use crate::http::{get, request, send_json};
use crate::spawn_app;
use serde_json::json;
use std::path::PathBuf;

fn image(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/conformance/pdq/images")
            .join(name),
    )
    .unwrap()
}

fn multipart(
    token: &str,
    path: &str,
    addr: std::net::SocketAddr,
    image: &[u8],
    fields: &[(&str, &str)],
) -> crate::http::Response {
    let boundary = "hvnboundary7d2f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let auth = format!("Bearer {token}");
    let ct = format!("multipart/form-data; boundary={boundary}");
    request(
        addr,
        "POST",
        path,
        &[("Authorization", &auth), ("Content-Type", &ct)],
        Some(&body),
    )
}

#[test]
fn analysts_keep_hash_lists_and_partners_match_against_them() {
    keep_lists_and_match(&spawn_app());
}

pub fn keep_lists_and_match(app: &crate::App) {
    let (analyst, isp) = (&app.tokens["analyst"], &app.tokens["isp"]);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/hashlists",
        analyst,
        &json!({"name": "national", "description": "confirmed"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let list = r.json()["id"].as_str().unwrap().to_string();

    // An image upload is hashed and discarded; its hashes are listed.
    let r = multipart(
        analyst,
        &format!("/api/v1/hashlists/{list}/entries/image"),
        app.addr,
        &image("bridge-1-original.jpg"),
        &[("source", "report 12"), ("category", "test")],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let entry = r.json();
    assert_eq!(
        entry["pdq"],
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
    );
    let entry_id = entry["id"].as_str().unwrap().to_string();
    let md5 = entry["md5"].as_str().unwrap().to_string();

    // Bulk import of the reference haystack.
    let haystack = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/conformance/pdq/index/haystack.txt"),
    )
    .unwrap();
    let auth = format!("Bearer {analyst}");
    let r = request(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/imports?source=ti-regression"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        Some(haystack.as_bytes()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["added"], 1350);
    let r = request(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/imports?source=x"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        Some(b"abc\nnot-a-hash\n"),
    );
    assert_eq!(r.status, 422);

    // A partner matches a rotated copy by image, by hash and by MD5.
    let r = multipart(
        isp,
        "/api/v1/match",
        app.addr,
        &image("blur-a-lot.jpg"),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let m = r.json()["matches"].clone();
    assert!(
        m.as_array()
            .unwrap()
            .iter()
            .any(|x| x["entry"] == entry_id.as_str() && x["list"] == "national"),
        "{m}"
    );
    let needle = "98736629670cc19fc9f23862f66cce1f599e32c78e236c78619d202e9e66c157";
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"pdq": needle}),
    );
    assert_eq!(r.json()["matches"].as_array().unwrap().len(), 3);
    assert_eq!(
        r.json()["matches"][0]["match"],
        "exact",
        "partners see whether, not how far"
    );
    let r = send_json(app.addr, "POST", "/api/v1/match", isp, &json!({"md5": md5}));
    assert_eq!(r.json()["matches"].as_array().unwrap().len(), 1);

    // Disabling takes effect at once, without a rebuild; re-enabling too.
    let r = send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/hashentries/{entry_id}"),
        analyst,
        &json!({"enabled": false}),
    );
    assert_eq!(r.status, 200);
    let r = send_json(app.addr, "POST", "/api/v1/match", isp, &json!({"md5": md5}));
    assert_eq!(r.json()["matches"], json!([]));
    send_json(
        app.addr,
        "PATCH",
        &format!("/api/v1/hashentries/{entry_id}"),
        analyst,
        &json!({"enabled": true}),
    );
    assert_eq!(
        send_json(app.addr, "POST", "/api/v1/match", isp, &json!({"md5": md5})).json()["matches"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Partners may only match; caseworkers may not even match.
    assert_eq!(get(app.addr, "/api/v1/hashlists", Some(isp)).status, 403);
    assert_eq!(
        get(
            app.addr,
            &format!("/api/v1/hashlists/{list}/entries"),
            Some(isp)
        )
        .status,
        403
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            &format!("/api/v1/hashlists/{list}/entries"),
            isp,
            &json!({"pdq": needle})
        )
        .status,
        403
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/match",
            &app.tokens["cw1"],
            &json!({"pdq": needle})
        )
        .status,
        403
    );
    // Bad queries.
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/match",
            isp,
            &json!({"pdq": "123"})
        )
        .status,
        422
    );
    assert_eq!(
        send_json(app.addr, "POST", "/api/v1/match", isp, &json!({})).status,
        422
    );
    assert_eq!(
        multipart(isp, "/api/v1/match", app.addr, b"not an image", &[]).status,
        422
    );
    let entries = get(
        app.addr,
        &format!("/api/v1/hashlists/{list}/entries?limit=500"),
        Some(analyst),
    )
    .json();
    assert_eq!(entries["items"].as_array().unwrap().len(), 500);
    assert!(entries["next"].is_string());

    // Every match is audited, never with the image.
    let audit = get(
        app.addr,
        "/api/v1/audit?limit=1000",
        Some(&app.tokens["admin"]),
    )
    .json();
    let matches: Vec<_> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "match")
        .collect();
    assert!(matches.len() >= 5);
    assert!(matches.iter().any(|e| e["outcome"] == "denied"));
}

#[test]
fn url_list_for_isps_with_versions_and_tombstones() {
    let app = spawn_app();
    let (analyst, isp) = (&app.tokens["analyst"], &app.tokens["isp"]);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/urls",
        analyst,
        &json!({"url": "http://WWW.bad.example.com/a/b.html", "category": "csam"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/urls",
            analyst,
            &json!({"url": "share.example.org", "level": "domain"})
        )
        .status,
        201
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/urls",
            analyst,
            &json!({"url": "gopher://x"})
        )
        .status,
        422
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/urls",
            analyst,
            &json!({"url": "x.example", "level": "planet"})
        )
        .status,
        422
    );
    assert_eq!(
        send_json(
            app.addr,
            "POST",
            "/api/v1/urls",
            isp,
            &json!({"url": "x.example"})
        )
        .status,
        403
    );

    let check = |u: &str| {
        send_json(
            app.addr,
            "POST",
            "/api/v1/urls/check",
            isp,
            &json!({"url": u}),
        )
        .json()["listed"]
            .clone()
    };
    assert_eq!(check("https://bad.example.com:443/a/b.html"), json!(true));
    assert_eq!(check("http://img.share.example.org/x.jpg"), json!(true));
    assert_eq!(check("http://bad.example.com/a/c.html"), json!(false));

    let all = get(app.addr, "/api/v1/urllist", Some(isp)).json();
    assert_eq!(all["version"], 2);
    assert_eq!(all["entries"].as_array().unwrap().len(), 2);
    assert_eq!(
        send_json(
            app.addr,
            "DELETE",
            &format!("/api/v1/urls/{id}"),
            analyst,
            &json!({})
        )
        .status,
        200
    );
    let changes = get(app.addr, "/api/v1/urllist?since=2", Some(isp)).json();
    assert_eq!(changes["version"], 3);
    assert_eq!(changes["removed"][0]["id"], id.as_str());
    assert_eq!(check("http://bad.example.com/a/b.html"), json!(false));
    assert_eq!(
        get(app.addr, "/api/v1/urllist?since=abc", Some(isp)).status,
        422
    );
    assert_eq!(
        get(app.addr, "/api/v1/urllist", Some(&app.tokens["monitor"])).status,
        403
    );
}
