//! Readers of one member of a JSON object, for [`Decode`](super::Decode) implementations.
//!
//! Absent members and `null` read alike; unknown members are never looked at. Errors are short
//! texts naming the member.

use super::Node;

/// Largest integer a JSON number holds exactly in a browser (2^53).
pub const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

/// The error text for member `key` not holding what was `expected`.
pub fn wrong(key: &str, expected: &str) -> String {
    ["field `", key, "`: expected ", expected].concat()
}

/// The member `key`, `None` when absent or `null`.
pub fn member<N: Node>(node: &N, key: &str) -> Option<N> {
    node.get(key).filter(|v| !v.is_null())
}

/// Check that `node` is an object.
pub fn object<N: Node>(node: &N) -> Result<(), String> {
    if node.is_object() { Ok(()) } else { Err(String::from("expected an object")) }
}

/// A string member; `None` when absent or null.
pub fn opt_string<N: Node>(node: &N, key: &str) -> Result<Option<String>, String> {
    member(node, key).map(|v| v.string().ok_or_else(|| wrong(key, "a string"))).transpose()
}

/// A string member that must be there.
pub fn string<N: Node>(node: &N, key: &str) -> Result<String, String> {
    opt_string(node, key)?.ok_or_else(|| wrong(key, "a string"))
}

/// A string member; absent or null is empty.
pub fn string_or_empty<N: Node>(node: &N, key: &str) -> Result<String, String> {
    opt_string(node, key).map(Option::unwrap_or_default)
}

/// A boolean member; absent or null is `false`.
pub fn flag<N: Node>(node: &N, key: &str) -> Result<bool, String> {
    member(node, key).map_or(Ok(false), |v| v.boolean().ok_or_else(|| wrong(key, "a boolean")))
}

/// A number member that must be there.
pub fn number<N: Node>(node: &N, key: &str) -> Result<f64, String> {
    member(node, key).and_then(|v| v.number()).ok_or_else(|| wrong(key, "a number"))
}

/// A whole number member; `None` when absent or null.
pub fn opt_integer<N: Node>(node: &N, key: &str) -> Result<Option<i64>, String> {
    member(node, key).map(|v| v.integer().ok_or_else(|| wrong(key, "an integer"))).transpose()
}

/// A whole number member from `min` to `max` (at most 2^53); `None` when absent or null.
pub fn opt_whole<N: Node>(node: &N, key: &str, min: f64, max: f64) -> Result<Option<f64>, String> {
    let read = |v: N| v.number().filter(|n| n.fract() == 0.0 && (min..=max.min(MAX_SAFE)).contains(n));
    member(node, key).map(|v| read(v).ok_or_else(|| wrong(key, "a whole number in range"))).transpose()
}

/// A whole number member from `min` to `max` that must be there.
pub fn whole<N: Node>(node: &N, key: &str, min: f64, max: f64) -> Result<f64, String> {
    opt_whole(node, key, min, max)?.ok_or_else(|| wrong(key, "a whole number"))
}

/// A count sent as a number or a decimal string; absent or null is 0.
pub fn count<N: Node>(node: &N, key: &str) -> Result<u32, String> {
    let Some(value) = member(node, key) else {
        return Ok(0);
    };
    let parsed = match value.string() {
        Some(text) => text.trim().parse().ok(),
        None => {
            value.number().filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n)).map(|n| n as u32)
        }
    };
    parsed.ok_or_else(|| wrong(key, "a non-negative integer or a string holding one"))
}

/// A count that must be there (`null` reads as 0), read like [`count`].
pub fn required_count<N: Node>(node: &N, key: &str) -> Result<u32, String> {
    if node.get(key).is_none() {
        return Err(wrong(key, "a value"));
    }
    count(node, key)
}

/// A member read by `T`, that must be there.
pub fn value<N: Node, T: super::Decode>(node: &N, key: &str) -> Result<T, String> {
    let value = node.get(key).ok_or_else(|| wrong(key, "a value"))?;
    T::decode(&value).map_err(|e| wrong(key, "a valid value: ") + &e)
}

/// An array member of `T`s; absent or null is empty.
pub fn list<N: Node, T: super::Decode>(node: &N, key: &str) -> Result<Vec<T>, String> {
    let Some(value) = member(node, key) else {
        return Ok(Vec::new());
    };
    let items = value.elements().ok_or_else(|| wrong(key, "an array"))?;
    items.iter().map(|item| T::decode(item).map_err(|e| wrong(key, "objects: ") + &e)).collect()
}
