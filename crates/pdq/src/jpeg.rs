//! JPEG through `zune-jpeg` (the decoder `image` wraps), configured so that
//! a damaged or truncated file is an error rather than a picture.
//!
//! `image` runs `zune-jpeg` in its lenient mode, which paints whatever the
//! data does not cover grey (128) and reports success: a header claiming
//! 16,385 × 16,385 pixels over 7 KB of data "decodes". Here:
//!
//! - headers are read leniently, as `image`, libjpeg and Pillow read them
//!   (stray bytes between segments are skipped), so that files those accept
//!   decode to the same pixels;
//! - the image data is decoded in `zune-jpeg`'s strict mode: data that runs
//!   out, a Huffman code that does not decode, or a marker where coded data
//!   should be is an error instead of a grey remainder;
//! - before any pixel is decoded, [`check_layout`] walks the segments: each
//!   must fit in the file, each scan's coded data must end at a marker, the
//!   file must reach its end-of-image marker (a file cut short anywhere does
//!   not), and the coded data must be long enough to hold the blocks the
//!   frame header declares;
//! - `zune-jpeg` decodes zeros, without complaint even in strict mode, once
//!   it meets the marker that ends the coded data, so a header that claims
//!   more blocks than the data holds would still "decode". The decoder is
//!   therefore given the file with a guard of 1-bits (`FF 00`, stuffed)
//!   between the last scan's data and the next marker. A decoder that has
//!   all it needs never decodes the guard (it only reads ahead into it);
//!   one that runs short decodes a Huffman code from it, and an all-ones
//!   16-bit code does not exist in any usual table, so the decode fails.
//!   (A table crafted to contain one could only make a lying file decode to
//!   noise, within the same memory bounds.)
//!
//! Colour handling mirrors `image` exactly (same requested output colour
//! space, same conversion to RGB), so hashes are unchanged; a test compares
//! the two decoders on every conformance JPEG.

use crate::decode::DecodeError;
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

/// The largest side a JPEG can declare.
const MAX_JPEG_SIDE: usize = 65_535;

fn options() -> DecoderOptions {
    DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(MAX_JPEG_SIDE)
        .set_max_height(MAX_JPEG_SIDE)
}

fn corrupt(e: impl std::fmt::Display) -> DecodeError {
    DecodeError::Corrupt(e.to_string())
}

/// Width and height from the headers, without decoding image data.
pub(crate) fn dimensions(bytes: &[u8]) -> Result<(u32, u32), DecodeError> {
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options());
    decoder.decode_headers().map_err(corrupt)?;
    let (w, h) = decoder
        .dimensions()
        .ok_or_else(|| corrupt("no frame header"))?;
    let side = |v: usize| u32::try_from(v).map_err(|_| corrupt("impossible dimensions"));
    Ok((side(w)?, side(h)?))
}

/// 1-bits after the coded data: see the module notes. 32 bytes, past the
/// decoder's read-ahead.
const GUARD: [u8; 32] = [
    0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00,
    0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00,
];

/// Decodes to packed 8-bit RGB. The caller has checked the declared size
/// against its limits. Holds a copy of the file (with the guard) while
/// decoding.
pub(crate) fn decode_rgb(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), DecodeError> {
    let layout = check_layout(bytes).map_err(DecodeError::Corrupt)?;
    let mut guarded = Vec::with_capacity(layout.end + GUARD.len());
    guarded.extend_from_slice(&bytes[..layout.coded_end]);
    guarded.extend_from_slice(&GUARD);
    guarded.extend_from_slice(&bytes[layout.coded_end..layout.end]);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(&guarded[..]), options());
    decoder.decode_headers().map_err(corrupt)?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| corrupt("no frame header"))?;
    let input = decoder
        .input_colorspace()
        .ok_or_else(|| corrupt("no frame header"))?;
    // The colour space `image` asks for: the file's own where `image` has an
    // equivalent, RGB otherwise (YCbCr, CMYK, YCCK...).
    let wanted = match input {
        ColorSpace::RGB | ColorSpace::RGBA | ColorSpace::Luma | ColorSpace::LumaA => input,
        _ => ColorSpace::RGB,
    };
    let strict = decoder
        .options()
        .jpeg_set_out_colorspace(wanted)
        .set_strict_mode(true);
    decoder.set_options(strict);
    let len = decoder
        .output_buffer_size()
        .ok_or_else(|| corrupt("impossible dimensions"))?;
    let mut out = vec![0u8; len];
    decoder.decode_into(&mut out).map_err(corrupt)?;
    let pixels = width
        .checked_mul(height)
        .ok_or_else(|| corrupt("impossible dimensions"))?;
    let rgb = match wanted {
        ColorSpace::RGB => out,
        ColorSpace::RGBA => strip(&out, pixels, 4, |p| [p[0], p[1], p[2]]),
        ColorSpace::Luma => strip(&out, pixels, 1, |p| [p[0], p[0], p[0]]),
        _ => strip(&out, pixels, 2, |p| [p[0], p[0], p[0]]),
    };
    if rgb.len() != pixels * 3 {
        return Err(corrupt("the decoder returned the wrong number of pixels"));
    }
    Ok((width, height, rgb))
}

