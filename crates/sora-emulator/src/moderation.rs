//! The emulator's tiny, documented moderation and failure triggers.

/// Prompt substrings (matched case-insensitively) that fail a job with `input_moderation`.
pub const BLOCKLIST: [&str; 3] = ["violence", "gore", "blocked-by-moderation"];

/// Prompt substring that fails a job with `internal_error`.
pub const INTERNAL_ERROR_TRIGGER: &str = "__internal_error__";

/// What happens to a job because of its prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Fails with `input_moderation` right after preprocessing.
    Blocked,
    /// Fails with `internal_error` after the running phase.
    InternalError,
}

/// Decides a prompt's fate.
pub fn review(prompt: &str) -> Verdict {
    let lower = prompt.to_lowercase();
    if BLOCKLIST.iter().any(|word| lower.contains(word)) {
        Verdict::Blocked
    } else if lower.contains(INTERNAL_ERROR_TRIGGER) {
        Verdict::InternalError
    } else {
        Verdict::Allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers() {
        assert_eq!(review("A calm lake"), Verdict::Allowed);
        assert_eq!(review("Extreme VIOLENCE"), Verdict::Blocked);
        assert_eq!(review("x __INTERNAL_ERROR__ y"), Verdict::InternalError);
    }
}
