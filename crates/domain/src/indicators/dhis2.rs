//! DHIS2 export: the published figures as a `dataValueSets` document, the
//! form DHIS2 imports aggregate data in (`POST /api/dataValueSets` with
//! `idScheme=CODE`):
//!
//! ```json
//! {"idScheme": "CODE", "period": "2026Q3", "orgUnit": "XX",
//!  "dataValues": [{"dataElement": "…", "period": "2026Q3", "orgUnit": "…",
//!                  "categoryOptionCombo": "…", "value": "42"}]}
//! ```
//!
//! A [`Mapping`] says which DHIS2 codes stand for what: each indicator's
//! data element, each of its cells' category option combination (`""` for
//! the whole, `"sex:female"` for a cell of a breakdown), and each place's
//! organisation unit (a place not listed keeps its own code). Only what the
//! mapping names is sent; a suppressed figure is never sent, as a number or
//! otherwise, and a figure with no value (an empty denominator) neither.

use super::period::PeriodKind;
use super::{Catalogue, Dimension, Figures, Period, Unit};
use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The mapping Haven ships: every built-in indicator, whole and by sex.
/// Countries replace it with their own DHIS2 codes.
pub const DEFAULT_MAPPING: &str = include_str!("../../indicators/dhis2.json");

/// One indicator's DHIS2 codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElementMap {
    /// The data element's code.
    pub data_element: String,
    /// Category option combination codes: `""` for the whole figure,
    /// `"<breakdown>:<value>"` for a cell (`"sex:female"`), and
    /// `"location:"` to send each place one level down as its own
    /// organisation unit.
    pub category_option_combos: BTreeMap<String, String>,
}

/// What DHIS2 codes Haven's figures go out under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// By indicator id.
    pub data_elements: BTreeMap<String, ElementMap>,
    /// Location code → organisation unit code (unlisted: the same code).
    #[serde(default)]
    pub org_units: BTreeMap<String, String>,
}

impl Mapping {
    /// Reads and checks a mapping file.
    pub fn from_json(text: &str) -> Result<Mapping, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let m: Mapping = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(err) => {
                e.add("mapping", format!("not a valid DHIS2 mapping: {err}"));
                return Err(e);
            }
        };
        for (id, el) in &m.data_elements {
            if el.data_element.trim().is_empty() {
                e.add("mapping", format!("{id:?} has no data element code"));
            }
            for (key, coc) in &el.category_option_combos {
                if coc.trim().is_empty() {
                    e.add(
                        "mapping",
                        format!("{id:?}: {key:?} has no category option combo"),
                    );
                }
                if let Some((dim, _)) = key.split_once(':') {
                    if Dimension::parse(dim).is_none() {
                        e.add("mapping", format!("{id:?}: {dim:?} is not a breakdown"));
                    }
                } else if !key.is_empty() {
                    e.add(
                        "mapping",
                        format!("{id:?}: {key:?} is neither \"\" nor \"breakdown:value\""),
                    );
                }
            }
        }
        e.into_result()?;
        Ok(m)
    }

    /// Refuses a mapping that names an indicator `cat` does not have: a
    /// misspelt id would otherwise leave that indicator out of every
    /// export without a word.
    pub fn check_against(&self, cat: &Catalogue) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        for id in self.data_elements.keys() {
            if cat.get(id).is_none() {
                e.add("mapping", format!("{id:?} is not an indicator"));
            }
        }
        e.into_result()
    }

    /// The shipped mapping.
    pub fn default_mapping() -> Result<Mapping, ValidationErrors> {
        Mapping::from_json(DEFAULT_MAPPING)
    }

    fn org_unit(&self, location: &str) -> String {
        self.org_units
            .get(location)
            .cloned()
            .unwrap_or_else(|| location.to_string())
    }
}

/// The DHIS2 spelling of a period: `2026`, `2026Q3`, `202609`. A range of
/// days has none (DHIS2 periods are calendar ones).
pub fn period_string(p: &Period) -> Option<String> {
    match p.kind() {
        PeriodKind::Year | PeriodKind::Quarter | PeriodKind::Month => Some(p.to_string()),
        PeriodKind::Range => None,
    }
}

/// One value of a `dataValueSets` document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    /// The data element's code.
    pub data_element: String,
    /// The DHIS2 period.
    pub period: String,
    /// The organisation unit's code.
    pub org_unit: String,
    /// The category option combination's code.
    pub category_option_combo: String,
    /// The value, as DHIS2 takes it: a string.
    pub value: String,
}

/// A `dataValueSets` document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataValueSet {
    /// Codes identify everything (`idScheme=CODE`).
    pub id_scheme: String,
    /// The period of every value.
    pub period: String,
    /// The organisation unit the export was made for.
    pub org_unit: String,
    /// The values.
    pub data_values: Vec<DataValue>,
}

/// One published figure set: an indicator, whole or by a breakdown.
pub struct Published<'a> {
    /// The indicator's id.
    pub indicator: &'a str,
    /// Its unit.
    pub unit: Unit,
    /// The breakdown, if any.
    pub by: Option<Dimension>,
    /// The figures, already through disclosure control.
    pub figures: &'a Figures,
}

fn text(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Count => format!("{}", v.round() as i64),
        _ => {
            let s = format!("{v:.1}");
            s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
        }
    }
}

