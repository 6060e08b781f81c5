//! Reporting periods: a year (`2026`), a quarter (`2026Q3`), a month
//! (`202609`) or a range of days (`2026-01-01..2026-06-30`, both days
//! included). Each is a half-open range of days `[start, end)`, so two
//! neighbouring periods never count the same day twice.

use crate::Date;
use std::fmt;

/// What kind of period was asked for; trends step by the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodKind {
    /// A calendar year.
    Year,
    /// A calendar quarter.
    Quarter,
    /// A calendar month.
    Month,
    /// Any range of whole days.
    Range,
}

/// A reporting period: the days from `start` up to, not including, `end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    kind: PeriodKind,
    start: Date,
    end: Date,
}

/// Why a period was refused, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Nothing was given.
    #[error("give a period: a year (2026), a quarter (2026Q3), a month (202609) or two days (2026-01-01..2026-06-30)")]
    Empty,
    /// The text is none of the four forms.
    #[error("{0:?} is not a period: use a year (2026), a quarter (2026Q3), a month (202609) or two days (2026-01-01..2026-06-30)")]
    Form(String),
    /// A quarter other than 1 to 4.
    #[error("{0:?}: a quarter is Q1, Q2, Q3 or Q4")]
    Quarter(String),
    /// A month other than 01 to 12.
    #[error("{0:?}: a month is 01 to 12")]
    Month(String),
    /// A day that is not in the calendar.
    #[error("{0:?} is not a day in the calendar (YYYY-MM-DD)")]
    Day(String),
    /// A range that ends before it starts.
    #[error("the period ends ({1}) before it starts ({0})")]
    Backwards(Date, Date),
    /// A range longer than ten years.
    #[error("a period may cover at most ten years")]
    TooLong,
}

const MAX_DAYS: i64 = 3_653;

fn day_after(d: Date) -> Date {
    Date::from_unix((d.days_since_epoch() + 1) * 86_400)
}

fn first(year: i32, month: u8) -> Option<Date> {
    Date::new(year, month, 1)
}

fn year_of(s: &str, whole: &str) -> Result<i32, PeriodError> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PeriodError::Form(whole.to_string()));
    }
    let y: i32 = s
        .parse()
        .map_err(|_| PeriodError::Form(whole.to_string()))?;
    if !(1900..=9998).contains(&y) {
        return Err(PeriodError::Form(whole.to_string()));
    }
    Ok(y)
}

