//! The WHO readiness assessment for the prevention of child maltreatment
//! (RAP-CM, §117): rounds, each key informant's item scores, and a round's
//! results (per dimension out of 10, total out of 100, the mean across
//! informants, and the change from the previous round). Monitoring
//! officers and administrators only; the store refuses everyone else. The
//! arithmetic is [`haven_domain::readiness`].

use super::openapi::{Page, Record};
use crate::auth::ApiCaller;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use haven_domain::readiness::{change, results, Instrument, Results, Scores};
use haven_domain::{Actor, Date};
use haven_store::readiness::{InformantScores, Round};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// Every version of the instrument, oldest first: the one Haven ships and
/// those added here.
pub async fn instruments(st: &AppState, actor: &Actor) -> Result<Vec<Instrument>, WebError> {
    let who = actor.clone();
    st.run(move |s, now| s.readiness_instruments(&who, now))
        .await
}

/// The newest version: new rounds follow it.
pub fn newest(all: &[Instrument]) -> Result<&Instrument, WebError> {
    all.last().ok_or_else(|| {
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "no readiness instrument is installed",
        )
    })
}

/// The version a round was entered with.
pub fn instrument_for<'a>(
    all: &'a [Instrument],
    round: &Round,
) -> Result<&'a Instrument, WebError> {
    all.iter()
        .find(|i| i.version == round.instrument_version)
        .ok_or_else(|| {
            WebError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!(
                    "this round follows version {} of the instrument, which is not installed",
                    round.instrument_version
                ),
            )
        })
}

/// A round, its informants' scores, and every version of the instrument
/// (to find the one the round follows).
pub async fn round_with_instruments(
    st: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<(Round, Vec<InformantScores>, Vec<Instrument>), WebError> {
    let actor = actor.clone();
    let id = id.to_string();
    st.run(move |s, now| {
        let all = s.readiness_instruments(&actor, now)?;
        let (round, informants) = s.readiness_round(&actor, &id, now)?;
        Ok((round, informants, all))
    })
    .await
}

/// A round with its results, and the round before it (by date) with its
/// results, for the change between them.
pub struct RoundResults {
    /// The round.
    pub round: Round,
    /// The version of the instrument it follows.
    pub instrument: Instrument,
    /// Its informants' scores.
    pub informants: Vec<InformantScores>,
    /// The mean across them; none without any informant.
    pub results: Option<Results>,
    /// The round before, with its results (when it has any).
    pub previous: Option<(Round, Option<Results>)>,
}

/// Reads a round, its results, and the round before it.
pub async fn round_results(
    st: &AppState,
    actor: &Actor,
    id: String,
) -> Result<RoundResults, WebError> {
    let who = actor.clone();
    let (round, informants, previous, versions) = st
        .run(move |s, now| {
            let versions = s.readiness_instruments(&who, now)?;
            let (round, informants) = s.readiness_round(&who, &id, now)?;
            let all = s.readiness_rounds(&who, now)?;
            let before = all
                .iter()
                .position(|r| r.id == round.id)
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| all.get(i).cloned());
            let previous = match before {
                Some(b) => Some(s.readiness_round(&who, &b.id, now)?),
                None => None,
            };
            Ok((round, informants, previous, versions))
        })
        .await?;
    let inst = instrument_for(&versions, &round)?.clone();
    let scores: Vec<Scores> = informants.iter().map(|i| i.scores.clone()).collect();
    let res = results(&inst, &scores);
    // A round of another version is scored with its own: dimensions are
    // out of 10 and the total out of 100 in every version, so they compare.
    let previous = previous.map(|(r, inf)| {
        let s: Vec<Scores> = inf.into_iter().map(|i| i.scores).collect();
        let res = instrument_for(&versions, &r)
            .ok()
            .and_then(|theirs| results(theirs, &s));
        (r, res)
    });
    Ok(RoundResults {
        instrument: inst,
        round,
        informants,
        results: res,
        previous,
    })
}

