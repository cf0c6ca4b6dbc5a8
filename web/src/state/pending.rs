//! Submissions the service has not accepted yet, saved so that a reload or a crash loses none.
//!
//! A submission is saved before it queues for a slot and deleted once its job record is saved; the
//! record names the submission it came from, so a crash between the two is recognised on restore.
//! A restored submission may have reached the service just before the page died, so it is first
//! looked for among the service's newest jobs and sent again only when it is not there.

use js_sys::{Object, Reflect, Uint8Array};
use sora_client::videos::{CreateVideo, ReferenceImage};
use sora_client::{
    CreateVideoRequest, CreateVideoWithMediaRequest, CropBounds, MediaItem, VideoGenerationJob, VideoSize,
};
use wasm_bindgen::{JsCast, JsValue};

use super::Submission;

/// How far before its submission a job found on the service may have been created and still be
/// taken for it: the service's clock may be off from this device's.
const CLOCK_MARGIN_MS: f64 = 3_600_000.0;

/// A submission as saved on this device until the service has a job for it.
#[derive(Debug, Clone)]
pub struct PendingSubmission {
    /// Local identity (also the name of the Web Lock the tab working on it holds).
    pub id: String,
    /// The endpoint it is meant for.
    pub endpoint: String,
    /// When the user submitted it (this device's clock, ms).
    pub submitted_ms: f64,
    pub submission: Submission,
    /// Restored after a reload: look for it on the service before sending it again.
    pub restored: bool,
}

impl PendingSubmission {
    /// A new submission for `endpoint`, with a fresh id.
    pub fn new(endpoint: String, submission: Submission) -> Self {
        let now = js_sys::Date::now();
        let id = format!("{:x}-{:x}", now as u64, (js_sys::Math::random() * 1e15) as u64);
        Self { id, endpoint, submitted_ms: now, submission, restored: false }
    }

    /// The Web Lock a tab holds while it works on this submission.
    pub fn lock_name(&self) -> String {
        lock_name(&self.id)
    }

    /// Whether `job` is what this submission created: the same request, created after it was
    /// submitted (give or take the clock margin).
    pub fn matches(&self, job: &VideoGenerationJob) -> bool {
        let request = self.submission.summary();
        // 0: the server's default, whatever it is.
        let same = |asked: u32, made: u32| asked == 0 || asked == made;
        job.prompt == request.prompt
            && same(request.width, job.width)
            && same(request.height, job.height)
            && same(request.seconds, job.n_seconds)
            && job.n_variants == request.variants
            && job.created_at as f64 * 1000.0 >= self.submitted_ms - CLOCK_MARGIN_MS
    }

    /// The object stored in IndexedDB (images as bytes, stored natively).
    pub fn to_js(&self) -> Object {
        let object = Object::new();
        let request = self.submission.summary();
        set(&object, "id", &self.id.as_str().into());
        set(&object, "endpoint", &self.endpoint.as_str().into());
        set(&object, "submitted_ms", &self.submitted_ms.into());
        set(&object, "model", &request.model.as_str().into());
        set(&object, "prompt", &request.prompt.as_str().into());
        set(&object, "width", &request.width.into());
        set(&object, "height", &request.height.into());
        set(&object, "n_seconds", &request.seconds.into());
        set(&object, "n_variants", &request.variants.into());
        if let Some(video_id) = &request.remix_of {
            set(&object, "remix_of", &video_id.as_str().into());
        }
        if let Submission::Video(video) = &self.submission {
            set(&object, "videos", &true.into());
            if let Some(ReferenceImage::File { file_name, content_type, bytes, dimensions }) = &video.input_reference {
                let saved = Object::new();
                set(&saved, "file_name", &file_name.as_str().into());
                set(&saved, "content_type", &content_type.as_str().into());
                set(&saved, "bytes", &Uint8Array::from(bytes.as_slice()).into());
                if let Some((w, h)) = dimensions {
                    set(&saved, "width", &(*w).into());
                    set(&saved, "height", &(*h).into());
                }
                set(&object, "reference", &saved.into());
            }
        }
        if let Submission::Media(media) = &self.submission {
            let items = js_sys::Array::new();
            for item in &media.media {
                let saved = Object::new();
                set(&saved, "file_name", &item.file_name.as_str().into());
                set(&saved, "content_type", &item.content_type.as_str().into());
                set(&saved, "bytes", &Uint8Array::from(item.bytes.as_slice()).into());
                set(&saved, "frame_index", &item.frame_index.into());
                let crop = [
                    item.crop.left_fraction,
                    item.crop.top_fraction,
                    item.crop.right_fraction,
                    item.crop.bottom_fraction,
                ];
                set(&saved, "crop", &crop.iter().map(|&f| JsValue::from(f)).collect::<js_sys::Array>().into());
                items.push(&saved);
            }
            set(&object, "media", &items.into());
        }
        object
    }

