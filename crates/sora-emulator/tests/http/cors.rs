//! Browser readiness: CORS preflights, exposed headers and CORP everywhere (admin: admin_access.rs).

use reqwest::{Method, StatusCode};

use crate::common::{API, Emu};

#[tokio::test]
async fn preflights_are_answered_without_auth() {
    let emu = Emu::shared();
    for path in [format!("{API}/jobs"), format!("{API}/gen_x/content/video"), "/admin/redirect/landing/x".to_owned()] {
        let response = emu
            .client
            .request(Method::OPTIONS, emu.url(&path))
            .header("origin", "http://localhost:8080")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "api-key,authorization,content-type,range,x-custom")
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        let headers = response.headers();
        assert_eq!(headers["access-control-allow-origin"], "*");
        let methods = headers["access-control-allow-methods"].to_str().unwrap().to_ascii_uppercase();
        for method in ["GET", "POST", "DELETE", "HEAD", "OPTIONS"] {
            assert!(methods.contains(method), "{methods}");
        }
        let allowed = headers["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
        for header in ["api-key", "authorization", "content-type", "range", "x-custom"] {
            assert!(allowed.contains(header), "{allowed}");
        }
        assert_eq!(headers["cross-origin-resource-policy"], "cross-origin");
        assert!(headers.contains_key("apim-request-id"));
    }
}

#[tokio::test]
async fn responses_expose_the_headers_clients_read() {
    let emu = Emu::shared();
    let response =
        emu.api(Method::GET, "/jobs?limit=1").header("origin", "http://localhost:8080").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let exposed = response.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    for header in [
        "apim-request-id",
        "retry-after",
        "retry-after-ms",
        "content-length",
        "content-range",
        "last-modified",
        "accept-ranges",
    ] {
        assert!(exposed.contains(header), "{exposed}");
    }
    // Errors carry CORS too, or a browser could not read them.
    let response =
        emu.client.get(emu.url(&format!("{API}/jobs"))).header("origin", "http://x.test").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(response.headers()["cross-origin-resource-policy"], "cross-origin");
}
