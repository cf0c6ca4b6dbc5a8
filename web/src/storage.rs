//! The local library in IndexedDB: job records, and each finished video with its thumbnail as blobs.
//!
//! Blobs are stored as they are (IndexedDB keeps them natively), so saved videos survive the
//! service's 24-hour deletion and play offline.

use std::cell::RefCell;
use std::rc::Rc;

use idb::{
    Database, DatabaseEvent, Factory, IndexParams, KeyPath, ObjectStore, ObjectStoreParams, Query, TransactionMode,
};
use js_sys::Promise;
use sora_client::decode::Decode;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbRequest, IdbTransaction};

use crate::json::{ToJson, from_text, to_text};

const DB_NAME: &str = "sora-studio";
/// Version 2 added the store of submissions not yet accepted by the service.
const DB_VERSION: u32 = 2;
const JOBS: &str = "jobs";
const MEDIA: &str = "media";
const PENDING: &str = "pending";

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

impl StoreError {
    fn new(name: &str, detail: &str) -> Self {
        if name == "QuotaExceededError" || detail.contains("Quota") || detail.contains("quota") {
            let message =
                "This device has no room left for more videos: remove some from the library or export and clear it.";
            return Self { message: message.to_owned(), quota: true };
        }
        let detail =
            if name.is_empty() || detail.starts_with(name) { detail.to_owned() } else { format!("{name}: {detail}") };
        Self { message: format!("The local library failed: {detail}"), quota: false }
    }
}

impl From<JsValue> for StoreError {
    /// Read the browser's error (a `DOMException`, or whatever IndexedDB threw).
    fn from(error: JsValue) -> Self {
        let text = |key| get(&error, key).as_string().unwrap_or_default();
        let (name, detail) = (text("name"), text("message"));
        match error.as_string() {
            Some(bare) if name.is_empty() && detail.is_empty() => Self::new("", &bare),
            _ => Self::new(&name, &detail),
        }
    }
}

impl From<idb::Error> for StoreError {
    /// The variant's name and the browser's error it carries (`Debug`: idb's `Display` messages
    /// cost 2.6 KB of wasm for text the browser's error already says).
    fn from(error: idb::Error) -> Self {
        Self::new("", &format!("{error:?}"))
    }
}

thread_local! {
    /// One open connection per page, opened on first use.
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
}

/// The error a failed request or transaction reports: its own, else the one its event carries.
fn failure(own: Option<web_sys::DomException>, event: &JsValue) -> StoreError {
    match own {
        Some(error) => StoreError::from(JsValue::from(error)),
        None => StoreError::from(get(&get(event, "target"), "error")),
    }
}

/// Wait for a request: its result, or the browser's error.
///
/// One promise per request: idb's own futures (its `futures` feature) cost ~7 KB of gzipped wasm.
async fn done(request: impl Into<IdbRequest>) -> Result<JsValue, StoreError> {
    let request: IdbRequest = request.into();
    let settled = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    match JsFuture::from(settled).await {
        Ok(_) => request.result().map_err(StoreError::from),
        Err(event) => Err(failure(request.error().ok().flatten(), &event)),
    }
}

/// The end of a transaction, watched from its start: `Ok` once committed, its error once aborted.
fn committed(tx: impl Into<IdbTransaction>) -> impl Future<Output = Result<(), StoreError>> {
    let tx: IdbTransaction = tx.into();
    let ended = JsFuture::from(Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    }));
    async move { ended.await.map(drop).map_err(|event| failure(tx.error(), &event)) }
}

async fn db() -> Result<Rc<Database>, StoreError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let factory = Factory::new()?;
    let mut request = factory.open(DB_NAME, Some(DB_VERSION))?;
    request.on_upgrade_needed(|event| {
        // A failure here makes the open request fail, which is reported by the await below.
        let Ok(database) = event.database() else { return };
        let names = database.store_names();
        if !names.iter().any(|n| n == JOBS) {
            let mut params = ObjectStoreParams::new();
            params.key_path(Some(KeyPath::new_single("id")));
            let _ = database.create_object_store(JOBS, params);
        }
        if !names.iter().any(|n| n == PENDING) {
            let mut params = ObjectStoreParams::new();
            params.key_path(Some(KeyPath::new_single("id")));
            let _ = database.create_object_store(PENDING, params);
        }
        if !names.iter().any(|n| n == MEDIA) {
            let mut params = ObjectStoreParams::new();
            params.key_path(Some(KeyPath::new_single("id")));
            if let Ok(store) = database.create_object_store(MEDIA, params) {
                let _ = store.create_index("job_id", KeyPath::new_single("job_id"), Some(IndexParams::new()));
            }
        }
    });
    // The upgrade handler must outlive the request value handed to `done`: JS keeps it (once a page).
    request.forget_callbacks();
    let mut database: Database =
        done(web_sys::IdbOpenDbRequest::from(request)).await?.unchecked_into::<web_sys::IdbDatabase>().into();
    // Another tab opening a newer version of the library waits until this connection closes: close it
    // (the next use here opens it again).
    database.on_version_change(|_| {
        if let Some(db) = DB.with(|d| d.borrow_mut().take()) {
            db.close();
        }
    });
    let database = Rc::new(database);
    DB.with(|d| *d.borrow_mut() = Some(Rc::clone(&database)));
    Ok(database)
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

