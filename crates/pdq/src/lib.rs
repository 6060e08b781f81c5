//! Perceptual hashing (PDQ) and exact Hamming-radius matching for Haven's
//! known-material hash lists.
//!
//! Design choices:
//! - **Bit-compatible with the reference.** The hash is computed as the
//!   ThreatExchange C++ implementation does it, in `f32`, in the same order of
//!   operations (luma, two-pass Jarosz tent filter, decimation, quality, a
//!   16×16 DCT without the DC term, Torben median), so that lists exchanged
//!   with other hotlines match bit for bit. No resizing is done first.
//! - **No I/O beyond decoding bytes.** Callers read files; this crate turns
//!   bytes or pixels into hashes and never panics on malformed input.
//! - **Bounded decoding.** Files come from strangers: [`DecodeLimits`] caps
//!   the file size and the declared pixel count, checked from the header
//!   ([`peek`]) before any pixel is decoded, and with them the memory one
//!   image can take ([`DecodeLimits::max_memory_bytes`]). A truncated or
//!   damaged file is an error, never a partly grey picture's hash, and
//!   hashes of flat or tiny images can be refused by quality
//!   ([`MIN_QUALITY`]).
//! - **Exact matching.** [`MatchIndex`] finds *every* listed hash within the
//!   radius (multi-index hashing with the pigeonhole bound), never an
//!   approximation, because a missed match is a missed child.
//!
//! ```
//! use haven_pdq::{hash_luma, Hash256};
//! let luma: Vec<f32> = (0..64 * 64).map(|i| (i % 64) as f32 * 4.0).collect();
//! let h = hash_luma(&luma, 64, 64);
//! assert_eq!(h.hash.distance(&h.hash), 0);
//! let parsed: Hash256 = h.hash.to_hex().parse().unwrap();
//! assert_eq!(parsed, h.hash);
//! ```
#![deny(missing_docs)]

mod algorithm;
mod container;
mod decode;
mod hash256;
mod index;
mod jpeg;
pub mod synthetic;

pub use algorithm::{
    hash_luma, hash_rgb, luma_from_rgb, Dihedral, LowQuality, PdqHashes, MIN_QUALITY,
};
pub use decode::{
    decode_rgb, decode_rgb_with, file_digests, hash_image_bytes, hash_image_bytes_with, peek,
    DecodeError, DecodeLimits, DecodedImage, FileDigests, ImageFormat, ImageHeader,
    FIXED_OVERHEAD_BYTES, MAX_SIDE, PEAK_BYTES_PER_PIXEL,
};
pub use hash256::{Hash256, ParseHashError};
pub use index::{IndexError, Match, MatchIndex};
