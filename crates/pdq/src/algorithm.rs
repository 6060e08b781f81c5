//! The PDQ algorithm on pixels, following the reference C++ step by step so
//! that hashes agree bit for bit (same `f32` arithmetic, same order).

use crate::hash256::Hash256;
use std::sync::OnceLock;

const LUMA_R: f32 = 0.299;
const LUMA_G: f32 = 0.587;
const LUMA_B: f32 = 0.114;
/// Side of the decimated image the DCT works on.
const DOWNSAMPLE: usize = 64;
/// The reference smooths twice along each axis (a tent filter).
const JAROSZ_PASSES: usize = 2;
/// Images with a side below this hash to zero with quality 0.
const MIN_SIDE: usize = 5;

/// The lowest PDQ quality at which a hash is worth storing or matching.
///
/// Quality (0-100) measures how much gradient detail the 64×64 decimated
/// image has. Below 50 the hash says little about the picture: a flat or
/// nearly flat image, or one under 5 pixels a side, hashes to all zeros (or
/// close) with quality 0, and such hashes match each other and many unrelated
/// images. ThreatExchange advises discarding hashes below 50; see
/// [`PdqHashes::is_low_quality`] and [`PdqHashes::check_quality`].
pub const MIN_QUALITY: u32 = 50;

/// The eight orientations of an image that PDQ can hash from one DCT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dihedral {
    /// As given.
    Original,
    /// Rotated 90 degrees.
    Rotate90,
    /// Rotated 180 degrees.
    Rotate180,
    /// Rotated 270 degrees.
    Rotate270,
    /// Mirrored left to right.
    FlipX,
    /// Mirrored top to bottom.
    FlipY,
    /// Mirrored about the main diagonal.
    FlipPlus1,
    /// Mirrored about the anti-diagonal.
    FlipMinus1,
}

impl Dihedral {
    /// All eight, in the order the reference and `expected.csv` list them.
    pub const ALL: [Dihedral; 8] = [
        Dihedral::Original,
        Dihedral::Rotate90,
        Dihedral::Rotate180,
        Dihedral::Rotate270,
        Dihedral::FlipX,
        Dihedral::FlipY,
        Dihedral::FlipPlus1,
        Dihedral::FlipMinus1,
    ];

    /// The short name used in CSV and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Dihedral::Original => "orig",
            Dihedral::Rotate90 => "rot90",
            Dihedral::Rotate180 => "rot180",
            Dihedral::Rotate270 => "rot270",
            Dihedral::FlipX => "flipx",
            Dihedral::FlipY => "flipy",
            Dihedral::FlipPlus1 => "flipplus1",
            Dihedral::FlipMinus1 => "flipminus1",
        }
    }
}

/// The result of hashing one image.
#[derive(Clone, Debug, PartialEq)]
pub struct PdqHashes {
    /// The hash of the image as given.
    pub hash: Hash256,
    /// 0-100: how much detail the image has; low-quality hashes match poorly.
    pub quality: u32,
    dct: Option<Box<[f32; 256]>>,
}

/// A hash refused for its low quality (see [`MIN_QUALITY`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LowQuality {
    /// The hash's quality.
    pub quality: u32,
    /// The least quality asked for.
    pub min: u32,
}

impl std::fmt::Display for LowQuality {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the image has too little detail for a reliable hash (PDQ quality {}; at least {} is needed)",
            self.quality, self.min
        )
    }
}

impl std::error::Error for LowQuality {}

impl PdqHashes {
    /// True when the quality is below [`MIN_QUALITY`]: the hash of a flat,
    /// tiny or featureless image, which should be neither stored nor matched.
    pub fn is_low_quality(&self) -> bool {
        self.quality < MIN_QUALITY
    }

