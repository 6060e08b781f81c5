//! Decoding image file bytes to 8-bit RGB the way the reference tool chain
//! sees them, plus the exact digests (MD5, SHA-256) hash lists also carry.
//!
//! Image files come from outside (partner platforms, reporters, analysts'
//! folders), so decoding is bounded before it starts:
//!
//! 1. the file's size is checked against [`DecodeLimits::max_file_bytes`];
//! 2. the format and declared size are read from the header alone
//!    ([`peek`]), and an image declaring more than
//!    [`DecodeLimits::max_pixels`] pixels, or a side longer than [`MAX_SIDE`],
//!    is refused before any pixel is decoded;
//! 3. the decoders run under an allocation budget derived from the same
//!    limit ([`DecodeLimits::decoder_budget_bytes`]), so that everything one
//!    decode and hash holds stays under [`DecodeLimits::max_memory_bytes`];
//! 4. a truncated or damaged image is an error, never a partial picture:
//!    the file must be whole up to its format's end marker (JPEG's EOI, PNG's
//!    IEND, GIF's trailer, the length in WebP's RIFF header; see
//!    `container.rs`), the PNG, GIF, WebP and BMP decoders report data that
//!    runs out or does not decode, and JPEG goes through `zune-jpeg` in strict
//!    mode (see `jpeg.rs`), because the lenient mode `image` uses paints
//!    missing or undecodable data grey.

use crate::algorithm::{hash_rgb, PdqHashes};
use crate::container;
use crate::jpeg;
use image::DynamicImage;
use md5::{Digest, Md5};
use sha2::Sha256;
use std::fmt;

/// Why some bytes could not be hashed as an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Zero bytes.
    Empty,
    /// Not a format we read (JPEG, PNG, GIF, WebP, BMP).
    UnknownFormat,
    /// The format was recognised but the data is damaged or truncated.
    Corrupt(String),
    /// Larger than the limits allow (a decompression bomb, say). The message
    /// is a whole sentence naming the declared size and the limit, e.g. "the
    /// image declares 20000 × 20000 pixels (400 megapixels); the limit is 50
    /// megapixels".
    TooLarge(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => f.write_str("the file is empty"),
            DecodeError::UnknownFormat => {
                f.write_str("not an image in a supported format (JPEG, PNG, GIF, WebP, BMP)")
            }
            DecodeError::Corrupt(why) => write!(f, "the image is damaged or truncated: {why}"),
            DecodeError::TooLarge(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The image formats Haven decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// JPEG (JFIF, Exif).
    Jpeg,
    /// PNG (the first frame of an APNG).
    Png,
    /// GIF (the first frame).
    Gif,
    /// WebP, lossy or lossless (the first frame).
    WebP,
    /// Windows BMP.
    Bmp,
}

impl ImageFormat {
    /// How many leading bytes [`ImageFormat::sniff`] needs at most.
    pub const SNIFF_LEN: usize = 16;

    /// The format named by a file's first bytes (its "magic number"), if it
    /// is one Haven decodes. Reads at most [`ImageFormat::SNIFF_LEN`] bytes,
    /// so a caller can refuse other files without reading them whole.
    pub fn sniff(head: &[u8]) -> Option<ImageFormat> {
        let head = &head[..head.len().min(Self::SNIFF_LEN)];
        match image::guess_format(head).ok()? {
            image::ImageFormat::Jpeg => Some(ImageFormat::Jpeg),
            image::ImageFormat::Png => Some(ImageFormat::Png),
            image::ImageFormat::Gif => Some(ImageFormat::Gif),
            image::ImageFormat::WebP => Some(ImageFormat::WebP),
            image::ImageFormat::Bmp => Some(ImageFormat::Bmp),
            _ => None,
        }
    }

    /// "JPEG", "PNG", "GIF", "WebP" or "BMP".
    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Png => "PNG",
            ImageFormat::Gif => "GIF",
            ImageFormat::WebP => "WebP",
            ImageFormat::Bmp => "BMP",
        }
    }

    fn codec(self) -> image::ImageFormat {
        match self {
            ImageFormat::Jpeg => image::ImageFormat::Jpeg,
            ImageFormat::Png => image::ImageFormat::Png,
            ImageFormat::Gif => image::ImageFormat::Gif,
            ImageFormat::WebP => image::ImageFormat::WebP,
            ImageFormat::Bmp => image::ImageFormat::Bmp,
        }
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an image file's header declares, read without decoding pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageHeader {
    /// The file's format.
    pub format: ImageFormat,
    /// Declared width in pixels (for GIF, the logical screen's).
    pub width: u32,
    /// Declared height in pixels.
    pub height: u32,
}

