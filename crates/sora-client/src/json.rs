//! JSON reading and writing: `serde_json` natively, the browser's own `JSON` on wasm.
//!
//! On wasm the browser's parser is free, while `serde_json` would add tens of kilobytes to the module.

use serde::{Serialize, de::DeserializeOwned};

use crate::error::{Error, snippet};

/// Parse a response body.
///
/// # Errors
/// [`Error::Decode`] with the start of the body when it is not JSON of the expected shape.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    parse_impl(body).map_err(|message| Error::Decode { message, snippet: snippet(body) })
}

/// Serialize a request body.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, Error> {
    to_string_impl(value).map_err(|message| Error::Validation { field: "body", message })
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_impl<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
fn to_string_impl<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
fn parse_impl<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(body).map_err(|_| String::from("not UTF-8"))?;
    let value = js_sys::JSON::parse(text).map_err(|_| String::from("not JSON"))?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
fn to_string_impl<T: Serialize>(value: &T) -> Result<String, String> {
    // Plain objects, not Maps, so JSON.stringify sees the fields.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = value.serialize(&serializer).map_err(|e| e.to_string())?;
    js_sys::JSON::stringify(&value)
        .map(String::from)
        .map_err(|_| String::from("JSON.stringify failed"))
}
