//! Reading the service's answers field by field from a parsed JSON tree.
//!
//! One description per response type, generic over the tree ([`Node`]): the browser's `JSON.parse`
//! result on wasm, a `serde_json::Value` natively.
//!
//! Unknown fields are ignored, unknown status and failure values kept, `null` read as the default,
//! counts accepted as numbers or decimal strings.

use crate::types::{FailureReason, JobStatus, VideoGeneration, VideoGenerationJob, VideoGenerationJobList};

/// A parsed JSON value.
pub trait Node: Sized {
    /// The member `key` of an object (maybe `null`); `None` when absent or this is not an object.
    fn get(&self, key: &str) -> Option<Self>;
    fn is_null(&self) -> bool;
    /// Whether this is an object (not an array, not `null`).
    fn is_object(&self) -> bool;
    fn string(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    /// A whole number: any the platform's parser holds exactly (at least up to 2^53).
    fn integer(&self) -> Option<i64> {
        self.number().filter(|n| n.fract() == 0.0 && n.abs() <= MAX_SAFE).map(|n| n as i64)
    }
    fn boolean(&self) -> Option<bool>;
    /// The elements, when this is an array.
    fn elements(&self) -> Option<Vec<Self>>;
}

/// A type read from a [`Node`]; errors are short texts naming the field.
pub trait Decode: Sized {
    fn decode<N: Node>(node: &N) -> Result<Self, String>;
}

/// Largest integer a JSON number holds exactly in a browser (2^53).
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

fn wrong(key: &str, expected: &str) -> String {
    let mut message = String::from("field `");
    message.push_str(key);
    message.push_str("`: expected ");
    message.push_str(expected);
    message
}

/// The member `key`, `None` when absent or `null`.
fn member<N: Node>(node: &N, key: &str) -> Option<N> {
    node.get(key).filter(|v| !v.is_null())
}

/// A required object.
fn object<N: Node>(node: &N) -> Result<(), String> {
    if node.is_object() { Ok(()) } else { Err(String::from("expected an object")) }
}

/// A string member; `None` when absent or null.
pub(crate) fn opt_string<N: Node>(node: &N, key: &str) -> Result<Option<String>, String> {
    member(node, key).map(|v| v.string().ok_or_else(|| wrong(key, "a string"))).transpose()
}

fn string<N: Node>(node: &N, key: &str) -> Result<String, String> {
    opt_string(node, key).map(Option::unwrap_or_default)
}

fn required_string<N: Node>(node: &N, key: &str) -> Result<String, String> {
    opt_string(node, key)?.ok_or_else(|| wrong(key, "a string"))
}

/// A whole number member; `None` when absent or null.
fn opt_i64<N: Node>(node: &N, key: &str) -> Result<Option<i64>, String> {
    member(node, key).map(|v| v.integer().ok_or_else(|| wrong(key, "an integer"))).transpose()
}

/// A count sent as a number or a decimal string; absent or null is 0.
fn count<N: Node>(node: &N, key: &str) -> Result<u32, String> {
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

/// A required count: like [`count`], but the member must be there (`null` reads as 0).
fn required_count<N: Node>(node: &N, key: &str) -> Result<u32, String> {
    if node.get(key).is_none() {
        return Err(wrong(key, "a value"));
    }
    count(node, key)
}

/// An array member of objects; absent or null is empty.
fn list<N: Node, T: Decode>(node: &N, key: &str) -> Result<Vec<T>, String> {
    let Some(value) = member(node, key) else {
        return Ok(Vec::new());
    };
    let items = value.elements().ok_or_else(|| wrong(key, "an array"))?;
    items.iter().map(|item| T::decode(item).map_err(|e| wrong(key, "objects: ") + &e)).collect()
}

impl Decode for VideoGeneration {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        object(node)?;
        Ok(Self {
            id: required_string(node, "id")?,
            job_id: string(node, "job_id")?,
            created_at: opt_i64(node, "created_at")?.unwrap_or(0),
            width: required_count(node, "width")?,
            height: required_count(node, "height")?,
            n_seconds: count(node, "n_seconds")?,
            prompt: string(node, "prompt")?,
        })
    }
}

impl Decode for VideoGenerationJob {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        object(node)?;
        Ok(Self {
            id: required_string(node, "id")?,
            status: JobStatus::from_wire(&required_string(node, "status")?),
            created_at: opt_i64(node, "created_at")?.unwrap_or(0),
            finished_at: opt_i64(node, "finished_at")?,
            expires_at: opt_i64(node, "expires_at")?,
            generations: list(node, "generations")?,
            prompt: string(node, "prompt")?,
            model: string(node, "model")?,
            n_variants: count(node, "n_variants")?,
            n_seconds: count(node, "n_seconds")?,
            height: count(node, "height")?,
            width: count(node, "width")?,
            failure_reason: opt_string(node, "failure_reason")?.map(|r| FailureReason::from_wire(&r)),
        })
    }
}

impl Decode for VideoGenerationJobList {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        object(node)?;
        let has_more = match member(node, "has_more") {
            None => false,
            Some(v) => v.boolean().ok_or_else(|| wrong("has_more", "a boolean"))?,
        };
        Ok(Self {
            data: list(node, "data")?,
            has_more,
            first_id: opt_string(node, "first_id")?,
            last_id: opt_string(node, "last_id")?,
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Node for serde_json::Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }
    fn is_null(&self) -> bool {
        self.is_null()
    }
    fn is_object(&self) -> bool {
        self.is_object()
    }
    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    /// serde_json keeps integers exactly, up to `i64::MAX`.
    fn integer(&self) -> Option<i64> {
        self.as_i64().or_else(|| self.number().filter(|n| n.fract() == 0.0 && n.abs() <= MAX_SAFE).map(|n| n as i64))
    }
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn elements(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}
