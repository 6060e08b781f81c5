//! Translations for the public pages. Every string a reporter reads lives
//! in `i18n/<lang>.json`; none is in code. A missing key falls back to
//! English, and a test keeps the files in step.

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The languages shipped, English first (the fallback).
pub const LANGS: [(&str, &str); 3] = [
    ("en", include_str!("../i18n/en.json")),
    ("fr", include_str!("../i18n/fr.json")),
    ("es", include_str!("../i18n/es.json")),
];

type Catalog = HashMap<String, String>;

fn catalogs() -> &'static Vec<(&'static str, Catalog)> {
    static C: OnceLock<Vec<(&'static str, Catalog)>> = OnceLock::new();
    C.get_or_init(|| {
        LANGS
            .iter()
            // A broken file is caught by the tests; at run time it falls back to English.
            .map(|(code, text)| (*code, serde_json::from_str(text).unwrap_or_default()))
            .collect()
    })
}

/// One language's strings.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    /// The language code.
    pub lang: &'static str,
    index: usize,
}

impl Tr {
    /// The language with this code, if shipped.
    pub fn for_code(code: &str) -> Option<Tr> {
        LANGS.iter().position(|(c, _)| *c == code).map(|index| Tr {
            lang: LANGS[index].0,
            index,
        })
    }

    /// The string for `key`, in English when this language lacks it, or the key itself.
    pub fn t(&self, key: &str) -> &'static str {
        let all = catalogs();
        all.get(self.index)
            .and_then(|(_, c)| c.get(key))
            .or_else(|| all.first().and_then(|(_, c)| c.get(key)))
            .map_or("", String::as_str)
    }

    /// Chooses the language: `?lang=` first, then the browser's
    /// Accept-Language preferences in order, then English.
    pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Tr {
        if let Some(t) = query.and_then(Tr::for_code) {
            return t;
        }
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
            .unwrap_or(Tr {
                lang: "en",
                index: 0,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_and_parses() {
        let en: Catalog = serde_json::from_str(LANGS[0].1).unwrap();
        for (code, text) in LANGS {
            let c: Catalog = serde_json::from_str(text).unwrap();
            let mut missing: Vec<_> = en.keys().filter(|k| !c.contains_key(*k)).collect();
            missing.sort();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            assert!(
                c.values().all(|v| !v.trim().is_empty()),
                "{code} has an empty string"
            );
        }
    }

    #[test]
    fn language_comes_from_the_query_then_the_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(Tr::negotiate(None, &h).lang, "en");
        h.insert(
            "accept-language",
            "de-DE,es;q=0.8,fr;q=0.9".parse().unwrap(),
        );
        assert_eq!(Tr::negotiate(None, &h).lang, "fr");
        assert_eq!(Tr::negotiate(Some("es"), &h).lang, "es");
        assert_eq!(Tr::negotiate(Some("xx"), &h).lang, "fr");
        assert_eq!(
            Tr::for_code("fr").unwrap().t("submit"),
            "Envoyer mon signalement"
        );
    }
}
