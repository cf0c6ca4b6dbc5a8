//! Admin lockdown: the token, the origin check, admin CORS only for --admin-origin, opt-in PNA.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sora_emulator::Config;

use crate::common::{ADMIN_TOKEN, API, Emu, error_of, fast, json_of};

/// An admin request with a chosen token (None: no header) and origin (None: no header).
async fn call(
    emu: &Emu,
    method: Method,
    path: &str,
    token: Option<&str>,
    origin: Option<&str>,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let mut request = emu.client.request(method, emu.url(path));
    if let Some(token) = token {
        request = request.header("x-admin-token", token);
    }
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    if path != "/admin/requests" && path != "/admin/config" {
        request = request.json(&json!({"kind": "500", "ttl_seconds": 60}));
    }
    let response = request.send().await.unwrap();
    let headers = response.headers().clone();
    let (status, body) = json_of(response).await;
    (status, body, headers)
}

/// The rpm setting, read with the token.
async fn rpm(emu: &Emu) -> Value {
    let (_, settings) = json_of(emu.admin(Method::GET, "config", None).await).await;
    settings["rpm"].clone()
}

const CONTROLS: [(&str, &str); 6] = [
    ("POST", "/admin/reset"),
    ("POST", "/admin/faults"),
    ("DELETE", "/admin/faults"),
    ("POST", "/admin/tokens"),
    ("GET", "/admin/requests"),
    ("GET", "/admin/config"),
];

#[tokio::test]
async fn admin_calls_without_the_right_token_are_refused() {
    let emu = Emu::start(fast()).await;
    for (method, path) in CONTROLS {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        for token in [None, Some("wrong"), Some("")] {
            let (status, body, _) = call(&emu, method.clone(), path, token, None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} {token:?}: {body}");
            assert_eq!(error_of(&body)["code"], "admin_token_required");
            assert!(body.to_string().contains("x-admin-token"), "{body}");
        }
    }
    // Nothing happened: no fault fires, the config is untouched.
    let config = emu.client.post(emu.url("/admin/config")).json(&json!({"rpm": 1})).send().await.unwrap();
    assert_eq!(config.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(rpm(&emu).await, 0);
    let response = emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "no fault was queued");
    // Unknown admin paths need the token too (no probing).
    let (status, _, _) = call(&emu, Method::GET, "/admin/nope", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // With the token, the same calls work.
    for (method, path) in CONTROLS {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let (status, body, _) = call(&emu, method.clone(), path, Some(ADMIN_TOKEN), None).await;
        assert!(status.is_success(), "{method} {path}: {status} {body}");
    }
}

#[tokio::test]
async fn a_foreign_origin_is_refused_even_with_the_token() {
    let emu = Emu::start(fast()).await;
    let own = emu.base.clone();
    for (method, path) in CONTROLS {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        for origin in ["http://evil.test", "null", &own.replace("127.0.0.1", "localhost")] {
            let (status, body, headers) = call(&emu, method.clone(), path, Some(ADMIN_TOKEN), Some(origin)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path} {origin}: {body}");
            assert_eq!(error_of(&body)["code"], "admin_origin_refused");
            assert!(!headers.contains_key("access-control-allow-origin"), "{headers:?}");
        }
    }
    let refused = emu
        .client
        .post(emu.url("/admin/config"))
        .header("x-admin-token", ADMIN_TOKEN)
        .header("origin", "http://evil.test")
        .json(&json!({"rpm": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(rpm(&emu).await, 0, "a refused call changes nothing");
    // A browser's no-cors GET carries no Origin, but says it comes from another site.
    for site in ["cross-site", "same-site"] {
        let response = emu
            .client
            .get(emu.url("/admin/requests"))
            .header("x-admin-token", ADMIN_TOKEN)
            .header("sec-fetch-site", site)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{site}");
    }
    // A preflight from a foreign origin gets no CORS grant either.
    let preflight = emu
        .client
        .request(Method::OPTIONS, emu.url("/admin/reset"))
        .header("origin", "http://evil.test")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "x-admin-token")
        .send()
        .await
        .unwrap();
    assert!(!preflight.status().is_success());
    assert!(!preflight.headers().contains_key("access-control-allow-origin"));
    // The emulator's own origin (a studio it serves) may call admin, with the token.
    let (status, body, headers) = call(&emu, Method::GET, "/admin/config", Some(ADMIN_TOKEN), Some(&own)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!headers.contains_key("access-control-allow-origin"), "no CORS needed, none given");
}

#[tokio::test]
async fn an_allowed_admin_origin_gets_cors_for_itself_only() {
    let allowed = "http://127.0.0.1:5555";
    let emu = Emu::start(Config { admin_origins: vec![allowed.into()], ..fast() }).await;
    let preflight = emu
        .client
        .request(Method::OPTIONS, emu.url("/admin/faults"))
        .header("origin", allowed)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,x-admin-token")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], allowed);
    let allowed_headers = headers["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed_headers.contains("x-admin-token"), "{allowed_headers}");
    let (status, _, headers) = call(&emu, Method::GET, "/admin/requests", Some(ADMIN_TOKEN), Some(allowed)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["access-control-allow-origin"], allowed);
    // Its refusals are readable by it (CORS on the 401) but still refusals.
    let (status, _, headers) = call(&emu, Method::POST, "/admin/reset", None, Some(allowed)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers["access-control-allow-origin"], allowed);
    let (status, _, headers) =
        call(&emu, Method::GET, "/admin/requests", Some(ADMIN_TOKEN), Some("http://127.0.0.1:5556")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn the_api_keeps_any_origin_cors_and_the_landing_stays_open() {
    let emu = Emu::start(fast()).await;
    let response = emu.api(Method::GET, "/jobs?limit=1").header("origin", "http://evil.test").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let response =
        emu.client.get(emu.url(&format!("{API}/jobs"))).header("origin", "http://evil.test").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "the API still needs the key");
    // The redirect landing is a target for clients under test, not an admin action.
    let landing =
        emu.client.get(emu.url("/admin/redirect/landing/openai/v1/x")).header("origin", "null").send().await.unwrap();
    assert_eq!(landing.status(), StatusCode::OK);
    assert_eq!(landing.headers()["access-control-allow-origin"], "*");
}

/// A Private Network Access preflight to `path`; returns the PNA grant header, if any.
async fn pna_grant(emu: &Emu, path: &str, origin: &str) -> Option<String> {
    let response = emu
        .client
        .request(Method::OPTIONS, emu.url(path))
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-private-network", "true")
        .send()
        .await
        .unwrap();
    response.headers().get("access-control-allow-private-network").map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn private_network_access_only_with_the_flag() {
    let jobs = format!("{API}/jobs");
    let admin_origin = "https://studio.example";
    let off = Emu::start(Config { admin_origins: vec![admin_origin.into()], ..fast() }).await;
    assert_eq!(pna_grant(&off, &jobs, "https://public.example").await, None);
    assert_eq!(pna_grant(&off, "/admin/config", admin_origin).await, None);
    let on =
        Emu::start(Config { private_network_access: true, admin_origins: vec![admin_origin.into()], ..fast() }).await;
    assert_eq!(pna_grant(&on, &jobs, "https://public.example").await.as_deref(), Some("true"));
    assert_eq!(pna_grant(&on, "/admin/config", admin_origin).await.as_deref(), Some("true"));
}