impl ImageHeader {
    /// Declared width × height.
    pub fn pixels(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }
}

/// The longest side accepted, whatever the pixel count: 65,535, the most a
/// JPEG or GIF can declare. It bounds the per-row and per-column buffers of
/// decoders and of PDQ (which keeps 512 bytes per row), so that a 1-pixel
/// strip cannot cost more than its pixel count suggests.
pub const MAX_SIDE: u32 = 65_535;

/// The most bytes one pixel can account for at the worst moment of decoding
/// and hashing, over every supported format:
///
/// - `image` decoders (PNG, GIF, WebP, BMP) write the picture in its own
///   pixel format, at most 8 bytes (16-bit RGBA); with their working buffers
///   they run under an allocation budget of 12 bytes a pixel (see
///   [`DecodeLimits::decoder_budget_bytes`]); converting to RGB then holds
///   the decoded picture and the RGB copy, at most 8 + 3 = 11;
/// - `zune-jpeg` holds the coefficients of a progressive or multi-scan JPEG
///   (2 bytes for each of up to 4 components = 8) and its output (at most 4
///   bytes, RGBA) = 12;
/// - PDQ holds the RGB pixels (3) and a ring of filtered rows (4 bytes for
///   each of `height / 128 + 16` rows of `width`: under 0.1 byte a pixel
///   for any image over a few hundred pixels a side), about 3.
pub const PEAK_BYTES_PER_PIXEL: u64 = 12;

/// Memory one decode and hash may use beyond [`PEAK_BYTES_PER_PIXEL`] per
/// pixel, whatever the image's size: padding to whole JPEG blocks (up to 31
/// extra rows and columns of up to 4 components, 31 MiB at [`MAX_SIDE`]),
/// PDQ's per-row and per-column buffers (up to 32 MiB at [`MAX_SIDE`] rows or columns; not at the same
/// time as the former), decoder tables and compression windows.
pub const FIXED_OVERHEAD_BYTES: u64 = 40 << 20;

/// Limits on one image's decoding. The defaults suit photos from any current
/// camera or phone; see [`DecodeLimits::max_memory_bytes`] for what they
/// cost.
///
/// ```
/// use haven_pdq::DecodeLimits;
/// let small = DecodeLimits { max_pixels: 4_000_000, ..DecodeLimits::default() };
/// assert!(small.max_memory_bytes() < DecodeLimits::default().max_memory_bytes());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Most pixels (width × height) an image may declare. Default
    /// [`DecodeLimits::DEFAULT_MAX_PIXELS`].
    pub max_pixels: u64,
    /// Largest file accepted, in bytes. Default
    /// [`DecodeLimits::DEFAULT_MAX_FILE_BYTES`].
    pub max_file_bytes: u64,
}

impl DecodeLimits {
    /// 50 megapixels: above the sensors of current phones and nearly all
    /// cameras (a 48 MP phone photo is usually stored at 12 MP), far below
    /// a bomb's hundreds.
    pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;
    /// 32 MiB: a 50-megapixel JPEG at high quality is 20-30 MB, a PNG
    /// screenshot of a 4K screen typically 5-15 MB. (A web server's upload
    /// limit is its own, and may well be lower.)
    pub const DEFAULT_MAX_FILE_BYTES: u64 = 32 << 20;

