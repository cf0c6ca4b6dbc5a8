//! Reading admin bodies: every number within a stated range, every text within a length.
//!
//! serde's own errors ("invalid value: integer `-1`, expected u32") name neither the field nor
//! the range, so admin handlers read a JSON object and check each field here.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use serde_json::{Map, Value};

use crate::errors::{ApiError, ApiResult};

/// The JSON object of an admin body, or the wrapped 400.
pub fn object(payload: Result<Json<Value>, JsonRejection>) -> ApiResult<Map<String, Value>> {
    match payload {
        Ok(Json(Value::Object(map))) => Ok(map),
        Ok(Json(_)) => {
            Err(ApiError::bad_request("invalid_json", "Invalid admin request: the body must be a JSON object."))
        }
        Err(e) => Err(ApiError::bad_request("invalid_json", format!("Invalid admin request: {}.", e.body_text()))),
    }
}

/// Reads an optional whole number of any `u64` size (a wait hint, echoed only in headers, so
/// the client tests can be sent the extremes).
pub fn any_unsigned(body: &Map<String, Value>, field: &str) -> ApiResult<Option<u64>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value.as_u64().map(Some).ok_or_else(|| {
            ApiError::invalid(field, "invalid_value", format!("{field} must be an integer from 0 to {}.", u64::MAX))
        }),
    }
}

/// An optional integer field within `min..=max` (null counts as absent).
pub fn integer(body: &Map<String, Value>, field: &str, min: i64, max: i64) -> ApiResult<Option<i64>> {
    let value = match body.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(value) => value,
    };
    let whole =
        value.as_i64().or_else(|| value.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18).map(|f| f as i64));
    match whole {
        Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(ApiError::invalid(field, "invalid_value", format!("{field} must be an integer from {min} to {max}."))),
    }
}

/// An optional number field within `min..=max` (null counts as absent).
pub fn number(body: &Map<String, Value>, field: &str, min: f64, max: f64) -> ApiResult<Option<f64>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_f64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => {
                Err(ApiError::invalid(field, "invalid_value", format!("{field} must be a number from {min} to {max}.")))
            }
        },
    }
}

/// An optional boolean field (null counts as absent).
pub fn boolean(body: &Map<String, Value>, field: &str) -> ApiResult<Option<bool>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(_) => Err(ApiError::invalid(field, "invalid_value", format!("{field} must be true or false."))),
    }
}

/// An optional string field of at most `max_len` bytes; empty counts as absent.
pub fn text(body: &Map<String, Value>, field: &str, max_len: usize) -> ApiResult<Option<String>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.len() <= max_len => Ok(Some(text.clone()).filter(|t| !t.is_empty())),
        Some(_) => Err(ApiError::invalid(
            field,
            "invalid_value",
            format!("{field} must be a string of at most {max_len} bytes."),
        )),
    }
}

/// Converts a checked integer to the field's type (the range check makes this infallible).
pub fn narrow<T: TryFrom<i64> + Default>(value: i64) -> T {
    T::try_from(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_outside_their_range_are_named() {
        let body = json!({"a": 5, "b": -1, "c": 2.5, "d": 1e300, "e": "x", "f": 4.0});
        let body = body.as_object().unwrap();
        assert_eq!(integer(body, "a", 0, 10).unwrap(), Some(5));
        assert_eq!(integer(body, "f", 0, 10).unwrap(), Some(4));
        assert_eq!(integer(body, "missing", 0, 10).unwrap(), None);
        for field in ["b", "c", "d", "e"] {
            let error = integer(body, field, 0, 10).unwrap_err();
            assert_eq!(error.param.as_deref(), Some(field));
            assert!(error.message.contains("from 0 to 10"), "{}", error.message);
        }
        assert!(number(body, "d", 0.0, 1e6).is_err());
        assert_eq!(number(body, "c", 0.0, 10.0).unwrap(), Some(2.5));
        assert!(text(body, "a", 10).is_err());
        assert_eq!(text(body, "e", 1).unwrap().as_deref(), Some("x"));
    }
}
