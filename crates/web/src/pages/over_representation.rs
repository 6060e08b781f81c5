//! `/indicators/over-representation` (§115): whether some groups of
//! children are found among victims, or at high or critical risk, more
//! often than their share of the registered children would suggest. One
//! table per breakdown (sex, age band, disability, minority group, place
//! one level down), with the counts behind each ratio; small counts are
//! hidden for callers without record access, as everywhere else.

use super::charts::{bar_chart, BarChart, BarInput};
use super::children::{locations, place_name, place_options};
use super::forms::FieldErrors;
use super::indicators::{dimension_label, given, key_label, period_and_place, period_text};
use super::layout::{render, render_with, Layout, Opt, Staff};
use crate::api::indicators::{over_representation, OVER_BY};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use haven_domain::indicators::over_representation::Concern;
use haven_domain::Role;
use std::collections::HashMap;

/// The symbol a hidden figure shows instead of its number.
const SYMBOL: &str = "\u{25cc}";

struct GroupRow {
    label: String,
    count: String,
    share: String,
    registered: String,
    registered_share: String,
    ratio: String,
    /// The ratio is 1.5 or more: said in words, not only by the number.
    high: bool,
    suppressed: bool,
}

struct Breakdown {
    id: String,
    title: String,
    /// The ratios as bars against the line of an equal share.
    chart: BarChart,
    rows: Vec<GroupRow>,
}

#[derive(Template)]
#[template(path = "indicators_over.html")]
struct OverPage {
    l: Layout,
    errors: FieldErrors,
    concerns: Vec<Opt>,
    period: String,
    places: Vec<Opt>,
    heading: Option<String>,
    breakdowns: Vec<Breakdown>,
    any_suppressed: bool,
    own_area: bool,
    symbol: &'static str,
    k: i64,
}

fn count(tr: Tr, n: Option<i64>) -> String {
    n.map_or_else(|| SYMBOL.to_string(), |n| tr.number(n))
}

fn share(tr: Tr, v: Option<f64>, suppressed: bool) -> String {
    match (suppressed, v) {
        (true, _) => SYMBOL.to_string(),
        (false, None) => tr.t("indicators-no-value"),
        (false, Some(v)) => tr.t1("indicators-percent", "n", tr.decimal(v)),
    }
}

pub(super) async fn page(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    if !matches!(
        actor.role,
        Role::Admin | Role::Supervisor | Role::Caseworker | Role::Monitor
    ) {
        return staff.problem(
            &WebError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "no figures on children for this role",
            ),
            "/",
        );
    }
    let places = match locations(&st, &staff).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, "/"),
    };
    let given = |k: &str| given(&q, k);
    let mut errors = FieldErrors::new(tr);
    let concern_text = given("concern").unwrap_or_else(|| "victims".into());
    let concern = Concern::parse(&concern_text);
    if concern.is_none() {
        errors.add("concern", "over-error-concern");
    }
    let (period_input, period, location) = period_and_place(&q, &places, st.now(), &mut errors);
    let mut page = OverPage {
        l: staff.layout(),
        errors: FieldErrors::new(tr),
        concerns: Concern::ALL
            .iter()
            .map(|c| {
                Opt::new(
                    c.as_str(),
                    tr.t(&format!("over-concern-{}", c.as_str().replace('_', "-"))),
                    &concern_text,
                )
            })
            .collect(),
        period: period_input,
        places: place_options(&places, &location),
        heading: None,
        breakdowns: Vec::new(),
        any_suppressed: false,
        own_area: actor.role != Role::Monitor && actor.scope_path.is_some(),
        symbol: SYMBOL,
        k: st.limits.disclosure.k,
    };
    let (Some(concern), Ok(period), true) = (concern, period, errors.is_empty()) else {
        page.errors = errors;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let found = over_representation(&st, &actor, concern, period, &location, &OVER_BY).await;
    let rows = match found {
        Ok(r) => r,
        Err(e) if e.status == StatusCode::FORBIDDEN => {
            page.errors.add("location", "indicators-error-location");
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return staff.problem(&e, "/indicators"),
    };
    page.heading = Some(tr.t2(
        "indicators-heading",
        "when",
        period_text(tr, &period),
        "place",
        place_name(&places, &location),
    ));
    for (x, c) in rows {
        page.any_suppressed |= c.groups.iter().any(|g| g.suppressed);
        let id = format!("over-{}", x.as_str().replace('_', "-"));
        let title = dimension_label(tr, x);
        let rows: Vec<GroupRow> = c
            .groups
            .iter()
            .map(|g| GroupRow {
                label: key_label(tr, x, &g.key, &places),
                count: count(tr, g.count),
                share: share(tr, g.share, g.suppressed),
                registered: count(tr, g.registered),
                registered_share: share(tr, g.registered_share, g.suppressed),
                ratio: match (g.suppressed, g.ratio) {
                    (true, _) => SYMBOL.to_string(),
                    (false, None) => tr.t("indicators-no-value"),
                    (false, Some(r)) => tr.decimal(r),
                },
                high: g.ratio.is_some_and(|r| r >= 1.5),
                suppressed: g.suppressed,
            })
            .collect();
        let bars = c
            .groups
            .iter()
            .zip(&rows)
            .map(|(g, r)| BarInput {
                label: r.label.clone(),
                value: g.ratio.filter(|_| !g.suppressed),
                shown: r.ratio.clone(),
                suppressed: g.suppressed,
            })
            .collect();
        let chart = bar_chart(
            bars,
            1.0,
            Some((1.0, tr.t("over-chart-equal"))),
            tr.t1("over-chart-described", "name", &title),
            &format!("{id}-table"),
        );
        page.breakdowns.push(Breakdown {
            id,
            title,
            chart,
            rows,
        });
    }
    render(&page)
}