    /// The allocation budget of the decoder, as `image::Limits::max_alloc`:
    /// [`PEAK_BYTES_PER_PIXEL`] × `max_pixels` + [`FIXED_OVERHEAD_BYTES`].
    pub fn decoder_budget_bytes(&self) -> u64 {
        self.max_pixels
            .saturating_mul(PEAK_BYTES_PER_PIXEL)
            .saturating_add(FIXED_OVERHEAD_BYTES)
    }

    /// The most memory decoding and hashing one image may take, its file
    /// bytes included: the file (held by the caller) and one copy of it (the
    /// JPEG decoder reads a copy ending in a guard, see `jpeg.rs`), plus
    /// [`DecodeLimits::decoder_budget_bytes`]: 2 × `max_file_bytes` +
    /// [`PEAK_BYTES_PER_PIXEL`] × `max_pixels` + [`FIXED_OVERHEAD_BYTES`],
    /// about 676 MiB with the defaults. A server can bound its concurrent
    /// decodes by this.
    pub fn max_memory_bytes(&self) -> u64 {
        self.decoder_budget_bytes()
            .saturating_add(self.max_file_bytes.saturating_mul(2))
    }

    /// Refuses a file over `max_file_bytes`, before it is read.
    pub fn check_file_size(&self, len: u64) -> Result<(), DecodeError> {
        if len > self.max_file_bytes {
            return Err(DecodeError::TooLarge(format!(
                "the file is {}; the limit is {}",
                size_in_words(len),
                size_in_words(self.max_file_bytes)
            )));
        }
        Ok(())
    }

    /// Refuses a declared size over the limits, before anything is decoded.
    pub fn check_header(&self, header: &ImageHeader) -> Result<(), DecodeError> {
        let (w, h) = (header.width, header.height);
        if w == 0 || h == 0 {
            return Err(DecodeError::Corrupt(format!(
                "the image declares no pixels ({w} × {h})"
            )));
        }
        let pixels = header.pixels();
        if pixels > self.max_pixels {
            let (declared, limit) = megapixels_in_words(pixels, self.max_pixels);
            return Err(DecodeError::TooLarge(format!(
                "the image declares {w} × {h} pixels ({declared}); the limit is {limit}"
            )));
        }
        if w.max(h) > MAX_SIDE {
            return Err(DecodeError::TooLarge(format!(
                "the image declares {w} × {h} pixels; no side may be longer than {MAX_SIDE} pixels"
            )));
        }
        Ok(())
    }

    fn image_limits(&self) -> image::Limits {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_SIDE);
        limits.max_image_height = Some(MAX_SIDE);
        limits.max_alloc = Some(self.decoder_budget_bytes());
        limits
    }
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_pixels: Self::DEFAULT_MAX_PIXELS,
            max_file_bytes: Self::DEFAULT_MAX_FILE_BYTES,
        }
    }
}

/// "40 MiB", "1.5 MiB", "900 KiB", "12 bytes".
fn size_in_words(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    let scaled = |unit: u64, name: &str| {
        if bytes.is_multiple_of(unit) {
            format!("{} {name}", bytes / unit)
        } else {
            format!("{:.1} {name}", bytes as f64 / unit as f64)
        }
    };
    if bytes >= MIB {
        scaled(MIB, "MiB")
    } else if bytes >= KIB {
        scaled(KIB, "KiB")
    } else {
        format!("{bytes} bytes")
    }
}