impl Period {
    /// Reads one of the four forms.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let s = text.trim();
        if s.is_empty() {
            return Err(PeriodError::Empty);
        }
        let form = || PeriodError::Form(s.to_string());
        if let Some((a, b)) = s.split_once("..") {
            let start = Date::parse(a).ok_or_else(|| PeriodError::Day(a.to_string()))?;
            let last = Date::parse(b).ok_or_else(|| PeriodError::Day(b.to_string()))?;
            return Period::range(start, last);
        }
        let p = if let Some((y, q)) = s.split_once(['Q', 'q']) {
            let year = year_of(y, s)?;
            let q: u8 = match q {
                "1" => 1,
                "2" => 2,
                "3" => 3,
                "4" => 4,
                _ => return Err(PeriodError::Quarter(s.to_string())),
            };
            let start = first(year, (q - 1) * 3 + 1).ok_or_else(form)?;
            let end = if q == 4 {
                first(year + 1, 1)
            } else {
                first(year, q * 3 + 1)
            }
            .ok_or_else(form)?;
            Period {
                kind: PeriodKind::Quarter,
                start,
                end,
            }
        } else if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            let year = year_of(&s[..4], s)?;
            let month: u8 = s[4..].parse().map_err(|_| form())?;
            if !(1..=12).contains(&month) {
                return Err(PeriodError::Month(s.to_string()));
            }
            Period::month(year, month).ok_or_else(form)?
        } else {
            let year = year_of(s, s)?;
            Period {
                kind: PeriodKind::Year,
                start: first(year, 1).ok_or_else(form)?,
                end: first(year + 1, 1).ok_or_else(form)?,
            }
        };
        Ok(p)
    }

    /// The days from `start` to `last`, both included.
    pub fn range(start: Date, last: Date) -> Result<Period, PeriodError> {
        if last < start {
            return Err(PeriodError::Backwards(start, last));
        }
        if last.days_since_epoch() - start.days_since_epoch() >= MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Period {
            kind: PeriodKind::Range,
            start,
            end: day_after(last),
        })
    }

    fn month(year: i32, month: u8) -> Option<Period> {
        let end = if month == 12 {
            first(year + 1, 1)?
        } else {
            first(year, month + 1)?
        };
        Some(Period {
            kind: PeriodKind::Month,
            start: first(year, month)?,
            end,
        })
    }

    /// The kind of period.
    pub fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The first day.
    pub fn start(&self) -> Date {
        self.start
    }

    /// The day after the last day (the range is half-open).
    pub fn end(&self) -> Date {
        self.end
    }

    /// The last day included.
    pub fn last_day(&self) -> Date {
        Date::from_unix((self.end.days_since_epoch() - 1) * 86_400)
    }

    /// Unix seconds of the start, midnight UTC.
    pub fn start_unix(&self) -> i64 {
        self.start.days_since_epoch() * 86_400
    }

    /// Unix seconds of the end, midnight UTC (not included).
    pub fn end_unix(&self) -> i64 {
        self.end.days_since_epoch() * 86_400
    }

    /// The period of the same kind just before this one (a range: the same
    /// number of days just before), if the calendar has one.
    pub fn previous(&self) -> Option<Period> {
        let (y, m) = (self.start.year(), self.start.month());
        match self.kind {
            PeriodKind::Year => Some(Period {
                kind: PeriodKind::Year,
                start: first(y - 1, 1)?,
                end: self.start,
            }),
            PeriodKind::Quarter => {
                let (py, pm) = if m == 1 { (y - 1, 10) } else { (y, m - 3) };
                Some(Period {
                    kind: PeriodKind::Quarter,
                    start: first(py, pm)?,
                    end: self.start,
                })
            }
            PeriodKind::Month => {
                let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
                Period::month(py, pm)
            }
            PeriodKind::Range => {
                let days = self.end.days_since_epoch() - self.start.days_since_epoch();
                let start = self.start.days_since_epoch() - days;
                let start = Date::from_unix(start * 86_400);
                (start.year() >= 1900).then_some(Period {
                    kind: PeriodKind::Range,
                    start,
                    end: self.start,
                })
            }
        }
    }

    /// This period and up to `n - 1` before it, oldest first.
    pub fn trend(&self, n: usize) -> Vec<Period> {
        let mut out = vec![*self];
        while out.len() < n {
            match out.last().and_then(Period::previous) {
                Some(p) => out.push(p),
                None => break,
            }
        }
        out.reverse();
        out
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m) = (self.start.year(), self.start.month());
        match self.kind {
            PeriodKind::Year => write!(f, "{y:04}"),
            PeriodKind::Quarter => write!(f, "{y:04}Q{}", (m - 1) / 3 + 1),
            PeriodKind::Month => write!(f, "{y:04}{m:02}"),
            PeriodKind::Range => write!(f, "{}..{}", self.start, self.last_day()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn each_form_is_a_half_open_range_of_days() {
        let y = Period::parse("2026").unwrap();
        assert_eq!((y.start(), y.end()), (d("2026-01-01"), d("2027-01-01")));
        let q = Period::parse("2026Q3").unwrap();
        assert_eq!((q.start(), q.end()), (d("2026-07-01"), d("2026-10-01")));
        let q4 = Period::parse("2026Q4").unwrap();
        assert_eq!(q4.end(), d("2027-01-01"));
        let m = Period::parse("202609").unwrap();
        assert_eq!((m.start(), m.end()), (d("2026-09-01"), d("2026-10-01")));
        let feb = Period::parse("202402").unwrap();
        assert_eq!(feb.last_day(), d("2024-02-29"));
        let r = Period::parse("2026-01-01..2026-06-30").unwrap();
        assert_eq!((r.start(), r.end()), (d("2026-01-01"), d("2026-07-01")));
        for s in ["2026", "2026Q3", "202609", "2026-01-01..2026-06-30"] {
            assert_eq!(Period::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(q.end_unix() - q.start_unix(), 92 * 86_400);
    }

    #[test]
    fn bad_periods_say_what_is_wrong() {
        assert_eq!(Period::parse(" "), Err(PeriodError::Empty));
        assert!(matches!(
            Period::parse("last year"),
            Err(PeriodError::Form(_))
        ));
        assert!(matches!(
            Period::parse("2026Q5"),
            Err(PeriodError::Quarter(_))
        ));
        assert!(matches!(
            Period::parse("202613"),
            Err(PeriodError::Month(_))
        ));
        assert!(matches!(
            Period::parse("2026-02-30..2026-03-01"),
            Err(PeriodError::Day(_))
        ));
        assert!(matches!(
            Period::parse("2026-06-30..2026-01-01"),
            Err(PeriodError::Backwards(_, _))
        ));
        assert_eq!(
            Period::parse("2000-01-01..2026-01-01"),
            Err(PeriodError::TooLong)
        );
        let msg = Period::parse("soon").unwrap_err().to_string();
        assert!(msg.contains("2026Q3"), "{msg}");
    }

    #[test]
    fn trends_step_back_by_the_same_kind() {
        let t: Vec<String> = Period::parse("2026Q1")
            .unwrap()
            .trend(3)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(t, ["2025Q3", "2025Q4", "2026Q1"]);
        let t: Vec<String> = Period::parse("202602")
            .unwrap()
            .trend(3)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(t, ["202512", "202601", "202602"]);
        let r = Period::parse("2026-01-11..2026-01-20").unwrap();
        assert_eq!(r.previous().unwrap().to_string(), "2026-01-01..2026-01-10");
        assert_eq!(
            Period::parse("2025")
                .unwrap()
                .previous()
                .unwrap()
                .to_string(),
            "2024"
        );
    }
}