/// Packs `pixels` pixels of `channels` bytes each into RGB.
fn strip(src: &[u8], pixels: usize, channels: usize, f: impl Fn(&[u8]) -> [u8; 3]) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(pixels * 3);
    for p in src.chunks_exact(channels).take(pixels) {
        rgb.extend_from_slice(&f(p));
    }
    rgb
}

/// What the frame header says about the picture's layout.
struct Frame {
    width: u64,
    height: u64,
    progressive: bool,
    /// Horizontal and vertical sampling factor of each component.
    sampling: Vec<(u64, u64)>,
}

impl Frame {
    /// 8×8 blocks of all components, without the padding to whole MCUs.
    fn blocks(&self) -> u64 {
        let h_max = self.sampling.iter().map(|s| s.0).max().unwrap_or(1);
        let v_max = self.sampling.iter().map(|s| s.1).max().unwrap_or(1);
        self.sampling
            .iter()
            .map(|&(h, v)| {
                let w = (self.width * h).div_ceil(h_max);
                let ht = (self.height * v).div_ceil(v_max);
                w.div_ceil(8) * ht.div_ceil(8)
            })
            .sum()
    }
}

fn parse_frame(marker: u8, seg: &[u8]) -> Result<Frame, String> {
    let byte = |k: usize| {
        seg.get(k)
            .copied()
            .ok_or_else(|| "the frame header is damaged".to_string())
    };
    let height = u64::from(u16::from_be_bytes([byte(1)?, byte(2)?]));
    let width = u64::from(u16::from_be_bytes([byte(3)?, byte(4)?]));
    let count = usize::from(byte(5)?);
    let mut sampling = Vec::with_capacity(count);
    for k in 0..count {
        let factors = byte(6 + 3 * k + 1)?;
        let (h, v) = (u64::from(factors >> 4), u64::from(factors & 15));
        if h == 0 || v == 0 {
            return Err("the frame header has a zero sampling factor".into());
        }
        sampling.push((h, v));
    }
    if sampling.is_empty() {
        return Err("the frame header has no components".into());
    }
    Ok(Frame {
        width,
        height,
        progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
        sampling,
    })
}

/// Walks one scan's entropy-coded data from `start`: returns the number of
/// data bytes (stuffed `FF 00` counted once, restart markers not at all) and
/// the offset of the marker that ends it. Running out of file is truncation.
fn coded_data(b: &[u8], start: usize) -> Result<(u64, usize), String> {
    let mut i = start;
    let mut count = 0u64;
    while i < b.len() {
        if b[i] != 0xFF {
            count += 1;
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            None => break,
            Some(0x00) => {
                count += 1;
                i += 2;
            }
            Some(0xD0..=0xD7) => i += 2,
            // Fill bytes before a marker.
            Some(0xFF) => i += 1,
            Some(_) => return Ok((count, i)),
        }
    }
    Err("the file ends inside the image data".into())
}

/// Where a whole JPEG's parts end.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Just past the last scan's coded data.
    pub(crate) coded_end: usize,
    /// Just past the end-of-image marker.
    pub(crate) end: usize,
}

