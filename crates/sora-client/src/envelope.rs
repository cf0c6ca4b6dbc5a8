//! The service's error bodies, in both envelopes: the spec's flat one and the wrapped
//! `{"error": {...}}` seen on the wire, read alike by serde (native) and the tree decoder (wasm).

use serde::{Deserialize, Deserializer, de};

use crate::decode::{Decode, Node};
use crate::text::decimal;

/// What an error body says, from whichever envelope carried it; members absent or not text are `None`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub param: Option<String>,
    pub error_type: Option<String>,
    /// `inner_error.code`.
    pub inner_code: Option<String>,
    /// `inner_error.revised_prompt`.
    pub revised_prompt: Option<String>,
}

/// Read an error body; anything that is not a JSON object reads as empty.
pub(crate) fn read(body: &[u8]) -> ErrorBody {
    let fields = crate::json::decode::<Envelope>(body).map(Envelope::into_fields).unwrap_or_default();
    let (inner_code, revised_prompt) = fields.inner_error.map_or((None, None), |i| (i.code, i.revised_prompt));
    ErrorBody {
        code: fields.code,
        message: fields.message,
        param: fields.param,
        error_type: fields.error_type,
        inner_code,
        revised_prompt,
    }
}

#[derive(Debug, Default, Deserialize)]
struct ErrorFields {
    #[serde(default, deserialize_with = "loose_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    message: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    param: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "loose_string")]
    error_type: Option<String>,
    #[serde(default)]
    inner_error: Option<InnerError>,
}

#[derive(Debug, Default, Deserialize)]
struct InnerError {
    #[serde(default, deserialize_with = "loose_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    revised_prompt: Option<String>,
}

/// Both envelopes at once: the wrapped `error` member wins over flat fields.
///
/// The flat fields are spelled out rather than `#[serde(flatten)]`ed: flatten buffers the whole
/// object and costs kilobytes of wasm.
#[derive(Debug, Default, Deserialize)]
struct Envelope {
    #[serde(default)]
    error: Option<WrappedError>,
    #[serde(default, deserialize_with = "loose_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    message: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    param: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "loose_string")]
    error_type: Option<String>,
    #[serde(default)]
    inner_error: Option<InnerError>,
}

impl Envelope {
    fn into_fields(self) -> ErrorFields {
        let flat = ErrorFields {
            code: self.code,
            message: self.message,
            param: self.param,
            error_type: self.error_type,
            inner_error: self.inner_error,
        };
        match self.error {
            Some(WrappedError::Object(fields)) => fields,
            Some(WrappedError::Text(message)) => ErrorFields { message: Some(message), ..flat },
            None => flat,
        }
    }
}

#[derive(Debug)]
enum WrappedError {
    Object(ErrorFields),
    Text(String),
}

impl<'de> Deserialize<'de> for WrappedError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WrappedVisitor;
        impl<'de> de::Visitor<'de> for WrappedVisitor {
            type Value = WrappedError;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an error object or message")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WrappedError, E> {
                Ok(WrappedError::Text(v.to_owned()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<WrappedError, A::Error> {
                ErrorFields::deserialize(de::value::MapAccessDeserializer::new(map)).map(WrappedError::Object)
            }
        }
        deserializer.deserialize_any(WrappedVisitor)
    }
}

impl Decode for Envelope {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        let flat = ErrorFields::decode(node)?;
        let error = match node.get("error").filter(|e| !e.is_null()) {
            None => None,
            Some(e) if e.is_object() => Some(WrappedError::Object(ErrorFields::decode(&e)?)),
            Some(e) => Some(WrappedError::Text(e.string().ok_or("`error`: expected an object or a string")?)),
        };
        let ErrorFields { code, message, param, error_type, inner_error } = flat;
        Ok(Self { error, code, message, param, error_type, inner_error })
    }
}

impl Decode for ErrorFields {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        if !node.is_object() {
            return Err("expected an object".into());
        }
        let inner_error = match node.get("inner_error").filter(|e| !e.is_null()) {
            None => None,
            Some(e) if e.is_object() => {
                Some(InnerError { code: loose(&e, "code"), revised_prompt: loose(&e, "revised_prompt") })
            }
            Some(_) => return Err("`inner_error`: expected an object".into()),
        };
        Ok(Self {
            code: loose(node, "code"),
            message: loose(node, "message"),
            param: loose(node, "param"),
            error_type: loose(node, "type"),
            inner_error,
        })
    }
}

/// [`loose_string`] over a parsed tree: a string, number or boolean member as text, else `None`.
fn loose<N: Node>(node: &N, key: &str) -> Option<String> {
    let value = node.get(key)?;
    if let Some(text) = value.string() {
        return Some(text);
    }
    if let Some(flag) = value.boolean() {
        return Some(String::from(if flag { "true" } else { "false" }));
    }
    // Codes are integers when numeric.
    let number = value.number()?;
    let sign = if number < 0.0 { "-" } else { "" };
    (number.fract() == 0.0 && number.abs() < 1e15).then(|| [sign, &decimal(number.abs() as u64)].concat())
}

/// Accept a string, number or boolean as text; anything else (null, objects) as absent.
fn loose_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct LooseVisitor;
    impl<'de> de::Visitor<'de> for LooseVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // Codes are integers when numeric (JSON.parse hands them over as f64 on wasm).
            Ok((v.fract() == 0.0 && v.abs() < 1e15).then(|| (v as i64).to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(LooseVisitor)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    deserializer.deserialize_any(LooseVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The serde envelope and the tree decoder used on wasm read every shape alike.
    #[test]
    fn envelope_decoders_agree() {
        let members = ["code", "message", "param", "type"];
        let values =
            ["\"x\"", "5", "-3", "-0.0", "1e3", "123456789012", "1.5", "true", "null", "[]", "[1]", "{}", "{\"a\":1}"];
        let mut bodies = vec![
            r#"{"error":"plain text"}"#.to_owned(),
            r#"{"error":5}"#.to_owned(),
            r#"{"error":null,"message":"flat"}"#.to_owned(),
            r#"{"error":[],"message":"flat"}"#.to_owned(),
            r#"{"inner_error":5}"#.to_owned(),
            r#"{"inner_error":{"code":"ResponsibleAIPolicyViolation","revised_prompt":7}}"#.to_owned(),
            r#"{"error":{"code":"x","inner_error":{"code":true,"revised_prompt":"safer"}},"message":"flat"}"#
                .to_owned(),
        ];
        for member in members {
            for value in values {
                bodies.push(format!(r#"{{"{member}":{value}}}"#));
                bodies.push(format!(r#"{{"error":{{"{member}":{value}}},"message":"flat"}}"#));
            }
        }
        for body in bodies {
            let serde = serde_json::from_str::<Envelope>(&body).map(|e| format!("{e:?}")).ok();
            let tree: serde_json::Value = serde_json::from_str(&body).unwrap();
            let ours = Envelope::decode(&tree).map(|e| format!("{e:?}")).ok();
            assert_eq!(serde, ours, "{body}");
        }
    }
}
