//! Message text without `core::fmt`.
//!
//! The client's messages are built with `concat` and [`decimal`] instead of `format!`, so the npm
//! package carries none of `core::fmt`'s machinery (argument tables, padding, the integer printer).
//! With the request built without gloo-net's builder (`fetch.rs`), that took 1,688 bytes off the
//! gzipped package. Host-only code (tests, serde paths) may still format.

/// `n` in decimal digits.
pub(crate) fn decimal(mut n: u64) -> String {
    // Hand-written rather than the `itoa` crate: ten lines, and smaller in the wasm than its tables.
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    // Only ASCII digits were pushed.
    String::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn matches_to_string() {
        for n in [0, 1, 9, 10, 99, 100, 101, 4_000, 65_535, 1_000_000_007, u64::from(u32::MAX), u64::MAX - 1, u64::MAX]
        {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
