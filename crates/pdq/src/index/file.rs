//! Saving an index and reading it back in one pass, tables included.
//!
//! Format (version 3, little-endian): the magic `HVNPDQI3`; the entry
//! count `n`, the count of entries in the tables, and the table count `m`
//! (u64 each); each table's first bit, width and block shift (u32 each);
//! the hashes (32 bytes each); the enabled flags (one u64 per 64 entries);
//! then each table's block starts (u32), bucket starts (u8) and entry
//! numbers (3 or 4 bytes each, then one byte of padding). Versions 1 (the
//! hashes and flags) and 2 (older tables, rebuilt) still load.

use super::tables::{ids_len, word_layout, WordTable};
use super::{IndexError, Indexed, MatchIndex};
use crate::hash256::Hash256;
use std::io::{self, Read, Write};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"HVNPDQI3";
/// Version 2: 32-bit bucket starts and entry numbers, 16 to 22-bit words.
const MAGIC_V2: &[u8; 8] = b"HVNPDQI2";
/// Version 1 held only the hashes and flags.
const MAGIC_V1: &[u8; 8] = b"HVNPDQI1";

impl MatchIndex {
    /// Writes the whole index, tables included, so that [`MatchIndex::load`]
    /// reads it back in one pass without rebuilding anything.
    pub fn save(&self, mut w: impl Write) -> Result<(), IndexError> {
        w.write_all(MAGIC)?;
        let Indexed { hashes, tables } = self.indexed.as_ref();
        for v in [self.len() as u64, hashes.len() as u64, tables.len() as u64] {
            w.write_all(&v.to_le_bytes())?;
        }
        for t in tables {
            for v in [t.start as u32, t.bits as u32, t.shift] {
                w.write_all(&v.to_le_bytes())?;
            }
        }
        let mut buf = Vec::with_capacity(1 << 16);
        for chunk in hashes.chunks(1 << 11).chain(self.pending.chunks(1 << 11)) {
            buf.clear();
            for h in chunk {
                for word in h.0 {
                    buf.extend_from_slice(&word.to_le_bytes());
                }
            }
            w.write_all(&buf)?;
        }
        write_le(&mut w, &self.enabled, &mut buf)?;
        for t in tables {
            write_le(&mut w, &t.base, &mut buf)?;
            w.write_all(&t.rel)?;
            w.write_all(&t.ids)?;
        }
        Ok(())
    }

    /// Reads an index written by [`MatchIndex::save`] (version 3, read
    /// straight into its final arrays), or by an earlier version (its
    /// tables are rebuilt). A file that is truncated, too long, or whose
    /// tables do not fit its entries is refused with an error that says
    /// which.
    pub fn load(mut r: impl Read) -> Result<Self, IndexError> {
        let header = Header::read(&mut r)?;
        let (n, indexed) = (header.n, header.indexed);
        let mut hashes = read_hashes(&mut r, n)?;
        let mut enabled = vec![0u64; n.div_ceil(64)];
        let mut buf = vec![0u8; 1 << 16];
        read_le(&mut r, &mut enabled, &mut buf)?;
        let mut tables = Vec::with_capacity(header.tables.len());
        for &[start, bits, shift] in &header.tables {
            if header.version == 2 {
                // Older tables: skipped whole, rebuilt below.
                let bits = (bits as usize).min(32);
                let len = ((1u64 << bits) + 1 + indexed as u64) * 4;
                let skipped = io::copy(&mut (&mut r).take(len), &mut io::sink())?;
                if skipped < len {
                    return Err(IndexError::Format("truncated".into()));
                }
                continue;
            }
            let mut table = empty_table(start, bits, shift, indexed);
            read_le(&mut r, &mut table.base, &mut buf)?;
            read_all(&mut r, &mut table.rel)?;
            read_all(&mut r, &mut table.ids)?;
            tables.push(checked(table, indexed)?);
        }
        let mut extra = [0u8; 1];
        if r.read(&mut extra)? != 0 {
            return Err(IndexError::Format(
                "there is more data after the index".into(),
            ));
        }
        let pending = hashes.split_off(indexed);
        Ok(MatchIndex::loaded(
            header.version,
            hashes,
            pending,
            enabled,
            tables,
        ))
    }

