//! Downloading and saving: a finished job's videos fetched into blobs (authenticated, so no plain
//! `src` can do it), shown as they come and saved in the library with the job's record; and
//! deleting a job from the service and this device.

use gloo_file::{Blob, ObjectUrl};
use leptos::prelude::*;
use sora_client::Error;
use sora_client::videos::ContentVariant;

use super::record::JobRecord;
use super::retry::read_with_pauses;
use super::{Entry, Studio, VideoMeta};
use crate::api;
use crate::format::describe;
use crate::storage;
use crate::tabs::TabMessage;

/// One variant on screen; its object URLs are revoked when it is dropped.
#[derive(Clone)]
pub struct ShownVideo {
    pub meta: VideoMeta,
    pub thumbnail: Option<ObjectUrl>,
    pub video: Option<ObjectUrl>,
    /// A grid of frames to scrub through (the Videos API, when the server has one).
    pub spritesheet: Option<ObjectUrl>,
}

/// The videos a card shows (local: object URLs are not `Send`).
pub type Shown = RwSignal<Vec<ShownVideo>, LocalStorage>;

impl Studio {
    /// Save a record and tell the other tabs about it.
    pub async fn save(&self, record: &JobRecord) {
        self.store_result(storage::put_job(&record.job.id, record).await);
        self.tabs.send(&TabMessage::Job { record: record.clone() });
    }

    /// Delete a job on the service and from this device.
    pub fn delete(&self, entry: Entry) {
        let studio = *self;
        let Some(job_id) = entry.job_id() else { return self.cancel_submission(entry) };
        let gone = entry.record.with_untracked(|r| r.as_ref().is_some_and(|r| r.gone));
        if entry.deleting.get_untracked() {
            return;
        }
        entry.deleting.set(true);
        entry.problem.set(None);
        leptos::task::spawn_local(async move {
            if !gone {
                let result = match studio.client() {
                    // A gateway without the route (LiteLLM answers 405) cannot delete: the card still goes.
                    Ok(client) if client.protocol().is_videos() => {
                        client.delete_video(&job_id).await.map(drop).map_err(|e| {
                            let no_route = matches!(&e, Error::Api(api) if matches!(api.status, 405 | 501));
                            (super::is_gone(&e) || no_route, describe(&e))
                        })
                    }
                    Ok(client) => client.delete_job(&job_id).await.map_err(|e| (super::is_gone(&e), describe(&e))),
                    Err(problem) => Err((false, problem)),
                };
                if let Err((false, problem)) = result {
                    entry.problem.try_set(Some(problem));
                    entry.deleting.try_set(false);
                    return;
                }
            }
            studio.store_result(storage::delete_job(&job_id).await);
            studio.remove_entry(entry.key);
            studio.tabs.send(&TabMessage::Removed { job_id });
            studio.library_version.update(|v| *v += 1);
        });
    }

    /// Show the videos saved in the library for this job.
    pub async fn load_saved(&self, entry: Entry, shown: Shown) {
        let Some(job_id) = entry.job_id() else { return };
        let Some(mut saved) = self.store_result(storage::videos_of_job::<VideoMeta>(&job_id).await) else { return };
        saved.sort_by_key(|v| v.meta.variant);
        let items = saved
            .into_iter()
            .map(|v| ShownVideo {
                meta: v.meta,
                thumbnail: v.thumbnail.map(ObjectUrl::from),
                video: Some(ObjectUrl::from(v.video)),
                spritesheet: None,
            })
            .collect();
        shown.try_set(items);
    }

    /// Download each variant (thumbnail, then video), show it, and save it in the library.
    pub async fn download(&self, entry: Entry, shown: Shown, signal: web_sys::AbortSignal) {
        let studio = *self;
        let Some(record) = entry.record.get_untracked() else { return };
        let client = match studio.client_with_signal(&signal) {
            Ok(client) => client,
            Err(problem) => return entry.problem.set(Some(problem)),
        };
        let job = &record.job;
        let mut all_saved = true;
        for (index, generation) in job.generations.iter().enumerate() {
            let meta = VideoMeta {
                generation_id: generation.id.clone(),
                job_id: job.id.clone(),
                prompt: job.prompt.clone(),
                width: if generation.width > 0 { generation.width } else { job.width },
                height: if generation.height > 0 { generation.height } else { job.height },
                n_seconds: job.n_seconds,
                variant: index + 1,
                saved_at_ms: js_sys::Date::now(),
                expires_at: job.expires_at,
                remixed_from: record.remixed_from.clone(),
            };
            let set = move |edit: &dyn Fn(&mut ShownVideo)| {
                shown.try_update(|s| {
                    if let Some(item) = s.get_mut(index) {
                        edit(item);
                    }
                });
            };
            if shown.with_untracked(|s| s.len() <= index) {
                let item = ShownVideo { meta: meta.clone(), thumbnail: None, video: None, spritesheet: None };
                shown.try_update(|s| s.push(item));
            }
            // A missing thumbnail or spritesheet only costs the poster image or scrubbing: the video still plays.
            let thumbnail: Option<Blob> =
                api::asset_blob(&client, &generation.id, ContentVariant::Thumbnail).await.ok();
            if let Some(t) = &thumbnail {
                let url = ObjectUrl::from(t.clone());
                set(&|item| item.thumbnail = Some(url.clone()));
            }
            if record.protocol.is_videos()
                && let Ok(sheet) = api::asset_blob(&client, &generation.id, ContentVariant::Spritesheet).await
            {
                let url = ObjectUrl::from(sheet);
                set(&|item| item.spritesheet = Some(url.clone()));
            }
            // A download that breaks off more often than the client retries by itself (a flaky
            // connection, a proxy) is tried again here, with the wait shown on the card.
            let downloaded = read_with_pauses(&client, entry, "Downloading again", || {
                api::asset_blob(&client, &generation.id, ContentVariant::Video)
            })
            .await;
            let video = match downloaded {
                Ok(video) => {
                    entry.problem.try_set(None);
                    video
                }
                Err(Error::Aborted) => return,
                Err(error) => {
                    entry.problem.try_set(Some(describe(&error)));
                    return;
                }
            };
            let url = ObjectUrl::from(video.clone());
            set(&|item| item.video = Some(url.clone()));
            let web_video: &web_sys::Blob = video.as_ref();
            let saved =
                storage::put_video(&generation.id, &job.id, &meta, web_video, thumbnail.as_ref().map(AsRef::as_ref))
                    .await;
            all_saved &= studio.store_result(saved).is_some();
        }
        if all_saved {
            let mut updated = None;
            entry.record.try_update(|r| {
                if let Some(r) = r {
                    r.saved = true;
                    updated = Some(r.clone());
                }
            });
            if let Some(record) = updated {
                studio.save(&record).await;
                studio.tabs.send(&TabMessage::Saved { job_id: record.job.id });
                studio.library_version.update(|v| *v += 1);
            }
        }
    }
}
