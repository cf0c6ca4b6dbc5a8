//! JSON reading and writing: `serde_json` natively, the browser's own `JSON` on wasm.
//!
//! On wasm the browser's parser is free, while `serde_json` would add tens of kilobytes to the module.

use serde::{Serialize, de::DeserializeOwned};

use crate::error::{Error, snippet};

/// The largest JSON body this client reads (16 MiB). A job list of 100 jobs is a few hundred
/// kilobytes; anything far larger is not an answer of the service, and is refused before parsing.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Parse a response body.
///
/// # Errors
/// [`Error::Decode`] with the start of the body when it is not JSON of the expected shape, or is
/// larger than [`MAX_BODY_BYTES`].
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    check_size(body.len() as u64).map_err(|message| Error::Decode { message, snippet: snippet(body) })?;
    parse_impl(body).map_err(|message| Error::Decode { message, snippet: snippet(body) })
}

/// Refuse a JSON body of `bytes` (from `Content-Length` or as read) above [`MAX_BODY_BYTES`].
pub(crate) fn check_size(bytes: u64) -> Result<(), String> {
    if bytes > MAX_BODY_BYTES {
        Err(format!(
            "response too large: {bytes} bytes where JSON was expected; this client reads at most {MAX_BODY_BYTES}"
        ))
    } else {
        Ok(())
    }
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
