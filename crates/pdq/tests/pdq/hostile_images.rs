//! Image bombs, truncated files and mutated headers: refused before decoding
//! where the header says enough, never a panic, never a picture over the
//! pixel limit or a partial one, and never more memory than
//! `DecodeLimits` promises (measured with a counting allocator).
//!
//! Every file here is synthetic, built in the test (or one of the benign
//! conformance images).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use haven_pdq::{
    decode_rgb_with, hash_image_bytes, hash_image_bytes_with, peek, DecodeError, DecodeLimits,
    ImageFormat, MIN_QUALITY, PEAK_BYTES_PER_PIXEL,
};
use image::ImageEncoder;
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;
use std::sync::OnceLock;

// ---- Counting what one thread allocates -------------------------------------

/// The system allocator, counting live bytes per thread (tests run on
/// several threads; the decoders run on the calling one).
struct Counting;

thread_local! {
    static LIVE: Cell<i64> = const { Cell::new(0) };
    static PEAK: Cell<i64> = const { Cell::new(0) };
}

fn count(delta: i64) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as i64);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as i64);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as i64));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Counted as the allocator may have it: both blocks at once.
            count(new_size as i64);
            count(-(layout.size() as i64));
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the most bytes it held at once.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get) - base;
    (out, peak.max(0) as u64)
}

const MIB: u64 = 1 << 20;

// ---- Building files ----------------------------------------------------------

/// The finding: a small PNG whose header declares `w` × `h` grey pixels
/// over 48 KB of data.
fn png_bomb(w: u32, h: u32) -> Vec<u8> {
    haven_pdq::synthetic::png_declaring(w, h, 48_000)
}

/// The finding: a 34-byte lossless WebP declaring `w` × `h` (at most 16383 here: image-webp reads 16384 as 0).
fn webp_bomb(w: u32, h: u32) -> Vec<u8> {
    let bits = (w - 1) | ((h - 1) << 14);
    let mut vp8l = vec![0x2f];
    vp8l.extend_from_slice(&bits.to_le_bytes());
    vp8l.extend_from_slice(&[0; 9]);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(4 + 8 + vp8l.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WEBPVP8L");
    out.extend_from_slice(&(vp8l.len() as u32).to_le_bytes());
    out.extend_from_slice(&vp8l);
    out
}

/// A GIF with a logical screen of `w` × `h` around one 1×1 frame.
fn gif_bomb(w: u16, h: u16) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&w.to_le_bytes());
    gif.extend_from_slice(&h.to_le_bytes());
    gif.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
    gif.extend_from_slice(&[0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b]);
    gif
}

/// An 8-bit RLE BMP of `w` × `h` whose data is one end-of-bitmap code.
fn bmp_bomb(w: i32, h: i32) -> Vec<u8> {
    let mut bmp = b"BM".to_vec();
    let data_offset = 14 + 40 + 8u32;
    bmp.extend_from_slice(&(data_offset + 2).to_le_bytes());
    bmp.extend_from_slice(&[0; 4]);
    bmp.extend_from_slice(&data_offset.to_le_bytes());
    bmp.extend_from_slice(&40u32.to_le_bytes());
    bmp.extend_from_slice(&w.to_le_bytes());
    bmp.extend_from_slice(&h.to_le_bytes());
    bmp.extend_from_slice(&1u16.to_le_bytes());
    bmp.extend_from_slice(&8u16.to_le_bytes());
    bmp.extend_from_slice(&1u32.to_le_bytes()); // BI_RLE8
    bmp.extend_from_slice(&[0; 12]);
    bmp.extend_from_slice(&2u32.to_le_bytes()); // colours used
    bmp.extend_from_slice(&[0; 4]);
    bmp.extend_from_slice(&[0, 0, 0, 0, 255, 255, 255, 0]);
    bmp.extend_from_slice(&[0, 1]);
    bmp
}

