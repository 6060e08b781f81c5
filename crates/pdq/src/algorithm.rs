//! The PDQ algorithm on pixels, following the reference C++ step by step so
//! that hashes agree bit for bit (same `f32` arithmetic, same order).

use crate::hash256::Hash256;
use std::sync::OnceLock;

const LUMA_R: f32 = 0.299;
const LUMA_G: f32 = 0.587;
const LUMA_B: f32 = 0.114;
/// Side of the decimated image the DCT works on.
const DOWNSAMPLE: usize = 64;
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
    out.resize(rgb.len() / 3, 0.0);
    luma_row(rgb, out);
}

/// Luma of one run of packed RGB pixels into `out` (as many as both hold).
fn luma_row(rgb: &[u8], out: &mut [f32]) {
    for (o, p) in out.iter_mut().zip(rgb.chunks_exact(3)) {
        *o = luma(p[0], p[1], p[2]);
    }
}

/// `coefficient * v` for every 8-bit `v`: the same `f32` products the
/// reference computes, looked up instead of converted and multiplied.
const fn products(coefficient: f32) -> [f32; 256] {
    let mut t = [0f32; 256];
    let mut v = 0;
    while v < 256 {
        t[v] = coefficient * v as f32;
        v += 1;
    }
    t
}

static LUMA_R_TIMES: [f32; 256] = products(LUMA_R);
static LUMA_G_TIMES: [f32; 256] = products(LUMA_G);
static LUMA_B_TIMES: [f32; 256] = products(LUMA_B);

/// The reference's luma of one pixel: `(0.299 r + 0.587 g) + 0.114 b` in `f32`.
#[inline(always)]
fn luma(r: u8, g: u8, b: u8) -> f32 {
    LUMA_R_TIMES[usize::from(r)] + LUMA_G_TIMES[usize::from(g)] + LUMA_B_TIMES[usize::from(b)]
}

/// Hashes packed 8-bit RGB pixels (`width * height * 3` bytes, rows top to bottom).
/// A buffer of the wrong length hashes to zero with quality 0.
pub fn hash_rgb(rgb: &[u8], width: usize, height: usize) -> PdqHashes {
    if width.checked_mul(height).and_then(|n| n.checked_mul(3)) != Some(rgb.len()) {
        return zero();
    }
    hash_pixels(Pixels::Rgb(rgb), width, height)
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
    if width.checked_mul(height) != Some(luma.len()) {
        return zero();
    }
    hash_pixels(Pixels::Luma(luma), width, height)
}

/// The picture being hashed, read a row at a time.
#[derive(Clone, Copy)]
enum Pixels<'a> {
    Rgb(&'a [u8]),
    Luma(&'a [f32]),
}

impl Pixels<'_> {
    /// The luma of row `y` (`out.len()` is the width).
    fn luma_row(self, y: usize, out: &mut [f32]) {
        let w = out.len();
        match self {
            Pixels::Rgb(rgb) => luma_row(&rgb[y * w * 3..(y + 1) * w * 3], out),
            Pixels::Luma(l) => out.copy_from_slice(&l[y * w..(y + 1) * w]),
        }
    }
}

/// How many rows the row filters run side by side, one in each SIMD lane:
/// eight `f32` fill an AVX register, or two SSE ones.
const LANES: usize = 8;
/// One value from each of [`LANES`] rows at the same column.
type Lanes = [f32; LANES];

/// Buffers one thread reuses from image to image, so that hashing a stream
/// of pictures allocates (and page-faults) almost nothing. None is a whole
/// plane: the filters stream through the picture (see [`hash_pixels`]).
#[derive(Default)]
struct Scratch {
    /// Luma of up to [`LANES`] rows, row after row, then the same rows
    /// after the first column pass.
    rows: Vec<f32>,
    /// The same rows interleaved: `lanes_in[x][r]` is row `r`, column `x`.
    lanes_in: Vec<Lanes>,
    /// The first row pass's output, interleaved likewise.
    lanes_out: Vec<Lanes>,
    /// The first column pass's output rows, up to [`LANES`] of them, waiting
    /// for the second row pass.
    out_rows: Vec<f32>,
    /// The first row pass's output rows still needed by the column pass, a
    /// ring of `ring_rows` rows (row `y` in slot `y % ring_rows`).
    ring: Vec<f32>,
    /// One running sum per column for the column pass.
    sums: Vec<f32>,
    /// The second row pass's output at the 64 sampled columns, every row.
    kept: Vec<f32>,
    /// The second column pass's output (64 columns, every row).
    smoothed: Vec<f32>,
}