    /// Read a stored object back; `None` when it is not one (an older or damaged record).
    pub fn from_js(value: &JsValue) -> Option<Self> {
        let (width, height) = (number(value, "width")? as u32, number(value, "height")? as u32);
        let videos = get(value, "videos").is_truthy();
        let submission = match text(value, "remix_of") {
            Some(video_id) => {
                Some(Submission::Remix { video_id, model: text(value, "model")?, prompt: text(value, "prompt")? })
            }
            None if videos => {
                let mut video = CreateVideo::new(text(value, "model")?, text(value, "prompt")?);
                video.size = (width > 0).then_some((width, height));
                video.seconds = Some(number(value, "n_seconds")? as u32).filter(|s| *s > 0);
                video.input_reference = reference(&get(value, "reference"));
                Some(Submission::Video(video))
            }
            None => None,
        };
        if let Some(submission) = submission {
            return Some(Self {
                id: text(value, "id")?,
                endpoint: text(value, "endpoint")?,
                submitted_ms: number(value, "submitted_ms")?,
                submission,
                restored: true,
            });
        }
        let size = VideoSize::from_dimensions(width, height)?;
        let mut request = CreateVideoRequest::new(text(value, "model")?, text(value, "prompt")?, size);
        request.n_seconds = number(value, "n_seconds")? as u32;
        request.n_variants = number(value, "n_variants")? as u32;
        let media = get(value, "media");
        let submission = if media.is_undefined() || media.is_null() {
            Submission::Text(request)
        } else {
            let items = js_sys::Array::from(&media).iter().map(|item| media_item(&item)).collect::<Option<Vec<_>>>()?;
            Submission::Media(CreateVideoWithMediaRequest { request, media: items })
        };
        Some(Self {
            id: text(value, "id")?,
            endpoint: text(value, "endpoint")?,
            submitted_ms: number(value, "submitted_ms")?,
            submission,
            restored: true,
        })
    }
}

/// A saved reference image (`None` when there is none).
fn reference(value: &JsValue) -> Option<ReferenceImage> {
    let bytes = get(value, "bytes");
    if !bytes.is_instance_of::<Uint8Array>() {
        return None;
    }
    let dimensions = number(value, "width").zip(number(value, "height")).map(|(w, h)| (w as u32, h as u32));
    Some(ReferenceImage::File {
        file_name: text(value, "file_name")?,
        content_type: text(value, "content_type")?,
        bytes: Uint8Array::new(&bytes).to_vec(),
        dimensions,
    })
}

fn media_item(value: &JsValue) -> Option<MediaItem> {
    let bytes = get(value, "bytes");
    if !bytes.is_instance_of::<Uint8Array>() {
        return None;
    }
    let crop: Vec<f64> = js_sys::Array::from(&get(value, "crop")).iter().filter_map(|f| f.as_f64()).collect();
    let [left_fraction, top_fraction, right_fraction, bottom_fraction] = crop[..] else { return None };
    Some(MediaItem {
        file_name: text(value, "file_name")?,
        content_type: text(value, "content_type")?,
        bytes: Uint8Array::new(&bytes).to_vec(),
        frame_index: number(value, "frame_index")? as u32,
        crop: CropBounds { left_fraction, top_fraction, right_fraction, bottom_fraction },
    })
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn text(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}

fn number(object: &JsValue, key: &str) -> Option<f64> {
    get(object, key).as_f64().filter(|n| n.is_finite() && *n >= 0.0)
}

/// The Web Lock of the saved submission `id`.
pub fn lock_name(id: &str) -> String {
    format!("sora-studio-submission-{id}")
}
