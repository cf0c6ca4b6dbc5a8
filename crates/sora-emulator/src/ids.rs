//! Identifiers: ULID-style job and generation ids, hex video ids, and request ids.

use std::sync::Mutex;

/// Crockford base32 in lowercase, as real `task_01jw...` ids use.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Makes ids whose text order is their creation order (so list cursors compare by text).
#[derive(Debug, Default)]
pub struct IdMaker {
    last: Mutex<(u64, u128)>,
}

impl IdMaker {
    /// Returns `prefix` + 26 lowercase base32 characters (48-bit ms time, 80-bit random).
    pub fn next(&self, prefix: &str, now_ms: u64) -> String {
        format!("{prefix}{}", encode(self.value(now_ms)))
    }

    /// Returns `prefix` + 32 lowercase hex digits of the same ordered value (the Videos API's
    /// `video_...` shape); text order is still creation order.
    pub fn next_hex(&self, prefix: &str, now_ms: u64) -> String {
        format!("{prefix}{:032x}", self.value(now_ms))
    }

    /// The next 128-bit value: 48-bit ms time, then 80 random bits, strictly increasing.
    fn value(&self, now_ms: u64) -> u128 {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let (last_ms, last_random) = *last;
        // Within one millisecond (or if the clock stepped back) increment, so ids stay strictly ordered.
        let (ms, random) = if now_ms <= last_ms {
            (last_ms, (last_random + 1) & ((1u128 << 80) - 1))
        } else {
            (now_ms, (u128::from(fastrand::u64(..)) << 16 | u128::from(fastrand::u16(..))) >> 1)
        };
        *last = (ms, random);
        (u128::from(ms & ((1 << 48) - 1)) << 80) | random
    }
}

/// Encodes 128 bits as 26 base32 characters, most significant first.
fn encode(value: u128) -> String {
    (0..26).rev().map(|i| char::from(ALPHABET[((value >> (i * 5)) & 31) as usize])).collect()
}

/// Whether `text` has the shape of an id made with `prefix`.
pub fn is_well_formed(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|rest| rest.len() == 26 && rest.bytes().all(|b| ALPHABET.contains(&b)))
}

/// Whether `text` has the shape of an id made with [`IdMaker::next_hex`] and `prefix`.
pub fn is_hex_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|rest| rest.len() == 32 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A random UUID-shaped request id (version 4 layout).
pub fn request_id() -> String {
    let a = fastrand::u32(..);
    let b = fastrand::u16(..);
    let c = (fastrand::u16(..) & 0x0fff) | 0x4000;
    let d = (fastrand::u16(..) & 0x3fff) | 0x8000;
    let e = fastrand::u64(..) & 0xffff_ffff_ffff;
    format!("{a:08x}-{b:04x}-{c:04x}-{d:04x}-{e:012x}")
}

/// An opaque bearer token.
pub fn token() -> String {
    let body: String = (0..40).map(|_| char::from(ALPHABET[fastrand::usize(..32)])).collect();
    format!("emu_{body}")
}

/// An unguessable admin token (32 bytes from the OS as hex), or an error if the OS has no source.
pub fn admin_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ordered_and_well_formed() {
        let maker = IdMaker::default();
        let a = maker.next("task_", 1_700_000_000_000);
        let b = maker.next("task_", 1_700_000_000_000);
        let c = maker.next("task_", 1_700_000_000_001);
        assert!(a < b && b < c, "{a} {b} {c}");
        assert!(is_well_formed(&a, "task_"));
        assert!(!is_well_formed("task_x", "task_"));
        let (x, y) = (maker.next_hex("video_", 1_700_000_000_002), maker.next_hex("video_", 1_700_000_000_002));
        assert!(x < y && is_hex_id(&x, "video_") && !is_hex_id("video_12", "video_"), "{x} {y}");
        assert_eq!(request_id().len(), 36);
    }
}