    /// `Ok` when the quality is at least `min` (use [`MIN_QUALITY`] unless
    /// there is a reason not to); otherwise an error that says why in words.
    pub fn check_quality(&self, min: u32) -> Result<(), LowQuality> {
        if self.quality >= min {
            Ok(())
        } else {
            Err(LowQuality {
                quality: self.quality,
                min,
            })
        }
    }

    /// The hash of the image in another orientation, derived from the same DCT.
    pub fn dihedral(&self, d: Dihedral) -> Hash256 {
        let Some(dct) = &self.dct else {
            return Hash256::ZERO;
        };
        let mut out = [0f32; 256];
        for i in 0..16 {
            for j in 0..16 {
                let a = dct[i * 16 + j];
                let odd_i = i & 1 == 1;
                let odd_j = j & 1 == 1;
                // Reversing an axis negates the coefficients of even index
                // (odd frequency, since DC is excluded); transposing swaps axes.
                match d {
                    Dihedral::Original => out[i * 16 + j] = a,
                    Dihedral::Rotate90 => out[j * 16 + i] = if odd_j { a } else { -a },
                    Dihedral::Rotate180 => out[i * 16 + j] = if (i + j) & 1 == 1 { -a } else { a },
                    Dihedral::Rotate270 => out[j * 16 + i] = if odd_i { a } else { -a },
                    Dihedral::FlipX => out[i * 16 + j] = if odd_i { a } else { -a },
                    Dihedral::FlipY => out[i * 16 + j] = if odd_j { a } else { -a },
                    Dihedral::FlipPlus1 => out[j * 16 + i] = a,
                    Dihedral::FlipMinus1 => out[j * 16 + i] = if (i + j) & 1 == 1 { -a } else { a },
                }
            }
        }
        bits_from_dct(&out)
    }

    /// All eight orientations, in [`Dihedral::ALL`] order.
    pub fn dihedrals(&self) -> [Hash256; 8] {
        Dihedral::ALL.map(|d| self.dihedral(d))
    }
}

/// Luma of packed 8-bit RGB pixels, as the reference computes it.
pub fn luma_from_rgb(rgb: &[u8], out: &mut Vec<f32>) {
    out.clear();
    out.extend(
        rgb.chunks_exact(3).map(|p| {
            LUMA_R * f32::from(p[0]) + LUMA_G * f32::from(p[1]) + LUMA_B * f32::from(p[2])
        }),
    );
}

/// Hashes packed 8-bit RGB pixels (`width * height * 3` bytes, rows top to bottom).
/// A buffer of the wrong length hashes to zero with quality 0.
pub fn hash_rgb(rgb: &[u8], width: usize, height: usize) -> PdqHashes {
    if width.checked_mul(height).and_then(|n| n.checked_mul(3)) != Some(rgb.len()) {
        return zero();
    }
    let mut luma = Vec::with_capacity(width * height);
    luma_from_rgb(rgb, &mut luma);
    hash_luma_owned(luma, width, height)
}

fn zero() -> PdqHashes {
    PdqHashes {
        hash: Hash256::ZERO,
        quality: 0,
        dct: None,
    }
}

/// Hashes a luma buffer (`width * height` values in 0..=255, rows top to bottom).
pub fn hash_luma(luma: &[f32], width: usize, height: usize) -> PdqHashes {
    if width < MIN_SIDE || height < MIN_SIDE || width.checked_mul(height) != Some(luma.len()) {
        return zero();
    }
    hash_luma_owned(luma.to_vec(), width, height)
}

