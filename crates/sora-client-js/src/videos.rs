//! The Videos API (`/videos`): its methods, the reading of its arguments and its results.
//!
//! The methods go through the one [`run`](crate::run) like the jobs API's; only the conversions
//! live here. Field by field, no serde (see `convert.rs`).

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use sora_client::videos::{ContentVariant, CreateVideo, ListVideosQuery, Order, ReferenceImage, Video, VideoDeleted};
use sora_client::{Error, image_type};

use crate::convert::{describe, property, required_text, text, u32_member};
use crate::error::{bad_argument, to_js_error};
use crate::output::{self, object};
use crate::pages::{self, VideoIterator};
use crate::{Op, SoraClient};

#[wasm_bindgen]
extern "C" {
    /// The window's or worker's `createImageBitmap` (absent in Node: then it throws).
    #[wasm_bindgen(js_name = createImageBitmap, catch)]
    fn create_image_bitmap(image: &web_sys::Blob) -> Result<Promise, JsValue>;
}

#[wasm_bindgen(js_class = SoraClient)]
impl SoraClient {
    /// Create a video (Videos API). Checked against what the model accepts before sending; sent as
    /// multipart with the reference image as a file part, or as JSON for an image URL.
    #[wasm_bindgen(js_name = createVideo, unchecked_return_type = "Promise<Video>")]
    pub fn create_video(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoParams")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::CreateVideo(request), options)
    }

    /// Create a video and wait until it is completed; rejects with kind `video_failed` when it fails.
    #[wasm_bindgen(js_name = createVideoAndWait, unchecked_return_type = "Promise<Video>")]
    pub fn create_video_and_wait(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoParams")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WaitOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::CreateVideoAndWait(request), options)
    }

    /// Poll a video until it ends, at the pace the server asks; resolves when it completed, rejects
    /// with kind `video_failed` (with the server's `code`) when it failed.
    #[wasm_bindgen(js_name = waitForVideo, unchecked_return_type = "Promise<Video>")]
    pub fn wait_for_video(
        &self,
        #[wasm_bindgen(js_name = "videoId")] video_id: String,
        #[wasm_bindgen(unchecked_optional_param_type = "WaitOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::WaitVideo(video_id), options)
    }

    /// Fetch a video and its status.
    #[wasm_bindgen(js_name = getVideo, unchecked_return_type = "Promise<Video>")]
    pub fn get_video(
        &self,
        #[wasm_bindgen(js_name = "videoId")] video_id: String,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::GetVideo(video_id), options)
    }

    /// Fetch one page of videos (newest first unless `order: "asc"`). A gateway may not list.
    #[wasm_bindgen(js_name = listVideos, unchecked_return_type = "Promise<VideoList>")]
    pub fn list_videos(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListVideosQuery")] query: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::ListVideos(query.unwrap_or_default()), options)
    }

    /// Every video matching `query`, page by page: `for await (const video of client.videos())`.
    #[wasm_bindgen(js_name = videos)]
    pub fn videos(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListVideosQuery")] query: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Result<VideoIterator, JsValue> {
        let options = options.unwrap_or_default();
        let query = list_query(&query.unwrap_or_default()).map_err(|e| to_js_error(&e))?;
        let client = self.bound(&options).map_err(|e| to_js_error(&e))?;
        Ok(VideoIterator { state: pages::walk(client.list_all_videos(query)) })
    }

    /// Delete a video and its assets on the server.
    #[wasm_bindgen(js_name = deleteVideo, unchecked_return_type = "Promise<VideoDeleted>")]
    pub fn delete_video(
        &self,
        #[wasm_bindgen(js_name = "videoId")] video_id: String,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::DeleteVideo(video_id), options)
    }

    /// Download an asset of a completed video as a Blob: the MP4 (`video/mp4`, the default), its
    /// thumbnail or its spritesheet (typed by their bytes: `image/jpeg`, `image/png` or `image/webp`).
    #[wasm_bindgen(js_name = downloadContent, unchecked_return_type = "Promise<Blob>")]
    pub fn download_content(
        &self,
        #[wasm_bindgen(js_name = "videoId")] video_id: String,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions & { variant?: ContentVariant }")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        self.call(Op::DownloadContent(video_id), options)
    }

    /// Make a new video from a completed one with a new prompt; it names its parent in
    /// `remixed_from_video_id`.
    #[wasm_bindgen(js_name = remix, unchecked_return_type = "Promise<Video>")]
    pub fn remix(
        &self,
        #[wasm_bindgen(js_name = "videoId")] video_id: String,
        prompt: String,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Remix(video_id, prompt), options)
    }

    /// Edit a completed video with a prompt (`POST /videos/edits`).
    #[wasm_bindgen(js_name = editVideo, unchecked_return_type = "Promise<Video>")]
    pub fn edit_video(
        &self,
        #[wasm_bindgen(js_name = "videoId")] video_id: String,
        prompt: String,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::EditVideo(video_id, prompt), options)
    }

    /// Extend a completed video by a segment of `seconds` (4 to 20) made from a prompt; the answer's `seconds` is the stitched total.
    #[wasm_bindgen(js_name = extendVideo, unchecked_return_type = "Promise<Video>")]
    pub fn extend_video(
        &self,
        #[wasm_bindgen(js_name = "videoId")] video_id: String,
        prompt: String,
        #[wasm_bindgen(unchecked_param_type = "number")] seconds: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::ExtendVideo(video_id, prompt, seconds), options)
    }
}

