//! One translation system for every page, public and staff: Fluent
//! (`locales/<lang>/<capability>.ftl`), which leaves plurals, variables and
//! word order to the translators. No string a person reads lives in code.
//!
//! A key from the domain may be written with dots (`error.category`); it is
//! the Fluent id with dashes (`error-category`), since Fluent ids have none.

use axum::http::HeaderMap;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Declares the catalogue: each capability's file in each language, in
/// the order of [`LANGS`]. A capability's pages add their file here.
macro_rules! catalogue {
    ($($file:literal),* $(,)?) => {
        /// Each file's name and its text in English, French and Spanish.
        pub const FILES: &[(&str, [&str; 3])] = &[$((
            $file,
            [
                include_str!(concat!("../locales/en/", $file, ".ftl")),
                include_str!(concat!("../locales/fr/", $file, ".ftl")),
                include_str!(concat!("../locales/es/", $file, ".ftl")),
            ],
        )),*];
    };
}

catalogue![
    "common",
    "alerts",
    "received_figures",
    "admin",
    "vocabulary",
    "public",
    "locations",
    "second_factor",
    "referrals",
    "services",
    "hotline",
    "lists",
    "reports",
    "signin",
    "today",
    "children",
    "assessments",
    "cases",
    "administration",
    "worklists",
    "indicators",
    "exchange",
    "figures",
    "logframes",
    "readiness",
    "field",
];

/// The languages shipped, English first (the fallback): the same list the
/// domain checks a deployment's own words against.
pub const LANGS: [&str; 3] = haven_domain::validation::LANGUAGES;

/// What a missing key shows: loud, so that a page test sees it.
pub const MISSING: char = '⟦';

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static Vec<Bundle> {
    static B: OnceLock<Vec<Bundle>> = OnceLock::new();
    B.get_or_init(|| {
        LANGS
            .iter()
            .enumerate()
            .map(|(i, code)| {
                let lang = code.parse().unwrap_or_default();
                let mut bundle = Bundle::new_concurrent(vec![lang]);
                // The marks that isolate a variable's direction are for
                // mixed-direction text; every language shipped runs left to
                // right, and the marks would show up in copied text.
                bundle.set_use_isolating(false);
                bundle.set_formatter(Some(NUMBER_FORMATS[i]));
                for (_, texts) in FILES {
                    // A file that does not parse is caught by the tests; at
                    // run time its good messages still load.
                    let resource = FluentResource::try_new(texts[i].to_string())
                        .unwrap_or_else(|(partial, _)| partial);
                    let _ = bundle.add_resource(resource);
                }
                bundle
            })
            .collect()
    })
}

/// A value given to a message: numbers stay numbers so that Fluent can
/// choose the plural form.
pub trait Arg {
    /// The value as Fluent sees it.
    fn value(&self) -> FluentValue<'static>;
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn value(&self) -> FluentValue<'static> {
                FluentValue::from(*self as f64)
            }
        }
    )*};
}
number_arg!(i64, i32, u32, u64, usize, u8);

impl Arg for str {
    fn value(&self) -> FluentValue<'static> {
        FluentValue::from(self.to_string())
    }
}

impl Arg for String {
    fn value(&self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}

impl<T: Arg + ?Sized> Arg for &T {
    fn value(&self) -> FluentValue<'static> {
        (**self).value()
    }
}

/// One language's strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    /// The language code.
    pub lang: &'static str,
    index: usize,
}

impl Default for Tr {
    fn default() -> Tr {
        Tr::english()
    }
}

impl Tr {
    /// English, the fallback.
    pub fn english() -> Tr {
        Tr {
            lang: LANGS[0],
            index: 0,
        }
    }

    /// Every language shipped.
    pub fn all() -> impl Iterator<Item = Tr> {
        (0..LANGS.len()).map(|index| Tr {
            lang: LANGS[index],
            index,
        })
    }

