//! Hashes the reference project's benign test images and compares with the
//! hashes the reference C++ computed (testdata/conformance/pdq/expected.csv).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use haven_pdq::{hash_image_bytes, Hash256, MatchIndex};
use std::path::PathBuf;

fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/conformance/pdq")
}

struct Expected {
    file: String,
    pdq: Hash256,
    quality: u32,
    dihedral: Vec<Hash256>,
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string(conformance_dir().join("expected.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Expected {
                file: f[0].to_string(),
                pdq: f[1].parse().unwrap(),
                quality: f[2].parse().unwrap(),
                dihedral: f[3..11].iter().map(|h| h.parse().unwrap()).collect(),
            }
        })
        .collect()
}

/// The one known difference from the reference, stated in the README: in
/// `square-128x128.jpg` rotated by 90° and flipped vertically (the two share
/// a sign pattern), the highest-frequency DCT coefficient is 2% above that
/// orientation's median here and not in the reference, which sets another
/// bit instead: each of those two hashes differs in 2 bits. Every other
/// hash of every image is identical.
const KNOWN: &[(&str, usize, u32)] = &[
    ("images/square-128x128.jpg", 1, 2),
    ("images/square-128x128.jpg", 5, 2),
];

#[test]
fn hashes_match_the_reference() {
    let cases = expected();
    assert!(cases.len() >= 20, "expected.csv has {} rows", cases.len());
    let mut report = Vec::new();
    for case in &cases {
        let bytes = std::fs::read(conformance_dir().join(&case.file)).unwrap();
        let (got, _) = hash_image_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", case.file));
        let d = got.hash.distance(&case.pdq);
        report.push(format!(
            "{} distance {d} quality {} vs {}",
            case.file, got.quality, case.quality
        ));
        // Every image, JPEGs included: the same hash and quality.
        assert_eq!(got.hash, case.pdq, "{}", case.file);
        assert_eq!(got.quality, case.quality, "{}", case.file);
        for (k, (ours, theirs)) in got.dihedrals().iter().zip(&case.dihedral).enumerate() {
            let allowed = KNOWN
                .iter()
                .find(|(f, i, _)| *f == case.file && *i == k)
                .map_or(0, |(_, _, bits)| *bits);
            assert!(
                ours.distance(theirs) <= allowed,
                "{} orientation {k}: distance {}",
                case.file,
                ours.distance(theirs)
            );
        }
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn index_finds_what_brute_force_finds_on_reference_lists() {
    let read = |name: &str| -> Vec<Hash256> {
        std::fs::read_to_string(conformance_dir().join("index").join(name))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.parse().unwrap())
            .collect()
    };
    let haystack = read("haystack.txt");
    let needles = read("needles.txt");
    let idx = MatchIndex::from_hashes(haystack.clone());
    let mut total = 0;
    for n in &needles {
        let got: Vec<u32> = idx.search(n, 31).iter().map(|m| m.entry).collect();
        let mut want: Vec<(u32, u32)> = haystack
            .iter()
            .enumerate()
            .filter(|(_, h)| h.distance(n) <= 31)
            .map(|(i, h)| (h.distance(n), i as u32))
            .collect();
        want.sort();
        assert_eq!(got, want.iter().map(|w| w.1).collect::<Vec<_>>());
        total += got.len();
    }
    assert!(
        total > 0,
        "the reference needles should match some of the haystack"
    );
}

#[test]
fn damaged_files_are_errors() {
    let bytes = std::fs::read(conformance_dir().join("images/bridge-1-original.jpg")).unwrap();
    // A truncated JPEG is an error wherever it is cut, never a picture
    // with the missing part painted grey.
    for cut in [
        0,
        10,
        100,
        bytes.len() / 4,
        bytes.len() / 2,
        bytes.len() - 100,
    ] {
        let r = hash_image_bytes(&bytes[..cut]);
        assert!(r.is_err(), "cut at {cut}");
    }
}

/// Mutation fuzzing without extra tools: flip, cut and splice random bytes of
/// every conformance image; decoding must return a hash or an error, never
/// panic or hang. (Deterministic, so a failure can be replayed.)
#[test]
fn mutated_files_never_panic() {
    let mut state = 0x5eed_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let dir = conformance_dir().join("images");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut errors = 0;
    for path in names {
        let original = std::fs::read(&path).unwrap();
        for round in 0..12 {
            let mut b = original.clone();
            match round % 3 {
                0 => {
                    for _ in 0..8 {
                        let i = (next() as usize) % b.len();
                        b[i] ^= (next() & 0xff) as u8;
                    }
                }
                1 => b.truncate((next() as usize) % b.len()),
                _ => {
                    let i = (next() as usize) % b.len();
                    let junk: Vec<u8> = (0..64).map(|_| next() as u8).collect();
                    b.splice(i..i, junk);
                }
            }
            let outcome = std::panic::catch_unwind(|| hash_image_bytes(&b).map(|r| r.0.hash));
            assert!(
                outcome.is_ok(),
                "{} round {round}: the decoder panicked",
                path.display()
            );
            if outcome.is_ok_and(|r| r.is_err()) {
                errors += 1;
            }
        }
    }
    assert!(errors > 0, "some mutations must be refused as damaged");
}
