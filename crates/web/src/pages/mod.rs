//! Server-rendered pages: work without JavaScript, on an old laptop or a
//! small phone. Every form carries the session's CSRF token.

mod account;
mod admin;
mod administration;
mod alerts;
mod assessments;
mod case_guidance;
mod case_list;
mod cases;
mod charts;
mod children;
mod dashboard;
mod exchange;
pub(crate) mod field;
mod figures;
pub mod forms;
mod hotline;
mod indicators;
mod institutions;
pub mod layout;
mod lists;
mod locations;
mod logframes;
mod login;
mod over_representation;
mod readiness;
mod received_figures;
mod referral;
mod referrals;
mod report;
pub mod second_factor;
mod services;
mod tasks;
mod triage;
mod worklist;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

/// The most a public form may send: the longest report is 5,000 characters.
const PUBLIC_BODY_LIMIT: usize = 64 * 1024;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/haven.css", get(css))
        .route(
            "/report",
            get(report::form)
                .post(report::submit)
                .layer(DefaultBodyLimit::max(PUBLIC_BODY_LIMIT)),
        )
        .route(
            "/report/status",
            get(report::status_page)
                .post(report::status_lookup)
                .layer(DefaultBodyLimit::max(PUBLIC_BODY_LIMIT)),
        )
        .route(
            "/report/add",
            axum::routing::post(report::add_info).layer(DefaultBodyLimit::max(PUBLIC_BODY_LIMIT)),
        )
        .route("/figures", get(figures::public_page))
        .route("/login", get(login::form).post(login::submit))
        .route("/account", get(account::show).post(account::save))
        .route("/locations", get(locations::list).post(locations::add))
        .route("/admin", get(admin::index))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route(
            "/admin/users/:name",
            get(admin::user).post(admin::change_user),
        )
        .route(
            "/admin/users/:name/disabled",
            axum::routing::post(admin::disable_user),
        )
        .route(
            "/admin/users/:name/password",
            axum::routing::post(admin::reset_password),
        )
        .route("/admin/audit", get(admin::audit))
        .route("/field", get(field::page))
        .route("/field/conflicts/:id", axum::routing::post(field::resolve))
        .route("/field/sync", axum::routing::post(field::sync_now))
        .route(
            "/field/refused/:n/discard",
            axum::routing::post(field::discard),
        )
        .route(
            "/field/laptops/:id/revoke",
            axum::routing::post(field::revoke),
        )
        .route("/alerts", get(alerts::list).post(alerts::issue))
        .route("/alerts/new", get(alerts::new_form))
        .route("/alerts/:id", get(alerts::show))
        .route(
            "/alerts/:id/withdraw",
            axum::routing::post(alerts::withdraw),
        )
        .route(
            "/admin/figures",
            get(figures::admin).post(figures::admin_save),
        )
        .route(
            "/admin/peers",
            get(exchange::peers).post(exchange::add_peer),
        )
        .route(
            "/admin/peers/:name/revoked",
            axum::routing::post(exchange::revoke_peer),
        )
        .route(
            "/admin/agencies",
            get(admin::agencies).post(admin::add_agency),
        )
        .route(
            "/admin/agencies/:code",
            get(admin::agency).post(admin::change_agency),
        )
        .route(
            "/login/code",
            get(second_factor::code_form).post(second_factor::code_submit),
        )
        .route(
            "/account/second-factor",
            get(second_factor::setup).post(second_factor::setup_submit),
        )
        .route("/logout", axum::routing::post(login::logout))
        .route("/", get(dashboard::dashboard))
        .route("/indicators", get(indicators::page))
        .route("/exchange/figures", get(received_figures::figures))
        .route("/logframes", get(logframes::list).post(logframes::create))
        .route("/logframes/:id", get(logframes::show))
        .route(
            "/logframes/:id/results",
            axum::routing::post(logframes::add_result),
        )
        .route(
            "/logframes/:id/indicators",
            axum::routing::post(logframes::link),
        )
        .route(
            "/logframes/:id/results/:result/edit",
            get(logframes::edit_result).post(logframes::save_result),
        )
        .route(
            "/logframes/:id/results/:result/remove",
            axum::routing::post(logframes::remove_result),
        )
        .route(
            "/logframes/:id/results/:result/indicators/:indicator/unlink",
            axum::routing::post(logframes::unlink),
        )
        .route(
            "/logframes/:id/marks",
            axum::routing::post(logframes::set_mark),
        )
        .route("/readiness", get(readiness::list).post(readiness::create))
        .route(
            "/readiness/instruments",
            axum::routing::post(readiness::add_version),
        )
        .route("/readiness/:id", get(readiness::show))
        .route(
            "/readiness/:id/informant",
            get(readiness::entry).post(readiness::save),
        )
        .route(
            "/indicators/over-representation",
            get(over_representation::page),
        )
        .route(
            "/admin/institutions",
            get(institutions::list).post(institutions::add),
        )
        .route(
            "/admin/institutions/:id",
            get(institutions::show).post(institutions::change),
        )
        .route(
            "/admin/institutions/:id/inspections",
            axum::routing::post(institutions::inspect),
        )
        .route("/children", get(children::list).post(children::create))
        .route("/children/new", get(children::new_form))
        .route("/children/:id", get(children::show))
        .route(
            "/children/:id/institution",
            axum::routing::post(children::link_institution),
        )
        .route(
            "/children/:id/edit",
            get(children::edit_form).post(children::update),
        )
        .route(
            "/children/:id/assessments",
            axum::routing::post(assessments::create),
        )
        .route("/children/:id/assessments/new", get(assessments::new_form))
        .route(
            "/instrument",
            get(administration::instrument_page).post(administration::save_instrument),
        )
        .route(
            "/assessments/:id/confirm",
            axum::routing::post(assessments::confirm),
        )
        .route("/children/:id/cases", axum::routing::post(cases::open))
        .route("/cases", get(case_list::list))
        .route("/cases/:id", get(cases::show))
        .route("/cases/:id/step/:action", axum::routing::post(cases::step))
        .route("/cases/:id/note", axum::routing::post(cases::note))
        .route("/cases/:id/consent", axum::routing::post(cases::consent))
        .route(
            "/cases/:id/exploitation",
            axum::routing::post(cases::exploitation),
        )
        .route(
            "/cases/:id/adoptability",
            axum::routing::post(cases::adoptability),
        )
        .route(
            "/cases/:id/assignment",
            axum::routing::post(cases::assignment),
        )
        .route("/cases/:id/referrals", axum::routing::post(cases::refer))
        .route("/referrals", get(referrals::index))
        .route("/referrals/:id", get(referral::show))
        .route(
            "/referrals/:id/answer",
            axum::routing::post(referral::answer),
        )
        .route(
            "/services",
            get(services::services).post(services::add_service),
        )
        .route("/reports", get(triage::queue))
        .route("/reports/:id", get(triage::show))
        .route("/reports/:id/note", axum::routing::post(triage::note))
        .route("/reports/:id/decision", axum::routing::post(triage::decide))
        .route("/reports/:id/action", axum::routing::post(triage::act))
        .route("/hotline", get(hotline::index).post(hotline::create))
        .route("/hotline/:id", get(hotline::show))
        .route(
            "/hotline/:id/assessment",
            axum::routing::post(hotline::assess),
        )
        .route(
            "/hotline/:id/confirmation",
            axum::routing::post(hotline::confirm),
        )
        .route(
            "/hotline/:id/action/:action",
            axum::routing::post(hotline::action),
        )
        .route(
            "/hotline/:id/image",
            axum::routing::post(hotline::image).layer(crate::api::upload_limit()),
        )
        .route("/lists", get(lists::index).post(lists::create))
        .route("/lists/:id", get(lists::show))
        .route("/lists/:id/entries", axum::routing::post(lists::add))
        .route("/lists/:id/import", axum::routing::post(lists::import))
        .route(
            "/lists/:id/image",
            axum::routing::post(lists::image).layer(crate::api::upload_limit()),
        )
        .route("/lists/entries/:entry", axum::routing::post(lists::toggle))
        .route(
            "/match",
            get(lists::tester)
                .post(lists::run_tester)
                .layer(crate::api::upload_limit()),
        )
        .route("/urls", get(lists::urls).post(lists::add_url))
        .route("/urls/:id/remove", axum::routing::post(lists::remove_url))
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("haven.css"),
    )
}

