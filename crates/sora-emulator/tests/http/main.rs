//! HTTP tests: each starts (or shares) a real emulator on a loopback port and talks to it with reqwest.

mod admin;
mod admin_access;
mod admin_limits;
mod api;
mod auth;
mod binary;
mod clock_skew;
mod common;
mod content;
mod cors;
mod faults;
mod inpaint_limits;
mod lifecycle;
mod limits;
mod listing;
mod multipart;
mod redirect;
mod restart;
mod static_files;
mod timing;
mod validation;
