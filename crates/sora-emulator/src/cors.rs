//! CORS for browsers: any origin, the API's methods and headers, and the headers clients read.

use std::time::Duration;

use axum::http::{HeaderName, Method};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

/// Response headers a browser client may read.
const EXPOSED: [&str; 8] = [
    "apim-request-id",
    "retry-after",
    "retry-after-ms",
    "content-length",
    "content-range",
    "last-modified",
    "accept-ranges",
    "content-type",
];

/// The CORS layer. Preflights are answered here, before faults, auth and the rpm budget.
pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::DELETE,
            Method::HEAD,
            Method::OPTIONS,
        ])
        // Mirroring covers api-key, authorization, content-type, range and anything else asked for.
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(EXPOSED.map(HeaderName::from_static))
        .max_age(Duration::from_secs(600))
        // Lets pages on public origins reach an emulator on localhost (Chromium's Private Network Access).
        .allow_private_network(true)
}
