//! Figures from other countries (issue 13), read-only, for monitoring
//! officers and administrators: the public figures trusted peers sent,
//! the newest per origin, indicator, period and place. Each was
//! disclosure-controlled where it was computed; a hidden one says so in
//! words as well as with the symbol.

use super::indicators::{figure, period_text};
use super::layout::{render, Layout, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use haven_domain::indicators::{Period, Unit};

/// A received figure in the reader's words.
struct FigureRow {
    indicator: String,
    origin: String,
    period: String,
    place: String,
    value: String,
    suppressed: bool,
    received: String,
}

#[derive(Template)]
#[template(path = "received_figures.html")]
struct FiguresPage {
    l: Layout,
    rows: Vec<FigureRow>,
    symbol: &'static str,
}

/// `/exchange/figures`.
pub(super) async fn figures(State(st): State<AppState>, staff: Staff) -> Response {
    let actor = staff.session.actor.clone();
    let tr = staff.tr;
    match st
        .run(move |s, now| s.received_statistics(&actor, now))
        .await
    {
        Ok(items) => render(&FiguresPage {
            l: staff.layout(),
            rows: items
                .into_iter()
                .map(|s| {
                    // The peer's catalogue may hold indicators this one
                    // does not: then its id, as sent.
                    let key = format!("indicator-{}", s.indicator.replace('_', "-"));
                    let value = s.value.as_deref().and_then(|v| v.parse::<f64>().ok());
                    FigureRow {
                        indicator: if tr.has(&key) {
                            tr.t(&key)
                        } else {
                            s.indicator.clone()
                        },
                        origin: s.origin.clone(),
                        period: Period::parse(&s.period)
                            .map_or_else(|_| s.period.clone(), |p| period_text(tr, &p)),
                        place: s.location.clone(),
                        value: match Unit::parse(&s.unit) {
                            Some(unit) => figure(tr, unit, value, s.suppressed),
                            None => s.value.clone().unwrap_or_default(),
                        },
                        suppressed: s.suppressed,
                        received: tr.date(s.received_at),
                    }
                })
                .collect(),
            symbol: super::indicators::SYMBOL,
        }),
        Err(e) => staff.problem(&e, "/"),
    }
}