/// Busy synthetic pixels, 3 bytes each.
fn pixels(w: u32, h: u32) -> Vec<u8> {
    (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .flat_map(|(x, y)| [(x * 3 + y) as u8, (x ^ y) as u8, ((x * y) >> 4) as u8])
        .collect()
}

fn encode(format: ImageFormat, w: u32, h: u32) -> Vec<u8> {
    use image::ExtendedColorType as C;
    let rgb = pixels(w, h);
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .write_image(&rgb, w, h, C::Rgb8),
        ImageFormat::Png => {
            image::codecs::png::PngEncoder::new(&mut out).write_image(&rgb, w, h, C::Rgb8)
        }
        ImageFormat::Gif => {
            // Few colours, so the encoder needs no quantisation.
            let rgba: Vec<u8> = rgb
                .chunks(3)
                .flat_map(|p| [p[0] & 0xC0, p[1] & 0xE0, p[2] & 0xC0, 255])
                .collect();
            image::codecs::gif::GifEncoder::new(&mut out).encode(&rgba, w, h, C::Rgba8)
        }
        ImageFormat::WebP => image::codecs::webp::WebPEncoder::new_lossless(&mut out).write_image(
            &rgb,
            w,
            h,
            C::Rgb8,
        ),
        ImageFormat::Bmp => {
            image::codecs::bmp::BmpEncoder::new(&mut out).write_image(&rgb, w, h, C::Rgb8)
        }
    }
    .unwrap();
    out
}

/// 16-bit RGBA: the largest pixel any decoder writes (8 bytes).
fn encode_png_rgba16(w: u32, h: u32) -> Vec<u8> {
    let raw: Vec<u8> = pixels(w, h)
        .chunks(3)
        .flat_map(|p| [p[0], p[1], p[1], p[2], p[2], p[0], 0xff, 0x80])
        .collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&raw, w, h, image::ExtendedColorType::Rgba16)
        .unwrap();
    out
}

fn conformance(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/conformance/pdq/images")
        .join(name);
    std::fs::read(p).unwrap()
}

// ---- Bombs --------------------------------------------------------------------

#[test]
fn bombs_are_refused_from_their_header_with_the_limit_in_words() {
    let mut jpeg = encode(ImageFormat::Jpeg, 64, 64);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0x40, 0x01, 0x40, 0x01]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "PNG",
            png_bomb(20_000, 20_000),
            "the image declares 20000 × 20000 pixels (400 megapixels); the limit is 50 megapixels",
        ),
        (
            "WebP",
            webp_bomb(16_383, 16_383),
            "the image declares 16383 × 16383 pixels (268.4 megapixels); the limit is 50 megapixels",
        ),
        (
            "JPEG",
            jpeg,
            "the image declares 16385 × 16385 pixels (268.5 megapixels); the limit is 50 megapixels",
        ),
        (
            "GIF",
            gif_bomb(65_535, 65_535),
            "the image declares 65535 × 65535 pixels (4294.8 megapixels); the limit is 50 megapixels",
        ),
        (
            "BMP",
            bmp_bomb(30_000, 30_000),
            "the image declares 30000 × 30000 pixels (900 megapixels); the limit is 50 megapixels",
        ),
    ];
    for (name, bytes, message) in cases {
        let header = peek(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(header.format.name(), name);
        let (r, peak) = peak_during(|| hash_image_bytes(&bytes));
        assert_eq!(
            r.map(|_| ()),
            Err(DecodeError::TooLarge(message.into())),
            "{name}"
        );
        // The header alone was read: nothing near the size of the image.
        assert!(peak < 2 * MIB, "{name}: {peak} bytes allocated");
    }
    assert_eq!(webp_bomb(16_383, 16_383).len(), 34);
}

#[test]
fn bombs_under_the_limit_cost_what_their_pixel_count_allows() {
    // Tiny files that expand to the whole limit: allowed, and bounded.
    let limits = DecodeLimits {
        max_pixels: 4_000_000,
        ..DecodeLimits::default()
    };
    for (name, bytes) in [("GIF", gif_bomb(2000, 2000)), ("BMP", bmp_bomb(2000, 2000))] {
        let (r, peak) = peak_during(|| hash_image_bytes_with(&bytes, &limits));
        let (h, img) = r.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((img.width, img.height), (2000, 2000));
        // A flat picture: a hash to refuse.
        assert!(h.is_low_quality() && h.quality < MIN_QUALITY, "{name}");
        assert!(h.check_quality(MIN_QUALITY).is_err());
        assert!(
            peak <= PEAK_BYTES_PER_PIXEL * 4_000_000 + MIB,
            "{name}: {peak} bytes"
        );
    }
}

