//! JS results as plain objects, built field by field (no serde on wasm: it cost kilobytes).
//!
//! The field names and shapes are those `types.d.ts` declares: the wire names, absent values as
//! `null`, every number a JS number.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use sora_client::{Page, Progress, VideoGeneration, VideoGenerationJob};

/// A plain object with these members, in this order.
pub fn object(members: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in members {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

pub fn text(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

pub fn number(value: Option<f64>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_f64)
}

/// A `VideoGeneration`.
pub fn generation(g: &VideoGeneration) -> JsValue {
    object(&[
        ("id", g.id.as_str().into()),
        ("job_id", g.job_id.as_str().into()),
        ("created_at", (g.created_at as f64).into()),
        ("width", g.width.into()),
        ("height", g.height.into()),
        ("n_seconds", g.n_seconds.into()),
        ("prompt", g.prompt.as_str().into()),
    ])
}

/// A `VideoGenerationJob`.
pub fn job(j: &VideoGenerationJob) -> JsValue {
    object(&[
        ("id", j.id.as_str().into()),
        ("status", j.status.as_str().into()),
        ("created_at", (j.created_at as f64).into()),
        ("finished_at", number(j.finished_at.map(|v| v as f64))),
        ("expires_at", number(j.expires_at.map(|v| v as f64))),
        ("generations", j.generations.iter().map(generation).collect::<Array>().into()),
        ("prompt", j.prompt.as_str().into()),
        ("model", j.model.as_str().into()),
        ("n_variants", j.n_variants.into()),
        ("n_seconds", j.n_seconds.into()),
        ("height", j.height.into()),
        ("width", j.width.into()),
        ("failure_reason", text(j.failure_reason.as_ref().map(|r| r.as_str()))),
    ])
}

/// A page of a list (`VideoGenerationJobList`, `VideoList`), each item converted by `item`.
pub fn page<T>(list: &Page<T>, item: fn(&T) -> JsValue) -> JsValue {
    object(&[
        ("data", list.data.iter().map(item).collect::<Array>().into()),
        ("has_more", list.has_more.into()),
        ("first_id", text(list.first_id.as_deref())),
        ("last_id", text(list.last_id.as_deref())),
    ])
}

/// The `Progress` handed to `onProgress`.
pub fn progress(p: &Progress) -> JsValue {
    object(&[
        ("jobId", text(p.job_id.as_deref())),
        ("status", text(p.status.as_ref().map(|s| s.as_str()))),
        ("queuePosition", (p.queue_position as f64).into()),
        ("elapsedMs", (p.elapsed_ms as f64).into()),
        ("estimatedRemainingMs", number(p.estimated_remaining_ms.map(|v| v as f64))),
        ("percent", number(p.percent.map(f64::from))),
    ])
}
