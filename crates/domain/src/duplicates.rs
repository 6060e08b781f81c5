//! Recognising that two records may be the same child: names spelt
//! differently, an age that is an estimate, a family that moved district.
//! Nothing is merged here; a person reads the reasons and decides.
//!
//! Names are reduced to a few search tokens: a phonetic code per name part,
//! the same code without its first letter (so "Kamara" meets "Camara"), and
//! phonetic pairs of parts. Storage keeps only keyed hashes of these tokens,
//! so the database can find candidates without holding readable names; few
//! tokens per child keep registration fast on a large registry.

use crate::date::Date;
use crate::location::parent_path;

/// Lower-cases, strips common Latin diacritics and keeps letters and spaces.
pub fn normalise_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        if c.is_alphabetic() {
            out.push(c);
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// American Soundex of one word (letters only), e.g. `Diallo` → `D400`.
pub fn soundex(word: &str) -> Option<String> {
    let code = |c: char| match c {
        'b' | 'f' | 'p' | 'v' => Some('1'),
        'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => Some('2'),
        'd' | 't' => Some('3'),
        'l' => Some('4'),
        'm' | 'n' => Some('5'),
        'r' => Some('6'),
        _ => None,
    };
    let mut chars = word.chars().filter(|c| c.is_ascii_alphabetic());
    let first = chars.next()?;
    let mut out = String::from(first.to_ascii_uppercase());
    let mut last = code(first);
    for c in chars {
        let k = code(c);
        if k.is_some() && k != last {
            if let Some(k) = k {
                out.push(k);
            }
            if out.len() == 4 {
                break;
            }
        }
        // 'h' and 'w' do not separate equal codes; vowels do.
        if c != 'h' && c != 'w' {
            last = k;
        }
    }
    while out.len() < 4 {
        out.push('0');
    }
    Some(out)
}

/// Pair tokens (`q:`): the phonetic codes of every two parts of a name, in
/// sorted order, so "Amina Diallo" and "Dyallo Aminah" share one. They are
/// selective, so a search or duplicate check starts with them.
pub fn pair_tokens(full_name: &str) -> Vec<String> {
    let norm = normalise_name(full_name);
    let codes: Vec<String> = norm.split(' ').filter_map(soundex).collect();
    let mut out = pairs(&codes, "q:");
    // The same without first letters (`r:`), for "Kamara" against "Camara".
    let letterless: Vec<String> = codes.iter().map(|c| c[1..].to_string()).collect();
    out.extend(pairs(&letterless, "r:"));
    out.sort();
    out.dedup();
    out
}

fn pairs(codes: &[String], tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..codes.len() {
        for j in i + 1..codes.len() {
            let (a, b) = if codes[i] <= codes[j] {
                (&codes[i], &codes[j])
            } else {
                (&codes[j], &codes[i])
            };
            out.push(format!("{tag}{a}{b}"));
        }
    }
    out
}

/// Pair tokens tagged with a birth year (`y2014:q:…`): duplicates must be
/// born within two years, so a duplicate check looks up five years of these
/// and never touches same-sounding children of other ages.
pub fn dated_pair_tokens(full_name: &str, birth_year: i32) -> Vec<String> {
    pair_tokens(full_name)
        .into_iter()
        .map(|t| format!("y{birth_year}:{t}"))
        .collect()
}

/// The token sets to try when looking for duplicates of a child born in
/// `birth_year`: dated pairs (with, then without, first letters), or single
/// name parts when the name has only one.
pub fn duplicate_stages(full_name: &str, birth_year: i32) -> Vec<Vec<String>> {
    let years = birth_year - 2..=birth_year + 2;
    let dated: Vec<String> = years
        .flat_map(|y| dated_pair_tokens(full_name, y))
        .collect();
    if dated.is_empty() {
        return candidate_stages(full_name);
    }
    let (with_letter, letterless): (Vec<String>, Vec<String>) =
        dated.into_iter().partition(|t| t.contains(":q:"));
    vec![with_letter, letterless]
}

/// The token sets to try, most selective first, when looking for records
/// that may match a name: pairs of name parts when there are two or more
/// parts (both names must sound alike), single parts otherwise.
pub fn candidate_stages(full_name: &str) -> Vec<Vec<String>> {
    let pairs = pair_tokens(full_name);
    if pairs.is_empty() {
        vec![
            tokens_of_kind(full_name, "p:"),
            tokens_of_kind(full_name, "s:"),
        ]
    } else {
        let (with_letter, letterless): (Vec<String>, Vec<String>) =
            pairs.into_iter().partition(|t| t.starts_with("q:"));
        vec![with_letter, letterless]
    }
}

/// Search tokens of one kind (`p:` phonetic, `s:` letterless phonetic) from [`name_tokens`].
pub fn tokens_of_kind(full_name: &str, kind: &str) -> Vec<String> {
    name_tokens(full_name)
        .into_iter()
        .filter(|t| t.starts_with(kind))
        .collect()
}

/// Search tokens for a full name: `p:` phonetic codes, `s:` the same codes
/// without their first letter, and `q:` phonetic pairs.
pub fn name_tokens(full_name: &str) -> Vec<String> {
    let norm = normalise_name(full_name);
    let mut tokens = Vec::new();
    for part in norm.split(' ').filter(|p| !p.is_empty()) {
        if let Some(s) = soundex(part) {
            tokens.push(format!("s:{}", &s[1..]));
            tokens.push(format!("p:{s}"));
        }
    }
    tokens.extend(pair_tokens(full_name));
    tokens.sort();
    tokens.dedup();
    tokens
}

/// Jaro-Winkler similarity in 0..=1 of two normalised strings.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = vec![false; a.len()];
    let mut b_match = vec![false; b.len()];
    let mut matches = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && a[i] == b[j] {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let a_seq = a.iter().zip(&a_match).filter(|(_, m)| **m).map(|(c, _)| c);
    let b_seq = b.iter().zip(&b_match).filter(|(_, m)| **m).map(|(c, _)| c);
    let transpositions = a_seq.zip(b_seq).filter(|(x, y)| x != y).count() / 2;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// How alike two full names are, allowing for swapped order of parts.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let (na, nb) = (normalise_name(a), normalise_name(b));
    let direct = jaro_winkler(&na, &nb);
    let swapped = {
        let mut parts: Vec<&str> = nb.split(' ').collect();
        parts.reverse();
        jaro_winkler(&na, &parts.join(" "))
    };
    direct.max(swapped)
}

/// How well a search query matches a full name: for each word of the query,
/// the best Jaro-Winkler similarity with any word of the name, averaged. So
/// "Amena" finds "Amina Diallo", and word order does not matter.
pub fn search_score(query: &str, full_name: &str) -> f64 {
    let q = normalise_name(query);
    let n = normalise_name(full_name);
    let name_parts: Vec<&str> = n.split(' ').filter(|p| !p.is_empty()).collect();
    let query_parts: Vec<&str> = q.split(' ').filter(|p| !p.is_empty()).collect();
    if query_parts.is_empty() || name_parts.is_empty() {
        return 0.0;
    }
    let total: f64 = query_parts
        .iter()
        .map(|qp| {
            name_parts
                .iter()
                .map(|np| jaro_winkler(qp, np))
                .fold(0.0, f64::max)
        })
        .sum();
    total / query_parts.len() as f64
}

/// The least name similarity at which two records are shown as possible duplicates.
pub const DUPLICATE_NAME_THRESHOLD: f64 = 0.85;
/// The least name similarity for a name search to show a record.
pub const SEARCH_NAME_THRESHOLD: f64 = 0.75;

/// What is known of a record when comparing it with another.
pub struct DuplicateFacts<'a> {
    /// Full name.
    pub name: &'a str,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Whether the date is an estimate.
    pub estimated: bool,
    /// Location path.
    pub location_path: &'a str,
    /// Sex as recorded.
    pub sex: &'a str,
}

