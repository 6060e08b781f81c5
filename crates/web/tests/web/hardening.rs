//! What an outside attack on the first round found, each guarded here:
//! forged cross-site writes, staff lockout, match answers as an oracle,
//! degenerate hashes, oversized and bomb images, malformed JSON, and a
//! match index that must fail closed.

use crate::http::{get, request, send_json};
use crate::pages::sign_in;
use crate::{spawn_app, spawn_app_with, PASSWORD};
use serde_json::json;

fn multipart_body(image: &[u8]) -> (String, Vec<u8>) {
    let boundary = "hvnhardening42";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload(app: &crate::App, token: &str, path: &str, image: &[u8]) -> crate::http::Response {
    let (ct, body) = multipart_body(image);
    let auth = format!("Bearer {token}");
    request(
        app.addr,
        "POST",
        path,
        &[("Authorization", &auth), ("Content-Type", &ct)],
        Some(&body),
    )
}

/// A PNG that declares `w` × `h` pixels and holds almost nothing.
fn png_declaring(w: u32, h: u32) -> Vec<u8> {
    haven_pdq::synthetic::png_declaring(w, h, 8)
}

#[test]
fn cookie_authenticated_api_writes_need_the_csrf_header_and_the_same_site() {
    let app = spawn_app();
    let (cookie, csrf) = sign_in(&app, "analyst", PASSWORD).unwrap();
    let body = br#"{"url": "http://forged.example/x", "category": "csam"}"#;
    // What a cross-site <form enctype="text/plain"> sends: a cookie and no header.
    let r = request(
        app.addr,
        "POST",
        "/api/v1/urls",
        &[("Cookie", &cookie), ("Content-Type", "application/json")],
        Some(body),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.error_code(), "csrf");
    let r = request(
        app.addr,
        "POST",
        "/api/v1/hashlists",
        &[("Cookie", &cookie), ("Content-Type", "text/plain")],
        Some(br#"{"name": "x"}"#),
    );
    assert_eq!(r.status, 403);
    // The browser says it came from elsewhere: refused whatever it carries.
    for (h, v) in [
        ("Origin", "https://evil.example"),
        ("Sec-Fetch-Site", "same-site"),
        ("Sec-Fetch-Site", "cross-site"),
    ] {
        let r = request(
            app.addr,
            "POST",
            "/api/v1/urls",
            &[
                ("Cookie", &cookie),
                ("X-CSRF-Token", &csrf),
                ("Content-Type", "application/json"),
                (h, v),
            ],
            Some(body),
        );
        assert_eq!(r.status, 403, "{h}: {v}");
        assert_eq!(r.error_code(), "cross_site");
    }
    let listed = get(app.addr, "/api/v1/urllist", Some(&app.tokens["isp"])).json();
    assert_eq!(listed["entries"], json!([]), "nothing was listed");
    // From Haven's own page, with the header: accepted.
    let origin = format!("http://{}", app.addr);
    let r = request(
        app.addr,
        "POST",
        "/api/v1/urls",
        &[
            ("Cookie", &cookie),
            ("X-CSRF-Token", &csrf),
            ("Origin", &origin),
            ("Sec-Fetch-Site", "same-origin"),
            ("Content-Type", "application/json"),
        ],
        Some(body),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    // Reads with the cookie alone still work.
    assert_eq!(
        request(
            app.addr,
            "GET",
            "/api/v1/hashlists",
            &[("Cookie", &cookie)],
            None
        )
        .status,
        200
    );
}

#[test]
fn strangers_cannot_lock_staff_out() {
    let app = spawn_app();
    // The real user signs in once on their own browser: it gets a device
    // cookie. (Every attempt comes from the test's one address: the
    // office-address case.)
    let login = |more_cookies: &str, password: &str| {
        crate::pages::post_login(&app, "cw1", password, more_cookies)
    };
    let ok = login("", PASSWORD);
    assert_eq!(ok.status, 303);
    let device = ok
        .cookies()
        .into_iter()
        .find(|(k, _)| k == "haven_device")
        .expect("a device cookie")
        .1;
    // An attacker fails thirty times (the server sees one address: the test's).
    for _ in 0..30 {
        let r = login("", "wrong password!");
        assert!(matches!(r.status, 401 | 429), "{}", r.status);
    }
    let stranger = login("", PASSWORD);
    assert_eq!(stranger.status, 429, "guessing is slowed down");
    // "Wait 1 second" when the wait is nearly over: the attempts are
    // spread over time as fast as this machine makes them.
    assert!(
        stranger.body.contains(" second"),
        "a wait in seconds, not a lockout: {}",
        stranger.body
    );
    // The real user's browser is not held up by the stranger's failures.
    let mine = login(&format!("; haven_device={device}"), PASSWORD);
    assert_eq!(mine.status, 303, "{}", mine.body);
    // The refusals did not each write an audit entry.
    let audit = get(
        app.addr,
        "/api/v1/audit?limit=1000",
        Some(&app.tokens["admin"]),
    )
    .json();
    let slowed = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sign_in" && e["outcome"] == "denied")
        .count();
    assert!(slowed <= 2, "{slowed} audit entries for one flood");
}

fn new_list(app: &crate::App) -> String {
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/hashlists",
        &app.tokens["analyst"],
        &json!({"name": "n"}),
    );
    r.json()["id"].as_str().unwrap().to_string()
}

#[test]
fn match_answers_are_not_an_oracle() {
    let app = spawn_app();
    let (analyst, isp) = (&app.tokens["analyst"], &app.tokens["isp"]);
    let list = new_list(&app);
    let pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    let md5 = "0123456789abcdef0123456789abcdef";
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/entries"),
        analyst,
        &json!({"pdq": pdq, "md5": md5, "quality": 100}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    // A partner asking for a wide radius is refused; staff may.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"pdq": pdq, "threshold": 63}),
    );
    assert_eq!(r.status, 422);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        analyst,
        &json!({"pdq": pdq, "threshold": 63}),
    );
    assert_eq!(r.status, 200);
    // One answer per entry, without the distance.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"pdq": pdq, "md5": md5}),
    );
    let m = r.json()["matches"].clone();
    assert_eq!(m.as_array().unwrap().len(), 1, "{m}");
    assert_eq!(m[0]["match"], "exact");
    assert!(m[0].get("distance").is_none(), "{m}");
    let mut near = pdq.to_string();
    near.replace_range(0..1, "0");
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"pdq": near}),
    );
    assert_eq!(r.json()["matches"][0]["match"], "similar");
    // The URL check does not name hotline staff.
    send_json(
        app.addr,
        "POST",
        "/api/v1/urls",
        analyst,
        &json!({"url": "http://bad.example/a", "category": "csam"}),
    );
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/urls/check",
        isp,
        &json!({"url": "http://BAD.example/./a"}),
    );
    assert_eq!(r.json()["listed"], true, "{}", r.body);
    assert!(!r.body.contains("analyst"), "{}", r.body);
    assert!(r.json()["matches"][0].get("added_by").is_none());
}