fn results_json(r: &Results) -> Value {
    json!({
        "informants": r.informants,
        "dimensions": r.dimensions.iter().map(|d| json!({"id": d.id, "raw": d.raw, "max": d.max, "score": d.score})).collect::<Vec<_>>(),
        "total": r.total,
    })
}

fn round_json(r: &Round) -> Value {
    json!({
        "id": r.id,
        "name": r.name,
        "held_on": r.held_on.to_string(),
        "instrument_version": r.instrument_version,
        "informants": r.informants,
    })
}

/// Every round, oldest first.
#[utoipa::path(get, path = "/api/v1/readiness/rounds", operation_id = "list_readiness_rounds", tag = "readiness",
    responses((status = 200, description = "`{\"items\": [{\"id\", \"name\", \"held_on\", \"instrument_version\", \"informants\"}], \"next\": null}`", body = Page)))]
pub(super) async fn list(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let rounds = st.run(move |s, now| s.readiness_rounds(&a, now)).await?;
    let items: Vec<Value> = rounds.iter().map(round_json).collect();
    Ok(Json(json!({"items": items, "next": null})))
}

/// A new round.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewRound {
    /// Its name, e.g. "Baseline 2026".
    name: String,
    /// `YYYY-MM-DD`: when it was held.
    held_on: String,
}

/// Starts a round with the newest version of the instrument. Audited.
#[utoipa::path(post, path = "/api/v1/readiness/rounds", operation_id = "create_readiness_round", tag = "readiness",
    request_body = NewRound,
    responses((status = 201, description = "`{\"id\", \"instrument_version\"}`", body = Record)))]
pub(super) async fn create(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    super::ApiJson(b): super::ApiJson<NewRound>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let version = newest(&instruments(&st, &a).await?)?.version;
    let held = Date::parse(b.held_on.trim())
        .ok_or_else(|| WebError::field("held_on", "logframes-error-date").in_english())?;
    let id = st
        .run(move |s, now| s.create_readiness_round(&a, &b.name, held, version, now))
        .await
        .map_err(WebError::in_english)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "instrument_version": version})),
    ))
}

/// A round: its informants' codes, the mean of their scores per dimension
/// (`raw` of `max`, `score` out of 10) and in total (out of 100; `null`
/// without any informant), and the change from the round held before it
/// (`null` when there is none, or either has no scores).
#[utoipa::path(get, path = "/api/v1/readiness/rounds/{id}", operation_id = "read_readiness_round", tag = "readiness",
    params(("id" = String, Path, description = "The round's id")),
    responses((status = 200, description = "`{\"id\", \"name\", \"held_on\", \"instrument_version\", \"informants\", \"informant_codes\", \"results\": {\"informants\", \"dimensions\": [{\"id\", \"raw\", \"max\", \"score\"}], \"total\"}, \"previous\": {\"id\", \"name\", \"held_on\", \"total\"}, \"change\": {\"dimensions\": [{\"id\", \"change\"}], \"total\"}}`", body = Record)))]
pub(super) async fn read(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let r = round_results(&st, &a, id).await?;
    let mut body = round_json(&r.round);
    body["informant_codes"] = json!(r
        .informants
        .iter()
        .map(|i| i.informant.clone())
        .collect::<Vec<_>>());
    body["results"] = r.results.as_ref().map_or(Value::Null, results_json);
    body["previous"] = r.previous.as_ref().map_or(Value::Null, |(p, res)| {
        json!({"id": p.id, "name": p.name, "held_on": p.held_on.to_string(),
               "total": res.as_ref().map(|x| x.total)})
    });
    body["change"] = match (&r.previous, &r.results) {
        (Some((_, Some(before))), Some(after)) => {
            let (per, total) = change(before, after);
            json!({
                "dimensions": per.iter().map(|(id, c)| json!({"id": id, "change": c})).collect::<Vec<_>>(),
                "total": total,
            })
        }
        _ => Value::Null,
    };
    Ok(Json(body))
}