#[test]
fn memory_stays_within_the_documented_bound_for_every_format() {
    let (w, h) = (1200u32, 900u32);
    let n = u64::from(w * h);
    let limits = DecodeLimits {
        max_pixels: n,
        ..DecodeLimits::default()
    };
    let mut gif_frame_in_screen = encode(ImageFormat::Gif, 300, 200);
    gif_frame_in_screen[6..10].copy_from_slice(&[0xb0, 0x04, 0x84, 0x03]); // 1200 × 900
    let files = vec![
        ("PNG RGBA16", encode_png_rgba16(w, h)),
        ("PNG RGB8", encode(ImageFormat::Png, w, h)),
        ("JPEG", encode(ImageFormat::Jpeg, w, h)),
        ("GIF", encode(ImageFormat::Gif, w, h)),
        ("GIF frame in a larger screen", gif_frame_in_screen),
        ("WebP", encode(ImageFormat::WebP, w, h)),
        ("BMP", encode(ImageFormat::Bmp, w, h)),
    ];
    for (name, bytes) in files {
        let (r, decoding) = peak_during(|| decode_rgb_with(&bytes, &limits));
        r.unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!(
            "{name}: decoding peaks at {:.2} bytes per pixel",
            decoding as f64 / n as f64
        );
        let (r, peak) = peak_during(|| hash_image_bytes_with(&bytes, &limits));
        let (_, img) = r.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(img.rgb.len() as u64, 3 * n, "{name}");
        let per_pixel = peak as f64 / n as f64;
        eprintln!("{name}: decoding and hashing peak at {per_pixel:.2} bytes per pixel");
        assert!(
            peak <= PEAK_BYTES_PER_PIXEL * n + MIB,
            "{name}: {per_pixel:.2} bytes per pixel"
        );
        assert!(peak + bytes.len() as u64 <= limits.max_memory_bytes());
        assert!(peak <= limits.decoder_budget_bytes() + bytes.len() as u64);
    }
}

#[test]
fn long_thin_strips_stay_within_the_fixed_overhead() {
    // Per-row and per-column buffers (PNG rows, PDQ's 64 kept columns per
    // row, JPEG blocks padded to whole MCUs) do not scale with the pixel
    // count; MAX_SIDE and FIXED_OVERHEAD_BYTES bound them.
    let limits = DecodeLimits {
        max_pixels: 600_000,
        ..DecodeLimits::default()
    };
    let grey_strip = |w: u32, h: u32| {
        let raw: Vec<u8> = (0..w * h).map(|i| (i * 13 % 251) as u8).collect();
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&raw, w, h, image::ExtendedColorType::L8)
            .unwrap();
        out
    };
    for (name, bytes) in [
        ("PNG 8 × 65535", grey_strip(8, 65_535)),
        ("PNG 65535 × 8", grey_strip(65_535, 8)),
        ("JPEG 8 × 65535", encode(ImageFormat::Jpeg, 8, 65_535)),
        ("JPEG 65535 × 8", encode(ImageFormat::Jpeg, 65_535, 8)),
    ] {
        let (r, peak) = peak_during(|| hash_image_bytes_with(&bytes, &limits));
        r.unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!("{name}: peak {:.1} MiB", peak as f64 / MIB as f64);
        assert!(
            peak <= limits.decoder_budget_bytes(),
            "{name}: {peak} bytes"
        );
    }
    let too_long = grey_strip(65_536, 1);
    assert!(matches!(
        hash_image_bytes_with(&too_long, &limits),
        Err(DecodeError::TooLarge(_))
    ));
}

// ---- Fuzzing: mutated headers and bytes ---------------------------------------

/// Small valid files of every format, the seeds of the mutations.
fn seeds() -> &'static [(ImageFormat, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(ImageFormat, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut s: Vec<(ImageFormat, Vec<u8>)> = [
            ImageFormat::Jpeg,
            ImageFormat::Png,
            ImageFormat::Gif,
            ImageFormat::WebP,
            ImageFormat::Bmp,
        ]
        .iter()
        .map(|&f| (f, encode(f, 45, 31)))
        .collect();
        s.push((ImageFormat::Png, encode_png_rgba16(21, 13)));
        s.push((ImageFormat::Jpeg, conformance("square-128x128.jpg")));
        s.push((ImageFormat::Jpeg, conformance("shrink-a-lot.jpg")));
        s
    })
}