#[test]
fn degenerate_hashes_are_refused_on_every_path() {
    let app = spawn_app();
    let (analyst, isp) = (&app.tokens["analyst"], &app.tokens["isp"]);
    let list = new_list(&app);
    let zero = "0".repeat(64);
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/entries"),
        analyst,
        &json!({"pdq": zero}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let auth = format!("Bearer {analyst}");
    let r = request(
        app.addr,
        "POST",
        &format!("/api/v1/hashlists/{list}/imports?source=x"),
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        Some(format!("{zero}\n").as_bytes()),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        isp,
        &json!({"pdq": zero}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.error_code(), "too_little_detail");
    // A flat picture, uploaded: too little detail to list or to match.
    let flat = png_flat(64, 64);
    let r = upload(
        &app,
        analyst,
        &format!("/api/v1/hashlists/{list}/entries/image"),
        &flat,
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let r = upload(&app, isp, "/api/v1/match", &flat);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.error_code(), "too_little_detail");
}

fn png_flat(w: u32, h: u32) -> Vec<u8> {
    haven_pdq::synthetic::png_flat(w, h, 128)
}

#[test]
fn image_bombs_and_oversized_uploads_are_refused_plainly() {
    let app = spawn_app();
    let isp = &app.tokens["isp"];
    // 20,000 × 20,000 declared in a few bytes: refused before decoding.
    let r = upload(&app, isp, "/api/v1/match", &png_declaring(20_000, 20_000));
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("megapixels"),
        "{}",
        r.body
    );
    // A real phone photo's size is accepted (this one is not an image, so 422).
    let r = upload(&app, isp, "/api/v1/match", &vec![b'x'; 15 * 1024 * 1024]);
    assert_eq!(r.status, 422, "{}", r.body);
    // Beyond 20 MB: 413 naming the limit, not "malformed".
    let r = upload(&app, isp, "/api/v1/match", &vec![b'x'; 21 * 1024 * 1024]);
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.body.contains("20 MB"), "{}", r.body);
}

