//! Fingerprints: fast 64-bit hashes that tell whether something changed since the last time it
//! was seen (a content file, a page's inputs, an output file, everything a build reads: see
//! [`crate::build::build`]). Not for security. Output files' fingerprints are kept in the
//! output folder's manifest: should the function change in a later version, files would only be
//! rewritten once (the build's own fingerprint includes the version, so no build is skipped).

use std::hash::{Hash, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// A word-at-a-time hasher, several times faster than std's SipHash on the many small writes a
/// page context makes.
#[derive(Debug, Clone, Copy)]
pub struct FastHasher(u64);

/// [`FastHasher`] for hash maps and sets keyed by the site's own names, slugs and paths
/// (`HashMap<K, V, Fast>`).
pub type Fast = std::hash::BuildHasherDefault<FastHasher>;

impl Default for FastHasher {
    fn default() -> Self {
        FastHasher(0x243f_6a88_85a3_08d3)
    }
}

impl FastHasher {
    fn word(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(26) ^ w).wrapping_mul(K);
    }
}

/// The word of 8 bytes (of `chunks_exact(8)`).
fn word8(c: &[u8]) -> u64 {
    u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])
}

/// The word of up to 8 bytes, zeros after the last.
fn word_of(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let n = bytes.len().min(8);
    word[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(word)
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.word(word8(c));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.word(word_of(rest));
        }
        // The length keeps "ab" + "c" apart from "a" + "bc".
        self.word(bytes.len() as u64);
    }

    fn write_u8(&mut self, i: u8) {
        self.word(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.word(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.word(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.word(i as u64);
    }

    fn finish(&self) -> u64 {
        // Final avalanche, so that close inputs give far apart keys.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Fingerprint of a value.
pub fn of(value: &impl Hash) -> u64 {
    let mut h = FastHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// Fingerprint of a file's bytes.
pub fn of_bytes(bytes: &[u8]) -> u64 {
    let mut h = FastHasher::default();
    h.write(bytes);
    h.finish()
}

/// [`of_bytes`] of a file given in parts ([`crate::output::OutputSink::put_parts`]): the same
/// fingerprint as of the parts joined, wherever they are cut.
#[derive(Debug, Clone, Default)]
pub struct PartsFingerprint {
    hasher: FastHasher,
    /// The bytes of the last part past its last whole word.
    pending: Vec<u8>,
    len: u64,
}

impl PartsFingerprint {
    /// Takes the next part.
    pub fn write(&mut self, mut part: &[u8]) {
        self.len += part.len() as u64;
        if !self.pending.is_empty() {
            let take = (8 - self.pending.len()).min(part.len());
            self.pending.extend_from_slice(&part[..take]);
            part = &part[take..];
            if self.pending.len() < 8 {
                return;
            }
            self.hasher.word(word_of(&self.pending));
            self.pending.clear();
        }
        let mut chunks = part.chunks_exact(8);
        for c in &mut chunks {
            self.hasher.word(word8(c));
        }
        self.pending.extend_from_slice(chunks.remainder());
    }

    /// The fingerprint of all the parts taken.
    pub fn finish(mut self) -> u64 {
        if !self.pending.is_empty() {
            self.hasher.word(word_of(&self.pending));
        }
        self.hasher.word(self.len);
        self.hasher.finish()
    }
}

/// A file date as nanoseconds from 1970 (negative before), the form the manifest stores.
pub fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_in_parts_has_the_fingerprint_of_the_whole() {
        let text: Vec<u8> = (0..200u8).map(|i| i.wrapping_mul(37)).collect();
        for len in [0, 1, 7, 8, 9, 16, 63, 200] {
            let whole = of_bytes(&text[..len]);
            // Every way of cutting it in two and in three.
            for a in 0..=len {
                for b in a..=len {
                    let mut parts = PartsFingerprint::default();
                    parts.write(&text[..a]);
                    parts.write(&text[a..b]);
                    parts.write(&text[b..len]);
                    assert_eq!(parts.finish(), whole, "{len} octets coupés en {a} et {b}");
                }
            }
        }
    }

    #[test]
    fn any_change_changes_the_fingerprint() {
        let base = of_bytes(b"telephone: 04 94 12 34 56\n");
        assert_eq!(base, of_bytes(b"telephone: 04 94 12 34 56\n"));
        assert_ne!(base, of_bytes(b"telephone: 04 94 12 34 57\n"));
        assert_ne!(of_bytes(b""), of_bytes(b"\0"));
        assert_ne!(of(&("ab", "c")), of(&("a", "bc")));
        assert_ne!(of(&(1u64, 2u64)), of(&(2u64, 1u64)));
    }

    #[test]
    fn any_single_byte_change_changes_the_fingerprint() {
        let base = b"Une page de 37 octets, ou presque !!".to_vec();
        let h = of_bytes(&base);
        for i in 0..base.len() {
            let mut b = base.clone();
            b[i] ^= 1;
            assert_ne!(of_bytes(&b), h, "octet {i}");
        }
        assert_ne!(of_bytes(&base[..base.len() - 1]), h);
    }

    #[test]
    fn dates_before_1970_stay_apart() {
        let second = std::time::Duration::from_secs(1);
        assert_eq!(nanos(UNIX_EPOCH + second), 1_000_000_000);
        assert_eq!(nanos(UNIX_EPOCH - second), -1_000_000_000);
    }
}