impl Scratch {
    /// Bytes held; a thread keeps at most [`SCRATCH_KEEP_BYTES`] between images.
    fn bytes(&self) -> usize {
        (self.rows.capacity()
            + self.out_rows.capacity()
            + self.ring.capacity()
            + self.sums.capacity()
            + self.kept.capacity()
            + self.smoothed.capacity())
            * 4
            + (self.lanes_in.capacity() + self.lanes_out.capacity()) * 4 * LANES
    }
}

/// Scratch kept by a thread after hashing: enough for any picture up to
/// 8,192 pixels a side; a larger one's buffers are freed when it is done.
const SCRATCH_KEEP_BYTES: usize = 16 << 20;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

fn resize<T: Copy + Default>(v: &mut Vec<T>, n: usize) {
    v.clear();
    v.resize(n, T::default());
}

/// PDQ on a picture of at least [`MIN_SIDE`] pixels a side, with this
/// thread's reusable buffers.
fn hash_pixels(px: Pixels<'_>, width: usize, height: usize) -> PdqHashes {
    if width < MIN_SIDE || height < MIN_SIDE {
        return zero();
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => {
            let out = hash_with(px, width, height, &mut s);
            if s.bytes() > SCRATCH_KEEP_BYTES {
                *s = Scratch::default();
            }
            out
        }
        // Only reachable if hashing were re-entered on this thread.
        Err(_) => hash_with(px, width, height, &mut Scratch::default()),
    })
}