/// Writes `w` × `h` into the header fields of a seed (and fixes what checks
/// them, such as PNG's CRC), so that decoders see a consistent header that
/// lies about the size.
fn set_dimensions(format: ImageFormat, bytes: &mut [u8], w: u32, h: u32) {
    match format {
        ImageFormat::Png => {
            bytes[16..20].copy_from_slice(&w.to_be_bytes());
            bytes[20..24].copy_from_slice(&h.to_be_bytes());
            let crc = haven_pdq::synthetic::crc32(&bytes[12..29]);
            bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        }
        ImageFormat::Gif => {
            bytes[6..8].copy_from_slice(&(w as u16).to_le_bytes());
            bytes[8..10].copy_from_slice(&(h as u16).to_le_bytes());
        }
        ImageFormat::WebP => {
            let bits = ((w.max(1) - 1) & 0x3fff) | (((h.max(1) - 1) & 0x3fff) << 14);
            let keep =
                u32::from_le_bytes([bytes[21], bytes[22], bytes[23], bytes[24]]) & !0x0fff_ffff;
            bytes[21..25].copy_from_slice(&(bits | keep).to_le_bytes());
        }
        ImageFormat::Bmp => {
            bytes[18..22].copy_from_slice(&(w as i32).to_le_bytes());
            bytes[22..26].copy_from_slice(&(h as i32).to_le_bytes());
        }
        ImageFormat::Jpeg => {
            if let Some(sof) = bytes
                .windows(2)
                .position(|x| x[0] == 0xFF && matches!(x[1], 0xC0..=0xC2))
            {
                bytes[sof + 5..sof + 7].copy_from_slice(&(h as u16).to_be_bytes());
                bytes[sof + 7..sof + 9].copy_from_slice(&(w as u16).to_be_bytes());
            }
        }
    }
}

/// The limits the fuzzing runs under: 1 megapixel, so that a lie that gets
/// through would show in the memory measured.
fn fuzz_limits() -> DecodeLimits {
    DecodeLimits {
        max_pixels: 1 << 20,
        ..DecodeLimits::default()
    }
}

/// 256 cases a property (a second or two); PROPTEST_CASES=100000 for a
/// longer hunt.
fn fuzz_config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What must hold for any input: no panic (proptest reports one), no
/// picture over the limit or of another size than declared, memory within
/// what the limits promise (the file's bytes, held here, included).
fn check_any(bytes: &[u8]) -> Result<(), TestCaseError> {
    let limits = fuzz_limits();
    let (r, peak) = peak_during(|| hash_image_bytes_with(bytes, &limits));
    prop_assert!(
        peak + bytes.len() as u64 <= limits.max_memory_bytes(),
        "{peak} bytes allocated"
    );
    if let Ok((_, img)) = r {
        let header = peek(bytes).unwrap();
        prop_assert!((img.width * img.height) as u64 <= limits.max_pixels);
        prop_assert_eq!(
            (img.width as u64, img.height as u64),
            (u64::from(header.width), u64::from(header.height))
        );
        prop_assert_eq!(img.rgb.len(), img.width * img.height * 3);
    }
    Ok(())
}

proptest! {
    #![proptest_config(fuzz_config())]

    #[test]
    fn lying_dimensions_never_escape_the_limits(
        seed in 0..8usize,
        w in prop_oneof![1u32..200, 1u32..2048, 0u32..=65_535, any::<u32>()],
        h in prop_oneof![1u32..200, 1u32..2048, 0u32..=65_535, any::<u32>()],
    ) {
        let (format, original) = &seeds()[seed % seeds().len()];
        let mut bytes = original.clone();
        set_dimensions(*format, &mut bytes, w, h);
        check_any(&bytes)?;
        // Refused before decoding whenever the declared size is over the limit.
        if let Ok(header) = peek(&bytes) {
            if header.pixels() > fuzz_limits().max_pixels {
                let r = decode_rgb_with(&bytes, &fuzz_limits());
                prop_assert!(matches!(r, Err(DecodeError::TooLarge(_))), "{r:?}");
            }
        }
    }

    #[test]
    fn mutated_files_decode_or_fail_cleanly(
        seed in 0..8usize,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..12),
    ) {
        let (_, original) = &seeds()[seed % seeds().len()];
        let mut bytes = original.clone();
        for (at, value, kind) in edits {
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = value,
                1 => bytes.insert(i, value),
                _ => { bytes.remove(i); }
            }
            if bytes.is_empty() {
                break;
            }
        }
        check_any(&bytes)?;
    }

    #[test]
    fn files_cut_short_are_refused(seed in 0..8usize, at in any::<prop::sample::Index>()) {
        let (format, original) = &seeds()[seed % seeds().len()];
        let cut = at.index(original.len());
        let r = hash_image_bytes_with(&original[..cut], &fuzz_limits());
        prop_assert!(r.is_err(), "{format} cut at {cut} of {} decoded", original.len());
    }
}

#[test]
fn the_seeds_themselves_decode() {
    for (format, bytes) in seeds() {
        let (h, _) = hash_image_bytes_with(bytes, &fuzz_limits())
            .unwrap_or_else(|e| panic!("{format}: {e}"));
        assert!(h.quality > 0, "{format}");
        assert_eq!(peek(bytes).unwrap().format, *format);
    }
}
