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
    /// How many remixes deep it sits under a video of the library (0: no parent here).
    pub depth: usize,
}

/// The order that shows remixes under the videos they remix: each item's index into `items`
/// (`(id, parent id)`, already in the order wanted among siblings) and its depth. Items whose
/// parent is not in `items` are roots; a cycle cannot hide an item.
pub fn remix_tree(items: &[(&str, Option<&str>)]) -> Vec<(usize, usize)> {
    let present = |id: &str| items.iter().any(|(other, _)| *other == id);
    let is_root = |parent: Option<&str>| parent.is_none_or(|p| !present(p));
    let mut order = Vec::with_capacity(items.len());
    let mut placed = vec![false; items.len()];
    let mut stack: Vec<(usize, usize)> =
        items.iter().enumerate().rev().filter(|(_, (_, parent))| is_root(*parent)).map(|(i, _)| (i, 0)).collect();
    loop {
        while let Some((index, depth)) = stack.pop() {
            if std::mem::replace(&mut placed[index], true) {
                continue;
            }
            order.push((index, depth));
            let id = items[index].0;
            let children = items.iter().enumerate().rev().filter(|(_, (_, parent))| *parent == Some(id));
            stack.extend(children.map(|(i, _)| (i, depth + 1)));
        }
        // Left over: a cycle of remixes (not made by any service, but read from storage): shown as roots.
        match placed.iter().position(|p| !p) {
            Some(index) => stack.push((index, 0)),
            None => return order,
        }
    }
}

impl Studio {
    /// Every saved video, newest first (variants in order); `None` when the library cannot be read
    /// (the problem is reported).
    pub async fn saved_videos(&self) -> Option<Vec<SavedVideo>> {
        let mut saved = self.store_result(storage::all_videos::<VideoMeta>().await)?;
        saved.sort_by(|a, b| {
            b.meta.saved_at_ms.total_cmp(&a.meta.saved_at_ms).then(a.meta.variant.cmp(&b.meta.variant))
        });
        let ids: Vec<(&str, Option<&str>)> =
            saved.iter().map(|v| (v.meta.generation_id.as_str(), v.meta.remixed_from.as_deref())).collect();
        let order = remix_tree(&ids);
        let mut saved: Vec<Option<_>> = saved.into_iter().map(Some).collect();
        let list = order
            .into_iter()
            .filter_map(|(index, depth)| {
                let v = saved[index].take()?;
                let (video, thumbnail) = (ObjectUrl::from(v.video.clone()), v.thumbnail.map(ObjectUrl::from));
                Some(SavedVideo { bytes: v.video.size(), meta: v.meta, thumbnail, video, depth })
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
