//! Reading the service's answers field by field from a parsed JSON tree.
//!
//! One description per response type, generic over the tree ([`Node`]): the browser's `JSON.parse`
//! result on wasm, a `serde_json::Value` natively.
//!
//! Unknown fields are ignored, unknown status and failure values kept, `null` read as the default,
//! counts accepted as numbers or decimal strings.

pub mod read;

use crate::types::{FailureReason, JobStatus, Page, VideoGeneration, VideoGenerationJob};
use read::{MAX_SAFE, count, flag, list, object, opt_integer, opt_string, required_count, string, string_or_empty};

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

impl Decode for VideoGeneration {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        object(node)?;
        Ok(Self {
            id: string(node, "id")?,
            job_id: string_or_empty(node, "job_id")?,
            created_at: opt_integer(node, "created_at")?.unwrap_or(0),
            width: required_count(node, "width")?,
            height: required_count(node, "height")?,
            n_seconds: count(node, "n_seconds")?,
            prompt: string_or_empty(node, "prompt")?,
        })
    }
}

impl Decode for VideoGenerationJob {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        object(node)?;
        Ok(Self {
            id: string(node, "id")?,
            status: JobStatus::from_wire(&string(node, "status")?),
            created_at: opt_integer(node, "created_at")?.unwrap_or(0),
            finished_at: opt_integer(node, "finished_at")?,
            expires_at: opt_integer(node, "expires_at")?,
            generations: list(node, "generations")?,
            prompt: string_or_empty(node, "prompt")?,
            model: string_or_empty(node, "model")?,
            n_variants: count(node, "n_variants")?,
            n_seconds: count(node, "n_seconds")?,
            height: count(node, "height")?,
            width: count(node, "width")?,
            failure_reason: opt_string(node, "failure_reason")?.map(|r| FailureReason::from_wire(&r)),
        })
    }
}

impl<T: Decode> Decode for Page<T> {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        object(node)?;
        Ok(Self {
            data: list(node, "data")?,
            has_more: flag(node, "has_more")?,
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
