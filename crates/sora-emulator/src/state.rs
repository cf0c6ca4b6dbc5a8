//! Shared server state: live settings, jobs, faults, rate windows, tokens and the request log.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::Semaphore;

use crate::config::Config;
use crate::faults::FaultQueue;
use crate::ids::IdMaker;
use crate::limits::RateWindow;
use crate::request_log::RequestLog;
use crate::store::Store;
use crate::sync::lock;
use crate::timing::Timing;

/// The deployment every emulator knows (the name the docs' examples use).
pub const DEFAULT_DEPLOYMENT: &str = "sora";

/// Settings that `/admin/config` can change while the server runs.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub rpm: u32,
    pub max_running: u32,
    pub speed: f64,
    pub ttl_seconds: u64,
    pub latency_ms: u64,
    /// Seconds added to every timestamp the server writes.
    pub clock_skew_secs: i64,
    /// Whether Videos API answers of unfinished videos carry `openai-poll-after-ms`.
    pub poll_hint: bool,
    /// Whether `variant=spritesheet` is served (false emulates a host that makes none: 404).
    pub spritesheets: bool,
}

impl From<&Config> for Settings {
    fn from(config: &Config) -> Self {
        Self {
            rpm: config.rpm,
            max_running: config.max_running,
            speed: config.speed,
            ttl_seconds: config.ttl_seconds,
            latency_ms: config.latency_ms,
            clock_skew_secs: config.clock_skew_secs,
            poll_hint: true,
            spritesheets: true,
        }
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    pub api_key: String,
    /// What `x-admin-token` must be; None (no OS randomness, library use only) refuses every call.
    pub admin_token: Option<String>,
    /// `--admin-origin`: pages on these origins may call /admin.
    pub admin_origins: Vec<String>,
    /// `--private-network-access`: answer Chromium's Private Network Access preflights.
    pub private_network_access: bool,
    pub static_dir: Option<PathBuf>,
    /// What `/admin/reset` restores.
    pub startup: Settings,
    pub settings: Mutex<Settings>,
    pub store: Mutex<Store>,
    pub faults: Mutex<FaultQueue>,
    pub rate: Mutex<RateWindow>,
    /// Minted bearer token -> expiry in unix ms.
    pub tokens: Mutex<HashMap<String, u64>>,
    pub requests: Mutex<RequestLog>,
    pub ids: IdMaker,
    /// `--timing` and `--seed`: how long new jobs take.
    pub timing: Timing,
    /// Bounds concurrent background (job) encodes so rendering cannot starve the server of CPU.
    pub render_permits: Arc<Semaphore>,
    /// Separate permits for encodes a client is waiting on (low quality), so they never queue
    /// behind a backlog of job renders.
    pub on_demand_permits: Arc<Semaphore>,
    /// `--state-file`: where the jobs are persisted.
    pub state_file: Option<PathBuf>,
    /// The deployment names a create's `model` may use: `sora` and every `--deployment`.
    pub deployments: Vec<String>,
    /// `--blocklist`: prompt words refused at create.
    pub blocklist: Vec<String>,
    /// `--flat-errors`: send error bodies without the `{"error": ...}` wrapper.
    pub flat_errors: bool,
    /// Serialises state-file writes so a newer snapshot is never overwritten by an older one.
    persist_lock: Mutex<()>,
}

/// The state as handlers receive it.
pub type SharedState = Arc<AppState>;

impl AppState {
    /// Builds the state from the startup configuration (queueing the fault flags).
    pub fn new(config: &Config) -> Self {
        let permits = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        Self {
            api_key: config.api_key.clone(),
            admin_token: config.admin_token.clone().or_else(|| crate::ids::admin_token().ok()),
            admin_origins: config.admin_origins.clone(),
            private_network_access: config.private_network_access,
            static_dir: config.static_dir.clone(),
            startup: Settings::from(config),
            settings: Mutex::new(Settings::from(config)),
            store: Mutex::new(Store::default()),
            faults: Mutex::new(FaultQueue::from_config(config)),
            rate: Mutex::new(RateWindow::default()),
            tokens: Mutex::new(HashMap::new()),
            requests: Mutex::new(RequestLog::default()),
            ids: IdMaker::default(),
            timing: Timing::new(config.timing, config.seed),
            render_permits: Arc::new(Semaphore::new(permits)),
            on_demand_permits: Arc::new(Semaphore::new(permits)),
            state_file: config.state_file.clone(),
            deployments: std::iter::once(DEFAULT_DEPLOYMENT.to_owned())
                .chain(config.deployments.iter().cloned())
                .collect(),
            blocklist: config.blocklist.clone(),
            flat_errors: config.flat_errors,
            persist_lock: Mutex::new(()),
        }
    }

    /// Writes the jobs to the state file, if there is one (call after every change, unlocked).
    pub fn persist(&self) {
        let Some(path) = &self.state_file else { return };
        let _writer = lock(&self.persist_lock);
        let store = lock(&self.store);
        // Saving under the store lock keeps the snapshot consistent; the file is small.
        if let Err(error) = crate::persist::save(path, &store) {
            eprintln!("cannot write the state file {}: {error}", path.display());
        }
    }

    /// A snapshot of the live settings.
    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }
}
