//! The local library in IndexedDB: job records, and each finished video with its thumbnail as blobs.
//!
//! Blobs are stored as they are (IndexedDB keeps them natively), so saved videos survive the
//! service's 24-hour deletion and play offline.

use sora_client::decode::Decode;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::json::{Encode, from_text, to_text};

const JOBS: &str = "jobs";
const MEDIA: &str = "media";
const PENDING: &str = "pending";

// The database itself (name, version, stores, transactions) is in storage.js.
#[wasm_bindgen(module = "/src/storage.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn put(store: &str, value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = getAll)]
    async fn get_all(store: &str, index: Option<&str>, key: Option<&str>) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn remove(store: &str, key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = removeJob)]
    async fn remove_job(id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearLibrary)]
    async fn clear_library() -> Result<JsValue, JsValue>;
}

/// What went wrong with the local library, in words; `quota` when the device is out of space.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreError {
    pub message: String,
    pub quota: bool,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<JsValue> for StoreError {
    /// Read the browser's error (a `DOMException`, or whatever IndexedDB threw).
    fn from(error: JsValue) -> Self {
        let text = |key| get(&error, key).as_string().unwrap_or_default();
        let (name, detail) = (text("name"), text("message"));
        if name == "QuotaExceededError" {
            let message = "This device has no room left for more videos: remove some from the library or export and clear it.";
            return Self { message: message.to_owned(), quota: true };
        }
        let detail = match (name.is_empty(), detail.is_empty()) {
            (false, false) => format!("{name}: {detail}"),
            (true, true) => error.as_string().unwrap_or_else(|| "IndexedDB is not available".to_owned()),
            _ => name + &detail,
        };
        Self { message: format!("The local library failed: {detail}"), quota: false }
    }
}

fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn from_json<T: Decode>(value: &JsValue) -> Option<T> {
    from_text(&value.as_string()?)
}

/// The values of a store (or of one key of its index), as a list.
async fn values(store: &str, index: Option<&str>, key: Option<&str>) -> Result<Vec<JsValue>, StoreError> {
    let values = get_all(store, index, key).await?;
    Ok(values.dyn_into::<js_sys::Array>().map(|values| values.to_vec()).unwrap_or_default())
}

/// Save (or replace) a record keyed by `id` in the jobs store.
pub async fn put_job<T: Encode>(id: &str, record: &T) -> Result<(), StoreError> {
    let object = js_sys::Object::new();
    set(&object, "id", &JsValue::from_str(id));
    set(&object, "json", &JsValue::from_str(&to_text(record)));
    put(JOBS, &object).await?;
    Ok(())
}

/// Every saved job record (unreadable ones are skipped).
pub async fn all_jobs<T: Decode>() -> Result<Vec<T>, StoreError> {
    Ok(values(JOBS, None, None).await?.iter().filter_map(|v| from_json(&get(v, "json"))).collect())
}

/// Forget a job and every video saved for it.
pub async fn delete_job(id: &str) -> Result<(), StoreError> {
    remove_job(id).await?;
    Ok(())
}

/// Save (or replace) a submission not yet accepted by the service (an object with an `id`).
pub async fn put_pending(record: &js_sys::Object) -> Result<(), StoreError> {
    put(PENDING, record).await?;
    Ok(())
}

/// Every saved submission not yet accepted by the service.
pub async fn all_pending() -> Result<Vec<JsValue>, StoreError> {
    values(PENDING, None, None).await
}

/// Forget a submission (the service has its job, or the user dropped it).
pub async fn delete_pending(id: &str) -> Result<(), StoreError> {
    remove(PENDING, id).await?;
    Ok(())
}

/// A video saved on this device.
#[derive(Clone)]
pub struct SavedVideo<M> {
    pub meta: M,
    pub video: web_sys::Blob,
    pub thumbnail: Option<web_sys::Blob>,
}

/// Save one video (keyed by its generation id) with its thumbnail.
pub async fn put_video<M: Encode>(
    generation_id: &str,
    job_id: &str,
    meta: &M,
    video: &web_sys::Blob,
    thumbnail: Option<&web_sys::Blob>,
) -> Result<(), StoreError> {
    let object = js_sys::Object::new();
    set(&object, "id", &JsValue::from_str(generation_id));
    set(&object, "job_id", &JsValue::from_str(job_id));
    set(&object, "json", &JsValue::from_str(&to_text(meta)));
    set(&object, "video", video);
    set(&object, "thumbnail", thumbnail.map_or(&JsValue::NULL, |t| t.as_ref()));
    put(MEDIA, &object).await?;
    Ok(())
}

fn saved_video<M: Decode>(value: &JsValue) -> Option<SavedVideo<M>> {
    Some(SavedVideo {
        meta: from_json(&get(value, "json"))?,
        video: get(value, "video").dyn_into().ok()?,
        thumbnail: get(value, "thumbnail").dyn_into().ok(),
    })
}

/// The videos saved for one job.
pub async fn videos_of_job<M: Decode>(job_id: &str) -> Result<Vec<SavedVideo<M>>, StoreError> {
    Ok(values(MEDIA, Some("job_id"), Some(job_id)).await?.iter().filter_map(saved_video).collect())
}

/// Every saved video (blobs are handles: their bytes are read only when used).
pub async fn all_videos<M: Decode>() -> Result<Vec<SavedVideo<M>>, StoreError> {
    Ok(values(MEDIA, None, None).await?.iter().filter_map(saved_video).collect())
}

/// Remove one saved video.
pub async fn delete_video(generation_id: &str) -> Result<(), StoreError> {
    remove(MEDIA, generation_id).await?;
    Ok(())
}

/// Empty the whole library: jobs and videos.
pub async fn clear() -> Result<(), StoreError> {
    clear_library().await?;
    Ok(())
}

/// Bytes used and available to this site, when the browser tells.
pub async fn estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.estimate().ok()?;
    let value = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let usage = get(&value, "usage").as_f64()?;
    let quota = get(&value, "quota").as_f64()?;
    Some((usage, quota))
}

/// Ask the browser not to evict the library under storage pressure (it may say no).
pub fn persist() {
    if let Some(window) = web_sys::window() {
        if let Ok(promise) = window.navigator().storage().persist() {
            // The answer changes nothing here: the library works either way.
            drop(wasm_bindgen_futures::JsFuture::from(promise));
        }
    }
}

/// A key/value in localStorage (settings only: never videos, never the key unless asked to remember it).
pub fn local_get(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Set or remove a localStorage key; failures (private mode, quota) are ignored: settings are a convenience.
pub fn local_set(key: &str, value: Option<&str>) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
    let _ = match value {
        Some(value) => storage.set_item(key, value),
        None => storage.remove_item(key),
    };
}
