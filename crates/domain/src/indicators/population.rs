//! Child population figures: how many children live in a place, by year,
//! sex and age band (from the census or the statistics office). They are
//! what a rate per 100,000 children divides by.
//!
//! They arrive as CSV, one figure a line: `location,year,sex,age_band,count`
//! (a header line naming those columns may come first). The whole file is
//! refused, with every bad line's number, when any line is wrong.

use super::AGE_BANDS;
use crate::Sex;

/// One population figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PopulationRow {
    /// The line it came from (1 for the first line of the file).
    pub line: usize,
    /// The location code.
    pub location: String,
    /// The year.
    pub year: i32,
    /// Sex.
    pub sex: Sex,
    /// An age band under 18 (`0_4`, `5_11`, `12_14`, `15_17`).
    pub age_band: &'static str,
    /// The number of children.
    pub count: i64,
}

/// A line that was refused and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// The line's number, counting from 1.
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The age bands a population figure may give: the children's ones.
pub fn child_age_bands() -> impl Iterator<Item = &'static str> {
    AGE_BANDS.iter().filter(|b| b.0 < 18).map(|b| b.1)
}

/// The most lines one file may hold.
pub const MAX_LINES: usize = 100_000;

/// Reads a population file. Every line is checked; on any error the
/// answer is the list of errors and nothing is to be applied. A figure
/// given twice for the same place, year, sex and age band is an error.
pub fn parse_csv(text: &str) -> Result<Vec<PopulationRow>, Vec<LineError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() {
            continue;
        }
        if line > MAX_LINES {
            errors.push(LineError {
                line,
                message: format!("a file may hold at most {MAX_LINES} lines"),
            });
            break;
        }
        let fields: Vec<&str> = l.split(',').map(|f| f.trim().trim_matches('"')).collect();
        if rows.is_empty() && errors.is_empty() && fields.first() == Some(&"location") {
            continue;
        }
        let mut bad = |m: String| errors.push(LineError { line, message: m });
        if fields.len() != 5 {
            bad(format!(
                "expected 5 fields (location, year, sex, age band, count), found {}",
                fields.len()
            ));
            continue;
        }
        let mut ok = true;
        let location = fields[0].to_string();
        if location.is_empty() {
            bad("the location code is empty".into());
            ok = false;
        }
        let year = match fields[1].parse::<i32>() {
            Ok(y) if (1900..=9998).contains(&y) => y,
            _ => {
                bad(format!("{:?} is not a year", fields[1]));
                ok = false;
                0
            }
        };
        let sex = Sex::parse(fields[2]);
        if sex.is_none() {
            bad(format!(
                "{:?} is not a sex: use female, male, other or unknown",
                fields[2]
            ));
            ok = false;
        }
        let band = child_age_bands().find(|b| *b == fields[3]);
        if band.is_none() {
            let all: Vec<&str> = child_age_bands().collect();
            bad(format!(
                "{:?} is not an age band: use {}",
                fields[3],
                all.join(", ")
            ));
            ok = false;
        }
        let count = match fields[4].parse::<i64>() {
            Ok(n) if (0..=1_000_000_000).contains(&n) => n,
            _ => {
                bad(format!("{:?} is not a count of children", fields[4]));
                ok = false;
                0
            }
        };
        if let (true, Some(sex), Some(age_band)) = (ok, sex, band) {
            let key = (location.clone(), year, sex, age_band);
            if let Some(first) = seen.insert(key, line) {
                bad(format!("the same figure was already given on line {first}"));
                continue;
            }
            rows.push(PopulationRow {
                line,
                location,
                year,
                sex,
                age_band,
                count,
            });
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(LineError {
            line: 1,
            message: "the file holds no population figures".into(),
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// One stored figure with the place's path, for [`covering`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedFigure {
    /// The place's path in the location tree (`/code/…/`).
    pub path: String,
    /// Sex.
    pub sex: String,
    /// Age band.
    pub age_band: String,
    /// Children.
    pub count: i64,
}

/// Of the figures held for a place and the places under it, those that
/// count: a figure for a place stands for everything under it, so a figure
/// is left out when a place above it (within the subtree) has one for the
/// same sex and age band. Figures may thus be given per district, per
/// region, or mixed, and are never counted twice.
pub fn covering(figures: &[PlacedFigure]) -> Vec<&PlacedFigure> {
    figures
        .iter()
        .filter(|f| {
            !figures.iter().any(|g| {
                g.sex == f.sex
                    && g.age_band == f.age_band
                    && g.path.len() < f.path.len()
                    && f.path.starts_with(g.path.as_str())
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_is_read_with_or_without_a_header() {
        let rows = parse_csv(
            "location,year,sex,age_band,count\nD1,2026,female,0_4,1200\n\nD1,2026,male,15_17,980\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].sex, Sex::Male);
        assert_eq!(rows[1].age_band, "15_17");
        assert_eq!(rows[1].count, 980);
        assert_eq!(parse_csv("D1,2026,female,0_4,0").unwrap().len(), 1);
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_kept() {
        let e = parse_csv(
            "D1,2026,female,0_4,1200\nD1,20x6,female,0_4,1\nD1,2026,girl,0_4,1\nD1,2026,female,18_plus,1\nD1,2026,female,0_4,-3\nD1,2026\nD1,2026,female,0_4,5\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = e.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7]);
        assert!(e[0].message.contains("not a year"));
        assert!(e[2].message.contains("0_4, 5_11, 12_14, 15_17"));
        assert!(e[5].message.contains("line 1"), "{}", e[5]);
        assert!(parse_csv("").is_err());
        assert!(parse_csv("location,year,sex,age_band,count\n").is_err());
    }

    #[test]
    fn a_figure_for_a_place_stands_for_the_places_under_it() {
        let f = |path: &str, sex: &str, n| PlacedFigure {
            path: path.into(),
            sex: sex.into(),
            age_band: "0_4".into(),
            count: n,
        };
        let all = [
            f("/C/R1/", "female", 100),
            f("/C/R1/D1/", "female", 60),
            f("/C/R1/D1/", "male", 50),
            f("/C/R2/D3/", "female", 30),
        ];
        let total: i64 = covering(&all).iter().map(|g| g.count).sum();
        assert_eq!(total, 100 + 50 + 30);
    }
}
