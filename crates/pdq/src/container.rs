//! Whether a file is whole: walks the container (chunks, blocks, segments)
//! up to the format's end marker without decoding anything, so that a file
//! cut short anywhere is refused even where the decoder would still return
//! a picture (an APNG, GIF or WebP missing its last bytes, a JPEG whose
//! missing data the decoder would paint grey).
//!
//! The walks are linear in the file's length and allocate nothing.

use crate::decode::ImageFormat;
use crate::jpeg;

/// `Err` with the reason when `bytes` stop before the end of the format's
/// container. BMP has no end marker; its decoder refuses short pixel data.
pub(crate) fn check_whole(format: ImageFormat, bytes: &[u8]) -> Result<(), String> {
    match format {
        ImageFormat::Jpeg => jpeg::check_layout(bytes).map(|_| ()),
        ImageFormat::Png => png(bytes),
        ImageFormat::Gif => gif(bytes),
        ImageFormat::WebP => webp(bytes),
        ImageFormat::Bmp => Ok(()),
    }
}

fn truncated(what: &str) -> String {
    format!("the file ends before {what}")
}

/// Chunks from the signature to `IEND`.
fn png(b: &[u8]) -> Result<(), String> {
    let mut i = 8;
    loop {
        let (Some(len), Some(kind)) = (b.get(i..i + 4), b.get(i + 4..i + 8)) else {
            return Err(truncated("the PNG end chunk"));
        };
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]);
        if len > 0x7FFF_FFFF {
            return Err("a PNG chunk has an impossible length".into());
        }
        // Length, type, data, CRC.
        let end = i
            .checked_add(12)
            .and_then(|n| n.checked_add(len as usize))
            .ok_or_else(|| "a PNG chunk has an impossible length".to_string())?;
        if end > b.len() {
            return Err(truncated("the PNG end chunk"));
        }
        if kind == b"IEND" {
            return Ok(());
        }
        i = end;
    }
}

/// Skips a run of GIF data sub-blocks (length byte, data) up to the empty one.
fn gif_sub_blocks(b: &[u8], mut i: usize) -> Result<usize, String> {
    loop {
        let len = *b.get(i).ok_or_else(|| truncated("the GIF trailer"))? as usize;
        i += 1;
        if len == 0 {
            return Ok(i);
        }
        i += len;
    }
}

/// Blocks from the logical screen descriptor to the trailer (`;`).
fn gif(b: &[u8]) -> Result<(), String> {
    let colour_table = |flags: u8| {
        if flags & 0x80 != 0 {
            3usize << ((flags & 7) + 1)
        } else {
            0
        }
    };
    let flags = *b.get(10).ok_or_else(|| truncated("the GIF trailer"))?;
    let mut i = 13 + colour_table(flags);
    loop {
        match b.get(i) {
            None => return Err(truncated("the GIF trailer")),
            Some(0x3B) => return Ok(()),
            // Extension: label, then sub-blocks.
            Some(0x21) => i = gif_sub_blocks(b, i + 2)?,
            // Image: descriptor, local colour table, LZW code size, sub-blocks.
            Some(0x2C) => {
                let flags = *b.get(i + 9).ok_or_else(|| truncated("the GIF trailer"))?;
                i = gif_sub_blocks(b, i + 10 + colour_table(flags) + 1)?;
            }
            Some(other) => return Err(format!("unknown GIF block {other:#04X}")),
        }
    }
}

/// The RIFF header's length against the bytes there are.
fn webp(b: &[u8]) -> Result<(), String> {
    let size = b
        .get(4..8)
        .map(|s| u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])))
        .ok_or_else(|| truncated("the WebP header"))?;
    if (b.len() as u64) < size + 8 {
        return Err(truncated("the length its RIFF header declares"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prefix_of_a_whole_container_is_refused() {
        // IHDR with no data to speak of, then IEND: only the walk is tested.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&[0, 0, 0, 13]);
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&[0; 13 + 4]);
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(b"IEND");
        png.extend_from_slice(&[0xAE, 0x42, 0x60, 0x82]);
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\
                    \x21\xf9\x04\x00\x00\x00\x00\x00\
                    \x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b"
            .to_vec();
        let mut webp = b"RIFF\x0c\x00\x00\x00WEBPVP8L\x00\x00\x00\x00".to_vec();
        webp.truncate(20);
        for (format, whole) in [
            (ImageFormat::Png, png),
            (ImageFormat::Gif, gif),
            (ImageFormat::WebP, webp),
        ] {
            assert_eq!(check_whole(format, &whole), Ok(()), "{format}");
            let mut longer = whole.clone();
            longer.extend_from_slice(b"trailing bytes are not truncation");
            assert_eq!(check_whole(format, &longer), Ok(()), "{format}");
            for cut in 0..whole.len() {
                assert!(
                    check_whole(format, &whole[..cut]).is_err(),
                    "{format} cut at {cut}"
                );
            }
        }
    }
}