/// Reasons two records may be the same child, or `None` when they look distinct.
pub fn duplicate_reasons(a: &DuplicateFacts, b: &DuplicateFacts) -> Option<(f64, Vec<String>)> {
    let sim = name_similarity(a.name, b.name);
    if sim < DUPLICATE_NAME_THRESHOLD {
        return None;
    }
    let mut reasons = vec![if sim >= 0.999 {
        "same name".to_string()
    } else {
        format!("similar name ({:.0}% alike)", sim * 100.0)
    }];
    let days = (a.date_of_birth.days_since_epoch() - b.date_of_birth.days_since_epoch()).abs();
    let tolerance = if a.estimated || b.estimated {
        2 * 366
    } else {
        366
    };
    if days > tolerance {
        return None;
    }
    reasons.push(match days {
        0 => "same date of birth".to_string(),
        d if d <= 31 => format!("dates of birth {d} days apart"),
        _ => "ages within the range of an estimate".to_string(),
    });
    if a.location_path == b.location_path {
        reasons.push("same district".to_string());
    } else if parent_path(a.location_path) == parent_path(b.location_path) {
        reasons.push("neighbouring district in the same region".to_string());
    } else {
        return None;
    }
    if a.sex != b.sex && a.sex != "unknown" && b.sex != "unknown" {
        return None;
    }
    Some((sim, reasons))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soundex_groups_common_misspellings() {
        assert_eq!(soundex("amina"), soundex("ameena"));
        assert_eq!(soundex("diallo"), soundex("dialo"));
        assert_eq!(soundex("robert").as_deref(), Some("R163"));
        assert_eq!(soundex("ashcraft").as_deref(), Some("A261"));
    }

    #[test]
    fn tokens_are_shared_by_misspelt_names() {
        let a = name_tokens("Amina Diallo");
        let b = name_tokens("Ameena Dialo");
        assert!(a.iter().filter(|t| b.contains(t)).count() >= 4);
        assert_eq!(normalise_name("  Zoë  N'Diaye "), "zoe n diaye");
    }

    #[test]
    fn search_tolerates_misspelling_and_order() {
        assert!(search_score("Amena Dialo", "Amina Diallo") > SEARCH_NAME_THRESHOLD);
        assert!(search_score("diallo", "Amina Diallo") > 0.99);
        assert!(search_score("Fatou Sow", "Amina Diallo") < SEARCH_NAME_THRESHOLD);
    }

    #[test]
    fn duplicates_need_name_age_and_place() {
        let d = |name, dob: &str, path| DuplicateFacts {
            name,
            date_of_birth: Date::parse(dob).unwrap(),
            estimated: false,
            location_path: path,
            sex: "female",
        };
        let a = d("Amina Diallo", "2014-03-02", "/C/R1/D1/");
        let (_, reasons) =
            duplicate_reasons(&a, &d("Amena Dialo", "2014-03-09", "/C/R1/D1/")).unwrap();
        assert!(reasons.iter().any(|r| r.contains("similar name")));
        assert!(reasons.contains(&"same district".to_string()));
        assert!(duplicate_reasons(&a, &d("Amina Diallo", "2014-03-02", "/C/R1/D2/")).is_some());
        assert!(duplicate_reasons(&a, &d("Amina Diallo", "2014-03-02", "/C/R2/D1/")).is_none());
        assert!(duplicate_reasons(&a, &d("Amina Diallo", "2010-03-02", "/C/R1/D1/")).is_none());
        assert!(duplicate_reasons(&a, &d("Fatou Sow", "2014-03-02", "/C/R1/D1/")).is_none());
        assert!(duplicate_reasons(&a, &d("Diallo Amina", "2014-03-02", "/C/R1/D1/")).is_some());
    }
}
