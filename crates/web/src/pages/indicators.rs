//! `/indicators`: the catalogue of indicators in plain words, and one
//! indicator for a period and a place: its value, its trend as a line
//! chart, and a breakdown as a bar chart with the table that is the chart's
//! text alternative. Callers without record access see small counts
//! suppressed. Words from `locales/*/indicators.ftl`; charts are drawn
//! here as SVG, with no script.

use super::charts::{bar_chart, BarChart, BarInput};
use super::children::{locations, place_options};
use super::forms::FieldErrors;
use super::layout::{label, render, render_with, Layout, Opt, Staff};
use crate::api::indicators::{offered, rule_for};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use haven_domain::indicators::{
    evaluate, Definition, Dimension, Figures, Period, PeriodError, Unit,
};
use haven_domain::{Date, Location, Role};
use haven_store::indicators::IndicatorQuery;
use std::collections::HashMap;

/// How many periods the trend shows.
pub(super) const TREND: usize = 6;

/// One indicator of the catalogue.
struct Item {
    name: String,
    about: String,
    href: String,
}

/// A point of the trend line.
pub(super) struct Point {
    pub(super) x: i64,
    pub(super) y: i64,
    pub(super) period: String,
    pub(super) value: String,
    pub(super) known: bool,
}

/// The trend: one line, broken where a value is hidden or undefined.
/// Drawn by `templates/indicator_trend.html` (with its table), which both
/// the indicators page and the public figures page include.
pub(super) struct LineChart {
    /// The id of the table that is the chart's text alternative.
    pub(super) table_id: String,
    pub(super) width: i64,
    pub(super) height: i64,
    pub(super) left: i64,
    pub(super) right: i64,
    pub(super) top: i64,
    pub(super) bottom: i64,
    pub(super) top_label: String,
    pub(super) segments: Vec<String>,
    pub(super) points: Vec<Point>,
    pub(super) described: String,
}

/// One row of a figures table (the trend's or the breakdown's).
pub(super) struct Row {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) suppressed: bool,
}