    /// [`MatchIndex::load`] from a file, the hashes and the tables read at
    /// once on separate threads (positioned reads): on a two-core machine a
    /// ten-million-entry index loads in about half the time, most of which
    /// is the kernel filling fresh pages.
    pub fn load_file(path: &std::path::Path) -> Result<Self, IndexError> {
        let file = std::fs::File::open(path)?;
        let header = Header::read(&mut io::BufReader::new(&file))?;
        if header.version != 3 || cfg!(not(unix)) {
            let mut file = file;
            io::Seek::rewind(&mut file)?;
            return Self::load(io::BufReader::with_capacity(1 << 20, file));
        }
        let (n, indexed) = (header.n, header.indexed);
        // Where each part starts, from the header alone.
        let hashes_at = header.len() as u64;
        let flags_at = hashes_at + n as u64 * 32;
        let mut at = flags_at + n.div_ceil(64) as u64 * 8;
        let mut parts = Vec::with_capacity(header.tables.len());
        for &[start, bits, shift] in &header.tables {
            let table = empty_table(start, bits, shift, indexed);
            let len = table.base.len() * 4 + table.rel.len() + table.ids.len();
            parts.push((table, at));
            at += len as u64;
        }
        let size = file.metadata()?.len();
        if size < at {
            return Err(IndexError::Format("truncated".into()));
        }
        if size > at {
            return Err(IndexError::Format(
                "there is more data after the index".into(),
            ));
        }
        let file = &file;
        let (hashes, tables) = std::thread::scope(|s| {
            let hashes = s.spawn(move || -> Result<_, IndexError> {
                let mut r = Positioned {
                    file,
                    at: hashes_at,
                };
                let hashes = read_hashes(&mut r, n)?;
                let mut enabled = vec![0u64; n.div_ceil(64)];
                read_le(&mut r, &mut enabled, &mut vec![0u8; 1 << 16])?;
                Ok((hashes, enabled))
            });
            let tables = parts
                .into_iter()
                .map(|(mut table, at)| -> Result<WordTable, IndexError> {
                    let mut r = Positioned { file, at };
                    read_le(&mut r, &mut table.base, &mut vec![0u8; 1 << 16])?;
                    read_all(&mut r, &mut table.rel)?;
                    read_all(&mut r, &mut table.ids)?;
                    checked(table, indexed)
                })
                .collect::<Result<Vec<_>, _>>();
            let hashes = hashes
                .join()
                .map_err(|_| IndexError::Format("reading the hashes failed".into()))?;
            Ok::<_, IndexError>((hashes, tables))
        })?;
        let ((mut hashes, enabled), tables) = (hashes?, tables?);
        let pending = hashes.split_off(indexed);
        Ok(MatchIndex::loaded(3, hashes, pending, enabled, tables))
    }

    fn loaded(
        version: u32,
        hashes: Vec<Hash256>,
        pending: Vec<Hash256>,
        enabled: Vec<u64>,
        tables: Vec<WordTable>,
    ) -> MatchIndex {
        let mut idx = MatchIndex {
            indexed: Arc::new(Indexed { hashes, tables }),
            pending,
            enabled,
        };
        if version < 3 {
            idx.rebuild();
        }
        idx
    }
}

/// What a file's header says.
struct Header {
    version: u32,
    /// Entries in all.
    n: usize,
    /// Entries in the tables.
    indexed: usize,
    /// Each table's first bit, width and (version 3) block shift.
    tables: Vec<[u32; 3]>,
}

impl Header {
    fn read(r: &mut impl Read) -> Result<Header, IndexError> {
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)
            .map_err(|_| IndexError::Format("too short".into()))?;
        let version = match &magic {
            m if m == MAGIC => 3,
            m if m == MAGIC_V2 => 2,
            m if m == MAGIC_V1 => 1,
            _ => return Err(IndexError::Format("wrong magic bytes".into())),
        };
        let n = read_u64(r)?;
        if n > u32::MAX as u64 {
            return Err(IndexError::Format(format!(
                "{n} entries is more than an index holds"
            )));
        }
        let n = n as usize;
        let (indexed, tables) = if version > 1 {
            let indexed = read_u64(r)?;
            let m = read_u64(r)?;
            if indexed > n as u64 || m > 256 {
                return Err(IndexError::Format("the header is damaged".into()));
            }
            let fields = if version == 3 { 3 } else { 2 };
            let mut tables = Vec::with_capacity(m as usize);
            for _ in 0..m {
                let mut t = [0u32; 3];
                for v in &mut t[..fields] {
                    *v = read_u32(r)?;
                }
                tables.push(t);
            }
            (indexed as usize, tables)
        } else {
            (0, Vec::new())
        };
        if version == 3 {
            let layout: Vec<(usize, usize)> = tables
                .iter()
                .map(|t| (t[0] as usize, t[1] as usize))
                .collect();
            if !layout.is_empty() && layout != word_layout(indexed) {
                return Err(IndexError::Format(
                    "the tables' layout does not fit the entries".into(),
                ));
            }
        }
        Ok(Header {
            version,
            n,
            indexed,
            tables,
        })
    }

    /// Bytes the header takes in the file.
    fn len(&self) -> usize {
        match self.version {
            1 => 16,
            2 => 32 + 8 * self.tables.len(),
            _ => 32 + 12 * self.tables.len(),
        }
    }
}

