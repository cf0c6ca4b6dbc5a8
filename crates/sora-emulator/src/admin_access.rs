//! Who may call /admin: pages on the server's own origin or an `--admin-origin`, with the token.
//!
//! Admin calls change what every client sees (faults, resets, tokens), so a page on some other
//! origin must not make them: a request carrying a foreign `Origin` is refused (403) before
//! anything else, and every request must carry `x-admin-token` (401 otherwise). The redirect
//! landing route is not an admin action (it only records who arrived) and stays open.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;
use crate::state::SharedState;

/// The header that carries the admin token.
pub const TOKEN_HEADER: &str = "x-admin-token";

/// Whether `path` is an admin control (everything under /admin except the redirect landing).
pub fn is_admin_control(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/admin") else {
        return false;
    };
    let landing = rest == "/redirect/landing" || rest.starts_with("/redirect/landing/");
    (rest.is_empty() || rest.starts_with('/')) && !landing
}

/// Outermost admin middleware: refuses a request whose `Origin` is neither ours nor allowed.
pub async fn check_origin(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let refused = match headers.get(header::ORIGIN) {
        Some(origin) => {
            let origin = origin.to_str().unwrap_or("").to_ascii_lowercase();
            let own = headers
                .get(header::HOST)
                .and_then(|host| host.to_str().ok())
                .map(|host| format!("http://{}", host.to_ascii_lowercase()));
            let allowed = own.as_deref() == Some(origin.as_str()) || state.admin_origins.contains(&origin);
            (!allowed).then_some(origin)
        }
        // Browsers omit Origin on no-cors GETs (an <img>, a link) but say where they came from.
        None => headers
            .get("sec-fetch-site")
            .and_then(|site| site.to_str().ok())
            .filter(|site| !matches!(*site, "same-origin" | "none"))
            .map(|site| format!("(a {site} page)")),
    };
    if let Some(origin) = refused {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "admin_origin_refused",
            format!(
                "Admin calls from the origin {origin} are refused: only the emulator's own \
                 origin and --admin-origin origins may call /admin."
            ),
        )
        .into_response();
    }
    next.run(request).await
}

/// Inner admin middleware (after CORS preflights): requires the admin token.
pub async fn check_token(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let sent = request.headers().get(TOKEN_HEADER).map(|value| value.as_bytes());
    let valid = match (sent, state.admin_token.as_deref()) {
        (Some(sent), Some(token)) => same(sent, token.as_bytes()),
        _ => false,
    };
    if !valid {
        let message = if sent.is_some() {
            "The x-admin-token header does not match the emulator's admin token."
        } else {
            "Admin calls need the header x-admin-token: TOKEN (--admin-token, or the token the \
             emulator printed on stderr at start)."
        };
        return ApiError::new(StatusCode::UNAUTHORIZED, "admin_token_required", message).into_response();
    }
    next.run(request).await
}

/// Compares in time independent of where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_landing_is_not_a_control() {
        for path in ["/admin", "/admin/faults", "/admin/redirect", "/admin/redirect/landingx"] {
            assert!(is_admin_control(path), "{path}");
        }
        for path in ["/administrator", "/admin/redirect/landing", "/admin/redirect/landing/openai/v1", "/openai/v1"] {
            assert!(!is_admin_control(path), "{path}");
        }
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }
}
