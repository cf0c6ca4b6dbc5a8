//! The library on this device: every saved video (playable offline), the room it takes, clearing
//! it and removing one video.

use gloo_file::ObjectUrl;
use leptos::prelude::*;

use super::{Studio, VideoMeta};
use crate::storage;
use crate::tabs::TabMessage;

/// A saved video with its object URLs (revoked when it is dropped).
#[derive(Clone)]
pub struct SavedVideo {
    pub meta: VideoMeta,
    pub video: ObjectUrl,
    pub thumbnail: Option<ObjectUrl>,
    pub bytes: f64,
}

impl Studio {
    /// Every saved video, newest first (variants in order); `None` when the library cannot be read
    /// (the problem is reported).
    pub async fn saved_videos(&self) -> Option<Vec<SavedVideo>> {
        let mut saved = self.store_result(storage::all_videos::<VideoMeta>().await)?;
        saved.sort_by(|a, b| {
            b.meta.saved_at_ms.total_cmp(&a.meta.saved_at_ms).then(a.meta.variant.cmp(&b.meta.variant))
        });
        let list = saved
            .into_iter()
            .map(|v| SavedVideo {
                bytes: v.video.size(),
                meta: v.meta,
                thumbnail: v.thumbnail.map(ObjectUrl::from),
                video: ObjectUrl::from(v.video),
            })
            .collect();
        Some(list)
    }

    /// How much this site stores and may store (bytes), when the browser tells.
    pub async fn storage_usage(&self) -> Option<(f64, f64)> {
        storage::estimate().await
    }

    /// The library changed here: reload its view, in this tab and the others.
    pub fn library_changed(&self) {
        self.library_version.update(|v| *v += 1);
        self.tabs.send(&TabMessage::Library);
    }

    /// Delete every saved video; the jobs stay, no longer marked saved.
    pub async fn clear_library(&self) {
        if self.store_result(storage::clear().await).is_some() {
            self.entries.with_untracked(|entries| {
                for entry in entries {
                    entry.record.update(|r| {
                        if let Some(r) = r {
                            r.saved = false;
                        }
                    });
                }
            });
            self.library_changed();
        }
    }

    /// Remove one saved video.
    pub async fn remove_video(&self, generation_id: &str) {
        if self.store_result(storage::delete_video(generation_id).await).is_some() {
            self.library_changed();
        }
    }
}
