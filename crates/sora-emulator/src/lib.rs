//! A local emulator of the Azure OpenAI video generation jobs API (Sora) and of the Videos API
//! (`/videos`, Sora 2) that renders real MP4s.
//!
//! [`serve`] runs the HTTP server; [`spawn`] starts one on a free loopback port for tests.

pub mod admin_access;
pub mod admin_input;
pub mod auth;
pub mod body_faults;
pub mod clock;
pub mod config;
pub mod cors;
pub mod create;
pub mod errors;
pub mod faults;
pub mod gate;
pub mod ids;
pub mod job;
pub mod lifecycle;
pub mod limits;
pub mod media;
pub mod moderation;
pub mod persist;
pub mod plan;
pub mod query;
pub mod range;
pub mod request_log;
pub mod routes;
pub mod server;
pub mod state;
pub mod store;
pub mod sync;
pub mod timing;
pub mod videos;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use config::Config;

use crate::state::AppState;
use crate::sync::lock;

/// How often expired jobs are purged from memory (reads already hide them).
const PURGE_INTERVAL: Duration = Duration::from_secs(5);

/// Serves the emulator on `listener` until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<()> {
    let state = Arc::new(AppState::new(&config));
    if let Some(path) = &config.state_file {
        let jobs = persist::load(path, clock::now_ms()).map_err(std::io::Error::other)?;
        let mut store = lock(&state.store);
        for mut job in jobs {
            let generations = job.generations().to_vec();
            store.index_generations(&job.id, &generations);
            if job.is_pending() {
                lifecycle::start(&state, &mut job);
            }
            store.insert(job);
        }
    }
    let purge_state = Arc::downgrade(&state);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PURGE_INTERVAL);
        loop {
            ticks.tick().await;
            let Some(state) = purge_state.upgrade() else {
                break;
            };
            let purged = lock(&state.store).purge_expired(clock::now_ms());
            if purged {
                state.persist();
            }
        }
    });
    server::run(listener, routes::router(state)).await
}

/// Starts a server on 127.0.0.1 with a free port (for tests); returns its address and task.
pub async fn spawn(config: Config) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let handle = tokio::spawn(serve(listener, config));
    Ok((addr, handle))
}