/// [`hash_luma`] filtering in the caller's buffer, so that hashing holds two
/// `f32` planes (4 + 4 bytes a pixel) rather than three.
///
/// Per image, besides those planes, it allocates `512 * height + 4 * width`
/// bytes (the 64 kept columns, twice, and one running sum per column) and a
/// few fixed 16 KiB arrays.
fn hash_luma_owned(mut a: Vec<f32>, width: usize, height: usize) -> PdqHashes {
    if width < MIN_SIDE || height < MIN_SIDE || width.checked_mul(height) != Some(a.len()) {
        return zero();
    }
    let mut b = vec![0f32; a.len()];
    let win_along_rows = window_size(width);
    let win_along_cols = window_size(height);
    let sample =
        |i: usize, dim: usize| (((i as f64) + 0.5) * dim as f64 / DOWNSAMPLE as f64) as usize;
    let cols: [usize; DOWNSAMPLE] = std::array::from_fn(|j| sample(j, width));
    let rows: [usize; DOWNSAMPLE] = std::array::from_fn(|i| sample(i, height));
    for _ in 0..JAROSZ_PASSES - 1 {
        box_along_rows(&a, &mut b, width, win_along_rows);
        box_along_cols(&b, &mut a, width, height, win_along_cols);
    }
    // The last pass is only read at the 64x64 decimation points. Running
    // sums along rows must still visit every pixel (same additions, same
    // order, so the same values), but only the 64 sampled columns are kept,
    // and the column pass then runs on those 64 columns alone.
    let mut kept = vec![0f32; height * DOWNSAMPLE];
    for (src, dst) in a.chunks_exact(width).zip(kept.chunks_exact_mut(DOWNSAMPLE)) {
        box_1d_sampled(src, &cols, dst, win_along_rows);
    }
    // The full-size planes are no longer needed.
    drop(a);
    drop(b);
    let mut smoothed = vec![0f32; height * DOWNSAMPLE];
    box_along_cols(&kept, &mut smoothed, DOWNSAMPLE, height, win_along_cols);
    let mut small = [0f32; DOWNSAMPLE * DOWNSAMPLE];
    for (i, row) in rows.iter().enumerate() {
        small[i * DOWNSAMPLE..(i + 1) * DOWNSAMPLE]
            .copy_from_slice(&smoothed[row * DOWNSAMPLE..(row + 1) * DOWNSAMPLE]);
    }
    let quality = quality(&small);
    let dct = Box::new(dct_64_to_16(&small));
    let hash = bits_from_dct(&dct);
    PdqHashes {
        hash,
        quality,
        dct: Some(dct),
    }
}

/// The reference's `computeJaroszFilterWindowSize(dim, 64)`: ceil(dim / 128).
fn window_size(dim: usize) -> usize {
    dim.div_ceil(2 * DOWNSAMPLE)
}

/// One box-filter pass along each row (contiguous memory).
fn box_along_rows(input: &[f32], output: &mut [f32], width: usize, window: usize) {
    for (src, dst) in input
        .chunks_exact(width)
        .zip(output.chunks_exact_mut(width))
    {
        box_1d(src, dst, window);
    }
}

/// The reference's `box1DFloat` on one contiguous vector: a running sum with
/// a window that grows at the start and shrinks at the end.
fn box_1d(src: &[f32], dst: &mut [f32], window: usize) {
    let n = src.len();
    let half = (window + 2) / 2;
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = n.saturating_sub(window);
    let phase4 = half - 1;
    let (mut li, mut ri, mut oi) = (0usize, 0usize, 0usize);
    let mut sum = 0f32;
    let mut size = 0f32;
    for _ in 0..phase1 {
        sum += src[ri];
        size += 1.0;
        ri += 1;
    }
    for _ in 0..phase2 {
        sum += src[ri];
        size += 1.0;
        dst[oi] = sum / size;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        sum += src[ri];
        sum -= src[li];
        dst[oi] = sum / size;
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        sum -= src[li];
        size -= 1.0;
        dst[oi] = sum / size;
        li += 1;
        oi += 1;
    }
}

