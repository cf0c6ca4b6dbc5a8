//! Credentials: a resource key, a fixed bearer token, or a token provider (Microsoft Entra ID).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use crate::error::Error;

/// An access token and when it stops working.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub value: String,
    /// Unix milliseconds; `None` means "until the service refuses it".
    pub expires_at_ms: Option<u64>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token").field("value", &"<redacted>").field("expires_at_ms", &self.expires_at_ms).finish()
    }
}

/// What a token provider returns.
pub type TokenFuture = Pin<Box<dyn Future<Output = Result<Token, Error>>>>;

/// A function that fetches a fresh token.
pub type TokenProvider = Rc<dyn Fn() -> TokenFuture>;

/// How requests are authenticated.
#[derive(Clone)]
pub enum Auth {
    /// An Azure OpenAI resource key, sent as the `api-key` header.
    ApiKey(String),
    /// A fixed access token, sent as `Authorization: Bearer`.
    Bearer(String),
    /// Called for a token when there is none, when it is about to expire, and once after a 401.
    TokenProvider(TokenProvider),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets never reach logs, not even through Debug.
        match self {
            Self::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Self::TokenProvider(_) => f.write_str("TokenProvider"),
        }
    }
}

/// Tokens are renewed this long before they expire, so none expires in flight.
pub(crate) const TOKEN_RENEW_MARGIN_MS: u64 = 30_000;

impl Auth {
    /// Check a static key or token before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        match self {
            Self::ApiKey(key) => validate_secret("api_key", key),
            Self::Bearer(token) => validate_secret("token", token),
            Self::TokenProvider(_) => Ok(()),
        }
    }
}

/// Refuse secrets that are empty or cannot travel in an HTTP header.
pub(crate) fn validate_secret(field: &'static str, secret: &str) -> Result<(), Error> {
    if secret.trim().is_empty() {
        return Err(Error::Validation { field, message: "must not be empty".into() });
    }
    if secret.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(Error::Validation { field, message: "contains characters a header cannot carry".into() });
    }
    Ok(())
}

/// Whether a cached token must be renewed at `now_ms`.
pub(crate) fn needs_renewal(token: Option<&Token>, now_ms: u64) -> bool {
    match token {
        None => true,
        Some(Token { expires_at_ms: Some(at), .. }) => now_ms.saturating_add(TOKEN_RENEW_MARGIN_MS) >= *at,
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal() {
        let token = |at| Token { value: "t".into(), expires_at_ms: at };
        assert!(needs_renewal(None, 0));
        assert!(!needs_renewal(Some(&token(None)), u64::MAX / 2));
        assert!(!needs_renewal(Some(&token(Some(100_000))), 60_000));
        assert!(needs_renewal(Some(&token(Some(100_000))), 70_000));
        assert_eq!(format!("{:?}", token(Some(1))), "Token { value: \"<redacted>\", expires_at_ms: Some(1) }");
    }

    #[test]
    fn secrets_are_checked() {
        assert!(Auth::ApiKey("k".into()).validate().is_ok());
        assert!(matches!(Auth::ApiKey(" ".into()).validate(), Err(Error::Validation { field: "api_key", .. })));
        assert!(matches!(Auth::Bearer("é".into()).validate(), Err(Error::Validation { field: "token", .. })));
    }
}