/// The districts to choose from, by name: (code, name). Place names are not
/// personal data, so the public page lists them too.
pub async fn districts(st: &AppState, actor: haven_domain::Actor) -> Vec<(String, String)> {
    st.run(move |store, _| store.list_locations(&actor))
        .await
        .map(|all| {
            let mut d: Vec<(String, String)> = all
                .into_iter()
                .filter(|l| l.level == haven_domain::LocationLevel::District)
                .map(|l| (l.code, l.name))
                .collect();
            d.sort_by(|a, b| a.1.cmp(&b.1));
            d
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    //! Every word a page shows comes from the translation files: a template
    //! holds markup and `tr` calls, never text of its own.

    fn strip(text: &str, open: &str, close: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            out.push_str(&rest[..start]);
            rest = rest[start + open.len()..]
                .split_once(close)
                .map_or("", |(_, after)| after);
        }
        out.push_str(rest);
        out
    }

    /// The words left in a template once its template syntax is gone: text
    /// between tags, and the attributes a person reads or hears.
    fn untranslated(template: &str) -> Vec<String> {
        let mut t = strip(template, "{#", "#}");
        t = strip(&t, "{%", "%}");
        t = strip(&t, "{{", "}}");
        let mut found = Vec::new();
        let mut rest = t.as_str();
        while let Some(lt) = rest.find('<') {
            found.push(rest[..lt].to_string());
            let Some(gt) = rest[lt..].find('>') else {
                break;
            };
            let tag = &rest[lt..lt + gt];
            for attr in ["placeholder=\"", "aria-label=\"", "title=\"", "alt=\""] {
                if let Some(v) = tag.split(attr).nth(1).and_then(|v| v.split('"').next()) {
                    found.push(v.to_string());
                }
            }
            rest = &rest[lt + gt + 1..];
        }
        found.push(rest.to_string());
        found
            .into_iter()
            .map(|s| strip(&s, "&", ";"))
            // Attributes written by a macro outside any tag.
            .map(|s| {
                s.split_whitespace()
                    .filter(|w| !(w.contains("=\"") && w.ends_with('"')))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|s| s.chars().any(char::is_alphabetic))
            .map(|s| s.trim().to_string())
            .collect()
    }

    #[test]
    fn templates_hold_no_words_of_their_own() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let words = untranslated(&text);
            assert!(
                words.is_empty(),
                "{} shows text that is not translated: {words:?}",
                path.display()
            );
            checked += 1;
        }
        assert!(checked >= 4);
        // The check itself finds words where they hide.
        assert_eq!(
            untranslated("<p>{{ tr.t(\"x\") }}</p><input placeholder=\"Name\"><b>Hello</b>"),
            vec!["Name".to_string(), "Hello".to_string()]
        );
        assert!(untranslated("<p>{{ a }} &middot; {% if b %}{% endif %}</p>").is_empty());
    }
}