/// Read a `CreateVideoParams`, reading a Blob reference's bytes and pixel size.
pub async fn create_request(value: JsValue) -> Result<CreateVideo, Error> {
    let mut request = CreateVideo::new(required_text(&value, "model")?, required_text(&value, "prompt")?);
    request.seconds = u32_member(&value, "seconds")?;
    if let Some(size) = text(&value, "size")? {
        let unreadable =
            || bad_argument("size", ["must be WIDTHxHEIGHT, such as 1280x720, not '", &size, "'"].concat());
        request.size = Some(sora_client::parse_dimensions(&size).ok_or_else(unreadable)?);
    }
    if let Some(reference) = property(&value, "inputReference") {
        request.input_reference = Some(reference_image(&value, reference).await?);
    }
    Ok(request)
}

/// An `inputReference`: `{ imageUrl }`, or a Blob or File read whole.
async fn reference_image(request: &JsValue, reference: JsValue) -> Result<ReferenceImage, Error> {
    if let Some(url) = property(&reference, "imageUrl") {
        let url = url.as_string().ok_or_else(|| bad_argument("input_reference", "imageUrl must be a string"))?;
        return Ok(ReferenceImage::Url(url));
    }
    let blob: web_sys::Blob = reference
        .dyn_into()
        .map_err(|_| bad_argument("input_reference", "must be a Blob, a File or { imageUrl: string }"))?;
    let file_name = text(request, "fileName")?
        .or_else(|| blob.dyn_ref::<web_sys::File>().map(web_sys::File::name))
        .ok_or_else(|| bad_argument("input_reference", "give a fileName for a Blob that is not a File"))?;
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|e| {
        bad_argument("input_reference", ["cannot read '", file_name.as_str(), "': ", &describe(&e)].concat())
    })?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    // A Blob made without a type: the one its bytes show (the core still checks the two agree).
    let mut content_type = blob.type_();
    if content_type.is_empty() {
        content_type = image_type(&bytes).unwrap_or_default().to_owned();
    }
    let dimensions = pixel_size(&blob).await;
    Ok(ReferenceImage::File { file_name, content_type, bytes, dimensions })
}

/// An image's width and height as the browser decodes it; `None` where it cannot (Node, not an
/// image): the core's type check then speaks.
async fn pixel_size(blob: &web_sys::Blob) -> Option<(u32, u32)> {
    let bitmap = JsFuture::from(create_image_bitmap(blob).ok()?).await.ok()?;
    let side = |key| property(&bitmap, key).and_then(|v| v.as_f64()).map(|n| n as u32);
    let size = side("width").zip(side("height"));
    if let Some(close) = property(&bitmap, "close").and_then(|f| f.dyn_into::<Function>().ok()) {
        let _ = close.call0(&bitmap);
    }
    size
}

/// Read a `ListVideosQuery` (`undefined` is the default query).
pub fn list_query(value: &JsValue) -> Result<ListVideosQuery, Error> {
    let order = match text(value, "order")?.as_deref() {
        None | Some("desc") => Order::Desc,
        Some("asc") => Order::Asc,
        Some(other) => return Err(bad_argument("order", ["must be 'desc' or 'asc', not '", other, "'"].concat())),
    };
    let defaults = ListVideosQuery::default();
    Ok(ListVideosQuery {
        limit: u32_member(value, "limit")?.unwrap_or(defaults.limit),
        after: text(value, "after")?,
        order,
    })
}

/// The `variant` of download options (default `video`).
pub fn variant(options: &JsValue) -> Result<ContentVariant, Error> {
    text(options, "variant")?.map_or(Ok(ContentVariant::Video), |name| ContentVariant::from_name(&name))
}

/// The Blob type of a downloaded asset: `video/mp4`, or the image type its bytes show (the core
/// refuses an image variant whose bytes show none).
pub fn content_type(variant: ContentVariant, bytes: &[u8]) -> &'static str {
    match variant {
        ContentVariant::Video => "video/mp4",
        _ => image_type(bytes).unwrap_or("image/jpeg"),
    }
}

/// A `Video`, with the wire's names.
pub fn video(v: &Video) -> JsValue {
    let error = v
        .error
        .as_ref()
        .map_or(JsValue::NULL, |e| object(&[("code", e.code.as_str().into()), ("message", e.message.as_str().into())]));
    object(&[
        ("id", v.id.as_str().into()),
        ("object", "video".into()),
        ("model", v.model.as_str().into()),
        ("status", v.status.as_str().into()),
        ("progress", output::number(v.progress.map(f64::from))),
        ("created_at", (v.created_at as f64).into()),
        ("completed_at", output::number(v.completed_at.map(|t| t as f64))),
        ("expires_at", output::number(v.expires_at.map(|t| t as f64))),
        ("prompt", v.prompt.as_str().into()),
        ("seconds", v.seconds.into()),
        ("size", v.size.as_str().into()),
        ("remixed_from_video_id", output::text(v.remixed_from_video_id.as_deref())),
        ("error", error),
    ])
}

/// A `VideoDeleted`.
pub fn deleted(d: &VideoDeleted) -> JsValue {
    object(&[("id", d.id.as_str().into()), ("deleted", d.deleted.into())])
}