#[test]
fn malformed_json_is_refused_with_the_field_named() {
    let app = spawn_app();
    let cw = &app.tokens["cw1"];
    let auth = format!("Bearer {cw}");
    let post = |body: &[u8]| {
        request(
            app.addr,
            "POST",
            "/api/v1/children",
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            Some(body),
        )
    };
    let child = json!({"given_name": "Amina", "family_name": "Diallo", "sex": "female",
        "date_of_birth": "2014-03-02", "location": "D11", "birth_registration": "registered"});
    let mut trailing = child.to_string().into_bytes();
    trailing.extend_from_slice(b" {\"x\": 1}");
    assert_eq!(post(&trailing).status, 400);
    let mut nul = child.clone();
    nul["family_name"] = json!("Dia\u{0}llo");
    let r = post(nul.to_string().as_bytes());
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "family_name");
    let mut bidi = child.clone();
    bidi["family_name"] = json!("Dia\u{202E}llo");
    let r = post(bidi.to_string().as_bytes());
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "family_name");
    // Free text is bounded.
    let r = post(child.to_string().as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let r = send_json(
        app.addr,
        "POST",
        &format!("/api/v1/children/{id}/cases"),
        cw,
        &json!({}),
    );
    let case = r.json()["id"].as_str().map(str::to_string);
    if let Some(case) = case {
        let r = send_json(
            app.addr,
            "POST",
            &format!("/api/v1/cases/{case}/notes"),
            cw,
            &json!({"text": "x".repeat(200_000)}),
        );
        assert_eq!(r.status, 422, "{}", r.body);
    }
}

#[test]
fn a_broken_match_index_fails_closed() {
    let mut lists = None;
    let app = spawn_app_with(|st| lists = Some(st.lists.clone()));
    let lists = lists.unwrap();
    // Poison the index's lock as a panic while holding it would.
    let l = lists.clone();
    let _ = std::thread::spawn(move || {
        let _guard = l.write().unwrap();
        panic!("simulated failure while updating the index");
    })
    .join();
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        &app.tokens["isp"],
        &json!({"md5": "0123456789abcdef0123456789abcdef"}),
    );
    assert_eq!(r.status, 500, "never an empty 'no matches': {}", r.body);
}

#[test]
fn forms_a_role_cannot_submit_are_not_shown() {
    let app = spawn_app();
    let (monitor, _) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let r = request(
        app.addr,
        "GET",
        "/children/new",
        &[("Cookie", &monitor)],
        None,
    );
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("name=\"given_name\""));
    let (cw, _) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let r = request(app.addr, "GET", "/match", &[("Cookie", &cw)], None);
    assert_eq!(r.status, 403);
    assert!(!r.body.contains("action=\"/match\""));
    // Refusals of a role go through one path, and each is audited.
    let r = get(app.addr, "/api/v1/hashlists", Some(&app.tokens["cw1"]));
    assert_eq!(r.status, 403);
    let audit = get(
        app.addr,
        "/api/v1/audit?limit=50",
        Some(&app.tokens["admin"]),
    )
    .json();
    assert!(audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "hashlist.list"
            && e["outcome"] == "denied"
            && e["actor"] == "cw1"));
}

#[test]
fn partners_are_rate_limited_and_uploads_beyond_capacity_get_503() {
    let app = spawn_app_with(|st| {
        st.limits.partner_matches = 3;
        st.limits.hash_wait = std::time::Duration::ZERO;
        st.upload_slots = std::sync::Arc::new(tokio::sync::Semaphore::new(0));
    });
    let isp = &app.tokens["isp"];
    let md5 = json!({"md5": "0123456789abcdef0123456789abcdef"});
    for _ in 0..3 {
        assert_eq!(
            send_json(app.addr, "POST", "/api/v1/match", isp, &md5).status,
            200
        );
    }
    let r = send_json(app.addr, "POST", "/api/v1/match", isp, &md5);
    assert_eq!(r.status, 429);
    // Staff are not partners: not limited.
    let r = send_json(
        app.addr,
        "POST",
        "/api/v1/match",
        &app.tokens["analyst"],
        &md5,
    );
    assert_eq!(r.status, 200);
    // No upload place free: a plain 503, at once, nothing read or hashed.
    let r = upload(
        &app,
        &app.tokens["analyst"],
        "/api/v1/match",
        &png_declaring(10, 10),
    );
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.error_code(), "busy");
    // A role that may not keep lists is refused before its upload is read.
    let list = new_list(&app);
    let r = upload(
        &app,
        &app.tokens["cw1"],
        &format!("/api/v1/hashlists/{list}/entries/image"),
        &png_declaring(20_000, 20_000),
    );
    assert_eq!(r.status, 403, "{}", r.body);
}

#[test]
fn the_url_list_isps_download_names_no_staff() {
    let app = spawn_app();
    send_json(
        app.addr,
        "POST",
        "/api/v1/urls",
        &app.tokens["analyst"],
        &json!({"url": "http://bad.example/a", "category": "csam"}),
    );
    let r = get(app.addr, "/api/v1/urllist", Some(&app.tokens["isp"]));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["entries"][0]["url"], "bad.example/a");
    assert!(!r.body.contains("analyst"), "{}", r.body);
    let staff = get(app.addr, "/api/v1/urllist", Some(&app.tokens["analyst"]));
    assert!(staff.body.contains("analyst"));
}
