//! The emulator's documented prompt triggers and its content-policy blocklist.
//!
//! Triggers (case-insensitive substrings of the prompt) pick how an accepted job ends, so a
//! client can reach every status and failure reason:
//!
//! | prompt contains | job ends |
//! |---|---|
//! | `blocked-by-moderation` | `failed`, `failure_reason: "input_moderation"`, right after preprocessing |
//! | `__cancelled__` | `cancelled` (no generations, `failure_reason: null`), halfway through running |
//! | `__internal_error__` | `failed`, `failure_reason: "internal_error"`, after running |
//! | `__output_moderation__` | `failed`, `failure_reason: "output_moderation"`, after processing |
//!
//! When several are present the one that takes effect first wins (the order above). Blocklisted
//! words (`--blocklist`, default `violence` and `gore`) are different: the create itself is
//! refused with 400 `content_policy_violation` (see [`refusal`]).

use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::errors::ApiError;
use crate::plan::Plan;

/// Prompt substring that fails a job with `input_moderation`.
pub const INPUT_MODERATION_TRIGGER: &str = "blocked-by-moderation";
/// Prompt substring that cancels a job while it runs.
pub const CANCELLED_TRIGGER: &str = "__cancelled__";
/// Prompt substring that fails a job with `internal_error`.
pub const INTERNAL_ERROR_TRIGGER: &str = "__internal_error__";
/// Prompt substring that fails a job with `output_moderation`.
pub const OUTPUT_MODERATION_TRIGGER: &str = "__output_moderation__";

/// The message of a content-policy refusal (the service's wording).
pub const REFUSAL_MESSAGE: &str = "Your request was rejected as a result of our safety system. \
     Your prompt may contain content that is not allowed by our safety system.";

/// What happens to a job because of its prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Fails with `input_moderation` right after preprocessing.
    InputModeration,
    /// Ends `cancelled` halfway through the running phase.
    Cancelled,
    /// Fails with `internal_error` after the running phase.
    InternalError,
    /// Fails with `output_moderation` after the processing phase.
    OutputModeration,
}

impl Verdict {
    /// When a job with this verdict ends, measured from creation (an allowed job: when its plan
    /// is done, if its content is rendered by then).
    pub fn ends_at(self, plan: &Plan) -> Duration {
        match self {
            Self::InputModeration => plan.preprocessing_end(),
            Self::Cancelled => plan.running_middle(),
            Self::InternalError => plan.running_end(),
            Self::Allowed | Self::OutputModeration => plan.total(),
        }
    }
}

/// Decides an accepted prompt's fate.
pub fn review(prompt: &str) -> Verdict {
    let triggers = [
        (INPUT_MODERATION_TRIGGER, Verdict::InputModeration),
        (CANCELLED_TRIGGER, Verdict::Cancelled),
        (INTERNAL_ERROR_TRIGGER, Verdict::InternalError),
        (OUTPUT_MODERATION_TRIGGER, Verdict::OutputModeration),
    ];
    triggers
        .into_iter()
        .find(|(trigger, _)| !matches(prompt, trigger).is_empty())
        .map_or(Verdict::Allowed, |(_, verdict)| verdict)
}

/// The 400 `content_policy_violation` for a prompt holding blocklisted words, if it holds any.
///
/// `revised_prompt` is the prompt without those words (whitespace runs collapsed); each word hit
/// is one `error_details` category.
pub fn refusal(prompt: &str, blocklist: &[String]) -> Option<ApiError> {
    let mut details = Map::new();
    let mut cut = vec![false; prompt.len()];
    for word in blocklist {
        let hits = matches(prompt, word);
        if hits.is_empty() {
            continue;
        }
        for (start, end) in hits {
            cut[start..end].fill(true);
        }
        details.insert(word.to_lowercase(), json!({"filtered": true, "severity": "high"}));
    }
    if details.is_empty() {
        return None;
    }
    let kept: String = prompt.char_indices().filter(|(at, _)| !cut[*at]).map(|(_, c)| c).collect();
    let revised = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(ApiError::invalid("prompt", "content_policy_violation", REFUSAL_MESSAGE).with_inner_error(json!({
        "code": "ResponsibleAIPolicyViolation",
        "revised_prompt": revised,
        "error_details": Value::Object(details),
    })))
}

/// Whether `prompt` holds any blocklisted word (the Videos API fails such a video instead of refusing it).
pub fn blocked(prompt: &str, blocklist: &[String]) -> bool {
    blocklist.iter().any(|word| !matches(prompt, word).is_empty())
}

/// Compares characters ignoring case (a character whose lowercase is several is kept as it is).
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(single), None) => single,
        _ => c,
    }
}

/// The byte ranges of `prompt` where `word` occurs, ignoring case (overlaps included).
fn matches(prompt: &str, word: &str) -> Vec<(usize, usize)> {
    let word: Vec<char> = word.chars().map(fold).collect();
    if word.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = prompt.char_indices().collect();
    chars
        .windows(word.len())
        .filter(|window| window.iter().zip(&word).all(|((_, c), w)| fold(*c) == *w))
        .map(|window| {
            let (last_at, last) = window[window.len() - 1];
            (window[0].0, last_at + last.len_utf8())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers() {
        assert_eq!(review("A calm lake"), Verdict::Allowed);
        assert_eq!(review("Extreme VIOLENCE"), Verdict::Allowed, "blocklist is not a trigger");
        assert_eq!(review("x Blocked-By-Moderation"), Verdict::InputModeration);
        assert_eq!(review("x __INTERNAL_ERROR__ y"), Verdict::InternalError);
        assert_eq!(review("__cancelled__"), Verdict::Cancelled);
        assert_eq!(review("__Output_Moderation__"), Verdict::OutputModeration);
        assert_eq!(review("__output_moderation__ __cancelled__"), Verdict::Cancelled, "the earliest outcome wins");
    }

    #[test]
    fn refusals_name_each_word_and_revise_the_prompt() {
        let list = ["violence".to_owned(), "gore".to_owned()];
        assert!(refusal("A calm lake", &list).is_none());
        let error = refusal("  Gory VIOLENCE, gore   and violence!  ", &list).expect("refused");
        assert_eq!(error.status, 400);
        assert_eq!(error.param.as_deref(), Some("prompt"));
        let inner = error.inner_error.expect("inner_error");
        assert_eq!(inner["revised_prompt"], "Gory , and !");
        assert_eq!(
            inner["error_details"],
            json!({"violence": {"filtered": true, "severity": "high"},
                   "gore": {"filtered": true, "severity": "high"}})
        );
        assert!(blocked("so much GORE", &list) && !blocked("A calm lake", &list));
        let error = refusal("İstanbul GÖRE", &["göre".to_owned()]).expect("refused");
        assert_eq!(error.inner_error.unwrap()["revised_prompt"], "İstanbul");
    }
}
