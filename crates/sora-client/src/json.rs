//! JSON reading and writing: `serde_json` natively, the browser's own `JSON` on wasm.
//!
//! A body is parsed into the platform's tree and read by the one decoder ([`Decode`]); values to
//! send are built as a [`Json`] tree and written by the platform's writer.

use crate::decode::Decode;
use crate::error::{Error, snippet};

/// The largest JSON body this client reads (16 MiB). A job list of 100 jobs is a few hundred
/// kilobytes; anything far larger is not an answer of the service, and is refused before parsing.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Parse a response body and read a `T` from it.
///
/// # Errors
/// [`Error::Decode`] with the start of the body when it is not JSON of the expected shape, or is
/// larger than [`MAX_BODY_BYTES`].
pub fn decode<T: Decode>(body: &[u8]) -> Result<T, Error> {
    let fail = |message: String| Error::Decode { message, snippet: snippet(body) };
    check_size(body.len() as u64).map_err(fail)?;
    let tree = parse_tree(body).map_err(fail)?;
    T::decode(&tree).map_err(fail)
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

#[cfg(not(target_arch = "wasm32"))]
fn parse_tree(body: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
fn parse_tree(body: &[u8]) -> Result<wasm_bindgen::JsValue, String> {
    let text = std::str::from_utf8(body).map_err(|_| String::from("not UTF-8"))?;
    js_sys::JSON::parse(text).map_err(|_| String::from("not JSON"))
}

/// A JSON value to write: built by hand, written by the platform (`serde_json` natively, the
/// browser's `JSON.stringify` on wasm). Object members keep the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Str(&'a str),
    /// A number as `JSON.stringify` writes it: whole numbers without a fraction, `null` when not finite.
    Num(f64),
    Obj(Vec<(&'a str, Json<'a>)>),
    Arr(Vec<Json<'a>>),
}

impl<'a> Json<'a> {
    /// `Str`, or `Null` for `None`.
    pub fn opt_str(value: Option<&'a str>) -> Self {
        value.map_or(Self::Null, Self::Str)
    }

    /// `Num`, or `Null` for `None`.
    pub fn opt_num(value: Option<f64>) -> Self {
        value.map_or(Self::Null, Self::Num)
    }
}

/// The JSON text of `value`.
pub fn to_text(value: &Json<'_>) -> String {
    write_impl(value)
}

#[cfg(not(target_arch = "wasm32"))]
fn write_impl(value: &Json<'_>) -> String {
    // Writing a tree of strings and numbers to a String cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// Members in the order given (a `serde_json::Map` would sort them).
#[cfg(not(target_arch = "wasm32"))]
impl serde::Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::decode::read::MAX_SAFE;
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Str(s) => serializer.serialize_str(s),
            // Whole numbers as JSON.stringify writes them (`480`, not `480.0`).
            Json::Num(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE => serializer.serialize_i64(*n as i64),
            Json::Num(n) => serializer.serialize_f64(*n),
            Json::Obj(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            Json::Arr(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn write_impl(value: &Json<'_>) -> String {
    // A tree of plain values without cycles always stringifies.
    js_sys::JSON::stringify(&to_js(value)).map(String::from).unwrap_or_default()
}

#[cfg(target_arch = "wasm32")]
fn to_js(value: &Json<'_>) -> wasm_bindgen::JsValue {
    use wasm_bindgen::JsValue;
    match value {
        Json::Null => JsValue::NULL,
        Json::Bool(b) => JsValue::from_bool(*b),
        Json::Str(s) => JsValue::from_str(s),
        Json::Num(n) => JsValue::from_f64(*n),
        Json::Obj(fields) => {
            let object = js_sys::Object::new();
            for (key, value) in fields {
                // Setting a property on a fresh plain object cannot fail.
                let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &to_js(value));
            }
            object.into()
        }
        Json::Arr(items) => items.iter().map(to_js).collect::<js_sys::Array>().into(),
    }
}

#[cfg(target_arch = "wasm32")]
impl crate::decode::Node for wasm_bindgen::JsValue {
    fn get(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        js_sys::Reflect::get(self, &Self::from_str(key)).ok().filter(|v| !v.is_undefined())
    }
    fn is_null(&self) -> bool {
        Self::is_null(self)
    }
    fn is_object(&self) -> bool {
        Self::is_object(self) && !js_sys::Array::is_array(self)
    }
    fn string(&self) -> Option<String> {
        self.as_string()
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn elements(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(self).then(|| js_sys::Array::from(self).iter().collect())
    }
}
