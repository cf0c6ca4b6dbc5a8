//! CORS for browsers: the API for any origin; /admin only for the `--admin-origin` origins.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

/// Response headers a browser client may read.
const EXPOSED: [&str; 9] = [
    "apim-request-id",
    // The Videos API's poll hint, read by SDKs' wait loops.
    "openai-poll-after-ms",
    "retry-after",
    "retry-after-ms",
    "content-length",
    "content-range",
    "last-modified",
    "accept-ranges",
    "content-type",
];

const METHODS: [Method; 5] = [Method::GET, Method::POST, Method::DELETE, Method::HEAD, Method::OPTIONS];

/// The API's CORS layer. Preflights are answered here, before faults, auth and the rpm budget.
/// `private_network` answers Chromium's Private Network Access preflights (`--private-network-access`).
pub fn layer(private_network: bool) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods(METHODS)
        // Mirroring covers api-key, authorization, content-type, range and anything else asked for.
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(EXPOSED.map(HeaderName::from_static))
        .max_age(Duration::from_secs(600))
        .allow_private_network(private_network)
}

/// The admin CORS layer: only `origins` (already validated), only the headers admin calls need.
/// None when no origin is allowed: then admin answers no CORS at all.
pub fn admin_layer(origins: &[String], private_network: bool) -> Option<CorsLayer> {
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods(METHODS)
            .allow_headers([
                HeaderName::from_static("content-type"),
                HeaderName::from_static(crate::admin_access::TOKEN_HEADER),
            ])
            .max_age(Duration::from_secs(600))
            .allow_private_network(private_network),
    )
}