/// [`box_1d`] that writes only the outputs at `cols` (ascending, maybe
/// repeated) into `dst[k]` for `cols[k]`.
fn box_1d_sampled(src: &[f32], cols: &[usize], dst: &mut [f32], window: usize) {
    let n = src.len();
    let half = (window + 2) / 2;
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = n.saturating_sub(window);
    let phase4 = half - 1;
    let (mut li, mut ri, mut oi) = (0usize, 0usize, 0usize);
    let mut sum = 0f32;
    let mut size = 0f32;
    let mut next = 0usize;
    // Divides only where an output is kept.
    let mut emit = |oi: usize, sum: f32, size: f32| {
        if next < cols.len() && cols[next] == oi {
            let v = sum / size;
            while next < cols.len() && cols[next] == oi {
                dst[next] = v;
                next += 1;
            }
        }
    };
    for _ in 0..phase1 {
        sum += src[ri];
        size += 1.0;
        ri += 1;
    }
    for _ in 0..phase2 {
        sum += src[ri];
        size += 1.0;
        emit(oi, sum, size);
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        sum += src[ri];
        sum -= src[li];
        emit(oi, sum, size);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        sum -= src[li];
        size -= 1.0;
        emit(oi, sum, size);
        li += 1;
        oi += 1;
    }
}

/// The same running sum down every column, but walking rows in memory order
/// with one sum per column: identical arithmetic, far fewer cache misses.
fn box_along_cols(input: &[f32], output: &mut [f32], width: usize, height: usize, window: usize) {
    let half = (window + 2) / 2;
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = height.saturating_sub(window);
    let phase4 = half - 1;
    let mut sums = vec![0f32; width];
    let (mut li, mut ri, mut oi) = (0usize, 0usize, 0usize);
    let mut size = 0f32;
    let row = |k: usize| &input[k * width..(k + 1) * width];
    for _ in 0..phase1 {
        for (s, v) in sums.iter_mut().zip(row(ri)) {
            *s += *v;
        }
        size += 1.0;
        ri += 1;
    }
    for _ in 0..phase2 {
        size += 1.0;
        let out = &mut output[oi * width..(oi + 1) * width];
        for ((s, v), o) in sums.iter_mut().zip(row(ri)).zip(out) {
            *s += *v;
            *o = *s / size;
        }
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        let out = &mut output[oi * width..(oi + 1) * width];
        for (((s, r), l), o) in sums.iter_mut().zip(row(ri)).zip(row(li)).zip(out) {
            *s += *r;
            *s -= *l;
            *o = *s / size;
        }
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        size -= 1.0;
        let out = &mut output[oi * width..(oi + 1) * width];
        for ((s, l), o) in sums.iter_mut().zip(row(li)).zip(out) {
            *s -= *l;
            *o = *s / size;
        }
        li += 1;
        oi += 1;
    }
}

/// Sum of neighbour gradients, scaled to 0-100, as the reference does.
fn quality(small: &[f32; DOWNSAMPLE * DOWNSAMPLE]) -> u32 {
    let mut sum: i64 = 0;
    let grad = |u: f32, v: f32| -> i64 { (((u - v) * 100.0) / 255.0) as i32 as i64 };
    for i in 0..DOWNSAMPLE - 1 {
        for j in 0..DOWNSAMPLE {
            sum += grad(small[i * DOWNSAMPLE + j], small[(i + 1) * DOWNSAMPLE + j]).abs();
        }
    }
    for i in 0..DOWNSAMPLE {
        for j in 0..DOWNSAMPLE - 1 {
            sum += grad(small[i * DOWNSAMPLE + j], small[i * DOWNSAMPLE + j + 1]).abs();
        }
    }
    (sum / 90).min(100) as u32
}

/// The 16×64 DCT-II basis without the DC row, computed once in `f64` and
/// stored as `f32`, like the reference's table.
fn dct_matrix() -> &'static [f32; 16 * 64] {
    static MATRIX: OnceLock<[f32; 16 * 64]> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let mut m = [0f32; 16 * 64];
        let scale = (2.0f64 / 64.0).sqrt();
        for i in 0..16 {
            for j in 0..64 {
                let angle =
                    (std::f64::consts::PI / 2.0 / 64.0) * ((i + 1) as f64) * ((2 * j + 1) as f64);
                m[i * 64 + j] = (scale * angle.cos()) as f32;
            }
        }
        m
    })
}

