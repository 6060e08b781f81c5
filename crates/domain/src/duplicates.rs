//! Recognising that two records may be the same child: names spelt
//! differently or written in another script, an age that is an estimate, a
//! family that moved district. Nothing is merged here; a person reads the
//! reasons and decides.
//!
//! A name is first brought to one form whatever the keyboard produced:
//! Unicode NFKC (so composed "ë" and "e" + combining diaeresis, or
//! full-width letters, are the same), lower case with the few full case
//! foldings that matter for names (ß → ss, final ς → σ), and without the
//! optional diacritics of Latin, Greek, Cyrillic, Hebrew and Arabic. Each
//! part is also transliterated to ASCII (`any_ascii`), so "Фатима Диалло",
//! "Φατίμα" and "Fatima" can meet. Han ideographs and Hangul syllables are
//! one part each, since those names are usually written without spaces.
//!
//! Names are reduced to a few search tokens: a phonetic code per name part,
//! the same code without its first letter (so "Kamara" meets "Camara"), and
//! phonetic pairs of parts, all computed from the transliteration; names not
//! written in plain ASCII also get in-script tokens (the part itself and
//! pairs of parts), so a name typed the same way in its own script is always
//! among the candidates. Storage keeps only keyed hashes of these tokens, so
//! the database can find candidates without holding readable names; few
//! tokens per child keep registration fast on a large registry.

use crate::date::Date;
use crate::location::parent_path;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The version of the token scheme below. Stored tokens made by another
/// version cannot be found by this code's queries: a store rebuilds every
/// child's tokens when the version it finds differs from this one. Raise it
/// whenever a change here changes any token.
pub const TOKEN_SCHEME: i64 = 2;

/// How much a match seen only through transliteration counts against the
/// same match in the name's own script: "Фатима" against "Fatima" is a
/// strong match, but an exact in-script match ranks above it.
const TRANSLITERATED: f64 = 0.97;

/// One part of a name (a word, or a single Han or Hangul character).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamePart {
    /// In its own script: NFKC, case-folded, optional diacritics removed.
    pub native: String,
    /// Transliterated to lower-case ASCII letters (empty when nothing is known of the script).
    pub latin: String,
    /// Written in a script whose vowels are often not written (Arabic,
    /// Hebrew) or implied (the Brahmic scripts), so transliterations lack
    /// vowels that a Latin spelling has.
    pub sparse_vowels: bool,
}

/// Characters whose combining marks are optional diacritics for names:
/// Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic and Syriac, and the
/// Latin and Greek extended blocks. Elsewhere (Devanagari vowel signs,
/// Thai vowels) a mark is a letter of the name and is kept.
fn marks_are_optional(base: char) -> bool {
    matches!(base as u32, 0..=0x074F | 0x1E00..=0x1FFF)
}

/// Han ideographs and Hangul syllables: each is one part of a name.
fn is_syllable_part(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F | 0xAC00..=0xD7A3)
}

