//! Decoding image file bytes to 8-bit RGB the way the reference tool chain
//! sees them, plus the exact digests (MD5, SHA-256) hash lists also carry.

use crate::algorithm::{hash_rgb, PdqHashes};
use image::{DynamicImage, ImageFormat};
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
    /// Larger than the decoder limits allow (a decompression bomb, say).
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
            DecodeError::TooLarge(why) => write!(f, "the image is too large: {why}"),
        }
    }
}

impl std::error::Error for DecodeError {}

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

/// Largest image accepted, in pixels per side and in bytes decoded.
const MAX_SIDE: u32 = 20_000;
const MAX_ALLOC: u64 = 1 << 30;

/// Decodes JPEG, PNG, GIF (first frame), WebP or BMP bytes to 8-bit RGB.
///
/// Alpha is dropped, palettes expanded. 16-bit grey is clipped to 255 rather
/// than scaled, as Pillow (and so python-threatexchange) converts it; other
/// 16-bit images keep their high byte.
pub fn decode_rgb(bytes: &[u8]) -> Result<DecodedImage, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let format = image::guess_format(bytes).map_err(|_| DecodeError::UnknownFormat)?;
    if !matches!(
        format,
        ImageFormat::Jpeg
            | ImageFormat::Png
            | ImageFormat::Gif
            | ImageFormat::WebP
            | ImageFormat::Bmp
    ) {
        return Err(DecodeError::UnknownFormat);
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(l) => DecodeError::TooLarge(l.to_string()),
        other => DecodeError::Corrupt(other.to_string()),
    })?;
    let (width, height) = (img.width() as usize, img.height() as usize);
    let rgb = match img {
        DynamicImage::ImageLuma16(g) => grey16_clipped(g.as_raw().iter().copied()),
        DynamicImage::ImageLumaA16(g) => grey16_clipped(g.as_raw().iter().step_by(2).copied()),
        DynamicImage::ImageRgb8(buf) => buf.into_raw(),
        other => other.to_rgb8().into_raw(),
    };
    Ok(DecodedImage { width, height, rgb })
}

fn grey16_clipped(values: impl Iterator<Item = u16>) -> Vec<u8> {
    let mut out = Vec::new();
    for v in values {
        let g = v.min(255) as u8;
        out.extend_from_slice(&[g, g, g]);
    }
    out
}

/// Decodes and hashes image file bytes.
pub fn hash_image_bytes(bytes: &[u8]) -> Result<(PdqHashes, DecodedImage), DecodeError> {
    let img = decode_rgb(bytes)?;
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
}