/// Checks, without decoding, that the JPEG is whole: see the module notes.
pub(crate) fn check_layout(b: &[u8]) -> Result<Layout, String> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err("no start-of-image marker".into());
    }
    let truncated = || "the file ends before the JPEG end-of-image marker".to_string();
    let mut i = 2;
    let mut frame: Option<Frame> = None;
    let mut coded_bytes = 0u64;
    let mut scans = 0u32;
    let mut coded_end = 0;
    loop {
        // Like the decoders, skip stray bytes before a marker, then fill bytes.
        while i < b.len() && b[i] != 0xFF {
            i += 1;
        }
        while i < b.len() && b[i] == 0xFF {
            i += 1;
        }
        let Some(&marker) = b.get(i) else {
            return Err(truncated());
        };
        i += 1;
        match marker {
            0xD9 if scans > 0 => break,
            0xD9 => return Err("no image data before the end-of-image marker".into()),
            // Markers without a length.
            0x00 | 0x01 | 0xD0..=0xD8 => continue,
            _ => {}
        }
        let len = match (b.get(i), b.get(i + 1)) {
            (Some(&hi), Some(&lo)) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err(truncated()),
        };
        if len < 2 {
            return Err(format!(
                "a segment (marker {marker:#04X}) has an impossible length"
            ));
        }
        let end = i + len;
        if end > b.len() {
            return Err(truncated());
        }
        let seg = &b[i + 2..end];
        i = end;
        match marker {
            // The first frame header counts (DHT, JPG and DAC share the range).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) && frame.is_none() => {
                frame = Some(parse_frame(marker, seg)?);
            }
            0xDA => {
                if frame.is_none() {
                    return Err("image data before the frame header".into());
                }
                let (n, next) = coded_data(b, i)?;
                coded_bytes += n;
                scans += 1;
                i = next;
                coded_end = next;
            }
            _ => {}
        }
    }
    let frame = frame.ok_or("no frame header")?;
    // Each block of each component is coded at least once (the DC scan of a
    // progressive JPEG), in at least one bit, or two in a sequential JPEG
    // (a DC code and an AC code, each at least one bit long).
    let bits_per_block = if frame.progressive { 1 } else { 2 };
    let needed_bytes = (frame.blocks() * bits_per_block).div_ceil(8);
    if coded_bytes < needed_bytes {
        return Err(format!(
            "the image data is too short for the declared {} × {} pixels \
             ({coded_bytes} bytes where at least {needed_bytes} are needed)",
            frame.width, frame.height
        ));
    }
    Ok(Layout { coded_end, end: i })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode_rgb, hash_image_bytes};
    use image::ImageEncoder;
    use std::path::PathBuf;

    fn conformance_jpegs() -> Vec<(String, Vec<u8>)> {
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/conformance/pdq/images");
        let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "jpg" || x == "jpeg"))
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        out.sort();
        assert!(out.len() >= 20);
        out
    }

    /// A 4:2:0 colour JPEG (or grey, with `grey`) of busy synthetic pixels.
    fn encoded(w: u32, h: u32, grey: bool) -> Vec<u8> {
        let pixel = |x: u32, y: u32| [(x * 5 + y) as u8, (x ^ y) as u8, (x * y / 7) as u8];
        let px: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .flat_map(|(x, y)| {
                let p = pixel(x, y);
                if grey {
                    vec![p[0]]
                } else {
                    p.to_vec()
                }
            })
            .collect();
        let colour = if grey {
            image::ExtendedColorType::L8
        } else {
            image::ExtendedColorType::Rgb8
        };
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(&px, w, h, colour)
            .unwrap();
        out
    }

    fn via_image(bytes: &[u8]) -> Vec<u8> {
        image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
            .unwrap()
            .to_rgb8()
            .into_raw()
    }

    #[test]
    fn pixels_are_the_ones_image_decodes() {
        let mut files = conformance_jpegs();
        files.push(("grey".into(), encoded(67, 45, true)));
        files.push(("colour".into(), encoded(67, 45, false)));
        for (name, bytes) in files {
            let ours = decode_rgb(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(ours.rgb == via_image(&bytes), "{name}: pixels differ");
        }
    }

    #[test]
    fn truncated_jpegs_are_errors_not_grey_pictures() {
        let whole = encoded(256, 192, false);
        assert!(decode_rgb(&whole).is_ok());
        // `image` alone paints what is missing grey and reports success.
        let half = &whole[..whole.len() / 2];
        assert!(image::load_from_memory(half).is_ok());
        for k in 1..64 {
            let cut = whole.len() * k / 64;
            assert!(decode_rgb(&whole[..cut]).is_err(), "cut at {cut}");
        }
        // Missing only the end marker still counts as cut short.
        let e = decode_rgb(&whole[..whole.len() - 2]).unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
    }

    #[test]
    fn a_header_claiming_more_pixels_than_the_data_holds_is_refused() {
        let mut bytes = encoded(64, 48, false);
        // Find the baseline frame header and claim 4000 × 4000 (16 MP, under
        // the pixel limit) over data for 64 × 48.
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        bytes[sof + 5..sof + 7].copy_from_slice(&4000u16.to_be_bytes());
        bytes[sof + 7..sof + 9].copy_from_slice(&4000u16.to_be_bytes());
        assert_eq!(dimensions(&bytes).unwrap(), (4000, 4000));
        assert!(
            image::load_from_memory(&bytes).is_ok(),
            "image decodes it (grey)"
        );
        let e = decode_rgb(&bytes).unwrap_err();
        assert!(
            e.to_string()
                .contains("too short for the declared 4000 × 4000 pixels"),
            "{e}"
        );
        // A smaller lie passes that count (the data has bits enough for
        // 2 a block) but runs the decoder into the guard.
        let mut bytes = encoded(64, 48, false);
        bytes[sof + 5..sof + 7].copy_from_slice(&64u16.to_be_bytes());
        bytes[sof + 7..sof + 9].copy_from_slice(&96u16.to_be_bytes());
        assert!(check_layout(&bytes).is_ok());
        assert!(image::load_from_memory(&bytes).is_ok());
        let e = decode_rgb(&bytes).unwrap_err();
        assert!(matches!(e, DecodeError::Corrupt(_)), "{e}");
    }

    #[test]
    fn stray_bytes_between_header_segments_are_skipped_as_other_decoders_do() {
        let whole = encoded(64, 48, false);
        // After SOI and the JFIF APP0 segment, insert junk before the next marker.
        let app0_len = usize::from(u16::from_be_bytes([whole[4], whole[5]]));
        let at = 4 + app0_len;
        let mut odd = whole[..at].to_vec();
        odd.extend_from_slice(&[0x12; 9]);
        odd.extend_from_slice(&whole[at..]);
        assert_eq!(
            hash_image_bytes(&odd).unwrap().0,
            hash_image_bytes(&whole).unwrap().0
        );
    }

    #[test]
    fn a_marker_inside_the_image_data_is_an_error_not_a_grey_remainder() {
        let whole = encoded(128, 96, false);
        let sos = whole.windows(2).rposition(|w| w == [0xFF, 0xDA]).unwrap();
        let mid = sos + (whole.len() - sos) / 2;
        // Stay off a stuffed 0xFF.
        let mid = (mid..)
            .find(|&i| whole[i - 1] != 0xFF && whole[i] != 0xFF)
            .unwrap();
        let mut bad = whole[..mid].to_vec();
        bad.extend_from_slice(&[0xFF, 0xD8]);
        bad.extend_from_slice(&whole[mid..]);
        assert!(image::load_from_memory(&bad).is_ok(), "image decodes it");
        let e = decode_rgb(&bad).unwrap_err();
        assert!(matches!(e, DecodeError::Corrupt(_)), "{e}");
    }

    #[test]
    fn layout_walk_refuses_what_it_must() {
        assert!(check_layout(b"\xff\xd8\xff\xd9").is_err(), "no frame");
        assert!(check_layout(b"\xff\xd8\xff\xc0\x00").is_err(), "cut header");
        assert!(
            check_layout(b"\xff\xd8\xff\xe0\x00\x01\xff\xd9").is_err(),
            "length 1"
        );
        let whole = encoded(16, 16, false);
        let layout = check_layout(&whole).unwrap();
        assert_eq!(layout.end, whole.len());
        assert_eq!(&whole[layout.coded_end..], [0xFF, 0xD9]);
        let mut trailing = whole.clone();
        trailing.extend_from_slice(b"after the end marker");
        assert_eq!(check_layout(&trailing), Ok(layout));
        for cut in 0..whole.len() {
            assert!(check_layout(&whole[..cut]).is_err(), "cut at {cut}");
        }
    }
}
