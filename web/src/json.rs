//! JSON text of the studio's own records (library, tab messages).
//!
//! Written by the client's writer (`sora_client::json`: the browser's `JSON.stringify`); read by
//! the browser's `JSON.parse` and `sora_client::decode`.

use sora_client::decode::Decode;
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