/// A version 3 table of `indexed` entries as the header describes it,
/// its arrays allocated to be read into. The header's layout was checked,
/// so the width is at most [`super::tables::MAX_WORD_BITS`].
fn empty_table(start: u32, bits: u32, shift: u32, indexed: usize) -> WordTable {
    let (bits, shift) = (bits as usize, shift.min(32));
    WordTable {
        start: start as usize,
        bits,
        shift,
        base: vec![0u32; ((1usize << bits) >> shift) + 1],
        rel: vec![0u8; (1usize << bits) + 1],
        ids: vec![0u8; ids_len(indexed)],
    }
}

/// The table if it is consistent: bounds that step back or past the
/// entries would make searches miss entries or look at the wrong ones.
fn checked(table: WordTable, indexed: usize) -> Result<WordTable, IndexError> {
    if table.check(indexed) {
        Ok(table)
    } else {
        Err(IndexError::Format(format!(
            "table at bit {} is damaged",
            table.start
        )))
    }
}

/// Reads a file from a place on, without moving a shared cursor (so that
/// threads read their parts of one file at once).
struct Positioned<'a> {
    file: &'a std::fs::File,
    at: u64,
}

impl Read for Positioned<'_> {
    #[cfg(unix)]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }

    #[cfg(not(unix))]
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "positioned reads need a Unix system",
        ))
    }
}

/// `n` hashes, grown as read, so that a header claiming billions of
/// entries in a short file fails as truncated rather than allocating for
/// them.
fn read_hashes(r: &mut impl Read, n: usize) -> Result<Vec<Hash256>, IndexError> {
    let mut hashes = Vec::with_capacity(n.min(1 << 20));
    // A megabyte at a time: a read this large bypasses a `BufReader`'s
    // own buffer instead of being copied through it.
    let mut buf = vec![0u8; (n * 32).clamp(32, 1 << 20)];
    let mut left = n;
    while left > 0 {
        let k = left.min(buf.len() / 32);
        let bytes = &mut buf[..k * 32];
        read_all(r, bytes)?;
        hashes.extend(bytes.chunks_exact(32).map(|c| {
            let mut words = [0u64; 4];
            for (w, b) in words.iter_mut().zip(c.chunks_exact(8)) {
                *w = u64::from_le_bytes(b.try_into().unwrap_or_default());
            }
            Hash256(words)
        }));
        left -= k;
    }
    Ok(hashes)
}

/// `read_exact`, with running out of data reported as truncation.
fn read_all(r: &mut impl Read, buf: &mut [u8]) -> Result<(), IndexError> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => IndexError::Format("truncated".into()),
        _ => IndexError::Io(e),
    })
}

fn read_u64(r: &mut impl Read) -> Result<u64, IndexError> {
    let mut b = [0u8; 8];
    read_all(r, &mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_u32(r: &mut impl Read) -> Result<u32, IndexError> {
    let mut b = [0u8; 4];
    read_all(r, &mut b)?;
    Ok(u32::from_le_bytes(b))
}

/// A number stored little-endian in a fixed width.
trait Le: Copy {
    const BYTES: usize;
    fn put(self, out: &mut Vec<u8>);
    fn take(b: &[u8]) -> Self;
}

macro_rules! le {
    ($t:ty) => {
        impl Le for $t {
            const BYTES: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn take(b: &[u8]) -> Self {
                <$t>::from_le_bytes(b.try_into().unwrap_or_default())
            }
        }
    };
}
le!(u32);
le!(u64);

/// Fills `out` from little-endian bytes, through `buf`, in one pass.
fn read_le<T: Le>(r: &mut impl Read, out: &mut [T], buf: &mut [u8]) -> Result<(), IndexError> {
    for chunk in out.chunks_mut(buf.len() / T::BYTES) {
        let bytes = &mut buf[..chunk.len() * T::BYTES];
        read_all(r, bytes)?;
        for (v, b) in chunk.iter_mut().zip(bytes.chunks_exact(T::BYTES)) {
            *v = T::take(b);
        }
    }
    Ok(())
}

fn write_le<T: Le>(w: &mut impl Write, values: &[T], buf: &mut Vec<u8>) -> Result<(), IndexError> {
    for chunk in values.chunks((1 << 16) / T::BYTES) {
        buf.clear();
        for v in chunk {
            v.put(buf);
        }
        w.write_all(buf)?;
    }
    Ok(())
}