/// A request's result read as a list (`getAll`, `getAllKeys`).
fn list(value: JsValue) -> Vec<JsValue> {
    value.dyn_into::<js_sys::Array>().map(|values| values.to_vec()).unwrap_or_default()
}

/// Make one write request on `store` and wait until its transaction committed.
async fn write<R: Into<IdbRequest>>(
    store: &str,
    request: impl FnOnce(&ObjectStore) -> Result<R, idb::Error>,
) -> Result<(), StoreError> {
    let db = db().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadWrite)?;
    let request = request(&tx.object_store(store)?)?;
    let end = committed(tx);
    done(request).await?;
    end.await
}

/// Save (or replace) `value` (an object with an `id`) in `store`.
async fn put(store: &str, value: &JsValue) -> Result<(), StoreError> {
    write(store, |store| store.put(value, None)).await
}

/// Every value in `store`.
async fn all(store: &str) -> Result<Vec<JsValue>, StoreError> {
    let db = db().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    Ok(list(done(tx.object_store(store)?.get_all(None, None)?).await?))
}

/// Remove the value keyed `key` from `store`.
async fn remove(store: &str, key: &str) -> Result<(), StoreError> {
    write(store, |store| store.delete(Query::from(JsValue::from_str(key)))).await
}

/// Save (or replace) a record keyed by `id` in the jobs store.
pub async fn put_job<T: ToJson>(id: &str, record: &T) -> Result<(), StoreError> {
    let object = js_sys::Object::new();
    set(&object, "id", &JsValue::from_str(id));
    set(&object, "json", &JsValue::from_str(&to_text(record)));
    put(JOBS, &object).await
}

/// Every saved job record (unreadable ones are skipped).
pub async fn all_jobs<T: Decode>() -> Result<Vec<T>, StoreError> {
    Ok(all(JOBS).await?.iter().filter_map(|v| from_json(&get(v, "json"))).collect())
}

/// Forget a job and every video saved for it.
pub async fn delete_job(id: &str) -> Result<(), StoreError> {
    let db = db().await?;
    let tx = db.transaction(&[JOBS, MEDIA], TransactionMode::ReadWrite)?;
    let (jobs, media) = (tx.object_store(JOBS)?, tx.object_store(MEDIA)?);
    let end = committed(tx);
    done(jobs.delete(Query::from(JsValue::from_str(id)))?).await?;
    let keys = done(media.index("job_id")?.get_all_keys(Some(Query::from(JsValue::from_str(id))), None)?).await?;
    for key in list(keys) {
        done(media.delete(Query::from(key))?).await?;
    }
    end.await
}

/// Save (or replace) a submission not yet accepted by the service (an object with an `id`).
pub async fn put_pending(record: &js_sys::Object) -> Result<(), StoreError> {
    put(PENDING, record).await
}

/// Every saved submission not yet accepted by the service.
pub async fn all_pending() -> Result<Vec<JsValue>, StoreError> {
    all(PENDING).await
}

/// Forget a submission (the service has its job, or the user dropped it).
pub async fn delete_pending(id: &str) -> Result<(), StoreError> {
    remove(PENDING, id).await
}

/// A video saved on this device.
#[derive(Clone)]
pub struct SavedVideo<M> {
    pub meta: M,
    pub video: web_sys::Blob,
    pub thumbnail: Option<web_sys::Blob>,
}

/// Save one video (keyed by its generation id) with its thumbnail.
pub async fn put_video<M: ToJson>(
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
    put(MEDIA, &object).await
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
    let db = db().await?;
    let tx = db.transaction(&[MEDIA], TransactionMode::ReadOnly)?;
    let request =
        tx.object_store(MEDIA)?.index("job_id")?.get_all(Some(Query::from(JsValue::from_str(job_id))), None)?;
    Ok(list(done(request).await?).iter().filter_map(saved_video).collect())
}

/// Every saved video (blobs are handles: their bytes are read only when used).
pub async fn all_videos<M: Decode>() -> Result<Vec<SavedVideo<M>>, StoreError> {
    Ok(all(MEDIA).await?.iter().filter_map(saved_video).collect())
}

/// Remove one saved video.
pub async fn delete_video(generation_id: &str) -> Result<(), StoreError> {
    remove(MEDIA, generation_id).await
}

/// Empty the whole library: jobs and videos.
pub async fn clear() -> Result<(), StoreError> {
    let db = db().await?;
    let tx = db.transaction(&[JOBS, MEDIA], TransactionMode::ReadWrite)?;
    let (jobs, media) = (tx.object_store(JOBS)?, tx.object_store(MEDIA)?);
    let end = committed(tx);
    done(jobs.clear()?).await?;
    done(media.clear()?).await?;
    end.await
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
    if let Some(window) = web_sys::window()
        && let Ok(promise) = window.navigator().storage().persist()
    {
        // The answer changes nothing here: the library works either way.
        drop(wasm_bindgen_futures::JsFuture::from(promise));
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