/// Scripts whose transliteration lacks vowels: Hebrew, Arabic, Syriac,
/// Thaana, the Brahmic scripts of India and South-East Asia, Tibetan and
/// Myanmar.
fn has_sparse_vowels(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x07BF | 0x0860..=0x08FF | 0x0900..=0x109F | 0x1780..=0x17FF
        | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// NFKC, case folding, and no optional diacritics.
fn fold(s: &str) -> String {
    let mut lower = String::with_capacity(s.len());
    for c in s.nfkc() {
        match c {
            'ß' | 'ẞ' => lower.push_str("ss"),
            'ς' => lower.push('σ'),
            // Arabic tatweel, soft hyphen and zero-width (non-)joiners only
            // change how a word is drawn.
            '\u{0640}' | '\u{00AD}' | '\u{200C}' | '\u{200D}' => {}
            c => lower.extend(c.to_lowercase()),
        }
    }
    let mut out = String::with_capacity(lower.len());
    let mut optional = false;
    for c in lower.nfd() {
        if is_combining_mark(c) {
            if !optional {
                out.push(c);
            }
        } else {
            optional = marks_are_optional(c);
            out.push(c);
        }
    }
    out.nfc().collect()
}

/// Lower-case ASCII letters for one part in its own script.
fn transliterate(native: &str) -> String {
    let mut out = String::with_capacity(native.len());
    for c in native.chars() {
        let ascii = match c {
            // any_ascii leaves the Arabic alif unwritten and writes taa
            // marbuta as "h"; names are romanised with "a" for both
            // (Fatima, Khadija), and for alif maqsura.
            'ا' | 'ٱ' | 'ى' | 'ة' => "a",
            c => any_ascii::any_ascii_char(c),
        };
        out.extend(
            ascii
                .chars()
                .filter(char::is_ascii_alphabetic)
                .map(|c| c.to_ascii_lowercase()),
        );
    }
    out
}

/// Parts of a name that make tokens: real names have far fewer, and pairs
/// grow with the square of the count (a long name, or a query pasted in,
/// must not turn into tens of thousands of tokens).
pub const MAX_NAME_PARTS: usize = 12;

/// The parts of a name in the forms that are compared and tokenised.
pub fn name_parts(full_name: &str) -> Vec<NamePart> {
    let folded = fold(full_name);
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in folded.chars() {
        if is_syllable_part(c) {
            words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
            words.push(c.to_string());
        } else if c.is_alphabetic() || is_combining_mark(c) {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    words.extend((!word.is_empty()).then_some(word));
    words
        .into_iter()
        .take(MAX_NAME_PARTS)
        .map(|native| NamePart {
            latin: transliterate(&native),
            sparse_vowels: native.chars().any(has_sparse_vowels),
            native,
        })
        .collect()
}

/// The name in its own script, normalised: parts separated by single
/// spaces, e.g. `  Zoë  N'Diaye ` → `zoe n diaye`.
pub fn normalise_name(s: &str) -> String {
    join(&name_parts(s), |p| &p.native)
}

/// The name transliterated to ASCII, e.g. `Фатима Диалло` → `fatima diallo`.
pub fn transliterate_name(s: &str) -> String {
    join(&name_parts(s), |p| &p.latin)
}

fn join(parts: &[NamePart], form: impl Fn(&NamePart) -> &str) -> String {
    parts
        .iter()
        .map(form)
        .filter(|f| !f.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The consonants of a transliterated word as Soundex classes, a repeated
/// class counted once even across vowels: scripts that leave vowels out
/// ("mhmd") and spellings that write them ("muhammad") give the same classes.
fn consonant_classes(latin: &str) -> Vec<char> {
    let class = |c: char| match c {
        'b' | 'f' | 'p' | 'v' => Some('1'),
        'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => Some('2'),
        'd' | 't' => Some('3'),
        'l' => Some('4'),
        'm' | 'n' => Some('5'),
        'r' => Some('6'),
        _ => None,
    };
    let mut out: Vec<char> = Vec::new();
    for k in latin.chars().filter_map(class) {
        if out.last() != Some(&k) {
            out.push(k);
        }
    }
    out
}

fn three(classes: &[char]) -> String {
    let mut s: String = classes.iter().take(3).collect();
    while s.len() < 3 {
        s.push('0');
    }
    s
}

/// The phonetic code of one transliterated word, Soundex-like: its first
/// letter and the classes of the consonants after it, e.g. `kamara` → `K560`.
pub fn phonetic_code(latin: &str) -> Option<String> {
    let first = latin.chars().find(char::is_ascii_alphabetic)?;
    let classes = consonant_classes(latin);
    let first_class = consonant_classes(&first.to_string());
    let rest = match (classes.first(), first_class.first()) {
        (Some(a), Some(b)) if a == b => &classes[1..],
        _ => &classes[..],
    };
    Some(format!("{}{}", first.to_ascii_uppercase(), three(rest)))
}

/// The letterless code of one transliterated word: the classes of all its
/// consonants, the first included, e.g. `kamara` and `camara` → `256`, and
/// `omar` and the Arabic `mr` → `560`.
pub fn letterless_code(latin: &str) -> Option<String> {
    latin
        .chars()
        .any(|c| c.is_ascii_alphabetic())
        .then(|| three(&consonant_classes(latin)))
}

/// Pair tokens (`q:`): the phonetic codes of every two parts of a name, in
/// sorted order, so "Amina Diallo" and "Dyallo Aminah" share one. They are
/// selective, so a search or duplicate check starts with them.
pub fn pair_tokens(full_name: &str) -> Vec<String> {
    pair_tokens_of(&name_parts(full_name))
}

fn pair_tokens_of(parts: &[NamePart]) -> Vec<String> {
    let codes: Vec<String> = parts
        .iter()
        .filter_map(|p| phonetic_code(&p.latin))
        .collect();
    let mut out = pairs(&codes, "q:");
    // The letterless codes (`r:`), for "Kamara" against "Camara", or
    // "Omar" against the Arabic "عمر".
    let letterless: Vec<String> = parts
        .iter()
        .filter_map(|p| letterless_code(&p.latin))
        .collect();
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

/// In-script tokens, for parts not written in plain ASCII: `w:` the part
/// itself and `x:` every two parts (in sorted order). A name typed the same
/// way in its own script shares them however many phonetic neighbours it
/// has; an ASCII name has none, its phonetic codes being close to exact.
pub fn script_tokens(full_name: &str) -> Vec<String> {
    script_tokens_of(&name_parts(full_name))
}

fn script_tokens_of(parts: &[NamePart]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in parts.iter().enumerate() {
        if !a.native.is_ascii() {
            out.push(format!("w:{}", a.native));
        }
        for b in &parts[i + 1..] {
            if !a.native.is_ascii() || !b.native.is_ascii() {
                let (x, y) = if a.native <= b.native { (a, b) } else { (b, a) };
                out.push(format!("x:{} {}", x.native, y.native));
            }
        }
    }
    out.sort();
    out.dedup();
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

/// Where to look for records whose names may match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lookup {
    /// In-script tokens of the name as written (see [`script_tokens`]):
    /// always looked up, first, so records written the same way in the same
    /// script are never crowded out by phonetic neighbours. Empty for an
    /// ASCII name.
    pub in_script: Vec<String>,
    /// Phonetic token sets, most selective first: the first that finds
    /// anything is used.
    pub stages: Vec<Vec<String>>,
}

/// The in-script tokens to look up for a name: its pairs of parts, or the
/// part itself when it has one.
fn in_script_lookup(parts: &[NamePart]) -> Vec<String> {
    let kind = if parts.len() > 1 { "x:" } else { "w:" };
    script_tokens_of(parts)
        .into_iter()
        .filter(|t| t.starts_with(kind))
        .collect()
}

/// Where to look for duplicates of a child born in `birth_year`: the
/// in-script tokens, then dated pairs (with, then without, first letters),
/// or single name parts when the name has only one.
pub fn duplicate_stages(full_name: &str, birth_year: i32) -> Lookup {
    let years = birth_year - 2..=birth_year + 2;
    let dated: Vec<String> = years
        .flat_map(|y| dated_pair_tokens(full_name, y))
        .collect();
    if dated.is_empty() {
        return candidate_stages(full_name);
    }
    let (with_letter, letterless): (Vec<String>, Vec<String>) =
        dated.into_iter().partition(|t| t.contains(":q:"));
    Lookup {
        in_script: in_script_lookup(&name_parts(full_name)),
        stages: vec![with_letter, letterless],
    }
}

/// Where to look for records that may match a name searched for: the
/// in-script tokens, then pairs of name parts when there are two or more
/// parts (both names must sound alike), single parts otherwise.
pub fn candidate_stages(full_name: &str) -> Lookup {
    let parts = name_parts(full_name);
    let pairs = pair_tokens_of(&parts);
    let stages = if pairs.is_empty() {
        vec![
            tokens_of_kind(full_name, "p:"),
            tokens_of_kind(full_name, "s:"),
        ]
    } else {
        let (with_letter, letterless): (Vec<String>, Vec<String>) =
            pairs.into_iter().partition(|t| t.starts_with("q:"));
        vec![with_letter, letterless]
    };
    Lookup {
        in_script: in_script_lookup(&parts),
        stages,
    }
}

/// Search tokens of one kind (`p:` phonetic, `s:` letterless phonetic) from [`name_tokens`].
pub fn tokens_of_kind(full_name: &str, kind: &str) -> Vec<String> {
    name_tokens(full_name)
        .into_iter()
        .filter(|t| t.starts_with(kind))
        .collect()
}

/// Search tokens for a full name: `p:` phonetic codes, `s:` letterless
/// codes, `q:`/`r:` phonetic pairs, and for a name not in plain ASCII the
/// in-script `w:` parts and `x:` pairs.
pub fn name_tokens(full_name: &str) -> Vec<String> {
    let parts = name_parts(full_name);
    let mut tokens = Vec::new();
    for part in &parts {
        if let (Some(p), Some(s)) = (phonetic_code(&part.latin), letterless_code(&part.latin)) {
            tokens.push(format!("p:{p}"));
            tokens.push(format!("s:{s}"));
        }
    }
    tokens.extend(pair_tokens_of(&parts));
    tokens.extend(script_tokens_of(&parts));
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

/// The transliteration without vowels and semivowels, doubled letters
/// once: what a name written in Arabic or Devanagari letters and its Latin
/// spelling still share ("mhmd" and "mohamed", "srma" and "sharma").
fn skeleton(latin: &str) -> String {
    let mut out = String::with_capacity(latin.len());
    for c in latin.chars() {
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w') || (c != ' ' && out.ends_with(c)) {
            continue;
        }
        out.push(c);
    }
    out
}

/// How alike two forms of the same kind are: Jaro-Winkler, or nothing when
/// either form is empty (a script nothing is known of, a name of vowels).
fn form_similarity(a: &str, b: &str) -> f64 {
    if a.trim().is_empty() || b.trim().is_empty() {
        0.0
    } else {
        jaro_winkler(a, b)
    }
}

/// The best of comparing in the names' own script, comparing their
/// transliterations, and, when either is written without all its vowels,
/// comparing consonant skeletons. `native` and `latin` hold the two names'
/// forms (each possibly with a variant, such as the parts reversed).
fn best_of_forms(native: (&str, &str), latin: (&str, &str), sparse_vowels: bool) -> f64 {
    let mut best =
        form_similarity(native.0, native.1).max(TRANSLITERATED * form_similarity(latin.0, latin.1));
    if sparse_vowels {
        best = best.max(TRANSLITERATED * form_similarity(&skeleton(latin.0), &skeleton(latin.1)));
    }
    best
}

/// How alike two parts of names are.
fn part_similarity(a: &NamePart, b: &NamePart) -> f64 {
    best_of_forms(
        (&a.native, &b.native),
        (&a.latin, &b.latin),
        a.sparse_vowels || b.sparse_vowels,
    )
}

/// The ways two names' parts are lined up for comparison: as written, one
/// reversed ("Diallo Amina"), and both in alphabetical order of their
/// transliterations (a Chinese name entered as given name "小明" and family
/// name "王" against "王小明").
fn arrangements(a: &[NamePart], b: &[NamePart]) -> [(Vec<NamePart>, Vec<NamePart>); 3] {
    let mut reversed = b.to_vec();
    reversed.reverse();
    let sorted = |parts: &[NamePart]| {
        let mut v = parts.to_vec();
        v.sort_by(|x, y| (&x.latin, &x.native).cmp(&(&y.latin, &y.native)));
        v
    };
    [
        (a.to_vec(), b.to_vec()),
        (a.to_vec(), reversed),
        (sorted(a), sorted(b)),
    ]
}

/// How alike two full names are, allowing for another order of parts and
/// for either being written in another script.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let (pa, pb) = (name_parts(a), name_parts(b));
    let sparse = pa.iter().chain(&pb).any(|p| p.sparse_vowels);
    arrangements(&pa, &pb)
        .iter()
        .map(|(x, y)| {
            best_of_forms(
                (&join(x, |p| &p.native), &join(y, |p| &p.native)),
                (&join(x, |p| &p.latin), &join(y, |p| &p.latin)),
                sparse,
            )
        })
        .fold(0.0, f64::max)
}

/// How well a search query matches a full name: for each part of the query,
/// the best similarity with any part of the name (in the same script, or
/// through transliteration), averaged. So "Amena" finds "Amina Diallo",
/// "Fatima" finds "Фатима Диалло", and word order does not matter.
pub fn search_score(query: &str, full_name: &str) -> f64 {
    let query_parts = name_parts(query);
    let name_parts = name_parts(full_name);
    if query_parts.is_empty() || name_parts.is_empty() {
        return 0.0;
    }
    let total: f64 = query_parts
        .iter()
        .map(|qp| {
            name_parts
                .iter()
                .map(|np| part_similarity(qp, np))
                .fold(0.0, f64::max)
        })
        .sum();
    total / query_parts.len() as f64
}

/// Whether two names are the same once both are transliterated (in any
/// arrangement of parts), though written differently.
fn same_when_transliterated(a: &str, b: &str) -> bool {
    let (pa, pb) = (name_parts(a), name_parts(b));
    arrangements(&pa, &pb).iter().any(|(x, y)| {
        let latin = join(x, |p| &p.latin);
        !latin.is_empty() && latin == join(y, |p| &p.latin)
    })
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
    } else if same_when_transliterated(a.name, b.name) {
        "same name when transliterated".to_string()
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
    fn phonetic_codes_group_misspellings_and_missing_vowels() {
        assert_eq!(phonetic_code("amina"), phonetic_code("ameena"));
        assert_eq!(phonetic_code("diallo"), phonetic_code("dialo"));
        assert_eq!(phonetic_code("kamara").as_deref(), Some("K560"));
        assert_eq!(letterless_code("kamara"), letterless_code("camara"));
        // Arabic leaves short vowels unwritten: "mhmd", "mr" (عمر).
        assert_eq!(phonetic_code("mhmd"), phonetic_code("muhammad"));
        assert_eq!(letterless_code("mr"), letterless_code("omar"));
        assert_eq!(phonetic_code(""), None);
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

    /// Names in ten scripts, each with a second spelling that must be
    /// recognised as the same child: (name, same child written otherwise).
    const SCRIPTS: [(&str, &str); 10] = [
        ("Zoë Ñúñez", "Zoe Nunez"),
        ("Фатима Диалло", "Fatima Diallo"),
        ("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos"),
        ("عائشة كمارا", "Aisha Kamara"),
        ("प्रिया शर्मा", "Priya Sharma"),
        ("王小明", "王 小明"),
        ("Søren Ødegård", "Soren Odegard"),
        ("אברהם כהן", "אַבְרָהָם כֹּהֵן"),
        ("김민준", "김 민준"),
        ("Nguyễn Thị Minh Khai", "NGUYEN THI MINH KHAI"),
    ];

    /// Whether a search for `query` would fetch and show a record named
    /// `name` in a registry holding only it.
    fn search_finds(query: &str, name: &str) -> bool {
        let stored = name_tokens(name);
        let lookup = candidate_stages(query);
        let fetched = lookup.in_script.iter().any(|t| stored.contains(t))
            || lookup
                .stages
                .iter()
                .any(|s| s.iter().any(|t| stored.contains(t)));
        fetched && search_score(query, name) >= SEARCH_NAME_THRESHOLD
    }

    /// Whether registering `a` would flag a record `b` of the same age and
    /// place as a possible duplicate.
    fn flagged(a: &str, b: &str) -> bool {
        let mut stored = name_tokens(b);
        stored.extend(dated_pair_tokens(b, 2014));
        let lookup = duplicate_stages(a, 2014);
        let fetched = lookup.in_script.iter().any(|t| stored.contains(t))
            || lookup
                .stages
                .iter()
                .any(|s| s.iter().any(|t| stored.contains(t)));
        let d = |name| DuplicateFacts {
            name,
            date_of_birth: Date::parse("2014-03-02").unwrap(),
            estimated: false,
            location_path: "/C/R1/D1/",
            sex: "female",
        };
        fetched && duplicate_reasons(&d(a), &d(b)).is_some()
    }

    #[test]
    fn every_script_is_searchable_and_checked_for_duplicates() {
        for (name, other) in SCRIPTS {
            let parts = name_parts(name);
            assert!(parts.len() >= 2, "{name}: {parts:?}");
            assert!(
                parts.iter().all(|p| !p.latin.is_empty()),
                "{name} is transliterated: {parts:?}"
            );
            assert!(
                name_tokens(name).len() <= 24,
                "{name}: few tokens per child"
            );
            assert!(search_finds(name, name), "{name} finds itself");
            assert!(
                (search_score(name, name) - 1.0).abs() < 1e-9,
                "{name} matches itself exactly"
            );
            assert!(search_finds(other, name), "{other} finds {name}");
            assert!(search_finds(name, other), "{name} finds {other}");
            assert!(flagged(name, other), "{name} flags {other}");
            assert!(flagged(other, name), "{other} flags {name}");
            // Distinct names in every script stay distinct.
            for (unrelated, _) in SCRIPTS.iter().filter(|(n, _)| *n != name) {
                assert!(!flagged(name, unrelated), "{name} flags {unrelated}");
            }
        }
        // One part of the name finds the child, in any script.
        assert!(search_finds("Диалло", "Фатима Диалло"));
        assert!(search_finds("शर्मा", "प्रिया शर्मा"));
        assert!(search_finds("Παπαδόπουλος", "Γιώργος Παπαδόπουλος"));
        assert!(search_finds("كمارا", "عائشة كمارا"));
    }

    #[test]
    fn nfc_and_nfd_spellings_are_the_same_name() {
        let nfc = "Zo\u{00EB} \u{00D1}\u{00FA}\u{00F1}ez";
        let nfd = "Zoe\u{0308} N\u{0303}u\u{0301}n\u{0303}ez";
        assert_ne!(nfc, nfd);
        assert_eq!(normalise_name(nfc), "zoe nunez");
        assert_eq!(normalise_name(nfd), "zoe nunez");
        assert_eq!(normalise_name("ZOË ÑÚÑEZ"), "zoe nunez");
        assert_eq!(name_tokens(nfc), name_tokens(nfd));
        assert_eq!(name_similarity(nfc, nfd), 1.0);
        assert!(search_finds(nfd, nfc) && search_finds(nfc, nfd));
        assert!(flagged(nfd, nfc));
        // Also outside Latin: a Greek accent, Arabic vowel points, a
        // Devanagari nukta, full-width letters, a final sigma in capitals.
        for (a, b) in [
            ("Ελένη", "Ελε\u{0301}νη"),
            ("مُحَمَّد", "محمد"),
            ("\u{0921}\u{093C}", "\u{095C}"),
            ("ｆａｔｉｍａ", "Fatima"),
            ("ΝΊΚΟΣ", "νίκος"),
            ("Straße", "STRASSE"),
        ] {
            assert_eq!(normalise_name(a), normalise_name(b), "{a} / {b}");
            assert_eq!(name_tokens(a), name_tokens(b), "{a} / {b}");
        }
    }

    #[test]
    fn names_in_two_scripts_are_possible_duplicates() {
        assert_eq!(transliterate_name("Фатима Диалло"), "fatima diallo");
        for (a, b) in [
            ("Фатима Диалло", "Fatima Diallo"),
            ("Фатима Диалло", "Diallo Fatima"),
            ("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos"),
            ("Ελένη Βασιλείου", "Eleni Vasiliou"),
            ("محمد علي", "Mohamed Ali"),
            ("فاطمة ديالو", "Fatima Diallo"),
            ("عائشة كمارا", "Aisha Kamara"),
            ("प्रिया शर्मा", "Priya Sharma"),
            ("李娜", "Li Na"),
        ] {
            let sim = name_similarity(a, b);
            assert!(sim >= DUPLICATE_NAME_THRESHOLD, "{a} / {b}: {sim}");
            assert!(
                sim < 1.0,
                "an exact in-script match ranks above a transliterated one"
            );
            assert!(flagged(a, b), "{a} flags {b}");
            assert!(flagged(b, a), "{b} flags {a}");
            assert!(search_finds(b, a), "{b} finds {a}");
        }
        let d = |name| DuplicateFacts {
            name,
            date_of_birth: Date::parse("2014-03-02").unwrap(),
            estimated: false,
            location_path: "/C/R1/D1/",
            sex: "female",
        };
        let (_, reasons) = duplicate_reasons(&d("Фатима Диалло"), &d("Fatima Diallo")).unwrap();
        assert_eq!(reasons[0], "same name when transliterated");
        assert!(!flagged("Фатима Диалло", "Fatou Sow"));
        assert!(!flagged("محمد علي", "Fatima Diallo"));
    }

    #[test]
    fn a_long_name_makes_a_bounded_number_of_tokens() {
        let long: String = "王".repeat(10) + &"小明".repeat(95);
        assert!(
            name_tokens(&long).len() < 400,
            "{}",
            name_tokens(&long).len()
        );
        let lookup = candidate_stages(&long);
        assert!(format!("{lookup:?}").len() < 100_000);
    }

    #[test]
    fn chinese_names_are_found_exactly() {
        let name = "王小明";
        assert_eq!(normalise_name(name), "王 小 明");
        assert_eq!(
            name_similarity("小明 王", name),
            1.0,
            "given and family name fields"
        );
        let lookup = candidate_stages(name);
        assert!(!lookup.in_script.is_empty());
        let stored = name_tokens(name);
        assert!(lookup.in_script.iter().all(|t| stored.contains(t)));
        assert!(search_finds(name, name));
        assert!(search_finds("小明", name), "the given name alone");
        assert!(search_finds("Wang Xiao Ming", name), "pinyin by syllable");
        // A homophone ranks below the exact name; another name is not shown.
        let exact = search_score(name, name);
        let homophone = search_score(name, "王晓明");
        assert!(exact > homophone && homophone >= SEARCH_NAME_THRESHOLD);
        assert!(!search_finds("李娜", name));
        assert!(!search_finds(name, "李娜"));
        assert!(candidate_stages("李娜")
            .in_script
            .iter()
            .all(|t| !stored.contains(t)));
    }
}