/// Both counts in megapixels, with as many decimals as it takes for a count
/// over the limit not to read as equal to it.
fn megapixels_in_words(declared: u64, limit: u64) -> (String, String) {
    let show = |n: u64, decimals: usize| {
        if n.is_multiple_of(1_000_000) {
            format!("{}", n / 1_000_000)
        } else {
            format!("{:.*}", decimals, n as f64 / 1e6)
        }
    };
    for decimals in 1..=6 {
        let (d, l) = (show(declared, decimals), show(limit, decimals));
        if d.parse::<f64>().ok() != l.parse::<f64>().ok() {
            return (format!("{d} megapixels"), format!("{l} megapixels"));
        }
    }
    (format!("{declared} pixels"), format!("{limit} pixels"))
}

/// Decoded pixels: packed 8-bit RGB, rows top to bottom.
#[derive(Clone, Debug)]
pub struct DecodedImage {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height * 3` bytes.
    pub rgb: Vec<u8>,
}

/// Reading a header (PNG's chunks before the image data, say) may allocate
/// this much, whatever the image's size.
const HEADER_BUDGET_BYTES: u64 = 16 << 20;

fn image_error(e: image::ImageError) -> DecodeError {
    match e {
        image::ImageError::Limits(l) => DecodeError::TooLarge(format!(
            "decoding the image would take more memory than its size allows ({l})"
        )),
        other => DecodeError::Corrupt(other.to_string()),
    }
}

/// The format and declared size of an image, from its header alone: no
/// pixel data is decoded, and the cost does not depend on the declared size.
/// Callers can refuse early with [`DecodeLimits::check_header`].
pub fn peek(bytes: &[u8]) -> Result<ImageHeader, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let format = ImageFormat::sniff(bytes).ok_or(DecodeError::UnknownFormat)?;
    let (width, height) = match format {
        ImageFormat::Jpeg => jpeg::dimensions(bytes)?,
        _ => {
            let mut reader =
                image::ImageReader::with_format(std::io::Cursor::new(bytes), format.codec());
            let mut limits = image::Limits::default();
            limits.max_alloc = Some(HEADER_BUDGET_BYTES);
            reader.limits(limits);
            reader.into_dimensions().map_err(image_error)?
        }
    };
    Ok(ImageHeader {
        format,
        width,
        height,
    })
}

/// [`decode_rgb_with`] under [`DecodeLimits::default`].
pub fn decode_rgb(bytes: &[u8]) -> Result<DecodedImage, DecodeError> {
    decode_rgb_with(bytes, &DecodeLimits::default())
}

/// Decodes JPEG, PNG, GIF (first frame), WebP or BMP bytes to 8-bit RGB,
/// refusing files and declared sizes over `limits` before decoding, and
/// damaged or truncated data rather than returning part of a picture.
///
/// Alpha is dropped, palettes expanded. 16-bit grey is clipped to 255 rather
/// than scaled, as Pillow (and so python-threatexchange) converts it; other
/// 16-bit images are scaled to 8 bits.
pub fn decode_rgb_with(bytes: &[u8], limits: &DecodeLimits) -> Result<DecodedImage, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    limits.check_file_size(bytes.len() as u64)?;
    let header = peek(bytes)?;
    limits.check_header(&header)?;
    container::check_whole(header.format, bytes).map_err(DecodeError::Corrupt)?;
    let (width, height, rgb) = match header.format {
        ImageFormat::Jpeg => jpeg::decode_rgb(bytes)?,
        _ => decode_with_image(bytes, header.format, limits)?,
    };
    if (width as u64, height as u64) != (u64::from(header.width), u64::from(header.height))
        || width.checked_mul(height).and_then(|n| n.checked_mul(3)) != Some(rgb.len())
    {
        return Err(DecodeError::Corrupt(
            "the decoded image does not have the declared size".into(),
        ));
    }
    Ok(DecodedImage { width, height, rgb })
}

fn decode_with_image(
    bytes: &[u8],
    format: ImageFormat,
    limits: &DecodeLimits,
) -> Result<(usize, usize, Vec<u8>), DecodeError> {
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format.codec());
    reader.limits(limits.image_limits());
    let img = reader.decode().map_err(image_error)?;
    let (width, height) = (img.width() as usize, img.height() as usize);
    let pixels = width * height;
    let rgb = match img {
        DynamicImage::ImageLuma16(g) => grey16_clipped(g.as_raw().iter().copied(), pixels),
        DynamicImage::ImageLumaA16(g) => {
            grey16_clipped(g.as_raw().iter().step_by(2).copied(), pixels)
        }
        DynamicImage::ImageRgb8(buf) => buf.into_raw(),
        other => other.to_rgb8().into_raw(),
    };
    Ok((width, height, rgb))
}

fn grey16_clipped(values: impl Iterator<Item = u16>, pixels: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixels * 3);
    for v in values {
        let g = v.min(255) as u8;
        out.extend_from_slice(&[g, g, g]);
    }
    out
}

/// [`hash_image_bytes_with`] under [`DecodeLimits::default`].
pub fn hash_image_bytes(bytes: &[u8]) -> Result<(PdqHashes, DecodedImage), DecodeError> {
    hash_image_bytes_with(bytes, &DecodeLimits::default())
}

/// Decodes ([`decode_rgb_with`]) and hashes image file bytes. The hash is
/// returned whatever its quality: check [`PdqHashes::is_low_quality`] before
/// storing or matching it.
pub fn hash_image_bytes_with(
    bytes: &[u8],
    limits: &DecodeLimits,
) -> Result<(PdqHashes, DecodedImage), DecodeError> {
    let img = decode_rgb_with(bytes, limits)?;
    let hashes = hash_rgb(&img.rgb, img.width, img.height);
    Ok((hashes, img))
}

/// Exact digests of a file's bytes, for lists of exact (non-perceptual) hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDigests {
    /// MD5, 32 lowercase hex digits.
    pub md5: String,
    /// SHA-256, 64 lowercase hex digits.
    pub sha256: String,
}

/// MD5 and SHA-256 of some bytes.
pub fn file_digests(bytes: &[u8]) -> FileDigests {
    FileDigests {
        md5: hex(&Md5::digest(bytes)),
        sha256: hex(&Sha256::digest(bytes)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageEncoder;

    #[test]
    fn bad_bytes_are_errors_not_panics() {
        assert_eq!(decode_rgb(&[]).unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode_rgb(b"hello world").unwrap_err(),
            DecodeError::UnknownFormat
        );
        // A PNG signature followed by nothing.
        let e = decode_rgb(b"\x89PNG\r\n\x1a\n").unwrap_err();
        assert!(matches!(e, DecodeError::Corrupt(_)), "{e:?}");
    }

    #[test]
    fn digests_are_known_values() {
        let d = file_digests(b"abc");
        assert_eq!(d.md5, "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// A well-formed PNG header declaring `w` × `h` 8-bit grey pixels, with
    /// a few bytes of image data and an end chunk.
    fn png_declaring(w: u32, h: u32) -> Vec<u8> {
        crate::synthetic::png_declaring(w, h, 7)
    }

    fn encoded_png(w: u32, h: u32) -> Vec<u8> {
        let px: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&px, w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        out
    }

    #[test]
    fn a_declared_size_over_the_limit_is_refused_in_words() {
        let bomb = png_declaring(20_000, 20_000);
        assert_eq!(
            peek(&bomb).unwrap(),
            ImageHeader {
                format: ImageFormat::Png,
                width: 20_000,
                height: 20_000
            }
        );
        let e = decode_rgb(&bomb).unwrap_err();
        assert_eq!(
            e,
            DecodeError::TooLarge(
                "the image declares 20000 × 20000 pixels (400 megapixels); the limit is 50 megapixels"
                    .into()
            )
        );
        assert_eq!(
            e.to_string(),
            "the image declares 20000 × 20000 pixels (400 megapixels); the limit is 50 megapixels"
        );
        // Just over a limit reads as over it.
        let limits = DecodeLimits {
            max_pixels: 1_000_000,
            ..DecodeLimits::default()
        };
        let e = decode_rgb_with(&png_declaring(1001, 1000), &limits).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the image declares 1001 × 1000 pixels (1.001 megapixels); the limit is 1 megapixels"
        );
        // A strip within the pixel count but longer than any side may be.
        let e = decode_rgb(&png_declaring(70_000, 10)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the image declares 70000 × 10 pixels; no side may be longer than 65535 pixels"
        );
        assert!(matches!(
            decode_rgb(&png_declaring(0, 10)).unwrap_err(),
            DecodeError::Corrupt(_)
        ));
    }

    #[test]
    fn the_pixel_limit_is_inclusive_and_configurable() {
        let png = encoded_png(40, 25);
        let exact = DecodeLimits {
            max_pixels: 1000,
            ..DecodeLimits::default()
        };
        assert_eq!(decode_rgb_with(&png, &exact).unwrap().rgb.len(), 3000);
        let under = DecodeLimits {
            max_pixels: 999,
            ..exact
        };
        assert!(matches!(
            decode_rgb_with(&png, &under),
            Err(DecodeError::TooLarge(_))
        ));
        let (h, _) = hash_image_bytes_with(&png, &exact).unwrap();
        assert_eq!(h, hash_image_bytes(&png).unwrap().0);
    }

    #[test]
    fn files_over_the_size_limit_are_refused_in_words() {
        let png = encoded_png(64, 64);
        let limits = DecodeLimits {
            max_file_bytes: 1024,
            ..DecodeLimits::default()
        };
        let e = decode_rgb_with(&png, &limits).unwrap_err();
        let size = size_in_words(png.len() as u64);
        assert_eq!(
            e.to_string(),
            format!("the file is {size}; the limit is 1 KiB")
        );
        assert_eq!(size_in_words(32 << 20), "32 MiB");
        assert_eq!(size_in_words(3 << 19), "1.5 MiB");
        assert_eq!(size_in_words(12), "12 bytes");
        assert!(DecodeLimits::default().check_file_size(32 << 20).is_ok());
        assert!(DecodeLimits::default()
            .check_file_size((32 << 20) + 1)
            .is_err());
    }

    #[test]
    fn the_budgets_follow_the_pixel_limit() {
        let d = DecodeLimits::default();
        assert_eq!(d.max_pixels, 50_000_000);
        assert_eq!(d.max_file_bytes, 32 << 20);
        assert_eq!(d.decoder_budget_bytes(), 600_000_000 + (40 << 20));
        assert_eq!(d.max_memory_bytes(), 600_000_000 + (104 << 20));
        assert_eq!(d.image_limits().max_alloc, Some(d.decoder_budget_bytes()));
        let huge = DecodeLimits {
            max_pixels: u64::MAX,
            max_file_bytes: u64::MAX,
        };
        assert_eq!(huge.max_memory_bytes(), u64::MAX);
    }

    #[test]
    fn formats_are_sniffed_from_a_few_bytes() {
        assert_eq!(
            ImageFormat::sniff(b"\xff\xd8\xff\xe0"),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(
            ImageFormat::sniff(&encoded_png(8, 8)),
            Some(ImageFormat::Png)
        );
        assert_eq!(
            ImageFormat::sniff(b"GIF89a\x01\x00"),
            Some(ImageFormat::Gif)
        );
        assert_eq!(
            ImageFormat::sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 "),
            Some(ImageFormat::WebP)
        );
        assert_eq!(ImageFormat::sniff(b"BM\x00\x00"), Some(ImageFormat::Bmp));
        // Formats `image` knows but Haven does not read, and text.
        assert_eq!(ImageFormat::sniff(b"II*\x00\x08\x00\x00\x00"), None);
        assert_eq!(ImageFormat::sniff(b"%PDF-1.7"), None);
        assert_eq!(ImageFormat::sniff(b""), None);
        assert_eq!(ImageFormat::WebP.to_string(), "WebP");
    }
}