/// B = D · A · Dᵀ, accumulated in the reference's order.
fn dct_64_to_16(a: &[f32; DOWNSAMPLE * DOWNSAMPLE]) -> [f32; 256] {
    let d = dct_matrix();
    let mut t = [0f32; 16 * 64];
    for i in 0..16 {
        let drow = &d[i * 64..(i + 1) * 64];
        let trow = &mut t[i * 64..(i + 1) * 64];
        // Accumulate over k in order for every j at once: same sums, vectorisable.
        for (k, dk) in drow.iter().enumerate() {
            let arow = &a[k * 64..(k + 1) * 64];
            for (tj, aj) in trow.iter_mut().zip(arow) {
                *tj += dk * aj;
            }
        }
    }
    let mut b = [0f32; 256];
    for i in 0..16 {
        let trow = &t[i * 64..(i + 1) * 64];
        for j in 0..16 {
            let drow = &d[j * 64..(j + 1) * 64];
            let mut sum = 0f32;
            for k in 0..64 {
                sum += trow[k] * drow[k];
            }
            b[i * 16 + j] = sum;
        }
    }
    b
}

fn bits_from_dct(dct: &[f32; 256]) -> Hash256 {
    let median = torben_median(dct);
    let mut h = Hash256::ZERO;
    for (k, v) in dct.iter().enumerate() {
        if *v > median {
            h.set_bit(k);
        }
    }
    h
}

/// Torben's median (the lower median for even counts), as in the reference.
fn torben_median(m: &[f32]) -> f32 {
    let n = m.len();
    if n == 0 {
        return 0.0;
    }
    let (mut min, mut max) = (m[0], m[0]);
    for &v in &m[1..] {
        min = min.min(v);
        max = max.max(v);
    }
    let half = n.div_ceil(2);
    let (mut less, mut equal, mut guess, mut max_lt, mut min_gt);
    // The reference loops until the bracket closes; a bound guards against
    // non-finite input ever spinning forever.
    let mut rounds = 0;
    loop {
        guess = (min + max) / 2.0;
        less = 0;
        let mut greater = 0;
        equal = 0;
        max_lt = min;
        min_gt = max;
        for &v in m {
            if v < guess {
                less += 1;
                if v > max_lt {
                    max_lt = v;
                }
            } else if v > guess {
                greater += 1;
                if v < min_gt {
                    min_gt = v;
                }
            } else {
                equal += 1;
            }
        }
        rounds += 1;
        if (less <= half && greater <= half) || rounds > 200 {
            break;
        } else if less > greater {
            max = max_lt;
        } else {
            min = min_gt;
        }
    }
    if less >= half {
        max_lt
    } else if less + equal >= half {
        guess
    } else {
        min_gt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_images_hash_to_zero() {
        let h = hash_luma(&[1.0; 16], 4, 4);
        assert_eq!(h.hash, Hash256::ZERO);
        assert_eq!(h.quality, 0);
        assert_eq!(hash_rgb(&[0; 5], 2, 2).quality, 0);
    }

    #[test]
    fn median_is_lower_median() {
        assert_eq!(torben_median(&[4.0, 1.0, 3.0, 2.0]), 2.0);
        assert_eq!(torben_median(&[5.0, 1.0, 3.0]), 3.0);
    }

    #[test]
    fn box_filter_matches_naive_window_mean() {
        let src: Vec<f32> = (0..10).map(|v| v as f32).collect();
        let mut dst = vec![0f32; 10];
        box_1d(&src, &mut dst, 3);
        // window 3: half=2, output i averages src[i-1..=i+1] clipped to the ends.
        assert_eq!(dst[0], 0.5);
        assert_eq!(dst[5], 5.0);
        assert_eq!(dst[9], 8.5);
    }
}
