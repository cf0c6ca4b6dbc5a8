//! JSON text of the studio's own records (library, tab messages).
//!
//! Written by the client's writer (`sora_client::json`: the browser's `JSON.stringify`); read by
//! the browser's `JSON.parse` and `sora_client::decode`.

use sora_client::decode::{Decode, Node};
pub use sora_client::json::Json;

/// A value with a JSON form.
pub trait ToJson {
    fn to_json(&self) -> Json<'_>;
}

/// The JSON text of `value`.
pub fn to_text<T: ToJson + ?Sized>(value: &T) -> String {
    sora_client::json::to_text(&value.to_json())
}

/// Read a JSON text; `None` when it is not JSON or not a `T`.
pub fn from_text<T: Decode>(text: &str) -> Option<T> {
    T::decode(&js_sys::JSON::parse(text).ok()?).ok()
}

/// Readers of one member, with the rules of the serde derives they replace (absent `Option`s and
/// `#[serde(default)]` members are their default; unknown members are ignored).
pub mod read {
    use super::{Decode, Node};

    fn wrong(key: &str, expected: &str) -> String {
        format!("field `{key}`: expected {expected}")
    }

    /// The member `key`, `None` when absent or `null`.
    pub fn member<N: Node>(node: &N, key: &str) -> Option<N> {
        node.get(key).filter(|v| !v.is_null())
    }

    pub fn object<N: Node>(node: &N) -> Result<(), String> {
        if node.is_object() { Ok(()) } else { Err(String::from("expected an object")) }
    }

    pub fn string<N: Node>(node: &N, key: &str) -> Result<String, String> {
        opt_string(node, key)?.ok_or_else(|| wrong(key, "a string"))
    }

    pub fn opt_string<N: Node>(node: &N, key: &str) -> Result<Option<String>, String> {
        member(node, key).map(|v| v.string().ok_or_else(|| wrong(key, "a string"))).transpose()
    }

    /// A flag; absent (or `null`) is `false`.
    pub fn flag<N: Node>(node: &N, key: &str) -> Result<bool, String> {
        member(node, key).map_or(Ok(false), |v| v.boolean().ok_or_else(|| wrong(key, "a boolean")))
    }

    pub fn number<N: Node>(node: &N, key: &str) -> Result<f64, String> {
        member(node, key).and_then(|v| v.number()).ok_or_else(|| wrong(key, "a number"))
    }

    /// A whole number from `min` to `max` (at most 2^53, as JSON numbers go); `None` when absent or null.
    pub fn opt_whole<N: Node>(node: &N, key: &str, min: f64, max: f64) -> Result<Option<f64>, String> {
        let read =
            |v: N| v.number().filter(|n| n.fract() == 0.0 && (min..=max.min(9_007_199_254_740_992.0)).contains(n));
        member(node, key).map(|v| read(v).ok_or_else(|| wrong(key, "a whole number in range"))).transpose()
    }

    pub fn whole<N: Node>(node: &N, key: &str, min: f64, max: f64) -> Result<f64, String> {
        opt_whole(node, key, min, max)?.ok_or_else(|| wrong(key, "a whole number"))
    }

    /// A required member read by `T`.
    pub fn value<N: Node, T: Decode>(node: &N, key: &str) -> Result<T, String> {
        let value = node.get(key).ok_or_else(|| wrong(key, "a value"))?;
        T::decode(&value).map_err(|e| wrong(key, "a valid value: ") + &e)
    }
}
