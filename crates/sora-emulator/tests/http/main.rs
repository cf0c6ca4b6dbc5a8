//! HTTP tests: each starts (or shares) a real emulator on a loopback port and talks to it with reqwest.

mod admin;
mod admin_access;
mod admin_limits;
mod api;
mod api_version;
mod auth;
mod binary;
mod clock_skew;
mod common;
mod content;
mod cors;
mod deployments;
mod faults;
mod inpaint_limits;
mod lifecycle;
mod limits;
mod listing;
mod multipart;
mod redirect;
mod refusals;
mod restart;
mod static_files;
mod timing;
mod triggers;
mod validation;
