//! JSON text of the studio's own records (library, tab messages), without serde.
//!
//! Written by a small writer; read by the browser's `JSON.parse` and `sora_client::decode`. serde
//! (its derives and serde-wasm-bindgen) here cost 22 KB of the studio's wasm, 9.5 KB gzipped.

use std::fmt::Write;

use sora_client::decode::{Decode, Node};

/// A value that writes itself as JSON text.
pub trait Encode {
    fn encode(&self, out: &mut String);
}

/// The JSON text of `value`.
pub fn to_text<T: Encode + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.encode(&mut out);
    out
}

/// Read a JSON text; `None` when it is not JSON or not a `T`.
pub fn from_text<T: Decode>(text: &str) -> Option<T> {
    T::decode(&js_sys::JSON::parse(text).ok()?).ok()
}

/// Write `value` as a JSON string, escaped as JSON.stringify (and serde_json) escape it.
pub fn string(out: &mut String, value: &str) {
    match js_sys::JSON::stringify(&value.into()).ok().and_then(|text| text.as_string()) {
        Some(text) => out.push_str(&text),
        // Not reached (any string can be stringified); an empty string keeps the text valid JSON.
        None => out.push_str("\"\""),
    }
}

/// An object being written: members in the order given, then [`Object::end`].
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Self { out, empty: true }
    }

    /// Start the member `key`; its value is written next, into the returned text.
    pub fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        string(self.out, key);
        self.out.push(':');
        self.out
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        string(self.key(key), value);
        self
    }

    /// A whole number (as JSON.stringify writes it).
    pub fn int(&mut self, key: &str, value: impl std::fmt::Display) -> &mut Self {
        let _ = write!(self.key(key), "{value}");
        self
    }

    /// A number as JSON.stringify writes it (`null` when not finite).
    ///
    /// JavaScript writes it: Rust's `f64` formatting would bring its conversion tables (kilobytes).
    pub fn num(&mut self, key: &str, value: f64) -> &mut Self {
        let text = js_sys::JSON::stringify(&value.into()).ok().and_then(|text| text.as_string());
        self.key(key).push_str(text.as_deref().unwrap_or("null"));
        self
    }

    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    pub fn null(&mut self, key: &str) -> &mut Self {
        self.key(key).push_str("null");
        self
    }

    /// A value of `key` written by `T` itself.
    pub fn value<T: Encode + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        value.encode(self.key(key));
        self
    }

    /// `null` for `None` (serde writes absent options so).
    pub fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => self.str(key, value),
            None => self.null(key),
        }
    }

    pub fn opt_int(&mut self, key: &str, value: Option<impl std::fmt::Display>) -> &mut Self {
        match value {
            Some(value) => self.int(key, value),
            None => self.null(key),
        }
    }

    pub fn end(&mut self) {
        self.out.push('}');
    }
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
