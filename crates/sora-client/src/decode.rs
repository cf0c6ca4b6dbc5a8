//! Reading the service's answers field by field from an already parsed JSON tree, without serde.
//!
//! One description per response type, generic over the tree ([`Node`]). On wasm it reads the
//! browser's `JSON.parse` result directly: serde there (through `serde-wasm-bindgen`) cost tens of
//! kilobytes of module. Natively the serde derives in `types.rs` stay the decoder, and the unit
//! tests below run this one over `serde_json::Value` on the same fixtures, so both agree.
//!
//! The rules are those of the serde path: unknown fields ignored, unknown status and failure
//! values kept, `null` read as the default, counts accepted as numbers or decimal strings.

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

/// A whole number member (as JSON numbers go: up to 2^53); `None` when absent or null.
fn opt_i64<N: Node>(node: &N, key: &str) -> Result<Option<i64>, String> {
    let read = |v: N| v.number().filter(|n| n.fract() == 0.0 && n.abs() <= MAX_SAFE).map(|n| n as i64);
    member(node, key).map(|v| read(v).ok_or_else(|| wrong(key, "an integer"))).transpose()
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
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn elements(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

/// JSON texts on which the serde path and [`Decode`] must agree, for tests on both platforms:
/// valid job, generation and list bodies, then each with every member removed and set to each of
/// a set of awkward values.
#[doc(hidden)]
pub fn cross_check_fixtures() -> Vec<(&'static str, String)> {
    const GENERATION: &[(&str, &str)] = &[
        ("object", "\"video.generation\""),
        ("id", "\"gen_1\""),
        ("job_id", "\"task_1\""),
        ("created_at", "1700000000"),
        ("width", "480"),
        ("height", "\"480\""),
        ("n_seconds", "5"),
        ("prompt", "\"a fox\""),
    ];
    const JOB: &[(&str, &str)] = &[
        ("object", "\"video.generation.job\""),
        ("id", "\"task_1\""),
        ("status", "\"succeeded\""),
        ("created_at", "1700000000"),
        ("finished_at", "1700000060"),
        ("expires_at", "null"),
        ("generations", "[{\"id\":\"gen_1\",\"width\":480,\"height\":480}]"),
        ("prompt", "\"a fox\""),
        ("model", "\"sora\""),
        ("n_variants", "\"2\""),
        ("n_seconds", "5"),
        ("height", "480"),
        ("width", "854"),
        ("failure_reason", "\"something_new\""),
        ("inpaint_items", "[]"),
    ];
    const LIST: &[(&str, &str)] = &[
        ("object", "\"list\""),
        (
            "data",
            "[{\"id\":\"task_1\",\"status\":\"queued\"},{\"id\":\"task_2\",\"status\":\"brand_new\",\"generations\":null}]",
        ),
        ("has_more", "true"),
        ("first_id", "\"task_1\""),
        ("last_id", "\"task_2\""),
    ];
    const AWKWARD: &[&str] = &[
        "null",
        "\"5\"",
        "\" 7 \"",
        "\"x\"",
        "\"\"",
        "5",
        "0",
        "-1",
        "1.5",
        "1e300",
        "4294967296",
        "true",
        "[]",
        "[5]",
        "[null]",
        "{}",
        "{\"id\":\"gen_1\"}",
        "[{\"id\":\"g\",\"width\":1,\"height\":\"2\"}]",
    ];
    let object = |members: &[(&str, &str)], skip: Option<usize>, replace: Option<(usize, &str)>| {
        let mut text = String::from("{");
        for (i, (key, value)) in members.iter().enumerate() {
            if skip == Some(i) {
                continue;
            }
            let value = replace.filter(|(at, _)| *at == i).map_or(*value, |(_, v)| v);
            if text.len() > 1 {
                text.push(',');
            }
            text.push_str(&format!("\"{key}\":{value}"));
        }
        text + "}"
    };
    let mut out = Vec::new();
    for (kind, members) in [("generation", GENERATION), ("job", JOB), ("list", LIST)] {
        out.push((kind, object(members, None, None)));
        for i in 0..members.len() {
            out.push((kind, object(members, Some(i), None)));
            for value in AWKWARD {
                out.push((kind, object(members, None, Some((i, value)))));
            }
        }
        // Not `[]`: serde also reads a struct from an array of its fields in order, which the
        // service never sends and this module does not accept.
        for text in ["null", "5", "\"x\"", "{}"] {
            out.push((kind, text.to_owned()));
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// serde's answer and this module's, as comparable text: the value, or just "error".
    fn both<T>(text: &str) -> (String, String)
    where
        T: Decode + serde::de::DeserializeOwned + std::fmt::Debug,
    {
        let serde = serde_json::from_str::<T>(text).map(|v| format!("{v:?}")).unwrap_or_else(|_| "error".into());
        let tree: serde_json::Value = serde_json::from_str(text).unwrap();
        let ours = T::decode(&tree).map(|v| format!("{v:?}")).unwrap_or_else(|_| "error".into());
        (serde, ours)
    }

    #[test]
    fn agrees_with_serde_on_every_fixture() {
        let fixtures = cross_check_fixtures();
        assert!(fixtures.len() > 500, "{} fixtures", fixtures.len());
        let mut oks = 0;
        for (kind, text) in &fixtures {
            let (serde, ours) = match *kind {
                "generation" => both::<VideoGeneration>(text),
                "job" => both::<VideoGenerationJob>(text),
                _ => both::<VideoGenerationJobList>(text),
            };
            assert_eq!(serde, ours, "{kind}: {text}");
            oks += usize::from(serde != "error");
        }
        // The table exercises both outcomes.
        assert!(oks > 100 && oks < fixtures.len() - 100, "{oks} of {} decoded", fixtures.len());
    }

    #[test]
    fn errors_name_the_field() {
        let tree: serde_json::Value =
            serde_json::from_str(r#"{"id":"t","status":"queued","n_seconds":"five"}"#).unwrap();
        let error = VideoGenerationJob::decode(&tree).unwrap_err();
        assert!(error.contains("`n_seconds`"), "{error}");
    }
}