/// Builds the document for `location` and `period`. A range of days is
/// refused (DHIS2 has no such period).
pub fn data_value_set(
    mapping: &Mapping,
    period: &Period,
    location: &str,
    rows: &[Published<'_>],
) -> Result<DataValueSet, String> {
    let pe = period_string(period).ok_or_else(|| {
        format!("DHIS2 takes a year, a quarter or a month, not the range {period}")
    })?;
    let ou = mapping.org_unit(location);
    let mut out = Vec::new();
    for r in rows {
        let Some(el) = mapping.data_elements.get(r.indicator) else {
            continue;
        };
        let mut push = |coc: &str, org_unit: String, v: Option<f64>, suppressed: bool| {
            if let (false, Some(v)) = (suppressed, v) {
                out.push(DataValue {
                    data_element: el.data_element.clone(),
                    period: pe.clone(),
                    org_unit,
                    category_option_combo: coc.to_string(),
                    value: text(r.unit, v),
                });
            }
        };
        match r.by {
            None => {
                if let Some(coc) = el.category_option_combos.get("") {
                    push(coc, ou.clone(), r.figures.value, r.figures.suppressed);
                }
            }
            Some(Dimension::Location) => {
                if let Some(coc) = el.category_option_combos.get("location:") {
                    for c in &r.figures.cells {
                        push(coc, mapping.org_unit(&c.key), c.value, c.suppressed);
                    }
                }
            }
            Some(by) => {
                for c in &r.figures.cells {
                    let key = format!("{}:{}", by.as_str(), c.key);
                    if let Some(coc) = el.category_option_combos.get(&key) {
                        push(coc, ou.clone(), c.value, c.suppressed);
                    }
                }
            }
        }
    }
    Ok(DataValueSet {
        id_scheme: "CODE".into(),
        period: pe,
        org_unit: ou,
        data_values: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Cell;

    fn figures(value: Option<f64>, cells: &[(&str, Option<f64>)]) -> Figures {
        Figures {
            value,
            numerator: None,
            denominator: None,
            suppressed: value.is_none(),
            cells: cells
                .iter()
                .map(|(k, v)| Cell {
                    key: k.to_string(),
                    value: *v,
                    suppressed: v.is_none(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_shipped_mapping_is_valid_and_names_only_real_indicators() {
        let m = Mapping::default_mapping().unwrap();
        let cat = Catalogue::default_catalogue().unwrap();
        m.check_against(&cat).unwrap();
        assert!(m.data_elements.contains_key("victims_per_100k"));
        let mut typo = m.clone();
        let el = typo.data_elements["victims_per_100k"].clone();
        typo.data_elements.insert("victims_per_100000".into(), el);
        let why = typo.check_against(&cat).unwrap_err().to_string();
        assert!(why.contains("victims_per_100000"), "{why}");
    }

    #[test]
    fn periods_are_written_as_dhis2_writes_them() {
        let p = |s: &str| period_string(&Period::parse(s).unwrap());
        assert_eq!(p("2026").as_deref(), Some("2026"));
        assert_eq!(p("2026Q3").as_deref(), Some("2026Q3"));
        assert_eq!(p("202609").as_deref(), Some("202609"));
        assert_eq!(p("2026-01-01..2026-01-31"), None);
    }

    #[test]
    fn suppressed_cells_are_left_out_and_codes_come_from_the_mapping() {
        let m = Mapping::from_json(
            r#"{"data_elements":{"children_registered":{"data_element":"DE_REG",
                 "category_option_combos":{"":"TOTAL","sex:female":"F","sex:male":"M","location:":"TOTAL"}}},
                "org_units":{"XX":"OU_XX","D1":"OU_D1"}}"#,
        )
        .unwrap();
        let whole = figures(Some(60.0), &[]);
        let by_sex = figures(Some(60.0), &[("female", None), ("male", Some(57.0))]);
        let by_place = figures(Some(60.0), &[("D1", Some(40.0)), ("D2", Some(20.0))]);
        let unmapped = figures(Some(9.0), &[]);
        let rows = [
            Published {
                indicator: "children_registered",
                unit: Unit::Count,
                by: None,
                figures: &whole,
            },
            Published {
                indicator: "children_registered",
                unit: Unit::Count,
                by: Some(Dimension::Sex),
                figures: &by_sex,
            },
            Published {
                indicator: "children_registered",
                unit: Unit::Count,
                by: Some(Dimension::Location),
                figures: &by_place,
            },
            Published {
                indicator: "reports_received",
                unit: Unit::Count,
                by: None,
                figures: &unmapped,
            },
        ];
        let set = data_value_set(&m, &Period::parse("2026Q3").unwrap(), "XX", &rows).unwrap();
        let json = serde_json::to_value(&set).unwrap();
        assert_eq!(json["idScheme"], "CODE");
        let values = json["dataValues"].as_array().unwrap();
        let got: Vec<String> = values
            .iter()
            .map(|v| {
                format!(
                    "{} {} {} {} {}",
                    v["dataElement"].as_str().unwrap(),
                    v["period"].as_str().unwrap(),
                    v["orgUnit"].as_str().unwrap(),
                    v["categoryOptionCombo"].as_str().unwrap(),
                    v["value"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "DE_REG 2026Q3 OU_XX TOTAL 60",
                "DE_REG 2026Q3 OU_XX M 57",
                "DE_REG 2026Q3 OU_D1 TOTAL 40",
                "DE_REG 2026Q3 D2 TOTAL 20",
            ]
        );
        for v in values {
            let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), 5, "{v}");
        }
        assert!(data_value_set(
            &m,
            &Period::parse("2026-01-01..2026-02-01").unwrap(),
            "XX",
            &rows
        )
        .is_err());
    }

    #[test]
    fn a_bad_mapping_is_refused_with_reasons() {
        let e = Mapping::from_json(
            r#"{"data_elements":{"x":{"data_element":"","category_option_combos":{"colour:red":"C","odd":"D"}}}}"#,
        )
        .unwrap_err()
        .to_string();
        for part in ["no data element", "not a breakdown", "neither"] {
            assert!(e.contains(part), "{part} not in {e}");
        }
    }
}
