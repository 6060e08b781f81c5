//! What every staff page shares: who is signed in and in which language,
//! the navigation their role may use, and one way to answer a refusal or a
//! failure with a page (never a JSON body, never a dead end).
//!
//! A page is an askama template whose struct holds a [`Layout`] named `l`;
//! `templates/base.html` draws the frame from it.

use crate::auth::{cookie, PageSession, SESSION_COOKIE};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::async_trait;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use haven_domain::Role;
use haven_store::Session;

/// A signed-in person on a staff page, in the language they read.
pub struct Staff {
    /// Their session (actor and CSRF token).
    pub session: Session,
    /// The language their pages use.
    pub tr: Tr,
    /// The path asked for, to mark the current menu item.
    pub path: String,
}

#[async_trait]
impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let PageSession(session) = PageSession::from_request_parts(parts, state).await?;
        let tr = language(&parts.uri, &parts.headers, Some(&session));
        Ok(Staff {
            session,
            tr,
            path: parts.uri.path().to_string(),
        })
    }
}

impl Staff {
    /// The frame of a page for this person.
    pub fn layout(&self) -> Layout {
        Layout::for_session(self.tr, Some(&self.session), &self.path)
    }

    /// A refusal or failure as a page in this person's language.
    pub fn problem(&self, e: &WebError, back: &str) -> Response {
        problem_page(self.layout(), e, back)
    }
}

/// The language a page is drawn in: `?lang=`, else the person's setting,
/// else the browser's.
pub fn language(uri: &axum::http::Uri, headers: &HeaderMap, session: Option<&Session>) -> Tr {
    Tr::choose(
        query_lang(uri.query()).as_deref(),
        session.and_then(|s| s.language.as_deref()),
        headers,
    )
}

/// `?lang=xx` from a query string.
pub fn query_lang(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .map(|(_, v)| v.to_string())
}

/// One entry of the menu.
pub struct NavItem {
    /// Where it leads.
    pub href: &'static str,
    /// Its label's translation key.
    pub key: &'static str,
    /// Whether it is the page being shown.
    pub current: bool,
}

/// The signed-in person as the frame shows them.
pub struct UserBar {
    /// Their name.
    pub name: String,
    /// Their role's translation key.
    pub role_key: &'static str,
    /// The session's anti-forgery token, for the sign-out form.
    pub csrf: String,
}

/// The frame of every page.
pub struct Layout {
    /// The page's language.
    pub tr: Tr,
    /// Who is signed in, if anyone.
    pub user: Option<UserBar>,
    /// The menu their role may use.
    pub nav: Vec<NavItem>,
}

/// A role's label key.
pub fn role_key(r: Role) -> &'static str {
    match r {
        Role::Admin => "role-admin",
        Role::Supervisor => "role-supervisor",
        Role::Caseworker => "role-caseworker",
        Role::Analyst => "role-analyst",
        Role::Monitor => "role-monitor",
        Role::Partner => "role-partner",
        Role::Liaison => "role-liaison",
    }
}

/// The menu a role may use: what its work needs, nothing it would be refused.
fn menu(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![("/", "nav-today")];
    if role.handles_children() {
        items.extend([
            ("/children", "nav-children"),
            ("/children/new", "nav-register-child"),
            ("/cases?mine=true", "nav-cases"),
            ("/reports", "nav-reports"),
            ("/referrals", "nav-referrals"),
            ("/services", "nav-services"),
            ("/field", "nav-field"),
        ]);
    } else if role.keeps_lists() {
        items.extend([
            ("/reports", "nav-reports"),
            ("/hotline", "nav-hotline"),
            ("/lists", "nav-hash-lists"),
            ("/match", "nav-match-tester"),
            ("/urls", "nav-url-list"),
        ]);
    }
    if role.reads_alerts() {
        items.push(("/alerts", "nav-alerts"));
    }
    if matches!(role, Role::Admin | Role::Supervisor | Role::Monitor) {
        items.extend([
            ("/indicators", "nav-indicators"),
            ("/logframes", "nav-logframes"),
        ]);
    }
    if matches!(role, Role::Admin | Role::Monitor) {
        items.push(("/readiness", "nav-readiness"));
    }
    if role == Role::Admin {
        items.extend([
            ("/hotline", "nav-hotline"),
            ("/lists", "nav-hash-lists"),
            ("/instrument", "nav-instrument"),
            ("/locations", "nav-locations"),
            ("/admin", "nav-administration"),
        ]);
    }
    items.push(("/account", "nav-account"));
    items
}

