//! The studio's parts, one per file.

mod connect;
mod create_form;
mod image_input;
mod job_card;
mod job_list;
mod library;
mod player;
mod problem;
mod server_jobs;

pub use connect::Connect;
pub use create_form::CreateForm;
pub use job_list::JobList;
pub use library::Library;
pub use server_jobs::ServerJobs;
