//! Pages over plain HTTP: sign-in, CSRF, rate limits, role-aware pages.

use crate::http::request;
use crate::{spawn_app, App, PASSWORD};

/// Posts the sign-in form as a browser would, with `more_cookies` (e.g. a
/// device cookie, as "; name=value") beside the form's own.
pub fn post_login(
    app: &App,
    name: &str,
    password: &str,
    more_cookies: &str,
) -> crate::http::Response {
    post_login_in(app, None, name, password, more_cookies)
}

/// [`post_login`] from the sign-in page in `lang` (which the form carries).
pub fn post_login_in(
    app: &App,
    lang: Option<&str>,
    name: &str,
    password: &str,
    more_cookies: &str,
) -> crate::http::Response {
    let path = lang.map_or("/login".to_string(), |l| format!("/login?lang={l}"));
    let form = request(app.addr, "GET", &path, &[], None);
    let login_cookie = form
        .cookies()
        .into_iter()
        .find(|(k, _)| k == "haven_login")
        .unwrap()
        .1;
    let token = form
        .body
        .split("name=\"login_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let lang = lang.map_or(String::new(), |l| format!("&lang={l}"));
    let body = format!(
        "login_token={token}{lang}&name={name}&password={}",
        password.replace(' ', "+")
    );
    let cookie = format!("haven_login={login_cookie}{more_cookies}");
    request(
        app.addr,
        "POST",
        "/login",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(body.as_bytes()),
    )
}

/// Posts a page's form (urlencoded) with a session cookie.
pub fn post(app: &App, cookie: &str, path: &str, body: &str) -> crate::http::Response {
    request(
        app.addr,
        "POST",
        path,
        &[
            ("Cookie", cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(body.as_bytes()),
    )
}

/// Gets a page with a session cookie.
pub fn page(app: &App, cookie: &str, path: &str) -> crate::http::Response {
    request(app.addr, "GET", path, &[("Cookie", cookie)], None)
}

/// Signs in through the form; returns the session cookie and a CSRF token.
pub fn sign_in(app: &App, name: &str, password: &str) -> Result<(String, String), u16> {
    let r = post_login(app, name, password, "");
    if r.status != 303 {
        return Err(r.status);
    }
    let session = r
        .cookies()
        .into_iter()
        .find(|(k, _)| k == "haven_session")
        .unwrap()
        .1;
    let cookie = format!("haven_session={session}");
    let home = request(
        app.addr,
        "GET",
        "/children/new",
        &[("Cookie", &cookie)],
        None,
    );
    let csrf = home
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .unwrap_or_default();
    Ok((cookie, csrf))
}

#[test]
fn sign_in_csrf_and_rate_limit() {
    let app = spawn_app();
    let r = request(app.addr, "GET", "/", &[], None);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login"));

    let (cookie, csrf) = sign_in(&app, "cw1", PASSWORD).unwrap();
    let r = request(app.addr, "GET", "/", &[("Cookie", &cookie)], None);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("children registered"));

    // The session cookie is HttpOnly and SameSite=Strict.
    let form = request(app.addr, "GET", "/login", &[], None);
    let set = form.header("set-cookie").unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));

    // A form without the CSRF token is refused and changes nothing.
    let body = "given_name=Eve&sex=female&estimated_age=5&location=D11";
    let r = request(
        app.addr,
        "POST",
        "/children",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 403);
    let with = format!("{body}&csrf={csrf}");
    let r = request(
        app.addr,
        "POST",
        "/children",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(with.as_bytes()),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let wrong = format!("{body}&csrf=0000");
    let r = request(
        app.addr,
        "POST",
        "/children",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(wrong.as_bytes()),
    );
    assert_eq!(r.status, 403);
    let list = request(
        app.addr,
        "GET",
        "/children?name=Eve",
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(
        list.body.matches("/children/").count() - list.body.matches("/children/new").count(),
        1,
        "only the accepted form created a child"
    );

    // A monitoring officer is told plainly there are no child records for them.
    let (mcookie, _) = sign_in(&app, "monitor", PASSWORD).unwrap();
    let r = request(app.addr, "GET", "/", &[("Cookie", &mcookie)], None);
    assert!(r.body.contains("no access to children"));
    let r = request(app.addr, "GET", "/children", &[("Cookie", &mcookie)], None);
    assert_eq!(r.status, 403);

    // Wrong passwords: refused, then slowed down (seconds, doubling), even
    // for the right one.
    for _ in 0..6 {
        assert_eq!(
            sign_in(&app, "sup1", "wrong password here").unwrap_err(),
            401
        );
    }
    assert_eq!(sign_in(&app, "sup1", PASSWORD).unwrap_err(), 429);
    assert_eq!(sign_in(&app, "nobody", PASSWORD).unwrap_err(), 401);
}