impl Layout {
    /// The frame for a signed-in person (or for nobody, on sign-in and error pages).
    pub fn for_session(tr: Tr, session: Option<&Session>, path: &str) -> Layout {
        let Some(s) = session else {
            return Layout {
                tr,
                user: None,
                nav: Vec::new(),
            };
        };
        let nav = menu(s.actor.role)
            .into_iter()
            .map(|(href, key)| NavItem {
                href,
                key,
                current: href.split('?').next() == Some(path),
            })
            .collect();
        Layout {
            tr,
            user: Some(UserBar {
                name: s.actor.name.clone(),
                role_key: role_key(s.actor.role),
                csrf: s.csrf.clone(),
            }),
            nav,
        }
    }
}

/// Renders a page; a template that fails to render is a 500 page, not a panic.
pub fn render(page: &impl Template) -> Response {
    render_with(StatusCode::OK, page)
}

/// Renders a page with a status other than 200 (a form answered again with
/// its errors is 422; a refusal is 403).
pub fn render_with(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page could not be rendered");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "problem.html")]
struct ProblemPage<'a> {
    l: Layout,
    message_key: String,
    /// The rule that refused it, as the store words it for API clients
    /// (English): shown folded, for the person to pass on to support.
    detail: Option<&'a str>,
    back: &'a str,
}

/// A refusal or failure as a page: what went wrong in plain words (by the
/// status, since the store's own messages are written for API clients), and
/// the way back.
pub fn problem_page(l: Layout, e: &WebError, back: &str) -> Response {
    let message_key = if e.code == "csrf" {
        "problem-form-expired".to_string()
    } else {
        let key = format!("problem-{}", e.status.as_u16());
        if l.tr.has(&key) {
            key
        } else {
            "problem-500".to_string()
        }
    };
    let detail = matches!(e.status.as_u16(), 409 | 422).then_some(e.message.as_str());
    render_with(
        e.status,
        &ProblemPage {
            l,
            message_key,
            detail,
            back,
        },
    )
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    l: Layout,
}

/// Any address that is not a page: a page saying so (the API's own paths
/// answer JSON, as clients expect).
pub async fn not_found(
    axum::extract::State(st): axum::extract::State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    if uri.path().starts_with("/api/") {
        return WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such endpoint; see /api/openapi.json",
        )
        .into_response();
    }
    let token = cookie(&headers, SESSION_COOKIE).map(str::to_string);
    let session = match token {
        Some(t) => st.run(move |s, now| s.session(&t, now)).await.ok(),
        None => None,
    };
    let tr = language(&uri, &headers, session.as_ref());
    render_with(
        StatusCode::NOT_FOUND,
        &NotFoundPage {
            l: Layout::for_session(tr, session.as_ref(), uri.path()),
        },
    )
}

/// One option of a `<select>` (or one radio button or checkbox), in the
/// reader's words.
pub struct Opt {
    /// The value sent.
    pub value: String,
    /// What the person reads.
    pub label: String,
    /// Whether it is the one chosen.
    pub selected: bool,
}

impl Opt {
    /// `value` with its words, chosen when it is the value `chosen`.
    pub fn new(value: &str, label: String, chosen: &str) -> Opt {
        Opt {
            value: value.to_string(),
            label,
            selected: value == chosen,
        }
    }
}

/// The options of a closed list of the vocabulary (`sex`, `living`, …).
pub fn vocabulary_options(tr: Tr, list: &str, values: &[&str], chosen: &str) -> Vec<Opt> {
    values
        .iter()
        .map(|v| Opt::new(v, label(tr, list, v), chosen))
        .collect()
}

/// A value of a closed list in words: `label(tr, "sex", "female")` is the
/// message `sex-female` (see `locales/*/vocabulary.ftl`).
pub fn label(tr: Tr, list: &str, value: &str) -> String {
    tr.t(&format!("{list}-{value}"))
}