    /// The language with this code, if shipped.
    pub fn for_code(code: &str) -> Option<Tr> {
        Tr::all().find(|t| t.lang == code)
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one variable.
    pub fn t1(&self, key: &str, name: &str, value: impl Arg) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), value.value());
        self.format(key, Some(&args))
    }

    /// The message `key` with two variables.
    pub fn t2(&self, key: &str, n1: &str, v1: impl Arg, n2: &str, v2: impl Arg) -> String {
        let mut args = FluentArgs::new();
        args.set(n1.to_string(), v1.value());
        args.set(n2.to_string(), v2.value());
        self.format(key, Some(&args))
    }

    /// The message `key` with any number of variables.
    pub fn with(&self, key: &str, values: &[(&str, &dyn Arg)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(name.to_string(), value.value());
        }
        self.format(key, Some(&args))
    }

    /// Whether this language has the message (for keys built from values).
    pub fn has(&self, key: &str) -> bool {
        bundles()
            .get(self.index)
            .is_some_and(|b| b.has_message(&fluent_id(key)))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let id = fluent_id(key);
        let all = bundles();
        let found = all
            .get(self.index)
            .and_then(|b| Some((b, b.get_message(&id)?.value()?)))
            .or_else(|| {
                let en = all.first()?;
                Some((en, en.get_message(&id)?.value()?))
            });
        match found {
            Some((bundle, pattern)) => {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(key, lang = self.lang, ?errors, "translation problem");
                }
                text.into_owned()
            }
            None => {
                tracing::warn!(key, lang = self.lang, "missing translation");
                format!("{MISSING}{key}⟧")
            }
        }
    }

    /// A count as this language writes it (grouping digits).
    pub fn number(&self, n: impl Into<i64>) -> String {
        group_digits(n.into(), GROUPING[self.index])
    }

    /// A figure with one decimal place, as this language writes it
    /// ("1,234.5" in English, "1 234,5" in French).
    pub fn decimal(&self, x: f64) -> String {
        let tenths = (x * 10.0).round();
        if !tenths.is_finite() || tenths.abs() >= 1e17 {
            return x.to_string();
        }
        let tenths = tenths as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let whole = group_digits(tenths.abs() / 10, GROUPING[self.index]);
        format!(
            "{sign}{whole}{}{}",
            DECIMAL_MARK[self.index],
            tenths.abs() % 10
        )
    }

    /// A day, written out in this language ("29 November 2026").
    pub fn day(&self, d: haven_domain::Date) -> String {
        let month = self.t(&format!("month-{}", d.month()));
        self.with(
            "date-long",
            &[
                ("day", &u32::from(d.day())),
                ("month", &month),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// The day of a moment.
    pub fn date(&self, ts: i64) -> String {
        self.day(haven_domain::Date::from_unix(ts))
    }

    /// A date with its time of day, on the 24-hour clock that the three
    /// languages' professional writing shares ("29 November 2026, 14:05").
    /// Times are the server's (UTC): deadlines are hours apart, and one
    /// clock for every office keeps them comparable.
    pub fn date_time(&self, ts: i64) -> String {
        self.t2("date-time", "date", self.date(ts), "time", Tr::clock(ts))
    }

    /// The time of day on the 24-hour clock, UTC ("14:05").
    pub fn clock(ts: i64) -> String {
        let secs = ts.rem_euclid(86_400);
        format!("{:02}:{:02}", secs / 3_600, (secs % 3_600) / 60)
    }

    /// Chooses the language: `?lang=` first, then the person's own setting,
    /// then the browser's Accept-Language preferences in order, then English.
    pub fn choose(query: Option<&str>, setting: Option<&str>, headers: &HeaderMap) -> Tr {
        if let Some(t) = query.and_then(Tr::for_code) {
            return t;
        }
        if let Some(t) = setting.and_then(Tr::for_code) {
            return t;
        }
        Tr::from_browser(headers)
    }

    /// `?lang=` first, then the browser (pages without an account).
    pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Tr {
        Tr::choose(query, None, headers)
    }

    fn from_browser(headers: &HeaderMap) -> Tr {
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mut prefs: Vec<(f32, &str)> = accept
            .split(',')
            .filter_map(|part| {
                let mut bits = part.trim().split(';');
                let tag = bits.next()?.trim();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        prefs
            .iter()
            .find_map(|(_, tag)| Tr::for_code(&tag.get(..2).unwrap_or("").to_ascii_lowercase()))
            .unwrap_or_default()
    }
}

fn fluent_id(key: &str) -> Cow<'_, str> {
    if key.contains('.') {
        Cow::Owned(key.replace('.', "-"))
    } else {
        Cow::Borrowed(key)
    }
}

/// How each language groups digits: the separator, and the fewest digits a
/// number needs before it is grouped at all (CLDR: Spanish leaves 1234 alone).
const GROUPING: [(&str, usize); 3] = [(",", 4), ("\u{202f}", 4), (".", 5)];

/// Each language's decimal mark.
const DECIMAL_MARK: [char; 3] = ['.', ',', ','];

fn group_digits(n: i64, (sep, min_digits): (&str, usize)) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    if digits.len() < min_digits {
        return format!("{sign}{digits}");
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

type Formatter = fn(&FluentValue, &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String>;

/// Whole numbers inside messages are grouped as [`Tr::number`] groups them
/// (Fluent itself prints digits only). One function per language, since a
/// formatter cannot carry its language.
const NUMBER_FORMATS: [Formatter; 3] = [
    |v, _| whole(v).map(|n| group_digits(n, GROUPING[0])),
    |v, _| whole(v).map(|n| group_digits(n, GROUPING[1])),
    |v, _| whole(v).map(|n| group_digits(n, GROUPING[2])),
];

fn whole(v: &FluentValue) -> Option<i64> {
    match v {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(n.value as i64)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::FluentMessage;
    use std::collections::BTreeSet;

    fn ids(text: &str) -> BTreeSet<String> {
        let res = FluentResource::try_new(text.to_string()).unwrap_or_else(|(r, _)| r);
        res.entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_file_parses_and_every_language_has_every_key() {
        for (file, texts) in FILES {
            for (i, text) in texts.iter().enumerate() {
                if let Err((_, errors)) = FluentResource::try_new(text.to_string()) {
                    panic!("{}/{file}.ftl does not parse: {errors:?}", LANGS[i]);
                }
            }
            let en = ids(texts[0]);
            for (i, text) in texts.iter().enumerate().skip(1) {
                let other = ids(text);
                let missing: Vec<_> = en.difference(&other).collect();
                let extra: Vec<_> = other.difference(&en).collect();
                assert!(
                    missing.is_empty(),
                    "{}/{file}.ftl lacks {missing:?}",
                    LANGS[i]
                );
                assert!(
                    extra.is_empty(),
                    "{}/{file}.ftl has unknown keys {extra:?}",
                    LANGS[i]
                );
            }
        }
    }

    #[test]
    fn no_key_is_defined_twice_across_files() {
        let mut seen = BTreeSet::new();
        for (file, texts) in FILES {
            for id in ids(texts[0]) {
                assert!(
                    seen.insert(id.clone()),
                    "{id} is defined twice (again in {file})"
                );
            }
        }
    }

    #[test]
    fn every_message_formats_without_error_in_every_language() {
        // A translator's typo in a variable name formats with an error.
        for tr in Tr::all() {
            let b = &bundles()[tr.index];
            for (file, texts) in FILES {
                for id in ids(texts[0]) {
                    let m: FluentMessage = b.get_message(&id).unwrap();
                    let Some(p) = m.value() else { continue };
                    let mut args = FluentArgs::new();
                    for name in [
                        "count",
                        "name",
                        "day",
                        "year",
                        "n",
                        "total",
                        "role",
                        "when",
                        "who",
                        "place",
                        "code",
                        "limit",
                        "hours",
                        "minutes",
                        "days",
                        "level",
                        "score",
                        "agency",
                        "service",
                        "status",
                        "late",
                        "first",
                        "last",
                        "page",
                        "pages",
                        "date",
                        "time",
                        "category",
                        "risk",
                        "step",
                        "child",
                        "why",
                        "high",
                        "low",
                        "names",
                        "value",
                        "mark",
                        "percent",
                        "max",
                        "raw",
                        "change",
                        "applied",
                        "conflicts",
                        "refused",
                        "received",
                        "removed",
                        "cases",
                        "cases_removed",
                    ] {
                        args.set(name, FluentValue::from(2.0));
                    }
                    args.set("month", FluentValue::from("m"));
                    let mut errors = Vec::new();
                    let out = b.format_pattern(p, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{}/{file}.ftl {id}: {errors:?}", tr.lang);
                    assert!(
                        !out.trim().is_empty(),
                        "{}/{file}.ftl {id} is empty",
                        tr.lang
                    );
                }
            }
        }
    }

    #[test]
    fn language_comes_from_the_query_then_the_setting_then_the_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(Tr::negotiate(None, &h).lang, "en");
        h.insert(
            "accept-language",
            "de-DE,es;q=0.8,fr;q=0.9".parse().unwrap(),
        );
        assert_eq!(Tr::negotiate(None, &h).lang, "fr");
        assert_eq!(Tr::negotiate(Some("es"), &h).lang, "es");
        assert_eq!(Tr::negotiate(Some("xx"), &h).lang, "fr");
        assert_eq!(Tr::choose(None, Some("es"), &h).lang, "es");
        assert_eq!(Tr::choose(Some("en"), Some("es"), &h).lang, "en");
        assert_eq!(
            Tr::for_code("fr").unwrap().t("submit"),
            "Envoyer mon signalement"
        );
        assert_eq!(
            Tr::english().t("error.category"),
            Tr::english().t("error-category")
        );
    }

    #[test]
    fn numbers_and_dates_are_written_as_each_language_writes_them() {
        let [en, fr, es] = [
            Tr::english(),
            Tr::for_code("fr").unwrap(),
            Tr::for_code("es").unwrap(),
        ];
        assert_eq!(en.number(1234567), "1,234,567");
        assert_eq!(fr.number(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(es.number(1234), "1234");
        assert_eq!(es.number(12345), "12.345");
        assert_eq!(en.number(-999), "-999");
        assert_eq!(en.decimal(1234.56), "1,234.6");
        assert_eq!(fr.decimal(1234.56), "1\u{202f}234,6");
        assert_eq!(es.decimal(0.04), "0,0");
        assert_eq!(en.decimal(-0.5), "-0.5");
        let d = haven_domain::Date::new(2026, 11, 29).unwrap();
        assert_eq!(en.day(d), "29 November 2026");
        assert_eq!(fr.day(d), "29 novembre 2026");
        assert_eq!(es.day(d), "29 de noviembre de 2026");
        // Inside a message, counts are grouped too and choose the plural.
        assert_eq!(en.t1("children-count", "count", 1), "1 child");
        assert_eq!(en.t1("children-count", "count", 12000), "12,000 children");
        assert_eq!(fr.t1("children-count", "count", 1), "1 enfant");
    }

    #[test]
    fn every_value_of_every_closed_list_has_words() {
        use haven_domain::casework::{
            CaseStep, Consent, PlanStatus, ReferralKind, ReferralStatus, Sector,
        };
        use haven_domain::hotline::{AgeBand, Assessment, HotlineAction};
        use haven_domain::report::{Decision, PublicStatus, ReportCategory, Reporter};
        use haven_domain::{BirthRegistration, LivingSituation, Sex};
        let lists: Vec<(&str, Vec<&str>)> = vec![
            ("sex", Sex::ALL.iter().map(|v| v.as_str()).collect()),
            (
                "birth-registration",
                BirthRegistration::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "living",
                LivingSituation::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "case-step",
                CaseStep::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "plan-status",
                PlanStatus::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            ("consent", Consent::ALL.iter().map(|v| v.as_str()).collect()),
            ("sector", Sector::ALL.iter().map(|v| v.as_str()).collect()),
            (
                "referral-kind",
                ReferralKind::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "referral-status",
                ReferralStatus::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "report-category",
                ReportCategory::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "reporter-kind",
                Reporter::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "decision",
                Decision::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "report-status",
                PublicStatus::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "hotline-assessment",
                Assessment::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "age-band",
                AgeBand::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "hotline-action",
                HotlineAction::ALL.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "laptop-refused-why",
                haven_domain::field_ops::Refusal::ALL
                    .iter()
                    .map(|v| v.as_str())
                    .collect(),
            ),
        ];
        for tr in Tr::all() {
            for (list, values) in &lists {
                for v in values {
                    assert!(
                        tr.has(&format!("{list}-{v}")),
                        "{} lacks {list}-{v}",
                        tr.lang
                    );
                }
            }
        }
    }

    #[test]
    fn a_missing_key_is_loud() {
        assert!(Tr::english().t("no-such-key").starts_with(MISSING));
    }
}
