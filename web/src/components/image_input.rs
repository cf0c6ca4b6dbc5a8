//! The optional image for image-to-video: a PNG or JPEG with a preview, and on the jobs API the
//! frame it appears at and the crop to use (the Videos API starts the video from it as it is).

use gloo_file::ObjectUrl;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;
use sora_client::videos::ReferenceImage;
use sora_client::{CropBounds, Error, MediaItem};

/// A picked image: its bytes for the upload and a preview URL (revoked when dropped).
pub struct Picked {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub preview: ObjectUrl,
}

/// The image fields' state, owned by the create form.
#[derive(Clone, Copy)]
pub struct ImageFields {
    pub picked: RwSignal<Option<Picked>, LocalStorage>,
    pub frame: RwSignal<String>,
    pub crop: [RwSignal<String>; 4],
    pub error: RwSignal<Option<String>>,
    /// The picked image's width and height, once its preview has loaded.
    pub dimensions: RwSignal<Option<(u32, u32)>>,
}

impl ImageFields {
    /// No image, frame 0, the whole image.
    pub fn new() -> Self {
        Self {
            picked: RwSignal::new_local(None),
            frame: RwSignal::new("0".into()),
            crop: ["0", "0", "1", "1"].map(|v| RwSignal::new(v.to_owned())),
            error: RwSignal::new(None),
            dimensions: RwSignal::new(None),
        }
    }

    /// The Videos API's `input_reference`, if an image was picked (its size checked by the core).
    pub fn reference(&self) -> Option<ReferenceImage> {
        self.picked.with_untracked(|picked| {
            picked.as_ref().map(|p| ReferenceImage::File {
                file_name: p.name.clone(),
                content_type: p.content_type.clone(),
                bytes: p.bytes.clone(),
                dimensions: self.dimensions.get_untracked(),
            })
        })
    }

    /// The media item to send, if an image was picked (checked by the core with the request).
    ///
    /// # Errors
    /// A validation error for the frame when it is not a whole number, 0 or more.
    pub fn media_item(&self) -> Result<Option<MediaItem>, Error> {
        let number = |s: RwSignal<String>| s.with_untracked(|v| crate::format::decimal(v).unwrap_or(f64::NAN));
        if self.picked.with_untracked(Option::is_none) {
            return Ok(None);
        }
        let frame_index = self.frame.with_untracked(|f| f.trim().parse::<u32>()).map_err(|_| Error::Validation {
            field: "frame_index",
            message: "the frame must be a whole number, 0 or more".into(),
        })?;
        Ok(self.picked.with_untracked(|picked| {
            picked.as_ref().map(|p| MediaItem {
                file_name: p.name.clone(),
                content_type: p.content_type.clone(),
                bytes: p.bytes.clone(),
                frame_index,
                crop: CropBounds {
                    left_fraction: number(self.crop[0]),
                    top_fraction: number(self.crop[1]),
                    right_fraction: number(self.crop[2]),
                    bottom_fraction: number(self.crop[3]),
                },
            })
        }))
    }
}

#[component]
pub fn ImageInput(fields: ImageFields) -> impl IntoView {
    let on_cleanup_fields = fields;
    on_cleanup(move || {
        on_cleanup_fields.picked.try_set(None);
    });
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        fields.dimensions.set(None);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            fields.picked.set(None);
            return;
        };
        let file = gloo_file::File::from(file);
        fields.error.set(None);
        spawn_local(async move {
            match gloo_file::futures::read_as_bytes(&file).await {
                Ok(bytes) => {
                    let picked = Picked {
                        name: file.name(),
                        content_type: file.raw_mime_type(),
                        bytes,
                        preview: ObjectUrl::from(file.clone()),
                    };
                    fields.picked.try_set(Some(picked));
                }
                Err(error) => {
                    fields.error.try_set(Some(format!("The image could not be read: {error}")));
                }
            }
        });
    };
    let crop_names = ["Left", "Top", "Right", "Bottom"];
    let studio = expect_context::<crate::state::Studio>();
    let videos = move || studio.connection.with(|c| c.protocol.is_videos());
    view! {
        <details class="image-input">
            <summary>"Start from an image (optional)"</summary>
            <div class="field">
                <label for="image">"Image (PNG or JPEG, up to 25 MB)"</label>
                <input id="image" type="file" accept="image/png,image/jpeg" on:change=on_file aria-describedby="image-error"/>
            </div>
            {move || fields.picked.with(|p| p.as_ref().map(|p| {
                let src = (*p.preview).to_owned();
                let alt = format!("Preview of {}", p.name);
                view! {
                    <div class="preview-row">
                        <img class="preview" src=src alt=alt data-testid="image-preview" on:load=move |ev| {
                            if let Some(img) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlImageElement>().ok()) {
                                fields.dimensions.set(Some((img.natural_width(), img.natural_height())));
                            }
                        }/>
                        <button type="button" on:click=move |_| fields.picked.set(None)>"Remove image"</button>
                    </div>
                }
            }))}
            <div class="field" hidden=videos>
                <label for="frame">"Show it at frame"</label>
                <input id="frame" type="number" min="0" step="1" inputmode="numeric"
                    prop:value=fields.frame on:input=move |ev| fields.frame.set(event_target_value(&ev))
                    aria-describedby="frame-hint"/>
                <p id="frame-hint" class="hint">"0 is the first frame."</p>
            </div>
            <fieldset class="crop" hidden=videos>
                <legend>"Crop (fractions of the image, 0 to 1)"</legend>
                {fields.crop.iter().zip(crop_names).map(|(signal, name)| {
                    let signal = *signal;
                    let id = format!("crop-{}", name.to_ascii_lowercase());
                    view! {
                        <div class="field">
                            <label for=id.clone()>{name}</label>
                            <input id=id type="number" min="0" max="1" step="0.05" prop:value=signal
                                on:input=move |ev| signal.set(event_target_value(&ev))/>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <p id="image-error" class="field-error" data-testid="image-error">{move || fields.error.get()}</p>
        </details>
    }
}
