//! What follows a job that ended without videos, or a create the service refused: trying again,
//! and pointing at what to fix.

use leptos::prelude::*;
use sora_client::Error;

use super::{Entry, Studio, Submission};
use crate::format::{self, Problem, describe};

impl Studio {
    /// Create a new job from an ended one's request (with its image when this page sent it); the
    /// ended job keeps its card.
    pub fn try_again(&self, entry: Entry) {
        let Some(request) = entry.request.try_get_value() else { return };
        let submission = entry.original.try_get_value().flatten().unwrap_or(Submission::Text(request));
        self.submit(submission);
    }

    /// The problem to show for a create the service refused. An unknown deployment is also flagged
    /// at the deployment field (which the connection panel shows and focuses).
    pub(super) fn refusal_problem(&self, error: &Error, deployment: &str) -> Problem {
        match error {
            Error::Api(api) if api.is_unknown_deployment() => {
                self.unknown_deployment.try_set(Some(deployment.to_owned()));
                format::unknown_deployment(deployment, api)
            }
            _ => describe(error),
        }
    }

    /// A create with `deployment` was accepted: it exists after all (deployments take a while to appear).
    pub(super) fn accepted(&self, deployment: &str) {
        if self.unknown_deployment.try_with_untracked(|d| d.as_deref() == Some(deployment)).unwrap_or(false) {
            self.unknown_deployment.try_set(None);
        }
    }
}

/// Whether the service judged the request itself (so sending it again would be refused again).
pub(super) fn is_final_refusal(error: &Error) -> bool {
    match error {
        Error::Validation { .. } => true,
        Error::Api(api) => matches!(api.status, 400 | 404 | 413 | 415 | 422),
        _ => false,
    }
}
