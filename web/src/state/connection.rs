//! Connecting: the settings (restored from localStorage; the key only when the user asked to
//! remember it) and the connection check.

use leptos::prelude::*;
use sora_client::videos::ListVideosQuery;
use sora_client::{Error, ListJobsQuery, Protocol};

use super::Studio;
use crate::api::{self, AuthMode, Connection, StudioClient, StudioTransport};
use crate::format::{self, Problem, describe};
use crate::storage::{local_get, local_set};

const PROTOCOL: &str = "sora-studio.protocol";
const ENDPOINT: &str = "sora-studio.endpoint";
const DEPLOYMENT: &str = "sora-studio.deployment";
const AUTH_MODE: &str = "sora-studio.auth-mode";
const KEY: &str = "sora-studio.key";
const REQUESTS_PER_MINUTE: &str = "sora-studio.requests-per-minute";

/// The saved connection (or the defaults: this page's origin, `sora`, the emulator key on loopback).
pub fn load_connection() -> (Connection, bool) {
    let saved_key = local_get(KEY);
    let remember = saved_key.is_some();
    let default_key = if api::on_loopback() { api::EMULATOR_KEY.to_owned() } else { String::new() };
    let connection = Connection {
        protocol: local_get(PROTOCOL).and_then(|p| Protocol::from_name(&p).ok()).unwrap_or_default(),
        endpoint: local_get(ENDPOINT).filter(|e| !e.trim().is_empty()).unwrap_or_else(api::page_origin),
        deployment: local_get(DEPLOYMENT).filter(|d| !d.trim().is_empty()).unwrap_or_else(|| "sora".into()),
        auth_mode: match local_get(AUTH_MODE).as_deref() {
            Some("bearer") => AuthMode::Bearer,
            _ => AuthMode::ApiKey,
        },
        key: saved_key.unwrap_or(default_key),
        requests_per_minute: local_get(REQUESTS_PER_MINUTE)
            .and_then(|n| format::requests_per_minute(&n).ok())
            .unwrap_or(api::DEFAULT_REQUESTS_PER_MINUTE),
    };
    (connection, remember)
}

/// Save the settings; the key is stored only with `remember`, and removed otherwise.
pub fn save_connection(connection: &Connection, remember: bool) {
    local_set(PROTOCOL, Some(connection.protocol.as_str()));
    local_set(ENDPOINT, Some(&connection.endpoint));
    local_set(DEPLOYMENT, Some(&connection.deployment));
    local_set(AUTH_MODE, Some(if connection.auth_mode == AuthMode::Bearer { "bearer" } else { "api-key" }));
    local_set(REQUESTS_PER_MINUTE, Some(&connection.requests_per_minute.to_string()));
    local_set(KEY, remember.then_some(connection.key.as_str()));
}

/// What answered a connection check: the newest item or nothing, or (a gateway) an error that
/// shows the route exists but cannot list.
enum Listing {
    Empty,
    Some,
    CannotList(String),
}

/// List one item with `client`'s API.
async fn list_one(client: &StudioClient) -> Result<Listing, Error> {
    if !client.protocol().is_videos() {
        let page = client.list_jobs(&ListJobsQuery { limit: 1, ..Default::default() }).await?;
        return Ok(if page.data.is_empty() { Listing::Empty } else { Listing::Some });
    }
    match client.list_videos(&ListVideosQuery { limit: 1, ..Default::default() }).await {
        Ok(page) => Ok(if page.data.is_empty() { Listing::Empty } else { Listing::Some }),
        // A gateway that routes the Videos API but not its list (LiteLLM answers 400 or 405).
        Err(Error::Api(api))
            if client.protocol() == Protocol::OpenAiVideos && matches!(api.status, 400 | 405 | 501) =>
        {
            Ok(Listing::CannotList(api.message))
        }
        Err(error) => Err(error),
    }
}

/// What to tell the person about a listing at `endpoint`.
fn connected(endpoint: &str, listing: Listing) -> String {
    match listing {
        Listing::Empty => format!("Connected to {endpoint}."),
        Listing::Some => format!("Connected to {endpoint}: it has videos."),
        Listing::CannotList(said) => format!(
            "Connected to {endpoint}. This gateway cannot list its videos (it said: {said}); the studio works from its own record of the videos it creates here."
        ),
    }
}

impl Studio {
    /// Check the connection with the smallest request (one item of the list): what to tell the person.
    pub async fn check_connection(&self) -> Result<String, Problem> {
        let client = self.client()?;
        let listing = list_one(&client).await.map_err(|e| describe(&e))?;
        Ok(connected(client.endpoint().as_str(), listing))
    }

    /// Try the endpoint with each API in turn and switch the connection to the first that answers;
    /// what to tell the person.
    pub async fn detect(&self) -> Result<String, Problem> {
        let connection = self.connection.get_untracked();
        let mut last = None;
        for protocol in Protocol::ALL {
            let transport = StudioTransport::new(self.busy, self.tabs.hidden, None);
            let Ok(client) = api::client(&Connection { protocol, ..connection.clone() }, transport) else { continue };
            match list_one(&client).await {
                Ok(listing) => {
                    self.connection.update(|c| c.set_protocol(protocol));
                    let name = format::protocol_label(protocol);
                    return Ok(format!("{name} answered. {}", connected(client.endpoint().as_str(), listing)));
                }
                // The key was refused: no other API would say more.
                Err(Error::Api(api)) if matches!(api.status, 401 | 403) => return Err(describe(&Error::Api(api))),
                Err(error) => last = Some(error),
            }
        }
        let mut problem = last.map_or_else(
            || describe(&Error::Validation { field: "endpoint", message: "is not a URL any API can use".into() }),
            |e| describe(&e),
        );
        problem.detail = format!(
            "No API answered at this endpoint (the jobs API, Azure Sora 2, an OpenAI-compatible gateway). The last answer: {}",
            problem.detail
        );
        Err(problem)
    }
}
