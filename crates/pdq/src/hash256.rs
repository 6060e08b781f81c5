//! The 256-bit hash value, its hex form and Hamming distance.

use std::fmt;
use std::str::FromStr;

/// A 256-bit PDQ hash. Stored as four 64-bit words so distance is four popcounts.
///
/// Bit `k` of the reference (`setBit(k)`) is bit `k % 64` of word `k / 64`; the
/// hex form prints the highest 16-bit word first, as the reference does.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Hash256(pub [u64; 4]);

/// Why a string is not a PDQ hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseHashError(pub String);

impl fmt::Display for ParseHashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseHashError {}

impl Hash256 {
    /// The all-zero hash, given to images too small to hash.
    pub const ZERO: Hash256 = Hash256([0; 4]);

    /// Sets bit `k` (0..256) in the reference's numbering.
    pub fn set_bit(&mut self, k: usize) {
        self.0[(k >> 6) & 3] |= 1u64 << (k & 63);
    }

    /// Whether bit `k` is set.
    pub fn bit(&self, k: usize) -> bool {
        self.0[(k >> 6) & 3] >> (k & 63) & 1 == 1
    }

    /// Hamming distance: the number of differing bits.
    pub fn distance(&self, other: &Hash256) -> u32 {
        (self.0[0] ^ other.0[0]).count_ones()
            + (self.0[1] ^ other.0[1]).count_ones()
            + (self.0[2] ^ other.0[2]).count_ones()
            + (self.0[3] ^ other.0[3]).count_ones()
    }

    /// The 16-bit word `w` (0..16) of the reference's layout.
    pub fn word16(&self, w: usize) -> u16 {
        (self.0[(w >> 2) & 3] >> ((w & 3) * 16)) as u16
    }

    /// 64 lowercase hex digits, most significant 16-bit word first.
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(64);
        for w in (0..16).rev() {
            s.push_str(&format!("{:04x}", self.word16(w)));
        }
        s
    }
}

impl fmt::Display for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash256({})", self.to_hex())
    }
}

impl FromStr for Hash256 {
    type Err = ParseHashError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ParseHashError(format!(
                "a PDQ hash is 64 hexadecimal digits; got {:?}",
                truncate_for_message(s)
            )));
        }
        let mut h = Hash256::ZERO;
        for (i, chunk) in s.as_bytes().chunks(4).enumerate() {
            let text = std::str::from_utf8(chunk).map_err(|e| ParseHashError(e.to_string()))?;
            let word = u16::from_str_radix(text, 16).map_err(|e| ParseHashError(e.to_string()))?;
            let w = 15 - i;
            h.0[w >> 2] |= (word as u64) << ((w & 3) * 16);
        }
        Ok(h)
    }
}

fn truncate_for_message(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_bit_layout() {
        let mut h = Hash256::ZERO;
        h.set_bit(0);
        h.set_bit(255);
        let hex = h.to_hex();
        assert!(hex.starts_with("8000"));
        assert!(hex.ends_with("0001"));
        assert_eq!(hex.parse::<Hash256>().unwrap(), h);
        assert_eq!(h.distance(&Hash256::ZERO), 2);
    }

    #[test]
    fn rejects_bad_hex() {
        assert!("xyz".parse::<Hash256>().is_err());
        assert!("g".repeat(64).parse::<Hash256>().is_err());
        assert!("é".repeat(32).parse::<Hash256>().is_err());
    }
}