/// One key informant's scores: item id → 0, 1 or 2 (0 or 1 where the
/// item's maximum is 1); every item of the instrument.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ScoresBody {
    /// Item id (e.g. `attitudes_1`) → score.
    #[schema(value_type = Object)]
    scores: BTreeMap<String, i64>,
}

/// Keeps one key informant's scores in a round, replacing theirs. The
/// informant is a code, not a name. Audited.
#[utoipa::path(put, path = "/api/v1/readiness/rounds/{id}/informants/{informant}", operation_id = "save_readiness_scores", tag = "readiness",
    params(
        ("id" = String, Path, description = "The round's id"),
        ("informant" = String, Path, description = "The key informant's code"),
    ),
    request_body = ScoresBody,
    responses((status = 200, description = "`{\"informant\", \"results\"}`: this informant's own figures", body = Record)))]
pub(super) async fn save(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    Path((id, informant)): Path<(String, String)>,
    super::ApiJson(b): super::ApiJson<ScoresBody>,
) -> Result<Json<Value>, WebError> {
    let (round, _, all) = round_with_instruments(&st, &a, &id).await?;
    let inst = instrument_for(&all, &round)?;
    let typed: BTreeMap<String, String> = b
        .scores
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    let scores = inst
        .check_scores(&typed)
        .map_err(|v| WebError::from(haven_store::StoreError::Invalid(v)).in_english())?;
    let kept = scores.clone();
    let code = informant.trim().to_string();
    let saved = code.clone();
    st.run(move |s, now| s.save_readiness_scores(&a, &id, &saved, &kept, now))
        .await
        .map_err(WebError::in_english)?;
    let own = results(inst, &[scores]).map_or(Value::Null, |r| results_json(&r));
    Ok(Json(json!({"informant": code, "results": own})))
}

/// Typed scores for a form: item id → the score as text.
pub fn as_typed(s: &Scores) -> HashMap<String, String> {
    s.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
}

/// Every version of the instrument, oldest first: each with its dimensions,
/// items, maxima and, where the version has it, the questions' wording.
#[utoipa::path(get, path = "/api/v1/readiness/instruments", operation_id = "list_readiness_instruments", tag = "readiness",
    responses((status = 200, description = "`{\"items\": [{\"instrument\", \"version\", \"about\", \"dimensions\": [{\"id\", \"max\", \"items\": [{\"id\", \"max\", \"text\"}]}]}], \"next\": null}`", body = Page)))]
pub(super) async fn list_instruments(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
) -> Result<Json<Value>, WebError> {
    let all = instruments(&st, &a).await?;
    Ok(Json(json!({"items": all, "next": null})))
}

/// Adds a version of the instrument: the file in the shipped one's form
/// (`crates/domain/indicators/readiness.json`), RAP-CM's ten dimensions
/// with their items' maxima and, optionally, each question's wording in
/// `en`, `fr` and `es`, numbered above every version here. New rounds
/// follow it; rounds already held keep theirs. Monitoring officers and
/// administrators; audited.
#[utoipa::path(post, path = "/api/v1/readiness/instruments", operation_id = "add_readiness_instrument", tag = "readiness",
    request_body(content = Record, description = "The instrument (JSON)"),
    responses((status = 201, description = "`{\"version\"}`", body = Record)))]
pub(super) async fn add_instrument(
    State(st): State<AppState>,
    ApiCaller(a): ApiCaller,
    super::ApiJson(b): super::ApiJson<Value>,
) -> Result<(StatusCode, Json<Value>), WebError> {
    let text = b.to_string();
    let version = st
        .run(move |s, now| s.add_readiness_instrument(&a, &text, now))
        .await
        .map_err(WebError::in_english)?;
    Ok((StatusCode::CREATED, Json(json!({"version": version}))))
}
