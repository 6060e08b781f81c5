//! Synthetic image files for tests across the workspace: headers that
//! declare any size over almost no data (the "bombs" an attacker sends) and
//! flat pictures with nothing to hash. Benign by construction: never real
//! material, never a real photo.

/// CRC-32 (IEEE), as PNG chunks carry it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Appends a PNG chunk with its length and CRC.
pub fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn png_header(w: u32, h: u32, colour_type: u8) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, colour_type, 0, 0, 0]);
    png_chunk(&mut png, b"IHDR", &ihdr);
    png
}

/// A PNG whose header declares `w` × `h` grey pixels over `data_len` bytes
/// of a valid zlib stream of empty stored blocks: the header alone must get
/// it refused, whatever follows.
pub fn png_declaring(w: u32, h: u32, data_len: usize) -> Vec<u8> {
    let mut png = png_header(w, h, 0);
    let mut idat = vec![0x78, 0x01];
    while idat.len() < data_len.max(7) {
        idat.extend_from_slice(&[0x00, 0x00, 0x00, 0xff, 0xff]);
    }
    png_chunk(&mut png, b"IDAT", &idat);
    png_chunk(&mut png, b"IEND", &[]);
    png
}

/// A real, complete RGB PNG of `w` × `h` pixels all of one `grey` value
/// (stored, uncompressed deflate blocks).
pub fn png_flat(w: u32, h: u32, grey: u8) -> Vec<u8> {
    let mut raw = Vec::new();
    for _ in 0..h {
        raw.push(0u8);
        raw.extend(std::iter::repeat_n(grey, w as usize * 3));
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = png_header(w, h, 2);
    png_chunk(&mut png, b"IDAT", &z);
    png_chunk(&mut png, b"IEND", &[]);
    png
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_pngs_decode_and_bombs_declare_their_size() {
        let img = crate::decode_rgb(&png_flat(16, 8, 128)).unwrap();
        assert_eq!((img.width, img.height), (16, 8));
        assert!(img.rgb.iter().all(|&v| v == 128));
        let h = crate::peek(&png_declaring(20_000, 20_000, 48_000)).unwrap();
        assert_eq!(h.pixels(), 400_000_000);
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }
}
