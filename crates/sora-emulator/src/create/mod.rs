//! The create pipeline, one module per step in the order `routes::jobs::create` calls them:
//! [`parse`] the body, [`validate`] it, [`planning`] the job, [`admit`] it into the store.
//!
//! Each step only uses the steps after it and the modules below (job, store, lifecycle, state).

pub mod admit;
pub mod multipart;
pub mod opening;
pub mod parse;
pub mod planning;
pub mod validate;