/// The reference's two Jarosz passes (rows then columns, twice), decimation
/// to 64×64, quality and DCT. Every value the reference computes and uses is
/// computed with the same `f32` operations in the same order, but:
///
/// - the row filters run [`LANES`] rows at once, one per SIMD lane (the
///   reference walks one row at a time: a chain of dependent additions);
/// - the column filters walk rows in memory order with one running sum per
///   column, which vectorises across columns;
/// - the passes are fused and stream down the picture: luma rows are made
///   [`LANES`] at a time and filtered along rows into a small ring of rows,
///   from which the column pass's running sums advance; each group of
///   [`LANES`] rows it outputs is filtered along rows again at once. No
///   full-size plane is ever written, so the working set stays in cache;
/// - the second pass is only read at the 64×64 decimation points, so its row
///   filter divides only at the 64 sampled columns (the running sums still
///   visit every pixel, so the kept values are unchanged), and its column
///   filter runs on those 64 columns alone.
fn hash_with(px: Pixels<'_>, width: usize, height: usize, s: &mut Scratch) -> PdqHashes {
    let (w, h) = (width, height);
    let win_cols = window_size(h);
    let sample =
        |i: usize, dim: usize| (((i as f64) + 0.5) * dim as f64 / DOWNSAMPLE as f64) as usize;
    let cols: [usize; DOWNSAMPLE] = std::array::from_fn(|j| sample(j, w));
    let rows: [usize; DOWNSAMPLE] = std::array::from_fn(|i| sample(i, h));
    // The column pass reads rows `ri` and `ri - win_cols` of the first row
    // pass's output, which is made LANES rows at a time: the ring holds
    // win_cols + LANES rows, rounded up to whole groups so that each group's
    // rows are contiguous.
    let ring_rows = (win_cols + LANES).div_ceil(LANES) * LANES;
    resize(&mut s.rows, LANES * w);
    resize(&mut s.out_rows, LANES * w);
    resize(&mut s.lanes_in, w);
    resize(&mut s.lanes_out, w);
    resize(&mut s.ring, ring_rows * w);
    resize(&mut s.sums, w);
    resize(&mut s.kept, h * DOWNSAMPLE);
    resize(&mut s.smoothed, h * DOWNSAMPLE);
    let mut st = Stream {
        px,
        w,
        h,
        win_rows: window_size(w),
        ring_rows,
        cols: &cols,
        made: 0,
        s,
    };
    // The first column pass: `box_along_cols`'s phases, with rows from the ring.
    let half = (win_cols + 2) / 2;
    let phase1 = half - 1;
    let phase2 = win_cols - half + 1;
    let phase3 = h.saturating_sub(win_cols);
    let phase4 = half - 1;
    let (mut li, mut ri, mut oi) = (0usize, 0usize, 0usize);
    let mut size = 0f32;
    for _ in 0..phase1 {
        st.make_through(ri);
        let r = st.row(ri);
        let sc = &mut *st.s;
        for (s, v) in sc.sums.iter_mut().zip(&sc.ring[r]) {
            *s += *v;
        }
        size += 1.0;
        ri += 1;
    }
    for _ in 0..phase2 {
        st.make_through(ri);
        size += 1.0;
        let (r, o) = (st.row(ri), st.out(oi));
        let sc = &mut *st.s;
        for ((s, v), o) in sc.sums.iter_mut().zip(&sc.ring[r]).zip(&mut sc.out_rows[o]) {
            *s += *v;
            *o = *s / size;
        }
        st.emitted(oi);
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        st.make_through(ri);
        let (r, l, o) = (st.row(ri), st.row(li), st.out(oi));
        let sc = &mut *st.s;
        for (((s, a), b), o) in sc
            .sums
            .iter_mut()
            .zip(&sc.ring[r])
            .zip(&sc.ring[l])
            .zip(&mut sc.out_rows[o])
        {
            *s += *a;
            *s -= *b;
            *o = *s / size;
        }
        st.emitted(oi);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        size -= 1.0;
        let (l, o) = (st.row(li), st.out(oi));
        let sc = &mut *st.s;
        for ((s, b), o) in sc.sums.iter_mut().zip(&sc.ring[l]).zip(&mut sc.out_rows[o]) {
            *s -= *b;
            *o = *s / size;
        }
        st.emitted(oi);
        li += 1;
        oi += 1;
    }
    // The second column pass, on the 64 kept columns.
    let s = st.s;
    box_along_cols(&s.kept, &mut s.smoothed, DOWNSAMPLE, h, win_cols);
    let mut small = [0f32; DOWNSAMPLE * DOWNSAMPLE];
    for (i, row) in rows.iter().enumerate() {
        small[i * DOWNSAMPLE..(i + 1) * DOWNSAMPLE]
            .copy_from_slice(&s.smoothed[row * DOWNSAMPLE..(row + 1) * DOWNSAMPLE]);
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

/// The fused filters' state for one picture (see [`hash_with`]).
struct Stream<'a, 'p> {
    px: Pixels<'p>,
    w: usize,
    h: usize,
    win_rows: usize,
    ring_rows: usize,
    cols: &'a [usize; DOWNSAMPLE],
    /// Rows of the first row pass made so far.
    made: usize,
    s: &'a mut Scratch,
}

impl Stream<'_, '_> {
    /// Where row `k` of the first row pass's output is in the ring.
    fn row(&self, k: usize) -> std::ops::Range<usize> {
        let slot = k % self.ring_rows;
        slot * self.w..(slot + 1) * self.w
    }

    /// Where output row `k` of the first column pass waits.
    fn out(&self, k: usize) -> std::ops::Range<usize> {
        let slot = k % LANES;
        slot * self.w..(slot + 1) * self.w
    }

    /// Makes the first row pass's output through row `k`, [`LANES`] rows at
    /// a time: luma, interleaved, filtered, and back into rows in the ring.
    fn make_through(&mut self, k: usize) {
        let (w, h) = (self.w, self.h);
        while self.made <= k && self.made < h {
            let n = LANES.min(h - self.made);
            let s = &mut *self.s;
            match self.px {
                Pixels::Rgb(rgb) if n == LANES => {
                    // Luma straight into the lanes.
                    let at = |k: usize| &rgb[(self.made + k) * w * 3..(self.made + k + 1) * w * 3];
                    let rows: [&[u8]; LANES] = std::array::from_fn(at);
                    for (x, o) in s.lanes_in.iter_mut().enumerate().take(w) {
                        *o = std::array::from_fn(|k| {
                            let p = &rows[k][3 * x..3 * x + 3];
                            luma(p[0], p[1], p[2])
                        });
                    }
                }
                _ => {
                    for (r, row) in s.rows.chunks_exact_mut(w).take(n).enumerate() {
                        self.px.luma_row(self.made + r, row);
                    }
                    interleave(&s.rows, n, w, &mut s.lanes_in);
                }
            }
            box_lanes(&s.lanes_in, &mut s.lanes_out, self.win_rows);
            let slot = self.made % self.ring_rows;
            deinterleave(&s.lanes_out, n, w, &mut s.ring[slot * w..(slot + n) * w]);
            self.made += n;
        }
    }

    /// Output row `k` of the first column pass is ready: once a group of
    /// [`LANES`] rows (or the last rows) is, the second row pass runs on it.
    fn emitted(&mut self, k: usize) {
        let r = k % LANES;
        if r != LANES - 1 && k != self.h - 1 {
            return;
        }
        let (first, n, w) = (k - r, r + 1, self.w);
        let s = &mut *self.s;
        interleave(&s.out_rows, n, w, &mut s.lanes_in);
        let mut at = [[0f32; LANES]; DOWNSAMPLE];
        box_lanes_sampled(&s.lanes_in, self.cols, &mut at, self.win_rows);
        for (r, dst) in s.kept[first * DOWNSAMPLE..(first + n) * DOWNSAMPLE]
            .chunks_exact_mut(DOWNSAMPLE)
            .enumerate()
        {
            for (d, v) in dst.iter_mut().zip(&at) {
                *d = v[r];
            }
        }
    }
}

/// The first `n` rows of `rows` (rows of `w` values, one after another)
/// side by side: `out[x][r]` is row `r`, column `x`. Lanes past `n` are
/// left as they were: they are filtered but never read.
fn interleave(rows: &[f32], n: usize, w: usize, out: &mut [Lanes]) {
    if n == LANES {
        let r: [&[f32]; LANES] = std::array::from_fn(|k| &rows[k * w..(k + 1) * w]);
        for (x, o) in out.iter_mut().enumerate().take(w) {
            *o = std::array::from_fn(|k| r[k][x]);
        }
    } else {
        for (k, row) in rows.chunks_exact(w).take(n).enumerate() {
            for (o, v) in out.iter_mut().zip(row) {
                o[k] = *v;
            }
        }
    }
}

/// The inverse of [`interleave`]: lanes `0..n` of `lanes` into `n` rows.
fn deinterleave(lanes: &[Lanes], n: usize, w: usize, rows: &mut [f32]) {
    for (k, row) in rows.chunks_exact_mut(w).take(n).enumerate() {
        for (v, l) in row.iter_mut().zip(lanes) {
            *v = l[k];
        }
    }
}

/// [`box_1d`] on [`LANES`] rows at once, each in its own lane: the same
/// operations in the same order in every lane.
fn box_lanes(src: &[Lanes], dst: &mut [Lanes], window: usize) {
    let n = src.len();
    let half = (window + 2) / 2;
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = n.saturating_sub(window);
    let phase4 = half - 1;
    let mut sum = [0f32; LANES];
    let mut size = 0f32;
    let (head, rest) = src.split_at(phase1);
    for v in head {
        add(&mut sum, v);
        size += 1.0;
    }
    let (grow, _) = rest.split_at(phase2);
    for (v, o) in grow.iter().zip(dst.iter_mut()) {
        add(&mut sum, v);
        size += 1.0;
        div(o, &sum, size);
    }
    let right = &src[phase1 + phase2..];
    for ((r, l), o) in right.iter().zip(src).zip(&mut dst[phase2..]).take(phase3) {
        add(&mut sum, r);
        sub(&mut sum, l);
        div(o, &sum, size);
    }
    for (l, o) in src[phase3..]
        .iter()
        .zip(&mut dst[phase2 + phase3..])
        .take(phase4)
    {
        sub(&mut sum, l);
        size -= 1.0;
        div(o, &sum, size);
    }
}

/// [`box_1d_sampled`] on [`LANES`] rows at once: writes only the outputs at
/// `cols` (ascending, maybe repeated), `dst[k]` for `cols[k]`.
fn box_lanes_sampled(src: &[Lanes], cols: &[usize], dst: &mut [Lanes], window: usize) {
    let n = src.len();
    let half = (window + 2) / 2;
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = n.saturating_sub(window);
    let phase4 = half - 1;
    let mut sum = [0f32; LANES];
    let mut size = 0f32;
    let mut next = 0usize;
    // Divides only where an output is kept.
    let mut emit = |oi: usize, sum: &Lanes, size: f32| {
        if next < cols.len() && cols[next] == oi {
            let mut v = [0f32; LANES];
            div(&mut v, sum, size);
            while next < cols.len() && cols[next] == oi {
                dst[next] = v;
                next += 1;
            }
        }
    };
    let mut oi = 0;
    for v in &src[..phase1] {
        add(&mut sum, v);
        size += 1.0;
    }
    for v in &src[phase1..phase1 + phase2] {
        add(&mut sum, v);
        size += 1.0;
        emit(oi, &sum, size);
        oi += 1;
    }
    // Between sampled columns only the sums advance.
    for (r, l) in src[phase1 + phase2..].iter().zip(src).take(phase3) {
        add(&mut sum, r);
        sub(&mut sum, l);
        emit(oi, &sum, size);
        oi += 1;
    }
    for l in src[phase3..].iter().take(phase4) {
        sub(&mut sum, l);
        size -= 1.0;
        emit(oi, &sum, size);
        oi += 1;
    }
}

#[inline(always)]
fn add(sum: &mut Lanes, v: &Lanes) {
    for (s, v) in sum.iter_mut().zip(v) {
        *s += *v;
    }
}

#[inline(always)]
fn sub(sum: &mut Lanes, v: &Lanes) {
    for (s, v) in sum.iter_mut().zip(v) {
        *s -= *v;
    }
}

#[inline(always)]
fn div(out: &mut Lanes, sum: &Lanes, size: f32) {
    for (o, s) in out.iter_mut().zip(sum) {
        *o = *s / size;
    }
}

/// The reference's `computeJaroszFilterWindowSize(dim, 64)`: ceil(dim / 128).
fn window_size(dim: usize) -> usize {
    dim.div_ceil(2 * DOWNSAMPLE)
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

    /// The implementation before the filters were fused and run in lanes:
    /// whole planes, one row at a time. The fast path must agree with it
    /// bit for bit.
    mod reference {
        use super::super::*;

        /// The reference smooths twice along each axis (a tent filter).
        const JAROSZ_PASSES: usize = 2;

        /// [`hash_luma`] filtering in the caller's buffer, so that hashing holds two
        /// `f32` planes (4 + 4 bytes a pixel) rather than three.
        ///
        /// Per image, besides those planes, it allocates `512 * height + 4 * width`
        /// bytes (the 64 kept columns, twice, and one running sum per column) and a
        /// few fixed 16 KiB arrays.
        pub(super) fn hash_luma_owned(mut a: Vec<f32>, width: usize, height: usize) -> PdqHashes {
            if width < MIN_SIDE || height < MIN_SIDE || width.checked_mul(height) != Some(a.len()) {
                return zero();
            }
            let mut b = vec![0f32; a.len()];
            let win_along_rows = window_size(width);
            let win_along_cols = window_size(height);
            let sample = |i: usize, dim: usize| {
                (((i as f64) + 0.5) * dim as f64 / DOWNSAMPLE as f64) as usize
            };
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
        pub(super) fn box_1d(src: &[f32], dst: &mut [f32], window: usize) {
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
    }

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
        reference::box_1d(&src, &mut dst, 3);
        // window 3: half=2, output i averages src[i-1..=i+1] clipped to the ends.
        assert_eq!(dst[0], 0.5);
        assert_eq!(dst[5], 5.0);
        assert_eq!(dst[9], 8.5);
    }

    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// A picture with smooth structure and noise, so that every hash bit
    /// and the quality depend on the filters' exact values.
    fn picture(w: usize, h: usize, seed: u64) -> Vec<u8> {
        let mut s = seed | 1;
        let (a, b) = (
            (next(&mut s) % 97) as f32 / 900.0,
            (next(&mut s) % 89) as f32 / 700.0,
        );
        let mut out = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                for c in 0..3 {
                    let wave =
                        127.0 + 110.0 * ((a * x as f32 + b * y as f32) * (c + 1) as f32).sin();
                    let noise = (next(&mut s) % 41) as f32 - 20.0;
                    out.push((wave + noise).clamp(0.0, 255.0) as u8);
                }
            }
        }
        out
    }

    #[test]
    fn the_fused_lane_filters_agree_bit_for_bit_with_the_plain_ones() {
        // Sides below, at and around the lane count and the window steps
        // (128, 256...), odd ones, strips, and a few ordinary sizes.
        let sizes = [
            (5, 5),
            (5, 200),
            (200, 5),
            (7, 9),
            (8, 8),
            (9, 17),
            (16, 15),
            (63, 65),
            (64, 64),
            (127, 129),
            (128, 128),
            (129, 257),
            (300, 31),
            (31, 300),
            (640, 480),
            (1023, 769),
            (2000, 13),
            (13, 2000),
        ];
        for (i, &(w, h)) in sizes.iter().enumerate() {
            let rgb = picture(w, h, i as u64 + 1);
            let mut luma = Vec::new();
            luma_from_rgb(&rgb, &mut luma);
            let want = reference::hash_luma_owned(luma.clone(), w, h);
            assert_eq!(hash_rgb(&rgb, w, h), want, "{w}x{h} from RGB");
            assert_eq!(hash_luma(&luma, w, h), want, "{w}x{h} from luma");
            assert_eq!(hash_luma(&luma, w, h).dihedrals(), want.dihedrals());
        }
    }

    #[test]
    fn scratch_reused_across_sizes_changes_nothing() {
        let a = picture(333, 222, 5);
        let b = picture(40, 900, 6);
        let first = hash_rgb(&a, 333, 222);
        let _ = hash_rgb(&b, 40, 900);
        assert_eq!(hash_rgb(&a, 333, 222), first);
        // A large picture's buffers are not kept.
        let big = vec![7u8; 3000 * 2000 * 3];
        let _ = hash_rgb(&big, 3000, 2000);
        SCRATCH.with(|s| assert!(s.borrow().bytes() <= SCRATCH_KEEP_BYTES));
        assert_eq!(hash_rgb(&a, 333, 222), first);
    }

    #[test]
    fn lane_box_filter_is_the_row_box_filter_in_every_lane() {
        let mut s = 99;
        for (n, window) in [(5, 1), (10, 3), (130, 2), (1000, 8), (64, 64), (65, 64)] {
            let rows: Vec<Vec<f32>> = (0..LANES)
                .map(|_| (0..n).map(|_| (next(&mut s) % 256) as f32 * 0.7).collect())
                .collect();
            let lanes: Vec<Lanes> = (0..n)
                .map(|x| std::array::from_fn(|r| rows[r][x]))
                .collect();
            let mut out = vec![[0f32; LANES]; n];
            box_lanes(&lanes, &mut out, window);
            for (r, row) in rows.iter().enumerate() {
                let mut want = vec![0f32; n];
                reference::box_1d(row, &mut want, window);
                let got: Vec<f32> = out.iter().map(|l| l[r]).collect();
                assert_eq!(got, want, "n {n} window {window} lane {r}");
            }
        }
    }

    #[test]
    fn looked_up_luma_is_the_reference_formula_for_every_colour() {
        for r in 0..=255u8 {
            for g in 0..=255u8 {
                for b in 0..=255u8 {
                    let want =
                        LUMA_R * f32::from(r) + LUMA_G * f32::from(g) + LUMA_B * f32::from(b);
                    assert_eq!(luma(r, g, b).to_bits(), want.to_bits(), "{r} {g} {b}");
                }
            }
        }
    }
}
