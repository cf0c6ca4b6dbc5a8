//! Connecting: the settings (restored from localStorage; the key only when the user asked to
//! remember it) and the connection check.

use sora_client::ListJobsQuery;

use super::Studio;
use crate::api::{self, AuthMode, Connection};
use crate::format::{self, Problem, describe};
use crate::storage::{local_get, local_set};

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
    local_set(ENDPOINT, Some(&connection.endpoint));
    local_set(DEPLOYMENT, Some(&connection.deployment));
    local_set(AUTH_MODE, Some(if connection.auth_mode == AuthMode::Bearer { "bearer" } else { "api-key" }));
    local_set(REQUESTS_PER_MINUTE, Some(&connection.requests_per_minute.to_string()));
    local_set(KEY, remember.then_some(connection.key.as_str()));
}

impl Studio {
    /// Check the connection with the smallest request (one job of the list): what to tell the person.
    pub async fn check_connection(&self) -> Result<String, Problem> {
        let client = self.client()?;
        let page =
            client.list_jobs(&ListJobsQuery { limit: 1, ..Default::default() }).await.map_err(|e| describe(&e))?;
        let endpoint = client.endpoint().as_str();
        Ok(if page.data.is_empty() {
            format!("Connected to {endpoint}.")
        } else {
            format!("Connected to {endpoint}: it has jobs.")
        })
    }
}