/// One indicator's figures as the page shows them.
struct Shown {
    name: String,
    about: String,
    value: String,
    suppressed: bool,
    basis: Option<String>,
    heading: String,
    trend: LineChart,
    trend_rows: Vec<Row>,
    by_label: Option<String>,
    bars: Option<BarChart>,
    rows: Vec<Row>,
    any_suppressed: bool,
    own_area: bool,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndicatorsPage {
    l: Layout,
    errors: FieldErrors,
    indicators: Vec<Opt>,
    period: String,
    places: Vec<Opt>,
    breakdowns: Vec<Opt>,
    catalogue: Vec<Item>,
    shown: Option<Shown>,
    /// Over-representation is offered (every role that sees children's figures).
    over: bool,
    /// Logframes are offered (those who keep or read them).
    logframes: bool,
    /// The readiness assessment is offered (those who keep it).
    readiness: bool,
    /// The figures other countries sent are offered (administrators and
    /// monitoring officers).
    received: bool,
    symbol: &'static str,
    k: i64,
}

/// The symbol a hidden figure shows instead of its number.
pub(super) const SYMBOL: &str = "\u{25cc}";

/// An indicator's name: Haven's translation, else the catalogue's own
/// words in this language (an indicator a deployment added), else its
/// English name.
pub(super) fn name(tr: Tr, d: &Definition) -> String {
    let key = format!("indicator-{}", d.id.replace('_', "-"));
    if tr.has(&key) {
        return tr.t(&key);
    }
    d.words
        .get(tr.lang)
        .map_or_else(|| d.name.clone(), |w| w.name.clone())
}

/// What an indicator means, found as its name is.
pub(super) fn about(tr: Tr, d: &Definition) -> String {
    let key = format!("indicator-{}-about", d.id.replace('_', "-"));
    if tr.has(&key) {
        return tr.t(&key);
    }
    d.words
        .get(tr.lang)
        .map_or_else(|| d.description.clone(), |w| w.description.clone())
}

pub(super) fn dimension_label(tr: Tr, x: Dimension) -> String {
    tr.t(&format!("indicators-by-{}", x.as_str().replace('_', "-")))
}

/// A group's name: a place's name, a closed list's words, an agency's code.
pub(super) fn key_label(tr: Tr, by: Dimension, key: &str, places: &[Location]) -> String {
    match by {
        Dimension::Location if key == "unknown" => tr.t("indicators-place-unknown"),
        Dimension::Location => super::children::place_name(places, key),
        Dimension::Sex => label(tr, "sex", key),
        Dimension::AgeBand => tr.t(&format!("indicators-age-{}", key.replace('_', "-"))),
        Dimension::BirthRegistration => label(tr, "birth-registration", key),
        Dimension::RiskLevel => label(tr, "risk-level", key),
        Dimension::Sector => label(tr, "sector", key),
        Dimension::ReportCategory => label(tr, "report-category", key),
        Dimension::Agency if key == "none" => tr.t("indicators-agency-none"),
        Dimension::Agency => key.to_string(),
        Dimension::ExploitationForm if key == "not_recorded" => {
            tr.t("indicators-exploitation-not-recorded")
        }
        Dimension::ExploitationForm => label(tr, "exploitation", key),
        Dimension::Disability if key == "yes" => tr.t("yes"),
        Dimension::Disability => tr.t("no"),
        Dimension::MinorityGroup if key == "not_recorded" => {
            tr.t("indicators-minority-not-recorded")
        }
        Dimension::MinorityGroup => key.to_string(),
    }
}

/// A figure in words: a count, a percentage, hours or days.
pub(super) fn figure(tr: Tr, unit: Unit, v: Option<f64>, suppressed: bool) -> String {
    if suppressed {
        return SYMBOL.to_string();
    }
    match (unit, v) {
        (_, None) => tr.t("indicators-no-value"),
        (Unit::Count, Some(v)) => tr.number(v as i64),
        (Unit::Percent, Some(v)) => tr.t1("indicators-percent", "n", tr.decimal(v)),
        (Unit::MedianHours, Some(v)) => tr.t1("indicators-hours", "n", tr.decimal(v)),
        (Unit::MedianDays, Some(v)) => tr.t1("indicators-days", "n", tr.decimal(v)),
        (Unit::RatePer100k, Some(v)) => tr.t1("indicators-rate", "n", tr.decimal(v)),
    }
}

/// A period as a person reads it.
/// A value of a figures page's query, trimmed; `None` when blank.
pub(super) fn given(q: &HashMap<String, String>, k: &str) -> Option<String> {
    q.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The period (as typed, and read) and the place a figures page was asked
/// for: this year and the caller's widest place when not given, each
/// refused beside its field when not valid.
pub(super) fn period_and_place(
    q: &HashMap<String, String>,
    places: &[Location],
    now: i64,
    errors: &mut FieldErrors,
) -> (String, Result<Period, PeriodError>, String) {
    let period_input =
        given(q, "period").unwrap_or_else(|| Date::from_unix(now).year().to_string());
    let period = Period::parse(&period_input);
    if period.is_err() {
        errors.add("period", "indicators-error-period");
    }
    let widest = places
        .iter()
        .find(|l| !places.iter().any(|p| Some(&p.code) == l.parent.as_ref()))
        .map(|l| l.code.clone())
        .unwrap_or_default();
    let location = given(q, "location").unwrap_or(widest);
    if !places.iter().any(|l| l.code == location) {
        errors.add("location", "indicators-error-location");
    }
    (period_input, period, location)
}

pub(super) fn period_text(tr: Tr, p: &Period) -> String {
    use haven_domain::indicators::period::PeriodKind;
    let s = p.start();
    match p.kind() {
        PeriodKind::Year => s.year().to_string(),
        PeriodKind::Quarter => tr.t2(
            "indicators-quarter",
            "n",
            u32::from((s.month() - 1) / 3 + 1),
            "year",
            s.year().to_string(),
        ),
        PeriodKind::Month => tr.t2(
            "indicators-month",
            "month",
            tr.t(&format!("month-{}", s.month())),
            "year",
            s.year().to_string(),
        ),
        PeriodKind::Range => tr.t2(
            "indicators-range",
            "first",
            tr.day(p.start()),
            "last",
            tr.day(p.last_day()),
        ),
    }
}

/// A period's short label under the trend chart.
fn period_tick(p: &Period) -> String {
    use haven_domain::indicators::period::PeriodKind;
    match p.kind() {
        PeriodKind::Range => p.start().to_string(),
        _ => p.to_string(),
    }
}

/// The trend of `d` over `periods` as a line chart and as the table that
/// is its text alternative (`table_id` names that table on the page).
pub(super) fn trend_view(
    tr: Tr,
    d: &Definition,
    periods: &[Period],
    figs: &[Figures],
    table_id: &str,
) -> (LineChart, Vec<Row>) {
    let rows = periods
        .iter()
        .zip(figs)
        .map(|(p, f)| Row {
            label: period_text(tr, p),
            value: figure(tr, d.unit, f.value, f.suppressed),
            suppressed: f.suppressed,
        })
        .collect();
    (line_chart(tr, d, periods, figs, table_id), rows)
}

fn line_chart(
    tr: Tr,
    d: &Definition,
    periods: &[Period],
    figs: &[Figures],
    table_id: &str,
) -> LineChart {
    let (width, height, left, right, top, bottom) = (340, 180, 44, 326, 20, 146);
    let max = figs
        .iter()
        .filter_map(|f| f.value)
        .fold(0.0_f64, f64::max)
        .max(if d.unit == Unit::Percent { 100.0 } else { 1.0 });
    let n = periods.len().max(1) as i64;
    let step = if n > 1 {
        (right - left - 20) / (n - 1)
    } else {
        0
    };
    let mut points = Vec::new();
    let mut segments = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for (i, (p, f)) in periods.iter().zip(figs).enumerate() {
        let x = left + 10 + step * i as i64;
        let known = f.value.is_some();
        let y = f.value.map_or(bottom, |v| {
            bottom - ((v / max) * (bottom - top) as f64).round() as i64
        });
        if known {
            current.push(format!("{x},{y}"));
        } else if !current.is_empty() {
            segments.push(std::mem::take(&mut current).join(" "));
        }
        points.push(Point {
            x,
            y,
            period: period_tick(p),
            value: figure(tr, d.unit, f.value, f.suppressed),
            known,
        });
    }
    if !current.is_empty() {
        segments.push(current.join(" "));
    }
    LineChart {
        table_id: table_id.to_string(),
        width,
        height,
        left,
        right,
        top,
        bottom,
        top_label: figure(tr, d.unit, Some(max), false),
        segments,
        points,
        described: tr.t1("indicators-trend-described", "name", name(tr, d)),
    }
}

/// The breakdown as bars, a percentage's scale running to 100.
fn breakdown_chart(tr: Tr, d: &Definition, rows: &[(String, Option<f64>, bool)]) -> BarChart {
    let bars = rows
        .iter()
        .map(|(label, v, s)| BarInput {
            label: label.clone(),
            value: *v,
            shown: figure(tr, d.unit, *v, *s),
            suppressed: *s,
        })
        .collect();
    let at_least = if d.unit == Unit::Percent { 100.0 } else { 1.0 };
    bar_chart(
        bars,
        at_least,
        None,
        tr.t1("indicators-bars-described", "name", name(tr, d)),
        "breakdown-table",
    )
}

/// The indicators page.
pub(super) async fn page(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let tr = staff.tr;
    let actor = staff.session.actor.clone();
    if !matches!(
        actor.role,
        Role::Admin | Role::Supervisor | Role::Caseworker | Role::Monitor | Role::Analyst
    ) {
        return staff.problem(
            &WebError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "no indicators for this role",
            ),
            "/",
        );
    }
    let cat = st.catalogue.clone();
    let places = match locations(&st, &staff).await {
        Ok(p) => p,
        Err(e) => return staff.problem(&e, "/"),
    };
    let visible: Vec<&Definition> = cat
        .indicators
        .iter()
        .filter(|d| offered(&actor, d))
        .collect();
    let given = |k: &str| given(&q, k);
    let mut errors = FieldErrors::new(tr);
    let chosen = given("indicator");
    let d = match &chosen {
        Some(id) => match visible.iter().find(|d| &d.id == id) {
            Some(d) => Some(*d),
            None => {
                errors.add("indicator", "indicators-error-indicator");
                None
            }
        },
        None => None,
    };
    let (period_input, period, location) = period_and_place(&q, &places, st.now(), &mut errors);
    let by = given("by").and_then(|b| {
        let x = Dimension::parse(&b).filter(|x| d.is_none_or(|d| d.disaggregations.contains(x)));
        if x.is_none() {
            errors.add("by", "indicators-error-by");
        }
        x
    });
    let first_id = d
        .or(visible.first().copied())
        .map(|d| d.id.clone())
        .unwrap_or_default();
    let mut page = IndicatorsPage {
        l: staff.layout(),
        errors: FieldErrors::new(tr),
        indicators: visible
            .iter()
            .map(|x| Opt::new(&x.id, name(tr, x), &first_id))
            .collect(),
        period: period_input.clone(),
        places: place_options(&places, &location),
        breakdowns: std::iter::once(Opt::new(
            "",
            tr.t("indicators-by-none"),
            by.map_or("", Dimension::as_str),
        ))
        .chain(
            d.or(visible.first().copied())
                .map(|d| d.disaggregations.clone())
                .unwrap_or_default()
                .into_iter()
                .map(|x| {
                    Opt::new(
                        x.as_str(),
                        dimension_label(tr, x),
                        by.map_or("", Dimension::as_str),
                    )
                }),
        )
        .collect(),
        catalogue: visible
            .iter()
            .map(|x| Item {
                name: name(tr, x),
                about: about(tr, x),
                href: format!("/indicators?indicator={}", x.id),
            })
            .collect(),
        shown: None,
        over: actor.role != Role::Analyst,
        logframes: matches!(actor.role, Role::Admin | Role::Monitor | Role::Supervisor),
        readiness: matches!(actor.role, Role::Admin | Role::Monitor),
        received: matches!(actor.role, Role::Admin | Role::Monitor),
        symbol: SYMBOL,
        k: st.limits.disclosure.k,
    };
    if !errors.is_empty() {
        page.errors = errors;
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (Some(d), Ok(period)) = (d, period) else {
        return render(&page);
    };
    let rule = rule_for(&st, &actor, false);
    let periods = period.trend(TREND);
    let trend_q = IndicatorQuery {
        definition: d.clone(),
        periods: periods.clone(),
        location: location.clone(),
        by: None,
    };
    let by_q = by.map(|by| IndicatorQuery {
        definition: d.clone(),
        periods: vec![period],
        location: location.clone(),
        by: Some(by),
    });
    let run_actor = actor.clone();
    let result = st
        .run(move |s, now| {
            let trend = s.indicator_tallies(&run_actor, &trend_q, now)?;
            let by = match by_q {
                Some(q) => s.indicator_tallies(&run_actor, &q, now)?.into_iter().next(),
                None => None,
            };
            Ok((trend, by))
        })
        .await;
    let (trend, breakdown) = match result {
        Ok(r) => r,
        Err(e) => {
            return match FieldErrors::from_store(tr, e, |f| match f {
                "location" => Some("indicators-error-location-national"),
                "by" => Some("indicators-error-by"),
                _ => None,
            }) {
                Ok(errs) => {
                    page.errors = errs;
                    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
                }
                Err(e) => staff.problem(&e, "/indicators"),
            };
        }
    };
    let figs: Vec<Figures> = trend.iter().map(|t| evaluate(d, t, rule)).collect();
    let Some(now_fig) = figs.last().cloned() else {
        return render(&page);
    };
    let mut any_suppressed = figs.iter().any(|f| f.suppressed);
    let basis = match (now_fig.numerator, now_fig.denominator) {
        (Some(n), Some(den)) if d.unit == Unit::Percent => Some(tr.t2(
            "indicators-basis",
            "n",
            tr.number(n),
            "total",
            tr.number(den),
        )),
        (Some(n), Some(den)) if d.unit == Unit::RatePer100k => Some(tr.t2(
            "indicators-basis-rate",
            "n",
            tr.number(n),
            "total",
            tr.number(den),
        )),
        (Some(n), None) if d.unit != Unit::Count => {
            Some(tr.t1("indicators-basis-records", "count", tr.number(n)))
        }
        _ => None,
    };
    let (trend_chart, trend_rows) = trend_view(tr, d, &periods, &figs, "trend-table");
    let (by_label, bars, rows) = match (by, breakdown) {
        (Some(by), Some(t)) => {
            let f = evaluate(d, &t, rule);
            any_suppressed |= f.cells.iter().any(|c| c.suppressed);
            let cells: Vec<(String, Option<f64>, bool)> = f
                .cells
                .iter()
                .map(|c| (key_label(tr, by, &c.key, &places), c.value, c.suppressed))
                .collect();
            let rows = cells
                .iter()
                .map(|(label, v, s)| Row {
                    label: label.clone(),
                    value: figure(tr, d.unit, *v, *s),
                    suppressed: *s,
                })
                .collect();
            (
                Some(dimension_label(tr, by)),
                Some(breakdown_chart(tr, d, &cells)),
                rows,
            )
        }
        _ => (None, None, Vec::new()),
    };
    let place = super::children::place_name(&places, &location);
    page.shown = Some(Shown {
        name: name(tr, d),
        about: about(tr, d),
        value: figure(tr, d.unit, now_fig.value, now_fig.suppressed),
        suppressed: now_fig.suppressed,
        basis,
        heading: tr.t2(
            "indicators-heading",
            "when",
            period_text(tr, &period),
            "place",
            place,
        ),
        trend: trend_chart,
        trend_rows,
        by_label,
        bars,
        rows,
        any_suppressed,
        own_area: actor.role != Role::Monitor && actor.scope_path.is_some(),
    });
    render(&page)
}
