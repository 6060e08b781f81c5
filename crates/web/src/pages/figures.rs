//! Public figures: the indicators an administrator marks public, for the
//! whole country, the last complete year and its trend, without signing
//! in (`/figures`, in the languages of `/report`, linked from it). Small
//! counts are hidden exactly as for a role without record access. The
//! administrators' screen (`/admin/figures`) marks each indicator public
//! or not through the same audited store call as
//! `PUT /api/v1/indicators/{id}/public`.

use super::forms::{FieldErrors, StaffForm};
use super::indicators::{about, figure, name, trend_view, LineChart, Row, SYMBOL, TREND};
use super::layout::{render, render_with, Layout, Staff};
use super::report::{LangQuery, PublicFrame};
use crate::error::WebError;
use crate::exchange::public_reader as public_actor;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use haven_domain::indicators::{evaluate, Definition, Figures, Period};
use haven_domain::{Actor, Date, Role};
use haven_store::indicators::IndicatorQuery;
use serde::Deserialize;

/// One public indicator as the page shows it (`s` in `indicator_trend.html`).
struct Shown {
    name: String,
    about: String,
    value: String,
    suppressed: bool,
    trend: LineChart,
    trend_rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresPage {
    l: PublicFrame,
    /// The last complete year, in words.
    year: String,
    shown: Vec<Shown>,
    any_suppressed: bool,
    /// The figures could not be computed now.
    unavailable: bool,
    symbol: &'static str,
    k: i64,
}

/// The whole country's location code: the one place without a parent.
async fn country(st: &AppState) -> Result<String, WebError> {
    let all = st.run(|s, _| s.list_locations(&Actor::system())).await?;
    all.into_iter()
        .find(|l| l.parent.is_none())
        .map(|l| l.code)
        .ok_or_else(|| WebError::new(StatusCode::NOT_FOUND, "not_found", "no country yet"))
}

/// The public indicators' figures: (definition, figures per trend period).
async fn public_figures(
    st: &AppState,
    year: Period,
) -> Result<Vec<(Definition, Vec<Figures>)>, WebError> {
    let cat = st.catalogue.clone();
    let location = country(st).await?;
    let public = st.run(|s, _| s.public_indicators()).await?;
    let periods = year.trend(TREND);
    let rule = Some(st.limits.disclosure);
    let mut out = Vec::new();
    for d in cat.indicators.iter().filter(|d| public.contains(&d.id)) {
        let q = IndicatorQuery {
            definition: d.clone(),
            periods: periods.clone(),
            location: location.clone(),
            by: None,
        };
        let tallies = st
            .run(move |s, now| s.indicator_tallies(&public_actor(), &q, now))
            .await?;
        out.push((
            d.clone(),
            tallies.iter().map(|t| evaluate(d, t, rule)).collect(),
        ));
    }
    Ok(out)
}

/// `/figures`: no sign-in; `?lang=` then the browser, like `/report`.
pub(super) async fn public_page(
    State(st): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let tr = Tr::negotiate(q.lang.as_deref(), &headers);
    let last_year = Date::from_unix(st.now()).year() - 1;
    let mut page = FiguresPage {
        l: PublicFrame::new(&st, tr, "/figures"),
        year: last_year.to_string(),
        shown: Vec::new(),
        any_suppressed: false,
        unavailable: false,
        symbol: SYMBOL,
        k: st.limits.disclosure.k,
    };
    let Ok(year) = Period::parse(&last_year.to_string()) else {
        page.unavailable = true;
        return render_with(StatusCode::SERVICE_UNAVAILABLE, &page);
    };
    let periods = year.trend(TREND);
    match public_figures(&st, year).await {
        Ok(all) => {
            for (i, (d, figs)) in all.iter().enumerate() {
                let Some(now) = figs.last() else { continue };
                page.any_suppressed |= figs.iter().any(|f| f.suppressed);
                let (trend, trend_rows) =
                    trend_view(tr, d, &periods, figs, &format!("trend-table-{i}"));
                page.shown.push(Shown {
                    name: name(tr, d),
                    about: about(tr, d),
                    value: figure(tr, d.unit, now.value, now.suppressed),
                    suppressed: now.suppressed,
                    trend,
                    trend_rows,
                });
            }
            render(&page)
        }
        Err(e) => {
            tracing::warn!(error = %e.message, "public figures unavailable");
            page.unavailable = true;
            render_with(StatusCode::SERVICE_UNAVAILABLE, &page)
        }
    }
}

/// One indicator on the administrators' screen.
struct Choice {
    id: String,
    name: String,
    about: String,
    public: bool,
}

#[derive(Template)]
#[template(path = "admin_figures.html")]
struct AdminPage {
    l: Layout,
    items: Vec<Choice>,
    errors: FieldErrors,
    saved: bool,
}

fn forbidden() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "only an administrator may choose the public figures",
    )
}

async fn admin_page(st: &AppState, staff: &Staff, errors: FieldErrors, saved: bool) -> Response {
    let tr = staff.tr;
    let cat = st.catalogue.clone();
    let public = match st.run(|s, _| s.public_indicators()).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, "/admin"),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AdminPage {
        l: staff.layout(),
        items: cat
            .indicators
            .iter()
            .map(|d| Choice {
                id: d.id.clone(),
                name: name(tr, d),
                about: about(tr, d),
                public: public.contains(&d.id),
            })
            .collect(),
        errors,
        saved,
    };
    render_with(status, &page)
}

#[derive(Deserialize)]
pub(super) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `/admin/figures`: each indicator, public or not, with a button to change it.
pub(super) async fn admin(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<SavedQuery>,
) -> Response {
    if staff.session.actor.role != Role::Admin {
        return staff.problem(&forbidden(), "/");
    }
    let errors = FieldErrors::new(staff.tr);
    admin_page(&st, &staff, errors, q.saved.is_some()).await
}

/// The choice as typed: which indicator, and `yes` (public) or `no`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PublicForm {
    indicator: String,
    public: String,
}

/// Marks one indicator public or not; 303 back to the list.
pub(super) async fn admin_save(
    State(st): State<AppState>,
    StaffForm { staff, form }: StaffForm<PublicForm>,
) -> Response {
    if staff.session.actor.role != Role::Admin {
        return staff.problem(&forbidden(), "/");
    }
    let mut errors = FieldErrors::new(staff.tr);
    let known = st.catalogue.get(form.indicator.trim()).is_some();
    if !known {
        errors.add("indicator", "figures-error-indicator");
    }
    let public = match form.public.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("public", "figures-error-public");
            None
        }
    };
    let Some(public) = public.filter(|_| errors.is_empty()) else {
        return admin_page(&st, &staff, errors, false).await;
    };
    let actor = staff.session.actor.clone();
    let id = form.indicator.trim().to_string();
    match st
        .run(move |s, now| s.set_indicator_public(&actor, &id, public, now))
        .await
    {
        Ok(()) => Redirect::to("/admin/figures?saved=1").into_response(),
        Err(e) => staff.problem(&e, "/admin/figures"),
    }
}
